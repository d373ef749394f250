//! An idle bot costs nothing (issue 16): started, holding its long poll, with nobody
//! writing, the real binary spends no CPU worth measuring and its threads wake rarely. A
//! loop that polled the store, the inbox or a channel (the store thread waiting with a
//! short timeout, say) would burn the window's CPU or show thousands of context switches.

mod support;

use std::time::Duration;
use support::TestEnv;

/// How long the idle bot is watched. Not a wait for something to happen: the window over
/// which its CPU and wake-ups are counted.
const WINDOW: Duration = Duration::from_secs(3);
/// At most this much CPU over the window: a few wake-ups of timers (the sender's outbox
/// re-read every 5 s), far from a loop that spins (the whole window) or ticks every
/// millisecond.
const MAX_CPU: Duration = Duration::from_millis(60);
/// At most this many context switches over the window, all threads together. A timer of
/// 1 ms alone would make 3,000.
const MAX_SWITCHES: u64 = 100;

/// utime + stime of the whole process (every thread, ended ones included), in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the bot's stat");
    // Fields after the command name (in parentheses, may hold spaces): utime and stime are
    // fields 14 and 15 of the line, 12 and 13 after the ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| -> u64 {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .expect("a tick count")
    };
    field(11) + field(12)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// Voluntary + involuntary context switches of every live thread of the process.
fn context_switches(pid: u32) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("the bot's threads");
    let mut sum = 0;
    for task in tasks.flatten() {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        for line in status.lines() {
            let count = line
                .strip_prefix("voluntary_ctxt_switches:")
                .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"));
            if let Some(n) = count.and_then(|v| v.trim().parse::<u64>().ok()) {
                sum += n;
            }
        }
    }
    sum
}

#[tokio::test]
async fn idle_the_bot_spends_no_cpu() {
    let mut env = TestEnv::new().await;
    // One long poll held for the whole window, as Telegram holds it (the fake answers
    // after 1 s by default, which keeps other tests quick).
    env.fake.set_long_poll_cap(Duration::from_secs(120));
    let user = env.fake.user(4_242, "Lan", Some("vi"));
    let pid = env.start_bot().await.pid();
    // A barrier: an answered message proves the start-up work (menus, the first reminder
    // tick and pruning) is behind, and the loops are in their idle state.
    env.fake.send_and_wait(&user, "/start").await;
    let cpu_before = cpu_ticks(pid);
    let switches_before = context_switches(pid);
    tokio::time::sleep(WINDOW).await;
    let cpu = cpu_ticks(pid) - cpu_before;
    let switches = context_switches(pid).saturating_sub(switches_before);
    let cpu = Duration::from_millis(cpu * 1000 / ticks_per_second());
    assert!(
        env.bot
            .as_mut()
            .expect("running")
            .try_exit_status()
            .is_none(),
        "the bot is still running"
    );
    assert!(
        cpu <= MAX_CPU,
        "the idle bot spent {cpu:?} of CPU in {WINDOW:?} ({switches} context switches)"
    );
    assert!(
        switches <= MAX_SWITCHES,
        "the idle bot's threads switched {switches} times in {WINDOW:?} ({cpu:?} of CPU)"
    );
    env.stop_bot().await;
}
