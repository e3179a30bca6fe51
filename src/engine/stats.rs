//! The run's figures: the counters every phase adds to, and at the end the `Summary` (counts,
//! rules, tools, timings) and the `Outcome` the reports read.

use super::plan::Plan;
use super::Request;
use crate::cache::ResultCache;
use crate::discover::Discovery;
use crate::external::{RunStatus, Running, ToolRun};
use crate::finding::{self, Finding};
use crate::outcome::{
    CacheStats, CallStats, FileTable, Notification, NotificationLevel, Outcome, PackageAudit,
    Summary, Timings, ToolSummary, Unreadable,
};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What the phases count, from every thread.
#[derive(Default)]
pub(super) struct Counters {
    pub files: AtomicUsize,
    pub lines: AtomicUsize,
    pub bytes: AtomicUsize,
    pub generated: AtomicUsize,
    pub parse_ns: AtomicU64,
    pub rules_ns: AtomicU64,
    pub index_ns: AtomicU64,
    pub facts_only_ns: AtomicU64,
    pub calls: AtomicUsize,
    pub calls_exact: AtomicUsize,
    pub calls_voted: AtomicUsize,
    pub packages_done: AtomicUsize,
}

impl Counters {
    /// Counts a reported package's files.
    pub fn add(&self, audit: &PackageAudit) {
        let n = &audit.counts;
        self.files.fetch_add(n.files, Ordering::Relaxed);
        self.lines.fetch_add(n.lines, Ordering::Relaxed);
        self.bytes.fetch_add(n.bytes, Ordering::Relaxed);
        self.generated.fetch_add(n.generated, Ordering::Relaxed);
    }
}

/// The packages' audits put together.
pub(super) struct Collected {
    findings: Vec<Finding>,
    suppressed: Vec<Finding>,
    files: FileTable,
}

impl Collected {
    /// Joins the packages' audits (in package order).
    pub fn of(audits: Vec<Option<PackageAudit>>) -> Collected {
        let mut all = Collected {
            findings: Vec::new(),
            suppressed: Vec::new(),
            files: FileTable::default(),
        };
        for audit in audits.into_iter().flatten() {
            all.findings.extend(audit.findings);
            all.files.extend(audit.files);
            all.suppressed.extend(audit.suppressed);
        }
        all
    }
}

/// What the end of a run reads to make its `Outcome`.
pub(super) struct Finish<'a> {
    pub found: &'a Discovery,
    pub req: &'a Request<'a>,
    pub plan: &'a Plan<'a>,
    pub counters: Counters,
    pub cache: Option<&'a ResultCache>,
    /// How many packages the run reports.
    pub reported: usize,
    pub started: Instant,
    pub discover_ms: f64,
    pub analyse_ms: f64,
    pub deps_ms: f64,
    /// What the dependencies' load (`--deps`) indexed and found missing.
    pub deps: crate::index::deps::Loaded,
}

