//! `goroutine-blocked-receive`: a goroutine receives from (or ranges over) a channel that its
//! creator never closes and, for a single receive, never sends on.
//!
//! The worker-pool shape: `jobs := make(chan Job)`, workers started with `for j := range jobs`,
//! the jobs handed out, and `close(jobs)` forgotten. Every worker then waits forever once the
//! last job is done; in a server each request leaks a pool. The same holds for a goroutine
//! waiting on `<-done` when no path closes `done`.
//!
//! A package check finds the same wait on a struct's channel field: `<-r.ready` (or a `range`)
//! where nothing in the package sends on or closes the field `ready` (matched by name over all
//! the package's types), which is unexported and only ever assigned a fresh `make`: never passed,
//! returned, copied or set from a parameter, so no code out of sight can hold it either.
//!
//! Only channels the function declares, makes and keeps are judged: a channel returned, stored,
//! or passed to anything but the goroutines themselves may be closed out of sight, and so may
//! a package variable the function merely assigns (`ready = make(chan struct{})`), which any
//! function of the package can close. Receives
//! that are one case of a `select` with others do not block on their own and are left alone.
//!
//! A timer's channel is the other such receive: `if !t.Stop() { <-t.C }` drains the value of a
//! timer that fired, but when a `case <-t.C:` of the loop around it already took that value
//! (and nothing reset the timer since), `Stop` returns false and the drain waits forever for a
//! value that will never come.

use super::{
    call_args, call_parts, chan_makes, function_name, in_select_with_alternatives, is_receive_from,
    k, line, literal_of, serving, text, ChanMake,
};
use crate::analysis::is_function;
use crate::config::RuleSettings;
use crate::fxhash::HashMap;
use crate::rules::{Diagnostic, FileContext, PackageContext, PackageDiagnostic, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct GoroutineBlockedReceive;

impl Rule for GoroutineBlockedReceive {
    fn check_file(&self, cx: &FileContext, _settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let src = cx.file.text.as_str();
        for f in cx.functions() {
            let (func, nodes) = (f.node, f.nodes.as_slice());
            let Some(body) = f.body else {
                continue;
            };
            for m in chan_makes(nodes, src) {
                if let Some(d) = check_chan(&m, func, body, nodes, cx) {
                    out.push(d);
                }
            }
            if text(body, src).contains(".Stop()") {
                out.extend(stale_timer_drains(nodes, src));
            }
        }
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let fields = cx.chan_fields();
        out.extend(fields_without_peer(cx, fields));
        out.extend(cancels_never_called(cx));
        out.extend(dropped_owners(cx, fields));
        out.extend(super::handed_channel::waits_on_silent_callees(cx));
        out.extend(super::self_wait::self_waits(cx));
    }
}

/// Blocking drains `<-t.C` under `if !t.Stop()` that a select case of the same loop, which
/// received from `t.C` without resetting the timer, can reach.
fn stale_timer_drains(nodes: &[Node], src: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &drain in nodes {
        let Some(timer) = drained_timer(drain, src) else {
            continue;
        };
        let chan = format!("{timer}.C");
        let taken = nodes.iter().find_map(|&r| {
            let case = receiving_case(r, &chan, src)?;
            (r.id() != drain.id() && reaches_without_reset(case, r, drain, timer, src))
                .then_some(r)
        });
        let Some(taken) = taken else { continue };
        let msg = format!(
            "{chan} is drained after {timer}.Stop() returned false, but the select case at line {} already received the timer's value and nothing reset {timer} since: Stop returns false for a timer that fired and was drained, so this receive waits forever; drain with a select that has a default",
            line(taken)
        );
        out.push(Diagnostic::at(drain, msg));
    }
    out
}

/// The timer `t` of a blocking `<-t.C` in the body of an `if` whose condition calls `t.Stop()`.
fn drained_timer<'t>(n: Node<'t>, src: &'t str) -> Option<&'t str> {
    let k = k();
    if n.kind_id() != k.unary_expression || in_select_with_alternatives(n) {
        return None;
    }
    let operand = n.child_by_field_id(k.f_operand)?;
    let timer = text(operand, src).strip_suffix(".C")?;
    if !is_receive_from(n, &format!("{timer}.C"), src) {
        return None;
    }
    let stop = format!("{timer}.Stop()");
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_id() == k.if_statement {
            let cond = p.child_by_field_id(k.f_condition)?;
            return text(cond, src).contains(&stop).then_some(timer);
        }
        if is_function(k, p.kind_id()) || p.kind_id() == k.for_statement {
            return None;
        }
        cur = p.parent();
    }
    None
}

/// The `select` case whose communication is the receive `r` from `chan`.
fn receiving_case<'t>(r: Node<'t>, chan: &str, src: &str) -> Option<Node<'t>> {
    let k = k();
    if !is_receive_from(r, chan, src) {
        return None;
    }
    let mut cur = r.parent();
    for _ in 0..3 {
        let c = cur?;
        if c.kind_id() == k.communication_case {
            return Some(c);
        }
        cur = c.parent();
    }
    None
}

