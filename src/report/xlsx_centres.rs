//! The supervisor's sheets of the workbook: "Theo trung tâm" (one row per centre, for each
//! activity group Số lớp / Tổng số / Nữ, the centre's totals beside the same period a year
//! earlier, its latest session and its members) and "So với cùng kỳ" (table III.2 beside
//! the same period a year earlier), and the small workbook of the first alone that the
//! button under the chat's centre list sends.

use super::by_centre::CentreTable;
use super::compare::{change_ratio, year_earlier, Comparison};
use super::labels;
use super::silent::Activity;
use super::xlsx::{cell, column, plain_text, Styles};
use super::FileError;
use crate::dialog::Catalog;
use crate::domain::{CentreId, Lang, Period, Totals};
use crate::format::format_date;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// What the centre × group sheet shows besides the table.
#[derive(Debug, Clone, Copy)]
pub struct CentreSheet<'a> {
    pub table: &'a CentreTable,
    /// Each centre's totals over the same period a year earlier (absent: nothing then).
    pub last_year: &'a BTreeMap<CentreId, Totals>,
    /// Latest sessions and members, for the silent centres.
    pub activity: &'a Activity,
}

/// The workbook of the centre × group table alone (with the comparison when given).
pub fn centre_table_xlsx(
    catalog: &Catalog,
    period: Period,
    lang: Lang,
    centres: &CentreSheet<'_>,
    comparison: Option<&Comparison>,
) -> Result<Vec<u8>, FileError> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let styles = Styles::new();
        let mut workbook = Workbook::new();
        centre_sheet(
            workbook.add_worksheet(),
            catalog,
            period,
            lang,
            centres,
            &styles,
        )?;
        if let Some(comparison) = comparison {
            comparison_sheet(workbook.add_worksheet(), catalog, comparison, lang, &styles)?;
        }
        workbook.save_to_buffer()
    };
    build().map_err(|e| FileError::Xlsx(e.to_string()))
}

/// The title lines: the sheet's title, the period, and the same period a year earlier.
fn title_lines(
    sheet: &mut Worksheet,
    catalog: &Catalog,
    title: &str,
    period: Period,
    lang: Lang,
    last_col: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let earlier = year_earlier(period);
    let text = |p: Period| {
        plain_text(
            catalog,
            "report.period",
            lang,
            &[("from", &format_date(p.from)), ("to", &format_date(p.to))],
        )
    };
    let last_year = format!(
        "{}: {}",
        labels::SAME_PERIOD_LAST_YEAR.get(lang),
        text(earlier)
    );
    let last_col = last_col.max(1);
    sheet.merge_range(0, 0, 0, last_col, &cell(title), &styles.title)?;
    sheet.merge_range(1, 0, 1, last_col, &cell(&text(period)), &styles.subtitle)?;
    sheet.merge_range(2, 0, 2, last_col, &cell(&last_year), &styles.subtitle)?;
    Ok(())
}

/// A header over two rows (`top` and the one below), or over `width` columns of `top`.
fn header(
    sheet: &mut Worksheet,
    top: u32,
    col: u16,
    width: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if width <= 1 {
        sheet.merge_range(top, col, top + 1, col, &cell(text), format)?;
    } else {
        sheet.merge_range(top, col, top, col + width - 1, &cell(text), format)?;
    }
    Ok(())
}

/// Classes, attendance and women in three cells from `col`.
fn three(
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

/// The change of attendance and its percentage (blank when there was nothing before).
fn change_cells(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    now: u64,
    before: u64,
    count: &Format,
    percent: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, now as f64 - before as f64, count)?;
    match change_ratio(now, before) {
        Some(ratio) => sheet.write_number_with_format(row, col + 1, ratio, percent)?,
        None => sheet.write_blank(row, col + 1, percent)?,
    };
    Ok(())
}

