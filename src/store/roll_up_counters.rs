//! The roll-up's counters: the report of every centre at once (the supervisor's `/report`,
//! the centre × group table, the same period a year earlier) in a few contiguous reads.
//!
//! The counters of `counters.rs` are keyed by centre first: one centre's report is one
//! range per group, which is right for a director. Over a thousand centres that is ten
//! thousand ranges, each a descent of the B-tree through pages the previous ranges pushed
//! out of redb's cache: about a second for a year of a million sessions (see
//! BENCHMARKS.md). These four tables hold the same facts keyed by time first, so one
//! period over every centre reads:
//!
//! - the sums: one range of `MONTH_CENTRE_TOTALS` over the months the period covers whole,
//!   and at most two ranges of `DAY_CENTRE_TOTALS` over the days of the months it cuts;
//! - "Số lớp" of a period that starts on a counted year's first day (year to date, a
//!   whole year, and the same period a year earlier): one range of `YEAR_FIRST_DAYS`, each
//!   class being there once a year, on the day of its first session that year;
//! - "Số lớp" of whole months (a month, a quarter): one range of `MONTH_CENTRE_CLASSES`;
//! - any other period counts its classes per centre and group as `counters.rs` does.
//!
//! They are kept in step by `count_session` (through `count_roll_up`), rebuilt with the
//! other counters (for the two centres of a centre merge by `rebuild_centre_roll_up`,
//! which `rebuild_centre_counters` calls), and compared with a recount by `rollcall check`.

use super::codec::day_number;
use super::counters::{counted_year, date_of_day, distinct_classes, month_number, Change};
use super::tables::{
    CLASS_DAYS, CLASS_MONTHS, CLASS_YEARS, DAY_CENTRE_TOTALS, MONTH_CENTRE_CLASSES,
    MONTH_CENTRE_TOTALS, YEAR_FIRST_DAYS,
};
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::domain::{CentreId, ClassId, Period, SessionRecord, Totals, YearStart};
use chrono::{Datelike, Days, NaiveDate};
use redb::{ReadableTable, Table};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Sessions, attendance and female attendance of one key.
type Sums = (u64, u64, u64);

/// The content of the roll-up's tables, in memory (for a recount or a comparison).
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct RollUpContents {
    /// `MONTH_CENTRE_TOTALS`: (month, centre, group) → sums.
    month_totals: BTreeMap<(i32, u64, String), Sums>,
    /// `DAY_CENTRE_TOTALS`: (day, centre, group) → sums.
    day_totals: BTreeMap<(i32, u64, String), Sums>,
    /// `MONTH_CENTRE_CLASSES`: (month, centre, group, class) → sessions.
    month_classes: BTreeMap<(i32, u64, String, u64), u64>,
    /// `YEAR_FIRST_DAYS`, by (class, year): (first day, centre, group). A class listed
    /// twice in a year (which only a bug could make) reads as day `i32::MIN`, so it never
    /// matches a recount.
    first_days: BTreeMap<(u64, i32), (i32, u64, String)>,
}

impl RollUpContents {
    /// Counts one live session (a recount); `year` is its counted year.
    pub(super) fn add(&mut self, s: &SessionRecord, year: i32) {
        let day = day_number(s.date);
        let month = month_number(s.date);
        for sums in [
            self.month_totals
                .entry((month, s.centre, s.group.clone()))
                .or_default(),
            self.day_totals
                .entry((day, s.centre, s.group.clone()))
                .or_default(),
        ] {
            sums.0 += 1;
            sums.1 += u64::from(s.total);
            sums.2 += u64::from(s.female);
        }
        *self
            .month_classes
            .entry((month, s.centre, s.group.clone(), s.class))
            .or_default() += 1;
        let first =
            self.first_days
                .entry((s.class, year))
                .or_insert((day, s.centre, s.group.clone()));
        first.0 = first.0.min(day);
    }
}

