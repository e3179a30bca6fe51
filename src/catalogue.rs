//! The rule catalogue: one TOML file per rule in `rules/`, compiled into the binary. It is the one
//! source for `goaudit rules`, `goaudit rules explain`, report metadata and the README's table.

use crate::finding::{Category, Severity};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The version `--version` prints: Cargo's, and the commit it was built from when known.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("GOAUDIT_COMMIT_SUFFIX"));

/// The project's canonical home (Cargo.toml's `repository`).
pub const HOME: &str = env!("CARGO_PKG_REPOSITORY");

/// The address of a built-in rule's documentation: its section of `docs/rules.md` in the
/// release this binary was built from.
pub fn rule_doc_url(id: &str) -> String {
    format!(
        "{HOME}/blob/v{}/docs/rules.md#{id}",
        env!("CARGO_PKG_VERSION")
    )
}

pub mod golangci;
pub mod names;
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

/// A change to a rule's defaults made within a minor series (`[preview]` in its entry): it
/// applies only under `--preview` (or `preview = true`) until the next minor release makes it
/// the default, so a CI that pins a version is never surprised by an upgrade within it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewMeta {
    /// The release that made the change (`0.2.1`).
    pub since: String,
    /// On or off by default under preview.
    pub enabled: Option<bool>,
    /// The default severity under preview.
    pub severity: Option<String>,
    /// Option defaults under preview, by option name.
    #[serde(default)]
    pub options: BTreeMap<String, toml::Value>,
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
    /// Option values the `bad` and `good` examples are reported (or not) with, where the
    /// defaults would need an example too long to read (a complexity threshold): each names
    /// one of `options`. The documentation says so above the example, and `tests/examples.rs`
    /// audits the examples with them.
    #[serde(default)]
    pub example_options: BTreeMap<String, toml::Value>,
    /// The Go version of the module the examples are audited in (its `go.mod`'s `go` line), for
    /// rules that depend on it (`loop-var-capture` is silent from Go 1.22 on); the documentation
    /// says so above the example. When absent, a current version.
    #[serde(default)]
    pub example_go: Option<String>,
    /// Changes to the defaults that wait for `--preview` until the next minor release.
    #[serde(default)]
    pub preview: Option<PreviewMeta>,
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

    /// On by default, with the preview's change when `preview` is on.
    pub fn enabled_under(&self, preview: bool) -> bool {
        self.preview_change(preview)
            .and_then(|p| p.enabled)
            .unwrap_or(self.enabled)
    }

    /// The default severity, with the preview's change when `preview` is on.
    pub fn severity_under(&self, preview: bool) -> Severity {
        self.preview_change(preview)
            .and_then(|p| p.severity.as_deref())
            .and_then(Severity::parse)
            .unwrap_or_else(|| self.severity())
    }

    /// The option defaults the preview changes, when `preview` is on.
    pub fn preview_options(&self, preview: bool) -> Option<&BTreeMap<String, toml::Value>> {
        self.preview_change(preview).map(|p| &p.options)
    }

    fn preview_change(&self, preview: bool) -> Option<&PreviewMeta> {
        self.preview.as_ref().filter(|_| preview)
    }

    /// The rule's `RuleId` (generated from the same catalogue, so every entry has one).
    pub fn rule_id(&self) -> RuleId {
        RuleId::parse(&self.id).expect("build.rs makes a RuleId of every catalogue entry")
    }

    /// What the examples are audited with besides the defaults, as a sentence for the
    /// documentation (`Reported with `threshold = 8`; the default is 15.`), or nothing.
    pub fn example_setting(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(go) = &self.example_go {
            parts.push(format!("in a module whose `go.mod` says `go {go}`"));
        }
        for (name, value) in &self.example_options {
            let default = self.options.get(name).map(|o| &o.default);
            parts.push(match default {
                Some(d) => format!("with `{name} = {value}` (the default is {d})"),
                None => format!("with `{name} = {value}`"),
            });
        }
        if parts.is_empty() {
            None
        } else {
            Some(format!("Reported {}.", parts.join(" and ")))
        }
    }

    /// The rule's documentation as Markdown, for `rules explain`, SARIF help and reports.
    pub fn markdown(&self) -> String {
        let setting = self
            .example_setting()
            .map(|s| format!("{s}\n\n"))
            .unwrap_or_default();
        let mut s = format!(
            "# {}\n\n{}\n\n**Category:** {} · **Default severity:** {} · **Enabled by default:** {}\n\n## Why it matters\n\n{}\n\n## Example\n\n{setting}```go\n{}\n```\n\n## Use instead\n\n```go\n{}\n```\n",
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
        for (option, value) in &meta.example_options {
            let Some(declared) = meta.options.get(option) else {
                bail!("rules/{name}: example option {option:?} is not one of the rule's options");
            };
            if value.type_str() != declared.default.type_str() {
                bail!(
                    "rules/{name}: example option {option} = {value} is not of its default's type ({})",
                    declared.default.type_str()
                );
            }
        }
        if let Some(p) = &meta.preview {
            check_preview(name, &meta, p)?;
        }
        rules.push(meta);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = rules.windows(2).find(|w| w[0].id == w[1].id) {
        bail!("rule id {} is declared twice", w[0].id);
    }
    Ok(Catalogue { rules })
}

/// A `[preview]` table names a release, a known severity and declared options of their types.
fn check_preview(name: &str, meta: &RuleMeta, p: &PreviewMeta) -> Result<()> {
    let release = p.since.split('.').collect::<Vec<_>>();
    if release.len() != 3 || release.iter().any(|n| n.parse::<u32>().is_err()) {
        bail!(
            "rules/{name}: preview.since {:?} is not a release (0.2.1)",
            p.since
        );
    }
    if let Some(s) = p
        .severity
        .as_deref()
        .filter(|s| Severity::parse(s).is_none())
    {
        bail!("rules/{name}: unknown preview severity {s:?}");
    }
    for (option, value) in &p.options {
        match meta.options.get(option) {
            Some(d) if d.default.type_str() == value.type_str() => {}
            Some(d) => bail!(
                "rules/{name}: preview option {option} = {value} is not of its default's type ({})",
                d.default.type_str()
            ),
            None => {
                bail!("rules/{name}: preview option {option:?} is not one of the rule's options")
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"
id = "some-rule"
category = "complexity"
severity = "medium"
summary = "A summary."
why = "Why."
bad = "func f() {}"
good = "func g() {}"

[options.threshold]
default = 15
doc = "The threshold."
"#;

    #[test]
    fn example_options_are_shown_above_the_example() {
        let text = format!("example-go = \"1.21\"\n{ENTRY}\n[example-options]\nthreshold = 3\n");
        let cat = load(&[("some-rule.toml", &text)]).unwrap();
        let md = cat.rules[0].markdown();
        let said = "Reported in a module whose `go.mod` says `go 1.21` and with `threshold = 3` (the default is 15).\n\n```go\nfunc f() {}";
        assert!(md.contains(said), "{md}");
        let plain = load(&[("some-rule.toml", ENTRY)]).unwrap();
        assert!(!plain.rules[0].markdown().contains("Reported"));
    }

    #[test]
    fn a_preview_change_applies_only_under_preview() {
        let text = format!("{ENTRY}\n[preview]\nsince = \"0.1.1\"\nenabled = false\nseverity = \"high\"\noptions = {{ threshold = 10 }}\n");
        let cat = load(&[("some-rule.toml", &text)]).unwrap();
        let rule = &cat.rules[0];
        assert!(rule.enabled_under(false));
        assert!(!rule.enabled_under(true));
        assert_eq!(rule.severity_under(false), Severity::Medium);
        assert_eq!(rule.severity_under(true), Severity::High);
        assert!(rule.preview_options(false).is_none());
        assert_eq!(
            rule.preview_options(true).unwrap()["threshold"].as_integer(),
            Some(10)
        );
    }

    #[test]
    fn a_preview_table_is_checked() {
        for bad in [
            "since = \"next\"",
            "since = \"0.1.1\"\nseverity = \"urgent\"",
            "since = \"0.1.1\"\noptions = { nope = 1 }",
            "since = \"0.1.1\"\noptions = { threshold = \"10\" }",
        ] {
            let text = format!("{ENTRY}\n[preview]\n{bad}\n");
            assert!(load(&[("some-rule.toml", &text)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn example_options_must_be_options_of_the_rule_with_their_type() {
        for extra in ["nope = 3", "threshold = \"3\""] {
            let text = format!("{ENTRY}\n[example-options]\n{extra}\n");
            assert!(load(&[("some-rule.toml", &text)]).is_err(), "{extra}");
        }
    }
}
