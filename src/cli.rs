//! Command-line arguments (clap). No logic lives here beyond turning flags into requests.

use crate::config::tools::{parse_duration, ToolMode};
use crate::finding::Severity;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "goaudit",
    version,
    about = "Audits Go code for resource leaks, goroutine leaks, ignored errors, complexity, concurrency and security mistakes.",
    after_help = "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage or configuration error, no Go files matched, a requested tool missing; 3 the audit could not complete (a tool failed, with --strict)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit Go packages: `goaudit audit ./...`, `goaudit audit ./internal/... --format json`.
    Audit(Box<AuditArgs>),
    /// List the rule catalogue, or explain one rule.
    Rules(RulesArgs),
    /// Print every function's complexity figures as JSON lines (for the parity scripts).
    #[command(hide = true)]
    Metrics(MetricsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Go package patterns (`.`, `./...`, `./internal`, `./internal/...`) or files.
    #[arg(value_name = "PATTERN")]
    pub patterns: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// The config file (default: goaudit.toml found upward from the first pattern).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules or categories (comma-separated), instead of the default set.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Add these rules or categories to the selection (rules off by default, for instance).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Never run these rules or categories.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Skip files matching this glob (relative to the module root); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Include `_test.go` files (`--tests=false` to leave them out).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub tests: Option<bool>,
    /// Colour the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print the wall time of each stage to standard error.
    #[arg(long)]
    pub timings: bool,
    /// No progress line on standard error.
    #[arg(short, long)]
    pub quiet: bool,
    /// Run `go vet` beside the built-in rules; `--go-vet=auto` runs it only if installed.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub go_vet: Option<ToolMode>,
    /// Run staticcheck beside the built-in rules; `--staticcheck=auto` runs it only if installed.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub staticcheck: Option<ToolMode>,
    /// Run govulncheck for known vulnerabilities in the code's dependencies and standard library.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub govulncheck: Option<ToolMode>,
    /// An offline vulnerability database for govulncheck: a folder in its `-db file://` layout.
    #[arg(long, value_name = "DIR")]
    pub vuln_db: Option<PathBuf>,
    /// Stop a tool that runs longer than this (`90s`, `5m`; default 10m); the run says so.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub tool_timeout: Option<Duration>,
    /// Exit 3 when a requested tool fails or times out (the report is still written).
    #[arg(long)]
    pub strict: bool,
    /// The executable to run for a tool: `--tool-path staticcheck=/opt/bin/staticcheck`
    /// (also GOAUDIT_GO, GOAUDIT_STATICCHECK, GOAUDIT_GOVULNCHECK); default: found on PATH.
    #[arg(long, value_name = "TOOL=PATH", value_parser = parse_tool_path)]
    pub tool_path: Vec<(String, PathBuf)>,
    /// Read, parse and walk every file but run no rule (the benchmark's baseline).
    #[arg(long, hide = true)]
    pub parse_only: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// `text` (a table), `markdown` (the README's table) or `json`.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Explain one rule: what it finds, why it matters, an example and its options.
    Explain {
        #[arg(value_name = "RULE")]
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Files or folders; folders are walked for every `.go` file, as gocyclo does.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("`{s}` is not a severity (critical, high, medium, low, info)"))
}

fn parse_tool_path(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!(
            "`{s}` is not TOOL=PATH (go, staticcheck or govulncheck)"
        )),
    }
}
