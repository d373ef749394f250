//! Reading what a person typed or pressed as an event of their draft, by the kind of the
//! question asked: an activity group, a class (an existing one, a new one, or "did you
//! mean …?"), a date, the attendance and the women, free text, a choice, and the buttons
//! of the draft's other steps. The parsers themselves are in `dialog/parse/`; here each
//! question kind picks its parser and its limits. Nothing is changed or said here: a
//! reading is an [`Event`] for the draft, or a [`Refusal`] for the prompts to word.

use super::super::callback::Action;
use super::super::catalog::{Catalog, ChoiceOption, Question, QuestionKind};
use super::super::draft::{Answer, Draft, Event, Step, Suggestion};
use super::super::io::{ClassRef, Facts};
use super::super::parse::{self, NumberError};
use super::super::similar;
use crate::domain::{CentreId, Lang};
use chrono::NaiveDate;

/// How many of a group's classes a typed name is compared with for "did you mean".
const CLOSE_MATCH_CANDIDATES: usize = 200;

/// Why a typed answer was not taken; the question is asked again after saying so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Only the buttons answer this (a group or option not recognised).
    UseButtons,
    BadDate,
    FutureDate {
        today: NaiveDate,
    },
    NotANumber,
    TooSmall {
        min: u32,
    },
    TooLarge {
        max: u32,
    },
    /// Above the answer to question `other`, which is `limit`.
    AboveOther {
        other: String,
        limit: u32,
    },
    /// Text shorter or longer than the question allows, in characters.
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    /// A class name with fewer than two letters or digits.
    NoLetters,
}

/// What a typed class name turned out to be.
pub(super) enum ClassMatch {
    /// An existing class (same key) or a plainly new one.
    Known(Answer),
    /// Close to an existing class: ask before creating a near-duplicate.
    Close(Suggestion),
}

/// Reads answers against the catalog's questions and the stored classes.
pub(super) struct Reader<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) facts: &'a dyn Facts,
    /// "Today" of the input: typed dates are read from it and never lie after it.
    pub(super) today: NaiveDate,
}