/// Adds one session's share to a sums table, or takes it out; a key whose sessions
/// reach 0 is removed (and must have zero sums, or the counters were wrong).
fn step_sums<K: redb::Key + 'static>(
    table: &mut Table<K, (u64, u64, u64)>,
    key: &K::SelfType<'_>,
    session: &SessionRecord,
    change: Change,
) -> Result<(), StoreError> {
    let old = table.get(key)?.map_or((0, 0, 0), |v| v.value());
    let by = (1, u64::from(session.total), u64::from(session.female));
    let moved = |old: u64, by: u64| match change {
        Change::Add => old.checked_add(by),
        Change::Remove => old.checked_sub(by),
    };
    let new = match (moved(old.0, by.0), moved(old.1, by.1), moved(old.2, by.2)) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => {
            return Err(StoreError::Db(
                "roll-up counters are out of step with the sessions".to_owned(),
            ))
        }
    };
    if new.0 == 0 {
        if new != (0, 0, 0) {
            return Err(StoreError::Db(
                "roll-up counters are out of step with the sessions".to_owned(),
            ));
        }
        table.remove(key)?;
    } else {
        table.insert(key, new)?;
    }
    Ok(())
}

/// The first and the day after the last day of counted year `year` starting on `start`.
fn year_bounds(start: YearStart, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, start.month(), start.day())?;
    let next = NaiveDate::from_ymd_opt(year + 1, start.month(), start.day())?;
    Some((first, next))
}

impl<S: Source> View<S> {
    /// The day of the first live session of `class` in counted year `year`, from
    /// `CLASS_DAYS`.
    pub(super) fn class_first_day(
        &self,
        class: ClassId,
        start: YearStart,
        year: i32,
    ) -> Result<Option<i32>, StoreError> {
        let Some((first, next)) = year_bounds(start, year) else {
            return Ok(None);
        };
        let days = self.table(CLASS_DAYS)?;
        let found = days
            .range((class, day_number(first))..(class, day_number(next)))?
            .next()
            .transpose()?
            .map(|(key, _)| key.value().1);
        Ok(found)
    }
}

