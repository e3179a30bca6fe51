//! `goaudit config show`: the config file in use and the effective settings, the file merged
//! with the flags as an audit merges them, defaults included, as TOML (which reads back as the
//! same settings) or JSON.

use super::tools::{ToolChoice, ToolMode};
use super::{FileConfig, Overrides, PriceConfig, Settings};
use crate::catalogue::catalogue;
use crate::finding::Severity;
use anyhow::{bail, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `goaudit config show` is asked.
#[derive(Debug, Clone)]
pub struct ShowRequest {
    /// The folder the config is found upward from.
    pub target: PathBuf,
    /// The flags, merged over the file as `goaudit audit` merges them.
    pub overrides: Overrides,
    /// JSON instead of TOML.
    pub json: bool,
}

/// Prints the effective settings on standard output (exit code 0); a config error is an `Err`.
pub fn run(request: &ShowRequest) -> Result<i32> {
    print!("{}", render(request)?);
    Ok(0)
}

/// What `run` prints: TOML under a comment naming the file in use, or one JSON object.
pub fn render(request: &ShowRequest) -> Result<String> {
    if !request.target.exists() {
        bail!("{} does not exist", request.target.display());
    }
    let flags = &request.overrides;
    let (path, file) = super::load(&request.target, flags.config.as_deref())?;
    let settings = super::build(file.clone(), flags, path.clone())?;
    let effective = Effective::of(&file, flags, &settings);
    if request.json {
        let shown = JsonShown {
            config: path.as_deref().map(|p| p.display().to_string()),
            settings: &effective,
        };
        return Ok(serde_json::to_string_pretty(&shown)? + "\n");
    }
    let source = source_line(&request.target, path.as_deref(), flags.config.is_some());
    Ok(format!(
        "# {source}\n# The effective settings: the file merged with the flags, defaults included.\n\n{}",
        toml::to_string_pretty(&effective)?
    ))
}

/// Which file the settings come from, or where none was found.
fn source_line(target: &Path, path: Option<&Path>, explicit: bool) -> String {
    match path {
        Some(p) if explicit => format!("config: {} (--config)", p.display()),
        Some(p) => format!("config: {}", p.display()),
        None => {
            let from = target
                .canonicalize()
                .unwrap_or_else(|_| target.to_path_buf());
            format!(
                "no {} found upward from {}; defaults",
                super::CONFIG_FILE,
                from.display()
            )
        }
    }
}

/// The JSON form: the file in use (`null` for none) beside the settings.
#[derive(Serialize)]
struct JsonShown<'a> {
    config: Option<String>,
    #[serde(flatten)]
    settings: &'a Effective,
}

/// The settings a run would use, in the file's own shape.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Effective {
    tests: bool,
    exclude: Vec<String>,
    fail_on: Severity,
    new_code: super::NewCodeScope,
    preview: bool,
    rules: EffectiveRules,
    tools: BTreeMap<&'static str, EffectiveTool>,
    llm: EffectiveLlm,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct EffectiveRules {
    /// The rules that run: the selection resolved, extended and less the ignored.
    select: Vec<String>,
    /// The names ignored, as the file and the flags give them.
    ignore: Vec<String>,
    /// The file's severity overrides.
    severity: BTreeMap<String, Severity>,
    /// Every option of every rule that runs: the file's value, else the default.
    options: BTreeMap<String, toml::Table>,
}

#[derive(Serialize)]
struct EffectiveTool {
    enabled: Enabled,
    checks: Vec<String>,
}

