//! What the bot shows of a draft: the question it stands at with its buttons, the
//! confirmations of the unusual, the summary, the list of answers to change, and why an
//! answer was refused. Built from the catalog's texts in the chat's language; nothing
//! here changes the draft (that is `dialog/draft.rs`).

use super::super::callback::Action;
use super::super::catalog::{Catalog, Question, QuestionKind};
use super::super::draft::{Answer, Draft, Step};
use super::super::io::{Button, Keyboard};
use super::super::parse;
use super::super::quick::{QuickEntry, QuickProblem};
use super::answers::Refusal;
use super::safety::LARGE_WITHOUT_HISTORY;
use super::Turn;
use crate::domain::{Lang, SessionId};
use crate::format::{escape_html, format_count, format_date};
use chrono::{Datelike, NaiveDate};

/// A message to send: its text and, when it has any, its keyboard.
struct Prompt {
    html: String,
    keyboard: Option<Keyboard>,
}

impl Prompt {
    fn with(html: String, rows: Vec<Vec<Button>>) -> Prompt {
        Prompt {
            html,
            keyboard: Some(Keyboard::Inline(rows)),
        }
    }
}

impl Turn<'_> {
    /// Sends where the open draft stands (its text joins the text queued before it); a
    /// summary shown also asks for the "not saved yet" nudge.
    pub(super) fn show_draft(&mut self) {
        let Some(prompt) = self.draft_prompt() else {
            return;
        };
        match prompt.keyboard {
            Some(keyboard) => self.say_with(prompt.html, keyboard),
            None => self.say(prompt.html),
        }
        if self
            .state
            .draft
            .as_ref()
            .is_some_and(|d| d.at == Step::Summary)
        {
            self.want_nudge();
        }
    }

    /// Where the open draft stands, as a message; `None` without a draft, or when the
    /// step names what no longer exists (the engine settles the draft first).
    fn draft_prompt(&self) -> Option<Prompt> {
        let draft = self.state.draft.as_ref()?;
        Some(match &draft.at {
            Step::Asking { question, editing } => {
                self.question_prompt(draft, question, *editing)?
            }
            Step::NewClassName { .. } => {
                let back = self.button(self.text("dialog.back_button"), &Action::Back);
                Prompt::with(self.text("dialog.new_class_prompt"), vec![vec![back]])
            }
            Step::ConfirmClass {
                suggestion,
                suggestion_name,
                suggestion_group,
                ..
            } => self.class_prompt(draft, *suggestion, suggestion_name, suggestion_group),
            Step::ConfirmDate { .. } => self.date_prompt(draft.proposed_date?),
            Step::ConfirmSwap { .. } => self.swap_prompt(draft.proposed_swap?),
            Step::ConfirmLarge { usual } => self.large_prompt(draft, *usual)?,
            Step::ConfirmDuplicate { existing } => self.duplicate_prompt(*existing)?,
            Step::ConfirmCancel => Prompt::with(
                self.text("entry.confirm_cancel"),
                vec![
                    vec![self.button(self.text("entry.confirm_cancel_yes"), &Action::Confirm)],
                    vec![self.button(self.text("dialog.back_button"), &Action::Reject)],
                ],
            ),
            Step::Summary => {
                let html = self.catalog.render(
                    "dialog.summary",
                    self.lang,
                    &[("answers", &self.draft_lines())],
                );
                Prompt {
                    html,
                    keyboard: Some(self.summary_keyboard()),
                }
            }
            Step::ChoosingEdit => {
                let mut rows: Vec<Vec<Button>> = self
                    .catalog
                    .questions
                    .iter()
                    .map(|q| {
                        vec![self.button(
                            q.label.get(self.lang).to_owned(),
                            &Action::EditQuestion(q.id.clone()),
                        )]
                    })
                    .collect();
                rows.push(vec![
                    self.button(self.text("dialog.back_button"), &Action::Back)
                ]);
                Prompt::with(self.text("dialog.edit_prompt"), rows)
            }
        })
    }

    /// A question with its buttons: the groups, the group's recent classes, today and
    /// yesterday, the options; skip when it is optional, back when changing an answer.
    fn question_prompt(&self, draft: &Draft, id: &str, editing: bool) -> Option<Prompt> {
        let (_, question) = self.catalog.question(id)?;
        let lang = self.lang;
        let mut rows: Vec<Vec<Button>> = match &question.kind {
            QuestionKind::Group => self
                .catalog
                .groups
                .chunks(2)
                .map(|pair| {
                    pair.iter()
                        .map(|g| {
                            self.button(g.short.get(lang).to_owned(), &Action::Group(g.id.clone()))
                        })
                        .collect()
                })
                .collect(),
            QuestionKind::Class { max_buttons, .. } => {
                let mut rows: Vec<Vec<Button>> = self
                    .facts
                    .recent_classes(draft.centre, draft.group()?, *max_buttons)
                    .into_iter()
                    .map(|c| vec![self.button(c.name, &Action::Class(c.id))])
                    .collect();
                rows.push(vec![
                    self.button(self.text("dialog.new_class_button"), &Action::NewClass)
                ]);
                rows
            }
            QuestionKind::Date => vec![vec![
                self.button(self.text("dialog.today_button"), &Action::Today),
                self.button(self.text("dialog.yesterday_button"), &Action::Yesterday),
            ]],
            QuestionKind::Choice { options } => options
                .iter()
                .map(|o| {
                    vec![self.button(o.label.get(lang).to_owned(), &Action::Option(o.id.clone()))]
                })
                .collect(),
            QuestionKind::Number { .. } | QuestionKind::Text { .. } => Vec::new(),
        };
        if question.optional {
            rows.push(vec![
                self.button(self.text("dialog.skip_button"), &Action::Skip)
            ]);
        }
        if editing {
            rows.push(vec![
                self.button(self.text("dialog.back_button"), &Action::Back)
            ]);
        }
        let html = question.prompt.get(lang).to_owned();
        Some(if rows.is_empty() {
            Prompt {
                html,
                keyboard: None,
            }
        } else {
            Prompt::with(html, rows)
        })
    }

    /// "Did you mean …?" about a typed class name, or "that class is under another group".
    fn class_prompt(
        &self,
        draft: &Draft,
        suggestion: u64,
        suggestion_name: &str,
        suggestion_group: &Option<String>,
    ) -> Prompt {
        let Some(other) = suggestion_group else {
            let html = self.catalog.render(
                "quick.did_you_mean",
                self.lang,
                &[("name", &escape_html(suggestion_name))],
            );
            let same = self.button(
                self.text("quick.same_class_button"),
                &Action::Class(suggestion),
            );
            let new = self.button(self.text("quick.new_class_button"), &Action::NewClass);
            return Prompt::with(html, vec![vec![same], vec![new]]);
        };
        let label = |id: &str| {
            self.catalog
                .group(id)
                .map_or_else(|| id.to_owned(), |g| g.short.get(self.lang).to_owned())
        };
        let here = draft.group().map(label).unwrap_or_default();
        let values = [
            ("name", escape_html(suggestion_name)),
            ("group", escape_html(&label(other))),
            ("here", escape_html(&here)),
        ];
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = self
            .catalog
            .render("entry.class_elsewhere", self.lang, &values);
        let same_label = self
            .catalog
            .render("entry.class_elsewhere_same", self.lang, &values);
        let new_label = self
            .catalog
            .render("entry.class_elsewhere_new", self.lang, &values);
        let same = self.button(same_label, &Action::Class(suggestion));
        let new = self.button(new_label, &Action::NewClass);
        Prompt::with(html, vec![vec![same], vec![new]])
    }

    /// "17/12/2025 — last year, right?"
    fn date_prompt(&self, date: NaiveDate) -> Prompt {
        let when = if date.year() + 1 == self.now.today.year() {
            self.text("entry.last_year")
        } else {
            self.catalog.render(
                "entry.days_ago",
                self.lang,
                &[(
                    "days",
                    &format_count(
                        u64::try_from((self.now.today - date).num_days()).unwrap_or(0),
                        self.lang,
                    ),
                )],
            )
        };
        let html = self.catalog.render(
            "entry.old_date",
            self.lang,
            &[("date", &self.show_date(date)), ("when", &when)],
        );
        let yes = self.catalog.render(
            "entry.old_date_yes",
            self.lang,
            &[("date", &format_date(date))],
        );
        Prompt::with(
            html,
            vec![
                vec![self.button(yes, &Action::Confirm)],
                vec![self.button(self.text("entry.old_date_no"), &Action::Reject)],
            ],
        )
    }

    /// "45 women of 30 people? Maybe 45 people, 30 women."
    fn swap_prompt(&self, (total, female): (u32, u32)) -> Prompt {
        let lang = self.lang;
        let values = [
            ("total", format_count(u64::from(total), lang)),
            ("female", format_count(u64::from(female), lang)),
        ];
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = self.catalog.render("entry.swap", lang, &values);
        let yes = self.catalog.render("entry.swap_yes", lang, &values);
        Prompt::with(
            html,
            vec![
                vec![self.button(yes, &Action::Confirm)],
                vec![self.button(self.text("entry.swap_no"), &Action::Reject)],
            ],
        )
    }

    /// "450 people: more than three times this class's usual 45. Right?"
    fn large_prompt(&self, draft: &Draft, usual: Option<u32>) -> Option<Prompt> {
        let lang = self.lang;
        let Some(Answer::Number(total)) = draft.answer("total") else {
            return None;
        };
        let total_s = format_count(u64::from(*total), lang);
        let html = match usual {
            Some(usual) => self.catalog.render(
                "entry.large_usual",
                lang,
                &[
                    ("total", &total_s),
                    ("usual", &format_count(u64::from(usual), lang)),
                ],
            ),
            None => self.catalog.render(
                "entry.large",
                lang,
                &[
                    ("total", &total_s),
                    (
                        "limit",
                        &format_count(u64::from(LARGE_WITHOUT_HISTORY), lang),
                    ),
                ],
            ),
        };
        let yes = self
            .catalog
            .render("entry.large_yes", lang, &[("total", &total_s)]);
        Some(Prompt::with(
            html,
            vec![
                vec![self.button(yes, &Action::Confirm)],
                vec![self.button(self.text("entry.large_no"), &Action::Reject)],
            ],
        ))
    }

    /// "The same as session no. 12, logged by Lan on 07/12. Save another one?"
    fn duplicate_prompt(&self, existing: SessionId) -> Option<Prompt> {
        let record = self.facts.session(existing)?;
        let who = self
            .facts
            .members(record.centre)
            .into_iter()
            .find(|m| m.user == record.organiser)
            .map(|m| m.name)
            .filter(|name| !name.trim().is_empty())
            // Someone granted on the command line has no name until they write.
            .unwrap_or_else(|| record.organiser.to_string());
        let html = self.catalog.render(
            "entry.duplicate",
            self.lang,
            &[
                ("number", &record.id.to_string()),
                ("who", &escape_html(&who)),
                ("line", &escape_html(&self.session_line(&record))),
            ],
        );
        Some(Prompt::with(
            html,
            vec![
                vec![self.button(self.text("entry.duplicate_no"), &Action::Reject)],
                vec![self.button(self.text("dialog.edit_button"), &Action::Edit)],
                vec![self.button(self.text("entry.duplicate_yes"), &Action::Confirm)],
            ],
        ))
    }

    /// Save first and alone, Edit and Cancel below it.
    pub(super) fn summary_keyboard(&self) -> Keyboard {
        let save: Button = self.button(self.text("dialog.save_button"), &Action::Save);
        Keyboard::Inline(vec![
            vec![save],
            vec![
                self.button(self.text("dialog.edit_button"), &Action::Edit),
                self.button(self.text("dialog.cancel_button"), &Action::Cancel),
            ],
        ])
    }

    /// The draft's answers as summary lines (escaped HTML), for the summary and notices.
    pub(super) fn draft_lines(&self) -> String {
        let Some(draft) = &self.state.draft else {
            return String::new();
        };
        self.catalog
            .questions
            .iter()
            .filter_map(|q| {
                let value = self.describe(draft.answer(&q.id)?);
                Some(format!(
                    "<b>{}</b>: {}",
                    escape_html(q.label.get(self.lang)),
                    value
                ))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// An answer as shown in the summary (escaped HTML).
    fn describe(&self, answer: &Answer) -> String {
        let lang = self.lang;
        match answer {
            Answer::Group(id) => self
                .catalog
                .group(id)
                .map_or_else(|| escape_html(id), |g| escape_html(g.short.get(lang))),
            Answer::Class { id: None, name } => self.new_class_label(name),
            Answer::Class { name, .. } | Answer::Text(name) => escape_html(name),
            Answer::Date(date) => self.show_date(*date),
            Answer::Number(n) => format_count(u64::from(*n), lang),
            Answer::Choice(id) => self
                .catalog
                .questions
                .iter()
                .find_map(|q| match &q.kind {
                    QuestionKind::Choice { options } => options.iter().find(|o| o.id == *id),
                    _ => None,
                })
                .map_or_else(|| escape_html(id), |o| escape_html(o.label.get(lang))),
            Answer::Skipped => "—".to_owned(),
        }
    }

    /// A date as shown to the person: with the year in bold when it is not this year's.
    pub(super) fn show_date(&self, date: NaiveDate) -> String {
        if date.year() == self.now.today.year() {
            format_date(date)
        } else {
            format!(
                "{:02}/{:02}/<b>{}</b>",
                date.day(),
                date.month(),
                date.year()
            )
        }
    }

    /// A new class's name as the summary shows it: marked new, and marked again when it
    /// has no diacritics, so a slip is seen before it is saved.
    pub(super) fn new_class_label(&self, name: &str) -> String {
        let key = if without_diacritics(name) {
            "entry.new_class_plain"
        } else {
            "entry.new_class"
        };
        self.catalog
            .render(key, self.lang, &[("name", &escape_html(name))])
    }

    /// Why a typed answer to `question` was refused, in the question's own words when its
    /// dialog file has them.
    pub(super) fn refusal_text(&self, question: &Question, refusal: &Refusal) -> String {
        refusal_html(self.catalog, question, refusal, self.lang)
    }

    /// Why a part of a quick entry was refused, naming what was typed ("không hiểu «…»").
    pub(super) fn quick_problem_text(&self, entry: &QuickEntry, problem: &QuickProblem) -> String {
        let lang = self.lang;
        let question = self.catalog.question(problem.question()).map(|(_, q)| q);
        let typed = match problem {
            QuickProblem::TotalInvalid(typed, _) | QuickProblem::FemaleInvalid(typed, _) => {
                Some(typed.clone())
            }
            QuickProblem::DateInvalid(typed) => Some(typed.clone()),
            QuickProblem::DateInFuture(date) => Some(format_date(*date)),
            _ => None,
        };
        let reason = match (problem, question, problem.error()) {
            (QuickProblem::FemaleAboveTotal(female), _, _) => {
                let total = entry.total.unwrap_or(0);
                self.catalog.render(
                    "entry.swap",
                    lang,
                    &[
                        ("total", &format_count(u64::from(*female), lang)),
                        ("female", &format_count(u64::from(total), lang)),
                    ],
                )
            }
            (_, Some(question), Some(code)) => {
                let limits = question_limits(&question.kind, lang);
                let today = format_date(self.now.today);
                let mut values: Vec<(&str, &str)> =
                    limits.iter().map(|(k, v)| (*k, v.as_str())).collect();
                values.push(("today", &today));
                self.catalog.error(question, code, lang, &values)
            }
            (_, Some(question), None) => self.catalog.render(
                "quick.not_understood",
                lang,
                &[("missing", &escape_html(question.label.get(lang)))],
            ),
            _ => String::new(),
        };
        match typed {
            Some(typed) => self.catalog.render(
                "entry.refused_part",
                lang,
                &[("typed", &escape_html(&typed)), ("reason", &reason)],
            ),
            None => reason,
        }
    }
}

/// The `{min}`, `{max}` and `{other}` values an error of this question kind may name.
fn question_limits(kind: &QuestionKind, lang: Lang) -> Vec<(&'static str, String)> {
    match kind {
        QuestionKind::Number { min, max, .. } => vec![
            ("min", format_count(u64::from(*min), lang)),
            ("max", format_count(u64::from(*max), lang)),
        ],
        QuestionKind::Class {
            min_len, max_len, ..
        }
        | QuestionKind::Text { min_len, max_len } => {
            vec![("min", min_len.to_string()), ("max", max_len.to_string())]
        }
        _ => Vec::new(),
    }
}

/// Whether a class name as typed carries no Vietnamese diacritics although it has letters
/// (`phong chong dich`): such a name is shown so that the organiser can fix it.
fn without_diacritics(name: &str) -> bool {
    let letters = name.chars().any(char::is_alphabetic);
    letters && parse::fold(name) == name.to_lowercase() && name.is_ascii()
}

/// Why a typed answer to `question` was refused, in the question's own words when its
/// dialog file has them, in `lang` (also the reason a row of an imported file gives).
pub(super) fn refusal_html(
    catalog: &Catalog,
    question: &Question,
    refusal: &Refusal,
    lang: Lang,
) -> String {
    let count = |n: u32| format_count(u64::from(n), lang);
    let error = |code: &str, values: &[(&str, &str)]| catalog.error(question, code, lang, values);
    match refusal {
        Refusal::UseButtons => catalog.text("dialog.use_buttons", lang).to_owned(),
        Refusal::BadDate => error("bad_date", &[]),
        Refusal::FutureDate { today } => error("future_date", &[("today", &format_date(*today))]),
        Refusal::NotANumber => error("not_a_number", &[]),
        Refusal::TooSmall { min } => error("too_small", &[("min", &count(*min))]),
        Refusal::TooLarge { max } => error("too_large", &[("max", &count(*max))]),
        Refusal::AboveOther { other, limit } => {
            let label = catalog
                .question(other)
                .map_or(other.clone(), |(_, q)| q.label.get(lang).to_owned());
            error("above_other", &[("other", &label), ("max", &count(*limit))])
        }
        Refusal::TooShort { min } => error("too_short", &[("min", &min.to_string())]),
        Refusal::TooLong { max } => error("too_long", &[("max", &max.to_string())]),
        Refusal::NoLetters => error("no_letters", &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_diacritics() {
        assert!(without_diacritics("phong chong sot xuat huyet"));
        assert!(!without_diacritics("Phòng chống sốt xuất huyết"));
        assert!(!without_diacritics("123"));
        assert!(without_diacritics("Tin hoc 2"));
    }
}
