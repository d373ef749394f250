//! The processing loop: inbox rows → engine steps → state, sessions and outbox rows,
//! a whole batch per transaction (one fsync for many updates).
//!
//! If a batch's transaction fails, none of it is committed, and its updates are tried
//! again one per transaction, in update order (which keeps each chat's updates in order).
//! An update that fails alone `MAX_ATTEMPTS` times is logged at error level and marked
//! done without effects, so that one poisonous update (say, one that trips a bug in a
//! step) cannot stop the bot for everybody. The user then gets no answer to that one
//! message or tap; the dialog state is as it was before it.
//!
//! Why one writer and batches rather than chats processed in parallel: redb has one
//! write transaction at a time, and a step takes about a millisecond of CPU while a
//! commit costs an fsync (several milliseconds on an SD card). Running chats in parallel
//! would only queue them on the write lock; putting up to 100 updates in one commit
//! divides the fsync cost by the batch size, which is where the time goes.

use super::backoff::{Backoff, Jitter};
use super::blocking::{snapshot, write};
use super::convert::event_from_update;
use super::crashpoint;
use crate::domain::Now;
use crate::runtime::Runtime;
use crate::store::{Store, StoreError, Tx};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use teloxide_core::types::Update;
use tokio::sync::{watch, Notify};

/// How many updates one transaction processes at most.
const BATCH: usize = 100;
/// How many times an update is tried alone before it is given up.
pub const MAX_ATTEMPTS: u32 = 3;

