//! The cost cases of the reliability work: inputs whose analysis once grew with the square of
//! their size. Each test generates its input and checks the work done (a count) or the result at
//! a size that took seconds or gigabytes before; goaudit runs under a 1 GB address-space limit
//! where a regression would take more memory. bench/costs.sh measures the growth.

use goaudit::discover::{self, Options};
use goaudit::schedule::{Role, Schedule};
use std::path::Path;
use std::process::{Command, Output};

/// Runs goaudit on `dir` (`audit ./... --no-cache -q --format json` and `args`) under a 1 GB
/// address-space limit.
fn audit_bounded(dir: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", "./...", "--no-cache", "-q", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("goaudit runs")
}

/// A module holding one file, `a.go`, with `text`.
fn module_with(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("go.mod"), "module fuzz\n\ngo 1.22\n").unwrap();
    std::fs::write(dir.path().join("a.go"), text).unwrap();
    dir
}

/// The rule ids of a JSON report's findings.
fn rules_of(out: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "a JSON report ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// 05: 8,000 conditional lock/unlock pairs in one function (7 s in a release build when the rule
/// re-read the body for each lock; minutes in a debug build) are judged, and found balanced.
#[test]
fn mutex_not_unlocked_is_linear_in_lock_sites() {
    let mut src = String::from(
        "package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\nvar x int\n\nfunc F(c []bool) {\n",
    );
    for i in 0..8000 {
        src.push_str(&format!(
            "\tif c[{i}] {{\n\t\tmu.Lock()\n\t}}\n\tx++\n\tif c[{i}] {{\n\t\tmu.Unlock()\n\t}}\n"
        ));
    }
    src.push_str("\tmu.Lock()\n\tif c[0] {\n\t\treturn\n\t}\n\tmu.Unlock()\n}\n");
    let dir = module_with(&src);
    let out = audit_bounded(
        dir.path(),
        &["--select", "mutex-not-unlocked,analysis-budget"],
    );
    assert_eq!(
        rules_of(&out),
        vec!["mutex-not-unlocked"],
        "only the last lock leaks"
    );
}

/// 06: a 30 MB composite literal took 4.1 GB to parse; over the literal-data budget it is
/// summarised (an `analysis-budget` finding, `info`: exit 0 even at `--fail-on info`, 3 under
/// `--strict`) and the run stays under 1 GB.
#[test]
fn a_huge_composite_literal_is_summarised_within_its_budget() {
    let line = "\t{\"k\": {1, 2, 3, 4, 5, 6, 7, 8}, \"v\": {9, 10}},\n";
    let mut src = String::from("package p\n\nvar X = []map[string][]int{\n");
    src.push_str(&line.repeat(30_000_000 / line.len()));
    src.push_str("}\n\nfunc F(s string) string { return s }\n");
    let dir = module_with(&src);
    let only = ["--select", "analysis-budget,parse-error"];
    let out = audit_bounded(dir.path(), &[&only[..], &["--fail-on", "info"]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "an info budget finding never fails the run"
    );
    assert_eq!(
        rules_of(&out),
        vec!["analysis-budget"],
        "and no parse error"
    );
    let strict = audit_bounded(dir.path(), &[&only[..], &["--strict"]].concat());
    assert_eq!(
        strict.status.code(),
        Some(3),
        "--strict: the audit is incomplete"
    );
}

/// 07: 20,000 nested `func() { ... }()` took 2.6 GB (each call's name held its literal's text).
#[test]
fn nested_closures_take_linear_memory() {
    let n = 20_000;
    let src = format!(
        "package p\n\nfunc F() int {{\n\tx := 0\n{}x++\n{}\treturn x\n}}\n",
        "func() {\n".repeat(n),
        "}()\n".repeat(n)
    );
    let dir = module_with(&src);
    let out = audit_bounded(dir.path(), &[]);
    // Exit 1 for the findings (nesting depth); an abort on the memory limit has no code.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(rules_of(&out).iter().all(|r| r != "analysis-budget"));
}

/// 08: a struct type nested 50,000 deep (3.4 s in a release build when each field's type text
/// was read again; minutes in a debug build) is audited whole.
#[test]
fn nested_struct_types_are_linear() {
    let n = 50_000;
    let src = format!(
        "package p\n\ntype S {}int{}\n",
        "struct{ a ".repeat(n),
        " }".repeat(n)
    );
    let dir = module_with(&src);
    let out = audit_bounded(
        dir.path(),
        &["--select", "all", "--ignore", "nesting-depth"],
    );
    assert!(rules_of(&out).iter().all(|r| r != "analysis-budget"));
}

/// 09: packages in a chain each wait for the one they import, not for every package below
/// them (the waits were the chain's square: 1.9 GB at 20,000 packages).
#[test]
fn a_chain_of_packages_waits_once_an_import() {
    let n = 3000;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("go.mod"), "module fuzz\n\ngo 1.22\n").unwrap();
    for i in 0..n {
        let pkg = dir.path().join(format!("q{i:05}"));
        std::fs::create_dir(&pkg).unwrap();
        let import = match i {
            0 => String::new(),
            _ => format!("import _ \"fuzz/q{:05}\"\n", i - 1),
        };
        let text = format!("package q{i:05}\n\n{import}\nfunc F(x int) int {{ return x }}\n");
        std::fs::write(pkg.join("a.go"), text).unwrap();
    }
    let pattern = format!("{}/...", dir.path().display());
    let none = globset::GlobSet::empty();
    let opts = Options {
        tests: true,
        exclude: &none,
        overlay: None,
    };
    let found = discover::discover(&[pattern], &opts).unwrap();
    assert_eq!(found.packages.len(), n);
    assert_eq!(found.layers.len(), n, "one package a layer");
    let roles = vec![Role::Report; n];
    let schedule = Schedule::new(&found, &roles, &vec![Vec::new(); n]);
    assert_eq!(schedule.wait_count(), n - 1);
}

/// A map type nested 3,668 deep, broken by 4,000 tokens of strings and names, took tree-sitter's
/// error recovery 275 s (a crash of the fuzzer, seed 8). The parser's budget in steps stops it
/// at the same place on every machine: one parse-error finding naming the budget.
#[test]
fn the_parser_stops_at_its_budget_in_steps() {
    let src = format!(
        "package p\n\ntype T {}map{}[int]int\n",
        "map[int]".repeat(500),
        "\"a\"a".repeat(2000)
    );
    let dir = module_with(&src);
    let out = audit_bounded(dir.path(), &["--select", "all"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "parse-error");
    let message = findings[0]["message"].as_str().unwrap();
    let steps = goaudit::budget::parse_steps(src.len());
    assert!(
        message.contains(&format!("over the parser's budget ({steps} steps for")),
        "{message}"
    );
}
