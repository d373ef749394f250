//! Reading a sessions spreadsheet (XLSX or CSV) into rows of text, for bringing in
//! past sessions: a pure function over the file's bytes.
//!
//! The layout is the sessions sheet the bot exports (`xlsx.rs`, `csv.rs`) and the
//! template of `/mau` (`template.rs`): a header row naming the columns, then one session
//! per row. Columns are found by their header, in Vietnamese or English, as the export,
//! the CSV or the dialog's own questions name them, in any order; columns the import
//! does not use (the session number, who logged it, when) are ignored.
//!
//! Reading is defensive: the size is capped before anything is parsed, an XLSX's
//! declared unpacked sizes are checked before calamine unpacks it (a small file that
//! unpacks to gigabytes is refused), rows and columns are capped while reading, and
//! nothing a file holds can make the reader panic or run without bound. Judging the
//! rows is not done here: that is the dialog's check (`dialog::engine::check_import`).

use super::labels::{self, Label};
use crate::dialog::parse;
use crate::dialog::Catalog;
use crate::domain::Lang;
use crate::import::{
    kind_of_name, Column, FileKind, ImportRow, ImportRows, ReadProblem, MAX_FILE_BYTES, MAX_ROWS,
};
use std::collections::BTreeMap;
use std::io::Cursor;

/// The header is looked for in this many first non-empty rows of a sheet (the export's
/// sessions sheet has it in the first; a director's own sheet may have a title above).
const HEADER_SEARCH_ROWS: usize = 10;

/// Columns beyond this many are not read (the sessions sheet has a dozen).
const MAX_COLUMNS: u32 = 200;

/// Sheets of a workbook looked at for the sessions (the export has two or three).
const MAX_SHEETS: usize = 20;

/// The most an XLSX may unpack to, by the sizes its parts declare (the zip reader
/// refuses a part that unpacks beyond its declared size). A sheet of `MAX_ROWS` rows is a
/// few megabytes of XML; this leaves room and refuses zip bombs.
const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// Parts an XLSX may have (a workbook has a dozen or so).
const MAX_ZIP_ENTRIES: usize = 1_000;

/// What the first cell of the template's example row says, in any language: the row
/// is refused, so an example left in a filled-in template is never brought in.
pub const EXAMPLE_MARKER: Label = Label {
    vi: "Ví dụ",
    en: "Example",
};

/// The leading bytes of a zip file (an XLSX is one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The leading bytes of an OLE compound file (an old `.xls`).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a sessions file called `file_name` into rows. The dialogs name the extra
/// questions, whose columns are read too.
pub fn read_import(
    file_name: &str,
    bytes: &[u8],
    catalog: &Catalog,
) -> Result<ImportRows, ReadProblem> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge {
            size: Some(bytes.len() as u64),
        });
    }
    let sheets = if bytes.starts_with(ZIP_MAGIC) {
        xlsx_sheets(bytes)?
    } else if bytes.starts_with(OLE_MAGIC) || kind_of_name(file_name) == FileKind::OtherSpreadsheet
    {
        return Err(ReadProblem::OtherSpreadsheet);
    } else if kind_of_name(file_name) == FileKind::Xlsx {
        // Named .xlsx but not a zip: damaged, or something renamed.
        return Err(ReadProblem::Unreadable);
    } else {
        vec![csv_grid(bytes)?]
    };
    rows_of(&sheets, catalog)
}

/// One sheet's non-empty rows: the row number as the spreadsheet shows it, and the
/// cells as text by column index (trimmed, blank cells as empty text).
type Grid = Vec<(u32, Vec<String>)>;

/// The rows a grid keeps at most: the header search, the rows allowed, and one more to
/// tell that there were too many.
const MAX_GRID_ROWS: usize = HEADER_SEARCH_ROWS + MAX_ROWS + 1;

/// The sessions of the first sheet that has the header; `MissingColumns` names what the
/// most complete header candidate of all sheets lacks.
fn rows_of(sheets: &[Grid], catalog: &Catalog) -> Result<ImportRows, ReadProblem> {
    let mut best: Option<Vec<Column>> = None;
    for grid in sheets {
        for (position, (_, cells)) in grid.iter().enumerate().take(HEADER_SEARCH_ROWS) {
            let fields: Vec<Field> = cells.iter().map(|h| field_of(h, catalog)).collect();
            let missing: Vec<Column> = Column::ALL
                .into_iter()
                .filter(|c| !fields.contains(&Field::Required(*c)))
                .collect();
            if missing.is_empty() {
                return session_rows(&grid[position + 1..], cells, &fields);
            }
            if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
                best = Some(missing);
            }
        }
    }
    if sheets.iter().all(Vec::is_empty) {
        return Err(ReadProblem::NoRows);
    }
    Err(ReadProblem::MissingColumns(
        best.unwrap_or_else(|| Column::ALL.to_vec()),
    ))
}

