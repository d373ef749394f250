//! Counters that keep the report's cost flat however many sessions a database holds.
//!
//! Five tables are kept in step with the live sessions, in the transaction that changes
//! a session (`save_session`, `update_session`, `delete_session`, `restore_session`):
//!
//! - `GROUP_DAY_COUNTERS` (centre, group, day) → (sessions, attendance, female). The sums
//!   of a period are one contiguous range per (centre, group): at most one entry per day.
//! - `CLASS_MONTHS` (centre, group, month, class) → sessions, and
//! - `CLASS_DAYS` (class, day) → sessions: together they give "Số lớp", the number of
//!   distinct classes that met in the period.
//! - `CLASS_YEARS` (class, year) → sessions, and
//! - `GROUP_YEAR_CLASSES` (centre, group, year) → distinct classes that met that year:
//!   "Số lớp" of a year-to-date or whole-year period in a couple of reads.
//!
//! Why months plus days for the distinct classes: a plain (centre, group, day, class)
//! index would cost one entry per class and *day* it met, which grows with the sessions
//! of the period; per-class day sets alone would cost one seek per class the group *ever*
//! had, which grows with the history. Reports are almost always whole months (a month,
//! a quarter, 1-10/2020, a year), so the months inside the period are one sequential read
//! of (class, month) pairs, bounded by the classes active in those months and never by
//! how often they met; only a month cut by the period (year-to-date ends today) needs a
//! per-class look at `CLASS_DAYS`, which also yields a class's latest session after an
//! edit or a deletion (its last key).
//!
//! Why a per-year count on top: the running totals shown after every Save are
//! year-to-date, and that period ends inside the current month, so the general way reads
//! every (class, month) of the year and looks up every class of the current month in
//! `CLASS_DAYS`: its cost grows with the classes the centre had this year, at every Save.
//! `CLASS_YEARS` tells, with one read, whether a session is the first (or the last) of
//! its class in its year, which is exactly when `GROUP_YEAR_CLASSES` moves. That count is
//! the period's own whenever the period starts on the first day of a counted year and the
//! group has no session later in that year (see `year_classes`), which is the normal case
//! for year-to-date.
//!
//! The counted years are the reporting years: they start on the `period_start` the bot
//! runs with (1 January by default, 1 September for a school year), which is kept in
//! `meta` (`counter_year_start`). `rollcall run` sets it at start-up and the year tables
//! are counted again when it changed (`set_counter_year_start`). A period that does not
//! start on a counted year's first day takes the general path, so a report with another
//! start day is still right, only not as fast.

use super::codec::day_number;
use super::roll_up_counters::RollUpContents;
use super::tables::meta_keys;
use super::tables::{
    CLASS_DAYS, CLASS_MONTHS, CLASS_YEARS, GROUP_DAY_COUNTERS, GROUP_YEAR_CLASSES, SESSIONS,
};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::domain::{CentreId, ClassId, Period, SessionRecord, Totals, YearStart};
use chrono::{Datelike, Days, NaiveDate};
use redb::{ReadableTable, Table};
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;

/// Whether a session's contribution is added to the counters or taken out of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Add,
    Remove,
}

/// The content of every counter table, in memory: what a recount of the sessions gives
/// (to rebuild the tables) or what the tables hold (to compare the two).
#[derive(Debug, Default, PartialEq, Eq)]
struct CounterContents {
    /// `GROUP_DAY_COUNTERS`: (centre, group, day) → (sessions, attendance, female).
    group_days: BTreeMap<(u64, String, i32), (u64, u64, u64)>,
    /// `CLASS_MONTHS`: (centre, group, month, class) → sessions.
    class_months: BTreeMap<(u64, String, i32, u64), u64>,
    /// `CLASS_DAYS`: (class, day) → sessions.
    class_days: BTreeMap<(u64, i32), u64>,
    /// `CLASS_YEARS`: (class, year) → sessions.
    class_years: BTreeMap<(u64, i32), u64>,
    /// `GROUP_YEAR_CLASSES`: (centre, group, year) → classes.
    group_years: BTreeMap<(u64, String, i32), u64>,
    /// The roll-up's tables keyed by time first (`roll_up_counters.rs`).
    roll_up: RollUpContents,
}

impl CounterContents {
    /// Adds one live session's share to every counter, as `count_session` would.
    fn add(&mut self, s: SessionRecord, start: YearStart) {
        let day = day_number(s.date);
        let c = self
            .group_days
            .entry((s.centre, s.group.clone(), day))
            .or_default();
        c.0 += 1;
        c.1 += u64::from(s.total);
        c.2 += u64::from(s.female);
        let year = counted_year(start, s.date);
        self.roll_up.add(&s, year);
        let class_year = self.class_years.entry((s.class, year)).or_default();
        // As in `count_session`: the first session of a class in a year counts it.
        if *class_year == 0 {
            *self
                .group_years
                .entry((s.centre, s.group.clone(), year))
                .or_default() += 1;
        }
        *class_year += 1;
        *self
            .class_months
            .entry((s.centre, s.group, month_number(s.date), s.class))
            .or_default() += 1;
        *self.class_days.entry((s.class, day)).or_default() += 1;
    }
}

/// The (group, number) parts of the keys of `centre` in a table keyed by (centre, group,
/// number), read from `first` on.
fn centre_keys<V: redb::Value + 'static>(
    table: &impl ReadableTable<(u64, &'static str, i32), V>,
    first: (u64, &str, i32),
    centre: CentreId,
) -> Result<Vec<(String, i32)>, StoreError> {
    let mut keys = Vec::new();
    for entry in table.range(first..)? {
        let (guard, _) = entry?;
        let key = guard.value();
        if key.0 != centre {
            break;
        }
        keys.push((key.1.to_owned(), key.2));
    }
    Ok(keys)
}

/// The month number of a date (months since January of year 0), ordering like dates.
pub(crate) fn month_number(date: NaiveDate) -> i32 {
    // `month0` is at most 11, so the cast cannot truncate.
    date.year() * 12 + date.month0() as i32
}

/// The counted year `date` belongs to: the calendar year in which its reporting year
/// (starting on `start`) begins.
pub(crate) fn counted_year(start: YearStart, date: NaiveDate) -> i32 {
    start.latest_on_or_before(date).year()
}

/// The first and last day of month number `month`; `None` outside chrono's range.
fn month_bounds(month: i32) -> Option<(NaiveDate, NaiveDate)> {
    let year = month.div_euclid(12);
    // `rem_euclid(12)` is in 0..12, so the cast cannot truncate or wrap.
    let month0 = month.rem_euclid(12) as u32;
    let first = NaiveDate::from_ymd_opt(year, month0 + 1, 1)?;
    let last = first.checked_add_months(chrono::Months::new(1))? - Days::new(1);
    Some((first, last))
}

