//! The supervisor's roll-up through the real store (issue 15): the centre × group table,
//! the same period a year earlier, the chat's compact form and the workbook's sheets.
//!
//! The property test fills a real redb file with random sessions over several centres
//! and checks, for random periods: the table's total row is the summed table III.2 (and a
//! recount of the sessions), each centre's row is that centre's own report, and the "last
//! year" numbers are the report of the same period a year earlier.

use calamine::{Data, Reader, Xlsx};
use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::{CentreId, ClassChoice, Lang, NewSession, Period, Totals};
use rollcall::report::by_centre::centre_table;
use rollcall::report::centres_chat::{render_centres, render_silence, COMMAND_SILENT_LINES};
use rollcall::report::compare::{render_comparison, year_earlier};
use rollcall::report::silent::{silent_centres, Activity};
use rollcall::report::{self, ReportData};
use rollcall::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::Path;

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs load")
}

const GROUPS: [&str; 4] = ["law", "health", "arts_sports", "literacy"];
const CLASSES: [&str; 3] = ["Một", "Hai", "Ba"];
const CENTRES: usize = 4;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The first day sessions can fall on: 1 January 2025; they span two years.
fn day(offset: u32) -> NaiveDate {
    date(2025, 1, 1) + Days::new(u64::from(offset))
}

/// One generated session: (centre index, group, class, day offset, total, female share).
type Generated = (usize, usize, usize, u32, u32, u32);

fn session() -> impl Strategy<Value = Generated> {
    (
        0..CENTRES,
        0..GROUPS.len(),
        0..CLASSES.len(),
        0u32..730,
        0u32..200,
        0u32..=100,
    )
}

/// Fills a new file: centres 1..=CENTRES (the last one has no sessions), the sessions.
fn fill(path: &Path, sessions: &[Generated]) -> (Store, Vec<CentreId>) {
    let store = Store::open(path).expect("open");
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("instant");
    let ids = store
        .write(|tx| {
            let ids: Vec<CentreId> = (0..CENTRES)
                .map(|i| tx.ensure_centre(&format!("Trung tâm {i}")))
                .collect::<Result<_, _>>()?;
            for (centre, group, class, offset, total, share) in sessions {
                tx.save_session(&NewSession {
                    centre: ids[*centre],
                    organiser: 7,
                    group: GROUPS[*group].to_owned(),
                    class: ClassChoice::New {
                        name: CLASSES[*class].to_owned(),
                        key: CLASSES[*class].to_lowercase(),
                    },
                    date: day(*offset),
                    total: *total,
                    female: total * share / 100,
                    extra: BTreeMap::new(),
                    created_at: at,
                })?;
            }
            Ok(ids)
        })
        .expect("filled");
    (store, ids)
}

/// The per-group totals of one centre (`None`: all) over `period`, counted from the
/// generated sessions themselves (classes: distinct names per centre and group).
fn recount(
    sessions: &[Generated],
    ids: &[CentreId],
    centre: Option<CentreId>,
    period: Period,
) -> BTreeMap<String, Totals> {
    let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
    let mut classes: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    for (c, g, k, offset, total, share) in sessions {
        if centre.is_some_and(|id| id != ids[*c]) || !period.contains(day(*offset)) {
            continue;
        }
        let t = totals.entry(GROUPS[*g].to_owned()).or_default();
        t.sessions += 1;
        t.attendance += u64::from(*total);
        t.female += u64::from(total * share / 100);
        if classes.insert((*c, *g, *k)) {
            t.classes += 1;
        }
    }
    totals
}

