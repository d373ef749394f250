//! Tests of the redb store on real files in a temporary directory: persistence across
//! reopening, deduplication, class reuse, report totals, schema checks and locking.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use redb::{ReadableDatabase, ReadableTable};
use rollcall::dialog::{ChatState, ClassRef};
use rollcall::domain::{ClassChoice, NewSession, Period, SessionRecord, Totals};
use rollcall::outgoing::{OutOp, Outgoing};
use rollcall::store::{Store, StoreError, SCHEMA_VERSION};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollcall.redb");
    (dir, path)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 10, 31, 12, 0, 0).unwrap()
}

fn period(from: NaiveDate, to: NaiveDate) -> Period {
    Period::new(from, to).unwrap()
}

fn new_class(name: &str) -> ClassChoice {
    ClassChoice::New {
        name: name.to_owned(),
        key: name.to_lowercase(),
    }
}

fn session(
    centre: u64,
    group: &str,
    class: ClassChoice,
    date: NaiveDate,
    total: u32,
    female: u32,
) -> NewSession {
    NewSession {
        centre,
        organiser: 42,
        group: group.to_owned(),
        class,
        date,
        total,
        female,
        extra: BTreeMap::new(),
        created_at: at(),
    }
}

fn save(store: &Store, s: &NewSession) -> SessionRecord {
    store.write(|tx| tx.save_session(s)).unwrap()
}

fn message(chat: i64, text: &str) -> Outgoing {
    Outgoing {
        chat,
        op: OutOp::Message {
            html: text.to_owned(),
            keyboard: None,
        },
    }
}

#[test]
fn reopening_keeps_sessions_classes_chats_offset_and_outbox() {
    let (_dir, path) = temp_db();
    let state = ChatState {
        stamp: 7,
        ..ChatState::default()
    };
    let (centre, saved) = {
        let store = Store::open(&path).unwrap();
        store
            .write(|tx| {
                let centre = tx.ensure_centre("TTHTCĐ phường Tràng An")?;
                let saved = tx.save_session(&session(
                    centre,
                    "health",
                    new_class("Phòng chống sốt xuất huyết"),
                    day(2020, 3, 5),
                    45,
                    30,
                ))?;
                tx.set_chat_state(1001, &state)?;
                tx.enqueue_updates(&[(10, "{\"update_id\":10}".to_owned())], 11)?;
                tx.push_outgoing(&message(1001, "xin chào"))?;
                Ok((centre, saved))
            })
            .unwrap()
    };

    let store = Store::open(&path).unwrap();
    store
        .read(|tx| {
            assert_eq!(
                tx.centre_name(centre)?.as_deref(),
                Some("TTHTCĐ phường Tràng An")
            );
            let year = period(day(2020, 1, 1), day(2020, 12, 31));
            assert_eq!(tx.sessions(Some(centre), year)?, vec![saved.clone()]);
            let class = tx.class(saved.class)?.unwrap();
            assert_eq!(class.name, "Phòng chống sốt xuất huyết");
            assert_eq!(class.last_session, Some(day(2020, 3, 5)));
            assert_eq!(tx.chat_state(1001)?, Some(state.clone()));
            assert_eq!(tx.chat_state(1002)?, None);
            assert_eq!(tx.poll_offset()?, 11);
            assert_eq!(
                tx.pending_updates(10)?,
                vec![(10, "{\"update_id\":10}".to_owned())]
            );
            assert_eq!(tx.outbox(10)?, vec![(1, message(1001, "xin chào"))]);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_new_database_starts_empty() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    store
        .read(|tx| {
            assert_eq!(tx.poll_offset()?, 0);
            assert!(tx.pending_updates(10)?.is_empty());
            assert!(tx.outbox(10)?.is_empty());
            assert_eq!(tx.centre_name(1)?, None);
            assert_eq!(tx.class(1)?, None);
            assert!(tx.recent_classes(1, "health", 5)?.is_empty());
            let all = period(day(1, 1, 1), day(9999, 12, 31));
            assert!(tx.group_totals(None, all)?.is_empty());
            assert!(tx.sessions(None, all)?.is_empty());
            Ok(())
        })
        .unwrap();
}

#[test]
fn enqueue_updates_skips_seen_ids_and_ids_below_the_offset() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let batch = vec![(100, "a".to_owned()), (101, "b".to_owned())];
    assert_eq!(
        store.write(|tx| tx.enqueue_updates(&batch, 102)).unwrap(),
        2
    );
    // Telegram repeats a batch when the acknowledgement was lost.
    assert_eq!(
        store.write(|tx| tx.enqueue_updates(&batch, 102)).unwrap(),
        0
    );

    // Once handled and removed, an old id below the offset must not come back.
    store.write(|tx| tx.finish_update(100)).unwrap();
    let late = vec![
        (99, "old".to_owned()),
        (100, "a".to_owned()),
        (102, "c".to_owned()),
    ];
    assert_eq!(store.write(|tx| tx.enqueue_updates(&late, 103)).unwrap(), 1);

    // A stale next offset never moves the offset back.
    assert_eq!(store.write(|tx| tx.enqueue_updates(&[], 50)).unwrap(), 0);
    store
        .read(|tx| {
            assert_eq!(tx.poll_offset()?, 103);
            assert_eq!(
                tx.pending_updates(10)?,
                vec![(101, "b".to_owned()), (102, "c".to_owned())]
            );
            assert_eq!(tx.pending_updates(1)?, vec![(101, "b".to_owned())]);
            Ok(())
        })
        .unwrap();
}

#[test]
fn ensure_centre_finds_by_exact_name_or_creates_from_one() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let (a, b, a_again) = store
        .write(|tx| {
            Ok((
                tx.ensure_centre("Tràng An")?,
                tx.ensure_centre("Hạ Long")?,
                tx.ensure_centre("Tràng An")?,
            ))
        })
        .unwrap();
    assert_eq!((a, b, a_again), (1, 2, 1));
    let listed = store.read(|tx| tx.centres()).unwrap();
    assert_eq!(
        listed,
        vec![(1, "Tràng An".to_owned()), (2, "Hạ Long".to_owned())]
    );
}

