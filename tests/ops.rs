//! Tests of the operations side of the binary: the configuration file and its
//! environment overrides (`rollcall config check`), their precedence over defaults and
//! under flags, the token kept out of logs, JSON logs, and `export` / `forget`.

mod support;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// The binary with none of the developer's settings: no token, no ROLLCALL_* variables.
fn rollcall() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rollcall"));
    for (name, _) in std::env::vars() {
        if name.starts_with("ROLLCALL_") || name.starts_with("TELOXIDE_") {
            command.env_remove(name);
        }
    }
    command.env("RUST_LOG", "warn");
    command
}

fn shipped_dialogs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn config_check(file: Option<&Path>, env: &[(&str, &str)]) -> Output {
    let mut command = rollcall();
    command.args(["config", "check"]);
    if let Some(file) = file {
        command.arg("--config").arg(file);
    }
    command
        .env("ROLLCALL_DIALOGS", shipped_dialogs())
        .envs(env.iter().copied())
        .output()
        .expect("run rollcall config check")
}

#[test]
fn config_check_without_a_file_shows_the_defaults() {
    let output = config_check(None, &[]);
    let out = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(out.contains("db = \"rollcall.redb\"  # default"), "{out}");
    assert!(
        out.contains("zone = \"Asia/Ho_Chi_Minh\"  # default"),
        "{out}"
    );
    assert!(out.contains("period_start = \"01-01\"  # default"), "{out}");
    assert!(out.contains("grace_minutes = 60  # default"), "{out}");
    assert!(out.contains("format = \"human\"  # default"), "{out}");
    assert!(out.contains("# token: not set"), "{out}");
    assert!(out.contains("# configuration OK"), "{out}");
}

#[test]
fn config_check_shows_the_files_values_the_environments_overrides_and_masks_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rollcall.toml");
    std::fs::write(
        &file,
        r#"
db = "/var/lib/rollcall/rollcall.redb"
zone = "Asia/Bangkok"
period_start = "09-01"
token = "111:SECRET-FROM-THE-FILE"

[reminders]
grace_minutes = 30

[log]
format = "json"

[webhook]
url = "https://bot.example.org/telegram"
secret_token = "file-secret-token"

[metrics]
listen = "127.0.0.1:9898"
"#,
    )
    .expect("written");
    let output = config_check(
        Some(&file),
        &[
            ("ROLLCALL_DB", "/srv/other.redb"),
            ("ROLLCALL_REMINDERS_GRACE_MINUTES", "15"),
        ],
    );
    let out = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        out.contains("db = \"/srv/other.redb\"  # environment ROLLCALL_DB"),
        "{out}"
    );
    assert!(out.contains("zone = \"Asia/Bangkok\"  # file"), "{out}");
    assert!(out.contains("period_start = \"09-01\"  # file"), "{out}");
    assert!(
        out.contains("grace_minutes = 15  # environment ROLLCALL_REMINDERS_GRACE_MINUTES"),
        "{out}"
    );
    assert!(out.contains("format = \"json\"  # file"), "{out}");
    assert!(out.contains("listen = \"127.0.0.1:9898\"  # file"), "{out}");
    assert!(out.contains("# token: set"), "{out}");
    for secret in ["SECRET-FROM-THE-FILE", "file-secret-token"] {
        assert!(!out.contains(secret), "{secret} shown: {out}");
    }
    assert_eq!(out.matches("\"********\"").count(), 2, "{out}");

    // TELOXIDE_TOKEN replaces the file's token, and is masked too.
    let output = config_check(Some(&file), &[("TELOXIDE_TOKEN", "222:FROM-THE-ENV")]);
    let out = text(&output.stdout);
    assert!(
        out.contains("token = \"********\"  # set, hidden (environment TELOXIDE_TOKEN)"),
        "{out}"
    );
    assert!(!out.contains("FROM-THE-ENV"), "{out}");
}

