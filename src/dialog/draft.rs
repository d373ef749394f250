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

/// Whether open work for `centre`, last touched at `touched`, may still be continued by
/// someone with `access` at `now`.
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
const BUILT_IN: [&str; 5] = ["group", "class", "date", "total", "female"];

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

    /// Whether the draft may still be continued by someone with `access` (see [`lapse`]).
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
#[allow(clippy::unwrap_used)]
mod tests {
    //! Transitions of the draft, as scripts: each line is an event (or `start`, `unusual
    //! …`, `settle`, `typing`), followed by what the draft says comes next, the step it
    //! stands at and its answers.

    use super::*;
    use crate::dialog::catalog::LangText;
    use crate::dialog::load_embedded;
    use crate::roles::{Membership, Role};
    use expect_test::{expect, Expect};
    use std::fmt::Write;

    /// The shipped questions: group, class, date, total, female.
    fn shipped() -> Catalog {
        load_embedded().unwrap()
    }

    /// The shipped questions and an optional free-text "topic" after them.
    fn with_topic() -> Catalog {
        let mut catalog = shipped();
        let text = |s: &str| LangText {
            vi: s.to_owned(),
            en: s.to_owned(),
        };
        catalog.questions.push(Question {
            id: "topic".to_owned(),
            kind: QuestionKind::Text {
                min_len: 2,
                max_len: 100,
            },
            prompt: text("Topic?"),
            label: text("Topic"),
            optional: true,
            errors: BTreeMap::new(),
        });
        catalog
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The event a script line names.
    fn event(line: &str) -> Event {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let numbers = || -> (u32, u32) {
            let (a, b) = rest.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        };
        match word {
            "group" => Event::Answer(Answer::Group(rest.to_owned())),
            "class" => Event::Answer(match rest.strip_prefix('#') {
                Some(known) => {
                    let (id, name) = known.split_once(' ').unwrap();
                    Answer::Class {
                        id: Some(id.parse().unwrap()),
                        name: name.to_owned(),
                    }
                }
                None => Answer::Class {
                    id: None,
                    name: rest.to_owned(),
                },
            }),
            "date" => Event::Answer(Answer::Date(date(rest))),
            "number" => Event::Answer(Answer::Number(rest.parse().unwrap())),
            "text" => Event::Answer(Answer::Text(rest.to_owned())),
            "skip" => Event::Answer(Answer::Skipped),
            "numbers" => {
                let (total, female) = numbers();
                Event::Numbers { total, female }
            }
            "far-back" => Event::FarBackDate(date(rest)),
            "swap" => {
                let (total, female) = numbers();
                Event::Swap(total, female)
            }
            // `close #7 Tin học` (same group) or `close #7@law Tin học`.
            "close" => {
                let (class, name) = rest.split_once(' ').unwrap();
                let class = class.trim_start_matches('#');
                let (class, group) = match class.split_once('@') {
                    Some((class, group)) => (class, Some(group.to_owned())),
                    None => (class, None),
                };
                Event::CloseClass(Suggestion {
                    typed: "as typed".to_owned(),
                    class: class.parse().unwrap(),
                    name: name.to_owned(),
                    group,
                })
            }
            "new-class" => Event::TypeClassName,
            "refused" => Event::Refused,
            "lost" => Event::Lost,
            "yes" => Event::Yes,
            "no" => Event::No,
            "save" => Event::Save,
            "edit" => Event::Edit,
            "cancel" => Event::Cancel,
            "back" => Event::Back,
            "change" => Event::EditQuestion(rest.to_owned()),
            other => panic!("unknown event {other:?}"),
        }
    }

    /// Where the draft stands, in a few words.
    fn step(step: &Step) -> String {
        let editing = |editing: bool| if editing { " (editing)" } else { "" };
        match step {
            Step::Asking {
                question,
                editing: e,
            } => format!("asking {question}{}", editing(*e)),
            Step::NewClassName {
                question,
                editing: e,
            } => {
                format!("typing a new name for {question}{}", editing(*e))
            }
            Step::ConfirmClass {
                editing: e,
                typed,
                suggestion,
                suggestion_name,
                suggestion_group,
                ..
            } => format!(
                "did you mean #{suggestion} {suggestion_name:?}{} rather than {typed:?}{}",
                suggestion_group
                    .as_ref()
                    .map_or(String::new(), |g| format!(" of {g}")),
                editing(*e)
            ),
            Step::ConfirmDate {
                question,
                editing: e,
            } => {
                format!("confirming the {question}{}", editing(*e))
            }
            Step::ConfirmSwap { editing: e } => format!("offering the swap{}", editing(*e)),
            Step::ConfirmLarge { usual } => format!("confirming a large total, usual {usual:?}"),
            Step::ConfirmDuplicate { existing } => format!("confirming a duplicate of #{existing}"),
            Step::ConfirmCancel => "confirming the cancel".to_owned(),
            Step::Summary => "summary".to_owned(),
            Step::ChoosingEdit => "choosing an answer to change".to_owned(),
        }
    }

    /// The draft's answers and what it holds besides, on one line.
    fn holds(draft: &Draft) -> String {
        let mut out: Vec<String> = draft
            .answers
            .iter()
            .map(|(id, answer)| {
                let value = match answer {
                    Answer::Group(g) | Answer::Choice(g) => g.clone(),
                    Answer::Class { id: Some(id), name } => format!("#{id} {name}"),
                    Answer::Class { id: None, name } => format!("new {name}"),
                    Answer::Date(d) => d.to_string(),
                    Answer::Number(n) => n.to_string(),
                    Answer::Text(t) => format!("{t:?}"),
                    Answer::Skipped => "skipped".to_owned(),
                };
                format!("{id}={value}")
            })
            .collect();
        if let Some(date) = draft.proposed_date {
            out.push(format!("proposed date {date}"));
        }
        if let Some((total, female)) = draft.proposed_swap {
            out.push(format!("proposed {total}/{female}"));
        }
        if !draft.confirmed.is_empty() {
            out.push(format!("confirmed {:?}", draft.confirmed));
        }
        if out.is_empty() {
            return "no answers".to_owned();
        }
        out.join(", ")
    }

    /// Runs `script` on a new draft of centre 7 and compares the transcript.
    fn check_with(catalog: &Catalog, mut draft: Draft, script: &str, expect: Expect) {
        let mut out = String::new();
        for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let next = if line == "start" {
                Some(draft.start(catalog))
            } else if line == "settle" {
                draft.settle(catalog)
            } else if line == "typing" {
                let typing = draft.typing();
                let _ = writeln!(out, "{line} → {typing:?}");
                continue;
            } else if let Some(rest) = line.strip_prefix("unusual large ") {
                let usual = rest.parse().ok();
                Some(draft.confirm_first(Unusual::LargeTotal { usual }))
            } else if let Some(rest) = line.strip_prefix("unusual duplicate #") {
                let existing = rest.parse().unwrap();
                Some(draft.confirm_first(Unusual::Duplicate { existing }))
            } else {
                draft.on(catalog, event(line))
            };
            let next = next.map_or("nothing (unchanged)".to_owned(), |n| format!("{n:?}"));
            let _ = writeln!(out, "{line} → {next}: {}", step(&draft.at));
            let _ = writeln!(out, "    {}", holds(&draft));
        }
        expect.assert_eq(&out);
    }

