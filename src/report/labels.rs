//! The official column names of table III.2 and the other fixed labels of the report files
//! (spreadsheet and chart), in Vietnamese with English equivalents, in one place.
//!
//! The catalog (`dialogs/messages.toml`) has the report's title, centre, period and total
//! lines, and the files use those. It has no key per column: its `report.columns` is one
//! line laid out for a phone. The column names are the education office's wording from
//! the official form, which a centre should not reword, so they are constants here rather
//! than catalog texts.

use crate::domain::Lang;

/// A fixed text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub vi: &'static str,
    pub en: &'static str,
}

impl Label {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

const fn label(vi: &'static str, en: &'static str) -> Label {
    Label { vi, en }
}

/// Column "TT" (row number) of table III.2.
pub const NUMBER: Label = label("TT", "No.");
/// Column "Tên hoạt động giáo dục".
pub const ACTIVITY: Label = label("Tên hoạt động giáo dục", "Educational activity");
/// Column "Số lớp (chuyên đề)".
pub const CLASSES: Label = label("Số lớp (chuyên đề)", "Classes (topics)");
/// The header merged over the two attendance columns.
pub const ATTENDANCES: Label = label("Số lượt người tham gia", "Attendances");
/// Sub-header "Tổng số" under `ATTENDANCES`.
pub const TOTAL: Label = label("Tổng số", "Total");
/// Sub-header "Nữ" under `ATTENDANCES`.
pub const FEMALE: Label = label("Nữ", "Women");
/// The label of the total row.
pub const TOTAL_ROW: Label = label("Cộng", "Total");
/// The number of sessions (roll-up and chart).
pub const SESSIONS: Label = label("Số buổi học", "Sessions");
/// A centre's name (roll-up and session list).
pub const CENTRE: Label = label("Trung tâm", "Centre");

/// Sheet names (at most 31 characters, none of `[]:*?/\`).
pub const SHEET_REPORT: Label = label("Báo cáo", "Report");
pub const SHEET_SESSIONS: Label = label("Buổi học", "Sessions");
pub const SHEET_CENTRES: Label = label("Các trung tâm", "Centres");

/// Columns of the session list.
pub const SESSION_ID: Label = label("Mã buổi", "Session id");
pub const DATE: Label = label("Ngày", "Date");
pub const GROUP: Label = label("Hoạt động giáo dục", "Educational activity");
pub const CLASS: Label = label("Lớp (chuyên đề)", "Class (topic)");
pub const ORGANISER: Label = label("Người ghi (Telegram ID)", "Logged by (Telegram id)");
pub const CREATED_AT: Label = label("Thời điểm ghi (UTC)", "Logged at (UTC)");
/// A group's quick-entry code (the template's list of groups).
pub const CODE: Label = label("Mã", "Code");

/// Chart texts.
pub const CHART_BY_GROUP: Label = label(
    "Số lượt người tham gia theo hoạt động giáo dục",
    "Attendances by educational activity",
);
pub const CHART_BY_MONTH: Label =
    label("Số lượt người tham gia theo tháng", "Attendances by month");
/// The part of the attendance that is not female.
pub const OTHERS: Label = label("Nam", "Men");

/// The supervisor's sheets (issue 15).
pub const SHEET_BY_CENTRE: Label = label("Theo trung tâm", "By centre");
pub const SHEET_COMPARISON: Label = label("So với cùng kỳ", "Same period last year");
/// The title of the centre × group sheet.
pub const BY_CENTRE_TITLE: Label = label("Kết quả thực hiện theo trung tâm", "Results by centre");
/// The title of the comparison sheet.
pub const COMPARISON_TITLE: Label = label(
    "Kết quả thực hiện so với cùng kỳ năm trước",
    "Results compared with the same period last year",
);
/// The period of the report and the same period a year earlier, as column headers.
pub const THIS_PERIOD: Label = label("Kỳ này", "This period");
pub const SAME_PERIOD_LAST_YEAR: Label = label("Cùng kỳ năm trước", "Same period last year");
/// The change from last year to this one, and that change in percent of last year's.
pub const CHANGE: Label = label("Tăng/giảm", "Change");
pub const CHANGE_PERCENT: Label = label("Tăng/giảm (%)", "Change (%)");
/// The appendix of the roll-up's document: each centre's attendances a year earlier.
pub const LAST_YEAR_ATTENDANCE: Label =
    label("Tổng số cùng kỳ năm trước", "Total, same period last year");
/// The date of a centre's latest session, and how many members it has.
pub const LAST_SESSION: Label = label("Buổi học gần nhất", "Latest session");
pub const MEMBERS: Label = label("Số thành viên", "Members");
/// Said in a cell when a centre never logged a session.
pub const NEVER: Label = label("chưa có", "none");

/// The note on the first sheet when the sessions did not fit one sheet: Excel holds at
/// most 1,048,576 rows a sheet.
pub fn split_note(lang: Lang, sessions: usize, sheets: &[String]) -> String {
    let count = crate::format::format_count(sessions as u64, lang);
    let names = sheets.join(", ");
    match lang {
        Lang::Vi => format!(
            "Danh sách {count} buổi học được chia thành {} trang tính ({names}) vì mỗi trang \
             tính của Excel chỉ chứa được 1.048.576 dòng.",
            sheets.len()
        ),
        Lang::En => format!(
            "The {count} sessions are split over {} sheets ({names}) because an Excel sheet \
             holds at most 1,048,576 rows.",
            sheets.len()
        ),
    }
}
