//! The subcommands: each turns parsed arguments into a pipeline run and an exit code.

use crate::audit::{self, Outcome};
use crate::catalogue::catalogue;
use crate::catalogue::tools::{tool_check, tool_checks};
use crate::cli::{
    AuditArgs, Cli, ColorChoice, Command, MetricsArgs, RulesAction, RulesArgs, RulesFormat,
};
use crate::config::tools::ToolFlags;
use crate::config::{self, Overrides};
use crate::external::RunStatus;
use crate::output;
use crate::report::{self, Format};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Audit(args) => audit(*args),
        Command::Rules(args) => rules(args),
        Command::Metrics(args) => metrics(args),
    }
}

fn audit(args: AuditArgs) -> Result<i32> {
    let target = args
        .patterns
        .first()
        .map(|p| first_existing(p))
        .unwrap_or_else(|| PathBuf::from("."));
    let overrides = Overrides {
        config: args.config.clone(),
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        tests: args.tests,
        fail_on: args.fail_on,
        exclude: args.exclude.clone(),
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
    let settings = config::resolve(&target, &overrides)?;
    let Outcome {
        findings,
        mut summary,
    } = audit::run(&audit::Request {
        patterns: &args.patterns,
        settings: &settings,
        parse_only: args.parse_only,
        progress: !args.quiet,
    })?;
    let report_start = Instant::now();
    let color = use_color(args.color, args.output.is_some());
    let text = report::render(
        args.format,
        &report::Context {
            findings: &findings,
            summary: &summary,
            color: color && args.format != Format::Json,
        },
    );
    match &args.output {
        Some(path) => output::to_file(path, &text)?,
        None => output::to_stdout(&text)?,
    }
    summary.timings.report_ms = report_start.elapsed().as_secs_f64() * 1000.0;
    if args.timings {
        print_timings(&summary);
    }
    let tool_failed = report_tools(&summary, args.quiet);
    let failing = findings.iter().any(|f| f.severity >= settings.fail_on);
    Ok(match (tool_failed && settings.tools.strict, failing) {
        (true, _) => 3,
        (false, true) => 1,
        (false, false) => 0,
    })
}

/// Says on standard error how each external tool's run ended, when not plainly; returns
/// whether one failed or timed out (exit 3 under `--strict`).
fn report_tools(summary: &audit::Summary, quiet: bool) -> bool {
    let mut failed = false;
    for t in &summary.tools {
        match &t.status {
            RunStatus::Ok => {}
            RunStatus::Skipped(why) if !quiet => {
                eprintln!("goaudit: note: {} skipped: {why}", t.name)
            }
            RunStatus::Skipped(_) => {}
            RunStatus::Failed(why) | RunStatus::TimedOut(why) => {
                failed = true;
                eprintln!("goaudit: warning: {} {why}", t.name);
            }
        }
    }
    failed
}

/// The folder a pattern starts in (`./internal/...` → `./internal`), for finding the config.
fn first_existing(pattern: &str) -> PathBuf {
    let base = pattern.trim_end_matches("...").trim_end_matches('/');
    PathBuf::from(if base.is_empty() { "." } else { base })
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

fn print_timings(s: &audit::Summary) {
    let t = &s.timings;
    eprintln!(
        "timings: discover {:.0} ms, parse+rules {:.0} ms wall (thread time: parse {:.0} ms, rules {:.0} ms), report {:.0} ms; total {:.0} ms; {} files, {:.1} MB",
        t.discover_ms,
        t.analyse_ms,
        t.parse_cpu_ms,
        t.rules_cpu_ms,
        t.report_ms,
        s.duration_ms + t.report_ms,
        s.files,
        s.bytes as f64 / 1e6
    );
    if !t.tools.is_empty() {
        let each: Vec<String> = t
            .tools
            .iter()
            .map(|(name, ms)| format!("{name} {ms:.0} ms"))
            .collect();
        eprintln!(
            "timings: tools (wall, one after another, beside the built-in audit): {}; waited {:.0} ms for them after it",
            each.join(", "),
            t.tools_wait_ms
        );
    }
}

fn rules(args: RulesArgs) -> Result<i32> {
    let cat = catalogue();
    if let Some(RulesAction::Explain { id }) = args.action {
        let doc = match (cat.get(&id), tool_check(&id)) {
            (Some(meta), _) => meta.markdown(),
            (None, Some(check)) => check.markdown(),
            (None, None) => bail!("unknown rule `{id}` (see `goaudit rules`)"),
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
    let package = crate::syntax::package_name(root, &file.text).unwrap_or_default();
    crate::rules::complexity::metrics::file_metrics(root, &file.text)
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "file": file.rel, "line": m.line, "column": m.column, "name": m.name,
                "package": package, "cyclomatic": m.cyclomatic, "cognitive": m.cognitive,
            })
            .to_string()
                + "\n"
        })
        .collect()
}
