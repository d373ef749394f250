//! The report and the running totals as Telegram HTML, laid out for a phone screen.
//!
//! The table body is a `<pre>` block so that numbers line up; about 32 monospace columns
//! fit a small phone without the block scrolling sideways, so the group names are wrapped
//! at word boundaries to that width.

use super::table::{ReportRow, ReportTable};
use crate::dialog::Catalog;
use crate::domain::{Lang, Period};
use crate::format::{escape_html as escape, format_count, format_date, format_percent};
use chrono::{Datelike, NaiveDate};

/// Columns of monospace text a small phone shows without scrolling.
const WIDTH: usize = 32;
/// Indentation of continuation lines and of the numbers line under a group name.
const INDENT: usize = 3;
/// Longest group name shown (in characters); longer names are cut with `…`. The dialog
/// files could hold any length, and Telegram refuses messages above 4096 characters.
const MAX_NAME_CHARS: usize = 160;
/// Longest centre name shown (in characters), for the same reason.
const MAX_CENTRE_CHARS: usize = 120;

/// The report as Telegram HTML that fits a phone and stays under 4096 characters.
pub fn render_chat(
    catalog: &Catalog,
    table: &ReportTable,
    centre_name: &str,
    period: Period,
    lang: Lang,
) -> String {
    let centre = escape(&truncate(centre_name, MAX_CENTRE_CHARS));
    let mut out = String::new();
    out.push_str(&format!("<b>{}</b>\n", catalog.text("report.title", lang)));
    out.push_str(&catalog.render("report.centre", lang, &[("centre", &centre)]));
    out.push('\n');
    out.push_str(&render_period(catalog, period, lang));
    out.push_str("\n<pre>");
    out.push_str(catalog.text("report.columns", lang));
    for row in &table.rows {
        out.push('\n');
        out.push_str(&render_row(catalog, row, lang));
    }
    out.push_str("</pre>\n");
    let attendance = format_count(table.total.attendance, lang);
    out.push_str(&catalog.render("report.total_line", lang, &[("attendance", &attendance)]));
    // Without attendance there is no share to speak of, so the line is left out.
    if let Some(percent) = format_percent(table.total.female, table.total.attendance, lang) {
        out.push('\n');
        out.push_str(&catalog.render("report.female_share", lang, &[("percent", &percent)]));
    }
    out
}

/// The period a report covers. Whole months are named as the official report names them
/// ("Từ tháng 01 đến tháng 10 năm 2020", "January to October 2020"); any other period
/// by its first and last day.
pub fn render_period(catalog: &Catalog, period: Period, lang: Lang) -> String {
    let whole_months =
        period.from.day() == 1 && period.to.succ_opt().is_some_and(|next| next.day() == 1);
    if !whole_months {
        return catalog.render(
            "report.period",
            lang,
            &[
                ("from", &format_date(period.from)),
                ("to", &format_date(period.to)),
            ],
        );
    }
    let names: Vec<&str> = catalog
        .text("report.month_names", lang)
        .split(',')
        .map(str::trim)
        .collect();
    // A list missing a name falls back on the month's number rather than on nothing.
    let name = |date: NaiveDate| {
        names
            .get(date.month0() as usize)
            .map_or_else(|| date.month().to_string(), |n| (*n).to_owned())
    };
    let (from, to) = (period.from, period.to);
    let key = if (from.year(), from.month()) == (to.year(), to.month()) {
        "report.period_month"
    } else if from.year() == to.year() {
        "report.period_months"
    } else {
        "report.period_months_years"
    };
    catalog.render(
        key,
        lang,
        &[
            ("from_month", &format!("{:02}", from.month())),
            ("from_month_name", &name(from)),
            ("from_year", &from.year().to_string()),
            ("to_month", &format!("{:02}", to.month())),
            ("to_month_name", &name(to)),
            ("to_year", &to.year().to_string()),
            ("year", &to.year().to_string()),
        ],
    )
}

