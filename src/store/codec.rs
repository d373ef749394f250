//! Encoding of stored values (serde_json bytes), date day numbers, and the mapping of
//! redb's error types onto `StoreError`.

use super::StoreError;
use chrono::{Datelike, NaiveDate};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Encodes a value for storage. JSON is used rather than a fixed binary layout so that a
/// record written by an older binary still decodes after fields are added (with defaults).
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Decode(format!("cannot encode: {e}")))
}

/// Decodes a stored value; a malformed record is reported, never a panic.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Decode(e.to_string()))
}

/// The day number of a date (days since 1 January of year 1), used in index keys because
/// it orders like the date and fits an `i32`.
pub(crate) fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// Maps every redb error type to `StoreError::Db` with redb's own message.
macro_rules! db_error_from {
    ($($ty:ty),* $(,)?) => {
        $(
            impl From<$ty> for StoreError {
                fn from(error: $ty) -> StoreError {
                    StoreError::Db(error.to_string())
                }
            }
        )*
    };
}

db_error_from!(
    redb::Error,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_order_like_dates() {
        let a = NaiveDate::from_ymd_opt(2020, 1, 31).expect("valid date");
        let b = NaiveDate::from_ymd_opt(2020, 2, 1).expect("valid date");
        assert_eq!(day_number(a) + 1, day_number(b));
    }

    #[test]
    fn malformed_bytes_are_a_decode_error() {
        let result: Result<u32, StoreError> = decode(b"{not json");
        assert!(matches!(result, Err(StoreError::Decode(_))));
    }
}
