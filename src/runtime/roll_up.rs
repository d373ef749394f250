//! The supervisor's roll-up extras: the centre × group table as files (the button under
//! the roll-up's centre list) and `/silent`.

use super::{Outcome, Runtime};
use crate::dialog::Reply;
use crate::domain::{ChatId, Lang, Now, Period};
use crate::format::format_date;
use crate::outgoing::{OutOp, Outgoing};
use crate::report;
use crate::report::centres_chat::{render_silence, COMMAND_SILENT_LINES};
use crate::report::names::centre_table_name;
use crate::report::silent::{silent_centres, Activity};
use crate::store::{StoreError, Tx};

impl Runtime {
    /// The centre × group table of `period` over every centre, as XLSX (with the sheet
    /// comparing with the same period a year earlier) and CSV.
    pub(super) fn centre_table(
        &self,
        tx: &mut Tx<'_>,
        chat: ChatId,
        period: Period,
        lang: Lang,
        outcome: &mut Outcome,
    ) -> Result<(), StoreError> {
        let data = report::ReportData::gather(tx, &self.catalog, None, period, lang)?;
        let Some(roll_up) = &data.roll_up else {
            return Ok(());
        };
        let comparison = data.comparison(&self.catalog, lang);
        let caption = self.catalog.render(
            "report.by_centre_caption",
            lang,
            &[(
                "period",
                &format!("{} – {}", format_date(period.from), format_date(period.to)),
            )],
        );
        let sheet = roll_up.sheet();
        match report::centre_table_xlsx(&self.catalog, period, lang, &sheet, Some(&comparison)) {
            Ok(bytes) => outcome.replies.push(Outgoing {
                chat,
                op: OutOp::Document {
                    file_name: centre_table_name(period, "xlsx"),
                    caption: Some(caption.clone()),
                    bytes,
                },
            }),
            // The CSV below still carries the table; a workbook that cannot be built is a
            // bug to log.
            Err(error) => tracing::error!(%error, "centre table workbook could not be built"),
        }
        outcome.replies.push(Outgoing {
            chat,
            op: OutOp::Document {
                file_name: centre_table_name(period, "csv"),
                caption: Some(caption),
                bytes: report::centres_csv(&sheet, lang),
            },
        });
        Ok(())
    }

    /// `/silent`: the centres with members but no session in the last `days` days, and
    /// the centres nobody has joined.
    pub(super) fn silent(
        &self,
        tx: &mut Tx<'_>,
        chat: ChatId,
        days: u32,
        lang: Lang,
        now: Now,
        outcome: &mut Outcome,
    ) -> Result<(), StoreError> {
        let activity = Activity {
            last_session: tx.last_session_days()?,
            members: tx.member_counts()?,
        };
        let silence = silent_centres(&tx.centres()?, &activity, None, now.today, days);
        let html = render_silence(&self.catalog, &silence, COMMAND_SILENT_LINES, lang);
        outcome.replies.push(Outgoing::reply(
            chat,
            Reply {
                html,
                keyboard: None,
            },
        ));
        Ok(())
    }
}
