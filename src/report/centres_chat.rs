//! The supervisor's roll-up in the chat, beside the summed table: the centres from the
//! largest attendance and from the smallest (all of them when they are few), each with its
//! change on the same period a year earlier, and the silent centres; and `/silent`.
//!
//! A thousand centres do not fit a Telegram message (4,096 characters), nor a phone's
//! screen: the chat shows the ends of the ranking and the whole table goes out as a file
//! (the button under this message).

use super::by_centre::{CentreRow, CentreTable};
use super::chat::truncate;
use super::compare::change_text;
use super::silent::{Silence, SilentCentre};
use crate::dialog::Catalog;
use crate::domain::{CentreId, Lang, Totals};
use crate::format::{escape_html, format_count, format_date};
use std::collections::BTreeMap;

/// Up to this many centres, every one is listed.
const ALL_UP_TO: usize = 10;
/// Otherwise this many from each end of the ranking.
const EACH_END: usize = 5;
/// Longest centre name shown in a line (in characters).
const NAME_CHARS: usize = 40;
/// Centres named per silent list under the report, and in `/silent`.
pub const REPORT_SILENT_LINES: usize = 5;
pub const COMMAND_SILENT_LINES: usize = 25;

/// The centres part of the supervisor's report: the ranking, then the silent centres.
pub fn render_centres(
    catalog: &Catalog,
    table: &CentreTable,
    last_year: &BTreeMap<CentreId, Totals>,
    silence: &Silence,
    lang: Lang,
) -> String {
    let ranked = table.ranked();
    let active = table.rows.iter().filter(|r| r.total.sessions > 0).count();
    let mut lines = vec![catalog.render(
        "report.by_centre_heading",
        lang,
        &[
            ("centres", &format_count(ranked.len() as u64, lang)),
            ("active", &format_count(active as u64, lang)),
        ],
    )];
    let line = |rank: usize, row: &CentreRow| {
        let before = last_year.get(&row.centre).copied().unwrap_or_default();
        catalog.render(
            "report.by_centre_line",
            lang,
            &[
                ("rank", &(rank + 1).to_string()),
                ("centre", &escape_html(&truncate(&row.name, NAME_CHARS))),
                ("attendance", &format_count(row.total.attendance, lang)),
                ("classes", &format_count(row.total.classes, lang)),
                ("female", &format_count(row.total.female, lang)),
                (
                    "change",
                    &change_text(catalog, row.total.attendance, before.attendance, lang),
                ),
            ],
        )
    };
    if ranked.len() <= ALL_UP_TO {
        lines.extend(ranked.iter().enumerate().map(|(i, row)| line(i, row)));
    } else {
        lines.push(catalog.text("report.by_centre_largest", lang).to_owned());
        lines.extend(
            ranked
                .iter()
                .enumerate()
                .take(EACH_END)
                .map(|(i, row)| line(i, row)),
        );
        lines.push(catalog.text("report.by_centre_smallest", lang).to_owned());
        let from = ranked.len() - EACH_END;
        lines.extend(
            ranked
                .iter()
                .enumerate()
                .skip(from)
                .map(|(i, row)| line(i, row)),
        );
        lines.push(catalog.render(
            "report.by_centre_more",
            lang,
            &[(
                "count",
                &format_count((ranked.len() - 2 * EACH_END) as u64, lang),
            )],
        ));
    }
    if !silence.is_empty() {
        lines.push(String::new());
        lines.push(render_silence(catalog, silence, REPORT_SILENT_LINES, lang));
    }
    lines.join("\n")
}

/// The silent centres: a heading and each non-empty list, at most `limit` centres a list.
pub fn render_silence(catalog: &Catalog, silence: &Silence, limit: usize, lang: Lang) -> String {
    let mut lines = vec![catalog.render(
        "silent.heading",
        lang,
        &[("today", &format_date(silence.today))],
    )];
    if silence.is_empty() {
        lines.push(catalog.render("silent.none", lang, &[("days", &silence.days.to_string())]));
        return lines.join("\n");
    }
    let days = silence.days.to_string();
    for (key, list) in [
        ("silent.idle_in_period", &silence.idle_in_period),
        ("silent.quiet", &silence.quiet),
        ("silent.no_members", &silence.no_members),
    ] {
        if list.is_empty() {
            continue;
        }
        lines.push(catalog.render(
            key,
            lang,
            &[
                ("count", &format_count(list.len() as u64, lang)),
                ("days", &days),
            ],
        ));
        lines.extend(
            list.iter()
                .take(limit)
                .map(|centre| silent_line(catalog, centre, lang)),
        );
        if list.len() > limit {
            lines.push(catalog.render(
                "silent.and_more",
                lang,
                &[("count", &format_count((list.len() - limit) as u64, lang))],
            ));
        }
    }
    lines.join("\n")
}

fn silent_line(catalog: &Catalog, centre: &SilentCentre, lang: Lang) -> String {
    let name = escape_html(&truncate(&centre.name, NAME_CHARS));
    match centre.last_session {
        Some(day) => catalog.render(
            "silent.last_session",
            lang,
            &[("centre", &name), ("date", &format_date(day))],
        ),
        None => catalog.render("silent.never", lang, &[("centre", &name)]),
    }
}
