//! What goes into the engine (inputs) and what comes out of it (effects and replies).

use crate::domain::{CentreId, ClassId, NewSession, Period, SessionId, Totals, UserId};
use serde::{Deserialize, Serialize};

/// Who sent an input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub user: UserId,
    /// Telegram's `language_code` of the user, if any.
    pub language_hint: Option<String>,
    /// True in the private chat with the bot; false in groups.
    pub private: bool,
}

/// One thing a user did, already stripped of Telegram's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A text message that is not a command.
    Text(String),
    /// `/name args` (the `@botname` suffix already removed, name lower case).
    Command { name: String, args: String },
    /// A pressed inline button. The data is untrusted.
    Button { data: String },
    /// A sticker, photo, voice note or anything else without text.
    NotText,
    /// Fed back by the runtime right after it stored the session the engine asked to save.
    SessionSaved(SavedInfo),
}

/// What the runtime tells the engine after saving a session, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedInfo {
    pub session: SessionId,
    pub group: String,
    pub period: Period,
    /// Running totals of the period for the session's group.
    pub group_totals: Totals,
    /// Running totals of the period for the whole centre.
    pub centre_totals: Totals,
}

/// A class as offered on a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRef {
    pub id: ClassId,
    pub name: String,
}

/// Read-only facts the engine may ask about while stepping (implemented over a store
/// transaction by the runtime and over plain maps in tests).
pub trait Facts {
    /// Up to `limit` classes of a centre's group, most recently used first.
    fn recent_classes(&self, centre: CentreId, group: &str, limit: usize) -> Vec<ClassRef>;
    /// The class of a centre's group whose matching key is `key`.
    fn class_by_key(&self, centre: CentreId, group: &str, key: &str) -> Option<ClassRef>;
    /// The class `id` if it belongs to this centre and group (button data is untrusted).
    fn class_by_id(&self, centre: CentreId, group: &str, id: ClassId) -> Option<ClassRef>;
}

/// One inline button: a label and its callback data (at most 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// The keyboard attached to a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keyboard {
    /// Buttons under the message, in rows.
    Inline(Vec<Vec<Button>>),
    /// The persistent keyboard under the text field, in rows of labels.
    Persistent(Vec<Vec<String>>),
}

/// One message to send to the chat the input came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Telegram HTML (only `<b>`, `<i>`, `<pre>` are used; user text is escaped).
    pub html: String,
    pub keyboard: Option<Keyboard>,
}

/// Everything a step asks the outside world to do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send a message to the chat.
    Reply(Reply),
    /// Answer the pressed button's callback query with this short notice (or silently).
    /// The runtime answers every callback query even when no step asks it to.
    Notice(String),
    /// Remove the buttons from the message whose button was pressed, so it cannot be pressed again.
    CloseButtons,
    /// Store this session; the runtime then feeds back `Input::SessionSaved`.
    SaveSession(NewSession),
    /// Send the running totals of the current period for a centre.
    ShowTotals { centre: CentreId },
    /// Send the period report of a centre.
    ShowReport { centre: CentreId, period: Period },
}
