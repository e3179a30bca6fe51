//! The subcommands: each turns parsed arguments into a pipeline run and an exit code.

use crate::baseline::Baseline;
use crate::catalogue::catalogue;
use crate::catalogue::names::{self, Named};
use crate::catalogue::tools::{tool_check, tool_checks};
use crate::cli::{
    AuditArgs, CacheAction, Cli, ColorChoice, Command, ConfigAction, ConfigArgs, LlmFlags,
    MergeArgs, MetricsArgs, OutputSpec, RulesAction, RulesArgs, RulesFormat, SessionsAction,
    SessionsArgs,
};
use crate::config::tools::ToolFlags;
use crate::config::{self, Overrides, Settings};
use crate::engine;
use crate::external::RunStatus;
use crate::llm::settings::LlmSettings;
use crate::new_code::Changes;
use crate::outcome::Outcome;
use crate::report::{self, Format};
use crate::{fix, git, output, suggest};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Audit(args) => audit(args),
        Command::Baseline(args) => baseline(args),
        Command::Rules(args) => rules(args),
        Command::Metrics(args) => metrics(args),
        Command::Sessions(args) => sessions(args),
        Command::Merge(args) => crate::shard_merge::run(&merge_request(args)),
        Command::Completion { shell } => completion(shell),
        Command::Cache(args) => match args.action {
            CacheAction::Clean { cache_dir } => crate::cache::clean(cache_dir.as_deref()),
        },
        Command::Config(args) => config_command(args),
        Command::Server(args) => crate::server::run(crate::server::options(
            args.cache_dir,
            args.no_cache,
            args.debounce_ms,
        )),
    }
}

/// `goaudit config`: `show` (also without an action).
fn config_command(args: ConfigArgs) -> Result<i32> {
    match args.action {
        None => config::show::run(&args.show.request()),
        Some(ConfigAction::Show { args }) => config::show::run(&args.request()),
        Some(ConfigAction::Import {
            file,
            output,
            force,
        }) => {
            let prepared = config::golangci::prepare(file.as_deref(), output.as_deref(), force)?;
            match &prepared.target {
                Some(path) => output::to_file(path, &prepared.imported.toml)?,
                None => output::to_stdout(&prepared.imported.toml)?,
            }
            prepared.report();
            Ok(0)
        }
    }
}

/// `goaudit completion SHELL`: the completion script on standard output.
fn completion(shell: clap_complete::Shell) -> Result<i32> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "goaudit", &mut out);
    Ok(0)
}

/// `goaudit merge`'s arguments as `shard_merge` reads them.
fn merge_request(args: MergeArgs) -> crate::shard_merge::MergeRequest {
    crate::shard_merge::MergeRequest {
        inputs: args.inputs,
        format: args.format,
        output: args.output,
    }
}

