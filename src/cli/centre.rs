//! `rollcall centre rename OLD NEW` and `rollcall centre merge A B`: the supervisors'
//! `/centres` changes from the command line (the bot stopped, redb allowing one process
//! per file), through the same store calls and with the same audit entries (actor 0, the
//! command line).

use crate::centre_change::CentreMerge;
use crate::dialog::parse;
use crate::domain::CentreId;
use crate::store::Store;
use anyhow::{bail, Context};
use clap::Subcommand;
use std::path::{Path, PathBuf};

/// What `rollcall centre` does.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum CentreAction {
    /// Rename a centre; its people, classes, sessions and hand-ins stay with it.
    Rename {
        /// The database file.
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// The centre's name now (case, spacing and diacritics aside).
        old: String,
        /// Its new name.
        new: String,
    },
    /// Merge centre A into centre B: A's people, classes, sessions, hand-ins and group
    /// chats move to B, whose reports of earlier periods become the sum of the two; A no
    /// longer exists. B's report-document texts and deadline reminder are kept, A's
    /// dropped (they stay in the audit log).
    Merge {
        /// The database file.
        #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
        db: PathBuf,
        /// The centre that is merged (and disappears).
        from: String,
        /// The centre it is merged into.
        into: String,
        /// Only print what would move.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs one `rollcall centre` action.
pub fn execute(action: CentreAction) -> anyhow::Result<()> {
    match action {
        CentreAction::Rename { db, old, new } => rename(&db, &old, &new),
        CentreAction::Merge {
            db,
            from,
            into,
            dry_run,
        } => merge(&db, &from, &into, dry_run),
    }
}

fn open(db: &Path) -> anyhow::Result<Store> {
    if !db.is_file() {
        bail!("{} does not exist or is not a file", db.display());
    }
    Store::open(db).with_context(|| format!("opening the database {}", db.display()))
}

/// The centre whose name reads like `name` (case, spacing and diacritics aside).
fn centre_named(store: &Store, name: &str) -> anyhow::Result<(CentreId, String)> {
    let wanted = parse::fold(name);
    let centres = store.read(|tx| tx.centres())?;
    centres
        .iter()
        .find(|(_, known)| parse::fold(known) == wanted)
        .cloned()
        .with_context(|| {
            let known: Vec<&str> = centres.iter().map(|(_, n)| n.as_str()).collect();
            format!("no centre called {name:?}; centres: {}", known.join(", "))
        })
}

fn rename(db: &Path, old: &str, new: &str) -> anyhow::Result<()> {
    let store = open(db)?;
    let (centre, old_name) = centre_named(&store, old)?;
    let (new_name, _) = parse::class_name(new);
    if new_name.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        bail!("a centre's name needs at least two letters or digits");
    }
    let changed = store
        .write(|tx| tx.rename_centre(centre, &new_name, 0, chrono::Utc::now()))
        .with_context(|| format!("renaming {old_name:?}"))?;
    if changed {
        println!("renamed centre {centre}: {old_name} → {new_name}");
    } else {
        println!("centre {centre} is already called {old_name}; nothing changed");
    }
    Ok(())
}

fn merge(db: &Path, from: &str, into: &str, dry_run: bool) -> anyhow::Result<()> {
    let store = open(db)?;
    let (source, _) = centre_named(&store, from)?;
    let (target, _) = centre_named(&store, into)?;
    if source == target {
        bail!("{from:?} and {into:?} are the same centre");
    }
    if dry_run {
        let preview = store.read(|tx| tx.centre_merge_preview(source, target))?;
        print!("{}", describe(&preview, "would move"));
        return Ok(());
    }
    let done = store.write(|tx| tx.merge_centres(source, target, 0, chrono::Utc::now()))?;
    print!("{}", describe(&done, "moved"));
    println!(
        "merged centre {source} ({}) into centre {target} ({})",
        done.from_name, done.into_name
    );
    Ok(())
}

/// What a merge moves, a line per kind.
fn describe(merge: &CentreMerge, verb: &str) -> String {
    let mut out = format!(
        "{} → {}: {verb} {} member(s), {} class(es), {} session(s), {} deleted session(s), {} hand-in(s), {} group chat(s)\n",
        merge.from_name,
        merge.into_name,
        merge.members,
        merge.classes,
        merge.sessions,
        merge.deleted_sessions,
        merge.handins,
        merge.group_chats
    );
    for class in &merge.renamed_classes {
        out.push_str(&format!(
            "  class renamed ({}): {} → {}\n",
            class.group, class.old, class.new
        ));
    }
    if merge.documents_dropped {
        out.push_str(&format!(
            "  the report-document texts of {} are dropped; those of {} are kept\n",
            merge.from_name, merge.into_name
        ));
    }
    if merge.deadline_dropped {
        out.push_str(&format!(
            "  the deadline reminder of {} is dropped; that of {} is kept\n",
            merge.from_name, merge.into_name
        ));
    }
    out
}
