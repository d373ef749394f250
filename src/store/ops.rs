//! Store support for operations: the numbers behind `/metrics` and `/healthz`, the full
//! export behind `rollcall export`, and the erasure of one person's data behind
//! `rollcall forget`.
//!
//! Export and erasure work on the stored JSON values (`serde_json::Value`) rather than on
//! the typed records, so that they cover every field, including fields added later and
//! the extra answers of sessions, without each record type having to take part.

use super::codec::{decode, encode};
use super::tables::{
    meta_keys, AUDIT, CENTRES, CHATS, CLASSES, DELETED_SESSIONS, DOCUMENT_TEXTS, GROUP_LINKS,
    HANDINS, INBOX, INVITES, MEMBERS, MUTED, NO_SESSION_DAYS, OUTBOX, REMINDERS, SESSIONS,
    SUPERVISORS,
};
use super::view::{Source, View};
use super::{meta, StoreError, Tx};
use crate::domain::UserId;
use redb::{ReadableTable, ReadableTableMetadata};
use serde_json::{json, Map, Value};

/// What `/metrics` and `/healthz` read from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpsSample {
    /// Messages waiting in the outbox.
    pub outbox: u64,
    /// The sequence number of the oldest waiting message.
    pub oldest_outbox: Option<u64>,
    /// Updates stored and not processed yet.
    pub inbox: u64,
    /// Sessions stored (soft-deleted ones not counted).
    pub sessions: u64,
}

/// What `forget` changed, by kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Forgotten {
    /// Memberships and supervisor records whose name was erased.
    pub names: u64,
    /// Sessions (live or soft-deleted) whose organiser became 0.
    pub sessions: u64,
    /// Invitations, reminders and memberships whose creator became 0.
    pub other_records: u64,
    /// Audit entries whose actor or subject became 0.
    pub audit_entries: u64,
    /// Whether a dialog state of the person's private chat was removed.
    pub chat_state: bool,
    /// Whether the person had muted their private reminders.
    pub muted: bool,
    /// Days they had said they held no session, removed.
    pub no_session_days: u64,
    /// Reports still waiting to be built for their private chat, dropped.
    pub report_jobs: u64,
}

/// Fields of stored records that hold a Telegram user id.
const USER_FIELDS: &[&str] = &["organiser", "added_by", "created_by", "actor", "user"];

impl<S: Source> View<S> {
    /// The outbox and inbox depths, the oldest queued message and the number of sessions.
    pub fn ops_sample(&self) -> Result<OpsSample, StoreError> {
        let outbox = self.table(OUTBOX)?;
        let oldest_outbox = outbox.first()?.map(|(seq, _)| seq.value());
        Ok(OpsSample {
            outbox: outbox.len()?,
            oldest_outbox,
            inbox: self.table(INBOX)?.len()?,
            sessions: self.table(SESSIONS)?.len()?,
        })
    }

