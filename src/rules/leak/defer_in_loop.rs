//! `defer-in-loop`: a release deferred inside a loop body, for something the loop acquires.
//!
//! `defer` runs when the function returns, not when the iteration ends. A loop that opens a file
//! (a connection, rows, a lock) and defers its release keeps every one of them until the whole
//! loop and the rest of the function finish: thousands of open descriptors for a long directory,
//! or, for `mu.Lock(); defer mu.Unlock()`, a deadlock on the second iteration. Only releases of
//! what the loop body itself assigns (or locks) are reported; a loop that defers the close of
//! values made elsewhere only delays them.

use crate::analysis::{is_function, kinds, Kinds};
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
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
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let k = kinds();
        let Some(body) = loop_body(node, k) else {
            return;
        };
        let text = cx.file.text.as_str();
        for (target, method) in released(node, text, k) {
            let Some(acquired) = acquired_in(body, node, target, method, text, k) else {
                continue;
            };
            let func = function_name(node, text, k);
            let call = node.named_child(0).map(|c| cx.text(c)).unwrap_or("");
            let call = if call.len() > 40 { "the release" } else { call };
            let what = if method.is_empty() {
                format!("the context created at line {acquired} stays alive until {func} returns")
            } else if method == "Unlock" || method == "RUnlock" {
                format!("{target} locked at line {acquired} stays locked until {func} returns, and the next iteration's lock waits for it forever")
            } else {
                format!(
                    "every {target} acquired at line {acquired} stays open until {func} returns"
                )
            };
            let mut d = Diagnostic::at(
                node,
                format!("defer {call} inside a loop runs only when the function returns: {what}; release it at the end of each iteration or move the body into a function"),
            );
            d.end_byte = cx
                .file
                .line_end_byte(node.start_byte())
                .min(node.end_byte());
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
