//! Classes (or thematic topics) of a centre's activity group: lookup by key, recency
//! listing for the buttons, the bookkeeping `save_session` needs, and the director's
//! repairs (`/classes`): renaming a class and merging one class into another.
//!
//! A merged class is kept as a tombstone (`ClassRecord::merged_into`) rather than
//! deleted: its key and recency entries go, so it is never offered, matched or counted
//! again, but a draft that chose it before the merge (its id sits in a chat state) is
//! saved into the class it became instead of failing on every retry, and old audit
//! entries still name it. Its sessions, live and deleted, move to the surviving class.

use super::codec::{day_number, decode, encode};
use super::edits::SessionChanges;
use super::tables::{
    meta_keys, CLASSES, CLASS_DAYS, CLASS_KEYS, CLASS_RECENCY, DELETED_SESSIONS, NO_SESSION_DAY,
    SESSIONS_BY_CLASS,
};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::dialog::ClassRef;
use crate::domain::{
    CentreId, ClassChoice, ClassId, ClassRecord, SessionId, SessionRecord, UserId,
};
use chrono::{DateTime, NaiveDate, Utc};
use redb::ReadableTable;
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether the key index entry `key` → `class` is an old spelling kept by a merge (or
/// points at a merged class) rather than the class's own key: listings skip it, so a
/// class is listed once, under its own name.
pub(super) fn is_alias(class: &ClassRecord, key: &str) -> bool {
    class.key != key || class.merged_into.is_some()
}

/// How many merges `live_class` follows before it calls the chain broken. Merging into a
/// merged class is refused, so a chain only grows when its last class is merged again;
/// a longer one means a damaged file, not a real history.
const MAX_MERGE_HOPS: usize = 64;

/// A live class of a centre and its number of live sessions (the director's `/classes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassCount {
    pub class: ClassRecord,
    pub sessions: u64,
}

/// What `merge_classes` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged class as it is now: a tombstone pointing at `into`.
    pub from: ClassRecord,
    /// The surviving class, after the merge.
    pub into: ClassRecord,
    /// Live sessions moved.
    pub moved: u64,
    /// Deleted (still restorable) sessions moved, so that restoring one brings it back
    /// into the surviving class.
    pub moved_deleted: u64,
}

/// The audit entry's before and after of a merge: both classes and the session counts.
#[derive(Serialize)]
struct MergeAudit<'a> {
    from: &'a ClassRecord,
    into: &'a ClassRecord,
    /// Live sessions of `from` (before) or moved (after).
    moved: u64,
    /// Deleted sessions of `from` (before) or moved (after).
    moved_deleted: u64,
}

/// The recency index key component of a class.
fn recency_day(last_session: Option<NaiveDate>) -> i32 {
    last_session.map_or(NO_SESSION_DAY, day_number)
}

impl<S: Source> View<S> {
    /// Up to `limit` classes of a centre's group, most recent session date first
    /// (classes without sessions last, newest created first among equals).
    pub fn recent_classes(
        &self,
        centre: CentreId,
        group: &str,
        limit: usize,
    ) -> Result<Vec<ClassRef>, StoreError> {
        let ids: Vec<ClassId> = {
            let recency = self.table(CLASS_RECENCY)?;
            let range = recency
                .range((centre, group, i32::MIN, u64::MIN)..=(centre, group, i32::MAX, u64::MAX))?;
            let mut ids = Vec::new();
            for entry in range.rev().take(limit) {
                let (key, _) = entry?;
                ids.push(key.value().3);
            }
            ids
        };
        let mut classes = Vec::with_capacity(ids.len());
        for id in ids {
            let record = self.class(id)?.ok_or_else(|| {
                StoreError::Db(format!(
                    "class index names class {id}, which does not exist"
                ))
            })?;
            classes.push(ClassRef {
                id,
                name: record.name,
            });
        }
        Ok(classes)
    }

    /// The class of a centre's group whose matching key is `key`.
    pub fn class_by_key(
        &self,
        centre: CentreId,
        group: &str,
        key: &str,
    ) -> Result<Option<ClassRef>, StoreError> {
        let Some(id) = self.class_id_by_key(centre, group, key)? else {
            return Ok(None);
        };
        Ok(self.class(id)?.map(|record| ClassRef {
            id,
            name: record.name,
        }))
    }

