//! The same period one year earlier beside the period: both numbers, the change and the
//! percentage, per activity group and in total (the chat's short block, the files'
//! columns and the document's line in section III).

use super::table::build;
use crate::dialog::Catalog;
use crate::domain::{Lang, Period, Totals};
use crate::format::{escape_html, format_count, format_date, format_percent};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The same period one year earlier. A day that year lacks (29 February) becomes the
/// last day of its month, and a period ending on the last day of a month ends on the
/// last day of that month a year earlier, so February 2025 compares with all of
/// February 2024 (29 days) and February 2024 with all of February 2023.
pub fn year_earlier(period: Period) -> Period {
    let from = shift_back(period.from, false);
    let to = shift_back(period.to, is_last_of_month(period.to));
    Period::new(from, to).unwrap_or(period)
}

fn is_last_of_month(date: NaiveDate) -> bool {
    date.succ_opt()
        .is_none_or(|next| next.month() != date.month())
}

/// `date` a year earlier: the same day, or the last day of the month when that year's
/// month is shorter or `to_month_end` asks for it.
fn shift_back(date: NaiveDate, to_month_end: bool) -> NaiveDate {
    let year = date.year() - 1;
    let last_day = (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, date.month(), *d).is_some())
        .unwrap_or(28);
    let day = if to_month_end {
        last_day
    } else {
        date.day().min(last_day)
    };
    NaiveDate::from_ymd_opt(year, date.month(), day).unwrap_or(date)
}

/// One row of the comparison: a group of table III.2 now and a year earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    pub number: usize,
    pub group: String,
    pub official_name: String,
    pub now: Totals,
    pub before: Totals,
}

/// The period beside the same period a year earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub period: Period,
    /// `year_earlier(period)`.
    pub earlier: Period,
    /// Every row of table III.2 (the union of both periods' groups), in its order.
    pub rows: Vec<CompareRow>,
    pub now: Totals,
    pub before: Totals,
}

impl Comparison {
    /// Whether either period has a session: without any, there is nothing to compare.
    pub fn has_data(&self) -> bool {
        self.now.sessions > 0 || self.before.sessions > 0
    }
}

/// Compares the per-group totals of `period` (`now`) with those of the same period a
/// year earlier (`before`).
pub fn compare(
    catalog: &Catalog,
    period: Period,
    now: &BTreeMap<String, Totals>,
    before: &BTreeMap<String, Totals>,
    lang: Lang,
) -> Comparison {
    let mut union = now.clone();
    for group in before.keys() {
        union.entry(group.clone()).or_default();
    }
    let rows: Vec<CompareRow> = build(catalog, &union, lang)
        .rows
        .into_iter()
        .map(|row| CompareRow {
            now: now.get(&row.group).copied().unwrap_or_default(),
            before: before.get(&row.group).copied().unwrap_or_default(),
            number: row.number,
            group: row.group,
            official_name: row.official_name,
        })
        .collect();
    let now_total = rows.iter().fold(Totals::default(), |s, r| s + r.now);
    let before_total = rows.iter().fold(Totals::default(), |s, r| s + r.before);
    Comparison {
        period,
        earlier: year_earlier(period),
        rows,
        now: now_total,
        before: before_total,
    }
}

/// The change from `before` to `now` as a signed number ("+2.868", "-120", "0").
pub fn signed_change(now: u64, before: u64, lang: Lang) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("+{}", format_count(now - before, lang)),
        std::cmp::Ordering::Less => format!("-{}", format_count(before - now, lang)),
        std::cmp::Ordering::Equal => "0".to_owned(),
    }
}

/// The change as a signed percentage of `before` ("+15,9%"); `None` when `before` is 0.
pub fn signed_percent(now: u64, before: u64, lang: Lang) -> Option<String> {
    let (sign, difference) = if now >= before {
        ("+", now - before)
    } else {
        ("-", before - now)
    };
    let percent = format_percent(difference, before, lang)?;
    Some(if difference == 0 {
        format!("{percent}%")
    } else {
        format!("{sign}{percent}%")
    })
}

/// The change in words for the chat: "+2.868; +15,9%", "+150; năm trước chưa có" when
/// there was nothing a year earlier, "0" when there is nothing either year.
pub fn change_text(catalog: &Catalog, now: u64, before: u64, lang: Lang) -> String {
    if now == 0 && before == 0 {
        return "0".to_owned();
    }
    let count = signed_change(now, before, lang);
    match signed_percent(now, before, lang) {
        Some(percent) => format!("{count}; {percent}"),
        None => format!("{count}; {}", catalog.text("report.compare_new", lang)),
    }
}

/// The change as a fraction of `before` for a spreadsheet's percent cell; `None` when
/// `before` is 0.
pub fn change_ratio(now: u64, before: u64) -> Option<f64> {
    // Counts stay far below 2^53, where f64 is exact.
    (before > 0).then(|| (now as f64 - before as f64) / before as f64)
}

