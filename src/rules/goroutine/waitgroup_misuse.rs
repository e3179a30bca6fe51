//! `waitgroup-misuse`: a `sync.WaitGroup` that does not count what its `Wait` waits for.
//!
//! Three shapes. `wg.Add` inside the goroutine it counts: the goroutine may not have run yet when
//! `wg.Wait` is reached, so `Wait` returns early and the caller reads results still being
//! written (`go vet` catches this only when `Add` is the goroutine's first statement); a
//! goroutine that declares the group or waits on it itself is a dispatcher counting workers it
//! starts (often through a helper taking a closure), not the bug. A
//! goroutine that calls `wg.Done()` (not deferred) with a `return` before it: that path never
//! counts down and `Wait` blocks forever. And a `sync.WaitGroup` parameter passed by value:
//! `Done` and `Wait` act on a copy.

use super::{call_parts, enclosing_function, is_test_file, k, line, literal_of, text};
use crate::analysis::cfg::{Cfg, Exit, ENTRY};
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct WaitgroupMisuse;

impl Rule for WaitgroupMisuse {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["go_statement", "parameter_declaration"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        if node.kind_id() == k().parameter_declaration {
            out.extend(by_value(node, cx));
            return;
        }
        let Some(lit) = literal_of(node) else { return };
        if let Some(d) = add_inside(node, lit, cx) {
            out.push(d);
        } else if !is_test_file(&cx.file.rel) {
            out.extend(done_skipped(node, lit, cx));
        }
    }
}

/// `X.M(...)` calls in `scope` that are not inside a nested `go` statement.
fn calls<'t>(scope: Node<'t>, method: &str, src: &'t str) -> Vec<(Node<'t>, &'t str)> {
    let kk = k();
    super::outside_nested_go(scope)
        .filter(|n| n.kind_id() == kk.call_expression)
        .filter_map(|n| match call_parts(n, src)? {
            (Some(x), m) if m == method => Some((n, x)),
            _ => None,
        })
        .collect()
}

/// `wg.Add` in the goroutine that `wg.Done`s, or whose starter `wg.Wait`s.
fn add_inside(go: Node, lit: Node, cx: &FileContext) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let starter = enclosing_function(go)?.child_by_field_id(k().f_body)?;
    for (add, wg) in calls(lit, "Add", src) {
        if counts_a_later_goroutine(add) || !is_wait_group(wg, src) || owns(lit, wg, src) {
            continue;
        }
        let done = calls(lit, "Done", src).iter().any(|(_, x)| *x == wg);
        let wait = calls(starter, "Wait", src)
            .into_iter()
            .find(|(w, x)| *x == wg && !lit.byte_range().contains(&w.start_byte()));
        if !done && wait.is_none() {
            continue;
        }
        let waits = match wait {
            Some((w, _)) => format!("{wg}.Wait at line {} may return before it runs", line(w)),
            None => format!("{wg}.Wait may return before it runs"),
        };
        let mut d = Diagnostic::at(
            add,
            format!(
                "{wg}.Add inside the goroutine it counts (started at line {}): {waits}; call {wg}.Add before the go statement",
                line(go)
            ),
        );
        d.end_byte = cx.file.line_end_byte(add.start_byte()).min(add.end_byte());
        return Some(d);
    }
    None
}

/// Whether the goroutine `lit` declares `wg` or waits on it itself: then `wg` counts what this
/// goroutine starts (through a helper such as `runSafe(func() { defer wg.Done() ... })`), never
/// the goroutine itself, which cannot wait for its own end.
fn owns(lit: Node, wg: &str, src: &str) -> bool {
    calls(lit, "Wait", src).iter().any(|(_, x)| *x == wg)
        || super::outside_nested_go(lit).any(|n| declared_names(n).any(|id| text(id, src) == wg))
}

/// The names a `var` spec or a `:=` declares (nothing for any other node).
fn declared_names<'t>(n: Node<'t>) -> impl Iterator<Item = Node<'t>> + 't {
    let kk = k();
    let list = if n.kind_id() == kk.var_spec {
        Some(n)
    } else if n.kind_id() == kk.short_var_declaration {
        n.child_by_field_id(kk.f_left)
    } else {
        None
    };
    list.into_iter().flat_map(move |l| {
        let mut c = l.walk();
        let names: Vec<Node<'t>> = l.named_children(&mut c).collect();
        names.into_iter().take_while(|id| id.kind_id() == kk.identifier)
    })
}

