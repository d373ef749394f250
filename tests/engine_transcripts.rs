//! Transcript tests of the pure dialog engine with the shipped `dialogs/`: a script of
//! what a user types and taps, and the exact conversation that follows.
//!
//! Script lines: `> text` sends a message (commands included), `* Label` taps the button
//! with that label on the latest message, `* #data` sends raw callback data (forgeries),
//! `! sticker` sends something without text. Run with `UPDATE_EXPECT=1` to refresh.

// Writing to a `String` cannot fail, and a test may panic on its own setup.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use expect_test::{expect, Expect};
use rollcall::dialog::{
    load_dir, step, Button, Catalog, ChatState, ClassRef, Effect, Facts, Input, Keyboard,
    SavedInfo, Sender,
};
use rollcall::domain::{CentreId, ClassChoice, ClassId, NewSession, Now, Period, Totals};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

/// Classes and sessions kept in memory, standing in for the store.
#[derive(Default)]
struct Memory {
    /// (id, centre, group, name, key, last session date)
    classes: Vec<(ClassId, CentreId, String, String, String, NaiveDate)>,
    sessions: Vec<(NewSession, ClassId)>,
}

impl Memory {
    fn save(&mut self, session: &NewSession) -> ClassId {
        let class = match &session.class {
            ClassChoice::Existing(id) => *id,
            ClassChoice::New { name, key } => {
                match self
                    .classes
                    .iter()
                    .find(|c| c.1 == session.centre && c.2 == session.group && c.4 == *key)
                {
                    Some(existing) => existing.0,
                    None => {
                        let id = self.classes.len() as ClassId + 1;
                        self.classes.push((
                            id,
                            session.centre,
                            session.group.clone(),
                            name.clone(),
                            key.clone(),
                            session.date,
                        ));
                        id
                    }
                }
            }
        };
        if let Some(c) = self.classes.iter_mut().find(|c| c.0 == class) {
            c.5 = c.5.max(session.date);
        }
        self.sessions.push((session.clone(), class));
        class
    }

    fn totals(&self, group: Option<&str>) -> Totals {
        let mut totals = Totals::default();
        let mut classes = BTreeSet::new();
        for (session, class) in &self.sessions {
            if group.is_some_and(|g| g != session.group) {
                continue;
            }
            classes.insert(*class);
            totals.sessions += 1;
            totals.attendance += u64::from(session.total);
            totals.female += u64::from(session.female);
        }
        totals.classes = classes.len() as u64;
        totals
    }
}

struct MemoryFacts<'a>(&'a RefCell<Memory>);

impl Facts for MemoryFacts<'_> {
    fn recent_classes(&self, centre: CentreId, group: &str, limit: usize) -> Vec<ClassRef> {
        let memory = self.0.borrow();
        let mut classes: Vec<_> = memory
            .classes
            .iter()
            .filter(|c| c.1 == centre && c.2 == group)
            .collect();
        classes.sort_by(|a, b| b.5.cmp(&a.5).then(b.0.cmp(&a.0)));
        classes
            .into_iter()
            .take(limit)
            .map(|c| ClassRef {
                id: c.0,
                name: c.3.clone(),
            })
            .collect()
    }

    fn class_by_key(&self, centre: CentreId, group: &str, key: &str) -> Option<ClassRef> {
        let memory = self.0.borrow();
        memory
            .classes
            .iter()
            .find(|c| c.1 == centre && c.2 == group && c.4 == key)
            .map(|c| ClassRef {
                id: c.0,
                name: c.3.clone(),
            })
    }

    fn class_by_id(&self, centre: CentreId, group: &str, id: ClassId) -> Option<ClassRef> {
        let memory = self.0.borrow();
        memory
            .classes
            .iter()
            .find(|c| c.0 == id && c.1 == centre && c.2 == group)
            .map(|c| ClassRef {
                id: c.0,
                name: c.3.clone(),
            })
    }
}

/// One private chat with the engine.
struct Chat {
    catalog: Catalog,
    memory: RefCell<Memory>,
    state: ChatState,
    sender: Sender,
    now: Now,
    buttons: Vec<Button>,
    log: String,
}

impl Chat {
    fn new(language_hint: Option<&str>) -> Chat {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs");
        let catalog = load_dir(&dir).expect("the shipped dialogs load");
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
        Chat {
            catalog,
            memory: RefCell::new(Memory::default()),
            state: ChatState::default(),
            sender: Sender {
                user: 42,
                language_hint: language_hint.map(str::to_owned),
                private: true,
            },
            now: Now::in_zone(at, chrono_tz::Asia::Ho_Chi_Minh),
            buttons: Vec::new(),
            log: String::new(),
        }
    }

