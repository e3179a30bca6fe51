//! Per file: the file rules, then the one walk that hands each node to the rules that asked
//! for its kind; the diagnostics become findings, silenced or not by the file's comments, the
//! complexity figures of a function merged into one (`per_function`).

use super::findings::{engine_finding, to_finding};
use super::guard::{guarded, Crash, Stage};
use super::per_function::{is_figure, one_per_function};
use super::plan::Plan;
use super::stats::Counters;
use super::Request;
use crate::budget::Overrun;
use crate::finding::Finding;
use crate::rules::{Diagnostic, FileContext};
use crate::source::SourceFile;
use crate::suppress::Suppressions;
use crate::tree::preorder;
use std::sync::atomic::Ordering;

/// The parse-only baseline still visits every node once, as the rules' walk does.
pub(super) fn walk_only(file: &SourceFile) {
    if let Some(root) = file.root() {
        let n = preorder(root).map(|n| n.kind_id() as usize).sum::<usize>();
        std::hint::black_box(n);
    }
}

/// What the rules found in one file, sorted by whether a comment silenced it.
#[derive(Default)]
pub(super) struct FileAudit {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Finding>,
    pub suppressions: Suppressions,
}

/// Runs every enabled rule over one file and turns its diagnostics into findings; returns them
/// with the file's suppressions.
pub(super) fn audit_file(
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
    findings.extend(budget_findings(file, &file.overruns, req));
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
    findings.extend(budget_findings(file, &cx.take_overruns(), req));
    let suppressions = Suppressions::of(file);
    let mut suppressed = Vec::new();
    let mut figures = Vec::new();
    for (i, diags) in per_rule.into_iter().enumerate() {
        let a = &plan.active[i];
        for d in diags {
            let f = to_finding(&cx, a, d);
            if is_figure(&f) {
                figures.push(f);
            } else if suppressions.covers(&f.rule, f.location.start.line) {
                suppressed.push(f);
            } else {
                findings.push(f);
            }
        }
        if let Some(msg) = &failed[i] {
            let crash = Crash::file(file, Stage::Rules(a.rule.id()));
            findings.push(crash.finding(msg, settings));
        }
    }
    let (kept, silenced) = one_per_function(figures, &suppressions, &settings.per_path);
    findings.extend(kept);
    suppressed.extend(silenced);
    FileAudit {
        findings,
        suppressed,
        suppressions,
    }
}

/// `--stats`: every call site, and whether the index resolved it.
/// One `analysis-budget` finding for each place an analysis of `file` stopped for its budget.
fn budget_findings(file: &SourceFile, overruns: &[Overrun], req: &Request) -> Vec<Finding> {
    let settings = req.settings;
    if !settings.enabled("analysis-budget") {
        return Vec::new();
    }
    let finding = |o: &Overrun| {
        let (line, column) = file.position(o.byte);
        engine_finding(
            file,
            "analysis-budget",
            line,
            column,
            o.message.clone(),
            settings,
        )
    };
    overruns.iter().map(finding).collect()
}

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
