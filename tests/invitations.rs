//! `/invite` asks for what is missing (reproduction 10 of issue 13), through the real
//! runtime on a real temporary redb file: the role with buttons when none is given, the
//! centre with buttons (a page at a time, and "new centre" for a supervisor whose name is
//! typed next), and the Vietnamese role words of the README, several words long.

mod transcript;

use chrono::{DateTime, TimeZone, Utc};
use rollcall::dialog::{Input, Keyboard};
use rollcall::outgoing::{OutOp, Outgoing};
use rollcall::roles::Role;
use rollcall::runtime::Callback;
use rollcall::store::invites::InviteRecord;

const SUPERVISOR: i64 = 1;
/// Director of Tràng An only.
const DIRECTOR: i64 = 10;
/// Director of Tràng An and of Hoành Bồ.
const TWO_CENTRES: i64 = 11;
const ORGANISER: i64 = 12;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0)
        .single()
        .expect("valid")
}

/// The shared transcript bot over a database with the people above and the two
/// centres, answering each input with the raw messages it queued.
struct Bot {
    inner: transcript::Bot,
    /// Callback ids handed out, so each press is a distinct query.
    presses: u32,
}

impl Bot {
    fn new() -> Bot {
        let inner = transcript::Bot::with(at(), |tx| {
            let trang_an = tx.ensure_centre("Tràng An")?;
            let hoanh_bo = tx.ensure_centre("Hoành Bồ")?;
            tx.add_supervisor(SUPERVISOR, "Phòng GD", 0, at())?;
            tx.add_member(trang_an, DIRECTOR, Role::Director, "Tuấn", 0, at())?;
            tx.add_member(trang_an, TWO_CENTRES, Role::Director, "Mai", 0, at())?;
            tx.add_member(hoanh_bo, TWO_CENTRES, Role::Director, "Mai", 0, at())?;
            tx.add_member(trang_an, ORGANISER, Role::Organiser, "Lan", 0, at())?;
            Ok(trang_an)
        });
        Bot { inner, presses: 0 }
    }

    fn handle(&mut self, user: i64, input: Input, callback: Option<Callback>) -> Vec<Outgoing> {
        self.inner.handle_in(user, user, input, callback)
    }

    /// `user` types `text` (a command when it starts with `/`).
    fn send(&mut self, user: i64, text: &str) -> Reply {
        Reply(self.handle(user, transcript::input_of(text), None))
    }

    /// `user` presses the button labelled `label` under `reply`.
    fn press(&mut self, user: i64, reply: &Reply, label: &str) -> Reply {
        let data = reply
            .buttons()
            .into_iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("no button {label:?} in {:?}", reply.buttons()))
            .1;
        self.press_data(user, &data)
    }

    fn press_data(&mut self, user: i64, data: &str) -> Reply {
        self.presses += 1;
        let callback = Callback {
            id: format!("q{}", self.presses),
            message_id: Some(7),
        };
        Reply(self.handle(
            user,
            Input::Button {
                data: data.to_owned(),
            },
            Some(callback),
        ))
    }

    fn invite(&self, code: &str) -> InviteRecord {
        self.inner
            .store
            .read(|tx| tx.invite(code))
            .expect("read")
            .expect("the invitation is stored")
    }

    fn centre_of(&self, invite: &InviteRecord) -> String {
        let centre = invite.centre.expect("an invitation for a centre");
        self.inner
            .store
            .read(|tx| tx.centre_name(centre))
            .expect("read")
            .expect("the centre exists")
    }

    fn centres(&self) -> Vec<String> {
        self.inner
            .store
            .read(|tx| tx.centres())
            .expect("read")
            .into_iter()
            .map(|(_, name)| name)
            .collect()
    }
}

/// What the bot queued for one input.
struct Reply(Vec<Outgoing>);

