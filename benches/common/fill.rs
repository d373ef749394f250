//! The deterministic session generator shared by the report and load benchmarks, so both
//! fill (and cache under `target/bench-data/`) the very same 1,000,000-session file; and
//! the province file (1,000 centres) of `benches/report.rs`.

// Each benchmark that includes this file uses only part of it.
#![allow(dead_code)]

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use rollcall::dialog::Catalog;
use rollcall::domain::{ClassChoice, NewSession};
use rollcall::roles::Role;
use rollcall::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

/// Centres the sessions are spread over.
pub const CENTRES: u64 = 100;
/// Five years of dates, from 1 January of this year.
pub const FIRST_YEAR: i32 = 2020;
pub const YEARS: i32 = 5;
/// Classes per (centre, group, year): with 200 sessions each, a class meets ~10 times.
const CLASSES_PER_GROUP_YEAR: u64 = 20;
/// Sessions per write transaction while filling: big, so the fill is not fsync-bound.
const BATCH: u64 = 50_000;
/// Bump when the fill changes, so a stale cached file is not reused.
pub const FILL_VERSION: u32 = 1;

/// splitmix64: a small deterministic generator, so every run fills the same file.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The name of generated centre `i` (1-based).
pub fn centre_name(i: u64) -> String {
    format!("TTHTCĐ số {i:03}")
}

/// How a generated file is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Centres the sessions are spread over (uniformly).
    pub centres: u64,
    /// The first year with sessions, and how many years they span.
    pub first_year: i32,
    pub years: i32,
    /// Classes per (centre, group, year).
    pub classes_per_group_year: u64,
    /// The last `quiet_centres` centres log nothing after this day of the last year (they
    /// are silent at its end), and the `memberless` centres after them have no members.
    pub quiet_after: Option<(u32, u32)>,
    pub quiet_centres: u64,
    /// Centres (the last ones) without members; every other centre gets a director and
    /// two organisers. 0 with `members: false`.
    pub memberless: u64,
    pub members: bool,
}

/// The shape of the 1,000,000-session file of `benches/report.rs` and `benches/load.rs`:
/// 100 centres over five years, no members.
pub const FIVE_YEARS: Shape = Shape {
    centres: CENTRES,
    first_year: FIRST_YEAR,
    years: YEARS,
    classes_per_group_year: CLASSES_PER_GROUP_YEAR,
    quiet_after: None,
    quiet_centres: 0,
    memberless: 0,
    members: false,
};

/// A province (issue 15): 1,000 centres, 1,000,000 sessions a year in 2023 and 2024 (so
/// "the same period last year" has as much data), ten classes per centre, group and year
/// (a class meets about ten times a year). Centres 981–990 log nothing after 30 September
/// 2024 and centres 991–1000 have no members, for the silent-centre lists.
pub const PROVINCE: Shape = Shape {
    centres: 1_000,
    first_year: 2023,
    years: 2,
    classes_per_group_year: 10,
    quiet_after: Some((9, 30)),
    quiet_centres: 10,
    memberless: 10,
    members: true,
};

/// Fills a new database at `path` with `sessions` random sessions.
pub fn fill(path: &Path, catalog: &Catalog, sessions: u64) {
    fill_shape(path, catalog, sessions, &FIVE_YEARS);
}

/// Fills a new database at `path` with `sessions` random sessions laid out as `shape`.
/// `FIVE_YEARS` draws exactly the numbers the first version of this generator drew, so
/// the cached file of that version stays valid.
pub fn fill_shape(path: &Path, catalog: &Catalog, sessions: u64, shape: &Shape) {
    let store = Store::open(path).expect("open");
    let groups: Vec<String> = catalog.groups.iter().map(|g| g.id.clone()).collect();
    let first = NaiveDate::from_ymd_opt(shape.first_year, 1, 1).expect("date");
    let last = NaiveDate::from_ymd_opt(shape.first_year + shape.years - 1, 12, 31).expect("date");
    let days = u64::try_from((last - first).num_days() + 1).expect("positive");
    let quiet_from = shape.quiet_after.map(|(month, day)| {
        NaiveDate::from_ymd_opt(shape.first_year + shape.years - 1, month, day).expect("date")
    });
    let created_at = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("instant");
    let centres: Vec<u64> = store
        .write(|tx| {
            (1..=shape.centres)
                .map(|i| tx.ensure_centre(&centre_name(i)))
                .collect()
        })
        .expect("centres");
    if shape.members {
        store
            .write(|tx| {
                let with_members = shape.centres.saturating_sub(shape.memberless);
                for (i, centre) in centres.iter().enumerate().take(with_members as usize) {
                    let base = 100_000 + 10 * i as i64;
                    tx.add_member(*centre, base, Role::Director, "", 1, created_at)?;
                    tx.add_member(*centre, base + 1, Role::Organiser, "", 1, created_at)?;
                    tx.add_member(*centre, base + 2, Role::Organiser, "", 1, created_at)?;
                }
                Ok(())
            })
            .expect("members");
    }
    // The quiet centres come just before the memberless ones.
    let quiet_first = shape
        .centres
        .saturating_sub(shape.memberless + shape.quiet_centres);
    let quiet_last = shape.centres.saturating_sub(shape.memberless);
    let mut rng = Rng(0x5EED_2020);
    let mut saved = 0;
    while saved < sessions {
        let batch = BATCH.min(sessions - saved);
        store
            .write(|tx| {
                for _ in 0..batch {
                    let index = rng.below(shape.centres);
                    let centre = centres[index as usize];
                    let group = &groups[rng.below(groups.len() as u64) as usize];
                    let mut date = first + Days::new(rng.below(days));
                    if let Some(quiet) = quiet_from {
                        // A quiet centre's late session moves a year back: same numbers
                        // drawn, nothing logged after the quiet day.
                        if (quiet_first..quiet_last).contains(&index) && date > quiet {
                            date = date.with_year(date.year() - 1).unwrap_or(date);
                        }
                    }
                    let class = rng.below(shape.classes_per_group_year);
                    let total = 5 + rng.below(76) as u32;
                    let female = rng.below(u64::from(total) + 1) as u32;
                    let name = format!("Lớp {} số {class}", date.year());
                    tx.save_session(&NewSession {
                        centre,
                        organiser: 1_000 + rng.below(500) as i64,
                        group: group.clone(),
                        class: ClassChoice::New {
                            key: name.to_lowercase(),
                            name,
                        },
                        date,
                        total,
                        female,
                        extra: BTreeMap::new(),
                        created_at,
                    })?;
                }
                Ok(())
            })
            .expect("filling");
        saved += batch;
    }
}
