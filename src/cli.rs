//! The subcommands of the `rollcall` binary: wiring settings, store, dialogs and adapters.

// `rollcall import` (bringing in past sessions, issue 15) lives in its own file.
mod import;

use crate::config::{config_problem, Settings};
use crate::console;
use crate::dialog::{load_dir, load_embedded, Catalog};
use crate::domain::{Lang, Now, Period, YearStart};
use crate::format::format_count;
use crate::report;
use crate::roles::Role;
use crate::runtime::Runtime;
use crate::store::Store;
use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `--version` prints after the name: the crate's version and the git commit the
/// binary was built from (`build.rs`; "unknown" when built without git).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ROLLCALL_COMMIT"),
    ")"
);

/// rollcall: log class sessions of community learning centres through Telegram.
#[derive(Debug, Parser)]
#[command(version = VERSION, about)]
pub struct Cli {
    /// The configuration file (rollcall.toml); its values are the defaults of the flags,
    /// and ROLLCALL_* environment variables override them.
    #[arg(long, global = true, env = "ROLLCALL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// How log lines are written: human or json.
    #[arg(
        long,
        global = true,
        value_enum,
        env = "ROLLCALL_LOG_FORMAT",
        default_value = "human"
    )]
    pub log_format: crate::config::LogFormat,
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
        /// Send without Telegram's rate limits: for benchmarks against a fake Bot API only.
        #[arg(long, env = "ROLLCALL_UNLIMITED_SEND", hide = true, value_parser = clap::builder::FalseyValueParser::new())]
        unlimited_send: bool,
        #[command(flatten)]
        ops: RunOps,
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
    /// One centre (--centre NAME) or every centre (--all, or no --centre): the same
    /// table summed, plus one line per centre. Binary formats (xlsx, png) go to
    /// --out, or to standard output when it is not a terminal.
    Report {
        #[command(flatten)]
        settings: Settings,
        /// The period, e.g. 2020, 1-10/2020, 01/2020-10/2020, 2020-01-01..2020-10-31 (default:
        /// the reporting year so far, from the configuration's period_start).
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the report.
        #[arg(long, default_value = "vi")]
        lang: String,
        /// Roll up every centre of the database (also what happens without --centre).
        #[arg(long)]
        all: bool,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The centre (default: the roll-up of every centre).
        #[arg(long)]
        centre: Option<String>,
    },
    /// Give someone a role (run while the bot is stopped): the first supervisor, or a
    /// centre's first director (the centre is created when new).
    Grant {
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// The person's Telegram user id (they can see it with @userinfobot).
        #[arg(long)]
        user: i64,
        #[arg(long, value_enum)]
        role: GrantRole,
        /// The centre (required for director and organiser).
        #[arg(long)]
        centre: Option<String>,
        /// A name to show in member lists.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List who has which role where.
    Users {
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
    },
    /// Print the audit log (newest first).
    Audit {
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// Only this centre.
        #[arg(long)]
        centre: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Copy the database consistently to OUT (stop the bot first); the copy is verified.
    Backup {
        /// The database file.
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// Where to write the copy (replaced if it exists).
        out: PathBuf,
    },
    /// Check the database's integrity and that the report counters match the sessions,
    /// and print its schema version and record counts (stop the bot first); exits
    /// non-zero on a problem.
    Check {
        /// The database file.
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// Count the report counters again from the sessions (when the check found them
        /// different).
        #[arg(long)]
        rebuild_counters: bool,
    },
    /// Validate the dialog files and report every problem.
    CheckDialogs {
        /// The folder with the dialog files (default: the configured folder, `--dialogs`
        /// of `run` as ROLLCALL_DIALOGS or `dialogs` in the configuration file, else the
        /// built-in dialogs).
        dir: Option<PathBuf>,
    },
    /// Ask a running bot's /healthz and exit 0 when it answers 200 (a container's
    /// HEALTHCHECK, a monitoring script); prints the answer.
    Health {
        /// The /healthz URL (default: http://<metrics.listen>/healthz of the configuration,
        /// ROLLCALL_METRICS_LISTEN or `[metrics] listen`).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// The dialog files: `rollcall dialogs export DIR` writes the built-in ones out, for a
    /// centre that wants its own wording (then run with `--dialogs DIR`).
    Dialogs {
        #[command(subcommand)]
        action: DialogsAction,
    },
    /// The configuration: `rollcall config check [--config FILE]`.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Export everything (centres, people, classes, sessions with their extra answers,
    /// reminders, audit log) as JSON, for an archive or a move (stop the bot first).
    Export {
        /// The database file.
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Bring the sessions of a spreadsheet (.xlsx or .csv, the layout of the sessions
    /// sheet the bot exports) into a centre: prints the check of every row, then adds the
    /// accepted ones in one transaction (stop the bot first).
    Import(import::ImportArgs),
    /// Erase a person's personal data on request (stop the bot first): names, chat state,
    /// mute flag, and their id in sessions, invitations and the audit log (replaced by 0).
    /// Report numbers do not change.
    Forget {
        /// The database file.
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// The person's Telegram user id.
        #[arg(long)]
        user: i64,
    },
}

/// The options of `run` added for operations (issue 9): webhook, health and metrics.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOps {
    /// Receive updates through a webhook at this public HTTPS URL instead of long polling
    /// (also `webhook.url` in the configuration file).
    #[arg(long, env = "ROLLCALL_WEBHOOK_URL", value_name = "URL")]
    pub webhook: Option<String>,
    /// The local address of the webhook server, behind a TLS reverse proxy.
    #[arg(
        long,
        env = "ROLLCALL_WEBHOOK_LISTEN",
        default_value = "127.0.0.1:8443"
    )]
    pub listen: std::net::SocketAddr,
    /// Use long polling even when the configuration names a webhook.
    #[arg(long, conflicts_with = "webhook")]
    pub poll: bool,
    /// Serve /healthz and /metrics on this local address (e.g. 127.0.0.1:9898).
    #[arg(long, env = "ROLLCALL_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<std::net::SocketAddr>,
}

/// What `rollcall dialogs` does.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum DialogsAction {
    /// Write the built-in dialog files into DIR (created when missing), to edit them and
    /// run the bot with `--dialogs DIR`.
    Export {
        /// The folder to write groups.toml, session.toml, commands.toml and messages.toml to.
        dir: PathBuf,
        /// Replace files that already exist in DIR.
        #[arg(long)]
        force: bool,
    },
}