impl Tx<'_> {
    /// Moves the roll-up's counters by one session (called by `count_session` after the
    /// other counters moved). `first_before` is the class's first day in the session's
    /// counted year `year` before the change.
    pub(super) fn count_roll_up(
        &mut self,
        session: &SessionRecord,
        change: Change,
        start: YearStart,
        year: i32,
        first_before: Option<i32>,
    ) -> Result<(), StoreError> {
        let group = session.group.as_str();
        let month = month_number(session.date);
        let day = day_number(session.date);
        step_sums(
            &mut self.txn.open_table(MONTH_CENTRE_TOTALS)?,
            &(month, session.centre, group),
            session,
            change,
        )?;
        step_sums(
            &mut self.txn.open_table(DAY_CENTRE_TOTALS)?,
            &(day, session.centre, group),
            session,
            change,
        )?;
        {
            let mut classes = self.txn.open_table(MONTH_CENTRE_CLASSES)?;
            let key = (month, session.centre, group, session.class);
            let old = classes.get(key)?.map_or(0, |v| v.value());
            let new = match change {
                Change::Add => old.checked_add(1),
                Change::Remove => old.checked_sub(1),
            }
            .ok_or_else(|| {
                StoreError::Db("roll-up class counts are out of step with the sessions".to_owned())
            })?;
            if new == 0 {
                classes.remove(key)?;
            } else {
                classes.insert(key, new)?;
            }
        }
        // The class's first day that year moves only when this session was, or becomes,
        // the first; `CLASS_DAYS` already has the change.
        let first_after = self.class_first_day(session.class, start, year)?;
        if first_after != first_before {
            let mut firsts = self.txn.open_table(YEAR_FIRST_DAYS)?;
            if let Some(old) = first_before {
                firsts.remove((year, old, session.centre, group, session.class))?;
            }
            if let Some(new) = first_after {
                firsts.insert((year, new, session.centre, group, session.class), ())?;
            }
        }
        Ok(())
    }

    /// Empties the roll-up's tables and writes `contents` (a recount) into them.
    pub(super) fn write_roll_up(&mut self, contents: &RollUpContents) -> Result<(), StoreError> {
        let mut table = self.txn.open_table(MONTH_CENTRE_TOTALS)?;
        table.retain(|_, _| false)?;
        for ((month, centre, group), sums) in &contents.month_totals {
            table.insert((*month, *centre, group.as_str()), *sums)?;
        }
        let mut table = self.txn.open_table(DAY_CENTRE_TOTALS)?;
        table.retain(|_, _| false)?;
        for ((day, centre, group), sums) in &contents.day_totals {
            table.insert((*day, *centre, group.as_str()), *sums)?;
        }
        let mut table = self.txn.open_table(MONTH_CENTRE_CLASSES)?;
        table.retain(|_, _| false)?;
        for ((month, centre, group, class), n) in &contents.month_classes {
            table.insert((*month, *centre, group.as_str(), *class), *n)?;
        }
        let mut table = self.txn.open_table(YEAR_FIRST_DAYS)?;
        table.retain(|_, _| false)?;
        for ((class, year), (day, centre, group)) in &contents.first_days {
            table.insert((*year, *day, *centre, group.as_str(), *class), ())?;
        }
        Ok(())
    }

    /// Throws away the roll-up's counters of `centres` and of their `classes`, and writes
    /// `recount` (the recount of those centres' live sessions) in their place: a centre
    /// merge, with `rebuild_centre_counters`. Must run before `CLASS_DAYS` and
    /// `CLASS_YEARS` are rebuilt: the classes' first days before the merge are read there.
    ///
    /// Sessions keep their dates in a merge, so the months and days the centres had
    /// counters on are the recount's; each is one short range per centre. The cost follows
    /// these centres' sessions, not the file's.
    pub(super) fn rebuild_centre_roll_up(
        &mut self,
        centres: &[CentreId],
        classes: &[ClassId],
        recount: &RollUpContents,
        start: YearStart,
    ) -> Result<(), StoreError> {
        // The first-day entries of the classes, found from their years and first days
        // as `CLASS_YEARS` and `CLASS_DAYS` still hold them.
        let mut old_firsts = Vec::new();
        {
            let years = self.table(CLASS_YEARS)?;
            for &class in classes {
                let mut class_years = Vec::new();
                for entry in years.range((class, i32::MIN)..=(class, i32::MAX))? {
                    class_years.push(entry?.0.value().1);
                }
                for year in class_years {
                    if let Some(day) = self.class_first_day(class, start, year)? {
                        old_firsts.push((class, year, day));
                    }
                }
            }
        }
        let mut firsts = self.txn.open_table(YEAR_FIRST_DAYS)?;
        for (class, year, day) in old_firsts {
            let mut keys = Vec::new();
            let range = (year, day, CentreId::MIN, "", ClassId::MIN)
                ..(year, day.saturating_add(1), CentreId::MIN, "", ClassId::MIN);
            for entry in firsts.range(range)? {
                let (key, _) = entry?;
                let (_, _, centre, group, other) = key.value();
                if other == class {
                    keys.push((centre, group.to_owned()));
                }
            }
            for (centre, group) in keys {
                firsts.remove((year, day, centre, group.as_str(), class))?;
            }
        }
        for ((class, year), (day, centre, group)) in &recount.first_days {
            firsts.insert((*year, *day, *centre, group.as_str(), *class), ())?;
        }
        drop(firsts);
        let months: BTreeSet<i32> = recount.month_totals.keys().map(|k| k.0).collect();
        let days: BTreeSet<i32> = recount.day_totals.keys().map(|k| k.0).collect();
        for (definition, times, counts) in [
            (MONTH_CENTRE_TOTALS, &months, &recount.month_totals),
            (DAY_CENTRE_TOTALS, &days, &recount.day_totals),
        ] {
            let mut table = self.txn.open_table(definition)?;
            for &time in times {
                for &centre in centres {
                    let mut groups = Vec::new();
                    for entry in table.range((time, centre, "")..)? {
                        let (key, _) = entry?;
                        let (t, c, group) = key.value();
                        if (t, c) != (time, centre) {
                            break;
                        }
                        groups.push(group.to_owned());
                    }
                    for group in groups {
                        table.remove((time, centre, group.as_str()))?;
                    }
                }
            }
            for ((time, centre, group), sums) in counts {
                table.insert((*time, *centre, group.as_str()), *sums)?;
            }
        }
        let mut table = self.txn.open_table(MONTH_CENTRE_CLASSES)?;
        for &month in &months {
            for &centre in centres {
                let mut keys = Vec::new();
                for entry in table.range((month, centre, "", ClassId::MIN)..)? {
                    let (key, _) = entry?;
                    let (m, c, group, class) = key.value();
                    if (m, c) != (month, centre) {
                        break;
                    }
                    keys.push((group.to_owned(), class));
                }
                for (group, class) in keys {
                    table.remove((month, centre, group.as_str(), class))?;
                }
            }
        }
        for ((month, centre, group, class), n) in &recount.month_classes {
            table.insert((*month, *centre, group.as_str(), *class), *n)?;
        }
        Ok(())
    }
}

