//! Telegram's sending limits as a pure scheduler: when may the next message to a chat go?
//!
//! The Bot FAQ asks for no more than about one message per second in a chat (short bursts
//! pass), 20 messages per minute in a group, and about 30 messages per second overall.
//! Going over earns HTTP 429 with a `retry_after` that pauses the chat (or the bot) for
//! seconds, so the sender stays under the limits rather than relying on 429s.
//!
//! Telegram counts a message when the request arrives, somewhere between the moment it is
//! sent and the moment the answer comes back (a busy connection pool can delay it by
//! hundreds of milliseconds). So a message occupies the global budget from the start of
//! its request, and is dated by the end of it: a later request then always arrives after
//! every message the limiter has stopped counting. Each chat has one request in flight at
//! most, so dating its messages by their answers keeps the per-chat pace on arrival too.
//!
//! Every function takes `now` as an argument, so the rules are tested without sleeping.

use crate::domain::ChatId;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The limits the sender keeps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Messages one chat may receive at once before the per-chat pace applies. A step can
    /// produce two messages (an edit closing the buttons, then the reply), so a burst of 3
    /// keeps a dialog's steps from waiting on each other.
    pub chat_burst: u32,
    /// The sustained pace in one chat: one message per this interval.
    pub chat_interval: Duration,
    /// Messages a group chat (negative id) may receive per `group_window`.
    pub group_max: usize,
    pub group_window: Duration,
    /// Messages all chats together may receive per `global_window`.
    pub global_max: usize,
    pub global_window: Duration,
}

impl Limits {
    /// Telegram's published limits.
    pub const TELEGRAM: Limits = Limits {
        chat_burst: 3,
        chat_interval: Duration::from_secs(1),
        group_max: 20,
        group_window: Duration::from_secs(60),
        global_max: 30,
        global_window: Duration::from_secs(1),
    };
}

/// The sending history the limits are checked against.
#[derive(Debug)]
pub struct RateLimiter {
    /// `None`: no limits (benchmarks only).
    limits: Option<Limits>,
    chats: HashMap<ChatId, ChatHistory>,
    /// Answer times within the global window, oldest first.
    global: VecDeque<Instant>,
    /// Messages whose request has started and not ended.
    in_flight: usize,
    /// Chat histories are pruned when there are more than this many.
    prune_at: usize,
}

#[derive(Debug, Default)]
struct ChatHistory {
    /// The "theoretical arrival time" of the generic cell rate algorithm: a message may go
    /// at `tat - (burst - 1) * interval`, and each one pushes `tat` one interval further.
    /// That is a token bucket of `burst` tokens refilled one per interval, in one number.
    tat: Option<Instant>,
    /// Send times within the group window, oldest first (groups only).
    group: VecDeque<Instant>,
}

impl RateLimiter {
    /// A limiter keeping to `limits`, or to none when `None`.
    pub fn new(limits: Option<Limits>) -> RateLimiter {
        RateLimiter {
            limits,
            chats: HashMap::new(),
            global: VecDeque::new(),
            in_flight: 0,
            prune_at: 1024,
        }
    }

    /// The earliest instant a message to `chat` may be sent (`now` or earlier: at once).
    pub fn ready_at(&mut self, chat: ChatId, now: Instant) -> Instant {
        let Some(limits) = self.limits else {
            return now;
        };
        self.forget_old(now);
        let mut ready = now;
        if let Some(history) = self.chats.get_mut(&chat) {
            while history
                .group
                .front()
                .is_some_and(|t| now.duration_since(*t) >= limits.group_window)
            {
                history.group.pop_front();
            }
            if let Some(tat) = history.tat {
                let tolerance = limits.chat_interval * limits.chat_burst.saturating_sub(1);
                ready = ready.max(tat.checked_sub(tolerance).unwrap_or(tat));
            }
            if is_group(chat) && history.group.len() >= limits.group_max {
                if let Some(oldest) = history.group.front() {
                    ready = ready.max(*oldest + limits.group_window);
                }
            }
        }
        if self.global.len() + self.in_flight >= limits.global_max {
            // With every slot taken by requests in flight, the end of one of them is the
            // next chance; the caller is woken by that end anyway.
            let oldest = self.global.front().copied().unwrap_or(now);
            ready = ready.max(oldest + limits.global_window);
        }
        ready
    }

    /// Records that a request carrying a message starts (it holds a global slot from now).
    pub fn start(&mut self) {
        if self.limits.is_some() {
            self.in_flight += 1;
        }
    }

