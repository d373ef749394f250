//! Crash points for the reliability tests: `ROLLCALL_CRASH_AT=<name>:<n>` makes the process
//! abort the n-th time the named point is reached, as a power cut at that instant would.
//!
//! The variable is read once; when it is unset a point costs one load of an initialised
//! `OnceLock` and a comparison. The points are named after what has just happened:
//!
//! | Name | Where |
//! |---|---|
//! | `after_fetch` | updates fetched from Telegram, not stored yet |
//! | `after_store` | a fetched batch committed to the inbox, before the next `getUpdates` acknowledges it |
//! | `after_commit` | a processed batch committed (states, sessions, outbox rows), before the sender is woken |
//! | `before_delete` | a message accepted by Telegram, before its outbox row is deleted |
//! | `after_file_delete` | a spooled report file accepted by Telegram and deleted from the spool, before its outbox row is deleted |

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The environment variable that arms a crash point.
pub const VARIABLE: &str = "ROLLCALL_CRASH_AT";

/// The armed point: its name, the hit that aborts, and the hits so far.
#[derive(Debug)]
struct Armed {
    name: String,
    at: u64,
    hits: AtomicU64,
}

fn armed() -> Option<&'static Armed> {
    static ARMED: OnceLock<Option<Armed>> = OnceLock::new();
    ARMED
        .get_or_init(|| {
            let value = std::env::var(VARIABLE).ok()?;
            let parsed = parse(&value);
            if parsed.is_none() {
                tracing::warn!(value, "{VARIABLE} is not <name>:<n>; ignored");
            }
            parsed
        })
        .as_ref()
}

fn parse(value: &str) -> Option<Armed> {
    let (name, at) = value.trim().split_once(':')?;
    let at: u64 = at.trim().parse().ok().filter(|n| *n > 0)?;
    Some(Armed {
        name: name.trim().to_owned(),
        at,
        hits: AtomicU64::new(0),
    })
}

/// Marks that the point `name` was reached; aborts the process on the armed hit.
pub fn hit(name: &str) {
    let Some(armed) = armed() else {
        return;
    };
    if armed.name != name {
        return;
    }
    let count = armed.hits.fetch_add(1, Ordering::SeqCst) + 1;
    if count == armed.at {
        // Written straight to stderr: the log writer may buffer, and the test reading the
        // log wants to know the crash was the planned one.
        eprintln!("rollcall: crash point {name} reached ({count}); aborting");
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_name_colon_positive_count_arms_a_point() {
        let armed = parse(" after_store:3 ").expect("valid");
        assert_eq!((armed.name.as_str(), armed.at), ("after_store", 3));
        assert!(parse("after_store").is_none());
        assert!(parse("after_store:0").is_none());
        assert!(parse("after_store:x").is_none());
    }
}