    /// Everything worth keeping of the database as one JSON value: centres, people,
    /// group links, classes, sessions (with their extra answers, and the soft-deleted
    /// ones), reminders, mute flags, days without a session, invitations (without their
    /// codes, which are credentials), the audit log, the written parts of each centre's
    /// report document and the reports handed in. Not exported: the inbox and outbox (transient
    /// Telegram traffic), dialog states (drafts in progress) and the id counters.
    pub fn export(&self) -> Result<Value, StoreError> {
        let schema: u32 = meta::get(self.source, meta_keys::SCHEMA_VERSION)?.unwrap_or(0);
        let mut out = Map::new();
        out.insert("format".into(), json!("rollcall-export"));
        out.insert("format_version".into(), json!(1));
        out.insert("schema_version".into(), json!(schema));
        out.insert("exported_at".into(), json!(chrono::Utc::now()));

        let mut rows = Vec::new();
        for entry in self.table(CENTRES)?.iter()? {
            let (id, bytes) = entry?;
            rows.push(with_keys(bytes.value(), &[("id", json!(id.value()))])?);
        }
        out.insert("centres".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(SUPERVISORS)?.iter()? {
            let (user, bytes) = entry?;
            rows.push(with_keys(bytes.value(), &[("user", json!(user.value()))])?);
        }
        out.insert("supervisors".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(MEMBERS)?.iter()? {
            let (key, bytes) = entry?;
            let (centre, user) = key.value();
            rows.push(with_keys(
                bytes.value(),
                &[("centre", json!(centre)), ("user", json!(user))],
            )?);
        }
        out.insert("members".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(GROUP_LINKS)?.iter()? {
            let (chat, centre) = entry?;
            rows.push(json!({"chat": chat.value(), "centre": centre.value()}));
        }
        out.insert("group_links".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(CLASSES)?.iter()? {
            let (id, bytes) = entry?;
            rows.push(with_keys(bytes.value(), &[("id", json!(id.value()))])?);
        }
        out.insert("classes".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(SESSIONS)?.iter()? {
            let (id, bytes) = entry?;
            rows.push(with_keys(bytes.value(), &[("id", json!(id.value()))])?);
        }
        out.insert("sessions".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(DELETED_SESSIONS)?.iter()? {
            let (id, bytes) = entry?;
            rows.push(with_keys(bytes.value(), &[("id", json!(id.value()))])?);
        }
        out.insert("deleted_sessions".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(REMINDERS)?.iter()? {
            let (key, bytes) = entry?;
            let (chat, id) = key.value();
            rows.push(with_keys(
                bytes.value(),
                &[("chat", json!(chat)), ("id", json!(id))],
            )?);
        }
        out.insert("reminders".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(MUTED)?.iter()? {
            let (user, _) = entry?;
            rows.push(json!(user.value()));
        }
        out.insert("muted".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(NO_SESSION_DAYS)?.iter()? {
            let (key, at) = entry?;
            let (centre, user, day) = key.value();
            let day = chrono::NaiveDate::from_num_days_from_ce_opt(day);
            rows.push(json!({"centre": centre, "user": user, "day": day, "at": at.value()}));
        }
        out.insert("no_session_days".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(INVITES)?.iter()? {
            let (_code, bytes) = entry?;
            rows.push(decode::<Value>(bytes.value())?);
        }
        out.insert("invitations".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(AUDIT)?.iter()? {
            let (seq, bytes) = entry?;
            rows.push(with_keys(bytes.value(), &[("seq", json!(seq.value()))])?);
        }
        out.insert("audit".into(), Value::Array(rows));

        let mut rows = Vec::new();
        for entry in self.table(DOCUMENT_TEXTS)?.iter()? {
            let (centre, bytes) = entry?;
            rows.push(with_keys(
                bytes.value(),
                &[("centre", json!(centre.value()))],
            )?);
        }
        out.insert("document_texts".into(), Value::Array(rows));

        // Every hand-in, superseded ones included: the history of what was handed in.
        let mut rows = Vec::new();
        for entry in self.table(HANDINS)?.iter()? {
            let (_, bytes) = entry?;
            rows.push(decode::<Value>(bytes.value())?);
        }
        out.insert("handins".into(), Value::Array(rows));
        Ok(Value::Object(out))
    }
}

impl Tx<'_> {
    /// Erases what identifies `user`: the names of their memberships and supervisor
    /// record, the dialog state of their private chat, their mute flag, the days they
    /// said they held no session, and their id
    /// wherever a record names them (the organiser of sessions, the creator of
    /// invitations and reminders, who added a member, the actor and subject of audit
    /// entries), which becomes 0, the id the command line uses. Their roles stay
    /// (removing access is `/members`); sessions keep their numbers, so every report
    /// stays the same. Writes an audit entry that does not name the person.
    pub fn forget_user(
        &mut self,
        user: UserId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Forgotten, StoreError> {
        let mut done = Forgotten::default();

        // Members and supervisors: the person's own records lose their name; records of
        // other people lose the person as who added them.
        let mut changes = Vec::new();
        for entry in self.txn.open_table(MEMBERS)?.iter()? {
            let (key, bytes) = entry?;
            let mut value: Value = decode(bytes.value())?;
            let own = key.value().1 == user;
            if own && clear_name(&mut value) {
                done.names += 1;
            }
            if scrub(&mut value, user) {
                if !own {
                    done.other_records += 1;
                }
                changes.push((key.value(), value));
            } else if own {
                changes.push((key.value(), value));
            }
        }
        let mut table = self.txn.open_table(MEMBERS)?;
        for (key, value) in changes {
            table.insert(key, encode(&value)?.as_slice())?;
        }
        drop(table);

        let mut changes = Vec::new();
        for entry in self.txn.open_table(SUPERVISORS)?.iter()? {
            let (key, bytes) = entry?;
            let mut value: Value = decode(bytes.value())?;
            let own = key.value() == user;
            let named = own && clear_name(&mut value);
            if named {
                done.names += 1;
            }
            if scrub(&mut value, user) || named {
                changes.push((key.value(), value));
            }
        }
        let mut table = self.txn.open_table(SUPERVISORS)?;
        for (key, value) in changes {
            table.insert(key, encode(&value)?.as_slice())?;
        }
        drop(table);

        done.sessions += scrub_table_u64(self.txn, SESSIONS, user)?;
        done.sessions += scrub_table_u64(self.txn, DELETED_SESSIONS, user)?;
        // The organiser index is keyed by the id that was just replaced by 0.
        self.rebuild_organiser_index()?;

        // Hand-ins name the director who handed them in (`user`, `name`).
        let mut changes = Vec::new();
        for entry in self.table(HANDINS)?.iter()? {
            let (key, bytes) = entry?;
            let mut value: Value = decode(bytes.value())?;
            if scrub(&mut value, user) {
                clear_name(&mut value);
                changes.push((key.value(), value));
            }
        }
        done.other_records += changes.len() as u64;
        let mut table = self.txn.open_table(HANDINS)?;
        for (key, value) in changes {
            table.insert(key, encode(&value)?.as_slice())?;
        }
        drop(table);

        let mut changes = Vec::new();
        for entry in self.txn.open_table(INVITES)?.iter()? {
            let (code, bytes) = entry?;
            let mut value: Value = decode(bytes.value())?;
            if scrub(&mut value, user) {
                changes.push((code.value().to_owned(), value));
            }
        }
        done.other_records += changes.len() as u64;
        let mut table = self.txn.open_table(INVITES)?;
        for (code, value) in changes {
            table.insert(code.as_str(), encode(&value)?.as_slice())?;
        }
        drop(table);

        let mut changes = Vec::new();
        for entry in self.txn.open_table(REMINDERS)?.iter()? {
            let (key, bytes) = entry?;
            let mut value: Value = decode(bytes.value())?;
            if scrub(&mut value, user) {
                changes.push((key.value(), value));
            }
        }
        done.other_records += changes.len() as u64;
        let mut table = self.txn.open_table(REMINDERS)?;
        for (key, value) in changes {
            table.insert(key, encode(&value)?.as_slice())?;
        }
        drop(table);

        // Audit entries keep what happened and when; `before` and `after` are JSON text.
        let mut changes = Vec::new();
        for entry in self.txn.open_table(AUDIT)?.iter()? {
            let (seq, bytes) = entry?;
            let mut value: Value = decode(bytes.value())?;
            let mut changed = scrub(&mut value, user);
            for field in ["before", "after"] {
                let Some(text) = value.get(field).and_then(Value::as_str) else {
                    continue;
                };
                if let Ok(mut inner) = serde_json::from_str::<Value>(text) {
                    if scrub(&mut inner, user) {
                        value[field] = Value::String(inner.to_string());
                        changed = true;
                    }
                }
            }
            if changed {
                changes.push((seq.value(), value));
            }
        }
        done.audit_entries = changes.len() as u64;
        let mut table = self.txn.open_table(AUDIT)?;
        for (seq, value) in changes {
            table.insert(seq, encode(&value)?.as_slice())?;
        }
        drop(table);

        done.chat_state = self.txn.open_table(CHATS)?.remove(user)?.is_some();
        done.muted = self.txn.open_table(MUTED)?.remove(user)?.is_some();

        // "No session that day" only serves the reminders; it goes with the person.
        let mut table = self.txn.open_table(NO_SESSION_DAYS)?;
        let mut theirs = Vec::new();
        for entry in table.iter()? {
            let (key, _) = entry?;
            if key.value().1 == user {
                theirs.push(key.value());
            }
        }
        for key in &theirs {
            table.remove(*key)?;
        }
        done.no_session_days = theirs.len() as u64;
        drop(table);
        done.report_jobs = self.drop_report_jobs_to(user)?;

        // The entry records that an erasure happened and how much it changed, but not
        // whose: the id is exactly the personal data just erased.
        self.audit(
            at,
            0,
            None,
            "personal_data_erased",
            None::<&()>,
            Some(&done),
        )?;
        Ok(done)
    }
}

/// A stored JSON record with the table's key fields added in front.
fn with_keys(bytes: &[u8], keys: &[(&str, Value)]) -> Result<Value, StoreError> {
    let value: Value = decode(bytes)?;
    let mut out = Map::new();
    for (name, key) in keys {
        out.insert((*name).to_owned(), key.clone());
    }
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                out.entry(name).or_insert(field);
            }
        }
        other => {
            out.insert("value".into(), other);
        }
    }
    Ok(Value::Object(out))
}

/// Empties the `name` field of a record; returns whether it held a name.
fn clear_name(value: &mut Value) -> bool {
    match value.get_mut("name") {
        Some(name) if name.as_str().is_some_and(|n| !n.is_empty()) => {
            *name = json!("");
            true
        }
        _ => false,
    }
}

/// Replaces `user` by 0 where a record names a person: the fields in `USER_FIELDS`, the
/// list `used_by`, and `[user, "role"]` pairs (how audit entries write a member).
/// Numbers anywhere else (attendance, ids of other things) are left alone. Returns
/// whether anything changed.
fn scrub(value: &mut Value, user: UserId) -> bool {
    let is_user = |v: &Value| v.as_i64() == Some(user);
    let mut changed = false;
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if USER_FIELDS.contains(&name.as_str()) && is_user(field) {
                    *field = json!(0);
                    changed = true;
                } else if name == "used_by" {
                    if let Value::Array(users) = field {
                        for u in users.iter_mut().filter(|u| is_user(u)) {
                            *u = json!(0);
                            changed = true;
                        }
                    }
                } else {
                    changed |= scrub(field, user);
                }
            }
        }
        Value::Array(items) => {
            if items.len() == 2 && is_user(&items[0]) && items[1].is_string() {
                items[0] = json!(0);
                changed = true;
            } else {
                for item in items.iter_mut() {
                    changed |= scrub(item, user);
                }
            }
        }
        _ => {}
    }
    changed
}

/// Scrubs every record of a table keyed by a number; returns how many changed.
fn scrub_table_u64(
    txn: &redb::WriteTransaction,
    definition: redb::TableDefinition<u64, &[u8]>,
    user: UserId,
) -> Result<u64, StoreError> {
    let mut changes = Vec::new();
    for entry in txn.open_table(definition)?.iter()? {
        let (key, bytes) = entry?;
        let mut value: Value = decode(bytes.value())?;
        if scrub(&mut value, user) {
            changes.push((key.value(), value));
        }
    }
    let count = changes.len() as u64;
    let mut table = txn.open_table(definition)?;
    for (key, value) in changes {
        table.insert(key, encode(&value)?.as_slice())?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_touches_people_and_leaves_numbers_alone() {
        let mut session = json!({"organiser": 45, "total": 45, "female": 30, "class": 45});
        assert!(scrub(&mut session, 45));
        assert_eq!(
            session,
            json!({"organiser": 0, "total": 45, "female": 30, "class": 45})
        );
        let mut pair = json!([45, "organiser"]);
        assert!(scrub(&mut pair, 45));
        assert_eq!(pair, json!([0, "organiser"]));
        let mut invite = json!({"created_by": 7, "used_by": [45, 9]});
        assert!(scrub(&mut invite, 45));
        assert_eq!(invite, json!({"created_by": 7, "used_by": [0, 9]}));
        let mut other = json!({"created_by": 7, "days": [45, 46]});
        assert!(!scrub(&mut other, 45));
    }
}
