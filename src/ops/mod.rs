//! Operations: the health and metrics server (`/healthz`, `/metrics`) on a local
//! address of its own, separate from the webhook so that it is never exposed to the
//! internet with it.
//!
//! `/healthz` answers 200 when the database takes a write, a Bot API call succeeded in
//! the last `telegram_stale_minutes`, and the oldest queued message waits less than
//! `outbox_stuck_minutes`; otherwise 503. Both answers carry a JSON body with each check.

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

/// How long a database probe may take before the check fails.
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
    // The database: a write transaction that commits, as the processor's would.
    let store = ops.store.clone();
    let probe = tokio::time::timeout(
        DB_PROBE_TIMEOUT,
        tokio::task::spawn_blocking(move || store.write(|_| Ok(()))),
    )
    .await;
    let database = match probe {
        Ok(Ok(Ok(()))) => json!({"ok": true}),
        Ok(Ok(Err(error))) => json!({"ok": false, "error": error.to_string()}),
        Ok(Err(join)) => json!({"ok": false, "error": join.to_string()}),
        Err(_) => json!({"ok": false, "error": "no write within 5 s"}),
    };

    let silence = metrics::get().telegram_silence_secs();
    let limit = ops.limits.telegram_stale.as_secs();
    let telegram = json!({
        "ok": u64::try_from(silence).unwrap_or(0) < limit,
        "seconds_since_last_success": silence,
        "limit_seconds": limit,
    });

    let limit = ops.limits.outbox_stuck.as_secs();
    let outbox = match ops.sample().await {
        Ok((sample, age)) => json!({
            "ok": age.as_secs() < limit,
            "depth": sample.outbox,
            "oldest_age_seconds": age.as_secs(),
            "limit_seconds": limit,
        }),
        Err(error) => json!({"ok": false, "error": error.to_string()}),
    };

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
