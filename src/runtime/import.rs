//! Bringing in past sessions from the command line: the check `rollcall import` prints,
//! made by the same function over the same facts as the chat's (`engine::check_import`
//! through `StoreFacts`), on a read snapshot or inside the transaction that adds them;
//! and adding them there as the chat's confirmation does, hand-ins included.

use super::facts::StoreFacts;
use super::{Outcome, Runtime};
use crate::dialog::engine::{check_import, CheckContext};
use crate::domain::{CentreId, Lang, NewSession, Now, SessionRecord, UserId};
use crate::import::{ImportCheck, ImportRows};
use crate::store::{Source, StoreError, Tx, View};

/// The check of `rows` for `centre` as the chat makes it, the added sessions recorded
/// as logged by `organiser` (0 for the command line), worded in `lang`.
pub fn check_file<S: Source>(
    runtime: &Runtime,
    view: &View<S>,
    centre: CentreId,
    organiser: UserId,
    rows: &ImportRows,
    now: Now,
    lang: Lang,
) -> Result<ImportCheck, StoreError> {
    let centre_name = view.centre_name(centre)?.unwrap_or_default();
    let facts = StoreFacts::new(view, runtime.year_start, runtime.entry);
    let check = check_import(
        &CheckContext {
            catalog: &runtime.catalog,
            facts: &facts,
            centre,
            centre_name: &centre_name,
            organiser,
            now,
            lang,
        },
        rows,
    );
    facts.into_result().map(|()| check)
}

/// Stores the checked `sessions` of the file `file_name` for `centre` in `tx`, audited as
/// imported by `actor`, and tells the directors of hand-ins those sessions changed in the
/// same transaction, as a step in the chat does (`Runtime::handle`): a hand-in of a
/// period the file reaches is marked "changed since handed in" by the store
/// (`put_live_session`), and its director hears of it once.
pub fn import_checked(
    runtime: &Runtime,
    tx: &mut Tx<'_>,
    centre: CentreId,
    file_name: &str,
    sessions: &[NewSession],
    actor: UserId,
    now: Now,
) -> Result<Vec<SessionRecord>, StoreError> {
    let saved = tx.import_sessions(centre, file_name, sessions, actor, now.at)?;
    let mut outcome = Outcome::default();
    runtime.tell_changed_handins(tx, now, &mut outcome)?;
    for reply in &outcome.replies {
        tx.push_outgoing(reply)?;
    }
    Ok(saved)
}
