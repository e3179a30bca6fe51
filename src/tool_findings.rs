//! The external tools' findings folded into the built-in ones: the tools' diagnostics are placed like built-in findings (path relative to the report
//! root, snippet, fingerprint), kept only for the files the audit covers and filtered by those
//! files' suppressions (kept from the parse, when the trees are long gone); then the findings of
//! every source that name the same problem on the same line fold into one, listing each source.

use crate::discover::rel_path;
use crate::external::parse::ToolDiagnostic;
use crate::external::ToolRun;
use crate::finding::{self, Finding, Location, Position, Source};
use crate::fxhash::HashMap;
use crate::outcome::FileTable;
use std::path::{Path, PathBuf};

/// Rule ids that name the same problem: a built-in rule and a tool's check, or two tools'
/// checks. Reported on the same line, they become one finding with both sources.
pub const SAME_PROBLEM: &[&[&str]] = &[
    &["parse-error", "govet/compile", "staticcheck/compile"],
    &["unclosed-resource", "govet/lostcancel"],
    &["govet/printf", "staticcheck/SA5009"],
    &["govet/unusedresult", "staticcheck/SA4017"],
    &["govet/unmarshal", "staticcheck/SA1014"],
    &["govet/structtag", "staticcheck/SA5008"],
    &["govet/sigchanyzer", "staticcheck/SA1017"],
    &["govet/testinggoroutine", "staticcheck/SA2002"],
    &["govet/assign", "staticcheck/SA4018"],
    &["waitgroup-misuse", "govet/waitgroup", "staticcheck/SA2000"],
    &["loop-var-capture", "govet/loopclosure"],
    &["waitgroup-misuse", "govet/copylocks"],
];

/// Whether two rule ids name the same problem.
pub fn same_problem(a: &str, b: &str) -> bool {
    a == b
        || SAME_PROBLEM
            .iter()
            .any(|g| g.contains(&a) && g.contains(&b))
}

/// The tools' diagnostics as findings: those kept, and those the files' suppressions silenced.
pub fn place(runs: &[ToolRun], root: &Path, files: &FileTable) -> (Vec<Finding>, Vec<Finding>) {
    let mut texts: HashMap<PathBuf, String> = HashMap::default();
    let mut out = Vec::new();
    let mut suppressed = Vec::new();
    for d in runs.iter().flat_map(|r| &r.diagnostics) {
        let rel = rel_path(root, &d.path);
        let is_go_mod =
            d.path.file_name().is_some_and(|n| n == "go.mod") && !rel.starts_with("../");
        let silenced = match files.get(&rel) {
            Some(f) if f.generated => continue,
            Some(f) => f.suppressions.covers(&d.rule, d.start.line),
            None if is_go_mod => false,
            None => continue,
        };
        let text = texts
            .entry(d.path.clone())
            .or_insert_with(|| crate::source::read_text(&d.path).unwrap_or_default());
        let f = to_finding(d, rel, text);
        if silenced {
            suppressed.push(f);
        } else {
            out.push(f);
        }
    }
    (out, suppressed)
}

fn to_finding(d: &ToolDiagnostic, rel: String, text: &str) -> Finding {
    let lines: Vec<&str> = text.lines().collect();
    let line = |n: usize| lines.get(n.wrapping_sub(1)).copied().unwrap_or("");
    let end = d.end.unwrap_or(Position {
        line: d.start.line,
        column: line(d.start.line).len() + 1,
    });
    let last = end.line.min(d.start.line + 4).max(d.start.line);
    let snippet = (d.start.line..=last)
        .map(line)
        .collect::<Vec<_>>()
        .join("\n");
    Finding {
        rule: d.rule.clone(),
        category: d.category,
        severity: d.severity,
        message: d.message.clone(),
        fingerprint: finding::fingerprint(&d.rule, &rel, None, line(d.start.line)),
        location: Location {
            file: rel,
            start: d.start,
            end,
        },
        related: Vec::new(),
        sources: vec![d.source.clone()],
        snippet,
        fix: None,
        function: None,
        metrics: Default::default(),
    }
}

/// Who wins the primary place when findings fold: goaudit's own rules, then go vet, staticcheck.
fn rank(s: &Source) -> u8 {
    match s {
        Source::Builtin | Source::RuleFile => 0,
        Source::GoVet => 1,
        Source::Staticcheck => 2,
        Source::Govulncheck => 3,
        Source::Llm { .. } => 4,
    }
}

