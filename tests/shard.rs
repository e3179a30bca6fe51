//! `--shard I/N` and `goaudit merge`: the shards' union is the full run, finding for finding, on
//! real trees (the demo module, and a slice of the standard library when Go is installed); a
//! shard whose share is empty exits 0.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs goaudit; returns its exit code and standard output.
fn goaudit(args: &[&str]) -> (i32, String) {
    // No result cache: the shards must compute what the full run found, not read it back.
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .args(if args[0] == "audit" {
            &["--no-cache"][..]
        } else {
            &[]
        })
        .output()
        .expect("goaudit runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().unwrap_or(3) <= 1, "{args:?}: {stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Every finding as a comparable line: rule, place, message, fingerprint.
fn findings(report: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(report).unwrap();
    let mut out: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["rule"], f["location"], f["message"], f["fingerprint"]
            )
        })
        .collect();
    out.sort();
    out
}

/// Each package's shard in a split of `pattern` into `count`, by import path.
fn owners(pattern: &str, count: usize) -> HashMap<String, usize> {
    let found = goaudit::discover::discover(
        &[pattern.to_string()],
        &goaudit::discover::Options {
            tests: true,
            exclude: &globset::GlobSet::empty(),
            overlay: None,
        },
    )
    .unwrap();
    let split = goaudit::shard::split(&found, count);
    let paths = found.packages.iter().map(|p| p.import_path.clone());
    paths.zip(split).collect()
}

fn summary(report: &str, key: &str) -> Value {
    serde_json::from_str::<Value>(report).unwrap()["summary"][key].clone()
}

/// Audits `pattern` whole and in `n` shards, merges the shards, and compares.
fn shards_make_the_full_run(pattern: &str, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (_, full) = goaudit(&["audit", pattern, "-q", "--format", "json", "--deps=false"]);
    let mut files: Vec<PathBuf> = Vec::new();
    for i in 1..=n {
        let shard = format!("{i}/{n}");
        let (_, out) = goaudit(&[
            "audit",
            pattern,
            "-q",
            "--format",
            "json",
            "--deps=false",
            "--shard",
            &shard,
        ]);
        let path = dir.path().join(format!("shard{i}.json"));
        std::fs::write(&path, out).unwrap();
        files.push(path);
    }
    let mut args = vec!["merge", "--format", "json"];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    let (code, merged) = goaudit(&args);
    assert_eq!(code, 0);
    assert!(
        !findings(&full).is_empty(),
        "{pattern}: a tree with findings"
    );
    assert_eq!(findings(&merged), findings(&full), "{pattern}");
    for key in ["packages", "files", "lines", "by_severity", "by_category"] {
        assert_eq!(
            summary(&merged, key),
            summary(&full, key),
            "{pattern}: {key}"
        );
    }
    for format in ["sarif", "markdown"] {
        let mut args = vec!["merge", "--format", format];
        args.extend(files.iter().map(|p| p.to_str().unwrap()));
        let (code, text) = goaudit(&args);
        assert_eq!(code, 0);
        assert!(!text.is_empty());
    }
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo")
}

#[test]
fn shards_of_the_demo_module_make_the_full_run() {
    shards_make_the_full_run(&format!("{}/...", demo().display()), 3);
}

#[test]
fn shards_of_a_stdlib_slice_make_the_full_run() {
    let Ok(out) = Command::new("go").args(["env", "GOROOT"]).output() else {
        eprintln!("no Go toolchain: skipped");
        return;
    };
    let root = String::from_utf8(out.stdout).unwrap();
    let tree = Path::new(root.trim()).join("src/encoding");
    if !tree.is_dir() {
        eprintln!("no standard library sources: skipped");
        return;
    }
    shards_make_the_full_run(&format!("{}/...", tree.display()), 4);
}

