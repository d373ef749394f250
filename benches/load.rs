//! End-to-end load benchmark of the real bot: the release `rollcall run` process against a
//! lean fake Bot API on 127.0.0.1, on a fresh redb file (or a copy of a pre-filled one).
//!
//! N organisers (granted through the library's `Store` API before the bot starts) each log
//! K whole sessions concurrently, by buttons and typed answers as a person would:
//! `/log` → tap group → tap "new class" + type its name (or tap an existing class) → tap
//! Today → type total → type women → tap Save. Reported per run: dialog steps/s, completed
//! sessions/s, per-step latency (update made available by the fake → the bot's reply
//! arriving at the fake) p50/p95/p99/max, the bot's CPU seconds per 1,000 steps
//! (`/proc/<pid>/stat` utime+stime), its peak RSS (`VmHWM`) and idle RSS (`VmRSS` after
//! start-up), start-up time (spawn → first `getUpdates`), messages/s accepted by the fake
//! and the 429s it answered. At the end the bot is stopped and the database opened with the
//! library: every confirmed session must be stored exactly once, or the run fails.
//!
//! With `--limits` the bot keeps Telegram's limits and the fake enforces them (on arrival:
//! ≤ 1 message/s per chat after a burst of 3, ≤ 20/min per group, ≤ 30 in any second
//! overall; `sendMessage` and edits count, `answerCallbackQuery` does not), answering 429
//! with `retry_after` when they are broken. Without it the bot runs with `--unlimited-send`.
//!
//! Build the bot first, then run (arguments after `--`):
//!
//! ```sh
//! cargo build --release
//! cargo bench --bench load -- --organisers 100 --sessions 3 --repeat 3
//! cargo bench --bench load -- --organisers 60 --sessions 1 --limits            # saturated, real limits
//! cargo bench --bench load -- --organisers 50 --sessions 2 --limits --think 2000-5000
//! cargo bench --bench load -- --organisers 100 --db 1m                         # pre-filled copy
//! ```
//!
//! `--report-storm` (with `--db 1m`, which it implies): meanwhile a supervisor asks for the
//! roll-up of every centre over the file's five years (`/report 01/2020-12/2024`, one
//! million sessions) every `--storm-every` seconds (default 5), waiting for the table each
//! time; the organisers' step latency is then the figure that matters. The fake accepts
//! the report files (sendDocument, sendPhoto) and counts them. `LOAD_BOT_BINARY=PATH` runs
//! another build of the bot (an older commit, to compare).
//!
//! ```sh
//! cargo bench --bench load -- --report-storm --organisers 100 --sessions 40 --think 20-40
//! ```
//!
//! `--db empty|100k|1m`: the 100k and 1M files are filled once and cached under
//! `target/bench-data/` (the 1M one is the same file `benches/report.rs` builds and uses);
//! each run works on a temporary copy under `target/bench-tmp/`, deleted afterwards.
//! `LOAD_KEEP_LOG=FILE` keeps the bot's log of the last run (set `RUST_LOG` for it with
//! `LOAD_BOT_LOG`, default `info`). `--repeat R` runs R times and adds a median row. Everything is bounded: every wait has a
//! timeout, and a run that times out or loses a session fails.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use chrono::{Days, Utc};
use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::{Lang, Period};
use rollcall::roles::Role;
use rollcall::store::{Store, SCHEMA_VERSION};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Notify};

#[path = "common/fill.rs"]
mod fill;

use fill::{Rng, FILL_VERSION};

const TOKEN: &str = "123456789:AAFakeTokenForRollcallLoadBenchmark";
/// How long an organiser waits for one reply before the run is declared failed.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the bot gets to reach its first getUpdates.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the bot is watched idle (started, nobody writing) for its idle CPU.
const IDLE_WINDOW: Duration = Duration::from_secs(2);
/// Organisers per centre (a centre has a handful of class organisers).
const ORGANISERS_PER_CENTRE: usize = 10;
/// The supervisor granted before the load (the report storm's).
const SUPERVISOR: i64 = 1;
/// The first words of the report's table (table III.2), which tell it from the other
/// messages the supervisor gets (the roll-up's centres, a line about a file too big).
const STORM_TABLE_MARK: &str = "Kết quả thực hiện";
/// The report storm's request: the roll-up of the 1M file's five years.
const STORM_REPORT: &str = "/report 01/2020-12/2024";

// ===== Arguments =====

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DbSize {
    Empty,
    K100,
    M1,
}

impl DbSize {
    fn sessions(self) -> u64 {
        match self {
            DbSize::Empty => 0,
            DbSize::K100 => 100_000,
            DbSize::M1 => 1_000_000,
        }
    }

    fn name(self) -> &'static str {
        match self {
            DbSize::Empty => "empty",
            DbSize::K100 => "100k",
            DbSize::M1 => "1m",
        }
    }
}

#[derive(Debug, Clone)]
struct Args {
    organisers: usize,
    sessions: usize,
    limits: bool,
    /// Think time before each answer, uniform in [min, max] milliseconds.
    think: Option<(u64, u64)>,
    db: DbSize,
    repeat: usize,
    /// Seconds between two roll-up requests of the supervisor (`--report-storm`).
    storm_every: Option<u64>,
}

