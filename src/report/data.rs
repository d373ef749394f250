//! What a report needs from the store, gathered in one read, and the files sent with it
//! (spreadsheet, CSV, chart). Shared by the bot's `/report` (its table and files are built
//! by the report worker, off the writer) and the `report` subcommand.

use super::by_centre::{centre_table, sum_groups, CentreTable};
use super::compare::{compare, year_earlier, Comparison};
use super::names::{chart_name, report_stem};
use super::silent::{silent_centres, Activity, Silence};
use super::xlsx_centres::CentreSheet;
use super::{
    chart, sessions_csv, xlsx_with, CentreTotals, ChartReport, FileError, ReportTable, XlsxExtras,
    XlsxReport,
};
use crate::dialog::Catalog;
use crate::domain::{CentreId, ClassId, ClassRecord, Lang, Period, SessionRecord, Totals};
use crate::store::{Source, StoreError, View};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The totals of a report: one centre's, or the roll-up of every centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportData {
    /// The centre's name, or what the roll-up is called.
    pub name: String,
    pub period: Period,
    pub per_group: BTreeMap<String, Totals>,
    /// One line per centre (every centre, zeros included) for the roll-up.
    pub centres: Option<Vec<CentreTotals>>,
    /// The per-group totals of the same period a year earlier (`compare::year_earlier`).
    pub last_year: BTreeMap<String, Totals>,
    /// The roll-up's centre × group view; `None` for one centre.
    pub roll_up: Option<RollUp>,
}

/// What the roll-up of every centre adds: the centre × group table, each centre's
/// totals a year earlier, and what tells the silent centres.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollUp {
    pub table: CentreTable,
    /// Each centre's totals over the same period a year earlier (absent: nothing then).
    pub last_year: BTreeMap<CentreId, Totals>,
    pub activity: Activity,
}

impl RollUp {
    /// Builds the roll-up from the store's per-centre totals of the period and of the
    /// same period a year earlier (also what the report over several files uses).
    pub fn new(
        catalog: &Catalog,
        centres: &[(CentreId, String)],
        now: &BTreeMap<CentreId, BTreeMap<String, Totals>>,
        before: &BTreeMap<CentreId, BTreeMap<String, Totals>>,
        activity: Activity,
        lang: Lang,
    ) -> RollUp {
        RollUp {
            table: centre_table(catalog, centres, now, lang),
            last_year: before
                .iter()
                .map(|(id, groups)| (*id, groups.values().fold(Totals::default(), |s, t| s + *t)))
                .collect(),
            activity,
        }
    }

    /// The centres with a session in the period.
    pub fn active(&self) -> BTreeSet<CentreId> {
        self.table
            .rows
            .iter()
            .filter(|r| r.total.sessions > 0)
            .map(|r| r.centre)
            .collect()
    }

    /// The silent centres of the report as of `today`, "no session for `days` days".
    pub fn silence(&self, today: NaiveDate, days: u32) -> Silence {
        let centres: Vec<(CentreId, String)> = self
            .table
            .rows
            .iter()
            .map(|r| (r.centre, r.name.clone()))
            .collect();
        silent_centres(&centres, &self.activity, Some(&self.active()), today, days)
    }

    /// The sheet (and CSV) of the centre × group table.
    pub fn sheet(&self) -> CentreSheet<'_> {
        CentreSheet {
            table: &self.table,
            last_year: &self.last_year,
            activity: &self.activity,
        }
    }
}

impl ReportData {
    /// Reads the totals of `centre` (`None`: every centre) over `period`, and of the same
    /// period a year earlier.
    pub fn gather<S: Source>(
        tx: &View<S>,
        catalog: &Catalog,
        centre: Option<CentreId>,
        period: Period,
        lang: Lang,
    ) -> Result<ReportData, StoreError> {
        let earlier = year_earlier(period);
        if let Some(id) = centre {
            return Ok(ReportData {
                name: tx.centre_name(id)?.unwrap_or_default(),
                period,
                per_group: tx.group_totals(Some(id), period)?,
                centres: None,
                last_year: tx.group_totals(Some(id), earlier)?,
                roll_up: None,
            });
        }
        // One pass per centre gives both the centre rows and, summed, the table
        // (classes belong to one centre, so their counts add up).
        let now = tx.group_totals_by_centre(period)?;
        let before = tx.group_totals_by_centre(earlier)?;
        let activity = Activity {
            last_session: tx.last_session_days()?,
            members: tx.member_counts()?,
        };
        Ok(ReportData::roll_up(
            catalog.text("access.all_centres", lang).to_owned(),
            catalog,
            period,
            &tx.centres()?,
            &now,
            &before,
            activity,
            lang,
        ))
    }

