//! Renaming and merging centres (the 2025 reorganisation merged communes, so their
//! centres merge and get new names): what a merge of one centre into another moves, as
//! shown before it is confirmed and as done after.
//!
//! The rules, decided once here for the chat, the command line and the documentation:
//!
//! - Everything of the merged centre moves to the surviving one: members (a person in
//!   both keeps the higher role), classes, sessions (live and deleted), hand-ins, group
//!   chats and their reminders, days without a session and open invitations. The merged
//!   centre then no longer exists.
//! - A class whose name (its matching key) is already a class of the same group in the
//!   surviving centre is renamed with the merged centre's name in brackets: two centres'
//!   classes of one name are two classes, and the report's "Số lớp" of every earlier
//!   period stays the sum of the two centres'. A director who knows two of them are one
//!   merges them with `/classes` afterwards.
//! - The surviving centre keeps its own report-document texts and deadline reminder; the
//!   merged centre's are dropped (its texts are kept in the audit entry of the merge).

use serde::{Deserialize, Serialize};

/// A class renamed by a merge because the surviving centre has a class of that name in
/// the same group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenamedClass {
    /// The activity group's id.
    pub group: String,
    pub old: String,
    pub new: String,
}

/// What a merge of centre `from` into centre `into` moves (before) or moved (after).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CentreMerge {
    pub from_name: String,
    pub into_name: String,
    /// Members of `from`, including those already members of `into`.
    pub members: u64,
    /// Classes of `from` still in use (merged classes move too but are not counted).
    pub classes: u64,
    pub renamed_classes: Vec<RenamedClass>,
    /// Live sessions of `from`.
    pub sessions: u64,
    /// Deleted, still restorable sessions of `from`.
    pub deleted_sessions: u64,
    /// Hand-ins of `from` (they keep the name and numbers they were handed in with).
    pub handins: u64,
    /// Group chats linked to `from`.
    pub group_chats: u64,
    /// Whether `from` had report-document texts of its own, which are dropped.
    pub documents_dropped: bool,
    /// Whether `from` had a deadline reminder, which is dropped when `into` has one and
    /// moves otherwise.
    pub deadline_dropped: bool,
}
