//! The processor: inbox rows → engine steps → state, sessions and outbox rows, a whole
//! batch per transaction (one fsync for many updates). It runs on the store thread
//! (`store::thread`), the one thread that owns the writer: a fetched batch is stored and
//! processed in one transaction by the poller's job on that thread (`Intake`), and the
//! rounds (the thread's duty) take what is left: updates stored alone, and retries. After
//! each commit the new outbox rows are handed to the sender (`outbox_feed.rs`).
//!
//! If a batch's transaction fails, none of it is committed, and its updates are tried
//! again one per transaction, in update order (which keeps each chat's updates in order).
//! An update that fails alone `MAX_ATTEMPTS` times is logged at error level and marked
//! done without effects, so that one poisonous update (say, one that trips a bug in a
//! step) cannot stop the bot for everybody. The user then gets no answer to that one
//! message or tap; the dialog state is as it was before it.
//!
//! An update carrying a file a director sent (a report document edited in Word) has the
//! file fetched and read before its transaction opens (`download.rs` says why). The store
//! thread cannot wait for the network, so the processor stops before such an update, asks
//! the fetch task for the file (`fetch_files`), and serves other jobs; the task hands the
//! texts read back with a job that wakes the processor, and the update is processed with
//! them (a retry reuses them). Updates after it wait, which keeps each chat's order.
//!
//! Why one writer and batches rather than chats processed in parallel: redb has one
//! write transaction at a time, and a step takes about a millisecond of CPU while a
//! commit costs an fsync (several milliseconds on an SD card). Running chats in parallel
//! would only queue them on the write lock; putting up to 100 updates in one commit
//! divides the fsync cost by the batch size, which is where the time goes.

use super::backoff::{Backoff, Jitter};
use super::convert::event_from_update;
use super::crashpoint;
use super::download::{carries_file, Fetcher};
use super::outbox_feed::{remove_in, OutboxFeed};
use crate::document::Upload;
use crate::domain::Now;
use crate::runtime::Runtime;
use crate::store::{CommitNumber, Duty, Store, StoreError, StoreThread, Tx};
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use teloxide_core::types::Update;
use tokio::sync::{mpsc, watch};

/// How many updates one transaction processes at most.
const BATCH: usize = 100;
/// How many times an update is tried alone before it is given up.
pub const MAX_ATTEMPTS: u32 = 3;
/// How long the processor waits after the inbox could not be read.
const READ_RETRY: Duration = Duration::from_secs(1);

/// Handles one stored update inside a transaction (the real one, or a test's stand-in),
/// with the file it carries when that was fetched and read before the transaction.
pub type Handler =
    dyn Fn(&mut Tx<'_>, i64, &str, Option<&Upload>) -> Result<(), StoreError> + Send + Sync;

/// Where the processor asks for the file of an update (id and raw update) to be fetched.
pub type FetchRequests = mpsc::UnboundedSender<(i64, String)>;

/// The bot's processor: steps through `Runtime::handle`, handing new outbox rows to the
/// sender through `feed` after each commit.
pub fn for_runtime(
    runtime: Arc<Runtime>,
    username: String,
    clock: crate::clock::LocalClock,
    feed: OutboxFeed,
    fetches: FetchRequests,
) -> Processor {
    let handler: Arc<Handler> = Arc::new(
        move |tx: &mut Tx<'_>, update_id, raw: &str, upload: Option<&Upload>| {
            let now = clock.now();
            process(tx, &runtime, &username, update_id, raw, upload, now)
        },
    );
    let mut processor = Processor::new(handler, Duration::from_millis(200)).fetching_files(fetches);
    processor.feed = Some(feed);
    processor
}

