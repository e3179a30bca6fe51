//! `--format checkstyle`: Checkstyle XML (`<checkstyle><file name><error .../></file>`), which
//! Jenkins, GitLab and reviewdog read. Findings are grouped by file in report order; critical
//! and high are `error`, medium `warning`, low and info `info`; `source` is `goaudit.<rule>`.

use super::{repo_path, xml_escape, Context};
use crate::finding::{Finding, Severity};
use std::fmt::Write;

pub fn render(cx: &Context) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for group in cx
        .findings
        .chunk_by(|a, b| a.location.file == b.location.file)
    {
        let _ = writeln!(
            out,
            "  <file name=\"{}\">",
            xml_escape(&repo_path(cx.summary, &group[0].location.file))
        );
        for f in group {
            let _ = writeln!(out, "    {}", error(f));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

fn error(f: &Finding) -> String {
    format!(
        "<error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"goaudit.{}\"/>",
        f.location.start.line,
        f.location.start.column,
        severity(f.severity),
        xml_escape(&f.message),
        xml_escape(&f.rule)
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn findings_are_grouped_by_file_and_escaped() {
        let mut findings = sample::findings();
        findings[0].message = "a < b & \"c\"".into();
        let summary = sample::summary(&findings);
        let cx = Context {
            findings: &findings,
            summary: &summary,
            color: false,
            suppressed: &[],
            exit_code: 1,
        };
        let out = render(&cx);
        assert_eq!(out.matches("<file ").count(), 3);
        assert!(
            out.contains(
                "message=\"a &lt; b &amp; &quot;c&quot;\" source=\"goaudit.unclosed-resource\""
            ),
            "{out}"
        );
        assert!(out.contains("severity=\"info\""));
    }
}
