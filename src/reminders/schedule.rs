//! When a reminder fires: a pure function of (schedule, time zone, last firing, now).
//!
//! Firings are computed from the schedule and the clock, never from a sleeping timer's
//! memory, so a restart changes nothing. A firing missed while the bot was down is sent
//! once if it is less late than the grace the caller gives (for group reminders
//! `reminders.grace_minutes`, an hour by default; half a day for the monthly deadline
//! reminder), otherwise skipped: never a flood of old reminders.
//!
//! Two timings share that logic through the `Timing` trait: `Schedule` (a time of day on
//! some weekdays, the group reminders) and `Monthly` (some days before a monthly due date,
//! the directors' deadline reminder).

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How many minutes late a missed group reminder may still be sent when the configuration
/// does not say (`reminders.grace_minutes`).
pub const DEFAULT_GRACE_MINUTES: u32 = 60;

/// Days of the week a reminder fires on, Monday first (bit 0) to Sunday (bit 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Weekdays(pub u8);

impl Weekdays {
    /// Every day of the week.
    pub const EVERY_DAY: Weekdays = Weekdays(0b111_1111);

    /// Whether `day` is one of them.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    /// The set with `day` added.
    pub fn with(self, day: Weekday) -> Weekdays {
        Weekdays(self.0 | (1 << day.num_days_from_monday()))
    }

    /// No day at all (never fires).
    pub fn is_empty(self) -> bool {
        self.0 & 0b111_1111 == 0
    }

    /// The days in week order.
    pub fn days(self) -> impl Iterator<Item = Weekday> {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .into_iter()
        .filter(move |d| self.contains(*d))
    }
}

/// A reminder's timing: a local time of day on some days of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub time: NaiveTime,
    pub days: Weekdays,
}

/// What to do about a reminder at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Send it now; record `at` (the scheduled instant) as the last firing.
    Fire { at: DateTime<Utc> },
    /// A firing was missed by more than the grace period: record `at`, send nothing.
    Skip { at: DateTime<Utc> },
    /// Nothing to do before `next` (`None`: never, for a schedule without days).
    Wait { next: Option<DateTime<Utc>> },
}

/// A recurring timing the firing logic below works on: weekly reminders (`Schedule`) and
/// the monthly deadline reminder (`Monthly`) share `due`, so both get the same guarantees
/// (computed from the clock, never a flood after downtime, one firing per occurrence).
pub trait Timing: Copy {
    /// The local date-time of the firing on local date `date`, if it fires that day.
    fn local_firing(&self, date: NaiveDate) -> Option<NaiveDateTime>;

    /// More than the longest gap between two firings, in days: how far `next_firing` looks
    /// ahead and `latest_firing` looks back. A timing with no firing at all returns 0.
    fn span_days(&self) -> i64;
}

impl Timing for Schedule {
    fn local_firing(&self, date: NaiveDate) -> Option<NaiveDateTime> {
        self.days
            .contains(date.weekday())
            .then(|| date.and_time(self.time))
    }

    fn span_days(&self) -> i64 {
        // Eight days after the day before any instant always include a matching weekday.
        if self.days.is_empty() {
            0
        } else {
            9
        }
    }
}

/// A monthly timing: `days_before` days before the due date, at `time` local. The due date
/// is day `day` of each month, or the month's last day when it is shorter (a deadline on
/// the 31st falls on 30 April and 28 or 29 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monthly {
    /// Day of the month the report is due, 1 to 31.
    pub day: u8,
    /// How many days before the due date the reminder goes, 0 (on the day) to `MAX_DAYS_BEFORE`.
    pub days_before: u8,
    pub time: NaiveTime,
}

impl Monthly {
    /// The most days before a deadline a reminder may go: less than the shortest month, so
    /// that every month has exactly one firing and firings stay in deadline order.
    pub const MAX_DAYS_BEFORE: u8 = 27;

