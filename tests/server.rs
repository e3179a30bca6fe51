//! `goaudit server` driven over its pipes, and `goaudit audit --stdin-filename`: an editor sees
//! for each file what `goaudit audit ./...` reports for it, an unsaved buffer is audited in
//! place of the file, and the newest version of a buffer is the one published.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// The return of the demo's `Connect` that leaks `db` when the migrations fail.
const LEAKY_RETURN: &str = "\t\treturn nil, fmt.Errorf(\"failed to apply migrations: %w\", err)";

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo")
}

/// A client of the server: what it writes, and the messages it reads, on a thread of its own.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `goaudit server` and goes through `initialize`, offering UTF-8 positions.
    fn start(cache: &Path) -> Client {
        Client::start_with(cache, &[])
    }

    /// `start` with more flags for the server.
    fn start_with(cache: &Path, flags: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_goaudit"))
            .args(["server", "--cache-dir"])
            .arg(cache)
            .args(flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("goaudit server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
        let init = client.request(
            "initialize",
            json!({"processId": null, "capabilities": caps}),
        );
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message `want` accepts, the others skipped; panics after 60 seconds.
    fn wait_for(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self
                .messages
                .recv_timeout(left)
                .expect("the server answers");
            if want(&msg) {
                return msg;
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// The diagnostics published for each `(uri, version)`, whatever order the server
    /// publishes them in (roots are audited in the order of their paths).
    fn diagnostics_of_each(&mut self, wanted: &[(&str, i64)]) -> Vec<Vec<Value>> {
        let mut found: Vec<Option<Vec<Value>>> = vec![None; wanted.len()];
        while found.iter().any(Option::is_none) {
            let slot = |m: &Value| {
                wanted.iter().position(|(uri, version)| {
                    m["method"] == "textDocument/publishDiagnostics"
                        && m["params"]["uri"] == *uri
                        && m["params"]["version"] == *version
                })
            };
            let msg = self.wait_for(|m| slot(m).is_some_and(|i| found[i].is_none()));
            let diagnostics = msg["params"]["diagnostics"].as_array().unwrap().clone();
            found[slot(&msg).unwrap()] = Some(diagnostics);
        }
        found.into_iter().flatten().collect()
    }

    fn open(&mut self, path: &Path, version: i64, text: &str) -> String {
        let uri = format!("file://{}", path.display());
        let doc = json!({"uri": uri, "languageId": "go", "version": version, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": doc}));
        uri
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        let params = json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        });
        self.notify("textDocument/didChange", params);
    }

    fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// `shutdown`, `exit`, and the exit code.
    fn stop(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// What a diagnostic and a finding agree on: rule, severity, span (1-based, bytes) and message.
type Key = (String, i64, (u64, u64), (u64, u64), String);

fn diagnostic_key(d: &Value) -> Key {
    let pos = |p: &Value| {
        (
            p["line"].as_u64().unwrap() + 1,
            p["character"].as_u64().unwrap() + 1,
        )
    };
    (
        d["code"].as_str().unwrap().to_string(),
        d["severity"].as_i64().unwrap(),
        pos(&d["range"]["start"]),
        pos(&d["range"]["end"]),
        d["message"].as_str().unwrap().to_string(),
    )
}

fn finding_key(f: &Value) -> Key {
    let pos = |p: &Value| (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap());
    let severity = match f["severity"].as_str().unwrap() {
        "critical" | "high" => 1,
        "medium" => 2,
        "low" => 3,
        _ => 4,
    };
    (
        f["rule"].as_str().unwrap().to_string(),
        severity,
        pos(&f["location"]["start"]),
        pos(&f["location"]["end"]),
        f["message"].as_str().unwrap().to_string(),
    )
}

/// The findings `goaudit audit ./... --format json` reports in `dir`, by file.
fn audit_by_file(dir: &Path) -> std::collections::BTreeMap<String, BTreeSet<Key>> {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", "./...", "--format", "json", "--no-cache"])
        .current_dir(dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let mut by_file = std::collections::BTreeMap::<String, BTreeSet<Key>>::new();
    for f in doc["findings"].as_array().unwrap() {
        let file = f["location"]["file"].as_str().unwrap().to_string();
        by_file.entry(file).or_default().insert(finding_key(f));
    }
    by_file
}

fn go_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .collect();
    files.sort();
    files
}

/// Each demo file opened alone (its package reported, what it imports read for its facts)
/// shows exactly the findings the module's audit reports for it.
#[test]
fn every_demo_file_shows_what_the_audit_shows() {
    let cache = tempfile::tempdir().unwrap();
    let expected = audit_by_file(&demo());
    let mut client = Client::start(cache.path());
    let root = demo().canonicalize().unwrap();
    let files = go_files(&root);
    assert!(files.len() > 20, "the demo's files: {files:?}");
    let mut with_findings = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let uri = client.open(path, 1, &text);
        let got: BTreeSet<Key> = client
            .diagnostics(&uri, 1)
            .iter()
            .map(diagnostic_key)
            .collect();
        client.close(&uri);
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let want = expected.get(&rel).cloned().unwrap_or_default();
        assert_eq!(got, want, "{rel}");
        with_findings += usize::from(!want.is_empty());
    }
    assert!(with_findings >= 10, "{with_findings} files with findings");
    assert_eq!(client.stop(), 0);
}

/// A burst of edits: the newest version is published last, with its own findings, and no
/// older version is published after it.
#[test]
fn the_newest_buffer_wins_a_burst_of_edits() {
    let cache = tempfile::tempdir().unwrap();
    let mut client = Client::start(cache.path());
    let path = demo()
        .canonicalize()
        .unwrap()
        .join("internal/db/connect.go");
    let leaky = std::fs::read_to_string(&path).unwrap();
    let fixed = leaky.replacen(LEAKY_RETURN, &format!("\t\tdb.Close()\n{LEAKY_RETURN}"), 1);
    assert_ne!(fixed, leaky, "the fix applies to the demo's text");
    let uri = client.open(&path, 1, &leaky);
    let rules = |ds: &[Value]| {
        ds.iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(rules(&client.diagnostics(&uri, 1)).contains(&"unclosed-resource".to_string()));
    for version in 2..=30 {
        let text = if version % 2 == 0 { &fixed } else { &leaky };
        client.change(&uri, version, text);
    }
    // Version 30 is the fixed text: its diagnostics come, then nothing older.
    let last = client.diagnostics(&uri, 30);
    assert!(
        !rules(&last).contains(&"unclosed-resource".to_string()),
        "{last:?}"
    );
    let answer = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    assert!(answer["result"].is_array(), "{answer}");
    while let Ok(msg) = client.messages.try_recv() {
        let v = &msg["params"]["version"];
        assert!(
            msg["method"] != "textDocument/publishDiagnostics" || v == 30,
            "{msg}"
        );
    }
    assert_eq!(client.stop(), 0);
}

/// Edits in two modules in turn, each cancelling the audit of the other's: both modules'
/// newest buffers are published in the end.
#[test]
fn edits_in_two_modules_cancel_nothing_for_good() {
    let cache = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    copy_tree(&demo(), other.path());
    // No debounce: each edit starts an audit at once, so the next edit lands inside it.
    let mut client = Client::start_with(cache.path(), &["--debounce-ms", "0"]);
    let paths = [
        demo()
            .canonicalize()
            .unwrap()
            .join("internal/db/connect.go"),
        other
            .path()
            .canonicalize()
            .unwrap()
            .join("internal/db/connect.go"),
    ];
    let leaky = std::fs::read_to_string(&paths[0]).unwrap();
    let fixed = leaky.replacen(LEAKY_RETURN, &format!("\t\tdb.Close()\n{LEAKY_RETURN}"), 1);
    let uris: Vec<String> = paths.iter().map(|p| client.open(p, 1, &leaky)).collect();
    for version in 2..=40 {
        let text = if version % 4 < 2 { &fixed } else { &leaky };
        client.change(&uris[(version % 2) as usize], version, text);
        std::thread::sleep(Duration::from_millis(1));
    }
    // The last edits: version 39 of the second module (leaky), 40 of the first (fixed).
    let wanted = [(uris[1].as_str(), 39), (uris[0].as_str(), 40)];
    let published = client.diagnostics_of_each(&wanted);
    for ((uri, version), (ds, leaks)) in wanted.iter().zip(published.iter().zip([true, false])) {
        let found = ds.iter().any(|d| d["code"] == "unclosed-resource");
        assert_eq!(found, leaks, "{uri} at version {version}: {ds:?}");
    }
    assert_eq!(client.stop(), 0);
}

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

fn audit_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .current_dir(demo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `--stdin-filename PATH -` audits the piped text as PATH in its package, reports that file's
/// findings only, and refuses what it cannot do in one line.
#[test]
fn stdin_stands_in_for_the_file() {
    let path = "internal/db/connect.go";
    let leaky = std::fs::read_to_string(demo().join(path)).unwrap();
    let args = [
        "audit",
        "--stdin-filename",
        path,
        "-",
        "--format",
        "concise",
        "--no-cache",
    ];
    let (code, out, _) = audit_stdin(&args, &leaky);
    assert_eq!(code, 1);
    assert!(
        out.lines()
            .all(|l| l.starts_with("internal/db/connect.go:")),
        "{out}"
    );
    assert!(out.contains("unclosed-resource"), "{out}");
    let fixed = leaky.replacen(LEAKY_RETURN, &format!("\t\tdb.Close()\n{LEAKY_RETURN}"), 1);
    let (_, out, _) = audit_stdin(&args, &fixed);
    assert!(!out.contains("unclosed-resource"), "{out}");
    // A package whose findings need the facts of another package of the module.
    let session = "internal/session/service.go";
    let text = std::fs::read_to_string(demo().join(session)).unwrap();
    let args = [
        "audit",
        "--stdin-filename",
        session,
        "-",
        "--format",
        "concise",
        "--no-cache",
    ];
    let (_, piped, _) = audit_stdin(&args, &text);
    let (_, whole, _) = audit_stdin(&["audit", "./...", "--format", "concise", "--no-cache"], "");
    let own: Vec<&str> = whole.lines().filter(|l| l.starts_with(session)).collect();
    assert_eq!(piped.lines().collect::<Vec<_>>(), own);
    assert!(own.iter().any(|l| l.contains("error-wrap-verb")), "{whole}");
    // A file not on disk yet, in a package that is.
    let new = [
        "audit",
        "--stdin-filename",
        "internal/db/new.go",
        "-",
        "--format",
        "concise",
        "--no-cache",
    ];
    let (code, out, _) = audit_stdin(&new, "package db\n\nfunc broken( {\n");
    assert_eq!(code, 1);
    assert!(
        out.starts_with("internal/db/new.go:") && out.contains("parse-error"),
        "{out}"
    );
    for (args, message) in [
        (&["audit", "-"][..], "give --stdin-filename"),
        (
            &["audit", "--stdin-filename", path, "./..."][..],
            "give the one pattern `-`",
        ),
        (
            &["audit", "--stdin-filename", "README.md", "-"][..],
            "not a Go file",
        ),
        (
            &["audit", "--stdin-filename", "nowhere/x.go", "-"][..],
            "cannot find its folder",
        ),
    ] {
        let (code, out, err) = audit_stdin(args, "");
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let (code, _, err) = audit_stdin(&["audit", "--stdin-filename", path, "-"], "package db\x00");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("standard input: not Go source text"), "{err}");
}
