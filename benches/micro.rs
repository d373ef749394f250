//! Micro-benchmarks of the pieces a dialog step is made of (criterion, release profile):
//!
//! - `engine/*`: one `rollcall::dialog::step` of the session dialog with an in-memory
//!   `Facts` (no store): `/log`, tapping a group (reads the recent classes), typing the
//!   total, typing the women (builds the summary), tapping Save.
//! - `quick/parse`: `QuickParser::parse` of a quick-entry line (and of a line that is not one).
//! - `report/render_chat`: `report::build` + `report::render_chat` of a full table.
//! - `store/step_commit_1` and `store/step_commit_100`: `Runtime::handle` of whole session
//!   dialogs on a real redb file in a tempdir, one step per write transaction (one fsync
//!   each) against 100 steps of 100 chats in one transaction (the processor's batch). The
//!   time is per transaction; the replies are read back from the outbox (to find the
//!   buttons to tap) outside the timed part.
//!
//! Run with `cargo bench --bench micro` (add a filter such as `-- engine` for a subset).

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rollcall::dialog::{
    load_dir, step, Button, Catalog, ChatState, ClassRef, Effect, Facts, Input, Keyboard, Sender,
};
use rollcall::domain::{CentreId, ClassId, Lang, Now, Period, Totals, UserId, YearStart};
use rollcall::outgoing::OutOp;
use rollcall::reminders::parse::Audience;
use rollcall::reminders::schedule::Schedule;
use rollcall::roles::{Access, AuditEntry, Member, Membership, Role};
use rollcall::runtime::{Callback, Event, Runtime};
use rollcall::store::Store;
use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs"))
        .expect("the shipped dialogs load")
}

fn now() -> Now {
    Now::in_zone(
        Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
            .single()
            .expect("instant"),
        chrono_tz::Asia::Ho_Chi_Minh,
    )
}

/// An organiser of centre 1 with six recent classes in every group.
struct Fixed;

impl Facts for Fixed {
    fn recent_classes(&self, _centre: CentreId, _group: &str, limit: usize) -> Vec<ClassRef> {
        (1..=6)
            .take(limit)
            .map(|id| ClassRef {
                id,
                name: format!("Lớp số {id}"),
            })
            .collect()
    }
    fn class_by_key(&self, _centre: CentreId, _group: &str, _key: &str) -> Option<ClassRef> {
        None
    }
    fn class_by_id(&self, _centre: CentreId, _group: &str, id: ClassId) -> Option<ClassRef> {
        Some(ClassRef {
            id,
            name: format!("Lớp số {id}"),
        })
    }
    fn access(&self, _user: UserId) -> Access {
        Access {
            supervisor: false,
            centres: vec![Membership {
                centre: 1,
                centre_name: "Tràng An".to_owned(),
                role: Role::Organiser,
            }],
        }
    }
    fn centres(&self) -> Vec<(CentreId, String)> {
        vec![(1, "Tràng An".to_owned())]
    }
    fn members(&self, _centre: CentreId) -> Vec<Member> {
        Vec::new()
    }
    fn supervisors(&self) -> Vec<(UserId, String)> {
        Vec::new()
    }
    fn audit(&self, _centre: CentreId, _limit: usize) -> Vec<AuditEntry> {
        Vec::new()
    }
    fn invite(&self, _code: &str) -> Option<(Role, Option<CentreId>, UserId)> {
        None
    }
    fn group_centre(&self, _chat: i64) -> Option<CentreId> {
        None
    }
    fn deadline(&self, _centre: CentreId) -> Option<rollcall::reminders::schedule::Monthly> {
        None
    }

    fn reminders(&self, _chat: i64) -> Vec<(Schedule, Audience)> {
        Vec::new()
    }
    fn session(&self, _id: u64) -> Option<rollcall::domain::SessionRecord> {
        None
    }
    fn deleted_session(
        &self,
        _id: u64,
    ) -> Option<(
        rollcall::domain::SessionRecord,
        chrono::DateTime<chrono::Utc>,
    )> {
        None
    }
    fn recent_sessions(
        &self,
        _centre: CentreId,
        _organiser: Option<UserId>,
        _limit: usize,
    ) -> Vec<rollcall::domain::SessionRecord> {
        Vec::new()
    }
    fn deleted_sessions(
        &self,
        _centre: CentreId,
    ) -> Vec<(
        rollcall::domain::SessionRecord,
        chrono::DateTime<chrono::Utc>,
    )> {
        Vec::new()
    }
    fn class_name(&self, id: ClassId) -> Option<String> {
        Some(format!("Lớp số {id}"))
    }
}

