//! Report files waiting to be built, so that no report file is built under the writer.
//!
//! The step that answers a report (`/report`, `/baocao`) commits the table in the chat and
//! a job in its own transaction (`queue_report_job`); a worker reads the job and builds
//! the files from a read snapshot, then removes the job and queues the files in one short
//! transaction (`finish_report_job`). A crash before that commit leaves the job, which is
//! built again; after it, the job is gone and the outbox delivers the files (at least once,
//! like every reply). A commit that queued a job is announced to the worker
//! (`Store::report_jobs_queued`).

use super::codec::{decode, encode};
use super::tables::{meta_keys, REPORT_JOBS};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::dialog::Reply;
use crate::domain::{CentreId, ChatId, Lang, Period};
use crate::outgoing::Outgoing;
use chrono::{DateTime, NaiveDate, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

/// One report's files to build and send to `chat`.
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
}

/// Which files a job builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportJobKind {
    /// The chart, the spreadsheet and the CSV that follow the report's table in the chat.
    Files,
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
    ///
    /// The same files asked again by the same chat while they wait to be built (a double
    /// tap, an impatient "this year" pressed again) are built once: the waiting job's id
    /// is returned and nothing is stored. A document job is always stored, since its edit
    /// button carries the newer dialog stamp.
    pub fn queue_report_job(&mut self, job: &ReportJob) -> Result<u64, StoreError> {
        if job.kind == ReportJobKind::Files {
            let same = self
                .report_jobs(usize::MAX)?
                .into_iter()
                .find(|(_, waiting)| {
                    waiting.as_ref().is_some_and(|w| {
                        (w.chat, w.centre, w.period, w.lang, &w.kind)
                            == (job.chat, job.centre, job.period, job.lang, &job.kind)
                    })
                });
            if let Some((id, _)) = same {
                return Ok(id);
            }
        }
        let id = meta::next_id(self.txn, meta_keys::NEXT_REPORT_JOB)?;
        let bytes = encode(job)?;
        self.txn
            .open_table(REPORT_JOBS)?
            .insert(id, bytes.as_slice())?;
        self.queued_report_job = true;
        Ok(id)
    }

    /// Removes job `id` and queues `messages` (its files) in the outbox, in this one
    /// transaction. Returns false, queueing nothing, when the job is no longer there
    /// (finished already), so a job's files are queued once.
    pub fn finish_report_job(
        &mut self,
        id: u64,
        messages: &[Outgoing],
    ) -> Result<bool, StoreError> {
        if self.txn.open_table(REPORT_JOBS)?.remove(id)?.is_none() {
            return Ok(false);
        }
        for message in messages {
            self.push_outgoing(message)?;
        }
        Ok(true)
    }
}
