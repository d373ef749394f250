//! The report files from a real redb file whose sessions add up to the seed report
//! (Tràng An ward, January to October 2020): the XLSX read back cell by cell, the CSV, the
//! PNG chart, and the `rollcall report` command writing XLSX and JSON.
//!
//! Set `UPDATE_SAMPLES=1` to rewrite `docs/report-sample.png` from the seed numbers.

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::{ClassChoice, Lang, NewSession, Period, Totals};
use rollcall::report;
use rollcall::store::Store;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

const CENTRE: &str = "TTHTCĐ phường Tràng An";
const OTHER_CENTRE: &str = "TTHTCĐ xã Ninh Nhất";

/// Table III.2 of the seed: (group id, classes, attendance, female).
const SEED: [(&str, u64, u64, u64); 10] = [
    ("literacy", 0, 0, 0),
    ("vocational", 2, 600, 280),
    ("law", 5, 900, 450),
    ("health", 6, 2_070, 1_650),
    ("environment", 8, 2_980, 1_270),
    ("culture", 6, 2_160, 1_500),
    ("economy", 4, 1_000, 670),
    ("life_skills", 6, 2_140, 1_670),
    ("other", 7, 3_450, 2_220),
    ("arts_sports", 6, 5_568, 3_988),
];
const SEED_TOTAL: (u64, u64, u64) = (50, 20_868, 13_698);

/// The official (Vietnamese) names of the ten rows, as in the seed report.
const SEED_NAMES: [&str; 10] = [
    "Học chương trình xóa mù chữ, giáo dục chương trình sau biết chữ",
    "Học nghề ngắn hạn",
    "Chuyên đề Giáo dục pháp luật",
    "Chuyên đề Giáo dục sức khỏe",
    "Chuyên đề Giáo dục môi trường",
    "Chuyên đề Văn hóa xã hội",
    "Chuyên đề Phát triển kinh tế",
    "Chuyên đề Giáo dục kỹ năng sống",
    "Chuyên đề của chương trình khác",
    "Các chương trình văn nghệ, thể dục thể thao được phổ biến",
];

fn dialogs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")
}

fn catalog() -> Catalog {
    load_dir(&dialogs_dir()).expect("the shipped dialogs load")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 11, 2, 9, 30, 0)
        .single()
        .expect("valid instant")
}

fn seed_period() -> Period {
    Period::new(date(2020, 1, 1), date(2020, 10, 31)).expect("ordered period")
}

fn session(
    centre: u64,
    group: &str,
    class: &str,
    day: NaiveDate,
    total: u32,
    female: u32,
) -> NewSession {
    NewSession {
        centre,
        organiser: 4242,
        group: group.to_owned(),
        class: ClassChoice::New {
            name: class.to_owned(),
            key: class.to_lowercase(),
        },
        date: day,
        total,
        female,
        extra: BTreeMap::new(),
        created_at: at(),
    }
}

/// A database whose live sessions of `CENTRE` in January–October 2020 add up to the seed
/// table: the first class of each group meets three times, the others once, literacy never.
/// Around them: sessions just outside the period, a deleted session, and another centre.
fn seed_db(dir: &Path) -> PathBuf {
    let path = dir.join("seed.redb");
    let store = Store::open(&path).expect("open");
    store
        .write(|tx| {
            let centre = tx.ensure_centre(CENTRE)?;
            for (g, (group, classes, attendance, female)) in SEED.iter().enumerate() {
                if *classes == 0 {
                    continue;
                }
                // One (class, day) per session: class 0 three times, the others once.
                let mut meetings: Vec<(u64, NaiveDate)> = Vec::new();
                for class in 0..*classes {
                    let times = if class == 0 { 3 } else { 1 };
                    for time in 0..times {
                        let month = 1 + (g as u32 + class as u32 + time * 3) % 10;
                        meetings
                            .push((class, date(2020, month, 1 + (class as u32 * 3 + time) % 28)));
                    }
                }
                let n = meetings.len() as u64;
                let mut female_left = *female;
                for (i, (class, day)) in meetings.iter().enumerate() {
                    let total = attendance / n + if i == 0 { attendance % n } else { 0 };
                    let women = female_left.min(total);
                    female_left -= women;
                    let mut s = session(
                        centre,
                        group,
                        &format!("Lớp {} số {}", group, class + 1),
                        *day,
                        u32::try_from(total).expect("small"),
                        u32::try_from(women).expect("small"),
                    );
                    if i == 0 {
                        s.extra
                            .insert("place".to_owned(), "Nhà văn hóa tổ 5".to_owned());
                    }
                    tx.save_session(&s)?;
                }
                assert_eq!(female_left, 0, "every woman was counted");
            }
            // Just outside the period, on both sides.
            tx.save_session(&session(
                centre,
                "health",
                "Lớp health số 1",
                date(2019, 12, 31),
                99,
                9,
            ))?;
            tx.save_session(&session(centre, "law", "Khác", date(2020, 11, 1), 77, 7))?;
            // Logged by mistake, then deleted: not in any report.
            let wrong = tx.save_session(&session(
                centre,
                "economy",
                "Nhầm",
                date(2020, 5, 5),
                500,
                5,
            ))?;
            tx.delete_session(wrong.id, at())?;
            // Another centre: only in the roll-up.
            let other = tx.ensure_centre(OTHER_CENTRE)?;
            tx.save_session(&session(
                other,
                "health",
                "Sốt xuất huyết",
                date(2020, 6, 6),
                40,
                25,
            ))?;
            tx.save_session(&session(
                other,
                "literacy",
                "Lớp xóa mù chữ",
                date(2020, 7, 7),
                12,
                8,
            ))?;
            Ok(())
        })
        .expect("filling the seed database");
    path
}

