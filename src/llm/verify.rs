//! Verification: every location the model cites is checked against the code it was shown. A
//! finding in a file outside its unit, or whose quote is neither on the cited line nor within
//! three lines of it, is dropped and counted as unverified; a quote found nearby moves it there.

use super::plan::Unit;
use crate::finding::{self, Category, Finding, Location, Position, Related, Severity, Source};
use serde_json::Value;

/// How far from the cited line a quote may be found.
const SLACK: usize = 3;

/// What the model said about a built-in finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Confirm,
    Dispute,
}

/// A checked finding of the model's, at a location known to hold its quote.
#[derive(Debug, Clone)]
pub struct Checked {
    pub finding: Finding,
    /// Set when the model confirms or disputes a built-in finding (its rule id).
    pub about: Option<(Verdict, String)>,
}

/// The outcome of verifying one unit's answer.
#[derive(Debug, Default)]
pub struct Verified {
    pub findings: Vec<Checked>,
    pub unverified: usize,
    pub moved: usize,
}

/// Verifies every item of an answer against the unit's code.
pub fn verify(unit: &Unit, items: &[Value], model: &str) -> Verified {
    let mut out = Verified::default();
    for item in items {
        match check(unit, item, model) {
            Some((checked, moved)) => {
                out.moved += usize::from(moved);
                out.findings.push(checked);
            }
            None => out.unverified += 1,
        }
    }
    out
}

fn text<'a>(item: &'a Value, key: &str) -> &'a str {
    item.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

fn number(item: &Value, key: &str) -> Option<usize> {
    let v = item.get(key)?;
    v.as_u64()
        .map(|n| n as usize)
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The checked finding and whether it moved, or `None` when it cannot be verified.
fn check(unit: &Unit, item: &Value, model: &str) -> Option<(Checked, bool)> {
    let file = normalise_path(text(item, "file"));
    let excerpt = unit.excerpt(&file)?;
    let cited = number(item, "line")?;
    let quote = normalise_quote(text(item, "quote"));
    if quote.is_empty() {
        return None;
    }
    let line = nearest(cited, |l| {
        excerpt
            .line(l)
            .is_some_and(|t| fold(t).contains(quote.as_str()))
    })?;
    let line_text = excerpt.line(line)?;
    let column = line_text.find(quote.split(' ').next()?).unwrap_or(0) + 1;
    let shift = line as isize - cited as isize;
    let end_line = number(item, "end_line").map(|e| (e as isize + shift).max(0) as usize);
    let end = match end_line {
        Some(e) if e > line && excerpt.line(e).is_some() => Position {
            line: e,
            column: excerpt.line(e).map_or(1, |t| t.len() + 1),
        },
        _ => Position {
            line,
            column: line_text.len() + 1,
        },
    };
    let finding = build(item, model, &file, line, column, end, line_text);
    let about = verdict(item);
    Some((Checked { finding, about }, line != cited))
}

/// The cited line if `holds` it, else the nearest line within the slack that does.
fn nearest(cited: usize, holds: impl Fn(usize) -> bool) -> Option<usize> {
    if holds(cited) {
        return Some(cited);
    }
    (1..=SLACK).find_map(|d| {
        [cited.checked_sub(d), Some(cited + d)]
            .into_iter()
            .flatten()
            .find(|&l| l > 0 && holds(l))
    })
}

fn verdict(item: &Value) -> Option<(Verdict, String)> {
    let rule = text(item, "static_rule");
    let v = match text(item, "verdict").to_ascii_lowercase().as_str() {
        "confirm" => Verdict::Confirm,
        "dispute" => Verdict::Dispute,
        _ => return None,
    };
    (!rule.is_empty()).then(|| (v, rule.to_string()))
}

fn build(
    item: &Value,
    model: &str,
    file: &str,
    line: usize,
    column: usize,
    end: Position,
    line_text: &str,
) -> Finding {
    let category = Category::parse(text(item, "category")).unwrap_or(Category::Correctness);
    let severity = Severity::parse(text(item, "severity")).unwrap_or(Severity::Medium);
    let rule = format!("llm/{category}");
    let title = text(item, "title");
    let explanation = text(item, "explanation");
    let message = match (title.is_empty(), explanation.is_empty()) {
        (false, false) => format!("{}: {explanation}", title.trim_end_matches('.')),
        (false, true) => title.to_string(),
        (true, _) => explanation.to_string(),
    };
    let location = Location {
        file: file.to_string(),
        start: Position { line, column },
        end,
    };
    let suggestion = text(item, "suggestion");
    let related = (!suggestion.is_empty())
        .then(|| Related {
            location: location.clone(),
            message: format!("suggestion: {suggestion}"),
        })
        .into_iter()
        .collect();
    Finding {
        fingerprint: finding::fingerprint(&rule, file, None, line_text),
        rule,
        category,
        severity,
        message: one_line(&message),
        location,
        related,
        sources: vec![Source::Llm {
            model: model.to_string(),
        }],
        snippet: line_text.to_string(),
        fix: None,
        function: None,
        metrics: Default::default(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn normalise_path(p: &str) -> String {
    p.replace('\\', "/").trim_start_matches("./").to_string()
}

/// The quote's first non-empty line, without a copied `N| ` prefix, white space folded.
fn normalise_quote(q: &str) -> String {
    let first = q
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let unnumbered = match first.split_once("| ") {
        Some((n, rest)) if !n.is_empty() && n.trim().chars().all(|c| c.is_ascii_digit()) => rest,
        _ => first,
    };
    fold(unnumbered)
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::plan::{Excerpt, Unit};
    use serde_json::json;

    fn unit() -> Unit {
        let lines: Vec<String> = (1..=20).map(|i| format!("\tx{i} := f({i})")).collect();
        Unit {
            name: "p".into(),
            package: "m/p".into(),
            excerpts: vec![Excerpt {
                file: "p/a.go".into(),
                first_line: 1,
                lines,
            }],
            static_findings: Vec::new(),
            prompt: String::new(),
            tokens: 0,
        }
    }

    fn item(file: &str, line: usize, quote: &str) -> Value {
        json!({"file": file, "line": line, "quote": quote, "severity": "high",
               "category": "leak", "title": "t", "explanation": "e", "suggestion": "s"})
    }

    #[test]
    fn quotes_on_the_line_pass_nearby_ones_move_others_are_dropped() {
        let u = unit();
        let items = vec![
            item("p/a.go", 5, "x5 := f(5)"),
            item("./p/a.go", 5, "7| x7 := f(7)"),
            item("p/a.go", 5, "x9 := f(9)"),
            item("p/b.go", 5, "x5 := f(5)"),
            item("p/a.go", 5, ""),
            item("p/a.go", 50, "x5 := f(5)"),
            json!({"file": "p/a.go"}),
        ];
        let v = verify(&u, &items, "m");
        assert_eq!(v.findings.len(), 2);
        assert_eq!(v.moved, 1);
        assert_eq!(v.unverified, 5);
        let f = &v.findings[1].finding;
        assert_eq!(f.location.start.line, 7);
        assert_eq!(f.location.start.column, 2);
        assert_eq!(f.rule, "llm/leak");
        assert_eq!(f.sources, vec![Source::Llm { model: "m".into() }]);
    }
}
