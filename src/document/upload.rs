//! A file a director sends in the private chat, as the engine receives it: already
//! downloaded and read by the adapter, never its bytes. A report document sent back (the
//! `.docx` edited in Word, LibreOffice or WPS) arrives as the texts found under each
//! heading; a sessions spreadsheet (`.xlsx`, `.csv`) to bring in past sessions as its
//! rows (`crate::import`); either with why it could not be used. `fetch_plan` is the one
//! rule of which files are fetched, and how many bytes at most. Also how a change of the
//! document is shown in the chat: the changed lines only, shortened.

use super::Part;
use crate::import::{self, kind_of_name, FileKind, ImportRows};
use crate::roles::Access;

/// The largest file the bot downloads and reads. The report of one centre with its table
/// is some tens of kilobytes; 2 MB leaves room for a logo or a scanned signature, and
/// keeps a download (and the memory it takes) small. Telegram gives the size first, so a
/// larger file is refused before it is fetched.
pub const MAX_UPLOAD_BYTES: u64 = 2 * 1024 * 1024;

/// A file sent to the bot in the private chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file's name as the sender's app gave it (untrusted: shown back escaped).
    pub file_name: String,
    pub content: UploadContent,
}

/// What became of an uploaded file before the engine saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadContent {
    /// Not downloaded: the adapter fetches files only where they can be used (a
    /// director's private chat), so anybody else's file is never read.
    NotFetched,
    /// Downloaded and read.
    Read(ReadBack),
    /// Downloaded (or refused by its size) but not usable, and why.
    Refused(ReadProblem),
    /// A sessions spreadsheet, downloaded and read into rows, or why it could not be
    /// (refused by its size or its format before the download, not handed over, not
    /// readable).
    Sessions(Result<ImportRows, import::ReadProblem>),
}

/// What a sent file is taken for before its bytes are seen (by its name; the reader
/// then goes by the content, see `report::read_sent_file`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentKind {
    /// A report document sent back (any name that is not a spreadsheet's).
    Document,
    /// A sessions spreadsheet (`.xlsx`, `.csv`).
    Sessions,
}

impl SentKind {
    /// The most bytes fetched and read of a file of this kind. Both are 2 MB today: a
    /// report document is tens of kilobytes (a logo or a scanned signature aside), and a
    /// sessions file of `import::MAX_ROWS` rows is a few hundred kilobytes as CSV and less
    /// as XLSX.
    pub fn max_bytes(self) -> u64 {
        match self {
            SentKind::Document => MAX_UPLOAD_BYTES,
            SentKind::Sessions => import::MAX_FILE_BYTES,
        }
    }

    /// What the engine is told of a file of this kind that was too large.
    pub fn too_large(self, size: Option<u64>) -> UploadContent {
        match self {
            SentKind::Document => UploadContent::Refused(ReadProblem::TooLarge),
            SentKind::Sessions => {
                UploadContent::Sessions(Err(import::ReadProblem::TooLarge { size }))
            }
        }
    }

    /// What the engine is told of a file of this kind that Telegram did not hand over.
    pub fn not_downloaded(self) -> UploadContent {
        match self {
            SentKind::Document => UploadContent::Refused(ReadProblem::NotDownloaded),
            SentKind::Sessions => UploadContent::Sessions(Err(import::ReadProblem::Download)),
        }
    }
}

/// Whether the adapter downloads a file called `file_name` of `size` bytes (when
/// Telegram says) sent in the private chat by someone with `access`: `Ok` with its kind
/// (and so its cap), or `Err` with what the engine is told without a download. Only a
/// file that can be used is fetched: a spreadsheet from someone who may bring in
/// sessions, any other file from a director (read as a report document); anybody
/// else's file is never downloaded, and neither is one Telegram says is too large or an
/// old spreadsheet format that cannot be read.
pub fn fetch_plan(
    access: &Access,
    file_name: &str,
    size: Option<u64>,
) -> Result<SentKind, UploadContent> {
    let kind = match kind_of_name(file_name) {
        FileKind::Other => SentKind::Document,
        FileKind::OtherSpreadsheet if access.may_import() => {
            return Err(UploadContent::Sessions(Err(
                import::ReadProblem::OtherSpreadsheet,
            )))
        }
        _ => SentKind::Sessions,
    };
    let allowed = match kind {
        SentKind::Document => access.may_send_document(),
        SentKind::Sessions => access.may_import(),
    };
    if !allowed {
        return Err(UploadContent::NotFetched);
    }
    if size.is_some_and(|size| size > kind.max_bytes()) {
        return Err(kind.too_large(size));
    }
    Ok(kind)
}

/// The written parts found in a report document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadBack {
    /// Each part found, in the order of the document, as text (one paragraph a line),
    /// not yet cleaned. Computed parts (table III.2, the number of participants, the
    /// closing sentence) are never among them.
    pub parts: Vec<(Part, String)>,
    /// The parts looked for and not found (their heading was removed or renamed, or the
    /// header or signature table was changed beyond recognition): they stay as stored.
    pub not_found: Vec<Part>,
}

/// Why an uploaded file cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadProblem {
    /// Larger than `MAX_UPLOAD_BYTES`, or unpacking to more than a report can hold (a zip
    /// bomb).
    TooLarge,
    /// Not a `.docx`: not a zip file, or a zip file without a Word document (an old
    /// `.doc`, a PDF, a picture).
    NotDocx,
    /// A `.docx` whose text cannot be read: a damaged zip entry, or XML that is not well
    /// formed.
    Broken,
    /// A Word document without the report's section headings (some other document).
    NoHeadings,
    /// Telegram did not hand the file over (a network problem or a timeout).
    NotDownloaded,
}

