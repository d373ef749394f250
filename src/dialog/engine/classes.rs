//! `/classes` (`/lop`): a director's list of the centre's classes with their session
//! counts, and the two repairs of a class: rename, and merge into another class.
//!
//! A merge is how a class typed twice is made one again, including one typed under the
//! wrong activity group: its sessions move to the chosen class and to that class's group,
//! so the report's "Số lớp" counts it once. The store does the merge and the audit entry
//! in the step's transaction; this file only decides who may do what and asks before
//! anything changes. Every button re-checks the sender's centre and the classes named,
//! because callback data is untrusted and the list may be stale.

use super::super::callback::{self, Action, ClassAction};
use super::super::catalog::QuestionKind;
use super::super::io::{Button, ClassSummary, Effect, Input, Keyboard};
use super::super::parse;
use super::super::state::ClassRename;
use super::Turn;
use crate::domain::{CentreId, ClassId};
use crate::format::{escape_html, format_count};

/// Classes per page of the list (and of the merge targets). Twenty short lines keep a
/// message far below Telegram's 4,096 characters and a keyboard below its 100 buttons.
const PER_PAGE: usize = 20;

/// How many characters of a class name a list line or a button shows; the full name is
/// on the class's own message.
const NAME_CHARS: usize = 60;

/// Length limits of a class name when the dialog files give none (they normally do,
/// on the "class" question).
const DEFAULT_NAME_LEN: (usize, usize) = (2, 200);