fn sender(user: i64) -> Sender {
    Sender {
        user,
        chat: user,
        name: "Lan".to_owned(),
        language_hint: Some("vi".to_owned()),
        private: true,
    }
}

fn buttons_of(effects: &[Effect]) -> Vec<Button> {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Reply(reply) => match &reply.keyboard {
                Some(Keyboard::Inline(rows)) => Some(rows.iter().flatten().cloned().collect()),
                _ => None,
            },
            _ => None,
        })
        .unwrap_or_default()
}

fn press(buttons: &[Button], label: &str) -> Input {
    let button = buttons
        .iter()
        .find(|b| b.label == label)
        .unwrap_or_else(|| panic!("no button {label:?} in {buttons:?}"));
    Input::Button {
        data: button.data.clone(),
    }
}

fn engine(c: &mut Criterion) {
    let catalog = catalog();
    let facts = Fixed;
    let sender = sender(42);
    let now = now();
    let text = |key: &str| catalog.text(key, Lang::Vi).to_owned();
    let group = catalog.groups[3].short.get(Lang::Vi).to_owned();

    // Walk one session, keeping the state and input of every step.
    let mut steps: Vec<(&str, ChatState, Input)> = Vec::new();
    let mut state = ChatState::default();
    let mut walk = |name: &'static str, input: Input, state: &mut ChatState| -> Vec<Button> {
        steps.push((name, state.clone(), input.clone()));
        let (next, effects) = step(&catalog, &facts, std::mem::take(state), &sender, input, now);
        *state = next;
        buttons_of(&effects)
    };
    let log = Input::Command {
        name: "log".to_owned(),
        args: String::new(),
    };
    let b = walk("log_command", log, &mut state);
    let b = walk("tap_group", press(&b, &group), &mut state);
    let b = walk("tap_class", press(&b, "Lớp số 2"), &mut state);
    walk(
        "tap_today",
        press(&b, &text("dialog.today_button")),
        &mut state,
    );
    walk("type_total", Input::Text("45 người".to_owned()), &mut state);
    let b = walk("type_female", Input::Text("30".to_owned()), &mut state);
    walk(
        "tap_save",
        press(&b, &text("dialog.save_button")),
        &mut state,
    );

    let mut g = c.benchmark_group("engine");
    g.measurement_time(Duration::from_secs(3));
    for (name, state, input) in &steps {
        g.bench_function(*name, |b| {
            b.iter_batched(
                || (state.clone(), input.clone()),
                |(state, input)| black_box(step(&catalog, &facts, state, &sender, input, now)),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

fn quick(c: &mut Criterion) {
    let catalog = catalog();
    let parser = rollcall::dialog::quick::QuickParser::new(&catalog).expect("grammar");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let line = "sk 45 30 Phòng chống sốt xuất huyết";
    assert!(parser.parse(line, today).is_some());
    let mut g = c.benchmark_group("quick");
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("parse", |b| {
        b.iter(|| black_box(parser.parse(black_box(line), today)))
    });
    g.bench_function("parse_dated_alias", |b| {
        b.iter(|| {
            black_box(parser.parse(black_box("suc khoe 45/30 hôm qua Phòng chống dịch"), today))
        })
    });
    g.bench_function("parse_not_quick", |b| {
        b.iter(|| black_box(parser.parse(black_box("Phòng chống sốt xuất huyết"), today)))
    });
    g.finish();
}

fn report(c: &mut Criterion) {
    let catalog = catalog();
    let per_group: BTreeMap<String, Totals> = catalog
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let i = i as u64;
            (
                g.id.clone(),
                Totals {
                    classes: 20 + i,
                    sessions: 200 + i,
                    attendance: 20_868 + 1_000 * i,
                    female: 11_000 + 500 * i,
                },
            )
        })
        .collect();
    let period = Period::new(
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
    )
    .expect("period");
    let mut g = c.benchmark_group("report");
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("render_chat", |b| {
        b.iter(|| {
            let table = rollcall::report::build(&catalog, black_box(&per_group), Lang::Vi);
            black_box(rollcall::report::render_chat(
                &catalog,
                &table,
                "TTHTCĐ Tràng An",
                period,
                Lang::Vi,
            ))
        })
    });
    g.finish();
}

/// One chat walking session dialogs forever through `Runtime::handle`.
struct ChatDriver {
    user: i64,
    stage: usize,
    session: u64,
    buttons: Vec<Button>,
    last_message: i32,
    next_query: u64,
}

impl ChatDriver {
    fn new(user: i64) -> ChatDriver {
        ChatDriver {
            user,
            stage: 0,
            session: 0,
            buttons: Vec::new(),
            last_message: 1,
            next_query: 0,
        }
    }

    fn event(&mut self, catalog: &Catalog) -> Event {
        let text = |key: &str| catalog.text(key, Lang::Vi).to_owned();
        let group = catalog.groups[(self.user % 10) as usize]
            .short
            .get(Lang::Vi)
            .to_owned();
        let input = match self.stage {
            0 => Input::Command {
                name: "log".to_owned(),
                args: String::new(),
            },
            1 => press(&self.buttons, &group),
            2 => press(&self.buttons, &text("dialog.new_class_button")),
            // Five classes per organiser, so a centre has about fifty.
            3 => Input::Text(format!("Lớp {} số {}", self.user, self.session % 5)),
            4 => press(&self.buttons, &text("dialog.today_button")),
            5 => Input::Text("45".to_owned()),
            6 => Input::Text("30".to_owned()),
            _ => press(&self.buttons, &text("dialog.save_button")),
        };
        self.stage = (self.stage + 1) % 8;
        if self.stage == 0 {
            self.session += 1;
        }
        let callback = matches!(input, Input::Button { .. }).then(|| {
            self.next_query += 1;
            Callback {
                id: format!("{}-{}", self.user, self.next_query),
                message_id: Some(self.last_message),
            }
        });
        Event {
            chat: self.user,
            sender: sender(self.user),
            input,
            callback,
            sent_at: None,
        }
    }
}

/// Runs `steps` events (`per_tx` per write transaction, one chat each) and returns the time
/// spent in the transactions only; replies are read back and the outbox emptied untimed.
fn drive(
    store: &Store,
    runtime: &Runtime,
    chats: &mut [ChatDriver],
    transactions: u64,
    now: Now,
) -> Duration {
    let mut timed = Duration::ZERO;
    let mut cursor = 0;
    for _ in 0..transactions {
        let events: Vec<Event> = (0..chats.len())
            .map(|_| {
                let chat = &mut chats[cursor % chats.len()];
                cursor += 1;
                chat.event(&runtime.catalog)
            })
            .collect();
        let started = Instant::now();
        store
            .write(|tx| {
                for event in &events {
                    runtime.handle(tx, event, now)?;
                }
                Ok(())
            })
            .expect("handled");
        timed += started.elapsed();
        // Untimed: find the buttons of the latest reply of every chat, empty the outbox.
        let rows = store.read(|tx| tx.outbox(100_000)).expect("outbox");
        let by_user: HashMap<i64, usize> =
            chats.iter().enumerate().map(|(i, c)| (c.user, i)).collect();
        let mut seqs = Vec::new();
        for (seq, row) in rows {
            seqs.push(seq);
            if let OutOp::Message {
                keyboard: Some(Keyboard::Inline(rows)),
                ..
            } = row.op
            {
                if let Some(i) = by_user.get(&row.chat) {
                    chats[*i].buttons = rows.into_iter().flatten().collect();
                    chats[*i].last_message += 1;
                }
            }
        }
        store
            .write(|tx| tx.remove_outgoing_all(&seqs))
            .expect("outbox emptied");
    }
    timed
}

fn store(c: &mut Criterion) {
    let catalog = Arc::new(catalog());
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&dir.path().join("micro.redb")).expect("open");
    let at = Utc::now();
    store
        .write(|tx| {
            // Ten organisers per centre, as in a real district.
            for user in 1..=200 {
                let centre = tx.ensure_centre(&format!("Centre {}", user / 10))?;
                tx.add_member(centre, user, Role::Organiser, "Lan", 0, at)?;
            }
            Ok(())
        })
        .expect("grants");
    let runtime = Runtime {
        catalog,
        bot_username: Some("rollcall_bench_bot".to_owned()),
        zone: chrono_tz::Asia::Ho_Chi_Minh,
        year_start: YearStart::default(),
        entry: rollcall::domain::EntryRules::default(),
    };
    let now = Now::in_zone(Utc::now(), chrono_tz::Asia::Ho_Chi_Minh);
    let mut g = c.benchmark_group("store");
    g.measurement_time(Duration::from_secs(5));
    g.sample_size(20);
    let mut one = vec![ChatDriver::new(1)];
    g.bench_function("step_commit_1", |b| {
        b.iter_custom(|iters| drive(&store, &runtime, &mut one, iters, now))
    });
    // Chats of their own: chat 1 is left in the middle of a dialog by the bench above.
    let mut hundred: Vec<ChatDriver> = (101..=200).map(ChatDriver::new).collect();
    g.bench_function("step_commit_100", |b| {
        b.iter_custom(|iters| drive(&store, &runtime, &mut hundred, iters, now))
    });
    g.finish();
}

criterion_group!(micro, engine, quick, report, store);
criterion_main!(micro);
