//! Operations: the health and metrics server (`/healthz`, `/metrics`) on a local
//! address of its own, separate from the webhook so that it is never exposed to the
//! internet with it.
//!
//! `/healthz` answers 200 when the database can be read, a Bot API call succeeded in the
//! last `telegram_stale_minutes`, and the oldest queued message waits less than
//! `outbox_stuck_minutes`; otherwise 503. Both answers carry a JSON body with each check.
//!
//! Both the probe and the metrics sampler read a snapshot (`Store::read`): they never take
//! redb's single writer, so a probe costs no fsync and does not queue behind a busy
//! processor (or make it wait).

pub mod metrics;

use crate::store::{OpsSample, Store, StoreError};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Limits of the health check.
#[derive(Debug, Clone, Copy)]
pub struct HealthLimits {
    /// Longest time without a successful Bot API call.
    pub telegram_stale: Duration,
    /// Longest wait of the oldest queued message.
    pub outbox_stuck: Duration,
}

/// How long a database probe (a snapshot read) may take before the check fails.
const DB_PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the outbox is sampled, so that its oldest message's age is known between scrapes.
const SAMPLE_EVERY: Duration = Duration::from_secs(10);

/// The shared state of the server and the sampler.
#[derive(Debug)]
struct Ops {
    store: Store,
    limits: HealthLimits,
    /// The oldest queued message seen, and since when this process has seen it first. The
    /// outbox rows carry no time, so the age is measured by watching the head of the queue;
    /// after a restart it counts from the restart.
    oldest: Mutex<Option<(u64, Instant)>>,
}

impl Ops {
    /// Reads the database numbers and refreshes the gauges.
    async fn sample(&self) -> Result<(OpsSample, Duration), StoreError> {
        let store = self.store.clone();
        // The file's size is read on the blocking thread too: a file system call may block.
        let (sample, db_bytes) = tokio::task::spawn_blocking(move || {
            let sample = store.read(|tx| tx.ops_sample())?;
            let db_bytes = std::fs::metadata(store.path()).ok().map(|meta| meta.len());
            Ok((sample, db_bytes))
        })
        .await
        .unwrap_or_else(|join| Err(StoreError::Db(format!("sampling task failed: {join}"))))?;
        let age = {
            let mut oldest = self.oldest.lock().unwrap_or_else(|p| p.into_inner());
            match (sample.oldest_outbox, *oldest) {
                (None, _) => {
                    *oldest = None;
                    Duration::ZERO
                }
                (Some(seq), Some((seen, since))) if seen == seq => since.elapsed(),
                (Some(seq), _) => {
                    *oldest = Some((seq, Instant::now()));
                    Duration::ZERO
                }
            }
        };
        let m = metrics::get();
        m.outbox_depth.set(gauge(sample.outbox));
        m.outbox_oldest_age.set(gauge(age.as_secs()));
        m.inbox_depth.set(gauge(sample.inbox));
        m.sessions.set(gauge(sample.sessions));
        if let Some(bytes) = db_bytes {
            m.db_bytes.set(gauge(bytes));
        }
        Ok((sample, age))
    }
}

fn gauge(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Binds the server's address (so that a wrong address stops the start at once).
pub async fn bind(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    use anyhow::Context;
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening for health and metrics on {addr}"))
}

/// Serves `/healthz` and `/metrics` on `listener` until `shutdown`, and samples the
/// outbox meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    limits: HealthLimits,
    mut shutdown: watch::Receiver<bool>,
) {
    let ops = Arc::new(Ops {
        store,
        limits,
        oldest: Mutex::new(None),
    });
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "health and metrics listening");
    }
    let sampler = {
        let ops = ops.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = ops.sample().await {
                    tracing::warn!(%error, "cannot sample the database for metrics");
                }
                tokio::select! {
                    () = tokio::time::sleep(SAMPLE_EVERY) => {}
                    _ = shutdown.changed() => return,
                }
            }
        })
    };
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(ops);
    let stopped = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    if let Err(error) = axum::serve(listener, app)
        .with_graceful_shutdown(stopped)
        .await
    {
        tracing::error!(%error, "the health and metrics server failed");
    }
    sampler.abort();
}

