//! Firing reminders on a real redb file with an injected clock: on time, exactly once,
//! the grace after downtime (an hour by default, or as configured), who has not reported,
//! nudges and mutes; the "no session today" button under the reminder that names who has
//! not reported, pressed in the group through the real runtime; and the directors'
//! monthly deadline reminder, set with `/deadline` through the real runtime, with the
//! totals of the configured reporting year.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use rollcall::dialog::{load_dir, Catalog, Input, Keyboard, Sender};
use rollcall::domain::{ClassChoice, Lang, NewSession, Now, YearStart};
use rollcall::outgoing::{OutOp, Outgoing};
use rollcall::reminders::fire::{fire_due, FireOptions};
use rollcall::reminders::parse::Audience;
use rollcall::reminders::schedule::{Monthly, Schedule, Weekdays};
use rollcall::roles::Role;
use rollcall::runtime::{Callback, Event, ReportWorker, Runtime};
use rollcall::store::{DeadlineRecord, ReminderRecord, Store};
use std::path::Path;
use std::sync::Arc;

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
    tick_with(store, FireOptions::default(), now)
}

/// A tick with settings other than the defaults.
fn tick_with(
    store: &Store,
    options: FireOptions,
    now: DateTime<Utc>,
) -> rollcall::reminders::fire::Tick {
    let catalog = catalog();
    store
        .write(|tx| fire_due(tx, &catalog, Some("rollcall_bot"), options, now))
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
fn a_configured_grace_decides_how_late_a_missed_reminder_may_still_go() {
    let grace = |minutes| FireOptions {
        grace: chrono::Duration::minutes(minutes),
        ..FireOptions::default()
    };
    // Down over 20:00 local on the 25th and back at 21:30: 90 minutes late. Two hours of
    // grace send it; the default hour skips it, and it is not sent later either.
    for (minutes, fired, skipped) in [(120, 1, 0), (60, 0, 1)] {
        let (_dir, store) = setup(Audience::Group);
        let back = tick_with(&store, grace(minutes), utc(25, 14, 30));
        assert_eq!(
            (back.fired, back.skipped),
            (fired, skipped),
            "grace {minutes} min"
        );
        assert_eq!(drain(&store).len(), fired, "grace {minutes} min");
        assert_eq!(tick_with(&store, grace(minutes), utc(25, 14, 31)).fired, 0);
    }
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

/// The runtime the tests drive, as the bot runs it.
fn runtime() -> Runtime {
    Runtime {
        catalog: Arc::new(catalog()),
        bot_username: Some("rollcall_bot".to_owned()),
        zone: chrono_tz::Asia::Ho_Chi_Minh,
        year_start: YearStart::default(),
        entry: rollcall::domain::EntryRules::default(),
    }
}

/// `user` presses the button with `data` under a message of the group `GROUP`, through
/// the real runtime; returns what the bot queued (the callback's answer first).
fn press_in_group(store: &Store, user: i64, data: &str, at: DateTime<Utc>) -> Vec<Outgoing> {
    let event = Event {
        chat: GROUP,
        sender: Sender {
            user,
            chat: GROUP,
            name: format!("user {user}"),
            language_hint: Some("vi".to_owned()),
            private: false,
        },
        input: Input::Button {
            data: data.to_owned(),
        },
        callback: Some(Callback {
            id: format!("q{user}"),
            message_id: Some(1),
        }),
        sent_at: None,
    };
    store
        .write(|tx| runtime().handle(tx, &event, Now::in_zone(at, chrono_tz::Asia::Ho_Chi_Minh)))
        .expect("handled");
    drain(store)
}

/// The notice an answered button showed, from what a press queued.
fn notice(sent: &[Outgoing]) -> Option<String> {
    sent.iter().find_map(|m| match &m.op {
        OutOp::AnswerButton { notice, .. } => notice.clone(),
        _ => None,
    })
}

/// The callback data of the inline (not link) buttons of a message, by label.
fn callback_buttons(message: &Outgoing) -> Vec<(String, String)> {
    let rows = match &message.op {
        OutOp::Message {
            keyboard: Some(Keyboard::LinksAndButtons { buttons, .. } | Keyboard::Inline(buttons)),
            ..
        } => buttons.clone(),
        _ => Vec::new(),
    };
    rows.into_iter()
        .flatten()
        .map(|b| (b.label, b.data))
        .collect()
}

#[test]
fn an_organiser_without_a_session_today_says_so_under_the_reminder_and_is_not_named_again_that_day()
{
    let (_dir, store) = setup(Audience::GroupNamingMissing);
    // A second reminder the same evening, at 21:30 local, that names who is missing too.
    store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.add_reminder(
                GROUP,
                &ReminderRecord {
                    centre,
                    schedule: Schedule {
                        time: NaiveTime::from_hms_opt(21, 30, 0).expect("time"),
                        days: Weekdays::EVERY_DAY,
                    },
                    audience: Audience::GroupNamingMissing,
                    zone: "Asia/Ho_Chi_Minh".to_owned(),
                    created_by: 13,
                    created_at: utc(25, 0, 0),
                    last: utc(25, 0, 0),
                },
            )
            .map(drop)
        })
        .expect("second reminder");
    tick(&store, utc(25, 13, 0));
    let sent = drain(&store);
    assert_eq!(sent.len(), 1);
    let text = html(&sent[0]);
    assert!(
        text.contains("Chưa nhận báo cáo của") && text.contains("Hoa") && text.contains("Minh"),
        "{text}"
    );
    // The link into the private chat stays first; the new button comes under it.
    let OutOp::Message {
        keyboard: Some(Keyboard::LinksAndButtons { links, .. }),
        ..
    } = &sent[0].op
    else {
        panic!("links and buttons: {:?}", sent[0].op);
    };
    assert_eq!(links[0][0].url, "https://t.me/rollcall_bot?start=log");
    let buttons = callback_buttons(&sent[0]);
    assert_eq!(buttons.len(), 1, "{buttons:?}");
    let (label, data) = &buttons[0];
    assert_eq!(label, "Hôm nay không có buổi học");
    assert!(data.len() <= 64, "{data}");

    // Hoa (11) presses it at 20:05 local: a short notice, stored for the 25th, and the
    // group hears nothing.
    let pressed = press_in_group(&store, 11, data, utc(25, 13, 5));
    assert_eq!(
        notice(&pressed).as_deref(),
        Some("Đã ghi nhận: anh/chị không có buổi học ngày 25/11/2026."),
    );
    assert_eq!(
        pressed.len(),
        1,
        "only the answer to the button: {pressed:?}"
    );
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let centre = store
        .write(|tx| tx.ensure_centre("Tràng An"))
        .expect("centre");
    assert!(store
        .read(|tx| tx.had_no_session(centre, 11, day))
        .expect("read"));

    // Someone who is not a member of the centre (a stranger in the group, or a supervisor)
    // is told so politely, and nothing is stored for them.
    let stranger = press_in_group(&store, 999, data, utc(25, 13, 6));
    assert_eq!(
        notice(&stranger).as_deref(),
        Some("Nút này dành cho thành viên của trung tâm. Xin cảm ơn anh/chị!")
    );
    assert!(!store
        .read(|tx| tx.had_no_session(centre, 999, day))
        .expect("read"));

    // The 21:30 reminder the same day names Minh, not Hoa.
    tick(&store, utc(25, 14, 30));
    let later = drain(&store);
    assert_eq!(later.len(), 1);
    let text = html(&later[0]);
    assert!(text.contains("Minh") && !text.contains("Hoa"), "{text}");

    // The next evening Hoa is named again: the answer was for the 25th only.
    tick(&store, utc(26, 13, 0));
    let next_day = drain(&store);
    assert!(html(&next_day[0]).contains("Hoa"), "{}", html(&next_day[0]));

    // The button three days later is an old message: refused, nothing stored.
    let old = press_in_group(&store, 12, data, utc(28, 13, 0));
    assert_eq!(
        notice(&old).as_deref(),
        Some("Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.")
    );
    assert!(!store
        .read(|tx| tx.had_no_session(centre, 12, day))
        .expect("read"));

    // `rollcall forget` takes the person's days without a session with them.
    let forgotten = store
        .write(|tx| tx.forget_user(11, utc(28, 14, 0)))
        .expect("forget");
    assert_eq!(forgotten.no_session_days, 1);
    assert!(!store
        .read(|tx| tx.had_no_session(centre, 11, day))
        .expect("read"));
}