/// The fetch task: fetches and reads the files the processor asks for, off the store
/// thread, and hands each back to it (`Intake::give_upload`). Ends at `stop`; a file not
/// fetched by then leaves its update in the inbox for the next start.
pub async fn fetch_files(
    fetcher: Fetcher,
    mut requests: mpsc::UnboundedReceiver<(i64, String)>,
    intake: Intake,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (update_id, raw) = tokio::select! {
            request = requests.recv() => match request {
                Some(request) => request,
                None => return,
            },
            _ = stop.changed() => return,
        };
        let upload = tokio::select! {
            upload = fetcher.upload(&raw) => upload,
            _ = stop.changed() => return,
        };
        if let Err(error) = intake.give_upload(update_id, upload) {
            tracing::error!(%error, "cannot hand a fetched file to the processor");
        }
    }
}

/// Starts the store thread with `processor` as its duty (see `store::thread`); returns the
/// intake that stores fetched updates, the thread's handle for every other store call, and
/// the thread to join once every handle is dropped.
pub fn start(
    store: Store,
    processor: Processor,
) -> std::io::Result<(Intake, std::thread::JoinHandle<()>)> {
    let shared = Arc::new(Mutex::new(processor));
    let (thread, handle) = StoreThread::start(store, Box::new(SharedProcessor(shared.clone())))?;
    Ok((
        Intake {
            thread,
            processor: shared,
        },
        handle,
    ))
}

/// Where the poller and the webhook put fetched updates: a job on the store thread that
/// stores them and, most of the time, processes them in the same transaction.
#[derive(Debug, Clone)]
pub struct Intake {
    thread: StoreThread,
    /// Locked only on the store thread (by its duty and by intake jobs), so never waited for.
    processor: Arc<Mutex<Processor>>,
}

/// How updates arrived, which decides how they are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Fetched by the poller, which waits for durability itself before it acknowledges
    /// them: stored and processed in one durable transaction when possible.
    Polled,
    /// Posted by Telegram to the webhook, which answers 200 once they are durable: stored
    /// alone with an fsync, so the answer does not wait for the steps; processed right
    /// after by the rounds.
    Posted,
}

/// What storing a fetched batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// How many updates were new (not stored or processed before).
    pub new: usize,
    /// The offset to fetch from next, as the store decided it.
    pub offset: i64,
    /// The commit that stored them, to learn when it is durable.
    pub commit: CommitNumber,
}

impl Intake {
    /// The store thread, for every other store call.
    pub fn thread(&self) -> &StoreThread {
        &self.thread
    }

    /// Stores fetched updates with the next offset (`next`, unless the store follows a
    /// restarted id sequence) and processes them; see `Processor::receive`.
    pub async fn receive(
        &self,
        updates: Vec<(i64, String)>,
        next: i64,
        arrival: Arrival,
    ) -> Result<Received, StoreError> {
        let processor = self.processor.clone();
        self.thread
            .call(move |desk| {
                let (received, settled) =
                    lock(&processor).receive(desk.store, &updates, next, arrival)?;
                if !settled {
                    // Left to the rounds: they run once this job has answered.
                    desk.wake_duty();
                }
                Ok(received)
            })
            .await?
    }

    /// Hands the file of `update_id`, fetched and read (`None`: not to be read), to the
    /// processor, and wakes it.
    pub fn give_upload(&self, update_id: i64, upload: Option<Upload>) -> Result<(), StoreError> {
        let processor = self.processor.clone();
        self.thread.send(move |desk| {
            let mut processor = lock(&processor);
            processor.fetching.remove(&update_id);
            processor.uploads.insert(update_id, upload);
            desk.wake_duty();
        })
    }
}

fn lock(processor: &Mutex<Processor>) -> MutexGuard<'_, Processor> {
    processor.lock().unwrap_or_else(|p| p.into_inner())
}

/// The processor as the store thread's duty.
struct SharedProcessor(Arc<Mutex<Processor>>);

impl Duty for SharedProcessor {
    fn run(&mut self, store: &Store) -> Option<Instant> {
        lock(&self.0).run(store)
    }
}

