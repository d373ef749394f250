//! Runs engine steps inside store transactions: the one place where an input, the dialog
//! state, the records it changes and the replies to send are committed together.
//!
//! Adapters (Telegram, the console) turn what they receive into an [`Event`] and hand a
//! batch of them to [`Runtime::handle`] inside one `Store::write`, so a batch costs one
//! fsync and either every effect of a step is stored or none is.

mod document;
mod facts;
pub mod follow_up;
mod handin;
pub mod import;
mod invite_code;
pub mod nudges;
pub mod report_jobs;

pub use nudges::fire_due_nudges;
pub use report_jobs::ReportWorker;

use crate::dialog::{self, Catalog, ChatState, Effect, Input, Reply, SavedInfo, Sender};
use crate::domain::{CentreId, ChatId, EntryRules, Lang, Now, Period, Totals, UserId, YearStart};
use crate::outgoing::{FileBody, OutOp, Outgoing};
use crate::report;
use crate::store::invites::InviteRecord;
use crate::store::{
    DeadlineRecord, ReminderRecord, ReportJob, ReportJobKind, SessionChanges, StoreError,
    StoredChat, Tx,
};
pub use facts::StoreFacts;
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
    /// When the user sent it (Telegram's `date` of the message), when known. "Today" of a
    /// message is the day it was *sent*: after downtime across midnight, a session typed
    /// at 23:59 still belongs to that day. Buttons carry no such date.
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The callback query behind a pressed button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub id: String,
    pub message_id: Option<i32>,
}

