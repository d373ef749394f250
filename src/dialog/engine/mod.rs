//! The engine: one input in, the next chat state and effects out.
//!
//! The engine never fails and never panics on user input: anything it cannot use gets a
//! short reply in the user's language and the same question again. It is split by job:
//! this file dispatches inputs and holds the one access check of open work (a draft or a
//! multi-line entry is dropped, with a notice, before any input continues it once the
//! sender no longer belongs to its centre or it expired). The session being entered is the
//! pure state machine of `dialog/draft.rs`; around it, `session.rs` turns inputs into its
//! events and follows its transitions, `answers.rs` reads typed and pressed answers by
//! question kind, `prompts.rs` shows where a draft stands, `safety.rs` holds a new entry
//! while a draft is open and checks the unusual before saving, `quick.rs` is one-line
//! quick entry and `batch.rs` several lines at once. The commands: `commands.rs` who may
//! run which, `corrections.rs` fixing saved sessions, `admin.rs` centres, invitations,
//! people, the audit log and group links, `classes.rs` a director's `/classes`,
//! `reminders.rs` the reminder commands, `document.rs` the report document and its
//! written parts, `upload.rs` a report document sent back edited, `handin.rs` handing
//! reports in and `/submissions`, `centres.rs` a supervisor's renaming and merging of
//! centres, `import.rs`
//! (with `import_check.rs` and `import_message.rs`) bringing in past sessions from a
//! spreadsheet.

mod admin;
mod answers;
mod batch;
mod centres;
mod classes;
mod commands;
mod corrections;
mod document;
mod handin;
mod import;
mod import_check;
mod import_message;
mod prompts;
mod quick;
mod reminders;
mod safety;
mod session;
mod upload;

use super::callback::{self, Action};
use super::catalog::Catalog;
use super::draft::Lapse;
use super::io::{Button, Effect, Facts, Input, Keyboard, Reply, Sender};
use super::state::{ChatState, Held};
use crate::domain::{Lang, Now};
use crate::roles::Access;

pub use import_check::{check_import, CheckContext};
pub use import_message::{problem_text, render_check, CheckMessage};

/// Advances one chat's dialog by one input.
///
/// The returned effects are carried out by the runtime, in order, in the same
/// transaction that stores the returned state.
pub fn step(
    catalog: &Catalog,
    facts: &dyn Facts,
    state: ChatState,
    sender: &Sender,
    input: Input,
    now: Now,
) -> (ChatState, Vec<Effect>) {
    let lang = state
        .lang
        .unwrap_or_else(|| Lang::from_telegram_hint(sender.language_hint.as_deref()));
    let mut turn = Turn {
        catalog,
        facts,
        access: facts.access(sender.user),
        sender,
        lang,
        now,
        state,
        effects: Vec::new(),
        pending_text: Vec::new(),
    };
    // A held entry waits for exactly one answer: any other input forgets it.
    let held = turn.state.held.take();
    // The one access check of open work: whatever the input continues (a typed answer, a
    // button, the held entry's choice, a line of a multi-line entry, a command resuming
    // the draft), a draft or multi-line entry the sender may no longer continue goes
    // first, with a notice, so no path below can continue it.
    let from_person = turn.is_from_person(&input);
    if from_person {
        turn.drop_lapsed_work();
    }
    turn.keep_class_rename_for(&input);
    turn.keep_centre_rename_for(&input);
    turn.keep_import_for(&input);
    match input {
        Input::Command { name, args } => turn.command(&name, args.trim()),
        Input::Text(text) => turn.typed(&text),
        Input::Button { data } => turn.pressed(&data, held),
        Input::NotText => turn.not_text(),
        Input::Document(upload) => turn.document_received(upload),
        Input::SessionSaved(info) => turn.saved(&info),
        Input::InviteCreated {
            code,
            link,
            role,
            centre_name,
            days,
        } => turn.invite_created(&code, link.as_deref(), role, centre_name.as_deref(), days),
        Input::InviteRedeemed(result) => turn.invite_redeemed(result),
        Input::SessionsSaved { sessions, info } => turn.batch_saved(&sessions, &info),
        Input::SaveNudge => turn.save_nudge(),
        Input::HandedIn {
            centre_name,
            period,
            recipients,
            superseded,
        } => turn.handed_in(&centre_name, period, recipients, superseded),
        Input::SessionsImported { centre, sessions } => turn.sessions_imported(centre, &sessions),
    }
    if from_person {
        turn.touch();
    }
    turn.flush();
    (turn.state, turn.effects)
}

