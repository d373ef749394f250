//! Self-tests of the fake Telegram Bot API and the process harness, using teloxide's own client.
//!
//! The end-to-end tests trust the fake, so these tests check that teloxide (the bot's client)
//! deserialises everything the fake produces and sees the errors real Telegram would give.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{BotProcess, FakeTelegram, Fault, TEST_TOKEN};
use teloxide_core::prelude::*;
use teloxide_core::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardButton, KeyboardMarkup,
    MessageEntityKind, MessageId, ParseMode, UpdateKind,
};
use teloxide_core::{ApiError, RequestError};

async fn setup() -> (FakeTelegram, Bot) {
    let fake = FakeTelegram::start(TEST_TOKEN).await;
    let bot = client(&fake, TEST_TOKEN);
    (fake, bot)
}

fn client(fake: &FakeTelegram, token: &str) -> Bot {
    Bot::new(token).set_api_url(reqwest::Url::parse(&fake.api_url()).unwrap())
}

fn keyboard(buttons: &[(&str, &str)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![buttons
        .iter()
        .map(|(label, data)| InlineKeyboardButton::callback(*label, *data))
        .collect::<Vec<_>>()])
}

async fn raw_post(fake: &FakeTelegram, path_and_query: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(format!("{}{}", fake.api_url(), path_and_query))
}

#[tokio::test(flavor = "multi_thread")]
async fn get_me_returns_the_bot_user_and_start_up_calls_answer() {
    let (fake, bot) = setup().await;
    let me = bot.get_me().await.unwrap();
    assert!(me.user.is_bot);
    assert_eq!(me.user.username.as_deref(), Some("rollcall_test_bot"));

    let info = bot.get_webhook_info().await.unwrap();
    assert!(info.url.is_none());
    bot.delete_webhook().await.unwrap();
    bot.set_my_commands(vec![teloxide_core::types::BotCommand::new(
        "start", "Start",
    )])
    .await
    .unwrap();
    bot.delete_my_commands().await.unwrap();
    assert_eq!(fake.calls("getMe").len(), 1);
    assert_eq!(
        fake.calls("setmycommands")[0]["commands"][0]["command"],
        "start"
    );
    assert!(fake.unknown_calls().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_token_is_unauthorized() {
    let (fake, _) = setup().await;
    let err = client(&fake, "1:wrong").get_me().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_methods_are_404_and_recorded() {
    let (fake, _) = setup().await;
    let response = raw_post(&fake, &format!("/bot{TEST_TOKEN}/sendDice"))
        .await
        .json(&json!({"chat_id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"})
    );
    let unknown = fake.unknown_calls();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].method, "senddice");
}

#[tokio::test(flavor = "multi_thread")]
async fn method_names_ignore_case_and_form_and_query_bodies_work() {
    let (fake, _) = setup().await;
    let user = fake.user(42, "Lan", Some("vi"));
    let response = raw_post(
        &fake,
        &format!("/bot{TEST_TOKEN}/SENDMESSAGE?parse_mode=HTML"),
    )
    .await
    .header("content-type", "application/x-www-form-urlencoded")
    .body("chat_id=42&text=Xin+ch%C3%A0o+%3Cb%3Eb%E1%BA%A1n%3C%2Fb%3E")
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["result"]["text"], "Xin chào bạn");
    let sent = fake.messages_to(user.id);
    assert_eq!(sent[0].text, "Xin chào <b>bạn</b>");
    assert_eq!(sent[0].parse_mode.as_deref(), Some("HTML"));
}

