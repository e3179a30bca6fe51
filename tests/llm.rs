//! The LLM review end to end, against fake providers on 127.0.0.1 started by each test (no test
//! sends anything anywhere else): fan-out, retries, timeouts, malformed answers, verification,
//! cost, budget, cache, the sessions database, `--llm-plan`, and a provider that is down.

mod fake_llm;

use fake_llm::{anthropic, finding, lines_with, openai, status, user_text, Answer, Fake, Request};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BUGGY: &str = "package PKG\n\nimport (\n\t\"io\"\n\t\"net/http\"\n)\n\n// Fetch reads a URL.\nfunc Fetch(url string) []byte {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn nil\n\t}\n\tdefer resp.Body.Close()\n\tbody, _ := io.ReadAll(resp.Body)\n\treturn body\n}\n";
const READ_ALL: &str = "body, _ := io.ReadAll(resp.Body)";

/// A module with `n` packages `p0` … `p{n-1}`, each with one file holding one ignored error.
fn module(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n",
    )
    .unwrap();
    // The model, not the built-in `ignored-error`, is to find the bug in these tests.
    std::fs::write(
        dir.path().join("goaudit.toml"),
        "[rules]\nignore = [\"ignored-error\"]\n",
    )
    .unwrap();
    for i in 0..n {
        let pkg = dir.path().join(format!("p{i}"));
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            pkg.join(format!("p{i}.go")),
            BUGGY.replace("PKG", &format!("p{i}")),
        )
        .unwrap();
    }
    dir
}

/// Runs goaudit with a clean environment: no real keys, endpoints or proxies, and the user's
/// config, cache and data folders inside `home`.
fn goaudit(home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_goaudit"));
    cmd.args(args);
    for var in [
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("OPENAI_API_KEY", "test-openai-key")
        .env("ANTHROPIC_API_KEY", "test-anthropic-key");
    cmd.output().expect("goaudit runs")
}

/// `goaudit audit DIR/... --format json --llm --llm-base-url URL ARGS...`: (exit, report, stderr).
fn audit(dir: &Path, home: &Path, base: &str, extra: &[&str]) -> (i32, Value, String) {
    let pattern = format!("{}/...", dir.display());
    let mut args = vec![
        "audit",
        &pattern,
        "--format",
        "json",
        "--llm",
        "--llm-base-url",
        base,
    ];
    args.extend_from_slice(extra);
    let out = goaudit(home, &args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "json report ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), report, stderr)
}

/// The answer to a request: one finding on the `io.ReadAll` line of each file shown.
fn read_all_findings(req: &Request) -> Value {
    let prompt = user_text(&req.body);
    let found: Vec<Value> = lines_with(&prompt, READ_ALL)
        .into_iter()
        .map(|(file, line, _)| finding(&file, line, READ_ALL, "high", "io.ReadAll error ignored"))
        .collect();
    Value::Array(found)
}

fn openai_ok(req: &Request, prompt_tokens: u64, completion_tokens: u64) -> Answer {
    let content = json!({"findings": read_all_findings(req)}).to_string();
    openai(&content, prompt_tokens, completion_tokens)
}

fn llm(report: &Value) -> &Value {
    &report["summary"]["llm"]
}

fn llm_findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("llm/"))
        .collect()
}

#[test]
fn openai_one_request_per_unit_bounded_concurrency_and_cost_summed() {
    let fake = Fake::start(Duration::from_millis(300), |_, req| {
        openai_ok(req, 1000, 100)
    });
    let (dir, home) = (module(6), tempfile::tempdir().unwrap());
    let (code, report, stderr) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--llm-concurrency", "2"],
    );
    assert_eq!(
        code, 0,
        "LLM findings do not fail the run by default: {stderr}"
    );
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 6, "one request per unit");
    assert_eq!(
        fake.max_in_flight(),
        2,
        "never more than 2 in flight, and the limit is used"
    );
    assert!(reqs.iter().all(|r| r.path == "/v1/chat/completions"));
    assert_eq!(
        reqs[0].header("authorization"),
        Some("Bearer test-openai-key")
    );
    assert_eq!(reqs[0].body["response_format"]["type"], "json_schema");
    let s = llm(&report);
    assert_eq!(
        (
            s["units"].as_u64(),
            s["reviewed"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(6), Some(6), Some(0))
    );
    assert_eq!(
        (s["prompt_tokens"].as_u64(), s["completion_tokens"].as_u64()),
        (Some(6000), Some(600))
    );
    // gpt-4o-mini: $0.15 and $0.60 per million tokens.
    let expected = 6.0 * (1000.0 * 0.15 + 100.0 * 0.60) / 1e6;
    assert!((s["cost"].as_f64().unwrap() - expected).abs() < 1e-9, "{s}");
    let found = llm_findings(&report);
    assert_eq!(found.len(), 6, "{report}");
    assert_eq!(found[0]["rule"], "llm/errors");
    assert_eq!(found[0]["location"]["start"]["line"], 15);
    assert_eq!(
        found[0]["sources"][0],
        json!({"kind": "llm", "model": "gpt-4o-mini"})
    );
}

