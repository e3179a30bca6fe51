//! `goaudit.toml`, found upward from the target or given with `--config`, merged with the
//! command line into the `Settings` that the pipeline and the rules read. Rules never read files
//! or the environment themselves.
//!
//! The audited repository is not trusted (docs/architecture.md, Trust): its config may select
//! rules and set thresholds, severities and excludes, never a path to run or an endpoint to call.

use crate::catalogue::names::{self, Named};
use crate::catalogue::{catalogue, RuleMeta};
use crate::finding::Severity;
use anyhow::{anyhow, bail, Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tools::{ToolFlags, ToolSettings, ToolsConfig};

pub mod golangci;
pub mod options;
pub mod per_path;
pub mod show;
pub mod snippet;
pub mod tools;

pub use options::RuleOptions;
pub use per_path::{PerPath, PerPathConfig};
pub use snippet::FileError;

pub const CONFIG_FILE: &str = "goaudit.toml";

/// Which changes make a finding new (`new-code` in goaudit.toml, `--new-code`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum NewCodeScope {
    /// Code changed on the finding's lines or related lines, or code only deleted in its function.
    #[default]
    Line,
    /// Any code changed in the finding's enclosing function.
    Function,
}

/// The file as written; every table rejects keys it does not know, naming them.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// Globs, relative to the module root, of files never audited.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Include `_test.go` files (default true).
    pub tests: Option<bool>,
    /// The lowest severity that makes the run fail (exit 1).
    pub fail_on: Option<String>,
    /// Which changes make a finding new under `--new-from-rev` / `--new-from-merge-base`.
    pub new_code: Option<NewCodeScope>,
    /// The next minor version's changes to the defaults, now (`--preview`).
    pub preview: Option<bool>,
    #[serde(default)]
    pub rules: RulesConfig,
    /// `go vet`, staticcheck and govulncheck: on, off or auto, and their checks.
    #[serde(default)]
    pub tools: ToolsConfig,
    /// The LLM review: model and budget only (docs/architecture.md, Trust).
    #[serde(default)]
    pub llm: RepoLlmConfig,
}

/// `[llm]` in the audited repository's `goaudit.toml`. It may choose the model, the budget and
/// prices, never where code goes or with which key: those keys are named here only so that
/// setting one is an error that says why.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RepoLlmConfig {
    pub model: Option<String>,
    /// Stop starting units once this many dollars are spent.
    pub max_cost: Option<f64>,
    /// Stop starting units once this many tokens (prompt + completion) are spent.
    pub max_tokens: Option<u64>,
    /// The token budget of one review unit (a package is split to fit).
    pub unit_tokens: Option<usize>,
    /// Dollars per million tokens by model: `[llm.prices."gpt-4o"] input = 2.5, output = 10`.
    #[serde(default)]
    pub prices: BTreeMap<String, PriceConfig>,
    // Refused: an untrusted repository must not choose where code and keys go.
    provider: Option<toml::Value>,
    base_url: Option<toml::Value>,
    endpoint: Option<toml::Value>,
    api_key: Option<toml::Value>,
    api_key_env: Option<toml::Value>,
}

impl RepoLlmConfig {
    /// An error naming the first key an untrusted config may not set, if any.
    pub fn check_trust(&self) -> Result<()> {
        let refused = [
            ("provider", &self.provider),
            ("base-url", &self.base_url),
            ("endpoint", &self.endpoint),
            ("api-key", &self.api_key),
            ("api-key-env", &self.api_key_env),
        ];
        if let Some((key, _)) = refused.iter().find(|(_, v)| v.is_some()) {
            bail!("goaudit.toml may not set llm.{key}: providers, endpoints and keys come from flags, the environment or ~/.config/goaudit/config.toml (the audited repository is not trusted)");
        }
        Ok(())
    }
}

/// A model's price in dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceConfig {
    pub input: f64,
    pub output: f64,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Rule ids, categories or golangci-lint linters to run instead of the default set.
    pub select: Option<Vec<String>>,
    /// Rule ids, categories or golangci-lint linters to add to the selection (such as rules off
    /// by default).
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rule ids, categories or golangci-lint linters never to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides by rule id.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Options by rule id, e.g. `[rules.options.cyclomatic-complexity] threshold = 20`.
    #[serde(default)]
    pub options: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// Rules silenced in some files only: `[[rules.per-path]] path = "**/*_test.go"`,
    /// `ignore = ["ignored-error"]`.
    #[serde(default)]
    pub per_path: Vec<PerPathConfig>,
}

