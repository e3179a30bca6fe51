//! `goaudit config import`: a golangci-lint config, v1 or v2 (`.golangci.yml`, `.yaml`, `.toml`
//! or `.json`), turned into the `goaudit.toml` that asks for the same checks, and the list of
//! what has no counterpart in goaudit, each with its key path and why.
//!
//! What maps: `run.tests`; excluded files and folders (regexes, as globs where a glob is exact);
//! exclusion rules with a `path` and `linters` (as `[[rules.per-path]]`); linters disabled (their
//! rules ignored) or enabled (rules off by default selected, go vet and staticcheck run when
//! installed); errcheck's, gocyclo's, gocognit's, funlen's, govet's and staticcheck's settings.
//! Everything else in the file is listed as not imported.

mod linters;
mod regex_glob;
mod render;

use anyhow::{anyhow, bail, Result};
use linters::{Counterpart, LinterSet};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The file names golangci-lint reads, in its order of preference.
pub const FILES: [&str; 4] = [
    ".golangci.yml",
    ".golangci.yaml",
    ".golangci.toml",
    ".golangci.json",
];

/// A key of the golangci-lint config not carried over, or carried over only in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Where it is: `linters.exclusions.rules[0].text`.
    pub key: String,
    /// Why it is not imported.
    pub why: String,
}

impl fmt::Display for Unmapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.why)
    }
}

/// The result of an import: the `goaudit.toml` text and what it leaves out.
#[derive(Debug)]
pub struct Imported {
    /// The `goaudit.toml` text.
    pub toml: String,
    /// What it leaves out, in the order found.
    pub unmapped: Vec<Unmapped>,
}

/// Parses a golangci-lint config; the format comes from the file name (`.toml`, `.json`, else
/// YAML).
pub fn parse(text: &str, name: &str) -> Result<Value> {
    let parsed = if name.ends_with(".toml") {
        toml::from_str::<Value>(text).map_err(|e| anyhow!(one_line(&e)))
    } else if name.ends_with(".json") {
        serde_json::from_str::<Value>(text).map_err(|e| anyhow!(one_line(&e)))
    } else {
        parse_yaml(text)
    };
    let value = parsed.map_err(|e| anyhow!("{name}: {e}"))?;
    match value {
        Value::Object(_) => Ok(value),
        Value::Null => Ok(Value::Object(Default::default())),
        _ => Err(anyhow!(
            "{name}: not a golangci-lint config (not a mapping of keys)"
        )),
    }
}

fn parse_yaml(text: &str) -> Result<Value> {
    let mut yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| anyhow!(one_line(&e)))?;
    yaml.apply_merge().map_err(|e| anyhow!(one_line(&e)))?;
    serde_json::to_value(yaml).map_err(|e| anyhow!(one_line(&e)))
}

fn one_line(e: &dyn fmt::Display) -> String {
    e.to_string().lines().collect::<Vec<_>>().join(" ")
}

/// Maps a parsed config; `source` names the file in the output's first comment.
pub fn import(doc: &Value, source: &str) -> Imported {
    let mut m = Mapper::new(doc);
    m.map_all();
    let toml = render::render(&m.out, source, m.version, &m.unmapped);
    Imported {
        toml,
        unmapped: m.unmapped,
    }
}

/// An import ready to write: the file read, where the result goes (`None`: standard output),
/// and the result.
#[derive(Debug)]
pub struct Prepared {
    /// The golangci-lint config read.
    pub source: PathBuf,
    /// Where to write, `None` for standard output.
    pub target: Option<PathBuf>,
    /// The import's result.
    pub imported: Imported,
}

/// `goaudit config import`, all but the writing: reads `file` (or the first of `FILES` in the
/// current folder), maps it, checks that the result loads, and chooses where it goes: `output`,
/// or `goaudit.toml` beside the file; `-` is standard output. An existing file is replaced only
/// with `force`.
pub fn prepare(file: Option<&Path>, output: Option<&Path>, force: bool) -> Result<Prepared> {
    let source = match file {
        Some(f) => f.to_path_buf(),
        None => find_here()?,
    };
    let text = crate::bounded::read_text(&source, crate::bounded::CONFIG_LIMIT, "config")?;
    let doc = parse(&text, &source.to_string_lossy())?;
    let imported = import(&doc, &file_name(&source));
    check_loads(&imported.toml)?;
    let target = match output {
        Some(o) if o == Path::new("-") => None,
        Some(o) => Some(o.to_path_buf()),
        None => Some(source.with_file_name(super::CONFIG_FILE)),
    };
    if let Some(t) = target.as_ref().filter(|t| t.exists() && !force) {
        bail!(
            "{} exists: give --force to replace it, or -o another file",
            t.display()
        );
    }
    Ok(Prepared {
        source,
        target,
        imported,
    })
}

