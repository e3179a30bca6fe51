//! Waiting for oneself: a method started as a goroutine (`go c.dispatch()`) signals its end as
//! it returns (`defer close(c.stopped)`, `defer c.wg.Done()`), and `Close` waits for that
//! signal (`<-c.stopped`, `c.wg.Wait()`). When the loop itself reaches `Close` (it calls a
//! callback kept in a func field, and the function stored there calls `c.Close()`; or it calls
//! a method of its own type that does), the goroutine waits for its own return: nobody else
//! can ever give the signal.
//!
//! Calls are followed from the loop's body through methods of the same type called on the
//! receiver and through func fields called on the receiver, resolved to the function literals
//! and method values the package assigns to that field. Calls in a `go` statement or a nested
//! literal run elsewhere and are not followed. The walk is a bounded worklist.

use super::{call_parts, in_select_with_alternatives, k, line, text};
use crate::fxhash::HashMap;
use crate::rules::{Diagnostic, PackageContext, PackageDiagnostic};
use crate::tree::preorder;
use crate::tree::Node;

/// How many function bodies one loop's walk visits at most.
const MAX_BODIES: usize = 48;

/// A method declared in the package.
#[derive(Clone, Copy)]
struct Method<'t> {
    file: usize,
    decl: Node<'t>,
    recv: &'t str,
    ty: &'t str,
    name: &'t str,
}

/// A function body the walk reached: the receiver name calls on it are made on (when the body
/// belongs to a method, or a literal inside one, of the loop's type), how it was reached.
#[derive(Clone, Copy)]
struct Reached<'t> {
    file: usize,
    body: Node<'t>,
    recv: Option<&'t str>,
    /// The entry this one was reached from, and the call that reached it.
    from: Option<(usize, Node<'t>)>,
}

/// Blocking receives and `Wait` calls that a goroutine-started method can reach on its own
/// goroutine, waiting for the signal that method gives only as it returns.
pub fn self_waits(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    // An end signal is a channel field closed or a WaitGroup marked done.
    let waitgroups = || cx.files.iter().any(|f| f.file.text.contains("WaitGroup"));
    if cx.chan_fields().is_empty() && !waitgroups() {
        return Vec::new();
    }
    let started = started_methods(cx);
    if started.is_empty() {
        return Vec::new();
    }
    let methods = methods(cx);
    let mut assigned = None;
    let mut out: Vec<PackageDiagnostic> = Vec::new();
    for m in methods.iter().filter(|m| started.contains(&m.name)) {
        let signals = end_signals(m, cx);
        if signals.is_empty() {
            continue;
        }
        let Some(d) = waits_for_itself(m, &signals, &methods, &mut assigned, cx) else {
            continue;
        };
        let at = (d.file, d.diagnostic.start_byte);
        if !out.iter().any(|o| (o.file, o.diagnostic.start_byte) == at) {
            out.push(d);
        }
    }
    out
}