/// What the command line adds on top of the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub tests: Option<bool>,
    pub fail_on: Option<Severity>,
    pub exclude: Vec<String>,
    pub new_code: Option<NewCodeScope>,
    pub preview: bool,
    pub tools: ToolFlags,
}

/// One rule as configured for this run.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    pub severity: Severity,
    /// The rule's own options (`RuleOptions::<rule>()` reads them).
    pub options: RuleOptions,
}

/// Everything the pipeline needs to know, resolved once.
#[derive(Debug)]
pub struct Settings {
    /// The enabled rules by id, with their severity and options.
    pub rules: BTreeMap<String, RuleSettings>,
    pub exclude: GlobSet,
    pub tests: bool,
    pub fail_on: Severity,
    /// `[[rules.per-path]]`: findings dropped in some files only.
    pub per_path: PerPath,
    /// The config file read, if any.
    pub config_path: Option<PathBuf>,
    /// The external tools to run beside the built-in rules.
    pub tools: ToolSettings,
    /// Which changes make a finding new under `--new-from-rev` / `--new-from-merge-base`.
    pub new_code: NewCodeScope,
    /// The catalogue's preview changes to the defaults apply.
    pub preview: bool,
    /// `[llm]` from the config file (model and budget only).
    pub llm: RepoLlmConfig,
}

impl Settings {
    pub fn enabled(&self, id: &str) -> bool {
        self.rules.contains_key(id)
    }
}

/// Finds `goaudit.toml` in `start` or a parent folder.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// The folder a package pattern starts in (`./internal/...` → `./internal`): where the search
/// for `goaudit.toml` begins.
pub fn start_folder(pattern: &str) -> PathBuf {
    let base = pattern.trim_end_matches("...").trim_end_matches('/');
    PathBuf::from(if base.is_empty() { "." } else { base })
}

/// Reads the config (the given one, or the one found upward from `target`) and merges the flags.
pub fn resolve(target: &Path, flags: &Overrides) -> Result<Settings> {
    let (path, file) = load(target, flags.config.as_deref())?;
    build(file, flags, path)
}

/// The config file in use (`explicit`, or the one found upward from `target`), parsed; the
/// defaults when there is none.
pub fn load(target: &Path, explicit: Option<&Path>) -> Result<(Option<PathBuf>, FileConfig)> {
    let path = match explicit {
        Some(p) => {
            if !p.is_file() {
                bail!("config file {} does not exist", p.display());
            }
            Some(p.to_path_buf())
        }
        None => find_config(target),
    };
    let file = match &path {
        Some(p) => parse_file(p)?,
        None => FileConfig::default(),
    };
    Ok((path, file))
}

/// The file parsed; a syntax or type error is a `FileError`, shown with its line and a caret.
fn parse_file(path: &Path) -> Result<FileConfig> {
    let text = crate::bounded::read_text(path, crate::bounded::CONFIG_LIMIT, "config")?;
    toml::from_str(&text).map_err(|e| FileError::new(path, &text, &e).into())
}

/// Merges a parsed file with the flags; every rule id, category, severity and option is checked.
pub fn build(file: FileConfig, flags: &Overrides, path: Option<PathBuf>) -> Result<Settings> {
    let cat = catalogue();
    let preview = flags.preview || file.preview.unwrap_or(false);
    let select = flags.select.clone().or(file.rules.select.clone());
    let mut chosen: Vec<&RuleMeta> = match &select {
        Some(sel) => matching(sel, Purpose::Select)?,
        None => cat
            .rules
            .iter()
            .filter(|r| r.enabled_under(preview))
            .collect(),
    };
    let extend: Vec<String> = file
        .rules
        .extend_select
        .iter()
        .chain(&flags.extend_select)
        .cloned()
        .collect();
    chosen.extend(matching(&extend, Purpose::Select)?);
    let ignore: Vec<String> = file
        .rules
        .ignore
        .iter()
        .chain(&flags.ignore)
        .cloned()
        .collect();
    let ignored = matching(&ignore, Purpose::Ignore)?;
    chosen.retain(|r| !ignored.iter().any(|i| i.id == r.id));

    for id in file.rules.severity.keys().chain(file.rules.options.keys()) {
        let Some(meta) = cat.get(id) else {
            bail!("goaudit.toml names an {}", names::unknown_rule(id));
        };
        // The options of a rule not selected are checked too: a typo never waits for the day
        // the rule is turned on.
        rule_options(meta, file.rules.options.get(id))?;
    }
    let overridden = severity_overrides(&file.rules.severity)?;
    let mut rules = BTreeMap::new();
    for meta in chosen {
        let severity = match overridden.get(meta.id.as_str()) {
            Some(s) => *s,
            None => meta.severity_under(preview),
        };
        let given = with_preview_defaults(meta, file.rules.options.get(&meta.id), preview);
        let options = rule_options(meta, given.as_ref())?;
        rules.insert(meta.id.clone(), RuleSettings { severity, options });
    }
    let fail_on = match (flags.fail_on, &file.fail_on) {
        (Some(s), _) => s,
        (None, Some(s)) => parse_severity(s, "fail-on")?,
        (None, None) => Severity::Low,
    };
    Ok(Settings {
        rules,
        exclude: globs(file.exclude.iter().chain(&flags.exclude))?,
        tests: flags.tests.or(file.tests).unwrap_or(true),
        fail_on,
        per_path: PerPath::resolve(&file.rules.per_path)?,
        config_path: path,
        tools: tools::resolve(&file.tools, &flags.tools)?,
        new_code: flags.new_code.or(file.new_code).unwrap_or_default(),
        preview,
        llm: {
            file.llm.check_trust()?;
            file.llm
        },
    })
}

