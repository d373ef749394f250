//! Reading many records of a table keyed by id at once (a report's sessions and their
//! classes): a walk over the table's range when the ids asked for are dense in it, one
//! `get` each when they are sparse.

use super::view::{Source, View};
use super::StoreError;
use redb::{ReadableTable, TableDefinition};

/// About how many records a walk over a table passes in the time one `get` takes to find
/// its record from the root. Measured on the province file of `benches/report.rs`: a
/// walk over the two million session records (332 MB) takes 0.2 s, while the million
/// gets of a year's sessions took 0.7 s with the file in the cache and 5 s without.
const WALKED_PER_GET: u64 = 32;

impl<S: Source> View<S> {
    /// Calls `each` for every id of `ids` (ascending, no duplicates), in that order, with
    /// its record's stored bytes, or `None` when `table` has no such record.
    ///
    /// When the ids are dense among the keys between the first and the last (a
    /// province's year: a million sessions spread over the two million records of two
    /// years), the table is walked once over that range and the records not asked for
    /// are skipped, which reads each page once, in order. When they are sparse (one
    /// centre's year among a thousand centres), a `get` each is cheaper than walking
    /// past everything in between.
    pub(super) fn each_by_id(
        &self,
        table: TableDefinition<'_, u64, &[u8]>,
        ids: &[u64],
        mut each: impl FnMut(u64, Option<&[u8]>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return Ok(());
        };
        let table = self.table(table)?;
        let span = last.saturating_sub(first).saturating_add(1);
        let asked = u64::try_from(ids.len()).unwrap_or(u64::MAX);
        if asked.saturating_mul(WALKED_PER_GET) < span {
            for &id in ids {
                let record = table.get(id)?;
                each(id, record.as_ref().map(|bytes| bytes.value()))?;
            }
            return Ok(());
        }
        // A merge of two ascending sequences: the ids asked for and the keys stored.
        let mut wanted = ids.iter().copied().peekable();
        for entry in table.range(first..=last)? {
            let (key, bytes) = entry?;
            let id = key.value();
            while let Some(absent) = wanted.next_if(|&next| next < id) {
                each(absent, None)?;
            }
            if wanted.next_if_eq(&id).is_some() {
                each(id, Some(bytes.value()))?;
            }
            if wanted.peek().is_none() {
                break;
            }
        }
        for absent in wanted {
            each(absent, None)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tables::CLASSES;
    use super::super::Store;

    /// What `each_by_id` reports for `ids`, over a classes table holding `stored`.
    fn fetched(stored: &[u64], ids: &[u64]) -> Vec<(u64, Option<Vec<u8>>)> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        store
            .write(|tx| {
                let mut table = tx.txn.open_table(CLASSES)?;
                for id in stored {
                    table.insert(id, format!("record {id}").as_bytes())?;
                }
                Ok(())
            })
            .expect("stored");
        store
            .read(|view| {
                let mut seen = Vec::new();
                view.each_by_id(CLASSES, ids, |id, bytes| {
                    seen.push((id, bytes.map(<[u8]>::to_vec)));
                    Ok(())
                })?;
                Ok(seen)
            })
            .expect("read")
    }

    fn record(id: u64) -> Option<Vec<u8>> {
        Some(format!("record {id}").into_bytes())
    }

    #[test]
    fn dense_ids_are_read_by_one_walk_missing_ones_included() {
        // 7 ids over a span of 102 keys: walked, not fetched one by one.
        let stored: Vec<u64> = (1..=100).filter(|id| *id != 50).collect();
        let seen = fetched(&stored, &[0, 1, 2, 50, 99, 100, 101]);
        assert_eq!(
            seen,
            vec![
                (0, None),
                (1, record(1)),
                (2, record(2)),
                (50, None),
                (99, record(99)),
                (100, record(100)),
                (101, None),
            ]
        );
    }

    #[test]
    fn sparse_ids_are_fetched_one_by_one_missing_ones_included() {
        // 3 ids over a span of 20,000 keys: one get each.
        let mut stored: Vec<u64> = (1..=100).collect();
        stored.push(10_000);
        let seen = fetched(&stored, &[1, 10_000, 20_000]);
        assert_eq!(
            seen,
            vec![(1, record(1)), (10_000, record(10_000)), (20_000, None)]
        );
    }

    #[test]
    fn no_ids_read_nothing() {
        assert!(fetched(&[1, 2, 3], &[]).is_empty());
    }
}
