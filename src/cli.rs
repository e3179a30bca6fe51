//! Command-line arguments (clap). No logic lives here beyond turning flags into requests.

use crate::config::show::ShowRequest;
use crate::config::tools::{parse_duration, ToolFlags, ToolMode};
use crate::config::{start_folder, Overrides};
use crate::finding::Severity;
use crate::report::Format;
use crate::suggest::did_you_mean;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "goaudit",
    version = crate::catalogue::VERSION,
    about = "Audits Go code for resource leaks, goroutine leaks, ignored errors, complexity, concurrency and security mistakes.",
    after_help = "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage or configuration error, no Go files matched, a requested tool missing; 3 the audit could not complete (a tool failed or an analysis stopped for its budget, with --strict). analysis-budget findings (info) never fail a run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit Go packages: `goaudit audit ./...`, `goaudit audit ./internal/... --format json`.
    Audit(AuditArgs),
    /// Record the fingerprints of today's findings (`-o FILE`, default `.goaudit-baseline.json`),
    /// so `goaudit audit --baseline FILE` reports only new ones. Takes the audit's flags.
    Baseline(AuditArgs),
    /// List the rule catalogue, or explain one rule.
    Rules(RulesArgs),
    /// Print every function's complexity figures as JSON lines (for the parity scripts).
    #[command(hide = true)]
    Metrics(MetricsArgs),
    /// Join the JSON reports of `--shard` runs into one report, its summary recomputed:
    /// `goaudit merge a.json b.json --format sarif -o audit.sarif`.
    Merge(MergeArgs),
    /// List past LLM review runs with their tokens and cost, or show one: `sessions show ID`.
    Sessions(SessionsArgs),
    /// Show the config in use and the effective settings, or import a golangci-lint config: `goaudit config import .golangci.yml`.
    Config(ConfigArgs),
    /// Print a shell completion script: `goaudit completion bash > /etc/bash_completion.d/goaudit`,
    /// `goaudit completion zsh > "${fpath[1]}/_goaudit"`, `goaudit completion fish >
    /// ~/.config/fish/completions/goaudit.fish`.
    Completion {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Serve diagnostics and fixes to an editor: a Language Server Protocol server on standard
    /// input and output (`goaudit server`; see docs/editors.md).
    Server(ServerArgs),
    /// Manage goaudit's caches: `goaudit cache clean` removes the package results, the
    /// dependency index and the LLM responses kept under the cache folder.
    Cache(CacheArgs),
}

