//! The per-chat dialog state the engine reads and returns; stored by the runtime between steps.

use crate::domain::{CentreId, ClassId, Lang, SessionId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Everything the bot remembers about one chat between two updates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChatState {
    /// The language chosen with `/lang`; `None` follows Telegram's language of the user.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Increased every time buttons are shown; buttons carry it, so old buttons are recognised.
    #[serde(default)]
    pub stamp: u32,
    /// The session being entered, if any.
    #[serde(default)]
    pub draft: Option<Draft>,
    /// The centre chosen with `/centre` (or at the first `/log`) by someone who belongs
    /// to several; a supervisor's choice of centre for reports (`None`: all centres).
    #[serde(default)]
    pub centre: Option<CentreId>,
    /// A new entry that arrived while a draft was open. It never lands in a field of that
    /// draft: it waits here until the person chooses between the two (asked once; any
    /// other input forgets it).
    #[serde(default)]
    pub held: Option<Held>,
    /// Several quick-entry lines sent in one message, confirmed and saved together.
    #[serde(default)]
    pub batch: Option<Batch>,
    /// A question outside the session dialog waiting for a typed answer, if any.
    #[serde(default)]
    pub pending: Option<Pending>,
    /// A director's rename of a class under way (`/classes`), waiting for the new name
    /// or for its confirmation. Any other input drops it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_rename: Option<ClassRename>,
    /// The written part of the report document waiting for its new text, if any.
    #[serde(default)]
    pub document_edit: Option<DocumentEdit>,
    /// A sessions file checked and waiting for "add" or "skip" (a director bringing in
    /// past sessions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<PendingImport>,
}

/// A checked sessions file waiting for its one confirmation. The rows are kept as read
/// and checked again when "add" is pressed, so what is stored reflects the classes and
/// sessions of that moment; `lines` is what the check showed, and the confirmation adds
/// nothing unless the new check agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingImport {
    pub centre: CentreId,
    pub file_name: String,
    pub rows: crate::dialog::import::ImportRows,
    /// The row numbers the check showed as added.
    pub lines: Vec<u32>,
}

/// A rename of a class in progress: the class, and the new name once typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRename {
    pub class: ClassId,
    /// The new name as it will be stored; `None` while the bot waits for it.
    pub name: Option<String>,
}

/// A new entry kept while the person decides what to do with the open draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// The message as typed (one or several quick-entry lines, or a class name).
    pub text: String,
    /// "Today" of the message, so a later choice dates it as it was sent.
    pub today: NaiveDate,
}

/// Quick-entry lines being confirmed together (back-filling from a paper register).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub centre: CentreId,
    /// The lines as typed; they are read again at every step, so what is shown and saved
    /// always reflects the current classes and sessions.
    pub lines: Vec<String>,
    /// "Today" of the message the lines came in.
    pub today: NaiveDate,
    /// The line (0-based) being typed again, if any.
    #[serde(default)]
    pub fixing: Option<usize>,
    /// When the person last worked on it (for expiry).
    #[serde(default)]
    pub touched: Option<DateTime<Utc>>,
}

/// A written part of a centre's report document being changed in the chat: the next text
/// the director sends replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEdit {
    pub centre: CentreId,
    /// The part's id (`document::Part::id`).
    pub part: String,
}

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

impl Draft {
    /// Answers the attendance and the women at once (a typed pair, an accepted swap);
    /// a confirmation given about the old numbers no longer holds.
    pub fn set_numbers(&mut self, total: u32, female: u32) {
        self.answers
            .insert("total".to_owned(), Answer::Number(total));
        self.answers
            .insert("female".to_owned(), Answer::Number(female));
        self.confirmed.clear();
    }

    /// A new draft for `centre` with the given answers.
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

/// A typed answer the bot waits for outside the session dialog. It is honoured only while
/// `stamp` is still the chat's stamp, so buttons shown since then (another question)
/// make it stale, and any command drops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pending {
    /// The name of a new centre whose first `role` is being invited (`/invite director`
    /// by a supervisor, then "new centre").
    NewCentreName {
        role: crate::roles::Role,
        stamp: u32,
    },
}
