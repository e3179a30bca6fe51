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
//!
//! Two more make `Wait` block forever by counting. `wg.Wait()` inside the loop that starts the
//! goroutines, after `wg.Add(n)` counted all of them before the loop: on the first iteration
//! one goroutine has started and `Wait` needs `n`. And a WaitGroup (a local or a field, not
//! exported) that the package `Add`s to and `Wait`s on but never calls `Done` (or `Add(-1)`) on,
//! nor hands to anything else that could: the count never returns to zero. The second needs
//! the whole package (its methods are spread over files), so it is a package check.

use super::{call_parts, enclosing_function, is_test_file, k, line, literal_of, text};
use crate::analysis::cfg::{Cfg, Exit, ENTRY};
use crate::config::RuleSettings;
use crate::fxhash::HashMap;
use crate::rules::{Diagnostic, FileContext, PackageContext, PackageDiagnostic, Rule};
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
        out.extend(wait_in_loop(node, lit, cx));
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        out.extend(never_done(cx));
    }
}

/// `wg.Wait()` in the loop whose iterations start the goroutines that call `wg.Done()`, after a
/// `wg.Add(n)` before the loop counted them all: the first `Wait` needs every `Done` while one
/// goroutine has started.
fn wait_in_loop(go: Node, lit: Node, cx: &FileContext) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let func = enclosing_function(go)?;
    let lp = super::enclosing_loop(go, func)?;
    if first_go_in(lp).is_some_and(|g| g.id() != go.id()) {
        return None; // one report per loop
    }
    let (_, wg) = *calls(lit, "Done", src).first()?;
    if wg.contains('(') || !declared_wait_group(wg, cx) {
        return None;
    }
    let (wait, _) = calls(lp, "Wait", src)
        .into_iter()
        .find(|(w, x)| *x == wg && enclosing_function(*w).is_some_and(|f| f.id() == func.id()))?;
    let body = func.child_by_field_id(k().f_body)?;
    let adds = calls(body, "Add", src);
    let adds: Vec<Node> = adds.iter().filter(|(_, x)| *x == wg).map(|a| a.0).collect();
    let counted_all = adds.iter().all(|a| a.end_byte() <= lp.start_byte())
        && adds.iter().any(|a| !adds_one(*a, src));
    if !counted_all {
        return None;
    }
    let add = adds.first()?;
    let d = Diagnostic::on_first_line(
        wait, cx.file,
        format!(
            "{wg}.Wait() at line {} is inside the loop that starts the goroutines (go at line {}): {} at line {} counted all of them, but only one has started when it waits, so it blocks forever; move {wg}.Wait() after the loop",
            line(wait),
            line(go),
            text(*add, src),
            line(*add)
        ),
    );
    Some(d)
}

/// The first `go` statement of a loop, outside nested functions.
fn first_go_in(lp: Node) -> Option<Node> {
    let kk = k();
    lp.preorder_pruned(|n| n.kind_id() == kk.func_literal)
        .find(|n| n.kind_id() == kk.go_statement)
}

/// `wg.Add(1)`.
fn adds_one(add: Node, src: &str) -> bool {
    super::call_args(add)
        .first()
        .is_some_and(|a| text(*a, src) == "1")
}

/// What the package does with each WaitGroup name (the last part of `b.pending`).
#[derive(Default)]
struct Counting<'t> {
    /// `(file, call)` of each `Add` with a positive count.
    adds: Vec<(usize, Node<'t>)>,
    waits: Vec<(usize, Node<'t>)>,
    /// `Done()` or `Add(-n)` somewhere.
    done: bool,
}

/// `Wait` on a WaitGroup that the package counts up and never down (`Add` with no `Done`).
fn never_done(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    let kk = k();
    let mut by_name: HashMap<&str, Counting> = HashMap::default();
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if !(src.contains(".Add(") || src.contains(".Done") || src.contains(".Wait(")) {
            continue;
        }
        for call in preorder(f.root).filter(|n| n.kind_id() == kk.call_expression) {
            let Some((Some(x), m)) = call_parts(call, src) else {
                continue;
            };
            let name = last_name(x);
            let c = || Counting::default();
            match m {
                "Add" if text_of_first_arg(call, src).starts_with('-') => {
                    by_name.entry(name).or_insert_with(c).done = true
                }
                "Add" => by_name.entry(name).or_insert_with(c).adds.push((i, call)),
                "Done" => by_name.entry(name).or_insert_with(c).done = true,
                "Wait" => by_name.entry(name).or_insert_with(c).waits.push((i, call)),
                _ => {}
            }
        }
    }
    let mut candidates: Vec<(&str, Counting)> = by_name
        .into_iter()
        .filter(|(name, c)| {
            !c.done && !c.adds.is_empty() && !c.waits.is_empty() && !is_exported(name)
        })
        .collect();
    candidates.sort_by_key(|(name, _)| *name);
    let mut out = Vec::new();
    for (name, c) in candidates {
        let declared = cx
            .files
            .iter()
            .any(|f| is_wait_group(name, f.file.text.as_str()));
        if !declared || handed_on(cx, name) {
            continue;
        }
        out.extend(report_never_done(cx, &c));
    }
    out
}

