//! A session being entered, as one pure state machine: its answers, the step it stands at,
//! and what each event does to it (an answer accepted, a value confirmed, a move between
//! the summary and its screens), checked against the questions of the catalog.
//!
//! Nothing here builds a reply or reads a stored fact: the engine reads what the person
//! typed or pressed into an [`Event`] (`engine/answers.rs`), applies it with
//! [`Draft::on`], does what the returned [`Next`] says, and shows where the draft stands
//! (`engine/prompts.rs`). The draft is stored in the chat state between two updates.

use super::catalog::{Catalog, Question, QuestionKind};
use super::parse;
use super::quick::{QuickEntry, QuickProblem};
use crate::domain::{CentreId, ClassChoice, ClassId, NewSession, SessionId, UserId};
use crate::roles::Access;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A session being entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub centre: CentreId,
    /// The saved session being corrected, when this draft edits one.
    #[serde(default)]
    pub session: Option<SessionId>,
    /// Answers so far, by question id.
    pub answers: BTreeMap<String, Answer>,
    /// Where the dialog stands.
    pub at: Step,
    /// When the person last worked on it; a draft left longer than the expiry is dropped.
    #[serde(default)]
    pub touched: Option<DateTime<Utc>>,
    /// Unusual values the person has confirmed; each is asked about once.
    #[serde(default)]
    pub confirmed: BTreeSet<Check>,
    /// A date read without a year that lies far back: shown in full and confirmed before
    /// it becomes the answer.
    #[serde(default)]
    pub proposed_date: Option<NaiveDate>,
    /// More women than people were typed: the swapped pair `(total, female)` is offered.
    #[serde(default)]
    pub proposed_swap: Option<(u32, u32)>,
    /// Whether the "not saved yet" nudge was sent for this draft.
    #[serde(default)]
    pub nudged: bool,
}

/// An unusual value the person is asked to confirm before saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Check {
    /// An attendance far above the class's usual one (or above 500 without history).
    LargeTotal,
    /// The same centre, class, date and numbers as a stored session.
    Duplicate,
}

/// The point a draft has reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Asking the question with this id.
    Asking { question: String, editing: bool },
    /// The class question, after "new class" was pressed: waiting for the typed name.
    NewClassName { question: String, editing: bool },
    /// A typed class name is one edit away from an existing class: "did you mean …?"
    ConfirmClass {
        question: String,
        editing: bool,
        /// The name as typed (the new class if the user says no).
        typed: String,
        /// The existing class suggested.
        suggestion: ClassId,
        suggestion_name: String,
        /// The suggested class's group when it is not the draft's group: choosing it
        /// moves the session to that group.
        #[serde(default)]
        suggestion_group: Option<String>,
    },
    /// A date typed without a year lies far back: "17/12/2025 — last year, right?"
    ConfirmDate { question: String, editing: bool },
    /// More women than people: offer the swapped pair.
    ConfirmSwap { editing: bool },
    /// The attendance is far above usual: confirm before saving. `usual` is the median
    /// of the class's recent sessions, when it has enough of them.
    ConfirmLarge { usual: Option<u32> },
    /// A stored session has the same class, date and numbers: save another one?
    ConfirmDuplicate { existing: SessionId },
    /// Cancel pressed on a complete draft: drop it?
    ConfirmCancel,
    /// Showing the summary with Save / Edit / Cancel.
    Summary,
    /// Showing the list of answers to change.
    ChoosingEdit,
}

/// One answer of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// An activity group, by stable id.
    Group(String),
    /// An existing class, or a new class name.
    Class {
        id: Option<ClassId>,
        name: String,
    },
    Date(NaiveDate),
    Number(u32),
    Text(String),
    /// A choice option, by id.
    Choice(String),
    /// An optional question the user skipped.
    Skipped,
}

/// An existing class offered for a typed class name one edit away from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The name as typed (the new class if the person says no).
    pub typed: String,
    pub class: ClassId,
    pub name: String,
    /// The class's group when it is not the draft's group.
    pub group: Option<String>,
}

