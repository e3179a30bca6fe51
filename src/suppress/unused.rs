//! What `unused-nolint` reports of a file's suppression comments, given the findings they
//! silenced in this run. The engine runs it once every finding, the tools' included, has been
//! suppressed or not (`engine::unused_nolint`), so it sees which comments matched something.

use super::{name_matches, Directive, Form, Names, Suppressions};
use crate::catalogue::golangci::{self, Coverage};
use crate::catalogue::names::{self, Named};
use crate::catalogue::{catalogue, tools::tool_checks};
use crate::finding::figures::merged_rules;
use crate::finding::Finding;

/// The rule's own id: comments naming it are never judged, as its findings are suppressed after
/// it has judged.
const RULE: &str = "unused-nolint";

/// One name of a suppression comment that `unused-nolint` reports: where the comment is written
/// and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unused {
    pub line: usize,
    pub column: usize,
    /// The text of the comment's line.
    pub line_text: String,
    pub message: String,
}

impl Suppressions {
    /// The names of this file's comments that are unknown, or that silence nothing although
    /// every rule they stand for ran (`ran`); `silenced` are the file's findings a comment
    /// silenced. A comment naming no linter (`//nolint`, `//nolint:all`, a bare
    /// `//goaudit:ignore`) is never judged.
    pub fn unused(&self, silenced: &[&Finding], ran: &dyn Fn(&str) -> bool) -> Vec<Unused> {
        let mut out = Vec::new();
        for d in &self.directives {
            let Names::Some(names) = &d.names else {
                continue;
            };
            for name in names {
                if let Some(message) = judge(d, name, silenced, ran) {
                    out.push(Unused {
                        line: d.line,
                        column: d.column,
                        line_text: d.line_text.clone(),
                        message,
                    });
                }
            }
        }
        out
    }
}

/// Why one name of a comment is reported, if it is.
fn judge(
    d: &Directive,
    name: &str,
    silenced: &[&Finding],
    ran: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let comment = match d.form {
        Form::Nolint => "//nolint",
        Form::GoauditIgnore => "//goaudit:ignore",
    };
    if !is_known(name) {
        let what = match d.form {
            Form::Nolint => "linter",
            Form::GoauditIgnore => "rule",
        };
        let hint = crate::suggest::did_you_mean(name, names::candidates());
        return Some(format!("unknown {what} `{name}` in {comment}{hint}"));
    }
    let (rules, what) = judged_rules(name)?;
    if !rules.iter().all(|r| ran(r)) {
        return None;
    }
    let used = silenced
        .iter()
        .any(|f| d.covers_line(f.location.start.line) && names_a_rule_of(name, f));
    (!used).then(|| format!("`{name}` in {comment} silences nothing: no {what} finding here"))
}

/// Whether a name covers a finding's rule or, for a function's merged complexity finding, the
/// rule of one of the figures it holds (a comment naming any of them was needed for it).
fn names_a_rule_of(name: &str, f: &Finding) -> bool {
    name_matches(name, &f.rule)
        || merged_rules(f)
            .into_iter()
            .any(|rule| name_matches(name, rule))
}

