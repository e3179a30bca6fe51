//! `--shard I/N`: a stable split of the packages across N CI jobs (`split`: runs of import
//! paths of about equal cost). A shard reports only its share; it still reads, for their facts,
//! the packages its share imports (transitively), as skeletons (`skeleton`): a package's findings
//! depend on nothing else (`index::Visible`), so a shard's findings are exactly the full run's in
//! its share.

use crate::config::Settings;
use crate::discover::Discovery;
use crate::schedule::{package_bytes, Before, Bytes, Role};
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;

/// One of N shards, 1-based: `2/4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Shard> {
        let Some((i, n)) = s.split_once('/') else {
            bail!("--shard wants I/N (such as 2/4), not {s:?}");
        };
        let (Ok(index), Ok(count)) = (i.trim().parse(), n.trim().parse()) else {
            bail!("--shard wants I/N with whole numbers (such as 2/4), not {s:?}");
        };
        if count == 0 || index == 0 || index > count {
            bail!("--shard {s}: I must be between 1 and N");
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What a report says about the run that made it, so that `goaudit merge` joins only shards of
/// one run: the same goaudit, the same rules and options, the same tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// goaudit's version.
    pub goaudit: String,
    /// A digest of the enabled rules with their severities and options, and of the external
    /// tools' settings.
    pub options: String,
    /// A digest of every package discovered (the whole tree, not only the shard's share): import
    /// paths, files and sizes. Shards of two checkouts, or of two modules, differ here.
    pub tree: String,
}

/// The identity of a run with `settings` over `found`.
pub fn identity(settings: &Settings, found: &Discovery) -> RunIdentity {
    let options = format!("{:?}\n{:?}", settings.rules, settings.tools);
    let mut tree = Sha256::new();
    for p in &found.packages {
        tree.update(format!("{}\n", p.import_path));
        for (file, size) in p.files.iter().zip(&p.sizes) {
            tree.update(format!("\t{} {size}\n", found.rel(file)));
        }
    }
    RunIdentity {
        goaudit: env!("CARGO_PKG_VERSION").to_string(),
        options: short_hex(&Sha256::digest(options.as_bytes())),
        tree: short_hex(&tree.finalize()),
    }
}

/// The first 16 bytes of a digest in hex: enough to tell runs apart.
fn short_hex(digest: &[u8]) -> String {
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Each package's shard (1-based) in a split into `count`: the packages in the order of their
/// import paths, cut into `count` runs of about the same cost. A run costs the bytes of its
/// packages' files (audited) and a quarter of the bytes of the non-test files of what their
/// results may depend on (read for their facts, as skeletons: `skeleton`); the cuts minimise
/// the costliest run. Neighbours in the path tree share a shard, and with it most of what they
/// import. Every job of a CI matrix, reading the same checkout, computes the same split; an
/// edit moves a package only if it moves a cut across it.
pub fn split(found: &Discovery, count: usize) -> Vec<usize> {
    let costs = Costs::of(found);
    let mut order: Vec<usize> = (0..found.packages.len()).collect();
    order.sort_by(|&a, &b| {
        found.packages[a]
            .import_path
            .cmp(&found.packages[b].import_path)
    });
    let (mut low, mut high) = (0u64, costs.total());
    while low < high {
        let limit = low + (high - low) / 2;
        match costs.runs(&order, limit).len() <= count {
            true => high = limit,
            false => low = limit + 1,
        }
    }
    let mut owner = vec![1; order.len()];
    for (run, packages) in costs.runs(&order, low).into_iter().enumerate() {
        for i in packages {
            owner[i] = run.min(count - 1) + 1;
        }
    }
    owner
}

/// What auditing a package, or reading it for its facts, costs a shard.
struct Costs<'a> {
    /// The bytes of each package's files.
    audit: Vec<u64>,
    /// What reading it as a skeleton costs (`Bytes::skeleton`).
    facts: Vec<u64>,
    /// The packages each package imports, tests' included.
    imports: &'a [std::collections::BTreeSet<usize>],
    layer_of: Vec<usize>,
}

impl<'a> Costs<'a> {
    fn of(found: &'a Discovery) -> Costs<'a> {
        let bytes = package_bytes(found);
        Costs {
            audit: bytes.iter().map(|b| b.all.max(1)).collect(),
            facts: bytes.iter().map(Bytes::skeleton).collect(),
            imports: &found.imports,
            layer_of: Before::new(found, &[]).layer_of().to_vec(),
        }
    }

    /// An upper bound of any run's cost.
    fn total(&self) -> u64 {
        self.audit.iter().chain(&self.facts).sum()
    }

    /// The runs, in `order`, each as long as its cost stays within `limit` (a package costlier
    /// than the limit alone makes a run of its own).
    fn runs(&self, order: &[usize], limit: u64) -> Vec<Vec<usize>> {
        let mut runs: Vec<Vec<usize>> = Vec::new();
        let mut run = Run::new(order.len());
        for &i in order {
            let mut cost = run.cost_with(i, self);
            if cost > limit && !run.packages.is_empty() {
                runs.push(std::mem::take(&mut run.packages));
                run = Run::new(order.len());
                cost = run.cost_with(i, self);
            }
            run.take(i, cost);
        }
        if !run.packages.is_empty() {
            runs.push(run.packages);
        }
        runs
    }
}

/// A run of packages being built: what it audits, what it reads for facts, and its cost.
struct Run {
    packages: Vec<usize>,
    audited: Vec<bool>,
    read: Vec<bool>,
    cost: u64,
    /// The packages the last look-ahead (`cost_with`) would read, and its number in `seen`.
    reached: Vec<usize>,
    seen: Vec<u32>,
    look: u32,
}

impl Run {
    fn new(n: usize) -> Run {
        Run {
            packages: Vec::new(),
            audited: vec![false; n],
            read: vec![false; n],
            cost: 0,
            reached: Vec::new(),
            seen: vec![0; n],
            look: 0,
        }
    }

