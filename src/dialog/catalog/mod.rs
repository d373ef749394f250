//! The compiled, validated form of the files in `dialogs/`: what the engine reads at run time.
//!
//! Every `Catalog` was produced by `compile`, so code may rely on its invariants:
//! every text exists in every language, every required question exists with the
//! right kind, and every reference between questions points at an earlier question.

/// The quick-entry grammar, compiled from this catalog's groups and cached in it.
pub mod quick;

use crate::domain::Lang;
use quick::QuickParser;
use std::collections::BTreeMap;

/// A text in every supported language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LangText {
    pub vi: String,
    pub en: String,
}

impl LangText {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// One activity group of the report (a row of table III.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Stable identifier stored with each session (for example `health`). Never shown.
    pub id: String,
    /// Row number in the official report, 1-based, in file order.
    pub number: usize,
    /// Quick-entry code (for example `sk`), lower case.
    pub code: String,
    /// Further quick-entry spellings (for example `suc khoe`), lower case.
    pub aliases: Vec<String>,
    /// Full official name used in the report.
    pub official: LangText,
    /// Short label used on buttons.
    pub short: LangText,
}

/// The kind of answer a question takes, with its validation limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKind {
    /// One of the activity groups (buttons).
    Group,
    /// A class of the chosen group: recent classes as buttons, or a typed new name.
    Class {
        min_len: usize,
        max_len: usize,
        max_buttons: usize,
    },
    /// A local date: today/yesterday buttons or typed; never in the future.
    Date,
    /// A whole number within limits; `at_most` names an earlier number question.
    Number {
        min: u32,
        max: u32,
        at_most: Option<String>,
    },
    /// Free text within length limits.
    Text { min_len: usize, max_len: usize },
    /// One of fixed options (buttons).
    Choice { options: Vec<ChoiceOption> },
}

/// One option of a `Choice` question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    /// Stored with the session.
    pub id: String,
    pub label: LangText,
}

/// One question of the session dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Stable id; answers are stored under it. The built-in ones are
    /// `group`, `class`, `date`, `total` and `female`.
    pub id: String,
    pub kind: QuestionKind,
    /// The question itself.
    pub prompt: LangText,
    /// Short label for the summary ("Date", "Attendance").
    pub label: LangText,
    /// Optional questions get a "skip" button.
    pub optional: bool,
    /// Error texts that override the shared ones in `messages`, by error code.
    pub errors: BTreeMap<String, LangText>,
}

/// A bot command registered with `setMyCommands` in the menus it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandHelp {
    /// Without the slash, lower case.
    pub name: String,
    pub description: LangText,
    /// The menus that offer it (at least one).
    pub menus: Vec<crate::roles::Menu>,
}

/// What Telegram shows about the bot besides its commands (`setMyDescription`,
/// `setMyShortDescription`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotProfile {
    /// Shown in an empty chat with the bot ("What can this bot do?"), at most 512 characters.
    pub description: LangText,
    /// Shown on the bot's profile and with shared links, at most 120 characters.
    pub short_description: LangText,
}

/// Everything the bot says and asks, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// In report order.
    pub groups: Vec<Group>,
    /// In dialog order.
    pub questions: Vec<Question>,
    /// In menu order.
    pub commands: Vec<CommandHelp>,
    /// The bot's descriptions; `None` leaves whatever is set (e.g. with @BotFather).
    pub profile: Option<BotProfile>,
    /// Every other text, by key (see `REQUIRED_TEXTS`).
    pub texts: BTreeMap<String, LangText>,
    /// The quick-entry parser for these groups and limits, built on first use.
    pub quick: QuickCache,
}

/// The quick-entry parser of a catalog, built once on first use: its grammar is a regex
/// made from the groups' codes, which is too costly to build for every message. It is
/// not part of the catalog's value, so clones start empty and every cache compares equal.
#[derive(Default)]
pub struct QuickCache(std::sync::OnceLock<Option<QuickParser>>);

