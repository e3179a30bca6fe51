//! Parity with the Go compiler's own parser: over `$(go env GOROOT)/src` and `$(go env
//! GOROOT)/test`, the files goaudit gives a `parse-error` are exactly the files `go/parser`
//! rejects (`scripts/goparse`), and no file `go/parser` accepts has an ERROR or MISSING node in
//! goaudit's tree. The only exceptions are the files `tests/grammar_parity_exceptions.txt` lists,
//! each with its reason; an exception that no longer differs fails the test too, so the list stays
//! true.
//!
//! `GOAUDIT_PARITY_DIRS=dir1:dir2 cargo test --test grammar_parity -- --ignored` runs the same
//! comparison over other trees (the evaluation modules, `scripts/grammar-parity.sh`).

use goaudit::source::SourceFile;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

/// What one parser said of one file: `None` when it accepts it, else the 1-based line of its
/// first error.
type Verdicts = BTreeMap<String, Option<usize>>;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn goroot() -> PathBuf {
    let out = Command::new("go")
        .args(["env", "GOROOT"])
        .output()
        .expect("the go command is on PATH (the README's set-up needs Go)");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Builds `scripts/goparse` once per test binary and returns its path.
fn goparse() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| common::go_command("goparse")).clone()
}

/// go/parser's verdict on every .go file under `dirs`, keyed by path.
fn go_verdicts(dirs: &[PathBuf]) -> Verdicts {
    let out = Command::new(goparse())
        .args(dirs)
        .output()
        .expect("goparse runs");
    assert!(
        out.status.success(),
        "goparse failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("goparse prints UTF-8")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let path = parts.next().unwrap().to_string();
            let at = parts.next().unwrap();
            let verdict = (at != "ok").then(|| at.split(':').next().unwrap().parse().unwrap_or(0));
            (path, verdict)
        })
        .collect()
}

/// goaudit's verdict on one file: the line and message of its `parse-error`, if any, and whether
/// its tree holds an ERROR or MISSING node.
struct Ours {
    problem: Option<(usize, String)>,
    broken_tree: bool,
}

fn goaudit_verdicts(paths: &[&String]) -> BTreeMap<String, Ours> {
    paths
        .par_iter()
        .map(|path| {
            let file = SourceFile::load(Path::new(path.as_str()), path.to_string());
            let broken_tree = file.root().and_then(goaudit::tree::first_error).is_some();
            let problem = file.problem.map(|p| (p.line, p.message));
            (
                path.to_string(),
                Ours {
                    problem,
                    broken_tree,
                },
            )
        })
        .collect()
}

/// The differences between the two parsers, each as `path<TAB>what differs`, paths relative to
/// `base`.
fn differences(dirs: &[PathBuf], base: &Path) -> (Vec<String>, Counts) {
    let go = go_verdicts(dirs);
    let paths: Vec<&String> = go.keys().collect();
    let ours = goaudit_verdicts(&paths);
    let mut counts = Counts::default();
    let mut diffs = Vec::new();
    for (path, go_line) in &go {
        let Ours {
            problem,
            broken_tree,
        } = &ours[path];
        let our_line = problem.as_ref().map(|p| p.0);
        let rel = Path::new(path)
            .strip_prefix(base)
            .map_or(path.clone(), |p| p.to_string_lossy().into_owned());
        counts.tally(*go_line, our_line);
        let what = match (go_line, our_line) {
            (None, Some(line)) => Some(format!(
                "goaudit rejects at line {line} ({}), go/parser accepts",
                problem.as_ref().map_or("", |p| p.1.as_str())
            )),
            (None, None) if *broken_tree => {
                Some("go/parser accepts, goaudit's tree has an error node".into())
            }
            (Some(line), None) => {
                Some(format!("go/parser rejects at line {line}, goaudit accepts"))
            }
            _ => None,
        };
        if let Some(what) = what {
            diffs.push(format!("{rel}\t{what}"));
        }
    }
    (diffs, counts)
}

/// How many files each parser rejects, and on how many of the files both reject they name the
/// same line.
#[derive(Default, Debug)]
struct Counts {
    files: usize,
    go_rejects: usize,
    goaudit_rejects: usize,
    both_reject: usize,
    same_line: usize,
}

impl Counts {
    fn tally(&mut self, go: Option<usize>, ours: Option<usize>) {
        self.files += 1;
        self.go_rejects += usize::from(go.is_some());
        self.goaudit_rejects += usize::from(ours.is_some());
        if let (Some(a), Some(b)) = (go, ours) {
            self.both_reject += 1;
            self.same_line += usize::from(a == b);
        }
    }
}

/// The listed exceptions: the path (relative to GOROOT) of each line `path<TAB>reason`.
fn exceptions() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(manifest().join("tests/grammar_parity_exceptions.txt"))
        .expect("tests/grammar_parity_exceptions.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (path, reason) = l.split_once('\t').expect("path<TAB>reason");
            (path.to_string(), reason.to_string())
        })
        .collect()
}

#[test]
fn goaudit_rejects_exactly_the_files_go_parser_rejects_in_goroot() {
    let root = goroot();
    let (diffs, counts) = differences(&[root.join("src"), root.join("test")], &root);
    eprintln!("GOROOT/src + GOROOT/test: {counts:?}");
    let listed = exceptions();
    let unlisted: Vec<&String> = diffs
        .iter()
        .filter(|d| !listed.contains_key(d.split('\t').next().unwrap()))
        .collect();
    let stale: Vec<&String> = listed
        .keys()
        .filter(|p| {
            !diffs
                .iter()
                .any(|d| d.split('\t').next() == Some(p.as_str()))
        })
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "{} differences not listed:\n{}\n{} listed exceptions that no longer differ:\n{}",
        unlisted.len(),
        unlisted
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        stale.len(),
        stale
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

#[test]
#[ignore = "needs GOAUDIT_PARITY_DIRS; run by scripts/grammar-parity.sh"]
fn goaudit_rejects_exactly_the_files_go_parser_rejects_in_other_trees() {
    let dirs: Vec<PathBuf> = std::env::var("GOAUDIT_PARITY_DIRS")
        .expect("GOAUDIT_PARITY_DIRS=dir1:dir2")
        .split(':')
        .map(PathBuf::from)
        .collect();
    let (diffs, counts) = differences(&dirs, Path::new("/"));
    eprintln!("{counts:?}");
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
