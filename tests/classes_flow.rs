//! A director's `/classes` driven through the real runtime on a real redb file: the list
//! with session counts, a merge of a class typed under the wrong group, a rename (and a
//! rename refused because the name is another class's), and organisers and strangers
//! refused. After each change the report's counters are checked against a recount.

// A test may panic on its own setup.
#![allow(clippy::unwrap_used)]

mod transcript;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rollcall::dialog::{Input, Keyboard};
use rollcall::domain::{ClassChoice, ClassId, NewSession, Period};
use rollcall::outgoing::{OutOp, Outgoing};
use rollcall::roles::Role;
use rollcall::runtime::Callback;
use std::collections::BTreeMap;

const DIRECTOR: i64 = 42;
const ORGANISER: i64 = 50;
const STRANGER: i64 = 99;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0)
        .single()
        .unwrap()
}

/// A centre with a director and an organiser, and three classes: "Phòng chống sốt xuất
/// huyết" under health (two sessions), the same typed without diacritics under
/// environment (one session), and "Thu gom rác" under environment (one session).
struct Centre {
    /// The shared transcript bot over that centre.
    bot: transcript::Bot,
    health: ClassId,
    typo: ClassId,
    rubbish: ClassId,
}

fn setup() -> Centre {
    let mut classes = Vec::new();
    let bot = transcript::Bot::with(at(), |tx| {
        let centre = tx.ensure_centre("Tràng An")?;
        tx.add_member(centre, DIRECTOR, Role::Director, "Tuấn", 0, at())?;
        tx.add_member(centre, ORGANISER, Role::Organiser, "Hoa", 0, at())?;
        for (group, name, day, total) in [
            ("health", "Phòng chống sốt xuất huyết", 3, 45),
            ("health", "Phòng chống sốt xuất huyết", 10, 35),
            ("environment", "phong chong sot xuat huyet", 17, 30),
            ("environment", "Thu gom rác", 18, 50),
        ] {
            let saved = tx.save_session(&NewSession {
                centre,
                organiser: ORGANISER,
                group: group.to_owned(),
                class: ClassChoice::New {
                    name: name.to_owned(),
                    key: name.to_lowercase(),
                },
                date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
                total,
                female: total / 2,
                extra: BTreeMap::new(),
                created_at: at(),
            })?;
            classes.push(saved.class);
        }
        Ok(centre)
    });
    Centre {
        bot,
        health: classes[0],
        typo: classes[2],
        rubbish: classes[3],
    }
}

impl Centre {
    /// Handles one input from `user` in the private chat and returns what was queued.
    fn send(&mut self, user: i64, input: Input) -> Vec<Outgoing> {
        let callback = matches!(input, Input::Button { .. }).then(|| Callback {
            id: "q".to_owned(),
            message_id: Some(1),
        });
        self.bot.handle_in(user, user, input, callback)
    }

    fn command(&mut self, user: i64, name: &str) -> Vec<Outgoing> {
        self.send(
            user,
            Input::Command {
                name: name.to_owned(),
                args: String::new(),
            },
        )
    }

    fn text(&mut self, user: i64, text: &str) -> Vec<Outgoing> {
        self.send(user, Input::Text(text.to_owned()))
    }

    /// Presses the button whose label contains `label` on the last message of `replies`.
    fn press(&mut self, user: i64, replies: &[Outgoing], label: &str) -> Vec<Outgoing> {
        let data = button(replies, label);
        self.send(user, Input::Button { data })
    }

    fn counters_exact(&self) -> bool {
        self.bot
            .store
            .read(|tx| tx.counters_match_sessions())
            .unwrap()
    }

    /// "Số lớp" and attendance per group for November 2026.
    fn report(&self) -> BTreeMap<String, (u64, u64)> {
        let period = Period::new(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        )
        .unwrap();
        self.bot
            .store
            .read(|tx| tx.group_totals(Some(self.bot.centre), period))
            .unwrap()
            .into_iter()
            .map(|(g, t)| (g, (t.classes, t.attendance)))
            .collect()
    }

    fn class_name(&self, id: ClassId) -> String {
        self.bot
            .store
            .read(|tx| tx.class(id))
            .unwrap()
            .unwrap()
            .name
    }
}