    /// The roll-up of every centre from the per-centre totals of the period (`now`) and
    /// of the same period a year earlier (`before`).
    #[allow(clippy::too_many_arguments)]
    pub fn roll_up(
        name: String,
        catalog: &Catalog,
        period: Period,
        centres: &[(CentreId, String)],
        now: &BTreeMap<CentreId, BTreeMap<String, Totals>>,
        before: &BTreeMap<CentreId, BTreeMap<String, Totals>>,
        activity: Activity,
        lang: Lang,
    ) -> ReportData {
        let roll_up = RollUp::new(catalog, centres, now, before, activity, lang);
        let lines = roll_up
            .table
            .rows
            .iter()
            .map(|row| CentreTotals {
                centre: row.centre,
                name: row.name.clone(),
                totals: row.total,
            })
            .collect();
        ReportData {
            name,
            period,
            per_group: sum_groups(now.values()),
            centres: Some(lines),
            last_year: sum_groups(before.values()),
            roll_up: Some(roll_up),
        }
    }

    /// Table III.2 of these totals.
    pub fn table(&self, catalog: &Catalog, lang: Lang) -> ReportTable {
        super::build(catalog, &self.per_group, lang)
    }

    /// The period beside the same period a year earlier.
    pub fn comparison(&self, catalog: &Catalog, lang: Lang) -> Comparison {
        compare(catalog, self.period, &self.per_group, &self.last_year, lang)
    }

    /// The start of the files' names: `bao-cao-<centre>-<period>`, the centre being
    /// `tat-ca-trung-tam` for the roll-up.
    pub fn file_stem(&self) -> String {
        let centre = self.roll_up.is_none().then_some(self.name.as_str());
        report_stem(centre, self.period)
    }
}

/// The files attached to a report in the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    pub xlsx_name: String,
    pub xlsx: Vec<u8>,
    pub csv_name: String,
    pub csv: Vec<u8>,
    pub chart_name: String,
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
    let comparison = data.comparison(catalog, lang);
    let stem = data.file_stem();
    let build_xlsx = || {
        xlsx_with(
            &XlsxReport {
                catalog,
                table: &table,
                centre_name: &data.name,
                period,
                lang,
                sessions,
                classes,
                centres: data.centres.as_deref(),
            },
            &XlsxExtras {
                centres: data.roll_up.as_ref().map(RollUp::sheet),
                comparison: comparison.has_data().then_some(&comparison),
            },
        )
    };
    let build_rest = || -> Result<_, FileError> {
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
        Ok((chart, sessions_csv(catalog, sessions, classes, lang)))
    };
    // The workbook is most of the work for a big report (4.2 s of 7.3 for a province's
    // million sessions): it is built on a second thread while this one makes the CSV
    // and the chart. A small report is not worth a thread.
    let (xlsx, rest) = if sessions.len() > PARALLEL_FROM {
        std::thread::scope(|scope| {
            let workbook = scope.spawn(build_xlsx);
            let rest = build_rest();
            let xlsx = workbook.join().unwrap_or_else(|_| {
                Err(FileError::Xlsx("the workbook's thread panicked".to_owned()))
            });
            (xlsx, rest)
        })
    } else {
        (build_xlsx(), build_rest())
    };
    match (xlsx, rest) {
        (Ok(xlsx), Ok((chart, csv))) => Ok(ReportFiles {
            xlsx_name: format!("{stem}.xlsx"),
            xlsx,
            csv_name: format!("{stem}.csv"),
            csv,
            chart_name: chart_name(&stem),
            chart,
        }),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// From this many sessions the workbook is built beside the CSV and the chart.
const PARALLEL_FROM: usize = 20_000;