/// `[rules.severity]` parsed, every value checked, the rules' own selected or not.
fn severity_overrides(given: &BTreeMap<String, String>) -> Result<BTreeMap<&str, Severity>> {
    given
        .iter()
        .map(|(id, s)| Ok((id.as_str(), parse_severity(s, &format!("rule {id}"))?)))
        .collect()
}

/// A severity the file names for `what`; an unknown one is an error suggesting the one meant.
fn parse_severity(name: &str, what: &str) -> Result<Severity> {
    Severity::parse(name).ok_or_else(|| {
        let names = Severity::ALL.map(Severity::as_str);
        anyhow!(
            "goaudit.toml: unknown severity `{name}` for {what}; severities: {}{}",
            names.join(", "),
            crate::suggest::did_you_mean(name, names)
        )
    })
}

/// What a list of names is for: a linter goaudit has no counterpart of selects nothing, which is
/// an error, and ignores nothing, which is not.
#[derive(Clone, Copy, PartialEq)]
enum Purpose {
    Select,
    Ignore,
}

/// The rules that a list of ids, categories and golangci-lint linters names; an unknown name is
/// an error that suggests the closest known one.
fn matching(names: &[String], purpose: Purpose) -> Result<Vec<&'static RuleMeta>> {
    let mut out = Vec::new();
    for name in names {
        if let Some(hint) = external_check_hint(name) {
            bail!("{hint}");
        }
        match names::resolve(name) {
            Some(Named::Linter(rules)) if rules.is_empty() && purpose == Purpose::Select => bail!(
                "`{name}` is a golangci-lint linter that goaudit has no counterpart of: selecting it selects no rule (see `goaudit rules explain {name}`)"
            ),
            Some(named) => out.extend(named.rules().iter().copied()),
            None => bail!("{}", names::unknown_name(name)),
        }
    }
    Ok(out)
}

/// Why `--select`/`--ignore` refuse a name that `goaudit rules` lists among the external tools'
/// checks (`govet/printf`, `staticcheck/SA4006`) or that names such a tool: those checks run
/// with their tool, not as built-in rules.
fn external_check_hint(name: &str) -> Option<String> {
    let tool = crate::catalogue::tools::tool_check(name)
        .map(|c| c.tool)
        .or_else(|| ["govet", "staticcheck"].into_iter().find(|t| *t == name))?;
    let flag = if tool == "govet" {
        "--go-vet"
    } else {
        "--staticcheck"
    };
    let what = if name == tool {
        "an external tool".to_string()
    } else {
        format!("a check of {tool}")
    };
    Some(format!(
        "`{name}` is {what}, not a built-in rule: select and ignore take built-in rules and categories (see `goaudit rules`); {tool} runs beside them with {flag}"
    ))
}

