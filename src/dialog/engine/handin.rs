//! Handing a period report in to the education office, and the supervisors' view of who
//! has: "📤 Nộp báo cáo" under a director's report or document asks once ("Nộp báo cáo …
//! cho phòng giáo dục?") and then hands it in; `/submissions [period]` (`/nopbaocao`)
//! lists every centre as handed in (when, by whom, changed since?), not yet, or late
//! against its deadline reminder's day.
//!
//! The button carries the centre and the period, so it keeps working under an older
//! report; both are untrusted: only a director of that very centre may hand it in, which
//! is checked again when the button is pressed and when the hand-in is confirmed.

use super::super::callback::Action;
use super::super::io::{Button, Effect, Keyboard, Reply};
use super::super::parse;
use super::Turn;
use crate::domain::{CentreId, Period};
use crate::format::{escape_html, format_count, format_date};
use crate::roles::Role;
use crate::submission::{default_period, due_date, local_text, period_text, HandIn, Standing};
use std::collections::BTreeMap;

/// How many characters one message of `/submissions` holds at most: Telegram allows
/// 4,096 after entity parsing, and a line is far shorter than the margin left.
const MESSAGE_CHARS: usize = 3_500;

impl Turn<'_> {
    /// The "📤 Nộp báo cáo" button of a report of `centre` for `period`, when the sender
    /// directs that centre (supervisors and the roll-up have none).
    pub(super) fn handin_button(&self, centre: Option<CentreId>, period: Period) -> Option<Button> {
        let centre = centre.filter(|&c| self.may_hand_in(c))?;
        Some(self.button(
            self.text("handin.button"),
            &Action::HandIn { centre, period },
        ))
    }

    fn may_hand_in(&self, centre: CentreId) -> bool {
        self.access.role_in(centre) == Some(Role::Director)
    }

    /// The button was pressed: ask before anything is sent.
    pub(super) fn handin_pressed(&mut self, centre: CentreId, period: Period) {
        if !self.may_hand_in(centre) {
            return self.refuse_handin();
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let mut html = self.catalog.render(
            "handin.confirm",
            self.lang,
            &[
                ("centre", &escape_html(&self.centre_label(centre))),
                ("period", &period_text(period)),
            ],
        );
        if let Some(previous) = self.facts.latest_handin(centre, period) {
            html.push('\n');
            html.push_str(&self.catalog.render(
                "handin.confirm_again",
                self.lang,
                &[
                    ("at", &local_text(previous.local_at)),
                    ("name", &escape_html(&previous.person())),
                ],
            ));
        }
        let rows = vec![
            vec![self.button(
                self.text("handin.confirm_button"),
                &Action::ConfirmHandIn { centre, period },
            )],
            vec![self.button(self.text("dialog.cancel_button"), &Action::CancelHandIn)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// "✅ Nộp": hand it in (the stamp was checked, the sender's role is checked again).
    pub(super) fn handin_confirmed(&mut self, centre: CentreId, period: Period) {
        if !self.may_hand_in(centre) {
            return self.refuse_handin();
        }
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.effects.push(Effect::HandIn { centre, period });
    }

    /// "Hủy" under the question: nothing is sent.
    pub(super) fn handin_cancelled(&mut self) {
        self.state.stamp = self.state.stamp.wrapping_add(1);
        self.effects.push(Effect::CloseButtons);
        self.say_key("handin.cancelled");
        self.remind_draft();
    }

    /// The runtime stored the hand-in and queued it to the supervisors.
    pub(super) fn handed_in(
        &mut self,
        centre_name: &str,
        period: Period,
        recipients: usize,
        superseded: bool,
    ) {
        let key = if recipients == 0 {
            "handin.done_nobody"
        } else {
            "handin.done"
        };
        let html = self.catalog.render(
            key,
            self.lang,
            &[
                ("centre", &escape_html(centre_name)),
                ("period", &period_text(period)),
                ("recipients", &recipients.to_string()),
            ],
        );
        self.say(html);
        if superseded {
            self.say_key("handin.superseded");
        }
        self.remind_draft();
    }

    /// A hand-in button of a centre the sender does not direct (forged, or a role lost).
    fn refuse_handin(&mut self) {
        let notice = self.text("handin.refused");
        self.effects.push(Effect::Notice(notice));
    }

    /// `/submissions [period]` (`/nopbaocao`): every centre's standing for the period,
    /// what needs chasing first.
    pub(super) fn submissions(&mut self, args: &str) {
        if !self.access.supervisor {
            self.say_key("access.supervisors_only");
            return self.remind_draft();
        }
        let period = if args.is_empty() {
            default_period(self.facts.year_start(), self.now.today)
        } else {
            match parse::period(args) {
                Some(period) => period,
                None => {
                    let html = self.catalog.render(
                        "report.bad_period",
                        self.lang,
                        &[("input", &escape_html(args))],
                    );
                    return self.say(html);
                }
            }
        };
        let mut handed: BTreeMap<CentreId, HandIn> = self
            .facts
            .latest_handins(period)
            .into_iter()
            .map(|handin| (handin.centre, handin))
            .collect();
        let mut rows: Vec<(Standing, String)> = self
            .facts
            .centres()
            .into_iter()
            .map(|(id, name)| {
                let due = self.facts.deadline(id).map(|d| due_date(d, period));
                (Standing::of(handed.remove(&id), due, self.now.today), name)
            })
            .collect();
        rows.sort_by_cached_key(|(standing, name)| (standing.rank(), parse::fold(name)));
        let done = rows
            .iter()
            .filter(|(s, _)| matches!(s, Standing::HandedIn { .. }))
            .count();
        let mut lines = vec![self.catalog.render(
            "handin.list_heading",
            self.lang,
            &[
                ("period", &period_text(period)),
                ("handed", &format_count(done as u64, self.lang)),
                ("centres", &format_count(rows.len() as u64, self.lang)),
            ],
        )];
        for (standing, name) in &rows {
            lines.push(self.standing_line(standing, name));
        }
        lines.push(self.text("handin.list_hint"));
        self.say_lines(lines);
        self.remind_draft();
    }

    /// One centre's line of `/submissions`.
    fn standing_line(&self, standing: &Standing, centre: &str) -> String {
        let centre = escape_html(centre);
        match standing {
            Standing::Late { due } => self.catalog.render(
                "handin.line_late",
                self.lang,
                &[("centre", &centre), ("due", &format_date(*due))],
            ),
            Standing::Missing { due: Some(due) } => self.catalog.render(
                "handin.line_missing_due",
                self.lang,
                &[("centre", &centre), ("due", &format_date(*due))],
            ),
            Standing::Missing { due: None } => {
                self.catalog
                    .render("handin.line_missing", self.lang, &[("centre", &centre)])
            }
            Standing::HandedIn { handin, late_after } => {
                let key = if handin.changed {
                    "handin.line_changed"
                } else {
                    "handin.line_done"
                };
                let mut line = self.catalog.render(
                    key,
                    self.lang,
                    &[
                        ("centre", &centre),
                        ("at", &local_text(handin.local_at)),
                        ("name", &escape_html(&handin.person())),
                        (
                            "attendance",
                            &format_count(handin.total().attendance, self.lang),
                        ),
                    ],
                );
                if let Some(due) = late_after {
                    line.push(' ');
                    line.push_str(&self.catalog.render(
                        "handin.late_suffix",
                        self.lang,
                        &[("due", &format_date(*due))],
                    ));
                }
                line
            }
        }
    }

    /// Sends `lines` as few messages as fit Telegram's length.
    fn say_lines(&mut self, lines: Vec<String>) {
        // Whatever was said before goes first.
        self.flush();
        let mut message = String::new();
        for line in lines {
            if !message.is_empty() && message.len() + line.len() + 1 > MESSAGE_CHARS {
                self.effects.push(Effect::Reply(Reply {
                    html: std::mem::take(&mut message),
                    keyboard: None,
                }));
            }
            if !message.is_empty() {
                message.push('\n');
            }
            message.push_str(&line);
        }
        if !message.is_empty() {
            self.effects.push(Effect::Reply(Reply {
                html: message,
                keyboard: None,
            }));
        }
    }
}
