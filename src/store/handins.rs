//! Reports handed in to the education office: storing a hand-in (audited), the latest
//! hand-in of a period, and marking hand-ins "changed since handed in" when a session of
//! their period changes.
//!
//! The mark is set by `put_live_session` and `take_live_session`, the two paths every
//! change of a live session goes through (save, edit, delete, undo, restore, class
//! merge), so no caller can forget it. It also queues the hand-in in `HANDIN_NOTICES`,
//! which the runtime empties in the same transaction, telling the director once.

use super::codec::{day_number, decode, encode};
use super::tables::{meta_keys, HANDINS, HANDIN_NOTICES};
use super::{meta, StoreError, Tx};
use crate::domain::{CentreId, Lang, Period, Totals, UserId};
use crate::submission::HandIn;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use redb::ReadableTable;
use serde::Serialize;
use std::collections::BTreeMap;

/// The key of a hand-in in `HANDINS` and `HANDIN_NOTICES`.
type Key = (u64, i32, i32, u64);

/// What a director hands in; the store gives it its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHandIn {
    pub centre: CentreId,
    pub centre_name: String,
    pub period: Period,
    pub user: UserId,
    pub name: String,
    pub at: DateTime<Utc>,
    pub local_at: NaiveDateTime,
    pub totals: BTreeMap<String, Totals>,
    /// The language the director uses (see `HandIn::lang`).
    pub lang: Lang,
}

/// What the audit log keeps of a hand-in.
#[derive(Serialize)]
struct HandInAudit<'a> {
    id: u64,
    centre_name: &'a str,
    period: Period,
    totals: &'a BTreeMap<String, Totals>,
}

pub(super) fn key_of(handin: &HandIn) -> Key {
    (
        handin.centre,
        day_number(handin.period.from),
        day_number(handin.period.to),
        handin.id,
    )
}

impl Tx<'_> {
    /// Stores a hand-in (superseding earlier ones of the same centre and period) and
    /// writes the audit entry; returns it with its id.
    pub fn hand_in(&mut self, new: NewHandIn) -> Result<HandIn, StoreError> {
        let id = meta::next_id(self.txn, meta_keys::NEXT_HANDIN)?;
        let handin = HandIn {
            id,
            centre: new.centre,
            centre_name: new.centre_name,
            period: new.period,
            user: new.user,
            name: new.name,
            at: new.at,
            local_at: new.local_at,
            totals: new.totals,
            changed: false,
            changed_at: None,
            lang: new.lang,
        };
        self.put_handin(&handin)?;
        // The audit entry names the director as its actor only (which `forget` erases),
        // not by name.
        self.audit::<(), _>(
            handin.at,
            handin.user,
            Some(handin.centre),
            "report_handed_in",
            None,
            Some(&HandInAudit {
                id: handin.id,
                centre_name: &handin.centre_name,
                period: handin.period,
                totals: &handin.totals,
            }),
        )?;
        Ok(handin)
    }

    /// Marks the latest hand-in of every period of `centre` that contains `date` as
    /// changed, and queues the director's notice for those not marked before.
    ///
    /// Called for each live session written or removed; the hand-ins of a centre are a
    /// few a month, and their keys say the periods, so only the matching ones are read.
    pub(super) fn mark_handins_changed(
        &mut self,
        centre: CentreId,
        date: NaiveDate,
    ) -> Result<(), StoreError> {
        let day = day_number(date);
        let latest: Vec<Key> = {
            let table = self.txn.open_table(HANDINS)?;
            let mut latest: Vec<Key> = Vec::new();
            for entry in table
                .range((centre, i32::MIN, i32::MIN, u64::MIN)..=(centre, day, i32::MAX, u64::MAX))?
            {
                let key = entry?.0.value();
                if key.2 < day {
                    continue;
                }
                // Keys of one period are consecutive and ordered by id: the last wins.
                match latest.last_mut() {
                    Some(last) if (last.1, last.2) == (key.1, key.2) => *last = key,
                    _ => latest.push(key),
                }
            }
            latest
        };
        for key in latest {
            self.mark_changed(key)?;
        }
        Ok(())
    }

    /// Marks the hand-in under `key` as changed and queues its notice, unless it was
    /// marked before.
    pub(super) fn mark_changed(&mut self, key: Key) -> Result<(), StoreError> {
        let Some(mut handin) = self.handin_at(key)? else {
            return Ok(());
        };
        if handin.changed {
            return Ok(());
        }
        handin.changed = true;
        self.put_handin(&handin)?;
        self.txn.open_table(HANDIN_NOTICES)?.insert(key, ())?;
        Ok(())
    }

    /// The hand-ins marked changed whose directors have not been told yet, each stamped
    /// with `local_now` as the time they were told; the queue is emptied. The caller tells
    /// the directors in the same transaction.
    pub fn take_handin_notices(
        &mut self,
        local_now: NaiveDateTime,
    ) -> Result<Vec<HandIn>, StoreError> {
        let keys: Vec<Key> = {
            let table = self.txn.open_table(HANDIN_NOTICES)?;
            let mut keys = Vec::new();
            for entry in table.iter()? {
                keys.push(entry?.0.value());
            }
            keys
        };
        let mut told = Vec::new();
        for key in keys {
            self.txn.open_table(HANDIN_NOTICES)?.remove(key)?;
            let Some(mut handin) = self.handin_at(key)? else {
                continue;
            };
            if handin.changed_at.is_none() {
                handin.changed_at = Some(local_now);
                self.put_handin(&handin)?;
            }
            told.push(handin);
        }
        Ok(told)
    }

    /// Moves every hand-in of `from` (and its queued notice) to `into`, keeping the name
    /// and numbers it was handed in with; returns the keys they have now.
    pub(super) fn move_handins(
        &mut self,
        from: CentreId,
        into: CentreId,
    ) -> Result<Vec<Key>, StoreError> {
        let mut moved = Vec::new();
        for mut handin in self.handins_of(from)? {
            let old = key_of(&handin);
            let noticed = self.txn.open_table(HANDIN_NOTICES)?.remove(old)?.is_some();
            self.txn.open_table(HANDINS)?.remove(old)?;
            handin.centre = into;
            self.put_handin(&handin)?;
            let new = key_of(&handin);
            if noticed {
                self.txn.open_table(HANDIN_NOTICES)?.insert(new, ())?;
            }
            moved.push(new);
        }
        Ok(moved)
    }

    fn put_handin(&mut self, handin: &HandIn) -> Result<(), StoreError> {
        let bytes = encode(handin)?;
        self.txn
            .open_table(HANDINS)?
            .insert(key_of(handin), bytes.as_slice())?;
        Ok(())
    }
}