/// Names of methods started as goroutines: `go x.name(...)`.
fn started_methods<'t>(cx: &PackageContext<'t>) -> Vec<&'t str> {
    let kk = k();
    let mut out = Vec::new();
    for f in &cx.files {
        let src = f.file.text.as_str();
        if !src.contains("go ") {
            continue;
        }
        for func in f.functions() {
            for &n in func.nodes.iter().filter(|n| n.kind_id() == kk.go_statement) {
                let call = n
                    .named_child(0)
                    .filter(|c| c.kind_id() == kk.call_expression);
                if let Some((Some(_), name)) = call.and_then(|c| call_parts(c, src)) {
                    out.push(name);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every method declaration of the package.
fn methods<'t>(cx: &PackageContext<'t>) -> Vec<Method<'t>> {
    let kk = k();
    let mut out = Vec::new();
    for (file, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        let mut c = f.root.walk();
        for decl in f.root.named_children(&mut c) {
            if decl.kind_id() != kk.method_declaration {
                continue;
            }
            let Some((recv, ty)) = crate::analysis::concurrency::receiver(decl, src) else {
                continue;
            };
            let Some(name) = decl.child_by_field_id(kk.f_name).map(|n| text(n, src)) else {
                continue;
            };
            out.push(Method {
                file,
                decl,
                recv,
                ty,
                name,
            });
        }
    }
    out
}

/// The fields through which `m` says it has returned: `close(r.F)` and `r.F.Done()` that run
/// as it returns (deferred, or after its last loop), with the node that gives the signal.
fn end_signals<'t>(m: &Method<'t>, cx: &PackageContext<'t>) -> Vec<(&'t str, Node<'t>)> {
    let kk = k();
    let src = cx.files[m.file].file.text.as_str();
    let Some(body) = m.decl.child_by_field_id(kk.f_body) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for call in preorder(body).filter(|n| n.kind_id() == kk.call_expression) {
        let Some(field) = signal_field(call, m.recv, src) else {
            continue;
        };
        if runs_at_return(call, body) {
            out.push((field, call));
        }
    }
    out
}

/// `close(r.F)` or `r.F.Done()`: the field `F`.
fn signal_field<'t>(call: Node<'t>, recv: &str, src: &'t str) -> Option<&'t str> {
    match call_parts(call, src)? {
        (None, "close") => {
            let arg = super::call_args(call).into_iter().next()?;
            field_of(arg, recv, src)
        }
        (Some(x), "Done") => x
            .strip_prefix(recv)
            .and_then(|rest| rest.strip_prefix('.'))
            .filter(|f| !f.contains(['.', '(', '['])),
        _ => None,
    }
}

/// `F` when `n` is `recv.F`.
fn field_of<'t>(n: Node<'t>, recv: &str, src: &'t str) -> Option<&'t str> {
    let (base, field) = n.selector()?;
    (base.kind_id() == k().identifier && text(base, src) == recv).then(|| text(field, src))
}

/// Whether `call` runs only as the function returns: in a `defer` (directly or in a deferred
/// literal), or in a top-level statement of `body` that follows a loop.
fn runs_at_return(call: Node, body: Node) -> bool {
    let kk = k();
    let mut cur = call.parent();
    let mut stmt = call;
    while let Some(p) = cur {
        if p.kind_id() == kk.defer_statement {
            return true;
        }
        if p.id() == body.id() {
            break;
        }
        if p.kind_id() == kk.func_literal || p.kind_id() == kk.go_statement {
            return false;
        }
        stmt = p;
        cur = p.parent();
    }
    let mut prev = stmt.prev_named_sibling();
    while let Some(s) = prev {
        if s.kind_id() == kk.for_statement {
            return true;
        }
        prev = s.prev_named_sibling();
    }
    false
}

/// The first wait for one of `signals` that the loop method `m` reaches on its own goroutine.
fn waits_for_itself<'t>(
    m: &Method<'t>,
    signals: &[(&'t str, Node<'t>)],
    methods: &[Method<'t>],
    assigned: &mut Option<HashMap<&'t str, Vec<(usize, Node<'t>)>>>,
    cx: &PackageContext<'t>,
) -> Option<PackageDiagnostic> {
    let kk = k();
    let mut reached = vec![Reached {
        file: m.file,
        body: m.decl.child_by_field_id(kk.f_body)?,
        recv: Some(m.recv),
        from: None,
    }];
    let mut i = 0;
    while i < reached.len() && reached.len() < MAX_BODIES {
        let r = reached[i];
        let src = cx.files[r.file].file.text.as_str();
        if i > 0 {
            if let Some((wait, field)) = wait_in(r, signals, src) {
                return Some(report(m, &reached, i, wait, field, signals, cx));
            }
        }
        for call in same_goroutine_calls(r.body) {
            for next in callees(call, r, m.ty, methods, assigned, cx) {
                if !reached.iter().any(|x| x.body.id() == next.body.id()) {
                    reached.push(Reached {
                        from: Some((i, call)),
                        ..next
                    });
                }
            }
        }
        i += 1;
    }
    None
}