#[test]
fn save_session_reuses_the_class_with_the_same_key() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let first = save(
        &store,
        &session(
            1,
            "law",
            new_class("Luật giao thông"),
            day(2020, 2, 1),
            30,
            10,
        ),
    );
    let second = save(
        &store,
        &session(
            1,
            "law",
            ClassChoice::New {
                name: "LUẬT GIAO THÔNG".to_owned(),
                key: "luật giao thông".to_owned(),
            },
            day(2020, 1, 15),
            20,
            5,
        ),
    );
    let third = save(
        &store,
        &session(
            1,
            "law",
            ClassChoice::Existing(first.class),
            day(2020, 3, 1),
            10,
            1,
        ),
    );
    // The same key in another group or centre is another class.
    let other_group = save(
        &store,
        &session(
            1,
            "health",
            new_class("Luật giao thông"),
            day(2020, 2, 1),
            5,
            1,
        ),
    );
    let other_centre = save(
        &store,
        &session(
            2,
            "law",
            new_class("Luật giao thông"),
            day(2020, 2, 1),
            5,
            1,
        ),
    );

    assert_eq!((first.id, second.id, third.id), (1, 2, 3));
    assert_eq!(first.class, 1);
    assert_eq!(second.class, first.class);
    assert_eq!(third.class, first.class);
    assert_eq!(other_group.class, 2);
    assert_eq!(other_centre.class, 3);
    store
        .read(|tx| {
            let class = tx.class(first.class)?.unwrap();
            // The name as first typed is kept; the last session is the latest date, not the
            // last saved one.
            assert_eq!(class.name, "Luật giao thông");
            assert_eq!(class.last_session, Some(day(2020, 3, 1)));
            assert_eq!(
                tx.class_by_key(1, "law", "luật giao thông")?,
                Some(ClassRef {
                    id: first.class,
                    name: "Luật giao thông".to_owned()
                })
            );
            assert_eq!(tx.class_by_key(1, "law", "other")?, None);
            assert_eq!(tx.class_by_key(3, "law", "luật giao thông")?, None);
            Ok(())
        })
        .unwrap();
}

#[test]
fn save_session_refuses_a_class_of_another_centre_or_group_and_writes_nothing() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let first = save(
        &store,
        &session(1, "law", new_class("Luật đất đai"), day(2020, 2, 1), 30, 10),
    );
    let year = period(day(2020, 1, 1), day(2020, 12, 31));

    let wrong = [
        session(
            2,
            "law",
            ClassChoice::Existing(first.class),
            day(2020, 5, 1),
            9,
            9,
        ),
        session(
            1,
            "health",
            ClassChoice::Existing(first.class),
            day(2020, 5, 1),
            9,
            9,
        ),
        session(1, "law", ClassChoice::Existing(999), day(2020, 5, 1), 9, 9),
        session(1, "law", new_class("Quá nhiều nữ"), day(2020, 5, 1), 9, 10),
    ];
    for bad in &wrong {
        // The caller commits anyway: nothing of the refused session may have been written.
        let refused = store.write(|tx| Ok(tx.save_session(bad))).unwrap();
        assert!(
            matches!(refused, Err(StoreError::Db(_))),
            "{bad:?} was accepted"
        );
    }

    store
        .read(|tx| {
            assert_eq!(tx.sessions(None, year)?, vec![first.clone()]);
            assert_eq!(
                tx.class(first.class)?.unwrap().last_session,
                Some(day(2020, 2, 1))
            );
            assert_eq!(tx.class_by_key(1, "law", "quá nhiều nữ")?, None);
            assert_eq!(tx.class(2)?, None);
            Ok(())
        })
        .unwrap();
    // No id was used up by the refused sessions.
    let next = save(
        &store,
        &session(1, "law", new_class("Luật lao động"), day(2020, 6, 1), 8, 4),
    );
    assert_eq!((next.id, next.class), (2, 2));
}

