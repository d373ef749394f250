//! Bringing in past sessions from a spreadsheet: the shapes shared by the file reader
//! (`report::read_import`, over bytes), the Telegram adapter that fetches a director's
//! file (`document::Upload` carries the rows read), the engine's check and confirmation
//! (`dialog/engine/import.rs`, `import_check.rs`) and `rollcall import`.
//!
//! A file is read into rows of text exactly as the cells hold it; every rule about what
//! a row may be (the group, the class, the date, the numbers, duplicates) is the
//! dialog's and is applied by the check, so a row in a file is judged as the same
//! session typed in the chat would be.

use crate::domain::NewSession;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest file read (bytes): the download from Telegram stops there, and the
/// command line refuses a larger file before reading it.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// The most session rows one file may hold: a large centre logs about a thousand
/// sessions a year, and the check runs inside one step of the bot, so a larger file is
/// refused (to be split) rather than allowed to hold up everybody's messages.
pub const MAX_ROWS: usize = 3_000;

/// What a sent file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An Excel workbook (`.xlsx`).
    Xlsx,
    /// Comma- (or semicolon-) separated text (`.csv`).
    Csv,
    /// An older spreadsheet format (`.xls`, `.ods`, `.xlsb`): to be saved as `.xlsx`.
    OtherSpreadsheet,
    /// Anything else (a photo sent as a file, a Word document, a PDF, ...).
    Other,
}

impl FileKind {
    /// Whether the name says spreadsheet (to bring in, or to be saved as `.xlsx` first).
    pub fn is_spreadsheet(self) -> bool {
        self != FileKind::Other
    }
}

/// What a file called `name` is, by its extension alone.
pub fn kind_of_name(name: &str) -> FileKind {
    let lower = name.trim().to_lowercase();
    let extension = lower.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "xlsx" | "xlsm" => FileKind::Xlsx,
        "csv" | "txt" => FileKind::Csv,
        "xls" | "ods" | "xlsb" => FileKind::OtherSpreadsheet,
        _ => FileKind::Other,
    }
}

/// The columns a sessions file must have; each is the answer to a question of the
/// session dialog (`Column::question`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    Date,
    Group,
    Class,
    Total,
    Female,
}

impl Column {
    /// Every required column, in the order of the sessions sheet.
    pub const ALL: [Column; 5] = [
        Column::Date,
        Column::Group,
        Column::Class,
        Column::Total,
        Column::Female,
    ];

    /// The id of the session question whose answer the column holds.
    pub fn question(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Group => "group",
            Column::Class => "class",
            Column::Total => "total",
            Column::Female => "female",
        }
    }
}

/// A sessions file read into rows of text, one per session row below the header.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportRows {
    pub rows: Vec<ImportRow>,
    /// Headers of the columns that were not used (shown, so a misnamed column is seen).
    #[serde(default)]
    pub unused_columns: Vec<String>,
}

/// One row of a sessions file, each cell as text (dates as `YYYY-MM-DD` when the
/// spreadsheet stored a date, numbers without a fraction as whole numbers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportRow {
    /// The row's number as the spreadsheet shows it (the header is usually row 1).
    pub line: u32,
    pub date: String,
    pub group: String,
    pub class: String,
    pub total: String,
    pub female: String,
    /// The centre column of an export of every centre (empty when the file has none).
    #[serde(default)]
    pub centre: String,
    /// The example row of the template (`/mau`): never brought in.
    #[serde(default)]
    pub example: bool,
    /// Answers to the dialog's own extra questions, by question id.
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

/// Why a file could not be read into rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadProblem {
    /// Larger than `MAX_FILE_BYTES` (the size in bytes, when known).
    TooLarge { size: Option<u64> },
    /// More than `MAX_ROWS` session rows.
    TooManyRows,
    /// An `.xls`, `.ods` or `.xlsb` file: to be saved as `.xlsx`.
    OtherSpreadsheet,
    /// Not a spreadsheet at all (a Word document, a photo, ...).
    NotASpreadsheet,
    /// A CSV file in another encoding than UTF-8 (Vietnamese letters would be wrong).
    NotUtf8,
    /// A damaged file, or one that only looks like a spreadsheet.
    Unreadable,
    /// No row with the required column headers was found; these were missing from the
    /// best candidate.
    MissingColumns(Vec<Column>),
    /// A header but no session row below it.
    NoRows,
    /// The file could not be fetched from Telegram.
    Download,
}

/// What checking a file's rows found: the sessions it would add and the rows refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportCheck {
    /// Rows looked at (every row of the file below the header).
    pub rows: usize,
    pub added: Vec<AddedRow>,
    pub refused: Vec<RefusedRow>,
    /// Headers of columns that were not used.
    pub unused_columns: Vec<String>,
}

impl ImportCheck {
    /// The sessions to store, in file order.
    pub fn sessions(&self) -> Vec<NewSession> {
        self.added.iter().map(|row| row.session.clone()).collect()
    }

    /// The row numbers that would be added, in file order (what a confirmation covers).
    pub fn added_lines(&self) -> Vec<u32> {
        self.added.iter().map(|row| row.line).collect()
    }
}

/// A row the check accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedRow {
    pub line: u32,
    pub session: NewSession,
    /// The class's name: the stored name of an existing class, or the new one's.
    pub class_name: String,
    /// What is unusual about it and worth a look (HTML), as a multi-line entry notes it.
    pub notes: Vec<String>,
}

/// A row the check refuses, with why (HTML in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRow {
    pub line: u32,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart_by_name() {
        assert_eq!(kind_of_name("Buổi học.XLSX"), FileKind::Xlsx);
        assert_eq!(kind_of_name("so-lieu.csv"), FileKind::Csv);
        assert_eq!(kind_of_name("cu.xls"), FileKind::OtherSpreadsheet);
        assert_eq!(kind_of_name("bao-cao.docx"), FileKind::Other);
        assert_eq!(kind_of_name("no-extension"), FileKind::Other);
        assert!(!kind_of_name("bao-cao.docx").is_spreadsheet());
        assert!(kind_of_name("cu.ods").is_spreadsheet());
    }
}
