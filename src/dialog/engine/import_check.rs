//! Checking the rows of a sessions file with the dialog's own rules (the message that
//! shows the verdict is `import_message.rs`).
//!
//! Each row is judged as the same session typed in the chat would be, with the same
//! functions: the group as a typed group name, the class name with the class question's
//! limits and the same matching (same key: the existing class; one typo or the same name
//! under another group: worth a look), the date as the date question takes it (never in
//! the future), the numbers within their questions' limits and the women at most the
//! attendance, the extra questions by their kinds. What the dialog would ask about
//! before saving (an unusual attendance, a date far back whose year was guessed, a class
//! name close to another) is noted on the row; what it would never save, and a session
//! stored already or twice in the file, refuses the row. One confirmation then covers
//! the whole file, as one Save covers a multi-line entry.

use super::super::catalog::{Catalog, QuestionKind};
use super::super::draft::BUILT_IN;
use super::super::io::{ClassRef, Facts};
use super::super::parse;
use super::super::similar;
use super::answers::{
    choice_answer, class_name_answer, close_class, number_within, text_answer, ClassMatch, Reader,
    Refusal,
};
use super::prompts::refusal_html;
use super::safety::{unusual_total, HISTORY};
use crate::domain::{CentreId, ClassChoice, ClassId, Lang, NewSession, Now, UserId};
use crate::format::{escape_html, format_count, format_date};
use crate::import::{AddedRow, ImportCheck, ImportRow, ImportRows, RefusedRow};
use std::collections::{BTreeMap, HashMap};

/// How many of a group's classes a new class name is compared with (as the dialog does).
const CLOSE_MATCH_CANDIDATES: usize = 200;

/// Length limits of a class name when the dialog files give none (they normally do).
const DEFAULT_CLASS_LEN: (usize, usize) = (2, 200);

/// Who checks a file, for which centre, when, and in which language.
#[derive(Clone, Copy)]
pub struct CheckContext<'a> {
    pub catalog: &'a Catalog,
    pub facts: &'a dyn Facts,
    pub centre: CentreId,
    /// The centre's name, which a centre column of the file must match.
    pub centre_name: &'a str,
    /// Who the added sessions are recorded as logged by (the director; 0 on the
    /// command line).
    pub organiser: UserId,
    pub now: Now,
    pub lang: Lang,
}

impl std::fmt::Debug for CheckContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckContext")
            .field("centre", &self.centre)
            .field("organiser", &self.organiser)
            .finish_non_exhaustive()
    }
}

/// Checks every row of a file for `ctx.centre`: the sessions it would add, with what is
/// worth a look, and the rows refused, with why. Reads the store through `facts` only.
pub fn check_import(ctx: &CheckContext<'_>, file: &ImportRows) -> ImportCheck {
    let mut checker = Checker {
        ctx,
        reader: Reader {
            catalog: ctx.catalog,
            facts: ctx.facts,
            today: ctx.now.today,
        },
        groups: HashMap::new(),
        known: HashMap::new(),
        all_classes: None,
        histories: HashMap::new(),
        seen: HashMap::new(),
        new_classes: Vec::new(),
    };
    let mut check = ImportCheck {
        rows: file.rows.len(),
        added: Vec::new(),
        refused: Vec::new(),
        unused_columns: file.unused_columns.clone(),
    };
    for row in &file.rows {
        match checker.row(row) {
            Ok(added) => check.added.push(added),
            Err(reason) => check.refused.push(RefusedRow {
                line: row.line,
                reason,
            }),
        }
    }
    check
}

/// The session a row stands for, identified for duplicates within the file: the group,
/// the class (an existing class's id, or a new class's key), the date and the numbers.
type SessionKey = (String, Result<ClassId, String>, chrono::NaiveDate, u32, u32);

/// The check's memory across rows: what the store was asked once, and what earlier rows
/// of the file hold.
struct Checker<'c, 'a> {
    ctx: &'c CheckContext<'a>,
    /// The session dialog's own reader of typed answers.
    reader: Reader<'a>,
    /// The group each spelling of the group column stands for.
    groups: HashMap<String, Option<String>>,
    /// The group's classes, most recent first, by group.
    known: HashMap<String, Vec<ClassRef>>,
    /// Every class of the centre with its group (asked once).
    all_classes: Option<Vec<(ClassRef, String)>>,
    /// The latest attendances of existing classes, by class.
    histories: HashMap<ClassId, Vec<u32>>,
    /// The first row of each session added so far.
    seen: HashMap<SessionKey, u32>,
    /// New classes named by rows added so far: (group, key, name, first row).
    new_classes: Vec<(String, String, String, u32)>,
}

