//! The report as an Excel workbook: table III.2 laid out like the paper report, every
//! session of the period, and (for a supervisor) one row per centre.
//!
//! Numbers are written as numbers with a thousands format, so the director can add to
//! them, and Excel shows them the way the reader's locale writes them (20.868 in a
//! Vietnamese Excel). Text typed by users goes in as string cells, which a spreadsheet
//! never runs as a formula, so it needs no defusing here (unlike CSV).

use super::compare::Comparison;
use super::labels;
use super::table::ReportTable;
use super::xlsx_centres::{self, CentreSheet};
use super::FileError;
use crate::dialog::catalog::fill;
use crate::dialog::Catalog;
use crate::domain::{CentreId, ClassId, ClassRecord, Lang, Period, SessionRecord, Totals};
use crate::format::{format_count, format_date, format_percent};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::collections::{BTreeMap, BTreeSet};

/// Excel refuses cells longer than this many characters.
const MAX_CELL_CHARS: usize = 32_767;

/// One centre's line of the supervisor's roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreTotals {
    pub centre: CentreId,
    pub name: String,
    /// The centre's column sums (classes, sessions, attendance, female).
    pub totals: Totals,
}

/// Everything the workbook shows.
#[derive(Debug, Clone, Copy)]
pub struct XlsxReport<'a> {
    pub catalog: &'a Catalog,
    /// Table III.2 (`report::build`), for one centre or summed over all.
    pub table: &'a ReportTable,
    /// The centre's name, or what the roll-up is called (for example "Tất cả trung tâm").
    pub centre_name: &'a str,
    pub period: Period,
    pub lang: Lang,
    /// Every session of the period, by date (`View::sessions`).
    pub sessions: &'a [SessionRecord],
    /// The classes of those sessions (`View::classes_of`).
    pub classes: &'a BTreeMap<ClassId, ClassRecord>,
    /// The supervisor's roll-up, one line per centre: adds a third sheet and a centre
    /// column to the session list. `None` for one centre's report.
    pub centres: Option<&'a [CentreTotals]>,
}

/// What the supervisor's workbook adds to `XlsxReport` (issue 15): the centre × group
/// sheet and the comparison with the same period a year earlier.
#[derive(Debug, Clone, Copy, Default)]
pub struct XlsxExtras<'a> {
    /// The sheet "Theo trung tâm", which then replaces the plain list of centres.
    pub centres: Option<CentreSheet<'a>>,
    /// The sheet "So với cùng kỳ": table III.2 beside the same period a year earlier.
    pub comparison: Option<&'a Comparison>,
}

/// The workbook as the bytes of an `.xlsx` file.
pub fn xlsx(report: &XlsxReport<'_>) -> Result<Vec<u8>, FileError> {
    xlsx_with(report, &XlsxExtras::default())
}

/// The workbook with the supervisor's extra sheets.
pub fn xlsx_with(report: &XlsxReport<'_>, extras: &XlsxExtras<'_>) -> Result<Vec<u8>, FileError> {
    build(report, extras, Limits::EXCEL).map_err(|e| FileError::Xlsx(e.to_string()))
}

/// Excel's rows per sheet (1,048,576) less the header row: the sessions one sheet holds.
pub const MAX_SESSION_ROWS: usize = 1_048_575;

/// Where the session list is split and when it is written row by row.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Sessions a sheet holds.
    rows_per_sheet: usize,
    /// Above this many sessions the session sheets are written in rust_xlsxwriter's
    /// "low memory" mode (one row in memory, the rest in a temporary file).
    low_memory_above: usize,
}

impl Limits {
    const EXCEL: Limits = Limits {
        rows_per_sheet: MAX_SESSION_ROWS,
        low_memory_above: 50_000,
    };
}

/// The cell formats, made once per workbook.
pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) number: Format,
    pub(super) count: Format,
    pub(super) total_text: Format,
    pub(super) total_count: Format,
    plain: Format,
    date: Format,
    /// A date in a bordered table cell.
    pub(super) date_cell: Format,
    datetime: Format,
    pub(super) percent: Format,
    pub(super) total_percent: Format,
}

