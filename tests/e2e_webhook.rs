//! End-to-end tests of webhook mode and of the health and metrics server: the real
//! `rollcall run --webhook ... --metrics-listen ...` against the fake Bot API, with the
//! test posting updates to the bot's webhook the way Telegram does (one at a time, with
//! the secret token header, again until answered 200).

mod support;

use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{TestEnv, TestUser};

/// The public URL the bot registers; only its path matters to the local server.
const PUBLIC_URL: &str = "https://bot.example.test/telegram/hook";
const HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Where the running bot listens and what it expects.
#[derive(Debug, Clone)]
struct Hook {
    /// `http://127.0.0.1:PORT/telegram/hook`.
    url: String,
    /// The secret token the bot gave to setWebhook.
    secret: String,
    /// `http://127.0.0.1:PORT` of /healthz and /metrics.
    ops: String,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client")
}

/// The address after `addr=` on the log line containing `what`.
fn logged_addr(log: &str, what: &str) -> Option<String> {
    let line = log.lines().find(|line| line.contains(what))?;
    let start = line.find("addr=")? + "addr=".len();
    Some(
        line[start..]
            .split_whitespace()
            .next()?
            .trim_matches('"')
            .to_owned(),
    )
}

/// Starts the bot in webhook mode (ports chosen by the system) and waits until both
/// servers listen and setWebhook was called; returns where to post.
async fn start_webhook_bot(env: &mut TestEnv) -> Hook {
    env.extra_args = [
        "--unlimited-send",
        "--webhook",
        PUBLIC_URL,
        "--listen",
        "127.0.0.1:0",
        "--metrics-listen",
        "127.0.0.1:0",
    ]
    .map(str::to_owned)
    .to_vec();
    let set_before = env.fake.calls("setWebhook").len();
    let bot = env.spawn_bot();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let (hook, ops) = loop {
        let log = bot.log();
        if let (Some(hook), Some(ops)) = (
            logged_addr(&log, "webhook listening"),
            logged_addr(&log, "health and metrics listening"),
        ) {
            break (hook, ops);
        }
        if let Some(status) = bot.try_exit_status() {
            panic!("the bot exited ({status}); its log:\n{log}");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot did not listen; its log:\n{log}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let call = env
        .fake
        .wait_for_call("setWebhook", set_before, Duration::from_secs(20))
        .await;
    assert_eq!(call["url"], PUBLIC_URL, "{call}");
    // setWebhook goes as multipart (it may carry a certificate), so values are text.
    assert_eq!(
        call["max_connections"].to_string().trim_matches('"'),
        "1",
        "one delivery at a time: {call}"
    );
    let secret = call["secret_token"]
        .as_str()
        .expect("setWebhook carries a secret_token")
        .to_owned();
    assert!(secret.len() >= 32, "a random secret of 256 bits: {secret}");
    Hook {
        url: format!("http://{hook}/telegram/hook"),
        secret,
        ops: format!("http://{ops}"),
    }
}

/// Posts one update; returns the HTTP status (0 when the connection failed).
async fn post(hook: &Hook, secret: Option<&str>, update: &Value) -> u16 {
    let mut request = client().post(&hook.url).json(update);
    if let Some(secret) = secret {
        request = request.header(HEADER, secret);
    }
    match request.send().await {
        Ok(response) => response.status().as_u16(),
        Err(_) => 0,
    }
}

/// Plays Telegram: takes the fake's pending updates and posts them one at a time, each
/// again until answered 200 (the bot may be restarting), to whatever `hook` holds now.
/// Returns every update posted, for replays.
fn spawn_telegram(env: &TestEnv, hook: Arc<Mutex<Hook>>) -> Arc<Mutex<Vec<Value>>> {
    let fake = env.fake.clone();
    let posted = Arc::new(Mutex::new(Vec::new()));
    let log = posted.clone();
    tokio::spawn(async move {
        loop {
            for (_, update) in fake.take_updates() {
                loop {
                    let current = hook.lock().expect("not poisoned").clone();
                    if post(&current, Some(&current.secret), &update).await == 200 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                log.lock().expect("not poisoned").push(update);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    posted
}

/// The value of the first sample of `name` whose labels contain every one of `labels`.
fn sample(metrics: &str, name: &str, labels: &[&str]) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (series_name, rest) = series.split_once('{').unwrap_or((series, ""));
        (series_name == name && labels.iter().all(|label| rest.contains(label)))
            .then(|| value.parse().ok())?
    })
}

async fn scrape(hook: &Hook) -> String {
    client()
        .get(format!("{}/metrics", hook.ops))
        .send()
        .await
        .expect("scrape /metrics")
        .text()
        .await
        .expect("metrics text")
}

async fn health(hook: &Hook) -> (u16, Value) {
    let response = client()
        .get(format!("{}/healthz", hook.ops))
        .send()
        .await
        .expect("GET /healthz");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// The barrier for "nothing more arrives": waits for the reply to a `/totals` sentinel
/// the caller has just sent (recognised by its heading), searching `user`'s messages from
/// index `from`, and returns its index. The sentinel's update id is after every earlier
/// one; updates are handled in id order and a chat's replies are sent in order, so when
/// its reply is there, whatever an earlier update caused has arrived before it.
async fn sentinel_reply(env: &TestEnv, user: &TestUser, from: usize) -> usize {
    env.fake
        .wait_until(
            "the reply to the /totals sentinel",
            Duration::from_secs(10),
            |fake| {
                fake.messages_to(user.id)
                    .iter()
                    .enumerate()
                    .skip(from)
                    .find(|(_, m)| m.text.contains("Số liệu lũy kế"))
                    .map(|(i, _)| i)
            },
        )
        .await
}

/// A private message update as Telegram would post it.
fn text_update(update_id: i64, user: &TestUser, text: &str) -> Value {
    let mut message = serde_json::json!({
        "message_id": update_id,
        "date": chrono::Utc::now().timestamp(),
        "chat": user.private_chat(),
        "from": user.to_json(),
        "text": text,
    });
    if text.starts_with('/') {
        message["entities"] = serde_json::json!([{
            "type": "bot_command", "offset": 0,
            "length": text.split_whitespace().next().unwrap_or(text).encode_utf16().count(),
        }]);
    }
    serde_json::json!({"update_id": update_id, "message": message})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dialog_runs_through_the_webhook_and_a_replay_changes_nothing() {
    let mut env = TestEnv::new().await;
    env.grant(2001, "organiser", Some("Tràng An"));
    let hook = Arc::new(Mutex::new(start_webhook_bot(&mut env).await));
    let posted = spawn_telegram(&env, hook.clone());
    let user = env.fake.user(2001, "Lan", Some("vi"));

    // Quick entry, then Save: two steps, each an update posted to the webhook.
    let summary = env
        .fake
        .send_and_wait(&user, "sk 45 30 Phòng chống dịch")
        .await;
    assert_eq!(summary.inline_buttons().len(), 3, "{}", summary.text);
    let save = summary.inline_buttons()[0].0.clone();
    let saved = env.fake.press_and_wait(&user, &summary, &save).await;
    assert!(
        saved.text.contains("Đã lưu buổi học số 1"),
        "{}",
        saved.text
    );
    assert_eq!(
        env.fake.get_updates_count(),
        0,
        "no getUpdates in webhook mode"
    );

    // Telegram delivers the Save press again (as after a lost 200): answered 200, ignored.
    let replay = posted
        .lock()
        .expect("not poisoned")
        .last()
        .cloned()
        .expect("updates were posted");
    let before = env.fake.messages_to(user.id).len();
    let answers = env.fake.callback_answers().len();
    let current = hook.lock().expect("not poisoned").clone();
    assert_eq!(post(&current, Some(&current.secret), &replay).await, 200);
    env.fake.send_text(&user, "/totals");
    assert_eq!(
        sentinel_reply(&env, &user, before).await,
        before,
        "no second reply"
    );
    assert_eq!(
        env.fake.callback_answers().len(),
        answers,
        "no second answer"
    );

    // Stopping keeps the webhook (Telegram queues meanwhile): no deleteWebhook.
    assert_eq!(env.stop_bot().await.map(|s| s.success()), Some(true));
    assert!(env.fake.calls("deleteWebhook").is_empty());
    let (status, out, err) = env.rollcall(&[
        "report",
        "--db",
        env.db_path.to_str().expect("path"),
        "--format",
        "csv",
    ]);
    assert!(status.success(), "{err}");
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("Phòng chống dịch"))
            .count(),
        1,
        "{out}"
    );

    // Back to long polling: the webhook is deleted first, and the dialog goes on.
    env.extra_args = vec!["--unlimited-send".to_owned()];
    env.start_bot().await;
    assert_eq!(env.fake.calls("deleteWebhook").len(), 1);
    let help = env.fake.send_and_wait(&user, "/help").await;
    assert!(!help.text.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_or_missing_secret_is_refused_and_stores_nothing() {
    let mut env = TestEnv::new().await;
    env.grant(2002, "organiser", Some("Tràng An"));
    let hook = start_webhook_bot(&mut env).await;
    let user = env.fake.user(2002, "Minh", Some("vi"));
    let update = text_update(500, &user, "/help");

    assert_eq!(post(&hook, None, &update).await, 401);
    assert_eq!(post(&hook, Some("not-the-secret"), &update).await, 401);
    let mut longer = hook.secret.clone();
    longer.push('x');
    assert_eq!(post(&hook, Some(&longer), &update).await, 401);
    // (That they had no effect is shown below, by the sentinel.)
    let metrics = scrape(&hook).await;
    assert_eq!(
        sample(&metrics, "rollcall_webhook_refused_total", &[]),
        Some(3.0),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, "rollcall_updates_received_total", &[]),
        Some(0.0),
        "{metrics}"
    );

    // The same update with the right secret is then taken (nothing of it was stored
    // before, not even its id): proof that the refusals stored nothing.
    assert_eq!(post(&hook, Some(&hook.secret), &update).await, 200);
    env.fake
        .wait_for_message(user.id, 0, Duration::from_secs(10))
        .await;
    assert_eq!(
        post(
            &hook,
            Some(&hook.secret),
            &text_update(501, &user, "/totals")
        )
        .await,
        200
    );
    assert_eq!(
        sentinel_reply(&env, &user, 1).await,
        1,
        "refused updates have no effect: one reply to the accepted update, then the sentinel's"
    );
    // Not a POST of an update: refused without touching the inbox.
    let status = client()
        .post(&hook.url)
        .header(HEADER, &hook.secret)
        .body("not json")
        .send()
        .await
        .expect("posted")
        .status();
    assert_eq!(status.as_u16(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_answered_200_survives_a_kill() {
    let mut env = TestEnv::new().await;
    env.grant(2003, "organiser", Some("Tràng An"));
    let hook = start_webhook_bot(&mut env).await;
    let user = env.fake.user(2003, "Hoa", Some("vi"));

    // 200 means committed: a SIGKILL right after it loses nothing.
    assert_eq!(
        post(&hook, Some(&hook.secret), &text_update(900, &user, "/help")).await,
        200
    );
    env.kill_bot();
    let (_, check, _) = env.rollcall(&["check", "--db", env.db_path.to_str().expect("path")]);
    // Either the update was still in the inbox at the kill, or already handled (then its
    // reply is in the outbox or sent): both are durable.
    eprintln!("after the kill:\n{check}");

    let hook = start_webhook_bot(&mut env).await;
    env.fake
        .wait_for_message(user.id, 0, Duration::from_secs(10))
        .await;
    // Telegram would not send it again after the 200; if it did, it would be ignored.
    assert_eq!(
        post(&hook, Some(&hook.secret), &text_update(900, &user, "/help")).await,
        200
    );
    assert_eq!(
        post(
            &hook,
            Some(&hook.secret),
            &text_update(901, &user, "/totals")
        )
        .await,
        200
    );
    let sentinel = sentinel_reply(&env, &user, 1).await;
    let replies = env.fake.messages_to(user.id);
    assert_eq!(sentinel, 1, "exactly one reply: {replies:?}");
    assert!(env
        .bot_logs()
        .contains("the previous run did not stop cleanly"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_report_while_a_dialog_runs() {
    let mut env = TestEnv::new().await;
    env.grant(2004, "organiser", Some("Tràng An"));
    let hook = Arc::new(Mutex::new(start_webhook_bot(&mut env).await));
    spawn_telegram(&env, hook.clone());
    let ops = hook.lock().expect("not poisoned").clone();
    let user = env.fake.user(2004, "Thu", Some("vi"));

    let (status, body) = health(&ops).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok", "{body}");
    // `rollcall health`, the container's HEALTHCHECK, asks the same and exits 0; without
    // --url it finds the address in the configuration (here ROLLCALL_METRICS_LISTEN).
    let (exit, out, err) = env.rollcall(&["health", "--url", &format!("{}/healthz", ops.ops)]);
    assert!(exit.success(), "{out}{err}");
    assert!(out.contains("\"status\":\"ok\""), "{out}");
    let listen = ops.ops.trim_start_matches("http://").to_owned();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .arg("health")
        .env("ROLLCALL_METRICS_LISTEN", &listen)
        .output()
        .expect("run rollcall health");
    assert!(output.status.success(), "{output:?}");
    let before = scrape(&ops).await;
    assert_eq!(
        sample(&before, "rollcall_sessions", &[]),
        Some(0.0),
        "{before}"
    );

    let summary = env.fake.send_and_wait(&user, "sk 20 12 Dinh dưỡng").await;
    let save = summary.inline_buttons()[0].0.clone();
    env.fake.press_and_wait(&user, &summary, &save).await;

    let after = scrape(&ops).await;
    let received = sample(&after, "rollcall_updates_received_total", &[]).unwrap_or(0.0);
    assert!(received >= 2.0, "{after}");
    for kind in ["kind=\"text\"", "kind=\"button\""] {
        let handled = sample(
            &after,
            "rollcall_updates_processed_total",
            &[kind, "outcome=\"handled\""],
        );
        assert!(handled.unwrap_or(0.0) >= 1.0, "{kind}: {after}");
    }
    assert!(
        sample(&after, "rollcall_step_seconds_count", &[]).unwrap_or(0.0) >= 2.0,
        "{after}"
    );
    assert_eq!(
        sample(&after, "rollcall_sessions", &[]),
        Some(1.0),
        "{after}"
    );
    assert!(
        sample(&after, "rollcall_db_size_bytes", &[]).unwrap_or(0.0) > 0.0,
        "{after}"
    );
    assert!(
        sample(&after, "rollcall_outbox_depth", &[]).is_some(),
        "{after}"
    );
    assert!(
        sample(
            &after,
            "rollcall_telegram_last_success_timestamp_seconds",
            &[]
        )
        .unwrap_or(0.0)
            > 0.0,
        "{after}"
    );

    // A failing check: with a limit of 0 minutes Telegram is never "recent enough".
    env.stop_bot().await;
    env.extra_env = vec![(
        "ROLLCALL_METRICS_TELEGRAM_STALE_MINUTES".to_owned(),
        "0".to_owned(),
    )];
    let ops = start_webhook_bot(&mut env).await;
    let (status, body) = health(&ops).await;
    assert_eq!(status, 503, "{body}");
    let (exit, out, err) = env.rollcall(&["health", "--url", &format!("{}/healthz", ops.ops)]);
    assert_eq!(exit.code(), Some(1), "{out}{err}");
    assert!(err.contains("503"), "{err}");
    assert_eq!(body["failed"], serde_json::json!(["telegram"]), "{body}");
    assert_eq!(body["checks"]["database"]["ok"], true, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_ids_that_start_again_lower_after_a_quiet_week_are_answered() {
    let mut env = TestEnv::new().await;
    env.grant(2003, "organiser", Some("Tràng An"));
    let hook = start_webhook_bot(&mut env).await;
    let user = env.fake.user(2003, "Hà", Some("vi"));

    assert_eq!(
        post(
            &hook,
            Some(&hook.secret),
            &text_update(800_000_000, &user, "/help")
        )
        .await,
        200
    );
    env.fake
        .wait_for_message(user.id, 0, Duration::from_secs(10))
        .await;
    // Telegram starts the ids again from a random, lower number after a week without
    // updates: the bot must answer them, not take them for replays.
    assert_eq!(
        post(
            &hook,
            Some(&hook.secret),
            &text_update(4_242, &user, "/help")
        )
        .await,
        200
    );
    env.fake
        .wait_for_message(user.id, 1, Duration::from_secs(10))
        .await;
    // A replay in the new sequence is still recognised.
    assert_eq!(
        post(
            &hook,
            Some(&hook.secret),
            &text_update(4_242, &user, "/help")
        )
        .await,
        200
    );
    assert_eq!(
        post(
            &hook,
            Some(&hook.secret),
            &text_update(4_243, &user, "/totals")
        )
        .await,
        200
    );
    assert_eq!(
        sentinel_reply(&env, &user, 2).await,
        2,
        "one answer per update, none for the replay"
    );
}
