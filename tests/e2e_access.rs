//! End-to-end tests of centres, roles and access through the fake Bot API and the real
//! binary: the access matrix of every command for every role, forged buttons, report
//! scoping, and onboarding by invitation.

mod support;

use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::process::Command;
use support::{SentMessage, TestEnv, TestUser};

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs load")
}

const SUPERVISOR: i64 = 500;
const DIRECTOR_A: i64 = 501;
const ORGANISER_A: i64 = 502;
const DIRECTOR_B: i64 = 503;
const ORGANISER_B: i64 = 504;
const STRANGER: i64 = 505;

/// A supervisor, and two centres with a director and an organiser each.
async fn district() -> TestEnv {
    let mut env = TestEnv::new().await;
    // These tests are about access, not pacing: send without Telegram's rate limits.
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(SUPERVISOR, "supervisor", None);
    env.grant(DIRECTOR_A, "director", Some("Tràng An"));
    env.grant(ORGANISER_A, "organiser", Some("Tràng An"));
    env.grant(DIRECTOR_B, "director", Some("Hoành Bồ"));
    env.grant(ORGANISER_B, "organiser", Some("Hoành Bồ"));
    env.start_bot().await;
    env
}

fn user(env: &TestEnv, id: i64) -> TestUser {
    env.fake.user(id, &format!("User {id}"), Some("vi"))
}

/// What a reply means for the access matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The command did its job.
    Done,
    /// "You don't belong to a centre yet": a stranger.
    NotMember,
    /// "Only directors / the office": a member without the right role.
    Refused,
}

