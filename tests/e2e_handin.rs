//! End to end through the fake Bot API: a director hands in the report of 1-10/2020 and
//! the supervisor receives it (the table, the chart, the spreadsheet, the CSV and the
//! Word document); an organiser then corrects a session of that period; the director is
//! told once, the supervisor's `/submissions` shows the hand-in as changed, and a new
//! hand-in from the notice's button supersedes it.

mod document_support;
mod support;

use document_support::{fill_seed, CENTRE};
use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::time::Duration;
use support::{SentMessage, TestEnv, TestUser};

const DIRECTOR: i64 = 3000;
const ORGANISER: i64 = 3001;
const SUPERVISOR: i64 = 3002;

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs load")
}

fn text(key: &str) -> String {
    catalog().text(key, Lang::Vi).to_owned()
}

/// The first message to `user` after the first `after` whose text contains `part`.
async fn wait_for_text(env: &TestEnv, user: &TestUser, after: usize, part: &str) -> SentMessage {
    let (id, part) = (user.id, part.to_owned());
    env.fake
        .wait_until(
            &format!("a message with {part:?} to {id}"),
            Duration::from_secs(10),
            move |fake| {
                fake.messages_to(id)
                    .into_iter()
                    .skip(after)
                    .find(|m| m.text.contains(&part))
            },
        )
        .await
}

/// Presses the hand-in button `label` under `under`, then "✅ Nộp"; returns the
/// confirmation the director got.
async fn hand_in_from(
    env: &TestEnv,
    director: &TestUser,
    under: &SentMessage,
    label: &str,
) -> SentMessage {
    let question = env.fake.press_and_wait(director, under, label).await;
    assert!(
        question.text.contains("cho phòng giáo dục?"),
        "{}",
        question.text
    );
    let done = env
        .fake
        .press_and_wait(director, &question, &text("handin.confirm_button"))
        .await;
    assert!(done.text.starts_with("✅ Đã nộp báo cáo"), "{}", done.text);
    done
}

