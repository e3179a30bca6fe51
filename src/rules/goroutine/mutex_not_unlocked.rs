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
//! whose name says it unlocks (`updateStateAndUnlock()`), a returned closure that unlocks, a
//! call of a variable holding an unlocking function (`unlock := mu.Unlock`, `sync.OnceFunc`),
//! a later loop over the same slice that unlocks each element, a call of one of the package's
//! functions that the lock model's summary says releases the caller's lock (`return
//! g.start(key)`, where `start` unlocks `g.mu`), and the mutex's address returned or assigned to
//! a named result (the caller owns the unlock) count as releases. It runs per package, to read
//! those summaries.

use super::{call_args, call_parts, function_name, k, line, text};
use crate::analysis::cfg::{Cfg, Exit};
use crate::analysis::locks::{loop_release, unlock_values};
use crate::budget::{Meter, LOCK_PATH_STEPS};
use crate::config::RuleSettings;
use crate::fxhash::{HashMap, HashSet};
use crate::rules::leak::flow::OwnFunction;
use crate::rules::{Diagnostic, FileContext, PackageContext, PackageDiagnostic, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct MutexNotUnlocked;

impl Rule for MutexNotUnlocked {
    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let mut by_call: Vec<CallReleases> = vec![HashMap::default(); cx.files.len()];
        if cx.files.iter().any(|f| f.file.text.contains("Unlock()")) {
            for (file, at, path) in &cx.locks().call_releases {
                if let Some(calls) = by_call.get_mut(*file) {
                    calls.entry(*at).or_default().push(path.as_str());
                }
            }
        }
        for (i, fcx) in cx.files.iter().enumerate() {
            let mut found = Vec::new();
            check_file(fcx, &by_call[i], &mut found);
            out.extend(found.into_iter().map(|diagnostic| PackageDiagnostic {
                file: i,
                diagnostic,
            }));
        }
    }
}

/// The calls of one file that release a lock their caller holds (the lock model's
/// `call_releases`): each call's first byte and the locks' paths.
type CallReleases<'m> = HashMap<usize, Vec<&'m str>>;

fn check_file<'t>(cx: &FileContext<'t>, by_call: &CallReleases, out: &mut Vec<Diagnostic>) {
    let src = cx.file.text.as_str();
    for f in cx.functions() {
        if function_name(f.node, src)
            .to_ascii_lowercase()
            .contains("lock")
        {
            continue;
        }
        check_function(f, cx, by_call, out);
    }
}

