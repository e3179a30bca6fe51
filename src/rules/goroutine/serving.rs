//! Serving loops: `for { select { ... } }` loops that receive on channel fields and leave on a
//! stop case, found over a whole package, and how each channel field of the package's structs is
//! used (made with or without a buffer, sent on, received from, closed, handed out).
//!
//! A channel field is known by its name (`Type.field`, the name unique among the package's
//! channel fields): a receive `<-s.reqs` in one method and a send `s.reqs <- r` in another meet
//! on the same channel. The model is shared by the rules that ask who can wake a blocked send or
//! receive: the loop serving a field, and the case on which it returns.

use super::{call_args, call_parts, in_select_with_alternatives, k, line, text};
use crate::analysis::is_function;
use crate::fxhash::HashMap;
use crate::rules::PackageContext;
use crate::tree::preorder;
use crate::tree::Node;

/// One `case` of a serving loop's `select` that receives.
#[derive(Clone, Copy)]
pub struct Case<'t> {
    /// The `<-x` expression.
    pub receive: Node<'t>,
    /// The operand's text (`s.quit`, `ctx.Done()`).
    pub operand: &'t str,
    /// The operand's field name when it is `x.field`.
    pub field: Option<&'t str>,
    /// The case leaves the loop (a `return`, or a `break` to the loop's label).
    pub exits: bool,
}

/// A `for { select { ... } }` loop with no condition.
pub struct Loop<'t> {
    pub file: usize,
    /// The function (declaration, method or literal) whose body holds the loop.
    pub func: Node<'t>,
    pub cases: Vec<Case<'t>>,
    /// The loop can also be left outside its receiving cases (a `return` elsewhere in it, a
    /// send case that returns, a `default`).
    pub other_exit: bool,
}

impl<'t> Loop<'t> {
    /// The receive cases that leave the loop.
    pub fn exits(&self) -> impl Iterator<Item = &Case<'t>> {
        self.cases.iter().filter(|c| c.exits)
    }

    /// How the loop's goroutine is named in messages: `Server.loop`, or the literal's line.
    pub fn name(&self, src: &str) -> String {
        let kk = k();
        if self.func.kind_id() == kk.method_declaration {
            let ty = crate::analysis::concurrency::receiver(self.func, src).map(|(_, t)| t);
            let m = self.func.child_by_field_id(kk.f_name).map(|n| text(n, src));
            if let (Some(ty), Some(m)) = (ty, m) {
                return format!("{ty}.{m}");
            }
        }
        if self.func.kind_id() == kk.function_declaration {
            if let Some(n) = self.func.child_by_field_id(kk.f_name) {
                return text(n, src).to_string();
            }
        }
        format!("the goroutine at line {}", line(self.func))
    }
}

/// The serving loops of a package's files that mention `select` and one of `fields`.
pub fn serving_loops<'t>(
    cx: &PackageContext<'t>,
    fields: &HashMap<&'t str, &'t str>,
) -> Vec<Loop<'t>> {
    let kk = k();
    let mut out = Vec::new();
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if !src.contains("select") || !fields.keys().any(|name| src.contains(name)) {
            continue;
        }
        for n in preorder(f.root) {
            if n.kind_id() == kk.for_statement && is_bare_loop(n) {
                if let Some(l) = serving_loop(i, n, src) {
                    out.push(l);
                }
            }
        }
    }
    out
}

/// The serving loop `lp` is, when it is one (`for { select { ... } }`).
pub fn loop_at<'t>(file: usize, lp: Node<'t>, src: &'t str) -> Option<Loop<'t>> {
    (lp.kind_id() == k().for_statement && is_bare_loop(lp))
        .then(|| serving_loop(file, lp, src))
        .flatten()
}

/// `for { ... }`: no condition, no clause, no range.
fn is_bare_loop(n: Node) -> bool {
    let kk = k();
    let mut c = n.walk();
    let bare = n
        .named_children(&mut c)
        .all(|ch| ch.kind_id() == kk.block || ch.kind_id() == kk.comment);
    bare
}

