//! Checks the shipped `dialogs/` files, and that broken copies are refused with
//! messages that name the file and the problem.

use rollcall::dialog::catalog::{QuestionKind, REQUIRED_TEXTS};
use rollcall::dialog::{load_dir, Catalog, DialogError};
use rollcall::domain::Lang;
use std::fs;
use std::path::{Path, PathBuf};

/// The official names of table III.2, rows 1 to 10, as in the 2020 Tràng An report.
const OFFICIAL_NAMES: [&str; 10] = [
    "Học chương trình xóa mù chữ, giáo dục chương trình sau biết chữ",
    "Học nghề ngắn hạn",
    "Chuyên đề Giáo dục pháp luật",
    "Chuyên đề Giáo dục sức khỏe",
    "Chuyên đề Giáo dục môi trường",
    "Chuyên đề Văn hóa xã hội",
    "Chuyên đề Phát triển kinh tế",
    "Chuyên đề Giáo dục kỹ năng sống",
    "Chuyên đề của chương trình khác",
    "Các chương trình văn nghệ, thể dục thể thao được phổ biến",
];

fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")
}

fn shipped() -> Catalog {
    match load_dir(&shipped_dir()) {
        Ok(catalog) => catalog,
        Err(errors) => panic!("shipped dialogs do not compile:\n{}", render(&errors)),
    }
}

/// The dialogs compiled into the binary are the shipped files, byte for byte, and load.
#[test]
fn the_built_in_dialogs_are_the_shipped_files() {
    for (name, text) in rollcall::dialog::load::EMBEDDED {
        let on_disk = fs::read_to_string(shipped_dir().join(name)).expect("shipped file");
        assert_eq!(text, on_disk, "{name}");
    }
    let built_in = match rollcall::dialog::load_embedded() {
        Ok(catalog) => catalog,
        Err(errors) => panic!("built-in dialogs do not compile:\n{}", render(&errors)),
    };
    assert_eq!(built_in, shipped());
}

fn render(errors: &[DialogError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A writable copy of the shipped files.
struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    fn new() -> Copy {
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in fs::read_dir(shipped_dir()).expect("dialogs dir") {
            let path = entry.expect("dir entry").path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                let name = path.file_name().expect("file name");
                fs::copy(&path, dir.path().join(name)).expect("copy");
            }
        }
        Copy { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path(file)).expect("read copy")
    }

    fn write(&self, file: &str, text: &str) {
        fs::write(self.path(file), text).expect("write copy");
    }

    /// Replaces the one occurrence of `from` in `file` by `to`.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{file} must contain {from:?} exactly once"
        );
        self.write(file, &text.replacen(from, to, 1));
    }

    fn append(&self, file: &str, extra: &str) {
        let text = self.read(file);
        self.write(file, &format!("{text}\n{extra}"));
    }

    fn load(&self) -> Result<Catalog, Vec<DialogError>> {
        load_dir(self.dir.path())
    }

    fn errors(&self) -> Vec<DialogError> {
        match self.load() {
            Ok(_) => panic!("the broken copy compiled"),
            Err(errors) => errors,
        }
    }
}

/// Asserts that one of `errors` is about `file` and mentions every part of `expected`.
fn assert_reported(errors: &[DialogError], file: &str, expected: &[&str]) {
    let found = errors.iter().any(|error| {
        error.file.file_name().is_some_and(|name| name == file)
            && error.to_string().contains(file)
            && expected.iter().all(|part| error.message.contains(part))
    });
    assert!(
        found,
        "no error in {file} mentioning {expected:?}; got:\n{}",
        render(errors)
    );
}

