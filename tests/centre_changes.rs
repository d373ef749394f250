//! Renaming and merging centres in the store, on real redb files: the merged centre's
//! report of any earlier period is the sum of the two centres' reports before (classes,
//! sessions, attendance and women, per group), the counters match a full recount
//! afterwards (what `rollcall check` verifies), and everything that named the merged
//! centre moves; a rename keeps everything.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use proptest::prelude::*;
use rollcall::dialog::ChatState;
use rollcall::domain::{CentreId, ClassChoice, NewSession, Period, Totals};
use rollcall::reminders::schedule::Monthly;
use rollcall::roles::Role;
use rollcall::store::{DeadlineRecord, NewHandIn, Store};
use std::collections::BTreeMap;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 5, 2, 0, 0)
        .single()
        .expect("valid instant")
}

fn period(from: NaiveDate, to: NaiveDate) -> Period {
    Period::new(from, to).expect("ordered")
}

/// The periods compared before and after a merge: whole years, a year to date, whole
/// months, periods cut inside months, and all time.
fn periods() -> Vec<Period> {
    vec![
        period(date(2025, 1, 1), date(2025, 12, 31)),
        period(date(2026, 1, 1), date(2026, 12, 31)),
        period(date(2026, 1, 1), date(2026, 5, 17)),
        period(date(2025, 3, 1), date(2025, 3, 31)),
        period(date(2026, 2, 1), date(2026, 2, 28)),
        period(date(2025, 3, 15), date(2025, 11, 2)),
        period(date(2025, 12, 20), date(2026, 1, 10)),
        period(date(2000, 1, 1), date(2100, 1, 1)),
    ]
}

const GROUPS: [&str; 3] = ["health", "law", "culture"];
const CLASSES: [&str; 4] = ["Tin học", "Sức khỏe sinh sản", "Luật đất đai", "Hát chèo"];

fn typed(centre: CentreId, group: &str, name: &str, day: NaiveDate, total: u32) -> NewSession {
    NewSession {
        centre,
        organiser: 7,
        group: group.to_owned(),
        class: ClassChoice::New {
            name: name.to_owned(),
            key: name.to_lowercase(),
        },
        date: day,
        total,
        female: total / 3,
        extra: BTreeMap::new(),
        created_at: at(),
    }
}

fn open() -> (tempfile::TempDir, Store, CentreId, CentreId) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&dir.path().join("centres.redb")).expect("opens");
    let (a, b) = store
        .write(|tx| {
            Ok((
                tx.ensure_centre("Xã Ninh Nhất")?,
                tx.ensure_centre("Phường Tràng An")?,
            ))
        })
        .expect("centres");
    (dir, store, a, b)
}

fn report(store: &Store, centre: Option<CentreId>, p: Period) -> BTreeMap<String, Totals> {
    store.read(|tx| tx.group_totals(centre, p)).expect("report")
}

fn sum(a: &BTreeMap<String, Totals>, b: &BTreeMap<String, Totals>) -> BTreeMap<String, Totals> {
    let mut out = a.clone();
    for (group, totals) in b {
        let entry = out.entry(group.clone()).or_default();
        *entry = *entry + *totals;
    }
    out
}

/// One session of the random data: which centre, group, class, day and numbers.
#[derive(Debug, Clone)]
struct Planned {
    b: bool,
    group: usize,
    class: usize,
    day: u32,
    total: u32,
    delete: bool,
}

