//! Loading `dialogs/`: TOML files into serde mirror structs, then compiled into a `Catalog`.
//!
//! Loading happens in two stages so that a centre editing the files gets every
//! mistake at once, each named by file and place. Stage 1 (`spec`) only reads
//! each file into structs that mirror its layout and refuses unknown fields;
//! stage 2 (`compile`) checks the content across files and builds the `Catalog`.

mod compile;
mod spec;

use super::catalog::Catalog;
use std::path::{Path, PathBuf};

/// One problem found in the dialog files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct DialogError {
    pub file: PathBuf,
    pub message: String,
}

/// The activity groups (rows of the report).
pub const GROUPS_FILE: &str = "groups.toml";
/// The questions of the session dialog.
pub const SESSION_FILE: &str = "session.toml";
/// The bot commands and their menu descriptions.
pub const COMMANDS_FILE: &str = "commands.toml";
/// Every other text the bot sends.
pub const MESSAGES_FILE: &str = "messages.toml";
/// Every file `load_dir` reads, in the order it reads them.
pub const FILES: [&str; 4] = [GROUPS_FILE, SESSION_FILE, COMMANDS_FILE, MESSAGES_FILE];

/// The commands `commands.toml` must list, because the bot handles them.
pub const REQUIRED_COMMANDS: &[&str] =
    &["start", "log", "totals", "report", "cancel", "help", "lang"];

/// The shipped dialog files, compiled into the binary so that it starts from any folder
/// (and after `cargo install`) without a `dialogs/` folder next to it: name and content,
/// in the order of [`FILES`].
pub const EMBEDDED: [(&str, &str); 4] = [
    (GROUPS_FILE, include_str!("../../dialogs/groups.toml")),
    (SESSION_FILE, include_str!("../../dialogs/session.toml")),
    (COMMANDS_FILE, include_str!("../../dialogs/commands.toml")),
    (MESSAGES_FILE, include_str!("../../dialogs/messages.toml")),
];

/// The folder name that problems of the built-in files are reported under (they have no
/// folder on disk; a problem there is a bug the tests catch before a release).
pub const EMBEDDED_LABEL: &str = "(built-in dialogs)";

/// Loads and validates the dialog files compiled into the binary.
pub fn load_embedded() -> Result<Catalog, Vec<DialogError>> {
    let dir = Path::new(EMBEDDED_LABEL);
    load_with(
        dir,
        |name| {
            EMBEDDED
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, text)| Ok((*text).to_owned()))
                .unwrap_or_else(|| Err(std::io::ErrorKind::NotFound.into()))
        },
        |_| {},
    )
    .map_err(|problems| problems.into_vec())
}

/// Loads and validates every dialog file in `dir`; on failure returns every problem found.
pub fn load_dir(dir: &Path) -> Result<Catalog, Vec<DialogError>> {
    load_with(
        dir,
        |name| std::fs::read_to_string(dir.join(name)),
        |problems| unknown_files(dir, problems),
    )
    .map_err(|problems| problems.into_vec())
}

/// Reads the four files through `open` (by file name), lets `check_folder` add problems
/// of the folder itself, then parses and compiles them; the problems name each file as
/// `dir/<name>`.
fn load_with(
    dir: &Path,
    open: impl Fn(&str) -> std::io::Result<String>,
    check_folder: impl FnOnce(&mut compile::Problems),
) -> Result<Catalog, compile::Problems> {
    let mut problems = compile::Problems::default();
    let groups = read(dir, GROUPS_FILE, &open, &mut problems, |s| {
        toml::from_str::<spec::GroupsFile>(s)
    });
    let session = read(dir, SESSION_FILE, &open, &mut problems, |s| {
        toml::from_str::<spec::SessionFile>(s)
    });
    let commands = read(dir, COMMANDS_FILE, &open, &mut problems, |s| {
        toml::from_str::<spec::CommandsFile>(s)
    });
    let messages = read(dir, MESSAGES_FILE, &open, &mut problems, |s| {
        toml::from_str::<spec::MessagesFile>(s)
    });
    check_folder(&mut problems);
    let catalog = compile::compile(
        compile::Sources {
            groups,
            session,
            commands,
            messages,
        },
        &mut problems,
    );
    match catalog {
        Some(catalog) if problems.is_empty() => Ok(catalog),
        _ => Err(problems),
    }
}

/// Reads and parses one file; a missing, unreadable or malformed file becomes a problem.
fn read<T>(
    dir: &Path,
    name: &str,
    open: &impl Fn(&str) -> std::io::Result<String>,
    problems: &mut compile::Problems,
    parse: impl FnOnce(&str) -> Result<T, toml::de::Error>,
) -> Option<(PathBuf, T)> {
    let path = dir.join(name);
    let text = match open(name) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.add(&path, "file is missing".to_owned());
            return None;
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            problems.add(&path, "file is not UTF-8 text; save it as UTF-8".to_owned());
            return None;
        }
        Err(e) => {
            problems.add(&path, format!("cannot read the file: {e}"));
            return None;
        }
    };
    match parse(&text) {
        Ok(parsed) => Some((path, parsed)),
        Err(e) => {
            // toml's message already names the line and column and quotes the line;
            // only the trailing newline is trimmed so the list of problems stays tidy.
            problems.add(&path, e.to_string().trim_end().to_owned());
            None
        }
    }
}

/// Reports `.toml` files the loader does not read: most likely a misspelt file name,
/// whose content would otherwise be silently ignored.
fn unknown_files(dir: &Path, problems: &mut compile::Problems) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut unknown: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_none_or(|name| !FILES.contains(&name))
        })
        .collect();
    unknown.sort();
    for path in unknown {
        problems.add(
            &path,
            format!(
                "unknown dialog file; the files read are {}",
                FILES.join(", ")
            ),
        );
    }
}
