//! The pipeline driver: discover, then per package in import order parse, run the rules and drop
//! the trees, independent packages in parallel; then sort. Reports read only what this returns.

use crate::budget::Overrun;
use crate::cache::ResultCache;
use crate::config::{RuleSettings, Settings};
use crate::discover::{self, Discovery, Package};
use crate::external::{self, RunStatus, ToolRun};
use crate::finding::{self, Finding, Location, Position, Related, Severity, Source};
use crate::fxhash::HashMap;
use crate::index::extract::{self, FileImports};
use crate::index::{Index, PackageFacts, Scope, Visible};
use crate::outcome::{
    AuditedFile, CacheStats, CallStats, FileCounts, FileTable, Notification, NotificationLevel,
    Outcome, PackageAudit, Summary, Timings, ToolSummary, Unreadable,
};
use crate::rules::{registry, Diagnostic, FileContext, PackageContext, PackageInfo, Rule};
use crate::schedule::Role;
use crate::schedule::Schedule;
use crate::source::SourceFile;
use crate::suppress::Suppressions;
use crate::tree::preorder;
use anyhow::Result;
use rayon::prelude::*;
use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to audit and how.
pub struct Request<'a> {
    pub patterns: &'a [String],
    pub settings: &'a Settings,
    /// Read, parse and walk every file, run no rule (the benchmark's baseline).
    pub parse_only: bool,
    pub progress: bool,
    /// Count call sites and how many resolve to a signature (`--stats`).
    pub stats: bool,
    /// Index dependencies' exported signatures from the module cache (`--deps`).
    pub deps: bool,
    /// Report only this shard's packages (`--shard I/N`).
    pub shard: Option<crate::shard::Shard>,
    /// Keep and reuse packages' results in this folder (`--cache-dir`; `None`: `--no-cache`).
    pub cache_dir: Option<std::path::PathBuf>,
}

impl<'a> Request<'a> {
    /// An audit of `patterns` with every rule and no extras: no progress line, no call
    /// statistics, dependencies not indexed (what the tests want).
    pub fn new(patterns: &'a [String], settings: &'a Settings) -> Request<'a> {
        Request {
            patterns,
            settings,
            parse_only: false,
            progress: false,
            stats: false,
            deps: false,
            shard: None,
            cache_dir: None,
        }
    }
}

/// A package's audit and its facts (none in `--parse-only`); facts alone for a package a shard
/// parses only for them.
type PackageResult = (PackageAudit, Option<PackageFacts>);

thread_local! {
    /// Set while a rule runs, so the panic hook stays quiet for panics that become findings.
    pub static IN_GUARD: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Installs a panic hook that records panics inside rules (they become `internal-error`
/// findings) and prints a one-line internal error for any other.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "unknown panic".into()),
        };
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        if IN_GUARD.with(Cell::get) {
            LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg}{at}"));
        } else {
            crate::eprintln_escaped!("goaudit: internal error: {msg}{at}");
        }
    }));
}

/// Runs `f`, turning a panic into `Err(message)`.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    IN_GUARD.with(|g| g.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(false));
    r.map_err(|_| LAST_PANIC.with(|p| p.borrow().clone()))
}

/// An enabled rule with its settings.
struct Active<'a> {
    rule: &'static dyn Rule,
    settings: &'a RuleSettings,
}

/// The enabled rules, and for each node kind the rules that asked for it.
struct Plan<'a> {
    active: Vec<Active<'a>>,
    by_kind: Vec<Vec<usize>>,
    walks: bool,
    /// An enabled rule reads the taint analysis.
    taint: bool,
}

