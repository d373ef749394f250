//! The whole period report as a Word document, in the layout of an administrative text
//! (Nghị định 30/2020/NĐ-CP, Phụ lục I): the header in two columns, the title naming the
//! period, sections I–VI with table III.2 as a real table, the place for the signature,
//! "Nơi nhận" and page numbers.
//!
//! What the decree fixes and how it is met here: A4 paper; margins top and bottom 20 mm,
//! left 30 mm, right 15 mm (the lower ends of its ranges, so the most text fits); Times
//! New Roman, body text 14 pt; the committee, the centre and the national name 12 pt
//! capitals (the centre and the national name bold), the motto 13 pt bold and underlined;
//! the document type and summary 14 pt bold, centred; the place and date 14 pt italic;
//! "Nơi nhận" 12 pt bold italic with its list in 11 pt; the signer's title and name 14 pt
//! bold; page numbers centred at the top from the second page on.
//!
//! The words are the centre's (`DocumentTexts`); the numbers are always computed here
//! from table III.2 (`report::build`), never taken from the texts.

use super::compare::Comparison;
use super::labels;
use super::table::ReportTable;
use super::{CentreTotals, FileError};
use crate::dialog::Catalog;
use crate::document::{DocumentTexts, Part};
use crate::domain::{CentreId, Lang, Period, Totals};
use crate::format::format_count;
use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, Docx, Header, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableRow, VAlignType, VMergeType, WidthType,
};
use std::collections::BTreeMap;

/// A4 in twentieths of a point (twips): 210 × 297 mm.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
/// Margins in twips (1 mm = 56.7 twips): 20 mm top and bottom, 30 mm left, 15 mm right.
pub const MARGIN_TOP: i32 = 1_134;
pub const MARGIN_BOTTOM: i32 = 1_134;
pub const MARGIN_LEFT: i32 = 1_701;
pub const MARGIN_RIGHT: i32 = 850;
/// The width between the margins, which the tables fill.
const TEXT_WIDTH: usize = (A4_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// The font of every run.
pub const FONT: &str = "Times New Roman";
/// Font sizes in half-points, as Word stores them.
const BODY: usize = 28;
const SMALL: usize = 26;
/// The committee, the centre and the national name: 12 pt (the decree allows 12–13).
const HEADER: usize = 24;
/// The widths of the header's two columns, together wider than the text (see `header_table`).
const HEADER_LEFT: usize = 4_700;
const HEADER_RIGHT: usize = 5_800;
const RECIPIENTS_LABEL: usize = 24;
const RECIPIENTS: usize = 22;
/// First-line indent of body paragraphs: 1 cm.
const FIRST_LINE: i32 = 567;

/// The fixed wording of the document: the official form's, not the centre's (also what
/// `docx_read` looks for when a document comes back).
const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
pub(super) const CENTRE_KIND: &str = "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG";
pub(super) const DOCUMENT_KIND: &str = "BÁO CÁO";
pub(super) const SUMMARY: &str = "CÔNG TÁC TỔ CHỨC VÀ HOẠT ĐỘNG CỦA TTHTCĐ";
pub(super) const RECIPIENTS_HEADING: &str = "Nơi nhận:";
/// Section headings, in order, as in the seed report.
pub const HEADINGS: [&str; 6] = [
    "I. Đặc điểm tình hình địa phương",
    "II. Bộ máy quản lý",
    "III. Tổ chức hoạt động",
    "IV. Đánh giá công tác huy động sự tham gia của xã hội",
    "V. Hiệu quả hoạt động",
    "VI. Đề xuất, kiến nghị",
];
pub(super) const ACTIVITIES_HEADING: &str = "1. Đánh giá công tác hoạt động";
pub(super) const RESULTS_HEADING: &str = "2. Kết quả thực hiện";
pub(super) const LITERACY_LABEL: &str = "Tỷ lệ biết chữ trong các độ tuổi: ";
/// How the (computed) closing sentence after section VI begins.
pub(super) const CLOSING_START: &str = "Trên đây là báo cáo";
const APPENDIX_HEADING: &str = "PHỤ LỤC: KẾT QUẢ CỦA TỪNG TRUNG TÂM";

/// Everything the document shows.
#[derive(Debug, Clone, Copy)]
pub struct DocxReport<'a> {
    pub catalog: &'a Catalog,
    /// Table III.2 (`report::build`, in Vietnamese), for one centre or summed over all.
    pub table: &'a ReportTable,
    /// The centre's name, or what the roll-up is called.
    pub centre_name: &'a str,
    pub period: Period,
    /// The centre's written parts.
    pub texts: &'a DocumentTexts,
    /// The date of the date line (the day the document is made).
    pub date: NaiveDate,
    /// The roll-up's centres: adds an appendix with one row per centre.
    pub centres: Option<&'a [CentreTotals]>,
    /// The same period a year earlier: a line under table III.2 (left out when neither
    /// period has a session).
    pub comparison: Option<&'a Comparison>,
    /// Each centre's totals over the same period a year earlier (absent: nothing then):
    /// the appendix of the roll-up gets the attendances then and the change.
    pub centres_last_year: Option<&'a BTreeMap<CentreId, Totals>>,
}