#[test]
fn shipped_dialogs_compile() {
    let catalog = shipped();
    let names: Vec<&str> = catalog
        .groups
        .iter()
        .map(|g| g.official.vi.as_str())
        .collect();
    assert_eq!(names, OFFICIAL_NAMES);
    let ids: Vec<&str> = catalog.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "literacy",
            "vocational",
            "law",
            "health",
            "environment",
            "culture",
            "economy",
            "life_skills",
            "other",
            "arts_sports"
        ]
    );
    let codes: Vec<&str> = catalog.groups.iter().map(|g| g.code.as_str()).collect();
    assert_eq!(
        codes,
        ["xmc", "nghe", "pl", "sk", "mt", "vh", "kt", "kns", "khac", "vn"]
    );
    for (index, group) in catalog.groups.iter().enumerate() {
        assert_eq!(group.number, index + 1);
        assert!(group.short.vi.chars().count() <= 24, "{}", group.short.vi);
        assert!(group.aliases.iter().all(|a| *a == a.to_lowercase()));
    }
    assert!(catalog.groups[3].aliases.iter().any(|a| a == "suc khoe"));
    assert!(catalog.groups[3].aliases.iter().any(|a| a == "sức khỏe"));
}

#[test]
fn shipped_questions_commands_and_texts() {
    let catalog = shipped();
    let ids: Vec<&str> = catalog.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["group", "class", "date", "total", "female"]);
    let (_, class) = catalog.question("class").expect("class question");
    assert_eq!(
        class.kind,
        QuestionKind::Class {
            min_len: 2,
            max_len: 200,
            max_buttons: 8
        }
    );
    let (_, total) = catalog.question("total").expect("total question");
    assert_eq!(
        total.kind,
        QuestionKind::Number {
            min: 1,
            max: 100_000,
            at_most: None
        }
    );
    let (_, female) = catalog.question("female").expect("female question");
    assert_eq!(
        female.kind,
        QuestionKind::Number {
            min: 0,
            max: 100_000,
            at_most: Some("total".to_owned())
        }
    );
    assert_eq!(
        catalog.error(
            female,
            "above_other",
            Lang::Vi,
            &[("other", "Tổng số"), ("max", "30")]
        ),
        "Số nữ không thể lớn hơn tổng số (30)."
    );

    let commands: Vec<&str> = catalog.commands.iter().map(|c| c.name.as_str()).collect();
    for name in ["start", "log", "totals", "report", "cancel", "help", "lang"] {
        assert!(commands.contains(&name), "command {name} missing");
    }

    for (key, _) in REQUIRED_TEXTS {
        for lang in Lang::ALL {
            assert!(!catalog.text(key, lang).trim().is_empty(), "{key} {lang:?}");
        }
    }
    assert_eq!(
        catalog.render("report.total_line", Lang::Vi, &[("attendance", "20.868")]),
        "Số người tham gia học tại TTHTCĐ: 20.868 người"
    );
    assert!(catalog
        .text("dialog.summary", Lang::En)
        .contains("{answers}"));
    assert!(catalog
        .text("dialog.saved", Lang::Vi)
        .contains("Đã lưu buổi học số {number}"));
    assert!(catalog.text("help", Lang::Vi).contains("/report 1-10/2020"));
    for example in [
        "2020",
        "10/2020",
        "1-10/2020",
        "01/2020-10/2020",
        "Q3/2020",
        "2020-01-01..2020-10-31",
    ] {
        assert!(
            catalog
                .text("report.bad_period", Lang::Vi)
                .contains(example),
            "{example}"
        );
        assert!(
            catalog
                .text("report.bad_period", Lang::En)
                .contains(example),
            "{example}"
        );
    }
}

