//! Sessions: saving a confirmed session with its class, listing a period, and the
//! per-group totals behind the report and the running totals (read from the counters of
//! `counters.rs`, which `save_session` keeps in step). Edits, deletions and restores are
//! in `edits.rs`.

use super::codec::{day_number, decode, encode};
use super::counters::Change;
use super::tables::{
    meta_keys, SESSIONS, SESSIONS_BY_CLASS, SESSIONS_BY_DATE, SESSIONS_BY_ORGANISER,
};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::domain::{
    CentreId, ClassChoice, ClassId, ClassRecord, NewSession, Period, SessionId, SessionRecord,
    Totals,
};
use redb::ReadableTable;
use std::collections::BTreeMap;

impl<S: Source> View<S> {
    /// The existing class `id`, refused unless it belongs to `centre` and `group` (a
    /// button's class id is untrusted and may be stale).
    ///
    /// A class merged into another since it was chosen (a draft keeps the id) yields the
    /// class it became, whose group may differ: the caller stores the session under the
    /// returned class's group.
    pub(super) fn class_in(
        &self,
        id: ClassId,
        centre: CentreId,
        group: &str,
    ) -> Result<ClassRecord, StoreError> {
        let class = self.class(id)?.ok_or_else(|| {
            StoreError::Db(format!("invalid reference: class {id} does not exist"))
        })?;
        if class.centre != centre || class.group != group {
            return Err(StoreError::Db(format!(
                "invalid reference: class {id} belongs to centre {} group {:?}, not centre {centre} group {group:?}",
                class.centre, class.group
            )));
        }
        if class.merged_into.is_none() {
            return Ok(class);
        }
        let live = self.live_class(id)?;
        if live.centre != centre {
            return Err(StoreError::Db(format!(
                "class {id} was merged into class {} of another centre",
                live.id
            )));
        }
        Ok(live)
    }

