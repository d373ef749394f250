//! The names of the report's files, in ASCII so that every phone and mail program keeps
//! them, saying what the file is: `bao-cao-<centre>-<period>.xlsx` (and `.csv`, `.docx`),
//! `bieu-do-<centre>-<period>.png`, the centre being `tat-ca-trung-tam` for the roll-up of
//! every centre, and the period `01-10-2020` for January to October 2020 (see
//! `period_slug`).

use super::docx::whole_months;
use crate::domain::Period;
use chrono::Datelike;
use unicode_normalization::UnicodeNormalization;

/// What the roll-up of every centre is called in file names, whatever the language.
pub const ALL_CENTRES: &str = "tat-ca-trung-tam";

/// `bao-cao-<centre>-<period>`: `centre` is `None` for the roll-up of every centre.
pub fn report_stem(centre: Option<&str>, period: Period) -> String {
    let centre = centre.map_or_else(|| ALL_CENTRES.to_owned(), slug);
    format!("bao-cao-{centre}-{}", period_slug(period))
}

/// The chart of a report whose files start with `stem` (`bao-cao-…`): `bieu-do-….png`.
pub fn chart_name(stem: &str) -> String {
    let rest = stem.strip_prefix("bao-cao-").unwrap_or(stem);
    format!("bieu-do-{rest}.png")
}

/// The centre × group table of the roll-up as a file of its own, with `extension`.
pub fn centre_table_name(period: Period, extension: &str) -> String {
    format!("{}-theo-trung-tam.{extension}", report_stem(None, period))
}

/// The period in a file name: `2020` for a whole year, `10-2020` for a month,
/// `01-10-2020` for months of one year, the first and last day otherwise.
pub fn period_slug(period: Period) -> String {
    let (from, to) = (period.from, period.to);
    if whole_months(period) && from.year() == to.year() {
        if from.month() == 1 && to.month() == 12 {
            return from.year().to_string();
        }
        if from.month() == to.month() {
            return format!("{:02}-{}", from.month(), from.year());
        }
        return format!("{:02}-{:02}-{}", from.month(), to.month(), to.year());
    }
    format!("{}-{}", from.format("%d-%m-%Y"), to.format("%d-%m-%Y"))
}

/// Lower-case ASCII words joined by "-": diacritics dropped, "đ" as "d".
pub fn slug(name: &str) -> String {
    let ascii: String = name
        .nfd()
        .filter_map(|c| match c {
            'đ' | 'Đ' => Some('d'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            c if c.is_ascii() || c.is_whitespace() => Some(' '),
            _ => None,
        })
        .collect();
    let words: Vec<&str> = ascii.split_whitespace().collect();
    if words.is_empty() {
        "trung-tam".to_owned()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn every_file_carries_the_centre_and_the_period() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let p = Period::new(d(2020, 1, 1), d(2020, 10, 31)).expect("period");
        let stem = report_stem(Some("TTHTCĐ phường Tràng An"), p);
        assert_eq!(stem, "bao-cao-tthtcd-phuong-trang-an-01-10-2020");
        assert_eq!(
            chart_name(&stem),
            "bieu-do-tthtcd-phuong-trang-an-01-10-2020.png"
        );
        assert_eq!(report_stem(None, p), "bao-cao-tat-ca-trung-tam-01-10-2020");
        assert_eq!(
            centre_table_name(p, "csv"),
            "bao-cao-tat-ca-trung-tam-01-10-2020-theo-trung-tam.csv"
        );
    }
}
