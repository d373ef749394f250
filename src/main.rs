//! The `rollcall` binary: parses the command line, sets up logging, runs the subcommand.

use clap::Parser;
use rollcall::cli::{execute, Cli};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match execute(Cli::parse().command) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rollcall: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
