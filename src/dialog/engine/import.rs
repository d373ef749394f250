//! Bringing in past sessions (the check is `import_check.rs`, its message
//! `import_message.rs`): a director sends a sessions spreadsheet, the bot checks
//! every row and shows what it would add and what it refuses, and one confirmation adds
//! them all in one transaction. `/mau` (`/template`) sends the empty file to fill in.
//!
//! The engine never sees the file's bytes: the Telegram adapter fetched the file before
//! the step and read it into rows (`Input::Document` with `UploadContent::Sessions`, the
//! same path as a report document sent back, see `upload.rs`). The rows, not the
//! verdict, wait in the chat state for the confirmation, which checks them again: what
//! is added is what the store allows at that moment, and nothing is added if that
//! differs from what was shown.

use super::super::callback::Action;
use super::super::io::{Effect, Input, Keyboard};
use super::super::state::PendingImport;
use super::import_check::{check_import, CheckContext};
use super::import_message::{problem_text, render_check};
use super::Turn;
use crate::domain::{CentreId, SessionId};
use crate::format::{escape_html, format_count};
use crate::import::{ImportRows, ReadProblem, RefusedRow, MAX_ROWS};

/// The longest check message (HTML characters): Telegram takes 4,096 characters of text;
/// the rest of a long list of refused rows goes into a file.
const MAX_MESSAGE_CHARS: usize = 3_500;