/// Everything `report::xlsx` and `report::chart` need, read as the CLI reads it.
struct Loaded {
    catalog: Catalog,
    table: report::ReportTable,
    sessions: Vec<rollcall::domain::SessionRecord>,
    classes: BTreeMap<u64, rollcall::domain::ClassRecord>,
    months: BTreeMap<NaiveDate, Totals>,
}

fn load(path: &Path, lang: Lang) -> Loaded {
    let catalog = catalog();
    let store = Store::open(path).expect("open");
    let (per_group, sessions, classes, months) = store
        .read(|tx| {
            let centre = tx.centre_by_name(CENTRE)?.expect("the centre exists");
            let sessions = tx.sessions(Some(centre), seed_period())?;
            let classes = tx.classes_of(&sessions)?;
            Ok((
                tx.group_totals(Some(centre), seed_period())?,
                sessions,
                classes,
                tx.month_totals(Some(centre), seed_period())?,
            ))
        })
        .expect("reading");
    let table = report::build(&catalog, &per_group, lang);
    Loaded {
        catalog,
        table,
        sessions,
        classes,
        months,
    }
}

fn number(value: Option<&Data>) -> f64 {
    match value {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn string(value: Option<&Data>) -> &str {
    match value {
        Some(Data::String(s)) => s,
        other => panic!("expected text, got {other:?}"),
    }
}

#[test]
fn the_store_totals_are_the_seed_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = load(&seed_db(dir.path()), Lang::Vi);
    for (row, (group, classes, attendance, female)) in loaded.table.rows.iter().zip(SEED) {
        assert_eq!(row.group, group);
        assert_eq!(
            (row.totals.classes, row.totals.attendance, row.totals.female),
            (classes, attendance, female),
            "{group}"
        );
    }
    let total = loaded.table.total;
    assert_eq!((total.classes, total.attendance, total.female), SEED_TOTAL);
    // Classes that met three times count once; the sessions count every meeting.
    assert_eq!(total.sessions, 50 + 2 * 9);
}

#[test]
fn the_xlsx_table_is_the_seed_table_cell_by_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = load(&seed_db(dir.path()), Lang::Vi);
    let bytes = report::xlsx(&report::XlsxReport {
        catalog: &loaded.catalog,
        table: &loaded.table,
        centre_name: CENTRE,
        period: seed_period(),
        lang: Lang::Vi,
        sessions: &loaded.sessions,
        classes: &loaded.classes,
        centres: None,
    })
    .expect("xlsx");
    assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");

    let mut book = Xlsx::new(Cursor::new(bytes)).expect("calamine reads it");
    assert_eq!(book.sheet_names(), ["Báo cáo", "Buổi học"]);
    let sheet = book.worksheet_range("Báo cáo").expect("sheet 1");
    let cell = |r: u32, c: u32| sheet.get_value((r, c));

    assert_eq!(string(cell(0, 0)), "Kết quả thực hiện");
    assert!(string(cell(1, 0)).contains(CENTRE));
    assert!(string(cell(2, 0)).contains("01/01/2020"));
    assert!(string(cell(2, 0)).contains("31/10/2020"));
    assert_eq!(string(cell(4, 0)), "TT");
    assert_eq!(string(cell(4, 1)), "Tên hoạt động giáo dục");
    assert_eq!(string(cell(4, 2)), "Số lớp (chuyên đề)");
    assert_eq!(string(cell(4, 3)), "Số lượt người tham gia");
    assert_eq!(string(cell(5, 3)), "Tổng số");
    assert_eq!(string(cell(5, 4)), "Nữ");

    for (i, ((_, classes, attendance, female), name)) in SEED.iter().zip(SEED_NAMES).enumerate() {
        let r = 6 + i as u32;
        assert_eq!(number(cell(r, 0)), (i + 1) as f64, "TT of row {r}");
        assert_eq!(string(cell(r, 1)), name, "name of row {r}");
        assert_eq!(number(cell(r, 2)), *classes as f64, "classes of {name}");
        assert_eq!(
            number(cell(r, 3)),
            *attendance as f64,
            "attendance of {name}"
        );
        assert_eq!(number(cell(r, 4)), *female as f64, "female of {name}");
    }
    assert_eq!(string(cell(16, 1)), "Cộng");
    assert_eq!(number(cell(16, 2)), SEED_TOTAL.0 as f64);
    assert_eq!(number(cell(16, 3)), SEED_TOTAL.1 as f64);
    assert_eq!(number(cell(16, 4)), SEED_TOTAL.2 as f64);
    assert_eq!(
        string(cell(18, 0)),
        "Số người tham gia học tại TTHTCĐ: 20.868 người"
    );

    let merged = book
        .merge_cells_by_sheet_name("Báo cáo")
        .expect("merged cells");
    use calamine::Dimensions;
    for region in [
        Dimensions::new((4, 0), (5, 0)),
        Dimensions::new((4, 1), (5, 1)),
        Dimensions::new((4, 2), (5, 2)),
        Dimensions::new((4, 3), (4, 4)),
        Dimensions::new((0, 0), (0, 4)),
    ] {
        assert!(merged.contains(&region), "{region:?} merged in {merged:?}");
    }

    // Sheet 2: one row per session with all fields, the extra answer as a column.
    let sessions = book.worksheet_range("Buổi học").expect("sheet 2");
    let header: Vec<String> = (0..10)
        .map(|c| {
            sessions
                .get_value((0, c))
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        header,
        [
            "Mã buổi",
            "Ngày",
            "Hoạt động giáo dục",
            "Lớp (chuyên đề)",
            "Tổng số",
            "Nữ",
            "Người ghi (Telegram ID)",
            "Thời điểm ghi (UTC)",
            "place",
            ""
        ]
    );
    assert_eq!(sessions.height(), 1 + loaded.sessions.len());
    let mut attendance = 0.0;
    let mut with_place = 0;
    for r in 1..sessions.height() as u32 {
        attendance += number(sessions.get_value((r, 4)));
        assert!(matches!(
            sessions.get_value((r, 1)),
            Some(Data::DateTime(_))
        ));
        if matches!(sessions.get_value((r, 8)), Some(Data::String(s)) if s == "Nhà văn hóa tổ 5")
        {
            with_place += 1;
        }
    }
    assert_eq!(attendance, SEED_TOTAL.1 as f64);
    assert_eq!(
        with_place, 9,
        "one session per group with sessions has a place"
    );
    let first = &loaded.sessions[0];
    assert_eq!(
        string(sessions.get_value((1, 3))),
        loaded.classes[&first.class].name
    );
}

#[test]
fn the_roll_up_workbook_has_one_row_per_centre() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = seed_db(dir.path());
    let loaded = load(&path, Lang::En);
    let centres = [
        report::CentreTotals {
            centre: 1,
            name: CENTRE.to_owned(),
            totals: loaded.table.total,
        },
        report::CentreTotals {
            centre: 2,
            name: OTHER_CENTRE.to_owned(),
            totals: Totals {
                classes: 2,
                sessions: 2,
                attendance: 52,
                female: 33,
            },
        },
    ];
    let bytes = report::xlsx(&report::XlsxReport {
        catalog: &loaded.catalog,
        table: &loaded.table,
        centre_name: "All centres",
        period: seed_period(),
        lang: Lang::En,
        sessions: &loaded.sessions,
        classes: &loaded.classes,
        centres: Some(&centres),
    })
    .expect("xlsx");
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("calamine reads it");
    assert_eq!(book.sheet_names(), ["Report", "Sessions", "Centres"]);
    let sheet = book.worksheet_range("Centres").expect("sheet 3");
    assert_eq!(string(sheet.get_value((0, 1))), "Centre");
    assert_eq!(string(sheet.get_value((1, 1))), CENTRE);
    assert_eq!(number(sheet.get_value((1, 4))), 20_868.0);
    assert_eq!(string(sheet.get_value((2, 1))), OTHER_CENTRE);
    assert_eq!(string(sheet.get_value((3, 1))), "Total");
    assert_eq!(number(sheet.get_value((3, 4))), 20_920.0);
    assert_eq!(number(sheet.get_value((3, 5))), 13_731.0);
    let report_sheet = book.worksheet_range("Report").expect("sheet 1");
    assert_eq!(string(report_sheet.get_value((4, 3))), "Attendances");
}