/// What `rollcall config` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum ConfigAction {
    /// Print the effective configuration (secrets masked) and check it: the file's keys,
    /// the environment variables, the token and the dialog files. Exits non-zero on a problem.
    Check,
}

/// Formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document.
    Json,
}

/// Roles `grant` can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GrantRole {
    Supervisor,
    Director,
    Organiser,
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
    /// The whole report as a Word document in the official layout (always in Vietnamese,
    /// with the centre's stored texts).
    Docx,
}

impl Format {
    /// Whether the output is bytes that a terminal would show as garbage.
    fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Png | Format::Docx)
    }
}

/// Loads the dialogs of `dir`, or the built-in ones without it, or fails with every
/// problem listed. A problem in a centre's own folder names the folder and how it was
/// chosen, so whoever reads the message knows both where to look and how to go back to
/// the built-in wording.
pub fn load_catalog(dir: Option<&Path>) -> anyhow::Result<Catalog> {
    let (result, place) = match dir {
        Some(dir) => (
            load_dir(dir),
            format!(
                "the dialog files in {} (the folder given by --dialogs, ROLLCALL_DIALOGS or \
                 `dialogs` in the configuration file; leave it out to use the built-in dialogs)",
                dir.display()
            ),
        ),
        None => (load_embedded(), "the built-in dialog files".to_owned()),
    };
    result.map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        config_problem(anyhow::anyhow!(
            "{place} have {} problem(s):\n{}",
            list.len(),
            list.join("\n")
        ))
    })
}

