//! Transitions of the draft, as scripts: each line is an event (or `start`, `unusual
//! …`, `settle`, `typing`), followed by what the draft says comes next, the step it
//! stands at and its answers.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::dialog::catalog::LangText;
use crate::dialog::load_embedded;
use crate::roles::{Membership, Role};
use expect_test::{expect, Expect};
use std::fmt::Write;

/// The shipped questions: group, class, date, total, female.
fn shipped() -> Catalog {
    load_embedded().unwrap()
}

/// The shipped questions and an optional free-text "topic" after them.
fn with_topic() -> Catalog {
    let mut catalog = shipped();
    let text = |s: &str| LangText {
        vi: s.to_owned(),
        en: s.to_owned(),
    };
    catalog.questions.push(Question {
        id: "topic".to_owned(),
        kind: QuestionKind::Text {
            min_len: 2,
            max_len: 100,
        },
        prompt: text("Topic?"),
        label: text("Topic"),
        optional: true,
        errors: BTreeMap::new(),
    });
    catalog
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The event a script line names.
fn event(line: &str) -> Event {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let numbers = || -> (u32, u32) {
        let (a, b) = rest.split_once(' ').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    match word {
        "group" => Event::Answer(Answer::Group(rest.to_owned())),
        "class" => Event::Answer(match rest.strip_prefix('#') {
            Some(known) => {
                let (id, name) = known.split_once(' ').unwrap();
                Answer::Class {
                    id: Some(id.parse().unwrap()),
                    name: name.to_owned(),
                }
            }
            None => Answer::Class {
                id: None,
                name: rest.to_owned(),
            },
        }),
        "date" => Event::Answer(Answer::Date(date(rest))),
        "number" => Event::Answer(Answer::Number(rest.parse().unwrap())),
        "text" => Event::Answer(Answer::Text(rest.to_owned())),
        "skip" => Event::Answer(Answer::Skipped),
        "numbers" => {
            let (total, female) = numbers();
            Event::Numbers { total, female }
        }
        "far-back" => Event::FarBackDate(date(rest)),
        "swap" => {
            let (total, female) = numbers();
            Event::Swap(total, female)
        }
        // `close #7 Tin học` (same group) or `close #7@law Tin học`.
        "close" => {
            let (class, name) = rest.split_once(' ').unwrap();
            let class = class.trim_start_matches('#');
            let (class, group) = match class.split_once('@') {
                Some((class, group)) => (class, Some(group.to_owned())),
                None => (class, None),
            };
            Event::CloseClass(Suggestion {
                typed: "as typed".to_owned(),
                class: class.parse().unwrap(),
                name: name.to_owned(),
                group,
            })
        }
        "new-class" => Event::TypeClassName,
        "refused" => Event::Refused,
        "lost" => Event::Lost,
        "yes" => Event::Yes,
        "no" => Event::No,
        "save" => Event::Save,
        "edit" => Event::Edit,
        "cancel" => Event::Cancel,
        "back" => Event::Back,
        "change" => Event::EditQuestion(rest.to_owned()),
        other => panic!("unknown event {other:?}"),
    }
}

/// Where the draft stands, in a few words.
fn step(step: &Step) -> String {
    let editing = |editing: bool| if editing { " (editing)" } else { "" };
    match step {
        Step::Asking {
            question,
            editing: e,
        } => format!("asking {question}{}", editing(*e)),
        Step::NewClassName {
            question,
            editing: e,
        } => {
            format!("typing a new name for {question}{}", editing(*e))
        }
        Step::ConfirmClass {
            editing: e,
            typed,
            suggestion,
            suggestion_name,
            suggestion_group,
            ..
        } => format!(
            "did you mean #{suggestion} {suggestion_name:?}{} rather than {typed:?}{}",
            suggestion_group
                .as_ref()
                .map_or(String::new(), |g| format!(" of {g}")),
            editing(*e)
        ),
        Step::ConfirmDate {
            question,
            editing: e,
        } => {
            format!("confirming the {question}{}", editing(*e))
        }
        Step::ConfirmSwap { editing: e } => format!("offering the swap{}", editing(*e)),
        Step::ConfirmLarge { usual } => format!("confirming a large total, usual {usual:?}"),
        Step::ConfirmDuplicate { existing } => format!("confirming a duplicate of #{existing}"),
        Step::ConfirmCancel => "confirming the cancel".to_owned(),
        Step::Summary => "summary".to_owned(),
        Step::ChoosingEdit => "choosing an answer to change".to_owned(),
    }
}

/// The draft's answers and what it holds besides, on one line.
fn holds(draft: &Draft) -> String {
    let mut out: Vec<String> = draft
        .answers
        .iter()
        .map(|(id, answer)| {
            let value = match answer {
                Answer::Group(g) | Answer::Choice(g) => g.clone(),
                Answer::Class { id: Some(id), name } => format!("#{id} {name}"),
                Answer::Class { id: None, name } => format!("new {name}"),
                Answer::Date(d) => d.to_string(),
                Answer::Number(n) => n.to_string(),
                Answer::Text(t) => format!("{t:?}"),
                Answer::Skipped => "skipped".to_owned(),
            };
            format!("{id}={value}")
        })
        .collect();
    if let Some(date) = draft.proposed_date {
        out.push(format!("proposed date {date}"));
    }
    if let Some((total, female)) = draft.proposed_swap {
        out.push(format!("proposed {total}/{female}"));
    }
    if !draft.confirmed.is_empty() {
        out.push(format!("confirmed {:?}", draft.confirmed));
    }
    if out.is_empty() {
        return "no answers".to_owned();
    }
    out.join(", ")
}

/// Runs `script` on a new draft of centre 7 and compares the transcript.
fn check_with(catalog: &Catalog, mut draft: Draft, script: &str, expect: Expect) {
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let next = if line == "start" {
            Some(draft.start(catalog))
        } else if line == "settle" {
            draft.settle(catalog)
        } else if line == "typing" {
            let typing = draft.typing();
            let _ = writeln!(out, "{line} → {typing:?}");
            continue;
        } else if let Some(rest) = line.strip_prefix("unusual large ") {
            let usual = rest.parse().ok();
            Some(draft.confirm_first(Unusual::LargeTotal { usual }))
        } else if let Some(rest) = line.strip_prefix("unusual duplicate #") {
            let existing = rest.parse().unwrap();
            Some(draft.confirm_first(Unusual::Duplicate { existing }))
        } else {
            draft.on(catalog, event(line))
        };
        let next = next.map_or("nothing (unchanged)".to_owned(), |n| format!("{n:?}"));
        let _ = writeln!(out, "{line} → {next}: {}", step(&draft.at));
        let _ = writeln!(out, "    {}", holds(&draft));
    }
    expect.assert_eq(&out);
}

fn check(script: &str, expect: Expect) {
    check_with(&shipped(), Draft::new(7, BTreeMap::new()), script, expect);
}

#[test]
fn the_questions_come_one_by_one_then_the_summary() {
    check(
        "start
         group health
         class Phòng chống dịch
         date 2026-12-07
         number 45
         number 30
         save",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class Phòng chống dịch → Ask: asking date
                class=new Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=new Phòng chống dịch, date=2026-12-07, group=health
            number 45 → Ask: asking female
                class=new Phòng chống dịch, date=2026-12-07, group=health, total=45
            number 30 → Ask: summary
                class=new Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            save → Save: summary
                class=new Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
        "#]],
    );
}

#[test]
fn a_button_of_another_step_changes_nothing() {
    check(
        "start
         save
         yes
         change date
         group health
         back
         edit",
        expect![[r#"
            start → Ask: asking group
                no answers
            save → nothing (unchanged): asking group
                no answers
            yes → nothing (unchanged): asking group
                no answers
            change date → nothing (unchanged): asking group
                no answers
            group health → Ask: asking class
                group=health
            back → nothing (unchanged): asking class
                group=health
            edit → nothing (unchanged): asking class
                group=health
        "#]],
    );
}

#[test]
fn an_event_for_another_kind_of_question_changes_nothing() {
    check(
        "start
         close #3 Phòng chống dịch
         new-class
         far-back 2025-12-17
         group health
         far-back 2025-12-17
         numbers 45 30",
        expect![[r#"
            start → Ask: asking group
                no answers
            close #3 Phòng chống dịch → nothing (unchanged): asking group
                no answers
            new-class → nothing (unchanged): asking group
                no answers
            far-back 2025-12-17 → nothing (unchanged): asking group
                no answers
            group health → Ask: asking class
                group=health
            far-back 2025-12-17 → nothing (unchanged): asking class
                group=health
            numbers 45 30 → nothing (unchanged): asking class
                group=health
        "#]],
    );
}

#[test]
fn a_changed_group_drops_the_class_and_asks_it_again() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         number 45
         number 30
         edit
         change group
         group law
         class #9 Luật giao thông
         edit
         change date
         date 2026-12-06
         edit
         change group
         group law
         edit
         back",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            number 45 → Ask: asking female
                class=#3 Phòng chống dịch, date=2026-12-07, group=health, total=45
            number 30 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            change group → AskSameButtons: asking group (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            group law → Ask: asking class (editing)
                date=2026-12-07, female=30, group=law, total=45
            class #9 Luật giao thông → Ask: summary
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            change date → AskSameButtons: asking date (editing)
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            date 2026-12-06 → Ask: summary
                class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
            change group → AskSameButtons: asking group (editing)
                class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
            group law → Ask: summary
                class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
            back → AskSameButtons: summary
                class=#9 Luật giao thông, date=2026-12-06, female=30, group=law, total=45
        "#]],
    );
}

#[test]
fn a_lowered_attendance_drops_a_women_count_above_it() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         numbers 45 30
         edit
         change total
         number 40
         edit
         change total
         number 20
         number 20",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 45 30 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            change total → AskSameButtons: asking total (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            number 40 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=40
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=40
            change total → AskSameButtons: asking total (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=40
            number 20 → Ask: asking female (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, group=health, total=20
            number 20 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=20
        "#]],
    );
}

#[test]
fn back_from_a_changed_question_asks_a_dropped_answer_first() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         numbers 45 30
         edit
         change group
         back
         group law
         back",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 45 30 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            change group → AskSameButtons: asking group (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            back → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            group law → nothing (unchanged): summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            back → nothing (unchanged): summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
        "#]],
    );
}

#[test]
fn more_women_than_people_are_offered_swapped() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         numbers 30 45
         yes
         edit
         change female
         swap 45 30
         typing
         number 20
         edit
         change female
         swap 45 30
         no",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 30 45 → Ask: offering the swap
                class=#3 Phòng chống dịch, date=2026-12-07, group=health, proposed 45/30
            yes → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            change female → AskSameButtons: asking female (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            swap 45 30 → Ask: offering the swap (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, proposed 45/30
            typing → Some(("female", true))
            number 20 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45
            change female → AskSameButtons: asking female (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45
            swap 45 30 → Ask: offering the swap (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=20, group=health, total=45, proposed 45/30
            no → Ask: asking total (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
        "#]],
    );
}

#[test]
fn a_date_far_back_is_confirmed_or_asked_again() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         far-back 2025-12-17
         no
         far-back 2025-12-17
         yes",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            far-back 2025-12-17 → Ask: confirming the date
                class=#3 Phòng chống dịch, group=health, proposed date 2025-12-17
            no → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            far-back 2025-12-17 → Ask: confirming the date
                class=#3 Phòng chống dịch, group=health, proposed date 2025-12-17
            yes → Ask: asking total
                class=#3 Phòng chống dịch, date=2025-12-17, group=health
        "#]],
    );
}

#[test]
fn did_you_mean_takes_the_class_or_the_typed_name() {
    check(
        "start
         group health
         close #3 Phòng chống dịch
         yes
         date 2026-12-07
         numbers 45 30
         edit
         change class
         close #9@law Luật giao thông
         yes
         edit
         change class
         close #3 Phòng chống dịch
         no
         close #3 Phòng chống dịch",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            close #3 Phòng chống dịch → Ask: did you mean #3 "Phòng chống dịch" rather than "as typed"
                group=health
            yes → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 45 30 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            change class → AskSameButtons: asking class (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            close #9@law Luật giao thông → Ask: did you mean #9 "Luật giao thông" of law rather than "as typed" (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            yes → Ask: summary
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            change class → AskSameButtons: asking class (editing)
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            close #3 Phòng chống dịch → Ask: did you mean #3 "Phòng chống dịch" rather than "as typed" (editing)
                class=#9 Luật giao thông, date=2026-12-07, female=30, group=law, total=45
            no → Ask: summary
                class=new as typed, date=2026-12-07, female=30, group=law, total=45
            close #3 Phòng chống dịch → nothing (unchanged): summary
                class=new as typed, date=2026-12-07, female=30, group=law, total=45
        "#]],
    );
}

#[test]
fn a_refused_class_name_is_typed_again_other_answers_are_asked_again() {
    check(
        "start
         group health
         refused
         back
         new-class
         refused
         close #3 Phòng chống dịch
         refused
         class Vẽ tranh
         date 2026-12-07
         refused",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            refused → AskSameButtons: typing a new name for class
                group=health
            back → AskSameButtons: asking class
                group=health
            new-class → AskSameButtons: typing a new name for class
                group=health
            refused → AskSameButtons: typing a new name for class
                group=health
            close #3 Phòng chống dịch → Ask: did you mean #3 "Phòng chống dịch" rather than "as typed"
                group=health
            refused → AskSameButtons: typing a new name for class
                group=health
            class Vẽ tranh → Ask: asking date
                class=new Vẽ tranh, group=health
            date 2026-12-07 → Ask: asking total
                class=new Vẽ tranh, date=2026-12-07, group=health
            refused → AskSameButtons: asking total
                class=new Vẽ tranh, date=2026-12-07, group=health
        "#]],
    );
}

#[test]
fn the_unusual_is_confirmed_before_saving() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         numbers 450 300
         save
         unusual large 45
         no
         number 45
         number 30
         save
         unusual large 45
         yes
         unusual duplicate #12
         edit
         back
         unusual duplicate #12
         no
         unusual duplicate #12
         yes",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 450 300 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
            save → Save: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
            unusual large 45 → Ask: confirming a large total, usual Some(45)
                class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
            no → Ask: asking total (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=300, group=health, total=450
            number 45 → Ask: asking female (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, group=health, total=45
            number 30 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            save → Save: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            unusual large 45 → Ask: confirming a large total, usual Some(45)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            yes → Save: confirming a large total, usual Some(45)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            unusual duplicate #12 → Ask: confirming a duplicate of #12
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            edit → Ask: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            back → AskSameButtons: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            unusual duplicate #12 → Ask: confirming a duplicate of #12
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            no → DropDuplicate: confirming a duplicate of #12
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            unusual duplicate #12 → Ask: confirming a duplicate of #12
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal}
            yes → Save: confirming a duplicate of #12
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45, confirmed {LargeTotal, Duplicate}
        "#]],
    );
}

#[test]
fn cancel_on_a_complete_draft_asks_once() {
    check(
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         numbers 45 30
         cancel
         no
         cancel
         yes
         edit
         cancel",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 45 30 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            cancel → Ask: confirming the cancel
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            no → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            cancel → Ask: confirming the cancel
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            yes → Cancel: confirming the cancel
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            edit → nothing (unchanged): confirming the cancel
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            cancel → nothing (unchanged): confirming the cancel
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
        "#]],
    );
}

/// The draft a quick-entry line makes (its class taken as new), once started.
fn check_quick(line: &str, expect: Expect) {
    let catalog = shipped();
    let today = date("2026-12-07");
    let parser = catalog.quick_parser().unwrap();
    let entry = parser.parse(line, today).unwrap();
    let class = entry
        .class
        .clone()
        .map(|name| Answer::Class { id: None, name });
    let far_back = |d: NaiveDate| (today - d).num_days() > 60;
    let mut draft = Draft::quick(7, &entry, class, today, far_back);
    let next = draft.start(&catalog);
    let shown = format!("{next:?}: {}\n    {}\n", step(&draft.at), holds(&draft));
    expect.assert_eq(&shown);
}

#[test]
fn a_quick_entry_answers_what_it_understood() {
    check_quick(
        "sk 45 30 Phòng chống dịch",
        expect![[r#"
        Ask: summary
            class=new Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
    "#]],
    );
    check_quick(
        "sk 45 30 05/12 Phòng chống dịch",
        expect![[r#"
        Ask: summary
            class=new Phòng chống dịch, date=2026-12-05, female=30, group=health, total=45
    "#]],
    );
    check_quick(
        "sk 45",
        expect![[r#"
        Ask: asking class
            date=2026-12-07, group=health, total=45
    "#]],
    );
}

#[test]
fn a_quick_entry_proposes_what_looks_like_a_slip() {
    check_quick(
        "sk 30 45 Phòng chống dịch",
        expect![[r#"
        Ask: offering the swap
            class=new Phòng chống dịch, date=2026-12-07, group=health, proposed 45/30
    "#]],
    );
    check_quick(
        "sk 45 30 17/12 Phòng chống dịch",
        expect![[r#"
        Ask: confirming the date
            class=new Phòng chống dịch, female=30, group=health, total=45, proposed date 2025-12-17
    "#]],
    );
    check_quick(
        "sk 45 30 17/12/2025 Phòng chống dịch",
        expect![[r#"
        Ask: summary
            class=new Phòng chống dịch, date=2025-12-17, female=30, group=health, total=45
    "#]],
    );
    check_quick(
        "sk 45 30 32/12 Phòng chống dịch",
        expect![[r#"
        Ask: asking date
            class=new Phòng chống dịch, female=30, group=health, total=45
    "#]],
    );
}

#[test]
fn a_correction_opens_at_the_list_of_answers() {
    let mut answers = BTreeMap::new();
    for (id, answer) in [
        ("group", Answer::Group("health".to_owned())),
        ("date", Answer::Date(date("2026-12-07"))),
        ("total", Answer::Number(45)),
        ("female", Answer::Number(30)),
    ] {
        answers.insert(id.to_owned(), answer);
    }
    answers.insert(
        "class".to_owned(),
        Answer::Class {
            id: Some(3),
            name: "Phòng chống dịch".to_owned(),
        },
    );
    let draft = Draft::correcting(12, 7, answers);
    assert_eq!(draft.session, Some(12));
    check_with(
        &shipped(),
        draft,
        "change total
         number 50
         save",
        expect![[r#"
            change total → AskSameButtons: asking total (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            number 50 → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=50
            save → Save: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=50
        "#]],
    );
}

#[test]
fn an_optional_question_of_the_dialog_files_is_asked_and_may_be_skipped() {
    check_with(
        &with_topic(),
        Draft::new(7, BTreeMap::new()),
        "start
         group health
         class #3 Phòng chống dịch
         date 2026-12-07
         numbers 45 30
         skip
         edit
         change topic
         text Phòng bệnh sốt xuất huyết
         save",
        expect![[r#"
            start → Ask: asking group
                no answers
            group health → Ask: asking class
                group=health
            class #3 Phòng chống dịch → Ask: asking date
                class=#3 Phòng chống dịch, group=health
            date 2026-12-07 → Ask: asking total
                class=#3 Phòng chống dịch, date=2026-12-07, group=health
            numbers 45 30 → Ask: asking topic
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, total=45
            skip → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic=skipped, total=45
            edit → AskSameButtons: choosing an answer to change
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic=skipped, total=45
            change topic → AskSameButtons: asking topic (editing)
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic=skipped, total=45
            text Phòng bệnh sốt xuất huyết → Ask: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic="Phòng bệnh sốt xuất huyết", total=45
            save → Save: summary
                class=#3 Phòng chống dịch, date=2026-12-07, female=30, group=health, topic="Phòng bệnh sốt xuất huyết", total=45
        "#]],
    );
}

#[test]
fn a_draft_naming_a_question_the_files_no_longer_have_starts_the_rest_over() {
    let mut answers = BTreeMap::new();
    answers.insert("group".to_owned(), Answer::Group("health".to_owned()));
    answers.insert("topic".to_owned(), Answer::Text("Sốt".to_owned()));
    let mut draft = Draft::new(7, answers);
    draft.at = Step::Asking {
        question: "topic".to_owned(),
        editing: true,
    };
    check_with(
        &shipped(),
        draft.clone(),
        "settle
         settle",
        expect![[r#"
            settle → Ask: asking class
                group=health
            settle → nothing (unchanged): asking class
                group=health
        "#]],
    );
    check_with(
        &shipped(),
        draft,
        "lost",
        expect![[r#"
        lost → Ask: asking class
            group=health
    "#]],
    );
}

#[test]
fn a_step_that_can_no_longer_be_shown_settles_on_the_next_question() {
    let mut answers = BTreeMap::new();
    answers.insert("group".to_owned(), Answer::Group("health".to_owned()));
    let mut draft = Draft::new(7, answers);
    draft.at = Step::ConfirmSwap { editing: false };
    check_with(
        &shipped(),
        draft.clone(),
        "settle",
        expect![[r#"
        settle → Ask: asking class
            group=health
    "#]],
    );
    draft.at = Step::ConfirmLarge { usual: None };
    check_with(
        &shipped(),
        draft.clone(),
        "settle",
        expect![[r#"
        settle → Ask: asking class
            group=health
    "#]],
    );
    draft.at = Step::Asking {
        question: "class".to_owned(),
        editing: false,
    };
    draft.answers.clear();
    check_with(
        &shipped(),
        draft,
        "settle",
        expect![[r#"
        settle → Ask: asking group
            no answers
    "#]],
    );
}

#[test]
fn the_session_saved_holds_the_answers_and_the_extra_ones() {
    let catalog = with_topic();
    let mut draft = Draft::new(7, BTreeMap::new());
    let _ = draft.start(&catalog);
    for line in [
        "group health",
        "class Phòng  chống DỊCH",
        "date 2026-12-07",
        "numbers 45 30",
    ] {
        let _ = draft.on(&catalog, event(line));
    }
    let at = "2026-12-07T13:00:00Z".parse().unwrap();
    let without_topic = draft.session(&catalog, 42, at).unwrap();
    assert!(without_topic.extra.is_empty());
    let _ = draft.on(&catalog, event("text Sốt xuất huyết"));
    let session = draft.session(&catalog, 42, at).unwrap();
    expect![[r#"
        NewSession {
            centre: 7,
            organiser: 42,
            group: "health",
            class: New {
                name: "Phòng chống DỊCH",
                key: "phòng chống dịch",
            },
            date: 2026-12-07,
            total: 45,
            female: 30,
            extra: {
                "topic": "Sốt xuất huyết",
            },
            created_at: 2026-12-07T13:00:00Z,
        }
    "#]]
    .assert_debug_eq(&session);
    draft.answers.remove("date");
    assert_eq!(draft.session(&catalog, 42, at), None, "the date is missing");
}

#[test]
fn open_work_lapses_for_a_removed_member_and_after_the_expiry() {
    let at: DateTime<Utc> = "2026-12-07T13:00:00Z".parse().unwrap();
    let expiry = Duration::hours(12);
    let member = |role| Access {
        supervisor: false,
        centres: vec![Membership {
            centre: 7,
            centre_name: "Tràng An".to_owned(),
            role,
        }],
    };
    let mut draft = Draft::new(7, BTreeMap::new());
    draft.touched = Some(at - Duration::hours(1));
    let cases = [
        ("organiser", member(Role::Organiser), at),
        ("director", member(Role::Director), at),
        ("stranger", Access::default(), at),
        (
            "organiser, 13 hours on",
            member(Role::Organiser),
            at + expiry,
        ),
        (
            "supervisor",
            Access {
                supervisor: true,
                centres: Vec::new(),
            },
            at,
        ),
    ];
    let mut out = String::new();
    for (who, access, now) in cases {
        let _ = writeln!(out, "{who}: {:?}", draft.lapse(&access, now, expiry));
    }
    expect![[r#"
        organiser: None
        director: None
        stranger: Some(NoLongerMember)
        organiser, 13 hours on: Some(Expired)
        supervisor: None
    "#]]
    .assert_eq(&out);
}