#[test]
fn the_csv_has_a_bom_and_every_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = load(&seed_db(dir.path()), Lang::Vi);
    let bytes = report::sessions_csv(&loaded.catalog, &loaded.sessions, &loaded.classes, Lang::Vi);
    let text = String::from_utf8(bytes).expect("UTF-8");
    let body = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(&headers[4], "total");
    assert_eq!(&headers[8], "place");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), loaded.sessions.len());
    let sum = |col: usize| -> u64 {
        rows.iter()
            .map(|r| r[col].parse::<u64>().expect("number"))
            .sum()
    };
    assert_eq!((sum(4), sum(5)), (SEED_TOTAL.1, SEED_TOTAL.2));
    assert!(rows.iter().all(|r| r[1].starts_with("2020-")));
    assert!(rows.iter().any(|r| &r[2] == "Chuyên đề Giáo dục sức khỏe"));
}

#[test]
fn the_chart_is_a_sensible_png() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = load(&seed_db(dir.path()), Lang::Vi);
    let png = report::chart(&report::ChartReport {
        catalog: &loaded.catalog,
        table: &loaded.table,
        months: &loaded.months,
        centre_name: CENTRE,
        period: seed_period(),
        lang: Lang::Vi,
    })
    .expect("chart");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // The IHDR chunk follows the signature: width and height, big-endian.
    let width = u32::from_be_bytes(png[16..20].try_into().expect("4 bytes"));
    let height = u32::from_be_bytes(png[20..24].try_into().expect("4 bytes"));
    assert_eq!(width, 1200);
    assert!((600..=1600).contains(&height), "height {height}");
    assert!(
        png.len() > 20_000,
        "{} bytes is too little for a chart",
        png.len()
    );
    let total: u64 = loaded.months.values().map(|t| t.attendance).sum();
    assert_eq!(total, SEED_TOTAL.1);

    if std::env::var_os("UPDATE_SAMPLES").is_some() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report-sample.png");
        std::fs::write(sample, &png).expect("writing the sample");
    }
}

