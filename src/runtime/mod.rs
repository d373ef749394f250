//! Runs engine steps inside store transactions: the one place where an input, the dialog
//! state, the records it changes and the replies to send are committed together.
//!
//! Adapters (Telegram, the console) turn what they receive into an [`Event`] and hand a
//! batch of them to [`Runtime::handle`] inside one `Store::write`, so a batch costs one
//! fsync and either every effect of a step is stored or none is.

mod facts;
mod invite_code;

use crate::dialog::{self, Catalog, ChatState, Effect, Input, Reply, SavedInfo, Sender};
use crate::domain::{CentreId, ChatId, Lang, Now, Period, Totals};
use crate::outgoing::{OutOp, Outgoing};
use crate::report;
use crate::store::invites::InviteRecord;
use crate::store::{DeadlineRecord, ReminderRecord, StoreError, Tx};
use facts::TxFacts;
use std::sync::Arc;

/// How long an invitation stays valid.
pub const INVITE_DAYS: i64 = 7;

/// One thing that happened in a chat, stripped of the adapter's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub chat: ChatId,
    pub sender: Sender,
    pub input: Input,
    /// Set when the input is a pressed button: the query to answer and the message it was on.
    pub callback: Option<Callback>,
}

/// The callback query behind a pressed button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub id: String,
    pub message_id: Option<i32>,
}

/// What the runtime needs besides the store: the dialogs and the bot's identity.
#[derive(Debug, Clone)]
pub struct Runtime {
    pub catalog: Arc<Catalog>,
    /// The bot's username, for `t.me/<bot>?start=<code>` links (unknown in the console).
    pub bot_username: Option<String>,
    /// The zone new reminders keep their time of day in.
    pub zone: chrono_tz::Tz,
}

/// What one event produces besides the stored state.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    replies: Vec<Outgoing>,
}

impl Runtime {
    /// Handles one event inside `tx`: steps the engine, carries out its effects and stores
    /// the new chat state and the replies (as outbox rows). An error aborts the whole
    /// transaction, so the event stays unprocessed and is tried again.
    pub fn handle(&self, tx: &mut Tx<'_>, event: &Event, now: Now) -> Result<(), StoreError> {
        if event.sender.private {
            tx.fill_member_name(event.sender.user, &event.sender.name)?;
        }
        let state = tx.chat_state(event.chat)?.unwrap_or_default();
        let (mut state, mut effects) = self.step(tx, state, event, event.input.clone(), now)?;
        let mut outcome = Outcome::default();
        // Some effects feed one more input back into the engine (a saved session, a new
        // invitation); those inputs never ask for another such effect, so two rounds suffice.
        for _ in 0..2 {
            let mut follow_up = None;
            for effect in effects.drain(..) {
                if let Some(input) = self.apply(tx, event, &state, effect, now, &mut outcome)? {
                    follow_up = Some(input);
                }
            }
            match follow_up {
                Some(input) => (state, effects) = self.step(tx, state, event, input, now)?,
                None => break,
            }
        }
        tx.set_chat_state(event.chat, &state)?;
        // The button's spinner stops first, before any reply, so it is answered even when
        // the replies wait for the rate limit.
        if let Some(callback) = &event.callback {
            tx.push_outgoing(&Outgoing {
                chat: event.chat,
                op: OutOp::AnswerButton {
                    callback_id: callback.id.clone(),
                    notice: outcome.notice,
                },
            })?;
        }
        for reply in &outcome.replies {
            tx.push_outgoing(reply)?;
        }
        Ok(())
    }