impl<'a> Plan<'a> {
    fn new(settings: &'a Settings) -> Plan<'a> {
        let active: Vec<Active> = registry()
            .iter()
            .filter_map(|&rule| {
                settings
                    .rules
                    .get(rule.id())
                    .map(|settings| Active { rule, settings })
            })
            .collect();
        let kinds = crate::syntax::language().node_kind_count();
        let mut by_kind = vec![Vec::new(); kinds + 1];
        for (i, a) in active.iter().enumerate() {
            for kind in a.rule.node_kinds() {
                by_kind[crate::syntax::kind_id(kind) as usize].push(i);
            }
        }
        let walks = by_kind.iter().any(|r| !r.is_empty());
        let taint = active.iter().any(|a| a.rule.needs_taint());
        Plan {
            active,
            by_kind,
            walks,
            taint,
        }
    }
}

#[derive(Default)]
struct Counters {
    files: AtomicUsize,
    lines: AtomicUsize,
    bytes: AtomicUsize,
    generated: AtomicUsize,
    parse_ns: AtomicU64,
    rules_ns: AtomicU64,
    index_ns: AtomicU64,
    facts_only_ns: AtomicU64,
    calls: AtomicUsize,
    calls_exact: AtomicUsize,
    calls_voted: AtomicUsize,
    packages_done: AtomicUsize,
    suppressed_findings: std::sync::Mutex<Vec<Finding>>,
}

impl Counters {
    /// Counts a reported package's files.
    fn add(&self, audit: &PackageAudit) {
        let n = &audit.counts;
        self.files.fetch_add(n.files, Ordering::Relaxed);
        self.lines.fetch_add(n.lines, Ordering::Relaxed);
        self.bytes.fetch_add(n.bytes, Ordering::Relaxed);
        self.generated.fetch_add(n.generated, Ordering::Relaxed);
    }
}

/// Each package's role, and for each package read for its facts the functions whose bodies
/// its skeleton empties (`skeleton::emptied_bodies`; none without a shard).
fn shard_plan(
    found: &Discovery,
    req: &Request,
    plan: &Plan,
    through_deps: &[Vec<usize>],
) -> (Vec<Role>, Vec<Vec<String>>) {
    let roles = crate::shard::roles(found, req.shard.as_ref(), through_deps);
    let emptied = match req.shard.is_some() && !req.parse_only {
        true => crate::skeleton::emptied_bodies(found, &roles, through_deps, plan.taint),
        false => vec![Vec::new(); roles.len()],
    };
    (roles, emptied)
}

/// Runs the audit: finds the requested tools (a missing one is an error), discovers the
/// packages, starts the tools, runs the built-in rules while they work, then waits for them
/// and merges their findings.
pub fn run(req: &Request) -> Result<Outcome> {
    let started = Instant::now();
    let tools = external::prepare(&req.settings.tools)?;
    let found = discover::discover(
        req.patterns,
        &discover::Options {
            tests: req.settings.tests,
            exclude: &req.settings.exclude,
        },
    )?;
    let discover_ms = ms(started.elapsed());
    let running = external::start(tools, &found, req.patterns, req.settings);
    let plan = Plan::new(req.settings);
    let counters = Counters::default();
    let index = Index::new();
    // A shard plans (`shard_plan`) while the dependencies load, as if none of them imported an
    // audited package, the usual case; when one does, it plans again with what it reaches.
    let load_deps = || {
        let started = Instant::now();
        let added = match req.deps && !req.parse_only {
            true => crate::index::deps::load(&found, &index),
            false => 0,
        };
        (added, ms(started.elapsed()))
    };
    let none = vec![Vec::new(); found.packages.len()];
    let ((dep_packages, deps_ms), guess) =
        rayon::join(load_deps, || shard_plan(&found, req, &plan, &none));
    let analyse_start = Instant::now();
    let through_deps = crate::schedule::through_deps(&found, &index);
    let (roles, emptied) = match through_deps.iter().all(Vec::is_empty) {
        true => guess,
        false => shard_plan(&found, req, &plan, &through_deps),
    };
    let reported = roles.iter().filter(|&&r| r == Role::Report).count();
    let progress = Progress::new(req.progress, reported);
    let cache = open_cache(req);
    let schedule = Schedule::new(&found, &roles, &through_deps);
    let by_path = found.by_import_path();
    let audits = schedule.run(
        &roles,
        |i| {
            let pkg = &found.packages[i];
            let sees = |path: &str| by_path.get(path).is_none_or(|&j| schedule.sees(i, j));
            let work = PackageWork {
                found: &found,
                pkg,
                plan: &plan,
                req,
                counters: &counters,
                index: &index,
                visible: index.visible_from_where(pkg.all_imports(), sees),
                emptied: &emptied[i],
            };
            work.run(roles[i], cache.as_ref())
        },
        |i, (audit, facts): PackageResult| {
            if roles[i] == Role::Report {
                counters.add(&audit);
                progress.tick(&counters);
            }
            if let Some(facts) = facts {
                index.add_local(Arc::new(facts));
            }
            audit
        },
    );
    let mut findings = Vec::new();
    let mut files = FileTable::default();
    for audit in audits.into_iter().flatten() {
        findings.extend(audit.findings);
        files.extend(audit.files);
        counters
            .suppressed_findings
            .lock()
            .expect("not poisoned")
            .extend(audit.suppressed);
    }
    progress.finish();
    if let Some(c) = &cache {
        c.trim();
    }
    let analyse_ms = ms(analyse_start.elapsed());
    let wait_start = Instant::now();
    let runs = running.wait();
    let tools_wait_ms = ms(wait_start.elapsed());
    let (tool_findings, tool_suppressed) = crate::merge::place(&runs, &found.root, &files);
    counters
        .suppressed_findings
        .lock()
        .expect("not poisoned")
        .extend(tool_suppressed);
    let findings = crate::merge::merge(findings.into_iter().chain(tool_findings).collect());
    let summary = summarize(
        &found,
        reported,
        &plan,
        &counters,
        &findings,
        Timings {
            discover_ms,
            analyse_ms,
            parse_cpu_ms: counters.parse_ns.load(Ordering::Relaxed) as f64 / 1e6,
            rules_cpu_ms: counters.rules_ns.load(Ordering::Relaxed) as f64 / 1e6,
            index_cpu_ms: counters.index_ns.load(Ordering::Relaxed) as f64 / 1e6,
            facts_only_cpu_ms: counters.facts_only_ns.load(Ordering::Relaxed) as f64 / 1e6,
            deps_ms,
            report_ms: 0.0,
            tools: runs
                .iter()
                .map(|r| (r.tool.name().to_string(), ms(r.wall)))
                .collect(),
            tools_wait_ms,
            cache: cache.as_ref().map(|c| CacheStats {
                hits: c.hits.load(Ordering::Relaxed),
                misses: c.misses.load(Ordering::Relaxed),
            }),
        },
        started,
    );
    let mut summary = summary;
    summary.tools = tool_summaries(&runs, &findings);
    summary.notifications.extend(tool_notifications(&runs));
    record_unreadable(&mut summary, &found);
    summary.shard = req.shard;
    summary.identity = Some(crate::shard::identity(req.settings, &found));
    summary.calls = CallStats {
        total: counters.calls.load(Ordering::Relaxed),
        exact: counters.calls_exact.load(Ordering::Relaxed),
        voted: counters.calls_voted.load(Ordering::Relaxed),
        dep_packages,
    };
    let mut suppressed = counters
        .suppressed_findings
        .into_inner()
        .expect("not poisoned");
    finding::finalize(&mut suppressed);
    Ok(Outcome {
        findings,
        suppressed,
        summary,
    })
}

/// The result cache, unless the run asked for none or measures what the cache would hide.
fn open_cache(req: &Request) -> Option<ResultCache> {
    if req.parse_only || req.stats {
        return None;
    }
    ResultCache::open(req.cache_dir.as_deref()?, req.settings)
}

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

/// A tool that failed or timed out is an error of the run; one skipped (`auto`), a note.
/// Names the folders that could not be read in the summary and as error notifications (SARIF
/// and the Markdown report show them).
fn record_unreadable(summary: &mut Summary, found: &discover::Discovery) {
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

fn summarize(
    found: &Discovery,
    packages: usize,
    plan: &Plan,
    c: &Counters,
    findings: &[Finding],
    timings: Timings,
    started: Instant,
) -> Summary {
    let mut summary = Summary {
        root: found.root.display().to_string(),
        packages,
        files: c.files.load(Ordering::Relaxed),
        lines: c.lines.load(Ordering::Relaxed),
        bytes: c.bytes.load(Ordering::Relaxed),
        generated_files: c.generated.load(Ordering::Relaxed),
        rules: plan
            .active
            .iter()
            .map(|a| a.rule.id().to_string())
            .collect(),
        suppressed: c.suppressed_findings.lock().expect("not poisoned").len(),
        duration_ms: ms(started.elapsed()),
        timings,
        ..Summary::default()
    };
    summary.recount(findings);
    summary
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One package's turn in the pipeline, with everything it reads.
struct PackageWork<'a> {
    found: &'a Discovery,
    pkg: &'a Package,
    plan: &'a Plan<'a>,
    req: &'a Request<'a>,
    counters: &'a Counters,
    index: &'a Index,
    /// The packages whose facts it sees.
    visible: Visible,
    /// For a package read for its facts only: the functions whose bodies no rule needs
    /// (`skeleton`), sorted.
    emptied: &'a [String],
}

impl PackageWork<'_> {
    /// The package's result for its role: from the cache when an intact entry matches,
    /// otherwise audited (or, for a package only imported by a shard's share, its facts
    /// extracted) and stored.
    fn run(&self, role: Role, cache: Option<&ResultCache>) -> PackageResult {
        let rel = |p: &Path| self.found.rel(p);
        let key = cache.and_then(|c| c.key(self.pkg, &rel, &self.visible, self.index));
        if let (Some(c), Some(key)) = (cache, key) {
            let entry = match role {
                Role::Report => c.load(key),
                // A full entry holds the facts too.
                _ => c.load_any(&[key.facts_only(self.emptied), key]),
            };
            if let Some(entry) = entry {
                let audit = match role {
                    Role::Report => entry.audit,
                    _ => PackageAudit::default(),
                };
                return (audit, Some(entry.facts));
            }
        }
        if role == Role::Facts {
            // Stored apart from full entries, which must hold the package's audit too.
            let t = Instant::now();
            let facts = self.facts_only();
            self.counters
                .facts_only_ns
                .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
            if let (Some(c), Some(key)) = (cache, key) {
                c.store(
                    key.facts_only(self.emptied),
                    &facts,
                    &PackageAudit::default(),
                );
            }
            return (PackageAudit::default(), Some(facts));
        }
        let (audit, facts) = self.audit();
        if let (Some(c), Some(key), Some(facts)) = (cache, key, &facts) {
            c.store(key, facts, &audit);
        }
        (audit, facts)
    }

    /// Parses the package's files in parallel, extracts its facts, runs the package-level rules
    /// once over all the files, then the per-file rules on each file in parallel with the facts
    /// and the index, and drops the trees.
    fn audit(&self) -> PackageResult {
        let (req, plan, c) = (self.req, self.plan, self.counters);
        let files = self.parse();
        if req.parse_only {
            files.par_iter().for_each(walk_only);
            let audit = PackageAudit {
                counts: FileCounts::of(&files),
                ..PackageAudit::default()
            };
            return (audit, None);
        }
        let t = Instant::now();
        let (facts, own, imports) = package_facts(self.pkg, &files, self.index, &self.visible);
        c.index_ns
            .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let scope = Scope {
            index: self.index,
            current: &own,
            visible: Some(&self.visible),
        };
        let t = Instant::now();
        let package = package_info(self.pkg, &files, plan);
        let env = PackageEnv {
            scope: &scope,
            info: &package,
        };
        let contexts = file_contexts(&files, &imports, &env);
        let (mut pre, failures, taint, contexts) =
            package_rules(&files, contexts, plan, req.settings);
        c.rules_ns
            .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        pre.resize_with(files.len(), Vec::new);
        let work: Vec<_> = files.iter().zip(contexts).zip(pre).collect();
        let size = |((file, _), _): &((&SourceFile, _), _)| file.text.len() as u64;
        let per_file: Vec<(FileAudit, (String, AuditedFile))> =
            largest_first(work, size, |((file, cx), pre)| {
                let t = Instant::now();
                let out = audit_file(file, cx, plan, req, c, pre);
                // Kept past the tree, so the tools' findings can be filtered after they end.
                let audited = AuditedFile {
                    generated: file.generated,
                    suppressions: out.suppressions.clone(),
                };
                c.rules_ns
                    .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                (out, (file.rel.clone(), audited))
            });
        let mut audit = PackageAudit {
            findings: failures,
            counts: FileCounts::of(&files),
            ..PackageAudit::default()
        };
        for (out, file) in per_file {
            audit.findings.extend(out.findings);
            audit.suppressed.extend(out.suppressed);
            audit.files.push(file);
        }
        let mut facts = facts;
        if let Some(taint) = taint {
            // Importers read the taint summaries (parameter i reaches sink kind K) from the index.
            facts.taint = taint;
            facts.taint_done = true;
        }
        (audit, Some(facts))
    }

    fn parse(&self) -> Vec<SourceFile> {
        let files: Vec<(&PathBuf, u64)> = self
            .pkg
            .files
            .iter()
            .zip(self.pkg.sizes.iter().copied())
            .collect();
        largest_first(
            files,
            |&(_, size)| size,
            |(path, _)| {
                let t = Instant::now();
                let file = SourceFile::load(path, self.found.rel(path));
                self.counters
                    .parse_ns
                    .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                file
            },
        )
    }

    /// The facts of a package a shard does not report but its share imports: its non-test files
    /// parsed, the bodies no rule needs emptied, not audited, not counted; with the taint
    /// summaries the full run would export for every function a needed body may call.
    fn facts_only(&self) -> PackageFacts {
        let paths: Vec<(&Path, String)> = self
            .pkg
            .files
            .iter()
            .filter(|path| !crate::source::is_test_path(&path.to_string_lossy()))
            .map(|path| (path.as_path(), self.found.rel(path)))
            .collect();
        let empty = |name: &str| {
            self.emptied
                .binary_search_by(|e| e.as_str().cmp(name))
                .is_ok()
        };
        let files = crate::skeleton::load(&paths, empty);
        let (mut facts, own, imports) = package_facts(self.pkg, &files, self.index, &self.visible);
        if self.plan.taint {
            let scope = Scope {
                index: self.index,
                current: &own,
                visible: Some(&self.visible),
            };
            let contexts = files
                .iter()
                .zip(&imports)
                .filter_map(|(f, im)| Some(FileContext::with_index(f, f.root()?, &scope, im)));
            let cx = PackageContext::new(contexts.collect());
            if let Ok(Some(taint)) = guarded(|| {
                cx.taint();
                cx.taint_summaries().cloned()
            }) {
                facts.taint = taint;
                facts.taint_done = true;
            }
        }
        facts
    }
}

/// `work` on each item in parallel, the largest first (one item a task), so that a package's
/// largest file (the compiler's 3 MB `opGen.go`) does not start last and leave the other cores
/// idle behind it; the results in the items' order.
fn largest_first<T: Send, R: Send>(
    items: Vec<T>,
    size: impl Fn(&T) -> u64,
    work: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    let mut sized: Vec<(u64, usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(i, t)| (size(&t), i, t))
        .collect();
    sized.sort_by_key(|&(size, i, _)| (Reverse(size), i));
    let mut done: Vec<(usize, R)> = sized
        .into_par_iter()
        .with_max_len(1)
        .map(|(_, i, t)| (i, work(t)))
        .collect();
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Each file's context (`None` for a file without a tree), made once and shared by the
/// package-level and the per-file rules, so what they compute lazily (local types, resolved
/// calls, function tables) is computed once per file.
fn file_contexts<'a>(
    files: &'a [SourceFile],
    imports: &'a [FileImports],
    env: &PackageEnv<'a>,
) -> Vec<Option<FileContext<'a>>> {
    files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let root = file.root()?;
            let cx = match imports.get(i) {
                Some(im) => FileContext::with_index(file, root, env.scope, im),
                None => FileContext::new(file, root),
            };
            Some(cx.in_package(env.info))
        })
        .collect()
}