impl<S: super::view::Source> super::view::View<S> {
    /// The latest hand-in of `centre` for exactly `period`, if any.
    pub fn latest_handin(
        &self,
        centre: CentreId,
        period: Period,
    ) -> Result<Option<HandIn>, StoreError> {
        let (from, to) = (day_number(period.from), day_number(period.to));
        let table = self.table(HANDINS)?;
        let last = table
            .range((centre, from, to, u64::MIN)..=(centre, from, to, u64::MAX))?
            .next_back()
            .transpose()?;
        last.map(|(_, bytes)| decode(bytes.value())).transpose()
    }

    /// The latest hand-in for exactly `period` of every centre that has one, by centre.
    pub fn latest_handins(&self, period: Period) -> Result<Vec<HandIn>, StoreError> {
        let mut all = Vec::new();
        for (centre, _) in self.centres()? {
            if let Some(handin) = self.latest_handin(centre, period)? {
                all.push(handin);
            }
        }
        Ok(all)
    }

    /// Every hand-in of `centre`, oldest period first (the history, for the merge and tests).
    pub fn handins_of(&self, centre: CentreId) -> Result<Vec<HandIn>, StoreError> {
        let table = self.table(HANDINS)?;
        let mut all = Vec::new();
        for entry in table.range(
            (centre, i32::MIN, i32::MIN, u64::MIN)..=(centre, i32::MAX, i32::MAX, u64::MAX),
        )? {
            let (_, bytes) = entry?;
            all.push(decode(bytes.value())?);
        }
        Ok(all)
    }

    /// Whether `key` is the latest hand-in of its (centre, period).
    pub(super) fn is_latest_handin(&self, key: Key) -> Result<bool, StoreError> {
        let table = self.table(HANDINS)?;
        let last = table
            .range((key.0, key.1, key.2, u64::MIN)..=(key.0, key.1, key.2, u64::MAX))?
            .next_back()
            .transpose()?
            .map(|(k, _)| k.value());
        Ok(last == Some(key))
    }

    fn handin_at(&self, key: Key) -> Result<Option<HandIn>, StoreError> {
        let table = self.table(HANDINS)?;
        let value = table.get(key)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }
}
