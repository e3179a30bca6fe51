//! One complexity finding per function: the four function rules (`cognitive-complexity`,
//! `cyclomatic-complexity`, `nesting-depth`, `function-length`) each report the figures of a
//! function over their limits (`rules::complexity::figure_diagnostic`), and the engine merges
//! what is left of them after suppression comments and `[[rules.per-path]]` into one finding
//! (`engine::per_function`). Suppression and baselines read which figures a finding holds.
//!
//! - The merged finding takes the id, position and fingerprint of the figure *furthest over* its
//!   limit: the largest `value / limit` (compared exactly, as `value × other limit`); a tie goes
//!   to the first in `Figure::ALL`'s order: cognitive, cyclomatic, nesting, lines, statements.
//! - Its message names the function, then every figure over, furthest first, then the advice of
//!   the first: `(*Model).handleKeyPress: cyclomatic complexity 28 (threshold 15), cognitive
//!   complexity 37 (30), 65 statements (60): split it into smaller functions`.
//! - Its severity is the highest of its figures' rules' severities (each as configured, graded
//!   and lowered in test code); every one of them is at most `medium` by default.
//! - Its `metrics` hold each figure over and its limit (`cyclomatic` and
//!   `cyclomatic-threshold`, ...), and `threshold`, the limit of the first.

use crate::finding::{self, Finding};
use std::cmp::Ordering;

/// A function figure that one of the complexity rules limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Cognitive,
    Cyclomatic,
    Nesting,
    Lines,
    Statements,
}

impl Figure {
    /// Every figure, in the order that breaks a tie between figures equally far over.
    pub const ALL: [Figure; 5] = [
        Figure::Cognitive,
        Figure::Cyclomatic,
        Figure::Nesting,
        Figure::Lines,
        Figure::Statements,
    ];

    /// The rule that reports this figure.
    pub fn rule(self) -> &'static str {
        match self {
            Figure::Cognitive => "cognitive-complexity",
            Figure::Cyclomatic => "cyclomatic-complexity",
            Figure::Nesting => "nesting-depth",
            Figure::Lines | Figure::Statements => "function-length",
        }
    }

    /// Its key in `Finding::metrics`.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Cognitive => "cognitive",
            Figure::Cyclomatic => "cyclomatic",
            Figure::Nesting => "nesting",
            Figure::Lines => "lines",
            Figure::Statements => "statements",
        }
    }

    /// The key of its limit in `Finding::metrics`.
    pub fn limit_key(self) -> &'static str {
        match self {
            Figure::Cognitive => "cognitive-threshold",
            Figure::Cyclomatic => "cyclomatic-threshold",
            Figure::Nesting => "nesting-limit",
            Figure::Lines => "lines-limit",
            Figure::Statements => "statements-limit",
        }
    }

    /// The figure in words: `cyclomatic complexity 28`, `65 statements`.
    fn describe(self, value: i64) -> String {
        match self {
            Figure::Cognitive => format!("cognitive complexity {value}"),
            Figure::Cyclomatic => format!("cyclomatic complexity {value}"),
            Figure::Nesting => format!("nesting depth {value}"),
            Figure::Lines => format!("{value} lines"),
            Figure::Statements => format!("{value} statements"),
        }
    }

    /// How its option names the limit.
    fn limit_word(self) -> &'static str {
        match self {
            Figure::Cognitive | Figure::Cyclomatic => "threshold",
            Figure::Nesting | Figure::Lines | Figure::Statements => "limit",
        }
    }

    /// What to do when this figure is the one furthest over.
    fn advice(self) -> &'static str {
        match self {
            Figure::Cognitive => "flatten the nesting or extract helpers",
            Figure::Cyclomatic => "split it into smaller functions",
            Figure::Nesting => "return early or extract the inner blocks",
            Figure::Lines | Figure::Statements => "extract its steps into named functions",
        }
    }

    fn rank(self) -> usize {
        Figure::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// One figure of a function over its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Over {
    pub figure: Figure,
    pub value: i64,
    pub limit: i64,
}

impl Over {
    /// `Less` when `self` is further over its limit than `other` (sorting puts it first): the
    /// larger `value / limit`, a limit of 0 or less counting as 1; then `Figure::ALL`'s order.
    fn further_first(&self, other: &Over) -> Ordering {
        let scaled = |a: &Over, b: &Over| i128::from(a.value) * i128::from(b.limit.max(1));
        scaled(other, self)
            .cmp(&scaled(self, other))
            .then(self.figure.rank().cmp(&other.figure.rank()))
    }
}

