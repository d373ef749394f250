//! Webhook mode, the alternative to long polling: Telegram posts each update to
//! `https://host/path`; a TLS reverse proxy forwards it to the local server here.
//!
//! Every request must carry the secret token given to `setWebhook` in the
//! `X-Telegram-Bot-Api-Secret-Token` header; anything else gets 401 and stores nothing.
//! An accepted update goes into the same durable inbox as a polled one
//! (`Tx::enqueue_updates`), and the answer 200, which is what makes Telegram forget the
//! update, is sent only after that transaction committed. A crash before the commit
//! means no 200, so Telegram delivers the update again.
//!
//! Duplicates are recognised by update id, as in polling: an id already in the inbox,
//! or just below the stored offset (processed earlier), is answered 200 and ignored, and
//! the offset becomes the largest id stored + 1. An id far below the offset is a new
//! sequence (Telegram restarts ids from a random number after a week without updates)
//! and is taken (see `Tx::enqueue_updates`). That needs the updates in order, which is
//! why `setWebhook` asks for `max_connections = 1`: Telegram then sends one update at a
//! time and the next only after the previous one's 200. The same offset carries over
//! when switching back to polling (the poller deletes the webhook first).
//!
//! On shutdown the webhook stays set: Telegram keeps the updates that arrive meanwhile
//! (up to 24 hours) and delivers them after the next start.

use super::processor::{Arrival, Intake};
use super::{crashpoint, observe};
use crate::ops::metrics;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use teloxide_core::payloads::SetWebhookSetters;
use teloxide_core::prelude::Requester;
use teloxide_core::types::AllowedUpdate;
use teloxide_core::Bot;
use tokio::sync::watch;

/// The header Telegram puts the secret token in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// How often Telegram's view of the webhook is checked (it also proves Telegram is reachable
/// when nobody writes to the bot).
const WATCH_EVERY: Duration = Duration::from_secs(60);

/// Where Telegram posts and what it must prove.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// The public URL given to `setWebhook`; its path is the path served.
    pub url: reqwest::Url,
    /// The local server, bound before the bot connects so that a wrong address fails the
    /// start at once.
    pub listener: Arc<std::sync::Mutex<Option<tokio::net::TcpListener>>>,
    /// The secret token; random per start when not configured.
    pub secret: String,
}

/// A random secret token of 43 characters from the OS's random source (256 bits).
pub fn random_secret() -> anyhow::Result<String> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no random source for the webhook secret: {e}"))?;
    // URL-safe base64 without padding uses exactly the characters Telegram allows.
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[derive(Debug)]
struct Receiver {
    intake: Intake,
    secret: String,
}

/// Serves the webhook until `shutdown`: registers it with Telegram, then stores what arrives.
pub async fn run(
    bot: Bot,
    intake: Intake,
    options: WebhookOptions,
    mut shutdown: watch::Receiver<bool>,
) {
    let Some(listener) = options
        .listener
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
    else {
        tracing::error!("the webhook listener was already used; not receiving updates");
        return;
    };
    let path = options.url.path().to_owned();
    let receiver = Arc::new(Receiver {
        intake,
        secret: options.secret.clone(),
    });
    let app = Router::new()
        .route(&path, post(receive))
        .with_state(receiver);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, path, "webhook listening");
    }
    let server = {
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let stopped = async move {
                let _ = shutdown.wait_for(|stop| *stop).await;
            };
            // Graceful: a request being stored finishes (and is answered) before the end.
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(stopped)
                .await
            {
                tracing::error!(%error, "the webhook server failed");
            }
        })
    };

    // The server runs first, so Telegram's first delivery after setWebhook finds it.
    let mut failures = 0u32;
    let mut jitter = super::backoff::Jitter::from_process();
    loop {
        let request = bot
            .set_webhook(options.url.clone())
            .secret_token(options.secret.clone())
            .max_connections(1)
            .allowed_updates([
                AllowedUpdate::Message,
                AllowedUpdate::EditedMessage,
                AllowedUpdate::CallbackQuery,
                AllowedUpdate::MyChatMember,
            ]);
        match request.await {
            Ok(_) => {
                observe::ok();
                tracing::info!(url = %options.url, "webhook set");
                break;
            }
            Err(error) => {
                observe::request_error("setWebhook", &error);
                tracing::warn!(%error, "setWebhook failed; retrying");
                failures = failures.saturating_add(1);
                let pause = jitter.wait(super::backoff::Backoff::FETCH, failures);
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    _ = shutdown.changed() => break,
                }
            }
        }
    }

    // Telegram's own view: updates it holds for us and the last delivery error.
    let mut last_error = None;
    loop {
        tokio::select! {
            () = tokio::time::sleep(WATCH_EVERY) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
        match bot.get_webhook_info().await {
            Ok(info) => {
                observe::ok();
                metrics::get()
                    .webhook_pending
                    .set(i64::from(info.pending_update_count));
                if info.last_error_message != last_error {
                    if let Some(message) = &info.last_error_message {
                        tracing::warn!(
                            error = message,
                            pending = info.pending_update_count,
                            "Telegram reports a webhook delivery error"
                        );
                    }
                    last_error = info.last_error_message;
                }
            }
            Err(error) => {
                observe::request_error("getWebhookInfo", &error);
                tracing::warn!(%error, "getWebhookInfo failed");
            }
        }
    }
    let _ = server.await;
    tracing::info!("webhook server stopped; the webhook stays set for the next start");
}

/// One delivery from Telegram.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    if !same(given, receiver.secret.as_bytes()) {
        metrics::get().webhook_refused.inc();
        tracing::warn!("webhook request without the right secret token refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(raw) = String::from_utf8(body.to_vec()) else {
        return StatusCode::BAD_REQUEST;
    };
    let Some(update_id) = serde_json::from_str::<serde_json::Value>(&raw)
        .ok()
        .and_then(|update| update.get("update_id").and_then(serde_json::Value::as_i64))
    else {
        tracing::warn!("webhook request without an update_id refused");
        return StatusCode::BAD_REQUEST;
    };
    // Stored durably before the answer; processed by the store thread right after.
    let stored = receiver
        .intake
        .receive(vec![(update_id, raw)], update_id + 1, Arrival::Posted)
        .await
        .map(|received| received.new);
    match stored {
        Ok(0) => {
            metrics::get().updates_duplicate.inc();
            tracing::info!(
                update_id,
                "update delivered again (already stored or processed); ignored"
            );
            StatusCode::OK
        }
        Ok(_) => {
            metrics::get().updates_received.inc();
            crashpoint::hit("after_store");
            StatusCode::OK
        }
        Err(error) => {
            // No 200: Telegram delivers the update again later.
            tracing::error!(update_id, %error, "cannot store a webhook update");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Compares two secrets in time that does not depend on where they differ.
fn same(given: &[u8], expected: &[u8]) -> bool {
    if given.len() != expected.len() {
        return false;
    }
    given
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_are_valid_telegram_secret_tokens() {
        let secret = random_secret().expect("random");
        crate::config::check_secret_token(&secret).expect("valid");
        assert_ne!(secret, random_secret().expect("random"));
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abd", b"abc"));
        assert!(!same(b"ab", b"abc"));
        assert!(!same(b"", b"abc"));
    }
}
