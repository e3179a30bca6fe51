//! Sends made through a callee: a goroutine hands its channel to a function or a method of the
//! same file (`go func() { defer close(ch); split(n, ch) }()`), and that function sends on its
//! channel parameter. The goroutine then sends as surely as if the send were written in its
//! body, and blocks the same way once its reader has left.

use super::{call_args, call_parts, enclosing_loop, in_select_with_alternatives, k, text};
use crate::tree::preorder;
use crate::tree::Node;

/// A blocking send a goroutine makes through a callee's channel parameter.
#[derive(Clone, Copy)]
pub struct CalleeSend<'t> {
    /// The send statement, in the callee.
    pub send: Node<'t>,
    /// The callee's name.
    pub callee: &'t str,
    /// The send may run more than once: it sits in a loop of the callee that it does not
    /// leave, or the call sits in a loop of the goroutine.
    pub repeats: bool,
}

/// The first blocking send on `name` that the goroutine literal `lit` makes through a call
/// `f(…, name, …)` or `x.f(…, name, …)` to a function `f` declared in the same file (a closure
/// bound to `f` around the goroutine, or a method when its name is the file's only one): `f`
/// sends on the parameter at that position outside a `select` with alternatives and never
/// receives from it. Calls in nested literals and `go` statements do not count (they run
/// elsewhere).
pub fn callee_send<'t>(lit: Node<'t>, name: &str, src: &'t str) -> Option<CalleeSend<'t>> {
    let kk = k();
    let root = file_root(lit);
    let body = lit.child_by_field_id(kk.f_body)?;
    body.preorder_pruned(|x| x.kind_id() == kk.func_literal || x.kind_id() == kk.go_statement)
        .filter(|n| n.kind_id() == kk.call_expression)
        .find_map(|call| {
            let (recv, callee) = call_parts(call, src)?;
            let at = call_args(call).iter().position(|a| text(*a, src) == name)?;
            let decl = match recv {
                None => super::local_closure(lit, callee, src)
                    .or_else(|| function_named(root, callee, src))?,
                Some(_) => only_method_named(root, callee, src)?,
            };
            let param = param_name(decl, at, src)?;
            let send = blocking_send_on(decl, param, src)?;
            let repeats = in_loop_not_left(send, decl) || enclosing_loop(call, lit).is_some();
            Some(CalleeSend {
                send,
                callee,
                repeats,
            })
        })
}

fn file_root(n: Node) -> Node {
    let mut root = n;
    while let Some(p) = root.parent() {
        root = p;
    }
    root
}

/// The top-level function declaration `name` of the file.
fn function_named<'t>(root: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let kk = k();
    let mut c = root.walk();
    let found = root.named_children(&mut c).find(|d| {
        d.kind_id() == kk.function_declaration
            && d.child_by_field_id(kk.f_name)
                .is_some_and(|n| text(n, src) == name)
    });
    found
}

/// The one method declaration `name` of the file (`im.scan(keys, rows)`: a method of the
/// caller's type, resolved by name when no other type of the file has one so named).
fn only_method_named<'t>(root: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let kk = k();
    let mut c = root.walk();
    let mut found = root.named_children(&mut c).filter(|d| {
        d.kind_id() == kk.method_declaration
            && d.child_by_field_id(kk.f_name)
                .is_some_and(|n| text(n, src) == name)
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The name of the parameter at position `at` (`func f(a, b int, out chan<- T)`), when it is a
/// channel and not variadic.
fn param_name<'t>(decl: Node<'t>, at: usize, src: &'t str) -> Option<&'t str> {
    let kk = k();
    let list = decl.child_by_field_id(kk.f_parameters)?;
    let mut c = list.walk();
    let mut i = 0;
    for p in list.named_children(&mut c) {
        if p.kind_id() != kk.parameter_declaration {
            if p.kind_id() == kk.variadic_parameter_declaration {
                return None;
            }
            continue;
        }
        let names = crate::tree::field_children(p, kk.f_name);
        let is_chan = p
            .child_by_field_id(kk.f_type)
            .is_some_and(|t| t.kind_id() == kk.channel_type);
        for n in names {
            if i == at {
                return is_chan.then(|| text(n, src));
            }
            i += 1;
        }
    }
    None
}

/// The first send on `param` in `decl` that waits on its own, when `decl` never receives from
/// `param` and does not hand it on (only sends and `close` mention it).
fn blocking_send_on<'t>(decl: Node<'t>, param: &str, src: &str) -> Option<Node<'t>> {
    let kk = k();
    let body = decl.child_by_field_id(kk.f_body)?;
    let mut first = None;
    for n in preorder(body).filter(|n| n.kind_id() == kk.identifier && text(*n, src) == param) {
        let p = n.parent()?;
        if p.kind_id() == kk.send_statement
            && p.child_by_field_id(kk.f_channel).map(|c| c.id()) == Some(n.id())
        {
            if first.is_none() && !in_select_with_alternatives(p) {
                first = Some(p);
            }
            continue;
        }
        if !super::is_close_argument(p, src) {
            return None;
        }
    }
    first
}

/// Whether `send` sits in a loop of `decl` and the statement after it does not leave.
fn in_loop_not_left(send: Node, decl: Node) -> bool {
    let kk = k();
    let Some(_) = enclosing_loop(send, decl) else {
        return false;
    };
    let mut next = send.next_named_sibling();
    while let Some(n) = next.filter(|n| n.kind_id() == kk.comment) {
        next = n.next_named_sibling();
    }
    !next.is_some_and(|n| {
        n.kind_id() == kk.return_statement
            || n.kind_id() == kk.break_statement
            || n.kind_id() == kk.goto_statement
    })
}