fn settings_for(args: &AuditArgs) -> Result<Settings> {
    let target = match &args.stdin_filename {
        Some(path) => config::start_folder(&path.to_string_lossy()),
        None => args
            .patterns
            .first()
            .map(|p| config::start_folder(p))
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let overrides = Overrides {
        config: args.config.clone(),
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        tests: args.tests,
        fail_on: args.fail_on,
        exclude: args.exclude.clone(),
        new_code: args.new_code,
        preview: args.preview,
        tools: ToolFlags {
            go_vet: args.go_vet,
            staticcheck: args.staticcheck,
            govulncheck: args.govulncheck,
            timeout: args.tool_timeout,
            strict: args.strict,
            vuln_db: args.vuln_db.clone(),
            paths: args.tool_path.clone(),
        },
    };
    config::resolve(&target, &overrides)
}

/// `--stdin-filename PATH -`: standard input's text in place of PATH, whose package alone is
/// reported (what it imports in its module read for its facts), and of it PATH's findings only.
struct StdinInput {
    overlay: crate::source::Overlay,
    /// The file's folder: the one package reported.
    dirs: [PathBuf; 1],
    /// The file's module (`discover::Root`).
    patterns: Vec<String>,
    file: PathBuf,
}

impl StdinInput {
    /// Standard input read as the file `--stdin-filename` names, when it does; the pattern `-`
    /// without it, or other patterns with it, are errors.
    fn read(args: &AuditArgs) -> Result<Option<StdinInput>> {
        let Some(name) = &args.stdin_filename else {
            if args.patterns.iter().any(|p| p == "-") {
                bail!("the pattern `-` reads standard input: give --stdin-filename PATH, the Go file the text stands for");
            }
            return Ok(None);
        };
        if args.llm.llm || args.llm.llm_plan {
            bail!("--stdin-filename: the LLM review reads the files on disk; audit the saved file without it");
        }
        if args.patterns != ["-"] {
            bail!(
                "--stdin-filename audits standard input: give the one pattern `-`, not {}",
                args.patterns.join(" ")
            );
        }
        if name.extension().is_none_or(|e| e != "go") {
            bail!(
                "{}: not a Go file (--stdin-filename names a .go file)",
                name.display()
            );
        }
        let file = crate::source::canonical_file(name)
            .map_err(|e| anyhow::anyhow!("{}: cannot find its folder: {e}", name.display()))?;
        let text = crate::source::read_text_from(std::io::stdin().lock())
            .map_err(|e| anyhow::anyhow!("standard input: {e}"))?;
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut overlay = crate::source::Overlay::default();
        overlay.insert(file.clone(), text);
        Ok(Some(StdinInput {
            overlay,
            patterns: crate::discover::Root::of(&file).patterns(),
            dirs: [dir],
            file,
        }))
    }

    /// Keeps the findings of the piped file only.
    fn keep_own(&self, outcome: &mut Outcome) {
        let rel = crate::discover::rel_path(Path::new(&outcome.summary.root), &self.file);
        outcome.findings.retain(|f| f.location.file == rel);
    }
}

/// Runs the pipeline, then the baseline and `--new-from-rev` filters.
fn run_filtered(
    args: &AuditArgs,
    settings: &Settings,
    stdin: Option<&StdinInput>,
) -> Result<Outcome> {
    let line = ProgressLine::new();
    let mut outcome = engine::run(&engine::Request {
        patterns: stdin.map_or(&args.patterns[..], |s| &s.patterns[..]),
        settings,
        parse_only: args.parse_only,
        progress: match args.quiet || !line.shown {
            true => None,
            false => Some(&line),
        },
        stats: args.stats,
        deps: args.deps.unwrap_or(true),
        shard: args.shard,
        cache_dir: match args.no_cache {
            true => None,
            false => args.cache_dir.clone().or_else(crate::cache::default_dir),
        },
        overlay: stdin.map(|s| &s.overlay),
        focus: stdin.map(|s| &s.dirs[..]),
        cancel: None,
    })?;
    if let Some(stdin) = stdin {
        stdin.keep_own(&mut outcome);
    }
    let root = PathBuf::from(&outcome.summary.root);
    outcome.summary.repo_prefix = git::repo_prefix(&root);
    if let Some(path) = &args.baseline {
        outcome.summary.baselined = Baseline::load(path)?.filter(&mut outcome.findings);
    }
    if let Some(base) = args.new_code_base() {
        outcome.summary.unchanged =
            Changes::since(&root, &base, settings.new_code)?.filter(&root, &mut outcome.findings);
    }
    outcome.summary.recount(&outcome.findings);
    Ok(outcome)
}

/// The one-line progress count on stderr, drawn only when stderr is a terminal.
struct ProgressLine {
    shown: bool,
}

impl ProgressLine {
    fn new() -> ProgressLine {
        ProgressLine {
            shown: std::io::stderr().is_terminal(),
        }
    }
}

impl engine::Progress for ProgressLine {
    fn package_done(&self, done: usize, total: usize, files: usize) {
        let line = format!("\r\x1b[2Kauditing: {done}/{total} packages, {files} files");
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    fn finish(&self) {
        let _ = std::io::stderr().write_all(b"\r\x1b[2K");
    }
}

fn audit(args: AuditArgs) -> Result<i32> {
    check_outputs(&args)?;
    let stdin = StdinInput::read(&args)?;
    let settings = settings_for(&args)?;
    let llm = llm_settings(&args.llm, &settings)?;
    let mut outcome = run_filtered(&args, &settings, stdin.as_ref())?;
    if let Some(llm) = llm.as_ref().filter(|l| l.plan_only) {
        let plan = crate::llm::plan_report(&args.patterns, &settings, llm, &outcome.findings)?;
        output::to_stdout(&crate::escape::controls_but_newlines(&plan))?;
        return Ok(0);
    }
    let root = PathBuf::from(&outcome.summary.root);
    if args.diff {
        let (diff, skipped) = fix::diff_files(&root, &outcome.findings);
        for s in &skipped {
            crate::eprintln_escaped!("goaudit: fix skipped: {s}");
        }
        output::to_stdout(&diff)?;
        return Ok(if diff.is_empty() { 0 } else { 1 });
    }
    if args.fix || args.unsafe_fixes {
        let done = fix::fix_files(&root, &outcome.findings, args.unsafe_fixes);
        for s in &done.skipped {
            crate::eprintln_escaped!("goaudit: fix skipped: {s}");
        }
        crate::eprintln_escaped!(
            "goaudit: applied {} fix(es) in {} file(s)",
            done.applied,
            done.files
        );
        let (_, unsafe_fixes) = fix::available(&outcome.findings);
        if !args.unsafe_fixes && unsafe_fixes > 0 {
            crate::eprintln_escaped!(
                "goaudit: held back {unsafe_fixes} unsafe fix(es), which may change behaviour: review them with --diff, apply them with --unsafe-fixes"
            );
        }
        if done.applied > 0 {
            outcome = run_filtered(&args, &settings, None)?;
        }
    }
    if let Some(llm) = &llm {
        review(&args, &settings, llm, &mut outcome)?;
    }
    let code = exit_code(&args, &settings, llm.as_ref(), &outcome);
    let report_start = Instant::now();
    let code = if write_reports(&args, &outcome, code) {
        code
    } else {
        3
    };
    outcome.summary.timings.report_ms = report_start.elapsed().as_secs_f64() * 1000.0;
    if args.timings {
        print_timings(&outcome.summary);
    }
    if args.stats {
        print_stats(&outcome.summary);
    }
    report_tools(&outcome.summary, args.quiet);
    report_notes(&outcome.summary, args.quiet);
    warn_unreadable(&outcome.summary, args.strict);
    Ok(code)
}

/// 3 when the LLM review, a tool or the reading of a folder failed, or an analysis stopped for
/// its budget (`analysis-budget`), and `--strict`; else 1 when a finding fails the run (the
/// model's own only at `--llm-fail-on`; never an `analysis-budget` one); else 0.
fn exit_code(
    args: &AuditArgs,
    settings: &Settings,
    llm: Option<&LlmSettings>,
    outcome: &Outcome,
) -> i32 {
    let llm_fail_on = llm.and_then(|l| l.fail_on);
    let failing = outcome
        .findings
        .iter()
        .filter(|f| f.rule != "analysis-budget")
        .any(|f| crate::llm::fails(f, settings.fail_on, llm_fail_on));
    let over_budget = outcome.findings.iter().any(|f| f.rule == "analysis-budget");
    let incomplete = over_budget
        || outcome.summary.llm.as_ref().is_some_and(|l| l.incomplete())
        || !outcome.summary.unreadable.is_empty()
        || outcome
            .summary
            .tools
            .iter()
            .any(|t| matches!(t.status, RunStatus::Failed(_) | RunStatus::TimedOut(_)));
    if incomplete && args.strict {
        3
    } else if failing {
        1
    } else {
        0
    }
}

/// One line on stderr for each folder that could not be read: the audit did not see its files.
fn warn_unreadable(summary: &crate::outcome::Summary, strict: bool) {
    for u in &summary.unreadable {
        crate::eprintln_escaped!(
            "goaudit: warning: cannot read folder {}: {}; its files were not audited{}",
            u.folder,
            u.reason,
            if strict {
                "; --strict makes the run exit 3"
            } else {
                " (--strict would make this exit 3)"
            }
        );
    }
}

/// The LLM review's settings when `--llm` or `--llm-plan` asks for it.
fn llm_settings(args: &LlmFlags, settings: &config::Settings) -> Result<Option<LlmSettings>> {
    if !(args.llm || args.llm_plan) {
        return Ok(None);
    }
    let user = crate::llm::settings::user_config()?;
    let env = |k: &str| std::env::var(k).ok();
    crate::llm::settings::resolve(&args.into(), &settings.llm, &user, &env).map(Some)
}

/// Runs the LLM review on the filtered findings, keeps `--new-from-rev` for the model's too,
/// and warns on standard error when the review could not complete.
fn review(
    args: &AuditArgs,
    settings: &Settings,
    llm: &LlmSettings,
    outcome: &mut Outcome,
) -> Result<()> {
    let s = crate::llm::review(&args.patterns, settings, llm, &mut outcome.findings)?;
    if let Some(base) = args.new_code_base() {
        let root = PathBuf::from(&outcome.summary.root);
        outcome.summary.unchanged +=
            Changes::since(&root, &base, settings.new_code)?.filter(&root, &mut outcome.findings);
    }
    if s.incomplete() {
        let first = s.problems.iter().find(|p| p.status == "failed");
        crate::eprintln_escaped!(
            "goaudit: warning: the LLM review could not complete: {} of {} units failed{}; the static findings are reported{}",
            s.failed,
            s.units,
            first.map(|p| format!(" ({}: {})", p.unit, p.reason)).unwrap_or_default(),
            if args.strict { " and --strict makes the run exit 3" } else { " (--strict would make this exit 3)" }
        );
    }
    if s.skipped > 0 {
        crate::eprintln_escaped!(
            "goaudit: warning: the LLM budget was reached: {} of {} units skipped",
            s.skipped,
            s.units
        );
    }
    // The text report on standard output ends with this line already.
    let text_on_stdout = destinations(args)
        .iter()
        .any(|d| d.format == Format::Text && d.file.is_none());
    if !args.quiet && !text_on_stdout {
        crate::eprintln_escaped!("goaudit: {}", s.line());
    }
    outcome.summary.llm = Some(s);
    outcome.summary.recount(&outcome.findings);
    Ok(())
}

fn sessions(args: SessionsArgs) -> Result<i32> {
    let Some(db) = args
        .db
        .clone()
        .or_else(|| crate::dirs::data_dir().map(|d| d.join("goaudit").join("sessions.db")))
    else {
        bail!("no data directory for the sessions database: give --db FILE");
    };
    let text = match &args.action {
        Some(SessionsAction::Show { id }) => crate::llm::sessions::show(&db, id)?,
        None => crate::llm::sessions::list(&db)?,
    };
    output::to_stdout(&crate::escape::controls_but_newlines(&text))?;
    Ok(0)
}

/// Where each requested report goes: `--format`/`-o`, every `--output`, then `--report`.
fn destinations(args: &AuditArgs) -> Vec<OutputSpec> {
    let mut out = Vec::new();
    if (args.outputs.is_empty() && args.report.is_none())
        || args.format.is_some()
        || args.output.is_some()
    {
        out.push(OutputSpec {
            format: args.format.unwrap_or(Format::Text),
            file: args.output.clone(),
        });
    }
    out.extend(args.outputs.iter().cloned());
    if let Some(file) = &args.report {
        out.push(OutputSpec {
            format: Format::Markdown,
            file: Some(file.clone()),
        });
    }
    out
}

/// Refuses, before any work, outputs that cannot all be honoured: two reports aimed at one
/// file (the second would silently replace the first) and `--diff` with report outputs (it
/// prints the fixes and writes no report).
fn check_outputs(args: &AuditArgs) -> Result<()> {
    if args.diff && (args.output.is_some() || !args.outputs.is_empty() || args.report.is_some()) {
        bail!("--diff prints the fixes as a diff on standard output and writes no report: drop -o/--output-file, --output FORMAT:FILE and --report, or run the report without --diff");
    }
    let mut seen: Vec<(PathBuf, Format)> = Vec::new();
    for dest in destinations(args) {
        let Some(file) = dest.file.filter(|f| !output::is_special(f)) else {
            continue;
        };
        let id = output::identity(&file);
        if let Some((_, first)) = seen.iter().find(|(i, _)| *i == id) {
            bail!(
                "two reports ({} and {}) are aimed at one file, {}: give each its own",
                format_name(*first),
                format_name(dest.format),
                id.display()
            );
        }
        seen.push((id, dest.format));
    }
    Ok(())
}

/// A format's name as `--format` spells it.
fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map_or_else(|| format!("{format:?}"), |v| v.get_name().to_string())
}

/// Writes every requested report; false when one could not be written (each failure is said
/// on stderr, and the other reports are still written).
fn write_reports(args: &AuditArgs, outcome: &Outcome, exit_code: i32) -> bool {
    let mut all_written = true;
    for dest in destinations(args) {
        let color = matches!(dest.format, Format::Text | Format::Concise)
            && use_color(args.color, dest.file.is_some());
        let rendered = report::render(
            dest.format,
            &report::Context {
                findings: &outcome.findings,
                summary: &outcome.summary,
                color,
                suppressed: if args.include_suppressed {
                    &outcome.suppressed
                } else {
                    &[]
                },
                exit_code,
            },
        );
        for w in &rendered.warnings {
            crate::eprintln_escaped!("goaudit: {w}");
        }
        all_written &= output::write_report(dest.file.as_deref(), &rendered.text);
        if let Some(summary) = &rendered.step_summary {
            all_written &= summary.write();
        }
    }
    all_written
}

/// `goaudit baseline`: audits, then records every current finding's fingerprint (an old
/// baseline and `--new-from-rev` are not applied: the new file replaces the old one).
fn baseline(mut args: AuditArgs) -> Result<i32> {
    args.baseline = None;
    args.new_from_rev = None;
    args.new_from_merge_base = None;
    let stdin = StdinInput::read(&args)?;
    let settings = settings_for(&args)?;
    let outcome = run_filtered(&args, &settings, stdin.as_ref())?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(".goaudit-baseline.json"));
    if !output::write_report(Some(&path), &Baseline::of(&outcome.findings).to_json()) {
        return Ok(3);
    }
    crate::eprintln_escaped!(
        "goaudit: recorded {} finding(s) in {}",
        outcome.findings.len(),
        path.display()
    );
    Ok(0)
}

