//! The docs name only files that exist: every `src/…`, `tests/…`, `benches/…`,
//! `dialogs/…`, `docs/…` and `deploy/…` path written in backticks in ARCHITECTURE.md and
//! README.md is checked against the tree, so a moved or deleted file cannot stay on the map.

use std::path::Path;

/// The paths in backticks that start with one of the repository's folders. A path
/// ending in `/` is a folder; `a.rs, b.rs` lists are split; `{x,y}` and `<…>` patterns are
/// skipped (they name families of files, not one).
fn named_paths(text: &str) -> Vec<String> {
    const ROOTS: [&str; 6] = ["src/", "tests/", "benches/", "dialogs/", "docs/", "deploy/"];
    let mut paths = Vec::new();
    for (index, quoted) in text.split('`').enumerate() {
        if index % 2 == 0 {
            continue;
        }
        for candidate in quoted.split(", ") {
            let candidate = candidate.trim();
            if ROOTS.iter().any(|root| candidate.starts_with(root))
                && !candidate.contains(['{', '<', '*', ' '])
            {
                paths.push(candidate.to_owned());
            }
        }
    }
    paths
}

fn missing_in(doc: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(doc)).expect("the doc exists");
    named_paths(&text)
        .into_iter()
        .filter(|path| !root.join(path.split(':').next().unwrap_or(path)).exists())
        .collect()
}

#[test]
fn architecture_names_only_files_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("exists");
    // The code map is a table of paths: a checker that finds few is not reading it.
    assert!(named_paths(&text).len() > 30, "{:?}", named_paths(&text));
    let missing = missing_in("ARCHITECTURE.md");
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names missing files: {missing:?}"
    );
}

#[test]
fn readme_names_only_files_that_exist() {
    let missing = missing_in("README.md");
    assert!(
        missing.is_empty(),
        "README.md names missing files: {missing:?}"
    );
}

#[test]
fn the_checker_finds_a_missing_path() {
    let paths = named_paths("see `src/nowhere.rs` and `src/a.rs, src/b.rs` but not `{x}`");
    assert_eq!(paths, ["src/nowhere.rs", "src/a.rs", "src/b.rs"]);
}
