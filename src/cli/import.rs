//! `rollcall import FILE --centre NAME [--yes]`: brings the sessions of a spreadsheet
//! into a centre from the command line, with the same reading, the same check and the
//! same store call as a file a director sends in the chat. Prints the check; adds the
//! sessions after "y" on a terminal, or at once with `--yes`; refuses to guess when
//! standard input is not a terminal. Run it while the bot is stopped (one process opens
//! the database at a time).

use crate::config::{Loaded, Settings};
use crate::console::plain_text;
use crate::dialog::engine::{problem_text, render_check};
use crate::domain::{Lang, Now};
use crate::import::MAX_FILE_BYTES;
use crate::report;
use crate::runtime::import::{check_file, import_checked};
use anyhow::{bail, Context};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Who `rollcall import` records as having logged and imported the sessions: the
/// command line, like `grant`.
const COMMAND_LINE: i64 = 0;

/// The arguments of `rollcall import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub settings: Settings,
    /// The sessions file (.xlsx or .csv, in the layout of the sessions sheet the bot
    /// exports, or the template of /mau).
    pub file: PathBuf,
    /// The centre the sessions are for (as `rollcall users` names it).
    #[arg(long)]
    pub centre: String,
    /// Add the sessions the check accepts without asking.
    #[arg(long)]
    pub yes: bool,
    /// The language of the check.
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

/// Runs `rollcall import`.
pub fn run(args: &ImportArgs, loaded: &Loaded) -> anyhow::Result<()> {
    let lang = Lang::from_code(&args.lang).context("--lang must be vi or en")?;
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        bail!(
            "{} is {size} bytes; a sessions file may have at most {MAX_FILE_BYTES}: split it",
            args.file.display()
        );
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let crate::app::App { store, runtime, .. } = crate::app::start(&args.settings, &loaded.config)?;
    let centre = super::report::find_centre(&store, &args.centre)?;
    let centre_name = store.read(|tx| tx.centre_name(centre))?.unwrap_or_default();
    let file_name = args
        .file
        .file_name()
        .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
    let rows = match report::read_import(&file_name, &bytes, &runtime.catalog) {
        Ok(rows) => rows,
        Err(problem) => bail!(
            "{}",
            plain_text(&problem_text(&runtime.catalog, &problem, lang))
        ),
    };
    let now = Now::in_zone(chrono::Utc::now(), args.settings.zone);
    let check =
        store.read(|tx| check_file(&runtime, tx, centre, COMMAND_LINE, &rows, now, lang))?;
    let message = render_check(
        &runtime.catalog,
        &check,
        &centre_name,
        &file_name,
        lang,
        None,
    );
    println!("{}", plain_text(&message.html));
    if check.added.is_empty() {
        return Ok(());
    }

    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!(
                "standard input is not a terminal, so nothing was added: run again with --yes \
                 to add the {} sessions",
                check.added.len()
            );
        }
        print!(
            "\nAdd these {} sessions to {centre_name}? [y/N] ",
            check.added.len()
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        let yes = ["y", "yes", "c", "co", "có"].contains(&answer.trim().to_lowercase().as_str());
        if !yes {
            println!(
                "{}",
                plain_text(runtime.catalog.text("import.skipped", lang))
            );
            return Ok(());
        }
    }

    // Checked again in the writing transaction: the file is added only as it was shown.
    let shown = check.added_lines();
    let saved = store.write(|tx| {
        let again = check_file(&runtime, tx, centre, COMMAND_LINE, &rows, now, lang)?;
        if again.added_lines() != shown {
            return Ok(None);
        }
        import_checked(
            &runtime,
            tx,
            centre,
            &file_name,
            &again.sessions(),
            COMMAND_LINE,
            now,
        )
        .map(Some)
    })?;
    let Some(saved) = saved else {
        bail!("the database changed since the check; nothing was added: run the import again");
    };
    let (Some(first), Some(last)) = (saved.first(), saved.last()) else {
        return Ok(());
    };
    println!(
        "{}",
        plain_text(&runtime.catalog.render(
            "import.added",
            lang,
            &[
                ("count", &saved.len().to_string()),
                ("first", &first.id.to_string()),
                ("last", &last.id.to_string()),
                ("centre", &centre_name),
            ],
        ))
    );
    Ok(())
}
