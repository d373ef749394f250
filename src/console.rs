//! The same dialogs in a terminal, against the same redb file: one line in, the bot's
//! messages out, inline buttons numbered so they can be chosen by typing the number.
//!
//! It goes through the same `Runtime::handle` and outbox as the Telegram adapter, so
//! what works here works in Telegram (minus Telegram itself).

use crate::dialog::{Input, Keyboard, Sender};
use crate::domain::{Now, UserId};
use crate::outgoing::OutOp;
use crate::runtime::{Callback, Event, ReportWorker, Runtime};
use crate::store::{Store, StoreError};
use std::io::{BufRead, Write};

/// Reads lines from `input` until end of input, printing the bot's answers to `output`.
pub fn run(
    store: &Store,
    runtime: &Runtime,
    user: UserId,
    zone: chrono_tz::Tz,
    input: impl BufRead,
    mut output: impl Write,
) -> anyhow::Result<()> {
    let mut buttons: Vec<String> = Vec::new();
    let mut presses = 0u64;
    let mut reports = ReportWorker::new(store.clone(), runtime.catalog.clone());
    writeln!(output, "rollcall console — type /log to start, a number to press a button, Ctrl-D to quit.\n(To type a number that is also a button's number, put ' before it: '1. End a line with \\ to go on with the same message on the next line.)")?;
    let mut continued = String::new();
    for line in input.lines() {
        let line = line?;
        // A trailing backslash continues the message, so several quick-entry lines can be
        // sent as one message, as they can from a phone.
        if let Some(head) = line.trim_end().strip_suffix('\\') {
            continued.push_str(head);
            continued.push('\n');
            continue;
        }
        let line = std::mem::take(&mut continued) + &line;
        let trimmed = line.trim();
        let (input, callback) = match trimmed.parse::<usize>() {
            Ok(n) if n >= 1 && n <= buttons.len() => {
                presses += 1;
                let callback = Callback {
                    id: format!("console-{presses}"),
                    message_id: None,
                };
                (
                    Input::Button {
                        data: buttons[n - 1].clone(),
                    },
                    Some(callback),
                )
            }
            _ if trimmed.starts_with('/') => {
                let (name, args) = trimmed[1..].split_once(' ').unwrap_or((&trimmed[1..], ""));
                (
                    Input::Command {
                        name: name.to_lowercase(),
                        args: args.trim().to_owned(),
                    },
                    None,
                )
            }
            // A leading apostrophe types a number that is also a button number as text.
            _ => (
                Input::Text(trimmed.strip_prefix('\'').unwrap_or(&line).to_owned()),
                None,
            ),
        };
        let event = Event {
            chat: user,
            sender: Sender {
                user,
                chat: user,
                name: String::new(),
                language_hint: None,
                private: true,
            },
            input,
            callback,
            sent_at: None,
        };
        let now = Now::in_zone(chrono::Utc::now(), zone);
        store.write(|tx| runtime.handle(tx, &event, now))?;
        // The report files a step asked for, built as the bot's report worker builds them.
        reports.run_pending()?;
        // Take the replies out of the outbox: the console "delivers" them by printing, so
        // nothing is left queued for a later bot run.
        let sent = store.write(|tx| {
            let queued = tx.outbox(1000)?;
            let mut mine = Vec::new();
            for (seq, message) in queued {
                if message.chat == user {
                    tx.remove_outgoing(seq)?;
                    mine.push(message);
                }
            }
            Ok::<_, StoreError>(mine)
        })?;
        // Delivered by printing: their spooled files are done with (one not removed is
        // left for the sweep at the next start).
        for spooled in sent
            .iter()
            .filter_map(|message| message.op.file().and_then(|(_, body)| body.spooled()))
        {
            if let Err(error) = store.spool().remove(spooled) {
                tracing::warn!(file = %spooled.name, %error, "spool: cannot remove a file");
            }
        }
        for message in sent {
            match message.op {
                OutOp::Message { html, keyboard } => {
                    // Only the buttons of the latest message can be pressed.
                    buttons.clear();
                    writeln!(output, "\n{}", plain_text(&html))?;
                    match keyboard {
                        Some(Keyboard::Inline(rows)) => {
                            let pressable: Vec<_> = rows.into_iter().flatten().collect();
                            for (number, button) in pressable.iter().enumerate() {
                                writeln!(output, "  [{}] {}", number + 1, button.label)?;
                            }
                            buttons = pressable.into_iter().map(|b| b.data).collect();
                        }
                        Some(Keyboard::Links(rows)) => {
                            for link in rows.iter().flatten() {
                                writeln!(output, "  (link) {}: {}", link.label, link.url)?;
                            }
                        }
                        Some(Keyboard::LinksAndButtons {
                            links,
                            buttons: rows,
                        }) => {
                            for link in links.iter().flatten() {
                                writeln!(output, "  (link) {}: {}", link.label, link.url)?;
                            }
                            let pressable: Vec<_> = rows.into_iter().flatten().collect();
                            for (number, button) in pressable.iter().enumerate() {
                                writeln!(output, "  [{}] {}", number + 1, button.label)?;
                            }
                            buttons = pressable.into_iter().map(|b| b.data).collect();
                        }
                        Some(Keyboard::Persistent(rows)) => {
                            for label in rows.iter().flatten() {
                                writeln!(output, "  (keyboard) {label}")?;
                            }
                        }
                        None => {}
                    }
                }
                OutOp::AnswerButton {
                    notice: Some(notice),
                    ..
                } => writeln!(output, "({notice})")?,
                // Menus are Telegram's; the console has none.
                OutOp::AnswerButton { notice: None, .. }
                | OutOp::CloseButtons { .. }
                | OutOp::Menu { .. } => {}
                // Inline or spooled, the length is in the row.
                OutOp::Document {
                    file_name, body, ..
                }
                | OutOp::Photo {
                    file_name, body, ..
                } => writeln!(output, "[{file_name}, {} bytes]", body.len())?,
            }
        }
    }
    Ok(())
}

/// Telegram HTML as terminal text: tags dropped, entities decoded.
pub fn plain_text(html: &str) -> String {
    crate::format::html_to_plain(html)
}
