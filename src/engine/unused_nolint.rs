//! `unused-nolint`, run once at the end of a run, after every finding (the external tools'
//! included) was suppressed or not: only then is it known which suppression comments matched
//! something. It reads what the result cache keeps of each package (the files' suppressions and
//! the suppressed findings), so a warm cache gives the same answer as a cold run.

use super::findings::{engine_finding_at, EngineAt};
use crate::config::Settings;
use crate::finding::Finding;
use crate::fxhash::{HashMap, HashSet};
use crate::outcome::FileTable;

const RULE: &str = "unused-nolint";

/// Findings that mean a file's audit was partial: its comments are not judged.
const PARTIAL_AUDIT: &[&str] = &["parse-error", "internal-error", "analysis-budget"];

/// `unused-nolint`'s findings: those kept, and those a comment naming the rule (or
/// `nolintlint`) silenced. `findings` and `suppressed` are all of the run's others.
pub(super) fn findings(
    files: &FileTable,
    findings: &[Finding],
    suppressed: &[Finding],
    settings: &Settings,
) -> (Vec<Finding>, Vec<Finding>) {
    let (mut kept, mut silenced) = (Vec::new(), Vec::new());
    if !settings.enabled(RULE) {
        return (kept, silenced);
    }
    let partial = partially_audited(findings.iter().chain(suppressed));
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::default();
    for f in suppressed {
        by_file.entry(f.location.file.as_str()).or_default().push(f);
    }
    let ran = |rule: &str| settings.enabled(rule);
    for (rel, file) in files {
        if file.generated || partial.contains(rel.as_str()) {
            continue;
        }
        let matched = by_file.get(rel.as_str()).map_or(&[][..], Vec::as_slice);
        for u in file.suppressions.unused(matched, &ran) {
            let at = EngineAt {
                rel,
                line: u.line,
                column: u.column,
                snippet: &u.line_text,
            };
            let f = engine_finding_at(&at, RULE, u.message, settings);
            if file.suppressions.covers(RULE, u.line) {
                silenced.push(f);
            } else {
                kept.push(f);
            }
        }
    }
    (kept, silenced)
}

/// The files with a finding that says their audit was partial.
fn partially_audited<'a>(all: impl Iterator<Item = &'a Finding>) -> HashSet<&'a str> {
    all.filter(|f| PARTIAL_AUDIT.contains(&f.rule.as_str()))
        .map(|f| f.location.file.as_str())
        .collect()
}
