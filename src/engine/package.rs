//! One package's turn: its result from the cache, or its files parsed, its facts extracted,
//! the package rules run over all its files at once and the file rules on each file
//! (`file`); then its trees dropped.

use super::file::{audit_file, walk_only, FileAudit};
use super::guard::{guarded, Crash, Stage};
use super::plan;
use super::{Audited, PackageResult};
use crate::cache::ResultCache;
use crate::discover::Package;
use crate::finding::Finding;
use crate::fxhash::HashMap;
use crate::index::extract::FileImports;
use crate::index::{PackageFacts, Scope, Visible};
use crate::outcome::{AuditedFile, FileCounts, PackageAudit};
use crate::rules::{Diagnostic, FileContext, PackageContext, PackageInfo};
use crate::schedule::Role;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// One package's turn in the pipeline, with everything it reads.
pub(super) struct PackageWork<'a> {
    pub run: &'a Audited<'a>,
    pub pkg: &'a Package,
    /// The packages whose facts it sees.
    pub visible: Visible,
    /// For a package read for its facts only: the functions whose bodies no rule needs
    /// (`skeleton`), sorted.
    pub emptied: &'a [String],
    /// The `internal-error` findings of the crashes caught so far.
    pub crashes: Mutex<Vec<Finding>>,
    /// Hands the package's final facts to its importers as soon as they are known (before the
    /// rules no importer reads), so they need not wait for the whole audit.
    pub publish: &'a (dyn Fn(PackageFacts) + Sync),
}

