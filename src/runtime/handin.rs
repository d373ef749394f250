//! Handing a report in: the hand-in is stored with the numbers of table III.2 (audited),
//! and every supervisor gets, in their private chat and language, a line saying who
//! handed what in, then exactly what `/report` and `/baocao` send: the table, the chart,
//! the spreadsheet, the CSV and the Word document. They are made by the same runtime
//! functions (`Runtime::report`, `Runtime::document`), so however those build their
//! files, a hand-in builds them the same way.
//!
//! And the other direction: a session change that made a hand-in "changed since handed
//! in" (marked by the store) is told to the director who handed it in, once, in the
//! transaction of the step that changed it.

use super::{Event, Outcome, Runtime};
use crate::dialog::callback::{self, Action};
use crate::dialog::{Button, Input, Keyboard, Reply};
use crate::domain::{CentreId, Lang, Now, Period, UserId};
use crate::format::escape_html;
use crate::outgoing::Outgoing;
use crate::report;
use crate::roles::Role;
use crate::store::{NewHandIn, StoreError, Tx};
use crate::submission::{local_text, period_text};
use chrono::{DateTime, NaiveDateTime, Utc};

impl Runtime {
    /// Hands in the report of `centre` for `period` by the event's sender (a director of
    /// it, who speaks `lang`: the engine checked) and sends it to every supervisor.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn hand_in(
        &self,
        tx: &mut Tx<'_>,
        event: &Event,
        centre: CentreId,
        period: Period,
        lang: Lang,
        now: Now,
        outcome: &mut Outcome,
    ) -> Result<Input, StoreError> {
        let data = report::ReportData::gather(tx, &self.catalog, Some(centre), period, Lang::Vi)?;
        let director = event.sender.user;
        let name = tx
            .members(centre)?
            .into_iter()
            .find(|m| m.user == director)
            .map(|m| m.name)
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| event.sender.name.clone());
        let superseded = tx.latest_handin(centre, period)?.is_some();
        let handin = tx.hand_in(NewHandIn {
            centre,
            centre_name: data.name.clone(),
            period,
            user: director,
            name,
            at: now.at,
            local_at: self.local(now.at),
            totals: data.per_group.clone(),
            lang,
        })?;
        let supervisors = tx.supervisors()?;
        for (supervisor, _) in &supervisors {
            let lang = user_lang(tx, *supervisor)?;
            let html = self.catalog.render(
                "handin.received",
                lang,
                &[
                    ("centre", &escape_html(&handin.centre_name)),
                    ("period", &period_text(period)),
                    ("name", &escape_html(&handin.person())),
                    ("at", &local_text(handin.local_at)),
                ],
            );
            outcome.replies.push(Outgoing::reply(
                *supervisor,
                Reply {
                    html,
                    keyboard: None,
                },
            ));
            self.report(
                tx,
                *supervisor,
                Some(centre),
                (period, None, None),
                lang,
                now,
            )?;
            self.document(tx, *supervisor, Some(centre), period, None, lang, now)?;
        }
        Ok(Input::HandedIn {
            centre_name: handin.centre_name,
            period,
            recipients: supervisors.len(),
            superseded,
        })
    }

    /// Tells the director of each hand-in that became "changed since handed in" during
    /// this step (the store queued them), once, with a button to hand it in again. When
    /// the person who handed it in no longer directs the centre, its directors are told.
    pub(super) fn tell_changed_handins(
        &self,
        tx: &mut Tx<'_>,
        now: Now,
        outcome: &mut Outcome,
    ) -> Result<(), StoreError> {
        for handin in tx.take_handin_notices(self.local(now.at))? {
            let directors: Vec<UserId> = tx
                .members(handin.centre)?
                .into_iter()
                .filter(|m| m.role == Role::Director)
                .map(|m| m.user)
                .collect();
            let recipients = if directors.contains(&handin.user) {
                vec![handin.user]
            } else {
                directors
            };
            let centre = tx
                .centre_name(handin.centre)?
                .unwrap_or_else(|| handin.centre_name.clone());
            for user in recipients {
                // Who handed it in hears it in the language they used then, unless they
                // chose one since; other directors in theirs.
                let chosen = tx.chat_state(user)?.and_then(|state| state.lang);
                let lang = match chosen {
                    Some(lang) => lang,
                    None if user == handin.user => handin.lang,
                    None => Lang::default(),
                };
                let html = self.catalog.render(
                    "handin.changed",
                    lang,
                    &[
                        ("centre", &escape_html(&centre)),
                        ("period", &period_text(handin.period)),
                        ("at", &local_text(handin.local_at)),
                    ],
                );
                let again = Button {
                    label: self.catalog.text("handin.again_button", lang).to_owned(),
                    // Handled before the chat's stamp is checked, like the button under
                    // a report, so any stamp does.
                    data: callback::encode(
                        0,
                        &Action::HandIn {
                            centre: handin.centre,
                            period: handin.period,
                        },
                    ),
                };
                outcome.replies.push(Outgoing::reply(
                    user,
                    Reply {
                        html,
                        keyboard: Some(Keyboard::Inline(vec![vec![again]])),
                    },
                ));
            }
        }
        Ok(())
    }

    /// `at` on the clock of the bot's zone.
    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.zone).naive_local()
    }
}

/// The language `user` chose with `/lang`; Vietnamese when they never did (the language
/// Telegram reports is known only while they write).
fn user_lang(tx: &Tx<'_>, user: UserId) -> Result<Lang, StoreError> {
    Ok(tx
        .chat_state(user)?
        .and_then(|state| state.lang)
        .unwrap_or_default())
}
