//! The one harness for every rule's fixtures: `testdata/<rule-id>/` holds Go code where each line
//! that must be reported carries `// want "regexp"` (the Go analysis framework's convention) and
//! every other line must stay silent. Reports Missing (wanted, not found) and Noisy (found, not
//! wanted) lines for all rules at once.

use goaudit::catalogue::catalogue;
use goaudit::config::{self, Overrides};
use goaudit::engine::{self, Request};
use goaudit::finding::Finding;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// `// want "a" "b"` or with backquotes: the expected message patterns of one line.
fn wants(line: &str) -> Vec<Regex> {
    let Some(at) = line.find("// want ") else {
        return Vec::new();
    };
    let quoted = Regex::new(r#""((?:[^"\\]|\\.)*)"|`([^`]*)`"#).unwrap();
    quoted
        .captures_iter(&line[at + 8..])
        .map(|c| {
            let raw = c
                .get(1)
                .map(|m| unquote(m.as_str()))
                .unwrap_or_else(|| c[2].to_string());
            Regex::new(&raw).unwrap_or_else(|e| panic!("bad want regexp {raw:?}: {e}"))
        })
        .collect()
}

/// The value of a Go interpreted string literal's body: `\\(` is the regexp `\(`.
fn unquote(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Runs one rule over its fixture folder, then over each variant folder `testdata/<rule-id>@<name>/`
/// (fixtures of an option, set by that folder's own `goaudit.toml`); returns the problems found,
/// one line each.
fn check_rule(id: &str) -> Vec<String> {
    let mut problems = check_dir(id, &testdata().join(id));
    for dir in variants(id) {
        problems.extend(check_dir(id, &dir));
    }
    problems
}

/// The variant folders of a rule: `testdata/command-injection@local-sources/`.
fn variants(id: &str) -> Vec<PathBuf> {
    let prefix = format!("{id}@");
    let mut out: Vec<PathBuf> = std::fs::read_dir(testdata())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

fn check_dir(id: &str, dir: &Path) -> Vec<String> {
    check_dir_selecting(id, dir, vec![id.to_string()])
}

/// Checks a folder's `// want` lines and its fixes against the findings of the rules `select`
/// names.
fn check_dir_selecting(id: &str, dir: &Path, select: Vec<String>) -> Vec<String> {
    let outcome = audit(dir, select);
    let mut problems = want_problems(id, dir, &outcome);
    problems.extend(check_fixes(id, dir, &outcome));
    problems
}

/// The findings of the rules `select` names on a folder, configured by its own files.
fn audit(dir: &Path, select: Vec<String>) -> goaudit::outcome::Outcome {
    let overrides = Overrides {
        select: Some(select),
        ..Overrides::default()
    };
    let settings = config::resolve(dir, &overrides).expect("fixture config is valid");
    let pattern = format!("{}/...", dir.display());
    engine::run(&Request::new(&[pattern], &settings)).expect("fixture folder audits")
}

/// The `// want` lines of a folder not matched by a finding (Missing), and the findings on no
/// such line (Noisy).
fn want_problems(id: &str, dir: &Path, outcome: &goaudit::outcome::Outcome) -> Vec<String> {
    let mut found: BTreeMap<(String, usize), Vec<&Finding>> = BTreeMap::new();
    for f in &outcome.findings {
        found
            .entry((f.location.file.clone(), f.location.start.line))
            .or_default()
            .push(f);
    }
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "go") {
            continue;
        }
        let rel = outcome_rel(&outcome.summary.root, entry.path());
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            let key = (rel.clone(), i + 1);
            let mut got = found.remove(&key).unwrap_or_default();
            for want in wants(line) {
                match got.iter().position(|f| want.is_match(&f.message)) {
                    Some(k) => {
                        got.remove(k);
                    }
                    None => problems.push(format!(
                        "{id}: Missing {rel}:{}: want {:?}",
                        i + 1,
                        want.as_str()
                    )),
                }
            }
            for f in got {
                problems.push(format!("{id}: Noisy {rel}:{}: {}", i + 1, f.message));
            }
        }
    }
    for ((file, line), fs) in found {
        for f in fs {
            problems.push(format!("{id}: Noisy {file}:{line}: {}", f.message));
        }
    }
    problems
}