/// The texts of the messages queued, joined.
fn texts(replies: &[Outgoing]) -> String {
    replies
        .iter()
        .filter_map(|m| match &m.op {
            OutOp::Message { html, .. } => Some(html.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// The data of the button labelled with `label` (a part of it) on the last message with
/// buttons.
fn button(replies: &[Outgoing], label: &str) -> String {
    let keyboard = replies
        .iter()
        .rev()
        .find_map(|m| match &m.op {
            OutOp::Message {
                keyboard: Some(Keyboard::Inline(rows)),
                ..
            } => Some(rows.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no buttons in {}", texts(replies)));
    keyboard
        .into_iter()
        .flatten()
        .find(|b| b.label.contains(label))
        .unwrap_or_else(|| {
            panic!(
                "no button {label:?} in {keyboard_text}",
                keyboard_text = texts(replies)
            )
        })
        .data
}

fn labels(replies: &[Outgoing]) -> Vec<String> {
    replies
        .iter()
        .filter_map(|m| match &m.op {
            OutOp::Message {
                keyboard: Some(Keyboard::Inline(rows)),
                ..
            } => Some(
                rows.iter()
                    .flatten()
                    .map(|b| b.label.clone())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn a_director_merges_a_class_typed_under_the_wrong_group_through_classes() {
    let mut c = setup();
    assert_eq!(c.report()["health"], (1, 80));
    assert_eq!(c.report()["environment"], (2, 80));

    let list = c.command(DIRECTOR, "classes");
    let shown = texts(&list);
    assert!(shown.contains("Các lớp của Tràng An"), "{shown}");
    assert!(shown.contains("<b>Sức khỏe</b>"), "{shown}");
    assert!(
        shown.contains("• Phòng chống sốt xuất huyết — 2 buổi"),
        "{shown}"
    );
    assert!(
        shown.contains("• phong chong sot xuat huyet — 1 buổi"),
        "{shown}"
    );
    // Groups in the report's order: health (row 4) before environment (row 5).
    assert!(shown.find("Sức khỏe") < shown.find("Môi trường"), "{shown}");
    for data in labels(&list).iter().map(|l| button(&list, l)) {
        assert!(data.len() <= 64, "{data}");
    }

    let class = c.press(DIRECTOR, &list, "phong chong sot xuat huyet (1)");
    let shown = texts(&class);
    assert!(shown.contains("Nhóm hoạt động: Môi trường"), "{shown}");
    assert!(shown.contains("Số buổi học đã ghi: 1"), "{shown}");
    assert!(labels(&class).contains(&"✏️ Đổi tên".to_owned()));

    let targets = c.press(DIRECTOR, &class, "🔗 Gộp vào lớp khác");
    let target_labels = labels(&targets);
    assert!(
        target_labels
            .iter()
            .any(|l| l == "Sức khỏe · Phòng chống sốt xuất huyết (2)"),
        "{target_labels:?}"
    );
    assert!(
        !target_labels.iter().any(|l| l.contains("phong chong sot")),
        "a class is not merged into itself: {target_labels:?}"
    );

    let confirm = c.press(DIRECTOR, &targets, "Phòng chống sốt xuất huyết (2)");
    let shown = texts(&confirm);
    assert!(
        shown.contains("1 buổi học sẽ chuyển từ nhóm <b>Môi trường</b> sang nhóm <b>Sức khỏe</b>"),
        "{shown}"
    );
    // Nothing changed before the confirmation.
    assert_eq!(c.report()["environment"], (2, 80));

    let done = c.press(DIRECTOR, &confirm, "✅ Gộp");
    let shown = texts(&done);
    assert!(shown.contains("Đã gộp: 1 buổi học"), "{shown}");
    assert!(
        done.iter()
            .any(|m| matches!(m.op, OutOp::CloseButtons { .. })),
        "the confirmation's buttons are closed"
    );
    assert!(c.counters_exact());
    assert_eq!(c.report()["health"], (1, 110));
    assert_eq!(c.report()["environment"], (1, 50));
    let audit = c
        .bot
        .store
        .read(|tx| tx.audit_log(Some(c.bot.centre), 10))
        .unwrap();
    assert_eq!(audit[0].action, "class_merged");
    assert_eq!(audit[0].actor, DIRECTOR);
    let log = texts(&c.command(DIRECTOR, "audit"));
    assert!(log.contains("gộp lớp «"), "{log}");
    assert!(log.contains("(1 buổi chuyển sang)"), "{log}");
    assert!(!log.contains("class_merged") && !log.contains('{'), "{log}");

    // The same confirmation pressed again is stale and changes nothing.
    let again = c.press(DIRECTOR, &confirm, "✅ Gộp");
    assert!(texts(&again).is_empty());
    assert!(again.iter().any(|m| matches!(
        &m.op,
        OutOp::AnswerButton { notice: Some(n), .. } if n.contains("không còn dùng được")
    )));
    let list = c.command(DIRECTOR, "lop");
    let shown = texts(&list);
    assert!(!shown.contains("phong chong sot"), "{shown}");
    assert!(
        shown.contains("• Phòng chống sốt xuất huyết — 3 buổi"),
        "{shown}"
    );
    let _ = c.typo;
}

#[test]
fn a_director_renames_a_class_and_a_name_taken_in_its_group_suggests_a_merge() {
    let mut c = setup();
    let list = c.command(DIRECTOR, "classes");
    let class = c.press(DIRECTOR, &list, "Thu gom rác (1)");
    let prompt = c.press(DIRECTOR, &class, "✏️ Đổi tên");
    assert!(texts(&prompt).contains("gõ tên mới cho lớp <b>Thu gom rác</b>"));

    // Emoji only: refused, and asked again.
    let refused = c.text(DIRECTOR, "🎉😀👍");
    assert!(
        texts(&refused).contains("ít nhất hai chữ cái hoặc chữ số"),
        "{}",
        texts(&refused)
    );

    // The name of the other environment class (any case): a merge is offered instead.
    let taken = c.text(DIRECTOR, "PHONG CHONG SOT XUAT HUYET");
    let shown = texts(&taken);
    assert!(
        shown.contains("Nhóm này đã có lớp <b>phong chong sot xuat huyet</b>"),
        "{shown}"
    );
    assert!(labels(&taken).iter().any(|l| l.starts_with("🔗 Gộp vào")));
    assert_eq!(c.class_name(c.rubbish), "Thu gom rác");

    // The earlier message's buttons are stale now; Back leads to the class again.
    let stale = c.press(DIRECTOR, &class, "✏️ Đổi tên");
    assert!(texts(&stale).is_empty(), "{}", texts(&stale));
    let class = c.press(DIRECTOR, &taken, "Quay lại");
    let prompt = c.press(DIRECTOR, &class, "✏️ Đổi tên");
    assert!(texts(&prompt).contains("gõ tên mới"), "{}", texts(&prompt));
    // A free name: old → new, then saved on the button only.
    let confirm = c.text(DIRECTOR, "  Thu gom   rác thải nhựa ");
    let shown = texts(&confirm);
    assert!(
        shown.contains("<b>Thu gom rác</b> → <b>Thu gom rác thải nhựa</b>"),
        "{shown}"
    );
    assert_eq!(c.class_name(c.rubbish), "Thu gom rác");
    let done = c.press(DIRECTOR, &confirm, "✅ Đổi tên");
    assert!(texts(&done).contains("Đã đổi tên lớp"), "{}", texts(&done));
    assert_eq!(c.class_name(c.rubbish), "Thu gom rác thải nhựa");
    assert!(c.counters_exact());
    let audit = c
        .bot
        .store
        .read(|tx| tx.audit_log(Some(c.bot.centre), 10))
        .unwrap();
    assert_eq!(audit[0].action, "class_renamed");
    // The director reads it in words (regression: `/audit` showed the action code and
    // the stored JSON).
    let log = texts(&c.command(DIRECTOR, "audit"));
    assert!(
        log.contains("đổi tên lớp «Thu gom rác» thành «Thu gom rác thải nhựa»"),
        "{log}"
    );
    assert!(
        !log.contains("class_renamed") && !log.contains('{'),
        "{log}"
    );

    // Typed text after the rename is no longer taken as a name.
    let after = c.text(DIRECTOR, "Xin chào");
    assert!(!texts(&after).contains("→"), "{}", texts(&after));
    assert_eq!(c.class_name(c.rubbish), "Thu gom rác thải nhựa");
    let _ = c.health;
}

#[test]
fn organisers_and_strangers_are_refused_and_learn_nothing() {
    let mut c = setup();
    let organiser = texts(&c.command(ORGANISER, "classes"));
    assert!(organiser.contains("Chỉ ban giám đốc"), "{organiser}");
    assert!(!organiser.contains("Phòng chống"), "{organiser}");
    let stranger = texts(&c.command(STRANGER, "lop"));
    assert!(!stranger.contains("Phòng chống"), "{stranger}");
    assert!(!stranger.contains("Tràng An"), "{stranger}");

    // A director's buttons replayed by an organiser are refused and change nothing:
    // the organiser's own stamp is 0, as a forger would guess.
    for forged in [
        format!("0:k.my.{}.{}", c.typo, c.health),
        format!("0:k.o.{}", c.typo),
        "0:k.l.0".to_owned(),
    ] {
        let replies = c.send(ORGANISER, Input::Button { data: forged });
        assert!(texts(&replies).is_empty(), "{}", texts(&replies));
    }
    assert_eq!(c.report()["environment"], (2, 80));
    assert!(c
        .bot
        .store
        .read(|tx| tx.audit_log(Some(c.bot.centre), 10))
        .unwrap()
        .iter()
        .all(|e| e.action != "class_merged"));
}
