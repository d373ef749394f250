//! Dialog state per chat, kept between two updates.

use super::codec::{decode, encode};
use super::tables::CHATS;
use super::{StoreError, Tx};
use crate::dialog::ChatState;
use crate::domain::ChatId;
use redb::ReadableTable;

impl Tx<'_> {
    /// The stored state of `chat`, or `None` for a chat never seen.
    pub fn chat_state(&self, chat: ChatId) -> Result<Option<ChatState>, StoreError> {
        let chats = self.txn.open_table(CHATS)?;
        let value = chats.get(chat)?;
        value.map(|bytes| decode(bytes.value())).transpose()
    }

    /// Replaces the state of `chat`.
    pub fn set_chat_state(&mut self, chat: ChatId, state: &ChatState) -> Result<(), StoreError> {
        let bytes = encode(state)?;
        let mut chats = self.txn.open_table(CHATS)?;
        chats.insert(chat, bytes.as_slice())?;
        Ok(())
    }
}
