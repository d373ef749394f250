//! Domain vocabulary shared by every layer: languages, ids, dates, periods and session records.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::text::Lang;

/// A Telegram user id (also the chat id of the private chat with that user).
pub type UserId = i64;

/// A Telegram chat id (negative for groups).
pub type ChatId = i64;

/// A class as offered on a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRef {
    pub id: ClassId,
    pub name: String,
}

/// Identifies a community learning centre inside one rollcall database.
pub type CentreId = u64;

/// Identifies a class (or thematic topic) of one centre and activity group.
pub type ClassId = u64;

/// Identifies a saved session; also the "number" shown to the organiser.
pub type SessionId = u64;

/// "Now", passed into pure code so that it never reads the clock itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// The instant, for created-at stamps.
    pub at: DateTime<Utc>,
    /// The centre's local calendar date at that instant (Asia/Ho_Chi_Minh by default).
    pub today: NaiveDate,
}

impl Now {
    /// Builds `Now` for an instant seen from a time zone.
    pub fn in_zone(at: DateTime<Utc>, zone: chrono_tz::Tz) -> Now {
        Now {
            at,
            today: at.with_timezone(&zone).date_naive(),
        }
    }
}

/// The configured rules that protect what people type (the `[entry]` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRules {
    /// A draft nobody touched for this long is dropped, with a notice at the next message.
    pub draft_expiry: chrono::Duration,
    /// A date typed without a year that lies more than this many days back is shown in
    /// full and confirmed before it is used.
    pub confirm_dates_older_than_days: i64,
    /// A draft left at the summary this long gets one private "not saved yet" nudge.
    pub nudge_after: chrono::Duration,
}

impl Default for EntryRules {
    fn default() -> Self {
        EntryRules {
            draft_expiry: chrono::Duration::hours(12),
            confirm_dates_older_than_days: 60,
            nudge_after: chrono::Duration::minutes(10),
        }
    }
}

/// The first day of the reporting year (`period_start` in the configuration): a month and
/// a day that every year has, so never 29 February. A school year may start on
/// 1 September; the default, 1 January, makes the reporting year the calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YearStart {
    month: u32,
    day: u32,
}

impl YearStart {
    /// 1 January: the reporting year is the calendar year.
    pub const JANUARY_FIRST: YearStart = YearStart { month: 1, day: 1 };

    /// The start day `day` of `month`; `None` unless every year has that day.
    pub fn new(month: u32, day: u32) -> Option<YearStart> {
        // 2023 is not a leap year, so 29 February is refused here as intended.
        NaiveDate::from_ymd_opt(2023, month, day).map(|_| YearStart { month, day })
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.day
    }

    /// The first day of the reporting year that `date` is in: this year's start day when
    /// it is not after `date`, else last year's.
    pub fn latest_on_or_before(self, date: NaiveDate) -> NaiveDate {
        let in_year = |year: i32| NaiveDate::from_ymd_opt(year, self.month, self.day);
        match in_year(date.year()) {
            Some(start) if start <= date => start,
            // Only at the very start of chrono's calendar is there no year before; `date`
            // itself is then the best first day there is.
            _ => in_year(date.year() - 1).unwrap_or(date),
        }
    }
}

impl Default for YearStart {
    fn default() -> YearStart {
        YearStart::JANUARY_FIRST
    }
}

/// An inclusive range of local dates that a report or a running total covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A period from `from` to `to`, both included; `None` when `from` is after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    /// The reporting year to date, the default period of the report and of the running
    /// totals: from the latest `start` day on or before `today`, to today.
    pub fn reporting_year_to_date(start: YearStart, today: NaiveDate) -> Period {
        Period {
            from: start.latest_on_or_before(today),
            to: today,
        }
    }

    /// The whole reporting year before the one `today` is in ("last year" under a report).
    pub fn previous_reporting_year(start: YearStart, today: NaiveDate) -> Period {
        let this_year = start.latest_on_or_before(today);
        let to = this_year.pred_opt().unwrap_or(this_year);
        Period {
            from: start.latest_on_or_before(to),
            to,
        }
    }

    /// Whether `date` lies inside the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// Attendance figures summed over some sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Distinct classes with at least one session.
    pub classes: u64,
    /// Number of sessions.
    pub sessions: u64,
    /// Sum of attendance ("lượt người").
    pub attendance: u64,
    /// Sum of female attendance.
    pub female: u64,
}

impl std::ops::Add for Totals {
    type Output = Totals;

    /// Sums two disjoint sets of sessions (classes never span two groups or centres).
    fn add(self, other: Totals) -> Totals {
        Totals {
            classes: self.classes + other.classes,
            sessions: self.sessions + other.sessions,
            attendance: self.attendance + other.attendance,
            female: self.female + other.female,
        }
    }
}

/// The class a new session belongs to: one the centre already has, or a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassChoice {
    Existing(ClassId),
    /// A class typed by the organiser: its display name and its matching key
    /// (`parse::class_name`). The store reuses a class with the same key.
    New {
        name: String,
        key: String,
    },
}

/// A confirmed session as the engine hands it to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    pub centre: CentreId,
    pub organiser: UserId,
    /// Stable code of the activity group (for example `health`).
    pub group: String,
    pub class: ClassChoice,
    pub date: NaiveDate,
    pub total: u32,
    pub female: u32,
    /// Answers to the optional questions a dialog file adds, by question id.
    pub extra: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: SessionId,
    pub centre: CentreId,
    pub organiser: UserId,
    pub group: String,
    pub class: ClassId,
    pub date: NaiveDate,
    pub total: u32,
    pub female: u32,
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

