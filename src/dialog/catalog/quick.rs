//! Quick entry: one message such as `sk 45 30 Phòng chống sốt xuất huyết` read as a session.
//!
//! An organiser in a hurry types the group code, the attendance, the number of women,
//! optionally the date, and the class, instead of answering the questions one by one.
//! This module only *reads* such a line; the engine decides what to do with it.
//!
//! # Use
//!
//! ```
//! use chrono::NaiveDate;
//! use rollcall::dialog::quick::{QuickParser, QuickProblem};
//! # let catalog = rollcall::dialog::load_dir(
//! #     &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).unwrap();
//! let parser = QuickParser::new(&catalog).expect("the grammar builds"); // once, at start
//! let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
//!
//! let entry = parser.parse("SK 45/30 26/11 phòng chống sốt xuất huyết", today).unwrap();
//! assert_eq!(entry.group, "health");
//! assert_eq!((entry.total, entry.female), (Some(45), Some(30)));
//! assert_eq!(entry.date, NaiveDate::from_ymd_opt(2026, 11, 26));
//! assert_eq!(entry.class.as_deref(), Some("phòng chống sốt xuất huyết"));
//! assert!(entry.problems.is_empty());
//!
//! // Partial understanding: what parsed is kept, the rest is listed as problems.
//! let entry = parser.parse("suc khoe 45 Phòng chống dịch", today).unwrap();
//! assert_eq!(entry.total, Some(45));
//! assert_eq!(entry.problems, [QuickProblem::FemaleMissing]);
//!
//! // Not starting with a group code or alias: ordinary text, not a quick entry.
//! assert_eq!(parser.parse("xin chào", today), None);
//! ```
//!
//! # For the engine
//!
//! - `parse` returns `None` exactly when the text does not start with a group code or
//!   alias (as a whole word): answer it as ordinary text. Note that a message that merely
//!   *starts* with an alias (`nghe nói…`, `Kinh tế hộ gia đình`) is read as a quick entry
//!   without numbers; treating an entry with `TotalMissing` as a quick entry only when it is
//!   the bare code (`sk`) is the cautious choice, showing `quick.format` otherwise.
//! - A field is `Some` only when it was typed *and* is valid for its question; every field
//!   that is `None` for a reason has a `QuickProblem` saying why. `date: None` without a
//!   date problem means no date was typed (quick entries are sent right after the
//!   session: today is the natural default).
//! - `QuickProblem::question` and `QuickProblem::error` map a problem to the question to
//!   ask again and the `error.*` code (with `Catalog::error`) to explain why.
//! - `QuickEntry::describe` writes the "I understood …; not yet …" message,
//!   `codes_list` the `{codes}` of `quick.format`. `similar::close_match` finds the
//!   existing class a new class name probably misspells (`quick.did_you_mean`).