/// Judges every lock of one function. What the function does with each mutex is worked out once
/// (`Calls`, `Paths`), so the cost is linear in the body, not in its locks times its body; the
/// paths from each lock to the exits are followed within `LOCK_PATH_STEPS`.
fn check_function<'t>(
    f: &OwnFunction<'t>,
    cx: &FileContext<'t>,
    by_call: &CallReleases,
    out: &mut Vec<Diagnostic>,
) {
    let src = cx.file.text.as_str();
    let Some(body) = f.body else {
        return;
    };
    let locks: Vec<(Node, &str, &str)> = f
        .nodes
        .iter()
        .copied()
        .filter(|n| n.kind_id() == k().expression_statement)
        .filter_map(|n| lock_call(n, src))
        .collect();
    if locks.is_empty() {
        return;
    }
    let values = unlock_values(body, src);
    let mut fx = FunctionFacts {
        func: f.node,
        body,
        calls: Calls::of(f, body, src),
        cfg: None,
        paths: HashMap::default(),
        flags: HashMap::default(),
        meter: Meter::new(LOCK_PATH_STEPS),
        by_call,
        results: result_names(f.node, src),
    };
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
        match check_lock(&lock, &mut fx, cx) {
            Ok(Some(d)) => out.push(d),
            Ok(None) => {}
            Err(OverBudget) => {
                cx.over_budget(
                    stmt,
                    format!(
                        "mutex-not-unlocked stopped in {} at the lock on line {}: following its locks to the exits took over {LOCK_PATH_STEPS} steps, so this lock and the ones after it were not judged",
                        function_name(f.node, src),
                        line(stmt)
                    ),
                );
                return;
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

/// A function's search of its paths ran over `LOCK_PATH_STEPS`.
struct OverBudget;

/// One function's facts for judging its locks, each worked out once.
struct FunctionFacts<'t, 'c> {
    func: Node<'t>,
    body: Node<'t>,
    calls: Calls<'t>,
    /// The graph, and each of its nodes' block and index (`None`: no graph).
    cfg: Option<Option<Graph<'t>>>,
    /// For each `(mutex, unlock)`: the index of each block's last release.
    paths: HashMap<(&'t str, &'t str), Vec<Option<usize>>>,
    /// `flag_tracked` for each `(mutex, unlock)`.
    flags: HashMap<(&'t str, &'t str), bool>,
    meter: Meter,
    by_call: &'c CallReleases<'c>,
    /// The function's named results (a mutex pointer assigned to one goes to the caller).
    results: Vec<&'t str>,
}

/// A function's control-flow graph with an index of its nodes.
struct Graph<'t> {
    cfg: Cfg<'t>,
    at: HashMap<usize, (usize, usize)>,
}

impl<'t> Graph<'t> {
    fn build(body: Node<'t>, src: &'t str) -> Option<Graph<'t>> {
        let cfg = Cfg::build(body, src)?;
        let mut at = HashMap::default();
        for (b, block) in cfg.blocks.iter().enumerate() {
            for (i, n) in block.nodes.iter().enumerate() {
                // `Cfg::block_of` answers the first block holding the node.
                at.entry(n.id()).or_insert((b, i));
            }
        }
        Some(Graph { cfg, at })
    }
}

/// Every `m.f()` call of a function body, found in one walk.
#[derive(Default)]
struct Calls<'t> {
    /// Anywhere in the body (nested literals too).
    all: HashSet<(&'t str, &'t str)>,
    /// Inside an expression, `defer` or `return` statement of the function's own flow.
    own: HashSet<(&'t str, &'t str)>,
    /// Inside a `defer` statement.
    deferred: HashSet<(&'t str, &'t str)>,
    /// Calls of a plain name (`unlock()`) in the function's own flow, and in a `defer`.
    own_plain: HashSet<&'t str>,
    deferred_plain: HashSet<&'t str>,
    /// For each mutex, the first of its `Lock`, `RLock`, `Unlock`, `RUnlock` calls.
    first: HashMap<&'t str, &'t str>,
    /// The conditions of the nearest `if` around each `Unlock`/`RUnlock` call.
    guards: HashMap<(&'t str, &'t str), HashSet<&'t str>>,
}

