//! Reminders pushed to centres' group chats: their schedules, and when each fires.

pub mod fire;
pub mod parse;
pub mod schedule;
pub mod scheduler;
