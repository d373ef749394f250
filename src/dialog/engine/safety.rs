//! Entry safety: what an organiser saves is what they meant.
//!
//! The machine side never loses or doubles a session; this file guards the human side.
//! An open draft never swallows a new entry (it is held and the person chooses), drafts
//! expire, a removed member's draft goes, and before a session is saved the unusual is
//! asked about once: a date far back whose year was guessed, more women than people, an
//! attendance far above the class's usual, the same session stored already.

use super::super::callback::Action;
use super::super::catalog::QuestionKind;
use super::super::io::{Button, Effect, Input, Keyboard};
use super::super::parse;
use super::super::quick::{QuickEntry, QuickProblem};
use super::super::state::{Answer, Check, Held, Step};
use super::Turn;
use crate::domain::{ClassChoice, Lang, NewSession, SessionId};
use crate::format::{escape_html, format_count, format_date};
use chrono::{Datelike, NaiveDate};

/// Sessions of a class looked at for its usual attendance.
pub(super) const HISTORY: usize = 20;
/// A class needs this many earlier sessions before its median counts as "usual".
const MIN_HISTORY: usize = 5;
/// An attendance above this many times the usual one is confirmed.
const USUAL_FACTOR: u32 = 3;
/// Without enough history, an attendance above this is confirmed.
const LARGE_WITHOUT_HISTORY: u32 = 500;

