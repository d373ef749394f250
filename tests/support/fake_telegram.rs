//! A fake Telegram Bot API server on 127.0.0.1 that the end-to-end tests point the real bot at.
//!
//! The fake keeps all state behind one std `Mutex` so that tests can inspect it with plain
//! synchronous calls, and wakes async waiters (long polls, `wait_for_*`) through one tokio
//! `Notify` that fires on every state change. It answers in Telegram's exact JSON shapes so that
//! teloxide deserialises the results, and it reproduces the Telegram behaviours that catch real
//! bugs: offset confirmation, 409 on concurrent pollers, "message is not modified", HTML entity
//! parsing errors, over-long texts and over-long callback data.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as AxumState};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use tokio::sync::Notify;

/// The username of the fake bot, as `getMe` reports it.
pub const BOT_USERNAME: &str = "rollcall_test_bot";
/// The user id of the fake bot, as `getMe` reports it.
pub const BOT_ID: i64 = 7_000_000_001;

/// The longest a `getUpdates` long poll is held by default; short so that tests stay fast.
const DEFAULT_LONG_POLL_CAP: Duration = Duration::from_secs(1);

/// A failure that the fake returns instead of handling a call, for reliability tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500. Note that teloxide sleeps about 10 s after any 5xx before reporting it.
    Http500,
    /// HTTP 429 with `parameters.retry_after`, which teloxide turns into `RequestError::RetryAfter`.
    TooManyRequests { retry_after: u32 },
    /// Close the connection without any response; the client sees a network error.
    DropConnection,
    /// HTTP 403 "Forbidden: bot was blocked by the user".
    Forbidden,
    /// HTTP 400 with `parameters.migrate_to_chat_id`: the group became a supergroup.
    MigrateTo { chat_id: i64 },
}

/// A user of the fake Telegram who can write to the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
    pub username: Option<String>,
}

impl TestUser {
    /// The `User` object as Telegram sends it.
    pub fn to_json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(lang) = &self.language_code {
            user["language_code"] = json!(lang);
        }
        if let Some(username) = &self.username {
            user["username"] = json!(username);
        }
        user
    }

    /// The private chat between this user and the bot; its id equals the user id, as in Telegram.
    pub fn private_chat(&self) -> Value {
        let mut chat = json!({"id": self.id, "type": "private", "first_name": self.first_name});
        if let Some(username) = &self.username {
            chat["username"] = json!(username);
        }
        chat
    }
}

/// A message the bot sent (sendMessage, sendDocument, sendPhoto), in its current (edited) state.
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub message_id: i64,
    pub chat_id: i64,
    /// The lowercased method that created it: `sendmessage`, `senddocument` or `sendphoto`.
    pub method: String,
    /// The text as the bot sent it (markup not stripped), or the caption of a file ("" if none).
    pub text: String,
    pub parse_mode: Option<String>,
    pub reply_markup: Option<Value>,
    /// How many times editMessageText / editMessageReplyMarkup changed this message.
    pub edits: usize,
    /// The uploaded file of a sendDocument / sendPhoto sent as multipart.
    pub file: Option<SentFile>,
}