/// The document as the bytes of a `.docx` file.
pub fn docx(report: &DocxReport<'_>) -> Result<Vec<u8>, FileError> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    build(report)
        .pack(&mut bytes)
        .map_err(|e| FileError::Docx(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// The file name: `bao-cao-<centre>-<period>.docx`, in ASCII so that every phone and mail
/// program keeps it (for example `bao-cao-trang-an-01-10-2020.docx`).
pub fn docx_name(centre_name: &str, period: Period) -> String {
    format!(
        "{}.docx",
        super::names::report_stem(Some(centre_name), period)
    )
}

/// The period as the title names it: in months when it is whole months ("TỪ THÁNG 01 ĐẾN
/// THÁNG 10 NĂM 2020", "THÁNG 10 NĂM 2020", "NĂM 2020"), in dates otherwise ("TỪ NGÀY
/// 05/01/2020 ĐẾN NGÀY 31/10/2020").
pub fn period_title(period: Period) -> String {
    let (from, to) = (period.from, period.to);
    if whole_months(period) {
        let month = |d: NaiveDate| format!("THÁNG {:02}", d.month());
        if from.year() == to.year() {
            if from.month() == 1 && to.month() == 12 {
                return format!("NĂM {}", from.year());
            }
            if from.month() == to.month() {
                return format!("{} NĂM {}", month(from), from.year());
            }
            return format!("TỪ {} ĐẾN {} NĂM {}", month(from), month(to), to.year());
        }
        return format!(
            "TỪ {} NĂM {} ĐẾN {} NĂM {}",
            month(from),
            from.year(),
            month(to),
            to.year()
        );
    }
    let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    if from == to {
        return format!("NGÀY {}", date(from));
    }
    format!("TỪ NGÀY {} ĐẾN NGÀY {}", date(from), date(to))
}

/// Whether the period starts on a first and ends on a last day of a month.
pub(super) fn whole_months(period: Period) -> bool {
    let last_of_month = period
        .to
        .succ_opt()
        .is_none_or(|next| next.month() != period.to.month());
    period.from.day() == 1 && last_of_month
}

/// A run in the document's font.
fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(
        RunFonts::new()
            .ascii(FONT)
            .hi_ansi(FONT)
            .cs(FONT)
            .east_asia(FONT),
    )
}

/// A paragraph with one run, spaced 6 pt after and 1.15 lines apart.
fn para(run: Run) -> Paragraph {
    Paragraph::new()
        .add_run(run)
        .line_spacing(LineSpacing::new().before(0).after(120).line(276))
}

fn centred(run: Run) -> Paragraph {
    para(run).align(AlignmentType::Center)
}

/// Body paragraphs of a written part: one a line, justified, first line indented.
fn body(text: &str) -> Vec<Paragraph> {
    text.lines()
        .map(|line| {
            para(run(line.trim(), BODY))
                .align(AlignmentType::Both)
                .indent(
                    None,
                    Some(SpecialIndentType::FirstLine(FIRST_LINE)),
                    None,
                    None,
                )
        })
        .collect()
}

fn heading(text: &str) -> Paragraph {
    para(run(text, BODY).bold())
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .keep_next(true)
}

fn build(report: &DocxReport<'_>) -> Docx {
    let texts = report.texts;
    // The page number is in the header of every page but the first (`first_header`
    // marks the first page as different), as the decree asks.
    let page_number = Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("", BODY))
            .add_page_num(PageNum::new())
            .size(BODY)
            .fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT)),
    );
    let mut doc = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(567)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(BODY)
        .header(page_number)
        .first_header(Header::new())
        .add_table(header_table(report))
        .add_paragraph(para(run("", BODY)))
        .add_paragraph(centred(run(DOCUMENT_KIND, BODY).bold()))
        .add_paragraph(centred(
            run(&format!("{SUMMARY} {}", period_title(report.period)), BODY).bold(),
        ))
        .add_paragraph(para(run("", BODY)));

    let mut paragraphs = body(texts.get(Part::Intro));
    paragraphs.push(heading(HEADINGS[0]));
    paragraphs.extend(body(texts.get(Part::Local)));
    paragraphs.push(heading(HEADINGS[1]));
    paragraphs.extend(body(texts.get(Part::Management)));
    paragraphs.push(heading(HEADINGS[2]));
    paragraphs.push(heading(ACTIVITIES_HEADING));
    paragraphs.extend(body(texts.get(Part::Activities)));
    paragraphs.push(heading(RESULTS_HEADING));
    for p in paragraphs {
        doc = doc.add_paragraph(p);
    }
    doc = doc
        .add_table(results_table(report.table))
        .add_paragraph(para(run("", BODY)));
    if let Some(comparison) = report.comparison.filter(|c| c.has_data()) {
        for p in body(&comparison_line(comparison)) {
            doc = doc.add_paragraph(p);
        }
    }

    let total_line = super::xlsx::plain_text(
        report.catalog,
        "report.total_line",
        Lang::Vi,
        &[(
            "attendance",
            &format_count(report.table.total.attendance, Lang::Vi),
        )],
    );
    let mut paragraphs = vec![heading(HEADINGS[3])];
    paragraphs.extend(body(texts.get(Part::Society)));
    paragraphs.push(heading(HEADINGS[4]));
    paragraphs.extend(body(&format!(
        "{LITERACY_LABEL}{}",
        texts.get(Part::Literacy)
    )));
    paragraphs.extend(body(&total_line));
    paragraphs.extend(body(texts.get(Part::Results)));
    paragraphs.push(heading(HEADINGS[5]));
    paragraphs.extend(body(texts.get(Part::Proposals)));
    paragraphs.extend(body(&closing(report)));
    for p in paragraphs {
        doc = doc.add_paragraph(p);
    }
    doc = doc
        .add_paragraph(para(run("", BODY)))
        .add_table(signature_table(texts));
    if let Some(centres) = report.centres {
        doc = doc
            .add_paragraph(centred(run(APPENDIX_HEADING, BODY).bold()).page_break_before(true))
            .add_table(centres_table(centres, report.centres_last_year));
    }
    doc
}