impl Turn<'_> {
    /// `/classes`: the first page of the centre's classes.
    pub(super) fn classes_command(&mut self) {
        self.state.class_rename = None;
        if self.managed_centre().is_none() {
            if self.access.supervisor {
                return self.say_key("classes.choose_centre");
            }
            return self.choose_centre(false);
        }
        self.list_classes(0);
    }

    /// Drops a rename under way unless `input` continues it: the typed new name, or a
    /// button of `/classes`. Called before every input is handled, so a rename never
    /// catches text meant for something else later.
    pub(super) fn keep_class_rename_for(&mut self, input: &Input) {
        let Some(rename) = &self.state.class_rename else {
            return;
        };
        let continues = match input {
            Input::Text(text) => {
                rename.name.is_none() && self.sender.private && !self.is_log_button(text.trim())
            }
            Input::Button { data } => {
                matches!(callback::decode(data), Some((_, Action::Classes(_))))
            }
            _ => false,
        };
        if !continues {
            self.state.class_rename = None;
        }
    }

    /// A pressed `/classes` button (the stamp was already checked).
    pub(super) fn class_button(&mut self, action: ClassAction) {
        if !matches!(action, ClassAction::ConfirmRename(_)) {
            self.state.class_rename = None;
        }
        match action {
            ClassAction::List(page) => self.list_classes(page),
            ClassAction::Open(id) => self.open_class(id),
            ClassAction::Rename(id) => self.ask_class_name(id),
            ClassAction::ConfirmRename(id) => self.rename_class(id),
            ClassAction::Merge { from, page } => self.choose_merge_target(from, page),
            ClassAction::MergeInto { from, into } => self.ask_merge(from, into),
            ClassAction::ConfirmMerge { from, into } => self.merge_classes(from, into),
        }
    }

    /// Text typed while a rename waits for the new name.
    pub(super) fn class_name_typed(&mut self, text: &str) {
        let Some(rename) = self.state.class_rename.clone() else {
            return;
        };
        let Some((centre, class)) = self.managed_class(rename.class) else {
            self.state.class_rename = None;
            return self.say_key("dialog.stale_button");
        };
        let (display, key) = parse::class_name(text);
        let (min, max) = self.class_name_limits();
        let length = display.chars().count();
        let signs = display.chars().filter(|c| c.is_alphanumeric()).count();
        if length < min || length > max || signs < 2 {
            let html = self.catalog.render(
                "classes.bad_name",
                self.lang,
                &[("min", &min.to_string()), ("max", &max.to_string())],
            );
            self.say(html);
            return self.prompt_class_name(&class);
        }
        if display == class.name {
            self.state.class_rename = None;
            self.say_key("classes.same_name");
            return self.open_class(class.id);
        }
        if let Some(other) = self
            .facts
            .class_by_key(centre, &class.group, &key)
            .filter(|other| other.id != class.id)
        {
            // Two classes with one key would be one class counted twice: that is a merge.
            self.state.class_rename = None;
            self.state.stamp = self.state.stamp.wrapping_add(1);
            let html = self.catalog.render(
                "classes.name_taken",
                self.lang,
                &[
                    ("name", &escape_html(&class.name)),
                    ("other", &escape_html(&other.name)),
                ],
            );
            let merge = self.button(
                self.catalog.render(
                    "classes.merge_into_button",
                    self.lang,
                    &[("name", &short(&other.name))],
                ),
                &Action::Classes(ClassAction::MergeInto {
                    from: class.id,
                    into: other.id,
                }),
            );
            let back = self.back_to(class.id);
            return self.say_with(html, Keyboard::Inline(vec![vec![merge], vec![back]]));
        }
        self.state.class_rename = Some(ClassRename {
            class: class.id,
            name: Some(display.clone()),
        });
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "classes.confirm_rename",
            self.lang,
            &[
                ("old", &escape_html(&class.name)),
                ("new", &escape_html(&display)),
            ],
        );
        let confirm = self.button(
            self.text("classes.confirm_rename_button"),
            &Action::Classes(ClassAction::ConfirmRename(class.id)),
        );
        let cancel = self.button(
            self.text("dialog.cancel_button"),
            &Action::Classes(ClassAction::Open(class.id)),
        );
        self.say_with(html, Keyboard::Inline(vec![vec![confirm], vec![cancel]]));
    }

    // ---- The list and one class. ----

    /// One page of the centre's classes, grouped by activity group in the report's order.
    fn list_classes(&mut self, page: u32) {
        let Some(centre) = self.managed_centre() else {
            return self.stale();
        };
        let classes = self.sorted_classes(centre);
        if classes.is_empty() {
            return self.say_key("classes.empty");
        }
        let (shown, page, pages) = page_of(&classes, page);
        let mut lines = vec![self.catalog.render(
            "classes.heading",
            self.lang,
            &[("centre", &escape_html(&self.centre_label(centre)))],
        )];
        if pages > 1 {
            lines.push(self.catalog.render(
                "classes.page",
                self.lang,
                &[
                    ("page", &(page + 1).to_string()),
                    ("pages", &pages.to_string()),
                ],
            ));
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let mut rows = Vec::new();
        let mut group = None;
        for class in shown {
            if group != Some(class.group.as_str()) {
                group = Some(class.group.as_str());
                lines.push(format!(
                    "\n<b>{}</b>",
                    escape_html(&self.group_label(&class.group))
                ));
            }
            lines.push(self.catalog.render(
                "classes.line",
                self.lang,
                &[
                    ("name", &escape_html(&short(&class.name))),
                    ("sessions", &format_count(class.sessions, self.lang)),
                ],
            ));
            rows.push(vec![self.class_choice_button(
                class,
                Action::Classes(ClassAction::Open(class.id)),
            )]);
        }
        rows.extend(self.page_row(page, pages, ClassAction::List));
        self.say_with(lines.join("\n"), Keyboard::Inline(rows));
    }

    /// A class with its Rename and Merge buttons.
    fn open_class(&mut self, id: ClassId) {
        let Some((_, class)) = self.managed_class(id) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "classes.detail",
            self.lang,
            &[
                ("name", &escape_html(&class.name)),
                ("group", &escape_html(&self.group_label(&class.group))),
                ("sessions", &format_count(class.sessions, self.lang)),
            ],
        );
        let rows = vec![
            vec![self.button(
                self.text("classes.rename_button"),
                &Action::Classes(ClassAction::Rename(id)),
            )],
            vec![self.button(
                self.text("classes.merge_button"),
                &Action::Classes(ClassAction::Merge { from: id, page: 0 }),
            )],
            vec![self.button(
                self.text("dialog.back_button"),
                &Action::Classes(ClassAction::List(0)),
            )],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    // ---- Rename. ----

    fn ask_class_name(&mut self, id: ClassId) {
        let Some((_, class)) = self.managed_class(id) else {
            return self.stale();
        };
        self.state.class_rename = Some(ClassRename {
            class: id,
            name: None,
        });
        self.prompt_class_name(&class);
    }

    fn prompt_class_name(&mut self, class: &ClassSummary) {
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "classes.rename_prompt",
            self.lang,
            &[("name", &escape_html(&class.name))],
        );
        let back = self.back_to(class.id);
        self.say_with(html, Keyboard::Inline(vec![vec![back]]));
    }

    fn rename_class(&mut self, id: ClassId) {
        let rename = self.state.class_rename.take();
        let Some(name) = rename.filter(|r| r.class == id).and_then(|r| r.name) else {
            return self.stale();
        };
        let Some((centre, class)) = self.managed_class(id) else {
            return self.stale();
        };
        let key = parse::class_name(&name).1;
        // Checked again: another class may have taken the name since it was typed.
        if self
            .facts
            .class_by_key(centre, &class.group, &key)
            .is_some_and(|other| other.id != id)
        {
            return self.stale();
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::RenameClass {
            class: id,
            name: name.clone(),
            key,
        });
        let html = self.catalog.render(
            "classes.renamed",
            self.lang,
            &[
                ("old", &escape_html(&class.name)),
                ("new", &escape_html(&name)),
            ],
        );
        self.say(html);
    }

    // ---- Merge. ----

    /// The other classes of the centre, any group, as buttons: the class to merge into.
    fn choose_merge_target(&mut self, from: ClassId, page: u32) {
        let Some((centre, class)) = self.managed_class(from) else {
            return self.stale();
        };
        let others: Vec<ClassSummary> = self
            .sorted_classes(centre)
            .into_iter()
            .filter(|c| c.id != from)
            .collect();
        if others.is_empty() {
            return self.say_key("classes.no_other");
        }
        let (shown, page, pages) = page_of(&others, page);
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let mut html = self.catalog.render(
            "classes.merge_choose",
            self.lang,
            &[
                ("name", &escape_html(&class.name)),
                ("group", &escape_html(&self.group_label(&class.group))),
                ("sessions", &format_count(class.sessions, self.lang)),
            ],
        );
        if pages > 1 {
            html.push('\n');
            html.push_str(&self.catalog.render(
                "classes.page",
                self.lang,
                &[
                    ("page", &(page + 1).to_string()),
                    ("pages", &pages.to_string()),
                ],
            ));
        }
        let mut rows: Vec<Vec<Button>> = shown
            .iter()
            .map(|into| {
                vec![self.class_choice_button(
                    into,
                    Action::Classes(ClassAction::MergeInto {
                        from,
                        into: into.id,
                    }),
                )]
            })
            .collect();
        rows.extend(self.page_row(page, pages, |page| ClassAction::Merge { from, page }));
        rows.push(vec![self.back_to(from)]);
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// The merge's confirmation: how many sessions move, and from which group to which.
    fn ask_merge(&mut self, from: ClassId, into: ClassId) {
        let Some((source, target)) = self.merge_pair(from, into) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let sessions = format_count(source.sessions, self.lang);
        let html = if source.group == target.group {
            self.catalog.render(
                "classes.confirm_merge_same_group",
                self.lang,
                &[
                    ("from", &escape_html(&source.name)),
                    ("into", &escape_html(&target.name)),
                    ("sessions", &sessions),
                    ("group", &escape_html(&self.group_label(&target.group))),
                ],
            )
        } else {
            self.catalog.render(
                "classes.confirm_merge",
                self.lang,
                &[
                    ("from", &escape_html(&source.name)),
                    ("into", &escape_html(&target.name)),
                    ("sessions", &sessions),
                    ("from_group", &escape_html(&self.group_label(&source.group))),
                    ("into_group", &escape_html(&self.group_label(&target.group))),
                ],
            )
        };
        let confirm = self.button(
            self.text("classes.confirm_merge_button"),
            &Action::Classes(ClassAction::ConfirmMerge { from, into }),
        );
        let cancel = self.button(
            self.text("dialog.cancel_button"),
            &Action::Classes(ClassAction::Open(from)),
        );
        self.say_with(html, Keyboard::Inline(vec![vec![confirm], vec![cancel]]));
    }

    fn merge_classes(&mut self, from: ClassId, into: ClassId) {
        let Some((source, target)) = self.merge_pair(from, into) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::MergeClasses { from, into });
        let html = self.catalog.render(
            "classes.merged",
            self.lang,
            &[
                ("from", &escape_html(&source.name)),
                ("into", &escape_html(&target.name)),
                ("sessions", &format_count(source.sessions, self.lang)),
                ("group", &escape_html(&self.group_label(&target.group))),
            ],
        );
        self.say(html);
    }

    // ---- Helpers. ----

    /// The live class `id` of the centre the sender manages, with that centre.
    /// Two different classes of the centre the sender manages, for a merge of the first
    /// into the second (button data is untrusted: both are looked up again).
    fn merge_pair(&self, from: ClassId, into: ClassId) -> Option<(ClassSummary, ClassSummary)> {
        if from == into {
            return None;
        }
        let (_, source) = self.managed_class(from)?;
        let (_, target) = self.managed_class(into)?;
        Some((source, target))
    }

    fn managed_class(&self, id: ClassId) -> Option<(CentreId, ClassSummary)> {
        let centre = self.managed_centre()?;
        self.facts
            .classes_with_counts(centre)
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| (centre, c))
    }

    /// The centre's classes in the report's group order, then by name.
    fn sorted_classes(&self, centre: CentreId) -> Vec<ClassSummary> {
        let mut classes = self.facts.classes_with_counts(centre);
        let position = |group: &str| {
            self.catalog
                .groups
                .iter()
                .position(|g| g.id == group)
                .unwrap_or(usize::MAX)
        };
        classes.sort_by_cached_key(|c| {
            (
                position(&c.group),
                c.group.clone(),
                parse::class_name(&c.name).1,
                c.id,
            )
        });
        classes
    }

    fn group_label(&self, group: &str) -> String {
        self.catalog
            .group(group)
            .map_or_else(|| group.to_owned(), |g| g.short.get(self.lang).to_owned())
    }

    /// "Group · name (sessions)": a class on a button, whatever its group.
    fn class_choice_button(&self, class: &ClassSummary, action: Action) -> Button {
        let label = self.catalog.render(
            "classes.class_button",
            self.lang,
            &[
                ("group", &self.group_label(&class.group)),
                ("name", &short(&class.name)),
                ("sessions", &format_count(class.sessions, self.lang)),
            ],
        );
        self.button(label, &action)
    }

    fn back_to(&self, class: ClassId) -> Button {
        self.button(
            self.text("dialog.back_button"),
            &Action::Classes(ClassAction::Open(class)),
        )
    }

    /// The "previous / next page" row, when there is more than one page.
    fn page_row(
        &self,
        page: u32,
        pages: u32,
        to: impl Fn(u32) -> ClassAction,
    ) -> Option<Vec<Button>> {
        if pages <= 1 {
            return None;
        }
        let mut row = Vec::new();
        if page > 0 {
            row.push(self.button(
                self.text("classes.previous_button"),
                &Action::Classes(to(page - 1)),
            ));
        }
        if page + 1 < pages {
            row.push(self.button(
                self.text("classes.next_button"),
                &Action::Classes(to(page + 1)),
            ));
        }
        Some(row)
    }

    /// The length limits of the "class" question, as the session dialog applies them.
    fn class_name_limits(&self) -> (usize, usize) {
        self.catalog
            .questions
            .iter()
            .find_map(|q| match q.kind {
                QuestionKind::Class {
                    min_len, max_len, ..
                } => Some((min_len, max_len)),
                _ => None,
            })
            .unwrap_or(DEFAULT_NAME_LEN)
    }
}