/// Whether a name means something to goaudit or golangci-lint: a rule, a category, a
/// golangci-lint linter or formatter, a catalogue alias, an external tool's check.
fn is_known(name: &str) -> bool {
    names::resolve(name).is_some()
        || catalogue()
            .rules
            .iter()
            .any(|r| r.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
        || tool_checks()
            .iter()
            .any(|c| c.id.eq_ignore_ascii_case(name) || c.check.eq_ignore_ascii_case(name))
}

/// The built-in rules a name stands for when goaudit can tell whether it silences anything, and
/// how the message names them: a rule id, a category, or a linter whose counterparts find all it
/// finds. `None` for any other name: a linter goaudit models in part or not at all, an external
/// tool's check, this rule itself.
fn judged_rules(name: &str) -> Option<(Vec<&'static str>, String)> {
    let (rules, what) = match names::resolve(name)? {
        Named::Rules(rules) => (rules, name.to_string()),
        Named::Linter(rules) if golangci::coverage(name) == Some(Coverage::Same) => {
            let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
            (rules, ids.join(" or "))
        }
        Named::Linter(_) => return None,
    };
    let ids: Vec<&'static str> = rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| *id != RULE)
        .collect();
    (!ids.is_empty()).then_some((ids, what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Location, Position, Severity, Source};
    use crate::source::SourceFile;

    fn sup(text: &str) -> Suppressions {
        Suppressions::of(&SourceFile::parse(
            "x.go".into(),
            "x.go".into(),
            text.into(),
        ))
    }

    fn finding(rule: &str, line: usize) -> Finding {
        let at = Position { line, column: 1 };
        Finding {
            rule: rule.into(),
            category: Category::Errors,
            severity: Severity::High,
            message: String::new(),
            fingerprint: String::new(),
            location: Location {
                file: "x.go".into(),
                start: at,
                end: at,
            },
            related: Vec::new(),
            sources: vec![Source::Builtin],
            snippet: String::new(),
            fix: None,
            function: None,
            metrics: Default::default(),
        }
    }

    const FILE: &str = "package p\n\nfunc f() {\n\tg() //nolint:errcheck\n\th() //nolint:errchek,lll\n\tk() //nolint:revive\n\tm() //nolint\n\tn() //goaudit:ignore ignored-error\n}\n";

    fn messages(silenced: &[&Finding], ran: &dyn Fn(&str) -> bool) -> Vec<(usize, String)> {
        sup(FILE)
            .unused(silenced, ran)
            .into_iter()
            .map(|u| (u.line, u.message))
            .collect()
    }

    #[test]
    fn typos_and_directives_that_silence_nothing_are_reported() {
        let got = messages(&[], &|_| true);
        assert_eq!(
            got,
            [
                (4, "`errcheck` in //nolint silences nothing: no ignored-error or unchecked-error finding here".to_string()),
                (5, "unknown linter `errchek` in //nolint (did you mean `errcheck`?)".to_string()),
                (8, "`ignored-error` in //goaudit:ignore silences nothing: no ignored-error finding here".to_string()),
            ]
        );
    }

    #[test]
    fn a_directive_that_silenced_a_finding_is_used() {
        let f4 = finding("unchecked-error", 4);
        let f8 = finding("ignored-error", 8);
        let got = messages(&[&f4, &f8], &|_| true);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, 5);
        let elsewhere = finding("unchecked-error", 3);
        assert_eq!(messages(&[&elsewhere], &|_| true).len(), 3);
    }

    #[test]
    fn a_name_of_any_figure_of_a_suppressed_merged_complexity_finding_is_used() {
        let file = "package p\n\n//nolint:gocyclo,function-length,nesting-depth\nfunc f() {\n}\n";
        let mut merged = finding("cyclomatic-complexity", 4);
        for (k, v) in [("cyclomatic", 20), ("cyclomatic-threshold", 15)] {
            merged.metrics.insert(k.into(), v);
        }
        merged.metrics.insert("statements".into(), 70);
        merged.metrics.insert("statements-limit".into(), 60);
        let got: Vec<String> = sup(file)
            .unused(&[&merged], &|_| true)
            .into_iter()
            .map(|u| u.message)
            .collect();
        assert_eq!(
            got,
            ["`nesting-depth` in //nolint silences nothing: no nesting-depth finding here"]
        );
    }

    #[test]
    fn names_whose_rules_did_not_all_run_are_not_judged() {
        let got = messages(&[], &|rule| rule != "unchecked-error");
        let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [5, 8]);
    }

    #[test]
    fn known_names_include_tool_checks_formatters_and_v1_linters() {
        for name in [
            "sa4006",
            "printf",
            "govet/printf",
            "gofmt",
            "gomnd",
            "lostcancel",
            "security",
        ] {
            assert!(is_known(name), "{name}");
        }
        assert!(judged_rules("gosec").is_none());
        assert!(judged_rules("staticcheck").is_none());
        assert!(judged_rules(RULE).is_none());
        assert_eq!(judged_rules("bodyclose").unwrap().0, ["unclosed-resource"]);
    }
}
