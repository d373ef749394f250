//! A conversation with the real runtime on a real temporary redb file, for transcript
//! tests: what a user sends goes through `Runtime::handle` exactly as the Telegram
//! adapter hands it over, and the replies are read back from the outbox.
//!
//! Two ways to write a conversation: step by step (`send`, `tap`, each returning the
//! replies as plain text), or as a whole script (`script`, returning the conversation with
//! the bot's HTML, keyboards and notices spelled out). Commits skip the fsync: a test
//! never survives a crash, and a durable commit per step would make transcripts slow.

#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use rollcall::dialog::{load_dir, Button, Input, Keyboard, Sender};
use rollcall::document::{fetch_plan, Upload};
use rollcall::domain::{CentreId, Now, Period, SessionRecord, UserId, YearStart};
use rollcall::format::html_to_plain;
use rollcall::outgoing::{FileBody, OutOp, Outgoing};
use rollcall::roles::Role;
use rollcall::runtime::{Callback, Event, ReportWorker, Runtime};
use rollcall::store::{Store, StoreError, Tx};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

/// An organiser of "Tràng An".
pub const ORGANISER: UserId = 42;
/// A second organiser of "Tràng An".
pub const OTHER_ORGANISER: UserId = 43;
/// The director of "Tràng An".
pub const DIRECTOR: UserId = 50;
/// A supervisor of the education office.
pub const SUPERVISOR: UserId = 60;
/// Somebody with no role.
pub const STRANGER: UserId = 99;

const ZONE: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