/// The rule's options: its table in `goaudit.toml` over the catalogue's defaults.
/// The options the user gave, with the preview's option defaults beneath them when on.
fn with_preview_defaults(
    meta: &RuleMeta,
    given: Option<&BTreeMap<String, toml::Value>>,
    preview: bool,
) -> Option<BTreeMap<String, toml::Value>> {
    let Some(defaults) = meta.preview_options(preview) else {
        return given.cloned();
    };
    let mut table = defaults.clone();
    table.extend(
        given
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    Some(table)
}

fn rule_options(
    meta: &RuleMeta,
    given: Option<&BTreeMap<String, toml::Value>>,
) -> Result<RuleOptions> {
    let table: toml::Table = given.cloned().unwrap_or_default().into_iter().collect();
    RuleOptions::parse(meta.rule_id(), table).map_err(|e| {
        let names: Vec<&str> = meta.options.keys().map(String::as_str).collect();
        anyhow!(
            "goaudit.toml: [rules.options.{}]: {} (its options: {})",
            meta.id,
            snippet::with_suggestion(&e),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )
    })
}

fn globs<'a>(patterns: impl Iterator<Item = &'a String>) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).with_context(|| format!("bad exclude glob `{p}`"))?);
    }
    Ok(b.build()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings> {
        let file: FileConfig = toml::from_str(text)?;
        build(file, &Overrides::default(), None)
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_key() {
        let err = toml::from_str::<FileConfig>("[rules]\nno_such_key = 1\n").unwrap_err();
        assert!(err.to_string().contains("no_such_key"), "{err}");
    }

    #[test]
    fn options_override_defaults_and_are_type_checked() {
        let s = parse("[rules.options.cyclomatic-complexity]\nthreshold = 20\n").unwrap();
        let options = s.rules["cyclomatic-complexity"]
            .options
            .cyclomatic_complexity();
        assert_eq!((options.threshold, options.high_threshold), (20, 0));
        let err = parse("[rules.options.cyclomatic-complexity]\nthreshold = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("threshold"));
        let err = parse("[rules.options.cyclomatic-complexity]\nnope = 1\n").unwrap_err();
        assert!(err.to_string().contains("nope"));
    }

    #[test]
    fn an_option_outside_its_values_is_an_error_naming_rule_option_and_values() {
        let err = parse("[rules.options.unchecked-error]\nmode = \"errchek\"\n").unwrap_err();
        let msg = err.to_string();
        for part in ["unchecked-error", "errchek", "errcheck"] {
            assert!(msg.contains(part), "{msg}");
        }
        let s = parse("[rules.options.unchecked-error]\nmode = \"errcheck\"\n").unwrap();
        let mode = s.rules["unchecked-error"].options.unchecked_error().mode;
        assert_eq!(mode, options::UncheckedErrorMode::Errcheck);
    }

    #[test]
    fn options_of_a_rule_not_selected_are_checked_too() {
        let text = "[rules]\nselect = [\"ssrf\"]\n[rules.options.unchecked-error]\nmode = \"x\"\n";
        assert!(parse(text).is_err());
    }

    #[test]
    fn a_rule_without_options_refuses_any() {
        let err = parse("[rules.options.double-lock]\nx = 1\n").unwrap_err();
        assert!(err.to_string().contains("no options"), "{err}");
    }

    #[test]
    fn select_and_ignore_take_ids_and_categories() {
        let s = parse("[rules]\nselect = [\"complexity\"]\nignore = [\"file-length\"]\n").unwrap();
        assert!(s.enabled("cyclomatic-complexity"));
        assert!(!s.enabled("file-length"));
        assert!(parse("[rules]\nselect = [\"nonsense\"]\n").is_err());
        let err = parse("[rules]\nselect = [\"govet/printf\"]\n").unwrap_err();
        assert!(err.to_string().contains("is a check of govet"), "{err}");
        assert!(err.to_string().contains("--go-vet"), "{err}");
        let err = parse("[rules]\nignore = [\"staticcheck\"]\n").unwrap_err();
        assert!(err.to_string().contains("is an external tool"), "{err}");
        assert!(err.to_string().contains("--staticcheck"), "{err}");
    }

    #[test]
    fn repo_llm_config_sets_model_and_budget_never_endpoints_or_keys() {
        let s = parse(
            "[llm]\nmodel = \"m\"\nmax-cost = 0.5\n[llm.prices.m]\ninput = 1.0\noutput = 2.0\n",
        )
        .unwrap();
        assert_eq!(s.llm.model.as_deref(), Some("m"));
        assert_eq!(s.llm.prices["m"].output, 2.0);
        for key in ["base-url", "api-key", "api-key-env", "endpoint", "provider"] {
            let err = parse(&format!("[llm]\n{key} = \"x\"\n")).unwrap_err();
            assert!(err.to_string().contains(key), "{err}");
        }
    }

    #[test]
    fn severity_overrides_apply() {
        let s = parse("[rules.severity]\ncyclomatic-complexity = \"high\"\n").unwrap();
        assert_eq!(s.rules["cyclomatic-complexity"].severity, Severity::High);
        assert!(parse("[rules.severity]\nno-such-rule = \"high\"\n").is_err());
    }
}