/// Runs the real binary on the seed database.
fn rollcall(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .args(args)
        .env_remove("ROLLCALL_CENTRE")
        .env_remove("ROLLCALL_DB")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[test]
fn the_cli_writes_xlsx_and_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = seed_db(dir.path());
    let dialogs = dialogs_dir();
    let out = dir.path().join("bao-cao.xlsx");
    let common = [
        "report",
        "--db",
        db.to_str().expect("UTF-8 path"),
        "--dialogs",
        dialogs.to_str().expect("UTF-8 path"),
        "--period",
        "1-10/2020",
    ];
    let mut args = common.to_vec();
    args.extend(["--centre", CENTRE, "--format", "xlsx", "--out"]);
    args.push(out.to_str().expect("UTF-8 path"));
    let run = rollcall(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut book = Xlsx::new(Cursor::new(std::fs::read(&out).expect("written"))).expect("xlsx");
    let sheet = book.worksheet_range("Báo cáo").expect("sheet 1");
    assert_eq!(number(sheet.get_value((16, 3))), 20_868.0);
    assert_eq!(number(sheet.get_value((9, 4))), 1_650.0);

    let mut args = common.to_vec();
    args.extend(["--centre", CENTRE, "--format", "json"]);
    let run = rollcall(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(json["centre"], CENTRE);
    assert_eq!(json["period"]["to"], "2020-10-31");
    assert_eq!(json["total"]["attendance"], 20_868);
    assert_eq!(json["rows"][3]["group"], "health");
    assert_eq!(json["rows"][3]["classes"], 6);
    assert_eq!(json["rows"][9]["female"], 3_988);

    // The roll-up adds the other centre, row by row and as its own line.
    let mut args = common.to_vec();
    args.extend(["--all", "--format", "json"]);
    let run = rollcall(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(json["total"]["attendance"], 20_868 + 52);
    assert_eq!(json["rows"][0]["attendance"], 12);
    assert_eq!(json["rows"][3]["classes"], 7);
    assert_eq!(json["centres"][1]["name"], OTHER_CENTRE);
    assert_eq!(json["centres"][1]["female"], 33);

    // An unknown centre is an error naming the ones there are, not a new empty centre.
    let mut args = common.to_vec();
    args.extend(["--centre", "Không có", "--format", "json"]);
    let run = rollcall(&args);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains(OTHER_CENTRE));
}