fn planned() -> impl Strategy<Value = Planned> {
    (
        any::<bool>(),
        0..3usize,
        0..4usize,
        0u32..730,
        1u32..120,
        prop::bool::weighted(0.1),
    )
        .prop_map(|(b, group, class, day, total, delete)| Planned {
            b,
            group,
            class,
            day,
            total,
            delete,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_merged_centres_report_equals_the_sum_of_the_two_before_the_merge(
        sessions in prop::collection::vec(planned(), 1..40),
        class_merge in any::<bool>(),
    ) {
        let (_dir, store, a, b) = open();
        store.write(|tx| {
            for s in &sessions {
                let centre = if s.b { b } else { a };
                let day = date(2025, 1, 1) + Duration::days(i64::from(s.day));
                let saved = tx.save_session(&typed(centre, GROUPS[s.group], CLASSES[s.class], day, s.total))?;
                if s.delete {
                    tx.delete_session(saved.id, at())?;
                }
            }
            Ok(())
        }).expect("sessions");
        if class_merge {
            // A class of A merged into another of A before: its tombstone moves too.
            let classes = store.read(|tx| tx.centre_classes_with_counts(a)).expect("classes");
            if let [first, second, ..] = classes.as_slice() {
                store.write(|tx| tx.merge_classes(first.class.id, second.class.id, 1, at())).expect("class merge");
            }
        }
        let before: Vec<_> = periods()
            .into_iter()
            .map(|p| (report(&store, Some(a), p), report(&store, Some(b), p), report(&store, None, p)))
            .collect();

        let done = store.write(|tx| tx.merge_centres(a, b, 1, at())).expect("merge");

        for (p, (ra, rb, all)) in periods().into_iter().zip(&before) {
            prop_assert_eq!(&report(&store, Some(b), p), &sum(ra, rb), "{:?}", p);
            prop_assert_eq!(&report(&store, Some(a), p), &BTreeMap::new(), "{:?}", p);
            prop_assert_eq!(&report(&store, None, p), all, "{:?}", p);
            // The supervisor's roll-up (read from the counters keyed by time first) has
            // the merged centre's row as the sum, and no row of the centre merged away.
            let by_centre = store.read(|tx| tx.group_totals_by_centre(p)).expect("roll-up");
            prop_assert_eq!(by_centre.get(&b).cloned().unwrap_or_default(), sum(ra, rb), "{:?}", p);
            prop_assert!(!by_centre.contains_key(&a), "{:?}", p);
        }
        // `rollcall check`: every counter table, the roll-up's included, is a recount.
        prop_assert!(store.read(|tx| tx.counters_match_sessions()).expect("check"));
        prop_assert_eq!(store.read(|tx| tx.centres()).expect("centres").len(), 1);
        let live = sessions.iter().filter(|s| !s.b && !s.delete).count() as u64;
        prop_assert_eq!(done.sessions, live);
        // The classes of both centres stay distinct under one key each.
        let names: Vec<String> = store
            .read(|tx| tx.centre_classes_with_counts(b))
            .expect("classes")
            .into_iter()
            .map(|c| format!("{}/{}", c.class.group, c.class.key))
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), names.len());
    }
}

