//! Stage 2 of loading: checks the parsed dialog files and builds the `Catalog`.
//!
//! Every check records its problem and carries on, so that one start of the bot
//! lists every mistake in the files, each naming the file and the group,
//! question, command or message it is about. A `Catalog` is only returned when
//! nothing was found, which is what lets the engine trust its invariants.

use super::spec::{
    CommandsFile, GroupsFile, MessagesFile, OptionSpec, QuestionSpec, SessionFile, Texts,
};
use super::{DialogError, REQUIRED_COMMANDS};
use crate::dialog::catalog::QuickCache;
use crate::dialog::catalog::{
    self, BotProfile, Catalog, ChoiceOption, CommandHelp, Group, LangText, Question, QuestionKind,
    REQUIRED_TEXTS,
};
use crate::domain::Lang;
use crate::parse;
use crate::roles::Menu;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The problems found so far, in the order they were found.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<DialogError>,
}

impl Problems {
    /// Records one problem in `file`.
    pub fn add(&mut self, file: &Path, message: String) {
        self.list.push(DialogError {
            file: file.to_path_buf(),
            message,
        });
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every problem recorded.
    pub fn into_vec(self) -> Vec<DialogError> {
        self.list
    }
}

/// The files that could be read and parsed; `None` for one that could not
/// (its problem is already recorded).
#[derive(Debug)]
pub struct Sources {
    pub groups: Option<(PathBuf, GroupsFile)>,
    pub session: Option<(PathBuf, SessionFile)>,
    pub commands: Option<(PathBuf, CommandsFile)>,
    pub messages: Option<(PathBuf, MessagesFile)>,
}

/// Checks every file that was read. Returns the catalog when all four were read;
/// the caller must still refuse it when any problem was recorded.
pub fn compile(sources: Sources, problems: &mut Problems) -> Option<Catalog> {
    let groups = sources
        .groups
        .map(|(path, file)| groups(&mut Checker::new(&path, problems), file));
    let questions = sources
        .session
        .map(|(path, file)| questions(&mut Checker::new(&path, problems), file));
    let commands = sources
        .commands
        .map(|(path, file)| commands(&mut Checker::new(&path, problems), file));
    let texts = sources
        .messages
        .map(|(path, file)| messages(&mut Checker::new(&path, problems), &file));
    let (commands, profile) = commands?;
    Some(Catalog {
        groups: groups?,
        questions: questions?,
        commands,
        profile,
        texts: texts?,
        quick: QuickCache::default(),
    })
}

/// Longest short group label: it has to fit on a button on a small phone.
const MAX_SHORT_LABEL: usize = 24;
/// Longest label of a button text in `messages.toml` or of a choice option.
const MAX_BUTTON_LABEL: usize = 32;
/// Telegram's limit for the notice shown when a button is tapped (answerCallbackQuery).
const MAX_CALLBACK_NOTICE: usize = 200;
/// Telegram's limit for one message, in characters.
const MAX_MESSAGE: usize = 4096;
/// Telegram's limits for a command description.
const COMMAND_DESCRIPTION: (usize, usize) = (3, 256);
/// The most buttons a question may show; Telegram allows 100, a phone screen far fewer.
const MAX_BUTTONS: i64 = 50;
/// The longest free text a question may accept: a message must still hold it.
const MAX_TEXT_LEN: i64 = 4000;

/// How a text is shown, which decides the characters it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Sent as Telegram HTML: `<b>`, `<i>` and the entities `&lt;` `&gt;` `&amp;` `&quot;`.
    Html,
    /// Shown on a button, in a menu, or put inside other messages by code:
    /// no markup at all, so code never needs to escape it.
    Plain,
}

/// What a text must look like.
#[derive(Debug, Clone, Copy)]
struct Rules<'a> {
    style: Style,
    placeholders: &'a [&'a str],
    min_chars: usize,
    max_chars: usize,
}

impl<'a> Rules<'a> {
    const fn html(placeholders: &'a [&'a str]) -> Self {
        Rules {
            style: Style::Html,
            placeholders,
            min_chars: 1,
            max_chars: MAX_MESSAGE,
        }
    }

    const fn plain(max_chars: usize) -> Self {
        Rules {
            style: Style::Plain,
            placeholders: &[],
            min_chars: 1,
            max_chars,
        }
    }
}