/// The period from day offset `from` lasting `days` days, inside the second year.
fn period_in_2026(from: u32, days: u32) -> Period {
    let start = date(2026, 1, 1) + Days::new(u64::from(from));
    let end = (start + Days::new(u64::from(days))).min(date(2026, 12, 31));
    Period::new(start, end).expect("ordered")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_centre_table_adds_up_to_the_summed_report_and_each_row_is_the_centre_s_report(
        sessions in proptest::collection::vec(session(), 0..60),
        from in 0u32..365,
        days in 0u32..400,
    ) {
        // The last centre never logs anything, so every table has a row of zeros.
        let sessions: Vec<Generated> = sessions
            .into_iter()
            .map(|s| (s.0 % (CENTRES - 1), s.1, s.2, s.3, s.4, s.5))
            .collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, ids) = fill(&dir.path().join("p.redb"), &sessions);
        let catalog = catalog();
        let lang = Lang::Vi;
        // Every way the store counts a roll-up: a period cutting months, a whole year and
        // a year to date (the classes' first days), whole months (the months' classes).
        let some_day = period_in_2026(from, 0).from;
        let month_first = some_day.with_day(1).expect("first of the month");
        let month_last = (month_first + chrono::Months::new(days % 3 + 1)).pred_opt().expect("a day");
        let periods = [
            period_in_2026(from, days),
            Period::new(date(2026, 1, 1), date(2026, 12, 31)).expect("year"),
            Period::new(date(2026, 1, 1), some_day).expect("year to date"),
            Period::new(month_first, month_last.min(date(2026, 12, 31))).expect("whole months"),
        ];
        for period in periods {
            let earlier = year_earlier(period);
            let (data, summed, earlier_all, own, own_earlier) = store
                .read(|tx| {
                    let data = ReportData::gather(tx, &catalog, None, period, lang)?;
                    let summed = tx.group_totals(None, period)?;
                    let earlier_all = ReportData::gather(tx, &catalog, None, earlier, lang)?;
                    let mut own = Vec::new();
                    let mut own_earlier = Vec::new();
                    for id in &ids {
                        own.push(ReportData::gather(tx, &catalog, Some(*id), period, lang)?);
                        own_earlier.push(ReportData::gather(tx, &catalog, Some(*id), earlier, lang)?);
                    }
                    Ok((data, summed, earlier_all, own, own_earlier))
                })
                .expect("read");
            let roll_up = data.roll_up.as_ref().expect("the roll-up has its table");
            let table = &roll_up.table;

            // The total row is table III.2 summed over every centre, and a recount.
            prop_assert_eq!(&table.summed, &report::build(&catalog, &summed, lang));
            prop_assert_eq!(&table.summed, &data.table(&catalog, lang));
            prop_assert_eq!(&summed, &recount(&sessions, &ids, None, period));
            for (k, column) in table.columns().iter().enumerate() {
                let sum = table.rows.iter().fold(Totals::default(), |s, r| s + r.cells[k]);
                prop_assert_eq!(sum, column.totals, "column {}", &column.group);
            }
            prop_assert_eq!(table.rows.len(), CENTRES);

            // Each centre's row is that centre's own report, and its last-year numbers
            // are its report of the same period a year earlier.
            for (i, row) in table.rows.iter().enumerate() {
                prop_assert_eq!(row.centre, ids[i]);
                let cells: BTreeMap<String, Totals> = table
                    .columns()
                    .iter()
                    .zip(&row.cells)
                    .filter(|(_, t)| t.sessions > 0)
                    .map(|(c, t)| (c.group.clone(), *t))
                    .collect();
                prop_assert_eq!(&cells, &own[i].per_group);
                prop_assert_eq!(&cells, &recount(&sessions, &ids, Some(ids[i]), period));
                prop_assert_eq!(row.total, own[i].table(&catalog, lang).total);
                let before = roll_up.last_year.get(&ids[i]).copied().unwrap_or_default();
                prop_assert_eq!(before, own_earlier[i].table(&catalog, lang).total);
                // A centre's own report compares with its own year-earlier report.
                prop_assert_eq!(&own[i].last_year, &own_earlier[i].per_group);
            }

            // The "last year" numbers of the roll-up are the report of that period.
            prop_assert_eq!(&data.last_year, &earlier_all.per_group);
            let comparison = data.comparison(&catalog, lang);
            prop_assert_eq!(comparison.earlier, earlier);
            prop_assert_eq!(comparison.before, earlier_all.table(&catalog, lang).total);
            prop_assert_eq!(comparison.now, data.table(&catalog, lang).total);
            for row in &comparison.rows {
                let then = earlier_all.per_group.get(&row.group).copied().unwrap_or_default();
                prop_assert_eq!(row.before, then);
            }
        }
    }
}

