//! The only code that touches redb: typed tables, schema version, migrations, and a
//! domain-worded API (`save_session`, `group_totals`, ...).
//!
//! Every call blocks on disk I/O: async code calls it from `spawn_blocking`.
//!
//! STUB: the bodies are being written; the signatures are the contract.

#![allow(clippy::unused_self, unused_variables)]

use crate::dialog::{ChatState, ClassRef};
use crate::domain::{
    CentreId, ChatId, ClassId, ClassRecord, NewSession, Period, SessionRecord, Totals,
};
use crate::outgoing::Outgoing;
use std::collections::BTreeMap;
use std::path::Path;

/// The schema version this binary writes. Older files are migrated on open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 1;

/// Errors of the store, for the edges to report.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {path} was written by a newer rollcall (schema {found}, this binary knows up to {supported}); upgrade rollcall")]
    NewerSchema {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("the database {path} is already open in another process (is the bot running?)")]
    AlreadyOpen { path: String },
    #[error("database error: {0}")]
    Db(String),
    #[error("stored record could not be decoded: {0}")]
    Decode(String),
}

/// An open rollcall database.
#[derive(Debug, Clone)]
pub struct Store {}

impl Store {
    /// Opens (or creates) the database at `path`, repairing it after a crash and migrating it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        unimplemented!()
    }

    /// Runs `f` in one write transaction and commits it (durably) if `f` returns `Ok`.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        unimplemented!()
    }

    /// Runs `f` in a transaction that is never committed (for reports and listings).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        unimplemented!()
    }
}

/// One transaction: every change made through it commits together or not at all.
#[derive(Debug)]
pub struct Tx<'a> {
    _marker: std::marker::PhantomData<&'a ()>,
}

impl Tx<'_> {
    // ---- Inbox: Telegram updates stored before they are acknowledged. ----

    /// The `offset` to pass to the next `getUpdates` (0 on a new database).
    pub fn poll_offset(&self) -> Result<i64, StoreError> {
        unimplemented!()
    }

    /// Stores fetched updates (raw JSON by update id) not seen before and sets the next
    /// offset. Updates with an id below the stored offset were seen already and are skipped.
    /// Returns how many were new.
    pub fn enqueue_updates(
        &mut self,
        updates: &[(i64, String)],
        next_offset: i64,
    ) -> Result<usize, StoreError> {
        unimplemented!()
    }

    /// Up to `limit` unprocessed updates, oldest first.
    pub fn pending_updates(&self, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        unimplemented!()
    }

    /// Marks an update processed (removes it from the inbox).
    pub fn finish_update(&mut self, update_id: i64) -> Result<(), StoreError> {
        unimplemented!()
    }

    // ---- Dialog state per chat. ----

    pub fn chat_state(&self, chat: ChatId) -> Result<Option<ChatState>, StoreError> {
        unimplemented!()
    }

    pub fn set_chat_state(&mut self, chat: ChatId, state: &ChatState) -> Result<(), StoreError> {
        unimplemented!()
    }

    // ---- Centres. ----

    /// The id of the centre called `name`, creating it if needed.
    pub fn ensure_centre(&mut self, name: &str) -> Result<CentreId, StoreError> {
        unimplemented!()
    }

    pub fn centre_name(&self, centre: CentreId) -> Result<Option<String>, StoreError> {
        unimplemented!()
    }

    // ---- Classes and sessions. ----

    /// Saves a confirmed session (creating its class when it is new, or reusing the class
    /// with the same key), and returns the stored record.
    pub fn save_session(&mut self, session: &NewSession) -> Result<SessionRecord, StoreError> {
        unimplemented!()
    }

    /// Up to `limit` classes of a centre's group, most recent session date first
    /// (classes without sessions last, newest created first among equals).
    pub fn recent_classes(
        &self,
        centre: CentreId,
        group: &str,
        limit: usize,
    ) -> Result<Vec<ClassRef>, StoreError> {
        unimplemented!()
    }

    pub fn class_by_key(
        &self,
        centre: CentreId,
        group: &str,
        key: &str,
    ) -> Result<Option<ClassRef>, StoreError> {
        unimplemented!()
    }

    pub fn class(&self, id: ClassId) -> Result<Option<ClassRecord>, StoreError> {
        unimplemented!()
    }

    /// Totals per activity group (by group id) of one centre, or of all centres when
    /// `centre` is `None`, over `period`. Groups without sessions are absent.
    pub fn group_totals(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<BTreeMap<String, Totals>, StoreError> {
        unimplemented!()
    }

    /// All sessions of one centre (or all) in `period`, by date then id.
    pub fn sessions(
        &self,
        centre: Option<CentreId>,
        period: Period,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        unimplemented!()
    }

    // ---- Outbox: messages committed with the step that produced them. ----

    /// Queues a message; returns its sequence number.
    pub fn push_outgoing(&mut self, message: &Outgoing) -> Result<u64, StoreError> {
        unimplemented!()
    }

    /// Up to `limit` queued messages, oldest first.
    pub fn outbox(&self, limit: usize) -> Result<Vec<(u64, Outgoing)>, StoreError> {
        unimplemented!()
    }

    /// Removes a message once Telegram accepted it (or it was given up).
    pub fn remove_outgoing(&mut self, seq: u64) -> Result<(), StoreError> {
        unimplemented!()
    }
}