/// The batch-then-one-by-one processing of the inbox.
pub struct Processor {
    handler: Arc<Handler>,
    /// Failed attempts of updates tried alone (forgotten on restart, which only means an
    /// update gets its attempts again).
    failures: HashMap<i64, u32>,
    /// Pause between two attempts of the same update: `retry_pause` after the first
    /// failure, doubling, with jitter.
    retry: Backoff,
    jitter: Jitter,
    /// No round before this instant: an update failed alone and waits for its next
    /// attempt. The store thread serves other jobs meanwhile instead of sleeping.
    not_before: Option<Instant>,
    /// The sender's side of the outbox: new rows handed over after each commit, delivered
    /// rows removed in the next batch transaction (`None` in tests of the policy alone).
    feed: Option<OutboxFeed>,
    /// Files of updates fetched and read, by update id (`None`: not to be read), kept
    /// until their update leaves the inbox.
    uploads: HashMap<i64, Option<Upload>>,
    /// Updates whose file the fetch task is fetching.
    fetching: HashSet<i64>,
    /// Where files are asked for (`None`: files are not fetched, as in unit tests).
    fetches: Option<FetchRequests>,
}

impl std::fmt::Debug for Processor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processor")
            .field("failures", &self.failures)
            .field("not_before", &self.not_before)
            .finish_non_exhaustive()
    }
}

impl Processor {
    pub fn new(handler: Arc<Handler>, retry_pause: Duration) -> Processor {
        Processor {
            handler,
            failures: HashMap::new(),
            retry: Backoff::new(retry_pause, retry_pause.saturating_mul(MAX_ATTEMPTS)),
            jitter: Jitter::from_process(),
            not_before: None,
            feed: None,
            uploads: HashMap::new(),
            fetching: HashSet::new(),
            fetches: None,
        }
    }

    /// Files are fetched by the task at the other end of `fetches` (see `fetch_files`).
    pub fn fetching_files(mut self, fetches: FetchRequests) -> Processor {
        self.fetches = Some(fetches);
        self
    }

    /// Forgets the files of updates that left the inbox.
    fn forget_uploads(&mut self, ids: impl IntoIterator<Item = i64>) {
        if self.uploads.is_empty() && self.fetching.is_empty() {
            return;
        }
        for id in ids {
            self.uploads.remove(&id);
            self.fetching.remove(&id);
        }
    }

    /// When the next round may try again after a failed attempt (`None`: at once).
    pub fn not_before(&self) -> Option<Instant> {
        self.not_before
    }

    /// One turn of the store thread's duty: a round; returns when to run again.
    fn run(&mut self, store: &Store) -> Option<Instant> {
        match self.round(store) {
            // The inbox is empty: the next job that stores updates runs the duty again.
            Ok(None) => None,
            // Nothing committed: an update failed alone and waits for its next attempt.
            Ok(Some(0)) => Some(self.not_before.unwrap_or_else(Instant::now)),
            // More may be waiting (a full batch): again once the waiting jobs are done.
            Ok(Some(_)) => Some(Instant::now()),
            Err(error) => {
                tracing::error!(%error, "cannot read the inbox");
                Some(Instant::now() + READ_RETRY)
            }
        }
    }

    /// After a commit of steps: the crash point of the tests, and the new outbox rows
    /// handed to the sender (which it wakes).
    fn committed(&self, store: &Store) {
        crashpoint::hit("after_commit");
        if let Some(feed) = &self.feed {
            if let Err(error) = feed.fetch(store) {
                // The sender's own reload (on its next wake-up, at most seconds away)
                // finds the rows instead.
                tracing::error!(%error, "cannot read the new outbox rows");
            }
        }
    }

    /// Delivered rows to remove in the next batch transaction.
    fn take_delivered(&self) -> Vec<u64> {
        self.feed
            .as_ref()
            .map(OutboxFeed::take_delivered)
            .unwrap_or_default()
    }

    /// Gives back delivered rows whose removal was not committed.
    fn give_back(&self, seqs: Vec<u64>) {
        if let Some(feed) = &self.feed {
            feed.give_back(seqs);
        }
    }

