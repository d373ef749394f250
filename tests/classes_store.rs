//! The director's class repairs in the store, on real redb files: renaming a class and
//! merging one class into another (of the same group or of another), with the report's
//! counters checked against a full recount (`rollcall check`'s `counters_match_sessions`)
//! after every change, and "Số lớp" counting a merged class once.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rollcall::domain::{ClassChoice, ClassId, NewSession, Period, SessionRecord};
use rollcall::store::{Source, Store, StoreError, View};
use std::collections::{BTreeMap, BTreeSet};

const CENTRE_NAME: &str = "Tràng An";
const DIRECTOR: i64 = 42;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 6, 1, 3, 0, 0)
        .single()
        .expect("valid instant")
}

fn open() -> (tempfile::TempDir, Store, u64) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&dir.path().join("classes.redb")).expect("opens");
    let centre = store
        .write(|tx| tx.ensure_centre(CENTRE_NAME))
        .expect("centre");
    (dir, store, centre)
}

/// A session of a class typed as `name` under `group` (key: the name in lower case, as
/// `parse::class_name` makes it).
fn typed(centre: u64, group: &str, name: &str, day: NaiveDate, total: u32) -> NewSession {
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
        female: total / 2,
        extra: BTreeMap::new(),
        created_at: at(),
    }
}

fn save(store: &Store, session: &NewSession) -> SessionRecord {
    store
        .write(|tx| tx.save_session(session))
        .expect("a valid session saves")
}

fn year_2020() -> Period {
    Period::new(date(2020, 1, 1), date(2020, 12, 31)).expect("period")
}

/// A period cut inside months at both ends, so "Số lớp" is counted from the per-month
/// index and the per-day edges rather than the per-year count.
fn cut_period() -> Period {
    Period::new(date(2020, 1, 10), date(2020, 3, 20)).expect("period")
}

/// Per group: (classes, sessions, attendance), as the report reads them.
fn report<S: Source>(
    tx: &View<S>,
    centre: u64,
    period: Period,
) -> BTreeMap<String, (u64, u64, u64)> {
    tx.group_totals(Some(centre), period)
        .expect("totals")
        .into_iter()
        .map(|(group, t)| (group, (t.classes, t.sessions, t.attendance)))
        .collect()
}

fn counters_exact(store: &Store) -> bool {
    store
        .read(|tx| tx.counters_match_sessions())
        .expect("recount")
}

#[test]
fn renaming_a_class_keeps_its_sessions_and_counters_and_is_audited() {
    let (_dir, store, centre) = open();
    let first = save(
        &store,
        &typed(centre, "health", "Phong chong dich", date(2020, 2, 3), 40),
    );
    save(
        &store,
        &typed(centre, "health", "Phong chong dich", date(2020, 3, 3), 30),
    );
    let before = store
        .read(|tx| Ok(report(tx, centre, year_2020())))
        .expect("report");

    let renamed = store
        .write(|tx| {
            tx.rename_class(
                first.class,
                "Phòng chống dịch",
                "phòng chống dịch",
                DIRECTOR,
                at(),
            )
        })
        .expect("renamed");
    assert_eq!(renamed.name, "Phòng chống dịch");
    assert!(counters_exact(&store));
    store
        .read(|tx| {
            assert_eq!(report(tx, centre, year_2020()), before);
            let by_new = tx.class_by_key(centre, "health", "phòng chống dịch")?;
            assert_eq!(by_new.map(|c| c.id), Some(first.class));
            assert_eq!(tx.class_by_key(centre, "health", "phong chong dich")?, None);
            let listed = tx.centre_classes_with_counts(centre)?;
            assert_eq!(listed.len(), 1);
            assert_eq!(
                (listed[0].class.name.as_str(), listed[0].sessions),
                ("Phòng chống dịch", 2)
            );
            let log = tx.audit_log(Some(centre), 5)?;
            assert_eq!(log[0].action, "class_renamed");
            assert_eq!(log[0].actor, DIRECTOR);
            assert!(
                log[0].before.contains("Phong chong dich"),
                "{}",
                log[0].before
            );
            assert!(
                log[0].after.contains("Phòng chống dịch"),
                "{}",
                log[0].after
            );
            Ok(())
        })
        .expect("read");
    // The new name is a class of its own now: typing it again reuses the class.
    let again = save(
        &store,
        &typed(centre, "health", "Phòng chống dịch", date(2020, 4, 3), 20),
    );
    assert_eq!(again.class, first.class);
}

