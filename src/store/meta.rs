//! Named values in the `meta` table: typed get/put and the id counters.

use super::codec::{decode, encode};
use super::tables::META;
use super::view::Source;
use super::StoreError;
use redb::{ReadableTable, WriteTransaction};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value stored under `key`, if any.
pub(crate) fn get<T: DeserializeOwned>(
    source: impl Source,
    key: &str,
) -> Result<Option<T>, StoreError> {
    let table = source.open(META)?;
    let value = table.get(key)?;
    value.map(|bytes| decode(bytes.value())).transpose()
}

/// Stores `value` under `key`, replacing what was there.
pub(crate) fn put<T: Serialize>(
    txn: &WriteTransaction,
    key: &str,
    value: &T,
) -> Result<(), StoreError> {
    let bytes = encode(value)?;
    let mut table = txn.open_table(META)?;
    table.insert(key, bytes.as_slice())?;
    Ok(())
}

/// Hands out the next number of the counter `key`, starting at 1. The counter lives in the
/// same transaction as the record that uses it, so an aborted transaction reuses nothing
/// that was ever committed.
pub(crate) fn next_id(txn: &WriteTransaction, key: &str) -> Result<u64, StoreError> {
    let id: u64 = get(txn, key)?.unwrap_or(1);
    let following = id
        .checked_add(1)
        .ok_or_else(|| StoreError::Db(format!("counter {key} overflowed")))?;
    put(txn, key, &following)?;
    Ok(id)
}
