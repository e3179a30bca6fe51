//! Channels handed to a callee that never signals on them: a function makes a channel, passes
//! it to a function or method of the package (usually `go c.follow(done)`), and waits on
//! `<-done` for the callee to say it has finished. When the callee only ever receives from its
//! parameter (or ranges over it, or ignores it) and never sends on it, closes it or hands it on,
//! and the waiting function does neither, nobody can wake the wait: it blocks forever.
//!
//! Every mention of the channel in the waiting function must be its `make`, a receive, a
//! `range`, `len`/`cap`, or an argument to such a callee; a close, a send, a store, a return or
//! a call the package does not declare may wake it and leaves the channel alone. Callees are
//! resolved without types: a plain call to a closure bound to that name in the function, else to
//! the package's one function of that name, or a call on the enclosing method's receiver to a
//! method of the same type.

use super::goroutine_blocked_receive::{method_of, param_names, unique_declaration};
use super::ChanMake;
use super::{call_parts, chan_makes, in_select_with_alternatives, is_receive_from, k, line, text};
use crate::rules::{Diagnostic, PackageContext, PackageDiagnostic};
use crate::tree::preorder;
use crate::tree::Node;

/// Blocking receives on channels that only silent callees are handed.
pub fn waits_on_silent_callees(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    let mut out = Vec::new();
    for (file, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !src.contains("make(chan") || !src.contains("<-") {
            continue;
        }
        for own in f.functions() {
            let Some(body) = own.body else { continue };
            for m in chan_makes(&own.nodes, src) {
                if let Some(d) = silent_handoff(cx, file, own.node, body, &own.nodes, &m) {
                    out.push(PackageDiagnostic {
                        file,
                        diagnostic: d,
                    });
                }
            }
        }
    }
    out
}

/// The first blocking receive of `m` in the function's own statements, when the channel is
/// only waited on here and handed to callees that never wake it.
fn silent_handoff<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    func: Node<'t>,
    body: Node<'t>,
    nodes: &[Node<'t>],
    m: &ChanMake<'t>,
) -> Option<Diagnostic> {
    let src = cx.files[file].file.text.as_str();
    let wait = nodes
        .iter()
        .copied()
        .find(|n| is_receive_from(*n, m.name, src) && !in_select_with_alternatives(*n))?;
    let mut handed: Option<(Node, &str)> = None;
    let mentions = preorder(body).filter(|n| {
        n.kind_id() == k().identifier
            && text(*n, src) == m.name
            && !super::shadowed(*n, m.name, body, src)
    });
    for n in mentions {
        let p = n.parent()?;
        if quiet_use(n, p, m, src) {
            continue;
        }
        let call = p.parent().filter(|_| p.kind_id() == k().argument_list)?;
        let callee = silent_callee(cx, file, func, call, n)?;
        handed.get_or_insert((call, callee));
    }
    let (call, callee) = handed?;
    let fcx = &cx.files[file];
    let d = Diagnostic::on_first_line(
        wait,
        fcx.file,
        format!(
            "{} blocks forever: {name} is handed only to {callee} (line {}), which never sends on or closes it, and nothing else here does either; close({name}) when {callee} is done (defer close) or send on it",
            text(wait, src),
            line(call),
            name = m.name,
        ),
    );
    Some(d)
}

/// A mention that cannot wake a receiver: the `make`'s binding, a receive, a `range`,
/// `len`/`cap`.
fn quiet_use(n: Node, p: Node, m: &ChanMake, src: &str) -> bool {
    let kk = k();
    let binding = p.kind_id() == kk.expression_list
        && p.parent()
            .is_some_and(|d| d.byte_range().contains(&m.call.start_byte()));
    let ranged = p.kind_id() == kk.range_clause
        && p.child_by_field_id(kk.f_right).map(|r| r.id()) == Some(n.id());
    let measured = p.kind_id() == kk.argument_list
        && p.parent()
            .and_then(|c| call_parts(c, src))
            .is_some_and(|(x, f)| x.is_none() && matches!(f, "len" | "cap"));
    binding || ranged || measured || is_receive_from(p, m.name, src) || p.kind_id() == kk.var_spec
}

/// The callee's text (`c.follow`) when the call passes the channel to a function of the
/// package that never sends on, closes or hands on that parameter.
fn silent_callee<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    func: Node<'t>,
    call: Node<'t>,
    arg: Node<'t>,
) -> Option<&'t str> {
    let kk = k();
    let src = cx.files[file].file.text.as_str();
    let (x, name) = call_parts(call, src)?;
    let (dfile, decl) = match x {
        None => match super::local_closure(call, name, src) {
            Some(closure) => (file, closure),
            None => unique_declaration(cx, name)
                .filter(|(_, d)| d.kind_id() == kk.function_declaration)?,
        },
        Some(x) => {
            let method = func.top_level()?;
            let (recv, ty) = crate::analysis::concurrency::receiver(method, src)?;
            if x != recv || method.kind_id() != kk.method_declaration {
                return None;
            }
            method_of(cx, ty, name)?
        }
    };
    let index = super::call_args(call)
        .iter()
        .position(|a| a.id() == arg.id())?;
    let dsrc = cx.files[dfile].file.text.as_str();
    let params = param_names(decl, dsrc);
    if params.len() <= index || variadic(decl) {
        return None;
    }
    let param = params[index];
    let body = decl.child_by_field_id(kk.f_body)?;
    let callee = call.child_by_field_id(kk.f_function)?;
    only_waits_on(body, param, dsrc).then_some(text(callee, src))
}

/// Whether a parameter list ends with `...T` (its positions then do not match the arguments).
fn variadic(decl: Node) -> bool {
    let kk = k();
    decl.child_by_field_id(kk.f_parameters)
        .is_some_and(|l| preorder(l).any(|n| n.kind_id() == kk.variadic_parameter_declaration))
}

/// Whether every mention of `param` in a body receives from it, ranges over it or measures it.
fn only_waits_on(body: Node, param: &str, src: &str) -> bool {
    let kk = k();
    if param == "_" {
        return true;
    }
    preorder(body)
        .filter(|n| n.kind_id() == kk.identifier && text(*n, src) == param)
        .all(|n| {
            n.parent().is_some_and(|p| {
                is_receive_from(p, param, src)
                    || (p.kind_id() == kk.range_clause
                        && p.child_by_field_id(kk.f_right).map(|r| r.id()) == Some(n.id()))
                    || (p.kind_id() == kk.argument_list
                        && p.parent()
                            .and_then(|c| call_parts(c, src))
                            .is_some_and(|(x, f)| x.is_none() && matches!(f, "len" | "cap")))
            })
        })
}