    fn run_script(&mut self, script: &str) -> &str {
        for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let input = if let Some(text) = line.strip_prefix("> ") {
                match text.strip_prefix('/') {
                    Some(command) => {
                        let (name, args) = command.split_once(' ').unwrap_or((command, ""));
                        Input::Command {
                            name: name.to_owned(),
                            args: args.to_owned(),
                        }
                    }
                    None => Input::Text(text.to_owned()),
                }
            } else if let Some(data) = line.strip_prefix("* #") {
                Input::Button {
                    data: data.to_owned(),
                }
            } else if let Some(label) = line.strip_prefix("* ") {
                let button = self
                    .buttons
                    .iter()
                    .find(|b| b.label == label)
                    .unwrap_or_else(|| panic!("no button {label:?} in {:?}", self.buttons));
                Input::Button {
                    data: button.data.clone(),
                }
            } else if line == "! sticker" {
                Input::NotText
            } else {
                panic!("bad script line {line:?}");
            };
            writeln!(self.log, "{line}").unwrap();
            self.feed(input);
        }
        &self.log
    }

    fn feed(&mut self, input: Input) {
        let facts = MemoryFacts(&self.memory);
        let (state, effects) = step(
            &self.catalog,
            &facts,
            1,
            std::mem::take(&mut self.state),
            &self.sender,
            input,
            self.now,
        );
        self.state = state;
        for effect in effects {
            match effect {
                Effect::Reply(reply) => {
                    for line in reply.html.lines() {
                        writeln!(self.log, "  < {line}").unwrap();
                    }
                    match reply.keyboard {
                        Some(Keyboard::Inline(rows)) => {
                            for row in &rows {
                                let labels: Vec<String> =
                                    row.iter().map(|b| format!("[{}]", b.label)).collect();
                                writeln!(self.log, "    {}", labels.join(" ")).unwrap();
                            }
                            self.buttons = rows.into_iter().flatten().collect();
                        }
                        Some(Keyboard::Persistent(rows)) => {
                            writeln!(self.log, "    keyboard: {rows:?}").unwrap();
                            self.buttons.clear();
                        }
                        None => self.buttons.clear(),
                    }
                }
                Effect::Notice(notice) => writeln!(self.log, "  (notice: {notice})").unwrap(),
                Effect::CloseButtons => writeln!(self.log, "  (buttons closed)").unwrap(),
                Effect::SaveSession(session) => {
                    writeln!(
                        self.log,
                        "  (save: group={} class={:?} date={} total={} female={} extra={:?} organiser={})",
                        session.group,
                        session.class,
                        session.date,
                        session.total,
                        session.female,
                        session.extra,
                        session.organiser
                    )
                    .unwrap();
                    let group = session.group.clone();
                    self.memory.borrow_mut().save(&session);
                    let number = self.memory.borrow().sessions.len() as u64;
                    let info = SavedInfo {
                        session: number,
                        group_totals: self.memory.borrow().totals(Some(&group)),
                        centre_totals: self.memory.borrow().totals(None),
                        group,
                        period: Period::year_to_date(self.now.today),
                    };
                    self.feed(Input::SessionSaved(info));
                }
                Effect::ShowTotals { centre } => {
                    writeln!(self.log, "  (show totals of centre {centre})").unwrap();
                }
                Effect::ShowReport { centre, period } => {
                    writeln!(
                        self.log,
                        "  (show report of centre {centre} for {}..{})",
                        period.from, period.to
                    )
                    .unwrap();
                }
            }
        }
    }
}

fn check(script: &str, expect: Expect) {
    let mut chat = Chat::new(None);
    expect.assert_eq(chat.run_script(script));
}