impl<S: Source> View<S> {
    /// The roll-up's tables as stored.
    pub(super) fn stored_roll_up(&self) -> Result<RollUpContents, StoreError> {
        let mut all = RollUpContents::default();
        for entry in self.table(MONTH_CENTRE_TOTALS)?.iter()? {
            let (key, value) = entry?;
            let (month, centre, group) = key.value();
            all.month_totals
                .insert((month, centre, group.to_owned()), value.value());
        }
        for entry in self.table(DAY_CENTRE_TOTALS)?.iter()? {
            let (key, value) = entry?;
            let (day, centre, group) = key.value();
            all.day_totals
                .insert((day, centre, group.to_owned()), value.value());
        }
        for entry in self.table(MONTH_CENTRE_CLASSES)?.iter()? {
            let (key, value) = entry?;
            let (month, centre, group, class) = key.value();
            all.month_classes
                .insert((month, centre, group.to_owned(), class), value.value());
        }
        for entry in self.table(YEAR_FIRST_DAYS)?.iter()? {
            let (key, _) = entry?;
            let (year, day, centre, group, class) = key.value();
            let value = (day, centre, group.to_owned());
            if all.first_days.insert((class, year), value).is_some() {
                all.first_days
                    .insert((class, year), (i32::MIN, centre, group.to_owned()));
            }
        }
        Ok(all)
    }

