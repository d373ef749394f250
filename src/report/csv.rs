//! Every session as a CSV file for spreadsheets: UTF-8 with a byte-order mark (so that
//! Excel shows Vietnamese letters correctly), ISO dates, one column per extra answer; and
//! the centre × group table in the same way.

use super::labels;
use super::xlsx_centres::CentreSheet;
use crate::dialog::Catalog;
use crate::domain::{ClassRecord, Lang, SessionRecord, Totals};
use std::collections::{BTreeMap, BTreeSet};

/// The UTF-8 byte-order mark Excel needs to read the file as UTF-8.
const BOM: &str = "\u{feff}";

/// The fixed columns, in order; the extra answers' keys follow, sorted.
const COLUMNS: [&str; 8] = [
    "id",
    "date",
    "group",
    "class",
    "total",
    "female",
    "organiser",
    "created_at",
];

/// Every session as CSV (UTF-8 with BOM), one row per session, extra answers as columns.
pub fn sessions_csv(
    catalog: &Catalog,
    sessions: &[SessionRecord],
    classes: &BTreeMap<u64, ClassRecord>,
    lang: Lang,
) -> Vec<u8> {
    match write(catalog, sessions, classes, lang) {
        Ok(bytes) => bytes,
        Err(e) => {
            // Writing into memory cannot fail short of a bug in the csv crate; an empty
            // file with the BOM is a better answer than a crash.
            tracing::error!(error = %e, "building the sessions CSV failed");
            BOM.as_bytes().to_vec()
        }
    }
}

fn write(
    catalog: &Catalog,
    sessions: &[SessionRecord],
    classes: &BTreeMap<u64, ClassRecord>,
    lang: Lang,
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    // Sessions logged with different dialog files may have different extra questions:
    // the union of their keys makes the columns, blank where a session has no answer.
    let extra_keys: BTreeSet<&str> = sessions
        .iter()
        .flat_map(|s| s.extra.keys().map(String::as_str))
        .collect();

    let mut writer = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let header: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .chain(extra_keys.iter().copied())
        .collect();
    writer.write_record(&header)?;
    for session in sessions {
        let group = catalog
            .group(&session.group)
            .map_or(session.group.as_str(), |g| g.official.get(lang));
        let class = classes.get(&session.class).map_or("", |c| c.name.as_str());
        let mut record = vec![
            session.id.to_string(),
            session.date.format("%Y-%m-%d").to_string(),
            group.to_owned(),
            defuse(class),
            session.total.to_string(),
            session.female.to_string(),
            session.organiser.to_string(),
            session.created_at.to_rfc3339(),
        ];
        for key in &extra_keys {
            record.push(defuse(session.extra.get(*key).map_or("", String::as_str)));
        }
        writer.write_record(&record)?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// The centre × group table as CSV (UTF-8 with BOM): one row per centre, then the total
/// row (id left empty). Columns: `id`, `centre`, then `<group>_classes`,
/// `<group>_attendance` and `<group>_female` for each group in the table's order, the
/// centre's `classes`, `attendance` and `female`, the same three of the same period a
/// year earlier (`last_year_…`), `change_attendance`, the `last_session` date (ISO, empty
/// when none) and `members`.
pub fn centres_csv(sheet: &CentreSheet<'_>, lang: Lang) -> Vec<u8> {
    match write_centres(sheet, lang) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "building the centres CSV failed");
            BOM.as_bytes().to_vec()
        }
    }
}