    /// Stores a batch of updates and the next offset. A polled batch, when no update
    /// waits for a retry, is processed in the same durable transaction (with whatever else
    /// waits in the inbox, up to `BATCH`): one commit, and one fsync, per fetched batch.
    /// Otherwise, or if that transaction fails, the batch is stored alone (without an
    /// fsync; with one when it was posted) for the rounds to process. Returns what was
    /// stored, and whether the inbox was left empty (`false`: the rounds have work).
    pub fn receive(
        &mut self,
        store: &Store,
        updates: &[(i64, String)],
        next: i64,
        arrival: Arrival,
    ) -> Result<(Received, bool), StoreError> {
        let ready = self.failures.is_empty() && self.not_before.is_none();
        if ready && arrival == Arrival::Polled {
            let delivered = self.take_delivered();
            let (handler, uploads) = (&self.handler, &self.uploads);
            let (fetching, fetches) = (&mut self.fetching, self.fetches.as_ref());
            let result = guarded(|| {
                store.write_numbered(|tx| {
                    let new = tx.enqueue_updates(updates, next)?;
                    let offset = tx.poll_offset()?;
                    let mut pending = tx.pending_updates(BATCH)?;
                    let full = pending.len() == BATCH;
                    let ready = ready_prefix(&pending, uploads, fetching, fetches);
                    let waits = ready < pending.len();
                    pending.truncate(ready);
                    for (update_id, raw) in &pending {
                        let upload = uploads.get(update_id).and_then(Option::as_ref);
                        handler(tx, *update_id, raw, upload)?;
                        tx.finish_update(*update_id)?;
                    }
                    remove_in(tx, &delivered)?;
                    let ids: Vec<i64> = pending.into_iter().map(|(id, _)| id).collect();
                    Ok((new, offset, ids, full || waits))
                })
            });
            match result {
                Ok(((new, offset, processed, more), commit)) => {
                    if !processed.is_empty() {
                        tracing::debug!(count = processed.len(), "stored and processed a batch");
                        self.forget_uploads(processed);
                        self.committed(store);
                    }
                    let received = Received {
                        new,
                        offset,
                        commit,
                    };
                    return Ok((received, !more));
                }
                Err(error) => {
                    self.give_back(delivered);
                    tracing::warn!(%error, count = updates.len(), "a fetched batch failed; storing it alone, to process its updates one by one");
                }
            }
        }
        let store_alone = |tx: &mut Tx<'_>| {
            let new = tx.enqueue_updates(updates, next)?;
            Ok((new, tx.poll_offset()?))
        };
        let ((new, offset), commit) = if arrival == Arrival::Posted {
            store.write_numbered(store_alone)?
        } else {
            store.write_unsynced(store_alone)?
        };
        let received = Received {
            new,
            offset,
            commit,
        };
        Ok((received, false))
    }

    /// Processes one batch of pending updates: in one transaction, or one by one if that
    /// fails. Returns how many updates left the inbox, `None` when nothing can be
    /// processed now (the inbox is empty, or its first update waits for its file). While
    /// an update waits for its next attempt (`not_before`), a round does nothing.
    pub fn round(&mut self, store: &Store) -> Result<Option<usize>, StoreError> {
        if self.not_before.is_some_and(|at| at > Instant::now()) {
            return Ok(Some(0));
        }
        self.not_before = None;
        let mut pending = store.read(|s| s.pending_updates(BATCH))?;
        let ready = ready_prefix(
            &pending,
            &self.uploads,
            &mut self.fetching,
            self.fetches.as_ref(),
        );
        pending.truncate(ready);
        if pending.is_empty() {
            return Ok(None);
        }
        // An update that already failed alone would fail the batch again: go one by one.
        let suspect = pending.iter().any(|(id, _)| self.failures.contains_key(id));
        let result = if suspect {
            Err(StoreError::Db(
                "an update of this batch failed before".to_owned(),
            ))
        } else {
            let delivered = self.take_delivered();
            let (handler, uploads) = (&self.handler, &self.uploads);
            let result = guarded(|| {
                store.write(|tx| {
                    for (update_id, raw) in &pending {
                        let upload = uploads.get(update_id).and_then(Option::as_ref);
                        handler(tx, *update_id, raw, upload)?;
                        tx.finish_update(*update_id)?;
                    }
                    remove_in(tx, &delivered)
                })
            });
            if result.is_err() {
                self.give_back(delivered);
            }
            result
        };
        match result {
            Ok(()) => {
                tracing::debug!(count = pending.len(), "processed a batch of updates");
                if !self.failures.is_empty() {
                    for (id, _) in &pending {
                        self.failures.remove(id);
                    }
                }
                self.forget_uploads(pending.iter().map(|(id, _)| *id));
                self.committed(store);
                Ok(Some(pending.len()))
            }
            Err(error) => {
                if !suspect {
                    tracing::warn!(%error, count = pending.len(), "a batch failed; processing its updates one by one");
                }
                let mut finished = 0;
                for (update_id, raw) in &pending {
                    if self.one(store, *update_id, raw) {
                        finished += 1;
                    } else {
                        // Later updates may be of the same chat: they wait for this one.
                        break;
                    }
                }
                if finished > 0 {
                    self.committed(store);
                }
                Ok(Some(finished))
            }
        }
    }

    /// Tries one update in its own transaction; after `MAX_ATTEMPTS` failures marks it
    /// done without effects. Returns whether it left the inbox; if not, `not_before` says
    /// when to try again.
    fn one(&mut self, store: &Store, update_id: i64, raw: &str) -> bool {
        let (handler, uploads) = (&self.handler, &self.uploads);
        let upload = uploads.get(&update_id).and_then(Option::as_ref);
        let result = guarded(|| {
            store.write(|tx| {
                handler(tx, update_id, raw, upload)?;
                tx.finish_update(update_id)
            })
        });
        let error = match result {
            Ok(()) => {
                self.failures.remove(&update_id);
                self.forget_uploads([update_id]);
                return true;
            }
            Err(error) => error,
        };
        let attempts = self.failures.entry(update_id).or_insert(0);
        *attempts += 1;
        if *attempts < MAX_ATTEMPTS {
            tracing::warn!(update_id, attempt = *attempts, %error, "an update failed; will retry");
            let pause = self.jitter.wait(self.retry, *attempts);
            self.not_before = Some(Instant::now() + pause);
            return false;
        }
        tracing::error!(
            update_id,
            attempts = *attempts,
            %error,
            "an update failed every attempt; skipped without effects"
        );
        match store.write(|tx| tx.finish_update(update_id)) {
            Ok(()) => {
                self.failures.remove(&update_id);
                self.forget_uploads([update_id]);
                true
            }
            Err(error) => {
                // The store itself is failing: keep the update and try again later.
                tracing::error!(update_id, %error, "cannot mark the failed update done");
                self.not_before = Some(Instant::now() + self.retry.max);
                false
            }
        }
    }
}

