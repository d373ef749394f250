//! The deterministic session generator shared by the report and load benchmarks, so both
//! fill (and cache under `target/bench-data/`) the very same 1,000,000-session file.

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use rollcall::dialog::Catalog;
use rollcall::domain::{ClassChoice, NewSession};
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

/// Fills a new database at `path` with `sessions` random sessions.
pub fn fill(path: &Path, catalog: &Catalog, sessions: u64) {
    let store = Store::open(path).expect("open");
    let groups: Vec<String> = catalog.groups.iter().map(|g| g.id.clone()).collect();
    let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("date");
    let last = NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS - 1, 12, 31).expect("date");
    let days = u64::try_from((last - first).num_days() + 1).expect("positive");
    let created_at = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("instant");
    let centres: Vec<u64> = store
        .write(|tx| {
            (1..=CENTRES)
                .map(|i| tx.ensure_centre(&centre_name(i)))
                .collect()
        })
        .expect("centres");
    let mut rng = Rng(0x5EED_2020);
    let mut saved = 0;
    while saved < sessions {
        let batch = BATCH.min(sessions - saved);
        store
            .write(|tx| {
                for _ in 0..batch {
                    let centre = centres[rng.below(CENTRES) as usize];
                    let group = &groups[rng.below(groups.len() as u64) as usize];
                    let date = first + Days::new(rng.below(days));
                    let class = rng.below(CLASSES_PER_GROUP_YEAR);
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