/// Records problems for one file.
struct Checker<'a> {
    file: &'a Path,
    problems: &'a mut Problems,
}

impl<'a> Checker<'a> {
    fn new(file: &'a Path, problems: &'a mut Problems) -> Self {
        Checker { file, problems }
    }

    fn add(&mut self, message: String) {
        self.problems.add(self.file, message);
    }

    /// Checks the text `key` of `owner` (a group, a question...; empty for a message)
    /// in every language and returns it, with empty strings where it is missing.
    fn text(
        &mut self,
        owner: &str,
        key: &str,
        texts: Option<&Texts>,
        rules: Rules<'_>,
    ) -> LangText {
        let prefix = if owner.is_empty() {
            String::new()
        } else {
            format!("{owner}: ")
        };
        let Some(texts) = texts else {
            self.add(format!(
                "{prefix}`{key}` is missing (give it a vi and an en text)"
            ));
            return LangText::default();
        };
        for lang in texts.keys() {
            if !Lang::ALL.iter().any(|known| known.code() == lang) {
                self.add(format!(
                    "{prefix}`{key}.{lang}`: unknown language; the languages are {}",
                    languages()
                ));
            }
        }
        let mut out = LangText::default();
        for lang in Lang::ALL {
            let code = lang.code();
            match texts.get(code) {
                None => self.add(format!("{prefix}`{key}.{code}` is missing")),
                Some(text) => {
                    for problem in text_problems(text, rules) {
                        self.add(format!("{prefix}`{key}.{code}` {problem}"));
                    }
                    match lang {
                        Lang::Vi => out.vi = text.clone(),
                        Lang::En => out.en = text.clone(),
                    }
                }
            }
        }
        out
    }

    /// A whole-number setting within `lo..=hi`, or `default` when absent.
    fn limit(
        &mut self,
        owner: &str,
        field: &str,
        value: Option<i64>,
        default: i64,
        lo: i64,
        hi: i64,
    ) -> i64 {
        let value = value.unwrap_or(default);
        if value < lo || value > hi {
            self.add(format!(
                "{owner}: `{field}` is {value}; it must be between {lo} and {hi}"
            ));
            return default;
        }
        value
    }
}

/// The language codes, for messages.
fn languages() -> String {
    Lang::ALL
        .iter()
        .map(|lang| lang.code())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Whether `id` can go into Telegram button data and storage keys as it is.
fn is_safe_id(id: &str) -> bool {
    (1..=16).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

const SAFE_ID_RULE: &str =
    "it must be 1 to 16 characters among a-z, 0-9 and _ (it goes into button data)";

/// Everything wrong with one text in one language.
fn text_problems(text: &str, rules: Rules<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    let chars = text.trim().chars().count();
    if chars == 0 {
        problems.push("is empty".to_owned());
        return problems;
    }
    if chars < rules.min_chars {
        problems.push(format!(
            "is too short ({chars} characters; at least {})",
            rules.min_chars
        ));
    }
    if chars > rules.max_chars {
        problems.push(format!(
            "is too long ({chars} characters; at most {})",
            rules.max_chars
        ));
    }
    if let Some(problem) = brace_problem(text) {
        problems.push(problem);
    }
    let mut seen = BTreeSet::new();
    for name in catalog::placeholders(text) {
        if !rules.placeholders.contains(&name) && seen.insert(name) {
            let allowed = if rules.placeholders.is_empty() {
                "this text takes no placeholders".to_owned()
            } else {
                let list: Vec<String> = rules
                    .placeholders
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect();
                format!("it may use {}", list.join(", "))
            };
            problems.push(format!(
                "uses the unknown placeholder {{{name}}}; {allowed}"
            ));
        }
    }
    let markup = match rules.style {
        Style::Html => html_problem(text),
        Style::Plain => text.contains(['<', '>', '&']).then(|| {
            "must not contain <, > or & (write \"và\" or \"and\" instead of &)".to_owned()
        }),
    };
    problems.extend(markup);
    problems
}

/// A brace that is not part of a `{name}` placeholder: most likely a typo that
/// would otherwise reach users as a literal `{`.
fn brace_problem(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        if rest[at..].starts_with('}') {
            return Some("has a `}` without a `{`".to_owned());
        }
        let after = &rest[at + 1..];
        match after.find(['{', '}']) {
            Some(close) if after[close..].starts_with('}') => {
                let name = &after[..close];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Some(format!(
                        "has `{{{name}}}`, which is not a placeholder (placeholders look like {{name}})"
                    ));
                }
                rest = &after[close + 1..];
            }
            _ => return Some("has a `{` without a `}`".to_owned()),
        }
    }
    None
}