#[test]
fn when_everyone_has_reported_or_had_no_session_the_reminder_offers_no_button() {
    let (_dir, store) = setup(Audience::GroupNamingMissing);
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.record_no_session(centre, 11, day, utc(25, 10, 0))?;
            tx.record_no_session(centre, 12, day, utc(25, 10, 0))
        })
        .expect("record");
    tick(&store, utc(25, 13, 0));
    let sent = drain(&store);
    let text = html(&sent[0]);
    assert!(!text.contains("Hoa") && !text.contains("Minh"), "{text}");
    assert!(callback_buttons(&sent[0]).is_empty());
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

const DIRECTOR: i64 = 13;
const SECOND_DIRECTOR: i64 = 14;

/// The group reminder's centre, with a second director who reads English, and no group
/// reminder (so only the deadline reminder fires).
fn deadline_setup() -> (tempfile::TempDir, Store) {
    let (dir, store) = setup(Audience::Group);
    store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.add_member(
                centre,
                SECOND_DIRECTOR,
                Role::Director,
                "Mai",
                0,
                utc(1, 0, 0),
            )?;
            let mut state = tx.chat_state(SECOND_DIRECTOR)?.unwrap_or_default();
            state.lang = Some(Lang::En);
            tx.set_chat_state(SECOND_DIRECTOR, &state)?;
            tx.remove_reminders(GROUP, DIRECTOR, utc(1, 0, 0))?;
            Ok(())
        })
        .expect("deadline setup");
    (dir, store)
}

