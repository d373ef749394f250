//! Keeping the bot's files sound: backup, check, export, the health probe, the
//! configuration check and the dialog files.

use super::ExportFormat;
use crate::app::load_catalog;
use crate::config::config_problem;
use crate::store::Store;
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

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
pub(super) fn export_dialogs(dir: &Path, force: bool) -> anyhow::Result<()> {
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

/// Opens an existing database (never creates one) for the maintenance subcommands.
pub(super) fn open_existing(db: &Path) -> anyhow::Result<Store> {
    if !db.is_file() {
        bail!("{} does not exist or is not a file", db.display());
    }
    Store::open(db).with_context(|| format!("opening the database {}", db.display()))
}

/// `rollcall backup`: copies the database while holding it open (so the bot cannot run
/// meanwhile), then opens the copy and checks its integrity.
pub(super) fn backup(db: &Path, out: &Path) -> anyhow::Result<()> {
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
pub(super) fn check(db: &Path, rebuild_counters: bool) -> anyhow::Result<()> {
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
    println!(
        "classes: {} (and {} merged into others)",
        counts.classes, counts.merged_classes
    );
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
pub(super) fn health(url: Option<String>, config: &crate::config::Config) -> anyhow::Result<()> {
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
pub(super) fn config_check(loaded: &crate::config::Loaded) -> anyhow::Result<()> {
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
pub(super) fn export(db: &Path, format: ExportFormat, out: Option<&Path>) -> anyhow::Result<()> {
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

/// `rollcall check-dialogs [DIR]`: the dialog files compiled, or every problem listed.
pub(super) fn check_dialogs(dir: Option<PathBuf>) -> anyhow::Result<()> {
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
