//! The centre × group table: one row per centre with, for each activity group, Số lớp,
//! Tổng số and Nữ, and a total row that is table III.2 of all centres summed.
//!
//! Pure: built from the per-centre totals the store gives (`Tx::group_totals_by_centre`)
//! and the centres' names. Classes belong to one centre and one group, so the counts of
//! the rows add up to the summed table, "Số lớp" included.

use super::table::{build, ReportRow, ReportTable};
use crate::dialog::Catalog;
use crate::domain::{CentreId, Lang, Totals};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// One centre's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreRow {
    pub centre: CentreId,
    pub name: String,
    /// The centre's totals per column of the table, in the columns' order.
    pub cells: Vec<Totals>,
    /// The centre's column sums.
    pub total: Totals,
}

/// The whole table for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreTable {
    /// The columns: the rows of the summed table III.2, so every group the catalog has
    /// (and any group sessions still name that it no longer has) in the official order.
    /// Each column's `totals` is the column's sum over every centre.
    pub summed: ReportTable,
    /// One row per centre, in the order the centres were given (by id).
    pub rows: Vec<CentreRow>,
}

impl CentreTable {
    /// The columns (one per group), with their sums.
    pub fn columns(&self) -> &[ReportRow] {
        &self.summed.rows
    }

    /// The rows from the largest attendance to the smallest (ties by name, then id), for
    /// the chat's "largest and smallest first".
    pub fn ranked(&self) -> Vec<&CentreRow> {
        let mut rows: Vec<&CentreRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| {
            (Reverse(a.total.attendance), &a.name, a.centre).cmp(&(
                Reverse(b.total.attendance),
                &b.name,
                b.centre,
            ))
        });
        rows
    }
}

/// Builds the table from every centre (`centres`, by id with its name) and the per-group
/// totals of the centres with sessions (`by_centre`).
///
/// Every centre gets a row, zeros included: the education office wants to see the
/// centres that did nothing too. A centre with totals but no record (which the store
/// should never have) still gets a row, named by its id, so the rows always add up to the
/// summed table.
pub fn centre_table(
    catalog: &Catalog,
    centres: &[(CentreId, String)],
    by_centre: &BTreeMap<CentreId, BTreeMap<String, Totals>>,
    lang: Lang,
) -> CentreTable {
    let summed = build(catalog, &sum_groups(by_centre.values()), lang);
    let mut named: BTreeMap<CentreId, String> = centres.iter().cloned().collect();
    for id in by_centre.keys() {
        named.entry(*id).or_insert_with(|| format!("#{id}"));
    }
    let empty = BTreeMap::new();
    let rows = named
        .into_iter()
        .map(|(centre, name)| {
            let groups = by_centre.get(&centre).unwrap_or(&empty);
            let cells: Vec<Totals> = summed
                .rows
                .iter()
                .map(|column| groups.get(&column.group).copied().unwrap_or_default())
                .collect();
            let total = cells.iter().fold(Totals::default(), |sum, t| sum + *t);
            CentreRow {
                centre,
                name,
                cells,
                total,
            }
        })
        .collect();
    CentreTable { summed, rows }
}

/// The per-group totals of several centres added up.
pub fn sum_groups<'a>(
    centres: impl IntoIterator<Item = &'a BTreeMap<String, Totals>>,
) -> BTreeMap<String, Totals> {
    let mut sum: BTreeMap<String, Totals> = BTreeMap::new();
    for groups in centres {
        for (group, totals) in groups {
            let cell = sum.entry(group.clone()).or_default();
            *cell = *cell + *totals;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_catalog::catalog;

    fn totals(classes: u64, attendance: u64, female: u64) -> Totals {
        Totals {
            classes,
            sessions: classes,
            attendance,
            female,
        }
    }

    #[test]
    fn rows_add_up_to_the_summed_table_and_every_centre_has_one() {
        let catalog = catalog();
        let centres = vec![
            (1, "Tràng An".to_owned()),
            (2, "Ninh Phong".to_owned()),
            (3, "Chưa dùng".to_owned()),
        ];
        let by_centre = BTreeMap::from([
            (
                1,
                BTreeMap::from([
                    ("health".to_owned(), totals(2, 100, 60)),
                    ("law".to_owned(), totals(1, 30, 10)),
                ]),
            ),
            (
                2,
                BTreeMap::from([("health".to_owned(), totals(3, 90, 50))]),
            ),
            // No record: named by its id.
            (9, BTreeMap::from([("retired".to_owned(), totals(1, 5, 1))])),
        ]);
        let table = centre_table(&catalog, &centres, &by_centre, Lang::Vi);
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.columns().len(), 11, "ten groups and the retired one");
        let health = table
            .columns()
            .iter()
            .position(|c| c.group == "health")
            .expect("health column");
        assert_eq!(table.columns()[health].totals, totals(5, 190, 110));
        assert_eq!(table.rows[0].cells[health], totals(2, 100, 60));
        assert_eq!(table.rows[0].total, totals(3, 130, 70));
        assert_eq!(table.rows[2].total, Totals::default());
        assert_eq!(table.rows[3].name, "#9");
        let sum = table
            .rows
            .iter()
            .fold(Totals::default(), |s, r| s + r.total);
        assert_eq!(sum, table.summed.total);
        let ranked: Vec<&str> = table.ranked().iter().map(|r| r.name.as_str()).collect();
        assert_eq!(ranked, ["Tràng An", "Ninh Phong", "#9", "Chưa dùng"]);
    }
}
