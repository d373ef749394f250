//! Centres, invitations, people, the audit log and group links: the director's and the
//! supervisor's side of the bot. Every button and command re-checks the sender's access,
//! because callback data and arguments are untrusted.

use super::super::callback::Action;
use super::super::io::{Effect, Keyboard};
use super::super::parse;
use super::super::state::Pending;
use super::Turn;
use crate::domain::{CentreId, UserId};
use crate::format::escape_html;
use crate::roles::{InviteProblem, Role};

/// How many audit entries `/audit` shows.
const AUDIT_LINES: usize = 20;

/// How many centres one page of the invitation's "which centre?" shows: a phone screen
/// of buttons, one per row because centre names are long.
const CENTRES_PER_PAGE: usize = 8;

/// The longest centre name accepted from a typed invitation, in characters.
const MAX_CENTRE_NAME: usize = 120;

impl Turn<'_> {
    /// The centre the sender logs for: the chosen one, or their only one.
    pub(super) fn member_centre(&self) -> Option<CentreId> {
        match self.state.centre {
            Some(centre) if self.access.may_log(centre) => Some(centre),
            _ if self.access.centres.len() == 1 => Some(self.access.centres[0].centre),
            _ => None,
        }
    }

    /// The centre the sender manages right now: the chosen one, or the only centre they
    /// direct.
    pub(super) fn managed_centre(&self) -> Option<CentreId> {
        if let Some(centre) = self.state.centre {
            if self.access.may_manage(centre) && self.centre_exists(centre) {
                return Some(centre);
            }
        }
        let mut directed = self
            .access
            .centres
            .iter()
            .filter(|m| m.role == Role::Director);
        match (directed.next(), directed.next()) {
            (Some(only), None) => Some(only.centre),
            _ => None,
        }
    }

    fn centre_exists(&self, centre: CentreId) -> bool {
        self.access.role_in(centre).is_some()
            || (self.access.supervisor && self.facts.centres().iter().any(|(id, _)| *id == centre))
    }

    pub(super) fn centre_label(&self, centre: CentreId) -> String {
        self.access
            .centres
            .iter()
            .find(|m| m.centre == centre)
            .map(|m| m.centre_name.clone())
            .or_else(|| {
                self.facts
                    .centres()
                    .into_iter()
                    .find(|(id, _)| *id == centre)
                    .map(|(_, name)| name)
            })
            .unwrap_or_default()
    }

    fn role_name(&self, role: Role) -> String {
        self.text(&format!("role.{}", role.code()))
    }

    /// Buttons of the centres the sender may choose (every centre for a supervisor, with
    /// "all centres" first).
    pub(super) fn choose_centre(&mut self, then_log: bool) {
        let mut options: Vec<(u64, String)> = if self.access.supervisor && !then_log {
            let mut all = vec![(0, self.text("access.all_centres"))];
            all.extend(self.facts.centres());
            all
        } else {
            self.access
                .centres
                .iter()
                .map(|m| (m.centre, m.centre_name.clone()))
                .collect()
        };
        options.truncate(50);
        if options.is_empty() {
            return self.say_key("access.no_centres");
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let rows = options
            .into_iter()
            .map(|(id, name)| vec![self.button(name, &Action::Centre { id, then_log })])
            .collect();
        let html = self.text("access.choose_centre");
        self.say_with(html, Keyboard::Inline(rows));
    }

    pub(super) fn centre_chosen(&mut self, id: u64, then_log: bool) {
        if id == 0 && self.access.supervisor {
            self.state.centre = None;
            let html = self.catalog.render(
                "access.centre_chosen",
                self.lang,
                &[("centre", &escape_html(&self.text("access.all_centres")))],
            );
            return self.say(html);
        }
        if id == 0 || !self.centre_exists(id) {
            return self.stale();
        }
        self.state.centre = Some(id);
        let name = self.centre_label(id);
        let html = self.catalog.render(
            "access.centre_chosen",
            self.lang,
            &[("centre", &escape_html(&name))],
        );
        self.say(html);
        if then_log && self.access.may_log(id) && self.state.draft.is_none() {
            self.start_or_resume(id);
        } else {
            self.remind_draft();
        }
    }

    // ---- Invitations. ----

    /// `/invite [role] [centre name]`: whatever is missing is asked with buttons (the
    /// role, then for a supervisor or a director of several centres the centre).
    pub(super) fn invite(&mut self, args: &str) {
        if args.is_empty() {
            return self.ask_invite_role();
        }
        match Role::split_word(args) {
            Some((role, rest)) => self.invite_as(role, rest),
            None => {
                let html = self.catalog.render(
                    "invite.unknown_role",
                    self.lang,
                    &[("word", &escape_html(args))],
                );
                self.say(html);
                self.ask_invite_role();
            }
        }
    }

    /// The roles the sender may give out, in the order offered.
    fn invitable_roles(&self) -> Vec<Role> {
        let directs = self.access.centres.iter().any(|m| m.role == Role::Director);
        [Role::Organiser, Role::Director, Role::Supervisor]
            .into_iter()
            .filter(|role| match role {
                Role::Supervisor => self.access.supervisor,
                _ => self.access.supervisor || directs,
            })
            .collect()
    }

    fn ask_invite_role(&mut self) {
        let roles = self.invitable_roles();
        if roles.is_empty() {
            return self.say_key("access.directors_only");
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let rows = roles
            .into_iter()
            .map(|role| {
                let label = capitalised(&self.role_name(role));
                vec![self.button(label, &Action::InviteRole(role))]
            })
            .collect();
        let html = self.text("invite.ask_role");
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// Invites as `role`; `rest` is the centre's name a supervisor may type after it.
    fn invite_as(&mut self, role: Role, rest: &str) {
        match role {
            Role::Supervisor if self.access.supervisor => {
                self.effects.push(Effect::CreateInvite {
                    role,
                    centre: None,
                    new_centre: None,
                });
            }
            Role::Supervisor => self.say_key("access.supervisors_only"),
            _ if self.access.supervisor && !rest.is_empty() => {
                self.invite_to_named_centre(role, rest);
            }
            // Without a name a supervisor always chooses: a centre chosen earlier with
            // /centre for reports is too easy to forget when inviting its director.
            _ if self.access.supervisor => self.ask_invite_centre(role, 0),
            _ => match self.managed_centre() {
                Some(centre) if self.access.may_invite(role, Some(centre)) => {
                    self.effects.push(Effect::CreateInvite {
                        role,
                        centre: Some(centre),
                        new_centre: None,
                    });
                }
                Some(_) => self.say_key("access.directors_only"),
                None => self.ask_invite_centre(role, 0),
            },
        }
    }

    /// A supervisor's invitation to the centre named `typed`: an existing centre whose
    /// name folds to the same letters (case, spacing, diacritics), or a new one. Returns
    /// false (having said why) when the name cannot be a centre's.
    fn invite_to_named_centre(&mut self, role: Role, typed: &str) -> bool {
        let (name, _) = parse::class_name(typed);
        let letters = name.chars().filter(|c| c.is_alphanumeric()).count();
        let length = name.chars().count();
        if letters < 2 || length > MAX_CENTRE_NAME {
            let html = self.catalog.render(
                "invite.bad_centre_name",
                self.lang,
                &[("max", &MAX_CENTRE_NAME.to_string())],
            );
            self.say(html);
            return false;
        }
        let wanted = parse::fold(&name);
        let existing = self
            .facts
            .centres()
            .into_iter()
            .find(|(_, known)| parse::fold(known) == wanted);
        self.effects.push(match existing {
            Some((centre, _)) => Effect::CreateInvite {
                role,
                centre: Some(centre),
                new_centre: None,
            },
            None => Effect::CreateInvite {
                role,
                centre: None,
                new_centre: Some(name),
            },
        });
        true
    }

    /// The centres an invitation as `role` may be for: every centre for a supervisor
    /// (sorted by name, to be found on a long list), else the centres the sender directs.
    fn invite_centres(&self) -> Vec<(CentreId, String)> {
        if self.access.supervisor {
            let mut all = self.facts.centres();
            all.sort_by_cached_key(|(id, name)| (parse::fold(name), *id));
            all
        } else {
            self.access
                .centres
                .iter()
                .filter(|m| m.role == Role::Director)
                .map(|m| (m.centre, m.centre_name.clone()))
                .collect()
        }
    }

    /// "Which centre?" for an invitation as `role`: one page of centres as buttons, the
    /// page buttons when there are more, and "new centre" for a supervisor.
    pub(super) fn ask_invite_centre(&mut self, role: Role, page: u32) {
        if role == Role::Supervisor || !self.invitable_roles().contains(&role) {
            return self.stale();
        }
        let centres = self.invite_centres();
        if centres.is_empty() && !self.access.supervisor {
            return self.say_key("access.directors_only");
        }
        let pages = centres.len().div_ceil(CENTRES_PER_PAGE).max(1);
        let page = usize::try_from(page).unwrap_or(usize::MAX).min(pages - 1);
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let mut rows: Vec<Vec<_>> = centres
            .into_iter()
            .skip(page * CENTRES_PER_PAGE)
            .take(CENTRES_PER_PAGE)
            .map(|(id, name)| vec![self.button(name, &Action::InviteCentre { role, id })])
            .collect();
        let mut turn_page = Vec::new();
        let page_button = |turn: &Self, key: &str, page: usize| {
            turn.button(
                turn.text(key),
                &Action::InvitePage {
                    role,
                    page: u32::try_from(page).unwrap_or(0),
                },
            )
        };
        if page > 0 {
            turn_page.push(page_button(self, "invite.previous_page", page - 1));
        }
        if page + 1 < pages {
            turn_page.push(page_button(self, "invite.next_page", page + 1));
        }
        if !turn_page.is_empty() {
            rows.push(turn_page);
        }
        if self.access.supervisor {
            rows.push(vec![self.button(
                self.text("invite.new_centre_button"),
                &Action::InviteNewCentre(role),
            )]);
        }
        let mut html = self.catalog.render(
            "invite.ask_centre",
            self.lang,
            &[("role", &self.role_name(role))],
        );
        if pages > 1 {
            html.push(' ');
            html.push_str(&self.catalog.render(
                "invite.page",
                self.lang,
                &[
                    ("page", &(page + 1).to_string()),
                    ("pages", &pages.to_string()),
                ],
            ));
        }
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// A role button of `/invite`: invite as that role (asking the centre if needed).
    pub(super) fn invite_role_chosen(&mut self, role: Role) {
        if !self.invitable_roles().contains(&role) {
            return self.stale();
        }
        self.close_invite_buttons();
        self.invite_as(role, "");
    }

    /// A centre button of `/invite`: the centre is checked again, since the data is
    /// untrusted and access may have changed since the buttons were shown.
    pub(super) fn invite_centre_chosen(&mut self, role: Role, id: CentreId) {
        let allowed = role != Role::Supervisor
            && if self.access.supervisor {
                self.facts.centres().iter().any(|(known, _)| *known == id)
            } else {
                self.access.may_invite(role, Some(id))
            };
        if !allowed {
            return self.stale();
        }
        self.close_invite_buttons();
        self.effects.push(Effect::CreateInvite {
            role,
            centre: Some(id),
            new_centre: None,
        });
    }

    /// "New centre" under the centre question: its name is the next typed message.
    pub(super) fn ask_new_centre_name(&mut self, role: Role) {
        if role == Role::Supervisor || !self.access.supervisor {
            return self.stale();
        }
        self.close_invite_buttons();
        self.state.pending = Some(Pending::NewCentreName {
            role,
            stamp: self.state.stamp,
        });
        let html = self.catalog.render(
            "invite.new_centre_prompt",
            self.lang,
            &[("role", &self.role_name(role))],
        );
        self.say(html);
    }

    /// A typed message answering a question outside the session dialog, if one waits;
    /// returns whether the message was taken as that answer.
    pub(super) fn pending_answer(&mut self, text: &str) -> bool {
        let Some(pending) = self.state.pending.take() else {
            return false;
        };
        match pending {
            Pending::NewCentreName { role, stamp } => {
                // Buttons shown since the question, or a lost supervisor role, make it moot.
                if stamp != self.state.stamp || !self.access.supervisor {
                    return false;
                }
                if !self.invite_to_named_centre(role, text) {
                    // The name was refused: the question still waits for a better one.
                    self.state.pending = Some(Pending::NewCentreName { role, stamp });
                }
                true
            }
        }
    }

    /// An invitation button was used: its message loses its buttons and older buttons
    /// stop working, so a double tap cannot create two invitations.
    fn close_invite_buttons(&mut self) {
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
    }

    pub(super) fn invite_created(
        &mut self,
        code: &str,
        link: Option<&str>,
        role: Role,
        centre: Option<&str>,
        days: i64,
    ) {
        let link = link.map_or_else(|| format!("/start {code}"), str::to_owned);
        let html = self.catalog.render(
            "invite.created",
            self.lang,
            &[
                ("role", &self.role_name(role)),
                ("centre", &escape_html(centre.unwrap_or("—"))),
                ("link", &escape_html(&link)),
                ("code", code),
                ("days", &days.to_string()),
            ],
        );
        self.say(html);
    }

    pub(super) fn invite_redeemed(
        &mut self,
        result: Result<(Role, Option<String>), InviteProblem>,
    ) {
        // The access read at the start of this step predates the new role.
        self.access = self.facts.access(self.sender.user);
        match result {
            Ok((role, centre)) => {
                let html = self.catalog.render(
                    "invite.joined",
                    self.lang,
                    &[
                        ("role", &self.role_name(role)),
                        ("centre", &escape_html(centre.as_deref().unwrap_or("—"))),
                    ],
                );
                let keyboard = self.main_keyboard();
                self.say_with(html, keyboard);
            }
            Err(InviteProblem::Unknown) => self.say_key("invite.unknown"),
            Err(InviteProblem::Used) => self.say_key("invite.used"),
            Err(InviteProblem::Revoked) => self.say_key("invite.revoked"),
            Err(InviteProblem::Expired) => self.say_key("invite.expired"),
        }
    }

    pub(super) fn revoke(&mut self, args: &str) {
        let code = args.trim();
        let allowed = self.facts.invite(code).is_some_and(|(_, centre, creator)| {
            creator == self.sender.user
                || self.access.supervisor
                || centre.is_some_and(|c| self.access.may_manage(c))
        });
        if allowed {
            self.effects.push(Effect::RevokeInvite {
                code: code.to_owned(),
            });
            self.say_key("invite.revoke_done");
        } else {
            // Codes of other centres are "not found" too: a code says nothing to outsiders.
            self.say_key("invite.not_found");
        }
    }

    // ---- People. ----

    pub(super) fn list_members(&mut self) {
        let Some(centre) = self.managed_centre() else {
            return self.choose_centre(false);
        };
        let members = self.facts.members(centre);
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let mut lines = vec![self.catalog.render(
            "members.heading",
            self.lang,
            &[("centre", &escape_html(&self.centre_label(centre)))],
        )];
        let mut rows = Vec::new();
        for member in &members {
            let name = display_name(&member.name, member.user);
            lines.push(self.catalog.render(
                "members.line",
                self.lang,
                &[
                    ("name", &escape_html(&name)),
                    ("role", &self.role_name(member.role)),
                    ("user", &member.user.to_string()),
                ],
            ));
            if member.user != self.sender.user {
                let label =
                    self.catalog
                        .render("members.remove_button", self.lang, &[("name", &name)]);
                if let Ok(user) = u64::try_from(member.user) {
                    rows.push(vec![self.button(label, &Action::RemoveMember(user))]);
                }
            }
        }
        if rows.is_empty() {
            self.say(lines.join("\n"));
        } else {
            self.say_with(lines.join("\n"), Keyboard::Inline(rows));
        }
    }

    /// The member `user` of the centre the sender manages, if both hold.
    fn managed_member(&self, user: u64) -> Option<(CentreId, UserId, String)> {
        let centre = self.managed_centre()?;
        let user = UserId::try_from(user).ok()?;
        if user == self.sender.user {
            return None;
        }
        self.facts
            .members(centre)
            .into_iter()
            .find(|m| m.user == user)
            .map(|m| (centre, user, display_name(&m.name, m.user)))
    }

    pub(super) fn ask_remove_member(&mut self, user: u64) {
        let Some((_, _, name)) = self.managed_member(user) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "members.confirm_remove",
            self.lang,
            &[("name", &escape_html(&name))],
        );
        let confirm = self.button(
            self.text("members.confirm_button"),
            &Action::ConfirmRemove(user),
        );
        self.say_with(html, Keyboard::Inline(vec![vec![confirm]]));
    }

    pub(super) fn remove_member(&mut self, user: u64) {
        let Some((centre, user, name)) = self.managed_member(user) else {
            return self.stale();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::RemoveMember { centre, user });
        let html = self.catalog.render(
            "members.removed",
            self.lang,
            &[("name", &escape_html(&name))],
        );
        self.say(html);
    }

    // ---- Audit log and group links. ----

    pub(super) fn show_audit(&mut self) {
        let Some(centre) = self.managed_centre() else {
            return self.choose_centre(false);
        };
        let entries = self.facts.audit(centre, AUDIT_LINES);
        if entries.is_empty() {
            return self.say_key("audit.empty");
        }
        let mut lines = vec![self.catalog.render(
            "audit.heading",
            self.lang,
            &[("centre", &escape_html(&self.centre_label(centre)))],
        )];
        // Names as the centre knows them, then the education office's officers (who
        // rename and merge centres); anyone else shows as their id.
        let members = self.facts.members(centre);
        let supervisors = self.facts.supervisors();
        let name_of = |user: UserId| {
            members
                .iter()
                .find(|m| m.user == user)
                .map(|m| display_name(&m.name, user))
                .or_else(|| {
                    supervisors
                        .iter()
                        .find(|(id, _)| *id == user)
                        .map(|(_, name)| display_name(name, user))
                })
        };
        for entry in &entries {
            lines.push(crate::dialog::audit_text::audit_line(
                self.catalog,
                self.lang,
                entry,
                &name_of,
            ));
        }
        self.say(lines.join("\n"));
    }

    /// `/link [centre name]` in a group: a director links the group to their centre.
    pub(super) fn link_group(&mut self, args: &str) {
        let wanted = parse::class_name(args).1;
        let candidates: Vec<(CentreId, String)> = if self.access.supervisor {
            self.facts.centres()
        } else {
            self.access
                .centres
                .iter()
                .filter(|m| m.role == Role::Director)
                .map(|m| (m.centre, m.centre_name.clone()))
                .collect()
        };
        if candidates.is_empty() {
            return if self.access.is_stranger() {
                self.say_key("access.not_member")
            } else {
                self.say_key("access.directors_only")
            };
        }
        let chosen = if wanted.is_empty() && candidates.len() == 1 {
            candidates.first().cloned()
        } else {
            candidates
                .into_iter()
                .find(|(_, name)| !wanted.is_empty() && parse::class_name(name).1 == wanted)
        };
        match chosen {
            Some((centre, name)) => {
                self.effects.push(Effect::LinkGroup {
                    chat: self.sender.chat,
                    centre,
                });
                let html =
                    self.catalog
                        .render("link.done", self.lang, &[("centre", &escape_html(&name))]);
                self.say(html);
            }
            None => self.say_key("link.usage"),
        }
    }
}

/// `text` with its first letter in upper case, for a role name on a button.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A member's name for lists: the Telegram first name, or the id when there is none.
fn display_name(name: &str, user: UserId) -> String {
    if name.trim().is_empty() {
        format!("#{user}")
    } else {
        name.trim().to_owned()
    }
}
