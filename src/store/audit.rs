//! The audit log: every change of role, invitation, removal, link and session edit, with
//! who, when, and the before/after values. Written in the same transaction as the change.

use super::codec::{decode, encode};
use super::tables::{meta_keys, AUDIT, AUDIT_BY_CENTRE};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::domain::{CentreId, UserId};
use crate::roles::AuditEntry;
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::Serialize;

impl<S: Source> View<S> {
    /// The latest `limit` entries, newest first: of one centre, or of everything.
    pub fn audit_log(
        &self,
        centre: Option<CentreId>,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let log = self.table(AUDIT)?;
        let mut entries = Vec::new();
        match centre {
            Some(centre) => {
                let index = self.table(AUDIT_BY_CENTRE)?;
                for key in index
                    .range((centre, 0)..=(centre, u64::MAX))?
                    .rev()
                    .take(limit)
                {
                    let (key, _) = key?;
                    if let Some(bytes) = log.get(key.value().1)? {
                        entries.push(decode(bytes.value())?);
                    }
                }
            }
            None => {
                for entry in log.iter()?.rev().take(limit) {
                    let (_, bytes) = entry?;
                    entries.push(decode(bytes.value())?);
                }
            }
        }
        Ok(entries)
    }
}

impl Tx<'_> {
    /// Appends an entry; `before` and `after` are serialised as JSON text.
    pub fn audit<B: Serialize, A: Serialize>(
        &mut self,
        at: DateTime<Utc>,
        actor: UserId,
        centre: Option<CentreId>,
        action: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<(), StoreError> {
        let text = |value: Option<String>| value.unwrap_or_default();
        let entry = AuditEntry {
            at,
            actor,
            centre,
            action: action.to_owned(),
            before: text(
                before
                    .map(|b| serde_json::to_string(b))
                    .transpose()
                    .map_err(|e| StoreError::Decode(e.to_string()))?,
            ),
            after: text(
                after
                    .map(|a| serde_json::to_string(a))
                    .transpose()
                    .map_err(|e| StoreError::Decode(e.to_string()))?,
            ),
        };
        let seq = meta::next_id(self.txn, meta_keys::NEXT_AUDIT)?;
        let bytes = encode(&entry)?;
        self.txn.open_table(AUDIT)?.insert(seq, bytes.as_slice())?;
        if let Some(centre) = centre {
            self.txn
                .open_table(AUDIT_BY_CENTRE)?
                .insert((centre, seq), ())?;
        }
        Ok(())
    }
}
