//! `mutex-not-unlocked`: a `Lock()` with a path to a `return` that skips the `Unlock()`, and
//! `RLock()` released by `Unlock()` (or `Lock()` by `RUnlock()`).
//!
//! The function unlocks on its main path but an early return (an error, a "stopping" flag)
//! leaves the mutex locked; the next `Lock` anywhere blocks forever and the service hangs with
//! no panic and no log line. Releasing a read lock with `Unlock` panics or corrupts the lock.
//!
//! Only functions that unlock the same mutex somewhere are judged, so lock hand-offs (a helper
//! that returns with the lock held for its caller, a `lock()` method) stay silent; so do
//! functions whose name says they lock, functions entered with the lock held (they unlock before
//! they lock, as `sync.Cond.Wait` does) or documented to return with it held, and a lock and an
//! unlock under the same condition. A deferred unlock (also inside a deferred closure), a helper
//! whose name says it unlocks (`updateStateAndUnlock()`), and a returned closure that unlocks
//! count as releases.

use super::{call_args, call_parts, function_name, k, line, text};
use crate::analysis::cfg::{Cfg, Exit};
use crate::analysis::locks::{loop_release, unlock_values};
use crate::config::RuleSettings;
use crate::rules::leak::flow::own_nodes;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct MutexNotUnlocked;

impl Rule for MutexNotUnlocked {
    fn check_file(&self, cx: &FileContext, _settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let src = cx.file.text.as_str();
        for f in cx.functions() {
            let func = f.node;
            if function_name(func, src)
                .to_ascii_lowercase()
                .contains("lock")
            {
                continue;
            }
            let Some(body) = f.body else {
                continue;
            };
            let locks: Vec<(Node, &str, &str)> = f
                .nodes
                .iter()
                .copied()
                .filter(|n| n.kind_id() == k().expression_statement)
                .filter_map(|n| lock_call(n, src))
                .collect();
            if locks.is_empty() {
                continue;
            }
            let mut cfg = None;
            let values = unlock_values(body, src);
            for (stmt, mu, method) in locks {
                let unlock = if method == "RLock" { "RUnlock" } else { "Unlock" };
                // The variables holding a function that unlocks this mutex (`unlock := mu.Unlock`).
                let vals: Vec<&str> = values
                    .iter()
                    .filter(|(_, op, m)| *m == unlock && text(*op, src) == mu)
                    .map(|v| v.0)
                    .collect();
                let lock = Lock {
                    stmt,
                    mu,
                    method,
                    vals: &vals,
                };
                if let Some(d) = check_lock(&lock, body, func, &mut cfg, cx) {
                    out.push(d);
                }
            }
        }
    }
}

/// One lock statement being judged: the statement, the mutex as written, the method, and the
/// variables that hold a function unlocking it.
struct Lock<'t, 'v> {
    stmt: Node<'t>,
    mu: &'t str,
    method: &'t str,
    vals: &'v [&'t str],
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

/// Whether `n` holds a call `mu.method()` (in nested literals too), or a call of one of `vals`,
/// the variables holding a function that makes it (`unlock()`).
fn calls(n: Node, mu: &str, method: &str, vals: &[&str], src: &str) -> bool {
    preorder(n).any(|x| {
        x.kind_id() == k().call_expression
            && match call_parts(x, src) {
                Some((Some(m), f)) => m == mu && f == method,
                Some((None, f)) => vals.contains(&f),
                None => false,
            }
    })
}

fn check_lock<'t>(
    lock: &Lock<'t, '_>,
    body: Node<'t>,
    func: Node<'t>,
    cfg: &mut Option<Option<Cfg<'t>>>,
    cx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let Lock {
        stmt,
        mu,
        method,
        vals,
    } = *lock;
    let (unlock, wrong) = if method == "RLock" {
        ("RUnlock", "Unlock")
    } else {
        ("Unlock", "RUnlock")
    };
    if !unlocks_itself(body, mu, unlock, vals, src) {
        if calls(body, mu, wrong, &[], src) {
            return Some(at_line(
                stmt,
                format!("{mu}.{method}() at line {} is released with {mu}.{wrong}(), not {mu}.{unlock}(): that panics or corrupts the lock", line(stmt)),
                cx,
            ));
        }
        return None;
    }
    if handed_over(lock, unlock, body, func, src) {
        return None;
    }
    let cfg = cfg.get_or_insert_with(|| Cfg::build(body, src)).as_ref()?;
    // Locks taken in a loop over a slice, released by a later loop over the same slice.
    let looped = loop_release(stmt, mu, unlock, src).map(|l| l.id());
    let exit = held_exit(cfg, stmt, |n| {
        Some(n.id()) == looped || releases(n, mu, unlock, vals, src)
    })?;
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

/// Whether the function releases the mutex in its own flow (a deferred closure counts; a closure
/// that some other goroutine or callback runs does not: the mutex is then a hand-off or a
/// semaphore).
fn unlocks_itself(body: Node, mu: &str, unlock: &str, vals: &[&str], src: &str) -> bool {
    own_nodes(body).into_iter().any(|n| {
        let kind = n.kind_id();
        (kind == k().expression_statement
            || kind == k().defer_statement
            || kind == k().return_statement)
            && calls(n, mu, unlock, vals, src)
    })
}

