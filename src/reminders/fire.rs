//! Firing due reminders: inside one store transaction, queue the group message (and the
//! private nudges) in the outbox and record the firing, so each firing is sent exactly
//! once however often the scheduler ticks or the bot restarts.
//!
//! The directors' deadline reminders go the same way: when a centre's monthly reminder is
//! due, each of its directors gets the running totals privately, queued in the same
//! transaction that records the firing.

use super::parse::Audience;
use super::schedule::{due, Due, DEFAULT_GRACE_MINUTES, MONTHLY_GRACE};
use crate::dialog::callback::{self, Action};
use crate::dialog::{Button, Catalog, Keyboard, LinkButton, Reply};
use crate::domain::{CentreId, ChatId, Lang, Period, YearStart};
use crate::format::{escape_html, format_date};
use crate::outgoing::Outgoing;
use crate::report;
use crate::roles::Role;
use crate::store::{DeadlineRecord, ReminderRecord, Source, StoreError, Tx, View};
use chrono::{DateTime, Duration, Utc};

/// What firing takes from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FireOptions {
    /// How late a missed group reminder may still be sent (`reminders.grace_minutes`).
    /// The monthly deadline reminder keeps its own `MONTHLY_GRACE`.
    pub grace: Duration,
    /// The first day of the reporting year (`period_start`), where the deadline
    /// reminder's running totals begin, as `/totals` and a bare `/report` do.
    pub year_start: YearStart,
}

impl Default for FireOptions {
    fn default() -> FireOptions {
        FireOptions {
            grace: Duration::minutes(i64::from(DEFAULT_GRACE_MINUTES)),
            year_start: YearStart::default(),
        }
    }
}

/// What one tick did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tick {
    /// Reminders sent (group reminders and deadline reminders).
    pub fired: usize,
    /// Of those, deadline reminders.
    pub deadlines: usize,
    /// Reminders missed by more than the grace period and skipped.
    pub skipped: usize,
    /// Messages queued (group messages and nudges).
    pub messages: usize,
    /// The earliest future firing of any reminder, to sleep until.
    pub next: Option<DateTime<Utc>>,
}

/// What is due at `now`, read without writing anything: the reminders and deadline
/// reminders to fire or to skip, and the earliest later firing. The scheduler reads it on
/// a snapshot first and takes the writer only when there is something to do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Group reminders to fire or skip: (chat, reminder id, the reminder, its zone, what
    /// to do).
    reminders: Vec<(ChatId, u64, ReminderRecord, chrono_tz::Tz, Due)>,
    /// Deadline reminders to fire or skip: (centre, the deadline, its zone, what to do).
    deadlines: Vec<(CentreId, DeadlineRecord, chrono_tz::Tz, Due)>,
    /// The earliest future firing of any reminder, to sleep until.
    pub next: Option<DateTime<Utc>>,
}

impl Plan {
    /// Whether firing would change anything (a firing or a skip to record).
    pub fn is_idle(&self) -> bool {
        self.reminders.is_empty() && self.deadlines.is_empty()
    }
}

/// Reads which reminders are due at `now` (on a snapshot or inside the firing
/// transaction alike).
pub fn plan<S: Source>(
    view: &View<S>,
    options: FireOptions,
    now: DateTime<Utc>,
) -> Result<Plan, StoreError> {
    let mut plan = Plan::default();
    for (chat, id, reminder) in view.all_reminders()? {
        let Ok(zone) = reminder.zone.parse::<chrono_tz::Tz>() else {
            tracing::warn!(chat, id, zone = %reminder.zone, "reminder with an unknown time zone");
            continue;
        };
        match due(reminder.schedule, zone, reminder.last, now, options.grace) {
            Due::Wait { next } => plan.wait_for(next),
            action => plan.reminders.push((chat, id, reminder, zone, action)),
        }
    }
    for (centre, deadline) in view.all_deadlines()? {
        let Ok(zone) = deadline.zone.parse::<chrono_tz::Tz>() else {
            tracing::warn!(
                centre,
                zone = %deadline.zone,
                "deadline reminder with an unknown time zone"
            );
            continue;
        };
        match due(deadline.timing, zone, deadline.last, now, MONTHLY_GRACE) {
            Due::Wait { next } => plan.wait_for(next),
            action => plan.deadlines.push((centre, deadline, zone, action)),
        }
    }
    Ok(plan)
}

