//! The fetch loop: `getUpdates` → inbox rows and the next offset, in one transaction.
//!
//! The batch must be durable before the next `getUpdates` (which acknowledges it to
//! Telegram). Usually the store thread stores and processes it in one durable transaction
//! (`processor::Intake`), so a step costs one commit and one fsync, and the poller hears
//! back once. When an update waits for a retry, the batch is committed alone without an
//! fsync, and the poller waits for the next durable commit of anyone (the processor's) or,
//! after `SYNC_AFTER` without one, makes one itself. A crash before then loses the batch
//! from the file, and Telegram, never having been told, sends it again.

use super::api;
use super::backoff::{Backoff, Jitter};
use super::crashpoint;
use super::processor::{Arrival, Intake, Received};
use crate::store::{CommitNumber, StoreThread};
use std::time::Duration;
use teloxide_core::Bot;
use tokio::sync::watch;

/// How long the poller waits for another durable commit before it syncs its batch itself.
const SYNC_AFTER: Duration = Duration::from_millis(100);

/// Fetches until `shutdown`; every batch is durable before the next call acknowledges it.
pub async fn run(bot: Bot, intake: Intake, timeout_secs: u32, mut shutdown: watch::Receiver<bool>) {
    let store = intake.thread().clone();
    let mut offset = match store.read(|tx| tx.poll_offset()).await {
        Ok(offset) => offset,
        Err(error) => {
            tracing::error!(%error, "cannot read the poll offset; not fetching");
            return;
        }
    };
    // Consecutive failures, for the backoff; reset by every success.
    let mut failures = 0;
    let mut jitter = Jitter::from_process();
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
            Ok(updates) if updates.is_empty() => failures = 0,
            Ok(updates) => {
                crashpoint::hit("after_fetch");
                match store_batch(&intake, updates, offset).await {
                    Ok(Received {
                        new,
                        offset: next,
                        commit,
                    }) => {
                        tracing::debug!(new, next, "stored a batch of updates");
                        crate::ops::metrics::get()
                            .updates_received
                            .inc_by(new as u64);
                        offset = next;
                        crashpoint::hit("after_store");
                        failures = 0;
                        if !until_durable(&store, commit, &mut shutdown).await {
                            return;
                        }
                    }
                    Err(error) => {
                        // Not acknowledged: the same batch is fetched again after the pause.
                        tracing::error!(%error, "cannot store fetched updates");
                        pause(&mut failures, &mut jitter, &mut shutdown).await;
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, "getUpdates failed");
                pause(&mut failures, &mut jitter, &mut shutdown).await;
            }
        }
    }
}

/// Stores (and usually processes) a fetched batch; says how many updates were new and
/// the offset to fetch from next, as the store decided it. The store, not this loop, knows
/// when Telegram has started its ids again lower (it follows the new sequence down), so
/// the loop takes the stored offset instead of keeping the larger of its own and the
/// batch's.
async fn store_batch(
    intake: &Intake,
    updates: Vec<(i64, String)>,
    offset: i64,
) -> Result<Received, crate::store::StoreError> {
    let next = updates.iter().map(|(id, _)| id + 1).max().unwrap_or(offset);
    intake.receive(updates, next, Arrival::Polled).await
}

/// Waits until commit `commit` is on disk: the next durable commit of anyone makes it so,
/// and after `SYNC_AFTER` without one the poller syncs it itself. Returns `false` on
/// shutdown (the processor's last commits, or the clean stop, make the batch durable; if
/// neither comes, Telegram still has it).
async fn until_durable(
    store: &StoreThread,
    commit: CommitNumber,
    shutdown: &mut watch::Receiver<bool>,
) -> bool {
    let mut durable = store.store().durable_commits();
    if *durable.borrow() >= commit.0 {
        return true;
    }
    loop {
        let waited = tokio::select! {
            reached = durable.wait_for(|done| *done >= commit.0) => reached.is_ok(),
            () = tokio::time::sleep(SYNC_AFTER) => false,
            _ = shutdown.changed() => return false,
        };
        if waited {
            return true;
        }
        match store.sync().await {
            Ok(()) => return true,
            Err(error) => {
                // Not acknowledged yet: try again rather than tell Telegram too early.
                tracing::error!(%error, "cannot make fetched updates durable");
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = shutdown.changed() => return false,
                }
            }
        }
    }
}