/// Calls in `body` that run on the goroutine running it (not in a `go` statement or a nested
/// literal).
fn same_goroutine_calls<'t>(body: Node<'t>) -> impl Iterator<Item = Node<'t>> + 't {
    let kk = k();
    body.preorder_pruned(move |x| x.kind_id() == kk.func_literal || x.kind_id() == kk.go_statement)
        .filter(move |n| n.kind_id() == kk.call_expression)
}

/// A blocking wait in the body `r` for one of `signals`: `<-recv.F` on its own, `recv.F.Wait()`.
fn wait_in<'t>(
    r: Reached<'t>,
    signals: &[(&'t str, Node<'t>)],
    src: &'t str,
) -> Option<(Node<'t>, &'t str)> {
    let kk = k();
    let recv = r.recv?;
    let waits = |field: &str| signals.iter().any(|(f, _)| *f == field);
    r.body
        .preorder_pruned(move |x| x.kind_id() == kk.func_literal || x.kind_id() == kk.go_statement)
        .find_map(|n| {
            if n.kind_id() == kk.unary_expression
                && n.child_by_field_id(kk.f_operator)
                    .is_some_and(|o| text(o, src) == "<-")
                && !in_select_with_alternatives(n)
            {
                let f = n
                    .child_by_field_id(kk.f_operand)
                    .and_then(|x| field_of(x, recv, src))?;
                return waits(f).then_some((n, f));
            }
            if n.kind_id() == kk.call_expression {
                let (Some(x), "Wait") = call_parts(n, src)? else {
                    return None;
                };
                let f = x.strip_prefix(recv)?.strip_prefix('.')?;
                return waits(f).then_some((n, f));
            }
            None
        })
}

/// What `call` in the body `r` runs: a method of type `ty` called on the receiver, or the
/// functions the package assigns to a func field called on the receiver.
fn callees<'t>(
    call: Node<'t>,
    r: Reached<'t>,
    ty: &str,
    methods: &[Method<'t>],
    assigned: &mut Option<HashMap<&'t str, Vec<(usize, Node<'t>)>>>,
    cx: &PackageContext<'t>,
) -> Vec<Reached<'t>> {
    let kk = k();
    let src = cx.files[r.file].file.text.as_str();
    let Some(recv) = r.recv else {
        return Vec::new();
    };
    let Some(name) = call
        .child_by_field_id(kk.f_function)
        .and_then(|f| field_of(f, recv, src))
    else {
        return Vec::new();
    };
    if let Some(m) = methods.iter().find(|m| m.ty == ty && m.name == name) {
        return method_body(m).into_iter().collect();
    }
    let assigned = assigned.get_or_insert_with(|| func_field_values(cx));
    let Some(values) = assigned.get(name) else {
        return Vec::new();
    };
    values
        .iter()
        .filter_map(|&(file, v)| value_body(file, v, ty, methods, cx))
        .collect()
}

fn method_body<'t>(m: &Method<'t>) -> Option<Reached<'t>> {
    Some(Reached {
        file: m.file,
        body: m.decl.child_by_field_id(k().f_body)?,
        recv: Some(m.recv),
        from: None,
    })
}

/// The body a value stored in a func field runs: a function literal (its receiver the one of
/// the method of type `ty` it is written in) or a method value `x.m` of type `ty`.
fn value_body<'t>(
    file: usize,
    v: Node<'t>,
    ty: &str,
    methods: &[Method<'t>],
    cx: &PackageContext<'t>,
) -> Option<Reached<'t>> {
    let kk = k();
    let src = cx.files[file].file.text.as_str();
    if v.kind_id() == kk.func_literal {
        let owner = enclosing_method(v)?;
        let (recv, owner_ty) = crate::analysis::concurrency::receiver(owner, src)?;
        return Some(Reached {
            file,
            body: v.child_by_field_id(kk.f_body)?,
            recv: (owner_ty == ty).then_some(recv),
            from: None,
        });
    }
    let (_, name) = v.selector()?;
    let name = text(name, src);
    methods
        .iter()
        .find(|m| m.ty == ty && m.name == name)
        .and_then(method_body)
}

fn enclosing_method(n: Node) -> Option<Node> {
    let mut cur = crate::analysis::enclosing_function(n);
    while let Some(f) = cur {
        if f.kind_id() == k().method_declaration {
            return Some(f);
        }
        cur = crate::analysis::enclosing_function(f);
    }
    None
}

