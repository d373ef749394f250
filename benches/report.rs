//! Benchmarks of the period report on a big database: 1,000,000 sessions of 100 centres
//! over 5 years (2020–2024). Measures the chat report of one centre for one year
//! (`group_totals` + `build` + `render_chat`), the same for a year-to-date period that
//! ends inside a month, the roll-up of all centres, the XLSX of one centre's year and
//! the Word document of one centre's year (`/baocao`).
//!
//! The group `province` (issue 15) uses a second file: 1,000 centres with 1,000,000
//! sessions a year in 2023 and 2024 (`fill::PROVINCE`), and measures the supervisor's
//! chat report of every centre (summed table, same period last year, centre list, silent
//! centres; target < 200 ms), `/silent`, the centre × group table's files (the button),
//! and the report's files over a year of a million sessions (target < 10 s).
//!
//! The filled files are cached under `target/bench-data/` (they take a while to fill), so
//! reruns only measure. Run with `cargo bench --bench report` (`-- province` for the
//! province alone, which still fills the first file once).

use chrono::{Days, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::{ClassChoice, Lang, NewSession, Period};
use rollcall::report;
use rollcall::store::{Store, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "common/fill.rs"]
mod fill;

use fill::{centre_name, Rng, FILL_VERSION, PROVINCE};

const SESSIONS: u64 = 1_000_000;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalog() -> Catalog {
    load_dir(&manifest_dir().join("dialogs")).expect("the shipped dialogs load")
}

/// The folder of the cached databases.
fn bench_data() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| manifest_dir().join("target"), PathBuf::from);
    target.join("bench-data")
}

/// The cached province database (1,000 centres, two years of 1,000,000 sessions), filled
/// on first use.
fn province_database(catalog: &Catalog) -> PathBuf {
    let dir = bench_data();
    std::fs::create_dir_all(&dir).expect("creating target/bench-data");
    let path = dir.join(format!(
        "province-2m-s{SCHEMA_VERSION}-f{FILL_VERSION}.redb"
    ));
    if path.exists() {
        return path;
    }
    let partial = dir.join("province-2m.partial.redb");
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    fill::fill_shape(&partial, catalog, 2 * PROVINCE_SESSIONS_A_YEAR, &PROVINCE);
    std::fs::rename(&partial, &path).expect("renaming the filled database");
    eprintln!(
        "filled {} with {} sessions in {:.1?}",
        path.display(),
        2 * PROVINCE_SESSIONS_A_YEAR,
        started.elapsed()
    );
    path
}

/// Sessions a year in the province file.
const PROVINCE_SESSIONS_A_YEAR: u64 = 1_000_000;

/// The cached database, filled on first use.
fn database(catalog: &Catalog) -> PathBuf {
    let dir = bench_data();
    std::fs::create_dir_all(&dir).expect("creating target/bench-data");
    let path = dir.join(format!("report-1m-s{SCHEMA_VERSION}-f{FILL_VERSION}.redb"));
    if path.exists() {
        return path;
    }
    let partial = dir.join("report-1m.partial.redb");
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    fill::fill(&partial, catalog, SESSIONS);
    std::fs::rename(&partial, &path).expect("renaming the filled database");
    eprintln!(
        "filled {} with {SESSIONS} sessions in {:.1?}",
        path.display(),
        started.elapsed()
    );
    path
}

