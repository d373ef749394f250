//! End-to-end tests of the command menus and descriptions the real binary sets: every
//! private chat's menu and every group chat's, in Vietnamese and English, the bot's
//! descriptions, and a director's own menu set when the role is given and reset when it is
//! taken away. The fake Bot API replays `setMyCommands`/`deleteMyCommands` per scope.

mod support;

use serde_json::{json, Value};
use std::time::Duration;
use support::{SentMessage, TestEnv, TestUser};

const DIRECTOR: i64 = 10;
const NEW_DIRECTOR: i64 = 20;
const ORGANISER: i64 = 30;

fn names(menu: &[(String, String)]) -> Vec<&str> {
    menu.iter().map(|(name, _)| name.as_str()).collect()
}

fn chat_scope(chat: i64) -> Value {
    json!({"type": "chat", "chat_id": chat})
}

fn person(env: &TestEnv, id: i64) -> TestUser {
    env.fake.user(id, &format!("Person {id}"), Some("vi"))
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

/// Whether any menu call (set or delete) was made for `chat`'s own scope.
fn chat_menu_calls(env: &TestEnv, chat: i64) -> usize {
    ["setMyCommands", "deleteMyCommands"]
        .iter()
        .flat_map(|method| env.fake.calls(method))
        .filter(|body| body.get("scope") == Some(&chat_scope(chat)))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn menus_per_place_and_role_follow_grants_and_removals() {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    env.grant(DIRECTOR, "director", Some("Tràng An"));
    env.start_bot().await;
    let fake = env.fake.clone();

    // Set before the first getUpdates: every private chat's menu (the organisers'), in the
    // default language (Vietnamese) and in English...
    let private = json!({"type": "all_private_chats"});
    let private_vi = fake.menu(&private, None).expect("the private menu is set");
    assert_eq!(
        names(&private_vi),
        ["log", "format", "mine", "undo", "totals", "cancel", "help", "lang", "start"]
    );
    assert_eq!(private_vi[0].1, "Ghi một buổi học");
    let private_en = fake.menu(&private, Some("en")).expect("the English menu");
    assert_eq!(names(&private_en), names(&private_vi));
    assert_eq!(private_en[0].1, "Log a class session");
    // ...every group chat's...
    let group = json!({"type": "all_group_chats"});
    let group_vi = fake.menu(&group, None).expect("the group menu is set");
    assert_eq!(names(&group_vi), ["link", "remind", "reminders", "help"]);
    assert!(fake.menu(&group, Some("en")).is_some());
    // ...and the descriptions, in both languages.
    let descriptions = fake.calls("setMyDescription");
    assert_eq!(descriptions.len(), 2, "{descriptions:?}");
    assert!(descriptions
        .iter()
        .any(|d| d.get("language_code").is_none()));
    assert!(descriptions.iter().any(|d| d["language_code"] == "en"
        && d["description"]
            .as_str()
            .is_some_and(|t| t.contains("community learning centres"))));
    assert_eq!(fake.calls("setMyShortDescription").len(), 2);

    // The director granted on the command line has their own menu: theirs plus the
    // organisers' commands.
    let director_menu = fake
        .wait_until("the director's own menu", Duration::from_secs(10), |fake| {
            fake.menu(&chat_scope(DIRECTOR), None)
        })
        .await;
    let director_names = names(&director_menu);
    for command in ["log", "report", "invite", "members", "sessions", "help"] {
        assert!(
            director_names.contains(&command),
            "{command}: {director_names:?}"
        );
    }
    assert!(!director_names.contains(&"link"), "{director_names:?}");

    // A director invited in the chat gets their menu when they join.
    let director = person(&env, DIRECTOR);
    let invite = fake.send_and_wait(&director, "/invite director").await;
    let new_director = person(&env, NEW_DIRECTOR);
    fake.send_and_wait(&new_director, &format!("/start {}", invite_code(&invite)))
        .await;
    let menu = fake
        .wait_until("the new director's menu", Duration::from_secs(10), |fake| {
            fake.menu(&chat_scope(NEW_DIRECTOR), Some("en"))
        })
        .await;
    assert!(names(&menu).contains(&"report"), "{menu:?}");
    assert!(fake.menu(&chat_scope(NEW_DIRECTOR), None).is_some());

    // An organiser joining changes no menu: the private chats' menu is theirs. The welcome
    // is queued after any menu call of the same step, so its arrival is the barrier.
    let invite = fake.send_and_wait(&director, "/invite organiser").await;
    let organiser = person(&env, ORGANISER);
    fake.send_and_wait(&organiser, &format!("/start {}", invite_code(&invite)))
        .await;
    assert_eq!(chat_menu_calls(&env, ORGANISER), 0);

    // Removing the new director resets their chat to every private chat's menu.
    let members = fake.send_and_wait(&director, "/members").await;
    let label = members
        .inline_buttons()
        .into_iter()
        .map(|(label, _)| label)
        .find(|label| label.contains(&format!("Person {NEW_DIRECTOR}")))
        .expect("a remove button for the new director");
    let confirm = fake.press_and_wait(&director, &members, &label).await;
    let confirm_label = confirm.inline_buttons()[0].0.clone();
    fake.press_and_wait(&director, &confirm, &confirm_label)
        .await;
    fake.wait_until("the reset of the menu", Duration::from_secs(10), |fake| {
        let deletes = fake
            .calls("deleteMyCommands")
            .into_iter()
            .filter(|body| body.get("scope") == Some(&chat_scope(NEW_DIRECTOR)))
            .count();
        (deletes == 2).then_some(())
    })
    .await;
    assert_eq!(fake.menu(&chat_scope(NEW_DIRECTOR), None), None);
    assert_eq!(fake.menu(&chat_scope(NEW_DIRECTOR), Some("en")), None);
    // The remaining director keeps theirs.
    assert!(fake.menu(&chat_scope(DIRECTOR), None).is_some());

    // A restart with the same dialogs sets nothing again: what was set is remembered.
    let menus_before = fake.calls("setMyCommands").len();
    env.restart_bot().await;
    assert_eq!(fake.calls("setMyDescription").len(), 2);
    assert_eq!(fake.calls("setMyShortDescription").len(), 2);
    assert_eq!(fake.calls("setMyCommands").len(), menus_before);
    assert!(env.stop_bot().await.is_some_and(|status| status.success()));
}
