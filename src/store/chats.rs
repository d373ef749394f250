//! Dialog state per chat, kept between two updates.
//!
//! A stored state carries a version (`v`) beside the state's own fields. A state that no
//! longer decodes (written by a binary whose `ChatState` differed in a way serde's defaults
//! cannot bridge, or damaged) or whose version is newer than this binary knows is reported
//! as [`StoredChat::Unreadable`], not as an error: an error would abort every step of that
//! chat, for good. The runtime then starts the chat again from the beginning and says so.

use super::codec::{decode, encode};
use super::tables::CHATS;
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::dialog::ChatState;
use crate::domain::ChatId;
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

/// The version of the chat state this binary writes. States written before the version
/// was recorded read as version 0 and have the same layout as version 1.
pub const CHAT_STATE_VERSION: u32 = 1;

/// What is stored for a chat, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredChat {
    /// Nothing: a chat never seen (or forgotten).
    New,
    /// The state as it was left (boxed: the other variants are small).
    Known(Box<ChatState>),
    /// Something that cannot be used any more; `reason` says why (for the log: it names
    /// no user text).
    Unreadable { reason: String },
}

/// The stored form: the version and the time of the last step beside the state's fields.
#[derive(Serialize)]
struct Versioned<'a> {
    v: u32,
    /// When a step last wrote the state: how long a stranger's chat has been idle
    /// (`retention.rs`). `None` when written outside a step.
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    state: &'a ChatState,
}

/// The stored form as read; `v` is missing (0) in states written before it existed.
#[derive(Deserialize)]
struct VersionedOwned {
    #[serde(default)]
    v: u32,
    #[serde(flatten)]
    state: ChatState,
}

impl<S: Source> View<S> {
    /// The stored state of `chat`, telling a chat never seen from one whose state cannot
    /// be read any more.
    pub fn read_chat_state(&self, chat: ChatId) -> Result<StoredChat, StoreError> {
        let chats = self.table(CHATS)?;
        let Some(value) = chats.get(chat)? else {
            return Ok(StoredChat::New);
        };
        Ok(match decode::<VersionedOwned>(value.value()) {
            Ok(stored) if stored.v > CHAT_STATE_VERSION => StoredChat::Unreadable {
                reason: format!(
                    "chat state version {} is newer than {CHAT_STATE_VERSION}",
                    stored.v
                ),
            },
            Ok(stored) => StoredChat::Known(Box::new(stored.state)),
            Err(error) => StoredChat::Unreadable {
                reason: error.to_string(),
            },
        })
    }

    /// The stored state of `chat`, or `None` for a chat never seen or whose state cannot be
    /// read (the next step of that chat starts it again; see `read_chat_state`).
    pub fn chat_state(&self, chat: ChatId) -> Result<Option<ChatState>, StoreError> {
        Ok(match self.read_chat_state(chat)? {
            StoredChat::Known(state) => Some(*state),
            StoredChat::New | StoredChat::Unreadable { .. } => None,
        })
    }
}

impl Tx<'_> {
    /// Replaces the state of `chat`.
    pub fn set_chat_state(&mut self, chat: ChatId, state: &ChatState) -> Result<(), StoreError> {
        self.put_chat_state(chat, state, None)
    }

    /// Replaces the state of `chat` after a step at `at`, which counts as the chat's last
    /// activity.
    pub fn set_chat_state_at(
        &mut self,
        chat: ChatId,
        state: &ChatState,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.put_chat_state(chat, state, Some(at))
    }

    fn put_chat_state(
        &mut self,
        chat: ChatId,
        state: &ChatState,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let bytes = encode(&Versioned {
            v: CHAT_STATE_VERSION,
            at,
            state,
        })?;
        let mut chats = self.txn.open_table(CHATS)?;
        chats.insert(chat, bytes.as_slice())?;
        Ok(())
    }
}
