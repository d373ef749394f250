//! The inbox: Telegram updates stored before the next `getUpdates` acknowledges them, and
//! the poll offset, so that an update survives a crash between fetching and handling.

use super::tables::{meta_keys, INBOX};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use redb::ReadableTable;

/// How far below the stored offset an update id still counts as one handled before.
/// Replays are of the last few updates; a new random sequence lands this close to the old
/// offset with a chance of about one in 20,000.
const REPLAY_WINDOW: i64 = 100_000;

impl<S: Source> View<S> {
    /// The `offset` to pass to the next `getUpdates` (0 on a new database).
    pub fn poll_offset(&self) -> Result<i64, StoreError> {
        Ok(meta::get(self.source, meta_keys::POLL_OFFSET)?.unwrap_or(0))
    }

    /// Up to `limit` unprocessed updates, oldest first.
    pub fn pending_updates(&self, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        let mut pending = Vec::new();
        for entry in self.table(INBOX)?.iter()?.take(limit) {
            let (id, raw) = entry?;
            pending.push((id.value(), raw.value().to_owned()));
        }
        Ok(pending)
    }
}

impl Tx<'_> {
    /// Stores fetched updates (raw JSON by update id) not seen before and sets the next
    /// offset. Returns how many were new.
    ///
    /// An update is a duplicate if it is in the inbox, or if its id is less than
    /// `REPLAY_WINDOW` below the stored offset (handled earlier: Telegram delivers again
    /// only the few updates it was not told about). An id further below is not a replay:
    /// after a week without updates Telegram starts the ids again from a random number,
    /// which may be lower than the ids before. Such an update is stored and the offset
    /// follows the new sequence down, instead of every update being ignored until the
    /// new ids pass the old offset.
    pub fn enqueue_updates(
        &mut self,
        updates: &[(i64, String)],
        next_offset: i64,
    ) -> Result<usize, StoreError> {
        let offset = self.poll_offset()?;
        let mut added = 0;
        let mut restarted = false;
        {
            let mut inbox = self.txn.open_table(INBOX)?;
            for (id, raw) in updates {
                let below = offset.saturating_sub(*id);
                if inbox.get(*id)?.is_some() || (1..=REPLAY_WINDOW).contains(&below) {
                    continue;
                }
                if below > REPLAY_WINDOW {
                    tracing::warn!(
                        update_id = *id,
                        offset,
                        "update ids started again lower (Telegram does so after a week without updates); following them"
                    );
                    restarted = true;
                }
                inbox.insert(*id, raw.as_str())?;
                added += 1;
            }
        }
        // The offset never moves back, even if a caller passes a stale one, except to
        // follow a restarted sequence.
        let new_offset = if restarted {
            next_offset
        } else {
            offset.max(next_offset)
        };
        meta::put(self.txn, meta_keys::POLL_OFFSET, &new_offset)?;
        Ok(added)
    }

    /// Marks an update processed (removes it from the inbox).
    pub fn finish_update(&mut self, update_id: i64) -> Result<(), StoreError> {
        let mut inbox = self.txn.open_table(INBOX)?;
        inbox.remove(update_id)?;
        Ok(())
    }
}