/// A file the bot uploaded through multipart/form-data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFile {
    pub field: String,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl SentMessage {
    /// The inline keyboard flattened row by row into `(label, callback_data or url)` pairs.
    pub fn inline_buttons(&self) -> Vec<(String, String)> {
        let Some(rows) = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|button| {
                let label = button.get("text").and_then(Value::as_str).unwrap_or("");
                let data = ["callback_data", "url", "switch_inline_query"]
                    .iter()
                    .find_map(|key| button.get(*key).and_then(Value::as_str))
                    .unwrap_or("");
                (label.to_owned(), data.to_owned())
            })
            .collect()
    }

    /// The labels of a reply keyboard (`keyboard`), flattened row by row.
    pub fn keyboard_labels(&self) -> Vec<String> {
        let Some(rows) = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("keyboard"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|button| match button {
                Value::String(label) => Some(label.clone()),
                other => other.get("text").and_then(Value::as_str).map(str::to_owned),
            })
            .collect()
    }

    /// Whether the message asks the client to remove the reply keyboard.
    pub fn removes_keyboard(&self) -> bool {
        self.reply_markup
            .as_ref()
            .and_then(|m| m.get("remove_keyboard"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// One recorded API call.
#[derive(Debug, Clone)]
pub struct Call {
    /// The lowercased method name.
    pub method: String,
    /// The parameters merged from the query string and the body (JSON, form or multipart).
    pub body: Value,
    pub at: Instant,
    /// The injected fault this call was answered with, if any.
    pub fault: Option<Fault>,
}

#[derive(Debug, Default)]
struct FakeState {
    next_update_id: i64,
    /// Updates injected and not yet confirmed, oldest first.
    updates: VecDeque<(i64, Value)>,
    confirmed_offset: i64,
    /// Known chats by id, as the `Chat` JSON that messages carry.
    chats: HashMap<i64, Value>,
    /// Message ids are shared by the user and the bot within a chat, as in Telegram.
    next_message_id: HashMap<i64, i64>,
    /// Every message (the bot's and the injected users') by (chat id, message id).
    messages: HashMap<(i64, i64), Value>,
    /// The bot's messages in the order they were sent.
    sent: Vec<SentMessage>,
    calls: Vec<Call>,
    faults: HashMap<String, VecDeque<Fault>>,
    /// Faults for calls of a method addressed to one chat (`chat_id`), by (method, chat).
    chat_faults: HashMap<(String, i64), VecDeque<Fault>>,
    /// Every update ever injected, by id, so that a test can deliver one again.
    history: HashMap<i64, Value>,
    /// Files users sent (documents), by file id: their path for the download URL and
    /// their bytes.
    files: HashMap<String, (String, Vec<u8>)>,
    callback_answers: Vec<(String, Option<String>)>,
    send_times: HashMap<i64, Vec<Instant>>,
    next_callback_id: u64,
    /// The id of the getUpdates request currently being held, if any.
    active_poll: Option<u64>,
    next_poll_id: u64,
    /// Polls with an id below this were abandoned (their process was killed): when a newer poll
    /// pre-empts them, that is not counted as a conflict.
    abandoned_below: u64,
    conflicts: usize,
    long_poll_cap: Duration,
}

#[derive(Debug)]
struct Inner {
    token: String,
    addr: SocketAddr,
    state: Mutex<FakeState>,
    /// Fires (notify_waiters) after every change of `state`.
    changed: Notify,
}

/// A handle to a running fake Bot API; clones share the same server.
#[derive(Debug, Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn bot_user() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": "Rollcall Test",
        "username": BOT_USERNAME,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

/// UTF-16 length, the unit Telegram uses for entity offsets and lengths.
fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Text message entities for a text, as Telegram computes them for a bot command at the start.
fn command_entities(text: &str) -> Option<Value> {
    if !text.starts_with('/') {
        return None;
    }
    let command = text.split_whitespace().next().unwrap_or(text);
    Some(json!([{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]))
}

impl FakeTelegram {
    /// Binds 127.0.0.1 on a random port and serves the fake API from a task on the current runtime.
    pub async fn start(token: &str) -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Telegram listener");
        let addr = listener
            .local_addr()
            .expect("local address of the listener");
        let state = FakeState {
            next_update_id: 1,
            next_callback_id: 1,
            long_poll_cap: DEFAULT_LONG_POLL_CAP,
            ..FakeState::default()
        };
        let inner = Arc::new(Inner {
            token: token.to_owned(),
            addr,
            state: Mutex::new(state),
            changed: Notify::new(),
        });
        let app = Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(inner.clone());
        tokio::spawn(async move {
            // The server lives as long as the test's runtime; an error here means the runtime
            // is shutting down, which needs no report.
            let _ = axum::serve(listener, app).await;
        });
        FakeTelegram { inner }
    }

    /// The base URL to give the bot as `TELOXIDE_API_URL`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// The token the fake accepts.
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    fn state(&self) -> MutexGuard<'_, FakeState> {
        lock(&self.inner)
    }

    /// Runs `f` on the state and then wakes every waiter, since `f` may have changed something.
    fn mutate<R>(&self, f: impl FnOnce(&mut FakeState) -> R) -> R {
        let result = f(&mut self.state());
        self.inner.changed.notify_waiters();
        result
    }

    /// Sets how long a `getUpdates` with a timeout is held at most (default 1 s).
    pub fn set_long_poll_cap(&self, cap: Duration) {
        self.mutate(|s| s.long_poll_cap = cap);
    }

    // ----- Users and chats -----

    /// Creates a user and registers the private chat with the bot, so the bot may write to it.
    pub fn user(&self, id: i64, first_name: &str, language_code: Option<&str>) -> TestUser {
        let user = TestUser {
            id,
            first_name: first_name.to_owned(),
            language_code: language_code.map(str::to_owned),
            username: None,
        };
        self.mutate(|s| s.chats.insert(id, user.private_chat()));
        user
    }

    /// Registers a (basic) group chat; ids of groups are negative in Telegram.
    pub fn group(&self, chat_id: i64, title: &str) {
        self.mutate(|s| {
            s.chats.insert(
                chat_id,
                json!({"id": chat_id, "type": "group", "title": title}),
            )
        });
    }

    // ----- Injecting updates -----

    fn push_update(&self, kind: &str, payload: Value) -> i64 {
        self.mutate(|s| {
            let id = s.next_update_id;
            s.next_update_id += 1;
            let mut update = json!({"update_id": id});
            update[kind] = payload;
            s.history.insert(id, update.clone());
            s.updates.push_back((id, update));
            id
        })
    }

    fn user_message(&self, user: &TestUser, chat: Value, content: Map<String, Value>) -> i64 {
        let chat_id = chat["id"].as_i64().expect("chat JSON has an id");
        let message = self.mutate(|s| {
            s.chats.entry(chat_id).or_insert_with(|| chat.clone());
            let message_id = next_message_id(s, chat_id);
            let mut message = json!({
                "message_id": message_id,
                "date": unix_now(),
                "chat": chat,
                "from": user.to_json(),
            });
            if let Value::Object(fields) = &mut message {
                fields.extend(content);
            }
            s.messages.insert((chat_id, message_id), message.clone());
            message
        });
        self.push_update("message", message)
    }

    fn text_content(text: &str) -> Map<String, Value> {
        let mut content = Map::new();
        content.insert("text".into(), json!(text));
        if let Some(entities) = command_entities(text) {
            content.insert("entities".into(), entities);
        }
        content
    }

    /// Injects a text message from `user` in the private chat; returns the update id.
    pub fn send_text(&self, user: &TestUser, text: &str) -> i64 {
        self.user_message(user, user.private_chat(), Self::text_content(text))
    }

    /// Injects a text message from `user` in the private chat whose Telegram `date` (when
    /// it was sent) is `sent_unix`, for updates handled long after they were sent.
    pub fn send_text_sent_at(&self, user: &TestUser, text: &str, sent_unix: i64) -> i64 {
        let mut content = Self::text_content(text);
        content.insert("date".into(), json!(sent_unix));
        self.user_message(user, user.private_chat(), content)
    }

    /// Injects a text message from `user` in a group; returns the update id.
    pub fn send_text_in_group(&self, user: &TestUser, group_chat_id: i64, text: &str) -> i64 {
        let chat = self.state().chats.get(&group_chat_id).cloned().unwrap_or_else(
            || json!({"id": group_chat_id, "type": "group", "title": format!("Group {group_chat_id}")}),
        );
        self.user_message(user, chat, Self::text_content(text))
    }

    /// Injects a file (a document message) from `user` in the private chat, as Telegram
    /// delivers it: its id, name, MIME type and size; the bytes are served by `getFile`
    /// and the download URL. Returns the update id.
    pub fn send_document(&self, user: &TestUser, file_name: &str, bytes: &[u8]) -> i64 {
        self.send_document_sized(user, file_name, bytes, bytes.len() as u64)
    }

    /// As `send_document`, with `file_size` saying `declared_size` (which may lie, as a
    /// test of the bot's cap while reading).
    pub fn send_document_sized(
        &self,
        user: &TestUser,
        file_name: &str,
        bytes: &[u8],
        declared_size: u64,
    ) -> i64 {
        let file_id = self.mutate(|s| {
            let n = s.files.len() + 1;
            let file_id = format!("BQACAgIAAxkBAAFakeUpload{n}");
            s.files.insert(
                file_id.clone(),
                (format!("documents/file_{n}.docx"), bytes.to_vec()),
            );
            file_id
        });
        let mut content = Map::new();
        content.insert(
            "document".into(),
            json!({
                "file_id": file_id,
                "file_unique_id": format!("AgADFakeUpload{}", file_id.len()),
                "file_name": file_name,
                "mime_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "file_size": declared_size,
            }),
        );
        self.user_message(user, user.private_chat(), content)
    }

    /// Injects a sticker (a message without text) in the private chat; returns the update id.
    pub fn send_sticker(&self, user: &TestUser) -> i64 {
        let mut content = Map::new();
        content.insert(
            "sticker".into(),
            json!({
                "file_id": "CAACAgIAAxkBAAEFakeSticker",
                "file_unique_id": "AgADFakeSticker",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": false,
                "is_video": false,
                "emoji": "👍",
            }),
        );
        self.user_message(user, user.private_chat(), content)
    }

    /// Injects an `edited_message` update: the user changed the text of their message.
    pub fn edit_text(&self, user: &TestUser, message_id: i64, text: &str) -> i64 {
        let message = self.mutate(|s| {
            let chat_id = user.id;
            let mut message = s
                .messages
                .get(&(chat_id, message_id))
                .cloned()
                .unwrap_or_else(|| {
                    json!({
                        "message_id": message_id,
                        "date": unix_now(),
                        "chat": user.private_chat(),
                        "from": user.to_json(),
                    })
                });
            message["text"] = json!(text);
            message["edit_date"] = json!(unix_now());
            match command_entities(text) {
                Some(entities) => message["entities"] = entities,
                None => {
                    if let Value::Object(fields) = &mut message {
                        fields.remove("entities");
                    }
                }
            }
            s.messages.insert((chat_id, message_id), message.clone());
            message
        });
        self.push_update("edited_message", message)
    }

    /// Injects a `callback_query`: `user` pressed the button with `data` under the bot's message.
    pub fn press(&self, user: &TestUser, message: &SentMessage, data: &str) -> i64 {
        let query = self.mutate(|s| {
            let stored = s
                .messages
                .get(&(message.chat_id, message.message_id))
                .cloned()
                .expect("press: the fake has no such bot message");
            let id = format!("{}{:06}", user.id, s.next_callback_id);
            s.next_callback_id += 1;
            json!({
                "id": id,
                "from": user.to_json(),
                "message": stored,
                "chat_instance": format!("ci{}", message.chat_id),
                "data": data,
            })
        });
        self.push_update("callback_query", query)
    }

    // ----- Inspecting what the bot did -----

    /// Everything the bot sent to `chat_id`, oldest first, in its current (edited) state.
    pub fn messages_to(&self, chat_id: i64) -> Vec<SentMessage> {
        self.state()
            .sent
            .iter()
            .filter(|m| m.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// The request bodies of every call of `method` (case-insensitive), oldest first.
    pub fn calls(&self, method: &str) -> Vec<Value> {
        let method = method.to_ascii_lowercase();
        self.state()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .map(|c| c.body.clone())
            .collect()
    }

    /// The command menu Telegram would now hold for `scope` (`{"type": "all_private_chats"}`,
    /// `{"type": "chat", "chat_id": 7}`, ...) and `language_code` (`None`: the default),
    /// replaying every successful `setMyCommands` and `deleteMyCommands`: the command
    /// names and descriptions in order, or `None` when never set or deleted since.
    pub fn menu(
        &self,
        scope: &Value,
        language_code: Option<&str>,
    ) -> Option<Vec<(String, String)>> {
        let mut menu = None;
        for call in &self.state().calls {
            if call.fault.is_some() {
                continue;
            }
            let body = &call.body;
            // Without a scope Telegram means the default scope.
            let call_scope = match body.get("scope") {
                Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
                Some(value) => value.clone(),
                None => json!({"type": "default"}),
            };
            if call_scope != *scope
                || body.get("language_code").and_then(Value::as_str) != language_code
            {
                continue;
            }
            match call.method.as_str() {
                "setmycommands" => {
                    let commands = match body.get("commands") {
                        Some(Value::String(text)) => {
                            serde_json::from_str(text).unwrap_or(Value::Null)
                        }
                        Some(value) => value.clone(),
                        None => Value::Null,
                    };
                    menu = Some(
                        commands
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|c| {
                                (
                                    c["command"].as_str().unwrap_or("").to_owned(),
                                    c["description"].as_str().unwrap_or("").to_owned(),
                                )
                            })
                            .collect(),
                    );
                }
                "deletemycommands" => menu = None,
                _ => {}
            }
        }
        menu
    }

    /// Every recorded call, oldest first (including those answered with a fault or a 404).
    pub fn all_calls(&self) -> Vec<Call> {
        self.state().calls.clone()
    }

    /// Calls of methods the fake does not know; a test can assert this stays empty.
    pub fn unknown_calls(&self) -> Vec<Call> {
        self.state()
            .calls
            .iter()
            .filter(|c| !KNOWN_METHODS.contains(&c.method.as_str()))
            .cloned()
            .collect()
    }

    /// `(callback_query_id, text)` of every answerCallbackQuery, oldest first.
    pub fn callback_answers(&self) -> Vec<(String, Option<String>)> {
        self.state().callback_answers.clone()
    }

    /// Updates injected and not yet confirmed by a getUpdates offset.
    pub fn pending_updates(&self) -> usize {
        self.state().updates.len()
    }

    /// The highest offset a getUpdates has confirmed (0 before any).
    pub fn confirmed_offset(&self) -> i64 {
        self.state().confirmed_offset
    }

    /// How many getUpdates calls arrived so far.
    pub fn get_updates_count(&self) -> usize {
        self.state()
            .calls
            .iter()
            .filter(|c| c.method == "getupdates")
            .count()
    }

    /// Whether a getUpdates is being held right now (a long poll in progress).
    pub fn is_polling(&self) -> bool {
        self.state().active_poll.is_some()
    }

    /// How many getUpdates were terminated by a concurrent getUpdates (two live pollers).
    pub fn conflicts(&self) -> usize {
        self.state().conflicts
    }

    /// When each successful send (message, document, photo) to `chat_id` happened.
    pub fn send_times(&self, chat_id: i64) -> Vec<Instant> {
        self.state()
            .send_times
            .get(&chat_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Makes the next `times` calls of `method` (case-insensitive) fail with `kind`.
    pub fn fail_next(&self, method: &str, times: usize, kind: Fault) {
        let method = method.to_ascii_lowercase();
        self.mutate(|s| {
            s.faults
                .entry(method)
                .or_default()
                .extend(std::iter::repeat_n(kind, times))
        });
    }

    /// Makes the next `times` calls of `method` addressed to `chat_id` fail with `kind`; calls
    /// to other chats are served normally.
    pub fn fail_next_for_chat(&self, method: &str, chat_id: i64, times: usize, kind: Fault) {
        let key = (method.to_ascii_lowercase(), chat_id);
        self.mutate(|s| {
            s.chat_faults
                .entry(key)
                .or_default()
                .extend(std::iter::repeat_n(kind, times))
        });
    }

    /// Delivers an update again with the same `update_id`, as Telegram does when it did not
    /// see the acknowledgement (it is appended to the pending updates, whatever the offset).
    pub fn redeliver(&self, update_id: i64) {
        self.mutate(|s| {
            let update = s
                .history
                .get(&update_id)
                .cloned()
                .expect("redeliver: no such update was injected");
            s.updates.push_back((update_id, update));
        });
    }

    /// Takes every pending update out of the queue, oldest first, as Telegram does when it
    /// pushes updates to a webhook instead of holding them for getUpdates; the webhook
    /// tests post them to the bot themselves.
    pub fn take_updates(&self) -> Vec<(i64, Value)> {
        self.mutate(|s| s.updates.drain(..).collect())
    }

    /// Marks every getUpdates currently held as belonging to a dead process, so that the next
    /// poller pre-empting it is not counted as a conflict. The harness calls it after a kill.
    pub fn abandon_polls(&self) {
        self.mutate(|s| s.abandoned_below = s.next_poll_id);
    }

    // ----- Waiting -----

    /// Waits until `check` returns `Some`, re-checking after every state change; on timeout
    /// panics with `what` and a dump of the recent calls.
    pub async fn wait_until<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&FakeTelegram) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            // Registering before checking means a change between the check and the await is
            // not lost.
            notified.as_mut().enable();
            if let Some(value) = check(self) {
                return value;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                if let Some(value) = check(self) {
                    return value;
                }
                panic!(
                    "timed out after {timeout:?} waiting for {what}\n{}",
                    self.dump_calls(40)
                );
            }
        }
    }

    /// Waits until more than `after_count` messages went to `chat_id` and returns the next one
    /// (the one at index `after_count`).
    pub async fn wait_for_message(
        &self,
        chat_id: i64,
        after_count: usize,
        timeout: Duration,
    ) -> SentMessage {
        let what = format!("message #{} to chat {chat_id}", after_count + 1);
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(m) = self.messages_to(chat_id).into_iter().nth(after_count) {
                return m;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let messages = self.messages_to(chat_id);
                if let Some(m) = messages.get(after_count) {
                    return m.clone();
                }
                panic!(
                    "timed out after {timeout:?} waiting for {what}; the chat has {} message(s):\n{}\n{}",
                    messages.len(),
                    dump_messages(&messages),
                    self.dump_calls(20)
                );
            }
        }
    }

    /// Waits until more than `after_count` calls of `method` arrived and returns that call's body.
    pub async fn wait_for_call(
        &self,
        method: &str,
        after_count: usize,
        timeout: Duration,
    ) -> Value {
        let what = format!("call #{} of {method}", after_count + 1);
        self.wait_until(&what, timeout, |fake| {
            fake.calls(method).into_iter().nth(after_count)
        })
        .await
    }

    /// Waits until every update up to and including `update_id` is confirmed by an offset.
    pub async fn wait_until_confirmed(&self, update_id: i64, timeout: Duration) {
        let what = format!("confirmation of update {update_id}");
        self.wait_until(&what, timeout, |fake| {
            (fake.confirmed_offset() > update_id).then_some(())
        })
        .await
    }

    /// Waits (60 s at most) for a file whose name ends with `suffix` sent to `chat_id` after
    /// the first `after_count` messages, and returns it (reports send their files after the
    /// table). The bound is generous on purpose: the bot builds files on a thread at the
    /// lowest CPU priority, which a machine busy with other test binaries starves for
    /// seconds (a 10 s bound timed out under a parallel release build); it returns as soon
    /// as the file is there.
    pub async fn wait_for_file(
        &self,
        chat_id: i64,
        after_count: usize,
        suffix: &str,
    ) -> SentMessage {
        let suffix = suffix.to_owned();
        self.wait_until(
            &format!("a {suffix} file to chat {chat_id}"),
            Duration::from_secs(60),
            move |fake| {
                fake.messages_to(chat_id)
                    .into_iter()
                    .skip(after_count)
                    .find(|m| {
                        m.file
                            .as_ref()
                            .and_then(|f| f.file_name.as_deref())
                            .is_some_and(|name| name.ends_with(&suffix))
                    })
            },
        )
        .await
    }

    /// Sends `text` as `user` in the private chat and waits (10 s) for the bot's next message there.
    pub async fn send_and_wait(&self, user: &TestUser, text: &str) -> SentMessage {
        let before = self.messages_to(user.id).len();
        self.send_text(user, text);
        self.wait_for_message(user.id, before, Duration::from_secs(10))
            .await
    }

    /// Presses the inline button of `message` whose label (or else whose data) equals
    /// `label_or_data`, then waits (10 s) for the bot's next message in that chat.
    pub async fn press_and_wait(
        &self,
        user: &TestUser,
        message: &SentMessage,
        label_or_data: &str,
    ) -> SentMessage {
        // The stored message may have been edited since the snapshot, so use its current keyboard.
        let current = self
            .messages_to(message.chat_id)
            .into_iter()
            .find(|m| m.message_id == message.message_id)
            .unwrap_or_else(|| message.clone());
        let buttons = current.inline_buttons();
        let data = buttons
            .iter()
            .find(|(label, _)| label == label_or_data)
            .or_else(|| buttons.iter().find(|(_, data)| data == label_or_data))
            .map(|(_, data)| data.clone())
            .unwrap_or_else(|| {
                panic!(
                    "no button {label_or_data:?} under message {} in chat {}; buttons: {buttons:?}",
                    message.message_id, message.chat_id
                )
            });
        let before = self.messages_to(message.chat_id).len();
        self.press(user, &current, &data);
        self.wait_for_message(message.chat_id, before, Duration::from_secs(10))
            .await
    }

    /// A readable list of the last `n` calls, for failure messages.
    pub fn dump_calls(&self, n: usize) -> String {
        let state = self.state();
        let skip = state.calls.len().saturating_sub(n);
        let mut out = format!(
            "last {} of {} API calls:\n",
            state.calls.len() - skip,
            state.calls.len()
        );
        for call in state.calls.iter().skip(skip) {
            let mut body = call.body.to_string();
            if body.len() > 300 {
                let cut = (0..=300)
                    .rev()
                    .find(|i| body.is_char_boundary(*i))
                    .unwrap_or(0);
                body.truncate(cut);
                body.push('…');
            }
            let fault = call
                .fault
                .map(|f| format!(" [fault {f:?}]"))
                .unwrap_or_default();
            out.push_str(&format!("  {}{fault} {body}\n", call.method));
        }
        out
    }
}

/// A readable list of messages, for failure messages.
pub fn dump_messages(messages: &[SentMessage]) -> String {
    let mut out = String::new();
    for m in messages {
        out.push_str(&format!(
            "  #{} ({}, parse_mode {:?}, {} edit(s)): {:?}\n",
            m.message_id, m.method, m.parse_mode, m.edits, m.text
        ));
        let buttons = m.inline_buttons();
        if !buttons.is_empty() {
            out.push_str(&format!("      inline buttons: {buttons:?}\n"));
        }
        let labels = m.keyboard_labels();
        if !labels.is_empty() {
            out.push_str(&format!("      keyboard: {labels:?}\n"));
        }
    }
    out
}

fn lock(inner: &Inner) -> MutexGuard<'_, FakeState> {
    // A panicking test thread must not make every later inspection panic too.
    inner
        .state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn next_message_id(s: &mut FakeState, chat_id: i64) -> i64 {
    let next = s.next_message_id.entry(chat_id).or_insert(1);
    let id = *next;
    *next += 1;
    id
}

// ===== The HTTP side =====

const KNOWN_METHODS: &[&str] = &[
    "getme",
    "getupdates",
    "sendmessage",
    "editmessagetext",
    "editmessagereplymarkup",
    "answercallbackquery",
    "setmycommands",
    "deletemycommands",
    "setmydescription",
    "setmyshortdescription",
    "deletewebhook",
    "getwebhookinfo",
    "setwebhook",
    "senddocument",
    "sendphoto",
    "getfile",
    // Not a method: a GET of `/file/bot<token>/<file_path>`, recorded like one.
    "download",
];

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn error(code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        Json(json!({"ok": false, "error_code": code, "description": description})),
    )
        .into_response()
}