/// How many of `pending` (in order) can be processed now: those before the first update
/// whose file is neither read yet nor known not to be read. That file is asked for (once)
/// from the fetch task; without one (`fetches` is `None`) files are not fetched at all.
fn ready_prefix(
    pending: &[(i64, String)],
    uploads: &HashMap<i64, Option<Upload>>,
    fetching: &mut HashSet<i64>,
    fetches: Option<&FetchRequests>,
) -> usize {
    let Some(fetches) = fetches else {
        return pending.len();
    };
    for (index, (update_id, raw)) in pending.iter().enumerate() {
        if uploads.contains_key(update_id) || !carries_file(raw) {
            continue;
        }
        if fetching.insert(*update_id) && fetches.send((*update_id, raw.clone())).is_err() {
            // The fetch task has stopped (the bot is stopping): the update stays in the
            // inbox for the next start.
            tracing::debug!(update_id, "a file waits for the next start");
        }
        return index;
    }
    pending.len()
}

/// Runs a transaction of steps, turning a panic (a bug in a step) into an error, so that
/// the update that caused it is retried alone and, after `MAX_ATTEMPTS`, skipped like any
/// failing one. redb aborts the transaction dropped during the unwinding.
fn guarded<T>(f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(StoreError::Db("a step panicked".to_owned())))
}