impl Prepared {
    /// Lists on standard error what was not imported, then what was written where.
    pub fn report(&self) {
        for u in &self.imported.unmapped {
            crate::eprintln_escaped!("goaudit: not imported: {u}");
        }
        if let Some(target) = &self.target {
            crate::eprintln_escaped!(
                "goaudit: wrote {} from {} ({} not imported)",
                target.display(),
                self.source.display(),
                self.imported.unmapped.len()
            );
        }
    }
}

/// The first of golangci-lint's file names present in the current folder.
fn find_here() -> Result<PathBuf> {
    FILES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow!("no .golangci.yml, .golangci.yaml, .golangci.toml or .golangci.json here: name the file (`goaudit config import path/to/.golangci.yml`)"))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The imported text must load as goaudit's own config; anything else is a bug of the import.
pub fn check_loads(text: &str) -> Result<()> {
    let file: super::FileConfig = toml::from_str(text).map_err(|e| {
        anyhow!(
            "the imported config does not parse (a bug in goaudit): {}",
            one_line(&e)
        )
    })?;
    super::build(file, &super::Overrides::default(), None)
        .map_err(|e| anyhow!("the imported config does not load (a bug in goaudit): {e}"))?;
    Ok(())
}

/// golangci-lint's config format: its keys moved between v1 and v2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// No `version` key: `linters-settings`, `issues.exclude-rules`.
    V1,
    /// `version: "2"`: `linters.settings`, `linters.exclusions`.
    V2,
}

/// The goaudit settings gathered so far.
#[derive(Debug, Default)]
pub struct Mapped {
    /// `tests`.
    pub tests: Option<bool>,
    /// `exclude` globs.
    pub exclude: Vec<String>,
    /// `rules.ignore`.
    pub ignore: BTreeSet<String>,
    /// `rules.extend-select`.
    pub extend_select: BTreeSet<String>,
    /// `[rules.options.<rule>]`, each option's value.
    pub options: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// `[[rules.per-path]]` entries.
    pub per_path: Vec<PerPathOut>,
    /// `[tools.go-vet]`, when go vet is to run: its checks.
    pub go_vet: Option<Vec<String>>,
    /// `[tools.staticcheck]`, when staticcheck is to run: its checks.
    pub staticcheck: Option<Vec<String>>,
}

/// One `[[rules.per-path]]` entry and the golangci key it came from.
#[derive(Debug)]
pub struct PerPathOut {
    /// The golangci key of the exclusion rule: `issues.exclude-rules[2]`.
    pub from: String,
    /// The glob.
    pub path: String,
    /// Rule ids, categories or tools.
    pub ignore: Vec<String>,
}

/// Walks the config, filling `out`, listing what it cannot map, remembering the keys it read.
struct Mapper<'a> {
    doc: &'a Value,
    version: Version,
    out: Mapped,
    unmapped: Vec<Unmapped>,
    /// Key paths read (mapped or listed): the rest are listed at the end.
    seen: BTreeSet<String>,
}

impl<'a> Mapper<'a> {
    fn new(doc: &'a Value) -> Mapper<'a> {
        let v2 = match doc.get("version") {
            Some(Value::String(s)) => s == "2",
            Some(Value::Number(n)) => n.as_u64() == Some(2),
            _ => false,
        };
        let mut seen = BTreeSet::new();
        seen.insert("version".to_string());
        Mapper {
            doc,
            version: if v2 { Version::V2 } else { Version::V1 },
            out: Mapped::default(),
            unmapped: Vec::new(),
            seen,
        }
    }

    fn map_all(&mut self) {
        self.map_tests();
        self.map_excluded_paths();
        let set = self.linter_set();
        self.map_linters(&set);
        self.map_settings(&set);
        self.map_exclusion_rules();
        self.map_default_exclusions(&set);
        self.map_generated();
        self.list_formatters();
        self.list_rest();
    }

    /// The value at a dotted key path, marked as read.
    fn take(&mut self, path: &str) -> Option<&'a Value> {
        let value = lookup(self.doc, path)?;
        self.seen.insert(path.to_string());
        Some(value)
    }