/// The file contexts given back by `package_rules`, one per file.
type Contexts<'a> = Vec<Option<FileContext<'a>>>;

/// Runs every rule's `check_package` once over the package: the diagnostics per file and per
/// rule (seeding each file's own), `internal-error` findings for rules that panicked, and the
/// contexts, given back for the per-file rules.
fn package_rules<'a>(
    files: &[SourceFile],
    contexts: Contexts<'a>,
    plan: &Plan,
    settings: &Settings,
) -> PackageRules<'a> {
    let parsed: Vec<usize> = (0..files.len())
        .filter(|&i| contexts[i].is_some())
        .collect();
    let mut files_cx: Vec<FileContext> = contexts.into_iter().flatten().collect();
    if plan.taint {
        // The taint analysis reads every file's local types: build them on all threads first,
        // not one file after another inside the analysis.
        files_cx.par_iter_mut().for_each(|f| {
            f.types();
        });
    }
    let mut cx = PackageContext::new(files_cx);
    let mut pre = vec![vec![Vec::new(); plan.active.len()]; files.len()];
    let mut failures = Vec::new();
    for (r, a) in plan.active.iter().enumerate() {
        let mut out = Vec::new();
        match guarded(|| a.rule.check_package(&cx, a.settings, &mut out)) {
            Ok(()) => {
                for d in out {
                    if let Some(&file) = parsed.get(d.file) {
                        pre[file][r].push(d.diagnostic);
                    }
                }
            }
            Err(msg) => failures.push(engine_finding(
                &files[parsed[0]],
                "internal-error",
                1,
                1,
                format!(
                    "rule {} crashed on this package and its findings are incomplete: {msg}",
                    a.rule.id()
                ),
                settings,
            )),
        }
    }
    let taint = cx.taint_summaries().cloned();
    let mut back: Contexts = (0..files.len()).map(|_| None).collect();
    for (i, f) in parsed.into_iter().zip(std::mem::take(&mut cx.files)) {
        back[i] = Some(f);
    }
    (pre, failures, taint, back)
}

