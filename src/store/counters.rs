//! Counters that keep the report's cost flat however many sessions a database holds.
//!
//! Three tables are kept in step with the live sessions, in the transaction that changes
//! a session (`save_session`, `update_session`, `delete_session`, `restore_session`):
//!
//! - `GROUP_DAY_COUNTERS` (centre, group, day) → (sessions, attendance, female). The sums
//!   of a period are one contiguous range per (centre, group): at most one entry per day.
//! - `CLASS_MONTHS` (centre, group, month, class) → sessions, and
//! - `CLASS_DAYS` (class, day) → sessions: together they give "Số lớp", the number of
//!   distinct classes that met in the period.
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

use super::codec::day_number;
use super::tables::{CLASS_DAYS, CLASS_MONTHS, GROUP_DAY_COUNTERS, SESSIONS};
use super::{StoreError, Tx};
use crate::domain::{CentreId, ClassId, Period, SessionRecord, Totals};
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

/// The month number of a date (months since January of year 0), ordering like dates.
pub(crate) fn month_number(date: NaiveDate) -> i32 {
    // `month0` is at most 11, so the cast cannot truncate.
    date.year() * 12 + date.month0() as i32
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

/// Adds one to (or removes one from) a per-key session count, deleting keys that reach 0.
fn bump_count<K: redb::Key + 'static>(
    table: &mut Table<K, u64>,
    key: &K::SelfType<'_>,
    change: Change,
    what: &str,
) -> Result<(), StoreError> {
    let old = table.get(key)?.map_or(0, |v| v.value());
    let new = step(old, 1, change, what)?;
    if new == 0 {
        table.remove(key)?;
    } else {
        table.insert(key, new)?;
    }
    Ok(())
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
        Ok(())
    }

    /// The day of the latest live session of `class`, from `CLASS_DAYS`.
    pub(super) fn class_last_day(&self, class: ClassId) -> Result<Option<NaiveDate>, StoreError> {
        let days = self.txn.open_table(CLASS_DAYS)?;
        let last = days
            .range((class, i32::MIN)..=(class, i32::MAX))?
            .next_back()
            .transpose()?
            .map(|(key, _)| key.value().1);
        Ok(last.and_then(date_of_day))
    }

    /// Throws the counters away and counts every live session again (the v1 → v2
    /// migration, and a repair tool should the counters ever be doubted).
    ///
    /// The counts are gathered in memory first, so a large file costs one pass over the
    /// sessions and one ordered insert per counter rather than one read-modify-write per
    /// session.
    pub fn rebuild_counters(&mut self) -> Result<(), StoreError> {
        let mut counters: BTreeMap<(u64, String, i32), (u64, u64, u64)> = BTreeMap::new();
        let mut months: BTreeMap<(u64, String, i32, u64), u64> = BTreeMap::new();
        let mut days: BTreeMap<(u64, i32), u64> = BTreeMap::new();
        {
            let sessions = self.txn.open_table(SESSIONS)?;
            for entry in sessions.iter()? {
                let (_, bytes) = entry?;
                let s: SessionRecord = super::codec::decode(bytes.value())?;
                let day = day_number(s.date);
                let c = counters
                    .entry((s.centre, s.group.clone(), day))
                    .or_default();
                c.0 += 1;
                c.1 += u64::from(s.total);
                c.2 += u64::from(s.female);
                *months
                    .entry((s.centre, s.group, month_number(s.date), s.class))
                    .or_default() += 1;
                *days.entry((s.class, day)).or_default() += 1;
            }
        }
        let mut table = self.txn.open_table(GROUP_DAY_COUNTERS)?;
        table.retain(|_, _| false)?;
        for ((centre, group, day), value) in &counters {
            table.insert((*centre, group.as_str(), *day), *value)?;
        }
        let mut table = self.txn.open_table(CLASS_MONTHS)?;
        table.retain(|_, _| false)?;
        for ((centre, group, month, class), n) in &months {
            table.insert((*centre, group.as_str(), *month, *class), *n)?;
        }
        let mut table = self.txn.open_table(CLASS_DAYS)?;
        table.retain(|_, _| false)?;
        for (key, n) in &days {
            table.insert(*key, *n)?;
        }
        Ok(())
    }

    /// Totals per activity group of one centre over `period`, from the counters: the cost
    /// depends on the days of the period and the classes active in it, not on how many
    /// sessions the file holds. Groups without sessions in the period are absent.
    pub(super) fn centre_group_totals(
        &self,
        centre: CentreId,
        period: Period,
    ) -> Result<BTreeMap<String, Totals>, StoreError> {
        let counters = self.txn.open_table(GROUP_DAY_COUNTERS)?;
        let months = self.txn.open_table(CLASS_MONTHS)?;
        let days = self.txn.open_table(CLASS_DAYS)?;
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
                sum.classes = distinct_classes(&months, &days, centre, &group, period)?;
                totals.insert(group, sum);
            }
        }
        Ok(totals)
    }

    /// Totals per activity group for every centre with sessions in `period`, by centre id
    /// (the supervisor's roll-up). Centres without sessions in the period are absent.
    pub fn group_totals_by_centre(
        &self,
        period: Period,
    ) -> Result<BTreeMap<CentreId, BTreeMap<String, Totals>>, StoreError> {
        let mut all = BTreeMap::new();
        for centre in self.counted_centres()? {
            let totals = self.centre_group_totals(centre, period)?;
            if !totals.is_empty() {
                all.insert(centre, totals);
            }
        }
        Ok(all)
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
            None => self.counted_centres()?,
        };
        let counters = self.txn.open_table(GROUP_DAY_COUNTERS)?;
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

    /// The centres that have at least one counter (a live session at any date), by id,
    /// found by hopping from one centre to the next so each costs one seek.
    fn counted_centres(&self) -> Result<Vec<CentreId>, StoreError> {
        let counters = self.txn.open_table(GROUP_DAY_COUNTERS)?;
        let mut centres = Vec::new();
        let mut next = Some(CentreId::MIN);
        while let Some(start) = next {
            let found = match counters.range((start, "", i32::MIN)..)?.next() {
                Some(entry) => entry?.0.value().0,
                None => break,
            };
            centres.push(found);
            next = found.checked_add(1);
        }
        Ok(centres)
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

/// The number of distinct classes of (centre, group) with a live session in `period`.
///
/// Months wholly inside the period are read as one range of `CLASS_MONTHS`; a month the
/// period cuts (at most the first and the last) looks each class of that month up in
/// `CLASS_DAYS` for a day inside the cut.
fn distinct_classes(
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
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
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
}
