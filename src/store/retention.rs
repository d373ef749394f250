//! Pruning of what would otherwise grow without bound: invitations long expired, the
//! dialog state of strangers who went quiet, and audit entries older than the retention.
//!
//! `prune` runs in a transaction of its own, at start-up and once a day from the reminder
//! scheduler (`reminders/scheduler.rs`), and removes at most `limit` rows of each kind per
//! run, so a first run on an old file never holds the writer for long: when it stopped at
//! the limit it says so (`Pruned::more`) and the scheduler runs it again at its next tick.
//!
//! The audit log is the one record people may be asked for later: `rollcall export`
//! writes it in full, and the README asks operators to keep an export from before the
//! entries age out (`[retention] audit_days`, two years by default).

use super::codec::decode;
use super::tables::{AUDIT, AUDIT_BY_CENTRE, CHATS, INVITES};
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::roles::AuditEntry;
use chrono::{DateTime, Duration, Utc};
use redb::ReadableTable;
use serde::Deserialize;

/// How long things are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// An invitation is removed this long after it expired.
    pub invites_after_expiry: Duration,
    /// A stranger's chat state (a private chat of someone without a role, or a group no
    /// centre linked) is removed when no step touched it for this long.
    pub idle_strangers: Duration,
    /// Audit entries older than this are removed.
    pub audit: Duration,
}

impl Retention {
    /// The default audit retention: two years.
    pub const AUDIT_DAYS: u32 = 730;

    /// 30 days for expired invitations and idle strangers, `audit_days` for the audit.
    pub fn with_audit_days(audit_days: u32) -> Retention {
        Retention {
            invites_after_expiry: Duration::days(30),
            idle_strangers: Duration::days(30),
            audit: Duration::days(i64::from(audit_days)),
        }
    }
}

impl Default for Retention {
    fn default() -> Retention {
        Retention::with_audit_days(Retention::AUDIT_DAYS)
    }
}

/// What one run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub invites: usize,
    pub chats: usize,
    pub audit: usize,
    /// A kind stopped at the limit: there may be more to remove.
    pub more: bool,
}

/// The one field of a stored chat state pruning reads (see `chats.rs`).
#[derive(Deserialize)]
struct Touched {
    #[serde(default)]
    at: Option<DateTime<Utc>>,
}

impl<S: Source> View<S> {
    /// Whether `chat` is a stranger's: the private chat of someone without any role, or a
    /// group no centre has linked.
    fn is_strangers_chat(&self, chat: i64) -> Result<bool, StoreError> {
        if chat > 0 {
            Ok(self.access(chat)?.is_stranger())
        } else {
            Ok(self.group_centre(chat)?.is_none())
        }
    }
}

