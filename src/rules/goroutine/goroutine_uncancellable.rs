//! `goroutine-uncancellable`: a goroutine whose `for` loop has no way out (no `return`, no
//! `break`, no `goto`) although something could have stopped it: the function that starts it
//! holds a context or a done channel the loop never reads, or the type that starts it has a
//! `Close`, `Stop` or `Shutdown` method that cannot reach it. (Blocking work under a context
//! nothing cancels is `goroutine-detached`.)
//!
//! A daemon's forever-loop in `main` or `init` is not reported, nor are test files, whose
//! goroutines end with the test binary.

use super::{enclosing_function, function_name, k, line, starter_outside_main_and_tests};
use super::{literal_of, text};
use crate::analysis::concurrency::receiver;
use crate::analysis::is_function;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::Node;

pub struct GoroutineUncancellable;

impl Rule for GoroutineUncancellable {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["go_statement"]
    }

    fn check_node(
        &self,
        go: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let src = cx.file.text.as_str();
        let Some(func) = starter_outside_main_and_tests(go, &cx.file.rel, src) else {
            return;
        };
        if let Some(d) = endless_loop(go, func, cx) {
            out.push(d);
        }
    }
}

/// A forever-loop in the goroutine, when the starter could have stopped it.
fn endless_loop<'t>(go: Node<'t>, func: Node<'t>, cx: &FileContext<'_>) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let lit = literal_of(go)?;
    let body = lit.child_by_field_id(k().f_body)?;
    let lp = body
        .preorder_pruned(|n| n.kind_id() == k().func_literal)
        .filter(|n| n.kind_id() == k().for_statement)
        .find(|n| is_forever(*n, src) && !has_exit(*n, src))?;
    let stopper = stopper(func, lp, cx)?;
    let d = Diagnostic::on_first_line(
        lp, cx.file,
        format!(
            "goroutine started at line {} loops forever (the for at line {} has no return or break), although {stopper}: nothing stops it; return when a done channel or ctx.Done() is closed",
            line(go),
            line(lp)
        ),
    );
    Some(d)
}

/// `for { ... }`, `for range ticker.C`, `for range time.Tick(d)`.
fn is_forever(lp: Node, src: &str) -> bool {
    let kk = k();
    let mut c = lp.walk();
    let header = lp.named_children(&mut c).find(|ch| {
        lp.child_by_field_id(kk.f_body)
            .is_none_or(|b| b.id() != ch.id())
    });
    match header {
        None => true,
        Some(h) if h.kind_id() == kk.range_clause => h
            .child_by_field_id(kk.f_right)
            .map(|r| text(r, src))
            .is_some_and(|r| r.ends_with(".C") || r.starts_with("time.Tick(")),
        Some(_) => false,
    }
}

/// Whether the loop can end: a `return`, a `break` or `goto` that leaves it, or a call that
/// never returns.
fn has_exit(lp: Node, src: &str) -> bool {
    let kk = k();
    let label = lp
        .parent()
        .filter(|p| p.kind_id() == kk.labeled_statement)
        .and_then(|p| p.child_by_field_id(kk.f_label))
        .map(|l| text(l, src));
    // The loop's own statements: a `return` in a closure inside it does not leave it.
    let mut own = lp.preorder_pruned(|n| n.kind_id() == kk.func_literal);
    own.any(|n| {
        let kind = n.kind_id();
        if kind == kk.return_statement || kind == kk.goto_statement {
            return true;
        }
        if kind == kk.expression_statement && crate::analysis::cfg::no_return(n, src) {
            return true;
        }
        if kind == kk.break_statement {
            return match n.named_child(0) {
                Some(l) => Some(text(l, src)) == label,
                None => breaks_out(n, lp),
            };
        }
        false
    })
}

/// Whether an unlabeled `break` leaves `lp` (no switch, select or inner loop in between).
fn breaks_out(brk: Node, lp: Node) -> bool {
    let kk = k();
    let mut cur = brk.parent();
    while let Some(p) = cur {
        if p.id() == lp.id() {
            return true;
        }
        let kind = p.kind_id();
        if kind == kk.for_statement
            || kind == kk.expression_switch_statement
            || kind == kk.type_switch_statement
            || kind == kk.select_statement
            || is_function(kk, kind)
        {
            return false;
        }
        cur = p.parent();
    }
    false
}

/// What could have stopped the loop: a context or done channel in scope that the loop never
/// reads, or a `Close`/`Stop`/`Shutdown` method on the type that starts it.
fn stopper(func: Node, lp: Node, cx: &FileContext) -> Option<String> {
    let src = cx.file.text.as_str();
    let mut f = func;
    loop {
        if let Some(params) = f.child_by_field_id(k().f_parameters) {
            let mut c = params.walk();
            for p in params.named_children(&mut c) {
                let ty = p.child_by_field_id(k().f_type).map(|t| text(t, src));
                let stops =
                    ty.is_some_and(|t| t == "context.Context" || t.contains("chan struct{}"));
                for n in crate::tree::field_children(p, k().f_name) {
                    let name = text(n, src);
                    if stops && !super::mentions(lp, name, src) {
                        return Some(format!(
                            "{} has {name} ({}) that the loop never reads",
                            function_name(f, src),
                            ty.unwrap_or("")
                        ));
                    }
                }
            }
        }
        if f.kind_id() == k().method_declaration {
            let (_, ty) = receiver(f, src)?;
            let facts = cx.package?.concurrency();
            let m = ["Close", "Stop", "Shutdown"]
                .into_iter()
                .find(|m| facts.has_method(ty, m))?;
            return Some(format!("{ty} has a {m} method that cannot reach it"));
        }
        if f.kind_id() != k().func_literal {
            return None;
        }
        f = enclosing_function(f)?;
    }
}
