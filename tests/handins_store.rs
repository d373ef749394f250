//! Hand-ins in the store, on real redb files: every kind of correction of a session of
//! the period (a new session, an edit, a deletion, a restore, an edit moving a session
//! into the period, a class merge) marks the latest hand-in "changed since handed in"
//! and queues one notice; changes outside the period or of another centre do not.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rollcall::domain::{CentreId, ClassChoice, NewSession, Period, SessionRecord};
use rollcall::store::{NewHandIn, SessionChanges, Store, StoreError, Tx};
use rollcall::submission::HandIn;
use std::collections::BTreeMap;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 5, 2, 0, 0)
        .single()
        .expect("valid instant")
}

fn october() -> Period {
    Period::new(date(2026, 1, 1), date(2026, 10, 31)).expect("period")
}

fn typed(centre: CentreId, name: &str, day: NaiveDate, total: u32) -> NewSession {
    NewSession {
        centre,
        organiser: 7,
        group: "health".to_owned(),
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

fn hand_in(tx: &mut Tx<'_>, centre: CentreId, period: Period) -> Result<HandIn, StoreError> {
    let totals = tx.group_totals(Some(centre), period)?;
    tx.hand_in(NewHandIn {
        centre,
        centre_name: "Tràng An".to_owned(),
        period,
        user: 50,
        name: "Tuấn".to_owned(),
        at: at(),
        local_at: at().naive_utc(),
        totals,
        lang: rollcall::domain::Lang::Vi,
    })
}

/// A centre with a session inside the period and one after it, another centre, and a
/// hand-in of January–October; returns the store, both centres and the two sessions.
fn handed_in() -> (
    tempfile::TempDir,
    Store,
    CentreId,
    CentreId,
    SessionRecord,
    SessionRecord,
) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&dir.path().join("handins.redb")).expect("opens");
    let (centre, other, inside, after) = store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            let other = tx.ensure_centre("Ninh Nhất")?;
            let inside = tx.save_session(&typed(centre, "Tin học", date(2026, 10, 3), 40))?;
            let after = tx.save_session(&typed(centre, "Tin học", date(2026, 11, 3), 30))?;
            hand_in(tx, centre, october())?;
            Ok((centre, other, inside, after))
        })
        .expect("setup");
    (dir, store, centre, other, inside, after)
}

fn changed(store: &Store, centre: CentreId) -> bool {
    store
        .read(|tx| tx.latest_handin(centre, october()))
        .expect("read")
        .expect("handed in")
        .changed
}

fn notices(store: &Store) -> Vec<HandIn> {
    store
        .write(|tx| tx.take_handin_notices(at().naive_utc()))
        .expect("notices")
}

#[test]
fn changes_outside_the_period_or_of_another_centre_change_nothing() {
    let (_dir, store, centre, other, _, after) = handed_in();
    store
        .write(|tx| {
            tx.save_session(&typed(centre, "Tin học", date(2026, 11, 4), 20))?;
            tx.save_session(&typed(other, "Tin học", date(2026, 10, 4), 20))?;
            let changes = SessionChanges {
                total: Some(31),
                ..SessionChanges::default()
            };
            tx.update_session(after.id, &changes)?;
            tx.delete_session(after.id, at())?;
            tx.restore_session(after.id, at())?;
            Ok(())
        })
        .expect("changes");
    assert!(!changed(&store, centre));
    assert!(notices(&store).is_empty());
}

#[test]
fn every_kind_of_correction_inside_the_period_marks_the_hand_in_once() {
    type Change =
        fn(&mut Tx<'_>, CentreId, &SessionRecord, &SessionRecord) -> Result<(), StoreError>;
    let changes: [(&str, Change); 6] = [
        ("a new session", |tx, centre, _, _| {
            tx.save_session(&typed(centre, "Sơ cứu", date(2026, 5, 5), 12))
                .map(drop)
        }),
        ("an edit", |tx, _, inside, _| {
            let changes = SessionChanges {
                total: Some(41),
                ..SessionChanges::default()
            };
            tx.update_session(inside.id, &changes).map(drop)
        }),
        ("a deletion (and an undo)", |tx, _, inside, _| {
            tx.delete_session(inside.id, at()).map(drop)
        }),
        (
            "an edit moving a session into the period",
            |tx, _, _, after| {
                let changes = SessionChanges {
                    date: Some(date(2026, 10, 30)),
                    ..SessionChanges::default()
                };
                tx.update_session(after.id, &changes).map(drop)
            },
        ),
        ("a class merge", |tx, centre, inside, _| {
            let other = tx.save_session(&typed(centre, "Tin hoc", date(2026, 12, 1), 5))?;
            tx.take_handin_notices(at().naive_utc())?;
            tx.merge_classes(inside.class, other.class, 50, at())
                .map(drop)
        }),
        ("a restore", |tx, _, inside, _| {
            tx.delete_session(inside.id, at())?;
            // The deletion marked it; clear the mark as a new hand-in would.
            let centre = inside.centre;
            hand_in(tx, centre, october())?;
            tx.take_handin_notices(at().naive_utc())?;
            tx.restore_session(inside.id, at()).map(drop)
        }),
    ];
    for (what, change) in changes {
        let (_dir, store, centre, _, inside, after) = handed_in();
        store
            .write(|tx| change(tx, centre, &inside, &after))
            .expect(what);
        assert!(changed(&store, centre), "{what}");
        let told = notices(&store);
        assert_eq!(told.len(), 1, "{what}");
        assert!(told[0].changed_at.is_some(), "{what}");
        // A second change tells nobody again.
        store
            .write(|tx| {
                tx.save_session(&typed(centre, "Sơ cứu", date(2026, 6, 6), 9))
                    .map(drop)
            })
            .expect("another");
        assert!(notices(&store).is_empty(), "{what}");
    }
}

#[test]
fn only_the_latest_hand_in_of_a_period_is_marked_and_other_periods_separately() {
    let (_dir, store, centre, _, _, _) = handed_in();
    let year = Period::new(date(2026, 1, 1), date(2026, 12, 31)).expect("year");
    let (second, whole_year) = store
        .write(|tx| Ok((hand_in(tx, centre, october())?, hand_in(tx, centre, year)?)))
        .expect("hand-ins");
    store
        .write(|tx| {
            tx.save_session(&typed(centre, "Sơ cứu", date(2026, 9, 9), 10))
                .map(drop)
        })
        .expect("session");
    let all = store.read(|tx| tx.handins_of(centre)).expect("read");
    assert_eq!(all.len(), 3);
    let by_id: BTreeMap<u64, bool> = all.iter().map(|h| (h.id, h.changed)).collect();
    assert!(by_id[&second.id]);
    assert!(by_id[&whole_year.id]);
    assert_eq!(by_id.values().filter(|c| **c).count(), 2, "the first stays");
    assert_eq!(notices(&store).len(), 2);
}
