//! Period reports handed in to the education office ("📤 Nộp báo cáo"): what is kept of
//! a hand-in, and the pure rules around it: when the report of a period is due (the day
//! of the centre's monthly deadline reminder, `/deadline`), the period `/submissions`
//! shows by default, and where a centre stands for a period.

use crate::domain::{CentreId, Lang, Period, Totals, UserId, YearStart};
use crate::format::format_date;
use crate::reminders::schedule::Monthly;
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Identifies one hand-in; numbers grow with time, so a later hand-in of the same period
/// has a higher one and supersedes the earlier.
pub type HandInId = u64;

/// A period report handed in by a director, as stored.
///
/// The director is kept as `user` and `name`, the field names every other record uses for
/// a person, so `rollcall forget` erases them here too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandIn {
    pub id: HandInId,
    pub centre: CentreId,
    /// The centre's name when it was handed in (a centre may be renamed or merged later).
    pub centre_name: String,
    pub period: Period,
    /// The director who handed it in.
    pub user: UserId,
    /// Their name as the centre knew it then (may be empty).
    pub name: String,
    pub at: DateTime<Utc>,
    /// `at` in the bot's time zone, as people read it.
    pub local_at: NaiveDateTime,
    /// Table III.2 as handed in: the totals per activity group (by group id).
    pub totals: BTreeMap<String, Totals>,
    /// Set when a session counted in the period changed after the hand-in (an edit, a
    /// deletion, an undo, a restore, or a new session dated inside the period).
    #[serde(default)]
    pub changed: bool,
    /// When the director was told of that change, local time.
    #[serde(default)]
    pub changed_at: Option<NaiveDateTime>,
    /// The language the director used when handing it in: what they are told of a change
    /// in, unless they chose one with `/lang` since.
    #[serde(default)]
    pub lang: Lang,
}

impl HandIn {
    /// Who handed it in, as lists show them: their name, or their id when the centre
    /// never learnt it.
    pub fn person(&self) -> String {
        if self.name.trim().is_empty() {
            format!("#{}", self.user)
        } else {
            self.name.trim().to_owned()
        }
    }

    /// The "Cộng" row of the table as handed in.
    pub fn total(&self) -> Totals {
        self.totals
            .values()
            .fold(Totals::default(), |sum, totals| sum + *totals)
    }
}

/// A period as messages write it: "01/01/2020 – 31/10/2020".
pub fn period_text(period: Period) -> String {
    format!("{} – {}", format_date(period.from), format_date(period.to))
}

/// A local time as messages write it: "05/11/2026 14:30".
pub fn local_text(at: NaiveDateTime) -> String {
    format!("{} {}", format_date(at.date()), at.format("%H:%M"))
}

/// The day the report of `period` is due under a centre's deadline reminder: the first
/// due day on or after the period's last day. With a deadline on the 25th, the report of
/// October (or of January to October) is due on 25 November, and a report made up to
/// 25 October is due that day.
pub fn due_date(deadline: Monthly, period: Period) -> NaiveDate {
    let due = deadline.due_in_month_of(period.to);
    if due >= period.to {
        return due;
    }
    let next_month = period
        .to
        .with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)));
    next_month.map_or(due, |first| deadline.due_in_month_of(first))
}

/// The period `/submissions` shows without an argument: the reporting year up to the end
/// of the previous month (on 5 November 2026 with a calendar year: 1 January to
/// 31 October 2026), the cumulative report the education office asks for each month.
pub fn default_period(year_start: YearStart, today: NaiveDate) -> Period {
    let first_of_month = today.with_day(1).unwrap_or(today);
    let to = first_of_month.pred_opt().unwrap_or(first_of_month);
    Period {
        from: year_start.latest_on_or_before(to),
        to,
    }
}

/// Where a centre stands for a period, for the supervisors' `/submissions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Not handed in, and either no due day is known or it has not passed.
    Missing { due: Option<NaiveDate> },
    /// Not handed in, and the due day has passed.
    Late { due: NaiveDate },
    /// Handed in (the latest hand-in of the period). `late` when it came after the due
    /// day; `changed` when a session of the period changed since.
    HandedIn {
        handin: Box<HandIn>,
        late_after: Option<NaiveDate>,
    },
}

