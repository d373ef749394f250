//! Benchmark of reminder delivery at scale: N linked groups (1,000 by default, set with
//! `ROLLCALL_BENCH_GROUPS` or a number argument), each with a reminder at the same minute.
//!
//! The database is prepared through the library (a centre, a group link and a reminder per
//! group) before the bot starts. Then the real `rollcall run` binary of this build starts
//! with a clock file set just after the firing minute, against a fake Bot API on 127.0.0.1
//! that enforces Telegram's limits: it answers 429 with `retry_after` when a message would
//! make more than 30 in any second overall or more than 20 in any minute in one group, and
//! records every message it accepts with its arrival time. The bench reports the delivery
//! time against the theoretical minimum at 30 messages per second, the 429s received, the
//! duplicates and the messages missing (the last three should all be 0).
//!
//! Before that, it times `fire_due` in-process on a copy of the same file: the one
//! transaction that queues all N messages, and an idle tick that finds nothing due.
//!
//! Run with `cargo bench --bench reminders` (or `-- 10000`). It is a plain binary
//! (`harness = false`), not a statistical benchmark: one run is long (N / 30 seconds) and
//! its figures are counts and spans, not a per-iteration time.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use rollcall::dialog::load_dir;
use rollcall::reminders::fire::{fire_due, plan, FireOptions};
use rollcall::reminders::parse::Audience;
use rollcall::reminders::schedule::{Schedule, Weekdays};
use rollcall::store::{ReminderRecord, Store};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

const TOKEN: &str = "123456789:AAFakeTokenForRollcallReminderBench";
const BOT_USERNAME: &str = "rollcall_bench_bot";
/// Telegram's limits as the fake enforces them.
const GLOBAL_MAX: usize = 30;
const GLOBAL_WINDOW: Duration = Duration::from_secs(1);
const GROUP_MAX: usize = 20;
const GROUP_WINDOW: Duration = Duration::from_secs(60);
/// Rows per write transaction while preparing the database.
const PREPARE_BATCH: usize = 1_000;

fn main() -> anyhow::Result<()> {
    let groups = groups_wanted();
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("bench.redb");
    // The reminders were created the day before; 20:00 in Hà Nội is 13:00 UTC.
    let created = utc("2026-11-25T12:00:00Z");
    let firing = utc("2026-11-26T13:00:00Z");
    let clock_now = utc("2026-11-26T13:00:01Z");

    println!("reminder delivery benchmark: {groups} groups, one reminder each at 20:00 local");
    println!("machine: {}", machine());
    let started = Instant::now();
    prepare(&db, groups, created)?;
    println!(
        "prepared the database through the library in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    in_process(&db, &dir.path().join("copy.redb"), groups, clock_now)?;

    let clock = dir.path().join("clock");
    std::fs::write(&clock, clock_now.to_rfc3339())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(deliver(&db, &clock, dir.path(), groups))?;
    outcome.print(groups, firing);
    if std::env::var_os("ROLLCALL_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        println!("kept the database and the bot's log in {}", kept.display());
    }
    if !outcome.is_clean(groups) {
        anyhow::bail!("delivery was not exactly once within the limits (see above)");
    }
    Ok(())
}

/// N from `ROLLCALL_BENCH_GROUPS`, else the first number argument (cargo passes `--bench`
/// and filters too, which are ignored), else 1,000.
fn groups_wanted() -> usize {
    std::env::var("ROLLCALL_BENCH_GROUPS")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .or_else(|| std::env::args().skip(1).find_map(|a| a.parse().ok()))
        .unwrap_or(1_000)
        .max(1)
}

fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc.timestamp_opt(0, 0).single().unwrap_or_default())
}

/// The chat id of group `i`: supergroup-like negative ids.
fn group_chat(i: usize) -> i64 {
    -1_000_000_000_000 - i as i64
}