/// The chat's comparison block: the heading with the earlier period, the total
/// attendance, classes and women, then each group that had sessions in either period
/// (attendance only, with the group's short name). Empty when neither period has any.
pub fn render_comparison(catalog: &Catalog, comparison: &Comparison, lang: Lang) -> String {
    if !comparison.has_data() {
        return String::new();
    }
    let mut lines = vec![catalog.render(
        "report.compare_heading",
        lang,
        &[
            ("from", &format_date(comparison.earlier.from)),
            ("to", &format_date(comparison.earlier.to)),
        ],
    )];
    let (now, before) = (comparison.now, comparison.before);
    for (key, now, before) in [
        (
            "report.compare_attendance",
            now.attendance,
            before.attendance,
        ),
        ("report.compare_classes", now.classes, before.classes),
        ("report.compare_female", now.female, before.female),
    ] {
        lines.push(catalog.render(
            "report.compare_line",
            lang,
            &[
                ("label", catalog.text(key, lang)),
                ("now", &format_count(now, lang)),
                ("before", &format_count(before, lang)),
                ("change", &change_text(catalog, now, before, lang)),
            ],
        ));
    }
    for row in &comparison.rows {
        if row.now.sessions == 0 && row.before.sessions == 0 {
            continue;
        }
        let name = catalog
            .group(&row.group)
            .map_or(row.official_name.as_str(), |g| g.short.get(lang));
        lines.push(catalog.render(
            "report.compare_group",
            lang,
            &[
                ("group", &escape_html(name)),
                ("now", &format_count(row.now.attendance, lang)),
                ("before", &format_count(row.before.attendance, lang)),
                (
                    "change",
                    &change_text(catalog, row.now.attendance, row.before.attendance, lang),
                ),
            ],
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_catalog::{catalog, seed_totals};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn period(from: NaiveDate, to: NaiveDate) -> Period {
        Period::new(from, to).expect("ordered")
    }

    #[test]
    fn a_year_earlier_keeps_whole_months_whole() {
        let cases = [
            (
                period(date(2020, 1, 1), date(2020, 10, 31)),
                period(date(2019, 1, 1), date(2019, 10, 31)),
            ),
            (
                period(date(2025, 2, 1), date(2025, 2, 28)),
                period(date(2024, 2, 1), date(2024, 2, 29)),
            ),
            (
                period(date(2024, 2, 1), date(2024, 2, 29)),
                period(date(2023, 2, 1), date(2023, 2, 28)),
            ),
            (
                period(date(2024, 2, 29), date(2024, 3, 15)),
                period(date(2023, 2, 28), date(2023, 3, 15)),
            ),
            (
                period(date(2026, 1, 1), date(2026, 11, 26)),
                period(date(2025, 1, 1), date(2025, 11, 26)),
            ),
        ];
        for (now, earlier) in cases {
            assert_eq!(year_earlier(now), earlier, "{now:?}");
        }
    }

    #[test]
    fn changes_are_signed_and_a_new_group_has_no_percentage() {
        assert_eq!(signed_change(20_868, 18_000, Lang::Vi), "+2.868");
        assert_eq!(signed_change(880, 1_000, Lang::En), "-120");
        assert_eq!(signed_change(5, 5, Lang::Vi), "0");
        assert_eq!(
            signed_percent(20_868, 18_000, Lang::Vi).as_deref(),
            Some("+15,9%")
        );
        assert_eq!(
            signed_percent(880, 1_000, Lang::En).as_deref(),
            Some("-12.0%")
        );
        assert_eq!(signed_percent(5, 5, Lang::En).as_deref(), Some("0.0%"));
        assert_eq!(signed_percent(150, 0, Lang::Vi), None);
        assert_eq!(change_ratio(150, 0), None);
        assert_eq!(change_ratio(110, 100), Some(0.1));
    }

    #[test]
    fn the_comparison_covers_the_groups_of_both_years() {
        let catalog = catalog();
        let now = seed_totals();
        let mut before = BTreeMap::new();
        before.insert(
            "literacy".to_owned(),
            Totals {
                classes: 1,
                sessions: 2,
                attendance: 40,
                female: 30,
            },
        );
        before.insert(
            "arts".to_owned(),
            Totals {
                classes: 5,
                sessions: 10,
                attendance: 5_000,
                female: 3_000,
            },
        );
        let p = period(date(2020, 1, 1), date(2020, 10, 31));
        let comparison = compare(&catalog, p, &now, &before, Lang::Vi);
        assert_eq!(
            comparison.earlier,
            period(date(2019, 1, 1), date(2019, 10, 31))
        );
        assert_eq!(comparison.rows.len(), 10);
        assert_eq!(comparison.rows[0].before.attendance, 40);
        assert_eq!(comparison.rows[0].now.attendance, 0);
        assert_eq!(comparison.now.attendance, 20_868);
        assert_eq!(comparison.before.attendance, 5_040);
        assert!(comparison.has_data());
        let empty = compare(&catalog, p, &BTreeMap::new(), &BTreeMap::new(), Lang::Vi);
        assert!(!empty.has_data());
        assert_eq!(render_comparison(&catalog, &empty, Lang::Vi), "");
    }
}