/// Diagnostics per file and rule, `internal-error` findings, the package's taint summaries
/// (when a taint rule computed them), and each parsed file's context: the per-file rules reuse
/// what the package rules already worked out (its local types, its metrics).
type PackageRules<'a> = (
    Vec<Vec<Vec<Diagnostic>>>,
    Vec<Finding>,
    Option<HashMap<String, crate::index::TaintSummary>>,
    Contexts<'a>,
);

/// A package's facts (generated files included): what its importers see (its non-test files),
/// what its own files see (test files' declarations too), and each file's imports.
fn package_facts(
    pkg: &Package,
    files: &[SourceFile],
    index: &Index,
    visible: &Visible,
) -> (PackageFacts, PackageFacts, Vec<FileImports>) {
    let name_of = |path: &str| {
        index
            .package_seen(path, Some(visible))
            .map(|p| p.name.clone())
    };
    let per_file: Vec<(FileImports, PackageFacts)> = files
        .par_iter()
        .map(|f| match f.root() {
            Some(root) => {
                let imports = extract::file_imports(root, &f.text, &name_of);
                let facts = extract::file_facts(root, &f.text, &pkg.import_path, &imports);
                (imports, facts)
            }
            None => (FileImports::default(), PackageFacts::default()),
        })
        .collect();
    let (imports, per_file): (Vec<_>, Vec<_>) = per_file.into_iter().unzip();
    let is_test = SourceFile::is_test;
    let (mut code, mut tests) = (Vec::new(), Vec::new());
    for (file, facts) in files.iter().zip(per_file) {
        match is_test(file) {
            true => tests.push(facts),
            false => code.push(facts),
        }
    }
    let infer = crate::analysis::types::infer_package_vars;
    let mut exported = PackageFacts::of_files(&pkg.import_path, code);
    let code_files: Vec<usize> = (0..files.len()).filter(|&i| !is_test(&files[i])).collect();
    infer(files, &imports, &code_files, index, visible, &mut exported);
    let mut own = exported.clone();
    if !tests.is_empty() {
        own = own.with_tests(tests);
        let all: Vec<usize> = (0..files.len()).collect();
        infer(files, &imports, &all, index, visible, &mut own);
    }
    (exported, own, imports)
}

