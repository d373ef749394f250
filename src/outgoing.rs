//! Messages waiting to be sent to Telegram: what the outbox stores and the sender delivers.

use crate::dialog::{Keyboard, Reply};
use crate::domain::ChatId;
use serde::{Deserialize, Serialize};

/// One Bot API call to make, addressed to a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub chat: ChatId,
    pub op: OutOp,
}

/// The kinds of Bot API calls the bot makes on behalf of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutOp {
    /// `sendMessage` with HTML formatting.
    Message {
        html: String,
        keyboard: Option<Keyboard>,
    },
    /// `answerCallbackQuery`, with an optional short notice.
    AnswerButton {
        callback_id: String,
        notice: Option<String>,
    },
    /// `editMessageReplyMarkup` removing the inline buttons of a message.
    CloseButtons { message_id: i32 },
}

impl Outgoing {
    /// A message built from an engine reply.
    pub fn reply(chat: ChatId, reply: Reply) -> Outgoing {
        Outgoing {
            chat,
            op: OutOp::Message {
                html: reply.html,
                keyboard: reply.keyboard,
            },
        }
    }
}
