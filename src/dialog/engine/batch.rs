//! Several quick-entry lines in one message (back-filling from a paper register): one
//! summary listing every line with what is wrong or unusual in it, then Save all, fix a
//! line, or cancel. Everything is saved in one transaction or nothing is.

use super::super::callback::Action;
use super::super::io::{Button, Effect, Keyboard, SavedInfo};
use super::super::parse;
use super::super::quick::QuickEntry;
use super::super::similar;
use super::super::state::Batch;
use super::Turn;
use crate::domain::{ClassChoice, NewSession, SessionId};
use crate::format::{escape_html, format_count, format_date};
use std::collections::BTreeMap;

/// At most this many lines are taken from one message.
const MAX_LINES: usize = 30;

/// Fix buttons per row.
const FIX_BUTTONS_PER_ROW: usize = 5;

/// One line of a multi-line entry as read now.
struct LineCheck {
    /// The session the line would save, when nothing blocks it.
    session: Option<NewSession>,
    /// What the line says, as the summary shows it (escaped HTML).
    shown: String,
    /// Why it cannot be saved (escaped HTML).
    problems: Vec<String>,
    /// What is unusual and worth a look before saving (escaped HTML).
    notes: Vec<String>,
}

impl Turn<'_> {
    /// The lines of a multi-line entry: `Some` when the text has at least two non-empty
    /// lines and at least two of them read as quick entries.
    pub(super) fn entry_lines(&self, text: &str) -> Option<Vec<String>> {
        let lines: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if lines.len() < 2 {
            return None;
        }
        let parser = self.catalog.quick_parser()?;
        let entries = lines
            .iter()
            .take(MAX_LINES + 1)
            .filter(|l| parser.parse(l, self.now.today).is_some())
            .count();
        (entries >= 2).then_some(lines)
    }

    /// Starts confirming `lines` together.
    pub(super) fn start_batch(&mut self, lines: Vec<String>) {
        if lines.len() > MAX_LINES {
            let html = self.catalog.render(
                "batch.too_many",
                self.lang,
                &[
                    ("max", &MAX_LINES.to_string()),
                    ("count", &lines.len().to_string()),
                ],
            );
            return self.say(html);
        }
        let Some(centre) = self.member_centre() else {
            if self.access.centres.is_empty() {
                self.say_key("access.supervisor_cannot_log");
            } else {
                self.choose_centre(false);
            }
            return;
        };
        self.state.batch = Some(Batch {
            centre,
            lines,
            today: self.now.today,
            fixing: None,
            touched: None,
        });
        self.show_batch();
    }

    /// The summary of every line, with Save all (when nothing blocks it), a fix button
    /// per line and Cancel.
    pub(super) fn show_batch(&mut self) {
        let Some(batch) = self.state.batch.clone() else {
            return;
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let checks = self.check_lines(&batch);
        let mut text = Vec::new();
        for (index, check) in checks.iter().enumerate() {
            let mut line = format!("<b>{}.</b> {}", index + 1, check.shown);
            for problem in &check.problems {
                line.push_str(&format!("\n    ❌ {problem}"));
            }
            for note in &check.notes {
                line.push_str(&format!("\n    ⚠️ {note}"));
            }
            text.push(line);
        }
        let blocked = checks.iter().filter(|c| !c.problems.is_empty()).count();
        let html = self.catalog.render(
            if blocked == 0 {
                "batch.summary"
            } else {
                "batch.summary_blocked"
            },
            self.lang,
            &[
                ("lines", &text.join("\n")),
                ("count", &checks.len().to_string()),
                ("blocked", &blocked.to_string()),
            ],
        );
        let mut rows: Vec<Vec<Button>> = Vec::new();
        if blocked == 0 {
            let label = self.catalog.render(
                "batch.save_all_button",
                self.lang,
                &[("count", &checks.len().to_string())],
            );
            rows.push(vec![self.button(label, &Action::SaveAll)]);
        }
        let fixes: Vec<Button> = (0..checks.len())
            .map(|index| self.button(format!("✏️ {}", index + 1), &Action::FixLine(index as u64)))
            .collect();
        rows.extend(fixes.chunks(FIX_BUTTONS_PER_ROW).map(<[_]>::to_vec));
        rows.push(vec![
            self.button(self.text("dialog.cancel_button"), &Action::Cancel)
        ]);
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// A button pressed under a multi-line summary or a fix prompt.
    pub(super) fn batch_pressed(&mut self, action: Action) {
        let Some(batch) = self.state.batch.clone() else {
            return self.stale();
        };
        match (batch.fixing, action) {
            (None, Action::SaveAll) => {
                let checks = self.check_lines(&batch);
                let sessions: Option<Vec<NewSession>> =
                    checks.into_iter().map(|c| c.session).collect();
                match sessions {
                    Some(sessions) if !sessions.is_empty() => {
                        self.state.batch = None;
                        self.effects.push(Effect::CloseButtons);
                        self.effects.push(Effect::SaveSessions(sessions));
                    }
                    // Something changed since the summary (a class was renamed): show it again.
                    _ => self.show_batch(),
                }
            }
            (None, Action::FixLine(index)) => {
                let Some(line) = usize::try_from(index)
                    .ok()
                    .and_then(|i| batch.lines.get(i).map(|l| (i, l.clone())))
                else {
                    return self.stale();
                };
                if let Some(open) = &mut self.state.batch {
                    open.fixing = Some(line.0);
                }
                self.ask_fix_line();
            }
            (None, Action::Cancel) | (Some(_), Action::Cancel) => {
                self.state.batch = None;
                self.effects.push(Effect::CloseButtons);
                let html = self.text("dialog.cancelled");
                let keyboard = self.main_keyboard();
                self.say_with(html, keyboard);
            }
            (Some(index), Action::DropLine) => {
                if let Some(open) = &mut self.state.batch {
                    if index < open.lines.len() {
                        open.lines.remove(index);
                    }
                    open.fixing = None;
                    if open.lines.is_empty() {
                        self.state.batch = None;
                        return self.say_key("dialog.cancelled");
                    }
                }
                self.show_batch();
            }
            (Some(_), Action::Back) => {
                if let Some(open) = &mut self.state.batch {
                    open.fixing = None;
                }
                self.show_batch();
            }
            _ => self.stale(),
        }
    }

    /// "Type line 2 again (now: …)".
    fn ask_fix_line(&mut self) {
        let Some((index, line)) = self.state.batch.as_ref().and_then(|b| {
            b.fixing
                .and_then(|i| b.lines.get(i).map(|l| (i, l.clone())))
        }) else {
            return self.show_batch();
        };
        self.state.stamp = self.state.stamp.wrapping_add(1);
        let html = self.catalog.render(
            "batch.fix_prompt",
            self.lang,
            &[
                ("number", &(index + 1).to_string()),
                ("line", &escape_html(&line)),
            ],
        );
        let rows = vec![
            vec![self.button(self.text("batch.drop_line_button"), &Action::DropLine)],
            vec![self.button(self.text("dialog.back_button"), &Action::Back)],
        ];
        self.say_with(html, Keyboard::Inline(rows));
    }

    /// The line typed again for the line being fixed.
    pub(super) fn batch_line_typed(&mut self, text: &str) {
        if text.lines().filter(|l| !l.trim().is_empty()).count() != 1 {
            self.say_key("batch.one_line");
            return self.ask_fix_line();
        }
        if let Some(batch) = &mut self.state.batch {
            if let Some(index) = batch.fixing.take() {
                if let Some(line) = batch.lines.get_mut(index) {
                    *line = text.trim().to_owned();
                }
            }
        }
        self.show_batch();
    }

    /// The lines of the open multi-line entry as a list (escaped HTML), for notices about it.
    pub(super) fn batch_lines(&self) -> String {
        self.state
            .batch
            .as_ref()
            .map(|b| {
                b.lines
                    .iter()
                    .map(|l| format!("• {}", escape_html(l)))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// The confirmation after a multi-line entry was saved.
    pub(super) fn batch_saved(&mut self, sessions: &[SessionId], info: &SavedInfo) {
        let lang = self.lang;
        let count = |n: u64| format_count(n, lang);
        let numbers = sessions
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let period = format!(
            "{} – {}",
            format_date(info.period.from),
            format_date(info.period.to)
        );
        let html = self.catalog.render(
            "batch.saved",
            lang,
            &[
                ("count", &sessions.len().to_string()),
                ("numbers", &numbers),
                ("classes", &count(info.centre_totals.classes)),
                ("attendance", &count(info.centre_totals.attendance)),
                ("female", &count(info.centre_totals.female)),
                ("period", &period),
            ],
        );
        let keyboard = self.main_keyboard();
        self.say_with(html, keyboard);
    }

    /// Every line of `batch` read and checked, earlier lines counting for duplicates.
    fn check_lines(&self, batch: &Batch) -> Vec<LineCheck> {
        let mut checks: Vec<LineCheck> = Vec::new();
        for line in &batch.lines {
            let check = self.check_line(batch, line, &checks);
            checks.push(check);
        }
        checks
    }

    fn check_line(&self, batch: &Batch, line: &str, earlier: &[LineCheck]) -> LineCheck {
        let lang = self.lang;
        let entry = self
            .catalog
            .quick_parser()
            .and_then(|p| p.parse(line, batch.today));
        let Some(entry) = entry else {
            return LineCheck {
                session: None,
                shown: escape_html(line),
                problems: vec![self.text("batch.not_an_entry")],
                notes: Vec::new(),
            };
        };
        let mut problems: Vec<String> = entry
            .problems
            .iter()
            .map(|p| self.quick_problem_text(&entry, p))
            .collect();
        let mut notes = Vec::new();
        let date = entry.date.unwrap_or(batch.today);
        if entry.date_year_guessed && self.reader().far_back(date) {
            notes.push(self.catalog.render(
                "batch.old_date",
                lang,
                &[("date", &self.show_date(date))],
            ));
        }
        let group_label = self
            .catalog
            .group(&entry.group)
            .map_or_else(|| entry.group.clone(), |g| g.short.get(lang).to_owned());
        let mut shown = vec![escape_html(&group_label)];
        let class = entry.class.as_ref().map(|name| {
            let (display, key) = parse::class_name(name);
            self.batch_class(batch, &entry, display, &key, &mut notes)
        });
        if let Some((_, label)) = &class {
            shown.push(label.clone());
        }
        shown.push(self.show_date(date));
        if let (Some(total), Some(female)) = (entry.total, entry.female) {
            shown.push(self.catalog.render(
                "batch.numbers",
                lang,
                &[
                    ("total", &format_count(u64::from(total), lang)),
                    ("female", &format_count(u64::from(female), lang)),
                ],
            ));
        }
        let session = match (&class, entry.total, entry.female) {
            (Some((choice, _)), Some(total), Some(female)) if problems.is_empty() => {
                Some(NewSession {
                    centre: batch.centre,
                    organiser: self.sender.user,
                    group: entry.group.clone(),
                    class: choice.clone(),
                    date,
                    total,
                    female,
                    extra: BTreeMap::new(),
                    created_at: self.now.at,
                })
            }
            _ => None,
        };
        if let Some(session) = &session {
            if let Some(usual) = self.large_total(session) {
                notes.push(match usual {
                    Some(usual) => self.catalog.render(
                        "batch.large_usual",
                        lang,
                        &[("usual", &format_count(u64::from(usual), lang))],
                    ),
                    None => self.text("batch.large"),
                });
            }
            if let Some(existing) = self.stored_duplicate(session) {
                notes.push(self.catalog.render(
                    "batch.duplicate_stored",
                    lang,
                    &[("number", &existing.to_string())],
                ));
            }
            if let Some(index) = earlier
                .iter()
                .position(|c| c.session.as_ref().is_some_and(|s| same_entry(s, session)))
            {
                notes.push(self.catalog.render(
                    "batch.duplicate_line",
                    lang,
                    &[("line", &(index + 1).to_string())],
                ));
            }
        } else if problems.is_empty() {
            problems.push(self.text("batch.not_an_entry"));
        }
        LineCheck {
            session,
            shown: shown.join(" · "),
            problems,
            notes,
        }
    }

    /// The class a line names: an existing class of its group (same key), else a new
    /// one, marked, with a note when a class of the same name exists elsewhere.
    fn batch_class(
        &self,
        batch: &Batch,
        entry: &QuickEntry,
        display: String,
        key: &str,
        notes: &mut Vec<String>,
    ) -> (ClassChoice, String) {
        if let Some(existing) = self.facts.class_by_key(batch.centre, &entry.group, key) {
            return (
                ClassChoice::Existing(existing.id),
                escape_html(&existing.name),
            );
        }
        let classes = self.facts.centre_classes(batch.centre);
        let close = similar::close_match(
            key,
            classes
                .iter()
                .map(|(class, _)| (class.id, class.name.as_str())),
        )
        .or_else(|| {
            let folded = parse::fold(key);
            classes
                .iter()
                .find(|(class, _)| parse::fold(&class.name) == folded)
                .map(|(class, _)| class.id)
        });
        if let Some((class, group)) = close.and_then(|id| classes.iter().find(|(c, _)| c.id == id))
        {
            let group = self
                .catalog
                .group(group)
                .map_or_else(|| group.clone(), |g| g.short.get(self.lang).to_owned());
            notes.push(self.catalog.render(
                "batch.similar_class",
                self.lang,
                &[
                    ("name", &escape_html(&class.name)),
                    ("group", &escape_html(&group)),
                ],
            ));
        }
        let label = self.new_class_label(&display);
        (
            ClassChoice::New {
                name: display,
                key: key.to_owned(),
            },
            label,
        )
    }
}

/// Whether two sessions of one message are the same session typed twice.
fn same_entry(a: &NewSession, b: &NewSession) -> bool {
    a.group == b.group
        && a.class == b.class
        && a.date == b.date
        && a.total == b.total
        && a.female == b.female
}
