//! goaudit: a command-line auditor for Go code, as a library the binary and the tests share.
//!
//! Pipeline (DESIGN.md): `cli` → `config` → `discover` → per package `source` (parse) →
//! `rules` → `report`. Every source produces the same `finding::Finding`.

pub mod audit;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod external;
pub mod finding;
pub mod merge;
pub mod output;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
