//! The store thread: one OS thread that makes every write of the running bot (and the
//! loops' hot reads), fed by a channel, so that async tasks neither block on redb nor pay a
//! thread hand-off each. Reads elsewhere (metrics, `/healthz`, the report worker's figures)
//! take snapshots of their own, which never wait for this thread.
//!
//! redb has one write transaction at a time, so the bot has one writer whatever it does.
//! Giving that writer a thread of its own turns a store call into a message on a channel:
//! the thread runs every job waiting in its queue in one wake-up, and between jobs it does
//! its standing work, its [`Duty`] (in the bot: the processor's rounds, for updates left in
//! the inbox and retries). The poller's job stores and processes a fetched batch in one
//! transaction, so a fetched update is stored, processed and committed in one wake-up of
//! one thread. Before this thread,
//! every call was a task of tokio's blocking pool: a pool thread woken (or started) and
//! the caller woken again, several times per update, which was where most of the bot's
//! CPU went at an everyday load (see BENCHMARKS.md).
//!
//! Idle, the thread sleeps in `recv` on its channel (or until the duty's next deadline):
//! no polling. It ends when every handle is dropped.

use super::{CommitNumber, Snapshot, Store, StoreError, Tx};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// The standing work of the store thread, run whenever no job is waiting and it is due.
pub trait Duty: Send {
    /// Does what is due now; returns when to run again at the latest (`None`: only when a
    /// job asks for it, see [`Desk::wake_duty`]).
    fn run(&mut self, store: &Store) -> Option<Instant>;
}

/// No standing work (the CLI, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDuty;

impl Duty for NoDuty {
    fn run(&mut self, _store: &Store) -> Option<Instant> {
        None
    }
}

/// What a job sees on the store thread: the store, and the thread's duty.
pub struct Desk<'a> {
    pub store: &'a Store,
    duty: &'a mut dyn Duty,
    /// When the duty runs next (`None`: when a job asks).
    next: &'a mut Option<Instant>,
}

impl std::fmt::Debug for Desk<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl Desk<'_> {
    /// Runs the duty once the jobs waiting now are done.
    pub fn wake_duty(&mut self) {
        *self.next = Some(Instant::now());
    }

    /// Runs the duty until it has nothing left to do now, waiting out its pauses (a
    /// retried update), for at most `limit`: the last round of a stopping bot.
    pub fn drain(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            *self.next = run_duty(self.duty, self.store);
            match *self.next {
                None => return,
                Some(at) if at > deadline => return,
                Some(at) => std::thread::sleep(at.saturating_duration_since(Instant::now())),
            }
        }
    }
}

type Job = Box<dyn FnOnce(&mut Desk<'_>) + Send>;

/// A handle on the store thread; clones share the one thread.
#[derive(Clone)]
pub struct StoreThread {
    jobs: mpsc::Sender<Job>,
    /// The store the thread serves, for callers that only need its path or durability mark.
    store: Store,
}

impl std::fmt::Debug for StoreThread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreThread")
            .field("store", &self.store.path())
            .finish_non_exhaustive()
    }
}

impl StoreThread {
    /// Starts the thread serving `store`, with `duty` as its standing work (run once at
    /// the start: a crash may have left work behind). The thread ends when the last handle
    /// is dropped; the returned join handle waits for that.
    pub fn start(
        store: Store,
        duty: Box<dyn Duty>,
    ) -> std::io::Result<(StoreThread, std::thread::JoinHandle<()>)> {
        let (jobs, queue) = mpsc::channel();
        let served = store.clone();
        let thread = std::thread::Builder::new()
            .name("rollcall-store".to_owned())
            .spawn(move || serve(&served, &queue, duty))?;
        Ok((StoreThread { jobs, store }, thread))
    }

    /// The store the thread serves.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `f` on the store thread and returns its result. The error is only for a
    /// thread that has stopped, or a job that panicked (which the thread survives).
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Desk<'_>) -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(move |desk| {
            // The caller may have gone (a task aborted at shutdown): nothing to tell.
            let _ = reply.send(f(desk));
        })?;
        answer
            .await
            .map_err(|_| StoreError::Db("a store job failed (see the log)".to_owned()))
    }

    /// Queues `f` on the store thread without waiting for it.
    pub fn send(&self, f: impl FnOnce(&mut Desk<'_>) + Send + 'static) -> Result<(), StoreError> {
        self.jobs
            .send(Box::new(f))
            .map_err(|_| StoreError::Db("the store thread has stopped".to_owned()))
    }

    /// `Store::write` on the store thread.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.call(move |desk| desk.store.write(f)).await?
    }

    /// `Store::write_unsynced` on the store thread.
    pub async fn write_unsynced<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<(T, CommitNumber), StoreError> {
        self.call(move |desk| desk.store.write_unsynced(f)).await?
    }

    /// `Store::read` (a snapshot) on the store thread, for a caller that would otherwise
    /// need a blocking thread of its own.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Snapshot<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.call(move |desk| desk.store.read(f)).await?
    }

    /// `Store::write` on the store thread, for a caller on a thread that may block (the
    /// report worker, which runs on tokio's blocking pool). Never call it from a job on
    /// the store thread: that job would wait for itself.
    pub fn write_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(move |desk| {
            // The caller may have gone: nothing to tell.
            let _ = reply.send(desk.store.write(f));
        })?;
        answer
            .recv()
            .map_err(|_| StoreError::Db("a store job failed (see the log)".to_owned()))?
    }

    /// `Store::sync` on the store thread.
    pub async fn sync(&self) -> Result<(), StoreError> {
        self.call(|desk| desk.store.sync()).await?
    }

    /// Runs the duty until it has nothing left to do now (see [`Desk::drain`]).
    pub async fn drain(&self, limit: Duration) -> Result<(), StoreError> {
        self.call(move |desk| desk.drain(limit)).await
    }
}