impl Styles {
    pub(super) fn new() -> Styles {
        let bordered = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let header = bordered
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(0x00DD_EBF7));
        let count = bordered.clone().set_num_format("#,##0");
        let percent = bordered.clone().set_num_format("+0.0%;-0.0%;0.0%");
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            subtitle: Format::new().set_align(FormatAlign::Center),
            header,
            text: bordered.clone().set_text_wrap(),
            number: bordered.clone().set_align(FormatAlign::Center),
            count: count.clone(),
            total_text: bordered.clone().set_bold(),
            total_count: count.set_bold(),
            plain: Format::new(),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            date_cell: bordered.clone().set_num_format("dd/mm/yyyy"),
            datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            total_percent: percent.clone().set_bold(),
            percent,
        }
    }
}

/// The workbook, with the session list split and written as `limits` say (Excel's, but
/// in tests, which cannot afford a million sessions).
fn build(
    report: &XlsxReport<'_>,
    extras: &XlsxExtras<'_>,
    limits: Limits,
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    // Excel's own level: ~30 % faster to save than the default 6 for ~5 % more bytes
    // (rust_xlsxwriter's measurements), which matters for a province's million sessions.
    workbook.set_zip_compression_level(3);
    let rows_per_sheet = limits.rows_per_sheet.max(1);
    let chunks: Vec<&[SessionRecord]> = if report.sessions.is_empty() {
        vec![&[]]
    } else {
        report.sessions.chunks(rows_per_sheet).collect()
    };
    let names: Vec<String> = (0..chunks.len())
        .map(|i| sessions_sheet_name(report.lang, i))
        .collect();
    table_sheet(workbook.add_worksheet(), report, &names, &styles)?;
    for (chunk, name) in chunks.iter().zip(&names) {
        // A big list is written row by row through a temporary file ("low memory": a
        // million sessions would otherwise hold about 2 GB of cells in memory); a small
        // one stays in memory and never touches the disk.
        let sheet = if report.sessions.len() > limits.low_memory_above {
            workbook.add_worksheet_with_low_memory()?
        } else {
            workbook.add_worksheet()
        };
        sessions_sheet(sheet, report, chunk, name, &styles)?;
    }
    match (extras.centres, report.centres) {
        (Some(centres), _) => xlsx_centres::centre_sheet(
            workbook.add_worksheet(),
            report.catalog,
            report.period,
            report.lang,
            &centres,
            &styles,
        )?,
        (None, Some(centres)) => centres_sheet(workbook.add_worksheet(), report, centres, &styles)?,
        (None, None) => {}
    }
    if let Some(comparison) = extras.comparison {
        xlsx_centres::comparison_sheet(
            workbook.add_worksheet(),
            report.catalog,
            comparison,
            report.lang,
            &styles,
        )?;
    }
    workbook.save_to_buffer()
}

/// The name of the `index`th (0-based) sheet of sessions: "Buổi học", "Buổi học (2)", …
fn sessions_sheet_name(lang: Lang, index: usize) -> String {
    let base = labels::SHEET_SESSIONS.get(lang);
    if index == 0 {
        base.to_owned()
    } else {
        format!("{base} ({})", index + 1)
    }
}

