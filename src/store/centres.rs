//! Centres: created on first use by name, identified by a small number afterwards.

use super::codec::{decode, encode};
use super::tables::{meta_keys, CENTRES, CENTRE_NAMES};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::domain::CentreId;
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

/// A centre as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CentreRecord {
    pub(crate) id: CentreId,
    pub(crate) name: String,
    /// When the record was written; `None` on records of the first schema.
    #[serde(default)]
    pub(crate) created_at: Option<DateTime<Utc>>,
}

impl<S: Source> View<S> {
    /// The name of `centre`, if it exists.
    pub fn centre_name(&self, centre: CentreId) -> Result<Option<String>, StoreError> {
        let centres = self.table(CENTRES)?;
        let value = centres.get(centre)?;
        let record: Option<CentreRecord> = value.map(|bytes| decode(bytes.value())).transpose()?;
        Ok(record.map(|r| r.name))
    }

    /// Every centre, by id (for the supervisor's list and roll-up).
    pub fn centres(&self) -> Result<Vec<(CentreId, String)>, StoreError> {
        let centres = self.table(CENTRES)?;
        let mut all = Vec::new();
        for entry in centres.iter()? {
            let (_, bytes) = entry?;
            let record: CentreRecord = decode(bytes.value())?;
            all.push((record.id, record.name));
        }
        Ok(all)
    }
}

impl Tx<'_> {
    /// The id of the centre called `name`, creating it if needed.
    pub fn ensure_centre(&mut self, name: &str) -> Result<CentreId, StoreError> {
        let existing = {
            let names = self.txn.open_table(CENTRE_NAMES)?;
            let id = names.get(name)?.map(|id| id.value());
            id
        };
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = meta::next_id(self.txn, meta_keys::NEXT_CENTRE)?;
        let record = CentreRecord {
            id,
            name: name.to_owned(),
            created_at: Some(Utc::now()),
        };
        let bytes = encode(&record)?;
        self.txn.open_table(CENTRES)?.insert(id, bytes.as_slice())?;
        self.txn.open_table(CENTRE_NAMES)?.insert(name, id)?;
        Ok(id)
    }
}
