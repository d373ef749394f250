//! The report worker's work: building the reports that steps queued
//! (`Tx::queue_report_job`) off the single writer, and queueing them.
//!
//! A job's figures are read on a read snapshot and its table goes to the chat in one short
//! write transaction (which marks the job); then its files are built from another snapshot
//! with no transaction open, and one more short transaction removes the job and queues the
//! files (`Tx::finish_report_job`). Tables and files are two loops (`Part`), so a table is
//! never held up by the files of an earlier report. A crash before a commit leaves that part to
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
use crate::outgoing::{FileBody, OutOp, Outgoing, SpoolRef};
use crate::report::centres_chat::{render_silence, COMMAND_SILENT_LINES};
use crate::report::names::centre_table_name;
use crate::report::silent::{silent_centres, Activity, DEFAULT_SILENT_DAYS};
use crate::report::{self, FileSources, ReportData};
use crate::store::{EncodedOutgoing, ReportJob, ReportJobKind, Store, StoreError, StoreThread, Tx};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Notify;

/// Jobs read per snapshot.
const BATCH: usize = 16;
/// The largest file a bot may send through the Bot API (Telegram's limit is 50 MB).
const TELEGRAM_FILE_BYTES: usize = 50_000_000;
/// The characters of HTML one message may take here: Telegram's 4,096 counted after the
/// tags are parsed, less room for the escapes that count more before than after.
const MESSAGE_BUDGET: usize = 3_900;
/// How many times a job whose sources cannot be read is tried before it is dropped.
pub const MAX_ATTEMPTS: u32 = 3;

