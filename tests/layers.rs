//! The layer rule, enforced: a module imports only from its own layer or a layer below.
//!
//! The layers, lowest first, are those of ARCHITECTURE.md: text → domain → outgoing →
//! catalog → dialog engine → store → report → runtime → telegram / ops → cli. Every
//! `crate::…`, `super::…` and `self::…` path in `src/` (in `use` items, types and
//! expressions alike, test modules included) is resolved to the module it names and
//! compared with the layer of the file it is written in. There is no exception list: a
//! path that breaks the rule is fixed in the code, or the table below (the architecture
//! itself) is changed on purpose.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Module path prefixes and their layer; the longest matching prefix decides.
const LAYERS: &[(&str, u8, &str)] = &[
    ("text", 0, "text"),
    ("format", 0, "text"),
    ("domain", 1, "domain"),
    ("roles", 1, "domain"),
    ("document", 1, "domain"),
    ("submission", 1, "domain"),
    ("centre_change", 1, "domain"),
    ("import", 1, "domain"),
    ("reminders::schedule", 1, "domain"),
    ("reminders::parse", 1, "domain"),
    ("parse", 1, "domain"),
    ("outgoing", 2, "outgoing"),
    ("dialog::catalog", 3, "catalog"),
    ("dialog::load", 3, "catalog"),
    ("dialog", 4, "dialog engine"),
    ("store", 5, "store"),
    ("report", 6, "report"),
    ("runtime", 7, "runtime"),
    ("reminders", 7, "runtime"),
    ("clock", 7, "runtime"),
    ("telegram", 8, "telegram / ops"),
    ("ops", 8, "telegram / ops"),
    ("config", 8, "telegram / ops"),
    ("console", 9, "cli"),
    ("cli", 9, "cli"),
    ("app", 9, "cli"),
    ("", 9, "cli"),
];

/// The row of `LAYERS` a module belongs to: the longest prefix of its path.
fn unit_of(module: &[String]) -> &'static (&'static str, u8, &'static str) {
    let joined = module.join("::");
    LAYERS
        .iter()
        .filter(|(prefix, _, _)| {
            prefix.is_empty() || joined == *prefix || joined.starts_with(&format!("{prefix}::"))
        })
        .max_by_key(|(prefix, _, _)| prefix.len())
        .expect("the empty prefix matches every module")
}

fn layer_of(module: &[String]) -> (u8, &'static str) {
    let (_, layer, name) = unit_of(module);
    (*layer, name)
}

/// The module path of a source file: `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`.
fn module_of(file: &Path, src: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("main.rs") {
            out.push(path);
        }
    }
}

/// Collects the crate-internal modules a file names, resolving `super` and `self`
/// against the (possibly inline) module each path is written in.
struct Imports {
    module: Vec<String>,
    found: Named,
}

impl Imports {
    fn resolve(&mut self, segments: &[String]) {
        let mut base: Vec<String>;
        let mut rest = segments;
        match segments.first().map(String::as_str) {
            Some("crate") => {
                base = Vec::new();
                rest = &segments[1..];
            }
            Some("super") | Some("self") => {
                base = self.module.clone();
                while let Some(first) = rest.first() {
                    match first.as_str() {
                        "super" => {
                            base.pop();
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
            }
            _ => return,
        }
        base.extend(rest.iter().cloned());
        let written = segments.join("::");
        self.found.insert((base, written));
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                if n.ident != "self" {
                    full.push(n.ident.to_string());
                }
                self.resolve(&full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                self.resolve(&full);
            }
            syn::UseTree::Glob(_) => {
                let full = prefix.clone();
                self.resolve(&full);
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_some() {
            self.module.push(item.ident.to_string());
            syn::visit::visit_item_mod(self, item);
            self.module.pop();
        }
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {
        // `pub(crate)` and `pub(super)` name modules, but import nothing.
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve(&segments);
        syn::visit::visit_path(self, path);
    }
}

/// A module path named by a file, resolved, with the path as written.
type Named = BTreeSet<(Vec<String>, String)>;

/// Every file (as shown), its module, and the crate-internal modules it names.
fn imports_by_file() -> Vec<(String, Vec<String>, Named)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        let syntax = syn::parse_file(&text).expect("source parses");
        let module = module_of(&file, &src);
        let mut imports = Imports {
            module: module.clone(),
            found: BTreeSet::new(),
        };
        imports.visit_file(&syntax);
        let shown = file
            .strip_prefix(&src)
            .expect("under src")
            .display()
            .to_string();
        all.push((shown, module, imports.found));
    }
    all
}

/// Every path that names a module of a higher layer than the file it is written in.
fn upward_imports() -> Vec<String> {
    let mut problems = Vec::new();
    for (file, module, found) in imports_by_file() {
        let (own, own_name) = layer_of(&module);
        for (target, written) in found {
            let (theirs, their_name) = layer_of(&target);
            if theirs > own {
                problems.push(format!(
                    "{file} ({own_name}) uses `{written}` ({their_name})"
                ));
            }
        }
    }
    problems
}

/// A cycle among the rows of `LAYERS` (one row uses another that, directly or not,
/// uses the first), as the chain of rows; `None` when the graph has no cycle.
fn a_cycle() -> Option<Vec<&'static str>> {
    use std::collections::BTreeMap;
    let mut edges: BTreeMap<&'static str, BTreeSet<&'static str>> = BTreeMap::new();
    for (_, module, found) in imports_by_file() {
        let from = unit_of(&module).0;
        for (target, _) in found {
            let to = unit_of(&target).0;
            if from != to && !to.is_empty() {
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    // Depth-first search keeping the current chain: meeting a row already on the chain
    // closes a cycle.
    fn visit(
        unit: &'static str,
        edges: &BTreeMap<&'static str, BTreeSet<&'static str>>,
        chain: &mut Vec<&'static str>,
        done: &mut BTreeSet<&'static str>,
    ) -> Option<Vec<&'static str>> {
        if let Some(start) = chain.iter().position(|u| *u == unit) {
            let mut cycle = chain[start..].to_vec();
            cycle.push(unit);
            return Some(cycle);
        }
        if !done.insert(unit) {
            return None;
        }
        chain.push(unit);
        for next in edges.get(unit).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, chain, done) {
                return Some(cycle);
            }
        }
        chain.pop();
        None
    }
    let mut done = BTreeSet::new();
    for unit in edges.keys() {
        if let Some(cycle) = visit(unit, &edges, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let problems = upward_imports();
    assert!(
        problems.is_empty(),
        "{} upward imports:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_modules_form_no_cycle() {
    // Within one layer too: two modules of the same layer that use each other are one
    // module in two files, or a missing layer.
    if let Some(cycle) = a_cycle() {
        panic!("a module cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_checker_sees_an_upward_import() {
    // The rule itself is tested, so that a checker that silently finds nothing cannot
    // pass: a domain file naming the store is reported, a store file naming the domain
    // is not.
    let domain = syn::parse_file("use crate::store::Tx; fn f() { super::x(); }").expect("parses");
    let mut imports = Imports {
        module: vec!["domain".to_owned()],
        found: BTreeSet::new(),
    };
    imports.visit_file(&domain);
    let layers: Vec<u8> = imports.found.iter().map(|(m, _)| layer_of(m).0).collect();
    assert!(
        layers.contains(&5),
        "crate::store is the store layer: {layers:?}"
    );
    assert_eq!(layer_of(&["dialog".into(), "catalog".into()]).0, 3);
    assert_eq!(layer_of(&["dialog".into(), "engine".into()]).0, 4);
    assert_eq!(layer_of(&["reminders".into(), "fire".into()]).0, 7);
}
