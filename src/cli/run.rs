//! `rollcall run`: the bot itself, with its Telegram loops, health server and webhook.

use super::RunOps;
use crate::config::{config_problem, Settings};
use anyhow::Context;
use std::sync::Arc;

/// `rollcall run`: the bot, until SIGINT or SIGTERM.
pub(super) fn run_bot(
    settings: &Settings,
    poll_timeout: u32,
    unlimited_send: bool,
    ops: &RunOps,
    config: &crate::config::Config,
) -> anyhow::Result<()> {
    // The token: TELOXIDE_TOKEN, else the configuration's token or token_file.
    let Some(token) = config.token().map_err(config_problem)? else {
        return Err(config_problem(anyhow::anyhow!("TELOXIDE_TOKEN is not set (nor token or token_file in the configuration file): create a bot with @BotFather and give its token")));
    };
    let webhook_url = match (&ops.webhook, ops.poll) {
        (Some(url), false) => {
            crate::config::check_webhook_url(url).map_err(config_problem)?;
            Some(reqwest::Url::parse(url).map_err(config_problem)?)
        }
        _ => None,
    };
    let crate::app::App {
        store,
        runtime,
        mut options,
    } = crate::app::start(settings, config)?;
    if store.read(|tx| tx.supervisors())?.is_empty() {
        eprintln!(
            "rollcall: nobody is a supervisor yet. Stop the bot and run\n  rollcall grant --db {} --user <your Telegram user id> --role supervisor\n(or --role director --centre NAME for a centre's first director).",
            settings.db.display()
        );
    }
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let result = tokio.block_on(async {
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("signal received");
            let _ = stop_tx.send(true);
        });
        let bot = make_bot(token).map_err(config_problem)?;
        // Both servers bind before the bot connects, so a wrong or busy address stops
        // the start at once instead of after setWebhook.
        if let Some(addr) = ops.metrics_listen {
            let listener = crate::ops::bind(addr).await?;
            let limits = crate::ops::HealthLimits {
                telegram_stale: std::time::Duration::from_secs(
                    u64::from(config.metrics.telegram_stale_minutes) * 60,
                ),
                outbox_stuck: std::time::Duration::from_secs(
                    u64::from(config.metrics.outbox_stuck_minutes) * 60,
                ),
            };
            tokio::spawn(crate::ops::serve(
                listener,
                store.clone(),
                limits,
                stop.clone(),
            ));
        }
        let webhook = match webhook_url {
            Some(url) => {
                let listener = tokio::net::TcpListener::bind(ops.listen)
                    .await
                    .with_context(|| format!("listening for the webhook on {}", ops.listen))?;
                let secret = match &config.webhook.secret_token {
                    Some(secret) => secret.clone(),
                    None => crate::telegram::webhook::random_secret()?,
                };
                Some(crate::telegram::webhook::WebhookOptions {
                    url,
                    listener: Arc::new(std::sync::Mutex::new(Some(listener))),
                    secret,
                })
            }
            None => None,
        };
        options.webhook = webhook;
        options.poll_timeout_secs = poll_timeout;
        options.send.limits =
            (!unlimited_send).then_some(crate::telegram::limits::Limits::TELEGRAM);
        crate::telegram::run(bot, store, runtime, options, stop).await
    });
    // Every task has stopped; a report still being built on the blocking pool is not
    // waited for (its job stays in the file and is built again at the next start).
    tokio.shutdown_background();
    result
}

/// The Bot API client: `token` from the configuration, `TELOXIDE_API_URL` (another Bot
/// API server, as the tests use) and `TELOXIDE_PROXY` from the environment, as teloxide's
/// `Bot::from_env` would, which cannot take a token from a file.
fn make_bot(token: String) -> anyhow::Result<teloxide_core::Bot> {
    let bot = teloxide_core::Bot::with_client(token, teloxide_core::net::client_from_env());
    match std::env::var("TELOXIDE_API_URL") {
        Ok(url) => {
            let url = reqwest::Url::parse(url.trim_end_matches('/'))
                .with_context(|| format!("TELOXIDE_API_URL {url:?} is not a URL"))?;
            Ok(bot.set_api_url(url))
        }
        Err(_) => Ok(bot),
    }
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM (systemd, docker stop).
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
