//! `goaudit config import` on real golangci-lint configs: each folder of
//! `testdata/golangci-import/` holds a module's `.golangci.yml` (its first line names the
//! module@version), the `goaudit.toml` expected from it and `unmapped.txt`, the expected list of
//! what is not imported (`GOAUDIT_BLESS=1 cargo test --test golangci_import` rewrites both).
//! Every expected `goaudit.toml` must load with goaudit's own config loader. The command itself
//! is checked end to end: where it writes, refusing to overwrite, `-o -`.

use goaudit::config::golangci;
use std::path::{Path, PathBuf};
use std::process::Command;

fn goldens() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golangci-import");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `github.com/x/y@v1.2.3/.golangci.yml`, from the input's first line.
fn origin(input: &str) -> String {
    let first = input.lines().next().unwrap_or_default();
    let origin = first
        .strip_prefix("# ")
        .and_then(|l| l.split(", copied").next())
        .unwrap_or_else(|| panic!("the first line must name the module: {first}"));
    assert!(origin.contains('@'), "no module@version in {first}");
    origin.to_string()
}

/// Compares `actual` with the checked-in file, or rewrites it under `GOAUDIT_BLESS=1`.
fn check_golden(path: &Path, actual: &str) {
    if std::env::var_os("GOAUDIT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let diff = goaudit::fix::unified_diff(&path.display().to_string(), &expected, actual);
        panic!(
            "{} is out of date; rerun with GOAUDIT_BLESS=1 to accept:\n{diff}",
            path.display()
        );
    }
}

#[test]
fn real_configs_import_as_their_goldens() {
    let dirs = goldens();
    assert!(
        dirs.len() >= 3,
        "expected three golden modules, found {dirs:?}"
    );
    for dir in dirs {
        let input = std::fs::read_to_string(dir.join(".golangci.yml")).unwrap();
        let origin = origin(&input);
        let doc = golangci::parse(&input, ".golangci.yml").unwrap();
        let imported = golangci::import(&doc, &origin);
        golangci::check_loads(&imported.toml).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        check_golden(&dir.join("goaudit.toml"), &imported.toml);
        let mut unmapped = format!("# Not imported from {origin} by `goaudit config import`.\n");
        for u in &imported.unmapped {
            unmapped.push_str(&format!("{u}\n"));
        }
        check_golden(&dir.join("unmapped.txt"), &unmapped);
    }
}

fn goaudit(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_command_writes_beside_the_file_and_never_overwrites_unasked() {
    let tmp = tempfile::tempdir().unwrap();
    let yml = "run:\n  tests: false\n  timeout: 5m\n";
    std::fs::write(tmp.path().join(".golangci.yml"), yml).unwrap();

    let out = goaudit(tmp.path(), &["config", "import"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written = std::fs::read_to_string(tmp.path().join("goaudit.toml")).unwrap();
    assert!(
        written.starts_with("# Imported from .golangci.yml"),
        "{written}"
    );
    assert!(written.contains("tests = false"), "{written}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("goaudit: not imported: run.timeout: no goaudit counterpart"),
        "{stderr}"
    );

    let again = goaudit(tmp.path(), &["config", "import", ".golangci.yml"]);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("--force") && stderr.lines().count() == 1,
        "{stderr}"
    );

    let forced = goaudit(tmp.path(), &["config", "import", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{forced:?}");

    let stdout = goaudit(tmp.path(), &["config", "import", "-o", "-"]);
    assert_eq!(stdout.status.code(), Some(0), "{stdout:?}");
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), written);
}

#[test]
fn a_missing_or_broken_config_is_a_one_line_error_exiting_2() {
    let tmp = tempfile::tempdir().unwrap();
    let none = goaudit(tmp.path(), &["config", "import"]);
    assert_eq!(none.status.code(), Some(2), "{none:?}");
    assert!(String::from_utf8_lossy(&none.stderr).contains(".golangci.yml"));
    std::fs::write(tmp.path().join(".golangci.yaml"), "run: [\n").unwrap();
    let broken = goaudit(tmp.path(), &["config", "import"]);
    assert_eq!(broken.status.code(), Some(2), "{broken:?}");
    assert_eq!(String::from_utf8_lossy(&broken.stderr).lines().count(), 1);
}
