//! The result cache (`--cache-dir`, `--no-cache`): a second run reuses every package; an edit
//! redoes the edited package and, when its signatures changed, what imports it; new options redo
//! everything; a corrupt entry is a miss; results never differ from an audit without the cache.

use std::fs;
use std::path::Path;
use std::process::Command;

const LIB: &str = r#"package lib

import "os"

// Open opens a file.
func Open(name string) (*os.File, error) {
	return os.Open(name)
}
"#;

const APP: &str = r#"package app

import (
	"example.com/m/lib"
	"os"
)

func Use() {
	f, _ := lib.Open("x")
	defer f.Close()
	os.Remove("y")
}
"#;

const SOLO: &str = r#"package solo

import "os"

func Solo() {
	os.Remove("z")
}
"#;

fn module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("go.mod", "module example.com/m\n\ngo 1.22\n"),
        ("lib/lib.go", LIB),
        ("app/app.go", APP),
        ("solo/solo.go", SOLO),
    ];
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// One cached audit: the findings (rule, file, line, message), and how many packages were
/// reused and audited.
struct Run {
    findings: Vec<String>,
    reused: usize,
    audited: usize,
}

fn audit(module: &Path, cache: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .current_dir(module)
        .args(["audit", "./...", "-q", "--format", "json", "--timings"])
        .arg("--cache-dir")
        .arg(cache)
        .args(extra)
        .output()
        .expect("goaudit runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().unwrap_or(3) <= 1, "{stderr}");
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timings: result cache: "))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    Run {
        findings: findings(&out.stdout),
        reused: numbers[0],
        audited: numbers[1],
    }
}

fn findings(json: &[u8]) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(json).unwrap();
    let mut out: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["rule"], f["location"], f["message"]))
        .collect();
    out.sort();
    out
}

fn uncached(module: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .current_dir(module)
        .args(["audit", "./...", "-q", "--format", "json", "--no-cache"])
        .output()
        .expect("goaudit runs");
    findings(&out.stdout)
}