/// What the package stores in each field name: `x.f = v` and `T{f: v}`, values that are
/// function literals or selectors (method values).
fn func_field_values<'t>(cx: &PackageContext<'t>) -> HashMap<&'t str, Vec<(usize, Node<'t>)>> {
    let kk = k();
    let mut out: HashMap<&str, Vec<(usize, Node)>> = HashMap::default();
    for (file, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        for func in f.functions() {
            for &n in &func.nodes {
                let Some((field, value)) = stored_in_field(n, src) else {
                    continue;
                };
                if value.kind_id() == kk.func_literal || value.kind_id() == kk.selector_expression {
                    out.entry(field).or_default().push((file, value));
                }
            }
        }
    }
    out
}

/// `x.f = v` (one target) or a keyed element `f: v`: the field name and the value.
fn stored_in_field<'t>(n: Node<'t>, src: &'t str) -> Option<(&'t str, Node<'t>)> {
    let kk = k();
    if n.kind_id() == kk.assignment_statement {
        let left = n.child_by_field_id(kk.f_left)?;
        let right = n.child_by_field_id(kk.f_right)?;
        if left.named_child_count() != 1 || right.named_child_count() != 1 {
            return None;
        }
        let (_, field) = left.named_child(0)?.selector()?;
        return Some((text(field, src), right.named_child(0)?));
    }
    if n.kind_id() == kk.keyed_element {
        let key = n.child_by_field_id(kk.f_key)?;
        let value = n.child_by_field_id(kk.f_value)?;
        let key = key.named_child(0).unwrap_or(key);
        if key.kind_id() != kk.identifier && key.kind_id() != kk.field_identifier {
            return None;
        }
        return Some((text(key, src), value.named_child(0).unwrap_or(value)));
    }
    None
}

/// The finding at `wait`, naming the loop, its signal, and the calls that lead back to it.
fn report<'t>(
    m: &Method<'t>,
    reached: &[Reached<'t>],
    at: usize,
    wait: Node<'t>,
    field: &str,
    signals: &[(&'t str, Node<'t>)],
    cx: &PackageContext<'t>,
) -> PackageDiagnostic {
    let file = reached[at].file;
    let src = cx.files[file].file.text.as_str();
    let msrc = cx.files[m.file].file.text.as_str();
    let loop_name = format!("{}.{}", m.ty, m.name);
    let signal = signals.iter().find(|(f, _)| *f == field).map(|(_, n)| *n);
    let signal_line = signal.map(line).unwrap_or(0);
    let mut hops = Vec::new();
    let mut cur = at;
    while let Some((prev, call)) = reached[cur].from {
        let csrc = cx.files[reached[prev].file].file.text.as_str();
        let callee = call
            .child_by_field_id(k().f_function)
            .map(|f| text(f, csrc))
            .unwrap_or("");
        hops.push(format!("{callee} (line {})", line(call)));
        cur = prev;
    }
    hops.reverse();
    let what = match wait.kind_id() == k().call_expression {
        true => format!("{} waits", text(wait, src)),
        false => {
            let chan = wait.child_by_field_id(k().f_operand).unwrap_or(wait);
            format!("receive on {} blocks", text(chan, src))
        }
    };
    let signal = signal.map(|n| text(n, msrc)).unwrap_or(field);
    let message = format!(
        "{what} forever when {loop_name}'s own goroutine gets here: {loop_name} runs {signal} only as it returns (line {signal_line}), yet on that goroutine it calls {}, which waits here for {loop_name} to return; make that call on another goroutine or do not wait when called from the loop",
        hops.join(", then "),
    );
    let d = Diagnostic::on_first_line(wait, cx.files[file].file, message);
    PackageDiagnostic {
        file,
        diagnostic: d,
    }
}

/// A blocking send made by one serving loop, in one of its receive cases, on a channel field
/// that another loop alone receives.
#[derive(Clone, Copy)]
struct LoopSend<'t> {
    from: usize,
    to: usize,
    file: usize,
    send: Node<'t>,
}

