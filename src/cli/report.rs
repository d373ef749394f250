//! `rollcall report`: table III.2 and its files from the database, as the bot sends them.

use super::Format;
use crate::app::load_catalog;
use crate::config::Settings;
use crate::console;
use crate::domain::{Lang, Now, Period, YearStart};
use crate::format::format_count;
use crate::report;
use crate::store::Store;
use anyhow::{bail, Context};
use std::path::Path;

/// The `report` options other than the shared settings.
pub(super) struct ReportArgs<'a> {
    pub(super) period: Option<&'a str>,
    pub(super) format: Format,
    pub(super) lang: &'a str,
    pub(super) all: bool,
    pub(super) centre: Option<&'a str>,
    pub(super) out: Option<&'a Path>,
    /// Where the default period (no `--period`) begins: `period_start`.
    pub(super) year_start: YearStart,
}

/// `rollcall report`: the period report in one of the formats, to a file or standard output.
pub(super) fn print_report(settings: &Settings, args: &ReportArgs<'_>) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};

    let lang = Lang::from_code(args.lang).context("--lang must be vi or en")?;
    if args.format.is_binary() && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "--format {:?} writes a binary file: add --out FILE (or redirect standard output)",
            args.format
        );
    }
    let catalog = load_catalog(settings.dialogs.as_deref())?;
    let store = Store::open(&settings.db)
        .with_context(|| format!("opening the database {}", settings.db.display()))?;
    let today = Now::in_zone(chrono::Utc::now(), settings.zone).today;
    let period = match args.period {
        Some(text) => crate::parse::period(text)
            .with_context(|| format!("cannot understand the period {text:?}; try 2020, 1-10/2020, 01/2020-10/2020 or 2020-01-01..2020-10-31"))?,
        None => Period::reporting_year_to_date(args.year_start, today),
    };
    // `None` is the roll-up of every centre: with --all, or when no centre is named.
    let centre = match (args.all, args.centre) {
        (false, Some(name)) => Some(find_centre(&store, name)?),
        _ => None,
    };

    let data = store.read(|tx| report::ReportData::gather(tx, &catalog, centre, period, lang))?;
    let table = report::build(&catalog, &data.per_group, lang);

    let bytes: Vec<u8> = match args.format {
        Format::Text => {
            let html = report::render_chat(&catalog, &table, &data.name, period, lang);
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
            let mut json = report::report_data_json(&catalog, &data, lang);
            json.push('\n');
            json.into_bytes()
        }
        Format::Csv => {
            let (sessions, classes) = store.read(|tx| {
                let sessions = tx.sessions(centre, period)?;
                let classes = tx.classes_of(&sessions)?;
                Ok((sessions, classes))
            })?;
            report::sessions_csv(&catalog, &sessions, &classes, lang)
        }
        Format::Xlsx => {
            let (sessions, classes) = store.read(|tx| {
                let sessions = tx.sessions(centre, period)?;
                let classes = tx.classes_of(&sessions)?;
                Ok((sessions, classes))
            })?;
            let comparison = data.comparison(&catalog, lang);
            report::xlsx_with(
                &report::XlsxReport {
                    catalog: &catalog,
                    table: &table,
                    centre_name: &data.name,
                    period,
                    lang,
                    sessions: &sessions,
                    classes: &classes,
                    centres: data.centres.as_deref(),
                },
                &report::XlsxExtras {
                    centres: data.roll_up.as_ref().map(report::RollUp::sheet),
                    comparison: comparison.has_data().then_some(&comparison),
                },
            )?
        }
        Format::Png => {
            let months = store.read(|tx| tx.month_totals(centre, period))?;
            report::chart(&report::ChartReport {
                catalog: &catalog,
                table: &table,
                months: &months,
                centre_name: &data.name,
                period,
                lang,
            })?
        }
        Format::Centres => match &data.roll_up {
            Some(roll_up) => report::centres_csv(&roll_up.sheet(), lang),
            None => bail!("--format centres is the table of every centre: leave out --centre"),
        },
        Format::Docx => {
            // The document goes to the education office: its table is in Vietnamese
            // whatever --lang says.
            let table = report::build(&catalog, &data.per_group, Lang::Vi);
            let texts = store.read(|tx| tx.document_texts(centre))?;
            report::docx(&report::DocxReport {
                catalog: &catalog,
                table: &table,
                centre_name: &data.name,
                period,
                texts: &texts,
                date: today,
                centres: data.centres.as_deref(),
                comparison: Some(&data.comparison(&catalog, Lang::Vi)),
                centres_last_year: data.roll_up.as_ref().map(|r| &r.last_year),
            })?
        }
    };
    match args.out {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("writing the report to {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

/// The id of the centre called `name` (exactly, or ignoring case and spacing).
pub(super) fn find_centre(store: &Store, name: &str) -> anyhow::Result<crate::domain::CentreId> {
    let wanted = crate::parse::class_name(name).1;
    let centres = store.read(|tx| tx.centres())?;
    centres
        .iter()
        .find(|(_, n)| crate::parse::class_name(n).1 == wanted)
        .map(|(id, _)| *id)
        .with_context(|| {
            let known: Vec<&str> = centres.iter().map(|(_, n)| n.as_str()).collect();
            format!("no centre called {name:?}; centres: {}", known.join(", "))
        })
}
