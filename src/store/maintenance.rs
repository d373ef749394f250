//! Store support for the reliability machinery: paging and re-addressing the outbox for
//! the sender, the "is a bot running" mark that reveals an unclean stop, the counts and
//! integrity check behind `rollcall check`, and the consistent copy behind `rollcall backup`.

use super::codec::{decode, encode};
use super::tables::{meta_keys, CENTRES, CHATS, CLASSES, INBOX, OUTBOX, SESSIONS};
use super::view::{Source, View};
use super::{meta, Store, StoreError, Tx};
use crate::domain::ChatId;
use crate::outgoing::Outgoing;
use redb::{ReadableTable, ReadableTableMetadata};
use std::path::Path;

/// The `meta` key of the mark set while a bot runs on the file and cleared on a clean stop.
const RUNNING: &str = "bot_running";

/// The `meta` key of what the bot last set as its Telegram profile (menus, descriptions).
const TELEGRAM_PROFILE: &str = "telegram_profile";

/// How many records of each kind a database holds, for `rollcall check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub schema_version: u32,
    pub centres: u64,
    /// Classes in use (not merged into another).
    pub classes: u64,
    /// Classes merged into another, kept as tombstones (see `store/classes.rs`).
    pub merged_classes: u64,
    pub sessions: u64,
    pub chats: u64,
    /// Updates stored but not processed yet.
    pub inbox: u64,
    /// Bot API calls committed but not delivered yet.
    pub outbox: u64,
}

/// One queued outbox row; a row that no longer decodes is reported, not fatal, so that one
/// bad row cannot stop the sender.
pub type QueuedRow = (u64, Result<Outgoing, StoreError>);

impl<S: Source> View<S> {
    /// Up to `limit` queued messages with a sequence number above `after`, oldest first.
    pub fn outbox_after(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<QueuedRow>, StoreError> {
        let start = after.map_or(0, |seq| seq.saturating_add(1));
        let mut rows = Vec::new();
        for entry in self.table(OUTBOX)?.range(start..)?.take(limit) {
            let (seq, bytes) = entry?;
            rows.push((seq.value(), decode(bytes.value())));
        }
        Ok(rows)
    }

    /// What the bot last set as its menus and descriptions (an opaque text the Telegram
    /// side compares), if it ever did.
    pub fn telegram_profile(&self) -> Result<Option<String>, StoreError> {
        meta::get(self.source, TELEGRAM_PROFILE)
    }

    /// The schema version and the number of records of each kind.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        // A scan of the classes (tens per centre): `check` is a maintenance command.
        let mut merged_classes = 0;
        let classes = self.table(CLASSES)?;
        let all_classes = classes.len()?;
        for entry in classes.iter()? {
            let record: crate::domain::ClassRecord = super::codec::decode(entry?.1.value())?;
            if record.merged_into.is_some() {
                merged_classes += 1;
            }
        }
        Ok(Counts {
            schema_version: meta::get(self.source, meta_keys::SCHEMA_VERSION)?.unwrap_or(0),
            centres: self.table(CENTRES)?.len()?,
            classes: all_classes.saturating_sub(merged_classes),
            merged_classes,
            sessions: self.table(SESSIONS)?.len()?,
            chats: self.table(CHATS)?.len()?,
            inbox: self.table(INBOX)?.len()?,
            outbox: self.table(OUTBOX)?.len()?,
        })
    }
}

impl Tx<'_> {
    /// Re-addresses every queued row of chat `from` to chat `to` in place (same sequence
    /// numbers, so the order of the queue is kept). Returns the sequence numbers changed.
    pub fn readdress_outbox(&mut self, from: ChatId, to: ChatId) -> Result<Vec<u64>, StoreError> {
        let mut outbox = self.txn.open_table(OUTBOX)?;
        let mut moved = Vec::new();
        for entry in outbox.iter()? {
            let (seq, bytes) = entry?;
            // Rows that do not decode are left for the sender to report.
            if let Ok(message) = decode::<Outgoing>(bytes.value()) {
                if message.chat == from {
                    moved.push((
                        seq.value(),
                        Outgoing {
                            chat: to,
                            ..message
                        },
                    ));
                }
            }
        }
        for (seq, message) in &moved {
            outbox.insert(*seq, encode(message)?.as_slice())?;
        }
        Ok(moved.into_iter().map(|(seq, _)| seq).collect())
    }

    /// Removes delivered (or given up) rows in one go; unknown numbers are ignored. The
    /// sender deleted their spooled files before; any other caller leaves them for the
    /// sweep at the next start (`Store::sweep_spool`).
    pub fn remove_outgoing_all(&mut self, seqs: &[u64]) -> Result<(), StoreError> {
        let mut outbox = self.txn.open_table(OUTBOX)?;
        for seq in seqs {
            outbox.remove(*seq)?;
        }
        Ok(())
    }

    /// Marks the file as in use by a running bot. Returns `true` when the mark was already
    /// set: the previous bot did not stop cleanly (it crashed, was killed or lost power).
    pub fn mark_running(&mut self) -> Result<bool, StoreError> {
        let was_running = meta::get::<bool>(self.txn, RUNNING)?.unwrap_or(false);
        meta::put(self.txn, RUNNING, &true)?;
        Ok(was_running)
    }

    /// Records what was set as the menus and descriptions.
    pub fn set_telegram_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        meta::put(self.txn, TELEGRAM_PROFILE, &profile)
    }

    /// Clears the running mark on a clean stop.
    pub fn mark_stopped(&mut self) -> Result<(), StoreError> {
        meta::put(self.txn, RUNNING, &false)
    }
}

