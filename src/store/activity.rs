//! Which centres are in use: the day of each centre's latest session and how many people
//! each centre has, for the silent-centre lists of the supervisor's report and `/silent`.

use super::counters::date_of_day;
use super::tables::{MEMBERS, SESSIONS_BY_DATE};
use super::view::{Source, View};
use super::StoreError;
use crate::domain::CentreId;
use chrono::NaiveDate;
use redb::ReadableTable;
use std::collections::BTreeMap;

impl<S: Source> View<S> {
    /// The date of the latest live session of every centre that has one.
    ///
    /// Hops from one centre of the date index to the next and reads the last key of each:
    /// two seeks per centre, however many sessions the centres have.
    pub fn last_session_days(&self) -> Result<BTreeMap<CentreId, NaiveDate>, StoreError> {
        let index = self.table(SESSIONS_BY_DATE)?;
        let mut last = BTreeMap::new();
        let mut next = Some(CentreId::MIN);
        while let Some(start) = next {
            let centre = match index.range((start, i32::MIN, u64::MIN)..)?.next() {
                Some(entry) => entry?.0.value().0,
                None => break,
            };
            let latest = index
                .range((centre, i32::MIN, u64::MIN)..=(centre, i32::MAX, u64::MAX))?
                .next_back()
                .transpose()?
                .map(|(key, _)| key.value().1);
            if let Some(date) = latest.and_then(date_of_day) {
                last.insert(centre, date);
            }
            next = centre.checked_add(1);
        }
        Ok(last)
    }

    /// The number of people (directors and organisers) of every centre that has any.
    /// One pass over the member keys, which are few next to the sessions.
    pub fn member_counts(&self) -> Result<BTreeMap<CentreId, u64>, StoreError> {
        let members = self.table(MEMBERS)?;
        let mut counts: BTreeMap<CentreId, u64> = BTreeMap::new();
        for entry in members.iter()? {
            let (key, _) = entry?;
            let count = counts.entry(key.value().0).or_default();
            *count = count.saturating_add(1);
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::*;
    use crate::domain::{ClassChoice, NewSession};
    use crate::roles::Role;
    use chrono::{TimeZone, Utc};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn session(centre: CentreId, day: NaiveDate) -> NewSession {
        NewSession {
            centre,
            organiser: 7,
            group: "law".to_owned(),
            class: ClassChoice::New {
                name: "Lớp".to_owned(),
                key: "lop".to_owned(),
            },
            date: day,
            total: 10,
            female: 5,
            extra: BTreeMap::new(),
            created_at: Utc
                .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .expect("instant"),
        }
    }

    #[test]
    fn latest_session_days_and_member_counts_per_centre() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("a.redb")).expect("open");
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("instant");
        let (a, b, c) = store
            .write(|tx| {
                let a = tx.ensure_centre("A")?;
                let b = tx.ensure_centre("B")?;
                let c = tx.ensure_centre("C")?;
                tx.save_session(&session(a, date(2026, 3, 1)))?;
                tx.save_session(&session(a, date(2026, 1, 5)))?;
                let late = tx.save_session(&session(b, date(2026, 2, 1)))?;
                tx.save_session(&session(b, date(2026, 1, 1)))?;
                // A deleted session no longer counts as the latest.
                tx.delete_session(late.id, at)?;
                tx.add_member(a, 1, Role::Director, "", 0, at)?;
                tx.add_member(a, 2, Role::Organiser, "", 0, at)?;
                tx.add_member(c, 3, Role::Organiser, "", 0, at)?;
                Ok((a, b, c))
            })
            .expect("filled");
        store
            .read(|tx| {
                let last = tx.last_session_days()?;
                assert_eq!(
                    last,
                    BTreeMap::from([(a, date(2026, 3, 1)), (b, date(2026, 1, 1))])
                );
                assert_eq!(tx.member_counts()?, BTreeMap::from([(a, 2), (c, 1)]));
                Ok(())
            })
            .expect("read");
    }
}