/// Builds waiting reports and queues them, oldest job first.
#[derive(Debug)]
pub struct ReportWorker {
    store: Store,
    catalog: Arc<Catalog>,
    /// Woken after each commit that queued messages (the sender, in the bot).
    queued: Option<Arc<Notify>>,
    /// The store thread that owns the writer in the bot: the worker's short transactions
    /// are jobs on it (`None`: written directly, as the console and the tests do).
    writer: Option<StoreThread>,
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
            writer: None,
            failures: HashMap::new(),
        }
    }

    /// Commits through `thread`, the bot's one writer, instead of taking redb's write
    /// lock itself; it still reads its own snapshots and builds with no transaction open.
    pub fn writing_through(mut self, thread: StoreThread) -> ReportWorker {
        self.writer = Some(thread);
        self
    }

    /// One short write transaction: a job on the store thread when there is one. Blocks.
    fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        match &self.writer {
            Some(thread) => thread.write_blocking(f),
            None => self.store.write(f),
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

    /// Builds and queues every waiting report, tables first; returns how many parts
    /// (tables, sets of files) were queued or dropped. Blocks (it reads and writes the
    /// store, and building a big report takes a while).
    pub fn run_pending(&mut self) -> Result<usize, StoreError> {
        let tables = self.run_pending_while(Part::Tables, &|| true)?;
        Ok(tables + self.run_pending_while(Part::Files, &|| true)?)
    }

    /// Builds and queues `part` of every waiting report that is ready for it, oldest job
    /// first, and stops as soon as `go_on` says so: before each job and before a commit
    /// (a stopping bot does not wait for a big report; its job stays and that part is
    /// built again at the next start). Returns how many parts were queued or dropped.
    ///
    /// A job whose sources cannot be read is left for the next call and reported as the
    /// error, after the other jobs were done; after `MAX_ATTEMPTS` failures it is dropped
    /// (logged), so one bad job cannot stop the others for good.
    pub fn run_pending_while(
        &mut self,
        part: Part,
        go_on: &dyn Fn() -> bool,
    ) -> Result<usize, StoreError> {
        let mut done = 0;
        let mut first_error = None;
        let mut skip = Vec::new();
        while go_on() {
            // The table holds the waiting jobs only: a handful.
            let jobs: Vec<_> = self
                .store
                .read(|view| view.report_jobs(usize::MAX))?
                .into_iter()
                .filter(|(id, job)| !skip.contains(id) && part.is_ready(job.as_ref()))
                .take(BATCH)
                .collect();
            if jobs.is_empty() {
                break;
            }
            for (id, job) in jobs {
                if !go_on() {
                    break;
                }
                let result = match (part, job) {
                    (Part::Tables, Some(job)) => self.queue_table(id, &job),
                    (Part::Files, job) => self.queue_files(id, job, go_on),
                    (Part::Tables, None) => Ok(false),
                };
                match result {
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
                            self.write(move |tx| tx.finish_report_job(id, &[]))?;
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

    /// Reads the figures of report job `id` on a snapshot and queues its table (marking
    /// the job); returns whether it was queued. `/silent` is one message like a table,
    /// queued with the job's removal.
    fn queue_table(&self, id: u64, job: &ReportJob) -> Result<bool, StoreError> {
        let started = std::time::Instant::now();
        let (keyboards, today) = match &job.kind {
            ReportJobKind::Report {
                keyboard,
                centres_keyboard,
                today,
            } => (
                (keyboard.clone(), centres_keyboard.clone()),
                today.unwrap_or_else(|| job.created_at.date_naive()),
            ),
            ReportJobKind::Silent { days, today } => {
                let message = self.silent_message(job, *days, *today)?;
                let message = EncodedOutgoing::new(&message)?;
                let queued = self
                    .store
                    .write(|tx| tx.finish_report_job(id, std::slice::from_ref(&message)))?;
                if queued {
                    self.wake();
                }
                return Ok(queued);
            }
            ReportJobKind::Document { .. } | ReportJobKind::CentreTable => return Ok(false),
        };
        let data = self.store.read(|view| {
            ReportData::gather(view, &self.catalog, job.centre, job.period, job.lang)
        })?;
        let table = table_messages(&self.catalog, job, &data, keyboards, today);
        let queued = self.write(move |tx| tx.queue_report_table(id, &table))?;
        if queued {
            self.wake();
        }
        tracing::info!(
            job = id,
            chat = job.chat,
            ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "report table queued"
        );
        Ok(queued)
    }

    /// Builds the files of job `id` from a snapshot and queues them with the job's
    /// removal; returns false when `go_on` stopped it before the commit (nothing written).
    fn queue_files(
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
            self.write(move |tx| tx.finish_report_job(id, &[]))?;
            return Ok(true);
        };
        let started = std::time::Instant::now();
        let messages = match &job.kind {
            ReportJobKind::Report { .. } => {
                let (data, files) = self.store.read(|view| {
                    Ok((
                        ReportData::gather(view, &self.catalog, job.centre, job.period, job.lang)?,
                        FileSources::read(view, job.centre, job.period)?,
                    ))
                })?;
                // The snapshot is gone: building holds no transaction at all.
                file_messages(&self.catalog, &job, &data, &files)
            }
            ReportJobKind::CentreTable => {
                let data = self.store.read(|view| {
                    ReportData::gather(view, &self.catalog, None, job.period, job.lang)
                })?;
                centre_table_messages(&self.catalog, &job, &data)
            }
            ReportJobKind::Silent { days, today } => {
                vec![self.silent_message(&job, *days, *today)?]
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
        // The files go to the spool, written and synced on this (low-priority) thread
        // before the commit that queues their rows: the store thread then commits and
        // reads rows of a few hundred bytes, never the files themselves.
        let (messages, spooled) = self.spool_files(id, messages)?;
        let files = messages.len();
        // `Some((queued, built))` once the commit returned (`built`: how long the build
        // took before it), `None` when `go_on` stopped it first.
        let committed = (|| {
            // Encoded before the transaction (the rows are small now, but the writer is
            // still not held for it).
            let messages = messages
                .iter()
                .map(EncodedOutgoing::new)
                .collect::<Result<Vec<_>, _>>()?;
            if !go_on() {
                return Ok(None);
            }
            let built = started.elapsed();
            self.write(move |tx| tx.finish_report_job(id, &messages))
                .map(|queued| Some((queued, built)))
        })();
        // Unless a committed row now refers to them, the files go: nothing was committed
        // (the job stays and is built again), or the job was gone (finished already, or
        // dropped by `forget`).
        if !matches!(committed, Ok(Some((true, _)))) {
            self.unspool(&spooled);
        }
        let Some((queued, built)) = committed? else {
            return Ok(false);
        };
        if queued {
            self.wake();
        }
        tracing::info!(
            job = id,
            chat = job.chat,
            files,
            queued,
            built_ms = u64::try_from(built.as_millis()).unwrap_or(u64::MAX),
            commit_ms = u64::try_from((started.elapsed() - built).as_millis()).unwrap_or(u64::MAX),
            "report files queued"
        );
        Ok(true)
    }

    /// Writes the file of every message of job `id` to the store's spool (named after
    /// the job and the file's place, so a rebuild after a crash replaces its own files)
    /// and returns the messages referring to them, and the files written. Nothing is left
    /// in the spool when writing one fails.
    fn spool_files(
        &self,
        id: u64,
        messages: Vec<Outgoing>,
    ) -> Result<(Vec<Outgoing>, Vec<SpoolRef>), StoreError> {
        let spool = self.store.spool();
        let mut spooled = Vec::new();
        let mut out = Vec::with_capacity(messages.len());
        for (index, mut message) in messages.into_iter().enumerate() {
            if let OutOp::Document { body, .. } | OutOp::Photo { body, .. } = &mut message.op {
                if let FileBody::Inline(bytes) = body {
                    match spool.put(&format!("{id}-{index}"), bytes) {
                        Ok(reference) => {
                            spooled.push(reference.clone());
                            *body = FileBody::Spooled(reference);
                        }
                        Err(error) => {
                            self.unspool(&spooled);
                            return Err(StoreError::Spool(format!(
                                "{}: {error}",
                                spool.dir().display()
                            )));
                        }
                    }
                }
            }
            out.push(message);
        }
        Ok((out, spooled))
    }

    /// Deletes spooled files no committed row refers to; one that cannot be deleted is
    /// left for the sweep at the next start.
    fn unspool(&self, spooled: &[SpoolRef]) {
        for file in spooled {
            if let Err(error) = self.store.spool().remove(file) {
                tracing::warn!(file = %file.name, %error, "spool: cannot remove an unsent file");
            }
        }
    }

    /// `/silent`: the centres with members but no session in the last `days` days as of
    /// `today`, and the centres nobody has joined, read on a snapshot.
    fn silent_message(
        &self,
        job: &ReportJob,
        days: u32,
        today: chrono::NaiveDate,
    ) -> Result<Outgoing, StoreError> {
        let (centres, activity) = self.store.read(|view| {
            Ok((
                view.centres()?,
                Activity {
                    last_session: view.last_session_days()?,
                    members: view.member_counts()?,
                },
            ))
        })?;
        let silence = silent_centres(&centres, &activity, None, today, days);
        let html = render_silence(&self.catalog, &silence, COMMAND_SILENT_LINES, job.lang);
        Ok(Outgoing::reply(
            job.chat,
            Reply {
                html,
                keyboard: None,
            },
        ))
    }
}

/// The two parts of a report, built by two loops so that a table never waits for the
/// files of an earlier report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The table in the chat (read from the counters: at most about a second).
    Tables,
    /// The files, and the report document (they read every session of the period).
    Files,
}

impl Part {
    /// A short name for logs and thread names.
    pub fn name(self) -> &'static str {
        match self {
            Part::Tables => "tables",
            Part::Files => "files",
        }
    }

    /// Whether a waiting job (`None`: one that cannot be read) has this part to build.
    fn is_ready(self, job: Option<&ReportJob>) -> bool {
        match (self, job) {
            (Part::Tables, Some(job)) => match job.kind {
                ReportJobKind::Report { .. } => !job.table_sent,
                ReportJobKind::Silent { .. } => true,
                ReportJobKind::Document { .. } | ReportJobKind::CentreTable => false,
            },
            (Part::Tables, None) => false,
            // The files follow their table; the document and the centre × group table
            // have none; `/silent` is sent with the tables; an unreadable job is dropped
            // here.
            (Part::Files, Some(job)) => match job.kind {
                ReportJobKind::Report { .. } => job.table_sent,
                ReportJobKind::Document { .. } | ReportJobKind::CentreTable => true,
                ReportJobKind::Silent { .. } => false,
            },
            (Part::Files, None) => true,
        }
    }
}

/// The report in the chat: the table with the same period a year earlier under it, the
/// engine's buttons under that; for the roll-up, a second message with the centres (the
/// largest and the smallest) and the silent centres as of `today`, with the button for
/// the whole centre × group table under it.
fn table_messages(
    catalog: &Catalog,
    job: &ReportJob,
    data: &ReportData,
    (keyboard, centres_keyboard): (Option<Keyboard>, Option<Keyboard>),
    today: chrono::NaiveDate,
) -> Vec<Outgoing> {
    let lang = job.lang;
    let table = data.table(catalog, lang);
    let mut html = report::render_chat(catalog, &table, &data.name, job.period, lang);
    let comparison =
        report::compare::render_comparison(catalog, &data.comparison(catalog, lang), lang);
    // Telegram takes 4,096 characters a message: the comparison goes under the table
    // when both fit (always with the shipped dialogs), else right after it.
    let fits = html.chars().count() + comparison.chars().count() < MESSAGE_BUDGET;
    if fits && !comparison.is_empty() {
        html.push_str("\n\n");
        html.push_str(&comparison);
    }
    let mut messages = vec![Outgoing::reply(job.chat, Reply { html, keyboard })];
    if !fits && !comparison.is_empty() {
        messages.push(Outgoing::reply(
            job.chat,
            Reply {
                html: comparison,
                keyboard: None,
            },
        ));
    }
    if let Some(roll_up) = &data.roll_up {
        let silence = roll_up.silence(today, DEFAULT_SILENT_DAYS);
        let html = report::centres_chat::render_centres(
            catalog,
            &roll_up.table,
            &roll_up.last_year,
            &silence,
            lang,
        );
        messages.push(Outgoing::reply(
            job.chat,
            Reply {
                html,
                keyboard: centres_keyboard,
            },
        ));
    }
    messages
}

/// The centre × group table of every centre as files: the workbook (with the sheet that
/// compares with the same period a year earlier) and the CSV. A workbook that cannot be
/// built is a bug to log; the CSV still carries the table.
fn centre_table_messages(catalog: &Catalog, job: &ReportJob, data: &ReportData) -> Vec<Outgoing> {
    let Some(roll_up) = &data.roll_up else {
        return Vec::new();
    };
    let (period, lang) = (job.period, job.lang);
    let comparison = data.comparison(catalog, lang);
    let caption = catalog.render(
        "report.by_centre_caption",
        lang,
        &[(
            "period",
            &format!("{} – {}", format_date(period.from), format_date(period.to)),
        )],
    );
    let sheet = roll_up.sheet();
    let mut messages = Vec::with_capacity(2);
    match report::centre_table_xlsx(catalog, period, lang, &sheet, Some(&comparison)) {
        Ok(bytes) => messages.push(Outgoing {
            chat: job.chat,
            op: OutOp::Document {
                file_name: centre_table_name(period, "xlsx"),
                caption: Some(caption.clone()),
                body: FileBody::inline(bytes),
            },
        }),
        Err(error) => tracing::error!(%error, "centre table workbook could not be built"),
    }
    messages.push(Outgoing {
        chat: job.chat,
        op: OutOp::Document {
            file_name: centre_table_name(period, "csv"),
            caption: Some(caption),
            body: FileBody::inline(report::centres_csv(&sheet, lang)),
        },
    });
    messages
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
                file_name: files.chart_name.clone(),
                caption: Some(caption.clone()),
                body: FileBody::inline(chart),
            },
        });
    }
    for (file_name, bytes) in [(files.xlsx_name, files.xlsx), (files.csv_name, files.csv)] {
        // Telegram refuses a bot's file over 50 MB (a province's year of sessions as CSV
        // is about 120 MB): said instead of sent, so the supervisor knows where to get it.
        if bytes.len() > TELEGRAM_FILE_BYTES {
            let megabytes = (bytes.len() / 1_000_000).to_string();
            messages.push(Outgoing::reply(
                chat,
                Reply {
                    html: catalog.render(
                        "report.file_too_big",
                        job.lang,
                        &[("file", &file_name), ("megabytes", &megabytes)],
                    ),
                    keyboard: None,
                },
            ));
            continue;
        }
        messages.push(Outgoing {
            chat,
            op: OutOp::Document {
                file_name,
                caption: Some(caption.clone()),
                body: FileBody::inline(bytes),
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
        comparison: Some(&data.comparison(catalog, Lang::Vi)),
        centres_last_year: data.roll_up.as_ref().map(|r| &r.last_year),
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
            body: FileBody::inline(bytes),
        },
    }];
    if let Some(then) = then {
        messages.push(Outgoing::reply(job.chat, then.clone()));
    }
    messages
}