/// Why `text` is not valid Telegram HTML with only `<b>` and `<i>`, if it is not.
fn html_problem(text: &str) -> Option<String> {
    const ENTITIES: [&str; 4] = ["&lt;", "&gt;", "&amp;", "&quot;"];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['<', '>', '&']) {
        let tail = &rest[at..];
        if tail.starts_with('&') {
            match ENTITIES.iter().find(|entity| tail.starts_with(*entity)) {
                Some(entity) => rest = &tail[entity.len()..],
                None => {
                    return Some(
                        "has a `&`; write \"và\" / \"and\", or &amp; for the sign itself"
                            .to_owned(),
                    )
                }
            }
        } else if tail.starts_with('>') {
            return Some("has a `>` outside a tag; write &gt; for the sign itself".to_owned());
        } else {
            let after = &tail[1..];
            let Some(close) = after.find('>') else {
                return Some(
                    "has a `<` that starts no tag; write &lt; for the sign itself".to_owned(),
                );
            };
            let tag = &after[..close];
            match tag {
                "b" | "i" => open.push(tag),
                "/b" | "/i" => {
                    if open.pop() != Some(&tag[1..]) {
                        return Some(format!("closes <{tag}> that is not open"));
                    }
                }
                _ => {
                    return Some(format!(
                        "uses the tag <{tag}>; only <b> and <i> are allowed"
                    ))
                }
            }
            rest = &after[close + 1..];
        }
    }
    open.last()
        .map(|tag| format!("leaves <{tag}> open; close it with </{tag}>"))
}

/// A quick-entry spelling as stored: NFC, trimmed, single spaces, lower case.
fn spelling(text: &str) -> String {
    parse::class_name(text).1
}

// ---------------------------------------------------------------- groups.toml

fn groups(check: &mut Checker<'_>, file: GroupsFile) -> Vec<Group> {
    if file.group.is_empty() {
        check.add("no groups: add at least one [[group]] block".to_owned());
    }
    let mut ids: HashMap<String, String> = HashMap::new();
    // Quick-entry spellings without diacritics, so that `khac` in one group and
    // `khác` in another, which a quick-entry reader cannot tell apart, clash.
    let mut spellings: HashMap<String, (usize, String, String)> = HashMap::new();
    let mut out = Vec::new();
    for (index, spec) in file.group.into_iter().enumerate() {
        let number = index + 1;
        let owner = match &spec.id {
            Some(id) => format!("group {number} ({id})"),
            None => format!("group {number}"),
        };
        let id = spec.id.clone().unwrap_or_default();
        if spec.id.is_none() {
            check.add(format!("{owner}: `id` is missing"));
        } else if !is_safe_id(&id) {
            check.add(format!(
                "{owner}: id \"{id}\" is not allowed; {SAFE_ID_RULE}"
            ));
        } else if let Some(first) = ids.insert(id.clone(), owner.clone()) {
            check.add(format!("{owner}: duplicate id \"{id}\" (also {first})"));
        }

        let code = spec.code.as_deref().map(spelling).unwrap_or_default();
        if spec.code.is_none() {
            check.add(format!("{owner}: `code` is missing"));
        } else if code.is_empty() || code.contains(' ') {
            check.add(format!(
                "{owner}: code \"{code}\" must be one word (no spaces)"
            ));
        }
        let aliases: Vec<String> = spec.aliases.iter().map(|alias| spelling(alias)).collect();
        let mut own = BTreeSet::new();
        for (kind, written) in
            std::iter::once(("code", &code)).chain(aliases.iter().map(|a| ("alias", a)))
        {
            if written.is_empty() {
                if kind == "alias" {
                    check.add(format!("{owner}: an alias is empty"));
                }
                continue;
            }
            if written.chars().all(|c| c.is_ascii_digit() || c == ' ') {
                check.add(format!(
                    "{owner}: {kind} \"{written}\" is a number; quick entry would read it as one"
                ));
            }
            if !own.insert(written.clone()) {
                check.add(format!("{owner}: {kind} \"{written}\" is listed twice"));
            }
            match spellings.get(&parse::fold(written)) {
                Some((other, other_owner, same)) if *other != number && same == written => {
                    check.add(format!(
                        "{owner}: duplicate {kind} \"{written}\" (already used by {other_owner})"
                    ));
                }
                Some((other, other_owner, similar)) if *other != number => check.add(format!(
                    "{owner}: duplicate {kind} \"{written}\" ({other_owner} has \"{similar}\", \
                     which quick entry cannot tell apart from it)"
                )),
                Some(_) => {}
                None => {
                    spellings.insert(
                        parse::fold(written),
                        (number, owner.clone(), written.clone()),
                    );
                }
            }
        }

        let official = check.text(
            &owner,
            "official",
            spec.official.as_ref(),
            Rules::plain(MAX_MESSAGE),
        );
        let short = check.text(
            &owner,
            "short",
            spec.short.as_ref(),
            Rules::plain(MAX_SHORT_LABEL),
        );
        out.push(Group {
            id,
            number,
            code,
            aliases,
            official,
            short,
        });
    }
    out
}