/// The package-wide facts the enabled rules read.
fn package_info(pkg: &Package, files: &[SourceFile], plan: &Plan) -> PackageInfo {
    let wants_concurrency = plan.active.iter().any(|a| a.rule.needs_concurrency_facts());
    PackageInfo {
        go_version: pkg.go_version,
        concurrency: wants_concurrency
            .then(|| crate::analysis::concurrency::ConcurrencyFacts::of(files)),
    }
}

/// What the files of a package share while their rules run: the index and the package's facts.
struct PackageEnv<'a> {
    scope: &'a Scope<'a>,
    info: &'a PackageInfo,
}

/// The parse-only baseline still visits every node once, as the rules' walk does.
fn walk_only(file: &SourceFile) {
    if let Some(root) = file.root() {
        let n = preorder(root).map(|n| n.kind_id() as usize).sum::<usize>();
        std::hint::black_box(n);
    }
}

/// What the rules found in one file, sorted by whether a comment silenced it.
#[derive(Default)]
struct FileAudit {
    findings: Vec<Finding>,
    suppressed: Vec<Finding>,
    suppressions: Suppressions,
}

/// Runs every enabled rule over one file and turns its diagnostics into findings; returns them
/// with the file's suppressions.
fn audit_file(
    file: &SourceFile,
    cx: Option<FileContext>,
    plan: &Plan,
    req: &Request,
    c: &Counters,
    pre: Vec<Vec<Diagnostic>>,
) -> FileAudit {
    let settings = req.settings;
    if file.generated {
        return FileAudit::default();
    }
    let mut findings = Vec::new();
    if let Some(p) = &file.problem {
        if settings.enabled("parse-error") {
            findings.push(engine_finding(
                file,
                "parse-error",
                p.line,
                p.column,
                p.message.clone(),
                settings,
            ));
        }
    }
    findings.extend(budget_findings(file, &file.overruns, settings));
    let Some(cx) = cx else {
        return FileAudit {
            findings,
            ..FileAudit::default()
        };
    };
    let root = cx.root;
    if req.stats {
        count_calls(&cx, c);
    }
    let mut per_rule = pre;
    per_rule.resize_with(plan.active.len(), Vec::new);
    let mut failed: Vec<Option<String>> = vec![None; plan.active.len()];
    for (i, a) in plan.active.iter().enumerate() {
        if let Err(msg) = guarded(|| a.rule.check_file(&cx, a.settings, &mut per_rule[i])) {
            failed[i] = Some(msg);
        }
    }
    if plan.walks {
        for node in preorder(root) {
            // ERROR nodes have kind id u16::MAX, beyond the grammar's kinds: no rule asks for them.
            let wanted = plan.by_kind.get(node.kind_id() as usize);
            for &i in wanted.into_iter().flatten() {
                if failed[i].is_some() {
                    continue;
                }
                let a = &plan.active[i];
                if let Err(msg) =
                    guarded(|| a.rule.check_node(node, &cx, a.settings, &mut per_rule[i]))
                {
                    failed[i] = Some(msg);
                }
            }
        }
    }
    findings.extend(budget_findings(file, &cx.take_overruns(), settings));
    let suppressions = Suppressions::of(file);
    let mut suppressed = Vec::new();
    for (i, diags) in per_rule.into_iter().enumerate() {
        let a = &plan.active[i];
        for d in diags {
            let f = to_finding(&cx, a.rule.id(), a.settings.severity, d);
            if suppressions.covers(&f.rule, f.location.start.line) {
                suppressed.push(f);
            } else {
                findings.push(f);
            }
        }
        if let Some(msg) = &failed[i] {
            findings.push(engine_finding(
                file,
                "internal-error",
                1,
                1,
                format!(
                    "rule {} crashed on this file and its findings here are incomplete: {msg}",
                    a.rule.id()
                ),
                settings,
            ));
        }
    }
    FileAudit {
        findings,
        suppressed,
        suppressions,
    }
}

