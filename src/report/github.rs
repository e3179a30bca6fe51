//! `--format github`: GitHub Actions workflow commands, which annotate the pull request's
//! changed files: `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=RULE::message`.
//! Critical and high findings are errors, medium warnings, low and info notices, the most severe
//! first. Paths are relative to the repository root, where the workflow runs. GitHub shows only
//! the first annotations of each level in a step: the rest are printed as plain lines, and the
//! whole report goes to the job summary (`$GITHUB_STEP_SUMMARY`), grouped as the Markdown report
//! groups it.

use super::markdown::{self, Detail};
use super::{repo_path, Context, Rendered};
use crate::escape::controls;
use crate::finding::{Finding, Severity};
use std::cmp::Reverse;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Annotations of one level (error, warning, notice) GitHub shows for a step; it drops the rest
/// (and shows at most 50 for a job). Documented under "Limitations" in
/// <https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations>.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

/// The variable naming the file whose Markdown GitHub shows as the step's job summary.
pub const STEP_SUMMARY_VARIABLE: &str = "GITHUB_STEP_SUMMARY";

/// GitHub refuses a step summary over 1 MiB, whole
/// (<https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary>).
const STEP_SUMMARY_BUDGET: usize = 1024 * 1024;

/// The workflow command levels, most severe first.
const LEVELS: [&str; 3] = ["error", "warning", "notice"];

/// Markdown to append to the step summary file.
#[derive(Debug)]
pub struct StepSummary {
    pub path: PathBuf,
    pub markdown: String,
}

impl StepSummary {
    /// Appends the Markdown to the file (creating it), after a blank line when the file already
    /// has text; when the write fails the file is cut back to its length before, never left
    /// with half a report.
    pub fn append(&self) -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.path)?;
        let before = file.metadata()?.len();
        let separator = if before > 0 { "\n" } else { "" };
        let written = file
            .write_all(format!("{separator}{}", self.markdown).as_bytes())
            .and_then(|()| file.flush());
        if let Err(e) = written {
            let _ = file.set_len(before);
            return Err(e);
        }
        Ok(())
    }

    /// Appends the Markdown; false, said on standard error, when it cannot.
    pub fn write(&self) -> bool {
        match self.append() {
            Ok(()) => true,
            Err(e) => {
                crate::eprintln_escaped!(
                    "goaudit: cannot append the job summary to {}: {e}",
                    self.path.display()
                );
                false
            }
        }
    }
}

/// The annotations, the most severe first and at most `ANNOTATIONS_PER_LEVEL` of a level; then,
/// when a level has more, a line saying so and the others as plain lines; and, when
/// `summary_file` is given, every finding as Markdown for it.
pub fn render(cx: &Context, summary_file: Option<&Path>) -> Rendered {
    let mut ordered: Vec<&Finding> = cx.findings.iter().collect();
    ordered.sort_by(|a, b| {
        (Reverse(a.severity), a.sort_key()).cmp(&(Reverse(b.severity), b.sort_key()))
    });
    let mut out = String::new();
    let mut shown = [0usize; LEVELS.len()];
    let mut hidden: Vec<&Finding> = Vec::new();
    for f in ordered {
        let level = level_index(f.severity);
        if shown[level] < ANNOTATIONS_PER_LEVEL {
            shown[level] += 1;
            let _ = writeln!(out, "{}", command(cx, f));
        } else {
            hidden.push(f);
        }
    }
    if hidden.is_empty() {
        return out.into();
    }
    overflow(&mut out, cx, &hidden, summary_file.is_some());
    let mut rendered = Rendered::from(out);
    if let Some(path) = summary_file {
        let (summary, warning) = job_summary(cx);
        rendered.warnings.extend(warning);
        rendered.step_summary = Some(StepSummary {
            path: path.to_path_buf(),
            markdown: summary,
        });
    }
    rendered
}

fn level_index(s: Severity) -> usize {
    LEVELS
        .iter()
        .position(|l| *l == kind(s))
        .expect("every kind is a level")
}

/// For each level over the limit, how many more it has and where they are; then those
/// findings as plain lines of the log.
fn overflow(out: &mut String, cx: &Context, hidden: &[&Finding], summary: bool) {
    let place = if summary {
        "they are listed below and, with every finding, in the job summary"
    } else {
        "they are listed below"
    };
    for (i, level) in LEVELS.iter().enumerate() {
        let n = hidden
            .iter()
            .filter(|f| level_index(f.severity) == i)
            .count();
        if n > 0 {
            let _ = writeln!(
                out,
                "goaudit: {n} more {level}{} than the {ANNOTATIONS_PER_LEVEL} GitHub annotates in a step: {place}",
                if n == 1 { "" } else { "s" }
            );
        }
    }
    for f in hidden {
        let loc = &f.location;
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}: {}",
            controls(&repo_path(cx.summary, &loc.file)),
            loc.start.line,
            loc.start.column,
            f.severity,
            controls(&f.rule),
            controls(&f.message)
        );
    }
}