    /// Totals per activity group for every centre with sessions in `period`, by centre id
    /// (the supervisor's roll-up). Centres without sessions in the period are absent.
    pub fn group_totals_by_centre(
        &self,
        period: Period,
    ) -> Result<BTreeMap<CentreId, BTreeMap<String, Totals>>, StoreError> {
        let mut all: BTreeMap<CentreId, BTreeMap<String, Totals>> = BTreeMap::new();
        let mut add = |centre: CentreId, group: &str, (sessions, attendance, female): Sums| {
            let totals = all
                .entry(centre)
                .or_default()
                .entry(group.to_owned())
                .or_default();
            totals.sessions += sessions;
            totals.attendance += attendance;
            totals.female += female;
        };
        let months = WholeMonths::of(period);
        if let Some((first, last)) = months.full {
            let table = self.table(MONTH_CENTRE_TOTALS)?;
            for entry in table.range((first, CentreId::MIN, "")..(last + 1, CentreId::MIN, ""))? {
                let (key, value) = entry?;
                let (_, centre, group) = key.value();
                add(centre, group, value.value());
            }
        }
        let days = self.table(DAY_CENTRE_TOTALS)?;
        for (from, to) in &months.cut_days {
            let range =
                (day_number(*from), CentreId::MIN, "")..(day_number(*to) + 1, CentreId::MIN, "");
            for entry in days.range(range)? {
                let (key, value) = entry?;
                let (_, centre, group) = key.value();
                add(centre, group, value.value());
            }
        }
        // Only the groups with sessions get a class count; classes of a group never
        // outlive its sessions.
        all.retain(|_, groups| {
            groups.retain(|_, t| t.sessions > 0);
            !groups.is_empty()
        });
        let start = self.counter_year_start()?;
        let mut classes: BTreeMap<(CentreId, String), u64> = BTreeMap::new();
        if let Some(year) = starts_a_counted_year(start, period) {
            // Every class of the year up to the period's last day is there once.
            let firsts = self.table(YEAR_FIRST_DAYS)?;
            let range = (
                year,
                day_number(period.from),
                CentreId::MIN,
                "",
                ClassId::MIN,
            )
                ..(
                    year,
                    day_number(period.to) + 1,
                    CentreId::MIN,
                    "",
                    ClassId::MIN,
                );
            for entry in firsts.range(range)? {
                let (key, _) = entry?;
                let (_, _, centre, group, _) = key.value();
                *classes.entry((centre, group.to_owned())).or_default() += 1;
            }
        } else if let (Some((first, last)), true) = (months.full, months.cut_days.is_empty()) {
            let table = self.table(MONTH_CENTRE_CLASSES)?;
            let mut seen: HashSet<(CentreId, String, ClassId)> = HashSet::new();
            let range = (first, CentreId::MIN, "", ClassId::MIN)
                ..(last + 1, CentreId::MIN, "", ClassId::MIN);
            for entry in table.range(range)? {
                let (key, _) = entry?;
                let (_, centre, group, class) = key.value();
                if seen.insert((centre, group.to_owned(), class)) {
                    *classes.entry((centre, group.to_owned())).or_default() += 1;
                }
            }
        } else {
            // Any other period: per centre and group, as one centre's report counts.
            let months = self.table(CLASS_MONTHS)?;
            let days = self.table(CLASS_DAYS)?;
            for (centre, groups) in &all {
                for group in groups.keys() {
                    let n = distinct_classes(&months, &days, *centre, group, period)?;
                    classes.insert((*centre, group.clone()), n);
                }
            }
        }
        for (centre, groups) in &mut all {
            for (group, totals) in groups.iter_mut() {
                totals.classes = classes.get(&(*centre, group.clone())).copied().unwrap_or(0);
            }
        }
        Ok(all)
    }

    /// Sessions, attendance and female attendance per calendar month of `period` over
    /// every centre, keyed by the first day of the month (as `month_totals` of no centre).
    pub(super) fn all_month_totals(
        &self,
        period: Period,
    ) -> Result<BTreeMap<NaiveDate, Totals>, StoreError> {
        let mut by_month: BTreeMap<NaiveDate, Totals> = BTreeMap::new();
        let mut add = |date: Option<NaiveDate>, (sessions, attendance, female): Sums| {
            let Some(date) = date else {
                return;
            };
            let t = by_month
                .entry(date.with_day(1).unwrap_or(date))
                .or_default();
            t.sessions += sessions;
            t.attendance += attendance;
            t.female += female;
        };
        let months = WholeMonths::of(period);
        if let Some((first, last)) = months.full {
            let table = self.table(MONTH_CENTRE_TOTALS)?;
            for entry in table.range((first, CentreId::MIN, "")..(last + 1, CentreId::MIN, ""))? {
                let (key, value) = entry?;
                add(month_first_day(key.value().0), value.value());
            }
        }
        let days = self.table(DAY_CENTRE_TOTALS)?;
        for (from, to) in &months.cut_days {
            let range =
                (day_number(*from), CentreId::MIN, "")..(day_number(*to) + 1, CentreId::MIN, "");
            for entry in days.range(range)? {
                let (key, value) = entry?;
                add(date_of_day(key.value().0), value.value());
            }
        }
        Ok(by_month)
    }
}

/// The first day of month number `month` (see `counters::month_number`).
fn month_first_day(month: i32) -> Option<NaiveDate> {
    // `rem_euclid(12)` is in 0..12, so the cast cannot truncate or wrap.
    NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
}

