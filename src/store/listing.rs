//! Recent sessions of a centre (or of one organiser in it), newest first, for `/mine`
//! and `/sessions`.

use super::codec::decode;
use super::tables::{SESSIONS, SESSIONS_BY_DATE, SESSIONS_BY_ORGANISER};
use super::view::{Source, View};
use super::StoreError;
use crate::domain::{CentreId, SessionRecord, UserId};
use redb::ReadableTable;

impl<S: Source> View<S> {
    /// Up to `limit` live sessions of `centre`, latest date first (then latest id); only
    /// `organiser`'s when given. Reads the date index backwards, so the cost grows with
    /// what is skipped, not with the centre's history.
    pub fn recent_sessions(
        &self,
        centre: CentreId,
        organiser: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let sessions = self.table(SESSIONS)?;
        let mut found = Vec::new();
        if let Some(organiser) = organiser {
            // One person's sessions (`/mine`, `/undo`): the end of their own range of the
            // organiser index, so the cost does not grow with the centre's history.
            let index = self.table(SESSIONS_BY_ORGANISER)?;
            let range = (organiser, centre, i32::MIN, 0)..=(organiser, centre, i32::MAX, u64::MAX);
            for key in index.range(range)?.rev() {
                if found.len() >= limit {
                    break;
                }
                let (key, _) = key?;
                let Some(bytes) = sessions.get(key.value().3)? else {
                    continue;
                };
                let session: SessionRecord = decode(bytes.value())?;
                if session.organiser == organiser {
                    found.push(session);
                }
            }
            return Ok(found);
        }
        let index = self.table(SESSIONS_BY_DATE)?;
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
            found.push(decode(bytes.value())?);
        }
        Ok(found)
    }
}