impl Standing {
    /// Where a centre with `latest` (its latest hand-in of the period, if any) stands on
    /// local date `today`, when its report is due on `due` (`None`: no deadline is set,
    /// so it is never late).
    pub fn of(latest: Option<HandIn>, due: Option<NaiveDate>, today: NaiveDate) -> Standing {
        match (latest, due) {
            (Some(handin), due) => {
                let late_after = due.filter(|due| handin.local_at.date() > *due);
                Standing::HandedIn {
                    handin: Box::new(handin),
                    late_after,
                }
            }
            (None, Some(due)) if today > due => Standing::Late { due },
            (None, due) => Standing::Missing { due },
        }
    }

    /// The order `/submissions` lists centres in: what needs chasing first (late, then
    /// missing), then hand-ins that changed, then the ones in order.
    pub fn rank(&self) -> u8 {
        match self {
            Standing::Late { .. } => 0,
            Standing::Missing { .. } => 1,
            Standing::HandedIn { handin, .. } if handin.changed => 2,
            Standing::HandedIn { .. } => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn deadline(day: u8) -> Monthly {
        Monthly {
            day,
            days_before: 3,
            time: NaiveTime::from_hms_opt(8, 0, 0).expect("a time"),
        }
    }

    fn period(from: NaiveDate, to: NaiveDate) -> Period {
        Period::new(from, to).expect("ordered")
    }

    #[test]
    fn a_report_is_due_on_the_first_deadline_on_or_after_its_last_day() {
        let october = period(date(2026, 10, 1), date(2026, 10, 31));
        assert_eq!(due_date(deadline(25), october), date(2026, 11, 25));
        let to_the_25th = period(date(2026, 1, 1), date(2026, 10, 25));
        assert_eq!(due_date(deadline(25), to_the_25th), date(2026, 10, 25));
        let january = period(date(2026, 1, 1), date(2026, 1, 31));
        assert_eq!(due_date(deadline(31), january), date(2026, 1, 31));
        // The 31st of a short month is its last day.
        let to_february = period(date(2026, 1, 1), date(2026, 2, 10));
        assert_eq!(due_date(deadline(31), to_february), date(2026, 2, 28));
        let december = period(date(2026, 12, 1), date(2026, 12, 31));
        assert_eq!(due_date(deadline(5), december), date(2027, 1, 5));
    }

    #[test]
    fn the_default_period_is_the_reporting_year_to_the_end_of_last_month() {
        let start = YearStart::default();
        assert_eq!(
            default_period(start, date(2026, 11, 5)),
            period(date(2026, 1, 1), date(2026, 10, 31))
        );
        assert_eq!(
            default_period(start, date(2027, 1, 1)),
            period(date(2026, 1, 1), date(2026, 12, 31))
        );
        let school = YearStart::new(9, 1).expect("a start");
        assert_eq!(
            default_period(school, date(2026, 9, 10)),
            period(date(2025, 9, 1), date(2026, 8, 31))
        );
    }

    fn handin(local: NaiveDate, changed: bool) -> HandIn {
        HandIn {
            id: 1,
            centre: 1,
            centre_name: "Tràng An".to_owned(),
            period: period(date(2026, 10, 1), date(2026, 10, 31)),
            user: 50,
            name: String::new(),
            at: Utc::now(),
            local_at: local.and_hms_opt(9, 0, 0).expect("a time"),
            totals: BTreeMap::new(),
            changed,
            changed_at: None,
            lang: Lang::Vi,
        }
    }

    #[test]
    fn a_centre_is_late_only_past_a_known_due_day() {
        let due = date(2026, 11, 25);
        assert_eq!(
            Standing::of(None, Some(due), date(2026, 11, 25)),
            Standing::Missing { due: Some(due) }
        );
        assert_eq!(
            Standing::of(None, Some(due), date(2026, 11, 26)),
            Standing::Late { due }
        );
        assert_eq!(
            Standing::of(None, None, date(2027, 6, 1)),
            Standing::Missing { due: None }
        );
        let on_time = Standing::of(
            Some(handin(date(2026, 11, 25), false)),
            Some(due),
            date(2026, 12, 1),
        );
        assert!(matches!(
            on_time,
            Standing::HandedIn {
                late_after: None,
                ..
            }
        ));
        let late = Standing::of(
            Some(handin(date(2026, 11, 26), true)),
            Some(due),
            date(2026, 12, 1),
        );
        assert!(matches!(
            late,
            Standing::HandedIn {
                late_after: Some(_),
                ..
            }
        ));
        assert_eq!(late.rank(), 2);
        assert_eq!(on_time.rank(), 3);
    }
}
