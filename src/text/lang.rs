//! The languages the bot speaks, the one piece of vocabulary every text function needs.

use serde::{Deserialize, Serialize};

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
