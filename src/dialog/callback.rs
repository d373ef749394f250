//! Callback data of inline buttons: `<stamp>:<action>`, short ASCII, and checked on the way back.
//!
//! Button data comes back from Telegram untrusted: anything that does not decode to a
//! known action is treated like a stale button, never acted upon.

use crate::domain::{ClassId, Period};
use chrono::NaiveDate;

/// What a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Group(String),
    Class(ClassId),
    NewClass,
    Today,
    Yesterday,
    Option(String),
    Skip,
    Save,
    Edit,
    Cancel,
    EditQuestion(String),
    Back,
    /// Choose a centre (0: every centre, for supervisors); `then_log` starts a session after.
    Centre {
        id: u64,
        then_log: bool,
    },
    /// Ask to remove a person from the centre.
    RemoveMember(u64),
    /// Confirm removing a person.
    ConfirmRemove(u64),
    /// A report for a common period.
    Period(PeriodChoice),
    /// Show a saved session with its Edit / Delete buttons.
    OpenSession(u64),
    /// Correct a saved session (back into the dialog's summary).
    EditSession(u64),
    /// Ask to delete a saved session.
    DeleteSession(u64),
    /// Confirm deleting it.
    ConfirmDelete(u64),
    /// Restore a deleted session.
    RestoreSession(u64),
    /// The whole report of this period as a Word document (the button under a report).
    Document(Period),
    /// Change the written parts of the report document: the list of parts.
    EditDocument,
    /// Show one written part (by id) and wait for its new text.
    DocumentPart(String),
    /// Keep the part being edited as it is.
    KeepDocumentPart,
}

/// The common report periods offered as buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    ThisMonth,
    LastMonth,
    ThisYear,
    LastYear,
}

impl PeriodChoice {
    /// Every choice, in button order.
    pub const ALL: [PeriodChoice; 4] = [
        PeriodChoice::ThisMonth,
        PeriodChoice::LastMonth,
        PeriodChoice::ThisYear,
        PeriodChoice::LastYear,
    ];

    fn code(self) -> &'static str {
        match self {
            PeriodChoice::ThisMonth => "tm",
            PeriodChoice::LastMonth => "lm",
            PeriodChoice::ThisYear => "ty",
            PeriodChoice::LastYear => "ly",
        }
    }
}

/// Telegram's limit on callback data, in bytes.
pub const MAX_CALLBACK_BYTES: usize = 64;

/// Encodes a button for the question shown with `stamp`.
pub fn encode(stamp: u32, action: &Action) -> String {
    let action = match action {
        Action::Group(id) => format!("g.{id}"),
        Action::Class(id) => format!("c.{id}"),
        Action::NewClass => "cn".to_owned(),
        Action::Today => "dt".to_owned(),
        Action::Yesterday => "dy".to_owned(),
        Action::Option(id) => format!("o.{id}"),
        Action::Skip => "sk".to_owned(),
        Action::Save => "sv".to_owned(),
        Action::Edit => "ed".to_owned(),
        Action::Cancel => "cx".to_owned(),
        Action::EditQuestion(id) => format!("e.{id}"),
        Action::Back => "bk".to_owned(),
        Action::Centre {
            id,
            then_log: false,
        } => format!("ct.{id}"),
        Action::Centre { id, then_log: true } => format!("cl.{id}"),
        Action::RemoveMember(user) => format!("rm.{user}"),
        Action::ConfirmRemove(user) => format!("ry.{user}"),
        Action::Period(choice) => format!("pr.{}", choice.code()),
        Action::OpenSession(id) => format!("so.{id}"),
        Action::EditSession(id) => format!("se.{id}"),
        Action::DeleteSession(id) => format!("sd.{id}"),
        Action::ConfirmDelete(id) => format!("sy.{id}"),
        Action::RestoreSession(id) => format!("sr.{id}"),
        Action::Document(period) => format!(
            "dw.{}.{}",
            period.from.format("%Y%m%d"),
            period.to.format("%Y%m%d")
        ),
        Action::EditDocument => "de".to_owned(),
        Action::DocumentPart(id) => format!("dp.{id}"),
        Action::KeepDocumentPart => "dk".to_owned(),
    };
    format!("{stamp}:{action}")
}

