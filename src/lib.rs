//! goaudit: a command-line auditor for Go code, as a library the binary and the tests share.
//!
//! Pipeline (docs/architecture.md): `cli` → `config` → `discover` → per package `source`
//! (parse) → `index` (facts) → `rules` → `report`. Every source produces the same `finding::Finding`.

/// The version `--version` prints: Cargo's, and the commit it was built from when known.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("GOAUDIT_COMMIT_SUFFIX"));

pub mod analysis;
pub mod baseline;
pub mod bounded;
pub mod budget;
pub mod cache;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dirs;
pub mod discover;
pub mod engine;
pub mod escape;
pub mod external;
pub mod finding;
pub mod fix;
pub mod git;
pub mod index;
pub mod llm;
pub mod new_code;
pub mod outcome;
pub mod output;
pub mod report;
pub mod rules;
pub mod schedule;
pub mod server;
pub mod shard;
pub mod shard_merge;
pub mod skeleton;
pub mod source;
pub mod strict;
pub mod suggest;
pub mod suppress;
pub mod syntax;
pub mod tempfiles;
pub mod tool_findings;
pub mod tree;

/// Hash maps and sets with the Fx hasher: the keys here are node ids, names and paths, never
/// input an attacker chooses to collide, and SipHash's cost showed in the profile.
pub mod fxhash {
    pub type HashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
    pub type HashSet<K> = std::collections::HashSet<K, rustc_hash::FxBuildHasher>;
}
