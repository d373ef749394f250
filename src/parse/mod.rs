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
