//! `rollcall centre merge A B` and `rollcall centre rename OLD NEW` on a real file: the
//! merged centre's report (from `rollcall report --format json`) is the sum of the two
//! before, `rollcall check` passes after it, and a rename keeps the report.

use chrono::{NaiveDate, TimeZone, Utc};
use rollcall::domain::{ClassChoice, NewSession};
use rollcall::roles::Role;
use rollcall::store::Store;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rollcall(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("ROLLCALL_CONFIG")
        .env("RUST_LOG", "warn")
        .env(
            "ROLLCALL_DIALOGS",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs"),
        )
        .output()
        .expect("run rollcall")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two centres with sessions in 2025 and 2026, some of classes of one name.
fn database(dir: &Path) -> PathBuf {
    let db = dir.join("centres.redb");
    let store = Store::open(&db).expect("opens");
    let at = Utc
        .with_ymd_and_hms(2026, 11, 5, 2, 0, 0)
        .single()
        .expect("instant");
    store
        .write(|tx| {
            let a = tx.ensure_centre("Xã Ninh Nhất")?;
            let b = tx.ensure_centre("Phường Tràng An")?;
            tx.add_member(a, 100, Role::Director, "An", 0, at)?;
            for (n, (centre, group, class)) in [
                (a, "health", "Tin học"),
                (b, "health", "Tin học"),
                (a, "law", "Luật đất đai"),
                (b, "culture", "Hát chèo"),
                (a, "culture", "Hát chèo"),
            ]
            .into_iter()
            .enumerate()
            {
                for month in [2u32, 6, 11] {
                    for year in [2025, 2026] {
                        let total = 10 + u32::try_from(n).expect("small") * 7 + month;
                        tx.save_session(&NewSession {
                            centre,
                            organiser: 7,
                            group: group.to_owned(),
                            class: ClassChoice::New {
                                name: class.to_owned(),
                                key: class.to_lowercase(),
                            },
                            date: NaiveDate::from_ymd_opt(year, month, 3).expect("date"),
                            total,
                            female: total / 2,
                            extra: BTreeMap::new(),
                            created_at: at,
                        })?;
                    }
                }
            }
            Ok(())
        })
        .expect("filled");
    db
}

/// The rows of `rollcall report --format json` for one centre and period, by group.
fn report(db: &Path, centre: &str, period: &str) -> BTreeMap<String, Value> {
    let output = rollcall(
        &[
            "report", "--centre", centre, "--period", period, "--format", "json",
        ],
        db,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["group"].as_str().expect("group").to_owned(),
                row.clone(),
            )
        })
        .collect()
}

/// The four numbers of a row: classes, sessions, attendance, women.
fn four(row: &Value) -> [u64; 4] {
    ["classes", "sessions", "attendance", "female"].map(|k| row[k].as_u64().expect(k))
}

fn numbers(rows: &BTreeMap<String, Value>) -> BTreeMap<String, [u64; 4]> {
    rows.iter()
        .map(|(group, row)| (group.clone(), four(row)))
        .collect()
}

fn sum(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> BTreeMap<String, [u64; 4]> {
    a.iter()
        .map(|(group, row)| {
            let (x, y) = (four(row), four(&b[group]));
            (
                group.clone(),
                [x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3]],
            )
        })
        .collect()
}

const PERIODS: [&str; 4] = ["2025", "2026", "1-6/2026", "3/2025-2/2026"];

#[test]
fn rollcall_check_passes_after_a_merge_and_the_merged_centres_report_is_the_sum_of_the_two() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let before: Vec<_> = PERIODS
        .iter()
        .map(|p| {
            sum(
                &report(&db, "Xã Ninh Nhất", p),
                &report(&db, "Phường Tràng An", p),
            )
        })
        .collect();

    // A dry run changes nothing.
    let dry = rollcall(
        &[
            "centre",
            "merge",
            "xa ninh nhat",
            "Phường Tràng An",
            "--dry-run",
        ],
        &db,
    );
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let out = text(&dry.stdout);
    assert!(
        out.contains("would move 1 member(s), 3 class(es), 18 session(s)"),
        "{out}"
    );
    assert!(
        out.contains("class renamed (health): Tin học → Tin học (Xã Ninh Nhất)"),
        "{out}"
    );
    assert_eq!(report(&db, "Xã Ninh Nhất", "2025").len(), 10);

    let merged = rollcall(&["centre", "merge", "xa ninh nhat", "Phường Tràng An"], &db);
    assert!(merged.status.success(), "{}", text(&merged.stderr));
    assert!(
        text(&merged.stdout).contains("merged centre"),
        "{}",
        text(&merged.stdout)
    );

    for (p, expected) in PERIODS.iter().zip(&before) {
        assert_eq!(
            &numbers(&report(&db, "Phường Tràng An", p)),
            expected,
            "{p}"
        );
    }
    let check = rollcall(&["check"], &db);
    assert!(
        check.status.success(),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    let out = text(&check.stdout);
    assert!(out.contains("report counters: OK"), "{out}");
    assert!(out.contains("centres: 1"), "{out}");

    // The merged centre is gone; merging it again is an error that names the centres.
    let again = rollcall(&["centre", "merge", "Xã Ninh Nhất", "Phường Tràng An"], &db);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("no centre called"),
        "{}",
        text(&again.stderr)
    );
    let users = Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .args(["users", "--db"])
        .arg(&db)
        .output()
        .expect("users");
    assert!(
        text(&users.stdout).contains("Phường Tràng An:\n  100  director  An"),
        "{}",
        text(&users.stdout)
    );
}

#[test]
fn a_rename_from_the_command_line_keeps_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let before = report(&db, "Xã Ninh Nhất", "2026");
    let renamed = rollcall(
        &["centre", "rename", "Xã Ninh Nhất", "Phường Ninh Nhất"],
        &db,
    );
    assert!(renamed.status.success(), "{}", text(&renamed.stderr));
    assert!(
        text(&renamed.stdout).contains("Xã Ninh Nhất → Phường Ninh Nhất"),
        "{}",
        text(&renamed.stdout)
    );
    let after = report(&db, "Phường Ninh Nhất", "2026");
    assert_eq!(numbers(&after), numbers(&before));
    // A name another centre has is refused.
    let taken = rollcall(
        &["centre", "rename", "Phường Ninh Nhất", "phuong trang an"],
        &db,
    );
    assert!(!taken.status.success());
    let check = rollcall(&["check"], &db);
    assert!(check.status.success(), "{}", text(&check.stdout));
}
