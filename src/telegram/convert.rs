//! Telegram updates to engine events: the only place that reads teloxide's update types.

use crate::dialog::import::FileRef;
use crate::dialog::{Input, Sender};
use crate::runtime::{Callback, Event};
use teloxide_core::types::{Message, Update, UpdateKind, User};

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
    let input = match (message.text(), message.document()) {
        (Some(text), _) if text.starts_with('/') => command(text, bot_username)?,
        (Some(text), _) => Input::Text(text.to_owned()),
        (None, Some(document)) => Input::Document(FileRef {
            id: document.file.id.0.clone(),
            name: document.file_name.clone(),
            // teloxide reads a missing size as u32::MAX: unknown, not 4 GB.
            size: Some(u64::from(document.file.size)).filter(|size| *size != u64::from(u32::MAX)),
            mime: document.mime_type.as_ref().map(ToString::to_string),
        }),
        (None, None) => Input::NotText,
    };
    Some(Event {
        chat: message.chat.id.0,
        sender: sender(from, message.chat.id.0, private),
        input,
        callback: None,
        sent_at: Some(message.date),
    })
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