/// How the dialogs' origin is shown: the folder, or that they are built in.
fn dialogs_origin(dir: Option<&Path>) -> String {
    dir.map_or_else(
        || crate::dialog::load::EMBEDDED_LABEL.to_owned(),
        |dir| dir.display().to_string(),
    )
}

/// `rollcall dialogs export DIR`: the built-in dialog files, written out to be edited.
/// Existing files are kept unless `force`, so an edited copy is never overwritten by
/// mistake; nothing is written when one would be refused.
fn export_dialogs(dir: &Path, force: bool) -> anyhow::Result<()> {
    let existing: Vec<String> = crate::dialog::load::EMBEDDED
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        bail!(
            "{} already exist(s); add --force to replace them",
            existing.join(", ")
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, text) in crate::dialog::load::EMBEDDED {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "wrote the built-in dialogs to {dir}; edit them, check them with `rollcall check-dialogs {dir}` \
         and run the bot with `--dialogs {dir}`",
        dir = dir.display()
    );
    Ok(())
}

/// Opens the database, with a message that names the file.
fn open_store(db: &Path) -> anyhow::Result<Store> {
    Store::open(db).with_context(|| format!("opening the database {}", db.display()))
}

/// Loads the dialogs and opens the store; the runtime's reporting year begins on
/// `year_start`.
fn open(
    settings: &Settings,
    year_start: YearStart,
    entry: crate::domain::EntryRules,
) -> anyhow::Result<(Store, Runtime)> {
    let catalog = load_catalog(settings.dialogs.as_deref())?;
    let store = open_store(&settings.db)?;
    // The per-year class counts count the reporting years the runtime reports on, so a
    // year-to-date "Số lớp" stays two reads for any `period_start` (once recounted after
    // the setting changed).
    if store.write(|tx| tx.set_counter_year_start(year_start))? {
        tracing::info!(
            month = year_start.month(),
            day = year_start.day(),
            "the reporting year's start changed; the per-year class counts were recounted"
        );
    }
    Ok((
        store,
        Runtime {
            catalog: Arc::new(catalog),
            bot_username: None,
            zone: settings.zone,
            year_start,
            entry,
        },
    ))
}

/// Runs one subcommand to completion with the configuration of the file and the
/// environment (whose values the flags have as defaults already; see `config.rs`).
pub fn execute(command: Command, loaded: &crate::config::Loaded) -> anyhow::Result<()> {
    match command {
        Command::Run {
            settings,
            poll_timeout,
            unlimited_send,
            ops,
        } => run_bot(
            &settings,
            poll_timeout,
            unlimited_send,
            &ops,
            &loaded.config,
        ),
        Command::Config {
            action: ConfigAction::Check,
        } => config_check(loaded),
        Command::Export { db, format, out } => export(&db, format, out.as_deref()),
        Command::Forget { db, user } => forget(&db, user),
        Command::Import(args) => import::run(&args, loaded),
        Command::Backup { db, out } => backup(&db, &out),
        Command::Check {
            db,
            rebuild_counters,
        } => check(&db, rebuild_counters),
        Command::Console { settings, user } => {
            let (store, runtime) = open(
                &settings,
                loaded.config.period_start()?,
                loaded.config.entry_rules(),
            )?;
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
            centre,
        } => print_report(
            &settings,
            &ReportArgs {
                period: period.as_deref(),
                format,
                lang: &lang,
                all,
                centre: centre.as_deref(),
                out: out.as_deref(),
                year_start: loaded.config.period_start()?,
            },
        ),
        Command::Grant {
            db,
            user,
            role,
            centre,
            name,
        } => grant(&db, user, role, centre.as_deref(), &name),
        Command::Users { db } => list_users(&db),
        Command::Audit { db, centre, limit } => print_audit(&db, centre.as_deref(), limit),
        Command::Dialogs {
            action: DialogsAction::Export { dir, force },
        } => export_dialogs(&dir, force),
        Command::Health { url } => health(url, &loaded.config),
        Command::CheckDialogs { dir } => {
            // Without a folder on the command line, the folder the bot would use.
            let dir = dir.or_else(|| loaded.config.dialogs.clone());
            let catalog = load_catalog(dir.as_deref())?;
            println!(
                "{}: OK ({} activity groups, {} questions, {} commands, {} texts)",
                dialogs_origin(dir.as_deref()),
                catalog.groups.len(),
                catalog.questions.len(),
                catalog.commands.len(),
                catalog.texts.len()
            );
            Ok(())
        }
    }
}