async fn metrics_text(State(ops): State<Arc<Ops>>) -> Response {
    if let Err(error) = ops.sample().await {
        tracing::warn!(%error, "cannot sample the database for metrics");
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics::get().render(),
    )
        .into_response()
}

async fn healthz(State(ops): State<Arc<Ops>>) -> Response {
    // The database: the outbox sample, read on a snapshot. It opens the file's tables
    // and reads them, as every step does, without writing anything.
    let sampled = tokio::time::timeout(DB_PROBE_TIMEOUT, ops.sample()).await;
    let stuck = ops.limits.outbox_stuck.as_secs();
    let (database, outbox) = match sampled {
        Ok(Ok((sample, age))) => (
            json!({"ok": true}),
            json!({
                "ok": age.as_secs() < stuck,
                "depth": sample.outbox,
                "oldest_age_seconds": age.as_secs(),
                "limit_seconds": stuck,
            }),
        ),
        Ok(Err(error)) => (
            json!({"ok": false, "error": error.to_string()}),
            json!({"ok": false, "error": "the database cannot be read"}),
        ),
        Err(_) => (
            json!({"ok": false, "error": "no read within 5 s"}),
            json!({"ok": false, "error": "the database cannot be read"}),
        ),
    };

    let silence = metrics::get().telegram_silence_secs();
    let limit = ops.limits.telegram_stale.as_secs();
    let telegram = json!({
        "ok": u64::try_from(silence).unwrap_or(0) < limit,
        "seconds_since_last_success": silence,
        "limit_seconds": limit,
    });

    let healthy = [&database, &telegram, &outbox]
        .iter()
        .all(|check| check["ok"] == json!(true));
    let failed: Vec<&str> = [
        ("database", &database),
        ("telegram", &telegram),
        ("outbox", &outbox),
    ]
    .iter()
    .filter(|(_, check)| check["ok"] != json!(true))
    .map(|(name, _)| *name)
    .collect();
    let body = json!({
        "status": if healthy { "ok" } else { "failing" },
        "failed": failed,
        "checks": {"database": database, "telegram": telegram, "outbox": outbox},
    });
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(store: Store) -> Arc<Ops> {
        Arc::new(Ops {
            store,
            limits: HealthLimits {
                telegram_stale: Duration::from_secs(600),
                outbox_stuck: Duration::from_secs(600),
            },
            oldest: Mutex::new(None),
        })
    }

    /// The `database` check of one probe.
    async fn database_check(ops: &Arc<Ops>) -> serde_json::Value {
        let response = healthz(State(ops.clone())).await;
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        body["checks"]["database"].clone()
    }

    #[tokio::test]
    async fn healthz_does_not_commit() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("h.redb")).expect("opens");
        store.sync().expect("a commit");
        let ops = ops(store.clone());
        let before = store.commits();
        for _ in 0..3 {
            assert_eq!(database_check(&ops).await, json!({"ok": true}));
        }
        assert_eq!(store.commits(), before, "a probe commits nothing");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn healthz_answers_while_a_write_transaction_runs() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("h.redb")).expect("opens");
        let (held_tx, held) = std::sync::mpsc::channel();
        let (release_tx, release) = std::sync::mpsc::channel::<()>();
        let writer = {
            let store = store.clone();
            std::thread::spawn(move || {
                store
                    .write(|_| {
                        held_tx.send(()).expect("test alive");
                        release.recv().expect("test alive");
                        Ok(())
                    })
                    .expect("written");
            })
        };
        held.recv().expect("the writer started");
        // Had the probe waited for the writer, it would have given up after
        // `DB_PROBE_TIMEOUT` and failed the database check.
        assert_eq!(database_check(&ops(store)).await, json!({"ok": true}));
        release_tx.send(()).expect("writer alive");
        writer.join().expect("writer");
    }
}