/// The working set of one step.
struct Turn<'a> {
    catalog: &'a Catalog,
    facts: &'a dyn Facts,
    /// What the sender may do, read once per step.
    access: Access,
    sender: &'a Sender,
    lang: Lang,
    now: Now,
    state: ChatState,
    effects: Vec<Effect>,
    /// Texts waiting to be sent as one message (see `say`).
    pending_text: Vec<String>,
}

impl Turn<'_> {
    // ---- Output helpers. ----

    fn text(&self, key: &str) -> String {
        self.catalog.text(key, self.lang).to_owned()
    }

    /// Queues text for the next message. Texts of one step are joined into one message
    /// (an error, then the question again), which keeps the chat short and the bot far
    /// from Telegram's per-chat rate limit.
    fn say(&mut self, html: String) {
        self.pending_text.push(html);
    }

    /// Sends the queued text and `html` as one message with a keyboard.
    fn say_with(&mut self, html: String, keyboard: Keyboard) {
        self.pending_text.push(html);
        let html = self.pending_text.drain(..).collect::<Vec<_>>().join("\n\n");
        self.effects.push(Effect::Reply(Reply {
            html,
            keyboard: Some(keyboard),
        }));
    }

    /// Sends whatever text is still queued at the end of the step.
    fn flush(&mut self) {
        if !self.pending_text.is_empty() {
            let html = self.pending_text.drain(..).collect::<Vec<_>>().join("\n\n");
            self.effects.push(Effect::Reply(Reply {
                html,
                keyboard: None,
            }));
        }
    }

    fn say_key(&mut self, key: &str) {
        let html = self.text(key);
        self.say(html);
    }

    /// The persistent keyboard under the text field with the "log a session" button.
    fn main_keyboard(&self) -> Keyboard {
        Keyboard::Persistent(vec![vec![self.text("button.log")]])
    }

    fn button(&self, label: String, action: &Action) -> Button {
        Button {
            label,
            data: callback::encode(self.state.stamp, action),
        }
    }

    // ---- Open work: access and expiry. ----

    /// Whether `input` comes from the person in their private chat, where a draft or a
    /// multi-line entry lives (group chats and inputs fed back by the runtime or the
    /// scheduler continue nothing).
    fn is_from_person(&self, input: &Input) -> bool {
        self.sender.private
            && matches!(
                input,
                Input::Text(_)
                    | Input::Command { .. }
                    | Input::Button { .. }
                    | Input::NotText
                    | Input::Document(_)
            )
    }

    /// Drops an open draft or multi-line entry whose centre the sender no longer belongs
    /// to, or that has expired, saying so with what it held.
    fn drop_lapsed_work(&mut self) {
        let expiry = self.facts.entry_rules().draft_expiry;
        let at = self.now.at;
        let draft = self.state.draft.as_ref();
        if let Some(lapse) = draft.and_then(|d| d.lapse(&self.access, at, expiry)) {
            let held = self.draft_lines();
            self.state.draft = None;
            self.say_lapsed(lapse, &held, expiry);
        }
        let batch = self.state.batch.as_ref();
        if let Some(lapse) = batch.and_then(|b| b.lapse(&self.access, at, expiry)) {
            let held = self.batch_lines();
            self.state.batch = None;
            self.say_lapsed(lapse, &held, expiry);
        }
    }

    /// "The draft below was dropped because …", with what it held.
    fn say_lapsed(&mut self, lapse: Lapse, held: &str, expiry: chrono::Duration) {
        let key = match lapse {
            Lapse::NoLongerMember => "entry.no_longer_member",
            Lapse::Expired => "entry.expired",
        };
        // A draft dropped before its first answer still gets a line after the colon.
        let none_yet = self.catalog.render("entry.no_answers", self.lang, &[]);
        let held = if held.trim().is_empty() {
            none_yet.as_str()
        } else {
            held
        };
        let html = self.catalog.render(
            key,
            self.lang,
            &[
                ("answers", held),
                ("hours", &expiry.num_hours().to_string()),
            ],
        );
        self.say(html);
    }

    /// Marks the open work as touched now (after an input from the person).
    fn touch(&mut self) {
        let now = self.now.at;
        if let Some(draft) = &mut self.state.draft {
            draft.touched = Some(now);
        }
        if let Some(batch) = &mut self.state.batch {
            batch.touched = Some(now);
        }
    }

    // ---- Typed text. ----

    fn typed(&mut self, text: &str) {
        if !self.sender.private {
            // Privacy mode lets only commands and replies through; whatever else arrives
            // from a group is not meant for the bot.
            return;
        }
        let trimmed = text.trim();
        if self.is_log_button(trimmed) {
            self.state.document_edit = None;
            self.log_command();
            return;
        }
        if self.document_text_typed(text) {
            return;
        }
        if self.pending_answer(trimmed) {
            return;
        }
        if self.state.class_rename.is_some() {
            return self.class_name_typed(trimmed);
        }
        if self.state.centre_rename.is_some() {
            return self.centre_name_typed(trimmed);
        }
        let fixing_line = self
            .state
            .batch
            .as_ref()
            .is_some_and(|b| b.fixing.is_some());
        if fixing_line && self.entry_lines(trimmed).is_none() {
            return self.batch_line_typed(trimmed);
        }
        // A new entry never lands in a field of an open draft: it is held, and the person
        // chooses (see `new_entry`).
        if self.is_new_entry(trimmed) {
            return self.new_entry(trimmed);
        }
        if self.state.draft.is_some() {
            return self.draft_typed(trimmed);
        }
        if self.state.batch.is_some() {
            self.say_key("dialog.use_buttons");
            return self.show_batch();
        }
        if !self.quick_entry(trimmed) {
            self.idle();
        }
    }

    /// Whether the text is the label of the persistent "log a session" button, in any language.
    fn is_log_button(&self, text: &str) -> bool {
        self.catalog
            .texts
            .get("button.log")
            .is_some_and(|t| Lang::ALL.iter().any(|&l| t.get(l).trim() == text))
    }

    /// Text or a sticker when no dialog runs: what to do next, for members and strangers.
    fn idle(&mut self) {
        if self.access.is_stranger() {
            self.say_key("access.not_member");
        } else {
            let html = self.text("dialog.idle");
            let keyboard = self.main_keyboard();
            self.say_with(html, keyboard);
        }
    }

    // ---- Buttons. ----

    fn pressed(&mut self, data: &str, held: Option<Held>) {
        let Some((stamp, action)) = callback::decode(data) else {
            return self.stale();
        };
        if let Action::Period(choice) = action {
            return self.period_chosen(choice);
        }
        // Under a group reminder, which carries no dialog stamp.
        if let Action::NoSessionOn(day) = action {
            return self.no_session_pressed(day);
        }
        if let Action::Document(period) = action {
            return self.document_button(period);
        }
        // Under a report or a document, which may be older than the chat's stamp.
        if let Action::HandIn { centre, period } = action {
            return self.handin_pressed(centre, period);
        }
        if let Action::CentreTable(period) = action {
            return self.centre_table_button(period);
        }
        if stamp != self.state.stamp {
            return self.stale();
        }
        if let Some(held) = held {
            return self.held_answer(held, action);
        }
        // Buttons outside the session dialog: centres and people.
        match action {
            Action::OpenSession(id) => return self.open_session(id),
            Action::EditSession(id) => return self.edit_session(id),
            Action::DeleteSession(id) => return self.ask_delete_session(id),
            Action::ConfirmDelete(id) => return self.delete_session(id),
            Action::RestoreSession(id) => return self.restore_session(id),
            Action::Centre { id, then_log } => return self.centre_chosen(id, then_log),
            Action::RemoveMember(user) => return self.ask_remove_member(user),
            Action::ConfirmRemove(user) => return self.remove_member(user),
            Action::InviteRole(role) => return self.invite_role_chosen(role),
            Action::InviteCentre { role, id } => return self.invite_centre_chosen(role, id),
            Action::InviteNewCentre(role) => return self.ask_new_centre_name(role),
            Action::InvitePage { role, page } => return self.ask_invite_centre(role, page),
            Action::Classes(step) => return self.class_button(step),
            Action::EditDocument => return self.edit_document(),
            Action::DocumentPart(id) => return self.document_part_chosen(&id),
            Action::KeepDocumentPart => return self.keep_document_part(),
            Action::SaveUpload => return self.save_upload(),
            Action::SkipUpload => return self.skip_upload(),
            Action::ConfirmHandIn { centre, period } => {
                return self.handin_confirmed(centre, period)
            }
            Action::CancelHandIn => return self.handin_cancelled(),
            Action::Centres(step) => return self.centre_button(step),
            Action::ImportAdd => return self.import_add(),
            Action::ImportSkip => return self.import_skip(),
            _ => {}
        }
        if self.state.draft.is_some() {
            return self.draft_pressed(action);
        }
        if self.state.batch.is_some() {
            return self.batch_pressed(action);
        }
        self.stale()
    }

    fn stale(&mut self) {
        let notice = self.text("dialog.stale_button");
        self.effects.push(Effect::Notice(notice));
    }

    fn not_text(&mut self) {
        if !self.sender.private {
            return;
        }
        if self.state.draft.is_some() {
            self.say_key("dialog.not_text");
            self.ask_current();
        } else {
            self.idle();
        }
    }
}
