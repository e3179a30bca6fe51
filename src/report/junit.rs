//! `--format junit`: JUnit XML, one `testsuite` a file and one failed `testcase` a finding, as
//! ruff writes it; a clean run is one passing test case, so CI shows the check ran.

use super::{repo_path, xml_escape, Context};
use crate::finding::Finding;
use std::fmt::Write;

pub fn render(cx: &Context) -> String {
    let total = cx.findings.len();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"goaudit\" tests=\"{}\" failures=\"{total}\" errors=\"0\">\n",
        total.max(1)
    );
    if total == 0 {
        out.push_str("  <testsuite name=\"goaudit\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"no findings\" classname=\"goaudit\"/>\n  </testsuite>\n");
    }
    for group in cx
        .findings
        .chunk_by(|a, b| a.location.file == b.location.file)
    {
        let file = xml_escape(&repo_path(cx.summary, &group[0].location.file));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{file}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">",
            n = group.len()
        );
        for f in group {
            out.push_str(&case(&file, f));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn case(file: &str, f: &Finding) -> String {
    let loc = &f.location;
    format!(
        "    <testcase name=\"{rule} {file}:{line}:{col}\" classname=\"{file}\" file=\"{file}\" line=\"{line}\">\n      <failure message=\"{msg}\" type=\"{sev}\">{file}:{line}:{col}: {sev} {rule}: {msg}</failure>\n    </testcase>\n",
        rule = xml_escape(&f.rule),
        line = loc.start.line,
        col = loc.start.column,
        msg = xml_escape(&f.message),
        sev = f.severity,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_failure_a_finding_and_a_passing_case_when_clean() {
        let findings = sample::findings();
        let summary = sample::summary(&findings);
        let cx = Context {
            findings: &findings,
            summary: &summary,
            color: false,
            suppressed: &[],
            exit_code: 1,
        };
        let out = render(&cx);
        assert_eq!(out.matches("<failure ").count(), 3);
        assert!(out.contains("failures=\"3\""));
        let clean = Context {
            findings: &[],
            ..cx
        };
        assert!(render(&clean).contains("<testcase name=\"no findings\""));
    }
}
