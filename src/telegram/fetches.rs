//! The task that reads the sessions files directors send: it takes each queued file
//! (`FILE_FETCHES`, queued by the step that accepted it), downloads it (at most
//! `MAX_FILE_BYTES`), reads it into rows off the async threads (`report::read_import`,
//! a pure function over the bytes) and hands the rows to the chat's dialog through
//! `Runtime::handle`, removing the queue row in the same transaction. So the bytes never
//! enter a step, a slow download never holds up other chats' messages, and a file is
//! handed over once even across a restart.

use super::backoff::{Backoff, Jitter};
use super::blocking::{snapshot, write};
use super::download::{download, DownloadError};
use crate::dialog::import::{ReadProblem, MAX_FILE_BYTES};
use crate::runtime::{import::deliver_file, Runtime};
use crate::store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use teloxide_core::Bot;
use tokio::sync::{watch, Notify};

/// How often the queue is looked at (a snapshot read, which never waits for the writer).
const POLL: Duration = Duration::from_millis(500);

/// Files taken from the queue per round.
const BATCH: usize = 10;

/// Tries of a download that failed on the network before the person is told.
const MAX_ATTEMPTS: u32 = 3;

/// Runs until `stop` turns true.
pub async fn run(
    bot: Bot,
    store: Store,
    runtime: Arc<Runtime>,
    clock: crate::clock::LocalClock,
    outbox_ready: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let mut failures: HashMap<u64, u32> = HashMap::new();
    let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(8));
    let mut jitter = Jitter::from_process();
    loop {
        if *stop.borrow() {
            return;
        }
        let queued = match snapshot(&store, |s| s.file_fetches(BATCH)).await {
            Ok(queued) => queued,
            Err(error) => {
                tracing::error!(%error, "cannot read the queue of sent files");
                Vec::new()
            }
        };
        for (seq, fetch) in queued {
            let rows = match download(&bot, &fetch.file.id, MAX_FILE_BYTES).await {
                Ok(bytes) => {
                    let catalog = runtime.catalog.clone();
                    let name = fetch.file.shown_name().to_owned();
                    tokio::task::spawn_blocking(move || {
                        crate::report::read_import(&name, &bytes, &catalog)
                    })
                    .await
                    .unwrap_or(Err(ReadProblem::Unreadable))
                }
                Err(DownloadError::TooLarge { .. }) => Err(ReadProblem::TooLarge { size: None }),
                Err(DownloadError::Refused(error)) => {
                    tracing::warn!(chat = fetch.chat, %error, "a sent file could not be fetched");
                    Err(ReadProblem::Download)
                }
                Err(DownloadError::Failed(error)) => {
                    let attempts = failures.entry(seq).or_insert(0);
                    *attempts += 1;
                    if *attempts < MAX_ATTEMPTS {
                        tracing::warn!(chat = fetch.chat, attempt = *attempts, %error, "downloading a sent file failed; will retry");
                        let pause = jitter.wait(backoff, *attempts);
                        tokio::time::sleep(pause).await;
                        continue;
                    }
                    tracing::warn!(chat = fetch.chat, %error, "downloading a sent file failed every attempt");
                    Err(ReadProblem::Download)
                }
            };
            failures.remove(&seq);
            // A test's clock is a file: read off the async threads.
            let now = crate::domain::Now::in_zone(clock.clock.now_off_thread().await, clock.zone);
            let runtime_ = runtime.clone();
            match write(&store, move |tx| {
                deliver_file(&runtime_, tx, seq, rows, now)
            })
            .await
            {
                Ok(true) => {
                    tracing::info!(chat = fetch.chat, "a sent file was read");
                    outbox_ready.notify_one();
                }
                Ok(false) => {}
                // The row stays queued: the file is fetched again next round.
                Err(error) => tracing::error!(%error, "cannot hand a read file to its chat"),
            }
        }
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => return,
        }
    }
}