#[test]
fn a_rename_onto_the_key_of_another_class_of_the_group_is_refused() {
    let (_dir, store, centre) = open();
    let a = save(
        &store,
        &typed(centre, "health", "Một", date(2020, 2, 3), 40),
    );
    save(
        &store,
        &typed(centre, "health", "Hai", date(2020, 2, 4), 40),
    );
    // Another group's class with the same key is no collision.
    save(&store, &typed(centre, "law", "Ba", date(2020, 2, 5), 40));
    let refused = store.write(|tx| tx.rename_class(a.class, "HAI", "hai", DIRECTOR, at()));
    assert!(matches!(refused, Err(StoreError::Db(_))), "{refused:?}");
    store
        .write(|tx| tx.rename_class(a.class, "Ba", "ba", DIRECTOR, at()))
        .expect("a key of another group is free");
    store
        .read(|tx| {
            assert_eq!(
                tx.class_by_key(centre, "health", "ba")?.map(|c| c.id),
                Some(a.class)
            );
            // The refused rename wrote nothing, not even its audit entry.
            let log = tx.audit_log(Some(centre), 5)?;
            assert_eq!(log.len(), 1);
            Ok(())
        })
        .expect("read");
    assert!(counters_exact(&store));
}

#[test]
fn merging_a_class_typed_under_the_wrong_group_counts_it_once() {
    let (_dir, store, centre) = open();
    // The class as it should be, under health, in January and March…
    let right = save(
        &store,
        &typed(
            centre,
            "health",
            "Phòng chống sốt xuất huyết",
            date(2020, 1, 15),
            45,
        ),
    );
    save(
        &store,
        &typed(
            centre,
            "health",
            "Phòng chống sốt xuất huyết",
            date(2020, 3, 2),
            35,
        ),
    );
    // …and typed without diacritics under environment in February (twice) and March, one
    // of which was deleted (restorable).
    let wrong = save(
        &store,
        &typed(
            centre,
            "environment",
            "phong chong sot xuat huyet",
            date(2020, 2, 10),
            30,
        ),
    );
    save(
        &store,
        &typed(
            centre,
            "environment",
            "phong chong sot xuat huyet",
            date(2020, 2, 24),
            20,
        ),
    );
    let gone = save(
        &store,
        &typed(
            centre,
            "environment",
            "phong chong sot xuat huyet",
            date(2020, 3, 9),
            10,
        ),
    );
    store
        .write(|tx| tx.delete_session(gone.id, at()))
        .expect("deleted");
    // An environment class of its own stays where it is.
    save(
        &store,
        &typed(centre, "environment", "Thu gom rác", date(2020, 2, 11), 50),
    );
    store
        .read(|tx| {
            let year = report(tx, centre, year_2020());
            assert_eq!(year["health"], (1, 2, 80));
            assert_eq!(year["environment"], (2, 3, 100));
            Ok(())
        })
        .expect("read");

    let merged = store
        .write(|tx| tx.merge_classes(wrong.class, right.class, DIRECTOR, at()))
        .expect("merged");
    assert_eq!((merged.moved, merged.moved_deleted), (2, 1));
    assert_eq!(merged.from.merged_into, Some(right.class));
    assert_eq!(merged.into.last_session, Some(date(2020, 3, 2)));
    assert!(
        counters_exact(&store),
        "the recount finds the counters exact"
    );

    store
        .read(|tx| {
            for period in [year_2020(), cut_period()] {
                let totals = report(tx, centre, period);
                assert_eq!(totals["health"].0, 1, "one class in {period:?}");
                assert_eq!(totals["environment"].0, 1, "Thu gom rác only, {period:?}");
            }
            let year = report(tx, centre, year_2020());
            assert_eq!(year["health"], (1, 4, 130));
            assert_eq!(year["environment"], (1, 1, 50));
            for session in tx.sessions(Some(centre), year_2020())? {
                assert_ne!(session.class, wrong.class);
                if session.class == right.class {
                    assert_eq!(session.group, "health");
                }
            }
            // The merged class is offered and matched no more, and listed nowhere.
            assert_eq!(
                tx.class_by_key(centre, "environment", "phong chong sot xuat huyet")?,
                None
            );
            let recent: Vec<ClassId> = tx
                .recent_classes(centre, "environment", 10)?
                .into_iter()
                .map(|c| c.id)
                .collect();
            assert!(!recent.contains(&wrong.class));
            let listed: BTreeMap<ClassId, u64> = tx
                .centre_classes_with_counts(centre)?
                .into_iter()
                .map(|c| (c.class.id, c.sessions))
                .collect();
            assert_eq!(listed.get(&right.class), Some(&4));
            assert!(!listed.contains_key(&wrong.class));
            // One audit entry for the whole merge, with both classes before and after.
            let log = tx.audit_log(Some(centre), 10)?;
            let merges: Vec<_> = log.iter().filter(|e| e.action == "class_merged").collect();
            assert_eq!(merges.len(), 1);
            assert!(log.iter().all(|e| e.action != "session_edited"));
            assert!(
                merges[0].before.contains("\"moved\":2"),
                "{}",
                merges[0].before
            );
            assert!(
                merges[0].after.contains("merged_into"),
                "{}",
                merges[0].after
            );
            Ok(())
        })
        .expect("read");

    // The deleted session comes back into the surviving class and its group.
    let restored = store
        .write(|tx| tx.restore_session(gone.id, at()))
        .expect("restored")
        .expect("still restorable");
    assert_eq!(
        (restored.class, restored.group.as_str()),
        (right.class, "health")
    );
    assert!(counters_exact(&store));
    store
        .read(|tx| {
            assert_eq!(report(tx, centre, year_2020())["health"], (1, 5, 140));
            Ok(())
        })
        .expect("read");
}

