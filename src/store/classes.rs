//! Classes (or thematic topics) of a centre's activity group: lookup by key, recency
//! listing for the buttons, and the bookkeeping `save_session` needs.

use super::codec::{day_number, decode, encode};
use super::tables::{meta_keys, CLASSES, CLASS_KEYS, CLASS_RECENCY, NO_SESSION_DAY};
use super::{meta, StoreError, Tx};
use crate::dialog::ClassRef;
use crate::domain::{CentreId, ClassId, ClassRecord, SessionRecord};
use chrono::{DateTime, NaiveDate, Utc};
use redb::ReadableTable;
use std::collections::BTreeMap;

/// The recency index key component of a class.
fn recency_day(last_session: Option<NaiveDate>) -> i32 {
    last_session.map_or(NO_SESSION_DAY, day_number)
}

impl Tx<'_> {
    /// Up to `limit` classes of a centre's group, most recent session date first
    /// (classes without sessions last, newest created first among equals).
    pub fn recent_classes(
        &self,
        centre: CentreId,
        group: &str,
        limit: usize,
    ) -> Result<Vec<ClassRef>, StoreError> {
        let ids: Vec<ClassId> = {
            let recency = self.txn.open_table(CLASS_RECENCY)?;
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
        let classes = self.txn.open_table(CLASSES)?;
        let value = classes.get(id)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// The classes the given sessions belong to, by id (for `report::sessions_csv`).
    pub fn classes_of(
        &self,
        sessions: &[SessionRecord],
    ) -> Result<BTreeMap<ClassId, ClassRecord>, StoreError> {
        let mut found = BTreeMap::new();
        for session in sessions {
            if found.contains_key(&session.class) {
                continue;
            }
            if let Some(record) = self.class(session.class)? {
                found.insert(session.class, record);
            }
        }
        Ok(found)
    }

    fn class_id_by_key(
        &self,
        centre: CentreId,
        group: &str,
        key: &str,
    ) -> Result<Option<ClassId>, StoreError> {
        let keys = self.txn.open_table(CLASS_KEYS)?;
        let id = keys.get((centre, group, key))?.map(|id| id.value());
        Ok(id)
    }

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

    fn put_class(&mut self, record: &ClassRecord) -> Result<(), StoreError> {
        let bytes = encode(record)?;
        self.txn
            .open_table(CLASSES)?
            .insert(record.id, bytes.as_slice())?;
        Ok(())
    }
}
