//! `--new-from-merge-base` on a scripted repository: main moves on after the branch point, the
//! branch edits a comment in a function with an old finding and adds one finding elsewhere.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// `old.go` at the branch point: `Old` ignores an error (an old finding, line 8).
const OLD: &str = "package p\n\nimport \"os\"\n\n// Old tidies up.\nfunc Old(path string) {\n\t// remove the file\n\tos.Remove(path)\n}\n";

/// `main.go` at the branch point, and after main moved on (main rewrote `Tidy`'s line).
const MAIN_BEFORE: &str =
    "package p\n\nimport \"os\"\n\nfunc Tidy(dir string) {\n\tos.RemoveAll(dir)\n}\n";
const MAIN_AFTER: &str =
    "package p\n\nimport \"os\"\n\nfunc Tidy(dir string) {\n\tos.RemoveAll(dir + \"/tmp\")\n}\n";

/// The branch: a comment inside `Old` reworded, and a new function with a new finding.
const OLD_ON_BRANCH: &str = "package p\n\nimport \"os\"\n\n// Old tidies up.\nfunc Old(path string) {\n\t// remove the file, if it is there\n\tos.Remove(path)\n}\n";
const NEW: &str =
    "package p\n\nimport \"os\"\n\nfunc New(path string) {\n\tos.Chmod(path, 0o600)\n}\n";

/// A repository on branch `feature`, checked out, with `main` ahead of the branch point.
fn scripted_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(d, "old.go", OLD);
    write(d, "tidy.go", MAIN_BEFORE);
    commit(d, "start");
    git(d, &["checkout", "-q", "-b", "feature"]);
    write(d, "old.go", OLD_ON_BRANCH);
    write(d, "new.go", NEW);
    commit(d, "feature work");
    git(d, &["checkout", "-q", "main"]);
    write(d, "tidy.go", MAIN_AFTER);
    commit(d, "main moves on");
    git(d, &["checkout", "-q", "feature"]);
    dir
}

/// `goaudit audit DIR/... --format concise` with `extra`, as `file:line` per finding.
fn reported(dir: &Path, extra: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args([
            "audit",
            &format!("{}/...", dir.display()),
            "--format",
            "concise",
            "--no-cache",
        ])
        .args(["--select", "unchecked-error"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| l.splitn(3, ':').take(2).collect::<Vec<_>>().join(":"))
        .collect()
}

#[test]
fn the_branch_is_judged_against_the_merge_base() {
    let repo = scripted_repo();
    let d = repo.path();
    assert_eq!(reported(d, &[]), ["new.go:6", "old.go:8", "tidy.go:6"]);
    assert_eq!(
        reported(d, &["--new-from-merge-base", "main"]),
        ["new.go:6"],
        "only the branch's new finding: the comment edited in Old makes nothing new"
    );
    assert_eq!(
        reported(
            d,
            &["--new-from-merge-base", "main", "--new-code", "function"]
        ),
        ["new.go:6"],
        "a comment is not code, whatever the scope"
    );
    assert_eq!(
        reported(d, &["--new-from-rev", "main"]),
        ["new.go:6", "tidy.go:6"],
        "against main itself, main's own change to Tidy is blamed on the branch"
    );
}

#[test]
fn a_code_change_in_a_function_brings_its_findings_back_only_in_function_scope() {
    let repo = scripted_repo();
    let d = repo.path();
    let edited = OLD_ON_BRANCH.replace(
        "// Old tidies up.\nfunc Old(path string) {\n",
        "// Old tidies up.\nfunc Old(path string) {\n\tpath = path + \".tmp\"\n",
    );
    write(d, "old.go", &edited);
    let base = ["--new-from-merge-base", "main"];
    assert_eq!(reported(d, &base), ["new.go:6"]);
    let function = [base[0], base[1], "--new-code", "function"];
    assert_eq!(reported(d, &function), ["new.go:6", "old.go:9"]);
}

#[test]
fn deleting_code_in_a_function_makes_its_findings_new_in_line_scope() {
    let repo = scripted_repo();
    let d = repo.path();
    let with_log = "package p\n\nimport \"os\"\n\nfunc Tidy(dir string) {\n\tos.RemoveAll(dir)\n\tn := len(dir)\n\t_ = n\n\tlog(dir)\n}\n\nfunc log(string) {}\n";
    write(d, "tidy.go", with_log);
    commit(d, "tidy logs");
    write(d, "tidy.go", &with_log.replace("\tlog(dir)\n", ""));
    assert_eq!(
        reported(d, &["--new-from-rev", "HEAD"]),
        ["tidy.go:6"],
        "a line deleted three lines below the finding, inside its function"
    );
}

#[test]
fn a_branch_with_no_common_history_is_a_clear_error() {
    let repo = scripted_repo();
    let d = repo.path();
    git(d, &["checkout", "-q", "--orphan", "island"]);
    commit(d, "unrelated");
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args([
            "audit",
            &format!("{}/...", d.display()),
            "--new-from-merge-base",
            "main",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("share no commit"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
