//! Downloading a file a user sent: `getFile` for its path, then the file itself from the
//! Bot API's file URL, stopping at a size cap whatever the server says or sends.
//!
//! (Issue 15's import uses it; the Word documents sent back (issue 14) need the same,
//! so this file only knows Telegram, not what the file is for.)

use std::time::Duration;
use teloxide_core::prelude::Requester;
use teloxide_core::types::FileId;
use teloxide_core::{Bot, RequestError};

/// How long the download of one file may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a file could not be downloaded.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// Larger than the cap (said by `getFile`, by the response, or found while reading).
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    /// Telegram refused (the file is gone, too big for bots, a bad id): trying again
    /// will not help.
    #[error("Telegram refused the file: {0}")]
    Refused(String),
    /// The network or the server failed: worth another try.
    #[error("the download failed: {0}")]
    Failed(String),
}

/// The bytes of the file `file_id`, at most `max_bytes` of them.
pub async fn download(bot: &Bot, file_id: &str, max_bytes: u64) -> Result<Vec<u8>, DownloadError> {
    let file = bot
        .get_file(FileId(file_id.to_owned()))
        .await
        .map_err(|error| match error {
            RequestError::Api(api) => DownloadError::Refused(api.to_string()),
            other => DownloadError::Failed(other.to_string()),
        })?;
    // teloxide reads a missing size as u32::MAX: then only the download tells.
    if file.meta.size != u32::MAX && u64::from(file.meta.size) > max_bytes {
        return Err(DownloadError::TooLarge { max: max_bytes });
    }
    // The URL holds the token: reqwest's errors lose it before they are shown.
    let url = format!(
        "{}/file/bot{}/{}",
        bot.api_url().as_str().trim_end_matches('/'),
        bot.token(),
        file.path.trim_start_matches('/')
    );
    let mut response = bot
        .client()
        .get(url)
        .timeout(DOWNLOAD_TIMEOUT)
        .send()
        .await
        .map_err(|e| DownloadError::Failed(e.without_url().to_string()))?;
    let status = response.status();
    if status.is_client_error() {
        return Err(DownloadError::Refused(format!("HTTP {status}")));
    }
    if !status.is_success() {
        return Err(DownloadError::Failed(format!("HTTP {status}")));
    }
    if response
        .content_length()
        .is_some_and(|length| length > max_bytes)
    {
        return Err(DownloadError::TooLarge { max: max_bytes });
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| DownloadError::Failed(e.without_url().to_string()))?
    {
        if (bytes.len() + chunk.len()) as u64 > max_bytes {
            return Err(DownloadError::TooLarge { max: max_bytes });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
