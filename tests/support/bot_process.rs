//! Runs the real `rollcall` binary against the fake Telegram, and a `TestEnv` that bundles both.
//!
//! The bot is a child process so that the tests exercise exactly what ships: argument parsing,
//! start-up, polling, signal handling and the database on disk. Its stdout and stderr go to a
//! log file in the test's temporary directory so that a failing test can show what the bot said.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use super::fake_telegram::FakeTelegram;

/// The token the end-to-end tests use; any string of Telegram's shape would do.
pub const TEST_TOKEN: &str = "123456789:AAFakeTokenForRollcallEndToEndTests";

/// How long the bot gets to reach its first getUpdates, including its start-up.
const POLLING_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the bot gets to exit after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running bot process; dropping it kills the process.
#[derive(Debug)]
pub struct BotProcess {
    child: Child,
    log_path: PathBuf,
    fake: FakeTelegram,
    /// getUpdates calls the fake had seen before this process started.
    polls_before_start: usize,
    exit: Option<ExitStatus>,
}

impl BotProcess {
    /// Spawns `rollcall run --db <db_path> --dialogs <crate>/dialogs <extra_args>` against `fake`,
    /// logging to `<db_path's directory>/bot-<pid>.log`.
    pub fn start(fake: &FakeTelegram, db_path: &Path, extra_args: &[&str]) -> BotProcess {
        let dir = db_path.parent().unwrap_or_else(|| Path::new("."));
        let log_path = unique_log_path(dir);
        Self::start_with_log(fake, db_path, &log_path, extra_args)
    }

    /// Like `start`, with extra environment variables (e.g. `ROLLCALL_CRASH_AT`).
    pub fn start_with_env(
        fake: &FakeTelegram,
        db_path: &Path,
        extra_args: &[&str],
        env: &[(String, String)],
    ) -> BotProcess {
        let dir = db_path.parent().unwrap_or_else(|| Path::new("."));
        let log_path = unique_log_path(dir);
        Self::start_full(fake, db_path, &log_path, extra_args, env)
    }

    /// Like `start`, with the log file chosen by the caller.
    pub fn start_with_log(
        fake: &FakeTelegram,
        db_path: &Path,
        log_path: &Path,
        extra_args: &[&str],
    ) -> BotProcess {
        Self::start_full(fake, db_path, log_path, extra_args, &[])
    }

    fn start_full(
        fake: &FakeTelegram,
        db_path: &Path,
        log_path: &Path,
        extra_args: &[&str],
        env: &[(String, String)],
    ) -> BotProcess {
        let dialogs = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs");
        let mut command = Command::new(env!("CARGO_BIN_EXE_rollcall"));
        command
            .arg("run")
            .arg("--db")
            .arg(db_path)
            .arg("--dialogs")
            .arg(&dialogs)
            .args(extra_args)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        Self::spawn_command(fake, command, log_path)
    }