/// The rows below a header whose columns are `fields` (headers `headers`).
fn session_rows(
    grid: &[(u32, Vec<String>)],
    headers: &[String],
    fields: &[Field],
) -> Result<ImportRows, ReadProblem> {
    // A column named twice is read from its first place; the second is reported unused.
    let mut used: Vec<Field> = Vec::new();
    let mut columns: Vec<Option<Field>> = Vec::with_capacity(fields.len());
    let mut unused_columns = Vec::new();
    for (header, field) in headers.iter().zip(fields) {
        match field {
            Field::Unknown if header.is_empty() => columns.push(None),
            Field::Unknown => {
                unused_columns.push(header.clone());
                columns.push(None);
            }
            Field::Ignored => columns.push(None),
            field if used.contains(field) => {
                unused_columns.push(header.clone());
                columns.push(None);
            }
            field => {
                used.push(field.clone());
                columns.push(Some(field.clone()));
            }
        }
    }
    if grid.len() > MAX_ROWS {
        return Err(ReadProblem::TooManyRows);
    }
    let rows: Vec<ImportRow> = grid
        .iter()
        .map(|(line, cells)| {
            let mut row = ImportRow {
                line: *line,
                ..ImportRow::default()
            };
            for (cell, column) in cells.iter().zip(&columns) {
                match column {
                    Some(Field::Required(Column::Date)) => row.date.clone_from(cell),
                    Some(Field::Required(Column::Group)) => row.group.clone_from(cell),
                    Some(Field::Required(Column::Class)) => row.class.clone_from(cell),
                    Some(Field::Required(Column::Total)) => row.total.clone_from(cell),
                    Some(Field::Required(Column::Female)) => row.female.clone_from(cell),
                    Some(Field::Centre) => row.centre.clone_from(cell),
                    Some(Field::Id) => {
                        row.example = Lang::ALL
                            .iter()
                            .any(|&l| parse::same_words(cell, EXAMPLE_MARKER.get(l)));
                    }
                    Some(Field::Extra(id)) => {
                        row.extra.insert(id.clone(), cell.clone());
                    }
                    Some(Field::Ignored | Field::Unknown) | None => {}
                }
            }
            row
        })
        .collect();
    if rows.is_empty() {
        return Err(ReadProblem::NoRows);
    }
    Ok(ImportRows {
        rows,
        unused_columns,
    })
}

/// What a column of a sessions file holds, by its header.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Required(Column),
    /// The centre, in an export of every centre.
    Centre,
    /// The session number of an export (and the template's example marker).
    Id,
    /// Written by the export, not used (who logged it, when).
    Ignored,
    /// The answer to the dialog's extra question with this id.
    Extra(String),
    Unknown,
}

/// The field a header names: the export's column labels, the CSV's column names and the
/// dialog's question labels and ids, in either language, compared without case,
/// diacritics or spacing (and without a trailing `*` or `:`).
fn field_of(header: &str, catalog: &Catalog) -> Field {
    let wanted = parse::fold(header.trim_end_matches(['*', ':']).trim());
    if wanted.is_empty() {
        return Field::Unknown;
    }
    let is = |names: &[&str]| names.iter().any(|n| parse::fold(n) == wanted);
    let label = |l: Label| [l.vi, l.en];
    let question = |id: &str| -> Vec<String> {
        let mut names = vec![id.to_owned()];
        if let Some((_, q)) = catalog.question(id) {
            names.extend(Lang::ALL.iter().map(|&l| q.label.get(l).to_owned()));
        }
        names
    };
    // The export's label, and the short names people give these columns in their own
    // sheets.
    let required: [(Column, Label, &[&str]); 5] = [
        (Column::Date, labels::DATE, &["ngày", "date"]),
        (
            Column::Group,
            labels::GROUP,
            &["nhóm", "hoạt động", "activity", "group"],
        ),
        (
            Column::Class,
            labels::CLASS,
            &["lớp", "chuyên đề", "lớp/chuyên đề", "class", "topic"],
        ),
        (
            Column::Total,
            labels::TOTAL,
            &["số người", "tổng", "số lượt người", "attendance"],
        ),
        (
            Column::Female,
            labels::FEMALE,
            &["nữ", "số nữ", "female", "women"],
        ),
    ];
    for (column, export_label, short) in required {
        let names = question(column.question());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        if is(&label(export_label)) || is(&names) || is(short) {
            return Field::Required(column);
        }
    }
    if is(&label(labels::CENTRE)) || is(&["centre", "center"]) {
        return Field::Centre;
    }
    if is(&label(labels::SESSION_ID)) || is(&["id"]) {
        return Field::Id;
    }
    if is(&label(labels::ORGANISER))
        || is(&label(labels::CREATED_AT))
        || is(&["organiser", "created_at"])
    {
        return Field::Ignored;
    }
    for q in &catalog.questions {
        if ["group", "class", "date", "total", "female"].contains(&q.id.as_str()) {
            continue;
        }
        let names = question(&q.id);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        if is(&names) {
            return Field::Extra(q.id.clone());
        }
    }
    Field::Unknown
}