impl Turn<'_> {
    // ---- Before any input: expiry and access. ----

    /// Drops an open draft or multi-line entry that has expired, or whose centre the
    /// sender no longer belongs to, saying so. Runs before every input from the person.
    pub(super) fn check_open_work(&mut self, input: &Input) {
        let from_person = matches!(
            input,
            Input::Text(_)
                | Input::Command { .. }
                | Input::Button { .. }
                | Input::NotText
                | Input::Document(_)
        );
        if !from_person || !self.sender.private {
            return;
        }
        let expiry = self.facts.entry_rules().draft_expiry;
        let draft_drop = self
            .state
            .draft
            .as_ref()
            .and_then(|d| self.drop_reason(d.centre, d.touched));
        if let Some(key) = draft_drop {
            let held = self.draft_lines();
            self.state.draft = None;
            self.say_dropped(key, &held, expiry);
        }
        let batch_drop = self
            .state
            .batch
            .as_ref()
            .and_then(|b| self.drop_reason(b.centre, b.touched));
        if let Some(key) = batch_drop {
            let held = self.batch_lines();
            self.state.batch = None;
            self.say_dropped(key, &held, expiry);
        }
    }

    /// Why open work for `centre`, last touched at `touched`, must go: the sender no
    /// longer belongs to the centre, or it expired. `None` keeps it.
    fn drop_reason(
        &self,
        centre: crate::domain::CentreId,
        touched: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Option<&'static str> {
        let may = self.access.may_log(centre) || self.access.may_manage(centre);
        let expiry = self.facts.entry_rules().draft_expiry;
        let expired = touched.is_some_and(|t| self.now.at - t > expiry);
        match (may, expired) {
            (false, _) => Some("entry.no_longer_member"),
            (true, true) => Some("entry.expired"),
            (true, false) => None,
        }
    }

    /// "The draft below was dropped because …", with what it held.
    fn say_dropped(&mut self, key: &str, held: &str, expiry: chrono::Duration) {
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

    /// The lines of the open multi-line entry as a list (escaped HTML).
    fn batch_lines(&self) -> String {
        self.state
            .batch
            .as_ref()
            .map(|b| {
                b.lines
                    .iter()
                    .map(|l| format!("• {}", escape_html(l)))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// Marks the open work as touched now (after an input from the person).
    pub(super) fn touch(&mut self, input: &Input) {
        if !matches!(
            input,
            Input::Text(_)
                | Input::Command { .. }
                | Input::Button { .. }
                | Input::NotText
                | Input::Document(_)
        ) || !self.sender.private
        {
            return;
        }
        let now = self.now.at;
        if let Some(draft) = &mut self.state.draft {
            draft.touched = Some(now);
        }
        if let Some(batch) = &mut self.state.batch {
            batch.touched = Some(now);
        }
    }

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
            entry.total.is_some()
                && !entry
                    .problems
                    .contains(&super::super::quick::QuickProblem::ClassMissing)
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
            Some(Step::Asking { question, .. }) => {
                self.catalog.question(question).is_some_and(|(_, q)| {
                    matches!(q.kind, super::super::catalog::QuestionKind::Class { .. })
                })
            }
            _ => false,
        }
    }

    /// The answer to the held-entry question.
    pub(super) fn held_answer(&mut self, held: Held, action: Action) {
        match action {
            Action::Confirm => {
                self.effects.push(Effect::CloseButtons);
                self.state.draft = None;
                self.state.batch = None;
                self.say_key("entry.old_dropped");
                self.now.today = held.today;
                self.new_entry(&held.text);
            }
            Action::Reject => {
                self.effects.push(Effect::CloseButtons);
                self.say_key("entry.new_dropped");
                self.ask_open_work();
            }
            Action::UseAsName => match self.state.draft.as_ref().map(|d| d.at.clone()) {
                Some(Step::NewClassName { question, editing })
                | Some(Step::Asking { question, editing }) => {
                    self.effects.push(Effect::CloseButtons);
                    self.answer_class_name(&question, editing, &held.text);
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

    /// The draft's answers as summary lines (escaped HTML), for notices about it.
    pub(super) fn draft_lines(&self) -> String {
        let Some(draft) = &self.state.draft else {
            return String::new();
        };
        self.catalog
            .questions
            .iter()
            .filter_map(|q| {
                let value = self.describe(draft.answers.get(&q.id)?);
                Some(format!(
                    "<b>{}</b>: {}",
                    escape_html(q.label.get(self.lang)),
                    value
                ))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    // ---- Dates. ----

    /// Whether a date whose year was guessed lies far enough back to be confirmed.
    pub(super) fn far_back(&self, date: NaiveDate) -> bool {
        (self.now.today - date).num_days() > self.facts.entry_rules().confirm_dates_older_than_days
    }

    /// A date as shown to the person: with the year in bold when it is not this year's.
    pub(super) fn show_date(&self, date: NaiveDate) -> String {
        if date.year() == self.now.today.year() {
            format_date(date)
        } else {
            format!(
                "{:02}/{:02}/<b>{}</b>",
                date.day(),
                date.month(),
                date.year()
            )
        }
    }

    /// "17/12/2025 — last year, right?"
    pub(super) fn ask_date_confirmation(&mut self) {
        let Some(date) = self.state.draft.as_ref().and_then(|d| d.proposed_date) else {
            return self.advance(false);
        };
        let when = if date.year() + 1 == self.now.today.year() {
            self.text("entry.last_year")
        } else {
            self.catalog.render(
                "entry.days_ago",
                self.lang,
                &[(
                    "days",
                    &format_count(
                        u64::try_from((self.now.today - date).num_days()).unwrap_or(0),
                        self.lang,
                    ),
                )],
            )
        };
        let html = self.catalog.render(
            "entry.old_date",
            self.lang,
            &[("date", &self.show_date(date)), ("when", &when)],
        );
        let yes = self.catalog.render(
            "entry.old_date_yes",
            self.lang,
            &[("date", &format_date(date))],
        );
        let rows = vec![
            vec![self.button(yes, &Action::Confirm)],
            vec![self.button(self.text("entry.old_date_no"), &Action::Reject)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// The answer to the date confirmation.
    pub(super) fn date_confirmed(&mut self, question: &str, editing: bool, action: &Action) {
        let Some(draft) = &mut self.state.draft else {
            return self.stale();
        };
        let proposed = draft.proposed_date.take();
        match (action, proposed) {
            (Action::Confirm, Some(date)) => {
                draft
                    .answers
                    .insert(question.to_owned(), Answer::Date(date));
                self.advance(editing);
            }
            _ => {
                self.set_step(Step::Asking {
                    question: question.to_owned(),
                    editing,
                });
                self.state.stamp = self.state.stamp.wrapping_add(1);
                self.ask_current();
            }
        }
    }

    // ---- More women than people. ----

    /// "45 women of 30 people? Maybe 45 people, 30 women."
    pub(super) fn ask_swap(&mut self) {
        let Some((total, female)) = self.state.draft.as_ref().and_then(|d| d.proposed_swap) else {
            return self.advance(false);
        };
        let lang = self.lang;
        let values = [
            ("total", format_count(u64::from(total), lang)),
            ("female", format_count(u64::from(female), lang)),
        ];
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = self.catalog.render("entry.swap", lang, &values);
        let yes = self.catalog.render("entry.swap_yes", lang, &values);
        let rows = vec![
            vec![self.button(yes, &Action::Confirm)],
            vec![self.button(self.text("entry.swap_no"), &Action::Reject)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// The answer to the swap offer.
    pub(super) fn swap_answered(&mut self, editing: bool, action: &Action) {
        let Some(draft) = &mut self.state.draft else {
            return self.stale();
        };
        let proposed = draft.proposed_swap.take();
        match (action, proposed) {
            (Action::Confirm, Some((total, female))) => {
                draft.set_numbers(total, female);
            }
            _ => {
                draft.answers.remove("total");
                draft.answers.remove("female");
            }
        }
        self.advance(editing);
    }

    // ---- Before saving: unusual attendance, duplicates. ----

    /// What must be confirmed before `session` is saved, if anything: the first check
    /// not yet confirmed that applies.
    pub(super) fn unconfirmed_check(
        &self,
        session: &NewSession,
        confirmed: &std::collections::BTreeSet<Check>,
        new: bool,
    ) -> Option<Step> {
        if !confirmed.contains(&Check::LargeTotal) {
            if let Some(usual) = self.large_total(session) {
                return Some(Step::ConfirmLarge { usual });
            }
        }
        if new && !confirmed.contains(&Check::Duplicate) {
            if let Some(existing) = self.stored_duplicate(session) {
                return Some(Step::ConfirmDuplicate { existing });
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

    /// A new class's name as the summary shows it: marked new, and marked again when it
    /// has no diacritics, so a slip is seen before it is saved.
    pub(super) fn new_class_label(&self, name: &str) -> String {
        let key = if without_diacritics(name) {
            "entry.new_class_plain"
        } else {
            "entry.new_class"
        };
        self.catalog
            .render(key, self.lang, &[("name", &escape_html(name))])
    }

    /// Why a part of a quick entry was refused, naming what was typed ("không hiểu «…»").
    pub(super) fn quick_problem_text(&self, entry: &QuickEntry, problem: &QuickProblem) -> String {
        let lang = self.lang;
        let question = self.catalog.question(problem.question()).map(|(_, q)| q);
        let typed = match problem {
            QuickProblem::TotalInvalid(typed, _) | QuickProblem::FemaleInvalid(typed, _) => {
                Some(typed.clone())
            }
            QuickProblem::DateInvalid(typed) => Some(typed.clone()),
            QuickProblem::DateInFuture(date) => Some(format_date(*date)),
            _ => None,
        };
        let reason = match (problem, question, problem.error()) {
            (QuickProblem::FemaleAboveTotal(female), _, _) => {
                let total = entry.total.unwrap_or(0);
                self.catalog.render(
                    "entry.swap",
                    lang,
                    &[
                        ("total", &format_count(u64::from(*female), lang)),
                        ("female", &format_count(u64::from(total), lang)),
                    ],
                )
            }
            (_, Some(question), Some(code)) => {
                let limits = question_limits(&question.kind, lang);
                let today = format_date(self.now.today);
                let mut values: Vec<(&str, &str)> =
                    limits.iter().map(|(k, v)| (*k, v.as_str())).collect();
                values.push(("today", &today));
                self.catalog.error(question, code, lang, &values)
            }
            (_, Some(question), None) => self.catalog.render(
                "quick.not_understood",
                lang,
                &[("missing", &escape_html(question.label.get(lang)))],
            ),
            _ => String::new(),
        };
        match typed {
            Some(typed) => self.catalog.render(
                "entry.refused_part",
                lang,
                &[("typed", &escape_html(&typed)), ("reason", &reason)],
            ),
            None => reason,
        }
    }

    /// "450 people: more than three times this class's usual 45. Right?"
    pub(super) fn ask_large(&mut self, usual: Option<u32>) {
        let lang = self.lang;
        let total = match self.answer("total") {
            Some(Answer::Number(n)) => *n,
            _ => return self.advance(false),
        };
        let total_s = format_count(u64::from(total), lang);
        let html = match usual {
            Some(usual) => self.catalog.render(
                "entry.large_usual",
                lang,
                &[
                    ("total", &total_s),
                    ("usual", &format_count(u64::from(usual), lang)),
                ],
            ),
            None => self.catalog.render(
                "entry.large",
                lang,
                &[
                    ("total", &total_s),
                    (
                        "limit",
                        &format_count(u64::from(LARGE_WITHOUT_HISTORY), lang),
                    ),
                ],
            ),
        };
        let yes = self
            .catalog
            .render("entry.large_yes", lang, &[("total", &total_s)]);
        let rows = vec![
            vec![self.button(yes, &Action::Confirm)],
            vec![self.button(self.text("entry.large_no"), &Action::Reject)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// "The same as session no. 12, logged by Lan on 07/12. Save another one?"
    pub(super) fn ask_duplicate(&mut self, existing: u64) {
        let Some(record) = self.facts.session(existing) else {
            // Deleted meanwhile: nothing to compare with any more.
            if let Some(draft) = &mut self.state.draft {
                draft.confirmed.insert(Check::Duplicate);
            }
            return self.save();
        };
        let who = self
            .facts
            .members(record.centre)
            .into_iter()
            .find(|m| m.user == record.organiser)
            .map(|m| m.name)
            .filter(|name| !name.trim().is_empty())
            // Someone granted on the command line has no name until they write.
            .unwrap_or_else(|| record.organiser.to_string());
        let html = self.catalog.render(
            "entry.duplicate",
            self.lang,
            &[
                ("number", &record.id.to_string()),
                ("who", &escape_html(&who)),
                ("line", &escape_html(&self.session_line(&record))),
            ],
        );
        let rows = vec![
            vec![self.button(self.text("entry.duplicate_no"), &Action::Reject)],
            vec![self.button(self.text("dialog.edit_button"), &Action::Edit)],
            vec![self.button(self.text("entry.duplicate_yes"), &Action::Confirm)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// The answer to a pre-save question (`check`): confirmed saves, rejected goes back.
    pub(super) fn check_answered(&mut self, check: Check, action: &Action) {
        match action {
            Action::Confirm => {
                if let Some(draft) = &mut self.state.draft {
                    draft.confirmed.insert(check);
                }
                self.save();
            }
            Action::Reject if check == Check::LargeTotal => {
                self.set_step(Step::Asking {
                    question: "total".to_owned(),
                    editing: true,
                });
                self.state.stamp = self.state.stamp.wrapping_add(1);
                self.ask_current();
            }
            Action::Reject => {
                self.state.draft = None;
                self.effects.push(Effect::CloseButtons);
                let html = self.text("entry.duplicate_dropped");
                let keyboard = self.main_keyboard();
                self.say_with(html, keyboard);
            }
            Action::Edit => {
                self.set_step(Step::ChoosingEdit);
                self.state.stamp = self.state.stamp.wrapping_add(1);
                self.ask_current();
            }
            _ => self.stale(),
        }
    }

    /// Cancel pressed on a complete draft: ask once.
    pub(super) fn ask_cancel(&mut self) {
        let html = self.text("entry.confirm_cancel");
        let rows = vec![
            vec![self.button(self.text("entry.confirm_cancel_yes"), &Action::Confirm)],
            vec![self.button(self.text("dialog.back_button"), &Action::Reject)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    // ---- The nudge. ----

    /// The scheduler says a draft left at the summary is due for its one nudge.
    pub(super) fn save_nudge(&mut self) {
        let Some(draft) = &mut self.state.draft else {
            return;
        };
        if draft.nudged || draft.at != Step::Summary {
            return;
        }
        let expiry = self.facts.entry_rules().draft_expiry;
        if draft.touched.is_some_and(|t| self.now.at - t > expiry) {
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

    /// Save first and alone, Edit and Cancel below it.
    pub(super) fn summary_keyboard(&self) -> Keyboard {
        let save: Button = self.button(self.text("dialog.save_button"), &Action::Save);
        Keyboard::Inline(vec![
            vec![save],
            vec![
                self.button(self.text("dialog.edit_button"), &Action::Edit),
                self.button(self.text("dialog.cancel_button"), &Action::Cancel),
            ],
        ])
    }

    /// Asks for the nudge when a summary is shown and none was sent for this draft yet.
    pub(super) fn want_nudge(&mut self) {
        if self.state.draft.as_ref().is_some_and(|d| !d.nudged) {
            let at = self.now.at + self.facts.entry_rules().nudge_after;
            self.effects.push(Effect::NudgeAt(at));
        }
    }
}

/// Whether a class name as typed carries no Vietnamese diacritics although it has letters
/// (`phong chong dich`): such a name is shown so that the organiser can fix it.
pub(super) fn without_diacritics(name: &str) -> bool {
    let letters = name.chars().any(char::is_alphabetic);
    letters && parse::fold(name) == name.to_lowercase() && name.is_ascii()
}

/// The `{min}`, `{max}` and `{other}` values an error of this question kind may name.
fn question_limits(kind: &QuestionKind, lang: Lang) -> Vec<(&'static str, String)> {
    match kind {
        QuestionKind::Number { min, max, .. } => vec![
            ("min", format_count(u64::from(*min), lang)),
            ("max", format_count(u64::from(*max), lang)),
        ],
        QuestionKind::Class {
            min_len, max_len, ..
        }
        | QuestionKind::Text { min_len, max_len } => {
            vec![("min", min_len.to_string()), ("max", max_len.to_string())]
        }
        _ => Vec::new(),
    }
}

/// `Some` when `total` is unusually large for a class whose latest attendances are
/// `history` (newest first, at most `HISTORY`): above three times their median when there
/// are enough of them, else above `LARGE_WITHOUT_HISTORY`. The inner value is that
/// median, when it was used.
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

    #[test]
    fn names_without_diacritics() {
        assert!(without_diacritics("phong chong sot xuat huyet"));
        assert!(!without_diacritics("Phòng chống sốt xuất huyết"));
        assert!(!without_diacritics("123"));
        assert!(without_diacritics("Tin hoc 2"));
    }
}
