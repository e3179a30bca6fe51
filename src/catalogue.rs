//! The rule catalogue: one TOML file per rule in `rules/`, compiled into the binary. It is the one
//! source for `goaudit rules`, `goaudit rules explain`, report metadata and the README's table.

use crate::finding::{Category, Severity};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub mod tools;

include!(concat!(env!("OUT_DIR"), "/catalogue_files.rs"));
include!(concat!(env!("OUT_DIR"), "/rule_ids.rs"));

/// One option a rule accepts, with its default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionMeta {
    pub default: toml::Value,
    pub doc: String,
    /// The values a string option may take; `build.rs` makes the option an enum of them.
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

/// Everything the catalogue says about one rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleMeta {
    pub id: String,
    pub category: String,
    pub severity: String,
    /// Off unless selected: rules too noisy for every codebase.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Reported by the engine itself (parse problems, panics): the rule has no engine file.
    #[serde(default)]
    pub engine_made: bool,
    pub summary: String,
    pub why: String,
    pub bad: String,
    pub good: String,
    /// golangci-lint linter names whose `//nolint:NAME` also silences this rule.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub cwe: Option<u32>,
    /// How often a finding is right (SARIF's `precision`: very-high, high, medium, low);
    /// `high` when not given.
    #[serde(default)]
    pub precision: Option<String>,
    #[serde(default)]
    pub options: BTreeMap<String, OptionMeta>,
}

fn yes() -> bool {
    true
}

impl RuleMeta {
    pub fn category(&self) -> Category {
        Category::parse(&self.category).expect("validated at load")
    }

    pub fn severity(&self) -> Severity {
        Severity::parse(&self.severity).expect("validated at load")
    }

    /// The rule's `RuleId` (generated from the same catalogue, so every entry has one).
    pub fn rule_id(&self) -> RuleId {
        RuleId::parse(&self.id).expect("build.rs makes a RuleId of every catalogue entry")
    }

    /// The rule's documentation as Markdown, for `rules explain`, SARIF help and reports.
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "# {}\n\n{}\n\n**Category:** {} · **Default severity:** {} · **Enabled by default:** {}\n\n## Why it matters\n\n{}\n\n## Example\n\n```go\n{}\n```\n\n## Use instead\n\n```go\n{}\n```\n",
            self.id,
            self.summary,
            self.category,
            self.severity,
            if self.enabled { "yes" } else { "no" },
            self.why.trim(),
            self.bad.trim_end(),
            self.good.trim_end()
        );
        if !self.options.is_empty() {
            s.push_str("\n## Options\n\n| option | default | meaning |\n| --- | --- | --- |\n");
            for (name, o) in &self.options {
                s.push_str(&format!("| `{name}` | `{}` | {} |\n", o.default, o.doc));
            }
        }
        if !self.aliases.is_empty() {
            s.push_str(&format!(
                "\nAlso silenced by `//nolint:{}` (golangci-lint's names).\n",
                self.aliases.join("`, `//nolint:")
            ));
        }
        s
    }
}

/// The whole catalogue, sorted by rule id.
pub struct Catalogue {
    pub rules: Vec<RuleMeta>,
}

impl Catalogue {
    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        self.rules
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.rules[i])
    }
}

/// The compiled-in catalogue, parsed once.
pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| load(RULE_FILES).expect("the compiled-in rule catalogue is valid (tested)"))
}

/// Parses and validates catalogue files; used for the built-in catalogue and its test.
pub fn load(files: &[(&str, &str)]) -> Result<Catalogue> {
    let mut rules = Vec::with_capacity(files.len());
    for (name, text) in files {
        let meta: RuleMeta =
            toml::from_str(text).with_context(|| format!("rules/{name} is not a valid rule"))?;
        if format!("{}.toml", meta.id) != *name {
            bail!(
                "rules/{name} declares id {:?}; the file must be named after its id",
                meta.id
            );
        }
        if Category::parse(&meta.category).is_none() {
            bail!("rules/{name}: unknown category {:?}", meta.category);
        }
        if Severity::parse(&meta.severity).is_none() {
            bail!("rules/{name}: unknown severity {:?}", meta.severity);
        }
        rules.push(meta);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = rules.windows(2).find(|w| w[0].id == w[1].id) {
        bail!("rule id {} is declared twice", w[0].id);
    }
    Ok(Catalogue { rules })
}
