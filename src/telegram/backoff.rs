//! Waits between attempts: doubling from a first pause up to a ceiling, with jitter.
//!
//! Pure like `limits.rs`: the randomness comes in as a number, and [`Jitter`] is a small
//! seeded generator, so the tests check every wait without sleeping. Jitter matters when
//! many chats (or a restarted bot's loops) fail at the same moment, after a Telegram
//! outage say: without it they all retry in the same instant again, and again.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// A doubling backoff: `first` after the first failure, twice as long after each further
/// one, never more than `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The sender's per-chat backoff: 0.5 s, 1 s, 2 s, ... up to a minute.
    pub const SENDER: Backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(60));
    /// The poller's and the webhook registration's: 0.5 s, 1 s, ... up to 30 s.
    pub const FETCH: Backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));

    pub const fn new(first: Duration, max: Duration) -> Backoff {
        Backoff { first, max }
    }

    /// The wait after `failures` consecutive failures (1 for the first), before jitter.
    pub fn nominal(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(20);
        self.first
            .checked_mul(2u32.pow(exponent))
            .unwrap_or(self.max)
            .min(self.max)
    }

    /// The wait after `failures` failures with jitter: between half the nominal wait and
    /// all of it, chosen by `random` (any `u64`, uniformly spread). Half is kept fixed so
    /// a retry never comes back at once; the other half spreads the retries out.
    pub fn wait(&self, failures: u32, random: u64) -> Duration {
        let nominal = self.nominal(failures);
        let half = nominal / 2;
        let spread = nominal - half;
        // `random / 2^64` as a fraction of the spread, in whole nanoseconds.
        let extra = (spread.as_nanos() * u128::from(random)) >> 64;
        half + Duration::from_nanos(u64::try_from(extra).unwrap_or(u64::MAX))
    }
}

/// A small pseudo-random generator (SplitMix64) for jitter: not for secrets, only to keep
/// retries apart. Seeded explicitly in tests and from the process's hasher seed otherwise.
#[derive(Debug, Clone)]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    pub fn seeded(seed: u64) -> Jitter {
        Jitter { state: seed }
    }

    /// Seeded from the standard library's per-process random hasher keys, so two bots (or
    /// two loops of one bot) do not draw the same waits.
    pub fn from_process() -> Jitter {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u8(0);
        Jitter::seeded(hasher.finish())
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `backoff`'s wait after `failures` failures, with the next number as jitter.
    pub fn wait(&mut self, backoff: Backoff, failures: u32) -> Duration {
        backoff.wait(failures, self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nominal_wait_doubles_up_to_the_ceiling() {
        let waits: Vec<u128> = (1..=9)
            .map(|n| Backoff::SENDER.nominal(n).as_millis())
            .collect();
        assert_eq!(
            waits,
            vec![500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]
        );
        assert_eq!(Backoff::FETCH.nominal(u32::MAX), Duration::from_secs(30));
        assert_eq!(Backoff::FETCH.nominal(0), Duration::from_millis(500));
    }

    #[test]
    fn jitter_stays_between_half_and_the_whole_nominal_wait() {
        let backoff = Backoff::SENDER;
        assert_eq!(backoff.wait(3, 0), Duration::from_secs(1));
        assert!(backoff.wait(3, u64::MAX) <= Duration::from_secs(2));
        assert!(backoff.wait(3, u64::MAX) > Duration::from_millis(1999));
        assert_eq!(backoff.wait(3, 1 << 63), Duration::from_millis(1500));
        let mut jitter = Jitter::seeded(7);
        for failures in 1..12 {
            let wait = jitter.wait(backoff, failures);
            let nominal = backoff.nominal(failures);
            assert!(
                wait >= nominal / 2 && wait <= nominal,
                "{wait:?} for {nominal:?}"
            );
        }
    }

    #[test]
    fn jittered_waits_spread_out_instead_of_retrying_together() {
        // A hundred chats failing at once get a hundred different waits.
        let mut jitter = Jitter::seeded(42);
        let mut waits: Vec<Duration> = (0..100).map(|_| jitter.wait(Backoff::SENDER, 4)).collect();
        waits.sort();
        waits.dedup();
        assert_eq!(waits.len(), 100);
        let first = waits[0];
        let last = waits[99];
        // Nominal 4 s: the waits cover most of 2 s to 4 s.
        assert!(
            last - first > Duration::from_millis(1500),
            "{first:?}..{last:?}"
        );
    }

    #[test]
    fn the_same_seed_draws_the_same_waits() {
        let draw = |seed| {
            let mut jitter = Jitter::seeded(seed);
            (1..5)
                .map(|n| jitter.wait(Backoff::FETCH, n))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }
}
