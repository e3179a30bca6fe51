//! Buffers filled past their capacity before anyone receives: sends on a buffered channel that
//! run before the goroutine that drains it is started. The buffer takes the first sends; the
//! one after the last free slot blocks, and since the receiver is only started after it, it
//! blocks forever.
//!
//! Two shapes. A local channel: `ch := make(chan T, 2)` and three sends on one path before `ch`
//! is shared with anyone (the sends are counted along the control-flow graph; a send in a loop
//! stops the count, its trip count is unknown). A channel field: a method sends on `x.f` before
//! the `go` statement that starts the only goroutine receiving from `f`; the sends it makes
//! there, plus one from an exported method of the same type that may run first (a `Kick` that
//! also sends without a `select`), exceed the capacity every `make` gives the field.

use super::{
    call_args, call_parts, enclosing_loop, in_select_with_alternatives, is_receive_from, k, line,
    serving, text, ChanMake,
};
use crate::analysis::cfg::{BlockId, Cfg};
use crate::fxhash::HashMap;
use crate::rules::{Diagnostic, FileContext, PackageContext, PackageDiagnostic};
use crate::tree::preorder;
use crate::tree::Node;

/// Buffers larger than this are not counted: paths would multiply for little gain.
const MAX_COUNTED_CAP: u64 = 8;

/// The send that overfills a local buffered channel on a path from its `make`, before any
/// mention of the channel could share it with a receiver.
pub fn overfilled_before_sharing<'t>(
    m: &ChanMake<'t>,
    sends: &[Node<'t>],
    cfg: &Cfg<'t>,
    body: Node<'t>,
    cx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let cap = m
        .literal_cap(src)
        .filter(|c| (1..=MAX_COUNTED_CAP).contains(c))?;
    let (send, nth) = overfilling_send(cfg, m, sends, cap, body, src)?;
    let msg = format!(
        "send on {name} blocks forever: {name} holds {cap} value{s} and this is send {nth} on the path from its make (line {}), before any other goroutine can hold {name}, so nobody receives; start the receiver first or give {name} room for {nth}",
        line(m.call),
        name = m.name,
        s = if cap == 1 { "" } else { "s" },
    );
    let d = Diagnostic::on_first_line(send, cx.file, msg);
    Some(d)
}

/// The first send reached as send number `cap + 1` from the `make` without passing a node that
/// mentions the channel otherwise; with the count in the walk's state, each block is seen at
/// most `cap + 1` times.
fn overfilling_send<'t>(
    cfg: &Cfg<'t>,
    m: &ChanMake<'t>,
    sends: &[Node<'t>],
    cap: u64,
    body: Node<'t>,
    src: &str,
) -> Option<(Node<'t>, u64)> {
    let holds_make = |n: &Node| n.byte_range().contains(&m.call.start_byte());
    let start = cfg
        .blocks
        .iter()
        .position(|b| b.nodes.iter().any(holds_make))?;
    let from = cfg.blocks[start].nodes.iter().position(holds_make)?;
    let states = cap as usize + 1;
    let mut seen = vec![false; cfg.blocks.len() * states];
    let mut stack: Vec<(BlockId, usize, u64)> = vec![(start, from + 1, 0)];
    while let Some((b, first, mut count)) = stack.pop() {
        let mut open = true;
        for &n in cfg.blocks[b].nodes.iter().skip(first) {
            if let Some(&s) = sends
                .iter()
                .find(|s| n.byte_range().contains(&s.start_byte()))
            {
                if enclosing_loop(s, body).is_some() {
                    open = false;
                    break;
                }
                count += 1;
                if count > cap {
                    return Some((s, count));
                }
                continue;
            }
            if super::mentions(n, m.name, src)
                || super::goroutine_blocked_send::loop_shares(n, sends, m.name, src)
            {
                open = false;
                break;
            }
        }
        if !open {
            continue;
        }
        for e in &cfg.blocks[b].succs {
            let key = e.to * states + count as usize;
            if !std::mem::replace(&mut seen[key], true) {
                stack.push((e.to, 0, count));
            }
        }
    }
    None
}

