//! The engine: what a run does between the command line and the reports. Reports read only the
//! `Outcome` it returns.
//!
//! A run goes through these phases, each in its own file:
//!
//! 1. `plan`: the enabled rules and the node kinds each wants, each package's role under
//!    `--shard` (and, for a package read for its facts only, the bodies its skeleton empties),
//!    and the result cache; a package whose cache entry matches is not worked on again.
//! 2. `package`: per package, in import order and independent ones in parallel: its files read
//!    and parsed (largest first), its facts (`facts`: what its importers see, local types), the
//!    package rules over all its files at once; its trees dropped at the end.
//! 3. `file`: per file of a package, in parallel: the file rules and the one walk that hands each
//!    node to the rules that asked for its kind; diagnostics become findings (`findings`),
//!    suppressed or not.
//! 4. `stats`: the counters the phases add to, and the run's `Summary` and `Timings`; at the
//!    end, once every finding (the external tools' too) is suppressed or not,
//!    `unused_nolint` judges the suppression comments by what they silenced.
//!
//! `guard` turns a panic into an `internal-error` finding so that one crash does not end the
//! run. The engine is given the rules to run (`Engine::with_rules`; `Engine::builtin` is the
//! registry) and reports its progress through `Progress`, knowing nothing of terminals.

mod facts;
mod file;
mod findings;
mod guard;
mod package;
mod per_function;
mod plan;
mod stats;
#[cfg(test)]
mod tests;
mod unused_nolint;

pub use guard::{install_panic_hook, IN_GUARD};

use crate::config::Settings;
use crate::discover::{self, Discovery};
use crate::external;
use crate::index::{Index, PackageFacts};
use crate::outcome::{Outcome, PackageAudit};
use crate::rules::{registry, Rule};
use crate::schedule::{Role, Schedule};
use crate::source::Overlay;
use anyhow::Result;
use package::PackageWork;
use plan::{Plan, Roles};
use stats::{ms, Counters};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What to audit and how.
pub struct Request<'a> {
    pub patterns: &'a [String],
    pub settings: &'a Settings,
    /// Read, parse and walk every file, run no rule (the benchmark's baseline).
    pub parse_only: bool,
    /// Told of each reported package done (`None`: no one listens).
    pub progress: Option<&'a dyn Progress>,
    /// Count call sites and how many resolve to a signature (`--stats`).
    pub stats: bool,
    /// Index dependencies' exported signatures from the module cache (`--deps`).
    pub deps: bool,
    /// Report only this shard's packages (`--shard I/N`).
    pub shard: Option<crate::shard::Shard>,
    /// Keep and reuse packages' results in this folder (`--cache-dir`; `None`: `--no-cache`).
    pub cache_dir: Option<std::path::PathBuf>,
    /// Buffers read in place of files on disk (an editor's unsaved text, standard input); a
    /// package with a buffer is neither looked up in the result cache nor stored there.
    pub overlay: Option<&'a Overlay>,
    /// Report only the packages in these folders (canonical paths): what they import is read
    /// for its facts, the other packages are left alone. `None`: every package matched.
    pub focus: Option<&'a [std::path::PathBuf]>,
    /// Set by another thread to stop the run early (an editor's buffer changed again): the
    /// packages not yet started are left out and the run's outcome is not to be used.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl<'a> Request<'a> {
    /// An audit of `patterns` with every rule and no extras: no progress, no call statistics,
    /// dependencies not indexed (what the tests want).
    pub fn new(patterns: &'a [String], settings: &'a Settings) -> Request<'a> {
        Request {
            patterns,
            settings,
            parse_only: false,
            progress: None,
            stats: false,
            deps: false,
            shard: None,
            cache_dir: None,
            overlay: None,
            focus: None,
            cancel: None,
        }
    }
}

impl Request<'_> {
    /// Whether the run was asked to stop (`cancel`).
    pub fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// How far a run is, told to whoever started it (the command line draws a progress line).
pub trait Progress: Sync {
    /// One more reported package is done: `done` of `total`, `files` files audited so far.
    fn package_done(&self, done: usize, total: usize, files: usize);
    /// Every package is done.
    fn finish(&self);
}

/// The engine with the rules it runs: the settings then say which of them are enabled.
pub struct Engine<'r> {
    rules: &'r [&'r dyn Rule],
    /// Panics injected at chosen stages, for the tests of `guard` (nothing outside tests).
    faults: guard::Faults,
}

impl Engine<'static> {
    /// The engine with every built-in rule (`rules::registry`).
    pub fn builtin() -> Engine<'static> {
        Engine::with_rules(registry())
    }
}