    /// Carries out one effect; returns the input to feed back to the engine, if any.
    fn apply(
        &self,
        tx: &mut Tx<'_>,
        event: &Event,
        state: &ChatState,
        effect: Effect,
        now: Now,
        outcome: &mut Outcome,
    ) -> Result<Option<Input>, StoreError> {
        let lang = lang_of(state, &event.sender);
        let mut reply = |html: String| {
            outcome.replies.push(Outgoing::reply(
                event.chat,
                Reply {
                    html,
                    keyboard: None,
                },
            ));
        };
        match effect {
            Effect::Reply(message) => outcome.replies.push(Outgoing::reply(event.chat, message)),
            Effect::Notice(text) => outcome.notice = Some(text),
            Effect::CloseButtons => {
                if let Some(message_id) = event.callback.as_ref().and_then(|c| c.message_id) {
                    outcome.replies.push(Outgoing {
                        chat: event.chat,
                        op: OutOp::CloseButtons { message_id },
                    });
                }
            }
            Effect::SaveSession(session) => {
                let record = tx.save_session(&session)?;
                let period = Period::year_to_date(now.today);
                let per_group = tx.group_totals(Some(record.centre), period)?;
                let centre_totals = per_group
                    .values()
                    .fold(Totals::default(), |sum, t| sum + *t);
                return Ok(Some(Input::SessionSaved(SavedInfo {
                    session: record.id,
                    group: record.group.clone(),
                    period,
                    group_totals: per_group.get(&record.group).copied().unwrap_or_default(),
                    centre_totals,
                })));
            }
            Effect::ShowTotals { centre } => {
                let period = Period::year_to_date(now.today);
                let per_group = tx.group_totals(centre, period)?;
                let table = report::build(&self.catalog, &per_group, lang);
                reply(report::render_totals(&self.catalog, &table, period, lang));
            }
            Effect::ShowReport { centre, period } => {
                reply(self.report_text(tx, centre, period, lang)?);
            }
            Effect::CreateInvite {
                role,
                centre,
                new_centre,
            } => {
                let centre = match new_centre {
                    Some(name) => Some(tx.ensure_centre(&name)?),
                    None => centre,
                };
                let code = invite_code::new_code()
                    .map_err(|e| StoreError::Db(format!("no random source for codes: {e}")))?;
                tx.create_invite(
                    &code,
                    &InviteRecord {
                        role,
                        centre,
                        created_by: event.sender.user,
                        created_at: now.at,
                        expires_at: now.at + chrono::Duration::days(INVITE_DAYS),
                        uses_left: 1,
                        revoked: false,
                        used_by: Vec::new(),
                    },
                )?;
                let centre_name = centre.map(|c| tx.centre_name(c)).transpose()?.flatten();
                let link = self
                    .bot_username
                    .as_ref()
                    .map(|bot| format!("https://t.me/{bot}?start={code}"));
                return Ok(Some(Input::InviteCreated {
                    code,
                    link,
                    role,
                    centre_name,
                    days: INVITE_DAYS,
                }));
            }
            Effect::RedeemInvite { code } => {
                let result =
                    tx.redeem_invite(&code, event.sender.user, &event.sender.name, now.at)?;
                let result = match result {
                    Ok((role, centre)) => {
                        let name = centre.map(|c| tx.centre_name(c)).transpose()?.flatten();
                        Ok((role, name))
                    }
                    Err(problem) => Err(problem),
                };
                return Ok(Some(Input::InviteRedeemed(result)));
            }
            Effect::RevokeInvite { code } => {
                tx.revoke_invite(&code, event.sender.user, now.at)?;
            }
            Effect::RemoveMember { centre, user } => {
                tx.remove_member(centre, user, event.sender.user, now.at)?;
            }
            Effect::LinkGroup { chat, centre } => {
                tx.link_group(chat, centre, event.sender.user, now.at)?;
            }
            Effect::SetReminder {
                chat,
                centre,
                schedule,
                audience,
            } => {
                tx.add_reminder(
                    chat,
                    &ReminderRecord {
                        centre,
                        schedule,
                        audience,
                        zone: self.zone.name().to_owned(),
                        created_by: event.sender.user,
                        created_at: now.at,
                        last: now.at,
                    },
                )?;
            }
            Effect::RemoveReminders { chat } => {
                tx.remove_reminders(chat, event.sender.user, now.at)?;
            }
            Effect::SetMuted(muted) => tx.set_muted(event.sender.user, muted)?,
            Effect::SetDeadline { centre, timing } => match timing {
                Some(timing) => tx.set_deadline(
                    centre,
                    &DeadlineRecord {
                        timing,
                        zone: self.zone.name().to_owned(),
                        set_by: event.sender.user,
                        set_at: now.at,
                        last: now.at,
                    },
                )?,
                None => {
                    tx.remove_deadline(centre, event.sender.user, now.at)?;
                }
            },
        }
        Ok(None)
    }

    /// The chat report of one centre, or the roll-up of every centre with a line per centre.
    fn report_text(
        &self,
        tx: &mut Tx<'_>,
        centre: Option<CentreId>,
        period: Period,
        lang: Lang,
    ) -> Result<String, StoreError> {
        let per_group = tx.group_totals(centre, period)?;
        let table = report::build(&self.catalog, &per_group, lang);
        let name = match centre {
            Some(centre) => tx.centre_name(centre)?.unwrap_or_default(),
            None => self.catalog.text("access.all_centres", lang).to_owned(),
        };
        let mut html = report::render_chat(&self.catalog, &table, &name, period, lang);
        if centre.is_none() {
            let mut lines = Vec::new();
            for (id, centre_name) in tx.centres()? {
                let totals = tx
                    .group_totals(Some(id), period)?
                    .values()
                    .fold(Totals::default(), |sum, t| sum + *t);
                lines.push(report::render_centre_line(
                    &self.catalog,
                    &centre_name,
                    totals,
                    lang,
                ));
            }
            if !lines.is_empty() {
                html.push_str("\n\n");
                html.push_str(&lines.join("\n"));
            }
        }
        Ok(html)
    }

    /// One engine step with the transaction as the engine's source of facts.
    fn step(
        &self,
        tx: &mut Tx<'_>,
        state: ChatState,
        event: &Event,
        input: Input,
        now: Now,
    ) -> Result<(ChatState, Vec<Effect>), StoreError> {
        let facts = TxFacts::new(tx);
        let result = dialog::step(&self.catalog, &facts, state, &event.sender, input, now);
        facts.into_result().map(|()| result)
    }
}

fn lang_of(state: &ChatState, sender: &Sender) -> Lang {
    state
        .lang
        .unwrap_or_else(|| Lang::from_telegram_hint(sender.language_hint.as_deref()))
}