fn year(y: i32) -> Period {
    Period::new(
        NaiveDate::from_ymd_opt(y, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(y, 12, 31).expect("date"),
    )
    .expect("period")
}

fn benches(c: &mut Criterion) {
    let catalog = catalog();
    let path = database(&catalog);
    let store = Store::open(&path).expect("open the filled database");
    let centre = store
        .read(|tx| tx.centre_by_name(&centre_name(42)))
        .expect("read")
        .expect("centre 42 exists");
    let lang = Lang::Vi;
    let period = year(2023);
    let year_to_date = Period::new(
        NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2024, 6, 15).expect("date"),
    )
    .expect("period");

    let chat = |period: Period| {
        let (per_group, name) = store
            .read(|tx| {
                Ok((
                    tx.group_totals(Some(centre), period)?,
                    tx.centre_name(centre)?,
                ))
            })
            .expect("read");
        let table = report::build(&catalog, &per_group, lang);
        report::render_chat(&catalog, &table, &name.unwrap_or_default(), period, lang)
    };
    // The numbers are the same as a recount would give (checked by the tests); here only
    // check that the benchmark measures a real, non-empty report.
    assert!(chat(period).contains("Số người tham gia"));

    let mut group = c.benchmark_group("report");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("chat_one_centre_year", |b| {
        b.iter(|| black_box(chat(period)))
    });
    group.bench_function("chat_one_centre_year_to_date", |b| {
        b.iter(|| black_box(chat(year_to_date)))
    });
    group.bench_function("rollup_all_centres_year", |b| {
        b.iter(|| {
            // What `rollcall report --all` does: per-centre totals once, summed into the
            // table, plus the centre names for the per-centre lines.
            let (by_centre, names) = store
                .read(|tx| Ok((tx.group_totals_by_centre(period)?, tx.centres()?)))
                .expect("read");
            let mut per_group: BTreeMap<String, rollcall::domain::Totals> = BTreeMap::new();
            for groups in by_centre.values() {
                for (g, t) in groups {
                    let sum = per_group.entry(g.clone()).or_default();
                    *sum = *sum + *t;
                }
            }
            let table = report::build(&catalog, &per_group, lang);
            black_box((table, by_centre, names))
        })
    });
    group.bench_function("xlsx_one_centre_year", |b| {
        b.iter(|| {
            let (per_group, sessions, classes) = store
                .read(|tx| {
                    let sessions = tx.sessions(Some(centre), period)?;
                    let classes = tx.classes_of(&sessions)?;
                    Ok((tx.group_totals(Some(centre), period)?, sessions, classes))
                })
                .expect("read");
            let table = report::build(&catalog, &per_group, lang);
            let bytes = report::xlsx(&report::XlsxReport {
                catalog: &catalog,
                table: &table,
                centre_name: "TTHTCĐ số 042",
                period,
                lang,
                sessions: &sessions,
                classes: &classes,
                centres: None,
            })
            .expect("xlsx");
            black_box(bytes)
        })
    });
    group.bench_function("docx_one_centre_year", |b| {
        b.iter(|| {
            // What `/baocao 2023` does: the report data as `/report` reads it, the
            // centre's stored texts, and the document.
            let (data, texts) = store
                .read(|tx| {
                    Ok((
                        report::ReportData::gather(tx, &catalog, Some(centre), period, lang)?,
                        tx.document_texts(Some(centre))?,
                    ))
                })
                .expect("read");
            let table = data.table(&catalog, lang);
            let bytes = report::docx(&report::DocxReport {
                catalog: &catalog,
                table: &table,
                centre_name: &data.name,
                period,
                texts: &texts,
                date: period.to,
                centres: None,
                comparison: None,
                centres_last_year: None,
            })
            .expect("docx");
            black_box(bytes)
        })
    });
    group.finish();

    // The same chat report on a file with only 100 sessions: the counters make the cost
    // depend on the period, not on the size of the file.
    let small_dir = tempfile::tempdir().expect("temp dir");
    let small = Store::open(&small_dir.path().join("small.redb")).expect("open");
    let small_centre = small
        .write(|tx| {
            let centre = tx.ensure_centre("TTHTCĐ nhỏ")?;
            let mut rng = Rng(7);
            for i in 0..100u64 {
                let name = format!("Lớp số {}", i % 20);
                tx.save_session(&NewSession {
                    centre,
                    organiser: 1,
                    group: catalog.groups[(i % 10) as usize].id.clone(),
                    class: ClassChoice::New {
                        key: name.to_lowercase(),
                        name,
                    },
                    date: NaiveDate::from_ymd_opt(2023, 1, 1).expect("date")
                        + Days::new(rng.below(365)),
                    total: 30,
                    female: 20,
                    extra: BTreeMap::new(),
                    created_at: Utc::now(),
                })?;
            }
            Ok(centre)
        })
        .expect("small fill");
    let mut group = c.benchmark_group("report_100_sessions");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("chat_one_centre_year", |b| {
        b.iter(|| {
            let (per_group, name) = small
                .read(|tx| {
                    Ok((
                        tx.group_totals(Some(small_centre), period)?,
                        tx.centre_name(small_centre)?,
                    ))
                })
                .expect("read");
            let table = report::build(&catalog, &per_group, lang);
            black_box(report::render_chat(
                &catalog,
                &table,
                &name.unwrap_or_default(),
                period,
                lang,
            ))
        })
    });
    group.finish();
}

