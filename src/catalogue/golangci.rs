//! golangci-lint's names, pinned to golangci-lint v2.15.0: its linters (from
//! `pkg/lint/lintersdb/builder_linter.go` and the release's JSON schema), its formatters, and the
//! golangci-lint v1 names that v2 renamed or removed. With them goaudit accepts a linter's name
//! wherever it accepts a rule's (`--select errcheck`, `//nolint:errcheck`) and tells a typo from
//! a linter it does not model.
//!
//! [`goaudit_rules_for`] maps a linter to the built-in rules that find what it finds.

/// The golangci-lint release the names below were read from.
pub const GOLANGCI_LINT_VERSION: &str = "v2.15.0";

/// golangci-lint v2.15.0's linters, sorted.
pub const LINTERS: &[&str] = &[
    "arangolint",
    "asasalint",
    "asciicheck",
    "bidichk",
    "bodyclose",
    "canonicalheader",
    "clickhouselint",
    "containedctx",
    "contextcheck",
    "copyloopvar",
    "cyclop",
    "decorder",
    "depguard",
    "dogsled",
    "dupl",
    "dupword",
    "durationcheck",
    "embeddedstructfieldcheck",
    "err113",
    "errcheck",
    "errchkjson",
    "errname",
    "errorlint",
    "exhaustive",
    "exhaustruct",
    "exhaustruct_v5",
    "exptostd",
    "fatcontext",
    "forbidigo",
    "forcetypeassert",
    "funcorder",
    "funlen",
    "ginkgolinter",
    "gocheckcompilerdirectives",
    "gochecknoglobals",
    "gochecknoinits",
    "gochecksumtype",
    "gocognit",
    "goconst",
    "gocritic",
    "gocyclo",
    "godoclint",
    "godot",
    "godox",
    "goheader",
    "gomoddirectives",
    "gomodguard",
    "gomodguard_v2",
    "goprintffuncname",
    "gosec",
    "gosmopolitan",
    "govet",
    "grouper",
    "iface",
    "importas",
    "inamedparam",
    "ineffassign",
    "interfacebloat",
    "intrange",
    "iotamixing",
    "ireturn",
    "lll",
    "loggercheck",
    "maintidx",
    "makezero",
    "mirror",
    "misspell",
    "mnd",
    "modernize",
    "musttag",
    "nakedret",
    "nestif",
    "nilerr",
    "nilnesserr",
    "nilnil",
    "nlreturn",
    "noctx",
    "noinlineerr",
    "nolintlint",
    "nonamedreturns",
    "nosprintfhostport",
    "paralleltest",
    "perfsprint",
    "prealloc",
    "predeclared",
    "promlinter",
    "protogetter",
    "reassign",
    "recvcheck",
    "revive",
    "rowserrcheck",
    "sloglint",
    "spancheck",
    "sqlclosecheck",
    "staticcheck",
    "tagalign",
    "tagliatelle",
    "testableexamples",
    "testifylint",
    "testpackage",
    "thelper",
    "tparallel",
    "unconvert",
    "unparam",
    "unqueryvet",
    "unused",
    "usestdlibvars",
    "usetesting",
    "varnamelen",
    "wastedassign",
    "whitespace",
    "wrapcheck",
    "wsl",
    "wsl_v5",
    "zerologlint",
];

/// golangci-lint v2.15.0's formatters (`formatters.enable`), sorted.
pub const FORMATTERS: &[&str] = &["gci", "gofmt", "gofumpt", "goimports", "golines", "swaggo"];

/// golangci-lint v1 names that v2 renamed (with the v2 name) or removed (`None`), as v2's
/// `migrate` command knows them. `//nolint` comments written for v1 still carry them.
pub const V1_NAMES: &[(&str, Option<&str>)] = &[
    ("deadcode", None),
    ("execinquery", None),
    ("exhaustivestruct", None),
    ("exportloopref", None),
    ("gas", Some("gosec")),
    ("goerr113", Some("err113")),
    ("golint", None),
    ("gomnd", Some("mnd")),
    ("gosimple", Some("staticcheck")),
    ("ifshort", None),
    ("interfacer", None),
    ("logrlint", Some("loggercheck")),
    ("maligned", None),
    ("megacheck", Some("staticcheck")),
    ("nosnakecase", None),
    ("scopelint", None),
    ("structcheck", None),
    ("stylecheck", Some("staticcheck")),
    ("tenv", None),
    ("typecheck", None),
    ("varcheck", None),
    ("vet", Some("govet")),
    ("vetshadow", Some("govet")),
];

