//! The roll-up over several databases (`rollcall report --db a.redb --db b.redb …`): a
//! province that runs one bot per area sees every area's centres in one table.
//!
//! Pure: each database's share is read by the caller (`Part`), then the centres get new
//! ids (their own would collide: every database counts from 1) and names carrying the
//! database's label ("a: TTHTCĐ phường Tràng An"), classes new ids too, and the result is
//! the same `ReportData` (and sessions) a single database gives, so every format of the
//! report works on it unchanged.

use super::data::ReportData;
use super::silent::Activity;
use crate::dialog::Catalog;
use crate::domain::{CentreId, ClassId, ClassRecord, Lang, Period, SessionRecord, Totals};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What one database contributes.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// The database's label: its file's stem, or what `--db LABEL=PATH` named it.
    pub label: String,
    /// Every centre, by id, with its name.
    pub centres: Vec<(CentreId, String)>,
    /// Per-centre, per-group totals of the period, and of the same period a year earlier.
    pub now: BTreeMap<CentreId, BTreeMap<String, Totals>>,
    pub before: BTreeMap<CentreId, BTreeMap<String, Totals>>,
    pub activity: Activity,
    /// The sessions of the period with their classes (empty when the format needs none).
    pub sessions: Vec<SessionRecord>,
    pub classes: BTreeMap<ClassId, ClassRecord>,
    /// Totals per month of the period (for the chart).
    pub months: BTreeMap<NaiveDate, Totals>,
}

/// Every database's share in one.
#[derive(Debug, Clone)]
pub struct Merged {
    pub data: ReportData,
    /// The sessions of every database, by date, centre and id, with the new centre and
    /// class ids (a session keeps its id, which is unique within its database only).
    pub sessions: Vec<SessionRecord>,
    pub classes: BTreeMap<ClassId, ClassRecord>,
    pub months: BTreeMap<NaiveDate, Totals>,
}

/// The name of a centre of database `label` in the merged report.
pub fn labelled(label: &str, name: &str) -> String {
    format!("{label}: {name}")
}

/// Merges the parts, in their order, into the roll-up called `name`.
pub fn merge(
    catalog: &Catalog,
    name: String,
    period: Period,
    parts: Vec<Part>,
    lang: Lang,
) -> Merged {
    let mut centres: Vec<(CentreId, String)> = Vec::new();
    let mut now = BTreeMap::new();
    let mut before = BTreeMap::new();
    let mut activity = Activity::default();
    let mut sessions = Vec::new();
    let mut classes = BTreeMap::new();
    let mut months: BTreeMap<NaiveDate, Totals> = BTreeMap::new();
    let mut next_class: ClassId = 1;
    for part in parts {
        // Every centre the part knows of, named or not, gets a new id, in id order.
        let mut names: BTreeMap<CentreId, String> = part.centres.iter().cloned().collect();
        for id in part
            .now
            .keys()
            .chain(part.before.keys())
            .chain(part.activity.last_session.keys())
            .chain(part.activity.members.keys())
            .chain(part.sessions.iter().map(|s| &s.centre))
        {
            names.entry(*id).or_insert_with(|| format!("#{id}"));
        }
        let base = centres.len() as CentreId;
        let ids: BTreeMap<CentreId, CentreId> = names
            .keys()
            .enumerate()
            .map(|(i, old)| (*old, base + i as CentreId + 1))
            .collect();
        let id = |old: &CentreId| ids.get(old).copied().unwrap_or_default();
        centres.extend(
            names
                .iter()
                .map(|(old, n)| (id(old), labelled(&part.label, n))),
        );
        now.extend(part.now.iter().map(|(c, g)| (id(c), g.clone())));
        before.extend(part.before.iter().map(|(c, g)| (id(c), g.clone())));
        activity
            .last_session
            .extend(part.activity.last_session.iter().map(|(c, d)| (id(c), *d)));
        activity
            .members
            .extend(part.activity.members.iter().map(|(c, n)| (id(c), *n)));
        let mut class_ids: BTreeMap<ClassId, ClassId> = BTreeMap::new();
        for (old, class) in part.classes {
            let new = next_class;
            next_class += 1;
            class_ids.insert(old, new);
            classes.insert(
                new,
                ClassRecord {
                    id: new,
                    centre: id(&class.centre),
                    merged_into: None,
                    ..class
                },
            );
        }
        sessions.extend(part.sessions.into_iter().map(|s| SessionRecord {
            centre: id(&s.centre),
            class: class_ids.get(&s.class).copied().unwrap_or_default(),
            ..s
        }));
        for (month, totals) in part.months {
            let sum = months.entry(month).or_default();
            *sum = *sum + totals;
        }
    }
    sessions.sort_by_key(|s| (s.date, s.centre, s.id));
    let data = ReportData::roll_up(
        name, catalog, period, &centres, &now, &before, activity, lang,
    );
    Merged {
        data,
        sessions,
        classes,
        months,
    }
}
