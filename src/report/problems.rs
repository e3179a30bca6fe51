//! Findings grouped into problems, for the reports read by people (Markdown, the GitHub job
//! summary, the text summary's counts): one problem is one rule and one shape of its message,
//! ordered by impact, so the leaks, injections and blocked goroutines come before the long
//! functions however many of those there are.

use crate::finding::{Category, Finding, Severity};
use crate::source::is_test_code_path;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Words at the end of a message's first clause that make its shape: enough to tell "not closed
/// when … fails" from "not closed before the function ends", few enough to leave out the
/// identifiers at its start.
const SHAPE_WORDS: usize = 5;

/// What stands for an identifier, a number or an expression in a shape.
pub const HOLE: &str = "…";

/// Findings of one rule, one severity and one shape of message, all in the program's code or all
/// in test code (tests, examples, test support): a reviewer reads the high ones of every rule
/// before the medium ones of any, and the program's before its tests'.
pub struct Problem<'a> {
    pub rule: &'a str,
    pub shape: String,
    pub in_tests: bool,
    pub findings: Vec<&'a Finding>,
}

impl Problem<'_> {
    /// The most severe of its findings.
    pub fn severity(&self) -> Severity {
        self.findings[0].severity
    }

    /// Whether the audit report lists the problem location by location: critical and high
    /// problems, and medium ones in the program's code from the rules that find bugs (security,
    /// leaks, goroutines, locks, correctness). The rest (error handling and style at medium,
    /// anything low or info, anything in tests) are counted by rule in the recommendations and
    /// listed by the JSON, SARIF and text reports, so the report's first screen holds what a
    /// reviewer acts on rather than a wall of findings.
    pub fn read_first(&self) -> bool {
        match self.severity() {
            Severity::Critical | Severity::High => true,
            Severity::Medium => {
                !self.in_tests
                    && (category_rank(self.category()) <= BUG_RANK
                        || WRONG_RESULTS.contains(&self.rule))
            }
            Severity::Low | Severity::Info => false,
        }
    }

    pub fn category(&self) -> Category {
        self.findings[0].category
    }

    /// `1 critical, 2 high`: its findings by severity, most severe first.
    pub fn severities(&self) -> String {
        severity_breakdown(self.findings.iter().map(|f| f.severity))
    }

    /// Where the problem sorts among others: most severe first, then the program's code before
    /// test code, then by category (security, leaks and goroutines before errors before
    /// complexity and style), then the one with more findings.
    fn impact(&self) -> (Reverse<Severity>, bool, u8, Reverse<usize>) {
        (
            Reverse(self.severity()),
            self.in_tests,
            category_rank(self.category()),
            Reverse(self.findings.len()),
        )
    }
}

/// `1 critical, 2 high` for a run of severities, most severe first.
pub fn severity_breakdown(severities: impl Iterator<Item = Severity>) -> String {
    let mut counts: BTreeMap<Reverse<Severity>, usize> = BTreeMap::new();
    for s in severities {
        *counts.entry(Reverse(s)).or_default() += 1;
    }
    counts
        .iter()
        .map(|(Reverse(s), n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last `category_rank` of the categories whose rules find bugs rather than style.
const BUG_RANK: u8 = 4;

/// Error-handling rules whose findings mean a wrong result rather than a lost error message:
/// rows whose iteration error is never read end early and look complete.
const WRONG_RESULTS: &[&str] = &["rows-err-unchecked"];

/// How early a category's problems come when severity and count are equal: what breaks a
/// service (security, leaks, goroutines, locks) before what hides a failure (errors) before what
/// slows its readers (complexity, style).
pub fn category_rank(c: Category) -> u8 {
    match c {
        Category::Security => 0,
        Category::Leak => 1,
        Category::Goroutine => 2,
        Category::Concurrency => 3,
        Category::Correctness => 4,
        Category::Errors => 5,
        Category::Complexity => 6,
        Category::Style => 7,
    }
}

/// Groups findings by rule, shape, severity and whether they sit in test code, and orders the
/// groups by impact; within a group findings come in reading order (file, line).
pub fn group<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Problem<'a>> {
    type Key<'a> = (&'a str, String, Reverse<Severity>, bool);
    let mut groups: BTreeMap<Key, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        let in_tests = is_test_code_path(&f.location.file);
        groups
            .entry((f.rule.as_str(), shape(f), Reverse(f.severity), in_tests))
            .or_default()
            .push(f);
    }
    let mut problems: Vec<Problem> = groups
        .into_iter()
        .map(|((rule, shape, _, in_tests), mut findings)| {
            findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            Problem {
                rule,
                shape,
                in_tests,
                findings,
            }
        })
        .collect();
    problems.sort_by(|a, b| (a.impact(), a.rule, &a.shape).cmp(&(b.impact(), b.rule, &b.shape)));
    problems
}

