//! `go vet -json`: one JSON object per package, `{"pkg": {"analyzer": [{"posn", "end",
//! "message"}]}}` (an analyzer that failed has `{"error": "..."}` in place of its list), on
//! standard output since Go 1.25 (on standard error before; both are read). Packages that do not
//! build are reported as text, `# pkg` and `file:line:col: message` lines, on standard error.

use super::parse::{compile_errors, json_and_text, position, resolve, Parsed, ToolDiagnostic};
use super::process::Output;
use crate::catalogue::tools::{govet_category, govet_severity};
use crate::config::tools::ToolChoice;
use crate::finding::Source;
use serde_json::Value;
use std::path::Path;

/// `go vet -json [-analyzer...] patterns`: `printf` runs only the named analyzers, `-printf`
/// turns one off (validated names only, see `config::tools`).
pub fn args(choice: &ToolChoice, patterns: &[String]) -> Vec<String> {
    let mut args = vec!["vet".to_string(), "-json".to_string()];
    for c in &choice.checks {
        args.push(match c.strip_prefix('-') {
            Some(name) => format!("-{name}=false"),
            None => format!("-{c}"),
        });
    }
    args.extend(patterns.iter().cloned());
    args
}

/// Reads both streams of one run in `dir`.
pub fn parse(out: &Output, dir: &Path) -> Parsed {
    let mut parsed = Parsed::default();
    for stream in [&out.stdout, &out.stderr] {
        let (values, text) = json_and_text(stream);
        for v in &values {
            read_object(v, dir, &mut parsed);
        }
        let errors = compile_errors(
            &text,
            dir,
            "govet/compile",
            govet_severity("compile"),
            &Source::GoVet,
        );
        parsed.diagnostics.extend(errors.diagnostics);
        parsed.unrecognised.extend(errors.unrecognised);
    }
    parsed
}

/// `{"pkg": {"analyzer": [diagnostic...] | {"error": "..."}}}`.
fn read_object(v: &Value, dir: &Path, out: &mut Parsed) {
    let Some(packages) = v.as_object() else {
        return;
    };
    for (pkg, analyzers) in packages {
        for (analyzer, items) in analyzers.as_object().into_iter().flatten() {
            if let Some(err) = items.get("error").and_then(Value::as_str) {
                out.unrecognised
                    .push(format!("{pkg}: analyzer {analyzer} failed: {err}"));
                continue;
            }
            for item in items.as_array().into_iter().flatten() {
                if let Some(d) = diagnostic(analyzer, item, dir) {
                    out.diagnostics.push(d);
                }
            }
        }
    }
}

fn diagnostic(analyzer: &str, item: &Value, dir: &Path) -> Option<ToolDiagnostic> {
    let (path, start) = position(item.get("posn")?.as_str()?)?;
    let end = item
        .get("end")
        .and_then(Value::as_str)
        .and_then(position)
        .map(|(_, p)| p)
        .filter(|e| *e >= start);
    Some(ToolDiagnostic {
        rule: format!("govet/{analyzer}"),
        category: govet_category(analyzer),
        severity: govet_severity(analyzer),
        message: item.get("message")?.as_str()?.to_string(),
        path: resolve(dir, path),
        start,
        end,
        source: Source::GoVet,
    })
}