/// Whether a rule is one of the four whose findings are merged per function.
pub fn is_function_figure_rule(rule: &str) -> bool {
    Figure::ALL.iter().any(|f| f.rule() == rule)
}

/// `name: figure (threshold N), figure (N), ...: advice`, the figures furthest over first.
pub fn message(name: &str, overs: &[Over]) -> String {
    let mut sorted = overs.to_vec();
    sorted.sort_by(Over::further_first);
    let listed: Vec<String> = sorted
        .iter()
        .enumerate()
        .map(|(i, o)| match i {
            0 => format!(
                "{} ({} {})",
                o.figure.describe(o.value),
                o.figure.limit_word(),
                o.limit
            ),
            _ => format!("{} ({})", o.figure.describe(o.value), o.limit),
        })
        .collect();
    let advice = sorted.first().map_or("", |o| o.figure.advice());
    format!("{name}: {}: {advice}", listed.join(", "))
}

/// The figures over their limits that a complexity finding carries in its `metrics`.
fn overs(f: &Finding) -> Vec<Over> {
    Figure::ALL
        .iter()
        .filter_map(|&figure| {
            Some(Over {
                figure,
                value: *f.metrics.get(figure.key())?,
                limit: *f.metrics.get(figure.limit_key())?,
            })
        })
        .collect()
}

/// The rule of the figure furthest over its limit among one function's findings.
pub fn lead_rule(parts: &[Finding]) -> Option<&'static str> {
    let mut all: Vec<Over> = parts.iter().flat_map(overs).collect();
    all.sort_by(Over::further_first);
    all.first().map(|o| o.figure.rule())
}

/// One function's findings of the four rules (one each at most, all at the same position) as
/// one finding: the lead's id, position and fingerprint; every figure in the message and the
/// metrics; the highest severity.
pub fn merge(mut parts: Vec<Finding>) -> Option<Finding> {
    let lead = lead_rule(&parts)?;
    let at = parts.iter().position(|f| f.rule == lead)?;
    let mut merged = parts.swap_remove(at);
    for part in parts {
        merged.severity = merged.severity.max(part.severity);
        merged.metrics.extend(part.metrics);
    }
    let all = overs(&merged);
    let name = merged.function.clone().unwrap_or_else(|| "function".into());
    merged.message = message(&name, &all);
    let first = all.iter().min_by(|a, b| a.further_first(b));
    if let Some(first) = first {
        merged.metrics.insert("threshold".into(), first.limit);
    }
    Some(merged)
}

/// The rules whose figures a merged complexity finding carries, its own first; empty for a
/// finding of any other rule.
pub fn merged_rules(f: &Finding) -> Vec<&'static str> {
    if !is_function_figure_rule(&f.rule) {
        return Vec::new();
    }
    let mut rules: Vec<&'static str> = Figure::ALL
        .iter()
        .filter(|figure| f.metrics.contains_key(figure.key()))
        .map(|figure| figure.rule())
        .collect();
    rules.sort_by_key(|r| *r != f.rule);
    rules.dedup();
    rules
}

