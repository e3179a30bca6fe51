//! `[[rules.per-path]]`: rules silenced in some files only, golangci-lint's exclusion rules with
//! `path` and `linters`. `path` is a glob relative to the module root (the `go.work` folder in a
//! workspace), matched like `exclude`; `ignore` names built-in rules and categories as
//! `rules.ignore` does, and also an external tool (`govet`, `staticcheck`, `govulncheck`) or one
//! of its checks (`govet/printf`), whose findings carry those ids. The findings of those rules in
//! matching files are dropped after the audit.

use super::matching;
use crate::finding::Finding;
use anyhow::{bail, Context, Result};
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The external tools whose findings `ignore` may name, as their ids start (`govet/printf`).
const TOOLS: [&str; 3] = ["govet", "staticcheck", "govulncheck"];

/// One `[[rules.per-path]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PerPathConfig {
    /// Glob of the files, relative to the module root: `**/*_test.go`.
    pub path: String,
    /// Rule ids, categories, external tools or their checks to drop in those files.
    pub ignore: Vec<String>,
}

/// The entries resolved: a matcher and the rule ids (or tool prefixes) each silences.
#[derive(Debug, Default)]
pub struct PerPath {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    glob: GlobMatcher,
    /// Built-in rule ids and external checks (`govet/printf`), matched exactly.
    rules: BTreeSet<String>,
    /// External tools whose every finding is dropped (`govet`).
    tools: BTreeSet<String>,
}

impl PerPath {
    /// Checks and compiles the entries; an unknown rule or a bad glob is an error naming it.
    pub fn resolve(given: &[PerPathConfig]) -> Result<PerPath> {
        let entries = given
            .iter()
            .enumerate()
            .map(|(i, p)| entry(i, p))
            .collect::<Result<_>>()?;
        Ok(PerPath { entries })
    }

    /// Whether a finding of `rule` in `file` (relative to the module root) is silenced.
    pub fn silences(&self, rule: &str, file: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.names(rule) && e.glob.is_match(file))
    }

    /// Drops the findings the entries silence.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if !self.entries.is_empty() {
            findings.retain(|f| !self.silences(&f.rule, &f.location.file));
        }
    }
}

impl Entry {
    fn names(&self, rule: &str) -> bool {
        self.rules.contains(rule)
            || rule
                .split_once('/')
                .is_some_and(|(tool, _)| self.tools.contains(tool))
    }
}

fn entry(index: usize, given: &PerPathConfig) -> Result<Entry> {
    let glob = Glob::new(&given.path)
        .with_context(|| {
            format!(
                "goaudit.toml: rules.per-path[{index}]: bad glob `{}`",
                given.path
            )
        })?
        .compile_matcher();
    if given.ignore.is_empty() {
        bail!("goaudit.toml: rules.per-path[{index}] (path `{}`) ignores nothing: give `ignore = [...]`", given.path);
    }
    let mut out = Entry {
        glob,
        rules: BTreeSet::new(),
        tools: BTreeSet::new(),
    };
    for name in &given.ignore {
        if TOOLS.contains(&name.as_str()) {
            out.tools.insert(name.clone());
        } else if crate::catalogue::tools::tool_check(name).is_some() {
            out.rules.insert(name.clone());
        } else {
            let rules = matching(std::slice::from_ref(name), super::Purpose::Ignore)
                .with_context(|| format!("goaudit.toml: rules.per-path[{index}]"))?;
            out.rules.extend(rules.iter().map(|r| r.id.clone()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_path(path: &str, ignore: &[&str]) -> Result<PerPath> {
        PerPath::resolve(&[PerPathConfig {
            path: path.into(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
        }])
    }

    #[test]
    fn rules_and_categories_are_silenced_in_matching_files_only() {
        let p = per_path("**/*_test.go", &["ignored-error", "security"]).unwrap();
        assert!(p.silences("ignored-error", "pkg/a_test.go"));
        assert!(p.silences("ssrf", "pkg/a_test.go"));
        assert!(!p.silences("unchecked-error", "pkg/a_test.go"));
        assert!(!p.silences("ignored-error", "pkg/a.go"));
    }

    #[test]
    fn external_tools_and_their_checks_can_be_named() {
        let p = per_path("gen/**", &["govet", "staticcheck/SA4006"]).unwrap();
        assert!(p.silences("govet/printf", "gen/x.go"));
        assert!(p.silences("staticcheck/SA4006", "gen/x.go"));
        assert!(!p.silences("staticcheck/SA4010", "gen/x.go"));
    }

    #[test]
    fn unknown_names_bad_globs_and_empty_lists_are_errors() {
        let err = per_path("**", &["ignored-eror"]).unwrap_err();
        assert!(format!("{err:#}").contains("ignored-eror"), "{err:#}");
        assert!(per_path("[", &["ssrf"]).is_err());
        assert!(per_path("**", &[]).is_err());
    }
}
