//! The plan of a run, made before any package is parsed: which rules run and on which node
//! kinds, each package's role (`--shard`), what a facts-only package's skeleton empties, and
//! the result cache a package's work is looked up in first.

use super::stats::ms;
use super::{PackageResult, Request};
use crate::cache::{Key, ResultCache};
use crate::config::{RuleSettings, Settings};
use crate::discover::Discovery;
use crate::finding::Category;
use crate::index::deps::Loaded;
use crate::index::Index;
use crate::outcome::PackageAudit;
use crate::rules::Rule;
use crate::schedule::Role;
use std::time::Instant;

/// An enabled rule with its settings.
pub(super) struct Active<'a> {
    pub rule: &'a dyn Rule,
    pub settings: &'a RuleSettings,
    /// Its catalogue category (a rule outside the catalogue, a test's, is `correctness`).
    pub category: Category,
}

/// The enabled rules, and for each node kind the rules that asked for it.
pub(super) struct Plan<'a> {
    pub active: Vec<Active<'a>>,
    pub by_kind: Vec<Vec<usize>>,
    /// Some rule asked for a node kind: each file is walked.
    pub walks: bool,
    /// An enabled rule reads the taint analysis.
    pub taint: bool,
}

impl<'a> Plan<'a> {
    /// The plan for `rules` under `settings` (a rule the settings do not name does not run).
    pub fn new(rules: &'a [&'a dyn Rule], settings: &'a Settings) -> Plan<'a> {
        let catalogue = crate::catalogue::catalogue();
        let active: Vec<Active> = rules
            .iter()
            .filter_map(|&rule| {
                let settings = settings.rules.get(rule.id())?;
                let category = catalogue
                    .get(rule.id())
                    .map_or(Category::Correctness, |m| m.category());
                Some(Active {
                    rule,
                    settings,
                    category,
                })
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

/// Each package's role, the packages each reaches through dependencies, and for each package
/// read for its facts the functions whose bodies its skeleton empties.
pub(super) struct Roles {
    pub roles: Vec<Role>,
    pub through_deps: Vec<Vec<usize>>,
    pub emptied: Vec<Vec<String>>,
}

impl Roles {
    /// How many packages the run reports.
    pub fn reported(&self) -> usize {
        self.roles.iter().filter(|&&r| r == Role::Report).count()
    }
}

/// Loads the dependencies' facts (`--deps`) into `index` and gives each package its role: a
/// shard plans while the dependencies load, as if none of them imported an audited package,
/// the usual case; when one does, it plans again with what it reaches. Also returns what the
/// dependencies' load did and how long it took.
pub(super) fn roles(
    found: &Discovery,
    req: &Request,
    plan: &Plan,
    index: &Index,
) -> (Roles, Loaded, f64) {
    let load_deps = || {
        let started = Instant::now();
        let loaded = match req.deps && !req.parse_only {
            true => crate::index::deps::load(found, index),
            false => Loaded::default(),
        };
        (loaded, ms(started.elapsed()))
    };
    let none = vec![Vec::new(); found.packages.len()];
    let ((dep_packages, deps_ms), guess) =
        rayon::join(load_deps, || shard_plan(found, req, plan, &none));
    let through_deps = crate::schedule::through_deps(found, index);
    let (roles, emptied) = match through_deps.iter().all(Vec::is_empty) {
        true => guess,
        false => shard_plan(found, req, plan, &through_deps),
    };
    let roles = Roles {
        roles,
        through_deps,
        emptied,
    };
    (roles, dep_packages, deps_ms)
}

/// Each package's role, and for each package read for its facts the functions whose bodies
/// its skeleton empties (`skeleton::emptied_bodies`; none without a shard).
fn shard_plan(
    found: &Discovery,
    req: &Request,
    plan: &Plan,
    through_deps: &[Vec<usize>],
) -> (Vec<Role>, Vec<Vec<String>>) {
    let roles = match req.focus {
        Some(dirs) => crate::shard::focus_roles(found, dirs, through_deps),
        None => crate::shard::roles(found, req.shard.as_ref(), through_deps),
    };
    let emptied = match req.shard.is_some() && !req.parse_only {
        true => crate::skeleton::emptied_bodies(found, &roles, through_deps, plan.taint),
        false => vec![Vec::new(); roles.len()],
    };
    (roles, emptied)
}

/// The result cache, unless the run asked for none or measures what the cache would hide.
pub(super) fn open_cache(req: &Request) -> Option<ResultCache> {
    if req.parse_only || req.stats {
        return None;
    }
    ResultCache::open(req.cache_dir.as_deref()?, req.settings)
}

/// A package's result from the cache, for its role, when an intact entry matches its `key`: a
/// facts-only package takes a facts-only entry or a full one (which holds the facts too).
pub(super) fn cached(
    cache: &ResultCache,
    key: Key,
    role: Role,
    emptied: &[String],
) -> Option<PackageResult> {
    let entry = match role {
        Role::Report => cache.load(key),
        _ => cache.load_any(&[key.facts_only(emptied), key]),
    }?;
    let audit = match role {
        Role::Report => entry.audit,
        _ => PackageAudit::default(),
    };
    Some((audit, Some(entry.facts)))
}