impl Clone for QuickCache {
    fn clone(&self) -> Self {
        QuickCache::default()
    }
}

impl PartialEq for QuickCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for QuickCache {}

impl std::fmt::Debug for QuickCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QuickCache")
    }
}

/// The placeholders of a period of whole months: the months as two digits (`01`) and by
/// name, their years, and `year` (the last month's).
const MONTH_PERIOD: &[&str] = &[
    "from_month",
    "from_month_name",
    "from_year",
    "to_month",
    "to_month_name",
    "to_year",
    "year",
];

/// The text keys the code uses, with the placeholders each may contain.
/// `compile` rejects dialog files that miss one of these or use an unknown placeholder.
pub const REQUIRED_TEXTS: &[(&str, &[&str])] = &[
    // Start, help, language.
    ("welcome", &[]),
    ("help", &[]),
    ("button.log", &[]),
    ("lang.changed", &[]),
    ("lang.usage", &[]),
    // The session dialog.
    ("dialog.started", &[]),
    ("dialog.resumed", &[]),
    ("dialog.kept", &[]),
    ("dialog.cancelled", &[]),
    ("dialog.nothing_to_cancel", &[]),
    ("dialog.new_class_button", &[]),
    ("dialog.new_class_prompt", &[]),
    ("dialog.today_button", &[]),
    ("dialog.yesterday_button", &[]),
    ("dialog.skip_button", &[]),
    ("dialog.summary", &["answers"]),
    ("dialog.save_button", &[]),
    ("dialog.edit_button", &[]),
    ("dialog.cancel_button", &[]),
    ("dialog.back_button", &[]),
    ("dialog.edit_prompt", &[]),
    (
        "dialog.saved",
        &[
            "number",
            "group",
            "group_classes",
            "group_attendance",
            "group_female",
            "classes",
            "attendance",
            "female",
            "period",
        ],
    ),
    ("dialog.use_buttons", &[]),
    ("dialog.stale_button", &[]),
    ("dialog.state_reset", &[]),
    ("dialog.not_text", &[]),
    ("dialog.unknown_command", &["command"]),
    ("dialog.not_in_group", &[]),
    ("dialog.idle", &[]),
    // Entry safety (drafts, unusual values, duplicates, class identity, several lines).
    ("entry.expired", &["answers", "hours"]),
    ("entry.no_longer_member", &["answers", "hours"]),
    ("entry.held", &["answers", "new"]),
    ("entry.held_new_button", &[]),
    ("entry.held_old_button", &[]),
    ("entry.held_name_button", &[]),
    ("entry.old_dropped", &[]),
    ("entry.no_answers", &[]),
    ("entry.new_not_logged", &[]),
    ("entry.new_dropped", &[]),
    ("entry.last_year", &[]),
    ("entry.days_ago", &["days"]),
    ("entry.old_date", &["date", "when"]),
    ("entry.old_date_yes", &["date"]),
    ("entry.old_date_no", &[]),
    ("entry.swap", &["total", "female"]),
    ("entry.swap_yes", &["total", "female"]),
    ("entry.swap_no", &[]),
    ("entry.large_usual", &["total", "usual"]),
    ("entry.large", &["total", "limit"]),
    ("entry.large_yes", &["total"]),
    ("entry.large_no", &[]),
    ("entry.duplicate", &["number", "who", "line"]),
    ("entry.duplicate_no", &[]),
    ("entry.duplicate_yes", &[]),
    ("entry.duplicate_dropped", &[]),
    ("entry.confirm_cancel", &[]),
    ("entry.confirm_cancel_yes", &[]),
    ("entry.unsaved", &["answers"]),
    ("entry.new_class", &["name"]),
    ("entry.new_class_plain", &["name"]),
    ("entry.refused_part", &["typed", "reason"]),
    ("entry.class_elsewhere", &["name", "group", "here"]),
    ("entry.class_elsewhere_same", &["name", "group", "here"]),
    ("entry.class_elsewhere_new", &["name", "group", "here"]),
    ("batch.too_many", &["max", "count"]),
    ("batch.summary", &["lines", "count", "blocked"]),
    ("batch.summary_blocked", &["lines", "count", "blocked"]),
    ("batch.save_all_button", &["count"]),
    ("batch.fix_prompt", &["number", "line"]),
    ("batch.drop_line_button", &[]),
    ("batch.one_line", &[]),
    (
        "batch.saved",
        &[
            "count",
            "numbers",
            "classes",
            "attendance",
            "female",
            "period",
        ],
    ),
    ("batch.not_an_entry", &[]),
    ("batch.old_date", &["date"]),
    ("batch.numbers", &["total", "female"]),
    ("batch.large_usual", &["usual"]),
    ("batch.large", &[]),
    ("batch.duplicate_stored", &["number"]),
    ("batch.duplicate_line", &["line"]),
    ("batch.similar_class", &["name", "group"]),
    // Shared validation errors; a question may override any of them.
    ("error.not_a_number", &[]),
    ("error.too_small", &["min"]),
    ("error.too_large", &["max"]),
    ("error.above_other", &["other", "max"]),
    ("error.bad_date", &[]),
    ("error.future_date", &["today"]),
    ("error.too_short", &["min"]),
    ("error.too_long", &["max"]),
    ("error.no_letters", &[]),
    // Totals and reports.
    ("totals.heading", &["period"]),
    ("totals.line", &["group", "classes", "attendance", "female"]),
    ("totals.centre", &["classes", "attendance", "female"]),
    ("totals.empty", &[]),
    ("report.title", &[]),
    ("report.centre", &["centre"]),
    ("report.period", &["from", "to"]),
    ("report.period_month", MONTH_PERIOD),
    ("report.period_months", MONTH_PERIOD),
    ("report.period_months_years", MONTH_PERIOD),
    ("report.month_names", &[]),
    ("report.columns", &[]),
    ("report.row_numbers", &["classes", "attendance", "female"]),
    ("report.total_line", &["attendance"]),
    ("report.female_share", &["percent"]),
    ("report.bad_period", &["input", "command"]),
    (
        "report.centre_line",
        &["centre", "classes", "attendance", "female"],
    ),
    // The same period a year earlier, the roll-up by centre, silent centres (issue 15).
    ("report.compare_heading", &["from", "to"]),
    ("report.compare_line", &["label", "now", "before", "change"]),
    ("report.compare_attendance", &[]),
    ("report.compare_classes", &[]),
    ("report.compare_female", &[]),
    (
        "report.compare_group",
        &["group", "now", "before", "change"],
    ),
    ("report.compare_new", &[]),
    ("report.by_centre_heading", &["centres", "active"]),
    ("report.by_centre_largest", &[]),
    ("report.by_centre_smallest", &[]),
    (
        "report.by_centre_line",
        &[
            "rank",
            "centre",
            "attendance",
            "classes",
            "female",
            "change",
        ],
    ),
    ("report.by_centre_more", &["count"]),
    ("report.by_centre_button", &[]),
    ("report.by_centre_caption", &["period"]),
    ("report.file_too_big", &["file", "megabytes"]),
    ("silent.heading", &["today"]),
    ("silent.idle_in_period", &["count"]),
    ("silent.quiet", &["days", "count"]),
    ("silent.no_members", &["count"]),
    ("silent.last_session", &["centre", "date"]),
    ("silent.never", &["centre"]),
    ("silent.and_more", &["count"]),
    ("silent.none", &["days"]),
    ("silent.bad_days", &["input", "max"]),
    // Access, centres, people.
    ("access.stranger_welcome", &[]),
    ("access.not_member", &[]),
    ("access.directors_only", &[]),
    ("access.supervisors_only", &[]),
    ("access.supervisor_cannot_log", &[]),
    ("access.choose_centre", &[]),
    ("access.centre_chosen", &["centre"]),
    ("access.all_centres", &[]),
    ("access.no_centres", &[]),
    ("role.organiser", &[]),
    ("role.director", &[]),
    ("role.supervisor", &[]),
    ("guide.manage", &[]),
    ("guide.supervise", &[]),
    ("invite.ask_role", &[]),
    ("invite.unknown_role", &["word"]),
    ("invite.ask_centre", &["role"]),
    ("invite.page", &["page", "pages"]),
    ("invite.previous_page", &[]),
    ("invite.next_page", &[]),
    ("invite.new_centre_button", &[]),
    ("invite.new_centre_prompt", &["role"]),
    ("invite.bad_centre_name", &["max"]),
    (
        "invite.created",
        &["role", "centre", "link", "code", "days"],
    ),
    ("invite.joined", &["role", "centre"]),
    ("invite.unknown", &[]),
    ("invite.used", &[]),
    ("invite.revoked", &[]),
    ("invite.expired", &[]),
    ("invite.revoke_done", &[]),
    ("invite.not_found", &[]),
    ("members.heading", &["centre"]),
    ("members.line", &["name", "role", "user"]),
    ("members.remove_button", &["name"]),
    ("members.confirm_remove", &["name"]),
    ("members.confirm_button", &[]),
    ("members.removed", &["name"]),
    ("audit.heading", &["centre"]),
    ("audit.line", &["at", "actor", "what"]),
    ("audit.actor_cli", &[]),
    ("audit.did.member_added", &["who", "role"]),
    ("audit.did.member_removed", &["who", "role"]),
    ("audit.did.supervisor_added", &["who"]),
    ("audit.did.invite_created", &["role"]),
    ("audit.did.invite_used", &["role"]),
    ("audit.did.invite_revoked", &["role"]),
    ("audit.did.class_renamed", &["from", "to"]),
    ("audit.did.class_merged", &["from", "to", "sessions"]),
    ("audit.did.centre_renamed", &["from", "to"]),
    ("audit.did.centre_merged", &["from", "to", "sessions"]),
    ("audit.did.report_handed_in", &["period"]),
    ("audit.did.document_text_changed", &["part"]),
    ("audit.did.session_edited", &["date", "total", "female"]),
    ("audit.did.session_deleted", &["date", "total", "female"]),
    ("audit.did.session_restored", &["date", "total", "female"]),
    ("audit.did.group_linked", &[]),
    ("audit.did.group_unlinked", &[]),
    ("audit.did.group_moved", &[]),
    ("audit.did.reminder_set", &[]),
    ("audit.did.reminders_removed", &[]),
    ("audit.did.deadline_set", &[]),
    ("audit.did.deadline_removed", &[]),
    ("audit.did.personal_data_erased", &[]),
    ("audit.did.sessions_imported", &["file", "sessions"]),
    ("audit.did.other", &["action"]),
    ("audit.empty", &[]),
    ("link.done", &["centre"]),
    ("link.usage", &[]),
    ("link.group_only", &[]),
    // Quick entry (`sk 45 30 Phòng chống sốt xuất huyết`) and "did you mean".
    ("quick.understood", &["parts"]),
    ("quick.not_understood", &["missing"]),
    ("quick.part_group", &["group"]),
    ("quick.part_total", &["total"]),
    ("quick.part_female", &["female"]),
    ("quick.part_date", &["date"]),
    ("quick.part_class", &["class"]),
    ("quick.format", &["codes"]),
    ("quick.code_line", &["code", "group"]),
    ("quick.did_you_mean", &["name"]),
    ("quick.same_class_button", &[]),
    ("quick.new_class_button", &[]),
    // Reminders.
    ("reminder.group", &["centre"]),
    ("reminder.missing", &["names"]),
    ("reminder.all_reported", &[]),
    ("reminder.nudge", &["centre"]),
    ("reminder.no_session_button", &[]),
    ("reminder.no_session_noted", &["date"]),
    ("reminder.no_session_not_member", &[]),
    ("remind.set", &["schedule", "audience"]),
    ("remind.audience_missing", &[]),
    ("remind.audience_nudge", &[]),
    ("remind.off", &[]),
    ("remind.list", &[]),
    ("remind.none", &[]),
    ("remind.usage", &[]),
    ("remind.not_linked", &[]),
    ("mute.on", &[]),
    ("mute.off", &[]),
    // Report period buttons and files.
    ("report.this_month", &[]),
    ("report.last_month", &[]),
    ("report.this_year", &[]),
    ("report.last_year", &[]),
    ("report.files_caption", &["period", "centre"]),
    // The report document (`/baocao`) and its written parts.
    ("document.word_button", &[]),
    ("document.edit_button", &[]),
    ("document.caption", &["period", "centre"]),
    ("document.edit_hint", &[]),
    ("document.failed", &[]),
    ("document.choose_part", &[]),
    ("document.current", &["part"]),
    ("document.current_hint", &["part"]),
    ("document.ask_text", &["part"]),
    ("document.keep_button", &[]),
    ("document.kept", &["part"]),
    ("document.saved", &["part"]),
    ("document.bad_text", &["part", "max"]),
    // A report document sent back edited in Word.
    ("document.upload_directors_only", &[]),
    ("document.upload_centre_first", &[]),
    ("document.read_too_large", &["file", "max"]),
    ("document.read_not_docx", &["file"]),
    ("document.read_broken", &["file"]),
    ("document.read_no_headings", &["file"]),
    ("document.read_not_downloaded", &["file"]),
    ("document.upload_read", &["file", "count"]),
    ("document.upload_change", &["part", "old", "new"]),
    ("document.upload_not_found", &["parts"]),
    ("document.upload_unusable", &["parts", "max"]),
    ("document.upload_unchanged", &["file"]),
    ("document.upload_confirm", &[]),
    ("document.upload_save_button", &[]),
    ("document.upload_skip_button", &[]),
    ("document.upload_saved", &["count"]),
    ("document.upload_skipped", &[]),
    // Fixing what was logged.
    (
        "dialog.updated",
        &[
            "number",
            "group",
            "group_classes",
            "group_attendance",
            "group_female",
            "classes",
            "attendance",
            "female",
            "period",
        ],
    ),
    (
        "mine.line",
        &["number", "date", "group", "class", "total", "female"],
    ),
    ("mine.heading", &[]),
    ("mine.centre_heading", &[]),
    ("mine.empty", &[]),
    ("mine.delete_button", &[]),
    ("mine.finish_draft", &[]),
    ("mine.editing", &["number"]),
    ("mine.confirm_delete", &["session"]),
    ("mine.deleted", &["number"]),
    ("mine.too_late", &[]),
    ("mine.none_deleted", &[]),
    ("mine.deleted_heading", &[]),
    ("mine.restore_button", &["number", "date"]),
    ("mine.restored", &["number"]),
    // The directors' deadline reminder (`/deadline`).
    ("deadline.reminder", &["centre", "due"]),
    ("deadline.hint", &[]),
    ("button.report", &[]),
    ("deadline.set", &["day", "days", "time"]),
    ("deadline.off", &[]),
    ("deadline.current", &["day", "days", "time"]),
    ("deadline.none", &[]),
    ("deadline.usage", &[]),
    // A director's `/classes`: the centre's classes, rename and merge.
    ("classes.heading", &["centre"]),
    ("classes.page", &["page", "pages"]),
    ("classes.line", &["name", "sessions"]),
    ("classes.class_button", &["group", "name", "sessions"]),
    ("classes.empty", &[]),
    ("classes.choose_centre", &[]),
    ("classes.previous_button", &[]),
    ("classes.next_button", &[]),
    ("classes.detail", &["name", "group", "sessions"]),
    ("classes.rename_button", &[]),
    ("classes.merge_button", &[]),
    ("classes.rename_prompt", &["name"]),
    ("classes.bad_name", &["min", "max"]),
    ("classes.same_name", &[]),
    ("classes.name_taken", &["name", "other"]),
    ("classes.merge_into_button", &["name"]),
    ("classes.confirm_rename", &["old", "new"]),
    ("classes.confirm_rename_button", &[]),
    ("classes.renamed", &["old", "new"]),
    ("classes.merge_choose", &["name", "group", "sessions"]),
    ("classes.no_other", &[]),
    (
        "classes.confirm_merge",
        &["from", "into", "sessions", "from_group", "into_group"],
    ),
    (
        "classes.confirm_merge_same_group",
        &["from", "into", "sessions", "group"],
    ),
    ("classes.confirm_merge_button", &[]),
    ("classes.merged", &["from", "into", "sessions", "group"]),
    // Handing reports in to the education office, and `/submissions`.
    ("handin.button", &[]),
    ("handin.confirm", &["centre", "period"]),
    ("handin.confirm_again", &["at", "name"]),
    ("handin.confirm_button", &[]),
    ("handin.cancelled", &[]),
    ("handin.done", &["centre", "period", "recipients"]),
    ("handin.done_nobody", &["centre", "period", "recipients"]),
    ("handin.superseded", &[]),
    ("handin.refused", &[]),
    ("handin.received", &["centre", "period", "name", "at"]),
    ("handin.changed", &["centre", "period", "at"]),
    ("handin.again_button", &[]),
    ("handin.list_heading", &["period", "handed", "centres"]),
    ("handin.line_late", &["centre", "due"]),
    ("handin.line_missing_due", &["centre", "due"]),
    ("handin.line_missing", &["centre"]),
    ("handin.line_done", &["centre", "at", "name", "attendance"]),
    (
        "handin.line_changed",
        &["centre", "at", "name", "attendance"],
    ),
    ("handin.late_suffix", &["due"]),
    ("handin.list_hint", &[]),
    // A supervisor's `/centres`: rename and merge centres.
    ("centres.heading", &["count"]),
    (
        "centres.detail",
        &["name", "members", "classes", "sessions"],
    ),
    ("centres.rename_button", &[]),
    ("centres.merge_button", &[]),
    ("centres.rename_prompt", &["name"]),
    ("centres.bad_name", &["max"]),
    ("centres.same_name", &[]),
    ("centres.name_taken", &["name", "other"]),
    ("centres.merge_into_button", &["name"]),
    ("centres.confirm_rename", &["old", "new"]),
    ("centres.confirm_rename_button", &[]),
    ("centres.renamed", &["old", "new"]),
    ("centres.merge_choose", &["name"]),
    ("centres.no_other", &[]),
    (
        "centres.confirm_merge",
        &[
            "from", "into", "members", "classes", "sessions", "deleted", "handins", "groups",
        ],
    ),
    ("centres.renamed_class", &["old", "new"]),
    ("centres.merge_renames", &["into", "classes"]),
    ("centres.merge_keeps", &["from", "into"]),
    ("centres.confirm_merge_button", &[]),
    ("centres.merged", &["from", "into", "sessions"]),
    // Bringing in past sessions: a sent sessions file and `/mau` (`/template`).
    ("import.not_spreadsheet", &[]),
    ("import.other_spreadsheet", &[]),
    ("import.too_large", &["size", "max"]),
    ("import.too_many_rows", &["max"]),
    ("import.not_utf8", &[]),
    ("import.unreadable", &[]),
    ("import.no_rows", &[]),
    ("import.download_failed", &[]),
    ("import.missing_columns", &["columns"]),
    ("import.choose_centre", &[]),
    ("import.heading", &["file", "centre", "rows"]),
    ("import.nothing", &[]),
    ("import.will_add", &["count"]),
    ("import.group_count", &["group", "count"]),
    ("import.new_classes", &["count", "names"]),
    ("import.examples", &[]),
    ("import.row_reason", &["row", "reason"]),
    ("import.refused_heading", &["count"]),
    ("import.more_refused", &["count"]),
    ("import.notes_heading", &["count"]),
    ("import.more_notes", &["count"]),
    ("import.unused_columns", &["columns"]),
    ("import.confirm", &["count"]),
    ("import.add_button", &["count"]),
    ("import.skipped", &[]),
    ("import.changed", &[]),
    ("import.added", &["count", "first", "last", "centre"]),
    ("import.template_help", &["groups", "max"]),
    ("import.template_caption", &[]),
    ("import.template_example_class", &[]),
    ("import.column_row", &[]),
    ("import.column_reason", &[]),
    ("import.refused_file_caption", &["count"]),
    ("import.refused_file_prefix", &[]),
    ("import.bad_cell", &["column", "typed", "reason"]),
    ("import.bad_date", &[]),
    ("import.missing", &["column"]),
    ("import.example_row", &[]),
    ("import.other_centre", &["centre"]),
    ("import.unknown_group", &["typed"]),
    ("import.bad_choice", &["options"]),
    ("import.similar_row", &["name", "line"]),
];