/// The supervisor's view of a province: 1,000 centres, a million sessions in 2024.
fn province(c: &mut Criterion) {
    let catalog = catalog();
    let path = province_database(&catalog);
    let store = Store::open(&path).expect("open the province database");
    let lang = Lang::Vi;
    let today = NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
    let year_2024 = year(2024);
    let year_to_date = Period::new(
        NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2024, 12, 15).expect("date"),
    )
    .expect("period");

    // What `/report` puts in the chat for a supervisor (the files aside): the summed
    // table with the same period a year earlier, and the centres with the silent ones.
    let chat = |period: Period| {
        let data = store
            .read(|tx| report::ReportData::gather(tx, &catalog, None, period, lang))
            .expect("read");
        let table = data.table(&catalog, lang);
        let mut html = report::render_chat(&catalog, &table, &data.name, period, lang);
        html.push_str(&report::compare::render_comparison(
            &catalog,
            &data.comparison(&catalog, lang),
            lang,
        ));
        let roll_up = data.roll_up.as_ref().expect("roll-up");
        let silence = roll_up.silence(today, 30);
        let centres = report::centres_chat::render_centres(
            &catalog,
            &roll_up.table,
            &roll_up.last_year,
            &silence,
            lang,
        );
        (html, centres)
    };
    // Check what is measured: a million sessions, the comparison, the silent centres.
    let (html, centres) = chat(year_2024);
    assert!(html.contains("So với cùng kỳ năm trước"), "{html}");
    assert!(centres.contains("1.000 trung tâm"), "{centres}");
    assert!(centres.contains("Chưa có ai tham gia"), "{centres}");
    assert!(centres.contains("trong 30 ngày qua (10)"), "{centres}");
    let sessions = store
        .read(|tx| tx.group_totals(None, year_2024))
        .expect("read")
        .values()
        .map(|t| t.sessions)
        .sum::<u64>();
    assert!(sessions > 990_000, "{sessions} sessions in 2024");

    let mut group = c.benchmark_group("province");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("supervisor_chat_year", |b| {
        b.iter(|| black_box(chat(year_2024)))
    });
    group.bench_function("supervisor_chat_year_to_date", |b| {
        b.iter(|| black_box(chat(year_to_date)))
    });
    let november = Period::new(
        NaiveDate::from_ymd_opt(2024, 11, 1).expect("date"),
        NaiveDate::from_ymd_opt(2024, 11, 30).expect("date"),
    )
    .expect("period");
    group.bench_function("supervisor_chat_month", |b| {
        b.iter(|| black_box(chat(november)))
    });
    group.bench_function("silent", |b| {
        b.iter(|| {
            let (centres, activity) = store
                .read(|tx| {
                    Ok((
                        tx.centres()?,
                        report::silent::Activity {
                            last_session: tx.last_session_days()?,
                            members: tx.member_counts()?,
                        },
                    ))
                })
                .expect("read");
            let silence = report::silent::silent_centres(&centres, &activity, None, today, 30);
            black_box(report::centres_chat::render_silence(
                &catalog,
                &silence,
                report::centres_chat::COMMAND_SILENT_LINES,
                lang,
            ))
        })
    });
    group.bench_function("centre_table_files_year", |b| {
        b.iter(|| {
            // The button under the centre list: the workbook and the CSV of the table.
            let data = store
                .read(|tx| report::ReportData::gather(tx, &catalog, None, year_2024, lang))
                .expect("read");
            let roll_up = data.roll_up.as_ref().expect("roll-up");
            let comparison = data.comparison(&catalog, lang);
            let xlsx = report::centre_table_xlsx(
                &catalog,
                year_2024,
                lang,
                &roll_up.sheet(),
                Some(&comparison),
            )
            .expect("xlsx");
            black_box((xlsx, report::centres_csv(&roll_up.sheet(), lang)))
        })
    });
    group.finish();

    // The report's own files over every centre's year: a million sessions read, the
    // workbook (table, sessions, by centre, comparison), the CSV and the chart. Slow,
    // so measured a few times by hand rather than by criterion's ten samples; first once
    // step by step, to see where the time goes.
    let started = Instant::now();
    let (data, sessions, classes, months) = store
        .read(|tx| {
            let data = report::ReportData::gather(tx, &catalog, None, year_2024, lang)?;
            let sessions = tx.sessions(None, year_2024)?;
            let classes = tx.classes_of(&sessions)?;
            let months = tx.month_totals(None, year_2024)?;
            Ok((data, sessions, classes, months))
        })
        .expect("read");
    let read = started.elapsed();
    let table = data.table(&catalog, lang);
    let comparison = data.comparison(&catalog, lang);
    let started = Instant::now();
    let xlsx = report::xlsx_with(
        &report::XlsxReport {
            catalog: &catalog,
            table: &table,
            centre_name: &data.name,
            period: year_2024,
            lang,
            sessions: &sessions,
            classes: &classes,
            centres: data.centres.as_deref(),
        },
        &report::XlsxExtras {
            centres: data.roll_up.as_ref().map(report::RollUp::sheet),
            comparison: Some(&comparison),
        },
    )
    .expect("xlsx");
    let workbook = started.elapsed();
    let started = Instant::now();
    let csv = report::sessions_csv(&catalog, &sessions, &classes, lang);
    let csv_took = started.elapsed();
    let started = Instant::now();
    let png = report::chart(&report::ChartReport {
        catalog: &catalog,
        table: &table,
        months: &months,
        centre_name: &data.name,
        period: year_2024,
        lang,
    })
    .expect("chart");
    let chart_took = started.elapsed();
    eprintln!(
        "province/report_files_year steps: read {} sessions {read:.2?}, xlsx {workbook:.2?} \
         ({:.1} MB), csv {csv_took:.2?} ({:.1} MB), chart {chart_took:.2?}",
        sessions.len(),
        xlsx.len() as f64 / 1e6,
        csv.len() as f64 / 1e6
    );
    black_box((xlsx, csv, png));
    drop((data, sessions, classes, months));

    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        // As the report worker does it: read on a snapshot, then built with none open.
        let (data, sources) = store
            .read(|tx| {
                Ok((
                    report::ReportData::gather(tx, &catalog, None, year_2024, lang)?,
                    report::FileSources::read(tx, None, year_2024)?,
                ))
            })
            .expect("read");
        let files =
            report::report_files(&catalog, &data, &sources, year_2024, lang).expect("files");
        let took = started.elapsed();
        eprintln!(
            "province/report_files_year: {took:.2?} (xlsx {:.1} MB, csv {:.1} MB)",
            files.xlsx.len() as f64 / 1e6,
            files.csv.len() as f64 / 1e6
        );
        runs.push(took);
        black_box(files);
    }
    runs.sort();
    eprintln!("province/report_files_year: median {:.2?}", runs[1]);
}

criterion_group!(report_benches, benches, province);
criterion_main!(report_benches);
