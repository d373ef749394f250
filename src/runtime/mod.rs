//! Runs engine steps inside store transactions: the one place where an input, the dialog
//! state, the session records and the replies to send are committed together.
//!
//! Adapters (Telegram, the console) turn what they receive into an [`Event`] and hand a
//! batch of them to [`Runtime::handle`] inside one `Store::write`, so a batch costs one
//! fsync and either every effect of a step is stored or none is.

mod facts;

use crate::dialog::{self, Catalog, ChatState, Effect, Input, SavedInfo, Sender};
use crate::domain::{CentreId, ChatId, Lang, Now, Period, Totals};
use crate::outgoing::{OutOp, Outgoing};
use crate::report;
use crate::store::{StoreError, Tx};
use facts::TxFacts;
use std::sync::Arc;

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

/// What the runtime needs besides the store: the dialogs and the deployment's settings.
#[derive(Debug, Clone)]
pub struct Runtime {
    pub catalog: Arc<Catalog>,
    /// The centre everybody logs for until centres and roles exist.
    pub default_centre: CentreId,
}

impl Runtime {
    /// Handles one event inside `tx`: steps the engine, carries out its effects and stores
    /// the new chat state and the replies (as outbox rows). An error aborts the whole
    /// transaction, so the event stays unprocessed and is tried again.
    pub fn handle(&self, tx: &mut Tx<'_>, event: &Event, now: Now) -> Result<(), StoreError> {
        let state = tx.chat_state(event.chat)?.unwrap_or_default();
        let (state, effects) = self.step(tx, state, event, event.input.clone(), now)?;
        let mut notice = None;
        let mut replies = Vec::new();
        let mut pending = effects;
        let mut state = state;
        // Saving feeds one more input back into the engine; the loop is bounded because
        // `SessionSaved` never asks to save again.
        for _ in 0..2 {
            let mut follow_up = None;
            for effect in pending.drain(..) {
                match effect {
                    Effect::Reply(reply) => replies.push(Outgoing::reply(event.chat, reply)),
                    Effect::Notice(text) => notice = Some(text),
                    Effect::CloseButtons => {
                        if let Some(message_id) = event.callback.as_ref().and_then(|c| c.message_id)
                        {
                            replies.push(Outgoing {
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
                        follow_up = Some(Input::SessionSaved(SavedInfo {
                            session: record.id,
                            group: record.group.clone(),
                            period,
                            group_totals: per_group.get(&record.group).copied().unwrap_or_default(),
                            centre_totals,
                        }));
                    }
                    Effect::ShowTotals { centre } => {
                        let lang = self.lang_of(&state, &event.sender);
                        let period = Period::year_to_date(now.today);
                        let per_group = tx.group_totals(Some(centre), period)?;
                        let table = report::build(&self.catalog, &per_group, lang);
                        let html = report::render_totals(&self.catalog, &table, period, lang);
                        replies.push(Outgoing::reply(
                            event.chat,
                            dialog::Reply {
                                html,
                                keyboard: None,
                            },
                        ));
                    }
                    Effect::ShowReport { centre, period } => {
                        let lang = self.lang_of(&state, &event.sender);
                        let per_group = tx.group_totals(Some(centre), period)?;
                        let table = report::build(&self.catalog, &per_group, lang);
                        let name = tx.centre_name(centre)?.unwrap_or_default();
                        let html = report::render_chat(&self.catalog, &table, &name, period, lang);
                        replies.push(Outgoing::reply(
                            event.chat,
                            dialog::Reply {
                                html,
                                keyboard: None,
                            },
                        ));
                    }
                }
            }
            match follow_up {
                Some(input) => {
                    let (next, effects) = self.step(tx, state, event, input, now)?;
                    state = next;
                    pending = effects;
                }
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
                    notice,
                },
            })?;
        }
        for reply in &replies {
            tx.push_outgoing(reply)?;
        }
        Ok(())
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
        let centre = state
            .draft
            .as_ref()
            .map_or(self.default_centre, |d| d.centre);
        let result = dialog::step(
            &self.catalog,
            &facts,
            centre,
            state,
            &event.sender,
            input,
            now,
        );
        facts.into_result().map(|()| result)
    }

    fn lang_of(&self, state: &ChatState, sender: &Sender) -> Lang {
        state
            .lang
            .unwrap_or_else(|| Lang::from_telegram_hint(sender.language_hint.as_deref()))
    }
}
