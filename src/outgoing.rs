//! Messages waiting to be sent to Telegram: what the outbox stores and the sender delivers.

use crate::domain::ChatId;
use serde::{Deserialize, Serialize};

/// One inline button: a label and its callback data (at most 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// The keyboard attached to a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keyboard {
    /// Buttons under the message, in rows.
    Inline(Vec<Vec<Button>>),
    /// The persistent keyboard under the text field, in rows of labels.
    Persistent(Vec<Vec<String>>),
    /// Buttons under the message that open a link (a deep link into the private chat).
    Links(Vec<Vec<LinkButton>>),
    /// Link buttons, then ordinary buttons below them (a group reminder: open the private
    /// chat, and "no session today").
    LinksAndButtons {
        links: Vec<Vec<LinkButton>>,
        buttons: Vec<Vec<Button>>,
    },
}

/// A button that opens a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkButton {
    pub label: String,
    pub url: String,
}

/// One message to send to the chat the input came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Telegram HTML (only `<b>`, `<i>`, `<pre>` are used; user text is escaped).
    pub html: String,
    pub keyboard: Option<Keyboard>,
}

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
    /// `sendDocument`: a file (a report spreadsheet or CSV) with an optional HTML caption
    /// (at most 1024 characters after entity parsing, Telegram's limit for captions).
    Document {
        file_name: String,
        caption: Option<String>,
        /// The file's bytes, in the row or in the store's spool (see [`FileBody`]).
        #[serde(flatten)]
        body: FileBody,
    },
    /// `sendPhoto`: an image (a chart) with an optional HTML caption.
    Photo {
        file_name: String,
        caption: Option<String>,
        #[serde(flatten)]
        body: FileBody,
    },
    /// `setMyCommands` for this private chat alone (Telegram's chat scope), in every
    /// language: the commands of `menus`, worded as the dialogs are when it is sent. No
    /// menus means `deleteMyCommands`, so the chat shows every private chat's menu again.
    Menu { menus: Vec<crate::roles::Menu> },
}

impl OutOp {
    /// Whether Telegram counts the call against its message rate limits. Answering a
    /// button press is not a message; edits are, as far as the limits go.
    pub fn is_message(&self) -> bool {
        !matches!(self, OutOp::AnswerButton { .. })
    }
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

/// Where the bytes of a file to send are.
///
/// Small files a step queues (the `/mau` template, an import's refused rows) travel inside
/// their outbox row. The report worker's files (tens of megabytes for a province's years)
/// are written to the store's spool, a folder beside the database, and the row carries
/// only their reference: so the store thread, which commits and reads every row, never
/// handles a report file's bytes.
///
/// Stored flattened into the operation: `"bytes": "<base64>"` (the form every older
/// rollcall wrote, so old rows still decode and an older rollcall still reads new inline
/// rows) or `"spooled": {"name": …, "len": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileBody {
    /// The bytes themselves, stored as base64 text: JSON would otherwise spell every byte
    /// as a number. `Bytes` so that each attempt to send shares them rather than copying.
    #[serde(rename = "bytes", with = "base64_bytes")]
    Inline(bytes::Bytes),
    /// A file in the spool (`store::Spool`).
    #[serde(rename = "spooled")]
    Spooled(SpoolRef),
}

impl FileBody {
    /// The bytes kept in memory.
    pub fn inline(bytes: Vec<u8>) -> FileBody {
        FileBody::Inline(bytes::Bytes::from(bytes))
    }

    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            FileBody::Inline(bytes) => u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            FileBody::Spooled(spooled) => spooled.len,
        }
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The spooled file it names, if any.
    pub fn spooled(&self) -> Option<&SpoolRef> {
        match self {
            FileBody::Inline(_) => None,
            FileBody::Spooled(spooled) => Some(spooled),
        }
    }
}

/// A file written to the store's spool: its name inside the spool folder (a plain file
/// name, checked when it is resolved) and its length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpoolRef {
    pub name: String,
    pub len: u64,
}

impl OutOp {
    /// The file a `Document` or `Photo` sends.
    pub fn file(&self) -> Option<(&str, &FileBody)> {
        match self {
            OutOp::Document {
                file_name, body, ..
            }
            | OutOp::Photo {
                file_name, body, ..
            } => Some((file_name, body)),
            _ => None,
        }
    }
}

/// Serde helper storing bytes as standard base64 text (a third larger than the bytes,
/// against three to four times for JSON's array of numbers).
mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        bytes: &bytes::Bytes,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<bytes::Bytes, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map(bytes::Bytes::from)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_as_base64() {
        let message = Outgoing {
            chat: -100,
            op: OutOp::Document {
                file_name: "báo cáo.xlsx".to_owned(),
                caption: Some("<b>1-10/2020</b>".to_owned()),
                body: FileBody::inline((0..=255).collect()),
            },
        };
        let json = serde_json::to_string(&message).expect("encodes");
        assert!(json.contains("\"bytes\":\"AAECAwQF"), "{json}");
        assert!(json.len() < 500, "compact: {} bytes", json.len());
        let back: Outgoing = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, message);
        let photo = OutOp::Photo {
            file_name: "chart.png".to_owned(),
            caption: None,
            body: FileBody::inline(vec![]),
        };
        let back: OutOp = serde_json::from_str(&serde_json::to_string(&photo).expect("encodes"))
            .expect("decodes");
        assert_eq!(back, photo);
        assert!(photo.is_message());
    }

    #[test]
    fn a_row_written_before_the_spool_still_decodes_inline() {
        // The exact form every rollcall before the spool stored.
        let old = r#"{"chat":-100,"op":{"Document":{"file_name":"a.csv","caption":null,"bytes":"eHl6"}}}"#;
        let message: Outgoing = serde_json::from_str(old).expect("decodes");
        assert_eq!(
            message.op,
            OutOp::Document {
                file_name: "a.csv".to_owned(),
                caption: None,
                body: FileBody::inline(b"xyz".to_vec()),
            }
        );
        // An inline row is still written in that form.
        assert_eq!(serde_json::to_string(&message).expect("encodes"), old);
    }

    #[test]
    fn a_spooled_file_is_a_small_reference() {
        let message = Outgoing {
            chat: 7,
            op: OutOp::Photo {
                file_name: "chart.png".to_owned(),
                caption: Some("c".to_owned()),
                body: FileBody::Spooled(SpoolRef {
                    name: "12-0".to_owned(),
                    len: 48_000_000,
                }),
            },
        };
        let json = serde_json::to_string(&message).expect("encodes");
        assert_eq!(
            json,
            r#"{"chat":7,"op":{"Photo":{"file_name":"chart.png","caption":"c","spooled":{"name":"12-0","len":48000000}}}}"#
        );
        let back: Outgoing = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, message);
        assert_eq!(back.op.file().map(|(_, body)| body.len()), Some(48_000_000));
    }

    #[test]
    fn bad_base64_is_an_error_not_a_panic() {
        let result: Result<OutOp, _> =
            serde_json::from_str(r#"{"Photo":{"file_name":"a.png","caption":null,"bytes":"***"}}"#);
        assert!(result.is_err());
    }
}
