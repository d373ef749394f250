//! Centres, invitations, people, the audit log and group links: the director's and the
//! supervisor's side of the bot. Every button and command re-checks the sender's access,
//! because callback data and arguments are untrusted.

use super::super::callback::Action;
use super::super::io::{Effect, Keyboard};
use super::super::parse;
use super::Turn;
use crate::domain::{CentreId, UserId};
use crate::format::{escape_html, format_date};
use crate::roles::{InviteProblem, Role};

/// How many audit entries `/audit` shows.
const AUDIT_LINES: usize = 20;

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

    pub(super) fn invite(&mut self, args: &str) {
        let (word, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
        let rest = rest.trim();
        let Some(role) = Role::from_word(word) else {
            return self.say_key("invite.usage");
        };
        let effect = match role {
            Role::Supervisor if self.access.supervisor => Effect::CreateInvite {
                role,
                centre: None,
                new_centre: None,
            },
            Role::Supervisor => return self.say_key("access.supervisors_only"),
            _ if self.access.supervisor && !rest.is_empty() => {
                let (name, _) = parse::class_name(rest);
                Effect::CreateInvite {
                    role,
                    centre: None,
                    new_centre: Some(name),
                }
            }
            _ => match self.managed_centre() {
                Some(centre) if self.access.may_invite(role, Some(centre)) => {
                    Effect::CreateInvite {
                        role,
                        centre: Some(centre),
                        new_centre: None,
                    }
                }
                Some(_) => return self.say_key("access.directors_only"),
                None if self.access.supervisor => return self.say_key("invite.usage"),
                None => return self.choose_centre(false),
            },
        };
        self.effects.push(effect);
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
        for entry in entries {
            let detail = if entry.after.is_empty() {
                entry.before
            } else {
                entry.after
            };
            lines.push(self.catalog.render(
                "audit.line",
                self.lang,
                &[
                    ("at", &format_date(entry.at.date_naive())),
                    ("actor", &entry.actor.to_string()),
                    ("action", &escape_html(&entry.action)),
                    ("detail", &escape_html(&detail)),
                ],
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

/// A member's name for lists: the Telegram first name, or the id when there is none.
fn display_name(name: &str, user: UserId) -> String {
    if name.trim().is_empty() {
        format!("#{user}")
    } else {
        name.trim().to_owned()
    }
}