/// Whether the drain can run after the case's receive with no `Reset` (or exit) between: in the
/// case's own body after the receive, or in a later turn of a loop around both.
fn reaches_without_reset(case: Node, r: Node, drain: Node, timer: &str, src: &str) -> bool {
    let reset = format!("{timer}.Reset(");
    if within(drain, case) {
        let between = src.get(r.end_byte()..drain.start_byte()).unwrap_or("");
        return !between.contains(&reset);
    }
    let case_text = text(case, src);
    if case_text.contains(&reset) || case_text.contains("return") {
        return false;
    }
    let Some(lp) = shared_loop(case, drain) else {
        return false;
    };
    // Round the loop: from the end of the case's select to the loop's end, then from the
    // loop's start to the drain, with no reset and no new timer in the variable.
    let select_end = case.parent().map_or(case.end_byte(), |s| s.end_byte());
    let tail = src.get(select_end..lp.end_byte()).unwrap_or("");
    let head = src.get(lp.start_byte()..drain.start_byte()).unwrap_or("");
    let renewed = |t: &str| {
        t.contains(&reset) || t.contains(&format!("{timer} :=")) || t.contains(&format!("{timer} = "))
    };
    !renewed(tail) && !renewed(head)
}

/// The innermost `for` loop of the function around `a`, when it holds `b` too.
fn shared_loop<'t>(a: Node<'t>, b: Node) -> Option<Node<'t>> {
    let k = k();
    let mut cur = a.parent();
    while let Some(p) = cur {
        if is_function(k, p.kind_id()) {
            return None;
        }
        if p.kind_id() == k.for_statement {
            return within(b, p).then_some(p);
        }
        cur = p.parent();
    }
    None
}

/// A goroutine of the creator that blocks receiving from the channel.
struct Waiter<'t> {
    go: Node<'t>,
    /// The `range` clause or `<-ch` that waits.
    at: Node<'t>,
    ranges: bool,
    /// Started as `go worker(ch)` (a function of this file), not a literal.
    named: bool,
}

fn check_chan<'t>(
    m: &ChanMake<'t>,
    func: Node<'t>,
    body: Node<'t>,
    nodes: &[Node<'t>],
    cx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let waiters: Vec<Waiter> = nodes
        .iter()
        .filter(|n| n.kind_id() == k().go_statement)
        .filter_map(|&go| waiter(go, m.name, cx))
        .collect();
    let w = waiters.first()?;
    let uses = Uses::of(body, m, &waiters, src);
    if uses.escapes || uses.closed || (!w.ranges && uses.sent) {
        return None;
    }
    let caller = function_name(func, src);
    let msg = if w.ranges {
        format!(
            "goroutine started at line {} ranges over {}, which {caller} never closes: once the sends stop it waits forever; close({}) after the last send",
            line(w.go),
            m.name,
            m.name
        )
    } else {
        format!(
            "goroutine started at line {} waits on <-{}, but {caller} never sends on or closes {}: it waits forever",
            line(w.go),
            m.name,
            m.name
        )
    };
    let at = if w.named { w.go } else { w.at };
    let d = Diagnostic::on_first_line(at, cx.file, msg);
    Some(d)
}

/// How the creator's body uses the channel outside its waiting goroutines.
#[derive(Default)]
struct Uses {
    closed: bool,
    sent: bool,
    escapes: bool,
}

impl Uses {
    fn of(body: Node, m: &ChanMake, waiters: &[Waiter], src: &str) -> Uses {
        let kk = k();
        let mut u = Uses::default();
        for n in preorder(body) {
            if n.kind_id() != kk.identifier
                || text(n, src) != m.name
                || super::shadowed(n, m.name, body, src)
            {
                continue;
            }
            let Some(p) = n.parent() else { continue };
            if p.kind_id() == kk.send_statement {
                u.sent = true;
            } else if p.kind_id() == kk.argument_list {
                match p.parent().and_then(|c| call_parts(c, src)) {
                    Some((None, "close")) => u.closed = true,
                    Some((None, "len" | "cap")) => {}
                    _ if waiters.iter().any(|w| w.named && within(n, w.go)) => {}
                    _ => u.escapes = true,
                }
            } else if !(is_receive_from(p, m.name, src)
                || p.kind_id() == kk.range_clause
                || p.kind_id() == kk.var_spec
                || (p.kind_id() == kk.expression_list
                    && p.parent()
                        .is_some_and(|d| d.byte_range().contains(&m.call.start_byte()))))
            {
                u.escapes = true;
            }
        }
        u
    }
}

fn within(n: Node, outer: Node) -> bool {
    outer.byte_range().contains(&n.start_byte())
}

/// The blocking receive of `name` in the goroutine a `go` statement starts, if any.
fn waiter<'t>(go: Node<'t>, name: &str, cx: &FileContext<'t>) -> Option<Waiter<'t>> {
    let src = cx.file.text.as_str();
    if let Some(lit) = literal_of(go) {
        let body = lit.child_by_field_id(k().f_body)?;
        let (at, ranges) = blocking_receive(body, name, src)?;
        return Some(Waiter {
            go,
            at,
            ranges,
            named: false,
        });
    }
    let call = go.named_child(0)?;
    let index = call_args(call)
        .iter()
        .position(|a| a.kind_id() == k().identifier && text(*a, src) == name)?;
    let decl = match call_parts(call, src)? {
        (None, callee) => super::local_closure(go, callee, src)
            .or_else(|| declared_function(cx.root, callee, src))?,
        (Some(x), callee) => receivers_method(cx.root, go, x, callee, src)?,
    };
    let param = param_names(decl, src).get(index).copied()?;
    let body = decl.child_by_field_id(k().f_body)?;
    let (at, ranges) = blocking_receive(body, param, src)?;
    Some(Waiter {
        go,
        at,
        ranges,
        named: true,
    })
}