impl<'t> Calls<'t> {
    fn of(f: &OwnFunction<'t>, body: Node<'t>, src: &'t str) -> Calls<'t> {
        let mut c = Calls::default();
        let mut defer_end = 0;
        for n in preorder(body) {
            if n.kind_id() == k().defer_statement {
                defer_end = defer_end.max(n.end_byte());
            }
            if n.kind_id() == k().call_expression {
                c.add(n, n.start_byte() < defer_end, src);
            }
        }
        // Own statements of these kinds hold no other (only a literal could, and it is not own).
        for &n in &f.nodes {
            let kind = n.kind_id();
            if kind == k().expression_statement
                || kind == k().defer_statement
                || kind == k().return_statement
            {
                for x in preorder(n).filter(|x| x.kind_id() == k().call_expression) {
                    match call_parts(x, src) {
                        Some((Some(m), name)) => {
                            c.own.insert((m, name));
                        }
                        Some((None, name)) => {
                            c.own_plain.insert(name);
                        }
                        None => {}
                    }
                }
            }
        }
        c
    }

    fn add(&mut self, call: Node<'t>, in_defer: bool, src: &'t str) {
        let Some((m, name)) = call_parts(call, src) else {
            return;
        };
        let Some(m) = m else {
            if in_defer {
                self.deferred_plain.insert(name);
            }
            return;
        };
        self.all.insert((m, name));
        if in_defer {
            self.deferred.insert((m, name));
        }
        if matches!(name, "Lock" | "RLock" | "Unlock" | "RUnlock") {
            self.first.entry(m).or_insert(name);
        }
        if matches!(name, "Unlock" | "RUnlock") {
            let guards = self.guards.entry((m, name)).or_default();
            guards.extend(guard(call, src));
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
    fx: &mut FunctionFacts<'t, '_>,
    cx: &FileContext<'t>,
) -> Result<Option<Diagnostic>, OverBudget> {
    let src = cx.file.text.as_str();
    let Lock {
        stmt, mu, method, ..
    } = *lock;
    let (unlock, wrong) = if method == "RLock" {
        ("RUnlock", "Unlock")
    } else {
        ("Unlock", "RUnlock")
    };
    let by_value = lock.vals.iter().any(|v| fx.calls.own_plain.contains(v));
    if !fx.calls.own.contains(&(mu, unlock)) && !by_value {
        if fx.calls.all.contains(&(mu, wrong)) {
            return Ok(Some(at_line(
                stmt,
                format!("{mu}.{method}() at line {} is released with {mu}.{wrong}(), not {mu}.{unlock}(): that panics or corrupts the lock", line(stmt)),
                cx,
            )));
        }
        return Ok(None);
    }
    if handed_over(lock, unlock, fx, src) {
        return Ok(None);
    }
    let Some(exit) = held_exit(fx, lock, unlock, src)? else {
        return Ok(None);
    };
    let (how, at) = match exit {
        Exit::Return(r) => ("the return", line(r)),
        Exit::End(b) => ("the end of the function", b.end_position().row + 1),
        Exit::NoReturn(_) => return Ok(None),
    };
    Ok(Some(at_line(
        stmt,
        format!(
            "{mu}.{method}() at line {} is still held at {how} at line {at} in {}: {mu}.{unlock}() is skipped on that path and the next Lock blocks forever; defer {mu}.{unlock}() right after locking",
            line(stmt),
            function_name(fx.func, src)
        ),
        cx,
    )))
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

/// Whether `n` calls one of the package's functions that releases `mu` for its caller (the lock
/// model's summary: `makeCall` unlocks `lg.mu`, `pump` unlocks it on every return).
fn released_by_call(n: Node, mu: &str, by_call: &CallReleases) -> bool {
    let kind = n.kind_id();
    let own = [
        k().expression_statement,
        k().return_statement,
        k().assignment_statement,
        k().short_var_declaration,
        k().defer_statement,
    ];
    own.contains(&kind)
        && preorder(n).any(|x| {
            x.kind_id() == k().call_expression
                && by_call
                    .get(&x.start_byte())
                    .is_some_and(|paths| paths.contains(&mu))
        })
}

/// Whether `n` hands the mutex itself to the caller, who then owns the unlock: `return &s.mu`,
/// or `lock = &c.rlock` into a named result.
fn hands_pointer_out(n: Node, mu: &str, results: &[&str], src: &str) -> bool {
    let kind = n.kind_id();
    let values = |side| {
        n.child_by_field_id(side)
            .map(|l| l.named_children(&mut l.walk()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    if kind == k().return_statement {
        let list = n.named_child(0).filter(|l| l.kind_id() == k().expression_list);
        return list.is_some_and(|l| {
            l.named_children(&mut l.walk())
                .any(|v| is_address_of(v, mu, src))
        });
    }
    if kind != k().assignment_statement {
        return false;
    }
    let (left, right) = (values(k().f_left), values(k().f_right));
    left.iter().zip(&right).any(|(l, r)| {
        is_address_of(*r, mu, src) && results.contains(&text(*l, src))
    })
}

/// `&mu`, written as the mutex is.
fn is_address_of(x: Node, mu: &str, src: &str) -> bool {
    if x.kind_id() != k().unary_expression {
        return false;
    }
    let op = x.child_by_field_id(k().f_operator).map(|o| text(o, src));
    let operand = x.child_by_field_id(k().f_operand).map(|o| text(o, src));
    op == Some("&") && operand == Some(mu)
}

/// The names of a function's named results.
fn result_names<'t>(func: Node<'t>, src: &'t str) -> Vec<&'t str> {
    let Some(list) = func
        .child_by_field_id(k().f_result)
        .filter(|r| r.kind_id() == k().parameter_list)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for decl in list.named_children(&mut list.walk()) {
        let mut c = decl.walk();
        out.extend(
            decl.named_children(&mut c)
                .filter(|n| n.kind_id() == k().identifier)
                .map(|n| text(n, src)),
        );
    }
    out
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
fn handed_over<'t>(
    lock: &Lock<'t, '_>,
    unlock: &'t str,
    fx: &mut FunctionFacts<'t, '_>,
    src: &'t str,
) -> bool {
    let (stmt, mu) = (lock.stmt, lock.mu);
    let deferred = fx.calls.deferred.contains(&(mu, unlock))
        || lock.vals.iter().any(|v| fx.calls.deferred_plain.contains(v));
    let first = fx.calls.first.get(mu).copied();
    let doc = doc_of(fx.func, src).to_ascii_lowercase();
    let documented = doc.contains("lock") && says_returns_locked(&doc);
    let (calls, body) = (&fx.calls, fx.body);
    let flagged = *fx
        .flags
        .entry((mu, unlock))
        .or_insert_with(|| flag_tracked(calls, mu, unlock, body, src));
    deferred
        || matches!(first, Some("Unlock" | "RUnlock"))
        || documented
        || same_condition(stmt, &fx.calls, mu, unlock, src)
        || flagged
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

fn same_condition(stmt: Node, calls: &Calls, mu: &str, unlock: &str, src: &str) -> bool {
    let Some(cond) = guard(stmt, src) else {
        return false;
    };
    calls
        .guards
        .get(&(mu, unlock))
        .is_some_and(|gs| gs.contains(&cond))
}

/// `mu.Lock(); held = true` ... `if held { mu.Unlock() }`: the flag tracks the lock.
fn flag_tracked(calls: &Calls, mu: &str, unlock: &str, body: Node, src: &str) -> bool {
    calls
        .guards
        .get(&(mu, unlock))
        .into_iter()
        .flatten()
        .any(|g| {
            let g = g.trim_start_matches('!');
            g.chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
                && text(body, src).contains(&format!("{g} = true"))
        })
}

fn at_line(n: Node, msg: String, cx: &FileContext) -> Diagnostic {
    Diagnostic::on_first_line(n, cx.file, msg)
}

/// The first exit a path from the lock reaches without passing a release; each block visited
/// is a step of the function's budget.
fn held_exit<'t>(
    fx: &mut FunctionFacts<'t, '_>,
    lock: &Lock<'t, '_>,
    unlock: &'t str,
    src: &'t str,
) -> Result<Option<Exit<'t>>, OverBudget> {
    let (stmt, mu, vals) = (lock.stmt, lock.mu, lock.vals);
    let body = fx.body;
    let Some(graph) = fx.cfg.get_or_insert_with(|| Graph::build(body, src)) else {
        return Ok(None);
    };
    let Some(&(start, pos)) = graph.at.get(&stmt.id()) else {
        return Ok(None);
    };
    // Locks taken in a loop over a slice, released by a later loop over the same slice.
    let looped = loop_release(stmt, mu, unlock, src).and_then(|l| graph.at.get(&l.id()).copied());
    let last = fx.paths.entry((mu, unlock)).or_insert_with(|| {
        let (by_call, results) = (fx.by_call, &fx.results);
        let releasing = |n: &Node| {
            releases(*n, mu, unlock, vals, src)
                || released_by_call(*n, mu, by_call)
                || hands_pointer_out(*n, mu, results, src)
        };
        let blocks = &graph.cfg.blocks;
        blocks
            .iter()
            .map(|b| b.nodes.iter().rposition(releasing))
            .collect()
    });
    let released_in = |b: usize| last[b].is_some() || looped.is_some_and(|(lb, _)| lb == b);
    if last[start].is_some_and(|i| i > pos) || looped.is_some_and(|(lb, li)| lb == start && li > pos)
    {
        return Ok(None);
    }
    let mut seen = vec![false; graph.cfg.blocks.len()];
    let mut stack = vec![start];
    let mut first = true;
    while let Some(b) = stack.pop() {
        if !first && (std::mem::replace(&mut seen[b], true) || released_in(b)) {
            continue;
        }
        if !fx.meter.spend(1) {
            return Err(OverBudget);
        }
        first = false;
        let block = &graph.cfg.blocks[b];
        if let Some(e @ (Exit::Return(_) | Exit::End(_))) = block.exit {
            return Ok(Some(e));
        }
        stack.extend(block.succs.iter().map(|e| e.to));
    }
    Ok(None)
}
