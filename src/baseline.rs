//! Baselines: `goaudit baseline -o FILE` records the fingerprints of today's findings and
//! `--baseline FILE` hides them, so a team adopts goaudit without fixing everything first.
//!
//! A fingerprint hashes the rule, the file, the enclosing function and the finding's line text
//! with white space folded (`finding::fingerprint`), plus an occurrence number for identical
//! lines: code that moves keeps its fingerprint and stays hidden, code that changes gets a new
//! one and reappears. The file is JSON, sorted, one entry a finding, so it diffs well in review.
//! A merged complexity finding also matches the fingerprints its figures had as findings of
//! their own (`Baseline::filter`).

use crate::finding::figures;
use crate::finding::Finding;
use crate::fxhash::HashSet;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const VERSION: u32 = 1;

/// One recorded finding; only the fingerprint matters, the rest helps a reviewer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// The baseline of these findings; the model's own findings never enter one
    /// (docs/architecture.md, Trust).
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| !matches!(f.sources.first(), Some(crate::finding::Source::Llm { .. })))
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.clone(),
                file: f.location.file.clone(),
                line: f.location.start.line,
                message: f.message.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.file, a.line, &a.rule, &a.fingerprint).cmp(&(
                &b.file,
                b.line,
                &b.rule,
                &b.fingerprint,
            ))
        });
        Baseline {
            version: VERSION,
            findings: entries,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("baseline serializes") + "\n"
    }

    pub fn load(path: &Path) -> Result<Baseline> {
        let text = crate::bounded::read_text(path, crate::bounded::REPORT_LIMIT, "baseline")?;
        let b: Baseline = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a goaudit baseline", path.display()))?;
        if b.version != VERSION {
            bail!(
                "{}: baseline version {} is not supported (expected {VERSION})",
                path.display(),
                b.version
            );
        }
        Ok(b)
    }

    /// Removes the findings this baseline records; returns how many it removed. A function's
    /// merged complexity finding is recorded when the fingerprint of any of its figures' rules
    /// is: a baseline written when each figure was a finding of its own still hides it, and so
    /// does one written before another figure came to lead.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let recorded = |f: &Finding| {
            known.contains(f.fingerprint.as_str())
                || figures::other_fingerprints(f)
                    .iter()
                    .any(|fp| known.contains(fp.as_str()))
        };
        let before = findings.len();
        findings.retain(|f| !recorded(f));
        before - findings.len()
    }
}