#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Keep package results in DIR (default: `$XDG_CACHE_HOME/goaudit`, else
    /// `~/.cache/goaudit`), shared with `goaudit audit`.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Keep no package results: every audit reads the whole package and what it imports.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
    /// Wait this many milliseconds after an edit before auditing the buffer, so a burst of
    /// keystrokes costs one audit.
    #[arg(long, value_name = "MS", default_value_t = 50)]
    pub debounce_ms: u64,
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Remove what goaudit cached: under `--cache-dir DIR` only the package results kept there.
    Clean {
        /// The folder given to `goaudit audit --cache-dir` (default: `$XDG_CACHE_HOME/goaudit`,
        /// else `~/.cache/goaudit`).
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Go package patterns (`.`, `./...`, `./internal`, `./internal/...`) or files; `-` with
    /// `--stdin-filename` for a buffer on standard input.
    #[arg(value_name = "PATTERN")]
    pub patterns: Vec<String>,
    /// Audit standard input (the pattern `-`) as the text of the Go file PATH, in its package
    /// with the files on disk, and report that file's findings only: for editors and tools
    /// that pipe an unsaved buffer. PATH need not exist, but its folder must.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["fix", "unsafe_fixes", "diff", "shard"])]
    pub stdin_filename: Option<PathBuf>,
    /// Output format of the report on standard output or in `-o FILE` (default: text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a report in FORMAT to FILE, or to standard output without `:FILE`;
    /// repeatable: `--output text --output sarif:audit.sarif --output json:audit.json`. When
    /// given, the default text report is written only if `--format` or `-o` asks for it.
    #[arg(long = "output", value_name = "FORMAT[:FILE]", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,
    /// Write the Markdown audit report to FILE (the same as `--output markdown:FILE`).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Include findings silenced by `//nolint` or `//goaudit:ignore` in SARIF, marked as
    /// suppressed (GitHub shows them as dismissed).
    #[arg(long)]
    pub include_suppressed: bool,
    /// Hide findings whose fingerprint is in FILE (written by `goaudit baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report only findings in code changed since REV (`git diff REV` and untracked files);
    /// `--new-code` says how findings are matched to the changes.
    #[arg(long, value_name = "REV")]
    pub new_from_rev: Option<String>,
    /// Report only findings in code changed since the merge base of REV and HEAD: what REV
    /// (say `main`) did after the branch point is not blamed on the branch.
    #[arg(long, value_name = "REV", conflicts_with = "new_from_rev")]
    pub new_from_merge_base: Option<String>,
    /// Which changes make a finding new: `line` (code changed on its lines, or code deleted in
    /// its function; the default) or `function` (any code changed in its function).
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub new_code: Option<crate::config::NewCodeScope>,
    /// Apply safe fixes in place, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Apply unsafe fixes too (they change behaviour, such as adding a `Close()`); implies `--fix`.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print every available fix, safe and unsafe, as a unified diff; change no file.
    #[arg(long, conflicts_with_all = ["fix", "unsafe_fixes"])]
    pub diff: bool,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// The config file (default: goaudit.toml found upward from the first pattern).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules, categories or golangci-lint linters (comma-separated), instead of
    /// the default set.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Add these rules, categories or golangci-lint linters to the selection (rules off by
    /// default, for instance).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Never run these rules, categories or golangci-lint linters.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Skip files matching this glob (relative to the module root); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply the next minor version's changes to the defaults now: rules newly on by default,
    /// changed severities and option defaults (CHANGELOG.md lists them).
    #[arg(long)]
    pub preview: bool,
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
    /// Print the share of call sites resolved to a signature (the index's coverage) to stderr.
    #[arg(long)]
    pub stats: bool,
    /// Keep each package's results in this folder and reuse them while the package, the
    /// rules and what it imports are unchanged (default: `$XDG_CACHE_HOME/goaudit`, else
    /// `~/.cache/goaudit`).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<std::path::PathBuf>,
    /// Audit every package afresh and keep nothing.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
    /// Index dependencies' exported signatures from the module cache (default true when the
    /// cache has them; `--deps=false` to skip). Cached per module@version.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub deps: Option<bool>,
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
    /// The executable to run for a tool: `--tool-path staticcheck=/opt/bin/staticcheck`
    /// (also GOAUDIT_GO, GOAUDIT_STATICCHECK, GOAUDIT_GOVULNCHECK); default: found on PATH.
    #[arg(long, value_name = "TOOL=PATH", value_parser = parse_tool_path)]
    pub tool_path: Vec<(String, PathBuf)>,
    /// Read, parse and walk every file but run no rule (the benchmark's baseline).
    #[arg(long, hide = true)]
    pub parse_only: bool,
    /// Audit and report only shard I of N (1-based, split by a stable hash of the package
    /// path); join the shards' JSON reports with `goaudit merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::shard::Shard>,
    /// Exit 3 when the audit could not complete (an external tool or the LLM provider failed, a
    /// folder could not be read, an analysis stopped for its budget).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub llm: Box<LlmFlags>,
}

