//! The fetch loop: `getUpdates` → inbox rows and the next offset, in one transaction.

use super::api;
use super::blocking::{read, write};
use super::crashpoint;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;
use teloxide::Bot;
use tokio::sync::{watch, Notify};

/// Fetches until `shutdown`; every batch is durable before the next call acknowledges it.
pub async fn run(
    bot: Bot,
    store: Store,
    timeout_secs: u32,
    inbox_ready: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut offset = match read(&store, |tx| tx.poll_offset()).await {
        Ok(offset) => offset,
        Err(error) => {
            tracing::error!(%error, "cannot read the poll offset; not fetching");
            return;
        }
    };
    let mut backoff = Duration::from_millis(500);
    tracing::info!(offset, "polling for updates");
    loop {
        if *shutdown.borrow() {
            return;
        }
        let fetched = tokio::select! {
            fetched = api::get_updates(&bot, offset, timeout_secs) => fetched,
            _ = shutdown.changed() => return,
        };
        // Metrics (issue 9): a successful fetch proves Telegram reachable.
        match &fetched {
            Ok(_) => super::observe::ok(),
            Err(error) => super::observe::fetch_error(error),
        }
        match fetched {
            Ok(updates) if updates.is_empty() => backoff = Duration::from_millis(500),
            Ok(updates) => {
                crashpoint::hit("after_fetch");
                let next = updates.iter().map(|(id, _)| id + 1).max().unwrap_or(offset);
                let stored = write(&store, move |tx| tx.enqueue_updates(&updates, next)).await;
                match stored {
                    Ok(new) => {
                        tracing::debug!(new, next, "stored a batch of updates");
                        crate::ops::metrics::get()
                            .updates_received
                            .inc_by(new as u64);
                        offset = next.max(offset);
                        inbox_ready.notify_one();
                        crashpoint::hit("after_store");
                        backoff = Duration::from_millis(500);
                    }
                    Err(error) => {
                        // Not acknowledged: the same batch is fetched again after the pause.
                        tracing::error!(%error, "cannot store fetched updates");
                        pause(&mut backoff, &mut shutdown).await;
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, "getUpdates failed");
                pause(&mut backoff, &mut shutdown).await;
            }
        }
    }
}

/// Sleeps for the current backoff (doubling it up to 30 s), or until shutdown.
async fn pause(backoff: &mut Duration, shutdown: &mut watch::Receiver<bool>) {
    tokio::select! {
        () = tokio::time::sleep(*backoff) => {}
        _ = shutdown.changed() => {}
    }
    *backoff = (*backoff * 2).min(Duration::from_secs(30));
}
