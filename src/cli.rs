//! The subcommands of the `rollcall` binary: wiring settings, store, dialogs and adapters.

use crate::config::Settings;
use crate::console;
use crate::dialog::{load_dir, Catalog};
use crate::domain::{Lang, Now, Period};
use crate::report;
use crate::runtime::Runtime;
use crate::store::Store;
use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// rollcall: log class sessions of community learning centres through Telegram.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot (needs TELOXIDE_TOKEN; TELOXIDE_API_URL points it at another Bot API server).
    Run {
        #[command(flatten)]
        settings: Settings,
        /// Seconds one getUpdates long poll may wait.
        #[arg(long, default_value_t = 25)]
        poll_timeout: u32,
    },
    /// Try the dialogs in the terminal, against the same database.
    Console {
        #[command(flatten)]
        settings: Settings,
        /// The Telegram user id to act as.
        #[arg(long, default_value_t = 1)]
        user: i64,
    },
    /// Print the period report from the database (the bot may be stopped).
    Report {
        #[command(flatten)]
        settings: Settings,
        /// The period, e.g. 2020, 1-10/2020, 01/2020-10/2020, 2020-01-01..2020-10-31 (default: this year).
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the report.
        #[arg(long, default_value = "vi")]
        lang: String,
    },
    /// Validate the dialog files and report every problem.
    CheckDialogs {
        /// The folder with the dialog files.
        #[arg(default_value = "dialogs")]
        dir: PathBuf,
    },
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Csv,
}

/// Loads the dialogs or fails with every problem listed.
pub fn load_catalog(dir: &Path) -> anyhow::Result<Catalog> {
    load_dir(dir).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(
            "the dialog files have {} problem(s):\n{}",
            list.len(),
            list.join("\n")
        )
    })
}

/// Opens the store and makes sure the default centre exists.
fn open(settings: &Settings) -> anyhow::Result<(Store, Runtime)> {
    let catalog = load_catalog(&settings.dialogs)?;
    let store = Store::open(&settings.db)
        .with_context(|| format!("opening the database {}", settings.db.display()))?;
    let centre = store.write(|tx| tx.ensure_centre(&settings.centre))?;
    Ok((
        store,
        Runtime {
            catalog: Arc::new(catalog),
            default_centre: centre,
        },
    ))
}

/// Runs one subcommand to completion.
pub fn execute(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run {
            settings,
            poll_timeout,
        } => run_bot(&settings, poll_timeout),
        Command::Console { settings, user } => {
            let (store, runtime) = open(&settings)?;
            let stdin = std::io::stdin();
            console::run(
                &store,
                &runtime,
                user,
                settings.zone,
                stdin.lock(),
                std::io::stdout(),
            )
        }
        Command::Report {
            settings,
            period,
            format,
            lang,
        } => print_report(&settings, period.as_deref(), format, &lang),
        Command::CheckDialogs { dir } => {
            let catalog = load_catalog(&dir)?;
            println!(
                "{}: OK ({} activity groups, {} questions, {} commands, {} texts)",
                dir.display(),
                catalog.groups.len(),
                catalog.questions.len(),
                catalog.commands.len(),
                catalog.texts.len()
            );
            Ok(())
        }
    }
}

fn run_bot(settings: &Settings, poll_timeout: u32) -> anyhow::Result<()> {
    if std::env::var_os("TELOXIDE_TOKEN").is_none() {
        bail!("TELOXIDE_TOKEN is not set: create a bot with @BotFather and export its token");
    }
    let (store, runtime) = open(settings)?;
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    tokio.block_on(async {
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("signal received");
            let _ = stop_tx.send(true);
        });
        let bot = teloxide::Bot::from_env();
        let options = crate::telegram::Options {
            zone: settings.zone,
            poll_timeout_secs: poll_timeout,
        };
        crate::telegram::run(bot, store, runtime, options, stop).await
    })
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM (systemd, docker stop).
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_report(
    settings: &Settings,
    period: Option<&str>,
    format: Format,
    lang: &str,
) -> anyhow::Result<()> {
    let lang = Lang::from_code(lang).context("--lang must be vi or en")?;
    let (store, runtime) = open(settings)?;
    let today = Now::in_zone(chrono::Utc::now(), settings.zone).today;
    let period = match period {
        Some(text) => crate::dialog::parse::period(text)
            .with_context(|| format!("cannot understand the period {text:?}; try 2020, 1-10/2020, 01/2020-10/2020 or 2020-01-01..2020-10-31"))?,
        None => Period::year_to_date(today),
    };
    let centre = runtime.default_centre;
    match format {
        Format::Text => {
            let (per_group, name) = store.read(|tx| {
                Ok((
                    tx.group_totals(Some(centre), period)?,
                    tx.centre_name(centre)?,
                ))
            })?;
            let table = report::build(&runtime.catalog, &per_group, lang);
            let html = report::render_chat(
                &runtime.catalog,
                &table,
                &name.unwrap_or_default(),
                period,
                lang,
            );
            println!("{}", console::plain_text(&html));
        }
        Format::Csv => {
            let (sessions, classes) = store.read(|tx| {
                let sessions = tx.sessions(Some(centre), period)?;
                let mut classes = std::collections::BTreeMap::new();
                for session in &sessions {
                    if let Some(class) = tx.class(session.class)? {
                        classes.insert(class.id, class);
                    }
                }
                Ok((sessions, classes))
            })?;
            let csv = report::sessions_csv(&runtime.catalog, &sessions, &classes, lang);
            use std::io::Write;
            std::io::stdout().write_all(&csv)?;
        }
    }
    Ok(())
}
