//! The whole report as a Word document (`/baocao`, `/document` and the button under a
//! report), and changing its written parts in the chat: "✏️ Sửa nội dung" → the list of
//! parts → the current text → "Giữ nguyên" or a new text.
//!
//! Directors and supervisors get the document (a supervisor the chosen centre's or the
//! roll-up); only a director changes the words of their own centre.

use super::super::callback::Action;
use super::super::io::{Effect, Keyboard, Reply};
use super::super::state::DocumentEdit;
use super::Turn;
use crate::document::{clean_part_text, split_text, Part, MAX_PART_CHARS};
use crate::domain::{CentreId, Period};
use crate::format::escape_html;
use crate::roles::Role;

/// How much of a part's text one message shows. Telegram allows 4,096 characters after
/// entity parsing; escaping and the part's name take some, so a piece stays well below.
const PIECE_CHARS: usize = 3_500;

impl Turn<'_> {
    fn is_manager(&self) -> bool {
        self.access.supervisor || self.access.centres.iter().any(|m| m.role == Role::Director)
    }

    /// `/baocao [period]` (or `/document`): the period forms of `/report`, the reporting
    /// year by default.
    pub(super) fn document_command(&mut self, command: &str, args: &str) {
        if let Some(period) = self.period_argument(command, args) {
            self.document_for(period);
        }
        self.remind_draft();
    }

    /// The button under a report: read-only like the period buttons, so it works on older
    /// reports too, but the sender's access is checked again.
    pub(super) fn document_button(&mut self, period: Period) {
        if !self.is_manager() {
            return self.stale();
        }
        self.document_for(period);
    }

    /// The document of `period` for the centre the sender may see (as `/report` decides),
    /// with the edit button for a director of that centre.
    fn document_for(&mut self, period: Period) {
        let centre = if self.access.supervisor {
            self.state.centre
        } else {
            match self.managed_centre() {
                Some(centre) => Some(centre),
                None if self.is_manager() => return self.choose_centre(false),
                None => return self.say_key("access.directors_only"),
            }
        };
        let keyboard = centre.filter(|&c| self.directs(c)).map(|_| {
            let mut rows =
                vec![vec![self.button(
                    self.text("document.edit_button"),
                    &Action::EditDocument,
                )]];
            rows.extend(self.handin_button(centre, period).map(|b| vec![b]));
            Keyboard::Inline(rows)
        });
        self.effects.push(Effect::ShowDocument {
            centre,
            period,
            keyboard,
        });
    }

    pub(super) fn directs(&self, centre: CentreId) -> bool {
        self.access.role_in(centre) == Some(Role::Director)
    }

    /// The centre whose words the sender may change: the one they manage, if they direct it.
    pub(super) fn editable_centre(&self) -> Option<CentreId> {
        self.managed_centre().filter(|&c| self.directs(c))
    }

    /// "✏️ Sửa nội dung": the list of written parts.
    pub(super) fn edit_document(&mut self) {
        if self.editable_centre().is_none() {
            return self.stale();
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let buttons: Vec<_> = Part::ALL
            .into_iter()
            .map(|part| {
                self.button(
                    part.name(self.lang).to_owned(),
                    &Action::DocumentPart(part.id().to_owned()),
                )
            })
            .collect();
        let rows = buttons.chunks(2).map(<[_]>::to_vec).collect();
        let html = self.text("document.choose_part");
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// One part chosen: its current text (in pieces that fit a message), then the question
    /// with "Giữ nguyên".
    pub(super) fn document_part_chosen(&mut self, id: &str) {
        let (Some(part), Some(centre)) = (Part::from_id(id), self.editable_centre()) else {
            return self.stale();
        };
        let texts = self.facts.document_texts(centre);
        let name = escape_html(part.name(self.lang));
        let key = if texts.is_written(part) {
            "document.current"
        } else {
            "document.current_hint"
        };
        let intro = self.catalog.render(key, self.lang, &[("part", &name)]);
        let pieces = split_text(texts.get(part), PIECE_CHARS);
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut html = String::new();
            if i == 0 {
                html.push_str(&intro);
                html.push('\n');
            }
            if count > 1 {
                html.push_str(&format!("({}/{count})\n", i + 1));
            }
            html.push_str(&escape_html(&piece));
            self.effects.push(Effect::Reply(Reply {
                html,
                keyboard: None,
            }));
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.state.document_edit = Some(DocumentEdit {
            centre,
            part: part.id().to_owned(),
        });
        let html = self
            .catalog
            .render("document.ask_text", self.lang, &[("part", &name)]);
        let keep = self.button(self.text("document.keep_button"), &Action::KeepDocumentPart);
        self.say_with(html, Keyboard::Inline(vec![vec![keep]]));
    }

    /// "Giữ nguyên": the part stays as it is.
    pub(super) fn keep_document_part(&mut self) {
        let Some(edit) = self.state.document_edit.take() else {
            return self.stale();
        };
        let name = Part::from_id(&edit.part).map_or("", |p| p.name(self.lang));
        self.effects.push(Effect::CloseButtons);
        let html = self
            .catalog
            .render("document.kept", self.lang, &[("part", &escape_html(name))]);
        self.say(html);
    }

    /// Whether typed text is the new text of a part being edited (and then takes it).
    pub(super) fn document_text_typed(&mut self, text: &str) -> bool {
        let Some(edit) = self.state.document_edit.clone() else {
            return false;
        };
        let Some(part) = Part::from_id(&edit.part) else {
            self.state.document_edit = None;
            return false;
        };
        // The sender's rights may have changed since the part was chosen.
        if !self.directs(edit.centre) {
            self.state.document_edit = None;
            self.say_key("access.directors_only");
            return true;
        }
        let name = escape_html(part.name(self.lang));
        let cleaned = clean_part_text(text).filter(|t| !part.is_one_line() || !t.contains('\n'));
        let Some(cleaned) = cleaned else {
            let html = self.catalog.render(
                "document.bad_text",
                self.lang,
                &[
                    ("part", &name),
                    (
                        "max",
                        &crate::format::format_count(MAX_PART_CHARS as u64, self.lang),
                    ),
                ],
            );
            let keep = self.button(self.text("document.keep_button"), &Action::KeepDocumentPart);
            self.say_with(html, Keyboard::Inline(vec![vec![keep]]));
            return true;
        };
        self.state.document_edit = None;
        // The "Giữ nguyên" button of the question is now stale.
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::SetDocumentPart {
            centre: edit.centre,
            part,
            text: cleaned,
        });
        let html = self
            .catalog
            .render("document.saved", self.lang, &[("part", &name)]);
        self.say(html);
        true
    }
}