fn run_bot(
    settings: &Settings,
    poll_timeout: u32,
    unlimited_send: bool,
    ops: &RunOps,
    config: &crate::config::Config,
) -> anyhow::Result<()> {
    // The token: TELOXIDE_TOKEN, else the configuration's token or token_file.
    let Some(token) = config.token().map_err(config_problem)? else {
        return Err(config_problem(anyhow::anyhow!("TELOXIDE_TOKEN is not set (nor token or token_file in the configuration file): create a bot with @BotFather and give its token")));
    };
    let webhook_url = match (&ops.webhook, ops.poll) {
        (Some(url), false) => {
            crate::config::check_webhook_url(url).map_err(config_problem)?;
            Some(reqwest::Url::parse(url).map_err(config_problem)?)
        }
        _ => None,
    };
    let (store, runtime) = open(
        settings,
        config.period_start().map_err(config_problem)?,
        config.entry_rules(),
    )?;
    if store.read(|tx| tx.supervisors())?.is_empty() {
        eprintln!(
            "rollcall: nobody is a supervisor yet. Stop the bot and run\n  rollcall grant --db {} --user <your Telegram user id> --role supervisor\n(or --role director --centre NAME for a centre's first director).",
            settings.db.display()
        );
    }
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
        let bot = make_bot(token).map_err(config_problem)?;
        // Both servers bind before the bot connects, so a wrong or busy address stops
        // the start at once instead of after setWebhook.
        if let Some(addr) = ops.metrics_listen {
            let listener = crate::ops::bind(addr).await?;
            let limits = crate::ops::HealthLimits {
                telegram_stale: std::time::Duration::from_secs(
                    u64::from(config.metrics.telegram_stale_minutes) * 60,
                ),
                outbox_stuck: std::time::Duration::from_secs(
                    u64::from(config.metrics.outbox_stuck_minutes) * 60,
                ),
            };
            tokio::spawn(crate::ops::serve(
                listener,
                store.clone(),
                limits,
                stop.clone(),
            ));
        }
        let webhook = match webhook_url {
            Some(url) => {
                let listener = tokio::net::TcpListener::bind(ops.listen)
                    .await
                    .with_context(|| format!("listening for the webhook on {}", ops.listen))?;
                let secret = match &config.webhook.secret_token {
                    Some(secret) => secret.clone(),
                    None => crate::telegram::webhook::random_secret()?,
                };
                Some(crate::telegram::webhook::WebhookOptions {
                    url,
                    listener: Arc::new(std::sync::Mutex::new(Some(listener))),
                    secret,
                })
            }
            None => None,
        };
        let options = crate::telegram::Options {
            webhook,
            zone: settings.zone,
            clock: crate::clock::Clock::from_env(),
            reminder_grace: config.reminder_grace(),
            retention: config.retention(),
            poll_timeout_secs: poll_timeout,
            send: crate::telegram::SenderOptions {
                limits: (!unlimited_send).then_some(crate::telegram::limits::Limits::TELEGRAM),
                ..crate::telegram::SenderOptions::default()
            },
        };
        crate::telegram::run(bot, store, runtime, options, stop).await
    })
}

