//! The outbox: messages committed in the same transaction as the step that produced them,
//! sent afterwards and removed once Telegram accepted them.

use super::codec::{decode, encode};
use super::tables::{meta_keys, OUTBOX};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::outgoing::Outgoing;
use redb::ReadableTable;
use std::collections::HashSet;

impl<S: Source> View<S> {
    /// Up to `limit` queued messages, oldest first.
    pub fn outbox(&self, limit: usize) -> Result<Vec<(u64, Outgoing)>, StoreError> {
        let outbox = self.table(OUTBOX)?;
        let mut queued = Vec::new();
        for entry in outbox.iter()?.take(limit) {
            let (seq, bytes) = entry?;
            queued.push((seq.value(), decode(bytes.value())?));
        }
        Ok(queued)
    }

    /// The names of the spool files queued rows refer to (for `Store::sweep_spool`). A row
    /// that does not decode refers to none: the sender drops it anyway.
    pub fn spooled_files(&self) -> Result<HashSet<String>, StoreError> {
        let outbox = self.table(OUTBOX)?;
        let mut names = HashSet::new();
        for entry in outbox.iter()? {
            let (_, bytes) = entry?;
            if let Ok(message) = decode::<Outgoing>(bytes.value()) {
                if let Some(spooled) = message.op.file().and_then(|(_, body)| body.spooled()) {
                    names.insert(spooled.name.clone());
                }
            }
        }
        Ok(names)
    }
}

/// A message encoded for the outbox before its transaction: encoding a file of tens of
/// megabytes takes a while, and the writer need not be held meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedOutgoing(Vec<u8>);

impl EncodedOutgoing {
    pub fn new(message: &Outgoing) -> Result<EncodedOutgoing, StoreError> {
        encode(message).map(EncodedOutgoing)
    }
}

impl Tx<'_> {
    /// Queues a message; returns its sequence number.
    pub fn push_outgoing(&mut self, message: &Outgoing) -> Result<u64, StoreError> {
        self.push_encoded(&EncodedOutgoing::new(message)?)
    }

    /// Queues a message encoded already; returns its sequence number.
    pub fn push_encoded(&mut self, message: &EncodedOutgoing) -> Result<u64, StoreError> {
        // A counter rather than "last key + 1", so a sequence number is never reused after
        // the queue empties: the sender may still be holding the old number.
        let seq = meta::next_id(self.txn, meta_keys::NEXT_OUTBOX)?;
        self.txn
            .open_table(OUTBOX)?
            .insert(seq, message.0.as_slice())?;
        Ok(seq)
    }

    /// Removes a message once Telegram accepted it (or it was given up). A spooled file it
    /// referred to is the caller's to delete (the sender does, before this); one left
    /// behind is removed by the sweep at the next start (`Store::sweep_spool`).
    pub fn remove_outgoing(&mut self, seq: u64) -> Result<(), StoreError> {
        self.txn.open_table(OUTBOX)?.remove(seq)?;
        Ok(())
    }
}
