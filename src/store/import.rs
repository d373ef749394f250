//! Bringing in past sessions: storing the checked sessions of a file with one audit
//! entry.

use super::{StoreError, Tx};
use crate::domain::{CentreId, NewSession, SessionId, SessionRecord, UserId};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

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
}
