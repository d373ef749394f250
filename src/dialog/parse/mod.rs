//! Parsers for what users type: whole numbers, dates, class names and report periods.
//!
//! STUB: the bodies are being written; the signatures are the contract.

#![allow(unused_variables)]

use crate::domain::Period;
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
    unimplemented!()
}

/// A typed local date: `26/11`, `26/11/2026`, `26-11-2026`, `2026-11-26`, `hôm nay`,
/// `hom qua`, `today`, `yesterday`. Without a year, the latest such date not after
/// `today`. `None` when not a valid date. Future dates are returned (the caller refuses them).
pub fn date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    unimplemented!()
}

/// A class name as typed: returns the name to display (NFC, trimmed, inner whitespace
/// collapsed to one space) and the key to match on (the display name in lower case).
pub fn class_name(text: &str) -> (String, String) {
    unimplemented!()
}

/// A report period: `2020`, `10/2020`, `tháng 10/2020`, `1-10/2020`, `01/2020-10/2020`,
/// `Q3/2020`, `quý 3/2020`, `2020-01-01..2020-10-31`, `26/11/2026` (one day).
/// `None` when not understood or when it ends before it starts.
pub fn period(text: &str) -> Option<Period> {
    unimplemented!()
}
