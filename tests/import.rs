//! Bringing in past sessions, through the real runtime on a real redb file: a director
//! sends a sessions spreadsheet, the bot checks every row with the dialog's own rules and
//! shows what it would add and what it refuses, and "✅ Thêm" stores them in one
//! transaction through the same store call as a session typed in the chat.
//!
//! The file goes through the Telegram side's own rule and reader (`Bot::send_file`:
//! `document::fetch_plan` decides whether it is fetched, `report::read_sent_file` reads
//! the bytes, and the document step gets the rows); only the download itself is left out
//! (the end-to-end test covers it).

// A test may panic on its own setup.
#![allow(clippy::unwrap_used)]

mod transcript;

use chrono::{DateTime, NaiveDate, Utc};
use rollcall::dialog::load_dir;
use rollcall::document::{fetch_plan, UploadContent};
use rollcall::domain::{CentreId, ClassChoice, Lang, NewSession, Period, Totals};
use rollcall::report::{report_files, FileSources, ReportData};
use rollcall::roles::Role;
use std::collections::BTreeMap;
use std::path::Path;
use transcript::Bot;

/// The director of the centre that starts using the bot mid-year ("Phường Mới").
const DIRECTOR: i64 = 70;
/// An organiser of that centre.
const ORGANISER: i64 = 71;
/// Somebody with no role.
const STRANGER: i64 = 99;
/// The organiser who logged the sessions of the centre already using the bot.
const OLD_ORGANISER: i64 = 80;

/// The clock of every test: 7 December 2026, 20:00 in Hà Nội.
fn at() -> DateTime<Utc> {
    transcript::local_time("2026-12-07 20:00")
}

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

/// The year so far, the period every report of these tests covers.
fn year() -> Period {
    Period::new(day(1, 1), day(12, 7)).unwrap()
}

/// "Tràng An", using the bot since January with 61 sessions over five groups (one
/// attendance far above usual, one class name under two groups), and "Phường Mới",
/// empty, with its director and an organiser; the bot's `centre` is "Phường Mới".
fn two_centres() -> (Bot, CentreId) {
    let mut old = 0;
    let bot = Bot::with(at(), |tx| {
        let a = tx.ensure_centre("Tràng An")?;
        let b = tx.ensure_centre("Phường Mới")?;
        tx.add_member(a, OLD_ORGANISER, Role::Organiser, "Lan", 0, at())?;
        tx.add_member(b, DIRECTOR, Role::Director, "Xinh", 0, at())?;
        tx.add_member(b, ORGANISER, Role::Organiser, "Hoa", 0, at())?;
        let classes = [
            ("health", "Phòng chống sốt xuất huyết"),
            ("health", "Dinh dưỡng trẻ em"),
            ("law", "Luật giao thông đường bộ"),
            ("literacy", "Tin học"),
            ("vocational", "Tin học"),
            ("environment", "Thu gom rác"),
            ("environment", "Trồng cây xanh"),
        ];
        for i in 0..60u32 {
            let (group, name) = classes[(i as usize) % classes.len()];
            let total = 20 + (i * 7) % 40;
            tx.save_session(&NewSession {
                centre: a,
                organiser: OLD_ORGANISER,
                group: group.to_owned(),
                class: ClassChoice::New {
                    name: name.to_owned(),
                    key: name.to_lowercase(),
                },
                date: day(1, 5) + chrono::Duration::days(i64::from(i) * 5),
                total,
                female: total / 2 + i % 3,
                extra: BTreeMap::new(),
                created_at: at(),
            })?;
        }
        tx.save_session(&NewSession {
            centre: a,
            organiser: OLD_ORGANISER,
            group: "law".to_owned(),
            class: ClassChoice::New {
                name: "Luật giao thông đường bộ".to_owned(),
                key: "luật giao thông đường bộ".to_owned(),
            },
            date: day(11, 20),
            total: 650,
            female: 300,
            extra: BTreeMap::new(),
            created_at: at(),
        })?;
        old = a;
        Ok(b)
    });
    (bot, old)
}