/// What the runtime needs besides the store: the dialogs, the bot's identity and the
/// settings that shape its answers.
#[derive(Debug, Clone)]
pub struct Runtime {
    pub catalog: Arc<Catalog>,
    /// The bot's username, for `t.me/<bot>?start=<code>` links (unknown in the console).
    pub bot_username: Option<String>,
    /// The zone new reminders keep their time of day in.
    pub zone: chrono_tz::Tz,
    /// The first day of the reporting year (`period_start`): the running totals and the
    /// report's default period start there. The engine learns it through `Facts`.
    pub year_start: YearStart,
    /// Draft expiry, dates to confirm, the nudge (the `[entry]` settings).
    pub entry: EntryRules,
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
        let now = self.user_now(event, now);
        if event.sender.private && !event.sender.name.is_empty() {
            tx.fill_member_name(event.sender.user, &event.sender.name)?;
        }
        let mut outcome = Outcome::default();
        let state = match tx.read_chat_state(event.chat)? {
            StoredChat::Known(state) => *state,
            StoredChat::New => ChatState::default(),
            StoredChat::Unreadable { reason } => {
                // Failing here would fail every later update of this chat too: the chat
                // starts again from the beginning instead, and the person is told why a
                // draft they may have had is gone.
                tracing::warn!(chat = event.chat, %reason, "chat state unreadable; starting the chat again");
                let state = ChatState::default();
                let lang = lang_of(&state, &event.sender);
                outcome.replies.push(Outgoing::reply(
                    event.chat,
                    Reply {
                        html: self.catalog.text("dialog.state_reset", lang).to_owned(),
                        keyboard: None,
                    },
                ));
                state
            }
        };
        let (state, effects) = self.step(tx, state, event, event.input.clone(), now)?;
        // Some effects feed one more input back into the engine (a saved session, a new
        // invitation); the loop carries out every round's effects until none asks for more,
        // and refuses (aborting the transaction) rather than drop any.
        let state = follow_up::follow_through(
            tx,
            state,
            effects,
            follow_up::MAX_FOLLOW_UPS,
            |tx, state, effect| self.apply(tx, event, state, effect, now, &mut outcome),
            |tx, state, input| self.step(tx, state, event, input, now),
            |bound| {
                tracing::error!(
                    chat = event.chat,
                    bound,
                    "the engine asked for follow-ups without end"
                );
                StoreError::Db(format!(
                    "more than {bound} follow-up rounds for one event: effects refused"
                ))
            },
        )?;
        // Sessions this step changed may have changed reports already handed in.
        self.tell_changed_handins(tx, now, &mut outcome)?;
        tx.set_chat_state_at(event.chat, &state, now.at)?;
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
                return self.saved_info(tx, &record, false, now).map(Some);
            }
            Effect::SaveSessions(sessions) => {
                let mut saved = Vec::with_capacity(sessions.len());
                let mut last = None;
                for session in &sessions {
                    let record = tx.save_session(session)?;
                    saved.push(record.id);
                    last = Some(record);
                }
                let Some(last) = last else {
                    return Ok(None);
                };
                let Input::SessionSaved(info) = self.saved_info(tx, &last, false, now)? else {
                    return Ok(None);
                };
                return Ok(Some(Input::SessionsSaved {
                    sessions: saved,
                    info,
                }));
            }
            Effect::NudgeAt(at) => {
                if event.sender.private {
                    tx.schedule_nudge(event.chat, at, event.sender.language_hint.as_deref())?;
                }
            }
            Effect::ShowTotals { centre } => {
                let period = Period::reporting_year_to_date(self.year_start, now.today);
                let per_group = tx.group_totals(centre, period)?;
                let table = report::build(&self.catalog, &per_group, lang);
                reply(report::render_totals(&self.catalog, &table, period, lang));
            }
            Effect::ShowReport {
                centre,
                period,
                keyboard,
                centres_keyboard,
            } => self.report(
                tx,
                event.chat,
                centre,
                (period, keyboard, centres_keyboard),
                lang,
                now,
            )?,
            Effect::ShowCentreTable { period } => self.queue_job(
                tx,
                event.chat,
                None,
                period,
                lang,
                now,
                ReportJobKind::CentreTable,
            )?,
            Effect::ShowSilent { days } => self.queue_job(
                tx,
                event.chat,
                None,
                Period::reporting_year_to_date(self.year_start, now.today),
                lang,
                now,
                ReportJobKind::Silent {
                    days,
                    today: now.today,
                },
            )?,
            Effect::ShowDocument {
                centre,
                period,
                keyboard,
            } => self.document(tx, event.chat, centre, period, keyboard, lang, now)?,
            Effect::SetDocumentPart { centre, part, text } => {
                tx.set_document_part(centre, part, &text, event.sender.user, now.at)?;
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
                let result = with_menu_update(tx, event.sender.user, |tx| {
                    tx.redeem_invite(&code, event.sender.user, &event.sender.name, now.at)
                })?;
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
                with_menu_update(tx, user, |tx| {
                    tx.remove_member(centre, user, event.sender.user, now.at)
                })?;
                // Their open draft for that centre goes with their membership, so it can
                // never be saved (their private chat's id is their user id). The remover's
                // own chat state is written at the end of this step instead.
                if user != event.chat {
                    if let Some(mut state) = tx.chat_state(user)? {
                        let mut changed = false;
                        if state.draft.as_ref().is_some_and(|d| d.centre == centre) {
                            state.draft = None;
                            changed = true;
                        }
                        if state.batch.as_ref().is_some_and(|b| b.centre == centre) {
                            state.batch = None;
                            changed = true;
                        }
                        if changed {
                            state.held = None;
                            tx.set_chat_state(user, &state)?;
                        }
                    }
                }
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
            Effect::UpdateSession { id, session } => {
                let changes = SessionChanges {
                    group: Some(session.group.clone()),
                    class: Some(session.class.clone()),
                    date: Some(session.date),
                    total: Some(session.total),
                    female: Some(session.female),
                    extra: Some(session.extra.clone()),
                };
                let Some(edited) = tx.update_session(id, &changes)? else {
                    return Ok(None);
                };
                tx.audit(
                    now.at,
                    event.sender.user,
                    Some(edited.after.centre),
                    "session_edited",
                    Some(&edited.before),
                    Some(&edited.after),
                )?;
                return self.saved_info(tx, &edited.after, true, now).map(Some);
            }
            Effect::DeleteSession { id } => {
                if let Some(record) = tx.delete_session(id, now.at)? {
                    tx.audit::<_, ()>(
                        now.at,
                        event.sender.user,
                        Some(record.centre),
                        "session_deleted",
                        Some(&record),
                        None,
                    )?;
                }
            }
            Effect::RestoreSession { id } => {
                if let Some(record) = tx.restore_session(id, now.at)? {
                    tx.audit::<(), _>(
                        now.at,
                        event.sender.user,
                        Some(record.centre),
                        "session_restored",
                        None,
                        Some(&record),
                    )?;
                }
            }
            Effect::RenameClass { class, name, key } => {
                tx.rename_class(class, &name, &key, event.sender.user, now.at)?;
            }
            Effect::MergeClasses { from, into } => {
                tx.merge_classes(from, into, event.sender.user, now.at)?;
            }
            Effect::HandIn { centre, period } => {
                return self
                    .hand_in(tx, event, centre, period, lang, now, outcome)
                    .map(Some);
            }
            Effect::RenameCentre { centre, name } => {
                tx.rename_centre(centre, &name, event.sender.user, now.at)?;
            }
            Effect::MergeCentres { from, into } => {
                tx.merge_centres(from, into, event.sender.user, now.at)?;
            }
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
            Effect::NoSessionDay { centre, user, day } => {
                tx.record_no_session(centre, user, day, now.at)?;
            }
            Effect::ImportSessions {
                centre,
                file_name,
                sessions,
            } => {
                let saved =
                    tx.import_sessions(centre, &file_name, &sessions, event.sender.user, now.at)?;
                return Ok(Some(Input::SessionsImported {
                    centre,
                    sessions: saved.iter().map(|record| record.id).collect(),
                }));
            }
            Effect::SendTemplate => {
                match report::import_template(&self.catalog, lang, now.today) {
                    Ok(bytes) => outcome.replies.push(Outgoing {
                        chat: event.chat,
                        op: OutOp::Document {
                            file_name: report::template_name(lang).to_owned(),
                            caption: Some(
                                self.catalog
                                    .text("import.template_caption", lang)
                                    .to_owned(),
                            ),
                            body: FileBody::inline(bytes),
                        },
                    }),
                    // The how-to was said; a file that cannot be built is a bug to log.
                    Err(error) => {
                        tracing::error!(%error, "the sessions template could not be built")
                    }
                }
            }
            Effect::SendFile {
                file_name,
                caption,
                bytes,
            } => outcome.replies.push(Outgoing {
                chat: event.chat,
                op: OutOp::Document {
                    file_name,
                    caption,
                    body: FileBody::inline(bytes),
                },
            }),
        }
        Ok(None)
    }

    /// Asks for the report of `centre` (`None`: the roll-up) over `period`: a job that
    /// the report worker turns into the table in the chat (with `keyboard` under it; for
    /// the roll-up, the centres and the silent centres with `centres_keyboard` under them)
    /// and its spreadsheet, CSV and chart (`report_jobs.rs`). Nothing of the report is read
    /// or built while this step holds the writer: a five-year roll-up of a million
    /// sessions takes the worker about half a second for the table and seconds for the
    /// files.
    fn report(
        &self,
        tx: &mut Tx<'_>,
        chat: ChatId,
        centre: Option<CentreId>,
        (period, keyboard, centres_keyboard): (
            Period,
            Option<crate::dialog::Keyboard>,
            Option<crate::dialog::Keyboard>,
        ),
        lang: Lang,
        now: Now,
    ) -> Result<(), StoreError> {
        let kind = ReportJobKind::Report {
            keyboard,
            centres_keyboard,
            today: Some(now.today),
        };
        self.queue_job(tx, chat, centre, period, lang, now, kind)
    }

    /// Queues a job of `kind` for the report worker (the centre × group table's files,
    /// `/silent`, a report): read and built on a snapshot, never under the writer.
    #[allow(clippy::too_many_arguments)]
    fn queue_job(
        &self,
        tx: &mut Tx<'_>,
        chat: ChatId,
        centre: Option<CentreId>,
        period: Period,
        lang: Lang,
        now: Now,
        kind: ReportJobKind,
    ) -> Result<(), StoreError> {
        tx.queue_report_job(&ReportJob {
            chat,
            centre,
            period,
            lang,
            kind,
            created_at: now.at,
            table_sent: false,
        })?;
        Ok(())
    }

    /// The confirmation's running totals after a session was saved or changed.
    fn saved_info(
        &self,
        tx: &mut Tx<'_>,
        record: &crate::domain::SessionRecord,
        edited: bool,
        now: Now,
    ) -> Result<Input, StoreError> {
        let period = Period::reporting_year_to_date(self.year_start, now.today);
        let per_group = tx.group_totals(Some(record.centre), period)?;
        let centre_totals = per_group
            .values()
            .fold(Totals::default(), |sum, t| sum + *t);
        Ok(Input::SessionSaved(SavedInfo {
            session: record.id,
            edited,
            group: record.group.clone(),
            period,
            group_totals: per_group.get(&record.group).copied().unwrap_or_default(),
            centre_totals,
        }))
    }

    /// `now` as the user meant it: the processing instant, but the local date of the
    /// moment the message was sent. A send time after the processing time (a clock
    /// difference) is ignored, so no date ever lies in the bot's future.
    fn user_now(&self, event: &Event, now: Now) -> Now {
        match event.sent_at {
            Some(sent) if sent < now.at => Now {
                at: now.at,
                today: sent.with_timezone(&self.zone).date_naive(),
            },
            _ => now,
        }
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
        let facts = StoreFacts::new(tx, self.year_start, self.entry);
        let result = dialog::step(&self.catalog, &facts, state, &event.sender, input, now);
        facts.into_result().map(|()| result)
    }
}