/// Processes one stored update inside the caller's transaction; `upload` is the file it
/// carries, fetched and read, when it was (a file not fetched reaches the engine as such).
fn process(
    tx: &mut Tx<'_>,
    runtime: &Runtime,
    username: &str,
    update_id: i64,
    raw: &str,
    upload: Option<&Upload>,
    now: Now,
) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    // One info line per update (issue 9): chat, kind, outcome and duration, never the
    // text the user sent (a command's name is the most it says about the content).
    let (kind, outcome) = match serde_json::from_str::<Update>(raw) {
        Ok(update) => match event_from_update(&update, username) {
            Some(mut event) => {
                if let (crate::dialog::Input::Document(_), Some(upload)) = (&event.input, upload) {
                    event.input = crate::dialog::Input::Document(upload.clone());
                }
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
        let handler: Arc<Handler> = Arc::new(move |tx: &mut Tx<'_>, id, _raw: &str, _upload| {
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

    #[test]
    fn a_good_batch_is_one_transaction() {
        let (_dir, store, handler, calls) = setup(5, &[]);
        let mut processor = Processor::new(handler, Duration::ZERO);
        let durable = *store.durable_commits().borrow();
        assert_eq!(processor.round(&store).expect("round"), Some(5));
        assert_eq!(
            *store.durable_commits().borrow(),
            durable + 1,
            "one durable commit for the batch"
        );
        assert_eq!(processor.round(&store).expect("round"), None);
        assert_eq!(outbox_texts(&store), vec!["1", "2", "3", "4", "5"]);
        assert_eq!(calls.lock().expect("not poisoned").len(), 5);
    }

    #[test]
    fn a_poisonous_update_is_skipped_after_three_attempts_and_the_rest_keep_order() {
        let (_dir, store, handler, calls) = setup(5, &[3]);
        let mut processor = Processor::new(handler, Duration::ZERO);
        let mut rounds = 0;
        while processor.round(&store).expect("round").is_some() {
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
        assert_eq!(store.read(|s| s.pending_updates(10)).expect("read"), vec![]);
    }

    #[test]
    fn a_panicking_step_is_retried_alone_and_skipped_like_a_failing_one() {
        let (_dir, store, _handler, _calls) = setup(3, &[]);
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let handler: Arc<Handler> = Arc::new(move |tx: &mut Tx<'_>, id, _raw: &str, _upload| {
            seen.lock().expect("not poisoned").push(id);
            if id == 2 {
                panic!("a bug in the step of update {id}");
            }
            tx.push_outgoing(&Outgoing {
                chat: 1,
                op: OutOp::Message {
                    html: id.to_string(),
                    keyboard: None,
                },
            })
            .map(drop)
        });
        let mut processor = Processor::new(handler, Duration::ZERO);
        let mut rounds = 0;
        while processor.round(&store).expect("round").is_some() {
            rounds += 1;
            assert!(rounds < 20, "the panicking update blocks the inbox");
        }
        assert_eq!(outbox_texts(&store), vec!["1", "3"]);
        let calls = calls.lock().expect("not poisoned").clone();
        assert_eq!(
            calls.iter().filter(|id| **id == 2).count(),
            1 + MAX_ATTEMPTS as usize
        );
    }

    #[test]
    fn a_failed_attempt_waits_out_its_pause_without_sleeping() {
        let (_dir, store, handler, calls) = setup(2, &[1]);
        let mut processor = Processor::new(handler, Duration::from_secs(3600));
        // The batch fails, update 1 fails alone and waits an hour; update 2 waits behind it.
        assert_eq!(processor.round(&store).expect("round"), Some(0));
        let waiting = processor.not_before().expect("a pause");
        assert!(waiting > Instant::now() + Duration::from_secs(1000));
        let tried = calls.lock().expect("not poisoned").len();
        // Rounds during the pause return at once and try nothing.
        assert_eq!(processor.round(&store).expect("round"), Some(0));
        assert_eq!(calls.lock().expect("not poisoned").len(), tried);
        assert_eq!(
            store.read(|s| s.pending_updates(10)).expect("read").len(),
            2
        );
    }

    fn fetched(ids: &[i64]) -> Vec<(i64, String)> {
        ids.iter()
            .map(|id| (*id, format!("{{\"update_id\":{id}}}")))
            .collect()
    }

    fn durable(store: &Store) -> u64 {
        *store.durable_commits().borrow()
    }

    #[test]
    fn a_fetched_batch_is_stored_and_processed_in_one_durable_commit() {
        let (_dir, store, handler, calls) = setup(0, &[]);
        let feed = OutboxFeed::new(100);
        let mut processor = Processor::new(handler, Duration::ZERO);
        processor.feed = Some(feed.clone());
        let before = durable(&store);
        let (received, settled) = processor
            .receive(&store, &fetched(&[7, 8, 9]), 10, Arrival::Polled)
            .expect("received");
        assert_eq!((received.new, received.offset), (3, 10));
        assert!(settled, "nothing left for the rounds");
        assert_eq!(durable(&store), before + 1, "one commit, durable");
        assert!(received.commit.0 <= durable(&store));
        assert_eq!(calls.lock().expect("not poisoned").clone(), vec![7, 8, 9]);
        assert!(store
            .read(|s| s.pending_updates(10))
            .expect("read")
            .is_empty());
        // The rows were handed to the sender after the commit.
        assert_eq!(feed.take(|_| 100).len(), 3);
    }

    #[test]
    fn delivered_rows_leave_in_the_next_batch_transaction() {
        let (_dir, store, handler, _calls) = setup(0, &[]);
        let feed = OutboxFeed::new(100);
        let mut processor = Processor::new(handler, Duration::ZERO);
        processor.feed = Some(feed.clone());
        processor
            .receive(&store, &fetched(&[1, 2]), 3, Arrival::Polled)
            .expect("received");
        let rows = feed.take(|_| 100);
        feed.delivered(rows[0].0, 100);
        let before = durable(&store);
        processor
            .receive(&store, &fetched(&[3]), 4, Arrival::Polled)
            .expect("received");
        assert_eq!(durable(&store), before + 1, "one commit for both");
        assert_eq!(outbox_texts(&store), vec!["2", "3"]);
        assert!(feed.take_delivered().is_empty());
    }

    #[test]
    fn a_fetched_batch_that_fails_is_stored_alone_for_the_rounds() {
        let (_dir, store, handler, calls) = setup(0, &[2]);
        let feed = OutboxFeed::new(100);
        let mut processor = Processor::new(handler, Duration::ZERO);
        processor.feed = Some(feed.clone());
        feed.delivered(41, 100);
        let before = durable(&store);
        let (received, settled) = processor
            .receive(&store, &fetched(&[1, 2, 3]), 4, Arrival::Polled)
            .expect("received");
        assert_eq!((received.new, received.offset), (3, 4));
        assert!(!settled, "the rounds have work");
        assert_eq!(durable(&store), before, "stored alone, without an fsync");
        assert_eq!(
            store.read(|s| s.pending_updates(10)).expect("read").len(),
            3,
            "stored, none processed"
        );
        assert_eq!(feed.take_delivered(), vec![41], "given back");
        // The rounds take it from there: 1 and 3 once, 2 skipped after its attempts.
        while processor.round(&store).expect("round").is_some() {}
        assert_eq!(outbox_texts(&store), vec!["1", "3"]);
        assert_eq!(
            calls
                .lock()
                .expect("not poisoned")
                .iter()
                .filter(|id| **id == 2)
                .count(),
            1 + 1 + MAX_ATTEMPTS as usize,
            "the fetched batch, the round's batch, then alone"
        );
    }

    #[test]
    fn while_an_update_waits_for_a_retry_a_fetched_batch_is_stored_alone() {
        let (_dir, store, handler, calls) = setup(1, &[1]);
        let mut processor = Processor::new(handler, Duration::from_secs(3600));
        assert_eq!(processor.round(&store).expect("round"), Some(0));
        assert!(processor.not_before().is_some());
        let tried = calls.lock().expect("not poisoned").len();
        let (received, settled) = processor
            .receive(&store, &fetched(&[2]), 3, Arrival::Polled)
            .expect("received");
        assert_eq!(received.new, 1);
        assert!(!settled);
        assert!(
            received.commit.0 > durable(&store),
            "stored without an fsync"
        );
        assert_eq!(
            calls.lock().expect("not poisoned").len(),
            tried,
            "none processed"
        );
        assert_eq!(
            store.read(|s| s.pending_updates(10)).expect("read").len(),
            2
        );
    }

    #[test]
    fn a_posted_update_is_stored_durably_alone_and_left_to_the_rounds() {
        let (_dir, store, handler, calls) = setup(0, &[]);
        let mut processor = Processor::new(handler, Duration::ZERO);
        let (received, settled) = processor
            .receive(&store, &fetched(&[5]), 6, Arrival::Posted)
            .expect("received");
        assert_eq!((received.new, received.offset), (1, 6));
        assert!(!settled);
        assert!(
            received.commit.0 <= durable(&store),
            "durable before the 200"
        );
        assert!(calls.lock().expect("not poisoned").is_empty());
        assert_eq!(processor.round(&store).expect("round"), Some(1));
    }

    /// A private message from user 42 carrying a document, as Telegram sends it.
    fn with_file(id: i64) -> String {
        format!(
            r#"{{"update_id":{id},"message":{{"message_id":{id},"date":1700000000,"chat":{{"id":42,"type":"private","first_name":"A"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"document":{{"file_id":"F","file_unique_id":"U","file_name":"r.docx","file_size":100}}}}}}"#
        )
    }

    #[test]
    fn an_update_with_a_file_waits_for_it_off_the_writer_and_later_updates_wait_behind_it() {
        let (_dir, store, _handler, _calls) = setup(0, &[]);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let handler: Arc<Handler> = Arc::new(move |_: &mut Tx<'_>, id, _: &str, upload| {
            let name = upload.map(|u: &Upload| u.file_name.clone());
            record.lock().expect("not poisoned").push((id, name));
            Ok(())
        });
        let (fetches, mut requests) = mpsc::unbounded_channel();
        let mut processor = Processor::new(handler, Duration::ZERO).fetching_files(fetches);
        let updates = vec![
            (1, "{\"update_id\":1}".to_owned()),
            (2, with_file(2)),
            (3, "{\"update_id\":3}".to_owned()),
        ];
        let (_, settled) = processor
            .receive(&store, &updates, 4, Arrival::Polled)
            .expect("received");
        assert!(!settled, "update 2 waits for its file");
        assert_eq!(*seen.lock().expect("not poisoned"), vec![(1, None)]);
        let (asked, _) = requests.try_recv().expect("the file was asked for");
        assert_eq!(asked, 2);
        // Rounds while the file is being fetched process nothing and ask nothing again.
        assert_eq!(processor.round(&store).expect("round"), None);
        assert!(requests.try_recv().is_err(), "asked once");
        // The fetch task hands the file back (what `Intake::give_upload` does).
        processor.fetching.remove(&2);
        let upload = Upload {
            file_name: "r.docx".to_owned(),
            content: crate::document::UploadContent::NotFetched,
        };
        processor.uploads.insert(2, Some(upload));
        assert_eq!(processor.round(&store).expect("round"), Some(2));
        assert_eq!(
            *seen.lock().expect("not poisoned"),
            vec![(1, None), (2, Some("r.docx".to_owned())), (3, None)],
            "in update order, the file with its update"
        );
        assert!(processor.uploads.is_empty(), "forgotten once processed");
        assert_eq!(processor.round(&store).expect("round"), None);
    }
}