// ---- XLSX ----

/// The sheets of an XLSX workbook as grids, in workbook order.
fn xlsx_sheets(bytes: &[u8]) -> Result<Vec<Grid>, ReadProblem> {
    check_zip(bytes)?;
    // calamine is a well-kept reader, but a malformed file is untrusted input: should it
    // panic on one, the file is refused like any other unreadable file.
    std::panic::catch_unwind(|| read_xlsx(bytes)).unwrap_or(Err(ReadProblem::Unreadable))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, ReadProblem> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadProblem::Unreadable)?;
    let names: Vec<String> = workbook
        .sheet_names()
        .into_iter()
        .take(MAX_SHEETS)
        .collect();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let mut reader = workbook
            .worksheet_cells_reader(&name)
            .map_err(|_| ReadProblem::Unreadable)?;
        let mut grid: Grid = Vec::new();
        let mut current: Option<(u32, BTreeMap<u32, String>)> = None;
        while let Some(cell) = reader.next_cell().map_err(|_| ReadProblem::Unreadable)? {
            let (row, col) = cell.get_position();
            if col >= MAX_COLUMNS {
                continue;
            }
            let text = cell_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            match &mut current {
                Some((at, cells)) if *at == row => {
                    cells.insert(col, text);
                }
                _ => {
                    if let Some(done) = current.take() {
                        push_row(&mut grid, done);
                    }
                    if grid.len() >= MAX_GRID_ROWS {
                        break;
                    }
                    current = Some((row, BTreeMap::from([(col, text)])));
                }
            }
        }
        if let Some(done) = current.take() {
            if grid.len() < MAX_GRID_ROWS {
                push_row(&mut grid, done);
            }
        }
        sheets.push(grid);
    }
    Ok(sheets)
}

/// Adds a row read as (0-based row, cells by column) to a grid, as the spreadsheet
/// numbers it (from 1) with blank cells between the used ones.
fn push_row(grid: &mut Grid, (row, cells): (u32, BTreeMap<u32, String>)) {
    let width = cells
        .keys()
        .next_back()
        .map_or(0, |last| *last as usize + 1);
    let mut line = vec![String::new(); width];
    for (col, text) in cells {
        if let Some(slot) = line.get_mut(col as usize) {
            *slot = text;
        }
    }
    grid.push((row.saturating_add(1), line));
}

/// A cell as text: whole numbers without a fraction, dates as `YYYY-MM-DD` (which the
/// date question reads), text trimmed and un-defused.
fn cell_text(value: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => clean(s),
        DataRef::SharedString(s) => clean(s),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(when) if when.is_datetime() => {
            let serial = when.as_f64();
            // Outside Excel's dates calamine clamps to its ends; such a cell is shown as
            // the number it is, and the date question refuses it.
            if (1.0..2_958_466.0).contains(&serial) {
                let (year, month, day, ..) = when.to_ymd_hms_milli();
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                number_text(serial)
            }
        }
        DataRef::DateTime(when) => number_text(when.as_f64()),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        DataRef::DurationIso(s) => clean(s),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}

/// A number as a person would type it: `45` for 45.0, `4.5` for a fraction (which the
/// count questions refuse, as they refuse it typed).
fn number_text(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

/// Refuses an XLSX whose parts declare more than `MAX_UNPACKED_BYTES` unpacked, or that
/// has more than `MAX_ZIP_ENTRIES` parts, before anything is unpacked.
fn check_zip(bytes: &[u8]) -> Result<(), ReadProblem> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadProblem::Unreadable)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(ReadProblem::Unreadable);
    }
    let mut unpacked: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| ReadProblem::Unreadable)?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(ReadProblem::Unreadable);
    }
    Ok(())
}

// ---- CSV ----

/// A CSV file as one grid: UTF-8 (a byte-order mark is skipped), separated by commas,
/// semicolons (what a spreadsheet writes where the comma is the decimal sign, as in
/// Vietnamese) or tabs, whichever the first line has most of.
fn csv_grid(bytes: &[u8]) -> Result<Grid, ReadProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(ReadProblem::NotASpreadsheet);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ReadProblem::NotUtf8)?;
    // Counted over the first lines, since a title line above the header may have none;
    // on a tie the comma wins (`max_by_key` keeps the last of equals).
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEADER_SEARCH_ROWS)
        .collect();
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| {
            head.iter()
                .map(|l| l.bytes().filter(|b| b == d).count())
                .sum::<usize>()
        })
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid: Grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| ReadProblem::Unreadable)?;
        let cells: Vec<String> = record
            .iter()
            .take(MAX_COLUMNS as usize)
            .map(clean)
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        // The line the record starts on, as a spreadsheet opening the file numbers its
        // rows (blank lines included).
        let line = record
            .position()
            .map_or(u32::MAX, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
        grid.push((line, cells));
        if grid.len() >= MAX_GRID_ROWS {
            break;
        }
    }
    Ok(grid)
}

