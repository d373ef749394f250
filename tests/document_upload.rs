//! A director sends back the report document edited in Word, through the real runtime on
//! a real redb file (the transcript harness): the bot reads the written parts, shows what
//! changed, and stores it after one confirmation; the table and the computed figures are
//! never read back. Files that are not a report get a short refusal and change nothing;
//! only a director's file is read.
#![allow(clippy::unwrap_used)]

mod document_support;
mod transcript;

use chrono::{TimeZone, Utc};
use document_support::{edit_docx, read_docx, seed_sessions, seed_texts, zip_of, Docx};
use rollcall::dialog::{Catalog, Keyboard};
use rollcall::document::{clean_part_text, Part, MAX_UPLOAD_BYTES};
use rollcall::domain::Lang;
use rollcall::format::html_to_plain;
use rollcall::outgoing::{OutOp, Outgoing};
use rollcall::roles::Role;
use transcript::{input_of, Bot, DIRECTOR, ORGANISER, STRANGER, SUPERVISOR};

/// The seed's sessions (Tràng An, 1–10/2020, the table of the seed report) and its words,
/// a director, an organiser and a supervisor.
fn seed_bot() -> Bot {
    let at = Utc.with_ymd_and_hms(2020, 11, 5, 2, 0, 0).unwrap();
    Bot::with(at, |tx| {
        let centre = seed_sessions(tx)?;
        tx.add_member(centre, DIRECTOR, Role::Director, "Xinh", 0, at)?;
        tx.add_member(centre, ORGANISER, Role::Organiser, "Lan", 0, at)?;
        tx.add_supervisor(SUPERVISOR, "Phòng GD", 0, at)?;
        for (part, text) in seed_texts() {
            tx.set_document_part(centre, part, text, DIRECTOR, at)?;
        }
        Ok(centre)
    })
}

fn catalog(bot: &Bot) -> &Catalog {
    &bot.runtime.catalog
}

/// The bytes of the document `/baocao 1-10/2020` sends the director.
fn document(bot: &mut Bot) -> Vec<u8> {
    let queued = bot.handle_in(DIRECTOR, DIRECTOR, input_of("/baocao 1-10/2020"), None);
    queued
        .into_iter()
        .find_map(|m| match m.op {
            OutOp::Document {
                file_name, body, ..
            } if file_name.ends_with(".docx") => Some(bot.store.file_bytes(&body).unwrap()),
            _ => None,
        })
        .expect("the document")
}

/// Section II's paragraphs: after its heading, up to section III's.
fn section_ii(doc: &Docx) -> Vec<String> {
    doc.paragraphs
        .iter()
        .skip_while(|p| *p != "II. Bộ máy quản lý")
        .skip(1)
        .take_while(|p| *p != "III. Tổ chức hoạt động")
        .cloned()
        .collect()
}

/// The table's numbers and the computed line of V vandalised, as a careless edit would.
fn vandalise_numbers(xml: String) -> String {
    assert!(xml.contains(">20.868<") && xml.contains("TTHTCĐ: 20.868 người"));
    xml.replace("20.868", "99.999")
        .replace(">5.568<", ">1<")
        .replace(">13.698<", ">7<")
}

/// Section II edited: one sentence changed, a paragraph added after it.
fn edit_section_ii(xml: String) -> String {
    let old = "Ban giám đốc có 3 người đủ theo quy định";
    let at = xml.find(old).expect("the sentence of section II");
    let end = at + xml[at..].find("</w:p>").expect("its paragraph's end") + "</w:p>".len();
    let added = "<w:p><w:r><w:t>Từ tháng 9/2020 có thêm một phó giám đốc.</w:t></w:r></w:p>";
    let xml = format!("{}{added}{}", &xml[..end], &xml[end..]);
    xml.replacen(old, "Ban giám đốc có 4 người đủ theo quy định", 1)
}

