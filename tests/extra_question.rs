//! A centre adds an optional question to `dialogs/session.toml` without touching code:
//! the dialog asks it, the answer is stored with the session, and the CSV and the
//! spreadsheet export it. Driven through the console adapter on a real redb file.

use rollcall::dialog::load_dir;
use rollcall::domain::{Period, YearStart};
use rollcall::roles::Role;
use rollcall::runtime::Runtime;
use rollcall::store::Store;
use std::path::Path;
use std::sync::Arc;

/// A centre's dialogs folder: the shipped files with `extra` appended to session.toml,
/// loaded as the bot would; a real redb file with organiser 7 of "Tràng An"; and the
/// runtime over both. The folder and the file live in the returned directory.
fn centre_with_extra_question(extra: &str) -> (tempfile::TempDir, Store, Runtime) {
    let dir = tempfile::tempdir().expect("tempdir");
    let dialogs = dir.path().join("dialogs");
    std::fs::create_dir(&dialogs).expect("mkdir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs");
    for entry in std::fs::read_dir(&shipped).expect("dialogs") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dialogs.join(path.file_name().expect("name"))).expect("copy");
    }
    let session = std::fs::read_to_string(dialogs.join("session.toml")).expect("read");
    std::fs::write(
        dialogs.join("session.toml"),
        format!("{session}\n{extra}\n"),
    )
    .expect("write");
    let catalog = load_dir(&dialogs).expect("the extended dialogs load");
    let store = Store::open(&dir.path().join("db.redb")).expect("open");
    store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.add_member(centre, 7, Role::Organiser, "Lan", 0, chrono::Utc::now())
                .map(drop)
        })
        .expect("grant");
    let runtime = Runtime {
        catalog: Arc::new(catalog),
        bot_username: None,
        zone: chrono_tz::Asia::Ho_Chi_Minh,
        year_start: YearStart::default(),
        entry: rollcall::domain::EntryRules::default(),
    };
    (dir, store, runtime)
}

/// What organiser 7 sees typing `script` (one message per line) into the console.
fn console(store: &Store, runtime: &Runtime, script: &str) -> String {
    let mut output = Vec::new();
    rollcall::console::run(
        store,
        runtime,
        7,
        chrono_tz::Asia::Ho_Chi_Minh,
        script.as_bytes(),
        &mut output,
    )
    .expect("console");
    String::from_utf8(output).expect("utf-8")
}

#[test]
fn an_extra_question_needs_no_code_and_its_answer_is_stored_and_exported() {
    // Uncomment the example "zone" question shipped in session.toml, as a centre would.
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs/session.toml"))
            .expect("read");
    let example: String = shipped
        .lines()
        .skip_while(|l| !l.starts_with("# [[question]]"))
        .take_while(|l| !l.starts_with("# A free-text question"))
        .map(|l| {
            l.strip_prefix("# ")
                .or_else(|| l.strip_prefix('#'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(example.contains("id = \"zone\""), "{example}");
    let (_dir, store, runtime) = centre_with_extra_question(&example);
    assert!(runtime.catalog.question("zone").is_some());

    // Buttons by number: 4 = Sức khỏe, 1 = new class, 1 = today, then the new question:
    // 2 = "Nhà văn hóa thôn", then 1 = Save.
    let output = console(
        &store,
        &runtime,
        "/log\n4\n1\nPhòng chống dịch\n1\n45\n30\n2\n1\n",
    );
    assert!(
        output.contains("Buổi học tổ chức ở đâu?"),
        "the new question was asked:\n{output}"
    );
    assert!(
        output.contains("Địa điểm: Nhà văn hóa thôn, tổ dân phố"),
        "in the summary:\n{output}"
    );
    assert!(output.contains("Đã lưu buổi học số 1"), "{output}");

    let today =
        rollcall::domain::Now::in_zone(chrono::Utc::now(), chrono_tz::Asia::Ho_Chi_Minh).today;
    let period = Period::reporting_year_to_date(YearStart::default(), today);
    let (sessions, classes) = store
        .read(|tx| {
            let sessions = tx.sessions(None, period)?;
            let classes = tx.classes_of(&sessions)?;
            Ok((sessions, classes))
        })
        .expect("read");
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].extra.get("zone").map(String::as_str),
        Some("village")
    );
    let csv = rollcall::report::sessions_csv(
        &runtime.catalog,
        &sessions,
        &classes,
        rollcall::domain::Lang::Vi,
    );
    let csv = String::from_utf8(csv).expect("utf-8");
    let header = csv.lines().next().expect("a header");
    assert!(header.contains("zone"), "{header}");
    assert!(
        csv.lines().nth(1).expect("a row").contains("village"),
        "{csv}"
    );
}

/// Regression: a centre's own number question bounded by `at_most` used to get the
/// "more women than people, swap them?" offer when a larger number was typed, and accepting
/// it overwrote the attendance and the women's count. Only the women's question may offer
/// a swap; any other is refused with its limit and asked again.
#[test]
fn an_extra_at_most_question_is_refused_not_offered_a_swap_of_total_and_female() {
    let youth = r#"
[[question]]
id = "youth"
kind = "number"
min = 0
max = 100000
at_most = "total"
prompt.vi = "Trong đó có bao nhiêu thanh niên?"
prompt.en = "How many of them were young people?"
label.vi = "Thanh niên"
label.en = "Young people"
"#;
    let (_dir, store, runtime) = centre_with_extra_question(youth);
    // 45 people, 30 women, then 50 young people (more than attended), then 1 (Yes, if a
    // swap were offered; a refusal takes it as the answer instead), then Save.
    let output = console(
        &store,
        &runtime,
        "/log\n4\n1\nPhòng chống dịch\n1\n45\n30\n50\n1\n1\n",
    );
    assert!(
        !output.contains("Số nữ lớn hơn số người"),
        "no swap offered:\n{output}"
    );
    assert!(
        output.contains("Số này không thể lớn hơn Số người tham gia (45)."),
        "refused with its limit:\n{output}"
    );
    assert!(output.contains("Đã lưu buổi học số 1"), "{output}");
    let sessions = store
        .read(|tx| {
            tx.sessions(
                None,
                Period::new(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX).expect("period"),
            )
        })
        .expect("read");
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0].total, sessions[0].female),
        (45, 30),
        "the attendance and women stay as typed"
    );
    assert_eq!(
        sessions[0].extra.get("youth").map(String::as_str),
        Some("1")
    );
}