impl Tx<'_> {
    /// Removes, as of `now`, up to `limit` each of: invitations expired longer ago than the
    /// retention, idle strangers' chat states, and audit entries older than the retention.
    ///
    /// A stranger's chat state written before states carried their time (or outside a
    /// step) is stamped with `now` instead, so it goes once it has been idle that long.
    pub fn prune(
        &mut self,
        now: DateTime<Utc>,
        retention: Retention,
        limit: usize,
    ) -> Result<Pruned, StoreError> {
        let mut pruned = Pruned::default();

        let expired_before = now - retention.invites_after_expiry;
        let mut codes = Vec::new();
        for entry in self.txn.open_table(INVITES)?.iter()? {
            let (code, bytes) = entry?;
            // An invitation that does not decode is left for `rollcall check` to report.
            let Ok(invite) = decode::<super::invites::InviteRecord>(bytes.value()) else {
                continue;
            };
            if invite.expires_at < expired_before {
                if codes.len() == limit {
                    pruned.more = true;
                    break;
                }
                codes.push(code.value().to_owned());
            }
        }
        let mut invites = self.txn.open_table(INVITES)?;
        for code in &codes {
            invites.remove(code.as_str())?;
        }
        drop(invites);
        pruned.invites = codes.len();

        let idle_before = now - retention.idle_strangers;
        let mut idle = Vec::new();
        let mut unstamped = Vec::new();
        for entry in self.txn.open_table(CHATS)?.iter()? {
            let (chat, bytes) = entry?;
            let chat = chat.value();
            let touched = decode::<Touched>(bytes.value()).ok().map(|t| t.at);
            match touched {
                Some(Some(at)) if at >= idle_before => continue,
                _ => {}
            }
            if !self.is_strangers_chat(chat)? {
                continue;
            }
            match touched {
                // Written without a time: stamped now, pruned when idle from now on.
                Some(None) => unstamped.push((chat, bytes.value().to_vec())),
                // Idle for long enough, or not even readable: nothing worth keeping.
                _ => {
                    if idle.len() == limit {
                        pruned.more = true;
                        break;
                    }
                    idle.push(chat);
                }
            }
        }
        let mut chats = self.txn.open_table(CHATS)?;
        for chat in &idle {
            chats.remove(*chat)?;
        }
        for (chat, bytes) in unstamped {
            let mut value: serde_json::Value = decode(&bytes)?;
            if let Some(object) = value.as_object_mut() {
                object.insert(
                    "at".to_owned(),
                    serde_json::to_value(now).map_err(|e| StoreError::Decode(e.to_string()))?,
                );
                chats.insert(chat, super::codec::encode(&value)?.as_slice())?;
            }
        }
        drop(chats);
        pruned.chats = idle.len();

        // Audit numbers grow with time, so the old entries are the first ones.
        let kept_from = now - retention.audit;
        let mut old = Vec::new();
        for entry in self.txn.open_table(AUDIT)?.iter()? {
            let (seq, bytes) = entry?;
            let Ok(entry) = decode::<AuditEntry>(bytes.value()) else {
                continue;
            };
            if entry.at >= kept_from {
                break;
            }
            if old.len() == limit {
                pruned.more = true;
                break;
            }
            old.push((seq.value(), entry.centre));
        }
        let mut audit = self.txn.open_table(AUDIT)?;
        let mut by_centre = self.txn.open_table(AUDIT_BY_CENTRE)?;
        for (seq, centre) in &old {
            audit.remove(*seq)?;
            if let Some(centre) = centre {
                by_centre.remove((*centre, *seq))?;
            }
        }
        pruned.audit = old.len();
        Ok(pruned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialog::ChatState;
    use crate::roles::Role;
    use crate::store::invites::InviteRecord;
    use crate::store::Store;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
            .single()
            .expect("a time")
    }

    fn invite(expires_at: DateTime<Utc>) -> InviteRecord {
        InviteRecord {
            role: Role::Organiser,
            centre: Some(1),
            created_by: 1,
            created_at: expires_at - Duration::days(7),
            expires_at,
            uses_left: 1,
            revoked: false,
            used_by: Vec::new(),
        }
    }

    fn counts(store: &Store) -> (u64, u64, u64, u64) {
        use redb::ReadableTableMetadata;
        store
            .read(|tx| {
                Ok((
                    tx.table(INVITES)?.len()?,
                    tx.table(CHATS)?.len()?,
                    tx.table(AUDIT)?.len()?,
                    tx.table(AUDIT_BY_CENTRE)?.len()?,
                ))
            })
            .expect("counts")
    }

    #[test]
    fn invites_strangers_chats_and_audit_no_longer_grow_without_bound() {
        // Regression (issue 16): INVITES, strangers' CHATS and AUDIT were never pruned.
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("prune.redb")).expect("open");
        let now = now();
        let state = ChatState::default();
        store
            .write(|tx| {
                let centre = tx.ensure_centre("Tràng An")?;
                assert_eq!(centre, 1);
                // Audit entries come in time order, as a running bot writes them: three
                // years old, over two years old, then the member's (400 days), one year.
                let audit_at = |days: i64| now - Duration::days(days);
                tx.audit::<(), ()>(audit_at(1100), 1, Some(centre), "old", None, None)?;
                tx.audit::<(), ()>(audit_at(800), 1, None, "old", None, None)?;
                // A member of the centre (their chat, idle for long, is kept).
                tx.add_member(centre, 10, Role::Organiser, "Lan", 0, audit_at(400))?;
                tx.audit::<(), ()>(audit_at(365), 1, Some(centre), "kept", None, None)?;
                // Long expired, recently expired, still valid.
                tx.create_invite("OLD", &invite(now - Duration::days(31)))?;
                tx.create_invite("RECENT", &invite(now - Duration::days(29)))?;
                tx.create_invite("VALID", &invite(now + Duration::days(3)))?;
                tx.set_chat_state_at(10, &state, now - Duration::days(90))?;
                // Strangers: idle long, idle briefly, written without a time.
                tx.set_chat_state_at(20, &state, now - Duration::days(31))?;
                tx.set_chat_state_at(21, &state, now - Duration::days(29))?;
                tx.set_chat_state(22, &state)?;
                // A group no centre linked, idle long.
                tx.set_chat_state_at(-100, &state, now - Duration::days(31))?;
                Ok(())
            })
            .expect("setup");
        let before = counts(&store);

        let pruned = store
            .write(|tx| tx.prune(now, Retention::default(), 100))
            .expect("prune");
        assert_eq!(
            pruned,
            Pruned {
                invites: 1,
                chats: 2,
                audit: 2,
                more: false
            },
            "OLD; stranger 20 and the group; the two entries older than two years"
        );
        let after = counts(&store);
        assert_eq!(after.0, before.0 - 1);
        assert_eq!(after.1, before.1 - 2);
        assert_eq!(after.2, before.2 - 2);
        assert_eq!(after.3, before.3 - 1, "the centre's index follows");
        store
            .read(|tx| {
                assert!(tx.invite("OLD")?.is_none());
                assert!(tx.invite("RECENT")?.is_some());
                assert!(tx.chat_state(10)?.is_some(), "a member's chat stays");
                assert!(tx.chat_state(21)?.is_some());
                assert!(tx.chat_state(22)?.is_some(), "stamped, not removed");
                let log = tx.audit_log(None, 10)?;
                assert!(
                    log.iter().all(|e| e.at >= now - Duration::days(730)),
                    "{log:?}"
                );
                Ok(())
            })
            .expect("read");

        // The stamped chat goes once it has been idle for 30 days from the stamp.
        let later = now + Duration::days(31);
        let pruned = store
            .write(|tx| tx.prune(later, Retention::with_audit_days(3000), 100))
            .expect("prune");
        assert_eq!((pruned.chats, pruned.audit), (2, 0), "21 and 22");
    }

    #[test]
    fn a_run_removes_at_most_the_limit_and_says_there_is_more() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("limit.redb")).expect("open");
        let now = now();
        store
            .write(|tx| {
                for i in 0..5 {
                    tx.create_invite(&format!("OLD{i}"), &invite(now - Duration::days(40)))?;
                }
                Ok(())
            })
            .expect("setup");
        let run = || {
            store
                .write(|tx| tx.prune(now, Retention::default(), 2))
                .expect("prune")
        };
        assert_eq!((run().invites, run().invites, run().invites), (2, 2, 1));
        assert!(!run().more);
    }
}
