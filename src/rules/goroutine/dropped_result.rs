//! Returned channels their callers drop: a function makes a channel, starts a goroutine that
//! sends its result on it, and returns the channel for the caller to receive from. A caller that
//! throws the channel away (calls the function as a statement, or assigns the channel to `_`)
//! leaves the goroutine with no receiver: when the buffer cannot hold every send, the send
//! blocks forever and the goroutine leaks with everything it references.
//!
//! Only channels the function keeps to itself are judged: made with a literal capacity, used
//! by the sending goroutine only to send and close, and otherwise only returned. A send that is
//! one case of a `select` (on a done channel or `ctx.Done()`) can leave and is not reported. A
//! function that returns such a function's result (`return lookup(host)`) hands the same
//! channel on, and its callers are followed too.

use super::goroutine_blocked_receive::{result_dropped, unique_declaration};
use super::{call_parts, chan_makes, function_name, in_select_with_alternatives, k, line, text};
use super::{enclosing_loop, literal_of, ChanMake};
use crate::fxhash::{HashMap, HashSet};
use crate::rules::{Diagnostic, PackageContext, PackageDiagnostic};
use crate::tree::preorder;
use crate::tree::Node;

/// A function whose goroutine sends on the channel it returns.
struct Producer<'t> {
    file: usize,
    /// The first blocking send of the goroutine.
    send: Node<'t>,
    chan: &'t str,
    /// The function that makes the channel (its callers may reach it through `via`).
    maker: &'t str,
    /// The position of the channel among the results.
    index: usize,
    /// Whether the function is a method (`x.Name(...)` calls it).
    method: bool,
    /// The function that returns the maker's channel, when it is not the maker itself.
    via: Option<&'t str>,
}

/// Sends on a returned channel that some caller in the package drops.
pub fn sends_to_dropped_results(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    let mut producers = producers(cx);
    if producers.is_empty() {
        return Vec::new();
    }
    add_forwarders(cx, &mut producers);
    let mut reported: HashSet<usize> = HashSet::default();
    let mut out = Vec::new();
    for (file, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !producers.keys().any(|p| src.contains(p)) {
            continue;
        }
        for call in preorder(f.root).filter(|n| n.kind_id() == k().call_expression) {
            let Some((x, name)) = call_parts(call, src) else {
                continue;
            };
            let Some(p) = producers.get(name) else {
                continue;
            };
            if x.is_some() != p.method || !drops_result(call, p.index, src) {
                continue;
            }
            if !reported.insert(p.send.id()) {
                continue;
            }
            out.push(finding(cx, p, file, call));
        }
    }
    out
}

/// The finding at the producer's send, naming the caller that drops the channel.
fn finding(cx: &PackageContext, p: &Producer, file: usize, call: Node) -> PackageDiagnostic {
    let src = cx.files[file].file.text.as_str();
    let caller = super::enclosing_function(call)
        .map(|f| match f.kind_id() == k().func_literal {
            true => super::top_function_name(f, src).unwrap_or("the function literal"),
            false => function_name(f, src),
        })
        .unwrap_or("a caller");
    let through = match p.via {
        Some(w) => format!(" (through {w})"),
        None => String::new(),
    };
    let msg = format!(
        "send on {chan} blocks forever when the caller drops the channel {maker} returns: {caller} (line {}) discards it{through}, so nobody receives and the goroutine leaks; give {chan} a buffer for its sends or select on a done channel",
        line(call),
        chan = p.chan,
        maker = p.maker,
    );
    let fcx = &cx.files[p.file];
    let d = Diagnostic::on_first_line(p.send, fcx.file, msg);
    PackageDiagnostic {
        file: p.file,
        diagnostic: d,
    }
}

/// Whether a call's result at `index` is thrown away: the call is a statement, or the result
/// is assigned to `_`.
fn drops_result(call: Node, index: usize, src: &str) -> bool {
    let kk = k();
    let Some(p) = call.parent() else { return false };
    if p.kind_id() == kk.expression_statement || (index == 0 && result_dropped(call, src)) {
        return true;
    }
    let Some(assign) = p.parent().filter(|_| p.kind_id() == kk.expression_list) else {
        return false;
    };
    let is_assign =
        assign.kind_id() == kk.assignment_statement || assign.kind_id() == kk.short_var_declaration;
    let right = assign.child_by_field_id(kk.f_right).map(|r| r.id());
    if !is_assign || right != Some(p.id()) || p.named_child_count() != 1 {
        return false;
    }
    let left = assign.child_by_field_id(kk.f_left);
    let target = left.and_then(|l| l.named_child(u32::try_from(index).ok()?));
    target.is_some_and(|t| text(t, src) == "_")
}

/// The package's functions (unique by name, outside tests) whose goroutine sends more values on
/// the channel they return than its buffer holds.
fn producers<'t>(cx: &PackageContext<'t>) -> HashMap<&'t str, Producer<'t>> {
    let kk = k();
    let mut out = HashMap::default();
    for (file, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !src.contains("go func") || !src.contains("chan") {
            continue;
        }
        for own in f.functions() {
            let kind = own.node.kind_id();
            if kind != kk.function_declaration && kind != kk.method_declaration {
                continue;
            }
            let (Some(body), Some(name)) = (own.body, own.node.child_by_field_id(kk.f_name)) else {
                continue;
            };
            let name = text(name, src);
            for m in chan_makes(&own.nodes, src) {
                let Some((send, index)) = returned_and_sent(&m, body, &own.nodes, src) else {
                    continue;
                };
                if unique_declaration(cx, name).is_none() {
                    break;
                }
                let method = kind == kk.method_declaration;
                let p = Producer {
                    file,
                    send,
                    chan: m.name,
                    maker: name,
                    index,
                    method,
                    via: None,
                };
                out.insert(name, p);
                break;
            }
        }
    }
    out
}

