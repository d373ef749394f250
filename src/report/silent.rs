//! Silent centres: which centres with people logged nothing lately or nothing in the
//! period, told apart from the centres that have nobody to log (no members), so that
//! "no activity" and "not using the bot" are not confused.
//!
//! Pure: from the store's latest session day and member count of every centre
//! (`Activity`) and the day it is.

use crate::domain::CentreId;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

pub use crate::dialog::parse::{DEFAULT_SILENT_DAYS, MAX_SILENT_DAYS};

/// What the store tells about every centre's use of the bot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// The date of each centre's latest live session; absent: none ever.
    pub last_session: BTreeMap<CentreId, NaiveDate>,
    /// The number of members of each centre; absent: none.
    pub members: BTreeMap<CentreId, u64>,
}

/// One centre of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilentCentre {
    pub centre: CentreId,
    pub name: String,
    /// The date of its latest session, if it ever had one.
    pub last_session: Option<NaiveDate>,
}

/// The silent centres as of `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    pub today: NaiveDate,
    pub days: u32,
    /// Centres with members and no session in the report's period (empty without one).
    pub idle_in_period: Vec<SilentCentre>,
    /// Centres with members and no session dated within the last `days` days, today
    /// included (leaving out those already in `idle_in_period`), the longest silent first.
    pub quiet: Vec<SilentCentre>,
    /// Centres nobody has joined: they cannot log anything yet.
    pub no_members: Vec<SilentCentre>,
}

impl Silence {
    /// Whether every centre is in use.
    pub fn is_empty(&self) -> bool {
        self.idle_in_period.is_empty() && self.quiet.is_empty() && self.no_members.is_empty()
    }
}

/// Sorts the centres into the lists. `active_in_period` holds the centres with sessions in
/// the report's period; `None` for `/silent`, which only looks at the last `days` days.
pub fn silent_centres(
    centres: &[(CentreId, String)],
    activity: &Activity,
    active_in_period: Option<&BTreeSet<CentreId>>,
    today: NaiveDate,
    days: u32,
) -> Silence {
    let mut silence = Silence {
        today,
        days,
        idle_in_period: Vec::new(),
        quiet: Vec::new(),
        no_members: Vec::new(),
    };
    // The first day a session must be dated on or after to count as "within `days` days".
    let since = today
        .checked_sub_days(chrono::Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MIN);
    for (centre, name) in centres {
        let entry = SilentCentre {
            centre: *centre,
            name: name.clone(),
            last_session: activity.last_session.get(centre).copied(),
        };
        if activity.members.get(centre).copied().unwrap_or(0) == 0 {
            silence.no_members.push(entry);
            continue;
        }
        if let Some(active) = active_in_period {
            if !active.contains(centre) {
                silence.idle_in_period.push(entry);
                continue;
            }
        }
        if entry.last_session.is_none_or(|day| day < since) {
            silence.quiet.push(entry);
        }
    }
    // Never-used first, then the longest silent; by name among equals.
    let order = |c: &SilentCentre| (c.last_session, c.name.clone(), c.centre);
    silence.quiet.sort_by_key(order);
    silence.idle_in_period.sort_by_key(order);
    silence
        .no_members
        .sort_by(|a, b| (&a.name, a.centre).cmp(&(&b.name, b.centre)));
    silence
}

/// How many whole days lie between `day` and `today` (0 when `day` is today or later).
pub fn days_since(day: NaiveDate, today: NaiveDate) -> u64 {
    u64::try_from((today - day).num_days()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn names(list: &[SilentCentre]) -> Vec<&str> {
        list.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn centres_are_sorted_into_quiet_idle_and_memberless() {
        let centres: Vec<(CentreId, String)> = ["Busy", "Forty days", "Never", "Nobody", "Old"]
            .iter()
            .enumerate()
            .map(|(i, n)| (i as u64 + 1, (*n).to_owned()))
            .collect();
        let today = date(2026, 3, 15);
        let activity = Activity {
            last_session: BTreeMap::from([
                (1, date(2026, 3, 10)),
                (2, date(2026, 2, 3)),
                (4, date(2026, 3, 14)),
                (5, date(2025, 6, 1)),
            ]),
            members: BTreeMap::from([(1, 3), (2, 1), (3, 2), (5, 1)]),
        };
        let silence = silent_centres(&centres, &activity, None, today, 30);
        assert_eq!(names(&silence.quiet), ["Never", "Old", "Forty days"]);
        assert_eq!(names(&silence.no_members), ["Nobody"]);
        assert!(silence.idle_in_period.is_empty());
        assert_eq!(days_since(date(2026, 2, 3), today), 40);

        // 40 days is not silent for `/silent 41`; the bounds: a session 29 days ago is
        // within 30 days, one 30 days ago is not.
        let silence = silent_centres(&centres, &activity, None, today, 41);
        assert_eq!(names(&silence.quiet), ["Never", "Old"]);
        let edge = Activity {
            last_session: BTreeMap::from([(1, date(2026, 2, 14)), (2, date(2026, 2, 13))]),
            members: BTreeMap::from([(1, 1), (2, 1)]),
        };
        let silence = silent_centres(&centres[..2], &edge, None, today, 30);
        assert_eq!(names(&silence.quiet), ["Forty days"]);

        // With a period: the centres with members but nothing in it are listed apart.
        let active = BTreeSet::from([1, 2, 4]);
        let silence = silent_centres(&centres, &activity, Some(&active), today, 30);
        assert_eq!(names(&silence.idle_in_period), ["Never", "Old"]);
        assert_eq!(names(&silence.quiet), ["Forty days"]);
        assert_eq!(names(&silence.no_members), ["Nobody"]);
        assert!(!silence.is_empty());
    }
}
