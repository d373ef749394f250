//! The engine's read-only `Facts`, answered from a store view: the step's own write
//! transaction inside `Runtime::handle`, or a read snapshot outside a step.

use crate::centre_change::CentreMerge;
use crate::dialog::{ClassRef, ClassSummary, Facts};
use crate::domain::{
    CentreId, ChatId, ClassId, EntryRules, Period, SessionId, SessionRecord, UserId, YearStart,
};
use crate::reminders::parse::Audience;
use crate::reminders::schedule::{Monthly, Schedule};
use crate::roles::{Access, AuditEntry, Member, Role};
use crate::store::{Source, StoreError, View};
use crate::submission::HandIn;
use chrono::{DateTime, NaiveDate, Utc};
use std::cell::RefCell;

/// `Facts` over a store view. The engine's trait cannot fail, so the first store error
/// is kept here and reported after the step; the runtime then aborts the transaction
/// instead of committing a step that saw incomplete facts.
pub struct StoreFacts<'t, S> {
    view: &'t View<S>,
    /// The configured first day of the reporting year, which the engine may not read
    /// from the configuration itself.
    year_start: YearStart,
    /// The configured entry rules (draft expiry, dates to confirm, the nudge).
    entry: EntryRules,
    error: RefCell<Option<StoreError>>,
}

impl<S> std::fmt::Debug for StoreFacts<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreFacts")
            .field("year_start", &self.year_start)
            .field("entry", &self.entry)
            .finish_non_exhaustive()
    }
}

impl<'t, S: Source> StoreFacts<'t, S> {
    /// Facts read through `view`, with the configured year start and entry rules.
    pub fn new(view: &'t View<S>, year_start: YearStart, entry: EntryRules) -> Self {
        StoreFacts {
            view,
            year_start,
            entry,
            error: RefCell::new(None),
        }
    }

    /// The first store error a fact met, if any: the step's result is not to be trusted
    /// then.
    pub fn into_result(self) -> Result<(), StoreError> {
        self.error.into_inner().map_or(Ok(()), Err)
    }

    fn keep<T>(&self, result: Result<T, StoreError>, fallback: T) -> T {
        result.unwrap_or_else(|error| {
            self.error.borrow_mut().get_or_insert(error);
            fallback
        })
    }
}

impl<S: Source> Facts for StoreFacts<'_, S> {
    fn document_texts(&self, centre: CentreId) -> crate::document::DocumentTexts {
        self.keep(self.view.document_texts(Some(centre)), Default::default())
    }

    fn recent_classes(&self, centre: CentreId, group: &str, limit: usize) -> Vec<ClassRef> {
        self.keep(self.view.recent_classes(centre, group, limit), Vec::new())
    }

    fn class_by_key(&self, centre: CentreId, group: &str, key: &str) -> Option<ClassRef> {
        self.keep(self.view.class_by_key(centre, group, key), None)
    }

    fn class_by_id(&self, centre: CentreId, group: &str, id: ClassId) -> Option<ClassRef> {
        let class = self.keep(self.view.class(id), None)?;
        // A merged class is offered no more: its old buttons are stale.
        (class.centre == centre && class.group == group && class.merged_into.is_none()).then_some(
            ClassRef {
                id: class.id,
                name: class.name,
            },
        )
    }

    fn access(&self, user: UserId) -> Access {
        self.keep(self.view.access(user), Access::default())
    }

    fn centres(&self) -> Vec<(CentreId, String)> {
        self.keep(self.view.centres(), Vec::new())
    }

    fn members(&self, centre: CentreId) -> Vec<Member> {
        self.keep(self.view.members(centre), Vec::new())
    }

    fn supervisors(&self) -> Vec<(UserId, String)> {
        self.keep(self.view.supervisors(), Vec::new())
    }

    fn audit(&self, centre: CentreId, limit: usize) -> Vec<AuditEntry> {
        self.keep(self.view.audit_log(Some(centre), limit), Vec::new())
    }

    fn invite(&self, code: &str) -> Option<(Role, Option<CentreId>, UserId)> {
        self.keep(self.view.invite(code), None)
            .map(|invite| (invite.role, invite.centre, invite.created_by))
    }

    fn group_centre(&self, chat: ChatId) -> Option<CentreId> {
        self.keep(self.view.group_centre(chat), None)
    }

    fn deadline(&self, centre: CentreId) -> Option<Monthly> {
        self.keep(self.view.deadline(centre), None)
            .map(|record| record.timing)
    }

    fn reminders(&self, chat: ChatId) -> Vec<(Schedule, Audience)> {
        self.keep(self.view.reminders_of(chat), Vec::new())
            .into_iter()
            .map(|(_, r)| (r.schedule, r.audience))
            .collect()
    }

    fn session(&self, id: SessionId) -> Option<SessionRecord> {
        self.keep(self.view.session_record(id), None)
    }

    fn deleted_session(&self, id: SessionId) -> Option<(SessionRecord, DateTime<Utc>)> {
        self.keep(self.view.deleted_session(id), None)
            .map(|d| (d.record, d.deleted_at))
    }

    fn recent_sessions(
        &self,
        centre: CentreId,
        organiser: Option<UserId>,
        limit: usize,
    ) -> Vec<SessionRecord> {
        self.keep(
            self.view.recent_sessions(centre, organiser, limit),
            Vec::new(),
        )
    }

    fn deleted_sessions(&self, centre: CentreId) -> Vec<(SessionRecord, DateTime<Utc>)> {
        self.keep(self.view.deleted_sessions(Some(centre)), Vec::new())
            .into_iter()
            .map(|d| (d.record, d.deleted_at))
            .collect()
    }

    fn class_name(&self, id: ClassId) -> Option<String> {
        self.keep(self.view.class(id), None).map(|c| c.name)
    }

    fn year_start(&self) -> YearStart {
        self.year_start
    }

    fn centre_classes(&self, centre: CentreId) -> Vec<(ClassRef, String)> {
        self.keep(self.view.centre_classes(centre), Vec::new())
    }

    fn class_attendances(&self, class: ClassId, limit: usize) -> Vec<u32> {
        self.keep(self.view.class_attendances(class, limit), Vec::new())
    }

    fn same_session(
        &self,
        centre: CentreId,
        class: ClassId,
        date: NaiveDate,
        numbers: (u32, u32),
    ) -> Option<SessionRecord> {
        self.keep(self.view.same_session(centre, class, date, numbers), None)
    }

    fn entry_rules(&self) -> EntryRules {
        self.entry
    }

    fn latest_handin(&self, centre: CentreId, period: Period) -> Option<HandIn> {
        self.keep(self.view.latest_handin(centre, period), None)
    }

    fn latest_handins(&self, period: Period) -> Vec<HandIn> {
        self.keep(self.view.latest_handins(period), Vec::new())
    }

    fn centre_merge_preview(&self, from: CentreId, into: CentreId) -> Option<CentreMerge> {
        // The engine asks only about two existing, different centres, so a refusal here
        // is a real failure like any other store error.
        self.keep(self.view.centre_merge_preview(from, into).map(Some), None)
    }

    fn classes_with_counts(&self, centre: CentreId) -> Vec<ClassSummary> {
        self.keep(self.view.centre_classes_with_counts(centre), Vec::new())
            .into_iter()
            .map(|c| ClassSummary {
                id: c.class.id,
                group: c.class.group,
                name: c.class.name,
                sessions: c.sessions,
            })
            .collect()
    }
}
