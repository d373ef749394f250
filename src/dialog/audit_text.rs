//! The audit log as a director reads it: each entry's action in words, with the names and
//! numbers that matter, instead of the stored action code and JSON.
//!
//! The store keeps `before`/`after` as JSON text (stable, exportable); this module reads
//! back the few fields each action needs. An entry it cannot read (an action added later,
//! a field renamed) is still shown, by its action code, never dropped and never a panic.

use super::catalog::Catalog;
use crate::document::Part;
use crate::domain::{Period, UserId};
use crate::format::{escape_html, format_count, format_date};
use crate::roles::{AuditEntry, Role};
use crate::submission::period_text;
use crate::text::Lang;
use serde_json::Value;

/// One line of `/audit`: when, who, and what was done, in `lang` (HTML, user text escaped).
/// `name_of` gives a member's name for an id when the centre knows it.
pub fn audit_line(
    catalog: &Catalog,
    lang: Lang,
    entry: &AuditEntry,
    name_of: &dyn Fn(UserId) -> Option<String>,
) -> String {
    let actor = match entry.actor {
        0 => catalog.render("audit.actor_cli", lang, &[]),
        user => escape_html(&name_of(user).unwrap_or_else(|| format!("#{user}"))),
    };
    catalog.render(
        "audit.line",
        lang,
        &[
            ("at", &format_date(entry.at.date_naive())),
            ("actor", &actor),
            ("what", &what_was_done(catalog, lang, entry, name_of)),
        ],
    )
}

/// The action in words, or the action code when its details cannot be read.
fn what_was_done(
    catalog: &Catalog,
    lang: Lang,
    entry: &AuditEntry,
    name_of: &dyn Fn(UserId) -> Option<String>,
) -> String {
    let before = parse(&entry.before);
    let after = parse(&entry.after);
    let key = format!("audit.did.{}", entry.action);
    let person = |user: Option<i64>| {
        user.map(|user| escape_html(&name_of(user).unwrap_or_else(|| format!("#{user}"))))
    };
    let role = |value: Option<&Value>| {
        value
            .and_then(|v| serde_json::from_value::<Role>(v.clone()).ok())
            .map(|role| catalog.render(&format!("role.{}", role.code()), lang, &[]))
    };
    let values: Option<Vec<(&str, String)>> = match entry.action.as_str() {
        // (user, role) pairs.
        "member_added" => after.as_ref().and_then(|pair| {
            Some(vec![
                ("who", person(pair.get(0)?.as_i64())?),
                ("role", role(pair.get(1))?),
            ])
        }),
        "member_removed" => before.as_ref().and_then(|pair| {
            Some(vec![
                ("who", person(pair.get(0)?.as_i64())?),
                ("role", role(pair.get(1))?),
            ])
        }),
        "supervisor_added" => after
            .as_ref()
            .and_then(|user| Some(vec![("who", person(user.as_i64())?)])),
        // The invitation's role (first of a tuple when created).
        "invite_created" => after
            .as_ref()
            .and_then(|v| Some(vec![("role", role(v.get(0))?)])),
        "invite_used" | "invite_revoked" => after
            .as_ref()
            .and_then(|v| Some(vec![("role", role(Some(v))?)])),
        "class_renamed" => match (&before, &after) {
            (Some(b), Some(a)) => name(b)
                .zip(name(a))
                .map(|(from, to)| vec![("from", from), ("to", to)]),
            _ => None,
        },
        "class_merged" => after.as_ref().and_then(|a| {
            Some(vec![
                ("from", name(a.get("from")?)?),
                ("to", name(a.get("into")?)?),
                ("sessions", format_count(a.get("moved")?.as_u64()?, lang)),
            ])
        }),
        "centre_renamed" => match (&before, &after) {
            (Some(b), Some(a)) => name(b)
                .zip(name(a))
                .map(|(from, to)| vec![("from", from), ("to", to)]),
            _ => None,
        },
        "centre_merged" => after.as_ref().and_then(|a| {
            Some(vec![
                ("from", escape_html(a.get("from_name")?.as_str()?)),
                ("to", escape_html(a.get("into_name")?.as_str()?)),
                ("sessions", format_count(a.get("sessions")?.as_u64()?, lang)),
            ])
        }),
        "report_handed_in" => after.as_ref().and_then(|a| {
            let period: Period = serde_json::from_value(a.get("period")?.clone()).ok()?;
            Some(vec![("period", period_text(period))])
        }),
        "document_text_changed" => after.as_ref().or(before.as_ref()).and_then(|v| {
            let part = Part::from_id(v.get("part")?.as_str()?)?;
            Some(vec![("part", escape_html(part.name(lang)))])
        }),
        "session_edited" | "session_restored" => after.as_ref().and_then(|s| session(s, lang)),
        "session_deleted" => before.as_ref().and_then(|s| session(s, lang)),
        // Past sessions brought in from a spreadsheet: the file and how many.
        "sessions_imported" => after.as_ref().and_then(|a| {
            Some(vec![
                ("file", escape_html(a.get("file")?.as_str()?)),
                ("sessions", format_count(a.get("sessions")?.as_u64()?, lang)),
            ])
        }),
        "group_linked"
        | "group_unlinked"
        | "group_moved"
        | "reminder_set"
        | "reminders_removed"
        | "deadline_set"
        | "deadline_removed"
        | "personal_data_erased" => Some(Vec::new()),
        _ => None,
    };
    match values.filter(|_| catalog.texts.contains_key(&key)) {
        Some(values) => {
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            catalog.render(&key, lang, &pairs)
        }
        None => catalog.render(
            "audit.did.other",
            lang,
            &[("action", &escape_html(&entry.action))],
        ),
    }
}

/// The stored JSON text as a value; `None` when empty or not JSON.
fn parse(text: &str) -> Option<Value> {
    (!text.is_empty())
        .then(|| serde_json::from_str(text).ok())
        .flatten()
}

/// A class record's name, escaped.
fn name(class: &Value) -> Option<String> {
    Some(escape_html(class.get("name")?.as_str()?))
}

/// A session's date and numbers.
fn session(record: &Value, lang: Lang) -> Option<Vec<(&'static str, String)>> {
    let date: chrono::NaiveDate = record.get("date")?.as_str()?.parse().ok()?;
    Some(vec![
        ("date", format_date(date)),
        ("total", format_count(record.get("total")?.as_u64()?, lang)),
        (
            "female",
            format_count(record.get("female")?.as_u64()?, lang),
        ),
    ])
}