impl Finish<'_> {
    /// Waits for the external tools, folds their findings into the built-in ones and sums the
    /// run up.
    pub fn outcome(self, mut all: Collected, running: Running) -> anyhow::Result<Outcome> {
        let wait_start = Instant::now();
        let runs = running.wait();
        let tools_wait_ms = ms(wait_start.elapsed());
        let (tool_findings, tool_suppressed) =
            crate::tool_findings::place(&runs, &self.found.root, &all.files);
        all.suppressed.extend(tool_suppressed);
        let mut findings: Vec<Finding> = all.findings.into_iter().chain(tool_findings).collect();
        let (unused, unused_suppressed) = super::unused_nolint::findings(
            &all.files,
            &findings,
            &all.suppressed,
            self.req.settings,
        );
        findings.extend(unused);
        all.suppressed.extend(unused_suppressed);
        // `[[rules.per-path]]` drops findings by file, the tools' as well as the rules', after
        // unused-nolint has seen what each directive silenced.
        let mut findings = crate::tool_findings::merge(findings);
        self.req.settings.per_path.apply(&mut findings);
        self.req.settings.per_path.apply(&mut all.suppressed);
        let timings = self.timings(&runs, tools_wait_ms);
        let mut summary = self.summary(&findings, all.suppressed.len(), timings);
        summary.tools = tool_summaries(&runs, &findings);
        summary.notifications.extend(tool_notifications(&runs));
        record_unreadable(&mut summary, self.found);
        summary
            .notifications
            .extend(missing_modules(&self.deps.missing));
        let mut suppressed = all.suppressed;
        finding::finalize(&mut suppressed);
        Ok(Outcome {
            findings,
            suppressed,
            summary,
        })
    }

    /// Where the run's time went.
    fn timings(&self, runs: &[ToolRun], tools_wait_ms: f64) -> Timings {
        let c = &self.counters;
        let cpu_ms = |n: &AtomicU64| n.load(Ordering::Relaxed) as f64 / 1e6;
        Timings {
            discover_ms: self.discover_ms,
            analyse_ms: self.analyse_ms,
            parse_cpu_ms: cpu_ms(&c.parse_ns),
            rules_cpu_ms: cpu_ms(&c.rules_ns),
            index_cpu_ms: cpu_ms(&c.index_ns),
            facts_only_cpu_ms: cpu_ms(&c.facts_only_ns),
            deps_ms: self.deps_ms,
            report_ms: 0.0,
            tools: runs
                .iter()
                .map(|r| (r.tool.name().to_string(), ms(r.wall)))
                .collect(),
            tools_wait_ms,
            cache: self.cache.map(|c| CacheStats {
                hits: c.hits.load(Ordering::Relaxed),
                misses: c.misses.load(Ordering::Relaxed),
            }),
        }
    }

    /// The run's summary: what was audited, by which rules, in how long.
    fn summary(&self, findings: &[Finding], suppressed: usize, timings: Timings) -> Summary {
        let c = &self.counters;
        let load = |n: &AtomicUsize| n.load(Ordering::Relaxed);
        let mut summary = Summary {
            root: self.found.root.display().to_string(),
            packages: self.reported,
            files: load(&c.files),
            lines: load(&c.lines),
            bytes: load(&c.bytes),
            generated_files: load(&c.generated),
            rules: (self.plan.active.iter())
                .map(|a| a.rule.id().to_string())
                .collect(),
            suppressed,
            duration_ms: ms(self.started.elapsed()),
            timings,
            shard: self.req.shard,
            identity: Some(crate::shard::identity(self.req.settings, self.found)),
            calls: CallStats {
                total: load(&c.calls),
                exact: load(&c.calls_exact),
                voted: load(&c.calls_voted),
                dep_packages: self.deps.added,
            },
            ..Summary::default()
        };
        summary.recount(findings);
        summary
    }
}

/// Each tool's status, findings and wall time.
fn tool_summaries(runs: &[ToolRun], findings: &[Finding]) -> Vec<ToolSummary> {
    runs.iter()
        .map(|r| ToolSummary {
            name: r.tool.name().to_string(),
            status: r.status.clone(),
            findings: findings
                .iter()
                .filter(|f| f.sources.contains(&r.tool.source()))
                .count(),
            wall_ms: ms(r.wall),
        })
        .collect()
}

/// Names the folders that could not be read in the summary and as error notifications (SARIF
/// and the Markdown report show them).
fn record_unreadable(summary: &mut Summary, found: &Discovery) {
    for (dir, why) in &found.unreadable {
        summary.unreadable.push(Unreadable {
            folder: dir.clone(),
            reason: why.clone(),
        });
        summary.notifications.push(Notification {
            tool: "goaudit".into(),
            level: NotificationLevel::Error,
            message: format!("cannot read folder {dir}: {why}; its files were not audited"),
        });
    }
}

/// The modules the code imports that the module cache lacks, as a note: calls into them are
/// not resolved, so findings that need their signatures are missing, not absent.
fn missing_modules(missing: &std::collections::BTreeSet<String>) -> Option<Notification> {
    let first = missing.iter().next()?;
    let (named, its) = match missing.len() {
        1 => (format!("the module {first} is"), "its"),
        n => (
            format!(
                "{n} modules ({}) are",
                missing.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            "their",
        ),
    };
    Some(Notification {
        tool: "goaudit".into(),
        level: NotificationLevel::Note,
        message: format!("{named} not in the module cache: calls into {its} packages are not resolved, so the rules that need their signatures say nothing about those calls; run `go mod download` and audit again"),
    })
}

/// A tool that failed or timed out is an error of the run; one skipped (`auto`), a note.
fn tool_notifications(runs: &[ToolRun]) -> Vec<Notification> {
    runs.iter()
        .filter_map(|r| {
            let (level, why) = match &r.status {
                RunStatus::Ok => return None,
                RunStatus::Skipped(why) => (NotificationLevel::Note, format!("skipped: {why}")),
                RunStatus::Failed(why) | RunStatus::TimedOut(why) => {
                    (NotificationLevel::Error, why.clone())
                }
            };
            Some(Notification {
                tool: r.tool.name().to_string(),
                level,
                message: why,
            })
        })
        .collect()
}

/// A duration in milliseconds.
pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