/// The bot as its users see it: a runtime over a temporary database, a clock the test
/// sets, and the buttons of each chat's latest messages.
pub struct Bot {
    _dir: tempfile::TempDir,
    pub store: Store,
    pub runtime: Runtime,
    /// Builds the report files the steps ask for, as the bot's report task does.
    reports: ReportWorker,
    pub centre: CentreId,
    /// The processing instant.
    now: DateTime<Utc>,
    /// The `date` Telegram gives the next message, when a test sets one apart from `now`.
    sent_at: Option<DateTime<Utc>>,
    /// Pressable buttons per chat: label to callback data, from the latest messages.
    buttons: HashMap<i64, Vec<(String, String)>>,
    presses: u64,
    /// The language Telegram reports for every sender (`None`: it reports none).
    pub language_hint: Option<String>,
    /// Senders' first names by user; anybody else is called `User<id>`.
    pub names: HashMap<UserId, String>,
    /// The invitation codes the bot handed out, in order. Codes are random, so a script
    /// calls the n-th one `TESTCODE` and n in 14 digits, in what it sends and reads.
    codes: Vec<String>,
    /// The live sessions as a script last saw them, to show what each step stored.
    stored: Option<BTreeMap<u64, String>>,
    /// Every file the bot sent (`send`, `tap`, `outbox`, ...), by name, oldest first.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Bot {
    /// Centre "Tràng An" with two organisers and a director; one supervisor.
    pub fn new() -> Bot {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Bot::with(at, |tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.add_member(centre, ORGANISER, Role::Organiser, "Lan", 0, at)?;
            tx.add_member(centre, OTHER_ORGANISER, Role::Organiser, "Hoa", 0, at)?;
            tx.add_member(centre, DIRECTOR, Role::Director, "Tuấn", 0, at)?;
            tx.add_supervisor(SUPERVISOR, "Phòng GD", 0, at)?;
            Ok(centre)
        })
    }

    /// A bot whose database `setup` fills through the store's own API, returning the
    /// centre that `sessions` and `classes` look at; the clock shows `at`.
    pub fn with(
        at: DateTime<Utc>,
        setup: impl FnOnce(&mut Tx<'_>) -> Result<CentreId, StoreError>,
    ) -> Bot {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bot.redb")).unwrap();
        let (centre, _) = store.write_unsynced(setup).unwrap();
        let catalog =
            Arc::new(load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).unwrap());
        Bot {
            _dir: dir,
            reports: ReportWorker::new(store.clone(), catalog.clone()),
            store,
            runtime: Runtime {
                catalog,
                bot_username: Some("rollcall_bot".to_owned()),
                zone: ZONE,
                year_start: YearStart::default(),
                entry: rollcall::domain::EntryRules::default(),
            },
            centre,
            now: at,
            sent_at: None,
            buttons: HashMap::new(),
            presses: 0,
            language_hint: Some("vi".to_owned()),
            names: HashMap::new(),
            codes: Vec::new(),
            stored: None,
            files: Vec::new(),
        }
    }

    /// Sets the clock to a local time, `2026-12-07 20:00`.
    pub fn at(&mut self, local: &str) {
        self.now = local_time(local);
        self.sent_at = None;
    }

    /// Moves the clock on by `minutes`.
    pub fn later(&mut self, minutes: i64) {
        self.now += chrono::Duration::minutes(minutes);
    }

    /// The next message was sent at this local time (Telegram's `date`), while it is
    /// processed at the clock's time.
    pub fn sent(&mut self, local: &str) {
        self.sent_at = Some(local_time(local));
    }

    /// The instant the clock shows.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// `user` sends `text` in the private chat (a command when it starts with `/`).
    pub fn send(&mut self, user: UserId, text: &str) -> String {
        let mut out = format!("> {text}\n");
        out.push_str(&self.handle(user, input_of(text), None));
        out
    }

    /// `user` sends a file in the private chat (see `file_input`).
    pub fn send_file(&mut self, user: UserId, file_name: &str, bytes: &[u8]) -> String {
        let input = self.file_input(user, file_name, bytes);
        let mut out = format!("> [file {file_name}]\n");
        out.push_str(&self.handle(user, input, None));
        out
    }

    /// What the Telegram adapter hands the runtime for a file `user` sends
    /// (`telegram/download.rs`), without the network: the same rule of which files are
    /// fetched (`document::fetch_plan`: by the sender's role, the name and the size
    /// Telegram gives) and the same reader of the bytes (`report::read_sent_file`).
    pub fn file_input(&self, user: UserId, file_name: &str, bytes: &[u8]) -> Input {
        let access = self.store.read(|tx| tx.access(user)).unwrap();
        let content = match fetch_plan(&access, file_name, Some(bytes.len() as u64)) {
            Ok(_) => rollcall::report::read_sent_file(&self.runtime.catalog, file_name, bytes),
            Err(content) => content,
        };
        Input::Document(Upload {
            file_name: file_name.to_owned(),
            content,
        })
    }

    /// `user` presses the button labelled `label` (exactly, or by a unique prefix) on the
    /// latest messages of the private chat.
    pub fn tap(&mut self, user: UserId, label: &str) -> String {
        let data = self.button_data(user, label);
        self.press_data(user, &format!("* {label}"), data)
    }

    /// `user` presses the first button of the latest inline keyboard in the private chat.
    pub fn tap_first(&mut self, user: UserId) -> String {
        let (label, data) = self
            .buttons
            .get(&user)
            .and_then(|b| b.first().cloned())
            .expect("a button to press");
        self.press_data(user, &format!("* {label}"), data)
    }

    /// Like `send`, with what each chat got kept apart (a step may write to other chats:
    /// a hand-in goes to the supervisors, a correction tells a director).
    pub fn send_chats(&mut self, user: UserId, text: &str) -> BTreeMap<i64, String> {
        let queued = self.handle_in(user, user, input_of(text), None);
        self.render_chats(queued)
    }

    /// Like `tap`, with what each chat got kept apart.
    pub fn tap_chats(&mut self, user: UserId, label: &str) -> BTreeMap<i64, String> {
        let data = self.button_data(user, label);
        self.press_chats(user, data)
    }

    /// Like `press_raw`, with what each chat got kept apart.
    pub fn press_chats(&mut self, user: UserId, data: String) -> BTreeMap<i64, String> {
        let callback = self.callback();
        let queued = self.handle_in(user, user, Input::Button { data }, Some(callback));
        self.render_chats(queued)
    }

    /// The messages of each chat rendered as `render` does, by chat.
    fn render_chats(&mut self, queued: Vec<Outgoing>) -> BTreeMap<i64, String> {
        let mut by_chat: BTreeMap<i64, Vec<Outgoing>> = BTreeMap::new();
        for message in queued {
            by_chat.entry(message.chat).or_default().push(message);
        }
        by_chat
            .into_iter()
            .map(|(chat, messages)| (chat, self.render(messages)))
            .collect()
    }

    /// The current stamp of a chat's dialog (to forge button data that passes it).
    pub fn stamp(&self, chat: i64) -> u32 {
        self.store
            .read(|tx| tx.chat_state(chat))
            .unwrap()
            .map_or(0, |state| state.stamp)
    }

    /// `user` sends raw callback data (a forged or stale button).
    pub fn press_raw(&mut self, user: UserId, data: &str) -> String {
        self.press_data(user, &format!("* data={data}"), data.to_owned())
    }

    /// The callback data of the button `label` in `chat` (a private chat's id is its
    /// user's).
    pub fn button_data(&self, chat: i64, label: &str) -> String {
        let buttons = self.buttons.get(&chat).cloned().unwrap_or_default();
        let exact: Vec<_> = buttons.iter().filter(|(l, _)| l == label).collect();
        let found: Vec<_> = if exact.is_empty() {
            buttons
                .iter()
                .filter(|(l, _)| l.starts_with(label))
                .collect()
        } else {
            exact
        };
        match found.as_slice() {
            [(_, data)] => data.clone(),
            [] => panic!("no button {label:?}; the buttons are {buttons:?}"),
            _ => found.last().unwrap().1.clone(),
        }
    }

    fn press_data(&mut self, user: UserId, line: &str, data: String) -> String {
        let callback = self.callback();
        let mut out = format!("{line}\n");
        out.push_str(&self.handle(user, Input::Button { data }, Some(callback)));
        out
    }

    /// A new callback query, from a press on the message with id 1.
    fn callback(&mut self) -> Callback {
        self.presses += 1;
        Callback {
            id: format!("cb{}", self.presses),
            message_id: Some(1),
        }
    }

    /// Hands one input to the runtime and returns what it queued for the chat.
    pub fn handle(&mut self, user: UserId, input: Input, callback: Option<Callback>) -> String {
        let queued = self.handle_in(user, user, input, callback);
        self.render(queued)
    }

    /// Hands one input from `user` in `chat` (their private chat when it is their id, a
    /// group otherwise) to the runtime and returns every message it queued, read back
    /// from the outbox in the same transaction.
    pub fn handle_in(
        &mut self,
        chat: i64,
        user: UserId,
        input: Input,
        callback: Option<Callback>,
    ) -> Vec<Outgoing> {
        let event = Event {
            chat,
            sender: Sender {
                user,
                chat,
                name: self
                    .names
                    .get(&user)
                    .cloned()
                    .unwrap_or_else(|| format!("User{user}")),
                language_hint: self.language_hint.clone(),
                private: chat == user,
            },
            input,
            callback,
            sent_at: self.sent_at.take(),
        };
        let now = Now::in_zone(self.now, ZONE);
        let runtime = &self.runtime;
        let (mut queued, _) = self
            .store
            .write_unsynced(|tx| {
                runtime.handle(tx, &event, now)?;
                take_outbox(tx)
            })
            .unwrap();
        // The files of a report follow the step's replies: the report worker builds them
        // from a snapshot after the step committed, as in the bot.
        if self.reports.run_pending().unwrap() > 0 {
            let (files, _) = self.store.write_unsynced(take_outbox).unwrap();
            queued.extend(files.into_iter().map(|message| self.delivered(message)));
        }
        queued
    }

    /// A message taken out of the outbox as the sender delivers it: a spooled report file
    /// is read from the spool and deleted, so the scripts see the bytes sent and the spool
    /// is left as the bot leaves it.
    fn delivered(&self, mut message: Outgoing) -> Outgoing {
        if let OutOp::Document { body, .. } | OutOp::Photo { body, .. } = &mut message.op {
            if let FileBody::Spooled(spooled) = body {
                let bytes = self.store.spool().read(spooled).unwrap();
                self.store.spool().remove(spooled).unwrap();
                *body = FileBody::inline(bytes);
            }
        }
        message
    }

    /// Whatever is queued in the outbox now (for messages sent by the scheduler).
    pub fn outbox(&mut self) -> String {
        let (queued, _) = self.store.write_unsynced(take_outbox).unwrap();
        self.render(queued)
    }

    /// Replies as plain text, buttons as `[Label]` rows, a callback's notice as `(…)`.
    fn render(&mut self, queued: Vec<Outgoing>) -> String {
        let mut out = String::new();
        for message in queued {
            match message.op {
                OutOp::Message { html, keyboard } => {
                    let _ = writeln!(out, "{}", html_to_plain(&html).trim_end());
                    if let Some(Keyboard::Inline(rows)) = keyboard {
                        out.push_str(&self.remember_buttons(message.chat, rows, "  "));
                    }
                }
                OutOp::AnswerButton {
                    notice: Some(notice),
                    ..
                } => {
                    let _ = writeln!(out, "({notice})");
                }
                OutOp::AnswerButton { .. } | OutOp::CloseButtons { .. } | OutOp::Menu { .. } => {}
                OutOp::Document {
                    file_name, body, ..
                }
                | OutOp::Photo {
                    file_name, body, ..
                } => {
                    let _ = writeln!(out, "[file {file_name}]");
                    let bytes = self.store.file_bytes(&body).unwrap();
                    self.files.push((file_name, bytes));
                }
            }
        }
        out
    }

    /// Makes `rows` the pressable buttons of `chat` and returns them as `[Label]` rows,
    /// each line after `indent`.
    fn remember_buttons(&mut self, chat: i64, rows: Vec<Vec<Button>>, indent: &str) -> String {
        let mut out = String::new();
        let chat_buttons = self.buttons.entry(chat).or_default();
        chat_buttons.clear();
        for row in rows {
            let labels: Vec<String> = row.iter().map(|b| format!("[{}]", b.label)).collect();
            let _ = writeln!(out, "{indent}{}", labels.join(" "));
            chat_buttons.extend(row.into_iter().map(|b| (b.label, b.data)));
        }
        out
    }

    /// Runs a script in `chat` as `user` and returns the conversation. Script lines:
    /// `> text` sends a message (commands included), `* Label` presses the button with
    /// that label among the chat's latest buttons, `* data=…` sends raw callback data (a
    /// forged or stale button), `! sticker` sends something without text. The bot's
    /// messages follow as `  < ` lines of HTML, their buttons as `    [a] [b]` rows, a
    /// callback's notice as `  (notice: …)`, removed buttons as `  (buttons closed)` and
    /// files as `  (file …)`. Before them, what the step did to the sessions in the store:
    /// `  (stored #id: …)`, `  (changed #id: …)` or `  (deleted #id)`.
    pub fn script(&mut self, user: UserId, chat: i64, script: &str) -> String {
        let mut log = String::new();
        if self.stored.is_none() {
            self.stored = Some(self.stored_sessions());
        }
        for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (input, callback) = if let Some(text) = line.strip_prefix("> ") {
                (input_of(&self.real_codes(text)), None)
            } else if let Some(data) = line.strip_prefix("* data=") {
                let data = data.to_owned();
                (Input::Button { data }, Some(self.callback()))
            } else if let Some(label) = line.strip_prefix("* ") {
                let data = self.button_data(chat, label);
                (Input::Button { data }, Some(self.callback()))
            } else if line == "! sticker" {
                (Input::NotText, None)
            } else {
                panic!("bad script line {line:?}");
            };
            let _ = writeln!(log, "{line}");
            let queued = self.handle_in(chat, user, input, callback);
            log.push_str(&self.session_changes());
            log.push_str(&self.render_script(queued));
        }
        log
    }

    /// The conversation lines of a script for what the runtime queued.
    fn render_script(&mut self, queued: Vec<Outgoing>) -> String {
        let mut out = String::new();
        for message in queued {
            match message.op {
                OutOp::Message { html, keyboard } => {
                    self.note_codes(&html);
                    for line in html.lines() {
                        let _ = writeln!(out, "  < {line}");
                    }
                    let buttons = match keyboard {
                        Some(Keyboard::Inline(rows)) => Some(rows),
                        Some(Keyboard::LinksAndButtons { links, buttons }) => {
                            let _ = writeln!(out, "    links: {links:?}");
                            Some(buttons)
                        }
                        Some(Keyboard::Links(rows)) => {
                            let _ = writeln!(out, "    links: {rows:?}");
                            None
                        }
                        Some(Keyboard::Persistent(rows)) => {
                            let _ = writeln!(out, "    keyboard: {rows:?}");
                            None
                        }
                        None => None,
                    };
                    if let Some(rows) = buttons {
                        out.push_str(&self.remember_buttons(message.chat, rows, "    "));
                    }
                }
                OutOp::AnswerButton {
                    notice: Some(notice),
                    ..
                } => {
                    let _ = writeln!(out, "  (notice: {notice})");
                }
                OutOp::AnswerButton { notice: None, .. } => {}
                OutOp::CloseButtons { .. } => {
                    let _ = writeln!(out, "  (buttons closed)");
                }
                OutOp::Menu { menus } => {
                    let _ = writeln!(out, "  (menu of this chat: {menus:?})");
                }
                OutOp::Document { file_name, .. } | OutOp::Photo { file_name, .. } => {
                    let _ = writeln!(out, "  (file {file_name})");
                }
            }
        }
        self.test_codes(&out)
    }

    /// What changed among the stored sessions since the script last looked.
    fn session_changes(&mut self) -> String {
        let now = self.stored_sessions();
        let before = self.stored.replace(now.clone()).unwrap_or_default();
        let mut out = String::new();
        for (id, line) in &now {
            match before.get(id) {
                None => {
                    let _ = writeln!(out, "  (stored #{id}: {line})");
                }
                Some(old) if old != line => {
                    let _ = writeln!(out, "  (changed #{id}: {line})");
                }
                Some(_) => {}
            }
        }
        for id in before.keys().filter(|id| !now.contains_key(id)) {
            let _ = writeln!(out, "  (deleted #{id})");
        }
        out
    }

    /// Every live session of every centre as the store holds it, one line each by id.
    fn stored_sessions(&self) -> BTreeMap<u64, String> {
        self.store
            .read(|tx| {
                let mut lines = BTreeMap::new();
                for s in tx.sessions(None, all_time())? {
                    let centre = tx.centre_name(s.centre)?.unwrap_or_default();
                    let class = tx.class(s.class)?.map(|c| c.name).unwrap_or_default();
                    let mut line = format!(
                        "{centre}, {}, class {} {class:?}, {}, {} people, {} women, by {}",
                        s.group, s.class, s.date, s.total, s.female, s.organiser
                    );
                    if !s.extra.is_empty() {
                        let _ = write!(line, ", {:?}", s.extra);
                    }
                    lines.insert(s.id, line);
                }
                Ok(lines)
            })
            .unwrap()
    }

    /// Remembers the invitation codes a message hands out (in its `?start=` link).
    fn note_codes(&mut self, html: &str) {
        for (at, marker) in html.match_indices("?start=") {
            let code: String = html[at + marker.len()..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if !code.is_empty() && !self.codes.contains(&code) {
                self.codes.push(code);
            }
        }
    }

    /// `text` with the codes the bot handed out called by their test names.
    fn test_codes(&self, text: &str) -> String {
        self.codes
            .iter()
            .enumerate()
            .fold(text.to_owned(), |text, (n, code)| {
                text.replace(code, &test_code(n))
            })
    }

    /// `text` with the test names of codes replaced by the real codes.
    fn real_codes(&self, text: &str) -> String {
        self.codes
            .iter()
            .enumerate()
            .fold(text.to_owned(), |text, (n, code)| {
                text.replace(&test_code(n), code)
            })
    }

    /// Every live session of the centre.
    pub fn sessions(&self) -> Vec<SessionRecord> {
        let centre = self.centre;
        self.store
            .read(|tx| tx.sessions(Some(centre), all_time()))
            .unwrap()
    }

    /// "Số lớp" of the whole centre for all time, as the report counts it.
    pub fn class_count(&self) -> u64 {
        let centre = self.centre;
        self.store
            .read(|tx| tx.group_totals(Some(centre), all_time()))
            .unwrap()
            .values()
            .map(|t| t.classes)
            .sum()
    }

    /// The class names of the centre, as stored, with their group.
    pub fn classes(&self) -> Vec<(String, String)> {
        let centre = self.centre;
        let mut classes: Vec<(String, String)> = self
            .sessions()
            .iter()
            .map(|s| s.class)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|id| {
                let class = self.store.read(|tx| tx.class(id)).unwrap().unwrap();
                assert_eq!(class.centre, centre);
                (class.group, class.name)
            })
            .collect();
        classes.sort();
        classes
    }
}

fn take_outbox(tx: &mut Tx<'_>) -> Result<Vec<Outgoing>, StoreError> {
    let queued = tx.outbox(10_000)?;
    let mut out = Vec::new();
    for (seq, message) in queued {
        tx.remove_outgoing(seq)?;
        out.push(message);
    }
    Ok(out)
}

/// What the Telegram adapter makes of a message's text: a command, its name in lower
/// case and its arguments after the first blank, or plain text.
pub fn input_of(text: &str) -> Input {
    match text.strip_prefix('/') {
        Some(command) => {
            let (name, args) = command
                .split_once(char::is_whitespace)
                .unwrap_or((command, ""));
            Input::Command {
                name: name.to_lowercase(),
                args: args.trim().to_owned(),
            }
        }
        None => Input::Text(text.to_owned()),
    }
}

/// A period holding every session a test makes.
fn all_time() -> Period {
    Period {
        from: chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
    }
}

/// The name scripts give the n-th (from 0) invitation code the bot handed out.
fn test_code(n: usize) -> String {
    format!("TESTCODE{:014}", n + 1)
}

/// `2026-12-07 20:00` in the centre's zone as an instant.
pub fn local_time(local: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
    ZONE.from_local_datetime(&naive)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}
