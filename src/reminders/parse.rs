//! Parsing `/remind` arguments: `20:00`, `19:30 T2,T4,T6`, `7h30 mon,wed,fri missing`,
//! `20:00 private`, `off`.

use super::schedule::{Schedule, Weekdays};
use crate::dialog::parse::fold;
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

    proptest! {
        #[test]
        fn no_input_panics(input in ".*") {
            let _ = remind_command(&input);
        }

        #[test]
        fn any_time_round_trips(h in 0u32..24, m in 0u32..60) {
            let parsed = remind_command(&format!("{h}:{m:02}"));
            prop_assert_eq!(parsed, set(h, m, &[], Audience::Group));
        }
    }
}