    /// The run's cost if it took package `i` too (`take` then takes it at that cost).
    fn cost_with(&mut self, i: usize, costs: &Costs) -> u64 {
        self.look += 1;
        self.reached.clear();
        let mut cost = self.cost + costs.audit[i];
        if self.read[i] {
            cost -= costs.facts[i];
        }
        self.seen[i] = self.look;
        let layer = costs.layer_of[i];
        let mut work: Vec<usize> = costs.imports[i].iter().copied().collect();
        while let Some(d) = work.pop() {
            // What a package the run reads already reaches is (about) read too.
            let known = self.audited[d] || self.read[d];
            if known || self.seen[d] == self.look || costs.layer_of[d] >= layer {
                continue;
            }
            self.seen[d] = self.look;
            self.reached.push(d);
            cost += costs.facts[d];
            work.extend(&costs.imports[d]);
        }
        cost
    }

    /// Takes package `i`, whose `cost_with` was the last look-ahead.
    fn take(&mut self, i: usize, cost: u64) {
        self.packages.push(i);
        self.audited[i] = true;
        self.read[i] = false;
        for &d in &self.reached {
            self.read[d] = true;
        }
        self.cost = cost;
    }
}

/// Each discovered package's role: all `Report` without a shard; with one, its share reports,
/// what the share's results may depend on (`schedule::Before`: what its imports reach through
/// earlier import layers, and through dependency packages) gives facts, the rest is skipped.
pub fn roles(found: &Discovery, shard: Option<&Shard>, through_deps: &[Vec<usize>]) -> Vec<Role> {
    let Some(shard) = shard else {
        return vec![Role::Report; found.packages.len()];
    };
    let mut roles: Vec<Role> = split(found, shard.count)
        .into_iter()
        .map(|owner| match owner == shard.index {
            true => Role::Report,
            false => Role::Skip,
        })
        .collect();
    give_facts(found, through_deps, &mut roles);
    roles
}

/// Each discovered package's role when only the packages in `dirs` are reported (an editor's
/// open files, standard input's file): what their results may depend on gives facts, as under
/// a shard, and the rest is skipped.
pub fn focus_roles(
    found: &Discovery,
    dirs: &[std::path::PathBuf],
    through_deps: &[Vec<usize>],
) -> Vec<Role> {
    let mut roles: Vec<Role> = found
        .packages
        .iter()
        .map(|p| match dirs.contains(&p.dir) {
            true => Role::Report,
            false => Role::Skip,
        })
        .collect();
    give_facts(found, through_deps, &mut roles);
    roles
}

/// Every skipped package a reported package's results may depend on (`schedule::Before`) is
/// read for its facts.
fn give_facts(found: &Discovery, through_deps: &[Vec<usize>], roles: &mut [Role]) {
    let mut before = Before::new(found, through_deps);
    for i in 0..roles.len() {
        if roles[i] == Role::Report {
            before.walk(i, |d| {
                if roles[d] == Role::Skip {
                    roles[d] = Role::Facts;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "2/4".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 4 }
        );
        for bad in ["0/4", "5/4", "1/0", "x/4", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    /// The imports of four packages: `a` imports `c`, `b` imports `d`.
    fn imports() -> Vec<BTreeSet<usize>> {
        vec![[2].into(), [3].into(), [].into(), [].into()]
    }

    /// Four packages (`imports`), `c` and `d` in the first layer and small to read.
    fn four(imports: &[BTreeSet<usize>]) -> Costs<'_> {
        Costs {
            audit: vec![10, 10, 10, 10],
            facts: vec![5, 5, 1, 1],
            imports,
            layer_of: vec![1, 1, 0, 0],
        }
    }

    #[test]
    fn a_run_pays_for_what_its_packages_import() {
        let imports = imports();
        let costs = four(&imports);
        let mut run = Run::new(4);
        assert_eq!(run.cost_with(0, &costs), 11, "a, and c read for its facts");
        run.take(0, 11);
        assert_eq!(run.cost, 11);
        assert_eq!(run.cost_with(2, &costs), 20, "c audited now, not read");
        let cost = run.cost_with(1, &costs);
        run.take(1, cost);
        assert_eq!(run.cost, 22);
    }

    #[test]
    fn runs_stay_within_the_limit_in_order() {
        let imports = imports();
        let costs = four(&imports);
        let order = [0, 1, 2, 3];
        assert_eq!(costs.runs(&order, 100), [vec![0, 1, 2, 3]]);
        assert_eq!(costs.runs(&order, 22), [vec![0, 1], vec![2, 3]]);
        assert_eq!(costs.runs(&order, 5), [vec![0], vec![1], vec![2], vec![3]]);
    }

    #[test]
    fn a_run_does_not_pay_for_an_import_of_a_later_layer() {
        let imports = imports();
        let mut costs = four(&imports);
        // A cycle broken at `a` put `c` after it: `a` never sees `c`.
        costs.layer_of = vec![0, 1, 1, 0];
        assert_eq!(Run::new(4).cost_with(0, &costs), 10);
        assert_eq!(Run::new(4).cost_with(1, &costs), 11);
    }
}