/// The method `callee` of this file that `go x.callee(...)` starts, when `x` is the receiver of
/// the method holding the `go` statement and the method is declared on the same type.
fn receivers_method<'t>(
    root: Node<'t>,
    go: Node<'t>,
    x: &str,
    callee: &str,
    src: &str,
) -> Option<Node<'t>> {
    let own = go.top_level()?;
    let (recv, ty) = crate::analysis::concurrency::receiver(own, src)?;
    if x != recv || own.kind_id() != k().method_declaration {
        return None;
    }
    let mut c = root.walk();
    let found = root.named_children(&mut c).find(|d| {
        d.kind_id() == k().method_declaration
            && d.child_by_field_id(k().f_name)
                .is_some_and(|n| text(n, src) == callee)
            && crate::analysis::concurrency::receiver(*d, src).is_some_and(|(_, t)| t == ty)
    });
    found
}

/// The first `range name` or blocking `<-name` in a body.
fn blocking_receive<'t>(body: Node<'t>, name: &str, src: &str) -> Option<(Node<'t>, bool)> {
    let kk = k();
    preorder(body).find_map(|n| {
        if n.kind_id() == kk.range_clause
            && n.child_by_field_id(kk.f_right)
                .is_some_and(|r| text(r, src) == name)
        {
            return Some((n, true));
        }
        (is_receive_from(n, name, src) && !in_select_with_alternatives(n)).then_some((n, false))
    })
}

/// The top-level function of this file called `name`.
fn declared_function<'t>(root: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let mut c = root.walk();
    let found = root.named_children(&mut c).find(|n| {
        n.kind_id() == k().function_declaration
            && n.child_by_field_id(k().f_name)
                .is_some_and(|x| text(x, src) == name)
    });
    found
}

/// Parameter names in order (`a, b chan int` gives two).
pub(crate) fn param_names<'t>(decl: Node<'t>, src: &'t str) -> Vec<&'t str> {
    let Some(list) = decl.child_by_field_id(k().f_parameters) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut c = list.walk();
    for p in list.named_children(&mut c) {
        let names = crate::tree::field_children(p, k().f_name);
        if names.is_empty() {
            out.push("_");
        }
        out.extend(names.into_iter().map(|n| text(n, src)));
    }
    out
}

/// A receive from (or range over) a channel field that nothing in the package sends on or
/// closes, and that never leaves the package's sight: unexported, only ever assigned a fresh
/// `make`, never passed, returned or copied. No goroutine can ever wake the receiver.
fn fields_without_peer<'t>(
    cx: &PackageContext<'t>,
    fields: &HashMap<&'t str, &'t str>,
) -> Vec<PackageDiagnostic> {
    if fields.is_empty() {
        return Vec::new();
    }
    let mut uses: HashMap<&str, FieldUses> = HashMap::default();
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if !fields.keys().any(|name| src.contains(name)) {
            continue;
        }
        for n in preorder(f.root) {
            let kind = n.kind_id();
            if kind == k().composite_literal {
                // `Reader{ch, nil}` sets the fields by position: any of them may be handed in.
                for name in positional_fields(n, fields, src) {
                    uses.entry(name).or_default().peer = true;
                }
                continue;
            }
            if kind != k().field_identifier && kind != k().identifier {
                continue;
            }
            let name = text(n, src);
            if !fields.contains_key(name) {
                continue;
            }
            let u = uses.entry(name).or_default();
            match field_use(n, src) {
                FieldUse::Other => {}
                FieldUse::Wait(at) => u.waits.push((i, at)),
                FieldUse::Peer => u.peer = true,
            }
        }
    }
    let mut names: Vec<&str> = uses
        .iter()
        .filter(|(_, u)| !u.peer && !u.waits.is_empty())
        .map(|(name, _)| *name)
        .collect();
    names.sort_unstable();
    let mut out = Vec::new();
    for name in names {
        let owner = fields[name];
        for &(file, at) in &uses[name].waits {
            let fcx = &cx.files[file];
            let src = fcx.file.text.as_str();
            let msg = match at.kind_id() == k().range_clause {
                true => format!(
                    "range over {} never ends: nothing in the package sends on or closes {owner}.{name}, and it is unexported and never handed out, so no goroutine can; close it where its producer is done",
                    text(at.child_by_field_id(k().f_right).unwrap_or(at), src)
                ),
                false => format!(
                    "{} blocks forever: nothing in the package sends on or closes {owner}.{name}, and it is unexported and never handed out, so no goroutine can wake it; send on or close {name} where it becomes ready",
                    text(at, src)
                ),
            };
            let d = Diagnostic::on_first_line(at, fcx.file, msg);
            out.push(PackageDiagnostic { file, diagnostic: d });
        }
    }
    out
}

#[derive(Default)]
struct FieldUses<'t> {
    /// Blocking receives and ranges, with their file.
    waits: Vec<(usize, Node<'t>)>,
    /// A send, a close, or a use that hands the channel to code out of sight.
    peer: bool,
}

enum FieldUse<'t> {
    /// A declaration, a fresh `make`, `len`/`cap`, a receive that does not block.
    Other,
    /// A receive that blocks, or a `range`.
    Wait(Node<'t>),
    /// Anything else: someone may send or close.
    Peer,
}