#[test]
fn an_unknown_key_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (content, key) in [
        ("colour = \"blue\"\n", "colour"),
        ("[webhook]\nurll = \"https://x.org/\"\n", "urll"),
        (
            "[metrics]\nlisten = \"127.0.0.1:9898\"\nstale = 3\n",
            "stale",
        ),
    ] {
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, content).expect("written");
        let output = config_check(Some(&file), &[]);
        let err = text(&output.stderr);
        assert!(!output.status.success(), "{content} accepted");
        assert!(err.contains(key), "{key} not named: {err}");
        assert!(err.contains("bad.toml"), "{err}");
        // Every subcommand reads the file, not only `config check`.
        let output = rollcall()
            .args(["users", "--config"])
            .arg(&file)
            .output()
            .expect("run");
        assert!(!output.status.success());
        assert!(text(&output.stderr).contains(key));
    }
    // Values are checked too, with the key named.
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "zone = \"Mars/Olympus\"\n").expect("written");
    let err = text(&config_check(Some(&file), &[]).stderr);
    assert!(
        err.contains("zone") && err.contains("Mars/Olympus"),
        "{err}"
    );
    let err = text(&config_check(None, &[("ROLLCALL_POLL_TIMEOUT", "soon")]).stderr);
    assert!(err.contains("ROLLCALL_POLL_TIMEOUT"), "{err}");
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str| dir.path().join(name);
    for db in ["file.redb", "env.redb", "flag.redb"] {
        let output = rollcall()
            .args(["grant", "--db"])
            .arg(path(db))
            .args(["--user", "1", "--role", "supervisor"])
            .output()
            .expect("run");
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let file = path("rollcall.toml");
    std::fs::write(&file, format!("db = {:?}\n", path("file.redb"))).expect("written");
    let checked = |command: &mut Command| {
        let output = command.output().expect("run");
        assert!(output.status.success(), "{}", text(&output.stderr));
        let out = text(&output.stdout);
        out.lines()
            .find_map(|line| line.strip_prefix("database: "))
            .map(str::to_owned)
            .expect("the database line")
    };
    let from_file = checked(rollcall().args(["check", "--config"]).arg(&file));
    assert!(from_file.ends_with("file.redb"), "{from_file}");
    let from_env = checked(
        rollcall()
            .args(["check", "--config"])
            .arg(&file)
            .env("ROLLCALL_DB", path("env.redb")),
    );
    assert!(from_env.ends_with("env.redb"), "{from_env}");
    let from_flag = checked(
        rollcall()
            .args(["check", "--config"])
            .arg(&file)
            .env("ROLLCALL_DB", path("env.redb"))
            .arg("--db")
            .arg(path("flag.redb")),
    );
    assert!(from_flag.ends_with("flag.redb"), "{from_flag}");
    // ROLLCALL_CONFIG names the file as --config does.
    let from_variable = checked(rollcall().arg("check").env("ROLLCALL_CONFIG", &file));
    assert!(from_variable.ends_with("file.redb"), "{from_variable}");
}

#[test]
fn a_token_file_is_read_and_never_printed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = dir.path().join("token");
    std::fs::write(&token, "333:TOKEN-IN-A-FILE\n").expect("written");
    let file = dir.path().join("rollcall.toml");
    std::fs::write(&file, format!("token_file = {token:?}\n")).expect("written");
    let output = config_check(Some(&file), &[]);
    let out = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(out.contains("# token: set"), "{out}");
    assert!(!out.contains("TOKEN-IN-A-FILE"), "{out}");
    // A token file that is missing stops the check with its path named.
    std::fs::write(&file, "token_file = \"/nonexistent/token\"\n").expect("written");
    let output = config_check(Some(&file), &[]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("/nonexistent/token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_appears_in_the_log_even_when_requests_fail() {
    let mut env = support::TestEnv::new().await;
    // Dropped connections make reqwest errors, whose messages carry the request's URL.
    env.fake
        .fail_next("getUpdates", 3, support::Fault::DropConnection);
    env.extra_env = vec![("RUST_LOG".to_owned(), "debug".to_owned())];
    env.start_bot().await;
    env.fake
        .wait_until("three failed getUpdates", Duration::from_secs(20), |fake| {
            (fake.get_updates_count() >= 4).then_some(())
        })
        .await;
    env.stop_bot().await;
    let logs = env.bot_logs();
    assert!(logs.contains("getUpdates failed"), "{logs}");
    let secret = support::TEST_TOKEN
        .split_once(':')
        .map(|(_, secret)| secret)
        .expect("token shape");
    assert!(!logs.contains(secret), "the token is in the log:\n{logs}");
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = rollcall()
        .args(["--log-format", "json", "run", "--db"])
        .arg(dir.path().join("j.redb"))
        .arg("--dialogs")
        .arg(shipped_dialogs())
        .env("RUST_LOG", "info")
        .env("TELOXIDE_TOKEN", "1:test")
        // Nothing listens on the discard port: the bot logs its getMe retries.
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the bot");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = Vec::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).take(8) {
        let line = line.expect("a line");
        let retrying = line.contains("getMe failed");
        lines.push(line);
        if retrying {
            break;
        }
    }
    child.kill().expect("stop the bot");
    child.wait().expect("reap the bot");
    let events: Vec<Value> = lines
        .iter()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert!(
        events
            .iter()
            .any(|event| event["fields"]["message"] == "getMe failed; retrying in 2 s"),
        "{lines:?}"
    );
    assert!(events.iter().all(|event| event["level"].is_string()));
}

