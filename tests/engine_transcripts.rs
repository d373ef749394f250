//! Transcript tests of the bot with the shipped `dialogs/`: a script of what a user types
//! and taps, and the exact conversation that follows. Every script runs through the real
//! `Runtime::handle` on a real temporary redb file, and the replies are read back from
//! the real outbox (the harness is `tests/transcript/mod.rs`), so what a transcript shows
//! is what the bot stores and sends: the confirmation's running totals, the report table
//! and its files, the audit log, the members left after a removal.
//!
//! Script lines: `> text` sends a message (commands included), `* Label` taps the button
//! with that label on the latest message, `* data=…` sends raw callback data (forgeries),
//! `! sticker` sends something without text. Invitation codes are random; the n-th one a
//! transcript creates is called `TESTCODE` and n in 14 digits. Run with `UPDATE_EXPECT=1`
//! to refresh.

// A test may panic on its own setup.
#![allow(clippy::unwrap_used)]

mod transcript;

use chrono::NaiveDate;
use expect_test::{expect, Expect};
use rollcall::domain::{CentreId, ClassChoice, NewSession, UserId, YearStart};
use rollcall::roles::Role;
use rollcall::store::invites::InviteRecord;
use rollcall::store::{StoreError, Tx};
use std::collections::BTreeMap;
use transcript::{local_time, Bot};

/// The test user, Lan, whose private chat every script runs in unless it says otherwise.
const LAN: UserId = 42;
/// Hoa, an organiser of "Tràng An".
const HOA: UserId = 50;
/// The director of "Hoành Bồ".
const TUAN: UserId = 78;
/// The group chat of "Tràng An" (linked where a test says so).
const GROUP: i64 = -100;

/// When the scripts run unless a test says otherwise: 26 November 2026, 17:00 in Vietnam.
const NOW: &str = "2026-11-26 17:00";

