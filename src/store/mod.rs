//! The only code that touches redb: typed tables, schema version, migrations, and a
//! domain-worded API (`save_session`, `group_totals`, ...).
//!
//! Every call blocks on disk I/O: the running bot makes its calls on one thread of their
//! own (`thread.rs`, `StoreThread`), fed by a channel; other async code uses `spawn_blocking`.
//!
//! Reads are written once, on [`View`] (`view.rs`): a read snapshot (`Store::read`) and a
//! write transaction (`Tx`, which dereferences to its view) read through the same methods.
//! Writes are `Tx`'s own. Both are spread over one file per concern: `inbox.rs`, `chats.rs`,
//! `centres.rs`, `classes.rs`, `sessions.rs`, `edits.rs` (edit, delete, restore),
//! `counters.rs` (the report's counters), `documents.rs`
//! (the written parts of the report document), `outbox.rs`, `members.rs` (people, supervisors,
//! group links), `invites.rs`, `audit.rs`, `reminders.rs`, `handins.rs` (reports handed in
//! to the education office), `centre_changes.rs` (renaming and merging centres) and
//! `report_jobs.rs` (report files waiting to be built). Table definitions live in
//! `tables.rs`, versioning in `schema.rs`, value encoding in `codec.rs`. The store's one
//! on-disk part outside redb is `spool.rs`: the report files waiting to be sent, in a
//! folder beside the database file, so that the store thread never handles their bytes.

mod activity;
mod audit;
mod by_id;
mod centre_changes;
mod centres;
mod chats;
mod classes;
mod codec;
mod counters;
mod documents;
mod edits;
mod entry_checks;
mod handins;
// Bringing in past sessions from a spreadsheet (issue 15).
mod import;
mod inbox;
pub mod invites;
mod listing;
mod lookup;
mod maintenance;
mod members;
mod meta;
// Copies of a database another process may hold open, for reports over several files.
mod copy;
pub use copy::{CopyKind, OpenedCopy};
// Operations support (metrics samples, export, erasure); added with issue 9.
mod ops;
pub use ops::{Forgotten, OpsSample};
mod outbox;
pub use outbox::EncodedOutgoing;
mod reminders;
mod report_jobs;
pub mod retention;
mod roll_up_counters;
pub use reminders::{DeadlineRecord, ReminderRecord};
pub use report_jobs::{ReportJob, ReportJobKind};
mod schema;
mod sessions;
// Report files waiting to be sent, beside the database rather than in it.
mod spool;
pub use spool::Spool;
mod tables;
pub mod thread;
mod view;

pub use chats::{StoredChat, CHAT_STATE_VERSION};
pub use classes::{ClassCount, Merged};
pub use edits::{DeletedSession, Edited, SessionChanges, DELETED_RETENTION_DAYS};
pub use handins::NewHandIn;
pub use maintenance::{Counts, QueuedRow};
pub use thread::{Desk, Duty, StoreThread};
pub use view::{Snapshot, Source, View};

use redb::{Database, ReadableDatabase, WriteTransaction};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::watch;

/// The most memory redb may use to cache the file's pages (see `Store::open`).
pub const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// The schema version this binary writes. Older files are migrated on open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 6;

/// Errors of the store, for the edges to report.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {path} was written by a newer rollcall (schema {found}, this binary knows up to {supported}); upgrade rollcall")]
    NewerSchema {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("the database {path} is already open in another process (is the bot running?)")]
    AlreadyOpen { path: String },
    #[error("database error: {0}")]
    Db(String),
    #[error("stored record could not be decoded: {0}")]
    Decode(String),
    #[error("report file spool: {0}")]
    Spool(String),
}

/// An open rollcall database.
#[derive(Debug, Clone)]
pub struct Store {
    /// Shared so that clones (one per task) use the one open file.
    db: Arc<Database>,
    /// For error messages.
    path: String,
    /// Which commits are on disk (see `write_unsynced`).
    durability: Arc<DurabilityMark>,
    /// Counts the commits that queued a report job (see `report_jobs_queued`).
    report_jobs: Arc<watch::Sender<u64>>,
    /// The folder beside the file where report files wait to be sent (`spool.rs`).
    spool: Spool,
}

