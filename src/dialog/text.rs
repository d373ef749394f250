//! Small formatting helpers for what the bot writes: HTML escaping, counts and dates.

use crate::domain::Lang;
use chrono::NaiveDate;

/// Escapes text for Telegram's HTML parse mode (only `&`, `<` and `>` are special).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A count as the language writes it: `20.868` in Vietnamese, `20,868` in English.
pub fn format_count(n: u64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A date as `dd/mm/yyyy`, the way Vietnamese documents write it.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_per_language() {
        assert_eq!(format_count(0, Lang::Vi), "0");
        assert_eq!(format_count(999, Lang::Vi), "999");
        assert_eq!(format_count(5568, Lang::Vi), "5.568");
        assert_eq!(format_count(20868, Lang::Vi), "20.868");
        assert_eq!(format_count(1_000_000, Lang::Vi), "1.000.000");
        assert_eq!(format_count(20868, Lang::En), "20,868");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("a<b>&c"), "a&lt;b&gt;&amp;c");
    }
}