/// The Bot API client: `token` from the configuration, `TELOXIDE_API_URL` (another Bot
/// API server, as the tests use) and `TELOXIDE_PROXY` from the environment, as teloxide's
/// `Bot::from_env` would, which cannot take a token from a file.
fn make_bot(token: String) -> anyhow::Result<teloxide_core::Bot> {
    let bot = teloxide_core::Bot::with_client(token, teloxide_core::net::client_from_env());
    match std::env::var("TELOXIDE_API_URL") {
        Ok(url) => {
            let url = reqwest::Url::parse(url.trim_end_matches('/'))
                .with_context(|| format!("TELOXIDE_API_URL {url:?} is not a URL"))?;
            Ok(bot.set_api_url(url))
        }
        Err(_) => Ok(bot),
    }
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
    centre: Option<&'a str>,
    out: Option<&'a Path>,
    /// Where the default period (no `--period`) begins: `period_start`.
    year_start: YearStart,
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
    let catalog = load_catalog(settings.dialogs.as_deref())?;
    let store = Store::open(&settings.db)
        .with_context(|| format!("opening the database {}", settings.db.display()))?;
    let today = Now::in_zone(chrono::Utc::now(), settings.zone).today;
    let period = match args.period {
        Some(text) => crate::dialog::parse::period(text)
            .with_context(|| format!("cannot understand the period {text:?}; try 2020, 1-10/2020, 01/2020-10/2020 or 2020-01-01..2020-10-31"))?,
        None => Period::reporting_year_to_date(args.year_start, today),
    };
    // `None` is the roll-up of every centre: with --all, or when no centre is named.
    let centre = match (args.all, args.centre) {
        (false, Some(name)) => Some(find_centre(&store, name)?),
        _ => None,
    };

    let data = store.read(|tx| report::ReportData::gather(tx, &catalog, centre, period, lang))?;
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
        Format::Docx => {
            // The document goes to the education office: its table is in Vietnamese
            // whatever --lang says.
            let table = report::build(&catalog, &data.per_group, Lang::Vi);
            let texts = store.read(|tx| tx.document_texts(centre))?;
            report::docx(&report::DocxReport {
                catalog: &catalog,
                table: &table,
                centre_name: &data.name,
                period,
                texts: &texts,
                date: today,
                centres: data.centres.as_deref(),
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

/// The id of the centre called `name` (exactly, or ignoring case and spacing).
fn find_centre(store: &Store, name: &str) -> anyhow::Result<crate::domain::CentreId> {
    let wanted = crate::dialog::parse::class_name(name).1;
    let centres = store.read(|tx| tx.centres())?;
    centres
        .iter()
        .find(|(_, n)| crate::dialog::parse::class_name(n).1 == wanted)
        .map(|(id, _)| *id)
        .with_context(|| {
            let known: Vec<&str> = centres.iter().map(|(_, n)| n.as_str()).collect();
            format!("no centre called {name:?}; centres: {}", known.join(", "))
        })
}

fn grant(
    db: &Path,
    user: i64,
    role: GrantRole,
    centre: Option<&str>,
    name: &str,
) -> anyhow::Result<()> {
    let store = open_store(db)?;
    let now = chrono::Utc::now();
    match (role, centre) {
        // The user's own command menu is queued with the role; it goes to Telegram when
        // the bot next starts.
        (GrantRole::Supervisor, _) => {
            let added = store.write(|tx| {
                crate::runtime::with_menu_update(tx, user, |tx| {
                    tx.add_supervisor(user, name, 0, now)
                })
            })?;
            println!(
                "{user} {} supervisor",
                if added { "is now a" } else { "already was a" }
            );
        }
        (_, None) => bail!("--centre NAME is needed for a director or an organiser"),
        (role, Some(centre)) => {
            let role = match role {
                GrantRole::Director => Role::Director,
                _ => Role::Organiser,
            };
            let (centre_name, _) = crate::dialog::parse::class_name(centre);
            store.write(|tx| {
                let id = tx.ensure_centre(&centre_name)?;
                crate::runtime::with_menu_update(tx, user, |tx| {
                    tx.add_member(id, user, role, name, 0, now)
                })
            })?;
            println!("{user} is now {} of {centre_name}", role.code());
        }
    }
    Ok(())
}

fn list_users(db: &Path) -> anyhow::Result<()> {
    let store = open_store(db)?;
    let (supervisors, centres) = store.read(|tx| {
        let mut centres = Vec::new();
        for (id, name) in tx.centres()? {
            centres.push((name, tx.members(id)?));
        }
        Ok((tx.supervisors()?, centres))
    })?;
    println!("Supervisors:");
    for (user, name) in &supervisors {
        println!("  {user}  {name}");
    }
    for (centre, members) in &centres {
        println!("{centre}:");
        for member in members {
            println!("  {}  {}  {}", member.user, member.role.code(), member.name);
        }
    }
    Ok(())
}

fn print_audit(db: &Path, centre: Option<&str>, limit: usize) -> anyhow::Result<()> {
    let store = open_store(db)?;
    let centre = centre.map(|name| find_centre(&store, name)).transpose()?;
    for entry in store.read(|tx| tx.audit_log(centre, limit))? {
        println!(
            "{}  actor={}  centre={}  {}  before={}  after={}",
            entry.at.format("%Y-%m-%d %H:%M:%S"),
            entry.actor,
            entry
                .centre
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            entry.action,
            entry.before,
            entry.after
        );
    }
    Ok(())
}

/// Opens an existing database (never creates one) for the maintenance subcommands.
fn open_existing(db: &Path) -> anyhow::Result<Store> {
    if !db.is_file() {
        bail!("{} does not exist or is not a file", db.display());
    }
    Store::open(db).with_context(|| format!("opening the database {}", db.display()))
}

/// `rollcall backup`: copies the database while holding it open (so the bot cannot run
/// meanwhile), then opens the copy and checks its integrity.
fn backup(db: &Path, out: &Path) -> anyhow::Result<()> {
    if out.exists() && out.canonicalize().ok() == db.canonicalize().ok() {
        bail!("the backup must go to another file than the database");
    }
    let store = open_existing(db)?;
    let bytes = store
        .backup_to(out)
        .with_context(|| format!("copying {} to {}", db.display(), out.display()))?;
    drop(store);
    let mut copy =
        Store::open(out).with_context(|| format!("the copy {} does not open", out.display()))?;
    if !copy.check_integrity()? {
        bail!("the copy {} failed the integrity check", out.display());
    }
    let counts = copy.read(|tx| tx.counts())?;
    println!(
        "{} → {}: {bytes} bytes, {} sessions, verified",
        db.display(),
        out.display(),
        counts.sessions
    );
    Ok(())
}

/// `rollcall check`: integrity, schema version and record counts.
fn check(db: &Path, rebuild_counters: bool) -> anyhow::Result<()> {
    let mut store = open_existing(db)?;
    let sound = store.check_integrity()?;
    if rebuild_counters {
        store.write(|tx| tx.rebuild_counters())?;
        println!("counters: rebuilt from the sessions");
    }
    let counts = store.read(|tx| tx.counts())?;
    let counters_right = store.read(|tx| tx.counters_match_sessions())?;
    println!("database: {}", db.display());
    println!(
        "integrity: {}",
        if sound {
            "OK"
        } else {
            "DAMAGED (repaired to the last good commit)"
        }
    );
    println!(
        "report counters: {}",
        if counters_right {
            "OK (match the sessions)"
        } else {
            "DIFFERENT from the sessions (reports would be wrong): run `rollcall check --rebuild-counters`"
        }
    );
    println!("schema version: {}", counts.schema_version);
    println!("centres: {}", counts.centres);
    println!("classes: {}", counts.classes);
    println!("sessions: {}", counts.sessions);
    println!("chats: {}", counts.chats);
    println!("pending updates (inbox): {}", counts.inbox);
    println!("queued messages (outbox): {}", counts.outbox);
    if !sound {
        bail!(
            "{} was damaged; redb repaired it to its last good commit",
            db.display()
        );
    }
    if !counters_right {
        bail!(
            "the report counters of {} differ from its sessions",
            db.display()
        );
    }
    Ok(())
}

/// How long `rollcall health` waits for the answer.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// `rollcall health`: GET /healthz of a running bot; an error unless it answers 200. The
/// binary probes itself, so a container image needs no curl or shell for its HEALTHCHECK.
fn health(url: Option<String>, config: &crate::config::Config) -> anyhow::Result<()> {
    let url = match (url, &config.metrics.listen) {
        (Some(url), _) => url,
        (None, Some(listen)) => format!("http://{listen}/healthz"),
        (None, None) => {
            return Err(config_problem(anyhow::anyhow!(
                "no health server configured: give --url, or set ROLLCALL_METRICS_LISTEN \
                 (or [metrics] listen) for both the bot and this command"
            )))
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let (status, body) = runtime
        .block_on(async {
            let response = reqwest::Client::builder()
                .timeout(HEALTH_TIMEOUT)
                .no_proxy()
                .build()?
                .get(&url)
                .send()
                .await?;
            let status = response.status();
            Ok::<_, reqwest::Error>((status, response.text().await?))
        })
        .with_context(|| format!("asking {url}"))?;
    println!("{}", body.trim_end());
    if !status.is_success() {
        bail!("{url} answered {status}");
    }
    Ok(())
}

/// `rollcall config check`: the effective configuration, secrets masked, and whether
/// the bot could start with it.
fn config_check(loaded: &crate::config::Loaded) -> anyhow::Result<()> {
    print!("{}", loaded.describe());
    println!();
    let config = &loaded.config;
    match config.token()? {
        Some(_) => println!("# token: set"),
        None => println!("# token: not set (run needs TELOXIDE_TOKEN, token or token_file)"),
    }
    let catalog = load_catalog(config.dialogs.as_deref())?;
    println!(
        "# dialogs: {} OK ({} activity groups)",
        dialogs_origin(config.dialogs.as_deref()),
        catalog.groups.len()
    );
    println!("# configuration OK");
    Ok(())
}

/// `rollcall export`: everything but the Telegram traffic, as JSON.
fn export(db: &Path, format: ExportFormat, out: Option<&Path>) -> anyhow::Result<()> {
    use std::io::Write;
    let ExportFormat::Json = format;
    let store = open_existing(db)?;
    let value = store.read(|tx| tx.export())?;
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    match out {
        Some(path) => {
            // Through a temporary file, so that an interrupted export never looks complete.
            let partial = path.with_extension("partial");
            std::fs::write(&partial, &text)
                .with_context(|| format!("writing {}", partial.display()))?;
            std::fs::rename(&partial, path)
                .with_context(|| format!("renaming {} to {}", partial.display(), path.display()))?;
            eprintln!("exported {} to {}", db.display(), path.display());
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(())
}

/// `rollcall forget`: erases one person's personal data, keeping the report numbers.
fn forget(db: &Path, user: i64) -> anyhow::Result<()> {
    if user == 0 {
        bail!("--user 0 is the id that stands for forgotten people and the command line");
    }
    let store = open_existing(db)?;
    let done = store.write(|tx| tx.forget_user(user, chrono::Utc::now()))?;
    println!(
        "forgot user {user}: {} name(s) erased, {} session(s) and {} other record(s) no longer name them, {} audit entr(y/ies) changed, chat state {}, mute flag {}, {} day(s) without a session removed",
        done.names,
        done.sessions,
        done.other_records,
        done.audit_entries,
        if done.chat_state { "removed" } else { "none" },
        if done.muted { "removed" } else { "none" },
        done.no_session_days,
    );
    Ok(())
}