/// A cell's text, trimmed, without the apostrophe the CSV export puts before text that
/// would otherwise run as a formula (`'=…`).
fn clean(text: &str) -> String {
    let text = text.trim();
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_catalog::catalog;

    fn read_csv(text: &str) -> Result<ImportRows, ReadProblem> {
        read_import("buoi-hoc.csv", text.as_bytes(), &catalog())
    }

    #[test]
    fn the_csv_export_s_columns_are_found_in_any_order_with_a_bom() {
        let rows = read_csv(
            "\u{feff}female,total,class,group,date,organiser,id,created_at,note\n\
             30,45,Phòng chống dịch,Sức khỏe,2020-03-05,42,7,2020-03-05T16:30:00+00:00,x\n\
             \n\
             ,,,,,,,,\n\
             20,25,'=lớp,sk,05/03/2020,42,8,,\n",
        )
        .expect("rows");
        assert_eq!(rows.unused_columns, vec!["note"]);
        assert_eq!(rows.rows.len(), 2);
        let first = &rows.rows[0];
        assert_eq!(
            (
                first.line,
                first.date.as_str(),
                first.group.as_str(),
                first.class.as_str(),
                first.total.as_str(),
                first.female.as_str()
            ),
            (2, "2020-03-05", "Sức khỏe", "Phòng chống dịch", "45", "30")
        );
        // Blank lines are skipped, and rows keep the spreadsheet's numbers.
        assert_eq!(rows.rows[1].line, 5);
        assert_eq!(rows.rows[1].class, "=lớp");
    }

    #[test]
    fn semicolons_vietnamese_headers_and_the_example_marker() {
        let rows = read_csv(
            "Báo cáo buổi học\n\
             Mã buổi;Ngày;Hoạt động giáo dục;Lớp (chuyên đề);Tổng số;Nữ\n\
             Ví dụ;26/11/2026;Sức khỏe;Lớp mẫu;45;30\n\
             ;27/11/2026;Sức khỏe;Lớp thật;40;20\n",
        )
        .expect("rows");
        assert!(rows.rows[0].example);
        assert!(!rows.rows[1].example);
        assert_eq!(rows.rows[1].line, 4);
        assert_eq!(rows.rows[1].class, "Lớp thật");
    }

    #[test]
    fn what_is_not_a_sessions_file_is_named() {
        assert_eq!(
            read_csv("date,group,class\n2020-01-01,sk,x\n"),
            Err(ReadProblem::MissingColumns(vec![
                Column::Total,
                Column::Female
            ]))
        );
        assert_eq!(read_csv(""), Err(ReadProblem::NoRows));
        assert_eq!(
            read_csv("date,group,class,total,female\n"),
            Err(ReadProblem::NoRows)
        );
        assert_eq!(
            read_import("a.csv", b"date,group\xff\n", &catalog()),
            Err(ReadProblem::NotUtf8)
        );
        assert_eq!(
            read_import("a.xls", OLE_MAGIC, &catalog()),
            Err(ReadProblem::OtherSpreadsheet)
        );
        assert_eq!(
            read_import("a.xlsx", b"PK\x03\x04 not really", &catalog()),
            Err(ReadProblem::Unreadable)
        );
        assert_eq!(
            read_import("a.xlsx", b"plain text", &catalog()),
            Err(ReadProblem::Unreadable)
        );
        let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert!(matches!(
            read_import("a.csv", &big, &catalog()),
            Err(ReadProblem::TooLarge { .. })
        ));
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut text = String::from("date,group,class,total,female\n");
        for _ in 0..=MAX_ROWS {
            text.push_str("2020-01-01,sk,Lớp,1,0\n");
        }
        assert_eq!(read_csv(&text), Err(ReadProblem::TooManyRows));
    }

    #[test]
    fn cells_read_as_typed() {
        assert_eq!(number_text(45.0), "45");
        assert_eq!(number_text(4.5), "4.5");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(clean("  '+84 "), "+84");
        assert_eq!(clean("'tên"), "'tên");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = read_import("x.csv", &bytes, &catalog());
            let _ = read_import("x.xlsx", &bytes, &catalog());
            let mut zipped = ZIP_MAGIC.to_vec();
            zipped.extend(&bytes);
            let _ = read_import("x.xlsx", &zipped, &catalog());
        }
    }
}