fn edit(module: &Path, file: &str, from: &str, to: &str) {
    let path = module.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has {from}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

fn entries(cache: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(cache)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn a_second_run_reuses_every_package_with_the_same_findings() {
    let m = module();
    let cache = tempfile::tempdir().unwrap();
    let cold = audit(m.path(), cache.path(), &[]);
    assert_eq!((cold.reused, cold.audited), (0, 3));
    assert!(!cold.findings.is_empty());
    let warm = audit(m.path(), cache.path(), &[]);
    assert_eq!((warm.reused, warm.audited), (3, 0));
    assert_eq!(warm.findings, cold.findings);
    assert_eq!(warm.findings, uncached(m.path()));
}

#[test]
fn an_edited_body_redoes_its_package_only() {
    let m = module();
    let cache = tempfile::tempdir().unwrap();
    audit(m.path(), cache.path(), &[]);
    edit(
        m.path(),
        "lib/lib.go",
        "return os.Open(name)",
        "f, err := os.Open(name)\n\treturn f, err",
    );
    let run = audit(m.path(), cache.path(), &[]);
    assert_eq!(
        (run.reused, run.audited),
        (2, 1),
        "lib redone, app and solo reused"
    );
    edit(
        m.path(),
        "solo/solo.go",
        "os.Remove(\"z\")",
        "_ = os.Remove(\"z\")",
    );
    let run = audit(m.path(), cache.path(), &[]);
    assert_eq!((run.reused, run.audited), (2, 1));
    assert_eq!(run.findings, uncached(m.path()));
    assert!(!run.findings.iter().any(|f| f.contains("solo.go")));
}

#[test]
fn a_changed_signature_redoes_the_importers() {
    let m = module();
    let cache = tempfile::tempdir().unwrap();
    let before = audit(m.path(), cache.path(), &[]);
    assert!(before.findings.iter().any(|f| f.contains("app.go")));
    // Open no longer returns an error: app's `f, _ :=` discards nothing any more.
    edit(
        m.path(),
        "lib/lib.go",
        "(*os.File, error) {\n\treturn os.Open(name)",
        "(*os.File, int) {\n\tf, _ := os.Open(name)\n\treturn f, 0",
    );
    let after = audit(m.path(), cache.path(), &[]);
    assert_eq!(
        (after.reused, after.audited),
        (1, 2),
        "lib and app redone, solo reused"
    );
    assert_eq!(after.findings, uncached(m.path()));
    assert_ne!(after.findings, before.findings);
}

#[test]
fn other_options_redo_everything() {
    let m = module();
    let cache = tempfile::tempdir().unwrap();
    audit(m.path(), cache.path(), &[]);
    let run = audit(m.path(), cache.path(), &["--ignore", "ignored-error"]);
    assert_eq!((run.reused, run.audited), (0, 3));
    fs::write(
        m.path().join("goaudit.toml"),
        "[rules.options.function-length]\nmax-lines = 3\n",
    )
    .unwrap();
    let run = audit(m.path(), cache.path(), &[]);
    assert_eq!((run.reused, run.audited), (0, 3));
    assert!(run.findings.iter().any(|f| f.contains("function-length")));
}

/// `unused-nolint` judges comments by what they silenced, which a cached package keeps: a warm
/// run reports the same unknown and unused names as a cold one.
#[test]
fn unused_nolint_answers_the_same_on_a_warm_cache() {
    let m = module();
    edit(
        m.path(),
        "solo/solo.go",
        "\tos.Remove(\"z\")\n",
        "\tos.Remove(\"z\") //nolint:errcheck // used\n\tos.Getpid() //nolint:errcheck // unused\n\tos.Remove(\"w\") //nolint:errchek\n",
    );
    let cache = tempfile::tempdir().unwrap();
    let select = ["--extend-select", "unused-nolint"];
    let cold = audit(m.path(), cache.path(), &select);
    let warm = audit(m.path(), cache.path(), &select);
    assert_eq!((warm.reused, warm.audited), (3, 0));
    assert_eq!(warm.findings, cold.findings);
    let unused: Vec<&String> = cold
        .findings
        .iter()
        .filter(|f| f.contains("unused-nolint"))
        .collect();
    assert_eq!(unused.len(), 2, "{:?}", cold.findings);
    assert!(unused.iter().any(|f| f.contains("silences nothing")));
    assert!(unused
        .iter()
        .any(|f| f.contains("did you mean `errcheck`?")));
}

#[test]
fn a_corrupt_entry_is_ignored() {
    let m = module();
    let cache = tempfile::tempdir().unwrap();
    let cold = audit(m.path(), cache.path(), &[]);
    let stored = entries(cache.path());
    assert_eq!(stored.len(), 3, "{stored:?}");
    for (i, path) in stored.iter().enumerate() {
        let mut data = fs::read(path).unwrap();
        match i {
            0 => data.truncate(data.len() / 2),
            1 => {
                let last = data.len() - 3;
                data[last] ^= 0x20;
            }
            _ => data = b"garbage".to_vec(),
        }
        fs::write(path, data).unwrap();
    }
    let run = audit(m.path(), cache.path(), &[]);
    assert_eq!((run.reused, run.audited), (0, 3));
    assert_eq!(run.findings, cold.findings);
    let again = audit(m.path(), cache.path(), &[]);
    assert_eq!((again.reused, again.audited), (3, 0), "rewritten whole");
}

#[test]
fn no_cache_keeps_nothing() {
    let m = module();
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .current_dir(m.path())
        .env("XDG_CACHE_HOME", home.path())
        .args(["audit", "./...", "-q", "--no-cache"])
        .output()
        .unwrap();
    assert!(out.status.code().unwrap_or(3) <= 1);
    assert!(entries(home.path()).is_empty());
    Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .current_dir(m.path())
        .env("XDG_CACHE_HOME", home.path())
        .args(["audit", "./...", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        entries(&home.path().join("goaudit")).len(),
        3,
        "the default folder"
    );
}

/// A shard stores the facts of the packages its share imports as facts-only entries, so the
/// same shard run again on a restored cache (as a CI job restores it) parses nothing.
#[test]
fn a_shard_reuses_the_facts_of_what_its_share_imports() {
    let m = module();
    let found = goaudit::discover::discover(
        &[format!("{}/...", m.path().display())],
        &goaudit::discover::Options {
            tests: true,
            exclude: &globset::GlobSet::empty(),
            overlay: None,
        },
    )
    .unwrap();
    let (index, count) = (2..=8)
        .find_map(|n| {
            let split = goaudit::shard::split(&found, n);
            let of = |path: &str| {
                let i = found.packages.iter().position(|p| p.import_path == path);
                split[i.unwrap()]
            };
            (of("example.com/m/app") != of("example.com/m/lib"))
                .then(|| (of("example.com/m/app"), n))
        })
        .expect("some shard owns app but not lib");
    let shard = format!("{index}/{count}");
    let cache = tempfile::tempdir().unwrap();
    let cold = audit(m.path(), cache.path(), &["--shard", &shard]);
    assert_eq!(cold.reused, 0);
    assert!(cold.audited >= 2, "app reported, lib read for its facts");
    let warm = audit(m.path(), cache.path(), &["--shard", &shard]);
    assert_eq!((warm.reused, warm.audited), (cold.audited, 0));
    assert_eq!(warm.findings, cold.findings);
    // A full run reuses the shard's report but must audit lib, whose entry holds facts only.
    let full = audit(m.path(), cache.path(), &[]);
    assert!(full.audited >= 1);
    assert_eq!(full.findings, uncached(m.path()));
}
