//! `rollcall report --db a.redb --db b.redb …`: the roll-up of every centre of several
//! databases (a province that runs one bot per area), each centre named with its file's
//! label (`a: TTHTCĐ phường Tràng An`): the file's stem, or the LABEL of `--db LABEL=PATH`.
//!
//! The bots may be running on those files: each is copied into a temporary folder
//! without ever being written (`Store::open_copy`, which says how a file in use is copied
//! and verified), and the report reads the copies. With one `--db` the report is the
//! ordinary one (`print_report`).

use super::report::{print_report, ReportArgs};
use super::Format;
use crate::app::load_catalog;
use crate::config::Settings;
use crate::console;
use crate::dialog::Catalog;
use crate::domain::{Lang, Now, Period};
use crate::format::format_count;
use crate::report::{self, merge, silent::Activity};
use crate::store::{CopyKind, Store};
use anyhow::{bail, Context};
use clap::{ArgAction, Args};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The settings of `report`: those of every subcommand, but `--db` may be given more
/// than once.
#[derive(Debug, Clone, Args)]
pub struct ReportSettings {
    /// The redb database file; give it several times for the roll-up of several files,
    /// each as PATH (labelled with the file's stem) or LABEL=PATH.
    #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb", action = ArgAction::Append, value_name = "[LABEL=]FILE")]
    pub db: Vec<String>,
    /// A folder with the centre's own dialog files; without it the built-in dialogs.
    #[arg(long, env = "ROLLCALL_DIALOGS", value_name = "DIR")]
    pub dialogs: Option<PathBuf>,
    /// The time zone that decides what "today" is for the centres.
    #[arg(long, env = "ROLLCALL_ZONE", default_value = "Asia/Ho_Chi_Minh")]
    pub zone: chrono_tz::Tz,
}

/// One `--db`: where the file is and what its centres are labelled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub label: String,
    pub path: PathBuf,
}

/// Reads one `--db` value: `LABEL=PATH`, or a path (an existing file whose name holds a
/// `=` is a path), labelled with the file's stem.
pub fn database(text: &str) -> anyhow::Result<Database> {
    let whole = Path::new(text);
    if let Some((label, path)) = text.split_once('=') {
        if !whole.exists() {
            let label = label.trim();
            if label.is_empty() || path.is_empty() {
                bail!("--db {text:?}: write LABEL=PATH, or only the PATH");
            }
            return Ok(Database {
                label: label.to_owned(),
                path: PathBuf::from(path),
            });
        }
    }
    let label = whole
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.is_empty())
        .with_context(|| format!("--db {text:?} names no file"))?;
    Ok(Database {
        label,
        path: whole.to_path_buf(),
    })
}

/// `rollcall report`: the ordinary report for one `--db`, the roll-up over all of them
/// for several.
pub(crate) fn report(settings: &ReportSettings, args: &ReportArgs<'_>) -> anyhow::Result<()> {
    if let [db] = settings.db.as_slice() {
        let single = Settings {
            db: PathBuf::from(db),
            dialogs: settings.dialogs.clone(),
            zone: settings.zone,
        };
        return print_report(&single, args);
    }
    let databases = settings
        .db
        .iter()
        .map(|text| database(text))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut labels = BTreeSet::new();
    for db in &databases {
        if !labels.insert(db.label.as_str()) {
            bail!(
                "two --db are labelled {:?}: name them apart with --db LABEL=PATH",
                db.label
            );
        }
    }
    print_multi(settings, &databases, args)
}

