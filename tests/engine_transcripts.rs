//! Transcript tests of the pure dialog engine with the shipped `dialogs/`: a script of
//! what a user types and taps, and the exact conversation that follows.
//!
//! Script lines: `> text` sends a message (commands included), `* Label` taps the button
//! with that label on the latest message, `* #data` sends raw callback data (forgeries),
//! `! sticker` sends something without text. Run with `UPDATE_EXPECT=1` to refresh.

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
fn a_whole_session_by_buttons() {
    check(
        r"
        > /log
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
        "#]],
    );
}
