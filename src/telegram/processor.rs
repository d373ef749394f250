//! The processing loop: inbox rows → engine steps → state, sessions and outbox rows,
//! a whole batch per transaction (one fsync for many updates).

use super::blocking::{read, write};
use super::convert::event_from_update;
use crate::domain::Now;
use crate::runtime::Runtime;
use crate::store::{Store, StoreError, Tx};
use std::sync::Arc;
use std::time::Duration;
use teloxide::types::Update;
use tokio::sync::{watch, Notify};

/// How many updates one transaction processes at most.
const BATCH: usize = 100;

/// Processes stored updates until `stop`, then drains what is left and returns.
pub async fn run(
    store: Store,
    runtime: Arc<Runtime>,
    username: String,
    zone: chrono_tz::Tz,
    inbox_ready: Arc<Notify>,
    outbox_ready: Arc<Notify>,
    stop: watch::Receiver<bool>,
) {
    let username = Arc::new(username);
    loop {
        let pending = match read(&store, |tx| tx.pending_updates(BATCH)).await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::error!(%error, "cannot read the inbox");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if pending.is_empty() {
            if *stop.borrow() {
                return;
            }
            inbox_ready.notified().await;
            continue;
        }
        let runtime = runtime.clone();
        let username = username.clone();
        let result = write(&store, move |tx| {
            let now = Now::in_zone(chrono::Utc::now(), zone);
            for (update_id, raw) in &pending {
                process(tx, &runtime, &username, *update_id, raw, now)?;
            }
            Ok(pending.len())
        })
        .await;
        match result {
            Ok(count) => {
                tracing::debug!(count, "processed updates");
                outbox_ready.notify_one();
            }
            Err(error) => {
                tracing::error!(%error, "processing a batch failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Processes one stored update inside the batch's transaction and marks it done.
fn process(
    tx: &mut Tx<'_>,
    runtime: &Runtime,
    username: &str,
    update_id: i64,
    raw: &str,
    now: Now,
) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    match serde_json::from_str::<Update>(raw) {
        Ok(update) => match event_from_update(&update, username) {
            Some(event) => {
                runtime.handle(tx, &event, now)?;
                tracing::info!(
                    update_id,
                    chat = event.chat,
                    micros = started.elapsed().as_micros() as u64,
                    "update handled"
                );
            }
            None => tracing::debug!(update_id, "update ignored"),
        },
        Err(error) => tracing::warn!(update_id, %error, "update not understood; skipped"),
    }
    tx.finish_update(update_id)
}
