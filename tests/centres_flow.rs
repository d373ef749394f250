//! A supervisor's `/centres` through the real runtime on a real redb file: merging one
//! centre into another after a confirmation that shows what will move, renaming one
//! (and a name that is another centre's turned into the offer of a merge), and
//! directors, organisers and forged buttons refused.

// A test may panic on its own setup.
#![allow(clippy::unwrap_used)]

mod transcript;

use chrono::{NaiveDate, TimeZone, Utc};
use expect_test::expect;
use rollcall::domain::{CentreId, ClassChoice, NewSession, Period};
use rollcall::roles::Role;
use std::collections::BTreeMap;
use transcript::Bot;

const ORGANISER: i64 = 42;
const DIRECTOR: i64 = 50;
const OTHER_DIRECTOR: i64 = 51;
const SUPERVISOR: i64 = 60;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn session(centre: CentreId, class: &str, day: NaiveDate, total: u32) -> NewSession {
    NewSession {
        centre,
        organiser: ORGANISER,
        group: "health".to_owned(),
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

/// "Xã Ninh Nhất" (an organiser and a director, two sessions of two classes) and
/// "Phường Tràng An" (a director, one session of a class called like one of the first's).
fn setup() -> (Bot, CentreId, CentreId) {
    let at = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
    let mut into = 0;
    let mut bot = Bot::with(at, |tx| {
        let from = tx.ensure_centre("Xã Ninh Nhất")?;
        tx.add_member(from, ORGANISER, Role::Organiser, "Lan", 0, at)?;
        tx.add_member(from, DIRECTOR, Role::Director, "Tuấn", 0, at)?;
        into = tx.ensure_centre("Phường Tràng An")?;
        tx.add_member(into, OTHER_DIRECTOR, Role::Director, "Mai", 0, at)?;
        tx.add_supervisor(SUPERVISOR, "Phòng GD", 0, at)?;
        tx.save_session(&session(from, "Tin học", date(2026, 3, 3), 40))?;
        tx.save_session(&session(from, "Sơ cứu", date(2026, 4, 4), 30))?;
        tx.save_session(&session(into, "Tin học", date(2026, 5, 5), 20))?;
        Ok(from)
    });
    bot.at("2026-11-05 09:00");
    let from = bot.centre;
    (bot, from, into)
}

fn year() -> Period {
    Period::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap()
}

#[test]
fn a_supervisor_merges_a_centre_after_seeing_what_will_move() {
    let (mut bot, from, into) = setup();
    let before: u64 = bot
        .store
        .read(|tx| tx.group_totals(None, year()))
        .unwrap()
        .values()
        .map(|t| t.attendance)
        .sum();

    let shown = bot.send(SUPERVISOR, "/centres");
    expect![[r#"
        > /centres
        Các trung tâm (2). Anh/chị bấm vào một trung tâm để đổi tên hoặc gộp vào trung tâm khác.
          [Phường Tràng An]
          [Xã Ninh Nhất]
    "#]]
    .assert_eq(&shown);
    let shown = bot.tap(SUPERVISOR, "Xã Ninh Nhất");
    expect![[r#"
        * Xã Ninh Nhất
        Xã Ninh Nhất
        Thành viên: 2
        Số lớp: 2
        Số buổi học đã ghi: 2
          [✏️ Đổi tên]
          [🔗 Gộp vào trung tâm khác]
          [⬅️ Quay lại]
    "#]]
    .assert_eq(&shown);
    bot.tap(SUPERVISOR, "🔗 Gộp vào trung tâm khác");
    let shown = bot.tap(SUPERVISOR, "Phường Tràng An");
    expect![[r#"
        * Phường Tràng An
        Gộp Xã Ninh Nhất vào Phường Tràng An?
        Sẽ chuyển sang Phường Tràng An: 2 thành viên, 2 lớp, 2 buổi học (và 0 buổi đã xóa còn khôi phục được), 0 lần nộp báo cáo, 0 nhóm chat.
        Báo cáo các kỳ trước của Phường Tràng An sẽ bằng tổng của hai trung tâm; trung tâm Xã Ninh Nhất sẽ không còn.

        Các lớp trùng tên với lớp của Phường Tràng An được đổi tên để vẫn là hai lớp (gộp sau bằng /classes nếu thật ra là một):
        • Tin học → Tin học (Xã Ninh Nhất)

        Nội dung báo cáo Word (các mục I–VI, chữ ký) và nhắc hạn của Phường Tràng An được giữ; của Xã Ninh Nhất bỏ đi (vẫn còn trong nhật ký thay đổi).
          [✅ Gộp]
          [✖️ Hủy]
    "#]]
    .assert_eq(&shown);
    // Nothing moved yet.
    assert_eq!(bot.store.read(|tx| tx.centres()).unwrap().len(), 2);

    let shown = bot.tap(SUPERVISOR, "✅ Gộp");
    expect![[r#"
        * ✅ Gộp
        Đã gộp: Xã Ninh Nhất nay là một phần của Phường Tràng An (2 buổi học đã chuyển).
    "#]]
    .assert_eq(&shown);
    bot.store
        .read(|tx| {
            assert_eq!(tx.centres()?, vec![(into, "Phường Tràng An".to_owned())]);
            let all: u64 = tx
                .group_totals(Some(into), year())?
                .values()
                .map(|t| t.attendance)
                .sum();
            assert_eq!(all, before);
            assert_eq!(tx.group_totals(Some(into), year())?["health"].classes, 3);
            assert!(tx.counters_match_sessions()?);
            assert_eq!(tx.audit_log(Some(into), 1)?[0].action, "centre_merged");
            Ok(())
        })
        .unwrap();
    assert!(bot
        .store
        .read(|tx| tx.group_totals(Some(from), year()))
        .unwrap()
        .is_empty());

    // The merged centre's people now log and report for the surviving one.
    assert!(bot
        .send(DIRECTOR, "/report 2026")
        .contains("Trung tâm: Phường Tràng An"));
    // Its audit log says in words who merged what (not "thay đổi (centre_merged)").
    let audit = bot.send(DIRECTOR, "/audit");
    assert!(
        audit.contains(
            "Phòng GD: gộp trung tâm «Xã Ninh Nhất» vào «Phường Tràng An» (2 buổi chuyển sang)"
        ),
        "{audit}"
    );
    bot.send(ORGANISER, "sk 25 10 04/11/2026 Tin học");
    let saved = bot.tap(ORGANISER, "✅ Lưu");
    assert!(saved.contains("Đã lưu"), "{saved}");
    assert_eq!(
        bot.store
            .read(|tx| tx.sessions(Some(into), year()))
            .unwrap()
            .len(),
        4
    );
    // The old buttons are stale.
    let stale = bot.press_raw(
        SUPERVISOR,
        &format!("{}:z.my.{from}.{into}", bot.stamp(SUPERVISOR)),
    );
    assert!(stale.contains("không còn dùng được"), "{stale}");
}

#[test]
fn a_supervisor_renames_a_centre_and_a_taken_name_offers_a_merge() {
    let (mut bot, from, into) = setup();
    bot.send(SUPERVISOR, "/trungtam");
    bot.tap(SUPERVISOR, "Xã Ninh Nhất");
    let shown = bot.tap(SUPERVISOR, "✏️ Đổi tên");
    assert!(
        shown.contains("Anh/chị gõ tên mới cho trung tâm Xã Ninh Nhất:"),
        "{shown}"
    );
    // The other centre's name, spelt differently: a merge is offered instead.
    let shown = bot.send(SUPERVISOR, "phuong  trang an");
    expect![[r#"
        > phuong  trang an
        Đã có trung tâm Phường Tràng An. Nếu Xã Ninh Nhất được sáp nhập vào Phường Tràng An, anh/chị hãy gộp hai trung tâm.
          [🔗 Gộp vào Phường Tràng An]
          [⬅️ Quay lại]
    "#]]
    .assert_eq(&shown);
    bot.tap(SUPERVISOR, "⬅️ Quay lại");
    bot.tap(SUPERVISOR, "✏️ Đổi tên");
    let shown = bot.send(SUPERVISOR, "x");
    assert!(shown.contains("ít nhất hai chữ cái"), "{shown}");
    let shown = bot.send(SUPERVISOR, "Phường  Ninh Nhất");
    expect![[r#"
        > Phường  Ninh Nhất
        Đổi tên trung tâm:
        Xã Ninh Nhất → Phường Ninh Nhất
        Thành viên, lớp, buổi học và báo cáo đã nộp vẫn thuộc trung tâm này.
          [✅ Đổi tên]
          [✖️ Hủy]
    "#]]
    .assert_eq(&shown);
    let shown = bot.tap(SUPERVISOR, "✅ Đổi tên");
    assert!(
        shown.contains("Đã đổi tên trung tâm Xã Ninh Nhất thành Phường Ninh Nhất."),
        "{shown}"
    );
    bot.store
        .read(|tx| {
            assert_eq!(tx.centre_name(from)?.as_deref(), Some("Phường Ninh Nhất"));
            assert_eq!(tx.centre_name(into)?.as_deref(), Some("Phường Tràng An"));
            assert_eq!(tx.sessions(Some(from), year())?.len(), 2);
            assert_eq!(tx.member_role(from, DIRECTOR)?, Some(Role::Director));
            Ok(())
        })
        .unwrap();
    let audit = bot.send(DIRECTOR, "/audit");
    assert!(
        audit.contains("Phòng GD: đổi tên trung tâm «Xã Ninh Nhất» thành «Phường Ninh Nhất»"),
        "{audit}"
    );
    // Text typed afterwards is not taken for a name.
    let shown = bot.send(SUPERVISOR, "Phường Mới");
    assert!(!shown.contains("Đổi tên trung tâm"), "{shown}");
}

#[test]
fn directors_organisers_and_forged_buttons_cannot_change_centres() {
    let (mut bot, from, into) = setup();
    for user in [DIRECTOR, OTHER_DIRECTOR] {
        let shown = bot.send(user, "/centres");
        assert!(
            shown.contains("Chỉ Phòng Giáo dục mới dùng được"),
            "{shown}"
        );
    }
    assert!(bot.send(ORGANISER, "/centres").contains("Chỉ ban giám đốc"));
    for user in [DIRECTOR, ORGANISER] {
        let data = format!("{}:z.my.{from}.{into}", bot.stamp(user));
        let shown = bot.press_raw(user, &data);
        assert!(shown.contains("không còn dùng được"), "{shown}");
    }
    // A supervisor's forged merge of a centre into itself, or of a missing one.
    for forged in [format!("z.my.{from}.{from}"), format!("z.mi.{from}.999")] {
        let data = format!("{}:{forged}", bot.stamp(SUPERVISOR));
        let shown = bot.press_raw(SUPERVISOR, &data);
        assert!(shown.contains("không còn dùng được"), "{shown}");
    }
    assert_eq!(bot.store.read(|tx| tx.centres()).unwrap().len(), 2);
}
