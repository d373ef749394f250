//! Reminders pushed to centres' group chats: their schedules, and when each fires.

pub mod parse;
pub mod schedule;