/// A tool's mode as the file spells it: `true`, `false` or `"auto"`.
#[derive(Serialize)]
#[serde(untagged)]
enum Enabled {
    Bool(bool),
    Auto(&'static str),
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct EffectiveLlm {
    model: Option<String>,
    max_cost: Option<f64>,
    max_tokens: Option<u64>,
    unit_tokens: Option<usize>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    prices: BTreeMap<String, PriceConfig>,
}

impl Effective {
    fn of(file: &FileConfig, flags: &Overrides, settings: &Settings) -> Effective {
        let llm = &settings.llm;
        Effective {
            tests: settings.tests,
            exclude: file.exclude.iter().chain(&flags.exclude).cloned().collect(),
            fail_on: settings.fail_on,
            new_code: settings.new_code,
            preview: settings.preview,
            rules: EffectiveRules {
                select: settings.rules.keys().cloned().collect(),
                ignore: file
                    .rules
                    .ignore
                    .iter()
                    .chain(&flags.ignore)
                    .cloned()
                    .collect(),
                severity: severity_overrides(file),
                options: effective_options(file, settings),
            },
            tools: BTreeMap::from([
                ("go-vet", tool(&settings.tools.go_vet)),
                ("staticcheck", tool(&settings.tools.staticcheck)),
                ("govulncheck", tool(&settings.tools.govulncheck)),
            ]),
            llm: EffectiveLlm {
                model: llm.model.clone(),
                max_cost: llm.max_cost,
                max_tokens: llm.max_tokens,
                unit_tokens: llm.unit_tokens,
                prices: llm.prices.clone(),
            },
        }
    }
}

/// `[rules.severity]` as parsed (`build` has checked every value).
fn severity_overrides(file: &FileConfig) -> BTreeMap<String, Severity> {
    file.rules
        .severity
        .iter()
        .filter_map(|(id, s)| Some((id.clone(), Severity::parse(s)?)))
        .collect()
}

/// Each running rule's options: the catalogue's defaults with the file's values over them.
fn effective_options(file: &FileConfig, settings: &Settings) -> BTreeMap<String, toml::Table> {
    let cat = catalogue();
    let mut out = BTreeMap::new();
    for id in settings.rules.keys() {
        let Some(meta) = cat.get(id).filter(|m| !m.options.is_empty()) else {
            continue;
        };
        let mut table: toml::Table = meta
            .options
            .iter()
            .map(|(name, o)| (name.clone(), o.default.clone()))
            .collect();
        if let Some(given) = file.rules.options.get(id) {
            table.extend(given.clone());
        }
        out.insert(id.clone(), table);
    }
    out
}

fn tool(choice: &ToolChoice) -> EffectiveTool {
    EffectiveTool {
        enabled: match choice.mode {
            ToolMode::On => Enabled::Bool(true),
            ToolMode::Off => Enabled::Bool(false),
            ToolMode::Auto => Enabled::Auto("auto"),
        },
        checks: choice.checks.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(config: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = config {
            std::fs::write(dir.path().join(super::super::CONFIG_FILE), text).unwrap();
        }
        dir
    }

    fn shown(dir: &Path, overrides: Overrides, json: bool) -> String {
        let request = ShowRequest {
            target: dir.to_path_buf(),
            overrides,
            json,
        };
        render(&request).unwrap()
    }

    #[test]
    fn without_a_file_the_defaults_are_shown_and_said_to_be() {
        let dir = module(None);
        let text = shown(dir.path(), Overrides::default(), false);
        assert!(
            text.starts_with("# no goaudit.toml found upward from "),
            "{text}"
        );
        assert!(text.contains("\ntests = true\n"), "{text}");
        assert!(text.contains("fail-on = \"low\""), "{text}");
        assert!(
            text.contains("[rules.options.cyclomatic-complexity]"),
            "{text}"
        );
        assert!(text.contains("threshold = 15"), "{text}");
    }

    #[test]
    fn the_file_and_the_flags_merge_and_the_text_reads_back_as_the_same_config() {
        let dir = module(Some(
            "tests = false\n[rules]\nselect = [\"complexity\"]\n[rules.severity]\ncyclomatic-complexity = \"HIGH\"\n[rules.options.cyclomatic-complexity]\nthreshold = 20\n[tools.staticcheck]\nenabled = \"auto\"\n[llm]\nmax-cost = 0.5\n",
        ));
        let flags = Overrides {
            ignore: vec!["file-length".into()],
            exclude: vec!["gen/**".into()],
            ..Overrides::default()
        };
        let text = shown(dir.path(), flags.clone(), false);
        assert!(text.starts_with("# config: "), "{text}");
        let (_, file) = super::super::load(dir.path(), None).unwrap();
        let settings = super::super::build(file, &flags, None).unwrap();
        let again: FileConfig = toml::from_str(&text).unwrap();
        let reread = super::super::build(again, &Overrides::default(), None).unwrap();
        assert_eq!(
            reread.rules.keys().collect::<Vec<_>>(),
            settings.rules.keys().collect::<Vec<_>>()
        );
        assert!(!settings.enabled("file-length"));
        let rule = &reread.rules["cyclomatic-complexity"];
        assert_eq!(rule.severity, Severity::High);
        assert_eq!(rule.options.cyclomatic_complexity().threshold, 20);
        assert!(!reread.tests);
        assert_eq!(reread.llm.max_cost, Some(0.5));
        assert_eq!(reread.tools.staticcheck.mode, ToolMode::Auto);
        assert!(text.contains("exclude = [\"gen/**\"]"), "{text}");
    }

    #[test]
    fn a_pattern_that_does_not_exist_is_an_error() {
        let request = ShowRequest {
            target: PathBuf::from("/does/not/exist"),
            overrides: Overrides::default(),
            json: false,
        };
        let err = render(&request).unwrap_err();
        assert!(err.to_string().contains("/does/not/exist"), "{err}");
    }

    #[test]
    fn json_names_the_file_and_the_tool_modes() {
        let dir = module(Some(
            "[tools.go-vet]\nenabled = true\nchecks = [\"printf\"]\n",
        ));
        let text = shown(dir.path(), Overrides::default(), true);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(value["config"].as_str().unwrap().ends_with("goaudit.toml"));
        assert_eq!(value["tools"]["go-vet"]["enabled"], true);
        assert_eq!(value["tools"]["go-vet"]["checks"][0], "printf");
        assert_eq!(value["tools"]["staticcheck"]["enabled"], false);
        assert_eq!(value["llm"]["model"], serde_json::Value::Null);
        assert_eq!(
            value["rules"]["options"]["cyclomatic-complexity"]["threshold"],
            15
        );
    }
}