/// The fingerprints a complexity finding of one of the other merged rules would have had here
/// (each figure was its own finding before they were merged): the same rule-free parts, and
/// the occurrence suffix of the finding's own fingerprint.
pub fn other_fingerprints(f: &Finding) -> Vec<String> {
    let suffix = f.fingerprint.find(':').map_or("", |i| &f.fingerprint[i..]);
    let line = f.snippet.lines().next().unwrap_or("");
    merged_rules(f)
        .into_iter()
        .filter(|r| *r != f.rule)
        .map(|rule| {
            let file = &f.location.file;
            let fp = finding::fingerprint(rule, file, f.function.as_deref(), line);
            format!("{fp}{suffix}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Location, Position, Severity, Source};

    fn over(figure: Figure, value: i64, limit: i64) -> Over {
        Over {
            figure,
            value,
            limit,
        }
    }

    /// A finding of the rule of `overs`' first figure, as the engine makes it.
    fn part(severity: Severity, overs: &[Over]) -> Finding {
        let at = Position { line: 3, column: 1 };
        let rule = overs[0].figure.rule();
        let snippet = "func (m *Model) handleKeyPress(msg tea.KeyMsg) tea.Cmd {".to_string();
        let function = "(*Model).handleKeyPress";
        let mut metrics = std::collections::BTreeMap::new();
        for o in overs {
            metrics.insert(o.figure.key().to_string(), o.value);
            metrics.insert(o.figure.limit_key().to_string(), o.limit);
        }
        Finding {
            rule: rule.into(),
            category: Category::Complexity,
            severity,
            message: message(function, overs),
            fingerprint: finding::fingerprint(rule, "m.go", Some(function), &snippet),
            location: Location {
                file: "m.go".into(),
                start: at,
                end: at,
            },
            related: Vec::new(),
            sources: vec![Source::Builtin],
            snippet,
            fix: None,
            function: Some(function.into()),
            metrics,
        }
    }

    #[test]
    fn the_figure_furthest_over_leads_and_every_figure_is_listed() {
        let parts = vec![
            part(Severity::Medium, &[over(Figure::Cognitive, 37, 30)]),
            part(Severity::Medium, &[over(Figure::Cyclomatic, 28, 15)]),
            part(Severity::Low, &[over(Figure::Statements, 65, 60)]),
        ];
        let cyclomatic_fp = parts[1].fingerprint.clone();
        let f = merge(parts).expect("merged");
        assert_eq!(f.rule, "cyclomatic-complexity");
        assert_eq!(f.fingerprint, cyclomatic_fp);
        assert_eq!(f.severity, Severity::Medium);
        assert_eq!(
            f.message,
            "(*Model).handleKeyPress: cyclomatic complexity 28 (threshold 15), cognitive complexity 37 (30), 65 statements (60): split it into smaller functions"
        );
        assert_eq!(f.metrics["threshold"], 15);
        assert_eq!(f.metrics["statements"], 65);
        assert_eq!(
            merged_rules(&f),
            [
                "cyclomatic-complexity",
                "cognitive-complexity",
                "function-length"
            ]
        );
    }

    #[test]
    fn ratios_compare_exactly_and_ties_go_to_the_fixed_order() {
        // 20/10 and 30/15 are the same ratio: cognitive comes first.
        let a = vec![
            part(Severity::Medium, &[over(Figure::Cyclomatic, 30, 15)]),
            part(Severity::Medium, &[over(Figure::Cognitive, 20, 10)]),
        ];
        assert_eq!(lead_rule(&a), Some("cognitive-complexity"));
        // 7/5 = 1.4 is further over than 41/30 ≈ 1.37.
        let b = vec![
            part(Severity::Medium, &[over(Figure::Cognitive, 41, 30)]),
            part(Severity::Low, &[over(Figure::Nesting, 7, 5)]),
        ];
        assert_eq!(lead_rule(&b), Some("nesting-depth"));
        // A function-length finding leads by the further of its two figures.
        let c = vec![
            part(Severity::Medium, &[over(Figure::Cyclomatic, 16, 15)]),
            part(
                Severity::Low,
                &[
                    over(Figure::Lines, 101, 100),
                    over(Figure::Statements, 90, 60),
                ],
            ),
        ];
        let f = merge(c).expect("merged");
        assert_eq!(f.rule, "function-length");
        assert_eq!(f.severity, Severity::Medium);
        assert!(f.message.starts_with("(*Model).handleKeyPress: 90 statements (limit 60), cyclomatic complexity 16 (15), 101 lines (100): extract"), "{}", f.message);
    }

    #[test]
    fn one_figure_is_its_own_finding() {
        let alone = part(Severity::Low, &[over(Figure::Nesting, 6, 5)]);
        let f = merge(vec![alone.clone()]).expect("merged");
        assert_eq!(f.message, alone.message);
        assert_eq!(
            f.message,
            "(*Model).handleKeyPress: nesting depth 6 (limit 5): return early or extract the inner blocks"
        );
        assert_eq!(f.fingerprint, alone.fingerprint);
        assert!(other_fingerprints(&f).is_empty());
    }

    #[test]
    fn a_merged_finding_knows_the_fingerprints_its_figures_had_alone() {
        let parts = vec![
            part(Severity::Medium, &[over(Figure::Cognitive, 37, 30)]),
            part(Severity::Low, &[over(Figure::Statements, 65, 60)]),
        ];
        let length_fp = parts[1].fingerprint.clone();
        let mut f = merge(parts).expect("merged");
        assert_eq!(other_fingerprints(&f), std::slice::from_ref(&length_fp));
        f.fingerprint.push_str(":1");
        assert_eq!(other_fingerprints(&f), [format!("{length_fp}:1")]);
    }
}