/// The loop's `select` statements (not those of nested loops or literals) and their cases.
fn serving_loop<'t>(file: usize, lp: Node<'t>, src: &'t str) -> Option<Loop<'t>> {
    let kk = k();
    let func = crate::analysis::enclosing_function(lp)?;
    let body = lp.child_by_field_id(kk.f_body)?;
    let label = loop_label(lp, src);
    let mut cases = Vec::new();
    let mut other_exit = false;
    let mut saw_select = false;
    for n in preorder(body) {
        if n.kind_id() == kk.return_statement && nearest_loop(n) == Some(lp.id()) {
            if !in_receive_case(n) {
                other_exit = true;
            }
            continue;
        }
        if n.kind_id() == kk.break_statement && breaks_out(n, label, src) {
            if !in_receive_case(n) {
                other_exit = true;
            }
            continue;
        }
        if n.kind_id() != kk.select_statement || nearest_loop(n) != Some(lp.id()) {
            continue;
        }
        saw_select = true;
        let mut c = n.walk();
        for case in n.named_children(&mut c) {
            if case.kind_id() == kk.default_case {
                other_exit = true;
            }
            if case.kind_id() != kk.communication_case {
                continue;
            }
            match receive_case(case, lp, label, src) {
                Some(rc) => cases.push(rc),
                None if case_exits(case, lp, label, src) => other_exit = true,
                None => {}
            }
        }
    }
    (saw_select && !cases.is_empty()).then_some(Loop {
        file,
        func,
        cases,
        other_exit,
    })
}

/// The receive a `case` waits on, and whether its body leaves the loop.
fn receive_case<'t>(
    case: Node<'t>,
    lp: Node,
    label: Option<&str>,
    src: &'t str,
) -> Option<Case<'t>> {
    let comm = case.child_by_field_id(k().f_communication)?;
    let (receive, operand, field) = receive_in(comm, src)?;
    Some(Case {
        receive,
        operand,
        field,
        exits: case_exits(case, lp, label, src),
    })
}

/// Whether a case's body returns or breaks out of the loop `lp`.
fn case_exits(case: Node, lp: Node, label: Option<&str>, src: &str) -> bool {
    let kk = k();
    preorder(case).any(|n| {
        (n.kind_id() == kk.return_statement && nearest_loop(n) == Some(lp.id()))
            || (n.kind_id() == kk.break_statement && breaks_out(n, label, src))
    })
}

/// `break L` where `L` labels the loop.
fn breaks_out(n: Node, label: Option<&str>, src: &str) -> bool {
    let Some(label) = label else {
        return false;
    };
    let kk = k();
    n.child_by_field_id(kk.f_label)
        .or_else(|| n.named_child(0))
        .is_some_and(|l| text(l, src) == label)
}

fn loop_label<'t>(lp: Node, src: &'t str) -> Option<&'t str> {
    let kk = k();
    let p = lp
        .parent()
        .filter(|p| p.kind_id() == kk.labeled_statement)?;
    p.child_by_field_id(kk.f_label).map(|l| text(l, src))
}

/// Whether `n` sits in the body of a `case` that receives.
fn in_receive_case(n: Node) -> bool {
    let kk = k();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_id() == kk.communication_case {
            return p
                .child_by_field_id(kk.f_communication)
                .is_some_and(|c| c.kind_id() != kk.send_statement);
        }
        if is_function(kk, p.kind_id()) {
            return false;
        }
        cur = p.parent();
    }
    false
}

/// The innermost `for` loop around `n` within its function, by id.
fn nearest_loop(n: Node) -> Option<usize> {
    let kk = k();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_function(kk, p.kind_id()) {
            return None;
        }
        if p.kind_id() == kk.for_statement {
            return Some(p.id());
        }
        cur = p.parent();
    }
    None
}

