//! What a report needs from the store, gathered in one read, and the files sent with it
//! (spreadsheet, CSV, chart). Shared by the bot's `/report` (its files are built by the
//! report worker, off the writer) and the `report` subcommand.

use super::{
    build, chart, sessions_csv, xlsx, CentreTotals, ChartReport, FileError, ReportTable, XlsxReport,
};
use crate::dialog::Catalog;
use crate::domain::{CentreId, ClassId, ClassRecord, Lang, Period, SessionRecord, Totals};
use crate::format::format_date;
use crate::store::{Source, StoreError, View};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The totals of a report: one centre's, or the roll-up of every centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportData {
    /// The centre's name, or what the roll-up is called.
    pub name: String,
    pub per_group: BTreeMap<String, Totals>,
    /// One line per centre (every centre, zeros included) for the roll-up.
    pub centres: Option<Vec<CentreTotals>>,
}

impl ReportData {
    /// Reads the totals of `centre` (`None`: every centre) over `period`.
    pub fn gather<S: Source>(
        view: &View<S>,
        catalog: &Catalog,
        centre: Option<CentreId>,
        period: Period,
        lang: Lang,
    ) -> Result<ReportData, StoreError> {
        if let Some(id) = centre {
            return Ok(ReportData {
                name: view.centre_name(id)?.unwrap_or_default(),
                per_group: view.group_totals(Some(id), period)?,
                centres: None,
            });
        }
        // One pass per centre gives both the centre lines and, summed, the table
        // (classes belong to one centre, so their counts add up).
        let by_centre = view.group_totals_by_centre(period)?;
        let mut per_group: BTreeMap<String, Totals> = BTreeMap::new();
        for groups in by_centre.values() {
            for (group, totals) in groups {
                let sum = per_group.entry(group.clone()).or_default();
                *sum = *sum + *totals;
            }
        }
        let centres = view
            .centres()?
            .into_iter()
            .map(|(id, name)| CentreTotals {
                centre: id,
                name,
                totals: by_centre.get(&id).map_or_else(Totals::default, |groups| {
                    groups.values().fold(Totals::default(), |sum, t| sum + *t)
                }),
            })
            .collect();
        Ok(ReportData {
            name: catalog.text("access.all_centres", lang).to_owned(),
            per_group,
            centres: Some(centres),
        })
    }

    /// Table III.2 of these totals.
    pub fn table(&self, catalog: &Catalog, lang: Lang) -> ReportTable {
        build(catalog, &self.per_group, lang)
    }
}

/// The files attached to a report in the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    pub xlsx_name: String,
    pub xlsx: Vec<u8>,
    pub csv_name: String,
    pub csv: Vec<u8>,
    /// The chart, when the period has sessions.
    pub chart: Option<Vec<u8>>,
}

/// What a report's files are made of besides its totals: every session of the period,
/// their classes and the monthly sums of the chart. Read on a snapshot, then built with
/// `report_files` after the snapshot is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSources {
    pub sessions: Vec<SessionRecord>,
    pub classes: BTreeMap<ClassId, ClassRecord>,
    pub months: BTreeMap<NaiveDate, Totals>,
}

impl FileSources {
    /// Reads the sessions, classes and monthly sums of `centre` (`None`: every centre)
    /// over `period`.
    pub fn read<S: Source>(
        view: &View<S>,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<FileSources, StoreError> {
        let sessions = view.sessions(centre, period)?;
        let classes = view.classes_of(&sessions)?;
        let months = view.month_totals(centre, period)?;
        Ok(FileSources {
            sessions,
            classes,
            months,
        })
    }
}

/// Builds the files of a report from its totals and sources (no store involved).
pub fn report_files(
    catalog: &Catalog,
    data: &ReportData,
    sources: &FileSources,
    period: Period,
    lang: Lang,
) -> Result<ReportFiles, FileError> {
    let FileSources {
        sessions,
        classes,
        months,
    } = sources;
    let table = data.table(catalog, lang);
    let stem = format!(
        "bao-cao-{}-{}",
        format_date(period.from).replace('/', "-"),
        format_date(period.to).replace('/', "-")
    );
    let xlsx = xlsx(&XlsxReport {
        catalog,
        table: &table,
        centre_name: &data.name,
        period,
        lang,
        sessions,
        classes,
        centres: data.centres.as_deref(),
    })?;
    let chart = if table.total.sessions > 0 || table.total.attendance > 0 {
        Some(chart(&ChartReport {
            catalog,
            table: &table,
            months,
            centre_name: &data.name,
            period,
            lang,
        })?)
    } else {
        None
    };
    Ok(ReportFiles {
        xlsx_name: format!("{stem}.xlsx"),
        xlsx,
        csv_name: format!("{stem}.csv"),
        csv: sessions_csv(catalog, sessions, classes, lang),
        chart,
    })
}
