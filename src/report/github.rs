//! `--format github`: GitHub Actions workflow commands, which annotate the pull request's
//! changed files: `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=RULE::message`.
//! Critical and high findings are errors, medium warnings, low and info notices. Paths are
//! relative to the repository root, where the workflow runs.

use super::{repo_path, Context};
use crate::finding::{Finding, Severity};
use std::fmt::Write;

pub fn render(cx: &Context) -> String {
    let mut out = String::new();
    for f in cx.findings {
        let _ = writeln!(out, "{}", command(cx, f));
    }
    out
}

fn command(cx: &Context, f: &Finding) -> String {
    let loc = &f.location;
    let mut props = format!(
        "file={},line={},col={}",
        escape_property(&repo_path(cx.summary, &loc.file)),
        loc.start.line,
        loc.start.column
    );
    if loc.end.line >= loc.start.line {
        let _ = write!(props, ",endLine={}", loc.end.line);
        if loc.end.line == loc.start.line {
            let _ = write!(props, ",endColumn={}", loc.end.column);
        }
    }
    let title = format!("{} ({})", f.rule, f.severity);
    format!(
        "::{} {props},title={}::{}",
        kind(f.severity),
        escape_property(&title),
        escape_data(&f.message)
    )
}

/// The workflow command for a severity.
pub fn kind(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// Escapes a command's message (`%`, CR, LF), as the Actions toolkit does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn findings_become_workflow_commands() {
        let findings = sample::findings();
        let mut summary = sample::summary(&findings);
        summary.repo_prefix = "svc/".into();
        let cx = Context {
            findings: &findings,
            summary: &summary,
            color: false,
            suppressed: &[],
            exit_code: 1,
        };
        let out = render(&cx);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("::error file=svc/internal/db/connect.go,line=22,col=2,endLine=22,endColumn=52,title=unclosed-resource (critical)::db opened"), "{}", lines[0]);
        assert!(
            lines[2].starts_with("::notice file=svc/main.go"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn escapes_follow_the_toolkit() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
