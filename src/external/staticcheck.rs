//! `staticcheck -f json`: one JSON object a line, `{"code", "severity", "location": {"file",
//! "line", "column"}, "end", "message"}`. A package that does not build is code `compile` with
//! an empty location and the go tool's error text (`# pkg\nfile:line:col: msg`) as message.

use super::parse::{compile_errors, json_and_text, resolve, Parsed, ToolDiagnostic};
use super::process::Output;
use crate::catalogue::tools::{staticcheck_category, staticcheck_severity};
use crate::config::tools::ToolChoice;
use crate::finding::{Position, Source};
use serde_json::Value;
use std::path::Path;

/// `staticcheck -f json [-checks a,b] [-tests=false] patterns` (checks validated in config).
pub fn args(choice: &ToolChoice, tests: bool, patterns: &[String]) -> Vec<String> {
    let mut args = vec!["-f".to_string(), "json".to_string()];
    if !choice.checks.is_empty() {
        args.push("-checks".into());
        args.push(choice.checks.join(","));
    }
    if !tests {
        args.push("-tests=false".into());
    }
    args.extend(patterns.iter().cloned());
    args
}

/// Reads standard output's JSON lines; standard error holds only failures.
pub fn parse(out: &Output, dir: &Path) -> Parsed {
    let mut parsed = Parsed::default();
    let (values, text) = json_and_text(&out.stdout);
    for v in &values {
        read_line(v, dir, &mut parsed);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    parsed.unrecognised.extend(
        text.lines()
            .chain(stderr.lines())
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string()),
    );
    parsed
}

fn read_line(v: &Value, dir: &Path, out: &mut Parsed) {
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
    let code = text("code");
    if text("severity") == "ignored" || code.is_empty() {
        return;
    }
    let file = v
        .pointer("/location/file")
        .and_then(Value::as_str)
        .unwrap_or("");
    if file.is_empty() {
        let errors = compile_errors(
            text("message"),
            dir,
            &format!("staticcheck/{code}"),
            staticcheck_severity(code),
            &Source::Staticcheck,
        );
        out.diagnostics.extend(errors.diagnostics);
        out.unrecognised.extend(errors.unrecognised);
        return;
    }
    let start = pos(v.get("location")).unwrap_or(Position { line: 1, column: 1 });
    out.diagnostics.push(ToolDiagnostic {
        rule: format!("staticcheck/{code}"),
        category: staticcheck_category(code),
        severity: staticcheck_severity(code),
        message: text("message").to_string(),
        path: resolve(dir, file),
        start,
        end: pos(v.get("end")).filter(|e| *e >= start),
        source: Source::Staticcheck,
    });
}

fn pos(v: Option<&Value>) -> Option<Position> {
    let v = v?;
    let line = v.get("line")?.as_u64()? as usize;
    let column = v.get("column")?.as_u64()? as usize;
    (line > 0).then_some(Position {
        line,
        column: column.max(1),
    })
}
