//! Settings: the flags shared by subcommands, and the configuration file `rollcall.toml`
//! with its environment overrides.
//!
//! Every setting is resolved in one order: a command-line flag, then an environment
//! variable, then the file given by `--config` (or `ROLLCALL_CONFIG`), then the built-in
//! default. The file and the environment are merged here into one [`Config`]; the flags
//! that already existed (`--db`, `--dialogs`, `--zone`, ...) keep their clap definitions,
//! and [`apply_to_command`] makes the merged values their defaults, so clap's own
//! "flag, else environment, else default" completes the order without any subcommand
//! having to know about the file.

use crate::domain::YearStart;
use anyhow::{bail, Context};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The exit code of a configuration problem: `EX_CONFIG` of BSD's sysexits. systemd's
/// `RestartPreventExitStatus=78` (deploy/rollcall.service) then stops restarting a bot
/// that can only fail again until someone changes its configuration.
pub const EX_CONFIG: u8 = 78;

/// A problem that only a change of the configuration can fix (a missing or refused token,
/// an invalid setting, broken dialog files): the binary exits with [`EX_CONFIG`].
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ConfigError(#[from] pub anyhow::Error);

/// Marks `error` as a configuration problem (for `map_err`).
pub fn config_problem(error: impl Into<anyhow::Error>) -> anyhow::Error {
    ConfigError(error.into()).into()
}

/// Whether `error`, or anything it was caused by, is a configuration problem.
pub fn is_config_problem(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.is::<ConfigError>())
}

/// Where rollcall keeps its data and finds its dialogs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// The redb database file (created if missing).
    #[arg(long, env = "ROLLCALL_DB", default_value = "rollcall.redb")]
    pub db: PathBuf,
    /// A folder with the centre's own dialog files (`rollcall dialogs export DIR` writes
    /// the built-in ones to start from); without it the built-in dialogs are used.
    #[arg(long, env = "ROLLCALL_DIALOGS", value_name = "DIR")]
    pub dialogs: Option<PathBuf>,
    /// The time zone that decides what "today" is for the centres.
    #[arg(long, env = "ROLLCALL_ZONE", default_value = "Asia/Ho_Chi_Minh")]
    pub zone: chrono_tz::Tz,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event (the default).
    #[default]
    Human,
    /// One JSON object per line, for a log collector.
    Json,
}

/// The whole configuration: `rollcall.toml` as written, with defaults for what it leaves
/// out. Unknown keys are an error that names the key, so a misspelt setting never
/// silently falls back to its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The redb database file.
    pub db: PathBuf,
    /// A folder with the centre's own dialog files; unset means the built-in dialogs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialogs: Option<PathBuf>,
    /// The IANA time zone that decides "today".
    pub zone: String,
    /// The first day of the reporting year, `MM-DD`: "this year" and "last year" of the
    /// report, the running totals and the deadline reminder start there.
    pub period_start: String,
    /// The bot's token. Prefer `token_file` or `TELOXIDE_TOKEN`: a file that holds
    /// settings is easily shared, a token should not be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// A file whose content (trimmed) is the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_file: Option<PathBuf>,
    /// Seconds one `getUpdates` long poll may wait.
    pub poll_timeout: u32,
    pub reminders: RemindersConfig,
    pub entry: EntryConfig,
    pub retention: RetentionConfig,
    pub log: LogConfig,
    pub webhook: WebhookConfig,
    pub metrics: MetricsConfig,
}

/// Defaults of the reminders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemindersConfig {
    /// A group reminder missed while the bot was down is still sent if less than this
    /// many minutes late (the monthly deadline reminder keeps its half a day).
    pub grace_minutes: u32,
}

/// What protects an organiser's entries from slips.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntryConfig {
    /// A draft nobody touched for this many hours is dropped (with a notice).
    pub draft_expiry_hours: u32,
    /// A date typed without a year more than this many days back is confirmed in full.
    pub confirm_dates_older_than_days: u32,
    /// A draft left at its summary this many minutes gets one "not saved yet" nudge.
    pub nudge_minutes: u32,
}

