//! Whole numbers as organisers type them: `45`, `45 người`, `1.200`, full-width `４５`.

use super::{fold, NumberError};

/// Words that may follow a count ("45 người"): people, attendances, learners, women.
/// Compared after `fold`, so diacritics are optional.
const UNITS: &[&str] = &[
    "nguoi",
    "ng",
    "luot",
    "luot nguoi",
    "hoc vien",
    "hv",
    "nu",
    "nguoi nu",
    "people",
    "persons",
    "person",
    "women",
    "pax",
];

/// See `super::whole_number`.
pub(super) fn whole_number(text: &str) -> Result<u64, NumberError> {
    let folded = fold(text);
    let (negative, rest) = match folded.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, folded.as_str()),
    };
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (number, unit) = rest.split_at(digits_end);
    let unit = unit.trim();
    if !unit.is_empty() && !UNITS.contains(&unit) {
        return Err(NumberError::NotANumber);
    }
    let value = digits(number)?;
    if negative {
        // `-0` is still a minus sign typed where a count belongs.
        return Err(NumberError::Negative);
    }
    Ok(value)
}

/// See `super::number_pair`. Tries each separator (a space, `/`, `,`, `;`, `-`, `–`) as
/// the point between the two counts and takes the first split where both halves are
/// whole numbers by `whole_number`'s rules, so units and thousands work as they do alone.
pub(super) fn number_pair(text: &str) -> Option<(u64, u64)> {
    let text = text.trim();
    text.char_indices()
        .filter(|(_, c)| c.is_whitespace() || matches!(c, '/' | '／' | ',' | ';' | '-' | '–'))
        .find_map(|(at, c)| {
            let (left, right) = (&text[..at], &text[at + c.len_utf8()..]);
            let left = left.trim().trim_end_matches([',', ';']);
            let right = right.trim().trim_start_matches([',', ';', '/', '-', '–']);
            match (whole_number(left), whole_number(right)) {
                (Ok(a), Ok(b)) => Some((a, b)),
                _ => None,
            }
        })
}

/// A run of digits, plain (`1200`, `007`) or grouped by thousands with one kind of
/// separator (`1.200`, `1,200,000`). Anything else, such as the decimal `4.5`, is
/// refused: a count of people is never fractional, so `4.5` is a typo, not 4.
fn digits(number: &str) -> Result<u64, NumberError> {
    if number.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let separator = number.chars().find(|c| *c == '.' || *c == ',');
    if let Some(separator) = separator {
        let mut groups = number.split(separator);
        let first = groups.next().unwrap_or_default();
        // A leading group of 1 to 3 digits not starting with 0 (`0.500` is a decimal).
        if first.is_empty() || first.len() > 3 || first.starts_with('0') || !all_digits(first) {
            return Err(NumberError::NotANumber);
        }
        if !groups.all(|group| group.len() == 3 && all_digits(group)) {
            return Err(NumberError::NotANumber);
        }
    } else if !all_digits(number) {
        return Err(NumberError::NotANumber);
    }
    number
        .bytes()
        .filter(u8::is_ascii_digit)
        .try_fold(0u64, |value, digit| {
            value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
        })
        .ok_or(NumberError::TooLarge)
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::super::whole_number;
    use super::NumberError::{self, *};
    use proptest::prelude::*;

    #[test]
    fn pairs() {
        use super::super::number_pair;
        let cases: &[(&str, Option<(u64, u64)>)] = &[
            ("45 30", Some((45, 30))),
            ("45/30", Some((45, 30))),
            ("45 / 30", Some((45, 30))),
            ("45, 30", Some((45, 30))),
            ("45 người, 30 nữ", Some((45, 30))),
            ("45 nguoi 30 nu", Some((45, 30))),
            ("1.200 300", Some((1200, 300))),
            ("45-30", Some((45, 30))),
            ("45", None),
            ("45 30 12", None),
            ("45 abc", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(number_pair(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn accepted() {
        let cases: &[(&str, u64)] = &[
            ("45", 45),
            (" 45 ", 45),
            ("45 người", 45),
            ("45 nguoi", 45),
            ("45người", 45),
            ("45 Người", 45),
            ("45 lượt", 45),
            ("30 nữ", 30),
            ("４５", 45),
            ("1.200", 1200),
            ("1,200", 1200),
            ("5.568", 5568),
            ("20.868 người", 20868),
            ("1.000.000", 1_000_000),
            ("1,000,000", 1_000_000),
            ("007", 7),
            ("0", 0),
            ("18446744073709551615", u64::MAX),
            ("0000000000000000000000000000042", 42),
        ];
        for (text, expected) in cases {
            assert_eq!(whole_number(text), Ok(*expected), "{text:?}");
        }
    }

    #[test]
    fn refused() {
        let cases: &[(&str, NumberError)] = &[
            ("", NotANumber),
            ("   ", NotANumber),
            ("abc", NotANumber),
            ("4.5", NotANumber),
            ("4,5", NotANumber),
            ("1.20", NotANumber),
            ("1.2000", NotANumber),
            ("1.200,000", NotANumber),
            ("0.500", NotANumber),
            (".200", NotANumber),
            ("1.", NotANumber),
            ("1e9", NotANumber),
            ("45 30", NotANumber),
            ("+5", NotANumber),
            ("khoảng 45", NotANumber),
            ("45 quả táo", NotANumber),
            ("-", NotANumber),
            ("-abc", NotANumber),
            ("-5", Negative),
            ("- 5", Negative),
            ("-0", Negative),
            ("18446744073709551616", TooLarge),
            ("99999999999999999999999", TooLarge),
        ];
        for (text, expected) in cases {
            assert_eq!(whole_number(text), Err(*expected), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*") {
            let _ = whole_number(&text);
        }

        #[test]
        fn never_panics_on_number_like_text(text in "[-+ 0-9.,e]{0,30}(người|nữ)?") {
            let _ = whole_number(&text);
        }

        #[test]
        fn round_trips(n in any::<u64>()) {
            prop_assert_eq!(whole_number(&n.to_string()), Ok(n));
        }

        #[test]
        fn round_trips_grouped(n in any::<u64>()) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push('.');
                }
                grouped.push(c);
            }
            prop_assert_eq!(whole_number(&grouped), Ok(n));
        }
    }
}
