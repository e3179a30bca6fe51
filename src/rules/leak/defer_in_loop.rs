//! `defer-in-loop`: a release deferred inside a loop body, for something the loop acquires.
//!
//! `defer` runs when the function returns, not when the iteration ends. A loop that opens a file
//! (a connection, rows, a lock) and defers its release keeps every one of them until the whole
//! loop and the rest of the function finish: thousands of open descriptors for a long directory,
//! or, for `mu.Lock(); defer mu.Unlock()`, a deadlock on the second iteration. Only releases of
//! what the loop body itself assigns (or locks) are reported; a loop that defers the close of
//! values made elsewhere only delays them. Two shapes are not the bug: a defer after which every
//! path leaves the loop (return, break, panic: at most one release is ever pending), and a value
//! kept past its iteration (appended to a slice, stored in a map, a field or a variable declared
//! outside the loop), which the function still uses after the loop, so releasing it at the end of
//! each iteration would be the bug.
//!
//! Severity: high for a deferred unlock, which deadlocks; medium for a deferred close or cancel,
//! released late, not never (judged blind on real modules, the deferred closes in loops were all
//! correct but harmless: short loops over a few values).

use crate::analysis::paths::{terminates, Leaves};
use crate::analysis::{is_function, kinds, Kinds};
use crate::config::RuleSettings;
use crate::finding::Severity;
use crate::rules::{at_catalogue_severity, Diagnostic, FileContext, Identified, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct DeferInLoop;

impl Rule for DeferInLoop {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["defer_statement"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let k = kinds();
        let Some(body) = loop_body(node, k) else {
            return;
        };
        let text = cx.file.text.as_str();
        if leaves_loop_after(node, body, text, k) {
            return;
        }
        for (target, method) in released(node, text, k) {
            let Some(acquired) = acquired_in(body, node, target, method, text, k) else {
                continue;
            };
            if kept_past_iteration(body, target, text, k) {
                continue;
            }
            let func = function_name(node, text, k);
            let call = node.named_child(0).map(|c| cx.text(c)).unwrap_or("");
            let call = if call.len() > 40 { "the release" } else { call };
            let locks = method == "Unlock" || method == "RUnlock";
            let what = if method.is_empty() {
                format!("the context created at line {acquired} stays alive until {func} returns")
            } else if locks {
                format!("{target} locked at line {acquired} stays locked until {func} returns, and the next iteration's lock waits for it forever")
            } else {
                format!(
                    "every {target} acquired at line {acquired} stays open until {func} returns"
                )
            };
            let mut d = Diagnostic::on_first_line(
                node, cx.file,
                format!("defer {call} inside a loop runs only when the function returns: {what}; release it at the end of each iteration or move the body into a function"),
            );
            if !locks && at_catalogue_severity(self.id(), settings) {
                d = d.with_severity(Severity::Medium);
            }
            out.push(d);
            return;
        }
    }
}

/// The body of the nearest loop around `n`, unless a function literal comes first.
fn loop_body<'t>(n: Node<'t>, k: &Kinds) -> Option<Node<'t>> {
    let mut cur = n.parent();
    while let Some(c) = cur {
        if is_function(k, c.kind_id()) {
            return None;
        }
        if c.kind_id() == k.for_statement {
            return c.child_by_field_id(k.f_body);
        }
        cur = c.parent();
    }
    None
}

/// Whether every path from `defer` leaves the loop whose body is `body` before the loop comes
/// round again: the statements after it (in its block, then in each enclosing block up to the
/// loop body) reach a statement that terminates (return, panic, a `break` of this loop) before
/// any `continue` of this loop, and before the body ends.
fn leaves_loop_after(defer: Node, body: Node, text: &str, k: &Kinds) -> bool {
    let mut stmt = defer;
    while let Some(list) = stmt.parent() {
        let breaks_loop = !breakable_between(list, body, k);
        let mut next = stmt.next_named_sibling();
        while let Some(n) = next {
            if continues(n, k) {
                return false;
            }
            let how = Leaves {
                unlabeled_break: breaks_loop,
                any_jump: false,
            };
            if terminates(n, how, text, k) {
                return true;
            }
            next = n.next_named_sibling();
        }
        // Falling off the end of this block: on after the statement that holds it, unless this
        // is the loop body, whose end comes round again.
        stmt = list;
        loop {
            if stmt.id() == body.id() {
                return false;
            }
            match stmt.parent() {
                Some(p) if p.kind_id() == k.statement_list || p.id() == body.id() => break,
                Some(p) => stmt = p,
                None => return false,
            }
        }
    }
    false
}

