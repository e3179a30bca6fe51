//! The external tools: each adapter's parser on real captured output, then the whole path through
//! the binary with the real `go vet`, staticcheck and govulncheck (installed pinned into
//! `target/tools` by `scripts/install-tools.sh` when missing), a fake tool that hangs, a missing
//! tool, a package that does not compile, and an offline vulnerability database written here.

use goaudit::external::process::Output;
use goaudit::external::{
    govet, govulncheck, staticcheck, GOVULNCHECK_VERSION, STATICCHECK_VERSION,
};
use goaudit::finding::{Position, Source};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    repo().join("testdata/external")
}

fn captured(name: &str, root: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture().join("captured").join(name)).unwrap();
    text.replace("$ROOT", &root.display().to_string())
        .into_bytes()
}

/// The pinned tools' folder, installed once per test run (the Go module proxy on a fresh machine).
fn tools() -> &'static Path {
    static TOOLS: OnceLock<PathBuf> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let status = Command::new(repo().join("scripts/install-tools.sh"))
            .status()
            .expect("scripts/install-tools.sh runs (it needs the go command)");
        assert!(status.success(), "scripts/install-tools.sh failed");
        repo().join("target/tools")
    })
}

/// PATH with these folders first, then the pinned tools, then the inherited PATH (for `go`).
fn path_with(first: &[&Path]) -> String {
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let dirs = first
        .iter()
        .map(|p| p.to_path_buf())
        .chain([tools().to_path_buf()])
        .chain(std::env::split_paths(&inherited));
    std::env::join_paths(dirs).unwrap().into_string().unwrap()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", self.stdout, self.stderr))
    }
}

fn goaudit(args: &[&str], path: &str) -> Run {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .env("PATH", path)
        .env("GOPROXY", "off")
        .env_remove("GOAUDIT_STATICCHECK")
        .env_remove("GOAUDIT_GO")
        .env_remove("GOAUDIT_GOVULNCHECK")
        .output()
        .expect("goaudit runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
        took: t.elapsed(),
    }
}

fn all(dir: &Path) -> String {
    format!("{}/...", dir.display())
}

/// `(rule, file, line)` of every finding, and the finding itself by rule and line.
fn found(doc: &Value) -> Vec<(String, String, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn finding<'a>(doc: &'a Value, rule: &str, line: u64) -> &'a Value {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["location"]["start"]["line"] == line)
        .unwrap_or_else(|| panic!("no {rule} on line {line} in {:#?}", found(doc)))
}

fn sources(f: &Value) -> Vec<&str> {
    f["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect()
}

// ---- parsers on captured output -------------------------------------------------------------

#[test]
fn go_vet_parser_reads_captured_output() {
    let root = Path::new("/m");
    let out = Output {
        code: Some(1),
        stdout: captured("govet.stdout", root),
        stderr: captured("govet.stderr", root),
    };
    let parsed = govet::parse(&out, root);
    assert!(parsed.unrecognised.is_empty(), "{:?}", parsed.unrecognised);
    let got: Vec<(String, String, Position)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.rule.clone(), d.path.display().to_string(), d.start))
        .collect();
    let at = |line, column| Position { line, column };
    assert_eq!(
        got,
        [
            ("govet/lostcancel".into(), "/m/ctx/ctx.go".into(), at(11, 7)),
            (
                "govet/printf".into(),
                "/m/printf/printf.go".into(),
                at(8, 20)
            ),
            (
                "govet/printf".into(),
                "/m/printf/printf.go".into(),
                at(13, 18)
            ),
            (
                "govet/compile".into(),
                "/m/broken/broken.go".into(),
                at(6, 9)
            ),
        ]
    );
    assert!(parsed.diagnostics[3]
        .message
        .starts_with("cannot use \"three\""));
    assert_eq!(parsed.diagnostics[1].end, Some(at(8, 22)));
    assert!(parsed.diagnostics.iter().all(|d| d.source == Source::GoVet));
}

