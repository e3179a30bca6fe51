//! `--format text` (a finding with its source line and a marker, then a summary) and
//! `--format concise` (one line a finding, for grep and editors).

use super::Context;
use crate::escape::controls;
use crate::finding::{Finding, Severity};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt::Write;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;35m",
        Severity::High => "\x1b[1;31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
        Severity::Info => "\x1b[2m",
    }
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

fn head(f: &Finding, p: &Paint) -> String {
    format!(
        "{}: {} {}: {}",
        p.wrap(
            BOLD,
            &format!(
                "{}:{}:{}",
                controls(&f.location.file),
                f.location.start.line,
                f.location.start.column
            )
        ),
        p.wrap(severity_color(f.severity), f.severity.as_str()),
        p.wrap(DIM, &controls(&f.rule)),
        controls(&f.message)
    )
}

pub fn concise(cx: &Context) -> String {
    let p = Paint(cx.color);
    let mut out = String::new();
    for f in cx.findings {
        let _ = writeln!(out, "{}", head(f, &p));
    }
    out
}

pub fn full(cx: &Context) -> String {
    let p = Paint(cx.color);
    let mut out = String::new();
    for f in cx.findings {
        let _ = writeln!(out, "{}", head(f, &p));
        snippet(&mut out, f, &p);
        for r in &f.related {
            let _ = writeln!(
                out,
                "   {} {}:{}:{}: {}",
                p.wrap(DIM, "note:"),
                controls(&r.location.file),
                r.location.start.line,
                r.location.start.column,
                controls(&r.message)
            );
        }
        out.push('\n');
    }
    summary(&mut out, cx, &p);
    out
}

/// The finding's first source line (control characters escaped) with a `^^^` marker under
/// its span.
fn snippet(out: &mut String, f: &Finding, p: &Paint) {
    let Some(raw) = f.snippet.lines().next() else {
        return;
    };
    let number = f.location.start.line.to_string();
    let gutter = " ".repeat(number.len());
    let line = controls(raw).replace('\t', "    ");
    let col = f.location.start.column.saturating_sub(1).min(raw.len());
    let col = (0..=col)
        .rev()
        .find(|&c| raw.is_char_boundary(c))
        .unwrap_or(0);
    let indent = shown_width(&raw[..col]);
    let end_col = if f.location.end.line == f.location.start.line {
        f.location
            .end
            .column
            .saturating_sub(1)
            .clamp(col + 1, raw.len().max(col + 1))
    } else {
        raw.len().max(col + 1)
    };
    let width = raw.get(col..end_col).map_or(1, shown_width).max(1);
    let _ = writeln!(out, " {} {}", p.wrap(DIM, &format!("{number} |")), line);
    let _ = writeln!(
        out,
        " {gutter} {} {}{}",
        p.wrap(DIM, "|"),
        " ".repeat(indent),
        p.wrap(severity_color(f.severity), &"^".repeat(width))
    );
}

/// How many columns `s` takes once escaped, a tab counted as the 4 spaces it is shown as.
fn shown_width(s: &str) -> usize {
    controls(s)
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The closing summary: the findings by rule, the totals, what `--fix` would do, the LLM's part.
fn summary(out: &mut String, cx: &Context, p: &Paint) {
    rule_counts(out, cx.findings, p);
    let s = cx.summary;
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| s.by_severity.get(sev).map(|n| (sev, n)))
        .map(|(sev, n)| p.wrap(severity_color(*sev), &format!("{n} {sev}")))
        .collect();
    let total = cx.findings.len();
    let found = if total == 0 {
        "no findings".to_string()
    } else {
        format!(
            "{total} finding{}: {}",
            if total == 1 { "" } else { "s" },
            counts.join(", ")
        )
    };
    let suppressed = if s.suppressed > 0 {
        format!(", {} suppressed", s.suppressed)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{found} ({} file{} in {} package{}, {} lines, {:.2}s{suppressed})",
        s.files,
        if s.files == 1 { "" } else { "s" },
        s.packages,
        if s.packages == 1 { "" } else { "s" },
        s.lines,
        s.duration_ms / 1000.0
    );
    if let Some(line) = fixes_line(cx.findings) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(llm) = &s.llm {
        let _ = writeln!(out, "{}", controls(&llm.line()));
    }
}