/// A centre per group, the group linked to it, and a daily reminder at 20:00 local.
fn prepare(db: &Path, groups: usize, created: DateTime<Utc>) -> anyhow::Result<()> {
    let store = Store::open(db)?;
    let schedule = Schedule {
        time: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or(NaiveTime::MIN),
        days: Weekdays::EVERY_DAY,
    };
    for start in (0..groups).step_by(PREPARE_BATCH) {
        store.write(|tx| {
            for i in start..(start + PREPARE_BATCH).min(groups) {
                let centre = tx.ensure_centre(&format!("TTHTCĐ số {i:05}"))?;
                let chat = group_chat(i);
                tx.link_group(chat, centre, 1, created)?;
                tx.add_reminder(
                    chat,
                    &ReminderRecord {
                        centre,
                        schedule,
                        audience: Audience::Group,
                        zone: "Asia/Ho_Chi_Minh".to_owned(),
                        created_by: 1,
                        created_at: created,
                        last: created,
                    },
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Times the firing transaction and an idle tick on a copy of the prepared file.
fn in_process(db: &Path, copy: &Path, groups: usize, now: DateTime<Utc>) -> anyhow::Result<()> {
    std::fs::copy(db, copy)?;
    let store = Store::open(copy)?;
    let catalog = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs"))
        .map_err(|errors| anyhow::anyhow!("the dialogs do not load: {errors:?}"))?;
    let started = Instant::now();
    let tick = store.write(|tx| {
        fire_due(
            tx,
            &catalog,
            Some(BOT_USERNAME),
            FireOptions::default(),
            now,
        )
    })?;
    let fire = started.elapsed();
    assert_eq!(tick.fired, groups, "every reminder fires");
    let started = Instant::now();
    let idle = store.read(|view| plan(view, FireOptions::default(), now))?;
    let idle_time = started.elapsed();
    assert!(idle.is_idle(), "nothing fires twice");
    println!(
        "in-process: fire_due queued {} messages in one transaction in {:.0} ms; \
         an idle tick over {groups} reminders takes {:.0} ms",
        tick.messages,
        fire.as_secs_f64() * 1e3,
        idle_time.as_secs_f64() * 1e3
    );
    Ok(())
}

/// Runs the bot against the fake until every message arrived (or a timeout), then a few
/// seconds more to catch duplicates, and stops it with SIGTERM.
async fn deliver(db: &Path, clock: &Path, dir: &Path, groups: usize) -> anyhow::Result<Outcome> {
    let fake = Fake::start().await?;
    let log_path = dir.join("bot.log");
    let spawned = Instant::now();
    let mut bot = spawn_bot(db, clock, &fake.url, &log_path)?;
    // Three times the theoretical minimum, plus start-up, is a generous limit.
    let timeout = Duration::from_secs((groups as u64 / 30) * 3 + 120);
    let mut last_report = Instant::now();
    loop {
        let delivered = fake.lock().delivered.len();
        if delivered >= groups {
            break;
        }
        if spawned.elapsed() > timeout {
            eprintln!("timeout after {:?}: {delivered} of {groups}", timeout);
            break;
        }
        if let Some(status) = bot.try_wait()? {
            eprintln!(
                "the bot exited early ({status}); its log:\n{}",
                log_tail(&log_path)
            );
            break;
        }
        if last_report.elapsed() >= Duration::from_secs(10) {
            last_report = Instant::now();
            println!(
                "  … {delivered} of {groups} after {:.0} s",
                spawned.elapsed().as_secs_f64()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Anything sent twice would come within the sender's retry delays.
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop_bot(&mut bot).await;
    let state = fake.lock();
    Ok(Outcome {
        spawned,
        delivered: state.delivered.clone(),
        too_many: state.too_many,
        log: log_path,
    })
}

fn spawn_bot(db: &Path, clock: &Path, api_url: &str, log: &Path) -> anyhow::Result<Child> {
    let log_file = std::fs::File::create(log)?;
    let dialogs = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs");
    let child = Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .arg("run")
        .arg("--db")
        .arg(db)
        .arg("--dialogs")
        .arg(dialogs)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api_url)
        .env("ROLLCALL_CLOCK_FILE", clock)
        .env("RUST_LOG", "info")
        // A proxy from the environment must not intercept 127.0.0.1 traffic.
        .env_remove("TELOXIDE_PROXY")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .stdin(Stdio::null())
        .stdout(Stdio::from(log_file.try_clone()?))
        .stderr(Stdio::from(log_file))
        .spawn()?;
    Ok(child)
}

/// SIGTERM (a clean stop, as systemd would), then a kill after 15 s.
async fn stop_bot(bot: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(bot.id().to_string())
        .status();
    for _ in 0..150 {
        if matches!(bot.try_wait(), Ok(Some(_))) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = bot.kill();
    let _ = bot.wait();
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// "nproc 2 · <CPU model> · <RAM> GiB RAM".
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim())
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!("nproc {cpus} · {model} · {ram_gib:.1} GiB RAM")
}

/// What the fake saw.
struct Outcome {
    spawned: Instant,
    /// Every accepted message: chat and arrival time, in arrival order.
    delivered: Vec<(i64, Instant)>,
    too_many: usize,
    log: PathBuf,
}

impl Outcome {
    fn duplicates_and_missing(&self, groups: usize) -> (usize, usize) {
        let mut per_chat: HashMap<i64, usize> = HashMap::new();
        for (chat, _) in &self.delivered {
            *per_chat.entry(*chat).or_default() += 1;
        }
        let duplicates = per_chat.values().map(|n| n - 1).sum();
        let missing = (0..groups)
            .filter(|i| !per_chat.contains_key(&group_chat(*i)))
            .count();
        (duplicates, missing)
    }

    fn is_clean(&self, groups: usize) -> bool {
        let (duplicates, missing) = self.duplicates_and_missing(groups);
        duplicates == 0 && missing == 0 && self.too_many == 0
    }

    /// The most arrivals within any window of `width` (over all chats).
    fn max_in_window(times: &[Instant], width: Duration) -> usize {
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end].duration_since(times[start]) >= width {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    fn print(&self, groups: usize, firing: DateTime<Utc>) {
        let (duplicates, missing) = self.duplicates_and_missing(groups);
        let times: Vec<Instant> = self.delivered.iter().map(|(_, at)| *at).collect();
        let (Some(first), Some(last)) = (times.first(), times.last()) else {
            println!(
                "no message arrived; the bot's log:\n{}",
                log_tail(&self.log)
            );
            return;
        };
        let span = last.duration_since(*first).as_secs_f64();
        let total = last.duration_since(self.spawned).as_secs_f64();
        // At most 30 arrivals in any second: N messages need ceil(N / 30) - 1 seconds
        // between the first and the last; the usual round figure is N / 30.
        let minimum_span = (groups.div_ceil(GLOBAL_MAX) - 1) as f64;
        let mut per_group: HashMap<i64, Vec<Instant>> = HashMap::new();
        for (chat, at) in &self.delivered {
            per_group.entry(*chat).or_default().push(*at);
        }
        let max_group = per_group
            .values()
            .map(|t| Self::max_in_window(t, GROUP_WINDOW))
            .max()
            .unwrap_or(0);
        println!("firing at {firing} (20:00 in Hà Nội); results:");
        println!("  messages delivered      {}", self.delivered.len());
        println!(
            "  bot start → first msg   {:.2} s (start-up, getMe, firing transaction)",
            first.duration_since(self.spawned).as_secs_f64()
        );
        println!(
            "  first → last message    {span:.2} s (theoretical minimum at 30/s: {minimum_span:.0} s; N/30 = {:.1} s)",
            groups as f64 / 30.0
        );
        println!("  bot start → last msg    {total:.2} s");
        if span > 0.0 {
            println!(
                "  throughput              {:.2} messages/s",
                (times.len() - 1) as f64 / span
            );
        }
        println!(
            "  most in any 1 s window  {} (limit {GLOBAL_MAX})",
            Self::max_in_window(&times, GLOBAL_WINDOW)
        );
        println!("  most per group in 60 s  {max_group} (limit {GROUP_MAX})");
        println!("  429s answered           {}", self.too_many);
        println!("  duplicates              {duplicates}");
        println!("  missing                 {missing}");
        println!(
            "  verdict                 {}",
            if self.is_clean(groups) {
                "exactly once, within the limits"
            } else {
                "NOT CLEAN"
            }
        );
    }
}

/// The fake Bot API: the few methods the bot calls, with Telegram's limits on messages.
#[derive(Clone)]
struct Fake {
    url: String,
    state: Arc<Mutex<FakeState>>,
}

#[derive(Default)]
struct FakeState {
    /// Arrival times of accepted messages within the last second, oldest first.
    global: VecDeque<Instant>,
    /// Arrival times of accepted messages per group within the last minute.
    groups: HashMap<i64, VecDeque<Instant>>,
    delivered: Vec<(i64, Instant)>,
    too_many: usize,
    next_message_id: i64,
}

impl Fake {
    async fn start() -> anyhow::Result<Fake> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(Mutex::new(FakeState::default()));
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move {
            // Ends with the runtime; an error then needs no report.
            let _ = axum::serve(listener, app).await;
        });
        Ok(Fake { url, state })
    }

    fn lock(&self) -> MutexGuard<'_, FakeState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn too_many_requests(retry_after: u64) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({
            "ok": false,
            "error_code": 429,
            "description": format!("Too Many Requests: retry after {retry_after}"),
            "parameters": {"retry_after": retry_after},
        })),
    )
        .into_response()
}

async fn handle(State(state): State<Arc<Mutex<FakeState>>>, uri: Uri, body: Bytes) -> Response {
    let Some((token, method)) = uri
        .path()
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    if token != TOKEN {
        return (StatusCode::UNAUTHORIZED, "unauthorized").into_response();
    }
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match method.to_ascii_lowercase().as_str() {
        "getme" => ok(json!({
            "id": 123456789,
            "is_bot": true,
            "first_name": "Rollcall Bench",
            "username": BOT_USERNAME,
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": false,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        })),
        "getupdates" => {
            // Nobody writes to the bot here: hold the long poll briefly and answer empty.
            let timeout = params["timeout"].as_u64().unwrap_or(0);
            tokio::time::sleep(Duration::from_secs(timeout).min(Duration::from_millis(500))).await;
            ok(json!([]))
        }
        "sendmessage" => {
            let chat = match &params["chat_id"] {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            };
            let Some(chat) = chat else {
                return (StatusCode::BAD_REQUEST, "chat_id missing").into_response();
            };
            let text = params["text"].as_str().unwrap_or_default().to_owned();
            let mut s = state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            send(&mut s, chat, text)
        }
        // setMyCommands, deleteWebhook and the like.
        _ => ok(json!(true)),
    }
}

/// Accepts a message unless it breaks a limit (then 429 with the wait Telegram would ask).
fn send(s: &mut FakeState, chat: i64, text: String) -> Response {
    let now = Instant::now();
    while s
        .global
        .front()
        .is_some_and(|t| now.duration_since(*t) >= GLOBAL_WINDOW)
    {
        s.global.pop_front();
    }
    if s.global.len() >= GLOBAL_MAX {
        s.too_many += 1;
        return too_many_requests(1);
    }
    if chat < 0 {
        let group = s.groups.entry(chat).or_default();
        while group
            .front()
            .is_some_and(|t| now.duration_since(*t) >= GROUP_WINDOW)
        {
            group.pop_front();
        }
        if group.len() >= GROUP_MAX {
            let oldest = group.front().copied().unwrap_or(now);
            let wait = GROUP_WINDOW.saturating_sub(now.duration_since(oldest));
            s.too_many += 1;
            return too_many_requests(wait.as_secs().max(1));
        }
        group.push_back(now);
    }
    s.global.push_back(now);
    s.delivered.push((chat, now));
    s.next_message_id += 1;
    let chat_json = if chat < 0 {
        json!({"id": chat, "type": "group", "title": "TTHTCĐ"})
    } else {
        json!({"id": chat, "type": "private", "first_name": "User"})
    };
    ok(json!({
        "message_id": s.next_message_id,
        "date": Utc::now().timestamp(),
        "chat": chat_json,
        "text": text,
    }))
}