/// Runs `change` (which may give or take a role of `user`) and, when it changes which
/// command menus the user's private chat should show, queues that chat's new menu in the
/// same transaction: set when someone becomes a director or supervisor, reset to every
/// private chat's menu when they no longer are. A change that leaves the menus as they
/// were queues nothing, so organisers joining costs no Bot API call.
pub fn with_menu_update<T>(
    tx: &mut Tx<'_>,
    user: UserId,
    change: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let before = tx.access(user)?.own_menus();
    let result = change(tx)?;
    let after = tx.access(user)?.own_menus();
    if after != before {
        tx.push_outgoing(&Outgoing {
            chat: user,
            op: OutOp::Menu { menus: after },
        })?;
    }
    Ok(result)
}

/// Queues the own menu of every director and supervisor (once per person): after the
/// commands of the dialogs changed, so that the menus set earlier show the new ones.
/// Returns how many were queued.
pub fn queue_managers_menus(tx: &mut Tx<'_>) -> Result<usize, StoreError> {
    let mut users: std::collections::BTreeSet<UserId> = tx
        .supervisors()?
        .into_iter()
        .map(|(user, _)| user)
        .collect();
    for (centre, _) in tx.centres()? {
        users.extend(
            tx.members(centre)?
                .into_iter()
                .filter(|member| member.role == crate::roles::Role::Director)
                .map(|member| member.user),
        );
    }
    let mut queued = 0;
    for user in users {
        let menus = tx.access(user)?.own_menus();
        if !menus.is_empty() {
            tx.push_outgoing(&Outgoing {
                chat: user,
                op: OutOp::Menu { menus },
            })?;
            queued += 1;
        }
    }
    Ok(queued)
}

fn lang_of(state: &ChatState, sender: &Sender) -> Lang {
    state
        .lang
        .unwrap_or_else(|| Lang::from_telegram_hint(sender.language_hint.as_deref()))
}
