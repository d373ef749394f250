//! End to end through the fake Bot API: a director sends a sessions file as a Telegram
//! document; the real bot downloads it (getFile, then the file), checks every row and
//! shows the verdict; "✅ Thêm" stores the sessions, and the report and `rollcall check`
//! agree. The template of `/mau` comes back as a file and, sent back unchanged, adds
//! nothing; an organiser's file and a file declared too large are answered without a
//! download.

mod support;

use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::time::Duration;
use support::{SentMessage, TestEnv, TestUser};

const CENTRE: &str = "Tràng An";

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs load")
}

fn text(key: &str) -> String {
    catalog().text(key, Lang::Vi).to_owned()
}

/// Waits (10 s) for a message to `user` after the first `after` whose text contains
/// `needle`.
async fn message_with(env: &TestEnv, user: &TestUser, after: usize, needle: &str) -> SentMessage {
    let needle = needle.to_owned();
    let chat = user.id;
    env.fake
        .wait_until(
            &format!("a message containing {needle:?}"),
            Duration::from_secs(10),
            move |fake| {
                fake.messages_to(chat)
                    .into_iter()
                    .skip(after)
                    .find(|m| m.text.contains(&needle))
            },
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_sends_a_sessions_file_confirms_it_and_the_report_has_the_sessions() {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(4000, "director", Some(CENTRE));
    env.grant(4001, "organiser", Some(CENTRE));
    env.start_bot().await;
    let director = env.fake.user(4000, "Xinh", Some("vi"));
    let organiser = env.fake.user(4001, "Lan", Some("vi"));

    let file = "\u{feff}Ngày,Hoạt động giáo dục,Lớp (chuyên đề),Tổng số,Nữ\n\
                05/03/2025,Chuyên đề Giáo dục sức khỏe,Phòng chống sốt xuất huyết,45,30\n\
                12/03/2025,sk,Phòng chống sốt xuất huyết,40,22\n\
                19/03/2025,Bóng đá,Lớp bóng đá,20,5\n";
    let before = env.fake.messages_to(director.id).len();
    env.fake
        .send_document(&director, "buoi-hoc-2025.csv", file.as_bytes());
    let check = message_with(&env, &director, before, "Sẽ thêm").await;
    assert!(check.text.contains("<b>2</b> buổi học"), "{}", check.text);
    assert!(
        check
            .text
            .contains("Dòng 4: không có hoạt động giáo dục «Bóng đá»"),
        "{}",
        check.text
    );
    assert_eq!(env.fake.calls("getfile").len(), 1);

    let added = env
        .fake
        .press_and_wait(&director, &check, "✅ Thêm 2 buổi")
        .await;
    assert!(
        added.text.starts_with("✅ Đã thêm 2 buổi học (số 1–2)"),
        "{}",
        added.text
    );

    // The same file again adds nothing, naming the stored sessions.
    let before = env.fake.messages_to(director.id).len();
    env.fake
        .send_document(&director, "buoi-hoc-2025.csv", file.as_bytes());
    let again = message_with(&env, &director, before, "Không có buổi học nào để thêm").await;
    assert!(
        again.text.contains("Dòng 2: giống hệt buổi số 1 đã lưu"),
        "{}",
        again.text
    );
    assert!(again.inline_buttons().is_empty(), "{}", again.text);

    // The template comes as a file; sent back unchanged it adds nothing.
    let before = env.fake.messages_to(director.id).len();
    let help = env.fake.send_and_wait(&director, "/mau").await;
    assert!(
        help.text.contains("Đưa các buổi học trước đây vào báo cáo"),
        "{}",
        help.text
    );
    let template = env
        .fake
        .wait_for_file(director.id, before, "mau-nhap-buoi-hoc.xlsx")
        .await;
    let bytes = template.file.expect("the template").bytes;
    let before = env.fake.messages_to(director.id).len();
    env.fake
        .send_document(&director, "mau-nhap-buoi-hoc.xlsx", &bytes);
    let back = message_with(&env, &director, before, "dòng ví dụ của tệp mẫu").await;
    assert!(
        back.text.contains("Không có buổi học nào để thêm"),
        "{}",
        back.text
    );

    // An organiser's file and a file declared above 2 MB are answered at once, and
    // never downloaded.
    let getfiles = env.fake.calls("getfile").len();
    let before = env.fake.messages_to(organiser.id).len();
    env.fake
        .send_document(&organiser, "buoi.csv", file.as_bytes());
    let refused = message_with(&env, &organiser, before, &text("access.directors_only")).await;
    assert!(refused.inline_buttons().is_empty());
    let before = env.fake.messages_to(director.id).len();
    env.fake
        .send_document_sized(&director, "lon.xlsx", b"PK", 3 * 1024 * 1024);
    message_with(&env, &director, before, "Tệp này lớn quá").await;
    // A barrier: the reply to a later message proves the earlier ones were handled.
    let barrier = env.fake.send_and_wait(&director, "/help").await;
    assert!(barrier.text.contains("/mau"), "{}", barrier.text);
    assert_eq!(env.fake.calls("getfile").len(), getfiles);
    assert!(env.fake.unknown_calls().is_empty());

    // The report of 2025 has the two sessions, and the counters agree with them.
    env.stop_bot().await;
    let db = env.db_path.to_string_lossy().into_owned();
    let (status, out, err) = env.rollcall(&[
        "report", "--db", &db, "--centre", CENTRE, "--period", "2025", "--format", "json",
    ]);
    assert!(status.success(), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(report["total"]["attendance"], 85, "{out}");
    assert_eq!(report["total"]["female"], 52, "{out}");
    assert_eq!(report["total"]["classes"], 1, "{out}");
    let (status, out, err) = env.rollcall(&["check", "--db", &db]);
    assert!(status.success(), "{out}{err}");
}
