//! The only code that knows teloxide and the Bot API: fetching updates into the inbox,
//! turning stored updates into engine events, and delivering the outbox.
//!
//! The tasks share one store thread (`store::StoreThread`), which makes every store write
//! and, as its duty, runs the processor; the report worker reads its own snapshots and
//! writes through it too:
//!
//! ```text
//! poller ──(inbox rows)──► [store thread: processor] ──(outbox rows)──────────► sender
//!                               └─(report jobs)─► report worker ──(outbox rows)──┤
//!                               reminder scheduler, nudges ──(outbox rows)───────┘
//! ```
//!
//! The poller stores each fetched batch together with the next offset before it asks
//! Telegram for more (which is what acknowledges the batch), so an update is never
//! forgotten by Telegram before it is on disk.

mod api;
pub mod backoff;
mod build_thread;
mod commands;
mod convert;
pub mod crashpoint;
// Fetching a file a director sends back (issue 14).
mod download;
pub mod limits;
// Metrics hooks of the Telegram tasks (issue 9).
mod observe;
mod outbox_feed;
mod poller;
pub mod processor;
mod reports;
mod sender;
// Webhook mode (issue 9).
pub mod webhook;

pub use convert::event_from_update;
pub use sender::SenderOptions;

use crate::runtime::Runtime;
use crate::store::Store;
use std::sync::Arc;
use teloxide_core::prelude::Requester;
use teloxide_core::{ApiError, Bot, RequestError};
use tokio::sync::watch;

/// How long a stopping bot keeps processing stored updates (retries included) before it
/// leaves the rest for the next start.
const DRAIN_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long a stopping bot waits for the store thread to end after the clean stop's mark.
const STORE_THREAD_JOIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Settings of the Telegram side.
#[derive(Debug, Clone)]
pub struct Options {
    /// The zone in which "today" is computed.
    pub zone: chrono_tz::Tz,
    /// Seconds a `getUpdates` long poll may wait.
    pub poll_timeout_secs: u32,
    /// Rate limits and stopping behaviour of the sender.
    pub send: SenderOptions,
    /// Where "now" comes from (the system clock, or a test's clock file).
    pub clock: crate::clock::Clock,
    /// Receive updates through this webhook instead of long polling.
    pub webhook: Option<webhook::WebhookOptions>,
    /// How late a missed group reminder may still be sent (`reminders.grace_minutes`).
    pub reminder_grace: chrono::Duration,
    /// What the daily pruning keeps (`[retention]`); it runs from the reminder task.
    pub retention: crate::store::retention::Retention,
}