/// One row: the wrapped "TT. name" lines, then the numbers, indented.
fn render_row(catalog: &Catalog, row: &ReportRow, lang: Lang) -> String {
    let name = truncate(&row.official_name, MAX_NAME_CHARS);
    let heading = format!("{}. {}", row.number, name);
    let mut lines: Vec<String> = wrap(&heading, WIDTH, INDENT)
        .iter()
        .map(|line| escape(line))
        .collect();
    let numbers = catalog.render(
        "report.row_numbers",
        lang,
        &[
            ("classes", &format_count(row.totals.classes, lang)),
            ("attendance", &format_count(row.totals.attendance, lang)),
            ("female", &format_count(row.totals.female, lang)),
        ],
    );
    lines.push(format!("{}{numbers}", " ".repeat(INDENT)));
    lines.join("\n")
}

/// The running totals message (`/totals`).
pub fn render_totals(catalog: &Catalog, table: &ReportTable, period: Period, lang: Lang) -> String {
    let period_text = format!("{} – {}", format_date(period.from), format_date(period.to));
    let mut lines = vec![catalog.render("totals.heading", lang, &[("period", &period_text)])];
    if table.total.sessions == 0 {
        lines.push(catalog.text("totals.empty", lang).to_owned());
        return lines.join("\n");
    }
    for row in table.rows.iter().filter(|row| row.totals.sessions > 0) {
        // Buttons and this list use the short name; a group unknown to the catalog only
        // has the name the table gave it.
        let name = catalog
            .group(&row.group)
            .map_or(row.official_name.as_str(), |g| g.short.get(lang));
        lines.push(catalog.render(
            "totals.line",
            lang,
            &[
                ("group", &escape(name)),
                ("classes", &format_count(row.totals.classes, lang)),
                ("attendance", &format_count(row.totals.attendance, lang)),
                ("female", &format_count(row.totals.female, lang)),
            ],
        ));
    }
    lines.push(catalog.render(
        "totals.centre",
        lang,
        &[
            ("classes", &format_count(table.total.classes, lang)),
            ("attendance", &format_count(table.total.attendance, lang)),
            ("female", &format_count(table.total.female, lang)),
        ],
    ));
    lines.join("\n")
}

