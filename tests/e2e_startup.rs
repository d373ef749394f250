//! Start-up of the real binary: a problem only a change of configuration can fix (a token
//! Telegram refuses, a broken setting) ends the process at once with one line and exit
//! code 78 (EX_CONFIG), and `--help`/`--version` answer without reading the configuration.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::{FakeTelegram, TEST_TOKEN};

/// `EX_CONFIG` of sysexits.h: what deploy/rollcall.service's `RestartPreventExitStatus`
/// names.
const EX_CONFIG: i32 = 78;

/// A token of Telegram's shape that the fake does not know.
const WRONG_TOKEN: &str = "987654321:AAWrongTokenThatMustNeverBeLogged";

fn rollcall(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rollcall"));
    command
        .current_dir(dir)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("ROLLCALL_CONFIG")
        .env_remove("ROLLCALL_ZONE")
        .env_remove("ROLLCALL_DIALOGS")
        .env("RUST_LOG", "info");
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command on a blocking thread (the fake Telegram runs on the test's runtime
/// meanwhile) and returns its output and how long it took; a process still running after
/// 15 s is killed, so a bot that retries for ever fails the test instead of hanging it.
async fn run_timed(mut command: Command) -> (Output, Duration) {
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start rollcall");
        while child.try_wait().expect("poll the process").is_none()
            && started.elapsed() < Duration::from_secs(15)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        let took = started.elapsed();
        // Killing fails only when the process already ended, which is the normal case.
        let _ = child.kill();
        (child.wait_with_output().expect("collect the output"), took)
    })
    .await
    .expect("the command's thread")
}

#[tokio::test]
async fn a_token_telegram_refuses_exits_78_at_once_with_one_line_without_the_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = FakeTelegram::start(TEST_TOKEN).await;
    // A supervisor exists, so the start prints no reminder to create one: the refusal is
    // all the bot has to say.
    let granted = rollcall(dir.path())
        .args(["grant", "--user", "1", "--role", "supervisor"])
        .output()
        .expect("grant");
    assert!(granted.status.success(), "{}", stderr(&granted));

    let mut command = rollcall(dir.path());
    command
        .arg("run")
        .env("TELOXIDE_TOKEN", WRONG_TOKEN)
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("NO_PROXY", "127.0.0.1,localhost");
    let (output, took) = run_timed(command).await;

    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(EX_CONFIG), "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {message}");
    let lines: Vec<&str> = message.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {message}");
    assert!(lines[0].contains("token"), "{message}");
    assert!(lines[0].contains("TELOXIDE_TOKEN"), "{message}");
    assert!(!message.contains(WRONG_TOKEN), "{message}");
    assert!(!message.contains("AAWrongToken"), "{message}");
    // Nothing reached the fake's methods: every request with the wrong token was refused.
    assert!(
        fake.calls("getUpdates").is_empty(),
        "{}",
        fake.dump_calls(10)
    );
}

#[test]
fn a_missing_token_and_a_broken_setting_exit_78_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = rollcall(dir.path()).arg("run").output().expect("run");
    assert_eq!(output.status.code(), Some(EX_CONFIG), "{}", stderr(&output));
    assert!(stderr(&output).contains("TELOXIDE_TOKEN is not set"));

    let output = rollcall(dir.path())
        .arg("run")
        .env("TELOXIDE_TOKEN", WRONG_TOKEN)
        .env("ROLLCALL_ZONE", "Asia/Atlantis")
        .output()
        .expect("run");
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(EX_CONFIG), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(message.contains("Asia/Atlantis"), "{message}");

    std::fs::write(dir.path().join("rollcall.toml"), "zone_typo = 1\n").expect("config");
    let output = rollcall(dir.path())
        .args(["run", "--config", "rollcall.toml"])
        .env("TELOXIDE_TOKEN", WRONG_TOKEN)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(EX_CONFIG), "{}", stderr(&output));
    assert!(stderr(&output).contains("zone_typo"), "{}", stderr(&output));
    assert!(!stderr(&output).contains(WRONG_TOKEN));
}

#[test]
fn help_and_version_never_read_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        &["--help"][..],
        &["run", "--help"],
        &["help", "report"],
        &["--version"],
        &["-V"],
    ] {
        let output = rollcall(dir.path())
            .args(args)
            .env("ROLLCALL_ZONE", "Asia/Atlantis")
            .env("ROLLCALL_CONFIG", dir.path().join("missing.toml"))
            .output()
            .expect("run");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stdout(&output).is_empty(), "{args:?} printed nothing");
    }
    // The same environment does stop a real command: the test above is not vacuous.
    let output = rollcall(dir.path())
        .arg("check-dialogs")
        .env("ROLLCALL_ZONE", "Asia/Atlantis")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(EX_CONFIG), "{}", stderr(&output));
}

#[test]
fn version_names_the_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = rollcall(dir.path()).arg("--version").output().expect("run");
    let version = stdout(&output);
    assert!(
        version.starts_with(&format!("rollcall {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    // In a git checkout (as in CI) it is the checkout's commit; without git, "unknown".
    let head = Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short=12",
            "HEAD",
        ])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| stdout(&output).trim().to_owned());
    match head {
        Some(head) => assert!(version.contains(&format!("(commit {head})")), "{version}"),
        None => assert!(version.contains("(commit unknown)"), "{version}"),
    }
}
