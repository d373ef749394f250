//! The subcommands of the `rollcall` binary: wiring settings, store, dialogs and adapters.

use crate::config::Settings;
use crate::console;
use crate::dialog::{load_dir, Catalog};
use crate::domain::{Lang, Now, Period};
use crate::format::format_count;
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
    /// Print or write the period report from the database (the bot may be stopped).
    ///
    /// One centre (--centre, default ROLLCALL_CENTRE) or, with --all, every centre: the
    /// same table summed, plus one line per centre. Binary formats (xlsx, png) go to
    /// --out, or to standard output when it is not a terminal.
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
        /// Roll up every centre of the database instead of one (--centre is ignored).
        #[arg(long)]
        all: bool,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
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
    /// Table III.2 as plain text.
    Text,
    /// Every session of the period (UTF-8 with a byte-order mark, for Excel).
    Csv,
    /// A workbook: the table as on paper, the sessions, and the centres with --all.
    Xlsx,
    /// A stable machine-readable shape: period, centre, rows, total (and centres).
    Json,
    /// A chart of attendance by activity group and by month.
    Png,
}

impl Format {
    /// Whether the output is bytes that a terminal would show as garbage.
    fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Png)
    }
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
            all,
            out,
        } => print_report(
            &settings,
            &ReportArgs {
                period: period.as_deref(),
                format,
                lang: &lang,
                all,
                out: out.as_deref(),
            },
        ),
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

/// The `report` options other than the shared settings.
struct ReportArgs<'a> {
    period: Option<&'a str>,
    format: Format,
    lang: &'a str,
    all: bool,
    out: Option<&'a Path>,
}

/// What `report` reads from the store for any format.
struct ReportData {
    /// The centre's name, or "all centres" for the roll-up.
    name: String,
    per_group: std::collections::BTreeMap<String, crate::domain::Totals>,
    /// One line per centre (every centre of the file, zeros included) for `--all`.
    centres: Option<Vec<report::CentreTotals>>,
}

fn print_report(settings: &Settings, args: &ReportArgs<'_>) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};

    let lang = Lang::from_code(args.lang).context("--lang must be vi or en")?;
    if args.format.is_binary() && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "--format {:?} writes a binary file: add --out FILE (or redirect standard output)",
            args.format
        );
    }
    let catalog = load_catalog(&settings.dialogs)?;
    let store = Store::open(&settings.db)
        .with_context(|| format!("opening the database {}", settings.db.display()))?;
    let today = Now::in_zone(chrono::Utc::now(), settings.zone).today;
    let period = match args.period {
        Some(text) => crate::dialog::parse::period(text)
            .with_context(|| format!("cannot understand the period {text:?}; try 2020, 1-10/2020, 01/2020-10/2020 or 2020-01-01..2020-10-31"))?,
        None => Period::year_to_date(today),
    };
    // `None` is the roll-up of every centre.
    let centre = if args.all {
        None
    } else {
        let found = store.read(|tx| tx.centre_by_name(&settings.centre))?;
        match found {
            Some(id) => Some(id),
            None => {
                let known = store.read(|tx| tx.centres())?;
                let names: Vec<String> = known.into_iter().map(|(_, n)| format!("{n:?}")).collect();
                bail!(
                    "no centre called {:?} in {}; its centres: {} (or use --all)",
                    settings.centre,
                    settings.db.display(),
                    if names.is_empty() {
                        "none yet".to_owned()
                    } else {
                        names.join(", ")
                    }
                );
            }
        }
    };

    let data = store.read(|tx| {
        Ok(match centre {
            Some(id) => ReportData {
                name: tx.centre_name(id)?.unwrap_or_default(),
                per_group: tx.group_totals(Some(id), period)?,
                centres: None,
            },
            None => {
                // One pass per centre gives both the centre lines and, summed, the table
                // (classes belong to one centre, so their counts add up).
                let by_centre = tx.group_totals_by_centre(period)?;
                let mut per_group: std::collections::BTreeMap<String, crate::domain::Totals> =
                    std::collections::BTreeMap::new();
                for groups in by_centre.values() {
                    for (group, totals) in groups {
                        let sum = per_group.entry(group.clone()).or_default();
                        *sum = *sum + *totals;
                    }
                }
                let lines = tx
                    .centres()?
                    .into_iter()
                    .map(|(id, name)| report::CentreTotals {
                        centre: id,
                        name,
                        totals: by_centre.get(&id).map_or_else(Default::default, |groups| {
                            groups.values().fold(Default::default(), |sum, t| sum + *t)
                        }),
                    })
                    .collect();
                ReportData {
                    name: report::labels::ALL_CENTRES.get(lang).to_owned(),
                    per_group,
                    centres: Some(lines),
                }
            }
        })
    })?;
    let table = report::build(&catalog, &data.per_group, lang);

    let bytes: Vec<u8> = match args.format {
        Format::Text => {
            let html = report::render_chat(&catalog, &table, &data.name, period, lang);
            let mut text = console::plain_text(&html);
            for line in data.centres.iter().flatten() {
                text.push_str(&format!(
                    "\n{}: {}",
                    line.name,
                    catalog.render(
                        "report.row_numbers",
                        lang,
                        &[
                            ("classes", &format_count(line.totals.classes, lang)),
                            ("attendance", &format_count(line.totals.attendance, lang)),
                            ("female", &format_count(line.totals.female, lang)),
                        ],
                    )
                ));
            }
            text.push('\n');
            text.into_bytes()
        }
        Format::Json => {
            let mut json =
                report::report_json(&table, &data.name, period, lang, data.centres.as_deref());
            json.push('\n');
            json.into_bytes()
        }
        Format::Csv => {
            let (sessions, classes) = store.read(|tx| {
                let sessions = tx.sessions(centre, period)?;
                let classes = tx.classes_of(&sessions)?;
                Ok((sessions, classes))
            })?;
            report::sessions_csv(&catalog, &sessions, &classes, lang)
        }
        Format::Xlsx => {
            let (sessions, classes) = store.read(|tx| {
                let sessions = tx.sessions(centre, period)?;
                let classes = tx.classes_of(&sessions)?;
                Ok((sessions, classes))
            })?;
            report::xlsx(&report::XlsxReport {
                catalog: &catalog,
                table: &table,
                centre_name: &data.name,
                period,
                lang,
                sessions: &sessions,
                classes: &classes,
                centres: data.centres.as_deref(),
            })?
        }
        Format::Png => {
            let months = store.read(|tx| tx.month_totals(centre, period))?;
            report::chart(&report::ChartReport {
                catalog: &catalog,
                table: &table,
                months: &months,
                centre_name: &data.name,
                period,
                lang,
            })?
        }
    };
    match args.out {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("writing the report to {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}
