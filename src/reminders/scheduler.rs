//! The reminder task: every tick, fire what is due (see `fire.rs`) and wake the sender.
//! It keeps no timers of its own: each tick recomputes from the stored schedules and the
//! clock, so restarts and clock changes cannot make it fire twice or forget.
//!
//! A tick first reads what is due on a snapshot (`fire::plan`), and takes the writer only
//! when something is: most ticks find nothing to do, and a commit costs an fsync (on a
//! Raspberry Pi's SD card, and a job on the store thread, which runs the processor too).
//! The snapshot never waits for the writer either.

use super::fire::{fire_due, plan, FireOptions, Tick};
use crate::clock::Clock;
use crate::dialog::Catalog;
use crate::store::retention::Retention;
use crate::store::StoreThread;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// Where the task's time comes from, and what the daily pruning it runs keeps.
#[derive(Debug, Clone)]
pub struct Upkeep {
    pub clock: Clock,
    pub retention: Retention,
}

/// Runs until `stop` turns true.
pub async fn run(
    store: StoreThread,
    catalog: Arc<Catalog>,
    bot_username: Option<String>,
    options: FireOptions,
    upkeep: Upkeep,
    outbox_ready: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let Upkeep { clock, retention } = upkeep;
    // Pruning runs at the first tick (start-up) and then once a day, from this task
    // rather than one more timer of its own.
    let mut next_prune: Option<DateTime<Utc>> = None;
    loop {
        if *stop.borrow() {
            return;
        }
        let now = clock.now_off_thread().await;
        if next_prune.is_none_or(|at| now >= at) {
            next_prune = Some(prune(&store, retention, now).await);
        }
        let (catalog_, bot) = (catalog.clone(), bot_username.clone());
        // The dry run and the tick are one job on the store thread, which owns the writer.
        let tick = store
            .call(move |desk| {
                let store_ = desk.store;
                let dry = store_.read(|view| plan(view, options, now))?;
                if dry.is_idle() {
                    return Ok(Tick {
                        next: dry.next,
                        ..Tick::default()
                    });
                }
                // The same clock reading again: the committed tick plans again inside its own
                // transaction, so it acts on what is stored then.
                store_.write(|tx| fire_due(tx, &catalog_, bot.as_deref(), options, now))
            })
            .await;
        let mut pause = clock.poll_interval();
        match tick {
            Ok(Ok(tick)) => {
                // One line per finished tick, with the clock reading it used: tests wait
                // for it as proof that the scheduler has looked at a given time (a barrier,
                // instead of sleeping and hoping that it did).
                tracing::debug!(
                    at = %now.to_rfc3339(),
                    fired = tick.fired,
                    messages = tick.messages,
                    "reminder tick done"
                );
                if tick.messages > 0 {
                    tracing::info!(
                        fired = tick.fired,
                        messages = tick.messages,
                        "reminders sent"
                    );
                    outbox_ready.notify_one();
                }
                // Wake up in time for the next firing, never later than the interval.
                pause = clock.pause_until(now, tick.next);
            }
            Ok(Err(error)) => tracing::error!(%error, "reminder tick failed"),
            Err(error) => tracing::error!(%error, "reminder task failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Rows of each kind one pruning run removes at most, so that it never holds the single
/// writer for long (a first run on an old file finishes over several ticks).
const PRUNE_BATCH: usize = 1_000;

/// Prunes what the retention no longer keeps, in a transaction of its own; returns when to
/// run again: at the next tick when a kind stopped at the batch limit, else in a day.
async fn prune(store: &StoreThread, retention: Retention, now: DateTime<Utc>) -> DateTime<Utc> {
    let run = store
        .call(move |desk| desk.store.write(|tx| tx.prune(now, retention, PRUNE_BATCH)))
        .await;
    match run {
        Ok(Ok(pruned)) => {
            if pruned.invites + pruned.chats + pruned.audit > 0 {
                tracing::info!(
                    invites = pruned.invites,
                    chats = pruned.chats,
                    audit = pruned.audit,
                    "pruned what the retention no longer keeps"
                );
            }
            if pruned.more {
                return now;
            }
        }
        Ok(Err(error)) => tracing::error!(%error, "pruning failed; trying again tomorrow"),
        Err(error) => tracing::error!(%error, "pruning task failed; trying again tomorrow"),
    }
    now + chrono::Duration::days(1)
}
