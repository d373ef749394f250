//! Callback data of inline buttons: `<stamp>:<action>`, short ASCII, and checked on the way back.
//!
//! Button data comes back from Telegram untrusted: anything that does not decode to a
//! known action is treated like a stale button, never acted upon.

use crate::domain::{ClassId, Period};
use crate::roles::Role;
use chrono::{Datelike, NaiveDate};

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
    /// "Yes" to the question the dialog asked (what it confirms depends on where it stands).
    Confirm,
    /// "No" to it.
    Reject,
    /// Take the held text as the class name after all.
    UseAsName,
    /// Save every line of a multi-line entry.
    SaveAll,
    /// Type line `n` (0-based) of a multi-line entry again.
    FixLine(u64),
    /// Drop the line being fixed from a multi-line entry.
    DropLine,
    /// `/invite` without a role: invite someone as this role.
    InviteRole(Role),
    /// The centre (by id) chosen for an invitation as `role`.
    InviteCentre {
        role: Role,
        id: u64,
    },
    /// "New centre" for an invitation as `role`: its name is typed next.
    InviteNewCentre(Role),
    /// Another page of the centres offered for an invitation as `role`.
    InvitePage {
        role: Role,
        page: u32,
    },
    /// Under a group reminder: the person pressing held no session on this local day.
    NoSessionOn(NaiveDate),
    /// A button of a director's `/classes`.
    Classes(ClassAction),
    /// The whole report of this period as a Word document (the button under a report).
    Document(Period),
    /// The supervisor's centre × group table of this period as files (the button under
    /// the roll-up's centre list).
    CentreTable(Period),
    /// Change the written parts of the report document: the list of parts.
    EditDocument,
    /// Show one written part (by id) and wait for its new text.
    DocumentPart(String),
    /// Keep the part being edited as it is.
    KeepDocumentPart,
    /// Store the changes read from a document sent back.
    SaveUpload,
    /// Leave the stored texts as they are.
    SkipUpload,
    /// "📤 Nộp báo cáo" under a report or a document: ask to hand in the report of this
    /// centre and period to the education office.
    HandIn {
        centre: u64,
        period: Period,
    },
    /// Confirm handing it in.
    ConfirmHandIn {
        centre: u64,
        period: Period,
    },
    /// Do not hand it in after all.
    CancelHandIn,
    /// A button of a supervisor's `/centres`.
    Centres(CentreAction),
    /// Add the sessions of the checked file.
    ImportAdd,
    /// Drop the checked file without adding anything.
    ImportSkip,
}

/// The buttons of `/classes`: ids and page numbers only, checked again when pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassAction {
    /// The list of the centre's classes, at this page (0-based).
    List(u32),
    /// One class with its Rename and Merge buttons.
    Open(ClassId),
    /// Ask for a class's new name.
    Rename(ClassId),
    /// Confirm the rename typed for this class.
    ConfirmRename(ClassId),
    /// Choose the class to merge `from` into, at this page of the other classes.
    Merge { from: ClassId, page: u32 },
    /// Ask to confirm merging `from` into `into`.
    MergeInto { from: ClassId, into: ClassId },
    /// Confirm merging `from` into `into`.
    ConfirmMerge { from: ClassId, into: ClassId },
}

impl ClassAction {
    fn encode(self) -> String {
        match self {
            ClassAction::List(page) => format!("l.{page}"),
            ClassAction::Open(id) => format!("o.{id}"),
            ClassAction::Rename(id) => format!("r.{id}"),
            ClassAction::ConfirmRename(id) => format!("rc.{id}"),
            ClassAction::Merge { from, page } => format!("m.{from}.{page}"),
            ClassAction::MergeInto { from, into } => format!("mi.{from}.{into}"),
            ClassAction::ConfirmMerge { from, into } => format!("my.{from}.{into}"),
        }
    }

    fn decode(text: &str) -> Option<ClassAction> {
        let (code, rest) = text.split_once('.')?;
        let pair = || -> Option<(u64, u64)> {
            let (a, b) = rest.split_once('.')?;
            Some((number(a)?, number(b)?))
        };
        Some(match code {
            "l" => ClassAction::List(u32::try_from(number(rest)?).ok()?),
            "o" => ClassAction::Open(number(rest)?),
            "r" => ClassAction::Rename(number(rest)?),
            "rc" => ClassAction::ConfirmRename(number(rest)?),
            "m" => {
                let (from, page) = pair()?;
                ClassAction::Merge {
                    from,
                    page: u32::try_from(page).ok()?,
                }
            }
            "mi" => {
                let (from, into) = pair()?;
                ClassAction::MergeInto { from, into }
            }
            "my" => {
                let (from, into) = pair()?;
                ClassAction::ConfirmMerge { from, into }
            }
            _ => return None,
        })
    }
}