/// Whether a `switch`, `select` or loop between `n` and the loop body `body` would take an
/// unlabeled `break` in `n` for itself.
fn breakable_between(n: Node, body: Node, k: &Kinds) -> bool {
    let mut cur = Some(n);
    while let Some(c) = cur.filter(|c| c.id() != body.id()) {
        let kind = c.kind_id();
        if kind == k.expression_switch_statement
            || kind == k.type_switch_statement
            || kind == k.select_statement
            || kind == k.for_statement
        {
            return true;
        }
        cur = c.parent();
    }
    false
}

/// Whether `stmt` may `continue` the loop it is in: an unlabeled `continue` not inside a nested
/// loop or function literal, or any labeled one (which may name this loop).
fn continues(stmt: Node, k: &Kinds) -> bool {
    let mut pending = vec![stmt];
    while let Some(n) = pending.pop() {
        let kind = n.kind_id();
        if kind == k.continue_statement {
            return true;
        }
        if kind == k.goto_statement {
            return true;
        }
        if kind == k.for_statement || is_function(k, kind) {
            // Only a labeled continue inside can reach past it.
            if preorder(n).any(|c| c.kind_id() == k.continue_statement && c.named_child(0).is_some()) {
                return true;
            }
            continue;
        }
        let mut c = n.walk();
        pending.extend(n.named_children(&mut c));
    }
    false
}

/// Whether the value `target` outlives its iteration: the loop body appends it to, stores it in
/// or assigns it to something not declared in the body (a slice, a map, a field, an outer
/// variable), or sends it on a channel.
fn kept_past_iteration(body: Node, target: &str, text: &str, k: &Kinds) -> bool {
    let t = |n: Node| text.get(n.byte_range()).unwrap_or("");
    // The value itself flowing into what is stored: directly, through `append`, `&` or a
    // composite literal; not a call of its methods or a call that only reads it
    // (`_, err = io.WriteString(f, s)` keeps nothing).
    let mentions = |n: Node| {
        preorder(n).any(|x| {
            x.kind_id() == k.identifier && t(x) == target && flows_into(x, n, text, k)
        })
    };
    preorder(body).any(|n| {
        let kind = n.kind_id();
        if kind == k.send_statement {
            return n.child_by_field_id(k.f_value).is_some_and(mentions);
        }
        if kind != k.assignment_statement {
            return false;
        }
        let (Some(left), Some(right)) = (n.child_by_field_id(k.f_left), n.child_by_field_id(k.f_right))
        else {
            return false;
        };
        mentions(right) && !declared_in(body, left, text, k)
    })
}

/// Whether the value at `id` becomes (part of) the value of `top`: through parentheses, `&`,
/// composite literals, expression lists and the appended arguments of `append`.
fn flows_into(id: Node, top: Node, text: &str, k: &Kinds) -> bool {
    let mut cur = id;
    while cur.id() != top.id() {
        let Some(p) = cur.parent() else {
            return false;
        };
        let kind = p.kind_id();
        let passes = kind == k.expression_list
            || kind == k.parenthesized_expression
            || kind == k.literal_value
            || kind == k.literal_element
            || kind == k.keyed_element
            || kind == k.composite_literal
            || (kind == k.unary_expression && text.get(p.byte_range()).is_some_and(|e| e.starts_with('&')))
            || (kind == k.argument_list && is_append(p, text, k) && p.named_child(0).is_some_and(|a| a.id() != cur.id()))
            || (kind == k.call_expression && is_append_call(p, text, k));
        if !passes {
            return false;
        }
        cur = p;
    }
    true
}

/// Whether `args` is the argument list of a call of the builtin `append`.
fn is_append(args: Node, text: &str, k: &Kinds) -> bool {
    args.parent().is_some_and(|c| is_append_call(c, text, k))
}

fn is_append_call(call: Node, text: &str, k: &Kinds) -> bool {
    call.kind_id() == k.call_expression
        && call
            .child_by_field_id(k.f_function)
            .and_then(|f| text.get(f.byte_range()))
            == Some("append")
}

/// Whether every name assigned by `left` (`x`, not `m[k]` or `s.f`) is declared in `body`.
fn declared_in(body: Node, left: Node, text: &str, k: &Kinds) -> bool {
    let t = |n: Node| text.get(n.byte_range()).unwrap_or("");
    let mut c = left.walk();
    let targets: Vec<Node> = left.named_children(&mut c).collect();
    targets.iter().all(|&x| {
        x.kind_id() == k.identifier
            && (t(x) == "_" || preorder(body).any(|d| {
                let names = if d.kind_id() == k.short_var_declaration {
                    d.child_by_field_id(k.f_left)
                } else if d.kind_id() == k.var_spec {
                    Some(d)
                } else {
                    None
                };
                names.is_some_and(|l| {
                    let mut c = l.walk();
                    let found = l
                        .named_children(&mut c)
                        .any(|n| n.kind_id() == k.identifier && t(n) == t(x));
                    found
                })
            }))
    })
}

