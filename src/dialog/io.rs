//! What goes into the engine (inputs) and what comes out of it (effects and replies).

use crate::centre_change::CentreMerge;
use crate::document::{DocumentTexts, Part, Upload};
pub use crate::domain::ClassRef;
use crate::domain::{
    CentreId, ChatId, ClassId, EntryRules, NewSession, Period, SessionId, SessionRecord, Totals,
    UserId, YearStart,
};
pub use crate::outgoing::{Button, Keyboard, LinkButton, Reply};
use crate::reminders::parse::Audience;
use crate::reminders::schedule::{Monthly, Schedule};
use crate::roles::{Access, AuditEntry, InviteProblem, Member, Role};
use crate::submission::HandIn;
use chrono::{DateTime, NaiveDate, Utc};

/// Who sent an input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub user: UserId,
    /// The chat the input came from (the user's id in the private chat).
    pub chat: ChatId,
    /// The user's first name as Telegram gives it (for member lists).
    pub name: String,
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
    /// A file (a Telegram document message), already downloaded and read by the adapter
    /// where it may be used (a director's report document sent back, or a sessions
    /// spreadsheet to bring in), never its bytes.
    Document(Upload),
    /// Fed back by the runtime right after it stored the session the engine asked to save.
    SessionSaved(SavedInfo),
    /// Fed back after `Effect::CreateInvite`: the code, and the deep link when the bot's
    /// username is known.
    InviteCreated {
        code: String,
        link: Option<String>,
        role: Role,
        centre_name: Option<String>,
        days: i64,
    },
    /// Fed back after `Effect::RedeemInvite`: the role given and the centre's name, or why not.
    InviteRedeemed(Result<(Role, Option<String>), InviteProblem>),
    /// Fed back after `Effect::SaveSessions`: the new sessions' numbers, and the running
    /// totals after the last of them.
    SessionsSaved {
        sessions: Vec<SessionId>,
        info: SavedInfo,
    },
    /// Fed back after `Effect::HandIn`: the report was stored as handed in and queued to
    /// `recipients` supervisors; `superseded` when it replaces an earlier hand-in of the
    /// same period.
    HandedIn {
        centre_name: String,
        period: Period,
        recipients: usize,
        superseded: bool,
    },
    /// Sent by the scheduler when a draft asked for a nudge (`Effect::NudgeAt`) is due:
    /// remind the person, once, that the session is not saved yet.
    SaveNudge,
    /// Fed back after `Effect::ImportSessions`: the new sessions' numbers.
    SessionsImported {
        centre: CentreId,
        sessions: Vec<SessionId>,
    },
}

/// What the runtime tells the engine after saving a session, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedInfo {
    pub session: SessionId,
    /// True when an existing session was changed rather than a new one saved.
    pub edited: bool,
    pub group: String,
    pub period: Period,
    /// Running totals of the period for the session's group.
    pub group_totals: Totals,
    /// Running totals of the period for the whole centre.
    pub centre_totals: Totals,
}

