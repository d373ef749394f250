//! The report worker's work: building the reports that steps queued
//! (`Tx::queue_report_job`) off the single writer, and queueing them.
//!
//! A job's figures are read on a read snapshot; the table goes to the chat in one short
//! write transaction (which marks the job); the files are built from the same snapshot's
//! sessions with no transaction open; then one more short transaction removes the job and
//! queues the files (`Tx::finish_report_job`). A crash before a commit leaves that part to
//! be built again at the next start; after it, the part is queued and is not queued twice.
//! Meanwhile the processor keeps the writer: an organiser's step never waits for a
//! five-year roll-up or a spreadsheet of a million sessions.
//!
//! The async task that runs this is `telegram::reports`; the console and the tests call
//! [`ReportWorker::run_pending`] directly.

use crate::dialog::{Catalog, Keyboard, Reply};
use crate::document::DocumentTexts;
use crate::domain::{ChatId, Lang, Period};
use crate::format::{escape_html, format_date};
use crate::outgoing::{OutOp, Outgoing};
use crate::report::{self, FileSources, ReportData};
use crate::store::{ReportJob, ReportJobKind, Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Notify;

/// Jobs read per snapshot.
const BATCH: usize = 16;
/// How many times a job whose sources cannot be read is tried before it is dropped.
pub const MAX_ATTEMPTS: u32 = 3;

/// Builds waiting reports and queues them, oldest job first.
#[derive(Debug)]
pub struct ReportWorker {
    store: Store,
    catalog: Arc<Catalog>,
    /// Woken after each commit that queued messages (the sender, in the bot).
    queued: Option<Arc<Notify>>,
    /// Failed attempts per job (forgotten on restart, which only means a job gets its
    /// attempts again).
    failures: HashMap<u64, u32>,
}

impl ReportWorker {
    pub fn new(store: Store, catalog: Arc<Catalog>) -> ReportWorker {
        ReportWorker {
            store,
            catalog,
            queued: None,
            failures: HashMap::new(),
        }
    }

    /// Wakes `sender` after each commit that queued messages, so the table goes out
    /// while the files are still being built.
    pub fn waking(mut self, sender: Arc<Notify>) -> ReportWorker {
        self.queued = Some(sender);
        self
    }

    fn wake(&self) {
        if let Some(sender) = &self.queued {
            sender.notify_one();
        }
    }

    /// Builds and queues every waiting job; returns how many left the table. Blocks (it
    /// reads and writes the store, and building a big report takes a while).
    pub fn run_pending(&mut self) -> Result<usize, StoreError> {
        self.run_pending_while(&|| true)
    }

    /// Like `run_pending`, but stops as soon as `go_on` says so: before each job and
    /// before a built job's commit (a stopping bot does not wait for a big report; its
    /// job stays and is built again at the next start).
    ///
    /// A job whose sources cannot be read is left for the next call and reported as the
    /// error, after the other jobs were done; after `MAX_ATTEMPTS` failures it is dropped
    /// (logged), so one bad job cannot stop the others for good.
    pub fn run_pending_while(&mut self, go_on: &dyn Fn() -> bool) -> Result<usize, StoreError> {
        let mut done = 0;
        let mut first_error = None;
        let mut skip = Vec::new();
        while go_on() {
            let jobs = self
                .store
                .read(|view| view.report_jobs(BATCH + skip.len()))?;
            let jobs: Vec<_> = jobs
                .into_iter()
                .filter(|(id, _)| !skip.contains(id))
                .collect();
            if jobs.is_empty() {
                break;
            }
            for (id, job) in jobs {
                if !go_on() {
                    break;
                }
                match self.run_one(id, job, go_on) {
                    Ok(false) => {}
                    Ok(true) => {
                        self.failures.remove(&id);
                        done += 1;
                    }
                    Err(error) => {
                        let attempts = self.failures.entry(id).or_insert(0);
                        *attempts = attempts.saturating_add(1);
                        if *attempts >= MAX_ATTEMPTS {
                            tracing::error!(job = id, %error, "report job failed {MAX_ATTEMPTS} times; dropped");
                            self.store.write(|tx| tx.finish_report_job(id, &[]))?;
                            self.failures.remove(&id);
                            done += 1;
                        } else {
                            tracing::warn!(job = id, %error, "report job failed; it is tried again");
                            skip.push(id);
                            first_error.get_or_insert(error);
                        }
                    }
                }
            }
        }
        first_error.map_or(Ok(done), Err)
    }

    /// Builds job `id` from a snapshot and queues its files with the job's removal;
    /// returns false when `go_on` stopped it before the commit (nothing written).
    fn run_one(
        &self,
        id: u64,
        job: Option<ReportJob>,
        go_on: &dyn Fn() -> bool,
    ) -> Result<bool, StoreError> {
        let Some(job) = job else {
            tracing::error!(
                job = id,
                "a report job cannot be read (written by a newer rollcall?); dropped"
            );
            self.store.write(|tx| tx.finish_report_job(id, &[]))?;
            return Ok(true);
        };
        let started = std::time::Instant::now();
        let messages = match &job.kind {
            ReportJobKind::Report { keyboard } => {
                // One snapshot for the table and the files, so both show the same
                // sessions; the table is committed (and sent) before the sessions are read.
                let (data, files) = self.store.read(|view| {
                    let data =
                        ReportData::gather(view, &self.catalog, job.centre, job.period, job.lang)?;
                    if !job.table_sent {
                        let table = table_message(&self.catalog, &job, &data, keyboard.clone());
                        if self.store.write(|tx| tx.queue_report_table(id, &table))? {
                            self.wake();
                        }
                    }
                    Ok((data, FileSources::read(view, job.centre, job.period)?))
                })?;
                // The snapshot is gone: building holds no transaction at all.
                file_messages(&self.catalog, &job, &data, &files)
            }
            ReportJobKind::Document { date, then } => {
                // The document goes to the education office: its table is in Vietnamese
                // whatever the chat's language; the caption and messages follow the chat.
                let (data, texts) = self.store.read(|view| {
                    Ok((
                        ReportData::gather(view, &self.catalog, job.centre, job.period, Lang::Vi)?,
                        view.document_texts(job.centre)?,
                    ))
                })?;
                document_messages(&self.catalog, &job, &data, &texts, *date, then.as_ref())
            }
        };
        if !go_on() {
            return Ok(false);
        }
        let queued = self.store.write(|tx| tx.finish_report_job(id, &messages))?;
        if queued {
            self.wake();
        }
        tracing::info!(
            job = id,
            chat = job.chat,
            files = messages.len(),
            queued,
            ms = started.elapsed().as_millis() as u64,
            "report files built"
        );
        Ok(true)
    }
}

/// The report in the chat: the table, and for the roll-up a line per centre, with the
/// engine's buttons under it.
fn table_message(
    catalog: &Catalog,
    job: &ReportJob,
    data: &ReportData,
    keyboard: Option<Keyboard>,
) -> Outgoing {
    let table = data.table(catalog, job.lang);
    let mut html = report::render_chat(catalog, &table, &data.name, job.period, job.lang);
    let lines: Vec<String> = data
        .centres
        .iter()
        .flatten()
        .map(|c| report::render_centre_line(catalog, &c.name, c.totals, job.lang))
        .collect();
    if !lines.is_empty() {
        html.push_str("\n\n");
        html.push_str(&lines.join("\n"));
    }
    Outgoing::reply(job.chat, Reply { html, keyboard })
}

/// The caption of a report's files: the period and the centre.
fn caption(catalog: &Catalog, key: &str, lang: Lang, period: Period, name: &str) -> String {
    catalog.render(
        key,
        lang,
        &[
            (
                "period",
                &format!("{} – {}", format_date(period.from), format_date(period.to)),
            ),
            ("centre", &escape_html(name)),
        ],
    )
}

/// The chart, the spreadsheet and the CSV of a report. A file that cannot be built is a
/// bug to log: the table in the chat, sent first, is what matters.
fn file_messages(
    catalog: &Catalog,
    job: &ReportJob,
    data: &ReportData,
    sources: &FileSources,
) -> Vec<Outgoing> {
    let files = match report::report_files(catalog, data, sources, job.period, job.lang) {
        Ok(files) => files,
        Err(error) => {
            tracing::error!(%error, "report files could not be built");
            return Vec::new();
        }
    };
    let caption = caption(
        catalog,
        "report.files_caption",
        job.lang,
        job.period,
        &data.name,
    );
    let chat: ChatId = job.chat;
    let mut messages = Vec::with_capacity(3);
    if let Some(chart) = files.chart {
        messages.push(Outgoing {
            chat,
            op: OutOp::Photo {
                file_name: "bieu-do.png".to_owned(),
                caption: Some(caption.clone()),
                bytes: chart,
            },
        });
    }
    for (file_name, bytes) in [(files.xlsx_name, files.xlsx), (files.csv_name, files.csv)] {
        messages.push(Outgoing {
            chat,
            op: OutOp::Document {
                file_name,
                caption: Some(caption.clone()),
                bytes,
            },
        });
    }
    messages
}

/// The report document, then the edit button under a short message when the step offered
/// it. A document that cannot be built is a bug to log; the director is told so rather
/// than waiting for a file that never comes.
fn document_messages(
    catalog: &Catalog,
    job: &ReportJob,
    data: &ReportData,
    texts: &DocumentTexts,
    date: chrono::NaiveDate,
    then: Option<&Reply>,
) -> Vec<Outgoing> {
    let table = data.table(catalog, Lang::Vi);
    let built = report::docx(&report::DocxReport {
        catalog,
        table: &table,
        centre_name: &data.name,
        period: job.period,
        texts,
        date,
        centres: data.centres.as_deref(),
    });
    let bytes = match built {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "report document could not be built");
            return vec![Outgoing::reply(
                job.chat,
                Reply {
                    html: catalog.text("document.failed", job.lang).to_owned(),
                    keyboard: None,
                },
            )];
        }
    };
    let mut messages = vec![Outgoing {
        chat: job.chat,
        op: OutOp::Document {
            file_name: report::docx_name(&data.name, job.period),
            caption: Some(caption(
                catalog,
                "document.caption",
                job.lang,
                job.period,
                &data.name,
            )),
            bytes,
        },
    }];
    if let Some(then) = then {
        messages.push(Outgoing::reply(job.chat, then.clone()));
    }
    messages
}