/// The date of a day number, the inverse of `day_number`.
pub(crate) fn date_of_day(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// A count moved by one session, or an error when removing what was never added (the
/// counters and the sessions disagree, which the caller must not commit).
fn step(old: u64, by: u64, change: Change, what: &str) -> Result<u64, StoreError> {
    match change {
        Change::Add => old
            .checked_add(by)
            .ok_or_else(|| StoreError::Db(format!("counter {what} overflowed"))),
        Change::Remove => old.checked_sub(by).ok_or_else(|| {
            StoreError::Db(format!(
                "counter {what} is out of step with the sessions ({old} < {by})"
            ))
        }),
    }
}

/// Adds one to (or removes one from) a per-key count, deleting keys that reach 0, and
/// returns the new count.
fn bump_count<K: redb::Key + 'static>(
    table: &mut Table<K, u64>,
    key: &K::SelfType<'_>,
    change: Change,
    what: &str,
) -> Result<u64, StoreError> {
    let old = table.get(key)?.map_or(0, |v| v.value());
    let new = step(old, 1, change, what)?;
    if new == 0 {
        table.remove(key)?;
    } else {
        table.insert(key, new)?;
    }
    Ok(new)
}

impl<S: Source> View<S> {
    /// The first day of the years the per-year class counts count (1 January unless set).
    pub fn counter_year_start(&self) -> Result<YearStart, StoreError> {
        let stored = meta::get::<(u32, u32)>(self.source, meta_keys::COUNTER_YEAR_START)?;
        Ok(stored
            .and_then(|(month, day)| YearStart::new(month, day))
            .unwrap_or_default())
    }

    /// The day of the latest live session of `class`, from `CLASS_DAYS`.
    pub(super) fn class_last_day(&self, class: ClassId) -> Result<Option<NaiveDate>, StoreError> {
        let days = self.table(CLASS_DAYS)?;
        let last = days
            .range((class, i32::MIN)..=(class, i32::MAX))?
            .next_back()
            .transpose()?
            .map(|(key, _)| key.value().1);
        Ok(last.and_then(date_of_day))
    }

    /// Whether every counter table holds exactly what a recount of the live sessions gives
    /// (`rollcall check`): counters kept in step by every change should never differ, and
    /// if they ever did, reports would be wrong without any other sign.
    pub fn counters_match_sessions(&self) -> Result<bool, StoreError> {
        Ok(self.recount()? == self.stored_counters()?)
    }

    /// Every counter table's content as a recount of the live sessions gives it.
    fn recount(&self) -> Result<CounterContents, StoreError> {
        let start = self.counter_year_start()?;
        let mut all = CounterContents::default();
        let sessions = self.table(SESSIONS)?;
        for entry in sessions.iter()? {
            let (_, bytes) = entry?;
            all.add(super::codec::decode(bytes.value())?, start);
        }
        Ok(all)
    }

    /// Every counter table's content as stored.
    fn stored_counters(&self) -> Result<CounterContents, StoreError> {
        let mut all = CounterContents::default();
        for entry in self.table(GROUP_DAY_COUNTERS)?.iter()? {
            let (key, value) = entry?;
            let (centre, group, day) = key.value();
            all.group_days
                .insert((centre, group.to_owned(), day), value.value());
        }
        for entry in self.table(CLASS_MONTHS)?.iter()? {
            let (key, value) = entry?;
            let (centre, group, month, class) = key.value();
            all.class_months
                .insert((centre, group.to_owned(), month, class), value.value());
        }
        for entry in self.table(CLASS_DAYS)?.iter()? {
            let (key, value) = entry?;
            all.class_days.insert(key.value(), value.value());
        }
        for entry in self.table(CLASS_YEARS)?.iter()? {
            let (key, value) = entry?;
            all.class_years.insert(key.value(), value.value());
        }
        for entry in self.table(GROUP_YEAR_CLASSES)?.iter()? {
            let (key, value) = entry?;
            let (centre, group, year) = key.value();
            all.group_years
                .insert((centre, group.to_owned(), year), value.value());
        }
        all.roll_up = self.stored_roll_up()?;
        Ok(all)
    }

    /// Totals per activity group of one centre over `period`, from the counters: the cost
    /// depends on the days of the period and, unless the year's class count answers
    /// (`year_classes`), the classes active in it, not on how many sessions the file
    /// holds. Groups without sessions in the period are absent.
    pub(super) fn centre_group_totals(
        &self,
        centre: CentreId,
        period: Period,
    ) -> Result<BTreeMap<String, Totals>, StoreError> {
        let counters = self.table(GROUP_DAY_COUNTERS)?;
        let months = self.table(CLASS_MONTHS)?;
        let days = self.table(CLASS_DAYS)?;
        let group_years = self.table(GROUP_YEAR_CLASSES)?;
        let start = self.counter_year_start()?;
        let (from, to) = (day_number(period.from), day_number(period.to));
        let mut totals = BTreeMap::new();
        for group in counter_groups(&counters, centre)? {
            let mut sum = Totals::default();
            for entry in
                counters.range((centre, group.as_str(), from)..=(centre, group.as_str(), to))?
            {
                let (_, value) = entry?;
                let (sessions, attendance, female) = value.value();
                sum.sessions += sessions;
                sum.attendance += attendance;
                sum.female += female;
            }
            if sum.sessions > 0 {
                sum.classes =
                    match year_classes(&counters, &group_years, start, centre, &group, period)? {
                        Some(n) => n,
                        None => distinct_classes(&months, &days, centre, &group, period)?,
                    };
                totals.insert(group, sum);
            }
        }
        Ok(totals)
    }

    /// Sessions, attendance and female attendance per calendar month of `period`, for one
    /// centre or all, keyed by the first day of the month (for the chart). Months without
    /// sessions are absent; `classes` is left at 0 because the chart does not show it.
    pub fn month_totals(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<BTreeMap<NaiveDate, Totals>, StoreError> {
        let centres = match centre {
            Some(c) => vec![c],
            // Every centre: from the roll-up's counters, a few ranges in all.
            None => return self.all_month_totals(period),
        };
        let counters = self.table(GROUP_DAY_COUNTERS)?;
        let (from, to) = (day_number(period.from), day_number(period.to));
        let mut by_month = BTreeMap::new();
        for centre in centres {
            for group in counter_groups(&counters, centre)? {
                let range = (centre, group.as_str(), from)..=(centre, group.as_str(), to);
                for entry in counters.range(range)? {
                    let (key, value) = entry?;
                    let Some(date) = date_of_day(key.value().2) else {
                        continue;
                    };
                    let first = date.with_day(1).unwrap_or(date);
                    let (sessions, attendance, female) = value.value();
                    let t: &mut Totals = by_month.entry(first).or_default();
                    t.sessions += sessions;
                    t.attendance += attendance;
                    t.female += female;
                }
            }
        }
        Ok(by_month)
    }
}

impl Tx<'_> {
    /// Adds `session` to the counters, or takes it out of them. Every write path of a
    /// session calls this in the transaction that writes the session, so the counters
    /// always describe exactly the live (not deleted) sessions.
    pub(super) fn count_session(
        &mut self,
        session: &SessionRecord,
        change: Change,
    ) -> Result<(), StoreError> {
        let day = day_number(session.date);
        let group = session.group.as_str();
        let start = self.counter_year_start()?;
        let year = counted_year(start, session.date);
        // The roll-up's first-day index moves when this session was or becomes its
        // class's first of the year: the first day before the change, for after it.
        let first_before = self.class_first_day(session.class, start, year)?;
        {
            let mut counters = self.txn.open_table(GROUP_DAY_COUNTERS)?;
            let key = (session.centre, group, day);
            let old = counters.get(key)?.map_or((0, 0, 0), |v| v.value());
            let new = (
                step(old.0, 1, change, "sessions")?,
                step(old.1, u64::from(session.total), change, "attendance")?,
                step(old.2, u64::from(session.female), change, "female")?,
            );
            if new.0 == 0 {
                // No session left that day: sums must be zero too, or they were wrong.
                if new != (0, 0, 0) {
                    return Err(StoreError::Db(format!(
                        "counters of centre {} group {group:?} day {day} are out of step",
                        session.centre
                    )));
                }
                counters.remove(key)?;
            } else {
                counters.insert(key, new)?;
            }
        }
        let mut months = self.txn.open_table(CLASS_MONTHS)?;
        bump_count(
            &mut months,
            &(
                session.centre,
                group,
                month_number(session.date),
                session.class,
            ),
            change,
            "class month",
        )?;
        let mut days = self.txn.open_table(CLASS_DAYS)?;
        bump_count(&mut days, &(session.class, day), change, "class day")?;
        let mut years = self.txn.open_table(CLASS_YEARS)?;
        let left = bump_count(&mut years, &(session.class, year), change, "class year")?;
        // A class enters its group's count for the year with its first session of that
        // year and leaves it with its last one; the sessions in between do not move it.
        // The session's centre and group are its class's (`class_in` refuses any other),
        // so a class is only ever counted in one (centre, group).
        let first_or_last = match change {
            Change::Add => left == 1,
            Change::Remove => left == 0,
        };
        if first_or_last {
            let mut group_years = self.txn.open_table(GROUP_YEAR_CLASSES)?;
            bump_count(
                &mut group_years,
                &(session.centre, group, year),
                change,
                "group year classes",
            )?;
        }
        drop((months, days, years));
        self.count_roll_up(session, change, start, year, first_before)
    }

