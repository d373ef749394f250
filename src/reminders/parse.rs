//! Parsing `/remind` arguments: `20:00`, `19:30 T2,T4,T6`, `7h30 mon,wed,fri missing`,
//! `20:00 private`, `off`; and `/deadline` arguments: `25 3`, `25 3 7:30`, `on`, `off`.

use super::schedule::{Monthly, Schedule, Weekdays};
use crate::text::fold;
use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// What a reminder does besides reminding the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// One message to the group.
    #[default]
    Group,
    /// The group message also names the organisers who have not reported.
    GroupNamingMissing,
    /// The group message, and a private nudge to each organiser who has not reported.
    NudgeMissing,
}

/// A parsed `/remind` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemindCommand {
    Set {
        schedule: Schedule,
        audience: Audience,
    },
    Off,
}

/// Parses `/remind` arguments; `None` when not understood (the caller shows the usage).
pub fn remind_command(args: &str) -> Option<RemindCommand> {
    let folded = fold(args);
    let mut words = folded
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .peekable();
    let first = words.next()?;
    if matches!(first, "off" | "tat" | "huy" | "stop") {
        return words.next().is_none().then_some(RemindCommand::Off);
    }
    let time = time_of_day(first)?;
    let mut days = Weekdays(0);
    let mut audience = Audience::Group;
    for word in words {
        if let Some(day) = weekday(word) {
            days = days.with(day);
        } else if matches!(word, "missing" | "chua bao" | "chua" | "thieu") {
            audience = Audience::GroupNamingMissing;
        } else if matches!(word, "private" | "rieng" | "nhan rieng") {
            audience = Audience::NudgeMissing;
        } else if matches!(word, "bao" | "daily" | "hang" | "ngay" | "every" | "day") {
            // Filler words of "hằng ngày" / "every day".
        } else {
            return None;
        }
    }
    if days.is_empty() {
        days = Weekdays::EVERY_DAY;
    }
    Some(RemindCommand::Set {
        schedule: Schedule { time, days },
        audience,
    })
}

/// A parsed `/deadline` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineCommand {
    /// Remind the directors on this timing.
    Set(Monthly),
    Off,
}

/// The deadline reminder `/deadline on` sets: the report due on the 25th, the reminder
/// three days before (the 22nd) at 08:00 local.
pub const DEFAULT_DEADLINE: Monthly = Monthly {
    day: 25,
    days_before: 3,
    time: match NaiveTime::from_hms_opt(8, 0, 0) {
        Some(time) => time,
        None => NaiveTime::MIN,
    },
};

/// Parses `/deadline` arguments: `<day> [<days before>] [<time>]` (`25`, `25 3`,
/// `25 3 7:30`), `on` for the defaults, `off`. `None` when not understood or empty (the
/// caller shows the usage).
pub fn deadline_command(args: &str) -> Option<DeadlineCommand> {
    let folded = fold(args);
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        // Filler words: "ngày 25, trước 3 ngày, lúc 8h" / "day 25, 3 days before at 8:00".
        .filter(|w| {
            !matches!(
                *w,
                "ngay" | "truoc" | "luc" | "day" | "days" | "before" | "at"
            )
        })
        .collect();
    match words.as_slice() {
        [] => None,
        ["off" | "tat" | "huy" | "stop"] => Some(DeadlineCommand::Off),
        ["on" | "bat"] => Some(DeadlineCommand::Set(DEFAULT_DEADLINE)),
        [day, rest @ ..] => {
            let day: u8 = small_number(day).filter(|d| (1..=31).contains(d))?;
            let mut timing = Monthly {
                day,
                ..DEFAULT_DEADLINE
            };
            match rest {
                [] => {}
                [one] => match small_number(one) {
                    Some(before) => timing.days_before = before,
                    None => timing.time = time_of_day(one)?,
                },
                [before, time] => {
                    timing.days_before = small_number(before)?;
                    timing.time = time_of_day(time)?;
                }
                _ => return None,
            }
            (timing.days_before <= Monthly::MAX_DAYS_BEFORE).then_some(DeadlineCommand::Set(timing))
        }
    }
}

/// A number of one or two digits.
fn small_number(word: &str) -> Option<u8> {
    (1..=2).contains(&word.len()).then_some(())?;
    if !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok()
}

/// `20:00`, `20h`, `7h30`, `19.30`, `0730`.
fn time_of_day(word: &str) -> Option<NaiveTime> {
    let (h, m) = if let Some((h, m)) = word.split_once([':', 'h', '.']) {
        (h, if m.is_empty() { "0" } else { m })
    } else if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        word.split_at(2)
    } else {
        return None;
    };
    if h.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    if !h.bytes().all(|b| b.is_ascii_digit()) || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// `T2`…`T7`, `CN`, `thu 2`, `mon`…`sun`, `monday`….
fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "t2" | "thu2" | "mon" | "monday" => Weekday::Mon,
        "t3" | "thu3" | "tue" | "tuesday" => Weekday::Tue,
        "t4" | "thu4" | "wed" | "wednesday" => Weekday::Wed,
        "t5" | "thu5" | "thu" | "thursday" => Weekday::Thu,
        "t6" | "thu6" | "fri" | "friday" => Weekday::Fri,
        "t7" | "thu7" | "sat" | "saturday" => Weekday::Sat,
        "cn" | "chu nhat" | "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// A schedule as people write it: `20:00 (T2, T4, T6)` or `20:00` for every day.