/// The place of a commit in the order of this process's commits, to learn when it is
/// durable (`Store::durable_commits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CommitNumber(pub u64);

/// Counts commits and publishes the number of the last durable one.
///
/// A watch channel rather than a condition variable because the one waiting is async
/// (the poller); sending on it needs no runtime, so the store stays usable without one.
#[derive(Debug)]
struct DurabilityMark {
    /// The number of the last commit made (only ever changed under redb's write lock,
    /// so numbers follow the order in which redb commits).
    last: AtomicU64,
    /// The number of the last durable commit: every commit up to it is on disk.
    durable: watch::Sender<u64>,
}

impl Store {
    /// Opens (or creates) the database at `path`, repairing it after a crash and migrating it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        // The callback runs during `create` when the file was not closed cleanly. It may run
        // many times (it reports progress), so it only records that a repair happened and
        // the warning is logged once, below.
        let repaired = Arc::new(AtomicBool::new(false));
        let mut builder = redb::Builder::new();
        // redb caches up to 1 GiB of pages by default, and keeps them: one roll-up over
        // years of a million sessions would leave the bot at ~110 MB for good. The file's
        // pages stay in the operating system's page cache anyway, so a small cache costs
        // little speed and keeps the bot small next to other services on a Raspberry Pi.
        builder.set_cache_size(CACHE_BYTES);
        {
            let repaired = Arc::clone(&repaired);
            let shown = shown.clone();
            builder.set_repair_callback(move |session| {
                if !repaired.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        path = %shown,
                        progress = session.progress(),
                        "database was not closed cleanly; repairing it"
                    );
                }
            });
        }
        let db = builder.create(path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => StoreError::AlreadyOpen {
                path: shown.clone(),
            },
            other => StoreError::Db(format!("cannot open {shown}: {other}")),
        })?;
        if repaired.load(Ordering::Relaxed) {
            tracing::warn!(path = %shown, "database repaired after an unclean shutdown");
        }

        let mut txn = db.begin_write()?;
        txn.set_quick_repair(true);
        match schema::upgrade(&txn, &shown) {
            Ok(found) => {
                txn.commit()?;
                match found {
                    None => {
                        tracing::info!(path = %shown, version = SCHEMA_VERSION, "created database")
                    }
                    Some(v) if v < SCHEMA_VERSION => {
                        tracing::info!(path = %shown, from = v, to = SCHEMA_VERSION, "migrated database")
                    }
                    Some(_) => tracing::debug!(path = %shown, "opened database"),
                }
            }
            Err(e) => {
                txn.abort()?;
                return Err(e);
            }
        }
        Ok(Store {
            db: Arc::new(db),
            path: shown,
            durability: Arc::new(DurabilityMark {
                last: AtomicU64::new(0),
                durable: watch::Sender::new(0),
            }),
            report_jobs: Arc::new(watch::Sender::new(0)),
            spool: Spool::beside(path),
        })
    }

    /// The spool of report files beside the database file.
    pub fn spool(&self) -> &Spool {
        &self.spool
    }

    /// Removes the spool's files that no outbox row references and the partly written
    /// ones left by a crash; returns how many were removed. Run it at start, before the
    /// report worker and the sender (a file the worker wrote and has not committed yet
    /// would look like an orphan). Paths that delete outbox rows without the sender
    /// (none today but the sender's own "not understood" rows) leave their files to it.
    pub fn sweep_spool(&self) -> Result<usize, StoreError> {
        let referenced = self.read(|view| view.spooled_files())?;
        let removed = self.spool.sweep(&referenced).map_err(|error| {
            StoreError::Spool(format!("{}: {error}", self.spool.dir().display()))
        })?;
        if removed > 0 {
            tracing::info!(removed, "spool: removed report files no message refers to");
        }
        Ok(removed)
    }

    /// The bytes of a file to send, from the row or from the spool (the console, tests).
    /// Blocks on disk I/O for a spooled file.
    pub fn file_bytes(&self, body: &crate::outgoing::FileBody) -> Result<Vec<u8>, StoreError> {
        match body {
            crate::outgoing::FileBody::Inline(bytes) => Ok(bytes.to_vec()),
            crate::outgoing::FileBody::Spooled(spooled) => self
                .spool
                .read(spooled)
                .map_err(|error| StoreError::Spool(format!("{}: {error}", spooled.name))),
        }
    }

    /// The path the store was opened from, as shown in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Runs `f` in one write transaction and commits it (durably) if `f` returns `Ok`.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.commit(redb::Durability::Immediate, f)
            .map(|(value, _)| value)
    }

    /// Like `write`, and returns the commit's number too (see `durable_commits`).
    pub fn write_numbered<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<(T, CommitNumber), StoreError> {
        self.commit(redb::Durability::Immediate, f)
    }

    /// Like `write`, but the commit is not flushed to disk (redb's `Durability::None`): it
    /// costs no fsync and becomes durable with the next durable commit (every `write`). A
    /// crash before that loses it, so it is only for changes whose loss is harmless:
    ///
    /// - the sender's removal of delivered outbox rows (lost, they are sent again:
    ///   delivery is at least once anyway), which keeps an fsync per delivered batch off
    ///   the single writer;
    /// - the poller's fetched batch, which Telegram keeps until the next `getUpdates`: the
    ///   poller waits (with the returned number and `durable_commits`) until the
    ///   processor's durable commit of the same updates has made it durable, so a step
    ///   costs one fsync instead of two. See BENCHMARKS.md.
    pub fn write_unsynced<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<(T, CommitNumber), StoreError> {
        self.commit(redb::Durability::None, f)
    }

    /// The number of the last durable commit, updated as commits land: every commit whose
    /// number is at most this is on disk.
    pub fn durable_commits(&self) -> watch::Receiver<u64> {
        self.durability.durable.subscribe()
    }

    /// Changes after every commit that queued a report job (`Tx::queue_report_job`) or a
    /// report's table (`Tx::queue_report_table`, after which its files are due), so the
    /// report worker wakes when there is work and sleeps otherwise.
    pub fn report_jobs_queued(&self) -> watch::Receiver<u64> {
        self.report_jobs.subscribe()
    }

    /// Makes every earlier commit durable: an empty durable commit (redb writes the pending
    /// non-durable commits out with it).
    pub fn sync(&self) -> Result<(), StoreError> {
        self.write(|_| Ok(()))
    }

    /// Runs `f` in one write transaction committed with `durability` if `f` returns `Ok`.
    fn commit<T>(
        &self,
        durability: redb::Durability,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<(T, CommitNumber), StoreError> {
        let mut txn = self.db.begin_write()?;
        // Quick repair saves the allocator state with each commit, so that reopening after
        // a crash (a power cut on a Raspberry Pi) is almost instant instead of a full scan.
        txn.set_quick_repair(true);
        txn.set_durability(durability)
            .map_err(|e| StoreError::Db(e.to_string()))?;
        let mut tx = Tx::new(&txn);
        let result = f(&mut tx);
        let report_work_queued = tx.report_work_queued;
        match result {
            Ok(value) => {
                // Numbered while this transaction still holds redb's single write slot, so
                // numbers follow redb's commit order (a number lost to a failed commit is
                // only a gap).
                let number = self.durability.last.fetch_add(1, Ordering::SeqCst) + 1;
                txn.commit()?;
                if report_work_queued {
                    self.report_jobs
                        .send_modify(|count| *count = count.wrapping_add(1));
                }
                if matches!(durability, redb::Durability::Immediate) {
                    self.durability.durable.send_if_modified(|durable| {
                        let moved = number > *durable;
                        *durable = (*durable).max(number);
                        moved
                    });
                }
                Ok((value, CommitNumber(number)))
            }
            Err(e) => {
                // The error of `f` is the one worth reporting; a failing abort only means the
                // changes are discarded anyway.
                if let Err(abort) = txn.abort() {
                    tracing::warn!(error = %abort, "aborting a failed transaction failed");
                }
                Err(e)
            }
        }
    }

    /// Runs `f` on a read-only snapshot (redb's MVCC read transaction): it sees every
    /// commit made before it began, durable or not, and neither waits for nor blocks the
    /// writer, so every read-only path (reports, listings, metrics, health, the loops'
    /// hot reads) runs beside the processor instead of queueing for its slot. Safe to call
    /// from inside a `write` closure too (it sees what was committed before that write).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Snapshot<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_read()?;
        f(&View { source: &txn })
    }

    /// How many commits this process has made (durable or not): a probe that must not
    /// write can be checked with it.
    pub fn commits(&self) -> u64 {
        self.durability.last.load(Ordering::SeqCst)
    }
}