/// `--stats`: every call site, and whether the index resolved it.
fn count_calls(cx: &FileContext, c: &Counters) {
    let Some(types) = cx.types() else { return };
    let call = crate::syntax::kinds::k().call_expression;
    for node in preorder(cx.root) {
        if node.kind_id() != call {
            continue;
        }
        c.calls.fetch_add(1, Ordering::Relaxed);
        let callee = types.callee(node);
        if std::env::var_os("GOAUDIT_TRACE_CALLS").is_some() {
            trace_call(cx, node, callee.as_deref());
        }
        match callee.map(|c| c.certain()) {
            Some(true) => c.calls_exact.fetch_add(1, Ordering::Relaxed),
            Some(false) => c.calls_voted.fetch_add(1, Ordering::Relaxed),
            None => 0,
        };
    }
}

/// One line per call site on stderr: where, the callee's text, and what it resolved to.
fn trace_call(
    cx: &FileContext,
    node: crate::tree::Node,
    callee: Option<&crate::analysis::types::Callee>,
) {
    let f = node.child_by_field_id(crate::syntax::kinds::k().f_function);
    let text = f.map(|f| cx.text(f)).unwrap_or("").replace('\n', " ");
    let what = match callee {
        Some(c) => format!("{:?} {} {}", c.certainty, c.full_name(), c.sig),
        None => "UNRESOLVED".to_string(),
    };
    crate::eprintln_escaped!(
        "call\t{}:{}\t{text}\t{what}",
        cx.file.rel,
        node.start_position().row + 1
    );
}