// ---------------------------------------------------------------- session.toml

/// The questions the report needs, with the kind each must have.
const BUILT_IN: [(&str, &str); 5] = [
    ("group", "group"),
    ("class", "class"),
    ("date", "date"),
    ("total", "number"),
    ("female", "number"),
];

const KINDS: [&str; 6] = ["group", "class", "date", "number", "text", "choice"];

/// The error codes a question of `kind` can produce, which are those it may override.
fn error_codes(kind: &str) -> &'static [&'static str] {
    match kind {
        "number" => &["not_a_number", "too_small", "too_large", "above_other"],
        "date" => &["bad_date", "future_date"],
        "class" | "text" => &["too_short", "too_long"],
        _ => &[],
    }
}

/// The placeholders of the shared text `key`, or `None` when it is not a required text.
fn required_placeholders(key: &str) -> Option<&'static [&'static str]> {
    REQUIRED_TEXTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| *p)
}

fn questions(check: &mut Checker<'_>, file: SessionFile) -> Vec<Question> {
    if file.question.is_empty() {
        check.add("no questions: add the [[question]] blocks".to_owned());
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    // The kind of each question by id, for `at_most` checks against earlier questions.
    let mut kinds: HashMap<String, (usize, String)> = HashMap::new();
    for (index, spec) in file.question.iter().enumerate() {
        if let (Some(id), Some(kind)) = (&spec.id, &spec.kind) {
            kinds.entry(id.clone()).or_insert((index, kind.clone()));
        }
    }
    let mut out = Vec::new();
    for (index, spec) in file.question.iter().enumerate() {
        let owner = match &spec.id {
            Some(id) => format!("question \"{id}\""),
            None => format!("question {}", index + 1),
        };
        let id = spec.id.clone().unwrap_or_default();
        if spec.id.is_none() {
            check.add(format!("{owner}: `id` is missing"));
        } else if !is_safe_id(&id) {
            check.add(format!(
                "{owner}: id \"{id}\" is not allowed; {SAFE_ID_RULE}"
            ));
        } else if seen.insert(id.clone(), index).is_some() {
            check.add(format!("{owner}: duplicate question id \"{id}\""));
        }
        let prompt = check.text(&owner, "prompt", spec.prompt.as_ref(), Rules::html(&[]));
        let label = check.text(
            &owner,
            "label",
            spec.label.as_ref(),
            Rules::plain(MAX_BUTTON_LABEL),
        );
        let kind_name = spec.kind.clone().unwrap_or_default();
        let Some(kind) = question_kind(check, &owner, index, spec, &kinds) else {
            continue;
        };
        let errors = question_errors(check, &owner, &kind_name, &spec.errors);
        out.push(Question {
            id,
            kind,
            prompt,
            label,
            optional: spec.optional,
            errors,
        });
    }
    let written: Vec<&str> = file
        .question
        .iter()
        .filter_map(|q| q.id.as_deref())
        .collect();
    built_ins(check, &out, &written);
    out
}

/// The kind of one question with its limits, checking that only the fields of that kind are set.
fn question_kind(
    check: &mut Checker<'_>,
    owner: &str,
    index: usize,
    spec: &QuestionSpec,
    kinds: &HashMap<String, (usize, String)>,
) -> Option<QuestionKind> {
    let Some(kind) = spec.kind.as_deref() else {
        check.add(format!(
            "{owner}: `kind` is missing; it is one of {}",
            KINDS.join(", ")
        ));
        return None;
    };
    let fields: [(&str, bool); 7] = [
        ("min", spec.min.is_some()),
        ("max", spec.max.is_some()),
        ("at_most", spec.at_most.is_some()),
        ("min_len", spec.min_len.is_some()),
        ("max_len", spec.max_len.is_some()),
        ("max_buttons", spec.max_buttons.is_some()),
        ("options", spec.options.is_some()),
    ];
    let allowed: &[&str] = match kind {
        "group" | "date" => &[],
        "class" => &["min_len", "max_len", "max_buttons"],
        "number" => &["min", "max", "at_most"],
        "text" => &["min_len", "max_len"],
        "choice" => &["options"],
        other => {
            check.add(format!(
                "{owner}: unknown kind \"{other}\"; it is one of {}",
                KINDS.join(", ")
            ));
            return None;
        }
    };
    for (field, set) in fields {
        if set && !allowed.contains(&field) {
            check.add(format!(
                "{owner}: `{field}` does not apply to a {kind} question"
            ));
        }
    }
    let lengths = |check: &mut Checker<'_>, default_min: i64, default_max: i64| {
        let min_len = check.limit(owner, "min_len", spec.min_len, default_min, 1, MAX_TEXT_LEN);
        let max_len = check.limit(owner, "max_len", spec.max_len, default_max, 1, MAX_TEXT_LEN);
        if min_len > max_len {
            check.add(format!(
                "{owner}: min_len {min_len} is greater than max_len {max_len}"
            ));
        }
        (to_usize(min_len), to_usize(max_len))
    };
    Some(match kind {
        "group" => QuestionKind::Group,
        "date" => QuestionKind::Date,
        "class" => {
            let (min_len, max_len) = lengths(check, 2, 200);
            let max_buttons =
                check.limit(owner, "max_buttons", spec.max_buttons, 8, 1, MAX_BUTTONS);
            QuestionKind::Class {
                min_len,
                max_len,
                max_buttons: to_usize(max_buttons),
            }
        }
        "text" => {
            let (min_len, max_len) = lengths(check, 1, 500);
            QuestionKind::Text { min_len, max_len }
        }
        "number" => {
            let top = i64::from(u32::MAX);
            let min = check.limit(owner, "min", spec.min, 0, 0, top);
            let max = check.limit(owner, "max", spec.max, 100_000, 0, top);
            if min > max {
                check.add(format!("{owner}: min {min} is greater than max {max}"));
            }
            if let Some(other) = &spec.at_most {
                match kinds.get(other) {
                    Some((at, _)) if *at == index => {
                        check.add(format!("{owner}: at_most refers to the question itself"));
                    }
                    None => check.add(format!("{owner}: at_most refers to the unknown question \"{other}\"")),
                    Some((at, _)) if *at > index => check.add(format!(
                        "{owner}: at_most refers to \"{other}\", which comes later; it must be an earlier question"
                    )),
                    Some((_, other_kind)) if other_kind != "number" => check.add(format!(
                        "{owner}: at_most refers to \"{other}\", a {other_kind} question; it must be a number question"
                    )),
                    Some(_) => {}
                }
            }
            QuestionKind::Number {
                min: to_u32(min),
                max: to_u32(max),
                at_most: spec.at_most.clone(),
            }
        }
        _ => QuestionKind::Choice {
            options: choice_options(check, owner, spec.options.as_deref()),
        },
    })
}

