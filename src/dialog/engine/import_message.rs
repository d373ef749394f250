//! The message that shows what the check of a sessions file found: the sessions it
//! would add (per group, a few examples, the new classes), every refused row with its
//! number and reason, and the rows worth a look.

use super::super::catalog::Catalog;
use crate::document::shorten;
use crate::domain::{ClassChoice, Lang};
use crate::format::{escape_html, format_count, format_date};
use crate::import::{AddedRow, ImportCheck, ReadProblem, RefusedRow, MAX_FILE_BYTES, MAX_ROWS};

/// Rows shown as examples of what would be added.
const EXAMPLES: usize = 3;

/// New class names listed by name in the check.
const NEW_CLASS_NAMES: usize = 5;

/// The most characters of the file's name shown.
const FILE_NAME_CHARS: usize = 60;

/// The check as a message (Telegram HTML) and the refused rows it could not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckMessage {
    pub html: String,
    /// Refused rows left out of `html` to keep it within `max_chars` (to be sent as a
    /// file); empty when every refused row is in the message.
    pub left_out: Vec<RefusedRow>,
}

/// The check as one message: the file and centre, the sessions it would add per group
/// with a few examples and the new classes, the rows worth a look, and every refused
/// row with its number and reason, as far as `max_chars` allows (the rest are returned,
/// to go into a file). `None` lists everything (the command line).
pub fn render_check(
    catalog: &Catalog,
    check: &ImportCheck,
    centre_name: &str,
    file_name: &str,
    lang: Lang,
    max_chars: Option<usize>,
) -> CheckMessage {
    let text = |key: &str, values: &[(&str, &str)]| catalog.render(key, lang, values);
    let count = |n: usize| format_count(n as u64, lang);
    let mut parts = vec![text(
        "import.heading",
        &[
            // A file's name is the sender's, of any length: shortened as a document's is.
            ("file", &escape_html(&shorten(file_name, FILE_NAME_CHARS))),
            ("centre", &escape_html(centre_name)),
            ("rows", &count(check.rows)),
        ],
    )];

    if check.added.is_empty() {
        parts.push(text("import.nothing", &[]));
    } else {
        let mut lines = vec![text(
            "import.will_add",
            &[("count", &count(check.added.len()))],
        )];
        for group in &catalog.groups {
            let n = check
                .added
                .iter()
                .filter(|row| row.session.group == group.id)
                .count();
            if n > 0 {
                lines.push(format!(
                    "• {}",
                    text(
                        "import.group_count",
                        &[
                            ("group", &escape_html(group.short.get(lang))),
                            ("count", &count(n)),
                        ],
                    )
                ));
            }
        }
        // New classes by group and key, as the store will create them.
        let mut new_classes: Vec<(&str, &str, &str)> = Vec::new();
        for row in &check.added {
            if let ClassChoice::New { name, key } = &row.session.class {
                let class = (row.session.group.as_str(), key.as_str(), name.as_str());
                if !new_classes.iter().any(|c| (c.0, c.1) == (class.0, class.1)) {
                    new_classes.push(class);
                }
            }
        }
        if !new_classes.is_empty() {
            let mut names: Vec<String> = new_classes
                .iter()
                .take(NEW_CLASS_NAMES)
                .map(|(_, _, name)| format!("«{}»", escape_html(name)))
                .collect();
            if new_classes.len() > NEW_CLASS_NAMES {
                names.push("…".to_owned());
            }
            lines.push(text(
                "import.new_classes",
                &[
                    ("count", &count(new_classes.len())),
                    ("names", &names.join(", ")),
                ],
            ));
        }
        lines.push(text("import.examples", &[]));
        for row in check.added.iter().take(EXAMPLES) {
            lines.push(format!("• {}", row_line(catalog, row, lang)));
        }
        parts.push(lines.join("\n"));
    }

    let noted: Vec<&AddedRow> = check.added.iter().filter(|r| !r.notes.is_empty()).collect();
    let refused_heading = text(
        "import.refused_heading",
        &[("count", &count(check.refused.len()))],
    );
    let unused = (!check.unused_columns.is_empty()).then(|| {
        let names: Vec<String> = check
            .unused_columns
            .iter()
            .map(|c| format!("«{}»", escape_html(c)))
            .collect();
        text("import.unused_columns", &[("columns", &names.join(", "))])
    });
    let fixed_len = parts.iter().map(String::len).sum::<usize>()
        + refused_heading.len()
        + unused.as_ref().map_or(0, String::len)
        + 200;
    let mut budget = max_chars.map(|max| max.saturating_sub(fixed_len));
    let mut fits = |line: &str| match &mut budget {
        None => true,
        Some(left) if *left > line.len() => {
            *left -= line.len() + 1;
            true
        }
        Some(_) => false,
    };

    let mut left_out = Vec::new();
    if !check.refused.is_empty() {
        let mut lines = vec![refused_heading];
        for (i, row) in check.refused.iter().enumerate() {
            let line = format!(
                "• {}",
                text(
                    "import.row_reason",
                    &[("row", &row.line.to_string()), ("reason", &row.reason)],
                )
            );
            if fits(&line) {
                lines.push(line);
            } else {
                left_out = check.refused[i..].to_vec();
                lines.push(text(
                    "import.more_refused",
                    &[("count", &count(left_out.len()))],
                ));
                break;
            }
        }
        parts.push(lines.join("\n"));
    }

    if !noted.is_empty() {
        let mut lines = vec![text(
            "import.notes_heading",
            &[("count", &count(noted.len()))],
        )];
        for (i, row) in noted.iter().enumerate() {
            let line = format!(
                "• {}",
                text(
                    "import.row_reason",
                    &[
                        ("row", &row.line.to_string()),
                        ("reason", &row.notes.join("; "))
                    ],
                )
            );
            if fits(&line) {
                lines.push(line);
            } else {
                lines.push(text(
                    "import.more_notes",
                    &[("count", &count(noted.len() - i))],
                ));
                break;
            }
        }
        parts.push(lines.join("\n"));
    }
    if let Some(unused) = unused {
        parts.push(unused);
    }
    CheckMessage {
        html: parts.join("\n\n"),
        left_out,
    }
}