/// What one mention of a channel field does.
#[derive(Clone, Copy)]
pub enum ChanUse<'t> {
    /// The field's declaration, `len`/`cap`: says nothing of how it is made.
    Declared,
    /// Made without a buffer.
    Quiet,
    /// Made with a buffer.
    Buffered,
    /// A receive `<-x.f` (the unary expression).
    Receive(Node<'t>),
    /// A send `x.f <- v` (the statement).
    Send(Node<'t>),
    /// `close(x.f)` (the call).
    Close(Node<'t>),
    /// Ranged over, passed, returned, copied, set from elsewhere: out of sight.
    Other,
}

/// Every mention of the package's unexported channel fields: name → (file, use).
pub fn chan_field_uses<'t>(
    cx: &PackageContext<'t>,
    fields: &HashMap<&'t str, &'t str>,
) -> HashMap<&'t str, Vec<(usize, ChanUse<'t>)>> {
    let kk = k();
    let mut out: HashMap<&str, Vec<(usize, ChanUse)>> = HashMap::default();
    for (i, f) in cx.files.iter().enumerate() {
        let src = f.file.text.as_str();
        if !fields.keys().any(|name| src.contains(name)) {
            continue;
        }
        for n in preorder(f.root) {
            if n.kind_id() == kk.composite_literal {
                for name in super::goroutine_blocked_receive::positional_fields(n, fields, src) {
                    out.entry(name).or_default().push((i, ChanUse::Other));
                }
                continue;
            }
            // A key of a keyed literal element is an identifier, not a field identifier.
            let key = n.kind_id() == kk.identifier && is_literal_key(n);
            if n.kind_id() != kk.field_identifier && !key {
                continue;
            }
            let name = text(n, src);
            if let Some((name, _)) = fields.get_key_value(name) {
                out.entry(name).or_default().push((i, chan_use(n, src)));
            }
        }
    }
    out
}

/// Whether `n` is the key of a keyed literal element (`T{name: value}`).
fn is_literal_key(n: Node) -> bool {
    let kk = k();
    let Some(p) = n.parent().filter(|p| p.kind_id() == kk.literal_element) else {
        return false;
    };
    p.parent()
        .filter(|e| e.kind_id() == kk.keyed_element)
        .and_then(|e| e.child_by_field_id(kk.f_key))
        .is_some_and(|key| key.id() == p.id())
}

/// What the mention `n` (a field identifier) does with its channel.
fn chan_use<'t>(n: Node<'t>, src: &str) -> ChanUse<'t> {
    let kk = k();
    let Some(p) = n.parent() else {
        return ChanUse::Other;
    };
    if p.kind_id() == kk.field_declaration {
        return ChanUse::Declared;
    }
    if p.kind_id() == kk.literal_element {
        let Some(e) = p.parent().filter(|e| e.kind_id() == kk.keyed_element) else {
            return ChanUse::Other;
        };
        if e.child_by_field_id(kk.f_key).map(|x| x.id()) != Some(p.id()) {
            return ChanUse::Other;
        }
        let value = e
            .child_by_field_id(kk.f_value)
            .and_then(|v| v.named_child(0));
        return made(value, src);
    }
    if p.kind_id() != kk.selector_expression {
        return ChanUse::Other;
    }
    let Some(g) = p.parent() else {
        return ChanUse::Other;
    };
    let is = |field: u16| g.child_by_field_id(field).map(|c| c.id()) == Some(p.id());
    if g.kind_id() == kk.unary_expression && is(kk.f_operand) {
        let receive = g
            .child_by_field_id(kk.f_operator)
            .is_some_and(|o| text(o, src) == "<-");
        return if receive {
            ChanUse::Receive(g)
        } else {
            ChanUse::Other
        };
    }
    if g.kind_id() == kk.send_statement && is(kk.f_channel) {
        return ChanUse::Send(g);
    }
    if g.kind_id() == kk.argument_list {
        let call = g.parent();
        return match call.and_then(|c| call_parts(c, src)) {
            Some((None, "len" | "cap")) => ChanUse::Declared,
            Some((None, "close")) => ChanUse::Close(call.unwrap_or(g)),
            _ => ChanUse::Other,
        };
    }
    if g.kind_id() == kk.expression_list {
        return assigned(g, src);
    }
    ChanUse::Other
}