/// Says on standard error how each external tool's run ended, when not plainly (a failure is
/// exit 3 under `--strict`, see `exit_code`).
fn report_tools(summary: &crate::outcome::Summary, quiet: bool) {
    for t in &summary.tools {
        match &t.status {
            RunStatus::Ok => {}
            RunStatus::Skipped(why) if !quiet => {
                crate::eprintln_escaped!("goaudit: note: {} skipped: {why}", t.name)
            }
            RunStatus::Skipped(_) => {}
            RunStatus::Failed(why) | RunStatus::TimedOut(why) => {
                crate::eprintln_escaped!("goaudit: warning: {} {why}", t.name);
            }
        }
    }
}

/// Says on standard error what goaudit itself noted about the run (a module missing from the
/// module cache), unless `--quiet`.
fn report_notes(summary: &crate::outcome::Summary, quiet: bool) {
    let notes = summary
        .notifications
        .iter()
        .filter(|n| n.tool == "goaudit" && n.level == crate::outcome::NotificationLevel::Note);
    for n in notes.filter(|_| !quiet) {
        crate::eprintln_escaped!("goaudit: note: {}", n.message);
    }
}

fn use_color(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn print_timings(s: &crate::outcome::Summary) {
    let t = &s.timings;
    crate::eprintln_escaped!(
        "timings: discover {:.0} ms, deps {:.0} ms, parse+index+rules {:.0} ms wall (thread time: parse {:.0} ms, index {:.0} ms, rules {:.0} ms), report {:.0} ms; total {:.0} ms; {} files, {:.1} MB",
        t.discover_ms,
        t.deps_ms,
        t.analyse_ms,
        t.parse_cpu_ms,
        t.index_cpu_ms,
        t.rules_cpu_ms,
        t.report_ms,
        s.duration_ms + t.report_ms,
        s.files,
        s.bytes as f64 / 1e6
    );
    if t.facts_only_cpu_ms > 0.0 {
        crate::eprintln_escaped!(
            "timings: packages read for their facts only: {:.0} ms thread time",
            t.facts_only_cpu_ms
        );
    }
    if let Some(c) = &t.cache {
        crate::eprintln_escaped!(
            "timings: result cache: {} packages reused, {} audited",
            c.hits,
            c.misses
        );
    }
    if !t.tools.is_empty() {
        let each: Vec<String> = t
            .tools
            .iter()
            .map(|(name, ms)| format!("{name} {ms:.0} ms"))
            .collect();
        crate::eprintln_escaped!(
            "timings: tools (wall, one after another, beside the built-in audit): {}; waited {:.0} ms for them after it",
            each.join(", "),
            t.tools_wait_ms
        );
    }
}

/// `--stats`: the share of call sites the index resolved to a signature.
fn print_stats(s: &crate::outcome::Summary) {
    let c = &s.calls;
    let pct = |n: usize| {
        if c.total == 0 {
            0.0
        } else {
            100.0 * n as f64 / c.total as f64
        }
    };
    crate::eprintln_escaped!(
        "stats: {} call sites, {} resolved ({:.1}%): {} from declarations, builtins or conversions ({:.1}%), {} by a method-set vote ({:.1}%); {} dependency packages indexed",
        c.total,
        c.exact + c.voted,
        pct(c.exact + c.voted),
        c.exact,
        pct(c.exact),
        c.voted,
        pct(c.voted),
        c.dep_packages
    );
}

fn rules(args: RulesArgs) -> Result<i32> {
    let cat = catalogue();
    if let Some(RulesAction::Explain { id }) = args.action {
        let doc = match (cat.get(&id), tool_check(&id), names::resolve(&id)) {
            (Some(meta), _, _) => meta.markdown(),
            (None, Some(check), _) => check.markdown(),
            (None, None, Some(Named::Linter(rules))) => names::explain_linter(&id, &rules),
            _ => bail!(
                "unknown rule `{id}`{} (see `goaudit rules`)",
                suggest::did_you_mean(&id, names::candidates())
            ),
        };
        output::to_stdout(&doc)?;
        return Ok(0);
    }
    let text = match args.format {
        RulesFormat::Json => {
            serde_json::to_string_pretty(
                &cat.rules
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.id, "category": r.category, "severity": r.severity,
                            "enabled": r.enabled, "summary": r.summary,
                        })
                    })
                    .chain(tool_checks().iter().map(|c| {
                        serde_json::json!({
                            "id": c.id, "category": c.category, "severity": c.severity,
                            "enabled": false, "summary": c.summary, "tool": c.tool,
                        })
                    }))
                    .collect::<Vec<_>>(),
            )? + "\n"
        }
        RulesFormat::Markdown => rules_markdown(),
        RulesFormat::Reference => rules_reference(),
        RulesFormat::Text => rules_text(),
    };
    output::to_stdout(&text)?;
    Ok(0)
}

