//! A private copy of a database file that another process may be writing (a running bot),
//! for reports over several files (`rollcall report --db a.redb --db b.redb`): the original
//! is only ever read, and the report reads the copy.
//!
//! redb (4.x, in its default `ExclusiveWriter` mode, which the bot uses) lets no other
//! process open a file a writer holds, not even read-only: `ReadOnlyDatabase::open` fails
//! with `DatabaseAlreadyOpen`. So:
//!
//! - when no process holds the file, it is opened read-only (a shared lock, which keeps a
//!   writer out for the moment of the copy) and copied: the copy is exactly the file;
//! - when a bot holds it, the file is copied as it is, which a commit landing during the
//!   copy may tear; the copy is then opened (redb repairs what it sees as an unclean stop)
//!   and its integrity checked (redb checks the checksum of every page, which catches a
//!   page from another commit), and a copy that fails is taken again, up to
//!   `LIVE_ATTEMPTS` times. A copy that passes shows the file as of one commit.
//!
//! A copy opened by `Store::open` is migrated to this binary's schema like any file; the
//! original keeps its own.

use super::{Store, StoreError};
use std::path::Path;

/// How many times a copy of a file a bot is writing is taken before giving up.
const LIVE_ATTEMPTS: u32 = 3;

/// How the copy was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// No process held the file: copied under a shared lock, exactly as it was.
    Quiet,
    /// A process (a running bot) held the file: copied while it ran, then verified; the
    /// number of copies it took.
    Live { attempts: u32 },
    /// No process held the file, but it was not closed cleanly (a bot that crashed): the
    /// copy was repaired and verified.
    Unclean,
}

/// An opened copy and how it was taken.
#[derive(Debug)]
pub struct OpenedCopy {
    pub store: Store,
    pub kind: CopyKind,
}

impl Store {
    /// Copies the database `original` to `copy` (which must not exist) without writing to
    /// the original, and opens the copy. See the module documentation for how a file that
    /// a bot holds open is copied.
    pub fn open_copy(original: &Path, copy: &Path) -> Result<OpenedCopy, StoreError> {
        let shown = original.display().to_string();
        if !original.is_file() {
            return Err(StoreError::Db(format!(
                "{shown} does not exist or is not a file"
            )));
        }
        let read_only = redb::Builder::new().open_read_only(original);
        match read_only {
            Ok(handle) => {
                // The shared lock of the read-only handle keeps a writer out while copying.
                copy_file(original, copy)?;
                drop(handle);
                Ok(OpenedCopy {
                    store: Store::open(copy)?,
                    kind: CopyKind::Quiet,
                })
            }
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                let mut last_problem = String::new();
                for attempt in 1..=LIVE_ATTEMPTS {
                    match copy_and_verify(original, copy) {
                        Ok(store) => {
                            return Ok(OpenedCopy {
                                store,
                                kind: CopyKind::Live { attempts: attempt },
                            })
                        }
                        Err(problem) => {
                            tracing::warn!(path = %shown, attempt, %problem, "a copy of a database in use did not verify; copying again");
                            last_problem = problem.to_string();
                            remove_if_there(copy)?;
                        }
                    }
                }
                Err(StoreError::Db(format!(
                    "{shown} is in use and {LIVE_ATTEMPTS} copies of it did not verify \
                     (last: {last_problem}); report on a backup (`rollcall backup`) instead"
                )))
            }
            Err(redb::DatabaseError::RepairAborted) => {
                let store = copy_and_verify(original, copy)?;
                Ok(OpenedCopy {
                    store,
                    kind: CopyKind::Unclean,
                })
            }
            Err(other) => Err(StoreError::Db(format!("cannot read {shown}: {other}"))),
        }
    }
}

/// Copies `original` to `copy`, opens the copy and checks its integrity.
fn copy_and_verify(original: &Path, copy: &Path) -> Result<Store, StoreError> {
    copy_file(original, copy)?;
    let mut store = Store::open(copy)?;
    if store.check_integrity()? {
        Ok(store)
    } else {
        Err(StoreError::Db(format!(
            "the copy {} failed the integrity check",
            copy.display()
        )))
    }
}

