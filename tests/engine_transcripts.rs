//! Transcript tests of the pure dialog engine with the shipped `dialogs/`: a script of
//! what a user types and taps, and the exact conversation that follows.
//!
//! Script lines: `> text` sends a message (commands included), `* Label` taps the button
//! with that label on the latest message, `* data=…` sends raw callback data (forgeries),
//! `! sticker` sends something without text. Run with `UPDATE_EXPECT=1` to refresh.

// Writing to a `String` cannot fail, and a test may panic on its own setup.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use expect_test::{expect, Expect};
use rollcall::dialog::{
    load_dir, step, Button, Catalog, ChatState, ClassRef, Effect, Facts, Input, Keyboard,
    SavedInfo, Sender,
};
use rollcall::domain::{
    CentreId, ClassChoice, ClassId, NewSession, Now, Period, SessionRecord, Totals, UserId,
    YearStart,
};
use rollcall::roles::{Access, AuditEntry, InviteProblem, Member, Membership, Role};
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
    centres: Vec<(CentreId, String)>,
    /// (centre, user, role, name)
    members: Vec<(CentreId, UserId, Role, String)>,
    supervisors: Vec<UserId>,
    /// (code, role, centre, creator, used)
    invites: Vec<(String, Role, Option<CentreId>, UserId, bool)>,
    /// Ids of deleted sessions.
    deleted: Vec<u64>,
    /// Deadline reminders by centre.
    deadlines: Vec<(CentreId, rollcall::reminders::schedule::Monthly)>,
    /// The configured first day of the reporting year (1 January unless a test says).
    year_start: YearStart,
}

impl Memory {
    /// Centre 1 "Tràng An" with the test user (42) in `role`, and centre 2 "Hoành Bồ"
    /// with organiser 77 and director 78.
    fn with(role: Option<Role>) -> Memory {
        let mut memory = Memory {
            centres: vec![(1, "Tràng An".to_owned()), (2, "Hoành Bồ".to_owned())],
            members: vec![
                (1, 50, Role::Organiser, "Hoa".to_owned()),
                (2, 77, Role::Organiser, "Minh".to_owned()),
                (2, 78, Role::Director, "Tuấn".to_owned()),
            ],
            ..Memory::default()
        };
        match role {
            Some(Role::Supervisor) => memory.supervisors.push(42),
            Some(role) => memory.members.push((1, 42, role, "Lan".to_owned())),
            None => {}
        }
        memory
    }
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
    fn access(&self, user: UserId) -> Access {
        let memory = self.0.borrow();
        Access {
            supervisor: memory.supervisors.contains(&user),
            centres: memory
                .members
                .iter()
                .filter(|m| m.1 == user)
                .map(|m| Membership {
                    centre: m.0,
                    centre_name: memory
                        .centres
                        .iter()
                        .find(|c| c.0 == m.0)
                        .map(|c| c.1.clone())
                        .unwrap_or_default(),
                    role: m.2,
                })
                .collect(),
        }
    }

    fn centres(&self) -> Vec<(CentreId, String)> {
        self.0.borrow().centres.clone()
    }

    fn members(&self, centre: CentreId) -> Vec<Member> {
        self.0
            .borrow()
            .members
            .iter()
            .filter(|m| m.0 == centre)
            .map(|m| Member {
                user: m.1,
                role: m.2,
                name: m.3.clone(),
            })
            .collect()
    }

    fn audit(&self, _centre: CentreId, _limit: usize) -> Vec<AuditEntry> {
        Vec::new()
    }

    fn year_start(&self) -> YearStart {
        self.0.borrow().year_start
    }

    fn group_centre(&self, chat: i64) -> Option<CentreId> {
        // Group -100 is linked to centre 1 in these transcripts.
        (chat == -100).then_some(1)
    }

    fn deadline(&self, centre: CentreId) -> Option<rollcall::reminders::schedule::Monthly> {
        let memory = self.0.borrow();
        memory
            .deadlines
            .iter()
            .find(|(c, _)| *c == centre)
            .map(|(_, t)| *t)
    }

    fn reminders(
        &self,
        _chat: i64,
    ) -> Vec<(
        rollcall::reminders::schedule::Schedule,
        rollcall::reminders::parse::Audience,
    )> {
        Vec::new()
    }