/// The LLM review's flags (docs/llm.md). Endpoints and keys come from here, the environment or
/// the user's own config, never from the audited repository's `goaudit.toml`.
#[derive(Debug, Clone, Default, Args)]
pub struct LlmFlags {
    /// Review each package with an LLM too (sends code, secrets redacted, to the provider).
    #[arg(long)]
    pub llm: bool,
    /// Print the review units with estimated tokens and cost, and send nothing.
    #[arg(long)]
    pub llm_plan: bool,
    /// `openai` (Chat Completions: OpenAI, Ollama, vLLM, llama.cpp, OpenRouter) or `anthropic`.
    #[arg(long, value_name = "PROVIDER")]
    pub llm_provider: Option<String>,
    /// The model (default: gpt-4o-mini for openai, claude-sonnet-4-5 for anthropic).
    #[arg(long, value_name = "MODEL")]
    pub llm_model: Option<String>,
    /// The provider's base URL (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL or the official one).
    #[arg(long, value_name = "URL")]
    pub llm_base_url: Option<String>,
    /// The environment variable holding the API key (default: OPENAI_API_KEY / ANTHROPIC_API_KEY).
    #[arg(long, value_name = "NAME")]
    pub llm_api_key_env: Option<String>,
    /// Requests in flight at most (default 4).
    #[arg(long, value_name = "N")]
    pub llm_concurrency: Option<usize>,
    /// Seconds one request may take (default 120; more than 0, at most 86400).
    #[arg(long, value_name = "SECONDS")]
    pub llm_timeout: Option<f64>,
    /// Retries of a request after a 429, a 5xx, a timeout or a lost connection (default 2).
    #[arg(long, value_name = "N")]
    pub llm_retries: Option<u32>,
    /// Start no new unit once this many dollars are spent.
    #[arg(long, value_name = "DOLLARS")]
    pub llm_max_cost: Option<f64>,
    /// Start no new unit once this many tokens (prompt + completion) are spent.
    #[arg(long, value_name = "N")]
    pub llm_max_tokens: Option<u64>,
    /// Exit 1 when an LLM finding is at or above this severity (by default they never fail the run).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub llm_fail_on: Option<Severity>,
    /// Neither read nor write the response cache.
    #[arg(long)]
    pub llm_no_cache: bool,
    /// The sessions database (default: the user's data dir, goaudit/sessions.db).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
}

impl AuditArgs {
    /// The revision `--new-from-rev` or `--new-from-merge-base` measures new code from.
    pub fn new_code_base(&self) -> Option<crate::new_code::Base> {
        use crate::new_code::Base;
        match (&self.new_from_rev, &self.new_from_merge_base) {
            (Some(rev), _) => Some(Base::Rev(rev.clone())),
            (None, Some(rev)) => Some(Base::MergeBase(rev.clone())),
            (None, None) => None,
        }
    }
}

