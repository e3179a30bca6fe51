//! The one finding type that every source produces and every reporter reads.

pub mod figures;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How bad a finding is, on the scale a security audit uses. Ordered from least to most severe,
/// so `a >= b` reads "a is at least as severe as b".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// One level down (`info` stays `info`).
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }

    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Self::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of bug a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Leak,
    Goroutine,
    Errors,
    Complexity,
    Concurrency,
    Security,
    Style,
    Correctness,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Leak,
        Category::Goroutine,
        Category::Errors,
        Category::Complexity,
        Category::Concurrency,
        Category::Security,
        Category::Style,
        Category::Correctness,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Leak => "leak",
            Category::Goroutine => "goroutine",
            Category::Errors => "errors",
            Category::Complexity => "complexity",
            Category::Concurrency => "concurrency",
            Category::Security => "security",
            Category::Style => "style",
            Category::Correctness => "correctness",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who found a finding. The first source of a finding is the primary one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Builtin,
    GoVet,
    Staticcheck,
    Govulncheck,
    Llm { model: String },
    RuleFile,
}

/// A 1-based line and a 1-based column counted in bytes, as `go vet` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A span of a file; `file` is relative to the module root (or the folder audited) with `/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub start: Position,
    pub end: Position,
}

/// A second place that explains a finding, such as where a leaked resource was acquired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// Whether applying a fix keeps the program's behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Behaviour kept: applied by `--fix`.
    Safe,
    /// Behaviour changes (a `Close()` added, a buffer given): applied only with `--unsafe-fixes`.
    Unsafe,
}

/// One text replacement; byte offsets into the file's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub start_byte: usize,
    pub end_byte: usize,
    pub start: Position,
    pub end: Position,
    pub replacement: String,
}

/// A suggested change that resolves a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub description: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// One problem found in the audited code, from any source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    pub sources: Vec<Source>,
    /// The source lines of the location, so reporters never reopen files.
    #[serde(default)]
    pub snippet: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// The function or method the finding sits in, in gocyclo's spelling, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Stable across line shifts: rule, file, enclosing function and normalised line text.
    #[serde(default)]
    pub fingerprint: String,
    /// Figures behind the finding, by name (`cyclomatic`, `cognitive`, `threshold`, ...), so
    /// reports can rank and tabulate without parsing messages.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, i64>,
}

impl Finding {
    /// The order every report uses: by file, then position, then rule and message.
    pub fn sort_key(&self) -> (&str, Position, &str, &str) {
        (
            &self.location.file,
            self.location.start,
            &self.rule,
            &self.message,
        )
    }
}

/// Sorts findings deterministically and gives identical fingerprints an occurrence suffix.
pub fn finalize(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for f in findings.iter_mut() {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        if *n > 0 {
            f.fingerprint = format!("{}:{}", f.fingerprint, n);
        }
        *n += 1;
    }
}

/// A fingerprint that survives line shifts: it hashes the rule, the file, the enclosing
/// function and the finding's first source line with white space folded.
pub fn fingerprint(rule: &str, file: &str, function: Option<&str>, line_text: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        rule,
        file,
        function.unwrap_or(""),
        &fold_whitespace(line_text),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_from_info_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("severe"), None);
    }

    #[test]
    fn fingerprint_ignores_indentation_but_not_text() {
        let a = fingerprint("r", "a.go", Some("f"), "\tx := 1");
        let b = fingerprint("r", "a.go", Some("f"), "    x :=   1");
        let c = fingerprint("r", "a.go", Some("f"), "x := 2");
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
