//! The `rollcall` binary: reads the configuration, parses the command line, sets up
//! logging, runs the subcommand.

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};
use rollcall::cli::{execute, Cli};
use rollcall::config::{apply_to_command, config_path, is_config_problem, Loaded, LogFormat};
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `--help` and `--version` answer before the configuration is read, so that they work
    // (and exit 0) even when the file or a ROLLCALL_* variable is broken. clap stops at
    // them while reading the arguments, before it looks at any environment variable.
    if let Err(error) = Cli::command().try_get_matches_from(&args) {
        if matches!(
            error.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        ) {
            error.exit();
        }
    }
    // The file comes first: its values become the flags' defaults (see `config.rs`).
    let loaded = match Loaded::from_env(config_path(&args).as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => return fail(&error, true),
    };
    let matches = apply_to_command(Cli::command(), &loaded.config).get_matches_from(&args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    init_logging(&loaded.config.log.level, cli.log_format);
    match execute(cli.command, &loaded) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error, is_config_problem(&error)),
    }
}

/// Prints the error on one line (its causes joined by ": ") and returns the exit code:
/// `EX_CONFIG` (78) for a configuration problem, which retrying cannot fix, else 1.
fn fail(error: &anyhow::Error, config: bool) -> ExitCode {
    eprintln!("rollcall: {error:#}");
    if config {
        ExitCode::from(rollcall::config::EX_CONFIG)
    } else {
        ExitCode::FAILURE
    }
}

/// Logs to standard error: `RUST_LOG` when set, else the configured level; one readable
/// line per event, or one JSON object per line for a log collector.
fn init_logging(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Human => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => builder.json().with_current_span(false).init(),
    }
}