/// One transaction: every change made through it commits together or not at all.
///
/// The writes are `Tx`'s own methods; every read is a method of its [`View`], which `Tx`
/// dereferences to, so a step reads what it has written so far.
pub struct Tx<'a> {
    txn: &'a WriteTransaction,
    view: View<&'a WriteTransaction>,
    /// Whether a report job (or a report's table, after which the files are due) was
    /// queued, to tell the report worker after the commit.
    report_work_queued: bool,
}

impl<'a> Tx<'a> {
    fn new(txn: &'a WriteTransaction) -> Tx<'a> {
        Tx {
            txn,
            view: View { source: txn },
            report_work_queued: false,
        }
    }
}

impl<'a> std::ops::Deref for Tx<'a> {
    type Target = View<&'a WriteTransaction>;

    fn deref(&self) -> &View<&'a WriteTransaction> {
        &self.view
    }
}

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn store_is_send_and_sync() {
        assert_send_sync::<Store>();
    }

    fn temporary() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        (dir, store)
    }

    #[test]
    fn an_unsynced_commit_is_durable_only_after_a_later_durable_commit() {
        let (_dir, store) = temporary();
        let durable = store.durable_commits();
        let before = *durable.borrow();
        let ((), first) = store
            .write_unsynced(|tx| tx.enqueue_updates(&[(7, "{}".to_owned())], 8).map(drop))
            .expect("stored");
        assert!(*durable.borrow() < first.0, "no durable commit came yet");
        let ((), second) = store.write_unsynced(|_| Ok(())).expect("committed");
        assert!(second > first, "numbers follow the commit order");
        assert_eq!(*durable.borrow(), before);
        store.sync().expect("synced");
        assert!(*durable.borrow() >= second.0);
    }

    #[test]
    fn a_failed_transaction_moves_no_durability_mark() {
        let (_dir, store) = temporary();
        store.sync().expect("synced");
        let durable = *store.durable_commits().borrow();
        let failed =
            store.write(|_| -> Result<(), StoreError> { Err(StoreError::Db("no".into())) });
        assert!(failed.is_err());
        assert_eq!(*store.durable_commits().borrow(), durable);
    }

    #[test]
    fn a_snapshot_sees_unsynced_commits_and_does_not_wait_for_the_writer() {
        let (_dir, store) = temporary();
        store
            .write_unsynced(|tx| {
                tx.enqueue_updates(&[(1, "{\"a\":1}".to_owned())], 2)
                    .map(drop)
            })
            .expect("stored");
        // A write transaction held open on another thread: a snapshot does not wait for it.
        let (held_tx, held) = std::sync::mpsc::channel();
        let (release_tx, release) = std::sync::mpsc::channel::<()>();
        let writer = {
            let store = store.clone();
            std::thread::spawn(move || {
                store
                    .write(|tx| {
                        tx.enqueue_updates(&[(2, "{}".to_owned())], 3)?;
                        held_tx.send(()).expect("test alive");
                        release.recv().expect("test alive");
                        Ok(())
                    })
                    .expect("written");
            })
        };
        held.recv().expect("writer started");
        let pending = store.read(|s| s.pending_updates(10)).expect("snapshot");
        assert_eq!(pending, vec![(1, "{\"a\":1}".to_owned())]);
        release_tx.send(()).expect("writer alive");
        writer.join().expect("writer");
        let pending = store.read(|s| s.pending_updates(10)).expect("snapshot");
        assert_eq!(pending.len(), 2);
    }
}