/// Runs one command typed by `user` in the private chat through the real runtime.
fn command(store: &Store, user: i64, text: &str, at: DateTime<Utc>) -> Vec<Outgoing> {
    let runtime = runtime();
    let (name, args) = text
        .trim_start_matches('/')
        .split_once(' ')
        .unwrap_or((text.trim_start_matches('/'), ""));
    let event = Event {
        chat: user,
        sender: Sender {
            user,
            chat: user,
            name: "Tuấn".to_owned(),
            language_hint: Some("vi".to_owned()),
            private: true,
        },
        input: Input::Command {
            name: name.to_owned(),
            args: args.to_owned(),
        },
        callback: None,
        sent_at: None,
    };
    store
        .write(|tx| runtime.handle(tx, &event, Now::in_zone(at, chrono_tz::Asia::Ho_Chi_Minh)))
        .expect("handled");
    // A report's table and files are built by the report worker off the step, as in the
    // running bot.
    ReportWorker::new(store.clone(), runtime.catalog.clone())
        .run_pending()
        .expect("reports built");
    drain(store)
}

#[test]
fn the_deadline_reminder_reaches_every_director_once_with_the_totals_and_a_report_button() {
    let (_dir, store) = deadline_setup();
    // Set on 1 November: due on the 25th, three days before, at 08:00 (01:00 UTC).
    let reply = command(&store, DIRECTOR, "/deadline 25 3", utc(1, 3, 0));
    assert_eq!(reply.len(), 1);
    assert!(html(&reply[0]).contains("25"), "{}", html(&reply[0]));
    let stored = store
        .read(|tx| {
            let centre = tx.centre_by_name("Tràng An")?.expect("the centre");
            tx.deadline(centre)
        })
        .expect("read")
        .expect("a deadline");
    assert_eq!(
        (
            stored.timing.day,
            stored.timing.days_before,
            stored.zone.as_str()
        ),
        (25, 3, "Asia/Ho_Chi_Minh")
    );

    // Nothing before 08:00 on the 22nd; the next wake-up is then.
    let early = tick(&store, utc(22, 0, 59));
    assert_eq!(early.fired, 0);
    assert_eq!(early.next, Some(utc(22, 1, 0)));
    assert!(drain(&store).is_empty());

    let on_time = tick(&store, utc(22, 1, 0));
    assert_eq!(
        (on_time.fired, on_time.deadlines, on_time.messages),
        (1, 1, 2)
    );
    let sent = drain(&store);
    let chats: Vec<i64> = sent.iter().map(|m| m.chat).collect();
    assert_eq!(
        chats,
        vec![DIRECTOR, SECOND_DIRECTOR],
        "both directors, nobody else"
    );
    let vi = html(&sent[0]);
    assert!(vi.contains("25/11/2026"), "the due date: {vi}");
    assert!(vi.contains("Tràng An"), "{vi}");
    // The only session is dated the 25th, after the 22nd: the totals count sessions up to
    // today, as `/totals` does, so there is none yet.
    assert!(vi.contains("Chưa có buổi học nào"), "{vi}");
    assert!(vi.contains("/report"), "{vi}");
    let en = html(&sent[1]);
    assert!(
        en.contains("is due on"),
        "the English director reads English: {en}"
    );
    let OutOp::Message {
        keyboard: Some(Keyboard::Links(rows)),
        ..
    } = &sent[0].op
    else {
        panic!("a link button: {:?}", sent[0].op);
    };
    assert_eq!(rows[0][0].url, "https://t.me/rollcall_bot?start=report");

    // Ticking again, or restarting a minute later, sends nothing more this month.
    assert_eq!(tick(&store, utc(22, 1, 0)).fired, 0);
    assert_eq!(tick(&store, utc(22, 1, 1)).fired, 0);
    assert!(drain(&store).is_empty());
    // The button sends `/start report`: the director gets the year's report.
    let report = command(&store, DIRECTOR, "/start report", utc(22, 2, 0));
    assert!(
        report.iter().any(|m| html(m).contains("Kết quả thực hiện")),
        "{:?}",
        report.iter().map(html).collect::<Vec<_>>()
    );
    // An organiser with the same link gets no report.
    let organiser = command(&store, 10, "/start report", utc(22, 2, 0));
    assert!(organiser
        .iter()
        .all(|m| !html(m).contains("Kết quả thực hiện")));
}

