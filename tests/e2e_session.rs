//! End-to-end tests of the session dialog: the real `rollcall run` binary, driven through
//! a fake Telegram Bot API on 127.0.0.1, with a real redb file and real restarts.

mod support;

use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::time::Duration;
use support::{FakeTelegram, SentMessage, TestEnv, TestUser};

/// A test environment whose bot sends without Telegram's rate limits: these tests are
/// about the dialog, and their users answer instantly (the limits are tested in
/// `e2e_reliability.rs`).
async fn fast_env() -> TestEnv {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    env
}

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs load")
}

/// One organiser talking to the bot in the private chat.
struct Organiser {
    fake: FakeTelegram,
    user: TestUser,
    catalog: Catalog,
    lang: Lang,
}

impl Organiser {
    fn new(fake: &FakeTelegram, id: i64, lang: Lang) -> Organiser {
        let user = fake.user(id, &format!("Organiser {id}"), Some(lang.code()));
        Organiser {
            fake: fake.clone(),
            user,
            catalog: catalog(),
            lang,
        }
    }

    fn text(&self, key: &str) -> String {
        self.catalog.text(key, self.lang).to_owned()
    }

    /// Sends a message and returns the bot's answer (every step answers with one message).
    async fn say(&self, text: &str) -> SentMessage {
        self.fake.send_and_wait(&self.user, text).await
    }

    /// Sends a message and returns the first later message that satisfies `wanted`: after
    /// a crash the bot may deliver an earlier reply a second time (delivery is at least
    /// once), so the next message is not necessarily the answer.
    async fn say_until(
        &self,
        text: &str,
        wanted: impl Fn(&SentMessage) -> bool + Send + 'static,
    ) -> SentMessage {
        let chat = self.user.id;
        let before = self.fake.messages_to(chat).len();
        self.fake.send_text(&self.user, text);
        self.fake
            .wait_until("the answer", Duration::from_secs(10), move |fake| {
                fake.messages_to(chat)
                    .into_iter()
                    .skip(before)
                    .find(|m| wanted(m))
            })
            .await
    }

    /// Taps the button with this label on `message` and returns the bot's answer.
    async fn tap(&self, message: &SentMessage, label: &str) -> SentMessage {
        self.fake.press_and_wait(&self.user, message, label).await
    }

    fn group_label(&self, id: &str) -> String {
        let group = self.catalog.group(id).expect("group exists");
        group.short.get(self.lang).to_owned()
    }