/// A finding's shape: the last words of its message's first clause (see `first_clause`), with
/// every identifier, number and expression replaced by `…`. An identifier is a word with anything
/// but lower-case letters in it, or a plain word that the message's code or the finding's source
/// line uses as a name (`jobs` in "ranges over jobs … close(jobs)").
pub fn shape(f: &Finding) -> String {
    let names = names_in(f);
    let mut words: Vec<&str> = Vec::new();
    let clause = first_clause(&f.message);
    for token in clause.split_whitespace() {
        let word = trim_punctuation(token);
        let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        let word = if plain && !names.contains(word) {
            word
        } else {
            HOLE
        };
        if !(word == HOLE && words.last() == Some(&HOLE)) {
            words.push(word);
        }
    }
    let start = words.len().saturating_sub(SHAPE_WORDS);
    words[start..].join(" ")
}

/// The message up to its first `: ` or `; `, without the parentheticals that open a word
/// (`(return at line 47)`, `(Key)`; a call's `close(jobs)` stays): the problem, without its
/// consequence, advice or the lines it cites.
fn first_clause(message: &str) -> String {
    let end = [": ", "; "]
        .iter()
        .filter_map(|sep| message.find(sep))
        .min()
        .unwrap_or(message.len());
    let mut clause = String::new();
    let mut depth = 0usize;
    let mut previous = ' ';
    for c in message[..end].chars() {
        match c {
            '(' if depth > 0 || previous.is_whitespace() => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => clause.push(c),
            _ => {}
        }
        previous = c;
    }
    clause
}

/// A word without the punctuation around it: `(line` is `line`, `close(jobs),` is `close(jobs`.
fn trim_punctuation(token: &str) -> &str {
    token.trim_matches(|c: char| ",.;:()\"'`".contains(c))
}

/// Go's keywords and the predeclared names a message may also use as English words.
const GO_WORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "nil",
    "true",
    "false",
    "error",
    "string",
    "close",
    "len",
    "make",
    "new",
    "append",
    "copy",
    "delete",
    "panic",
    "recover",
    "any",
];

