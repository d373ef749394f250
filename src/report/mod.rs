//! Aggregation and rendering of the period report (table III.2): chat text and CSV.
//!
//! - `table.rs`: the rows of table III.2 from per-group totals.
//! - `chat.rs`: the report and the running totals as Telegram HTML for a phone.
//! - `csv.rs`: every session as a spreadsheet file.

mod chat;
mod csv;
mod table;
#[cfg(test)]
mod test_catalog;

pub use chat::{render_chat, render_totals};
pub use csv::sessions_csv;
pub use rollup::render_centre_line;
pub use table::{build, ReportRow, ReportTable};
mod rollup;
