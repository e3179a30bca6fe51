//! `--format text` (a finding with its source line and a marker, then a summary) and
//! `--format concise` (one line a finding, for grep and editors).

use super::Context;
use crate::escape::controls;
use crate::finding::{Finding, Severity};
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

fn summary(out: &mut String, cx: &Context, p: &Paint) {
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

/// How many findings have a fix and how to apply them, when any has.
fn fixes_line(findings: &[Finding]) -> Option<String> {
    let (safe, unsafe_fixes) = crate::fix::available(findings);
    let (one, them) = match safe + unsafe_fixes {
        1 => ("fix", "it"),
        _ => ("fixes", "them"),
    };
    match (safe, unsafe_fixes) {
        (0, 0) => None,
        (s, 0) => Some(format!("{s} {one} available: `--fix` applies {them}, `--diff` shows {them}")),
        (0, u) => Some(format!("{u} unsafe {one} available (changing behaviour): `--unsafe-fixes` applies {them}, `--diff` shows {them}")),
        (s, u) => Some(format!("{} fixes available: `--fix` applies the {s} safe, `--unsafe-fixes` the {u} unsafe too (they may change behaviour), `--diff` shows them", s + u)),
    }
}