/// One broken copy: what to change, and what the error must say.
struct Case {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    expected: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "unknown field",
        file: "session.toml",
        from: "prompt.vi = \"Buổi học thuộc",
        to: "promt.vi = \"Buổi học thuộc",
        expected: &["unknown field `promt`", "line"],
    },
    Case {
        name: "missing English text",
        file: "groups.toml",
        from: "short.en = \"Health\"\n",
        to: "",
        expected: &["group 4 (health)", "`short.en` is missing"],
    },
    Case {
        name: "unknown language",
        file: "commands.toml",
        from: "description.en = \"Log a class session\"",
        to: "description.eng = \"Log a class session\"",
        expected: &["command \"log\"", "`description.eng`", "unknown language"],
    },
    Case {
        name: "empty text",
        file: "groups.toml",
        from: "short.vi = \"Pháp luật\"",
        to: "short.vi = \"  \"",
        expected: &["group 3 (law)", "`short.vi` is empty"],
    },
    Case {
        name: "at_most names an unknown question",
        file: "session.toml",
        from: "at_most = \"total\"",
        to: "at_most = \"totl\"",
        expected: &["question \"female\"", "unknown question \"totl\""],
    },
    Case {
        name: "at_most names a later question",
        file: "session.toml",
        from: "min = 1\n",
        to: "min = 1\nat_most = \"female\"\n",
        expected: &["question \"total\"", "\"female\", which comes later"],
    },
    Case {
        name: "at_most names a question that is not a number",
        file: "session.toml",
        from: "at_most = \"total\"",
        to: "at_most = \"date\"",
        expected: &["question \"female\"", "a date question"],
    },
    Case {
        name: "min above max",
        file: "session.toml",
        from: "min = 1\n",
        to: "min = 200000\n",
        expected: &[
            "question \"total\"",
            "min 200000 is greater than max 100000",
        ],
    },
    Case {
        name: "missing required text",
        file: "messages.toml",
        from: "[dialog.idle]\n",
        to: "[dialog.idle_typo]\n",
        expected: &["the message \"dialog.idle\" is missing"],
    },
    Case {
        name: "misspelt message key",
        file: "messages.toml",
        from: "[dialog.summary]\n",
        to: "[dialog.sumary]\n",
        expected: &[
            "unknown message \"dialog.sumary\"",
            "did you mean \"dialog.summary\"",
        ],
    },
    Case {
        name: "unknown placeholder",
        file: "messages.toml",
        from: "Đã lưu buổi học số {number}.",
        to: "Đã lưu buổi học số {numbr}.",
        expected: &[
            "`dialog.saved.vi`",
            "unknown placeholder {numbr}",
            "{number}",
        ],
    },
    Case {
        name: "placeholder in a text that takes none",
        file: "messages.toml",
        from: "[dialog.skip_button]\nvi = \"Bỏ qua\"",
        to: "[dialog.skip_button]\nvi = \"Bỏ qua {group}\"",
        expected: &["`dialog.skip_button.vi`", "{group}", "no placeholders"],
    },
    Case {
        name: "markup other than b and i",
        file: "messages.toml",
        from: "<b>Hướng dẫn</b>",
        to: "<u>Hướng dẫn</u>",
        expected: &["`help.vi`", "<u>"],
    },
    Case {
        name: "duplicate group code",
        file: "groups.toml",
        from: "code = \"pl\"",
        to: "code = \"sk\"",
        expected: &["group 4 (health)", "duplicate code \"sk\"", "group 3 (law)"],
    },
    Case {
        name: "alias clashing with another group without diacritics",
        file: "groups.toml",
        from: "aliases = [\"kinh te\",",
        to: "aliases = [\"khác\", \"kinh te\",",
        expected: &["group 9 (other)", "\"khac\"", "group 7 (economy)"],
    },
    Case {
        name: "duplicate group id",
        file: "groups.toml",
        from: "id = \"other\"",
        to: "id = \"law\"",
        expected: &["group 9 (law)", "duplicate id \"law\""],
    },
    Case {
        name: "group id unsafe for button data",
        file: "groups.toml",
        from: "id = \"health\"",
        to: "id = \"Sức khỏe\"",
        expected: &["group 4", "a-z, 0-9 and _"],
    },
    Case {
        name: "duplicate question id",
        file: "session.toml",
        from: "id = \"female\"",
        to: "id = \"total\"",
        expected: &["duplicate question id \"total\""],
    },
    Case {
        name: "built-in question of the wrong kind",
        file: "session.toml",
        from: "kind = \"date\"",
        to: "kind = \"text\"",
        expected: &["question \"date\"", "must be of kind date"],
    },
    Case {
        name: "missing built-in question",
        file: "session.toml",
        from: "id = \"date\"",
        to: "id = \"when\"",
        expected: &["the question \"date\"", "is missing"],
    },
    Case {
        name: "field of another kind",
        file: "session.toml",
        from: "max_buttons = 8",
        to: "max_buttons = 8\nmin = 3",
        expected: &[
            "question \"class\"",
            "`min` does not apply to a class question",
        ],
    },
    Case {
        name: "unknown kind",
        file: "session.toml",
        from: "kind = \"date\"",
        to: "kind = \"calendar\"",
        expected: &["question \"date\"", "unknown kind \"calendar\""],
    },
    Case {
        name: "error override for an error the question cannot have",
        file: "session.toml",
        from: "errors.above_other.vi",
        to: "errors.bad_date.vi = \"x\"\nerrors.above_other.vi",
        expected: &["question \"female\"", "\"bad_date\" cannot happen"],
    },
    Case {
        name: "duplicate command",
        file: "commands.toml",
        from: "name = \"help\"",
        to: "name = \"log\"",
        expected: &["duplicate command \"log\""],
    },
    Case {
        name: "TOML syntax error",
        file: "commands.toml",
        from: "name = \"cancel\"",
        to: "name = \"cancel",
        expected: &["TOML parse error at line"],
    },
];