    fn session(&self, id: u64) -> Option<SessionRecord> {
        let memory = self.0.borrow();
        let index = usize::try_from(id).ok()?.checked_sub(1)?;
        let (session, class) = memory.sessions.get(index)?;
        (!memory.deleted.contains(&id)).then(|| SessionRecord {
            id,
            centre: session.centre,
            organiser: session.organiser,
            group: session.group.clone(),
            class: *class,
            date: session.date,
            total: session.total,
            female: session.female,
            extra: session.extra.clone(),
            created_at: session.created_at,
        })
    }

    fn deleted_session(&self, _id: u64) -> Option<(SessionRecord, chrono::DateTime<Utc>)> {
        None
    }

    fn recent_sessions(
        &self,
        centre: CentreId,
        organiser: Option<UserId>,
        limit: usize,
    ) -> Vec<SessionRecord> {
        let count = self.0.borrow().sessions.len() as u64;
        (1..=count)
            .rev()
            .filter_map(|id| self.session(id))
            .filter(|s| s.centre == centre && organiser.is_none_or(|o| o == s.organiser))
            .take(limit)
            .collect()
    }

    fn deleted_sessions(&self, _centre: CentreId) -> Vec<(SessionRecord, chrono::DateTime<Utc>)> {
        Vec::new()
    }

    fn class_name(&self, id: ClassId) -> Option<String> {
        self.0
            .borrow()
            .classes
            .iter()
            .find(|c| c.0 == id)
            .map(|c| c.3.clone())
    }