    /// The class `id`, if it exists.
    pub fn class(&self, id: ClassId) -> Result<Option<ClassRecord>, StoreError> {
        let classes = self.table(CLASSES)?;
        let value = classes.get(id)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// The classes the given sessions belong to, by id (for `report::sessions_csv`).
    pub fn classes_of(
        &self,
        sessions: &[SessionRecord],
    ) -> Result<BTreeMap<ClassId, ClassRecord>, StoreError> {
        // Each class once, in id order: a province's year names a hundred thousand
        // classes, read together (`each_by_id`). A class that is missing is left out.
        let mut ids: Vec<ClassId> = sessions.iter().map(|s| s.class).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut found = BTreeMap::new();
        self.each_by_id(CLASSES, &ids, |id, bytes| {
            if let Some(bytes) = bytes {
                found.insert(id, decode::<ClassRecord>(bytes)?);
            }
            Ok(())
        })?;
        Ok(found)
    }

    fn class_id_by_key(
        &self,
        centre: CentreId,
        group: &str,
        key: &str,
    ) -> Result<Option<ClassId>, StoreError> {
        let keys = self.table(CLASS_KEYS)?;
        let Some(id) = keys.get((centre, group, key))?.map(|id| id.value()) else {
            return Ok(None);
        };
        // A merged class's old spelling names the class it became, and that class may
        // itself have been merged since.
        Ok(Some(self.live_class(id)?.id))
    }

    /// The live classes of a centre, each with its number of live sessions, ordered by
    /// group id then matching key. Merged classes are not listed.
    ///
    /// Read from the key index and `CLASS_DAYS` (one entry per class and day it met), so
    /// the cost follows the centre's classes and their days, not its sessions.
    pub fn centre_classes_with_counts(
        &self,
        centre: CentreId,
    ) -> Result<Vec<ClassCount>, StoreError> {
        let ids: Vec<(String, ClassId)> = {
            let keys = self.table(CLASS_KEYS)?;
            let mut ids = Vec::new();
            for entry in keys.range((centre, "", "")..)? {
                let (key, id) = entry?;
                if key.value().0 != centre {
                    break;
                }
                ids.push((key.value().2.to_owned(), id.value()));
            }
            ids
        };
        let mut classes = Vec::with_capacity(ids.len());
        for (key, id) in ids {
            let class = self.class(id)?.ok_or_else(|| {
                StoreError::Db(format!(
                    "class key index names class {id}, which does not exist"
                ))
            })?;
            if is_alias(&class, &key) {
                continue;
            }
            let sessions = self.class_session_count(id)?;
            classes.push(ClassCount { class, sessions });
        }
        Ok(classes)
    }

    /// The number of live sessions of class `id`.
    pub fn class_session_count(&self, id: ClassId) -> Result<u64, StoreError> {
        let days = self.table(CLASS_DAYS)?;
        let mut sessions = 0;
        for entry in days.range((id, i32::MIN)..=(id, i32::MAX))? {
            sessions += entry?.1.value();
        }
        Ok(sessions)
    }

    /// The class a session chosen as class `id` belongs to: `id` itself, or the class it
    /// was merged into (followed to the end of the chain).
    pub(super) fn live_class(&self, id: ClassId) -> Result<ClassRecord, StoreError> {
        let mut class = self.class(id)?.ok_or_else(|| {
            StoreError::Db(format!("invalid reference: class {id} does not exist"))
        })?;
        for _ in 0..MAX_MERGE_HOPS {
            let Some(next) = class.merged_into else {
                return Ok(class);
            };
            class = self.class(next)?.ok_or_else(|| {
                StoreError::Db(format!(
                    "class {} was merged into class {next}, which does not exist",
                    class.id
                ))
            })?;
        }
        Err(StoreError::Db(format!(
            "class {id} has a chain of more than {MAX_MERGE_HOPS} merges"
        )))
    }

    /// The class `id`, refused when it is missing or merged (renames and merges only
    /// apply to classes still in use).
    fn live_class_record(&self, id: ClassId) -> Result<ClassRecord, StoreError> {
        let class = self.class(id)?.ok_or_else(|| {
            StoreError::Db(format!("invalid reference: class {id} does not exist"))
        })?;
        match class.merged_into {
            Some(into) => Err(StoreError::Db(format!(
                "invalid reference: class {id} was merged into class {into}"
            ))),
            None => Ok(class),
        }
    }

    /// The live sessions of `class`, by day: one range of the class index.
    fn class_session_ids(&self, class: &ClassRecord) -> Result<Vec<SessionId>, StoreError> {
        let index = self.table(SESSIONS_BY_CLASS)?;
        let mut ids = Vec::new();
        for entry in index.range((class.id, i32::MIN, u64::MIN)..=(class.id, i32::MAX, u64::MAX))? {
            ids.push(entry?.0.value().2);
        }
        Ok(ids)
    }

    /// The deleted, still kept sessions of `class` (at most a month of deletions).
    fn deleted_sessions_of_class(
        &self,
        class: &ClassRecord,
    ) -> Result<Vec<super::DeletedSession>, StoreError> {
        Ok(self
            .deleted_sessions(Some(class.centre))?
            .into_iter()
            .filter(|kept| kept.record.class == class.id)
            .collect())
    }
}

impl Tx<'_> {
    /// The class with this (centre, group, key), created (without sessions) if needed.
    pub(super) fn ensure_class(
        &mut self,
        centre: CentreId,
        group: &str,
        name: &str,
        key: &str,
        created_at: DateTime<Utc>,
    ) -> Result<ClassRecord, StoreError> {
        if let Some(id) = self.class_id_by_key(centre, group, key)? {
            return self.class(id)?.ok_or_else(|| {
                StoreError::Db(format!(
                    "class key index names class {id}, which does not exist"
                ))
            });
        }
        let id = meta::next_id(self.txn, meta_keys::NEXT_CLASS)?;
        let record = ClassRecord {
            id,
            centre,
            group: group.to_owned(),
            name: name.to_owned(),
            key: key.to_owned(),
            last_session: None,
            created_at,
            merged_into: None,
        };
        self.put_class(&record)?;
        self.txn
            .open_table(CLASS_KEYS)?
            .insert((centre, group, key), id)?;
        self.txn
            .open_table(CLASS_RECENCY)?
            .insert((centre, group, NO_SESSION_DAY, id), ())?;
        Ok(record)
    }

