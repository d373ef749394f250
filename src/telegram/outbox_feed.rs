//! The outbox between the store thread and the sender, without a store call of the
//! sender's own per message: after each commit of the processor, the store thread reads
//! the rows just queued (`fetch`) and hands them over, waking the sender; the sender hands
//! delivered rows back (`delivered`), and they are removed in the processor's next
//! transaction or, if none comes within the sender's `REMOVE_AFTER`, in a commit of their
//! own (and at the sender's loads and its stop).
//!
//! Rows are handed over only after the commit that queued them returned, so a reply is
//! still never sent before its step is durable. A delivered row that is not removed yet
//! when the bot crashes is sent again after the restart, as before: delivery is at least
//! once.

use crate::store::{QueuedRow, Store, StoreError, Tx};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// The shared state; cloned handles share it.
#[derive(Debug, Clone, Default)]
pub struct OutboxFeed {
    shared: Arc<Mutex<Feed>>,
    /// Wakes the sender when rows were handed over.
    ready: Arc<Notify>,
    /// Wakes the sender to read the outbox itself: other writers than the processor
    /// (reminders, nudges, menus) queued rows.
    written: Arc<Notify>,
}

#[derive(Debug, Default)]
struct Feed {
    /// The last row read for the sender; rows are only ever appended above it.
    cursor: Option<u64>,
    /// Rows read for the sender and not taken yet.
    fetched: Vec<QueuedRow>,
    /// How many more rows the sender may hold (it keeps at most `MAX_LOADED`).
    room: usize,
    /// Rows the sender is done with (delivered, or refused for good), not removed yet.
    delivered: Vec<u64>,
}

impl OutboxFeed {
    /// A feed for a sender that holds at most `room` rows.
    pub fn new(room: usize) -> OutboxFeed {
        OutboxFeed {
            shared: Arc::new(Mutex::new(Feed {
                room,
                ..Feed::default()
            })),
            ready: Arc::new(Notify::new()),
            written: Arc::new(Notify::new()),
        }
    }

    /// What other writers than the processor notify after they queued rows.
    pub fn written(&self) -> Arc<Notify> {
        self.written.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Feed> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ----- The store thread's side -----

    /// Reads the rows queued after the last one handed over (as many as the sender has
    /// room for) and, if there were any, wakes the sender. Call it on the store thread
    /// after a commit returned.
    pub fn fetch(&self, store: &Store) -> Result<(), StoreError> {
        let mut feed = self.lock();
        let room = feed.room.saturating_sub(feed.fetched.len());
        if room == 0 {
            return Ok(());
        }
        let after = feed.cursor;
        let rows = store.read(|s| s.outbox_after(after, room))?;
        let Some((last, _)) = rows.last() else {
            return Ok(());
        };
        feed.cursor = Some(*last);
        feed.fetched.extend(rows);
        drop(feed);
        self.ready.notify_one();
        Ok(())
    }

    /// Takes the delivered rows, for a transaction to remove (`remove_in`); give them
    /// back (`give_back`) if it fails.
    pub fn take_delivered(&self) -> Vec<u64> {
        std::mem::take(&mut self.lock().delivered)
    }

    /// Returns rows taken by `take_delivered` whose removal was not committed.
    pub fn give_back(&self, seqs: Vec<u64>) {
        if !seqs.is_empty() {
            self.lock().delivered.extend(seqs);
        }
    }

    /// Removes every delivered row in a commit of its own, not flushed to disk: a removal
    /// lost in a crash only means that message is sent again, and the next durable commit
    /// makes it durable.
    pub fn remove_delivered(&self, store: &Store) -> Result<(), StoreError> {
        let seqs = self.take_delivered();
        if seqs.is_empty() {
            return Ok(());
        }
        match store.write_unsynced(|tx| remove_in(tx, &seqs)) {
            Ok(((), _)) => {
                tracing::debug!(
                    count = seqs.len(),
                    "delivered messages removed from the outbox"
                );
                Ok(())
            }
            Err(error) => {
                self.give_back(seqs);
                Err(error)
            }
        }
    }

    // ----- The sender's side -----

    /// Takes the rows handed over, and says how many the sender may hold after them.
    pub fn take(&self, room_after: impl FnOnce(usize) -> usize) -> Vec<QueuedRow> {
        let mut feed = self.lock();
        let rows = std::mem::take(&mut feed.fetched);
        feed.room = room_after(rows.len());
        rows
    }

    /// Puts rows taken by `take` back in front of the rows still to be taken (a test's way
    /// to leave a row handed over but not taken).
    #[cfg(test)]
    pub fn give_back_fetched(&self, mut rows: Vec<QueuedRow>) {
        let mut feed = self.lock();
        rows.append(&mut feed.fetched);
        feed.fetched = rows;
    }

    /// Hands back a row the sender is done with, for removal, and says how many rows the
    /// sender may hold now.
    pub fn delivered(&self, seq: u64, room: usize) {
        let mut feed = self.lock();
        feed.delivered.push(seq);
        feed.room = room;
    }

    /// Whether delivered rows wait for removal.
    pub fn has_delivered(&self) -> bool {
        !self.lock().delivered.is_empty()
    }

    /// Waits until rows were handed over (a permit is kept if none waits).
    pub async fn wait(&self) {
        self.ready.notified().await;
    }

    /// Waits until another writer queued rows (a permit is kept if none waits).
    pub async fn wait_written(&self) {
        self.written.notified().await;
    }
}

/// Removes delivered rows inside `tx`.
pub fn remove_in(tx: &mut Tx<'_>, seqs: &[u64]) -> Result<(), StoreError> {
    if seqs.is_empty() {
        return Ok(());
    }
    tx.remove_outgoing_all(seqs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outgoing::{OutOp, Outgoing};

    fn message(text: &str) -> Outgoing {
        Outgoing {
            chat: 1,
            op: OutOp::Message {
                html: text.to_owned(),
                keyboard: None,
            },
        }
    }

    fn texts(rows: &[QueuedRow]) -> Vec<String> {
        rows.iter()
            .map(|(_, row)| match row {
                Ok(Outgoing {
                    op: OutOp::Message { html, .. },
                    ..
                }) => html.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn rows_are_handed_over_once_in_order_within_the_room_and_removed_when_delivered() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        let feed = OutboxFeed::new(2);
        store
            .write(|tx| {
                for text in ["a", "b", "c"] {
                    tx.push_outgoing(&message(text))?;
                }
                Ok(())
            })
            .expect("queued");
        feed.fetch(&store).expect("fetched");
        feed.fetch(&store).expect("nothing more: no room");
        let first = feed.take(|taken| 2 - taken);
        assert_eq!(texts(&first), vec!["a", "b"]);
        // The sender finished one row: room for one more, which is "c", once.
        feed.delivered(first[0].0, 1);
        feed.fetch(&store).expect("fetched");
        feed.fetch(&store).expect("fetched");
        let second = feed.take(|_| 1);
        assert_eq!(texts(&second), vec!["c"]);
        // A failed removal gives the rows back; a later one removes them.
        let taken = feed.take_delivered();
        assert_eq!(taken, vec![first[0].0]);
        feed.give_back(taken);
        feed.remove_delivered(&store).expect("removed");
        let left = store.read(|s| s.outbox_after(None, 10)).expect("read");
        assert_eq!(texts(&left), vec!["b", "c"]);
        assert!(feed.take_delivered().is_empty());
    }
}
