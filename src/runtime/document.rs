//! The report document in the chat: built from the same report data as `/report`
//! (`ReportData::gather`, `report::build`) and the centre's stored texts, sent as a file
//! through the outbox like the spreadsheet.

use super::{Outcome, Runtime};
use crate::dialog::{Keyboard, Reply};
use crate::domain::{CentreId, ChatId, Lang, Now, Period};
use crate::format::{escape_html, format_date};
use crate::outgoing::{OutOp, Outgoing};
use crate::report;
use crate::store::{StoreError, Tx};

impl Runtime {
    /// Sends the document of `centre` (`None`: the roll-up) for `period`, then the edit
    /// button (`keyboard`) under a short message when the engine offers it.
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
        outcome: &mut Outcome,
    ) -> Result<(), StoreError> {
        // The document goes to the education office: its table is in Vietnamese whatever
        // the chat's language; the caption and messages follow the chat.
        let data = report::ReportData::gather(tx, &self.catalog, centre, period, Lang::Vi)?;
        let table = data.table(&self.catalog, Lang::Vi);
        let texts = tx.document_texts(centre)?;
        let built = report::docx(&report::DocxReport {
            catalog: &self.catalog,
            table: &table,
            centre_name: &data.name,
            period,
            texts: &texts,
            date: now.today,
            centres: data.centres.as_deref(),
            comparison: Some(&data.comparison(&self.catalog, Lang::Vi)),
        });
        let bytes = match built {
            Ok(bytes) => bytes,
            // A document that cannot be built is a bug to log; the director is told so
            // rather than waiting for a file that never comes.
            Err(error) => {
                tracing::error!(%error, "report document could not be built");
                outcome.replies.push(Outgoing::reply(
                    chat,
                    Reply {
                        html: self.catalog.text("document.failed", lang).to_owned(),
                        keyboard: None,
                    },
                ));
                return Ok(());
            }
        };
        let caption = self.catalog.render(
            "document.caption",
            lang,
            &[
                (
                    "period",
                    &format!("{} – {}", format_date(period.from), format_date(period.to)),
                ),
                ("centre", &escape_html(&data.name)),
            ],
        );
        outcome.replies.push(Outgoing {
            chat,
            op: OutOp::Document {
                file_name: report::docx_name(&data.name, period),
                caption: Some(caption),
                bytes,
            },
        });
        if let Some(keyboard) = keyboard {
            outcome.replies.push(Outgoing::reply(
                chat,
                Reply {
                    html: self.catalog.text("document.edit_hint", lang).to_owned(),
                    keyboard: Some(keyboard),
                },
            ));
        }
        Ok(())
    }
}