/// The line under table III.2 that sets the period beside the same period a year
/// earlier: "So với cùng kỳ năm trước (từ tháng 01 đến tháng 10 năm 2019): số lớp
/// (chuyên đề) 50, tăng 5 (11,1%); …". Words, not signs, as an administrative text writes.
pub(super) fn comparison_line(comparison: &Comparison) -> String {
    let lang = Lang::Vi;
    let part = |name: &str, now: u64, before: u64| {
        let change = match now.cmp(&before) {
            std::cmp::Ordering::Equal => "không đổi".to_owned(),
            std::cmp::Ordering::Greater => format!("tăng {}", format_count(now - before, lang)),
            std::cmp::Ordering::Less => format!("giảm {}", format_count(before - now, lang)),
        };
        let percent = match super::compare::signed_percent(now, before, lang) {
            Some(p) if now != before => format!(" ({})", p.trim_start_matches(['+', '-'])),
            Some(_) => String::new(),
            None => " (cùng kỳ năm trước chưa có)".to_owned(),
        };
        format!("{name} {}, {change}{percent}", format_count(now, lang))
    };
    let (now, before) = (comparison.now, comparison.before);
    format!(
        "So với cùng kỳ năm trước ({}): {}; {}; {}.",
        period_title(comparison.earlier).to_lowercase(),
        part("số lớp (chuyên đề)", now.classes, before.classes),
        part("số lượt người tham gia", now.attendance, before.attendance),
        part("trong đó nữ", now.female, before.female),
    )
}

