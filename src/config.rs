//! Settings shared by the subcommands: where the data and dialogs are, and the time
//! zone. Each can be given as a flag or an environment variable.

use clap::Args;
use std::path::PathBuf;

/// Where rollcall keeps its data and finds its dialogs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// The redb database file (created if missing).
    #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
    pub db: PathBuf,
    /// The folder with the dialog files.
    #[arg(long, env = "ROLLCALL_DIALOGS", default_value = "dialogs")]
    pub dialogs: PathBuf,
    /// The time zone that decides what "today" is for the centres.
    #[arg(long, env = "ROLLCALL_ZONE", default_value = "Asia/Ho_Chi_Minh")]
    pub zone: chrono_tz::Tz,
}