impl Default for EntryConfig {
    fn default() -> EntryConfig {
        let rules = crate::domain::EntryRules::default();
        EntryConfig {
            draft_expiry_hours: u32::try_from(rules.draft_expiry.num_hours()).unwrap_or(12),
            confirm_dates_older_than_days: u32::try_from(rules.confirm_dates_older_than_days)
                .unwrap_or(60),
            nudge_minutes: u32::try_from(rules.nudge_after.num_minutes()).unwrap_or(10),
        }
    }
}

/// How long records are kept (see `store/retention.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Audit entries older than this many days are removed (export them first with
    /// `rollcall export`).
    pub audit_days: u32,
}

impl Default for RetentionConfig {
    fn default() -> RetentionConfig {
        RetentionConfig {
            audit_days: crate::store::retention::Retention::AUDIT_DAYS,
        }
    }
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A `tracing` filter: `info`, `debug`, `rollcall=debug,info`, ... (`RUST_LOG` wins when set).
    pub level: String,
    pub format: LogFormat,
}

/// Receiving updates through a webhook instead of long polling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookConfig {
    /// The public HTTPS URL Telegram posts to; unset means long polling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The local address the webhook server listens on (behind a TLS reverse proxy).
    pub listen: String,
    /// The `X-Telegram-Bot-Api-Secret-Token` to require; a random one per start when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_token: Option<String>,
}

/// The health and metrics server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// The address of `/healthz` and `/metrics`; unset means no such server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    /// `/healthz` fails when no Bot API call succeeded for this many minutes.
    pub telegram_stale_minutes: u32,
    /// `/healthz` fails when the oldest queued message waits longer than this.
    pub outbox_stuck_minutes: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            db: PathBuf::from("rollcall.redb"),
            dialogs: None,
            zone: "Asia/Ho_Chi_Minh".to_owned(),
            period_start: "01-01".to_owned(),
            token: None,
            token_file: None,
            poll_timeout: 25,
            reminders: RemindersConfig::default(),
            entry: EntryConfig::default(),
            retention: RetentionConfig::default(),
            log: LogConfig::default(),
            webhook: WebhookConfig::default(),
            metrics: MetricsConfig::default(),
        }
    }
}

impl Default for RemindersConfig {
    fn default() -> RemindersConfig {
        RemindersConfig {
            grace_minutes: crate::reminders::schedule::DEFAULT_GRACE_MINUTES,
        }
    }
}

impl Default for LogConfig {
    fn default() -> LogConfig {
        LogConfig {
            level: "info".to_owned(),
            format: LogFormat::Human,
        }
    }
}

impl Default for WebhookConfig {
    fn default() -> WebhookConfig {
        WebhookConfig {
            url: None,
            listen: "127.0.0.1:8443".to_owned(),
            secret_token: None,
        }
    }
}

impl Default for MetricsConfig {
    fn default() -> MetricsConfig {
        MetricsConfig {
            listen: None,
            telegram_stale_minutes: 10,
            outbox_stuck_minutes: 10,
        }
    }
}

/// What kind of value a key holds, for reading it from an environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
}

