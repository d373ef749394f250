//! The report worker's task: builds the reports of queued report jobs
//! (`runtime::report_jobs`) on the blocking pool, beside the processor rather than inside
//! its transactions.
//!
//! It wakes at start (jobs left by a crash or a stop), after every commit that queued a job
//! (`Store::report_jobs_queued`), and after a pause when a job failed. The worker wakes the
//! sender after each commit of a table or of files.

use crate::runtime::ReportWorker;
use crate::store::Store;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// The pause before a failed job is tried again.
const RETRY_PAUSE: Duration = Duration::from_secs(2);

/// Runs until `stop` turns true. A report being built then is not waited for: it is
/// neither committed nor sent, and its job is built again at the next start.
pub async fn run(
    store: Store,
    catalog: Arc<crate::dialog::Catalog>,
    outbox_ready: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let mut queued = store.report_jobs_queued();
    let worker = Arc::new(Mutex::new(
        ReportWorker::new(store, catalog).waking(outbox_ready),
    ));
    loop {
        // Marks every announcement so far as seen before looking, so a job committed while
        // this round runs wakes the next one.
        queued.borrow_and_update();
        let round = {
            let worker = worker.clone();
            let stopping = stop.clone();
            let build = tokio::task::spawn_blocking(move || {
                worker
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .run_pending_while(&|| !*stopping.borrow())
            });
            tokio::select! {
                round = build => round,
                _ = stop.changed() => return,
            }
        };
        let mut retry = false;
        match round {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::warn!(%error, "report jobs left to try again");
                retry = true;
            }
            Err(error) => {
                tracing::error!(%error, "report task failed");
                retry = true;
            }
        }
        if *stop.borrow() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(RETRY_PAUSE), if retry => {}
            changed = queued.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            _ = stop.changed() => return,
        }
    }
}
