//! End to end through the fake Bot API: silent centres (issue 15). The bot reads "now"
//! from a clock file (`ROLLCALL_CLOCK_FILE`) set to 15 March 2026; one centre's latest
//! session is 40 days old, one centre has nobody. `/silent` lists them apart, the
//! supervisor's `/report` names them under the centre list, and the button under that
//! list sends the whole centre × group table as files.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use rollcall::domain::{ClassChoice, NewSession};
use rollcall::roles::Role;
use rollcall::store::Store;
use std::path::Path;
use support::TestEnv;

const SUPERVISOR: i64 = 900;
const DIRECTOR: i64 = 901;
const BUSY: &str = "TTHTCĐ phường Tràng An";
const SILENT: &str = "TTHTCĐ xã Ninh Phong";
const NOBODY: &str = "TTHTCĐ xã Chưa Dùng";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Three centres: the busy one met three days ago (and has a director), the silent one
/// last met on 3 February 2026, 40 days before the clock's day, and nobody joined the third.
fn fill(path: &Path) {
    let store = Store::open(path).expect("open");
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("instant");
    store
        .write(|tx| {
            let busy = tx.ensure_centre(BUSY)?;
            let silent = tx.ensure_centre(SILENT)?;
            tx.ensure_centre(NOBODY)?;
            tx.add_member(busy, DIRECTOR, Role::Director, "Lan", 0, at)?;
            tx.add_member(silent, 902, Role::Organiser, "Hoa", 0, at)?;
            for (centre, day, total) in [
                (busy, date(2026, 3, 12), 40),
                (silent, date(2026, 2, 3), 25),
                (silent, date(2025, 2, 3), 30),
            ] {
                tx.save_session(&NewSession {
                    centre,
                    organiser: 902,
                    group: "health".to_owned(),
                    class: ClassChoice::New {
                        name: "Sốt xuất huyết".to_owned(),
                        key: "sot xuat huyet".to_owned(),
                    },
                    date: day,
                    total,
                    female: 10,
                    extra: Default::default(),
                    created_at: at,
                })?;
            }
            Ok(())
        })
        .expect("filled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centre_silent_for_forty_days_is_listed_by_silent_and_in_the_supervisor_s_report() {
    let mut env = TestEnv::new().await;
    env.extra_args.push("--unlimited-send".to_owned());
    let clock = env.dir.path().join("clock");
    // 12:00 in Hanoi on 15 March 2026.
    std::fs::write(&clock, "2026-03-15T05:00:00Z").expect("clock file");
    env.extra_env.push((
        "ROLLCALL_CLOCK_FILE".to_owned(),
        clock.display().to_string(),
    ));
    fill(&env.db_path);
    env.grant(SUPERVISOR, "supervisor", None);
    env.start_bot().await;
    let supervisor = env.fake.user(SUPERVISOR, "Phòng GD", Some("vi"));
    let director = env.fake.user(DIRECTOR, "Lan", Some("vi"));

    // `/silent`: 30 days by default. The silent centre with its latest session, the one
    // nobody joined in a list of its own, the busy one nowhere.
    let reply = env.fake.send_and_wait(&supervisor, "/silent").await;
    let text = &reply.text;
    assert!(text.contains("Trung tâm im lặng"), "{text}");
    let quiet = text
        .find("Không có buổi học nào trong 30 ngày qua (1):")
        .unwrap_or_else(|| panic!("the quiet list: {text}"));
    let nobody = text
        .find("Chưa có ai tham gia, nên chưa dùng bot (1):")
        .unwrap_or_else(|| panic!("the list without members: {text}"));
    let silent_line = text
        .find("TTHTCĐ xã Ninh Phong – buổi gần nhất 03/02/2026")
        .unwrap_or_else(|| panic!("the silent centre: {text}"));
    let nobody_line = text.find(NOBODY).expect("the centre nobody joined");
    assert!(
        quiet < silent_line && silent_line < nobody && nobody < nobody_line,
        "{text}"
    );
    assert!(!text.contains(BUSY), "{text}");

    // The Vietnamese name, and more days than the silence: only the memberless centre.
    let reply = env.fake.send_and_wait(&supervisor, "/imlang 41").await;
    assert!(!reply.text.contains(SILENT), "{}", reply.text);
    assert!(reply.text.contains(NOBODY), "{}", reply.text);

    // A bad number of days gets an example, and a director is refused.
    let reply = env.fake.send_and_wait(&supervisor, "/silent hai").await;
    assert!(reply.text.contains("«hai»"), "{}", reply.text);
    assert!(reply.text.contains("/silent 45"), "{}", reply.text);
    let reply = env.fake.send_and_wait(&director, "/silent").await;
    assert!(
        reply
            .text
            .contains("Chỉ Phòng Giáo dục mới dùng được lệnh này."),
        "{}",
        reply.text
    );

    // The supervisor's report of the year so far: the table, then the centres with the
    // silent ones under them and the button for the whole table.
    let before = env.fake.messages_to(SUPERVISOR).len();
    let table = env.fake.send_and_wait(&supervisor, "/report").await;
    assert!(table.text.contains("Tất cả trung tâm"), "{}", table.text);
    assert!(
        table.text.contains("So với cùng kỳ năm trước"),
        "{}",
        table.text
    );
    let centres = env
        .fake
        .wait_for_message(SUPERVISOR, before + 1, std::time::Duration::from_secs(10))
        .await;
    let text = &centres.text;
    assert!(text.contains("Theo trung tâm"), "{text}");
    assert!(
        text.contains("1. <b>TTHTCĐ phường Tràng An</b>: 40 lượt"),
        "{text}"
    );
    assert!(
        text.contains("2. <b>TTHTCĐ xã Ninh Phong</b>: 25 lượt, 1 lớp, 10 nữ (-5; -16,7%)"),
        "{text}"
    );
    assert!(text.contains("Trung tâm im lặng"), "{text}");
    assert!(
        text.contains("TTHTCĐ xã Ninh Phong – buổi gần nhất 03/02/2026"),
        "{text}"
    );
    assert!(
        text.contains("Chưa có ai tham gia, nên chưa dùng bot (1):"),
        "{text}"
    );
    // The report's own files come after the two messages, named after every centre.
    let xlsx = env
        .fake
        .wait_for_file(SUPERVISOR, before, ".xlsx")
        .await
        .file
        .expect("a file");
    assert_eq!(
        xlsx.file_name.as_deref(),
        Some("bao-cao-tat-ca-trung-tam-01-01-2026-15-03-2026.xlsx")
    );
    env.fake.wait_for_file(SUPERVISOR, before, ".csv").await;

    // The button sends the centre × group table as XLSX and CSV.
    let after_report = env.fake.messages_to(SUPERVISOR).len();
    env.fake
        .press_and_wait(&supervisor, &centres, "📊 Bảng theo trung tâm")
        .await;
    let csv = env
        .fake
        .wait_for_file(SUPERVISOR, after_report, "-theo-trung-tam.csv")
        .await
        .file
        .expect("a file");
    assert_eq!(
        csv.file_name.as_deref(),
        Some("bao-cao-tat-ca-trung-tam-01-01-2026-15-03-2026-theo-trung-tam.csv")
    );
    let body = String::from_utf8(csv.bytes).expect("UTF-8");
    assert!(body.contains(",TTHTCĐ xã Ninh Phong,"), "{body}");
    assert!(body.contains(",2026-02-03,1"), "{body}");
    env.fake
        .wait_for_file(SUPERVISOR, after_report, "-theo-trung-tam.xlsx")
        .await;
    env.stop_bot().await;
}