fn write_centres(
    sheet: &CentreSheet<'_>,
    lang: Lang,
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let table = sheet.table;
    let mut writer = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let mut header = vec!["id".to_owned(), "centre".to_owned()];
    for column in table.columns() {
        for measure in ["classes", "attendance", "female"] {
            header.push(format!("{}_{measure}", column.group));
        }
    }
    header.extend(
        [
            "classes",
            "attendance",
            "female",
            "last_year_classes",
            "last_year_attendance",
            "last_year_female",
            "change_attendance",
            "last_session",
            "members",
        ]
        .map(str::to_owned),
    );
    writer.write_record(&header)?;
    let counts = |t: &Totals| [t.classes, t.attendance, t.female].map(|n| n.to_string());
    let change = |now: u64, before: u64| (i128::from(now) - i128::from(before)).to_string();
    let mut last_year_sum = Totals::default();
    let mut members_sum = 0u64;
    for row in &table.rows {
        let before = sheet
            .last_year
            .get(&row.centre)
            .copied()
            .unwrap_or_default();
        last_year_sum = last_year_sum + before;
        let members = sheet
            .activity
            .members
            .get(&row.centre)
            .copied()
            .unwrap_or(0);
        members_sum = members_sum.saturating_add(members);
        let mut record = vec![row.centre.to_string(), defuse(&row.name)];
        record.extend(row.cells.iter().flat_map(counts));
        record.extend(counts(&row.total));
        record.extend(counts(&before));
        record.push(change(row.total.attendance, before.attendance));
        record.push(
            sheet
                .activity
                .last_session
                .get(&row.centre)
                .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
        );
        record.push(members.to_string());
        writer.write_record(&record)?;
    }
    let mut total = vec![String::new(), labels::TOTAL_ROW.get(lang).to_owned()];
    total.extend(table.columns().iter().flat_map(|c| counts(&c.totals)));
    total.extend(counts(&table.summed.total));
    total.extend(counts(&last_year_sum));
    total.push(change(
        table.summed.total.attendance,
        last_year_sum.attendance,
    ));
    total.push(String::new());
    total.push(members_sum.to_string());
    writer.write_record(&total)?;
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// Text typed by users, made safe to open in a spreadsheet: a cell starting with `=`, `+`,
/// `-` or `@` would be run as a formula, so it gets a leading apostrophe, which
/// spreadsheets hide.
fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_catalog::catalog;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn class(id: u64, name: &str) -> ClassRecord {
        ClassRecord {
            id,
            centre: 1,
            group: "health".to_owned(),
            name: name.to_owned(),
            key: name.to_lowercase(),
            last_session: None,
            created_at: Utc
                .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
                .single()
                .expect("valid"),
            merged_into: None,
        }
    }

    fn session(id: u64, class: u64, group: &str, extra: &[(&str, &str)]) -> SessionRecord {
        SessionRecord {
            id,
            centre: 1,
            organiser: 4242,
            group: group.to_owned(),
            class,
            date: NaiveDate::from_ymd_opt(2020, 3, 5).expect("valid date"),
            total: 45,
            female: 30,
            extra: extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            created_at: Utc
                .with_ymd_and_hms(2020, 3, 5, 16, 30, 0)
                .single()
                .expect("valid"),
        }
    }

    #[test]
    fn sessions_become_rows_with_a_bom_and_extra_columns() {
        let classes = BTreeMap::from([
            (1, class(1, "Phòng chống sốt xuất huyết, \"Aedes\"")),
            (2, class(2, "=HYPERLINK(\"x\")")),
        ]);
        let sessions = [
            session(1, 1, "health", &[("place", "Nhà văn hóa tổ 5")]),
            session(2, 2, "health", &[("speaker", "BS. Lan")]),
            session(3, 9, "retired", &[]),
        ];
        let bytes = sessions_csv(&catalog(), &sessions, &classes, Lang::Vi);
        let text = String::from_utf8(bytes).expect("UTF-8");
        let body = text.strip_prefix(BOM).expect("starts with a BOM");
        expect_test::expect![[r#"
            id,date,group,class,total,female,organiser,created_at,place,speaker
            1,2020-03-05,Chuyên đề Giáo dục sức khỏe,"Phòng chống sốt xuất huyết, ""Aedes""",45,30,4242,2020-03-05T16:30:00+00:00,Nhà văn hóa tổ 5,
            2,2020-03-05,Chuyên đề Giáo dục sức khỏe,"'=HYPERLINK(""x"")",45,30,4242,2020-03-05T16:30:00+00:00,,BS. Lan
            3,2020-03-05,retired,,45,30,4242,2020-03-05T16:30:00+00:00,,
        "#]].assert_eq(body);

        // It reads back as the same values (the quoting is right).
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let first = reader.records().next().expect("a row").expect("valid row");
        assert_eq!(&first[3], "Phòng chống sốt xuất huyết, \"Aedes\"");
        assert_eq!(&first[8], "Nhà văn hóa tổ 5");
    }

    #[test]
    fn no_sessions_is_a_header_only() {
        let bytes = sessions_csv(&catalog(), &[], &BTreeMap::new(), Lang::En);
        assert_eq!(
            String::from_utf8(bytes).expect("UTF-8"),
            "\u{feff}id,date,group,class,total,female,organiser,created_at\n"
        );
    }
}