#[test]
fn an_empty_shard_exits_zero() {
    let pattern = format!("{}/...", demo().display());
    let (_, full) = goaudit(&["audit", &pattern, "-q", "--format", "json", "--deps=false"]);
    let packages = summary(&full, "packages").as_u64().unwrap() as usize;
    // Among 4 x packages shards, at least one owns no package.
    let n = 4 * packages;
    let owners = owners(&pattern, n);
    let empty = (1..=n)
        .find(|index| !owners.values().any(|s| s == index))
        .unwrap();
    let shard = format!("{empty}/{n}");
    let (code, out) = goaudit(&[
        "audit",
        &pattern,
        "-q",
        "--format",
        "json",
        "--deps=false",
        "--shard",
        &shard,
    ]);
    assert_eq!(code, 0);
    assert!(findings(&out).is_empty());
    assert_eq!(summary(&out, "packages"), 0);
}

/// A module where a handler (`api`) passes a form value to `tools.<call>`: `tools.Run` runs it
/// through a shell, by way of a helper of its own package (whose body a shard must keep, for
/// the first-pass summary `Run`'s reads); `tools.Lookup` runs its argument as a program. Returns the module's folder
/// and the pattern that audits it.
fn agent(call: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    write_agent(dir.path(), call);
    let pattern = format!("{}/...", dir.path().display());
    (dir, pattern)
}

fn write_agent(dir: &Path, call: &str) {
    let tools = "package tools\n\nimport \"os/exec\"\n\n\
        // Run runs a command line through the shell.\nfunc Run(line string) ([]byte, error) {\n\
        \treturn shell(line)\n}\n\n\
        func shell(line string) ([]byte, error) {\n\
        \treturn exec.Command(\"sh\", \"-c\", trim(line)).CombinedOutput()\n}\n\n\
        func trim(s string) string { return s }\n\n\
        // Lookup runs a program.\nfunc Lookup(name string) ([]byte, error) {\n\
        \treturn exec.Command(name).Output()\n}\n";
    let api = format!(
        "package api\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/agent/tools\"\n)\n\n\
         func Exec(w http.ResponseWriter, r *http.Request) {{\n\
         \tout, err := tools.{call}(r.FormValue(\"cmd\"))\n\tif err != nil {{\n\
         \t\thttp.Error(w, err.Error(), 500)\n\t\treturn\n\t}}\n\tw.Write(out)\n}}\n"
    );
    let files = [
        (
            "go.mod",
            "module example.com/agent\n\ngo 1.22\n".to_string(),
        ),
        ("tools/shell.go", tools.to_string()),
        ("api/handler.go", api),
    ];
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The shard count that puts `api` and `tools` apart.
fn apart(pattern: &str) -> usize {
    (2..20)
        .find(|&count| {
            let of = owners(pattern, count);
            of["example.com/agent/api"] != of["example.com/agent/tools"]
        })
        .unwrap()
}

/// A flow that crosses packages (a handler's form value into another package's shell call) is
/// found by the shard that reports the handler, though it only parses the other package for its
/// facts: facts-only packages carry their taint summaries.
#[test]
fn a_shard_follows_taint_into_packages_it_parses_for_facts() {
    let (_dir, pattern) = agent("Run");
    let (_, full) = goaudit(&["audit", &pattern, "-q", "--format", "json"]);
    assert!(full.contains("command-injection"), "{full}");
    shards_make_the_full_run(&pattern, apart(&pattern));
}

/// A shard reads `tools` with the bodies its share does not call emptied, and caches those
/// facts under the names it emptied: once the handler calls `Lookup` instead of `Run`, a shard
/// on the same cache reads `tools` again and finds the flow through `Lookup`.
#[test]
fn a_shard_reads_again_a_body_its_share_starts_to_call() {
    let (dir, pattern) = agent("Run");
    let cache = tempfile::tempdir().unwrap();
    let n = apart(&pattern);
    let shard = format!("{}/{n}", owners(&pattern, n)["example.com/agent/api"]);
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
            .args([
                "audit", &pattern, "-q", "--format", "json", "--shard", &shard,
            ])
            .arg("--cache-dir")
            .arg(cache.path())
            .output()
            .unwrap();
        findings(&String::from_utf8(out.stdout).unwrap())
    };
    let through = |found: &[String], name: &str| {
        found
            .iter()
            .any(|f| f.contains("command-injection") && f.contains(name))
    };
    assert!(through(&run(), "tools.Run"), "{:?}", run());
    write_agent(dir.path(), "Lookup");
    let found = run();
    assert!(through(&found, "tools.Lookup"), "{found:?}");
}