fn report_never_done(cx: &PackageContext, c: &Counting) -> Vec<PackageDiagnostic> {
    let (add_file, add) = c.adds[0];
    let add_src = cx.files[add_file].file.text.as_str();
    let add_text = text(add, add_src);
    let mut out = Vec::new();
    for &(file, wait) in &c.waits {
        let fcx = &cx.files[file];
        let src = fcx.file.text.as_str();
        let Some((Some(x), _)) = call_parts(wait, src) else {
            continue;
        };
        let at = match file == add_file {
            true => format!("line {}", line(add)),
            false => format!("{}:{}", base_name(&cx.files[add_file].file.rel), line(add)),
        };
        let d = Diagnostic::on_first_line(
            wait, fcx.file,
            format!(
                "{x}.Wait() blocks forever: {add_text} at {at} counts up, but nothing in the package calls {x}.Done() (or hands {x} to code that could), so the count never returns to zero; call {x}.Done() when each counted task ends"
            ),
        );
        out.push(PackageDiagnostic {
            file,
            diagnostic: d,
        });
    }
    out
}

/// Whether the package uses WaitGroup `name` other than by calling `Add`, `Wait` or `Done` on
/// it or declaring it: passed to a call, its address taken, a method value, copied. Then code
/// out of sight may call `Done`.
fn handed_on(cx: &PackageContext, name: &str) -> bool {
    let kk = k();
    for f in &cx.files {
        let src = f.file.text.as_str();
        if !src.contains(name) {
            continue;
        }
        for n in preorder(f.root) {
            let kind = n.kind_id();
            if (kind != kk.identifier && kind != kk.field_identifier) || text(n, src) != name {
                continue;
            }
            if !counting_or_declaring(n, src) {
                return true;
            }
        }
    }
    false
}

/// `wg` in `wg.Add(1)`, `b.wg.Wait()`, `var wg sync.WaitGroup` or a struct field `wg sync.WaitGroup`.
fn counting_or_declaring(n: Node, src: &str) -> bool {
    let kk = k();
    let Some(p) = n.parent() else { return false };
    let pk = p.kind_id();
    if pk == kk.var_spec || pk == kk.field_declaration || pk == kk.parameter_declaration {
        return true;
    }
    if pk == kk.expression_list {
        // `wg := sync.WaitGroup{}` declares; on the right, or returned, it is copied.
        return p.parent().is_some_and(|d| {
            d.kind_id() == kk.short_var_declaration
                && d.child_by_field_id(kk.f_left).map(|l| l.id()) == Some(p.id())
        });
    }
    // `x.wg` (the field) is the operand of the method selector; a bare `wg` is the operand itself.
    let operand = if pk == kk.selector_expression && n.kind_id() == kk.field_identifier {
        p
    } else {
        n
    };
    let Some(sel) = operand.parent() else {
        return false;
    };
    if sel.kind_id() != kk.selector_expression
        || sel.child_by_field_id(kk.f_operand).map(|o| o.id()) != Some(operand.id())
    {
        return false;
    }
    let method = sel.child_by_field_id(kk.f_field).map(|m| text(m, src));
    matches!(method, Some("Add" | "Wait" | "Done"))
        && sel.parent().is_some_and(|c| c.kind_id() == kk.call_expression)
}

fn text_of_first_arg<'t>(call: Node, src: &'t str) -> &'t str {
    super::call_args(call)
        .first()
        .map(|a| text(*a, src).trim())
        .unwrap_or("")
}

/// `pending` of `b.pending`, `(&wg)` of `(&wg)`.
fn last_name(x: &str) -> &str {
    x.rsplit('.').next().unwrap_or(x)
}

fn base_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn is_exported(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
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
        if counts_a_later_goroutine(add) || !declared_wait_group(wg, cx) || owns(lit, wg, src) {
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
        let d = Diagnostic::on_first_line(
            add, cx.file,
            format!(
                "{wg}.Add inside the goroutine it counts (started at line {}): {waits}; call {wg}.Add before the go statement",
                line(go)
            ),
        );
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

/// Whether the file, or another file of its package (a struct declared beside it), declares
/// `wg` (its last name) as a `sync.WaitGroup`.
fn declared_wait_group(wg: &str, cx: &FileContext) -> bool {
    is_wait_group(wg, &cx.file.text)
        || cx
            .package
            .is_some_and(|p| p.files().iter().any(|f| is_wait_group(wg, &f.text)))
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
    if wg.contains('(') || !counted || !declared_wait_group(wg, cx) {
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
            let d = Diagnostic::on_first_line(
                r, cx.file,
                format!(
                    "goroutine started at line {} returns at line {} without {wg}.Done(): {wg}.Wait never returns; defer {wg}.Done() at the top of the goroutine",
                    line(go),
                    line(r)
                ),
            );
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
