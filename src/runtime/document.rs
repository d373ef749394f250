//! The report document in the chat (`/baocao`): the step queues a job, and the report
//! worker builds the document from the same report data as `/report`
//! (`ReportData::gather`, `report::build`) and the centre's stored texts, and sends it as a
//! file through the outbox like the spreadsheet (`report_jobs.rs`).

use super::Runtime;
use crate::dialog::{Keyboard, Reply};
use crate::domain::{CentreId, ChatId, Lang, Now, Period};
use crate::store::{ReportJob, ReportJobKind, StoreError, Tx};

impl Runtime {
    /// Asks for the document of `centre` (`None`: the roll-up) for `period`, dated today,
    /// followed by the edit button (`keyboard`) under a short message when the engine
    /// offers it. Nothing is sent by the step itself: the document comes first.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn document(
        &self,
        tx: &mut Tx<'_>,
        chat: ChatId,
        centre: Option<CentreId>,
        period: Period,
        keyboard: Option<Keyboard>,
        lang: Lang,
        now: Now,
    ) -> Result<(), StoreError> {
        let then = keyboard.map(|keyboard| Reply {
            html: self.catalog.text("document.edit_hint", lang).to_owned(),
            keyboard: Some(keyboard),
        });
        tx.queue_report_job(&ReportJob {
            chat,
            centre,
            period,
            lang,
            kind: ReportJobKind::Document {
                date: now.today,
                then,
            },
            created_at: now.at,
            table_sent: false,
        })?;
        Ok(())
    }
}