/// What happened to a draft, read from what the person typed or pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An answer, already read and checked, to the question being asked.
    Answer(Answer),
    /// The attendance and the women typed together at the attendance question.
    Numbers {
        total: u32,
        female: u32,
    },
    /// A date whose year was guessed lies far back: confirm it first.
    FarBackDate(NaiveDate),
    /// More women than people: offer this pair `(total, female)` instead.
    Swap(u32, u32),
    /// A typed class name is close to an existing class: ask "did you mean …?".
    CloseClass(Suggestion),
    /// "New class" pressed at the class question: the name is typed next.
    TypeClassName,
    /// A typed answer was refused (the engine says why): the question is asked again.
    Refused,
    /// The draft names a question or answer the dialog files no longer have.
    Lost,
    Yes,
    No,
    Save,
    Edit,
    Cancel,
    Back,
    /// Change the answer to this question (from the list of answers).
    EditQuestion(String),
}

/// What the engine does after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Next {
    /// Ask where the draft now stands, under new buttons: those shown before no longer
    /// apply (the chat's stamp changes).
    Ask,
    /// Ask where the draft now stands; the buttons shown before still apply (a refused
    /// answer asked again, a screen of the same question, the summary's list of answers).
    AskSameButtons,
    /// Save it: Save pressed, or an unusual value confirmed. The engine looks for anything
    /// unusual still unconfirmed first (`Draft::confirm_first`).
    Save,
    /// Drop it: cancelled.
    Cancel,
    /// Drop it: the person does not want a second copy of a stored session.
    DropDuplicate,
}

/// Something unusual found before saving, confirmed once before the session is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusual {
    /// The attendance is far above the class's usual one (`None`: no history).
    LargeTotal { usual: Option<u32> },
    /// The same session is stored already.
    Duplicate { existing: SessionId },
}

/// Why open work (a draft, a multi-line entry) is dropped before an input continues it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lapse {
    /// The sender no longer logs for or manages its centre.
    NoLongerMember,
    /// It was left longer than the expiry.
    Expired,
}

/// Why open work for `centre`, last touched at `touched`, may no longer be continued by
/// someone with `access` at `now`; `None` while it may.
pub fn lapse(
    access: &Access,
    centre: CentreId,
    touched: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    expiry: Duration,
) -> Option<Lapse> {
    if !(access.may_log(centre) || access.may_manage(centre)) {
        Some(Lapse::NoLongerMember)
    } else if touched.is_some_and(|t| now - t > expiry) {
        Some(Lapse::Expired)
    } else {
        None
    }
}

/// The questions whose answers are session fields rather than extra answers.
pub(super) const BUILT_IN: [&str; 5] = ["group", "class", "date", "total", "female"];

impl Draft {
    /// A new draft for `centre` with the given answers, at the summary until it is
    /// started (`start`).
    pub fn new(centre: CentreId, answers: BTreeMap<String, Answer>) -> Draft {
        Draft {
            centre,
            session: None,
            answers,
            at: Step::Summary,
            touched: None,
            confirmed: BTreeSet::new(),
            proposed_date: None,
            proposed_swap: None,
            nudged: false,
        }
    }