/// Runs `rollcall console` on `db` with `script` on standard input (user 1).
fn console(db: &Path, script: &str) -> Output {
    let mut child = rollcall()
        .args(["console", "--db"])
        .arg(db)
        .arg("--dialogs")
        .arg(shipped_dialogs())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the console");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write the script");
    child.wait_with_output().expect("console finishes")
}

/// A database with organiser 1 ("Nguyễn Thị Lan") of Tràng An, who logged one session
/// (45 people, 30 women), and director 2.
fn database_with_a_session(dir: &Path) -> PathBuf {
    let db = dir.join("data.redb");
    for args in [
        [
            "--user",
            "1",
            "--role",
            "organiser",
            "--name",
            "Nguyễn Thị Lan",
        ],
        [
            "--user",
            "2",
            "--role",
            "director",
            "--name",
            "Trần Văn Minh",
        ],
    ] {
        let output = rollcall()
            .args(["grant", "--db"])
            .arg(&db)
            .args(args)
            .args(["--centre", "Tràng An"])
            .output()
            .expect("run");
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let output = console(&db, "/log\n4\n1\nPhòng chống dịch\n1\n45\n30\n1\n");
    assert!(
        text(&output.stdout).contains("Đã lưu buổi học số 1"),
        "{}",
        text(&output.stdout)
    );
    db
}

fn export(db: &Path) -> Value {
    let output = rollcall()
        .args(["export", "--db"])
        .arg(db)
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn export_writes_everything_but_the_telegram_traffic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database_with_a_session(dir.path());
    let out = dir.path().join("export.json");
    let output = rollcall()
        .args(["export", "--format", "json", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let value: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("JSON");
    assert_eq!(value["format"], "rollcall-export");
    assert_eq!(value["centres"][0]["name"], "Tràng An");
    let members = value["members"].as_array().expect("members");
    assert_eq!(members.len(), 2);
    assert!(members.iter().any(|m| m["name"] == "Nguyễn Thị Lan"));
    let session = &value["sessions"][0];
    assert_eq!(
        (session["total"].as_u64(), session["female"].as_u64()),
        (Some(45), Some(30))
    );
    assert_eq!(session["organiser"], 1);
    assert_eq!(value["classes"][0]["name"], "Phòng chống dịch");
    assert!(value["audit"].as_array().is_some_and(|a| !a.is_empty()));
    for table in [
        "reminders",
        "group_links",
        "supervisors",
        "deleted_sessions",
        "invitations",
        "muted",
        "no_session_days",
    ] {
        assert!(value[table].is_array(), "{table} missing");
    }
    for transient in ["inbox", "outbox", "chats"] {
        assert!(value.get(transient).is_none(), "{transient} exported");
    }
}

#[test]
fn forget_erases_a_person_but_keeps_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database_with_a_session(dir.path());
    let report = || {
        let output = rollcall()
            .args(["report", "--db"])
            .arg(&db)
            .arg("--dialogs")
            .arg(shipped_dialogs())
            .args(["--format", "json", "--period", "2000-01-01..2100-12-31"])
            .output()
            .expect("run");
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let before = report();

    let output = rollcall()
        .args(["forget", "--db"])
        .arg(&db)
        .args(["--user", "1"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("1 name(s) erased"),
        "{}",
        text(&output.stdout)
    );

    assert_eq!(report(), before, "the report does not change");
    let value = export(&db);
    let all = value.to_string();
    assert!(!all.contains("Nguyễn Thị Lan"), "the name is gone: {all}");
    assert!(all.contains("Trần Văn Minh"), "other people stay");
    assert_eq!(value["sessions"][0]["organiser"], 0);
    assert_eq!(value["sessions"][0]["total"], 45);
    // The membership stays (access is removed with /members), without its name.
    let member = value["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["user"] == 1)
        .expect("membership kept")
        .clone();
    assert_eq!(member["name"], "");
    // Audit entries no longer name the person, and one records the erasure, without the id.
    let audit = value["audit"].as_array().expect("audit");
    let erased = audit
        .iter()
        .find(|e| e["action"] == "personal_data_erased")
        .expect("the erasure is audited");
    assert_eq!(erased["actor"], 0);
    assert!(!erased["after"].as_str().unwrap_or("").contains("\"user\""));
    for entry in audit {
        assert!(
            !entry["after"].as_str().unwrap_or("").starts_with("[1,"),
            "{entry}"
        );
    }
    // The chat state of the private chat is gone.
    let output = rollcall()
        .args(["check", "--db"])
        .arg(&db)
        .output()
        .expect("run");
    assert!(
        text(&output.stdout).contains("chats: 0"),
        "{}",
        text(&output.stdout)
    );
    // 0 stands for "nobody": refused.
    let output = rollcall()
        .args(["forget", "--db"])
        .arg(&db)
        .args(["--user", "0"])
        .output()
        .expect("run");
    assert!(!output.status.success());
}
