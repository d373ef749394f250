//! Renaming a centre and merging one centre into another (the rules are in
//! `centre_change.rs`). Both happen in the caller's transaction with their audit entry,
//! so a report never sees half a merge.
//!
//! A merge rewrites every record that names the merged centre: members, classes (a
//! class whose name clashes with one of the surviving centre's is renamed), live and
//! deleted sessions with their indexes, hand-ins, group links, reminders, days without a
//! session, invitations and the people's dialog states; then counts the report counters
//! of both centres again from their sessions (`rebuild_centre_counters`). Classes keep
//! their ids and sessions their dates, so the merged centre's report of any period is the
//! sum of the two centres' reports before.

use super::codec::{day_number, decode, encode};
use super::reminders::DeadlineRecord;
use super::tables::DEADLINES;
use super::tables::{
    CENTRES, CENTRE_NAMES, CLASSES, CLASS_KEYS, CLASS_RECENCY, DELETED_SESSIONS, DOCUMENT_TEXTS,
    GROUP_LINKS, INVITES, NO_SESSION_DAY, NO_SESSION_DAYS, REMINDERS, SESSIONS, SESSIONS_BY_DATE,
    SESSIONS_BY_ORGANISER,
};
use super::{centres::CentreRecord, StoreError, Tx};
use crate::centre_change::{CentreMerge, RenamedClass};
use crate::dialog::parse;
use crate::document::DocumentTexts;
use crate::domain::{CentreId, ClassId, ClassRecord, Period, SessionRecord, UserId};
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::Serialize;
use std::collections::HashSet;

/// The classes of the merged centre and what becomes of their names.
struct ClassPlan {
    /// Classes in use, with the new (name, key) of those whose name clashes.
    live: Vec<(ClassRecord, Option<(String, String)>)>,
    /// Classes merged into others earlier: they only change centre.
    merged: Vec<ClassRecord>,
    /// Every class id of both centres, for the counters.
    all_ids: Vec<ClassId>,
}

/// A centre as the audit log names it.
#[derive(Serialize)]
struct Named<'a> {
    id: CentreId,
    name: &'a str,
}

/// The audit entry's "before" of a merge.
#[derive(Serialize)]
struct MergeBefore<'a> {
    from: Named<'a>,
    into: Named<'a>,
    /// The merged centre's report-document texts, which the merge drops.
    document_texts: &'a DocumentTexts,
    /// Its deadline reminder, dropped when the surviving centre has one.
    deadline: Option<&'a DeadlineRecord>,
}

