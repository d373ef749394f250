//! Aggregation and rendering of the period report (table III.2): chat text, CSV, XLSX,
//! JSON and a PNG chart.
//!
//! - `table.rs`: the rows of table III.2 from per-group totals.
//! - `chat.rs`: the report and the running totals as Telegram HTML for a phone.
//! - `csv.rs`: every session as a spreadsheet file.
//! - `xlsx.rs`: the table laid out like the paper report, the sessions, the roll-up.
//! - `chart.rs`: attendance by group and by month as a PNG, with an embedded font.
//! - `json.rs`: a stable machine-readable shape.
//! - `docx.rs`: the whole report as a Word document in the official layout.
//! - `docx_read/`: the written parts of such a document sent back edited (a `.docx` read
//!   within caps; the table and computed figures are never read).
//! - `labels.rs`: the official column names (vi/en) the files use.
//! - `by_centre.rs`: the centre × group table of the roll-up (pure).
//! - `compare.rs`: the same period a year earlier beside the period.
//! - `silent.rs`: the centres that logged nothing lately, apart from those without members.
//! - `centres_chat.rs`: the roll-up's centres and the silent centres in the chat.
//! - `xlsx_centres.rs`: the sheets "Theo trung tâm" and "So với cùng kỳ".
//! - `names.rs`: the files' names.
//! - `merge.rs`: the roll-up over several databases (`rollcall report --db … --db …`).
//! - `import.rs`: a sessions spreadsheet (XLSX or CSV) read back into rows, to bring in
//!   past sessions; `template.rs`: the empty sessions file of `/mau`; `sent_file.rs`: a
//!   file sent in the chat read by what it holds (a report document or sessions).

pub mod by_centre;
pub mod centres_chat;
mod chart;
mod chat;
pub mod compare;
mod csv;
mod data;
mod docx;
mod docx_read;
mod import;
mod json;
pub mod labels;
pub mod merge;
pub mod names;
mod rollup;
mod sent_file;
pub mod silent;
mod table;
mod template;
#[cfg(test)]
mod test_catalog;
mod xlsx;
mod xlsx_centres;

pub use chart::{chart, ChartReport};
pub use chat::{render_chat, render_totals};
pub use csv::{centres_csv, sessions_csv};
pub use data::{report_files, FileSources, ReportData, ReportFiles, RollUp};
pub use docx::{docx, docx_name, period_title, DocxReport, HEADINGS};
pub use docx_read::{read_docx, read_upload};
pub use import::{read_import, EXAMPLE_MARKER};
pub use json::{report_data_json, report_json};
pub use rollup::render_centre_line;
pub use sent_file::read_sent_file;
pub use table::{build, ReportRow, ReportTable};
pub use template::{import_template, template_name};
pub use xlsx::{xlsx, xlsx_with, CentreTotals, XlsxExtras, XlsxReport, MAX_SESSION_ROWS};
pub use xlsx_centres::{centre_table_xlsx, CentreSheet};

/// A report file that could not be made. Both come from libraries writing into memory,
/// so they point at a bug (or an unreadable embedded font), not at the user's data.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot build the spreadsheet: {0}")]
    Xlsx(String),
    #[error("cannot draw the chart: {0}")]
    Chart(String),
    #[error("cannot build the document: {0}")]
    Docx(String),
}