/// How much of a linter goaudit's rules cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// The rules find what the linter finds: where they report nothing, the linter would not
    /// either, so a `//nolint` for it there silences nothing.
    Same,
    /// The rules find some of what the linter finds, or count it against their own thresholds:
    /// a `//nolint` for the linter may be needed where goaudit reports nothing.
    Part,
}

/// A linter and the built-in rules that find what it finds.
struct Counterpart {
    linter: &'static str,
    rules: &'static [&'static str],
    coverage: Coverage,
}

const SECURITY_RULES: &[&str] = &[
    "command-injection",
    "hardcoded-secret",
    "http-server-timeouts",
    "insecure-tls",
    "path-traversal",
    "plain-http-url",
    "sql-string-building",
    "ssrf",
    "weak-crypto",
];

/// Every linter (by its v2 name, or a removed v1 name) with a counterpart among the built-in
/// rules. Each pair is one of the rule's `aliases` in `rules/*.toml` (tested), so a `//nolint`
/// for the linter silences the rule.
const COUNTERPARTS: &[Counterpart] = &[
    Counterpart {
        linter: "bodyclose",
        rules: &["unclosed-resource"],
        coverage: Coverage::Same,
    },
    Counterpart {
        linter: "cyclop",
        rules: &["cyclomatic-complexity"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "errcheck",
        rules: &["ignored-error", "unchecked-error"],
        coverage: Coverage::Same,
    },
    Counterpart {
        linter: "errorlint",
        rules: &["error-wrap-verb"],
        coverage: Coverage::Same,
    },
    Counterpart {
        linter: "exportloopref",
        rules: &["loop-var-capture"],
        coverage: Coverage::Same,
    },
    Counterpart {
        linter: "funlen",
        rules: &["function-length"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "gocognit",
        rules: &["cognitive-complexity"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "gocritic",
        rules: &["defer-in-loop"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "gocyclo",
        rules: &["cyclomatic-complexity"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "gosec",
        rules: SECURITY_RULES,
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "govet",
        rules: &["loop-var-capture", "waitgroup-misuse"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "nestif",
        rules: &["nesting-depth"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "nolintlint",
        rules: &["unused-nolint"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "revive",
        rules: &["defer-in-loop"],
        coverage: Coverage::Part,
    },
    Counterpart {
        linter: "rowserrcheck",
        rules: &["rows-err-unchecked", "unclosed-resource"],
        coverage: Coverage::Same,
    },
    Counterpart {
        linter: "sqlclosecheck",
        rules: &["rows-err-unchecked", "unclosed-resource"],
        coverage: Coverage::Same,
    },
];

/// Whether golangci-lint (v2.15.0, or v1 before a rename) has a linter or formatter of this name.
pub fn is_golangci_name(name: &str) -> bool {
    all_names().any(|n| n.eq_ignore_ascii_case(name))
}

/// Every linter, formatter and v1 name: the candidates of a did-you-mean.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    LINTERS
        .iter()
        .chain(FORMATTERS)
        .copied()
        .chain(V1_NAMES.iter().map(|(v1, _)| *v1))
}

/// The v2 name of a linter v2 renamed (`gomnd` → `mnd`), or the name itself.
pub fn current_name(name: &str) -> &str {
    V1_NAMES
        .iter()
        .find(|(v1, _)| v1.eq_ignore_ascii_case(name))
        .and_then(|(_, v2)| *v2)
        .unwrap_or(name)
}

fn counterpart(linter: &str) -> Option<&'static Counterpart> {
    let linter = current_name(linter);
    COUNTERPARTS
        .iter()
        .find(|c| c.linter.eq_ignore_ascii_case(linter))
}

/// The built-in rule ids that find what a golangci-lint linter finds (errcheck →
/// ignored-error, unchecked-error); empty for a linter goaudit has no counterpart of, or a name
/// that is no linter. A v1 name stands for its v2 successor. govet's and staticcheck's own
/// checks are not built-in rules: they run with `--go-vet` and `--staticcheck`.
pub fn goaudit_rules_for(linter: &str) -> &'static [&'static str] {
    counterpart(linter).map_or(&[], |c| c.rules)
}

/// How much of a linter the rules of [`goaudit_rules_for`] cover; `None` when they are none.
pub fn coverage(linter: &str) -> Option<Coverage> {
    counterpart(linter).map(|c| c.coverage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::catalogue;

    #[test]
    fn lists_are_sorted_and_disjoint() {
        for list in [LINTERS, FORMATTERS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
        assert!(V1_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        for (v1, v2) in V1_NAMES {
            assert!(!LINTERS.contains(v1), "{v1} is still a v2 linter");
            assert!(v2.is_none_or(|n| LINTERS.contains(&n)), "{v1} → {v2:?}");
        }
        assert!(FORMATTERS.iter().all(|f| !LINTERS.contains(f)));
    }

    #[test]
    fn names_are_known_in_any_case_and_v1_names_too() {
        for name in [
            "errcheck", "ErrCheck", "gofmt", "gomnd", "deadcode", "wsl_v5",
        ] {
            assert!(is_golangci_name(name), "{name}");
        }
        for name in ["errchek", "ignored-error", "all", ""] {
            assert!(!is_golangci_name(name), "{name}");
        }
        assert_eq!(current_name("gas"), "gosec");
        assert_eq!(current_name("deadcode"), "deadcode");
        assert_eq!(current_name("errcheck"), "errcheck");
    }

    #[test]
    fn linters_map_to_the_rules_that_find_the_same() {
        assert_eq!(
            goaudit_rules_for("errcheck"),
            ["ignored-error", "unchecked-error"]
        );
        assert_eq!(goaudit_rules_for("gocyclo"), ["cyclomatic-complexity"]);
        assert_eq!(goaudit_rules_for("gocognit"), ["cognitive-complexity"]);
        assert!(goaudit_rules_for("gosec").contains(&"sql-string-building"));
        assert_eq!(goaudit_rules_for("gas"), goaudit_rules_for("gosec"));
        assert_eq!(goaudit_rules_for("bodyclose"), ["unclosed-resource"]);
        assert!(goaudit_rules_for("rowserrcheck").contains(&"rows-err-unchecked"));
        assert!(goaudit_rules_for("unused").is_empty());
        assert!(goaudit_rules_for("staticcheck").is_empty());
        assert!(goaudit_rules_for("no-such-linter").is_empty());
        assert_eq!(coverage("errcheck"), Some(Coverage::Same));
        assert_eq!(coverage("gocyclo"), Some(Coverage::Part));
        assert_eq!(coverage("revive"), Some(Coverage::Part));
        assert_eq!(coverage("unused"), None);
    }

    #[test]
    fn every_security_rule_is_a_gosec_counterpart() {
        let security: Vec<&str> = catalogue()
            .rules
            .iter()
            .filter(|r| r.category == "security")
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(goaudit_rules_for("gosec"), security.as_slice());
    }

    /// The table and the catalogue's `aliases` (what `//nolint:NAME` silences) say the same.
    #[test]
    fn counterparts_agree_with_the_catalogue_aliases() {
        for c in COUNTERPARTS {
            assert!(is_golangci_name(c.linter), "{}", c.linter);
            for rule in c.rules {
                let meta = catalogue().get(rule).unwrap_or_else(|| panic!("{rule}"));
                assert!(
                    meta.aliases.iter().any(|a| a == c.linter),
                    "{rule} ← {}",
                    c.linter
                );
            }
        }
        for meta in &catalogue().rules {
            for alias in meta.aliases.iter().filter(|a| is_golangci_name(a)) {
                assert!(
                    goaudit_rules_for(alias).contains(&meta.id.as_str()),
                    "{} names {alias} but the table does not",
                    meta.id
                );
            }
        }
    }
}