impl Tx<'_> {
    /// Renames `centre` to `name` and writes an audit entry by `actor`; returns false
    /// (writing nothing) when the name is the one it has.
    ///
    /// Refused (`Err`, nothing written) when the centre does not exist, the name is empty,
    /// or another centre has a name that reads the same (ignoring case, spacing and
    /// diacritics): two such centres could not be told apart in a list.
    pub fn rename_centre(
        &mut self,
        centre: CentreId,
        name: &str,
        actor: UserId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let before = self.centre_record(centre)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Db(format!(
                "refusing to give centre {centre} an empty name"
            )));
        }
        if name == before.name {
            return Ok(false);
        }
        let wanted = parse::fold(name);
        if let Some((other, known)) = self
            .centres()?
            .into_iter()
            .find(|(id, known)| *id != centre && parse::fold(known) == wanted)
        {
            return Err(StoreError::Db(format!(
                "refusing to rename centre {centre}: centre {other} is called {known:?}"
            )));
        }
        let mut after = before.clone();
        name.clone_into(&mut after.name);
        self.txn
            .open_table(CENTRES)?
            .insert(centre, encode(&after)?.as_slice())?;
        let mut names = self.txn.open_table(CENTRE_NAMES)?;
        names.remove(before.name.as_str())?;
        names.insert(name, centre)?;
        drop(names);
        self.audit(
            at,
            actor,
            Some(centre),
            "centre_renamed",
            Some(&Named {
                id: centre,
                name: &before.name,
            }),
            Some(&Named { id: centre, name }),
        )?;
        Ok(true)
    }

    /// Merges centre `from` into centre `into` (see the module's comment and
    /// `centre_change.rs` for what moves) and writes one audit entry by `actor`; returns
    /// what moved. `from` no longer exists afterwards.
    ///
    /// Refused (`Err`, nothing written) when a centre is missing or the two are one.
    pub fn merge_centres(
        &mut self,
        from: CentreId,
        into: CentreId,
        actor: UserId,
        at: DateTime<Utc>,
    ) -> Result<CentreMerge, StoreError> {
        let (source, target) = self.merge_pair(from, into)?;
        let plan = self.class_plan(&source, &target)?;
        let done = self.preview_with(&source, &target, &plan)?;
        let texts = self.document_texts(Some(from))?;
        let deadline = self.deadline(from)?;

        // Hand-ins whose period the other centre had sessions in no longer match the
        // merged centre's report: found before the sessions move.
        let mut to_mark = Vec::new();
        for handin in self.handins_of(into)? {
            if self.has_sessions(from, handin.period)? {
                to_mark.push(super::handins::key_of(&handin));
            }
        }
        let from_marks: Vec<bool> = self
            .handins_of(from)?
            .iter()
            .map(|handin| self.has_sessions(into, handin.period))
            .collect::<Result<_, _>>()?;

        self.move_classes(into, &plan)?;
        self.move_sessions(from, into)?;
        self.move_deleted_sessions(from, into)?;
        let moved_keys = self.move_handins(from, into)?;
        to_mark.extend(
            moved_keys
                .into_iter()
                .zip(from_marks)
                .filter_map(|(key, mark)| mark.then_some(key)),
        );
        for key in to_mark {
            if self.is_latest_handin(key)? {
                self.mark_changed(key)?;
            }
        }
        let people = self.move_members(from, into)?;
        self.move_chat_states(from, into, &people)?;
        self.move_centre_links(from, into)?;
        if deadline.is_some() {
            let dropped = self
                .txn
                .open_table(DEADLINES)?
                .remove(from)?
                .map(|v| v.value().to_vec());
            if let (Some(bytes), None) = (dropped, self.deadline(into)?) {
                self.txn
                    .open_table(DEADLINES)?
                    .insert(into, bytes.as_slice())?;
            }
        }
        self.txn.open_table(DOCUMENT_TEXTS)?.remove(from)?;
        self.rebuild_centre_counters(&[from, into], &plan.all_ids)?;
        self.txn.open_table(CENTRES)?.remove(from)?;
        self.txn
            .open_table(CENTRE_NAMES)?
            .remove(source.name.as_str())?;
        self.audit(
            at,
            actor,
            Some(into),
            "centre_merged",
            Some(&MergeBefore {
                from: Named {
                    id: from,
                    name: &source.name,
                },
                into: Named {
                    id: into,
                    name: &target.name,
                },
                document_texts: &texts,
                deadline: deadline.as_ref(),
            }),
            Some(&done),
        )?;
        Ok(done)
    }

    /// Moves the classes of the plan to centre `into`, with their key and recency entries.
    fn move_classes(&mut self, into: CentreId, plan: &ClassPlan) -> Result<(), StoreError> {
        for (class, renamed) in &plan.live {
            let mut moved = class.clone();
            moved.centre = into;
            if let Some((name, key)) = renamed {
                name.clone_into(&mut moved.name);
                key.clone_into(&mut moved.key);
            }
            let mut keys = self.txn.open_table(CLASS_KEYS)?;
            keys.remove((class.centre, class.group.as_str(), class.key.as_str()))?;
            keys.insert((into, moved.group.as_str(), moved.key.as_str()), moved.id)?;
            drop(keys);
            let day = class.last_session.map_or(NO_SESSION_DAY, day_number);
            let mut recency = self.txn.open_table(CLASS_RECENCY)?;
            recency.remove((class.centre, class.group.as_str(), day, class.id))?;
            recency.insert((into, moved.group.as_str(), day, moved.id), ())?;
            drop(recency);
            self.txn
                .open_table(CLASSES)?
                .insert(moved.id, encode(&moved)?.as_slice())?;
        }
        for class in &plan.merged {
            let mut moved = class.clone();
            moved.centre = into;
            self.txn
                .open_table(CLASSES)?
                .insert(moved.id, encode(&moved)?.as_slice())?;
        }
        Ok(())
    }

    /// Moves every live session of `from` to `into`: the record and both indexes. The
    /// counters are counted again afterwards by the caller.
    fn move_sessions(&mut self, from: CentreId, into: CentreId) -> Result<(), StoreError> {
        let keys: Vec<(i32, u64)> = {
            let index = self.txn.open_table(SESSIONS_BY_DATE)?;
            let mut keys = Vec::new();
            for entry in index.range((from, i32::MIN, u64::MIN)..=(from, i32::MAX, u64::MAX))? {
                let (key, _) = entry?;
                let (_, day, id) = key.value();
                keys.push((day, id));
            }
            keys
        };
        let mut sessions = self.txn.open_table(SESSIONS)?;
        let mut by_date = self.txn.open_table(SESSIONS_BY_DATE)?;
        let mut by_organiser = self.txn.open_table(SESSIONS_BY_ORGANISER)?;
        for (day, id) in keys {
            let mut record: SessionRecord = {
                let bytes = sessions.get(id)?.ok_or_else(|| {
                    StoreError::Db(format!(
                        "session index names session {id}, which does not exist"
                    ))
                })?;
                decode(bytes.value())?
            };
            by_date.remove((from, day, id))?;
            by_organiser.remove((record.organiser, from, day, id))?;
            record.centre = into;
            sessions.insert(id, encode(&record)?.as_slice())?;
            by_date.insert((into, day, id), ())?;
            by_organiser.insert((record.organiser, into, day, id), ())?;
        }
        Ok(())
    }

    /// Points the deleted (restorable) sessions of `from` at `into`, so a restore brings
    /// them back into the merged centre.
    fn move_deleted_sessions(&mut self, from: CentreId, into: CentreId) -> Result<(), StoreError> {
        let mut moved = Vec::new();
        for mut kept in self.deleted_sessions(Some(from))? {
            kept.record.centre = into;
            moved.push(kept);
        }
        let mut table = self.txn.open_table(DELETED_SESSIONS)?;
        for kept in moved {
            table.insert(kept.record.id, encode(&kept)?.as_slice())?;
        }
        Ok(())
    }

    /// Points the dialog states of `people` (the merged centre's members) and of the
    /// supervisors at `into` where they named `from`: an open draft is saved into the
    /// merged centre instead of being refused.
    fn move_chat_states(
        &mut self,
        from: CentreId,
        into: CentreId,
        people: &[UserId],
    ) -> Result<(), StoreError> {
        let mut chats: Vec<UserId> = people.to_vec();
        chats.extend(self.supervisors()?.into_iter().map(|(user, _)| user));
        chats.sort_unstable();
        chats.dedup();
        for chat in chats {
            let Some(mut state) = self.chat_state(chat)? else {
                continue;
            };
            let mut changed = false;
            let mut point = |centre: &mut CentreId| {
                if *centre == from {
                    *centre = into;
                    changed = true;
                }
            };
            if let Some(centre) = state.centre.as_mut() {
                point(centre);
            }
            if let Some(draft) = state.draft.as_mut() {
                point(&mut draft.centre);
            }
            if let Some(batch) = state.batch.as_mut() {
                point(&mut batch.centre);
            }
            if let Some(edit) = state.document_edit.as_mut() {
                point(&mut edit.centre);
            }
            if changed {
                self.set_chat_state(chat, &state)?;
            }
        }
        Ok(())
    }

    /// Moves what else names `from` to `into`: group links, reminders, days without a
    /// session and invitations.
    fn move_centre_links(&mut self, from: CentreId, into: CentreId) -> Result<(), StoreError> {
        let mut links = self.txn.open_table(GROUP_LINKS)?;
        let mut linked = Vec::new();
        for entry in links.iter()? {
            let (chat, centre) = entry?;
            if centre.value() == from {
                linked.push(chat.value());
            }
        }
        for chat in linked {
            links.insert(chat, into)?;
        }
        drop(links);

        let mut reminders = self.txn.open_table(REMINDERS)?;
        let mut moved = Vec::new();
        for entry in reminders.iter()? {
            let (key, bytes) = entry?;
            let mut record: super::ReminderRecord = decode(bytes.value())?;
            if record.centre == from {
                record.centre = into;
                moved.push((key.value(), record));
            }
        }
        for (key, record) in moved {
            reminders.insert(key, encode(&record)?.as_slice())?;
        }
        drop(reminders);

        let mut days = self.txn.open_table(NO_SESSION_DAYS)?;
        let mut moved = Vec::new();
        for entry in days.range((from, i64::MIN, i32::MIN)..=(from, i64::MAX, i32::MAX))? {
            let (key, at) = entry?;
            moved.push((key.value(), at.value()));
        }
        for ((_, user, day), at) in moved {
            days.remove((from, user, day))?;
            if days.get((into, user, day))?.is_none() {
                days.insert((into, user, day), at)?;
            }
        }
        drop(days);

        let mut invites = self.txn.open_table(INVITES)?;
        let mut moved = Vec::new();
        for entry in invites.iter()? {
            let (code, bytes) = entry?;
            let mut record: super::invites::InviteRecord = decode(bytes.value())?;
            if record.centre == Some(from) {
                record.centre = Some(into);
                moved.push((code.value().to_owned(), record));
            }
        }
        for (code, record) in moved {
            invites.insert(code.as_str(), encode(&record)?.as_slice())?;
        }
        Ok(())
    }
}

