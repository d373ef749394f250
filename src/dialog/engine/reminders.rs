//! Reminder commands: `/remind` and `/reminders` in a linked group chat (directors),
//! `/mute`, `/unmute` for an organiser's private nudges, and `/deadline` in a director's
//! private chat for the monthly reminder before the report is due; and the "no session
//! today" button under a group reminder that names who has not reported.

use super::super::io::Effect;
use super::Turn;
use crate::domain::Lang;
use crate::format::format_date;
use crate::reminders::parse::{
    deadline_command, describe, remind_command, Audience, DeadlineCommand, RemindCommand,
};
use crate::reminders::schedule::Monthly;
use chrono::NaiveDate;

impl Turn<'_> {
    /// "No session today" under a group reminder, pressed by someone in the group: a
    /// member of the group's centre is recorded as having held no session on the
    /// reminder's day; anyone else gets a polite notice. The button answers with a notice
    /// only, so the group chat stays quiet.
    pub(super) fn no_session_pressed(&mut self, day: NaiveDate) {
        let centre = if self.sender.private {
            None
        } else {
            self.facts.group_centre(self.sender.chat)
        };
        // The reminder's own day, or the day before for a late evening reminder pressed
        // after midnight; anything else is an old message (or forged data).
        let recent =
            day <= self.now.today && self.now.today.signed_duration_since(day).num_days() <= 1;
        let Some(centre) = centre.filter(|_| recent) else {
            return self.stale();
        };
        let notice = if self.access.may_log(centre) {
            self.effects.push(Effect::NoSessionDay {
                centre,
                user: self.sender.user,
                day,
            });
            self.catalog.render(
                "reminder.no_session_noted",
                self.lang,
                &[("date", &format_date(day))],
            )
        } else {
            self.text("reminder.no_session_not_member")
        };
        self.effects.push(Effect::Notice(notice));
    }

    /// `/remind …` in a group: set or turn off the group's reminders.
    pub(super) fn remind(&mut self, args: &str) {
        let Some(centre) = self.facts.group_centre(self.sender.chat) else {
            return self.say_key("remind.not_linked");
        };
        if !self.access.may_manage(centre) {
            return self.say_key("access.directors_only");
        }
        match remind_command(args) {
            None => self.say_key("remind.usage"),
            Some(RemindCommand::Off) => {
                self.effects.push(Effect::RemoveReminders {
                    chat: self.sender.chat,
                });
                self.say_key("remind.off");
            }
            Some(RemindCommand::Set { schedule, audience }) => {
                self.effects.push(Effect::SetReminder {
                    chat: self.sender.chat,
                    centre,
                    schedule,
                    audience,
                });
                let audience = match audience {
                    Audience::Group => String::new(),
                    Audience::GroupNamingMissing => self.text("remind.audience_missing"),
                    Audience::NudgeMissing => self.text("remind.audience_nudge"),
                };
                let html = self.catalog.render(
                    "remind.set",
                    self.lang,
                    &[
                        ("schedule", &describe(schedule, self.lang == Lang::Vi)),
                        ("audience", &audience),
                    ],
                );
                self.say(html);
            }
        }
    }

    /// `/reminders` in a group: list them.
    pub(super) fn list_reminders(&mut self) {
        if self.facts.group_centre(self.sender.chat).is_none() {
            return self.say_key("remind.not_linked");
        }
        let reminders = self.facts.reminders(self.sender.chat);
        if reminders.is_empty() {
            return self.say_key("remind.none");
        }
        let mut lines = vec![self.text("remind.list")];
        for (schedule, audience) in reminders {
            let extra = match audience {
                Audience::Group => String::new(),
                Audience::GroupNamingMissing => self.text("remind.audience_missing"),
                Audience::NudgeMissing => self.text("remind.audience_nudge"),
            };
            lines.push(format!(
                "• {}{extra}",
                describe(schedule, self.lang == Lang::Vi)
            ));
        }
        self.say(lines.join("\n"));
    }

    /// `/mute` and `/unmute` in the private chat.
    pub(super) fn mute(&mut self, muted: bool) {
        self.effects.push(Effect::SetMuted(muted));
        self.say_key(if muted { "mute.on" } else { "mute.off" });
        self.remind_draft();
    }

    /// `/deadline …` in the private chat: set or turn off the centre's deadline reminder.
    pub(super) fn deadline(&mut self, args: &str) {
        let Some(centre) = self.managed_centre() else {
            // A director of several centres picks one first, then types the command again.
            return self.choose_centre(false);
        };
        if !self.access.may_manage(centre) {
            return self.say_key("access.directors_only");
        }
        match deadline_command(args) {
            None => {
                // The usage, preceded by what is set now, so that a director can check the
                // reminder without changing it.
                let now = match self.facts.deadline(centre) {
                    Some(timing) => self.deadline_text("deadline.current", timing),
                    None => self.text("deadline.none"),
                };
                self.say(now);
                self.say_key("deadline.usage");
            }
            Some(DeadlineCommand::Off) => {
                self.effects.push(Effect::SetDeadline {
                    centre,
                    timing: None,
                });
                self.say_key("deadline.off");
            }
            Some(DeadlineCommand::Set(timing)) => {
                self.effects.push(Effect::SetDeadline {
                    centre,
                    timing: Some(timing),
                });
                let html = self.deadline_text("deadline.set", timing);
                self.say(html);
            }
        }
        self.remind_draft();
    }

    /// Text `key` with a deadline reminder's day, days before and time filled in.
    fn deadline_text(&self, key: &str, timing: Monthly) -> String {
        self.catalog.render(
            key,
            self.lang,
            &[
                ("day", &timing.day.to_string()),
                ("days", &timing.days_before.to_string()),
                ("time", &timing.time.format("%H:%M").to_string()),
            ],
        )
    }
}
