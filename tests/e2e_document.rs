//! End to end through the fake Bot API: the whole report as a Word document. A director
//! asks `/baocao 1-10/2020` on a database whose sessions add up to the seed report, gets
//! the document, changes section VI in the chat, asks again and finds the new words; the
//! button under `/report` sends the same document; an organiser and a stranger are refused.
//! And the document sent back edited in Word: fetched with `getFile` and the download URL,
//! its section II stored after one confirmation, its vandalised table made again from
//! the data; files too large are refused before (or while) downloading, and an
//! organiser's file is never downloaded.

mod document_support;
mod support;

use document_support::{edit_docx, fill_seed, read_docx, Docx, CENTRE};
use rollcall::dialog::{load_dir, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::time::Duration;
use support::{SentMessage, TestEnv, TestUser};

fn catalog() -> Catalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs load")
}

fn text(key: &str) -> String {
    catalog().text(key, Lang::Vi).to_owned()
}

/// Sends `command` and returns the message it brought first and the `.docx` sent after it.
async fn ask_document(env: &TestEnv, user: &TestUser, command: &str) -> (SentMessage, Docx) {
    let before = env.fake.messages_to(user.id).len();
    let first = env.fake.send_and_wait(user, command).await;
    let file = env.fake.wait_for_file(user.id, before, ".docx").await;
    let sent = file.file.expect("a file");
    assert_eq!(
        sent.file_name.as_deref(),
        Some("bao-cao-tthtcd-phuong-trang-an-01-10-2020.docx")
    );
    (first, read_docx(&sent.bytes))
}

/// Sends `command` and returns the bytes of the `.docx` it brings.
async fn document_bytes(env: &TestEnv, user: &TestUser, command: &str) -> Vec<u8> {
    let before = env.fake.messages_to(user.id).len();
    env.fake.send_text(user, command);
    let file = env.fake.wait_for_file(user.id, before, ".docx").await;
    // The message with the edit button follows the file: a barrier, so that the next
    // message counted is the answer to what the test sends next, not this one arriving late.
    edit_button_after(env, user, &file).await;
    file.file.expect("a file").bytes
}

/// Sends a file as `user` and returns the bot's first message after it.
async fn send_file(
    env: &TestEnv,
    user: &TestUser,
    name: &str,
    bytes: &[u8],
    size: u64,
) -> SentMessage {
    let before = env.fake.messages_to(user.id).len();
    env.fake.send_document_sized(user, name, bytes, size);
    env.fake
        .wait_for_message(user.id, before, Duration::from_secs(20))
        .await
}

/// The message with the edit button that follows `document`.
async fn edit_button_after(env: &TestEnv, user: &TestUser, document: &SentMessage) -> SentMessage {
    let label = text("document.edit_button");
    let after = document.message_id;
    env.fake
        // As long as `wait_for_file`: the button comes with the document, built at the lowest
        // CPU priority.
        .wait_until("the edit button", Duration::from_secs(60), move |fake| {
            fake.messages_to(user.id).into_iter().find(|m| {
                m.message_id > after && m.inline_buttons().iter().any(|(l, _)| *l == label)
            })
        })
        .await
}

