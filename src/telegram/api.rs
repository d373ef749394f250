//! The raw `getUpdates` call: the updates as Telegram sent them, to be stored verbatim.
//!
//! teloxide's typed `get_updates` would have us store re-serialised updates; keeping
//! Telegram's own JSON means the inbox holds exactly what arrived, and an update this
//! version cannot parse is still stored, logged and skipped rather than lost in transit.

use serde_json::Value;
use std::time::Duration;
use teloxide::Bot;

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
    let answer: Value = response.json().await.map_err(reqwest::Error::without_url)?;
    if answer.get("ok") != Some(&Value::Bool(true)) {
        return Err(FetchError::Api {
            code: answer
                .get("error_code")
                .and_then(Value::as_i64)
                .unwrap_or(0),
            description: answer
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("no description")
                .to_owned(),
        });
    }
    let Some(Value::Array(updates)) = answer.get("result") else {
        return Err(FetchError::Malformed("no result array".to_owned()));
    };
    updates
        .iter()
        .map(|update| {
            let id = update
                .get("update_id")
                .and_then(Value::as_i64)
                .ok_or_else(|| FetchError::Malformed("an update without update_id".to_owned()))?;
            Ok((id, update.to_string()))
        })
        .collect()
}
