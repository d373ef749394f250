//! A report document sent back edited in Word: the parts whose text changed, shown old
//! against new, and stored after one confirmation ("✅ Lưu các thay đổi" / "Bỏ qua").
//! A sessions spreadsheet arrives by the same input and is handed to `import.rs`.
//!
//! The adapter has already downloaded and read the file (`Input::Document`); the engine
//! compares what was read with the stored texts. Parts that did not change are not
//! stored again; the table and the computed figures were never read.

use super::super::callback::Action;
use super::super::io::{Effect, Keyboard, Reply};
use super::super::state::DocumentUpload;
use super::Turn;
use crate::document::{
    clean_part_text, line_change, shorten, Part, ReadBack, ReadProblem, Upload, UploadContent,
    MAX_PART_CHARS, MAX_UPLOAD_BYTES,
};
use crate::format::{escape_html, format_count, html_to_plain};
use crate::import::kind_of_name;

/// The most visible characters one message of changes holds (Telegram allows 4,096).
const MESSAGE_CHARS: usize = 3_500;
/// The most characters of one side (before or after) of a change shown.
const SIDE_CHARS: usize = 600;
/// The most characters of the file's name shown.
const NAME_CHARS: usize = 60;

impl Turn<'_> {
    /// A file in the private chat. Only a director's is read (the adapter fetched no
    /// other); anybody else is told so, as they would expect of a file they sent.
    pub(super) fn document_received(&mut self, upload: Upload) {
        if !self.sender.private {
            // In a group a file is meant for the people there, as any message without text.
            return;
        }
        // A sessions spreadsheet (read into rows by the adapter, or not fetched because of
        // who sent it) goes to the import's check (`import.rs`).
        let content = match upload.content {
            UploadContent::Sessions(rows) => {
                return self.sessions_file_received(upload.file_name, rows)
            }
            UploadContent::NotFetched if kind_of_name(&upload.file_name).is_spreadsheet() => {
                return self.sessions_file_received(
                    upload.file_name,
                    Err(crate::import::ReadProblem::Download),
                )
            }
            content => content,
        };
        if !self.access.may_send_document() {
            if self.state.draft.is_some() {
                // An organiser in the middle of a session: the question again.
                return self.not_text();
            }
            if self.access.is_stranger() {
                return self.say_key("access.not_member");
            }
            return self.say_key("document.upload_directors_only");
        }
        let Some(centre) = self.editable_centre() else {
            return self.say_key("document.upload_centre_first");
        };
        self.state.document_edit = None;
        self.state.document_upload = None;
        let file = escape_html(&shorten(&upload.file_name, NAME_CHARS));
        let read = match content {
            UploadContent::Read(read) => read,
            UploadContent::Refused(problem) => return self.upload_refused(problem, &file),
            UploadContent::NotFetched | UploadContent::Sessions(_) => {
                return self.upload_refused(ReadProblem::NotDownloaded, &file)
            }
        };
        self.compare_upload(centre, read, &file);
    }

    /// The short refusal of a file that cannot be used, saying why.
    fn upload_refused(&mut self, problem: ReadProblem, file: &str) {
        let key = match problem {
            ReadProblem::TooLarge => "document.read_too_large",
            ReadProblem::NotDocx => "document.read_not_docx",
            ReadProblem::Broken => "document.read_broken",
            ReadProblem::NoHeadings => "document.read_no_headings",
            ReadProblem::NotDownloaded => "document.read_not_downloaded",
        };
        let max = format!("{} MB", MAX_UPLOAD_BYTES / (1024 * 1024));
        let html = self
            .catalog
            .render(key, self.lang, &[("file", file), ("max", &max)]);
        self.say(html);
    }

    /// What was read against what is stored: nothing changed, or the changes and the
    /// question.
    fn compare_upload(&mut self, centre: crate::domain::CentreId, read: ReadBack, file: &str) {
        let texts = self.facts.document_texts(centre);
        let mut changes: Vec<(Part, String)> = Vec::new();
        let mut unusable: Vec<Part> = Vec::new();
        for (part, text) in read.parts {
            // A line break typed into a one-line part (the signer's name) is a space.
            let text = if part.is_one_line() {
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                text
            };
            let Some(text) = clean_part_text(&text) else {
                unusable.push(part);
                continue;
            };
            let printed = clean_part_text(&part.printed(texts.get(part)));
            if printed.as_deref() != Some(text.as_str()) {
                changes.push((part, text));
            }
        }
        let mut notes = Vec::new();
        if !read.not_found.is_empty() {
            let parts = self.part_names(&read.not_found);
            notes.push(self.catalog.render(
                "document.upload_not_found",
                self.lang,
                &[("parts", &parts)],
            ));
        }
        if !unusable.is_empty() {
            let parts = self.part_names(&unusable);
            let max = format_count(MAX_PART_CHARS as u64, self.lang);
            notes.push(self.catalog.render(
                "document.upload_unusable",
                self.lang,
                &[("parts", &parts), ("max", &max)],
            ));
        }
        if changes.is_empty() {
            let html =
                self.catalog
                    .render("document.upload_unchanged", self.lang, &[("file", file)]);
            self.say(html);
            for note in notes {
                self.say(note);
            }
            return;
        }
        self.show_changes(&changes, &texts, file, notes);
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.state.document_upload = Some(DocumentUpload {
            centre,
            changes: changes
                .into_iter()
                .map(|(part, text)| (part.id().to_owned(), text))
                .collect(),
        });
        let html = self.text("document.upload_confirm");
        let save = self.button(
            self.text("document.upload_save_button"),
            &Action::SaveUpload,
        );
        let skip = self.button(
            self.text("document.upload_skip_button"),
            &Action::SkipUpload,
        );
        self.say_with(html, Keyboard::Inline(vec![vec![save, skip]]));
    }

    /// The changes, each part's old and new lines, in as few messages as fit; the notes
    /// are left queued for the question.
    fn show_changes(
        &mut self,
        changes: &[(Part, String)],
        texts: &crate::document::DocumentTexts,
        file: &str,
        notes: Vec<String>,
    ) {
        // Anything queued earlier in this step goes first.
        self.flush();
        let count = changes.len().to_string();
        let mut message = self.catalog.render(
            "document.upload_read",
            self.lang,
            &[("file", file), ("count", &count)],
        );
        for (part, text) in changes {
            let change = line_change(&part.printed(texts.get(*part)), text);
            let side = |lines: &[String]| {
                let mut side = shorten(&lines.join("\n"), SIDE_CHARS);
                if change.cut_before {
                    side = format!("… {side}");
                }
                if change.cut_after && !side.ends_with('…') {
                    side.push_str(" …");
                }
                escape_html(&side)
            };
            let block = self.catalog.render(
                "document.upload_change",
                self.lang,
                &[
                    ("part", &escape_html(part.name(self.lang))),
                    ("old", &side(&change.old)),
                    ("new", &side(&change.new)),
                ],
            );
            let visible = |html: &str| html_to_plain(html).chars().count();
            if visible(&message) + visible(&block) + 2 > MESSAGE_CHARS {
                let full = std::mem::take(&mut message);
                self.effects.push(Effect::Reply(Reply {
                    html: full,
                    keyboard: None,
                }));
            } else {
                message.push_str("\n\n");
            }
            message.push_str(&block);
        }
        self.say(message);
        for note in notes {
            self.say(note);
        }
    }

    /// The names of `parts`, escaped, separated by semicolons.
    fn part_names(&self, parts: &[Part]) -> String {
        parts
            .iter()
            .map(|part| escape_html(part.name(self.lang)))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// "✅ Lưu các thay đổi": every changed part is stored (and audited) at once.
    pub(super) fn save_upload(&mut self) {
        let Some(upload) = self.state.document_upload.take() else {
            return self.stale();
        };
        self.effects.push(Effect::CloseButtons);
        // The sender's rights may have changed since the file was read.
        if !self.directs(upload.centre) {
            return self.say_key("access.directors_only");
        }
        let mut saved: u64 = 0;
        for (id, text) in upload.changes {
            if let Some(part) = Part::from_id(&id) {
                self.effects.push(Effect::SetDocumentPart {
                    centre: upload.centre,
                    part,
                    text,
                });
                saved = saved.saturating_add(1);
            }
        }
        let html = self.catalog.render(
            "document.upload_saved",
            self.lang,
            &[("count", &format_count(saved, self.lang))],
        );
        self.say(html);
    }

    /// "Bỏ qua": the stored texts stay as they are.
    pub(super) fn skip_upload(&mut self) {
        if self.state.document_upload.take().is_none() {
            return self.stale();
        }
        self.effects.push(Effect::CloseButtons);
        self.say_key("document.upload_skipped");
    }
}
