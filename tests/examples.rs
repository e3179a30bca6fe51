//! Each catalogue entry's examples, audited: the `bad` example (what `goaudit rules explain`
//! shows as the mistake) is reported by its rule, and the `good` one (the fix) is not; both are
//! valid Go (no `parse-error`). The
//! examples are fragments, so each is completed into a file: a package clause and imports of the
//! standard and well-known packages it names. An entry's `example-options` (thresholds a readable
//! example cannot reach at their defaults) go into a `goaudit.toml` beside it, and its
//! `example-go` into the `go.mod`.

use goaudit::catalogue::{catalogue, RuleMeta};
use std::process::Command;

/// Package names an example may use, with their import paths.
const IMPORTS: &[(&str, &str)] = &[
    ("bcrypt", "golang.org/x/crypto/bcrypt"),
    ("bufio", "bufio"),
    ("context", "context"),
    ("errors", "errors"),
    ("exec", "os/exec"),
    ("filepath", "path/filepath"),
    ("fmt", "fmt"),
    ("goose", "github.com/pressly/goose/v3"),
    ("hex", "encoding/hex"),
    ("http", "net/http"),
    ("io", "io"),
    ("json", "encoding/json"),
    ("key", "github.com/charmbracelet/bubbles/key"),
    ("log", "log"),
    ("md5", "crypto/md5"),
    ("os", "os"),
    ("sha1", "crypto/sha1"),
    ("slog", "log/slog"),
    ("sql", "database/sql"),
    ("strings", "strings"),
    ("sync", "sync"),
    ("tea", "github.com/charmbracelet/bubbletea"),
    ("time", "time"),
    ("tls", "crypto/tls"),
    ("url", "net/url"),
    ("x509", "crypto/x509"),
];

/// `example` completed into a Go file: a package clause and the imports it uses.
fn completed(example: &str) -> String {
    let mut used_paths: Vec<(&str, &str)> = Vec::new();
    for &(name, path) in IMPORTS {
        let used = example.match_indices(&format!("{name}.")).any(|(at, _)| {
            let before = example[..at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        });
        if used && !example.contains(&format!("{name} :=")) {
            used_paths.push((name, path));
        }
    }
    used_paths.sort_by_key(|&(_, path)| path);
    let mut imports = String::new();
    for (name, path) in used_paths {
        let last = path.rsplit('/').next();
        let alias = if last == Some(name) {
            String::new()
        } else {
            format!("{name} ")
        };
        imports.push_str(&format!("\t{alias}{path:?}\n"));
    }
    if imports.is_empty() {
        format!("package example\n\n{example}")
    } else {
        format!("package example\n\nimport (\n{imports})\n\n{example}")
    }
}

/// How many findings of `meta`'s rule goaudit reports on `example`, alone in a module, with the
/// entry's example settings, and how many parse errors.
fn findings(meta: &RuleMeta, example: &str) -> (usize, usize) {
    let rule = meta.id.as_str();
    let dir = tempfile::tempdir().unwrap();
    let go = meta.example_go.as_deref().unwrap_or("1.24");
    std::fs::write(
        dir.path().join("go.mod"),
        format!("module example.com/example\n\ngo {go}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("example.go"), completed(example)).unwrap();
    if !meta.example_options.is_empty() {
        let mut config = format!("[rules.options.{rule}]\n");
        for (name, value) in &meta.example_options {
            config.push_str(&format!("{name} = {value}\n"));
        }
        std::fs::write(dir.path().join("goaudit.toml"), config).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .current_dir(dir.path())
        .args(["audit", "./...", "--no-cache", "--format", "json", "-q"])
        .args(["--select", &format!("{rule},parse-error")])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{rule}: no JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = report["findings"].as_array().unwrap();
    let count = |id: &str| findings.iter().filter(|f| f["rule"] == id).count();
    (count(rule), count("parse-error"))
}

#[test]
fn every_bad_example_is_reported_and_every_good_one_is_not() {
    let mut wrong = Vec::new();
    for meta in catalogue().rules.iter().filter(|r| !r.engine_made) {
        for (which, example) in [("bad", &meta.bad), ("good", &meta.good)] {
            let (found, parse_errors) = findings(meta, example);
            if parse_errors > 0 {
                wrong.push(format!("{}: the {which} example is not valid Go", meta.id));
            }
            if which == "bad" && found == 0 {
                wrong.push(format!("{}: the bad example is not reported", meta.id));
            }
            if which == "good" && found > 0 {
                wrong.push(format!(
                    "{}: the good example gets {found} finding(s)",
                    meta.id
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "rules/*.toml examples:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn examples_are_completed_with_the_imports_they_use() {
    let file = completed("func f(p string) { os.Remove(filepath.Clean(p)); x.os.Y() }\n");
    assert!(
        file.starts_with("package example\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n)\n"),
        "{file}"
    );
    let file = completed("func f() tea.Cmd { return nil }\n");
    assert!(
        file.contains("\ttea \"github.com/charmbracelet/bubbletea\"\n"),
        "{file}"
    );
}