/// The description of a 400 answer, without the "Bad Request: " prefix.
type Rejection = String;

fn bad_request(description: &str) -> Response {
    error(400, &format!("Bad Request: {description}"))
}

/// The parameters of one request, and the files of a multipart request.
struct Params {
    fields: Map<String, Value>,
    files: Vec<SentFile>,
}

impl Params {
    fn str(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// An integer that may arrive as a JSON number or as a string (form and multipart bodies).
    fn i64(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A JSON object that may arrive as an object or as a JSON string (form and multipart).
    fn object(&self, key: &str) -> Option<Value> {
        match self.fields.get(key)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            Value::Null => None,
            other => Some(other.clone()),
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_urlencoded(s: &str, fields: &mut Map<String, Value>) {
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        fields.insert(percent_decode(key), Value::String(percent_decode(value)));
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A small multipart/form-data parser: text parts become string fields, parts with a filename
/// become files (and a `{"file_name", "len"}` field so that `calls()` shows them).
fn parse_multipart(body: &[u8], boundary: &str, params: &mut Params) {
    let delimiter = format!("--{boundary}");
    let mut pos = match find(body, delimiter.as_bytes(), 0) {
        Some(p) => p + delimiter.len(),
        None => return,
    };
    loop {
        // After a delimiter comes either "--" (the end) or CRLF and the part's headers.
        if body[pos..].starts_with(b"--") {
            return;
        }
        let Some(headers_end) = find(body, b"\r\n\r\n", pos) else {
            return;
        };
        let headers = String::from_utf8_lossy(&body[pos..headers_end]).into_owned();
        let content_start = headers_end + 4;
        let next =
            find(body, format!("\r\n{delimiter}").as_bytes(), content_start).unwrap_or(body.len());
        let content = &body[content_start..next];
        let attr = |name: &str| -> Option<String> {
            let key = format!("{name}=\"");
            let lower = headers.to_ascii_lowercase();
            let start = lower
                .match_indices(&key)
                .find(|(i, _)| {
                    // "name=" must not match the tail of "filename=".
                    *i == 0 || !headers.as_bytes()[i - 1].is_ascii_alphabetic()
                })?
                .0
                + key.len();
            let end = headers[start..].find('"')? + start;
            Some(headers[start..end].to_owned())
        };
        if let Some(name) = attr("name") {
            match attr("filename") {
                Some(file_name) => {
                    params.fields.insert(
                        name.clone(),
                        json!({"file_name": file_name, "len": content.len()}),
                    );
                    params.files.push(SentFile {
                        field: name,
                        file_name: Some(file_name),
                        bytes: content.to_vec(),
                    });
                }
                None => {
                    params.fields.insert(
                        name,
                        Value::String(String::from_utf8_lossy(content).into_owned()),
                    );
                }
            }
        }
        if next >= body.len() {
            return;
        }
        pos = next + 2 + delimiter.len();
    }
}

fn parse_params(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Params {
    let mut params = Params {
        fields: Map::new(),
        files: Vec::new(),
    };
    if let Some(query) = uri.query() {
        parse_urlencoded(query, &mut params.fields);
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let raw = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some(boundary) = raw.split(';').find_map(|p| {
            p.trim()
                .strip_prefix("boundary=")
                .map(|b| b.trim_matches('"').to_owned())
        }) {
            parse_multipart(body, &boundary, &mut params);
        }
        params.fields.insert("_raw_len".into(), json!(body.len()));
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        parse_urlencoded(&String::from_utf8_lossy(body), &mut params.fields);
    } else if !body.is_empty() {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => params.fields.extend(fields),
            _ => {
                params.fields.insert("_raw_len".into(), json!(body.len()));
            }
        }
    }
    params
}

async fn handle(
    AxumState(inner): AxumState<Arc<Inner>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(rest) = uri.path().strip_prefix("/file/bot") {
        return download(&inner, rest);
    }
    let Some((token, method)) = uri
        .path()
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return error(404, "Not Found");
    };
    if token != inner.token {
        return error(401, "Unauthorized");
    }
    let method = method.trim_end_matches('/').to_ascii_lowercase();
    let params = parse_params(&uri, &headers, &body);

    let fault = {
        let mut s = lock(&inner);
        let fault = s
            .faults
            .get_mut(&method)
            .and_then(VecDeque::pop_front)
            .or_else(|| {
                let chat = params.i64("chat_id")?;
                s.chat_faults
                    .get_mut(&(method.clone(), chat))
                    .and_then(VecDeque::pop_front)
            });
        s.calls.push(Call {
            method: method.clone(),
            body: Value::Object(params.fields.clone()),
            at: Instant::now(),
            fault,
        });
        fault
    };
    inner.changed.notify_waiters();

    if let Some(fault) = fault {
        return match fault {
            Fault::Http500 => error(500, "Internal Server Error"),
            Fault::TooManyRequests { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({
                    "ok": false,
                    "error_code": 429,
                    "description": format!("Too Many Requests: retry after {retry_after}"),
                    "parameters": {"retry_after": retry_after},
                })),
            )
                .into_response(),
            Fault::Forbidden => error(403, "Forbidden: bot was blocked by the user"),
            Fault::MigrateTo { chat_id } => (
                StatusCode::BAD_REQUEST,
                Json(json!({
                    "ok": false,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": chat_id},
                })),
            )
                .into_response(),
            Fault::DropConnection => {
                // Unwinding out of the handler ends hyper's connection task, which closes the
                // socket without writing a response. `resume_unwind` skips the panic hook, so
                // nothing is printed; no lock is held here, so nothing is poisoned.
                std::panic::resume_unwind(Box::new("fake Telegram: dropping the connection"))
            }
        };
    }

    let response = match method.as_str() {
        "getme" => ok(bot_user()),
        "getupdates" => get_updates(&inner, &params).await,
        "sendmessage" | "senddocument" | "sendphoto" => send(&inner, &method, &params),
        "editmessagetext" | "editmessagereplymarkup" => edit(&inner, &method, &params),
        "answercallbackquery" => {
            let id = params.str("callback_query_id").unwrap_or("").to_owned();
            let text = params.str("text").map(str::to_owned);
            lock(&inner).callback_answers.push((id, text));
            ok(json!(true))
        }
        "setmycommands"
        | "deletemycommands"
        | "setmydescription"
        | "setmyshortdescription"
        | "deletewebhook"
        | "setwebhook" => ok(json!(true)),
        "getfile" => get_file(&inner, &params),
        "getwebhookinfo" => ok(json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": lock(&inner).updates.len(),
        })),
        _ => error(404, "Not Found: method not found"),
    };
    inner.changed.notify_waiters();
    response
}

/// `getFile`: the file's path for the download URL, as Telegram answers it.
fn get_file(inner: &Inner, params: &Params) -> Response {
    let file_id = params.str("file_id").unwrap_or("");
    let s = lock(inner);
    match s.files.get(file_id) {
        Some((path, bytes)) => ok(json!({
            "file_id": file_id,
            "file_unique_id": format!("AgADFakeUpload{}", file_id.len()),
            "file_size": bytes.len(),
            "file_path": path,
        })),
        None => bad_request("invalid file_id"),
    }
}

/// `GET /file/bot<token>/<file_path>`: the file's bytes (recorded as a `download` call).
fn download(inner: &Inner, rest: &str) -> Response {
    let Some((token, path)) = rest.split_once('/') else {
        return error(404, "Not Found");
    };
    let found = {
        let mut s = lock(inner);
        s.calls.push(Call {
            method: "download".to_owned(),
            body: json!({"file_path": path}),
            at: Instant::now(),
            fault: None,
        });
        s.files
            .values()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| bytes.clone())
    };
    inner.changed.notify_waiters();
    if token != inner.token {
        return error(401, "Unauthorized");
    }
    match found {
        Some(bytes) => (
            StatusCode::OK,
            [("content-type", "application/octet-stream")],
            bytes,
        )
            .into_response(),
        None => error(404, "Not Found"),
    }
}

