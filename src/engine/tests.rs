//! The engine with rules of the tests' own: an injected rule reports, and a panic in each stage
//! of a package's work becomes an `internal-error` finding while the run goes on.

use super::{Engine, Request};
use crate::config::{self, Overrides, RuleSettings, Settings};
use crate::finding::{Finding, Severity};
use crate::outcome::Outcome;
use crate::rules::{Diagnostic, FileContext, Identified, PackageContext, PackageDiagnostic, Rule};
use crate::tree::Node;
use std::path::Path;

/// Reports every function declaration: a rule the registry does not know.
struct Marker;

impl Identified for Marker {
    fn id(&self) -> &'static str {
        "test-marker"
    }
}

impl Rule for Marker {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["function_declaration"]
    }

    fn check_node(&self, node: Node, _: &FileContext, _: &RuleSettings, out: &mut Vec<Diagnostic>) {
        out.push(Diagnostic::at(node, "a function"));
    }
}

/// Panics on the file whose report path ends with `file` (`check_file`), or on every package
/// (`check_package`) when `file` is empty.
struct Panics {
    file: &'static str,
}

impl Identified for Panics {
    fn id(&self) -> &'static str {
        "test-panics"
    }
}

impl Rule for Panics {
    fn check_file(&self, cx: &FileContext, _: &RuleSettings, _: &mut Vec<Diagnostic>) {
        if !self.file.is_empty() && cx.file.rel.ends_with(self.file) {
            panic!("test-panics on {}", cx.file.rel);
        }
    }

    fn check_package(&self, _: &PackageContext, _: &RuleSettings, _: &mut Vec<PackageDiagnostic>) {
        if self.file.is_empty() {
            panic!("test-panics on the package");
        }
    }
}

/// A module of two packages: `p` (a.go, b.go) and `q` (c.go), one function in each file.
fn module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("go.mod", "module example.com/m\n\ngo 1.22\n"),
        ("p/a.go", "package p\n\nfunc A() {}\n"),
        ("p/b.go", "package p\n\nfunc B() {}\n"),
        ("q/c.go", "package q\n\nfunc C() {}\n"),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The settings of `dir` with the tests' rules enabled too.
fn settings(dir: &Path) -> Settings {
    let mut settings = config::resolve(dir, &Overrides::default()).unwrap();
    for id in ["test-marker", "test-panics"] {
        let rule = RuleSettings {
            severity: Severity::Low,
            options: config::RuleOptions::None,
        };
        settings.rules.insert(id.to_string(), rule);
    }
    settings
}

/// Audits `dir` with `engine`.
fn audit(engine: &Engine, dir: &Path) -> Outcome {
    let settings = settings(dir);
    let patterns = [format!("{}/...", dir.display())];
    engine.run(&Request::new(&patterns, &settings)).unwrap()
}

/// The files `rule` reported on.
fn files_of(outcome: &Outcome, rule: &str) -> Vec<String> {
    let of = |f: &Finding| (f.rule == rule).then(|| f.location.file.clone());
    outcome.findings.iter().filter_map(of).collect()
}

/// The one `internal-error` finding of the run.
fn internal_error(outcome: &Outcome) -> &Finding {
    let errors: Vec<&Finding> = (outcome.findings.iter())
        .filter(|f| f.rule == "internal-error")
        .collect();
    assert_eq!(errors.len(), 1, "{:#?}", outcome.findings);
    errors[0]
}

#[test]
fn an_injected_rule_runs_and_its_findings_are_reported() {
    let dir = module();
    let outcome = audit(&Engine::with_rules(&[&Marker]), dir.path());
    assert_eq!(
        files_of(&outcome, "test-marker"),
        ["p/a.go", "p/b.go", "q/c.go"]
    );
    assert_eq!(outcome.summary.rules, ["test-marker"]);
    let found = &outcome.findings[0];
    assert_eq!(
        (found.message.as_str(), found.severity),
        ("a function", Severity::Low)
    );
}

/// Audits the module with `Marker` and a fault at `stage` on `place`.
fn with_fault(stage: &str, place: &str) -> Outcome {
    let dir = module();
    let mut engine = Engine::with_rules(&[&Marker]);
    engine
        .faults
        .at
        .push((stage.to_string(), place.to_string()));
    audit(&engine, dir.path())
}

#[test]
fn a_panic_while_parsing_a_file_is_an_internal_error_on_it() {
    let outcome = with_fault("parse", "p/a.go");
    let crash = internal_error(&outcome);
    assert_eq!(crash.location.file, "p/a.go");
    assert!(
        crash.message.contains("stage parse on this file"),
        "{}",
        crash.message
    );
    assert!(
        crash.message.contains("fault injected"),
        "{}",
        crash.message
    );
    assert_eq!(files_of(&outcome, "test-marker"), ["p/b.go", "q/c.go"]);
}

#[test]
fn a_panic_while_extracting_a_files_facts_is_an_internal_error_on_it() {
    let outcome = with_fault("facts", "p/b.go");
    let crash = internal_error(&outcome);
    assert_eq!(crash.location.file, "p/b.go");
    assert!(
        crash.message.contains("stage facts on this file"),
        "{}",
        crash.message
    );
    assert_eq!(
        files_of(&outcome, "test-marker"),
        ["p/a.go", "p/b.go", "q/c.go"]
    );
}

#[test]
fn a_panic_while_inferring_types_is_an_internal_error_on_the_package() {
    let outcome = with_fault("types", "example.com/m/p");
    let crash = internal_error(&outcome);
    assert_eq!(crash.location.file, "p/a.go");
    assert!(
        crash
            .message
            .contains("stage types on package example.com/m/p"),
        "{}",
        crash.message
    );
    assert_eq!(
        files_of(&outcome, "test-marker"),
        ["p/a.go", "p/b.go", "q/c.go"]
    );
}

#[test]
fn a_rule_panicking_on_a_file_is_an_internal_error_naming_it() {
    let dir = module();
    let outcome = audit(
        &Engine::with_rules(&[&Marker, &Panics { file: "q/c.go" }]),
        dir.path(),
    );
    let crash = internal_error(&outcome);
    assert_eq!(crash.location.file, "q/c.go");
    assert!(
        crash
            .message
            .contains("stage rules:test-panics on this file"),
        "{}",
        crash.message
    );
    assert_eq!(
        files_of(&outcome, "test-marker"),
        ["p/a.go", "p/b.go", "q/c.go"]
    );
}

#[test]
fn a_package_rule_panicking_is_an_internal_error_naming_the_package() {
    let dir = module();
    let outcome = audit(
        &Engine::with_rules(&[&Marker, &Panics { file: "" }]),
        dir.path(),
    );
    let crashes = files_of(&outcome, "internal-error");
    assert_eq!(crashes, ["p/a.go", "q/c.go"]);
    let first = outcome.findings.iter().find(|f| f.rule == "internal-error");
    let message = &first.unwrap().message;
    assert!(
        message.contains("stage rules:test-panics on package example.com/m/p"),
        "{message}"
    );
    assert_eq!(
        files_of(&outcome, "test-marker"),
        ["p/a.go", "p/b.go", "q/c.go"]
    );
}