/// How a part's text changed, for the chat: the lines that differ, with the lines the
/// two texts share at the start and at the end left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    /// The differing lines of the stored text (may be empty when lines were only added).
    pub old: Vec<String>,
    /// The differing lines of the new text (may be empty when lines were only removed).
    pub new: Vec<String>,
    /// Whether shared lines before them were left out.
    pub cut_before: bool,
    /// Whether shared lines after them were left out.
    pub cut_after: bool,
}

/// The lines in which `new` differs from `old`. When one side would show nothing (lines
/// only added or only removed), one shared line next to the change is kept on both sides,
/// so that the reader sees where the change is.
pub fn line_change(old: &str, new: &str) -> LineChange {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let shortest = old.len().min(new.len());
    let mut head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let mut tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(shortest - head)
        .take_while(|(a, b)| a == b)
        .count();
    if old.len() == head + tail || new.len() == head + tail {
        // One side is empty: keep a shared line as context, before the change if any.
        if head > 0 {
            head -= 1;
        } else {
            tail = tail.saturating_sub(1);
        }
    }
    let middle = |lines: &[&str]| -> Vec<String> {
        lines[head..lines.len() - tail]
            .iter()
            .map(|l| (*l).to_owned())
            .collect()
    };
    LineChange {
        old: middle(&old),
        new: middle(&new),
        cut_before: head > 0,
        cut_after: tail > 0,
    }
}

/// `text` cut to at most `max` characters (at a space where one is near), with "…" where
/// it was cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(1);
    let limit = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    // A space in the last fifth of the piece ends it on a whole word.
    let cut = head
        .rfind([' ', '\n'])
        .filter(|&i| i >= limit - limit / 5)
        .unwrap_or(limit);
    format!("{}…", head[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn change(old: &str, new: &str) -> (Vec<String>, Vec<String>, bool, bool) {
        let c = line_change(old, new);
        (c.old, c.new, c.cut_before, c.cut_after)
    }

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| (*s).to_owned()).collect()
    }

    fn access(supervisor: bool, role: Option<crate::roles::Role>) -> Access {
        Access {
            supervisor,
            centres: role
                .map(|role| crate::roles::Membership {
                    centre: 1,
                    centre_name: "Tràng An".to_owned(),
                    role,
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn only_a_file_its_sender_can_use_is_fetched_within_the_cap_of_its_kind() {
        use crate::roles::Role;
        let director = access(false, Some(Role::Director));
        let organiser = access(false, Some(Role::Organiser));
        let supervisor = access(true, None);
        let small = Some(1_000);
        assert_eq!(
            fetch_plan(&director, "bao-cao.docx", small),
            Ok(SentKind::Document)
        );
        assert_eq!(
            fetch_plan(&director, "buoi.csv", small),
            Ok(SentKind::Sessions)
        );
        assert_eq!(
            fetch_plan(&supervisor, "buoi.xlsx", None),
            Ok(SentKind::Sessions)
        );
        // A supervisor sends no report document back; an organiser neither kind.
        for (who, name) in [
            (&supervisor, "bao-cao.docx"),
            (&organiser, "bao-cao.docx"),
            (&organiser, "buoi.csv"),
        ] {
            assert_eq!(fetch_plan(who, name, small), Err(UploadContent::NotFetched));
        }
        // Too large by what Telegram says, or an old spreadsheet: answered unfetched.
        let large = Some(SentKind::Sessions.max_bytes() + 1);
        assert_eq!(
            fetch_plan(&director, "buoi.xlsx", large),
            Err(UploadContent::Sessions(Err(
                import::ReadProblem::TooLarge { size: large }
            )))
        );
        assert_eq!(
            fetch_plan(&director, "bao-cao.docx", Some(MAX_UPLOAD_BYTES + 1)),
            Err(UploadContent::Refused(ReadProblem::TooLarge))
        );
        assert_eq!(
            fetch_plan(&director, "cu.xls", small),
            Err(UploadContent::Sessions(Err(
                import::ReadProblem::OtherSpreadsheet
            )))
        );
        assert_eq!(
            fetch_plan(&organiser, "cu.xls", small),
            Err(UploadContent::NotFetched)
        );
    }

    #[test]
    fn only_the_differing_lines_are_shown() {
        assert_eq!(
            change("a\nb\nc\nd", "a\nB\nc\nd"),
            (lines(&["b"]), lines(&["B"]), true, true)
        );
        assert_eq!(
            change("one", "two"),
            (lines(&["one"]), lines(&["two"]), false, false)
        );
    }

    #[test]
    fn added_or_removed_lines_keep_a_shared_line_for_context() {
        assert_eq!(
            change("a\nb", "a\nb\nc"),
            (lines(&["b"]), lines(&["b", "c"]), true, false)
        );
        assert_eq!(
            change("x\na\nb", "a\nb"),
            (lines(&["x", "a"]), lines(&["a"]), false, true)
        );
    }

    #[test]
    fn long_texts_are_cut_on_a_word_with_an_ellipsis() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("một hai ba bốn năm", 12), "một hai ba…");
        assert_eq!(shorten(&"ơ".repeat(20), 5), "ơơơơ…");
    }

    proptest! {
        #[test]
        fn a_change_never_panics_and_keeps_the_difference(
            old in "[ab\n]{0,20}", new in "[ab\n]{0,20}", max in 1usize..30
        ) {
            let c = line_change(&old, &new);
            if old.lines().ne(new.lines()) {
                prop_assert!(c.old != c.new);
            }
            prop_assert!(shorten(&old, max).chars().count() <= max.max(1));
        }
    }
}
