//! External tools beside the built-in rules: `go vet`, staticcheck and govulncheck, one adapter
//! file per tool (arguments and a parser of its real output), run here as child processes.
//!
//! The processes start before the built-in audit and are awaited after it, so goaudit's own work
//! hides inside their wait. They run on a small tokio runtime (one worker thread, `process.rs`)
//! that drains their pipes while the calling thread drives the rayon pipeline: the built-in
//! audit stays plain synchronous code, and a tool never blocks on a full pipe. The tools run one
//! after another (they share the go build cache; see `start`), each from every module root its
//! patterns touch, one module after another, within its own deadline.
//!
//! Trust (docs/architecture.md): the executable comes from `--tool-path`, the environment or
//! PATH, never from `goaudit.toml`; arguments are built here from validated check names only.

pub mod govet;
pub mod govulncheck;
pub mod parse;
pub mod process;
pub mod staticcheck;

use crate::config::tools::{ToolChoice, ToolMode, ToolSettings};
use crate::config::Settings;
use crate::discover::Discovery;
use crate::finding::Source;
use anyhow::{bail, Result};
use parse::{Parsed, ToolDiagnostic};
use process::{Ended, Job, Output};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The staticcheck release the tests run and the install line names (2026.2.2, built for Go 1.26).
pub const STATICCHECK_VERSION: &str = "v0.8.2";
/// The govulncheck release the tests run and the install line names.
pub const GOVULNCHECK_VERSION: &str = "v1.9.0";

/// An external tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tool {
    GoVet,
    Staticcheck,
    Govulncheck,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::GoVet, Tool::Staticcheck, Tool::Govulncheck];

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Tool::GoVet => "go vet",
            Tool::Staticcheck => "staticcheck",
            Tool::Govulncheck => "govulncheck",
        }
    }

    /// The executable looked up on PATH, and the name `--tool-path` takes.
    pub fn program(self) -> &'static str {
        match self {
            Tool::GoVet => "go",
            Tool::Staticcheck => "staticcheck",
            Tool::Govulncheck => "govulncheck",
        }
    }

    fn env_var(self) -> &'static str {
        match self {
            Tool::GoVet => "GOAUDIT_GO",
            Tool::Staticcheck => "GOAUDIT_STATICCHECK",
            Tool::Govulncheck => "GOAUDIT_GOVULNCHECK",
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Tool::GoVet => "--go-vet",
            Tool::Staticcheck => "--staticcheck",
            Tool::Govulncheck => "--govulncheck",
        }
    }

    /// How to install it, in one line.
    pub fn install_hint(self) -> String {
        match self {
            Tool::GoVet => "install Go (https://go.dev/dl/) so that `go` is on PATH".into(),
            Tool::Staticcheck => {
                format!("go install honnef.co/go/tools/cmd/staticcheck@{STATICCHECK_VERSION}")
            }
            Tool::Govulncheck => {
                format!("go install golang.org/x/vuln/cmd/govulncheck@{GOVULNCHECK_VERSION}")
            }
        }
    }

    /// The finding source it reports as.
    pub fn source(self) -> Source {
        match self {
            Tool::GoVet => Source::GoVet,
            Tool::Staticcheck => Source::Staticcheck,
            Tool::Govulncheck => Source::Govulncheck,
        }
    }

    fn choice(self, s: &ToolSettings) -> &ToolChoice {
        match self {
            Tool::GoVet => &s.go_vet,
            Tool::Staticcheck => &s.staticcheck,
            Tool::Govulncheck => &s.govulncheck,
        }
    }

    fn args(self, settings: &Settings, patterns: &[String]) -> Vec<String> {
        let choice = self.choice(&settings.tools);
        match self {
            Tool::GoVet => govet::args(choice, patterns),
            Tool::Staticcheck => staticcheck::args(choice, settings.tests, patterns),
            Tool::Govulncheck => govulncheck::args(settings.tools.vuln_db.as_deref(), patterns),
        }
    }

    fn parse(self, out: &Output, dir: &Path) -> Parsed {
        match self {
            Tool::GoVet => govet::parse(out, dir),
            Tool::Staticcheck => staticcheck::parse(out, dir),
            Tool::Govulncheck => govulncheck::parse(out, dir),
        }
    }
}