/// Every key of the file, in the order `config check` prints them, with the environment
/// variable that overrides it. The token's variable is teloxide's own `TELOXIDE_TOKEN`.
const KEYS: &[(&str, &str, Kind)] = &[
    ("db", "ROLLCALL_DB", Kind::Text),
    ("dialogs", "ROLLCALL_DIALOGS", Kind::Text),
    ("zone", "ROLLCALL_ZONE", Kind::Text),
    ("period_start", "ROLLCALL_PERIOD_START", Kind::Text),
    ("token", "TELOXIDE_TOKEN", Kind::Text),
    ("token_file", "ROLLCALL_TOKEN_FILE", Kind::Text),
    ("poll_timeout", "ROLLCALL_POLL_TIMEOUT", Kind::Number),
    (
        "reminders.grace_minutes",
        "ROLLCALL_REMINDERS_GRACE_MINUTES",
        Kind::Number,
    ),
    (
        "entry.draft_expiry_hours",
        "ROLLCALL_ENTRY_DRAFT_EXPIRY_HOURS",
        Kind::Number,
    ),
    (
        "entry.confirm_dates_older_than_days",
        "ROLLCALL_ENTRY_CONFIRM_DATES_OLDER_THAN_DAYS",
        Kind::Number,
    ),
    (
        "entry.nudge_minutes",
        "ROLLCALL_ENTRY_NUDGE_MINUTES",
        Kind::Number,
    ),
    (
        "retention.audit_days",
        "ROLLCALL_RETENTION_AUDIT_DAYS",
        Kind::Number,
    ),
    ("log.level", "ROLLCALL_LOG_LEVEL", Kind::Text),
    ("log.format", "ROLLCALL_LOG_FORMAT", Kind::Text),
    ("webhook.url", "ROLLCALL_WEBHOOK_URL", Kind::Text),
    ("webhook.listen", "ROLLCALL_WEBHOOK_LISTEN", Kind::Text),
    (
        "webhook.secret_token",
        "ROLLCALL_WEBHOOK_SECRET_TOKEN",
        Kind::Text,
    ),
    ("metrics.listen", "ROLLCALL_METRICS_LISTEN", Kind::Text),
    (
        "metrics.telegram_stale_minutes",
        "ROLLCALL_METRICS_TELEGRAM_STALE_MINUTES",
        Kind::Number,
    ),
    (
        "metrics.outbox_stuck_minutes",
        "ROLLCALL_METRICS_OUTBOX_STUCK_MINUTES",
        Kind::Number,
    ),
];

/// Keys whose values are secrets: `config check` shows only that they are set.
const SECRETS: &[&str] = &["token", "webhook.secret_token"];

/// Where a key's effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File,
    Env(&'static str),
}

/// The configuration together with where each value came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// The source of each key that is not at its default.
    pub sources: BTreeMap<&'static str, Source>,
}

impl Loaded {
    /// Reads `file` (if given) and applies the environment variables read through `env`
    /// (a parameter so that tests need not change the process's environment).
    pub fn load(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Loaded> {
        let mut sources = BTreeMap::new();
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("reading the configuration file {}", path.display())
                })?;
                // Deserialising the text itself (not the table) gives errors with the
                // line and the key's name: "unknown field `urll`, expected one of ...".
                toml::from_str::<Config>(&text)
                    .with_context(|| format!("in the configuration file {}", path.display()))?;
                let table: toml::Table = text
                    .parse()
                    .with_context(|| format!("in the configuration file {}", path.display()))?;
                for (key, _, _) in KEYS {
                    if lookup(&table, key).is_some() {
                        sources.insert(*key, Source::File);
                    }
                }
                table
            }
            None => toml::Table::new(),
        };
        if lookup(&table, "token").is_some() && lookup(&table, "token_file").is_some() {
            bail!("the configuration file gives both token and token_file: keep one");
        }
        for (key, var, kind) in KEYS {
            let Some(raw) = env(var).filter(|value| !value.is_empty()) else {
                continue;
            };
            let value = match kind {
                Kind::Text => toml::Value::String(raw),
                Kind::Number => toml::Value::Integer(raw.trim().parse().with_context(|| {
                    format!("{var} must be a whole number (it sets {key}), not {raw:?}")
                })?),
            };
            // A token given in the environment replaces the file's way of giving it,
            // whichever of the two keys the file uses.
            if *key == "token" || *key == "token_file" {
                if sources.get("token") != Some(&Source::Env("TELOXIDE_TOKEN")) {
                    remove(&mut table, "token");
                    remove(&mut table, "token_file");
                    sources.remove("token");
                    sources.remove("token_file");
                } else {
                    // TELOXIDE_TOKEN is already set and wins over ROLLCALL_TOKEN_FILE.
                    continue;
                }
            }
            insert(&mut table, key, value);
            sources.insert(*key, Source::Env(var));
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .context("in the environment variables ROLLCALL_*")?;
        config.validate()?;
        Ok(Loaded {
            config,
            file: file.map(Path::to_owned),
            sources,
        })
    }

    /// Loads the file and the process's environment.
    pub fn from_env(file: Option<&Path>) -> anyhow::Result<Loaded> {
        Loaded::load(file, &|name| std::env::var(name).ok())
    }

    /// The effective configuration as TOML, each value followed by where it came from,
    /// with the secrets masked. This is what `rollcall config check` prints.
    pub fn describe(&self) -> String {
        let table = match toml::Table::try_from(&self.config) {
            Ok(table) => table,
            Err(error) => return format!("# cannot show the configuration: {error}\n"),
        };
        let mut out = String::new();
        match &self.file {
            Some(file) => {
                let _ = writeln!(out, "# configuration file: {}", file.display());
            }
            None => out.push_str("# no configuration file (--config or ROLLCALL_CONFIG)\n"),
        }
        let mut section = "";
        for (key, var, _) in KEYS {
            let (head, name) = key.rsplit_once('.').unwrap_or(("", key));
            if head != section {
                let _ = writeln!(out, "\n[{head}]");
                section = head;
            }
            let source = match self.sources.get(key) {
                Some(Source::File) => "file".to_owned(),
                Some(Source::Env(var)) => format!("environment {var}"),
                _ => "default".to_owned(),
            };
            match lookup(&table, key) {
                Some(_) if SECRETS.contains(key) => {
                    let _ = writeln!(out, "{name} = \"********\"  # set, hidden ({source})");
                }
                Some(value) => {
                    let _ = writeln!(out, "{name} = {value}  # {source}");
                }
                None => {
                    let _ = writeln!(out, "# {name} is not set  (environment {var})");
                }
            }
        }
        out
    }
}

