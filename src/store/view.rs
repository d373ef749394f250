//! One read API for both kinds of redb transaction: every read of the store is written
//! once, on [`View`], and runs on a read snapshot (`Store::read`) or inside a write
//! transaction (`Tx` dereferences to its view) alike.
//!
//! redb's `ReadableTable` is implemented by the tables of both transaction kinds (`Table`
//! of a `WriteTransaction`, `ReadOnlyTable` of a `ReadTransaction`); [`Source`] names
//! which one a view opens, so a read method is generic over it and compiled for both. A
//! view's tables are only `ReadableTable`, so a write through a view does not compile:
//! a snapshot can do every read and no write, by its type.

use super::StoreError;
use redb::{Key, ReadTransaction, ReadableTable, TableDefinition, Value, WriteTransaction};

mod sealed {
    /// Only the two redb transaction kinds are sources.
    pub trait Sealed {}
    impl Sealed for &redb::WriteTransaction {}
    impl Sealed for &redb::ReadTransaction {}
}

/// A redb transaction a [`View`] reads through: a write transaction (the tables it opens
/// are writable, but a view only reads them) or a read snapshot.
pub trait Source: Copy + sealed::Sealed {
    /// The table this transaction kind opens.
    type Table<K: Key + 'static, V: Value + 'static>: ReadableTable<K, V>;

    /// Opens `table`. Every table exists (`tables::create_all` runs at every open), so a
    /// snapshot never meets a missing one.
    fn open<K: Key + 'static, V: Value + 'static>(
        self,
        table: TableDefinition<'_, K, V>,
    ) -> Result<Self::Table<K, V>, StoreError>;
}

impl<'a> Source for &'a WriteTransaction {
    type Table<K: Key + 'static, V: Value + 'static> = redb::Table<'a, K, V>;

    fn open<K: Key + 'static, V: Value + 'static>(
        self,
        table: TableDefinition<'_, K, V>,
    ) -> Result<redb::Table<'a, K, V>, StoreError> {
        Ok(self.open_table(table)?)
    }
}

impl Source for &ReadTransaction {
    type Table<K: Key + 'static, V: Value + 'static> = redb::ReadOnlyTable<K, V>;

    fn open<K: Key + 'static, V: Value + 'static>(
        self,
        table: TableDefinition<'_, K, V>,
    ) -> Result<redb::ReadOnlyTable<K, V>, StoreError> {
        Ok(self.open_table(table)?)
    }
}

/// The reads of the store over one transaction. The read methods live beside the writes
/// of their concern (`centres.rs`, `sessions.rs`, ...) in `impl<S: Source> View<S>`
/// blocks.
#[derive(Clone, Copy)]
pub struct View<S> {
    pub(super) source: S,
}

/// A consistent, read-only view of the database as of the moment it was taken
/// (`Store::read`): it sees every commit made before, durable or not, and neither waits
/// for nor blocks the writer.
///
/// A snapshot can read and nothing more: a write through it does not compile.
///
/// ```compile_fail
/// # fn main() -> Result<(), rollcall::store::StoreError> {
/// # let dir = tempfile::tempdir().expect("a folder");
/// let store = rollcall::store::Store::open(&dir.path().join("db.redb"))?;
/// store.read(|snapshot| snapshot.finish_update(1))?;
/// # Ok(())
/// # }
/// ```
///
/// The same read through a snapshot and inside a write transaction:
///
/// ```
/// # fn main() -> Result<(), rollcall::store::StoreError> {
/// # let dir = tempfile::tempdir().expect("a folder");
/// let store = rollcall::store::Store::open(&dir.path().join("db.redb"))?;
/// let inside = store.write(|tx| {
///     tx.ensure_centre("Tràng An")?;
///     tx.centres()
/// })?;
/// assert_eq!(store.read(|snapshot| snapshot.centres())?, inside);
/// # Ok(())
/// # }
/// ```
pub type Snapshot<'a> = View<&'a ReadTransaction>;

impl<S> std::fmt::Debug for View<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View").finish_non_exhaustive()
    }
}

impl<S: Source> View<S> {
    /// Opens `table` for reading.
    pub(super) fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        table: TableDefinition<'_, K, V>,
    ) -> Result<S::Table<K, V>, StoreError> {
        self.source.open(table)
    }
}