fn parse_args() -> Args {
    let mut args = Args {
        organisers: 100,
        sessions: 3,
        limits: false,
        think: None,
        db: DbSize::Empty,
        repeat: 1,
        storm_every: None,
    };
    let mut storm = false;
    let mut storm_every = 5;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--organisers" => args.organisers = value("--organisers").parse().expect("a number"),
            "--sessions" => args.sessions = value("--sessions").parse().expect("a number"),
            "--repeat" => args.repeat = value("--repeat").parse().expect("a number"),
            "--limits" => args.limits = true,
            "--report-storm" => storm = true,
            "--storm-every" => {
                storm_every = value("--storm-every").parse().expect("seconds");
            }
            "--think" => {
                let v = value("--think");
                let (a, b) = v.split_once('-').expect("--think MIN-MAX (ms)");
                args.think = Some((a.parse().expect("ms"), b.parse().expect("ms")));
            }
            "--db" => {
                args.db = match value("--db").as_str() {
                    "empty" => DbSize::Empty,
                    "100k" => DbSize::K100,
                    "1m" => DbSize::M1,
                    other => panic!("--db empty|100k|1m, not {other}"),
                }
            }
            // `cargo bench` passes `--bench`; criterion-style filters are ignored too.
            _ => {}
        }
    }
    assert!(args.organisers > 0 && args.sessions > 0 && args.repeat > 0);
    if storm {
        // The five years of sessions the roll-up reads are the 1M file's.
        args.db = DbSize::M1;
        args.storm_every = Some(storm_every.max(1));
    }
    args
}

// ===== Paths =====

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| manifest_dir().join("target"), PathBuf::from)
}

