//! How the bot writes numbers, percentages, dates and user text: Vietnamese groups
//! thousands with `.` and writes decimals with `,` (20.868; 64,2), English the other way
//! round; user text is escaped for Telegram's HTML. Shared by the engine and the report.

use crate::text::Lang;
use chrono::NaiveDate;

/// Formats a count the way the language writes it: `20.868` in Vietnamese, `20,868` in English.
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

/// `part` as a percentage of `whole` with one decimal, rounded half up (`64,2` in
/// Vietnamese, `64.2` in English); `None` when `whole` is 0, where no share exists.
pub fn format_percent(part: u64, whole: u64, lang: Lang) -> Option<String> {
    if whole == 0 {
        return None;
    }
    // Tenths of a percent in integers, so that the result never depends on float rounding.
    let whole = u128::from(whole);
    let tenths = (u128::from(part) * 1000 + whole / 2) / whole;
    let separator = match lang {
        Lang::Vi => ',',
        Lang::En => '.',
    };
    Some(format!("{}{separator}{}", tenths / 10, tenths % 10))
}

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

/// Telegram HTML as plain text: tags dropped, the three entities decoded (for the
/// terminal and the spreadsheet, which have no HTML).
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A date as people write it in both languages here: `dd/mm/yyyy`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands_per_language() {
        let cases = [
            (0, "0", "0"),
            (999, "999", "999"),
            (1_000, "1.000", "1,000"),
            (5_568, "5.568", "5,568"),
            (20_868, "20.868", "20,868"),
            (100_000, "100.000", "100,000"),
            (1_000_000, "1.000.000", "1,000,000"),
            (
                u64::MAX,
                "18.446.744.073.709.551.615",
                "18,446,744,073,709,551,615",
            ),
        ];
        for (n, vi, en) in cases {
            assert_eq!(format_count(n, Lang::Vi), vi);
            assert_eq!(format_count(n, Lang::En), en);
        }
    }

    #[test]
    fn percentages_have_one_decimal_in_the_language_s_notation() {
        assert_eq!(
            format_percent(13_698, 20_868, Lang::Vi).as_deref(),
            Some("65,6")
        );
        assert_eq!(
            format_percent(13_698, 20_868, Lang::En).as_deref(),
            Some("65.6")
        );
        assert_eq!(format_percent(0, 5, Lang::Vi).as_deref(), Some("0,0"));
        assert_eq!(format_percent(5, 5, Lang::Vi).as_deref(), Some("100,0"));
        // 2/3 = 66.666…: rounded, not cut.
        assert_eq!(format_percent(2, 3, Lang::En).as_deref(), Some("66.7"));
        assert_eq!(format_percent(1, 2000, Lang::En).as_deref(), Some("0.1"));
        assert_eq!(format_percent(0, 0, Lang::Vi), None);
        assert_eq!(
            format_percent(u64::MAX, u64::MAX, Lang::En).as_deref(),
            Some("100.0")
        );
    }

    #[test]
    fn dates_are_day_month_year() {
        let date = NaiveDate::from_ymd_opt(2020, 1, 5).expect("valid date");
        assert_eq!(format_date(date), "05/01/2020");
    }
}