/// The job summary: the Markdown report's problems and complexity table, in full when that
/// fits GitHub's budget, else one line a location; a warning when even that does not fit.
fn job_summary(cx: &Context) -> (String, Option<String>) {
    let full = markdown::job_summary(cx, Detail::Full);
    if full.len() <= STEP_SUMMARY_BUDGET {
        return (full, None);
    }
    let brief = markdown::job_summary(cx, Detail::Brief);
    let warning = (brief.len() > STEP_SUMMARY_BUDGET).then(|| {
        format!(
            "the job summary takes {} KiB, more than the 1 MiB GitHub shows: every finding is in the log above; `--report FILE` writes them to a file",
            brief.len() / 1024
        )
    });
    (brief, warning)
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

    fn context<'a>(findings: &'a [Finding], summary: &'a crate::outcome::Summary) -> Context<'a> {
        Context {
            findings,
            summary,
            color: false,
            suppressed: &[],
            exit_code: 1,
        }
    }

    #[test]
    fn findings_become_workflow_commands_most_severe_first() {
        let mut findings = sample::findings();
        findings.reverse();
        let mut summary = sample::summary(&findings);
        summary.repo_prefix = "svc/".into();
        let rendered = render(&context(&findings, &summary), Some(Path::new("unused")));
        let lines: Vec<&str> = rendered.text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("::error file=svc/internal/db/connect.go,line=22,col=2,endLine=22,endColumn=52,title=unclosed-resource (critical)::db opened"), "{}", lines[0]);
        assert!(
            lines[1].starts_with("::error file=svc/internal/tui/model.go"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("::notice file=svc/main.go"),
            "{}",
            lines[2]
        );
        assert!(rendered.step_summary.is_none(), "nothing over the limit");
    }

    /// 12 critical findings (on lines 1 to 12) and the sample's low one.
    fn twelve_errors() -> Vec<Finding> {
        let mut findings: Vec<Finding> = (1..=12)
            .map(|line| {
                let mut f = sample::findings().remove(0);
                f.location.start.line = line;
                f.location.end.line = line;
                f
            })
            .collect();
        findings.push(sample::findings().remove(2));
        findings
    }

    #[test]
    fn over_the_limit_of_a_level_the_rest_are_listed_and_summarised() {
        let findings = twelve_errors();
        let summary = sample::summary(&findings);
        let rendered = render(&context(&findings, &summary), Some(Path::new("summary.md")));
        let lines: Vec<&str> = rendered.text.lines().collect();
        assert_eq!(lines.len(), 10 + 1 + 1 + 2, "{}", rendered.text);
        assert!(lines[..10].iter().all(|l| l.starts_with("::error ")));
        assert!(
            lines[9].contains("line=10,"),
            "in reading order: {}",
            lines[9]
        );
        assert!(
            lines[10].starts_with("::notice "),
            "the notice is under its own limit"
        );
        assert_eq!(lines[11], "goaudit: 2 more errors than the 10 GitHub annotates in a step: they are listed below and, with every finding, in the job summary");
        assert!(
            lines[12]
                .starts_with("internal/db/connect.go:11:2: critical unclosed-resource: db opened"),
            "{}",
            lines[12]
        );
        let step = rendered.step_summary.expect("a job summary");
        assert_eq!(step.path, Path::new("summary.md"));
        assert!(step
            .markdown
            .starts_with("## goaudit: 13 findings (12 critical, 1 low)"));
        assert_eq!(
            step.markdown.matches("internal/db/connect.go:").count() - 3,
            12,
            "every location, three of them with their related location:\n{}",
            step.markdown
        );
        let without = render(&context(&findings, &summary), None);
        assert!(without.step_summary.is_none());
        assert!(
            without.text.contains("in a step: they are listed below\n"),
            "{}",
            without.text
        );
    }

    #[test]
    fn the_step_summary_is_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("step_summary.md");
        std::fs::write(&path, "## an earlier step\n").unwrap();
        let summary = StepSummary {
            path: path.clone(),
            markdown: "## goaudit\n".into(),
        };
        summary.append().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "## an earlier step\n\n## goaudit\n"
        );
        let missing = StepSummary {
            path: dir.path().join("no/such/dir/summary.md"),
            markdown: String::new(),
        };
        assert!(missing.append().is_err());
    }

    #[test]
    fn escapes_follow_the_toolkit() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
