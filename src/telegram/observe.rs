//! What the Telegram tasks report to the metrics: successful calls (Telegram is
//! reachable) and failed ones by a short code, kept here because only this module may
//! name teloxide's error types.

use super::api::FetchError;
use crate::ops::metrics;
use teloxide_core::{ApiError, RequestError};

/// Records a successful Bot API call.
pub fn ok() {
    metrics::get().telegram_ok();
}

/// Records a failed Bot API call of `method`.
pub fn request_error(method: &str, error: &RequestError) {
    metrics::get().api_error(method, request_error_code(error));
}

/// Records a failed `getUpdates`.
pub fn fetch_error(error: &FetchError) {
    let code = match error {
        FetchError::Network(_) => "network".to_owned(),
        FetchError::Api { code, .. } => code.to_string(),
        FetchError::Malformed(_) => "invalid_json".to_owned(),
    };
    metrics::get().api_error("getUpdates", &code);
}

/// A short, low-cardinality code for an error: the HTTP status Telegram answered with
/// where teloxide lets it be known, else the kind of failure.
pub fn request_error_code(error: &RequestError) -> &'static str {
    match error {
        RequestError::RetryAfter(_) => "429",
        RequestError::MigrateToChatId(_) => "400",
        RequestError::Network(_) | RequestError::Io(_) => "network",
        RequestError::InvalidJson { .. } => "invalid_json",
        RequestError::Api(ApiError::Unknown(description)) => {
            let prefixes = [
                ("Bad Request", "400"),
                ("Unauthorized", "401"),
                ("Forbidden", "403"),
                ("Not Found", "404"),
                ("Conflict", "409"),
                ("Too Many Requests", "429"),
                ("Internal Server Error", "500"),
                ("Bad Gateway", "502"),
                ("Service Unavailable", "503"),
                ("Gateway Timeout", "504"),
            ];
            prefixes
                .iter()
                .find(|(prefix, _)| description.starts_with(prefix))
                .map_or("other", |(_, code)| code)
        }
        // The errors teloxide names are Telegram's "Forbidden: ..." (the user blocked the
        // bot, the bot was kicked, ...) or "Bad Request: ..." answers.
        RequestError::Api(api) => {
            if api.to_string().starts_with("Forbidden") {
                "403"
            } else {
                "400"
            }
        }
    }
}