impl Catalog {
    /// The commands of a menu made of `menus` (a command in any of them), in file order.
    pub fn menu(&self, menus: &[crate::roles::Menu]) -> Vec<&CommandHelp> {
        self.commands
            .iter()
            .filter(|command| command.menus.iter().any(|menu| menus.contains(menu)))
            .collect()
    }

    /// The quick-entry parser (`None` only if the groups' grammar could not be built,
    /// which the shipped and checked dialog files never cause).
    pub fn quick_parser(&self) -> Option<&QuickParser> {
        self.quick
            .0
            .get_or_init(|| QuickParser::new(self).ok())
            .as_ref()
    }

    /// The text `key` in `lang`. Compile guarantees every `REQUIRED_TEXTS` key exists;
    /// an unknown key (a programming error) yields the key itself rather than a panic.
    pub fn text<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.texts.get(key).map_or(key, |t| t.get(lang))
    }

    /// The text `key` in `lang` with `{name}` placeholders replaced by `values`.
    pub fn render(&self, key: &str, lang: Lang, values: &[(&str, &str)]) -> String {
        fill(self.text(key, lang), values)
    }

    /// The error text `code` for `question`: its own override, else the shared one.
    pub fn error(
        &self,
        question: &Question,
        code: &str,
        lang: Lang,
        values: &[(&str, &str)],
    ) -> String {
        match question.errors.get(code) {
            Some(own) => fill(own.get(lang), values),
            None => self.render(&format!("error.{code}"), lang, values),
        }
    }

    /// The group with stable id `id`.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The question with id `id`, with its position.
    pub fn question(&self, id: &str) -> Option<(usize, &Question)> {
        self.questions.iter().enumerate().find(|(_, q)| q.id == id)
    }
}

/// Replaces each `{name}` in `template` with its value; unknown placeholders stay as they are.
///
/// The template is read once from left to right and values are copied, never read again, so
/// a value that itself contains `{centre}` (a class name, a person's name, anything a user
/// typed) is shown as typed instead of being substituted by a later placeholder.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                // Not a known placeholder: keep the brace and look again just after it,
                // so `{{centre}` still fills its inner placeholder as before.
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders (`{name}`) a template uses, in order of appearance.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    found.push(name);
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn user_text_containing_a_placeholder_is_not_substituted() {
        // The class name is filled first and contains `{centre}`; filling in one pass
        // leaves it as the user typed it.
        let text = fill(
            "{class} at {centre}",
            &[("class", "Lớp {centre}"), ("centre", "Tràng An")],
        );
        assert_eq!(text, "Lớp {centre} at Tràng An");
    }

    #[test]
    fn unknown_placeholders_and_stray_braces_stay() {
        assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
        assert_eq!(fill("{{a}}", &[("a", "1")]), "{1}");
        assert_eq!(fill("no braces", &[("a", "1")]), "no braces");
        assert_eq!(fill("{a}{a}", &[("a", "x")]), "xx");
    }
}
