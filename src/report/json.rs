//! `--format json`: the findings and the run summary.
//!
//! Schema, version 1 (additions keep the version; a change of meaning bumps it):
//! `{ "version": 1, "tool": {"name", "version"}, "summary": {root, packages, files, lines, bytes,
//! generated_files, rules, suppressed, by_severity, by_category, duration_ms, llm?}, "findings": [
//! {rule, category, severity, message, location: {file, start: {line, column}, end}, related,
//! sources, snippet, fix, function, fingerprint}] }`. Lines and columns are 1-based; columns
//! count bytes; `file` is relative to `summary.root`. `summary.llm` is there when `--llm` ran:
//! {provider, model, units, reviewed, cached, failed, skipped, prompt_tokens, completion_tokens,
//! cost, cost_known, findings, confirmed, disputed, unverified, moved, redactions, session_id,
//! problems: [{unit, status, reason}]}. `summary.unreadable` is there when a folder the
//! patterns reach could not be listed: [{folder, reason}] (`folder` relative to `root`); its
//! files were not audited. `summary.shard` is {index, count} in a `--shard I/N` report (absent
//! in a full run, which counts as 1/1); `summary.identity` is {goaudit, options, tree}: the
//! version, a digest of the rules and options, a digest of the discovered packages and files.
//! `goaudit merge` joins only reports with one root and one identity, every shard once.

use super::Context;
use serde_json::json;

pub const SCHEMA_VERSION: u32 = 1;

pub fn render(cx: &Context) -> String {
    let doc = json!({
        "version": SCHEMA_VERSION,
        "tool": { "name": "goaudit", "version": env!("CARGO_PKG_VERSION") },
        "summary": cx.summary,
        "findings": cx.findings,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("findings serialize");
    s.push('\n');
    s
}
