//! Handing reports in, through the real runtime on a real redb file: the director's
//! "📤 Nộp báo cáo" and its one confirmation, what every supervisor receives, refusals
//! (organisers, strangers, a director forging another centre's button), a correction
//! that marks the hand-in "changed since handed in" and tells the director once, a new
//! hand-in superseding it, and the supervisors' `/submissions` with not-yet and late.

// A test may panic on its own setup.
#![allow(clippy::unwrap_used)]

mod transcript;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use expect_test::expect;
use rollcall::domain::{CentreId, ClassChoice, NewSession, Period};
use rollcall::reminders::schedule::Monthly;
use rollcall::roles::Role;
use rollcall::store::DeadlineRecord;
use std::collections::BTreeMap;
use transcript::Bot;

const ORGANISER: i64 = 42;
const DIRECTOR: i64 = 50;
const OTHER_DIRECTOR: i64 = 51;
const SUPERVISOR: i64 = 60;
const SECOND_SUPERVISOR: i64 = 61;
const STRANGER: i64 = 99;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn october() -> Period {
    Period::new(date(2026, 1, 1), date(2026, 10, 31)).unwrap()
}

fn session(centre: CentreId, group: &str, class: &str, day: NaiveDate, total: u32) -> NewSession {
    NewSession {
        centre,
        organiser: ORGANISER,
        group: group.to_owned(),
        class: ClassChoice::New {
            name: class.to_owned(),
            key: class.to_lowercase(),
        },
        date: day,
        total,
        female: total / 2,
        extra: BTreeMap::new(),
        created_at: Utc.with_ymd_and_hms(2026, 10, 20, 1, 0, 0).unwrap(),
    }
}

/// "Tràng An" (an organiser and a director, four sessions in 2026) and "Ninh Nhất"
/// (another director, one session), two supervisors; the clock on 5 November 2026.
fn setup() -> (Bot, CentreId, CentreId) {
    let at = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
    let mut other = 0;
    let mut bot = Bot::with(at, |tx| {
        let centre = tx.ensure_centre("Tràng An")?;
        tx.add_member(centre, ORGANISER, Role::Organiser, "Lan", 0, at)?;
        tx.add_member(centre, DIRECTOR, Role::Director, "Tuấn", 0, at)?;
        other = tx.ensure_centre("Ninh Nhất")?;
        tx.add_member(other, OTHER_DIRECTOR, Role::Director, "Mai", 0, at)?;
        tx.add_supervisor(SUPERVISOR, "Phòng GD", 0, at)?;
        tx.add_supervisor(SECOND_SUPERVISOR, "Phòng GD 2", 0, at)?;
        for (group, class, day, total) in [
            ("health", "Phòng chống sốt xuất huyết", date(2026, 3, 3), 45),
            (
                "health",
                "Phòng chống sốt xuất huyết",
                date(2026, 9, 10),
                35,
            ),
            ("law", "Luật giao thông", date(2026, 10, 17), 30),
            ("law", "Luật giao thông", date(2026, 11, 2), 20),
        ] {
            tx.save_session(&session(centre, group, class, day, total))?;
        }
        tx.save_session(&session(other, "culture", "Hát chèo", date(2026, 5, 5), 60))?;
        Ok(centre)
    });
    bot.at("2026-11-05 09:00");
    let centre = bot.centre;
    (bot, centre, other)
}

/// The latest hand-in of `centre` for January–October 2026, if any.
fn latest(bot: &Bot, centre: CentreId) -> Option<rollcall::submission::HandIn> {
    bot.store
        .read(|tx| tx.latest_handin(centre, october()))
        .unwrap()
}

/// The director's report of January–October with its buttons, so they can be tapped.
fn report(bot: &mut Bot) -> String {
    bot.send(DIRECTOR, "/report 1-10/2026")
}

