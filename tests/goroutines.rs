//! The version-gated goroutine rules stay silent where the language fixed their bug: at and
//! above the Go release named in `go.mod`, and when there is no `go.mod` to say.

use goaudit::config::{self, Overrides};
use goaudit::engine::{self, Request};
use std::path::Path;

fn findings(dir: &Path, rule: &str) -> usize {
    let overrides = Overrides {
        select: Some(vec![rule.to_string()]),
        ..Overrides::default()
    };
    let settings = config::resolve(dir, &overrides).unwrap();
    let patterns = [format!("{}/...", dir.display())];
    let outcome = engine::run(&Request::new(&patterns, &settings)).unwrap();
    outcome.findings.len()
}

/// A copy of the rule's fixture with `go.mod` replaced (or removed).
fn fixture_with(rule: &str, go_mod: Option<&str>) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rule);
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "go") {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    if let Some(m) = go_mod {
        std::fs::write(dir.path().join("go.mod"), m).unwrap();
    }
    dir
}

#[test]
fn version_gated_rules_report_below_their_release_only() {
    for (rule, below, fixed) in [
        ("time-after-in-loop", "go 1.22", "go 1.23"),
        ("loop-var-capture", "go 1.21.5", "go 1.22"),
    ] {
        let old = fixture_with(rule, Some(&format!("module m\n\n{below}\n")));
        assert!(findings(old.path(), rule) > 0, "{rule} silent at {below}");
        let new = fixture_with(rule, Some(&format!("module m\n\n{fixed}\n")));
        assert_eq!(findings(new.path(), rule), 0, "{rule} reports at {fixed}");
        let none = fixture_with(rule, None);
        assert_eq!(
            findings(none.path(), rule),
            0,
            "{rule} reports without go.mod"
        );
    }
}