/// Clears the active poll marker when a getUpdates ends, however it ends (even if hyper drops
/// the handler because the client went away).
struct PollGuard<'a> {
    inner: &'a Inner,
    id: u64,
}

impl Drop for PollGuard<'_> {
    fn drop(&mut self) {
        let mut s = lock(self.inner);
        if s.active_poll == Some(self.id) {
            s.active_poll = None;
        }
    }
}

async fn get_updates(inner: &Inner, params: &Params) -> Response {
    let limit = params.i64("limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout_secs = params.i64("timeout").unwrap_or(0).max(0) as u64;
    let offset = params.i64("offset").unwrap_or(0);

    let (poll_id, deadline) = {
        let mut s = lock(inner);
        // Confirming: updates below a positive offset are forgotten for good; a negative offset
        // keeps only the last -offset updates, as Telegram documents.
        if offset > 0 {
            s.updates.retain(|(id, _)| *id >= offset);
            s.confirmed_offset = s.confirmed_offset.max(offset);
        } else if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            while s.updates.len() > keep {
                if let Some((id, _)) = s.updates.pop_front() {
                    s.confirmed_offset = s.confirmed_offset.max(id + 1);
                }
            }
        }
        // Real Telegram terminates the older request with 409 when a newer one arrives, which
        // surfaces two processes polling with the same token.
        let poll_id = s.next_poll_id;
        s.next_poll_id += 1;
        if let Some(previous) = s.active_poll {
            if previous >= s.abandoned_below {
                s.conflicts += 1;
            }
        }
        s.active_poll = Some(poll_id);
        let hold = Duration::from_secs(timeout_secs).min(s.long_poll_cap);
        (poll_id, tokio::time::Instant::now() + hold)
    };
    inner.changed.notify_waiters();
    let _guard = PollGuard { inner, id: poll_id };

    loop {
        let notified = inner.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let s = lock(inner);
            if s.active_poll != Some(poll_id) {
                return error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                );
            }
            if !s.updates.is_empty() || tokio::time::Instant::now() >= deadline {
                let batch: Vec<Value> = s
                    .updates
                    .iter()
                    .take(limit)
                    .map(|(_, u)| u.clone())
                    .collect();
                return ok(Value::Array(batch));
            }
        }
        // A timeout here just loops once more to answer with the (empty) batch.
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