    /// Spawns any command the way the bot is spawned (Telegram environment, output to
    /// `log_path`); the harness's own tests use it with stand-in programs.
    pub fn spawn_command(fake: &FakeTelegram, mut command: Command, log_path: &Path) -> BotProcess {
        let log = File::create(log_path).expect("create the bot log file");
        let log_err = log.try_clone().expect("clone the bot log file handle");
        let polls_before_start = fake.get_updates_count();
        // `info` unless the test asked for another filter (say, a task's debug lines to
        // wait for).
        if !command.get_envs().any(|(key, _)| key == "RUST_LOG") {
            command.env("RUST_LOG", "info");
        }
        let child = command
            .env("TELOXIDE_TOKEN", fake.token())
            .env("TELOXIDE_API_URL", fake.api_url())
            // A proxy from the developer's environment must not intercept 127.0.0.1 traffic.
            .env_remove("TELOXIDE_PROXY")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log_err))
            .spawn()
            .expect("spawn the bot process");
        BotProcess {
            child,
            log_path: log_path.to_owned(),
            fake: fake.clone(),
            polls_before_start,
            exit: None,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the process wrote to stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Where the log is written.
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// The exit status if the process has ended.
    pub fn try_exit_status(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().ok().flatten();
        }
        self.exit
    }

    /// Kills the process with SIGKILL, as a crash or power loss would, and reaps it.
    pub fn kill_hard(&mut self) -> ExitStatus {
        if let Some(status) = self.try_exit_status() {
            return status;
        }
        // Killing can only fail if the process already ended, which `wait` then reports.
        let _ = self.child.kill();
        let status = self.child.wait().expect("wait for the killed bot");
        self.exit = Some(status);
        // The killed process's long poll may still be held by the fake; the next process
        // pre-empting it is a restart, not a second poller.
        self.fake.abandon_polls();
        status
    }

    /// Sends SIGTERM (as systemd or docker would) and waits up to 10 s for the exit; if the bot
    /// does not exit in time it is killed and the test fails with its log.
    pub async fn stop(&mut self) -> ExitStatus {
        self.stop_within(STOP_TIMEOUT).await
    }

    /// Like `stop`, with a chosen timeout.
    pub async fn stop_within(&mut self, timeout: Duration) -> ExitStatus {
        if let Some(status) = self.try_exit_status() {
            return status;
        }
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("run kill -TERM");
        assert!(sent.success(), "kill -TERM {} failed", self.pid());
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_exit_status() {
                self.fake.abandon_polls();
                return status;
            }
            if tokio::time::Instant::now() >= deadline {
                self.kill_hard();
                panic!(
                    "the bot did not exit within {timeout:?} after SIGTERM; its log:\n{}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until the fake has seen a getUpdates from this process (one after it started);
    /// fails fast with the log if the process exits first.
    pub async fn wait_until_polling(&mut self) {
        let deadline = tokio::time::Instant::now() + POLLING_TIMEOUT;
        loop {
            if self.fake.get_updates_count() > self.polls_before_start {
                return;
            }
            if let Some(status) = self.try_exit_status() {
                panic!(
                    "the bot exited ({status}) before polling; its log:\n{}\n{}",
                    self.log(),
                    self.fake.dump_calls(20)
                );
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "the bot did not call getUpdates within {POLLING_TIMEOUT:?}; its log:\n{}\n{}",
                    self.log(),
                    self.fake.dump_calls(20)
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        if self.try_exit_status().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn unique_log_path(dir: &Path) -> PathBuf {
    (1..)
        .map(|n| dir.join(format!("bot-{n}.log")))
        .find(|p| !p.exists())
        .expect("an unused log file name")
}

/// A temporary directory, a fake Telegram and a database path, and the bot run against them.
/// On a failing test, dropping it prints every bot log of the test to stderr.
#[derive(Debug)]
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub fake: FakeTelegram,
    pub db_path: PathBuf,
    /// Extra arguments given to every bot start.
    pub extra_args: Vec<String>,
    /// Extra environment variables given to every bot start.
    pub extra_env: Vec<(String, String)>,
    pub bot: Option<BotProcess>,
    logs: Vec<PathBuf>,
}

impl TestEnv {
    /// A fresh environment; the bot is not started yet.
    pub async fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let fake = FakeTelegram::start(TEST_TOKEN).await;
        let db_path = dir.path().join("rollcall.redb");
        TestEnv {
            dir,
            fake,
            db_path,
            extra_args: Vec::new(),
            extra_env: Vec::new(),
            bot: None,
            logs: Vec::new(),
        }
    }

    /// Starts the bot and waits until it polls; panics if a bot is already running.
    pub async fn start_bot(&mut self) -> &mut BotProcess {
        assert!(self.bot.is_none(), "start_bot: the bot is already running");
        let args: Vec<&str> = self.extra_args.iter().map(String::as_str).collect();
        let mut bot = BotProcess::start_with_env(&self.fake, &self.db_path, &args, &self.extra_env);
        self.logs.push(bot.log_path().to_owned());
        bot.wait_until_polling().await;
        self.bot.insert(bot)
    }

    /// Stops the bot with SIGTERM (returning its exit status), if it runs.
    pub async fn stop_bot(&mut self) -> Option<ExitStatus> {
        match self.bot.take() {
            Some(mut bot) => Some(bot.stop().await),
            None => None,
        }
    }

    /// Kills the bot with SIGKILL, if it runs.
    pub fn kill_bot(&mut self) -> Option<ExitStatus> {
        self.bot.take().map(|mut bot| bot.kill_hard())
    }

    /// A graceful restart: SIGTERM, wait for the exit, start again on the same database.
    pub async fn restart_bot(&mut self) -> &mut BotProcess {
        self.stop_bot().await;
        self.start_bot().await
    }

    /// A crash and restart: SIGKILL, then start again on the same database.
    pub async fn crash_and_restart_bot(&mut self) -> &mut BotProcess {
        self.kill_bot();
        self.start_bot().await
    }

    /// Gives `user` a role with `rollcall grant` (the bot must be stopped: redb allows one
    /// process per file). `role` is `supervisor`, `director` or `organiser`.
    pub fn grant(&self, user: i64, role: &str, centre: Option<&str>) {
        assert!(self.bot.is_none(), "grant: stop the bot first");
        let mut command = Command::new(env!("CARGO_BIN_EXE_rollcall"));
        command.args(["grant", "--db"]).arg(&self.db_path).args([
            "--user",
            &user.to_string(),
            "--role",
            role,
        ]);
        if let Some(centre) = centre {
            command.args(["--centre", centre]);
        }
        let output = command.output().expect("run rollcall grant");
        assert!(
            output.status.success(),
            "rollcall grant failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts the bot without waiting for it to poll (for runs that may crash at once).
    pub fn spawn_bot(&mut self) -> &mut BotProcess {
        assert!(self.bot.is_none(), "spawn_bot: the bot is already running");
        let args: Vec<&str> = self.extra_args.iter().map(String::as_str).collect();
        let bot = BotProcess::start_with_env(&self.fake, &self.db_path, &args, &self.extra_env);
        self.logs.push(bot.log_path().to_owned());
        self.bot.insert(bot)
    }

    /// Runs `rollcall <args>` to completion (not the bot: `report`, `check`, `backup`, ...)
    /// and returns its exit status, stdout and stderr.
    pub fn rollcall(&self, args: &[&str]) -> (std::process::ExitStatus, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_rollcall"))
            .args(args)
            .env("RUST_LOG", "warn")
            .env(
                "ROLLCALL_DIALOGS",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs"),
            )
            .output()
            .expect("run rollcall");
        (
            output.status,
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Makes each of `users` an organiser of one centre (the bot must be stopped).
    pub fn grant_organisers(&self, users: impl IntoIterator<Item = i64>) {
        for user in users {
            self.grant(user, "organiser", Some("Tràng An"));
        }
    }

    /// The logs of every bot process this environment started, oldest first.
    pub fn bot_logs(&self) -> String {
        let mut out = String::new();
        for (n, path) in self.logs.iter().enumerate() {
            let log = std::fs::read_to_string(path).unwrap_or_default();
            out.push_str(&format!(
                "----- bot run {} ({}) -----\n{log}",
                n + 1,
                path.display()
            ));
        }
        out
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        // Killing first makes the logs complete before they are printed.
        if let Some(mut bot) = self.bot.take() {
            bot.kill_hard();
        }
        if std::thread::panicking() && !self.logs.is_empty() {
            eprintln!("{}", self.bot_logs());
        }
    }
}
