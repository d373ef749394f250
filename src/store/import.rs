//! Bringing in past sessions: storing the checked sessions of a file with one audit
//! entry, and the queue of sent files waiting to be downloaded and read.

use super::codec::{decode, encode};
use super::tables::FILE_FETCHES;
use super::{StoreError, Tx};
use crate::dialog::import::FileRef;
use crate::domain::{CentreId, ChatId, NewSession, SessionId, SessionRecord, UserId};
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A file sent in a private chat, waiting to be downloaded and read as a sessions file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFetch {
    /// The private chat it came from (its user's id).
    pub chat: ChatId,
    pub user: UserId,
    /// The person's Telegram language code, for the answer (`""` when unknown).
    #[serde(default)]
    pub language: String,
    pub file: FileRef,
    /// The centre the sessions are for (the sender's right to it was checked, and is
    /// checked again when the rows arrive).
    pub centre: CentreId,
    pub at: DateTime<Utc>,
}

/// The audit entry of an import: the file, how many sessions, their numbers and groups.
#[derive(Debug, Serialize)]
struct ImportAudit<'a> {
    file: &'a str,
    sessions: usize,
    first: Option<SessionId>,
    last: Option<SessionId>,
    /// Sessions per activity group.
    groups: BTreeMap<&'a str, usize>,
}

impl Tx<'_> {
    /// Stores the sessions of a checked file for `centre`, in order, each exactly as a
    /// session confirmed in the chat is stored (`save_session`: classes, indexes and the
    /// report's counters), and writes one audit entry naming the file, by `actor`.
    ///
    /// Refused (`Err`, so the caller's transaction is dropped and nothing is kept) when
    /// a session is for another centre or `save_session` refuses one.
    pub fn import_sessions(
        &mut self,
        centre: CentreId,
        file_name: &str,
        sessions: &[NewSession],
        actor: UserId,
        at: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        if let Some(other) = sessions.iter().find(|s| s.centre != centre) {
            return Err(StoreError::Db(format!(
                "refusing to import a session of centre {} into centre {centre}",
                other.centre
            )));
        }
        let mut saved = Vec::with_capacity(sessions.len());
        for session in sessions {
            saved.push(self.save_session(session)?);
        }
        let mut groups = BTreeMap::new();
        for record in &saved {
            *groups.entry(record.group.as_str()).or_insert(0) += 1;
        }
        let entry = ImportAudit {
            file: file_name,
            sessions: saved.len(),
            first: saved.first().map(|r| r.id),
            last: saved.last().map(|r| r.id),
            groups,
        };
        self.audit(
            at,
            actor,
            Some(centre),
            "sessions_imported",
            None::<&()>,
            Some(&entry),
        )?;
        Ok(saved)
    }

    /// Queues a sent file to be downloaded and read; returns its sequence number.
    pub fn queue_file_fetch(&mut self, fetch: &FileFetch) -> Result<u64, StoreError> {
        let mut table = self.txn.open_table(FILE_FETCHES)?;
        let seq = match table.last()? {
            Some((last, _)) => last
                .value()
                .checked_add(1)
                .ok_or_else(|| StoreError::Db("the file fetch sequence overflowed".to_owned()))?,
            None => 1,
        };
        table.insert(seq, encode(fetch)?.as_slice())?;
        Ok(seq)
    }

    /// Removes the queued file `seq` and returns it (`None` when already taken).
    pub fn take_file_fetch(&mut self, seq: u64) -> Result<Option<FileFetch>, StoreError> {
        let mut table = self.txn.open_table(FILE_FETCHES)?;
        let removed = table.remove(seq)?;
        removed.map(|bytes| decode(bytes.value())).transpose()
    }

    /// Up to `limit` queued files, oldest first.
    pub fn file_fetches(&self, limit: usize) -> Result<Vec<(u64, FileFetch)>, StoreError> {
        file_fetches_in(&self.txn.open_table(FILE_FETCHES)?, limit)
    }
}

/// The oldest `limit` rows of a `FILE_FETCHES` table (shared by `Tx` and `Snapshot`).
pub(super) fn file_fetches_in(
    table: &impl ReadableTable<u64, &'static [u8]>,
    limit: usize,
) -> Result<Vec<(u64, FileFetch)>, StoreError> {
    let mut found = Vec::new();
    for entry in table.iter()?.take(limit) {
        let (seq, bytes) = entry?;
        found.push((seq.value(), decode(bytes.value())?));
    }
    Ok(found)
}