    /// Makes the per-year class counts count reporting years starting on `start` (the
    /// configured `period_start`), so that a year-to-date "Số lớp" is two reads for any
    /// start day. When it differs from the stored one, every counter is counted again from
    /// the sessions, once; returns whether that happened.
    pub fn set_counter_year_start(&mut self, start: YearStart) -> Result<bool, StoreError> {
        if self.counter_year_start()? == start {
            return Ok(false);
        }
        meta::put(
            self.txn,
            meta_keys::COUNTER_YEAR_START,
            &(start.month(), start.day()),
        )?;
        self.rebuild_counters()?;
        Ok(true)
    }

    /// Throws the counters away and counts every live session again (the v1 → v2 and
    /// v2 → v3 migrations, and `rollcall check --rebuild-counters` should the counters
    /// ever be doubted).
    ///
    /// The counts are gathered in memory first, so a large file costs one pass over the
    /// sessions and one ordered insert per counter rather than one read-modify-write per
    /// session.
    pub fn rebuild_counters(&mut self) -> Result<(), StoreError> {
        let recount = self.recount()?;
        let mut table = self.txn.open_table(GROUP_DAY_COUNTERS)?;
        table.retain(|_, _| false)?;
        for ((centre, group, day), value) in &recount.group_days {
            table.insert((*centre, group.as_str(), *day), *value)?;
        }
        let mut table = self.txn.open_table(CLASS_MONTHS)?;
        table.retain(|_, _| false)?;
        for ((centre, group, month, class), n) in &recount.class_months {
            table.insert((*centre, group.as_str(), *month, *class), *n)?;
        }
        let mut table = self.txn.open_table(CLASS_DAYS)?;
        table.retain(|_, _| false)?;
        for (key, n) in &recount.class_days {
            table.insert(*key, *n)?;
        }
        let mut table = self.txn.open_table(CLASS_YEARS)?;
        table.retain(|_, _| false)?;
        for (key, n) in &recount.class_years {
            table.insert(*key, *n)?;
        }
        let mut table = self.txn.open_table(GROUP_YEAR_CLASSES)?;
        table.retain(|_, _| false)?;
        for ((centre, group, year), n) in &recount.group_years {
            table.insert((*centre, group.as_str(), *year), *n)?;
        }
        drop(table);
        self.write_roll_up(&recount.roll_up)
    }

    /// Throws away the counters of `centres` and of their classes `classes`, and counts
    /// the live sessions of those centres again (a centre merge, whose sessions changed
    /// centre). The other centres' counters are not touched; the cost follows the
    /// sessions of these centres, not the file's.
    ///
    /// `classes` must hold every class of those centres (a class's counters are keyed by
    /// the class alone); classes of other centres must not be in it.
    pub(super) fn rebuild_centre_counters(
        &mut self,
        centres: &[CentreId],
        classes: &[ClassId],
    ) -> Result<(), StoreError> {
        let start = self.counter_year_start()?;
        let mut recount = CounterContents::default();
        {
            let index = self.txn.open_table(super::tables::SESSIONS_BY_DATE)?;
            let sessions = self.txn.open_table(SESSIONS)?;
            for &centre in centres {
                for entry in
                    index.range((centre, i32::MIN, u64::MIN)..=(centre, i32::MAX, u64::MAX))?
                {
                    let id = entry?.0.value().2;
                    let bytes = sessions.get(id)?.ok_or_else(|| {
                        StoreError::Db(format!(
                            "session index names session {id}, which does not exist"
                        ))
                    })?;
                    recount.add(super::codec::decode(bytes.value())?, start);
                }
            }
        }
        // First: it reads the classes' first days from the class tables rebuilt below.
        self.rebuild_centre_roll_up(centres, classes, &recount.roll_up, start)?;
        let mut table = self.txn.open_table(GROUP_DAY_COUNTERS)?;
        for &centre in centres {
            let keys = centre_keys(&table, (centre, "", i32::MIN), centre)?;
            for (group, day) in keys {
                table.remove((centre, group.as_str(), day))?;
            }
        }
        for ((centre, group, day), value) in &recount.group_days {
            table.insert((*centre, group.as_str(), *day), *value)?;
        }
        drop(table);
        let mut table = self.txn.open_table(CLASS_MONTHS)?;
        for &centre in centres {
            let mut keys = Vec::new();
            for entry in table.range((centre, "", i32::MIN, ClassId::MIN)..)? {
                let (guard, _) = entry?;
                let key = guard.value();
                if key.0 != centre {
                    break;
                }
                keys.push((key.1.to_owned(), key.2, key.3));
            }
            for (group, month, class) in keys {
                table.remove((centre, group.as_str(), month, class))?;
            }
        }
        for ((centre, group, month, class), n) in &recount.class_months {
            table.insert((*centre, group.as_str(), *month, *class), *n)?;
        }
        drop(table);
        let mut table = self.txn.open_table(GROUP_YEAR_CLASSES)?;
        for &centre in centres {
            let keys = centre_keys(&table, (centre, "", i32::MIN), centre)?;
            for (group, year) in keys {
                table.remove((centre, group.as_str(), year))?;
            }
        }
        for ((centre, group, year), n) in &recount.group_years {
            table.insert((*centre, group.as_str(), *year), *n)?;
        }
        drop(table);
        for (definition, counts) in [
            (CLASS_DAYS, &recount.class_days),
            (CLASS_YEARS, &recount.class_years),
        ] {
            let mut table = self.txn.open_table(definition)?;
            for &class in classes {
                let mut keys = Vec::new();
                for entry in table.range((class, i32::MIN)..=(class, i32::MAX))? {
                    keys.push(entry?.0.value());
                }
                for key in keys {
                    table.remove(key)?;
                }
            }
            for (key, n) in counts {
                table.insert(*key, *n)?;
            }
        }
        Ok(())
    }
}

