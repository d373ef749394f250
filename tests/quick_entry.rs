//! Quick entry (`sk 45 30 Phòng chống sốt xuất huyết`) read with the shipped `dialogs/`:
//! a table of real-looking lines with what must be understood, the texts the engine
//! shows, and properties (no input panics; a generated valid line reads back as written).

// A test may panic on its own setup.
#![allow(clippy::unwrap_used)]

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use rollcall::dialog::catalog::QuestionKind;
use rollcall::dialog::quick::{codes_list, QuickEntry, QuickParser, QuickProblem};
use rollcall::dialog::{load_dir, parse, Catalog};
use rollcall::domain::Lang;
use std::path::Path;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs"))
            .unwrap_or_else(|errors| panic!("shipped dialogs do not compile: {errors:?}"))
    })
}

fn parser() -> &'static QuickParser {
    static PARSER: OnceLock<QuickParser> = OnceLock::new();
    PARSER.get_or_init(|| QuickParser::new(catalog()).unwrap())
}

/// A Saturday; 26/11 is the Thursday before.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// `group total female date «class» ! problems`, `-` for a missing field, `none` when the
/// text is not a quick entry.
fn render(entry: Option<&QuickEntry>) -> String {
    let Some(e) = entry else {
        return "none".to_owned();
    };
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    let mut out = format!(
        "{} {} {} {} {}",
        e.group,
        or_dash(e.total.map(|n| n.to_string())),
        or_dash(e.female.map(|n| n.to_string())),
        or_dash(e.date.map(|d| d.to_string())),
        or_dash(e.class.as_ref().map(|c| format!("«{c}»"))),
    );
    if !e.problems.is_empty() {
        let problems: Vec<String> = e.problems.iter().map(|p| format!("{p:?}")).collect();
        out.push_str(&format!(" ! {}", problems.join(", ")));
    }
    out
}