/// The sheet "Theo trung tâm".
pub(super) fn centre_sheet(
    sheet: &mut Worksheet,
    catalog: &Catalog,
    period: Period,
    lang: Lang,
    centres: &CentreSheet<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let table = centres.table;
    sheet.set_name(labels::SHEET_BY_CENTRE.get(lang))?;
    let groups = table.columns().len();
    // TT, centre, three per group, three totals, three of last year, change, %, latest
    // session, members.
    let first_group = 2u16;
    let totals_col = column(2 + 3 * groups);
    let last_year_col = totals_col + 3;
    let change_col = last_year_col + 3;
    let last_session_col = change_col + 2;
    let members_col = last_session_col + 1;
    title_lines(
        sheet,
        catalog,
        labels::BY_CENTRE_TITLE.get(lang),
        period,
        lang,
        members_col,
        styles,
    )?;

    let (top, sub) = (4u32, 5u32);
    sheet.set_row_height(top, 60)?;
    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 36)?;
    header(sheet, top, 0, 1, labels::NUMBER.get(lang), &styles.header)?;
    header(sheet, top, 1, 1, labels::CENTRE.get(lang), &styles.header)?;
    let subs = [labels::CLASSES, labels::TOTAL, labels::FEMALE];
    let mut spans: Vec<(u16, String)> = table
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                first_group + column(3 * i),
                format!("{}. {}", c.number, c.official_name),
            )
        })
        .collect();
    spans.push((totals_col, labels::TOTAL_ROW.get(lang).to_owned()));
    spans.push((
        last_year_col,
        labels::SAME_PERIOD_LAST_YEAR.get(lang).to_owned(),
    ));
    for (col, text) in &spans {
        header(sheet, top, *col, 3, text, &styles.header)?;
        for (k, label) in subs.iter().enumerate() {
            let c = *col + column(k);
            sheet.set_column_width(c, 11)?;
            sheet.write_string_with_format(sub, c, label.get(lang), &styles.header)?;
        }
    }
    for (col, label, width) in [
        (change_col, labels::CHANGE, 12),
        (change_col + 1, labels::CHANGE_PERCENT, 12),
        (last_session_col, labels::LAST_SESSION, 14),
        (members_col, labels::MEMBERS, 11),
    ] {
        sheet.set_column_width(col, width)?;
        header(sheet, top, col, 1, label.get(lang), &styles.header)?;
    }

    let mut row = sub + 1;
    let mut last_year_sum = Totals::default();
    let mut members_sum = 0u64;
    for (i, centre) in table.rows.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &styles.number)?;
        sheet.write_string_with_format(row, 1, cell(&centre.name), &styles.text)?;
        for (k, totals) in centre.cells.iter().enumerate() {
            three(
                sheet,
                row,
                first_group + column(3 * k),
                totals,
                &styles.count,
            )?;
        }
        three(sheet, row, totals_col, &centre.total, &styles.count)?;
        let before = centres
            .last_year
            .get(&centre.centre)
            .copied()
            .unwrap_or_default();
        last_year_sum = last_year_sum + before;
        three(sheet, row, last_year_col, &before, &styles.count)?;
        change_cells(
            sheet,
            row,
            change_col,
            centre.total.attendance,
            before.attendance,
            &styles.count,
            &styles.percent,
        )?;
        match centres.activity.last_session.get(&centre.centre) {
            Some(day) => {
                sheet.write_datetime_with_format(row, last_session_col, *day, &styles.date_cell)?
            }
            None => sheet.write_string_with_format(
                row,
                last_session_col,
                labels::NEVER.get(lang),
                &styles.text,
            )?,
        };
        let members = centres
            .activity
            .members
            .get(&centre.centre)
            .copied()
            .unwrap_or(0);
        members_sum = members_sum.saturating_add(members);
        sheet.write_number_with_format(row, members_col, members as f64, &styles.count)?;
        row += 1;
    }
    // The total row: each group's column sums are table III.2 of every centre.
    sheet.write_blank(row, 0, &styles.total_text)?;
    sheet.write_string_with_format(row, 1, labels::TOTAL_ROW.get(lang), &styles.total_text)?;
    for (k, c) in table.columns().iter().enumerate() {
        three(
            sheet,
            row,
            first_group + column(3 * k),
            &c.totals,
            &styles.total_count,
        )?;
    }
    three(
        sheet,
        row,
        totals_col,
        &table.summed.total,
        &styles.total_count,
    )?;
    three(
        sheet,
        row,
        last_year_col,
        &last_year_sum,
        &styles.total_count,
    )?;
    change_cells(
        sheet,
        row,
        change_col,
        table.summed.total.attendance,
        last_year_sum.attendance,
        &styles.total_count,
        &styles.total_percent,
    )?;
    sheet.write_blank(row, last_session_col, &styles.total_text)?;
    sheet.write_number_with_format(row, members_col, members_sum as f64, &styles.total_count)?;
    sheet.autofilter(sub, 0, row.saturating_sub(1).max(sub), members_col)?;
    sheet.set_freeze_panes(sub + 1, 2)?;
    Ok(())
}