    /// The due date of the month that `date` is in.
    pub fn due_in_month_of(self, date: NaiveDate) -> NaiveDate {
        let first = date.with_day(1).unwrap_or(date);
        let last = (first + Months::new(1)).pred_opt().unwrap_or(date).day();
        let day = u32::from(self.day.clamp(1, 31)).min(last);
        first.with_day(day).unwrap_or(first)
    }

    /// The due date a firing on local date `date` announces (valid when it fires that day).
    pub fn due_after(self, date: NaiveDate) -> NaiveDate {
        date + Duration::days(i64::from(self.days_before.min(Self::MAX_DAYS_BEFORE)))
    }
}

impl Timing for Monthly {
    fn local_firing(&self, date: NaiveDate) -> Option<NaiveDateTime> {
        // It fires on `date` when the day `days_before` later is its month's due date. Due
        // dates are one per month, so the firing dates are too.
        let due = self.due_after(date);
        (due == self.due_in_month_of(due)).then(|| date.and_time(self.time))
    }

    fn span_days(&self) -> i64 {
        // Two due dates are at most 31 days apart (28 February to 31 March).
        40
    }
}

/// How late a missed monthly firing may still be sent. A monthly message matters more than
/// a daily one and is not repeated tomorrow: after downtime it is still sent (once) within
/// half a day, whatever grace the group reminders are given.
pub const MONTHLY_GRACE: Duration = Duration::hours(12);

/// The instant a local date-time happens in `zone`. A local time that does not exist that
/// day (a daylight-saving gap) fires at the first instant after the gap; a local time that
/// exists twice (the hour repeated in autumn) fires at the first of them.
fn instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => {
            // Walk forward minute by minute to the end of the gap (gaps last at most a
            // few hours), so the reminder still fires that day.
            (1..=24 * 60).find_map(|minutes| {
                zone.from_local_datetime(&(local + Duration::minutes(minutes)))
                    .earliest()
                    .map(|at| at.with_timezone(&Utc))
            })
        }
    }
}

/// The instant `timing` fires on local date `date`, if it does.
fn firing_on(timing: impl Timing, zone: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    instant(zone, timing.local_firing(date)?)
}

/// The first firing strictly after `after`.
pub fn next_firing(timing: impl Timing, zone: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let start = after.with_timezone(&zone).date_naive() - Duration::days(1);
    (0..timing.span_days())
        .filter_map(|offset| firing_on(timing, zone, start + Duration::days(offset)))
        .find(|at| *at > after)
}

/// The latest firing at or before `now`, strictly after `after`.
fn latest_firing(
    timing: impl Timing,
    zone: Tz,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if now <= after {
        return None;
    }
    let today = now.with_timezone(&zone).date_naive();
    (0..timing.span_days())
        .filter_map(|back| firing_on(timing, zone, today - Duration::days(back)))
        .find(|at| *at <= now && *at > after)
}