/// A class of one centre and group as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRecord {
    pub id: ClassId,
    pub centre: CentreId,
    pub group: String,
    /// The name as first typed (trimmed, spaces collapsed, NFC).
    pub name: String,
    /// The matching key: see `parse::class_key`.
    pub key: String,
    /// Date of the latest session, for "most recent first" buttons.
    pub last_session: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// Set when a director merged this class into another (`/classes`): the record stays
    /// as a tombstone so that old audit entries still name it and a draft that chose it
    /// before the merge is saved into the class it became (see `store/classes.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<ClassId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn year_start(month: u32, day: u32) -> YearStart {
        YearStart::new(month, day).expect("a day of every year")
    }

    #[test]
    fn a_year_starting_on_1_january_is_the_calendar_year() {
        // The calendar year: 1 January of today's year to today, and the
        // whole calendar year before for "last year".
        for today in [
            d(2026, 11, 26),
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2024, 2, 29),
        ] {
            let year = today.year();
            assert_eq!(
                Period::reporting_year_to_date(YearStart::default(), today),
                Period {
                    from: d(year, 1, 1),
                    to: today
                },
                "{today}"
            );
            assert_eq!(
                Period::previous_reporting_year(YearStart::default(), today),
                Period {
                    from: d(year - 1, 1, 1),
                    to: d(year - 1, 12, 31)
                },
                "{today}"
            );
        }
    }

    #[test]
    fn the_reporting_year_starts_on_the_latest_start_day_on_or_before_today() {
        // (start, today, this year from, previous year from, previous year to)
        let cases = [
            (
                (9, 1),
                d(2026, 11, 26),
                d(2026, 9, 1),
                d(2025, 9, 1),
                d(2026, 8, 31),
            ),
            (
                (9, 1),
                d(2026, 3, 5),
                d(2025, 9, 1),
                d(2024, 9, 1),
                d(2025, 8, 31),
            ),
            // The start day itself begins a new year of one day.
            (
                (9, 1),
                d(2026, 9, 1),
                d(2026, 9, 1),
                d(2025, 9, 1),
                d(2026, 8, 31),
            ),
            (
                (9, 1),
                d(2026, 8, 31),
                d(2025, 9, 1),
                d(2024, 9, 1),
                d(2025, 8, 31),
            ),
            (
                (1, 1),
                d(2026, 1, 1),
                d(2026, 1, 1),
                d(2025, 1, 1),
                d(2025, 12, 31),
            ),
            // A year that starts on 1 March ends on 28 or 29 February.
            (
                (3, 1),
                d(2024, 2, 29),
                d(2023, 3, 1),
                d(2022, 3, 1),
                d(2023, 2, 28),
            ),
            (
                (3, 1),
                d(2025, 3, 1),
                d(2025, 3, 1),
                d(2024, 3, 1),
                d(2025, 2, 28),
            ),
            (
                (12, 31),
                d(2026, 12, 30),
                d(2025, 12, 31),
                d(2024, 12, 31),
                d(2025, 12, 30),
            ),
        ];
        for ((month, day), today, from, previous_from, previous_to) in cases {
            let start = year_start(month, day);
            assert_eq!(
                Period::reporting_year_to_date(start, today),
                Period { from, to: today },
                "start {month:02}-{day:02}, today {today}"
            );
            assert_eq!(
                Period::previous_reporting_year(start, today),
                Period {
                    from: previous_from,
                    to: previous_to
                },
                "start {month:02}-{day:02}, today {today}"
            );
        }
    }

    #[test]
    fn a_year_start_is_a_day_of_every_year() {
        for (month, day) in [(2, 29), (2, 30), (4, 31), (13, 1), (0, 1), (1, 0), (1, 32)] {
            assert_eq!(YearStart::new(month, day), None, "{month:02}-{day:02}");
        }
        let september = year_start(9, 1);
        assert_eq!((september.month(), september.day()), (9, 1));
        assert_eq!(YearStart::default(), year_start(1, 1));
    }

    proptest::proptest! {
        #[test]
        fn the_previous_reporting_year_ends_the_day_before_this_one_begins(
            day_of_2023 in 0i64..365,
            today in 0i64..20_000,
        ) {
            let first = d(2023, 1, 1) + chrono::Duration::days(day_of_2023);
            let start = year_start(first.month(), first.day());
            let today = d(1990, 1, 1) + chrono::Duration::days(today);
            let this = Period::reporting_year_to_date(start, today);
            let previous = Period::previous_reporting_year(start, today);
            proptest::prop_assert!(this.contains(today));
            proptest::prop_assert_eq!((this.from.month(), this.from.day()), (start.month(), start.day()));
            proptest::prop_assert!(today - this.from < chrono::Duration::days(366));
            proptest::prop_assert_eq!(previous.to.succ_opt(), Some(this.from));
            proptest::prop_assert_eq!((previous.from.month(), previous.from.day()), (start.month(), start.day()));
            let length = (previous.to - previous.from).num_days() + 1;
            proptest::prop_assert!(length == 365 || length == 366, "{} days", length);
        }
    }
}