#[test]
fn recent_classes_lists_the_latest_session_first_and_classes_without_sessions_last() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    save(
        &store,
        &session(1, "arts", new_class("Dân vũ"), day(2020, 3, 1), 10, 5),
    );
    save(
        &store,
        &session(1, "arts", new_class("Cờ tướng"), day(2020, 5, 1), 10, 5),
    );
    save(
        &store,
        &session(1, "arts", new_class("Bóng chuyền"), day(2020, 3, 1), 10, 5),
    );
    save(
        &store,
        &session(1, "arts", new_class("Dân vũ"), day(2020, 6, 1), 10, 5),
    );
    save(
        &store,
        &session(1, "arts", new_class("Kéo co"), day(2020, 3, 1), 10, 5),
    );
    save(
        &store,
        &session(1, "health", new_class("Yoga"), day(2020, 7, 1), 10, 5),
    );
    save(
        &store,
        &session(2, "arts", new_class("Hát chèo"), day(2020, 7, 1), 10, 5),
    );

    let names = |limit| -> Vec<String> {
        store
            .read(|tx| tx.recent_classes(1, "arts", limit))
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    // Dân vũ moved on to June; Kéo co and Bóng chuyền share a date, the newer class first.
    assert_eq!(names(10), ["Dân vũ", "Cờ tướng", "Kéo co", "Bóng chuyền"]);
    assert_eq!(names(2), ["Dân vũ", "Cờ tướng"]);
    assert!(names(0).is_empty());
}

#[test]
fn group_totals_count_distinct_classes_within_inclusive_bounds() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    // One vocational class meets three times in the period: one class, three sessions.
    for (d, total, female) in [(1, 20, 10), (15, 25, 12), (31, 30, 14)] {
        save(
            &store,
            &session(
                1,
                "vocational",
                new_class("Nấu ăn"),
                day(2020, 1, d),
                total,
                female,
            ),
        );
    }
    // This class met only before the period: it must not count.
    save(
        &store,
        &session(
            1,
            "vocational",
            new_class("May mặc"),
            day(2019, 12, 31),
            99,
            99,
        ),
    );
    // Another class met only after it.
    save(
        &store,
        &session(1, "vocational", new_class("Sửa xe"), day(2020, 2, 1), 88, 0),
    );
    save(
        &store,
        &session(1, "health", new_class("Sơ cứu"), day(2020, 1, 10), 40, 30),
    );
    // Another centre's session stays out of centre 1's totals.
    save(
        &store,
        &session(2, "health", new_class("Sơ cứu"), day(2020, 1, 10), 7, 7),
    );

    let january = period(day(2020, 1, 1), day(2020, 1, 31));
    let totals = store.read(|tx| tx.group_totals(Some(1), january)).unwrap();
    assert_eq!(
        totals,
        BTreeMap::from([
            (
                "health".to_owned(),
                Totals {
                    classes: 1,
                    sessions: 1,
                    attendance: 40,
                    female: 30
                }
            ),
            (
                "vocational".to_owned(),
                Totals {
                    classes: 1,
                    sessions: 3,
                    attendance: 75,
                    female: 36
                }
            ),
        ])
    );

    // Both bounds are included: a one-day period on the last day sees that day's session.
    let last_day = period(day(2020, 1, 31), day(2020, 1, 31));
    let totals = store.read(|tx| tx.group_totals(Some(1), last_day)).unwrap();
    assert_eq!(totals["vocational"].sessions, 1);
    assert_eq!(totals["vocational"].attendance, 30);

    let everything = period(day(2019, 1, 1), day(2020, 12, 31));
    let all_centres = store.read(|tx| tx.group_totals(None, everything)).unwrap();
    assert_eq!(all_centres["vocational"].classes, 3);
    // The same key in two centres is two classes.
    assert_eq!(all_centres["health"].classes, 2);
    assert_eq!(all_centres["health"].attendance, 47);
}

#[test]
fn sessions_are_listed_by_date_then_id_across_centres() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let a = save(
        &store,
        &session(2, "law", new_class("A"), day(2020, 3, 2), 1, 0),
    );
    let b = save(
        &store,
        &session(1, "law", new_class("B"), day(2020, 3, 3), 1, 0),
    );
    let c = save(
        &store,
        &session(1, "law", new_class("C"), day(2020, 3, 2), 1, 0),
    );
    let d = save(
        &store,
        &session(3, "law", new_class("D"), day(2020, 3, 1), 1, 0),
    );
    let march = period(day(2020, 3, 1), day(2020, 3, 31));
    let ids: Vec<u64> = store
        .read(|tx| tx.sessions(None, march))
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, [d.id, a.id, c.id, b.id]);
    let ids: Vec<u64> = store
        .read(|tx| tx.sessions(Some(1), march))
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, [c.id, b.id]);
}

