//! Store transactions run on tokio's blocking pool, since redb calls block on disk I/O.

use crate::store::{CommitNumber, Snapshot, Store, StoreError, Tx};

/// Runs `f` in a committed write transaction off the async threads.
pub async fn write<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.write(f))
        .await
        .unwrap_or_else(|join| Err(StoreError::Db(format!("store task failed: {join}"))))
}

/// Runs `f` in a non-durable commit and returns its number (see `Store::write_unsynced`),
/// off the async threads.
pub async fn write_unsynced<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError> + Send + 'static,
) -> Result<(T, CommitNumber), StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.write_unsynced(f))
        .await
        .unwrap_or_else(|join| Err(StoreError::Db(format!("store task failed: {join}"))))
}

/// Runs `f` on a read-only snapshot (see `Store::read`), off the async threads.
pub async fn read<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&Snapshot<'_>) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.read(f))
        .await
        .unwrap_or_else(|join| Err(StoreError::Db(format!("store task failed: {join}"))))
}

/// Makes every earlier commit durable (see `Store::sync`), off the async threads.
pub async fn sync(store: &Store) -> Result<(), StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.sync())
        .await
        .unwrap_or_else(|join| Err(StoreError::Db(format!("store task failed: {join}"))))
}
