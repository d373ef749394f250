//! The "not saved yet" nudge: a draft left at its summary gets one private reminder.
//!
//! When the engine shows a summary it asks for a nudge (`Effect::NudgeAt`), which the
//! runtime stores as a row of `DRAFT_NUDGES` in the step's own transaction, so the nudge
//! survives restarts. This task wakes when the earliest row is due and feeds
//! `Input::SaveNudge` through `Runtime::handle`, removing the row in the same transaction:
//! the reply goes through the outbox like any other, exactly once. The engine decides
//! whether the draft still waits (saved, changed, cancelled or expired drafts get nothing).

use super::{Event, Runtime};
use crate::clock::Clock;
use crate::dialog::{Input, Sender};
use crate::domain::Now;
use crate::store::{StoreError, StoreThread, Tx};
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// Due nudges handled per transaction.
const BATCH: usize = 100;

/// Feeds every draft nudge due at `now` to its chat's dialog, inside `tx`, and removes it;
/// returns how many were due. The engine decides whether the draft still waits at its
/// summary: a nudge for a saved, changed or cancelled draft sends nothing.
pub fn fire_due_nudges(
    runtime: &Runtime,
    tx: &mut Tx<'_>,
    now: Now,
    limit: usize,
) -> Result<usize, StoreError> {
    let due = tx.take_due_nudges(now.at, limit)?;
    for (chat, language_hint) in &due {
        let event = Event {
            chat: *chat,
            sender: Sender {
                user: *chat,
                chat: *chat,
                name: String::new(),
                language_hint: language_hint.clone(),
                private: true,
            },
            input: Input::SaveNudge,
            callback: None,
            sent_at: None,
        };
        runtime.handle(tx, &event, now)?;
    }
    Ok(due.len())
}

/// Runs until `stop` turns true: fires due nudges, sleeping until the next one is due
/// (at most the clock's poll interval, so a nudge stored meanwhile is not missed).
pub async fn run(
    store: StoreThread,
    runtime: Arc<Runtime>,
    clock: Clock,
    outbox_ready: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        let at = clock.now_off_thread().await;
        let runtime_ = runtime.clone();
        let tick = store
            .call(move |desk| {
                let store_ = desk.store;
                // A snapshot first: most ticks find nothing due and cost no write.
                let next = store_.read(|snapshot| snapshot.next_nudge())?;
                if next.is_none_or(|next| next > at) {
                    return Ok((0, next));
                }
                let now = Now::in_zone(at, runtime_.zone);
                let fired = store_.write(|tx| fire_due_nudges(&runtime_, tx, now, BATCH))?;
                let next = store_.read(|snapshot| snapshot.next_nudge())?;
                Ok::<_, StoreError>((fired, next))
            })
            .await;
        let mut pause = clock.poll_interval();
        match tick {
            Ok(Ok((fired, next))) => {
                if fired > 0 {
                    tracing::info!(fired, "draft nudges handled");
                    outbox_ready.notify_one();
                }
                pause = clock.pause_until(at, next);
            }
            Ok(Err(error)) => tracing::error!(%error, "nudge tick failed"),
            Err(error) => tracing::error!(%error, "nudge task failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stop.changed() => return,
        }
    }
}