    fn check(script: &str, expect: Expect) {
        check_with(&shipped(), Draft::new(7, BTreeMap::new()), script, expect);
    }

    #[test]
    fn the_questions_come_one_by_one_then_the_summary() {
        check(
            "start
             group health
             class Phòng chống dịch
             date 2026-12-07
             number 45
             number 30
             save",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class Phòng chống dịch → Ask: asking date
                    class=new Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=new Phòng chống dịch, date=2026-12-07, group=health
                number 45 → Ask: asking female
                    class=new Phòng chống dịch, date=2026-12-07, group=health, total=45
                number 30 → Ask: summary
                    class=new Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                save → Save: summary
                    class=new Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            "#]],
        );
    }

    #[test]
    fn a_button_of_another_step_changes_nothing() {
        check(
            "start
             save
             yes
             change date
             group health
             back
             edit",
            expect![[r#"
                start → Ask: asking group
                    no answers
                save → nothing (unchanged): asking group
                    no answers
                yes → nothing (unchanged): asking group
                    no answers
                change date → nothing (unchanged): asking group
                    no answers
                group health → Ask: asking class
                    group=health
                back → nothing (unchanged): asking class
                    group=health
                edit → nothing (unchanged): asking class
                    group=health
            "#]],
        );
    }

    #[test]
    fn an_event_for_another_kind_of_question_changes_nothing() {
        check(
            "start
             close #3 Phòng chống dịch
             new-class
             far-back 2025-12-17
             group health
             far-back 2025-12-17
             numbers 45 30",
            expect![[r#"
                start → Ask: asking group
                    no answers
                close #3 Phòng chống dịch → nothing (unchanged): asking group
                    no answers
                new-class → nothing (unchanged): asking group
                    no answers
                far-back 2025-12-17 → nothing (unchanged): asking group
                    no answers
                group health → Ask: asking class
                    group=health
                far-back 2025-12-17 → nothing (unchanged): asking class
                    group=health
                numbers 45 30 → nothing (unchanged): asking class
                    group=health
            "#]],
        );
    }

    #[test]
    fn a_changed_group_drops_the_class_and_asks_it_again() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             number 45
             number 30
             edit
             change group
             group law
             class #9 Luật giao thông
             edit
             change date
             date 2026-12-06
             edit
             change group
             group law
             edit
             back",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                number 45 → Ask: asking female
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health, total=45
                number 30 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                change group → AskSameButtons: asking group (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                group law → Ask: asking class (editing)
                    date=2026-12-07, female=30, group=law, total=45
                class #9 Luật giao thông → Ask: summary
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                change date → AskSameButtons: asking date (editing)
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                date 2026-12-06 → Ask: summary
                    class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
                change group → AskSameButtons: asking group (editing)
                    class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
                group law → Ask: summary
                    class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
                back → AskSameButtons: summary
                    class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
            "#]],
        );
    }

    #[test]
    fn a_lowered_attendance_drops_a_women_count_above_it() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             numbers 45 30
             edit
             change total
             number 40
             edit
             change total
             number 20
             number 20",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 45 30 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                change total → AskSameButtons: asking total (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                number 40 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=40
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=40
                change total → AskSameButtons: asking total (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=40
                number 20 → Ask: asking female (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health, total=20
                number 20 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=20
            "#]],
        );
    }

    #[test]
    fn back_from_a_changed_question_asks_a_dropped_answer_first() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             numbers 45 30
             edit
             change group
             back
             group law
             back",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 45 30 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                change group → AskSameButtons: asking group (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                back → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                group law → nothing (unchanged): summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                back → nothing (unchanged): summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            "#]],
        );
    }

    #[test]
    fn more_women_than_people_are_offered_swapped() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             numbers 30 45
             yes
             edit
             change female
             swap 45 30
             typing
             number 20
             edit
             change female
             swap 45 30
             no",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 30 45 → Ask: offering the swap
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health, proposed 45/30
                yes → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                change female → AskSameButtons: asking female (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                swap 45 30 → Ask: offering the swap (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, proposed 45/30
                typing → Some(("female", true))
                number 20 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45
                change female → AskSameButtons: asking female (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45
                swap 45 30 → Ask: offering the swap (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45, proposed 45/30
                no → Ask: asking total (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
            "#]],
        );
    }

    #[test]
    fn a_date_far_back_is_confirmed_or_asked_again() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             far-back 2025-12-17
             no
             far-back 2025-12-17
             yes",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                far-back 2025-12-17 → Ask: confirming the date
                    class=#3 Phòng chống dịch, group=health, proposed date 2025-12-17
                no → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                far-back 2025-12-17 → Ask: confirming the date
                    class=#3 Phòng chống dịch, group=health, proposed date 2025-12-17
                yes → Ask: asking total
                    class=#3 Phòng chống dịch, date=2025-12-17, group=health
            "#]],
        );
    }

    #[test]
    fn did_you_mean_takes_the_class_or_the_typed_name() {
        check(
            "start
             group health
             close #3 Phòng chống dịch
             yes
             date 2026-12-07
             numbers 45 30
             edit
             change class
             close #9@law Luật giao thông
             yes
             edit
             change class
             close #3 Phòng chống dịch
             no
             close #3 Phòng chống dịch",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                close #3 Phòng chống dịch → Ask: did you mean #3 "Phòng chống dịch" rather than "as typed"
                    group=health
                yes → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 45 30 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                change class → AskSameButtons: asking class (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                close #9@law Luật giao thông → Ask: did you mean #9 "Luật giao thông" of law rather than "as typed" (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                yes → Ask: summary
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                change class → AskSameButtons: asking class (editing)
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                close #3 Phòng chống dịch → Ask: did you mean #3 "Phòng chống dịch" rather than "as typed" (editing)
                    class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
                no → Ask: summary
                    class=new as typed, date=2026-12-07, female=30, group=law, total=45
                close #3 Phòng chống dịch → nothing (unchanged): summary
                    class=new as typed, date=2026-12-07, female=30, group=law, total=45
            "#]],
        );
    }

    #[test]
    fn a_refused_class_name_is_typed_again_other_answers_are_asked_again() {
        check(
            "start
             group health
             refused
             back
             new-class
             refused
             close #3 Phòng chống dịch
             refused
             class Vẽ tranh
             date 2026-12-07
             refused",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                refused → AskSameButtons: typing a new name for class
                    group=health
                back → AskSameButtons: asking class
                    group=health
                new-class → AskSameButtons: typing a new name for class
                    group=health
                refused → AskSameButtons: typing a new name for class
                    group=health
                close #3 Phòng chống dịch → Ask: did you mean #3 "Phòng chống dịch" rather than "as typed"
                    group=health
                refused → AskSameButtons: typing a new name for class
                    group=health
                class Vẽ tranh → Ask: asking date
                    class=new Vẽ tranh, group=health
                date 2026-12-07 → Ask: asking total
                    class=new Vẽ tranh, date=2026-12-07, group=health
                refused → AskSameButtons: asking total
                    class=new Vẽ tranh, date=2026-12-07, group=health
            "#]],
        );
    }

    #[test]
    fn the_unusual_is_confirmed_before_saving() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             numbers 450 300
             save
             unusual large 45
             no
             number 45
             number 30
             save
             unusual large 45
             yes
             unusual duplicate #12
             edit
             back
             unusual duplicate #12
             no
             unusual duplicate #12
             yes",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 450 300 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
                save → Save: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
                unusual large 45 → Ask: confirming a large total, usual Some(45)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
                no → Ask: asking total (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
                number 45 → Ask: asking female (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health, total=45
                number 30 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                save → Save: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                unusual large 45 → Ask: confirming a large total, usual Some(45)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                yes → Save: confirming a large total, usual Some(45)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                unusual duplicate #12 → Ask: confirming a duplicate of #12
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                edit → Ask: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                back → AskSameButtons: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                unusual duplicate #12 → Ask: confirming a duplicate of #12
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                no → DropDuplicate: confirming a duplicate of #12
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                unusual duplicate #12 → Ask: confirming a duplicate of #12
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
                yes → Save: confirming a duplicate of #12
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal, Duplicate}
            "#]],
        );
    }

    #[test]
    fn cancel_on_a_complete_draft_asks_once() {
        check(
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             numbers 45 30
             cancel
             no
             cancel
             yes
             edit
             cancel",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 45 30 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                cancel → Ask: confirming the cancel
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                no → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                cancel → Ask: confirming the cancel
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                yes → Cancel: confirming the cancel
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                edit → nothing (unchanged): confirming the cancel
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                cancel → nothing (unchanged): confirming the cancel
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            "#]],
        );
    }

    /// The draft a quick-entry line makes (its class taken as new), once started.
    fn check_quick(line: &str, expect: Expect) {
        let catalog = shipped();
        let today = date("2026-12-07");
        let parser = catalog.quick_parser().unwrap();
        let entry = parser.parse(line, today).unwrap();
        let class = entry
            .class
            .clone()
            .map(|name| Answer::Class { id: None, name });
        let far_back = |d: NaiveDate| (today - d).num_days() > 60;
        let mut draft = Draft::quick(7, &entry, class, today, far_back);
        let next = draft.start(&catalog);
        let shown = format!("{next:?}: {}\n    {}\n", step(&draft.at), holds(&draft));
        expect.assert_eq(&shown);
    }

    #[test]
    fn a_quick_entry_answers_what_it_understood() {
        check_quick(
            "sk 45 30 Phòng chống dịch",
            expect![[r#"
            Ask: summary
                class=new Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
        "#]],
        );
        check_quick(
            "sk 45 30 05/12 Phòng chống dịch",
            expect![[r#"
            Ask: summary
                class=new Phòng chống dịch, date=2026-12-05, female=30, group=health, total=45
        "#]],
        );
        check_quick(
            "sk 45",
            expect![[r#"
            Ask: asking class
                date=2026-12-07, group=health, total=45
        "#]],
        );
    }

    #[test]
    fn a_quick_entry_proposes_what_looks_like_a_slip() {
        check_quick(
            "sk 30 45 Phòng chống dịch",
            expect![[r#"
            Ask: offering the swap
                class=new Phòng chống dịch, date=2026-12-07, group=health, proposed 45/30
        "#]],
        );
        check_quick(
            "sk 45 30 17/12 Phòng chống dịch",
            expect![[r#"
            Ask: confirming the date
                class=new Phòng chống dịch, female=30, group=health, total=45, proposed date 2025-12-17
        "#]],
        );
        check_quick(
            "sk 45 30 17/12/2025 Phòng chống dịch",
            expect![[r#"
            Ask: summary
                class=new Phòng chống dịch, date=2025-12-17, female=30, group=health, total=45
        "#]],
        );
        check_quick(
            "sk 45 30 32/12 Phòng chống dịch",
            expect![[r#"
            Ask: asking date
                class=new Phòng chống dịch, female=30, group=health, total=45
        "#]],
        );
    }

    #[test]
    fn a_correction_opens_at_the_list_of_answers() {
        let mut answers = BTreeMap::new();
        for (id, answer) in [
            ("group", Answer::Group("health".to_owned())),
            ("date", Answer::Date(date("2026-12-07"))),
            ("total", Answer::Number(45)),
            ("female", Answer::Number(30)),
        ] {
            answers.insert(id.to_owned(), answer);
        }
        answers.insert(
            "class".to_owned(),
            Answer::Class {
                id: Some(3),
                name: "Phòng chống dịch".to_owned(),
            },
        );
        let draft = Draft::correcting(12, 7, answers);
        assert_eq!(draft.session, Some(12));
        check_with(
            &shipped(),
            draft,
            "change total
             number 50
             save",
            expect![[r#"
                change total → AskSameButtons: asking total (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                number 50 → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=50
                save → Save: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=50
            "#]],
        );
    }

    #[test]
    fn an_optional_question_of_the_dialog_files_is_asked_and_may_be_skipped() {
        check_with(
            &with_topic(),
            Draft::new(7, BTreeMap::new()),
            "start
             group health
             class #3 Phòng chống dịch
             date 2026-12-07
             numbers 45 30
             skip
             edit
             change topic
             text Phòng bệnh sốt xuất huyết
             save",
            expect![[r#"
                start → Ask: asking group
                    no answers
                group health → Ask: asking class
                    group=health
                class #3 Phòng chống dịch → Ask: asking date
                    class=#3 Phòng chống dịch, group=health
                date 2026-12-07 → Ask: asking total
                    class=#3 Phòng chống dịch, date=2026-12-07, group=health
                numbers 45 30 → Ask: asking topic
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
                skip → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic=skipped, total=45
                edit → AskSameButtons: choosing an answer to change
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic=skipped, total=45
                change topic → AskSameButtons: asking topic (editing)
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic=skipped, total=45
                text Phòng bệnh sốt xuất huyết → Ask: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic="Phòng bệnh sốt xuất huyết", total=45
                save → Save: summary
                    class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic="Phòng bệnh sốt xuất huyết", total=45
            "#]],
        );
    }

    #[test]
    fn a_draft_naming_a_question_the_files_no_longer_have_starts_the_rest_over() {
        let mut answers = BTreeMap::new();
        answers.insert("group".to_owned(), Answer::Group("health".to_owned()));
        answers.insert("topic".to_owned(), Answer::Text("Sốt".to_owned()));
        let mut draft = Draft::new(7, answers);
        draft.at = Step::Asking {
            question: "topic".to_owned(),
            editing: true,
        };
        check_with(
            &shipped(),
            draft.clone(),
            "settle
             settle",
            expect![[r#"
                settle → Ask: asking class
                    group=health
                settle → nothing (unchanged): asking class
                    group=health
            "#]],
        );
        check_with(
            &shipped(),
            draft,
            "lost",
            expect![[r#"
            lost → Ask: asking class
                group=health
        "#]],
        );
    }

    #[test]
    fn a_step_that_can_no_longer_be_shown_settles_on_the_next_question() {
        let mut answers = BTreeMap::new();
        answers.insert("group".to_owned(), Answer::Group("health".to_owned()));
        let mut draft = Draft::new(7, answers);
        draft.at = Step::ConfirmSwap { editing: false };
        check_with(
            &shipped(),
            draft.clone(),
            "settle",
            expect![[r#"
            settle → Ask: asking class
                group=health
        "#]],
        );
        draft.at = Step::ConfirmLarge { usual: None };
        check_with(
            &shipped(),
            draft.clone(),
            "settle",
            expect![[r#"
            settle → Ask: asking class
                group=health
        "#]],
        );
        draft.at = Step::Asking {
            question: "class".to_owned(),
            editing: false,
        };
        draft.answers.clear();
        check_with(
            &shipped(),
            draft,
            "settle",
            expect![[r#"
            settle → Ask: asking group
                no answers
        "#]],
        );
    }

    #[test]
    fn the_session_saved_holds_the_answers_and_the_extra_ones() {
        let catalog = with_topic();
        let mut draft = Draft::new(7, BTreeMap::new());
        let _ = draft.start(&catalog);
        for line in [
            "group health",
            "class Phòng  chống DỊCH",
            "date 2026-12-07",
            "numbers 45 30",
        ] {
            let _ = draft.on(&catalog, event(line));
        }
        let at = "2026-12-07T13:00:00Z".parse().unwrap();
        let without_topic = draft.session(&catalog, 42, at).unwrap();
        assert!(without_topic.extra.is_empty());
        let _ = draft.on(&catalog, event("text Sốt xuất huyết"));
        let session = draft.session(&catalog, 42, at).unwrap();
        expect![[r#"
            NewSession {
                centre: 7,
                organiser: 42,
                group: "health",
                class: New {
                    name: "Phòng chống DỊCH",
                    key: "phòng chống dịch",
                },
                date: 2026-12-07,
                total: 45,
                female: 30,
                extra: {
                    "topic": "Sốt xuất huyết",
                },
                created_at: 2026-12-07T13:00:00Z,
            }
        "#]]
        .assert_debug_eq(&session);
        draft.answers.remove("date");
        assert_eq!(draft.session(&catalog, 42, at), None, "the date is missing");
    }

    #[test]
    fn open_work_lapses_for_a_removed_member_and_after_the_expiry() {
        let at: DateTime<Utc> = "2026-12-07T13:00:00Z".parse().unwrap();
        let expiry = Duration::hours(12);
        let member = |role| Access {
            supervisor: false,
            centres: vec![Membership {
                centre: 7,
                centre_name: "Tràng An".to_owned(),
                role,
            }],
        };
        let mut draft = Draft::new(7, BTreeMap::new());
        draft.touched = Some(at - Duration::hours(1));
        let cases = [
            ("organiser", member(Role::Organiser), at),
            ("director", member(Role::Director), at),
            ("stranger", Access::default(), at),
            (
                "organiser, 13 hours on",
                member(Role::Organiser),
                at + expiry,
            ),
            (
                "supervisor",
                Access {
                    supervisor: true,
                    centres: Vec::new(),
                },
                at,
            ),
        ];
        let mut out = String::new();
        for (who, access, now) in cases {
            let _ = writeln!(out, "{who}: {:?}", draft.lapse(&access, now, expiry));
        }
        expect![[r#"
            organiser: None
            director: None
            stranger: Some(NoLongerMember)
            organiser, 13 hours on: Some(Expired)
            supervisor: None
        "#]]
        .assert_eq(&out);
    }
}