#[test]
fn a_draft_that_chose_the_merged_class_is_saved_into_the_class_it_became() {
    let (_dir, store, centre) = open();
    let right = save(
        &store,
        &typed(centre, "health", "Tiêm chủng", date(2020, 2, 1), 40),
    );
    let wrong = save(
        &store,
        &typed(centre, "law", "Tiem chung", date(2020, 2, 2), 30),
    );
    store
        .write(|tx| tx.merge_classes(wrong.class, right.class, DIRECTOR, at()))
        .expect("merged");
    // A draft opened before the merge still names the old class and its group.
    let mut draft = typed(centre, "law", "", date(2020, 2, 5), 25);
    draft.class = ClassChoice::Existing(wrong.class);
    let saved = save(&store, &draft);
    assert_eq!((saved.class, saved.group.as_str()), (right.class, "health"));
    assert!(counters_exact(&store));
    store
        .read(|tx| {
            let year = report(tx, centre, year_2020());
            assert_eq!(year["health"], (1, 3, 95));
            assert!(!year.contains_key("law"));
            Ok(())
        })
        .expect("read");
}

/// Reproduction: a director merged "Tin hoc VP" into "Tin học văn phòng"; the next week
/// an organiser typed "Tin hoc VP" again and a new class of that name appeared, so "Số
/// lớp" counted the class twice again.
#[test]
fn after_a_merge_the_old_spelling_names_the_class_it_became() {
    let (_dir, store, centre) = open();
    let right = save(
        &store,
        &typed(centre, "it", "Tin học văn phòng", date(2020, 2, 1), 20),
    );
    let wrong = save(
        &store,
        &typed(centre, "it", "Tin hoc VP", date(2020, 2, 8), 18),
    );
    store
        .write(|tx| tx.merge_classes(wrong.class, right.class, DIRECTOR, at()))
        .expect("merged");
    let again = save(
        &store,
        &typed(centre, "it", "Tin hoc VP", date(2020, 2, 15), 19),
    );
    assert_eq!(
        again.class, right.class,
        "the old spelling is the merged class"
    );
    assert!(counters_exact(&store));
    store
        .read(|tx| {
            assert_eq!(report(tx, centre, year_2020())["it"], (1, 3, 57));
            // Listed once, under its own name; the old spelling is no class of its own.
            let listed: Vec<String> = tx
                .centre_classes_with_counts(centre)?
                .into_iter()
                .map(|c| format!("{} {}", c.class.name, c.sessions))
                .collect();
            assert_eq!(listed, ["Tin học văn phòng 3"]);
            let offered: Vec<String> = tx
                .centre_classes(centre)?
                .into_iter()
                .map(|(class, _)| class.name)
                .collect();
            assert_eq!(offered, ["Tin học văn phòng"]);
            // `rollcall check` counts the classes in use, and the merged one apart.
            let counts = tx.counts()?;
            assert_eq!((counts.classes, counts.merged_classes), (1, 1));
            Ok(())
        })
        .expect("read");
    // The class may take its old spelling back as its name.
    store
        .write(|tx| tx.rename_class(right.class, "Tin hoc VP", "tin hoc vp", DIRECTOR, at()))
        .expect("renamed back to the old spelling");
}

