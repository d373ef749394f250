//! `rollcall import FILE --centre NAME [--yes]` on real files in a temporary directory:
//! the check it prints (each refused row with its number and reason), the refusal to add
//! anything without `--yes` when standard input is not a terminal, the sessions added
//! with `--yes` (counters checked by `rollcall check`, the import in the audit log), a
//! second import that adds nothing, and the bot's own XLSX export of one centre imported
//! into another giving the same report.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn rollcall() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rollcall"));
    command
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("ROLLCALL_DB")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(args: &[&str]) -> Output {
    rollcall().args(args).output().expect("run rollcall")
}

/// A database with a director of each of two centres.
fn database(dir: &Path) -> PathBuf {
    let db = dir.join("rollcall.redb");
    for (user, centre) in [("1", "Tràng An"), ("2", "Phường Mới")] {
        let out = rollcall()
            .args(["grant", "--db"])
            .arg(&db)
            .args(["--user", user, "--role", "director", "--centre", centre])
            .output()
            .expect("grant");
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    db
}

/// The 2025 report of `centre` as JSON.
fn report(db: &Path, centre: &str) -> serde_json::Value {
    let out = run(&[
        "report",
        "--db",
        &db.to_string_lossy(),
        "--centre",
        centre,
        "--period",
        "2025",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

const FILE: &str = "\
Ngày,Hoạt động giáo dục,Lớp (chuyên đề),Tổng số,Nữ
05/03/2025,Chuyên đề Giáo dục sức khỏe,Phòng chống sốt xuất huyết,45,30
12/03/2025,sk,Phòng chống sốt xuất huyết,40,22
19/03/2025,pl,Luật giao thông,30,35
20/03/2025,Bóng đá,Lớp bóng đá,20,5
";

#[test]
fn import_prints_the_check_and_adds_only_with_yes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let db_arg = db.to_string_lossy().into_owned();
    let file = dir.path().join("buoi-hoc.csv");
    std::fs::write(&file, FILE).expect("write");
    let file_arg = file.to_string_lossy().into_owned();

    // Not a terminal and no --yes: the check is printed, nothing is added.
    let out = run(&["import", &file_arg, "--db", &db_arg, "--centre", "Tràng An"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "{stdout}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(stdout.contains("Sẽ thêm 2 buổi học"), "{stdout}");
    assert!(
        stdout.contains("Dòng 4: Số nữ «35»: Số nữ không thể lớn hơn tổng số (30)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Dòng 5: không có hoạt động giáo dục «Bóng đá»"),
        "{stdout}"
    );
    assert_eq!(report(&db, "Tràng An")["total"]["attendance"], 0);

    // --yes adds the two good rows, once.
    let out = run(&[
        "import",
        &file_arg,
        "--db",
        &db_arg,
        "--centre",
        "tràng  an",
        "--yes",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("✅ Đã thêm 2 buổi học (số 1–2) vào trung tâm Tràng An."),
        "{stdout}"
    );
    let totals = &report(&db, "Tràng An")["total"];
    assert_eq!(
        (&totals["classes"], &totals["attendance"], &totals["female"]),
        (&1.into(), &85.into(), &52.into())
    );
    let check = run(&["check", "--db", &db_arg]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let audit = run(&["audit", "--db", &db_arg, "--centre", "Tràng An"]);
    assert!(
        text(&audit.stdout).contains("sessions_imported"),
        "{}",
        text(&audit.stdout)
    );

    // A second import adds nothing: the stored sessions are named as duplicates.
    let out = run(&[
        "import",
        &file_arg,
        "--db",
        &db_arg,
        "--centre",
        "Tràng An",
        "--yes",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Không có buổi học nào để thêm."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Dòng 2: giống hệt buổi số 1 đã lưu"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Dòng 3: giống hệt buổi số 2 đã lưu"),
        "{stdout}"
    );
    assert_eq!(report(&db, "Tràng An")["total"]["attendance"], 85);

    // In English, on request.
    let out = run(&[
        "import",
        &file_arg,
        "--db",
        &db_arg,
        "--centre",
        "Tràng An",
        "--lang",
        "en",
    ]);
    assert!(
        text(&out.stdout).contains("There are no sessions to add."),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_xlsx_export_of_one_centre_imported_into_another_gives_the_same_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let db_arg = db.to_string_lossy().into_owned();
    let csv = dir.path().join("buoi-hoc.csv");
    std::fs::write(&csv, FILE).expect("write");
    let out = run(&[
        "import",
        &csv.to_string_lossy(),
        "--db",
        &db_arg,
        "--centre",
        "Tràng An",
        "--yes",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let xlsx = dir.path().join("tràng-an-2025.xlsx");
    let xlsx_arg = xlsx.to_string_lossy().into_owned();
    let out = run(&[
        "report",
        "--db",
        &db_arg,
        "--centre",
        "Tràng An",
        "--period",
        "2025",
        "--format",
        "xlsx",
        "--out",
        &xlsx_arg,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&[
        "import",
        &xlsx_arg,
        "--db",
        &db_arg,
        "--centre",
        "Phường Mới",
        "--yes",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Đã thêm 2 buổi học"),
        "{}",
        text(&out.stdout)
    );
    let (a, b) = (report(&db, "Tràng An"), report(&db, "Phường Mới"));
    assert_eq!(a["rows"], b["rows"]);
    assert_eq!(a["total"], b["total"]);
}

#[test]
fn files_that_cannot_be_imported_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let db_arg = db.to_string_lossy().into_owned();
    let file = dir.path().join("sai.csv");
    std::fs::write(&file, "Ngày,Lớp\n05/03/2025,Lớp A\n").expect("write");
    let file_arg = file.to_string_lossy().into_owned();

    let out = run(&["import", &file_arg, "--db", &db_arg, "--centre", "Tràng An"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr)
            .contains("không tìm thấy cột «Nhóm hoạt động», «Số người tham gia», «Số nữ»"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["import", &file_arg, "--db", &db_arg, "--centre", "Nowhere"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no centre called"),
        "{}",
        text(&out.stderr)
    );

    let big = dir.path().join("lon.csv");
    std::fs::write(&big, vec![b'a'; 3 * 1024 * 1024]).expect("write");
    let out = run(&[
        "import",
        &big.to_string_lossy(),
        "--db",
        &db_arg,
        "--centre",
        "Tràng An",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("split it"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&[
        "import",
        &dir.path().join("missing.csv").to_string_lossy(),
        "--db",
        &db_arg,
        "--centre",
        "Tràng An",
    ]);
    assert!(!out.status.success());
    assert!(!text(&out.stderr).contains("panicked"));
}

/// From the command line too, sessions brought into a period already handed in mark the
/// hand-in "changed since handed in" in the transaction that adds them, and a message to
/// the director is queued in it (the bot sends it when it runs again).
#[test]
fn importing_into_a_handed_in_period_marks_the_hand_in_changed_and_queues_the_notice() {
    use rollcall::domain::{Lang, Period};
    use rollcall::store::{NewHandIn, Store};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let year_2025 = Period::new(
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"),
    )
    .expect("period");
    let centre = {
        let store = Store::open(&db).expect("open");
        store
            .write(|tx| {
                let centre = tx.ensure_centre("Tràng An")?;
                let at = chrono::Utc::now();
                tx.hand_in(NewHandIn {
                    centre,
                    centre_name: "Tràng An".to_owned(),
                    period: year_2025,
                    user: 1,
                    name: "Xinh".to_owned(),
                    at,
                    local_at: at.naive_utc(),
                    totals: Default::default(),
                    lang: Lang::Vi,
                })?;
                Ok(centre)
            })
            .expect("hand in")
    };
    let file = dir.path().join("buoi-hoc.csv");
    std::fs::write(&file, FILE).expect("write");
    let out = run(&[
        "import",
        &file.to_string_lossy(),
        "--db",
        &db.to_string_lossy(),
        "--centre",
        "Tràng An",
        "--yes",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let store = Store::open(&db).expect("open");
    let handin = store
        .read(|tx| tx.latest_handin(centre, year_2025))
        .expect("read")
        .expect("the hand-in");
    assert!(handin.changed, "{handin:?}");
    let queued = store.read(|tx| tx.outbox(100)).expect("outbox");
    let told: Vec<String> = queued
        .iter()
        .filter(|(_, message)| message.chat == 1)
        .map(|(_, message)| format!("{:?}", message.op))
        .filter(|op| op.contains("đã thay đổi sau khi nộp"))
        .collect();
    assert_eq!(told.len(), 1, "told once: {queued:?}");
}