/// A column group of the comparison: its header and how to read its number.
type Measure = (labels::Label, fn(&Totals) -> u64);

/// The sheet "So với cùng kỳ": for each group, Số lớp, Tổng số and Nữ this period and a
/// year earlier, the change and its percentage.
pub(super) fn comparison_sheet(
    sheet: &mut Worksheet,
    catalog: &Catalog,
    comparison: &Comparison,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(labels::SHEET_COMPARISON.get(lang))?;
    let measures: [Measure; 3] = [
        (labels::CLASSES, |t| t.classes),
        (labels::TOTAL, |t| t.attendance),
        (labels::FEMALE, |t| t.female),
    ];
    let last_col = column(1 + 4 * measures.len());
    title_lines(
        sheet,
        catalog,
        labels::COMPARISON_TITLE.get(lang),
        comparison.period,
        lang,
        last_col,
        styles,
    )?;
    let (top, sub) = (4u32, 5u32);
    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 52)?;
    header(sheet, top, 0, 1, labels::NUMBER.get(lang), &styles.header)?;
    header(sheet, top, 1, 1, labels::ACTIVITY.get(lang), &styles.header)?;
    let subs = [
        labels::THIS_PERIOD,
        labels::SAME_PERIOD_LAST_YEAR,
        labels::CHANGE,
        labels::CHANGE_PERCENT,
    ];
    for (m, (label, _)) in measures.iter().enumerate() {
        let col = 2 + column(4 * m);
        header(sheet, top, col, 4, label.get(lang), &styles.header)?;
        for (k, s) in subs.iter().enumerate() {
            sheet.set_column_width(col + column(k), 12)?;
            sheet.write_string_with_format(sub, col + column(k), s.get(lang), &styles.header)?;
        }
    }
    let write_row = |sheet: &mut Worksheet,
                     row: u32,
                     now: &Totals,
                     before: &Totals,
                     count: &Format,
                     percent: &Format|
     -> Result<(), XlsxError> {
        for (m, (_, value)) in measures.iter().enumerate() {
            let col = 2 + column(4 * m);
            sheet.write_number_with_format(row, col, value(now) as f64, count)?;
            sheet.write_number_with_format(row, col + 1, value(before) as f64, count)?;
            change_cells(
                sheet,
                row,
                col + 2,
                value(now),
                value(before),
                count,
                percent,
            )?;
        }
        Ok(())
    };
    let mut row = sub + 1;
    for line in &comparison.rows {
        sheet.write_number_with_format(row, 0, line.number as f64, &styles.number)?;
        sheet.write_string_with_format(row, 1, cell(&line.official_name), &styles.text)?;
        write_row(
            sheet,
            row,
            &line.now,
            &line.before,
            &styles.count,
            &styles.percent,
        )?;
        row += 1;
    }
    sheet.write_blank(row, 0, &styles.total_text)?;
    sheet.write_string_with_format(row, 1, labels::TOTAL_ROW.get(lang), &styles.total_text)?;
    write_row(
        sheet,
        row,
        &comparison.now,
        &comparison.before,
        &styles.total_count,
        &styles.total_percent,
    )?;
    sheet.set_freeze_panes(sub + 1, 2)?;
    Ok(())
}
