//! Report periods as directors type them after `/report`: `2020`, `10/2020`, `1-10/2020`,
//! `Q3/2020`, `quý 3/2020`, `2020-01-01..2020-10-31` and the like.

use super::date::{number, split_fields, ymd, MIN_YEAR};
use super::fold;
use crate::domain::Period;
use chrono::{Days, NaiveDate};

/// What separates the two ends of a range, most specific first: `..` must be
/// tried before `-`, which also separates the fields of `2020-01-01`.
const RANGE_SEPARATORS: [&str; 9] = ["..", "…", " den ", " toi ", " to ", "~", "–", "—", "-"];

/// See `super::period`.
pub(super) fn period(text: &str) -> Option<Period> {
    let folded = fold(text);
    let text = folded.strip_prefix("tu ").unwrap_or(&folded);
    if let Some(whole) = item(text).and_then(|item| item.alone()) {
        return Some(whole);
    }
    // Every position of every separator is tried, because `-` may also sit inside
    // either end (`01-2020-10-2020`); the first split whose two ends make sense wins.
    RANGE_SEPARATORS.iter().find_map(|separator| {
        text.match_indices(separator).find_map(|(at, _)| {
            let left = text[..at].trim();
            let right = text[at + separator.len()..].trim();
            range(left, right)
        })
    })
}

/// One end of a period, or a whole one, as typed. The year may be missing on the
/// left end of a range (`1-10/2020`), where it comes from the right end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Year(i32),
    Month(u32, Option<i32>),
    Quarter(u32, Option<i32>),
    Day(u32, u32, Option<i32>),
    /// A lone small number: a month, quarter or day depending on the other end.
    Bare(u32),
}

impl Item {
    /// The period this item covers on its own, when it is complete and valid.
    fn alone(self) -> Option<Period> {
        let (from, to) = match self {
            Item::Year(year) => (date(year, 1, 1)?, date(year, 12, 31)?),
            Item::Month(month, Some(year)) => (date(year, month, 1)?, month_end(year, month)?),
            Item::Quarter(quarter, Some(year)) if (1..=4).contains(&quarter) => (
                date(year, quarter * 3 - 2, 1)?,
                month_end(year, quarter * 3)?,
            ),
            Item::Day(day, month, Some(year)) => {
                let day = date(year, month, day)?;
                (day, day)
            }
            _ => return None,
        };
        Period::new(from, to)
    }

    fn year(self) -> Option<i32> {
        match self {
            Item::Year(year) => Some(year),
            Item::Month(_, year) | Item::Quarter(_, year) | Item::Day(_, _, year) => year,
            Item::Bare(_) => None,
        }
    }

    /// The left end of a range completed from the right end: its missing year, and
    /// for a bare number its meaning (month of `1-10/2020`, day of `26-30/11/2026`).
    fn completed_by(self, right: Item) -> Option<Item> {
        if self.year().is_some() {
            return Some(self);
        }
        let year = right.year();
        Some(match (self, right) {
            (Item::Month(month, None), _) => Item::Month(month, year),
            (Item::Quarter(quarter, None), _) => Item::Quarter(quarter, year),
            (Item::Day(day, month, None), _) => Item::Day(day, month, year),
            (Item::Bare(month), Item::Month(..)) => Item::Month(month, year),
            (Item::Bare(quarter), Item::Quarter(..)) => Item::Quarter(quarter, year),
            (Item::Bare(day), Item::Day(_, month, _)) => Item::Day(day, month, year),
            _ => return None,
        })
    }
}

/// The range from `left` to `right`, both included.
fn range(left: &str, right: &str) -> Option<Period> {
    let left = item(left)?;
    let mut right_item = item(right)?;
    // In `quý 1-3/2020` the right end `3/2020` is a quarter too, not March.
    if matches!(left, Item::Quarter(_, None)) && right.starts_with(|c: char| c.is_ascii_digit()) {
        right_item = item(&format!("q{right}"))?;
    }
    let to = right_item.alone()?.to;
    let from = left.completed_by(right_item)?.alone()?.from;
    Period::new(from, to)
}