/// Runs the bot until `shutdown` turns true, then flushes what it can and returns.
pub async fn run(
    bot: Bot,
    store: Store,
    mut runtime: Runtime,
    options: Options,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let me = loop {
        match bot.get_me().await {
            Ok(me) => {
                observe::ok();
                break me;
            }
            // 401 (or 404, a token of the wrong shape): no retry can succeed, so stop at
            // once with a configuration problem rather than retrying for ever. The message
            // names the problem, never the token.
            Err(RequestError::Api(ApiError::InvalidToken)) => {
                observe::request_error("getMe", &RequestError::Api(ApiError::InvalidToken));
                return Err(crate::config::config_problem(anyhow::anyhow!(
                    "Telegram refused the bot token (getMe answered Unauthorized): check \
                     TELOXIDE_TOKEN, or token/token_file in the configuration file; \
                     @BotFather's /token shows the current one"
                )));
            }
            Err(error) => {
                observe::request_error("getMe", &error);
                tracing::warn!(%error, "getMe failed; retrying in 2 s");
                tokio::select! {
                    () = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                    _ = shutdown.changed() => return Ok(()),
                }
            }
        }
    };
    let username = me.username.clone().unwrap_or_default();
    tracing::info!(bot = %username, "connected to the Bot API");
    runtime.bot_username = Some(username.clone()).filter(|name| !name.is_empty());
    // The processor hands new outbox rows to the sender through it; other writers
    // (reminders, nudges, menus) wake the sender with `outbox_ready` to read them.
    let feed = outbox_feed::OutboxFeed::new(sender::MAX_LOADED);
    let outbox_ready = feed.written();
    // The sender words the menus it sets (`OutOp::Menu`) with the dialogs of this start.
    let catalog = runtime.catalog.clone();
    let runtime = Arc::new(runtime);
    // One thread owns the writer: every store call of the tasks below is a job on it, and
    // it runs the processor (see `store::thread` and `processor.rs`).
    // The processor asks the fetch task for the files of updates (see `processor.rs`).
    let (fetch_tx, fetch_requests) = tokio::sync::mpsc::unbounded_channel();
    let processor = processor::for_runtime(
        runtime.clone(),
        username,
        crate::clock::LocalClock {
            clock: options.clock.clone(),
            zone: options.zone,
        },
        feed.clone(),
        fetch_tx,
    );
    let (intake, thread_handle) = processor::start(store.clone(), processor)?;
    let fetch_intake = intake.clone();
    let thread = intake.thread().clone();
    // redb recovers a file that was not closed to its last commit (quickly, since every
    // commit records the allocator state, so its repair callback rarely runs); the running
    // mark is what tells that the previous run ended without a clean stop.
    match thread.write(|tx| tx.mark_running()).await {
        Ok(true) => tracing::warn!(
            path = store.path(),
            "the previous run did not stop cleanly (crash, kill or power loss); \
             continuing from the last commit: stored updates are processed and queued \
             messages sent, some maybe a second time"
        ),
        Ok(false) => {}
        Err(error) => tracing::warn!(%error, "cannot record that the bot runs"),
    }
    if options.send.limits.is_none() {
        tracing::warn!("sending without rate limits (benchmark mode)");
    }
    commands::sync(&bot, &thread, &runtime.catalog, me.id.0).await;

    // The reminder and nudge tasks stop only after the poller, and the sender after them:
    // a second and a third signal, so that the store thread processes what the poller
    // stored and the sender delivers what was queued.
    let (tasks_stop_tx, tasks_stop) = watch::channel(false);
    let (sender_stop_tx, sender_stop) = watch::channel(false);

    // Webhook or long polling (issue 9): either task fills the inbox and stops at `shutdown`.
    let poller = match options.webhook {
        Some(webhook) => tokio::spawn(webhook::run(bot.clone(), intake, webhook, shutdown.clone())),
        None => {
            // getUpdates is refused while a webhook is set, which it still is after a run in
            // webhook mode; deleting it keeps the updates Telegram holds (no drop_pending).
            match bot.delete_webhook().await {
                Ok(_) => tracing::debug!("no webhook set (deleted if there was one)"),
                Err(error) => tracing::warn!(%error, "deleteWebhook failed; polling anyway"),
            }
            tokio::spawn(poller::run(
                bot.clone(),
                intake,
                options.poll_timeout_secs,
                shutdown.clone(),
            ))
        }
    };
    let reminders = tokio::spawn(crate::reminders::scheduler::run(
        thread.clone(),
        runtime.catalog.clone(),
        runtime.bot_username.clone(),
        // The reporting year comes from the runtime, so the deadline reminder's totals
        // cover the same period as the bot's `/totals`.
        crate::reminders::fire::FireOptions {
            grace: options.reminder_grace,
            year_start: runtime.year_start,
        },
        crate::reminders::scheduler::Upkeep {
            clock: options.clock.clone(),
            retention: options.retention,
        },
        outbox_ready.clone(),
        tasks_stop.clone(),
    ));
    let nudges = tokio::spawn(crate::runtime::nudges::run(
        thread.clone(),
        runtime,
        options.clock.clone(),
        outbox_ready.clone(),
        tasks_stop.clone(),
    ));
    // Report files are built beside the processor, from snapshots (`reports.rs`).
    let reports = tokio::spawn(reports::run(
        thread.clone(),
        catalog.clone(),
        outbox_ready.clone(),
        tasks_stop.clone(),
    ));
    // A director's file is fetched off the store thread, which cannot wait for the network.
    let fetcher = download::Fetcher {
        bot: bot.clone(),
        store: store.clone(),
        catalog: catalog.clone(),
    };
    let files = tokio::spawn(processor::fetch_files(
        fetcher,
        fetch_requests,
        fetch_intake,
        tasks_stop,
    ));
    let sender = tokio::spawn(sender::run(
        bot,
        catalog,
        thread.clone(),
        feed,
        sender_stop,
        options.send,
        options.clock.clone(),
    ));

    let _ = shutdown.wait_for(|stop| *stop).await;
    tracing::info!("stopping: no more fetching");
    let _ = poller.await;
    // What the poller stored is processed before the sender is told to stop.
    if let Err(error) = thread.drain(DRAIN_LIMIT).await {
        tracing::warn!(%error, "cannot process the last stored updates");
    }
    let _ = tasks_stop_tx.send(true);
    let _ = reminders.await;
    let _ = nudges.await;
    let _ = reports.await;
    let _ = files.await;
    let _ = sender_stop_tx.send(true);
    outbox_ready.notify_one();
    let _ = sender.await;
    if let Err(error) = thread.write(|tx| tx.mark_stopped()).await {
        tracing::warn!(%error, "cannot record the clean stop");
    }
    // The last handle of the tasks: the thread ends once its queue is empty. A report being
    // built when the stop came still holds one (its build is not waited for, and it commits
    // nothing once stopped), so the wait is bounded; the clean stop is recorded already.
    drop(thread);
    let joined = tokio::time::timeout(
        STORE_THREAD_JOIN,
        tokio::task::spawn_blocking(move || thread_handle.join()),
    )
    .await;
    match joined {
        Ok(Ok(Ok(()))) => {}
        Ok(_) => tracing::warn!("the store thread ended abnormally"),
        Err(_) => tracing::debug!("a report being built holds the store thread; not waited for"),
    }
    tracing::info!("stopped");
    Ok(())
}
