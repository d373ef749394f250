//! The per-chat dialog state the engine reads and returns; stored by the runtime between steps.

use crate::domain::{CentreId, ClassId, Lang, SessionId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// The written part of the report document waiting for its new text, if any.
    #[serde(default)]
    pub document_edit: Option<DocumentEdit>,
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
    },
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
