//! Domain vocabulary shared by every layer: languages, ids, dates, periods and session records.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The languages the bot speaks. Vietnamese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Every language, in the order the dialog files must provide them.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The two-letter code used in commands (`/lang en`) and in the dialog files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses a code such as `vi`, `EN` or Telegram's `en-US`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for a Telegram user's `language_code`: English speakers get English,
    /// everybody else the default, Vietnamese.
    pub fn from_telegram_hint(hint: Option<&str>) -> Lang {
        hint.and_then(Lang::from_code).unwrap_or_default()
    }
}

/// A Telegram user id (also the chat id of the private chat with that user).
pub type UserId = i64;

/// A Telegram chat id (negative for groups).
pub type ChatId = i64;

/// Identifies a community learning centre inside one rollcall database.
pub type CentreId = u64;

/// Identifies a class (or thematic topic) of one centre and activity group.
pub type ClassId = u64;

/// Identifies a saved session; also the "number" shown to the organiser.
pub type SessionId = u64;

/// "Now", passed into pure code so that it never reads the clock itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// The instant, for created-at stamps.
    pub at: DateTime<Utc>,
    /// The centre's local calendar date at that instant (Asia/Ho_Chi_Minh by default).
    pub today: NaiveDate,
}

impl Now {
    /// Builds `Now` for an instant seen from a time zone.
    pub fn in_zone(at: DateTime<Utc>, zone: chrono_tz::Tz) -> Now {
        Now {
            at,
            today: at.with_timezone(&zone).date_naive(),
        }
    }
}

/// An inclusive range of local dates that a report or a running total covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A period from `from` to `to`, both included; `None` when `from` is after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    /// The default reporting period: 1 January of today's year up to today.
    pub fn year_to_date(today: NaiveDate) -> Period {
        let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        Period { from, to: today }
    }

    /// Whether `date` lies inside the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// Attendance figures summed over some sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Distinct classes with at least one session.
    pub classes: u64,
    /// Number of sessions.
    pub sessions: u64,
    /// Sum of attendance ("lượt người").
    pub attendance: u64,
    /// Sum of female attendance.
    pub female: u64,
}

impl std::ops::Add for Totals {
    type Output = Totals;

    /// Sums two disjoint sets of sessions (classes never span two groups or centres).
    fn add(self, other: Totals) -> Totals {
        Totals {
            classes: self.classes + other.classes,
            sessions: self.sessions + other.sessions,
            attendance: self.attendance + other.attendance,
            female: self.female + other.female,
        }
    }
}

/// The class a new session belongs to: one the centre already has, or a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassChoice {
    Existing(ClassId),
    /// A class typed by the organiser: its display name and its matching key
    /// (`dialog::parse::class_name`). The store reuses a class with the same key.
    New {
        name: String,
        key: String,
    },
}

/// A confirmed session as the engine hands it to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    pub centre: CentreId,
    pub organiser: UserId,
    /// Stable code of the activity group (for example `health`).
    pub group: String,
    pub class: ClassChoice,
    pub date: NaiveDate,
    pub total: u32,
    pub female: u32,
    /// Answers to the optional questions a dialog file adds, by question id.
    pub extra: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: SessionId,
    pub centre: CentreId,
    pub organiser: UserId,
    pub group: String,
    pub class: ClassId,
    pub date: NaiveDate,
    pub total: u32,
    pub female: u32,
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

/// A class of one centre and group as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRecord {
    pub id: ClassId,
    pub centre: CentreId,
    pub group: String,
    /// The name as first typed (trimmed, spaces collapsed, NFC).
    pub name: String,
    /// The matching key: see `dialog::parse::class_key`.
    pub key: String,
    /// Date of the latest session, for "most recent first" buttons.
    pub last_session: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}