impl Turn<'_> {
    /// Forgets a checked file unless `input` is its confirmation or something only the
    /// machine sends: a checked file waits for one answer (another file replaces it).
    pub(super) fn keep_import_for(&mut self, input: &Input) {
        if self.state.import.is_none() {
            return;
        }
        let continues = match input {
            Input::Button { data } => matches!(
                super::super::callback::decode(data),
                Some((_, Action::ImportAdd | Action::ImportSkip))
            ),
            Input::Text(_) | Input::Command { .. } | Input::NotText | Input::Document(_) => false,
            _ => true,
        };
        if !continues {
            self.state.import = None;
        }
    }

    /// A sessions spreadsheet sent in the private chat, as the adapter read it (rows, or
    /// why not): checked for the centre the sender manages. Somebody who may not bring
    /// in sessions is told so (the adapter did not fetch their file).
    pub(super) fn sessions_file_received(
        &mut self,
        file_name: String,
        rows: Result<ImportRows, ReadProblem>,
    ) {
        if !self.access.may_import() {
            if self.access.is_stranger() {
                return self.say_key("access.not_member");
            }
            self.say_key("access.directors_only");
            return self.remind_draft();
        }
        let Some(centre) = self.managed_centre() else {
            self.say_key("import.choose_centre");
            if !self.access.supervisor {
                self.choose_centre(false);
            }
            return;
        };
        // A new file replaces a checked one (and a document read back); their buttons
        // no longer apply.
        self.state.import = None;
        self.state.document_upload = None;
        self.state.stamp = self.state.stamp.wrapping_add(1);
        match rows {
            Ok(rows) => self.show_import_check(centre, file_name, rows),
            Err(problem) => self.say_problem(&problem),
        }
    }

    /// Checks `rows` and shows the verdict, with "add" and "skip" when there is
    /// something to add (the rows then wait in the chat state).
    fn show_import_check(&mut self, centre: CentreId, file_name: String, rows: ImportRows) {
        let centre_name = self.centre_label(centre);
        let check = check_import(&self.check_context(centre, &centre_name), &rows);
        let message = render_check(
            self.catalog,
            &check,
            &centre_name,
            &file_name,
            self.lang,
            Some(MAX_MESSAGE_CHARS),
        );
        if !message.left_out.is_empty() {
            self.send_refused_list(&file_name, &check.refused);
        }
        if check.added.is_empty() {
            self.state.import = None;
            return self.say(message.html);
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let count = format_count(check.added.len() as u64, self.lang);
        let add = self
            .catalog
            .render("import.add_button", self.lang, &[("count", &count)]);
        let rows_kb = vec![
            vec![self.button(add, &Action::ImportAdd)],
            vec![self.button(self.text("dialog.skip_button"), &Action::ImportSkip)],
        ];
        self.state.import = Some(PendingImport {
            centre,
            file_name,
            rows,
            lines: check.added_lines(),
        });
        let confirm = self
            .catalog
            .render("import.confirm", self.lang, &[("count", &count)]);
        self.say(message.html);
        self.say_with(confirm, Keyboard::Inline(rows_kb));
    }

    /// "✅ Thêm N buổi": the rows are checked again, and added only if the check still
    /// finds what was shown.
    pub(super) fn import_add(&mut self) {
        let Some(pending) = self.state.import.take() else {
            return self.stale();
        };
        if !self.access.may_manage(pending.centre) {
            self.effects.push(Effect::CloseButtons);
            return self.say_key("access.directors_only");
        }
        let centre_name = self.centre_label(pending.centre);
        let check = check_import(
            &self.check_context(pending.centre, &centre_name),
            &pending.rows,
        );
        self.effects.push(Effect::CloseButtons);
        if check.added_lines() != pending.lines {
            // Sessions were logged or classes changed since the check: show the new one.
            self.say_key("import.changed");
            return self.show_import_check(pending.centre, pending.file_name, pending.rows);
        }
        self.effects.push(Effect::ImportSessions {
            centre: pending.centre,
            file_name: pending.file_name,
            sessions: check.sessions(),
        });
    }

    /// "Bỏ qua": the checked file is dropped.
    pub(super) fn import_skip(&mut self) {
        if self.state.import.take().is_none() {
            return self.stale();
        }
        self.effects.push(Effect::CloseButtons);
        self.say_key("import.skipped");
    }

    /// The confirmation after the sessions of a file were stored.
    pub(super) fn sessions_imported(&mut self, centre: CentreId, sessions: &[SessionId]) {
        let (Some(first), Some(last)) = (sessions.first(), sessions.last()) else {
            return self.say_key("import.skipped");
        };
        let html = self.catalog.render(
            "import.added",
            self.lang,
            &[
                ("count", &format_count(sessions.len() as u64, self.lang)),
                ("first", &first.to_string()),
                ("last", &last.to_string()),
                ("centre", &escape_html(&self.centre_label(centre))),
            ],
        );
        self.say(html);
    }

    /// `/mau` (`/template`): how to fill the file, and the empty file.
    pub(super) fn template_command(&mut self) {
        let groups: Vec<String> = self
            .catalog
            .groups
            .iter()
            .map(|g| {
                format!(
                    "• {} (<i>{}</i>)",
                    escape_html(g.official.get(self.lang)),
                    escape_html(&g.code)
                )
            })
            .collect();
        let html = self.catalog.render(
            "import.template_help",
            self.lang,
            &[
                ("groups", &groups.join("\n")),
                ("max", &format_count(MAX_ROWS as u64, self.lang)),
            ],
        );
        // The how-to first, then the file it speaks of.
        self.say(html);
        self.flush();
        self.effects.push(Effect::SendTemplate);
        self.remind_draft();
    }

    /// Why a file could not be used, in the person's words.
    fn say_problem(&mut self, problem: &ReadProblem) {
        let html = problem_text(self.catalog, problem, self.lang);
        self.say(html);
    }

    /// Every refused row as a CSV file (row number, reason), for a list too long for
    /// one message.
    fn send_refused_list(&mut self, file_name: &str, refused: &[RefusedRow]) {
        let lang = self.lang;
        let mut writer = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
        let header = [
            self.text("import.column_row"),
            self.text("import.column_reason"),
        ];
        let mut written = writer.write_record(&header).is_ok();
        for row in refused {
            let reason = crate::format::html_to_plain(&row.reason);
            written &= writer.write_record([row.line.to_string(), reason]).is_ok();
        }
        let bytes = match writer.into_inner() {
            Ok(bytes) if written => bytes,
            // Writing into memory does not fail; if it did, the message still says which
            // rows were refused as far as it goes.
            _ => return,
        };
        let stem = file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem);
        let caption = self.catalog.render(
            "import.refused_file_caption",
            lang,
            &[("count", &format_count(refused.len() as u64, lang))],
        );
        self.effects.push(Effect::SendFile {
            file_name: format!("{}-{stem}.csv", self.text("import.refused_file_prefix")),
            caption: Some(caption),
            bytes,
        });
    }

    fn check_context<'c>(&'c self, centre: CentreId, centre_name: &'c str) -> CheckContext<'c> {
        CheckContext {
            catalog: self.catalog,
            facts: self.facts,
            centre,
            centre_name,
            organiser: self.sender.user,
            now: self.now,
            lang: self.lang,
        }
    }
}