/// Sheet 1: the title lines, the two header rows, one row per group, the total row and
/// the "Số người tham gia học tại TTHTCĐ" line, as in the seed report.
fn table_sheet(
    sheet: &mut Worksheet,
    report: &XlsxReport<'_>,
    session_sheets: &[String],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (catalog, lang) = (report.catalog, report.lang);
    sheet.set_name(labels::SHEET_REPORT.get(lang))?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    for (col, width) in [(0, 6.0), (1, 62.0), (2, 14.0), (3, 13.0), (4, 13.0)] {
        sheet.set_column_width(col, width)?;
    }

    let title = plain_text(catalog, "report.title", lang, &[]);
    let centre = plain_text(
        catalog,
        "report.centre",
        lang,
        &[("centre", report.centre_name)],
    );
    let period = plain_text(
        catalog,
        "report.period",
        lang,
        &[
            ("from", &format_date(report.period.from)),
            ("to", &format_date(report.period.to)),
        ],
    );
    sheet.merge_range(0, 0, 0, 4, &cell(&title), &styles.title)?;
    sheet.merge_range(1, 0, 1, 4, &cell(&centre), &styles.subtitle)?;
    sheet.merge_range(2, 0, 2, 4, &cell(&period), &styles.subtitle)?;

    // Rows 5 and 6 (0-based 4 and 5) are the header: the first three columns span both
    // rows, "Số lượt người tham gia" spans the two attendance columns.
    let (top, sub) = (4, 5);
    sheet.merge_range(top, 0, sub, 0, labels::NUMBER.get(lang), &styles.header)?;
    sheet.merge_range(top, 1, sub, 1, labels::ACTIVITY.get(lang), &styles.header)?;
    sheet.merge_range(top, 2, sub, 2, labels::CLASSES.get(lang), &styles.header)?;
    sheet.merge_range(
        top,
        3,
        top,
        4,
        labels::ATTENDANCES.get(lang),
        &styles.header,
    )?;
    sheet.write_string_with_format(sub, 3, labels::TOTAL.get(lang), &styles.header)?;
    sheet.write_string_with_format(sub, 4, labels::FEMALE.get(lang), &styles.header)?;

    let mut row = sub + 1;
    for line in &report.table.rows {
        sheet.write_number_with_format(row, 0, line.number as f64, &styles.number)?;
        sheet.write_string_with_format(row, 1, cell(&line.official_name), &styles.text)?;
        write_counts(sheet, row, 2, &line.totals, &styles.count)?;
        row += 1;
    }
    sheet.write_blank(row, 0, &styles.total_text)?;
    sheet.write_string_with_format(row, 1, labels::TOTAL_ROW.get(lang), &styles.total_text)?;
    write_counts(sheet, row, 2, &report.table.total, &styles.total_count)?;

    let total = report.table.total;
    let attendance = format_count(total.attendance, lang);
    let line = plain_text(
        catalog,
        "report.total_line",
        lang,
        &[("attendance", &attendance)],
    );
    sheet.write_string_with_format(row + 2, 0, cell(&line), &styles.plain)?;
    if let Some(percent) = format_percent(total.female, total.attendance, lang) {
        let share = plain_text(
            catalog,
            "report.female_share",
            lang,
            &[("percent", &percent)],
        );
        sheet.write_string_with_format(row + 3, 0, cell(&share), &styles.plain)?;
    }
    if session_sheets.len() > 1 {
        // Said where the reader looks first, so nobody takes the first sheet of sessions
        // for all of them.
        let note = labels::split_note(lang, report.sessions.len(), session_sheets);
        sheet.write_string_with_format(row + 5, 0, cell(&note), &styles.plain)?;
    }
    Ok(())
}

/// Classes, attendance and female attendance in three cells from `col`.
fn write_counts(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    totals: &Totals,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, totals.classes as f64, format)?;
    sheet.write_number_with_format(row, col + 1, totals.attendance as f64, format)?;
    sheet.write_number_with_format(row, col + 2, totals.female as f64, format)?;
    Ok(())
}

