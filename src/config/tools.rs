//! The `[tools]` table of `goaudit.toml` and the tool flags, resolved into `ToolSettings`.
//!
//! The repository's config is not trusted (docs/architecture.md, Trust): it may turn a tool on,
//! off or `auto` and choose its checks, each name validated, and nothing else. A tool's path, the
//! vulnerability database, the timeout and `--strict` come from flags or the environment.

use crate::catalogue::tools::{is_vet_analyzer, tool_checks};
use crate::suggest::did_you_mean;
use anyhow::{bail, Result};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// How long a tool may run by default before it is stopped.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Whether a tool runs: `on` (it must be installed), `auto` (only if installed), `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ToolMode {
    #[value(alias = "true")]
    On,
    Auto,
    #[default]
    #[value(alias = "false")]
    Off,
}

/// `[tools]`: one table per tool.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ToolsConfig {
    #[serde(default)]
    pub go_vet: ToolTable,
    #[serde(default)]
    pub staticcheck: ToolTable,
    #[serde(default)]
    pub govulncheck: ToolTable,
}

/// `[tools.staticcheck] enabled = "auto"`, `checks = ["all", "-ST1000"]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ToolTable {
    /// `true`, `false` or `"auto"`.
    pub enabled: Option<Enabled>,
    /// go vet: analyzer names (`printf`, or `-printf` to turn one off); staticcheck: check
    /// codes and patterns (`all`, `SA*`, `-ST1000`). Nothing else reaches the command line.
    #[serde(default)]
    pub checks: Vec<String>,
}

/// `enabled = true | false | "auto"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "invalid value: expected true, false or \"auto\""
)]
pub enum Enabled {
    Bool(bool),
    Word(String),
}

/// What the command line says about tools.
#[derive(Debug, Default, Clone)]
pub struct ToolFlags {
    pub go_vet: Option<ToolMode>,
    pub staticcheck: Option<ToolMode>,
    pub govulncheck: Option<ToolMode>,
    pub timeout: Option<Duration>,
    pub strict: bool,
    pub vuln_db: Option<PathBuf>,
    /// `--tool-path NAME=PATH`: the user's own choice of executable.
    pub paths: Vec<(String, PathBuf)>,
}

/// One tool as configured for this run.
#[derive(Debug, Clone, Default)]
pub struct ToolChoice {
    pub mode: ToolMode,
    pub checks: Vec<String>,
}

/// Everything the external stage needs.
#[derive(Debug, Clone, Default)]
pub struct ToolSettings {
    pub go_vet: ToolChoice,
    pub staticcheck: ToolChoice,
    pub govulncheck: ToolChoice,
    pub timeout: Duration,
    pub strict: bool,
    pub vuln_db: Option<PathBuf>,
    pub paths: Vec<(String, PathBuf)>,
}

/// Merges `[tools]` with the flags; every check name is validated.
pub fn resolve(file: &ToolsConfig, flags: &ToolFlags) -> Result<ToolSettings> {
    for (name, _) in &flags.paths {
        if !["go", "staticcheck", "govulncheck"].contains(&name.as_str()) {
            bail!("--tool-path names an unknown tool `{name}` (go, staticcheck, govulncheck)");
        }
    }
    if !file.govulncheck.checks.is_empty() {
        bail!("goaudit.toml: [tools.govulncheck] has no checks to choose");
    }
    for c in &file.go_vet.checks {
        let name = c.strip_prefix('-').unwrap_or(c);
        if !is_vet_analyzer(name) {
            bail!(
                "goaudit.toml: [tools.go-vet] checks names an unknown analyzer `{c}` (see `goaudit rules`){}",
                did_you_mean(name, vet_analyzers())
            );
        }
    }
    for c in &file.staticcheck.checks {
        if !is_staticcheck_pattern(c) {
            bail!("goaudit.toml: [tools.staticcheck] checks has `{c}`, not a check code or pattern like SA4006, SA*, -ST1000, all");
        }
    }
    Ok(ToolSettings {
        go_vet: choice("go-vet", &file.go_vet, flags.go_vet)?,
        staticcheck: choice("staticcheck", &file.staticcheck, flags.staticcheck)?,
        govulncheck: choice("govulncheck", &file.govulncheck, flags.govulncheck)?,
        timeout: flags.timeout.unwrap_or(DEFAULT_TIMEOUT),
        strict: flags.strict,
        vuln_db: flags.vuln_db.clone(),
        paths: flags.paths.clone(),
    })
}

