//! The names that stand for built-in rules wherever a rule is named (`--select`,
//! `--extend-select`, `--ignore`, `goaudit.toml`'s `[rules]`, `goaudit rules explain`): a rule id,
//! a category, `all`, or a golangci-lint linter, which stands for the rules that find what it
//! finds ([`golangci::goaudit_rules_for`]). An unknown name's error suggests the closest of them.

use super::golangci::{self, GOLANGCI_LINT_VERSION};
use super::{catalogue, RuleMeta};
use crate::finding::Category;

/// What a name stands for.
#[derive(Debug)]
pub enum Named {
    /// A rule id, a category or `all`: the rules it names.
    Rules(Vec<&'static RuleMeta>),
    /// A golangci-lint linter: the built-in rules that find what it finds (none for a linter
    /// goaudit has no counterpart of).
    Linter(Vec<&'static RuleMeta>),
}

impl Named {
    /// The rules the name stands for.
    pub fn rules(&self) -> &[&'static RuleMeta] {
        match self {
            Named::Rules(rules) | Named::Linter(rules) => rules,
        }
    }
}

/// What `name` stands for; `None` when it is no rule, category or golangci-lint linter.
/// Rule ids and categories win over a linter of the same name.
pub fn resolve(name: &str) -> Option<Named> {
    let cat = catalogue();
    if name.eq_ignore_ascii_case("all") {
        return Some(Named::Rules(cat.rules.iter().collect()));
    }
    if let Some(rule) = cat.get(name) {
        return Some(Named::Rules(vec![rule]));
    }
    if let Some(c) = Category::parse(name) {
        return Some(Named::Rules(
            cat.rules.iter().filter(|r| r.category() == c).collect(),
        ));
    }
    if golangci::is_golangci_name(name) {
        let rules = golangci::goaudit_rules_for(name)
            .iter()
            .filter_map(|id| cat.get(id))
            .collect();
        return Some(Named::Linter(rules));
    }
    None
}

/// Every name a user may type for rules: rule ids, categories, golangci-lint linters.
pub fn candidates() -> impl Iterator<Item = &'static str> {
    catalogue()
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(Category::ALL.iter().map(|c| c.as_str()))
        .chain(golangci::all_names())
}

/// `unknown rule or category `x` (did you mean `y`?) (see `goaudit rules`)`, for any place a
/// rule is named.
pub fn unknown_name(name: &str) -> String {
    format!(
        "unknown rule or category `{name}`{} (see `goaudit rules`)",
        crate::suggest::did_you_mean(name, candidates())
    )
}

/// `unknown rule `x` (did you mean `y`?) …` where only a rule id fits (`[rules.severity]`,
/// `[rules.options]`): the suggestion is a rule id, or the rules a linter's name stands for.
pub fn unknown_rule(name: &str) -> String {
    let rule_ids = catalogue().rules.iter().map(|r| r.id.as_str());
    let hint = match golangci::goaudit_rules_for(name) {
        [] => crate::suggest::did_you_mean(name, rule_ids),
        rules => format!(
            " (`{name}` is a golangci-lint linter; its goaudit rules: {})",
            rules.join(", ")
        ),
    };
    format!("unknown rule `{name}`{hint} (see `goaudit rules`)")
}

/// `goaudit rules explain LINTER`: the linter's counterparts among the built-in rules, each with
/// its summary, or that goaudit has none.
pub fn explain_linter(name: &str, rules: &[&RuleMeta]) -> String {
    let mut s = format!("# {name}\n\n");
    if rules.is_empty() {
        s.push_str(&format!(
            "`{name}` is a golangci-lint linter ({GOLANGCI_LINT_VERSION}) that goaudit has no counterpart of: no built-in rule finds what it finds.{}\n",
            tool_note(name)
        ));
        return s;
    }
    let extent = match golangci::coverage(name) {
        Some(golangci::Coverage::Same) => "find what it finds",
        _ => "find part of what it finds, or count it against their own thresholds",
    };
    s.push_str(&format!(
        "`{name}` is a golangci-lint linter ({GOLANGCI_LINT_VERSION}). goaudit's rules that {extent} (`--select {name}` selects them, `//nolint:{name}` silences them):\n\n"
    ));
    for rule in rules {
        s.push_str(&format!("- `{}`: {}\n", rule.id, rule.summary));
    }
    let note = tool_note(name);
    if !note.is_empty() {
        s.push_str(&format!("\n{}\n", note.trim_start()));
    }
    s
}

/// For govet and staticcheck, which goaudit runs as external tools: the flag that does.
fn tool_note(name: &str) -> &'static str {
    match golangci::current_name(name) {
        "govet" => " goaudit runs `go vet` itself with `--go-vet` (its checks: `goaudit rules`).",
        "staticcheck" => {
            " goaudit runs staticcheck itself with `--staticcheck` (its checks: `goaudit rules`)."
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(named: Option<Named>) -> Vec<String> {
        named
            .expect("known")
            .rules()
            .iter()
            .map(|r| r.id.clone())
            .collect()
    }

    #[test]
    fn ids_categories_and_linters_name_rules() {
        assert_eq!(ids(resolve("ssrf")), ["ssrf"]);
        assert!(ids(resolve("complexity")).contains(&"file-length".to_string()));
        assert_eq!(
            ids(resolve("errcheck")),
            ["ignored-error", "unchecked-error"]
        );
        assert!(matches!(resolve("lll"), Some(Named::Linter(r)) if r.is_empty()));
        assert!(resolve("errchek").is_none());
    }

    #[test]
    fn unknown_names_suggest_the_closest_rule_category_or_linter() {
        assert!(unknown_name("errchek").contains("did you mean `errcheck`?"));
        assert!(unknown_name("ignored-eror").contains("did you mean `ignored-error`?"));
        assert!(unknown_name("securty").contains("did you mean `security`?"));
        assert!(!unknown_name("zzzz").contains("did you mean"));
        assert!(unknown_rule("errcheck").contains("ignored-error, unchecked-error"));
        assert!(unknown_rule("cyclomatic").contains("cyclomatic-complexity"));
    }

    #[test]
    fn a_linter_is_explained_by_its_rules_or_their_absence() {
        let errcheck = explain_linter("errcheck", resolve("errcheck").unwrap().rules());
        assert!(errcheck.contains("- `unchecked-error`: "), "{errcheck}");
        assert!(errcheck.contains("find what it finds"), "{errcheck}");
        let lll = explain_linter("lll", &[]);
        assert!(lll.contains("no counterpart"), "{lll}");
        let vet = explain_linter("govet", resolve("govet").unwrap().rules());
        assert!(vet.contains("--go-vet"), "{vet}");
    }
}
