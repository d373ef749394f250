//! Commands (`/log`, `/report 1-10/2020`, ...): who may use which, and what each does.
//!
//! Strangers learn what the bot is and how to get an invitation, and nothing else: no
//! command tells them which centres exist.

use super::super::callback::{Action, PeriodChoice};
use super::super::io::Keyboard;
use super::super::parse;
use super::Turn;
use crate::domain::{Lang, Period, YearStart};
use crate::format::escape_html;
use crate::roles::Role;
use chrono::{Datelike, NaiveDate};

/// What a command needs from the sender, checked before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Anyone, strangers included.
    Anyone,
    /// A member of some centre.
    Member,
    /// A director of some centre, or a supervisor.
    Manager,
}

impl Turn<'_> {
    pub(super) fn command(&mut self, name: &str, args: &str) {
        // A command is not the typed answer a question outside the dialog waited for.
        self.state.pending = None;
        let needs = match name {
            "start" | "help" | "lang" | "cancel" => Needs::Anyone,
            "log" | "totals" | "centre" | "format" | "mute" | "unmute" | "mine" | "undo" => {
                Needs::Member
            }
            _ => Needs::Manager,
        };
        if !self.sender.private {
            return self.group_command(name, args);
        }
        // A command ends the typing of a document part (the next text is not taken as
        // one) and drops the changes of a document sent back that wait for confirmation.
        self.state.document_edit = None;
        self.state.document_upload = None;
        let allowed = match needs {
            Needs::Anyone => true,
            Needs::Member => !self.access.is_stranger(),
            Needs::Manager => {
                self.access.supervisor
                    || self.access.centres.iter().any(|m| m.role == Role::Director)
            }
        };
        if !allowed {
            if self.access.is_stranger() {
                self.say_key("access.not_member");
            } else {
                self.say_key("access.directors_only");
                self.remind_draft();
            }
            return;
        }
        match name {
            "start" => self.start(args),
            // `/log sk 45 30 …` is a new entry like the same line typed: it never lands in
            // an open draft.
            "log" if !args.is_empty() && self.is_new_entry(args) => self.new_entry(args),
            "log" if !args.is_empty() && self.state.draft.is_none() => {
                if !self.quick_entry(args) {
                    self.show_format();
                }
            }
            "log" => self.log_command(),
            "format" => {
                self.show_format();
                self.remind_draft();
            }
            "mine" => self.list_sessions(false),
            "sessions" => self.list_sessions(true),
            "undo" => self.undo(),
            "deleted" => self.list_deleted(),
            "mute" => self.mute(true),
            "unmute" => self.mute(false),
            "remind" | "reminders" => self.say_key("remind.usage"),
            "deadline" => self.deadline(args),
            "cancel" => self.cancel(),
            "help" => {
                if self.access.is_stranger() {
                    self.say_key("access.stranger_welcome");
                } else {
                    self.say_key("help");
                    if !self.access.centres.is_empty() {
                        self.show_format();
                    }
                    if self.access.centres.iter().any(|m| m.role == Role::Director) {
                        self.say_key("guide.manage");
                    }
                    if self.access.supervisor {
                        self.say_key("guide.supervise");
                    }
                    self.remind_draft();
                }
            }
            "lang" => self.lang(args),
            "totals" => self.totals(),
            "report" => self.report(args),
            "baocao" | "document" => self.document_command(name, args),
            "silent" | "imlang" => self.silent_command(args),
            "centre" => self.choose_centre(false),
            "invite" => self.invite(args),
            "revoke" => self.revoke(args),
            "members" => self.list_members(),
            "audit" => self.show_audit(),
            "classes" | "lop" => self.classes_command(),
            "submissions" | "nopbaocao" => self.submissions(args),
            "centres" | "trungtam" => self.centres_command(),
            "mau" | "template" => self.template_command(),
            "link" => self.say_key("link.group_only"),
            other => {
                let html = self.catalog.render(
                    "dialog.unknown_command",
                    self.lang,
                    &[("command", &escape_html(&format!("/{other}")))],
                );
                self.say(html);
                self.remind_draft();
            }
        }
    }

    /// Commands in a group chat: no data entry there; directors link the group.
    fn group_command(&mut self, name: &str, args: &str) {
        match name {
            "link" => self.link_group(args),
            "remind" => self.remind(args),
            "reminders" => self.list_reminders(),
            "help" => self.say_key("help"),
            _ => self.say_key("dialog.not_in_group"),
        }
    }

    fn start(&mut self, payload: &str) {
        if payload == "log" {
            return self.log_command();
        }
        // The button of the deadline reminder opens the report of the year so far; others
        // get the ordinary welcome, so the payload reveals nothing.
        let manager =
            self.access.supervisor || self.access.centres.iter().any(|m| m.role == Role::Director);
        if payload == "report" && manager {
            return self.report("");
        }
        if is_invite_code(payload) {
            self.effects.push(super::Effect::RedeemInvite {
                code: payload.to_owned(),
            });
            return;
        }
        if self.access.is_stranger() {
            return self.say_key("access.stranger_welcome");
        }
        if self.state.draft.is_some() {
            return self.log_command();
        }
        let html = self.text("welcome");
        let keyboard = self.main_keyboard();
        self.say_with(html, keyboard);
    }

    /// `/log` and the "log a session" button: continue a draft, or start one for the
    /// user's centre (asking which one first when they belong to several).
    pub(super) fn log_command(&mut self) {
        if self.access.is_stranger() {
            return self.say_key("access.not_member");
        }
        if self.state.draft.is_some() {
            return self.start_or_resume(0);
        }
        match self.member_centre() {
            Some(centre) => self.start_or_resume(centre),
            None if self.access.centres.is_empty() => self.say_key("access.supervisor_cannot_log"),
            None => self.choose_centre(true),
        }
    }

    fn lang(&mut self, args: &str) {
        match parse_lang(args) {
            Some(lang) => {
                self.state.lang = Some(lang);
                self.lang = lang;
                let html = self.text("lang.changed");
                if self.access.is_stranger() {
                    self.say(html);
                } else {
                    let keyboard = self.main_keyboard();
                    self.say_with(html, keyboard);
                }
            }
            None => self.say_key("lang.usage"),
        }
        self.remind_draft();
    }

    fn totals(&mut self) {
        let centre = match self.state.draft.as_ref() {
            Some(draft) => Some(draft.centre),
            None => match self.member_centre() {
                Some(centre) => Some(centre),
                None if self.access.supervisor && self.access.centres.is_empty() => {
                    self.state.centre
                }
                None => return self.choose_centre(false),
            },
        };
        self.effects.push(super::Effect::ShowTotals { centre });
        self.remind_draft();
    }

    fn report(&mut self, args: &str) {
        if let Some(period) = self.period_argument("report", args) {
            self.report_for(period);
        }
        self.remind_draft();
    }

    /// The period a `/report` or `/baocao` argument names, the reporting year so far when
    /// there is none; `None` after telling the sender the period was not understood.
    ///
    /// `command` is the command typed (`report`, `baocao`, `document`), which the examples
    /// of a period not understood name.
    pub(super) fn period_argument(&mut self, command: &str, args: &str) -> Option<Period> {
        let period = if args.is_empty() {
            Some(Period::reporting_year_to_date(
                self.facts.year_start(),
                self.now.today,
            ))
        } else {
            parse::period(args)
        };
        if period.is_none() {
            let html = self.catalog.render(
                "report.bad_period",
                self.lang,
                &[("input", &escape_html(args)), ("command", command)],
            );
            self.say(html);
        }
        period
    }

    /// The report of `period` for the centre the sender may see: supervisors the chosen
    /// centre or the roll-up, directors their centre.
    pub(super) fn report_for(&mut self, period: Period) {
        let centre = if self.access.supervisor {
            self.state.centre
        } else {
            match self.managed_centre() {
                Some(centre) => Some(centre),
                None if self.access.centres.iter().any(|m| m.role == Role::Director) => {
                    return self.choose_centre(false)
                }
                None => return self.say_key("access.directors_only"),
            }
        };
        let buttons = PeriodChoice::ALL
            .into_iter()
            .map(|choice| {
                let key = match choice {
                    PeriodChoice::ThisMonth => "report.this_month",
                    PeriodChoice::LastMonth => "report.last_month",
                    PeriodChoice::ThisYear => "report.this_year",
                    PeriodChoice::LastYear => "report.last_year",
                };
                self.button(self.text(key), &Action::Period(choice))
            })
            .collect::<Vec<_>>();
        let mut rows: Vec<Vec<_>> = buttons.chunks(2).map(<[_]>::to_vec).collect();
        rows.push(vec![self.button(
            self.text("document.word_button"),
            &Action::Document(period),
        )]);
        rows.extend(self.handin_button(centre, period).map(|b| vec![b]));
        let keyboard = Keyboard::Inline(rows);
        // The roll-up's centre list gets the button for the whole centre × group table.
        let centres_keyboard = centre.is_none().then(|| {
            Keyboard::Inline(vec![vec![self.button(
                self.text("report.by_centre_button"),
                &Action::CentreTable(period),
            )]])
        });
        self.effects.push(super::Effect::ShowReport {
            centre,
            period,
            keyboard: Some(keyboard),
            centres_keyboard,
        });
    }

    /// The button under the roll-up's centre list: read-only like the period buttons, so
    /// it works on older reports too, but only for a supervisor (checked again now).
    pub(super) fn centre_table_button(&mut self, period: Period) {
        if !self.access.supervisor {
            return self.stale();
        }
        self.effects.push(super::Effect::ShowCentreTable { period });
    }

    /// `/silent [days]` (`/imlang`): the centres with no session in the last `days` days
    /// (30 without a number) and those nobody has joined; supervisors only.
    fn silent_command(&mut self, args: &str) {
        if !self.access.supervisor {
            self.say_key("access.supervisors_only");
            return self.remind_draft();
        }
        match parse::silent_days(args) {
            Some(days) => self.effects.push(super::Effect::ShowSilent { days }),
            None => {
                let html = self.catalog.render(
                    "silent.bad_days",
                    self.lang,
                    &[
                        ("input", &escape_html(args)),
                        ("max", &parse::MAX_SILENT_DAYS.to_string()),
                    ],
                );
                self.say(html);
            }
        }
        self.remind_draft();
    }

    /// A period button under a report: read-only, so it works on older reports too.
    pub(super) fn period_chosen(&mut self, choice: PeriodChoice) {
        if !(self.access.supervisor || self.access.centres.iter().any(|m| m.role == Role::Director))
        {
            return self.stale();
        }
        self.report_for(period_of(choice, self.facts.year_start(), self.now.today));
    }
}

