//! One-line quick entry (`sk 45 30 Phòng chống sốt xuất huyết`): what was understood
//! becomes a draft, what was not is asked through the normal dialog, and nothing is saved
//! before the same summary and Save button as the dialog.

use super::super::draft::Draft;
use super::super::parse;
use super::super::quick::{codes_list, QuickProblem};
use super::answers::ClassMatch;
use super::Turn;

impl Turn<'_> {
    /// Tries `text` as a quick entry; returns false when it is not one (ordinary text).
    pub(super) fn quick_entry(&mut self, text: &str) -> bool {
        if self.access.is_stranger() {
            return false;
        }
        let Some(entry) = self
            .catalog
            .quick_parser()
            .and_then(|parser| parser.parse(text, self.now.today))
        else {
            return false;
        };
        // A quick entry has at least an attendance typed. With no number at all, text that
        // merely starts like a group ("Kinh tế hộ gia đình") gets the format rather than a
        // guess; a bare code ("sk") starts the dialog with the group filled in. A number
        // typed wrong (`sk 4.5 …`) is a quick entry whose refused part is named.
        let nothing_typed = entry.problems.contains(&QuickProblem::TotalMissing);
        if nothing_typed && !self.is_group_word(text) {
            self.show_format();
            return true;
        }
        let Some(centre) = self.member_centre() else {
            if self.access.centres.is_empty() {
                self.say_key("access.supervisor_cannot_log");
            } else {
                self.choose_centre(false);
            }
            return true;
        };
        let mut said = entry.describe(self.catalog, self.lang);
        for problem in &entry.problems {
            let named = matches!(
                problem,
                QuickProblem::TotalInvalid(..)
                    | QuickProblem::FemaleInvalid(..)
                    | QuickProblem::DateInvalid(_)
                    | QuickProblem::DateInFuture(_)
                    | QuickProblem::ClassTooShort
                    | QuickProblem::ClassTooLong
                    | QuickProblem::ClassNoLetters
            );
            if named {
                said.push('\n');
                said.push_str(&self.quick_problem_text(&entry, problem));
            }
        }
        self.say(said);
        let reader = self.reader();
        let class = entry.class.as_ref().map(|name| {
            let (display, key) = parse::class_name(name);
            reader.resolve_class(centre, &entry.group, display, &key)
        });
        let (known, close) = match class {
            Some(ClassMatch::Known(answer)) => (Some(answer), None),
            Some(ClassMatch::Close(suggestion)) => (None, Some(suggestion)),
            None => (None, None),
        };
        let far_back = |date| reader.far_back(date);
        let mut draft = Draft::quick(centre, &entry, known, self.now.today, far_back);
        let next = match close {
            Some(suggestion) => draft.offer_class("class", false, suggestion),
            None => draft.start(self.catalog),
        };
        self.state.draft = Some(draft);
        self.follow(Some(next));
        true
    }

    /// Whether `text` is just a group's code or alias (`sk`, `sức khỏe`).
    fn is_group_word(&self, text: &str) -> bool {
        let folded = parse::fold(text);
        self.catalog.groups.iter().any(|g| {
            parse::fold(&g.code) == folded || g.aliases.iter().any(|a| parse::fold(a) == folded)
        })
    }

    /// The quick-entry format with an example and the list of group codes.
    pub(super) fn show_format(&mut self) {
        let codes = codes_list(self.catalog, self.lang);
        let html = self
            .catalog
            .render("quick.format", self.lang, &[("codes", &codes)]);
        self.say(html);
    }
}
