//! The inbox: Telegram updates stored before the next `getUpdates` acknowledges them, and
//! the poll offset, so that an update survives a crash between fetching and handling.

use super::tables::{meta_keys, INBOX};
use super::{meta, StoreError, Tx};
use redb::ReadableTable;

impl Tx<'_> {
    /// The `offset` to pass to the next `getUpdates` (0 on a new database).
    pub fn poll_offset(&self) -> Result<i64, StoreError> {
        Ok(meta::get(self.txn, meta_keys::POLL_OFFSET)?.unwrap_or(0))
    }

    /// Stores fetched updates (raw JSON by update id) not seen before and sets the next
    /// offset. Updates with an id below the stored offset were seen already and are skipped.
    /// Returns how many were new.
    pub fn enqueue_updates(
        &mut self,
        updates: &[(i64, String)],
        next_offset: i64,
    ) -> Result<usize, StoreError> {
        let offset = self.poll_offset()?;
        let mut added = 0;
        {
            let mut inbox = self.txn.open_table(INBOX)?;
            for (id, raw) in updates {
                // Below the offset means Telegram delivered it before and it was stored (and
                // maybe already handled and removed): storing it again would count it twice.
                if *id < offset || inbox.get(*id)?.is_some() {
                    continue;
                }
                inbox.insert(*id, raw.as_str())?;
                added += 1;
            }
        }
        // The offset never moves back, even if a caller passes a stale one.
        meta::put(self.txn, meta_keys::POLL_OFFSET, &offset.max(next_offset))?;
        Ok(added)
    }

    /// Up to `limit` unprocessed updates, oldest first.
    pub fn pending_updates(&self, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        pending_in(&self.txn.open_table(INBOX)?, limit)
    }

    /// Marks an update processed (removes it from the inbox).
    pub fn finish_update(&mut self, update_id: i64) -> Result<(), StoreError> {
        let mut inbox = self.txn.open_table(INBOX)?;
        inbox.remove(update_id)?;
        Ok(())
    }
}

/// Up to `limit` rows of an inbox table, oldest first (for `Tx` and `Snapshot` alike).
pub(super) fn pending_in(
    inbox: &impl ReadableTable<i64, &'static str>,
    limit: usize,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut pending = Vec::new();
    for entry in inbox.iter()?.take(limit) {
        let (id, raw) = entry?;
        pending.push((id.value(), raw.value().to_owned()));
    }
    Ok(pending)
}
