//! End-to-end tests of reminders with a controllable clock: the real binary reads "now"
//! from a file (`ROLLCALL_CLOCK_FILE`), so the tests move time instead of sleeping. Group
//! reminders, the "no session today" button under them, and the deadline reminder.

mod support;

use std::path::PathBuf;
use std::time::Duration;
use support::TestEnv;

const DIRECTOR: i64 = 700;
const REPORTED: i64 = 701;
const SILENT: i64 = 702;
const GROUP: i64 = -100_900;

/// Moves the bot's clock. Written to a temporary file and renamed over the clock file, so
/// the bot never reads it half-written: a truncated file made the bot fall back to the
/// system clock for one tick, which skipped the reminder as "missed" and recorded it, so
/// the next evening's firing never came (a flake seen once in about eight runs).
fn set_clock(path: &PathBuf, rfc3339: &str) {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, rfc3339).expect("write the clock file");
    std::fs::rename(&partial, path).expect("move the clock file into place");
}

/// A test environment whose bot reads the time from a clock file set to `rfc3339`; the
/// file's path is returned to move the clock. The scheduler's debug line per tick is on,
/// for `ticks_at`.
async fn env_with_clock(rfc3339: &str) -> (TestEnv, PathBuf) {
    let mut env = TestEnv::new().await;
    let clock = env.dir.path().join("clock");
    set_clock(&clock, rfc3339);
    env.extra_env.push((
        "ROLLCALL_CLOCK_FILE".to_owned(),
        clock.display().to_string(),
    ));
    env.extra_env.push((
        "RUST_LOG".to_owned(),
        "info,rollcall::reminders::scheduler=debug".to_owned(),
    ));
    (env, clock)
}

/// Barrier for the scheduler: waits until it has finished `at_least` ticks with the clock
/// at `rfc3339` (its "reminder tick done" line, logged after the tick's commit), and
/// returns how many messages all the ticks at that time queued. Two ticks show that the
/// one after a firing did not fire again. The log is re-read until the line
/// is there: this waits for something to happen, it does not sleep to see that nothing does.
async fn ticks_at(env: &TestEnv, rfc3339: &str, at_least: usize) -> usize {
    let at = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .expect("an RFC 3339 time")
        .to_utc()
        .to_rfc3339();
    let needle = format!("at={at} ");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let logs = env.bot_logs();
        let messages: Vec<usize> = logs
            .lines()
            .filter(|line| line.contains("reminder tick done") && line.contains(&needle))
            .map(|line| {
                let (_, rest) = line.split_once("messages=").expect("a messages field");
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().expect("a count")
            })
            .collect();
        if messages.len() >= at_least {
            return messages.iter().sum();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not {at_least} reminder ticks at {at} within 10 s:\n{logs}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Barrier for a chat: `who` sends `command` there (in `group`, or privately) and the test
/// waits for its reply, recognised by `marker`. The bot handles a chat's updates in order
/// and sends a chat's messages in order, so when the reply has come, whatever was queued
/// for the chat before it has come too. Returns the reply's index among the chat's
/// messages, searching from `from`: equal to `from` when nothing else arrived meanwhile.
async fn sentinel(
    fake: &support::FakeTelegram,
    who: &support::TestUser,
    group: Option<i64>,
    command: &str,
    marker: &str,
    from: usize,
) -> usize {
    let chat = match group {
        Some(group) => {
            fake.send_text_in_group(who, group, command);
            group
        }
        None => {
            fake.send_text(who, command);
            who.id
        }
    };
    fake.wait_until(
        &format!("the reply to the sentinel {command}"),
        Duration::from_secs(10),
        |fake| {
            fake.messages_to(chat)
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, m)| m.text.contains(marker))
                .map(|(i, _)| i)
        },
    )
    .await
}