fn print_multi(
    settings: &ReportSettings,
    databases: &[Database],
    args: &ReportArgs<'_>,
) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};

    let lang = Lang::from_code(args.lang).context("--lang must be vi or en")?;
    if args.centre.is_some() && !args.all {
        bail!("--centre names a centre of one file: with several --db the report is the roll-up of every centre");
    }
    if args.format == Format::Docx {
        bail!("--format docx takes one --db (the document carries one file's written parts)");
    }
    if args.format.is_binary() && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "--format {:?} writes a binary file: add --out FILE (or redirect standard output)",
            args.format
        );
    }
    let catalog = load_catalog(settings.dialogs.as_deref())?;
    let today = Now::in_zone(chrono::Utc::now(), settings.zone).today;
    let period = match args.period {
        Some(text) => crate::parse::period(text)
            .with_context(|| format!("cannot understand the period {text:?}; try 2020, 1-10/2020, 01/2020-10/2020 or 2020-01-01..2020-10-31"))?,
        None => Period::reporting_year_to_date(args.year_start, today),
    };
    let needs_sessions = matches!(args.format, Format::Csv | Format::Xlsx);
    let copies = tempfile::tempdir().context("making a temporary folder for the copies")?;
    let mut parts = Vec::with_capacity(databases.len());
    for (i, db) in databases.iter().enumerate() {
        let copy = copies.path().join(format!("{i}.redb"));
        let opened = Store::open_copy(&db.path, &copy)
            .with_context(|| format!("reading {} ({})", db.path.display(), db.label))?;
        match opened.kind {
            CopyKind::Quiet => {}
            CopyKind::Live { attempts } => tracing::info!(
                path = %db.path.display(),
                attempts,
                "the file is in use (a bot runs on it): read from a verified copy"
            ),
            CopyKind::Unclean => tracing::warn!(
                path = %db.path.display(),
                "the file was not closed cleanly: read from a repaired copy"
            ),
        }
        let part = opened.store.read(|tx| {
            let sessions = if needs_sessions {
                tx.sessions(None, period)?
            } else {
                Vec::new()
            };
            let classes = tx.classes_of(&sessions)?;
            let months = if args.format == Format::Png {
                tx.month_totals(None, period)?
            } else {
                Default::default()
            };
            Ok(merge::Part {
                label: db.label.clone(),
                centres: tx.centres()?,
                now: tx.group_totals_by_centre(period)?,
                before: tx.group_totals_by_centre(report::compare::year_earlier(period))?,
                activity: Activity {
                    last_session: tx.last_session_days()?,
                    members: tx.member_counts()?,
                },
                sessions,
                classes,
                months,
            })
        })?;
        parts.push(part);
    }
    let name = catalog.text("access.all_centres", lang).to_owned();
    let merged = merge::merge(&catalog, name, period, parts, lang);
    let bytes = render(&catalog, &merged, args.format, lang)?;
    match args.out {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("writing the report to {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

/// The merged roll-up in `format` (every format but the document).
fn render(
    catalog: &Catalog,
    merged: &merge::Merged,
    format: Format,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let data = &merged.data;
    let period = data.period;
    let table = data.table(catalog, lang);
    Ok(match format {
        Format::Text => {
            let html = report::render_chat(catalog, &table, &data.name, period, lang);
            let mut text = console::plain_text(&html);
            for line in data.centres.iter().flatten() {
                text.push_str(&format!(
                    "\n{}: {}",
                    line.name,
                    catalog.render(
                        "report.row_numbers",
                        lang,
                        &[
                            ("classes", &format_count(line.totals.classes, lang)),
                            ("attendance", &format_count(line.totals.attendance, lang)),
                            ("female", &format_count(line.totals.female, lang)),
                        ],
                    )
                ));
            }
            text.push('\n');
            text.into_bytes()
        }
        Format::Json => {
            let mut json = report::report_data_json(catalog, data, lang);
            json.push('\n');
            json.into_bytes()
        }
        Format::Csv => report::sessions_csv(catalog, &merged.sessions, &merged.classes, lang),
        Format::Centres => match &data.roll_up {
            Some(roll_up) => report::centres_csv(&roll_up.sheet(), lang),
            None => Vec::new(),
        },
        Format::Xlsx => {
            let comparison = data.comparison(catalog, lang);
            report::xlsx_with(
                &report::XlsxReport {
                    catalog,
                    table: &table,
                    centre_name: &data.name,
                    period,
                    lang,
                    sessions: &merged.sessions,
                    classes: &merged.classes,
                    centres: data.centres.as_deref(),
                },
                &report::XlsxExtras {
                    centres: data.roll_up.as_ref().map(report::RollUp::sheet),
                    comparison: comparison.has_data().then_some(&comparison),
                },
            )?
        }
        Format::Png => report::chart(&report::ChartReport {
            catalog,
            table: &table,
            months: &merged.months,
            centre_name: &data.name,
            period,
            lang,
        })?,
        Format::Docx => bail!("--format docx takes one --db"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_db_argument_is_a_path_or_a_label_and_a_path() {
        assert_eq!(
            database("data/ha-noi.redb").expect("a path"),
            Database {
                label: "ha-noi".to_owned(),
                path: PathBuf::from("data/ha-noi.redb"),
            }
        );
        assert_eq!(
            database("Hà Nội=/srv/a.redb").expect("label and path"),
            Database {
                label: "Hà Nội".to_owned(),
                path: PathBuf::from("/srv/a.redb"),
            }
        );
        assert!(database("=a.redb").is_err());
        assert!(database("label=").is_err());
        assert!(database("").is_err());
    }
}
