//! `goaudit merge` (this module is `join` beside `merge`, which merges sources within a run): joins the JSON reports of `--shard` runs into one report. Findings are
//! concatenated and put back in report order; the summary's counts are summed (each package is
//! in one shard), its rules joined, its severities and categories counted again, and its
//! duration is the longest shard's (shards run side by side).

use crate::audit::Summary;
use crate::cli::MergeArgs;
use crate::finding::{self, Finding};
use crate::{output, report};
use anyhow::{Context as _, Result};
use serde::Deserialize;
use std::path::Path;

/// The parts of a `--format json` report that a merge reads.
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
    unreadable: Vec<crate::audit::Unreadable>,
}

/// Runs `goaudit merge`; exits 0 (failing a build is the shards' `--fail-on`).
pub fn run(args: &MergeArgs) -> Result<i32> {
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
    Ok(
        if output::write_report(args.output.as_deref(), &rendered.text) {
            0
        } else {
            3
        },
    )
}

/// Reads and joins the reports.
pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<(Vec<Finding>, Summary)> {
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    for path in paths {
        let path = path.as_ref();
        let text = crate::bounded::read_text(path, crate::bounded::REPORT_LIMIT, "report")?;
        let doc: Doc = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a goaudit JSON report", path.display()))?;
        add(&mut summary, doc.summary);
        findings.extend(doc.findings);
    }
    finding::finalize(&mut findings);
    summary.recount(&findings);
    Ok((findings, summary))
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
