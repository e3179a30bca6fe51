//! The command line end to end: exit codes, formats, files, colour, config errors, bad input.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn goaudit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("goaudit runs")
}

fn module(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n",
    )
    .unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn all(dir: &Path) -> String {
    format!("{}/...", dir.display())
}

const COMPLEX: &str = "package p\n\nfunc Branchy(a, b, c, d bool) int {\n\tif a && b || c && d {\n\t\tif a {\n\t\t\tfor {\n\t\t\t\tif b {\n\t\t\t\t\treturn 1\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n\treturn 0\n}\n";
const STRICT: &str = "[rules.options.cyclomatic-complexity]\nthreshold = 2\n";

#[test]
fn missing_path_is_one_line_and_exit_2() {
    let out = goaudit(&["audit", "/does/not/exist/..."]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/does/not/exist"));
}

#[test]
fn folder_without_go_files_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "hi").unwrap();
    let out = goaudit(&["audit", &all(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Go files"));
}

#[test]
fn findings_exit_1_and_fail_on_raises_the_bar() {
    let m = module(&[("p/p.go", COMPLEX), ("goaudit.toml", STRICT)]);
    let out = goaudit(&["audit", &all(m.path())]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("p/p.go:3:1"), "{text}");
    assert!(
        text.contains("Branchy: cyclomatic complexity 8 (threshold 2)"),
        "{text}"
    );
    assert!(text.contains(" | func Branchy"), "{text}");
    let out = goaudit(&["audit", &all(m.path()), "--fail-on", "high"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn json_is_versioned_and_file_output_is_whole() {
    let m = module(&[("p/p.go", COMPLEX), ("goaudit.toml", STRICT)]);
    let report = m.path().join("out/report.json");
    std::fs::create_dir_all(report.parent().unwrap()).unwrap();
    let out = goaudit(&[
        "audit",
        &all(m.path()),
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["files"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "cyclomatic-complexity");
    assert_eq!(f["location"]["file"], "p/p.go");
    assert_eq!(f["location"]["start"]["line"], 3);
    assert_eq!(f["function"], "Branchy");
    assert!(f["fingerprint"].as_str().unwrap().len() >= 16);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let m = module(&[("p/p.go", COMPLEX), ("goaudit.toml", STRICT)]);
    let out = goaudit(&["audit", &all(m.path()), "--color", "always"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", &all(m.path())])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b["));
}

#[test]
fn config_errors_name_the_key_and_exit_2() {
    let m = module(&[
        ("p/p.go", COMPLEX),
        ("goaudit.toml", "[rules]\nno_such_key = 1\n"),
    ]);
    let out = goaudit(&["audit", &all(m.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_key"));
    let out = goaudit(&["audit", &all(m.path()), "--config", "/nope.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let m = module(&[("p/p.go", COMPLEX)]);
    let out = goaudit(&["audit", &all(m.path()), "--select", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
}

#[test]
fn syntax_errors_binary_and_latin1_files_are_findings_not_crashes() {
    let m = module(&[("p/broken.go", "package p\n\nfunc f( {\n")]);
    std::fs::write(m.path().join("p/bin.go"), [0u8, 159, 146, 150, 0, 1]).unwrap();
    std::fs::write(m.path().join("p/latin.go"), b"package p\n// caf\xe9\n").unwrap();
    let out = goaudit(&["audit", &all(m.path()), "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("p/broken.go:3:"), "{text}");
    assert!(
        text.contains("p/bin.go:1:1: high parse-error: not Go source text"),
        "{text}"
    );
    assert!(
        text.contains("p/latin.go:1:1: high parse-error: not UTF-8"),
        "{text}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Unterminated literals (from `$(go env GOROOT)/test/fixedbugs/issue32133.go`): error
/// recovery makes a lone `"` a string literal, which once crashed `hardcoded-secret`.
#[test]
fn an_unterminated_string_is_a_parse_error_not_a_crash() {
    let src = "package p\n\nfunc _() {\n\t\"\n}\n\nfunc _() {\n\t`";
    let m = module(&[("p/p.go", src)]);
    let out = goaudit(&["audit", &all(m.path()), "--format", "concise"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("parse-error"), "{text}");
    assert!(!text.contains("internal-error"), "{text}");
}

#[test]
fn tests_flag_leaves_test_files_out() {
    let m = module(&[("p/p_test.go", COMPLEX), ("goaudit.toml", STRICT)]);
    assert_eq!(goaudit(&["audit", &all(m.path())]).status.code(), Some(1));
    let out = goaudit(&["audit", &all(m.path()), "--tests=false"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "only a test file: nothing left to audit"
    );
}

#[test]
fn suppressions_silence_by_id_and_by_golangci_name() {
    let src = COMPLEX.replace(
        "func Branchy",
        "//nolint:gocyclo // a dispatch table\nfunc Branchy",
    );
    let m = module(&[("p/p.go", &src), ("goaudit.toml", STRICT)]);
    let out = goaudit(&["audit", &all(m.path()), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["suppressed"], 1);
}

/// Limits that `Branchy` (cyclomatic 8, cognitive 13, nesting 4) crosses three times over:
/// cyclomatic by 8/2, cognitive by 13/5, nesting by 4/2.
const THREE_OVER: &str = "[rules.options.cyclomatic-complexity]\nthreshold = 2\n\n[rules.options.cognitive-complexity]\nthreshold = 5\n\n[rules.options.nesting-depth]\nmax-depth = 2\n";

/// The audit's findings as (rule, severity, message), and how many were suppressed and
/// baselined.
fn complexity_run(files: &[(&str, &str)], flags: &[&str]) -> (Vec<[String; 3]>, u64, u64) {
    let m = module(files);
    let target = all(m.path());
    let mut args = vec!["audit", target.as_str(), "--format", "json"];
    args.extend(flags);
    let out = goaudit(&args);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let findings = doc["findings"].as_array().unwrap().iter();
    let found = findings
        .map(|f| [text(&f["rule"]), text(&f["severity"]), text(&f["message"])])
        .collect();
    let count = |k: &str| doc["summary"][k].as_u64().unwrap_or(0);
    (found, count("suppressed"), count("baselined"))
}

#[test]
fn complexity_is_one_finding_per_function_led_by_the_figure_furthest_over() {
    let files = [("p/p.go", COMPLEX), ("goaudit.toml", THREE_OVER)];
    let (found, _, _) = complexity_run(&files, &[]);
    assert_eq!(
        found,
        [[
            "cyclomatic-complexity".to_string(),
            "medium".to_string(),
            "Branchy: cyclomatic complexity 8 (threshold 2), cognitive complexity 13 (5), nesting depth 4 (2): split it into smaller functions".to_string(),
        ]]
    );
}

#[test]
fn ignores_per_path_entries_and_severities_apply_to_each_complexity_figure() {
    let files = [("p/p.go", COMPLEX), ("goaudit.toml", THREE_OVER)];
    let (found, _, _) = complexity_run(&files, &["--ignore", "cyclomatic-complexity"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0][0], "cognitive-complexity");
    assert_eq!(
        found[0][2],
        "Branchy: cognitive complexity 13 (threshold 5), nesting depth 4 (2): flatten the nesting or extract helpers"
    );
    let per_path =
        format!("{THREE_OVER}\n[[rules.per-path]]\npath = \"p/**\"\nignore = [\"nestif\"]\n");
    let files = [("p/p.go", COMPLEX), ("goaudit.toml", per_path.as_str())];
    let (found, _, _) = complexity_run(&files, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(!found[0][2].contains("nesting"), "{found:?}");
    let severe = format!("{THREE_OVER}\n[rules.severity]\nnesting-depth = \"high\"\n");
    let files = [("p/p.go", COMPLEX), ("goaudit.toml", severe.as_str())];
    let (found, _, _) = complexity_run(&files, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0][0].as_str(), found[0][1].as_str()),
        ("cyclomatic-complexity", "high")
    );
}

#[test]
fn a_comment_naming_the_lead_figure_suppresses_the_function_and_others_drop_their_figure() {
    let above = |names: &str| {
        COMPLEX.replace(
            "func Branchy",
            &format!("//nolint:{names} // why\nfunc Branchy"),
        )
    };
    let run = |names: &str| {
        let src = above(names);
        let files = [("p/p.go", src.as_str()), ("goaudit.toml", THREE_OVER)];
        complexity_run(&files, &["--extend-select", "unused-nolint"])
    };
    // Another figure's rule (by its golangci-lint name): that figure leaves the message.
    let (found, suppressed, _) = run("nestif");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0][0], "cyclomatic-complexity");
    assert!(!found[0][2].contains("nesting"), "{found:?}");
    assert_eq!(suppressed, 1);
    // The lead's rule, or the category: the whole finding; no name is reported unused.
    for names in [
        "gocyclo",
        "cyclomatic-complexity,nesting-depth",
        "complexity",
    ] {
        let (found, suppressed, _) = run(names);
        assert!(found.is_empty(), "{names}: {found:?}");
        assert_eq!(suppressed, 1, "{names}");
    }
    // A comment naming no figure over its limit silences nothing, and is told so.
    let (found, _, _) = run("function-length");
    let rules: Vec<&str> = found.iter().map(|f| f[0].as_str()).collect();
    assert_eq!(
        rules,
        ["unused-nolint", "cyclomatic-complexity"],
        "{found:?}"
    );
}

#[test]
fn a_baseline_of_any_figure_hides_the_merged_complexity_finding() {
    let entry = |rule: &str| {
        let fp = goaudit::finding::fingerprint(
            rule,
            "p/p.go",
            Some("Branchy"),
            "func Branchy(a, b, c, d bool) int {",
        );
        format!("{{\"version\": 1, \"findings\": [{{\"fingerprint\": \"{fp}\", \"rule\": \"{rule}\", \"file\": \"p/p.go\", \"line\": 3, \"message\": \"\"}}]}}")
    };
    for (rule, hidden) in [
        ("nesting-depth", 1u64),
        ("cyclomatic-complexity", 1),
        ("function-length", 0),
    ] {
        let baseline = entry(rule);
        let files = [
            ("p/p.go", COMPLEX),
            ("goaudit.toml", THREE_OVER),
            ("baseline.json", baseline.as_str()),
        ];
        let m = module(&files);
        let path = m.path().join("baseline.json");
        let target = all(m.path());
        let out = goaudit(&[
            "audit",
            &target,
            "--format",
            "json",
            "--baseline",
            path.to_str().unwrap(),
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let baselined = doc["summary"]["baselined"].as_u64().unwrap_or(0);
        assert_eq!(baselined, hidden, "{rule}");
        let left = doc["findings"].as_array().unwrap().len() as u64;
        assert_eq!(left, 1 - hidden, "{rule}");
    }
}

#[test]
fn generated_files_are_never_reported() {
    let src = format!("// Code generated by gen; DO NOT EDIT.\n\n{COMPLEX}");
    let m = module(&[("p/p.go", &src), ("goaudit.toml", STRICT)]);
    assert_eq!(goaudit(&["audit", &all(m.path())]).status.code(), Some(0));
}

#[test]
fn closed_pipe_ends_quietly() {
    let files: Vec<(String, String)> = (0..300)
        .map(|i| {
            (
                format!("p/g{i}.go"),
                COMPLEX.replace("Branchy", &format!("Branchy{i}")),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut all_files = refs.clone();
    all_files.push(("goaudit.toml", STRICT));
    let m = module(&all_files);
    let mut child = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", &all(m.path())])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert!(matches!(out.status.code(), Some(0 | 1)));
}

#[test]
fn rules_lists_and_explains() {
    let out = goaudit(&["rules"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("cyclomatic-complexity"));
    let out = goaudit(&["rules", "explain", "cognitive-complexity"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("## Why it matters") && text.contains("threshold"));
    assert_eq!(
        goaudit(&["rules", "explain", "nope"]).status.code(),
        Some(2)
    );
}

#[test]
fn unknown_flag_is_usage_error() {
    assert_eq!(goaudit(&["audit", "--no-such-flag"]).status.code(), Some(2));
}

const IGNORES_ERROR: &str = "package p\n\nimport (\n\t\"io\"\n\t\"os\"\n)\n\nfunc Size(r io.Reader) int {\n\tbody, _ := io.ReadAll(r)\n\treturn len(body)\n}\n\nfunc Open(name string) *os.File {\n\tf, _ := os.Open(name)\n\treturn f\n}\n";

/// The severities of a JSON report's findings, as (file, rule, severity).
fn severities(out: &Output) -> Vec<(String, String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `%v` → `%w` is safe in a function whose errors the package checks with `errors.Is`, so
/// `--fix` applies it there, and holds it back elsewhere.
#[test]
fn wrap_fix_is_safe_where_the_package_inspects_the_chain() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/error-wrap-verb/inspected.go"),
    )
    .unwrap();
    let m = module(&[("w/inspected.go", &source)]);
    let out = goaudit(&["audit", &all(m.path()), "--fix", "--no-cache"]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let fixed = std::fs::read_to_string(m.path().join("w/inspected.go")).unwrap();
    assert!(
        fixed.contains(r#"fmt.Errorf("read config: %w", err)"#),
        "{fixed}"
    );
    assert!(
        fixed.contains(r#"fmt.Errorf("read state: %v", err)"#),
        "{fixed}"
    );
}

/// A file left open on an error return, in a function and in a request handler.
const LEAKS_FILE: &str = "package p\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc Load(name string) ([]byte, error) {\n\tf, err := os.Open(name)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tst, err := f.Stat()\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\t_ = st\n\treturn nil, f.Close()\n}\n\nfunc Serve(w http.ResponseWriter, r *http.Request) {\n\tf, err := os.Open(r.URL.Path)\n\tif err != nil {\n\t\treturn\n\t}\n\tif _, err := f.Stat(); err != nil {\n\t\treturn\n\t}\n\t_ = f.Close()\n}\n";

/// An error body read only for the message, and one whose content decides the path.
const READS_BODY: &str = "package p\n\nimport (\n\t\"fmt\"\n\t\"io\"\n)\n\nfunc Shown(r io.Reader) error {\n\tbody, _ := io.ReadAll(r)\n\treturn fmt.Errorf(\"failed: %s\", string(body))\n}\n";

/// Where a finding is and what the value does weigh on its severity: a leak in a command's
/// one-time code is two levels lower than in a library or a command's request handler; a body
/// read only for a message is medium; test-support packages (`fstest/`, `e2e/`) are test code.
#[test]
fn severity_weighs_commands_messages_and_test_support_code() {
    let m = module(&[
        ("internal/store/store.go", LEAKS_FILE),
        ("cmd/tool/load.go", LEAKS_FILE),
        ("internal/fstest/fstest.go", LEAKS_FILE),
        ("internal/store/shown.go", READS_BODY),
        ("e2e/shown.go", READS_BODY),
    ]);
    let out = goaudit(&["audit", &all(m.path()), "--format", "json", "--no-cache"]);
    let found = severities(&out);
    let of = |file: &str, rule: &str| {
        found
            .iter()
            .filter(|(f, r, _)| f == file && r == rule)
            .map(|(_, _, s)| s.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of("internal/store/store.go", "unclosed-resource"),
        ["high"],
        "{found:?}"
    );
    // Load (one-time) is low, Serve (per request) stays high.
    assert_eq!(
        of("cmd/tool/load.go", "unclosed-resource"),
        ["high", "low"],
        "{found:?}"
    );
    assert_eq!(
        of("internal/fstest/fstest.go", "unclosed-resource"),
        ["info"],
        "{found:?}"
    );
    assert_eq!(
        of("internal/store/shown.go", "ignored-error"),
        ["medium"],
        "{found:?}"
    );
    assert_eq!(of("e2e/shown.go", "ignored-error"), ["info"], "{found:?}");
}

#[test]
fn test_code_findings_are_one_level_lower_and_test_noise_is_info() {
    let test = IGNORES_ERROR.replace("func Size", "func sizeForTest");
    let test = test.replace("func Open", "func openForTest");
    let ignored = format!(
        "//go:build ignore\n\n{}",
        IGNORES_ERROR.replace("package p", "package main")
    );
    let helper = ignored.replace("//go:build ignore", "//go:build none");
    let m = module(&[
        ("p/p.go", IGNORES_ERROR),
        ("p/helper.go", &helper),
        ("p/complex.go", COMPLEX),
        ("p/p_test.go", &test),
        (
            "p/complex_test.go",
            &COMPLEX.replace("Branchy", "branchyTest"),
        ),
        ("p/gen.go", &ignored),
        (
            "examples/e/e.go",
            &IGNORES_ERROR.replace("package p", "package e"),
        ),
        ("goaudit.toml", STRICT),
    ]);
    let out = goaudit(&["audit", &all(m.path()), "--format", "json", "--no-cache"]);
    let found = severities(&out);
    let of = |file: &str, rule: &str| {
        found
            .iter()
            .filter(|(f, r, _)| f == file && r == rule)
            .map(|(_, _, s)| s.as_str())
            .collect::<Vec<_>>()
    };
    // io.ReadAll's body may be cut short (high); os.Open's nil file is a plain zero value.
    assert_eq!(
        of("p/p.go", "ignored-error"),
        ["high", "medium"],
        "{found:?}"
    );
    assert_eq!(of("p/p_test.go", "ignored-error"), ["info"], "{found:?}");
    assert_eq!(of("p/gen.go", "ignored-error"), ["info"], "{found:?}");
    assert_eq!(of("p/helper.go", "ignored-error"), ["info"], "{found:?}");
    assert_eq!(
        of("examples/e/e.go", "ignored-error"),
        ["info"],
        "{found:?}"
    );
    assert_eq!(
        of("p/complex.go", "cyclomatic-complexity"),
        ["medium"],
        "{found:?}"
    );
    assert_eq!(
        of("p/complex_test.go", "cyclomatic-complexity"),
        ["low"],
        "{found:?}"
    );
}

/// The findings of one rule on its fixture folder (`testdata/RULE`), as (file, message,
/// severity).
fn fixture_findings(rule: &str) -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rule);
    let out = goaudit(&[
        "audit",
        &all(&dir),
        "--select",
        rule,
        "--format",
        "json",
        "--no-cache",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                text(&f["location"]["file"]),
                text(&f["message"]),
                text(&f["severity"]),
            )
        })
        .collect()
}

/// http-server-timeouts' fixtures at their severities: a server whose handler serves only
/// operational endpoints (metrics, profiling, health checks) is `low` and says so, a
/// `//go:build none` helper is test code (`low`), every other server keeps `medium`.
#[test]
fn http_server_timeouts_lowers_operational_servers_and_never_built_files() {
    let findings = fixture_findings("http-server-timeouts");
    assert!(findings.len() > 10, "{findings:?}");
    for (file, message, severity) in &findings {
        let lowered = message.contains("operational endpoints") || file == "jsdev/serve.go";
        let want = if lowered { "low" } else { "medium" };
        assert_eq!(severity, want, "{file}: {message}");
    }
}

/// weak-crypto's fixtures at their severities: MD5 or SHA-1 in a file that reads a legacy
/// password-hash format (`{SHA}`, `$apr1$`) is `info` and says which format; every other
/// finding keeps `medium`.
#[test]
fn weak_crypto_of_a_legacy_password_format_is_info() {
    let findings = fixture_findings("weak-crypto");
    let legacy = findings
        .iter()
        .filter(|(file, _, _)| file.starts_with("htpasswd/"))
        .count();
    assert_eq!(legacy, 2, "{findings:?}");
    for (file, message, severity) in &findings {
        let want = if file.starts_with("htpasswd/") {
            assert!(message.contains("legacy {SHA} format"), "{message}");
            "info"
        } else {
            "medium"
        };
        assert_eq!(severity, want, "{file}: {message}");
    }
}

/// defer-in-loop's fixtures at their severities: a deferred unlock (a deadlock on the next
/// iteration) is `high`, a deferred close or cancel (a late release) `medium`.
#[test]
fn defer_in_loop_is_high_only_for_a_deferred_unlock() {
    let findings = fixture_findings("defer-in-loop");
    let locks = findings
        .iter()
        .filter(|(_, message, _)| message.contains("stays locked"))
        .count();
    assert!(locks >= 1 && findings.len() > locks, "{findings:?}");
    for (file, message, severity) in &findings {
        let want = if message.contains("stays locked") {
            "high"
        } else if file.ends_with("_test.go") {
            "info"
        } else {
            "medium"
        };
        assert_eq!(severity, want, "{file}: {message}");
    }
}

/// A module the code imports that the module cache lacks is named, with how to fetch it, on
/// standard error and among the report's notifications; one the cache holds is not.
#[test]
fn modules_missing_from_the_module_cache_are_named_with_the_fix() {
    let dir = module(&[(
        "main.go",
        "package main\n\nimport (\n\t\"example.com/absent/pkg\"\n\t\"example.com/present\"\n)\n\nfunc main() { pkg.F(); present.G() }\n",
    )]);
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/absent v1.0.0\n\texample.com/present v0.2.0\n)\n",
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let present = cache.path().join("example.com/present@v0.2.0");
    std::fs::create_dir_all(&present).unwrap();
    std::fs::write(present.join("g.go"), "package present\n\nfunc G() {}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", &all(dir.path()), "--no-cache", "--format", "json"])
        .env("GOMODCACHE", cache.path())
        .env("XDG_CACHE_HOME", cache.path().join("xdg"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let note = "goaudit: note: the module example.com/absent@v1.0.0 is not in the module cache: calls into its packages are not resolved";
    assert!(stderr.contains(note), "{stderr}");
    assert!(stderr.contains("run `go mod download`"), "{stderr}");
    assert!(!stderr.contains("present@"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = report["summary"]["notifications"].to_string();
    assert!(notes.contains("example.com/absent@v1.0.0"), "{notes}");
}