fn to_usize(value: i64) -> usize {
    usize::try_from(value).unwrap_or(0)
}

fn to_u32(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn choice_options(
    check: &mut Checker<'_>,
    owner: &str,
    options: Option<&[OptionSpec]>,
) -> Vec<ChoiceOption> {
    let options = options.unwrap_or_default();
    if options.is_empty() {
        check.add(format!(
            "{owner}: a choice question needs options ([[question.options]] blocks)"
        ));
    }
    if options.len() > to_usize(MAX_BUTTONS) {
        check.add(format!(
            "{owner}: {} options are too many for buttons (at most {MAX_BUTTONS})",
            options.len()
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (index, option) in options.iter().enumerate() {
        let where_ = match &option.id {
            Some(id) => format!("{owner}, option \"{id}\""),
            None => format!("{owner}, option {}", index + 1),
        };
        let id = option.id.clone().unwrap_or_default();
        if option.id.is_none() {
            check.add(format!("{where_}: `id` is missing"));
        } else if !is_safe_id(&id) {
            check.add(format!(
                "{where_}: id \"{id}\" is not allowed; {SAFE_ID_RULE}"
            ));
        } else if !seen.insert(id.clone()) {
            check.add(format!("{where_}: duplicate option id \"{id}\""));
        }
        let label = check.text(
            &where_,
            "label",
            option.label.as_ref(),
            Rules::plain(MAX_BUTTON_LABEL),
        );
        out.push(ChoiceOption { id, label });
    }
    out
}

/// A question's own error texts; each must be an error its kind can produce.
fn question_errors(
    check: &mut Checker<'_>,
    owner: &str,
    kind: &str,
    errors: &BTreeMap<String, Texts>,
) -> BTreeMap<String, LangText> {
    let mut out = BTreeMap::new();
    for (code, texts) in errors {
        let Some(placeholders) = required_placeholders(&format!("error.{code}")) else {
            let known: Vec<&str> = REQUIRED_TEXTS
                .iter()
                .filter_map(|(k, _)| k.strip_prefix("error."))
                .collect();
            check.add(format!(
                "{owner}: unknown error \"{code}\" in `errors`; the errors are {}",
                known.join(", ")
            ));
            continue;
        };
        if !error_codes(kind).contains(&code.as_str()) {
            check.add(format!(
                "{owner}: error \"{code}\" cannot happen for a {kind} question"
            ));
        }
        let text = check.text(
            owner,
            &format!("errors.{code}"),
            Some(texts),
            Rules::html(placeholders),
        );
        out.insert(code.clone(), text);
    }
    out
}

/// The questions the report is made of must all be there, with their kinds and
/// in an order the engine can follow.
///
/// `written` holds every id in the file, including questions that could not be
/// compiled: their problem is reported already, so they are not also "missing".
fn built_ins(check: &mut Checker<'_>, questions: &[Question], written: &[&str]) {
    let position = |id: &str| questions.iter().position(|q| q.id == id);
    for (id, kind) in BUILT_IN {
        let Some(at) = position(id) else {
            if written.contains(&id) {
                continue;
            }
            check.add(format!(
                "the question \"{id}\" (kind {kind}) is missing; the report needs it"
            ));
            continue;
        };
        let question = &questions[at];
        if kind_name(&question.kind) != kind {
            check.add(format!(
                "question \"{id}\": must be of kind {kind}, the report needs it"
            ));
        }
        if question.optional {
            check.add(format!(
                "question \"{id}\": cannot be optional, the report needs it"
            ));
        }
    }
    for question in questions {
        let kind = kind_name(&question.kind);
        if matches!(kind, "group" | "class") && question.id != kind {
            check.add(format!(
                "question \"{}\": kind {kind} is only for the built-in question \"{kind}\"",
                question.id
            ));
        }
    }
    if let (Some(group), Some(class)) = (position("group"), position("class")) {
        if class < group {
            check.add(
                "question \"class\" must come after question \"group\" (classes belong to a group)"
                    .to_owned(),
            );
        }
    }
    if let Some(at) = position("female") {
        if let QuestionKind::Number { at_most, .. } = &questions[at].kind {
            // An `at_most` naming an unknown question is reported already, with its name.
            let known = at_most
                .as_deref()
                .is_none_or(|other| position(other).is_some());
            if at_most.as_deref() != Some("total") && known {
                check.add(
                    "question \"female\": needs at_most = \"total\" (women are part of the total)"
                        .to_owned(),
                );
            }
        }
    }
}

fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Group => "group",
        QuestionKind::Class { .. } => "class",
        QuestionKind::Date => "date",
        QuestionKind::Number { .. } => "number",
        QuestionKind::Text { .. } => "text",
        QuestionKind::Choice { .. } => "choice",
    }
}

// ---------------------------------------------------------------- commands.toml

/// Telegram's limits for the bot's descriptions.
const BOT_DESCRIPTION: usize = 512;
const BOT_SHORT_DESCRIPTION: usize = 120;
/// Telegram's limit of commands in one menu.
const MAX_MENU_COMMANDS: usize = 100;
/// The menus of a command whose `menus` is left out: every private chat's, as before
/// menus existed (a supervisor's own menu replaces the private one, so it is named too).
const DEFAULT_MENUS: [Menu; 2] = [Menu::Private, Menu::Supervisor];

fn commands(check: &mut Checker<'_>, file: CommandsFile) -> (Vec<CommandHelp>, Option<BotProfile>) {
    let profile = file.bot.as_ref().map(|bot| BotProfile {
        description: check.text(
            "[bot]",
            "description",
            bot.description.as_ref(),
            Rules::plain(BOT_DESCRIPTION),
        ),
        short_description: check.text(
            "[bot]",
            "short_description",
            bot.short_description.as_ref(),
            Rules::plain(BOT_SHORT_DESCRIPTION),
        ),
    });
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (index, spec) in file.command.iter().enumerate() {
        let owner = match &spec.name {
            Some(name) => format!("command \"{name}\""),
            None => format!("command {}", index + 1),
        };
        let name = spec.name.clone().unwrap_or_default();
        if spec.name.is_none() {
            check.add(format!("{owner}: `name` is missing"));
        } else if name.starts_with('/') {
            check.add(format!("{owner}: write the name without the /"));
        } else if !(1..=32).contains(&name.len())
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            check.add(format!(
                "{owner}: the name must be 1 to 32 characters among a-z, 0-9 and _"
            ));
        } else if !seen.insert(name.clone()) {
            check.add(format!("{owner}: duplicate command \"{name}\""));
        }
        let (min_chars, max_chars) = COMMAND_DESCRIPTION;
        let rules = Rules {
            min_chars,
            ..Rules::plain(max_chars)
        };
        let description = check.text(&owner, "description", spec.description.as_ref(), rules);
        let menus = match &spec.menus {
            None => DEFAULT_MENUS.to_vec(),
            Some(codes) => {
                let mut menus = Vec::new();
                for code in codes {
                    match Menu::from_code(code) {
                        Some(menu) if !menus.contains(&menu) => menus.push(menu),
                        Some(_) => check.add(format!("{owner}: menu \"{code}\" is named twice")),
                        None => check.add(format!(
                            "{owner}: unknown menu \"{code}\"; the menus are {}",
                            Menu::ALL.map(Menu::code).join(", ")
                        )),
                    }
                }
                if codes.is_empty() {
                    check.add(format!(
                        "{owner}: `menus` is empty; name at least one of {} (or leave `menus` out)",
                        Menu::ALL.map(Menu::code).join(", ")
                    ));
                }
                menus
            }
        };
        out.push(CommandHelp {
            name,
            description,
            menus,
        });
    }
    for menu in Menu::ALL {
        let count = out.iter().filter(|c| c.menus.contains(&menu)).count();
        if count > MAX_MENU_COMMANDS {
            check.add(format!(
                "the menu \"{}\" has {count} commands; Telegram allows at most {MAX_MENU_COMMANDS}",
                menu.code()
            ));
        }
    }
    for required in REQUIRED_COMMANDS {
        if !seen.contains(*required) {
            check.add(format!(
                "the command \"{required}\" is missing; the bot needs it in its menu"
            ));
        }
    }
    (out, profile)
}

// ---------------------------------------------------------------- messages.toml

fn messages(check: &mut Checker<'_>, file: &MessagesFile) -> BTreeMap<String, LangText> {
    let mut found: Vec<(String, Texts)> = Vec::new();
    walk(check, "", file, &mut found);
    let mut out = BTreeMap::new();
    for (key, texts) in found {
        let Some(placeholders) = required_placeholders(&key) else {
            let hint = closest(&key)
                .map(|k| format!("; did you mean \"{k}\"?"))
                .unwrap_or_default();
            check.add(format!("unknown message \"{key}\"{hint}"));
            continue;
        };
        let rules = message_rules(&key, placeholders);
        let text = check.text("", &key, Some(&texts), rules);
        out.insert(key, text);
    }
    for (key, _) in REQUIRED_TEXTS {
        if !out.contains_key(*key) {
            check.add(format!("the message \"{key}\" is missing"));
        }
    }
    out
}

/// How the message `key` is shown decides what it may contain.
fn message_rules<'a>(key: &str, placeholders: &'a [&'a str]) -> Rules<'a> {
    if key == "dialog.stale_button" {
        // Said about a button rather than on one: it is the notice Telegram shows when
        // an old button is tapped (answerCallbackQuery), plain text of at most 200 characters.
        Rules {
            placeholders,
            ..Rules::plain(MAX_CALLBACK_NOTICE)
        }
    } else if key.starts_with("button.") || key.ends_with("_button") {
        Rules {
            placeholders,
            ..Rules::plain(MAX_BUTTON_LABEL)
        }
    } else {
        Rules::html(placeholders)
    }
}

/// Collects the texts of `table`: a table holding strings is one text (its keys are
/// languages); a table holding only tables is a section of further texts.
fn walk(
    check: &mut Checker<'_>,
    prefix: &str,
    table: &toml::Table,
    found: &mut Vec<(String, Texts)>,
) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::Table(inner) if inner.values().any(toml::Value::is_str) => {
                let mut texts = Texts::new();
                for (lang, value) in inner {
                    match value.as_str() {
                        Some(text) => {
                            texts.insert(lang.clone(), text.to_owned());
                        }
                        None => check.add(format!(
                            "message \"{key}\": `{key}.{lang}` must be a text in quotes, next to the {} texts",
                            languages()
                        )),
                    }
                }
                found.push((key, texts));
            }
            toml::Value::Table(inner) if inner.is_empty() => {
                check.add(format!("message \"{key}\": has no texts"));
            }
            toml::Value::Table(inner) => walk(check, &key, inner, found),
            toml::Value::String(_) => check.add(format!(
                "message \"{key}\": needs one text per language, e.g. [{key}] with vi = \"...\" and en = \"...\""
            )),
            _ => check.add(format!("message \"{key}\": must be a [{key}] block with vi and en texts")),
        }
    }
}