/// Every fixture file whose findings carry fixes has its text with all of them applied (safe
/// and unsafe) beside it, as `<file>.go.fixed`, and each `.go.fixed` is that text
/// (`GOAUDIT_BLESS=1` writes them).
fn check_fixes(id: &str, dir: &Path, outcome: &goaudit::outcome::Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let bless = std::env::var_os("GOAUDIT_BLESS").is_some();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "go") {
            continue;
        }
        let rel = outcome_rel(&outcome.summary.root, &path);
        let fixes: Vec<&goaudit::finding::Fix> = outcome
            .findings
            .iter()
            .filter(|f| f.location.file == rel)
            .filter_map(|f| f.fix.as_ref())
            .collect();
        let fixed_path = PathBuf::from(format!("{}.fixed", path.display()));
        let expected = std::fs::read_to_string(&fixed_path).ok();
        if fixes.is_empty() && expected.is_none() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let applied = goaudit::fix::apply(&text, &fixes);
        if bless {
            std::fs::write(&fixed_path, &applied.text).unwrap();
            continue;
        }
        match expected {
            None => problems.push(format!(
                "{id}: Unfixed {rel}: its fixes have no {rel}.fixed"
            )),
            Some(want) if want != applied.text => {
                problems.push(format!("{id}: Fixed {rel}: differs from {rel}.fixed"))
            }
            Some(_) => {}
        }
        for why in applied.skipped {
            problems.push(format!("{id}: Skipped fix in {rel}: {why}"));
        }
    }
    problems
}

fn outcome_rel(root: &str, path: &Path) -> String {
    goaudit::discover::rel_path(&PathBuf::from(root), &path.canonicalize().unwrap())
}

/// Rules whose fixtures cannot be written as Go files: a crash inside goaudit itself, and a
/// budget overrun (its inputs are megabytes; `tests/costs.rs` generates them).
const NO_FIXTURES: &[&str] = &["internal-error", "analysis-budget"];

/// `GOAUDIT_FIXTURES=rule-a,rule-b` checks only those rules (while others' fixtures are being written).
fn selected(id: &str) -> bool {
    std::env::var("GOAUDIT_FIXTURES").map_or(true, |only| only.split(',').any(|r| r == id))
}