use super::{Catalog, QuestionKind};
use crate::domain::Lang;
use crate::format::{escape_html, format_count, format_date};
use crate::parse::{self, NumberError};
use chrono::NaiveDate;
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The quick-entry grammar: the one place that says what a quick entry looks like.
///
/// It is matched, case-insensitively, against the message as `parse::class_name`
/// normalises it (NFC, trimmed, every whitespace run one space, so ` ` below is exactly
/// one space). `QuickParser::new` fills in:
///
/// - `{GROUP}`: every group code and alias of the catalog, longest first so that
///   `suc khoe` wins over a shorter spelling; each letter also matches itself without
///   some or all of its diacritics (`sức khỏe`, `suc khoe`, `sưc khoe`), but not with
///   *other* diacritics (`nghệ` is not `nghe`: `Nghệ thuật` is not a quick entry);
/// - `{NUMBER}`: digits, possibly grouped by `.` (`1.200`); `\d` includes full-width
///   digits. A comma always separates two numbers (`45,30`), never thousands, and a
///   minus sign right after the group reads as punctuation (`sk -5` is 5);
/// - `{UNIT}`: the words `parse::whole_number` accepts after a count (`người`, `nữ`…);
/// - `{DATE}`: the shapes `parse::date` reads: `26/11`, `26-11-2026`, `2026-11-26`,
///   `ngày 26/11`, `hôm nay`, `hom qua`, `today`, `yesterday`, `hôm kia`.
///
/// ```text
/// <group> [ [sep] <total> [unit] [ sep <female> [unit] ] ] [ <date> ] [ sep <class> ] [ <date> ]
/// sk        45 người  /  30 nữ                         26/11     Phòng chống …
/// ```
///
/// Every part after the group is optional so that a partial entry still tells what it
/// does hold; the regex engine's leftmost-first priority (as a backtracking engine would
/// choose) settles ambiguities: numbers before a date (`sk 26/11` is 26 people, 11
/// women), the longest alias first, a date right after the numbers rather than at the
/// end, and the class as short as a final date allows. A group must be followed by a
/// space, punctuation, a digit or the end: `skills` does not start with `sk`.
const GRAMMAR: &str = r"(?xi)
^
(?P<group> {GROUP} )
(?:                                          # The numbers (asked later when missing):
    (?: \x20?[:\-–]\x20? | \x20 )?           #   `sk 45`, `sk: 45`, `sk - 45`, `sk45`
    (?P<total> {NUMBER} (?: \x20?(?:{UNIT}) )? )
    (?:
        (?: \x20?[/／,\-–]\x20? | \x20 )      #   `45/30`, `45 - 30`, `45, 30`, `45 30`
        (?P<female> {NUMBER} (?: \x20?(?:{UNIT}) )? )
    )?
)?
(?: \x20 (?P<date> {DATE} ) )?               # The date, right after the numbers.
(?:                                          # The class (asked later when missing):
    (?: \x20?[:;,.\-–]\x20 | \x20 | [:;,] )  #   `30 Trồng nấm`, `30: Trồng`, `30 - Trồng`
    (?P<class> .+? )
)?
(?: \x20 (?P<date_end> {DATE} ) )?           # Or the date at the very end.
$
";

/// A count: digits grouped by thousands with `.` (`1.200`), or digits with at most a
/// short decimal part (`4.5`: read, then refused by `whole_number` as no whole number).
/// A longer dotted run (`26.11.2026`) is therefore left to `{DATE}`.
const NUMBER: &str = r"(?:\d{1,3}(?:\.\d{3})+|\d+(?:\.\d{1,2})?)";

/// Numeric date shapes; `parse::date` decides whether the date exists.
const NUMERIC_DATE: &str = r"\d{1,4}[/.\-]\d{1,4}(?:[/.\-]\d{1,4})?";

/// Date words, written with full diacritics (matching also accepts them without).
const DATE_WORDS: &[&str] = &["hôm nay", "hôm qua", "hôm kia", "today", "yesterday"];

/// The word that may introduce a numeric date (`ngày 26/11`).
const DATE_PREFIX: &str = "ngày";

/// Words tolerated after a count, a subset of those `parse::whole_number` accepts (a
/// test checks that): the captured `45 người` is handed to it whole.
const UNITS: &[&str] = &[
    "lượt người",
    "người nữ",
    "học viên",
    "người",
    "lượt",
    "women",
    "people",
    "persons",
    "person",
    "pax",
    "nữ",
    "hv",
    "ng",
];

/// Reads quick entries. Built once from a `Catalog`, it holds the compiled grammar and
/// the limits of the questions the entry answers, so it must be rebuilt when the
/// catalog changes.
#[derive(Debug, Clone)]
pub struct QuickParser {
    grammar: Regex,
    /// Group id by folded spelling (code or alias); the loader keeps these unique.
    groups: HashMap<String, String>,
    /// Limits of the `total` question.
    total: (u32, u32),
    /// Limits of the `female` question.
    female: (u32, u32),
    /// Whether `female` may not exceed `total` (its `at_most`).
    female_at_most_total: bool,
    /// Length limits of the `class` question, in characters.
    class_len: (usize, usize),
}