    fn not_imported(&mut self, key: impl Into<String>, why: impl Into<String>) {
        let key = key.into();
        self.seen.insert(key.clone());
        self.unmapped.push(Unmapped {
            key,
            why: why.into(),
        });
    }

    /// `linters-settings` (v1) or `linters.settings` (v2).
    fn settings_root(&self) -> &'static str {
        match self.version {
            Version::V1 => "linters-settings",
            Version::V2 => "linters.settings",
        }
    }

    fn map_tests(&mut self) {
        match self.take("run.tests") {
            Some(Value::Bool(b)) => self.out.tests = Some(*b),
            Some(_) => self.not_imported("run.tests", "not true or false"),
            None => {}
        }
    }

    /// Files and folders never linted: regexes, as globs where a glob matches the same paths.
    fn map_excluded_paths(&mut self) {
        let keys: &[&str] = match self.version {
            Version::V1 => &[
                "run.skip-dirs",
                "run.skip-files",
                "issues.exclude-dirs",
                "issues.exclude-files",
            ],
            Version::V2 => &["linters.exclusions.paths"],
        };
        for key in keys {
            for (i, re) in self.strings(key).into_iter().enumerate() {
                self.exclude_regex(&format!("{key}[{i}]"), &re);
            }
        }
        if let Some(list) = self.take("linters.exclusions.paths-except") {
            if list.as_array().is_some_and(|a| !a.is_empty()) {
                self.not_imported(
                    "linters.exclusions.paths-except",
                    "goaudit's exclude has no exceptions",
                );
            }
        }
        self.note_default_dirs();
    }

    fn exclude_regex(&mut self, key: &str, re: &str) {
        let Some(glob) = regex_glob::regex_to_glob(re) else {
            self.not_imported(key, format!("the regex `{re}` has no exact glob"));
            return;
        };
        if self.version == Version::V2 && re.ends_with('$') && !glob.ends_with(".go") {
            self.not_imported(
                key,
                format!("imported as `{glob}`, which excludes folders of that name; golangci-lint v2 matches `{re}` against file paths, where it matches no Go file"),
            );
        }
        if !self.out.exclude.contains(&glob) {
            self.out.exclude.push(glob);
        }
    }

    /// golangci-lint v1 skips `third_party`, `examples`, `Godeps` and `builtin` folders unless
    /// told not to; goaudit audits them.
    fn note_default_dirs(&mut self) {
        if self.version == Version::V2 {
            return;
        }
        for key in [
            "run.skip-dirs-use-default",
            "issues.exclude-dirs-use-default",
        ] {
            if let Some(Value::Bool(false)) = self.take(key) {
                return;
            }
        }
        self.unmapped.push(Unmapped {
            key: "issues.exclude-dirs-use-default".into(),
            why: "golangci-lint v1 skips third_party, examples, Godeps and builtin folders by default; goaudit audits them (add them to exclude to skip them)".into(),
        });
    }

    /// The list of strings at `key` (a lone string counts as a list of one), marked as read.
    fn strings(&mut self, key: &str) -> Vec<String> {
        match self.take(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    fn linter_set(&mut self) -> LinterSet {
        let enabled = self.strings("linters.enable");
        let disabled = self.strings("linters.disable");
        let base = match self.version {
            Version::V1 => linters::v1_base(
                self.take("linters.disable-all").and_then(Value::as_bool),
                self.take("linters.enable-all").and_then(Value::as_bool),
            ),
            Version::V2 => linters::v2_base(self.take("linters.default").and_then(Value::as_str)),
        };
        LinterSet::new(base, enabled, disabled)
    }

    /// Disabled linters' rules ignored; enabled ones' rules selected when off by default; go vet
    /// and staticcheck run when golangci-lint would run them.
    fn map_linters(&mut self, set: &LinterSet) {
        for linter in set.disabled() {
            self.disable_linter(linter);
        }
        for linter in set.explicitly_enabled() {
            self.enable_linter(linter);
        }
        if set.base() == linters::Base::All {
            for linter in linters::KNOWN {
                if set.is_on(linter) && !set.explicitly_enabled().contains(linter) {
                    self.enable_linter(linter);
                }
            }
        }
        for tool in ["govet", "staticcheck"] {
            if set.is_on(tool) {
                self.turn_on_tool(tool);
            }
        }
        if set.base() == linters::Base::None {
            self.note_left_on(set);
        }
    }

    fn disable_linter(&mut self, linter: &str) {
        match linters::counterpart(linter) {
            Counterpart::Rules(rules) => {
                let present: Vec<&str> = rules
                    .iter()
                    .copied()
                    .filter(|r| linters::exists(r))
                    .collect();
                self.out
                    .ignore
                    .extend(present.iter().map(|r| r.to_string()));
            }
            Counterpart::Partly(rule, why) => self.not_imported(
                format!("linters.disable: {linter}"),
                format!("goaudit's {rule} {why}; it stays on"),
            ),
            Counterpart::Tool(_) | Counterpart::Within(..) | Counterpart::None => {}
        }
    }

    fn enable_linter(&mut self, linter: &str) {
        match linters::counterpart(linter) {
            Counterpart::Rules(rules) => self.select_rules(linter, rules),
            Counterpart::Tool(_) | Counterpart::Partly(..) => {}
            Counterpart::Within(tool, how) => self.not_imported(
                format!("linters.enable: {linter}"),
                format!("part of {tool} in goaudit: {how}"),
            ),
            Counterpart::None => self.not_imported(
                format!("linters.enable: {linter}"),
                "no goaudit counterpart",
            ),
        }
    }

    /// The rules of an enabled linter that goaudit leaves off by default, selected.
    fn select_rules(&mut self, linter: &str, rules: &[&str]) {
        if linter == "nolintlint" && self.nolint_allows_unused() {
            return;
        }
        for rule in rules {
            match crate::catalogue::catalogue().get(rule) {
                Some(meta) if !meta.enabled => {
                    self.out.extend_select.insert(rule.to_string());
                }
                Some(_) => {}
                None if !linters::is_category(rule) => self.not_imported(
                    format!("linters.enable: {linter}"),
                    format!("its goaudit rule {rule} is not in this build of goaudit"),
                ),
                None => {}
            }
        }
    }

    /// nolintlint's `allow-unused: true` keeps unused directives quiet.
    fn nolint_allows_unused(&mut self) -> bool {
        let key = format!("{}.nolintlint.allow-unused", self.settings_root());
        matches!(self.take(&key), Some(Value::Bool(true)))
    }

    fn turn_on_tool(&mut self, tool: &str) {
        match tool {
            "govet" => self.out.go_vet = Some(Vec::new()),
            _ => self.out.staticcheck = Some(Vec::new()),
        }
    }

    /// With `disable-all` or `default: none`, the linters left out are off in golangci-lint;
    /// goaudit's rules for them stay on unless disabled by name.
    fn note_left_on(&mut self, set: &LinterSet) {
        let mut left = Vec::new();
        for linter in linters::KNOWN {
            if set.is_on(linter) || set.disabled().contains(linter) {
                continue;
            }
            if let Counterpart::Rules(rules) = linters::counterpart(linter) {
                if rules.iter().all(|r| linters::exists(r)) {
                    left.push(format!("{linter} ({})", rules.join(", ")));
                }
            }
        }
        if left.is_empty() {
            return;
        }
        let key = match self.version {
            Version::V1 => "linters.disable-all",
            Version::V2 => "linters.default",
        };
        self.unmapped.push(Unmapped {
            key: key.into(),
            why: format!("goaudit's rules stay on for the linters not enabled here: {} (list a linter under linters.disable to turn its rules off)", left.join(", ")),
        });
    }

    /// Each linter's settings: the ones goaudit has options for, mapped; the rest listed.
    fn map_settings(&mut self, set: &LinterSet) {
        let root = self.settings_root();
        let Some(Value::Object(all)) = lookup(self.doc, root) else {
            return;
        };
        for linter in all.keys() {
            let key = format!("{root}.{linter}");
            match linter.as_str() {
                "errcheck" => self.errcheck_settings(&key),
                "gocyclo" => self.threshold(&key, "min-complexity", "cyclomatic-complexity"),
                "gocognit" => self.threshold(&key, "min-complexity", "cognitive-complexity"),
                "cyclop" => self.threshold(&key, "max-complexity", "cyclomatic-complexity"),
                "funlen" => self.funlen_settings(&key),
                "govet" => self.govet_settings(&key, set),
                "staticcheck" => self.staticcheck_settings(&key),
                "nolintlint" => {
                    self.take(&format!("{key}.allow-unused"));
                }
                _ if linters::counterpart(linter) == Counterpart::None => {
                    self.not_imported(key, format!("{linter} has no goaudit counterpart"));
                }
                _ => {}
            }
        }
    }

    fn errcheck_settings(&mut self, key: &str) {
        let mut functions = Vec::new();
        for (i, f) in self
            .strings(&format!("{key}.exclude-functions"))
            .into_iter()
            .enumerate()
        {
            if f.ends_with(')') {
                self.not_imported(
                    format!("{key}.exclude-functions[{i}]"),
                    format!("`{f}` names argument types, which goaudit's exclude-functions does not take"),
                );
            } else {
                functions.push(toml::Value::String(f));
            }
        }
        if !functions.is_empty() {
            for rule in ["ignored-error", "unchecked-error"] {
                self.set_option(
                    rule,
                    "exclude-functions",
                    toml::Value::Array(functions.clone()),
                );
            }
        }
        if let Some(Value::Bool(blank)) = self.take(&format!("{key}.check-blank")) {
            self.set_option("ignored-error", "blank", toml::Value::Boolean(*blank));
        }
        if let Some(Value::Bool(true)) = self.take(&format!("{key}.check-type-assertions")) {
            self.not_imported(
                format!("{key}.check-type-assertions"),
                "goaudit does not report unchecked type assertions",
            );
        }
    }

    fn set_option(&mut self, rule: &str, option: &str, value: toml::Value) {
        self.out
            .options
            .entry(rule.to_string())
            .or_default()
            .insert(option.to_string(), value);
    }

    /// A complexity linter's limit: the same "report above this" as goaudit's `threshold`.
    fn threshold(&mut self, key: &str, name: &str, rule: &str) {
        let path = format!("{key}.{name}");
        match self.take(&path).map(Value::as_i64) {
            Some(Some(n)) if n >= 0 => self.set_option(rule, "threshold", toml::Value::Integer(n)),
            Some(_) => self.not_imported(path, "not a whole number of zero or more"),
            None => {}
        }
    }

    /// funlen's `lines` and `statements` (a negative limit turns the check off, 0 in goaudit).
    fn funlen_settings(&mut self, key: &str) {
        for (name, option) in [("lines", "max-lines"), ("statements", "max-statements")] {
            let path = format!("{key}.{name}");
            match self.take(&path).map(Value::as_i64) {
                Some(Some(n)) => {
                    self.set_option("function-length", option, toml::Value::Integer(n.max(0)))
                }
                Some(None) => self.not_imported(path, "not a whole number"),
                None => {}
            }
        }
    }

    /// govet's analyzers: those go vet has are chosen, the others listed.
    fn govet_settings(&mut self, key: &str, set: &LinterSet) {
        let only = matches!(
            self.take(&format!("{key}.disable-all")),
            Some(Value::Bool(true))
        );
        self.take(&format!("{key}.enable-all"));
        let mut checks = Vec::new();
        for name in self.strings(&format!("{key}.enable")) {
            if !crate::catalogue::tools::is_vet_analyzer(&name) {
                self.not_imported(
                    format!("{key}.enable: {name}"),
                    "not an analyzer of go vet, which goaudit runs",
                );
            } else if only {
                checks.push(name);
            }
        }
        for name in self.strings(&format!("{key}.disable")) {
            if crate::catalogue::tools::is_vet_analyzer(&name) {
                checks.push(format!("-{name}"));
            }
        }
        if set.is_on("govet") {
            self.out.go_vet = Some(checks);
        }
    }

    fn staticcheck_settings(&mut self, key: &str) {
        let path = format!("{key}.checks");
        let mut checks = Vec::new();
        for (i, c) in self.strings(&path).into_iter().enumerate() {
            if super::tools::is_staticcheck_pattern(&c) {
                checks.push(c);
            } else {
                self.not_imported(
                    format!("{path}[{i}]"),
                    format!("`{c}` is not a check code or pattern staticcheck takes"),
                );
            }
        }
        if let Some(current) = self.out.staticcheck.as_mut() {
            *current = checks;
        }
    }

    /// `issues.exclude-rules` (v1) or `linters.exclusions.rules` (v2).
    fn map_exclusion_rules(&mut self) {
        let key = match self.version {
            Version::V1 => "issues.exclude-rules",
            Version::V2 => "linters.exclusions.rules",
        };
        let Some(Value::Array(rules)) = self.take(key) else {
            return;
        };
        for (i, rule) in rules.iter().enumerate() {
            self.exclusion_rule(&format!("{key}[{i}]"), rule);
        }
    }

    fn exclusion_rule(&mut self, key: &str, rule: &Value) {
        let field = |name: &str| rule.get(name).and_then(Value::as_str);
        let named: Vec<String> = match rule.get("linters") {
            Some(Value::Array(l)) => l
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        let (ignore, without) = linters::goaudit_names(&named);
        if !named.is_empty() && ignore.is_empty() {
            self.not_imported(
                key,
                format!(
                    "its linters ({}) have no goaudit counterpart: nothing to silence",
                    named.join(", ")
                ),
            );
            return;
        }
        for (name, why) in [
            (
                "text",
                "matches golangci-lint's message text, which goaudit's messages do not share",
            ),
            (
                "source",
                "matches the source line, which goaudit's config cannot",
            ),
            ("path-except", "goaudit's per-path rules have no exceptions"),
        ] {
            if field(name).is_some() {
                self.not_imported(format!("{key}.{name}"), why);
                return;
            }
        }
        let path = match field("path") {
            None => "**".to_string(),
            Some(re) => match regex_glob::regex_to_glob(re) {
                Some(glob) => glob,
                None => {
                    self.not_imported(
                        format!("{key}.path"),
                        format!("the regex `{re}` has no exact glob"),
                    );
                    return;
                }
            },
        };
        for (linter, why) in without {
            self.not_imported(format!("{key}.linters: {linter}"), why);
        }
        let ignore = if named.is_empty() {
            vec!["all".to_string()]
        } else {
            ignore
        };
        self.out.per_path.push(PerPathOut {
            from: key.to_string(),
            path,
            ignore,
        });
    }

    /// golangci-lint's default exclusions of errcheck idioms (`exclude-use-default` in v1, the
    /// `std-error-handling` preset in v2) match unchecked-error's default mode; without them,
    /// errcheck's own reports are `mode = "errcheck"`.
    fn map_default_exclusions(&mut self, set: &LinterSet) {
        let with_idioms = match self.version {
            Version::V1 => !matches!(
                self.take("issues.exclude-use-default"),
                Some(Value::Bool(false))
            ),
            Version::V2 => {
                let presets = self.strings("linters.exclusions.presets");
                for p in presets.iter().filter(|p| *p != "std-error-handling") {
                    self.not_imported(
                        format!("linters.exclusions.presets: {p}"),
                        "silences other linters' messages by text; nothing of goaudit's",
                    );
                }
                presets.iter().any(|p| p == "std-error-handling")
            }
        };
        if !with_idioms && set.is_on("errcheck") {
            self.set_option(
                "unchecked-error",
                "mode",
                toml::Value::String("errcheck".into()),
            );
        }
    }

    /// goaudit never reports generated files (`// Code generated ... DO NOT EDIT.`), as
    /// golangci-lint's `lax` and `strict` modes do not; `disable` has no counterpart.
    fn map_generated(&mut self) {
        let key = match self.version {
            Version::V1 => "issues.exclude-generated",
            Version::V2 => "linters.exclusions.generated",
        };
        if let Some(Value::String(mode)) = self.take(key) {
            if mode == "disable" {
                self.not_imported(key, "goaudit never reports generated files");
            }
        }
    }

    fn list_formatters(&mut self) {
        if lookup(self.doc, "formatters").is_some() {
            self.not_imported("formatters", "goaudit does not format code");
        }
    }

    /// Every key not read so far, listed as having no counterpart.
    fn list_rest(&mut self) {
        let mut rest = Vec::new();
        unread(self.doc, "", &self.seen, &mut rest);
        for key in rest {
            self.not_imported(key, "no goaudit counterpart");
        }
    }
}

/// The value at a dotted key path (`linters.exclusions.paths`).
fn lookup<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(doc, |v, k| v.get(k))
}

/// The key paths under `value` that were not read: a mapping's keys one by one, anything else
/// as a whole.
fn unread(value: &Value, path: &str, seen: &BTreeSet<String>, out: &mut Vec<String>) {
    if seen.contains(path) {
        return;
    }
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                unread(v, &child, seen, out);
            }
        }
        _ if !path.is_empty() => out.push(path.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
