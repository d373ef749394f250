//! Recent sessions of a centre (or of one organiser in it), newest first, for `/mine`
//! and `/sessions`.

use super::codec::decode;
use super::tables::{SESSIONS, SESSIONS_BY_DATE};
use super::{StoreError, Tx};
use crate::domain::{CentreId, SessionRecord, UserId};
use redb::ReadableTable;

impl Tx<'_> {
    /// Up to `limit` live sessions of `centre`, latest date first (then latest id); only
    /// `organiser`'s when given. Reads the date index backwards, so the cost grows with
    /// what is skipped, not with the centre's history.
    pub fn recent_sessions(
        &self,
        centre: CentreId,
        organiser: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let index = self.txn.open_table(SESSIONS_BY_DATE)?;
        let sessions = self.txn.open_table(SESSIONS)?;
        let mut found = Vec::new();
        for key in index
            .range((centre, i32::MIN, 0)..=(centre, i32::MAX, u64::MAX))?
            .rev()
        {
            if found.len() >= limit {
                break;
            }
            let (key, _) = key?;
            let Some(bytes) = sessions.get(key.value().2)? else {
                continue;
            };
            let session: SessionRecord = decode(bytes.value())?;
            if organiser.is_none_or(|o| o == session.organiser) {
                found.push(session);
            }
        }
        Ok(found)
    }
}
