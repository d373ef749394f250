//! End to end through the fake Bot API: a report's files wait in the spool beside the
//! database (`<db>.files/`), not in the outbox rows, and the sender streams them from there.
//! The files arrive with the bytes `rollcall report` writes, and the spool is empty after
//! delivery; a crash right after a file was delivered (and deleted) does not send it twice;
//! at start an orphan file is removed, a row whose file is gone is dropped unsent, and a row
//! written inline by an older rollcall still sends.

#![allow(clippy::unwrap_used)]

mod document_support;
mod support;

use document_support::{fill_seed, CENTRE};
use rollcall::outgoing::{FileBody, OutOp, Outgoing, SpoolRef};
use rollcall::store::{Spool, Store};
use std::time::Duration;
use support::{SentMessage, TestEnv, TestUser};

const DIRECTOR: i64 = 3000;

/// The director's chat's files, in the order they came.
fn files_to(env: &TestEnv, user: &TestUser) -> Vec<SentMessage> {
    env.fake
        .messages_to(user.id)
        .into_iter()
        .filter(|m| m.file.is_some())
        .collect()
}

fn file_name(message: &SentMessage) -> String {
    message
        .file
        .as_ref()
        .and_then(|f| f.file_name.clone())
        .unwrap_or_default()
}

/// Waits until the spool folder holds no file (the sender deletes a file right after
/// Telegram accepted it, a moment after the fake recorded it).
async fn spool_empties(env: &TestEnv, spool: &Spool) {
    let spool = spool.clone();
    env.fake
        .wait_until("an empty spool", Duration::from_secs(10), move |_| {
            spool.names().unwrap().is_empty().then_some(())
        })
        .await;
}