/// Whether the file declares `wg` (its last name) as a `sync.WaitGroup`: a variable, a field, a
/// parameter or a composite literal. Other types have `Add` too (queues, custom groups).
fn is_wait_group(wg: &str, src: &str) -> bool {
    let name = wg.rsplit('.').next().unwrap_or(wg);
    [
        format!("{name} sync.WaitGroup"),
        format!("{name} *sync.WaitGroup"),
        format!("{name} := sync.WaitGroup{{"),
        format!("{name} := &sync.WaitGroup{{"),
        format!("{name} = sync.WaitGroup{{"),
        format!("{name} := new(sync.WaitGroup)"),
    ]
    .iter()
    .any(|p| src.contains(p.as_str()))
}

/// `wg.Add(1)` followed in its block by the `go` statement it counts (a goroutine that starts
/// goroutines of its own): legitimate.
fn counts_a_later_goroutine(add: Node) -> bool {
    let Some(stmt) = add.parent() else {
        return false;
    };
    let mut next = stmt.next_named_sibling();
    while let Some(s) = next {
        if preorder(s).any(|n| n.kind_id() == k().go_statement) {
            return true;
        }
        next = s.next_named_sibling();
    }
    false
}

/// A goroutine whose `wg.Done()` (not deferred) a `return` can skip.
fn done_skipped(go: Node, lit: Node, cx: &FileContext) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let body = lit.child_by_field_id(k().f_body)?;
    let dones = calls(body, "Done", src);
    let (_, wg) = *dones.first()?;
    // Only a WaitGroup the starter counts with: `Done` is also a context's and an event's method.
    let starter = enclosing_function(go)?.child_by_field_id(k().f_body)?;
    let counted = calls(starter, "Add", src)
        .iter()
        .any(|(a, x)| *x == wg && a.start_byte() < go.start_byte());
    if wg.contains('(') || !counted || !is_wait_group(wg, src) {
        return None;
    }
    let deferred = dones.iter().any(|(d, _)| {
        d.parent()
            .is_some_and(|p| p.kind_id() == k().defer_statement)
            || enclosing_function(*d).is_some_and(|f| f.id() != lit.id())
    });
    if deferred {
        return None;
    }
    let cfg = Cfg::build(body, src)?;
    let counts = |b: usize| {
        cfg.blocks[b].nodes.iter().any(|n| {
            preorder(*n).any(|x| {
                x.kind_id() == k().call_expression
                    && matches!(call_parts(x, src), Some((Some(w), "Done")) if w == wg)
            })
        })
    };
    let mut seen = vec![false; cfg.blocks.len()];
    let mut stack = vec![ENTRY];
    while let Some(b) = stack.pop() {
        if std::mem::replace(&mut seen[b], true) || counts(b) {
            continue;
        }
        if let Some(Exit::Return(r)) = cfg.blocks[b].exit {
            let mut d = Diagnostic::at(
                r,
                format!(
                    "goroutine started at line {} returns at line {} without {wg}.Done(): {wg}.Wait never returns; defer {wg}.Done() at the top of the goroutine",
                    line(go),
                    line(r)
                ),
            );
            d.end_byte = cx.file.line_end_byte(r.start_byte()).min(r.end_byte());
            return Some(d);
        }
        stack.extend(cfg.blocks[b].succs.iter().map(|e| e.to));
    }
    None
}

/// `func work(wg sync.WaitGroup)`: the callee counts down a copy.
fn by_value(param: Node, cx: &FileContext) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let ty = param.child_by_field_id(k().f_type)?;
    if text(ty, src) != "sync.WaitGroup" {
        return None;
    }
    let name = param
        .child_by_field_id(k().f_name)
        .map(|n| text(n, src))
        .unwrap_or("the parameter");
    Some(Diagnostic::at(
        param,
        format!(
            "{name} sync.WaitGroup is passed by value: Done and Wait act on a copy, so the caller's Wait never sees them; pass *sync.WaitGroup"
        ),
    ))
}
