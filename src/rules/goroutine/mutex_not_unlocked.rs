//! `mutex-not-unlocked`: a `Lock()` with a path to a `return` that skips the `Unlock()`, and
//! `RLock()` released by `Unlock()` (or `Lock()` by `RUnlock()`).
//!
//! The function unlocks on its main path but an early return (an error, a "stopping" flag)
//! leaves the mutex locked; the next `Lock` anywhere blocks forever and the service hangs with
//! no panic and no log line. Releasing a read lock with `Unlock` panics or corrupts the lock.
//!
//! Only functions that unlock the same mutex somewhere are judged, so lock hand-offs (a helper
//! that returns with the lock held for its caller, a `lock()` method) stay silent; so do
//! functions whose name says they lock. A deferred unlock, also inside a deferred closure, and a
//! returned closure that unlocks, count as releases.

use super::{call_args, call_parts, function_name, k, line};
use crate::analysis::cfg::{Cfg, Exit};
use crate::config::RuleSettings;
use crate::rules::leak::flow::{functions, own_nodes};
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::preorder;
use tree_sitter::Node;

pub struct MutexNotUnlocked;

impl Rule for MutexNotUnlocked {
    fn id(&self) -> &'static str {
        "mutex-not-unlocked"
    }

    fn check_file(&self, cx: &FileContext, _settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let src = cx.file.text.as_str();
        for func in functions(cx.root) {
            if function_name(func, src)
                .to_ascii_lowercase()
                .contains("lock")
            {
                continue;
            }
            let Some(body) = func.child_by_field_id(k().f_body) else {
                continue;
            };
            let locks: Vec<(Node, &str, &str)> = own_nodes(body)
                .into_iter()
                .filter(|n| n.kind_id() == k().expression_statement)
                .filter_map(|n| lock_call(n, src))
                .collect();
            if locks.is_empty() {
                continue;
            }
            let mut cfg = None;
            for (stmt, mu, method) in locks {
                if let Some(d) = check_lock(stmt, mu, method, body, func, &mut cfg, cx) {
                    out.push(d);
                }
            }
        }
    }
}

/// `mu.Lock()` or `s.mu.RLock()` as a statement: the mutex and the method.
fn lock_call<'t>(stmt: Node<'t>, src: &'t str) -> Option<(Node<'t>, &'t str, &'t str)> {
    let call = stmt.named_child(0)?;
    if call.kind_id() != k().call_expression || !call_args(call).is_empty() {
        return None;
    }
    match call_parts(call, src)? {
        (Some(mu), m @ ("Lock" | "RLock")) => Some((stmt, mu, m)),
        _ => None,
    }
}

/// Whether `n` holds a call `mu.method()` (in nested literals too).
fn calls(n: Node, mu: &str, method: &str, src: &str) -> bool {
    preorder(n).any(|x| {
        x.kind_id() == k().call_expression
            && matches!(call_parts(x, src), Some((Some(m), f)) if m == mu && f == method)
    })
}

fn check_lock<'t>(
    stmt: Node<'t>,
    mu: &str,
    method: &str,
    body: Node<'t>,
    func: Node<'t>,
    cfg: &mut Option<Option<Cfg<'t>>>,
    cx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let (unlock, wrong) = if method == "RLock" {
        ("RUnlock", "Unlock")
    } else {
        ("Unlock", "RUnlock")
    };
    if !calls(body, mu, unlock, src) {
        if calls(body, mu, wrong, src) {
            return Some(at_line(
                stmt,
                format!("{mu}.{method}() at line {} is released with {mu}.{wrong}(), not {mu}.{unlock}(): that panics or corrupts the lock", line(stmt)),
                cx,
            ));
        }
        return None;
    }
    let cfg = cfg.get_or_insert_with(|| Cfg::build(body, src)).as_ref()?;
    let exit = held_exit(cfg, stmt, |n| calls(n, mu, unlock, src))?;
    let (how, at) = match exit {
        Exit::Return(r) => ("the return", line(r)),
        Exit::End(b) => ("the end of the function", b.end_position().row + 1),
        Exit::NoReturn(_) => return None,
    };
    Some(at_line(
        stmt,
        format!(
            "{mu}.{method}() at line {} is still held at {how} at line {at} in {}: {mu}.{unlock}() is skipped on that path and the next Lock blocks forever; defer {mu}.{unlock}() right after locking",
            line(stmt),
            function_name(func, src)
        ),
        cx,
    ))
}

fn at_line(n: Node, msg: String, cx: &FileContext) -> Diagnostic {
    let mut d = Diagnostic::at(n, msg);
    d.end_byte = cx.file.line_end_byte(n.start_byte()).min(n.end_byte());
    d
}

/// The first exit a path from the lock reaches without passing a release.
fn held_exit<'t>(
    cfg: &Cfg<'t>,
    stmt: Node<'t>,
    releases: impl Fn(Node) -> bool,
) -> Option<Exit<'t>> {
    let start = cfg.block_of(stmt)?;
    let nodes = &cfg.blocks[start].nodes;
    let pos = nodes.iter().position(|n| n.id() == stmt.id())?;
    if nodes[pos + 1..].iter().any(|n| releases(*n)) {
        return None;
    }
    let releasing = |b: usize| cfg.blocks[b].nodes.iter().any(|n| releases(*n));
    let mut seen = vec![false; cfg.blocks.len()];
    let mut stack = vec![start];
    let mut first = true;
    while let Some(b) = stack.pop() {
        if !first && (std::mem::replace(&mut seen[b], true) || releasing(b)) {
            continue;
        }
        first = false;
        if let Some(e @ (Exit::Return(_) | Exit::End(_))) = cfg.blocks[b].exit {
            return Some(e);
        }
        stack.extend(cfg.blocks[b].succs.iter().map(|e| e.to));
    }
    None
}
