//! Loading `dialogs/`: TOML files into serde mirror structs, then compiled into a `Catalog`.
//!
//! STUB: the bodies are being written; the signatures are the contract.

#![allow(unused_variables)]

use super::catalog::Catalog;
use std::path::{Path, PathBuf};

/// One problem found in the dialog files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct DialogError {
    pub file: PathBuf,
    pub message: String,
}

/// Loads and validates every dialog file in `dir`; on failure returns every problem found.
pub fn load_dir(dir: &Path) -> Result<Catalog, Vec<DialogError>> {
    unimplemented!()
}
