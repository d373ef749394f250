//! Roles and access: who a user is to the bot (stranger, organiser, director, supervisor)
//! and what each role may do. Pure rules, used by the engine and tested as a matrix.

use crate::domain::{CentreId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A role inside one centre, or across the district for a supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Logs sessions for the centre; sees the centre's running totals.
    Organiser,
    /// Everything an organiser can, plus the centre's report, its people and group chat.
    Director,
    /// The education office: every centre's report, the roll-up, creating centres.
    Supervisor,
}

impl Role {
    /// The stable word used in commands, the CLI and invitations.
    pub fn code(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Director => "director",
            Role::Supervisor => "supervisor",
        }
    }

    /// Parses a role word in English or Vietnamese, with or without diacritics, case or
    /// extra spaces: `giám đốc`, `Pho Giam Doc`, `người phụ trách lớp`, `supervisor`.
    pub fn from_word(word: &str) -> Option<Role> {
        match crate::text::fold(word).as_str() {
            "organiser"
            | "organizer"
            | "to chuc"
            | "nguoi to chuc"
            | "phu trach"
            | "nguoi phu trach"
            | "phu trach lop"
            | "nguoi phu trach lop" => Some(Role::Organiser),
            "director" | "giam doc" | "pho giam doc" => Some(Role::Director),
            "supervisor" | "phong gd" | "phong giao duc" | "giam sat" | "can bo phong giao duc" => {
                Some(Role::Supervisor)
            }
            _ => None,
        }
    }

    /// Splits command arguments into a leading role word of up to `MAX_ROLE_WORDS` words
    /// and the rest (a centre name, say): `giám đốc Phường Mới` is the director and
    /// `Phường Mới`. The longest role word wins, so `phó giám đốc` is not read as an
    /// unknown `phó` followed by a centre called `giám đốc`.
    pub fn split_word(args: &str) -> Option<(Role, &str)> {
        let args = args.trim();
        // Where each word ends, in bytes of `args`, so the rest keeps its own spelling.
        let mut ends = Vec::new();
        let mut in_word = false;
        for (at, c) in args.char_indices() {
            if c.is_whitespace() {
                if in_word {
                    ends.push(at);
                }
                in_word = false;
            } else {
                in_word = true;
            }
        }
        if in_word {
            ends.push(args.len());
        }
        ends.iter()
            .take(MAX_ROLE_WORDS)
            .rev()
            .find_map(|&end| Role::from_word(&args[..end]).map(|role| (role, args[end..].trim())))
    }
}

/// The most words a role word has (`cán bộ phòng giáo dục`).
const MAX_ROLE_WORDS: usize = 5;

/// One of the bot's command menus (Telegram's `setMyCommands` scopes): which commands a
/// chat's "/" menu offers. `dialogs/commands.toml` says in which menus each command is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Menu {
    /// Every private chat: what organisers use (strangers see it too).
    Private,
    /// Added to a director's private chat.
    Director,
    /// Added to a supervisor's private chat.
    Supervisor,
    /// Every group chat: linking the group and its reminders.
    Group,
}

impl Menu {
    /// Every menu, in the order `commands.toml` documents them.
    pub const ALL: [Menu; 4] = [Menu::Private, Menu::Director, Menu::Supervisor, Menu::Group];

    /// The word used in `commands.toml`.
    pub fn code(self) -> &'static str {
        match self {
            Menu::Private => "private",
            Menu::Director => "director",
            Menu::Supervisor => "supervisor",
            Menu::Group => "group",
        }
    }

    /// The menu named `code` in `commands.toml`.
    pub fn from_code(code: &str) -> Option<Menu> {
        Menu::ALL.into_iter().find(|menu| menu.code() == code)
    }
}

/// One centre a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub centre: CentreId,
    pub centre_name: String,
    pub role: Role,
}

/// Everything the bot knows about what a user may do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Access {
    pub supervisor: bool,
    /// Centres the user belongs to, by centre id.
    pub centres: Vec<Membership>,
}

impl Access {
    /// The menus whose commands make up this user's own private-chat menu, or nothing when
    /// the menu of every private chat ([`Menu::Private`]) is theirs: organisers and
    /// strangers. A director also logs sessions, so gets the private menu with the
    /// director's; a supervisor who belongs to no centre does not.
    pub fn own_menus(&self) -> Vec<Menu> {
        let director = self.centres.iter().any(|m| m.role == Role::Director);
        if !director && !self.supervisor {
            return Vec::new();
        }
        let mut menus = Vec::new();
        if !self.centres.is_empty() {
            menus.push(Menu::Private);
        }
        if director {
            menus.push(Menu::Director);
        }
        if self.supervisor {
            menus.push(Menu::Supervisor);
        }
        menus
    }

    /// Whether the user directs a centre: the one who may send back the report document
    /// edited in Word (the adapter fetches nobody else's file).
    pub fn may_send_document(&self) -> bool {
        self.centres.iter().any(|m| m.role == Role::Director)
    }

    /// Whether a sessions spreadsheet the user sends is read, to bring in past sessions:
    /// a director's (for the centre they direct) or a supervisor's (for the centre they
    /// chose).
    pub fn may_import(&self) -> bool {
        self.supervisor || self.may_send_document()
    }

    /// Neither a member of any centre nor a supervisor.
    pub fn is_stranger(&self) -> bool {
        !self.supervisor && self.centres.is_empty()
    }