/// "Trên đây là …": the closing sentence, naming the period like the title does.
fn closing(report: &DocxReport<'_>) -> String {
    format!(
        "{CLOSING_START} công tác tổ chức và hoạt động của TTHTCĐ {} của {}./.",
        period_title(report.period).to_lowercase(),
        report.centre_name
    )
}

/// A cell of a table without borders holding centred lines.
fn plain_cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut cell = TableCell::new().width(width, WidthType::Dxa);
    for p in paragraphs {
        cell = cell.add_paragraph(p);
    }
    cell
}

/// The two columns at the top: the committee, the centre and the number on the left; the
/// national name, the motto and the place and date on the right.
fn header_table(report: &DocxReport<'_>) -> Table {
    let texts = report.texts;
    // The two columns are wider than the text: "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG" and the
    // national name each fit on one line only so, and the usual templates also reach
    // into the margins (here 600 twips into the left one and 545 into the right one).
    let (left, right) = (HEADER_LEFT, HEADER_RIGHT);
    let date = report.date;
    let date_line = format!(
        "{}, ngày {:02} tháng {:02} năm {}",
        texts.get(Part::Place),
        date.day(),
        date.month(),
        date.year()
    );
    let tight = |p: Paragraph| p.line_spacing(LineSpacing::new().before(0).after(0));
    Table::without_borders(vec![
        TableRow::new(vec![
            plain_cell(
                left,
                vec![
                    tight(centred(run(
                        &Part::Commune.printed(texts.get(Part::Commune)),
                        HEADER,
                    ))),
                    tight(centred(run(CENTRE_KIND, HEADER).bold())),
                ],
            ),
            plain_cell(
                right,
                vec![
                    tight(centred(run(NATION, HEADER).bold())),
                    tight(centred(run(MOTTO, SMALL).bold().underline("single"))),
                ],
            ),
        ]),
        TableRow::new(vec![
            plain_cell(
                left,
                vec![centred(run(
                    &format!("Số: {}", texts.get(Part::Number)),
                    SMALL,
                ))],
            ),
            plain_cell(right, vec![centred(run(&date_line, BODY).italic())]),
        ]),
    ])
    .set_grid(vec![left, right])
    .width(left + right, WidthType::Dxa)
    .indent(-600)
}

/// A bordered cell with one paragraph.
fn cell(width: usize, paragraph: Paragraph) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(paragraph.line_spacing(LineSpacing::new().before(60).after(60)))
}

fn text_cell(width: usize, text: &str, bold: bool) -> TableCell {
    let r = run(text, SMALL);
    cell(width, para(if bold { r.bold() } else { r }))
}

fn number_cell(width: usize, value: u64, bold: bool) -> TableCell {
    let r = run(&format_count(value, Lang::Vi), SMALL);
    cell(
        width,
        para(if bold { r.bold() } else { r }).align(AlignmentType::Center),
    )
}

fn header_cell(width: usize, text: &str) -> TableCell {
    cell(width, centred(run(text, SMALL).bold()))
}