fn audit_changes(bot: &Bot) -> usize {
    let centre = bot.centre;
    bot.store
        .read(|tx| tx.audit_log(Some(centre), 1_000))
        .unwrap()
        .iter()
        .filter(|e| e.action == "document_text_changed")
        .count()
}

fn stored_texts(bot: &Bot) -> rollcall::document::DocumentTexts {
    let centre = bot.centre;
    bot.store
        .read(|tx| tx.document_texts(Some(centre)))
        .unwrap()
}

fn nothing_waits(bot: &Bot) -> bool {
    bot.store
        .read(|tx| tx.chat_state(DIRECTOR))
        .unwrap()
        .is_none_or(|state| state.document_upload.is_none())
}

#[test]
fn a_document_edited_in_word_is_read_back() {
    let mut bot = seed_bot();
    let sent = document(&mut bot);
    let edited = edit_docx(&sent, |xml| vandalise_numbers(edit_section_ii(xml)));
    let before = (stored_texts(&bot), audit_changes(&bot));

    let shown = bot.send_file(DIRECTOR, "bao-cao-da-sua.docx", &edited);
    expect_test::expect![[r#"
        > [file bao-cao-da-sua.docx]
        Tôi đã đọc tệp «bao-cao-da-sua.docx». Số phần thay đổi: 1.

        II. Bộ máy quản lý
        – Cũ: … Ban giám đốc có 3 người đủ theo quy định: 01 giám đốc; 02 phó giám đốc; và một giáo viên biệt phái hoạt động tại TTHTCĐ. …
        – Mới: … Ban giám đốc có 4 người đủ theo quy định: 01 giám đốc; 02 phó giám đốc; và một giáo viên biệt phái hoạt động tại TTHTCĐ.
        Từ tháng 9/2020 có thêm một phó giám đốc. …

        Lưu các thay đổi này? Bảng số liệu III.2 và số người tham gia không lấy từ tệp: chúng luôn được tính lại từ các buổi học đã ghi.
          [✅ Lưu các thay đổi] [Bỏ qua]
    "#]]
    .assert_eq(&shown);
    // Nothing is stored before the confirmation.
    assert_eq!((stored_texts(&bot), audit_changes(&bot)), before);

    let saved = bot.tap(DIRECTOR, "✅ Lưu các thay đổi");
    assert!(saved.contains("✅ Đã lưu 1 phần."), "{saved}");
    let texts = stored_texts(&bot);
    assert!(texts
        .get(Part::Management)
        .contains("Ban giám đốc có 4 người đủ theo quy định"));
    assert!(texts
        .get(Part::Management)
        .contains("\nTừ tháng 9/2020 có thêm một phó giám đốc.\n"));
    // Only section II changed, so only it was stored (and audited, by the director).
    for (part, text) in seed_texts() {
        if part != Part::Management {
            assert_eq!(texts.get(part), text, "{part:?}");
        }
    }
    assert_eq!(audit_changes(&bot), before.1 + 1);
    let centre = bot.centre;
    let last = bot
        .store
        .read(|tx| tx.audit_log(Some(centre), 1))
        .unwrap()
        .remove(0);
    assert_eq!(
        (last.action.as_str(), last.actor),
        ("document_text_changed", DIRECTOR)
    );
    assert!(last.after.contains("management") && last.after.contains("có 4 người"));

    // The next document carries the new words, and the table is the data's again.
    let doc = read_docx(&document(&mut bot));
    let ii = section_ii(&doc);
    assert!(
        ii.iter().any(|p| p.starts_with("Ban giám đốc có 4 người")),
        "{ii:#?}"
    );
    assert!(ii.contains(&"Từ tháng 9/2020 có thêm một phó giám đốc.".to_owned()));
    assert_eq!(
        doc.tables[1][12],
        vec!["", "Cộng", "50", "20.868", "13.698"]
    );
    assert_eq!(doc.tables[1][11][3], "5.568");
    assert!(doc
        .paragraphs
        .iter()
        .any(|p| p == "Số người tham gia học tại TTHTCĐ: 20.868 người"));

    // The buttons are spent.
    let again = bot.press_raw(DIRECTOR, &bot.button_data(DIRECTOR, "✅ Lưu các thay đổi"));
    assert!(again.contains(catalog(&bot).text("dialog.stale_button", Lang::Vi)));
    assert_eq!(audit_changes(&bot), before.1 + 1);
}

#[test]
fn a_document_with_no_changes_changes_nothing_even_with_its_numbers_vandalised() {
    let mut bot = seed_bot();
    let sent = document(&mut bot);
    let before = (stored_texts(&bot), audit_changes(&bot));
    for (name, bytes) in [
        ("bao-cao.docx", sent.clone()),
        ("bang-so-sai.docx", edit_docx(&sent, vandalise_numbers)),
    ] {
        let shown = bot.send_file(DIRECTOR, name, &bytes);
        let expected =
            catalog(&bot).render("document.upload_unchanged", Lang::Vi, &[("file", name)]);
        assert_eq!(shown, format!("> [file {name}]\n{expected}\n"));
        assert!(nothing_waits(&bot));
    }
    assert_eq!((stored_texts(&bot), audit_changes(&bot)), before);

    // The first document of a centre that wrote nothing holds the hints: also no change.
    let at = Utc.with_ymd_and_hms(2020, 11, 5, 2, 0, 0).unwrap();
    let mut fresh = Bot::with(at, |tx| {
        let centre = seed_sessions(tx)?;
        tx.add_member(centre, DIRECTOR, Role::Director, "Xinh", 0, at)?;
        Ok(centre)
    });
    let sent = document(&mut fresh);
    let shown = fresh.send_file(DIRECTOR, "lan-dau.docx", &sent);
    assert!(shown.contains("không có gì thay đổi"), "{shown}");
    assert_eq!(audit_changes(&fresh), 0);
}

#[test]
fn files_that_are_not_a_report_get_a_short_refusal_and_nothing_is_stored() {
    let mut bot = seed_bot();
    let sent = document(&mut bot);
    let before = (stored_texts(&bot), audit_changes(&bot));
    let no_headings = {
        use docx_rs::{Docx, Paragraph, Run};
        let mut out = std::io::Cursor::new(Vec::new());
        Docx::new()
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Giấy mời họp phụ huynh")))
            .build()
            .pack(&mut out)
            .unwrap();
        out.into_inner()
    };
    let bomb = zip_of(&[("word/document.xml", &vec![b' '; 20 * 1024 * 1024])]);
    assert!(bomb.len() < 100_000, "a small file: {}", bomb.len());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "scan.pdf",
            b"%PDF-1.7 not a zip".to_vec(),
            "document.read_not_docx",
        ),
        (
            "anh.docx",
            zip_of(&[("a.png", b"png")]),
            "document.read_not_docx",
        ),
        ("bom.docx", bomb, "document.read_too_large"),
        (
            "lon.docx",
            vec![0; MAX_UPLOAD_BYTES as usize + 1],
            "document.read_too_large",
        ),
        ("giay-moi.docx", no_headings, "document.read_no_headings"),
        (
            "hong.docx",
            edit_docx(&sent, |xml| xml.replace("</w:body>", "")),
            "document.read_broken",
        ),
        (
            "cat-ngang.docx",
            edit_docx(&sent, |xml| xml[..xml.len() / 2].to_owned()),
            "document.read_broken",
        ),
    ];
    for (name, bytes, key) in cases {
        let shown = bot.send_file(DIRECTOR, name, &bytes);
        let expected = catalog(&bot).render(key, Lang::Vi, &[("file", name), ("max", "2 MB")]);
        assert_eq!(shown, format!("> [file {name}]\n{expected}\n"), "{name}");
        assert!(nothing_waits(&bot), "{name}");
    }
    // In the user's language.
    bot.language_hint = Some("en".to_owned());
    let shown = bot.send_file(DIRECTOR, "scan.pdf", b"%PDF");
    assert!(shown.contains("is not a Word .docx document"), "{shown}");
    assert_eq!((stored_texts(&bot), audit_changes(&bot)), before);
}

