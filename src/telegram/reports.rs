//! The report worker's tasks: build the reports of queued report jobs
//! (`runtime::report_jobs`) beside the processor rather than inside its transactions,
//! each part on its own low-priority thread (`build_thread`). One loop queues the tables,
//! another builds the files, so a table is never held up by the files of an earlier
//! report.
//!
//! Each wakes at start (jobs left by a crash or a stop), after every commit that queued a
//! job or a table (`Store::report_jobs_queued`), and after a pause when a job failed. The
//! worker wakes the sender after each commit of a table or of files. Its reads are its own
//! snapshots; its short write transactions are jobs on the store thread, the bot's one
//! writer (`ReportWorker::writing_through`).

use super::build_thread::BuildThread;
use crate::dialog::Catalog;
use crate::runtime::report_jobs::Part;
use crate::runtime::ReportWorker;
use crate::store::StoreThread;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// The pause before a failed job is tried again.
const RETRY_PAUSE: Duration = Duration::from_secs(2);

/// Runs both loops until `stop` turns true. A report being built then is not waited for:
/// it is neither committed nor sent, and its job is built again at the next start.
pub async fn run(
    store: StoreThread,
    catalog: Arc<Catalog>,
    outbox_ready: Arc<Notify>,
    stop: watch::Receiver<bool>,
) {
    let tables = tokio::spawn(run_part(
        Part::Tables,
        store.clone(),
        catalog.clone(),
        outbox_ready.clone(),
        stop.clone(),
    ));
    run_part(Part::Files, store, catalog, outbox_ready, stop).await;
    let _ = tables.await;
}

async fn run_part(
    part: Part,
    store: StoreThread,
    catalog: Arc<Catalog>,
    outbox_ready: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let mut queued = store.store().report_jobs_queued();
    let worker = ReportWorker::new(store.store().clone(), catalog)
        .waking(outbox_ready)
        .writing_through(store);
    let builds = match BuildThread::start(part, worker) {
        Ok(builds) => builds,
        Err(error) => {
            tracing::error!(?part, %error, "could not start the report thread; reports are not built");
            return;
        }
    };
    loop {
        // Marks every announcement so far as seen before looking, so a job committed while
        // this round runs wakes the next one.
        queued.borrow_and_update();
        let round = tokio::select! {
            round = builds.round(stop.clone()) => round,
            _ = stop.changed() => return,
        };
        let mut retry = false;
        match round {
            Some(Ok(_)) => {}
            Some(Err(error)) => {
                tracing::warn!(?part, %error, "report jobs left to try again");
                retry = true;
            }
            None => {
                tracing::error!(?part, "report build failed");
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