#[test]
fn the_outbox_is_oldest_first_and_never_reuses_a_number() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let seqs = store
        .write(|tx| {
            Ok((
                tx.push_outgoing(&message(1, "một"))?,
                tx.push_outgoing(&message(2, "hai"))?,
            ))
        })
        .unwrap();
    assert_eq!(seqs, (1, 2));
    assert_eq!(
        store.read(|tx| tx.outbox(1)).unwrap(),
        vec![(1, message(1, "một"))]
    );
    store
        .write(|tx| {
            tx.remove_outgoing(1)?;
            tx.remove_outgoing(2)?;
            // Removing twice is harmless (the sender may retry).
            tx.remove_outgoing(2)
        })
        .unwrap();
    assert_eq!(
        store
            .write(|tx| tx.push_outgoing(&message(3, "ba")))
            .unwrap(),
        3
    );
    assert_eq!(
        store.read(|tx| tx.outbox(10)).unwrap(),
        vec![(3, message(3, "ba"))]
    );
}

#[test]
fn a_snapshot_read_does_not_wait_for_a_running_write() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    store
        .write(|tx| {
            tx.save_session(&session(1, "law", new_class("X"), day(2020, 1, 1), 10, 4))
                .map(drop)
        })
        .unwrap();
    let year = period(day(2020, 1, 1), day(2020, 12, 31));

    // A step holds the writer, halfway through its changes, until the test releases it.
    let (held_tx, held) = std::sync::mpsc::channel();
    let (release_tx, release) = std::sync::mpsc::channel::<()>();
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            store
                .write(|tx| {
                    tx.save_session(&session(1, "law", new_class("X"), day(2020, 2, 1), 7, 1))?;
                    held_tx.send(()).unwrap();
                    release.recv().unwrap();
                    Ok(())
                })
                .unwrap();
        })
    };
    held.recv().unwrap();

    // The report's read, on another thread, with a bounded wait: had it queued for the
    // writer, no answer would come before the release.
    let (read_tx, read) = std::sync::mpsc::channel();
    let reader = {
        let store = store.clone();
        std::thread::spawn(move || {
            read_tx
                .send(store.read(|snapshot| snapshot.group_totals(Some(1), year)))
                .unwrap();
        })
    };
    let totals = read
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the snapshot read answered while the write was running")
        .unwrap();
    assert_eq!(
        totals["law"].attendance, 10,
        "the write in progress is not seen"
    );
    release_tx.send(()).unwrap();
    writer.join().unwrap();
    reader.join().unwrap();
    let totals = store
        .read(|snapshot| snapshot.group_totals(Some(1), year))
        .unwrap();
    assert_eq!(
        totals["law"].attendance, 17,
        "a later snapshot sees the commit"
    );
}

#[test]
fn a_failed_write_is_rolled_back() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let failed: Result<(), StoreError> = store.write(|tx| {
        tx.push_outgoing(&message(1, "never sent"))?;
        Err(StoreError::Db("the step failed".to_owned()))
    });
    assert!(failed.is_err());
    assert!(store.read(|tx| tx.outbox(10)).unwrap().is_empty());
    assert_eq!(
        store
            .write(|tx| tx.push_outgoing(&message(1, "first")))
            .unwrap(),
        1
    );
}

#[test]
fn a_file_with_a_newer_schema_is_refused() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        // Written by hand, the way a future rollcall would: one version above ours.
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(meta).unwrap();
            let newer = (SCHEMA_VERSION + 1).to_string();
            table.insert("schema_version", newer.as_bytes()).unwrap();
        }
        txn.commit().unwrap();
    }
    match Store::open(&path) {
        Err(StoreError::NewerSchema {
            found, supported, ..
        }) => {
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn a_version_0_file_is_migrated() {
    let (_dir, path) = temp_db();
    {
        // A file from before the version was recorded: an inbox, no meta table.
        let inbox: redb::TableDefinition<i64, &str> = redb::TableDefinition::new("inbox");
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(inbox).unwrap().insert(7, "{}").unwrap();
        txn.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.read(|tx| tx.pending_updates(10)).unwrap(),
        vec![(7, "{}".to_owned())]
    );
    drop(store);

    let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
    let db = redb::Database::create(&path).unwrap();
    let txn = db.begin_write().unwrap();
    let version = txn
        .open_table(meta)
        .unwrap()
        .get("schema_version")
        .unwrap()
        .map(|v| v.value().to_vec());
    assert_eq!(version, Some(SCHEMA_VERSION.to_string().into_bytes()));
}

#[test]
fn opening_the_same_file_twice_is_already_open() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::AlreadyOpen { .. })
    ));
    // A clone shares the open file rather than opening it again.
    let clone = store.clone();
    assert_eq!(clone.write(|tx| tx.ensure_centre("A")).unwrap(), 1);
    drop(store);
    drop(clone);
    assert!(Store::open(&path).is_ok());
}