#[test]
fn a_director_hands_in_after_one_confirmation_and_every_supervisor_gets_the_table_and_files() {
    let (mut bot, centre, _) = setup();
    let shown = report(&mut bot);
    assert!(shown.contains("[📤 Nộp báo cáo]"), "{shown}");

    // The question, and nothing handed in or sent yet.
    let asked = bot.tap_chats(DIRECTOR, "📤 Nộp báo cáo");
    assert_eq!(asked.keys().copied().collect::<Vec<_>>(), vec![DIRECTOR]);
    expect![[r#"
        Nộp báo cáo của Tràng An, kỳ 01/01/2026 – 31/10/2026, cho phòng giáo dục? Cán bộ phòng giáo dục sẽ nhận bảng số liệu, các tệp và bản Word như anh/chị đang thấy.
          [✅ Nộp]
          [✖️ Hủy]
    "#]]
    .assert_eq(&asked[&DIRECTOR]);
    assert_eq!(latest(&bot, centre), None);

    // "Hủy": nothing happens.
    let cancelled = bot.tap_chats(DIRECTOR, "✖️ Hủy");
    assert_eq!(
        cancelled.keys().copied().collect::<Vec<_>>(),
        vec![DIRECTOR]
    );
    assert!(cancelled[&DIRECTOR].contains("Tôi chưa nộp gì cả."));
    assert_eq!(latest(&bot, centre), None);

    // Again, and "✅ Nộp".
    report(&mut bot);
    bot.tap(DIRECTOR, "📤 Nộp báo cáo");
    let sent = bot.tap_chats(DIRECTOR, "✅ Nộp");
    expect![[r#"
        ✅ Đã nộp báo cáo của Tràng An, kỳ 01/01/2026 – 31/10/2026, cho phòng giáo dục (2 cán bộ nhận). Nếu sau này có buổi học của kỳ này được sửa, tôi sẽ báo để anh/chị nộp lại.
    "#]]
    .assert_eq(&sent[&DIRECTOR]);
    for supervisor in [SUPERVISOR, SECOND_SUPERVISOR] {
        let got = &sent[&supervisor];
        assert!(
            got.starts_with(
                "📥 Tràng An nộp báo cáo kỳ 01/01/2026 – 31/10/2026 (Tuấn, 05/11/2026 09:00):"
            ),
            "{got}"
        );
        // The table of /report (110 attendances in three sessions of two groups), then
        // the files of /report and the document of /baocao.
        assert!(
            got.contains("Kết quả thực hiện\nTrung tâm: Tràng An"),
            "{got}"
        );
        assert!(
            got.contains("Số người tham gia học tại TTHTCĐ: 110 người"),
            "{got}"
        );
        for file in [
            "[file bieu-do-trang-an-01-10-2026.png]",
            "[file bao-cao-trang-an-01-10-2026.xlsx]",
            "[file bao-cao-trang-an-01-10-2026.csv]",
            ".docx]",
        ] {
            assert!(got.contains(file), "{file} in {got}");
        }
    }

    // Stored with the numbers of the report as it was handed in, and audited.
    let handin = latest(&bot, centre).expect("stored");
    let report_now = bot
        .store
        .read(|tx| tx.group_totals(Some(centre), october()))
        .unwrap();
    assert_eq!(handin.totals, report_now);
    assert_eq!(handin.total().attendance, 110);
    assert_eq!((handin.user, handin.name.as_str()), (DIRECTOR, "Tuấn"));
    assert!(!handin.changed);
    let audit = bot.store.read(|tx| tx.audit_log(Some(centre), 5)).unwrap();
    assert_eq!(audit[0].action, "report_handed_in");
    assert_eq!(audit[0].actor, DIRECTOR);
    let audit = bot.send(DIRECTOR, "/audit");
    assert!(
        audit.contains("Tuấn: nộp báo cáo kỳ 01/01/2026 – 31/10/2026 cho phòng giáo dục"),
        "{audit}"
    );

    // The confirmation's button cannot be pressed twice.
    let again = bot.press_chats(DIRECTOR, bot.button_data(DIRECTOR, "✅ Nộp"));
    assert_eq!(again.keys().copied().collect::<Vec<_>>(), vec![DIRECTOR]);
    assert_eq!(bot.store.read(|tx| tx.handins_of(centre)).unwrap().len(), 1);
}

#[test]
fn the_button_under_the_document_hands_in_too() {
    let (mut bot, centre, _) = setup();
    let shown = bot.send(DIRECTOR, "/baocao 1-10/2026");
    assert!(shown.contains("[📤 Nộp báo cáo]"), "{shown}");
    bot.tap(DIRECTOR, "📤 Nộp báo cáo");
    let sent = bot.tap_chats(DIRECTOR, "✅ Nộp");
    assert!(
        sent[&SUPERVISOR].contains(".docx]"),
        "{}",
        sent[&SUPERVISOR]
    );
    assert!(latest(&bot, centre).is_some());
}

#[test]
fn organisers_strangers_and_supervisors_cannot_hand_in() {
    let (mut bot, centre, _) = setup();
    // Nobody but the director sees the button.
    let supervisor_report = bot.send(SUPERVISOR, "/report 1-10/2026");
    assert!(
        !supervisor_report.contains("Nộp báo cáo"),
        "{supervisor_report}"
    );
    assert!(bot
        .send(ORGANISER, "/report 1-10/2026")
        .contains("Chỉ ban giám đốc"));

    // Forged buttons, with the stamp each chat has now.
    let ask = format!("hi.{centre}.20260101.20261031");
    let confirm = format!("hy.{centre}.20260101.20261031");
    for user in [ORGANISER, STRANGER, SUPERVISOR] {
        for action in [&ask, &confirm] {
            let data = format!("{}:{action}", bot.stamp(user));
            let got = bot.press_chats(user, data);
            assert_eq!(
                got.keys().copied().collect::<Vec<_>>(),
                vec![user],
                "{got:?}"
            );
            assert_eq!(
                got[&user], "(Chỉ giám đốc của trung tâm mới nộp được báo cáo của trung tâm đó.)\n",
                "{user} {action}"
            );
        }
    }
    assert_eq!(latest(&bot, centre), None);
}

#[test]
fn a_director_cannot_hand_in_another_centres_report_through_forged_button_data() {
    let (mut bot, centre, other) = setup();
    for action in ["hi", "hy"] {
        let data = format!("{}:{action}.{other}.20260101.20261031", bot.stamp(DIRECTOR));
        let got = bot.press_chats(DIRECTOR, data);
        assert_eq!(got.keys().copied().collect::<Vec<_>>(), vec![DIRECTOR]);
        assert!(
            got[&DIRECTOR].contains("Chỉ giám đốc của trung tâm"),
            "{got:?}"
        );
    }
    // A confirmation of their own centre with a stale stamp is refused as stale.
    let stale = format!(
        "{}:hy.{centre}.20260101.20261031",
        bot.stamp(DIRECTOR).wrapping_add(7)
    );
    let got = bot.press_chats(DIRECTOR, stale);
    assert!(got[&DIRECTOR].contains("không còn dùng được"), "{got:?}");
    assert_eq!(latest(&bot, other), None);
    assert_eq!(latest(&bot, centre), None);
}

/// The director hands in January–October of their centre.
fn hand_in(bot: &mut Bot) {
    report(bot);
    bot.tap(DIRECTOR, "📤 Nộp báo cáo");
    let sent = bot.tap_chats(DIRECTOR, "✅ Nộp");
    assert!(sent[&DIRECTOR].starts_with("✅ Đã nộp"), "{sent:?}");
}

#[test]
fn a_new_session_of_the_period_marks_the_hand_in_changed_and_tells_the_director_once() {
    let (mut bot, centre, _) = setup();
    hand_in(&mut bot);

    // A session dated after the period changes nothing.
    bot.send(ORGANISER, "sk 20 10 04/11/2026 Tiêm phòng");
    let saved = bot.tap_chats(ORGANISER, "✅ Lưu");
    assert_eq!(saved.keys().copied().collect::<Vec<_>>(), vec![ORGANISER]);
    assert!(!latest(&bot, centre).unwrap().changed);

    // One dated inside it: the director is told, once, in their language, with a button.
    bot.send(ORGANISER, "sk 45 30 15/10/2026 Tiêm phòng");
    let saved = bot.tap_chats(ORGANISER, "✅ Lưu");
    assert!(saved[&ORGANISER].contains("Đã lưu"), "{saved:?}");
    expect![[r#"
        ⚠️ Báo cáo kỳ 01/01/2026 – 31/10/2026 của Tràng An (nộp lúc 05/11/2026 09:00) đã thay đổi sau khi nộp: có buổi học của kỳ này vừa được ghi thêm, sửa, xóa hoặc khôi phục. Phòng giáo dục sẽ thấy «đã thay đổi». Anh/chị có thể nộp lại:
          [📤 Nộp lại]
    "#]]
    .assert_eq(&saved[&DIRECTOR]);
    assert_eq!(saved.len(), 2, "nobody else is told: {saved:?}");
    let handin = latest(&bot, centre).unwrap();
    assert!(handin.changed);
    assert_eq!(
        handin.total().attendance,
        110,
        "the numbers as handed in stay"
    );

    // A second correction tells nobody again (the organiser's own reply is the barrier).
    bot.send(ORGANISER, "/undo");
    let undone = bot.tap_chats(ORGANISER, "🗑 Xóa");
    assert_eq!(
        undone.keys().copied().collect::<Vec<_>>(),
        vec![ORGANISER],
        "{undone:?}"
    );

    // The supervisors see it as changed.
    let listed = bot.send(SUPERVISOR, "/submissions 1-10/2026");
    assert!(
        listed.contains(
            "⚠️ Tràng An: nộp 05/11/2026 09:00, Tuấn (110 lượt người) – đã thay đổi sau khi nộp"
        ),
        "{listed}"
    );

    // "📤 Nộp lại" under the notice hands in again; the new hand-in supersedes.
    bot.later(60);
    let asked = bot.tap_chats(DIRECTOR, "📤 Nộp lại");
    assert!(
        asked[&DIRECTOR]
            .contains("(Kỳ này đã nộp lúc 05/11/2026 09:00, Tuấn. Lần nộp mới sẽ thay lần trước.)"),
        "{asked:?}"
    );
    let sent = bot.tap_chats(DIRECTOR, "✅ Nộp");
    assert!(
        sent[&DIRECTOR].contains("Lần nộp này thay cho lần nộp trước"),
        "{sent:?}"
    );
    let handin = latest(&bot, centre).unwrap();
    assert!(!handin.changed);
    assert_eq!(handin.total().attendance, 110, "the undone session is gone");
    assert_eq!(bot.store.read(|tx| tx.handins_of(centre)).unwrap().len(), 2);
    let listed = bot.send(SUPERVISOR, "/submissions 1-10/2026");
    assert!(
        listed.contains("✅ Tràng An: nộp 05/11/2026 10:00, Tuấn (110 lượt người)"),
        "{listed}"
    );
}

#[test]
fn the_director_is_told_in_the_language_they_handed_in_with() {
    let (mut bot, centre, _) = setup();
    // Telegram says the director's app is in English; they never chose with /lang.
    bot.language_hint = Some("en".to_owned());
    assert!(bot
        .send(DIRECTOR, "/report 1-10/2026")
        .contains("[📤 Hand in]"));
    bot.tap(DIRECTOR, "📤 Hand in");
    bot.tap(DIRECTOR, "✅ Hand in");
    assert!(latest(&bot, centre).is_some());
    bot.language_hint = Some("vi".to_owned());
    bot.send(ORGANISER, "sk 45 30 15/10/2026 Tiêm phòng");
    let saved = bot.tap_chats(ORGANISER, "✅ Lưu");
    assert!(
        saved[&DIRECTOR].starts_with(
            "⚠️ The report of Tràng An for 01/01/2026 – 31/10/2026 (handed in on 05/11/2026 09:00) has changed since"
        ),
        "{saved:?}"
    );
    assert!(saved[&DIRECTOR].contains("[📤 Hand in again]"), "{saved:?}");
}

#[test]
fn submissions_lists_handed_in_not_yet_and_late_against_the_deadline_day() {
    let (mut bot, centre, other) = setup();
    let at = bot.now();
    // Deadlines on the 25th for Tràng An and Ninh Nhất; none for Hồng Hà.
    bot.store
        .write_unsynced(|tx| {
            for c in [centre, other] {
                tx.set_deadline(
                    c,
                    &DeadlineRecord {
                        timing: Monthly {
                            day: 25,
                            days_before: 3,
                            time: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
                        },
                        zone: "Asia/Ho_Chi_Minh".to_owned(),
                        set_by: 0,
                        set_at: at,
                        last: at,
                    },
                )?;
            }
            tx.ensure_centre("Hồng Hà")?;
            Ok(())
        })
        .unwrap();

    // Before the due day: nobody is late.
    let listed = bot.send(SUPERVISOR, "/submissions");
    expect![[r#"
        > /submissions
        Nộp báo cáo kỳ 01/01/2026 – 31/10/2026: 0/3 trung tâm đã nộp.
        ⬜ Hồng Hà: chưa nộp
        ⬜ Ninh Nhất: chưa nộp (hạn 25/11/2026)
        ⬜ Tràng An: chưa nộp (hạn 25/11/2026)
        Hạn nộp là ngày nhắc hạn (/deadline) của từng trung tâm; trung tâm chưa đặt hạn thì không tính muộn. Kỳ khác: /submissions 10/2026 hoặc /submissions 1-10/2026.
    "#]]
    .assert_eq(&listed);

    // Tràng An hands in after its due day; Ninh Nhất does not at all.
    bot.at("2026-11-27 15:30");
    hand_in(&mut bot);
    let listed = bot.send(SUPERVISOR, "/submissions 1-10/2026");
    expect![[r#"
        > /submissions 1-10/2026
        Nộp báo cáo kỳ 01/01/2026 – 31/10/2026: 1/3 trung tâm đã nộp.
        ⏰ Ninh Nhất: chưa nộp, quá hạn 25/11/2026
        ⬜ Hồng Hà: chưa nộp
        ✅ Tràng An: nộp 27/11/2026 15:30, Tuấn (110 lượt người) – nộp muộn (hạn 25/11/2026)
        Hạn nộp là ngày nhắc hạn (/deadline) của từng trung tâm; trung tâm chưa đặt hạn thì không tính muộn. Kỳ khác: /submissions 10/2026 hoặc /submissions 1-10/2026.
    "#]]
    .assert_eq(&listed);

    // Another period has its own hand-ins: none for October alone.
    let listed = bot.send(SUPERVISOR, "/nopbaocao 10/2026");
    assert!(listed.contains("0/3 trung tâm đã nộp"), "{listed}");

    // Supervisors only; a period that is not one is said so.
    assert!(bot
        .send(DIRECTOR, "/submissions")
        .contains("Chỉ Phòng Giáo dục mới dùng được"));
    assert!(bot
        .send(SUPERVISOR, "/submissions hôm kia")
        .contains("hôm kia"));
}

#[test]
fn the_hand_ins_are_in_the_export_and_forgetting_the_director_keeps_their_numbers() {
    let (mut bot, _, _) = setup();
    hand_in(&mut bot);
    let export = bot.store.read(|tx| tx.export()).unwrap();
    let handins = export["handins"].as_array().unwrap();
    assert_eq!(handins.len(), 1);
    assert_eq!(handins[0]["user"], DIRECTOR);
    assert_eq!(handins[0]["period"]["from"], "2026-01-01");
    assert_eq!(handins[0]["totals"]["law"]["attendance"], 30);

    // `rollcall forget` erases the director from the hand-in, not its numbers.
    bot.store
        .write_unsynced(|tx| tx.forget_user(DIRECTOR, Utc::now()))
        .unwrap();
    let export = bot.store.read(|tx| tx.export()).unwrap();
    let handin = &export["handins"][0];
    assert_eq!((&handin["user"], &handin["name"]), (&0.into(), &"".into()));
    assert_eq!(handin["totals"]["law"]["attendance"], 30);
}
