//! The process's Prometheus metrics: counters fed by small hooks in the Telegram tasks,
//! and gauges of the database refreshed when they are read.
//!
//! The metrics live in one process-wide value so that a hook is one line at the place
//! where the thing happens (`ops::metrics::get().updates_received.inc()`), with no
//! handle threaded through every task. The names all start with `rollcall_`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;

/// A label set of two labels.
pub type Labels2 = [(&'static str, String); 2];

/// Every metric of the process.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Updates newly stored in the inbox (by the poller or the webhook).
    pub updates_received: Counter,
    /// Updates delivered again and ignored (already stored or processed).
    pub updates_duplicate: Counter,
    /// Updates processed, by `kind` (text, command, button, not_text, other) and
    /// `outcome` (handled, ignored, not_understood).
    pub updates_processed: Family<Labels2, Counter>,
    /// Seconds one update's engine step and effects took inside its transaction.
    pub step_seconds: Histogram,
    /// Bot API calls that failed, by `method` and `code` (the HTTP-like code, or
    /// `network`, `invalid_json`, ...).
    pub api_errors: Family<Labels2, Counter>,
    /// Answers 429 (too many requests) of the Bot API.
    pub rate_limited: Counter,
    /// Webhook requests refused for a wrong or missing secret token.
    pub webhook_refused: Counter,
    /// Telegram's count of updates waiting for the webhook (from `getWebhookInfo`).
    pub webhook_pending: Gauge,
    /// Messages waiting in the outbox.
    pub outbox_depth: Gauge,
    /// Seconds the oldest queued message has been waiting (as seen by this process).
    pub outbox_oldest_age: Gauge,
    /// Updates stored and not processed yet.
    pub inbox_depth: Gauge,
    /// Sessions stored in the database (it grows by one with each saved session).
    pub sessions: Gauge,
    /// Size of the database file in bytes.
    pub db_bytes: Gauge,
    /// Unix time of the last successful Bot API call.
    pub telegram_last_success: Gauge,
    /// The same as a plain number, for the health check.
    last_success: AtomicI64,
}

static METRICS: OnceLock<Metrics> = OnceLock::new();

/// The process's metrics, created on first use.
pub fn get() -> &'static Metrics {
    METRICS.get_or_init(Metrics::new)
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::default();
        let metrics = Metrics {
            registry: Registry::default(),
            updates_received: Counter::default(),
            updates_duplicate: Counter::default(),
            updates_processed: Family::default(),
            // 0.25 ms to about 4 s: a step takes about a millisecond, a slow disk more.
            step_seconds: Histogram::new(exponential_buckets(0.00025, 2.0, 15)),
            api_errors: Family::default(),
            rate_limited: Counter::default(),
            webhook_refused: Counter::default(),
            webhook_pending: Gauge::default(),
            outbox_depth: Gauge::default(),
            outbox_oldest_age: Gauge::default(),
            inbox_depth: Gauge::default(),
            sessions: Gauge::default(),
            db_bytes: Gauge::default(),
            telegram_last_success: Gauge::default(),
            // Counting from the start gives Telegram the staleness limit to answer once.
            last_success: AtomicI64::new(unix_now()),
        };
        // Metrics are cheap handles onto shared atomics: the registry keeps clones.
        registry.register(
            "rollcall_updates_received",
            "Updates newly stored in the inbox",
            metrics.updates_received.clone(),
        );
        registry.register(
            "rollcall_updates_duplicate",
            "Updates delivered again and ignored",
            metrics.updates_duplicate.clone(),
        );
        registry.register(
            "rollcall_updates_processed",
            "Updates processed, by kind and outcome",
            metrics.updates_processed.clone(),
        );
        registry.register(
            "rollcall_step_seconds",
            "Time of one update's step inside its transaction",
            metrics.step_seconds.clone(),
        );
        registry.register(
            "rollcall_bot_api_errors",
            "Failed Bot API calls, by method and code",
            metrics.api_errors.clone(),
        );
        registry.register(
            "rollcall_bot_api_rate_limited",
            "Answers 429 Too Many Requests",
            metrics.rate_limited.clone(),
        );
        registry.register(
            "rollcall_webhook_refused",
            "Webhook requests refused for a wrong or missing secret token",
            metrics.webhook_refused.clone(),
        );
        registry.register(
            "rollcall_webhook_pending_updates",
            "Updates Telegram holds for the webhook (getWebhookInfo)",
            metrics.webhook_pending.clone(),
        );
        registry.register(
            "rollcall_outbox_depth",
            "Messages waiting in the outbox",
            metrics.outbox_depth.clone(),
        );
        registry.register(
            "rollcall_outbox_oldest_age_seconds",
            "Seconds the oldest queued message has waited",
            metrics.outbox_oldest_age.clone(),
        );
        registry.register(
            "rollcall_inbox_depth",
            "Updates stored and not processed yet",
            metrics.inbox_depth.clone(),
        );
        registry.register(
            "rollcall_sessions",
            "Sessions stored in the database",
            metrics.sessions.clone(),
        );
        registry.register(
            "rollcall_db_size_bytes",
            "Size of the database file",
            metrics.db_bytes.clone(),
        );
        registry.register(
            "rollcall_telegram_last_success_timestamp_seconds",
            "Unix time of the last successful Bot API call",
            metrics.telegram_last_success.clone(),
        );
        Metrics {
            registry,
            ..metrics
        }
    }

    /// Records a successful Bot API call (Telegram is reachable).
    pub fn telegram_ok(&self) {
        let now = unix_now();
        self.last_success.store(now, Ordering::Relaxed);
        self.telegram_last_success.set(now);
    }

    /// Seconds since the last successful Bot API call (or since the start).
    pub fn telegram_silence_secs(&self) -> i64 {
        unix_now() - self.last_success.load(Ordering::Relaxed)
    }

    /// Counts a failed Bot API call.
    pub fn api_error(&self, method: &str, code: &str) {
        self.api_errors
            .get_or_create(&[("method", method.to_owned()), ("code", code.to_owned())])
            .inc();
        if code == "429" {
            self.rate_limited.inc();
        }
    }

    /// Counts a processed update.
    pub fn update_processed(&self, kind: &'static str, outcome: &'static str, seconds: f64) {
        self.updates_processed
            .get_or_create(&[("kind", kind.to_owned()), ("outcome", outcome.to_owned())])
            .inc();
        self.step_seconds.observe(seconds);
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