#[test]
fn broken_copies_are_refused_with_named_errors() {
    for case in CASES {
        let copy = Copy::new();
        copy.edit(case.file, case.from, case.to);
        let errors = copy.errors();
        println!("{}:\n{}\n", case.name, render(&errors));
        assert_reported(&errors, case.file, case.expected);
    }
}

#[test]
fn menus_and_descriptions_are_checked() {
    let copy = Copy::new();
    copy.edit(
        "commands.toml",
        "menus = [\"director\"]\n\n[[command]]\nname = \"deleted\"",
        "menus = [\"teachers\"]\n\n[[command]]\nname = \"deleted\"",
    );
    copy.edit(
        "commands.toml",
        "short_description.en = \"Log",
        "short_description.en = \"Far too long for the one short line that Telegram shows on the profile page of the bot. Log",
    );
    let errors = copy.errors();
    assert_reported(
        &errors,
        "commands.toml",
        &["command \"sessions\"", "unknown menu \"teachers\"", "group"],
    );
    assert_reported(&errors, "commands.toml", &["short_description.en", "120"]);

    // A file without menus and without [bot] (as before menus existed) still loads: every
    // command is in the private chats' menus, and no description is set.
    let copy = Copy::new();
    let original = copy.read("commands.toml");
    let (head, rest) = original.split_once("[bot]").expect("a [bot] block");
    let commands = &rest[rest.find("[[command]]").expect("commands")..];
    let text: String = std::iter::once(head)
        .chain(commands.lines().filter(|line| !line.starts_with("menus")))
        .map(|line| format!("{line}\n"))
        .collect();
    copy.write("commands.toml", &text);
    let catalog = copy
        .load()
        .unwrap_or_else(|errors| panic!("{}", render(&errors)));
    assert_eq!(catalog.profile, None);
    assert!(catalog.commands.iter().all(|c| c.menus
        == [
            rollcall::roles::Menu::Private,
            rollcall::roles::Menu::Supervisor
        ]));
}

#[test]
fn missing_file_is_reported() {
    let copy = Copy::new();
    fs::remove_file(copy.path("commands.toml")).expect("remove");
    let errors = copy.errors();
    assert_reported(&errors, "commands.toml", &["file is missing"]);
}

#[test]
fn misnamed_file_is_reported() {
    let copy = Copy::new();
    fs::rename(copy.path("commands.toml"), copy.path("command.toml")).expect("rename");
    let errors = copy.errors();
    assert_reported(&errors, "commands.toml", &["file is missing"]);
    assert_reported(&errors, "command.toml", &["unknown dialog file"]);
}

