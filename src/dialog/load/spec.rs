//! Stage 1 of loading: structs that mirror the layout of each file in `dialogs/`.
//!
//! These only describe shape. Every field a file may leave out, or get wrong in a
//! way `compile` can explain better than serde, is optional here, so that one
//! mistake does not hide the others. Unknown fields are refused, which catches
//! misspelt field names (`promt`) at the line where they are.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A text in several languages, by language code (`vi`, `en`). Kept as a map so
/// that `compile` can name a missing or unknown language instead of serde failing.
pub type Texts = BTreeMap<String, String>;

/// `groups.toml`: a list of `[[group]]` blocks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsFile {
    #[serde(default)]
    pub group: Vec<GroupSpec>,
}

/// One `[[group]]` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: Option<String>,
    pub code: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub official: Option<Texts>,
    pub short: Option<Texts>,
}

/// `session.toml`: a list of `[[question]]` blocks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    #[serde(default)]
    pub question: Vec<QuestionSpec>,
}

/// One `[[question]]` block. The limits of every kind live side by side here;
/// `compile` refuses the ones that do not apply to the question's kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSpec {
    pub id: Option<String>,
    pub kind: Option<String>,
    pub prompt: Option<Texts>,
    pub label: Option<Texts>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub errors: BTreeMap<String, Texts>,
    /// Number questions.
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub at_most: Option<String>,
    /// Class and text questions.
    pub min_len: Option<i64>,
    pub max_len: Option<i64>,
    /// Class questions.
    pub max_buttons: Option<i64>,
    /// Choice questions: `[[question.options]]` blocks.
    pub options: Option<Vec<OptionSpec>>,
}

/// One `[[question.options]]` block of a choice question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    pub id: Option<String>,
    pub label: Option<Texts>,
}

/// `commands.toml`: a list of `[[command]]` blocks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandsFile {
    #[serde(default)]
    pub command: Vec<CommandSpec>,
    /// The bot's descriptions; when left out, the bot does not set them.
    pub bot: Option<BotSpec>,
}

/// One `[[command]]` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandSpec {
    pub name: Option<String>,
    pub description: Option<Texts>,
    /// The menus that offer the command; every private chat's when left out.
    pub menus: Option<Vec<String>>,
}

/// The `[bot]` block of `commands.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotSpec {
    pub description: Option<Texts>,
    pub short_description: Option<Texts>,
}

/// `messages.toml`: nested tables whose leaves are `vi = "..."`, `en = "..."`.
///
/// A text's key is the path of tables leading to it (`[dialog.summary]` is the
/// text `dialog.summary`). Because the keys are the data here, the file is read
/// as a plain TOML table and walked by `compile`, which knows the valid keys
/// (`REQUIRED_TEXTS`) and so can point out a misspelt one.
pub type MessagesFile = toml::Table;