    /// Records that `class` met on `date`: moves its last session date forward (never
    /// back, since sessions may be logged late) and keeps the recency index in step.
    pub(super) fn touch_class(
        &mut self,
        class: &ClassRecord,
        date: NaiveDate,
    ) -> Result<ClassRecord, StoreError> {
        if class.last_session.is_some_and(|last| last >= date) {
            return Ok(class.clone());
        }
        let mut updated = class.clone();
        updated.last_session = Some(date);
        self.put_class(&updated)?;
        let mut recency = self.txn.open_table(CLASS_RECENCY)?;
        recency.remove((
            class.centre,
            class.group.as_str(),
            recency_day(class.last_session),
            class.id,
        ))?;
        recency.insert(
            (
                class.centre,
                class.group.as_str(),
                recency_day(updated.last_session),
                class.id,
            ),
            (),
        )?;
        Ok(updated)
    }

    /// Sets the last session date of class `id` to its latest live session (from
    /// `CLASS_DAYS`), moving it back as well as forward, and keeps the recency index in
    /// step. Edits and deletions call it for every class they touched, since removing a
    /// class's latest session makes an older one (or none) the latest.
    pub(super) fn refresh_class(&mut self, id: ClassId) -> Result<(), StoreError> {
        let Some(class) = self.class(id)? else {
            return Err(StoreError::Db(format!(
                "invalid reference: class {id} does not exist"
            )));
        };
        let last = self.class_last_day(id)?;
        if class.last_session == last {
            return Ok(());
        }
        let mut updated = class.clone();
        updated.last_session = last;
        self.put_class(&updated)?;
        let mut recency = self.txn.open_table(CLASS_RECENCY)?;
        recency.remove((
            class.centre,
            class.group.as_str(),
            recency_day(class.last_session),
            id,
        ))?;
        recency.insert(
            (class.centre, class.group.as_str(), recency_day(last), id),
            (),
        )?;
        Ok(())
    }