/// A live class of a centre with its number of live sessions (a director's `/classes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassSummary {
    pub id: ClassId,
    /// The activity group's stable id.
    pub group: String,
    pub name: String,
    pub sessions: u64,
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
    /// What `user` may do.
    fn access(&self, user: UserId) -> Access;
    /// Every centre: id and name (shown to supervisors only).
    fn centres(&self) -> Vec<(CentreId, String)>;
    /// The people of a centre.
    fn members(&self, centre: CentreId) -> Vec<Member>;
    /// The education office's officers (supervisors): id and name, for `/audit` to name
    /// who renamed or merged a centre.
    fn supervisors(&self) -> Vec<(UserId, String)>;
    /// The latest audit entries of a centre, newest first.
    fn audit(&self, centre: CentreId, limit: usize) -> Vec<AuditEntry>;
    /// An invitation by code: its role, centre and creator.
    fn invite(&self, code: &str) -> Option<(Role, Option<CentreId>, UserId)>;
    /// The centre a group chat is linked to.
    fn group_centre(&self, chat: ChatId) -> Option<CentreId>;
    /// A live session by id.
    fn session(&self, id: SessionId) -> Option<SessionRecord>;
    /// A deleted (restorable) session by id, with when it was deleted.
    fn deleted_session(&self, id: SessionId) -> Option<(SessionRecord, DateTime<Utc>)>;
    /// Recent live sessions of a centre, newest first; only one organiser's when given.
    fn recent_sessions(
        &self,
        centre: CentreId,
        organiser: Option<UserId>,
        limit: usize,
    ) -> Vec<SessionRecord>;
    /// Deleted sessions of a centre that can still be restored, newest first.
    fn deleted_sessions(&self, centre: CentreId) -> Vec<(SessionRecord, DateTime<Utc>)>;
    /// A class's name by id.
    fn class_name(&self, id: ClassId) -> Option<String>;
    /// The reminders of a group chat.
    fn reminders(&self, chat: ChatId) -> Vec<(Schedule, Audience)>;
    /// The timing of a centre's deadline reminder, if it is on.
    fn deadline(&self, centre: CentreId) -> Option<Monthly>;
    /// The first day of the reporting year (`period_start` in the configuration), where
    /// "this year" of the report begins. A setting rather than a stored fact, passed in
    /// here because the engine reads no configuration; 1 January unless overridden.
    fn year_start(&self) -> YearStart {
        YearStart::default()
    }
    /// Every class of a centre with its group id, for recognising a class typed under
    /// another group. Bounded by the store.
    fn centre_classes(&self, _centre: CentreId) -> Vec<(ClassRef, String)> {
        Vec::new()
    }
    /// The attendances of a class's latest live sessions, newest first, at most `limit`.
    fn class_attendances(&self, _class: ClassId, _limit: usize) -> Vec<u32> {
        Vec::new()
    }
    /// A live session of `centre` with exactly this class, date, attendance and women.
    fn same_session(
        &self,
        _centre: CentreId,
        _class: ClassId,
        _date: NaiveDate,
        _numbers: (u32, u32),
    ) -> Option<SessionRecord> {
        None
    }
    /// The configured rules for drafts and unusual entries.
    fn entry_rules(&self) -> EntryRules {
        EntryRules::default()
    }
    /// The live (not merged) classes of a centre with their numbers of live sessions, for
    /// the directors' `/classes`. Empty by default, so fakes that never test it need not
    /// implement it.
    fn classes_with_counts(&self, _centre: CentreId) -> Vec<ClassSummary> {
        Vec::new()
    }
    /// The written parts of a centre's report document (the defaults when none is stored).
    fn document_texts(&self, _centre: CentreId) -> DocumentTexts {
        DocumentTexts::default()
    }
    /// The latest hand-in of a centre's report for exactly `period`, if any.
    fn latest_handin(&self, _centre: CentreId, _period: Period) -> Option<HandIn> {
        None
    }
    /// The latest hand-in for exactly `period` of every centre that has one.
    fn latest_handins(&self, _period: Period) -> Vec<HandIn> {
        Vec::new()
    }
    /// What merging centre `from` into `into` would move; `None` when either is missing
    /// or they are one.
    fn centre_merge_preview(&self, _from: CentreId, _into: CentreId) -> Option<CentreMerge> {
        None
    }
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
    /// Store these sessions, in order, in the same transaction; the runtime then feeds
    /// back `Input::SessionsSaved`.
    SaveSessions(Vec<NewSession>),
    /// Feed `Input::SaveNudge` to this chat at this instant (durably: through the store).
    NudgeAt(DateTime<Utc>),
    /// Send the running totals of the current period for a centre (`None`: every centre).
    ShowTotals { centre: Option<CentreId> },
    /// Send the period report of a centre (`None`: the roll-up of every centre), with its
    /// files, and `keyboard` (buttons for other periods) under the table; for the roll-up,
    /// the centres and the silent centres in a second message with `centres_keyboard`
    /// (the button for the whole centre × group table) under it.
    ShowReport {
        centre: Option<CentreId>,
        period: Period,
        keyboard: Option<Keyboard>,
        centres_keyboard: Option<Keyboard>,
    },
    /// Send the centre × group table of `period` over every centre as files (a
    /// supervisor's button; access already checked).
    ShowCentreTable { period: Period },
    /// Send the centres with no session in the last `days` days, and those without
    /// members (`/silent`; access already checked).
    ShowSilent { days: u32 },
    /// Create an invitation (creating the centre `new_centre` first when given); the
    /// runtime then feeds back `Input::InviteCreated`.
    CreateInvite {
        role: Role,
        centre: Option<CentreId>,
        new_centre: Option<String>,
    },
    /// Use an invitation code; the runtime then feeds back `Input::InviteRedeemed`.
    RedeemInvite { code: String },
    /// Revoke an invitation (permission already checked).
    RevokeInvite { code: String },
    /// Remove a person from a centre (permission and membership already checked).
    RemoveMember { centre: CentreId, user: UserId },
    /// Link a group chat to a centre (permission already checked).
    LinkGroup { chat: ChatId, centre: CentreId },
    /// Add a reminder to a linked group chat (permission already checked).
    SetReminder {
        chat: ChatId,
        centre: CentreId,
        schedule: Schedule,
        audience: Audience,
    },
    /// Remove every reminder of a group chat.
    RemoveReminders { chat: ChatId },
    /// Turn the sender's private nudges off (`true`) or on.
    SetMuted(bool),
    /// Change a saved session to these answers (permission already checked); the runtime
    /// then feeds back `Input::SessionSaved` with `edited` set.
    UpdateSession { id: SessionId, session: NewSession },
    /// Delete a saved session (restorable for 30 days; permission already checked).
    DeleteSession { id: SessionId },
    /// Restore a deleted session (permission already checked).
    RestoreSession { id: SessionId },
    /// Send the whole report of a period as a Word document: of a centre, or (`None`) the
    /// roll-up of every centre; then `keyboard` (the edit button) under a short message.
    ShowDocument {
        centre: Option<CentreId>,
        period: Period,
        keyboard: Option<Keyboard>,
    },
    /// Store a written part of a centre's report document (permission already checked,
    /// text already cleaned); the store audits the change.
    SetDocumentPart {
        centre: CentreId,
        part: Part,
        text: String,
    },
    /// Set (`Some`) or turn off (`None`) a centre's deadline reminder to its directors
    /// (permission already checked).
    SetDeadline {
        centre: CentreId,
        timing: Option<Monthly>,
    },
    /// Record that `user` held no session for `centre` on the local date `day`, so the
    /// reminders naming who has not reported leave them out that day (membership
    /// already checked).
    NoSessionDay {
        centre: CentreId,
        user: UserId,
        day: chrono::NaiveDate,
    },
    /// Rename a class (permission and the name's uniqueness in its group already
    /// checked); audited by the store.
    RenameClass {
        class: ClassId,
        name: String,
        key: String,
    },
    /// Hand in the report of `centre` for `period` (the sender directs it, already
    /// checked): store it with its numbers (audited) and send it to every supervisor; the
    /// runtime then feeds back `Input::HandedIn`.
    HandIn { centre: CentreId, period: Period },
    /// Rename a centre (a supervisor's, name already checked); audited by the store.
    RenameCentre { centre: CentreId, name: String },
    /// Merge centre `from` into `into` (a supervisor's, already checked); audited by the
    /// store.
    MergeCentres { from: CentreId, into: CentreId },
    /// Merge class `from` into class `into` of the same centre: its sessions move to
    /// `into` and its group (permission already checked); audited by the store.
    MergeClasses { from: ClassId, into: ClassId },
    /// Store the sessions of a checked file, in order, in this transaction, and audit
    /// the import (permission already checked); the runtime then feeds back
    /// `Input::SessionsImported`.
    ImportSessions {
        centre: CentreId,
        file_name: String,
        sessions: Vec<NewSession>,
    },
    /// Send the empty sessions file (the template of `/mau`) in the chat's language.
    SendTemplate,
    /// Send a file the engine made (the list of refused rows of an import).
    SendFile {
        file_name: String,
        caption: Option<String>,
        bytes: Vec<u8>,
    },
}