/// What a quick entry said. Fields are `Some` only when typed and valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickEntry {
    /// The group id (for example `health`).
    pub group: String,
    /// The attendance, within the `total` question's limits.
    pub total: Option<u32>,
    /// The women, within the `female` question's limits and not above `total`.
    pub female: Option<u32>,
    /// The date, not in the future. `None` without a date problem: not typed.
    pub date: Option<NaiveDate>,
    /// Whether the date's year was not typed but taken as the latest one not in the future
    /// (`17/12`), so that a date far back can be confirmed in full.
    pub date_year_guessed: bool,
    /// The class name to display (`parse::class_name`), within the `class` length limits.
    pub class: Option<String>,
    /// Why fields are missing, in the order total, female, date, class.
    pub problems: Vec<QuickProblem>,
}

/// Why a part of a quick entry is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuickProblem {
    /// No number after the group.
    TotalMissing,
    /// The attendance as typed, and what is wrong with it.
    TotalInvalid(String, NumberIssue),
    /// Only one number was typed.
    FemaleMissing,
    /// The number of women as typed, and what is wrong with it.
    FemaleInvalid(String, NumberIssue),
    /// More women (this many) than people; the total is kept and the swap is offered.
    FemaleAboveTotal(u32),
    /// Something date-shaped that is no date (`31/02`), as typed.
    DateInvalid(String),
    /// A date after today.
    DateInFuture(NaiveDate),
    /// Nothing after the numbers and the date.
    ClassMissing,
    /// A class name shorter than the `class` question allows.
    ClassTooShort,
    /// A class name longer than the `class` question allows.
    ClassTooLong,
    /// A class name without two letters or digits (`🎉😀👍`).
    ClassNoLetters,
}

/// What is wrong with a typed number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberIssue {
    /// Not a whole number (`4.5`).
    NotANumber,
    /// Below the question's minimum (`0` people), or negative.
    TooSmall,
    /// Above the question's maximum.
    TooLarge,
}

impl QuickProblem {
    /// The id of the question whose answer this problem leaves missing.
    pub fn question(&self) -> &'static str {
        match self {
            QuickProblem::TotalMissing | QuickProblem::TotalInvalid(..) => "total",
            QuickProblem::FemaleMissing
            | QuickProblem::FemaleInvalid(..)
            | QuickProblem::FemaleAboveTotal(_) => "female",
            QuickProblem::DateInvalid(_) | QuickProblem::DateInFuture(_) => "date",
            QuickProblem::ClassMissing
            | QuickProblem::ClassTooShort
            | QuickProblem::ClassTooLong
            | QuickProblem::ClassNoLetters => "class",
        }
    }

    /// The error code to explain it with `Catalog::error` (`not_a_number`, `too_small`,
    /// `too_large`, `above_other`, `bad_date`, `future_date`, `too_short`, `too_long`);
    /// `None` when the part was simply not typed, so the question is asked plainly.
    pub fn error(&self) -> Option<&'static str> {
        match self {
            QuickProblem::TotalMissing
            | QuickProblem::FemaleMissing
            | QuickProblem::ClassMissing => None,
            QuickProblem::TotalInvalid(_, issue) | QuickProblem::FemaleInvalid(_, issue) => {
                Some(match issue {
                    NumberIssue::NotANumber => "not_a_number",
                    NumberIssue::TooSmall => "too_small",
                    NumberIssue::TooLarge => "too_large",
                })
            }
            QuickProblem::FemaleAboveTotal(_) => Some("above_other"),
            QuickProblem::DateInvalid(_) => Some("bad_date"),
            QuickProblem::DateInFuture(_) => Some("future_date"),
            QuickProblem::ClassTooShort => Some("too_short"),
            QuickProblem::ClassTooLong => Some("too_long"),
            QuickProblem::ClassNoLetters => Some("no_letters"),
        }
    }
}