impl<S: super::view::Source> super::view::View<S> {
    /// What merging `from` into `into` would move, without changing anything (the
    /// confirmation shows it). Refused like `merge_centres`.
    pub fn centre_merge_preview(
        &self,
        from: CentreId,
        into: CentreId,
    ) -> Result<CentreMerge, StoreError> {
        let (source, target) = self.merge_pair(from, into)?;
        let plan = self.class_plan(&source, &target)?;
        self.preview_with(&source, &target, &plan)
    }

    fn centre_record(&self, centre: CentreId) -> Result<CentreRecord, StoreError> {
        let table = self.table(CENTRES)?;
        let value = table.get(centre)?;
        value
            .map(|bytes| decode(bytes.value()))
            .transpose()?
            .ok_or_else(|| {
                StoreError::Db(format!("invalid reference: centre {centre} does not exist"))
            })
    }

    fn merge_pair(
        &self,
        from: CentreId,
        into: CentreId,
    ) -> Result<(CentreRecord, CentreRecord), StoreError> {
        if from == into {
            return Err(StoreError::Db(format!(
                "refusing to merge centre {from} into itself"
            )));
        }
        Ok((self.centre_record(from)?, self.centre_record(into)?))
    }

    /// The classes of `source` and the names they will have in `target`: a class whose
    /// matching key is taken in its group gets the source centre's name in brackets (and
    /// a number when even that is taken).
    fn class_plan(
        &self,
        source: &CentreRecord,
        target: &CentreRecord,
    ) -> Result<ClassPlan, StoreError> {
        let mut live = Vec::new();
        let mut merged = Vec::new();
        let mut all_ids = Vec::new();
        for entry in self.table(CLASSES)?.iter()? {
            let (_, bytes) = entry?;
            let class: ClassRecord = decode(bytes.value())?;
            if class.centre == target.id {
                all_ids.push(class.id);
            } else if class.centre == source.id {
                all_ids.push(class.id);
                if class.merged_into.is_some() {
                    merged.push(class);
                } else {
                    live.push(class);
                }
            }
        }
        let mut taken: HashSet<(String, String)> = HashSet::new();
        {
            let keys = self.table(CLASS_KEYS)?;
            for entry in keys.range((target.id, "", "")..)? {
                let (key, _) = entry?;
                let (centre, group, key) = key.value();
                if centre != target.id {
                    break;
                }
                taken.insert((group.to_owned(), key.to_owned()));
            }
        }
        let clashes: Vec<bool> = live
            .iter()
            .map(|c| taken.contains(&(c.group.clone(), c.key.clone())))
            .collect();
        // The names that do not clash are taken first, so a new name never lands on one.
        for (class, clash) in live.iter().zip(&clashes) {
            if !clash {
                taken.insert((class.group.clone(), class.key.clone()));
            }
        }
        let mut planned = Vec::with_capacity(live.len());
        for (class, clash) in live.into_iter().zip(clashes) {
            if !clash {
                planned.push((class, None));
                continue;
            }
            let mut n = 1u32;
            let renamed = loop {
                let name = if n == 1 {
                    format!("{} ({})", class.name, source.name)
                } else {
                    format!("{} ({} {n})", class.name, source.name)
                };
                let key = parse::class_name(&name).1;
                if taken.insert((class.group.clone(), key.clone())) {
                    break (name, key);
                }
                n = n.saturating_add(1);
            };
            planned.push((class, Some(renamed)));
        }
        Ok(ClassPlan {
            live: planned,
            merged,
            all_ids,
        })
    }

