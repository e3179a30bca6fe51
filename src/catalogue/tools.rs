//! The external tools' checks: `go vet`'s analyzers and staticcheck's checks, from listings
//! captured off the pinned tools into `rules/tools/` (`scripts/capture-tools.sh`), never read at
//! run time. Each check gets goaudit's category and a default severity by its family.

use crate::finding::{Category, Severity};
use std::sync::OnceLock;

const GOVET_LISTING: &str = include_str!("../../rules/tools/govet.txt");
const STATICCHECK_LISTING: &str = include_str!("../../rules/tools/staticcheck.txt");

/// One check of an external tool, as `goaudit rules` lists it.
#[derive(Debug, Clone)]
pub struct ToolCheck {
    /// `govet/printf`, `staticcheck/SA4006`.
    pub id: String,
    /// The tool's own name for the check: `printf`, `SA4006`.
    pub check: String,
    pub tool: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
}

impl ToolCheck {
    /// The check's documentation, for `goaudit rules explain` and report metadata.
    pub fn markdown(&self) -> String {
        let more = match self.tool {
            _ if self.check == "compile" => "Reported by the go tool's type checker.".to_string(),
            "govet" => format!(
                "Reported by `go vet`'s `{0}` analyzer: `go tool vet help {0}` explains it.",
                self.check
            ),
            _ => format!(
                "Reported by staticcheck: `staticcheck -explain {0}` explains it \
                 (https://staticcheck.dev/docs/checks/#{0}).",
                self.check
            ),
        };
        format!(
            "# {}\n\n{}\n\n**Category:** {} · **Default severity:** {} · **Runs with:** `--{}`\n\n{}\n",
            self.id,
            self.summary,
            self.category,
            self.severity,
            if self.tool == "govet" { "go-vet" } else { self.tool },
            more
        )
    }

    /// The URL of the check's documentation, if it has one.
    pub fn help_uri(&self) -> String {
        match self.tool {
            "govet" => format!(
                "https://pkg.go.dev/golang.org/x/tools/go/analysis/passes/{}",
                self.check
            ),
            _ => format!("https://staticcheck.dev/docs/checks/#{}", self.check),
        }
    }
}

/// Every known check of `go vet` then staticcheck, parsed once.
pub fn tool_checks() -> &'static [ToolCheck] {
    static CHECKS: OnceLock<Vec<ToolCheck>> = OnceLock::new();
    CHECKS.get_or_init(|| {
        let vet = listing(GOVET_LISTING).map(|(name, summary)| ToolCheck {
            id: format!("govet/{name}"),
            check: name.to_string(),
            tool: "govet",
            category: govet_category(name),
            severity: govet_severity(name),
            summary: capitalise(summary),
        });
        let sc = listing(STATICCHECK_LISTING).map(|(code, summary)| ToolCheck {
            id: format!("staticcheck/{code}"),
            check: code.to_string(),
            tool: "staticcheck",
            category: staticcheck_category(code),
            severity: staticcheck_severity(code),
            summary: summary.to_string(),
        });
        let compile = ["govet", "staticcheck"].map(|tool| ToolCheck {
            id: format!("{tool}/compile"),
            check: "compile".into(),
            tool,
            category: Category::Correctness,
            severity: Severity::High,
            summary: "Package does not build: a type or load error, so the tool could not check it (goaudit folds it with parse-error on the same line).".into(),
        });
        vet.chain(sc).chain(compile).collect()
    })
}

/// A tool check by id (`govet/printf`), if it is a known one.
pub fn tool_check(id: &str) -> Option<&'static ToolCheck> {
    tool_checks().iter().find(|c| c.id == id)
}

/// Whether `go vet` has an analyzer of this name.
pub fn is_vet_analyzer(name: &str) -> bool {
    tool_checks()
        .iter()
        .any(|c| c.tool == "govet" && c.check == name)
}

/// `name  summary` lines; `#` lines are comments.
fn listing(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(char::is_whitespace))
        .map(|(name, rest)| (name, rest.trim()))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// What kind of bug a vet analyzer finds.
pub fn govet_category(name: &str) -> Category {
    match name {
        "lostcancel" => Category::Leak,
        "copylocks" | "atomic" | "waitgroup" | "testinggoroutine" | "loopclosure" => {
            Category::Concurrency
        }
        "errorsas" | "httpresponse" => Category::Errors,
        "unsafeptr" | "cgocall" => Category::Security,
        "composites" | "buildtag" | "directive" | "stdversion" | "structtag" | "tests" => {
            Category::Style
        }
        _ => Category::Correctness,
    }
}

/// A vet analyzer's default severity: mistakes that break programs high, doubtful code medium,
/// hygiene low. Build and load errors (`compile`) are high.
pub fn govet_severity(name: &str) -> Severity {
    match name {
        "composites" | "unreachable" | "assign" | "buildtag" | "directive" | "stdversion" => {
            Severity::Low
        }
        "bools" | "structtag" | "tests" | "unusedresult" | "appends" | "slog" | "hostport"
        | "stdmethods" | "sigchanyzer" | "framepointer" | "asmdecl" => Severity::Medium,
        _ => Severity::High,
    }
}

/// staticcheck's families: SA (bugs) by subgroup, S (simplifications), ST (style), QF (quick
/// fixes), U (unused code); `compile` is a package that does not build.
pub fn staticcheck_category(code: &str) -> Category {
    if code.starts_with("SA2") {
        Category::Concurrency
    } else if code.starts_with("SA6") || !code.starts_with("SA") && code != "compile" {
        Category::Style
    } else {
        Category::Correctness
    }
}

pub fn staticcheck_severity(code: &str) -> Severity {
    match code.get(..3).unwrap_or(code) {
        "SA1" | "SA2" | "SA5" | "com" => Severity::High,
        "SA3" | "SA4" | "SA9" => Severity::Medium,
        "SA6" | "U10" => Severity::Low,
        _ if code.starts_with("S1") => Severity::Low,
        _ => Severity::Info,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_are_compiled_in_and_parsed() {
        let printf = tool_check("govet/printf").expect("vet's printf analyzer is listed");
        assert_eq!(printf.category, Category::Correctness);
        assert_eq!(printf.severity, Severity::High);
        assert!(printf.summary.starts_with("Check consistency of Printf"));
        let sa = tool_check("staticcheck/SA4006").expect("SA4006 is listed");
        assert_eq!(sa.severity, Severity::Medium);
        assert!(tool_checks().iter().filter(|c| c.tool == "govet").count() >= 30);
        assert!(
            tool_checks()
                .iter()
                .filter(|c| c.tool == "staticcheck")
                .count()
                >= 140
        );
    }

    #[test]
    fn families_set_category_and_severity() {
        assert_eq!(staticcheck_category("SA2002"), Category::Concurrency);
        assert_eq!(staticcheck_category("ST1003"), Category::Style);
        assert_eq!(staticcheck_category("compile"), Category::Correctness);
        assert_eq!(staticcheck_severity("compile"), Severity::High);
        assert_eq!(staticcheck_severity("SA5009"), Severity::High);
        assert_eq!(staticcheck_severity("S1000"), Severity::Low);
        assert_eq!(staticcheck_severity("ST1000"), Severity::Info);
        assert_eq!(staticcheck_severity("U1000"), Severity::Low);
        assert_eq!(govet_category("lostcancel"), Category::Leak);
        assert_eq!(govet_severity("compile"), Severity::High);
    }
}