/// Two serving loops that each send, without a `select`, on a channel only the other receives,
/// from inside the case that serves their own channel: when both send at once, each waits for
/// the other to come back to its `select`, and neither ever does.
pub fn loops_sending_to_each_other<'t>(
    cx: &PackageContext<'t>,
    loops: &[super::serving::Loop<'t>],
    uses: &HashMap<&'t str, Vec<(usize, super::serving::ChanUse<'t>)>>,
    names: &[&'t str],
) -> Vec<PackageDiagnostic> {
    if loops.len() < 2 {
        return Vec::new();
    }
    let mut sends: Vec<LoopSend> = Vec::new();
    for &name in names {
        let Some(to) = only_receiving_loop(&uses[name], loops) else {
            continue;
        };
        for &(file, u) in &uses[name] {
            let super::serving::ChanUse::Send(send) = u else {
                continue;
            };
            if !super::serving::blocking(send) {
                continue;
            }
            let from = loops
                .iter()
                .position(|l| l.file == file && in_a_receive_case(l, send));
            if let Some(from) = from.filter(|&f| f != to) {
                sends.push(LoopSend {
                    from,
                    to,
                    file,
                    send,
                });
            }
        }
    }
    let mut out = Vec::new();
    for (i, a) in sends.iter().enumerate() {
        let back = sends[i + 1..]
            .iter()
            .find(|b| b.from == a.to && b.to == a.from);
        if let Some(b) = back {
            out.push(mutual_report(a, b, loops, cx));
        }
    }
    out
}

/// The loop whose receive cases are the only receives of a channel field (its `uses`), when nothing else
/// closes, ranges over, buffers or hands out the channel.
fn only_receiving_loop(
    uses: &[(usize, super::serving::ChanUse)],
    loops: &[super::serving::Loop],
) -> Option<usize> {
    use super::serving::ChanUse;
    let mut server = None;
    for &(_, u) in uses {
        match u {
            ChanUse::Declared | ChanUse::Quiet | ChanUse::Send(_) => {}
            ChanUse::Receive(r) => {
                let l = loops
                    .iter()
                    .position(|l| l.cases.iter().any(|c| c.receive.id() == r.id()))?;
                if *server.get_or_insert(l) != l {
                    return None;
                }
            }
            ChanUse::Buffered | ChanUse::Close(_) | ChanUse::Other => return None,
        }
    }
    server
}

/// Whether `send` sits in the body of one of the loop's receive cases (same function).
fn in_a_receive_case(l: &super::serving::Loop, send: Node) -> bool {
    let kk = k();
    if crate::analysis::enclosing_function(send).map(|f| f.id()) != Some(l.func.id()) {
        return false;
    }
    l.cases.iter().any(|c| {
        let mut cur = c.receive.parent();
        while let Some(p) = cur {
            if p.kind_id() == kk.communication_case {
                return p.byte_range().contains(&send.start_byte());
            }
            cur = p.parent();
        }
        false
    })
}

fn mutual_report(
    a: &LoopSend,
    b: &LoopSend,
    loops: &[super::serving::Loop],
    cx: &PackageContext,
) -> PackageDiagnostic {
    let src = |f: usize| cx.files[f].file.text.as_str();
    let chan = |s: &LoopSend| {
        s.send
            .child_by_field_id(k().f_channel)
            .map(|c| text(c, src(s.file)))
            .unwrap_or("")
            .to_string()
    };
    let (from, to) = (&loops[a.from], &loops[a.to]);
    let (from_name, to_name) = (from.name(src(from.file)), to.name(src(to.file)));
    let message = format!(
        "send on {} can block forever: {to_name}, its only receiver, may at the same moment be blocked sending on {} (line {}), which only {from_name} receives; each loop waits for the other to return to its select. Make one of the sends a select case (with a stop or a default) or run it on its own goroutine",
        chan(a),
        chan(b),
        line(b.send),
    );
    let d = Diagnostic::on_first_line(a.send, cx.files[a.file].file, message);
    PackageDiagnostic {
        file: a.file,
        diagnostic: d,
    }
}