/// Handles one stored update inside a transaction (the real one, or a test's stand-in).
pub type Handler = dyn Fn(&mut Tx<'_>, i64, &str) -> Result<(), StoreError> + Send + Sync;

/// Processes stored updates until `stop`, then drains what is left and returns.
pub async fn run(
    store: Store,
    runtime: Arc<Runtime>,
    username: String,
    clock: crate::clock::LocalClock,
    inbox_ready: Arc<Notify>,
    outbox_ready: Arc<Notify>,
    stop: watch::Receiver<bool>,
) {
    let handler: Arc<Handler> = Arc::new(move |tx: &mut Tx<'_>, update_id, raw: &str| {
        let now = clock.now();
        process(tx, &runtime, &username, update_id, raw, now)
    });
    let mut processor = Processor::new(store, handler, Duration::from_millis(200));
    loop {
        match processor.round().await {
            Ok(None) => {
                if *stop.borrow() {
                    return;
                }
                inbox_ready.notified().await;
            }
            // Nothing committed: an update failed alone and waits for its next attempt.
            Ok(Some(0)) => {}
            Ok(Some(_)) => {
                crashpoint::hit("after_commit");
                outbox_ready.notify_one();
            }
            Err(error) => {
                tracing::error!(%error, "cannot read the inbox");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The batch-then-one-by-one processing of the inbox.
pub struct Processor {
    store: Store,
    handler: Arc<Handler>,
    /// Failed attempts of updates tried alone (forgotten on restart, which only means an
    /// update gets its attempts again).
    failures: HashMap<i64, u32>,
    /// Pause between two attempts of the same update: `retry_pause` after the first
    /// failure, doubling, with jitter.
    retry: Backoff,
    jitter: Jitter,
}

impl std::fmt::Debug for Processor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processor")
            .field("failures", &self.failures)
            .finish_non_exhaustive()
    }
}

impl Processor {
    pub fn new(store: Store, handler: Arc<Handler>, retry_pause: Duration) -> Processor {
        Processor {
            store,
            handler,
            failures: HashMap::new(),
            retry: Backoff::new(retry_pause, retry_pause.saturating_mul(MAX_ATTEMPTS)),
            jitter: Jitter::from_process(),
        }
    }

    /// Processes one batch of pending updates: in one transaction, or one by one if that
    /// fails. Returns how many updates left the inbox, `None` when it was empty.
    pub async fn round(&mut self) -> Result<Option<usize>, StoreError> {
        let pending = snapshot(&self.store, |s| s.pending_updates(BATCH)).await?;
        if pending.is_empty() {
            return Ok(None);
        }
        let ids: Vec<i64> = pending.iter().map(|(id, _)| *id).collect();
        // An update that already failed alone would fail the batch again: go one by one.
        let suspect = ids.iter().any(|id| self.failures.contains_key(id));
        let handler = self.handler.clone();
        let batch = pending.clone();
        let result = if suspect {
            Err(StoreError::Db(
                "an update of this batch failed before".to_owned(),
            ))
        } else {
            write(&self.store, move |tx| {
                for (update_id, raw) in &batch {
                    handler(tx, *update_id, raw)?;
                    tx.finish_update(*update_id)?;
                }
                Ok(())
            })
            .await
        };
        match result {
            Ok(()) => {
                tracing::debug!(count = ids.len(), "processed a batch of updates");
                for id in &ids {
                    self.failures.remove(id);
                }
                Ok(Some(ids.len()))
            }
            Err(error) => {
                if !suspect {
                    tracing::warn!(%error, count = ids.len(), "a batch failed; processing its updates one by one");
                }
                let mut finished = 0;
                for (update_id, raw) in pending {
                    if self.one(update_id, raw).await {
                        finished += 1;
                    } else {
                        // Later updates may be of the same chat: they wait for this one.
                        break;
                    }
                }
                Ok(Some(finished))
            }
        }
    }

    /// Tries one update in its own transaction; after `MAX_ATTEMPTS` failures marks it
    /// done without effects. Returns whether it left the inbox.
    async fn one(&mut self, update_id: i64, raw: String) -> bool {
        let handler = self.handler.clone();
        let result = write(&self.store, move |tx| {
            handler(tx, update_id, &raw)?;
            tx.finish_update(update_id)
        })
        .await;
        let error = match result {
            Ok(()) => {
                self.failures.remove(&update_id);
                return true;
            }
            Err(error) => error,
        };
        let attempts = self.failures.entry(update_id).or_insert(0);
        *attempts += 1;
        if *attempts < MAX_ATTEMPTS {
            tracing::warn!(update_id, attempt = *attempts, %error, "an update failed; will retry");
            let pause = self.jitter.wait(self.retry, *attempts);
            tokio::time::sleep(pause).await;
            return false;
        }
        tracing::error!(
            update_id,
            attempts = *attempts,
            %error,
            "an update failed every attempt; skipped without effects"
        );
        match write(&self.store, move |tx| tx.finish_update(update_id)).await {
            Ok(()) => {
                self.failures.remove(&update_id);
                true
            }
            Err(error) => {
                // The store itself is failing: keep the update and try again later.
                tracing::error!(update_id, %error, "cannot mark the failed update done");
                tokio::time::sleep(self.retry.max).await;
                false
            }
        }
    }
}

/// Processes one stored update inside the caller's transaction.
fn process(
    tx: &mut Tx<'_>,
    runtime: &Runtime,
    username: &str,
    update_id: i64,
    raw: &str,
    now: Now,
) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    // One info line per update (issue 9): chat, kind, outcome and duration, never the
    // text the user sent (a command's name is the most it says about the content).
    let (kind, outcome) = match serde_json::from_str::<Update>(raw) {
        Ok(update) => match event_from_update(&update, username) {
            Some(event) => {
                runtime.handle(tx, &event, now)?;
                let kind = input_kind(&event.input);
                tracing::info!(
                    update_id,
                    chat = event.chat,
                    kind,
                    outcome = "handled",
                    micros = started.elapsed().as_micros() as u64,
                    "update handled"
                );
                (kind, "handled")
            }
            None => {
                tracing::info!(update_id, outcome = "ignored", "update ignored");
                ("other", "ignored")
            }
        },
        Err(error) => {
            tracing::warn!(update_id, outcome = "not_understood", %error, "update not understood; skipped");
            ("other", "not_understood")
        }
    };
    crate::ops::metrics::get().update_processed(kind, outcome, started.elapsed().as_secs_f64());
    Ok(())
}

/// The kind of an update for the log and the metrics: a few fixed words, so that the
/// metric's labels stay few whatever users send.
fn input_kind(input: &crate::dialog::Input) -> &'static str {
    use crate::dialog::Input;
    match input {
        Input::Text(_) => "text",
        Input::Command { .. } => "command",
        Input::Button { .. } => "button",
        Input::NotText => "not_text",
        Input::Document(_) => "document",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outgoing::{OutOp, Outgoing};
    use std::sync::Mutex;

    /// A store with updates 1..=n in the inbox, and a handler that queues one outbox row
    /// per update (its id as text) and fails for the ids in `poison`.
    fn setup(
        n: i64,
        poison: &'static [i64],
    ) -> (tempfile::TempDir, Store, Arc<Handler>, Arc<Mutex<Vec<i64>>>) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        let updates: Vec<(i64, String)> = (1..=n)
            .map(|id| (id, format!("{{\"update_id\":{id}}}")))
            .collect();
        store
            .write(move |tx| tx.enqueue_updates(&updates, n + 1).map(drop))
            .expect("stored");
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let handler: Arc<Handler> = Arc::new(move |tx: &mut Tx<'_>, id, _raw: &str| {
            seen.lock().expect("not poisoned").push(id);
            tx.push_outgoing(&Outgoing {
                chat: 1,
                op: OutOp::Message {
                    html: id.to_string(),
                    keyboard: None,
                },
            })?;
            if poison.contains(&id) {
                return Err(StoreError::Db(format!("update {id} is poison")));
            }
            Ok(())
        });
        (dir, store, handler, calls)
    }

    fn outbox_texts(store: &Store) -> Vec<String> {
        store
            .read(|tx| tx.outbox(1000))
            .expect("read")
            .into_iter()
            .map(|(_, m)| match m.op {
                OutOp::Message { html, .. } => html,
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[tokio::test]
    async fn a_good_batch_is_one_transaction() {
        let (_dir, store, handler, calls) = setup(5, &[]);
        let mut processor = Processor::new(store.clone(), handler, Duration::ZERO);
        assert_eq!(processor.round().await.expect("round"), Some(5));
        assert_eq!(processor.round().await.expect("round"), None);
        assert_eq!(outbox_texts(&store), vec!["1", "2", "3", "4", "5"]);
        assert_eq!(calls.lock().expect("not poisoned").len(), 5);
    }

    #[tokio::test]
    async fn a_poisonous_update_is_skipped_after_three_attempts_and_the_rest_keep_order() {
        let (_dir, store, handler, calls) = setup(5, &[3]);
        let mut processor = Processor::new(store.clone(), handler, Duration::ZERO);
        let mut rounds = 0;
        while processor.round().await.expect("round").is_some() {
            rounds += 1;
            assert!(rounds < 20, "the poisonous update blocks the inbox");
        }
        // The failed attempts left nothing behind; every other update took effect once, in order.
        assert_eq!(outbox_texts(&store), vec!["1", "2", "4", "5"]);
        let calls = calls.lock().expect("not poisoned").clone();
        assert_eq!(
            calls.iter().filter(|id| **id == 3).count(),
            1 + MAX_ATTEMPTS as usize
        );
        assert_eq!(
            store.read(|tx| tx.pending_updates(10)).expect("read"),
            vec![]
        );
    }
}