/// Unexported fields of channel type declared by the package's structs: name → owning type.
/// A name declared twice (two types, or not always a channel) is left out. Rules read it once
/// per package through `PackageContext::chan_fields`.
pub(crate) fn chan_fields<'t>(cx: &PackageContext<'t>) -> HashMap<&'t str, &'t str> {
    let kk = k();
    let mut out: HashMap<&str, &str> = HashMap::default();
    let mut clash: Vec<&str> = Vec::new();
    for f in &cx.files {
        let src = f.file.text.as_str();
        if !src.contains("chan") {
            continue;
        }
        for spec in preorder(f.root).filter(|n| n.kind_id() == kk.type_spec) {
            let (Some(owner), Some(st)) = (
                spec.child_by_field_id(kk.f_name),
                spec.child_by_field_id(kk.f_type),
            ) else {
                continue;
            };
            if st.kind_id() != kk.struct_type {
                continue;
            }
            for decl in preorder(st).filter(|n| n.kind_id() == kk.field_declaration) {
                let is_chan = decl
                    .child_by_field_id(kk.f_type)
                    .is_some_and(|t| t.kind_id() == kk.channel_type);
                for name in crate::tree::field_children(decl, kk.f_name) {
                    let name = text(name, src);
                    if !is_chan || is_exported(name) || out.contains_key(name) {
                        clash.push(name);
                    } else {
                        out.insert(name, text(owner, src));
                    }
                }
            }
        }
    }
    for name in clash {
        out.remove(name);
    }
    out
}

/// What one mention of a channel field's name does with it.
fn field_use<'t>(n: Node<'t>, src: &str) -> FieldUse<'t> {
    let kk = k();
    let Some(p) = n.parent() else {
        return FieldUse::Peer;
    };
    if p.kind_id() == kk.field_declaration {
        return FieldUse::Other;
    }
    if p.kind_id() == kk.literal_element {
        // `Reader{ready: make(chan struct{})}`: only a fresh channel keeps it in sight. A
        // positional element, or the value of a key, is a variable of the same name.
        let Some(e) = p.parent().filter(|e| e.kind_id() == kk.keyed_element) else {
            return FieldUse::Other;
        };
        if e.child_by_field_id(kk.f_key).map(|x| x.id()) != Some(p.id()) {
            return FieldUse::Other;
        }
        let value = e.child_by_field_id(kk.f_value).and_then(|v| v.named_child(0));
        return match value {
            Some(v) if is_make(v, src) => FieldUse::Other,
            _ => FieldUse::Peer,
        };
    }
    if n.kind_id() != kk.field_identifier || p.kind_id() != kk.selector_expression {
        // A plain identifier of the same name is another variable.
        return FieldUse::Other;
    }
    classify_selector(p, src)
}

/// The channel fields of the type a composite literal with positional elements builds.
pub(crate) fn positional_fields<'t>(
    lit: Node,
    fields: &HashMap<&'t str, &'t str>,
    src: &str,
) -> Vec<&'t str> {
    let kk = k();
    let (Some(ty), Some(body)) = (
        lit.child_by_field_id(kk.f_type),
        lit.child_by_field_id(kk.f_body),
    ) else {
        return Vec::new();
    };
    let mut c = body.walk();
    let positional = body
        .named_children(&mut c)
        .any(|e| e.kind_id() == kk.literal_element);
    if !positional {
        return Vec::new();
    }
    let ty = text(ty, src);
    fields
        .iter()
        .filter(|(_, owner)| **owner == ty)
        .map(|(name, _)| *name)
        .collect()
}

/// What a selector `x.field` does with the channel.
fn classify_selector<'t>(sel: Node<'t>, src: &str) -> FieldUse<'t> {
    let kk = k();
    let Some(p) = sel.parent() else {
        return FieldUse::Peer;
    };
    let is = |field: u16| p.child_by_field_id(field).map(|c| c.id()) == Some(sel.id());
    let pk = p.kind_id();
    if pk == kk.unary_expression && is(kk.f_operand) {
        let receive = p
            .child_by_field_id(kk.f_operator)
            .is_some_and(|o| text(o, src) == "<-");
        return match receive {
            true if in_select_with_alternatives(p) => FieldUse::Other,
            true => FieldUse::Wait(p),
            // `&x.field` hands it out.
            false => FieldUse::Peer,
        };
    }
    if pk == kk.range_clause && is(kk.f_right) {
        return FieldUse::Wait(p);
    }
    if pk == kk.argument_list {
        let call = p.parent().and_then(|c| call_parts(c, src));
        return match call {
            Some((None, "len" | "cap")) => FieldUse::Other,
            _ => FieldUse::Peer,
        };
    }
    if pk == kk.expression_list && assigned_a_make(p, src) {
        return FieldUse::Other;
    }
    FieldUse::Peer
}

/// `x.field = make(chan T)`: the list on the left of an assignment of one fresh channel.
fn assigned_a_make(left: Node, src: &str) -> bool {
    let kk = k();
    let Some(assign) = left.parent() else {
        return false;
    };
    if assign.kind_id() != kk.assignment_statement
        || assign.child_by_field_id(kk.f_left).map(|l| l.id()) != Some(left.id())
        || left.named_child_count() != 1
    {
        return false;
    }
    let right = assign.child_by_field_id(kk.f_right);
    right
        .filter(|r| r.named_child_count() == 1)
        .and_then(|r| r.named_child(0))
        .is_some_and(|v| is_make(v, src))
}

