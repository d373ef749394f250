//! Changing a saved session: edit, soft delete, restore, and purging old deletions.
//!
//! These are the building blocks of the organiser's "fix" and "undo": each keeps the
//! counters (`counters.rs`) and the classes' "most recent first" order right in the same
//! transaction, so a report read right after sees the change and nothing else.
//!
//! A deleted session moves from `SESSIONS` (and its date index) to `DELETED_SESSIONS`,
//! with the time of deletion. Everything that reads `SESSIONS` (reports, listings, CSV,
//! counters) therefore ignores it without a filter anyone could forget, and restoring it
//! is moving it back under the same id. Deleted sessions are kept for
//! [`DELETED_RETENTION_DAYS`] days; each deletion purges the expired ones, so the table
//! holds at most a month of deletions without any scheduled job.

use super::codec::{decode, encode};
use super::tables::DELETED_SESSIONS;
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::domain::{CentreId, ClassChoice, ClassId, SessionId, SessionRecord};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long a deleted session can be restored; `delete_session` purges older ones.
pub const DELETED_RETENTION_DAYS: i64 = 30;

/// The changes to make to a saved session: `None` leaves a field as it is.
///
/// The centre, the organiser, the id and the creation time never change: a session
/// logged for the wrong centre is deleted and logged again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChanges {
    /// A new activity group. It needs `class` too, because a class belongs to one group.
    pub group: Option<String>,
    /// Another class of the (new) group: an existing one by id, or a typed name, which
    /// reuses the class with the same matching key or creates one, as `save_session` does.
    pub class: Option<ClassChoice>,
    pub date: Option<NaiveDate>,
    pub total: Option<u32>,
    pub female: Option<u32>,
    /// Replaces all the extra answers (not merged).
    pub extra: Option<BTreeMap<String, String>>,
}

impl SessionChanges {
    /// Changes that set every editable field back to `record`'s values: passing them to
    /// `update_session` undoes an edit (`Edited::before` is such a record).
    pub fn back_to(record: &SessionRecord) -> SessionChanges {
        SessionChanges {
            group: Some(record.group.clone()),
            class: Some(ClassChoice::Existing(record.class)),
            date: Some(record.date),
            total: Some(record.total),
            female: Some(record.female),
            extra: Some(record.extra.clone()),
        }
    }
}

/// What `update_session` did: the session as it was and as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub before: SessionRecord,
    pub after: SessionRecord,
}

/// A soft-deleted session as kept in `DELETED_SESSIONS`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedSession {
    pub record: SessionRecord,
    pub deleted_at: DateTime<Utc>,
}

impl DeletedSession {
    /// Whether the session can no longer be restored at `now` (and will be purged).
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now - self.deleted_at > TimeDelta::days(DELETED_RETENTION_DAYS)
    }
}

impl<S: Source> View<S> {
    /// The deleted session `id`, if it is still kept (expired ones may linger until the
    /// next purge; check `DeletedSession::expired`).
    pub fn deleted_session(&self, id: SessionId) -> Result<Option<DeletedSession>, StoreError> {
        let table = self.table(DELETED_SESSIONS)?;
        let value = table.get(id)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// The deleted sessions still kept, of one centre or all, most recently deleted first
    /// (for an "undo a deletion" list). The table holds at most a month of deletions, so
    /// reading it whole is cheap.
    pub fn deleted_sessions(
        &self,
        centre: Option<CentreId>,
    ) -> Result<Vec<DeletedSession>, StoreError> {
        let table = self.table(DELETED_SESSIONS)?;
        let mut all = Vec::new();
        for entry in table.iter()? {
            let (_, bytes) = entry?;
            let kept: DeletedSession = decode(bytes.value())?;
            if centre.is_none_or(|c| c == kept.record.centre) {
                all.push(kept);
            }
        }
        all.sort_by_key(|kept| std::cmp::Reverse((kept.deleted_at, kept.record.id)));
        Ok(all)
    }
}

impl Tx<'_> {
    /// Applies `changes` to the live session `id` and returns it before and after, or
    /// `None` when no live session has that id (never saved, or deleted).
    ///
    /// The counters move from the old values to the new ones and the last session date
    /// of the old and the new class is recomputed, in this transaction. Everything is
    /// checked before anything is written (female ≤ total, the class belongs to the
    /// session's centre and group, a group change names a class), so an `Err` leaves the
    /// session as it was even if the caller commits.
    ///
    /// To undo an edit, call it again with `SessionChanges::back_to(&edited.before)`.
    pub fn update_session(
        &mut self,
        id: SessionId,
        changes: &SessionChanges,
    ) -> Result<Option<Edited>, StoreError> {
        let Some(before) = self.session_record(id)? else {
            return Ok(None);
        };
        let mut after = before.clone();
        if let Some(group) = &changes.group {
            if *group != before.group && changes.class.is_none() {
                return Err(StoreError::Db(format!(
                    "moving session {id} to group {group:?} needs a class of that group"
                )));
            }
            after.group.clone_from(group);
        }
        if let Some(date) = changes.date {
            after.date = date;
        }
        if let Some(total) = changes.total {
            after.total = total;
        }
        if let Some(female) = changes.female {
            after.female = female;
        }
        if let Some(extra) = &changes.extra {
            after.extra.clone_from(extra);
        }
        if after.female > after.total {
            return Err(StoreError::Db(format!(
                "refusing to edit session {id} to {} women out of {} attendances",
                after.female, after.total
            )));
        }
        // The class is resolved last: only then is everything else known to be valid,
        // and a new class is created only for an edit that goes through.
        match &changes.class {
            None => {}
            Some(ClassChoice::Existing(class)) => {
                // A class merged since it was chosen yields the class it became, which
                // takes the session into its own group.
                let class = self.class_in(*class, after.centre, &after.group)?;
                after.class = class.id;
                after.group = class.group;
            }
            Some(ClassChoice::New { name, key }) => {
                // The store reads no clock: a class first named by an edit is stamped
                // with the session's own creation time.
                let at = before.created_at;
                after.class = self
                    .ensure_class(after.centre, &after.group, name, key, at)?
                    .id;
            }
        }
        self.take_live_session(&before)?;
        self.put_live_session(&after)?;
        self.refresh_classes(&[before.class, after.class])?;
        Ok(Some(Edited { before, after }))
    }

