//! Reports end to end: every SARIF validates against the official 2.1.0 schema, several outputs
//! from one run, the CI formats, baselines, `--new-from-rev` on a throwaway git repository, and
//! the report snapshots: the Markdown ones (`GOAUDIT_BLESS=1 cargo test` rewrites them) and the
//! insta ones in `tests/snapshots/` — json, sarif, checkstyle, junit and concise of the fixture
//! module, text, Markdown and github of the demo module (`INSTA_UPDATE=always cargo test --test
//! reports`, or `cargo insta review`, rewrites them).

use goaudit::config::{self, Overrides};
use goaudit::engine::{self, Request};
use goaudit::finding::{Category, Finding, Location, Position, Severity, Source};
use goaudit::new_code::{Base, Changes, Scope};
use goaudit::report::{self, Context, Format};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn goaudit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("goaudit runs")
}

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// A module in a temporary folder.
fn module(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("go.mod", "module example.com/m\n\ngo 1.22\n")],
    );
    write(dir.path(), files);
    dir
}

fn all(dir: &Path) -> String {
    format!("{}/...", dir.display())
}

/// Fails with every schema error when `sarif` is not valid SARIF 2.1.0.
fn assert_valid_sarif(sarif: &str) {
    let schema: Value =
        serde_json::from_str(include_str!("schema/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let doc: Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is not valid:\n{}",
        errors.join("\n")
    );
}

const BROKEN: &str = "package p\n\nfunc A() int {\n\tx := 1\n\ty := := 2\n\treturn x\n}\n";
const LONG: &str =
    "//nolint:file-length\npackage p\n\nvar a = 1\nvar b = 2\nvar c = 3\nvar d = 4\n";
const STRICT: &str = "[rules.options.file-length]\nmax-lines = 3\n";

#[test]
fn the_schema_check_catches_invalid_sarif() {
    let schema: Value =
        serde_json::from_str(include_str!("schema/sarif-schema-2.1.0.json")).unwrap();
    let bad = serde_json::json!({ "version": "2.0.0", "runs": [] });
    assert!(!jsonschema::is_valid(&schema, &bad));
}

#[test]
fn sarif_from_the_cli_is_valid_and_marks_suppressed_findings() {
    let dir = module(&[
        ("goaudit.toml", STRICT),
        ("a.go", BROKEN),
        ("long.go", LONG),
    ]);
    let out = goaudit(&[
        "audit",
        &all(dir.path()),
        "--format",
        "sarif",
        "--include-suppressed",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let sarif = String::from_utf8(out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let doc: Value = serde_json::from_str(&sarif).unwrap();
    let run = &doc["runs"][0];
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    let results = run["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{sarif}");
    assert_eq!(suppressed[0]["ruleId"], "file-length");
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rule_ids.contains(&"parse-error") && rule_ids.contains(&"cyclomatic-complexity"));
    for r in results {
        assert_eq!(
            rule_ids[r["ruleIndex"].as_u64().unwrap() as usize],
            r["ruleId"]
        );
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    let without = goaudit(&["audit", &all(dir.path()), "--format", "sarif"]);
    let doc: Value = serde_json::from_slice(&without.stdout).unwrap();
    assert_eq!(
        doc["runs"][0]["results"].as_array().unwrap().len(),
        results.len() - 1
    );
}

#[test]
fn sarif_of_an_empty_run_is_valid() {
    let dir = module(&[("a.go", "package p\n")]);
    let out = goaudit(&["audit", &all(dir.path()), "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0));
    assert_valid_sarif(&String::from_utf8(out.stdout).unwrap());
}

/// Hand-made findings with a fix, related locations and a non-ASCII line, through the library.
fn synthetic() -> Vec<Finding> {
    let line = "\tname := \"héllo 😀\"; f, _ := os.Open(name)";
    let at = |l: usize, c: usize, e: usize| Location {
        file: "internal/ü/open.go".into(),
        start: Position { line: l, column: c },
        end: Position { line: l, column: e },
    };
    let col = line.find("os.Open").unwrap() + 1;
    vec![Finding {
        rule: "unclosed-resource".into(),
        category: Category::Leak,
        severity: Severity::High,
        message: "f is never closed".into(),
        location: at(7, col, line.len() + 1),
        related: vec![goaudit::finding::Related {
            location: at(7, col, col + 7),
            message: "opened here".into(),
        }],
        sources: vec![Source::Builtin],
        snippet: line.into(),
        fix: Some(goaudit::finding::Fix {
            description: "close f".into(),
            applicability: goaudit::finding::Applicability::Unsafe,
            edits: vec![goaudit::finding::Edit {
                start_byte: 300,
                end_byte: 300,
                start: Position { line: 9, column: 1 },
                end: Position { line: 9, column: 1 },
                replacement: "\tdefer f.Close()\n".into(),
            }],
        }),
        function: Some("Open".into()),
        fingerprint: "abc".into(),
        metrics: Default::default(),
    }]
}

#[test]
fn sarif_of_synthetic_findings_is_valid_with_utf16_columns() {
    let findings = synthetic();
    let summary = goaudit::outcome::Summary {
        root: "/tmp/x".into(),
        rules: vec!["parse-error".into()],
        ..Default::default()
    };
    let cx = Context {
        findings: &findings,
        summary: &summary,
        color: false,
        suppressed: &findings,
        exit_code: 1,
    };
    let sarif = report::render(Format::Sarif, &cx).text;
    assert_valid_sarif(&sarif);
    let doc: Value = serde_json::from_str(&sarif).unwrap();
    let region = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    let line = &findings[0].snippet;
    let byte_col = line.find("os.Open").unwrap();
    assert_eq!(
        region["startColumn"],
        line[..byte_col].encode_utf16().count() + 1
    );
    assert_eq!(region["endColumn"], line.encode_utf16().count() + 1);
    let uri = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "internal/%C3%BC/open.go");
    let deleted = &doc["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"]
        [0]["deletedRegion"];
    assert_eq!(
        deleted["byteOffset"], 300,
        "an edit off the snippet's lines is placed by bytes"
    );
}

#[test]
fn several_outputs_from_one_run() {
    let dir = module(&[("goaudit.toml", STRICT), ("a.go", BROKEN)]);
    let out_dir = tempfile::tempdir().unwrap();
    let sarif = out_dir.path().join("audit.sarif");
    let json = out_dir.path().join("audit.json");
    let md = out_dir.path().join("AUDIT_REPORT.md");
    let out = goaudit(&[
        "audit",
        &all(dir.path()),
        "--output",
        "concise",
        "--output",
        &format!("sarif:{}", sarif.display()),
        "--output",
        &format!("json:{}", json.display()),
        "--report",
        md.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("a.go:1:1: low file-length") && stdout.lines().count() == 2,
        "only the concise report on stdout: {stdout}"
    );
    assert_valid_sarif(&std::fs::read_to_string(&sarif).unwrap());
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["version"], 1);
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .starts_with("# Audit report: `"));
}

#[test]
fn bad_output_spec_is_a_usage_error() {
    let out = goaudit(&["audit", ".", "--output", "yaml:x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`yaml` is not a format"));
}

#[test]
fn ci_formats_name_files_from_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let svc = repo.path().join("svc");
    write(&svc, &[("go.mod", "module m\n"), ("a.go", BROKEN)]);
    let gh = goaudit(&["audit", &all(&svc), "--format", "github"]);
    let text = String::from_utf8(gh.stdout).unwrap();
    assert!(text.starts_with("::error file=svc/a.go,line=5,"), "{text}");
    let cs = String::from_utf8(goaudit(&["audit", &all(&svc), "--format", "checkstyle"]).stdout)
        .unwrap();
    assert!(
        cs.contains("<file name=\"svc/a.go\">") && cs.contains("source=\"goaudit.parse-error\""),
        "{cs}"
    );
    let ju =
        String::from_utf8(goaudit(&["audit", &all(&svc), "--format", "junit"]).stdout).unwrap();
    assert!(
        ju.contains("<failure ") && ju.contains("testsuite name=\"svc/a.go\""),
        "{ju}"
    );
}

#[test]
fn baseline_hides_known_findings_moved_code_stays_hidden_changed_code_reappears() {
    let dir = module(&[
        ("a.go", BROKEN),
        ("b.go", "package p\n\nfunc B() {\n\tz := := 3\n}\n"),
    ]);
    let baseline = dir.path().join(".goaudit-baseline.json");
    let out = goaudit(&[
        "baseline",
        &all(dir.path()),
        "-o",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["findings"].as_array().unwrap().len(), 2);
    let audit = || {
        goaudit(&[
            "audit",
            &all(dir.path()),
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "concise",
        ])
    };
    let out = audit();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Moved: lines inserted above the broken line; the finding stays hidden.
    write(dir.path(), &[("a.go", "package p\n\n// A is documented now.\n// It moved down two lines.\nfunc A() int {\n\tx := 1\n\ty := := 2\n\treturn x\n}\n")]);
    let out = audit();
    assert_eq!(
        out.status.code(),
        Some(0),
        "moved code reappeared: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Changed: the broken line itself changes; the finding reappears.
    write(
        dir.path(),
        &[("b.go", "package p\n\nfunc B() {\n\tz := := 4\n}\n")],
    );
    let out = audit();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("b.go:4:") && stdout.lines().count() == 1,
        "{stdout}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
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

/// A throwaway repository: `a.go` (a broken function A, a clean C), `c.go` broken and untouched.
fn repo() -> tempfile::TempDir {
    let dir = module(&[
        ("a.go", "package p\n\nfunc A() int {\n\tx := 1\n\ty := := 2\n\treturn x\n}\n\nfunc C() int {\n\treturn 3\n}\n"),
        ("c.go", "package p\n\nfunc D() {\n\tw := := 1\n}\n"),
    ]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "start"]);
    dir
}

#[test]
fn new_from_rev_keeps_findings_in_changed_functions_and_new_files() {
    let dir = repo();
    // A line of A changes, but not the broken one: under `--new-code function` the finding in
    // A counts as new; under the default, `line`, it does not.
    write(dir.path(), &[
        ("a.go", "package p\n\nfunc A() int {\n\tx := 10\n\ty := := 2\n\treturn x\n}\n\nfunc C() int {\n\treturn 3\n}\n"),
        ("d.go", "package p\n\nfunc E() {\n\tv := := 1\n}\n"),
    ]);
    let files_reported = |scope: &str| {
        let out = goaudit(&[
            "audit",
            &all(dir.path()),
            "--new-from-rev",
            "HEAD",
            "--new-code",
            scope,
            "--format",
            "concise",
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let files: Vec<String> = stdout
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        files
    };
    assert_eq!(files_reported("function"), ["a.go", "d.go"]);
    assert_eq!(files_reported("line"), ["d.go"]);
    let clean = goaudit(&[
        "audit",
        &all(dir.path()),
        "--new-from-rev",
        "HEAD~0",
        "--select",
        "file-length",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    let bad = goaudit(&["audit", &all(dir.path()), "--new-from-rev", "no-such-rev"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown revision"));
}

#[test]
fn new_from_rev_matches_by_enclosing_function_name() {
    let dir = repo();
    // Delete a line of C (a `Close()` removed, say): findings reported anywhere in C are new.
    write(dir.path(), &[("a.go", "package p\n\nfunc A() int {\n\tx := 1\n\ty := := 2\n\treturn x\n}\n\nfunc C() int {\n}\n")]);
    let changes = Changes::since(dir.path(), &Base::Rev("HEAD".into()), Scope::Line).unwrap();
    let finding = |line: usize, function: Option<&str>| Finding {
        rule: "r".into(),
        category: Category::Leak,
        severity: Severity::High,
        message: "m".into(),
        location: Location {
            file: "a.go".into(),
            start: Position { line, column: 1 },
            end: Position { line, column: 2 },
        },
        related: Vec::new(),
        sources: vec![Source::Builtin],
        snippet: String::new(),
        fix: None,
        function: function.map(str::to_string),
        fingerprint: String::new(),
        metrics: Default::default(),
    };
    let mut findings = vec![
        finding(9, Some("C")),
        finding(3, Some("A")),
        finding(3, Some("C")),
        finding(9, None),
    ];
    let hidden = changes.filter(dir.path(), &mut findings);
    assert_eq!(hidden, 1, "only the finding in A is old");
    assert_eq!(
        findings
            .iter()
            .map(|f| f.function.as_deref())
            .collect::<Vec<_>>(),
        [Some("C"), Some("C"), None]
    );
}

/// Compares `actual` with the checked-in snapshot, or rewrites it under `GOAUDIT_BLESS=1`.
fn check_snapshot(path: &Path, actual: &str) {
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

/// The Markdown report of a module, with the run's duration (the one varying figure) fixed.
fn markdown_of(dir: &Path) -> String {
    let settings = config::resolve(dir, &Overrides::default()).unwrap();
    let mut outcome = engine::run(&Request::new(&[all(dir)], &settings)).unwrap();
    outcome.summary.duration_ms = 0.0;
    let cx = Context {
        findings: &outcome.findings,
        summary: &outcome.summary,
        color: false,
        suppressed: &[],
        exit_code: 1,
    };
    report::render(Format::Markdown, &cx).text
}

#[test]
fn markdown_report_of_the_fixture_module_matches_its_snapshot() {
    let dir = testdata("report");
    check_snapshot(&dir.join("AUDIT_REPORT.md"), &markdown_of(&dir));
}

#[test]
fn demo_audit_report_is_current() {
    let dir = testdata("demo");
    assert!(dir.join("go.mod").is_file(), "testdata/demo is missing");
    check_snapshot(&dir.join("AUDIT_REPORT.md"), &markdown_of(&dir));
}

/// The report of the fixture module (`testdata/report`, the Markdown snapshot's input) in
/// `format`, with what varies between machines and runs fixed: the root (a made-up absolute
/// path), the duration, the timings, the run identity and goaudit's version.
fn normalised_report(format: Format) -> String {
    let dir = testdata("report");
    let settings = config::resolve(&dir, &Overrides::default()).unwrap();
    let mut outcome = engine::run(&Request::new(&[all(&dir)], &settings)).unwrap();
    let summary = &mut outcome.summary;
    summary.root = "/checkout/testdata/report".to_string();
    summary.duration_ms = 0.0;
    summary.timings = Default::default();
    summary.identity = None;
    let cx = Context {
        findings: &outcome.findings,
        summary: &outcome.summary,
        color: false,
        suppressed: &outcome.suppressed,
        exit_code: 1,
    };
    let text = report::render(format, &cx).text;
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn json_report_of_the_fixture_module_matches_its_snapshot() {
    insta::assert_snapshot!("report_json", normalised_report(Format::Json));
}

#[test]
fn sarif_report_of_the_fixture_module_matches_its_snapshot() {
    insta::assert_snapshot!("report_sarif", normalised_report(Format::Sarif));
}

#[test]
fn checkstyle_report_of_the_fixture_module_matches_its_snapshot() {
    insta::assert_snapshot!("report_checkstyle", normalised_report(Format::Checkstyle));
}

#[test]
fn junit_report_of_the_fixture_module_matches_its_snapshot() {
    insta::assert_snapshot!("report_junit", normalised_report(Format::Junit));
}

#[test]
fn concise_report_of_the_fixture_module_matches_its_snapshot() {
    insta::assert_snapshot!("report_concise", normalised_report(Format::Concise));
}

/// The audit of `testdata/demo` (`./...`) with the run's duration fixed, and the report of it
/// in `format`.
fn demo_report(format: Format) -> (goaudit::outcome::Outcome, String) {
    let dir = testdata("demo");
    let settings = config::resolve(&dir, &Overrides::default()).unwrap();
    let mut outcome = engine::run(&Request::new(&[all(&dir)], &settings)).unwrap();
    outcome.summary.duration_ms = 0.0;
    let cx = Context {
        findings: &outcome.findings,
        summary: &outcome.summary,
        color: false,
        suppressed: &[],
        exit_code: 1,
    };
    let text = report::render(format, &cx).text;
    (
        outcome,
        text.replace(env!("CARGO_PKG_VERSION"), "[version]"),
    )
}

#[test]
fn text_report_of_the_demo_ends_with_counts_by_rule_and_fixes() {
    let (_, text) = demo_report(Format::Text);
    insta::assert_snapshot!("demo_text", text);
}

#[test]
fn markdown_report_of_the_demo_matches_its_snapshot() {
    let (_, text) = demo_report(Format::Markdown);
    insta::assert_snapshot!("demo_markdown", text);
}

/// A reviewer reads the Markdown from the top: at least 20 of the first 25 places it names (a
/// file and line, in reading order, each counted once) are those of a critical or high finding
/// or of its related locations, not of complexity or style.
#[test]
fn the_demo_markdown_leads_with_critical_and_high_findings() {
    let (outcome, text) = demo_report(Format::Markdown);
    let urgent: std::collections::BTreeSet<String> = outcome
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::High)
        .flat_map(|f| std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location)))
        .map(|l| format!("{}:{}", l.file, l.start.line))
        .collect();
    let place = regex::Regex::new(r"[\w./-]+\.go:\d+").unwrap();
    let mut seen: Vec<String> = Vec::new();
    for m in place.find_iter(&text) {
        if !seen.iter().any(|s| s == m.as_str()) {
            seen.push(m.as_str().to_string());
        }
    }
    let first: Vec<&String> = seen.iter().take(25).collect();
    assert_eq!(first.len(), 25, "the demo report names 25 places");
    let worth = first.iter().filter(|p| urgent.contains(p.as_str())).count();
    assert!(
        worth >= 20,
        "only {worth} of the first 25 places are of critical or high findings: {first:?}"
    );
}

/// `--format github` on the demo in a GitHub Actions step: 19 critical and high findings are
/// more errors than GitHub annotates, so the rest are listed and the job summary, appended to
/// what an earlier step wrote, holds every finding.
#[test]
fn github_report_of_the_demo_overflows_into_the_job_summary() {
    let dir = testdata("demo");
    let summary = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(summary.path(), "## an earlier step\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", "./...", "--no-cache", "--format", "github"])
        .current_dir(&dir)
        .env("GITHUB_STEP_SUMMARY", summary.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("demo_github", text);
    let written = std::fs::read_to_string(summary.path()).unwrap();
    assert!(
        written.starts_with("## an earlier step\n\n## goaudit: 28 findings"),
        "{written}"
    );
    let (outcome, _) = demo_report(Format::Json);
    for f in &outcome.findings {
        let at = format!("{}:{}", f.location.file, f.location.start.line);
        assert!(written.contains(&at), "{at} is not in the job summary");
    }
}