fn is_make(n: Node, src: &str) -> bool {
    n.kind_id() == k().call_expression && matches!(call_parts(n, src), Some((None, "make")))
}

fn is_exported(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// A goroutine whose only way out is `<-ctx.Done()` on a context from `context.WithCancel`
/// whose cancel function is kept in an unexported struct field that nothing in the package
/// calls (or reads): the goroutine ends only with the parent context, often never.
fn cancels_never_called(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    let mut out = Vec::new();
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !src.contains("WithCancel") {
            continue;
        }
        for call in preorder(f.root).filter(|n| n.kind_id() == k().call_expression) {
            if !matches!(
                call_parts(call, src),
                Some((Some("context"), "WithCancel" | "WithCancelCause"))
            ) {
                continue;
            }
            if let Some(d) = kept_cancel(i, call, cx) {
                out.push(d);
            }
        }
    }
    out
}

/// The finding for one `ctx, cancel := context.WithCancel(parent)` whose cancel is only kept.
fn kept_cancel<'t>(
    file: usize,
    call: Node<'t>,
    cx: &PackageContext<'t>,
) -> Option<PackageDiagnostic> {
    let kk = k();
    let fcx = &cx.files[file];
    let src = fcx.file.text.as_str();
    let right = call.parent().filter(|p| p.kind_id() == kk.expression_list)?;
    let def = right.parent()?;
    if def.child_by_field_id(kk.f_right).map(|r| r.id()) != Some(right.id()) {
        return None;
    }
    let left = def.child_by_field_id(kk.f_left)?;
    let (ctx, cancel) = (left.named_child(0)?, left.named_child(1)?);
    let func = crate::analysis::enclosing_function(call)?;
    let field = match cancel.selector() {
        Some((_, g)) => text(g, src),
        None if cancel.kind_id() == kk.identifier => stored_only(func, text(cancel, src), left, src)?,
        None => return None,
    };
    if is_exported(field) || !field_only_stored(cx, field, func) {
        return None;
    }
    let owner = field_owner(cx, field)?;
    let (wfile, wait) = goroutine_wait(cx, file, func, text(ctx, src))?;
    let parent = call_args(call).first().map_or("", |a| text(*a, src));
    let wcx = &cx.files[wfile];
    let wsrc = wcx.file.text.as_str();
    let msg = format!(
        "{} waits for a cancel nobody calls: {} comes from context.WithCancel in {} (line {}), whose cancel is kept in {owner}.{field} and called nowhere in the package, so only the end of {parent} stops this goroutine; call {field} where its owner is closed",
        text(wait, wsrc),
        text(ctx, src),
        function_name(func, src),
        line(call),
    );
    let d = Diagnostic::on_first_line(wait, wcx.file, msg);
    Some(PackageDiagnostic { file: wfile, diagnostic: d })
}

/// The field a local cancel function is stored in (`T{f: cancel}` or `x.f = cancel`), when
/// that is the variable's only use besides its definition.
fn stored_only<'t>(func: Node, name: &str, def_left: Node, src: &'t str) -> Option<&'t str> {
    let kk = k();
    let mut field = None;
    for n in preorder(func).filter(|n| n.kind_id() == kk.identifier && text(*n, src) == name) {
        if within(n, def_left) {
            continue;
        }
        let p = n.parent()?;
        let store = if p.kind_id() == kk.literal_element {
            let e = p.parent().filter(|e| e.kind_id() == kk.keyed_element)?;
            let key = e.child_by_field_id(kk.f_key)?;
            if key.id() == p.id() {
                continue; // `cancel:` names the field
            }
            Some(text(key, src))
        } else if p.kind_id() == kk.expression_list && p.named_child_count() == 1 {
            let assign = p.parent().filter(|a| a.kind_id() == kk.assignment_statement)?;
            let left = assign.child_by_field_id(kk.f_left)?;
            let sel = left.named_child(0).filter(|_| left.named_child_count() == 1)?;
            sel.selector().map(|(_, g)| text(g, src))
        } else {
            None
        };
        if field.is_some() || store.is_none() {
            return None;
        }
        field = store;
    }
    field
}

/// Whether every mention of field `name` in the package is its declaration or a store in
/// `func` (a literal's key, the left of an assignment): nothing calls, reads or copies it.
fn field_only_stored(cx: &PackageContext, name: &str, func: Node) -> bool {
    let kk = k();
    for f in &cx.files {
        let src = f.file.text.as_str();
        if !src.contains(name) {
            continue;
        }
        for n in preorder(f.root) {
            if n.kind_id() != kk.field_identifier || text(n, src) != name {
                continue;
            }
            let Some(p) = n.parent() else { return false };
            let stored = p.kind_id() == kk.field_declaration
                || (within(n, func)
                    && (p.kind_id() == kk.literal_element
                        || (p.kind_id() == kk.selector_expression && on_left(p))));
            if !stored {
                return false;
            }
        }
    }
    true
}

/// Whether an expression is one of the targets of an assignment.
fn on_left(n: Node) -> bool {
    let kk = k();
    let Some(list) = n.parent().filter(|l| l.kind_id() == kk.expression_list) else {
        return false;
    };
    list.parent().is_some_and(|a| {
        (a.kind_id() == kk.assignment_statement || a.kind_id() == kk.short_var_declaration)
            && a.child_by_field_id(kk.f_left).map(|l| l.id()) == Some(list.id())
    })
}