#[test]
fn staticcheck_parser_reads_captured_output() {
    let root = Path::new("/m");
    let out = Output {
        code: Some(1),
        stdout: captured("staticcheck.jsonl", root),
        stderr: Vec::new(),
    };
    let parsed = staticcheck::parse(&out, root);
    assert!(parsed.unrecognised.is_empty(), "{:?}", parsed.unrecognised);
    let got: Vec<(&str, String, usize)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.path.display().to_string(), d.start.line))
        .collect();
    assert_eq!(
        got,
        [
            ("staticcheck/compile", "/m/broken/broken.go".into(), 6),
            ("staticcheck/SA5009", "/m/printf/printf.go".into(), 8),
            ("staticcheck/SA5009", "/m/printf/printf.go".into(), 13),
            ("staticcheck/SA4006", "/m/unused/unused.go".into(), 8),
            ("staticcheck/SA4000", "/m/unused/unused.go".into(), 18),
        ]
    );
    let sa4006 = &parsed.diagnostics[3];
    assert_eq!(sa4006.message, "this value of n is never used");
    assert_eq!(sa4006.end.map(|e| e.column), Some(27));
}

#[test]
fn govulncheck_parser_reads_captured_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/vuln\n\ngo 1.22\n",
    )
    .unwrap();
    let out = Output {
        code: Some(0),
        stdout: captured("govulncheck.json", dir.path()),
        stderr: Vec::new(),
    };
    let parsed = govulncheck::parse(&out, dir.path());
    assert!(parsed.unrecognised.is_empty(), "{:?}", parsed.unrecognised);
    assert_eq!(parsed.diagnostics.len(), 2, "{:#?}", parsed.diagnostics);
    let called = &parsed.diagnostics[0];
    assert_eq!(called.rule, "govulncheck/GO-2099-0001");
    assert_eq!(called.path, dir.path().join("main.go"));
    assert_eq!(
        called.start,
        Position {
            line: 13,
            column: 24
        }
    );
    assert!(
        called.message.contains("strconv.Atoi is called"),
        "{}",
        called.message
    );
    assert_eq!(called.severity, goaudit::finding::Severity::High);
    let imported = &parsed.diagnostics[1];
    assert_eq!(imported.rule, "govulncheck/GO-2099-0002");
    assert_eq!(imported.path, dir.path().join("go.mod"));
    assert_eq!(
        imported.start.line, 3,
        "the `go` line, for the standard library"
    );
    assert_eq!(imported.severity, goaudit::finding::Severity::Low);
    assert_eq!(imported.category, goaudit::finding::Category::Security);
}

#[test]
fn pinned_versions_match_the_install_script() {
    let script = std::fs::read_to_string(repo().join("scripts/install-tools.sh")).unwrap();
    assert!(script.contains(&format!("STATICCHECK_VERSION={STATICCHECK_VERSION}")));
    assert!(script.contains(&format!("GOVULNCHECK_VERSION={GOVULNCHECK_VERSION}")));
}

// ---- the real tools through the binary ------------------------------------------------------