/// The slice of `items` on `page` (clamped to the last page), the page shown and the
/// number of pages.
pub(super) fn page_of<T>(items: &[T], page: u32) -> (&[T], u32, u32) {
    let pages = items.len().div_ceil(PER_PAGE).max(1);
    let page = usize::try_from(page).unwrap_or(usize::MAX).min(pages - 1);
    let start = page * PER_PAGE;
    let end = (start + PER_PAGE).min(items.len());
    // Both numbers are at most the number of classes over twenty, far within u32.
    let as_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (&items[start..end], as_u32(page), as_u32(pages))
}

/// A class name cut to `NAME_CHARS` characters, with "…" when cut.
pub(super) fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        return name.to_owned();
    }
    let mut cut: String = name.chars().take(NAME_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_twenty_and_a_page_past_the_end_shows_the_last() {
        let items: Vec<u32> = (0..45).collect();
        let (shown, page, pages) = page_of(&items, 0);
        assert_eq!((shown.len(), page, pages), (20, 0, 3));
        let (shown, page, _) = page_of(&items, 7);
        assert_eq!((shown, page), (&items[40..], 2));
        let none: Vec<u32> = Vec::new();
        assert_eq!(page_of(&none, 3), (&none[..], 0, 1));
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(short("Tiêm chủng"), "Tiêm chủng");
        let long = "Phòng chống ".repeat(20);
        let cut = short(&long);
        assert_eq!(cut.chars().count(), NAME_CHARS);
        assert!(cut.ends_with('…'));
    }
}