fn chat_id_of(s: &FakeState, params: &Params) -> Result<i64, Rejection> {
    let chat_id = params
        .i64("chat_id")
        .ok_or_else(|| "chat not found".to_owned())?;
    if s.chats.contains_key(&chat_id) {
        Ok(chat_id)
    } else {
        Err("chat not found".to_owned())
    }
}

/// Checks what Telegram checks in a text with its parse mode and returns the visible text.
fn check_text(text: &str, parse_mode: Option<&str>, limit: usize) -> Result<String, Rejection> {
    let visible = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        Some("html") => check_html(text).map_err(|e| format!("can't parse entities: {e}"))?,
        _ => text.to_owned(),
    };
    if visible.trim().is_empty() {
        return Err("message text is empty".to_owned());
    }
    if visible.chars().count() > limit {
        return Err("message is too long".to_owned());
    }
    Ok(visible)
}

/// Telegram's HTML subset: known tags only, properly nested; a bare `<` is an error (the usual
/// bug is an unescaped name). Returns the text without tags and with entities decoded.
fn check_html(text: &str) -> Result<String, String> {
    const TAGS: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ];
    let mut stack: Vec<String> = Vec::new();
    let mut visible = String::new();
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        visible.push_str(&rest[..lt]);
        let offset = text.len() - rest.len() + lt;
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            return Err(format!("Unclosed start tag at byte offset {offset}"));
        };
        let tag = &after[..gt];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            match stack.pop() {
                Some(open) if open == name => {}
                _ => return Err(format!("Unexpected end tag at byte offset {offset}")),
            }
        } else {
            let name = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !TAGS.contains(&name.as_str()) {
                return Err(format!(
                    "Unsupported start tag \"{name}\" at byte offset {offset}"
                ));
            }
            stack.push(name);
        }
        rest = &after[gt + 1..];
    }
    visible.push_str(rest);
    if let Some(open) = stack.pop() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{open}\""
        ));
    }
    Ok(visible
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&"))
}

