//! Aggregation and rendering of the period report (table III.2): chat text and CSV.
//!
//! STUB: the bodies are being written; the signatures are the contract.

#![allow(unused_variables)]

use crate::dialog::Catalog;
use crate::domain::{ClassRecord, Lang, Period, SessionRecord, Totals};
use std::collections::BTreeMap;

/// One row of table III.2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// TT, 1-based.
    pub number: usize,
    pub group: String,
    pub official_name: String,
    pub totals: Totals,
}

/// Table III.2 for one centre (or all) and one period: every group, zeros included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTable {
    pub rows: Vec<ReportRow>,
    /// Column sums.
    pub total: Totals,
}

/// Builds the table from per-group totals, in the catalog's group order.
pub fn build(catalog: &Catalog, per_group: &BTreeMap<String, Totals>, lang: Lang) -> ReportTable {
    unimplemented!()
}

/// Formats a count the way the language writes it: `20.868` in Vietnamese, `20,868` in English.
pub fn format_count(n: u64, lang: Lang) -> String {
    unimplemented!()
}

/// The report as Telegram HTML that fits a phone and stays under 4096 characters.
pub fn render_chat(
    catalog: &Catalog,
    table: &ReportTable,
    centre_name: &str,
    period: Period,
    lang: Lang,
) -> String {
    unimplemented!()
}

/// The running totals message (`/totals`).
pub fn render_totals(catalog: &Catalog, table: &ReportTable, period: Period, lang: Lang) -> String {
    unimplemented!()
}

/// Every session as CSV (UTF-8 with BOM), one row per session, extra answers as columns.
pub fn sessions_csv(
    catalog: &Catalog,
    sessions: &[SessionRecord],
    classes: &BTreeMap<u64, ClassRecord>,
    lang: Lang,
) -> Vec<u8> {
    unimplemented!()
}
