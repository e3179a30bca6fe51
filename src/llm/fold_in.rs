//! Merging the model's verified findings into the built-in ones. The model may add findings and
//! confirm built-in ones; it never removes or downgrades one: a dispute becomes a note on it.

use super::verify::{Checked, Verdict};
use crate::finding::{Finding, Related, Source};

/// How the model's findings went in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// New `llm/...` findings.
    pub added: usize,
    /// Built-in findings the model confirmed or found too (the model added as a source).
    pub confirmed: usize,
    /// Built-in findings the model disputed (a note added).
    pub disputed: usize,
    /// Verdicts about a built-in finding that is not there.
    pub unmatched: usize,
}

/// Adds `checked` to `findings`.
pub fn apply(findings: &mut Vec<Finding>, checked: Vec<Checked>) -> Merged {
    let mut m = Merged::default();
    for c in checked {
        let Checked { finding, about } = c;
        let model = match finding.sources.first() {
            Some(Source::Llm { model }) => model.clone(),
            _ => "the model".to_string(),
        };
        match about {
            Some((Verdict::Dispute, rule)) => match builtin(findings, &finding, Some(&rule)) {
                Some(i) => {
                    findings[i].related.push(Related {
                        location: finding.location.clone(),
                        message: format!("{model} disputes this: {}", finding.message),
                    });
                    m.disputed += 1;
                }
                None => m.unmatched += 1,
            },
            Some((Verdict::Confirm, rule)) => match builtin(findings, &finding, Some(&rule)) {
                Some(i) => {
                    corroborate(&mut findings[i], finding, model);
                    m.confirmed += 1;
                }
                None => m.unmatched += 1,
            },
            None => match builtin(findings, &finding, None) {
                Some(i) => {
                    corroborate(&mut findings[i], finding, model);
                    m.confirmed += 1;
                }
                None => {
                    findings.push(finding);
                    m.added += 1;
                }
            },
        }
    }
    m
}

/// The model agrees with a built-in finding: it becomes a source, and its words a note.
fn corroborate(target: &mut Finding, llm: Finding, model: String) {
    let source = Source::Llm {
        model: model.clone(),
    };
    if !target.sources.contains(&source) {
        target.sources.push(source);
    }
    target.related.push(Related {
        location: llm.location,
        message: format!("{model} agrees: {}", llm.message),
    });
}

/// The built-in (non-LLM) finding the model's finding is about: with `rule`, that rule's
/// finding nearest the line (within three lines); without, one on the same line and category.
fn builtin(findings: &[Finding], llm: &Finding, rule: Option<&str>) -> Option<usize> {
    let line = llm.location.start.line;
    findings
        .iter()
        .enumerate()
        .filter(|(_, f)| !matches!(f.sources.first(), Some(Source::Llm { .. })))
        .filter(|(_, f)| f.location.file == llm.location.file)
        .filter(|(_, f)| match rule {
            Some(r) => f.rule == r && f.location.start.line.abs_diff(line) <= 3,
            None => f.location.start.line == line && f.category == llm.category,
        })
        .min_by_key(|(_, f)| f.location.start.line.abs_diff(line))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    /// The shared test finding (`tests_support::at`).
    fn finding(rule: &str, line: usize, source: Source) -> Finding {
        super::tests_support::at(rule, line, source)
    }

    fn llm(line: usize, about: Option<(Verdict, String)>) -> Checked {
        Checked {
            finding: finding("llm/leak", line, Source::Llm { model: "m".into() }),
            about,
        }
    }

    #[test]
    fn disputes_become_notes_and_never_remove_or_downgrade() {
        let mut fs = vec![finding("unclosed-resource", 10, Source::Builtin)];
        let m = apply(
            &mut fs,
            vec![llm(
                11,
                Some((Verdict::Dispute, "unclosed-resource".into())),
            )],
        );
        assert_eq!(m.disputed, 1);
        assert_eq!(fs.len(), 1);
        assert_eq!(fs[0].severity, Severity::High);
        assert!(fs[0].related[0].message.contains("disputes"));
    }

    #[test]
    fn same_line_findings_merge_and_others_are_added() {
        let mut fs = vec![finding("unclosed-resource", 10, Source::Builtin)];
        let m = apply(&mut fs, vec![llm(10, None), llm(20, None)]);
        assert_eq!((m.added, m.confirmed), (1, 1));
        assert_eq!(fs.len(), 2);
        assert_eq!(fs[0].sources.len(), 2);
        assert_eq!(fs[0].sources[0], Source::Builtin);
    }
}

#[cfg(test)]
mod baseline_tests {
    use super::tests_support::*;

    #[test]
    fn llm_findings_never_enter_a_baseline() {
        let fs = vec![builtin_at(10), llm_at(12)];
        let b = crate::baseline::Baseline::of(&fs);
        assert_eq!(b.findings.len(), 1);
        assert_eq!(b.findings[0].rule, "unclosed-resource");
    }
}

#[cfg(test)]
mod tests_support {
    use crate::finding::{Category, Finding, Location, Position, Severity, Source};

    pub(super) fn at(rule: &str, line: usize, source: Source) -> Finding {
        Finding {
            rule: rule.into(),
            category: Category::Leak,
            severity: Severity::High,
            message: "m".into(),
            location: Location {
                file: "a.go".into(),
                start: Position { line, column: 1 },
                end: Position { line, column: 2 },
            },
            related: Vec::new(),
            sources: vec![source],
            snippet: String::new(),
            fix: None,
            function: None,
            metrics: Default::default(),
            fingerprint: format!("fp{line}"),
        }
    }

    pub fn builtin_at(line: usize) -> Finding {
        at("unclosed-resource", line, Source::Builtin)
    }

    pub fn llm_at(line: usize) -> Finding {
        at("llm/leak", line, Source::Llm { model: "m".into() })
    }
}