#[test]
fn a_merge_moves_people_classes_hand_ins_and_links_and_keeps_the_surviving_centres_words() {
    let (_dir, store, a, b) = open();
    let october = period(date(2026, 1, 1), date(2026, 10, 31));
    let deadline = |day| DeadlineRecord {
        timing: Monthly {
            day,
            days_before: 3,
            time: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
        },
        zone: "Asia/Ho_Chi_Minh".to_owned(),
        set_by: 0,
        set_at: at(),
        last: at(),
    };
    store
        .write(|tx| {
            // 100 directs A and organises in B; 101 directs B; 102 organises A.
            tx.add_member(a, 100, Role::Director, "An", 0, at())?;
            tx.add_member(b, 100, Role::Organiser, "An", 0, at())?;
            tx.add_member(b, 101, Role::Director, "Bình", 0, at())?;
            tx.add_member(a, 102, Role::Organiser, "Chi", 0, at())?;
            tx.add_supervisor(200, "Phòng GD", 0, at())?;
            tx.save_session(&typed(a, "health", "Tin học", date(2026, 3, 3), 40))?;
            tx.save_session(&typed(a, "law", "Luật đất đai", date(2026, 4, 4), 30))?;
            tx.save_session(&typed(b, "health", "Tin học", date(2026, 5, 5), 20))?;
            let gone = tx.save_session(&typed(a, "culture", "Hát chèo", date(2026, 6, 6), 10))?;
            tx.delete_session(gone.id, at())?;
            tx.link_group(-500, a, 100, at())?;
            tx.set_document_part(
                a,
                rollcall::document::Part::Proposals,
                "Đề nghị của A",
                100,
                at(),
            )?;
            tx.set_document_part(
                b,
                rollcall::document::Part::Proposals,
                "Đề nghị của B",
                101,
                at(),
            )?;
            tx.set_deadline(a, &deadline(20))?;
            tx.record_no_session(a, 102, date(2026, 11, 4), at())?;
            // Both hand in January–October, A after B.
            for (centre, user, name) in [(b, 101, "Phường Tràng An"), (a, 100, "Xã Ninh Nhất")]
            {
                let totals = tx.group_totals(Some(centre), october)?;
                tx.hand_in(NewHandIn {
                    centre,
                    centre_name: name.to_owned(),
                    period: october,
                    user,
                    name: String::new(),
                    at: at(),
                    local_at: at().naive_utc(),
                    totals,
                    lang: rollcall::domain::Lang::Vi,
                })?;
            }
            // 102 has a draft open for A.
            let mut state = ChatState {
                centre: Some(a),
                ..ChatState::default()
            };
            state.draft = Some(rollcall::dialog::Draft::new(a, BTreeMap::new()));
            tx.set_chat_state(102, &state)?;
            Ok(())
        })
        .expect("setup");

    let preview = store
        .read(|tx| tx.centre_merge_preview(a, b))
        .expect("preview");
    let done = store
        .write(|tx| tx.merge_centres(a, b, 200, at()))
        .expect("merge");
    assert_eq!(preview, done, "the confirmation shows what the merge does");
    assert_eq!((done.members, done.classes, done.sessions), (2, 3, 2));
    assert_eq!(
        (done.deleted_sessions, done.handins, done.group_chats),
        (1, 1, 1)
    );
    assert!(done.documents_dropped);
    assert!(!done.deadline_dropped, "B had none: A's moves");
    assert_eq!(done.renamed_classes.len(), 1);
    assert_eq!(done.renamed_classes[0].old, "Tin học");
    assert_eq!(done.renamed_classes[0].new, "Tin học (Xã Ninh Nhất)");

    store
        .read(|tx| {
            assert_eq!(tx.centres()?, vec![(b, "Phường Tràng An".to_owned())]);
            assert_eq!(tx.centre_by_name("Xã Ninh Nhất")?, None);
            // The higher role wins for a person in both.
            assert_eq!(tx.member_role(b, 100)?, Some(Role::Director));
            assert_eq!(tx.member_role(b, 102)?, Some(Role::Organiser));
            assert_eq!(tx.member_role(a, 100)?, None);
            assert_eq!(tx.access(102)?.centres.len(), 1);
            assert_eq!(tx.group_centre(-500)?, Some(b));
            // B's words are kept; A's deadline moved since B had none.
            let texts = tx.document_texts(Some(b))?;
            assert_eq!(
                texts.get(rollcall::document::Part::Proposals),
                "Đề nghị của B"
            );
            assert_eq!(tx.document_texts(Some(a))?.parts.len(), 0);
            assert_eq!(tx.deadline(b)?.map(|d| d.timing.day), Some(20));
            assert_eq!(tx.deadline(a)?, None);
            // Two classes called "Tin học" stay two; the sessions follow their classes.
            let classes = tx.centre_classes_with_counts(b)?;
            let mut names: Vec<_> = classes.iter().map(|c| c.class.name.clone()).collect();
            names.sort();
            assert_eq!(
                names,
                vec![
                    "Hát chèo",
                    "Luật đất đai",
                    "Tin học",
                    "Tin học (Xã Ninh Nhất)"
                ]
            );
            assert_eq!(tx.group_totals(Some(b), october)?["health"].classes, 2);
            // The deleted session comes back into B.
            assert_eq!(tx.deleted_sessions(Some(b))?.len(), 1);
            // The draft is now for B.
            let state = tx.chat_state(102)?.expect("state");
            assert_eq!(state.centre, Some(b));
            assert_eq!(state.draft.map(|d| d.centre), Some(b));
            // Both hand-ins are B's now; A's, the later, is the latest and changed,
            // since B's sessions are in its period.
            let handins = tx.handins_of(b)?;
            assert_eq!(handins.len(), 2);
            let latest = tx.latest_handin(b, october)?.expect("latest");
            assert_eq!(latest.centre_name, "Xã Ninh Nhất");
            assert!(latest.changed);
            assert_eq!(latest.total().attendance, 70, "as handed in");
            // Audited, with A's dropped texts.
            let audit = tx.audit_log(Some(b), 1)?;
            assert_eq!(audit[0].action, "centre_merged");
            assert_eq!(audit[0].actor, 200);
            assert!(
                audit[0].before.contains("Đề nghị của A"),
                "{}",
                audit[0].before
            );
            assert!(tx.counters_match_sessions()?);
            Ok(())
        })
        .expect("read");

    // The director who handed the changed report in is told once.
    let told = store
        .write(|tx| tx.take_handin_notices(at().naive_utc()))
        .expect("notices");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].user, 100);
    let again = store
        .write(|tx| tx.take_handin_notices(at().naive_utc()))
        .expect("notices");
    assert!(again.is_empty());

    // A restored session lands in B and is counted there.
    let deleted = store
        .read(|tx| tx.deleted_sessions(Some(b)))
        .expect("deleted");
    store
        .write(|tx| tx.restore_session(deleted[0].record.id, at()))
        .expect("restore");
    assert_eq!(report(&store, Some(b), october)["culture"].attendance, 10);
    assert!(store
        .read(|tx| tx.counters_match_sessions())
        .expect("check"));
}

