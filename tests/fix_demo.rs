//! `--fix --unsafe-fixes` on the demo module: the findings that carry a fix are gone after one
//! run, no finding appears that was not there before, and `go vet` stays as clean as it was.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// (file, rule, function) of every finding, and how many carry a fix.
fn audit(dir: &Path, extra: &[&str]) -> (BTreeSet<(String, String, String)>, usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", "./...", "--format", "json"])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json report");
    let findings = doc["findings"].as_array().unwrap();
    let keys = findings
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["function"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (
        keys,
        findings.iter().filter(|f| !f["fix"].is_null()).count(),
    )
}

fn go_vet_clean(dir: &Path) -> Option<bool> {
    let out = Command::new("go")
        .args(["vet", "./..."])
        .current_dir(dir)
        .output()
        .ok()?;
    Some(out.status.success())
}

#[test]
fn unsafe_fixes_remove_their_findings_and_add_none() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
    copy_tree(&demo, tmp.path());
    let (before, fixable) = audit(tmp.path(), &[]);
    assert!(fixable >= 3, "the demo's leaks carry fixes ({fixable})");
    let vet_before = go_vet_clean(tmp.path());
    let (after, left) = audit(tmp.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(left, 0, "every fix was applied");
    let new: Vec<_> = after.difference(&before).collect();
    assert!(new.is_empty(), "the fixes made new findings: {new:?}");
    assert!(after.len() < before.len(), "fixed findings are gone");
    assert_eq!(
        go_vet_clean(tmp.path()),
        vet_before,
        "go vet is as clean as before"
    );
    let (again, _) = audit(tmp.path(), &[]);
    assert_eq!(
        again, after,
        "a second run finds what the fixing run reported"
    );
}