#[test]
fn organisers_supervisors_and_strangers_sending_a_file_are_told_only_directors_can() {
    let mut bot = seed_bot();
    let sent = document(&mut bot);
    let edited = edit_docx(&sent, edit_section_ii);
    let directors_only = catalog(&bot)
        .text("document.upload_directors_only", Lang::Vi)
        .to_owned();
    for user in [ORGANISER, SUPERVISOR] {
        let shown = bot.send_file(user, "bao-cao.docx", &edited);
        assert_eq!(shown, format!("> [file bao-cao.docx]\n{directors_only}\n"));
    }
    let shown = bot.send_file(STRANGER, "bao-cao.docx", &edited);
    let not_member = catalog(&bot).text("access.not_member", Lang::Vi);
    assert_eq!(shown, format!("> [file bao-cao.docx]\n{not_member}\n"));
    // An organiser in the middle of a session gets its question again.
    bot.send(ORGANISER, "/log");
    let shown = bot.send_file(ORGANISER, "bao-cao.docx", &edited);
    assert!(
        shown.contains(catalog(&bot).text("dialog.not_text", Lang::Vi)),
        "{shown}"
    );
    assert!(!stored_texts(&bot)
        .get(Part::Management)
        .contains("có 4 người"));
}

#[test]
fn skipping_keeps_the_stored_words_and_a_command_drops_the_changes() {
    let mut bot = seed_bot();
    let edited = edit_docx(&document(&mut bot), edit_section_ii);
    let before = (stored_texts(&bot), audit_changes(&bot));
    bot.send_file(DIRECTOR, "bao-cao.docx", &edited);
    let skipped = bot.tap(DIRECTOR, "Bỏ qua");
    assert!(
        skipped.contains(catalog(&bot).text("document.upload_skipped", Lang::Vi)),
        "{skipped}"
    );
    bot.send_file(DIRECTOR, "bao-cao.docx", &edited);
    let save = bot.button_data(DIRECTOR, "✅ Lưu các thay đổi");
    bot.send(DIRECTOR, "/totals");
    assert!(nothing_waits(&bot));
    let stale = bot.press_raw(DIRECTOR, &save);
    assert!(stale.contains(catalog(&bot).text("dialog.stale_button", Lang::Vi)));
    assert_eq!((stored_texts(&bot), audit_changes(&bot)), before);
}