/// How a tool's run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", content = "message", rename_all = "kebab-case")]
pub enum RunStatus {
    Ok,
    /// `auto` and not installed, or nothing to run it on.
    Skipped(String),
    Failed(String),
    TimedOut(String),
}

/// One tool's run: its status, wall time and diagnostics.
#[derive(Debug, Clone)]
pub struct ToolRun {
    pub tool: Tool,
    pub status: RunStatus,
    pub wall: Duration,
    pub diagnostics: Vec<ToolDiagnostic>,
}

impl ToolRun {
    fn ended(tool: Tool, status: RunStatus) -> ToolRun {
        ToolRun {
            tool,
            status,
            wall: Duration::ZERO,
            diagnostics: Vec::new(),
        }
    }

    /// Whether the tool should have run and did not finish (what `--strict` turns into exit 3).
    pub fn failed(&self) -> bool {
        matches!(self.status, RunStatus::Failed(_) | RunStatus::TimedOut(_))
    }
}

/// The tools found, before anything runs.
#[derive(Debug, Default)]
pub struct Prepared {
    ready: Vec<(Tool, PathBuf)>,
    skipped: Vec<ToolRun>,
}

impl Prepared {
    pub fn is_empty(&self) -> bool {
        self.ready.is_empty() && self.skipped.is_empty()
    }
}

/// Finds each requested tool; one that is `on` and missing is an error (exit 2) that says how
/// to install it, one that is `auto` and missing is skipped.
pub fn prepare(settings: &ToolSettings) -> Result<Prepared> {
    let mut out = Prepared::default();
    for tool in Tool::ALL {
        let mode = tool.choice(settings).mode;
        if mode == ToolMode::Off {
            continue;
        }
        match locate(tool, settings)? {
            Some(program) => out.ready.push((tool, program)),
            None if mode == ToolMode::Auto => out.skipped.push(ToolRun::ended(
                tool,
                RunStatus::Skipped(format!("{} is not installed", tool.program())),
            )),
            None => bail!(
                "{} was requested ({}) but `{}` is not on PATH; install it with: {}",
                tool.name(),
                tool.flag(),
                tool.program(),
                tool.install_hint()
            ),
        }
    }
    if let Some(db) = &settings.vuln_db {
        if settings.govulncheck.mode != ToolMode::Off && !db.join("index/modules.json").is_file() {
            bail!(
                "--vuln-db {}: not a vulnerability database (no index/modules.json)",
                db.display()
            );
        }
    }
    Ok(out)
}