/// The bot under test: `target/release/rollcall`, or `LOAD_BOT_BINARY` (another build, for an
/// A/B comparison of two binaries on the same machine and bench).
fn bot_binary() -> PathBuf {
    let path = std::env::var_os("LOAD_BOT_BINARY").map_or_else(
        || target_dir().join("release").join("rollcall"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --release` first",
        path.display()
    );
    path
}

fn catalog() -> Catalog {
    load_dir(&manifest_dir().join("dialogs")).expect("the shipped dialogs load")
}

// ===== Pre-filled databases (the same generator as benches/report.rs) =====

/// The cached pre-filled file for `size`, filled on first use.
fn prefilled(size: DbSize, catalog: &Catalog) -> Option<PathBuf> {
    let dir = target_dir().join("bench-data");
    std::fs::create_dir_all(&dir).expect("creating target/bench-data");
    let path = match size {
        DbSize::Empty => return None,
        // The very file benches/report.rs caches: same generator, same name.
        DbSize::M1 => dir.join(format!("report-1m-s{SCHEMA_VERSION}-f{FILL_VERSION}.redb")),
        DbSize::K100 => dir.join(format!("load-100k-s{SCHEMA_VERSION}-f{FILL_VERSION}.redb")),
    };
    if path.exists() {
        return Some(path);
    }
    let partial = dir.join(format!("load-{}.partial.redb", size.name()));
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    fill::fill(&partial, catalog, size.sessions());
    std::fs::rename(&partial, &path).expect("renaming the filled database");
    eprintln!(
        "filled {} with {} sessions in {:.1?}",
        path.display(),
        size.sessions(),
        started.elapsed()
    );
    Some(path)
}

// ===== The fake Bot API =====

/// A message the bot sent, as an organiser sees it.
#[derive(Debug, Clone)]
struct Reply {
    message_id: i64,
    text: String,
    /// (label, callback data) of the inline buttons.
    buttons: Vec<(String, String)>,
    /// When the fake received the sendMessage.
    at: Instant,
}

/// Telegram's limits, checked on arrival.
#[derive(Debug, Default)]
struct ArrivalLimits {
    /// Per chat: GCRA "theoretical arrival time" and (groups) arrivals in the last minute.
    chats: HashMap<i64, (Option<Instant>, VecDeque<Instant>)>,
    /// Arrivals in the last second.
    global: VecDeque<Instant>,
}

const CHAT_BURST: u32 = 3;
const CHAT_INTERVAL: Duration = Duration::from_secs(1);
const GROUP_MAX: usize = 20;
const GROUP_WINDOW: Duration = Duration::from_secs(60);
const GLOBAL_MAX: usize = 30;
const GLOBAL_WINDOW: Duration = Duration::from_secs(1);

impl ArrivalLimits {
    /// Accepts a message to `chat` arriving `now`, or says how long it had to wait.
    fn admit(&mut self, chat: i64, now: Instant) -> Result<(), Duration> {
        while self
            .global
            .front()
            .is_some_and(|t| now.duration_since(*t) >= GLOBAL_WINDOW)
        {
            self.global.pop_front();
        }
        let mut wait = Duration::ZERO;
        if self.global.len() >= GLOBAL_MAX {
            if let Some(oldest) = self.global.front() {
                wait = wait.max(*oldest + GLOBAL_WINDOW - now);
            }
        }
        let (tat, group) = self.chats.entry(chat).or_default();
        if let Some(tat) = *tat {
            let allowed_at = tat
                .checked_sub(CHAT_INTERVAL * (CHAT_BURST - 1))
                .unwrap_or(tat);
            if allowed_at > now {
                wait = wait.max(allowed_at - now);
            }
        }
        if chat < 0 {
            while group
                .front()
                .is_some_and(|t| now.duration_since(*t) >= GROUP_WINDOW)
            {
                group.pop_front();
            }
            if group.len() >= GROUP_MAX {
                if let Some(oldest) = group.front() {
                    wait = wait.max(*oldest + GROUP_WINDOW - now);
                }
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        *tat = Some(tat.map_or(now, |t| t.max(now)) + CHAT_INTERVAL);
        if chat < 0 {
            group.push_back(now);
        }
        self.global.push_back(now);
        Ok(())
    }
}

#[derive(Debug, Default)]
struct Queue {
    next_id: i64,
    updates: VecDeque<(i64, Value)>,
}

#[derive(Debug, Default)]
struct Stats {
    /// Arrival times of accepted messages (sendMessage and edits).
    messages: Vec<Instant>,
    answers: u64,
    too_many: u64,
    unknown: u64,
    get_updates: u64,
    first_get_updates: Option<Instant>,
    /// Every Bot API call the bot made (`getUpdates` among them).
    calls: u64,
    /// Report files received (sendDocument, sendPhoto) and their bytes.
    files: u64,
    file_bytes: u64,
}

#[derive(Debug)]
struct Fake {
    queue: Mutex<Queue>,
    queue_ready: Notify,
    /// Where each private chat's replies go (its organiser's receiver).
    chats: Mutex<HashMap<i64, mpsc::UnboundedSender<Reply>>>,
    limits: Option<Mutex<ArrivalLimits>>,
    stats: Mutex<Stats>,
    next_message_id: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn unix_now() -> i64 {
    Utc::now().timestamp()
}

fn bot_user() -> Value {
    json!({"id": 7_000_000_001_i64, "is_bot": true, "first_name": "Rollcall", "username": "rollcall_bench_bot",
           "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
           "can_connect_to_business": false, "has_main_web_app": false})
}

fn user_json(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": format!("Organiser {id}"), "language_code": "vi"})
}

fn private_chat(id: i64) -> Value {
    json!({"id": id, "type": "private", "first_name": format!("Organiser {id}")})
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn error(code: u16, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        Json(body),
    )
        .into_response()
}

impl Fake {
    fn new(limits: bool) -> Fake {
        Fake {
            queue: Mutex::new(Queue {
                next_id: 1,
                ..Queue::default()
            }),
            queue_ready: Notify::new(),
            chats: Mutex::new(HashMap::new()),
            limits: limits.then(|| Mutex::new(ArrivalLimits::default())),
            stats: Mutex::new(Stats::default()),
            next_message_id: AtomicU64::new(1_000),
        }
    }

    /// Makes an update available to getUpdates; returns the instant it became available.
    fn push(&self, kind: &str, payload: Value) -> Instant {
        {
            let mut q = lock(&self.queue);
            let id = q.next_id;
            q.next_id += 1;
            let mut update = json!({"update_id": id});
            update[kind] = payload;
            q.updates.push_back((id, update));
        }
        let at = Instant::now();
        self.queue_ready.notify_waiters();
        at
    }

    fn send_text(&self, user: i64, text: &str) -> Instant {
        let mut message = json!({
            "message_id": self.next_message_id.fetch_add(1, Ordering::Relaxed),
            "date": unix_now(),
            "chat": private_chat(user),
            "from": user_json(user),
            "text": text,
        });
        if text.starts_with('/') {
            let len = text
                .split_whitespace()
                .next()
                .unwrap_or(text)
                .encode_utf16()
                .count();
            message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
        }
        self.push("message", message)
    }

    fn press(&self, user: i64, on: &Reply, data: &str) -> Instant {
        let id = self.next_message_id.fetch_add(1, Ordering::Relaxed);
        let query = json!({
            "id": format!("q{id}"),
            "from": user_json(user),
            "message": {
                "message_id": on.message_id,
                "date": unix_now(),
                "chat": private_chat(user),
                "from": bot_user(),
                "text": on.text,
            },
            "chat_instance": format!("ci{user}"),
            "data": data,
        });
        self.push("callback_query", query)
    }

    fn limited(&self, chat: i64, now: Instant) -> Option<Response> {
        let limits = self.limits.as_ref()?;
        match lock(limits).admit(chat, now) {
            Ok(()) => None,
            Err(wait) => {
                lock(&self.stats).too_many += 1;
                let retry_after = wait.as_secs_f64().ceil().max(1.0) as u64;
                Some(error(
                    429,
                    &format!("Too Many Requests: retry after {retry_after}"),
                    Some(json!({"retry_after": retry_after})),
                ))
            }
        }
    }

    async fn get_updates(&self, params: &Value) -> Response {
        let offset = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
        let timeout = params.get("timeout").and_then(Value::as_u64).unwrap_or(0);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout.min(5));
        {
            let mut stats = lock(&self.stats);
            stats.get_updates += 1;
            stats.first_get_updates.get_or_insert_with(Instant::now);
        }
        loop {
            let notified = self.queue_ready.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut q = lock(&self.queue);
                while q.updates.front().is_some_and(|(id, _)| *id < offset) {
                    q.updates.pop_front();
                }
                if !q.updates.is_empty() || tokio::time::Instant::now() >= deadline {
                    let batch: Vec<Value> =
                        q.updates.iter().take(100).map(|(_, u)| u.clone()).collect();
                    return ok(Value::Array(batch));
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }

    fn send_message(&self, params: &Value) -> Response {
        let now = Instant::now();
        let Some(chat) = params.get("chat_id").and_then(Value::as_i64) else {
            return error(400, "Bad Request: chat not found", None);
        };
        if let Some(refused) = self.limited(chat, now) {
            return refused;
        }
        let text = params
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let buttons = params
            .get("reply_markup")
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .filter_map(|b| {
                        Some((
                            b.get("text")?.as_str()?.to_owned(),
                            b.get("callback_data")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let message_id = self.next_message_id.fetch_add(1, Ordering::Relaxed) as i64;
        let message = json!({
            "message_id": message_id,
            "date": unix_now(),
            "chat": private_chat(chat),
            "from": bot_user(),
            "text": text,
        });
        lock(&self.stats).messages.push(now);
        if let Some(to) = lock(&self.chats).get(&chat) {
            let _ = to.send(Reply {
                message_id,
                text,
                buttons,
                at: now,
            });
        }
        ok(message)
    }

    fn edit(&self, params: &Value) -> Response {
        let now = Instant::now();
        let Some(chat) = params.get("chat_id").and_then(Value::as_i64) else {
            return error(400, "Bad Request: chat not found", None);
        };
        if let Some(refused) = self.limited(chat, now) {
            return refused;
        }
        let message_id = params
            .get("message_id")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        lock(&self.stats).messages.push(now);
        ok(json!({
            "message_id": message_id,
            "date": unix_now(),
            "edit_date": unix_now(),
            "chat": private_chat(chat),
            "from": bot_user(),
            "text": "…",
        }))
    }
}

async fn handle(State(fake): State<Arc<Fake>>, uri: Uri, body: Bytes) -> Response {
    let Some(method) = uri
        .path()
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
        .filter(|(token, _)| *token == TOKEN)
        .map(|(_, method)| method.trim_end_matches('/').to_ascii_lowercase())
    else {
        return error(404, "Not Found", None);
    };
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    lock(&fake.stats).calls += 1;
    match method.as_str() {
        "getme" => ok(bot_user()),
        "getupdates" => fake.get_updates(&params).await,
        "sendmessage" => fake.send_message(&params),
        "editmessagereplymarkup" | "editmessagetext" => fake.edit(&params),
        "answercallbackquery" => {
            lock(&fake.stats).answers += 1;
            ok(json!(true))
        }
        // Multipart uploads: only the report storm's supervisor gets files.
        "senddocument" | "sendphoto" => {
            {
                let mut stats = lock(&fake.stats);
                stats.files += 1;
                stats.file_bytes += body.len() as u64;
            }
            let id = fake.next_message_id.fetch_add(1, Ordering::Relaxed);
            let mut message = json!({
                "message_id": id,
                "date": unix_now(),
                "chat": private_chat(SUPERVISOR),
                "from": bot_user(),
            });
            if method == "senddocument" {
                message["document"] =
                    json!({"file_id": format!("doc{id}"), "file_unique_id": format!("d{id}")});
            } else {
                message["photo"] = json!([{"file_id": format!("photo{id}"), "file_unique_id": format!("p{id}"), "width": 640, "height": 480}]);
            }
            ok(message)
        }
        "setmycommands"
        | "deletemycommands"
        | "setmydescription"
        | "setmyshortdescription"
        | "deletewebhook" => ok(json!(true)),
        _ => {
            eprintln!("the fake does not know {method}");
            lock(&fake.stats).unknown += 1;
            error(404, "Not Found: method not found", None)
        }
    }
}

async fn start_fake(fake: Arc<Fake>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("address");
    // The report storm uploads files of tens of megabytes.
    let app = Router::new()
        .fallback(handle)
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(fake);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

// ===== The bot process =====

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: &str, ticks: f64) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after ')'.
    let utime: f64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0.0);
    let stime: f64 = fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0.0);
    (utime + stime) / ticks
}

/// Voluntary and involuntary context switches of every live thread of a process (the sum
/// of `/proc/<pid>/task/*/status`). A thread that ended takes its counts with it, so this
/// undercounts when threads come and go (tokio's blocking pool keeps idle threads 10 s).
fn context_switches(pid: &str) -> (u64, u64) {
    let mut sum = (0, 0);
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return sum;
    };
    for task in tasks.flatten() {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        for line in status.lines() {
            let count = |key: &str| {
                line.strip_prefix(key)
                    .and_then(|v| v.trim().parse::<u64>().ok())
            };
            if let Some(n) = count("voluntary_ctxt_switches:") {
                sum.0 += n;
            } else if let Some(n) = count("nonvoluntary_ctxt_switches:") {
                sum.1 += n;
            }
        }
    }
    sum
}

/// How many threads a process has now.
fn thread_count(pid: &str) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |tasks| tasks.count())
}

/// A `Vm…` line of /proc/<pid>/status, in MiB.
fn status_mib(pid: &str, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn spawn_bot(api_url: &str, db: &Path, log: &Path, limits: bool) -> Child {
    let log = std::fs::File::create(log).expect("bot log");
    let err = log.try_clone().expect("bot log");
    let mut command = Command::new(bot_binary());
    command
        .arg("run")
        .arg("--db")
        .arg(db)
        .arg("--dialogs")
        .arg(manifest_dir().join("dialogs"));
    if !limits {
        command.arg("--unlimited-send");
    }
    command
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api_url)
        .env(
            "RUST_LOG",
            std::env::var("LOAD_BOT_LOG").unwrap_or_else(|_| "info".to_owned()),
        )
        .env_remove("TELOXIDE_PROXY")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(err))
        .spawn()
        .expect("spawn target/release/rollcall")
}

/// SIGTERM, then waits (bounded) for the exit; kills it if it does not stop.
fn stop_bot(child: &mut Child) -> bool {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

// ===== Organisers =====

/// Texts and labels an organiser looks for.
#[derive(Debug)]
struct Labels {
    groups: Vec<String>,
    new_class: String,
    today: String,
    save: String,
}

#[derive(Debug, Default)]
struct Outcome {
    latencies: Vec<Duration>,
    steps: u64,
    /// (total, female) of each confirmed session.
    confirmed: Vec<(u32, u32)>,
    /// Sessions on an existing class whose button was not in the recent list (typed instead).
    typed_existing: u64,
    failure: Option<String>,
    last_reply: Option<Instant>,
}

struct Organiser {
    fake: Arc<Fake>,
    id: i64,
    replies: mpsc::UnboundedReceiver<Reply>,
    think: Option<(u64, u64)>,
    rng: Rng,
    outcome: Outcome,
}

impl Organiser {
    async fn pause(&mut self) {
        if let Some((lo, hi)) = self.think {
            let ms = lo + self.rng.below(hi - lo + 1);
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }

    async fn reply(&mut self, made_available: Instant) -> Result<Reply, String> {
        let reply = tokio::time::timeout(REPLY_TIMEOUT, self.replies.recv())
            .await
            .map_err(|_| format!("organiser {}: no reply within {REPLY_TIMEOUT:?}", self.id))?
            .ok_or("reply channel closed")?;
        self.outcome
            .latencies
            .push(reply.at.saturating_duration_since(made_available));
        self.outcome.steps += 1;
        self.outcome.last_reply = Some(reply.at);
        Ok(reply)
    }

    async fn say(&mut self, text: &str) -> Result<Reply, String> {
        self.pause().await;
        let at = self.fake.send_text(self.id, text);
        self.reply(at).await
    }

    async fn tap(&mut self, on: &Reply, label: &str) -> Result<Reply, String> {
        let data = on
            .buttons
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, d)| d.clone())
            .ok_or_else(|| {
                format!(
                    "organiser {}: no button {label:?} under {:?}",
                    self.id, on.text
                )
            })?;
        self.pause().await;
        let at = self.fake.press(self.id, on, &data);
        self.reply(at).await
    }

    async fn session(&mut self, labels: &Labels, k: usize) -> Result<(), String> {
        let group = &labels.groups[self.id as usize % labels.groups.len()];
        // Totals stay within 10–29, so a long run never types "more than three times the
        // class's usual" (which asks for a confirmation before saving); the women's count
        // (0–4, the round of 20) keeps the sessions of one class on one day with the same
        // total apart, so no duplicate is offered either.
        let total = 10 + (k as u32) % 20;
        let female = (k as u32 / 20) % total;
        let first_class = format!("Lớp {} số 0", self.id);
        let ask_group = self.say("/log").await?;
        let ask_class = self.tap(&ask_group, group).await?;
        let existing = k % 2 == 1 && ask_class.buttons.iter().any(|(l, _)| *l == first_class);
        let ask_date = if existing {
            self.tap(&ask_class, &first_class).await?
        } else {
            if k % 2 == 1 {
                self.outcome.typed_existing += 1;
            }
            let name = if k % 2 == 1 {
                first_class.clone()
            } else {
                format!("Lớp {} số {k}", self.id)
            };
            self.tap(&ask_class, &labels.new_class).await?;
            self.say(&name).await?
        };
        self.tap(&ask_date, &labels.today).await?;
        self.say(&total.to_string()).await?;
        let summary = self.say(&female.to_string()).await?;
        let saved = self.tap(&summary, &labels.save).await?;
        if !saved.buttons.is_empty() {
            return Err(format!(
                "organiser {}: unexpected answer to Save: {}",
                self.id, saved.text
            ));
        }
        self.outcome.confirmed.push((total, female));
        Ok(())
    }
}

// ===== One run =====

#[derive(Debug, Clone, Default)]
struct Figures {
    steps: u64,
    sessions: u64,
    wall: f64,
    steps_per_s: f64,
    sessions_per_s: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    cpu_per_1000_steps: f64,
    bench_cpu_per_1000_steps: f64,
    /// The bot's voluntary and involuntary context switches per step (all its threads).
    voluntary_per_step: f64,
    involuntary_per_step: f64,
    /// The bot's threads at the end of the load.
    threads: usize,
    /// The bot's CPU, in milliseconds, over `IDLE_WINDOW` after start-up, and its context
    /// switches then: what it costs when nobody writes.
    idle_cpu_ms: f64,
    idle_switches: u64,
    peak_rss_mib: f64,
    idle_rss_mib: f64,
    startup_ms: f64,
    msgs_per_s: f64,
    busiest_second: usize,
    too_many: u64,
    /// The bot's Bot API calls per step during the load, and its `getUpdates` among them:
    /// what most of its CPU per step goes to besides the step and its commit.
    calls_per_step: f64,
    get_updates_per_step: f64,
    typed_existing: u64,
    bot_warnings: usize,
    /// The report storm: roll-ups asked, the table reply's latency, files received.
    storm_requests: u64,
    storm_table_p50_ms: f64,
    storm_table_max_ms: f64,
    storm_files: u64,
    storm_file_mib: f64,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run_once(args: &Args, catalog: &Catalog, source: Option<&Path>) -> Figures {
    let tmp_root = target_dir().join("bench-tmp");
    std::fs::create_dir_all(&tmp_root).expect("target/bench-tmp");
    let dir = tempfile::Builder::new()
        .prefix("load-")
        .tempdir_in(&tmp_root)
        .expect("temporary directory");
    let db = dir.path().join("rollcall.redb");
    if let Some(source) = source {
        std::fs::copy(source, &db).expect("copying the pre-filled database");
    }

    // Grants through the library: one transaction for every organiser.
    let n = args.organisers;
    let first_user: i64 = 5_000_000;
    let users: Vec<i64> = (0..n as i64).map(|i| first_user + i).collect();
    let centres = n.div_ceil(ORGANISERS_PER_CENTRE);
    let centre_ids = {
        let store = Store::open(&db).expect("open the bench database");
        let now = Utc::now();
        let ids = store
            .write(|tx| {
                tx.add_supervisor(SUPERVISOR, "Bench supervisor", 0, now)?;
                let mut ids = Vec::new();
                for c in 0..centres {
                    ids.push(tx.ensure_centre(&format!("Bench centre {c:04}"))?);
                }
                for (i, user) in users.iter().enumerate() {
                    let centre = ids[i / ORGANISERS_PER_CENTRE];
                    tx.add_member(
                        centre,
                        *user,
                        Role::Organiser,
                        &format!("Organiser {user}"),
                        0,
                        now,
                    )?;
                }
                Ok(ids)
            })
            .expect("granting organisers");
        ids
    };

    let fake = Arc::new(Fake::new(args.limits));
    let mut receivers = HashMap::new();
    {
        let mut chats = lock(&fake.chats);
        for user in &users {
            let (tx, rx) = mpsc::unbounded_channel();
            chats.insert(*user, tx);
            receivers.insert(*user, rx);
        }
    }
    let supervisor_replies = args.storm_every.map(|_| {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&fake.chats).insert(SUPERVISOR, tx);
        rx
    });
    let api_url = start_fake(fake.clone()).await;
    let log_path = dir.path().join("bot.log");
    let spawned = Instant::now();
    let mut child = spawn_bot(&api_url, &db, &log_path, args.limits);
    let pid = child.id().to_string();
    let ticks = clock_ticks();

    // Start-up: spawn → first getUpdates.
    let first_poll = loop {
        if let Some(at) = lock(&fake.stats).first_get_updates {
            break at;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the bot exited ({status}) before polling:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        assert!(
            spawned.elapsed() < START_TIMEOUT,
            "the bot did not poll in time:\n{}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    let startup_ms = first_poll.duration_since(spawned).as_secs_f64() * 1000.0;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss_mib = status_mib(&pid, "VmRSS:");
    // Idle: started, polling, nobody writing.
    let idle_cpu_before = cpu_seconds(&pid, ticks);
    let idle_switches_before = context_switches(&pid);
    tokio::time::sleep(IDLE_WINDOW).await;
    let idle_cpu_ms = (cpu_seconds(&pid, ticks) - idle_cpu_before) * 1000.0;
    let idle_switches_after = context_switches(&pid);
    let idle_switches = (idle_switches_after.0 + idle_switches_after.1)
        .saturating_sub(idle_switches_before.0 + idle_switches_before.1);

    // The load.
    let labels = Arc::new(Labels {
        groups: catalog
            .groups
            .iter()
            .map(|g| g.short.get(Lang::Vi).to_owned())
            .collect(),
        new_class: catalog.text("dialog.new_class_button", Lang::Vi).to_owned(),
        today: catalog.text("dialog.today_button", Lang::Vi).to_owned(),
        save: catalog.text("dialog.save_button", Lang::Vi).to_owned(),
    });
    let cpu_before = cpu_seconds(&pid, ticks);
    let self_cpu_before = cpu_seconds("self", ticks);
    let (calls_before, get_updates_before) = {
        let stats = lock(&fake.stats);
        (stats.calls, stats.get_updates)
    };
    let switches_before = context_switches(&pid);
    let started = Instant::now();
    // The report storm: the supervisor asks for the five-year roll-up, waits for the table,
    // pauses, and asks again, until the organisers are done.
    let (load_done, storm) = {
        let (done_tx, mut done) = tokio::sync::watch::channel(false);
        let storm = args
            .storm_every
            .zip(supervisor_replies)
            .map(|(every, mut replies)| {
                let fake = fake.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    while !*done.borrow() {
                        // What came after the last table (the roll-up's centres, a
                        // "too big for Telegram" line) is not this request's answer.
                        while replies.try_recv().is_ok() {}
                        let asked = fake.send_text(SUPERVISOR, STORM_REPORT);
                        let table = async {
                            while let Some(reply) = replies.recv().await {
                                if reply.text.contains(STORM_TABLE_MARK) {
                                    return Some(reply);
                                }
                            }
                            None
                        };
                        let reply = tokio::time::timeout(REPLY_TIMEOUT, table)
                            .await
                            .ok()
                            .flatten()
                            .expect("the supervisor's table within the reply timeout");
                        latencies.push(reply.at.saturating_duration_since(asked));
                        tokio::select! {
                            () = tokio::time::sleep(Duration::from_secs(every)) => {}
                            _ = done.changed() => {}
                        }
                    }
                    latencies
                })
            });
        (done_tx, storm)
    };
    let mut tasks = tokio::task::JoinSet::new();
    for user in &users {
        let mut organiser = Organiser {
            fake: fake.clone(),
            id: *user,
            replies: receivers.remove(user).expect("receiver"),
            think: args.think,
            rng: Rng(*user as u64),
            outcome: Outcome::default(),
        };
        let labels = labels.clone();
        let sessions = args.sessions;
        tasks.spawn(async move {
            for k in 0..sessions {
                if let Err(failure) = organiser.session(&labels, k).await {
                    organiser.outcome.failure = Some(failure);
                    break;
                }
            }
            (organiser.id, organiser.outcome)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(joined.expect("an organiser task panicked"));
    }
    let _ = load_done.send(true);
    let mut storm_latencies = match storm {
        Some(task) => task.await.expect("the report storm panicked"),
        None => Vec::new(),
    };
    storm_latencies.sort_unstable();
    let cpu_after = cpu_seconds(&pid, ticks);
    let self_cpu_after = cpu_seconds("self", ticks);
    let switches_after = context_switches(&pid);
    let threads = thread_count(&pid);
    let peak_rss_mib = status_mib(&pid, "VmHWM:");
    let last_reply = outcomes
        .iter()
        .filter_map(|(_, o)| o.last_reply)
        .max()
        .unwrap_or_else(Instant::now);
    let wall = last_reply.duration_since(started).as_secs_f64();

    let stopped_cleanly = stop_bot(&mut child);
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    if let Some(keep) = std::env::var_os("LOAD_KEEP_LOG") {
        let _ = std::fs::write(keep, &log);
    }
    let failures: Vec<&String> = outcomes
        .iter()
        .filter_map(|(_, o)| o.failure.as_ref())
        .collect();
    if !failures.is_empty() {
        let tail: String = log.lines().rev().take(30).collect::<Vec<_>>().join("\n");
        panic!(
            "{} organiser(s) failed, first: {}\nbot log (last lines, reversed):\n{tail}",
            failures.len(),
            failures[0]
        );
    }
    assert!(
        stopped_cleanly,
        "the bot did not stop cleanly after SIGTERM"
    );

    // Nothing confirmed lost or stored twice.
    let confirmed: u64 = outcomes.iter().map(|(_, o)| o.confirmed.len() as u64).sum();
    assert_eq!(
        confirmed,
        (n * args.sessions) as u64,
        "every session confirmed"
    );
    {
        let store = Store::open(&db).expect("reopen the database");
        let today = Utc::now().date_naive();
        let period = Period::new(today - Days::new(3), today + Days::new(3)).expect("period");
        let mut stored: HashMap<(i64, u32, u32), usize> = HashMap::new();
        let mut total_stored = 0;
        store
            .read(|tx| {
                for centre in &centre_ids {
                    for s in tx.sessions(Some(*centre), period)? {
                        *stored.entry((s.organiser, s.total, s.female)).or_default() += 1;
                        total_stored += 1;
                    }
                }
                Ok(())
            })
            .expect("reading sessions");
        let expected: HashSet<(i64, u32, u32)> = outcomes
            .iter()
            .flat_map(|(id, o)| o.confirmed.iter().map(move |(t, f)| (*id, *t, *f)))
            .collect();
        assert_eq!(
            total_stored, confirmed as usize,
            "stored sessions = confirmed sessions"
        );
        for key in &expected {
            assert_eq!(
                stored.get(key),
                Some(&1),
                "session {key:?} stored exactly once"
            );
        }
    }

    let mut latencies: Vec<Duration> = outcomes
        .iter()
        .flat_map(|(_, o)| o.latencies.iter().copied())
        .collect();
    latencies.sort_unstable();
    let steps: u64 = outcomes.iter().map(|(_, o)| o.steps).sum();
    let stats = lock(&fake.stats);
    // Messages accepted per whole second of the load (first and last partial seconds left out).
    let mut per_second: BTreeMap<u64, usize> = BTreeMap::new();
    for at in stats.messages.iter().filter(|at| **at >= started) {
        *per_second
            .entry(at.duration_since(started).as_secs())
            .or_default() += 1;
    }
    let busiest_second = per_second.values().copied().max().unwrap_or(0);
    let inner: Vec<usize> = if per_second.len() > 2 {
        per_second
            .values()
            .skip(1)
            .take(per_second.len() - 2)
            .copied()
            .collect()
    } else {
        per_second.values().copied().collect()
    };
    let msgs_per_s = if inner.is_empty() {
        0.0
    } else {
        inner.iter().sum::<usize>() as f64 / inner.len() as f64
    };
    let figures = Figures {
        steps,
        sessions: confirmed,
        wall,
        steps_per_s: steps as f64 / wall,
        sessions_per_s: confirmed as f64 / wall,
        p50_ms: percentile(&latencies, 0.50),
        p95_ms: percentile(&latencies, 0.95),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        cpu_per_1000_steps: (cpu_after - cpu_before) * 1000.0 / steps as f64,
        bench_cpu_per_1000_steps: (self_cpu_after - self_cpu_before) * 1000.0 / steps as f64,
        voluntary_per_step: switches_after.0.saturating_sub(switches_before.0) as f64
            / steps as f64,
        involuntary_per_step: switches_after.1.saturating_sub(switches_before.1) as f64
            / steps as f64,
        threads,
        idle_cpu_ms,
        idle_switches,
        peak_rss_mib,
        idle_rss_mib,
        startup_ms,
        msgs_per_s,
        busiest_second,
        too_many: stats.too_many,
        calls_per_step: stats.calls.saturating_sub(calls_before) as f64 / steps as f64,
        get_updates_per_step: stats.get_updates.saturating_sub(get_updates_before) as f64
            / steps as f64,
        typed_existing: outcomes.iter().map(|(_, o)| o.typed_existing).sum(),
        bot_warnings: log
            .lines()
            .filter(|l| l.contains(" WARN ") || l.contains("ERROR"))
            .count(),
        storm_requests: storm_latencies.len() as u64,
        storm_table_p50_ms: percentile(&storm_latencies, 0.50),
        storm_table_max_ms: storm_latencies
            .last()
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        storm_files: stats.files,
        storm_file_mib: stats.file_bytes as f64 / (1024.0 * 1024.0),
    };
    assert_eq!(
        stats.unknown, 0,
        "the bot called methods the fake does not know"
    );
    drop(stats);
    drop(dir);
    figures
}

fn header() {
    println!(
        "| db | organisers × sessions | limits | think | steps | wall s | steps/s | sessions/s | p50 ms | p95 ms | p99 ms | max ms | bot CPU s/1k steps | bench CPU s/1k steps | bot switches/step (vol + invol) | bot threads | idle CPU ms / 2 s | idle switches / 2 s | peak RSS MiB | idle RSS MiB | start-up ms | msgs/s | busiest s | 429s | bot warnings | Bot API calls/step (getUpdates) |"
    );
    println!(
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
}

fn row(args: &Args, label: &str, f: &Figures) {
    let think = args
        .think
        .map_or("0".to_owned(), |(a, b)| format!("{a}–{b} ms"));
    println!(
        "| {} | {} × {} | {} | {think} | {} | {:.1} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | {:.3} | {:.1} + {:.1} | {} | {:.0} | {} | {:.1} | {:.1} | {:.0} | {:.1} | {} | {} | {} | {:.2} ({:.2}) |{label}",
        args.db.name(),
        args.organisers,
        args.sessions,
        if args.limits { "real" } else { "off" },
        f.steps,
        f.wall,
        f.steps_per_s,
        f.sessions_per_s,
        f.p50_ms,
        f.p95_ms,
        f.p99_ms,
        f.max_ms,
        f.cpu_per_1000_steps,
        f.bench_cpu_per_1000_steps,
        f.voluntary_per_step,
        f.involuntary_per_step,
        f.threads,
        f.idle_cpu_ms,
        f.idle_switches,
        f.peak_rss_mib,
        f.idle_rss_mib,
        f.startup_ms,
        f.msgs_per_s,
        f.busiest_second,
        f.too_many,
        f.bot_warnings,
        f.calls_per_step,
        f.get_updates_per_step,
    );
    if let Some(every) = args.storm_every {
        println!(
            "|  | report storm{label}: `{STORM_REPORT}` every {every} s after its table: {} asked, table reply p50 {:.0} ms, max {:.0} ms; {} files received ({:.1} MiB uploaded) |",
            f.storm_requests, f.storm_table_p50_ms, f.storm_table_max_ms, f.storm_files, f.storm_file_mib
        );
    }
}

fn median_of(runs: &[Figures], get: impl Fn(&Figures) -> f64) -> f64 {
    let mut v: Vec<f64> = runs.iter().map(get).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn median(runs: &[Figures]) -> Figures {
    Figures {
        steps: median_of(runs, |f| f.steps as f64) as u64,
        sessions: median_of(runs, |f| f.sessions as f64) as u64,
        wall: median_of(runs, |f| f.wall),
        steps_per_s: median_of(runs, |f| f.steps_per_s),
        sessions_per_s: median_of(runs, |f| f.sessions_per_s),
        p50_ms: median_of(runs, |f| f.p50_ms),
        p95_ms: median_of(runs, |f| f.p95_ms),
        p99_ms: median_of(runs, |f| f.p99_ms),
        max_ms: median_of(runs, |f| f.max_ms),
        cpu_per_1000_steps: median_of(runs, |f| f.cpu_per_1000_steps),
        bench_cpu_per_1000_steps: median_of(runs, |f| f.bench_cpu_per_1000_steps),
        voluntary_per_step: median_of(runs, |f| f.voluntary_per_step),
        involuntary_per_step: median_of(runs, |f| f.involuntary_per_step),
        threads: median_of(runs, |f| f.threads as f64) as usize,
        idle_cpu_ms: median_of(runs, |f| f.idle_cpu_ms),
        idle_switches: median_of(runs, |f| f.idle_switches as f64) as u64,
        peak_rss_mib: median_of(runs, |f| f.peak_rss_mib),
        idle_rss_mib: median_of(runs, |f| f.idle_rss_mib),
        startup_ms: median_of(runs, |f| f.startup_ms),
        msgs_per_s: median_of(runs, |f| f.msgs_per_s),
        busiest_second: median_of(runs, |f| f.busiest_second as f64) as usize,
        too_many: median_of(runs, |f| f.too_many as f64) as u64,
        calls_per_step: median_of(runs, |f| f.calls_per_step),
        get_updates_per_step: median_of(runs, |f| f.get_updates_per_step),
        typed_existing: median_of(runs, |f| f.typed_existing as f64) as u64,
        bot_warnings: median_of(runs, |f| f.bot_warnings as f64) as usize,
        storm_requests: median_of(runs, |f| f.storm_requests as f64) as u64,
        storm_table_p50_ms: median_of(runs, |f| f.storm_table_p50_ms),
        storm_table_max_ms: median_of(runs, |f| f.storm_table_max_ms),
        storm_files: median_of(runs, |f| f.storm_files as f64) as u64,
        storm_file_mib: median_of(runs, |f| f.storm_file_mib),
    }
}

fn main() {
    let args = parse_args();
    let catalog = catalog();
    let source = prefilled(args.db, &catalog);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    header();
    let mut runs = Vec::new();
    for i in 0..args.repeat {
        let figures = runtime.block_on(run_once(&args, &catalog, source.as_deref()));
        row(&args, &format!(" run {}", i + 1), &figures);
        runs.push(figures);
    }
    if runs.len() > 1 {
        row(
            &args,
            &format!(" **median of {}**", runs.len()),
            &median(&runs),
        );
    }
}