/// The struct type declaring a field called `name`, when exactly one does.
fn field_owner<'t>(cx: &PackageContext<'t>, name: &str) -> Option<&'t str> {
    let kk = k();
    let mut owner = None;
    for f in &cx.files {
        let src = f.file.text.as_str();
        if !src.contains(name) {
            continue;
        }
        for spec in preorder(f.root).filter(|n| n.kind_id() == kk.type_spec) {
            let Some(st) = spec.child_by_field_id(kk.f_type) else { continue };
            let declares = preorder(st)
                .filter(|n| n.kind_id() == kk.field_declaration)
                .flat_map(|d| crate::tree::field_children(d, kk.f_name))
                .any(|n| text(n, src) == name);
            if declares {
                if owner.is_some() {
                    return None;
                }
                owner = spec.child_by_field_id(kk.f_name).map(|n| text(n, src));
            }
        }
    }
    owner
}

/// The wait on `<-ctx.Done()` that is the only way out of a goroutine `func` starts with `ctx`:
/// a blocking receive with no `return` before it, or the only exit of a serving loop.
fn goroutine_wait<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    func: Node<'t>,
    ctx: &str,
) -> Option<(usize, Node<'t>)> {
    let kk = k();
    for go in preorder(func).filter(|n| n.kind_id() == kk.go_statement) {
        let Some((wfile, scope, param)) = started_with(cx, file, go, ctx) else {
            continue;
        };
        let wsrc = cx.files[wfile].file.text.as_str();
        if let Some(w) = only_exit(wfile, scope, &format!("{param}.Done()"), wsrc) {
            return Some((wfile, w));
        }
    }
    None
}

/// The function a `go` statement runs with `ctx` and the name `ctx` has there: a literal that
/// uses it, or a function or method of the package (unique by name) it is passed to.
fn started_with<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    go: Node<'t>,
    ctx: &str,
) -> Option<(usize, Node<'t>, &'t str)> {
    let kk = k();
    let src = cx.files[file].file.text.as_str();
    let call = go.named_child(0)?;
    let args = call_args(call);
    let index = args
        .iter()
        .position(|a| a.kind_id() == kk.identifier && text(*a, src) == ctx);
    if let Some(lit) = literal_of(go) {
        return match index {
            Some(i) => Some((file, lit, param_names(lit, src).get(i).copied()?)),
            None => Some((file, lit, ctx_name_in(lit, ctx, src)?)),
        };
    }
    let f = call.child_by_field_id(kk.f_function)?;
    let callee = match f.selector() {
        Some((_, m)) => text(m, src),
        None => text(f, src),
    };
    let (dfile, decl) = unique_declaration(cx, callee)?;
    let dsrc = cx.files[dfile].file.text.as_str();
    let param = param_names(decl, dsrc).get(index?).copied()?;
    Some((dfile, decl, param))
}

/// `ctx` itself when a literal mentions it (captures it).
fn ctx_name_in<'t>(lit: Node, ctx: &str, src: &'t str) -> Option<&'t str> {
    preorder(lit)
        .find(|n| n.kind_id() == k().identifier && text(*n, src) == ctx)
        .map(|n| text(n, src))
}

/// The one function or method of the package called `name`.
pub(crate) fn unique_declaration<'t>(cx: &PackageContext<'t>, name: &str) -> Option<(usize, Node<'t>)> {
    let kk = k();
    let mut found = None;
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        let mut c = f.root.walk();
        for d in f.root.named_children(&mut c) {
            let kind = d.kind_id();
            if kind != kk.function_declaration && kind != kk.method_declaration {
                continue;
            }
            if d.child_by_field_id(kk.f_name).is_some_and(|n| text(n, src) == name) {
                if found.is_some() {
                    return None;
                }
                found = Some((i, d));
            }
        }
    }
    found
}

/// The receive `<-{operand}` that is the only way out of function `scope`: a blocking receive
/// with no `return` before it, or the exit case(s) of a serving loop that has no other exit and
/// no `return` before it. Returns the first such receive.
fn only_exit<'t>(file: usize, scope: Node<'t>, operand: &str, src: &'t str) -> Option<Node<'t>> {
    only_exits(file, scope, &|o| o == operand, src)
}

/// Like `only_exit`, for any operand `accepts` takes.
fn only_exits<'t>(
    file: usize,
    scope: Node<'t>,
    accepts: &dyn Fn(&str) -> bool,
    src: &'t str,
) -> Option<Node<'t>> {
    let kk = k();
    let body = scope.child_by_field_id(kk.f_body)?;
    for n in preorder(body) {
        if crate::analysis::enclosing_function(n).is_none_or(|f| f.id() != scope.id()) {
            continue;
        }
        if n.kind_id() == kk.return_statement {
            return None;
        }
        if n.kind_id() == kk.for_statement {
            // The first loop decides: a goroutine that leaves it some other way may end.
            let l = serving::loop_at(file, n, src)?;
            if l.other_exit {
                return None;
            }
            let first = l.exits().next()?;
            return l.exits().all(|c| accepts(c.operand)).then_some(first.receive);
        }
        if n.kind_id() == kk.unary_expression
            && n.child_by_field_id(kk.f_operator).is_some_and(|o| text(o, src) == "<-")
            && !in_select_with_alternatives(n)
        {
            let x = n.child_by_field_id(kk.f_operand)?;
            return accepts(text(x, src)).then_some(n);
        }
    }
    None
}

