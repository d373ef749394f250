//! Bringing in past sessions outside a chat's own messages: the step that hands a file
//! read by the download task to its chat, and the check `rollcall import` prints, made
//! by the same function over the same facts as the chat's.

use super::facts::TxFacts;
use super::{Event, Runtime};
use crate::dialog::engine::{check_import, CheckContext};
use crate::dialog::import::{ImportCheck, ImportRows, ReadProblem};
use crate::dialog::{Input, Sender};
use crate::domain::{CentreId, Lang, Now, UserId};
use crate::store::{StoreError, Tx};

/// Hands the rows read from the queued file `seq` (or why it could not be read) to the
/// dialog of the chat that sent it, and removes the queue row, in `tx`. Returns `false`
/// when the row was gone already (handed over before a restart).
pub fn deliver_file(
    runtime: &Runtime,
    tx: &mut Tx<'_>,
    seq: u64,
    rows: Result<ImportRows, ReadProblem>,
    now: Now,
) -> Result<bool, StoreError> {
    let Some(fetch) = tx.take_file_fetch(seq)? else {
        return Ok(false);
    };
    let event = Event {
        chat: fetch.chat,
        sender: Sender {
            user: fetch.user,
            chat: fetch.chat,
            name: String::new(),
            language_hint: Some(fetch.language).filter(|l| !l.is_empty()),
            private: true,
        },
        input: Input::ImportRead {
            centre: fetch.centre,
            file_name: fetch.file.shown_name().to_owned(),
            rows,
        },
        callback: None,
        sent_at: None,
    };
    runtime.handle(tx, &event, now)?;
    Ok(true)
}

/// The check of `rows` for `centre` as the chat makes it, the added sessions recorded
/// as logged by `organiser` (0 for the command line), worded in `lang`.
pub fn check_file(
    runtime: &Runtime,
    tx: &Tx<'_>,
    centre: CentreId,
    organiser: UserId,
    rows: &ImportRows,
    now: Now,
    lang: Lang,
) -> Result<ImportCheck, StoreError> {
    let centre_name = tx.centre_name(centre)?.unwrap_or_default();
    let facts = TxFacts::new(tx, runtime.year_start, runtime.entry);
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
