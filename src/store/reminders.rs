//! Reminder schedules of group chats, the directors' deadline reminder of each centre,
//! organisers' mute switches, the days someone said they held no session, and who has
//! not reported.

use super::codec::{day_number, decode, encode};
use super::tables::{
    meta_keys, DEADLINES, MUTED, NO_SESSION_DAYS, REMINDERS, SESSIONS, SESSIONS_BY_DATE,
};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::domain::{CentreId, ChatId, SessionRecord, UserId};
use crate::reminders::parse::Audience;
use crate::reminders::schedule::{Monthly, Schedule};
use crate::roles::{Member, Role};
use chrono::{DateTime, NaiveDate, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A centre's deadline reminder as stored: its directors get the running totals privately
/// some days before the monthly report is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRecord {
    pub timing: Monthly,
    /// The IANA time zone its time of day is in.
    pub zone: String,
    pub set_by: UserId,
    pub set_at: DateTime<Utc>,
    /// The last scheduled instant handled (fired or skipped); starts when it is set.
    pub last: DateTime<Utc>,
}

/// A reminder as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRecord {
    pub centre: CentreId,
    pub schedule: Schedule,
    #[serde(default)]
    pub audience: Audience,
    /// The IANA time zone its time of day is in (for example `Asia/Ho_Chi_Minh`).
    pub zone: String,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    /// The last scheduled instant handled (fired or skipped); starts at creation.
    pub last: DateTime<Utc>,
}

impl<S: Source> View<S> {
    /// The reminders of one group chat, by id.
    pub fn reminders_of(&self, chat: ChatId) -> Result<Vec<(u64, ReminderRecord)>, StoreError> {
        let table = self.table(REMINDERS)?;
        let mut all = Vec::new();
        for entry in table.range((chat, 0)..=(chat, u64::MAX))? {
            let (key, bytes) = entry?;
            all.push((key.value().1, decode(bytes.value())?));
        }
        Ok(all)
    }

    /// Every reminder of every chat.
    pub fn all_reminders(&self) -> Result<Vec<(ChatId, u64, ReminderRecord)>, StoreError> {
        let table = self.table(REMINDERS)?;
        let mut all = Vec::new();
        for entry in table.iter()? {
            let (key, bytes) = entry?;
            let (chat, id) = key.value();
            all.push((chat, id, decode(bytes.value())?));
        }
        Ok(all)
    }

    /// The deadline reminder of a centre, if it has one.
    pub fn deadline(&self, centre: CentreId) -> Result<Option<DeadlineRecord>, StoreError> {
        let table = self.table(DEADLINES)?;
        let value = table.get(centre)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// Every centre's deadline reminder, by centre id.
    pub fn all_deadlines(&self) -> Result<Vec<(CentreId, DeadlineRecord)>, StoreError> {
        let table = self.table(DEADLINES)?;
        let mut all = Vec::new();
        for entry in table.iter()? {
            let (centre, bytes) = entry?;
            all.push((centre.value(), decode(bytes.value())?));
        }
        Ok(all)
    }

    /// Whether a user turned their private nudges off.
    pub fn is_muted(&self, user: UserId) -> Result<bool, StoreError> {
        Ok(self.table(MUTED)?.get(user)?.is_some())
    }

    /// Whether `user` said they held no session for `centre` on the local date `day`.
    pub fn had_no_session(
        &self,
        centre: CentreId,
        user: UserId,
        day: NaiveDate,
    ) -> Result<bool, StoreError> {
        Ok(self
            .table(NO_SESSION_DAYS)?
            .get((centre, user, day_number(day)))?
            .is_some())
    }

    /// The organisers of `centre` who logged no session dated `since` or later.
    pub fn members_without_sessions_since(
        &self,
        centre: CentreId,
        since: NaiveDate,
    ) -> Result<Vec<Member>, StoreError> {
        let index = self.table(SESSIONS_BY_DATE)?;
        let sessions = self.table(SESSIONS)?;
        let mut reported = BTreeSet::new();
        for key in index.range((centre, day_number(since), 0)..=(centre, i32::MAX, u64::MAX))? {
            let (key, _) = key?;
            if let Some(bytes) = sessions.get(key.value().2)? {
                let session: SessionRecord = decode(bytes.value())?;
                reported.insert(session.organiser);
            }
        }
        Ok(self
            .members(centre)?
            .into_iter()
            .filter(|m| m.role == Role::Organiser && !reported.contains(&m.user))
            .collect())
    }
}

impl Tx<'_> {
    /// Adds a reminder to a group chat; returns its id.
    pub fn add_reminder(
        &mut self,
        chat: ChatId,
        record: &ReminderRecord,
    ) -> Result<u64, StoreError> {
        let id = meta::next_id(self.txn, meta_keys::NEXT_REMINDER)?;
        let bytes = encode(record)?;
        self.txn
            .open_table(REMINDERS)?
            .insert((chat, id), bytes.as_slice())?;
        self.audit::<(), _>(
            record.created_at,
            record.created_by,
            Some(record.centre),
            "reminder_set",
            None,
            Some(&(chat, record.schedule, record.audience)),
        )?;
        Ok(id)
    }

