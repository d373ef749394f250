//! End-to-end tests of the binary on its own, as `cargo install` or a package leaves it: a
//! copy of the built executable, alone in an empty folder, run there against the fake Bot
//! API. It must start with the dialogs built into it, and a centre's exported-and-edited
//! copy given with `--dialogs` must replace them.

mod support;

use rollcall::dialog::load_embedded;
use rollcall::domain::Lang;
use std::path::PathBuf;
use std::process::{Command, Output};
use support::{BotProcess, FakeTelegram, TEST_TOKEN};

/// An empty folder holding nothing but a copy of the `rollcall` binary, and a separate
/// folder for the bot's log (so that the first one stays as a user would have it).
struct Standalone {
    dir: tempfile::TempDir,
    logs: tempfile::TempDir,
    exe: PathBuf,
}

/// Waits until the fresh copy can be executed. While it was being written, a process that
/// another test thread forked at that moment may still hold the write descriptor (until
/// that child calls `exec`), and Linux refuses to run a file open for writing with
/// "Text file busy" (ETXTBSY). Seen once in CI; a bounded retry of a harmless
/// `--version` waits those children out, after which no writer is left.
fn wait_until_executable(exe: &std::path::Path) {
    for _ in 0..200 {
        match Command::new(exe).arg("--version").output() {
            Err(error) if error.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(error) => panic!("run the copied binary: {error}"),
            Ok(_) => return,
        }
    }
    panic!("the copied binary stayed busy for 2 s");
}

impl Standalone {
    fn new() -> Standalone {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let logs = tempfile::tempdir().expect("a temporary folder for logs");
        let exe = dir.path().join("rollcall");
        // `fs::copy` keeps the permission bits, so the copy is executable.
        std::fs::copy(env!("CARGO_BIN_EXE_rollcall"), &exe).expect("copy the binary");
        wait_until_executable(&exe);
        Standalone { dir, logs, exe }
    }