impl From<&LlmFlags> for crate::llm::settings::LlmArgs {
    fn from(f: &LlmFlags) -> Self {
        crate::llm::settings::LlmArgs {
            llm: f.llm,
            llm_plan: f.llm_plan,
            llm_provider: f.llm_provider.clone(),
            llm_model: f.llm_model.clone(),
            llm_base_url: f.llm_base_url.clone(),
            llm_api_key_env: f.llm_api_key_env.clone(),
            llm_concurrency: f.llm_concurrency,
            llm_timeout: f.llm_timeout,
            llm_retries: f.llm_retries,
            llm_max_cost: f.llm_max_cost,
            llm_max_tokens: f.llm_max_tokens,
            llm_fail_on: f.llm_fail_on,
            llm_no_cache: f.llm_no_cache,
            db: f.db.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports (`--format json`) of the shards.
    #[arg(value_name = "FILE", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format: json, sarif, markdown, or any other report format (default: json).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the report to FILE (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub action: Option<SessionsAction>,
    /// The sessions database (default: the user's data dir, goaudit/sessions.db).
    #[arg(long, value_name = "FILE", global = true)]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SessionsAction {
    /// Show one run: its units, their status, tokens, cost and findings.
    Show {
        /// A session id, or a unique prefix of one.
        #[arg(value_name = "ID")]
        id: String,
    },
}

/// `goaudit config`: without an action, the same as `goaudit config show`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: Option<ConfigAction>,
    #[command(flatten)]
    pub show: ShowArgs,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// The config file in use and the effective settings (the file merged with these flags,
    /// defaults included): tests, exclude, fail-on, the rules selected, their severities and
    /// options, the tools, the LLM's model and budget.
    Show {
        #[command(flatten)]
        args: ShowArgs,
    },
    /// Write the goaudit.toml equivalent of a golangci-lint config (v1 or v2) and list on
    /// standard error what has no counterpart: `goaudit config import .golangci.yml`.
    Import {
        /// The golangci-lint config (default: .golangci.yml, .golangci.yaml, .golangci.toml or
        /// .golangci.json in the current folder).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// Where to write (default: goaudit.toml beside FILE); `-` for standard output.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Replace OUT when it exists.
        #[arg(long)]
        force: bool,
    },
}

/// The audit's flags that decide its settings, for `goaudit config show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A package pattern or folder the config is found upward from (default: `.`).
    #[arg(value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// `text` (TOML, with the file in use in a comment) or `json`.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
    /// The config file (default: goaudit.toml found upward from PATTERN).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// As `goaudit audit --select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// As `goaudit audit --extend-select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// As `goaudit audit --ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// As `goaudit audit --exclude`; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// As `goaudit audit --tests`.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub tests: Option<bool>,
    /// As `goaudit audit --fail-on`.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// As `goaudit audit --new-code`.
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub new_code: Option<crate::config::NewCodeScope>,
    /// As `goaudit audit --preview`.
    #[arg(long)]
    pub preview: bool,
    /// As `goaudit audit --go-vet`.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub go_vet: Option<ToolMode>,
    /// As `goaudit audit --staticcheck`.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub staticcheck: Option<ToolMode>,
    /// As `goaudit audit --govulncheck`.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub govulncheck: Option<ToolMode>,
}

/// `goaudit config show --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

impl ShowArgs {
    /// What `config::show` needs: where to look for the config, the flags as overrides, the format.
    pub fn request(&self) -> ShowRequest {
        ShowRequest {
            target: start_folder(self.pattern.as_deref().unwrap_or(".")),
            overrides: Overrides {
                config: self.config.clone(),
                select: self.select.clone(),
                extend_select: self.extend_select.clone(),
                ignore: self.ignore.clone(),
                tests: self.tests,
                fail_on: self.fail_on,
                exclude: self.exclude.clone(),
                new_code: self.new_code,
                preview: self.preview,
                tools: ToolFlags {
                    go_vet: self.go_vet,
                    staticcheck: self.staticcheck,
                    govulncheck: self.govulncheck,
                    ..ToolFlags::default()
                },
            },
            json: self.format == ShowFormat::Json,
        }
    }
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// `text` (a table), `markdown` (the README's table), `reference` (every rule's
    /// documentation: docs/rules.md) or `json`.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
    Reference,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Explain one rule (what it finds, why it matters, an example and its options), or which
    /// rules a golangci-lint linter's name stands for.
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

/// One `--output FORMAT[:FILE]`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSpec {
    pub format: Format,
    /// Standard output when absent.
    pub file: Option<PathBuf>,
}

fn parse_output(s: &str) -> Result<OutputSpec, String> {
    let (name, file) = match s.split_once(':') {
        Some((name, file)) => (name, Some(PathBuf::from(file))),
        None => (s, None),
    };
    let format = Format::from_str(name, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!(
            "`{name}` is not a format ({}){}",
            names.join(", "),
            did_you_mean(name, names.iter().map(String::as_str))
        )
    })?;
    if file.as_ref().is_some_and(|f| f.as_os_str().is_empty()) {
        return Err(format!("`{s}`: the file name after `:` is empty"));
    }
    Ok(OutputSpec { format, file })
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| {
        format!(
            "`{s}` is not a severity (critical, high, medium, low, info){}",
            did_you_mean(s, Severity::ALL.map(Severity::as_str))
        )
    })
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