impl Config {
    /// Checks what serde cannot: the zone, the period start, the reminder grace, addresses
    /// and the URL.
    pub fn validate(&self) -> anyhow::Result<()> {
        self.zone_tz()?;
        self.period_start()?;
        // A reminder is never sent at its exact instant (the scheduler wakes a little
        // after it), so no grace at all would silently turn every group reminder off.
        if self.reminders.grace_minutes == 0 {
            bail!("reminders.grace_minutes must be at least 1 (minutes a missed reminder may be late)");
        }
        if self.entry.draft_expiry_hours == 0 || self.entry.nudge_minutes == 0 {
            bail!("entry.draft_expiry_hours and entry.nudge_minutes must be at least 1");
        }
        if self.retention.audit_days == 0 {
            bail!("retention.audit_days must be at least 1 (days the audit log is kept)");
        }
        if self.poll_timeout > 50 {
            bail!(
                "poll_timeout must be at most 50 seconds (Telegram's limit), not {}",
                self.poll_timeout
            );
        }
        self.webhook
            .listen
            .parse::<std::net::SocketAddr>()
            .with_context(|| {
                format!(
                    "webhook.listen {:?} is not an address such as 127.0.0.1:8443",
                    self.webhook.listen
                )
            })?;
        if let Some(url) = &self.webhook.url {
            check_webhook_url(url)?;
        }
        if let Some(secret) = &self.webhook.secret_token {
            check_secret_token(secret)?;
        }
        if let Some(listen) = &self.metrics.listen {
            listen.parse::<std::net::SocketAddr>().with_context(|| {
                format!("metrics.listen {listen:?} is not an address such as 127.0.0.1:9898")
            })?;
        }
        tracing_subscriber::EnvFilter::try_new(&self.log.level)
            .with_context(|| format!("log.level {:?} is not a log filter", self.log.level))?;
        Ok(())
    }

    /// The time zone.
    pub fn zone_tz(&self) -> anyhow::Result<chrono_tz::Tz> {
        self.zone.parse().map_err(|_| {
            anyhow::anyhow!(
                "zone {:?} is not an IANA time zone such as Asia/Ho_Chi_Minh",
                self.zone
            )
        })
    }

    /// The first day of the reporting year. 29 February is refused: a period must start on
    /// a day every year has.
    pub fn period_start(&self) -> anyhow::Result<YearStart> {
        let problem = || {
            anyhow::anyhow!(
                "period_start {:?} must be a month and day MM-DD such as \"01-01\" or \"09-01\"",
                self.period_start
            )
        };
        let (month, day) = self.period_start.split_once('-').ok_or_else(problem)?;
        let month: u32 = month.parse().map_err(|_| problem())?;
        let day: u32 = day.parse().map_err(|_| problem())?;
        YearStart::new(month, day).ok_or_else(problem)
    }

    /// How long records are kept.
    pub fn retention(&self) -> crate::store::retention::Retention {
        crate::store::retention::Retention::with_audit_days(self.retention.audit_days)
    }

