//! What the adapters share: the diagnostic they produce, and readers for the text the go tool
//! prints (`file:line:col: message` lines under `# package` headers) and for streams of JSON
//! values mixed with such text.

use crate::finding::{Category, Position, Severity, Source};
use std::path::{Component, Path, PathBuf};

/// One diagnostic of a tool, before it is placed in the report (path made relative, snippet
/// read, suppressions applied).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDiagnostic {
    /// `govet/printf`, `staticcheck/SA4006`, `govulncheck/GO-2024-2687`.
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    /// Absolute.
    pub path: PathBuf,
    pub start: Position,
    pub end: Option<Position>,
    pub source: Source,
}

/// What an adapter read from one run.
#[derive(Debug, Default)]
pub struct Parsed {
    pub diagnostics: Vec<ToolDiagnostic>,
    /// Output lines that were neither a diagnostic nor known chatter, for the failure message.
    pub unrecognised: Vec<String>,
}

/// `dir.join(path)`, with `.` and `..` folded, without touching the file system.
pub fn resolve(dir: &Path, path: &str) -> PathBuf {
    let joined = dir.join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path:line:col` or `path:line`, as go tools print positions.
pub fn position(text: &str) -> Option<(&str, Position)> {
    let mut parts = text.rsplitn(3, ':');
    let last = parts.next()?;
    let middle = parts.next()?;
    match (middle.parse::<usize>(), last.parse::<usize>(), parts.next()) {
        (Ok(line), Ok(column), Some(path)) if !path.is_empty() => {
            Some((path, Position { line, column }))
        }
        _ => {
            let line = last.parse().ok()?;
            let path = text.strip_suffix(last)?.strip_suffix(':')?;
            Some((path, Position { line, column: 1 }))
        }
    }
}

/// A `path.go:line:col: message` line (maybe prefixed `vet: `) as its parts.
fn error_line(line: &str) -> Option<(&str, Position, &str)> {
    let line = line.strip_prefix("vet: ").unwrap_or(line);
    let at = line.find(".go:")? + 3;
    let rest = &line[at + 1..];
    let (pos_end, message) = match rest.find(": ") {
        Some(i) => (at + 1 + i, &rest[i + 2..]),
        None => return None,
    };
    let (path, start) = position(&line[..pos_end])?;
    Some((path, start, message))
}

/// Reads build and type errors printed by the go tool: `# pkg` headers, `file:line:col: msg`
/// lines (relative to `dir` or absolute), indented continuation lines. Everything else that is
/// not chatter (`go: downloading ...`) is returned as unrecognised.
pub fn compile_errors(
    text: &str,
    dir: &Path,
    rule: &str,
    severity: Severity,
    source: &Source,
) -> Parsed {
    let mut out = Parsed::default();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with("# ") || line.starts_with("go: downloading") {
            continue;
        }
        if let Some((path, start, message)) = error_line(line) {
            out.diagnostics.push(ToolDiagnostic {
                rule: rule.to_string(),
                category: Category::Correctness,
                severity,
                message: message.trim().to_string(),
                path: resolve(dir, path),
                start,
                end: None,
                source: source.clone(),
            });
        } else if line.starts_with('\t') || line.starts_with("    ") {
            if let Some(last) = out.diagnostics.last_mut() {
                last.message.push_str("; ");
                last.message.push_str(line.trim());
            }
        } else {
            out.unrecognised.push(line.trim().to_string());
        }
    }
    out
}

/// Splits output into the JSON values in it and the other text: go vet prints one indented
/// JSON object per package (`{` and `}` alone on their lines), staticcheck and govulncheck a
/// stream of values; build errors come between them as plain lines.
pub fn json_and_text(bytes: &[u8]) -> (Vec<serde_json::Value>, String) {
    let text = String::from_utf8_lossy(bytes);
    let mut values = Vec::new();
    let mut other = String::new();
    let mut rest: &str = &text;
    while !rest.is_empty() {
        let trimmed = rest.trim_start();
        if trimmed.starts_with('{') {
            let mut stream =
                serde_json::Deserializer::from_str(trimmed).into_iter::<serde_json::Value>();
            if let Some(Ok(v)) = stream.next() {
                values.push(v);
                let after = &trimmed[stream.byte_offset()..];
                let after = after.trim_start_matches([' ', '\t', '\r']);
                rest = after.strip_prefix('\n').unwrap_or(after);
                continue;
            }
        }
        let (line, next) = rest.split_once('\n').unwrap_or((rest, ""));
        other.push_str(line);
        other.push('\n');
        rest = next;
    }
    (values, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let (p, pos) = position("/a/b.go:11:7").unwrap();
        assert_eq!((p, pos.line, pos.column), ("/a/b.go", 11, 7));
        let (p, pos) = position("b.go:3").unwrap();
        assert_eq!((p, pos.line, pos.column), ("b.go", 3, 1));
        assert!(position("nothing here").is_none());
    }

    #[test]
    fn compile_error_text() {
        let text = "# example.com/m/p\np/p.go:6:9: cannot use x\n\thave int\nvet: q/q.go:2:1: declared and not used: n\ngo: downloading x v1\nsomething odd\n";
        let got = compile_errors(
            text,
            Path::new("/m"),
            "govet/compile",
            Severity::High,
            &Source::GoVet,
        );
        assert_eq!(got.diagnostics.len(), 2);
        assert_eq!(got.diagnostics[0].path, PathBuf::from("/m/p/p.go"));
        assert_eq!(got.diagnostics[0].message, "cannot use x; have int");
        assert_eq!(got.diagnostics[1].start, Position { line: 2, column: 1 });
        assert_eq!(got.unrecognised, ["something odd"]);
    }

    #[test]
    fn json_values_between_text() {
        let (values, text) =
            json_and_text(b"# p\nx.go:1:2: bad\n{\n\t\"a\": 1\n}\n{\"b\": 2}\n{\"c\":3}\ntail\n");
        assert_eq!(values.len(), 3);
        assert_eq!(text, "# p\nx.go:1:2: bad\ntail\n");
    }

    #[test]
    fn resolve_folds_dots() {
        assert_eq!(
            resolve(Path::new("/m/a"), "../b/./c.go"),
            PathBuf::from("/m/b/c.go")
        );
        assert_eq!(
            resolve(Path::new("/m"), "/abs/x.go"),
            PathBuf::from("/abs/x.go")
        );
    }
}