impl Checker<'_, '_> {
    fn text(&self, key: &str, values: &[(&str, &str)]) -> String {
        self.ctx.catalog.render(key, self.ctx.lang, values)
    }

    /// The label of a question ("Ngày học"), or its id when the dialogs lack it.
    fn label(&self, question: &str) -> String {
        self.ctx.catalog.question(question).map_or_else(
            || question.to_owned(),
            |(_, q)| q.label.get(self.ctx.lang).to_owned(),
        )
    }

    /// "Ngày học «32/13»: …" for a cell the question refused.
    fn bad_cell(&self, question: &str, typed: &str, reason: &str) -> String {
        self.text(
            "import.bad_cell",
            &[
                ("column", &escape_html(&self.label(question))),
                ("typed", &shown(typed)),
                ("reason", reason),
            ],
        )
    }

    fn missing(&self, question: &str) -> String {
        self.text(
            "import.missing",
            &[("column", &escape_html(&self.label(question)))],
        )
    }

    /// The row as a session to add, or why it is refused (every problem of the row).
    fn row(&mut self, row: &ImportRow) -> Result<AddedRow, String> {
        let (catalog, lang) = (self.ctx.catalog, self.ctx.lang);
        if row.example {
            return Err(self.text("import.example_row", &[]));
        }
        if !row.centre.trim().is_empty() && !parse::same_words(&row.centre, self.ctx.centre_name) {
            return Err(self.text("import.other_centre", &[("centre", &shown(&row.centre))]));
        }
        let mut problems = Vec::new();

        let group = match row.group.trim() {
            "" => {
                problems.push(self.missing("group"));
                None
            }
            typed => {
                // A file names a handful of groups thousands of times: each spelling is
                // looked up once.
                let reader = &self.reader;
                let found = self
                    .groups
                    .entry(typed.to_owned())
                    .or_insert_with(|| {
                        catalog
                            .group(typed)
                            .map(|g| g.id.clone())
                            .or_else(|| reader.group(typed).ok())
                    })
                    .clone()
                    .and_then(|id| catalog.group(&id));
                if found.is_none() {
                    problems.push(self.text("import.unknown_group", &[("typed", &shown(typed))]));
                }
                found
            }
        };

        let class = match row.class.trim() {
            "" => {
                problems.push(self.missing("class"));
                None
            }
            typed => {
                let limits = match catalog.question("class").map(|(_, q)| (q, &q.kind)) {
                    Some((
                        question,
                        QuestionKind::Class {
                            min_len, max_len, ..
                        },
                    )) => Some((question, (*min_len, *max_len))),
                    _ => None,
                };
                let read = match limits {
                    Some((question, limits)) => class_name_answer(limits, typed)
                        .map_err(|refusal| refusal_html(catalog, question, &refusal, lang)),
                    None => class_name_answer(DEFAULT_CLASS_LEN, typed)
                        .map_err(|_| catalog.render("error.no_letters", lang, &[])),
                };
                match read {
                    Ok(found) => Some(found),
                    Err(reason) => {
                        problems.push(self.bad_cell("class", typed, &reason));
                        None
                    }
                }
            }
        };

        let date = match (row.date.trim(), catalog.question("date")) {
            ("", _) => {
                problems.push(self.missing("date"));
                None
            }
            (typed, Some((_, question))) => {
                match self.reader.date(typed) {
                    Ok(found) => Some(found),
                    // The date question's own words for a date it cannot read speak of
                    // its buttons; a cell of a file gets the format instead.
                    Err(_) if parse::date(typed, self.ctx.now.today).is_none() => {
                        let reason = self.text("import.bad_date", &[]);
                        problems.push(self.bad_cell("date", typed, &reason));
                        None
                    }
                    Err(refusal) => {
                        let reason = refusal_html(catalog, question, &refusal, lang);
                        problems.push(self.bad_cell("date", typed, &reason));
                        None
                    }
                }
            }
            (typed, None) => {
                problems.push(self.bad_cell("date", typed, ""));
                None
            }
        };

        let total = self.number(&row.total, "total", &mut problems);
        let female = self.number(&row.female, "female", &mut problems);
        if let (Some(total), Some(female)) = (total, female) {
            if female > total {
                if let Some((_, question)) = catalog.question("female") {
                    let above = Refusal::AboveOther {
                        other: "total".to_owned(),
                        limit: total,
                    };
                    let reason = refusal_html(catalog, question, &above, lang);
                    problems.push(self.bad_cell("female", &row.female, &reason));
                }
            }
        }

        let extra = self.extra(row, &mut problems);

        let (
            Some(group),
            Some((display, key)),
            Some((date, year_typed)),
            Some(total),
            Some(female),
        ) = (group, class, date, total, female)
        else {
            return Err(join(&problems));
        };
        if !problems.is_empty() {
            return Err(join(&problems));
        }

        let mut notes = Vec::new();
        let (class, class_name) = self.class(&group.id, display, &key, row.line, &mut notes);
        let session = NewSession {
            centre: self.ctx.centre,
            organiser: self.ctx.organiser,
            group: group.id.clone(),
            class,
            date,
            total,
            female,
            extra,
            created_at: self.ctx.now.at,
        };

        if let ClassChoice::Existing(id) = session.class {
            if let Some(stored) =
                self.ctx
                    .facts
                    .same_session(self.ctx.centre, id, date, (total, female))
            {
                return Err(self.text(
                    "batch.duplicate_stored",
                    &[("number", &stored.id.to_string())],
                ));
            }
        }
        let identity: SessionKey = (
            session.group.clone(),
            match &session.class {
                ClassChoice::Existing(id) => Ok(*id),
                ClassChoice::New { key, .. } => Err(key.clone()),
            },
            date,
            total,
            female,
        );
        if let Some(first) = self.seen.get(&identity) {
            return Err(self.text("batch.duplicate_line", &[("line", &first.to_string())]));
        }
        self.seen.insert(identity, row.line);

        if !year_typed && self.reader.far_back(date) {
            notes.push(self.text("batch.old_date", &[("date", &format_date(date))]));
        }
        let history = match session.class {
            ClassChoice::Existing(id) => self
                .histories
                .entry(id)
                .or_insert_with(|| self.ctx.facts.class_attendances(id, HISTORY))
                .clone(),
            ClassChoice::New { .. } => Vec::new(),
        };
        if let Some(usual) = unusual_total(total, &history) {
            notes.push(match usual {
                Some(usual) => self.text(
                    "batch.large_usual",
                    &[("usual", &format_count(u64::from(usual), lang))],
                ),
                None => self.text("batch.large", &[]),
            });
        }
        if let ClassChoice::New { name, key } = &session.class {
            if !self
                .new_classes
                .iter()
                .any(|(g, k, _, _)| *g == session.group && k == key)
            {
                self.new_classes
                    .push((session.group.clone(), key.clone(), name.clone(), row.line));
            }
        }
        Ok(AddedRow {
            line: row.line,
            session,
            class_name,
            notes,
        })
    }