/// One end of a period in folded text.
fn item(text: &str) -> Option<Item> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("nam ") {
        return year(rest.trim()).map(Item::Year);
    }
    if let Some(rest) = text.strip_prefix("thang ") {
        return month_item(rest.trim());
    }
    if let Some(rest) = text
        .strip_prefix('t')
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        return month_item(rest);
    }
    let quarter = ["quy", "qui", "q"]
        .iter()
        .find_map(|word| text.strip_prefix(word));
    if let Some(rest) = quarter {
        return quarter_item(rest.trim());
    }
    if let Some(rest) = text.strip_prefix("ngay ") {
        return numeric(rest.trim()).filter(|item| matches!(item, Item::Day(..)));
    }
    numeric(text)
}

/// `10`, `10/2020`, `10-2020`, `10 2020`, `10 nam 2020` after the word "tháng".
fn month_item(text: &str) -> Option<Item> {
    let (month, year) = number_and_year(text)?;
    (1..=12)
        .contains(&month)
        .then_some(Item::Month(month, year))
}

/// `3`, `III`, `3/2020`, `3 2020`, `3 nam 2020` after "quý" or "Q".
fn quarter_item(text: &str) -> Option<Item> {
    let roman = ["i", "ii", "iii", "iv"];
    let (head, year) = split_year(text)?;
    let quarter = match roman.iter().position(|r| *r == head) {
        Some(index) => u32::try_from(index + 1).ok()?,
        None if head.len() <= 2 => number(head)?,
        None => return None,
    };
    (1..=4)
        .contains(&quarter)
        .then_some(Item::Quarter(quarter, year))
}

/// A month or quarter number with an optional year.
fn number_and_year(text: &str) -> Option<(u32, Option<i32>)> {
    let (head, year) = split_year(text)?;
    if head.len() > 2 {
        return None;
    }
    Some((number(head)?, year))
}

/// Splits `3/2020`, `3-2020`, `3.2020`, `3 2020` or `3 nam 2020` into `3` and the year;
/// `3` alone has no year.
fn split_year(text: &str) -> Option<(&str, Option<i32>)> {
    match text.find(['/', '-', '.', ' ']) {
        None => Some((text, None)),
        Some(at) => {
            let rest = text[at + 1..].trim();
            let rest = rest.strip_prefix("nam ").unwrap_or(rest).trim();
            Some((&text[..at], Some(year(rest)?)))
        }
    }
}

/// Digits only: `2020`, `10/2020`, `2020-10`, `26/11/2026`, `2026-11-26`, or a bare `10`.
fn numeric(text: &str) -> Option<Item> {
    if !text.contains(['/', '-', '.']) {
        if text.contains(' ') {
            return None;
        }
        return match text.len() {
            4 => year(text).map(Item::Year),
            1 | 2 => number(text).map(Item::Bare),
            _ => None,
        };
    }
    // Spaces around separators (`10 / 2020`) carry no meaning.
    let compact: String = text.chars().filter(|c| *c != ' ').collect();
    let fields = split_fields(&compact)?;
    let lengths: Vec<usize> = fields.iter().map(|field| field.len()).collect();
    match (fields.as_slice(), lengths.as_slice()) {
        ([month, y], [1 | 2, 4]) => Some(Item::Month(number(month)?, Some(year(y)?))),
        ([y, month], [4, 1 | 2]) => Some(Item::Month(number(month)?, Some(year(y)?))),
        ([day, month], [1 | 2, 1 | 2]) => Some(Item::Day(number(day)?, number(month)?, None)),
        ([y, month, day], [4, 1 | 2, 1 | 2]) => {
            Some(Item::Day(number(day)?, number(month)?, Some(year(y)?)))
        }
        ([day, month, y], [1 | 2, 1 | 2, 4]) => {
            Some(Item::Day(number(day)?, number(month)?, Some(year(y)?)))
        }
        ([day, month, y], [1 | 2, 1 | 2, 2]) => Some(Item::Day(
            number(day)?,
            number(month)?,
            Some(2000 + i32::try_from(number(y)?).ok()?),
        )),
        _ => None,
    }
}