fn outcome(catalog: &Catalog, reply: &SentMessage) -> Outcome {
    let text = |key: &str| catalog.text(key, Lang::Vi).to_owned();
    if reply.text.contains(&text("access.not_member"))
        || reply.text.contains(&text("access.stranger_welcome"))
    {
        Outcome::NotMember
    } else if reply.text.contains(&text("access.directors_only"))
        || reply.text.contains(&text("access.supervisors_only"))
        || reply.text.contains(&text("access.supervisor_cannot_log"))
    {
        Outcome::Refused
    } else {
        Outcome::Done
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_is_allowed_exactly_for_the_roles_that_may_use_it() {
    use Outcome::{Done as D, NotMember as N, Refused as R};
    let env = district().await;
    let catalog = catalog();
    // Columns: supervisor, director A, organiser A, director B, organiser B, stranger.
    let people = [
        SUPERVISOR,
        DIRECTOR_A,
        ORGANISER_A,
        DIRECTOR_B,
        ORGANISER_B,
        STRANGER,
    ];
    let matrix: &[(&str, [Outcome; 6])] = &[
        ("/log", [R, D, D, D, D, N]),
        ("/cancel", [D, D, D, D, D, D]),
        ("/totals", [D, D, D, D, D, N]),
        ("/report 2026", [D, D, R, D, R, N]),
        ("/members", [D, D, R, D, R, N]),
        ("/invite organiser", [D, D, R, D, R, N]),
        ("/invite supervisor", [D, R, R, R, R, N]),
        ("/audit", [D, D, R, D, R, N]),
        ("/centre", [D, D, D, D, D, N]),
        ("/help", [D, D, D, D, D, N]),
    ];
    let mut failures = Vec::new();
    for (command, expected) in matrix {
        for (person, want) in people.iter().zip(expected) {
            let who = user(&env, *person);
            let reply = env.fake.send_and_wait(&who, command).await;
            let got = outcome(&catalog, &reply);
            if got != *want {
                failures.push(format!(
                    "{command} by {person}: want {want:?}, got {got:?}: {}",
                    reply.text
                ));
            }
            // A dialog started by /log must not leak into the next command's answer, nor
            // the files that follow a report.
            if *command == "/log" && got == Outcome::Done {
                env.fake.send_and_wait(&who, "/cancel").await;
            }
            if command.starts_with("/report") && got == Outcome::Done {
                let before = env.fake.messages_to(*person).len() - 1;
                env.fake.wait_for_file(*person, before, ".csv").await;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Supervisors (who may invite a centre's first director) get a link naming the centre.
    let supervisor = user(&env, SUPERVISOR);
    let invite = env
        .fake
        .send_and_wait(&supervisor, "/invite director Phường Mới")
        .await;
    assert!(invite.text.contains("Phường Mới"), "{}", invite.text);
    assert!(
        invite
            .text
            .contains("https://t.me/rollcall_test_bot?start="),
        "{}",
        invite.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_buttons_and_codes_of_another_centre_are_refused() {
    let env = district().await;
    let catalog = catalog();
    let director_a = user(&env, DIRECTOR_A);
    let director_b = user(&env, DIRECTOR_B);

    // Director B makes an invitation; director A tries to revoke it by its code.
    let invite = env
        .fake
        .send_and_wait(&director_b, "/invite organiser")
        .await;
    let code = invite_code(&invite);
    let refused = env
        .fake
        .send_and_wait(&director_a, &format!("/revoke {code}"))
        .await;
    assert_eq!(refused.text, catalog.text("invite.not_found", Lang::Vi));

    // Director A's member list has remove buttons for A's organiser only; a forged button
    // naming B's organiser (with A's current stamp) is refused and removes nobody.
    let members = env.fake.send_and_wait(&director_a, "/members").await;
    let buttons = members.inline_buttons();
    assert_eq!(buttons.len(), 1, "{buttons:?}");
    assert!(members.text.contains(&ORGANISER_A.to_string()));
    assert!(
        !members.text.contains(&ORGANISER_B.to_string()),
        "no other centre's people"
    );
    let stamp = buttons[0].1.split(':').next().expect("stamp");
    let notice = forged_tap(
        &env,
        &director_a,
        &members,
        &format!("{stamp}:ry.{ORGANISER_B}"),
    )
    .await;
    assert_eq!(
        notice.as_deref(),
        Some(catalog.text("dialog.stale_button", Lang::Vi))
    );
    let members_b = env.fake.send_and_wait(&director_b, "/members").await;
    assert!(
        members_b.text.contains(&ORGANISER_B.to_string()),
        "B's organiser is still there"
    );
}

/// The invitation code in the bot's `t.me/<bot>?start=<code>` link.
fn invite_code(invite: &SentMessage) -> String {
    invite
        .text
        .split("start=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a code in the link")
        .to_owned()
}

/// Presses forged callback `data` under `message` as `who` and returns the notice the
/// bot answered the tap with.
async fn forged_tap(
    env: &TestEnv,
    who: &TestUser,
    message: &SentMessage,
    data: &str,
) -> Option<String> {
    let answers = env.fake.callback_answers().len();
    env.fake.press(who, message, data);
    env.fake
        .wait_until(
            "the forged tap is answered",
            std::time::Duration::from_secs(10),
            |fake| (fake.callback_answers().len() > answers).then_some(()),
        )
        .await;
    env.fake.callback_answers().pop().expect("an answer").1
}

/// Sends a `/report` command and returns the table, after its files have arrived too
/// (so that the next command's answer is not mistaken for one of them).
async fn report(env: &TestEnv, id: i64, command: &str) -> SentMessage {
    let before = env.fake.messages_to(id).len();
    let table = env.fake.send_and_wait(&user(env, id), command).await;
    env.fake.wait_for_file(id, before, ".csv").await;
    table
}

/// Logs one session through the dialog and returns the confirmation.
async fn log(env: &TestEnv, who: &TestUser, class: &str, total: &str, female: &str) -> SentMessage {
    let catalog = catalog();
    let text = |key: &str| catalog.text(key, Lang::Vi).to_owned();
    let ask_group = env.fake.send_and_wait(who, "/log").await;
    let ask_class = env
        .fake
        .press_and_wait(
            who,
            &ask_group,
            &catalog.group("health").expect("group").short.vi,
        )
        .await;
    env.fake
        .press_and_wait(who, &ask_class, &text("dialog.new_class_button"))
        .await;
    let ask_date = env.fake.send_and_wait(who, class).await;
    env.fake
        .press_and_wait(who, &ask_date, &text("dialog.today_button"))
        .await;
    env.fake.send_and_wait(who, total).await;
    let summary = env.fake.send_and_wait(who, female).await;
    env.fake
        .press_and_wait(who, &summary, &text("dialog.save_button"))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_count_only_their_centre_and_the_roll_up_sums_every_centre() {
    let mut env = district().await;
    log(
        &env,
        &user(&env, ORGANISER_A),
        "Phòng chống dịch",
        "45",
        "30",
    )
    .await;
    log(
        &env,
        &user(&env, ORGANISER_B),
        "Phòng chống dịch",
        "31",
        "20",
    )
    .await;
    log(&env, &user(&env, DIRECTOR_B), "Sơ cứu ban đầu", "4", "1").await;

    let year = "/report 2026";
    let a = report(&env, DIRECTOR_A, year).await;
    assert!(
        a.text
            .contains("Số người tham gia học tại TTHTCĐ: 45 người"),
        "{}",
        a.text
    );
    assert!(a.text.contains("Tràng An"));
    let b = report(&env, DIRECTOR_B, year).await;
    assert!(
        b.text
            .contains("Số người tham gia học tại TTHTCĐ: 35 người"),
        "{}",
        b.text
    );
    let before = env.fake.messages_to(SUPERVISOR).len();
    let all = report(&env, SUPERVISOR, year).await;
    assert!(
        all.text
            .contains("Số người tham gia học tại TTHTCĐ: 80 người"),
        "{}",
        all.text
    );
    // The centres come in the message after the table (queued before the files, which
    // `report` waited for), the largest attendance first.
    let centres = env.fake.messages_to(SUPERVISOR)[before..]
        .iter()
        .find(|m| m.method == "sendmessage" && m.text.contains("Theo trung tâm"))
        .cloned()
        .expect("the centres after the table");
    assert!(
        centres
            .text
            .contains("1. <b>Tràng An</b>: 45 lượt, 1 lớp, 30 nữ"),
        "{}",
        centres.text
    );
    assert!(
        centres
            .text
            .contains("2. <b>Hoành Bồ</b>: 35 lượt, 2 lớp, 21 nữ"),
        "{}",
        centres.text
    );

    // An organiser sees the running totals of their own centre only.
    let totals = env
        .fake
        .send_and_wait(&user(&env, ORGANISER_A), "/totals")
        .await;
    assert!(totals.text.contains("45"), "{}", totals.text);
    assert!(!totals.text.contains("80"), "{}", totals.text);

    // Removing an organiser keeps their sessions in the report.
    let members = env
        .fake
        .send_and_wait(&user(&env, DIRECTOR_A), "/members")
        .await;
    let confirm = env
        .fake
        .press_and_wait(
            &user(&env, DIRECTOR_A),
            &members,
            &members.inline_buttons()[0].0,
        )
        .await;
    let removed = env
        .fake
        .press_and_wait(
            &user(&env, DIRECTOR_A),
            &confirm,
            &confirm.inline_buttons()[0].0,
        )
        .await;
    assert!(
        removed.text.contains(&format!("User {ORGANISER_A}")),
        "{}",
        removed.text
    );
    let after = env
        .fake
        .send_and_wait(&user(&env, ORGANISER_A), "/log")
        .await;
    assert_eq!(after.text, catalog().text("access.not_member", Lang::Vi));
    let a = report(&env, DIRECTOR_A, year).await;
    assert!(
        a.text
            .contains("Số người tham gia học tại TTHTCĐ: 45 người"),
        "{}",
        a.text
    );

    // Every change is in the audit log, readable from the command line.
    env.stop_bot().await;
    let audit = Command::new(env!("CARGO_BIN_EXE_rollcall"))
        .args(["audit", "--db"])
        .arg(&env.db_path)
        .args(["--centre", "Tràng An"])
        .output()
        .expect("run audit");
    let audit = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.contains("member_removed"), "{audit}");
    assert!(audit.contains(&format!("actor={DIRECTOR_A}")), "{audit}");
    assert!(audit.contains("member_added"), "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_link_brings_a_new_organiser_in_once() {
    let env = district().await;
    let catalog = catalog();
    let director = user(&env, DIRECTOR_A);
    let invite = env.fake.send_and_wait(&director, "/invite organiser").await;
    let code = invite_code(&invite);
    assert!(code.len() >= 20, "long enough not to be guessed: {code}");

    // A stranger opens the link (Telegram sends /start <code>).
    let newcomer = env.fake.user(600, "Hạnh", Some("vi"));
    let joined = env
        .fake
        .send_and_wait(&newcomer, &format!("/start {code}"))
        .await;
    assert!(joined.text.contains("Tràng An"), "{}", joined.text);
    let dialog = env.fake.send_and_wait(&newcomer, "/log").await;
    assert_eq!(dialog.inline_buttons().len(), 10, "{}", dialog.text);

    // The same link does not work twice; a revoked one says so.
    let second = env.fake.user(601, "Bình", Some("vi"));
    let used = env
        .fake
        .send_and_wait(&second, &format!("/start {code}"))
        .await;
    assert_eq!(used.text, catalog.text("invite.used", Lang::Vi));
    let another = env.fake.send_and_wait(&director, "/invite organiser").await;
    let code = invite_code(&another);
    env.fake
        .send_and_wait(&director, &format!("/revoke {code}"))
        .await;
    let revoked = env
        .fake
        .send_and_wait(&second, &format!("/start {code}"))
        .await;
    assert_eq!(revoked.text, catalog.text("invite.revoked", Lang::Vi));
    let members = env.fake.send_and_wait(&director, "/members").await;
    assert!(members.text.contains("Hạnh"), "{}", members.text);
    assert!(!members.text.contains("Bình"), "{}", members.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_links_the_group_chat_and_others_cannot() {
    let env = district().await;
    let catalog = catalog();
    let group = -100_777;
    env.fake.group(group, "TTHTCĐ Tràng An");
    let organiser = user(&env, ORGANISER_A);
    let before = env.fake.messages_to(group).len();
    env.fake
        .send_text_in_group(&organiser, group, "/link@rollcall_test_bot");
    let refused = env
        .fake
        .wait_for_message(group, before, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(
        refused.text,
        catalog.text("access.directors_only", Lang::Vi)
    );
    let director = user(&env, DIRECTOR_A);
    env.fake
        .send_text_in_group(&director, group, "/link@rollcall_test_bot");
    let linked = env
        .fake
        .wait_for_message(group, before + 1, std::time::Duration::from_secs(10))
        .await;
    assert!(linked.text.contains("Tràng An"), "{}", linked.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrections_change_the_report_and_only_their_owner_or_director_may_make_them() {
    let env = district().await;
    let catalog = catalog();
    let text = |key: &str| catalog.text(key, Lang::Vi).to_owned();
    let lan = user(&env, ORGANISER_A);
    let director = user(&env, DIRECTOR_A);
    let other_centre = user(&env, DIRECTOR_B);
    log(&env, &lan, "Phòng chống dịch", "45", "30").await;
    log(&env, &user(&env, DIRECTOR_A), "Sơ cứu", "20", "10").await;

    // Lan corrects her session: 45 → 50 people, through the dialog's own Edit.
    let mine = env.fake.send_and_wait(&lan, "/mine").await;
    assert_eq!(
        mine.inline_buttons().len(),
        1,
        "only her own session: {:?}",
        mine.inline_buttons()
    );
    let opened = env
        .fake
        .press_and_wait(&lan, &mine, &mine.inline_buttons()[0].0)
        .await;
    let menu = env
        .fake
        .press_and_wait(&lan, &opened, &text("dialog.edit_button"))
        .await;
    let total_label = catalog.question("total").expect("total").1.label.vi.clone();
    env.fake.press_and_wait(&lan, &menu, &total_label).await;
    let summary = env.fake.send_and_wait(&lan, "50").await;
    let updated = env
        .fake
        .press_and_wait(&lan, &summary, &text("dialog.save_button"))
        .await;
    assert!(
        updated.text.contains("70 lượt người"),
        "50 + 20: {}",
        updated.text
    );

    // Forged buttons: Lan opening the director's session, director B opening Lan's.
    let director_session = env.fake.send_and_wait(&director, "/mine").await;
    let their_data = director_session.inline_buttons()[0].1.clone();
    let id = their_data.split('.').nth(1).expect("an id").to_owned();
    let stamp_of = |m: &SentMessage| {
        m.inline_buttons()[0]
            .1
            .split(':')
            .next()
            .expect("stamp")
            .to_owned()
    };
    let lans_list = env.fake.send_and_wait(&lan, "/mine").await;
    let data = format!("{}:sd.{id}", stamp_of(&lans_list));
    let notice = forged_tap(&env, &lan, &lans_list, &data).await;
    assert_eq!(
        notice.as_deref(),
        Some(text("dialog.stale_button").as_str())
    );

    // The director deletes Lan's session from /sessions, then restores it from /deleted.
    let sessions = env.fake.send_and_wait(&director, "/sessions").await;
    let lans = sessions
        .inline_buttons()
        .into_iter()
        .find(|(label, _)| label.contains("Phòng chống dịch"))
        .expect("Lan's session is listed for the director");
    let opened = env.fake.press_and_wait(&director, &sessions, &lans.0).await;
    let confirm = env
        .fake
        .press_and_wait(&director, &opened, &text("mine.delete_button"))
        .await;
    env.fake
        .press_and_wait(&director, &confirm, &text("mine.delete_button"))
        .await;
    let after_delete = report(&env, DIRECTOR_A, "/report 2026").await;
    assert!(
        after_delete
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 20 người"),
        "{}",
        after_delete.text
    );
    let deleted = env.fake.send_and_wait(&director, "/deleted").await;
    env.fake
        .press_and_wait(&director, &deleted, &deleted.inline_buttons()[0].0)
        .await;
    let restored = report(&env, DIRECTOR_A, "/report 2026").await;
    assert!(
        restored
            .text
            .contains("Số người tham gia học tại TTHTCĐ: 70 người"),
        "{}",
        restored.text
    );
    // Director B cannot see centre A's sessions.
    let b_sessions = env.fake.send_and_wait(&other_centre, "/sessions").await;
    assert!(!b_sessions.text.contains("Phòng chống dịch"));
    assert!(b_sessions
        .inline_buttons()
        .iter()
        .all(|(label, _)| !label.contains("Phòng chống dịch")));
    // Every correction is in the centre's audit log, in words (who, what, which session),
    // never as the stored action code or JSON.
    let audit = env.fake.send_and_wait(&director, "/audit").await;
    for action in [
        "User 502: sửa buổi ngày",
        "User 501: xoá buổi ngày",
        "User 501: khôi phục buổi ngày",
    ] {
        assert!(audit.text.contains(action), "{action}: {}", audit.text);
    }
    for internal in ["session_edited", "{", "\"total\""] {
        assert!(!audit.text.contains(internal), "{internal}: {}", audit.text);
    }
}
