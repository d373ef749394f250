//! The supervisor's roll-up: one line per centre under the summed table.

use crate::dialog::Catalog;
use crate::domain::{Lang, Totals};
use crate::format::{escape_html, format_count};

/// One centre's totals as a line of the roll-up report.
pub fn render_centre_line(catalog: &Catalog, centre: &str, totals: Totals, lang: Lang) -> String {
    catalog.render(
        "report.centre_line",
        lang,
        &[
            ("centre", &escape_html(centre)),
            ("classes", &format_count(totals.classes, lang)),
            ("attendance", &format_count(totals.attendance, lang)),
            ("female", &format_count(totals.female, lang)),
        ],
    )
}