impl Store {
    /// Runs redb's integrity check (checksums of every page and tree). `Ok(true)`: the file
    /// was sound; `Ok(false)`: redb found damage and repaired the file to its last good
    /// commit. Needs the only handle on the store (no clone may be alive).
    pub fn check_integrity(&mut self) -> Result<bool, StoreError> {
        let db = std::sync::Arc::get_mut(&mut self.db).ok_or_else(|| {
            StoreError::Db("the integrity check needs the only handle on the store".to_owned())
        })?;
        db.check_integrity()
            .map_err(|e| StoreError::Db(format!("integrity check of {}: {e}", self.path)))
    }

    /// Copies the database file to `out` while this process holds it open, so no other
    /// process can write during the copy, and every commit is already on disk (commits are
    /// durable before they return). The copy goes to a temporary file first and is renamed
    /// into place, so `out` never holds half a copy. Returns the number of bytes copied.
    pub fn backup_to(&self, out: &Path) -> Result<u64, StoreError> {
        let io = |what: &str, e: std::io::Error| StoreError::Db(format!("{what}: {e}"));
        let name = out
            .file_name()
            .ok_or_else(|| StoreError::Db(format!("{} is not a file name", out.display())))?;
        let mut partial = name.to_owned();
        partial.push(".partial");
        let temporary = out.with_file_name(partial);
        let bytes = std::fs::copy(&self.path, &temporary).map_err(|e| {
            io(
                &format!("copying {} to {}", self.path, temporary.display()),
                e,
            )
        })?;
        std::fs::File::open(&temporary)
            .and_then(|file| file.sync_all())
            .map_err(|e| io(&format!("syncing {}", temporary.display()), e))?;
        std::fs::rename(&temporary, out).map_err(|e| {
            io(
                &format!("renaming {} to {}", temporary.display(), out.display()),
                e,
            )
        })?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outgoing::OutOp;

    fn message(chat: ChatId, text: &str) -> Outgoing {
        Outgoing {
            chat,
            op: OutOp::Message {
                html: text.to_owned(),
                keyboard: None,
            },
        }
    }

    #[test]
    fn outbox_pages_readdresses_in_place_and_removes_in_one_go() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        store
            .write(|tx| {
                for (chat, text) in [(-1, "a"), (2, "b"), (-1, "c"), (3, "d")] {
                    tx.push_outgoing(&message(chat, text))?;
                }
                Ok(())
            })
            .expect("queued");
        let first = store.read(|tx| tx.outbox_after(None, 2)).expect("read");
        assert_eq!(first.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
        let rest = store.read(|tx| tx.outbox_after(Some(2), 10)).expect("read");
        assert_eq!(rest.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3, 4]);

        let moved = store
            .write(|tx| tx.readdress_outbox(-1, -100))
            .expect("moved");
        assert_eq!(moved, vec![1, 3]);
        store
            .write(|tx| tx.remove_outgoing_all(&[2, 4, 99]))
            .expect("removed");
        let left = store.read(|tx| tx.outbox_after(None, 10)).expect("read");
        let left: Vec<(u64, Outgoing)> = left
            .into_iter()
            .map(|(seq, row)| (seq, row.expect("decodes")))
            .collect();
        assert_eq!(left, vec![(1, message(-100, "a")), (3, message(-100, "c"))]);
        let counts = store.read(|tx| tx.counts()).expect("counts");
        assert_eq!(counts.outbox, 2);
        assert_eq!(counts.schema_version, crate::store::SCHEMA_VERSION);
    }

    #[test]
    fn the_running_mark_reveals_an_unclean_stop() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        assert!(!store.write(|tx| tx.mark_running()).expect("marked"));
        // No clean stop: the next start sees the mark.
        assert!(store.write(|tx| tx.mark_running()).expect("marked"));
        store.write(|tx| tx.mark_stopped()).expect("cleared");
        assert!(!store.write(|tx| tx.mark_running()).expect("marked"));
    }

    #[test]
    fn a_backup_opens_and_passes_the_integrity_check() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        store
            .write(|tx| tx.push_outgoing(&message(1, "x")).map(drop))
            .expect("queued");
        let out = dir.path().join("copy.redb");
        assert!(store.backup_to(&out).expect("copied") > 0);
        let mut copy = Store::open(&out).expect("the copy opens");
        assert!(copy.check_integrity().expect("checked"));
        assert_eq!(copy.read(|tx| tx.counts()).expect("counts").outbox, 1);
    }
}