#[test]
fn anthropic_one_request_per_unit_bounded_concurrency_and_cost_summed() {
    let fake = Fake::start(Duration::from_millis(300), |_, req| {
        anthropic(read_all_findings(req), 2000, 50)
    });
    let (dir, home) = (module(5), tempfile::tempdir().unwrap());
    let (code, report, stderr) = audit(
        dir.path(),
        home.path(),
        &fake.url(""),
        &["--llm-provider", "anthropic", "--llm-concurrency", "3"],
    );
    assert_eq!(code, 0, "{stderr}");
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 5);
    assert_eq!(fake.max_in_flight(), 3);
    assert!(reqs.iter().all(|r| r.path == "/v1/messages"));
    assert_eq!(reqs[0].header("x-api-key"), Some("test-anthropic-key"));
    assert_eq!(reqs[0].header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(reqs[0].body["tool_choice"]["name"], "report_findings");
    assert_eq!(reqs[0].body["model"], "claude-sonnet-4-5");
    let s = llm(&report);
    assert_eq!(s["reviewed"], 5);
    // claude-sonnet-4-5: $3 and $15 per million tokens.
    let expected = 5.0 * (2000.0 * 3.0 + 50.0 * 15.0) / 1e6;
    assert!((s["cost"].as_f64().unwrap() - expected).abs() < 1e-9, "{s}");
    assert_eq!(llm_findings(&report).len(), 5);
}