impl<'r> Engine<'r> {
    /// The engine with these rules only (a test adds its own).
    pub fn with_rules(rules: &'r [&'r dyn Rule]) -> Engine<'r> {
        Engine {
            rules,
            faults: guard::Faults::default(),
        }
    }

    /// Runs the audit: finds the requested tools (a missing one is an error), discovers the
    /// packages, starts the tools, runs the rules while they work, then waits for them and
    /// merges their findings.
    pub fn run(&self, req: &Request) -> Result<Outcome> {
        let started = Instant::now();
        let tools = external::prepare(&req.settings.tools)?;
        let found = discover::discover(
            req.patterns,
            &discover::Options {
                tests: req.settings.tests,
                exclude: &req.settings.exclude,
                overlay: req.overlay,
            },
        )?;
        let discover_ms = ms(started.elapsed());
        let running = external::start(tools, &found, req.patterns, req.settings);
        let plan = Plan::new(self.rules, req.settings);
        let counters = Counters::default();
        let index = Index::new();
        let (roles, deps, deps_ms) = plan::roles(&found, req, &plan, &index);
        let analyse_start = Instant::now();
        let run = Audited {
            found: &found,
            req,
            plan: &plan,
            counters: &counters,
            index: &index,
            faults: &self.faults,
        };
        let (audits, cache) = run.packages(&roles);
        let collected = stats::Collected::of(audits);
        stats::Finish {
            found: &found,
            req,
            plan: &plan,
            counters,
            cache: cache.as_ref(),
            reported: roles.reported(),
            started,
            discover_ms,
            analyse_ms: ms(analyse_start.elapsed()),
            deps_ms,
            deps,
        }
        .outcome(collected, running)
    }
}

/// Runs the audit with every built-in rule (`Engine::builtin`).
pub fn run(req: &Request) -> Result<Outcome> {
    Engine::builtin().run(req)
}

/// A package's audit and its facts (none in `--parse-only`); facts alone for a package a shard
/// parses only for them.
type PackageResult = (PackageAudit, Option<PackageFacts>);

/// What every package's work reads during one run.
struct Audited<'a> {
    found: &'a Discovery,
    req: &'a Request<'a>,
    plan: &'a Plan<'a>,
    counters: &'a Counters,
    index: &'a Index,
    faults: &'a guard::Faults,
}

impl Audited<'_> {
    /// Works on every package in schedule order, independent ones in parallel: each package's
    /// audit in package order (`None` for a package no role needs), and the cache used.
    fn packages(
        &self,
        roles: &Roles,
    ) -> (Vec<Option<PackageAudit>>, Option<crate::cache::ResultCache>) {
        let cache = plan::open_cache(self.req);
        let schedule = Schedule::new(self.found, &roles.roles, &roles.through_deps);
        let by_path = self.found.by_import_path();
        let total = roles.reported();
        let audits = schedule.run(
            &roles.roles,
            |i, release| {
                if self.req.cancelled() {
                    return (PackageAudit::default(), None);
                }
                let pkg = &self.found.packages[i];
                let sees = |path: &str| by_path.get(path).is_none_or(|&j| schedule.sees(i, j));
                let published = AtomicBool::new(false);
                let publish = |facts: PackageFacts| {
                    self.index.add_local(Arc::new(facts));
                    published.store(true, Ordering::Release);
                    release.now();
                };
                let work = PackageWork {
                    run: self,
                    pkg,
                    visible: self.index.visible_from_where(pkg.all_imports(), sees),
                    emptied: &roles.emptied[i],
                    crashes: Default::default(),
                    publish: &publish,
                };
                let (audit, facts) = work.guarded_run(roles.roles[i], cache.as_ref());
                (audit, facts.filter(|_| !published.load(Ordering::Acquire)))
            },
            |i, (audit, facts): PackageResult| {
                if roles.roles[i] == Role::Report {
                    self.counters.add(&audit);
                    self.tell_progress(total);
                }
                if let Some(facts) = facts {
                    self.index.add_local(Arc::new(facts));
                }
                audit
            },
        );
        if let Some(p) = self.req.progress {
            p.finish();
        }
        if let Some(c) = &cache {
            c.trim();
        }
        (audits, cache)
    }

    /// Tells the listener, if any, that one more of `total` reported packages is done.
    fn tell_progress(&self, total: usize) {
        if let Some(p) = self.req.progress {
            let c = self.counters;
            let done = c.packages_done.fetch_add(1, Ordering::Relaxed) + 1;
            p.package_done(done, total, c.files.load(Ordering::Relaxed));
        }
    }
}
