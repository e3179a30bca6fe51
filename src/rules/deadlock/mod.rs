//! Deadlock rules over the package's lock model (`analysis::locks`): `double-lock` (a mutex taken
//! again by the goroutine that holds it), `lock-order-inversion` (two locks taken in opposite
//! orders), `blocking-under-lock` (a channel operation, wait or sleep while holding a lock the
//! other end needs) and `cond-misuse` (`sync.Cond.Wait` outside a loop, or never signalled).
//! They run once per package (`Rule::check_package`): summaries cross files.

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_deadlock.rs"));

use crate::analysis::locks::{At, Held, LockModel, Op, OpKind};
use crate::rules::{Diagnostic, PackageContext, PackageDiagnostic};

/// `line 12`, or `other.go:12` when `at` is in another file than `here`.
pub fn place(cx: &PackageContext, at: At, here: usize) -> String {
    if at.file == here {
        return format!("line {}", at.line);
    }
    let rel = cx.files.get(at.file).map_or("", |f| f.file.rel.as_str());
    let name = rel.rsplit('/').next().unwrap_or(rel);
    format!("{name}:{}", at.line)
}

/// ` (through a → b)` for a lock taken through calls, or nothing; with the constant arguments
/// that decided a callee's condition (` (through a, with lock = true)`).
pub fn chain(h: &Held) -> String {
    if h.chain.is_empty() {
        String::new()
    } else {
        format!(" (through {}{})", h.chain.join(" → "), with(h))
    }
}

/// `, with lock = true` when constant arguments decided the callee's condition, or nothing.
pub fn with(h: &Held) -> String {
    if h.decided.is_empty() {
        String::new()
    } else {
        format!(", with {}", h.decided.join(", "))
    }
}

/// A diagnostic at `at`, with related locations that are in the same file.
pub fn diagnostic(at: At, message: String, related: &[(At, String)]) -> PackageDiagnostic {
    PackageDiagnostic {
        file: at.file,
        diagnostic: Diagnostic {
            start_byte: at.start,
            end_byte: at.end,
            message,
            severity: None,
            related: related
                .iter()
                .filter(|(r, _)| r.file == at.file)
                .map(|(r, m)| (r.start, r.end, m.clone()))
                .collect(),
            fix: None,
            metrics: Vec::new(),
        },
    }
}

/// How a message names a lock: its path, or its class when taken through a call on something
/// that is not a variable.
pub fn lock_name(h: &Held) -> &str {
    if h.path.is_empty() {
        h.class.as_deref().unwrap_or("a lock")
    } else {
        &h.path
    }
}

/// How the goroutine that would wake a blocked operation needs a lock the blocked one holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// It holds the lock at its own operation.
    Holds,
    /// It takes the lock in the loop around its operation: between two of them.
    InLoop,
    /// It takes the lock earlier in its function (after the `go` statement, when the blocked
    /// operation is in the goroutine that the function starts).
    Before,
}

/// The operations that can complete (wake) a blocked one: for a send, receives and `close`;
/// for a receive, sends and `close`; for `wg.Wait`, `Done`.
pub fn waker_kinds(kind: OpKind) -> &'static [OpKind] {
    match kind {
        OpKind::Send => &[OpKind::Recv, OpKind::Close],
        OpKind::Recv => &[OpKind::Send, OpKind::Close],
        OpKind::WgWait => &[OpKind::WgDone],
        _ => &[],
    }
}

/// The wakers of `op` elsewhere in the package: operations of other units on its channel or
/// wait group (matched by class).
pub fn wakers<'m>(model: &'m LockModel, op: &'m Op) -> impl Iterator<Item = &'m Op> + 'm {
    let kinds = waker_kinds(op.kind);
    model.ops.iter().filter(move |c| {
        kinds.contains(&c.kind) && c.unit != op.unit && c.target.is_some() && c.target == op.target
    })
}

/// Whether waker `c` takes lock class `class` before it gets to its operation, and how.
pub fn waker_needs(model: &LockModel, op: &Op, c: &Op, class: &str) -> Option<Need> {
    if c.held.iter().any(|x| x.class.as_deref() == Some(class)) {
        return Some(Need::Holds);
    }
    // A close wakes at the close itself: only one made under the lock needs it.
    if c.kind == OpKind::Close {
        return None;
    }
    // The blocked goroutine exists only from its `go` statement on: a lock its starter took
    // and released before that cannot be what it waits for.
    let since = match model.units[op.unit].started_by {
        Some((starter, at)) if starter == c.unit => at,
        _ => 0,
    };
    let taken = model.units[c.unit]
        .acquires
        .iter()
        .filter(|(k, at)| k == class && *at > since)
        .map(|(_, at)| *at);
    let mut need = None;
    for at in taken {
        if c.in_loop.is_some_and(|(s, e)| s <= at && at < e) {
            return Some(Need::InLoop);
        }
        if at < c.at.start {
            need = Some(Need::Before);
        }
    }
    need
}

/// A held lock that every waker of `op` needs first, with the strongest way the weakest of them
/// needs it, and one waker that shows it; `None` when some waker needs none or there is none.
pub fn all_wakers_need<'m>(model: &'m LockModel, op: &'m Op) -> Option<(&'m Held, Need, &'m Op)> {
    for h in &op.held {
        let Some(class) = &h.class else { continue };
        let mut worst: Option<(Need, &Op)> = None;
        let mut all = true;
        for c in wakers(model, op) {
            match waker_needs(model, op, c, class) {
                Some(n) if worst.is_none_or(|(w, _)| n > w) => worst = Some((n, c)),
                Some(_) => {}
                None => {
                    all = false;
                    break;
                }
            }
        }
        if let (true, Some((need, c))) = (all, worst) {
            return Some((h, need, c));
        }
    }
    None
}

/// A blocked operation that `double-lock` reports: a send, receive or `wg.Wait` that nothing
/// but its own operation can let go on (not a `select` case beside others, not on a
/// buffered channel), holding a lock that every waker in the package holds at its own
/// operation or takes between two of them. The holder waits for the waker, the waker for the
/// lock: as sure a deadlock as taking the lock twice.
pub fn wait_cycle<'m>(model: &'m LockModel, op: &'m Op) -> Option<(&'m Held, Need, &'m Op)> {
    if op.held.is_empty() || op.guarded || !op.alone {
        return None;
    }
    // A buffered channel may hold the value already (a receive after the send that filled it).
    let target = op.target.as_ref()?;
    if model.buffered.contains(target) {
        return None;
    }
    if !matches!(op.kind, OpKind::Send | OpKind::Recv | OpKind::WgWait) {
        return None;
    }
    all_wakers_need(model, op).filter(|(_, need, _)| *need != Need::Before)
}

/// How a message says what a waker does: `receives from it`, `closes it`.
pub fn waker_verb(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Recv => "receives from it",
        OpKind::Send => "sends on it",
        OpKind::Close => "closes it",
        _ => "calls Done",
    }
}