/// The paragraphs of section VI: after its heading, up to "Trên đây là …".
fn section_vi(doc: &Docx) -> Vec<String> {
    doc.paragraphs
        .iter()
        .skip_while(|p| *p != "VI. Đề xuất, kiến nghị")
        .skip(1)
        .take_while(|p| !p.starts_with("Trên đây là"))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_gets_the_document_changes_section_vi_in_the_chat_and_gets_the_new_words() {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    fill_seed(&env.db_path);
    env.grant(3000, "director", Some(CENTRE));
    env.grant(3001, "organiser", Some(CENTRE));
    env.start_bot().await;
    let director = env.fake.user(3000, "Xinh", Some("vi"));
    let organiser = env.fake.user(3001, "Lan", Some("vi"));
    let stranger = env.fake.user(3002, "Khách", Some("vi"));

    // The first document: the seed's numbers, and the one-line hint under VI.
    let (document, doc) = ask_document(&env, &director, "/baocao 1-10/2020").await;
    assert_eq!(document.method, "senddocument");
    assert!(doc
        .paragraphs
        .iter()
        .any(|p| p == "Số người tham gia học tại TTHTCĐ: 20.868 người"));
    assert_eq!(
        doc.tables[1][12],
        vec!["", "Cộng", "50", "20.868", "13.698"]
    );
    assert_eq!(
        section_vi(&doc),
        vec![rollcall::document::Part::Proposals.default_text()]
    );

    // "✏️ Sửa nội dung" under the document → the parts → VI → its text → a new text.
    let hint = edit_button_after(&env, &director, &document).await;
    let parts = env
        .fake
        .press_and_wait(&director, &hint, &text("document.edit_button"))
        .await;
    assert_eq!(parts.inline_buttons().len(), 14, "{}", parts.text);
    let before = env.fake.messages_to(director.id).len();
    let current = env
        .fake
        .press_and_wait(&director, &parts, "VI. Đề xuất, kiến nghị")
        .await;
    assert!(
        current
            .text
            .contains("(Các đề xuất, kiến nghị với cấp trên.)"),
        "the current text (the hint) is shown: {}",
        current.text
    );
    let question = env
        .fake
        .wait_for_message(director.id, before + 1, Duration::from_secs(10))
        .await;
    assert_eq!(
        question.inline_buttons()[0].0,
        text("document.keep_button"),
        "{}",
        question.text
    );
    let new_text = "1. Đề nghị cho phép trung tâm được mở tài khoản riêng.\n\n2. Đề nghị các cấp trên quan tâm điều chỉnh kinh phí hỗ trợ tăng thêm.";
    let saved = env.fake.send_and_wait(&director, new_text).await;
    assert!(saved.text.starts_with("✅"), "{}", saved.text);

    // The next document carries the new words; the numbers are the same.
    let (_, doc) = ask_document(&env, &director, "/baocao 1-10/2020").await;
    assert_eq!(
        section_vi(&doc),
        vec![
            "1. Đề nghị cho phép trung tâm được mở tài khoản riêng.",
            "2. Đề nghị các cấp trên quan tâm điều chỉnh kinh phí hỗ trợ tăng thêm."
        ]
    );
    assert_eq!(
        doc.tables[1][12],
        vec!["", "Cộng", "50", "20.868", "13.698"]
    );

    // "Giữ nguyên" leaves the text alone, and text typed afterwards is not taken for it.
    let document = env.fake.send_and_wait(&director, "/baocao 1-10/2020").await;
    let hint = edit_button_after(&env, &director, &document).await;
    let parts = env
        .fake
        .press_and_wait(&director, &hint, &text("document.edit_button"))
        .await;
    let before = env.fake.messages_to(director.id).len();
    env.fake
        .press_and_wait(&director, &parts, "VI. Đề xuất, kiến nghị")
        .await;
    let question = env
        .fake
        .wait_for_message(director.id, before + 1, Duration::from_secs(10))
        .await;
    let kept = env
        .fake
        .press_and_wait(&director, &question, &text("document.keep_button"))
        .await;
    assert!(
        kept.text.contains("VI. Đề xuất, kiến nghị"),
        "{}",
        kept.text
    );
    let (_, doc) = ask_document(&env, &director, "/baocao 1-10/2020").await;
    assert_eq!(section_vi(&doc).len(), 2);

    // The button under /report sends the same document.
    let report = env.fake.send_and_wait(&director, "/report 1-10/2020").await;
    let before = env.fake.messages_to(director.id).len();
    env.fake.press(
        &director,
        &report,
        &report
            .inline_buttons()
            .into_iter()
            .find(|(label, _)| *label == text("document.word_button"))
            .expect("the Word button under the report")
            .1,
    );
    let file = env.fake.wait_for_file(director.id, before, ".docx").await;
    assert_eq!(
        section_vi(&read_docx(&file.file.expect("a file").bytes)).len(),
        2
    );

    // An organiser and a stranger are refused, and get no file.
    let refused = env
        .fake
        .send_and_wait(&organiser, "/baocao 1-10/2020")
        .await;
    assert_eq!(refused.text, text("access.directors_only"));
    let refused = env
        .fake
        .send_and_wait(&stranger, "/document 1-10/2020")
        .await;
    assert_eq!(refused.text, text("access.not_member"));
    for user in [&organiser, &stranger] {
        assert!(env
            .fake
            .messages_to(user.id)
            .iter()
            .all(|m| m.file.is_none()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_edited_in_word_is_read_back_end_to_end() {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    fill_seed(&env.db_path);
    env.grant(3000, "director", Some(CENTRE));
    env.grant(3001, "organiser", Some(CENTRE));
    env.start_bot().await;
    let director = env.fake.user(3000, "Xinh", Some("vi"));
    let organiser = env.fake.user(3001, "Lan", Some("vi"));

    // Section II gets a text of its own and the table's numbers are vandalised.
    let sent = document_bytes(&env, &director, "/baocao 1-10/2020").await;
    let hint = rollcall::document::Part::Management.default_text();
    let first_line = hint.lines().next().expect("a line");
    let edited = edit_docx(&sent, |xml| {
        assert!(xml.contains(first_line) && xml.contains(">20.868<"));
        xml.replacen(
            first_line,
            "1. Ban giám đốc: 3 người, họp mỗi tháng một lần.",
            1,
        )
        .replace("20.868", "1")
    });
    let shown = send_file(
        &env,
        &director,
        "bao-cao-sua.docx",
        &edited,
        edited.len() as u64,
    )
    .await;
    assert_eq!(env.fake.calls("getFile").len(), 1);
    assert_eq!(env.fake.calls("download").len(), 1);
    assert!(
        shown.text.contains("Số phần thay đổi: 1."),
        "{}",
        shown.text
    );
    assert!(shown.text.contains("II. Bộ máy quản lý"), "{}", shown.text);
    assert!(
        shown
            .text
            .contains("– Mới: 1. Ban giám đốc: 3 người, họp mỗi tháng một lần."),
        "{}",
        shown.text
    );
    assert!(!shown.text.contains("VI. Đề xuất"), "{}", shown.text);
    assert_eq!(
        shown
            .inline_buttons()
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>(),
        vec!["✅ Lưu các thay đổi", "Bỏ qua"]
    );
    let saved = env
        .fake
        .press_and_wait(&director, &shown, "✅ Lưu các thay đổi")
        .await;
    assert!(
        saved.text.starts_with("✅ Đã lưu 1 phần."),
        "{}",
        saved.text
    );

    // The next document carries the new words, and the table is the data's.
    let doc = read_docx(&document_bytes(&env, &director, "/baocao 1-10/2020").await);
    let ii: Vec<&String> = doc
        .paragraphs
        .iter()
        .skip_while(|p| *p != "II. Bộ máy quản lý")
        .skip(1)
        .take_while(|p| *p != "III. Tổ chức hoạt động")
        .collect();
    assert_eq!(ii[0], "1. Ban giám đốc: 3 người, họp mỗi tháng một lần.");
    assert_eq!(
        doc.tables[1][12],
        vec!["", "Cộng", "50", "20.868", "13.698"]
    );

    // Too large by the size Telegram gives: refused before anything is fetched.
    let refused = send_file(&env, &director, "lon.docx", b"x", 5_000_000).await;
    assert!(
        refused.text.contains("quá lớn (tối đa 2 MB)"),
        "{}",
        refused.text
    );
    assert_eq!(env.fake.calls("getFile").len(), 1);
    // A size that lies: refused while downloading, before the bytes are kept.
    let big = vec![b'x'; 3 * 1024 * 1024];
    let refused = send_file(&env, &director, "noi-doi.docx", &big, 1_000).await;
    assert!(
        refused.text.contains("quá lớn (tối đa 2 MB)"),
        "{}",
        refused.text
    );
    assert_eq!(env.fake.calls("getFile").len(), 2);

    // An organiser's file is never downloaded; they are told who may send it.
    let refused = send_file(
        &env,
        &organiser,
        "bao-cao.docx",
        &edited,
        edited.len() as u64,
    )
    .await;
    assert_eq!(refused.text, text("document.upload_directors_only"));
    assert_eq!(env.fake.calls("getFile").len(), 2);
    assert!(
        env.fake.unknown_calls().is_empty(),
        "{:?}",
        env.fake.unknown_calls()
    );
}