#[test]
fn the_deadline_reminder_counts_the_year_so_far() {
    let (_dir, store) = deadline_setup();
    command(&store, DIRECTOR, "/deadline 28 0 7:00", utc(1, 3, 0));
    // Due on the 28th itself, at 07:00 local (00:00 UTC): the session of the 25th counts.
    tick(&store, utc(28, 0, 0));
    let sent = drain(&store);
    assert_eq!(sent.len(), 2);
    let vi = html(&sent[0]);
    assert!(vi.contains("28/11/2026"), "{vi}");
    assert!(vi.contains("01/01/2026 – 28/11/2026"), "{vi}");
    assert!(
        vi.contains("30 lượt"),
        "the 30 attendances of the 25th: {vi}"
    );
}

#[test]
fn the_deadline_reminder_counts_the_reporting_year_from_the_configured_start() {
    // (period_start, the period shown, the attendances counted)
    let cases = [
        ((9, 1), "01/09/2026 – 28/11/2026", "30 lượt"),
        ((1, 1), "01/01/2026 – 28/11/2026", "70 lượt"),
    ];
    for ((month, day), period, attendance) in cases {
        let (_dir, store) = deadline_setup();
        // A session in August, before a school year that starts on 1 September; the one
        // of 25 November comes with the setup.
        store
            .write(|tx| {
                let centre = tx.ensure_centre("Tràng An")?;
                tx.save_session(&NewSession {
                    centre,
                    organiser: 10,
                    group: "health".to_owned(),
                    class: ClassChoice::New {
                        name: "Phòng chống dịch".to_owned(),
                        key: "phòng chống dịch".to_owned(),
                    },
                    date: NaiveDate::from_ymd_opt(2026, 8, 20).expect("date"),
                    total: 40,
                    female: 25,
                    extra: Default::default(),
                    created_at: utc(1, 0, 0),
                })
                .map(drop)
            })
            .expect("save");
        command(&store, DIRECTOR, "/deadline 28 0 7:00", utc(1, 3, 0));
        let options = FireOptions {
            year_start: YearStart::new(month, day).expect("a day of every year"),
            ..FireOptions::default()
        };
        tick_with(&store, options, utc(28, 0, 0));
        let sent = drain(&store);
        assert_eq!(sent.len(), 2);
        let vi = html(&sent[0]);
        assert!(vi.contains(period), "{month:02}-{day:02}: {vi}");
        assert!(vi.contains(attendance), "{month:02}-{day:02}: {vi}");
    }
}