/// A session as generated by the property test: (centre, group, class name, day, total, female).
fn arbitrary_session() -> impl Strategy<Value = (u64, usize, usize, u32, u32, u32)> {
    (1u64..=3, 0usize..3, 0usize..4, 0u32..60, 0u32..500).prop_flat_map(|(c, g, k, d, total)| {
        (Just(c), Just(g), Just(k), Just(d), Just(total), 0..=total)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn group_totals_equal_a_recount_of_the_sessions(
        sessions in proptest::collection::vec(arbitrary_session(), 0..40),
        from in 0u32..60,
        length in 0u32..60,
        one_centre in proptest::option::of(1u64..=3),
    ) {
        const GROUPS: [&str; 3] = ["law", "health", "arts"];
        const CLASSES: [&str; 4] = ["Một", "Hai", "Ba", "Bốn"];
        let (_dir, path) = temp_db();
        let store = Store::open(&path).unwrap();
        let start = day(2020, 1, 1);
        store.write(|tx| {
            for (centre, g, k, d, total, female) in &sessions {
                tx.save_session(&session(
                    *centre,
                    GROUPS[*g],
                    new_class(CLASSES[*k]),
                    start + chrono::Days::new(u64::from(*d)),
                    *total,
                    *female,
                ))?;
            }
            Ok(())
        }).unwrap();

        let from = start + chrono::Days::new(u64::from(from));
        let wanted = period(from, from + chrono::Days::new(u64::from(length)));
        let (totals, listed) = store
            .read(|tx| Ok((tx.group_totals(one_centre, wanted)?, tx.sessions(one_centre, wanted)?)))
            .unwrap();

        let mut recount: BTreeMap<String, Totals> = BTreeMap::new();
        let mut classes: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
        for s in &listed {
            prop_assert!(wanted.contains(s.date));
            prop_assert!(one_centre.is_none_or(|c| c == s.centre));
            let t = recount.entry(s.group.clone()).or_default();
            t.sessions += 1;
            t.attendance += u64::from(s.total);
            t.female += u64::from(s.female);
            classes.entry(s.group.clone()).or_default().insert(s.class);
        }
        for (group, ids) in classes {
            recount.get_mut(&group).unwrap().classes = ids.len() as u64;
        }
        prop_assert_eq!(totals, recount);

        // And the listing itself misses nothing: compare with the generated input.
        let expected = sessions
            .iter()
            .filter(|(c, _, _, d, _, _)| {
                one_centre.is_none_or(|o| o == *c)
                    && wanted.contains(start + chrono::Days::new(u64::from(*d)))
            })
            .count();
        prop_assert_eq!(listed.len(), expected);
        prop_assert!(listed.windows(2).all(|w| (w[0].date, w[0].id) < (w[1].date, w[1].id)));
    }
}

#[test]
fn update_ids_that_start_again_lower_are_followed_not_dropped() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let raw = |id: i64| format!("{{\"update_id\":{id}}}");
    let enqueue = |ids: &[i64]| {
        let updates: Vec<(i64, String)> = ids.iter().map(|id| (*id, raw(*id))).collect();
        let next = ids.iter().max().unwrap() + 1;
        store
            .write(move |tx| {
                let added = tx.enqueue_updates(&updates, next)?;
                // Handled at once, as the processor would: only the offset remembers them.
                for (id, _) in &updates {
                    tx.finish_update(*id)?;
                }
                Ok((added, tx.poll_offset()?))
            })
            .unwrap()
    };
    assert_eq!(enqueue(&[900_000_000, 900_000_001]), (2, 900_000_002));
    // A replay of what was handled: ignored, the offset stays.
    assert_eq!(enqueue(&[900_000_001]), (0, 900_000_002));
    assert_eq!(enqueue(&[899_990_000]), (0, 900_000_002));
    // A week later Telegram starts again from a random, lower id: followed.
    assert_eq!(enqueue(&[12_345, 12_346]), (2, 12_347));
    // And the new sequence is deduplicated like the old one.
    assert_eq!(enqueue(&[12_346]), (0, 12_347));
    assert_eq!(enqueue(&[12_347]), (1, 12_348));
}

/// Writes raw bytes as `chat`'s stored state, the way a damaged or incompatible record
/// would look, with the store closed.
fn put_raw_chat_state(path: &std::path::Path, chat: i64, bytes: &[u8]) {
    let chats: redb::TableDefinition<i64, &[u8]> = redb::TableDefinition::new("chats");
    let db = redb::Database::create(path).unwrap();
    let txn = db.begin_write().unwrap();
    txn.open_table(chats).unwrap().insert(chat, bytes).unwrap();
    txn.commit().unwrap();
}

#[test]
fn chat_states_carry_a_version_and_older_or_unreadable_ones_are_told_apart() {
    use rollcall::store::{StoredChat, CHAT_STATE_VERSION};
    let (_dir, path) = temp_db();
    let state = ChatState {
        stamp: 7,
        ..ChatState::default()
    };
    let store = Store::open(&path).unwrap();
    store.write(|tx| tx.set_chat_state(1, &state)).unwrap();
    drop(store);
    {
        let chats: redb::TableDefinition<i64, &[u8]> = redb::TableDefinition::new("chats");
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let table = txn.open_table(chats).unwrap();
        let raw = table.get(1).unwrap().unwrap();
        let json: serde_json::Value = serde_json::from_slice(raw.value()).unwrap();
        assert_eq!(
            json["v"], CHAT_STATE_VERSION,
            "stored with its version: {json}"
        );
    }
    // Written before the version existed: the state's fields alone.
    put_raw_chat_state(&path, 2, br#"{"stamp":3}"#);
    put_raw_chat_state(&path, 3, b"{\"stamp\":\"not a number\"}");
    put_raw_chat_state(&path, 4, br#"{"v":99,"stamp":1}"#);
    let store = Store::open(&path).unwrap();
    store
        .read(|tx| {
            assert_eq!(
                tx.read_chat_state(1)?,
                StoredChat::Known(Box::new(state.clone()))
            );
            let old = ChatState {
                stamp: 3,
                ..ChatState::default()
            };
            assert_eq!(tx.read_chat_state(2)?, StoredChat::Known(Box::new(old)));
            assert!(matches!(
                tx.read_chat_state(3)?,
                StoredChat::Unreadable { .. }
            ));
            assert!(matches!(
                tx.read_chat_state(4)?,
                StoredChat::Unreadable { .. }
            ));
            assert_eq!(tx.read_chat_state(5)?, StoredChat::New);
            // Readers that only want the language fall back as for a new chat.
            assert_eq!(tx.chat_state(3)?, None);
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_undecodable_chat_state_starts_the_chat_again_with_a_notice() {
    // Regression (issue 16): a stored state that no longer decoded failed every step of
    // that chat, so its updates were retried and then skipped as poison, for good.
    use rollcall::dialog::{load_dir, Input, Sender};
    use rollcall::domain::{EntryRules, Now, YearStart};
    use rollcall::runtime::{Event, Runtime};
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    let chat = 4242;
    put_raw_chat_state(&path, chat, b"{\"draft\":{\"centre\":\"garbage\"}}");
    let store = Store::open(&path).unwrap();
    let catalog =
        load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).unwrap();
    let runtime = Runtime {
        catalog: std::sync::Arc::new(catalog),
        bot_username: None,
        zone: chrono_tz::Asia::Ho_Chi_Minh,
        year_start: YearStart::default(),
        entry: EntryRules::default(),
    };
    let event = Event {
        chat,
        sender: Sender {
            user: chat,
            chat,
            name: "Lan".to_owned(),
            language_hint: Some("en".to_owned()),
            private: true,
        },
        input: Input::Command {
            name: "help".to_owned(),
            args: String::new(),
        },
        callback: None,
        sent_at: None,
    };
    let now = Now::in_zone(at(), chrono_tz::Asia::Ho_Chi_Minh);
    let queued = store
        .write(|tx| {
            runtime.handle(tx, &event, now)?;
            tx.outbox(100)
        })
        .expect("the step succeeds instead of failing on the stored state");
    let texts: Vec<&str> = queued
        .iter()
        .filter_map(|(_, m)| match &m.op {
            OutOp::Message { html, .. } => Some(html.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        texts.len(),
        2,
        "the notice, then the answer to /help: {texts:?}"
    );
    assert!(texts[0].contains("started again"), "{}", texts[0]);
    // The state is written anew, so the next step reads it.
    let stored = store.read(|tx| tx.read_chat_state(chat)).unwrap();
    assert!(
        matches!(stored, rollcall::store::StoredChat::Known(_)),
        "{stored:?}"
    );
}

/// Sessions of organisers 42 and 43 in one centre, alternating, over many days.
fn sessions_of_two_organisers(store: &Store) -> u64 {
    let centre = store.write(|tx| tx.ensure_centre("Tràng An")).unwrap();
    for i in 0..40u32 {
        let mut s = session(
            centre,
            "sk",
            new_class(&format!("Lớp {}", i % 3)),
            day(2020, 1, 1) + chrono::Days::new(u64::from(i)),
            10 + i,
            i,
        );
        s.organiser = if i % 4 == 0 { 43 } else { 42 };
        save(store, &s);
    }
    centre
}

/// What `/mine` must show: `organiser`'s live sessions, latest first, from a full scan.
fn mine_by_scan(store: &Store, centre: u64, organiser: i64, limit: usize) -> Vec<SessionRecord> {
    let everything = store
        .read(|tx| tx.recent_sessions(centre, None, usize::MAX))
        .unwrap();
    everything
        .into_iter()
        .filter(|s| s.organiser == organiser)
        .take(limit)
        .collect()
}

#[test]
fn mine_reads_the_organiser_index_and_it_follows_saves_deletions_and_forgetting() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let centre = sessions_of_two_organisers(&store);
    let mine = |organiser| {
        store
            .read(|tx| tx.recent_sessions(centre, Some(organiser), 5))
            .unwrap()
    };
    assert_eq!(mine(43), mine_by_scan(&store, centre, 43, 5));
    assert_eq!(mine(42), mine_by_scan(&store, centre, 42, 5));
    assert_eq!(mine(43).len(), 5);
    let latest = mine(43)[0].clone();
    store
        .write(|tx| tx.delete_session(latest.id, at()).map(drop))
        .unwrap();
    assert!(!mine(43).iter().any(|s| s.id == latest.id));
    assert_eq!(mine(43), mine_by_scan(&store, centre, 43, 5));
    // Forgetting 43 moves their sessions to 0 in the index too: nothing under 43 is left.
    store
        .write(|tx| tx.forget_user(43, at()).map(drop))
        .unwrap();
    assert!(mine(43).is_empty());
    assert_eq!(mine(0), mine_by_scan(&store, centre, 0, 5));
    assert_eq!(mine(0).len(), 5);
}

#[test]
fn a_version_3_file_gets_the_organiser_index() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let centre = sessions_of_two_organisers(&store);
    drop(store);
    {
        // Make it the file v3 wrote: no organiser index, version 3.
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let index: redb::TableDefinition<(i64, u64, i32, u64), ()> =
            redb::TableDefinition::new("sessions_by_organiser");
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        assert!(txn.delete_table(index).unwrap(), "the index existed");
        txn.open_table(meta)
            .unwrap()
            .insert("schema_version", "3".as_bytes())
            .unwrap();
        txn.commit().unwrap();
    }
    // Version 4 added the index; later versions migrate on from there.
    const { assert!(SCHEMA_VERSION >= 4) };
    let store = Store::open(&path).expect("reopen migrates");
    for organiser in [42, 43] {
        let mine = store
            .read(|tx| tx.recent_sessions(centre, Some(organiser), 8))
            .unwrap();
        assert_eq!(mine.len(), 8);
        assert_eq!(mine, mine_by_scan(&store, centre, organiser, 8));
    }
}

/// The shape of the roll-up's sums tables (schema 5).
type SumsTable<'a> = redb::TableDefinition<'a, (i32, u64, &'static str), (u64, u64, u64)>;

#[test]
fn a_version_4_file_gets_the_roll_up_counters() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    sessions_of_two_organisers(&store);
    // Whole months over years, a year, and a period cutting months: each way of counting.
    let periods = [
        ((2020, 1, 1), (2030, 12, 31)),
        ((2020, 1, 1), (2020, 12, 31)),
        ((2020, 1, 5), (2020, 2, 3)),
    ]
    .map(|((y, m, d), (y2, m2, d2))| {
        Period::new(
            NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            NaiveDate::from_ymd_opt(y2, m2, d2).unwrap(),
        )
        .unwrap()
    });
    let totals = |store: &Store| -> Vec<_> {
        store
            .read(|tx| {
                periods
                    .iter()
                    .map(|p| tx.group_totals_by_centre(*p))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap()
    };
    let before = totals(&store);
    assert!(before.iter().all(|t| !t.is_empty()));
    drop(store);
    {
        // Make it the file v4 wrote: none of the roll-up's tables, version 4.
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        for name in ["month_centre_totals", "day_centre_totals"] {
            let sums: SumsTable = redb::TableDefinition::new(name);
            assert!(txn.delete_table(sums).unwrap());
        }
        let classes: redb::TableDefinition<(i32, u64, &str, u64), u64> =
            redb::TableDefinition::new("month_centre_classes");
        assert!(txn.delete_table(classes).unwrap());
        let firsts: redb::TableDefinition<(i32, i32, u64, &str, u64), ()> =
            redb::TableDefinition::new("year_first_days");
        assert!(txn.delete_table(firsts).unwrap());
        txn.open_table(meta)
            .unwrap()
            .insert("schema_version", "4".as_bytes())
            .unwrap();
        txn.commit().unwrap();
    }
    let store = Store::open(&path).expect("reopen migrates");
    assert!(store.read(|tx| tx.counters_match_sessions()).unwrap());
    assert_eq!(totals(&store), before);
}

#[test]
fn mine_does_not_read_the_sessions_of_others() {
    // Regression (issue 16): `/mine` read the centre's sessions from the latest back,
    // decoding everybody's, until it had found enough of the person's own. Proof that it
    // no longer does: another organiser's latest session is made unreadable, and the
    // person's list is still served.
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let centre = sessions_of_two_organisers(&store);
    let latest = store
        .read(|tx| tx.recent_sessions(centre, None, 1))
        .unwrap()
        .remove(0);
    assert_eq!(latest.organiser, 42);
    drop(store);
    spoil_session(&path, latest.id);
    let store = Store::open(&path).unwrap();
    let mine = store
        .read(|tx| tx.recent_sessions(centre, Some(43), 3))
        .expect("43's sessions are read without touching 42's");
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|s| s.organiser == 43));
}

/// Makes the session `id` of the file at `path` unreadable, so that any read of it fails.
fn spoil_session(path: &std::path::Path, id: u64) {
    let sessions: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("sessions");
    let db = redb::Database::create(path).unwrap();
    let txn = db.begin_write().unwrap();
    txn.open_table(sessions)
        .unwrap()
        .insert(id, b"not a session".as_slice())
        .unwrap();
    txn.commit().unwrap();
}

#[test]
fn the_entry_checks_read_only_the_class_s_sessions_of_the_day_not_the_centre_s() {
    // Regression (issue 16, found by the load benchmark): "the same session is stored
    // already" and "more than three times the class's usual" decoded every session the
    // centre logged that day, so on a busy day each Save cost more than the last (steps
    // of 2–4 ms after 10,000 sessions). Proof that they no longer do: another class's
    // session of the same day is made unreadable, and both checks still answer.
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let centre = store.write(|tx| tx.ensure_centre("Tràng An")).unwrap();
    let on = day(2020, 3, 2);
    let a: Vec<SessionRecord> = [10, 11, 12]
        .into_iter()
        .map(|total| {
            save(
                &store,
                &session(centre, "sk", new_class("Lớp A"), on, total, 2),
            )
        })
        .collect();
    let other = save(
        &store,
        &session(centre, "sk", new_class("Lớp B"), on, 30, 3),
    );
    assert_ne!(other.class, a[0].class);
    drop(store);
    spoil_session(&path, other.id);

    let store = Store::open(&path).unwrap();
    let class = a[0].class;
    let same = store
        .read(|tx| tx.same_session(centre, class, on, (11, 2)))
        .expect("the class's sessions are read without the other class's");
    assert_eq!(same.map(|s| s.id), Some(a[1].id));
    let none = store
        .read(|tx| tx.same_session(centre, class, on, (11, 3)))
        .unwrap();
    assert!(none.is_none());
    let mut usual = store.read(|tx| tx.class_attendances(class, 5)).unwrap();
    usual.sort_unstable();
    assert_eq!(usual, vec![10, 11, 12]);
}

#[test]
fn the_class_index_follows_edits_deletions_and_merges() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let centre = store.write(|tx| tx.ensure_centre("Tràng An")).unwrap();
    let on = day(2020, 3, 2);
    let first = save(
        &store,
        &session(centre, "sk", new_class("Lớp A"), on, 20, 5),
    );
    let b = save(
        &store,
        &session(centre, "sk", new_class("Lớp B"), on, 30, 6),
    );
    let c = save(
        &store,
        &session(centre, "sk", new_class("Lớp C"), on, 40, 7),
    );
    let found = |class: u64, numbers: (u32, u32)| {
        store
            .read(|tx| tx.same_session(centre, class, on, numbers))
            .unwrap()
            .map(|s| s.id)
    };
    assert_eq!(found(first.class, (20, 5)), Some(first.id));

    // An edit moves the session from class A to class B.
    let changes = rollcall::store::SessionChanges {
        class: Some(ClassChoice::Existing(b.class)),
        ..Default::default()
    };
    store
        .write(|tx| tx.update_session(first.id, &changes))
        .unwrap()
        .expect("edited");
    assert_eq!(found(first.class, (20, 5)), None);
    assert_eq!(found(b.class, (20, 5)), Some(first.id));

    // A merge moves class C's session into class B.
    store
        .write(|tx| tx.merge_classes(c.class, b.class, 42, at()))
        .unwrap();
    assert_eq!(found(c.class, (40, 7)), None);
    assert_eq!(found(b.class, (40, 7)), Some(c.id));
    let mut usual = store.read(|tx| tx.class_attendances(b.class, 5)).unwrap();
    usual.sort_unstable();
    assert_eq!(usual, vec![20, 30, 40]);

    // A deletion takes it out; a restore puts it back.
    store
        .write(|tx| tx.delete_session(first.id, at()))
        .unwrap()
        .expect("deleted");
    assert_eq!(found(b.class, (20, 5)), None);
    store
        .write(|tx| tx.restore_session(first.id, at()))
        .unwrap();
    assert_eq!(found(b.class, (20, 5)), Some(first.id));
}

#[test]
fn a_version_5_file_gets_the_class_index() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let centre = sessions_of_two_organisers(&store);
    let sessions = store
        .read(|tx| tx.recent_sessions(centre, None, 40))
        .unwrap();
    assert_eq!(sessions.len(), 40);
    let checks = |store: &Store| -> Vec<_> {
        store
            .read(|tx| {
                sessions
                    .iter()
                    .map(|s| {
                        Ok((
                            tx.same_session(centre, s.class, s.date, (s.total, s.female))?
                                .map(|found| found.id),
                            tx.class_attendances(s.class, 5)?,
                        ))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })
            .unwrap()
    };
    let before = checks(&store);
    assert!(before
        .iter()
        .all(|(same, usual)| same.is_some() && !usual.is_empty()));
    drop(store);
    {
        // Make it the file v5 wrote: no class index, version 5.
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let index: redb::TableDefinition<(u64, i32, u64), ()> =
            redb::TableDefinition::new("sessions_by_class");
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        assert!(txn.delete_table(index).unwrap());
        txn.open_table(meta)
            .unwrap()
            .insert("schema_version", "5".as_bytes())
            .unwrap();
        txn.commit().unwrap();
    }
    let store = Store::open(&path).expect("reopen migrates");
    assert_eq!(checks(&store), before);
}