/// A seeded database with a director, and the bot started on it.
async fn seeded_env(extra_env: &[(&str, &str)]) -> (TestEnv, TestUser) {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    for (name, value) in extra_env {
        env.extra_env
            .push(((*name).to_owned(), (*value).to_owned()));
    }
    fill_seed(&env.db_path);
    env.grant(DIRECTOR, "director", Some(CENTRE));
    let director = env.fake.user(DIRECTOR, "Xinh", Some("vi"));
    env.start_bot().await;
    (env, director)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_s_files_go_through_the_spool_and_arrive_and_the_spool_is_empty_after() {
    let (mut env, director) = seeded_env(&[]).await;
    let spool = Spool::beside(&env.db_path);
    let before = env.fake.messages_to(director.id).len();
    env.fake.send_text(&director, "/report 1-10/2020");
    let csv = env.fake.wait_for_file(director.id, before, ".csv").await;
    let names: Vec<String> = files_to(&env, &director).iter().map(file_name).collect();
    assert_eq!(
        names,
        [
            "bieu-do-tthtcd-phuong-trang-an-01-10-2020.png",
            "bao-cao-tthtcd-phuong-trang-an-01-10-2020.xlsx",
            "bao-cao-tthtcd-phuong-trang-an-01-10-2020.csv"
        ]
    );
    spool_empties(&env, &spool).await;
    assert!(
        spool.dir().is_dir(),
        "the files went through {}",
        spool.dir().display()
    );
    assert!(env.bot_logs().contains("report files queued"));

    // The bytes Telegram got are the ones `rollcall report` writes from the same database.
    env.stop_bot().await;
    let out = env.dir.path().join("cli.csv");
    let (status, _, stderr) = env.rollcall(&[
        "report",
        "--db",
        env.db_path.to_str().unwrap(),
        "--centre",
        CENTRE,
        "--period",
        "1-10/2020",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(status.success(), "{stderr}");
    let written = std::fs::read(&out).unwrap();
    assert!(written.len() > 1_000, "{} bytes", written.len());
    assert_eq!(csv.file.unwrap().bytes, written);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_right_after_a_spooled_file_was_delivered_does_not_send_it_twice() {
    // The bot aborts after Telegram accepted the chart and its file was deleted, before
    // the row's removal commits: after the restart the row is still queued, its file is
    // gone, and it is dropped rather than sent again.
    let (mut env, director) = seeded_env(&[("ROLLCALL_CRASH_AT", "after_file_delete:1")]).await;
    let spool = Spool::beside(&env.db_path);
    env.fake.send_text(&director, "/report 1-10/2020");
    let bot = env.bot.as_mut().unwrap();
    let mut waited = Duration::ZERO;
    let status = loop {
        if let Some(status) = bot.try_exit_status() {
            break status;
        }
        assert!(
            waited < Duration::from_secs(30),
            "the crash point was not reached"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    };
    assert!(!status.success(), "aborted: {status:?}");
    assert!(env
        .bot_logs()
        .contains("crash point after_file_delete reached"));
    env.bot = None;
    let photos = |env: &TestEnv| {
        files_to(env, &director)
            .into_iter()
            .filter(|m| m.method == "sendphoto")
            .count()
    };
    assert_eq!(photos(&env), 1, "the chart was delivered before the crash");

    env.extra_env.clear();
    env.start_bot().await;
    // The spreadsheet and the CSV follow the chart's row in the same chat: when the CSV
    // is here, the chart's row was dealt with (a barrier).
    env.fake.wait_for_file(director.id, 0, ".csv").await;
    assert_eq!(photos(&env), 1, "the chart is not sent a second time");
    let names: Vec<String> = files_to(&env, &director).iter().map(file_name).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        env.bot_logs().contains("spooled file gone"),
        "{}",
        env.bot_logs()
    );
    spool_empties(&env, &spool).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_start_an_orphan_is_removed_a_row_without_its_file_is_dropped_and_an_old_inline_row_sends(
) {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    let director = env.fake.user(DIRECTOR, "Xinh", Some("vi"));
    let spool = Spool::beside(&env.db_path);
    {
        let store = Store::open(&env.db_path).unwrap();
        // An orphan (written by a worker that stopped before its commit) and a file left
        // half-written by a crash.
        spool.put("41-0", b"orphan").unwrap();
        std::fs::write(spool.dir().join("42-0.partial"), b"half").unwrap();
        // A row whose file is gone: delivered before a crash.
        let gone = Outgoing {
            chat: DIRECTOR,
            op: OutOp::Document {
                file_name: "gone.xlsx".to_owned(),
                caption: None,
                body: FileBody::Spooled(SpoolRef {
                    name: "40-1".to_owned(),
                    len: 1_000,
                }),
            },
        };
        // A row as every rollcall before the spool wrote it: the bytes inline, in base64.
        let old_row = format!(
            r#"{{"chat":{DIRECTOR},"op":{{"Document":{{"file_name":"mau.csv","caption":null,"bytes":"c8OibiBiw6NpCg=="}}}}}}"#
        );
        let old: Outgoing = serde_json::from_str(&old_row).unwrap();
        assert_eq!(
            serde_json::to_string(&old).unwrap(),
            old_row,
            "the row stored is the old form"
        );
        store
            .write(|tx| {
                tx.push_outgoing(&gone)?;
                tx.push_outgoing(&old)
            })
            .unwrap();
    }
    env.start_bot().await;
    // The old row is queued after the one without its file, in the same chat: when it is
    // here, that one was dealt with (a barrier).
    let sent = env.fake.wait_for_file(director.id, 0, "mau.csv").await;
    assert_eq!(sent.file.unwrap().bytes, "sân bãi\n".as_bytes());
    let names: Vec<String> = files_to(&env, &director).iter().map(file_name).collect();
    assert_eq!(names, ["mau.csv"], "the row without its file is not sent");
    assert!(env.bot_logs().contains("spooled file gone"));
    assert!(
        spool.names().unwrap().is_empty(),
        "the orphan and the partial file are swept: {:?}",
        spool.names().unwrap()
    );
}