/// The executable: `--tool-path`, then the tool's environment variable, then PATH.
fn locate(tool: Tool, settings: &ToolSettings) -> Result<Option<PathBuf>> {
    let given = settings
        .paths
        .iter()
        .rev()
        .find(|(name, _)| name == tool.program())
        .map(|(_, p)| p.clone())
        .or_else(|| {
            std::env::var_os(tool.env_var())
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
    if let Some(p) = given {
        if !is_executable(&p) {
            bail!(
                "{} executable {} does not exist or cannot be run",
                tool.name(),
                p.display()
            );
        }
        return Ok(Some(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    Ok(std::env::split_paths(&path)
        .map(|d| d.join(tool.program()))
        .find(|p| is_executable(p)))
}

/// A regular file with an execute bit (on Unix; elsewhere any regular file).
fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(p).is_ok_and(|m| m.is_file())
    }
}

/// Maps goaudit's patterns to each module root they touch: `./...` where a recursive pattern
/// covers the module, `./sub/...` or `./sub` inside it; a file becomes its folder's package.
pub fn module_patterns(found: &Discovery, patterns: &[String]) -> Vec<(PathBuf, Vec<String>)> {
    let default = ["./...".to_string()];
    let patterns = if patterns.is_empty() {
        &default[..]
    } else {
        patterns
    };
    let modules: Vec<&PathBuf> = found
        .modules
        .iter()
        .map(|(dir, _)| dir)
        .filter(|dir| found.packages.iter().any(|p| p.dir.starts_with(dir)))
        .collect();
    let owner = |p: &Path| {
        modules
            .iter()
            .filter(|m| p.starts_with(m))
            .max_by_key(|m| m.as_os_str().len())
            .copied()
    };
    let mut out: Vec<(PathBuf, Vec<String>)> =
        modules.iter().map(|m| ((*m).clone(), Vec::new())).collect();
    for pattern in patterns {
        let (base, recursive) = match pattern.strip_suffix("...") {
            Some(b) => (b.trim_end_matches('/'), true),
            None => (pattern.as_str(), false),
        };
        let Ok(base) = Path::new(if base.is_empty() { "." } else { base }).canonicalize() else {
            continue;
        };
        let base = if base.is_file() {
            base.parent().unwrap_or(&base).to_path_buf()
        } else {
            base
        };
        for (dir, pats) in out.iter_mut() {
            let inside = owner(&base).is_some_and(|m| m == dir);
            let pat = if recursive && dir.starts_with(&base) {
                "./...".to_string()
            } else if inside {
                let rel = crate::discover::rel_path(dir, &base);
                match (rel.as_str(), recursive) {
                    (".", true) => "./...".into(),
                    (".", false) => ".".into(),
                    (r, true) => format!("./{r}/..."),
                    (r, false) => format!("./{r}"),
                }
            } else {
                continue;
            };
            if !pats.contains(&pat) {
                pats.push(pat);
            }
        }
    }
    out.retain(|(_, p)| !p.is_empty());
    out
}

/// The tools, started: their processes run while the caller does its own work.
pub struct Running {
    runtime: Option<tokio::runtime::Runtime>,
    chain: Option<tokio::task::JoinHandle<Vec<ToolRun>>>,
    done: Vec<ToolRun>,
}

/// Starts the tools now, on the module roots the patterns touch: the first tool's first process
/// before this returns, the others one after another behind it. They run in sequence, not side
/// by side, because they share the go build cache: from a cold cache, concurrent go vet and
/// staticcheck each compile the same packages (docs/tools.md measures 57 s against 38 s).
pub fn start(
    prepared: Prepared,
    found: &Discovery,
    patterns: &[String],
    settings: &Settings,
) -> Running {
    let mut running = Running {
        runtime: None,
        chain: None,
        done: prepared.skipped,
    };
    let modules = module_patterns(found, patterns);
    let mut chain = Vec::new();
    for (tool, program) in prepared.ready {
        let jobs: Vec<Job> = modules
            .iter()
            .map(|(dir, pats)| Job {
                program: program.clone(),
                args: tool.args(settings, pats),
                dir: dir.clone(),
            })
            .collect();
        if jobs.is_empty() {
            let why = "no Go module (go.mod) holds the audited packages".to_string();
            running
                .done
                .push(ToolRun::ended(tool, RunStatus::Skipped(why)));
        } else {
            chain.push((tool, jobs));
        }
    }
    if chain.is_empty() {
        return running;
    }
    let runtime = match process::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            for (tool, _) in chain {
                running.done.push(ToolRun::ended(
                    tool,
                    RunStatus::Failed(format!("could not start: {e}")),
                ));
            }
            return running;
        }
    };
    let first = {
        let _in = runtime.enter();
        process::spawn(&chain[0].1[0])
    };
    running.chain = Some(runtime.spawn(run_chain(chain, first, settings.tools.timeout)));
    running.runtime = Some(runtime);
    running
}

impl Running {
    /// Waits for every tool (each bounded by its timeout) and returns their runs, in tool order.
    pub fn wait(mut self) -> Vec<ToolRun> {
        if let (Some(rt), Some(chain)) = (self.runtime.take(), self.chain.take()) {
            match rt.block_on(chain) {
                Ok(runs) => self.done.extend(runs),
                Err(e) => {
                    crate::eprintln_escaped!("goaudit: internal error: the tools' task failed: {e}")
                }
            }
        }
        self.done.sort_by_key(|r| r.tool);
        self.done
    }
}

/// Runs the tools one after another, each within its own deadline; the first tool's first
/// process is already running.
async fn run_chain(
    chain: Vec<(Tool, Vec<Job>)>,
    first: std::io::Result<tokio::process::Child>,
    limit: Duration,
) -> Vec<ToolRun> {
    let mut first = Some(first);
    let mut runs = Vec::new();
    for (tool, jobs) in chain {
        runs.push(run_jobs(tool, first.take(), jobs, limit, Instant::now()).await);
    }
    runs
}

/// Runs a tool's jobs one after another (the first already started) within one deadline.
async fn run_jobs(
    tool: Tool,
    first: Option<std::io::Result<tokio::process::Child>>,
    jobs: Vec<Job>,
    limit: Duration,
    started: Instant,
) -> ToolRun {
    let mut run = ToolRun::ended(tool, RunStatus::Ok);
    let mut next = first;
    for job in &jobs {
        let child = match next.take().unwrap_or_else(|| process::spawn(job)) {
            Ok(c) => c,
            Err(e) => {
                run.status =
                    RunStatus::Failed(format!("could not run {}: {e}", job.program.display()));
                break;
            }
        };
        let left = limit.saturating_sub(started.elapsed());
        match process::finish(child, left).await {
            Ended::Exited(out) => {
                let parsed = tool.parse(&out, &job.dir);
                if let Some(why) = judge(&out, &parsed) {
                    run.status = RunStatus::Failed(format!("in {}: {why}", job.dir.display()));
                }
                run.diagnostics.extend(parsed.diagnostics);
            }
            Ended::TimedOut => {
                run.status = RunStatus::TimedOut(format!(
                    "timed out after {} and was stopped; its findings are missing (raise --tool-timeout)",
                    human(limit)
                ));
                break;
            }
            Ended::Failed(why) => run.status = RunStatus::Failed(why),
        }
    }
    run.wall = started.elapsed();
    run
}

/// Whether a finished run failed: killed by a signal, or a non-zero exit with nothing read
/// (vet and staticcheck exit 1 when they report something, build errors included).
fn judge(out: &Output, parsed: &Parsed) -> Option<String> {
    let said = || {
        let lines: Vec<&str> = parsed
            .unrecognised
            .iter()
            .take(3)
            .map(String::as_str)
            .collect();
        if lines.is_empty() {
            "no output".to_string()
        } else {
            lines.join(" | ")
        }
    };
    match out.code {
        None => Some(format!("was killed by a signal ({})", said())),
        Some(0) => None,
        Some(_) if !parsed.diagnostics.is_empty() => None,
        Some(c) => Some(format!("exited with status {c}: {}", said())),
    }
}

fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 60.0 && s % 60.0 == 0.0 {
        format!("{}m", s / 60.0)
    } else if s >= 1.0 {
        format!("{}s", (s * 10.0).round() / 10.0)
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{discover, Options};

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            let p = root.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    fn mapped(root: &Path, patterns: &[String]) -> Vec<(String, Vec<String>)> {
        let exclude = globset::GlobSet::empty();
        let found = discover(
            patterns,
            &Options {
                tests: true,
                exclude: &exclude,
                overlay: None,
            },
        )
        .unwrap();
        module_patterns(&found, patterns)
            .into_iter()
            .map(|(dir, p)| {
                (
                    crate::discover::rel_path(&root.canonicalize().unwrap(), &dir),
                    p,
                )
            })
            .collect()
    }

    #[test]
    fn patterns_map_to_each_module_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            &[
                ("go.work", "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n"),
                ("a/go.mod", "module example.com/a\n"),
                ("a/x.go", "package a\n"),
                ("a/sub/y.go", "package sub\n"),
                ("b/go.mod", "module example.com/b\n"),
                ("b/z.go", "package b\n"),
            ],
        );
        let p = |s: &str| root.join(s).display().to_string();
        assert_eq!(
            mapped(root, &[format!("{}/...", p(""))]),
            [
                ("a".into(), vec!["./...".to_string()]),
                ("b".into(), vec!["./...".to_string()])
            ]
        );
        assert_eq!(
            mapped(root, &[format!("{}/...", p("a/sub"))]),
            [("a".into(), vec!["./sub/...".to_string()])]
        );
        assert_eq!(
            mapped(root, &[p("a/sub"), p("b/z.go")]),
            [
                ("a".into(), vec!["./sub".to_string()]),
                ("b".into(), vec![".".to_string()])
            ]
        );
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(600)), "10m");
        assert_eq!(human(Duration::from_secs(1)), "1s");
        assert_eq!(human(Duration::from_millis(250)), "250ms");
    }
}
