//! Parsers for what users type: whole numbers, dates, class names and report periods.
//!
//! Users type on cheap phones, with or without Vietnamese diacritics, sometimes with
//! a full-width keyboard; every parser here accepts those variants and never panics.

mod class_name;
mod date;
mod number;
mod period;

use crate::domain::Period;
pub use crate::text::fold;
use chrono::NaiveDate;

/// Why a typed number was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// No number, several numbers, decimals, exponents (`1e9`), letters before the number.
    NotANumber,
    /// A minus sign (`-5`).
    Negative,
    /// More than fits in a `u64`.
    TooLarge,
}

/// The days of `/silent` when none are typed: "no session for 30 days".
pub const DEFAULT_SILENT_DAYS: u32 = 30;
/// The most days `/silent` takes (ten years); more is surely a slip.
pub const MAX_SILENT_DAYS: u32 = 3_650;

/// The days of `/silent`: nothing typed means `DEFAULT_SILENT_DAYS`; otherwise a whole
/// number from 1 to `MAX_SILENT_DAYS`, as `whole_number` reads it, maybe followed by a
/// word for days (`45`, `45 ngày`, `45 days`).
pub fn silent_days(text: &str) -> Option<u32> {
    if text.trim().is_empty() {
        return Some(DEFAULT_SILENT_DAYS);
    }
    // A word for days after the number is fine ("45 ngày", "45 days").
    let folded = fold(text);
    let number = ["ngay", "days", "day", "d"]
        .iter()
        .find_map(|unit| folded.strip_suffix(unit))
        .unwrap_or(&folded);
    let days = u32::try_from(whole_number(number).ok()?).ok()?;
    (1..=MAX_SILENT_DAYS).contains(&days).then_some(days)
}

/// A whole number typed by a user: `45`, ` 45 `, `45 người`, full-width `４５`,
/// Vietnamese thousands `1.200`. Range checks are the caller's.
pub fn whole_number(text: &str) -> Result<u64, NumberError> {
    number::whole_number(text)
}

/// A typed local date: `26/11`, `26/11/2026`, `26-11-2026`, `2026-11-26`, `hôm nay`,
/// `hom qua`, `today`, `yesterday`. Without a year, the latest such date not after
/// `today`. `None` when not a valid date. Future dates are returned (the caller refuses them).
pub fn date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    date::date(text, today)
}

/// Like `date`, and whether the text named its year (a full date or a word such as
/// `hôm qua`) rather than leaving it to be guessed (`26/11`).
pub fn date_typed(text: &str, today: NaiveDate) -> Option<(NaiveDate, bool)> {
    date::date_with_year_flag(text, today)
}

/// Two counts typed at once, attendance first: `45 30`, `45/30`, `45 người, 30 nữ`.
/// `None` unless the text holds exactly two numbers and nothing else but separators and
/// the count words `whole_number` accepts.
pub fn number_pair(text: &str) -> Option<(u64, u64)> {
    number::number_pair(text)
}

/// Whether a name has at least two letters or digits: `🎉😀👍` or `.` is no class name.
pub fn has_two_alphanumerics(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphanumeric()).take(2).count() == 2
}

/// A class name as typed: returns the name to display (NFC, trimmed, inner whitespace
/// collapsed to one space) and the key to match on (the display name in lower case).
pub fn class_name(text: &str) -> (String, String) {
    class_name::class_name(text)
}

/// The matching key of a typed class name: the second half of `class_name`.
pub fn class_key(text: &str) -> String {
    class_name::class_name(text).1
}

/// Whether two labels are the same words, ignoring case, spacing and Unicode form
/// (`Sức  khỏe` and `sức khỏe`), as typed answers are compared with buttons' labels.
pub fn same_words(a: &str, b: &str) -> bool {
    class_key(a) == class_key(b)
}

/// A report period: `2020`, `10/2020`, `tháng 10/2020`, `1-10/2020`, `01/2020-10/2020`,
/// `Q3/2020`, `quý 3/2020`, `2020-01-01..2020-10-31`, `26/11/2026` (one day).
/// `None` when not understood or when it ends before it starts.
pub fn period(text: &str) -> Option<Period> {
    period::period(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silent_days_default_to_thirty_and_stay_in_range() {
        assert_eq!(silent_days(""), Some(30));
        assert_eq!(silent_days("  "), Some(30));
        assert_eq!(silent_days("45"), Some(45));
        assert_eq!(silent_days("45 ngày"), Some(45));
        assert_eq!(silent_days("４５"), Some(45));
        assert_eq!(silent_days("45 Days"), Some(45));
        assert_eq!(silent_days("3650"), Some(3_650));
        for bad in ["0", "3651", "-5", "abc", "4.5", "99999999999999999999"] {
            assert_eq!(silent_days(bad), None, "{bad}");
        }
    }
}