/// One `analysis-budget` finding for each place an analysis of `file` stopped for its budget.
fn budget_findings(file: &SourceFile, overruns: &[Overrun], settings: &Settings) -> Vec<Finding> {
    if !settings.enabled("analysis-budget") {
        return Vec::new();
    }
    overruns
        .iter()
        .map(|o| {
            let (line, column) = file.position(o.byte);
            engine_finding(
                file,
                "analysis-budget",
                line,
                column,
                o.message.clone(),
                settings,
            )
        })
        .collect()
}

fn engine_finding(
    file: &SourceFile,
    rule: &str,
    line: usize,
    column: usize,
    message: String,
    settings: &Settings,
) -> Finding {
    let meta = crate::catalogue::catalogue()
        .get(rule)
        .expect("engine rules are in the catalogue (tested)");
    let severity = settings
        .rules
        .get(rule)
        .map(|r| r.severity)
        .unwrap_or_else(|| meta.severity());
    let snippet = file.line_text(line).to_string();
    let end = Position {
        line,
        column: column.max(snippet.len() + 1),
    };
    Finding {
        rule: rule.to_string(),
        category: meta.category(),
        severity,
        fingerprint: finding::fingerprint(rule, &file.rel, None, &snippet),
        message,
        location: Location {
            file: file.rel.clone(),
            start: Position { line, column },
            end,
        },
        related: Vec::new(),
        sources: vec![Source::Builtin],
        snippet,
        fix: None,
        function: None,
        metrics: BTreeMap::new(),
    }
}