    /// The user's role in `centre`, if any (supervisors have no role inside a centre).
    pub fn role_in(&self, centre: CentreId) -> Option<Role> {
        self.centres
            .iter()
            .find(|m| m.centre == centre)
            .map(|m| m.role)
    }

    /// Whether the user may log sessions for `centre`.
    pub fn may_log(&self, centre: CentreId) -> bool {
        self.role_in(centre).is_some()
    }

    /// Whether the user may see the report of `centre`.
    pub fn may_report(&self, centre: CentreId) -> bool {
        self.supervisor || self.role_in(centre) == Some(Role::Director)
    }

    /// Whether the user may manage people, invitations, the group chat and the audit log
    /// of `centre`.
    pub fn may_manage(&self, centre: CentreId) -> bool {
        self.supervisor || self.role_in(centre) == Some(Role::Director)
    }

    /// Whether the user may give out `role` for `centre` (`None`: a supervisor invitation).
    pub fn may_invite(&self, role: Role, centre: Option<CentreId>) -> bool {
        match (role, centre) {
            (Role::Supervisor, _) => self.supervisor,
            (_, Some(centre)) => self.may_manage(centre),
            (_, None) => false,
        }
    }
}

/// A person of a centre, for `/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user: UserId,
    pub role: Role,
    /// The first name Telegram gave when they joined (may be empty).
    pub name: String,
}

/// Why an invitation code cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteProblem {
    Unknown,
    Used,
    Revoked,
    Expired,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// Who did it (0 for the command line).
    pub actor: UserId,
    /// The centre concerned, if any.
    pub centre: Option<CentreId>,
    /// A short stable word: `member_added`, `member_removed`, `invite_created`, ...
    pub action: String,
    /// What it was before, as JSON text (empty when nothing).
    pub before: String,
    /// What it is after, as JSON text (empty when nothing).
    pub after: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(supervisor: bool, centres: &[(CentreId, Role)]) -> Access {
        Access {
            supervisor,
            centres: centres
                .iter()
                .map(|&(centre, role)| Membership {
                    centre,
                    centre_name: format!("C{centre}"),
                    role,
                })
                .collect(),
        }
    }

    #[test]
    fn own_menus_are_those_of_directors_and_supervisors_only() {
        assert_eq!(access(false, &[]).own_menus(), []);
        assert_eq!(access(false, &[(1, Role::Organiser)]).own_menus(), []);
        assert_eq!(
            access(false, &[(1, Role::Organiser), (2, Role::Director)]).own_menus(),
            [Menu::Private, Menu::Director]
        );
        assert_eq!(access(true, &[]).own_menus(), [Menu::Supervisor]);
        assert_eq!(
            access(true, &[(1, Role::Director)]).own_menus(),
            [Menu::Private, Menu::Director, Menu::Supervisor]
        );
        for menu in Menu::ALL {
            assert_eq!(Menu::from_code(menu.code()), Some(menu));
        }
    }

    #[test]
    fn each_role_may_do_what_its_description_says() {
        let stranger = access(false, &[]);
        let organiser = access(false, &[(1, Role::Organiser)]);
        let director = access(false, &[(1, Role::Director)]);
        let supervisor = access(true, &[]);
        assert!(stranger.is_stranger());
        assert!(!organiser.is_stranger() && !supervisor.is_stranger());
        // Logging: members of the centre only.
        assert!(organiser.may_log(1) && director.may_log(1));
        assert!(!organiser.may_log(2) && !stranger.may_log(1) && !supervisor.may_log(1));
        // Reports: the centre's directors and supervisors.
        assert!(director.may_report(1) && supervisor.may_report(1) && supervisor.may_report(2));
        assert!(!organiser.may_report(1) && !director.may_report(2) && !stranger.may_report(1));
        // Invitations.
        assert!(director.may_invite(Role::Organiser, Some(1)));
        assert!(director.may_invite(Role::Director, Some(1)));
        assert!(!director.may_invite(Role::Organiser, Some(2)));
        assert!(!director.may_invite(Role::Supervisor, None));
        assert!(!organiser.may_invite(Role::Organiser, Some(1)));
        assert!(supervisor.may_invite(Role::Director, Some(7)));
        assert!(supervisor.may_invite(Role::Supervisor, None));
    }

    #[test]
    fn role_words_are_understood_in_both_languages() {
        assert_eq!(Role::from_word("Giám đốc"), Some(Role::Director));
        assert_eq!(Role::from_word("organiser"), Some(Role::Organiser));
        assert_eq!(Role::from_word("SUPERVISOR"), Some(Role::Supervisor));
        assert_eq!(Role::from_word("admin"), None);
        assert_eq!(
            Role::from_word("Người  phụ trách LỚP"),
            Some(Role::Organiser)
        );
        assert_eq!(Role::from_word("pho giam doc"), Some(Role::Director));
    }

    #[test]
    fn a_role_word_of_several_words_is_split_from_the_centre_name() {
        assert_eq!(
            Role::split_word("giám đốc  Phường Mới "),
            Some((Role::Director, "Phường Mới"))
        );
        assert_eq!(Role::split_word("Phó Giám Đốc"), Some((Role::Director, "")));
        assert_eq!(
            Role::split_word("phụ trách lớp Tràng An"),
            Some((Role::Organiser, "Tràng An"))
        );
        assert_eq!(
            Role::split_word("director Giám Sát"),
            Some((Role::Director, "Giám Sát"))
        );
        assert_eq!(Role::split_word("giám sát"), Some((Role::Supervisor, "")));
        assert_eq!(Role::split_word("ông Ba"), None);
        assert_eq!(Role::split_word(""), None);
    }
}