/// The dates a period button stands for, seen from `today`; "this year" and "last year"
/// are reporting years beginning on `year_start`.
pub(super) fn period_of(choice: PeriodChoice, year_start: YearStart, today: NaiveDate) -> Period {
    let first_of_month =
        |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
    let this_month = first_of_month(today.year(), today.month());
    match choice {
        PeriodChoice::ThisMonth => Period {
            from: this_month,
            to: today,
        },
        PeriodChoice::LastMonth => {
            let to = this_month.pred_opt().unwrap_or(this_month);
            Period {
                from: first_of_month(to.year(), to.month()),
                to,
            }
        }
        PeriodChoice::ThisYear => Period::reporting_year_to_date(year_start, today),
        PeriodChoice::LastYear => Period::previous_reporting_year(year_start, today),
    }
}

/// Whether a `/start` payload looks like an invitation code (as made by the runtime).
fn is_invite_code(payload: &str) -> bool {
    (16..=64).contains(&payload.len()) && payload.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn parse_lang(args: &str) -> Option<Lang> {
    match parse::class_name(args).1.as_str() {
        "tiếng việt" | "tieng viet" | "vietnamese" => Some(Lang::Vi),
        "english" | "tiếng anh" | "tieng anh" => Some(Lang::En),
        other => Lang::from_code(other).filter(|_| other.len() == 2),
    }
}