/// A release on this node: `mu.Unlock()` (or a call of a variable holding it), a helper that
/// unlocks (`updateStateAndUnlock()`), or a return that hands an unlocking function to the caller.
fn releases(n: Node, mu: &str, unlock: &str, vals: &[&str], src: &str) -> bool {
    if stores_unlocker(n, vals, src) {
        return false;
    }
    if calls(n, mu, unlock, vals, src) {
        return true;
    }
    if n.kind_id() == k().return_statement && text(n, src).contains("nlock") {
        return true;
    }
    // `rs.closemuScanHold = true`: the hold is recorded for a later release.
    if n.kind_id() == k().assignment_statement {
        let left = n
            .child_by_field_id(k().f_left)
            .map(|l| text(l, src).to_ascii_lowercase())
            .unwrap_or_default();
        if left.contains("hold") || left.contains("locked") || left.contains("lockheld") {
            return true;
        }
    }
    preorder(n).any(|x| {
        x.kind_id() == k().call_expression
            && call_parts(x, src).is_some_and(|(_, f)| {
                !matches!(f, "Unlock" | "RUnlock") && f.to_ascii_lowercase().contains("unlock")
            })
    })
}

/// `release := func() { mu.Unlock() }`: the function is stored for later, nothing runs here.
fn stores_unlocker(n: Node, vals: &[&str], src: &str) -> bool {
    let kind = n.kind_id();
    if kind != k().short_var_declaration && kind != k().assignment_statement {
        return false;
    }
    n.child_by_field_id(k().f_left)
        .is_some_and(|l| vals.contains(&text(l, src).trim()))
}

/// Whether the lock is deliberately held past the function: a deferred unlock covers it, the
/// function is entered holding the lock (it unlocks before it first locks, as `sync.Cond.Wait`
/// does), its documentation says it returns locked, or the lock and an unlock sit under the same
/// condition (`if b == 10 { mu.Lock() } ... if b == 10 { mu.Unlock() }`).
fn handed_over(lock: &Lock, unlock: &str, body: Node, func: Node, src: &str) -> bool {
    let (stmt, mu) = (lock.stmt, lock.mu);
    let deferred = preorder(body)
        .filter(|n| n.kind_id() == k().defer_statement)
        .any(|d| calls(d, mu, unlock, lock.vals, src));
    let first = preorder(body)
        .filter(|n| n.kind_id() == k().call_expression)
        .find_map(|c| match call_parts(c, src)? {
            (Some(m), f) if m == mu && matches!(f, "Lock" | "RLock" | "Unlock" | "RUnlock") => {
                Some(f)
            }
            _ => None,
        });
    let doc = doc_of(func, src).to_ascii_lowercase();
    let documented = doc.contains("lock") && says_returns_locked(&doc);
    deferred
        || matches!(first, Some("Unlock" | "RUnlock"))
        || documented
        || same_condition(stmt, mu, unlock, body, src)
        || flag_tracked(mu, unlock, body, src)
}

/// Whether (lowercase) documentation says the function returns with the lock held, or is
/// entered with it: "with the lock held", "must be held", "returns locked", "it is the caller's
/// responsibility to unlock it". A comment that only says something "stays locked" describes a
/// state, not the function's contract.
fn says_returns_locked(doc: &str) -> bool {
    doc.contains("held")
        || (doc.contains("caller") && doc.contains("unlock"))
        || [
            "returns locked",
            "return locked",
            "locked on return",
            "left locked",
            "leaves it locked",
            "leaves the lock",
        ]
        .iter()
        .any(|p| doc.contains(p))
}

fn doc_of<'t>(func: Node<'t>, src: &'t str) -> String {
    let mut out = String::new();
    let mut prev = func.prev_named_sibling();
    while let Some(p) = prev.filter(|p| p.kind_id() == k().comment) {
        out.push_str(text(p, src));
        prev = p.prev_named_sibling();
    }
    out
}

/// The condition of the nearest `if` around `n`.
fn guard<'t>(n: Node<'t>, src: &'t str) -> Option<&'t str> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_id() == k().if_statement {
            return p.child_by_field_id(k().f_condition).map(|c| text(c, src));
        }
        if crate::analysis::is_function(k(), p.kind_id()) {
            return None;
        }
        cur = p.parent();
    }
    None
}

fn same_condition(stmt: Node, mu: &str, unlock: &str, body: Node, src: &str) -> bool {
    let Some(cond) = guard(stmt, src) else {
        return false;
    };
    preorder(body)
        .filter(|n| n.kind_id() == k().call_expression)
        .filter(|c| matches!(call_parts(*c, src), Some((Some(m), f)) if m == mu && f == unlock))
        .any(|c| guard(c, src) == Some(cond))
}

/// `mu.Lock(); held = true` ... `if held { mu.Unlock() }`: the flag tracks the lock.
fn flag_tracked(mu: &str, unlock: &str, body: Node, src: &str) -> bool {
    preorder(body)
        .filter(|n| n.kind_id() == k().call_expression)
        .filter(|c| matches!(call_parts(*c, src), Some((Some(m), f)) if m == mu && f == unlock))
        .filter_map(|c| guard(c, src))
        .any(|g| {
            let g = g.trim_start_matches('!');
            g.chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
                && text(body, src).contains(&format!("{g} = true"))
        })
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
