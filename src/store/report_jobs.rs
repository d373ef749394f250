//! Reports waiting to be built, so that no report is built under the writer.
//!
//! The step that answers a report (`/report`, `/baocao`) commits a job in its own
//! transaction (`queue_report_job`) and nothing else of the report. A worker reads the
//! job's figures on a read snapshot and queues the table in the chat in one short
//! transaction (`queue_report_table`, which marks the job), then builds the files with no
//! transaction open and, in one more short transaction, removes the job and queues the
//! files (`finish_report_job`). A crash before a commit leaves the job as it was, and that
//! part is built again; after it, the part is in the outbox and is not queued twice; the
//! outbox delivers it at least once, like every reply. A commit that queued a job is
//! announced to the worker (`Store::report_jobs_queued`).

use super::codec::{decode, encode};
use super::tables::{meta_keys, REPORT_JOBS};
use super::view::{Source, View};
use super::{meta, EncodedOutgoing, StoreError, Tx};
use crate::dialog::{Keyboard, Reply};
use crate::domain::{CentreId, ChatId, Lang, Period};
use crate::outgoing::Outgoing;
use chrono::{DateTime, NaiveDate, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

/// One report to build and send to `chat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportJob {
    pub chat: ChatId,
    /// The centre reported on; `None`: the roll-up of every centre.
    pub centre: Option<CentreId>,
    pub period: Period,
    /// The language of the files and captions.
    pub lang: Lang,
    pub kind: ReportJobKind,
    /// When the step asked for it.
    pub created_at: DateTime<Utc>,
    /// Whether the report's table is queued already (`queue_report_table`): after a
    /// crash, only the files are left to build.
    #[serde(default)]
    pub table_sent: bool,
}

/// What a job builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportJobKind {
    /// The report's table in the chat, with `keyboard` (the engine's period and document
    /// buttons) under it, then its chart, spreadsheet and CSV. For the roll-up, the
    /// centres and the silent centres as of `today` follow the table, with
    /// `centres_keyboard` (the button for the centre × group table) under them.
    Report {
        keyboard: Option<Keyboard>,
        /// Absent in jobs queued by an older rollcall.
        #[serde(default)]
        centres_keyboard: Option<Keyboard>,
        /// The day the report was asked for (absent in older jobs: the day of
        /// `created_at`).
        #[serde(default)]
        today: Option<NaiveDate>,
    },
    /// The centre × group table of every centre as files (XLSX with the comparison with
    /// the same period a year earlier, and CSV): the button under the roll-up's centres.
    CentreTable,
    /// `/silent`: the centres with members and no session in the last `days` days as of
    /// `today`, and the centres without members; one message, sent with the tables.
    Silent { days: u32, today: NaiveDate },
    /// The report document (Word), dated `date`, then `then` (the edit button under a
    /// short message) when the step offered it.
    Document {
        date: NaiveDate,
        then: Option<Reply>,
    },
}

impl<S: Source> View<S> {
    /// Up to `limit` waiting jobs, oldest first. A job that cannot be read (written by a
    /// newer rollcall, or damaged) comes as `None`, for the worker to drop.
    pub fn report_jobs(&self, limit: usize) -> Result<Vec<(u64, Option<ReportJob>)>, StoreError> {
        let table = self.table(REPORT_JOBS)?;
        let mut jobs = Vec::new();
        for entry in table.iter()?.take(limit) {
            let (id, bytes) = entry?;
            jobs.push((id.value(), decode(bytes.value()).ok()));
        }
        Ok(jobs)
    }
}

impl Tx<'_> {
    /// Stores a job; returns its id. The worker is told once the transaction commits.
    pub fn queue_report_job(&mut self, job: &ReportJob) -> Result<u64, StoreError> {
        let id = meta::next_id(self.txn, meta_keys::NEXT_REPORT_JOB)?;
        let bytes = encode(job)?;
        self.txn
            .open_table(REPORT_JOBS)?
            .insert(id, bytes.as_slice())?;
        self.report_work_queued = true;
        Ok(id)
    }

    /// Queues `table` (the report of job `id` in the chat: the table, and for the roll-up
    /// the centres after it) and marks the job so, in this one transaction. Returns false, queueing nothing, when the job is gone or its table
    /// was queued already, so a table is queued once.
    ///
    /// The worker that builds the files is told once the transaction commits.
    pub fn queue_report_table(&mut self, id: u64, table: &[Outgoing]) -> Result<bool, StoreError> {
        let job = {
            let jobs = self.txn.open_table(REPORT_JOBS)?;
            let stored = jobs.get(id)?;
            match stored {
                Some(bytes) => decode::<ReportJob>(bytes.value())?,
                None => return Ok(false),
            }
        };
        if job.table_sent {
            return Ok(false);
        }
        let bytes = encode(&ReportJob {
            table_sent: true,
            ..job
        })?;
        self.txn
            .open_table(REPORT_JOBS)?
            .insert(id, bytes.as_slice())?;
        for message in table {
            self.push_outgoing(message)?;
        }
        self.report_work_queued = true;
        Ok(true)
    }

    /// Removes job `id` and queues `messages` (its files) in the outbox, in this one
    /// transaction. Returns false, queueing nothing, when the job is no longer there
    /// (finished already), so a job's files are queued once.
    pub fn finish_report_job(
        &mut self,
        id: u64,
        messages: &[EncodedOutgoing],
    ) -> Result<bool, StoreError> {
        if self.txn.open_table(REPORT_JOBS)?.remove(id)?.is_none() {
            return Ok(false);
        }
        for message in messages {
            self.push_encoded(message)?;
        }
        Ok(true)
    }

    /// Drops the waiting reports addressed to `chat` (a person erased by `forget_user`:
    /// their private chat). A job that cannot be read is left for the worker to drop.
    /// Returns how many were dropped.
    pub fn drop_report_jobs_to(&mut self, chat: ChatId) -> Result<u64, StoreError> {
        let mut theirs = Vec::new();
        for entry in self.txn.open_table(REPORT_JOBS)?.iter()? {
            let (id, bytes) = entry?;
            if decode::<ReportJob>(bytes.value()).is_ok_and(|job| job.chat == chat) {
                theirs.push(id.value());
            }
        }
        let mut table = self.txn.open_table(REPORT_JOBS)?;
        for id in &theirs {
            table.remove(*id)?;
        }
        Ok(theirs.len() as u64)
    }
}