/// Telegram rejects callback data outside 1–64 bytes.
fn check_markup(markup: &Option<Value>) -> Result<(), Rejection> {
    let Some(rows) = markup
        .as_ref()
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array)
    else {
        return Ok(());
    };
    for button in rows.iter().filter_map(Value::as_array).flatten() {
        if let Some(data) = button.get("callback_data").and_then(Value::as_str) {
            if data.is_empty() || data.len() > 64 {
                return Err("BUTTON_DATA_INVALID".to_owned());
            }
        }
    }
    Ok(())
}

/// The reply_markup Telegram echoes in a returned Message: only inline keyboards.
fn echoed_markup(markup: &Option<Value>) -> Option<Value> {
    markup
        .as_ref()
        .filter(|m| m.get("inline_keyboard").is_some())
        .cloned()
}

fn send(inner: &Inner, method: &str, params: &Params) -> Response {
    let mut s = lock(inner);
    let chat_id = match chat_id_of(&s, params) {
        Ok(id) => id,
        Err(rejection) => return bad_request(&rejection),
    };
    let parse_mode = params.str("parse_mode").map(str::to_owned);
    let reply_markup = params.object("reply_markup");
    if let Err(rejection) = check_markup(&reply_markup) {
        return bad_request(&rejection);
    }
    let (text, visible_key, visible, file) = if method == "sendmessage" {
        let text = params.str("text").unwrap_or("").to_owned();
        let visible = match check_text(&text, parse_mode.as_deref(), 4096) {
            Ok(v) => v,
            Err(rejection) => return bad_request(&rejection),
        };
        (text, "text", Some(visible), None)
    } else {
        let field = if method == "senddocument" {
            "document"
        } else {
            "photo"
        };
        let caption = params.str("caption").unwrap_or("").to_owned();
        let visible = if caption.is_empty() {
            None
        } else {
            match check_text(&caption, parse_mode.as_deref(), 1024) {
                Ok(v) => Some(v),
                Err(rejection) => return bad_request(&rejection),
            }
        };
        let file = params
            .files
            .iter()
            .find(|f| f.field == field)
            .or_else(|| params.files.first())
            .cloned();
        (caption, "caption", visible, file)
    };

    let message_id = next_message_id(&mut s, chat_id);
    let mut message = json!({
        "message_id": message_id,
        "date": unix_now(),
        "chat": s.chats[&chat_id].clone(),
        "from": bot_user(),
    });
    if let Some(visible) = visible {
        message[visible_key] = json!(visible);
    }
    match method {
        "senddocument" => {
            let file_name = file
                .as_ref()
                .and_then(|f| f.file_name.clone())
                .unwrap_or_else(|| "document".into());
            message["document"] = json!({
                "file_id": format!("BQACAgIAAxkDFakeDoc{chat_id}_{message_id}"),
                "file_unique_id": format!("AgADFakeDoc{message_id}"),
                "file_name": file_name,
                "file_size": file.as_ref().map(|f| f.bytes.len()).unwrap_or(0),
            });
        }
        "sendphoto" => {
            message["photo"] = json!([{
                "file_id": format!("AgACAgIAAxkDFakePhoto{chat_id}_{message_id}"),
                "file_unique_id": format!("AgADFakePhoto{message_id}"),
                "width": 640,
                "height": 480,
                "file_size": file.as_ref().map(|f| f.bytes.len()).unwrap_or(0),
            }]);
        }
        _ => {}
    }
    if let Some(markup) = echoed_markup(&reply_markup) {
        message["reply_markup"] = markup;
    }
    s.messages.insert((chat_id, message_id), message.clone());
    s.sent.push(SentMessage {
        message_id,
        chat_id,
        method: method.to_owned(),
        text,
        parse_mode,
        reply_markup,
        edits: 0,
        file,
    });
    s.send_times
        .entry(chat_id)
        .or_default()
        .push(Instant::now());
    ok(message)
}

