//! `unguarded-shared-state`: a method writes a map, slice or counter field of its receiver
//! without holding a lock, and the method runs concurrently.
//!
//! Concurrent map writes crash the process (`fatal error: concurrent map writes`, which no
//! `recover` catches); racing appends lose elements and racing counters lose counts. The
//! session-service shape: a `map[string]Session` cache written in `Create`, `Create` called
//! from `go` statements and HTTP handlers, no mutex anywhere.
//!
//! Which methods run concurrently comes from the package's facts (`analysis::concurrency`): `go`
//! statements, HTTP handlers, gRPC services, types documented as safe for concurrent use, and
//! what those call on their own receiver outside a lock. A write is guarded when a `Lock` or
//! `RLock` comes before it in the method with no `Unlock` in between; methods named `...Locked`
//! or documented as needing the caller's lock are the caller's business.

use super::{k, line, text};
use crate::analysis::concurrency::{locked_at, receiver, ConcurrencyFacts};
use crate::config::RuleSettings;
use crate::fxhash::HashSet;
use crate::rules::{Diagnostic, FileContext, PackageInfo, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct UnguardedSharedState;

impl Rule for UnguardedSharedState {
    fn check_file(&self, cx: &FileContext, _settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let Some(facts) = cx.package.map(PackageInfo::concurrency) else {
            return;
        };
        let mut c = cx.root.walk();
        let methods: Vec<Node> = cx
            .root
            .named_children(&mut c)
            .filter(|n| n.kind_id() == k().method_declaration)
            .collect();
        for m in methods {
            check_method(m, facts, cx, out);
        }
    }
}

fn check_method(m: Node, facts: &ConcurrencyFacts, cx: &FileContext, out: &mut Vec<Diagnostic>) {
    let src = cx.file.text.as_str();
    let (Some((recv, ty)), Some(name), Some(body)) = (
        receiver(m, src),
        m.child_by_field_id(k().f_name).map(|n| text(n, src)),
        m.child_by_field_id(k().f_body),
    ) else {
        return;
    };
    if name.ends_with("Locked") || name.ends_with("locked") || caller_holds_lock(m, src) {
        return;
    }
    // A value receiver writes a copy's counters (its maps are shared, but rarely written so).
    let pointer = m
        .child_by_field_id(k().f_receiver)
        .is_some_and(|r| text(r, src).contains('*'));
    if !pointer {
        return;
    }
    let Some(why) = facts.concurrent(ty, name) else {
        return;
    };
    let Some(fields) = facts.fields.get(ty) else {
        return;
    };
    let has_mutex = fields
        .values()
        .any(|t| t.ends_with("sync.Mutex") || t.ends_with("sync.RWMutex"));
    let mut seen = HashSet::default();
    for (w, field, what) in writes(body, recv, src) {
        let Some(fty) = fields.get(field) else {
            continue;
        };
        let Some(kind) = shared_kind(fty, what) else {
            continue;
        };
        if !seen.insert(field) || locked_at(body, w.start_byte(), src) {
            continue;
        }
        let lock = if has_mutex {
            format!("not under the mutex {ty} holds")
        } else {
            format!("and {ty} has no mutex")
        };
        let d = Diagnostic::on_first_line(
            w, cx.file,
            format!(
                "{recv}.{field} ({kind} field of {ty}) is written in {name} (line {}) without a lock, {lock}; {name} runs concurrently ({why}): guard it with a sync.Mutex",
                line(w)
            ),
        );
        out.push(d);
    }
}

/// A doc comment such as "The caller holds s.mu" or "must be called with mu held".
fn caller_holds_lock(m: Node, src: &str) -> bool {
    let mut doc = String::new();
    let mut prev = m.prev_named_sibling();
    while let Some(p) = prev {
        if p.kind_id() != k().comment {
            break;
        }
        doc.push_str(&text(p, src).to_ascii_lowercase());
        prev = p.prev_named_sibling();
    }
    [
        "caller holds",
        "caller must hold",
        "must hold",
        "with the lock held",
        "mu held",
        "lock held",
        "must be held",
        "while holding",
        "locked by the caller",
        "under lock",
        "under the lock",
    ]
    .iter()
    .any(|p| doc.contains(p))
}

/// How a field is written.
#[derive(Clone, Copy, PartialEq)]
enum Write {
    /// `r.f[k] = v`, `delete(r.f, k)`.
    Index,
    /// `r.f = append(r.f, ...)`.
    Append,
    /// `r.n++`, `r.n += d`.
    Count,
}

/// The map, slice or counter kind of a field type, if a write of this kind races.
fn shared_kind(ty: &str, w: Write) -> Option<&'static str> {
    match w {
        Write::Index if ty.starts_with("map[") => Some("map"),
        Write::Append if ty.starts_with("[]") => Some("slice"),
        Write::Count
            if matches!(
                ty,
                "int" | "int64" | "int32" | "uint" | "uint64" | "uint32" | "float64"
            ) =>
        {
            Some("counter")
        }
        _ => None,
    }
}

/// Writes to `recv.field` in a method body (nested literals included: they run with it).
fn writes<'t>(body: Node<'t>, recv: &str, src: &'t str) -> Vec<(Node<'t>, &'t str, Write)> {
    let kk = k();
    let ex = k();
    let mut out = Vec::new();
    for n in preorder(body) {
        let kind = n.kind_id();
        if kind == kk.assignment_statement {
            out.extend(assignment(n, recv, src));
        } else if kind == ex.inc_statement || kind == ex.dec_statement {
            let Some(x) = n.named_child(0) else { continue };
            if x.kind_id() == kk.index_expression {
                if let Some(f) = x
                    .child_by_field_id(kk.f_operand)
                    .and_then(|o| field_of(o, recv, src))
                {
                    out.push((n, f, Write::Index));
                }
            } else if let Some(f) = field_of(x, recv, src) {
                out.push((n, f, Write::Count));
            }
        } else if kind == kk.call_expression {
            if let Some((None, "delete")) = super::call_parts(n, src) {
                let args = super::call_args(n);
                if let Some(f) = args.first().and_then(|x| field_of(*x, recv, src)) {
                    out.push((n, f, Write::Index));
                }
            }
        }
    }
    out
}

fn assignment<'t>(n: Node<'t>, recv: &str, src: &'t str) -> Option<(Node<'t>, &'t str, Write)> {
    let kk = k();
    let left = n.child_by_field_id(kk.f_left)?;
    let lhs = (left.named_child_count() == 1).then(|| left.named_child(0))??;
    let op = n.child_by_field_id(kk.f_operator).map(|o| text(o, src));
    if lhs.kind_id() == kk.index_expression {
        let f = field_of(lhs.child_by_field_id(kk.f_operand)?, recv, src)?;
        return Some((n, f, Write::Index));
    }
    let f = field_of(lhs, recv, src)?;
    if op.is_some_and(|o| o != "=") {
        return Some((n, f, Write::Count));
    }
    let right = n.child_by_field_id(kk.f_right)?;
    let rhs = right.named_child(0)?;
    let appends = rhs.kind_id() == kk.call_expression
        && matches!(super::call_parts(rhs, src), Some((None, "append")));
    appends.then_some((n, f, Write::Append))
}

/// `f` when `x` is `recv.f`.
fn field_of<'t>(x: Node<'t>, recv: &str, src: &'t str) -> Option<&'t str> {
    let kk = k();
    if x.kind_id() != kk.selector_expression {
        return None;
    }
    let base = x.child_by_field_id(kk.f_operand)?;
    (text(base, src) == recv).then(|| x.child_by_field_id(kk.f_field).map(|f| text(f, src)))?
}