#[test]
fn last_year_is_the_report_of_the_same_months_a_year_earlier_through_the_store() {
    // Whole months keep their ends: February 2025 beside all of February 2024.
    let sessions: Vec<Generated> = Vec::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, ids) = fill(&dir.path().join("f.redb"), &sessions);
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("instant");
    store
        .write(|tx| {
            for (d, total) in [(date(2024, 2, 29), 10), (date(2025, 2, 28), 30)] {
                tx.save_session(&NewSession {
                    centre: ids[0],
                    organiser: 7,
                    group: "law".to_owned(),
                    class: ClassChoice::New {
                        name: "Luật".to_owned(),
                        key: "luat".to_owned(),
                    },
                    date: d,
                    total,
                    female: 5,
                    extra: BTreeMap::new(),
                    created_at: at,
                })?;
            }
            Ok(())
        })
        .expect("saved");
    let catalog = catalog();
    let february = Period::new(date(2025, 2, 1), date(2025, 2, 28)).expect("period");
    let data = store
        .read(|tx| ReportData::gather(tx, &catalog, Some(ids[0]), february, Lang::Vi))
        .expect("read");
    let comparison = data.comparison(&catalog, Lang::Vi);
    assert_eq!(
        comparison.earlier,
        Period::new(date(2024, 2, 1), date(2024, 2, 29)).expect("period")
    );
    assert_eq!(
        (comparison.now.attendance, comparison.before.attendance),
        (30, 10)
    );
    let html = render_comparison(&catalog, &comparison, Lang::Vi);
    assert!(
        html.contains("Lượt người: <b>30</b>, năm trước 10 (+20; +200,0%)"),
        "{html}"
    );
}

/// A thousand centres with long names, some silent: what the chat shows.
fn province(
    catalog: &Catalog,
) -> (
    report::by_centre::CentreTable,
    Activity,
    Vec<(CentreId, String)>,
) {
    let centres: Vec<(CentreId, String)> = (1..=1_000u64)
        .map(|i| (i, format!("TTHTCĐ {i:04} & <b> {}", "rất dài ".repeat(12))))
        .collect();
    let by_centre: BTreeMap<CentreId, BTreeMap<String, Totals>> = (1..=990u64)
        .map(|i| {
            let totals = Totals {
                classes: i % 17,
                sessions: i,
                attendance: 9_999_000 + i,
                female: i,
            };
            (i, BTreeMap::from([("law".to_owned(), totals)]))
        })
        .collect();
    let table = centre_table(catalog, &centres, &by_centre, Lang::Vi);
    let activity = Activity {
        last_session: (1..=995u64)
            .map(|i| (i, date(2026, 1, 1) + Days::new(i % 300)))
            .collect(),
        members: (1..=990u64).map(|i| (i, 3)).collect(),
    };
    (table, activity, centres)
}

#[test]
fn the_chat_shows_the_largest_and_smallest_of_a_thousand_centres_within_telegram_s_limit() {
    let catalog = catalog();
    let (table, activity, centres) = province(&catalog);
    let today = date(2026, 12, 31);
    for lang in Lang::ALL {
        let active: BTreeSet<CentreId> = (1..=990).collect();
        let silence = silent_centres(&centres, &activity, Some(&active), today, 30);
        let html = render_centres(&catalog, &table, &BTreeMap::new(), &silence, lang);
        let chars = html.chars().count();
        assert!(chars < 4_000, "{chars} characters in {lang:?}");
        // The five largest (centre 990 has the most) and the five smallest (the ten
        // centres without sessions, by name: 991…995 are the last five).
        assert!(html.contains("1. <b>TTHTCĐ 0990 &amp; &lt;b&gt;"), "{html}");
        assert!(html.contains("1000. <b>TTHTCĐ 1000"), "{html}");
        assert!(!html.contains("TTHTCĐ 0500"), "the middle is in the file");
        // Centres without members are listed apart from the silent ones.
        let silent = render_silence(&catalog, &silence, COMMAND_SILENT_LINES, lang);
        assert!(silent.chars().count() < 4_000);
        let all = silent_centres(&centres, &activity, None, today, 30);
        assert_eq!(all.no_members.len(), 10);
        assert!(all.quiet.iter().all(|c| c.centre <= 990));
        let silent = render_silence(&catalog, &all, COMMAND_SILENT_LINES, lang);
        assert!(silent.chars().count() < 4_000, "{}", silent.chars().count());
    }
}

