//! One emitter per output format. Reporters read only findings, the run summary and the
//! catalogue; they never reopen files.

pub mod checkstyle;
pub mod github;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod problems;
pub mod sarif;
pub mod text;

use crate::finding::Finding;
use crate::outcome::Summary;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with the source line and a marker, and a summary (the default).
    Text,
    /// One line a finding: `path:line:col: severity rule: message`.
    Concise,
    /// The findings and the run summary, versioned (`"version": 1`).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// The audit report for people: summary, metrics, one section a problem, the most severe
    /// first, the most complex functions, recommendations.
    Markdown,
    /// GitHub Actions workflow commands (`::error file=...::message`): pull request annotations,
    /// the most severe first; past GitHub's limit, the rest listed and in the job summary.
    Github,
    /// Checkstyle XML, for CI systems that read it.
    Checkstyle,
    /// JUnit XML, one test case a finding.
    Junit,
}

/// What a reporter may need besides the findings.
pub struct Context<'a> {
    pub findings: &'a [Finding],
    pub summary: &'a Summary,
    pub color: bool,
    /// Findings silenced in the source; empty unless `--include-suppressed` asks for them.
    pub suppressed: &'a [Finding],
    /// The exit code the run ends with (SARIF's `invocations`).
    pub exit_code: i32,
}

/// A rendered report and what the reporter had to leave out, for standard error.
pub struct Rendered {
    pub text: String,
    pub warnings: Vec<String>,
    /// Markdown to append to a file, GitHub's job summary (`$GITHUB_STEP_SUMMARY`), when the
    /// report holds more than GitHub shows.
    pub step_summary: Option<github::StepSummary>,
}

impl From<String> for Rendered {
    fn from(text: String) -> Rendered {
        Rendered {
            text,
            warnings: Vec::new(),
            step_summary: None,
        }
    }
}

/// Renders a report into a string (files are written whole, then renamed).
pub fn render(format: Format, cx: &Context) -> Rendered {
    match format {
        Format::Text => text::full(cx).into(),
        Format::Concise => text::concise(cx).into(),
        Format::Json => json::render(cx).into(),
        Format::Sarif => sarif::render(cx),
        Format::Markdown => markdown::render(cx).into(),
        Format::Github => {
            let summary_file = std::env::var_os(github::STEP_SUMMARY_VARIABLE)
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from);
            github::render(cx, summary_file.as_deref())
        }
        Format::Checkstyle => checkstyle::render(cx).into(),
        Format::Junit => junit::render(cx).into(),
    }
}

/// A finding's file relative to the repository root (what CI systems resolve paths against).
pub fn repo_path(summary: &Summary, file: &str) -> String {
    format!("{}{file}", summary.repo_prefix)
}

/// Escapes text for an XML attribute or element.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod sample {
    //! Hand-made findings for the emitters' unit tests: a fix, related locations, a non-ASCII line.

    use crate::finding::*;
    use crate::outcome::Summary;
    use std::collections::BTreeMap;

    fn at(file: &str, line: usize, col: usize, end_col: usize) -> Location {
        Location {
            file: file.into(),
            start: Position { line, column: col },
            end: Position {
                line,
                column: end_col,
            },
        }
    }

    /// A leak with a related location and an unsafe fix; a complexity finding on a line with
    /// `é` and `😀` before the span; a low finding in another package.
    pub fn findings() -> Vec<Finding> {
        let leak_line = "\tif err := goose.Up(db, \"migrations\"); err != nil {";
        let leak = Finding {
            rule: "unclosed-resource".into(),
            category: Category::Leak,
            severity: Severity::Critical,
            message: "db opened at line 14 is not closed when goose.Up fails (return at line 24)"
                .into(),
            location: at("internal/db/connect.go", 22, 2, 52),
            related: vec![Related {
                location: at("internal/db/connect.go", 14, 2, 30),
                message: "db acquired here".into(),
            }],
            sources: vec![Source::Builtin],
            snippet: format!("{leak_line}\n\t\treturn nil, err\n\t}}"),
            fix: Some(Fix {
                description: "close db before returning".into(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    start_byte: 600,
                    end_byte: 600,
                    start: Position {
                        line: 23,
                        column: 3,
                    },
                    end: Position {
                        line: 23,
                        column: 3,
                    },
                    replacement: "db.Close()\n\t\t".into(),
                }],
            }),
            function: Some("Connect".into()),
            fingerprint: "0123456789abcdef01234567".into(),
            metrics: BTreeMap::new(),
        };
        // `é` is 2 bytes and 1 UTF-16 unit, `😀` 4 bytes and 2 units: byte column 15 is
        // UTF-16 column 12.
        let complex_line = "func é😀Name(x int) int {";
        let complex = Finding {
            rule: "cyclomatic-complexity".into(),
            category: Category::Complexity,
            severity: Severity::High,
            message: "cyclomatic complexity of é😀Name is 31 (threshold 15): split it into smaller functions".into(),
            location: at("internal/tui/model.go", 40, 1, complex_line.len() + 1),
            related: Vec::new(),
            sources: vec![Source::Builtin],
            snippet: complex_line.into(),
            fix: None,
            function: Some("é😀Name".into()),
            fingerprint: "fedcba9876543210fedcba98".into(),
            metrics: BTreeMap::from([("cyclomatic".into(), 31), ("threshold".into(), 15)]),
        };
        let low = Finding {
            rule: "function-length".into(),
            category: Category::Complexity,
            severity: Severity::Low,
            message: "function Serve has 90 statements (limit 80)".into(),
            location: at("main.go", 3, 1, 10),
            related: Vec::new(),
            sources: vec![Source::Builtin],
            snippet: "func Serve() {".into(),
            fix: None,
            function: Some("Serve".into()),
            fingerprint: "aaaaaaaaaaaaaaaaaaaaaaaa".into(),
            metrics: BTreeMap::new(),
        };
        vec![leak, complex, low]
    }

    pub fn summary(findings: &[Finding]) -> Summary {
        let mut s = Summary {
            root: "/src/agentd".into(),
            packages: 3,
            files: 5,
            lines: 1234,
            bytes: 40_000,
            rules: vec!["cyclomatic-complexity".into(), "function-length".into()],
            suppressed: 1,
            duration_ms: 12.5,
            ..Summary::default()
        };
        s.recount(findings);
        s
    }
}