impl QuickParser {
    /// Builds the grammar from the catalog's group codes and aliases and reads the limits
    /// of the `total`, `female` and `class` questions. Fails only if the regex cannot be
    /// built, which escaped catalog spellings cannot cause short of a size limit.
    pub fn new(catalog: &Catalog) -> Result<QuickParser, regex::Error> {
        let mut spellings: Vec<(String, &str)> = Vec::new();
        let mut groups = HashMap::new();
        for group in &catalog.groups {
            for spelling in std::iter::once(&group.code).chain(&group.aliases) {
                let folded = parse::fold(spelling);
                if folded.is_empty() {
                    continue;
                }
                groups.insert(folded, group.id.clone());
                spellings.push((parse::class_key(spelling), &group.id));
            }
        }
        spellings
            .sort_by(|(a, _), (b, _)| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        spellings.dedup_by(|(a, _), (b, _)| a == b);
        let group = alternatives(spellings.iter().map(|(spelling, _)| spelling.as_str()));
        let unit = alternatives(UNITS.iter().copied());
        let date = format!(
            "(?:{}\\x20)?{NUMERIC_DATE}|{}",
            tolerant(DATE_PREFIX),
            alternatives(DATE_WORDS.iter().copied())
        );
        let pattern = GRAMMAR
            .replace("{GROUP}", &group)
            .replace("{UNIT}", &unit)
            .replace("{NUMBER}", NUMBER)
            .replace("{DATE}", &date);
        let grammar = RegexBuilder::new(&pattern).size_limit(64 << 20).build()?;

        let number_limits = |id: &str| match catalog.question(id).map(|(_, q)| &q.kind) {
            Some(QuestionKind::Number { min, max, at_most }) => (*min, *max, at_most.clone()),
            _ => (0, u32::MAX, None),
        };
        let (total_min, total_max, _) = number_limits("total");
        let (female_min, female_max, female_at_most) = number_limits("female");
        let class_len = match catalog.question("class").map(|(_, q)| &q.kind) {
            Some(QuestionKind::Class {
                min_len, max_len, ..
            }) => (*min_len, *max_len),
            _ => (1, usize::MAX),
        };
        Ok(QuickParser {
            grammar,
            groups,
            total: (total_min, total_max),
            female: (female_min, female_max),
            female_at_most_total: female_at_most.as_deref() == Some("total"),
            class_len,
        })
    }

    /// Reads `text` as a quick entry, with `today` the centre's local date (for `hôm
    /// qua`, dates without a year, and refusing future dates). `None` when the text does
    /// not start with a group code or alias, so it is not a quick entry but ordinary text.
    pub fn parse(&self, text: &str, today: NaiveDate) -> Option<QuickEntry> {
        let (line, _) = parse::class_name(text);
        let caps = self.grammar.captures(&line)?;
        let group = self
            .groups
            .get(&parse::fold(caps.name("group")?.as_str()))?;
        let mut entry = QuickEntry {
            group: group.clone(),
            total: None,
            female: None,
            date: None,
            date_year_guessed: false,
            class: None,
            problems: Vec::new(),
        };

        match caps.name("total") {
            None => entry.problems.push(QuickProblem::TotalMissing),
            Some(typed) => match number(typed.as_str(), self.total) {
                Ok(n) => entry.total = Some(n),
                Err(issue) => entry
                    .problems
                    .push(QuickProblem::TotalInvalid(typed.as_str().to_owned(), issue)),
            },
        }
        match caps.name("female") {
            None => entry.problems.push(QuickProblem::FemaleMissing),
            Some(typed) => match number(typed.as_str(), self.female) {
                Ok(n) if self.female_at_most_total && entry.total.is_some_and(|t| n > t) => {
                    entry.problems.push(QuickProblem::FemaleAboveTotal(n));
                }
                Ok(n) => entry.female = Some(n),
                Err(issue) => entry.problems.push(QuickProblem::FemaleInvalid(
                    typed.as_str().to_owned(),
                    issue,
                )),
            },
        }

        // The class runs up to a final date unless that date is not used as the date:
        // a second date, or a date-shaped ending that is no date (`Lớp 12/15`).
        let mut class = caps.name("class").map(|m| m.range());
        let date = match (caps.name("date"), caps.name("date_end")) {
            (Some(date), end) => {
                if let Some(end) = end {
                    class = Some(class.map_or(end.range(), |c| c.start..end.end()));
                }
                Some(date.as_str())
            }
            (None, Some(end)) if parse::date(end.as_str(), today).is_some() => Some(end.as_str()),
            (None, Some(end)) => {
                class = Some(class.map_or(end.range(), |c| c.start..end.end()));
                None
            }
            (None, None) => None,
        };
        if let Some(typed) = date {
            match parse::date_typed(typed, today) {
                None => entry
                    .problems
                    .push(QuickProblem::DateInvalid(typed.to_owned())),
                Some((date, _)) if date > today => {
                    entry.problems.push(QuickProblem::DateInFuture(date));
                }
                Some((date, year_typed)) => {
                    entry.date = Some(date);
                    entry.date_year_guessed = !year_typed;
                }
            }
        }

        let (name, _) = parse::class_name(class.and_then(|range| line.get(range)).unwrap_or(""));
        let length = name.chars().count();
        let (min_len, max_len) = self.class_len;
        if name.is_empty() {
            entry.problems.push(QuickProblem::ClassMissing);
        } else if length < min_len {
            entry.problems.push(QuickProblem::ClassTooShort);
        } else if length > max_len {
            entry.problems.push(QuickProblem::ClassTooLong);
        } else if !parse::has_two_alphanumerics(&name) {
            entry.problems.push(QuickProblem::ClassNoLetters);
        } else {
            entry.class = Some(name);
        }
        Some(entry)
    }
}

impl QuickEntry {
    /// The ids of the questions still to ask, in the catalog's dialog order, each once.
    pub fn missing_questions<'c>(&self, catalog: &'c Catalog) -> Vec<&'c str> {
        catalog
            .questions
            .iter()
            .map(|q| q.id.as_str())
            .filter(|id| self.problems.iter().any(|p| p.question() == *id))
            .collect()
    }

    /// The message telling what was understood (`quick.understood` with the parts) and,
    /// when something is missing or refused, what was not (`quick.not_understood` with
    /// the labels of those questions), as Telegram HTML; the class name is escaped.
    pub fn describe(&self, catalog: &Catalog, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(group) = catalog.group(&self.group) {
            parts.push(catalog.render(
                "quick.part_group",
                lang,
                &[("group", group.short.get(lang))],
            ));
        }
        if let Some(total) = self.total {
            let total = format_count(u64::from(total), lang);
            parts.push(catalog.render("quick.part_total", lang, &[("total", &total)]));
        }
        if let Some(female) = self.female {
            let female = format_count(u64::from(female), lang);
            parts.push(catalog.render("quick.part_female", lang, &[("female", &female)]));
        }
        if let Some(date) = self.date {
            let date = format_date(date);
            parts.push(catalog.render("quick.part_date", lang, &[("date", &date)]));
        }
        if let Some(class) = &self.class {
            let class = escape_html(class);
            parts.push(catalog.render("quick.part_class", lang, &[("class", &class)]));
        }
        let mut out = catalog.render("quick.understood", lang, &[("parts", &parts.join(", "))]);
        let missing: Vec<String> = self
            .missing_questions(catalog)
            .into_iter()
            .filter_map(|id| catalog.question(id))
            .map(|(_, q)| escape_html(&sentence_case(q.label.get(lang))))
            .collect();
        if !missing.is_empty() {
            out.push('\n');
            out.push_str(&catalog.render(
                "quick.not_understood",
                lang,
                &[("missing", &missing.join(", "))],
            ));
        }
        out
    }
}