/// `text` cut to at most `max` characters, the last one being `…` when something was cut.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Wraps `text` at spaces into lines of at most `width` characters (not bytes: Vietnamese
/// letters take two or three bytes); lines after the first are indented by `indent`
/// spaces within that width. A word longer than a line is split.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let mut rest: Vec<char> = word.chars().collect();
        while !rest.is_empty() {
            let room = if lines.is_empty() {
                width
            } else {
                width - indent
            };
            if line_len == 0 {
                let take = rest.len().min(room);
                line.extend(&rest[..take]);
                line_len = take;
                rest.drain(..take);
                if !rest.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_len = 0;
                }
            } else if line_len + 1 + rest.len() <= room {
                line.push(' ');
                line.extend(&rest);
                line_len += 1 + rest.len();
                rest.clear();
            } else {
                lines.push(std::mem::take(&mut line));
                line_len = 0;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Totals;
    use crate::report::table::build;
    use crate::report::test_catalog::{catalog, seed_totals};
    use expect_test::expect;
    use std::collections::BTreeMap;

    fn seed_period() -> Period {
        let from = NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date");
        let to = NaiveDate::from_ymd_opt(2020, 10, 31).expect("valid date");
        Period::new(from, to).expect("ordered period")
    }

    /// The lines inside the `<pre>` block, unescaped, to measure their width.
    fn pre_lines(html: &str) -> Vec<String> {
        let start = html.find("<pre>").expect("pre opens") + "<pre>".len();
        let end = html.find("</pre>").expect("pre closes");
        html[start..end]
            .lines()
            .map(|l| {
                l.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .collect()
    }

    #[test]
    fn the_seed_report_in_vietnamese() {
        let catalog = catalog();
        let table = build(&catalog, &seed_totals(), Lang::Vi);
        let html = render_chat(
            &catalog,
            &table,
            "TTHTCĐ phường Tràng An",
            seed_period(),
            Lang::Vi,
        );
        expect![[r#"
            <b>Kết quả thực hiện (III.2)</b>
            Trung tâm: TTHTCĐ phường Tràng An
            Từ tháng 01 đến tháng 10 năm 2020
            <pre>Số lớp · Lượt người · Nữ
            1. Học chương trình xóa mù chữ,
               giáo dục chương trình sau
               biết chữ
               0 lớp · 0 lượt · 0 nữ
            2. Học nghề ngắn hạn
               2 lớp · 600 lượt · 280 nữ
            3. Chuyên đề Giáo dục pháp luật
               5 lớp · 900 lượt · 450 nữ
            4. Chuyên đề Giáo dục sức khỏe
               6 lớp · 2.070 lượt · 1.650 nữ
            5. Chuyên đề Giáo dục môi trường
               8 lớp · 2.980 lượt · 1.270 nữ
            6. Chuyên đề Văn hóa xã hội
               6 lớp · 2.160 lượt · 1.500 nữ
            7. Chuyên đề Phát triển kinh tế
               4 lớp · 1.000 lượt · 670 nữ
            8. Chuyên đề Giáo dục kỹ năng
               sống
               6 lớp · 2.140 lượt · 1.670 nữ
            9. Chuyên đề của chương trình
               khác
               7 lớp · 3.450 lượt · 2.220 nữ
            10. Các chương trình văn nghệ,
               thể dục thể thao được phổ
               biến
               6 lớp · 5.568 lượt · 3.988 nữ</pre>
            Tổng số lượt người tham gia: <b>20.868</b>
            Nữ chiếm 65,6%"#]]
        .assert_eq(&html);
        // Name lines fit the phone; numbers lines (with `·`) depend on the template.
        for line in pre_lines(&html).iter().filter(|l| !l.contains('·')) {
            assert!(line.chars().count() <= WIDTH, "too wide: {line:?}");
        }
    }

    #[test]
    fn the_seed_report_in_english() {
        let catalog = catalog();
        let table = build(&catalog, &seed_totals(), Lang::En);
        let html = render_chat(&catalog, &table, "Trang An & <Co>", seed_period(), Lang::En);
        expect![[r#"
            <b>Results (III.2)</b>
            Centre: Trang An &amp; &lt;Co&gt;
            January to October 2020
            <pre>Classes · Attendances · Women
            1. Literacy and post-literacy
               programmes
               0 cl. · 0 att. · 0 w.
            2. Short vocational training
               2 cl. · 600 att. · 280 w.
            3. Topic: legal education
               5 cl. · 900 att. · 450 w.
            4. Topic: health education
               6 cl. · 2,070 att. · 1,650 w.
            5. Topic: environmental
               education
               8 cl. · 2,980 att. · 1,270 w.
            6. Topic: culture and society
               6 cl. · 2,160 att. · 1,500 w.
            7. Topic: economic development
               4 cl. · 1,000 att. · 670 w.
            8. Topic: life skills
               6 cl. · 2,140 att. · 1,670 w.
            9. Topics of other programmes
               7 cl. · 3,450 att. · 2,220 w.
            10. Arts, physical education and
               sports programmes
               6 cl. · 5,568 att. · 3,988 w.</pre>
            Total attendances: <b>20,868</b>
            Women: 65.6%"#]]
        .assert_eq(&html);
    }

    #[test]
    fn an_empty_report_has_zeros_and_no_female_share() {
        let catalog = catalog();
        let table = build(&catalog, &BTreeMap::new(), Lang::Vi);
        let html = render_chat(&catalog, &table, "X", seed_period(), Lang::Vi);
        assert!(html.contains("0 lớp · 0 lượt · 0 nữ"));
        assert!(html.ends_with("Tổng số lượt người tham gia: <b>0</b>"));
        assert!(!html.contains("Nữ chiếm"));
    }

    #[test]
    fn the_longest_names_and_seven_digit_numbers_stay_under_telegram_s_limit() {
        let mut catalog = catalog();
        let long_word = "Giáo dục thường xuyên cộng đồng ".repeat(20);
        for group in &mut catalog.groups {
            group.official.vi = long_word.clone();
            group.official.en = long_word.clone();
        }
        let huge = Totals {
            classes: 9_999_999,
            sessions: 9_999_999,
            attendance: 9_999_999,
            female: 9_999_999,
        };
        let per_group: BTreeMap<String, Totals> = catalog
            .groups
            .iter()
            .map(|g| (g.id.clone(), huge))
            .collect();
        for lang in Lang::ALL {
            let table = build(&catalog, &per_group, lang);
            let html = render_chat(
                &catalog,
                &table,
                &"Trung tâm & <b>".repeat(100),
                seed_period(),
                lang,
            );
            let chars = html.chars().count();
            assert!(chars < 3_500, "{chars} characters");
            for line in pre_lines(&html) {
                if !line.contains('·') {
                    assert!(line.chars().count() <= WIDTH, "too wide: {line:?}");
                }
            }
        }
    }

    #[test]
    fn whole_months_are_named_like_the_official_report_and_other_periods_by_day() {
        let catalog = catalog();
        let period = |from: (i32, u32, u32), to: (i32, u32, u32)| {
            let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
            Period::new(day(from), day(to)).expect("ordered period")
        };
        let cases = [
            (
                period((2020, 1, 1), (2020, 10, 31)),
                "Từ tháng 01 đến tháng 10 năm 2020",
                "January to October 2020",
            ),
            (
                period((2024, 2, 1), (2024, 2, 29)),
                "Tháng 02 năm 2024",
                "February 2024",
            ),
            (
                period((2025, 9, 1), (2026, 5, 31)),
                "Từ tháng 09 năm 2025 đến tháng 05 năm 2026",
                "September 2025 to May 2026",
            ),
            (
                period((2020, 1, 1), (2020, 10, 30)),
                "Từ 01/01/2020 đến 30/10/2020",
                "From 01/01/2020 to 30/10/2020",
            ),
            (
                period((2020, 1, 2), (2020, 10, 31)),
                "Từ 02/01/2020 đến 31/10/2020",
                "From 02/01/2020 to 31/10/2020",
            ),
        ];
        for (period, vi, en) in cases {
            assert_eq!(render_period(&catalog, period, Lang::Vi), vi);
            assert_eq!(render_period(&catalog, period, Lang::En), en);
        }
    }

    #[test]
    fn wrapping_counts_characters_and_indents_continuations() {
        let lines = wrap(
            "10. Các chương trình văn nghệ, thể dục thể thao được phổ biến",
            32,
            3,
        );
        assert_eq!(
            lines,
            [
                "10. Các chương trình văn nghệ,",
                "   thể dục thể thao được phổ",
                "   biến",
            ]
        );
        // A word longer than a line is split rather than overflowing.
        let lines = wrap(&format!("1. {}", "x".repeat(70)), 32, 3);
        assert!(lines.iter().all(|l| l.chars().count() <= 32), "{lines:?}");
        assert_eq!(lines.concat().matches('x').count(), 70);
    }

    #[test]
    fn totals_list_groups_with_sessions_by_short_name() {
        let catalog = catalog();
        let mut per_group = BTreeMap::new();
        per_group.insert(
            "health".to_owned(),
            Totals {
                classes: 2,
                sessions: 3,
                attendance: 1_200,
                female: 700,
            },
        );
        let table = build(&catalog, &per_group, Lang::Vi);
        expect![[r#"
            <b>Tổng kết 01/01/2020 – 31/10/2020</b>
            Sức khỏe: 2 lớp, 1.200 lượt, 700 nữ
            Cả trung tâm: 2 lớp, 1.200 lượt, 700 nữ"#]]
        .assert_eq(&render_totals(&catalog, &table, seed_period(), Lang::Vi));
        let table = build(&catalog, &per_group, Lang::En);
        expect![[r#"
            <b>Totals 01/01/2020 – 31/10/2020</b>
            Health: 2 classes, 1,200 att., 700 women
            Whole centre: 2 classes, 1,200 att., 700 women"#]]
        .assert_eq(&render_totals(&catalog, &table, seed_period(), Lang::En));
    }

    #[test]
    fn totals_without_sessions_say_so() {
        let catalog = catalog();
        let table = build(&catalog, &BTreeMap::new(), Lang::Vi);
        expect![[r#"
            <b>Tổng kết 01/01/2020 – 31/10/2020</b>
            Chưa có buổi học nào."#]]
        .assert_eq(&render_totals(&catalog, &table, seed_period(), Lang::Vi));
    }

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(escape("A & <b>B</b>"), "A &amp; &lt;b&gt;B&lt;/b&gt;");
    }
}
