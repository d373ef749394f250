//! Fetching the files of stored updates before they are processed: a report document a
//! director edited in Word and sent back, or a sessions spreadsheet a director (or a
//! supervisor) sends to bring in past sessions. Which files are fetched, and how many
//! bytes at most, is `document::fetch_plan`'s rule. `getFile`, then the file's download
//! URL, with the size capped before (by the size Telegram gives) and while reading; then
//! the file is read by what it holds (`report::read_sent_file`: a Word document's written
//! parts, or a spreadsheet's rows) and only those texts go on to the step.
//!
//! Why here, before the step's transaction, and not in the poller or inside the step:
//! the inbox stores the update as Telegram sent it, and processing it must stay
//! idempotent. A download inside the transaction would hold the one redb writer across
//! network I/O; a download in the poller would store file contents in the inbox. Fetched
//! just before the transaction, nothing of the download is stored except what the step
//! commits, all at once: after a crash the update is still in the inbox and its file
//! (which Telegram keeps downloadable for at least an hour) is simply fetched again. A
//! timeout bounds how long one file can hold up the updates behind it.

use super::convert::{incoming_file, IncomingFile};
use crate::dialog::Catalog;
use crate::document::{fetch_plan, SentKind, Upload, UploadContent};
use crate::store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use teloxide_core::prelude::Requester;
use teloxide_core::types::{FileId, Update};
use teloxide_core::Bot;

/// How long fetching one file may take, `getFile` and the download together.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether a stored update carries a file that may have to be fetched before its step:
/// a document in a private chat. Cheap for the many updates without one (no parsing).
pub fn carries_file(raw: &str) -> bool {
    raw.contains("\"document\"")
        && serde_json::from_str::<Update>(raw)
            .ok()
            .as_ref()
            .and_then(incoming_file)
            .is_some()
}

/// What fetching needs: the Bot API, the store (whose file is fetched is decided by the
/// sender's role) and the dialogs (which word the computed line the reader passes over).
#[derive(Debug, Clone)]
pub struct Fetcher {
    pub bot: Bot,
    pub store: Store,
    pub catalog: Arc<Catalog>,
}

impl Fetcher {
    /// The file of one stored update, fetched and read, or `None` when it is not to be
    /// read. Only a file in the private chat that its sender may use is fetched
    /// (`fetch_plan`): anybody else's is never downloaded (the engine tells them so), and
    /// neither is anything in a group.
    pub async fn upload(&self, raw: &str) -> Option<Upload> {
        let file = serde_json::from_str::<Update>(raw)
            .ok()
            .as_ref()
            .and_then(incoming_file)?;
        let user = file.user;
        // A snapshot: it waits for no writer (and there are few files).
        let store = self.store.clone();
        let access = tokio::task::spawn_blocking(move || store.read(|view| view.access(user)))
            .await
            .unwrap_or_else(|join| Err(StoreError::Db(format!("store task failed: {join}"))));
        let access = match access {
            Ok(access) => access,
            Err(error) => {
                // Not fetched: the step answers that the file could not be fetched.
                tracing::warn!(%error, "cannot read the sender's role for a file");
                return None;
            }
        };
        let content = match fetch_plan(&access, &file.file_name, file.size) {
            Ok(kind) => self.fetch(&file, kind).await,
            // Somebody else's file is never downloaded: the engine answers it.
            Err(UploadContent::NotFetched) => return None,
            Err(refused) => refused,
        };
        Some(Upload {
            file_name: file.file_name,
            content,
        })
    }

    /// One file, fetched within the cap of its kind and the timeout, and read.
    async fn fetch(&self, file: &IncomingFile, kind: SentKind) -> UploadContent {
        let max = kind.max_bytes();
        let bytes =
            match tokio::time::timeout(FETCH_TIMEOUT, self.download(&file.file_id, max)).await {
                Ok(Ok(bytes)) => bytes,
                Ok(Err(Failure::TooLarge)) => return kind.too_large(None),
                Ok(Err(Failure::Network(reason))) => {
                    tracing::warn!(%reason, "a file could not be fetched");
                    return kind.not_downloaded();
                }
                Err(_) => {
                    tracing::warn!(
                        seconds = FETCH_TIMEOUT.as_secs(),
                        "fetching a file timed out"
                    );
                    return kind.not_downloaded();
                }
            };
        tracing::info!(bytes = bytes.len(), "a file was fetched");
        // Unzipping and parsing is CPU work: off the async threads.
        let catalog = self.catalog.clone();
        let name = file.file_name.clone();
        tokio::task::spawn_blocking(move || crate::report::read_sent_file(&catalog, &name, &bytes))
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "reading a file failed");
                kind.not_downloaded()
            })
    }

    /// `getFile`, then the bytes from the download URL, refused past `max` bytes.
    async fn download(&self, file_id: &str, max: u64) -> Result<Vec<u8>, Failure> {
        let file = self
            .bot
            .get_file(FileId(file_id.to_owned()))
            .await
            .map_err(|e| {
                super::observe::request_error("getFile", &e);
                Failure::Network(e.to_string())
            })?;
        if file.meta.size != u32::MAX && u64::from(file.meta.size) > max {
            return Err(Failure::TooLarge);
        }
        let url = format!(
            "{}/file/bot{}/{}",
            self.bot.api_url().as_str().trim_end_matches('/'),
            self.bot.token(),
            file.path
        );
        // reqwest's errors name the URL, and this URL holds the token: never log it.
        let network = |e: reqwest::Error| Failure::Network(e.without_url().to_string());
        let mut response = self
            .bot
            .client()
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(network)?;
        if response.content_length().is_some_and(|len| len > max) {
            return Err(Failure::TooLarge);
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            let len = u64::try_from(bytes.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
            if len > max {
                return Err(Failure::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// Why a download failed.
enum Failure {
    TooLarge,
    /// A network or Bot API error, described without the token.
    Network(String),
}
