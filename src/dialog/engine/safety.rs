//! Entry safety: what an organiser saves is what they meant.
//!
//! The machine side never loses or doubles a session; this file guards the human side.
//! An open draft never swallows a new entry (it is held and the person chooses); before a
//! session is saved, an attendance far above the class's usual and the same session
//! stored already are asked about once (the draft itself asks about a date far back whose
//! year was guessed and about more women than people); a draft left at its summary gets
//! one nudge. Expiry and access, which drop a draft, are checked in `mod.rs` before any
//! input continues it.

use super::super::callback::Action;
use super::super::catalog::QuestionKind;
use super::super::draft::{Check, Draft, Step, Unusual};
use super::super::io::{Effect, Keyboard};
use super::super::quick::QuickProblem;
use super::super::state::Held;
use super::Turn;
use crate::domain::{ClassChoice, NewSession, SessionId};
use crate::format::escape_html;

/// Sessions of a class looked at for its usual attendance.
pub(super) const HISTORY: usize = 20;
/// A class needs this many earlier sessions before its median counts as "usual".
const MIN_HISTORY: usize = 5;
/// An attendance above this many times the usual one is confirmed.
const USUAL_FACTOR: u32 = 3;
/// Without enough history, an attendance above this is confirmed.
pub(super) const LARGE_WITHOUT_HISTORY: u32 = 500;