    /// Logs one whole session; `class` is a new class name typed, or the label of an existing
    /// class's button when `existing` is true. Returns the confirmation.
    async fn log_session(
        &self,
        group: &str,
        class: &str,
        existing: bool,
        date: &str,
        total: u32,
        female: u32,
    ) -> SentMessage {
        let ask_group = self.say("/log").await;
        let ask_class = self.tap(&ask_group, &self.group_label(group)).await;
        if existing {
            self.tap(&ask_class, class).await;
        } else {
            self.tap(&ask_class, &self.text("dialog.new_class_button"))
                .await;
            self.say(class).await;
        }
        let ask_total = self.say(date).await;
        assert!(
            ask_total.inline_buttons().is_empty(),
            "the date {date:?} was not accepted: {}",
            ask_total.text
        );
        self.say(&total.to_string()).await;
        let summary = self.say(&female.to_string()).await;
        assert!(
            summary.text.contains(&female.to_string()),
            "no summary after the female count: {}",
            summary.text
        );
        let mut reply = self.tap(&summary, &self.text("dialog.save_button")).await;
        // Large events (over 500 people without history) and a session identical to one
        // stored are asked about once before saving (issue 13): the seed has both, and
        // they are meant.
        for _ in 0..2 {
            let buttons = reply.inline_buttons();
            let confirm = buttons
                .iter()
                .find(|(label, _)| *label == self.text("entry.duplicate_yes"))
                .or_else(|| buttons.iter().find(|(label, _)| label.starts_with('✅')));
            match confirm {
                Some((label, _)) => {
                    let label = label.clone();
                    reply = self.tap(&reply, &label).await;
                }
                _ => break,
            }
        }
        reply
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_logs_a_session_by_buttons_and_gets_running_totals() {
    let mut env = fast_env().await;
    env.grant(1001, "organiser", Some("Tràng An"));
    env.start_bot().await;
    let lan = Organiser::new(&env.fake, 1001, Lang::Vi);

    let welcome = lan.say("/start").await;
    assert_eq!(welcome.keyboard_labels(), vec![lan.text("button.log")]);

    // The persistent button starts the dialog like /log does.
    let ask_group = lan.say(&lan.text("button.log")).await;
    let groups = ask_group.inline_buttons();
    assert_eq!(
        groups.len(),
        10,
        "one button per activity group: {groups:?}"
    );
    let ask_class = lan.tap(&ask_group, &lan.group_label("health")).await;
    lan.tap(&ask_class, &lan.text("dialog.new_class_button"))
        .await;
    let ask_date = lan.say("Phòng chống sốt xuất huyết").await;
    lan.tap(&ask_date, &lan.text("dialog.today_button")).await;
    lan.say("45 người").await;
    let summary = lan.say("30").await;
    assert!(
        summary.text.contains("Phòng chống sốt xuất huyết"),
        "{}",
        summary.text
    );
    assert!(summary.text.contains("45"), "{}", summary.text);
    let saved = lan.tap(&summary, &lan.text("dialog.save_button")).await;
    assert!(
        saved.text.contains('1'),
        "the session number: {}",
        saved.text
    );
    assert!(saved.text.contains("45"), "running totals: {}", saved.text);

    // A second session of the same class, picked by its button, counts as the same class.
    let saved = lan
        .log_session(
            "health",
            "Phòng chống sốt xuất huyết",
            true,
            "hôm qua",
            20,
            12,
        )
        .await;
    assert!(
        saved.text.contains("65"),
        "45 + 20 attendances: {}",
        saved.text
    );

    // Every tap was answered, so no button kept spinning.
    let answers = env.fake.callback_answers();
    assert_eq!(answers.len(), 4 + 3, "{answers:?}");

    let totals = lan.say("/totals").await;
    assert!(totals.text.contains("65"), "{}", totals.text);
    assert!(totals.text.contains("42"), "30 + 12 women: {}", totals.text);

    // The saved confirmation removed the summary's buttons.
    assert!(!env.fake.calls("editMessageReplyMarkup").is_empty());
    assert!(env.fake.unknown_calls().is_empty());
    let status = env.stop_bot().await.expect("bot was running");
    assert!(status.success(), "graceful stop exits 0: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dialog_interrupted_by_restarts_and_a_crash_finishes_afterwards() {
    let mut env = fast_env().await;
    env.grant(1002, "director", Some("Tràng An"));
    env.start_bot().await;
    let lan = Organiser::new(&env.fake, 1002, Lang::Vi);

    let ask_group = lan.say("/log").await;
    let ask_class = lan.tap(&ask_group, &lan.group_label("law")).await;
    lan.tap(&ask_class, &lan.text("dialog.new_class_button"))
        .await;

    // A clean restart (SIGTERM) while the bot waits for the class name.
    env.restart_bot().await;
    let ask_date = lan.say("Luật giao thông đường bộ").await;
    assert_eq!(
        ask_date.inline_buttons().len(),
        2,
        "today/yesterday: {}",
        ask_date.text
    );

    // A hard crash (SIGKILL) while it waits for the attendance.
    lan.say("20/11/2026").await;
    env.crash_and_restart_bot().await;
    let female_prompt = catalog()
        .question("female")
        .expect("a female question")
        .1
        .prompt
        .vi
        .clone();
    lan.say_until("38", move |m| m.text == female_prompt).await;
    let save = lan.text("dialog.save_button");
    let summary = lan
        .say_until("21", move |m| {
            m.inline_buttons().iter().any(|(label, _)| *label == save)
        })
        .await;
    let saved = lan.tap(&summary, &lan.text("dialog.save_button")).await;
    assert!(saved.text.contains("38"), "{}", saved.text);

    // The buttons of the finished dialog are stale now: a second tap on Save saves nothing.
    let before = env.fake.messages_to(lan.user.id).len();
    let answered = env.fake.callback_answers().len();
    env.fake
        .press(&lan.user, &summary, &summary.inline_buttons()[0].1);
    env.fake
        .wait_until(
            "the stale tap is answered",
            Duration::from_secs(10),
            |fake| (fake.callback_answers().len() > answered).then_some(()),
        )
        .await;
    let stale = env.fake.callback_answers().pop().expect("an answer");
    assert_eq!(
        stale.1.as_deref(),
        Some(lan.text("dialog.stale_button").as_str())
    );
    assert_eq!(
        env.fake.messages_to(lan.user.id).len(),
        before,
        "no new message"
    );

    let report = lan.say("/report 2026").await;
    assert!(report.text.contains("38"), "{}", report.text);
    assert!(
        report
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 38 người"),
        "{}",
        report.text
    );
    assert!(
        report.text.contains("Tràng An"),
        "the centre's name: {}",
        report.text
    );
}

/// The seed report's table III.2 (Tràng An, 1–10/2020): group id, classes, attendance, women.
const SEED: [(&str, u32, u32, u32); 10] = [
    ("literacy", 0, 0, 0),
    ("vocational", 2, 600, 280),
    ("law", 5, 900, 450),
    ("health", 6, 2070, 1650),
    ("environment", 8, 2980, 1270),
    ("culture", 6, 2160, 1500),
    ("economy", 4, 1000, 670),
    ("life_skills", 6, 2140, 1670),
    ("other", 7, 3450, 2220),
    ("arts_sports", 6, 5568, 3988),
];

/// One planned session: class number within its group, typed date, total, women.
struct Planned {
    class: u32,
    date: String,
    total: u32,
    female: u32,
}

/// Sessions whose sums give one seed row: every class meets once and the first class
/// meets a second time (so sessions ≠ classes), attendance spread over the sessions.
fn plan(classes: u32, total: u32, female: u32) -> Vec<Planned> {
    if classes == 0 {
        return Vec::new();
    }
    let meetings: Vec<u32> = std::iter::once(1).chain(1..=classes).collect();
    let n = meetings.len() as u32;
    let totals: Vec<u32> = (0..n)
        .map(|i| total / n + u32::from(i < total % n))
        .collect();
    // Women in proportion, then the rounding leftovers where there is room: never above the total.
    let mut women: Vec<u32> = totals.iter().map(|t| female * t / total).collect();
    let mut left = female - women.iter().sum::<u32>();
    for (w, t) in women.iter_mut().zip(&totals) {
        let add = left.min(t - *w);
        *w += add;
        left -= add;
    }
    assert_eq!(left, 0);
    meetings
        .iter()
        .enumerate()
        .map(|(i, &class)| Planned {
            class,
            date: format!("{}/{}/2020", 1 + (i * 3 + class as usize) % 28, 1 + i % 10),
            total: totals[i],
            female: women[i],
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_report_is_reproduced_to_the_digit_through_the_bot() {
    let mut env = fast_env().await;
    // The director logs too; two organisers of the same centre work at the same time.
    env.grant(2000, "director", Some("Tràng An"));
    env.grant(2001, "organiser", Some("Tràng An"));
    env.grant(2002, "organiser", Some("Tràng An"));
    env.start_bot().await;

    // Three people work at the same time, each on their own activity groups.
    let mut tasks = Vec::new();
    for (index, chunk) in SEED.chunks(4).enumerate() {
        let organiser = Organiser::new(&env.fake, 2000 + index as i64, Lang::Vi);
        let rows: Vec<_> = chunk.to_vec();
        tasks.push(tokio::spawn(async move {
            for (group, classes, total, female) in rows {
                let mut seen = std::collections::BTreeSet::new();
                for (i, session) in plan(classes, total, female).into_iter().enumerate() {
                    let name = format!("Lớp {group} số {}", session.class);
                    let repeat = !seen.insert(session.class);
                    // Repeats alternate between the class's button and retyping the name
                    // differently (case, spaces): both must find the same class.
                    let (class, existing) = match (repeat, i % 2) {
                        (false, _) => (name, false),
                        (true, 0) => (name, true),
                        (true, _) => (format!("  {}  ", name.to_uppercase()), false),
                    };
                    let saved = organiser
                        .log_session(
                            group,
                            &class,
                            existing,
                            &session.date,
                            session.total,
                            session.female,
                        )
                        .await;
                    // The confirmation brings back the main keyboard; anything else means
                    // the bot is still asking.
                    assert_eq!(
                        saved.keyboard_labels(),
                        vec![organiser.text("button.log")],
                        "not saved: {}",
                        saved.text
                    );
                }
            }
            organiser
        }));
    }
    let mut organisers = Vec::new();
    for task in tasks {
        organisers.push(task.await.expect("organiser task"));
    }
    let director = &organisers[0];
    // A session after the period must not count in the report of 1-10/2020.
    director
        .log_session("health", "Ngoài kỳ báo cáo", false, "05/11/2020", 99, 9)
        .await;

    let before = env.fake.messages_to(director.user.id).len();
    let report = director.say("/report 1-10/2020").await;
    let catalog = catalog();
    let mut from = 0;
    for (group, classes, total, female) in SEED {
        let line = catalog.render(
            "report.row_numbers",
            Lang::Vi,
            &[
                (
                    "classes",
                    &rollcall::format::format_count(classes.into(), Lang::Vi),
                ),
                (
                    "attendance",
                    &rollcall::format::format_count(total.into(), Lang::Vi),
                ),
                (
                    "female",
                    &rollcall::format::format_count(female.into(), Lang::Vi),
                ),
            ],
        );
        let at = report.text[from..].find(&line).unwrap_or_else(|| {
            panic!(
                "row {group}: {line:?} not found in order in:\n{}",
                report.text
            )
        });
        from += at + line.len();
    }
    assert!(
        report
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 20.868 người"),
        "{}",
        report.text
    );
    assert!(
        report.text.contains("65,6"),
        "female share 13.698 / 20.868: {}",
        report.text
    );
    assert!(report.text.chars().count() < 4096);

    // The same report arrives as a spreadsheet (read back cell by cell), a CSV of every
    // session and a chart.
    let xlsx = env
        .fake
        .wait_for_file(director.user.id, before, ".xlsx")
        .await;
    let bytes = xlsx.file.expect("a file").bytes;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx workbook");
    use calamine::Reader;
    let sheet = book.worksheet_range("Báo cáo").expect("the report sheet");
    let number = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(calamine::Data::Float(f)) => *f as u64,
        Some(calamine::Data::Int(i)) => *i as u64,
        other => panic!("cell ({r}, {c}) is {other:?}"),
    };
    for (i, (group, classes, total, female)) in SEED.iter().enumerate() {
        let row = 6 + i as u32;
        assert_eq!(
            (number(row, 2), number(row, 3), number(row, 4)),
            (u64::from(*classes), u64::from(*total), u64::from(*female)),
            "row {row} ({group})"
        );
    }
    assert_eq!(
        (number(16, 2), number(16, 3), number(16, 4)),
        (50, 20_868, 13_698)
    );

    let csv = env
        .fake
        .wait_for_file(director.user.id, before, ".csv")
        .await;
    let bytes = csv.file.expect("a file").bytes;
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {headers:?}"))
    };
    let (total_at, female_at) = (column("total"), column("female"));
    let (mut rows, mut total, mut female) = (0, 0u64, 0u64);
    for record in reader.records() {
        let record = record.expect("a row");
        rows += 1;
        total += record[total_at].parse::<u64>().expect("a number");
        female += record[female_at].parse::<u64>().expect("a number");
    }
    assert_eq!((total, female), (20_868, 13_698), "{rows} sessions");
    let photo = env
        .fake
        .messages_to(director.user.id)
        .into_iter()
        .skip(before)
        .find(|m| m.method.eq_ignore_ascii_case("sendPhoto"))
        .expect("a chart");
    assert_eq!(&photo.file.expect("a file").bytes[1..4], b"PNG");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_group_the_bot_takes_no_data_and_registers_its_menu_in_both_languages() {
    let mut env = fast_env().await;
    env.grant(1003, "director", Some("Tràng An"));
    env.start_bot().await;
    let group = -100_123;
    env.fake.group(group, "Tổ chức lớp học phường Tràng An");
    let lan = Organiser::new(&env.fake, 1003, Lang::Vi);

    // Commands for another bot and plain chatter are not for us; ours gets a pointer.
    env.fake
        .send_text_in_group(&lan.user, group, "/log@some_other_bot");
    env.fake.send_text_in_group(&lan.user, group, "chào cả nhà");
    env.fake
        .send_text_in_group(&lan.user, group, "/log@rollcall_test_bot");
    let answer = env
        .fake
        .wait_for_message(group, 0, Duration::from_secs(10))
        .await;
    assert_eq!(answer.text, lan.text("dialog.not_in_group"));
    assert!(answer.inline_buttons().is_empty());
    env.fake
        .wait_until(
            "all three updates are processed",
            Duration::from_secs(10),
            |fake| (fake.pending_updates() == 0).then_some(()),
        )
        .await;
    assert_eq!(
        env.fake.messages_to(group).len(),
        1,
        "only the command was answered"
    );

    // Private chats get the organisers' menu, groups their own (issue 17), each in the
    // default language (Vietnamese) and in English.
    let private = serde_json::json!({"type": "all_private_chats"});
    let english = env
        .fake
        .menu(&private, Some("en"))
        .expect("the English private menu");
    assert!(env.fake.menu(&private, None).is_some(), "a default menu");
    let names: Vec<&str> = english.iter().map(|(name, _)| name.as_str()).collect();
    for command in ["log", "totals", "cancel", "help", "lang"] {
        assert!(names.contains(&command), "{command} in {names:?}");
    }
    assert!(!names.contains(&"report"), "directors' only: {names:?}");
    let groups = serde_json::json!({"type": "all_group_chats"});
    let group_menu = env.fake.menu(&groups, Some("en")).expect("the group menu");
    let names: Vec<&str> = group_menu.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.contains(&"link") && !names.contains(&"log"),
        "{names:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quick_entry_is_saved_once_and_a_near_duplicate_class_is_questioned() {
    let mut env = fast_env().await;
    env.grant(1004, "director", Some("Tràng An"));
    env.start_bot().await;
    let lan = Organiser::new(&env.fake, 1004, Lang::Vi);

    let summary = lan.say("sk 45 30 Phòng chống sốt xuất huyết").await;
    assert_eq!(
        summary.inline_buttons().len(),
        3,
        "Save / Edit / Cancel: {}",
        summary.text
    );
    // A double tap on Save: Telegram delivers both presses; only one session is saved.
    let save = summary.inline_buttons()[0].1.clone();
    let before = env.fake.messages_to(lan.user.id).len();
    env.fake.press(&lan.user, &summary, &save);
    env.fake.press(&lan.user, &summary, &save);
    let saved = env
        .fake
        .wait_for_message(lan.user.id, before, Duration::from_secs(10))
        .await;
    assert!(saved.text.contains("45"), "{}", saved.text);

    // One letter off: the bot asks instead of creating a second class.
    let asked = lan.say("sk 10 5 Phòng chống sốt xuất huyêt").await;
    assert!(
        asked.text.contains("Phòng chống sốt xuất huyết"),
        "{}",
        asked.text
    );
    assert_eq!(
        asked.inline_buttons().len(),
        2,
        "same class / new class: {}",
        asked.text
    );
    let summary = lan.tap(&asked, &lan.text("quick.same_class_button")).await;
    lan.tap(&summary, &lan.text("dialog.save_button")).await;

    let report = lan.say("/report 2026").await;
    assert!(
        report.text.contains("Lớp 1 · Tổng 55 · Nữ 35"),
        "one class, two sessions: {}",
        report.text
    );
    // Saved, did-you-mean, summary, saved, report: the second tap added nothing.
    env.fake.wait_for_file(lan.user.id, before, ".csv").await;
    let answers: Vec<_> = env
        .fake
        .messages_to(lan.user.id)
        .into_iter()
        .skip(before)
        .filter(|m| m.file.is_none())
        .collect();
    assert_eq!(answers.len(), 5, "no extra message from the second tap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_totals_count_the_reporting_year_from_the_configured_period_start() {
    // A school year that starts on 1 September, and a fixed "now": Thursday 26/11/2026,
    // 10:00 in Hà Nội.
    let mut env = fast_env().await;
    let clock = env.dir.path().join("clock");
    std::fs::write(&clock, "2026-11-26T03:00:00Z").expect("write the clock file");
    env.extra_env.push((
        "ROLLCALL_CLOCK_FILE".to_owned(),
        clock.display().to_string(),
    ));
    env.extra_env
        .push(("ROLLCALL_PERIOD_START".to_owned(), "09-01".to_owned()));
    env.grant(1005, "organiser", Some("Tràng An"));
    env.start_bot().await;
    let lan = Organiser::new(&env.fake, 1005, Lang::Vi);
    let save = lan.text("dialog.save_button");

    // August belongs to the previous school year: saved, but not in the running totals.
    let summary = lan.say("sk 12 7 20-8-2026 Phòng chống dịch").await;
    assert!(summary.text.contains("20/08/2026"), "{}", summary.text);
    let saved = lan.tap(&summary, &save).await;
    assert!(
        saved.text.contains("01/09/2026 – 26/11/2026"),
        "the school year so far: {}",
        saved.text
    );
    assert!(
        saved
            .text
            .contains("<b>Cả trung tâm</b>: 0 lớp, 0 lượt người, 0 nữ"),
        "{}",
        saved.text
    );

    // October does count, alone.
    let summary = lan.say("sk 20 9 15-10-2026 Dinh dưỡng").await;
    let saved = lan.tap(&summary, &save).await;
    assert!(
        saved
            .text
            .contains("<b>Cả trung tâm</b>: 1 lớp, 20 lượt người, 9 nữ"),
        "only the October session: {}",
        saved.text
    );

    let totals = lan.say("/totals").await;
    assert!(
        totals.text.contains("01/09/2026 – 26/11/2026"),
        "{}",
        totals.text
    );
    assert!(
        totals
            .text
            .contains("<b>Cả trung tâm</b>: 1 lớp, 20 lượt người, 9 nữ"),
        "{}",
        totals.text
    );
}
