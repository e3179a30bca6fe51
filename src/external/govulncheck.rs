//! `govulncheck -json`: a stream of messages, `{"config"}`, `{"SBOM"}`, `{"progress"}`, `{"osv"}`
//! (one per vulnerability entry) and `{"finding"}`, each finding with the OSV id and a trace from
//! the vulnerable symbol (`trace[0]`) back to the code that reaches it. A vulnerability is found
//! at the most precise level govulncheck reached: a called symbol (high, at the call site), an
//! imported package (low) or a required module (info), the last two placed on `go.mod`.

use super::parse::{json_and_text, resolve, Parsed, ToolDiagnostic};
use super::process::Output;
use crate::finding::{Category, Position, Severity, Source};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `govulncheck -json [-db file://DIR] patterns`.
pub fn args(vuln_db: Option<&Path>, patterns: &[String]) -> Vec<String> {
    let mut args = vec!["-json".to_string()];
    if let Some(db) = vuln_db {
        args.push("-db".into());
        args.push(format!("file://{}", db.display()));
    }
    args.extend(patterns.iter().cloned());
    args
}

/// How far govulncheck followed a vulnerability into the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Module,
    Package,
    Symbol,
}

/// Reads the message stream of one run in `dir`.
pub fn parse(out: &Output, dir: &Path) -> Parsed {
    let (values, text) = json_and_text(&out.stdout);
    let mut summaries = BTreeMap::new();
    let mut roots = BTreeSet::new();
    let mut findings: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for v in &values {
        if let Some(osv) = v.get("osv") {
            let id = str_of(osv, "id");
            let summary = osv
                .get("summary")
                .or(osv.get("details"))
                .and_then(Value::as_str)
                .unwrap_or("");
            summaries.insert(
                id.to_string(),
                summary.lines().next().unwrap_or("").to_string(),
            );
        } else if let Some(sbom) = v.get("SBOM") {
            roots.extend(
                sbom["roots"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(String::from),
            );
        } else if let Some(f) = v.get("finding") {
            findings
                .entry(str_of(f, "osv").to_string())
                .or_default()
                .push(f);
        }
    }
    let mut parsed = Parsed::default();
    for (id, fs) in &findings {
        let level = fs.iter().map(|f| level(f)).max().unwrap_or(Level::Module);
        let summary = summaries.get(id).map(String::as_str).unwrap_or("");
        let mut seen = BTreeSet::new();
        for f in fs.iter().filter(|f| self::level(f) == level) {
            let d = diagnostic(id, summary, f, level, dir, &roots);
            if seen.insert((d.path.clone(), d.start)) {
                parsed.diagnostics.push(d);
            }
        }
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    parsed.unrecognised = text
        .lines()
        .chain(stderr.lines())
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect();
    parsed
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn level(f: &Value) -> Level {
    let first = &f["trace"][0];
    if first.get("function").is_some() {
        Level::Symbol
    } else if first.get("package").is_some() {
        Level::Package
    } else {
        Level::Module
    }
}

fn diagnostic(
    id: &str,
    summary: &str,
    f: &Value,
    level: Level,
    dir: &Path,
    roots: &BTreeSet<String>,
) -> ToolDiagnostic {
    let vuln = &f["trace"][0];
    let module = str_of(vuln, "module");
    let version = str_of(vuln, "version");
    let found = if version.is_empty() {
        module.to_string()
    } else {
        format!("{module}@{version}")
    };
    let fixed = match str_of(f, "fixed_version") {
        "" => "no fixed version yet".to_string(),
        v => format!("fixed in {v}"),
    };
    let (what, severity, (path, start)) = match level {
        Level::Symbol => (
            format!(
                "{}.{} is called",
                str_of(vuln, "package"),
                str_of(vuln, "function")
            ),
            Severity::High,
            call_site(f, dir, roots).unwrap_or_else(|| go_mod_line(dir, module)),
        ),
        Level::Package => (
            format!(
                "package {} is imported, no vulnerable symbol is called",
                str_of(vuln, "package")
            ),
            Severity::Low,
            go_mod_line(dir, module),
        ),
        Level::Module => (
            format!("module {module} is required, no vulnerable package is imported"),
            Severity::Info,
            go_mod_line(dir, module),
        ),
    };
    let summary = if summary.is_empty() {
        String::new()
    } else {
        format!(" {summary}:")
    };
    ToolDiagnostic {
        rule: format!("govulncheck/{id}"),
        category: Category::Security,
        severity,
        message: format!("{id}:{summary} {what} ({found}, {fixed})"),
        path,
        start,
        end: None,
        source: Source::Govulncheck,
    }
}

/// The frame in the audited module that leads to the vulnerable symbol.
fn call_site(f: &Value, dir: &Path, roots: &BTreeSet<String>) -> Option<(PathBuf, Position)> {
    let frames = f["trace"].as_array()?;
    let frame = frames
        .iter()
        .skip(1)
        .filter(|fr| fr.get("position").is_some())
        .find(|fr| roots.is_empty() || roots.contains(str_of(fr, "module")))?;
    let p = &frame["position"];
    let line = p.get("line")?.as_u64()? as usize;
    let column = p.get("column").and_then(Value::as_u64).unwrap_or(1) as usize;
    Some((
        resolve(dir, str_of(p, "filename")),
        Position {
            line,
            column: column.max(1),
        },
    ))
}

/// The `go.mod` line that requires `module` (the `go` line for the standard library).
fn go_mod_line(dir: &Path, module: &str) -> (PathBuf, Position) {
    let path = dir.join("go.mod");
    let text = crate::bounded::read_module_file(&path).unwrap_or_default();
    let line = text
        .lines()
        .position(|l| {
            let l = l.trim();
            if module == "stdlib" || module == "toolchain" {
                l.starts_with("go ")
            } else {
                l.split_whitespace().any(|w| w == module)
            }
        })
        .map_or(1, |i| i + 1);
    (path, Position { line, column: 1 })
}