/// The catalogue as a table, then the external tools' checks, each under the flag that runs it.
fn rules_text() -> String {
    let cat = catalogue();
    let width = cat
        .rules
        .iter()
        .map(|r| r.id.len())
        .chain(tool_checks().iter().map(|c| c.id.len()))
        .max()
        .unwrap_or(0);
    let row = |id: &str,
               category: &dyn std::fmt::Display,
               severity: &dyn std::fmt::Display,
               note: &str,
               summary: &str| {
        format!(
            "{id:width$}  {:11}  {:8}  {note}{summary}\n",
            category.to_string(),
            severity.to_string()
        )
    };
    let mut out: String = cat
        .rules
        .iter()
        .map(|r| {
            row(
                &r.id,
                &r.category,
                &r.severity,
                if r.enabled { "" } else { "(off by default) " },
                &r.summary,
            )
        })
        .collect();
    for (tool, heading) in [
        ("govet", "with --go-vet (go vet's analyzers)"),
        ("staticcheck", "with --staticcheck (staticcheck's checks)"),
    ] {
        out.push_str(&format!("\n{heading}:\n"));
        for c in tool_checks().iter().filter(|c| c.tool == tool) {
            out.push_str(&row(&c.id, &c.category, &c.severity, "", &c.summary));
        }
    }
    out.push_str("\nwith --govulncheck: govulncheck/<OSV id> (security), one per known vulnerability the code reaches\n");
    out
}

