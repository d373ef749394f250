//! The spool: report files waiting to be sent, kept in a folder beside the database
//! (`<db file name>.files/`) so that their bytes never go through redb or the store thread.
//!
//! The report worker writes a built file here (`put`, on its own low-priority thread) and
//! commits an outbox row that carries only the file's reference (`FileBody::Spooled`). The
//! sender streams the file from disk and deletes it (`remove`) once it is done with the row,
//! before the row's removal commits. So after a crash:
//!
//! - a file written but not yet referenced by a committed row is an orphan: its job was not
//!   finished and is built again; the sweep at start (`sweep`) removes the orphan;
//! - a committed row always finds its file, since the file was synced (and the folder
//!   entry too) before the commit;
//! - a row whose file is gone was delivered before the crash (the file is deleted right
//!   after delivery): the sender drops it without sending it twice.
//!
//! The store stays the only redb user; the spool is its other on-disk part.

use crate::outgoing::SpoolRef;
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The name ending of a file being written: renamed away once it is complete and synced;
/// one left by a crash is removed by the sweep.
const PARTIAL: &str = ".partial";

/// The spool folder of one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// The spool of the database at `db`: the folder `<db file name>.files` beside it
    /// (created by the first `put`).
    pub fn beside(db: &Path) -> Spool {
        let mut name = db.file_name().map(|n| n.to_owned()).unwrap_or_default();
        name.push(".files");
        Spool {
            dir: db.with_file_name(name),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` as the file `name` (a plain file name: letters, digits, `-`, `_` and
    /// `.`) and returns its reference. The bytes go to a temporary name, are synced, then
    /// renamed, and the folder is synced: once this returns, the file survives a crash
    /// whole. A file of that name already there (a rebuild after a crash) is replaced.
    /// Blocks on disk I/O: call it off the store thread (the report worker's build thread).
    pub fn put(&self, name: &str, bytes: &[u8]) -> io::Result<SpoolRef> {
        if !is_plain_name(name) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("not a spool file name: {name:?}"),
            ));
        }
        fs::create_dir_all(&self.dir)?;
        let partial = self.dir.join(format!("{name}{PARTIAL}"));
        let result = (|| {
            let mut file = File::create(&partial)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&partial, self.dir.join(name))?;
            sync_dir(&self.dir)
        })();
        if let Err(error) = result {
            // Best effort: the sweep at the next start removes it otherwise.
            let _ = fs::remove_file(&partial);
            return Err(error);
        }
        Ok(SpoolRef {
            name: name.to_owned(),
            len: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        })
    }

    /// Where the file of `spooled` is; `None` when its name is not a plain file name (a
    /// damaged row must not name a path outside the spool).
    pub fn path(&self, spooled: &SpoolRef) -> Option<PathBuf> {
        is_plain_name(&spooled.name).then(|| self.dir.join(&spooled.name))
    }

    /// Reads the file of `spooled` (tests, the console). Blocks.
    pub fn read(&self, spooled: &SpoolRef) -> io::Result<Vec<u8>> {
        let path = self.path(spooled).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("not a spool file name: {:?}", spooled.name),
            )
        })?;
        fs::read(path)
    }

    /// Deletes the file of `spooled`; one already gone is not an error. Blocks.
    pub fn remove(&self, spooled: &SpoolRef) -> io::Result<()> {
        let Some(path) = self.path(spooled) else {
            return Ok(());
        };
        match fs::remove_file(path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }

    /// Removes every file of the folder whose name is not in `keep` (the files outbox rows
    /// reference), and every partly written file; returns how many were removed. Call it
    /// only while nothing writes to the spool (at start, before the report worker runs).
    /// Blocks.
    pub fn sweep(&self, keep: &HashSet<String>) -> io::Result<usize> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(error) => return Err(error),
        };
        let mut removed = 0usize;
        for entry in entries {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if keep.contains(&name) && !name.ends_with(PARTIAL) {
                continue;
            }
            match fs::remove_file(entry.path()) {
                Ok(()) => removed = removed.saturating_add(1),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
        }
        Ok(removed)
    }

    /// The names of the files in the folder, sorted (tests, `rollcall check`).
    pub fn names(&self) -> io::Result<Vec<String>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let mut names = Vec::new();
        for entry in entries {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        Ok(names)
    }
}

/// Whether `name` is a plain file name the spool writes: no separator, no `..`, not empty.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Syncs a folder, so that a rename inside it survives a crash (Unix; elsewhere folders
/// cannot be opened as files and the rename is left to the file system).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_put_read_and_removed_and_the_sweep_keeps_only_what_rows_name() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let spool = Spool::beside(&dir.path().join("bot.redb"));
        assert_eq!(spool.dir(), dir.path().join("bot.redb.files"));
        assert_eq!(spool.names().expect("no folder yet"), Vec::<String>::new());
        let kept = spool.put("3-0", b"kept").expect("put");
        assert_eq!(kept.len, 4);
        let orphan = spool.put("3-1", b"orphan").expect("put");
        // A rebuild after a crash replaces the file of the same name.
        spool.put("3-1", b"rebuilt").expect("put again");
        assert_eq!(spool.read(&orphan).expect("read"), b"rebuilt");
        fs::write(spool.dir().join("4-0.partial"), b"half").expect("a crash's leftover");
        let keep: HashSet<String> = ["3-0".to_owned(), "4-0.partial".to_owned()].into();
        assert_eq!(spool.sweep(&keep).expect("swept"), 2);
        assert_eq!(spool.names().expect("names"), ["3-0"]);
        spool.remove(&kept).expect("removed");
        spool.remove(&kept).expect("removing again is no error");
        assert!(spool.names().expect("names").is_empty());
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let spool = Spool::beside(&dir.path().join("bot.redb"));
        for name in ["../x", "a/b", "", ".hidden", ".."] {
            assert!(spool.put(name, b"x").is_err(), "{name}");
            let reference = SpoolRef {
                name: name.to_owned(),
                len: 1,
            };
            assert!(spool.path(&reference).is_none(), "{name}");
        }
        assert!(!dir.path().join("x").exists());
    }
}
