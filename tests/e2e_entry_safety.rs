//! Entry safety end to end (issue 13): the real binary against the fake Bot API. An open
//! draft does not swallow the next entry, a removed member's Save stores nothing, and a
//! message sent at 23:59 but handled after midnight is dated the day it was sent.

mod support;

use rollcall::domain::Period;
use rollcall::store::Store;
use std::time::Duration;
use support::TestEnv;

const DIRECTOR: i64 = 601;
const ORGANISER: i64 = 602;

/// A centre with a director and an organiser; the bot sends without rate limits.
async fn centre(extra_env: &[(&str, &str)]) -> TestEnv {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    for (key, value) in extra_env {
        env.extra_env.push(((*key).to_owned(), (*value).to_owned()));
    }
    env.grant(DIRECTOR, "director", Some("Tràng An"));
    env.grant(ORGANISER, "organiser", Some("Tràng An"));
    env.start_bot().await;
    env
}

/// Every stored session (the bot must be stopped: one process per redb file).
fn stored_sessions(env: &TestEnv) -> Vec<rollcall::domain::SessionRecord> {
    let store = Store::open(&env.db_path).expect("open the database");
    let all = Period {
        from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"),
        to: chrono::NaiveDate::from_ymd_opt(2100, 1, 1).expect("date"),
    };
    store
        .read(|tx| tx.sessions(None, all))
        .expect("read sessions")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_draft_does_not_swallow_the_next_quick_entry() {
    let mut env = centre(&[]).await;
    let fake = env.fake.clone();
    let organiser = fake.user(ORGANISER, "Lan", Some("vi"));
    let groups = fake.send_and_wait(&organiser, "/log").await;
    let classes = fake.press_and_wait(&organiser, &groups, "Sức khỏe").await;
    let typed = fake
        .press_and_wait(&organiser, &classes, "➕ Lớp mới")
        .await;
    assert!(typed.text.contains("Gõ tên lớp"), "{}", typed.text);
    let held = fake
        .send_and_wait(&organiser, "kt 40 12 Trồng nấm rơm")
        .await;
    assert!(held.text.contains("Bỏ bản nháp cũ"), "{}", held.text);
    let summary = fake
        .press_and_wait(&organiser, &held, "🆕 Bỏ nháp cũ, ghi mục mới")
        .await;
    assert!(summary.text.contains("Kinh tế"), "{}", summary.text);
    assert!(summary.text.contains("Trồng nấm rơm"), "{}", summary.text);
    let saved = fake.press_and_wait(&organiser, &summary, "✅ Lưu").await;
    assert!(saved.text.contains("Đã lưu"), "{}", saved.text);
    env.stop_bot().await;
    let sessions = stored_sessions(&env);
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0].group.as_str(), sessions[0].total),
        ("economy", 40)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_member_cannot_save_the_draft_they_had_open() {
    let mut env = centre(&[]).await;
    let fake = env.fake.clone();
    let organiser = fake.user(ORGANISER, "Lan", Some("vi"));
    let director = fake.user(DIRECTOR, "Tuấn", Some("vi"));
    let summary = fake
        .send_and_wait(&organiser, "sk 45 30 Phòng chống dịch")
        .await;
    assert!(summary.text.contains("Kiểm tra lại"), "{}", summary.text);

    let members = fake.send_and_wait(&director, "/members").await;
    let confirm = fake.press_and_wait(&director, &members, "Xóa Lan").await;
    let removed = fake.press_and_wait(&director, &confirm, "Xóa").await;
    assert!(removed.text.contains("Lan"), "{}", removed.text);

    // The old summary's Save, then a barrier: the reply to /help proves the press was
    // handled before it.
    let before = fake.messages_to(ORGANISER).len();
    let save = summary
        .inline_buttons()
        .into_iter()
        .find(|(label, _)| label == "✅ Lưu")
        .expect("a Save button")
        .1;
    fake.press(&organiser, &summary, &save);
    let barrier = fake.send_and_wait(&organiser, "/help").await;
    let after: Vec<String> = fake
        .messages_to(ORGANISER)
        .into_iter()
        .skip(before)
        .map(|m| m.text)
        .collect();
    assert_eq!(after.last(), Some(&barrier.text));
    assert!(
        after.iter().all(|text| !text.contains("Đã lưu")),
        "{after:?}"
    );
    env.stop_bot().await;
    assert!(stored_sessions(&env).is_empty(), "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_sent_at_2359_and_handled_after_midnight_is_dated_the_day_it_was_sent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = dir.path().join("clock");
    // 00:05 on 8 December in Hà Nội (UTC+7): the bot was down across midnight.
    std::fs::write(&clock, "2026-12-07T17:05:00Z").expect("clock");
    let clock_path = clock.display().to_string();
    let mut env = centre(&[("ROLLCALL_CLOCK_FILE", clock_path.as_str())]).await;
    let fake = env.fake.clone();
    let organiser = fake.user(ORGANISER, "Lan", Some("vi"));
    // Sent at 23:59 on 7 December local time (16:59 UTC).
    let sent = chrono::DateTime::parse_from_rfc3339("2026-12-07T16:59:00Z")
        .expect("time")
        .timestamp();
    let before = fake.messages_to(ORGANISER).len();
    fake.send_text_sent_at(&organiser, "sk 45 30 Phòng chống dịch", sent);
    let summary = fake
        .wait_for_message(ORGANISER, before, Duration::from_secs(10))
        .await;
    assert!(summary.text.contains("07/12/2026"), "{}", summary.text);
    let saved = fake.press_and_wait(&organiser, &summary, "✅ Lưu").await;
    assert!(saved.text.contains("Đã lưu"), "{}", saved.text);
    env.stop_bot().await;
    let sessions = stored_sessions(&env);
    assert_eq!(
        sessions.iter().map(|s| s.date).collect::<Vec<_>>(),
        [chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")]
    );
}