    /// The counts of a merge, from the records as they are.
    fn preview_with(
        &self,
        source: &CentreRecord,
        target: &CentreRecord,
        plan: &ClassPlan,
    ) -> Result<CentreMerge, StoreError> {
        let (from, into) = (source.id, target.id);
        let sessions = {
            let index = self.table(SESSIONS_BY_DATE)?;
            let mut n = 0;
            for entry in index.range((from, i32::MIN, u64::MIN)..=(from, i32::MAX, u64::MAX))? {
                entry?;
                n += 1;
            }
            n
        };
        let group_chats = {
            let links = self.table(GROUP_LINKS)?;
            let mut n = 0;
            for entry in links.iter()? {
                if entry?.1.value() == from {
                    n += 1;
                }
            }
            n
        };
        Ok(CentreMerge {
            from_name: source.name.clone(),
            into_name: target.name.clone(),
            members: self.members(from)?.len() as u64,
            classes: plan.live.len() as u64,
            renamed_classes: plan
                .live
                .iter()
                .filter_map(|(class, renamed)| {
                    renamed.as_ref().map(|(new, _)| RenamedClass {
                        group: class.group.clone(),
                        old: class.name.clone(),
                        new: new.clone(),
                    })
                })
                .collect(),
            sessions,
            deleted_sessions: self.deleted_sessions(Some(from))?.len() as u64,
            handins: self.handins_of(from)?.len() as u64,
            group_chats,
            documents_dropped: !self.document_texts(Some(from))?.parts.is_empty(),
            deadline_dropped: self.deadline(from)?.is_some() && self.deadline(into)?.is_some(),
        })
    }

    /// Whether `centre` has a live session in `period`.
    fn has_sessions(&self, centre: CentreId, period: Period) -> Result<bool, StoreError> {
        let index = self.table(SESSIONS_BY_DATE)?;
        let (from, to) = (day_number(period.from), day_number(period.to));
        let found = index
            .range((centre, from, u64::MIN)..=(centre, to, u64::MAX))?
            .next()
            .is_some();
        Ok(found)
    }
}
