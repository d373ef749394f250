//! Support code shared by the end-to-end tests: a fake Telegram Bot API and a bot process harness.
//!
//! Every test file that says `mod support;` compiles this module anew and uses only part of it,
//! so unused-code warnings are silenced here rather than in each file.
#![allow(dead_code, unused_imports)]

pub mod bot_process;
pub mod fake_telegram;

pub use bot_process::{BotProcess, TestEnv, TEST_TOKEN};
pub use fake_telegram::{FakeTelegram, Fault, SentFile, SentMessage, TestUser};
