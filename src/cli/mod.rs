//! The subcommands of the `rollcall` binary: their arguments (clap) and the dispatch to
//! the file that does each job: `run.rs` the bot, `report.rs` reports, `admin.rs` people
//! and personal data, `maintenance.rs` backups, checks, exports, health and dialog files,
//! `import.rs` bringing in past sessions from a spreadsheet.

mod admin;
mod centre;
mod import;
mod maintenance;
mod multi_db;
mod report;
mod run;

use crate::config::Settings;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
        settings: multi_db::ReportSettings,
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
    /// Rename a centre, or merge one centre into another (stop the bot first).
    Centre {
        #[command(subcommand)]
        action: centre::CentreAction,
    },
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
    /// The roll-up's centre × group table (CSV, UTF-8 with a byte-order mark).
    Centres,
}

impl Format {
    /// Whether the output is bytes that a terminal would show as garbage.
    pub(crate) fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Png | Format::Docx)
    }
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
        } => run::run_bot(
            &settings,
            poll_timeout,
            unlimited_send,
            &ops,
            &loaded.config,
        ),
        Command::Config {
            action: ConfigAction::Check,
        } => maintenance::config_check(loaded),
        Command::Export { db, format, out } => maintenance::export(&db, format, out.as_deref()),
        Command::Forget { db, user } => admin::forget(&db, user),
        Command::Centre { action } => centre::execute(action),
        Command::Import(args) => import::run(&args, loaded),
        Command::Backup { db, out } => maintenance::backup(&db, &out),
        Command::Check {
            db,
            rebuild_counters,
        } => maintenance::check(&db, rebuild_counters),
        Command::Console { settings, user } => {
            let app = crate::app::start(&settings, &loaded.config)?;
            let stdin = std::io::stdin();
            crate::console::run(
                &app.store,
                &app.runtime,
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
        } => multi_db::report(
            &settings,
            &report::ReportArgs {
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
        } => admin::grant(&db, user, role, centre.as_deref(), &name),
        Command::Users { db } => admin::list_users(&db),
        Command::Audit { db, centre, limit } => admin::print_audit(&db, centre.as_deref(), limit),
        Command::Dialogs {
            action: DialogsAction::Export { dir, force },
        } => maintenance::export_dialogs(&dir, force),
        Command::Health { url } => maintenance::health(url, &loaded.config),
        Command::CheckDialogs { dir } => {
            // Without a folder on the command line, the folder the bot would use.
            maintenance::check_dialogs(dir.or_else(|| loaded.config.dialogs.clone()))
        }
    }
}