/// A constructor's result dropped by its caller (`Acquire(n)` as a statement, `_ = New()`)
/// when the goroutine the constructor starts returns only on a stop channel of the value it
/// returns, closed only by that value's methods: with the value gone nobody can stop it.
fn dropped_owners<'t>(
    cx: &PackageContext<'t>,
    fields: &HashMap<&'t str, &'t str>,
) -> Vec<PackageDiagnostic> {
    let owners = stopped_owners(cx, fields);
    if owners.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !owners.keys().any(|c| src.contains(c)) {
            continue;
        }
        for call in preorder(f.root).filter(|n| n.kind_id() == k().call_expression) {
            let Some((recv, name)) = call_parts(call, src) else {
                continue;
            };
            let Some(o) = owners.get(name) else { continue };
            if recv.is_some() != o.method || !result_dropped(call, src) {
                continue;
            }
            let msg = format!(
                "{} drops the *{ty} it returns: the goroutine {name} starts ({}line {}) returns only on <-{}, which only {ty}.{} {}, and nobody can call it now; keep the *{ty} and call {} when done",
                text(call, src),
                o.started,
                o.go_line,
                o.wait,
                o.stopper,
                o.verb,
                o.stopper,
                ty = o.ty,
            );
            let d = Diagnostic::on_first_line(call, f.file, msg);
            out.push(PackageDiagnostic { file: i, diagnostic: d });
        }
    }
    out
}

/// A constructor whose goroutine only its result can stop.
struct StoppedOwner {
    ty: String,
    /// The constructor is a method (of another type: `n.StartHeartbeat(addr)`).
    method: bool,
    /// `l.renew, ` for a method started with `go`, empty for a literal.
    started: String,
    go_line: usize,
    /// The receive's operand (`l.stop`).
    wait: String,
    /// The method that closes (or sends on) the stop channel.
    stopper: String,
    verb: &'static str,
}

/// Whether a call's result is thrown away: a statement of its own, or assigned to `_` alone.
pub(crate) fn result_dropped(call: Node, src: &str) -> bool {
    let kk = k();
    let Some(p) = call.parent() else { return false };
    if p.kind_id() == kk.expression_statement {
        return true;
    }
    if p.kind_id() != kk.expression_list || p.named_child_count() != 1 {
        return false;
    }
    let Some(assign) = p.parent() else { return false };
    let left = assign.child_by_field_id(kk.f_left);
    (assign.kind_id() == kk.assignment_statement || assign.kind_id() == kk.short_var_declaration)
        && left.is_some_and(|l| text(l, src).trim() == "_")
}

/// The package's constructors (functions and methods, by name) whose goroutine only the value
/// they return can stop.
fn stopped_owners<'t>(
    cx: &PackageContext<'t>,
    fields: &HashMap<&'t str, &'t str>,
) -> HashMap<String, StoppedOwner> {
    let mut out = HashMap::default();
    if fields.is_empty() {
        return out;
    }
    let mut uses = None;
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !src.contains("go ") {
            continue;
        }
        let mut c = f.root.walk();
        for d in f.root.named_children(&mut c) {
            if d.kind_id() != k().function_declaration && d.kind_id() != k().method_declaration {
                continue;
            }
            if let Some((name, o)) = stopped_owner(cx, i, d, fields, &mut uses) {
                out.insert(name, o);
            }
        }
    }
    out
}

/// `func C(...) *T { v := &T{...}; go v.m(...); return v }` where `m` (or the literal) returns
/// only on `<-v.stop`, and only methods of `T` close or send on `stop`.
fn stopped_owner<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    decl: Node<'t>,
    fields: &HashMap<&'t str, &'t str>,
    uses: &mut Option<HashMap<&'t str, Vec<(usize, serving::ChanUse<'t>)>>>,
) -> Option<(String, StoppedOwner)> {
    let kk = k();
    let src = cx.files[file].file.text.as_str();
    let name = text(decl.child_by_field_id(kk.f_name)?, src);
    let result = decl.child_by_field_id(kk.f_result)?;
    if result.kind_id() != kk.pointer_type {
        return None;
    }
    let ty = text(result, src).trim_start_matches('*');
    let body = decl.child_by_field_id(kk.f_body)?;
    let body_text = text(body, src);
    if !body_text.contains("go ") || !body_text.contains(&format!("&{ty}{{")) {
        return None;
    }
    let v = owned_value(body, ty, src)?;
    let go = sole_go(body)?;
    let (wfile, scope, recv, started) = stopped_goroutine(cx, file, go, v, ty)?;
    let wsrc = cx.files[wfile].file.text.as_str();
    let stop_of = |o: &str| {
        o.strip_prefix(recv)
            .and_then(|r| r.strip_prefix('.'))
            .filter(|f| fields.get(f) == Some(&ty))
            .is_some()
    };
    let wait = only_exits(wfile, scope, &stop_of, wsrc)?;
    let operand = wait.child_by_field_id(kk.f_operand)?;
    let field = operand.selector().map(|(_, f)| text(f, wsrc))?;
    let uses = uses.get_or_insert_with(|| serving::chan_field_uses(cx, fields));
    let (stopper, verb) = sole_stopper(cx, uses.get(field)?, ty, scope)?;
    if !value_kept_in(body, v, go, src) {
        return None;
    }
    Some((
        name.to_string(),
        StoppedOwner {
            ty: ty.to_string(),
            method: decl.kind_id() == kk.method_declaration,
            started,
            go_line: line(go),
            wait: text(operand, wsrc).to_string(),
            stopper,
            verb,
        },
    ))
}

