//! The per-chat dialog state the engine reads and returns; stored by the runtime between steps.

use super::draft::{lapse, Lapse};
pub use super::draft::{Answer, Check, Draft, Step};
use crate::domain::{CentreId, ClassId, Lang};
use crate::roles::Access;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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
    /// The changes read from a report document sent back, waiting for "✅ Lưu các thay
    /// đổi" or "Bỏ qua". A command drops them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_upload: Option<DocumentUpload>,
    /// A supervisor's rename of a centre under way (`/centres`), waiting for the new name
    /// or for its confirmation. Any other input drops it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_rename: Option<CentreRename>,
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
    pub rows: crate::import::ImportRows,
    /// The row numbers the check showed as added.
    pub lines: Vec<u32>,
}

/// The written parts read from a document sent back that differ from the stored ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentUpload {
    pub centre: CentreId,
    /// `(part id, new text)`, cleaned, in the order of the document.
    pub changes: Vec<(String, String)>,
}

/// A rename of a centre in progress: the centre, and the new name once typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreRename {
    pub centre: CentreId,
    /// The new name as it will be stored; `None` while the bot waits for it.
    pub name: Option<String>,
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

impl Batch {
    /// Why the lines may no longer be continued by someone with `access` (as a draft).
    pub fn lapse(&self, access: &Access, now: DateTime<Utc>, expiry: Duration) -> Option<Lapse> {
        lapse(access, self.centre, self.touched, now, expiry)
    }
}

/// A written part of a centre's report document being changed in the chat: the next text
/// the director sends replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEdit {
    pub centre: CentreId,
    /// The part's id (`document::Part::id`).
    pub part: String,
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