/// Centre 1 "Tràng An" with organiser Hoa and Lan in `role` (a supervisor for
/// `Supervisor`, nobody for `None`), and centre 2 "Hoành Bồ" with organiser Minh and
/// director Tuấn; `more` adds what one test needs besides.
fn setup_with(
    role: Option<Role>,
    more: impl FnOnce(&mut Tx<'_>, CentreId, CentreId) -> Result<(), StoreError>,
) -> Bot {
    let at = local_time(NOW);
    let mut bot = Bot::with(at, |tx| {
        let trang_an = tx.ensure_centre("Tràng An")?;
        let hoanh_bo = tx.ensure_centre("Hoành Bồ")?;
        tx.add_member(trang_an, HOA, Role::Organiser, "Hoa", 0, at)?;
        tx.add_member(hoanh_bo, 77, Role::Organiser, "Minh", 0, at)?;
        tx.add_member(hoanh_bo, TUAN, Role::Director, "Tuấn", 0, at)?;
        match role {
            Some(Role::Supervisor) => {
                tx.add_supervisor(LAN, "Lan", 0, at)?;
            }
            Some(role) => {
                tx.add_member(trang_an, LAN, role, "Lan", 0, at)?;
            }
            None => {}
        }
        more(tx, trang_an, hoanh_bo)?;
        Ok(trang_an)
    });
    bot.language_hint = None;
    bot.names.insert(LAN, "Lan".to_owned());
    bot
}

fn setup(role: Option<Role>) -> Bot {
    setup_with(role, |_, _, _| Ok(()))
}

/// Stores a session of Hoa's at `centre` in a class named after its group.
fn session(
    tx: &mut Tx<'_>,
    centre: CentreId,
    group: &str,
    (year, month, day): (i32, u32, u32),
    total: u32,
    female: u32,
) -> Result<(), StoreError> {
    tx.save_session(&NewSession {
        centre,
        organiser: HOA,
        group: group.to_owned(),
        class: ClassChoice::New {
            name: format!("Lớp {group}"),
            key: format!("lớp {group}"),
        },
        date: NaiveDate::from_ymd_opt(year, month, day).unwrap(),
        total,
        female,
        extra: BTreeMap::new(),
        created_at: local_time(NOW),
    })?;
    Ok(())
}

/// Lan, an organiser of "Tràng An", runs `script` in her private chat.
fn check(script: &str, expect: Expect) {
    check_as(Some(Role::Organiser), script, expect);
}

fn check_as(role: Option<Role>, script: &str, expect: Expect) {
    expect.assert_eq(&setup(role).script(LAN, LAN, script));
}

/// As `check`, with Telegram reporting English as Lan's language.
fn check_en(script: &str, expect: Expect) {
    let mut bot = setup(Some(Role::Organiser));
    bot.language_hint = Some("en-US".to_owned());
    expect.assert_eq(&bot.script(LAN, LAN, script));
}

#[test]
fn a_whole_session_by_buttons_then_the_same_class_again() {
    check(
        r"
        > /log
        * Sức khỏe
        * ➕ Lớp mới
        > Phòng chống   sốt xuất huyết
        * Hôm nay
        > 45 người
        > 30
        * ✅ Lưu
        > /log
        * Sức khỏe
        * Phòng chống sốt xuất huyết
        * Hôm qua
        > ４５
        > 0
        * ✅ Lưu
        ",
        expect![[r#"
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Sức khỏe
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            * ➕ Lớp mới
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > Phòng chống   sốt xuất huyết
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            * Hôm nay
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 45 người
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 30
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #1: Tràng An, health, class 1 "Phòng chống sốt xuất huyết", 2026-11-26, 45 people, 30 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 45 lượt người, 30 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 45 lượt người, 30 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Sức khỏe
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [Phòng chống sốt xuất huyết]
                [➕ Lớp mới]
            * Phòng chống sốt xuất huyết
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            * Hôm qua
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > ４５
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 0
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết
              < <b>Ngày học</b>: 25/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 0
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #2: Tràng An, health, class 1 "Phòng chống sốt xuất huyết", 2026-11-25, 45 people, 0 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 2.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 90 lượt người, 30 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 90 lượt người, 30 nữ
                keyboard: [["📝 Ghi buổi học"]]
        "#]],
    );
}

#[test]
fn a_typed_class_name_matches_an_existing_class_whatever_its_case_and_spacing() {
    check(
        r"
        > /log
        * Pháp luật
        > Luật giao thông
        > hôm nay
        > 10
        > 5
        * ✅ Lưu
        > /log
        * Pháp luật
        > LUẬT   giao  THÔNG
        > 25/11
        > 12
        > 6
        * ✅ Lưu
        ",
        expect![[r#"
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Pháp luật
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > Luật giao thông
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > hôm nay
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 10
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 5
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Pháp luật
              < <b>Lớp / chuyên đề</b>: Luật giao thông <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 10
              < <b>Số nữ</b>: 5
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #1: Tràng An, law, class 1 "Luật giao thông", 2026-11-26, 10 people, 5 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Pháp luật</b>: 1 lớp, 10 lượt người, 5 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 10 lượt người, 5 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Pháp luật
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [Luật giao thông]
                [➕ Lớp mới]
            > LUẬT   giao  THÔNG
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 25/11
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 12
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 6
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Pháp luật
              < <b>Lớp / chuyên đề</b>: Luật giao thông
              < <b>Ngày học</b>: 25/11/2026
              < <b>Số người tham gia</b>: 12
              < <b>Số nữ</b>: 6
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #2: Tràng An, law, class 1 "Luật giao thông", 2026-11-25, 12 people, 6 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 2.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Pháp luật</b>: 1 lớp, 22 lượt người, 11 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 22 lượt người, 11 nữ
                keyboard: [["📝 Ghi buổi học"]]
        "#]],
    );
}

#[test]
fn every_validation_error_explains_and_asks_again() {
    check(
        r"
        > /log
        > không biết
        * Môi trường
        * ➕ Lớp mới
        > x
        > 1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890
        > Trồng cây xanh
        > 31/02/2026
        > 27/11/2026
        > 2026-11-20
        > bốn mươi
        > 0
        > -5
        > 1e9
        > 4.5
        > 100001
        > 99999999999999999999999999
        > 40
        > 41
        ! sticker
        > 40
        > lưu
        ",
        expect![[r#"
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            > không biết
              < Xin anh/chị chọn bằng các nút bên dưới câu hỏi.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Môi trường
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            * ➕ Lớp mới
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > x
              < Tên lớp quá ngắn, cần ít nhất 2 ký tự.
              < 
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > 1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890
              < Tên lớp quá dài (tối đa 200 ký tự). Xin anh/chị viết gọn lại.
              < 
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > Trồng cây xanh
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 31/02/2026
              < Tôi chưa hiểu ngày này. Anh/chị gõ ví dụ <i>26/11</i> hoặc <i>26/11/2026</i>, hoặc bấm <b>Hôm nay</b> / <b>Hôm qua</b>.
              < 
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 27/11/2026
              < Ngày này chưa đến (hôm nay là 26/11/2026). Xin anh/chị nhập ngày buổi học đã diễn ra.
              < 
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 2026-11-20
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > bốn mươi
              < Chỉ gõ con số, ví dụ <i>45</i>.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 0
              < Buổi học cần có ít nhất 1 người tham gia.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > -5
              < Buổi học cần có ít nhất 1 người tham gia.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 1e9
              < Chỉ gõ con số, ví dụ <i>45</i>.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 4.5
              < Chỉ gõ con số, ví dụ <i>45</i>.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 100001
              < Số này quá lớn, tối đa là 100.000.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 99999999999999999999999999
              < Số này quá lớn, tối đa là 100.000.
              < 
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 40
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 41
              < Số nữ lớn hơn số người. Có phải là 41 người, 40 nữ?
                [🔁 Đúng: 41 người, 40 nữ]
                [✏️ Nhập lại hai số]
            ! sticker
              < Tôi chỉ đọc được tin nhắn chữ. Xin anh/chị gõ câu trả lời hoặc bấm nút.
              < 
              < Số nữ lớn hơn số người. Có phải là 41 người, 40 nữ?
                [🔁 Đúng: 41 người, 40 nữ]
                [✏️ Nhập lại hai số]
            > 40
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Môi trường
              < <b>Lớp / chuyên đề</b>: Trồng cây xanh <i>(lớp mới)</i>
              < <b>Ngày học</b>: 20/11/2026
              < <b>Số người tham gia</b>: 40
              < <b>Số nữ</b>: 40
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            > lưu
              < Xin anh/chị chọn bằng các nút bên dưới câu hỏi.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Môi trường
              < <b>Lớp / chuyên đề</b>: Trồng cây xanh <i>(lớp mới)</i>
              < <b>Ngày học</b>: 20/11/2026
              < <b>Số người tham gia</b>: 40
              < <b>Số nữ</b>: 40
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
        "#]],
    );
}

#[test]
fn editing_an_answer_returns_to_the_summary_and_drops_what_no_longer_fits() {
    check(
        r"
        > /log
        * Kinh tế
        * ➕ Lớp mới
        > Trồng nấm rơm
        * Hôm nay
        > 30
        > 20
        * ✏️ Sửa
        * Số người tham gia
        > 15
        > 10
        * ✏️ Sửa
        * Nhóm hoạt động
        * Kỹ năng sống
        > Kỹ năng thoát hiểm
        * ✏️ Sửa
        * Ngày học
        * ⬅️ Quay lại
        * ✅ Lưu
        ",
        expect![[r#"
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Kinh tế
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            * ➕ Lớp mới
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > Trồng nấm rơm
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            * Hôm nay
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
            > 30
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 20
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Kinh tế
              < <b>Lớp / chuyên đề</b>: Trồng nấm rơm <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 30
              < <b>Số nữ</b>: 20
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✏️ Sửa
              < Anh/chị muốn sửa mục nào?
                [Nhóm hoạt động]
                [Lớp / chuyên đề]
                [Ngày học]
                [Số người tham gia]
                [Số nữ]
                [⬅️ Quay lại]
            * Số người tham gia
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
                [⬅️ Quay lại]
            > 15
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
                [⬅️ Quay lại]
            > 10
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Kinh tế
              < <b>Lớp / chuyên đề</b>: Trồng nấm rơm <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 15
              < <b>Số nữ</b>: 10
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✏️ Sửa
              < Anh/chị muốn sửa mục nào?
                [Nhóm hoạt động]
                [Lớp / chuyên đề]
                [Ngày học]
                [Số người tham gia]
                [Số nữ]
                [⬅️ Quay lại]
            * Nhóm hoạt động
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
                [⬅️ Quay lại]
            * Kỹ năng sống
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
                [⬅️ Quay lại]
            > Kỹ năng thoát hiểm
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Kỹ năng sống
              < <b>Lớp / chuyên đề</b>: Kỹ năng thoát hiểm <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 15
              < <b>Số nữ</b>: 10
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✏️ Sửa
              < Anh/chị muốn sửa mục nào?
                [Nhóm hoạt động]
                [Lớp / chuyên đề]
                [Ngày học]
                [Số người tham gia]
                [Số nữ]
                [⬅️ Quay lại]
            * Ngày học
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
                [⬅️ Quay lại]
            * ⬅️ Quay lại
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Kỹ năng sống
              < <b>Lớp / chuyên đề</b>: Kỹ năng thoát hiểm <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 15
              < <b>Số nữ</b>: 10
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #1: Tràng An, life_skills, class 1 "Kỹ năng thoát hiểm", 2026-11-26, 15 people, 10 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Kỹ năng sống</b>: 1 lớp, 15 lượt người, 10 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 15 lượt người, 10 nữ
                keyboard: [["📝 Ghi buổi học"]]
        "#]],
    );
}

#[test]
fn commands_during_a_dialog_keep_the_draft_and_ask_again() {
    check(
        r"
        > /log
        * Văn hóa – xã hội
        > /totals
        > /report 1-10/2020
        > /report tháng mười ba
        > /help
        > /log
        > /frobnicate
        > /cancel
        > /cancel
        > hello
        ",
        expect![[r#"
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Văn hóa – xã hội
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /totals
              < <b>Số liệu lũy kế</b> 01/01/2026 – 26/11/2026
              < Chưa có buổi học nào được ghi trong kỳ này. Gõ /log để ghi buổi đầu tiên.
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /report 1-10/2020
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
              < 
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /report tháng mười ba
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
              < 
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /help
              < <b>Hướng dẫn</b>
              < 
              < /log – ghi một buổi học vừa diễn ra
              < /totals – xem số liệu lũy kế
              < /report – bảng kết quả của trung tâm, ví dụ <i>/report 1-10/2020</i>
              < /cancel – hủy buổi học đang ghi dở
              < /mine – xem, sửa hoặc xóa buổi học đã ghi; /undo – xóa buổi vừa ghi
              < /lang – đổi ngôn ngữ, ví dụ <i>/lang en</i>
              < /help – xem lại hướng dẫn này
              < 
              < <b>Cách ghi một buổi học:</b> chọn nhóm hoạt động, chọn lớp (hoặc bấm <b>Lớp mới</b> để gõ tên), chọn ngày, gõ tổng số người tham gia và số nữ, rồi bấm <b>Lưu</b>. Trước khi lưu, anh/chị có thể sửa bất kỳ câu trả lời nào.
              < 
              < <b>Ghi nhanh</b> một buổi học bằng một tin nhắn: mã nhóm, tổng số người, số nữ, ngày (bỏ trống nếu là hôm nay) và tên lớp. Ví dụ:
              < <i>sk 45 30 Phòng chống sốt xuất huyết</i>
              < <i>nghe 30 12 hôm qua Trồng nấm rơm</i>
              < <i>pl 60 35 26/11 Luật giao thông đường bộ</i>
              < 
              < Mã các nhóm:
              < <b>xmc</b> – Xóa mù chữ
              < <b>nghe</b> – Học nghề
              < <b>pl</b> – Pháp luật
              < <b>sk</b> – Sức khỏe
              < <b>mt</b> – Môi trường
              < <b>vh</b> – Văn hóa – xã hội
              < <b>kt</b> – Kinh tế
              < <b>kns</b> – Kỹ năng sống
              < <b>khac</b> – Chương trình khác
              < <b>vn</b> – Văn nghệ – TDTT
              < 
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /log
              < Anh/chị đang ghi dở một buổi học. Xin tiếp tục từ câu hỏi dưới đây.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /frobnicate
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
              < 
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /cancel
              < Đã hủy. Không có gì được lưu.
                keyboard: [["📝 Ghi buổi học"]]
            > /cancel
              < Không có buổi học nào đang ghi dở.
            > hello
              < Anh/chị muốn ghi một buổi học? Gõ /log hoặc bấm nút bên dưới. Gõ /help để xem hướng dẫn.
                keyboard: [["📝 Ghi buổi học"]]
        "#]],
    );
}

#[test]
fn stale_and_forged_buttons_do_nothing() {
    check(
        r"
        > /log
        * data=999:g.health
        * data=0:g.health
        * data=1:g.nonexistent
        * data=1:c.77
        * data=1:sv
        * data=garbage
        * Kinh tế
        * data=2:c.12345
        > /cancel
        * data=2:cn
        ",
        expect![[r#"
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * data=999:g.health
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=0:g.health
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=1:g.nonexistent
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=1:c.77
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=1:sv
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=garbage
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * Kinh tế
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            * data=2:c.12345
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            > /cancel
              < Đã hủy. Không có gì được lưu.
                keyboard: [["📝 Ghi buổi học"]]
            * data=2:cn
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        "#]],
    );
}

#[test]
fn english_speakers_get_english_and_lang_switches() {
    check_en(
        r"
        > /start
        > /log
        * Health
        > /lang vi
        > /lang fr
        > /lang en
        ",
        expect![[r#"
            > /start
              < Hello! 👋 I help your <b>community learning centre</b> keep track of its class sessions and write its period report.
              < 
              < After each session, tap <b>Log a session</b> (or type /log) and answer a few short questions: activity group, class, date, attendance, women. It takes about half a minute.
              < 
              < Type /help for instructions.
                keyboard: [["📝 Log a session"]]
            > /log
              < Logging a new session. Type /cancel to stop at any time.
              < 
              < Which <b>activity group</b> was the session in?
                [Literacy] [Vocational training]
                [Law] [Health]
                [Environment] [Culture and society]
                [Economy] [Life skills]
                [Other programmes] [Arts and sports]
            * Health
              < Which <b>class or topic</b> was it? Pick an existing one, or tap <b>New class</b>.
                [➕ New class]
            > /lang vi
              < Đã chuyển sang tiếng Việt.
                keyboard: [["📝 Ghi buổi học"]]
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /lang fr
              < Gõ <i>/lang vi</i> để dùng tiếng Việt, hoặc <i>/lang en</i> để dùng tiếng Anh.
              < 
              < Bản nháp của anh/chị vẫn được giữ. Anh/chị trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /lang en
              < Language set to English.
                keyboard: [["📝 Log a session"]]
              < Your draft is kept. Answer the question above, or type /cancel to discard it.
              < 
              < Which <b>class or topic</b> was it? Pick an existing one, or tap <b>New class</b>.
                [➕ New class]
        "#]],
    );
}

#[test]
fn start_with_the_log_deep_link_opens_the_dialog() {
    check(
        r"
        > /start log
        ! sticker
        ",
        expect![[r#"
            > /start log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            ! sticker
              < Tôi chỉ đọc được tin nhắn chữ. Xin anh/chị gõ câu trả lời hoặc bấm nút.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
        "#]],
    );
}

#[test]
fn a_stranger_learns_what_the_bot_is_and_nothing_else() {
    check_as(
        None,
        r"
        > /start
        > /log
        > 📝 Ghi buổi học
        > /totals
        > /report 2020
        > /members
        > /invite organiser
        > /centre
        > xin chào
        ! sticker
        > /help
        > /start AAAAAAAAAAAAAAAAAAAAAA
        * data=1:ct.1
        ",
        expect![[r#"
            > /start
              < Xin chào! 👋 Đây là bot ghi buổi học của các <b>Trung tâm học tập cộng đồng</b>.
              < 
              < Để dùng bot, anh/chị cần lời mời từ giám đốc trung tâm (hoặc từ Phòng Giáo dục): mở đường link mời được gửi cho anh/chị, rồi có thể ghi buổi học ngay.
            > /log
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > 📝 Ghi buổi học
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > /totals
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > /report 2020
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > /members
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > /invite organiser
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > /centre
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > xin chào
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            ! sticker
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
            > /help
              < Xin chào! 👋 Đây là bot ghi buổi học của các <b>Trung tâm học tập cộng đồng</b>.
              < 
              < Để dùng bot, anh/chị cần lời mời từ giám đốc trung tâm (hoặc từ Phòng Giáo dục): mở đường link mời được gửi cho anh/chị, rồi có thể ghi buổi học ngay.
            > /start AAAAAAAAAAAAAAAAAAAAAA
              < Mã mời này không đúng. Xin anh/chị kiểm tra lại đường link, hoặc đề nghị gửi một link mới.
            * data=1:ct.1
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        "#]],
    );
}

#[test]
fn an_invitation_makes_a_stranger_an_organiser_once() {
    // Tuấn, a director of the other centre, invited Lan to "Tràng An" as an organiser.
    let mut bot = setup_with(None, |tx, trang_an, _| {
        let at = local_time(NOW);
        tx.create_invite(
            "TESTCODE00000000000001",
            &InviteRecord {
                role: Role::Organiser,
                centre: Some(trang_an),
                created_by: TUAN,
                created_at: at,
                expires_at: at + chrono::Duration::days(7),
                uses_left: 1,
                revoked: false,
                used_by: Vec::new(),
            },
        )
    });
    let said = bot.script(
        LAN,
        LAN,
        r"
        > /start TESTCODE00000000000001
        > /start TESTCODE00000000000001
        > /log
        ",
    );
    let invite = bot
        .store
        .read(|tx| tx.invite("TESTCODE00000000000001"))
        .unwrap()
        .unwrap();
    assert_eq!(invite.used_by, [LAN], "the invitation is used once, by Lan");
    expect![[r#"
        > /start TESTCODE00000000000001
          < Chào mừng anh/chị! Anh/chị đã tham gia với vai trò <b>người phụ trách lớp</b> – Tràng An. Gõ /help để xem hướng dẫn.
            keyboard: [["📝 Ghi buổi học"]]
        > /start TESTCODE00000000000001
          < Lời mời này đã được dùng rồi. Xin anh/chị đề nghị gửi một link mời mới.
        > /log
          < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
          < 
          < Buổi học thuộc <b>nhóm hoạt động</b> nào?
            [Xóa mù chữ] [Học nghề]
            [Pháp luật] [Sức khỏe]
            [Môi trường] [Văn hóa – xã hội]
            [Kinh tế] [Kỹ năng sống]
            [Chương trình khác] [Văn nghệ – TDTT]
    "#]]
    .assert_eq(&said);
}

#[test]
fn an_organiser_cannot_run_the_centre() {
    check(
        r"
        > /report
        > /members
        > /invite organiser
        > /audit
        > /revoke TESTCODE00000000000001
        * data=0:rm.50
        * data=0:ry.50
        ",
        expect![[r#"
            > /report
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
            > /members
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
            > /invite organiser
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
            > /audit
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
            > /revoke TESTCODE00000000000001
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
            * data=0:rm.50
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=0:ry.50
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        "#]],
    );
}

#[test]
fn a_director_invites_lists_and_removes_people_of_their_own_centre_only() {
    check_as(
        Some(Role::Director),
        r"
        > /invite organiser
        > /invite
        > /invite supervisor
        > /members
        * data=1:rm.77
        * Xóa Hoa
        * Xóa
        > /members
        > /report 1-10/2020
        * Tháng trước
        * Năm trước
        > /audit
        > /revoke TESTCODE00000000000001
        > /revoke NOPE
        > /help
        ",
        expect![[r#"
            > /invite organiser
              < Lời mời làm <b>người phụ trách lớp</b> – Tràng An:
              < https://t.me/rollcall_bot?start=TESTCODE00000000000001
              < 
              < Gửi đường link này cho người được mời. Link dùng được một lần, trong 7 ngày. Mã: <i>TESTCODE00000000000001</i> (hủy bằng /revoke TESTCODE00000000000001).
            > /invite
              < Anh/chị muốn mời ai? Chọn <b>vai trò</b>:
                [Người phụ trách lớp]
                [Giám đốc]
            > /invite supervisor
              < Chỉ Phòng Giáo dục mới dùng được lệnh này.
            > /members
              < <b>Người của Tràng An</b>
              < • Lan – giám đốc (id 42)
              < • Hoa – người phụ trách lớp (id 50)
                [Xóa Hoa]
            * data=1:rm.77
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * Xóa Hoa
              < Xóa <b>Hoa</b> khỏi trung tâm? Các buổi học họ đã ghi vẫn được giữ trong báo cáo.
                [Xóa]
            * Xóa
              (buttons closed)
              < Đã xóa Hoa khỏi trung tâm.
            > /members
              < <b>Người của Tràng An</b>
              < • Lan – giám đốc (id 42)
            > /report 1-10/2020
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Tràng An
              < Từ tháng 01 đến tháng 10 năm 2020
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
                [📤 Nộp báo cáo]
              (file bao-cao-trang-an-01-10-2020.xlsx)
              (file bao-cao-trang-an-01-10-2020.csv)
            * Tháng trước
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Tràng An
              < Tháng 10 năm 2026
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
                [📤 Nộp báo cáo]
              (file bao-cao-trang-an-10-2026.xlsx)
              (file bao-cao-trang-an-10-2026.csv)
            * Năm trước
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Tràng An
              < Từ tháng 01 đến tháng 12 năm 2025
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
                [📤 Nộp báo cáo]
              (file bao-cao-trang-an-2025.xlsx)
              (file bao-cao-trang-an-2025.csv)
            > /audit
              < <b>Nhật ký thay đổi – Tràng An</b>
              < 26/11/2026 · Lan: bỏ #50 (người phụ trách lớp) khỏi trung tâm
              < 26/11/2026 · Lan: tạo lời mời (người phụ trách lớp)
              < 26/11/2026 · quản trị máy chủ: thêm Lan làm giám đốc
              < 26/11/2026 · quản trị máy chủ: thêm #50 làm người phụ trách lớp
            > /revoke TESTCODE00000000000001
              < Đã hủy lời mời.
            > /revoke NOPE
              < Không tìm thấy lời mời này. Gõ <i>/revoke MÃ</i> với mã trong tin nhắn mời.
            > /help
              < <b>Hướng dẫn</b>
              < 
              < /log – ghi một buổi học vừa diễn ra
              < /totals – xem số liệu lũy kế
              < /report – bảng kết quả của trung tâm, ví dụ <i>/report 1-10/2020</i>
              < /cancel – hủy buổi học đang ghi dở
              < /mine – xem, sửa hoặc xóa buổi học đã ghi; /undo – xóa buổi vừa ghi
              < /lang – đổi ngôn ngữ, ví dụ <i>/lang en</i>
              < /help – xem lại hướng dẫn này
              < 
              < <b>Cách ghi một buổi học:</b> chọn nhóm hoạt động, chọn lớp (hoặc bấm <b>Lớp mới</b> để gõ tên), chọn ngày, gõ tổng số người tham gia và số nữ, rồi bấm <b>Lưu</b>. Trước khi lưu, anh/chị có thể sửa bất kỳ câu trả lời nào.
              < 
              < <b>Ghi nhanh</b> một buổi học bằng một tin nhắn: mã nhóm, tổng số người, số nữ, ngày (bỏ trống nếu là hôm nay) và tên lớp. Ví dụ:
              < <i>sk 45 30 Phòng chống sốt xuất huyết</i>
              < <i>nghe 30 12 hôm qua Trồng nấm rơm</i>
              < <i>pl 60 35 26/11 Luật giao thông đường bộ</i>
              < 
              < Mã các nhóm:
              < <b>xmc</b> – Xóa mù chữ
              < <b>nghe</b> – Học nghề
              < <b>pl</b> – Pháp luật
              < <b>sk</b> – Sức khỏe
              < <b>mt</b> – Môi trường
              < <b>vh</b> – Văn hóa – xã hội
              < <b>kt</b> – Kinh tế
              < <b>kns</b> – Kỹ năng sống
              < <b>khac</b> – Chương trình khác
              < <b>vn</b> – Văn nghệ – TDTT
              < 
              < <b>Dành cho ban giám đốc</b>
              < /baocao – cả bản báo cáo (Word) để ký, ví dụ <i>/baocao 1-10/2020</i>; sửa lời văn bằng nút «✏️ Sửa nội dung»
              < /invite organiser – tạo link mời người phụ trách lớp
              < /invite director – tạo link mời thêm giám đốc, phó giám đốc
              < /members – danh sách người của trung tâm
              < /revoke MÃ – hủy một lời mời
              < /audit – nhật ký thay đổi
              < /classes (/lop) – các lớp của trung tâm: đổi tên, gộp lớp bị ghi trùng hoặc ghi nhầm nhóm
              < Nộp báo cáo cho Phòng Giáo dục: bấm «📤 Nộp báo cáo» dưới /report hoặc /baocao
              < /sessions – sửa, xóa các buổi học của trung tâm; /deleted – khôi phục buổi đã xóa
              < /mau – tệp mẫu để đưa các buổi học trước đây vào báo cáo (điền rồi gửi tệp vào đây)
              < /centre – chọn trung tâm (nếu anh/chị phụ trách nhiều nơi)
              < /link – gõ trong nhóm chat của trung tâm để liên kết nhóm
        "#]],
    );
}

#[test]
fn a_supervisor_sees_every_centre_and_creates_centres() {
    check_as(
        Some(Role::Supervisor),
        r"
        > /log
        > /report
        > /centre
        * Hoành Bồ
        > /report 2020
        > /totals
        > /invite director Phường   Mới
        > /invite supervisor
        > /centre
        * Tất cả trung tâm
        > /report
        ",
        expect![[r#"
            > /log
              < Tài khoản Phòng Giáo dục không ghi buổi học. Dùng /report để xem báo cáo, /centre để chọn trung tâm.
            > /report
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Tất cả trung tâm
              < Từ ngày 01/01/2026 đến ngày 26/11/2026
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
              < <b>Theo trung tâm</b>: 2 trung tâm, 0 có buổi học trong kỳ
              < 1. <b>Hoành Bồ</b>: 0 lượt, 0 lớp, 0 nữ (0)
              < 2. <b>Tràng An</b>: 0 lượt, 0 lớp, 0 nữ (0)
              < 
              < <b>Trung tâm im lặng</b> (đến 26/11/2026)
              < Có thành viên nhưng không ghi buổi nào trong kỳ (2):
              < • Hoành Bồ – chưa ghi buổi nào
              < • Tràng An – chưa ghi buổi nào
                [📊 Bảng theo trung tâm]
              (file bao-cao-tat-ca-trung-tam-01-01-2026-26-11-2026.xlsx)
              (file bao-cao-tat-ca-trung-tam-01-01-2026-26-11-2026.csv)
            > /centre
              < Chọn <b>trung tâm</b>:
                [Tất cả trung tâm]
                [Tràng An]
                [Hoành Bồ]
            * Hoành Bồ
              < Đang làm việc với: <b>Hoành Bồ</b>. Gõ /centre để đổi.
            > /report 2020
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Hoành Bồ
              < Từ tháng 01 đến tháng 12 năm 2020
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
              (file bao-cao-hoanh-bo-2020.xlsx)
              (file bao-cao-hoanh-bo-2020.csv)
            > /totals
              < <b>Số liệu lũy kế</b> 01/01/2026 – 26/11/2026
              < Chưa có buổi học nào được ghi trong kỳ này. Gõ /log để ghi buổi đầu tiên.
            > /invite director Phường   Mới
              < Lời mời làm <b>giám đốc</b> – Phường Mới:
              < https://t.me/rollcall_bot?start=TESTCODE00000000000001
              < 
              < Gửi đường link này cho người được mời. Link dùng được một lần, trong 7 ngày. Mã: <i>TESTCODE00000000000001</i> (hủy bằng /revoke TESTCODE00000000000001).
            > /invite supervisor
              < Lời mời làm <b>cán bộ Phòng Giáo dục</b> – —:
              < https://t.me/rollcall_bot?start=TESTCODE00000000000002
              < 
              < Gửi đường link này cho người được mời. Link dùng được một lần, trong 7 ngày. Mã: <i>TESTCODE00000000000002</i> (hủy bằng /revoke TESTCODE00000000000002).
            > /centre
              < Chọn <b>trung tâm</b>:
                [Tất cả trung tâm]
                [Tràng An]
                [Hoành Bồ]
                [Phường Mới]
            * Tất cả trung tâm
              < Đang làm việc với: <b>Tất cả trung tâm</b>. Gõ /centre để đổi.
            > /report
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Tất cả trung tâm
              < Từ ngày 01/01/2026 đến ngày 26/11/2026
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
              < <b>Theo trung tâm</b>: 3 trung tâm, 0 có buổi học trong kỳ
              < 1. <b>Hoành Bồ</b>: 0 lượt, 0 lớp, 0 nữ (0)
              < 2. <b>Phường Mới</b>: 0 lượt, 0 lớp, 0 nữ (0)
              < 3. <b>Tràng An</b>: 0 lượt, 0 lớp, 0 nữ (0)
              < 
              < <b>Trung tâm im lặng</b> (đến 26/11/2026)
              < Có thành viên nhưng không ghi buổi nào trong kỳ (2):
              < • Hoành Bồ – chưa ghi buổi nào
              < • Tràng An – chưa ghi buổi nào
              < Chưa có ai tham gia, nên chưa dùng bot (1):
              < • Phường Mới – chưa ghi buổi nào
                [📊 Bảng theo trung tâm]
              (file bao-cao-tat-ca-trung-tam-01-01-2026-26-11-2026.xlsx)
              (file bao-cao-tat-ca-trung-tam-01-01-2026-26-11-2026.csv)
        "#]],
    );
}

#[test]
fn the_report_years_begin_on_the_configured_year_start() {
    // A school year from 1 September: a bare /report and "this year" cover 1 September to
    // today, "last year" the whole school year before; months stay calendar months. One
    // session in August (last school year) and one in October (this one, not this month)
    // show which sessions each period takes.
    let mut bot = setup_with(Some(Role::Director), |tx, trang_an, _| {
        session(tx, trang_an, "health", (2026, 8, 20), 30, 20)?;
        session(tx, trang_an, "law", (2026, 10, 5), 40, 25)
    });
    bot.runtime.year_start = YearStart::new(9, 1).unwrap();
    expect![[r#"
        > /report
          < <b>Kết quả thực hiện</b>
          < Trung tâm: Tràng An
          < Từ ngày 01/09/2026 đến ngày 26/11/2026
          < <pre>Số lớp · Lượt người · Nữ
          < 1. Học chương trình xóa mù chữ,
          <    giáo dục chương trình sau
          <    biết chữ
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 2. Học nghề ngắn hạn
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 3. Chuyên đề Giáo dục pháp luật
          <    Lớp 1 · Tổng 40 · Nữ 25
          < 4. Chuyên đề Giáo dục sức khỏe
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 5. Chuyên đề Giáo dục môi trường
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 6. Chuyên đề Văn hóa xã hội
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 7. Chuyên đề Phát triển kinh tế
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 8. Chuyên đề Giáo dục kỹ năng
          <    sống
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 9. Chuyên đề của chương trình
          <    khác
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 10. Các chương trình văn nghệ,
          <    thể dục thể thao được phổ
          <    biến
          <    Lớp 0 · Tổng 0 · Nữ 0</pre>
          < Số người tham gia học tại TTHTCĐ: 40 người
          < Nữ chiếm 62,5% số lượt người tham gia.
          < 
          < <b>So với cùng kỳ năm trước</b> (01/09/2025 – 26/11/2025)
          < Lượt người: <b>40</b>, năm trước 0 (+40; năm trước chưa có)
          < Số lớp: <b>1</b>, năm trước 0 (+1; năm trước chưa có)
          < Nữ: <b>25</b>, năm trước 0 (+25; năm trước chưa có)
          < • Pháp luật: 40, năm trước 0 (+40; năm trước chưa có)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
            [📤 Nộp báo cáo]
          (file bieu-do-trang-an-01-09-2026-26-11-2026.png)
          (file bao-cao-trang-an-01-09-2026-26-11-2026.xlsx)
          (file bao-cao-trang-an-01-09-2026-26-11-2026.csv)
        * Năm trước
          < <b>Kết quả thực hiện</b>
          < Trung tâm: Tràng An
          < Từ tháng 09 năm 2025 đến tháng 08 năm 2026
          < <pre>Số lớp · Lượt người · Nữ
          < 1. Học chương trình xóa mù chữ,
          <    giáo dục chương trình sau
          <    biết chữ
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 2. Học nghề ngắn hạn
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 3. Chuyên đề Giáo dục pháp luật
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 4. Chuyên đề Giáo dục sức khỏe
          <    Lớp 1 · Tổng 30 · Nữ 20
          < 5. Chuyên đề Giáo dục môi trường
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 6. Chuyên đề Văn hóa xã hội
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 7. Chuyên đề Phát triển kinh tế
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 8. Chuyên đề Giáo dục kỹ năng
          <    sống
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 9. Chuyên đề của chương trình
          <    khác
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 10. Các chương trình văn nghệ,
          <    thể dục thể thao được phổ
          <    biến
          <    Lớp 0 · Tổng 0 · Nữ 0</pre>
          < Số người tham gia học tại TTHTCĐ: 30 người
          < Nữ chiếm 66,7% số lượt người tham gia.
          < 
          < <b>So với cùng kỳ năm trước</b> (01/09/2024 – 31/08/2025)
          < Lượt người: <b>30</b>, năm trước 0 (+30; năm trước chưa có)
          < Số lớp: <b>1</b>, năm trước 0 (+1; năm trước chưa có)
          < Nữ: <b>20</b>, năm trước 0 (+20; năm trước chưa có)
          < • Sức khỏe: 30, năm trước 0 (+30; năm trước chưa có)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
            [📤 Nộp báo cáo]
          (file bieu-do-trang-an-01-09-2025-31-08-2026.png)
          (file bao-cao-trang-an-01-09-2025-31-08-2026.xlsx)
          (file bao-cao-trang-an-01-09-2025-31-08-2026.csv)
        * Năm nay
          < <b>Kết quả thực hiện</b>
          < Trung tâm: Tràng An
          < Từ ngày 01/09/2026 đến ngày 26/11/2026
          < <pre>Số lớp · Lượt người · Nữ
          < 1. Học chương trình xóa mù chữ,
          <    giáo dục chương trình sau
          <    biết chữ
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 2. Học nghề ngắn hạn
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 3. Chuyên đề Giáo dục pháp luật
          <    Lớp 1 · Tổng 40 · Nữ 25
          < 4. Chuyên đề Giáo dục sức khỏe
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 5. Chuyên đề Giáo dục môi trường
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 6. Chuyên đề Văn hóa xã hội
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 7. Chuyên đề Phát triển kinh tế
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 8. Chuyên đề Giáo dục kỹ năng
          <    sống
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 9. Chuyên đề của chương trình
          <    khác
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 10. Các chương trình văn nghệ,
          <    thể dục thể thao được phổ
          <    biến
          <    Lớp 0 · Tổng 0 · Nữ 0</pre>
          < Số người tham gia học tại TTHTCĐ: 40 người
          < Nữ chiếm 62,5% số lượt người tham gia.
          < 
          < <b>So với cùng kỳ năm trước</b> (01/09/2025 – 26/11/2025)
          < Lượt người: <b>40</b>, năm trước 0 (+40; năm trước chưa có)
          < Số lớp: <b>1</b>, năm trước 0 (+1; năm trước chưa có)
          < Nữ: <b>25</b>, năm trước 0 (+25; năm trước chưa có)
          < • Pháp luật: 40, năm trước 0 (+40; năm trước chưa có)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
            [📤 Nộp báo cáo]
          (file bieu-do-trang-an-01-09-2026-26-11-2026.png)
          (file bao-cao-trang-an-01-09-2026-26-11-2026.xlsx)
          (file bao-cao-trang-an-01-09-2026-26-11-2026.csv)
        * Tháng này
          < <b>Kết quả thực hiện</b>
          < Trung tâm: Tràng An
          < Từ ngày 01/11/2026 đến ngày 26/11/2026
          < <pre>Số lớp · Lượt người · Nữ
          < 1. Học chương trình xóa mù chữ,
          <    giáo dục chương trình sau
          <    biết chữ
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 2. Học nghề ngắn hạn
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 3. Chuyên đề Giáo dục pháp luật
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 4. Chuyên đề Giáo dục sức khỏe
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 5. Chuyên đề Giáo dục môi trường
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 6. Chuyên đề Văn hóa xã hội
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 7. Chuyên đề Phát triển kinh tế
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 8. Chuyên đề Giáo dục kỹ năng
          <    sống
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 9. Chuyên đề của chương trình
          <    khác
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 10. Các chương trình văn nghệ,
          <    thể dục thể thao được phổ
          <    biến
          <    Lớp 0 · Tổng 0 · Nữ 0</pre>
          < Số người tham gia học tại TTHTCĐ: 0 người
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
            [📤 Nộp báo cáo]
          (file bao-cao-trang-an-01-11-2026-26-11-2026.xlsx)
          (file bao-cao-trang-an-01-11-2026-26-11-2026.csv)
    "#]]
    .assert_eq(&bot.script(
        LAN,
        LAN,
        r"
        > /report
        * Năm trước
        * Năm nay
        * Tháng này
        ",
    ));
    // In March the school year began last September: a session of August 2025 belongs to
    // last year, one of January 2026 to this one.
    let mut bot = setup_with(Some(Role::Director), |tx, trang_an, _| {
        session(tx, trang_an, "health", (2025, 8, 20), 30, 20)?;
        session(tx, trang_an, "law", (2026, 1, 15), 40, 25)
    });
    bot.runtime.year_start = YearStart::new(9, 1).unwrap();
    bot.at("2026-03-05 10:00");
    expect![[r#"
        > /report
          < <b>Kết quả thực hiện</b>
          < Trung tâm: Tràng An
          < Từ ngày 01/09/2025 đến ngày 05/03/2026
          < <pre>Số lớp · Lượt người · Nữ
          < 1. Học chương trình xóa mù chữ,
          <    giáo dục chương trình sau
          <    biết chữ
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 2. Học nghề ngắn hạn
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 3. Chuyên đề Giáo dục pháp luật
          <    Lớp 1 · Tổng 40 · Nữ 25
          < 4. Chuyên đề Giáo dục sức khỏe
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 5. Chuyên đề Giáo dục môi trường
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 6. Chuyên đề Văn hóa xã hội
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 7. Chuyên đề Phát triển kinh tế
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 8. Chuyên đề Giáo dục kỹ năng
          <    sống
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 9. Chuyên đề của chương trình
          <    khác
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 10. Các chương trình văn nghệ,
          <    thể dục thể thao được phổ
          <    biến
          <    Lớp 0 · Tổng 0 · Nữ 0</pre>
          < Số người tham gia học tại TTHTCĐ: 40 người
          < Nữ chiếm 62,5% số lượt người tham gia.
          < 
          < <b>So với cùng kỳ năm trước</b> (01/09/2024 – 05/03/2025)
          < Lượt người: <b>40</b>, năm trước 0 (+40; năm trước chưa có)
          < Số lớp: <b>1</b>, năm trước 0 (+1; năm trước chưa có)
          < Nữ: <b>25</b>, năm trước 0 (+25; năm trước chưa có)
          < • Pháp luật: 40, năm trước 0 (+40; năm trước chưa có)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
            [📤 Nộp báo cáo]
          (file bieu-do-trang-an-01-09-2025-05-03-2026.png)
          (file bao-cao-trang-an-01-09-2025-05-03-2026.xlsx)
          (file bao-cao-trang-an-01-09-2025-05-03-2026.csv)
        * Năm trước
          < <b>Kết quả thực hiện</b>
          < Trung tâm: Tràng An
          < Từ tháng 09 năm 2024 đến tháng 08 năm 2025
          < <pre>Số lớp · Lượt người · Nữ
          < 1. Học chương trình xóa mù chữ,
          <    giáo dục chương trình sau
          <    biết chữ
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 2. Học nghề ngắn hạn
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 3. Chuyên đề Giáo dục pháp luật
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 4. Chuyên đề Giáo dục sức khỏe
          <    Lớp 1 · Tổng 30 · Nữ 20
          < 5. Chuyên đề Giáo dục môi trường
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 6. Chuyên đề Văn hóa xã hội
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 7. Chuyên đề Phát triển kinh tế
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 8. Chuyên đề Giáo dục kỹ năng
          <    sống
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 9. Chuyên đề của chương trình
          <    khác
          <    Lớp 0 · Tổng 0 · Nữ 0
          < 10. Các chương trình văn nghệ,
          <    thể dục thể thao được phổ
          <    biến
          <    Lớp 0 · Tổng 0 · Nữ 0</pre>
          < Số người tham gia học tại TTHTCĐ: 30 người
          < Nữ chiếm 66,7% số lượt người tham gia.
          < 
          < <b>So với cùng kỳ năm trước</b> (01/09/2023 – 31/08/2024)
          < Lượt người: <b>30</b>, năm trước 0 (+30; năm trước chưa có)
          < Số lớp: <b>1</b>, năm trước 0 (+1; năm trước chưa có)
          < Nữ: <b>20</b>, năm trước 0 (+20; năm trước chưa có)
          < • Sức khỏe: 30, năm trước 0 (+30; năm trước chưa có)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
            [📤 Nộp báo cáo]
          (file bieu-do-trang-an-01-09-2024-31-08-2025.png)
          (file bao-cao-trang-an-01-09-2024-31-08-2025.xlsx)
          (file bao-cao-trang-an-01-09-2024-31-08-2025.csv)
    "#]]
    .assert_eq(&bot.script(
        LAN,
        LAN,
        r"
        > /report
        * Năm trước
        ",
    ));
}

#[test]
fn a_member_of_two_centres_chooses_once_when_logging() {
    let mut bot = setup_with(Some(Role::Organiser), |tx, _, hoanh_bo| {
        tx.add_member(hoanh_bo, LAN, Role::Organiser, "Lan", 0, local_time(NOW))?;
        Ok(())
    });
    expect![[r#"
        > /log
          < Chọn <b>trung tâm</b>:
            [Tràng An]
            [Hoành Bồ]
        * Hoành Bồ
          < Đang làm việc với: <b>Hoành Bồ</b>. Gõ /centre để đổi.
          < 
          < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
          < 
          < Buổi học thuộc <b>nhóm hoạt động</b> nào?
            [Xóa mù chữ] [Học nghề]
            [Pháp luật] [Sức khỏe]
            [Môi trường] [Văn hóa – xã hội]
            [Kinh tế] [Kỹ năng sống]
            [Chương trình khác] [Văn nghệ – TDTT]
        > /cancel
          < Đã hủy. Không có gì được lưu.
            keyboard: [["📝 Ghi buổi học"]]
        > /log
          < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
          < 
          < Buổi học thuộc <b>nhóm hoạt động</b> nào?
            [Xóa mù chữ] [Học nghề]
            [Pháp luật] [Sức khỏe]
            [Môi trường] [Văn hóa – xã hội]
            [Kinh tế] [Kỹ năng sống]
            [Chương trình khác] [Văn nghệ – TDTT]
        * data=999:cl.1
          (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
    "#]]
    .assert_eq(&bot.script(
        LAN,
        LAN,
        r"
        > /log
        * Hoành Bồ
        > /cancel
        > /log
        * data=999:cl.1
        ",
    ));
}

#[test]
fn a_quick_entry_line_goes_to_the_summary_and_saves_once() {
    check(
        r"
        > sk 45 30 Phòng chống sốt xuất huyết
        * ✅ Lưu
        > SK 20/12 hôm qua phòng  chống SỐT xuất huyết
        * ✅ Lưu
        > /log nghe 30 12 25/11 Trồng nấm rơm
        ",
        expect![[r#"
            > sk 45 30 Phòng chống sốt xuất huyết
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>, 45 người tham gia, 30 nữ, lớp <b>Phòng chống sốt xuất huyết</b>.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #1: Tràng An, health, class 1 "Phòng chống sốt xuất huyết", 2026-11-26, 45 people, 30 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 45 lượt người, 30 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 45 lượt người, 30 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > SK 20/12 hôm qua phòng  chống SỐT xuất huyết
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>, 20 người tham gia, 12 nữ, ngày 25/11/2026, lớp <b>phòng chống SỐT xuất huyết</b>.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết
              < <b>Ngày học</b>: 25/11/2026
              < <b>Số người tham gia</b>: 20
              < <b>Số nữ</b>: 12
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #2: Tràng An, health, class 1 "Phòng chống sốt xuất huyết", 2026-11-25, 20 people, 12 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 2.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 65 lượt người, 42 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 65 lượt người, 42 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > /log nghe 30 12 25/11 Trồng nấm rơm
              < Tôi đã hiểu: nhóm <b>Học nghề</b>, 30 người tham gia, 12 nữ, ngày 25/11/2026, lớp <b>Trồng nấm rơm</b>.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Học nghề
              < <b>Lớp / chuyên đề</b>: Trồng nấm rơm <i>(lớp mới)</i>
              < <b>Ngày học</b>: 25/11/2026
              < <b>Số người tham gia</b>: 30
              < <b>Số nữ</b>: 12
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
        "#]],
    );
}

#[test]
fn a_partial_quick_entry_says_what_was_understood_and_asks_the_rest() {
    check(
        r"
        > sk 45 Phòng chống dịch
        > 50
        > 30
        > sk
        > /cancel
        > Kinh tế hộ gia đình
        > sk Phòng chống dịch
        > sk
        > /cancel
        > /format
        ",
        expect![[r#"
            > sk 45 Phòng chống dịch
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>, 45 người tham gia, lớp <b>Phòng chống dịch</b>.
              < Tôi chưa rõ: số nữ. Tôi xin hỏi thêm.
              < 
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 50
              < Số nữ lớn hơn số người. Có phải là 50 người, 45 nữ?
                [🔁 Đúng: 50 người, 45 nữ]
                [✏️ Nhập lại hai số]
            > 30
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống dịch <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            > sk
              < Xin anh/chị chọn bằng các nút bên dưới câu hỏi.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống dịch <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            > /cancel
              < Đã hủy. Không có gì được lưu.
                keyboard: [["📝 Ghi buổi học"]]
            > Kinh tế hộ gia đình
              < <b>Ghi nhanh</b> một buổi học bằng một tin nhắn: mã nhóm, tổng số người, số nữ, ngày (bỏ trống nếu là hôm nay) và tên lớp. Ví dụ:
              < <i>sk 45 30 Phòng chống sốt xuất huyết</i>
              < <i>nghe 30 12 hôm qua Trồng nấm rơm</i>
              < <i>pl 60 35 26/11 Luật giao thông đường bộ</i>
              < 
              < Mã các nhóm:
              < <b>xmc</b> – Xóa mù chữ
              < <b>nghe</b> – Học nghề
              < <b>pl</b> – Pháp luật
              < <b>sk</b> – Sức khỏe
              < <b>mt</b> – Môi trường
              < <b>vh</b> – Văn hóa – xã hội
              < <b>kt</b> – Kinh tế
              < <b>kns</b> – Kỹ năng sống
              < <b>khac</b> – Chương trình khác
              < <b>vn</b> – Văn nghệ – TDTT
            > sk Phòng chống dịch
              < <b>Ghi nhanh</b> một buổi học bằng một tin nhắn: mã nhóm, tổng số người, số nữ, ngày (bỏ trống nếu là hôm nay) và tên lớp. Ví dụ:
              < <i>sk 45 30 Phòng chống sốt xuất huyết</i>
              < <i>nghe 30 12 hôm qua Trồng nấm rơm</i>
              < <i>pl 60 35 26/11 Luật giao thông đường bộ</i>
              < 
              < Mã các nhóm:
              < <b>xmc</b> – Xóa mù chữ
              < <b>nghe</b> – Học nghề
              < <b>pl</b> – Pháp luật
              < <b>sk</b> – Sức khỏe
              < <b>mt</b> – Môi trường
              < <b>vh</b> – Văn hóa – xã hội
              < <b>kt</b> – Kinh tế
              < <b>kns</b> – Kỹ năng sống
              < <b>khac</b> – Chương trình khác
              < <b>vn</b> – Văn nghệ – TDTT
            > sk
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>.
              < Tôi chưa rõ: lớp / chuyên đề, số người tham gia, số nữ. Tôi xin hỏi thêm.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /cancel
              < Đã hủy. Không có gì được lưu.
                keyboard: [["📝 Ghi buổi học"]]
            > /format
              < <b>Ghi nhanh</b> một buổi học bằng một tin nhắn: mã nhóm, tổng số người, số nữ, ngày (bỏ trống nếu là hôm nay) và tên lớp. Ví dụ:
              < <i>sk 45 30 Phòng chống sốt xuất huyết</i>
              < <i>nghe 30 12 hôm qua Trồng nấm rơm</i>
              < <i>pl 60 35 26/11 Luật giao thông đường bộ</i>
              < 
              < Mã các nhóm:
              < <b>xmc</b> – Xóa mù chữ
              < <b>nghe</b> – Học nghề
              < <b>pl</b> – Pháp luật
              < <b>sk</b> – Sức khỏe
              < <b>mt</b> – Môi trường
              < <b>vh</b> – Văn hóa – xã hội
              < <b>kt</b> – Kinh tế
              < <b>kns</b> – Kỹ năng sống
              < <b>khac</b> – Chương trình khác
              < <b>vn</b> – Văn nghệ – TDTT
        "#]],
    );
}

#[test]
fn a_name_one_typo_away_from_a_class_asks_did_you_mean() {
    check(
        r"
        > sk 45 30 Phòng chống sốt xuất huyết
        * ✅ Lưu
        > sk 10 5 Phòng chống sốt xuất huyêt
        * ✅ Đúng, lớp đó
        * ✅ Lưu
        > /log
        * Sức khỏe
        * ➕ Lớp mới
        > Phòng chong sốt xuất huyết
        * ➕ Không, lớp mới
        ",
        expect![[r#"
            > sk 45 30 Phòng chống sốt xuất huyết
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>, 45 người tham gia, 30 nữ, lớp <b>Phòng chống sốt xuất huyết</b>.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #1: Tràng An, health, class 1 "Phòng chống sốt xuất huyết", 2026-11-26, 45 people, 30 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 45 lượt người, 30 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 45 lượt người, 30 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > sk 10 5 Phòng chống sốt xuất huyêt
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>, 10 người tham gia, 5 nữ, lớp <b>Phòng chống sốt xuất huyêt</b>.
              < 
              < Đã có lớp <b>Phòng chống sốt xuất huyết</b>. Có phải anh/chị muốn ghi cho lớp này không?
                [✅ Đúng, lớp đó]
                [➕ Không, lớp mới]
            * ✅ Đúng, lớp đó
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 10
              < <b>Số nữ</b>: 5
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #2: Tràng An, health, class 1 "Phòng chống sốt xuất huyết", 2026-11-26, 10 people, 5 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 2.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 55 lượt người, 35 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 55 lượt người, 35 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > /log
              < Ghi buổi học mới. Gõ /cancel nếu muốn hủy.
              < 
              < Buổi học thuộc <b>nhóm hoạt động</b> nào?
                [Xóa mù chữ] [Học nghề]
                [Pháp luật] [Sức khỏe]
                [Môi trường] [Văn hóa – xã hội]
                [Kinh tế] [Kỹ năng sống]
                [Chương trình khác] [Văn nghệ – TDTT]
            * Sức khỏe
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [Phòng chống sốt xuất huyết]
                [➕ Lớp mới]
            * ➕ Lớp mới
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > Phòng chong sốt xuất huyết
              < Đã có lớp <b>Phòng chống sốt xuất huyết</b>. Có phải anh/chị muốn ghi cho lớp này không?
                [✅ Đúng, lớp đó]
                [➕ Không, lớp mới]
            * ➕ Không, lớp mới
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
        "#]],
    );
}

#[test]
fn a_director_sets_reminders_in_the_linked_group_only() {
    let mut bot = setup_with(Some(Role::Director), |tx, trang_an, _| {
        tx.link_group(GROUP, trang_an, LAN, local_time(NOW))
    });
    let said = bot.script(
        LAN,
        GROUP,
        r"
        > /remind 19:30 T2,T4,T6 chưa báo
        > /remind 20:00 riêng
        > /remind 25:00
        > /reminders
        > /remind off
        > /reminders
        > /log
        ",
    );
    expect![[r#"
        > /remind 19:30 T2,T4,T6 chưa báo
          < Đã đặt nhắc nhở lúc <b>19:30 (T2, T4, T6)</b> cho nhóm này, kèm tên những người chưa ghi.
        > /remind 20:00 riêng
          < Đã đặt nhắc nhở lúc <b>20:00</b> cho nhóm này, và nhắc riêng những người chưa ghi.
        > /remind 25:00
          < Cách đặt nhắc nhở (gõ trong nhóm):
          < <i>/remind 20:00</i> – hằng ngày lúc 20:00
          < <i>/remind 19:30 T2,T4,T6</i> – thứ hai, tư, sáu
          < <i>/remind 20:00 chưa báo</i> – kèm tên người chưa ghi
          < <i>/remind 20:00 riêng</i> – nhắc riêng người chưa ghi
          < <i>/remind off</i> – tắt nhắc nhở
        > /reminders
          < <b>Nhắc nhở của nhóm</b> (giờ địa phương):
          < • 19:30 (T2, T4, T6), kèm tên những người chưa ghi
          < • 20:00, và nhắc riêng những người chưa ghi
        > /remind off
          < Đã tắt các nhắc nhở của nhóm này.
        > /reminders
          < Nhóm này chưa có nhắc nhở nào. Ví dụ: <i>/remind 20:00</i>.
        > /log
          < Tôi không nhận số liệu trong nhóm chat. Xin anh/chị mở cuộc trò chuyện riêng với tôi (bấm vào tên của tôi, chọn <b>Nhắn tin</b>) rồi gõ /log.
    "#]]
    .assert_eq(&said);
    // A group no centre is linked to.
    expect![[r#"
        > /remind 20:00
          < Nhóm này chưa liên kết với trung tâm nào. Xin giám đốc gõ /link trong nhóm trước.
    "#]]
    .assert_eq(&bot.script(LAN, -200, "> /remind 20:00"));
    // Hoa, an organiser of the linked centre, in its group.
    expect![[r#"
        > /remind 20:00
          < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
    "#]]
    .assert_eq(&bot.script(HOA, GROUP, "> /remind 20:00"));
}

#[test]
fn an_organiser_mutes_private_nudges() {
    let mut bot = setup(Some(Role::Organiser));
    let muted = |bot: &Bot| bot.store.read(|tx| tx.is_muted(LAN)).unwrap();
    expect![[r#"
        > /mute
          < Đã tắt nhắc nhở riêng. Gõ /unmute để bật lại.
    "#]]
    .assert_eq(&bot.script(LAN, LAN, "> /mute"));
    assert!(muted(&bot), "/mute is stored");
    expect![[r#"
        > /unmute
          < Đã bật lại nhắc nhở riêng.
        > /remind 20:00
          < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
    "#]]
    .assert_eq(&bot.script(
        LAN,
        LAN,
        r"
        > /unmute
        > /remind 20:00
        ",
    ));
    assert!(!muted(&bot), "/unmute is stored");
}

#[test]
fn an_organiser_corrects_and_deletes_their_own_sessions() {
    check(
        r"
        > sk 45 30 Phòng chống dịch
        * ✅ Lưu
        > /mine
        * #1 26/11/2026 Sức khỏe: Phòng chống dịch (45/30 nữ)
        * ✏️ Sửa
        * Số người tham gia
        > 50
        * ✅ Lưu
        > /undo
        * 🗑 Xóa
        > /mine
        * data=0:so.1
        ",
        expect![[r#"
            > sk 45 30 Phòng chống dịch
              < Tôi đã hiểu: nhóm <b>Sức khỏe</b>, 45 người tham gia, 30 nữ, lớp <b>Phòng chống dịch</b>.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống dịch <i>(lớp mới)</i>
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (stored #1: Tràng An, health, class 1 "Phòng chống dịch", 2026-11-26, 45 people, 30 women, by 42)
              (buttons closed)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 45 lượt người, 30 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 45 lượt người, 30 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > /mine
              < Các buổi học anh/chị ghi gần đây. Bấm vào một buổi để sửa hoặc xóa:
                [#1 26/11/2026 Sức khỏe: Phòng chống dịch (45/30 nữ)]
            * #1 26/11/2026 Sức khỏe: Phòng chống dịch (45/30 nữ)
              < #1 26/11/2026 Sức khỏe: Phòng chống dịch (45/30 nữ)
                [✏️ Sửa] [🗑 Xóa]
            * ✏️ Sửa
              < Sửa buổi học số 1: chọn mục cần sửa, rồi bấm <b>Lưu</b>.
              < 
              < Anh/chị muốn sửa mục nào?
                [Nhóm hoạt động]
                [Lớp / chuyên đề]
                [Ngày học]
                [Số người tham gia]
                [Số nữ]
                [⬅️ Quay lại]
            * Số người tham gia
              < Buổi học này có <b>bao nhiêu người</b> tham gia? Chỉ gõ con số, ví dụ <i>45</i>.
                [⬅️ Quay lại]
            > 50
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống dịch
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 50
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu]
                [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (changed #1: Tràng An, health, class 1 "Phòng chống dịch", 2026-11-26, 50 people, 30 women, by 42)
              (buttons closed)
              < ✏️ Đã sửa buổi học số 1.
              < 
              < Lũy kế 01/01/2026 – 26/11/2026:
              < • <b>Sức khỏe</b>: 1 lớp, 50 lượt người, 30 nữ
              < • <b>Cả trung tâm</b>: 1 lớp, 50 lượt người, 30 nữ
                keyboard: [["📝 Ghi buổi học"]]
            > /undo
              < Xóa buổi học này?
              < #1 26/11/2026 Sức khỏe: Phòng chống dịch (50/30 nữ)
              < Ban giám đốc có thể khôi phục trong 30 ngày.
                [🗑 Xóa]
            * 🗑 Xóa
              (deleted #1)
              (buttons closed)
              < Đã xóa buổi học số 1. Số liệu đã được cập nhật.
            > /mine
              < Chưa có buổi học nào để sửa.
            * data=0:so.1
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        "#]],
    );
}

#[test]
fn deadline_without_arguments_shows_what_is_set_now() {
    check_as(
        Some(Role::Director),
        r"
        > /deadline
        > /deadline 25 3 7:30
        > /deadline
        > /deadline off
        > /deadline
        ",
        expect![[r#"
            > /deadline
              < Hiện tại: chưa bật nhắc hạn báo cáo.
              < 
              < Nhắc hạn báo cáo (gửi riêng cho giám đốc, kèm số liệu):
              < <i>/deadline 25 3</i> – hạn ngày 25 hằng tháng, nhắc trước 3 ngày lúc 08:00
              < <i>/deadline 25 3 7:30</i> – nhắc lúc 7:30
              < <i>/deadline on</i> – như trên (ngày 25, trước 3 ngày)
              < <i>/deadline off</i> – tắt
            > /deadline 25 3 7:30
              < Đã đặt: báo cáo đến hạn ngày 25 hằng tháng; giám đốc nhận tin nhắc kèm số liệu 3 ngày trước, lúc 07:30.
            > /deadline
              < Hiện tại: hạn báo cáo ngày 25 hằng tháng; giám đốc nhận tin nhắc 3 ngày trước, lúc 07:30.
              < 
              < Nhắc hạn báo cáo (gửi riêng cho giám đốc, kèm số liệu):
              < <i>/deadline 25 3</i> – hạn ngày 25 hằng tháng, nhắc trước 3 ngày lúc 08:00
              < <i>/deadline 25 3 7:30</i> – nhắc lúc 7:30
              < <i>/deadline on</i> – như trên (ngày 25, trước 3 ngày)
              < <i>/deadline off</i> – tắt
            > /deadline off
              < Đã tắt tin nhắc hạn báo cáo.
            > /deadline
              < Hiện tại: chưa bật nhắc hạn báo cáo.
              < 
              < Nhắc hạn báo cáo (gửi riêng cho giám đốc, kèm số liệu):
              < <i>/deadline 25 3</i> – hạn ngày 25 hằng tháng, nhắc trước 3 ngày lúc 08:00
              < <i>/deadline 25 3 7:30</i> – nhắc lúc 7:30
              < <i>/deadline on</i> – như trên (ngày 25, trước 3 ngày)
              < <i>/deadline off</i> – tắt
        "#]],
    );
}

#[test]
fn a_director_gets_the_document_and_changes_one_part_in_the_chat() {
    check_as(
        Some(Role::Director),
        r"
        > /baocao 1-10/2020
        * ✏️ Sửa nội dung
        * Họ tên người ký
        >   Hoàng Thị Xinh  
        > /document tháng 13
        > /report 10/2020
        * 📄 Báo cáo (Word)
        * ✏️ Sửa nội dung
        * Chức vụ người ký
        * Giữ nguyên
        > Phó giám đốc
        ",
        expect![[r#"
            > /baocao 1-10/2020
              (file bao-cao-trang-an-01-10-2020.docx)
              < Các mục I–VI, đầu trang, nơi nhận và chữ ký là lời của trung tâm: bấm «✏️ Sửa nội dung» để thay đổi, hoặc sửa tệp này trong Word rồi gửi lại cho tôi. Bảng số liệu và số người tham gia luôn được tính lại từ các buổi học đã ghi.
                [✏️ Sửa nội dung]
                [📤 Nộp báo cáo]
            * ✏️ Sửa nội dung
              < Chọn phần muốn sửa:
                [Dòng UBND xã/phường (đầu trang)] [Số văn bản]
                [Địa danh (dòng ngày tháng)] [Mở đầu]
                [I. Đặc điểm tình hình địa phương] [II. Bộ máy quản lý]
                [III.1 Đánh giá công tác hoạt động] [IV. Huy động sự tham gia của xã hội]
                [V. Tỷ lệ biết chữ] [V. Các số liệu, đánh giá khác]
                [VI. Đề xuất, kiến nghị] [Nơi nhận]
                [Chức vụ người ký] [Họ tên người ký]
            * Họ tên người ký
              < <b>Họ tên người ký</b> – chưa có nội dung, báo cáo đang in gợi ý sau:
              < (Họ và tên)
              < Gõ hoặc dán nội dung mới cho «Họ tên người ký» (mỗi dòng là một đoạn), hoặc bấm «Giữ nguyên».
                [Giữ nguyên]
            >   Hoàng Thị Xinh
              < ✅ Đã lưu «Họ tên người ký». Báo cáo sau (/baocao) sẽ dùng nội dung này.
            > /document tháng 13
              < Tôi chưa hiểu kỳ báo cáo «tháng 13». Anh/chị gõ ví dụ:
              < /document 2020 – cả năm 2020
              < /document 10/2020 – tháng 10 năm 2020
              < /document 1-10/2020 – từ tháng 1 đến tháng 10
              < /document 01/2020-10/2020 – như trên
              < /document Q3/2020 – quý 3
              < /document 2020-01-01..2020-10-31 – từ ngày đến ngày
            > /report 10/2020
              < <b>Kết quả thực hiện</b>
              < Trung tâm: Tràng An
              < Tháng 10 năm 2020
              < <pre>Số lớp · Lượt người · Nữ
              < 1. Học chương trình xóa mù chữ,
              <    giáo dục chương trình sau
              <    biết chữ
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 2. Học nghề ngắn hạn
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 3. Chuyên đề Giáo dục pháp luật
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 4. Chuyên đề Giáo dục sức khỏe
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 5. Chuyên đề Giáo dục môi trường
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 6. Chuyên đề Văn hóa xã hội
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 7. Chuyên đề Phát triển kinh tế
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 8. Chuyên đề Giáo dục kỹ năng
              <    sống
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 9. Chuyên đề của chương trình
              <    khác
              <    Lớp 0 · Tổng 0 · Nữ 0
              < 10. Các chương trình văn nghệ,
              <    thể dục thể thao được phổ
              <    biến
              <    Lớp 0 · Tổng 0 · Nữ 0</pre>
              < Số người tham gia học tại TTHTCĐ: 0 người
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
                [📤 Nộp báo cáo]
              (file bao-cao-trang-an-10-2020.xlsx)
              (file bao-cao-trang-an-10-2020.csv)
            * 📄 Báo cáo (Word)
              (file bao-cao-trang-an-10-2020.docx)
              < Các mục I–VI, đầu trang, nơi nhận và chữ ký là lời của trung tâm: bấm «✏️ Sửa nội dung» để thay đổi, hoặc sửa tệp này trong Word rồi gửi lại cho tôi. Bảng số liệu và số người tham gia luôn được tính lại từ các buổi học đã ghi.
                [✏️ Sửa nội dung]
                [📤 Nộp báo cáo]
            * ✏️ Sửa nội dung
              < Chọn phần muốn sửa:
                [Dòng UBND xã/phường (đầu trang)] [Số văn bản]
                [Địa danh (dòng ngày tháng)] [Mở đầu]
                [I. Đặc điểm tình hình địa phương] [II. Bộ máy quản lý]
                [III.1 Đánh giá công tác hoạt động] [IV. Huy động sự tham gia của xã hội]
                [V. Tỷ lệ biết chữ] [V. Các số liệu, đánh giá khác]
                [VI. Đề xuất, kiến nghị] [Nơi nhận]
                [Chức vụ người ký] [Họ tên người ký]
            * Chức vụ người ký
              < <b>Chức vụ người ký</b> – chưa có nội dung, báo cáo đang in gợi ý sau:
              < GIÁM ĐỐC
              < Gõ hoặc dán nội dung mới cho «Chức vụ người ký» (mỗi dòng là một đoạn), hoặc bấm «Giữ nguyên».
                [Giữ nguyên]
            * Giữ nguyên
              (buttons closed)
              < Đã giữ nguyên «Chức vụ người ký».
            > Phó giám đốc
              < Anh/chị muốn ghi một buổi học? Gõ /log hoặc bấm nút bên dưới. Gõ /help để xem hướng dẫn.
                keyboard: [["📝 Ghi buổi học"]]
        "#]],
    );
}

#[test]
fn organisers_and_strangers_get_no_document() {
    check_as(
        Some(Role::Organiser),
        r"
        > /baocao 1-10/2020
        * data=1:dw.20200101.20201031
        * data=1:de
        ",
        expect![[r#"
            > /baocao 1-10/2020
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
            * data=1:dw.20200101.20201031
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * data=1:de
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        "#]],
    );
    check_as(
        None,
        r"
        > /document
        ",
        expect![[r#"
            > /document
              < Anh/chị chưa thuộc trung tâm nào. Xin anh/chị đề nghị giám đốc trung tâm gửi một đường link mời, rồi mở link đó.
        "#]],
    );
}