/// The `{codes}` of `quick.format`: one `quick.code_line` per group, in report order.
pub fn codes_list(catalog: &Catalog, lang: Lang) -> String {
    catalog
        .groups
        .iter()
        .map(|g| {
            catalog.render(
                "quick.code_line",
                lang,
                &[
                    ("code", &escape_html(&g.code)),
                    ("group", g.short.get(lang)),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A typed count checked against a question's limits.
fn number(text: &str, (min, max): (u32, u32)) -> Result<u32, NumberIssue> {
    match parse::whole_number(text) {
        Err(NumberError::NotANumber) => Err(NumberIssue::NotANumber),
        Err(NumberError::Negative) => Err(NumberIssue::TooSmall),
        Err(NumberError::TooLarge) => Err(NumberIssue::TooLarge),
        Ok(n) if n < u64::from(min) => Err(NumberIssue::TooSmall),
        Ok(n) if n > u64::from(max) => Err(NumberIssue::TooLarge),
        Ok(n) => u32::try_from(n).map_err(|_| NumberIssue::TooLarge),
    }
}

/// A label put inside a sentence: `Số nữ` becomes `số nữ`, but `TDTT` stays.
fn sentence_case(label: &str) -> String {
    let mut chars = label.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let rest = chars.as_str();
    let first_word = rest.split(' ').next().unwrap_or("");
    if first_word.chars().all(|c| !c.is_uppercase()) {
        first.to_lowercase().chain(rest.chars()).collect()
    } else {
        label.to_owned()
    }
}

/// A regex alternation of `spellings`, each diacritic-tolerant, in the given order.
fn alternatives<'a>(spellings: impl Iterator<Item = &'a str>) -> String {
    spellings.map(tolerant).collect::<Vec<_>>().join("|")
}

/// A regex matching `spelling` with any of its diacritics left out: each letter matches
/// itself or itself without some of its marks (`ứ` matches `ứ`, `ư`, `ú` and `u`), `đ`
/// also `d`, a space exactly one space (input is normalised). Case is the regex's
/// `(?i)`'s business.
fn tolerant(spelling: &str) -> String {
    let mut out = String::new();
    for c in spelling.chars() {
        if c == ' ' {
            out.push_str(r"\x20");
            continue;
        }
        let variants = undotted(c);
        if variants.len() == 1 {
            out.push_str(&regex::escape(&variants[0]));
        } else {
            let escaped: Vec<String> = variants.iter().map(|v| regex::escape(v)).collect();
            out.push_str(&format!("(?:{})", escaped.join("|")));
        }
    }
    out
}

/// `c` and `c` with any subset of its combining marks removed, composed (NFC), `c` first.
fn undotted(c: char) -> Vec<String> {
    if c == 'đ' {
        return vec!["đ".to_owned(), "d".to_owned()];
    }
    let decomposed: Vec<char> = c.nfd().collect();
    let (base, marks) = decomposed.split_at(1);
    // Vietnamese letters carry at most two marks; more would only multiply variants.
    let marks = &marks[..marks.len().min(3)];
    let mut variants = vec![c.to_string()];
    for keep in (0..(1u32 << marks.len())).rev() {
        let variant: String = base
            .iter()
            .chain(
                marks
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| keep & (1 << i) != 0)
                    .map(|(_, m)| m),
            )
            .copied()
            .nfc()
            .collect();
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undotted_letters() {
        assert_eq!(undotted('a'), ["a"]);
        assert_eq!(undotted('đ'), ["đ", "d"]);
        assert_eq!(undotted('ứ'), ["ứ", "ú", "ư", "u"]);
        assert_eq!(undotted('ệ'), ["ệ", "ê", "ẹ", "e"]);
    }

    #[test]
    fn tolerant_spellings() {
        let re = Regex::new(&format!("(?i)^(?:{})$", tolerant("sức khỏe")))
            .unwrap_or_else(|e| panic!("{e}"));
        for yes in ["sức khỏe", "SỨC KHỎE", "suc khoe", "sưc khoe", "Sức khoe"] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in ["sực khỏe", "sức  khỏe", "suc kho", "sứckhỏe"] {
            assert!(!re.is_match(no), "{no}");
        }
    }

    #[test]
    fn units_are_accepted_by_whole_number() {
        for unit in UNITS {
            assert_eq!(parse::whole_number(&format!("45 {unit}")), Ok(45), "{unit}");
            assert_eq!(parse::whole_number(&format!("45{unit}")), Ok(45), "{unit}");
        }
    }

    #[test]
    fn date_words_are_accepted_by_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        for word in DATE_WORDS {
            assert!(parse::date(word, today).is_some(), "{word}");
            assert!(parse::date(&parse::fold(word), today).is_some(), "{word}");
        }
        assert!(parse::date(&format!("{DATE_PREFIX} 26/11"), today).is_some());
    }

    #[test]
    fn sentence_case_keeps_acronyms() {
        assert_eq!(sentence_case("Số nữ"), "số nữ");
        assert_eq!(sentence_case("Attendance"), "attendance");
        assert_eq!(sentence_case("TDTT"), "TDTT");
        assert_eq!(sentence_case("A"), "a");
        assert_eq!(sentence_case(""), "");
    }
}
