//! Tests of the `rollcall` binary's subcommands other than `run`: `check-dialogs`,
//! `console` (piped input) and `report`, on real files in a temporary directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn rollcall() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rollcall"));
    command.env_remove("TELOXIDE_TOKEN").env("RUST_LOG", "warn");
    command
}

fn shipped_dialogs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `rollcall console` with `script` on standard input.
fn console(db: &Path, script: &str) -> Output {
    let mut child = rollcall()
        .args(["console", "--db"])
        .arg(db)
        .arg("--dialogs")
        .arg(shipped_dialogs())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the console");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write the script");
    child.wait_with_output().expect("console finishes")
}

#[test]
fn check_dialogs_accepts_the_shipped_files() {
    let output = rollcall()
        .arg("check-dialogs")
        .arg(shipped_dialogs())
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("10 activity groups"));
}

#[test]
fn check_dialogs_lists_every_problem_with_its_file_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(shipped_dialogs()).expect("dialogs") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    // Two independent mistakes in two files: a misspelt field and a broken placeholder.
    let groups = dir.path().join("groups.toml");
    let broken = std::fs::read_to_string(&groups)
        .expect("read")
        .replacen("code = ", "kode = ", 1);
    std::fs::write(&groups, broken).expect("write");
    let messages = dir.path().join("messages.toml");
    let broken =
        std::fs::read_to_string(&messages)
            .expect("read")
            .replacen("số {number}", "số {numbr}", 1);
    std::fs::write(&messages, broken).expect("write");

    let output = rollcall()
        .arg("check-dialogs")
        .arg(dir.path())
        .output()
        .expect("run");
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "broken dialogs must fail");
    assert!(stderr.contains("groups.toml"), "{stderr}");
    assert!(stderr.contains("kode"), "{stderr}");
    assert!(stderr.contains("messages.toml"), "{stderr}");
    assert!(stderr.contains("numbr"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn run_without_a_token_explains_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = rollcall()
        .args(["run", "--db"])
        .arg(dir.path().join("x.redb"))
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("TELOXIDE_TOKEN"));
}

#[test]
fn the_console_logs_sessions_into_the_same_database_the_report_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.redb");
    let granted = rollcall()
        .args(["grant", "--db"])
        .arg(&db)
        .args(["--user", "1", "--role", "organiser", "--centre", "Tràng An"])
        .output()
        .expect("run");
    assert!(granted.status.success(), "{}", text(&granted.stderr));
    // Buttons are pressed by number: 4 = Sức khỏe, 1 = new class, 1 = today, 1 = save.
    let first = console(&db, "/log\n4\n1\nPhòng chống dịch\n1\n45\n30\n1\n");
    let out = text(&first.stdout);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(out.contains("Đã lưu buổi học số 1"), "{out}");

    // A second run (a new process on the same file) offers the class as a button (1),
    // and a number that is also a button number is typed with a leading apostrophe.
    let second = console(&db, "/log\n4\n1\n2\n'2\n'1\n1\n");
    let out = text(&second.stdout);
    assert!(out.contains("[1] Phòng chống dịch"), "{out}");
    assert!(out.contains("Đã lưu buổi học số 2"), "{out}");
    assert!(out.contains("1 lớp, 47 lượt người, 31 nữ"), "{out}");

    let year = chrono::Utc::now().format("%Y").to_string();
    let report = rollcall()
        .args(["report", "--db"])
        .arg(&db)
        .arg("--dialogs")
        .arg(shipped_dialogs())
        .args(["--period", &year, "--centre", "tràng  an"])
        .output()
        .expect("run");
    let out = text(&report.stdout);
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(out.contains("Lớp 1 · Tổng 47 · Nữ 31"), "{out}");
    assert!(
        out.contains("Số người tham gia học tại TTHTCĐ: 47 người"),
        "{out}"
    );
}