#[tokio::test(flavor = "multi_thread")]
async fn get_updates_returns_unconfirmed_updates_and_forgets_confirmed_ones() {
    let (fake, bot) = setup().await;
    let user = fake.user(42, "Lan", None);
    let first = fake.send_text(&user, "one");
    let second = fake.send_text(&user, "two");
    let third = fake.send_text(&user, "three");
    assert_eq!(fake.pending_updates(), 3);

    // Without an offset nothing is confirmed, so the same updates come again.
    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 3);
    assert_eq!(bot.get_updates().await.unwrap().len(), 3);
    assert_eq!(updates[0].id.0 as i64, first);

    let limited = bot.get_updates().limit(2).await.unwrap();
    let ids: Vec<i64> = limited.iter().map(|u| u.id.0 as i64).collect();
    assert_eq!(ids, vec![first, second]);

    let rest = bot.get_updates().offset(second as i32).await.unwrap();
    assert_eq!(rest.len(), 2);
    assert_eq!(fake.pending_updates(), 2);
    assert_eq!(fake.confirmed_offset(), second);

    // A lower offset later does not bring forgotten updates back.
    let again = bot.get_updates().offset(first as i32).await.unwrap();
    assert_eq!(again[0].id.0 as i64, second);

    let none = bot.get_updates().offset(third as i32 + 1).await.unwrap();
    assert!(none.is_empty());
    assert_eq!(fake.pending_updates(), 0);
    fake.wait_until_confirmed(third, Duration::from_secs(1))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_poll_returns_as_soon_as_an_update_arrives() {
    let (fake, bot) = setup().await;
    fake.set_long_poll_cap(Duration::from_secs(5));
    let user = fake.user(42, "Lan", None);
    let poller = tokio::spawn({
        let bot = bot.clone();
        async move {
            let start = Instant::now();
            let updates = bot.get_updates().timeout(4).await.unwrap();
            (updates, start.elapsed())
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    fake.send_text(&user, "hello");
    let (updates, elapsed) = poller.await.unwrap();
    assert_eq!(updates.len(), 1);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_poll_is_capped_and_timeout_zero_is_immediate() {
    let (_fake, bot) = setup().await;
    let start = Instant::now();
    assert!(bot.get_updates().timeout(0).await.unwrap().is_empty());
    assert!(start.elapsed() < Duration::from_millis(500));

    let start = Instant::now();
    assert!(bot.get_updates().timeout(30).await.unwrap().is_empty());
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_poller_terminates_the_first_with_409() {
    let (fake, bot) = setup().await;
    fake.set_long_poll_cap(Duration::from_secs(5));
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(4).await }
    });
    // Counting calls is not enough: a call is recorded a moment before it becomes the
    // active poll, and the second poll must come strictly after that.
    fake.wait_until("the first poll", Duration::from_secs(2), |f| {
        f.is_polling().then_some(())
    })
    .await;
    let second = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(1).await }
    });
    let err = first.await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            RequestError::Api(ApiError::TerminatedByOtherGetUpdates)
        ),
        "{err:?}"
    );
    assert!(second.await.unwrap().is_ok());
    assert_eq!(fake.conflicts(), 1);

    // A poll left behind by a killed process is pre-empted without counting as a conflict.
    let orphan = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(4).await }
    });
    fake.wait_until("the orphan poll", Duration::from_secs(2), |f| {
        f.is_polling().then_some(())
    })
    .await;
    fake.abandon_polls();
    bot.get_updates().timeout(0).await.unwrap();
    assert!(orphan.await.unwrap().is_err());
    assert_eq!(fake.conflicts(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn injected_messages_deserialise_with_commands_groups_stickers_and_edits() {
    let (fake, bot) = setup().await;
    let user = fake.user(42, "Lan", Some("vi"));
    fake.send_text(&user, "/start@rollcall_test_bot abc");
    fake.send_text_in_group(&user, -100, "/report");
    fake.send_sticker(&user);
    fake.send_text(&user, "lop 5A");
    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 4);

    let UpdateKind::Message(start) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert!(start.chat.is_private());
    assert_eq!(start.chat.id, ChatId(42));
    assert_eq!(
        start.from.as_ref().unwrap().language_code.as_deref(),
        Some("vi")
    );
    let entity = &start.entities().unwrap()[0];
    assert_eq!(entity.kind, MessageEntityKind::BotCommand);
    assert_eq!((entity.offset, entity.length), (0, 24));

    let UpdateKind::Message(report) = &updates[1].kind else {
        panic!("{:?}", updates[1].kind)
    };
    assert!(report.chat.is_group());
    assert_eq!(report.chat.id, ChatId(-100));

    let UpdateKind::Message(sticker) = &updates[2].kind else {
        panic!("{:?}", updates[2].kind)
    };
    assert!(sticker.sticker().is_some());
    assert!(sticker.text().is_none());

    let UpdateKind::Message(plain) = &updates[3].kind else {
        panic!("{:?}", updates[3].kind)
    };
    assert!(plain.entities().unwrap_or_default().is_empty());
    let message_id = plain.id.0 as i64;

    fake.edit_text(&user, message_id, "lop 5B");
    let offset = updates[3].id.0 as i32 + 1;
    let updates = bot.get_updates().offset(offset).await.unwrap();
    let UpdateKind::EditedMessage(edited) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert_eq!(edited.text(), Some("lop 5B"));
    assert_eq!(edited.id.0 as i64, message_id);
    assert!(edited.edit_date().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn sent_keyboards_are_readable_and_presses_become_callback_queries() {
    let (fake, bot) = setup().await;
    let user = fake.user(42, "Lan", None);
    fake.send_text(&user, "/start"); // Uses message id 1 in the chat, as a user message would.
    let sent = bot
        .send_message(ChatId(42), "Chọn lớp")
        .reply_markup(keyboard(&[("Lớp 5A", "c:1"), ("Lớp 5B", "c:2")]))
        .await
        .unwrap();
    assert_eq!(sent.id.0, 2);
    assert_eq!(
        sent.from.as_ref().unwrap().username.as_deref(),
        Some("rollcall_test_bot")
    );
    assert!(sent.reply_markup().is_some());

    let messages = fake.messages_to(42);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].text, "Chọn lớp");
    assert_eq!(
        messages[0].inline_buttons(),
        vec![
            ("Lớp 5A".to_owned(), "c:1".to_owned()),
            ("Lớp 5B".to_owned(), "c:2".to_owned())
        ]
    );

    let update_id = fake.press(&user, &messages[0], "c:2");
    let updates = bot.get_updates().offset(update_id as i32).await.unwrap();
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert_eq!(query.data.as_deref(), Some("c:2"));
    assert_eq!(query.from.id, UserId(42));
    let message = query.regular_message().unwrap();
    assert_eq!(message.id.0, 2);
    assert_eq!(message.text(), Some("Chọn lớp"));

    bot.answer_callback_query(query.id.clone())
        .text("Đã chọn")
        .await
        .unwrap();
    assert_eq!(
        fake.callback_answers(),
        vec![(query.id.0.clone(), Some("Đã chọn".to_owned()))]
    );

    let reply = bot
        .send_message(ChatId(42), "Tên học viên?")
        .reply_markup(KeyboardMarkup::new(vec![vec![
            KeyboardButton::new("Xong"),
            KeyboardButton::new("Huỷ"),
        ]]))
        .await
        .unwrap();
    // Telegram does not echo reply keyboards in the returned message.
    assert!(reply.reply_markup().is_none());
    assert_eq!(
        fake.messages_to(42)[1].keyboard_labels(),
        vec!["Xong", "Huỷ"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_change_the_stored_message_and_identical_edits_are_rejected() {
    let (fake, bot) = setup().await;
    fake.user(42, "Lan", None);
    let sent = bot
        .send_message(ChatId(42), "Có mặt: 0")
        .reply_markup(keyboard(&[("+1", "p")]))
        .await
        .unwrap();
    let edited = bot
        .edit_message_text(ChatId(42), sent.id, "Có mặt: 1")
        .reply_markup(keyboard(&[("+1", "p")]))
        .await
        .unwrap();
    assert_eq!(edited.text(), Some("Có mặt: 1"));
    let stored = &fake.messages_to(42)[0];
    assert_eq!((stored.text.as_str(), stored.edits), ("Có mặt: 1", 1));

    let err = bot
        .edit_message_text(ChatId(42), sent.id, "Có mặt: 1")
        .reply_markup(keyboard(&[("+1", "p")]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );

    bot.edit_message_reply_markup(ChatId(42), sent.id)
        .await
        .unwrap();
    assert!(fake.messages_to(42)[0].inline_buttons().is_empty());
    assert_eq!(fake.calls("editMessageReplyMarkup").len(), 1);

    let err = bot
        .edit_message_text(ChatId(42), MessageId(99), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToEditNotFound)),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn telegram_validation_errors_are_reproduced() {
    let (fake, bot) = setup().await;
    fake.user(42, "Lan", None);

    let err = bot
        .send_message(ChatId(42), "Học viên <Nam> vắng")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::CantParseEntities(_))),
        "{err:?}"
    );
    bot.send_message(ChatId(42), "Học viên &lt;Nam&gt; <b>vắng</b>")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();

    let err = bot
        .send_message(ChatId(42), "x".repeat(4097))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );

    let long_data = "ữ".repeat(30); // 30 characters but 90 bytes.
    let err = bot
        .send_message(ChatId(42), "x")
        .reply_markup(keyboard(&[("a", long_data.as_str())]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ButtonDataInvalid)),
        "{err:?}"
    );

    let err = bot.send_message(ChatId(777), "x").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ChatNotFound)),
        "{err:?}"
    );
    assert_eq!(fake.messages_to(42).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn injected_faults_give_the_errors_teloxide_expects() {
    let (fake, bot) = setup().await;
    fake.user(42, "Lan", None);

    fake.fail_next("SendMessage", 1, Fault::TooManyRequests { retry_after: 3 });
    let err = bot.send_message(ChatId(42), "a").await.unwrap_err();
    assert!(
        matches!(err, RequestError::RetryAfter(s) if s.seconds() == 3),
        "{err:?}"
    );

    fake.fail_next("sendMessage", 1, Fault::Forbidden);
    let err = bot.send_message(ChatId(42), "b").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );

    fake.fail_next("getme", 1, Fault::DropConnection);
    let err = bot.get_me().await.unwrap_err();
    assert!(matches!(err, RequestError::Network(_)), "{err:?}");

    // teloxide sleeps 10 s after a 5xx, so the 500 is checked with a plain HTTP client.
    fake.fail_next("getMe", 1, Fault::Http500);
    let response = raw_post(&fake, &format!("/bot{TEST_TOKEN}/getMe"))
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);

    // The faults are used up: everything works again, and only successes count as sends.
    bot.get_me().await.unwrap();
    bot.send_message(ChatId(42), "c").await.unwrap();
    assert_eq!(fake.messages_to(42).len(), 1);
    assert_eq!(fake.send_times(42).len(), 1);
    assert_eq!(fake.calls("sendmessage").len(), 3);
    let faults: Vec<_> = fake.all_calls().iter().filter_map(|c| c.fault).collect();
    assert_eq!(faults.len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_sent_as_multipart_are_recorded_with_their_bytes() {
    let (fake, bot) = setup().await;
    fake.user(42, "Lan", None);
    let csv = "lớp,buổi\n5A,3\n";
    let sent = bot
        .send_document(
            ChatId(42),
            InputFile::memory(csv.as_bytes().to_vec()).file_name("bao-cao.csv"),
        )
        .caption("Báo cáo tháng")
        .await
        .unwrap();
    assert_eq!(
        sent.document().unwrap().file_name.as_deref(),
        Some("bao-cao.csv")
    );
    assert_eq!(sent.caption(), Some("Báo cáo tháng"));

    let stored = &fake.messages_to(42)[0];
    assert_eq!(stored.method, "senddocument");
    assert_eq!(stored.text, "Báo cáo tháng");
    let file = stored.file.as_ref().unwrap();
    assert_eq!(file.file_name.as_deref(), Some("bao-cao.csv"));
    assert_eq!(file.bytes, csv.as_bytes());
    assert!(fake.calls("sendDocument")[0]["_raw_len"].as_u64().unwrap() > 0);

    let photo = bot
        .send_photo(
            ChatId(42),
            InputFile::memory(vec![1, 2, 3]).file_name("p.png"),
        )
        .await
        .unwrap();
    assert!(photo.photo().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_a_user_sends_is_served_by_get_file_and_the_download_url() {
    let (fake, bot) = setup().await;
    let user = fake.user(42, "Lan", None);
    fake.send_document(&user, "bao-cao.docx", b"PK\x03\x04 bytes");
    fake.send_document_sized(&user, "lon.docx", b"x", 5_000_000);
    let updates = bot.get_updates().await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    let document = message.document().unwrap();
    assert_eq!(document.file_name.as_deref(), Some("bao-cao.docx"));
    assert_eq!(document.file.size, 10);
    assert!(message.text().is_none());
    let UpdateKind::Message(large) = &updates[1].kind else {
        panic!("{:?}", updates[1].kind)
    };
    assert_eq!(large.document().unwrap().file.size, 5_000_000);

    let file = bot.get_file(document.file.id.clone()).await.unwrap();
    assert_eq!(file.meta.size, 10);
    let url = format!("{}/file/bot{TEST_TOKEN}/{}", fake.api_url(), file.path);
    let bytes = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
    assert_eq!(&bytes[..], b"PK\x03\x04 bytes");
    assert_eq!(fake.calls("download").len(), 1);
    assert!(fake.unknown_calls().is_empty());

    let wrong = format!("{}/file/botWRONG/{}", fake.api_url(), file.path);
    assert_eq!(reqwest::get(&wrong).await.unwrap().status(), 401);
    let missing = bot
        .get_file(teloxide_core::types::FileId("nope".into()))
        .await;
    assert!(missing.is_err());
}

/// A miniature bot on teloxide's client, to drive the waiting helpers the way the real bot will.
async fn echo_bot(bot: Bot) {
    let mut offset = 0;
    loop {
        let Ok(updates) = bot.get_updates().offset(offset).timeout(1).await else {
            continue;
        };
        for update in updates {
            offset = update.id.0 as i32 + 1;
            match update.kind {
                UpdateKind::Message(m) => {
                    let text = format!("echo: {}", m.text().unwrap_or("(no text)"));
                    bot.send_message(m.chat.id, text)
                        .reply_markup(keyboard(&[("Có", "yes"), ("Không", "no")]))
                        .await
                        .unwrap();
                }
                UpdateKind::CallbackQuery(q) => {
                    bot.answer_callback_query(q.id.clone()).await.unwrap();
                    let chat = q.regular_message().unwrap().chat.id;
                    let data = q.data.unwrap_or_default();
                    bot.send_message(chat, format!("pressed {data}"))
                        .await
                        .unwrap();
                }
                _ => {}
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn send_and_wait_and_press_and_wait_drive_a_polling_bot() {
    let (fake, bot) = setup().await;
    let user = fake.user(42, "Lan", None);
    let task = tokio::spawn(echo_bot(bot));

    let reply = fake.send_and_wait(&user, "xin chào").await;
    assert_eq!(reply.text, "echo: xin chào");
    let pressed = fake.press_and_wait(&user, &reply, "Không").await;
    assert_eq!(pressed.text, "pressed no");
    let pressed = fake.press_and_wait(&user, &reply, "yes").await;
    assert_eq!(pressed.text, "pressed yes");
    assert_eq!(fake.callback_answers().len(), 2);

    fake.send_sticker(&user);
    let reply = fake.wait_for_message(42, 3, Duration::from_secs(5)).await;
    assert_eq!(reply.text, "echo: (no text)");
    assert_eq!(fake.conflicts(), 0);
    assert!(fake.unknown_calls().is_empty());
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
#[should_panic(expected = "timed out after")]
async fn wait_for_message_panics_with_a_dump_on_timeout() {
    let (fake, bot) = setup().await;
    fake.user(42, "Lan", None);
    bot.send_message(ChatId(42), "only one").await.unwrap();
    fake.wait_for_message(42, 1, Duration::from_millis(200))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_process_harness_stops_kills_and_captures_output() {
    let fake = FakeTelegram::start(TEST_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();

    // A stand-in for the bot: prints its environment, then waits to be signalled.
    let script = "echo url=$TELOXIDE_API_URL token=$TELOXIDE_TOKEN; exec sleep 30";
    let mut command = std::process::Command::new("sh");
    command.args(["-c", script]);
    let mut process = BotProcess::spawn_command(&fake, command, &dir.path().join("a.log"));
    // The signal must not overtake the shell before it has printed.
    let deadline = Instant::now() + Duration::from_secs(10);
    while process.log().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = process.stop().await;
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(15)
    );
    assert_eq!(
        process.log().trim(),
        format!("url={} token={TEST_TOKEN}", fake.api_url())
    );

    let mut command = std::process::Command::new("sleep");
    command.arg("30");
    let mut process = BotProcess::spawn_command(&fake, command, &dir.path().join("b.log"));
    let status = process.kill_hard();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
}