    /// The rules that protect entries (draft expiry, dates to confirm, the nudge).
    pub fn entry_rules(&self) -> crate::domain::EntryRules {
        crate::domain::EntryRules {
            draft_expiry: chrono::Duration::hours(i64::from(self.entry.draft_expiry_hours)),
            confirm_dates_older_than_days: i64::from(self.entry.confirm_dates_older_than_days),
            nudge_after: chrono::Duration::minutes(i64::from(self.entry.nudge_minutes)),
        }
    }

    /// How late a missed group reminder may still be sent.
    pub fn reminder_grace(&self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.reminders.grace_minutes))
    }

    /// The bot's token from `token` or `token_file`, if either is set.
    pub fn token(&self) -> anyhow::Result<Option<String>> {
        if let Some(token) = &self.token {
            return Ok(Some(token.trim().to_owned()));
        }
        let Some(path) = &self.token_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the token file {}", path.display()))?;
        let token = text.trim();
        if token.is_empty() {
            bail!("the token file {} is empty", path.display());
        }
        Ok(Some(token.to_owned()))
    }
}

/// Telegram posts only to HTTPS URLs; plain `http` is accepted for tests on 127.0.0.1.
pub fn check_webhook_url(url: &str) -> anyhow::Result<()> {
    let parsed = reqwest::Url::parse(url).with_context(|| {
        format!("webhook URL {url:?} is not a URL such as https://bot.example.org/telegram")
    })?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if matches!(parsed.host_str(), Some("127.0.0.1" | "localhost")) => Ok(()),
        _ => bail!("webhook URL {url:?} must start with https:// (Telegram posts only over HTTPS)"),
    }
}

/// Telegram allows 1–256 characters `A-Z a-z 0-9 _ -` in a webhook's secret token.
pub fn check_secret_token(secret: &str) -> anyhow::Result<()> {
    let valid = (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid {
        bail!("webhook.secret_token must be 1-256 characters A-Z, a-z, 0-9, _ or -");
    }
    Ok(())
}

/// The value at a dotted `key` of a TOML table.
fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    match key.split_once('.') {
        Some((section, rest)) => lookup(table.get(section)?.as_table()?, rest),
        None => table.get(key),
    }
}

/// Sets the value at a dotted `key`, creating the section when missing.
fn insert(table: &mut toml::Table, key: &str, value: toml::Value) {
    match key.split_once('.') {
        Some((section, rest)) => {
            let entry = table
                .entry(section)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(inner) = entry {
                insert(inner, rest, value);
            }
        }
        None => {
            table.insert(key.to_owned(), value);
        }
    }
}

/// Removes the value at a dotted `key`, if any.
fn remove(table: &mut toml::Table, key: &str) {
    match key.split_once('.') {
        Some((section, rest)) => {
            if let Some(toml::Value::Table(inner)) = table.get_mut(section) {
                remove(inner, rest);
            }
        }
        None => {
            table.remove(key);
        }
    }
}

/// The `--config FILE` (or `--config=FILE`) of a command line, else `ROLLCALL_CONFIG`.
///
/// The file must be known before clap parses the command line, because its values become
/// the defaults clap falls back to; clap checks the same argument again afterwards.
pub fn config_path(args: &[std::ffi::OsString]) -> Option<PathBuf> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("ROLLCALL_CONFIG")
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// Makes the configuration's values the defaults of the flags that name the same
/// settings, in every subcommand that has them, so that a flag still wins over them.
pub fn apply_to_command(command: clap::Command, config: &Config) -> clap::Command {
    let mut defaults: Vec<(&str, String)> = vec![
        ("db", config.db.display().to_string()),
        ("zone", config.zone.clone()),
        ("poll_timeout", config.poll_timeout.to_string()),
        ("listen", config.webhook.listen.clone()),
        (
            "log_format",
            match config.log.format {
                LogFormat::Human => "human",
                LogFormat::Json => "json",
            }
            .to_owned(),
        ),
    ];
    if let Some(dialogs) = &config.dialogs {
        defaults.push(("dialogs", dialogs.display().to_string()));
    }
    if let Some(url) = &config.webhook.url {
        defaults.push(("webhook", url.clone()));
    }
    if let Some(listen) = &config.metrics.listen {
        defaults.push(("metrics_listen", listen.clone()));
    }
    set_defaults(command, &defaults)
}