impl Turn<'_> {
    // ---- A new entry while a draft is open. ----

    /// Whether `text` is a new entry rather than an answer: a quick entry with at least
    /// the attendance and a class, or several quick-entry lines.
    pub(super) fn is_new_entry(&self, text: &str) -> bool {
        if self.access.is_stranger() {
            return false;
        }
        if self.entry_lines(text).is_some() {
            return true;
        }
        let Some(parser) = self.catalog.quick_parser() else {
            return false;
        };
        parser.parse(text, self.now.today).is_some_and(|entry| {
            entry.total.is_some() && !entry.problems.contains(&QuickProblem::ClassMissing)
        })
    }

    /// Starts what `text` holds (one quick entry or several lines), or, when a draft or a
    /// multi-line entry is open, holds it and asks once which one to go on with.
    pub(super) fn new_entry(&mut self, text: &str) {
        if self.state.draft.is_some() || self.state.batch.is_some() {
            return self.hold(text);
        }
        if let Some(lines) = self.entry_lines(text) {
            return self.start_batch(lines);
        }
        if !self.quick_entry(text) {
            self.idle();
        }
    }

    /// Keeps `text` aside and shows what the open draft holds, with the choice.
    fn hold(&mut self, text: &str) {
        self.state.held = Some(Held {
            text: text.to_owned(),
            today: self.now.today,
        });
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let answers = match &self.state.draft {
            Some(_) => self.draft_lines(),
            None => self.batch_lines(),
        };
        let html = self.catalog.render(
            "entry.held",
            self.lang,
            &[("answers", &answers), ("new", &escape_html(text))],
        );
        let mut rows = vec![
            vec![self.button(self.text("entry.held_new_button"), &Action::Confirm)],
            vec![self.button(self.text("entry.held_old_button"), &Action::Reject)],
        ];
        if self.at_class_question() && !text.contains('\n') {
            rows.push(vec![
                self.button(self.text("entry.held_name_button"), &Action::UseAsName)
            ]);
        }
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// Whether the draft waits for a class name (its buttons or a typed new name).
    fn at_class_question(&self) -> bool {
        match self.state.draft.as_ref().map(|d| &d.at) {
            Some(Step::NewClassName { .. }) => true,
            Some(Step::Asking { question, .. }) => self
                .catalog
                .question(question)
                .is_some_and(|(_, q)| matches!(q.kind, QuestionKind::Class { .. })),
            _ => false,
        }
    }

    /// The answer to the held-entry question.
    /// When the old work is already gone (the access check in `step()` dropped it, with
    /// its own notice), neither answer claims to drop or keep it.
    pub(super) fn held_answer(&mut self, held: Held, action: Action) {
        let open_work = self.state.draft.is_some() || self.state.batch.is_some();
        match action {
            Action::Confirm => {
                self.effects.push(Effect::CloseButtons);
                self.state.draft = None;
                self.state.batch = None;
                if open_work {
                    self.say_key("entry.old_dropped");
                }
                self.now.today = held.today;
                self.new_entry(&held.text);
            }
            Action::Reject if open_work => {
                self.effects.push(Effect::CloseButtons);
                self.say_key("entry.new_dropped");
                self.ask_open_work();
            }
            Action::Reject => {
                self.effects.push(Effect::CloseButtons);
                self.say_key("entry.new_not_logged");
            }
            Action::UseAsName => match self.state.draft.as_ref().map(|d| d.at.clone()) {
                Some(Step::NewClassName { question, .. } | Step::Asking { question, .. }) => {
                    self.effects.push(Effect::CloseButtons);
                    self.draft_class_name(&question, &held.text);
                }
                _ => self.stale(),
            },
            _ => self.stale(),
        }
    }

    /// Asks the open draft's question again, or shows the open multi-line entry.
    pub(super) fn ask_open_work(&mut self) {
        if self.state.draft.is_some() {
            self.ask_current();
        } else if self.state.batch.is_some() {
            self.show_batch();
        }
    }

    // ---- Before saving: unusual attendance, duplicates. ----

    /// What must be confirmed before `draft` saves `session`, if anything: the first
    /// check not yet confirmed that applies (a correction is no duplicate of itself).
    pub(super) fn unusual(&self, session: &NewSession, draft: &Draft) -> Option<Unusual> {
        if !draft.confirmed.contains(&Check::LargeTotal) {
            if let Some(usual) = self.large_total(session) {
                return Some(Unusual::LargeTotal { usual });
            }
        }
        if draft.session.is_none() && !draft.confirmed.contains(&Check::Duplicate) {
            if let Some(existing) = self.stored_duplicate(session) {
                return Some(Unusual::Duplicate { existing });
            }
        }
        None
    }

    /// `Some` when the attendance is unusually large: with the class's usual attendance
    /// (the median of its latest sessions) when it has enough of them.
    pub(super) fn large_total(&self, session: &NewSession) -> Option<Option<u32>> {
        let history = match session.class {
            ClassChoice::Existing(id) => self.facts.class_attendances(id, HISTORY),
            ClassChoice::New { .. } => Vec::new(),
        };
        unusual_total(session.total, &history)
    }

    /// The number of a stored session with the same centre, class, date and numbers.
    pub(super) fn stored_duplicate(&self, session: &NewSession) -> Option<SessionId> {
        let ClassChoice::Existing(class) = session.class else {
            return None;
        };
        self.facts
            .same_session(
                session.centre,
                class,
                session.date,
                (session.total, session.female),
            )
            .map(|s| s.id)
    }

    // ---- The nudge. ----

    /// The scheduler says a draft left at the summary is due for its one nudge. It goes
    /// only to a draft the person may still continue (not expired, still their centre's).
    pub(super) fn save_nudge(&mut self) {
        let expiry = self.facts.entry_rules().draft_expiry;
        let Some(draft) = &mut self.state.draft else {
            return;
        };
        if draft.nudged || draft.at != Step::Summary {
            return;
        }
        if draft.lapse(&self.access, self.now.at, expiry).is_some() {
            return;
        }
        draft.nudged = true;
        let answers = self.draft_lines();
        let html = self
            .catalog
            .render("entry.unsaved", self.lang, &[("answers", &answers)]);
        // The summary's own buttons with the same stamp, so either message's work.
        let keyboard = self.summary_keyboard();
        self.say_with(html, keyboard);
    }

    /// Asks for the nudge when a summary is shown and none was sent for this draft yet.
    pub(super) fn want_nudge(&mut self) {
        if self.state.draft.as_ref().is_some_and(|d| !d.nudged) {
            let at = self.now.at + self.facts.entry_rules().nudge_after;
            self.effects.push(Effect::NudgeAt(at));
        }
    }
}

/// `Some` when `total` is unusually large for a class whose latest attendances are
/// `history` (newest first, at most `HISTORY`): above three times their median when there
/// are enough of them, else above `LARGE_WITHOUT_HISTORY`. The inner value is that
/// median, when it was used. (The import's check of a file's rows uses it too.)
pub(super) fn unusual_total(total: u32, history: &[u32]) -> Option<Option<u32>> {
    let usual = (history.len() >= MIN_HISTORY).then(|| median(history));
    let large = match usual {
        Some(usual) => total > usual.saturating_mul(USUAL_FACTOR),
        None => total > LARGE_WITHOUT_HISTORY,
    };
    large.then_some(usual)
}

/// The median of a non-empty list (the lower middle for an even count).
fn median(values: &[u32]) -> u32 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted
        .get((sorted.len().saturating_sub(1)) / 2)
        .copied()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_attendances() {
        assert_eq!(median(&[40, 45, 50, 42, 44]), 44);
        assert_eq!(median(&[10, 20]), 10);
        assert_eq!(median(&[7]), 7);
    }
}