    /// Renames class `id` to `name` with matching key `key` (as `parse::class_name` makes
    /// them) and writes an audit entry by `actor`; returns the class as renamed.
    ///
    /// Refused (`Err`, nothing written) when the class does not exist, was merged, or
    /// another class of its centre and group already has `key`: two classes with one key
    /// would be one class counted twice, which is what a merge is for.
    pub fn rename_class(
        &mut self,
        id: ClassId,
        name: &str,
        key: &str,
        actor: UserId,
        at: DateTime<Utc>,
    ) -> Result<ClassRecord, StoreError> {
        let before = self.live_class_record(id)?;
        if name.trim().is_empty() || key.trim().is_empty() {
            return Err(StoreError::Db(format!(
                "refusing to give class {id} an empty name"
            )));
        }
        if key != before.key {
            // The key may be an old spelling of this very class (kept by a merge).
            if let Some(other) = self
                .class_id_by_key(before.centre, &before.group, key)?
                .filter(|other| *other != id)
            {
                return Err(StoreError::Db(format!(
                    "refusing to rename class {id}: class {other} of its group already has the key {key:?}"
                )));
            }
            let mut keys = self.txn.open_table(CLASS_KEYS)?;
            keys.remove((before.centre, before.group.as_str(), before.key.as_str()))?;
            keys.insert((before.centre, before.group.as_str(), key), id)?;
        }
        let mut after = before.clone();
        name.clone_into(&mut after.name);
        key.clone_into(&mut after.key);
        self.put_class(&after)?;
        self.audit(
            at,
            actor,
            Some(after.centre),
            "class_renamed",
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    }

    /// Merges class `from` into class `into` of the same centre, possibly of another
    /// group, and writes one audit entry by `actor`.
    ///
    /// Every live session of `from` moves to `into` and to its group through
    /// `update_session`, the same path as an organiser's correction, so the report's
    /// counters and both classes' last session dates move exactly as for that many edits.
    /// Deleted sessions of `from` are re-pointed at `into` as well, so a restore brings
    /// them back where the live ones went. `from` then leaves the key and recency indexes
    /// and stays as a tombstone (see the module's comment). All of it happens in the
    /// caller's transaction: a report never sees half a merge.
    ///
    /// Refused (`Err`) when a class is missing or merged, the two are one, or they belong
    /// to different centres.
    pub fn merge_classes(
        &mut self,
        from: ClassId,
        into: ClassId,
        actor: UserId,
        at: DateTime<Utc>,
    ) -> Result<Merged, StoreError> {
        if from == into {
            return Err(StoreError::Db(format!(
                "refusing to merge class {from} into itself"
            )));
        }
        let source = self.live_class_record(from)?;
        let target = self.live_class_record(into)?;
        if source.centre != target.centre {
            return Err(StoreError::Db(format!(
                "refusing to merge class {from} of centre {} into class {into} of centre {}",
                source.centre, target.centre
            )));
        }
        let live = self.class_session_ids(&source)?;
        let deleted = self.deleted_sessions_of_class(&source)?;
        let (moved, moved_deleted) = (live.len() as u64, deleted.len() as u64);
        let before = MergeAudit {
            from: &source,
            into: &target,
            moved,
            moved_deleted,
        };

        let changes = SessionChanges {
            group: Some(target.group.clone()),
            class: Some(ClassChoice::Existing(target.id)),
            ..SessionChanges::default()
        };
        for session in &live {
            if self.update_session(*session, &changes)?.is_none() {
                return Err(StoreError::Db(format!(
                    "class index names session {session}, which is not live"
                )));
            }
        }
        {
            let mut table = self.txn.open_table(DELETED_SESSIONS)?;
            for mut kept in deleted {
                kept.record.class = target.id;
                kept.record.group.clone_from(&target.group);
                table.insert(kept.record.id, encode(&kept)?.as_slice())?;
            }
        }

        // `update_session` has moved the last session date of `from` back to none.
        let mut tombstone = self.live_class_record(from)?;
        let survivor_group = self.live_class_record(into)?.group;
        let old_key = (
            tombstone.centre,
            tombstone.group.as_str(),
            tombstone.key.as_str(),
        );
        if tombstone.group == survivor_group {
            // The old spelling stays a way to name the class it became: an organiser who
            // types it next week logs into the merged class instead of creating the
            // duplicate again. Across groups the key goes: reusing it would move a
            // session typed under one group into another without asking.
            self.txn.open_table(CLASS_KEYS)?.insert(old_key, into)?;
        } else {
            self.txn.open_table(CLASS_KEYS)?.remove(old_key)?;
        }
        self.txn.open_table(CLASS_RECENCY)?.remove((
            tombstone.centre,
            tombstone.group.as_str(),
            recency_day(tombstone.last_session),
            from,
        ))?;
        tombstone.merged_into = Some(into);
        self.put_class(&tombstone)?;
        let survivor = self.live_class_record(into)?;
        let after = MergeAudit {
            from: &tombstone,
            into: &survivor,
            moved,
            moved_deleted,
        };
        self.audit(
            at,
            actor,
            Some(survivor.centre),
            "class_merged",
            Some(&before),
            Some(&after),
        )?;
        Ok(Merged {
            from: tombstone,
            into: survivor,
            moved,
            moved_deleted,
        })
    }

    fn put_class(&mut self, record: &ClassRecord) -> Result<(), StoreError> {
        let bytes = encode(record)?;
        self.txn
            .open_table(CLASSES)?
            .insert(record.id, bytes.as_slice())?;
        Ok(())
    }
}
