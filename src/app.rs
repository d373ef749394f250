//! Starting the bot's parts from the configuration: the one place that loads the dialogs,
//! opens the Store and builds the Runtime and the options the loops run with, so that
//! `run`, `console` and `report` cannot drift apart in how they start.

use crate::config::{config_problem, Config, Settings};
use crate::dialog::{load_dir, load_embedded, Catalog};
use crate::runtime::Runtime;
use crate::store::Store;
use anyhow::Context;
use std::path::Path;
use std::sync::Arc;

/// What a started bot is made of; `run` hands it to the Telegram loops, `console` to the
/// terminal.
#[derive(Debug)]
pub struct App {
    pub store: Store,
    pub runtime: Runtime,
    /// The loops' options from the configuration: the zone, the clock, the reminders'
    /// grace and the retention. `run` adds the webhook, the long poll and the limits.
    pub options: crate::telegram::Options,
}

/// Loads the dialogs, opens (or creates) the database and builds the runtime and the
/// options from `settings` (flags over environment over file) and the configuration.
pub fn start(settings: &Settings, config: &Config) -> anyhow::Result<App> {
    let year_start = config.period_start().map_err(config_problem)?;
    let catalog = load_catalog(settings.dialogs.as_deref())?;
    let store = open_store(&settings.db)?;
    // Before any report worker or sender runs on this store: report files no outbox row
    // refers to (written by a worker that stopped before its commit, or whose rows were
    // removed by a path that leaves the files, like the console's) and partly written ones.
    // A spool that cannot be swept only keeps some dead files.
    if let Err(error) = store.sweep_spool() {
        tracing::error!(%error, "spool: cannot remove unreferenced report files");
    }
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
    let runtime = Runtime {
        catalog: Arc::new(catalog),
        bot_username: None,
        zone: settings.zone,
        year_start,
        entry: config.entry_rules(),
    };
    let options = crate::telegram::Options {
        webhook: None,
        zone: settings.zone,
        clock: crate::clock::Clock::from_env(),
        reminder_grace: config.reminder_grace(),
        retention: config.retention(),
        poll_timeout_secs: 25,
        send: crate::telegram::SenderOptions::default(),
    };
    Ok(App {
        store,
        runtime,
        options,
    })
}

/// Opens (or creates) the database, with a message that names the file.
pub fn open_store(db: &Path) -> anyhow::Result<Store> {
    Store::open(db).with_context(|| format!("opening the database {}", db.display()))
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