/// The known message key nearest to a misspelt one, when it is near enough to be the intended one.
fn closest(key: &str) -> Option<&'static str> {
    REQUIRED_TEXTS
        .iter()
        .map(|(known, _)| (edit_distance(key, known), *known))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, known)| known)
}

/// Levenshtein distance between two short strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_accepts_bold_italic_and_entities() {
        assert_eq!(html_problem("<b>a</b> <i>b &amp; c &lt;3</i>"), None);
        assert_eq!(html_problem("no markup at all"), None);
    }

    #[test]
    fn html_refuses_other_markup() {
        let cases = [
            ("<u>x</u>", "uses the tag <u>"),
            ("a < b", "starts no tag"),
            ("a > b", "outside a tag"),
            ("A & B", "has a `&`"),
            ("<b>open", "leaves <b> open"),
            ("<b>x</i>", "closes </i>"),
        ];
        for (text, expected) in cases {
            let problem = html_problem(text).unwrap_or_default();
            assert!(problem.contains(expected), "{text:?}: {problem:?}");
        }
    }

    #[test]
    fn braces_must_form_placeholders() {
        assert_eq!(brace_problem("{a} and {b_2}"), None);
        assert!(brace_problem("{a").is_some());
        assert!(brace_problem("a}").is_some());
        assert!(brace_problem("{two words}").is_some());
        assert!(brace_problem("{}").is_some());
    }

    #[test]
    fn safe_ids() {
        assert!(is_safe_id("life_skills"));
        assert!(is_safe_id("q3"));
        assert!(!is_safe_id(""));
        assert!(!is_safe_id("Health"));
        assert!(!is_safe_id("sức_khỏe"));
        assert!(!is_safe_id("a_very_long_identifier"));
    }

    #[test]
    fn closest_key_suggests_typos_only() {
        assert_eq!(closest("dialog.sumary"), Some("dialog.summary"));
        assert_eq!(closest("something.else.entirely"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