/// Sheet 2 (and more when Excel's rows run out): the sessions of the period with all
/// their fields, extra answers as columns.
fn sessions_sheet(
    sheet: &mut Worksheet,
    report: &XlsxReport<'_>,
    sessions: &[SessionRecord],
    name: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (catalog, lang) = (report.catalog, report.lang);
    sheet.set_name(name)?;
    let names: BTreeMap<CentreId, &str> = report
        .centres
        .unwrap_or_default()
        .iter()
        .map(|c| (c.centre, c.name.as_str()))
        .collect();
    let with_centre = report.centres.is_some();
    // Sessions logged with different dialog files may have different extra questions:
    // the union of their keys makes the columns, blank where a session has no answer.
    let extra_keys: BTreeSet<&str> = report
        .sessions
        .iter()
        .flat_map(|s| s.extra.keys().map(String::as_str))
        .collect();

    let mut headers: Vec<(String, f64)> = vec![
        (labels::SESSION_ID.get(lang).to_owned(), 10.0),
        (labels::DATE.get(lang).to_owned(), 12.0),
    ];
    if with_centre {
        headers.push((labels::CENTRE.get(lang).to_owned(), 28.0));
    }
    headers.extend([
        (labels::GROUP.get(lang).to_owned(), 40.0),
        (labels::CLASS.get(lang).to_owned(), 40.0),
        (labels::TOTAL.get(lang).to_owned(), 10.0),
        (labels::FEMALE.get(lang).to_owned(), 10.0),
        (labels::ORGANISER.get(lang).to_owned(), 16.0),
        (labels::CREATED_AT.get(lang).to_owned(), 18.0),
    ]);
    for key in &extra_keys {
        // A question still in the dialog files is headed by its label; one that was
        // removed since keeps its id, so the answers stay readable.
        let header = catalog
            .question(key)
            .map_or((*key).to_owned(), |(_, q)| q.label.get(lang).to_owned());
        headers.push((header, 24.0));
    }
    for (col, (header, width)) in headers.iter().enumerate() {
        let col = column(col);
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, cell(header), &styles.header)?;
    }

    for (i, session) in sessions.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut col = 0u16;
        let mut next = || {
            col += 1;
            col - 1
        };
        sheet.write_number(row, next(), session.id as f64)?;
        sheet.write_datetime_with_format(row, next(), session.date, &styles.date)?;
        if with_centre {
            let name = names.get(&session.centre).copied().unwrap_or_default();
            sheet.write_string(row, next(), cell(name))?;
        }
        let group = catalog
            .group(&session.group)
            .map_or(session.group.as_str(), |g| g.official.get(lang));
        sheet.write_string(row, next(), cell(group))?;
        let class = report
            .classes
            .get(&session.class)
            .map_or("", |c| c.name.as_str());
        sheet.write_string(row, next(), cell(class))?;
        sheet.write_number(row, next(), f64::from(session.total))?;
        sheet.write_number(row, next(), f64::from(session.female))?;
        sheet.write_number(row, next(), session.organiser as f64)?;
        sheet.write_datetime_with_format(
            row,
            next(),
            session.created_at.naive_utc(),
            &styles.datetime,
        )?;
        for key in &extra_keys {
            let col = next();
            if let Some(answer) = session.extra.get(*key) {
                sheet.write_string(row, col, cell(answer))?;
            }
        }
    }
    let last_col = column(headers.len().saturating_sub(1));
    let last_row = u32::try_from(sessions.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Sheet 3 (roll-up only): one row per centre and a total row.
fn centres_sheet(
    sheet: &mut Worksheet,
    report: &XlsxReport<'_>,
    centres: &[CentreTotals],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let lang = report.lang;
    sheet.set_name(labels::SHEET_CENTRES.get(lang))?;
    let headers = [
        (labels::NUMBER, 6.0),
        (labels::CENTRE, 40.0),
        (labels::CLASSES, 14.0),
        (labels::SESSIONS, 12.0),
        (labels::TOTAL, 13.0),
        (labels::FEMALE, 13.0),
    ];
    for (col, (header, width)) in headers.iter().enumerate() {
        let col = column(col);
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, header.get(lang), &styles.header)?;
    }
    let mut sum = Totals::default();
    let mut row = 1u32;
    for (i, centre) in centres.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &styles.number)?;
        sheet.write_string_with_format(row, 1, cell(&centre.name), &styles.text)?;
        centre_counts(sheet, row, &centre.totals, &styles.count)?;
        sum = sum + centre.totals;
        row += 1;
    }
    sheet.write_blank(row, 0, &styles.total_text)?;
    sheet.write_string_with_format(row, 1, labels::TOTAL_ROW.get(lang), &styles.total_text)?;
    centre_counts(sheet, row, &sum, &styles.total_count)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Classes, sessions, attendance and female attendance from column 2.
fn centre_counts(
    sheet: &mut Worksheet,
    row: u32,
    totals: &Totals,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, 2, totals.classes as f64, format)?;
    sheet.write_number_with_format(row, 3, totals.sessions as f64, format)?;
    sheet.write_number_with_format(row, 4, totals.attendance as f64, format)?;
    sheet.write_number_with_format(row, 5, totals.female as f64, format)?;
    Ok(())
}

/// A column index for rust_xlsxwriter (Excel has 16,384 columns; more extra questions
/// than that would be cut at the last one rather than wrap around).
pub(super) fn column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX).min(16_383)
}

/// Text cut to what one Excel cell holds.
pub(super) fn cell(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_owned()
    } else {
        text.chars().take(MAX_CELL_CHARS).collect()
    }
}

/// The catalog text `key` without HTML tags, then filled with `values` (which are not
/// HTML: a centre called "A <B>" keeps its name).
pub(crate) fn plain_text(
    catalog: &Catalog,
    key: &str,
    lang: Lang,
    values: &[(&str, &str)],
) -> String {
    fill(&plain(catalog.text(key, lang)), values)
}