fn location(file: &SourceFile, start: usize, end: usize) -> Location {
    let (sl, sc) = file.position(start);
    let (el, ec) = file.position(end.max(start));
    Location {
        file: file.rel.clone(),
        start: Position {
            line: sl,
            column: sc,
        },
        end: Position {
            line: el,
            column: ec,
        },
    }
}

/// The Finding for a rule's diagnostic: position, snippet, enclosing function, fingerprint.
fn to_finding(cx: &FileContext, rule: &str, severity: Severity, d: Diagnostic) -> Finding {
    let file = cx.file;
    let meta = crate::catalogue::catalogue()
        .get(rule)
        .expect("every engine has a catalogue entry (tested)");
    let location = location(file, d.start_byte, d.end_byte);
    let last = location.end.line.min(location.start.line + 4);
    let snippet = (location.start.line..=last)
        .map(|l| file.line_text(l))
        .collect::<Vec<_>>()
        .join("\n");
    let function = enclosing_function(cx, d.start_byte);
    Finding {
        rule: rule.to_string(),
        category: meta.category(),
        severity: d.severity.unwrap_or(severity),
        fingerprint: finding::fingerprint(
            rule,
            &file.rel,
            function.as_deref(),
            file.line_text(location.start.line),
        ),
        message: d.message,
        related: d
            .related
            .into_iter()
            .map(|(s, e, message)| Related {
                location: location_of(file, s, e),
                message,
            })
            .collect(),
        location,
        sources: vec![Source::Builtin],
        snippet,
        fix: d.fix,
        function,
        metrics: d
            .metrics
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

fn location_of(file: &SourceFile, start: usize, end: usize) -> Location {
    location(file, start, end)
}

/// The name (gocyclo's spelling) of the function declaration that holds `byte`, if any.
fn enclosing_function(cx: &FileContext, byte: usize) -> Option<String> {
    let metrics = cx.metrics();
    metrics
        .iter()
        .rev()
        .find(|m| {
            let start = cx.file.byte_at(m.line, m.column);
            let end = cx.file.byte_at(m.end_line + 1, 1);
            start <= byte && byte < end
        })
        .map(|m| m.name.clone())
}

/// A one-line progress count on stderr, only when stderr is a terminal.
struct Progress {
    enabled: bool,
    total: usize,
}

impl Progress {
    fn new(requested: bool, total: usize) -> Progress {
        Progress {
            enabled: requested && std::io::stderr().is_terminal(),
            total,
        }
    }

    fn tick(&self, c: &Counters) {
        if self.enabled {
            let done = c.packages_done.fetch_add(1, Ordering::Relaxed) + 1;
            let _ = write!(
                std::io::stderr(),
                "\r\x1b[2Kauditing: {done}/{} packages, {} files",
                self.total,
                c.files.load(Ordering::Relaxed)
            );
        }
    }

    fn finish(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