impl Reader<'_> {
    /// Text typed as the answer to question `id` of `draft`.
    pub(super) fn typed(&self, draft: &Draft, id: &str, text: &str) -> Result<Event, Refusal> {
        let Some((_, question)) = self.catalog.question(id) else {
            return Ok(Event::Lost);
        };
        let answer = match &question.kind {
            QuestionKind::Group => Answer::Group(self.group(text)?),
            QuestionKind::Class { .. } => return self.class_name(draft, id, text),
            QuestionKind::Date => match self.date(text)? {
                (date, false) if self.far_back(date) => return Ok(Event::FarBackDate(date)),
                (date, _) => Answer::Date(date),
            },
            QuestionKind::Number { .. } => return self.number(draft, question, text),
            QuestionKind::Text { min_len, max_len } => {
                Answer::Text(text_answer((*min_len, *max_len), text)?)
            }
            QuestionKind::Choice { options } => choice_answer(options, text)
                .map(|id| Answer::Choice(id.to_owned()))
                .ok_or(Refusal::UseButtons)?,
        };
        Ok(Event::Answer(answer))
    }

    /// A typed class name for question `id`: checked, then matched against the classes of
    /// the draft's centre and group.
    pub(super) fn class_name(&self, draft: &Draft, id: &str, text: &str) -> Result<Event, Refusal> {
        let Some(QuestionKind::Class {
            min_len, max_len, ..
        }) = self.catalog.question(id).map(|(_, q)| &q.kind)
        else {
            return Ok(Event::Lost);
        };
        let (display, key) = class_name_answer((*min_len, *max_len), text)?;
        let Some(group) = draft.group() else {
            return Ok(Event::Lost);
        };
        Ok(
            match self.resolve_class(draft.centre, group, display, &key) {
                ClassMatch::Known(answer) => Event::Answer(answer),
                ClassMatch::Close(suggestion) => Event::CloseClass(suggestion),
            },
        )
    }

    /// A pressed button of the draft's current step; `None` when it does not belong there
    /// (an old button, or one naming what the draft may not use).
    pub(super) fn pressed(&self, draft: &Draft, action: Action) -> Option<Event> {
        match (&draft.at, action) {
            (Step::Asking { question, .. }, action) => {
                let Some((_, question)) = self.catalog.question(question) else {
                    return Some(Event::Lost);
                };
                self.button_answer(draft, question, action)
            }
            (Step::ConfirmClass { question, .. }, _)
                if self.catalog.question(question).is_none() =>
            {
                Some(Event::Lost)
            }
            (
                Step::ConfirmClass {
                    suggestion,
                    suggestion_group,
                    ..
                },
                Action::Class(id),
            ) if id == *suggestion => match suggestion_group {
                // The class must still be in that group of the draft's centre.
                Some(group) => self
                    .facts
                    .class_by_id(draft.centre, group, id)
                    .map(|_| Event::Yes),
                None => Some(Event::Yes),
            },
            (Step::ConfirmClass { .. }, Action::NewClass) => Some(Event::No),
            (Step::ConfirmClass { .. }, _) => None,
            (_, Action::Confirm) => Some(Event::Yes),
            (_, Action::Reject) => Some(Event::No),
            (_, Action::Save) => Some(Event::Save),
            (_, Action::Edit) => Some(Event::Edit),
            (_, Action::Cancel) => Some(Event::Cancel),
            (_, Action::Back) => Some(Event::Back),
            (_, Action::EditQuestion(id)) => Some(Event::EditQuestion(id)),
            _ => None,
        }
    }

    /// A button pressed at `question`.
    fn button_answer(&self, draft: &Draft, question: &Question, action: Action) -> Option<Event> {
        let answer = match (&question.kind, action) {
            (_, Action::Skip) if question.optional => Answer::Skipped,
            (QuestionKind::Group, Action::Group(id)) if self.catalog.group(&id).is_some() => {
                Answer::Group(id)
            }
            (QuestionKind::Class { .. }, Action::NewClass) => return Some(Event::TypeClassName),
            (QuestionKind::Class { .. }, Action::Class(id)) => {
                let class = self.facts.class_by_id(draft.centre, draft.group()?, id)?;
                Answer::Class {
                    id: Some(class.id),
                    name: class.name,
                }
            }
            (QuestionKind::Date, Action::Today) => Answer::Date(self.today),
            (QuestionKind::Date, Action::Yesterday) => {
                Answer::Date(self.today.pred_opt().unwrap_or(self.today))
            }
            (QuestionKind::Choice { options }, Action::Option(id))
                if options.iter().any(|o| o.id == id) =>
            {
                Answer::Choice(id)
            }
            (_, Action::Back) => return Some(Event::Back),
            _ => return None,
        };
        Some(Event::Answer(answer))
    }

    /// A typed activity group: its code, an alias, or its name in any language.
    pub(super) fn group(&self, text: &str) -> Result<String, Refusal> {
        let wanted = parse::class_name(text).1;
        self.catalog
            .groups
            .iter()
            .find(|g| {
                g.code == wanted
                    || g.aliases.contains(&wanted)
                    || Lang::ALL.iter().any(|&l| {
                        parse::same_words(g.short.get(l), &wanted)
                            || parse::same_words(g.official.get(l), &wanted)
                    })
            })
            .map(|g| g.id.clone())
            .ok_or(Refusal::UseButtons)
    }

    /// A typed date and whether its year was typed (rather than guessed).
    pub(super) fn date(&self, text: &str) -> Result<(NaiveDate, bool), Refusal> {
        match parse::date_typed(text, self.today) {
            None => Err(Refusal::BadDate),
            Some((date, _)) if date > self.today => Err(Refusal::FutureDate { today: self.today }),
            Some(found) => Ok(found),
        }
    }

    /// Whether a date whose year was guessed lies far enough back to be confirmed.
    pub(super) fn far_back(&self, date: NaiveDate) -> bool {
        (self.today - date).num_days() > self.facts.entry_rules().confirm_dates_older_than_days
    }

    /// A typed number: both counts at the attendance question, the offer of swapped
    /// counts when more women than people were typed, or the number within its limits.
    fn number(&self, draft: &Draft, question: &Question, text: &str) -> Result<Event, Refusal> {
        if let Some((total, female)) = self.number_pair(question, text) {
            return Ok(Event::Numbers { total, female });
        }
        match self.whole_number(draft, question, text) {
            Ok(n) => Ok(Event::Answer(Answer::Number(n))),
            Err(refusal) => match self.swap_offer(draft, question, text) {
                Some((total, female)) => Ok(Event::Swap(total, female)),
                None => Err(refusal),
            },
        }
    }

    /// Both counts typed at the attendance question (`45 30`, `45 người, 30 nữ`): the
    /// attendance and the women, when this question is the one the women's question is
    /// bounded by and both are within their questions' limits.
    fn number_pair(&self, question: &Question, text: &str) -> Option<(u32, u32)> {
        let (first, second) = parse::number_pair(text)?;
        let female_q = self.catalog.questions.iter().find(|q| {
            matches!(&q.kind, QuestionKind::Number { at_most: Some(other), .. } if *other == question.id)
        })?;
        let within = |q: &Question, n: u64| match q.kind {
            QuestionKind::Number { min, max, .. } => (u64::from(min)..=u64::from(max)).contains(&n),
            _ => false,
        };
        let first_u = u32::try_from(first).ok()?;
        let second_u = u32::try_from(second).ok()?;
        // Either order is read; which one is the attendance is settled by the draft.
        (within(question, first.max(second)) && within(female_q, first.min(second)))
            .then_some((first_u, second_u))
            .filter(|_| female_q.id == "female" && question.id == "total")
    }

    /// More women typed than the attendance answered: the swapped pair to offer.
    fn swap_offer(&self, draft: &Draft, question: &Question, text: &str) -> Option<(u32, u32)> {
        let QuestionKind::Number {
            at_most: Some(other),
            ..
        } = &question.kind
        else {
            return None;
        };
        // The swap writes the attendance and the women (`Draft::set_numbers`), so only the
        // women's question, bounded by the attendance, may offer it; a centre's own
        // `at_most` question is refused with its limit instead.
        if question.id != "female" || other != "total" {
            return None;
        }
        let Some(Answer::Number(limit)) = draft.answer(other) else {
            return None;
        };
        let typed = u32::try_from(parse::whole_number(text).ok()?).ok()?;
        let total_max = match self.catalog.question(other).map(|(_, q)| &q.kind) {
            Some(QuestionKind::Number { max, .. }) => *max,
            _ => return None,
        };
        (typed > *limit && typed <= total_max).then_some((typed, *limit))
    }

    /// A typed whole number within the limits of `question`, not above the answer its
    /// `at_most` names.
    fn whole_number(&self, draft: &Draft, question: &Question, text: &str) -> Result<u32, Refusal> {
        let value = number_within(question, text)?;
        if let QuestionKind::Number {
            at_most: Some(other),
            ..
        } = &question.kind
        {
            if let Some(Answer::Number(limit)) = draft.answer(other) {
                if value > *limit {
                    return Err(Refusal::AboveOther {
                        other: other.clone(),
                        limit: *limit,
                    });
                }
            }
        }
        Ok(value)
    }

    /// A typed class name against the centre's classes of `group`: the same class (same
    /// key), a new one, or one edit away from an existing one (to be confirmed).
    pub(super) fn resolve_class(
        &self,
        centre: CentreId,
        group: &str,
        display: String,
        key: &str,
    ) -> ClassMatch {
        if let Some(existing) = self.facts.class_by_key(centre, group, key) {
            return ClassMatch::Known(Answer::Class {
                id: Some(existing.id),
                name: existing.name,
            });
        }
        let known = self
            .facts
            .recent_classes(centre, group, CLOSE_MATCH_CANDIDATES);
        close_class(
            &known,
            &self.facts.centre_classes(centre),
            group,
            display,
            key,
        )
    }
}