/// A catalog text without the HTML tags the chat needs (`<b>` and the like): the
/// spreadsheet has its own formatting, and the catalog asks its report texts to stay
/// plain, but a centre may not have.
pub(crate) fn plain(text: &str) -> String {
    crate::format::html_to_plain(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_drops_tags_and_unescapes() {
        assert_eq!(plain("Tổng: <b>20.868</b> &amp; hơn"), "Tổng: 20.868 & hơn");
        assert_eq!(plain("không có thẻ"), "không có thẻ");
    }

    #[test]
    fn sessions_beyond_a_sheet_s_rows_go_on_further_sheets_and_the_first_sheet_says_so() {
        use crate::report::test_catalog::{catalog, seed_totals};
        use calamine::{Reader, Xlsx};
        use chrono::{NaiveDate, TimeZone, Utc};
        let catalog = catalog();
        let table = super::super::build(&catalog, &seed_totals(), Lang::Vi);
        let sessions: Vec<SessionRecord> = (1..=7u64)
            .map(|id| SessionRecord {
                id,
                centre: 1,
                organiser: 5,
                group: "health".to_owned(),
                class: 1,
                date: NaiveDate::from_ymd_opt(2020, 3, 5).expect("date"),
                total: 10,
                female: 4,
                extra: BTreeMap::new(),
                created_at: Utc
                    .with_ymd_and_hms(2020, 3, 5, 9, 0, 0)
                    .single()
                    .expect("instant"),
            })
            .collect();
        let period = Period::new(
            NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
            NaiveDate::from_ymd_opt(2020, 10, 31).expect("date"),
        )
        .expect("period");
        let report = XlsxReport {
            catalog: &catalog,
            table: &table,
            centre_name: "Tràng An",
            period,
            lang: Lang::Vi,
            sessions: &sessions,
            classes: &BTreeMap::new(),
            centres: None,
        };
        // Three rows a sheet stand in for Excel's 1,048,575; written in memory, and row by
        // row through a temporary file as a big list is, with the same result.
        for low_memory_above in [usize::MAX, 0] {
            let limits = Limits {
                rows_per_sheet: 3,
                low_memory_above,
            };
            let bytes = build(&report, &XlsxExtras::default(), limits).expect("built");
            let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("reads");
            assert_eq!(
                book.sheet_names(),
                ["Báo cáo", "Buổi học", "Buổi học (2)", "Buổi học (3)"]
            );
            let ids: Vec<f64> = ["Buổi học", "Buổi học (2)", "Buổi học (3)"]
                .iter()
                .flat_map(|name| {
                    let sheet = book.worksheet_range(name).expect("sheet");
                    assert_eq!(
                        sheet.get_value((0, 0)),
                        Some(&calamine::Data::String("Mã buổi".to_owned())),
                        "every sheet has the header"
                    );
                    (1..sheet.height())
                        .filter_map(|r| match sheet.get_value((r as u32, 0)) {
                            Some(calamine::Data::Float(f)) => Some(*f),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(ids, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
            let first = book.worksheet_range("Báo cáo").expect("sheet 1");
            let note = first
                .rows()
                .flatten()
                .find_map(|c| match c {
                    calamine::Data::String(s) if s.contains("trang tính") => Some(s.clone()),
                    _ => None,
                })
                .expect("the note");
            assert_eq!(
                note,
                "Danh sách 7 buổi học được chia thành 3 trang tính (Buổi học, Buổi học (2), Buổi \
             học (3)) vì mỗi trang tính của Excel chỉ chứa được 1.048.576 dòng."
            );
        }
        // With room enough, one sheet and no note.
        let bytes = build(&report, &XlsxExtras::default(), Limits::EXCEL).expect("built");
        let book = Xlsx::new(std::io::Cursor::new(bytes)).expect("reads");
        assert_eq!(book.sheet_names(), ["Báo cáo", "Buổi học"]);
    }

    #[test]
    fn cells_are_cut_to_excel_s_limit() {
        assert_eq!(cell(&"ơ".repeat(40_000)).chars().count(), MAX_CELL_CHARS);
        assert_eq!(column(20_000), 16_383);
    }
}
