//! Reads the dialog's entry-safety checks need: a centre's classes across groups, a
//! class's recent attendances, the same session stored already, and the drafts due for
//! their "not saved yet" nudge.

use super::codec::{day_number, decode};
use super::tables::{CLASS_DAYS, CLASS_KEYS, DRAFT_NUDGES, SESSIONS, SESSIONS_BY_CLASS};
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::dialog::ClassRef;
use crate::domain::{CentreId, ChatId, ClassId, SessionRecord};
use chrono::{DateTime, NaiveDate, Utc};
use redb::ReadableTable;

/// At most this many classes of a centre are compared with a typed name: a centre has
/// tens to hundreds; the cap bounds a step's work whatever the file holds.
pub const CENTRE_CLASSES_LIMIT: usize = 2_000;

impl<S: Source> View<S> {
    /// The classes of `centre` in every group, with their group id, at most
    /// `CENTRE_CLASSES_LIMIT` (one range of the key index).
    pub fn centre_classes(&self, centre: CentreId) -> Result<Vec<(ClassRef, String)>, StoreError> {
        let keys = self.table(CLASS_KEYS)?;
        let mut found = Vec::new();
        for entry in keys.range((centre, "", "")..)? {
            let (key, id) = entry?;
            let (key_centre, group, spelling) = key.value();
            if key_centre != centre || found.len() >= CENTRE_CLASSES_LIMIT {
                break;
            }
            let id = id.value();
            if let Some(class) = self
                .class(id)?
                .filter(|class| !super::classes::is_alias(class, spelling))
            {
                found.push((
                    ClassRef {
                        id,
                        name: class.name,
                    },
                    group.to_owned(),
                ));
            }
        }
        Ok(found)
    }

    /// The attendances of `class`'s latest live sessions, newest first, at most `limit`.
    pub fn class_attendances(&self, class: ClassId, limit: usize) -> Result<Vec<u32>, StoreError> {
        let days: Vec<i32> = {
            let class_days = self.table(CLASS_DAYS)?;
            let mut days = Vec::new();
            for entry in class_days
                .range((class, i32::MIN)..=(class, i32::MAX))?
                .rev()
            {
                days.push(entry?.0.value().1);
                if days.len() >= limit {
                    break;
                }
            }
            days
        };
        let mut totals = Vec::new();
        for day in days {
            for session in self.class_sessions_of_day(class, day)? {
                if totals.len() < limit {
                    totals.push(session.total);
                }
            }
        }
        Ok(totals)
    }

    /// A live session of `centre` with this class, date and (attendance, women).
    pub fn same_session(
        &self,
        _centre: CentreId,
        class: ClassId,
        date: NaiveDate,
        (total, female): (u32, u32),
    ) -> Result<Option<SessionRecord>, StoreError> {
        let day = day_number(date);
        let met = self.table(CLASS_DAYS)?.get((class, day))?.is_some();
        if !met {
            return Ok(None);
        }
        Ok(self
            .class_sessions_of_day(class, day)?
            .into_iter()
            .find(|s| s.total == total && s.female == female))
    }

    /// The live sessions of one class on one day, by id: one short range of the class
    /// index, however many sessions the centre logged that day.
    pub(super) fn class_sessions_of_day(
        &self,
        class: ClassId,
        day: i32,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let index = self.table(SESSIONS_BY_CLASS)?;
        let sessions = self.table(SESSIONS)?;
        let mut found = Vec::new();
        for entry in index.range((class, day, u64::MIN)..=(class, day, u64::MAX))? {
            let id = entry?.0.value().2;
            if let Some(bytes) = sessions.get(id)? {
                found.push(decode(bytes.value())?);
            }
        }
        Ok(found)
    }

    /// The instant of the earliest nudge waiting, if any (for the scheduler's sleep).
    pub fn next_nudge(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let first = self
            .table(DRAFT_NUDGES)?
            .first()?
            .map(|(key, _)| key.value().0);
        Ok(first.and_then(DateTime::from_timestamp_millis))
    }
}

impl Tx<'_> {
    /// Asks for a nudge of the private chat `chat` at `at` (see `DRAFT_NUDGES`).
    pub fn schedule_nudge(
        &mut self,
        chat: ChatId,
        at: DateTime<Utc>,
        language: Option<&str>,
    ) -> Result<(), StoreError> {
        self.txn
            .open_table(DRAFT_NUDGES)?
            .insert((at.timestamp_millis(), chat), language.unwrap_or(""))?;
        Ok(())
    }

    /// Removes and returns the nudges due at `now` (at most `limit`, oldest first): the
    /// chat and its language code.
    pub fn take_due_nudges(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(ChatId, Option<String>)>, StoreError> {
        let mut table = self.txn.open_table(DRAFT_NUDGES)?;
        let mut due = Vec::new();
        for entry in table.range((i64::MIN, i64::MIN)..=(now.timestamp_millis(), i64::MAX))? {
            let (key, language) = entry?;
            due.push((key.value(), language.value().to_owned()));
            if due.len() >= limit {
                break;
            }
        }
        for (key, _) in &due {
            table.remove(*key)?;
        }
        Ok(due
            .into_iter()
            .map(|((_, chat), language)| (chat, Some(language).filter(|l| !l.is_empty())))
            .collect())
    }
}