/// The counted year whose first day `period` starts on, when it also ends in that year.
fn starts_a_counted_year(start: YearStart, period: Period) -> Option<i32> {
    let first = start.latest_on_or_before(period.from);
    (first == period.from && start.latest_on_or_before(period.to) == first)
        .then(|| counted_year(start, period.from))
}

/// How a period splits into whole months and the days of the months it cuts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WholeMonths {
    /// The first and last month numbers covered whole, if any.
    full: Option<(i32, i32)>,
    /// The runs of days (first, last) in months the period cuts: at most two.
    cut_days: Vec<(NaiveDate, NaiveDate)>,
}

impl WholeMonths {
    fn of(period: Period) -> WholeMonths {
        let (from, to) = (period.from, period.to);
        let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
        let month_end = |d: NaiveDate| {
            d.with_day(1)
                .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
                .and_then(|next| next.checked_sub_days(Days::new(1)))
                .unwrap_or(d)
        };
        let starts_whole = from == month_start(from);
        let ends_whole = to == month_end(to);
        let first_full = month_number(from) + i32::from(!starts_whole);
        let last_full = month_number(to) - i32::from(!ends_whole);
        if first_full > last_full {
            // No month is covered whole: the period is days of one or two months.
            return WholeMonths {
                full: None,
                cut_days: vec![(from, to)],
            };
        }
        let mut cut_days = Vec::new();
        if !starts_whole {
            cut_days.push((from, month_end(from)));
        }
        if !ends_whole {
            cut_days.push((month_start(to), to));
        }
        WholeMonths {
            full: Some((first_full, last_full)),
            cut_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn split(from: NaiveDate, to: NaiveDate) -> WholeMonths {
        WholeMonths::of(Period::new(from, to).expect("ordered"))
    }

    #[test]
    fn a_period_splits_into_whole_months_and_cut_days() {
        let m = |y, mo| month_number(date(y, mo, 1));
        assert_eq!(
            split(date(2024, 1, 1), date(2024, 12, 31)),
            WholeMonths {
                full: Some((m(2024, 1), m(2024, 12))),
                cut_days: vec![],
            }
        );
        assert_eq!(
            split(date(2024, 1, 1), date(2024, 12, 15)),
            WholeMonths {
                full: Some((m(2024, 1), m(2024, 11))),
                cut_days: vec![(date(2024, 12, 1), date(2024, 12, 15))],
            }
        );
        assert_eq!(
            split(date(2024, 1, 10), date(2024, 3, 5)),
            WholeMonths {
                full: Some((m(2024, 2), m(2024, 2))),
                cut_days: vec![
                    (date(2024, 1, 10), date(2024, 1, 31)),
                    (date(2024, 3, 1), date(2024, 3, 5))
                ],
            }
        );
        assert_eq!(
            split(date(2024, 1, 10), date(2024, 2, 5)),
            WholeMonths {
                full: None,
                cut_days: vec![(date(2024, 1, 10), date(2024, 2, 5))],
            }
        );
        assert_eq!(
            split(date(2024, 2, 1), date(2024, 2, 29)),
            WholeMonths {
                full: Some((m(2024, 2), m(2024, 2))),
                cut_days: vec![],
            }
        );
    }

    #[test]
    fn only_periods_from_a_counted_year_s_first_day_within_it_use_the_first_days() {
        let january = YearStart::JANUARY_FIRST;
        let september = YearStart::new(9, 1).expect("a day of every year");
        let period = |a, b| Period::new(a, b).expect("ordered");
        assert_eq!(
            starts_a_counted_year(january, period(date(2024, 1, 1), date(2024, 6, 15))),
            Some(2024)
        );
        assert_eq!(
            starts_a_counted_year(january, period(date(2024, 1, 2), date(2024, 6, 15))),
            None
        );
        assert_eq!(
            starts_a_counted_year(january, period(date(2024, 1, 1), date(2025, 1, 1))),
            None
        );
        assert_eq!(
            starts_a_counted_year(september, period(date(2024, 9, 1), date(2025, 8, 31))),
            Some(2024)
        );
    }
}
