//! rollcall: a Telegram bot for Vietnam's community learning centres (TTHTCĐ).
//!
//! Organisers log each class session through a short dialog; directors get the
//! period report (table III.2) they send to the education office.
//!
//! Data flows one way:
//!
//! ```text
//! Telegram update ─► inbox (redb) ─► runtime: engine step ─► one redb transaction
//!                                                         (state, sessions, outbox)
//!                                        outbox (redb) ─► sender ─► Bot API
//! ```
//!
//! - [`dialog`]: the pure engine and the compiled dialog files (`dialogs/`).
//! - [`store`]: the only code that touches redb.
//! - [`report`]: aggregation and rendering of the period report.
//! - [`runtime`]: runs one engine step inside one store transaction.
//! - [`telegram`]: the only code that knows teloxide (fetch loop, sender).
//! - [`console`]: the same dialogs in a terminal.
//! - [`config`]: flags, `rollcall.toml` and `ROLLCALL_*` variables; [`ops`]: health and metrics.
//! - [`domain`], [`outgoing`], [`format`]: shared vocabulary and formatting; [`document`]:
//!   the written parts of the whole report document; [`submission`]: reports handed in to
//!   the education office; [`centre_change`]: what renaming and merging centres move;
//!   [`import`]: a sessions spreadsheet brought in (its rows, and what checking them found).

pub mod app;
pub mod centre_change;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod dialog;
pub mod document;
pub mod domain;
pub mod format;
pub mod import;
pub mod ops;
pub mod outgoing;
pub mod parse;
pub mod reminders;
pub mod report;
pub mod roles;
pub mod runtime;
pub mod store;
pub mod submission;
pub mod telegram;
pub mod text;