#[test]
fn run_on_a_database_without_a_supervisor_says_how_to_bootstrap_one() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = rollcall()
        .args(["run", "--db"])
        .arg(dir.path().join("new.redb"))
        .arg("--dialogs")
        .arg(shipped_dialogs())
        .env("TELOXIDE_TOKEN", "1:test")
        // Nothing listens on the discard port: the bot keeps retrying getMe meanwhile.
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the bot");
    let stderr = child.stderr.take().expect("stderr");
    let mut seen = String::new();
    for line in BufReader::new(stderr).lines().take(20) {
        let line = line.expect("a line");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("--role supervisor") {
            break;
        }
    }
    child.kill().expect("stop the bot");
    child.wait().expect("reap the bot");
    assert!(seen.contains("nobody is a supervisor yet"), "{seen}");
    assert!(seen.contains("rollcall grant --db"), "{seen}");
}

#[test]
fn the_report_without_a_period_covers_the_reporting_year_from_period_start() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("report.redb");
    let period_of = |period_start: Option<&str>| {
        let mut command = rollcall();
        command
            .args(["report", "--db"])
            .arg(&db)
            .arg("--dialogs")
            .arg(shipped_dialogs())
            .args(["--format", "json"])
            .env_remove("ROLLCALL_CONFIG")
            .env_remove("ROLLCALL_PERIOD_START");
        if let Some(start) = period_start {
            command.env("ROLLCALL_PERIOD_START", start);
        }
        let output = command.output().expect("run");
        assert!(output.status.success(), "{}", text(&output.stderr));
        let json: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("the report as JSON");
        let date = |key: &str| {
            json["period"][key]
                .as_str()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or_else(|| panic!("period.{key} in {json}"))
        };
        (date("from"), date("to"))
    };
    // (period_start, month and day the period starts on)
    for (period_start, (month, day)) in [(None, (1, 1)), (Some("09-01"), (9, 1))] {
        let (from, to) = period_of(period_start);
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
            .date_naive();
        // The bot's day may have ended between its reading and this one.
        assert!(
            to == today || to.succ_opt() == Some(today),
            "{period_start:?}: up to today, not {to}"
        );
        assert_eq!(
            (from.month(), from.day()),
            (month, day),
            "{period_start:?}: {from}"
        );
        assert!(
            from <= to && to - from < chrono::Duration::days(366),
            "{period_start:?}: the latest start on or before today, not {from}..{to}"
        );
    }
}

#[test]
fn the_console_sends_lines_ending_in_a_backslash_as_one_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.redb");
    let granted = rollcall()
        .args(["grant", "--db"])
        .arg(&db)
        .args(["--user", "1", "--role", "organiser", "--centre", "Tràng An"])
        .output()
        .expect("run");
    assert!(granted.status.success(), "{}", text(&granted.stderr));
    // Two quick-entry lines as one message (issue 13: back-filling from the paper
    // register), then button 1, "Save all".
    let run = console(
        &db,
        "sk 45 30 Phòng chống dịch \\\nmt 30 10 Thu gom rác thải\n1\n",
    );
    let out = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(out.contains("Kiểm tra lại 2 buổi học"), "{out}");
    assert!(out.contains("Đã lưu 2 buổi học: số 1, 2"), "{out}");
}

/// One centre's sessions for the multi-database test: (group, class, date, total, female).
type Sessions = &'static [(&'static str, &'static str, (i32, u32, u32), u32, u32)];

/// Fills `store` with `centres` (name, members, sessions), in order.
fn fill_centres(store: &rollcall::store::Store, centres: &[(&str, i64, Sessions)]) {
    use chrono::{NaiveDate, TimeZone, Utc};
    use rollcall::domain::{ClassChoice, NewSession};
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("instant");
    store
        .write(|tx| {
            for (name, members, sessions) in centres {
                let centre = tx.ensure_centre(name)?;
                for user in 0..*members {
                    let id = 1_000 * i64::try_from(centre).expect("small id") + user;
                    tx.add_member(centre, id, rollcall::roles::Role::Organiser, "", 1, at)?;
                }
                for (group, class, (y, m, d), total, female) in sessions.iter() {
                    tx.save_session(&NewSession {
                        centre,
                        organiser: 7,
                        group: (*group).to_owned(),
                        class: ClassChoice::New {
                            name: (*class).to_owned(),
                            key: class.to_lowercase(),
                        },
                        date: NaiveDate::from_ymd_opt(*y, *m, *d).expect("date"),
                        total: *total,
                        female: *female,
                        extra: Default::default(),
                        created_at: at,
                    })?;
                }
            }
            Ok(())
        })
        .expect("filled");
}

