//! Build script: records the git commit the binary is built from, for `rollcall --version`.
//!
//! The commit comes from, in order: the `ROLLCALL_GIT_COMMIT` environment variable (a
//! container build, whose context has no `.git`, passes it in), `git rev-parse` in the
//! source tree, or the `.cargo_vcs_info.json` that `cargo package` writes; otherwise the
//! version says "commit unknown". A build never fails for want of git.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ROLLCALL_GIT_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("ROLLCALL_GIT_COMMIT")
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .map(|commit| commit.trim().to_owned())
        .or_else(|| from_git(&manifest_dir))
        .or_else(|| from_vcs_info(&manifest_dir))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=ROLLCALL_COMMIT={commit}");
}

/// Runs `git` in the source tree; `None` when git is missing or this is not a checkout.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_owned()).filter(|text| !text.is_empty())
}

/// The short commit of `HEAD`, and the files whose change means another commit, so that
/// cargo runs this script again after a commit or a checkout (in a worktree too, whose
/// `HEAD` and refs live in different folders).
fn from_git(dir: &Path) -> Option<String> {
    let commit = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    if let Some(git_dir) = git(dir, &["rev-parse", "--absolute-git-dir"]) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
    }
    if let (Some(common), Some(reference)) = (
        git(
            dir,
            &["rev-parse", "--path-format=absolute", "--git-common-dir"],
        ),
        git(dir, &["rev-parse", "--symbolic-full-name", "HEAD"]),
    ) {
        if reference.starts_with("refs/") {
            println!("cargo:rerun-if-changed={common}/{reference}");
        }
        println!("cargo:rerun-if-changed={common}/packed-refs");
    }
    Some(commit)
}

/// The commit `cargo package` recorded (a crate built from crates.io or a `.crate` file):
/// `"sha1": "<40 hex digits>"` in `.cargo_vcs_info.json`.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let after = text.split("\"sha1\"").nth(1)?;
    let sha: String = after
        .chars()
        .skip_while(|c| !c.is_ascii_hexdigit())
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_owned())
}