/// What to do about a reminder that last fired (or was created) at `last`: a missed firing
/// is sent if it is less than `grace` late, else skipped.
pub fn due(
    timing: impl Timing,
    zone: Tz,
    last: DateTime<Utc>,
    now: DateTime<Utc>,
    grace: Duration,
) -> Due {
    match latest_firing(timing, zone, last, now) {
        Some(at) if now - at < grace => Due::Fire { at },
        Some(at) => Due::Skip { at },
        None => Due::Wait {
            next: next_firing(timing, zone, last.max(now)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{Asia::Ho_Chi_Minh, Europe::Berlin};

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid")
    }

    fn at(h: u32, m: u32, days: Weekdays) -> Schedule {
        Schedule {
            time: NaiveTime::from_hms_opt(h, m, 0).expect("valid"),
            days,
        }
    }

    const DAILY: Weekdays = Weekdays::EVERY_DAY;

    /// The default grace of group reminders.
    const HOUR: Duration = Duration::hours(1);

    #[test]
    fn daily_at_20_00_in_vietnam_is_13_00_utc() {
        let schedule = at(20, 0, DAILY);
        // 26/11/2026 10:00 UTC is 17:00 in Hà Nội: today's 20:00 is next.
        assert_eq!(
            next_firing(schedule, Ho_Chi_Minh, utc(2026, 11, 26, 10, 0)),
            Some(utc(2026, 11, 26, 13, 0))
        );
        // Exactly at the firing, the next one is tomorrow's.
        assert_eq!(
            next_firing(schedule, Ho_Chi_Minh, utc(2026, 11, 26, 13, 0)),
            Some(utc(2026, 11, 27, 13, 0))
        );
    }

    #[test]
    fn weekdays_are_local_weekdays() {
        // Monday, Wednesday, Friday at 19:30. 26/11/2026 is a Thursday.
        let mwf = Weekdays(0)
            .with(Weekday::Mon)
            .with(Weekday::Wed)
            .with(Weekday::Fri);
        let schedule = at(19, 30, mwf);
        assert_eq!(
            next_firing(schedule, Ho_Chi_Minh, utc(2026, 11, 26, 0, 0)),
            Some(utc(2026, 11, 27, 12, 30)),
            "Friday 19:30 local"
        );
        // An early-morning Monday firing (06:00 local) is Sunday 23:00 UTC.
        let monday = at(6, 0, Weekdays(0).with(Weekday::Mon));
        assert_eq!(
            next_firing(monday, Ho_Chi_Minh, utc(2026, 11, 26, 0, 0)),
            Some(utc(2026, 11, 29, 23, 0))
        );
        assert_eq!(
            next_firing(at(8, 0, Weekdays(0)), Ho_Chi_Minh, utc(2026, 1, 1, 0, 0)),
            None
        );
    }

    #[test]
    fn a_due_reminder_fires_once_and_then_waits_for_the_next_day() {
        let schedule = at(20, 0, DAILY);
        let created = utc(2026, 11, 26, 10, 0);
        assert_eq!(
            due(
                schedule,
                Ho_Chi_Minh,
                created,
                utc(2026, 11, 26, 12, 59),
                HOUR
            ),
            Due::Wait {
                next: Some(utc(2026, 11, 26, 13, 0))
            }
        );
        let fired = utc(2026, 11, 26, 13, 0);
        assert_eq!(
            due(
                schedule,
                Ho_Chi_Minh,
                created,
                utc(2026, 11, 26, 13, 0),
                HOUR
            ),
            Due::Fire { at: fired }
        );
        // After recording the firing, asking again (a restart, a second tick) waits.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, fired, utc(2026, 11, 26, 13, 0), HOUR),
            Due::Wait {
                next: Some(utc(2026, 11, 27, 13, 0))
            }
        );
    }

    #[test]
    fn a_missed_firing_is_sent_late_within_an_hour_and_skipped_after() {
        let schedule = at(20, 0, DAILY);
        let last = utc(2026, 11, 25, 13, 0);
        // The bot came back 59 minutes late: send once.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, last, utc(2026, 11, 26, 13, 59), HOUR),
            Due::Fire {
                at: utc(2026, 11, 26, 13, 0)
            }
        );
        // 61 minutes late: skip, recording the missed firing so it is not sent later.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, last, utc(2026, 11, 26, 14, 1), HOUR),
            Due::Skip {
                at: utc(2026, 11, 26, 13, 0)
            }
        );
    }

    #[test]
    fn the_grace_given_decides_whether_a_late_firing_is_sent() {
        let schedule = at(20, 0, DAILY);
        let last = utc(2026, 11, 25, 13, 0);
        let missed = utc(2026, 11, 26, 13, 0);
        // (grace in minutes, minutes late, sent)
        let cases = [
            (120, 90, true),
            (60, 90, false),
            (120, 119, true),
            (120, 120, false),
            (1, 0, true),
            (1, 1, false),
            (24 * 60, 23 * 60, true),
        ];
        for (grace, late, sent) in cases {
            let now = missed + Duration::minutes(late);
            let expected = if sent {
                Due::Fire { at: missed }
            } else {
                Due::Skip { at: missed }
            };
            assert_eq!(
                due(schedule, Ho_Chi_Minh, last, now, Duration::minutes(grace)),
                expected,
                "{late} minutes late with a grace of {grace} minutes"
            );
        }
    }

    #[test]
    fn a_bot_down_for_a_month_sends_no_flood() {
        let schedule = at(20, 0, DAILY);
        let last = utc(2026, 10, 1, 13, 0);
        let now = utc(2026, 11, 26, 13, 30);
        // Only the latest firing counts: one reminder, 30 minutes late.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, last, now, HOUR),
            Due::Fire {
                at: utc(2026, 11, 26, 13, 0)
            }
        );
        // Down for a month and back at noon: skip yesterday's, then wait for tonight.
        let noon = utc(2026, 11, 26, 5, 0);
        let Due::Skip { at } = due(schedule, Ho_Chi_Minh, last, noon, HOUR) else {
            panic!("expected a skip");
        };
        assert_eq!(at, utc(2026, 11, 25, 13, 0));
        assert_eq!(
            due(schedule, Ho_Chi_Minh, at, noon, HOUR),
            Due::Wait {
                next: Some(utc(2026, 11, 26, 13, 0))
            }
        );
    }

    #[test]
    fn daylight_saving_zones_fire_once_at_the_local_time() {
        // Berlin springs forward on 29/03/2026 at 02:00 → 03:00: 02:30 does not exist that
        // day and fires at 03:00 local (01:00 UTC); other days at 02:30 local.
        let schedule = at(2, 30, DAILY);
        assert_eq!(
            next_firing(schedule, Berlin, utc(2026, 3, 28, 12, 0)),
            Some(utc(2026, 3, 29, 1, 0))
        );
        assert_eq!(
            next_firing(schedule, Berlin, utc(2026, 3, 29, 1, 0)),
            Some(utc(2026, 3, 30, 0, 30)),
            "summer time: 02:30 local is 00:30 UTC"
        );
        // It falls back on 25/10/2026 at 03:00 → 02:00: 02:30 happens twice; fire once.
        let first = next_firing(schedule, Berlin, utc(2026, 10, 24, 12, 0)).expect("fires");
        assert_eq!(first, utc(2026, 10, 25, 0, 30));
        assert_eq!(
            next_firing(schedule, Berlin, first),
            Some(utc(2026, 10, 26, 1, 30)),
            "the repeated 02:30 (01:30 UTC) does not fire again"
        );
    }

    fn monthly(day: u8, days_before: u8) -> Monthly {
        Monthly {
            day,
            days_before,
            time: NaiveTime::from_hms_opt(8, 0, 0).expect("valid"),
        }
    }

    #[test]
    fn a_deadline_on_the_25th_reminds_on_the_22nd_at_8_local() {
        let timing = monthly(25, 3);
        // 08:00 in Hà Nội is 01:00 UTC.
        assert_eq!(
            next_firing(timing, Ho_Chi_Minh, utc(2026, 11, 1, 0, 0)),
            Some(utc(2026, 11, 22, 1, 0))
        );
        assert_eq!(
            next_firing(timing, Ho_Chi_Minh, utc(2026, 11, 22, 1, 0)),
            Some(utc(2026, 12, 22, 1, 0)),
            "then a month later"
        );
        assert_eq!(
            due(
                timing,
                Ho_Chi_Minh,
                utc(2026, 11, 1, 0, 0),
                utc(2026, 11, 22, 1, 0),
                MONTHLY_GRACE
            ),
            Due::Fire {
                at: utc(2026, 11, 22, 1, 0)
            }
        );
        let due_date = timing.due_after(NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"));
        assert_eq!(
            due_date,
            NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
        );
    }

    #[test]
    fn a_deadline_past_the_end_of_a_short_month_falls_on_its_last_day() {
        // Due on the 31st, one day before: 27 February 2026 (due 28 February), 30 March
        // (due 31 March), 29 April (due 30 April).
        let timing = monthly(31, 1);
        let mut after = utc(2026, 2, 1, 0, 0);
        let mut firings = Vec::new();
        for _ in 0..3 {
            after = next_firing(timing, Ho_Chi_Minh, after).expect("fires monthly");
            firings.push(after);
        }
        assert_eq!(
            firings,
            vec![
                utc(2026, 2, 27, 1, 0),
                utc(2026, 3, 30, 1, 0),
                utc(2026, 4, 29, 1, 0)
            ]
        );
        // Reminding days before a deadline early in the month goes in the month before.
        let early = monthly(2, 5);
        assert_eq!(
            next_firing(early, Ho_Chi_Minh, utc(2026, 2, 1, 0, 0)),
            Some(utc(2026, 2, 25, 1, 0)),
            "due 2 March, reminded 25 February"
        );
        // On the day itself.
        assert_eq!(
            next_firing(monthly(25, 0), Ho_Chi_Minh, utc(2026, 11, 1, 0, 0)),
            Some(utc(2026, 11, 25, 1, 0))
        );
    }

    #[test]
    fn a_missed_deadline_reminder_is_sent_within_half_a_day_and_never_twice() {
        let timing = monthly(25, 3);
        let last = utc(2026, 10, 22, 1, 0);
        // Down over the morning of the 22nd, back at 18:00 local: sent once, late.
        assert_eq!(
            due(
                timing,
                Ho_Chi_Minh,
                last,
                utc(2026, 11, 22, 11, 0),
                MONTHLY_GRACE
            ),
            Due::Fire {
                at: utc(2026, 11, 22, 1, 0)
            }
        );
        // Back the next morning: skipped, and the next one is December's.
        assert_eq!(
            due(
                timing,
                Ho_Chi_Minh,
                last,
                utc(2026, 11, 23, 1, 0),
                MONTHLY_GRACE
            ),
            Due::Skip {
                at: utc(2026, 11, 22, 1, 0)
            }
        );
        assert_eq!(
            due(
                timing,
                Ho_Chi_Minh,
                utc(2026, 11, 22, 1, 0),
                utc(2026, 11, 23, 1, 0),
                MONTHLY_GRACE
            ),
            Due::Wait {
                next: Some(utc(2026, 12, 22, 1, 0))
            }
        );
        // Down for three months: one skip of the latest, no flood.
        assert_eq!(
            due(
                timing,
                Ho_Chi_Minh,
                last,
                utc(2027, 2, 1, 0, 0),
                MONTHLY_GRACE
            ),
            Due::Skip {
                at: utc(2027, 1, 22, 1, 0)
            }
        );
    }

    proptest::proptest! {
        #[test]
        fn every_month_has_exactly_one_deadline_firing(
            day in 1u8..=31,
            days_before in 0u8..=Monthly::MAX_DAYS_BEFORE,
            start in 0i64..3650,
        ) {
            let timing = monthly(day, days_before);
            let mut after = utc(2024, 1, 1, 0, 0) + Duration::days(start);
            let mut due_months = Vec::new();
            for _ in 0..14 {
                let at = next_firing(timing, Ho_Chi_Minh, after).expect("fires");
                proptest::prop_assert!(at > after);
                proptest::prop_assert!(at - after <= Duration::days(32));
                let date = at.with_timezone(&Ho_Chi_Minh).date_naive();
                let due_date = timing.due_after(date);
                proptest::prop_assert_eq!(due_date, timing.due_in_month_of(due_date));
                due_months.push((due_date.year(), due_date.month()));
                after = at;
            }
            let mut distinct = due_months.clone();
            distinct.dedup();
            proptest::prop_assert_eq!(distinct.len(), due_months.len(), "one firing per month");
        }
    }
}