fn check_en(script: &str, expect: Expect) {
    let mut chat = Chat::new(Some("en-US"));
    expect.assert_eq(chat.run_script(script));
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
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 45 người
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 30
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Sức khỏe
              < <b>Lớp / chuyên đề</b>: Phòng chống sốt xuất huyết
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 45
              < <b>Số nữ</b>: 30
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (buttons closed)
              (save: group=health class=New { name: "Phòng chống sốt xuất huyết", key: "phòng chống sốt xuất huyết" } date=2026-11-26 total=45 female=30 extra={} organiser=42)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Cộng dồn 01/01/2026 – 26/11/2026:
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
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
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
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (buttons closed)
              (save: group=health class=Existing(1) date=2026-11-25 total=45 female=0 extra={} organiser=42)
              < ✅ Đã lưu buổi học số 2.
              < 
              < Cộng dồn 01/01/2026 – 26/11/2026:
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
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 10
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 5
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Pháp luật
              < <b>Lớp / chuyên đề</b>: Luật giao thông
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 10
              < <b>Số nữ</b>: 5
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (buttons closed)
              (save: group=law class=New { name: "Luật giao thông", key: "luật giao thông" } date=2026-11-26 total=10 female=5 extra={} organiser=42)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Cộng dồn 01/01/2026 – 26/11/2026:
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
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
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
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (buttons closed)
              (save: group=law class=Existing(1) date=2026-11-25 total=12 female=6 extra={} organiser=42)
              < ✅ Đã lưu buổi học số 2.
              < 
              < Cộng dồn 01/01/2026 – 26/11/2026:
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
              < Hãy chọn bằng các nút bên dưới câu hỏi.
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
              < Tên lớp quá dài (tối đa 200 ký tự). Hãy viết gọn lại.
              < 
              < Gõ tên lớp hoặc chuyên đề, ví dụ: <i>Phòng chống sốt xuất huyết</i>.
                [⬅️ Quay lại]
            > Trồng cây xanh
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 31/02/2026
              < Mình chưa hiểu ngày này. Hãy gõ ví dụ <i>26/11</i> hoặc <i>26/11/2026</i>, hoặc bấm <b>Hôm nay</b> / <b>Hôm qua</b>.
              < 
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 27/11/2026
              < Ngày này chưa đến (hôm nay là 26/11/2026). Hãy nhập ngày buổi học đã diễn ra.
              < 
              < Buổi học diễn ra <b>ngày nào</b>? Bấm nút, hoặc gõ ngày, ví dụ <i>26/11</i>.
                [Hôm nay] [Hôm qua]
            > 2026-11-20
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > bốn mươi
              < Hãy gõ một số nguyên, ví dụ <i>45</i>.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 0
              < Buổi học cần có ít nhất 1 người tham gia.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > -5
              < Buổi học cần có ít nhất 1 người tham gia.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 1e9
              < Hãy gõ một số nguyên, ví dụ <i>45</i>.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 4.5
              < Hãy gõ một số nguyên, ví dụ <i>45</i>.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 100001
              < Số này quá lớn, tối đa là 100.000.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 99999999999999999999999999
              < Số này quá lớn, tối đa là 100.000.
              < 
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 40
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 41
              < Số nữ không thể lớn hơn tổng số (40).
              < 
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            ! sticker
              < Mình chỉ đọc được tin nhắn chữ. Hãy gõ câu trả lời hoặc bấm nút.
              < 
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 40
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Môi trường
              < <b>Lớp / chuyên đề</b>: Trồng cây xanh
              < <b>Ngày học</b>: 20/11/2026
              < <b>Số người tham gia</b>: 40
              < <b>Số nữ</b>: 40
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            > lưu
              < Hãy chọn bằng các nút bên dưới câu hỏi.
              < 
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Môi trường
              < <b>Lớp / chuyên đề</b>: Trồng cây xanh
              < <b>Ngày học</b>: 20/11/2026
              < <b>Số người tham gia</b>: 40
              < <b>Số nữ</b>: 40
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
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
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
            > 30
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
            > 20
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Kinh tế
              < <b>Lớp / chuyên đề</b>: Trồng nấm rơm
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 30
              < <b>Số nữ</b>: 20
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✏️ Sửa
              < Bạn muốn sửa mục nào?
                [Nhóm hoạt động]
                [Lớp / chuyên đề]
                [Ngày học]
                [Số người tham gia]
                [Số nữ]
                [⬅️ Quay lại]
            * Số người tham gia
              < Có <b>bao nhiêu lượt người</b> tham gia? Gõ một số, ví dụ <i>45</i>.
                [⬅️ Quay lại]
            > 15
              < Trong đó có <b>bao nhiêu nữ</b>? Gõ <i>0</i> nếu không có.
                [⬅️ Quay lại]
            > 10
              < <b>Kiểm tra lại buổi học:</b>
              < <b>Nhóm hoạt động</b>: Kinh tế
              < <b>Lớp / chuyên đề</b>: Trồng nấm rơm
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 15
              < <b>Số nữ</b>: 10
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✏️ Sửa
              < Bạn muốn sửa mục nào?
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
              < <b>Lớp / chuyên đề</b>: Kỹ năng thoát hiểm
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 15
              < <b>Số nữ</b>: 10
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✏️ Sửa
              < Bạn muốn sửa mục nào?
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
              < <b>Lớp / chuyên đề</b>: Kỹ năng thoát hiểm
              < <b>Ngày học</b>: 26/11/2026
              < <b>Số người tham gia</b>: 15
              < <b>Số nữ</b>: 10
              < 
              < Bấm <b>Lưu</b> nếu đã đúng, hoặc <b>Sửa</b> để thay đổi.
                [✅ Lưu] [✏️ Sửa] [✖️ Hủy]
            * ✅ Lưu
              (buttons closed)
              (save: group=life_skills class=New { name: "Kỹ năng thoát hiểm", key: "kỹ năng thoát hiểm" } date=2026-11-26 total=15 female=10 extra={} organiser=42)
              < ✅ Đã lưu buổi học số 1.
              < 
              < Cộng dồn 01/01/2026 – 26/11/2026:
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
              (show totals of centre 1)
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /report 1-10/2020
              (show report of centre 1 for 2020-01-01..2020-10-31)
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /report tháng mười ba
              < Mình chưa hiểu kỳ báo cáo «tháng mười ba». Hãy gõ ví dụ:
              < /report 2020 – cả năm 2020
              < /report 10/2020 – tháng 10 năm 2020
              < /report 1-10/2020 – từ tháng 1 đến tháng 10
              < /report 01/2020-10/2020 – như trên
              < /report Q3/2020 – quý 3
              < /report 2020-01-01..2020-10-31 – từ ngày đến ngày
              < 
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /help
              < <b>Hướng dẫn</b>
              < 
              < /log – ghi một buổi học vừa diễn ra
              < /totals – xem số liệu đã ghi
              < /report – bảng kết quả của trung tâm, ví dụ <i>/report 1-10/2020</i>
              < /cancel – hủy buổi học đang ghi dở
              < /lang – đổi ngôn ngữ, ví dụ <i>/lang en</i>
              < /help – xem lại hướng dẫn này
              < 
              < <b>Cách ghi một buổi học:</b> chọn nhóm hoạt động, chọn lớp (hoặc bấm <b>Lớp mới</b> để gõ tên), chọn ngày, gõ tổng số người tham gia và số nữ, rồi bấm <b>Lưu</b>. Trước khi lưu, bạn có thể sửa bất kỳ câu trả lời nào.
              < 
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /log
              < Bạn đang ghi dở một buổi học, mình tiếp tục nhé.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /frobnicate
              < Mình chưa hiểu lệnh /frobnicate. Gõ /help để xem các lệnh.
              < 
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /cancel
              (buttons closed)
              < Đã hủy. Không có gì được lưu.
                keyboard: [["📝 Ghi buổi học"]]
            > /cancel
              < Không có buổi học nào đang ghi dở.
            > hello
              < Muốn ghi một buổi học? Gõ /log hoặc bấm nút bên dưới. Gõ /help để xem hướng dẫn.
                keyboard: [["📝 Ghi buổi học"]]
        "#]],
    );
}

