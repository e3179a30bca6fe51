//! `--shard I/N`: a stable split of the packages across N CI jobs. Package `p` belongs to shard
//! `fnv1a(import path) % N + 1`, whatever the machine or the other packages. A shard reports only
//! its share; it still parses, for their facts, the packages its share imports (transitively):
//! a package's findings depend on nothing else (`index::Visible`), so a shard's findings are
//! exactly the full run's in its share.

use crate::discover::Discovery;
use anyhow::{bail, Result};
use std::str::FromStr;

/// One of N shards, 1-based: `2/4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl Shard {
    /// Whether the package with this import path is in this shard's share.
    pub fn owns(&self, import_path: &str) -> bool {
        (stable_hash(import_path) % self.count as u64) as usize == self.index - 1
    }
}

/// 64-bit FNV-1a: stable across runs, machines and Rust versions (unlike `DefaultHasher`).
pub fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a run does with a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Audit it and report its findings.
    Report,
    /// Parse it for its facts only: a reported package imports it.
    Facts,
    /// Leave it alone.
    Skip,
}

/// Each discovered package's role: all `Report` without a shard; with one, its share reports,
/// what the share imports (transitively) gives facts, the rest is skipped.
pub fn roles(found: &Discovery, shard: Option<&Shard>) -> Vec<Role> {
    let Some(shard) = shard else {
        return vec![Role::Report; found.packages.len()];
    };
    let mut roles: Vec<Role> = found
        .packages
        .iter()
        .map(|p| match shard.owns(&p.import_path) {
            true => Role::Report,
            false => Role::Skip,
        })
        .collect();
    let mut work: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] == Role::Report)
        .collect();
    let by_path = found.by_import_path();
    // The share's imports, tests' included; then what those reach through their non-test files.
    while let Some(i) = work.pop() {
        let pkg = &found.packages[i];
        let imports: Vec<&String> = match roles[i] {
            Role::Report => pkg.all_imports().collect(),
            _ => pkg.imports.iter().collect(),
        };
        for d in imports.into_iter().filter_map(|p| by_path.get(p.as_str())) {
            if roles[*d] == Role::Skip {
                roles[*d] = Role::Facts;
                work.push(*d);
            }
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn every_package_has_exactly_one_shard() {
        for path in ["net/http", "example.com/a/b", ""] {
            let owners = (1..=5)
                .filter(|&index| Shard { index, count: 5 }.owns(path))
                .count();
            assert_eq!(owners, 1, "{path}");
        }
        assert_eq!(stable_hash("net/http"), stable_hash("net/http"));
    }
}