/// The report's numbers per group of `centre` over the year.
fn report(bot: &Bot, centre: CentreId) -> BTreeMap<String, Totals> {
    let catalog = bot.runtime.catalog.clone();
    bot.store
        .read(|tx| ReportData::gather(tx, &catalog, Some(centre), year(), Lang::Vi))
        .unwrap()
        .per_group
}

/// The spreadsheet and the CSV the bot attaches to `/report` of `centre` for the year.
fn exported(bot: &Bot, centre: CentreId) -> rollcall::report::ReportFiles {
    let catalog = bot.runtime.catalog.clone();
    bot.store
        .read(|tx| {
            let data = ReportData::gather(tx, &catalog, Some(centre), year(), Lang::Vi)?;
            let sources = FileSources::read(tx, Some(centre), year())?;
            Ok((data, sources))
        })
        .map(|(data, sources)| report_files(&catalog, &data, &sources, year(), Lang::Vi))
        .unwrap()
        .unwrap()
}

fn counters_right(bot: &Bot) -> bool {
    bot.store.read(|tx| tx.counters_match_sessions()).unwrap()
}

fn imports_audited(bot: &Bot) -> usize {
    let centre = bot.centre;
    bot.store
        .read(|tx| tx.audit_log(Some(centre), 100))
        .unwrap()
        .iter()
        .filter(|e| e.action == "sessions_imported" && e.actor == DIRECTOR)
        .count()
}

/// The bot's own export of a period, imported into an empty centre (XLSX or CSV), gives
/// that centre the same report; importing it again adds nothing.
fn the_export_round_trips(pick: fn(&rollcall::report::ReportFiles) -> (String, Vec<u8>)) {
    let (mut bot, old) = two_centres();
    let new = bot.centre;
    let before = report(&bot, old);
    assert_eq!(before.values().map(|t| t.sessions).sum::<u64>(), 61);
    assert!(report(&bot, new).is_empty());
    let (name, bytes) = pick(&exported(&bot, old));

    let check = bot.send_file(DIRECTOR, &name, &bytes);
    assert!(
        check.contains("cho trung tâm Phường Mới: 61 dòng."),
        "{check}"
    );
    assert!(check.contains("Sẽ thêm 61 buổi học:"), "{check}");
    assert!(check.contains("• Sức khỏe: 18 buổi"), "{check}");
    assert!(check.contains("Lớp mới sẽ được tạo: 7"), "{check}");
    // The unusual attendance and the class name under two groups are pointed out; they
    // are still added, as the dialog saves them once confirmed.
    assert!(
        check.contains("Dòng 62: số người rất lớn"),
        "the 650 people are noted: {check}"
    );
    assert!(
        check.contains("đã có lớp «Tin học»") || check.contains("lớp mới «Tin học»"),
        "{check}"
    );
    assert!(!check.contains("Không thêm"), "{check}");
    assert!(
        report(&bot, new).is_empty(),
        "nothing is stored before the confirmation"
    );

    let added = bot.tap(DIRECTOR, "✅ Thêm 61 buổi");
    assert!(
        added.contains("✅ Đã thêm 61 buổi học (số 62–122) vào trung tâm Phường Mới."),
        "{added}"
    );
    assert_eq!(report(&bot, new), before);
    assert_eq!(report(&bot, old), before, "the old centre is untouched");
    assert!(counters_right(&bot));
    assert_eq!(imports_audited(&bot), 1);
    assert!(bot
        .sessions()
        .iter()
        .all(|s| s.organiser == DIRECTOR && s.centre == new));

    // The same file again: every row is a session stored already, named as such.
    let again = bot.send_file(DIRECTOR, &name, &bytes);
    assert!(again.contains("Không có buổi học nào để thêm."), "{again}");
    assert!(
        again.contains("Dòng 2: giống hệt buổi số 62 đã lưu"),
        "{again}"
    );
    assert!(!again.contains("Thêm 61"), "no add button: {again}");
    assert_eq!(report(&bot, new), before);
    assert_eq!(bot.sessions().len(), 61);
    assert_eq!(imports_audited(&bot), 1);
}