/// `x.f = make(chan T)` (one field, one fresh channel): quiet or buffered.
fn assigned<'t>(left: Node, src: &str) -> ChanUse<'t> {
    let kk = k();
    let Some(assign) = left.parent() else {
        return ChanUse::Other;
    };
    if assign.kind_id() != kk.assignment_statement
        || assign.child_by_field_id(kk.f_left).map(|l| l.id()) != Some(left.id())
        || left.named_child_count() != 1
    {
        return ChanUse::Other;
    }
    let right = assign.child_by_field_id(kk.f_right);
    let value = right
        .filter(|r| r.named_child_count() == 1)
        .and_then(|r| r.named_child(0));
    made(value, src)
}

/// A fresh `make(chan T)` is quiet, `make(chan T, n)` buffered; anything else is out of sight.
fn made<'t>(value: Option<Node>, src: &str) -> ChanUse<'t> {
    let Some(v) = value else {
        return ChanUse::Other;
    };
    if v.kind_id() != k().call_expression || !matches!(call_parts(v, src), Some((None, "make"))) {
        return ChanUse::Other;
    }
    match call_args(v).len() {
        1 => ChanUse::Quiet,
        _ => ChanUse::Buffered,
    }
}

/// Whether a send blocks on its own (not one case of a `select` with others).
pub fn blocking(send: Node) -> bool {
    !in_select_with_alternatives(send)
}

/// The non-blocking check of a serving loop's stop that comes before `send` in the sender's own
/// function: a `select` with a `default` one of whose cases receives what the loop returns on
/// (`case <-s.stop: return; default:`), with the send in that `default` or after the `select`.
/// The check says nothing of later: the loop may return between the check and the send, and the
/// send, with no case for the stop, then waits for a receiver that is gone.
pub fn stop_checked_before<'t>(send: Node<'t>, stop: &Case, src: &'t str) -> Option<Node<'t>> {
    let kk = k();
    let func = crate::analysis::enclosing_function(send)?;
    preorder(func)
        .take_while(|n| n.start_byte() < send.start_byte())
        .filter(|n| n.kind_id() == kk.select_statement)
        .filter(|sel| crate::analysis::enclosing_function(*sel).map(|f| f.id()) == Some(func.id()))
        .find(|sel| has_default(*sel) && stop_case(*sel, send, stop, src).is_some())
}

fn has_default(sel: Node) -> bool {
    let mut c = sel.walk();
    let found = sel
        .named_children(&mut c)
        .any(|ch| ch.kind_id() == k().default_case);
    found
}

/// The case of `sel` that receives the loop's stop, when `send` is not inside it.
fn stop_case<'t>(sel: Node<'t>, send: Node, stop: &Case, src: &str) -> Option<Node<'t>> {
    let kk = k();
    let mut c = sel.walk();
    let found = sel.named_children(&mut c).find(|case| {
        case.kind_id() == kk.communication_case
            && !case.byte_range().contains(&send.start_byte())
            && case
                .child_by_field_id(kk.f_communication)
                .and_then(|comm| comm_receive(comm, src))
                .is_some_and(|(operand, field)| match stop.field {
                    Some(f) => field == Some(f),
                    None => operand == stop.operand,
                })
    });
    found
}

/// The operand of the receive a `case` waits on, and its field name when it is `x.field`.
fn comm_receive<'t>(comm: Node<'t>, src: &'t str) -> Option<(&'t str, Option<&'t str>)> {
    receive_in(comm, src).map(|(_, operand, field)| (operand, field))
}

/// The receive a `case`'s communication waits on, its operand, and the operand's field name
/// when it is `x.field`; `None` for a send case.
fn receive_in<'t>(comm: Node<'t>, src: &'t str) -> Option<(Node<'t>, &'t str, Option<&'t str>)> {
    let kk = k();
    if comm.kind_id() == kk.send_statement {
        return None;
    }
    let receive = preorder(comm).find(|n| {
        n.kind_id() == kk.unary_expression
            && n.child_by_field_id(kk.f_operator)
                .is_some_and(|o| text(o, src) == "<-")
    })?;
    let x = receive.child_by_field_id(kk.f_operand)?;
    let field = x
        .selector()
        .filter(|(base, _)| base.kind_id() == kk.identifier)
        .map(|(_, f)| text(f, src));
    Some((receive, text(x, src), field))
}