#[test]
fn long_changes_are_shown_in_pieces_within_telegrams_limit() {
    let mut bot = seed_bot();
    let sent = document(&mut bot);
    // The first paragraph of six parts replaced by a long one each.
    let firsts: Vec<String> = seed_texts()
        .into_iter()
        .filter(|(part, _)| {
            matches!(
                part,
                Part::Local
                    | Part::Management
                    | Part::Activities
                    | Part::Society
                    | Part::Results
                    | Part::Proposals
            )
        })
        .map(|(_, text)| text.lines().next().unwrap().trim().to_owned())
        .collect();
    let edited = edit_docx(&sent, |mut xml| {
        for (i, first) in firsts.iter().enumerate() {
            let long = format!("Đoạn mới số {i}: ") + &"nội dung rất dài của báo cáo ".repeat(120);
            assert!(xml.contains(first.as_str()), "{first}");
            xml = xml.replacen(first.as_str(), &long, 1);
        }
        xml
    });
    let input = bot.file_input(DIRECTOR, "dai.docx", &edited);
    let queued: Vec<Outgoing> = bot.handle_in(DIRECTOR, DIRECTOR, input, None);
    let mut save = None;
    let messages: Vec<(String, bool)> = queued
        .into_iter()
        .filter_map(|m| match m.op {
            OutOp::Message { html, keyboard } => {
                if let Some(Keyboard::Inline(rows)) = &keyboard {
                    save = Some(rows[0][0].data.clone());
                }
                Some((html, keyboard.is_some()))
            }
            _ => None,
        })
        .collect();
    assert!(messages.len() >= 2, "{messages:#?}");
    for (html, _) in &messages {
        let visible = html_to_plain(html).chars().count();
        assert!(visible <= 4_096, "{visible}: {html}");
    }
    let all: String = messages.iter().map(|(h, _)| h.as_str()).collect();
    assert!(all.contains("Số phần thay đổi: 6."));
    for name in [
        "I. Đặc điểm",
        "II. Bộ máy",
        "III.1",
        "IV. Huy động",
        "V. Các số liệu",
        "VI. Đề xuất",
    ] {
        assert!(all.contains(name), "{name}");
    }
    // Every side was shortened, and the question with its buttons comes last.
    assert!(all.matches('…').count() >= 12);
    assert_eq!(
        messages.iter().map(|(_, k)| *k).collect::<Vec<_>>(),
        [vec![false; messages.len() - 1], vec![true]].concat()
    );
    let saved = bot.press_raw(DIRECTOR, &save.expect("the buttons"));
    assert!(saved.contains("✅ Đã lưu 6 phần."), "{saved}");
    assert!(stored_texts(&bot)
        .get(Part::Proposals)
        .starts_with("Đoạn mới số 5: "));
}

