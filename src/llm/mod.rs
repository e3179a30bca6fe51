//! The LLM review: per package, planned into units within a token budget,
//! fanned out with a concurrency limit, answered as JSON, every cited location verified against
//! the source, cached, costed, and recorded as sessions.
//!
//! One module per job: `settings` (flags, environment, configs), `plan` (units), `redact`,
//! `prompt`, `providers` (the two protocols), `client` (retries, timeouts), `fanout` (tokio,
//! budget), `cache`, `answer` (tolerant parsing), `verify`, `fold_in` (the verified findings folded into the built-in ones), `cost`, `store` (SQLite) and
//! `sessions` (the `goaudit sessions` command).

pub mod answer;
pub mod cache;
pub mod client;
pub mod cost;
pub mod fanout;
pub mod fold_in;
pub mod plan;
pub mod prompt;
pub mod providers;
pub mod redact;
pub mod sessions;
pub mod settings;
pub mod store;
pub mod verify;

use crate::config::Settings;
use crate::discover::{self, Discovery};
use crate::finding::{self, Finding, Severity, Source};
use anyhow::{anyhow, Result};
use fanout::{Status, UnitOutcome};
use plan::Unit;
use serde::Serialize;
use settings::LlmSettings;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Completion tokens assumed per unit when estimating a plan's cost.
pub const ESTIMATED_COMPLETION_TOKENS: usize = 800;

/// What the run summary and the reports say about the review.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LlmSummary {
    pub provider: String,
    pub model: String,
    pub units: usize,
    /// Units answered (by the provider or the cache).
    pub reviewed: usize,
    /// Of the reviewed, those answered from the cache (nothing sent).
    pub cached: usize,
    pub failed: usize,
    /// Units not started because the budget was reached.
    pub skipped: usize,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Dollars, by the price table; 0 when the model has no price (`cost_known` false).
    pub cost: f64,
    pub cost_known: bool,
    /// New `llm/...` findings.
    pub findings: usize,
    /// Built-in findings the model confirmed.
    pub confirmed: usize,
    /// Built-in findings the model disputed (a note, never a removal).
    pub disputed: usize,
    /// The model's findings dropped: file not in the unit, or quote not on or near the line.
    pub unverified: usize,
    /// The model's findings moved to the nearby line that holds their quote.
    pub moved: usize,
    /// Secrets replaced before sending, by kind.
    pub redactions: BTreeMap<String, usize>,
    /// The run's id in the sessions database, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The units that failed or were skipped, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<UnitProblem>,
}

/// A unit that was not reviewed.
#[derive(Debug, Clone, Serialize)]
pub struct UnitProblem {
    pub unit: String,
    pub status: String,
    pub reason: String,
}

impl LlmSummary {
    /// Whether the review could not complete (a unit failed).
    pub fn incomplete(&self) -> bool {
        self.failed > 0
    }

    /// One line for the end of a text report and for standard error.
    pub fn line(&self) -> String {
        let cost = if self.cost_known {
            format!("${:.4}", self.cost)
        } else {
            "cost unknown (no price for this model)".into()
        };
        format!(
            "LLM review ({} {}): {} units: {} reviewed ({} cached), {} failed, {} skipped; {} prompt + {} completion tokens, {cost}; {} findings added, {} confirmed, {} disputed, {} unverified dropped{}",
            self.provider, self.model, self.units, self.reviewed, self.cached, self.failed,
            self.skipped, self.prompt_tokens, self.completion_tokens, self.findings,
            self.confirmed, self.disputed, self.unverified,
            self.session_id
                .as_ref()
                .map(|id| format!("; session {}", id.get(..8).unwrap_or(id)))
                .unwrap_or_default()
        )
    }
}

/// Whether a finding fails the run: built-in ones at `fail_on`, the model's own only at
/// `--llm-fail-on`.
pub fn fails(f: &Finding, fail_on: Severity, llm_fail_on: Option<Severity>) -> bool {
    match f.sources.first() {
        Some(Source::Llm { .. }) => llm_fail_on.is_some_and(|l| f.severity >= l),
        _ => f.severity >= fail_on,
    }
}

/// The packages to review, discovered as the audit did.
fn discover(patterns: &[String], config: &Settings) -> Result<Discovery> {
    discover::discover(
        patterns,
        &discover::Options {
            tests: config.tests,
            exclude: &config.exclude,
            overlay: None,
        },
    )
}

/// Plans the review and renders the plan (`--llm-plan`); sends nothing.
pub fn plan_report(
    patterns: &[String],
    config: &Settings,
    llm: &LlmSettings,
    findings: &[Finding],
) -> Result<String> {
    let found = discover(patterns, config)?;
    let p = plan::plan(&found, findings, llm.unit_tokens);
    Ok(render_plan(&p, llm))
}

fn render_plan(p: &plan::Plan, llm: &LlmSettings) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "LLM review plan: {} units for {} {} at {} (nothing sent)\n",
        p.units.len(),
        llm.provider.name(),
        llm.model,
        llm.base_url
    );
    let width = p
        .units
        .iter()
        .map(|u| u.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        s,
        "{:width$}  files  lines  static  est. tokens  cached",
        "unit"
    );
    let mut total = 0;
    for u in &p.units {
        let lines: usize = u.excerpts.iter().map(|e| e.lines.len()).sum();
        let cached = is_cached(u, llm);
        if !cached {
            total += u.tokens;
        }
        let _ = writeln!(
            s,
            "{:width$}  {:>5}  {:>5}  {:>6}  {:>11}  {}",
            u.name,
            u.excerpts.len(),
            lines,
            u.static_findings.len(),
            u.tokens,
            if cached { "yes" } else { "" }
        );
    }
    let sent = p.units.iter().filter(|u| !is_cached(u, llm)).count();
    let completion = sent * ESTIMATED_COMPLETION_TOKENS;
    let cost = match llm.prices.cost(&llm.model, total as u64, completion as u64) {
        Some(c) => format!("about ${c:.4}"),
        None => format!(
            "unknown (no price for {}: add [llm.prices] to the config)",
            llm.model
        ),
    };
    let _ = writeln!(
        s,
        "\nto send: {sent} units, about {total} prompt tokens + ~{completion} completion tokens (~{ESTIMATED_COMPLETION_TOKENS} a unit); estimated cost {cost}"
    );
    if !p.redactions.is_empty() {
        let kinds: Vec<String> = p
            .redactions
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(s, "secrets redacted before sending: {}", kinds.join(", "));
    }
    s
}