/// The steps of a supervisor's `/centres`, each naming the centres it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CentreAction {
    /// A page of the list.
    List(u32),
    /// One centre with its buttons.
    Open(u64),
    /// Ask for a centre's new name.
    Rename(u64),
    /// Confirm the rename typed for this centre.
    ConfirmRename(u64),
    /// Choose the centre to merge `from` into, at this page of the other centres.
    Merge { from: u64, page: u32 },
    /// Ask to confirm merging `from` into `into` (showing what will move).
    MergeInto { from: u64, into: u64 },
    /// Confirm merging `from` into `into`.
    ConfirmMerge { from: u64, into: u64 },
}

impl CentreAction {
    fn encode(self) -> String {
        match self {
            CentreAction::List(page) => format!("l.{page}"),
            CentreAction::Open(id) => format!("o.{id}"),
            CentreAction::Rename(id) => format!("r.{id}"),
            CentreAction::ConfirmRename(id) => format!("rc.{id}"),
            CentreAction::Merge { from, page } => format!("m.{from}.{page}"),
            CentreAction::MergeInto { from, into } => format!("mi.{from}.{into}"),
            CentreAction::ConfirmMerge { from, into } => format!("my.{from}.{into}"),
        }
    }

    fn decode(text: &str) -> Option<CentreAction> {
        let (code, rest) = text.split_once('.')?;
        let pair = || -> Option<(u64, u64)> {
            let (a, b) = rest.split_once('.')?;
            Some((number(a)?, number(b)?))
        };
        Some(match code {
            "l" => CentreAction::List(u32::try_from(number(rest)?).ok()?),
            "o" => CentreAction::Open(number(rest)?),
            "r" => CentreAction::Rename(number(rest)?),
            "rc" => CentreAction::ConfirmRename(number(rest)?),
            "m" => {
                let (from, page) = pair()?;
                CentreAction::Merge {
                    from,
                    page: u32::try_from(page).ok()?,
                }
            }
            "mi" => {
                let (from, into) = pair()?;
                CentreAction::MergeInto { from, into }
            }
            "my" => {
                let (from, into) = pair()?;
                CentreAction::ConfirmMerge { from, into }
            }
            _ => return None,
        })
    }
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
        Action::Confirm => "y".to_owned(),
        Action::Reject => "n".to_owned(),
        Action::UseAsName => "un".to_owned(),
        Action::SaveAll => "sa".to_owned(),
        Action::FixLine(line) => format!("fl.{line}"),
        Action::DropLine => "dl".to_owned(),
        Action::InviteRole(role) => format!("ir.{}", role_code(*role)),
        Action::InviteCentre { role, id } => format!("ic.{}.{id}", role_code(*role)),
        Action::InviteNewCentre(role) => format!("in.{}", role_code(*role)),
        Action::InvitePage { role, page } => format!("ip.{}.{page}", role_code(*role)),
        Action::NoSessionOn(day) => {
            format!("ns.{:04}{:02}{:02}", day.year(), day.month(), day.day())
        }
        Action::Classes(step) => format!("k.{}", step.encode()),
        Action::Document(period) => format!(
            "dw.{}.{}",
            period.from.format("%Y%m%d"),
            period.to.format("%Y%m%d")
        ),
        Action::CentreTable(period) => format!(
            "bt.{}.{}",
            period.from.format("%Y%m%d"),
            period.to.format("%Y%m%d")
        ),
        Action::EditDocument => "de".to_owned(),
        Action::DocumentPart(id) => format!("dp.{id}"),
        Action::KeepDocumentPart => "dk".to_owned(),
        Action::SaveUpload => "du".to_owned(),
        Action::SkipUpload => "dx".to_owned(),
        Action::HandIn { centre, period } => format!("hi.{centre}.{}", dates(*period)),
        Action::ConfirmHandIn { centre, period } => format!("hy.{centre}.{}", dates(*period)),
        Action::CancelHandIn => "hn".to_owned(),
        Action::Centres(step) => format!("z.{}", step.encode()),
        Action::ImportAdd => "ia".to_owned(),
        Action::ImportSkip => "ix".to_owned(),
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
        Some(("fl", line)) => Action::FixLine(number(line)?),
        Some(("ir", role)) => Action::InviteRole(role_of(role)?),
        Some(("ic", rest)) => {
            let (role, id) = rest.split_once('.')?;
            Action::InviteCentre {
                role: role_of(role)?,
                id: number(id)?,
            }
        }
        Some(("in", role)) => Action::InviteNewCentre(role_of(role)?),
        Some(("ip", rest)) => {
            let (role, page) = rest.split_once('.')?;
            Action::InvitePage {
                role: role_of(role)?,
                page: u32::try_from(number(page)?).ok()?,
            }
        }
        Some(("ns", day)) => Action::NoSessionOn(date_of(day)?),
        Some(("k", step)) => Action::Classes(ClassAction::decode(step)?),
        Some(("dp", id)) if is_id(id) => Action::DocumentPart(id.to_owned()),
        Some(("dw", dates)) => {
            let (from, to) = dates.split_once('.')?;
            Action::Document(Period::new(day(from)?, day(to)?)?)
        }
        Some(("hi", rest)) => {
            let (centre, period) = centre_and_period(rest)?;
            Action::HandIn { centre, period }
        }
        Some(("hy", rest)) => {
            let (centre, period) = centre_and_period(rest)?;
            Action::ConfirmHandIn { centre, period }
        }
        Some(("z", step)) => Action::Centres(CentreAction::decode(step)?),
        Some(("bt", dates)) => {
            let (from, to) = dates.split_once('.')?;
            Action::CentreTable(Period::new(day(from)?, day(to)?)?)
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
            "y" => Action::Confirm,
            "n" => Action::Reject,
            "un" => Action::UseAsName,
            "sa" => Action::SaveAll,
            "dl" => Action::DropLine,
            "de" => Action::EditDocument,
            "dk" => Action::KeepDocumentPart,
            "du" => Action::SaveUpload,
            "dx" => Action::SkipUpload,
            "hn" => Action::CancelHandIn,
            "ia" => Action::ImportAdd,
            "ix" => Action::ImportSkip,
            _ => return None,
        },
    };
    Some((stamp, action))
}

