//! One-line quick entry (`sk 45 30 Phòng chống sốt xuất huyết`): what was understood
//! becomes a draft, what was not is asked through the normal dialog, and nothing is saved
//! before the same summary and Save button as the dialog.

use super::super::parse;
use super::super::quick::codes_list;
use super::super::state::{Answer, Draft, Step};
use super::session::ClassMatch;
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
        // A quick entry has at least the attendance. Without it, text that merely starts
        // like a group ("Kinh tế hộ gia đình") gets the format rather than a guess; a bare
        // code ("sk") starts the dialog with the group filled in.
        if entry.total.is_none() && !self.is_group_word(text) {
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
        match entry.date {
            Some(date) => {
                answers.insert("date".to_owned(), Answer::Date(date));
            }
            // No date typed means today, as the format explains.
            None if !date_problem => {
                answers.insert("date".to_owned(), Answer::Date(self.now.today));
            }
            None => {}
        }
        self.state.draft = Some(Draft {
            centre,
            session: None,
            answers,
            at: Step::Summary,
        });
        self.say(entry.describe(self.catalog, self.lang));
        if let Some(name) = &entry.class {
            let (display, key) = parse::class_name(name);
            match self.resolve_class(&entry.group, display, &key) {
                ClassMatch::Known(answer) => {
                    if let Some(draft) = &mut self.state.draft {
                        draft.answers.insert("class".to_owned(), answer);
                    }
                }
                ClassMatch::Close {
                    typed,
                    suggestion,
                    suggestion_name,
                } => {
                    self.ask_did_you_mean("class", false, typed, suggestion, suggestion_name);
                    return true;
                }
            }
        }
        self.advance(false);
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
