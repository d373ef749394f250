//! The report as JSON for other programs: a stable shape that only ever gains fields.
//!
//! ```json
//! {"period": {"from": "2020-01-01", "to": "2020-10-31"}, "centre": "TTHTCĐ Tràng An",
//!  "lang": "vi",
//!  "rows": [{"number": 1, "group": "literacy", "name": "Học chương trình …",
//!            "classes": 0, "sessions": 0, "attendance": 0, "female": 0}, …],
//!  "total": {"classes": 50, "sessions": 120, "attendance": 20868, "female": 13698},
//!  "centres": [{"id": 1, "name": "…", "classes": …, …}]}
//! ```
//!
//! `centres` is present only for the roll-up of all centres. Dates are ISO 8601, counts
//! plain integers (no thousands separators), group ids the stable ids of `groups.toml`.
//!
//! `report_data_json` (what `rollcall report --format json` writes) adds `last_year`, the
//! same period a year earlier (`{"period": …, "rows": […], "total": …}`), and for each
//! centre of the roll-up its `groups` (group id → totals, groups with sessions only), its
//! `last_year` totals, its `last_session` date (absent: none) and its `members`.

use super::data::ReportData;
use super::table::{build, ReportTable};
use super::xlsx::CentreTotals;
use crate::dialog::Catalog;
use crate::domain::{Lang, Period, Totals};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
struct Document<'a> {
    period: PeriodJson,
    centre: &'a str,
    lang: &'static str,
    rows: Vec<Row<'a>>,
    total: Totals,
    #[serde(skip_serializing_if = "Option::is_none")]
    centres: Option<Vec<Centre<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_year: Option<LastYear<'a>>,
}

#[derive(Debug, Serialize)]
struct LastYear<'a> {
    period: PeriodJson,
    rows: Vec<Row<'a>>,
    total: Totals,
}

#[derive(Debug, Serialize)]
struct PeriodJson {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Debug, Serialize)]
struct Row<'a> {
    number: usize,
    group: &'a str,
    name: &'a str,
    #[serde(flatten)]
    totals: Totals,
}

#[derive(Debug, Serialize)]
struct Centre<'a> {
    id: u64,
    name: &'a str,
    #[serde(flatten)]
    totals: Totals,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<BTreeMap<&'a str, Totals>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_year: Option<Totals>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_session: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<u64>,
}

/// The report as pretty-printed JSON (see the module documentation for the shape).
pub fn report_json(
    table: &ReportTable,
    centre_name: &str,
    period: Period,
    lang: Lang,
    centres: Option<&[CentreTotals]>,
) -> String {
    let document = Document {
        period: PeriodJson {
            from: period.from,
            to: period.to,
        },
        centre: centre_name,
        lang: lang.code(),
        rows: json_rows(table),
        total: table.total,
        centres: centres.map(|list| {
            list.iter()
                .map(|c| Centre {
                    id: c.centre,
                    name: &c.name,
                    totals: c.totals,
                    groups: None,
                    last_year: None,
                    last_session: None,
                    members: None,
                })
                .collect()
        }),
        last_year: None,
    };
    pretty(&document)
}

/// The report with the same period a year earlier and, for the roll-up, each centre's
/// groups, last year's totals, latest session and members (see the module documentation).
pub fn report_data_json(catalog: &Catalog, data: &ReportData, lang: Lang) -> String {
    let table = data.table(catalog, lang);
    let comparison = data.comparison(catalog, lang);
    let last_year_table = build(catalog, &data.last_year, lang);
    let centres = data.roll_up.as_ref().map(|roll_up| {
        let columns = roll_up.table.columns();
        roll_up
            .table
            .rows
            .iter()
            .map(|row| Centre {
                id: row.centre,
                name: &row.name,
                totals: row.total,
                groups: Some(
                    columns
                        .iter()
                        .zip(&row.cells)
                        .filter(|(_, t)| t.sessions > 0)
                        .map(|(c, t)| (c.group.as_str(), *t))
                        .collect(),
                ),
                last_year: Some(
                    roll_up
                        .last_year
                        .get(&row.centre)
                        .copied()
                        .unwrap_or_default(),
                ),
                last_session: roll_up.activity.last_session.get(&row.centre).copied(),
                members: Some(
                    roll_up
                        .activity
                        .members
                        .get(&row.centre)
                        .copied()
                        .unwrap_or(0),
                ),
            })
            .collect()
    });
    let document = Document {
        period: PeriodJson {
            from: data.period.from,
            to: data.period.to,
        },
        centre: &data.name,
        lang: lang.code(),
        rows: json_rows(&table),
        total: table.total,
        centres,
        last_year: Some(LastYear {
            period: PeriodJson {
                from: comparison.earlier.from,
                to: comparison.earlier.to,
            },
            rows: json_rows(&last_year_table),
            total: last_year_table.total,
        }),
    };
    pretty(&document)
}

fn json_rows(table: &ReportTable) -> Vec<Row<'_>> {
    table
        .rows
        .iter()
        .map(|r| Row {
            number: r.number,
            group: &r.group,
            name: &r.official_name,
            totals: r.totals,
        })
        .collect()
}

/// Serialising plain structs of strings and integers cannot fail; should it ever, an
/// empty object keeps the output valid JSON.
fn pretty(document: &Document<'_>) -> String {
    serde_json::to_string_pretty(document).unwrap_or_else(|e| {
        tracing::error!(error = %e, "serialising the report failed");
        "{}".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_catalog::{catalog, seed_totals};

    #[test]
    fn the_seed_report_has_the_documented_shape() {
        let table = build(&catalog(), &seed_totals(), Lang::Vi);
        let from = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
        let to = NaiveDate::from_ymd_opt(2020, 10, 31).expect("date");
        let period = Period::new(from, to).expect("period");
        let text = report_json(&table, "Tràng An", period, Lang::Vi, None);
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value["period"]["from"], "2020-01-01");
        assert_eq!(value["centre"], "Tràng An");
        assert_eq!(value["rows"].as_array().map(Vec::len), Some(10));
        assert_eq!(value["rows"][9]["attendance"], 5568);
        assert_eq!(value["rows"][1]["group"], "vocational");
        assert_eq!(value["total"]["attendance"], 20868);
        assert!(value.get("centres").is_none());
    }
}