fn edit(inner: &Inner, method: &str, params: &Params) -> Response {
    let mut s = lock(inner);
    if params.str("inline_message_id").is_some() {
        // Inline messages are not stored; Telegram answers `true` for them.
        return ok(json!(true));
    }
    let chat_id = match chat_id_of(&s, params) {
        Ok(id) => id,
        Err(rejection) => return bad_request(&rejection),
    };
    let Some(message_id) = params.i64("message_id") else {
        return bad_request("message identifier is not specified");
    };
    let Some(index) = s
        .sent
        .iter()
        .position(|m| m.chat_id == chat_id && m.message_id == message_id)
    else {
        return bad_request("message to edit not found");
    };
    let reply_markup = params.object("reply_markup");
    if let Err(rejection) = check_markup(&reply_markup) {
        return bad_request(&rejection);
    }
    let mut updated = s.sent[index].clone();
    let mut message = s.messages[&(chat_id, message_id)].clone();
    if method == "editmessagetext" {
        let text = params.str("text").unwrap_or("").to_owned();
        let parse_mode = params.str("parse_mode").map(str::to_owned);
        let visible = match check_text(&text, parse_mode.as_deref(), 4096) {
            Ok(v) => v,
            Err(rejection) => return bad_request(&rejection),
        };
        updated.text = text;
        updated.parse_mode = parse_mode;
        message["text"] = json!(visible);
    }
    // Telegram keeps an inline keyboard only if the edit repeats it: omitting reply_markup
    // removes it, for both edit methods.
    updated.reply_markup = reply_markup.clone();
    match echoed_markup(&reply_markup) {
        Some(markup) => message["reply_markup"] = markup,
        None => {
            if let Value::Object(fields) = &mut message {
                fields.remove("reply_markup");
            }
        }
    }
    let old = &s.sent[index];
    let old_markup = echoed_markup(&old.reply_markup);
    if updated.text == old.text
        && updated.parse_mode == old.parse_mode
        && echoed_markup(&updated.reply_markup) == old_markup
    {
        return bad_request(
            "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
    }
    updated.edits += 1;
    message["edit_date"] = json!(unix_now());
    s.sent[index] = updated;
    s.messages.insert((chat_id, message_id), message.clone());
    ok(message)
}
