//! The one access check of open work (issue 16): whatever input would continue a draft or
//! a multi-line entry — a typed answer, an answer button, Save, a confirmation, the choice
//! about a held entry, a line typed again, a sticker — finds the draft dropped with a
//! notice once the sender no longer belongs to its centre. Each test removes the member
//! behind the dialog (straight in the store, as the command line or a second bot would:
//! the chat state still holds the draft) and then continues by one kind of input, so each
//! fails if `step()` stops checking for that kind.
//!
//! Transcripts: `> text` is what the user sent, `* Label` a button pressed, then every
//! message the bot queued (plain text, buttons as `[Label]`, a callback notice as `(…)`).

#![allow(clippy::unwrap_used)]

mod transcript;

use expect_test::expect;
use rollcall::dialog::Input;
use rollcall::domain::Now;
use rollcall::runtime::fire_due_nudges;
use transcript::{Bot, DIRECTOR, ORGANISER};

/// Removes the organiser from the centre without going through their chat.
fn remove_behind_the_dialog(bot: &mut Bot) {
    let centre = bot.centre;
    let at = bot.now();
    bot.store
        .write(|tx| {
            tx.remove_member(centre, ORGANISER, DIRECTOR, at)
                .map(|_| ())
        })
        .unwrap();
}

#[test]
fn a_member_removed_mid_draft_cannot_continue_by_typing_an_answer() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "/log");
    bot.tap(ORGANISER, "Sức khỏe");
    bot.tap(ORGANISER, "➕ Lớp mới");
    bot.send(ORGANISER, "Phòng chống dịch");
    remove_behind_the_dialog(&mut bot);
    let said = bot.send(ORGANISER, "07/12");
    expect![[r#"
        > 07/12
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        Nhóm hoạt động: Sức khỏe
        Lớp / chuyên đề: Phòng chống dịch (lớp mới)

        Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
    "#]]
    .assert_eq(&said);
    assert!(bot.sessions().is_empty());
}

#[test]
fn a_member_removed_mid_draft_cannot_continue_by_pressing_an_answer() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "/log");
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap(ORGANISER, "Sức khỏe");
    expect![[r#"
        * Sức khỏe
        (Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        (chưa trả lời câu nào)
    "#]]
    .assert_eq(&said);
}

#[test]
fn a_member_removed_at_the_summary_cannot_press_save() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "sk 45 30 Phòng chống dịch");
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap(ORGANISER, "✅ Lưu");
    expect![[r#"
        * ✅ Lưu
        (Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        Nhóm hoạt động: Sức khỏe
        Lớp / chuyên đề: Phòng chống dịch (lớp mới)
        Ngày học: 07/12/2026
        Số người tham gia: 45
        Số nữ: 30
    "#]]
    .assert_eq(&said);
    assert!(bot.sessions().is_empty());
}

#[test]
fn a_member_removed_before_confirming_an_unusual_attendance_cannot_confirm_it() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "sk 600 300 Phòng chống dịch");
    let asked = bot.tap(ORGANISER, "✅ Lưu");
    assert!(asked.contains("600"), "{asked}");
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap_first(ORGANISER);
    expect![[r#"
        * ✅ Đúng, 600 người
        (Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        Nhóm hoạt động: Sức khỏe
        Lớp / chuyên đề: Phòng chống dịch (lớp mới)
        Ngày học: 07/12/2026
        Số người tham gia: 600
        Số nữ: 300
    "#]]
    .assert_eq(&said);
    assert!(bot.sessions().is_empty());
}

#[test]
fn a_member_removed_before_confirming_a_date_far_back_cannot_confirm_it() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    let asked = bot.send(ORGANISER, "sk 45 30 17/12 Phòng chống dịch");
    assert!(asked.contains("17/12/2025"), "{asked}");
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap_first(ORGANISER);
    expect![[r#"
        * ✅ Đúng, 17/12/2025
        (Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        Nhóm hoạt động: Sức khỏe
        Lớp / chuyên đề: Phòng chống dịch (lớp mới)
        Số người tham gia: 45
        Số nữ: 30
    "#]]
    .assert_eq(&said);
}

#[test]
fn a_member_removed_while_a_new_entry_is_held_cannot_keep_the_old_draft() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "/log");
    bot.tap(ORGANISER, "Sức khỏe");
    bot.send(ORGANISER, "kt 40 12 Trồng nấm rơm");
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap(ORGANISER, "↩️ Giữ nháp cũ");
    expect![[r#"
        * ↩️ Giữ nháp cũ
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        Nhóm hoạt động: Sức khỏe

        Tin nhắn mới chưa được ghi.
    "#]]
    .assert_eq(&said);
}

#[test]
fn a_member_removed_while_a_new_entry_is_held_cannot_start_it() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "/log");
    bot.tap(ORGANISER, "Sức khỏe");
    bot.send(ORGANISER, "kt 40 12 Trồng nấm rơm");
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap(ORGANISER, "🆕 Bỏ nháp cũ");
    expect![[r#"
        * 🆕 Bỏ nháp cũ
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        Nhóm hoạt động: Sức khỏe

        Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
    "#]]
    .assert_eq(&said);
    assert!(bot.sessions().is_empty());
}

#[test]
fn a_member_removed_mid_multi_line_entry_cannot_save_it() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(
        ORGANISER,
        "sk 45 30 05/12 Phòng chống dịch\nmt 30 10 06/12 Thu gom rác thải",
    );
    remove_behind_the_dialog(&mut bot);
    let said = bot.tap(ORGANISER, "✅ Lưu cả 2 buổi");
    expect![[r#"
        * ✅ Lưu cả 2 buổi
        (Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        • sk 45 30 05/12 Phòng chống dịch
        • mt 30 10 06/12 Thu gom rác thải
    "#]]
    .assert_eq(&said);
    assert!(bot.sessions().is_empty());
}

#[test]
fn a_member_removed_mid_multi_line_entry_cannot_type_a_line_again() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "sk 45 30 Phòng chống dịch\nmt 30 Thu gom rác");
    bot.tap(ORGANISER, "✏️ 2");
    remove_behind_the_dialog(&mut bot);
    let said = bot.send(ORGANISER, "mt 30 12 Thu gom rác");
    expect![[r#"
        > mt 30 12 Thu gom rác
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        • sk 45 30 Phòng chống dịch
        • mt 30 Thu gom rác

        Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
    "#]]
    .assert_eq(&said);
    assert!(bot.sessions().is_empty());
}

#[test]
fn a_member_removed_mid_draft_gets_the_notice_for_a_sticker_too() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "/log");
    remove_behind_the_dialog(&mut bot);
    let said = bot.handle(ORGANISER, Input::NotText, None);
    expect![[r#"
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        (chưa trả lời câu nào)

        Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
    "#]]
    .assert_eq(&said);
}

#[test]
fn a_member_removed_at_the_summary_gets_no_nudge() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "sk 45 30 Phòng chống dịch");
    remove_behind_the_dialog(&mut bot);
    bot.later(11);
    let now = Now::in_zone(bot.now(), chrono_tz::Asia::Ho_Chi_Minh);
    let runtime = bot.runtime.clone();
    let due = bot
        .store
        .write(|tx| fire_due_nudges(&runtime, tx, now, 100))
        .unwrap();
    assert_eq!(due, 1, "the nudge was due");
    assert_eq!(bot.outbox(), "", "but it is not sent");
}

#[test]
fn a_draft_dropped_before_its_first_answer_says_so_instead_of_an_empty_list() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "/log");
    remove_behind_the_dialog(&mut bot);
    let said = bot.send(ORGANISER, "Sức khỏe");
    expect![[r#"
        > Sức khỏe
        Anh/chị không còn thuộc trung tâm của bản nháp này nên bản nháp đã được bỏ, chưa có gì được lưu:
        (chưa trả lời câu nào)

        Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
    "#]]
    .assert_eq(&said);
}
