//! Dates as organisers type them: `26/11`, `26/11/2026`, `2026-11-26`, `hôm nay`, `yesterday`.

use super::fold;
use chrono::{Datelike, Days, NaiveDate};

/// The earliest year accepted: anything before is a typo, not a class session.
pub(super) const MIN_YEAR: i32 = 1900;

/// See `super::date`.
pub(super) fn date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    date_with_year_flag(text, today).map(|(date, _)| date)
}

/// See `super::date_typed`.
pub(super) fn date_with_year_flag(text: &str, today: NaiveDate) -> Option<(NaiveDate, bool)> {
    let folded = fold(text);
    let relative = match folded.as_str() {
        "hom nay" | "today" | "nay" => Some(today),
        "hom qua" | "yesterday" | "qua" => today.checked_sub_days(Days::new(1)),
        "hom kia" => today.checked_sub_days(Days::new(2)),
        _ => None,
    };
    if let Some(date) = relative {
        return Some((date, true));
    }
    // "ngày 26/11" is how a date is often written; the spaces around separators
    // ("26 / 11") carry no meaning either.
    let rest = folded.strip_prefix("ngay ").unwrap_or(&folded);
    let compact: String = rest.chars().filter(|c| *c != ' ').collect();
    let fields = split_fields(&compact)?;
    match fields.as_slice() {
        [day, month] => without_year(number(day)?, number(month)?, today).map(|d| (d, false)),
        [year, month, day] if year.len() == 4 => {
            ymd(number(year)?, number(month)?, number(day)?).map(|d| (d, true))
        }
        [day, month, year] if year.len() == 4 || year.len() == 2 => {
            // A two-digit year is this century's: nobody logs a session of 1926.
            let century = if year.len() == 2 { 2000 } else { 0 };
            ymd(century + number(year)?, number(month)?, number(day)?).map(|d| (d, true))
        }
        _ => None,
    }
}

/// Splits `26/11/2026` into its fields, all separated by one and the same
/// separator (`/`, `-` or `.`), each 1 to 4 ASCII digits.
pub(super) fn split_fields(text: &str) -> Option<Vec<&str>> {
    let separator = text.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let fields: Vec<&str> = text.split(separator).collect();
    fields
        .iter()
        .all(|field| (1..=4).contains(&field.len()) && field.bytes().all(|b| b.is_ascii_digit()))
        .then_some(fields)
}

/// A field of at most 4 ASCII digits as a number.
pub(super) fn number(field: &str) -> Option<u32> {
    if field.is_empty() || field.len() > 4 {
        return None;
    }
    field.parse().ok()
}

/// A valid date from its parts, refusing years before `MIN_YEAR`.
pub(super) fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    let year = i32::try_from(year).ok().filter(|year| *year >= MIN_YEAR)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The latest `day`/`month` not after `today`. Going back up to eight years finds
/// the previous 29 February even across a century that is not a leap year.
fn without_year(day: u32, month: u32, today: NaiveDate) -> Option<NaiveDate> {
    (0..=8)
        .filter_map(|back| NaiveDate::from_ymd_opt(today.year() - back, month, day))
        .find(|candidate| *candidate <= today)
        .filter(|candidate| candidate.year() >= MIN_YEAR)
}