/// The names used as code in a finding: the parts of the message's code-like words
/// (`close(jobs)` gives `close` and `jobs`) and the identifiers of its source lines, less Go's
/// keywords and predeclared names.
fn names_in(f: &Finding) -> BTreeSet<&str> {
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let code_words = f
        .message
        .split_whitespace()
        .map(trim_punctuation)
        .filter(|w| w.contains(|c: char| "().[]{}=<>!*&".contains(c)));
    code_words
        .chain(std::iter::once(f.snippet.as_str()))
        .flat_map(|text| text.split(|c: char| !is_part(c)))
        .filter(|w| !w.is_empty() && !GO_WORDS.contains(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn finding(rule: &str, severity: Severity, category: Category, message: &str) -> Finding {
        let mut f = sample::findings().remove(0);
        f.rule = rule.into();
        f.severity = severity;
        f.category = category;
        f.message = message.into();
        f.snippet = String::new();
        f
    }

    fn leak(severity: Severity, message: &str) -> Finding {
        finding("unclosed-resource", severity, Category::Leak, message)
    }

    #[test]
    fn shape_drops_identifiers_numbers_and_what_follows_the_first_clause() {
        let db = leak(
            Severity::Critical,
            "db opened at line 35 is not closed when migrate.Up fails (return at line 47)",
        );
        let rows = leak(Severity::High, "rows from st.db.QueryContext at line 61 is not closed when scanSession fails (return at line 71); also leaks at line 76, 78");
        let ends = leak(
            Severity::High,
            "f opened at line 3 is not closed before the function ends (line 9)",
        );
        assert_eq!(shape(&db), "not closed when … fails");
        assert_eq!(shape(&rows), shape(&db));
        assert_eq!(shape(&ends), "closed before the function ends");
    }

    #[test]
    fn plain_words_used_as_names_are_identifiers() {
        let mut jobs = finding("goroutine-blocked-receive", Severity::High, Category::Goroutine,
            "goroutine started at line 42 ranges over jobs, which SummarizeAll never closes: once the sends stop it waits forever; close(jobs) after the last send");
        let mut tasks = jobs.clone();
        tasks.message = "goroutine started at line 7 ranges over tasks, which Run never closes: once the sends stop it waits forever".into();
        tasks.snippet = "\tfor t := range tasks {".into();
        assert_eq!(shape(&jobs), "… which … never closes");
        assert_eq!(shape(&tasks), shape(&jobs));
        jobs.snippet = "\tfor j := range jobs {".into();
        assert_eq!(shape(&jobs), "… which … never closes");
    }

    #[test]
    fn go_keywords_and_cited_lines_stay_words() {
        let mut early = leak(
            Severity::High,
            "f opened at line 3 is not closed before the return at line 9",
        );
        early.snippet = "\t\treturn nil, err".into();
        assert_eq!(shape(&early), "the return at line …");
        let mut cited = leak(
            Severity::High,
            "resp from c.Do at line 3 (line 4) is not closed before the return at line 9",
        );
        cited.snippet = "\t\treturn nil, err".into();
        assert_eq!(shape(&cited), shape(&early), "`(line` is not a name");
    }

    #[test]
    fn problems_come_by_severity_then_category() {
        let findings = vec![
            finding(
                "function-length",
                Severity::Low,
                Category::Complexity,
                "F has 90 statements (limit 80)",
            ),
            finding(
                "ignored-error",
                Severity::High,
                Category::Errors,
                "error from io.ReadAll is discarded",
            ),
            leak(
                Severity::High,
                "rows from q at line 6 is not closed when rows.Scan fails",
            ),
            finding(
                "command-injection",
                Severity::High,
                Category::Security,
                "p.Command reaches exec.Command",
            ),
            leak(
                Severity::Medium,
                "resp from c.Do at line 9 is not closed when json.Decode fails",
            ),
            leak(
                Severity::High,
                "db opened at line 3 is not closed when db.Ping fails",
            ),
            finding(
                "ssrf",
                Severity::Critical,
                Category::Security,
                "p.URL reaches http.Get",
            ),
        ];
        let problems = group(&findings);
        let order: Vec<(&str, Severity)> =
            problems.iter().map(|p| (p.rule, p.severity())).collect();
        assert_eq!(
            order,
            [
                ("ssrf", Severity::Critical),
                ("command-injection", Severity::High),
                ("unclosed-resource", Severity::High),
                ("ignored-error", Severity::High),
                ("unclosed-resource", Severity::Medium),
                ("function-length", Severity::Low),
            ]
        );
        assert_eq!(problems[2].severities(), "2 high", "one severity a problem");
    }

    #[test]
    fn the_programs_code_comes_before_its_tests_at_one_severity() {
        let mut in_test = leak(
            Severity::Medium,
            "f opened at line 3 is not closed when w.Write fails",
        );
        in_test.location.file = "store/store_test.go".into();
        let mut in_testdata = in_test.clone();
        in_testdata.location.file = "testdata/demo/main.go".into();
        let program = finding(
            "ignored-error",
            Severity::Medium,
            Category::Errors,
            "error from io.ReadAll is discarded",
        );
        let findings = [in_test, in_testdata, program];
        let problems = group(&findings);
        let order: Vec<(&str, bool, usize)> = problems
            .iter()
            .map(|p| (p.rule, p.in_tests, p.findings.len()))
            .collect();
        assert_eq!(
            order,
            [("ignored-error", false, 1), ("unclosed-resource", true, 2)]
        );
    }
}