/// The goroutine's first blocking send and the channel's result position, when the function
/// only sends on `m` from goroutines, returns it, and its buffer cannot hold the sends.
fn returned_and_sent<'t>(
    m: &ChanMake<'t>,
    body: Node<'t>,
    nodes: &[Node<'t>],
    src: &str,
) -> Option<(Node<'t>, usize)> {
    let cap = m.literal_cap(src)?;
    let mut sends = 0u64;
    let mut first = None;
    for &go in nodes.iter().filter(|n| n.kind_id() == k().go_statement) {
        let Some(lit) = literal_of(go) else { continue };
        for s in goroutine_sends(lit, m.name, src) {
            let many = enclosing_loop(s, lit).is_some() || enclosing_loop(go, body).is_some();
            sends = sends.saturating_add(if many { u64::MAX } else { 1 });
            first.get_or_insert(s);
        }
    }
    let send = first?;
    if sends <= cap {
        return None;
    }
    let index = returned_only(m, body, src)?;
    Some((send, index))
}

/// The blocking sends on `name` of a goroutine's literal, or none when the goroutine does
/// anything else with the channel than send on it and close it.
fn goroutine_sends<'t>(lit: Node<'t>, name: &str, src: &str) -> Vec<Node<'t>> {
    let kk = k();
    let mut sends = Vec::new();
    for n in preorder(lit).filter(|n| n.kind_id() == kk.identifier && text(*n, src) == name) {
        let Some(p) = n.parent() else {
            return Vec::new();
        };
        if p.kind_id() == kk.send_statement
            && p.child_by_field_id(kk.f_channel).map(|c| c.id()) == Some(n.id())
        {
            if !in_select_with_alternatives(p) {
                sends.push(p);
            }
            continue;
        }
        if !super::is_close_argument(p, src) {
            return Vec::new();
        }
    }
    sends
}

/// The result position at which the function returns the channel, when every mention of it
/// outside goroutine literals is its `make` or a `return` at that same position.
fn returned_only(m: &ChanMake, body: Node, src: &str) -> Option<usize> {
    let kk = k();
    let mut index = None;
    let in_go = |n: Node| {
        let mut cur = n.parent();
        while let Some(p) = cur.filter(|p| p.id() != body.id()) {
            if p.kind_id() == kk.go_statement {
                return true;
            }
            cur = p.parent();
        }
        false
    };
    for n in preorder(body).filter(|n| n.kind_id() == kk.identifier && text(*n, src) == m.name) {
        let p = n.parent()?;
        let binding = p.kind_id() == kk.expression_list
            && p.parent()
                .is_some_and(|d| d.byte_range().contains(&m.call.start_byte()));
        if binding || in_go(n) {
            continue;
        }
        let at = returned_at(n, p)?;
        if *index.get_or_insert(at) != at {
            return None;
        }
    }
    index
}

/// `return ch` (position 0) or `return ch, nil` (position of `ch`).
fn returned_at(n: Node, p: Node) -> Option<usize> {
    let kk = k();
    if p.kind_id() == kk.return_statement {
        return Some(0);
    }
    if p.kind_id() != kk.expression_list || p.parent()?.kind_id() != kk.return_statement {
        return None;
    }
    let mut c = p.walk();
    let found = p.named_children(&mut c).position(|x| x.id() == n.id());
    found
}

/// Functions that return a producer's result as their own (`return lookup(host)`) produce the
/// same channel; found with a worklist, each function once.
fn add_forwarders<'t>(cx: &PackageContext<'t>, producers: &mut HashMap<&'t str, Producer<'t>>) {
    let kk = k();
    // (forwarder, callee, forwarder is a method)
    let mut forwards: Vec<(&str, &str, bool)> = Vec::new();
    for f in &cx.files {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !producers.keys().any(|p| src.contains(p)) {
            continue;
        }
        for ret in preorder(f.root).filter(|n| n.kind_id() == kk.return_statement) {
            let Some((callee, decl)) = returned_call(ret, src) else {
                continue;
            };
            let Some(name) = decl.child_by_field_id(kk.f_name) else {
                continue;
            };
            let method = decl.kind_id() == kk.method_declaration;
            forwards.push((text(name, src), callee, method));
        }
    }
    let mut work: Vec<&str> = producers.keys().copied().collect();
    while let Some(callee) = work.pop() {
        for &(fwd, _, method) in forwards.iter().filter(|(_, c, _)| *c == callee) {
            if producers.contains_key(fwd) || unique_declaration(cx, fwd).is_none() {
                continue;
            }
            let p = &producers[callee];
            if p.index != 0 {
                continue;
            }
            let q = Producer {
                method,
                via: Some(fwd),
                ..*p
            };
            producers.insert(fwd, q);
            work.push(fwd);
        }
    }
}

/// `return f(...)` in a declared function: the callee's name and the declaration.
fn returned_call<'t>(ret: Node<'t>, src: &'t str) -> Option<(&'t str, Node<'t>)> {
    let kk = k();
    let list = ret.named_child(0)?;
    let call = match list.kind_id() == kk.expression_list {
        true => (list.named_child_count() == 1).then(|| list.named_child(0))??,
        false => list,
    };
    if call.kind_id() != kk.call_expression {
        return None;
    }
    let (_, name) = call_parts(call, src)?;
    let decl = super::enclosing_function(ret)?;
    let declared =
        decl.kind_id() == kk.function_declaration || decl.kind_id() == kk.method_declaration;
    declared.then_some((name, decl))
}