    /// A draft from a quick entry for `centre`, not started yet: what was understood is
    /// answered (the class as the engine matched it against the stored classes, no date
    /// typed meaning `today`), a date whose guessed year lies `far_back` is proposed for
    /// confirmation, and more women than people are offered swapped.
    pub fn quick(
        centre: CentreId,
        entry: &QuickEntry,
        class: Option<Answer>,
        today: NaiveDate,
        far_back: impl Fn(NaiveDate) -> bool,
    ) -> Draft {
        let mut draft = Draft::new(centre, BTreeMap::new());
        let answers = &mut draft.answers;
        answers.insert("group".to_owned(), Answer::Group(entry.group.clone()));
        if let Some(class) = class {
            answers.insert("class".to_owned(), class);
        }
        if let Some(total) = entry.total {
            answers.insert("total".to_owned(), Answer::Number(total));
        }
        if let Some(female) = entry.female {
            answers.insert("female".to_owned(), Answer::Number(female));
        }
        let date_problem = entry.problems.iter().any(|p| p.question() == "date");
        match entry.date {
            // A year guessed far back is shown in full and confirmed first.
            Some(date) if entry.date_year_guessed && far_back(date) => {
                draft.proposed_date = Some(date);
            }
            Some(date) => {
                answers.insert("date".to_owned(), Answer::Date(date));
            }
            // No date typed means today, as the format explains.
            None if !date_problem => {
                answers.insert("date".to_owned(), Answer::Date(today));
            }
            None => {}
        }
        for problem in &entry.problems {
            if let (QuickProblem::FemaleAboveTotal(female), Some(total)) = (problem, entry.total) {
                // `sk 30 45`: the two numbers were probably typed the other way round.
                draft.proposed_swap = Some((*female, total));
                draft.answers.remove("total");
            }
        }
        draft
    }

    /// A draft correcting the saved session `id`, holding its answers: it opens at the
    /// list of answers to change, and its Save updates that session.
    pub fn correcting(id: SessionId, centre: CentreId, answers: BTreeMap<String, Answer>) -> Draft {
        Draft {
            session: Some(id),
            at: Step::ChoosingEdit,
            ..Draft::new(centre, answers)
        }
    }

