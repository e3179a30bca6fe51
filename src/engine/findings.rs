//! Diagnostics made findings: position, snippet, enclosing function, fingerprint; and the
//! findings of the engine's own rules (`parse-error`, `internal-error`).

use super::plan::Active;
use crate::config::Settings;
use crate::finding::{self, Finding, Location, Position, Related, Severity, Source};
use crate::rules::{Diagnostic, FileContext};
use crate::source::SourceFile;
use std::collections::BTreeMap;

/// A finding of one of the engine's own rules (`engine-made` in the catalogue) at `line`:`column` of `file`.
pub(super) fn engine_finding(
    file: &SourceFile,
    rule: &str,
    line: usize,
    column: usize,
    message: String,
    settings: &Settings,
) -> Finding {
    let at = EngineAt {
        rel: &file.rel,
        line,
        column,
        snippet: file.line_text(line),
    };
    engine_finding_at(&at, rule, message, settings)
}

/// Where a finding of the engine's own rules points: a file by its report path, a position and
/// the text of that line.
pub(super) struct EngineAt<'a> {
    pub rel: &'a str,
    pub line: usize,
    pub column: usize,
    pub snippet: &'a str,
}

/// A finding of one of the engine's own rules at `at`.
pub(super) fn engine_finding_at(
    at: &EngineAt,
    rule: &str,
    message: String,
    settings: &Settings,
) -> Finding {
    let meta = crate::catalogue::catalogue()
        .get(rule)
        .expect("engine rules are in the catalogue (tested)");
    let severity = settings
        .rules
        .get(rule)
        .map(|r| r.severity)
        .unwrap_or_else(|| meta.severity());
    let (line, column) = (at.line, at.column);
    let end = Position {
        line,
        column: column.max(at.snippet.len() + 1),
    };
    Finding {
        rule: rule.to_string(),
        category: meta.category(),
        severity,
        fingerprint: finding::fingerprint(rule, at.rel, None, at.snippet),
        message,
        location: Location {
            file: at.rel.to_string(),
            start: Position { line, column },
            end,
        },
        related: Vec::new(),
        sources: vec![Source::Builtin],
        snippet: at.snippet.to_string(),
        fix: None,
        function: None,
        metrics: BTreeMap::new(),
    }
}

/// The lines and columns of the bytes `start..end` of `file`.
fn location_of(file: &SourceFile, start: usize, end: usize) -> Location {
    let (sl, sc) = file.position(start);
    let (el, ec) = file.position(end.max(start));
    Location {
        file: file.rel.clone(),
        start: Position {
            line: sl,
            column: sc,
        },
        end: Position {
            line: el,
            column: ec,
        },
    }
}

/// The Finding for a rule's diagnostic: position, snippet, enclosing function, fingerprint.
pub(super) fn to_finding(cx: &FileContext, rule: &Active, d: Diagnostic) -> Finding {
    let file = cx.file;
    let (category, severity, rule) = (rule.category, rule.settings.severity, rule.rule.id());
    let location = location_of(file, d.start_byte, d.end_byte);
    let last = location.end.line.min(location.start.line + 4);
    let snippet = (location.start.line..=last)
        .map(|l| file.line_text(l))
        .collect::<Vec<_>>()
        .join("\n");
    let function = enclosing_function(cx, d.start_byte);
    Finding {
        rule: rule.to_string(),
        category,
        severity: in_its_place(rule, d.severity.unwrap_or(severity), file),
        fingerprint: finding::fingerprint(
            rule,
            &file.rel,
            function.as_deref(),
            file.line_text(location.start.line),
        ),
        message: d.message,
        related: d
            .related
            .into_iter()
            .map(|(s, e, message)| Related {
                location: location_of(file, s, e),
                message,
            })
            .collect(),
        location,
        sources: vec![Source::Builtin],
        snippet,
        fix: d.fix,
        function,
        metrics: d
            .metrics
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

/// Rules whose findings in test code are harmless: a test that ignores an error fails anyway
/// or panics on the bad value, and a resource a test leaks is freed when the test binary exits.
const NOISE_IN_TESTS: [&str; 4] = [
    "ignored-error",
    "unchecked-error",
    "unclosed-resource",
    "defer-in-loop",
];

/// A finding's severity where it is: in test code (tests, examples, testdata, `//go:build
/// ignore` or `//go:build none` files) one level lower than in the program, and `info` for the rules that are
/// noise there. The rule's (or the config's) severity stays the ceiling.
fn in_its_place(rule: &str, severity: Severity, file: &SourceFile) -> Severity {
    if !file.is_test_code() {
        severity
    } else if NOISE_IN_TESTS.contains(&rule) {
        Severity::Info
    } else {
        severity.lower()
    }
}

/// The name (gocyclo's spelling) of the function declaration that holds `byte`, if any.
fn enclosing_function(cx: &FileContext, byte: usize) -> Option<String> {
    let metrics = cx.metrics();
    metrics
        .iter()
        .rev()
        .find(|m| {
            let start = cx.file.byte_at(m.line, m.column);
            let end = cx.file.byte_at(m.end_line + 1, 1);
            start <= byte && byte < end
        })
        .map(|m| m.name.clone())
}
