//! `/centres` (`/trungtam`): a supervisor's list of centres and the two changes the
//! 2025 reorganisation of communes needs: renaming a centre, and merging one centre into
//! another (what moves is in `centre_change.rs`).
//!
//! The merge's confirmation shows what will move (people, classes, sessions, hand-ins,
//! group chats), which classes get a new name because the other centre has a class of
//! that name, and that the surviving centre's report-document texts are the ones kept.
//! Every button re-checks that the sender is a supervisor and that the centres named
//! exist, because callback data is untrusted and the list may be stale.

use super::super::callback::{self, Action, CentreAction};
use super::super::io::{Button, Effect, Input, Keyboard};
use super::super::parse;
use super::super::state::CentreRename;
use super::classes::{page_of, short};
use super::Turn;
use crate::centre_change::CentreMerge;
use crate::domain::CentreId;
use crate::format::{escape_html, format_count};

/// The longest centre name accepted, in characters (as for a centre named in `/invite`).
const MAX_CENTRE_NAME: usize = 120;

impl Turn<'_> {
    /// `/centres`: the first page of the centres.
    pub(super) fn centres_command(&mut self) {
        self.state.centre_rename = None;
        if !self.access.supervisor {
            self.say_key("access.supervisors_only");
            return self.remind_draft();
        }
        self.list_centres(0);
    }

    /// Drops a rename under way unless `input` continues it: the typed new name, or a
    /// button of `/centres`.
    pub(super) fn keep_centre_rename_for(&mut self, input: &Input) {
        let Some(rename) = &self.state.centre_rename else {
            return;
        };
        let continues = match input {
            Input::Text(text) => {
                rename.name.is_none() && self.sender.private && !self.is_log_button(text.trim())
            }
            Input::Button { data } => {
                matches!(callback::decode(data), Some((_, Action::Centres(_))))
            }
            _ => false,
        };
        if !continues {
            self.state.centre_rename = None;
        }
    }

    /// A pressed `/centres` button (the stamp was already checked).
    pub(super) fn centre_button(&mut self, action: CentreAction) {
        if !matches!(action, CentreAction::ConfirmRename(_)) {
            self.state.centre_rename = None;
        }
        if !self.access.supervisor {
            return self.stale();
        }
        match action {
            CentreAction::List(page) => self.list_centres(page),
            CentreAction::Open(id) => self.open_centre(id),
            CentreAction::Rename(id) => self.ask_centre_name(id),
            CentreAction::ConfirmRename(id) => self.rename_centre(id),
            CentreAction::Merge { from, page } => self.choose_centre_target(from, page),
            CentreAction::MergeInto { from, into } => self.ask_centre_merge(from, into),
            CentreAction::ConfirmMerge { from, into } => self.merge_centres(from, into),
        }
    }

    /// Text typed while a rename waits for the new name.
    pub(super) fn centre_name_typed(&mut self, text: &str) {
        let Some(rename) = self.state.centre_rename.clone() else {
            return;
        };
        let Some(old) = self
            .known_centre(rename.centre)
            .filter(|_| self.access.supervisor)
        else {
            self.state.centre_rename = None;
            return self.say_key("dialog.stale_button");
        };
        let (name, _) = parse::class_name(text);
        let letters = name.chars().filter(|c| c.is_alphanumeric()).count();
        if letters < 2 || name.chars().count() > MAX_CENTRE_NAME {
            let html = self.catalog.render(
                "centres.bad_name",
                self.lang,
                &[("max", &MAX_CENTRE_NAME.to_string())],
            );
            self.say(html);
            return self.prompt_centre_name(rename.centre, &old);
        }
        if name == old {
            self.state.centre_rename = None;
            self.say_key("centres.same_name");
            return self.open_centre(rename.centre);
        }
        if let Some((other, other_name)) = self.centre_named(&name, rename.centre) {
            // Two centres whose names read the same could not be told apart: a merge.
            self.state.centre_rename = None;
            self.state.stamp = self.state.stamp.wrapping_add(1);
            let html = self.catalog.render(
                "centres.name_taken",
                self.lang,
                &[
                    ("name", &escape_html(&old)),
                    ("other", &escape_html(&other_name)),
                ],
            );
            let merge = self.button(
                self.catalog.render(
                    "centres.merge_into_button",
                    self.lang,
                    &[("name", &short(&other_name))],
                ),
                &Action::Centres(CentreAction::MergeInto {
                    from: rename.centre,
                    into: other,
                }),
            );
            let back = self.back_to_centre(rename.centre);
            return self.say_with(html, Keyboard::Inline(vec![vec![merge], vec![back]]));
        }
        self.state.centre_rename = Some(CentreRename {
            centre: rename.centre,
            name: Some(name.clone()),
        });
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "centres.confirm_rename",
            self.lang,
            &[("old", &escape_html(&old)), ("new", &escape_html(&name))],
        );
        let confirm = self.button(
            self.text("centres.confirm_rename_button"),
            &Action::Centres(CentreAction::ConfirmRename(rename.centre)),
        );
        let cancel = self.button(
            self.text("dialog.cancel_button"),
            &Action::Centres(CentreAction::Open(rename.centre)),
        );
        self.say_with(html, Keyboard::Inline(vec![vec![confirm], vec![cancel]]));
    }

    // ---- The list and one centre. ----

    fn list_centres(&mut self, page: u32) {
        let centres = self.sorted_centres();
        if centres.is_empty() {
            return self.say_key("access.no_centres");
        }
        let (shown, page, pages) = page_of(&centres, page);
        let mut html = self.catalog.render(
            "centres.heading",
            self.lang,
            &[("count", &format_count(centres.len() as u64, self.lang))],
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
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let mut rows: Vec<Vec<Button>> = shown
            .iter()
            .map(|(id, name)| {
                vec![self.button(short(name), &Action::Centres(CentreAction::Open(*id)))]
            })
            .collect();
        rows.extend(self.centre_page_row(page, pages, CentreAction::List));
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// A centre with what it holds and its Rename and Merge buttons.
    fn open_centre(&mut self, id: CentreId) {
        let Some(name) = self.known_centre(id) else {
            return self.stale();
        };
        let classes = self.facts.classes_with_counts(id);
        let sessions: u64 = classes.iter().map(|c| c.sessions).sum();
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "centres.detail",
            self.lang,
            &[
                ("name", &escape_html(&name)),
                (
                    "members",
                    &format_count(self.facts.members(id).len() as u64, self.lang),
                ),
                ("classes", &format_count(classes.len() as u64, self.lang)),
                ("sessions", &format_count(sessions, self.lang)),
            ],
        );
        let rows = vec![
            vec![self.button(
                self.text("centres.rename_button"),
                &Action::Centres(CentreAction::Rename(id)),
            )],
            vec![self.button(
                self.text("centres.merge_button"),
                &Action::Centres(CentreAction::Merge { from: id, page: 0 }),
            )],
            vec![self.button(
                self.text("dialog.back_button"),
                &Action::Centres(CentreAction::List(0)),
            )],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    // ---- Rename. ----

    fn ask_centre_name(&mut self, id: CentreId) {
        let Some(name) = self.known_centre(id) else {
            return self.stale();
        };
        self.state.centre_rename = Some(CentreRename {
            centre: id,
            name: None,
        });
        self.prompt_centre_name(id, &name);
    }

    fn prompt_centre_name(&mut self, id: CentreId, name: &str) {
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "centres.rename_prompt",
            self.lang,
            &[("name", &escape_html(name))],
        );
        let back = self.back_to_centre(id);
        self.say_with(html, Keyboard::Inline(vec![vec![back]]));
    }

    fn rename_centre(&mut self, id: CentreId) {
        let rename = self.state.centre_rename.take();
        let Some(name) = rename.filter(|r| r.centre == id).and_then(|r| r.name) else {
            return self.stale();
        };
        let Some(old) = self.known_centre(id) else {
            return self.stale();
        };
        // Checked again: another centre may have taken the name since it was typed.
        if self.centre_named(&name, id).is_some() {
            return self.stale();
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::RenameCentre {
            centre: id,
            name: name.clone(),
        });
        let html = self.catalog.render(
            "centres.renamed",
            self.lang,
            &[("old", &escape_html(&old)), ("new", &escape_html(&name))],
        );
        self.say(html);
    }

    // ---- Merge. ----

    /// The other centres as buttons: the centre to merge `from` into.
    fn choose_centre_target(&mut self, from: CentreId, page: u32) {
        let Some(name) = self.known_centre(from) else {
            return self.stale();
        };
        let others: Vec<(CentreId, String)> = self
            .sorted_centres()
            .into_iter()
            .filter(|(id, _)| *id != from)
            .collect();
        if others.is_empty() {
            return self.say_key("centres.no_other");
        }
        let (shown, page, pages) = page_of(&others, page);
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "centres.merge_choose",
            self.lang,
            &[("name", &escape_html(&name))],
        );
        let mut rows: Vec<Vec<Button>> = shown
            .iter()
            .map(|(into, name)| {
                vec![self.button(
                    short(name),
                    &Action::Centres(CentreAction::MergeInto { from, into: *into }),
                )]
            })
            .collect();
        rows.extend(self.centre_page_row(page, pages, |page| CentreAction::Merge { from, page }));
        rows.push(vec![self.back_to_centre(from)]);
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// The merge's confirmation: what will move, which classes get a new name, and that
    /// the surviving centre's document texts are kept.
    fn ask_centre_merge(&mut self, from: CentreId, into: CentreId) {
        let Some(merge) = self.merge_preview(from, into) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let count = |n: u64| format_count(n, self.lang);
        let mut html = self.catalog.render(
            "centres.confirm_merge",
            self.lang,
            &[
                ("from", &escape_html(&merge.from_name)),
                ("into", &escape_html(&merge.into_name)),
                ("members", &count(merge.members)),
                ("classes", &count(merge.classes)),
                ("sessions", &count(merge.sessions)),
                ("deleted", &count(merge.deleted_sessions)),
                ("handins", &count(merge.handins)),
                ("groups", &count(merge.group_chats)),
            ],
        );
        if !merge.renamed_classes.is_empty() {
            let list: Vec<String> = merge
                .renamed_classes
                .iter()
                .map(|c| {
                    self.catalog.render(
                        "centres.renamed_class",
                        self.lang,
                        &[
                            ("old", &escape_html(&short(&c.old))),
                            ("new", &escape_html(&short(&c.new))),
                        ],
                    )
                })
                .collect();
            html.push_str("\n\n");
            html.push_str(&self.catalog.render(
                "centres.merge_renames",
                self.lang,
                &[
                    ("into", &escape_html(&merge.into_name)),
                    ("classes", &list.join("\n")),
                ],
            ));
        }
        html.push_str("\n\n");
        html.push_str(&self.catalog.render(
            "centres.merge_keeps",
            self.lang,
            &[
                ("from", &escape_html(&merge.from_name)),
                ("into", &escape_html(&merge.into_name)),
            ],
        ));
        let confirm = self.button(
            self.text("centres.confirm_merge_button"),
            &Action::Centres(CentreAction::ConfirmMerge { from, into }),
        );
        let cancel = self.button(
            self.text("dialog.cancel_button"),
            &Action::Centres(CentreAction::Open(from)),
        );
        self.say_with(html, Keyboard::Inline(vec![vec![confirm], vec![cancel]]));
    }

    fn merge_centres(&mut self, from: CentreId, into: CentreId) {
        let Some(merge) = self.merge_preview(from, into) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        // A report chosen for the merged centre shows the surviving one from now on.
        if self.state.centre == Some(from) {
            self.state.centre = Some(into);
        }
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::MergeCentres { from, into });
        let html = self.catalog.render(
            "centres.merged",
            self.lang,
            &[
                ("from", &escape_html(&merge.from_name)),
                ("into", &escape_html(&merge.into_name)),
                ("sessions", &format_count(merge.sessions, self.lang)),
            ],
        );
        self.say(html);
    }

    // ---- Helpers. ----

    /// The preview of merging `from` into `into`, when both exist and differ.
    fn merge_preview(&self, from: CentreId, into: CentreId) -> Option<CentreMerge> {
        if from == into || self.known_centre(from).is_none() || self.known_centre(into).is_none() {
            return None;
        }
        self.facts.centre_merge_preview(from, into)
    }

    /// The name of centre `id`, if it exists.
    fn known_centre(&self, id: CentreId) -> Option<String> {
        self.facts
            .centres()
            .into_iter()
            .find(|(known, _)| *known == id)
            .map(|(_, name)| name)
    }

    /// Another centre than `except` whose name reads like `name` (case, spacing and
    /// diacritics aside).
    fn centre_named(&self, name: &str, except: CentreId) -> Option<(CentreId, String)> {
        let wanted = parse::fold(name);
        self.facts
            .centres()
            .into_iter()
            .find(|(id, known)| *id != except && parse::fold(known) == wanted)
    }

    /// Every centre, by name as people read it.
    fn sorted_centres(&self) -> Vec<(CentreId, String)> {
        let mut centres = self.facts.centres();
        centres.sort_by_cached_key(|(id, name)| (parse::fold(name), *id));
        centres
    }

    fn back_to_centre(&self, id: CentreId) -> Button {
        self.button(
            self.text("dialog.back_button"),
            &Action::Centres(CentreAction::Open(id)),
        )
    }

    /// The "previous / next page" row, when there is more than one page.
    fn centre_page_row(
        &self,
        page: u32,
        pages: u32,
        to: impl Fn(u32) -> CentreAction,
    ) -> Option<Vec<Button>> {
        if pages <= 1 {
            return None;
        }
        let mut row = Vec::new();
        if page > 0 {
            row.push(self.button(
                self.text("classes.previous_button"),
                &Action::Centres(to(page - 1)),
            ));
        }
        if page + 1 < pages {
            row.push(self.button(
                self.text("classes.next_button"),
                &Action::Centres(to(page + 1)),
            ));
        }
        Some(row)
    }
}