#[test]
fn a_429_is_retried_after_its_retry_after() {
    let fake = Fake::start(Duration::ZERO, |i, req| match i {
        0 => status(429, vec![("retry-after", "1".into())]),
        _ => openai_ok(req, 10, 10),
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (_, report, stderr) = audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 2, "{stderr}");
    let waited = reqs[1].at - reqs[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
    assert_eq!(llm(&report)["reviewed"], 1);
}

#[test]
fn a_retry_after_past_any_integer_fails_the_unit_at_once_naming_it() {
    let fake = Fake::start(Duration::ZERO, |_, _| {
        status(429, vec![("retry-after", "18446744073709551616".into())])
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (code, report, stderr) = audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    assert_eq!(fake.requests().len(), 1, "not retried: {stderr}");
    assert!(
        stderr.contains("retry after 18446744073709551616 s"),
        "{stderr}"
    );
    assert_ne!(
        code, 3,
        "a failed unit is a warning without --strict: {stderr}"
    );
    assert_eq!(llm(&report)["reviewed"], 0);
}

#[test]
fn an_endless_body_fails_its_unit_at_the_limit_and_the_static_findings_stay() {
    let fake = Fake::start(Duration::ZERO, |_, _| Answer::Endless);
    let dir = module(1);
    std::fs::write(
        dir.path().join("goaudit.toml"),
        "[rules.options.cyclomatic-complexity]\nthreshold = 1\n[rules]\nselect = [\"cyclomatic-complexity\"]\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let args = ["--llm-timeout", "20", "--llm-retries", "1"];
    let (code, report, stderr) = audit(dir.path(), home.path(), &fake.url("/v1"), &args);
    assert!(started.elapsed() < Duration::from_secs(15), "{stderr}");
    assert!(
        stderr.contains("with a body over the 8 MiB limit"),
        "{stderr}"
    );
    assert_eq!(fake.requests().len(), 1, "an oversized body is not retried");
    assert_eq!(code, 1, "the static finding decides: {stderr}");
    assert_eq!(report["findings"][0]["rule"], "cyclomatic-complexity");
    assert_eq!(llm(&report)["failed"], 1);
}

#[test]
fn control_characters_of_an_error_body_are_escaped_on_stderr() {
    let body = "\x1b]0;PWNED\x07\x1b[2J\x1b[1;31mgoaudit: all checks passed\x1b[0m";
    let fake = Fake::start(Duration::ZERO, move |_, _| {
        Answer::Http(500, Vec::new(), body.to_string())
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (_, _, stderr) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--llm-retries", "0"],
    );
    assert!(stderr.contains("answered 500"), "{stderr}");
    assert!(!stderr.contains(['\x1b', '\x07']), "{stderr:?}");
    assert!(stderr.contains("\\x1b]0;PWNED\\x07"), "{stderr}");
}

#[test]
fn control_characters_of_model_output_are_escaped_in_text_and_markdown() {
    let fake = Fake::start(Duration::ZERO, |_, req| {
        let prompt = user_text(&req.body);
        let (file, line, _) = lines_with(&prompt, READ_ALL).remove(0);
        let mut f = finding(
            &file,
            line,
            READ_ALL,
            "high",
            "T\x1b]0;PWNED\x07\x1b[31mred",
        );
        f["explanation"] = "line1\r\n\x1b[2Jgone".into();
        openai(&json!({"findings": [f]}).to_string(), 10, 10)
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (text, md) = (dir.path().join("r.txt"), dir.path().join("r.md"));
    let outputs = [
        format!("text:{}", text.display()),
        format!("markdown:{}", md.display()),
    ];
    let args = ["--output", &outputs[0], "--output", &outputs[1]];
    let (_, report, stderr) = audit(dir.path(), home.path(), &fake.url("/v1"), &args);
    assert_eq!(llm_findings(&report).len(), 1, "{stderr}");
    for path in [&text, &md] {
        let shown = std::fs::read_to_string(path).unwrap();
        assert!(!shown.contains(['\x1b', '\x07']), "{shown:?}");
        assert!(shown.contains("T\\x1b]0;PWNED\\x07"), "{shown}");
    }
}

#[test]
fn a_500_is_retried() {
    let fake = Fake::start(Duration::ZERO, |i, req| match i {
        0 | 1 => status(500, Vec::new()),
        _ => openai_ok(req, 10, 10),
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (_, report, stderr) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--llm-retries", "2"],
    );
    assert_eq!(fake.requests().len(), 3, "{stderr}");
    assert_eq!(llm(&report)["reviewed"], 1);
    assert_eq!(llm(&report)["failed"], 0);
}

#[test]
fn a_hung_server_times_out_and_strict_makes_it_exit_3() {
    let fake = Fake::start(Duration::ZERO, |_, _| Answer::Hang);
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let started = Instant::now();
    let args = ["--llm-timeout", "1", "--llm-retries", "1", "--strict"];
    let (code, report, stderr) = audit(dir.path(), home.path(), &fake.url("/v1"), &args);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(fake.requests().len(), 2, "one retry after the timeout");
    assert_eq!(llm(&report)["failed"], 1);
    assert!(stderr.contains("did not answer within 1s"), "{stderr}");
}

#[test]
fn a_malformed_answer_is_retried_once_then_the_unit_fails() {
    // Concurrency 1: unit p0 gets answers 0 and 1 (both malformed), unit p1 answers 2 and 3.
    let fake = Fake::start(Duration::ZERO, |i, req| match i {
        0..=2 => openai("Sorry, here is my {review: incomplete", 10, 10),
        _ => openai_ok(req, 10, 10),
    });
    let (dir, home) = (module(2), tempfile::tempdir().unwrap());
    let (code, report, stderr) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--llm-concurrency", "1"],
    );
    assert_eq!(code, 0, "not --strict: a warning only");
    assert_eq!(fake.requests().len(), 4);
    let s = llm(&report);
    assert_eq!(
        (s["reviewed"].as_u64(), s["failed"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    assert_eq!(s["problems"][0]["unit"], "p0");
    assert!(s["problems"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("malformed twice"));
    assert!(stderr.contains("could not complete"), "{stderr}");
    assert_eq!(
        llm_findings(&report).len(),
        1,
        "the second unit's finding still counts"
    );
}

#[test]
fn hallucinated_findings_are_dropped_and_nearby_quotes_moved() {
    let fake = Fake::start(Duration::ZERO, |_, req| {
        let (file, line, _) = lines_with(&user_text(&req.body), READ_ALL).remove(0);
        let answer = json!({"findings": [
            finding(&file, line, READ_ALL, "high", "kept"),
            finding("p9/nowhere.go", line, READ_ALL, "high", "wrong file"),
            finding(&file, 2, READ_ALL, "high", "quote far from the line"),
            finding(&file, line, "os.Exit(1)", "high", "quote not in the code"),
            finding(&file, line - 2, "defer resp.Body.Close()", "low", "moved"),
        ]});
        openai(&format!("Sure! ```json\n{answer}\n```"), 10, 10)
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (_, report, _) = audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    let s = llm(&report);
    assert_eq!(
        (s["unverified"].as_u64(), s["moved"].as_u64()),
        (Some(3), Some(1)),
        "{s}"
    );
    let found = llm_findings(&report);
    let lines: Vec<(u64, &str)> = found
        .iter()
        .map(|f| {
            (
                f["location"]["start"]["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].0, 14, "moved to the line holding its quote");
    assert!(lines[0].1.starts_with("moved"));
    assert_eq!(lines[1].0, 15);
}

#[test]
fn the_budget_stops_the_fan_out_and_names_the_skipped_units() {
    // Each answer costs $0.15 (a million prompt tokens of gpt-4o-mini).
    let fake = Fake::start(Duration::ZERO, |_, req| openai_ok(req, 1_000_000, 0));
    let (dir, home) = (module(4), tempfile::tempdir().unwrap());
    let args = [
        "--llm-concurrency",
        "1",
        "--llm-max-cost",
        "0.25",
        "--strict",
    ];
    let (code, report, stderr) = audit(dir.path(), home.path(), &fake.url("/v1"), &args);
    assert_eq!(code, 0, "a budget is not a failure: {stderr}");
    assert_eq!(fake.requests().len(), 2);
    let s = llm(&report);
    assert_eq!(
        (s["reviewed"].as_u64(), s["skipped"].as_u64()),
        (Some(2), Some(2)),
        "{s}"
    );
    assert!((s["cost"].as_f64().unwrap() - 0.30).abs() < 1e-9);
    let skipped: Vec<&str> = s["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["unit"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["p2", "p3"]);
    assert!(stderr.contains("2 of 4 units skipped"), "{stderr}");
}

#[test]
fn the_token_budget_stops_the_fan_out_too() {
    let fake = Fake::start(Duration::ZERO, |_, req| openai_ok(req, 600, 0));
    let (dir, home) = (module(3), tempfile::tempdir().unwrap());
    let args = ["--llm-concurrency", "1", "--llm-max-tokens", "1000"];
    let (_, report, _) = audit(dir.path(), home.path(), &fake.url("/v1"), &args);
    assert_eq!(fake.requests().len(), 2);
    assert_eq!(llm(&report)["skipped"], 1);
}

#[test]
fn the_cache_sends_nothing_on_the_second_run() {
    let fake = Fake::start(Duration::ZERO, |_, req| openai_ok(req, 100, 10));
    let (dir, home) = (module(3), tempfile::tempdir().unwrap());
    let (_, first, _) = audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    assert_eq!(fake.requests().len(), 3);
    let (_, second, _) = audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    assert_eq!(fake.requests().len(), 3, "nothing sent the second time");
    assert_eq!(
        (
            llm(&second)["cached"].as_u64(),
            llm(&second)["reviewed"].as_u64()
        ),
        (Some(3), Some(3))
    );
    assert_eq!(llm(&second)["cost"], 0.0);
    assert_eq!(first["findings"], second["findings"]);
    // A changed unit is sent again, and only that one.
    std::fs::write(
        dir.path().join("p0/p0.go"),
        BUGGY.replace("PKG", "p0").replace("URL", "url"),
    )
    .unwrap();
    audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    assert_eq!(fake.requests().len(), 4);
}

#[test]
fn the_sessions_database_holds_the_run() {
    let fake = Fake::start(Duration::ZERO, |_, req| openai_ok(req, 100, 10));
    let (dir, home) = (module(2), tempfile::tempdir().unwrap());
    let db = home.path().join("runs.db");
    let db_arg = db.display().to_string();
    let (_, report, _) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--db", &db_arg],
    );
    let id = llm(&report)["session_id"].as_str().unwrap().to_string();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let (units, tokens): (i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), SUM(prompt_tokens + completion_tokens) FROM sessions WHERE parent_session_id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((units, tokens), (2, 220));
    let messages: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM messages m JOIN sessions s ON m.session_id = s.id WHERE s.parent_session_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(messages, 6, "system, user and assistant for each unit");

    let list = goaudit(home.path(), &["sessions", "--db", &db_arg]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains(&id[..8]) && list.contains("$0.0000"),
        "{list}"
    );
    let show = goaudit(
        home.path(),
        &["sessions", "show", &id[..8], "--db", &db_arg],
    );
    let show = String::from_utf8_lossy(&show.stdout);
    assert!(
        show.contains("p0  reviewed  100 prompt + 10 completion tokens"),
        "{show}"
    );
    assert!(
        show.contains("p0/p0.go:15: high llm/errors: io.ReadAll error ignored"),
        "{show}"
    );
}

#[test]
fn secrets_are_redacted_before_sending() {
    let fake = Fake::start(Duration::ZERO, |_, req| openai_ok(req, 10, 10));
    let dir = module(1);
    std::fs::write(
        dir.path().join("p0/keys.go"),
        "package p0\n\nconst apiKey = \"sk-proj-abcdefghijklmnopqrstuvwxyz012345\"\nvar password = \"hunter2\"\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let (_, report, _) = audit(dir.path(), home.path(), &fake.url("/v1"), &[]);
    let sent = &fake.requests()[0].raw;
    assert!(
        !sent.contains("sk-proj-abc") && !sent.contains("hunter2"),
        "{sent}"
    );
    assert!(sent.contains("[REDACTED:openai-key]"));
    assert_eq!(
        llm(&report)["redactions"],
        json!({"openai-key": 1, "password": 1})
    );
}

#[test]
fn llm_findings_fail_the_run_only_with_llm_fail_on() {
    let fake = Fake::start(Duration::ZERO, |_, req| openai_ok(req, 10, 10));
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    let (code, _, _) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--llm-no-cache"],
    );
    assert_eq!(code, 0);
    let (code, _, _) = audit(
        dir.path(),
        home.path(),
        &fake.url("/v1"),
        &["--llm-no-cache", "--llm-fail-on", "high"],
    );
    assert_eq!(code, 1);
}

#[test]
fn plan_works_with_no_server_and_no_key() {
    let home = tempfile::tempdir().unwrap();
    let demo = format!("{}/testdata/demo/...", env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_goaudit"));
    cmd.args(["audit", &demo, "--llm", "--llm-plan"])
        .env_remove("OPENAI_API_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_CONFIG_HOME", home.path().join("config"));
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("nothing sent"), "{stdout}");
    assert!(stdout.contains("internal/db"), "{stdout}");
    assert!(stdout.contains("estimated cost about $"), "{stdout}");
}

/// A closed local port: bound, then released.
fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}/v1")
}

#[test]
fn a_provider_that_is_down_keeps_the_static_findings_and_exits_by_strict() {
    let dir = module(3);
    std::fs::write(
        dir.path().join("goaudit.toml"),
        "[rules.options.cyclomatic-complexity]\nthreshold = 1\n[rules]\nselect = [\"cyclomatic-complexity\"]\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let url = closed_port();
    let (code, report, stderr) = audit(dir.path(), home.path(), &url, &["--llm-retries", "0"]);
    assert_eq!(
        code, 1,
        "the static findings decide the exit code: {stderr}"
    );
    assert!(
        stderr.contains("cannot reach the LLM provider at http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("static findings are reported"), "{stderr}");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["cyclomatic-complexity"; 3]);
    assert_eq!(llm(&report)["failed"], 3);
    let (code, _, _) = audit(
        dir.path(),
        home.path(),
        &url,
        &["--llm-retries", "0", "--strict"],
    );
    assert_eq!(code, 3);
}

#[test]
fn the_repository_config_cannot_choose_the_endpoint() {
    let dir = module(1);
    std::fs::write(
        dir.path().join("goaudit.toml"),
        "[llm]\nbase-url = \"http://127.0.0.1:9\"\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = goaudit(
        home.path(),
        &["audit", &format!("{}/...", dir.path().display()), "--llm"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("may not set llm.base-url"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn the_users_config_sets_the_endpoint_and_the_repository_its_model_and_prices() {
    let fake = Fake::start(Duration::ZERO, |_, req| {
        openai_ok(req, 1_000_000, 1_000_000)
    });
    let (dir, home) = (module(1), tempfile::tempdir().unwrap());
    std::fs::write(
        dir.path().join("goaudit.toml"),
        "[llm]\nmodel = \"local-model\"\n[llm.prices.local-model]\ninput = 1.0\noutput = 2.0\n",
    )
    .unwrap();
    let config = home.path().join("config/goaudit");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[llm]\nbase-url = \"{}\"\napi-key-env = \"MY_KEY\"\n",
            fake.url("/v1")
        ),
    )
    .unwrap();
    let pattern = format!("{}/...", dir.path().display());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_goaudit"));
    cmd.args(["audit", &pattern, "--format", "json", "--llm"])
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_API_KEY")
        .env("MY_KEY", "my-key")
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_DATA_HOME", home.path().join("data"));
    let out = cmd.output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(reqs[0].body["model"], "local-model");
    assert_eq!(reqs[0].header("authorization"), Some("Bearer my-key"));
    assert_eq!(llm(&report)["cost"], 3.0);
}