/// Handles every reminder due at `now`.
pub fn fire_due(
    tx: &mut Tx<'_>,
    catalog: &Catalog,
    bot_username: Option<&str>,
    options: FireOptions,
    now: DateTime<Utc>,
) -> Result<Tick, StoreError> {
    let plan = plan(tx, options, now)?;
    let mut tick = Tick {
        next: plan.next,
        ..Tick::default()
    };
    for (chat, id, reminder, zone, action) in plan.reminders {
        match action {
            Due::Wait { .. } => {}
            Due::Skip { at } => {
                tracing::info!(
                    chat,
                    id,
                    %at,
                    grace_min = options.grace.num_minutes(),
                    "reminder missed by more than its grace; skipped"
                );
                tx.set_reminder_last(chat, id, at)?;
                tick.skipped += 1;
            }
            Due::Fire { at } => {
                let since = reminder.last.with_timezone(&zone).date_naive();
                let day = at.with_timezone(&zone).date_naive();
                tick.messages += send(tx, catalog, bot_username, chat, &reminder, since, day)?;
                tx.set_reminder_last(chat, id, at)?;
                tick.fired += 1;
            }
        }
    }
    for (centre, deadline, zone, action) in plan.deadlines {
        match action {
            Due::Wait { .. } => {}
            Due::Skip { at } => {
                tracing::info!(
                    centre,
                    %at,
                    grace_h = MONTHLY_GRACE.num_hours(),
                    "deadline reminder missed by more than its grace; skipped"
                );
                tx.set_deadline_last(centre, at)?;
                tick.skipped += 1;
            }
            Due::Fire { at } => {
                let today = now.with_timezone(&zone).date_naive();
                let due_date = deadline
                    .timing
                    .due_after(at.with_timezone(&zone).date_naive());
                tick.messages += send_deadline(
                    tx,
                    catalog,
                    bot_username,
                    centre,
                    Period::reporting_year_to_date(options.year_start, today),
                    due_date,
                )?;
                tx.set_deadline_last(centre, at)?;
                tick.fired += 1;
                tick.deadlines += 1;
            }
        }
    }
    Ok(tick)
}