/// A period as button data: `YYYYMMDD.YYYYMMDD`.
fn dates(period: Period) -> String {
    format!(
        "{}.{}",
        period.from.format("%Y%m%d"),
        period.to.format("%Y%m%d")
    )
}

/// `<centre>.<from>.<to>`: a centre id and a period (from on or before to).
fn centre_and_period(text: &str) -> Option<(u64, Period)> {
    let (centre, dates) = text.split_once('.')?;
    let (from, to) = dates.split_once('.')?;
    Some((number(centre)?, Period::new(day(from)?, day(to)?)?))
}

/// A decimal id: digits only (no sign, no spaces), within `u64`.
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The one-letter code of a role in button data.
fn role_code(role: Role) -> &'static str {
    match role {
        Role::Organiser => "o",
        Role::Director => "d",
        Role::Supervisor => "s",
    }
}

fn role_of(code: &str) -> Option<Role> {
    match code {
        "o" => Some(Role::Organiser),
        "d" => Some(Role::Director),
        "s" => Some(Role::Supervisor),
        _ => None,
    }
}

/// A date written `YYYYMMDD` (exactly eight digits, a real day).
fn date_of(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 {
        return None;
    }
    let digits = number(text)?;
    let year = i32::try_from(digits / 10_000).ok()?;
    let month = u32::try_from(digits / 100 % 100).ok()?;
    let day = u32::try_from(digits % 100).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
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
            Just(Action::Confirm),
            Just(Action::Reject),
            Just(Action::UseAsName),
            Just(Action::SaveAll),
            any::<u64>().prop_map(Action::FixLine),
            Just(Action::DropLine),
            any_role().prop_map(Action::InviteRole),
            (any_role(), any::<u64>()).prop_map(|(role, id)| Action::InviteCentre { role, id }),
            any_role().prop_map(Action::InviteNewCentre),
            (any_role(), any::<u32>()).prop_map(|(role, page)| Action::InvitePage { role, page }),
            (0i32..=3_652_424).prop_map(|days| Action::NoSessionOn(
                NaiveDate::from_num_days_from_ce_opt(days + 1).unwrap_or_default()
            )),
            any_class_action().prop_map(Action::Classes),
            (0i32..3_000_000, 0i32..400).prop_map(|(from, days)| {
                let from = NaiveDate::from_num_days_from_ce_opt(from + 1).expect("a date");
                let to = from + chrono::Duration::days(i64::from(days));
                Action::Document(Period::new(from, to).expect("ordered"))
            }),
            (0i32..3_000_000, 0i32..400).prop_map(|(from, days)| {
                let from = NaiveDate::from_num_days_from_ce_opt(from + 1).expect("a date");
                let to = from + chrono::Duration::days(i64::from(days));
                Action::CentreTable(Period::new(from, to).expect("ordered"))
            }),
            Just(Action::EditDocument),
            id.prop_map(Action::DocumentPart),
            Just(Action::KeepDocumentPart),
            Just(Action::SaveUpload),
            Just(Action::SkipUpload),
            (any::<u64>(), any_period())
                .prop_map(|(centre, period)| Action::HandIn { centre, period }),
            (any::<u64>(), any_period())
                .prop_map(|(centre, period)| Action::ConfirmHandIn { centre, period }),
            Just(Action::CancelHandIn),
            any_centre_action().prop_map(Action::Centres),
            Just(Action::ImportAdd),
            Just(Action::ImportSkip),
        ]
    }

    fn any_period() -> impl Strategy<Value = Period> {
        (0i32..3_000_000, 0i32..400).prop_map(|(from, days)| {
            let from = NaiveDate::from_num_days_from_ce_opt(from + 1).expect("a date");
            let to = from + chrono::Duration::days(i64::from(days));
            Period::new(from, to).expect("ordered")
        })
    }

    fn any_centre_action() -> impl Strategy<Value = CentreAction> {
        prop_oneof![
            any::<u32>().prop_map(CentreAction::List),
            any::<u64>().prop_map(CentreAction::Open),
            any::<u64>().prop_map(CentreAction::Rename),
            any::<u64>().prop_map(CentreAction::ConfirmRename),
            (any::<u64>(), any::<u32>())
                .prop_map(|(from, page)| CentreAction::Merge { from, page }),
            (any::<u64>(), any::<u64>())
                .prop_map(|(from, into)| CentreAction::MergeInto { from, into }),
            (any::<u64>(), any::<u64>())
                .prop_map(|(from, into)| CentreAction::ConfirmMerge { from, into }),
        ]
    }

    fn any_class_action() -> impl Strategy<Value = ClassAction> {
        prop_oneof![
            any::<u32>().prop_map(ClassAction::List),
            any::<u64>().prop_map(ClassAction::Open),
            any::<u64>().prop_map(ClassAction::Rename),
            any::<u64>().prop_map(ClassAction::ConfirmRename),
            (any::<u64>(), any::<u32>()).prop_map(|(from, page)| ClassAction::Merge { from, page }),
            (any::<u64>(), any::<u64>())
                .prop_map(|(from, into)| ClassAction::MergeInto { from, into }),
            (any::<u64>(), any::<u64>())
                .prop_map(|(from, into)| ClassAction::ConfirmMerge { from, into }),
        ]
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(vec![Role::Organiser, Role::Director, Role::Supervisor])
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
            "1:ir.x",
            "1:ic.d",
            "1:ic.d.-3",
            "1:ip.o.99999999999",
            "1:ns.2026113",
            "1:ns.20261131",
            "1:ns.2026-11-3",
            "1:k",
            "1:k.",
            "1:k.o",
            "1:k.o.",
            "1:k.zz.1",
            "1:k.mi.1",
            "1:k.mi.1.",
            "1:k.my.1.2.3",
            "1:k.l.4294967296",
            "1:dw.20201031.20200101",
            "1:dw.20200230.20201031",
            "1:dw.2020101.20201031",
            "1:dw.+2020101.20201031",
            "1:dp.Signer",
            "1:hi.1.20201031.20200101",
            "1:hi.1.20200101",
            "1:hi.-1.20200101.20201031",
            "1:hi..20200101.20201031",
            "1:hy.1.20200101.20201031.5",
            "1:hy.1.2020010.20201031",
            "1:z",
            "1:z.o",
            "1:z.mi.1",
            "1:z.my.1.2.3",
            "1:z.zz.1",
        ] {
            assert_eq!(decode(forged), None, "{forged:?}");
        }
        assert_eq!(decode(&"1:".repeat(40)), None);
    }
}