/// Counts one more failure and sleeps for the backoff with jitter (doubling up to 30 s),
/// or until shutdown.
async fn pause(failures: &mut u32, jitter: &mut Jitter, shutdown: &mut watch::Receiver<bool>) {
    *failures = failures.saturating_add(1);
    tokio::select! {
        () = tokio::time::sleep(jitter.wait(Backoff::FETCH, *failures)) => {}
        _ = shutdown.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::telegram::processor::{self, Handler, Processor};
    use std::sync::Arc;

    /// A store and a store thread without a processor (nothing commits unless told to).
    fn temporary() -> (tempfile::TempDir, Store, StoreThread) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        let (thread, _) = StoreThread::start(store.clone(), Box::new(crate::store::thread::NoDuty))
            .expect("started");
        (dir, store, thread)
    }

    /// A store thread with a processor whose steps do nothing: updates leave the inbox.
    fn with_processor() -> (tempfile::TempDir, Intake) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        let handler: Arc<Handler> = Arc::new(|_: &mut crate::store::Tx<'_>, _, _: &str, _| Ok(()));
        let (intake, _) =
            processor::start(store, Processor::new(handler, Duration::ZERO)).expect("started");
        (dir, intake)
    }

    #[tokio::test]
    async fn a_batch_nobody_else_syncs_is_synced_by_the_poller() {
        let (_dir, store, thread) = temporary();
        let (_stop_tx, mut stop) = watch::channel(false);
        let ((), commit) = store
            .write_unsynced(|tx| tx.enqueue_updates(&[(1, "{}".to_owned())], 2).map(drop))
            .expect("stored");
        assert!(*store.durable_commits().borrow() < commit.0);
        assert!(until_durable(&thread, commit, &mut stop).await);
        assert!(*store.durable_commits().borrow() >= commit.0);
    }

    #[tokio::test]
    async fn a_batch_waits_for_the_next_durable_commit_of_anyone() {
        let (_dir, store, thread) = temporary();
        let (_stop_tx, mut stop) = watch::channel(false);
        let ((), commit) = store
            .write_unsynced(|tx| tx.enqueue_updates(&[(1, "{}".to_owned())], 2).map(drop))
            .expect("stored");
        let other = store.clone();
        // The processor's commit, simulated: durable, and after the poller's.
        let processor = tokio::task::spawn_blocking(move || other.write(|tx| tx.finish_update(1)));
        assert!(until_durable(&thread, commit, &mut stop).await);
        processor.await.expect("joined").expect("committed");
        assert!(*store.durable_commits().borrow() >= commit.0);
    }

    #[tokio::test]
    async fn the_poller_follows_a_restarted_id_sequence_at_once() {
        // Regression (issue 16): the store followed ids that Telegram started again lower,
        // but the loop kept `max(old offset, next)` in memory, so it asked for the old
        // high offset and missed the new updates until a restart.
        let (_dir, intake) = with_processor();
        let batch = |ids: &[i64]| -> Vec<(i64, String)> {
            ids.iter().map(|id| (*id, "{}".to_owned())).collect()
        };
        let Received { new, offset, .. } =
            store_batch(&intake, batch(&[900_000_000, 900_000_001]), 0)
                .await
                .expect("stored");
        assert_eq!((new, offset), (2, 900_000_002));
        let Received { new, offset, .. } = store_batch(&intake, batch(&[12_345]), offset)
            .await
            .expect("stored");
        assert_eq!(
            (new, offset),
            (1, 12_346),
            "the next getUpdates asks from the new ids"
        );
        // A replay just below the offset changes nothing.
        let Received { new, offset, .. } = store_batch(&intake, batch(&[12_345]), offset)
            .await
            .expect("stored");
        assert_eq!((new, offset), (0, 12_346));
    }

    #[tokio::test]
    async fn shutdown_ends_the_wait_without_acknowledging() {
        let (_dir, store, thread) = temporary();
        let (stop_tx, mut stop) = watch::channel(false);
        let ((), commit) = store.write_unsynced(|_| Ok(())).expect("committed");
        stop_tx.send(true).expect("receiver alive");
        assert!(!until_durable(&thread, commit, &mut stop).await);
    }
}