/// Table III.2: TT, activity, classes, and "Số lượt người tham gia" over "Tổng số" and
/// "Nữ"; the first three headers span both header rows (merged cells, as in the seed).
fn results_table(table: &ReportTable) -> Table {
    let widths = [
        700,
        TEXT_WIDTH - 700 - 1_300 - 2 * 1_250,
        1_300,
        1_250,
        1_250,
    ];
    let lang = Lang::Vi;
    let merged =
        |i: usize, text: &str| header_cell(widths[i], text).vertical_merge(VMergeType::Restart);
    let continued = |i: usize| {
        TableCell::new()
            .width(widths[i], WidthType::Dxa)
            .vertical_merge(VMergeType::Continue)
            .add_paragraph(Paragraph::new())
    };
    let mut rows = vec![
        TableRow::new(vec![
            merged(0, labels::NUMBER.get(lang)),
            merged(1, labels::ACTIVITY.get(lang)),
            merged(2, labels::CLASSES.get(lang)),
            header_cell(widths[3] + widths[4], labels::ATTENDANCES.get(lang)).grid_span(2),
        ])
        .cant_split(),
        TableRow::new(vec![
            continued(0),
            continued(1),
            continued(2),
            header_cell(widths[3], labels::TOTAL.get(lang)),
            header_cell(widths[4], labels::FEMALE.get(lang)),
        ])
        .cant_split(),
    ];
    for row in &table.rows {
        rows.push(counts_row(
            &widths,
            &row.number.to_string(),
            &row.official_name,
            &[row.totals.classes, row.totals.attendance, row.totals.female],
            false,
        ));
    }
    rows.push(counts_row(
        &widths,
        "",
        labels::TOTAL_ROW.get(lang),
        &[
            table.total.classes,
            table.total.attendance,
            table.total.female,
        ],
        true,
    ));
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// A row of a numbers table: its number, a name, then one centred count per column
/// (classes, attendances, women; the appendix adds sessions).
fn counts_row(widths: &[usize], number: &str, name: &str, counts: &[u64], bold: bool) -> TableRow {
    TableRow::new(count_cells(widths, number, name, counts, bold)).cant_split()
}

/// The cells of `counts_row`.
fn count_cells(
    widths: &[usize],
    number: &str,
    name: &str,
    counts: &[u64],
    bold: bool,
) -> Vec<TableCell> {
    let mut cells = vec![
        cell(
            widths[0],
            para(run(number, SMALL)).align(AlignmentType::Center),
        ),
        text_cell(widths[1], name, bold),
    ];
    cells.extend(
        counts
            .iter()
            .zip(&widths[2..])
            .map(|(count, width)| number_cell(*width, *count, bold)),
    );
    cells
}

/// The roll-up's appendix: one row per centre (zeros included) and the total; with
/// `last_year`, each centre's attendances over the same period a year earlier and the
/// change in percent beside its own.
fn centres_table(
    centres: &[CentreTotals],
    last_year: Option<&BTreeMap<CentreId, Totals>>,
) -> Table {
    let lang = Lang::Vi;
    let mut headers = vec![
        labels::NUMBER,
        labels::CENTRE,
        labels::CLASSES,
        labels::SESSIONS,
        labels::TOTAL,
        labels::FEMALE,
    ];
    if last_year.is_some() {
        headers.extend([labels::LAST_YEAR_ATTENDANCE, labels::CHANGE_PERCENT]);
    }
    // The counts share what the number and the centre's name leave of the page.
    let count = if last_year.is_some() { 1_000 } else { 1_150 };
    let counts = headers.len() - 2;
    let mut widths = vec![700, TEXT_WIDTH - 700 - counts * count];
    widths.extend(std::iter::repeat_n(count, counts));
    let mut rows = vec![TableRow::new(
        headers
            .iter()
            .zip(&widths)
            .map(|(label, width)| header_cell(*width, label.get(lang)))
            .collect(),
    )];
    let row = |number: &str, name: &str, totals: &Totals, before: Option<&Totals>, bold| {
        let mut cells = count_cells(&widths, number, name, &appendix_counts(totals), bold);
        if let Some(before) = before {
            let change = super::compare::signed_percent(totals.attendance, before.attendance, lang)
                .unwrap_or_else(|| "–".to_owned());
            let text = run(&change, SMALL);
            cells.push(number_cell(widths[6], before.attendance, bold));
            cells.push(cell(
                widths[7],
                para(if bold { text.bold() } else { text }).align(AlignmentType::Center),
            ));
        }
        TableRow::new(cells).cant_split()
    };
    let mut sum = Totals::default();
    let mut sum_before = Totals::default();
    for (i, centre) in centres.iter().enumerate() {
        sum = sum + centre.totals;
        let before = last_year.map(|all| all.get(&centre.centre).copied().unwrap_or_default());
        if let Some(before) = before {
            sum_before = sum_before + before;
        }
        rows.push(row(
            &(i + 1).to_string(),
            &centre.name,
            &centre.totals,
            before.as_ref(),
            false,
        ));
    }
    rows.push(row(
        "",
        labels::TOTAL_ROW.get(lang),
        &sum,
        last_year.map(|_| &sum_before),
        true,
    ));
    Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// The appendix's counts of a centre: classes, sessions, attendances, women.
fn appendix_counts(totals: &Totals) -> [u64; 4] {
    [
        totals.classes,
        totals.sessions,
        totals.attendance,
        totals.female,
    ]
}

/// "Nơi nhận" and its list on the left; the signer's title, room for the signature and
/// the signer's name on the right.
fn signature_table(texts: &DocumentTexts) -> Table {
    let left = 4_300;
    let right = TEXT_WIDTH - left;
    let tight = |p: Paragraph| p.line_spacing(LineSpacing::new().before(0).after(0));
    let mut recipients = vec![tight(para(
        run(RECIPIENTS_HEADING, RECIPIENTS_LABEL).bold().italic(),
    ))];
    recipients.extend(
        texts
            .get(Part::Recipients)
            .lines()
            .map(|line| tight(para(run(line.trim(), RECIPIENTS)))),
    );
    let mut signer = vec![centred(
        run(
            &Part::SignerTitle.printed(texts.get(Part::SignerTitle)),
            BODY,
        )
        .bold(),
    )];
    // Room for the signature and the seal.
    for _ in 0..4 {
        signer.push(centred(run("", BODY)));
    }
    signer.push(centred(run(texts.get(Part::SignerName), BODY).bold()));
    Table::without_borders(vec![TableRow::new(vec![
        plain_cell(left, recipients),
        plain_cell(right, signer),
    ])
    .cant_split()])
    .set_grid(vec![left, right])
    .width(TEXT_WIDTH, WidthType::Dxa)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(from: (i32, u32, u32), to: (i32, u32, u32)) -> Period {
        let d = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        Period::new(d(from), d(to)).expect("ordered")
    }

    #[test]
    fn whole_months_are_named_as_months_and_other_periods_as_dates() {
        let cases = [
            (
                period((2020, 1, 1), (2020, 10, 31)),
                "TỪ THÁNG 01 ĐẾN THÁNG 10 NĂM 2020",
                "01-10-2020",
            ),
            (
                period((2020, 10, 1), (2020, 10, 31)),
                "THÁNG 10 NĂM 2020",
                "10-2020",
            ),
            (period((2020, 1, 1), (2020, 12, 31)), "NĂM 2020", "2020"),
            (
                period((2020, 2, 1), (2020, 2, 29)),
                "THÁNG 02 NĂM 2020",
                "02-2020",
            ),
            (
                period((2020, 9, 1), (2021, 5, 31)),
                "TỪ THÁNG 09 NĂM 2020 ĐẾN THÁNG 05 NĂM 2021",
                "01-09-2020-31-05-2021",
            ),
            (
                period((2020, 1, 5), (2020, 10, 31)),
                "TỪ NGÀY 05/01/2020 ĐẾN NGÀY 31/10/2020",
                "05-01-2020-31-10-2020",
            ),
            (
                period((2026, 11, 26), (2026, 11, 26)),
                "NGÀY 26/11/2026",
                "26-11-2026-26-11-2026",
            ),
        ];
        for (p, title, slug) in cases {
            assert_eq!(period_title(p), title);
            assert_eq!(super::super::names::period_slug(p), slug);
        }
    }

    #[test]
    fn the_comparison_line_says_the_change_in_words() {
        use crate::report::compare::compare;
        use crate::report::test_catalog::{catalog, seed_totals};
        let mut before = seed_totals();
        // A year earlier: fewer people in arts, the same classes, nothing in law.
        if let Some(arts) = before.get_mut("arts") {
            arts.attendance = 5_068;
        }
        before.remove("law");
        let p = period((2020, 1, 1), (2020, 10, 31));
        let comparison = compare(&catalog(), p, &seed_totals(), &before, Lang::Vi);
        assert_eq!(
            comparison_line(&comparison),
            "So với cùng kỳ năm trước (từ tháng 01 đến tháng 10 năm 2019): số lớp (chuyên đề) \
             50, tăng 5 (11,1%); số lượt người tham gia 20.868, tăng 1.400 (7,2%); trong đó nữ \
             13.698, tăng 450 (3,4%)."
        );
        let none = compare(&catalog(), p, &seed_totals(), &Default::default(), Lang::Vi);
        assert!(comparison_line(&none).contains("tăng 50 (cùng kỳ năm trước chưa có)"));
    }

    #[test]
    fn file_names_are_ascii_and_say_what_the_file_is() {
        let p = period((2020, 1, 1), (2020, 10, 31));
        assert_eq!(
            docx_name("TTHTCĐ phường Tràng An", p),
            "bao-cao-tthtcd-phuong-trang-an-01-10-2020.docx"
        );
        assert_eq!(docx_name("<>", p), "bao-cao-trung-tam-01-10-2020.docx");
    }
}
