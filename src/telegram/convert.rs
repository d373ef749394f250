//! Telegram updates to engine events: the only place that reads teloxide's update types.

use crate::dialog::{Input, Sender};
use crate::document::{Upload, UploadContent};
use crate::runtime::{Callback, Event};
use teloxide_core::types::{Message, Update, UpdateKind, User};

/// A file sent to the bot in a private chat: what is needed to decide whether to fetch
/// it, and to fetch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFile {
    /// The sender (in a private chat, also the chat).
    pub user: i64,
    /// Telegram's id of the file, for `getFile`.
    pub file_id: String,
    /// The name the sender's app gave it ("document" when none).
    pub file_name: String,
    /// Its size in bytes as Telegram gives it; `None` when Telegram did not say.
    pub size: Option<u64>,
}

/// The event an update means, or `None` for updates the bot ignores on purpose
/// (edited messages, channel posts, membership changes, commands for other bots).
pub fn event_from_update(update: &Update, bot_username: &str) -> Option<Event> {
    match &update.kind {
        UpdateKind::Message(message) => message_event(message, bot_username),
        UpdateKind::CallbackQuery(query) => {
            let chat = query
                .message
                .as_ref()
                .map_or(query.from.id.0 as i64, |m| m.chat().id.0);
            let private = query.message.as_ref().is_none_or(|m| m.chat().is_private());
            Some(Event {
                chat,
                sender: sender(&query.from, chat, private),
                input: Input::Button {
                    data: query.data.clone().unwrap_or_default(),
                },
                callback: Some(Callback {
                    id: query.id.0.clone(),
                    message_id: query.message.as_ref().map(|m| m.id().0),
                }),
                sent_at: None,
            })
        }
        // An edited message would change an answer already taken; the dialog moves
        // forward only, so edits are ignored (the user can still use Edit in the summary).
        _ => None,
    }
}

fn message_event(message: &Message, bot_username: &str) -> Option<Event> {
    let from = message.from.as_ref()?;
    if from.is_bot {
        return None;
    }
    let private = message.chat.is_private();
    let input = match message.text() {
        Some(text) if text.starts_with('/') => command(text, bot_username)?,
        Some(text) => Input::Text(text.to_owned()),
        // A file: the processor fetches and reads it before the step where it may be used
        // (`download.rs`); until then it is a file not fetched.
        None => match message.document() {
            Some(document) => Input::Document(Upload {
                file_name: file_name(document.file_name.as_deref()),
                content: UploadContent::NotFetched,
            }),
            None => Input::NotText,
        },
    };
    Some(Event {
        chat: message.chat.id.0,
        sender: sender(from, message.chat.id.0, private),
        input,
        callback: None,
        sent_at: Some(message.date),
    })
}

/// The file a private-chat message from a person carries, if any.
pub fn incoming_file(update: &Update) -> Option<IncomingFile> {
    let UpdateKind::Message(message) = &update.kind else {
        return None;
    };
    let from = message.from.as_ref().filter(|from| !from.is_bot)?;
    if !message.chat.is_private() {
        return None;
    }
    let document = message.document()?;
    // teloxide reads a missing `file_size` as `u32::MAX`: unknown, capped while reading.
    let size = Some(document.file.size)
        .filter(|&size| size != u32::MAX)
        .map(u64::from);
    Some(IncomingFile {
        user: from.id.0 as i64,
        file_id: document.file.id.0.clone(),
        file_name: file_name(document.file_name.as_deref()),
        size,
    })
}

fn file_name(name: Option<&str>) -> String {
    name.filter(|n| !n.trim().is_empty())
        .unwrap_or("document")
        .to_owned()
}

/// `/name@bot args` → command input; `None` when addressed to another bot.
fn command(text: &str, bot_username: &str) -> Option<Input> {
    let (head, args) = text[1..]
        .split_once(char::is_whitespace)
        .unwrap_or((&text[1..], ""));
    let (name, addressee) = head.split_once('@').unwrap_or((head, ""));
    if !addressee.is_empty() && !addressee.eq_ignore_ascii_case(bot_username) {
        return None;
    }
    Some(Input::Command {
        name: name.to_lowercase(),
        args: args.trim().to_owned(),
    })
}

fn sender(user: &User, chat: i64, private: bool) -> Sender {
    Sender {
        user: user.id.0 as i64,
        chat,
        name: user.first_name.clone(),
        language_hint: user.language_code.clone(),
        private,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_for_other_bots_are_ignored() {
        assert_eq!(command("/report@other_bot 2020", "rollcall_bot"), None);
        assert_eq!(
            command("/Report@Rollcall_Bot  2020 ", "rollcall_bot"),
            Some(Input::Command {
                name: "report".to_owned(),
                args: "2020".to_owned()
            })
        );
        assert_eq!(
            command("/log", "rollcall_bot"),
            Some(Input::Command {
                name: "log".to_owned(),
                args: String::new()
            })
        );
    }
}