#[test]
fn merging_refuses_a_missing_centre_and_a_centre_into_itself() {
    let (_dir, store, a, b) = open();
    assert!(store.write(|tx| tx.merge_centres(a, a, 1, at())).is_err());
    assert!(store.write(|tx| tx.merge_centres(a, 999, 1, at())).is_err());
    assert!(store.write(|tx| tx.merge_centres(999, b, 1, at())).is_err());
    assert_eq!(store.read(|tx| tx.centres()).expect("centres").len(), 2);
}

#[test]
fn renaming_a_centre_keeps_everything() {
    let (_dir, store, a, b) = open();
    let year = period(date(2026, 1, 1), date(2026, 12, 31));
    store
        .write(|tx| {
            tx.add_member(a, 100, Role::Director, "An", 0, at())?;
            tx.save_session(&typed(a, "health", "Tin học", date(2026, 3, 3), 40))?;
            let totals = tx.group_totals(Some(a), year)?;
            tx.hand_in(NewHandIn {
                centre: a,
                centre_name: "Xã Ninh Nhất".to_owned(),
                period: year,
                user: 100,
                name: "An".to_owned(),
                at: at(),
                local_at: at().naive_utc(),
                totals,
                lang: rollcall::domain::Lang::Vi,
            })?;
            Ok(())
        })
        .expect("setup");
    let before = report(&store, Some(a), year);
    let export_before = store.read(|tx| tx.export()).expect("export");

    // A name that reads like another centre's is refused; the same name changes nothing.
    assert!(store
        .write(|tx| tx.rename_centre(a, "phuong trang an", 1, at()))
        .is_err());
    assert!(!store
        .write(|tx| tx.rename_centre(a, "Xã Ninh Nhất", 1, at()))
        .expect("same"));
    assert!(store
        .write(|tx| tx.rename_centre(a, "Phường Ninh Nhất", 1, at()))
        .expect("renamed"));

    assert_eq!(report(&store, Some(a), year), before);
    store
        .read(|tx| {
            assert_eq!(tx.centre_name(a)?.as_deref(), Some("Phường Ninh Nhất"));
            assert_eq!(tx.centre_by_name("Phường Ninh Nhất")?, Some(a));
            assert_eq!(tx.centre_by_name("Xã Ninh Nhất")?, None);
            assert_eq!(tx.centre_name(b)?.as_deref(), Some("Phường Tràng An"));
            assert_eq!(tx.access(100)?.centres[0].centre_name, "Phường Ninh Nhất");
            let handin = tx.latest_handin(a, year)?.expect("kept");
            assert_eq!(handin.centre_name, "Xã Ninh Nhất", "as it was handed in");
            assert!(!handin.changed, "a rename changes no number");
            let audit = tx.audit_log(Some(a), 1)?;
            assert_eq!(audit[0].action, "centre_renamed");
            assert!(tx.counters_match_sessions()?);
            Ok(())
        })
        .expect("read");
    // Everything else in the export is as it was.
    let export_after = store.read(|tx| tx.export()).expect("export");
    for part in [
        "sessions",
        "classes",
        "members",
        "handins",
        "deleted_sessions",
    ] {
        assert_eq!(export_before[part], export_after[part], "{part}");
    }
}