/// The thread's loop: every waiting job first, then the duty when it is due; asleep in
/// `recv` when there is neither.
fn serve(store: &Store, queue: &mpsc::Receiver<Job>, mut duty: Box<dyn Duty>) {
    let mut next = Some(Instant::now());
    loop {
        let job = match next {
            None => match queue.recv() {
                Ok(job) => Some(job),
                Err(_) => return,
            },
            Some(at) => {
                let wait = at.saturating_duration_since(Instant::now());
                let received = if wait.is_zero() {
                    queue.try_recv().map_err(|e| match e {
                        TryRecvError::Empty => RecvTimeoutError::Timeout,
                        TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
                    })
                } else {
                    queue.recv_timeout(wait)
                };
                match received {
                    Ok(job) => Some(job),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        };
        match job {
            Some(job) => {
                let mut desk = Desk {
                    store,
                    duty: duty.as_mut(),
                    next: &mut next,
                };
                // A job that panics drops its reply, so its caller gets an error; the
                // thread and every other job go on. redb aborts a transaction dropped
                // during the unwinding.
                if catch_unwind(AssertUnwindSafe(|| job(&mut desk))).is_err() {
                    tracing::error!("a store job panicked");
                }
            }
            None => next = run_duty(duty.as_mut(), store),
        }
    }
}

/// Runs the duty once; a panic is logged and the duty tried again a second later.
fn run_duty(duty: &mut dyn Duty, store: &Store) -> Option<Instant> {
    match catch_unwind(AssertUnwindSafe(|| duty.run(store))) {
        Ok(next) => next,
        Err(_) => {
            tracing::error!("the store thread's duty panicked; trying again in 1 s");
            Some(Instant::now() + Duration::from_secs(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("t.redb")).expect("opens");
        (dir, store)
    }

    /// A duty that counts its runs (published on a watch channel) and asks for nothing more.
    struct Counting(tokio::sync::watch::Sender<usize>);

    impl Duty for Counting {
        fn run(&mut self, _store: &Store) -> Option<Instant> {
            self.0.send_modify(|runs| *runs += 1);
            None
        }
    }

    #[tokio::test]
    async fn jobs_run_in_order_on_one_thread_and_return_their_results() {
        let (_dir, store) = temporary();
        let (thread, handle) = StoreThread::start(store, Box::new(NoDuty)).expect("started");
        let here = std::thread::current().id();
        let ((), commit) = thread
            .write_unsynced(|tx| tx.enqueue_updates(&[(1, "{}".to_owned())], 2).map(drop))
            .await
            .expect("stored");
        let (pending, there) = thread
            .call(|desk| {
                let pending = desk.store.read(|s| s.pending_updates(10));
                (pending, std::thread::current().id())
            })
            .await
            .expect("called");
        assert_eq!(pending.expect("read").len(), 1);
        assert_ne!(there, here, "the job ran on the store thread");
        thread.sync().await.expect("synced");
        assert!(*thread.store().durable_commits().borrow() >= commit.0);
        drop(thread);
        handle
            .join()
            .expect("the thread ends when the last handle is dropped");
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone_and_the_thread_goes_on() {
        let (_dir, store) = temporary();
        let (thread, _handle) = StoreThread::start(store, Box::new(NoDuty)).expect("started");
        let failed = thread.call(|_| -> u32 { panic!("a bug in a job") }).await;
        assert!(failed.is_err());
        assert_eq!(thread.call(|_| 7).await.expect("still serving"), 7);
    }

    #[tokio::test]
    async fn the_duty_runs_at_the_start_and_when_a_job_asks() {
        let (_dir, store) = temporary();
        let (runs_tx, mut runs) = tokio::sync::watch::channel(0);
        let (thread, _handle) =
            StoreThread::start(store, Box::new(Counting(runs_tx))).expect("started");
        let ran = |runs: &mut tokio::sync::watch::Receiver<usize>, n: usize| {
            let mut runs = runs.clone();
            async move {
                tokio::time::timeout(Duration::from_secs(10), runs.wait_for(|r| *r >= n))
                    .await
                    .expect("the duty ran in time")
                    .map(|r| *r)
                    .expect("the thread is alive")
            }
        };
        assert_eq!(ran(&mut runs, 1).await, 1, "once at the start");
        // A job that does not ask leaves the duty alone; `drain` runs it before replying.
        thread.call(|_| ()).await.expect("called");
        assert_eq!(*runs.borrow(), 1);
        thread.drain(Duration::from_secs(1)).await.expect("drained");
        assert_eq!(*runs.borrow(), 2);
        // `wake_duty` runs it once the jobs waiting are done.
        thread.call(|desk| desk.wake_duty()).await.expect("called");
        assert_eq!(ran(&mut runs, 3).await, 3);
    }
}