/// A typed class name that no class of `group` has as its key, against the group's
/// classes (`known`, most recent first, at most `CLOSE_MATCH_CANDIDATES`) and every class
/// of the centre (`all`, with their groups): one edit away from a class of the group, or
/// the same name (or one edit away) under another group, is `Close` (to be asked about);
/// anything else is a new class. (The import's check of a file keeps `known` and `all`
/// across its rows.)
pub(super) fn close_class(
    known: &[ClassRef],
    all: &[(ClassRef, String)],
    group: &str,
    display: String,
    key: &str,
) -> ClassMatch {
    let keys: Vec<(u64, String)> = known
        .iter()
        .map(|c| (c.id, parse::class_name(&c.name).1))
        .collect();
    let close = similar::close_match(key, keys.iter().map(|(id, k)| (*id, k.as_str())));
    if let Some(class) = close.and_then(|id| known.iter().find(|c| c.id == id)) {
        return ClassMatch::Close(Suggestion {
            typed: display,
            class: class.id,
            name: class.name.clone(),
            group: None,
        });
    }
    // The same class under another group (typed under the wrong one): one class must
    // not be counted in two rows of the report, so ask.
    let elsewhere: Vec<&(ClassRef, String)> = all.iter().filter(|(_, g)| g != group).collect();
    let folded = parse::fold(key);
    let same_name = elsewhere
        .iter()
        .find(|(c, _)| parse::fold(&c.name) == folded)
        .map(|(c, _)| c.id);
    let close = same_name.or_else(|| {
        similar::close_match(key, elsewhere.iter().map(|(c, _)| (c.id, c.name.as_str())))
    });
    match close.and_then(|id| elsewhere.into_iter().find(|(c, _)| c.id == id)) {
        Some((class, other_group)) => ClassMatch::Close(Suggestion {
            typed: display,
            class: class.id,
            name: class.name.clone(),
            group: Some(other_group.clone()),
        }),
        None => ClassMatch::Known(Answer::Class {
            id: None,
            name: display,
        }),
    }
}