#[test]
fn the_multi_db_report_equals_the_single_db_report_of_the_same_sessions() {
    const A1: Sessions = &[
        ("health", "Sốt xuất huyết", (2026, 2, 3), 40, 30),
        ("health", "Sốt xuất huyết", (2026, 3, 5), 35, 20),
        ("law", "Luật giao thông", (2026, 4, 1), 50, 10),
        ("health", "Sốt xuất huyết", (2025, 3, 5), 20, 10),
    ];
    const A2: Sessions = &[("arts", "Văn nghệ", (2025, 6, 1), 80, 60)];
    const B1: Sessions = &[
        ("law", "Luật đất đai", (2026, 5, 20), 60, 25),
        ("environment", "Rác thải", (2026, 5, 21), 25, 20),
        ("law", "Luật đất đai", (2025, 5, 20), 45, 15),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, all) = (
        dir.path().join("a.redb"),
        dir.path().join("b.redb"),
        dir.path().join("all.redb"),
    );
    fill_centres(
        &rollcall::store::Store::open(&a).expect("open"),
        &[("A1", 2, A1), ("A2", 1, A2)],
    );
    fill_centres(
        &rollcall::store::Store::open(&b).expect("open"),
        &[("B1", 0, B1)],
    );
    // The same sessions in one file, the centres named as the multi-db report names them.
    fill_centres(
        &rollcall::store::Store::open(&all).expect("open"),
        &[("a: A1", 2, A1), ("a: A2", 1, A2), ("Bắc: B1", 0, B1)],
    );
    // A bot is "running" on a.redb: this process holds it open, as `rollcall run` does.
    let running = rollcall::store::Store::open(&a).expect("held open");

    let run = |dbs: &[String], format: &str| -> (String, String) {
        let mut command = rollcall();
        command
            .env("RUST_LOG", "info")
            .args(["report", "--period", "1-6/2026", "--format", format]);
        for db in dbs {
            command.arg("--db").arg(db);
        }
        let output = command.output().expect("run");
        assert!(output.status.success(), "{}", text(&output.stderr));
        (text(&output.stdout), text(&output.stderr))
    };
    let report = |dbs: &[String], format: &str| run(dbs, format).0;
    let multi = [a.display().to_string(), format!("Bắc={}", b.display())];
    let single = [all.display().to_string()];
    for format in ["json", "centres", "text"] {
        assert_eq!(
            report(&multi, format),
            report(&single, format),
            "--format {format}"
        );
    }
    // a.redb was read from a verified copy, as the bot held it.
    let (_, log) = run(&multi, "json");
    assert!(log.contains("the file is in use"), "{log}");
    // And the numbers are the sessions': the summed table and last year's.
    let json: serde_json::Value =
        serde_json::from_str(&report(&multi, "json")).expect("valid JSON");
    assert_eq!(json["total"]["attendance"], 40 + 35 + 50 + 60 + 25);
    assert_eq!(json["last_year"]["total"]["attendance"], 20 + 80 + 45);
    assert_eq!(json["centres"][0]["name"], "a: A1");
    assert_eq!(json["centres"][0]["members"], 2);
    assert_eq!(json["centres"][0]["groups"]["health"]["classes"], 1);
    assert_eq!(json["centres"][2]["name"], "Bắc: B1");
    assert_eq!(json["centres"][2]["last_session"], "2026-05-21");
    // The file held open was only read.
    running
        .write(|tx| tx.ensure_centre("A3").map(drop))
        .expect("the bot's file is still its own");

    // Two files with the same stem must be labelled apart.
    let output = rollcall()
        .args(["report", "--format", "json", "--db"])
        .arg(&a)
        .arg("--db")
        .arg(&a)
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("LABEL=PATH"),
        "{}",
        text(&output.stderr)
    );
}