/// Folds findings that report the same problem on the same line into one: the highest-ranked
/// source's finding stays, with every source listed and the highest severity. Exact repeats (go
/// vet reports a file once per package variant, with and without its tests) fold too.
pub fn merge(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| {
        (&a.location.file, a.location.start.line, rank(&a.sources[0])).cmp(&(
            &b.location.file,
            b.location.start.line,
            rank(&b.sources[0]),
        ))
    });
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut group_start = 0;
    for f in findings {
        if out.last().is_none_or(|l| {
            (&l.location.file, l.location.start.line) != (&f.location.file, f.location.start.line)
        }) {
            group_start = out.len();
        }
        match out[group_start..]
            .iter_mut()
            .find(|kept| duplicates(kept, &f))
        {
            Some(kept) => {
                for s in f.sources {
                    if !kept.sources.contains(&s) {
                        kept.sources.push(s);
                    }
                }
                kept.severity = kept.severity.max(f.severity);
            }
            None => out.push(f),
        }
    }
    finding::finalize(&mut out);
    out
}

fn duplicates(a: &Finding, b: &Finding) -> bool {
    if a.sources[0] == b.sources[0] {
        a.rule == b.rule && a.location.start == b.location.start && a.message == b.message
    } else {
        same_problem(&a.rule, &b.rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};

    fn f(rule: &str, line: usize, column: usize, source: Source, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            category: Category::Correctness,
            severity,
            message: format!("{rule} here"),
            location: Location {
                file: "a.go".into(),
                start: Position { line, column },
                end: Position {
                    line,
                    column: column + 1,
                },
            },
            related: Vec::new(),
            sources: vec![source],
            snippet: String::new(),
            fix: None,
            function: None,
            fingerprint: rule.into(),
            metrics: Default::default(),
        }
    }

    #[test]
    fn goroutine_rules_merge_with_the_vet_checks_they_share() {
        assert!(same_problem("loop-var-capture", "govet/loopclosure"));
        assert!(same_problem("waitgroup-misuse", "govet/waitgroup"));
        assert!(same_problem("waitgroup-misuse", "govet/copylocks"));
        assert!(!same_problem("govet/waitgroup", "govet/copylocks"));
    }

    #[test]
    fn same_problem_on_the_same_line_folds_with_both_sources() {
        let out = merge(vec![
            f(
                "staticcheck/SA5009",
                8,
                13,
                Source::Staticcheck,
                Severity::High,
            ),
            f("govet/printf", 8, 20, Source::GoVet, Severity::High),
            f(
                "unclosed-resource",
                11,
                2,
                Source::Builtin,
                Severity::Medium,
            ),
            f("govet/lostcancel", 11, 7, Source::GoVet, Severity::High),
        ]);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[0].rule, "govet/printf");
        assert_eq!(out[0].sources, [Source::GoVet, Source::Staticcheck]);
        assert_eq!(out[1].rule, "unclosed-resource");
        assert_eq!(out[1].sources, [Source::Builtin, Source::GoVet]);
        assert_eq!(out[1].severity, Severity::High);
    }

    #[test]
    fn different_problems_or_lines_stay_apart() {
        let out = merge(vec![
            f("govet/printf", 8, 20, Source::GoVet, Severity::High),
            f(
                "staticcheck/SA4006",
                8,
                2,
                Source::Staticcheck,
                Severity::Medium,
            ),
            f(
                "staticcheck/SA5009",
                9,
                13,
                Source::Staticcheck,
                Severity::High,
            ),
            f("govet/printf", 8, 20, Source::GoVet, Severity::High),
            f("govet/printf", 8, 30, Source::GoVet, Severity::High),
        ]);
        let rules: Vec<_> = out
            .iter()
            .map(|f| {
                (
                    f.rule.as_str(),
                    f.location.start.line,
                    f.location.start.column,
                )
            })
            .collect();
        assert_eq!(
            rules,
            [
                ("staticcheck/SA4006", 8, 2),
                ("govet/printf", 8, 20),
                ("govet/printf", 8, 30),
                ("staticcheck/SA5009", 9, 13)
            ]
        );
    }
}