#[test]
fn a_deadline_reminder_missed_while_down_is_sent_late_the_same_day_or_skipped() {
    let (_dir, store) = deadline_setup();
    command(&store, DIRECTOR, "/deadline 25 3", utc(1, 3, 0));
    // Down over 08:00 on the 22nd and back at 17:00 local: sent once, late.
    assert_eq!(tick(&store, utc(22, 10, 0)).deadlines, 1);
    assert_eq!(drain(&store).len(), 2);
    // December's is missed entirely (back on the 23rd): skipped, never sent later, and no
    // flood when the bot is down for months.
    let back = store
        .write(|tx| {
            fire_due(
                tx,
                &catalog(),
                None,
                FireOptions::default(),
                Utc.with_ymd_and_hms(2026, 12, 23, 3, 0, 0)
                    .single()
                    .expect("valid"),
            )
        })
        .expect("tick");
    assert_eq!((back.fired, back.skipped), (0, 1));
    let months_later = store
        .write(|tx| {
            fire_due(
                tx,
                &catalog(),
                None,
                FireOptions::default(),
                Utc.with_ymd_and_hms(2027, 4, 22, 1, 30, 0)
                    .single()
                    .expect("valid"),
            )
        })
        .expect("tick");
    assert_eq!(
        (months_later.fired, months_later.messages),
        (1, 2),
        "April's only"
    );
    assert_eq!(drain(&store).len(), 2);
}

#[test]
fn deadline_off_stops_it_and_only_directors_may_set_it() {
    let (_dir, store) = deadline_setup();
    // An organiser may not.
    let refused = command(&store, 10, "/deadline 25 3", utc(1, 3, 0));
    assert_eq!(refused.len(), 1);
    let no_deadline = store
        .read(|tx| {
            let centre = tx.centre_by_name("Tràng An")?.expect("the centre");
            tx.deadline(centre)
        })
        .expect("read");
    assert_eq!(no_deadline, None);
    // Without arguments: the usage, nothing stored.
    let usage = command(&store, DIRECTOR, "/deadline", utc(1, 3, 0));
    assert!(
        html(&usage[0]).contains("/deadline 25 3"),
        "{}",
        html(&usage[0])
    );
    command(&store, DIRECTOR, "/deadline on", utc(1, 3, 0));
    command(&store, DIRECTOR, "/deadline off", utc(2, 3, 0));
    assert_eq!(tick(&store, utc(22, 1, 0)).fired, 0);
    assert!(drain(&store).is_empty());
    let audit: Vec<String> = store
        .read(|tx| {
            let centre = tx.centre_by_name("Tràng An")?.expect("the centre");
            Ok(tx
                .audit_log(Some(centre), 10)?
                .into_iter()
                .map(|entry| entry.action)
                .collect())
        })
        .expect("audit");
    assert!(audit.contains(&"deadline_set".to_owned()), "{audit:?}");
    assert!(audit.contains(&"deadline_removed".to_owned()), "{audit:?}");
}

#[test]
fn a_deadline_record_round_trips() {
    let (_dir, store) = deadline_setup();
    let record = DeadlineRecord {
        timing: Monthly {
            day: 31,
            days_before: 1,
            time: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
        },
        zone: "Asia/Ho_Chi_Minh".to_owned(),
        set_by: DIRECTOR,
        set_at: utc(1, 0, 0),
        last: utc(1, 0, 0),
    };
    let back = store
        .write(|tx| {
            tx.set_deadline(7, &record)?;
            tx.all_deadlines()
        })
        .expect("write");
    assert_eq!(back, vec![(7, record)]);
}