    /// The answer to question `id`, if given.
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.get(id)
    }

    /// The activity group answered, if any.
    pub fn group(&self) -> Option<&str> {
        match self.answers.get("group") {
            Some(Answer::Group(group)) => Some(group),
            _ => None,
        }
    }

    /// Why the draft may no longer be continued by someone with `access` (see [`lapse`]).
    pub fn lapse(&self, access: &Access, now: DateTime<Utc>, expiry: Duration) -> Option<Lapse> {
        lapse(access, self.centre, self.touched, now, expiry)
    }

    /// The question typed text answers at this step and whether it is being changed from
    /// the summary; `None` where only buttons answer. Typing a number over the offer of
    /// swapped counts answers the women's question again, so the offer goes.
    pub fn typing(&mut self) -> Option<(String, bool)> {
        match &self.at {
            Step::Asking { question, editing }
            | Step::NewClassName { question, editing }
            | Step::ConfirmClass {
                question, editing, ..
            } => Some((question.clone(), *editing)),
            Step::ConfirmSwap { editing } => {
                self.proposed_swap = None;
                Some(("female".to_owned(), *editing))
            }
            Step::ConfirmDate { .. }
            | Step::ConfirmLarge { .. }
            | Step::ConfirmDuplicate { .. }
            | Step::ConfirmCancel
            | Step::Summary
            | Step::ChoosingEdit => None,
        }
    }

    /// Moves a new draft to its first unanswered question, or to the summary.
    pub fn start(&mut self, catalog: &Catalog) -> Next {
        self.advance(catalog, false)
    }

    /// Applies `event` at the current step. `None`: the event means nothing here (a
    /// button of another step), and the draft is unchanged.
    pub fn on(&mut self, catalog: &Catalog, event: Event) -> Option<Next> {
        use Next::{Ask, AskSameButtons};
        let next = match (self.at.clone(), event) {
            (_, Event::Lost) => self.repair(catalog),
            (
                Step::Asking { question, editing }
                | Step::NewClassName { question, editing }
                | Step::ConfirmClass {
                    question, editing, ..
                },
                Event::Answer(answer),
            ) => self.accept(catalog, &question, answer, editing),
            // A number typed instead of tapping the swap: the women's count typed again.
            (Step::ConfirmSwap { editing }, Event::Answer(answer)) => {
                self.accept(catalog, "female", answer, editing)
            }
            (Step::Asking { question, editing }, Event::Numbers { total, female })
                if question == "total" =>
            {
                self.accept_numbers(catalog, total, female, editing)
            }
            (Step::Asking { question, editing }, Event::FarBackDate(date))
                if is_date_question(catalog, &question) =>
            {
                // The year was guessed and lands far back ("17/12" typed for "07/12"):
                // show the full date and ask, rather than file it silently.
                self.proposed_date = Some(date);
                self.at = Step::ConfirmDate { question, editing };
                Ask
            }
            (
                Step::Asking { editing, .. } | Step::ConfirmSwap { editing },
                Event::Swap(total, female),
            ) => {
                self.proposed_swap = Some((total, female));
                self.at = Step::ConfirmSwap { editing };
                Ask
            }
            (
                Step::Asking { question, editing }
                | Step::NewClassName { question, editing }
                | Step::ConfirmClass {
                    question, editing, ..
                },
                Event::CloseClass(suggestion),
            ) if is_class_question(catalog, &question) => {
                self.offer_class(&question, editing, suggestion)
            }
            (
                Step::Asking { question, editing }
                | Step::NewClassName { question, editing }
                | Step::ConfirmClass {
                    question, editing, ..
                },
                Event::TypeClassName,
            ) if is_class_question(catalog, &question) => {
                self.at = Step::NewClassName { question, editing };
                AskSameButtons
            }
            (step, Event::Refused) => {
                // A refused class name is typed again; any other question is asked again.
                match step {
                    Step::Asking { question, editing }
                    | Step::NewClassName { question, editing }
                    | Step::ConfirmClass {
                        question, editing, ..
                    } if is_class_question(catalog, &question) => {
                        self.at = Step::NewClassName { question, editing };
                    }
                    _ => {}
                }
                AskSameButtons
            }
            // Back to the summary, unless an answer is missing (one dropped because it no
            // longer fitted): then that question comes first.
            (Step::Asking { editing: true, .. }, Event::Back) => self.advance(catalog, true),
            // Back from typing a new class name to the list of classes.
            (Step::NewClassName { question, editing }, Event::Back) => {
                self.at = Step::Asking { question, editing };
                AskSameButtons
            }
            (
                Step::ConfirmClass {
                    question,
                    editing,
                    suggestion,
                    suggestion_name,
                    suggestion_group,
                    ..
                },
                Event::Yes,
            ) => {
                if let Some(group) = suggestion_group {
                    // The class lives in another group: the session goes there with it.
                    self.answers
                        .insert("group".to_owned(), Answer::Group(group));
                }
                let class = Answer::Class {
                    id: Some(suggestion),
                    name: suggestion_name,
                };
                self.accept(catalog, &question, class, editing)
            }
            (
                Step::ConfirmClass {
                    question,
                    editing,
                    typed,
                    ..
                },
                Event::No,
            ) => {
                let class = Answer::Class {
                    id: None,
                    name: typed,
                };
                self.accept(catalog, &question, class, editing)
            }
            (Step::ConfirmDate { question, editing }, event @ (Event::Yes | Event::No)) => {
                match (event, self.proposed_date.take()) {
                    (Event::Yes, Some(date)) => {
                        self.accept(catalog, &question, Answer::Date(date), editing)
                    }
                    _ => {
                        self.at = Step::Asking { question, editing };
                        Ask
                    }
                }
            }
            (Step::ConfirmSwap { editing }, event @ (Event::Yes | Event::No)) => {
                match (event, self.proposed_swap.take()) {
                    (Event::Yes, Some((total, female))) => self.set_numbers(total, female),
                    _ => {
                        self.answers.remove("total");
                        self.answers.remove("female");
                    }
                }
                self.advance(catalog, editing)
            }
            (Step::ConfirmLarge { .. }, Event::Yes) => {
                self.confirmed.insert(Check::LargeTotal);
                Next::Save
            }
            (Step::ConfirmLarge { .. }, Event::No) => {
                self.at = Step::Asking {
                    question: "total".to_owned(),
                    editing: true,
                };
                Ask
            }
            (Step::ConfirmDuplicate { .. }, Event::Yes) => {
                self.confirmed.insert(Check::Duplicate);
                Next::Save
            }
            (Step::ConfirmDuplicate { .. }, Event::No) => Next::DropDuplicate,
            (Step::ConfirmDuplicate { .. }, Event::Edit) => {
                self.at = Step::ChoosingEdit;
                Ask
            }
            (Step::ConfirmCancel, Event::Yes) | (Step::ChoosingEdit, Event::Cancel) => Next::Cancel,
            (Step::ConfirmCancel, Event::No) => {
                self.at = Step::Summary;
                Ask
            }
            (Step::Summary, Event::Save) => Next::Save,
            (Step::Summary, Event::Edit) => {
                self.at = Step::ChoosingEdit;
                AskSameButtons
            }
            // A complete draft is work about to be thrown away: ask once.
            (Step::Summary, Event::Cancel) => {
                self.at = Step::ConfirmCancel;
                Ask
            }
            (Step::ChoosingEdit, Event::EditQuestion(id)) if catalog.question(&id).is_some() => {
                self.at = Step::Asking {
                    question: id,
                    editing: true,
                };
                AskSameButtons
            }
            (Step::ChoosingEdit, Event::Back) => {
                self.at = Step::Summary;
                AskSameButtons
            }
            _ => return None,
        };
        Some(next)
    }

    /// "Did you mean …?" about a typed class name close to an existing class.
    pub fn offer_class(&mut self, question: &str, editing: bool, suggestion: Suggestion) -> Next {
        self.at = Step::ConfirmClass {
            question: question.to_owned(),
            editing,
            typed: suggestion.typed,
            suggestion: suggestion.class,
            suggestion_name: suggestion.name,
            suggestion_group: suggestion.group,
        };
        Next::Ask
    }

    /// Asks about `unusual` before saving.
    pub fn confirm_first(&mut self, unusual: Unusual) -> Next {
        self.at = match unusual {
            Unusual::LargeTotal { usual } => Step::ConfirmLarge { usual },
            Unusual::Duplicate { existing } => Step::ConfirmDuplicate { existing },
        };
        Next::Ask
    }

    /// Makes the step something that can be shown when it no longer can (the dialog files
    /// changed between two steps, or a proposal is gone): `Some` when the draft moved.
    pub fn settle(&mut self, catalog: &Catalog) -> Option<Next> {
        let unsettled = match &self.at {
            Step::Asking { question, .. } => match catalog.question(question) {
                None => return Some(self.repair(catalog)),
                // The classes offered are the group's: without a group, start over.
                Some((_, q)) if matches!(q.kind, QuestionKind::Class { .. }) => {
                    if self.group().is_none() {
                        return Some(self.repair(catalog));
                    }
                    false
                }
                Some(_) => false,
            },
            Step::ConfirmDate { .. } => self.proposed_date.is_none(),
            Step::ConfirmSwap { .. } => self.proposed_swap.is_none(),
            Step::ConfirmLarge { .. } => {
                !matches!(self.answers.get("total"), Some(Answer::Number(_)))
            }
            _ => false,
        };
        unsettled.then(|| self.advance(catalog, false))
    }

    /// The session this draft saves, once every answer the report needs is given.
    pub fn session(
        &self,
        catalog: &Catalog,
        organiser: UserId,
        at: DateTime<Utc>,
    ) -> Option<NewSession> {
        let Some(Answer::Group(group)) = self.answers.get("group") else {
            return None;
        };
        let Some(Answer::Class { id, name }) = self.answers.get("class") else {
            return None;
        };
        let Some(Answer::Date(date)) = self.answers.get("date") else {
            return None;
        };
        let Some(Answer::Number(total)) = self.answers.get("total") else {
            return None;
        };
        let Some(Answer::Number(female)) = self.answers.get("female") else {
            return None;
        };
        let class = match id {
            Some(id) => ClassChoice::Existing(*id),
            None => {
                let (name, key) = parse::class_name(name);
                ClassChoice::New { name, key }
            }
        };
        let extra = catalog
            .questions
            .iter()
            .filter(|q| !BUILT_IN.contains(&q.id.as_str()))
            .filter_map(|q| {
                let value = match self.answers.get(&q.id)? {
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
            centre: self.centre,
            organiser,
            group: group.clone(),
            class,
            date: *date,
            total: *total,
            female: *female,
            extra,
            created_at: at,
        })
    }

    // ---- The transitions' steps. ----

    /// Stores an accepted answer and moves on. Answers that depended on the changed one
    /// (the class of a changed group, a female count above a lowered total) are dropped
    /// so that they are asked again rather than kept wrong.
    fn accept(&mut self, catalog: &Catalog, question: &str, answer: Answer, editing: bool) -> Next {
        let Some((_, question)) = catalog.question(question) else {
            return self.repair(catalog);
        };
        let changed = self.answers.get(&question.id) != Some(&answer);
        self.answers.insert(question.id.clone(), answer);
        if changed {
            // A confirmation was about the values as they were.
            self.confirmed.clear();
            for dependent in &catalog.questions {
                let depends = match &dependent.kind {
                    QuestionKind::Class { .. } => question.kind == QuestionKind::Group,
                    QuestionKind::Number {
                        at_most: Some(other),
                        ..
                    } => *other == question.id,
                    _ => false,
                };
                if depends && !still_valid(dependent, &self.answers) {
                    self.answers.remove(&dependent.id);
                }
            }
        }
        self.advance(catalog, editing)
    }

    /// Takes a typed pair as attendance and women; more women than people are offered
    /// swapped instead.
    fn accept_numbers(
        &mut self,
        catalog: &Catalog,
        total: u32,
        female: u32,
        editing: bool,
    ) -> Next {
        if female > total {
            self.proposed_swap = Some((female, total));
            self.answers.remove("total");
            self.answers.remove("female");
            self.at = Step::ConfirmSwap { editing };
            return Next::Ask;
        }
        self.set_numbers(total, female);
        self.advance(catalog, editing)
    }

    /// Answers the attendance and the women at once (a typed pair, an accepted swap);
    /// a confirmation given about the old numbers no longer holds.
    fn set_numbers(&mut self, total: u32, female: u32) {
        self.answers
            .insert("total".to_owned(), Answer::Number(total));
        self.answers
            .insert("female".to_owned(), Answer::Number(female));
        self.confirmed.clear();
    }

    /// Moves to the first unanswered question (or its pending confirmation), or to the
    /// summary when all are answered.
    fn advance(&mut self, catalog: &Catalog, editing: bool) -> Next {
        let next = catalog
            .questions
            .iter()
            .find(|q| !self.answers.contains_key(&q.id));
        self.at = match next {
            Some(q) if q.kind == QuestionKind::Date && self.proposed_date.is_some() => {
                Step::ConfirmDate {
                    question: q.id.clone(),
                    editing,
                }
            }
            Some(q) if (q.id == "total" || q.id == "female") && self.proposed_swap.is_some() => {
                Step::ConfirmSwap { editing }
            }
            Some(q) => Step::Asking {
                question: q.id.clone(),
                editing,
            },
            None => Step::Summary,
        };
        Next::Ask
    }

    /// The draft refers to a question the dialog files no longer have (they changed
    /// between two steps): start the remaining questions over rather than get stuck.
    fn repair(&mut self, catalog: &Catalog) -> Next {
        self.answers
            .retain(|id, _| catalog.questions.iter().any(|q| q.id == *id));
        self.advance(catalog, false)
    }
}

/// Whether question `id` is the class question.
fn is_class_question(catalog: &Catalog, id: &str) -> bool {
    catalog
        .question(id)
        .is_some_and(|(_, q)| matches!(q.kind, QuestionKind::Class { .. }))
}

/// Whether question `id` asks for a date.
fn is_date_question(catalog: &Catalog, id: &str) -> bool {
    catalog
        .question(id)
        .is_some_and(|(_, q)| q.kind == QuestionKind::Date)
}

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

#[cfg(test)]
mod tests;
