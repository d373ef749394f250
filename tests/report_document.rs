//! The whole report as a Word document, from a real redb file whose sessions add up to
//! the seed report (Tràng An ward, January to October 2020), made by `rollcall report
//! --format docx` and read back by unzipping it: the ten rows of table III.2, the computed
//! line of section V, the headings, the title, the signature and the page settings.

mod document_support;

use document_support::{read_docx, seed_db, seed_texts, CENTRE, SEED, SEED_NAMES};
use rollcall::document::Part;
use rollcall::store::Store;
use std::path::Path;
use std::process::Command;

fn rollcall() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rollcall"))
}

fn dialogs_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")
}

/// Runs `rollcall report --format docx` and returns the file's name and bytes.
fn report_docx(db: &Path, out_dir: &Path, centre: Option<&str>) -> Vec<u8> {
    let out = out_dir.join("out.docx");
    let mut command = rollcall();
    command
        .args(["report", "--db"])
        .arg(db)
        .arg("--dialogs")
        .arg(dialogs_dir())
        .args(["--format", "docx", "--period", "1-10/2020", "--out"])
        .arg(&out);
    match centre {
        Some(name) => command.args(["--centre", name]),
        None => command.arg("--all"),
    };
    let output = command.output().expect("run rollcall report");
    assert!(
        output.status.success(),
        "rollcall report failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(&out).expect("the document was written")
}

#[test]
fn the_seed_document_has_the_seed_table_headings_title_and_signature_in_the_official_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = seed_db(dir.path());
    // The seed's own words, as the director would have set them in the chat.
    Store::open(&db)
        .expect("open")
        .write(|tx| {
            let centre = tx.centre_by_name(CENTRE)?.expect("the centre");
            for (part, text) in seed_texts() {
                tx.set_document_part(centre, part, text, 1, chrono::Utc::now())?;
            }
            Ok(())
        })
        .expect("texts stored");
    let bytes = report_docx(&db, dir.path(), Some(CENTRE));
    // `scripts/render-document.sh` renders this file's first page as docs/report-document.png.
    if let Ok(path) = std::env::var("WRITE_SEED_DOCX") {
        std::fs::write(path, &bytes).expect("writing the seed document");
    }
    let doc = read_docx(&bytes);

    // Table III.2: two header rows with merged cells, then the ten rows of the seed.
    let table = &doc.tables[1];
    assert_eq!(
        table[0],
        vec![
            "TT",
            "Tên hoạt động giáo dục",
            "Số lớp (chuyên đề)",
            "Số lượt người tham gia"
        ]
    );
    assert_eq!(table[1][3..], ["Tổng số", "Nữ"]);
    assert!(
        doc.document.contains(r#"<w:vMerge w:val="restart" />"#)
            && doc.document.contains(r#"<w:vMerge w:val="continue" />"#)
            && doc.document.contains(r#"<w:gridSpan w:val="2" />"#),
        "the header cells are merged"
    );
    let vi = |n: u64| rollcall::format::format_count(n, rollcall::domain::Lang::Vi);
    for (i, ((group, classes, total, female), name)) in SEED.iter().zip(SEED_NAMES).enumerate() {
        assert_eq!(
            table[2 + i],
            vec![
                (i + 1).to_string(),
                name.to_owned(),
                vi(*classes),
                vi(*total),
                vi(*female)
            ],
            "row {} ({group})",
            i + 1
        );
    }
    assert_eq!(table[12], vec!["", "Cộng", "50", "20.868", "13.698"]);
    assert!(table.iter().any(|row| row.contains(&"5.568".to_owned())));

    let paragraphs = &doc.paragraphs;
    let find = |text: &str| {
        paragraphs
            .iter()
            .position(|p| p == text)
            .unwrap_or_else(|| panic!("no paragraph {text:?} in {paragraphs:#?}"))
    };
    assert!(paragraphs
        .iter()
        .any(|p| p == "Số người tham gia học tại TTHTCĐ: 20.868 người"));
    let headings: Vec<usize> = [
        "I. Đặc điểm tình hình địa phương",
        "II. Bộ máy quản lý",
        "III. Tổ chức hoạt động",
        "IV. Đánh giá công tác huy động sự tham gia của xã hội",
        "V. Hiệu quả hoạt động",
        "VI. Đề xuất, kiến nghị",
    ]
    .iter()
    .map(|h| find(h))
    .collect();
    assert!(
        headings.windows(2).all(|w| w[0] < w[1]),
        "headings I–VI in order: {headings:?}"
    );
    let title = find("BÁO CÁO");
    assert_eq!(
        paragraphs[title + 1],
        "CÔNG TÁC TỔ CHỨC VÀ HOẠT ĐỘNG CỦA TTHTCĐ TỪ THÁNG 01 ĐẾN THÁNG 10 NĂM 2020"
    );
    // The header's two columns, with the centre's commune line in capitals.
    assert_eq!(
        doc.tables[0][0],
        vec![
            "UBND PHƯỜNG TRÀNG AN TRUNG TÂM HỌC TẬP CỘNG ĐỒNG",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
        ]
    );
    assert!(doc.tables[0][1][0].starts_with("Số: "));
    assert!(doc.tables[0][1][1].contains(", ngày "));
    // "Trên đây là …", then "Nơi nhận" beside the signer's title and name.
    assert!(paragraphs[headings[5]..]
        .iter()
        .any(|p| p.starts_with("Trên đây là")));
    // The centre's own words under their headings.
    assert!(paragraphs[headings[0]..headings[1]]
        .iter()
        .any(|p| p.contains("nông thôn mới kiểu mẫu")));
    assert_eq!(
        paragraphs[headings[4] + 1],
        "Tỷ lệ biết chữ trong các độ tuổi: 100%"
    );
    let signature = doc.tables.last().expect("the signature table");
    assert!(signature[0][0].starts_with("Nơi nhận:"));
    assert!(signature[0][1].starts_with("GIÁM ĐỐC"));
    assert!(signature[0][1].ends_with("Hoàng Thị Xinh"));

    // A4, the decree's margins (20/20/30/15 mm), Times New Roman, 14 pt body, page numbers.
    assert!(doc
        .document
        .contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#));
    assert!(doc
        .document
        .contains(r#"<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701""#));
    assert!(doc.styles.contains(r#"w:ascii="Times New Roman""#));
    assert!(doc.styles.contains(r#"<w:sz w:val="28" />"#));
    assert!(doc.document.contains("<w:titlePg />"));
    assert!(
        doc.headers
            .iter()
            .any(|h| h.contains("<w:instrText>PAGE</w:instrText>")),
        "a page number field in the header"
    );
}

#[test]
fn the_roll_up_document_sums_the_centres_and_lists_each_in_an_appendix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = seed_db(dir.path());
    let doc = read_docx(&report_docx(&db, dir.path(), None));
    // The seed centre and the other centre's 40 + 12 attendances.
    assert_eq!(
        doc.tables[1][12],
        vec!["", "Cộng", "52", "20.920", "13.731"]
    );
    assert!(doc
        .paragraphs
        .iter()
        .any(|p| p == "Số người tham gia học tại TTHTCĐ: 20.920 người"));
    let appendix = &doc.tables[3];
    assert_eq!(appendix[1][1], CENTRE);
    assert_eq!(appendix[1][4], "20.868");
    assert_eq!(appendix[2][4], "52");
    assert_eq!(appendix[3][1], "Cộng");
    assert_eq!(appendix[3][4], "20.920");
}

#[test]
fn the_roll_up_appendix_sets_each_centre_beside_the_same_period_a_year_earlier() {
    use rollcall::domain::{ClassChoice, NewSession};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = seed_db(dir.path());
    // The other centre met once in March 2019 (26 attendances); the seed centre did not.
    Store::open(&db)
        .expect("open")
        .write(|tx| {
            let other = tx
                .centre_by_name(document_support::OTHER_CENTRE)?
                .expect("the other centre");
            tx.save_session(&NewSession {
                centre: other,
                organiser: 4242,
                group: "health".to_owned(),
                class: ClassChoice::New {
                    name: "Năm trước".to_owned(),
                    key: "nam truoc".to_owned(),
                },
                date: chrono::NaiveDate::from_ymd_opt(2019, 3, 5).expect("date"),
                total: 26,
                female: 10,
                extra: Default::default(),
                created_at: chrono::Utc::now(),
            })
            .map(drop)
        })
        .expect("a session a year earlier");
    let doc = read_docx(&report_docx(&db, dir.path(), None));
    let appendix = &doc.tables[3];
    assert_eq!(
        appendix[0][6..],
        ["Tổng số cùng kỳ năm trước", "Tăng/giảm (%)"]
    );
    // The seed centre: nothing a year earlier, so no percentage.
    assert_eq!(
        (appendix[1][1].as_str(), appendix[1][4].as_str()),
        (CENTRE, "20.868")
    );
    assert_eq!(appendix[1][6..], ["0", "–"]);
    // The other centre: 52 now, 26 then, twice as many.
    assert_eq!(appendix[2][4..], ["52", "33", "26", "+100,0%"]);
    assert_eq!(appendix[3][1], "Cộng");
    assert_eq!(appendix[3][6], "26");
}

#[test]
fn a_changed_part_is_audited_once_exported_and_read_back_for_the_next_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = seed_db(dir.path());
    let store = Store::open(&db).expect("open");
    let at = chrono::Utc::now();
    let (centre, changed) = store
        .write(|tx| {
            let centre = tx.centre_by_name(CENTRE)?.expect("the centre");
            let changed = [
                tx.set_document_part(centre, Part::Proposals, "Đề nghị A.", 7, at)?,
                tx.set_document_part(centre, Part::Proposals, "Đề nghị A.", 7, at)?,
                tx.set_document_part(centre, Part::Proposals, "Đề nghị B.", 7, at)?,
            ];
            Ok((centre, changed))
        })
        .expect("texts stored");
    assert_eq!(
        changed,
        [true, false, true],
        "the same text twice is no change"
    );

    let (texts, audit, export) = store
        .read(|tx| {
            Ok((
                tx.document_texts(Some(centre))?,
                tx.audit_log(Some(centre), 10)?,
                tx.export()?,
            ))
        })
        .expect("read");
    assert_eq!(texts.get(Part::Proposals), "Đề nghị B.");
    assert_eq!(texts.get(Part::Local), Part::Local.default_text());
    let entries: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "document_text_changed")
        .collect();
    assert_eq!(entries.len(), 2, "{audit:?}");
    assert_eq!((entries[0].actor, entries[0].centre), (7, Some(centre)));
    assert!(entries[0].before.contains("Đề nghị A.") && entries[0].after.contains("Đề nghị B."));
    assert_eq!(entries[1].before, "", "the first text replaced the hint");

    let exported = &export["document_texts"][0];
    assert_eq!(exported["centre"], centre);
    assert_eq!(exported["parts"]["proposals"], "Đề nghị B.");
}
