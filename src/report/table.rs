//! The rows of table III.2: one per activity group, in the catalog's (official) order.

use crate::dialog::Catalog;
use crate::domain::{Lang, Totals};
use std::collections::BTreeMap;

/// One row of table III.2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// TT, 1-based.
    pub number: usize,
    pub group: String,
    pub official_name: String,
    pub totals: Totals,
}

/// Table III.2 for one centre (or all) and one period: every group, zeros included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTable {
    pub rows: Vec<ReportRow>,
    /// Column sums.
    pub total: Totals,
}

/// Builds the table from per-group totals, in the catalog's group order.
///
/// Every catalog group gets a row, with zeros where nothing happened, because the
/// education office expects the full table. Totals of a group the catalog no longer has
/// (removed from the dialog files after sessions were logged) get rows after the official
/// ones, named by their id, so that no confirmed session silently drops out of the sums.
pub fn build(catalog: &Catalog, per_group: &BTreeMap<String, Totals>, lang: Lang) -> ReportTable {
    let mut rows: Vec<ReportRow> = catalog
        .groups
        .iter()
        .map(|group| ReportRow {
            number: group.number,
            group: group.id.clone(),
            official_name: group.official.get(lang).to_owned(),
            totals: per_group.get(&group.id).copied().unwrap_or_default(),
        })
        .collect();
    let mut next_number = rows.iter().map(|r| r.number).max().unwrap_or(0) + 1;
    for (group, totals) in per_group {
        if catalog.group(group).is_none() {
            rows.push(ReportRow {
                number: next_number,
                group: group.clone(),
                official_name: group.clone(),
                totals: *totals,
            });
            next_number += 1;
        }
    }
    let total = rows
        .iter()
        .fold(Totals::default(), |sum, row| sum + row.totals);
    ReportTable { rows, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_catalog::{catalog, seed_totals};

    #[test]
    fn every_group_has_a_row_in_catalog_order_and_the_total_sums_the_columns() {
        let table = build(&catalog(), &seed_totals(), Lang::Vi);
        assert_eq!(table.rows.len(), 10);
        let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
        assert_eq!(table.rows[0].group, "literacy");
        assert_eq!(table.rows[0].totals, Totals::default());
        assert_eq!(table.rows[3].official_name, "Chuyên đề Giáo dục sức khỏe");
        assert_eq!(table.rows[9].totals.attendance, 5_568);
        assert_eq!(table.total.classes, 50);
        assert_eq!(table.total.attendance, 20_868);
        assert_eq!(table.total.female, 13_698);
    }

    #[test]
    fn names_follow_the_language() {
        let table = build(&catalog(), &BTreeMap::new(), Lang::En);
        assert_eq!(table.rows[1].official_name, "Short vocational training");
        assert_eq!(table.total, Totals::default());
    }

    #[test]
    fn a_group_missing_from_the_catalog_is_kept_after_the_official_rows() {
        let mut per_group = seed_totals();
        let retired = Totals {
            classes: 1,
            sessions: 2,
            attendance: 30,
            female: 10,
        };
        per_group.insert("retired".to_owned(), retired);
        let table = build(&catalog(), &per_group, Lang::Vi);
        let last = table.rows.last().expect("rows");
        assert_eq!(
            (last.number, last.group.as_str(), last.totals),
            (11, "retired", retired)
        );
        assert_eq!(table.total.attendance, 20_898);
    }
}