impl Plan {
    /// Keeps the earliest of the next firings seen.
    fn wait_for(&mut self, next: Option<DateTime<Utc>>) {
        self.next = match (self.next, next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Queues one deadline firing: to each director of `centre`, in their language, the due
/// date, the totals of `period` (the reporting year so far: the same period and figures as
/// `/totals` and a bare `/report`, so what the report will show) and a button that opens
/// `/report`. Returns how many messages.
fn send_deadline(
    tx: &mut Tx<'_>,
    catalog: &Catalog,
    bot_username: Option<&str>,
    centre: CentreId,
    period: Period,
    due_date: chrono::NaiveDate,
) -> Result<usize, StoreError> {
    let name = tx.centre_name(centre)?.unwrap_or_default();
    let per_group = tx.group_totals(Some(centre), period)?;
    let directors: Vec<_> = tx
        .members(centre)?
        .into_iter()
        .filter(|m| m.role == Role::Director)
        .collect();
    for director in &directors {
        let lang = tx
            .chat_state(director.user)?
            .and_then(|state| state.lang)
            .unwrap_or_default();
        let table = report::build(catalog, &per_group, lang);
        let html = [
            catalog.render(
                "deadline.reminder",
                lang,
                &[
                    ("centre", &escape_html(&name)),
                    ("due", &format_date(due_date)),
                ],
            ),
            report::render_totals(catalog, &table, period, lang),
            catalog.text("deadline.hint", lang).to_owned(),
        ]
        .join("\n\n");
        let keyboard = bot_username.map(|bot| {
            Keyboard::Links(vec![vec![LinkButton {
                label: catalog.text("button.report", lang).to_owned(),
                url: format!("https://t.me/{bot}?start=report"),
            }]])
        });
        tx.push_outgoing(&Outgoing::reply(director.user, Reply { html, keyboard }))?;
    }
    Ok(directors.len())
}

/// Queues one firing's messages; returns how many. `since` is the local date of the
/// previous firing, `day` the local date of this one.
fn send(
    tx: &mut Tx<'_>,
    catalog: &Catalog,
    bot_username: Option<&str>,
    chat: ChatId,
    reminder: &ReminderRecord,
    since: chrono::NaiveDate,
    day: chrono::NaiveDate,
) -> Result<usize, StoreError> {
    let centre = tx.centre_name(reminder.centre)?.unwrap_or_default();
    let link = |lang: Lang| {
        bot_username.map(|bot| {
            Keyboard::Links(vec![vec![LinkButton {
                label: catalog.text("button.log", lang).to_owned(),
                url: format!("https://t.me/{bot}?start=log"),
            }]])
        })
    };
    // Group chats read the default language.
    let lang = Lang::default();
    let mut html = catalog.render("reminder.group", lang, &[("centre", &escape_html(&centre))]);
    let missing = match reminder.audience {
        Audience::Group => Vec::new(),
        Audience::GroupNamingMissing | Audience::NudgeMissing => {
            let mut missing = Vec::new();
            // Whoever said they held no session today is not missing anything today.
            for member in tx.members_without_sessions_since(reminder.centre, since)? {
                if !tx.had_no_session(reminder.centre, member.user, day)? {
                    missing.push(member);
                }
            }
            missing
        }
    };
    let mut keyboard = link(lang);
    if reminder.audience == Audience::GroupNamingMissing {
        html.push_str("\n\n");
        if missing.is_empty() {
            html.push_str(catalog.text("reminder.all_reported", lang));
        } else {
            let names: Vec<String> = missing
                .iter()
                .map(|m| escape_html(&display_name(&m.name, m.user)))
                .collect();
            html.push_str(&catalog.render(
                "reminder.missing",
                lang,
                &[("names", &names.join(", "))],
            ));
            // Someone named who held no session says so with one tap, and is not named
            // again that day. The button carries the day, not a dialog stamp: a group's
            // reminders are not part of any chat's dialog.
            let no_session = vec![vec![Button {
                label: catalog.text("reminder.no_session_button", lang).to_owned(),
                data: callback::encode(0, &Action::NoSessionOn(day)),
            }]];
            keyboard = Some(match keyboard {
                Some(Keyboard::Links(links)) => Keyboard::LinksAndButtons {
                    links,
                    buttons: no_session,
                },
                _ => Keyboard::Inline(no_session),
            });
        }
    }
    tx.push_outgoing(&Outgoing::reply(chat, Reply { html, keyboard }))?;
    let mut messages = 1;
    if reminder.audience == Audience::NudgeMissing {
        for member in missing {
            if tx.is_muted(member.user)? {
                continue;
            }
            let lang = tx
                .chat_state(member.user)?
                .and_then(|state| state.lang)
                .unwrap_or_default();
            let html = catalog.render("reminder.nudge", lang, &[("centre", &escape_html(&centre))]);
            tx.push_outgoing(&Outgoing::reply(
                member.user,
                Reply {
                    html,
                    keyboard: link(lang),
                },
            ))?;
            messages += 1;
        }
    }
    Ok(messages)
}

fn display_name(name: &str, user: i64) -> String {
    if name.trim().is_empty() {
        format!("#{user}")
    } else {
        name.trim().to_owned()
    }
}