/// A typed whole number within the limits of the number question `question` (the
/// comparison with the answer its `at_most` names is the caller's).
pub(super) fn number_within(question: &Question, text: &str) -> Result<u32, Refusal> {
    let QuestionKind::Number { min, max, .. } = &question.kind else {
        return Err(Refusal::NotANumber);
    };
    let (min, max) = (*min, *max);
    let value = match parse::whole_number(text) {
        Ok(n) => n,
        Err(NumberError::NotANumber) => return Err(Refusal::NotANumber),
        Err(NumberError::Negative) => return Err(Refusal::TooSmall { min }),
        Err(NumberError::TooLarge) => return Err(Refusal::TooLarge { max }),
    };
    if value < u64::from(min) {
        return Err(Refusal::TooSmall { min });
    }
    if value > u64::from(max) {
        return Err(Refusal::TooLarge { max });
    }
    // The range check above bounds the value by a u32 maximum.
    Ok(u32::try_from(value).unwrap_or(max))
}

/// A typed free-text answer, cleaned as class names are, within `(min, max)` characters.
pub(super) fn text_answer((min, max): (usize, usize), text: &str) -> Result<String, Refusal> {
    let (display, _) = parse::class_name(text);
    check_length(&display, min, max)?;
    Ok(display)
}

/// A typed class name as shown and as matched (`parse::class_name`), within `(min, max)`
/// characters and with at least two letters or digits.
pub(super) fn class_name_answer(
    (min, max): (usize, usize),
    text: &str,
) -> Result<(String, String), Refusal> {
    let (display, key) = parse::class_name(text);
    check_length(&display, min, max)?;
    if !parse::has_two_alphanumerics(&display) {
        return Err(Refusal::NoLetters);
    }
    Ok((display, key))
}

/// The id of the option whose label, in any language, is `text`.
pub(super) fn choice_answer<'o>(options: &'o [ChoiceOption], text: &str) -> Option<&'o str> {
    options
        .iter()
        .find(|o| {
            Lang::ALL
                .iter()
                .any(|&l| parse::same_words(o.label.get(l), text))
        })
        .map(|o| o.id.as_str())
}

/// Checks a typed text's length in characters.
fn check_length(text: &str, min: usize, max: usize) -> Result<(), Refusal> {
    let length = text.chars().count();
    if length < min {
        Err(Refusal::TooShort { min })
    } else if length > max {
        Err(Refusal::TooLong { max })
    } else {
        Ok(())
    }
}
