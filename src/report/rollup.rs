//! One centre's totals as a line (`report.centre_line`). The supervisor's roll-up no
//! longer puts these under the summed table (the centres' ranking of `centres_chat.rs`
//! does); kept because centres' exported dialog folders carry the text, and an unknown
//! text key there would stop the bot from starting.

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