fn set_defaults(mut command: clap::Command, defaults: &[(&str, String)]) -> clap::Command {
    for (id, value) in defaults {
        if command.get_arguments().any(|arg| arg.get_id() == *id) {
            command = command.mut_arg(*id, |arg| arg.default_value(value.clone()));
        }
    }
    command.mut_subcommands(|sub| set_defaults(sub, defaults))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, env: &[(&str, &str)]) -> anyhow::Result<Loaded> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("rollcall.toml");
        std::fs::write(&path, text).expect("written");
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Loaded::load(Some(&path), &move |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn the_environment_replaces_the_files_token_file() {
        let loaded = load(
            "token_file = \"/nonexistent\"\n",
            &[("TELOXIDE_TOKEN", "1:x")],
        )
        .expect("loads");
        assert_eq!(loaded.config.token.as_deref(), Some("1:x"));
        assert_eq!(loaded.config.token_file, None);
        assert_eq!(
            loaded.config.token().expect("token").as_deref(),
            Some("1:x")
        );
    }

    #[test]
    fn both_token_keys_in_the_file_are_refused() {
        let error = load("token = \"1:x\"\ntoken_file = \"t\"\n", &[]).expect_err("refused");
        assert!(error.to_string().contains("token_file"), "{error:#}");
    }

    #[test]
    fn period_start_must_be_a_day_of_every_year() {
        for bad in ["02-29", "13-01", "1 January", "01-32"] {
            let error = load(&format!("period_start = \"{bad}\"\n"), &[]).expect_err(bad);
            assert!(format!("{error:#}").contains("period_start"), "{error:#}");
        }
        let loaded = load("period_start = \"09-01\"\n", &[]).expect("loads");
        assert_eq!(
            loaded.config.period_start().expect("valid"),
            YearStart::new(9, 1).expect("a day of every year")
        );
        let loaded = load("", &[("ROLLCALL_PERIOD_START", "09-01")]).expect("loads");
        assert_eq!(
            loaded.config.period_start().expect("valid"),
            YearStart::new(9, 1).expect("a day of every year")
        );
        assert_eq!(
            Config::default().period_start().expect("valid"),
            YearStart::JANUARY_FIRST
        );
    }

    #[test]
    fn the_reminder_grace_is_a_positive_number_of_minutes() {
        assert_eq!(
            Config::default().reminder_grace(),
            chrono::Duration::minutes(60)
        );
        let loaded = load("[reminders]\ngrace_minutes = 120\n", &[]).expect("loads");
        assert_eq!(
            loaded.config.reminder_grace(),
            chrono::Duration::minutes(120)
        );
        let error = load("[reminders]\ngrace_minutes = 0\n", &[]).expect_err("refused");
        assert!(format!("{error:#}").contains("grace_minutes"), "{error:#}");
    }

    #[test]
    fn the_audit_retention_is_two_years_unless_configured() {
        assert_eq!(
            Config::default().retention().audit,
            chrono::Duration::days(730)
        );
        let loaded = load("[retention]\naudit_days = 365\n", &[]).expect("loads");
        assert_eq!(loaded.config.retention().audit, chrono::Duration::days(365));
        let loaded = load("", &[("ROLLCALL_RETENTION_AUDIT_DAYS", "100")]).expect("loads");
        assert_eq!(loaded.config.retention().audit, chrono::Duration::days(100));
        let error = load("[retention]\naudit_days = 0\n", &[]).expect_err("refused");
        assert!(format!("{error:#}").contains("audit_days"), "{error:#}");
    }

    #[test]
    fn the_config_path_comes_from_the_command_line_first() {
        let args: Vec<std::ffi::OsString> = ["rollcall", "run", "--config=/etc/r.toml"]
            .iter()
            .map(Into::into)
            .collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("/etc/r.toml")));
        let args: Vec<std::ffi::OsString> = ["rollcall", "--config", "a.toml", "run"]
            .iter()
            .map(Into::into)
            .collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("a.toml")));
    }
}