/// One added row as the check shows it: "Dòng 2: 05/03/2026 · Sức khỏe · Phòng chống
/// dịch · 45 người, 30 nữ".
fn row_line(catalog: &Catalog, row: &AddedRow, lang: Lang) -> String {
    let s = &row.session;
    let group = catalog
        .group(&s.group)
        .map_or_else(|| s.group.clone(), |g| g.short.get(lang).to_owned());
    let numbers = catalog.render(
        "batch.numbers",
        lang,
        &[
            ("total", &format_count(u64::from(s.total), lang)),
            ("female", &format_count(u64::from(s.female), lang)),
        ],
    );
    let fields = [
        format_date(s.date),
        escape_html(&group),
        escape_html(&row.class_name),
        numbers,
    ];
    catalog.render(
        "import.row_reason",
        lang,
        &[
            ("row", &row.line.to_string()),
            ("reason", &fields.join(" · ")),
        ],
    )
}

/// Why a sessions file could not be used, in the reader's words (Telegram HTML).
pub fn problem_text(catalog: &Catalog, problem: &ReadProblem, lang: Lang) -> String {
    match problem {
        ReadProblem::TooLarge { size } => catalog.render(
            "import.too_large",
            lang,
            &[
                ("size", &megabytes(size.unwrap_or(MAX_FILE_BYTES + 1))),
                ("max", &megabytes(MAX_FILE_BYTES)),
            ],
        ),
        ReadProblem::TooManyRows => catalog.render(
            "import.too_many_rows",
            lang,
            &[("max", &format_count(MAX_ROWS as u64, lang))],
        ),
        ReadProblem::OtherSpreadsheet => catalog.text("import.other_spreadsheet", lang).to_owned(),
        ReadProblem::NotASpreadsheet => catalog.text("import.not_spreadsheet", lang).to_owned(),
        ReadProblem::NotUtf8 => catalog.text("import.not_utf8", lang).to_owned(),
        ReadProblem::Unreadable => catalog.text("import.unreadable", lang).to_owned(),
        ReadProblem::NoRows => catalog.text("import.no_rows", lang).to_owned(),
        ReadProblem::Download => catalog.text("import.download_failed", lang).to_owned(),
        ReadProblem::MissingColumns(columns) => {
            let names: Vec<String> = columns
                .iter()
                .map(|c| {
                    let label = catalog
                        .question(c.question())
                        .map_or(c.question(), |(_, q)| q.label.get(lang));
                    format!("«{}»", escape_html(label))
                })
                .collect();
            catalog.render(
                "import.missing_columns",
                lang,
                &[("columns", &names.join(", "))],
            )
        }
    }
}

/// A size in megabytes with one decimal ("2.1 MB" reads in both languages).
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) / (1024 * 1024);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}