    /// Removes every reminder of a group chat; returns how many there were.
    pub fn remove_reminders(
        &mut self,
        chat: ChatId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let existing = self.reminders_of(chat)?;
        let mut table = self.txn.open_table(REMINDERS)?;
        for (id, _) in &existing {
            table.remove((chat, *id))?;
        }
        drop(table);
        if let Some((_, first)) = existing.first() {
            self.audit::<_, ()>(
                at,
                by,
                Some(first.centre),
                "reminders_removed",
                Some(&chat),
                None,
            )?;
        }
        Ok(existing.len())
    }

    /// Records the last scheduled instant handled for a reminder.
    pub fn set_reminder_last(
        &mut self,
        chat: ChatId,
        id: u64,
        last: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let record: Option<ReminderRecord> = self
            .txn
            .open_table(REMINDERS)?
            .get((chat, id))?
            .map(|bytes| decode(bytes.value()))
            .transpose()?;
        if let Some(mut record) = record {
            record.last = last;
            let bytes = encode(&record)?;
            self.txn
                .open_table(REMINDERS)?
                .insert((chat, id), bytes.as_slice())?;
        }
        Ok(())
    }

    /// Re-keys every reminder of chat `from` to chat `to`, keeping ids and schedules.
    pub(super) fn move_reminders(&mut self, from: ChatId, to: ChatId) -> Result<(), StoreError> {
        let existing = self.reminders_of(from)?;
        let mut table = self.txn.open_table(REMINDERS)?;
        for (id, record) in existing {
            table.remove((from, id))?;
            let bytes = encode(&record)?;
            table.insert((to, id), bytes.as_slice())?;
        }
        Ok(())
    }

    /// Sets (replacing) the deadline reminder of a centre.
    pub fn set_deadline(
        &mut self,
        centre: CentreId,
        record: &DeadlineRecord,
    ) -> Result<(), StoreError> {
        let bytes = encode(record)?;
        self.txn
            .open_table(DEADLINES)?
            .insert(centre, bytes.as_slice())?;
        self.audit::<(), _>(
            record.set_at,
            record.set_by,
            Some(centre),
            "deadline_set",
            None,
            Some(&record.timing),
        )
    }

    /// Turns a centre's deadline reminder off; returns whether it had one.
    pub fn remove_deadline(
        &mut self,
        centre: CentreId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let removed: Option<DeadlineRecord> = self
            .txn
            .open_table(DEADLINES)?
            .remove(centre)?
            .map(|bytes| decode(bytes.value()))
            .transpose()?;
        if let Some(old) = &removed {
            self.audit::<_, ()>(
                at,
                by,
                Some(centre),
                "deadline_removed",
                Some(&old.timing),
                None,
            )?;
        }
        Ok(removed.is_some())
    }

    /// Records the last scheduled instant handled for a centre's deadline reminder.
    pub fn set_deadline_last(
        &mut self,
        centre: CentreId,
        last: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if let Some(mut record) = self.deadline(centre)? {
            record.last = last;
            let bytes = encode(&record)?;
            self.txn
                .open_table(DEADLINES)?
                .insert(centre, bytes.as_slice())?;
        }
        Ok(())
    }

    /// Turns a user's private nudges off (`true`) or on.
    pub fn set_muted(&mut self, user: UserId, muted: bool) -> Result<(), StoreError> {
        let mut table = self.txn.open_table(MUTED)?;
        if muted {
            table.insert(user, ())?;
        } else {
            table.remove(user)?;
        }
        Ok(())
    }

    /// Records that `user` held no session for `centre` on the local date `day` (the
    /// button under a group reminder). Pressing it again changes nothing but the time.
    pub fn record_no_session(
        &mut self,
        centre: CentreId,
        user: UserId,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.txn
            .open_table(NO_SESSION_DAYS)?
            .insert((centre, user, day_number(day)), at.timestamp())?;
        Ok(())
    }
}