/// Sends on a buffered channel field, made before the method starts the goroutine that
/// receives from it, that exceed the field's capacity.
pub fn overfilled_fields(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    let fields = cx.chan_fields();
    if fields.is_empty() {
        return Vec::new();
    }
    let mut candidates = Vec::new();
    for (file, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if super::is_test_file(&f.file.rel) || !src.contains("go ") {
            continue;
        }
        let mut c = f.root.walk();
        for decl in f.root.named_children(&mut c) {
            if let Some(s) = sends_before_go(file, decl, fields, src) {
                candidates.push(s);
            }
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }
    let uses = serving::chan_field_uses(cx, fields);
    let mut out = Vec::new();
    for s in candidates {
        if let Some(d) = overfill(cx, &s, &uses, fields) {
            out.push(d);
        }
    }
    out
}

/// A method's blocking sends on its receiver's channel field `f`, in its body's own statements,
/// before the first `go` statement, which starts a goroutine that receives from `f`.
struct EarlySends<'t> {
    file: usize,
    method: Node<'t>,
    ty: &'t str,
    field: &'t str,
    sends: Vec<Node<'t>>,
    go: Node<'t>,
    /// The function the goroutine runs (a literal, or the receiver's method).
    consumer: Node<'t>,
}

fn sends_before_go<'t>(
    file: usize,
    decl: Node<'t>,
    fields: &HashMap<&'t str, &'t str>,
    src: &'t str,
) -> Option<EarlySends<'t>> {
    let kk = k();
    if decl.kind_id() != kk.method_declaration {
        return None;
    }
    let (recv, ty) = crate::analysis::concurrency::receiver(decl, src)?;
    let body = decl.child_by_field_id(kk.f_body)?;
    let list = body
        .named_children(&mut body.walk())
        .find(|c| c.kind_id() == kk.statement_list)?;
    let mut sends: Vec<Node> = Vec::new();
    let mut field = None;
    let mut c = list.walk();
    for stmt in list.named_children(&mut c) {
        if stmt.kind_id() == kk.go_statement {
            let field = field?;
            let consumer = consumer_of(stmt, recv, field, src)?;
            return Some(EarlySends {
                file,
                method: decl,
                ty,
                field,
                sends,
                go: stmt,
                consumer,
            });
        }
        if stmt.kind_id() != kk.send_statement {
            continue;
        }
        let Some((x, f)) = stmt
            .child_by_field_id(kk.f_channel)
            .and_then(|c| c.selector())
        else {
            continue;
        };
        let f = text(f, src);
        if text(x, src) != recv || fields.get(f) != Some(&ty) || *field.get_or_insert(f) != f {
            continue;
        }
        sends.push(stmt);
    }
    None
}

/// The function a `go` statement runs when it receives from `recv.field`: its literal, or
/// the method `go recv.m()` names (found in the same file).
fn consumer_of<'t>(go: Node<'t>, recv: &str, field: &str, src: &str) -> Option<Node<'t>> {
    let kk = k();
    let target = format!("{recv}.{field}");
    let scope = match super::literal_of(go) {
        Some(lit) => lit,
        None => {
            let call = go.named_child(0)?;
            let (Some(x), m) = call_parts(call, src)? else {
                return None;
            };
            if x != recv || !call_args(call).is_empty() {
                return None;
            }
            let root = go.top_level()?.parent()?;
            let mut c = root.walk();
            let found = root.named_children(&mut c).find(|d| {
                d.kind_id() == kk.method_declaration
                    && d.child_by_field_id(kk.f_name)
                        .is_some_and(|n| text(n, src) == m)
            });
            let decl = found?;
            let (r, _) = crate::analysis::concurrency::receiver(decl, src)?;
            let own = format!("{r}.{field}");
            return preorder(decl)
                .any(|n| is_receive_from(n, &own, src))
                .then_some(decl);
        }
    };
    preorder(scope)
        .any(|n| is_receive_from(n, &target, src))
        .then_some(scope)
}