pub fn describe(schedule: Schedule, vietnamese: bool) -> String {
    let time = schedule.time.format("%H:%M").to_string();
    if schedule.days == Weekdays::EVERY_DAY {
        return time;
    }
    let names: Vec<&str> = schedule
        .days
        .days()
        .map(|d| match (d, vietnamese) {
            (Weekday::Mon, true) => "T2",
            (Weekday::Tue, true) => "T3",
            (Weekday::Wed, true) => "T4",
            (Weekday::Thu, true) => "T5",
            (Weekday::Fri, true) => "T6",
            (Weekday::Sat, true) => "T7",
            (Weekday::Sun, true) => "CN",
            (Weekday::Mon, false) => "Mon",
            (Weekday::Tue, false) => "Tue",
            (Weekday::Wed, false) => "Wed",
            (Weekday::Thu, false) => "Thu",
            (Weekday::Fri, false) => "Fri",
            (Weekday::Sat, false) => "Sat",
            (Weekday::Sun, false) => "Sun",
        })
        .collect();
    format!("{time} ({})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(h: u32, m: u32, days: &[Weekday], audience: Audience) -> Option<RemindCommand> {
        let days = if days.is_empty() {
            Weekdays::EVERY_DAY
        } else {
            days.iter().fold(Weekdays(0), |set, d| set.with(*d))
        };
        Some(RemindCommand::Set {
            schedule: Schedule {
                time: NaiveTime::from_hms_opt(h, m, 0).expect("valid"),
                days,
            },
            audience,
        })
    }

    #[test]
    fn the_forms_people_type_are_understood() {
        use Weekday::{Fri, Mon, Sun, Wed};
        let cases = [
            ("20:00", set(20, 0, &[], Audience::Group)),
            ("20h", set(20, 0, &[], Audience::Group)),
            ("7h30", set(7, 30, &[], Audience::Group)),
            ("19.30 hằng ngày", set(19, 30, &[], Audience::Group)),
            (
                "19:30 T2,T4,T6",
                set(19, 30, &[Mon, Wed, Fri], Audience::Group),
            ),
            (
                "19:30 t2, t4 , t6",
                set(19, 30, &[Mon, Wed, Fri], Audience::Group),
            ),
            (
                "19:30 mon,wed,fri",
                set(19, 30, &[Mon, Wed, Fri], Audience::Group),
            ),
            ("0730 CN", set(7, 30, &[Sun], Audience::Group)),
            (
                "20:00 missing",
                set(20, 0, &[], Audience::GroupNamingMissing),
            ),
            (
                "20:00 chưa báo",
                set(20, 0, &[], Audience::GroupNamingMissing),
            ),
            ("20:00 T2 riêng", set(20, 0, &[Mon], Audience::NudgeMissing)),
            ("off", Some(RemindCommand::Off)),
            ("Tắt", Some(RemindCommand::Off)),
            ("", None),
            ("25:00", None),
            ("20:61", None),
            ("tomorrow", None),
            ("20:00 T9", None),
            ("off now", None),
            ("-1:00", None),
            ("123:00", None),
        ];
        for (input, expected) in cases {
            assert_eq!(remind_command(input), expected, "{input:?}");
        }
    }

    #[test]
    fn schedules_are_described_back() {
        let Some(RemindCommand::Set { schedule, .. }) = remind_command("19:30 T6 T2") else {
            panic!("parses");
        };
        assert_eq!(describe(schedule, true), "19:30 (T2, T6)");
        assert_eq!(describe(schedule, false), "19:30 (Mon, Fri)");
    }

    #[test]
    fn deadline_arguments_are_understood() {
        let at = |day, days_before, h, m| {
            Some(DeadlineCommand::Set(Monthly {
                day,
                days_before,
                time: NaiveTime::from_hms_opt(h, m, 0).expect("valid"),
            }))
        };
        let cases = [
            ("25 3", at(25, 3, 8, 0)),
            ("25", at(25, 3, 8, 0)),
            ("on", at(25, 3, 8, 0)),
            ("Bật", at(25, 3, 8, 0)),
            ("31 0", at(31, 0, 8, 0)),
            ("20 5 7:30", at(20, 5, 7, 30)),
            ("20 7h30", at(20, 3, 7, 30)),
            ("ngày 25, trước 2 ngày, lúc 9h", at(25, 2, 9, 0)),
            ("day 25, 3 days before at 08:00", at(25, 3, 8, 0)),
            ("off", Some(DeadlineCommand::Off)),
            ("Tắt", Some(DeadlineCommand::Off)),
            ("", None),
            ("0 3", None),
            ("32 3", None),
            ("25 28", None),
            ("25 -1", None),
            ("25 3 25:00", None),
            ("25 3 8:00 extra", None),
            ("tomorrow", None),
            ("off now", None),
            ("100", None),
        ];
        for (input, expected) in cases {
            assert_eq!(deadline_command(input), expected, "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn no_input_panics(input in ".*") {
            let _ = remind_command(&input);
            let _ = deadline_command(&input);
        }

        #[test]
        fn any_time_round_trips(h in 0u32..24, m in 0u32..60) {
            let parsed = remind_command(&format!("{h}:{m:02}"));
            prop_assert_eq!(parsed, set(h, m, &[], Audience::Group));
        }
    }
}