/// The groups of `centre` that have counters, found by hopping from one group to the next
/// (one seek each) rather than reading every day of every group.
fn counter_groups(
    counters: &impl ReadableTable<(u64, &'static str, i32), (u64, u64, u64)>,
    centre: CentreId,
) -> Result<Vec<String>, StoreError> {
    let mut groups: Vec<String> = Vec::new();
    loop {
        let next = {
            let lower = match groups.last() {
                Some(g) => Bound::Excluded((centre, g.as_str(), i32::MAX)),
                None => Bound::Included((centre, "", i32::MIN)),
            };
            let upper = Bound::Excluded((centre.saturating_add(1), "", i32::MIN));
            let mut range = counters.range::<(u64, &str, i32)>((lower, upper))?;
            match range.next() {
                Some(entry) => Some(entry?.0.value().1.to_owned()),
                None => None,
            }
        };
        match next {
            // The upper bound is open at the next centre, so the last centre id is the
            // only one where `saturating_add` could end the range early; ids start at 1
            // and never get there.
            Some(group) => groups.push(group),
            None => break,
        }
    }
    Ok(groups)
}

/// "Số lớp" of (centre, group) over `period` from `GROUP_YEAR_CLASSES`, or `None` when
/// the year's count is not the period's.
///
/// The year's count holds every class of the group with a live session anywhere in that
/// counted year (starting on `start`). When the period starts on a counted year's first
/// day, ends in the same counted year and the group has no live session in that year
/// after the period's end, every session of the group in that year lies inside the
/// period, so the classes of the year are exactly the classes of the period. Checking that costs one short range read of `GROUP_DAY_COUNTERS` (empty in the
/// normal case, since sessions are rarely entered for future dates), so a year-to-date or
/// whole-year count costs two reads however many classes the year had. Any other period,
/// or a year-to-date one with sessions dated later, is left to `distinct_classes`.
fn year_classes(
    counters: &impl ReadableTable<(u64, &'static str, i32), (u64, u64, u64)>,
    group_years: &impl ReadableTable<(u64, &'static str, i32), u64>,
    start: YearStart,
    centre: CentreId,
    group: &str,
    period: Period,
) -> Result<Option<u64>, StoreError> {
    if start.latest_on_or_before(period.from) != period.from
        || start.latest_on_or_before(period.to) != period.from
    {
        return Ok(None);
    }
    let year = period.from.year();
    // The counted year's last day: the day before the next start day.
    let Some(last) = NaiveDate::from_ymd_opt(year + 1, start.month(), start.day())
        .and_then(|next| next.pred_opt())
    else {
        return Ok(None);
    };
    if period.to < last {
        // `period.to` is before the last day, so the day after it is still in the year.
        let after = day_number(period.to) + 1;
        let later = (centre, group, after)..=(centre, group, day_number(last));
        if counters.range(later)?.next().is_some() {
            return Ok(None);
        }
    }
    Ok(Some(
        group_years
            .get((centre, group, year))?
            .map_or(0, |v| v.value()),
    ))
}

/// The number of distinct classes of (centre, group) with a live session in `period`.
///
/// Months wholly inside the period are read as one range of `CLASS_MONTHS`; a month the
/// period cuts (at most the first and the last) looks each class of that month up in
/// `CLASS_DAYS` for a day inside the cut.
pub(super) fn distinct_classes(
    months: &impl ReadableTable<(u64, &'static str, i32, u64), u64>,
    days: &impl ReadableTable<(u64, i32), u64>,
    centre: CentreId,
    group: &str,
    period: Period,
) -> Result<u64, StoreError> {
    let first_month = month_number(period.from);
    let last_month = month_number(period.to);
    let starts_on_first = period.from.day() == 1;
    let ends_on_last = period.to.succ_opt().is_none_or(|next| next.day() == 1);
    let first_full = if starts_on_first {
        first_month
    } else {
        first_month + 1
    };
    let last_full = if ends_on_last {
        last_month
    } else {
        last_month - 1
    };
    let mut seen: HashSet<ClassId> = HashSet::new();
    if first_full <= last_full {
        let range =
            (centre, group, first_full, ClassId::MIN)..=(centre, group, last_full, ClassId::MAX);
        for entry in months.range(range)? {
            seen.insert(entry?.0.value().3);
        }
    }
    let mut cut_months = vec![first_month];
    if last_month != first_month {
        cut_months.push(last_month);
    }
    for month in cut_months {
        if (first_full..=last_full).contains(&month) {
            continue;
        }
        let Some((month_first, month_last)) = month_bounds(month) else {
            continue;
        };
        let lo = day_number(period.from.max(month_first));
        let hi = day_number(period.to.min(month_last));
        let range = (centre, group, month, ClassId::MIN)..=(centre, group, month, ClassId::MAX);
        for entry in months.range(range)? {
            let class = entry?.0.value().3;
            if !seen.contains(&class) && days.range((class, lo)..=(class, hi))?.next().is_some() {
                seen.insert(class);
            }
        }
    }
    Ok(seen.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::super::tables::{self, meta_keys, CLASS_RECENCY, DELETED_SESSIONS, NO_SESSION_DAY};
    use super::super::{meta, SessionChanges, Snapshot, Store, SCHEMA_VERSION};
    use super::*;
    use crate::domain::{ClassChoice, NewSession, YearStart};
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;
    use redb::ReadableTableMetadata;
    use std::collections::BTreeSet;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2020, 6, 1, 12, 0, 0)
            .single()
            .expect("valid instant")
            + Days::new(u64::from(day))
    }

    #[test]
    fn month_numbers_order_like_dates_and_bound_their_month() {
        assert_eq!(
            month_number(date(2020, 12, 31)) + 1,
            month_number(date(2021, 1, 1))
        );
        assert_eq!(
            month_bounds(month_number(date(2020, 2, 10))),
            Some((date(2020, 2, 1), date(2020, 2, 29)))
        );
        assert_eq!(
            month_bounds(month_number(date(2021, 12, 5))),
            Some((date(2021, 12, 1), date(2021, 12, 31)))
        );
    }

    const GROUPS: [&str; 3] = ["law", "health", "arts_sports"];
    const CLASSES: [&str; 4] = ["Một", "Hai", "Ba", "Bốn"];
    /// Sessions fall from mid-January over four months (of 2020, and of 2021 for some
    /// generated ones), so periods cut months at both ends.
    const FIRST_DAY: (i32, u32, u32) = (2020, 1, 15);
    const DAYS: u32 = 120;
    /// The offset of the same day a year later (2020 is a leap year): 15 January 2021.
    const NEXT_YEAR: u32 = 366;
    /// One past the last offset a test session can have.
    const SPAN: u32 = NEXT_YEAR + DAYS;

    fn day(offset: u32) -> NaiveDate {
        let (y, m, d) = FIRST_DAY;
        date(y, m, d) + Days::new(u64::from(offset))
    }

    /// The day offset of a generated session: mostly in the first year, some in the next,
    /// so that classes meet in two years and year counts have more than one key.
    fn session_day() -> impl Strategy<Value = u32> {
        prop_oneof![3 => 0..DAYS, 1 => NEXT_YEAR..SPAN]
    }

    fn new_session(centre: u64, g: usize, k: usize, d: u32, total: u32, female: u32) -> NewSession {
        NewSession {
            centre,
            organiser: 7,
            group: GROUPS[g].to_owned(),
            class: ClassChoice::New {
                name: CLASSES[k].to_owned(),
                key: CLASSES[k].to_lowercase(),
            },
            date: day(d),
            total,
            female,
            extra: BTreeMap::new(),
            created_at: at(0),
        }
    }

    /// One step of the property test. Indices pick among the session ids handed out so
    /// far (modulo their number), so edits and deletions hit live, deleted and unknown ids.
    #[derive(Debug, Clone)]
    enum Op {
        Insert(u64, usize, usize, u32, u32, u32),
        Edit {
            pick: usize,
            group_class: Option<(usize, usize)>,
            day: Option<u32>,
            total: Option<u32>,
            female: Option<u32>,
        },
        Delete(usize),
        Restore(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        let insert = (1u64..=3, 0usize..3, 0usize..4, session_day(), 0u32..500)
            .prop_flat_map(|(c, g, k, d, t)| (Just(c), Just(g), Just(k), Just(d), Just(t), 0..=t))
            .prop_map(|(c, g, k, d, t, f)| Op::Insert(c, g, k, d, t, f));
        let edit = (
            any::<usize>(),
            proptest::option::of((0usize..3, 0usize..4)),
            proptest::option::of(session_day()),
            proptest::option::of(0u32..500),
            // Female counts above some totals make refused edits, which must change nothing.
            proptest::option::of(0u32..300),
        )
            .prop_map(|(pick, group_class, day, total, female)| Op::Edit {
                pick,
                group_class,
                day,
                total,
                female,
            });
        prop_oneof![
            4 => insert,
            2 => edit,
            2 => any::<usize>().prop_map(Op::Delete),
            1 => any::<usize>().prop_map(Op::Restore),
        ]
    }

    fn apply(store: &Store, op: &Op, ids: &mut Vec<u64>, now: DateTime<Utc>) {
        let pick = |i: usize| ids.get(i % ids.len().max(1)).copied().unwrap_or(999);
        match op {
            Op::Insert(c, g, k, d, t, f) => {
                let saved = store
                    .write(|tx| tx.save_session(&new_session(*c, *g, *k, *d, *t, *f)))
                    .expect("a valid session saves");
                ids.push(saved.id);
            }
            Op::Edit {
                pick: i,
                group_class,
                day: d,
                total,
                female,
            } => {
                let changes = SessionChanges {
                    group: group_class.map(|(g, _)| GROUPS[g].to_owned()),
                    class: group_class.map(|(_, k)| ClassChoice::New {
                        name: CLASSES[k].to_owned(),
                        key: CLASSES[k].to_lowercase(),
                    }),
                    date: d.map(day),
                    total: *total,
                    female: *female,
                    extra: None,
                };
                // A refused edit (too many women) rolls the whole transaction back.
                let _ = store.write(|tx| tx.update_session(pick(*i), &changes));
            }
            Op::Delete(i) => {
                store
                    .write(|tx| tx.delete_session(pick(*i), now))
                    .expect("deleting never fails");
            }
            Op::Restore(i) => {
                store
                    .write(|tx| tx.restore_session(pick(*i), now))
                    .expect("restoring never fails");
            }
        }
    }

    /// The content of every counter table: the oracle's recount has the store's own shape.
    type Recount = CounterContents;

    /// The counters as a full recount of the live sessions would make them. The distinct
    /// classes of a year are collected as sets, independently of how the store counts them.
    fn recount(sessions: &[SessionRecord], start: YearStart) -> Recount {
        let mut r = Recount::default();
        let mut year_classes: BTreeMap<(u64, String, i32), BTreeSet<u64>> = BTreeMap::new();
        for s in sessions {
            let c = r
                .group_days
                .entry((s.centre, s.group.clone(), day_number(s.date)))
                .or_default();
            c.0 += 1;
            c.1 += u64::from(s.total);
            c.2 += u64::from(s.female);
            *r.class_months
                .entry((s.centre, s.group.clone(), month_number(s.date), s.class))
                .or_default() += 1;
            *r.class_days
                .entry((s.class, day_number(s.date)))
                .or_default() += 1;
            let year = start.latest_on_or_before(s.date).year();
            r.roll_up.add(s, year);
            *r.class_years.entry((s.class, year)).or_default() += 1;
            year_classes
                .entry((s.centre, s.group.clone(), year))
                .or_default()
                .insert(s.class);
        }
        r.group_years = year_classes
            .into_iter()
            .map(|(key, classes)| (key, classes.len() as u64))
            .collect();
        r
    }

    /// The counter tables as stored.
    fn stored(tx: &Snapshot<'_>) -> Result<Recount, StoreError> {
        tx.stored_counters()
    }

    /// Every live session, straight from the `SESSIONS` table.
    fn live(tx: &Snapshot<'_>) -> Result<Vec<SessionRecord>, StoreError> {
        let mut all = Vec::new();
        for entry in tx.table(SESSIONS)?.iter()? {
            all.push(super::super::codec::decode(entry?.1.value())?);
        }
        Ok(all)
    }

    /// Per-group totals recounted from sessions, the way the report defines them.
    fn totals_of(
        sessions: &[SessionRecord],
        centre: Option<u64>,
        period: Period,
    ) -> BTreeMap<String, Totals> {
        let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
        let mut classes: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
        for s in sessions
            .iter()
            .filter(|s| period.contains(s.date) && centre.is_none_or(|c| c == s.centre))
        {
            let t = totals.entry(s.group.clone()).or_default();
            t.sessions += 1;
            t.attendance += u64::from(s.total);
            t.female += u64::from(s.female);
            classes.entry(s.group.clone()).or_default().insert(s.class);
        }
        for (group, ids) in classes {
            if let Some(t) = totals.get_mut(&group) {
                t.classes = ids.len() as u64;
            }
        }
        totals
    }

    /// Checks that the year's class count is used for exactly the periods it answers (from
    /// 1 January, within one year, no session of the group later that year) and that it
    /// then equals the recount, for every (centre, group) with sessions. Returns how many
    /// times it answered, so callers can make sure the fast path was exercised.
    fn check_year_classes(
        tx: &Snapshot<'_>,
        sessions: &[SessionRecord],
        periods: &[(Option<u64>, Period)],
    ) -> Result<usize, StoreError> {
        let counters = tx.table(GROUP_DAY_COUNTERS)?;
        let group_years = tx.table(GROUP_YEAR_CLASSES)?;
        let start = tx.counter_year_start()?;
        let groups: BTreeSet<(u64, &str)> = sessions
            .iter()
            .map(|s| (s.centre, s.group.as_str()))
            .collect();
        let mut answered = 0;
        for (centre, period) in periods {
            for &(c, group) in groups
                .iter()
                .filter(|(c, _)| centre.is_none_or(|x| x == *c))
            {
                let of_group = || {
                    sessions
                        .iter()
                        .filter(|s| s.centre == c && s.group == group)
                };
                // An independent statement of when the count applies: the period starts on
                // a start day, and neither its end nor any later session of the group
                // reaches the next start day.
                let first = period.from;
                let next = NaiveDate::from_ymd_opt(first.year() + 1, start.month(), start.day())
                    .expect("a day of every year");
                let later = of_group().any(|s| s.date > period.to && s.date < next);
                let applies = first.month() == start.month()
                    && first.day() == start.day()
                    && period.to < next
                    && !later;
                let found = year_classes(&counters, &group_years, start, c, group, *period)?;
                if applies {
                    let classes: BTreeSet<u64> = of_group()
                        .filter(|s| period.contains(s.date))
                        .map(|s| s.class)
                        .collect();
                    assert_eq!(
                        found,
                        Some(classes.len() as u64),
                        "year classes of {c} {group:?} over {period:?}"
                    );
                    answered += 1;
                } else {
                    assert_eq!(found, None, "{c} {group:?} over {period:?}");
                }
            }
        }
        Ok(answered)
    }

    /// Checks every counter, every class's last session date and recency key, and
    /// `group_totals` for `periods`, against a recount of the live sessions; returns how
    /// often the year's class count answered (see `check_year_classes`).
    fn check_against_recount(store: &Store, periods: &[(Option<u64>, Period)]) -> usize {
        store
            .read(|tx| {
                let sessions = live(tx)?;
                assert_eq!(
                    stored(tx)?,
                    recount(&sessions, tx.counter_year_start()?),
                    "counters differ from a recount"
                );
                for (centre, period) in periods {
                    assert_eq!(
                        tx.group_totals(*centre, *period)?,
                        totals_of(&sessions, *centre, *period),
                        "group_totals({centre:?}, {period:?})"
                    );
                }
                let by_month =
                    tx.month_totals(None, Period::new(day(0), day(SPAN)).expect("period"))?;
                let attendance: u64 = by_month.values().map(|t| t.attendance).sum();
                let expected: u64 = sessions.iter().map(|s| u64::from(s.total)).sum();
                assert_eq!(attendance, expected, "month totals");

                let mut last: BTreeMap<u64, NaiveDate> = BTreeMap::new();
                for s in &sessions {
                    let entry = last.entry(s.class).or_insert(s.date);
                    *entry = (*entry).max(s.date);
                }
                let recency = tx.table(CLASS_RECENCY)?;
                let mut recency_keys = 0;
                for entry in recency.iter()? {
                    let (key, _) = entry?;
                    let (centre, group, recency_day, id) = key.value();
                    let class = tx.class(id)?.expect("indexed class exists");
                    assert_eq!((class.centre, class.group.as_str()), (centre, group));
                    assert_eq!(class.last_session, last.get(&id).copied(), "class {id}");
                    let expected = class.last_session.map_or(NO_SESSION_DAY, day_number);
                    assert_eq!(recency_day, expected, "recency key of class {id}");
                    recency_keys += 1;
                }
                assert_eq!(recency_keys, tx.table(tables::CLASSES)?.len()?);
                // A session is live or deleted, never both.
                for kept in tx.deleted_sessions(None)? {
                    assert!(tx.session_record(kept.record.id)?.is_none());
                }
                check_year_classes(tx, &sessions, periods)
            })
            .expect("reading the store")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn counters_and_group_totals_equal_a_recount_after_any_changes(
            ops in proptest::collection::vec(op(), 0..40),
            periods in proptest::collection::vec(
                (proptest::option::of(1u64..=3), session_day(), 0..DAYS), 1..6),
            year_to_date in proptest::collection::vec(
                (proptest::option::of(1u64..=3), session_day()), 1..6),
            school_year in any::<bool>(),
        ) {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = Store::open(&dir.path().join("p.redb")).expect("open");
            // The bot may count reporting years from 1 September (`period_start`).
            if school_year {
                let september = YearStart::new(9, 1).expect("a day of every year");
                store.write(|tx| tx.set_counter_year_start(september)).expect("set");
            }
            let mut ids = Vec::new();
            for (i, op) in ops.iter().enumerate() {
                // Time moves a day per step: restores stay within the 30 days kept.
                let step = u32::try_from(i).unwrap_or(u32::MAX);
                apply(&store, op, &mut ids, at(step));
            }
            let mut wanted: Vec<(Option<u64>, Period)> = periods
                .iter()
                .map(|(c, from, len)| {
                    (*c, Period::new(day(*from), day(*from) + Days::new(u64::from(*len))).expect("ordered"))
                })
                .collect();
            // Whole months too, which take the month-index path only.
            wanted.push((None, Period::new(date(2020, 2, 1), date(2020, 3, 31)).expect("ordered")));
            wanted.push((Some(1), Period::new(date(2020, 3, 1), date(2020, 3, 31)).expect("ordered")));
            // Year-to-date periods (the running totals after a Save) end anywhere among the
            // sessions of their year, so some leave sessions after them (the general path)
            // and some none (the year's count); whole years always take the year's count,
            // and a period over both years never does. Reporting years take the year's
            // count when they start on the store's counted year start.
            let september = YearStart::new(9, 1).expect("a day of every year");
            for start in [YearStart::JANUARY_FIRST, september] {
                wanted.extend(year_to_date.iter().map(|(c, to)| {
                    (*c, Period::reporting_year_to_date(start, day(*to)))
                }));
            }
            wanted.push((None, Period::new(date(2020, 1, 1), date(2020, 12, 31)).expect("ordered")));
            wanted.push((Some(2), Period::new(date(2021, 1, 1), date(2021, 12, 31)).expect("ordered")));
            wanted.push((None, Period::new(date(2020, 1, 1), date(2021, 6, 30)).expect("ordered")));
            check_against_recount(&store, &wanted);
        }
    }

    #[test]
    fn a_deleted_session_leaves_the_report_and_comes_back_on_restore() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("d.redb")).expect("open");
        let whole = Period::new(day(0), day(DAYS)).expect("period");
        let (a, b) = store
            .write(|tx| {
                let a = tx.save_session(&new_session(1, 0, 0, 10, 40, 20))?;
                let b = tx.save_session(&new_session(1, 0, 0, 30, 50, 25))?;
                Ok((a, b))
            })
            .expect("save");
        let deleted = store
            .write(|tx| tx.delete_session(b.id, at(0)))
            .expect("delete");
        assert_eq!(deleted.as_ref().map(|s| s.id), Some(b.id));
        // A second tap finds nothing to delete.
        assert_eq!(
            store
                .write(|tx| tx.delete_session(b.id, at(0)))
                .expect("delete"),
            None
        );
        store
            .read(|tx| {
                let totals = tx.group_totals(Some(1), whole)?;
                assert_eq!(totals["law"].attendance, 40);
                assert_eq!(
                    tx.class(a.class)?.and_then(|c| c.last_session),
                    Some(day(10))
                );
                assert_eq!(tx.sessions(None, whole)?.len(), 1);
                assert_eq!(tx.deleted_session(b.id)?.map(|d| d.deleted_at), Some(at(0)));
                Ok(())
            })
            .expect("read");
        let restored = store
            .write(|tx| tx.restore_session(b.id, at(29)))
            .expect("restore");
        assert_eq!(restored, Some(b.clone()));
        store
            .read(|tx| {
                assert_eq!(tx.group_totals(Some(1), whole)?["law"].attendance, 90);
                assert_eq!(
                    tx.class(a.class)?.and_then(|c| c.last_session),
                    Some(day(30))
                );
                assert!(tx.deleted_sessions(None)?.is_empty());
                Ok(())
            })
            .expect("read");
        check_against_recount(&store, &[(None, whole)]);
    }

    #[test]
    fn deletions_older_than_thirty_days_cannot_be_restored_and_are_purged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("r.redb")).expect("open");
        let (a, b) = store
            .write(|tx| {
                let a = tx.save_session(&new_session(1, 1, 1, 1, 10, 5))?;
                let b = tx.save_session(&new_session(1, 1, 2, 2, 10, 5))?;
                Ok((a, b))
            })
            .expect("save");
        store
            .write(|tx| tx.delete_session(a.id, at(0)))
            .expect("delete");
        assert_eq!(
            store
                .write(|tx| tx.restore_session(a.id, at(31)))
                .expect("restore"),
            None
        );
        // Deleting another session a month later purges the first deletion for good.
        store
            .write(|tx| tx.delete_session(b.id, at(31)))
            .expect("delete");
        store
            .read(|tx| {
                assert_eq!(tx.deleted_session(a.id)?, None);
                assert!(tx.deleted_session(b.id)?.is_some());
                assert_eq!(tx.table(DELETED_SESSIONS)?.len()?, 1);
                Ok(())
            })
            .expect("read");
    }

    #[test]
    fn an_edit_moves_the_counters_and_can_be_undone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("e.redb")).expect("open");
        let whole = Period::new(day(0), day(DAYS)).expect("period");
        let s = store
            .write(|tx| tx.save_session(&new_session(1, 0, 0, 5, 40, 20)))
            .expect("save");
        let moved = SessionChanges {
            group: Some("health".to_owned()),
            class: Some(ClassChoice::New {
                name: "Phòng chống sốt xuất huyết".to_owned(),
                key: "phong chong sot xuat huyet".to_owned(),
            }),
            date: Some(day(50)),
            total: Some(60),
            ..SessionChanges::default()
        };
        let edited = store
            .write(|tx| tx.update_session(s.id, &moved))
            .expect("edit")
            .expect("live session");
        assert_eq!(edited.before, s);
        assert_eq!(
            (edited.after.group.as_str(), edited.after.total),
            ("health", 60)
        );
        store
            .read(|tx| {
                let totals = tx.group_totals(Some(1), whole)?;
                assert!(!totals.contains_key("law"));
                assert_eq!(totals["health"].attendance, 60);
                // The old class has no session left.
                assert_eq!(tx.class(s.class)?.and_then(|c| c.last_session), None);
                Ok(())
            })
            .expect("read");
        // Moving group without a class, or more women than people, is refused whole.
        let bad = SessionChanges {
            group: Some("law".to_owned()),
            ..SessionChanges::default()
        };
        assert!(store.write(|tx| tx.update_session(s.id, &bad)).is_err());
        let bad = SessionChanges {
            female: Some(61),
            ..SessionChanges::default()
        };
        assert!(store.write(|tx| tx.update_session(s.id, &bad)).is_err());
        // A class of another group is refused.
        let bad = SessionChanges {
            class: Some(ClassChoice::Existing(s.class)),
            ..SessionChanges::default()
        };
        assert!(store.write(|tx| tx.update_session(s.id, &bad)).is_err());

        let undo = SessionChanges::back_to(&edited.before);
        let undone = store
            .write(|tx| tx.update_session(s.id, &undo))
            .expect("undo")
            .expect("live session");
        assert_eq!(undone.after, s);
        assert_eq!(
            store
                .write(|tx| tx.update_session(999, &undo))
                .expect("edit"),
            None
        );
        check_against_recount(&store, &[(None, whole), (Some(1), whole)]);
    }

    #[test]
    fn a_version_1_file_gets_its_counters_on_opening() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("v1.redb");
        let store = Store::open(&path).expect("open");
        store
            .write(|tx| {
                for i in 0..60u32 {
                    let (g, k) = (i as usize % 3, i as usize % 4);
                    tx.save_session(&new_session(1 + u64::from(i % 2), g, k, i * 2, 30 + i, i))?;
                }
                Ok(())
            })
            .expect("save");
        // Make it the file v1 wrote: the same tables without the v2 and v3 ones, version 1.
        {
            let txn = store.db.begin_write().expect("write");
            txn.delete_table(GROUP_DAY_COUNTERS).expect("drop");
            txn.delete_table(CLASS_MONTHS).expect("drop");
            txn.delete_table(CLASS_DAYS).expect("drop");
            txn.delete_table(CLASS_YEARS).expect("drop");
            txn.delete_table(GROUP_YEAR_CLASSES).expect("drop");
            txn.delete_table(DELETED_SESSIONS).expect("drop");
            meta::put(&txn, meta_keys::SCHEMA_VERSION, &1u32).expect("version");
            txn.commit().expect("commit");
        }
        drop(store);

        let store = Store::open(&path).expect("reopen migrates");
        let version = store
            .read(|tx| meta::get::<u32>(tx.source, meta_keys::SCHEMA_VERSION))
            .expect("read");
        assert_eq!(version, Some(SCHEMA_VERSION));
        let periods = [
            (None, Period::new(day(0), day(DAYS)).expect("period")),
            (
                Some(2),
                Period::new(date(2020, 2, 10), date(2020, 3, 31)).expect("period"),
            ),
        ];
        check_against_recount(&store, &periods);
        let totals = store
            .read(|tx| tx.group_totals(None, periods[0].1))
            .expect("read");
        assert_eq!(totals.values().map(|t| t.sessions).sum::<u64>(), 60);
    }

    #[test]
    fn a_counter_out_of_step_is_found_and_rebuilt() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("drift.redb")).expect("open");
        store
            .write(|tx| {
                for i in 0..20u32 {
                    let (g, k) = (i as usize % 3, i as usize % 4);
                    tx.save_session(&new_session(1, g, k, i, 30 + i, i))?;
                }
                Ok(())
            })
            .expect("save");
        let right = |store: &Store| store.read(|tx| tx.counters_match_sessions()).expect("read");
        assert!(right(&store), "counters kept in step by every save");
        // Each table in turn loses one entry (as a bug or a bad edit by hand would do).
        for table in 0..5 {
            store
                .write(|tx| {
                    match table {
                        0 => drop(tx.txn.open_table(GROUP_DAY_COUNTERS)?.pop_first()?),
                        1 => drop(tx.txn.open_table(CLASS_MONTHS)?.pop_first()?),
                        2 => drop(tx.txn.open_table(CLASS_DAYS)?.pop_first()?),
                        3 => drop(tx.txn.open_table(CLASS_YEARS)?.pop_first()?),
                        _ => drop(tx.txn.open_table(GROUP_YEAR_CLASSES)?.pop_first()?),
                    }
                    Ok(())
                })
                .expect("change");
            assert!(!right(&store), "a missing entry of table {table} is found");
            store.write(|tx| tx.rebuild_counters()).expect("rebuild");
            assert!(right(&store), "rebuilt");
        }
    }

    #[test]
    fn a_version_2_file_gets_its_year_class_counts_on_opening() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("v2.redb");
        let store = Store::open(&path).expect("open");
        store
            .write(|tx| {
                for i in 0..80u32 {
                    let (g, k) = (i as usize % 3, i as usize % 4);
                    // Every fifth session falls in the next year, so classes meet in both.
                    let d = if i % 5 == 0 { NEXT_YEAR + i } else { i };
                    tx.save_session(&new_session(1 + u64::from(i % 2), g, k, d, 30 + i, i))?;
                }
                Ok(())
            })
            .expect("save");
        let mut periods = Vec::new();
        for centre in [None, Some(1), Some(2)] {
            for to in [day(30), day(DAYS), day(NEXT_YEAR + 40), day(SPAN)] {
                periods.push((
                    centre,
                    Period::reporting_year_to_date(YearStart::JANUARY_FIRST, to),
                ));
            }
            periods.push((
                centre,
                Period::new(date(2020, 1, 1), date(2020, 12, 31)).expect("period"),
            ));
        }
        let totals = |store: &Store| -> Vec<BTreeMap<String, Totals>> {
            store
                .read(|tx| {
                    periods
                        .iter()
                        .map(|(c, p)| tx.group_totals(*c, *p))
                        .collect()
                })
                .expect("read")
        };
        assert!(check_against_recount(&store, &periods) > 0);
        let before = totals(&store);

        // Make it the file v2 wrote: the same tables without the v3 ones, version 2.
        {
            let txn = store.db.begin_write().expect("write");
            txn.delete_table(CLASS_YEARS).expect("drop");
            txn.delete_table(GROUP_YEAR_CLASSES).expect("drop");
            meta::put(&txn, meta_keys::SCHEMA_VERSION, &2u32).expect("version");
            txn.commit().expect("commit");
        }
        drop(store);

        let store = Store::open(&path).expect("reopen migrates");
        let version = store
            .read(|tx| meta::get::<u32>(tx.source, meta_keys::SCHEMA_VERSION))
            .expect("read");
        assert_eq!(version, Some(SCHEMA_VERSION));
        // The new tables match a recount and answer the year-to-date periods they can.
        assert!(check_against_recount(&store, &periods) > 0);
        let after = totals(&store);
        assert_eq!(after, before);
        assert!(after.iter().flat_map(|t| t.values()).any(|t| t.classes > 1));
    }

    #[test]
    fn a_version_4_file_gets_the_roll_up_counters() {
        use super::super::tables::{
            DAY_CENTRE_TOTALS, MONTH_CENTRE_CLASSES, MONTH_CENTRE_TOTALS, YEAR_FIRST_DAYS,
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("v4.redb");
        let store = Store::open(&path).expect("open");
        store
            .write(|tx| {
                for i in 0..90u32 {
                    let (g, k) = (i as usize % 3, i as usize % 4);
                    // Every fifth session falls in the next year, so classes meet in both.
                    let d = if i % 5 == 0 { NEXT_YEAR + i } else { i };
                    tx.save_session(&new_session(1 + u64::from(i % 3), g, k, d, 30 + i, i))?;
                }
                Ok(())
            })
            .expect("save");
        // The roll-up's periods: year to date, a whole year, whole months, cut months.
        let periods = [
            Period::reporting_year_to_date(YearStart::JANUARY_FIRST, day(DAYS)),
            Period::new(date(2020, 1, 1), date(2020, 12, 31)).expect("period"),
            Period::new(date(2020, 2, 1), date(2020, 3, 31)).expect("period"),
            Period::new(day(10), day(NEXT_YEAR + 50)).expect("period"),
        ];
        let by_centre = |store: &Store| {
            store
                .read(|tx| {
                    periods
                        .iter()
                        .map(|p| Ok((tx.group_totals_by_centre(*p)?, tx.month_totals(None, *p)?)))
                        .collect::<Result<Vec<_>, StoreError>>()
                })
                .expect("read")
        };
        let before = by_centre(&store);
        assert!(before.iter().all(|(centres, _)| centres.len() == 3));

        // Make it the file v4 wrote: the same tables without the roll-up's, version 4.
        {
            let txn = store.db.begin_write().expect("write");
            txn.delete_table(MONTH_CENTRE_TOTALS).expect("drop");
            txn.delete_table(DAY_CENTRE_TOTALS).expect("drop");
            txn.delete_table(MONTH_CENTRE_CLASSES).expect("drop");
            txn.delete_table(YEAR_FIRST_DAYS).expect("drop");
            meta::put(&txn, meta_keys::SCHEMA_VERSION, &4u32).expect("version");
            txn.commit().expect("commit");
        }
        drop(store);

        let store = Store::open(&path).expect("reopen migrates");
        let version = store
            .read(|tx| meta::get::<u32>(tx.source, meta_keys::SCHEMA_VERSION))
            .expect("read");
        assert_eq!(version, Some(SCHEMA_VERSION));
        // A version-4 file goes all the way: the roll-up's counters (5), then the class
        // index (6).
        assert_eq!(SCHEMA_VERSION, 6);
        assert!(store
            .read(|tx| tx.counters_match_sessions())
            .expect("check"));
        let rows = store
            .read(
                |tx| Ok(tx.table(YEAR_FIRST_DAYS)?.len()? + tx.table(MONTH_CENTRE_TOTALS)?.len()?),
            )
            .expect("read");
        assert!(rows > 0, "the roll-up's tables are filled");
        assert_eq!(by_centre(&store), before);
    }

    #[test]
    fn the_fast_year_class_count_applies_for_a_school_year() {
        // Regression (issue 16): the year's class count only answered for periods from
        // 1 January, so with `period_start = "09-01"` every Save's running totals took the
        // slow path, whose cost grows with the classes of the year.
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("s.redb")).expect("open");
        let september = YearStart::new(9, 1).expect("a day of every year");
        store
            .write(|tx| {
                // Sessions first, then the start day: changing it counts the years again.
                for i in 0..60u32 {
                    let (g, k) = (i as usize % 3, i as usize % 4);
                    let d = if i % 5 == 0 { NEXT_YEAR + i } else { i };
                    tx.save_session(&new_session(1 + u64::from(i % 2), g, k, d, 30 + i, i))?;
                }
                assert!(tx.set_counter_year_start(september)?);
                assert!(!tx.set_counter_year_start(september)?, "already so");
                // And sessions saved after it are counted in school years as well.
                tx.save_session(&new_session(1, 0, 0, DAYS - 1, 10, 5))?;
                Ok(())
            })
            .expect("save");
        let mut periods = Vec::new();
        for centre in [None, Some(1), Some(2)] {
            for to in [day(DAYS), day(SPAN)] {
                periods.push((centre, Period::reporting_year_to_date(september, to)));
            }
            // A whole school year, and a calendar year (which now takes the general path).
            periods.push((
                centre,
                Period::new(date(2019, 9, 1), date(2020, 8, 31)).expect("period"),
            ));
            periods.push((
                centre,
                Period::new(date(2020, 1, 1), date(2020, 12, 31)).expect("period"),
            ));
        }
        let answered = check_against_recount(&store, &periods);
        // Every (centre, group) of the six school-year periods per centre answers fast.
        assert!(answered >= 12, "the year's count answered {answered} times");
    }
}