/// `sentinel` in the group, with `/reminders`.
async fn group_sentinel(fake: &support::FakeTelegram, director: &support::TestUser) -> usize {
    let from = fake.messages_to(GROUP).len();
    sentinel(
        fake,
        director,
        Some(GROUP),
        "/reminders@rollcall_test_bot",
        "Nhắc nhở của nhóm",
        from,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_reminder_arrives_on_time_names_who_has_not_reported_and_opens_the_dialog() {
    // Thursday 26/11/2026, 19:00 in Hà Nội.
    let (mut env, clock) = env_with_clock("2026-11-26T12:00:00Z").await;
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(DIRECTOR, "director", Some("Tràng An"));
    env.grant(REPORTED, "organiser", Some("Tràng An"));
    env.grant(SILENT, "organiser", Some("Tràng An"));
    env.start_bot().await;
    let fake = env.fake.clone();
    fake.group(GROUP, "TTHTCĐ Tràng An");
    let director = fake.user(DIRECTOR, "Tuấn", Some("vi"));
    let reported = fake.user(REPORTED, "Lan", Some("vi"));
    let silent = fake.user(SILENT, "Hoa", Some("vi"));
    // Both organisers have written to the bot once, so their names are known.
    fake.send_and_wait(&reported, "/help").await;
    fake.send_and_wait(&silent, "/help").await;

    fake.send_text_in_group(&director, GROUP, "/link@rollcall_test_bot");
    fake.wait_for_message(GROUP, 0, Duration::from_secs(10))
        .await;
    fake.send_text_in_group(&director, GROUP, "/remind@rollcall_test_bot 20:00 chưa báo");
    let set = fake
        .wait_for_message(GROUP, 1, Duration::from_secs(10))
        .await;
    assert!(set.text.contains("20:00"), "{}", set.text);

    let summary = fake
        .send_and_wait(&reported, "sk 12 7 Phòng chống dịch")
        .await;
    fake.press_and_wait(&reported, &summary, "✅ Lưu").await;

    // 19:59:30 local: nothing yet. The scheduler has looked at 19:59:30 and queued
    // nothing, and the group's next message is the sentinel's reply.
    set_clock(&clock, "2026-11-26T12:59:30Z");
    assert_eq!(ticks_at(&env, "2026-11-26T12:59:30Z", 1).await, 0);
    assert_eq!(
        group_sentinel(&fake, &director).await,
        2,
        "no reminder before 20:00"
    );

    // 20:00:10 local: the reminder arrives, naming Hoa only.
    set_clock(&clock, "2026-11-26T13:00:10Z");
    let reminder = fake
        .wait_for_message(GROUP, 3, Duration::from_secs(10))
        .await;
    assert!(reminder.text.contains("Tràng An"), "{}", reminder.text);
    assert!(reminder.text.contains("Hoa"), "{}", reminder.text);
    assert!(!reminder.text.contains("Lan"), "{}", reminder.text);
    let markup = reminder.reply_markup.clone().expect("a button");
    assert_eq!(
        markup["inline_keyboard"][0][0]["url"],
        "https://t.me/rollcall_test_bot?start=log"
    );

    // The button's deep link sends /start log: the dialog opens.
    let dialog = fake.send_and_wait(&silent, "/start log").await;
    assert_eq!(dialog.inline_buttons().len(), 10, "{}", dialog.text);

    // A restart a minute later does not send it again; the next evening it comes once more.
    env.restart_bot().await;
    set_clock(&clock, "2026-11-26T13:01:00Z");
    assert_eq!(ticks_at(&env, "2026-11-26T13:01:00Z", 1).await, 0);
    assert_eq!(group_sentinel(&fake, &director).await, 4, "sent once");
    set_clock(&clock, "2026-11-27T13:00:05Z");
    let next = fake
        .wait_for_message(GROUP, 5, Duration::from_secs(10))
        .await;
    assert!(next.text.contains("Tràng An"));
    // Every tick at that time together queued the one reminder, and nothing follows it.
    assert_eq!(ticks_at(&env, "2026-11-27T13:00:05Z", 2).await, 1);
    assert_eq!(
        group_sentinel(&fake, &director).await,
        6,
        "exactly one per firing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_without_a_session_presses_the_group_button_and_is_not_named_again_that_day() {
    // Thursday 26/11/2026, 19:00 in Hà Nội.
    let (mut env, clock) = env_with_clock("2026-11-26T12:00:00Z").await;
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(DIRECTOR, "director", Some("Tràng An"));
    env.grant(SILENT, "organiser", Some("Tràng An"));
    env.start_bot().await;
    let fake = env.fake.clone();
    fake.group(GROUP, "TTHTCĐ Tràng An");
    let director = fake.user(DIRECTOR, "Tuấn", Some("vi"));
    let silent = fake.user(SILENT, "Hoa", Some("vi"));
    let stranger = fake.user(703, "Khách", Some("vi"));
    fake.send_and_wait(&silent, "/help").await;
    fake.send_text_in_group(&director, GROUP, "/link@rollcall_test_bot");
    fake.wait_for_message(GROUP, 0, Duration::from_secs(10))
        .await;
    // Two reminders naming who has not reported: 20:00 and 21:00.
    fake.send_text_in_group(&director, GROUP, "/remind@rollcall_test_bot 20:00 chưa báo");
    fake.wait_for_message(GROUP, 1, Duration::from_secs(10))
        .await;
    fake.send_text_in_group(&director, GROUP, "/remind@rollcall_test_bot 21:00 chưa báo");
    fake.wait_for_message(GROUP, 2, Duration::from_secs(10))
        .await;

    set_clock(&clock, "2026-11-26T13:00:10Z");
    let reminder = fake
        .wait_for_message(GROUP, 3, Duration::from_secs(10))
        .await;
    assert!(
        reminder.text.contains("Chưa nhận báo cáo của Hoa"),
        "{}",
        reminder.text
    );
    // One keyboard: the link into the private chat, then the button.
    let markup = reminder.reply_markup.clone().expect("buttons");
    assert_eq!(
        markup["inline_keyboard"][0][0]["url"],
        "https://t.me/rollcall_test_bot?start=log"
    );
    assert_eq!(
        markup["inline_keyboard"][1][0]["text"],
        "Hôm nay không có buổi học"
    );
    let data = markup["inline_keyboard"][1][0]["callback_data"]
        .as_str()
        .expect("callback data")
        .to_owned();

    // Someone who is not a member is told so; Hoa is recorded, each with a short notice.
    let answers = fake.calls("answerCallbackQuery").len();
    fake.press(&stranger, &reminder, &data);
    let refused = fake
        .wait_for_call("answerCallbackQuery", answers, Duration::from_secs(10))
        .await;
    assert_eq!(
        refused["text"],
        "Nút này dành cho thành viên của trung tâm. Xin cảm ơn anh/chị!"
    );
    fake.press(&silent, &reminder, &data);
    let noted = fake
        .wait_for_call("answerCallbackQuery", answers + 1, Duration::from_secs(10))
        .await;
    assert_eq!(
        noted["text"],
        "Đã ghi nhận: anh/chị không có buổi học ngày 26/11/2026."
    );

    // At 21:00 nobody is missing any more.
    set_clock(&clock, "2026-11-26T14:00:10Z");
    let later = fake
        .wait_for_message(GROUP, 4, Duration::from_secs(10))
        .await;
    assert!(!later.text.contains("Hoa"), "{}", later.text);
    assert!(later.text.contains("Đã nhận đủ báo cáo"), "{}", later.text);
    assert_eq!(
        fake.messages_to(GROUP).len(),
        5,
        "the presses said nothing in the group"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_reminder_reaches_the_director_privately_once_with_a_report_button() {
    // Sunday 1/11/2026, 10:00 in Hà Nội.
    let (mut env, clock) = env_with_clock("2026-11-01T03:00:00Z").await;
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(DIRECTOR, "director", Some("Tràng An"));
    env.grant(REPORTED, "organiser", Some("Tràng An"));
    env.start_bot().await;
    let fake = env.fake.clone();
    let director = fake.user(DIRECTOR, "Tuấn", Some("vi"));
    let organiser = fake.user(REPORTED, "Lan", Some("vi"));

    let set = fake.send_and_wait(&director, "/deadline 25 3").await;
    assert!(set.text.contains("25"), "{}", set.text);
    // Without arguments it says what is set now, read back from the database.
    let shown = fake.send_and_wait(&director, "/deadline").await;
    assert!(
        shown
            .text
            .starts_with("Hiện tại: hạn báo cáo ngày 25 hằng tháng")
            && shown.text.contains("3 ngày trước, lúc 08:00"),
        "{}",
        shown.text
    );
    let summary = fake
        .send_and_wait(&organiser, "sk 12 7 Phòng chống dịch")
        .await;
    fake.press_and_wait(&organiser, &summary, "✅ Lưu").await;
    let before = fake.messages_to(DIRECTOR).len();

    // 22/11 07:59:30 local: nothing yet; 08:00:10: the reminder with the totals.
    set_clock(&clock, "2026-11-22T00:59:30Z");
    assert_eq!(ticks_at(&env, "2026-11-22T00:59:30Z", 1).await, 0);
    assert_eq!(
        sentinel(&fake, &director, None, "/help", "Hướng dẫn", before).await,
        before,
        "not before 08:00"
    );
    let before = before + 1;
    set_clock(&clock, "2026-11-22T01:00:10Z");
    let reminder = fake
        .wait_for_message(DIRECTOR, before, Duration::from_secs(10))
        .await;
    assert!(reminder.text.contains("25/11/2026"), "{}", reminder.text);
    assert!(reminder.text.contains("12 lượt"), "{}", reminder.text);
    let markup = reminder.reply_markup.clone().expect("a button");
    assert_eq!(
        markup["inline_keyboard"][0][0]["url"],
        "https://t.me/rollcall_test_bot?start=report"
    );
    assert!(
        fake.messages_to(REPORTED)
            .iter()
            .all(|m| !m.text.contains("25/11/2026")),
        "organisers do not get it"
    );

    // A restart does not send it again.
    env.restart_bot().await;
    set_clock(&clock, "2026-11-22T01:01:00Z");
    assert_eq!(ticks_at(&env, "2026-11-22T01:01:00Z", 1).await, 0);
    assert_eq!(
        sentinel(&fake, &director, None, "/help", "Hướng dẫn", before + 1).await,
        before + 1,
        "sent once"
    );
    // The button's deep link opens the report.
    let report = fake.send_and_wait(&director, "/start report").await;
    assert!(report.text.contains("Kết quả thực hiện"), "{}", report.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_missed_while_down_goes_within_the_configured_grace() {
    // Thursday 26/11/2026, 19:00 in Hà Nội.
    let (mut env, clock) = env_with_clock("2026-11-26T12:00:00Z").await;
    // Two hours of grace instead of the default one.
    env.extra_env.push((
        "ROLLCALL_REMINDERS_GRACE_MINUTES".to_owned(),
        "120".to_owned(),
    ));
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(DIRECTOR, "director", Some("Tràng An"));
    env.start_bot().await;
    let fake = env.fake.clone();
    fake.group(GROUP, "TTHTCĐ Tràng An");
    let director = fake.user(DIRECTOR, "Tuấn", Some("vi"));
    fake.send_text_in_group(&director, GROUP, "/link@rollcall_test_bot");
    fake.wait_for_message(GROUP, 0, Duration::from_secs(10))
        .await;
    fake.send_text_in_group(&director, GROUP, "/remind@rollcall_test_bot 20:00");
    fake.wait_for_message(GROUP, 1, Duration::from_secs(10))
        .await;

    // The bot is down over 20:00 and back at 21:30 local, 90 minutes late: with the
    // default hour it would skip the reminder; with two hours it sends it, once.
    env.stop_bot().await;
    set_clock(&clock, "2026-11-26T14:30:00Z");
    env.start_bot().await;
    let reminder = fake
        .wait_for_message(GROUP, 2, Duration::from_secs(10))
        .await;
    assert!(reminder.text.contains("Tràng An"), "{}", reminder.text);
    assert_eq!(ticks_at(&env, "2026-11-26T14:30:00Z", 2).await, 1);
    assert_eq!(group_sentinel(&fake, &director).await, 3, "sent once");
}