fn is_cached(u: &Unit, llm: &LlmSettings) -> bool {
    let Some(dir) = &llm.cache_dir else {
        return false;
    };
    let key = cache::key(
        llm.provider.name(),
        &llm.model,
        prompt::VERSION,
        prompt::SYSTEM,
        &u.prompt,
    );
    cache::Cache::new(dir.clone()).get(&key).is_some()
}

/// Reviews the audited packages, merges the verified findings into `findings` and records the
/// run. A provider that fails makes units fail (see `LlmSummary::incomplete`), never an error.
pub fn review(
    patterns: &[String],
    config: &Settings,
    llm: &LlmSettings,
    findings: &mut Vec<Finding>,
) -> Result<LlmSummary> {
    let started = fanout::now_ms();
    let found = discover(patterns, config)?;
    let p = plan::plan(&found, findings, llm.unit_tokens);
    let outcomes = fanout::run(&p.units, llm).map_err(|e| anyhow!(e))?;
    let mut summary = LlmSummary {
        provider: llm.provider.name().into(),
        model: llm.model.clone(),
        units: p.units.len(),
        cost_known: llm.prices.get(&llm.model).is_some(),
        redactions: p.redactions.clone(),
        ..Default::default()
    };
    let mut records = Vec::new();
    for (unit, o) in p.units.iter().zip(outcomes) {
        let unit_findings = absorb(&mut summary, unit, &o, llm, findings);
        records.push(unit_record(unit, &o, llm, &unit_findings));
    }
    finding::finalize(findings);
    summary.session_id = record(llm, patterns, &summary, records, started);
    Ok(summary)
}

/// Counts one unit's outcome into the summary and merges its verified findings.
fn absorb(
    summary: &mut LlmSummary,
    unit: &Unit,
    o: &UnitOutcome,
    llm: &LlmSettings,
    findings: &mut Vec<Finding>,
) -> Vec<Finding> {
    summary.prompt_tokens += o.prompt_tokens;
    summary.completion_tokens += o.completion_tokens;
    summary.cost += o.cost;
    match &o.status {
        Status::Reviewed | Status::Cached => {
            summary.reviewed += 1;
            summary.cached += usize::from(o.status == Status::Cached);
        }
        Status::Failed(_) => summary.failed += 1,
        Status::Skipped(_) => summary.skipped += 1,
    }
    if let Status::Failed(why) | Status::Skipped(why) = &o.status {
        summary.problems.push(UnitProblem {
            unit: unit.name.clone(),
            status: o.status.label().into(),
            reason: why.clone(),
        });
    }
    let v = verify::verify(unit, &o.items, &llm.model);
    summary.unverified += v.unverified;
    summary.moved += v.moved;
    let kept: Vec<Finding> = v.findings.iter().map(|c| c.finding.clone()).collect();
    let m = fold_in::apply(findings, v.findings);
    summary.findings += m.added;
    summary.confirmed += m.confirmed;
    summary.disputed += m.disputed;
    summary.unverified += m.unmatched;
    kept
}

fn unit_record(
    unit: &Unit,
    o: &UnitOutcome,
    llm: &LlmSettings,
    kept: &[Finding],
) -> store::SessionRecord {
    store::SessionRecord {
        title: unit.name.clone(),
        status: o.status.label().into(),
        detail: o.status.detail().into(),
        model: llm.model.clone(),
        provider: llm.provider.name().into(),
        prompt_tokens: o.prompt_tokens,
        completion_tokens: o.completion_tokens,
        cost: o.cost,
        created_at: o.started_ms,
        updated_at: o.finished_ms,
        messages: o.messages.clone(),
        findings: serde_json::to_string(kept).unwrap_or_else(|_| "[]".into()),
    }
}

/// Records the run in the sessions database; a failure is a warning, never a failed audit.
fn record(
    llm: &LlmSettings,
    patterns: &[String],
    summary: &LlmSummary,
    units: Vec<store::SessionRecord>,
    started: i64,
) -> Option<String> {
    let Some(db) = &llm.db else {
        crate::eprintln_escaped!(
            "goaudit: warning: no data directory for the sessions database (set --db)"
        );
        return None;
    };
    let run = store::SessionRecord {
        title: format!("goaudit audit {}", patterns.join(" ")),
        status: if summary.incomplete() {
            "incomplete"
        } else {
            "complete"
        }
        .into(),
        detail: String::new(),
        model: llm.model.clone(),
        provider: llm.provider.name().into(),
        prompt_tokens: summary.prompt_tokens,
        completion_tokens: summary.completion_tokens,
        cost: summary.cost,
        created_at: started,
        updated_at: fanout::now_ms(),
        messages: vec![(
            "summary".into(),
            serde_json::to_string(summary).unwrap_or_default(),
        )],
        findings: "[]".into(),
    };
    match store::record(db, &run, &units) {
        Ok(id) => Some(id),
        Err(e) => {
            crate::eprintln_escaped!("goaudit: warning: cannot record the LLM sessions: {e:#}");
            None
        }
    }
}