#[test]
fn stale_and_forged_buttons_do_nothing() {
    check(
        r"
        > /log
        * #999:g.health
        * #0:g.health
        * #1:g.nonexistent
        * #1:c.77
        * #1:sv
        * #garbage
        * Kinh tế
        * #2:c.12345
        > /cancel
        * #2:cn
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
            * #999:g.health
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            * #0:g.health
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            * #1:g.nonexistent
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            * #1:c.77
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            * #1:sv
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            * #garbage
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            * Kinh tế
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            * #2:c.12345
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
            > /cancel
              (buttons closed)
              < Đã hủy. Không có gì được lưu.
                keyboard: [["📝 Ghi buổi học"]]
            * #2:cn
              (notice: Nút này không còn dùng được nữa. Hãy dùng tin nhắn mới nhất.)
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
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
              < 
              < Buổi học của <b>lớp / chuyên đề</b> nào? Chọn lớp đã có, hoặc bấm <b>Lớp mới</b>.
                [➕ Lớp mới]
            > /lang fr
              < Gõ <i>/lang vi</i> để dùng tiếng Việt, hoặc <i>/lang en</i> để dùng tiếng Anh.
              < 
              < Bản nháp của bạn vẫn được giữ. Hãy trả lời câu hỏi ở trên, hoặc gõ /cancel để hủy.
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
              < Mình chỉ đọc được tin nhắn chữ. Hãy gõ câu trả lời hoặc bấm nút.
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
