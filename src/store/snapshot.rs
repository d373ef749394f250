//! Read-only snapshots for the hot reads of the bot's loops: they run beside the writer
//! instead of queueing for its slot as `Store::read` does.

use super::tables::{DRAFT_NUDGES, FILE_FETCHES, INBOX, OUTBOX};
use super::{QueuedRow, StoreError};
use redb::ReadTransaction;

/// A consistent view of the database as of the moment it was taken (`Store::snapshot`).
///
/// Only the few reads the loops make on every round are here; everything else reads
/// through `Tx`, whose one type serves reads and writes alike. Each method shares its
/// body with the `Tx` method of the same name (the `*_in` functions).
pub struct Snapshot<'a> {
    pub(super) txn: &'a ReadTransaction,
}

impl std::fmt::Debug for Snapshot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot").finish_non_exhaustive()
    }
}

impl Snapshot<'_> {
    /// Up to `limit` unprocessed updates, oldest first (as `Tx::pending_updates`).
    pub fn pending_updates(&self, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        match self.txn.open_table(INBOX) {
            Ok(inbox) => super::inbox::pending_in(&inbox, limit),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// Up to `limit` outbox rows after sequence number `after` (as `Tx::outbox_after`).
    pub fn outbox_after(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<QueuedRow>, StoreError> {
        match self.txn.open_table(OUTBOX) {
            Ok(outbox) => super::maintenance::outbox_after_in(&outbox, after, limit),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// Up to `limit` sent files waiting to be read, oldest first (as `Tx::file_fetches`).
    pub fn file_fetches(&self, limit: usize) -> Result<Vec<(u64, super::FileFetch)>, StoreError> {
        match self.txn.open_table(FILE_FETCHES) {
            Ok(table) => super::import::file_fetches_in(&table, limit),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// The instant of the earliest draft nudge waiting (as `Tx::next_nudge`).
    pub fn next_nudge(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        match self.txn.open_table(DRAFT_NUDGES) {
            Ok(table) => super::entry_checks::next_nudge_in(&table),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