#[test]
fn every_error_of_one_load_is_reported() {
    let copy = Copy::new();
    copy.edit("groups.toml", "code = \"pl\"", "code = \"sk\"");
    copy.edit("groups.toml", "short.en = \"Health\"\n", "");
    copy.edit("session.toml", "at_most = \"total\"", "at_most = \"totl\"");
    copy.edit("messages.toml", "[dialog.idle]\n", "[dialog.idel]\n");
    copy.edit(
        "messages.toml",
        "Đã lưu buổi học số {number}.",
        "Đã lưu buổi học số {numbr}.",
    );
    copy.edit("commands.toml", "name = \"cancel\"", "name = \"cancel");
    let errors = copy.errors();
    assert_reported(&errors, "groups.toml", &["duplicate code \"sk\""]);
    assert_reported(&errors, "groups.toml", &["`short.en` is missing"]);
    assert_reported(&errors, "session.toml", &["unknown question \"totl\""]);
    assert_reported(
        &errors,
        "messages.toml",
        &["the message \"dialog.idle\" is missing"],
    );
    assert_reported(
        &errors,
        "messages.toml",
        &["unknown message \"dialog.idel\""],
    );
    assert_reported(&errors, "messages.toml", &["unknown placeholder {numbr}"]);
    assert_reported(&errors, "commands.toml", &["TOML parse error"]);
    assert_eq!(errors.len(), 7, "{}", render(&errors));
}

const ZONE: &str = r#"
[[question]]
id = "zone"
kind = "choice"
optional = true
prompt.vi = "Buổi học tổ chức ở <b>đâu</b>?"
prompt.en = "<b>Where</b> was the session held?"
label.vi = "Địa điểm"
label.en = "Place"

[[question.options]]
id = "centre"
label.vi = "Tại trung tâm"
label.en = "At the centre"

[[question.options]]
id = "village"
label.vi = "Nhà văn hóa thôn"
label.en = "Village hall"
"#;

#[test]
fn an_extra_question_needs_no_code() {
    let copy = Copy::new();
    copy.append("session.toml", ZONE);
    let catalog = copy
        .load()
        .unwrap_or_else(|errors| panic!("{}", render(&errors)));
    let (position, zone) = catalog.question("zone").expect("zone question");
    assert_eq!(position, 5);
    assert!(zone.optional);
    let QuestionKind::Choice { options } = &zone.kind else {
        panic!("zone is not a choice: {:?}", zone.kind);
    };
    let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["centre", "village"]);
    assert_eq!(options[1].label.get(Lang::En), "Village hall");
}

#[test]
fn a_choice_question_is_checked_too() {
    let copy = Copy::new();
    copy.append(
        "session.toml",
        &ZONE.replace("id = \"village\"", "id = \"centre\""),
    );
    let errors = copy.errors();
    assert_reported(
        &errors,
        "session.toml",
        &["question \"zone\"", "duplicate option id \"centre\""],
    );

    let copy = Copy::new();
    let without_options = &ZONE[..ZONE.find("[[question.options]]").expect("options")];
    copy.append("session.toml", without_options);
    let errors = copy.errors();
    assert_reported(
        &errors,
        "session.toml",
        &["question \"zone\"", "needs options"],
    );
}

/// The commented-out examples at the end of `session.toml` are what a centre will
/// copy: uncommented, they must compile as they are.
#[test]
fn the_commented_examples_in_session_toml_compile() {
    let copy = Copy::new();
    let text = copy.read("session.toml");
    let start = text.find("# [[question]]").expect("a commented example");
    let uncommented: String = text[start..]
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.starts_with('[') || rest.split_once(" = ").is_some() => rest,
            _ => "",
        })
        .collect::<Vec<_>>()
        .join("\n");
    copy.append("session.toml", &uncommented);
    let catalog = copy
        .load()
        .unwrap_or_else(|errors| panic!("{}", render(&errors)));
    assert!(catalog.question("zone").is_some());
    assert!(matches!(
        catalog.question("speaker").map(|(_, q)| &q.kind),
        Some(QuestionKind::Text {
            min_len: 2,
            max_len: 100
        })
    ));
}
