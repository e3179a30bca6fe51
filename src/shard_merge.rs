//! `goaudit merge`: joins the JSON reports of `--shard` runs into one report. Findings are
//! concatenated and put back in report order; the summary's counts are summed (each package is
//! in one shard), its rules joined, its severities and categories counted again, and its
//! duration is the longest shard's (shards run side by side).
//!
//! The reports must add up to one run, or the merge is refused naming the report at fault: each
//! is JSON `version` 1 of goaudit; each carries its shard `I/N` (a report without one is a full
//! run, 1/1), all with the same N, every I from 1 to N exactly once; and all have the same root
//! and run identity (goaudit version, rules and options, tree: `shard::RunIdentity`).

use crate::finding::{self, Finding};
use crate::outcome::Summary;
use crate::report::json::SCHEMA_VERSION;
use crate::shard::{RunIdentity, Shard};
use crate::{output, report};
use anyhow::{bail, Context as _, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The parts of a `--format json` report that a merge reads (`version` and `tool` are checked
/// before: `read_doc`).
#[derive(Deserialize)]
struct Doc {
    summary: Counts,
    findings: Vec<Finding>,
}

/// The summary's own fields; the per-severity and per-category counts are recomputed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Counts {
    root: String,
    packages: usize,
    files: usize,
    lines: usize,
    bytes: usize,
    generated_files: usize,
    rules: Vec<String>,
    suppressed: usize,
    duration_ms: f64,
    repo_prefix: String,
    baselined: usize,
    unchanged: usize,
    unreadable: Vec<crate::outcome::Unreadable>,
    shard: Option<Shard>,
    identity: Option<RunIdentity>,
}

impl Counts {
    /// The shard the report covers: a report of a full run is 1/1.
    fn shard(&self) -> Shard {
        self.shard.unwrap_or(Shard { index: 1, count: 1 })
    }
}

/// What `goaudit merge` is asked: the shards' reports, and the report to write of them.
pub struct MergeRequest {
    /// The shards' JSON reports (`--format json`).
    pub inputs: Vec<PathBuf>,
    /// The merged report's format.
    pub format: report::Format,
    /// Where to write it (`None`: standard output).
    pub output: Option<PathBuf>,
}

/// Runs `goaudit merge`; exits 0 (failing a build is the shards' `--fail-on`).
pub fn run(args: &MergeRequest) -> Result<i32> {
    let (findings, summary) = merge_files(&args.inputs)?;
    let rendered = report::render(
        args.format,
        &report::Context {
            findings: &findings,
            summary: &summary,
            color: false,
            suppressed: &[],
            exit_code: 0,
        },
    );
    for w in &rendered.warnings {
        crate::eprintln_escaped!("goaudit: {w}");
    }
    let written = output::write_report(args.output.as_deref(), &rendered.text);
    let summarised = rendered.step_summary.as_ref().is_none_or(|s| s.write());
    Ok(if written && summarised { 0 } else { 3 })
}

/// Reads and joins the reports, once they are checked to be the shards of one run.
pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<(Vec<Finding>, Summary)> {
    let docs = paths
        .iter()
        .map(|p| read_doc(p.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    check_one_run(&docs)?;
    check_every_shard_once(&docs)?;
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    for (_, doc) in docs {
        summary.identity = doc.summary.identity.clone();
        add(&mut summary, doc.summary);
        findings.extend(doc.findings);
    }
    finding::finalize(&mut findings);
    summary.recount(&findings);
    Ok((findings, summary))
}

/// Reads one report: goaudit's JSON, of a version this goaudit knows.
fn read_doc(path: &Path) -> Result<(PathBuf, Doc)> {
    let text = crate::bounded::read_text(path, crate::bounded::REPORT_LIMIT, "report")?;
    let not_a_report = || format!("{} is not a goaudit JSON report", path.display());
    let head: serde_json::Value = serde_json::from_str(&text).with_context(not_a_report)?;
    if head["version"] != SCHEMA_VERSION {
        bail!(
            "{}: report version {} is not one this goaudit reads (version {SCHEMA_VERSION})",
            path.display(),
            head["version"]
        );
    }
    if head["tool"]["name"] != "goaudit" {
        bail!("{}: the report of another tool", not_a_report());
    }
    let doc: Doc = serde_json::from_value(head).with_context(not_a_report)?;
    Ok((path.to_path_buf(), doc))
}

/// Refuses reports of different runs: another root, goaudit version, rule set or tree.
fn check_one_run(docs: &[(PathBuf, Doc)]) -> Result<()> {
    let Some((first_path, first)) = docs.first() else {
        return Ok(());
    };
    for (path, doc) in &docs[1..] {
        let why = if doc.summary.root != first.summary.root {
            format!(
                "its root is {}, not {}",
                doc.summary.root, first.summary.root
            )
        } else if let Some(what) =
            identity_difference(&first.summary.identity, &doc.summary.identity)
        {
            format!("its {what} differs")
        } else {
            continue;
        };
        bail!(
            "{} is not a shard of the run of {}: {why}",
            path.display(),
            first_path.display()
        );
    }
    Ok(())
}

/// What differs between two run identities, if anything.
fn identity_difference(a: &Option<RunIdentity>, b: &Option<RunIdentity>) -> Option<&'static str> {
    match (a, b) {
        (Some(a), Some(b)) if a.goaudit != b.goaudit => Some("goaudit version"),
        (Some(a), Some(b)) if a.options != b.options => Some("rule set or options"),
        (Some(a), Some(b)) if a.tree != b.tree => Some("tree (another checkout or module)"),
        (Some(_), None) | (None, Some(_)) => Some("run identity (one report has none)"),
        _ => None,
    }
}

/// Refuses shards of different counts, a shard given twice, and a missing shard.
fn check_every_shard_once(docs: &[(PathBuf, Doc)]) -> Result<()> {
    let Some((first_path, first)) = docs.first() else {
        return Ok(());
    };
    let count = first.summary.shard().count;
    let mut seen: BTreeMap<usize, &Path> = BTreeMap::new();
    for (path, doc) in docs {
        let shard = doc.summary.shard();
        if shard.index == 0 || shard.index > shard.count {
            bail!("{}: shard {shard} is not a shard", path.display());
        }
        if shard.count != count {
            bail!(
                "{} is shard {shard}, but {} is one of {count}",
                path.display(),
                first_path.display()
            );
        }
        if let Some(earlier) = seen.insert(shard.index, path) {
            bail!(
                "{} and {} are both shard {shard}",
                earlier.display(),
                path.display()
            );
        }
    }
    if seen.len() < count {
        let missing: Vec<String> = (1..=count)
            .filter(|i| !seen.contains_key(i))
            .take(5)
            .map(|i| format!("{i}/{count}"))
            .collect();
        bail!(
            "{} of {count} shards missing (shard {}{}): merge needs them all",
            count - seen.len(),
            missing.join(", "),
            if count - seen.len() > missing.len() {
                ", ..."
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// Adds one shard's counts to the merged summary.
fn add(s: &mut Summary, c: Counts) {
    if s.root.is_empty() {
        s.root = c.root;
        s.repo_prefix = c.repo_prefix;
    }
    s.packages += c.packages;
    s.files += c.files;
    s.lines += c.lines;
    s.bytes += c.bytes;
    s.generated_files += c.generated_files;
    s.suppressed += c.suppressed;
    s.baselined += c.baselined;
    s.unchanged += c.unchanged;
    s.duration_ms = s.duration_ms.max(c.duration_ms);
    for r in c.rules {
        if !s.rules.contains(&r) {
            s.rules.push(r);
        }
    }
    for dir in c.unreadable {
        if !s.unreadable.contains(&dir) {
            s.unreadable.push(dir);
        }
    }
}