/// A four-digit year from `MIN_YEAR` on.
fn year(text: &str) -> Option<i32> {
    if text.len() != 4 {
        return None;
    }
    i32::try_from(number(text)?)
        .ok()
        .filter(|year| *year >= MIN_YEAR)
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    ymd(u32::try_from(year).ok()?, month, day)
}

/// The last day of `month`: the day before the first of the next month, which gets
/// February right in leap years without a table.
fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        date(year + 1, 1, 1)?
    } else {
        date(year, month + 1, 1)?
    };
    next.checked_sub_days(Days::new(1))
}

#[cfg(test)]
mod tests {
    use super::super::period;
    use crate::domain::Period;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn p(from: (i32, u32, u32), to: (i32, u32, u32)) -> Period {
        let date =
            |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).expect("valid test date");
        Period::new(date(from), date(to)).expect("ordered test period")
    }

    #[test]
    fn accepted() {
        let jan_oct = p((2020, 1, 1), (2020, 10, 31));
        let cases: &[(&str, Period)] = &[
            ("2020", p((2020, 1, 1), (2020, 12, 31))),
            ("năm 2020", p((2020, 1, 1), (2020, 12, 31))),
            ("Nam 2020", p((2020, 1, 1), (2020, 12, 31))),
            ("10/2020", p((2020, 10, 1), (2020, 10, 31))),
            ("10-2020", p((2020, 10, 1), (2020, 10, 31))),
            ("2020-10", p((2020, 10, 1), (2020, 10, 31))),
            ("tháng 10/2020", p((2020, 10, 1), (2020, 10, 31))),
            ("Tháng 10 năm 2020", p((2020, 10, 1), (2020, 10, 31))),
            ("thang 10 2020", p((2020, 10, 1), (2020, 10, 31))),
            ("T10/2020", p((2020, 10, 1), (2020, 10, 31))),
            ("2/2020", p((2020, 2, 1), (2020, 2, 29))),
            ("02/2021", p((2021, 2, 1), (2021, 2, 28))),
            ("2/1900", p((1900, 2, 1), (1900, 2, 28))),
            ("2/2000", p((2000, 2, 1), (2000, 2, 29))),
            ("1-10/2020", jan_oct),
            ("1 - 10/2020", jan_oct),
            ("1–10/2020", jan_oct),
            ("tháng 1-10/2020", jan_oct),
            ("tháng 1 - tháng 10/2020", jan_oct),
            ("từ tháng 1 đến tháng 10 năm 2020", jan_oct),
            ("01/2020-10/2020", jan_oct),
            ("01/2020 - 10/2020", jan_oct),
            ("1/2020 – 10/2020", jan_oct),
            ("01-2020-10-2020", jan_oct),
            ("2020-01..2020-10", jan_oct),
            ("2020-01-01..2020-10-31", jan_oct),
            ("2020-01-01 .. 2020-10-31", jan_oct),
            ("2020-01-01 - 2020-10-31", jan_oct),
            ("2020-01-01-2020-10-31", jan_oct),
            ("1/1/2020 - 31/10/2020", jan_oct),
            ("01/01/2020..31/10/2020", jan_oct),
            ("từ 1/1/2020 đến 31/10/2020", jan_oct),
            ("1/1 - 31/10/2020", jan_oct),
            ("26-30/11/2026", p((2026, 11, 26), (2026, 11, 30))),
            ("Q3/2020", p((2020, 7, 1), (2020, 9, 30))),
            ("q3 2020", p((2020, 7, 1), (2020, 9, 30))),
            ("Q3-2020", p((2020, 7, 1), (2020, 9, 30))),
            ("quý 3/2020", p((2020, 7, 1), (2020, 9, 30))),
            ("Quý III/2020", p((2020, 7, 1), (2020, 9, 30))),
            ("quy 4 nam 2020", p((2020, 10, 1), (2020, 12, 31))),
            ("Q1-Q3/2020", p((2020, 1, 1), (2020, 9, 30))),
            ("quý 1-3/2020", p((2020, 1, 1), (2020, 9, 30))),
            ("Q4/2019 - Q1/2020", p((2019, 10, 1), (2020, 3, 31))),
            ("2019-2020", p((2019, 1, 1), (2020, 12, 31))),
            ("2019 đến 2020", p((2019, 1, 1), (2020, 12, 31))),
            ("11/2019-2/2020", p((2019, 11, 1), (2020, 2, 29))),
            ("26/11/2026", p((2026, 11, 26), (2026, 11, 26))),
            ("ngày 26/11/2026", p((2026, 11, 26), (2026, 11, 26))),
            ("2026-11-26", p((2026, 11, 26), (2026, 11, 26))),
            ("26.11.2026", p((2026, 11, 26), (2026, 11, 26))),
            ("  10 / 2020 ", p((2020, 10, 1), (2020, 10, 31))),
            ("quí 2/2020", p((2020, 4, 1), (2020, 6, 30))),
            ("２０２０", p((2020, 1, 1), (2020, 12, 31))),
            ("10/2020-10/2020", p((2020, 10, 1), (2020, 10, 31))),
        ];
        let mut failures = Vec::new();
        for (text, expected) in cases {
            if period(text) != Some(*expected) {
                failures.push(format!(
                    "{text:?}: got {:?}, want {expected:?}",
                    period(text)
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn refused() {
        let cases = [
            "",
            "   ",
            "abc",
            "report",
            "13/2020",
            "0/2020",
            "Q5/2020",
            "Q0/2020",
            "quý V/2020",
            "10-1/2020",
            "10/2020-1/2020",
            "2020-10-31..2020-01-01",
            "2021-2020",
            "31/02/2020",
            "26/11",
            "tháng 10",
            "q3",
            "1-10",
            "10/20",
            "1899",
            "1/1899",
            "20200",
            "2020/10/2020",
            "1..2..3",
            "2020-",
            "-2020",
            "..2020",
            "2020..",
            "1/2020-10",
            "10/2020 11/2020",
            "-1/2020",
            "1e3/2020",
            "quý",
            "năm",
            "tháng 1-13/2020",
        ];
        let accepted: Vec<String> = cases
            .iter()
            .filter_map(|text| period(text).map(|found| format!("{text:?} -> {found:?}")))
            .collect();
        assert!(
            accepted.is_empty(),
            "accepted nonsense:\n{}",
            accepted.join("\n")
        );
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*") {
            let _ = period(&text);
        }

        #[test]
        fn never_panics_on_period_like_text(text in "(q|quý|tháng|năm|từ|đến|[0-9]{1,4}|[-/. –]|\\.\\.){0,8}") {
            let _ = period(&text);
        }

        #[test]
        fn a_year_is_the_whole_year(y in 1900i32..=9999) {
            let found = period(&y.to_string());
            prop_assert_eq!(found, Some(p((y, 1, 1), (y, 12, 31))));
        }

        #[test]
        fn a_month_runs_from_its_first_to_its_last_day(y in 1900i32..=9998, m in 1u32..=12) {
            let found = period(&format!("{m}/{y}")).expect("a valid month");
            prop_assert_eq!(found.from, NaiveDate::from_ymd_opt(y, m, 1).expect("first day"));
            prop_assert_eq!(found.to.succ_opt().map(|d| chrono::Datelike::day(&d)), Some(1));
        }

        #[test]
        fn month_ranges_are_ordered(y in 1900i32..=9999, a in 1u32..=12, b in 1u32..=12) {
            let found = period(&format!("{a}-{b}/{y}"));
            prop_assert_eq!(found.is_some(), a <= b);
        }
    }
}