/// Decodes button data; `None` for anything malformed, oversized or unknown.
pub fn decode(data: &str) -> Option<(u32, Action)> {
    if data.len() > MAX_CALLBACK_BYTES {
        return None;
    }
    let (stamp, action) = data.split_once(':')?;
    if stamp.is_empty() || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let stamp: u32 = stamp.parse().ok()?;
    let action = match action.split_once('.') {
        Some(("g", id)) if is_id(id) => Action::Group(id.to_owned()),
        Some(("o", id)) if is_id(id) => Action::Option(id.to_owned()),
        Some(("e", id)) if is_id(id) => Action::EditQuestion(id.to_owned()),
        Some(("c", id)) => Action::Class(number(id)?),
        Some(("ct", id)) => Action::Centre {
            id: number(id)?,
            then_log: false,
        },
        Some(("cl", id)) => Action::Centre {
            id: number(id)?,
            then_log: true,
        },
        Some(("rm", user)) => Action::RemoveMember(number(user)?),
        Some(("ry", user)) => Action::ConfirmRemove(number(user)?),
        Some(("so", id)) => Action::OpenSession(number(id)?),
        Some(("se", id)) => Action::EditSession(number(id)?),
        Some(("sd", id)) => Action::DeleteSession(number(id)?),
        Some(("sy", id)) => Action::ConfirmDelete(number(id)?),
        Some(("sr", id)) => Action::RestoreSession(number(id)?),
        Some(("dp", id)) if is_id(id) => Action::DocumentPart(id.to_owned()),
        Some(("dw", dates)) => {
            let (from, to) = dates.split_once('.')?;
            Action::Document(Period::new(day(from)?, day(to)?)?)
        }
        Some(("pr", code)) => {
            Action::Period(PeriodChoice::ALL.into_iter().find(|c| c.code() == code)?)
        }
        Some(_) => return None,
        None => match action {
            "cn" => Action::NewClass,
            "dt" => Action::Today,
            "dy" => Action::Yesterday,
            "sk" => Action::Skip,
            "sv" => Action::Save,
            "ed" => Action::Edit,
            "cx" => Action::Cancel,
            "bk" => Action::Back,
            "de" => Action::EditDocument,
            "dk" => Action::KeepDocumentPart,
            _ => return None,
        },
    };
    Some((stamp, action))
}

/// A decimal id: digits only (no sign, no spaces), within `u64`.
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A date written `YYYYMMDD` (eight digits, a real date).
fn day(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok()
}

/// Ids of groups, options and questions: short lower-case ASCII (checked by the loader too).
fn is_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_action() -> impl Strategy<Value = Action> {
        let id = "[a-z0-9_]{1,32}";
        prop_oneof![
            id.prop_map(Action::Group),
            any::<u64>().prop_map(Action::Class),
            Just(Action::NewClass),
            Just(Action::Today),
            Just(Action::Yesterday),
            id.prop_map(Action::Option),
            Just(Action::Skip),
            Just(Action::Save),
            Just(Action::Edit),
            Just(Action::Cancel),
            id.prop_map(Action::EditQuestion),
            Just(Action::Back),
            (any::<u64>(), any::<bool>())
                .prop_map(|(id, then_log)| Action::Centre { id, then_log }),
            any::<u64>().prop_map(Action::RemoveMember),
            any::<u64>().prop_map(Action::ConfirmRemove),
            prop::sample::select(PeriodChoice::ALL.to_vec()).prop_map(Action::Period),
            any::<u64>().prop_map(Action::OpenSession),
            any::<u64>().prop_map(Action::EditSession),
            any::<u64>().prop_map(Action::DeleteSession),
            any::<u64>().prop_map(Action::ConfirmDelete),
            any::<u64>().prop_map(Action::RestoreSession),
            (0i32..3_000_000, 0i32..400).prop_map(|(from, days)| {
                let from = NaiveDate::from_num_days_from_ce_opt(from + 1).expect("a date");
                let to = from + chrono::Duration::days(i64::from(days));
                Action::Document(Period::new(from, to).expect("ordered"))
            }),
            Just(Action::EditDocument),
            id.prop_map(Action::DocumentPart),
            Just(Action::KeepDocumentPart),
        ]
    }

    proptest! {
        #[test]
        fn encoded_buttons_round_trip_and_fit_telegram(stamp in any::<u32>(), action in any_action()) {
            let data = encode(stamp, &action);
            prop_assert!(data.len() <= MAX_CALLBACK_BYTES);
            prop_assert_eq!(decode(&data), Some((stamp, action)));
        }

        #[test]
        fn arbitrary_data_never_panics(data in ".*") {
            let _ = decode(&data);
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for forged in [
            "",
            ":",
            "1:",
            "x:sv",
            "1:zz",
            "1:g.",
            "1:g.Health",
            "1:c.-1",
            "1:c.abc",
            "99999999999:sv",
            "1:c.99999999999999999999999",
            "1:g.a;drop",
            "1 :sv",
            "1:dw.20201031.20200101",
            "1:dw.20200230.20201031",
            "1:dw.2020101.20201031",
            "1:dw.+2020101.20201031",
            "1:dp.Signer",
        ] {
            assert_eq!(decode(forged), None, "{forged:?}");
        }
        assert_eq!(decode(&"1:".repeat(40)), None);
    }
}
