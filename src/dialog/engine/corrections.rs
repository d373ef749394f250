//! Fixing what was logged: `/mine` (one's own recent sessions), `/sessions` (a director's
//! view of the centre's), `/undo` (the last session, within a window), editing through
//! the dialog's own summary, deleting with a confirmation, and `/deleted` to restore.
//!
//! Organisers may change their own sessions for `EDIT_WINDOW` after saving them; directors
//! may change any session of their centre at any time. Every button re-checks this.

use super::super::callback::Action;
use super::super::draft::{Answer, Draft};
use super::super::io::{Effect, Keyboard};
use super::Turn;
use crate::domain::{SessionId, SessionRecord};
use crate::format::{escape_html, format_count, format_date};
use chrono::Duration;
use std::collections::BTreeMap;

/// How long an organiser may undo, edit or delete their own session.
pub const EDIT_WINDOW: Duration = Duration::hours(24);

/// How many sessions `/mine` and `/sessions` list.
const LISTED: usize = 10;

impl Turn<'_> {
    /// Whether the sender may change `session` (here, and at the Save of a correction).
    pub(super) fn may_correct(&self, session: &SessionRecord) -> bool {
        self.access.may_manage(session.centre)
            || (session.organiser == self.sender.user
                && self.access.may_log(session.centre)
                && self.now.at - session.created_at <= EDIT_WINDOW)
    }

    /// One line describing a session: number, date, group, class and numbers, as plain
    /// text (buttons show it as it is; messages escape it).
    pub(super) fn session_line(&self, session: &SessionRecord) -> String {
        let group = self.catalog.group(&session.group).map_or_else(
            || session.group.clone(),
            |g| g.short.get(self.lang).to_owned(),
        );
        let class = self.facts.class_name(session.class).unwrap_or_default();
        self.catalog.render(
            "mine.line",
            self.lang,
            &[
                ("number", &session.id.to_string()),
                ("date", &format_date(session.date)),
                ("group", &group),
                ("class", &class),
                ("total", &format_count(u64::from(session.total), self.lang)),
                (
                    "female",
                    &format_count(u64::from(session.female), self.lang),
                ),
            ],
        )
    }

    /// `/mine` (own sessions) or `/sessions` (the centre's, for directors).
    pub(super) fn list_sessions(&mut self, whole_centre: bool) {
        let centre = if whole_centre {
            self.managed_centre()
        } else {
            self.member_centre()
        };
        let Some(centre) = centre else {
            return self.choose_centre(false);
        };
        let organiser = (!whole_centre).then_some(self.sender.user);
        let sessions = self.facts.recent_sessions(centre, organiser, LISTED);
        if sessions.is_empty() {
            return self.say_key("mine.empty");
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let rows = sessions
            .iter()
            .map(|s| {
                let label: String = self.session_line(s).chars().take(60).collect();
                vec![self.button(label, &Action::OpenSession(s.id))]
            })
            .collect();
        let html = self.text(if whole_centre {
            "mine.centre_heading"
        } else {
            "mine.heading"
        });
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// A session with its Edit and Delete buttons.
    pub(super) fn open_session(&mut self, id: SessionId) {
        let Some(session) = self.facts.session(id).filter(|s| self.may_correct(s)) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = escape_html(&self.session_line(&session));
        let row = vec![
            self.button(self.text("dialog.edit_button"), &Action::EditSession(id)),
            self.button(self.text("mine.delete_button"), &Action::DeleteSession(id)),
        ];
        self.say_with(html, Keyboard::Inline(vec![row]));
    }

    /// Puts a saved session into a draft at its summary: the dialog's Edit then changes
    /// any answer with the same validation, and Save writes the changes.
    pub(super) fn edit_session(&mut self, id: SessionId) {
        if self.state.draft.is_some() {
            self.say_key("mine.finish_draft");
            return self.ask_current();
        }
        let Some(session) = self.facts.session(id).filter(|s| self.may_correct(s)) else {
            return self.stale();
        };
        let mut answers = BTreeMap::new();
        answers.insert("group".to_owned(), Answer::Group(session.group.clone()));
        answers.insert(
            "class".to_owned(),
            Answer::Class {
                id: Some(session.class),
                name: self.facts.class_name(session.class).unwrap_or_default(),
            },
        );
        answers.insert("date".to_owned(), Answer::Date(session.date));
        answers.insert("total".to_owned(), Answer::Number(session.total));
        answers.insert("female".to_owned(), Answer::Number(session.female));
        for question in &self.catalog.questions {
            if let Some(value) = session.extra.get(&question.id) {
                let answer = match &question.kind {
                    super::super::catalog::QuestionKind::Choice { .. } => {
                        Answer::Choice(value.clone())
                    }
                    _ => Answer::Text(value.clone()),
                };
                answers.insert(question.id.clone(), answer);
            }
        }
        self.state.draft = Some(Draft::correcting(id, session.centre, answers));
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self
            .catalog
            .render("mine.editing", self.lang, &[("number", &id.to_string())]);
        self.say(html);
        self.ask_current();
    }

    pub(super) fn ask_delete_session(&mut self, id: SessionId) {
        let Some(session) = self.facts.session(id).filter(|s| self.may_correct(s)) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "mine.confirm_delete",
            self.lang,
            &[("session", &escape_html(&self.session_line(&session)))],
        );
        let confirm = self.button(self.text("mine.delete_button"), &Action::ConfirmDelete(id));
        self.say_with(html, Keyboard::Inline(vec![vec![confirm]]));
    }

    pub(super) fn delete_session(&mut self, id: SessionId) {
        let Some(session) = self.facts.session(id).filter(|s| self.may_correct(s)) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::DeleteSession { id: session.id });
        let html = self
            .catalog
            .render("mine.deleted", self.lang, &[("number", &id.to_string())]);
        self.say(html);
    }

    /// `/undo`: the sender's latest session, if still within the window, to confirm.
    pub(super) fn undo(&mut self) {
        let Some(centre) = self.member_centre() else {
            return self.choose_centre(false);
        };
        let latest = self
            .facts
            .recent_sessions(centre, Some(self.sender.user), LISTED)
            .into_iter()
            .max_by_key(|s| s.created_at);
        match latest {
            Some(session) if self.now.at - session.created_at <= EDIT_WINDOW => {
                self.ask_delete_session(session.id);
            }
            Some(_) => self.say_key("mine.too_late"),
            None => self.say_key("mine.empty"),
        }
    }

    /// `/deleted`: a director's list of restorable sessions.
    pub(super) fn list_deleted(&mut self) {
        let Some(centre) = self.managed_centre() else {
            return self.choose_centre(false);
        };
        let deleted = self.facts.deleted_sessions(centre);
        if deleted.is_empty() {
            return self.say_key("mine.none_deleted");
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let rows = deleted
            .iter()
            .take(LISTED)
            .map(|(s, _)| {
                let label = self.catalog.render(
                    "mine.restore_button",
                    self.lang,
                    &[
                        ("number", &s.id.to_string()),
                        ("date", &format_date(s.date)),
                    ],
                );
                vec![self.button(label, &Action::RestoreSession(s.id))]
            })
            .collect();
        let html = self.text("mine.deleted_heading");
        self.say_with(html, Keyboard::Inline(rows));
    }

    pub(super) fn restore_session(&mut self, id: SessionId) {
        let allowed = self
            .facts
            .deleted_session(id)
            .is_some_and(|(s, _)| self.access.may_manage(s.centre));
        if !allowed {
            return self.stale();
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::RestoreSession { id });
        let html = self
            .catalog
            .render("mine.restored", self.lang, &[("number", &id.to_string())]);
        self.say(html);
    }
}