/// One line a rule, the most severe rules first, then those with more findings:
/// `  3 unclosed-resource  (1 critical, 2 high) [*]`, or `(high)` when all have one severity;
/// `[*]` when some have a fix.
fn rule_counts(out: &mut String, findings: &[Finding], p: &Paint) {
    let mut rules: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        rules.entry(&f.rule).or_default().push(f);
    }
    let mut rules: Vec<(&str, Vec<&Finding>)> = rules.into_iter().collect();
    rules.sort_by_key(|(rule, fs)| {
        let worst = fs.iter().map(|f| f.severity).max();
        (Reverse(worst), Reverse(fs.len()), *rule)
    });
    let name_width = rules
        .iter()
        .map(|(r, _)| r.chars().count())
        .max()
        .unwrap_or(0);
    let count_width = rules
        .iter()
        .map(|(_, fs)| fs.len().to_string().len())
        .max()
        .unwrap_or(0);
    for (rule, fs) in &rules {
        let by_severity: Vec<(&Severity, usize)> = Severity::ALL
            .iter()
            .map(|sev| (sev, fs.iter().filter(|f| f.severity == *sev).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let by_severity: Vec<String> = match by_severity.as_slice() {
            [(sev, _)] => vec![p.wrap(severity_color(**sev), sev.as_str())],
            several => several
                .iter()
                .map(|(sev, n)| p.wrap(severity_color(**sev), &format!("{n} {sev}")))
                .collect(),
        };
        let fixable = if fs.iter().any(|f| f.fix.is_some()) {
            " [*]"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:>count_width$} {}{}  ({}){fixable}",
            fs.len(),
            p.wrap(BOLD, &controls(rule)),
            " ".repeat(name_width - rule.chars().count()),
            by_severity.join(", ")
        );
    }
}

/// How many findings `--fix` fixes and how many more `--unsafe-fixes` does, in ruff's words,
/// when any has a fix.
fn fixes_line(findings: &[Finding]) -> Option<String> {
    let (safe, unsafe_fixes) = crate::fix::available(findings);
    let (they, them) = match unsafe_fixes {
        1 => ("it changes", "it"),
        _ => ("they change", "them"),
    };
    match (safe, unsafe_fixes) {
        (0, 0) => None,
        (s, 0) => Some(format!("[*] {s} fixable with --fix")),
        (0, u) => Some(format!(
            "[*] {u} fixable with --unsafe-fixes ({they} behaviour; --diff shows {them})"
        )),
        (s, u) => Some(format!(
            "[*] {s} fixable with --fix, {u} more with --unsafe-fixes ({they} behaviour; --diff shows {them})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Applicability;
    use crate::report::sample;

    fn text_of(findings: &[Finding]) -> String {
        let summary = sample::summary(findings);
        full(&Context {
            findings,
            summary: &summary,
            color: false,
            suppressed: &[],
            exit_code: 1,
        })
    }

    #[test]
    fn summary_counts_rules_most_severe_first_and_marks_fixes() {
        let mut findings = sample::findings();
        let mut second = findings[0].clone();
        second.severity = Severity::High;
        second.fix = None;
        findings.push(second);
        let text = text_of(&findings);
        let tail: Vec<&str> = text
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert_eq!(
            tail[0],
            "  2 unclosed-resource      (1 critical, 1 high) [*]"
        );
        assert_eq!(tail[1], "  1 cyclomatic-complexity  (high)");
        assert_eq!(tail[2], "  1 function-length        (low)");
        assert!(
            tail[3].starts_with("4 findings: 1 critical, 2 high, 1 low (5 files"),
            "{}",
            tail[3]
        );
        assert_eq!(
            tail[4],
            "[*] 1 fixable with --unsafe-fixes (it changes behaviour; --diff shows it)"
        );
    }

    #[test]
    fn fixes_line_says_what_each_flag_fixes() {
        let mut findings = sample::findings();
        assert_eq!(fixes_line(&findings[1..]), None);
        findings[0].fix.as_mut().unwrap().applicability = Applicability::Safe;
        assert_eq!(fixes_line(&findings).unwrap(), "[*] 1 fixable with --fix");
        let mut unsafe_one = findings[0].clone();
        unsafe_one.fix.as_mut().unwrap().applicability = Applicability::Unsafe;
        findings.push(unsafe_one.clone());
        findings.push(unsafe_one);
        assert_eq!(
            fixes_line(&findings).unwrap(),
            "[*] 1 fixable with --fix, 2 more with --unsafe-fixes (they change behaviour; --diff shows them)"
        );
    }
}