    fn invite(&self, code: &str) -> Option<(Role, Option<CentreId>, UserId)> {
        self.0
            .borrow()
            .invites
            .iter()
            .find(|i| i.0 == code)
            .map(|i| (i.1, i.2, i.3))
    }

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
        Chat::as_role(language_hint, Some(Role::Organiser))
    }

    fn as_role(language_hint: Option<&str>, role: Option<Role>) -> Chat {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs");
        let catalog = load_dir(&dir).expect("the shipped dialogs load");
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
        Chat {
            catalog,
            memory: RefCell::new(Memory::with(role)),
            state: ChatState::default(),
            sender: Sender {
                user: 42,
                chat: 42,
                name: "Lan".to_owned(),
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
            } else if let Some(data) = line.strip_prefix("* data=") {
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
                        Some(Keyboard::Links(rows)) => {
                            writeln!(self.log, "    links: {rows:?}").unwrap();
                            self.buttons.clear();
                        }
                        Some(Keyboard::LinksAndButtons { links, buttons }) => {
                            writeln!(self.log, "    links: {links:?}").unwrap();
                            for row in &buttons {
                                let labels: Vec<String> =
                                    row.iter().map(|b| format!("[{}]", b.label)).collect();
                                writeln!(self.log, "    {}", labels.join(" ")).unwrap();
                            }
                            self.buttons = buttons.into_iter().flatten().collect();
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
                        edited: false,
                        session: number,
                        group_totals: self.memory.borrow().totals(Some(&group)),
                        centre_totals: self.memory.borrow().totals(None),
                        group,
                        period: Period::reporting_year_to_date(
                            self.memory.borrow().year_start,
                            self.now.today,
                        ),
                    };
                    self.feed(Input::SessionSaved(info));
                }
                Effect::SaveSessions(sessions) => {
                    writeln!(self.log, "  (save {} sessions)", sessions.len()).unwrap();
                }
                // The nudge's delivery is the scheduler's; it is tested in entry_safety.rs.
                Effect::NudgeAt(_) => {}
                Effect::ShowTotals { centre } => {
                    writeln!(self.log, "  (show totals of centre {centre:?})").unwrap();
                }
                Effect::ShowReport {
                    centre,
                    period,
                    keyboard,
                } => {
                    writeln!(
                        self.log,
                        "  (show report of centre {centre:?} for {}..{})",
                        period.from, period.to
                    )
                    .unwrap();
                    if let Some(Keyboard::Inline(rows)) = keyboard {
                        for row in &rows {
                            let labels: Vec<String> =
                                row.iter().map(|b| format!("[{}]", b.label)).collect();
                            writeln!(self.log, "    {}", labels.join(" ")).unwrap();
                        }
                        self.buttons = rows.into_iter().flatten().collect();
                    }
                }
                Effect::CreateInvite {
                    role,
                    centre,
                    new_centre,
                } => {
                    writeln!(
                        self.log,
                        "  (create invite: {role:?} centre={centre:?} new_centre={new_centre:?})"
                    )
                    .unwrap();
                    let centre = match new_centre {
                        Some(name) => {
                            let mut memory = self.memory.borrow_mut();
                            let id = memory.centres.len() as CentreId + 1;
                            memory.centres.push((id, name));
                            Some(id)
                        }
                        None => centre,
                    };
                    let code = format!("TESTCODE{:014}", self.memory.borrow().invites.len() + 1);
                    self.memory.borrow_mut().invites.push((
                        code.clone(),
                        role,
                        centre,
                        self.sender.user,
                        false,
                    ));
                    let centre_name = centre.and_then(|c| {
                        let memory = self.memory.borrow();
                        memory
                            .centres
                            .iter()
                            .find(|x| x.0 == c)
                            .map(|x| x.1.clone())
                    });
                    self.feed(Input::InviteCreated {
                        link: Some(format!("https://t.me/rollcall_bot?start={code}")),
                        code,
                        role,
                        centre_name,
                        days: 7,
                    });
                }
                Effect::RedeemInvite { code } => {
                    writeln!(self.log, "  (redeem invite {code})").unwrap();
                    let found = self
                        .memory
                        .borrow()
                        .invites
                        .iter()
                        .find(|i| i.0 == code)
                        .cloned();
                    let result = match found {
                        None => Err(InviteProblem::Unknown),
                        Some((_, _, _, _, true)) => Err(InviteProblem::Used),
                        Some((_, role, centre, _, false)) => {
                            let mut memory = self.memory.borrow_mut();
                            if let Some(invite) = memory.invites.iter_mut().find(|i| i.0 == code) {
                                invite.4 = true;
                            }
                            match centre {
                                Some(c) => memory.members.push((
                                    c,
                                    self.sender.user,
                                    role,
                                    "Lan".to_owned(),
                                )),
                                None => memory.supervisors.push(self.sender.user),
                            }
                            let name = centre.and_then(|c| {
                                memory
                                    .centres
                                    .iter()
                                    .find(|x| x.0 == c)
                                    .map(|x| x.1.clone())
                            });
                            Ok((role, name))
                        }
                    };
                    self.feed(Input::InviteRedeemed(result));
                }
                Effect::RevokeInvite { code } => {
                    writeln!(self.log, "  (revoke invite {code})").unwrap();
                }
                Effect::RemoveMember { centre, user } => {
                    writeln!(self.log, "  (remove member {user} from centre {centre})").unwrap();
                    self.memory
                        .borrow_mut()
                        .members
                        .retain(|m| !(m.0 == centre && m.1 == user));
                }
                Effect::SetReminder {
                    chat,
                    centre,
                    schedule,
                    audience,
                } => {
                    writeln!(
                        self.log,
                        "  (set reminder in {chat} for centre {centre}: {} {:?} {audience:?})",
                        schedule.time, schedule.days
                    )
                    .unwrap();
                }
                Effect::RemoveReminders { chat } => {
                    writeln!(self.log, "  (remove reminders of {chat})").unwrap();
                }
                Effect::SetMuted(muted) => writeln!(self.log, "  (muted: {muted})").unwrap(),
                Effect::UpdateSession { id, session } => {
                    writeln!(
                        self.log,
                        "  (update session {id}: group={} class={:?} date={} total={} female={})",
                        session.group, session.class, session.date, session.total, session.female
                    )
                    .unwrap();
                }
                Effect::DeleteSession { id } => {
                    writeln!(self.log, "  (delete session {id})").unwrap();
                    self.memory.borrow_mut().deleted.push(id);
                }
                Effect::RestoreSession { id } => {
                    writeln!(self.log, "  (restore session {id})").unwrap();
                }
                Effect::SetDeadline { centre, timing } => {
                    writeln!(self.log, "  (deadline of centre {centre}: {timing:?})").unwrap();
                    let mut memory = self.memory.borrow_mut();
                    memory.deadlines.retain(|(c, _)| *c != centre);
                    memory.deadlines.extend(timing.map(|t| (centre, t)));
                }
                Effect::LinkGroup { chat, centre } => {
                    writeln!(self.log, "  (link group {chat} to centre {centre})").unwrap();
                }
                Effect::NoSessionDay { centre, user, day } => {
                    writeln!(
                        self.log,
                        "  (no session: centre {centre}, user {user}, {day})"
                    )
                    .unwrap();
                }
                // `/classes` is tested through the real runtime (tests/classes_flow.rs).
                Effect::RenameClass { class, name, .. } => {
                    writeln!(self.log, "  (rename class {class} to {name})").unwrap();
                }
                Effect::MergeClasses { from, into } => {
                    writeln!(self.log, "  (merge class {from} into {into})").unwrap();
                }
                Effect::ShowDocument {
                    centre,
                    period,
                    keyboard,
                } => {
                    writeln!(
                        self.log,
                        "  (send document of centre {centre:?} for {}..{})",
                        period.from, period.to
                    )
                    .unwrap();
                    if let Some(Keyboard::Inline(rows)) = keyboard {
                        for row in &rows {
                            let labels: Vec<String> =
                                row.iter().map(|b| format!("[{}]", b.label)).collect();
                            writeln!(self.log, "    {}", labels.join(" ")).unwrap();
                        }
                        self.buttons = rows.into_iter().flatten().collect();
                    }
                }
                Effect::SetDocumentPart { centre, part, text } => {
                    writeln!(
                        self.log,
                        "  (store {} of centre {centre}: {text:?})",
                        part.id()
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

fn check_as(role: Option<Role>, script: &str, expect: Expect) {
    let mut chat = Chat::as_role(None, role);
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
              (buttons closed)
              (save: group=health class=New { name: "Phòng chống sốt xuất huyết", key: "phòng chống sốt xuất huyết" } date=2026-11-26 total=45 female=30 extra={} organiser=42)
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
              (buttons closed)
              (save: group=health class=Existing(1) date=2026-11-25 total=45 female=0 extra={} organiser=42)
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
              (buttons closed)
              (save: group=law class=New { name: "Luật giao thông", key: "luật giao thông" } date=2026-11-26 total=10 female=5 extra={} organiser=42)
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
              (buttons closed)
              (save: group=law class=Existing(1) date=2026-11-25 total=12 female=6 extra={} organiser=42)
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
              (buttons closed)
              (save: group=life_skills class=New { name: "Kỹ năng thoát hiểm", key: "kỹ năng thoát hiểm" } date=2026-11-26 total=15 female=10 extra={} organiser=42)
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
              (show totals of centre Some(1))
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
              (buttons closed)
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
              (buttons closed)
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
              (redeem invite AAAAAAAAAAAAAAAAAAAAAA)
              < Mã mời này không đúng. Xin anh/chị kiểm tra lại đường link, hoặc đề nghị gửi một link mới.
            * data=1:ct.1
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
        "#]],
    );
}

#[test]
fn an_invitation_makes_a_stranger_an_organiser_once() {
    let mut chat = Chat::as_role(None, None);
    chat.memory.borrow_mut().invites.push((
        "TESTCODE00000000000001".to_owned(),
        Role::Organiser,
        Some(1),
        78,
        false,
    ));
    expect![[r#"
        > /start TESTCODE00000000000001
          (redeem invite TESTCODE00000000000001)
          < Chào mừng anh/chị! Anh/chị đã tham gia với vai trò <b>người phụ trách lớp</b> – Tràng An. Gõ /help để xem hướng dẫn.
            keyboard: [["📝 Ghi buổi học"]]
        > /start TESTCODE00000000000001
          (redeem invite TESTCODE00000000000001)
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
    "#]].assert_eq(chat.run_script(
        r"
        > /start TESTCODE00000000000001
        > /start TESTCODE00000000000001
        > /log
        ",
    ));
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
              (create invite: Organiser centre=Some(1) new_centre=None)
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
              < • Hoa – người phụ trách lớp (id 50)
              < • Lan – giám đốc (id 42)
                [Xóa Hoa]
            * data=1:rm.77
              (notice: Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.)
            * Xóa Hoa
              < Xóa <b>Hoa</b> khỏi trung tâm? Các buổi học họ đã ghi vẫn được giữ trong báo cáo.
                [Xóa]
            * Xóa
              (buttons closed)
              (remove member 50 from centre 1)
              < Đã xóa Hoa khỏi trung tâm.
            > /members
              < <b>Người của Tràng An</b>
              < • Lan – giám đốc (id 42)
            > /report 1-10/2020
              (show report of centre Some(1) for 2020-01-01..2020-10-31)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
            * Tháng trước
              (show report of centre Some(1) for 2026-10-01..2026-10-31)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
            * Năm trước
              (show report of centre Some(1) for 2025-01-01..2025-12-31)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
            > /audit
              < Chưa có thay đổi nào.
            > /revoke TESTCODE00000000000001
              (revoke invite TESTCODE00000000000001)
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
              < /sessions – sửa, xóa các buổi học của trung tâm; /deleted – khôi phục buổi đã xóa
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
              (show report of centre None for 2026-01-01..2026-11-26)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
            > /centre
              < Chọn <b>trung tâm</b>:
                [Tất cả trung tâm]
                [Tràng An]
                [Hoành Bồ]
            * Hoành Bồ
              < Đang làm việc với: <b>Hoành Bồ</b>. Gõ /centre để đổi.
            > /report 2020
              (show report of centre Some(2) for 2020-01-01..2020-12-31)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
            > /totals
              (show totals of centre Some(2))
            > /invite director Phường   Mới
              (create invite: Director centre=None new_centre=Some("Phường Mới"))
              < Lời mời làm <b>giám đốc</b> – Phường Mới:
              < https://t.me/rollcall_bot?start=TESTCODE00000000000001
              < 
              < Gửi đường link này cho người được mời. Link dùng được một lần, trong 7 ngày. Mã: <i>TESTCODE00000000000001</i> (hủy bằng /revoke TESTCODE00000000000001).
            > /invite supervisor
              (create invite: Supervisor centre=None new_centre=None)
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
              (show report of centre None for 2026-01-01..2026-11-26)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
        "#]],
    );
}

#[test]
fn the_report_years_begin_on_the_configured_year_start() {
    // A school year from 1 September: a bare /report and "this year" cover 1 September to
    // today, "last year" the whole school year before; months stay calendar months.
    let mut chat = Chat::as_role(None, Some(Role::Director));
    chat.memory.borrow_mut().year_start = YearStart::new(9, 1).unwrap();
    expect![[r#"
        > /report
          (show report of centre Some(1) for 2026-09-01..2026-11-26)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
        * Năm trước
          (show report of centre Some(1) for 2025-09-01..2026-08-31)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
        * Năm nay
          (show report of centre Some(1) for 2026-09-01..2026-11-26)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
        * Tháng này
          (show report of centre Some(1) for 2026-11-01..2026-11-26)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
    "#]]
    .assert_eq(chat.run_script(
        r"
        > /report
        * Năm trước
        * Năm nay
        * Tháng này
        ",
    ));
    // In March the school year began last September.
    let mut chat = Chat::as_role(None, Some(Role::Director));
    chat.memory.borrow_mut().year_start = YearStart::new(9, 1).unwrap();
    chat.now = Now::in_zone(
        Utc.with_ymd_and_hms(2026, 3, 5, 3, 0, 0).unwrap(),
        chrono_tz::Asia::Ho_Chi_Minh,
    );
    expect![[r#"
        > /report
          (show report of centre Some(1) for 2025-09-01..2026-03-05)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
        * Năm trước
          (show report of centre Some(1) for 2024-09-01..2025-08-31)
            [Tháng này] [Tháng trước]
            [Năm nay] [Năm trước]
            [📄 Báo cáo (Word)]
    "#]]
    .assert_eq(chat.run_script(
        r"
        > /report
        * Năm trước
        ",
    ));
}

#[test]
fn a_member_of_two_centres_chooses_once_when_logging() {
    let mut chat = Chat::new(None);
    chat.memory
        .borrow_mut()
        .members
        .push((2, 42, Role::Organiser, "Lan".to_owned()));
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
          (buttons closed)
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
    .assert_eq(chat.run_script(
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
              (buttons closed)
              (save: group=health class=New { name: "Phòng chống sốt xuất huyết", key: "phòng chống sốt xuất huyết" } date=2026-11-26 total=45 female=30 extra={} organiser=42)
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
              (buttons closed)
              (save: group=health class=Existing(1) date=2026-11-25 total=20 female=12 extra={} organiser=42)
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
              (buttons closed)
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
              (buttons closed)
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
              (buttons closed)
              (save: group=health class=New { name: "Phòng chống sốt xuất huyết", key: "phòng chống sốt xuất huyết" } date=2026-11-26 total=45 female=30 extra={} organiser=42)
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
              (buttons closed)
              (save: group=health class=Existing(1) date=2026-11-26 total=10 female=5 extra={} organiser=42)
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
    let mut chat = Chat::as_role(None, Some(Role::Director));
    chat.sender.private = false;
    chat.sender.chat = -100;
    expect![[r#"
        > /remind 19:30 T2,T4,T6 chưa báo
          (set reminder in -100 for centre 1: 19:30:00 Weekdays(21) GroupNamingMissing)
          < Đã đặt nhắc nhở lúc <b>19:30 (T2, T4, T6)</b> cho nhóm này, kèm tên những người chưa ghi.
        > /remind 20:00 riêng
          (set reminder in -100 for centre 1: 20:00:00 Weekdays(127) NudgeMissing)
          < Đã đặt nhắc nhở lúc <b>20:00</b> cho nhóm này, và nhắc riêng những người chưa ghi.
        > /remind 25:00
          < Cách đặt nhắc nhở (gõ trong nhóm):
          < <i>/remind 20:00</i> – hằng ngày lúc 20:00
          < <i>/remind 19:30 T2,T4,T6</i> – thứ hai, tư, sáu
          < <i>/remind 20:00 chưa báo</i> – kèm tên người chưa ghi
          < <i>/remind 20:00 riêng</i> – nhắc riêng người chưa ghi
          < <i>/remind off</i> – tắt nhắc nhở
        > /reminders
          < Nhóm này chưa có nhắc nhở nào. Ví dụ: <i>/remind 20:00</i>.
        > /remind off
          (remove reminders of -100)
          < Đã tắt các nhắc nhở của nhóm này.
        > /log
          < Tôi không nhận số liệu trong nhóm chat. Xin anh/chị mở cuộc trò chuyện riêng với tôi (bấm vào tên của tôi, chọn <b>Nhắn tin</b>) rồi gõ /log.
    "#]].assert_eq(chat.run_script(
        r"
        > /remind 19:30 T2,T4,T6 chưa báo
        > /remind 20:00 riêng
        > /remind 25:00
        > /reminders
        > /remind off
        > /log
        ",
    ));
    let mut elsewhere = Chat::as_role(None, Some(Role::Director));
    elsewhere.sender.private = false;
    elsewhere.sender.chat = -200;
    expect![[r#"
        > /remind 20:00
          < Nhóm này chưa liên kết với trung tâm nào. Xin giám đốc gõ /link trong nhóm trước.
    "#]]
    .assert_eq(elsewhere.run_script("> /remind 20:00"));
    let mut organiser = Chat::new(None);
    organiser.sender.private = false;
    organiser.sender.chat = -100;
    expect![[r#"
        > /remind 20:00
          < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
    "#]]
    .assert_eq(organiser.run_script("> /remind 20:00"));
}

#[test]
fn an_organiser_mutes_private_nudges() {
    check(
        r"
        > /mute
        > /unmute
        > /remind 20:00
        ",
        expect![[r#"
            > /mute
              (muted: true)
              < Đã tắt nhắc nhở riêng. Gõ /unmute để bật lại.
            > /unmute
              (muted: false)
              < Đã bật lại nhắc nhở riêng.
            > /remind 20:00
              < Chỉ ban giám đốc trung tâm (hoặc Phòng Giáo dục) mới dùng được lệnh này.
        "#]],
    );
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
              (buttons closed)
              (save: group=health class=New { name: "Phòng chống dịch", key: "phòng chống dịch" } date=2026-11-26 total=45 female=30 extra={} organiser=42)
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
              (buttons closed)
              (update session 1: group=health class=Existing(1) date=2026-11-26 total=50 female=30)
            > /undo
              < Xóa buổi học này?
              < #1 26/11/2026 Sức khỏe: Phòng chống dịch (45/30 nữ)
              < Ban giám đốc có thể khôi phục trong 30 ngày.
                [🗑 Xóa]
            * 🗑 Xóa
              (buttons closed)
              (delete session 1)
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
              (deadline of centre 1: Some(Monthly { day: 25, days_before: 3, time: 07:30:00 }))
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
              (deadline of centre 1: None)
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
              (send document of centre Some(1) for 2020-01-01..2020-10-31)
                [✏️ Sửa nội dung]
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
              (store signer_name of centre 1: "Hoàng Thị Xinh")
              < ✅ Đã lưu «Họ tên người ký». Báo cáo sau (/baocao) sẽ dùng nội dung này.
            > /document tháng 13
              < Tôi chưa hiểu kỳ báo cáo «tháng 13». Anh/chị gõ ví dụ:
              < /report 2020 – cả năm 2020
              < /report 10/2020 – tháng 10 năm 2020
              < /report 1-10/2020 – từ tháng 1 đến tháng 10
              < /report 01/2020-10/2020 – như trên
              < /report Q3/2020 – quý 3
              < /report 2020-01-01..2020-10-31 – từ ngày đến ngày
            > /report 10/2020
              (show report of centre Some(1) for 2020-10-01..2020-10-31)
                [Tháng này] [Tháng trước]
                [Năm nay] [Năm trước]
                [📄 Báo cáo (Word)]
            * 📄 Báo cáo (Word)
              (send document of centre Some(1) for 2020-10-01..2020-10-31)
                [✏️ Sửa nội dung]
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