    /// Soft-deletes the live session `id` at `now` and returns it, or `None` when no live
    /// session has that id (already deleted, or never saved), so a repeated tap is
    /// harmless.
    ///
    /// The session leaves the reports and the counters at once and can be brought back by
    /// `restore_session` for [`DELETED_RETENTION_DAYS`] days. Deletions older than that
    /// are purged here, so the table of deleted sessions never grows without bound.
    pub fn delete_session(
        &mut self,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>, StoreError> {
        self.purge_deleted(now)?;
        let Some(record) = self.session_record(id)? else {
            return Ok(None);
        };
        self.take_live_session(&record)?;
        let kept = DeletedSession {
            record: record.clone(),
            deleted_at: now,
        };
        let bytes = encode(&kept)?;
        self.txn
            .open_table(DELETED_SESSIONS)?
            .insert(id, bytes.as_slice())?;
        self.refresh_classes(&[record.class])?;
        Ok(Some(record))
    }

    /// Brings the deleted session `id` back, unchanged and under the same id, and returns
    /// it; `None` when there is no deleted session with that id or its deletion is older
    /// than [`DELETED_RETENTION_DAYS`] days at `now`.
    ///
    /// It counts again in reports and counters from this transaction on, and its class's
    /// last session date moves forward if it was the latest.
    pub fn restore_session(
        &mut self,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let Some(kept) = self.deleted_session(id)? else {
            return Ok(None);
        };
        if kept.expired(now) {
            return Ok(None);
        }
        if self.session_record(id)?.is_some() {
            // Ids are never reused, so this means the tables disagree.
            return Err(StoreError::Db(format!(
                "session {id} is both live and deleted"
            )));
        }
        let mut record = kept.record;
        // The class must still be the one the session was saved with; classes are never
        // removed, so this only fails on a damaged file. A merge re-points deleted
        // sessions at the surviving class, and `class_in` follows a merge anyway.
        let class = self.class_in(record.class, record.centre, &record.group)?;
        record.class = class.id;
        record.group = class.group;
        self.txn.open_table(DELETED_SESSIONS)?.remove(id)?;
        self.put_live_session(&record)?;
        self.refresh_classes(&[record.class])?;
        Ok(Some(record))
    }

    /// Removes for good the deleted sessions whose deletion is older than
    /// [`DELETED_RETENTION_DAYS`] days at `now`; returns how many went.
    pub fn purge_deleted(&mut self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut table = self.txn.open_table(DELETED_SESSIONS)?;
        let mut expired = Vec::new();
        for entry in table.iter()? {
            let (key, bytes) = entry?;
            let kept: DeletedSession = decode(bytes.value())?;
            if kept.expired(now) {
                expired.push(key.value());
            }
        }
        for id in &expired {
            table.remove(*id)?;
        }
        Ok(expired.len())
    }

    /// Recomputes the last session date of each class in `classes` (duplicates are fine).
    fn refresh_classes(&mut self, classes: &[ClassId]) -> Result<(), StoreError> {
        let mut done: Vec<ClassId> = Vec::with_capacity(classes.len());
        for class in classes {
            if !done.contains(class) {
                self.refresh_class(*class)?;
                done.push(*class);
            }
        }
        Ok(())
    }
}
