//! golangci-lint's linters and what goaudit has for each: rules that check the same thing, a
//! rule that covers it among other things, an external tool goaudit runs, or nothing.

use std::collections::BTreeSet;

/// What goaudit has for a golangci-lint linter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counterpart {
    /// Rules (or a category) that check what the linter checks.
    Rules(&'static [&'static str]),
    /// A rule that checks this and more (so disabling the linter cannot turn it off), and how.
    Partly(&'static str, &'static str),
    /// An external tool goaudit runs (`govet`, `staticcheck`): its findings carry the tool's name.
    Tool(&'static str),
    /// Part of an external tool, chosen by that tool's own settings, and how.
    Within(&'static str, &'static str),
    /// Nothing in goaudit.
    None,
}

/// The linters whose goaudit counterpart is a set of rules.
pub const KNOWN: [&str; 11] = [
    "errcheck",
    "gocyclo",
    "cyclop",
    "gocognit",
    "funlen",
    "nestif",
    "gosec",
    "errorlint",
    "rowserrcheck",
    "exportloopref",
    "nolintlint",
];

/// goaudit's counterpart of a linter. `unused-nolint` is the rule of nolintlint's unused
/// directives; `exists` says whether this build has it.
pub fn counterpart(linter: &str) -> Counterpart {
    match linter {
        "errcheck" => Counterpart::Rules(&["ignored-error", "unchecked-error"]),
        "gocyclo" | "cyclop" => Counterpart::Rules(&["cyclomatic-complexity"]),
        "gocognit" => Counterpart::Rules(&["cognitive-complexity"]),
        "funlen" => Counterpart::Rules(&["function-length"]),
        "nestif" => Counterpart::Rules(&["nesting-depth"]),
        "gosec" => Counterpart::Rules(&["security"]),
        "errorlint" => Counterpart::Rules(&["error-wrap-verb"]),
        "rowserrcheck" => Counterpart::Rules(&["rows-err-unchecked"]),
        // copyloopvar reports the opposite (a copy of the loop variable Go 1.22 made needless).
        "exportloopref" => Counterpart::Rules(&["loop-var-capture"]),
        "nolintlint" => Counterpart::Rules(&["unused-nolint"]),
        "bodyclose" | "sqlclosecheck" => Counterpart::Partly(
            "unclosed-resource",
            "checks every resource (files, connections, bodies, rows)",
        ),
        "govet" => Counterpart::Tool("govet"),
        "staticcheck" => Counterpart::Tool("staticcheck"),
        "gosimple" | "stylecheck" => Counterpart::Within(
            "staticcheck",
            "choose its S or ST checks in [tools.staticcheck] checks",
        ),
        _ => Counterpart::None,
    }
}

/// Whether this build of goaudit has the rule or category.
pub fn exists(name: &str) -> bool {
    is_category(name) || crate::catalogue::catalogue().get(name).is_some()
}

/// Whether the name is one of goaudit's rule categories (`security`).
pub fn is_category(name: &str) -> bool {
    crate::finding::Category::parse(name).is_some()
}

/// The names for `[[rules.per-path]] ignore` that silence these linters, and the linters that
/// have none, each with why.
pub fn goaudit_names(linters: &[String]) -> (Vec<String>, Vec<(String, String)>) {
    let mut names = Vec::new();
    let mut without = Vec::new();
    for linter in linters {
        match counterpart(linter) {
            Counterpart::Rules(rules) if rules.iter().all(|r| exists(r)) => {
                names.extend(rules.iter().map(|r| r.to_string()));
            }
            Counterpart::Rules(rules) => without.push((
                linter.clone(),
                format!(
                    "its goaudit rule {} is not in this build of goaudit",
                    rules.join(", ")
                ),
            )),
            Counterpart::Tool(tool) => names.push(tool.to_string()),
            Counterpart::Partly(rule, how) => without.push((
                linter.clone(),
                format!("goaudit's {rule} {how}: silencing it here would silence more"),
            )),
            Counterpart::Within(tool, _) => without.push((
                linter.clone(),
                format!("part of {tool}: silencing {tool} here would silence more"),
            )),
            Counterpart::None => {
                without.push((linter.clone(), "no goaudit counterpart".to_string()))
            }
        }
    }
    names.dedup();
    (names, without)
}

/// Which linters run before `enable` and `disable` apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// golangci-lint's default set.
    Standard,
    /// Every linter (`enable-all`, `default: all`).
    All,
    /// None (`disable-all`, `default: none`).
    None,
}

/// golangci-lint v1: `disable-all` and `enable-all`.
pub fn v1_base(disable_all: Option<bool>, enable_all: Option<bool>) -> Base {
    match (disable_all, enable_all) {
        (Some(true), _) => Base::None,
        (_, Some(true)) => Base::All,
        _ => Base::Standard,
    }
}

/// golangci-lint v2: `linters.default` (`standard`, `all`, `none`, `fast`).
pub fn v2_base(default: Option<&str>) -> Base {
    match default {
        Some("all") => Base::All,
        Some("none") => Base::None,
        _ => Base::Standard,
    }
}

/// The linters golangci-lint runs when the config names none (v1 and v2 alike for the ones
/// goaudit maps).
const STANDARD: [&str; 6] = [
    "errcheck",
    "govet",
    "ineffassign",
    "staticcheck",
    "unused",
    "gosimple",
];

/// The linters a config turns on and off.
#[derive(Debug)]
pub struct LinterSet {
    base: Base,
    enabled: BTreeSet<String>,
    disabled: BTreeSet<String>,
}

impl LinterSet {
    /// The set from the base and the `enable` and `disable` lists.
    pub fn new(base: Base, enabled: Vec<String>, disabled: Vec<String>) -> LinterSet {
        LinterSet {
            base,
            enabled: enabled.into_iter().collect(),
            disabled: disabled.into_iter().collect(),
        }
    }

    /// The base set the lists apply to.
    pub fn base(&self) -> Base {
        self.base
    }

    /// The linters listed under `disable`.
    pub fn disabled(&self) -> &BTreeSet<String> {
        &self.disabled
    }

    /// The linters listed under `enable`.
    pub fn explicitly_enabled(&self) -> &BTreeSet<String> {
        &self.enabled
    }

    /// Whether golangci-lint runs the linter under this config.
    pub fn is_on(&self, linter: &str) -> bool {
        if self.disabled.contains(linter) {
            return false;
        }
        self.enabled.contains(linter)
            || match self.base {
                Base::All => true,
                Base::Standard => STANDARD.contains(&linter),
                Base::None => false,
            }
    }
}
