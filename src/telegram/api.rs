//! The raw `getUpdates` call: the updates as Telegram sent them, to be stored verbatim.
//!
//! teloxide's typed `get_updates` would have us store re-serialised updates; keeping
//! Telegram's own JSON means the inbox holds exactly what arrived, and an update this
//! version cannot parse is still stored, logged and skipped rather than lost in transit.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::time::Duration;
use teloxide_core::Bot;

/// A failed `getUpdates`.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("network error: {0}")]
    Network(#[from] reqwest::Error),
    #[error("Bot API error {code}: {description}")]
    Api { code: i64, description: String },
    #[error("unexpected answer: {0}")]
    Malformed(String),
}

/// One update: its id and its JSON text.
pub type RawUpdate = (i64, String);

/// Calls `getUpdates` with `offset`, waiting up to `timeout_secs` for updates.
pub async fn get_updates(
    bot: &Bot,
    offset: i64,
    timeout_secs: u32,
) -> Result<Vec<RawUpdate>, FetchError> {
    let url = format!(
        "{}/bot{}/getUpdates",
        bot.api_url().as_str().trim_end_matches('/'),
        bot.token()
    );
    let body = serde_json::json!({
        "offset": offset,
        "limit": 100,
        "timeout": timeout_secs,
        "allowed_updates": ["message", "edited_message", "callback_query", "my_chat_member"],
    });
    let response = bot
        .client()
        .post(url)
        .json(&body)
        .timeout(Duration::from_secs(u64::from(timeout_secs) + 15))
        .send()
        .await
        // reqwest's message includes the URL, and the URL includes the token: never log it.
        .map_err(reqwest::Error::without_url)?;
    // The updates are kept as the exact bytes Telegram sent (`RawValue`), not parsed into
    // a tree and printed again: only their ids are read here.
    let body = response
        .bytes()
        .await
        .map_err(reqwest::Error::without_url)?;
    let answer: Answer<'_> =
        serde_json::from_slice(&body).map_err(|e| FetchError::Malformed(e.to_string()))?;
    if !answer.ok {
        return Err(FetchError::Api {
            code: answer.error_code.unwrap_or(0),
            description: answer
                .description
                .unwrap_or_else(|| "no description".to_owned()),
        });
    }
    let Some(updates) = answer.result else {
        return Err(FetchError::Malformed("no result array".to_owned()));
    };
    updates
        .into_iter()
        .map(|update| {
            let UpdateId { update_id } = serde_json::from_str(update.get())
                .map_err(|_| FetchError::Malformed("an update without update_id".to_owned()))?;
            Ok((update_id, update.get().to_owned()))
        })
        .collect()
}

/// The envelope of a `getUpdates` answer, with the updates left unparsed.
#[derive(Deserialize)]
struct Answer<'a> {
    ok: bool,
    #[serde(borrow, default)]
    result: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    description: Option<String>,
}

/// The one field of an update read at fetch time.
#[derive(Deserialize)]
struct UpdateId {
    update_id: i64,
}