fn copy_file(original: &Path, copy: &Path) -> Result<(), StoreError> {
    std::fs::copy(original, copy).map(drop).map_err(|e| {
        StoreError::Db(format!(
            "copying {} to {}: {e}",
            original.display(),
            copy.display()
        ))
    })
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::Db(format!("removing {}: {e}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(path: &Path) -> Store {
        let store = Store::open(path).expect("open");
        store
            .write(|tx| tx.ensure_centre("Tràng An").map(drop))
            .expect("written");
        store
    }

    #[test]
    fn a_file_nobody_holds_is_copied_as_it_is_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let original = dir.path().join("a.redb");
        drop(filled(&original));
        let before = std::fs::read(&original).expect("read");
        let opened = Store::open_copy(&original, &dir.path().join("copy.redb")).expect("copied");
        assert_eq!(opened.kind, CopyKind::Quiet);
        let centres = opened.store.read(|tx| tx.centres()).expect("read");
        assert_eq!(centres.len(), 1);
        assert_eq!(std::fs::read(&original).expect("read"), before, "untouched");
    }

    #[test]
    fn a_file_held_open_by_a_writer_is_copied_and_verified() {
        let dir = tempfile::tempdir().expect("temp dir");
        let original = dir.path().join("a.redb");
        // Held open, as a running bot holds its file (redb's locks are per open file, so
        // a second open in this process is refused like one in another process).
        let held = filled(&original);
        assert!(matches!(
            Store::open(&original),
            Err(StoreError::AlreadyOpen { .. })
        ));
        let opened = Store::open_copy(&original, &dir.path().join("copy.redb")).expect("copied");
        assert_eq!(opened.kind, CopyKind::Live { attempts: 1 });
        assert_eq!(opened.store.read(|tx| tx.centres()).expect("read").len(), 1);
        // The writer goes on undisturbed.
        held.write(|tx| tx.ensure_centre("Khác").map(drop))
            .expect("still writable");
    }

    #[test]
    fn a_copy_taken_while_commits_land_is_consistent_or_refused() {
        use crate::domain::{ClassChoice, NewSession};
        use chrono::{NaiveDate, TimeZone, Utc};
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;

        let dir = tempfile::tempdir().expect("temp dir");
        let original = dir.path().join("busy.redb");
        let held = filled(&original);
        let centre = held
            .read(|tx| tx.centre_by_name("Tràng An"))
            .expect("read")
            .expect("centre");
        let stop = Arc::new(AtomicBool::new(false));
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        // A writer committing sessions as fast as it can, as a busy bot would.
        let writer = {
            let (store, stop) = (held.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut saved = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    store
                        .write(|tx| {
                            for _ in 0..20 {
                                saved += 1;
                                tx.save_session(&NewSession {
                                    centre,
                                    organiser: 7,
                                    group: "law".to_owned(),
                                    class: ClassChoice::New {
                                        name: format!("Lớp {}", saved % 50),
                                        key: format!("lop {}", saved % 50),
                                    },
                                    date: NaiveDate::from_ymd_opt(2026, 1, 1 + saved % 28)
                                        .expect("date"),
                                    total: 30,
                                    female: 10,
                                    extra: Default::default(),
                                    created_at: Utc
                                        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                                        .single()
                                        .expect("instant"),
                                })?;
                            }
                            Ok(())
                        })
                        .expect("writer commits");
                    // The copies begin once the first commit has landed.
                    let _ = started_tx.send(());
                }
                saved
            })
        };
        started.recv().expect("the writer commits");
        let (mut verified, mut refused) = (0, 0);
        for i in 0..10 {
            let copy = dir.path().join(format!("copy-{i}.redb"));
            match Store::open_copy(&original, &copy) {
                Ok(opened) => {
                    assert!(matches!(opened.kind, CopyKind::Live { .. }));
                    // A copy that verified is one commit's state: its counters match
                    // its sessions, 20 sessions a commit.
                    let (consistent, counts) = opened
                        .store
                        .read(|tx| Ok((tx.counters_match_sessions()?, tx.counts()?)))
                        .expect("the copy reads");
                    assert!(consistent, "copy {i}: counters out of step with sessions");
                    assert_eq!(counts.sessions % 20, 0, "copy {i}: half a commit");
                    verified += 1;
                }
                // Every copy torn by a commit: refused with the advice, never read.
                Err(error) => {
                    assert!(error.to_string().contains("did not verify"), "{error}");
                    refused += 1;
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        let saved = writer.join().expect("writer");
        assert!(saved > 0);
        eprintln!("copies while writing: {verified} verified, {refused} refused, {saved} sessions written");
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("none.redb");
        let error =
            Store::open_copy(&missing, &dir.path().join("copy.redb")).expect_err("nothing to copy");
        assert!(error.to_string().contains("none.redb"), "{error}");
    }
}