#[test]
fn real_go_vet_and_staticcheck_merge_with_the_built_in_findings() {
    let run = goaudit(
        &[
            "audit",
            &all(&fixture()),
            "--go-vet",
            "--staticcheck",
            "--format",
            "json",
            "--timings",
            "--strict",
        ],
        &path_with(&[]),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let doc = run.json();
    let printf = finding(&doc, "govet/printf", 8);
    assert_eq!(printf["location"]["file"], "printf/printf.go");
    assert_eq!(
        sources(printf),
        ["govet", "staticcheck"],
        "vet's printf and SA5009 fold into one"
    );
    assert_eq!(printf["snippet"], "\tfmt.Printf(\"hello %d\\n\", name)");
    let broken = finding(&doc, "govet/compile", 6);
    assert_eq!(broken["location"]["file"], "broken/broken.go");
    assert_eq!(sources(broken), ["govet", "staticcheck"]);
    // goaudit's unclosed-resource and vet's lostcancel report the same discarded cancel function.
    let cancel = finding(&doc, "unclosed-resource", 11);
    assert_eq!(sources(cancel), ["builtin", "govet"]);
    assert_eq!(cancel["location"]["file"], "ctx/ctx.go");
    assert_eq!(
        finding(&doc, "staticcheck/SA4006", 8)["location"]["file"],
        "unused/unused.go"
    );
    assert_eq!(
        finding(&doc, "staticcheck/SA4000", 18)["severity"],
        "medium"
    );
    let builtin = finding(&doc, "cyclomatic-complexity", 4);
    assert_eq!(
        sources(builtin),
        ["builtin"],
        "the built-in finding is kept beside the tools'"
    );
    // `//nolint:govet` on line 13 silences vet's report there, not staticcheck's SA5009.
    assert!(!found(&doc)
        .iter()
        .any(|(r, _, l)| r == "govet/printf" && *l == 13));
    assert_eq!(
        finding(&doc, "staticcheck/SA5009", 13)["location"]["file"],
        "printf/printf.go"
    );
    assert!(doc["summary"]["suppressed"].as_u64().unwrap() >= 1);
    assert_eq!(found(&doc).len(), 7, "{:#?}", found(&doc));
    let tools = doc["summary"]["tools"].as_array().unwrap();
    assert_eq!(
        tools
            .iter()
            .map(|t| (t["name"].as_str().unwrap(), t["status"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        [("go vet", "ok"), ("staticcheck", "ok")]
    );
    assert!(run.stderr.contains("timings: tools"), "{}", run.stderr);
    assert!(
        run.stderr.contains("go vet ") && run.stderr.contains("staticcheck "),
        "{}",
        run.stderr
    );
}

#[test]
fn sarif_lists_the_tools_checks_with_their_own_descriptions() {
    let run = goaudit(
        &[
            "audit",
            &all(&fixture()),
            "--go-vet",
            "--staticcheck",
            "--format",
            "sarif",
        ],
        &path_with(&[]),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let doc = run.json();
    let sarif = &doc["runs"][0];
    let rules = sarif["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no rule {id} in {rules:#?}"))
    };
    assert!(rule("govet/printf")["shortDescription"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Check consistency of Printf"));
    assert_eq!(
        rule("staticcheck/SA4006")["helpUri"],
        "https://staticcheck.dev/docs/checks/#SA4006"
    );
    let results = sarif["results"].as_array().unwrap();
    let sa4006 = results
        .iter()
        .find(|r| r["ruleId"] == "staticcheck/SA4006")
        .expect("SA4006 is a result");
    let loc = &sa4006["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("unused/unused.go"));
    assert_eq!(loc["region"]["startLine"], 8);
}

#[test]
fn config_chooses_checks_and_turns_tools_on() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    std::fs::write(
        dir.path().join("goaudit.toml"),
        "[tools.staticcheck]\nenabled = true\nchecks = [\"SA4006\"]\n[tools.go-vet]\nenabled = \"auto\"\nchecks = [\"lostcancel\"]\n",
    )
    .unwrap();
    let run = goaudit(
        &["audit", &all(dir.path()), "--format", "json"],
        &path_with(&[]),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let rules: Vec<String> = found(&run.json()).into_iter().map(|(r, _, _)| r).collect();
    assert!(
        rules.contains(&"staticcheck/SA4006".to_string()),
        "{rules:?}"
    );
    let doc = run.json();
    assert_eq!(
        sources(finding(&doc, "unclosed-resource", 11)),
        ["builtin", "govet"]
    );
    assert!(
        !rules
            .iter()
            .any(|r| r == "staticcheck/SA4000" || r == "govet/printf"),
        "{rules:?}"
    );
}

#[test]
fn a_hanging_tool_is_stopped_and_strict_exits_3() {
    let fake = tempfile::tempdir().unwrap();
    let script = fake.path().join("staticcheck");
    std::fs::write(&script, "#!/bin/sh\nsleep 600\n").unwrap();
    make_executable(&script);
    let path = path_with(&[fake.path()]);
    let args = [
        "audit",
        &all(&fixture()),
        "--staticcheck",
        "--tool-timeout",
        "1s",
        "--format",
        "json",
    ];
    let run = goaudit(&args, &path);
    assert_eq!(
        run.code,
        Some(1),
        "no --strict: the findings decide: {}",
        run.stderr
    );
    assert!(run.took < Duration::from_secs(30), "took {:?}", run.took);
    assert!(
        run.stderr
            .contains("staticcheck timed out after 1s and was stopped"),
        "{}",
        run.stderr
    );
    let doc = run.json();
    let builtin_only = goaudit(&["audit", &all(&fixture()), "--format", "json"], &path).json();
    assert!(
        found(&builtin_only).len() >= 2,
        "{:?}",
        found(&builtin_only)
    );
    assert_eq!(
        found(&doc),
        found(&builtin_only),
        "no built-in finding lost"
    );
    assert_eq!(doc["summary"]["tools"][0]["status"], "timed-out");

    let run = goaudit(&[&args[..], &["--strict"]].concat(), &path);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(
        found(&run.json()),
        found(&builtin_only),
        "the report is still written whole"
    );
}

#[test]
fn a_missing_tool_exits_2_with_the_install_line() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().display().to_string();
    let run = goaudit(&["audit", &all(&fixture()), "--staticcheck"], &path);
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "go install honnef.co/go/tools/cmd/staticcheck@{STATICCHECK_VERSION}"
        )),
        "{}",
        run.stderr
    );
    let run = goaudit(
        &[
            "audit",
            &all(&fixture()),
            "--staticcheck=auto",
            "--go-vet=auto",
            "--strict",
        ],
        &path,
    );
    assert_eq!(
        run.code,
        Some(1),
        "auto: skipped, the built-in audit decides: {}",
        run.stderr
    );
    assert!(run.stderr.contains("staticcheck skipped"), "{}", run.stderr);
}

#[test]
fn govulncheck_reads_an_offline_database_written_here() {
    let db = tempfile::tempdir().unwrap();
    write_vuln_db(db.path());
    let module = fixture().join("vuln");
    let run = goaudit(
        &[
            "audit",
            &all(&module),
            "--govulncheck",
            "--vuln-db",
            db.path().to_str().unwrap(),
            "--format",
            "json",
            "--strict",
        ],
        &path_with(&[]),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let doc = run.json();
    let called = finding(&doc, "govulncheck/GO-2099-0001", 13);
    assert_eq!(called["location"]["file"], "main.go");
    assert_eq!(called["category"], "security");
    assert_eq!(called["severity"], "high");
    assert_eq!(sources(called), ["govulncheck"]);
    assert!(called["message"]
        .as_str()
        .unwrap()
        .contains("Atoi trusts its input"));
    let imported = finding(&doc, "govulncheck/GO-2099-0002", 3);
    assert_eq!(imported["location"]["file"], "go.mod");
    assert_eq!(imported["severity"], "low");
    let run = goaudit(
        &[
            "audit",
            &all(&module),
            "--govulncheck",
            "--vuln-db",
            "/no/such/db",
        ],
        &path_with(&[]),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

/// Two made-up entries for the standard library, in the layout `govulncheck -db file://DIR`
/// reads: `index/db.json`, `index/modules.json`, `ID/<id>.json` (OSV).
fn write_vuln_db(dir: &Path) {
    std::fs::create_dir_all(dir.join("index")).unwrap();
    std::fs::create_dir_all(dir.join("ID")).unwrap();
    let modified = "2026-01-01T00:00:00Z";
    std::fs::write(
        dir.join("index/db.json"),
        serde_json::json!({ "modified": modified }).to_string(),
    )
    .unwrap();
    let entries = [
        (
            "GO-2099-0001",
            "strconv",
            "Atoi",
            "Atoi trusts its input in strconv",
        ),
        (
            "GO-2099-0002",
            "strings",
            "Repeat",
            "Repeat overflows in strings",
        ),
    ];
    let vulns: Vec<Value> = entries
        .iter()
        .map(|(id, ..)| serde_json::json!({ "id": id, "modified": modified, "fixed": "1.99.0" }))
        .collect();
    let modules = serde_json::json!([{ "path": "stdlib", "vulns": vulns }]);
    std::fs::write(dir.join("index/modules.json"), modules.to_string()).unwrap();
    for (id, package, symbol, summary) in entries {
        let osv = serde_json::json!({
            "schema_version": "1.3.1", "id": id, "modified": modified, "published": modified,
            "summary": summary, "details": "A made-up vulnerability for goaudit's tests.",
            "affected": [{
                "package": { "name": "stdlib", "ecosystem": "Go" },
                "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": "1.99.0" }] }],
                "ecosystem_specific": { "imports": [{ "path": package, "symbols": [symbol] }] }
            }]
        });
        std::fs::write(dir.join("ID").join(format!("{id}.json")), osv.to_string()).unwrap();
    }
}

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
