//! The only code that touches redb: typed tables, schema version, migrations, and a
//! domain-worded API (`save_session`, `group_totals`, ...).
//!
//! Every call blocks on disk I/O: async code calls it from `spawn_blocking`.
//!
//! The `Tx` methods are spread over one file per concern: `inbox.rs`, `chats.rs`,
//! `centres.rs`, `classes.rs`, `sessions.rs`, `edits.rs` (edit, delete, restore),
//! `counters.rs` (the report's counters), `outbox.rs`, `members.rs` (people, supervisors,
//! group links), `invites.rs`, `audit.rs` and `reminders.rs`. Table definitions live in
//! `tables.rs`, versioning in `schema.rs`, value encoding in `codec.rs`.

mod audit;
mod centres;
mod chats;
mod classes;
mod codec;
mod counters;
mod edits;
mod inbox;
pub mod invites;
mod listing;
mod lookup;
mod maintenance;
mod members;
mod meta;
// Operations support (metrics samples, export, erasure); added with issue 9.
mod ops;
pub use ops::{Forgotten, OpsSample};
mod outbox;
mod reminders;
pub use reminders::{DeadlineRecord, ReminderRecord};
mod schema;
mod sessions;
mod tables;

pub use edits::{DeletedSession, Edited, SessionChanges, DELETED_RETENTION_DAYS};
pub use maintenance::{Counts, QueuedRow};

use redb::{Database, WriteTransaction};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The schema version this binary writes. Older files are migrated on open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 3;

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
}

/// An open rollcall database.
#[derive(Debug, Clone)]
pub struct Store {
    /// Shared so that clones (one per task) use the one open file.
    db: Arc<Database>,
    /// For error messages.
    path: String,
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
        })
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
    }

    /// Like `write`, but the commit is not flushed to disk (redb's `Durability::None`): it
    /// costs no fsync and becomes durable with the next durable commit (every `write`). A
    /// crash before that loses it. Only for changes whose loss is harmless: the sender's
    /// removal of delivered outbox rows (lost, they are sent again: delivery is at least
    /// once anyway). It keeps an fsync per delivered batch off the single writer that the
    /// poller and the processor wait for (see BENCHMARKS.md).
    pub fn write_non_durable<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.commit(redb::Durability::None, f)
    }

    /// Runs `f` in one write transaction committed with `durability` if `f` returns `Ok`.
    fn commit<T>(
        &self,
        durability: redb::Durability,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut txn = self.db.begin_write()?;
        // Quick repair saves the allocator state with each commit, so that reopening after
        // a crash (a power cut on a Raspberry Pi) is almost instant instead of a full scan.
        txn.set_quick_repair(true);
        txn.set_durability(durability)
            .map_err(|e| StoreError::Db(e.to_string()))?;
        match f(&mut Tx { txn: &txn }) {
            Ok(value) => {
                txn.commit()?;
                Ok(value)
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

    /// Runs `f` in a transaction that is never committed (for reports and listings).
    ///
    /// It takes redb's single write slot like `write` does, so it waits for a running
    /// write and must not be called from inside another `write` or `read` closure.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // A write transaction (aborted) rather than a read transaction, so that `Tx` has one
        // type; anything `f` changes by mistake is thrown away.
        let txn = self.db.begin_write()?;
        let result = f(&mut Tx { txn: &txn });
        if let Err(abort) = txn.abort() {
            tracing::warn!(error = %abort, "aborting a read transaction failed");
        }
        result
    }
}

/// One transaction: every change made through it commits together or not at all.
pub struct Tx<'a> {
    txn: &'a WriteTransaction,
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
}