#[cfg(test)]
mod tests {
    use super::super::date;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn accepted() {
        let today = d(2026, 11, 28);
        let cases: &[(&str, NaiveDate)] = &[
            ("26/11", d(2026, 11, 26)),
            ("28/11", d(2026, 11, 28)),
            ("29/11", d(2025, 11, 29)),
            ("1/1", d(2026, 1, 1)),
            ("26/11/2026", d(2026, 11, 26)),
            ("26-11-2026", d(2026, 11, 26)),
            ("26.11.2026", d(2026, 11, 26)),
            ("26/11/26", d(2026, 11, 26)),
            ("5/3/99", d(2099, 3, 5)),
            ("2026-11-26", d(2026, 11, 26)),
            ("2026/1/2", d(2026, 1, 2)),
            ("  26 / 11 / 2026 ", d(2026, 11, 26)),
            ("ngày 26/11", d(2026, 11, 26)),
            ("Ngày 26/11/2026", d(2026, 11, 26)),
            ("２６/１１", d(2026, 11, 26)),
            ("30/12/2030", d(2030, 12, 30)),
            ("hôm nay", today),
            ("Hôm Nay", today),
            ("hom nay", today),
            ("  HOM   NAY ", today),
            ("today", today),
            ("Today", today),
            ("hôm qua", d(2026, 11, 27)),
            ("hom qua", d(2026, 11, 27)),
            ("yesterday", d(2026, 11, 27)),
            ("YESTERDAY", d(2026, 11, 27)),
            ("hôm kia", d(2026, 11, 26)),
            ("1/1/1900", d(1900, 1, 1)),
        ];
        for (text, expected) in cases {
            assert_eq!(date(text, today), Some(*expected), "{text:?}");
        }
    }

    #[test]
    fn without_year_goes_back_to_the_latest_past_date() {
        assert_eq!(date("31/12", d(2027, 1, 2)), Some(d(2026, 12, 31)));
        assert_eq!(date("2/1", d(2027, 1, 2)), Some(d(2027, 1, 2)));
        assert_eq!(date("29/2", d(2027, 6, 1)), Some(d(2024, 2, 29)));
        assert_eq!(date("29/2", d(2024, 2, 28)), Some(d(2020, 2, 29)));
        assert_eq!(date("29/2", d(2101, 3, 1)), Some(d(2096, 2, 29)));
        assert_eq!(date("hôm qua", d(2027, 1, 1)), Some(d(2026, 12, 31)));
    }

    #[test]
    fn refused() {
        let today = d(2026, 11, 28);
        let cases = [
            "",
            "   ",
            "abc",
            "31/02",
            "31/02/2026",
            "29/02/2026",
            "0/1",
            "1/0",
            "32/1",
            "1/13",
            "26/11/1899",
            "26/11/0026",
            "26/11/202",
            "26/11/20266",
            "26/11-2026",
            "26//11",
            "/11",
            "26/",
            "26",
            "2026",
            "26/11/2026/1",
            "26 11 2026",
            "hôm sau",
            "tomorrow",
            "1e9/1",
            "-1/1",
            "26/11/26/",
            "2026-13-01",
            "2026-11-31",
        ];
        for text in cases {
            assert_eq!(date(text, today), None, "{text:?}");
        }
    }

    #[test]
    fn future_dates_are_returned() {
        let today = d(2026, 11, 28);
        assert_eq!(date("1/1/2027", today), Some(d(2027, 1, 1)));
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*", days in 0i64..200_000) {
            let today = d(1900, 1, 1) + chrono::Duration::days(days);
            let _ = date(&text, today);
        }

        #[test]
        fn never_panics_on_date_like_text(text in "[0-9/.\\- ]{0,14}") {
            let _ = date(&text, d(2026, 11, 28));
        }

        #[test]
        fn round_trips(y in 1900i32..=9999, m in 1u32..=12, day in 1u32..=31) {
            if let Some(expected) = NaiveDate::from_ymd_opt(y, m, day) {
                let today = d(2026, 11, 28);
                prop_assert_eq!(date(&format!("{day}/{m}/{y}"), today), Some(expected));
                prop_assert_eq!(date(&format!("{day:02}-{m:02}-{y}"), today), Some(expected));
                prop_assert_eq!(date(&format!("{y}-{m:02}-{day:02}"), today), Some(expected));
            }
        }

        #[test]
        fn without_year_is_never_after_today(m in 1u32..=12, day in 1u32..=31, days in 0i64..60_000) {
            let today = d(1950, 1, 1) + chrono::Duration::days(days);
            if let Some(found) = date(&format!("{day}/{m}"), today) {
                prop_assert!(found <= today);
                prop_assert!(found > today - chrono::Duration::days(366 * 8 + 2));
            }
        }
    }
}
