//! Firing reminders on a real redb file with an injected clock: on time, exactly once,
//! the one-hour grace after downtime, who has not reported, nudges and mutes.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use rollcall::dialog::{load_dir, Catalog, Keyboard};
use rollcall::domain::{ClassChoice, NewSession};
use rollcall::outgoing::{OutOp, Outgoing};
use rollcall::reminders::fire::fire_due;
use rollcall::reminders::parse::Audience;
use rollcall::reminders::schedule::{Schedule, Weekdays};
use rollcall::roles::Role;
use rollcall::store::{ReminderRecord, Store};
use std::path::Path;

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs")
}

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, m, 0)
        .single()
        .expect("valid")
}

const GROUP: i64 = -1001;

/// A centre with a linked group, organisers 10 (reports), 11 (does not), 12 (muted), and
/// a reminder at 20:00 local (13:00 UTC) every day for `audience`, created on the 25th.
fn setup(audience: Audience) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("r.redb")).expect("open");
    store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            let at = utc(25, 0, 0);
            tx.add_member(centre, 10, Role::Organiser, "Lan", 0, at)?;
            tx.add_member(centre, 11, Role::Organiser, "Hoa", 0, at)?;
            tx.add_member(centre, 12, Role::Organiser, "Minh", 0, at)?;
            tx.add_member(centre, 13, Role::Director, "Tuấn", 0, at)?;
            tx.set_muted(12, true)?;
            tx.link_group(GROUP, centre, 13, at)?;
            tx.add_reminder(
                GROUP,
                &ReminderRecord {
                    centre,
                    schedule: Schedule {
                        time: NaiveTime::from_hms_opt(20, 0, 0).expect("time"),
                        days: Weekdays::EVERY_DAY,
                    },
                    audience,
                    zone: "Asia/Ho_Chi_Minh".to_owned(),
                    created_by: 13,
                    created_at: at,
                    last: at,
                },
            )?;
            tx.save_session(&NewSession {
                centre,
                organiser: 10,
                group: "health".to_owned(),
                class: ClassChoice::New {
                    name: "Phòng chống dịch".to_owned(),
                    key: "phòng chống dịch".to_owned(),
                },
                date: NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
                total: 30,
                female: 20,
                extra: Default::default(),
                created_at: at,
            })?;
            Ok(())
        })
        .expect("setup");
    (dir, store)
}

fn tick(store: &Store, now: DateTime<Utc>) -> rollcall::reminders::fire::Tick {
    let catalog = catalog();
    store
        .write(|tx| fire_due(tx, &catalog, Some("rollcall_bot"), now))
        .expect("tick")
}

fn drain(store: &Store) -> Vec<Outgoing> {
    store
        .write(|tx| {
            let rows = tx.outbox(1000)?;
            for (seq, _) in &rows {
                tx.remove_outgoing(*seq)?;
            }
            Ok(rows.into_iter().map(|(_, m)| m).collect())
        })
        .expect("drain")
}

fn html(message: &Outgoing) -> &str {
    match &message.op {
        OutOp::Message { html, .. } => html,
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn a_reminder_fires_on_time_exactly_once_with_a_deep_link() {
    let (_dir, store) = setup(Audience::Group);
    let early = tick(&store, utc(25, 12, 59));
    assert_eq!(early.fired, 0);
    assert_eq!(early.next, Some(utc(25, 13, 0)));
    assert!(drain(&store).is_empty());

    let on_time = tick(&store, utc(25, 13, 0));
    assert_eq!((on_time.fired, on_time.messages), (1, 1));
    let sent = drain(&store);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].chat, GROUP);
    assert!(html(&sent[0]).contains("Tràng An"), "{}", html(&sent[0]));
    let OutOp::Message {
        keyboard: Some(Keyboard::Links(rows)),
        ..
    } = &sent[0].op
    else {
        panic!("a link button: {:?}", sent[0].op);
    };
    assert_eq!(rows[0][0].url, "https://t.me/rollcall_bot?start=log");

    // Ticking again at the same time, or a minute later (a restart), sends nothing more.
    assert_eq!(tick(&store, utc(25, 13, 0)).fired, 0);
    assert_eq!(tick(&store, utc(25, 13, 1)).fired, 0);
    assert!(drain(&store).is_empty());
    // The next day, again once.
    assert_eq!(tick(&store, utc(26, 13, 0)).fired, 1);
    assert_eq!(drain(&store).len(), 1);
}

#[test]
fn after_downtime_a_reminder_is_sent_late_once_or_skipped() {
    let (_dir, store) = setup(Audience::Group);
    // Down from before 20:00 until 20:40 local: sent once, 40 minutes late.
    assert_eq!(tick(&store, utc(25, 13, 40)).fired, 1);
    assert_eq!(drain(&store).len(), 1);
    // Down for three days, back at 21:30 local: 90 minutes late, skipped; no flood.
    let back = tick(&store, utc(28, 14, 30));
    assert_eq!((back.fired, back.skipped), (0, 1));
    assert!(drain(&store).is_empty());
    assert_eq!(tick(&store, utc(29, 13, 0)).fired, 1);
}

#[test]
fn the_group_hears_who_has_not_reported_and_they_get_a_nudge_unless_muted() {
    let (_dir, store) = setup(Audience::GroupNamingMissing);
    tick(&store, utc(25, 13, 0));
    let sent = drain(&store);
    assert_eq!(sent.len(), 1);
    let text = html(&sent[0]);
    assert!(text.contains("Hoa") && text.contains("Minh"), "{text}");
    assert!(!text.contains("Lan"), "Lan logged a session: {text}");
    assert!(!text.contains("Tuấn"), "directors are not listed: {text}");

    let (_dir, store) = setup(Audience::NudgeMissing);
    tick(&store, utc(25, 13, 0));
    let sent = drain(&store);
    let chats: Vec<i64> = sent.iter().map(|m| m.chat).collect();
    assert_eq!(
        chats,
        vec![GROUP, 11],
        "the group, and Hoa privately (Minh muted)"
    );
}

#[test]
fn a_group_that_moved_keeps_its_reminders_and_one_the_bot_left_loses_them() {
    let (_dir, store) = setup(Audience::Group);
    let at = utc(25, 1, 0);
    store
        .write(|tx| tx.move_group(GROUP, -100_555, at))
        .expect("move");
    let (old, new, link) = store
        .read(|tx| {
            Ok((
                tx.reminders_of(GROUP)?.len(),
                tx.reminders_of(-100_555)?.len(),
                tx.group_centre(-100_555)?,
            ))
        })
        .expect("read");
    assert_eq!((old, new), (0, 1));
    assert!(link.is_some());
    assert_eq!(tick(&store, utc(25, 13, 0)).fired, 1);
    assert_eq!(drain(&store)[0].chat, -100_555, "sent to the supergroup");

    let unlinked = store
        .write(|tx| tx.unlink_group(-100_555, at))
        .expect("unlink");
    assert!(unlinked);
    assert_eq!(
        tick(&store, utc(26, 13, 0)).fired,
        0,
        "nothing fires for a group the bot left"
    );
    assert_eq!(
        store.read(|tx| tx.group_centre(-100_555)).expect("read"),
        None
    );
}
