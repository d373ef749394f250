//! The people commands: roles (`grant`, `users`), the audit log, and erasing a person's
//! data on request (`forget`).

use super::maintenance::open_existing;
use super::report::find_centre;
use super::GrantRole;
use crate::app::open_store;
use crate::roles::Role;
use anyhow::bail;
use std::path::Path;

/// `rollcall grant`: a role for a person (the first supervisor, a centre's first director).
pub(super) fn grant(
    db: &Path,
    user: i64,
    role: GrantRole,
    centre: Option<&str>,
    name: &str,
) -> anyhow::Result<()> {
    let store = open_store(db)?;
    let now = chrono::Utc::now();
    match (role, centre) {
        // The user's own command menu is queued with the role; it goes to Telegram when
        // the bot next starts.
        (GrantRole::Supervisor, _) => {
            let added = store.write(|tx| {
                crate::runtime::with_menu_update(tx, user, |tx| {
                    tx.add_supervisor(user, name, 0, now)
                })
            })?;
            println!(
                "{user} {} supervisor",
                if added { "is now a" } else { "already was a" }
            );
        }
        (_, None) => bail!("--centre NAME is needed for a director or an organiser"),
        (role, Some(centre)) => {
            let role = match role {
                GrantRole::Director => Role::Director,
                _ => Role::Organiser,
            };
            let (centre_name, _) = crate::parse::class_name(centre);
            store.write(|tx| {
                let id = tx.ensure_centre(&centre_name)?;
                crate::runtime::with_menu_update(tx, user, |tx| {
                    tx.add_member(id, user, role, name, 0, now)
                })
            })?;
            println!("{user} is now {} of {centre_name}", role.code());
        }
    }
    Ok(())
}

/// `rollcall users`: who has which role where.
pub(super) fn list_users(db: &Path) -> anyhow::Result<()> {
    let store = open_store(db)?;
    let (supervisors, centres) = store.read(|tx| {
        let mut centres = Vec::new();
        for (id, name) in tx.centres()? {
            centres.push((name, tx.members(id)?));
        }
        Ok((tx.supervisors()?, centres))
    })?;
    println!("Supervisors:");
    for (user, name) in &supervisors {
        println!("  {user}  {name}");
    }
    for (centre, members) in &centres {
        println!("{centre}:");
        for member in members {
            println!("  {}  {}  {}", member.user, member.role.code(), member.name);
        }
    }
    Ok(())
}

/// `rollcall audit`: the audit log, newest first.
pub(super) fn print_audit(db: &Path, centre: Option<&str>, limit: usize) -> anyhow::Result<()> {
    let store = open_store(db)?;
    let centre = centre.map(|name| find_centre(&store, name)).transpose()?;
    for entry in store.read(|tx| tx.audit_log(centre, limit))? {
        println!(
            "{}  actor={}  centre={}  {}  before={}  after={}",
            entry.at.format("%Y-%m-%d %H:%M:%S"),
            entry.actor,
            entry
                .centre
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            entry.action,
            entry.before,
            entry.after
        );
    }
    Ok(())
}

/// `rollcall forget`: erases one person's personal data, keeping the report numbers.
pub(super) fn forget(db: &Path, user: i64) -> anyhow::Result<()> {
    if user == 0 {
        bail!("--user 0 is the id that stands for forgotten people and the command line");
    }
    let store = open_existing(db)?;
    let done = store.write(|tx| tx.forget_user(user, chrono::Utc::now()))?;
    println!(
        "forgot user {user}: {} name(s) erased, {} session(s) and {} other record(s) no longer name them, {} audit entr(y/ies) changed, chat state {}, mute flag {}, {} day(s) without a session removed, {} waiting report(s) dropped",
        done.names,
        done.sessions,
        done.other_records,
        done.audit_entries,
        if done.chat_state { "removed" } else { "none" },
        if done.muted { "removed" } else { "none" },
        done.no_session_days,
        done.report_jobs,
    );
    Ok(())
}