fn number(value: Option<&Data>) -> f64 {
    match value {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn string(value: Option<&Data>) -> String {
    match value {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text, got {other:?}"),
    }
}

#[test]
fn the_workbook_has_the_centre_sheet_and_the_comparison_sheet() {
    let sessions: Vec<Generated> = vec![
        (0, 0, 0, 400, 50, 40),
        (0, 1, 1, 410, 30, 50),
        (1, 0, 2, 420, 20, 50),
        (1, 0, 2, 55, 40, 50),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = fill(&dir.path().join("w.redb"), &sessions);
    let catalog = catalog();
    let period = Period::new(date(2026, 1, 1), date(2026, 12, 31)).expect("year");
    let (data, sessions, classes) = store
        .read(|tx| {
            let sessions = tx.sessions(None, period)?;
            let classes = tx.classes_of(&sessions)?;
            Ok((
                ReportData::gather(tx, &catalog, None, period, Lang::Vi)?,
                sessions,
                classes,
            ))
        })
        .expect("read");
    let table = data.table(&catalog, Lang::Vi);
    let comparison = data.comparison(&catalog, Lang::Vi);
    let roll_up = data.roll_up.as_ref().expect("roll-up");
    let bytes = report::xlsx_with(
        &report::XlsxReport {
            catalog: &catalog,
            table: &table,
            centre_name: &data.name,
            period,
            lang: Lang::Vi,
            sessions: &sessions,
            classes: &classes,
            centres: data.centres.as_deref(),
        },
        &report::XlsxExtras {
            centres: Some(roll_up.sheet()),
            comparison: Some(&comparison),
        },
    )
    .expect("xlsx");
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("calamine reads it");
    assert_eq!(
        book.sheet_names(),
        ["Báo cáo", "Buổi học", "Theo trung tâm", "So với cùng kỳ"]
    );
    let sheet = book
        .worksheet_range("Theo trung tâm")
        .expect("centre sheet");
    // Header rows 5 and 6 (0-based 4 and 5), then one row per centre, then "Cộng".
    assert_eq!(string(sheet.get_value((4, 1))), "Trung tâm");
    assert_eq!(
        string(sheet.get_value((4, 2))),
        format!("1. {}", table.rows[0].official_name)
    );
    assert_eq!(string(sheet.get_value((5, 3))), "Tổng số");
    assert_eq!(string(sheet.get_value((6, 1))), "Trung tâm 0");
    let total_row = 6 + 4;
    assert_eq!(string(sheet.get_value((total_row, 1))), "Cộng");
    let groups = table.rows.len() as u32;
    let totals_col = 2 + 3 * groups;
    // The total row's totals are table III.2 summed; the law column (group 3) too.
    assert_eq!(
        number(sheet.get_value((total_row, totals_col + 1))),
        table.total.attendance as f64
    );
    assert_eq!(number(sheet.get_value((total_row, totals_col + 1))), 100.0);
    let law = table
        .rows
        .iter()
        .position(|r| r.group == "law")
        .expect("law") as u32;
    assert_eq!(number(sheet.get_value((total_row, 2 + 3 * law + 1))), 70.0);
    // Last year: centre 1's 40 attendances on 25 February 2025.
    assert_eq!(number(sheet.get_value((7, totals_col + 3 + 1))), 40.0);
    assert_eq!(
        number(sheet.get_value((total_row, totals_col + 3 + 1))),
        40.0
    );
    // The change and its percentage: +60, +150%.
    assert_eq!(number(sheet.get_value((total_row, totals_col + 6))), 60.0);
    assert_eq!(number(sheet.get_value((total_row, totals_col + 7))), 1.5);

    let sheet = book
        .worksheet_range("So với cùng kỳ")
        .expect("comparison sheet");
    let law_row = 6 + law;
    assert_eq!(
        string(sheet.get_value((law_row, 1))),
        table.rows[law as usize].official_name
    );
    // Tổng số: this period, last year, change, percentage (columns 6 to 9).
    assert_eq!(number(sheet.get_value((law_row, 6))), 70.0);
    assert_eq!(number(sheet.get_value((law_row, 7))), 40.0);
    assert_eq!(number(sheet.get_value((law_row, 8))), 30.0);
    assert_eq!(number(sheet.get_value((law_row, 9))), 0.75);
}