const RELEASES: &[&str] = &["Close", "Stop", "Rollback", "Unlock", "RUnlock", "Release"];

/// What a deferred call releases: (`f`, `Close`) for `defer f.Close()`, `defer
/// func() { f.Close() }()`, `defer closeQuietly(f)`; (`cancel`, "") for `defer cancel()`.
fn released<'t>(defer: Node<'t>, text: &'t str, k: &Kinds) -> Vec<(&'t str, &'t str)> {
    let t = |n: Node<'t>| text.get(n.byte_range()).unwrap_or("");
    let mut out = Vec::new();
    for n in preorder(defer) {
        if n.kind_id() != k.call_expression {
            continue;
        }
        let Some(f) = n.child_by_field_id(k.f_function) else {
            continue;
        };
        if f.kind_id() == k.identifier {
            let name = t(f);
            if name.starts_with("cancel") {
                out.push((name, ""));
            } else if name.to_ascii_lowercase().contains("close") {
                let args = n.child_by_field_id(k.f_arguments);
                if let Some(a) = args.and_then(|a| a.named_child(0)) {
                    out.push((t(a).trim_start_matches('&'), "Close"));
                }
            }
            continue;
        }
        let Some((x, m)) = f.selector() else {
            continue;
        };
        let m = t(m);
        if RELEASES.contains(&m) {
            let x = t(x);
            out.push((x.strip_suffix(".Body").unwrap_or(x), m));
        }
    }
    out
}

/// The line where the loop body, before the defer, assigns `target` (or locks it).
fn acquired_in(
    body: Node,
    defer: Node,
    target: &str,
    method: &str,
    text: &str,
    k: &Kinds,
) -> Option<usize> {
    let t = |n: Node| text.get(n.byte_range()).unwrap_or("");
    let lock = match method {
        "Unlock" => Some("Lock"),
        "RUnlock" => Some("RLock"),
        _ => None,
    };
    if lock.is_some() && varies(body, target, text, k) {
        // A different mutex each iteration (walking a chain of parents): locked on purpose.
        return None;
    }
    for n in preorder(body) {
        if n.start_byte() >= defer.start_byte() {
            break;
        }
        let kind = n.kind_id();
        let hit = if let Some(lock) = lock {
            kind == k.call_expression
                && n.child_by_field_id(k.f_function)
                    .is_some_and(|f| t(f) == format!("{target}.{lock}"))
        } else if kind == k.short_var_declaration || kind == k.assignment_statement {
            n.child_by_field_id(k.f_left).is_some_and(|l| {
                let mut c = l.walk();
                let found = l.named_children(&mut c).any(|x| t(x) == target);
                found
            })
        } else {
            false
        };
        if hit {
            return Some(n.start_position().row + 1);
        }
    }
    None
}

/// Whether the root variable of `target` (`p` in `p.mu`) changes inside the loop: a range or
/// loop variable, or assigned in the body.
fn varies(body: Node, target: &str, text: &str, k: &Kinds) -> bool {
    let root = target.split('.').next().unwrap_or(target);
    let Some(for_stmt) = body.parent() else {
        return false;
    };
    let header_end = body.start_byte();
    let header = text.get(for_stmt.start_byte()..header_end).unwrap_or("");
    let in_header = header
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == root);
    in_header
        || preorder(body).any(|n| {
            (n.kind_id() == k.short_var_declaration || n.kind_id() == k.assignment_statement)
                && n.child_by_field_id(k.f_left)
                    .is_some_and(|l| text.get(l.byte_range()) == Some(root))
        })
}

fn function_name(n: Node, text: &str, k: &Kinds) -> String {
    let mut cur = n.parent();
    while let Some(c) = cur {
        if c.kind_id() == k.func_literal {
            return "the function literal".to_string();
        }
        if c.kind_id() == k.function_declaration || c.kind_id() == k.method_declaration {
            return c
                .child_by_field_id(k.f_name)
                .and_then(|x| text.get(x.byte_range()))
                .unwrap_or("the function")
                .to_string();
        }
        cur = c.parent();
    }
    "the function".to_string()
}
