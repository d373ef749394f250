//! End-to-end tests of the session dialog: the real `rollcall run` binary, driven through
//! a fake Telegram Bot API on 127.0.0.1, with a real redb file and real restarts.

mod support;

use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::time::Duration;
use support::{FakeTelegram, SentMessage, TestEnv, TestUser};

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
        let ask_date = if existing {
            self.tap(&ask_class, class).await
        } else {
            self.tap(&ask_class, &self.text("dialog.new_class_button"))
                .await;
            self.say(class).await
        };
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
        self.tap(&summary, &self.text("dialog.save_button")).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_logs_a_session_by_buttons_and_gets_running_totals() {
    let mut env = TestEnv::new().await;
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
    let mut env = TestEnv::new().await;
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
    lan.say("38").await;
    let summary = lan.say("21").await;
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
}
