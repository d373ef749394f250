//! The sessions template of `/mau` (`/template`): an XLSX with the header row of the
//! sessions sheet the bot exports and one example row marked as such, plus a sheet
//! listing the activity groups by their official names, for a director to fill in with
//! the sessions held before the centre used the bot.

use super::import::EXAMPLE_MARKER;
use super::labels;
use super::xlsx::plain_text;
use super::FileError;
use crate::dialog::Catalog;
use crate::domain::Lang;
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

/// The example row's numbers: attendance and women.
const EXAMPLE_NUMBERS: (u32, u32) = (45, 30);

/// The template's file name in `lang`.
pub fn template_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "mau-nhap-buoi-hoc.xlsx",
        Lang::En => "sessions-template.xlsx",
    }
}

/// The template as the bytes of an `.xlsx` file, its example dated `example_date`.
pub fn import_template(
    catalog: &Catalog,
    lang: Lang,
    example_date: NaiveDate,
) -> Result<Vec<u8>, FileError> {
    build(catalog, lang, example_date).map_err(|e| FileError::Xlsx(e.to_string()))
}

fn build(catalog: &Catalog, lang: Lang, example_date: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0x00DD_EBF7));
    let example = Format::new().set_italic().set_font_color(Color::Gray);
    let example_date_format = example.clone().set_num_format("dd/mm/yyyy");
    let date = Format::new().set_num_format("dd/mm/yyyy");

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(labels::SHEET_SESSIONS.get(lang))?;
    let mut headers: Vec<(String, f64)> = vec![
        (labels::SESSION_ID.get(lang).to_owned(), 10.0),
        (labels::DATE.get(lang).to_owned(), 12.0),
        (labels::GROUP.get(lang).to_owned(), 40.0),
        (labels::CLASS.get(lang).to_owned(), 40.0),
        (labels::TOTAL.get(lang).to_owned(), 10.0),
        (labels::FEMALE.get(lang).to_owned(), 10.0),
    ];
    // The dialog's own extra questions, headed by their labels as in the export.
    for question in catalog
        .questions
        .iter()
        .filter(|q| !["group", "class", "date", "total", "female"].contains(&q.id.as_str()))
    {
        headers.push((question.label.get(lang).to_owned(), 24.0));
    }
    for (col, (text, width)) in headers.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, text, &header)?;
    }
    // Formatted as dates, so that dates typed in the column are stored as dates.
    sheet.set_column_format(1, &date)?;

    let group = catalog.groups.first().map_or("", |g| g.official.get(lang));
    let class = plain_text(catalog, "import.template_example_class", lang, &[]);
    sheet.write_string_with_format(1, 0, EXAMPLE_MARKER.get(lang), &example)?;
    sheet.write_datetime_with_format(1, 1, example_date, &example_date_format)?;
    sheet.write_string_with_format(1, 2, group, &example)?;
    sheet.write_string_with_format(1, 3, class, &example)?;
    sheet.write_number_with_format(1, 4, f64::from(EXAMPLE_NUMBERS.0), &example)?;
    sheet.write_number_with_format(1, 5, f64::from(EXAMPLE_NUMBERS.1), &example)?;
    sheet.set_freeze_panes(1, 0)?;

    // The activity groups as the file may name them.
    let groups = workbook.add_worksheet();
    groups.set_name(labels::GROUP.get(lang))?;
    groups.set_column_width(0, 70.0)?;
    groups.set_column_width(1, 12.0)?;
    groups.write_string_with_format(0, 0, labels::GROUP.get(lang), &header)?;
    groups.write_string_with_format(0, 1, labels::CODE.get(lang), &header)?;
    for (row, group) in catalog.groups.iter().enumerate() {
        let row = u32::try_from(row + 1).unwrap_or(u32::MAX);
        groups.write_string(row, 0, group.official.get(lang))?;
        groups.write_string(row, 1, &group.code)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::import::read_import;
    use crate::report::test_catalog::catalog;

    #[test]
    fn the_template_reads_back_as_one_example_row() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 5).expect("a date");
        for lang in Lang::ALL {
            let bytes = import_template(&catalog(), lang, date).expect("template");
            let rows = read_import(template_name(lang), &bytes, &catalog()).expect("rows");
            assert_eq!(rows.rows.len(), 1);
            let row = &rows.rows[0];
            assert!(row.example, "{lang:?}");
            assert_eq!(row.line, 2);
            assert_eq!(row.date, "2026-03-05");
            assert_eq!((row.total.as_str(), row.female.as_str()), ("45", "30"));
            assert!(rows.unused_columns.is_empty(), "{:?}", rows.unused_columns);
        }
    }
}
