//! One-line quick entry (`sk 45 30 Phòng chống sốt xuất huyết`): what was understood
//! becomes a draft, what was not is asked through the normal dialog, and nothing is saved
//! before the same summary and Save button as the dialog.

use super::super::draft::{Answer, Draft};
use super::super::parse;
use super::super::quick::{codes_list, QuickProblem};
use super::answers::ClassMatch;
use super::Turn;
use std::collections::BTreeMap;

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
        let mut answers = BTreeMap::new();
        answers.insert("group".to_owned(), Answer::Group(entry.group.clone()));
        if let Some(total) = entry.total {
            answers.insert("total".to_owned(), Answer::Number(total));
        }
        if let Some(female) = entry.female {
            answers.insert("female".to_owned(), Answer::Number(female));
        }
        let date_problem = entry.problems.iter().any(|p| p.question() == "date");
        let mut draft = Draft::new(centre, answers);
        match entry.date {
            // A year guessed far back is shown in full and confirmed first.
            Some(date) if entry.date_year_guessed && self.reader().far_back(date) => {
                draft.proposed_date = Some(date);
            }
            Some(date) => {
                draft.answers.insert("date".to_owned(), Answer::Date(date));
            }
            // No date typed means today, as the format explains.
            None if !date_problem => {
                draft
                    .answers
                    .insert("date".to_owned(), Answer::Date(self.now.today));
            }
            None => {}
        }
        for problem in &entry.problems {
            if let (QuickProblem::FemaleAboveTotal(female), Some(total)) = (problem, entry.total) {
                // `sk 30 45`: the two numbers were probably typed the other way round.
                draft.proposed_swap = Some((*female, total));
                draft.answers.remove("total");
            }
        }
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
        let class = entry.class.as_ref().map(|name| {
            let (display, key) = parse::class_name(name);
            self.reader()
                .resolve_class(centre, &entry.group, display, &key)
        });
        let next = match class {
            Some(ClassMatch::Close(suggestion)) => draft.offer_class("class", false, suggestion),
            Some(ClassMatch::Known(answer)) => {
                draft.answers.insert("class".to_owned(), answer);
                draft.start(self.catalog)
            }
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