    /// Records that the request carrying a message to `chat` ended at `now` (accepted or
    /// not: a refused message may still have counted at Telegram).
    pub fn finish(&mut self, chat: ChatId, now: Instant) {
        let Some(limits) = self.limits else {
            return;
        };
        self.in_flight = self.in_flight.saturating_sub(1);
        let history = self.chats.entry(chat).or_default();
        let tat = history.tat.map_or(now, |tat| tat.max(now));
        history.tat = Some(tat + limits.chat_interval);
        if is_group(chat) {
            history.group.push_back(now);
        }
        self.global.push_back(now);
    }

    /// Drops history that no longer limits anything, so the map does not grow with every
    /// chat ever served.
    fn forget_old(&mut self, now: Instant) {
        let Some(limits) = self.limits else {
            return;
        };
        while self
            .global
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limits.global_window)
        {
            self.global.pop_front();
        }
        if self.chats.len() > self.prune_at {
            self.chats.retain(|_, history| {
                while history
                    .group
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= limits.group_window)
                {
                    history.group.pop_front();
                }
                history.tat.is_some_and(|tat| tat > now) || !history.group.is_empty()
            });
            self.prune_at = (self.chats.len() * 2).max(1024);
        }
    }
}

/// Group and supergroup chats have negative ids in the Bot API.
fn is_group(chat: ChatId) -> bool {
    chat < 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends to `chat` as fast as the limiter allows, `n` times; returns the offsets in ms.
    fn schedule(limiter: &mut RateLimiter, chat: ChatId, start: Instant, n: usize) -> Vec<u128> {
        let mut now = start;
        (0..n)
            .map(|_| {
                now = now.max(limiter.ready_at(chat, now));
                limiter.start();
                limiter.finish(chat, now);
                now.duration_since(start).as_millis()
            })
            .collect()
    }

    #[test]
    fn a_chat_gets_a_burst_of_three_then_one_per_second() {
        let mut limiter = RateLimiter::new(Some(Limits::TELEGRAM));
        let start = Instant::now();
        assert_eq!(
            schedule(&mut limiter, 1, start, 6),
            vec![0, 0, 0, 1000, 2000, 3000]
        );
        // Another chat is not held back by the first one.
        assert_eq!(schedule(&mut limiter, 2, start, 2), vec![0, 0]);
        // After a quiet spell the burst is available again.
        let later = start + Duration::from_secs(10);
        assert_eq!(schedule(&mut limiter, 1, later, 4), vec![0, 0, 0, 1000]);
    }

    #[test]
    fn a_group_gets_at_most_twenty_a_minute() {
        let mut limiter = RateLimiter::new(Some(Limits::TELEGRAM));
        let start = Instant::now();
        let times = schedule(&mut limiter, -100, start, 22);
        assert_eq!(times[19], 17_000, "{times:?}");
        assert_eq!(
            times[20], 60_000,
            "the 21st waits for the minute: {times:?}"
        );
        assert_eq!(times[21], 60_000, "{times:?}");
        // Any 60 s window holds at most 20.
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..].iter().filter(|u| **u < t + 60_000).count();
            assert!(in_window <= 20, "{times:?}");
        }
    }

    #[test]
    fn all_chats_together_get_at_most_thirty_a_second() {
        let mut limiter = RateLimiter::new(Some(Limits::TELEGRAM));
        let start = Instant::now();
        let mut times = Vec::new();
        for chat in 1..=40 {
            times.extend(schedule(&mut limiter, chat, start, 1));
        }
        assert_eq!(times.iter().filter(|t| **t == 0).count(), 30);
        assert!(times[30..].iter().all(|t| *t == 1000), "{times:?}");
    }

    #[test]
    fn requests_in_flight_hold_their_slot_until_they_end() {
        let mut limiter = RateLimiter::new(Some(Limits::TELEGRAM));
        let start = Instant::now();
        for chat in 1..=30 {
            assert_eq!(limiter.ready_at(chat, start), start);
            limiter.start();
        }
        // Thirty requests in flight: the thirty-first waits, however old they are.
        let later = start + Duration::from_secs(5);
        assert!(limiter.ready_at(31, later) > later);
        // One ends: it counts for a second from its end, which frees nothing yet...
        limiter.finish(1, later);
        assert_eq!(limiter.ready_at(31, later), later + Duration::from_secs(1));
        // ...and a second later its slot is free.
        let after = later + Duration::from_secs(1);
        assert_eq!(limiter.ready_at(31, after), after);
    }

    #[test]
    fn no_limits_means_always_now() {
        let mut limiter = RateLimiter::new(None);
        let start = Instant::now();
        assert!(schedule(&mut limiter, -5, start, 100)
            .iter()
            .all(|t| *t == 0));
    }
}