impl PackageWork<'_> {
    /// `run` with a safety net: a panic the stages did not catch themselves becomes an
    /// `internal-error` finding on the package (stage `package`), without facts.
    pub fn guarded_run(&self, role: Role, cache: Option<&ResultCache>) -> PackageResult {
        match guarded(|| self.run(role, cache)) {
            Ok(result) => result,
            Err(msg) => {
                self.package_crash(Stage::Package, &msg);
                let audit = PackageAudit {
                    findings: self.take_crashes(),
                    ..PackageAudit::default()
                };
                (audit, None)
            }
        }
    }

    /// Records the `internal-error` finding of a crash.
    pub(super) fn crash(&self, crash: Crash, msg: &str) {
        let finding = crash.finding(msg, self.run.req.settings);
        self.crashes.lock().expect("not poisoned").push(finding);
    }

    /// Records a crash on the whole package, reported at its first file.
    pub(super) fn package_crash(&self, stage: Stage, msg: &str) {
        let first = self.pkg.files.first().map(|p| self.run.found.rel(p));
        let crash = Crash {
            rel: first.as_deref().unwrap_or(&self.pkg.import_path),
            first_line: "",
            package: Some(&self.pkg.import_path),
            stage,
        };
        self.crash(crash, msg);
    }

    /// The crashes' findings recorded so far, taken.
    pub(super) fn take_crashes(&self) -> Vec<Finding> {
        std::mem::take(&mut *self.crashes.lock().expect("not poisoned"))
    }

    /// The package's result for its role: from the cache when an intact entry matches,
    /// otherwise audited (or, for a package only imported by a shard's share, its facts
    /// extracted) and stored.
    pub fn run(&self, role: Role, cache: Option<&ResultCache>) -> PackageResult {
        let rel = |p: &Path| self.run.found.rel(p);
        let overlaid = self
            .run
            .req
            .overlay
            .is_some_and(|o| o.covers_any(self.pkg.files.iter()));
        let key = cache
            .filter(|_| !overlaid)
            .and_then(|c| c.key(self.pkg, &rel, &self.visible, self.run.index));
        if let (Some(c), Some(key)) = (cache, key) {
            if let Some(result) = plan::cached(c, key, role, self.emptied) {
                return result;
            }
        }
        if role == Role::Facts {
            // Stored apart from full entries, which must hold the package's audit too.
            let facts = timed(&self.run.counters.facts_only_ns, || self.facts_only());
            if let (Some(c), Some(key)) = (cache, key) {
                let none = PackageAudit::default();
                c.store(key.facts_only(self.emptied), &facts, &none);
            }
            let audit = PackageAudit {
                findings: self.take_crashes(),
                ..PackageAudit::default()
            };
            return (audit, Some(facts));
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
        let files = self.parse();
        if self.run.req.parse_only {
            files.par_iter().for_each(walk_only);
            let audit = PackageAudit {
                counts: FileCounts::of(&files),
                ..PackageAudit::default()
            };
            return (audit, None);
        }
        let c = self.run.counters;
        let (facts, own, imports) = timed(&c.index_ns, || self.facts(&files));
        let scope = Scope {
            index: self.run.index,
            current: &own,
            visible: Some(&self.visible),
        };
        let publish = |taint: Option<&TaintSummaries>| (self.publish)(with_taint(&facts, taint));
        let (mut audit, taint) = self.rules(&files, &imports, &scope, &publish);
        audit.findings.extend(self.take_crashes());
        (audit, Some(with_taint(&facts, taint.as_ref())))
    }

    /// The package rules over all the files, then the file rules on each: the package's audit
    /// and the taint summaries the package rules computed, if any. Each part adds its thread
    /// time to the rules' counter.
    fn rules(
        &self,
        files: &[SourceFile],
        imports: &[FileImports],
        scope: &Scope,
        publish: Publish,
    ) -> (PackageAudit, Option<TaintSummaries>) {
        let t = Instant::now();
        let package = self.package_info(files);
        let env = PackageEnv {
            scope,
            info: &package,
        };
        let contexts = file_contexts(files, imports, &env);
        let (mut pre, failures, taint, contexts) = self.package_rules(files, contexts, publish);
        let spent = t.elapsed().as_nanos() as u64;
        self.run
            .counters
            .rules_ns
            .fetch_add(spent, Ordering::Relaxed);
        pre.resize_with(files.len(), Vec::new);
        let mut audit = PackageAudit {
            findings: failures,
            counts: FileCounts::of(files),
            ..PackageAudit::default()
        };
        for (out, file) in self.file_rules(files, contexts, pre) {
            audit.findings.extend(out.findings);
            audit.suppressed.extend(out.suppressed);
            audit.files.push(file);
        }
        (audit, taint)
    }

    /// The file rules on each file in parallel, largest first: each file's audit, and what is
    /// kept of the file past its tree, so the tools' findings can be filtered after they end.
    fn file_rules(
        &self,
        files: &[SourceFile],
        contexts: Contexts,
        pre: Vec<Vec<Vec<Diagnostic>>>,
    ) -> Vec<(FileAudit, (String, AuditedFile))> {
        let run = self.run;
        let work: Vec<_> = files.iter().zip(contexts).zip(pre).collect();
        let size = |((file, _), _): &((&SourceFile, _), _)| file.text.len() as u64;
        largest_first(work, size, |((file, cx), pre)| {
            let t = Instant::now();
            let out = audit_file(file, cx, run.plan, run.req, run.counters, pre);
            let audited = AuditedFile {
                generated: file.generated,
                suppressions: out.suppressions.clone(),
            };
            let spent = t.elapsed().as_nanos() as u64;
            run.counters.rules_ns.fetch_add(spent, Ordering::Relaxed);
            (out, (file.rel.clone(), audited))
        })
    }

    /// Reads and parses the package's files in parallel, largest first.
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
            |(path, _)| timed(&self.run.counters.parse_ns, || self.parse_file(path)),
        )
    }

    /// Reads and parses one file; a file whose parse crashed has no text and no tree.
    fn parse_file(&self, path: &Path) -> SourceFile {
        let parsed = guarded(|| {
            let rel = self.run.found.rel(path);
            self.run.faults.check(Stage::Parse, &rel);
            SourceFile::load_over(path, rel, self.run.req.overlay)
        });
        parsed.unwrap_or_else(|msg| {
            let rel = self.run.found.rel(path);
            let crash = Crash {
                rel: &rel,
                first_line: "",
                package: None,
                stage: Stage::Parse,
            };
            self.crash(crash, &msg);
            let mut file = SourceFile::unreadable(path, rel, String::new());
            file.problem = None;
            file
        })
    }
}

/// Runs `f`, adding the nanoseconds it took to `counter`.
fn timed<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    counter.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
    out
}

/// `work` on each item in parallel, the largest first (one item a task), so that a package's
/// largest file (the compiler's 3 MB `opGen.go`) does not start last and leave the other cores
/// idle behind it; the results in the items' order.
pub(super) fn largest_first<T: Send, R: Send>(
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

/// What the files of a package share while their rules run: the index and the package's facts.
struct PackageEnv<'a> {
    scope: &'a Scope<'a>,
    info: &'a PackageInfo<'a>,
}

/// Each file's context (`None` for a file without a tree), made once and shared by the
/// package-level and the per-file rules, so what they compute lazily (local types, resolved
/// calls, function tables) is computed once per file.
fn file_contexts<'a>(
    files: &'a [SourceFile],
    imports: &'a [FileImports],
    env: &PackageEnv<'a>,
) -> Contexts<'a> {
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

