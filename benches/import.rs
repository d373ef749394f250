//! What bringing in a large sessions file costs (release profile, a plain timer, the
//! median of 5 runs): a file of `MAX_ROWS` (3,000) sessions, the bot's own XLSX export of
//! a centre, is read (`report::read_import`), checked for an empty centre (every row a
//! new session: the check a director sees) and for the centre it came from (every row
//! a stored duplicate: a second import), and stored (`Tx::import_sessions`, one
//! transaction, rolled back after each run). The read runs in the adapter's fetch before
//! the step (off the writer); the checks and the store run inside one step of the
//! processor, so they are what other chats wait for.
//!
//! Run with `cargo bench --bench import`.

use chrono::{NaiveDate, TimeZone, Utc};
use rollcall::dialog::load_dir;
use rollcall::domain::{ClassChoice, EntryRules, Lang, NewSession, Now, Period, YearStart};
use rollcall::import::MAX_ROWS;
use rollcall::report::{read_import, report_files, FileSources, ReportData};
use rollcall::roles::Role;
use rollcall::runtime::{import::check_file, Runtime};
use rollcall::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("import.redb")).expect("store");
    let at = Utc
        .with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
        .single()
        .expect("instant");
    let now = Now::in_zone(at, chrono_tz::Asia::Ho_Chi_Minh);
    let period = Period::new(
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        now.today,
    )
    .expect("period");
    let groups = ["literacy", "vocational", "law", "health", "environment"];
    let (old, new) = store
        .write(|tx| {
            let old = tx.ensure_centre("Tràng An")?;
            let new = tx.ensure_centre("Phường Mới")?;
            tx.add_member(new, 1, Role::Director, "Xinh", 0, at)?;
            for i in 0..MAX_ROWS {
                let class = format!("Lớp số {}", i % 60);
                tx.save_session(&NewSession {
                    centre: old,
                    organiser: 2,
                    group: groups[(i % 60) % groups.len()].to_owned(),
                    class: ClassChoice::New {
                        key: class.to_lowercase(),
                        name: class,
                    },
                    date: period.from + chrono::Duration::days((i % 330) as i64),
                    total: 20 + (i % 40) as u32,
                    // Unique per row: class and date repeat every 660 rows.
                    female: (i / 660) as u32,
                    extra: BTreeMap::new(),
                    created_at: at,
                })?;
            }
            Ok((old, new))
        })
        .expect("filled");
    let catalog = Arc::new(
        load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs"),
    );
    let runtime = Runtime {
        catalog: catalog.clone(),
        bot_username: None,
        zone: chrono_tz::Asia::Ho_Chi_Minh,
        year_start: YearStart::default(),
        entry: EntryRules::default(),
    };
    let files = store
        .read(|tx| {
            let data = ReportData::gather(tx, &catalog, Some(old), period, Lang::Vi)?;
            let sources = FileSources::read(tx, Some(old), period)?;
            Ok((data, sources))
        })
        .map(|(data, sources)| report_files(&catalog, &data, &sources, period, Lang::Vi))
        .expect("read")
        .expect("files");
    println!(
        "file: {} sessions, XLSX {} KiB, CSV {} KiB",
        MAX_ROWS,
        files.xlsx.len() / 1024,
        files.csv.len() / 1024
    );

    let mut rows = None;
    for (name, bytes) in [("xlsx", &files.xlsx), ("csv", &files.csv)] {
        let times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                rows = Some(read_import(name, bytes, &catalog).expect("rows"));
                started.elapsed()
            })
            .collect();
        println!("read {name}: {:?}", median(times));
    }
    let rows = rows.expect("rows");
    assert_eq!(rows.rows.len(), MAX_ROWS);

    for (what, centre, expect_added) in [("new centre", new, MAX_ROWS), ("same centre", old, 0)] {
        let times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let check = store
                    .read(|tx| check_file(&runtime, tx, centre, 1, &rows, now, Lang::Vi))
                    .expect("check");
                let elapsed = started.elapsed();
                assert_eq!(check.added.len(), expect_added);
                elapsed
            })
            .collect();
        println!("check ({what}): {:?}", median(times));
    }

    let check = store
        .read(|tx| check_file(&runtime, tx, new, 1, &rows, now, Lang::Vi))
        .expect("check");
    let sessions = check.sessions();
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            // Stored, then rolled back (the closure's error aborts the transaction), so
            // every run stores into the same database.
            let rolled_back = store.write(|tx| {
                tx.import_sessions(new, "bench.xlsx", &sessions, 1, at)?;
                Err::<(), _>(StoreError::Db("rolled back on purpose".to_owned()))
            });
            assert!(rolled_back.is_err());
            started.elapsed()
        })
        .collect();
    println!(
        "store {} sessions in one transaction (not committed): {:?}",
        sessions.len(),
        median(times)
    );
}
