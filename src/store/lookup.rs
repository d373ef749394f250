//! Read-only lookups for the command line: a centre by its exact name, without creating it.

use super::tables::CENTRE_NAMES;
use super::view::{Source, View};
use super::StoreError;
use crate::domain::CentreId;
use redb::ReadableTable;

impl<S: Source> View<S> {
    /// The id of the centre called exactly `name`, if there is one. Unlike
    /// `ensure_centre` it never creates a centre, so a mistyped name in `rollcall report`
    /// is an error rather than a new, empty centre.
    pub fn centre_by_name(&self, name: &str) -> Result<Option<CentreId>, StoreError> {
        let names = self.table(CENTRE_NAMES)?;
        let id = names.get(name)?.map(|id| id.value());
        Ok(id)
    }
}