#[test]
fn lines() {
    // One line per case reads as a table; rustfmt would split the long ones in three.
    #[rustfmt::skip]
    let cases: &[(&str, &str)] = &[
        // The shapes the issue names.
        ("sk 45 30 Phòng chống sốt xuất huyết", "health 45 30 - «Phòng chống sốt xuất huyết»"),
        ("SK 45/30 26/11 phòng chống sốt xuất huyết", "health 45 30 2026-11-26 «phòng chống sốt xuất huyết»"),
        ("nghe 30 12 hôm qua Trồng nấm rơm", "vocational 30 12 2026-11-27 «Trồng nấm rơm»"),
        ("sức khỏe 45 30 Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("suc khoe 45-30 Phong chong dich", "health 45 30 - «Phong chong dich»"),
        // Every group, by code and by alias, with and without diacritics, any case.
        ("Sức Khoẻ 45 30 Vệ sinh an toàn thực phẩm", "health 45 30 - «Vệ sinh an toàn thực phẩm»"),
        ("SUC KHOE 45 , 30 Tiêm chủng", "health 45 30 - «Tiêm chủng»"),
        ("gdsk 45 30 Tiêm chủng", "health 45 30 - «Tiêm chủng»"),
        ("xmc 20 15 Lớp xóa mù chữ thôn 3", "literacy 20 15 - «Lớp xóa mù chữ thôn 3»"),
        ("xoa mu chu 20 15 Lớp thôn 3", "literacy 20 15 - «Lớp thôn 3»"),
        ("hn 15 15 Sửa xe máy", "vocational 15 15 - «Sửa xe máy»"),
        ("Học nghề 15 3 Sửa xe máy", "vocational 15 3 - «Sửa xe máy»"),
        ("pl 60 35 26/11/2026 Luật giao thông đường bộ", "law 60 35 2026-11-26 «Luật giao thông đường bộ»"),
        ("Pháp luật 60 35 2026-11-25 Luật hôn nhân và gia đình", "law 60 35 2026-11-25 «Luật hôn nhân và gia đình»"),
        ("gdpl 60 35 ngày 20/11 Luật đất đai", "law 60 35 2026-11-20 «Luật đất đai»"),
        ("mt 80 50 hom nay Thu gom rác thải nhựa", "environment 80 50 2026-11-28 «Thu gom rác thải nhựa»"),
        ("moi truong 80/50 today Plastic waste", "environment 80 50 2026-11-28 «Plastic waste»"),
        ("vh 100 70 yesterday Hát chèo", "culture 100 70 2026-11-27 «Hát chèo»"),
        ("văn hóa xã hội 100 70 Hát chèo", "culture 100 70 - «Hát chèo»"),
        ("van hoa 100 70 Hát chèo", "culture 100 70 - «Hát chèo»"),
        ("vhxh 50 30 Lễ hội đình làng", "culture 50 30 - «Lễ hội đình làng»"),
        ("kt 30 20 hôm kia Nuôi gà thả vườn", "economy 30 20 2026-11-26 «Nuôi gà thả vườn»"),
        ("phát triển kinh tế 30 20 Nuôi gà thả vườn", "economy 30 20 - «Nuôi gà thả vườn»"),
        ("kns 40 25 Kỹ năng phòng chống đuối nước", "life_skills 40 25 - «Kỹ năng phòng chống đuối nước»"),
        ("kĩ năng sống 40 25 Phòng chống đuối nước", "life_skills 40 25 - «Phòng chống đuối nước»"),
        ("khac 25 10 Tuyên truyền bầu cử", "other 25 10 - «Tuyên truyền bầu cử»"),
        ("Khác 25 10 Tuyên truyền bầu cử", "other 25 10 - «Tuyên truyền bầu cử»"),
        ("vn 200 120 Giải bóng chuyền hơi", "arts_sports 200 120 - «Giải bóng chuyền hơi»"),
        ("văn nghệ 200 120 Liên hoan văn nghệ", "arts_sports 200 120 - «Liên hoan văn nghệ»"),
        ("van nghe tdtt 30 20 Múa sạp", "arts_sports 30 20 - «Múa sạp»"),
        ("thể thao 50 20 Dưỡng sinh", "arts_sports 50 20 - «Dưỡng sinh»"),
        // Spacing, separators, units, full-width digits.
        ("  sk   45    30   Phòng   chống  dịch  ", "health 45 30 - «Phòng chống dịch»"),
        ("sk\n45\n30\nPhòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk ４５ ３０ Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk ４５/３０ ２６/１１ Phòng chống dịch", "health 45 30 2026-11-26 «Phòng chống dịch»"),
        ("sk 45 người 30 nữ Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk 45 nguoi 30 nu Phong chong dich", "health 45 30 - «Phong chong dich»"),
        ("sk 45 người, 30 nữ: Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk 45người/30nữ Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk: 45/30 Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk45/30 Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk 45 – 30 – Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk 45 ／ 30 Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk 45,30, Phòng chống dịch", "health 45 30 - «Phòng chống dịch»"),
        ("sk 1.200 800 Hội thảo phòng chống HIV", "health 1200 800 - «Hội thảo phòng chống HIV»"),
        ("sk 100000 5 Mít tinh", "health 100000 5 - «Mít tinh»"),
        ("Sk 45 30 PHÒNG CHỐNG DỊCH.", "health 45 30 - «PHÒNG CHỐNG DỊCH.»"),
        ("sk 45 30 Phòng chống dịch\u{200B}", "health 45 30 - «Phòng chống dịch»"),
        // Dates: every form, after the numbers or at the very end.
        ("sk 45 30 26-11-2026 Phòng chống dịch", "health 45 30 2026-11-26 «Phòng chống dịch»"),
        ("sk 45 30 26.11.2026 Phòng chống dịch", "health 45 30 2026-11-26 «Phòng chống dịch»"),
        ("sk 45 30 29/2 Phòng chống dịch", "health 45 30 2024-02-29 «Phòng chống dịch»"),
        ("SK 45/30 HÔM QUA PHÒNG CHỐNG DỊCH", "health 45 30 2026-11-27 «PHÒNG CHỐNG DỊCH»"),
        ("sk 45 30 hom qua Phong chong dich", "health 45 30 2026-11-27 «Phong chong dich»"),
        ("sk 45 30 ngay 26/11 Phòng chống dịch", "health 45 30 2026-11-26 «Phòng chống dịch»"),
        ("hoc nghe 30 12 Trồng nấm rơm 26/11", "vocational 30 12 2026-11-26 «Trồng nấm rơm»"),
        ("nghe 30 12 Trồng nấm rơm hôm qua", "vocational 30 12 2026-11-27 «Trồng nấm rơm»"),
        // A second date, or a date-shaped ending that is no date, belongs to the class.
        ("nghề 30 12 26/11 Trồng nấm 27/11", "vocational 30 12 2026-11-26 «Trồng nấm 27/11»"),
        ("nghe 30 12 Tin học lớp 12/15", "vocational 30 12 - «Tin học lớp 12/15»"),
        // Numbers come before a date: `26/11` right after the code is 26 people, 11 women;
        // after one number, a date-shaped `26/11` is the date.
        ("sk 26/11 Phòng chống dịch", "health 26 11 - «Phòng chống dịch»"),
        ("sk 45 26/11 Phòng chống dịch", "health 45 - 2026-11-26 «Phòng chống dịch» ! FemaleMissing"),
        ("sk 45 26.11.2026 Phòng chống dịch", "health 45 - 2026-11-26 «Phòng chống dịch» ! FemaleMissing"),
        // Missing parts: what was typed is kept.
        ("sk 45 30", "health 45 30 - - ! ClassMissing"),
        ("sk 45 30 26/11", "health 45 30 2026-11-26 - ! ClassMissing"),
        ("sk 45 30 hôm qua", "health 45 30 2026-11-27 - ! ClassMissing"),
        ("sk 45 30 người", "health 45 30 - - ! ClassMissing"),
        ("sk 45", "health 45 - - - ! FemaleMissing, ClassMissing"),
        ("sk 45 Phòng chống dịch", "health 45 - - «Phòng chống dịch» ! FemaleMissing"),
        ("sk", "health - - - - ! TotalMissing, FemaleMissing, ClassMissing"),
        ("SK", "health - - - - ! TotalMissing, FemaleMissing, ClassMissing"),
        ("sk Phòng chống dịch", "health - - - «Phòng chống dịch» ! TotalMissing, FemaleMissing"),
        ("sk hôm qua Phòng chống dịch", "health - - 2026-11-27 «Phòng chống dịch» ! TotalMissing, FemaleMissing"),
        ("sk 45 30abc", "health 45 - - «30abc» ! FemaleMissing"),
        ("sk 45 30 12", "health 45 30 - «12»"),
        // Wrong values: the problem says which and why, the rest is kept.
        ("sk 30 45 Phòng chống dịch", "health 30 - - «Phòng chống dịch» ! FemaleAboveTotal(45)"),
        ("sk 0 0 Phòng chống dịch", "health - 0 - «Phòng chống dịch» ! TotalInvalid(\"0\", TooSmall)"),
        ("sk 100001 5 Mít tinh", "health - 5 - «Mít tinh» ! TotalInvalid(\"100001\", TooLarge)"),
        ("sk 99999999999999999999999 1 Phòng", "health - 1 - «Phòng» ! TotalInvalid(\"99999999999999999999999\", TooLarge)"),
        ("sk 45 200000 Phòng", "health 45 - - «Phòng» ! FemaleInvalid(\"200000\", TooLarge)"),
        ("sk 4.5 3 Phòng chống dịch", "health - 3 - «Phòng chống dịch» ! TotalInvalid(\"4.5\", NotANumber)"),
        ("sk 45.30 Phòng chống dịch", "health - - - «Phòng chống dịch» ! TotalInvalid(\"45.30\", NotANumber), FemaleMissing"),
        ("sk 45 30 31/02 Phòng chống dịch", "health 45 30 - «Phòng chống dịch» ! DateInvalid(\"31/02\")"),
        ("sk 45 30 1/1/2027 Phòng chống dịch", "health 45 30 - «Phòng chống dịch» ! DateInFuture(2027-01-01)"),
        ("sk 45 30 Phòng chống dịch 5/12/2026", "health 45 30 - «Phòng chống dịch» ! DateInFuture(2026-12-05)"),
        ("sk 45 30 a", "health 45 30 - - ! ClassTooShort"),
        ("sk 45 30 💉", "health 45 30 - - ! ClassTooShort"),
        ("sk 45 30 🎉😀👍", "health 45 30 - - ! ClassNoLetters"),
        ("sk 45 30 🎉 Phòng chống dịch 🎉", "health 45 30 - «🎉 Phòng chống dịch 🎉»"),
        ("sk 45 30 Phòng <b>chống</b> & dịch", "health 45 30 - «Phòng <b>chống</b> & dịch»"),
        // A word that starts like a code is not one; the tolerance is for *missing*
        // diacritics, not different ones (`Nghệ` is not `nghe`).
        ("skills 45 30 Kỹ năng mềm", "none"),
        ("sktt 45 30 abc", "none"),
        ("Nghệ thuật cắm hoa 30 20", "none"),
        ("Nghe nhạc dân ca 20 10", "vocational - - - «nhạc dân ca 20 10» ! TotalMissing, FemaleMissing"),
        ("Kinh tế hộ gia đình", "economy - - - «hộ gia đình» ! TotalMissing, FemaleMissing"),
        // A unit word after the women swallows a class starting with it (rare, accepted).
        ("sk 45 30 nữ sinh với pháp luật", "health 45 30 - «sinh với pháp luật»"),
        // Not quick entries at all.
        ("xin chào", "none"),
        ("Xin chào, tôi muốn ghi buổi học", "none"),
        ("45 30 Phòng chống dịch", "none"),
        ("🎉 sk 45 30 Phòng chống dịch", "none"),
        ("/log", "none"),
        ("", "none"),
        ("   ", "none"),
        ("sk.", "none"),
    ];
    let mut failures = Vec::new();
    for (input, expected) in cases {
        let got = render(parser().parse(input, today()).as_ref());
        if got != *expected {
            failures.push(format!(
                "{input:?}\n   expected {expected}\n        got {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} lines differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 60);
}

#[test]
fn long_class_names_are_refused() {
    let long = "x".repeat(201);
    let entry = parser()
        .parse(&format!("sk 45 30 {long}"), today())
        .unwrap();
    assert_eq!(entry.class, None);
    assert_eq!(entry.problems, [QuickProblem::ClassTooLong]);
    let longest = "x".repeat(200);
    let entry = parser()
        .parse(&format!("sk 45 30 {longest}"), today())
        .unwrap();
    assert_eq!(entry.class, Some(longest));
}

#[test]
fn decomposed_input_reads_like_composed() {
    use unicode_normalization::UnicodeNormalization;
    let composed = "sức khỏe 45 30 hôm qua Phòng chống dịch";
    let decomposed: String = composed.nfd().collect();
    assert_ne!(composed, decomposed);
    assert_eq!(
        parser().parse(&decomposed, today()),
        parser().parse(composed, today())
    );
}

#[test]
fn limits_and_aliases_come_from_the_catalog() {
    let mut catalog = catalog().clone();
    for question in &mut catalog.questions {
        match (question.id.as_str(), &mut question.kind) {
            ("total", QuestionKind::Number { max, .. }) => *max = 50,
            ("female", QuestionKind::Number { min, .. }) => *min = 1,
            ("class", QuestionKind::Class { min_len, .. }) => *min_len = 5,
            _ => {}
        }
    }
    let health = catalog
        .groups
        .iter_mut()
        .find(|g| g.id == "health")
        .unwrap();
    health.aliases.push("y tế".to_owned());
    let parser = QuickParser::new(&catalog).unwrap();
    let read = |text: &str| render(parser.parse(text, today()).as_ref());
    assert_eq!(
        read("sk 50 0 Dịch"),
        "health 50 - - - ! FemaleInvalid(\"0\", TooSmall), ClassTooShort"
    );
    assert_eq!(
        read("sk 51 1 Phòng dịch"),
        "health - 1 - «Phòng dịch» ! TotalInvalid(\"51\", TooLarge)"
    );
    assert_eq!(read("Y te 45 30 Phòng dịch"), "health 45 30 - «Phòng dịch»");
}

#[test]
fn problems_name_their_question_and_error() {
    let entry = parser().parse("sk 0 3 31/02 a", today()).unwrap();
    let named: Vec<(&str, Option<&str>)> = entry
        .problems
        .iter()
        .map(|p| (p.question(), p.error()))
        .collect();
    assert_eq!(
        named,
        [
            ("total", Some("too_small")),
            ("date", Some("bad_date")),
            ("class", Some("too_short")),
        ]
    );
    assert_eq!(entry.female, Some(3));
    // The dialog order of the shipped session.toml: class, date, total.
    assert_eq!(
        entry.missing_questions(catalog()),
        ["class", "date", "total"]
    );
    let above = parser().parse("sk 3 4 Phòng", today()).unwrap();
    assert_eq!(above.problems[0].error(), Some("above_other"));
    assert_eq!(QuickProblem::FemaleMissing.error(), None);
}

#[test]
fn describe_tells_what_was_understood_and_what_not() {
    let entry = parser()
        .parse("sk 1.200 26/11 Phòng <chống> dịch", today())
        .unwrap();
    assert_eq!(
        entry.describe(catalog(), Lang::Vi),
        "Mình đã hiểu: nhóm <b>Sức khỏe</b>, 1.200 người tham gia, ngày 26/11/2026, \
         lớp <b>Phòng &lt;chống&gt; dịch</b>.\nMình chưa rõ: số nữ. Mình hỏi thêm nhé."
    );
    assert_eq!(
        entry.describe(catalog(), Lang::En),
        "Got it: group <b>Health</b>, 1,200 attending, on 26/11/2026, \
         class <b>Phòng &lt;chống&gt; dịch</b>.\nStill missing: women. Let me ask."
    );
    let complete = parser().parse("nghe 30 12 Trồng nấm", today()).unwrap();
    assert_eq!(
        complete.describe(catalog(), Lang::Vi),
        "Mình đã hiểu: nhóm <b>Học nghề</b>, 30 người tham gia, 12 nữ, lớp <b>Trồng nấm</b>."
    );
}

#[test]
fn codes_list_names_every_group() {
    let list = codes_list(catalog(), Lang::Vi);
    assert_eq!(list.lines().count(), catalog().groups.len());
    assert!(list.starts_with("<b>xmc</b> – Xóa mù chữ\n<b>nghe</b> – Học nghề\n"));
    assert!(list.contains("<b>sk</b> – Sức khỏe"));
    let format = catalog().render("quick.format", Lang::Vi, &[("codes", &list)]);
    assert!(format.ends_with("<b>vn</b> – Văn nghệ – TDTT"));
}

#[test]
fn the_examples_in_quick_format_read_completely() {
    for lang in Lang::ALL {
        let format = catalog().text("quick.format", lang);
        let examples: Vec<&str> = format
            .split("<i>")
            .skip(1)
            .filter_map(|rest| rest.split("</i>").next())
            .collect();
        assert_eq!(examples.len(), 3, "{format}");
        for example in examples {
            let entry = parser().parse(example, today()).unwrap();
            assert!(entry.problems.is_empty(), "{example}: {entry:?}");
        }
    }
}

/// Date forms a generated line may use, and whether they apply to a date `back` days ago.
fn date_text(date: NaiveDate, back: u64, form: usize) -> Option<String> {
    match form {
        0 => Some(date.format("%-d/%-m/%Y").to_string()),
        1 => Some(date.format("%Y-%m-%d").to_string()),
        2 => Some(date.format("%d-%m-%Y").to_string()),
        3 if back < 300 => Some(date.format("%-d/%-m").to_string()),
        4 if back == 0 => Some("hôm nay".to_owned()),
        5 if back == 1 => Some("hom qua".to_owned()),
        6 if back == 1 => Some("yesterday".to_owned()),
        7 if back == 0 => Some("Today".to_owned()),
        _ => None,
    }
}

/// Words a generated class name must not contain: they would read as units or dates.
fn reserved(word: &str) -> bool {
    let word = parse::fold(word);
    [
        "nguoi",
        "ng",
        "luot",
        "hoc",
        "hv",
        "nu",
        "people",
        "persons",
        "person",
        "women",
        "pax",
        "hom",
        "today",
        "yesterday",
        "ngay",
        "nay",
        "qua",
        "kia",
    ]
    .contains(&word.as_str())
}

fn spellings() -> Vec<(String, String)> {
    catalog()
        .groups
        .iter()
        .flat_map(|g| {
            std::iter::once(&g.code)
                .chain(&g.aliases)
                .map(move |s| (s.clone(), g.id.clone()))
        })
        .collect()
}

proptest! {
    #[test]
    fn never_panics(text in "\\PC{0,200}") {
        let _ = parser().parse(&text, today());
    }

    #[test]
    fn never_panics_on_entry_like_text(
        code in prop::sample::select(vec!["sk", "SUC KHOE", "nghề", "vh", "khac"]),
        rest in "[0-9０-９/.,\\-–： ]{0,20}( ?(hôm qua|ngày|nữ|người|[a-zà-ỹ🎉]{1,8})){0,4}",
    ) {
        let _ = parser().parse(&format!("{code}{rest}"), today());
    }

    #[test]
    fn valid_lines_read_back(
        spelling in prop::sample::select(spellings()),
        upper in any::<bool>(),
        total in 1u32..=100_000,
        share in 0u32..=100,
        separator in prop::sample::select(vec![" ", "/", "-", ", ", " / ", " - "]),
        units in any::<bool>(),
        fullwidth in any::<bool>(),
        back in 0u64..3000,
        form in 0usize..12,
        at_end in any::<bool>(),
        words in prop::collection::vec("[A-ZĐa-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]{1,9}", 1..6),
    ) {
        let (spelling, group) = spelling;
        prop_assume!(!words.iter().any(|w| reserved(w)));
        let class = words.join(" ");
        prop_assume!(class.chars().count() >= 2);
        let female = (u64::from(total) * u64::from(share) / 100) as u32;
        let date = today().checked_sub_days(Days::new(back)).unwrap();
        let typed_date = date_text(date, back, form);

        let code = if upper { spelling.to_uppercase() } else { spelling };
        let mut numbers = format!("{total}{}{female}", separator);
        if units {
            numbers = format!("{total} người{separator}{female} nữ");
        }
        if fullwidth {
            numbers = numbers
                .chars()
                .map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0xFF10 + d).unwrap()))
                .collect();
        }
        let line = match (&typed_date, at_end) {
            (Some(d), false) => format!("{code} {numbers} {d} {class}"),
            (Some(d), true) => format!("{code} {numbers} {class} {d}"),
            (None, _) => format!("{code} {numbers} {class}"),
        };
        let entry = parser().parse(&line, today());
        let expected = QuickEntry {
            group,
            total: Some(total),
            female: Some(female),
            date: typed_date.as_ref().map(|_| date),
            date_year_guessed: typed_date.as_ref().is_some_and(|d| d.matches('/').count() == 1),
            class: Some(class),
            problems: vec![],
        };
        prop_assert_eq!(entry, Some(expected), "{}", line);
    }
}