/// Waits for the whole hand-in at the supervisor after their first `after` messages: the
/// line saying who handed in, the table, and the four files.
async fn received(env: &TestEnv, supervisor: &TestUser, after: usize) -> SentMessage {
    let header = wait_for_text(env, supervisor, after, "📥").await;
    assert!(
        header.text.contains(
            "<b>TTHTCĐ phường Tràng An</b> nộp báo cáo kỳ <b>01/01/2020 – 31/10/2020</b>"
        ),
        "{}",
        header.text
    );
    let table = wait_for_text(env, supervisor, after, "Kết quả thực hiện").await;
    for suffix in [".png", ".xlsx", ".csv", ".docx"] {
        let file = env.fake.wait_for_file(supervisor.id, after, suffix).await;
        assert!(
            !file.file.expect("a file").bytes.is_empty(),
            "{suffix} is empty"
        );
    }
    table
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_hands_in_the_supervisor_receives_it_an_organiser_edits_a_session_of_that_period_the_submission_shows_changed_and_the_director_is_told(
) {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    fill_seed(&env.db_path);
    env.grant(DIRECTOR, "director", Some(CENTRE));
    env.grant(ORGANISER, "organiser", Some(CENTRE));
    env.grant(SUPERVISOR, "supervisor", None);
    env.start_bot().await;
    let director = env.fake.user(DIRECTOR, "Xinh", Some("vi"));
    let organiser = env.fake.user(ORGANISER, "Lan", Some("vi"));
    let supervisor = env.fake.user(SUPERVISOR, "Hà", Some("vi"));

    // The organiser logs a session inside the period: 20.868 + 45 attendances.
    let summary = env
        .fake
        .send_and_wait(&organiser, "sk 45 30 15/10/2020 Phòng chống dịch")
        .await;
    let saved = env
        .fake
        .press_and_wait(&organiser, &summary, &text("dialog.save_button"))
        .await;
    assert!(saved.text.contains("Đã lưu"), "{}", saved.text);

    // The director hands in 1-10/2020 from under the report.
    let before = env.fake.messages_to(director.id).len();
    let report = env.fake.send_and_wait(&director, "/report 1-10/2020").await;
    assert!(
        report
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 20.913 người"),
        "{}",
        report.text
    );
    env.fake.wait_for_file(director.id, before, ".csv").await;
    assert!(env.fake.messages_to(supervisor.id).is_empty());
    hand_in_from(&env, &director, &report, &text("handin.button")).await;

    // The supervisor receives the table of /report and the files.
    let table = received(&env, &supervisor, 0).await;
    assert!(
        table
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 20.913 người"),
        "{}",
        table.text
    );

    // The organiser corrects the session: 45 → 50 people.
    let catalog = catalog();
    let mine = env.fake.send_and_wait(&organiser, "/mine").await;
    let opened = env
        .fake
        .press_and_wait(&organiser, &mine, &mine.inline_buttons()[0].0)
        .await;
    let menu = env
        .fake
        .press_and_wait(&organiser, &opened, &text("dialog.edit_button"))
        .await;
    let total_label = catalog.question("total").expect("total").1.label.vi.clone();
    env.fake
        .press_and_wait(&organiser, &menu, &total_label)
        .await;
    let summary = env.fake.send_and_wait(&organiser, "50").await;
    let updated = env
        .fake
        .press_and_wait(&organiser, &summary, &text("dialog.save_button"))
        .await;
    assert!(updated.text.contains("Đã sửa buổi học"), "{}", updated.text);

    // The director is told, with a button to hand in again.
    let notice = wait_for_text(&env, &director, 0, "đã thay đổi sau khi nộp").await;
    assert!(
        notice
            .text
            .contains("Báo cáo kỳ 01/01/2020 – 31/10/2020 của <b>TTHTCĐ phường Tràng An</b>"),
        "{}",
        notice.text
    );
    assert_eq!(
        notice.inline_buttons()[0].0,
        text("handin.again_button"),
        "{:?}",
        notice.inline_buttons()
    );

    // A second correction tells the director nothing more: their /help, sent after it,
    // is answered with nothing queued before it.
    let mine = env.fake.send_and_wait(&organiser, "/mine").await;
    let opened = env
        .fake
        .press_and_wait(&organiser, &mine, &mine.inline_buttons()[0].0)
        .await;
    let menu = env
        .fake
        .press_and_wait(&organiser, &opened, &text("dialog.edit_button"))
        .await;
    env.fake
        .press_and_wait(&organiser, &menu, &total_label)
        .await;
    let summary = env.fake.send_and_wait(&organiser, "55").await;
    env.fake
        .press_and_wait(&organiser, &summary, &text("dialog.save_button"))
        .await;
    let count = env.fake.messages_to(director.id).len();
    let help = env.fake.send_and_wait(&director, "/help").await;
    assert!(!help.text.contains("đã thay đổi"), "{}", help.text);
    assert_eq!(
        env.fake
            .messages_to(director.id)
            .iter()
            .filter(|m| m.text.contains("đã thay đổi sau khi nộp"))
            .count(),
        1
    );
    assert!(env.fake.messages_to(director.id).len() > count);

    // The supervisor's /submissions shows the hand-in as changed.
    let listed = env
        .fake
        .send_and_wait(&supervisor, "/submissions 1-10/2020")
        .await;
    assert!(
        listed.text.contains("1/2 trung tâm đã nộp"),
        "{}",
        listed.text
    );
    assert!(
        listed
            .text
            .contains("⚠️ <b>TTHTCĐ phường Tràng An</b>: nộp"),
        "{}",
        listed.text
    );
    assert!(
        listed.text.contains("(20.913 lượt người)"),
        "as handed in: {}",
        listed.text
    );
    assert!(
        listed.text.contains("đã thay đổi sau khi nộp"),
        "{}",
        listed.text
    );
    assert!(
        listed
            .text
            .contains("⬜ <b>TTHTCĐ xã Ninh Nhất</b>: chưa nộp"),
        "{}",
        listed.text
    );

    // The notice's button hands in again: the supervisor gets the new numbers, and the
    // new hand-in supersedes the changed one.
    let after = env.fake.messages_to(supervisor.id).len();
    hand_in_from(&env, &director, &notice, &text("handin.again_button")).await;
    let table = received(&env, &supervisor, after).await;
    assert!(
        table
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 20.923 người"),
        "45 → 55: {}",
        table.text
    );
    let listed = env
        .fake
        .send_and_wait(&supervisor, "/submissions 1-10/2020")
        .await;
    assert!(
        listed
            .text
            .contains("✅ <b>TTHTCĐ phường Tràng An</b>: nộp")
            && listed.text.contains("(20.923 lượt người)")
            && !listed.text.contains("đã thay đổi"),
        "{}",
        listed.text
    );
}
