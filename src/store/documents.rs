//! The written parts of each centre's report document (sections I–VI, the header and the
//! signature): kept per centre, so that each new document starts from the last one.
//! Every change writes an audit entry in the same transaction.

use super::codec::{decode, encode};
use super::tables::DOCUMENT_TEXTS;
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::document::{DocumentTexts, Part};
use crate::domain::{CentreId, UserId};
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::Serialize;

/// What the audit log keeps of a changed part.
#[derive(Debug, Serialize)]
struct PartText<'a> {
    part: &'a str,
    text: &'a str,
}

impl<S: Source> View<S> {
    /// The written parts of `centre`'s document (`None`, the roll-up of every centre:
    /// the defaults, since no centre's words speak for all of them).
    pub fn document_texts(&self, centre: Option<CentreId>) -> Result<DocumentTexts, StoreError> {
        let Some(centre) = centre else {
            return Ok(DocumentTexts::default());
        };
        let table = self.table(DOCUMENT_TEXTS)?;
        let value = table.get(centre)?;
        value.map_or_else(|| Ok(DocumentTexts::default()), |v| decode(v.value()))
    }
}

impl Tx<'_> {
    /// Stores `text` (already cleaned) as `part` of `centre`'s document and audits the
    /// change; returns false (and writes nothing) when the text is the one stored.
    pub fn set_document_part(
        &mut self,
        centre: CentreId,
        part: Part,
        text: &str,
        actor: UserId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut texts = self.document_texts(Some(centre))?;
        let before = texts.parts.get(part.id()).cloned();
        if before.as_deref() == Some(text) {
            return Ok(false);
        }
        texts.parts.insert(part.id().to_owned(), text.to_owned());
        let bytes = encode(&texts)?;
        self.txn
            .open_table(DOCUMENT_TEXTS)?
            .insert(centre, bytes.as_slice())?;
        self.audit(
            at,
            actor,
            Some(centre),
            "document_text_changed",
            before
                .as_deref()
                .map(|text| PartText {
                    part: part.id(),
                    text,
                })
                .as_ref(),
            Some(&PartText {
                part: part.id(),
                text,
            }),
        )?;
        Ok(true)
    }
}