/// `v := &T{...}` in a constructor's body: the name of the value it builds.
fn owned_value<'t>(body: Node<'t>, ty: &str, src: &'t str) -> Option<&'t str> {
    let kk = k();
    preorder(body)
        .filter(|n| n.kind_id() == kk.short_var_declaration)
        .find_map(|d| {
            let right = d.child_by_field_id(kk.f_right)?.named_child(0)?;
            let lit = right.child_by_field_id(kk.f_operand).filter(|_| text(right, src).starts_with('&'))?;
            let lit_ty = lit.child_by_field_id(kk.f_type).map(|t| text(t, src))?;
            (lit.kind_id() == kk.composite_literal && lit_ty == ty)
                .then(|| d.child_by_field_id(kk.f_left)?.named_child(0).map(|n| text(n, src)))
                .flatten()
        })
}

/// The one `go` statement of a body (none in nested literals counted twice).
fn sole_go(body: Node) -> Option<Node> {
    let mut gos = preorder(body).filter(|n| n.kind_id() == k().go_statement);
    let go = gos.next()?;
    gos.next().is_none().then_some(go)
}

/// The goroutine `go v.m(...)` (a method of `ty`) or `go func() { ... v ... }()` starts: its
/// file, function, the name `v` has there, and how it is started (`v.m, `).
fn stopped_goroutine<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    go: Node<'t>,
    v: &'t str,
    ty: &str,
) -> Option<(usize, Node<'t>, &'t str, String)> {
    let kk = k();
    let src = cx.files[file].file.text.as_str();
    if let Some(lit) = literal_of(go) {
        return Some((file, lit, v, String::new()));
    }
    let call = go.named_child(0)?;
    let f = call.child_by_field_id(kk.f_function)?;
    let (x, m) = f.selector()?;
    if text(x, src) != v {
        return None;
    }
    let (mfile, method) = method_of(cx, ty, text(m, src))?;
    let msrc = cx.files[mfile].file.text.as_str();
    let (recv, _) = crate::analysis::concurrency::receiver(method, msrc)?;
    Some((mfile, method, recv, format!("{}, ", text(f, src))))
}

/// The method `name` of type `ty`.
pub(crate) fn method_of<'t>(cx: &PackageContext<'t>, ty: &str, name: &str) -> Option<(usize, Node<'t>)> {
    let kk = k();
    cx.files.iter().enumerate().find_map(|(i, f)| {
        let src = f.file.text.as_str();
        let mut c = f.root.walk();
        let found = f.root.named_children(&mut c).find(|d| {
            d.kind_id() == kk.method_declaration
                && d.child_by_field_id(kk.f_name).is_some_and(|n| text(n, src) == name)
                && crate::analysis::concurrency::receiver(*d, src).is_some_and(|(_, t)| t == ty)
        });
        found.map(|d| (i, d))
    })
}

/// The method of `ty` that alone closes (or sends on) the stop field: every close and send is
/// in a method of `ty` other than the goroutine's own, and nothing hands the channel out.
fn sole_stopper(
    cx: &PackageContext,
    uses: &[(usize, serving::ChanUse)],
    ty: &str,
    scope: Node,
) -> Option<(String, &'static str)> {
    let mut stopper: Option<(String, &'static str)> = None;
    for &(file, u) in uses {
        let (at, verb) = match u {
            serving::ChanUse::Close(c) => (c, "closes"),
            serving::ChanUse::Send(s) => (s, "sends on"),
            serving::ChanUse::Other => return None,
            _ => continue,
        };
        if within(at, scope) {
            return None;
        }
        let src = cx.files[file].file.text.as_str();
        let method = crate::analysis::enclosing_function(at)?;
        if method.kind_id() != k().method_declaration
            || crate::analysis::concurrency::receiver(method, src).map(|(_, t)| t) != Some(ty)
        {
            return None;
        }
        let name = text(method.child_by_field_id(k().f_name)?, src);
        stopper.get_or_insert((name.to_string(), verb));
    }
    stopper
}

/// Whether the constructor keeps `v` to itself: outside the `go` statement it only sets or
/// reads `v`'s fields and returns `v` (no method call, no argument, no store that could hand
/// it to someone who would stop it).
fn value_kept_in(body: Node, v: &str, go: Node, src: &str) -> bool {
    let kk = k();
    for n in preorder(body).filter(|n| n.kind_id() == kk.identifier && text(*n, src) == v) {
        if within(n, go) {
            continue;
        }
        let Some(p) = n.parent() else { return false };
        let ok = match p.kind_id() {
            kind if kind == kk.selector_expression => p
                .parent()
                .is_none_or(|g| g.kind_id() != kk.call_expression),
            kind if kind == kk.expression_list => p.parent().is_some_and(|g| {
                g.kind_id() == kk.return_statement
                    || (g.kind_id() == kk.short_var_declaration
                        && g.child_by_field_id(kk.f_left).map(|l| l.id()) == Some(p.id()))
            }),
            kind if kind == kk.return_statement => true,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}