    /// A count cell of the number question `question`, within its limits.
    fn number(&self, typed: &str, question: &str, problems: &mut Vec<String>) -> Option<u32> {
        let catalog = self.ctx.catalog;
        if typed.trim().is_empty() {
            problems.push(self.missing(question));
            return None;
        }
        let found = catalog
            .question(question)
            .map(|(_, q)| q)
            .filter(|q| matches!(q.kind, QuestionKind::Number { .. }));
        let Some(q) = found else {
            problems.push(self.bad_cell(question, typed, ""));
            return None;
        };
        match number_within(q, typed) {
            Ok(n) => Some(n),
            Err(refusal) => {
                let reason = refusal_html(catalog, q, &refusal, self.ctx.lang);
                problems.push(self.bad_cell(question, typed, &reason));
                None
            }
        }
    }

    /// The answers to the dialog's extra questions, each as its question takes it.
    fn extra(&self, row: &ImportRow, problems: &mut Vec<String>) -> BTreeMap<String, String> {
        let (catalog, lang) = (self.ctx.catalog, self.ctx.lang);
        let mut answers = BTreeMap::new();
        for (id, typed) in &row.extra {
            let typed = typed.trim();
            if typed.is_empty() || BUILT_IN.contains(&id.as_str()) {
                continue;
            }
            let Some((_, question)) = catalog.question(id) else {
                continue;
            };
            let word = |refusal: Refusal| refusal_html(catalog, question, &refusal, lang);
            let answer = match &question.kind {
                QuestionKind::Text { min_len, max_len } => {
                    text_answer((*min_len, *max_len), typed).map_err(word)
                }
                QuestionKind::Number { .. } => number_within(question, typed)
                    .map(|n| n.to_string())
                    .map_err(word),
                QuestionKind::Date => self
                    .reader
                    .date(typed)
                    .map(|(date, _)| date.to_string())
                    .map_err(word),
                QuestionKind::Choice { options } => options
                    .iter()
                    .find(|o| o.id == typed)
                    .map(|o| o.id.as_str())
                    .or_else(|| choice_answer(options, typed))
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        let names: Vec<String> = options
                            .iter()
                            .map(|o| escape_html(o.label.get(lang)))
                            .collect();
                        self.text("import.bad_choice", &[("options", &names.join(", "))])
                    }),
                // Groups and classes are the built-in questions, handled above.
                QuestionKind::Group | QuestionKind::Class { .. } => continue,
            };
            match answer {
                Ok(answer) => {
                    answers.insert(id.clone(), answer);
                }
                Err(reason) => problems.push(self.bad_cell(id, typed, &reason)),
            }
        }
        answers
    }

    /// The class a row names in `group`: the existing class with the same key, else a
    /// new class, noted when its name is close to a class of the centre or of an earlier
    /// row (the dialog would ask "did you mean …?").
    fn class(
        &mut self,
        group: &str,
        display: String,
        key: &str,
        line: u32,
        notes: &mut Vec<String>,
    ) -> (ClassChoice, String) {
        let (facts, centre) = (self.ctx.facts, self.ctx.centre);
        if let Some(existing) = facts.class_by_key(centre, group, key) {
            return (ClassChoice::Existing(existing.id), existing.name);
        }
        let new = |name: String| {
            (
                ClassChoice::New {
                    name: name.clone(),
                    key: key.to_owned(),
                },
                name,
            )
        };
        // A class an earlier row creates: the same class, looked at once already.
        if let Some((_, _, name, _)) = self
            .new_classes
            .iter()
            .find(|(g, k, _, _)| g == group && k == key)
        {
            return new(name.clone());
        }
        let known = self
            .known
            .entry(group.to_owned())
            .or_insert_with(|| facts.recent_classes(centre, group, CLOSE_MATCH_CANDIDATES))
            .clone();
        let all = self
            .all_classes
            .get_or_insert_with(|| facts.centre_classes(centre))
            .clone();
        if let ClassMatch::Close(suggestion) =
            close_class(&known, &all, group, display.clone(), key)
        {
            let group_id = suggestion.group.as_deref().unwrap_or(group);
            notes.push(self.text(
                "batch.similar_class",
                &[
                    ("name", &escape_html(&suggestion.name)),
                    ("group", &escape_html(&self.group_label(group_id))),
                ],
            ));
        } else if let Some((_, _, name, first)) = self.close_new_class(group, key, line) {
            notes.push(self.text(
                "import.similar_row",
                &[("name", &escape_html(&name)), ("line", &first.to_string())],
            ));
        }
        new(display)
    }

    /// A new class of an earlier row whose name `key` probably misspells: one edit away
    /// in the same group, or the same name under another group.
    fn close_new_class(
        &self,
        group: &str,
        key: &str,
        line: u32,
    ) -> Option<(String, String, String, u32)> {
        let earlier = self
            .new_classes
            .iter()
            .filter(|(_, _, _, first)| *first < line);
        let same_group: Vec<_> = earlier.clone().filter(|(g, _, _, _)| g == group).collect();
        let close = similar::close_match(
            key,
            same_group
                .iter()
                .enumerate()
                .map(|(i, (_, k, _, _))| (i as u64, k.as_str())),
        )
        .and_then(|i| same_group.get(usize::try_from(i).ok()?).copied());
        if let Some(found) = close {
            return Some(found.clone());
        }
        let folded = parse::fold(key);
        earlier
            .filter(|(g, _, _, _)| g != group)
            .find(|(_, k, _, _)| parse::fold(k) == folded)
            .cloned()
    }

    /// A group's short label ("Sức khỏe"), or its id when the dialogs lack it.
    fn group_label(&self, group: &str) -> String {
        self.ctx.catalog.group(group).map_or_else(
            || group.to_owned(),
            |g| g.short.get(self.ctx.lang).to_owned(),
        )
    }
}

/// The problems of one row as one reason: "…; …".
fn join(problems: &[String]) -> String {
    problems
        .iter()
        .map(|p| p.trim_end_matches('.'))
        .collect::<Vec<_>>()
        .join("; ")
}

/// How many characters of a cell a reason quotes.
const QUOTED_CHARS: usize = 60;

/// A cell as a reason quotes it: trimmed, cut to `QUOTED_CHARS`, escaped.
fn shown(typed: &str) -> String {
    let typed = typed.trim();
    if typed.chars().count() <= QUOTED_CHARS {
        escape_html(typed)
    } else {
        let cut: String = typed.chars().take(QUOTED_CHARS).collect();
        format!("{}…", escape_html(&cut))
    }
}