/// The README's rule table.
pub fn rules_markdown() -> String {
    let mut s = String::from("| rule | category | severity | default | what it finds |\n| --- | --- | --- | --- | --- |\n");
    for r in &catalogue().rules {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.category,
            r.severity,
            if r.enabled { "on" } else { "off" },
            r.summary
        ));
    }
    s
}

/// `docs/rules.md`: every rule's documentation (as `rules explain` prints it), one section a
/// rule headed by its id, so that `docs/rules.md#ID` is the rule's address (SARIF's `helpUri`).
pub fn rules_reference() -> String {
    let mut s = String::from(
        "# Rules\n\nEvery built-in rule, as `goaudit rules explain ID` prints it. Generated from the \
         catalogue (`rules/*.toml`) by `scripts/readme-rules.py`; a test checks it is current.\n",
    );
    for r in &catalogue().rules {
        s.push('\n');
        s.push_str(&demote_headings(&r.markdown()));
    }
    s
}

/// Markdown with each heading one level deeper (`#` → `##`), code blocks left as they are.
fn demote_headings(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every function's figures, one JSON object a line, in path order.
fn metrics(args: MetricsArgs) -> Result<i32> {
    let mut files = Vec::new();
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
        if p.is_file() {
            files.push(p.clone());
        } else {
            files.extend(
                walkdir::WalkDir::new(p)
                    .sort_by_file_name()
                    .into_iter()
                    .flatten()
                    .filter(|e| {
                        e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "go")
                    })
                    .map(|e| e.into_path()),
            );
        }
    }
    let lines: Vec<String> = files.par_iter().map(|f| file_metrics_lines(f)).collect();
    output::to_stdout(&lines.concat())?;
    Ok(0)
}

fn file_metrics_lines(path: &Path) -> String {
    let file = crate::source::SourceFile::load(path, path.display().to_string());
    let Some(root) = file.root() else {
        return String::new();
    };
    let package = crate::tree::package_name(root, &file.text).unwrap_or_default();
    crate::rules::complexity::metrics::file_metrics(root, &file.text)
        .into_iter()
        .filter(|m| !(m.gocyclo_ignored && (m.gocognit_ignored || m.cognitive.is_none())))
        .map(|m| {
            let cyclomatic = (!m.gocyclo_ignored).then_some(m.cyclomatic);
            let cognitive = m.cognitive.filter(|_| !m.gocognit_ignored);
            serde_json::json!({
                "file": file.rel, "line": m.line, "column": m.column, "name": m.name,
                "package": package, "cyclomatic": cyclomatic, "cognitive": cognitive,
            })
            .to_string()
                + "\n"
        })
        .collect()
}