    /// Totals per activity group (by group id) of one centre, or of all centres when
    /// `centre` is `None`, over `period`. Groups without sessions are absent; deleted
    /// sessions are not counted.
    ///
    /// Read from the counters (`counters.rs`), so one centre's year costs about the same
    /// with a hundred sessions in the file as with a million.
    pub fn group_totals(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<BTreeMap<String, Totals>, StoreError> {
        match centre {
            Some(c) => self.centre_group_totals(c, period),
            None => {
                // Classes belong to one centre, so the distinct classes of all centres are
                // the sum of each centre's.
                let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
                for per_group in self.group_totals_by_centre(period)?.into_values() {
                    for (group, t) in per_group {
                        let sum = totals.entry(group).or_default();
                        *sum = *sum + t;
                    }
                }
                Ok(totals)
            }
        }
    }

    /// All sessions of one centre (or all) in `period`, by date then id.
    pub fn sessions(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let mut ids = self.session_ids(centre, period)?;
        // Fetched in id order: the records are keyed by id, so each page of the table is
        // read once, in order, instead of the reads jumping about the file.
        ids.sort_unstable();
        let mut sessions: Vec<SessionRecord> = Vec::with_capacity(ids.len());
        self.each_by_id(SESSIONS, &ids, |id, bytes| {
            let bytes = bytes.ok_or_else(|| {
                StoreError::Db(format!(
                    "session index names session {id}, which does not exist"
                ))
            })?;
            sessions.push(decode(bytes)?);
            Ok(())
        })?;
        // The index orders by centre first; across centres the order must be restored.
        sessions.sort_by_key(|s| (s.date, s.id));
        Ok(sessions)
    }

    /// The session `id`, if it exists.
    pub fn session_record(&self, id: SessionId) -> Result<Option<SessionRecord>, StoreError> {
        let sessions = self.table(SESSIONS)?;
        let value = sessions.get(id)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// The ids of the sessions of `centre` (or of every centre) in `period`, by centre,
    /// date and id, read from the date index only.
    fn session_ids(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<Vec<SessionId>, StoreError> {
        let index = self.table(SESSIONS_BY_DATE)?;
        let (from, to) = (day_number(period.from), day_number(period.to));
        let mut ids = Vec::new();
        let mut scan = |c: CentreId| -> Result<(), StoreError> {
            for entry in index.range((c, from, u64::MIN)..=(c, to, u64::MAX))? {
                let (key, _) = entry?;
                ids.push(key.value().2);
            }
            Ok(())
        };
        match centre {
            Some(c) => scan(c)?,
            None => {
                // Hop from one centre present in the index to the next, so that centres
                // never referenced by a session cost nothing and every centre in the index
                // is covered, whether or not it has a record in `centres`.
                let mut next = Some(CentreId::MIN);
                while let Some(start) = next {
                    let found = match index.range((start, i32::MIN, u64::MIN)..)?.next() {
                        Some(entry) => entry?.0.value().0,
                        None => break,
                    };
                    scan(found)?;
                    next = found.checked_add(1);
                }
            }
        }
        Ok(ids)
    }
}

impl Tx<'_> {
    /// Saves a confirmed session (creating its class when it is new, or reusing the class
    /// with the same key), and returns the stored record.
    ///
    /// Everything is checked before anything is written, so a refused session leaves no
    /// trace even if the caller goes on to commit the transaction.
    pub fn save_session(&mut self, session: &NewSession) -> Result<SessionRecord, StoreError> {
        if session.female > session.total {
            return Err(StoreError::Db(format!(
                "refusing a session with {} women out of {} attendances",
                session.female, session.total
            )));
        }
        let class: ClassRecord = match &session.class {
            ClassChoice::Existing(id) => self.class_in(*id, session.centre, &session.group)?,
            ClassChoice::New { name, key } => self.ensure_class(
                session.centre,
                &session.group,
                name,
                key,
                session.created_at,
            )?,
        };
        self.touch_class(&class, session.date)?;

        let id = meta::next_id(self.txn, meta_keys::NEXT_SESSION)?;
        let record = SessionRecord {
            id,
            centre: session.centre,
            organiser: session.organiser,
            // The class's group: the session's own, unless the class chosen was merged
            // into a class of another group since (see `class_in`).
            group: class.group.clone(),
            class: class.id,
            date: session.date,
            total: session.total,
            female: session.female,
            extra: session.extra.clone(),
            created_at: session.created_at,
        };
        self.put_live_session(&record)?;
        Ok(record)
    }

    /// Indexes every live session by organiser (`SESSIONS_BY_ORGANISER`), from scratch:
    /// the v3 → v4 migration, and `forget_user` after it replaced a person's id by 0.
    pub(super) fn rebuild_organiser_index(&mut self) -> Result<(), StoreError> {
        let mut entries = Vec::new();
        for entry in self.txn.open_table(SESSIONS)?.iter()? {
            let (_, bytes) = entry?;
            let record: SessionRecord = decode(bytes.value())?;
            entries.push((
                record.organiser,
                record.centre,
                day_number(record.date),
                record.id,
            ));
        }
        self.txn.delete_table(SESSIONS_BY_ORGANISER)?;
        let mut index = self.txn.open_table(SESSIONS_BY_ORGANISER)?;
        for key in entries {
            index.insert(key, ())?;
        }
        Ok(())
    }

    /// Indexes every live session by class and day (`SESSIONS_BY_CLASS`), from scratch:
    /// the migration to schema 6.
    pub(super) fn rebuild_class_index(&mut self) -> Result<(), StoreError> {
        let mut entries = Vec::new();
        for entry in self.txn.open_table(SESSIONS)?.iter()? {
            let (_, bytes) = entry?;
            let record: SessionRecord = decode(bytes.value())?;
            entries.push((record.class, day_number(record.date), record.id));
        }
        self.txn.delete_table(SESSIONS_BY_CLASS)?;
        let mut index = self.txn.open_table(SESSIONS_BY_CLASS)?;
        for key in entries {
            index.insert(key, ())?;
        }
        Ok(())
    }

    /// Writes `record` as a live session: the record, its date index entry and its share
    /// of the counters; a hand-in of a period containing its date is marked changed. The caller has made sure no live session with this id exists.
    pub(super) fn put_live_session(&mut self, record: &SessionRecord) -> Result<(), StoreError> {
        let bytes = encode(record)?;
        self.txn
            .open_table(SESSIONS)?
            .insert(record.id, bytes.as_slice())?;
        self.txn
            .open_table(SESSIONS_BY_DATE)?
            .insert((record.centre, day_number(record.date), record.id), ())?;
        self.txn.open_table(SESSIONS_BY_ORGANISER)?.insert(
            (
                record.organiser,
                record.centre,
                day_number(record.date),
                record.id,
            ),
            (),
        )?;
        self.txn
            .open_table(SESSIONS_BY_CLASS)?
            .insert((record.class, day_number(record.date), record.id), ())?;
        self.count_session(record, Change::Add)?;
        self.mark_handins_changed(record.centre, record.date)
    }

    /// Removes the live session `record` (as stored): the record, its date index entry and
    /// its share of the counters; a hand-in of a period containing its date is marked
    /// changed.
    pub(super) fn take_live_session(&mut self, record: &SessionRecord) -> Result<(), StoreError> {
        self.txn.open_table(SESSIONS)?.remove(record.id)?;
        self.txn.open_table(SESSIONS_BY_DATE)?.remove((
            record.centre,
            day_number(record.date),
            record.id,
        ))?;
        self.txn.open_table(SESSIONS_BY_ORGANISER)?.remove((
            record.organiser,
            record.centre,
            day_number(record.date),
            record.id,
        ))?;
        self.txn.open_table(SESSIONS_BY_CLASS)?.remove((
            record.class,
            day_number(record.date),
            record.id,
        ))?;
        self.count_session(record, Change::Remove)?;
        self.mark_handins_changed(record.centre, record.date)
    }
}
