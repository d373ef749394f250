//! The schema version of a database file and the migrations that bring an older file up
//! to `SCHEMA_VERSION`.
//!
//! Version 0 is a file written before the version was recorded: it has tables but no
//! `schema_version` in `meta`. A brand-new file has no tables at all and starts at
//! `SCHEMA_VERSION` directly.

use super::tables::{self, meta_keys};
use super::{meta, StoreError, Tx, SCHEMA_VERSION};
use redb::WriteTransaction;

/// One step from version `from` to version `from + 1`, run inside the opening transaction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub(crate) from: u32,
    /// What the step changes, for the log.
    pub(crate) what: &'static str,
    pub(crate) run: fn(&WriteTransaction) -> Result<(), StoreError>,
}

/// Every migration, in order; `migrations()[i].from == i`.
pub(crate) fn migrations() -> &'static [Migration] {
    &[
        Migration {
            from: 0,
            what: "record the schema version and create missing tables",
            run: v0_to_v1,
        },
        Migration {
            from: 1,
            what: "build the report counters from the sessions",
            run: v1_to_v2,
        },
        Migration {
            from: 2,
            what: "build the per-year class counts from the sessions",
            run: v2_to_v3,
        },
        Migration {
            from: 3,
            what: "index the sessions by organiser",
            run: v3_to_v4,
        },
        Migration {
            from: 4,
            what: "build the roll-up's counters keyed by time first",
            run: v4_to_v5,
        },
        Migration {
            from: 5,
            what: "index the sessions by class and day",
            run: v5_to_v6,
        },
    ]
}

/// Version 0 had the same tables but no version: creating what is missing is enough.
fn v0_to_v1(txn: &WriteTransaction) -> Result<(), StoreError> {
    tables::create_all(txn)?;
    Ok(())
}

/// Version 2 adds the report counters (`counters.rs`) and the table of deleted sessions;
/// version 1 files have every session but no counters, so they are counted once here.
fn v1_to_v2(txn: &WriteTransaction) -> Result<(), StoreError> {
    tables::create_all(txn)?;
    Tx::new(txn).rebuild_counters()
}

/// Version 3 adds the per-year class counts (`CLASS_YEARS`, `GROUP_YEAR_CLASSES`) that
/// make a year-to-date "Số lớp" cheap. They are built by recounting every live session,
/// like the other counters in `v1_to_v2`, rather than from the v2 counters, so that the
/// new tables agree with the sessions even if the old ones had drifted; the recount
/// rewrites the other counters too, which costs one pass over the sessions, once.
fn v2_to_v3(txn: &WriteTransaction) -> Result<(), StoreError> {
    tables::create_all(txn)?;
    Tx::new(txn).rebuild_counters()
}

/// Version 4 adds the index of sessions by organiser (`SESSIONS_BY_ORGANISER`) that keeps
/// `/mine` from reading the whole centre's history; it is built from the live sessions.
fn v3_to_v4(txn: &WriteTransaction) -> Result<(), StoreError> {
    tables::create_all(txn)?;
    Tx::new(txn).rebuild_organiser_index()
}

/// Version 5 adds the roll-up's counters keyed by time first (`roll_up_counters.rs`) that
/// keep the supervisor's report of a thousand centres fast; they are built by recounting
/// the live sessions, like the other counters.
fn v4_to_v5(txn: &WriteTransaction) -> Result<(), StoreError> {
    tables::create_all(txn)?;
    Tx::new(txn).rebuild_counters()
}

/// Version 6 adds the index of sessions by class and day (`SESSIONS_BY_CLASS`) that keeps
/// a step's entry checks from reading every session its centre logged that day; it is
/// built from the live sessions.
fn v5_to_v6(txn: &WriteTransaction) -> Result<(), StoreError> {
    tables::create_all(txn)?;
    Tx::new(txn).rebuild_class_index()
}

/// Reads the version of the file open in `txn`: `None` for a brand-new (empty) file.
pub(crate) fn stored_version(txn: &WriteTransaction) -> Result<Option<u32>, StoreError> {
    let has_tables = txn.list_tables()?.next().is_some();
    if !has_tables {
        return Ok(None);
    }
    // Opening `meta` creates it on a version-0 file that lacked it; the transaction that
    // runs the migrations commits that anyway, and a refused file is never committed.
    Ok(Some(
        meta::get::<u32>(txn, meta_keys::SCHEMA_VERSION)?.unwrap_or(0),
    ))
}

/// Brings the file open in `txn` to `SCHEMA_VERSION`, or refuses a newer one. Returns the
/// version found (`None` for a new file). The caller commits only on `Ok`.
pub(crate) fn upgrade(txn: &WriteTransaction, path: &str) -> Result<Option<u32>, StoreError> {
    let found = stored_version(txn)?;
    if let Some(found) = found {
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        for step in migrations().iter().filter(|m| m.from >= found) {
            tracing::info!(
                path,
                from = step.from,
                to = step.from + 1,
                "migrating database: {}",
                step.what
            );
            (step.run)(txn)?;
        }
    }
    tables::create_all(txn)?;
    meta::put(txn, meta_keys::SCHEMA_VERSION, &SCHEMA_VERSION)?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_form_a_chain_up_to_the_current_version() {
        let steps = migrations();
        for (i, step) in steps.iter().enumerate() {
            assert_eq!(
                step.from as usize, i,
                "migration {i} starts at the wrong version"
            );
        }
        assert_eq!(steps.len() as u32, SCHEMA_VERSION);
    }
}