#[test]
fn the_bot_s_own_xlsx_export_imported_into_an_empty_centre_gives_the_same_report() {
    the_export_round_trips(|files| (files.xlsx_name.clone(), files.xlsx.clone()));
}

#[test]
fn the_bot_s_own_csv_export_imported_into_an_empty_centre_gives_the_same_report() {
    the_export_round_trips(|files| (files.csv_name.clone(), files.csv.clone()));
}

/// A file whose rows break each rule of the dialog: every refused row is named with its
/// number and reason, the good rows are added, and the counters stay right.
#[test]
fn a_file_with_bad_rows_names_each_row_and_its_reason() {
    let (mut bot, _) = two_centres();
    let file = "\
Ngày;Hoạt động giáo dục;Lớp (chuyên đề);Tổng số;Nữ;Ghi chú
05/03/2026;Sức khỏe;Phòng chống dịch;45;30;
32/13/2026;Sức khỏe;Phòng chống dịch;45;30;
05/03/2026;Bóng đá;Lớp bóng đá;20;5;
06/03/2026;sk;;20;5;
07/03/2026;sk;Phòng chống dịch;30;45;
08/03/2026;sk;Phòng chống dịch;4.5;1;
01/01/2027;sk;Phòng chống dịch;20;5;
05/03/2026;Sức khỏe;phòng  chống DỊCH;45;30;trùng dòng 2
09/03/2026;Pháp luật;Luật giao thông;700;300;
10/03/2026;sk;X;20;;
";
    let check = bot.send_file(DIRECTOR, "buoi-hoc-cu.csv", file.as_bytes());
    expect_test::expect![[r#"
        > [file buoi-hoc-cu.csv]
        📥 Tệp buoi-hoc-cu.csv cho trung tâm Phường Mới: 10 dòng.

        ✅ Sẽ thêm 2 buổi học:
        • Pháp luật: 1 buổi
        • Sức khỏe: 1 buổi
        Lớp mới sẽ được tạo: 2 («Phòng chống dịch», «Luật giao thông»)
        Ví dụ:
        • Dòng 2: 05/03/2026 · Sức khỏe · Phòng chống dịch · 45 người, 30 nữ
        • Dòng 10: 09/03/2026 · Pháp luật · Luật giao thông · 700 người, 300 nữ

        ❌ Không thêm 8 dòng:
        • Dòng 3: Ngày học «32/13/2026»: không phải một ngày (viết ví dụ 26/11/2025 hoặc 2025-11-26)
        • Dòng 4: không có hoạt động giáo dục «Bóng đá» (xem các tên trong /mau)
        • Dòng 5: thiếu Lớp / chuyên đề
        • Dòng 6: Số nữ «45»: Số nữ không thể lớn hơn tổng số (30)
        • Dòng 7: Số người tham gia «4.5»: Chỉ gõ con số, ví dụ 45
        • Dòng 8: Ngày học «01/01/2027»: Ngày này chưa đến (hôm nay là 07/12/2026). Xin anh/chị nhập ngày buổi học đã diễn ra
        • Dòng 9: giống hệt dòng 2
        • Dòng 11: Lớp / chuyên đề «X»: Tên lớp quá ngắn, cần ít nhất 2 ký tự; thiếu Số nữ

        ⚠️ Cần xem lại (1 dòng, vẫn được thêm nếu anh/chị đồng ý):
        • Dòng 10: số người rất lớn

        Các cột không dùng: «Ghi chú».

        Bấm Thêm để thêm 2 buổi học vào báo cáo, hoặc Bỏ qua. Có thể sửa tệp rồi gửi lại: các buổi đã có sẽ không bị thêm lần nữa.
          [✅ Thêm 2 buổi]
          [Bỏ qua]
    "#]].assert_eq(&check);

    let added = bot.tap(DIRECTOR, "✅ Thêm 2 buổi");
    assert!(added.contains("✅ Đã thêm 2 buổi học"), "{added}");
    let stored: Vec<(String, NaiveDate, u32, u32)> = bot
        .sessions()
        .iter()
        .map(|s| (s.group.clone(), s.date, s.total, s.female))
        .collect();
    assert_eq!(
        stored,
        vec![
            ("health".to_owned(), day(3, 5), 45, 30),
            ("law".to_owned(), day(3, 9), 700, 300),
        ]
    );
    assert!(counters_right(&bot));

    // Sent again, the file adds nothing: the two stored rows are now duplicates too.
    let again = bot.send_file(DIRECTOR, "buoi-hoc-cu.csv", file.as_bytes());
    assert!(again.contains("Không có buổi học nào để thêm."), "{again}");
    assert!(
        again.contains("Dòng 2: giống hệt buổi số 62 đã lưu"),
        "{again}"
    );
    assert!(
        again.contains("Dòng 10: giống hệt buổi số 63 đã lưu"),
        "{again}"
    );
    assert_eq!(bot.sessions().len(), 2);
}

/// `/mau` sends the how-to and the template; the template sent back unchanged adds
/// nothing (its example row is refused), and filled in below the example it adds its rows.
#[test]
fn the_template_of_mau_comes_back_without_its_example() {
    let (mut bot, _) = two_centres();
    let help = bot.send(DIRECTOR, "/mau");
    assert!(
        help.contains("Đưa các buổi học trước đây vào báo cáo"),
        "{help}"
    );
    assert!(help.contains("Chuyên đề Giáo dục sức khỏe (sk)"), "{help}");
    assert!(help.contains("[file mau-nhap-buoi-hoc.xlsx]"), "{help}");
    let (name, template) = bot.files.last().cloned().unwrap();
    assert_eq!(name, "mau-nhap-buoi-hoc.xlsx");

    let back = bot.send_file(DIRECTOR, &name, &template);
    assert!(back.contains("Không có buổi học nào để thêm."), "{back}");
    assert!(back.contains("Dòng 2: dòng ví dụ của tệp mẫu"), "{back}");

    // The English command and language give the English template.
    bot.send(DIRECTOR, "/lang en");
    let help = bot.send(DIRECTOR, "/template");
    assert!(help.contains("[file sessions-template.xlsx]"), "{help}");
    assert!(
        help.contains("Bringing earlier sessions into the report"),
        "{help}"
    );
}

/// Only directors bring sessions in; a file that is not a sessions spreadsheet is
/// answered at once and never downloaded.
#[test]
fn organisers_strangers_and_other_files_are_answered_without_a_download() {
    let (mut bot, _) = two_centres();
    let catalog = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).unwrap();
    let text = |key: &str| catalog.text(key, Lang::Vi).to_owned();
    let csv = b"date,group,class,total,female\n2026-03-05,sk,Lop,45,30\n";

    // The adapter's rule: an organiser's or a stranger's file is never fetched.
    for user in [ORGANISER, STRANGER] {
        let access = bot.store.read(|tx| tx.access(user)).unwrap();
        assert_eq!(
            fetch_plan(&access, "buoi.csv", Some(csv.len() as u64)),
            Err(UploadContent::NotFetched)
        );
    }
    let out = bot.send_file(ORGANISER, "buoi.csv", csv);
    assert!(out.contains(&text("access.directors_only")), "{out}");
    let out = bot.send_file(STRANGER, "buoi.csv", csv);
    assert!(out.contains(&text("access.not_member")), "{out}");
    // Anything that is not a spreadsheet goes to the report document's reader.
    let out = bot.send_file(DIRECTOR, "bao-cao.docx", b"PK\x03\x04");
    assert!(out.contains("không phải văn bản Word .docx"), "{out}");
    let out = bot.send_file(DIRECTOR, "cu.xls", b"\xD0\xCF\x11\xE0");
    assert!(out.contains("Excel Workbook (.xlsx)"), "{out}");
    let out = bot.send_file(DIRECTOR, "hong.csv", b"khong phai bang\n");
    assert!(out.contains("Tôi không tìm thấy cột «Ngày học»"), "{out}");
    assert!(bot.sessions().is_empty());
}

/// Sessions logged between the check and the confirmation: the confirmation checks
/// again and shows the new verdict instead of adding what is now a duplicate.
#[test]
fn a_session_logged_after_the_check_is_not_added_twice() {
    let (mut bot, _) = two_centres();
    let file = "date,group,class,total,female\n2026-03-05,sk,Phòng chống dịch,45,30\n2026-03-06,sk,Phòng chống dịch,40,20\n";
    let check = bot.send_file(DIRECTOR, "buoi.csv", file.as_bytes());
    assert!(check.contains("Sẽ thêm 2 buổi học"), "{check}");
    let centre = bot.centre;
    bot.store
        .write_unsynced(|tx| {
            tx.save_session(&NewSession {
                centre,
                organiser: ORGANISER,
                group: "health".to_owned(),
                class: ClassChoice::New {
                    name: "Phòng chống dịch".to_owned(),
                    key: "phòng chống dịch".to_owned(),
                },
                date: day(3, 5),
                total: 45,
                female: 30,
                extra: BTreeMap::new(),
                created_at: at(),
            })
        })
        .unwrap();
    let out = bot.tap(DIRECTOR, "✅ Thêm 2 buổi");
    assert!(out.contains("Số liệu đã thay đổi từ lúc kiểm tra"), "{out}");
    assert!(out.contains("Dòng 2: giống hệt buổi số 62 đã lưu"), "{out}");
    assert!(out.contains("Sẽ thêm 1 buổi học"), "{out}");
    assert_eq!(bot.sessions().len(), 1, "nothing added by the first press");
    let out = bot.tap(DIRECTOR, "✅ Thêm 1 buổi");
    assert!(out.contains("Đã thêm 1 buổi học (số 63–63)"), "{out}");
    assert_eq!(bot.sessions().len(), 2);
    assert!(counters_right(&bot));
}

/// A checked file waits for one answer: anything else typed drops it, and its button
/// is then stale; "Bỏ qua" adds nothing.
#[test]
fn a_checked_file_waits_for_one_answer() {
    let (mut bot, _) = two_centres();
    let file = b"date,group,class,total,female\n2026-03-05,sk,Lop hoc,45,30\n";
    bot.send_file(DIRECTOR, "buoi.csv", file);
    let add = bot.button_data(DIRECTOR, "✅ Thêm 1 buổi");
    bot.send(DIRECTOR, "/help");
    let out = bot.press_raw(DIRECTOR, &add);
    assert!(out.contains("Nút này không còn dùng được nữa"), "{out}");
    assert!(bot.sessions().is_empty());

    bot.send_file(DIRECTOR, "buoi.csv", file);
    let out = bot.tap(DIRECTOR, "Bỏ qua");
    assert!(out.contains("Đã bỏ qua: không thêm buổi học nào."), "{out}");
    let add = bot.button_data(DIRECTOR, "Bỏ qua");
    let out = bot.press_raw(DIRECTOR, &add);
    assert!(out.contains("Nút này không còn dùng được nữa"), "{out}");
    assert!(bot.sessions().is_empty());
}

/// A file with more refused rows than one message holds: the message names as many as
/// fit and says how many more, and every refused row is in the attached CSV.
#[test]
fn a_long_list_of_refused_rows_comes_as_a_file() {
    let (mut bot, _) = two_centres();
    let mut file = String::from("date,group,class,total,female\n2026-03-05,sk,Lớp tốt,45,30\n");
    for i in 0..400 {
        file.push_str(&format!("2026-03-05,không có nhóm {i},Lớp,45,30\n"));
    }
    let out = bot.send_file(DIRECTOR, "dai.csv", file.as_bytes());
    assert!(out.contains("Không thêm 400 dòng:"), "{out}");
    assert!(
        out.contains("dòng nữa: danh sách đầy đủ ở tệp gửi kèm."),
        "{out}"
    );
    assert!(out.contains("Sẽ thêm 1 buổi học"), "{out}");
    let longest = out.split("\n> ").map(str::len).max().unwrap();
    assert!(longest < 4096, "every message fits Telegram ({longest})");
    let (name, bytes) = bot.files.last().cloned().unwrap();
    assert_eq!(name, "dong-khong-them-dai.csv");
    let list = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 401, "a header and every refused row");
    assert!(lines[0].ends_with("Dòng,Lý do không thêm"));
    assert!(lines[1].starts_with("3,"), "{}", lines[1]);
    assert!(lines[400].starts_with("402,"), "{}", lines[400]);
    assert!(lines[400].contains("không có hoạt động giáo dục «không có nhóm 399»"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Whatever the cells hold, the check answers every row (added or refused with a
    /// reason) and its message renders, without a panic.
    #[test]
    fn any_cells_get_a_verdict(
        cells in proptest::collection::vec(
            (
                "(\\PC{0,12}|2026-0[1-9]-1[0-9]|[0-9]{1,3}/[0-9]{1,2}(/2026)?)",
                "(\\PC{0,10}|sk|pl|Sức khỏe)",
                "\\PC{0,30}",
                "(\\PC{0,6}|[0-9]{1,6})",
                "(\\PC{0,6}|[0-9]{1,6})",
            ),
            1..6,
        )
    ) {
        let (bot, _) = two_centres();
        let rows = rollcall::import::ImportRows {
            rows: cells
                .iter()
                .enumerate()
                .map(|(i, (date, group, class, total, female))| rollcall::import::ImportRow {
                    line: i as u32 + 2,
                    date: date.clone(),
                    group: group.clone(),
                    class: class.clone(),
                    total: total.clone(),
                    female: female.clone(),
                    ..Default::default()
                })
                .collect(),
            unused_columns: Vec::new(),
        };
        let now = rollcall::domain::Now::in_zone(at(), chrono_tz::Asia::Ho_Chi_Minh);
        let centre = bot.centre;
        let check = bot
            .store
            .read(|tx| {
                rollcall::runtime::import::check_file(
                    &bot.runtime, tx, centre, DIRECTOR, &rows, now, Lang::Vi,
                )
            })
            .unwrap();
        proptest::prop_assert_eq!(check.added.len() + check.refused.len(), rows.rows.len());
        proptest::prop_assert!(check.refused.iter().all(|r| !r.reason.is_empty()));
        let message = rollcall::dialog::engine::render_check(
            &bot.runtime.catalog, &check, "Phường Mới", "x.csv", Lang::Vi, Some(3_500),
        );
        proptest::prop_assert!(!message.html.is_empty());
    }
}

/// A period already handed in to the education office: sessions brought in for it mark
/// the hand-in "changed since handed in" in the transaction that adds them, and the
/// director is told in that same step, as for any other change of a session.
#[test]
fn importing_into_a_period_already_handed_in_marks_the_hand_in_changed_and_tells_the_director() {
    let (mut bot, _) = two_centres();
    let centre = bot.centre;
    let first_ten_months = Period::new(day(1, 1), day(10, 31)).unwrap();
    bot.send(DIRECTOR, "/report 1-10/2026");
    bot.tap(DIRECTOR, "📤 Nộp báo cáo");
    let sent = bot.tap_chats(DIRECTOR, "✅ Nộp");
    assert!(sent[&DIRECTOR].contains("là đã nộp"), "{sent:?}");
    let latest = |bot: &Bot| {
        bot.store
            .read(|tx| tx.latest_handin(centre, first_ten_months))
            .unwrap()
            .unwrap()
    };
    assert!(!latest(&bot).changed);

    // A file of a session in March (inside the period) and one in November (after it).
    let file = "Ngày,Hoạt động giáo dục,Lớp (chuyên đề),Tổng số,Nữ\n\
                05/03/2026,sk,Phòng chống dịch,45,30\n\
                05/11/2026,sk,Phòng chống dịch,40,20\n";
    let check = bot.send_file(DIRECTOR, "buoi-cu.csv", file.as_bytes());
    assert!(check.contains("Sẽ thêm 2 buổi học"), "{check}");
    assert!(
        !latest(&bot).changed,
        "nothing changes before the confirmation"
    );
    let added = bot.tap_chats(DIRECTOR, "✅ Thêm 2 buổi");
    assert!(
        added[&DIRECTOR].contains("✅ Đã thêm 2 buổi học"),
        "{added:?}"
    );
    assert!(
        added[&DIRECTOR].contains("đã thay đổi sau khi nộp"),
        "the director is told in the same step: {added:?}"
    );
    let handin = latest(&bot);
    assert!(handin.changed);
    assert_eq!(
        handin.total().attendance,
        0,
        "the numbers as handed in stay"
    );
    assert_eq!(bot.sessions().len(), 2);
}

/// `/audit` says what an import did, in words: the file and how many sessions.
#[test]
fn the_audit_log_names_the_file_and_the_sessions_brought_in() {
    let (mut bot, _) = two_centres();
    let file = "Ngày,Hoạt động giáo dục,Lớp (chuyên đề),Tổng số,Nữ\n\
                05/03/2026,sk,Phòng chống dịch,45,30\n\
                06/03/2026,sk,Phòng chống dịch,40,20\n";
    bot.send_file(DIRECTOR, "buoi-cu.csv", file.as_bytes());
    bot.tap(DIRECTOR, "✅ Thêm 2 buổi");
    let audit = bot.send(DIRECTOR, "/audit");
    assert!(
        audit.contains("Xinh: đưa 2 buổi học trước đây vào từ tệp «buoi-cu.csv»"),
        "{audit}"
    );
    assert!(!audit.contains("sessions_imported"), "{audit}");
}

/// Everyone who may bring in past sessions finds `/mau` in their menu: directors, and
/// supervisors (for the centre chosen with `/centre`); organisers do not.
#[test]
fn the_template_command_is_in_the_menus_of_those_who_may_import() {
    use rollcall::roles::Menu;
    let catalog =
        load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs");
    let offers = |menu: Menu| catalog.menu(&[menu]).iter().any(|c| c.name == "mau");
    assert!(offers(Menu::Director));
    assert!(offers(Menu::Supervisor));
    assert!(!offers(Menu::Private));
    assert!(!offers(Menu::Group));
}

/// A supervisor brings in past sessions for the centre chosen with `/centre`, as a
/// director would for their own; without a chosen centre nothing is added.
#[test]
fn a_supervisor_imports_for_the_centre_chosen_with_centre() {
    let (mut bot, _) = two_centres();
    let centre = bot
        .store
        .read(|tx| tx.centre_by_name("Phường Mới"))
        .unwrap()
        .expect("the centre");
    bot.store
        .write(|tx| tx.add_supervisor(transcript::SUPERVISOR, "Phòng GD", 0, at()))
        .unwrap();
    let file = "\
Ngày;Hoạt động giáo dục;Lớp (chuyên đề);Tổng số;Nữ
05/03/2026;Sức khỏe;Phòng chống dịch;45;30
";
    let choose = bot.send(transcript::SUPERVISOR, "/centre");
    assert!(choose.contains("Phường Mới"), "{choose}");
    bot.tap(transcript::SUPERVISOR, "Phường Mới");
    let check = bot.send_file(transcript::SUPERVISOR, "buoi.csv", file.as_bytes());
    assert!(
        check.contains("cho trung tâm Phường Mới") && check.contains("Sẽ thêm 1 buổi"),
        "{check}"
    );
    let added = bot.tap(transcript::SUPERVISOR, "✅ Thêm 1 buổi");
    assert!(
        added.contains("✅ Đã thêm 1 buổi học (số 62–62) vào trung tâm Phường Mới."),
        "{added}"
    );
    assert_eq!(
        bot.store
            .read(|tx| tx.sessions(Some(centre), year()))
            .unwrap()
            .len(),
        1
    );
    assert!(counters_right(&bot));
}
