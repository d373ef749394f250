//! When a reminder fires: a pure function of (schedule, time zone, last firing, now).
//!
//! Firings are computed from the schedule and the clock, never from a sleeping timer's
//! memory, so a restart changes nothing. A firing missed while the bot was down is sent
//! once if it is less than an hour late, otherwise skipped: never a flood of old reminders.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How late a missed firing may still be sent.
pub const GRACE: Duration = Duration::hours(1);

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

/// The instant the schedule fires on local date `date`, if it does. A local time that does
/// not exist that day (a daylight-saving gap) fires at the first instant after the gap; a
/// local time that exists twice (the hour repeated in autumn) fires at the first of them.
fn firing_on(schedule: Schedule, zone: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    if !schedule.days.contains(date.weekday()) {
        return None;
    }
    let local = date.and_time(schedule.time);
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

/// The first firing strictly after `after`.
pub fn next_firing(schedule: Schedule, zone: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if schedule.days.is_empty() {
        return None;
    }
    let start = after.with_timezone(&zone).date_naive() - Duration::days(1);
    // Eight days after the day before `after` always include a matching weekday.
    (0..9)
        .filter_map(|offset| firing_on(schedule, zone, start + Duration::days(offset)))
        .find(|at| *at > after)
}

/// The latest firing at or before `now`, strictly after `after`.
fn latest_firing(
    schedule: Schedule,
    zone: Tz,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if schedule.days.is_empty() || now <= after {
        return None;
    }
    let today = now.with_timezone(&zone).date_naive();
    // Looking back nine days is enough: a schedule fires at least once a week.
    (0..9)
        .filter_map(|back| firing_on(schedule, zone, today - Duration::days(back)))
        .find(|at| *at <= now && *at > after)
}

/// What to do about a reminder that last fired (or was created) at `last`.
pub fn due(schedule: Schedule, zone: Tz, last: DateTime<Utc>, now: DateTime<Utc>) -> Due {
    match latest_firing(schedule, zone, last, now) {
        Some(at) if now - at < GRACE => Due::Fire { at },
        Some(at) => Due::Skip { at },
        None => Due::Wait {
            next: next_firing(schedule, zone, last.max(now)),
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
            due(schedule, Ho_Chi_Minh, created, utc(2026, 11, 26, 12, 59)),
            Due::Wait {
                next: Some(utc(2026, 11, 26, 13, 0))
            }
        );
        let fired = utc(2026, 11, 26, 13, 0);
        assert_eq!(
            due(schedule, Ho_Chi_Minh, created, utc(2026, 11, 26, 13, 0)),
            Due::Fire { at: fired }
        );
        // After recording the firing, asking again (a restart, a second tick) waits.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, fired, utc(2026, 11, 26, 13, 0)),
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
            due(schedule, Ho_Chi_Minh, last, utc(2026, 11, 26, 13, 59)),
            Due::Fire {
                at: utc(2026, 11, 26, 13, 0)
            }
        );
        // 61 minutes late: skip, recording the missed firing so it is not sent later.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, last, utc(2026, 11, 26, 14, 1)),
            Due::Skip {
                at: utc(2026, 11, 26, 13, 0)
            }
        );
    }

    #[test]
    fn a_bot_down_for_a_month_sends_no_flood() {
        let schedule = at(20, 0, DAILY);
        let last = utc(2026, 10, 1, 13, 0);
        let now = utc(2026, 11, 26, 13, 30);
        // Only the latest firing counts: one reminder, 30 minutes late.
        assert_eq!(
            due(schedule, Ho_Chi_Minh, last, now),
            Due::Fire {
                at: utc(2026, 11, 26, 13, 0)
            }
        );
        // Down for a month and back at noon: skip yesterday's, then wait for tonight.
        let noon = utc(2026, 11, 26, 5, 0);
        let Due::Skip { at } = due(schedule, Ho_Chi_Minh, last, noon) else {
            panic!("expected a skip");
        };
        assert_eq!(at, utc(2026, 11, 25, 13, 0));
        assert_eq!(
            due(schedule, Ho_Chi_Minh, at, noon),
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
}