/// Checks one rule against its fixtures (the tests generated from `rules/*.toml` by `build.rs`,
/// one per rule, call it).
fn meets_its_fixtures(id: &str) {
    if NO_FIXTURES.contains(&id) || !selected(id) {
        return;
    }
    assert!(
        catalogue().rules.iter().any(|r| r.id == id),
        "rules/{id}.toml is not in the catalogue"
    );
    let problems = check_rule(id);
    assert!(
        problems.is_empty(),
        "{} fixture problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

mod rule {
    use super::meets_its_fixtures;
    include!(concat!(env!("OUT_DIR"), "/fixture_tests.rs"));
}

#[test]
fn every_rule_has_fixtures_with_a_want_and_a_silent_twin() {
    for rule in &catalogue().rules {
        if NO_FIXTURES.contains(&rule.id.as_str()) || !selected(&rule.id) {
            continue;
        }
        let dir = testdata().join(&rule.id);
        assert!(
            dir.is_dir(),
            "rule {} has no fixtures in testdata/{}/",
            rule.id,
            rule.id
        );
        let texts: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "go"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        let want_lines = texts
            .iter()
            .flat_map(|t| t.lines())
            .filter(|l| l.contains("// want "))
            .count();
        let lines = texts.iter().flat_map(|t| t.lines()).count();
        assert!(
            want_lines > 0,
            "rule {} has no `// want` line in its fixtures",
            rule.id
        );
        assert!(
            lines > 3 * want_lines,
            "rule {}'s fixtures need silent code beside the bugs",
            rule.id
        );
    }
}

/// Go 1.26 syntax (`new(expr)`, a shadowed `make` or `new`) parses whole: no `parse-error`, and
/// a rule's finding later in the same function is still reported.
#[test]
fn go126_syntax_is_parsed_whole_and_audited() {
    let select = ["parse-error", "unchecked-error"]
        .map(String::from)
        .to_vec();
    let problems = check_dir_selecting("go126-syntax", &testdata().join("go126-syntax"), select);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn want_parser_reads_both_quote_styles() {
    let w = wants(r#"x := 1 // want "a\"b\\(" `c.d`"#);
    assert_eq!(w.len(), 2);
    assert!(w[0].is_match("a\"b("));
    assert!(w[1].is_match("cxd"));
}

/// `testdata/recall/`: real bugs fixed in 2022 or later, retold small (`SOURCES.md` names each
/// report), each beside its fix. Every fixed twin is silent with every rule but complexity on;
/// each bug is found at its `// want` line exactly when `SOURCES.md` says "found", so the recall
/// figure it quotes stays true (a change that finds one more fails here until the table says so).
#[test]
fn recall_fixtures_match_their_sources() {
    let root = testdata().join("recall");
    let sources = std::fs::read_to_string(root.join("SOURCES.md")).expect("SOURCES.md");
    let select: Vec<String> = catalogue()
        .rules
        .iter()
        .filter(|r| r.category != "complexity" && !NO_FIXTURES.contains(&r.id.as_str()))
        .map(|r| r.id.clone())
        .collect();
    let mut problems = Vec::new();
    let mut rows = 0;
    for line in sources
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" | "))
    {
        let cells: Vec<&str> = line
            .split(" | ")
            .map(|c| c.trim_matches(['|', ' ']))
            .collect();
        let folder = cells[0];
        let Some(bug_cell) = cells.get(cells.len().wrapping_sub(2)) else {
            continue;
        };
        if !root.join(folder).is_dir() {
            continue;
        }
        rows += 1;
        let id = format!("recall/{folder}");
        problems.extend(check_dir_selecting(
            &id,
            &root.join(folder).join("fixed"),
            select.clone(),
        ));
        let bug = check_dir_selecting(&id, &root.join(folder).join("bug"), select.clone());
        let found = bug_cell.starts_with("found");
        let only_missing = bug.len() == 1 && bug[0].contains(": Missing ");
        match (found, bug.is_empty(), only_missing) {
            (true, true, _) | (false, _, true) => {}
            (true, false, _) => problems.extend(bug),
            (false, true, _) => problems.push(format!("{id}: found now; say so in SOURCES.md")),
            (false, false, false) => problems.extend(bug),
        }
    }
    let folders = std::fs::read_dir(&root)
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert_eq!(
        rows, folders,
        "every folder of testdata/recall has one row in SOURCES.md"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The rules that find goroutines that never end and deadlocks: their fixtures are rewritten by
/// `scripts/variants` and must keep their verdicts.
const VARIANT_RULES: &[&str] = &[
    "goroutine-blocked-send",
    "goroutine-blocked-receive",
    "waitgroup-misuse",
    "double-lock",
    "lock-order-inversion",
    "mutex-not-unlocked",
    "blocking-under-lock",
    "cond-misuse",
];

/// Each package of those rules' fixtures (the rule's folder and each folder under it), rewritten
/// five ways that keep its meaning: identifiers renamed, files split in two, functions made
/// methods, functions made closures, unrelated statements inserted. Every copy gives the verdict
/// of its source: each `// want` line found (the identifiers it names matching either name, any
/// line number), nothing else, except the variants `tests/variant_exceptions.txt` lists with
/// their reasons.
#[test]
fn concurrency_fixtures_keep_their_verdicts_in_every_variant() {
    let mut sources: Vec<(&str, PathBuf)> = Vec::new();
    for rule in VARIANT_RULES.iter().copied().filter(|r| selected(r)) {
        let root = testdata().join(rule);
        sources.push((rule, root.clone()));
        for e in walkdir::WalkDir::new(&root)
            .min_depth(1)
            .sort_by_file_name()
        {
            let e = e.unwrap();
            if e.file_type().is_dir() {
                sources.push((rule, e.into_path()));
            }
        }
    }
    let out = tempfile::tempdir().unwrap();
    let made = std::process::Command::new(common::go_command("variants"))
        .arg(out.path())
        .args(sources.iter().map(|(_, dir)| dir))
        .output()
        .expect("scripts/variants runs");
    assert!(
        made.status.success(),
        "scripts/variants failed: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let exceptions = variant_exceptions();
    let mut problems = Vec::new();
    let mut differing = std::collections::BTreeSet::new();
    let mut checked = 0;
    for line in String::from_utf8(made.stdout).unwrap().lines() {
        let mut parts = line.split('\t');
        let (index, kind) = (parts.next().unwrap(), parts.next().unwrap());
        let (rule, source) = &sources[index.parse::<usize>().unwrap()];
        let dir = out.path().join(index).join(kind);
        let outcome = audit(&dir, vec![rule.to_string()]);
        let rel = source
            .strip_prefix(testdata())
            .unwrap()
            .display()
            .to_string();
        let found = want_problems(rule, &dir, &outcome);
        let key = format!("{rel} {kind}");
        if !found.is_empty() {
            differing.insert(key.clone());
        }
        if !exceptions.contains(&key) {
            problems.extend(found.iter().map(|p| format!("{rel} ({kind}): {p}")));
        }
        checked += 1;
    }
    for gone in exceptions.iter().filter(|e| !differing.contains(*e)) {
        problems.push(format!(
            "{gone}: listed in tests/variant_exceptions.txt but gives its source's verdict now; remove the line"
        ));
    }
    assert!(
        checked >= 2 * sources.len(),
        "only {checked} variants written"
    );
    assert!(
        problems.is_empty(),
        "{} problems in {checked} variants:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `tests/variant_exceptions.txt`: "<fixture folder> <kind>" per line, `#` comments.
fn variant_exceptions() -> std::collections::BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/variant_exceptions.txt");
    std::fs::read_to_string(path)
        .expect("tests/variant_exceptions.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}