#[test]
fn a_bad_period_for_baocao_shows_examples_that_name_baocao() {
    let mut bot = seed_bot();
    for (command, name) in [
        ("/baocao 13/2020", "baocao"),
        ("/document thang muoi", "document"),
        ("/report abc", "report"),
    ] {
        let shown = bot.send(DIRECTOR, command);
        assert!(
            shown.contains(&format!("/{name} 1-10/2020 – từ tháng 1 đến tháng 10")),
            "{shown}"
        );
        for other in ["baocao", "document", "report"] {
            if other != name {
                assert!(!shown.contains(&format!("/{other} ")), "{shown}");
            }
        }
    }
    bot.language_hint = Some("en".to_owned());
    let shown = bot.send(DIRECTOR, "/baocao Q5/2020");
    assert!(shown.contains("/baocao Q3/2020 – third quarter"), "{shown}");
}

#[test]
fn a_document_saved_by_libreoffice_is_read_back() {
    // The seed document with section VI edited and the total vandalised, saved again by
    // LibreOffice Writer (scripts/make-libreoffice-fixture.sh).
    let saved_by_libreoffice = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bao-cao-libreoffice.docx"),
    )
    .unwrap();
    let read = rollcall::report::read_docx(catalog(&seed_bot()), &saved_by_libreoffice).unwrap();
    assert_eq!(read.not_found, vec![]);
    for (part, text) in seed_texts() {
        let found = &read.parts.iter().find(|(p, _)| *p == part).unwrap().1;
        if part == Part::Proposals {
            assert!(found.contains("phần lớn vẫn kiêm nhiệm"), "{found}");
        } else {
            // Raw paragraphs, blank ones included: the engine cleans them as typed text.
            assert_eq!(
                clean_part_text(&part.printed(found)),
                clean_part_text(&part.printed(text)),
                "{part:?}"
            );
        }
    }

    let mut bot = seed_bot();
    let shown = bot.send_file(DIRECTOR, "bao-cao-libreoffice.docx", &saved_by_libreoffice);
    assert!(shown.contains("Số phần thay đổi: 1."), "{shown}");
    assert!(shown.contains("VI. Đề xuất, kiến nghị"), "{shown}");
    bot.tap(DIRECTOR, "✅ Lưu các thay đổi");
    assert!(stored_texts(&bot)
        .get(Part::Proposals)
        .starts_with("1. Đội ngũ cán bộ TTHTCĐ phần lớn vẫn kiêm nhiệm"));
}
