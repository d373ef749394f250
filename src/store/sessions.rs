//! Sessions: saving a confirmed session with its class, listing a period, and the
//! per-group totals behind the report and the running totals.

use super::codec::{day_number, decode, encode};
use super::tables::{meta_keys, SESSIONS, SESSIONS_BY_DATE};
use super::{meta, StoreError, Tx};
use crate::domain::{
    CentreId, ClassChoice, ClassId, ClassRecord, NewSession, Period, SessionId, SessionRecord,
    Totals,
};
use redb::ReadableTable;
use std::collections::{BTreeMap, BTreeSet};

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
            ClassChoice::Existing(id) => self.class_for_session(*id, session)?,
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
            group: session.group.clone(),
            class: class.id,
            date: session.date,
            total: session.total,
            female: session.female,
            extra: session.extra.clone(),
            created_at: session.created_at,
        };
        let bytes = encode(&record)?;
        self.txn
            .open_table(SESSIONS)?
            .insert(id, bytes.as_slice())?;
        self.txn
            .open_table(SESSIONS_BY_DATE)?
            .insert((record.centre, day_number(record.date), id), ())?;
        Ok(record)
    }

    /// The existing class `id` for `session`, refused unless it belongs to the session's
    /// centre and group (a button's class id is untrusted and may be stale).
    fn class_for_session(
        &self,
        id: ClassId,
        session: &NewSession,
    ) -> Result<ClassRecord, StoreError> {
        let class = self.class(id)?.ok_or_else(|| {
            StoreError::Db(format!("invalid reference: class {id} does not exist"))
        })?;
        if class.centre != session.centre || class.group != session.group {
            return Err(StoreError::Db(format!(
                "invalid reference: class {id} belongs to centre {} group {:?}, not centre {} group {:?}",
                class.centre, class.group, session.centre, session.group
            )));
        }
        Ok(class)
    }

    /// Totals per activity group (by group id) of one centre, or of all centres when
    /// `centre` is `None`, over `period`. Groups without sessions are absent.
    pub fn group_totals(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<BTreeMap<String, Totals>, StoreError> {
        let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
        // A class counts once per group however often it met ("Số lớp" is distinct classes).
        let mut classes: BTreeMap<String, BTreeSet<ClassId>> = BTreeMap::new();
        for id in self.session_ids(centre, period)? {
            let session = self.session(id)?;
            let entry = totals.entry(session.group.clone()).or_default();
            entry.sessions += 1;
            entry.attendance += u64::from(session.total);
            entry.female += u64::from(session.female);
            classes
                .entry(session.group)
                .or_default()
                .insert(session.class);
        }
        for (group, ids) in classes {
            if let Some(entry) = totals.get_mut(&group) {
                entry.classes = ids.len() as u64;
            }
        }
        Ok(totals)
    }

    /// All sessions of one centre (or all) in `period`, by date then id.
    pub fn sessions(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let mut sessions = self
            .session_ids(centre, period)?
            .into_iter()
            .map(|id| self.session(id))
            .collect::<Result<Vec<_>, _>>()?;
        // The index orders by centre first; across centres the order must be restored.
        sessions.sort_by_key(|s| (s.date, s.id));
        Ok(sessions)
    }

    /// The session `id`, if it exists.
    pub fn session_record(&self, id: SessionId) -> Result<Option<SessionRecord>, StoreError> {
        let sessions = self.txn.open_table(SESSIONS)?;
        let value = sessions.get(id)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// A session the index names; its absence means the index and the table disagree.
    fn session(&self, id: SessionId) -> Result<SessionRecord, StoreError> {
        self.session_record(id)?.ok_or_else(|| {
            StoreError::Db(format!(
                "session index names session {id}, which does not exist"
            ))
        })
    }

    /// The ids of the sessions of `centre` (or of every centre) in `period`, by centre,
    /// date and id, read from the date index only.
    fn session_ids(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<Vec<SessionId>, StoreError> {
        let index = self.txn.open_table(SESSIONS_BY_DATE)?;
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
