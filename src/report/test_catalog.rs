//! A hand-built catalog and the seed report's numbers for the report's unit tests, so
//! that they do not depend on the dialog files in `dialogs/`.

use crate::dialog::{Catalog, Group, LangText};
use crate::domain::Totals;
use std::collections::BTreeMap;

fn text(vi: &str, en: &str) -> LangText {
    LangText {
        vi: vi.to_owned(),
        en: en.to_owned(),
    }
}

/// The ten groups of table III.2 (official names from the seed report) and the texts the
/// report uses.
pub(crate) fn catalog() -> Catalog {
    let groups = [
        (
            "literacy",
            "xmc",
            "Học chương trình xóa mù chữ, giáo dục chương trình sau biết chữ",
            "Literacy and post-literacy programmes",
            "Xóa mù chữ",
            "Literacy",
        ),
        (
            "vocational",
            "nghe",
            "Học nghề ngắn hạn",
            "Short vocational training",
            "Học nghề",
            "Vocational",
        ),
        (
            "law",
            "pl",
            "Chuyên đề Giáo dục pháp luật",
            "Topic: legal education",
            "Pháp luật",
            "Law",
        ),
        (
            "health",
            "sk",
            "Chuyên đề Giáo dục sức khỏe",
            "Topic: health education",
            "Sức khỏe",
            "Health",
        ),
        (
            "environment",
            "mt",
            "Chuyên đề Giáo dục môi trường",
            "Topic: environmental education",
            "Môi trường",
            "Environment",
        ),
        (
            "culture",
            "vh",
            "Chuyên đề Văn hóa xã hội",
            "Topic: culture and society",
            "Văn hóa xã hội",
            "Culture",
        ),
        (
            "economy",
            "kt",
            "Chuyên đề Phát triển kinh tế",
            "Topic: economic development",
            "Kinh tế",
            "Economy",
        ),
        (
            "life_skills",
            "kn",
            "Chuyên đề Giáo dục kỹ năng sống",
            "Topic: life skills",
            "Kỹ năng sống",
            "Life skills",
        ),
        (
            "other",
            "khac",
            "Chuyên đề của chương trình khác",
            "Topics of other programmes",
            "Chương trình khác",
            "Other",
        ),
        (
            "arts",
            "vn",
            "Các chương trình văn nghệ, thể dục thể thao được phổ biến",
            "Arts, physical education and sports programmes",
            "Văn nghệ, TDTT",
            "Arts & sports",
        ),
    ];
    let groups = groups
        .iter()
        .enumerate()
        .map(
            |(i, (id, code, official_vi, official_en, short_vi, short_en))| Group {
                id: (*id).to_owned(),
                number: i + 1,
                code: (*code).to_owned(),
                aliases: Vec::new(),
                official: text(official_vi, official_en),
                short: text(short_vi, short_en),
            },
        )
        .collect();
    let texts = [
        (
            "report.title",
            "Kết quả thực hiện (III.2)",
            "Results (III.2)",
        ),
        ("report.centre", "Trung tâm: {centre}", "Centre: {centre}"),
        ("report.period", "Từ {from} đến {to}", "From {from} to {to}"),
        (
            "report.period_month",
            "Tháng {to_month} năm {year}",
            "{to_month_name} {year}",
        ),
        (
            "report.period_months",
            "Từ tháng {from_month} đến tháng {to_month} năm {year}",
            "{from_month_name} to {to_month_name} {year}",
        ),
        (
            "report.period_months_years",
            "Từ tháng {from_month} năm {from_year} đến tháng {to_month} năm {to_year}",
            "{from_month_name} {from_year} to {to_month_name} {to_year}",
        ),
        (
            "report.month_names",
            "tháng 1, tháng 2, tháng 3, tháng 4, tháng 5, tháng 6, tháng 7, tháng 8, tháng 9, tháng 10, tháng 11, tháng 12",
            "January, February, March, April, May, June, July, August, September, October, November, December",
        ),
        (
            "report.columns",
            "Số lớp · Lượt người · Nữ",
            "Classes · Attendances · Women",
        ),
        (
            "report.row_numbers",
            "{classes} lớp · {attendance} lượt · {female} nữ",
            "{classes} cl. · {attendance} att. · {female} w.",
        ),
        (
            "report.total_line",
            "Tổng số lượt người tham gia: <b>{attendance}</b>",
            "Total attendances: <b>{attendance}</b>",
        ),
        (
            "report.female_share",
            "Nữ chiếm {percent}%",
            "Women: {percent}%",
        ),
        (
            "totals.heading",
            "<b>Tổng kết {period}</b>",
            "<b>Totals {period}</b>",
        ),
        (
            "totals.line",
            "{group}: {classes} lớp, {attendance} lượt, {female} nữ",
            "{group}: {classes} classes, {attendance} att., {female} women",
        ),
        (
            "totals.centre",
            "Cả trung tâm: {classes} lớp, {attendance} lượt, {female} nữ",
            "Whole centre: {classes} classes, {attendance} att., {female} women",
        ),
        ("totals.empty", "Chưa có buổi học nào.", "No sessions yet."),
    ];
    Catalog {
        groups,
        questions: Vec::new(),
        commands: Vec::new(),
        profile: None,
        texts: texts
            .iter()
            .map(|(key, vi, en)| ((*key).to_owned(), text(vi, en)))
            .collect(),
        quick: crate::dialog::catalog::QuickCache::default(),
    }
}

/// Per-group totals of the seed report (Tràng An ward, January to October 2020). The
/// seed gives no session counts; two sessions per class stand in for them.
pub(crate) fn seed_totals() -> BTreeMap<String, Totals> {
    let rows = [
        ("literacy", 0, 0, 0),
        ("vocational", 2, 600, 280),
        ("law", 5, 900, 450),
        ("health", 6, 2_070, 1_650),
        ("environment", 8, 2_980, 1_270),
        ("culture", 6, 2_160, 1_500),
        ("economy", 4, 1_000, 670),
        ("life_skills", 6, 2_140, 1_670),
        ("other", 7, 3_450, 2_220),
        ("arts", 6, 5_568, 3_988),
    ];
    rows.iter()
        .filter(|(_, classes, _, _)| *classes > 0)
        .map(|(group, classes, attendance, female)| {
            (
                (*group).to_owned(),
                Totals {
                    classes: *classes,
                    sessions: classes * 2,
                    attendance: *attendance,
                    female: *female,
                },
            )
        })
        .collect()
}
