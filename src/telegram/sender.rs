//! The outbox sender: delivers queued Bot API calls in order and removes each one only
//! after Telegram accepted it (or refused it for good).

use super::blocking::{read, write};
use crate::dialog::Keyboard;
use crate::outgoing::{OutOp, Outgoing};
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;
use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageReplyMarkupSetters, SendMessageSetters,
};
use teloxide::prelude::Requester;
use teloxide::types::{
    CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
    KeyboardMarkup, MessageId, ParseMode, ReplyMarkup,
};
use teloxide::{ApiError, Bot, RequestError};
use tokio::sync::{watch, Notify};

/// How a delivery attempt ended.
enum Delivery {
    /// Accepted: remove the row.
    Sent,
    /// Refused for good (blocked by the user, chat gone): log and remove the row.
    GaveUp(String),
    /// Try again after this pause, keeping the row.
    Retry(Duration, String),
    /// The group became a supergroup: send to the new chat id instead.
    Moved(i64),
}

/// Attempts an unknown API error gets before the row is given up.
const MAX_UNKNOWN_ATTEMPTS: u32 = 5;

/// Sends until `stop`; then sends what is queued (until an error) and returns.
pub async fn run(bot: Bot, store: Store, outbox_ready: Arc<Notify>, stop: watch::Receiver<bool>) {
    let mut failures = 0u32;
    loop {
        let queued = match read(&store, |tx| tx.outbox(100)).await {
            Ok(queued) => queued,
            Err(error) => {
                tracing::error!(%error, "cannot read the outbox");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if queued.is_empty() {
            if *stop.borrow() {
                return;
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), outbox_ready.notified()).await;
            continue;
        }
        let mut done = Vec::new();
        let mut pause = None;
        for (seq, message) in queued {
            match deliver(&bot, &message).await {
                Delivery::Sent => {
                    failures = 0;
                    done.push((seq, None));
                }
                Delivery::GaveUp(reason) => {
                    tracing::warn!(chat = message.chat, seq, reason, "message given up");
                    failures = 0;
                    done.push((seq, None));
                }
                Delivery::Moved(new_chat) => {
                    tracing::info!(chat = message.chat, new_chat, "group moved to a supergroup");
                    done.push((
                        seq,
                        Some(Outgoing {
                            chat: new_chat,
                            ..message
                        }),
                    ));
                }
                Delivery::Retry(after, reason) => {
                    failures += 1;
                    if failures >= MAX_UNKNOWN_ATTEMPTS && after.is_zero() {
                        tracing::warn!(
                            chat = message.chat,
                            seq,
                            reason,
                            "message given up after retries"
                        );
                        failures = 0;
                        done.push((seq, None));
                    } else {
                        tracing::warn!(
                            chat = message.chat,
                            seq,
                            reason,
                            "delivery failed; will retry"
                        );
                        pause = Some(if after.is_zero() {
                            backoff(failures)
                        } else {
                            after
                        });
                    }
                    break;
                }
            }
        }
        if !done.is_empty() {
            let removed = write(&store, move |tx| {
                for (seq, replacement) in &done {
                    tx.remove_outgoing(*seq)?;
                    if let Some(message) = replacement {
                        tx.push_outgoing(message)?;
                    }
                }
                Ok(())
            })
            .await;
            if let Err(error) = removed {
                tracing::error!(%error, "cannot remove sent messages from the outbox");
            }
        }
        if let Some(pause) = pause {
            if *stop.borrow() {
                // Stopping: what is still queued is sent after the next start.
                return;
            }
            tokio::time::sleep(pause).await;
        }
    }
}

fn backoff(failures: u32) -> Duration {
    Duration::from_millis(500 * 2u64.pow(failures.min(6)))
}

async fn deliver(bot: &Bot, message: &Outgoing) -> Delivery {
    let chat = ChatId(message.chat);
    let result = match &message.op {
        OutOp::Message { html, keyboard } => {
            let mut request = bot
                .send_message(chat, html.clone())
                .parse_mode(ParseMode::Html);
            if let Some(keyboard) = keyboard {
                request = request.reply_markup(markup(keyboard));
            }
            request.await.map(drop)
        }
        OutOp::AnswerButton {
            callback_id,
            notice,
        } => {
            let mut request = bot.answer_callback_query(CallbackQueryId(callback_id.clone()));
            if let Some(notice) = notice {
                request = request.text(notice.clone());
            }
            request.await.map(drop)
        }
        OutOp::CloseButtons { message_id } => bot
            .edit_message_reply_markup(chat, MessageId(*message_id))
            .reply_markup(InlineKeyboardMarkup::default())
            .await
            .map(drop),
    };
    match result {
        Ok(()) => Delivery::Sent,
        Err(RequestError::RetryAfter(seconds)) => Delivery::Retry(
            seconds.duration().max(Duration::from_millis(100)),
            "429".to_owned(),
        ),
        Err(RequestError::MigrateToChatId(new_chat)) => Delivery::Moved(new_chat.0),
        Err(RequestError::Network(error)) => Delivery::Retry(Duration::ZERO, error.to_string()),
        Err(RequestError::Io(error)) => Delivery::Retry(Duration::ZERO, error.to_string()),
        Err(RequestError::Api(ApiError::Unknown(description))) => {
            // Server errors (5xx) and errors this teloxide does not name land here.
            Delivery::Retry(Duration::ZERO, description)
        }
        Err(RequestError::Api(error)) => Delivery::GaveUp(error.to_string()),
        Err(error) => Delivery::Retry(Duration::ZERO, error.to_string()),
    }
}

fn markup(keyboard: &Keyboard) -> ReplyMarkup {
    match keyboard {
        Keyboard::Inline(rows) => {
            ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new(rows.iter().map(|row| {
                row.iter()
                    .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
                    .collect::<Vec<_>>()
            })))
        }
        Keyboard::Links(rows) => {
            ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new(rows.iter().map(|row| {
                row.iter()
                    .filter_map(|b| {
                        // A malformed URL would make Telegram refuse the whole message;
                        // the button is dropped instead (the URLs are built by the bot).
                        let url = b.url.parse().ok()?;
                        Some(InlineKeyboardButton::url(b.label.clone(), url))
                    })
                    .collect::<Vec<_>>()
            })))
        }
        Keyboard::Persistent(rows) => ReplyMarkup::Keyboard(
            KeyboardMarkup::new(rows.iter().map(|row| {
                row.iter()
                    .map(|l| KeyboardButton::new(l.clone()))
                    .collect::<Vec<_>>()
            }))
            .resize_keyboard()
            .persistent(),
        ),
    }
}