    /// `./rollcall <args>` in the folder, with no setting from the environment that could
    /// point it back at the source tree.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.exe);
        command
            .current_dir(self.dir.path())
            .env_remove("ROLLCALL_DIALOGS")
            .env_remove("ROLLCALL_CONFIG")
            .env_remove("ROLLCALL_DB")
            .env("RUST_LOG", "warn");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run rollcall")
    }

    /// Starts `./rollcall run <args>` against `fake` and waits until it polls.
    async fn start_bot(&self, fake: &FakeTelegram, args: &[&str]) -> BotProcess {
        let mut command = self.command();
        command.arg("run").arg("--unlimited-send").args(args);
        let log = self.logs.path().join(format!("bot-{}.log", args.len()));
        let mut bot = BotProcess::spawn_command(fake, command, &log);
        bot.wait_until_polling().await;
        bot
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The first question of the session dialog in Vietnamese, as the built-in files word it.
fn built_in_group_prompt() -> String {
    let catalog = load_embedded().expect("the built-in dialogs load");
    catalog.questions[0].prompt.get(Lang::Vi).to_owned()
}

/// Grants user 42 the organiser role in the folder's default database.
fn grant_organiser(standalone: &Standalone) {
    let output = standalone.run(&[
        "grant",
        "--user",
        "42",
        "--role",
        "organiser",
        "--centre",
        "Tràng An",
    ]);
    assert!(output.status.success(), "grant: {}", stderr(&output));
}

/// Sends `/log` as user 42 and returns the bot's answer.
async fn ask_log(fake: &FakeTelegram) -> String {
    let user = fake.user(42, "Lan", Some("vi"));
    fake.send_and_wait(&user, "/log").await.text
}

#[tokio::test]
async fn the_binary_alone_in_an_empty_folder_runs_with_its_built_in_dialogs() {
    let standalone = Standalone::new();
    assert!(
        !standalone.path("dialogs").exists(),
        "the folder must not have dialog files"
    );
    grant_organiser(&standalone);
    let fake = FakeTelegram::start(TEST_TOKEN).await;
    let mut bot = standalone.start_bot(&fake, &[]).await;

    let answer = ask_log(&fake).await;
    assert!(
        answer.contains(&built_in_group_prompt()),
        "/log must ask the built-in first question, got {answer:?}"
    );
    let status = bot.stop().await;
    assert!(status.success(), "exit {status}; log:\n{}", bot.log());
    assert!(
        standalone.path("rollcall.redb").is_file(),
        "the database is created in the working folder"
    );
    let entries: Vec<String> = std::fs::read_dir(standalone.dir.path())
        .expect("list the folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        !entries.iter().any(|name| name == "dialogs"),
        "running writes no dialog folder: {entries:?}"
    );
}

#[tokio::test]
async fn an_exported_and_edited_copy_replaces_the_built_in_wording() {
    let standalone = Standalone::new();
    let export = standalone.run(&["dialogs", "export", "mine"]);
    assert!(export.status.success(), "export: {}", stderr(&export));
    for name in [
        "groups.toml",
        "session.toml",
        "commands.toml",
        "messages.toml",
    ] {
        assert!(
            standalone.path("mine").join(name).is_file(),
            "{name} written"
        );
    }
    let session = standalone.path("mine").join("session.toml");
    let original = std::fs::read_to_string(&session).expect("read session.toml");
    let built_in = built_in_group_prompt();
    let edited_prompt = "Buổi học này thuộc nhóm nào? (lời của trung tâm)";
    assert!(
        original.contains(&built_in),
        "the export is the built-in text"
    );
    std::fs::write(&session, original.replace(&built_in, edited_prompt)).expect("edit");
    let check = standalone.run(&["check-dialogs", "mine"]);
    assert!(check.status.success(), "check-dialogs: {}", stderr(&check));

    grant_organiser(&standalone);
    let fake = FakeTelegram::start(TEST_TOKEN).await;
    let mut bot = standalone.start_bot(&fake, &["--dialogs", "mine"]).await;
    let answer = ask_log(&fake).await;
    assert!(
        answer.contains(edited_prompt),
        "/log must ask the edited question, got {answer:?}"
    );
    assert!(
        !answer.contains(&built_in),
        "not the built-in one: {answer:?}"
    );
    let status = bot.stop().await;
    assert!(status.success(), "exit {status}; log:\n{}", bot.log());
}

#[test]
fn a_problem_in_a_custom_folder_names_the_folder_and_the_flag() {
    let standalone = Standalone::new();
    let export = standalone.run(&["dialogs", "export", "mine"]);
    assert!(export.status.success(), "export: {}", stderr(&export));
    let groups = standalone.path("mine").join("groups.toml");
    let mut text = std::fs::read_to_string(&groups).expect("read groups.toml");
    text.insert_str(0, "colour = \"blue\"\n");
    std::fs::write(&groups, text).expect("break groups.toml");

    let output = standalone
        .command()
        .args(["run", "--dialogs", "mine"])
        .env("TELOXIDE_TOKEN", TEST_TOKEN)
        // Nothing listens there: the dialogs are checked before Telegram is called.
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .output()
        .expect("run rollcall");
    let message = stderr(&output);
    // 78, EX_CONFIG: systemd does not restart a bot that can only fail again.
    assert_eq!(output.status.code(), Some(78), "{message}");
    assert!(
        message.contains(&format!("mine{}groups.toml", std::path::MAIN_SEPARATOR)),
        "{message}"
    );
    assert!(message.contains("the dialog files in mine"), "{message}");
    assert!(message.contains("--dialogs"), "{message}");
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn check_dialogs_without_a_folder_checks_the_configured_one_else_the_built_in_ones() {
    let standalone = Standalone::new();
    let built_in = standalone.run(&["check-dialogs"]);
    assert!(built_in.status.success(), "{}", stderr(&built_in));
    assert!(
        stdout(&built_in).contains("built-in"),
        "{}",
        stdout(&built_in)
    );

    let export = standalone.run(&["dialogs", "export", "mine"]);
    assert!(export.status.success(), "export: {}", stderr(&export));
    std::fs::write(
        standalone.path("mine").join("messages.toml"),
        "this is not = = toml\n",
    )
    .expect("break messages.toml");
    // Through the environment variable...
    let output = standalone
        .command()
        .arg("check-dialogs")
        .env("ROLLCALL_DIALOGS", "mine")
        .output()
        .expect("run rollcall");
    assert!(!output.status.success(), "the configured folder is broken");
    assert!(
        stderr(&output).contains("messages.toml"),
        "{}",
        stderr(&output)
    );
    // ...and through the configuration file.
    std::fs::write(standalone.path("rollcall.toml"), "dialogs = \"mine\"\n").expect("config");
    let output = standalone.run(&["check-dialogs", "--config", "rollcall.toml"]);
    assert!(!output.status.success(), "the configured folder is broken");
    assert!(
        stderr(&output).contains("messages.toml"),
        "{}",
        stderr(&output)
    );
    // A folder on the command line still wins.
    let output = standalone.run(&["--config", "rollcall.toml", "check-dialogs", "elsewhere"]);
    assert!(stderr(&output).contains("elsewhere"), "{}", stderr(&output));
}

#[test]
fn export_keeps_an_edited_copy_unless_forced() {
    let standalone = Standalone::new();
    assert!(standalone
        .run(&["dialogs", "export", "mine"])
        .status
        .success());
    let groups = standalone.path("mine").join("groups.toml");
    std::fs::write(&groups, "# edited\n").expect("edit");
    let again = standalone.run(&["dialogs", "export", "mine"]);
    assert!(
        !again.status.success(),
        "a second export must not overwrite"
    );
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(&groups).expect("read"),
        "# edited\n",
        "the edited file is kept"
    );
    let forced = standalone.run(&["dialogs", "export", "mine", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    // The export is exactly what is built in.
    for (name, text) in rollcall::dialog::load::EMBEDDED {
        let written = std::fs::read_to_string(standalone.path("mine").join(name)).expect("read");
        assert_eq!(written, text, "{name}");
    }
}
