//! The session dialog around the draft's state machine (`dialog/draft.rs`): starting,
//! resuming and cancelling a draft, turning what the person typed or pressed into the
//! draft's events (read by `answers.rs`), doing what each transition asks for (ask again,
//! save, drop), showing where it stands (`prompts.rs`), and the message after saving.

use super::super::callback::Action;
use super::super::draft::{Draft, Event, Next, Step};
use super::super::io::{Effect, SavedInfo};
use super::answers::{Reader, Refusal};
use super::Turn;
use crate::domain::CentreId;
use crate::format::{escape_html, format_count, format_date};
use std::collections::BTreeMap;

impl Turn<'_> {
    /// Starts a new draft, or continues the one in progress (a second `/log` must not
    /// silently throw away answers already given).
    pub(super) fn start_or_resume(&mut self, centre: CentreId) {
        if self.state.draft.is_some() || self.state.batch.is_some() {
            self.say_key("dialog.resumed");
            self.ask_open_work();
            return;
        }
        let mut draft = Draft::new(centre, BTreeMap::new());
        let next = draft.start(self.catalog);
        self.state.draft = Some(draft);
        self.say_key("dialog.started");
        self.follow(Some(next));
    }

    pub(super) fn cancel(&mut self) {
        let had_batch = self.state.batch.take().is_some();
        if self.state.draft.take().is_some() || had_batch {
            self.effects.push(Effect::CloseButtons);
            let html = self.text("dialog.cancelled");
            let keyboard = self.main_keyboard();
            self.say_with(html, keyboard);
        } else {
            self.say_key("dialog.nothing_to_cancel");
        }
    }

    /// After answering a side command during a dialog: say the draft is kept and ask again.
    pub(super) fn remind_draft(&mut self) {
        if self.state.draft.is_some() || self.state.batch.is_some() {
            self.say_key("dialog.kept");
            self.ask_open_work();
        }
    }

    // ---- Inputs that continue the draft. ----

    /// Text typed while a draft is open: the answer to its question, read by the
    /// question's kind; at a step only buttons answer, "use the buttons".
    pub(super) fn draft_typed(&mut self, text: &str) {
        let Some(Some((question, _))) = self.state.draft.as_mut().map(Draft::typing) else {
            self.say_key("dialog.use_buttons");
            return self.ask_current();
        };
        let read = match &self.state.draft {
            Some(draft) => self.reader().typed(draft, &question, text),
            None => return,
        };
        self.answered(&question, read);
    }

    /// A class name typed for `question` (also a held line taken as the name).
    pub(super) fn draft_class_name(&mut self, question: &str, text: &str) {
        let read = match &self.state.draft {
            Some(draft) => self.reader().class_name(draft, question, text),
            None => return self.stale(),
        };
        self.answered(question, read);
    }

    /// A button of the draft's current step.
    pub(super) fn draft_pressed(&mut self, action: Action) {
        let event = match &self.state.draft {
            Some(draft) => self.reader().pressed(draft, action),
            None => None,
        };
        match event {
            Some(event) => self.apply(event),
            None => self.stale(),
        }
    }

    /// Applies a reading of a typed answer to `question`: the event, or the refusal said
    /// and the question asked again.
    fn answered(&mut self, question: &str, read: Result<Event, Refusal>) {
        match read {
            Ok(event) => self.apply(event),
            Err(refusal) => {
                if let Some((_, q)) = self.catalog.question(question) {
                    let html = self.refusal_text(q, &refusal);
                    self.say(html);
                }
                self.apply(Event::Refused);
            }
        }
    }

    /// Moves the draft by `event` and does what the draft says comes next.
    fn apply(&mut self, event: Event) {
        let catalog = self.catalog;
        let next = match &mut self.state.draft {
            Some(draft) => draft.on(catalog, event),
            None => None,
        };
        self.follow(next);
    }

    /// Does what a draft's transition asks for: ask again (with new buttons or under the
    /// same ones), save, or drop it; `None` (the event meant nothing there) is a stale
    /// button.
    pub(super) fn follow(&mut self, next: Option<Next>) {
        match next {
            None => self.stale(),
            Some(Next::Ask) => {
                self.state.stamp = self.state.stamp.wrapping_add(1);
                self.ask_current();
            }
            Some(Next::AskSameButtons) => self.ask_current(),
            Some(Next::Save) => self.save(),
            Some(Next::Cancel) => self.cancel(),
            Some(Next::DropDuplicate) => {
                self.state.draft = None;
                self.effects.push(Effect::CloseButtons);
                let html = self.text("entry.duplicate_dropped");
                let keyboard = self.main_keyboard();
                self.say_with(html, keyboard);
            }
        }
    }

    /// The reader of answers for this input.
    pub(super) fn reader(&self) -> Reader<'_> {
        Reader {
            catalog: self.catalog,
            facts: self.facts,
            today: self.now.today,
        }
    }

    /// Sends the prompt for wherever the draft stands, with its buttons, after settling a
    /// step that can no longer be shown.
    pub(super) fn ask_current(&mut self) {
        let catalog = self.catalog;
        let Some(draft) = &mut self.state.draft else {
            return;
        };
        if let Some(next) = draft.settle(catalog) {
            return self.follow(Some(next));
        }
        if let Step::ConfirmDuplicate { existing } = draft.at {
            if self.facts.session(existing).is_none() {
                // Deleted meanwhile: nothing to compare with any more.
                return self.apply(Event::Yes);
            }
        }
        self.show_draft();
    }

    // ---- Saving. ----

    /// Saves the draft once nothing unusual is left unconfirmed; a correction is saved
    /// only while the sender may still change the session.
    fn save(&mut self) {
        let Some(mut draft) = self.state.draft.take() else {
            return self.stale();
        };
        let session = draft.session(self.catalog, self.sender.user, self.now.at);
        // The unusual is asked about once before anything is saved.
        if let Some(unusual) = session.as_ref().and_then(|s| self.unusual(s, &draft)) {
            let next = draft.confirm_first(unusual);
            self.state.draft = Some(draft);
            return self.follow(Some(next));
        }
        match (session, draft.session) {
            (Some(session), Some(id)) => {
                // A correction: the permission was checked when it was opened and is
                // checked again here, since time (the edit window) may have passed.
                match self.facts.session(id) {
                    Some(saved) if self.may_correct(&saved) => {
                        self.effects.push(Effect::CloseButtons);
                        self.effects.push(Effect::UpdateSession { id, session });
                    }
                    _ => self.say_key("mine.too_late"),
                }
            }
            (Some(session), None) => {
                self.effects.push(Effect::CloseButtons);
                self.effects.push(Effect::SaveSession(session));
            }
            (None, _) => {
                // Some required answer is missing (the dialog files changed meanwhile): ask it.
                let next = draft.start(self.catalog);
                self.state.draft = Some(draft);
                self.follow(Some(next));
            }
        }
    }

    pub(super) fn saved(&mut self, info: &SavedInfo) {
        let lang = self.lang;
        let group = self
            .catalog
            .group(&info.group)
            .map_or_else(|| info.group.clone(), |g| g.short.get(lang).to_owned());
        let count = |n: u64| format_count(n, lang);
        let period = format!(
            "{} – {}",
            format_date(info.period.from),
            format_date(info.period.to)
        );
        let html = self.catalog.render(
            if info.edited {
                "dialog.updated"
            } else {
                "dialog.saved"
            },
            lang,
            &[
                ("number", &info.session.to_string()),
                ("group", &escape_html(&group)),
                ("group_classes", &count(info.group_totals.classes)),
                ("group_attendance", &count(info.group_totals.attendance)),
                ("group_female", &count(info.group_totals.female)),
                ("classes", &count(info.centre_totals.classes)),
                ("attendance", &count(info.centre_totals.attendance)),
                ("female", &count(info.centre_totals.female)),
                ("period", &period),
            ],
        );
        let keyboard = self.main_keyboard();
        self.say_with(html, keyboard);
    }
}
