//! The session dialog: asking the questions of `dialogs/session.toml` one by one,
//! validating answers, the summary with Save / Edit / Cancel, and saving.

use super::super::callback::Action;
use super::super::catalog::{Catalog, ChoiceOption, Question, QuestionKind};
use super::super::io::{Button, ClassRef, Effect, Keyboard, SavedInfo};
use super::super::parse::{self, NumberError};
use super::super::similar;
use super::super::state::{Answer, Draft, Step};
use super::Turn;
use crate::domain::{CentreId, ClassChoice, Lang, NewSession};
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
        self.state.draft = Some(Draft::new(centre, BTreeMap::new()));
        self.say_key("dialog.started");
        self.advance(false);
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

    pub(super) fn answer_text(&mut self, question_id: &str, editing: bool, text: &str) {
        let Some((_, question)) = self.catalog.question(question_id) else {
            return self.lost_question();
        };
        let question = question.clone();
        let answer = match &question.kind {
            QuestionKind::Group => self.group_from_text(text).map(Answer::Group),
            QuestionKind::Class { .. } => {
                return self.answer_class_name(question_id, editing, text);
            }
            QuestionKind::Date => match self.date_from_text(&question, text) {
                Ok((date, year_typed)) if !year_typed && self.far_back(date) => {
                    // The year was guessed and lands far back ("17/12" typed for
                    // "07/12"): show the full date and ask, rather than file it silently.
                    if let Some(draft) = &mut self.state.draft {
                        draft.proposed_date = Some(date);
                    }
                    self.set_step(Step::ConfirmDate {
                        question: question.id.clone(),
                        editing,
                    });
                    self.state.stamp = self.state.stamp.wrapping_add(1);
                    return self.ask_current();
                }
                result => result.map(|(date, _)| Answer::Date(date)),
            },
            QuestionKind::Number { min, max, at_most } => {
                if let Some((total, female)) = self.number_pair_for(&question, text) {
                    return self.accept_pair(total, female, editing);
                }
                match self.number_from_text(&question, *min, *max, at_most.as_deref(), text) {
                    Err(_) if self.swap_offer(&question, text).is_some() => {
                        let swapped = self.swap_offer(&question, text);
                        if let Some(draft) = &mut self.state.draft {
                            draft.proposed_swap = swapped;
                        }
                        self.set_step(Step::ConfirmSwap { editing });
                        self.state.stamp = self.state.stamp.wrapping_add(1);
                        return self.ask_current();
                    }
                    result => result.map(Answer::Number),
                }
            }
            QuestionKind::Text { min_len, max_len } => text_answer(
                self.catalog,
                &question,
                (*min_len, *max_len),
                text,
                self.lang,
            )
            .map(Answer::Text),
            QuestionKind::Choice { options } => choice_answer(options, text)
                .map(|id| Answer::Choice(id.to_owned()))
                .ok_or_else(|| self.text("dialog.use_buttons")),
        };
        match answer {
            Ok(answer) => self.accept(&question, answer, editing),
            Err(html) => {
                self.say(html);
                self.ask_current();
            }
        }
    }

    pub(super) fn group_from_text(&self, text: &str) -> Result<String, String> {
        self.catalog
            .group_by_name(text)
            .map(|g| g.id.clone())
            .ok_or_else(|| self.text("dialog.use_buttons"))
    }

    /// A typed date and whether its year was typed (rather than guessed).
    pub(super) fn date_from_text(
        &self,
        question: &Question,
        text: &str,
    ) -> Result<(chrono::NaiveDate, bool), String> {
        date_answer(self.catalog, question, text, self.now.today, self.lang)
    }

    /// Both counts typed at the attendance question (`45 30`, `45 người, 30 nữ`): the
    /// attendance and the women, when this question is the one the women's question is
    /// bounded by and both are within their questions' limits.
    fn number_pair_for(&self, question: &Question, text: &str) -> Option<(u32, u32)> {
        let (first, second) = parse::number_pair(text)?;
        let (_, female_q) = self.catalog.questions.iter().enumerate().find(|(_, q)| {
            matches!(&q.kind, QuestionKind::Number { at_most: Some(other), .. } if *other == question.id)
        })?;
        let within = |q: &Question, n: u64| match q.kind {
            QuestionKind::Number { min, max, .. } => (u64::from(min)..=u64::from(max)).contains(&n),
            _ => false,
        };
        let first_u = u32::try_from(first).ok()?;
        let second_u = u32::try_from(second).ok()?;
        // Either order is read; which one is the attendance is settled by `accept_pair`.
        (within(question, first.max(second)) && within(female_q, first.min(second)))
            .then_some((first_u, second_u))
            .filter(|_| female_q.id == "female" && question.id == "total")
    }

    /// Takes a typed pair as attendance and women; more women than people are offered
    /// swapped instead.
    fn accept_pair(&mut self, total: u32, female: u32, editing: bool) {
        let Some(draft) = &mut self.state.draft else {
            return;
        };
        if female > total {
            draft.proposed_swap = Some((female, total));
            draft.answers.remove("total");
            draft.answers.remove("female");
            self.set_step(Step::ConfirmSwap { editing });
            self.state.stamp = self.state.stamp.wrapping_add(1);
            return self.ask_current();
        }
        draft.set_numbers(total, female);
        self.advance(editing);
    }

    /// More women typed than the attendance answered: the swapped pair to offer.
    fn swap_offer(&self, question: &Question, text: &str) -> Option<(u32, u32)> {
        let QuestionKind::Number {
            at_most: Some(other),
            ..
        } = &question.kind
        else {
            return None;
        };
        let Some(Answer::Number(limit)) = self.answer(other) else {
            return None;
        };
        let typed = u32::try_from(parse::whole_number(text).ok()?).ok()?;
        let total_max = match self.catalog.question(other).map(|(_, q)| &q.kind) {
            Some(QuestionKind::Number { max, .. }) => *max,
            _ => return None,
        };
        (typed > *limit && typed <= total_max).then_some((typed, *limit))
    }

    pub(super) fn number_from_text(
        &self,
        question: &Question,
        min: u32,
        max: u32,
        at_most: Option<&str>,
        text: &str,
    ) -> Result<u32, String> {
        let value = number_answer(self.catalog, question, (min, max), text, self.lang)?;
        if let Some(other_id) = at_most {
            if let Some(Answer::Number(limit)) = self.answer(other_id) {
                if value > *limit {
                    return Err(above_other(
                        self.catalog,
                        question,
                        other_id,
                        *limit,
                        self.lang,
                    ));
                }
            }
        }
        Ok(value)
    }

    pub(super) fn answer_class_name(&mut self, question_id: &str, editing: bool, text: &str) {
        let Some((_, question)) = self.catalog.question(question_id) else {
            return self.lost_question();
        };
        let question = question.clone();
        let QuestionKind::Class {
            min_len, max_len, ..
        } = question.kind
        else {
            return self.lost_question();
        };
        let (display, key) = parse::class_name(text);
        if let Some(html) = class_name_problem(
            self.catalog,
            &question,
            (min_len, max_len),
            &display,
            self.lang,
        ) {
            self.say(html);
            self.ask_new_class_name(question_id, editing);
            return;
        }
        let Some(Answer::Group(group)) = self.answer("group").cloned() else {
            return self.lost_question();
        };
        let answer = match self.resolve_class(&group, display, &key) {
            ClassMatch::Known(answer) => answer,
            ClassMatch::Close {
                typed,
                suggestion,
                suggestion_name,
                suggestion_group,
            } => {
                return self.ask_did_you_mean(
                    question_id,
                    editing,
                    typed,
                    (suggestion, suggestion_name, suggestion_group),
                )
            }
        };
        self.accept(&question, answer, editing);
    }

    /// Asks "did you mean …?" about a typed class name close to an existing one.
    pub(super) fn ask_did_you_mean(
        &mut self,
        question: &str,
        editing: bool,
        typed: String,
        (suggestion, suggestion_name, suggestion_group): (u64, String, Option<String>),
    ) {
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.set_step(Step::ConfirmClass {
            question: question.to_owned(),
            editing,
            typed,
            suggestion,
            suggestion_name,
            suggestion_group,
        });
        self.ask_current();
    }

    /// A typed class name against the centre's classes of `group`: the same class (same
    /// key), a new one, or one edit away from an existing one (to be confirmed).
    pub(super) fn resolve_class(&self, group: &str, display: String, key: &str) -> ClassMatch {
        let centre = self.draft_centre();
        if let Some(existing) = self.facts.class_by_key(centre, group, key) {
            return ClassMatch::Known(Answer::Class {
                id: Some(existing.id),
                name: existing.name,
            });
        }
        let known = self
            .facts
            .recent_classes(centre, group, CLOSE_MATCH_CANDIDATES);
        match_new_class(
            &known,
            &self.facts.centre_classes(centre),
            group,
            display,
            key,
        )
    }

    /// The answer to "did you mean …?": the suggested class, or the typed name as new.
    pub(super) fn confirm_class(&mut self, action: Action) {
        let Some(Step::ConfirmClass {
            question,
            editing,
            typed,
            suggestion,
            suggestion_name,
            suggestion_group,
        }) = self.state.draft.as_ref().map(|d| d.at.clone())
        else {
            return self.stale();
        };
        let Some((_, q)) = self.catalog.question(&question) else {
            return self.lost_question();
        };
        let q = q.clone();
        let answer = match action {
            Action::Class(id) if id == suggestion => {
                if let Some(group) = suggestion_group {
                    // The class lives in another group: the session goes there with it.
                    let centre = self.draft_centre();
                    if self.facts.class_by_id(centre, &group, id).is_none() {
                        return self.stale();
                    }
                    if let Some(draft) = &mut self.state.draft {
                        draft
                            .answers
                            .insert("group".to_owned(), Answer::Group(group));
                    }
                }
                Answer::Class {
                    id: Some(suggestion),
                    name: suggestion_name,
                }
            }
            Action::NewClass => Answer::Class {
                id: None,
                name: typed,
            },
            _ => return self.stale(),
        };
        self.accept(&q, answer, editing);
    }

    pub(super) fn answer_button(&mut self, question_id: &str, editing: bool, action: Action) {
        let Some((_, question)) = self.catalog.question(question_id) else {
            return self.lost_question();
        };
        let question = question.clone();
        let answer = match (&question.kind, action) {
            (_, Action::Skip) if question.optional => Answer::Skipped,
            (QuestionKind::Group, Action::Group(id)) if self.catalog.group(&id).is_some() => {
                Answer::Group(id)
            }
            (QuestionKind::Class { .. }, Action::NewClass) => {
                self.ask_new_class_name(question_id, editing);
                return;
            }
            (QuestionKind::Class { .. }, Action::Class(id)) => {
                let Some(Answer::Group(group)) = self.answer("group").cloned() else {
                    return self.stale();
                };
                match self.facts.class_by_id(self.draft_centre(), &group, id) {
                    Some(class) => Answer::Class {
                        id: Some(class.id),
                        name: class.name,
                    },
                    None => return self.stale(),
                }
            }
            (QuestionKind::Date, Action::Today) => Answer::Date(self.now.today),
            (QuestionKind::Date, Action::Yesterday) => {
                Answer::Date(self.now.today.pred_opt().unwrap_or(self.now.today))
            }
            (QuestionKind::Choice { options }, Action::Option(id))
                if options.iter().any(|o| o.id == id) =>
            {
                Answer::Choice(id)
            }
            (_, Action::Back) if editing => {
                // Back to the summary, unless an answer is missing (one dropped because
                // it no longer fitted): then that question comes first.
                self.advance(true);
                return;
            }
            _ => return self.stale(),
        };
        self.accept(&question, answer, editing);
    }

    // ---- Moving through the questions. ----

    pub(super) fn answer(&self, question_id: &str) -> Option<&Answer> {
        self.state.draft.as_ref()?.answers.get(question_id)
    }

    pub(super) fn draft_centre(&self) -> CentreId {
        self.state.draft.as_ref().map_or(0, |d| d.centre)
    }

    pub(super) fn set_step(&mut self, at: Step) {
        if let Some(draft) = &mut self.state.draft {
            draft.at = at;
        }
    }

    /// Stores an accepted answer and moves on. Answers that depended on the changed one
    /// (the class of a changed group, a female count above a lowered total) are dropped
    /// so that they are asked again rather than kept wrong.
    pub(super) fn accept(&mut self, question: &Question, answer: Answer, editing: bool) {
        let catalog = self.catalog;
        let Some(draft) = &mut self.state.draft else {
            return;
        };
        let changed = draft.answers.get(&question.id) != Some(&answer);
        draft.answers.insert(question.id.clone(), answer);
        if changed {
            // A confirmation was about the values as they were.
            draft.confirmed.clear();
            for dependent in &catalog.questions {
                let depends = match &dependent.kind {
                    QuestionKind::Class { .. } => question.kind == QuestionKind::Group,
                    QuestionKind::Number {
                        at_most: Some(other),
                        ..
                    } => *other == question.id,
                    _ => false,
                };
                if depends && !still_valid(dependent, &draft.answers) {
                    draft.answers.remove(&dependent.id);
                }
            }
        }
        self.advance(editing);
    }

    /// Asks the first unanswered question, or shows the summary when all are answered.
    pub(super) fn advance(&mut self, editing: bool) {
        let Some(draft) = &mut self.state.draft else {
            return;
        };
        let next = self
            .catalog
            .questions
            .iter()
            .find(|q| !draft.answers.contains_key(&q.id));
        draft.at = match next {
            Some(q) if q.kind == QuestionKind::Date && draft.proposed_date.is_some() => {
                Step::ConfirmDate {
                    question: q.id.clone(),
                    editing,
                }
            }
            Some(q) if (q.id == "total" || q.id == "female") && draft.proposed_swap.is_some() => {
                Step::ConfirmSwap { editing }
            }
            Some(q) => Step::Asking {
                question: q.id.clone(),
                editing,
            },
            None => Step::Summary,
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.ask_current();
    }

    pub(super) fn ask_new_class_name(&mut self, question_id: &str, editing: bool) {
        self.set_step(Step::NewClassName {
            question: question_id.to_owned(),
            editing,
        });
        self.ask_current();
    }

    /// Sends the prompt for wherever the draft stands, with its buttons.
    pub(super) fn ask_current(&mut self) {
        let Some(draft) = &self.state.draft else {
            return;
        };
        match draft.at.clone() {
            Step::Asking { question, editing } => self.ask_question(&question, editing),
            Step::NewClassName { .. } => {
                let html = self.text("dialog.new_class_prompt");
                let back = self.button(self.text("dialog.back_button"), &Action::Back);
                self.say_with(html, Keyboard::Inline(vec![vec![back]]));
            }
            Step::ConfirmClass {
                suggestion,
                suggestion_name,
                suggestion_group: None,
                ..
            } => {
                let html = self.catalog.render(
                    "quick.did_you_mean",
                    self.lang,
                    &[("name", &escape_html(&suggestion_name))],
                );
                let same = self.button(
                    self.text("quick.same_class_button"),
                    &Action::Class(suggestion),
                );
                let new = self.button(self.text("quick.new_class_button"), &Action::NewClass);
                self.say_with(html, Keyboard::Inline(vec![vec![same], vec![new]]));
            }
            Step::ConfirmClass {
                suggestion,
                suggestion_name,
                suggestion_group: Some(other),
                ..
            } => {
                let label = |id: &str| {
                    self.catalog
                        .group(id)
                        .map_or_else(|| id.to_owned(), |g| g.short.get(self.lang).to_owned())
                };
                let here = match self.answer("group") {
                    Some(Answer::Group(group)) => label(group),
                    _ => String::new(),
                };
                let values = [
                    ("name", escape_html(&suggestion_name)),
                    ("group", escape_html(&label(&other))),
                    ("here", escape_html(&here)),
                ];
                let values: Vec<(&str, &str)> =
                    values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let html = self
                    .catalog
                    .render("entry.class_elsewhere", self.lang, &values);
                let same_label =
                    self.catalog
                        .render("entry.class_elsewhere_same", self.lang, &values);
                let new_label =
                    self.catalog
                        .render("entry.class_elsewhere_new", self.lang, &values);
                let same = self.button(same_label, &Action::Class(suggestion));
                let new = self.button(new_label, &Action::NewClass);
                self.say_with(html, Keyboard::Inline(vec![vec![same], vec![new]]));
            }
            Step::ConfirmDate { .. } => self.ask_date_confirmation(),
            Step::ConfirmSwap { .. } => self.ask_swap(),
            Step::ConfirmLarge { usual } => self.ask_large(usual),
            Step::ConfirmDuplicate { existing } => self.ask_duplicate(existing),
            Step::ConfirmCancel => self.ask_cancel(),
            Step::Summary => self.show_summary(),
            Step::ChoosingEdit => {
                let mut rows: Vec<Vec<Button>> = self
                    .catalog
                    .questions
                    .iter()
                    .map(|q| {
                        vec![self.button(
                            q.label.get(self.lang).to_owned(),
                            &Action::EditQuestion(q.id.clone()),
                        )]
                    })
                    .collect();
                rows.push(vec![
                    self.button(self.text("dialog.back_button"), &Action::Back)
                ]);
                let html = self.text("dialog.edit_prompt");
                self.say_with(html, Keyboard::Inline(rows));
            }
        }
    }

    pub(super) fn ask_question(&mut self, question_id: &str, editing: bool) {
        let Some((_, question)) = self.catalog.question(question_id) else {
            return self.lost_question();
        };
        let lang = self.lang;
        let mut rows: Vec<Vec<Button>> = match &question.kind {
            QuestionKind::Group => self
                .catalog
                .groups
                .chunks(2)
                .map(|pair| {
                    pair.iter()
                        .map(|g| {
                            self.button(g.short.get(lang).to_owned(), &Action::Group(g.id.clone()))
                        })
                        .collect()
                })
                .collect(),
            QuestionKind::Class { max_buttons, .. } => {
                let group = match self.answer("group") {
                    Some(Answer::Group(group)) => group.clone(),
                    _ => return self.lost_question(),
                };
                let mut rows: Vec<Vec<Button>> = self
                    .facts
                    .recent_classes(self.draft_centre(), &group, *max_buttons)
                    .into_iter()
                    .map(|c| vec![self.button(c.name, &Action::Class(c.id))])
                    .collect();
                rows.push(vec![
                    self.button(self.text("dialog.new_class_button"), &Action::NewClass)
                ]);
                rows
            }
            QuestionKind::Date => vec![vec![
                self.button(self.text("dialog.today_button"), &Action::Today),
                self.button(self.text("dialog.yesterday_button"), &Action::Yesterday),
            ]],
            QuestionKind::Choice { options } => options
                .iter()
                .map(|o| {
                    vec![self.button(o.label.get(lang).to_owned(), &Action::Option(o.id.clone()))]
                })
                .collect(),
            QuestionKind::Number { .. } | QuestionKind::Text { .. } => Vec::new(),
        };
        if question.optional {
            rows.push(vec![
                self.button(self.text("dialog.skip_button"), &Action::Skip)
            ]);
        }
        if editing {
            rows.push(vec![
                self.button(self.text("dialog.back_button"), &Action::Back)
            ]);
        }
        let html = question.prompt.get(lang).to_owned();
        if rows.is_empty() {
            self.say(html);
        } else {
            self.say_with(html, Keyboard::Inline(rows));
        }
    }

    pub(super) fn show_summary(&mut self) {
        if self.state.draft.is_none() {
            return;
        }
        let lines = self.draft_lines();
        let html = self
            .catalog
            .render("dialog.summary", self.lang, &[("answers", &lines)]);
        let keyboard = self.summary_keyboard();
        self.say_with(html, keyboard);
        self.want_nudge();
    }

    /// An answer as shown in the summary (escaped HTML).
    pub(super) fn describe(&self, answer: &Answer) -> String {
        let lang = self.lang;
        match answer {
            Answer::Group(id) => self
                .catalog
                .group(id)
                .map_or_else(|| escape_html(id), |g| escape_html(g.short.get(lang))),
            Answer::Class { id: None, name } => self.new_class_label(name),
            Answer::Class { name, .. } | Answer::Text(name) => escape_html(name),
            Answer::Date(date) => self.show_date(*date),
            Answer::Number(n) => format_count(u64::from(*n), lang),
            Answer::Choice(id) => self
                .catalog
                .questions
                .iter()
                .find_map(|q| match &q.kind {
                    QuestionKind::Choice { options } => options.iter().find(|o| o.id == *id),
                    _ => None,
                })
                .map_or_else(|| escape_html(id), |o| escape_html(o.label.get(lang))),
            Answer::Skipped => "—".to_owned(),
        }
    }

    /// The draft refers to a question the dialog files no longer have (they changed
    /// between two steps): start the remaining questions over rather than get stuck.
    pub(super) fn lost_question(&mut self) {
        let catalog = self.catalog;
        if let Some(draft) = &mut self.state.draft {
            draft
                .answers
                .retain(|id, _| catalog.questions.iter().any(|q| q.id == *id));
        }
        self.advance(false);
    }

    // ---- Saving. ----

    pub(super) fn save(&mut self) {
        let Some(mut draft) = self.state.draft.take() else {
            return self.stale();
        };
        // The unusual is asked about once before anything is saved.
        if let Some(session) = self.new_session(&draft) {
            if let Some(step) =
                self.unconfirmed_check(&session, &draft.confirmed, draft.session.is_none())
            {
                draft.at = step;
                self.state.draft = Some(draft);
                self.state.stamp = self.state.stamp.wrapping_add(1);
                return self.ask_current();
            }
        }
        match (self.new_session(&draft), draft.session) {
            (Some(session), Some(id)) => {
                // A correction: the permission was checked when it was opened and is
                // checked again here, since time (the edit window) may have passed.
                match self.facts.session(id) {
                    Some(saved) if self.may_correct_saved(&saved) => {
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
                self.state.draft = Some(draft);
                self.advance(false);
            }
        }
    }

    pub(super) fn new_session(&self, draft: &Draft) -> Option<NewSession> {
        let Some(Answer::Group(group)) = draft.answers.get("group") else {
            return None;
        };
        let Some(Answer::Class { id, name }) = draft.answers.get("class") else {
            return None;
        };
        let Some(Answer::Date(date)) = draft.answers.get("date") else {
            return None;
        };
        let Some(Answer::Number(total)) = draft.answers.get("total") else {
            return None;
        };
        let Some(Answer::Number(female)) = draft.answers.get("female") else {
            return None;
        };
        let class = match id {
            Some(id) => ClassChoice::Existing(*id),
            None => {
                let (name, key) = parse::class_name(name);
                ClassChoice::New { name, key }
            }
        };
        let extra = self
            .catalog
            .questions
            .iter()
            .filter(|q| !BUILT_IN.contains(&q.id.as_str()))
            .filter_map(|q| {
                let value = match draft.answers.get(&q.id)? {
                    Answer::Text(t) | Answer::Choice(t) => t.clone(),
                    Answer::Number(n) => n.to_string(),
                    Answer::Date(d) => d.to_string(),
                    Answer::Skipped => return None,
                    Answer::Group(g) => g.clone(),
                    Answer::Class { name, .. } => name.clone(),
                };
                Some((q.id.clone(), value))
            })
            .collect();
        Some(NewSession {
            centre: draft.centre,
            organiser: self.sender.user,
            group: group.clone(),
            class,
            date: *date,
            total: *total,
            female: *female,
            extra,
            created_at: self.now.at,
        })
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

/// How many of a group's classes a typed name is compared with for "did you mean".
const CLOSE_MATCH_CANDIDATES: usize = 200;

/// What a typed class name turned out to be.
pub(super) enum ClassMatch {
    /// An existing class (same key) or a plainly new one.
    Known(Answer),
    /// Close to an existing class: ask before creating a near-duplicate.
    Close {
        typed: String,
        suggestion: u64,
        suggestion_name: String,
        /// The suggestion's group when it is another group than the draft's.
        suggestion_group: Option<String>,
    },
}

/// A typed class name that no class of `group` has as its key, against the group's
/// classes (`known`, most recent first) and every class of the centre (`all`, with their
/// groups): one edit away from a class of the group, or the same name (or one edit away)
/// under another group, is `Close` (to be asked about); anything else is a new class.
pub(super) fn match_new_class(
    known: &[ClassRef],
    all: &[(ClassRef, String)],
    group: &str,
    display: String,
    key: &str,
) -> ClassMatch {
    let keys: Vec<(u64, String)> = known
        .iter()
        .map(|c| (c.id, parse::class_name(&c.name).1))
        .collect();
    let close = similar::close_match(key, keys.iter().map(|(id, k)| (*id, k.as_str())));
    if let Some(class) = close.and_then(|id| known.iter().find(|c| c.id == id)) {
        return ClassMatch::Close {
            typed: display,
            suggestion: class.id,
            suggestion_name: class.name.clone(),
            suggestion_group: None,
        };
    }
    // The same class under another group (typed under the wrong one): one class must
    // not be counted in two rows of the report, so ask.
    let elsewhere: Vec<&(ClassRef, String)> = all.iter().filter(|(_, g)| g != group).collect();
    let folded = parse::fold(key);
    let same_name = elsewhere
        .iter()
        .find(|(c, _)| parse::fold(&c.name) == folded)
        .map(|(c, _)| c.id);
    let close = same_name.or_else(|| {
        similar::close_match(key, elsewhere.iter().map(|(c, _)| (c.id, c.name.as_str())))
    });
    match close.and_then(|id| elsewhere.into_iter().find(|(c, _)| c.id == id)) {
        Some((class, other_group)) => ClassMatch::Close {
            typed: display,
            suggestion: class.id,
            suggestion_name: class.name.clone(),
            suggestion_group: Some(other_group.clone()),
        },
        None => ClassMatch::Known(Answer::Class {
            id: None,
            name: display,
        }),
    }
}

/// A typed date as the date question takes it, and whether its year was typed: `Err`
/// with the question's error text when it is no date or lies after `today`.
pub(super) fn date_answer(
    catalog: &Catalog,
    question: &Question,
    text: &str,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<(chrono::NaiveDate, bool), String> {
    match parse::date_typed(text, today) {
        None => Err(catalog.error(question, "bad_date", lang, &[])),
        Some((date, _)) if date > today => Err(catalog.error(
            question,
            "future_date",
            lang,
            &[("today", &format_date(today))],
        )),
        Some(found) => Ok(found),
    }
}

/// A typed whole number within `(min, max)` of a number question, or its error text.
/// The comparison with another answer (`at_most`) is the caller's (`above_other`).
pub(super) fn number_answer(
    catalog: &Catalog,
    question: &Question,
    (min, max): (u32, u32),
    text: &str,
    lang: Lang,
) -> Result<u32, String> {
    let min_s = format_count(u64::from(min), lang);
    let max_s = format_count(u64::from(max), lang);
    let value = match parse::whole_number(text) {
        Ok(n) => n,
        Err(NumberError::NotANumber) => {
            return Err(catalog.error(question, "not_a_number", lang, &[]))
        }
        Err(NumberError::Negative) => {
            return Err(catalog.error(question, "too_small", lang, &[("min", &min_s)]))
        }
        Err(NumberError::TooLarge) => {
            return Err(catalog.error(question, "too_large", lang, &[("max", &max_s)]))
        }
    };
    if value < u64::from(min) {
        return Err(catalog.error(question, "too_small", lang, &[("min", &min_s)]));
    }
    if value > u64::from(max) {
        return Err(catalog.error(question, "too_large", lang, &[("max", &max_s)]));
    }
    // The range check above bounds the value by a u32 maximum.
    Ok(u32::try_from(value).unwrap_or(max))
}

/// The error of a number above the answer to `other_id` (the women above the attendance).
pub(super) fn above_other(
    catalog: &Catalog,
    question: &Question,
    other_id: &str,
    limit: u32,
    lang: Lang,
) -> String {
    let label = catalog
        .question(other_id)
        .map_or(other_id.to_owned(), |(_, q)| q.label.get(lang).to_owned());
    catalog.error(
        question,
        "above_other",
        lang,
        &[
            ("other", &label),
            ("max", &format_count(u64::from(limit), lang)),
        ],
    )
}

/// Why `display` (a class name as `parse::class_name` shows it) cannot be a class name
/// of `question`, whose length limits are `(min, max)`: too short, too long, or without
/// two letters or digits. `None` when it can.
pub(super) fn class_name_problem(
    catalog: &Catalog,
    question: &Question,
    (min, max): (usize, usize),
    display: &str,
    lang: Lang,
) -> Option<String> {
    if let Err((code, n)) = check_length(display, min, max) {
        return Some(catalog.error(question, code, lang, &[(limit_name(code), &n)]));
    }
    if !parse::has_two_alphanumerics(display) {
        return Some(catalog.error(question, "no_letters", lang, &[]));
    }
    None
}

/// A typed free-text answer, cleaned as class names are, within `(min, max)` characters.
pub(super) fn text_answer(
    catalog: &Catalog,
    question: &Question,
    (min, max): (usize, usize),
    text: &str,
    lang: Lang,
) -> Result<String, String> {
    let (display, _) = parse::class_name(text);
    check_length(&display, min, max)
        .map(|()| display)
        .map_err(|(code, n)| catalog.error(question, code, lang, &[(limit_name(code), &n)]))
}

/// The id of the option whose label, in any language, is `text`.
pub(super) fn choice_answer<'a>(options: &'a [ChoiceOption], text: &str) -> Option<&'a str> {
    options
        .iter()
        .find(|o| {
            Lang::ALL
                .iter()
                .any(|&l| parse::same_words(o.label.get(l), text))
        })
        .map(|o| o.id.as_str())
}

/// The questions whose answers are session fields rather than extra answers.
pub(super) const BUILT_IN: [&str; 5] = ["group", "class", "date", "total", "female"];

/// Whether a dependent answer still satisfies its question after another answer changed.
fn still_valid(question: &Question, answers: &BTreeMap<String, Answer>) -> bool {
    match (&question.kind, answers.get(&question.id)) {
        (_, None) => true,
        (QuestionKind::Class { .. }, Some(_)) => false,
        (
            QuestionKind::Number {
                at_most: Some(other),
                ..
            },
            Some(Answer::Number(value)),
        ) => match answers.get(other) {
            Some(Answer::Number(limit)) => value <= limit,
            _ => true,
        },
        _ => true,
    }
}

/// Checks a typed text's length in characters; on failure returns the error code and the limit.
fn check_length(text: &str, min: usize, max: usize) -> Result<(), (&'static str, String)> {
    let length = text.chars().count();
    if length < min {
        Err(("too_short", min.to_string()))
    } else if length > max {
        Err(("too_long", max.to_string()))
    } else {
        Ok(())
    }
}

/// The placeholder name of the limit an error code mentions.
fn limit_name(code: &str) -> &'static str {
    if code == "too_short" {
        "min"
    } else {
        "max"
    }
}