/// Across groups the old spelling is not kept: a session typed under the wrong group
/// again is a new class there (which the entry checks point out), never silently moved
/// into another group.
#[test]
fn after_a_merge_across_groups_the_old_spelling_is_not_reused() {
    let (_dir, store, centre) = open();
    let right = save(
        &store,
        &typed(centre, "health", "Tiêm chủng", date(2020, 2, 1), 40),
    );
    let wrong = save(
        &store,
        &typed(centre, "law", "Tiem chung mo rong", date(2020, 2, 2), 30),
    );
    store
        .write(|tx| tx.merge_classes(wrong.class, right.class, DIRECTOR, at()))
        .expect("merged");
    let again = save(
        &store,
        &typed(centre, "law", "Tiem chung mo rong", date(2020, 2, 9), 30),
    );
    assert_ne!(again.class, right.class);
    assert_eq!(again.group, "law");
    assert!(counters_exact(&store));
}

#[test]
fn merges_into_itself_into_a_merged_class_or_across_centres_are_refused() {
    let (_dir, store, centre) = open();
    let other = store
        .write(|tx| tx.ensure_centre("Hoành Bồ"))
        .expect("centre");
    let a = save(
        &store,
        &typed(centre, "health", "Một", date(2020, 2, 3), 40),
    );
    let b = save(
        &store,
        &typed(centre, "health", "Hai", date(2020, 2, 4), 40),
    );
    let c = save(&store, &typed(other, "health", "Ba", date(2020, 2, 5), 40));
    for (from, into) in [(a.class, a.class), (a.class, c.class), (a.class, 999)] {
        let refused = store.write(|tx| tx.merge_classes(from, into, DIRECTOR, at()));
        assert!(refused.is_err(), "{from} into {into}: {refused:?}");
    }
    store
        .write(|tx| tx.merge_classes(a.class, b.class, DIRECTOR, at()))
        .expect("merged");
    for (from, into) in [(a.class, b.class), (b.class, a.class)] {
        let refused = store.write(|tx| tx.merge_classes(from, into, DIRECTOR, at()));
        assert!(refused.is_err(), "{from} into {into}: {refused:?}");
    }
    let refused = store.write(|tx| tx.rename_class(a.class, "Bốn", "bốn", DIRECTOR, at()));
    assert!(refused.is_err(), "a merged class is not renamed");
    assert!(counters_exact(&store));
}

const GROUPS: [&str; 3] = ["law", "health", "environment"];
const NAMES: [&str; 4] = ["Một", "Hai", "Ba", "Bốn"];

/// "Số lớp" per group over `period`, recounted from the live sessions: distinct classes.
fn classes_recounted<S: Source>(
    tx: &View<S>,
    centre: u64,
    period: Period,
) -> BTreeMap<String, u64> {
    let mut seen: BTreeMap<String, BTreeSet<ClassId>> = BTreeMap::new();
    for s in tx.sessions(Some(centre), period).expect("sessions") {
        seen.entry(s.group).or_default().insert(s.class);
    }
    seen.into_iter()
        .map(|(group, classes)| (group, classes.len() as u64))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any sessions over a few classes and groups, then any merges between the classes
    /// still in use: the counters equal a recount and "Số lớp" counts distinct classes,
    /// for a whole year and for a period cut inside months.
    #[test]
    fn after_any_merges_the_counters_equal_a_recount(
        sessions in proptest::collection::vec((0usize..3, 0usize..4, 0u32..120, 1u32..200), 1..30),
        merges in proptest::collection::vec((any::<usize>(), any::<usize>()), 0..6),
    ) {
        let (_dir, store, centre) = open();
        for (g, k, offset, total) in &sessions {
            let day = date(2020, 1, 5) + chrono::Days::new(u64::from(*offset));
            save(&store, &typed(centre, GROUPS[*g], NAMES[*k], day, *total));
        }
        for (from, into) in merges {
            let live: Vec<ClassId> = store
                .read(|tx| tx.centre_classes_with_counts(centre))
                .expect("classes")
                .into_iter()
                .map(|c| c.class.id)
                .collect();
            let (from, into) = (live[from % live.len()], live[into % live.len()]);
            let result = store.write(|tx| tx.merge_classes(from, into, DIRECTOR, at()));
            prop_assert_eq!(result.is_ok(), from != into);
        }
        prop_assert!(counters_exact(&store));
        store
            .read(|tx| {
                for period in [year_2020(), cut_period()] {
                    let counted: BTreeMap<String, u64> = report(tx, centre, period)
                        .into_iter()
                        .map(|(group, (classes, _, _))| (group, classes))
                        .collect();
                    assert_eq!(counted, classes_recounted(tx, centre, period), "{period:?}");
                }
                let listed: u64 = tx
                    .centre_classes_with_counts(centre)?
                    .iter()
                    .map(|c| c.sessions)
                    .sum();
                assert_eq!(listed as usize, tx.sessions(Some(centre), year_2020())?.len());
                Ok(())
            })
            .expect("read");
    }
}