/// A package's taint summaries by function, as its importers read them.
type TaintSummaries = HashMap<String, crate::index::TaintSummary>;

/// Publishes the package's facts with the taint summaries computed so far.
type Publish<'p> = &'p dyn Fn(Option<&TaintSummaries>);

/// The package's facts with its taint summaries, which importers read from the index
/// (parameter i reaches sink kind K).
fn with_taint(facts: &PackageFacts, taint: Option<&TaintSummaries>) -> PackageFacts {
    let mut facts = facts.clone();
    if let Some(taint) = taint {
        facts.taint = taint.clone();
        facts.taint_done = true;
    }
    facts
}

/// The indices of the active rules, those that read the taint flows first: once they have run
/// the package's facts are final and can be published before the other rules run.
fn taint_readers_first(plan: &plan::Plan) -> Vec<usize> {
    let (mut first, rest): (Vec<usize>, Vec<usize>) =
        (0..plan.active.len()).partition(|&r| plan.active[r].rule.needs_taint());
    first.extend(rest);
    first
}

/// Diagnostics per file and rule, `internal-error` findings, the package's taint summaries
/// (when a taint rule computed them), and each parsed file's context: the per-file rules reuse
/// what the package rules already worked out (its local types, its metrics).
type PackageRules<'a> = (
    Vec<Vec<Vec<Diagnostic>>>,
    Vec<crate::finding::Finding>,
    Option<TaintSummaries>,
    Contexts<'a>,
);

impl PackageWork<'_> {
    /// Runs every rule's `check_package` once over the package: the diagnostics per file and per
    /// rule (seeding each file's own), `internal-error` findings for rules that panicked, and the
    /// contexts, given back for the per-file rules.
    fn package_rules<'a>(
        &self,
        files: &'a [SourceFile],
        contexts: Contexts<'a>,
        publish: Publish,
    ) -> PackageRules<'a> {
        let plan = self.run.plan;
        let parsed: Vec<usize> = (0..files.len())
            .filter(|&i| contexts[i].is_some())
            .collect();
        let mut files_cx: Vec<FileContext> = contexts.into_iter().flatten().collect();
        if plan.taint {
            // The taint analysis reads every file's local types: build them on all threads first,
            // not one file after another inside the analysis.
            files_cx.par_iter_mut().for_each(|f| self.build_types(f));
        }
        let mut cx = PackageContext::new(files_cx);
        let mut pre = vec![vec![Vec::new(); plan.active.len()]; files.len()];
        let mut failures = Vec::new();
        let order = taint_readers_first(plan);
        let readers = plan.active.iter().filter(|a| a.rule.needs_taint()).count();
        for (n, &r) in order.iter().enumerate() {
            if n == readers {
                publish(cx.taint_summaries());
            }
            let a = &plan.active[r];
            let mut out = Vec::new();
            match guarded(|| a.rule.check_package(&cx, a.settings, &mut out)) {
                Ok(()) => {
                    for d in out {
                        if let Some(&file) = parsed.get(d.file) {
                            pre[file][r].push(d.diagnostic);
                        }
                    }
                }
                Err(msg) => {
                    let at = &files[parsed.first().copied().unwrap_or(0)];
                    let crash = Crash {
                        rel: &at.rel,
                        first_line: at.line_text(1),
                        package: Some(&self.pkg.import_path),
                        stage: Stage::Rules(a.rule.id()),
                    };
                    failures.push(crash.finding(&msg, self.run.req.settings));
                }
            }
        }
        if order.len() == readers {
            publish(cx.taint_summaries());
        }
        let taint = cx.taint_summaries().cloned();
        let mut back: Contexts = (0..files.len()).map(|_| None).collect();
        for (i, f) in parsed.into_iter().zip(std::mem::take(&mut cx.files)) {
            back[i] = Some(f);
        }
        (pre, failures, taint, back)
    }

    /// The package-wide facts the enabled rules read (each computed on first use, under the
    /// guard of the rule that first asks).
    fn package_info<'a>(&self, files: &'a [SourceFile]) -> PackageInfo<'a> {
        PackageInfo::new(self.pkg.go_version, files)
    }

    /// Builds a file's local types ahead of the rules that read them.
    fn build_types(&self, cx: &mut FileContext) {
        if let Err(msg) = guarded(|| {
            cx.types();
        }) {
            self.crash(Crash::file(cx.file, Stage::Types), &msg);
        }
    }
}