/// The names of `go vet`'s analyzers.
fn vet_analyzers() -> impl Iterator<Item = &'static str> {
    tool_checks()
        .iter()
        .filter(|c| c.tool == "govet" && c.check != "compile")
        .map(|c| c.check.as_str())
}

fn choice(name: &str, table: &ToolTable, flag: Option<ToolMode>) -> Result<ToolChoice> {
    let from_file = match &table.enabled {
        None => ToolMode::Off,
        Some(Enabled::Bool(true)) => ToolMode::On,
        Some(Enabled::Bool(false)) => ToolMode::Off,
        Some(Enabled::Word(w)) if w == "auto" => ToolMode::Auto,
        Some(Enabled::Word(w)) => bail!(
            "goaudit.toml: [tools.{name}] enabled = {w:?}; use true, false or \"auto\"{}",
            did_you_mean(w, ["auto"])
        ),
    };
    Ok(ToolChoice {
        mode: flag.unwrap_or(from_file),
        checks: table.checks.clone(),
    })
}

/// `SA4006`, `SA*`, `S1*`, `-ST1000`, `all`, `inherit`: the forms staticcheck's `-checks` takes.
pub(crate) fn is_staticcheck_pattern(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    if s == "all" || s == "inherit" || s == "*" {
        return true;
    }
    let letters = s.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let rest = &s[letters..];
    let digits = rest.trim_end_matches('*');
    (1..=2).contains(&letters)
        && digits.len() <= 4
        && digits.chars().all(|c| c.is_ascii_digit())
        && rest.len() - digits.len() <= 1
}

/// Parses `90s`, `5m`, `1h`, `500ms` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (like 90s, 5m, 1h)"))?;
    let seconds = match unit {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("`{s}` has an unknown unit (ms, s, m, h)")),
    };
    if !(seconds > 0.0 && seconds < 1e7) {
        return Err(format!("`{s}` must be more than zero"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ToolSettings> {
        let file: ToolsConfig = toml::from_str(text)?;
        resolve(&file, &ToolFlags::default())
    }

    #[test]
    fn tables_choose_modes_and_checks() {
        let s = parse("[go-vet]\nenabled = true\nchecks = [\"printf\", \"-lostcancel\"]\n[staticcheck]\nenabled = \"auto\"\nchecks = [\"all\", \"-ST1000\", \"SA*\"]\n").unwrap();
        assert_eq!(s.go_vet.mode, ToolMode::On);
        assert_eq!(s.go_vet.checks, ["printf", "-lostcancel"]);
        assert_eq!(s.staticcheck.mode, ToolMode::Auto);
        assert_eq!(s.govulncheck.mode, ToolMode::Off);
        assert_eq!(s.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn paths_and_free_arguments_are_refused() {
        assert!(toml::from_str::<ToolsConfig>("[staticcheck]\npath = \"/tmp/x\"\n").is_err());
        assert!(toml::from_str::<ToolsConfig>("[go-vet]\nargs = [\"-vettool=x\"]\n").is_err());
        assert!(parse("[go-vet]\nchecks = [\"-vettool=/tmp/evil\"]\n").is_err());
        assert!(parse("[staticcheck]\nchecks = [\"SA1000 -debug.cpuprofile=x\"]\n").is_err());
        assert!(parse("[staticcheck]\nenabled = \"sometimes\"\n").is_err());
    }

    #[test]
    fn flags_beat_the_file() {
        let file: ToolsConfig = toml::from_str("[staticcheck]\nenabled = true\n").unwrap();
        let flags = ToolFlags {
            staticcheck: Some(ToolMode::Off),
            ..ToolFlags::default()
        };
        assert_eq!(
            resolve(&file, &flags).unwrap().staticcheck.mode,
            ToolMode::Off
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("15"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