impl Reply {
    /// The texts of the messages, joined.
    fn text(&self) -> String {
        self.0
            .iter()
            .filter_map(|m| match &m.op {
                OutOp::Message { html, .. } => Some(html.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The inline buttons of the last message with any, as (label, data).
    fn buttons(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .rev()
            .find_map(|m| match &m.op {
                OutOp::Message {
                    keyboard: Some(Keyboard::Inline(rows)),
                    ..
                } => Some(
                    rows.iter()
                        .flatten()
                        .map(|b| (b.label.clone(), b.data.clone()))
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default()
    }

    fn labels(&self) -> Vec<String> {
        self.buttons().into_iter().map(|(label, _)| label).collect()
    }

    /// The invitation code of an "invitation created" reply.
    fn code(&self) -> String {
        let text = self.text();
        let start = text
            .find("?start=")
            .unwrap_or_else(|| panic!("no invitation link in {text}"))
            + "?start=".len();
        text[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect()
    }

    fn notice(&self) -> Option<String> {
        self.0.iter().find_map(|m| match &m.op {
            OutOp::AnswerButton { notice, .. } => notice.clone(),
            _ => None,
        })
    }
}

#[test]
fn invite_director_without_a_centre_asks_which_centre() {
    let mut bot = Bot::new();
    let asked = bot.send(SUPERVISOR, "/invite director");
    assert!(
        asked
            .text()
            .contains("Mời <b>giám đốc</b> cho trung tâm nào?"),
        "{}",
        asked.text()
    );
    // The centres sorted by name, then "new centre"; the data carries ids, never names.
    assert_eq!(
        asked.labels(),
        ["Hoành Bồ", "Tràng An", "➕ Trung tâm mới"],
        "{}",
        asked.text()
    );
    for (label, data) in asked.buttons() {
        assert!(data.len() <= 64 && data.is_ascii(), "{label}: {data}");
        assert!(!data.contains("Tr"), "{label}: {data}");
    }

    // Pressing a centre creates the invitation for that centre, stored as such.
    let created = bot.press(SUPERVISOR, &asked, "Tràng An");
    let invite = bot.invite(&created.code());
    assert_eq!(invite.role, Role::Director);
    assert_eq!(bot.centre_of(&invite), "Tràng An");
    assert!(created.text().contains("Tràng An"), "{}", created.text());
    // The same button pressed twice creates nothing more.
    let again = bot.press(SUPERVISOR, &asked, "Tràng An");
    assert_eq!(
        again.notice().as_deref(),
        Some("Nút này không còn dùng được nữa. Xin anh/chị dùng tin nhắn mới nhất.")
    );
    assert!(!again.text().contains("?start="), "{}", again.text());

    // "New centre" asks for its name as typed text; the centre is created with it.
    let asked = bot.send(SUPERVISOR, "/invite director");
    let prompt = bot.press(SUPERVISOR, &asked, "➕ Trung tâm mới");
    assert!(
        prompt.text().contains("gõ tên trung tâm mới"),
        "{}",
        prompt.text()
    );
    // A name without letters is refused and asked again; the question keeps waiting.
    let refused = bot.send(SUPERVISOR, "🎉");
    assert!(
        refused
            .text()
            .contains("Tên trung tâm cần có ít nhất 2 chữ"),
        "{}",
        refused.text()
    );
    let created = bot.send(SUPERVISOR, "Phường  Mới");
    let invite = bot.invite(&created.code());
    assert_eq!(
        (invite.role, bot.centre_of(&invite).as_str()),
        (Role::Director, "Phường Mới")
    );
    // The answer was taken once: the next text is not another centre.
    let after = bot.send(SUPERVISOR, "Phường Khác");
    assert!(!after.text().contains("?start="), "{}", after.text());
    assert!(!bot.centres().contains(&"Phường Khác".to_owned()));

    // A command in between drops the waiting question.
    let asked = bot.send(SUPERVISOR, "/invite organiser");
    bot.press(SUPERVISOR, &asked, "➕ Trung tâm mới");
    bot.send(SUPERVISOR, "/help");
    let later = bot.send(SUPERVISOR, "Phường Lạ");
    assert!(!later.text().contains("?start="), "{}", later.text());
    assert!(!bot.centres().contains(&"Phường Lạ".to_owned()));

    // A centre typed with other case and no diacritics is the existing centre.
    let created = bot.send(SUPERVISOR, "/invite director trang  an");
    assert_eq!(
        bot.centre_of(&bot.invite(&created.code())),
        "Tràng An",
        "{}",
        created.text()
    );
    assert_eq!(bot.centres().len(), 3, "{:?}", bot.centres());
}

#[test]
fn a_long_list_of_centres_is_offered_a_page_at_a_time() {
    let mut bot = Bot::new();
    bot.inner
        .store
        .write(|tx| {
            for n in 1..=20 {
                tx.ensure_centre(&format!("Xã {n:02}"))?;
            }
            Ok(())
        })
        .expect("centres");
    // 22 centres: pages of 8.
    let first = bot.send(SUPERVISOR, "/invite organiser");
    assert!(first.text().contains("(Trang 1/3)"), "{}", first.text());
    let labels = first.labels();
    assert_eq!(labels.len(), 8 + 2, "{labels:?}");
    assert_eq!(&labels[8..], ["Trang sau ▶", "➕ Trung tâm mới"]);
    let second = bot.press(SUPERVISOR, &first, "Trang sau ▶");
    assert!(second.text().contains("(Trang 2/3)"), "{}", second.text());
    assert!(second.labels().contains(&"◀ Trang trước".to_owned()));
    let third = bot.press(SUPERVISOR, &second, "Trang sau ▶");
    assert!(
        third.labels().contains(&"Xã 20".to_owned()),
        "{:?}",
        third.labels()
    );
    let created = bot.press(SUPERVISOR, &third, "Xã 20");
    let invite = bot.invite(&created.code());
    assert_eq!(
        (invite.role, bot.centre_of(&invite).as_str()),
        (Role::Organiser, "Xã 20")
    );
}

#[test]
fn invite_without_a_role_asks_the_role_among_those_the_sender_may_give() {
    let mut bot = Bot::new();
    let director = bot.send(DIRECTOR, "/invite");
    assert!(
        director.text().contains("Chọn <b>vai trò</b>"),
        "{}",
        director.text()
    );
    assert_eq!(director.labels(), ["Người phụ trách lớp", "Giám đốc"]);
    let created = bot.press(DIRECTOR, &director, "Người phụ trách lớp");
    let invite = bot.invite(&created.code());
    assert_eq!(
        (invite.role, bot.centre_of(&invite).as_str()),
        (Role::Organiser, "Tràng An")
    );

    let supervisor = bot.send(SUPERVISOR, "/invite");
    assert_eq!(
        supervisor.labels(),
        ["Người phụ trách lớp", "Giám đốc", "Cán bộ Phòng Giáo dục"]
    );
    let created = bot.press(SUPERVISOR, &supervisor, "Cán bộ Phòng Giáo dục");
    let invite = bot.invite(&created.code());
    assert_eq!((invite.role, invite.centre), (Role::Supervisor, None));

    // A word that is no role says so and asks.
    let unknown = bot.send(DIRECTOR, "/invite ông Ba");
    assert!(
        unknown.text().contains("Tôi chưa hiểu vai trò «ông Ba»"),
        "{}",
        unknown.text()
    );
    assert_eq!(unknown.labels(), ["Người phụ trách lớp", "Giám đốc"]);

    // Forged data for a role the sender may not give does nothing.
    let forged = bot.press_data(DIRECTOR, &unknown.buttons()[0].1.replace("ir.o", "ir.s"));
    assert!(forged.notice().is_some());
    assert!(!forged.text().contains("?start="), "{}", forged.text());

    // A director of two centres chooses among them only, without "new centre".
    let two = bot.send(TWO_CENTRES, "/invite organiser");
    assert_eq!(two.labels(), ["Tràng An", "Hoành Bồ"]);
    let created = bot.press(TWO_CENTRES, &two, "Hoành Bồ");
    assert_eq!(bot.centre_of(&bot.invite(&created.code())), "Hoành Bồ");
    // And a forged centre they do not direct is refused.
    let elsewhere = bot
        .inner
        .store
        .write(|tx| tx.ensure_centre("Xã Khác"))
        .expect("centre");
    let fresh = bot.send(TWO_CENTRES, "/invite organiser");
    let data = fresh.buttons()[0].1.clone();
    let (prefix, _) = data.rsplit_once('.').expect("an id");
    let forged = bot.press_data(TWO_CENTRES, &format!("{prefix}.{elsewhere}"));
    assert!(forged.notice().is_some());
    assert!(!forged.text().contains("?start="), "{}", forged.text());
}

#[test]
fn invite_with_vietnamese_role_words_works() {
    let mut bot = Bot::new();
    for (words, role) in [
        ("giám đốc", Role::Director),
        ("Phó Giám Đốc", Role::Director),
        ("pho giam doc", Role::Director),
        ("người phụ trách", Role::Organiser),
        ("phụ trách lớp", Role::Organiser),
        ("người phụ trách lớp", Role::Organiser),
    ] {
        let created = bot.send(DIRECTOR, &format!("/invite {words}"));
        let invite = bot.invite(&created.code());
        assert_eq!(invite.role, role, "{words}: {}", created.text());
        assert_eq!(bot.centre_of(&invite), "Tràng An", "{words}");
    }
    // A supervisor's role word of several words, then the new centre's name.
    let created = bot.send(SUPERVISOR, "/invite giám đốc Phường Mới");
    let invite = bot.invite(&created.code());
    assert_eq!(
        (invite.role, bot.centre_of(&invite).as_str()),
        (Role::Director, "Phường Mới")
    );
    let created = bot.send(SUPERVISOR, "/invite giám sát");
    assert_eq!(bot.invite(&created.code()).role, Role::Supervisor);
    // An organiser still may not invite, whatever the words.
    let refused = bot.send(ORGANISER, "/invite giám đốc");
    assert!(!refused.text().contains("?start="), "{}", refused.text());
}
