//! The time: the system clock, or (for end-to-end tests of reminders) a time read from a
//! file named by `ROLLCALL_CLOCK_FILE`, so a test can move time without sleeping.

use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Where "now" comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clock {
    System,
    /// An RFC 3339 time in a file, re-read at every call.
    File(PathBuf),
}

impl Clock {
    /// `ROLLCALL_CLOCK_FILE` when set (tests only), else the system clock.
    pub fn from_env() -> Clock {
        match std::env::var_os("ROLLCALL_CLOCK_FILE") {
            Some(path) => Clock::File(PathBuf::from(path)),
            None => Clock::System,
        }
    }

    /// The current time. A clock file that cannot be read falls back to the system clock
    /// with a warning, rather than stopping the bot.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::File(path) => std::fs::read_to_string(path)
                .ok()
                .and_then(|text| DateTime::parse_from_rfc3339(text.trim()).ok())
                .map_or_else(
                    || {
                        tracing::warn!(path = %path.display(), "clock file unreadable; using the system clock");
                        Utc::now()
                    },
                    |at| at.with_timezone(&Utc),
                ),
        }
    }

    /// How long a loop should sleep before its next look: until `next` (at least 50 ms,
    /// so a due item never spins the loop), and never longer than `poll_interval`.
    pub fn pause_until(
        &self,
        now: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
    ) -> std::time::Duration {
        let interval = self.poll_interval();
        match next {
            Some(next) => {
                let until = (next - now).to_std().unwrap_or_default();
                interval.min(until.max(std::time::Duration::from_millis(50)))
            }
            None => interval,
        }
    }

    /// `now` for async code: a test's clock is a file, and a file is read on a blocking
    /// thread, never on the runtime's own (where it would hold up every other task). The
    /// system clock needs no such hop.
    pub async fn now_off_thread(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::File(_) => {
                let clock = self.clone();
                tokio::task::spawn_blocking(move || clock.now())
                    .await
                    .unwrap_or_else(|join| {
                        tracing::warn!(%join, "clock task failed; using the system clock");
                        Utc::now()
                    })
            }
        }
    }

    /// How often a loop that waits for the clock should look again: often for a test
    /// clock (it jumps), rarely for the real one.
    pub fn poll_interval(&self) -> std::time::Duration {
        match self {
            Clock::System => std::time::Duration::from_secs(30),
            Clock::File(_) => std::time::Duration::from_millis(100),
        }
    }
}

/// A clock and the zone whose calendar decides what "today" is.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalClock {
    pub clock: Clock,
    pub zone: chrono_tz::Tz,
}

impl LocalClock {
    /// Now, with today's local date.
    pub fn now(&self) -> crate::domain::Now {
        crate::domain::Now::in_zone(self.clock.now(), self.zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[tokio::test(flavor = "current_thread")]
    async fn a_clock_file_is_read_off_the_runtime_thread() {
        // Regression (issue 16): the reminder scheduler and the nudge task read the clock
        // file on the runtime's thread. The clock file here is a FIFO that no one has opened
        // for writing yet, so reading it blocks: on the one thread of this runtime, that would
        // stop the test's own timer until the fallback writer below opens it after 10 s.
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("clock");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let write_time = {
            let fifo = fifo.clone();
            move || std::fs::write(&fifo, "2031-05-06T07:08:09Z")
        };
        let fallback = {
            let write_time = write_time.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(10));
                let _ = write_time();
            })
        };
        let reading = tokio::spawn({
            let clock = Clock::File(fifo.clone());
            async move { clock.now_off_thread().await }
        });
        let started = Instant::now();
        tokio::time::sleep(Duration::from_millis(20)).await;
        let waited = started.elapsed();
        assert!(
            waited < Duration::from_secs(5),
            "the runtime's thread was held by the clock read for {waited:?}"
        );
        assert!(!reading.is_finished(), "the FIFO has not been written yet");
        std::thread::spawn(write_time)
            .join()
            .expect("writer")
            .expect("written");
        let at = reading.await.expect("joined");
        assert_eq!(at.to_rfc3339(), "2031-05-06T07:08:09+00:00");
        drop(fallback);
    }
}
