//! A dedicated, low-priority thread for one part of the report worker (tables or files).
//!
//! Building a five-year roll-up's spreadsheet takes tens of seconds of CPU. On tokio's
//! blocking pool it would compete as an equal with the processor's steps (which run on the
//! same pool), and on a 2-core machine organisers would wait behind it. So each part of the
//! worker gets its own OS thread that lowers its own scheduling priority once at start
//! (`nice`: 10 for tables, which a supervisor is waiting for; 19 for files): the kernel
//! then gives the processor's threads the cores whenever they want them, and the builds the
//! rest. The async loop in `telegram::reports` sends a request per round and awaits the
//! answer, so waking, retrying and stopping stay where they were.
//!
//! A panic while building is caught and answered as a failed round; the thread lives on.

use crate::runtime::report_jobs::Part;
use crate::runtime::ReportWorker;
use crate::store::StoreError;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use tokio::sync::{oneshot, watch};

/// The outcome of one round: the store's answer, or `None` when the build panicked.
pub type RoundOutcome = Option<Result<usize, StoreError>>;

/// One round asked of the thread: build `part` while `stop` is false, then answer.
struct Round {
    stop: watch::Receiver<bool>,
    answer: oneshot::Sender<RoundOutcome>,
}

/// The handle to a part's build thread. Dropping it ends the thread after its round.
#[derive(Debug)]
pub struct BuildThread {
    rounds: mpsc::Sender<Round>,
}

impl std::fmt::Debug for Round {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Round")
    }
}

impl BuildThread {
    /// Starts the thread that builds `part` with `worker`.
    pub fn start(part: Part, mut worker: ReportWorker) -> std::io::Result<BuildThread> {
        let (rounds, requests) = mpsc::channel::<Round>();
        std::thread::Builder::new()
            .name(format!("reports-{}", part.name()))
            .spawn(move || {
                lower_priority(niceness(part));
                while let Ok(round) = requests.recv() {
                    let stop = round.stop;
                    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        worker.run_pending_while(part, &|| !*stop.borrow())
                    }))
                    .ok();
                    // The loop may have stopped waiting (the bot is stopping): nothing to do.
                    let _ = round.answer.send(outcome);
                }
            })?;
        Ok(BuildThread { rounds })
    }

    /// Runs one round on the thread and waits for its outcome; `None` when the build
    /// panicked or the thread is gone.
    pub async fn round(&self, stop: watch::Receiver<bool>) -> RoundOutcome {
        let (answer, outcome) = oneshot::channel();
        self.rounds.send(Round { stop, answer }).ok()?;
        outcome.await.ok().flatten()
    }
}

/// The `nice` value of a part's thread: tables are awaited by a person, files less so.
fn niceness(part: Part) -> i32 {
    match part {
        Part::Tables => 10,
        Part::Files => 19,
    }
}

/// Lowers the calling thread's priority (Linux: a thread's own `nice`). Failing to is
/// logged and harmless: the builds then share the cores as equals.
#[cfg(target_os = "linux")]
fn lower_priority(nice: i32) {
    let thread = rustix::thread::gettid();
    if let Err(error) = rustix::process::setpriority_process(Some(thread), nice) {
        tracing::warn!(%error, nice, "could not lower the report builds' priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority(_nice: i32) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_thread_lowers_its_own_priority_and_not_the_process() {
        // `None` is the calling thread on Linux (the test's own thread here).
        let before = rustix::process::getpriority_process(None).expect("own priority");
        let lowered = std::thread::spawn(|| {
            lower_priority(19);
            rustix::process::getpriority_process(Some(rustix::thread::gettid()))
                .expect("thread priority")
        })
        .join()
        .expect("thread");
        assert_eq!(lowered, 19);
        assert_eq!(
            rustix::process::getpriority_process(None).expect("own priority"),
            before,
            "the other threads keep theirs"
        );
    }
}