/// The finding for a method's early sends, when every receive of the field is in the goroutine
/// it starts after them and the sends (with one from another exported method) exceed the
/// capacity.
fn overfill<'t>(
    cx: &PackageContext<'t>,
    s: &EarlySends<'t>,
    uses: &HashMap<&'t str, Vec<(usize, serving::ChanUse<'t>)>>,
    fields: &HashMap<&'t str, &'t str>,
) -> Option<PackageDiagnostic> {
    let uses = uses.get(s.field)?;
    let cap = field_capacity(cx, s.field, uses)?;
    let mut other = None;
    for &(file, u) in uses {
        match u {
            serving::ChanUse::Receive(r) if !within(r, s.consumer) => return None,
            serving::ChanUse::Quiet | serving::ChanUse::Other => return None,
            serving::ChanUse::Send(send) if other.is_none() => {
                other = earlier_sender(cx, file, send, s);
            }
            _ => {}
        }
    }
    let nth = if other.is_some() { cap } else { cap + 1 };
    let send = *s.sends.get(usize::try_from(nth).ok()?.checked_sub(1)?)?;
    let src = cx.files[s.file].file.text.as_str();
    let method = text(s.method.child_by_field_id(k().f_name)?, src);
    let chan = text(send.child_by_field_id(k().f_channel)?, src);
    let owner = fields.get(s.field)?;
    let holds = format!(
        "{owner}.{} holds {cap} value{}",
        s.field,
        if cap == 1 { "" } else { "s" }
    );
    let why = match other {
        Some((name, at)) => format!(
            "{name} (line {at}) may fill it before {method} starts its receiver (line {})",
            line(s.go)
        ),
        None => format!(
            "this is send {nth} in {method} before it starts its receiver (line {})",
            line(s.go)
        ),
    };
    let msg = format!(
        "send on {chan} blocks forever: {holds} and {why}, and nothing else receives from it; start the receiver first or send with a select that has a default"
    );
    let fcx = &cx.files[s.file];
    let d = Diagnostic::on_first_line(send, fcx.file, msg);
    Some(PackageDiagnostic {
        file: s.file,
        diagnostic: d,
    })
}

/// A blocking send on the field in another exported method of the same type, which a caller
/// may run before the method that starts the receiver: its name and line.
fn earlier_sender<'t>(
    cx: &PackageContext<'t>,
    file: usize,
    send: Node<'t>,
    s: &EarlySends,
) -> Option<(&'t str, usize)> {
    if in_select_with_alternatives(send) || within(send, s.method) || within(send, s.consumer) {
        return None;
    }
    let src = cx.files[file].file.text.as_str();
    let decl = super::enclosing_function(send)?;
    if decl.kind_id() != k().method_declaration
        || crate::analysis::concurrency::receiver(decl, src).map(|(_, t)| t) != Some(s.ty)
    {
        return None;
    }
    let name = text(decl.child_by_field_id(k().f_name)?, src);
    name.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some((name, line(send)))
}

/// The capacity every `make` of the field gives it, when each is a literal and they agree.
fn field_capacity(
    cx: &PackageContext,
    field: &str,
    uses: &[(usize, serving::ChanUse)],
) -> Option<u64> {
    if !uses
        .iter()
        .any(|(_, u)| matches!(u, serving::ChanUse::Buffered))
    {
        return None;
    }
    let kk = k();
    let mut cap = None;
    for f in &cx.files {
        let src = f.file.text.as_str();
        if !src.contains(field) {
            continue;
        }
        for call in preorder(f.root).filter(|n| n.kind_id() == kk.call_expression) {
            if !makes_field(call, field, src) {
                continue;
            }
            let arg = *call_args(call).get(1)?;
            let n: u64 = text(arg, src).parse().ok()?;
            if *cap.get_or_insert(n) != n {
                return None;
            }
        }
    }
    cap.filter(|c| *c >= 1)
}

/// `field: make(chan T, n)` in a literal, or `x.field = make(chan T, n)`.
fn makes_field(call: Node, field: &str, src: &str) -> bool {
    let kk = k();
    if !matches!(call_parts(call, src), Some((None, "make"))) {
        return false;
    }
    let Some(p) = call.parent() else { return false };
    if p.kind_id() == kk.literal_element {
        let key = p.parent().and_then(|e| e.child_by_field_id(kk.f_key));
        return key.is_some_and(|key| key.id() != p.id() && text(key, src) == field);
    }
    let Some(assign) = p.parent().filter(|_| p.kind_id() == kk.expression_list) else {
        return false;
    };
    let left = assign
        .child_by_field_id(kk.f_left)
        .and_then(|l| l.named_child(0));
    let target = left.and_then(|l| l.selector()).map(|(_, f)| text(f, src));
    assign.kind_id() == kk.assignment_statement && target == Some(field)
}

fn within(n: Node, outer: Node) -> bool {
    outer.byte_range().contains(&n.start_byte())
}
