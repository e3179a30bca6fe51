//! `goroutine-blocked-send`: a goroutine sends on a channel its creator may stop receiving from.
//!
//! The creator makes a channel, starts goroutines that send on it, and then leaves on a path that
//! receives fewer values than were sent: another `select` case wins (the context is done, a
//! `time.After` fires), an early `return` comes first, or a receiving loop returns on the first
//! answer or the first error while other goroutines still have theirs to deliver. With no
//! receiver left and no room in the buffer, each of those sends blocks forever and its goroutine
//! leaks, with everything it references. Neither `go vet` nor `staticcheck` reports it.
//!
//! The check follows the creator's control-flow graph from the `go` statement to its exits. A
//! channel that escapes the function (returned, stored, passed on, used by another closure) has
//! receivers out of sight and is left alone; so are sends that are one case of a `select`, and
//! channels with a buffer that is not a literal (`make(chan T, len(items))`) or holds every send.
//! Where one goroutine sends once, the fix gives the channel a buffer of 1 (unsafe: it changes
//! behaviour).
//!
//! A second shape needs no goroutine at all: the function sends on an unbuffered channel it made
//! before sharing it with anyone (`errc <- err; return errc` on an error path, ahead of the
//! `go` statement that was to pair with the caller). On that path no other goroutine can hold
//! the channel, so no receive can ever come. Any mention of the channel between the `make` and
//! the send (a `go` statement, a call, a closure, a `return`) counts as sharing it.

use super::{
    call_args, call_parts, chan_makes, enclosing_function, enclosing_loop, function_name,
    in_select_with_alternatives, is_receive_from, k, line, literal_of, serving, text, ChanMake,
};
use crate::analysis::cfg::{BlockId, Cfg, Exit, ENTRY};
use crate::config::RuleSettings;
use crate::finding::{Applicability, Edit, Fix, Position};
use crate::rules::{Diagnostic, FileContext, PackageContext, PackageDiagnostic, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct GoroutineBlockedSend;

impl Rule for GoroutineBlockedSend {
    fn check_file(&self, cx: &FileContext, _settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let src = cx.file.text.as_str();
        for f in cx.functions() {
            let (func, nodes) = (f.node, f.nodes.as_slice());
            let Some(body) = f.body else {
                continue;
            };
            let makes = chan_makes(nodes, src);
            if makes.is_empty() {
                continue;
            }
            let mut cfg = None;
            for m in makes {
                if let Some(d) = send_before_sharing(&m, nodes, &mut cfg, body, cx) {
                    out.push(d);
                } else if let Some(d) = check_chan(&m, func, body, nodes, &mut cfg, cx) {
                    out.push(d);
                }
            }
        }
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        out.extend(sends_outliving_their_loop(cx));
        out.extend(super::dropped_result::sends_to_dropped_results(cx));
        out.extend(super::overfill::overfilled_fields(cx));
    }
}

/// Sends in exported methods on an unbuffered channel field whose only receiver is a serving
/// loop that returns on a stop case (`case <-s.quit: return`, `case <-ctx.Done(): return`):
/// once the loop has returned, a send with no case for that stop blocks forever.
fn sends_outliving_their_loop(cx: &PackageContext) -> Vec<PackageDiagnostic> {
    let fields = cx.chan_fields();
    if fields.is_empty() {
        return Vec::new();
    }
    let loops = serving::serving_loops(cx, fields);
    if loops.is_empty() {
        return Vec::new();
    }
    let uses = serving::chan_field_uses(cx, fields);
    let mut names: Vec<&str> = uses.keys().copied().collect();
    names.sort_unstable();
    let mut out = super::self_wait::loops_sending_to_each_other(cx, &loops, &uses, &names);
    for name in names {
        let Some(server) = sole_server(name, &uses[name], &loops) else {
            continue;
        };
        for &(file, u) in &uses[name] {
            let serving::ChanUse::Send(send) = u else {
                continue;
            };
            let fcx = &cx.files[file];
            if let Some(d) = outliving_send(send, server, &loops, fields[name], name, cx, fcx) {
                out.push(PackageDiagnostic { file, diagnostic: d });
            }
        }
    }
    out
}

/// The loop that serves field `name` alone, when every receive of it is a non-exiting case of
/// loops that all return on some other case, nothing else closes, ranges or hands it out, and
/// nothing gives it a buffer (an unexported field the package never makes stays nil, which
/// blocks all the same).
fn sole_server<'a, 't>(
    name: &str,
    uses: &[(usize, serving::ChanUse<'t>)],
    loops: &'a [serving::Loop<'t>],
) -> Option<&'a serving::Loop<'t>> {
    let mut server = None;
    for &(_, u) in uses {
        match u {
            serving::ChanUse::Declared | serving::ChanUse::Quiet | serving::ChanUse::Send(_) => {}
            serving::ChanUse::Receive(r) => {
                let l = loops.iter().find(|l| {
                    l.cases
                        .iter()
                        .any(|c| c.receive.id() == r.id() && !c.exits)
                })?;
                l.exits().find(|c| c.field != Some(name))?;
                server.get_or_insert(l);
            }
            serving::ChanUse::Buffered | serving::ChanUse::Close(_) | serving::ChanUse::Other => {
                return None
            }
        }
    }
    server
}

/// A finding for a send that blocks on its own in an exported method other than the loop's, or
/// in any function other than the loop's that checks the loop's stop just before it.
fn outliving_send<'t>(
    send: Node<'t>,
    server: &serving::Loop<'t>,
    loops: &[serving::Loop<'t>],
    owner: &str,
    name: &str,
    cx: &PackageContext<'t>,
    fcx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = fcx.file.text.as_str();
    if !serving::blocking(send) {
        return None;
    }
    let func = crate::analysis::enclosing_function(send)?;
    let exit = server.exits().find(|c| c.field != Some(name))?;
    let checked = match func.id() == server.func.id() {
        true => None,
        false => serving::stop_checked_before(send, exit, src),
    };
    if checked.is_none() && !exported_method_outside(func, loops, src) {
        return None;
    }
    let body = func.child_by_field_id(k().f_body)?;
    if crate::analysis::concurrency::locked_at(body, send.start_byte(), src) {
        return None;
    }
    let ssrc = cx.files[server.file].file.text.as_str();
    let loop_name = server.name(ssrc);
    let chan = send.child_by_field_id(k().f_channel).map(|c| text(c, src))?;
    let stop = text(exit.receive, ssrc);
    let message = match checked {
        Some(check) => format!(
            "send on {chan} can block forever: the select at line {} checks {stop} only before this send, and {loop_name}, the only receiver of {owner}.{name}, returns on {stop} (line {}) possibly right after that check; make the send a case of a select that also receives {stop}",
            line(check),
            line(exit.receive),
        ),
        None => format!(
            "send on {chan} blocks forever once {loop_name} has returned: {loop_name} is the only receiver of {owner}.{name} and returns on {stop} (line {}), and this send has no case for that; select on it (or on a channel closed when the loop ends) here too",
            line(exit.receive),
        ),
    };
    let d = Diagnostic::on_first_line(send, fcx.file, message);
    Some(d)
}

/// Whether `func` is an exported method that runs no serving loop of the package.
fn exported_method_outside(func: Node, loops: &[serving::Loop], src: &str) -> bool {
    if func.kind_id() != k().method_declaration || loops.iter().any(|l| l.func.id() == func.id()) {
        return false;
    }
    func.child_by_field_id(k().f_name)
        .is_some_and(|n| text(n, src).starts_with(|c: char| c.is_ascii_uppercase()))
}

/// A send on an unbuffered channel that the function makes and has not yet shared with anyone
/// (returned, passed on, captured by a goroutine or a closure) on some path from the `make` to
/// the send: no other goroutine can hold the channel, so nobody can ever receive.
fn send_before_sharing<'t>(
    m: &ChanMake<'t>,
    nodes: &[Node<'t>],
    cfg: &mut Option<Option<Cfg<'t>>>,
    body: Node<'t>,
    cx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let cap = m.literal_cap(src)?;
    let sends: Vec<Node> = (nodes.iter().copied())
        .filter(|n| n.kind_id() == k().send_statement && !in_select_with_alternatives(*n))
        // `for ; ; ch <- v`: a loop's post statement, a shape of generated and test code.
        .filter(|n| n.parent().is_none_or(|p| p.kind_id() != k().for_clause))
        .filter(|n| (n.child_by_field_id(k().f_channel)).is_some_and(|c| text(c, src) == m.name))
        .collect();
    if sends.is_empty() {
        return None;
    }
    let cfg = cfg.get_or_insert_with(|| Cfg::build(body, src)).as_ref()?;
    if cap > 0 {
        return super::overfill::overfilled_before_sharing(m, &sends, cfg, body, cx);
    }
    let send = unshared_send(cfg, m, &sends, src)?;
    let shared = nodes
        .iter()
        .filter(|n| n.start_byte() > send.end_byte() && n.kind_id() == k().identifier)
        .find(|n| text(**n, src) == m.name);
    let later = match shared {
        Some(n) => format!(" (it is first shared at line {})", line(*n)),
        None => String::new(),
    };
    let d = Diagnostic::on_first_line(
        send, cx.file,
        format!(
            "send on unbuffered {name} blocks forever: on the path from its make (line {}) to this send no other goroutine can hold {name} yet{later}, so nobody can receive; give {name} a buffer or start the receiver first",
            line(m.call),
            name = m.name,
        ),
    );
    Some(d)
}

/// Whether `n` is the header of a loop, around none of the sends, whose body mentions the
/// channel: the path that skips the loop is the zero-iterations case
/// (`for i := 0; i < workers; i++ { go work(ch) }`), not a way past the sharing.
pub(super) fn loop_shares(n: Node, sends: &[Node], name: &str, src: &str) -> bool {
    let kk = k();
    let mut lp = n.parent();
    if lp.is_some_and(|p| p.kind_id() == kk.for_clause) {
        lp = lp.and_then(|p| p.parent());
    }
    let Some(body) = lp
        .filter(|p| p.kind_id() == kk.for_statement)
        .and_then(|p| p.child_by_field_id(kk.f_body))
    else {
        return false;
    };
    let around_a_send = sends
        .iter()
        .any(|s| body.byte_range().contains(&s.start_byte()));
    !around_a_send && super::mentions(body, name, src)
}

/// The first of `sends` reachable from the `make` without passing a node that mentions the
/// channel (any mention may share it: a `go` statement, a call, a `return`, a closure).
fn unshared_send<'t>(
    cfg: &Cfg<'t>,
    m: &ChanMake<'t>,
    sends: &[Node<'t>],
    src: &str,
) -> Option<Node<'t>> {
    let holds_make = |n: &Node| n.byte_range().contains(&m.call.start_byte());
    let start = cfg
        .blocks
        .iter()
        .position(|b| b.nodes.iter().any(holds_make))?;
    let from = cfg.blocks[start].nodes.iter().position(holds_make)?;
    let mut seen = vec![false; cfg.blocks.len()];
    let mut stack: Vec<(BlockId, usize)> = vec![(start, from + 1)];
    while let Some((b, first)) = stack.pop() {
        let mut open = true;
        for &n in cfg.blocks[b].nodes.iter().skip(first) {
            if let Some(&s) = sends.iter().find(|s| n.byte_range().contains(&s.start_byte())) {
                return Some(s);
            }
            if super::mentions(n, m.name, src) || loop_shares(n, sends, m.name, src) {
                open = false;
                break;
            }
        }
        if !open {
            continue;
        }
        for e in &cfg.blocks[b].succs {
            if !std::mem::replace(&mut seen[e.to], true) {
                stack.push((e.to, 0));
            }
        }
    }
    None
}

/// Unlimited senders (a `go` in a loop, or a send in a loop).
const MANY: u64 = u64::MAX;

/// The goroutines of `func` that send on `m` and may block doing so.
struct Senders<'t> {
    /// `go` statements with their first blocking send.
    sites: Vec<(Node<'t>, Node<'t>)>,
    count: u64,
    /// More than one goroutine (several `go` statements, or one in a loop).
    plural: bool,
    /// Goroutines started (`MANY` for a loop of unknown length), each sending once or more.
    goroutines: u64,
    /// The function of the same file the first goroutine sends through, when it does so by
    /// handing the channel to a callee (`split(n, ch)`).
    via: Option<&'t str>,
}

fn senders<'t>(m: &ChanMake<'t>, body: Node<'t>, nodes: &[Node<'t>], src: &'t str) -> Senders<'t> {
    let mut sites = Vec::new();
    let mut count = 0u64;
    let mut plural = false;
    let mut goroutines = 0u64;
    let mut via = None;
    for &go in nodes.iter().filter(|n| n.kind_id() == k().go_statement) {
        let Some(lit) = literal_of(go) else { continue };
        let sends: Vec<Node> = preorder(lit)
            .filter(|n| n.kind_id() == k().send_statement)
            .filter(|n| {
                n.child_by_field_id(k().f_channel)
                    .is_some_and(|c| text(c, src) == m.name)
            })
            .collect();
        let direct = sends.iter().find(|s| !in_select_with_alternatives(**s));
        let through = match (direct, sends.is_empty()) {
            (None, true) => super::param_sends::callee_send(lit, m.name, src),
            _ => None,
        };
        let Some(first) = direct.copied().or(through.map(|t| t.send)) else {
            continue;
        };
        // Goroutines that also receive on the channel talk among themselves (ping-pong).
        if preorder(lit).any(|n| is_receive_from(n, m.name, src)) {
            continue;
        }
        // A `go` in a loop starts many senders, unless the loop also makes the channel (one
        // channel per goroutine); a `for i := 0; i < 3; i++` loop starts three.
        let starts = match enclosing_loop(go, body) {
            // A loop that also receives each goroutine's value before the next iteration
            // starts one sender at a time.
            Some(lp)
                if !lp.byte_range().contains(&m.call.start_byte())
                    && !preorder(lp).any(|n| {
                        is_receive_from(n, m.name, src)
                            && !lit.byte_range().contains(&n.start_byte())
                    }) =>
            {
                trip_count(lp, src).unwrap_or(MANY)
            }
            _ => 1,
        };
        plural |= starts > 1 || !sites.is_empty();
        // A send in a loop repeats unless a return or break follows it; other sends count
        // along the goroutine's paths (an error branch and a result are alternatives, two
        // sends one after the other are two).
        let repeats = through.is_some_and(|t| t.repeats)
            || sends
                .iter()
                .any(|s| enclosing_loop(*s, lit).is_some() && !leaves_after(*s, m.name, src));
        let per = match repeats {
            true => MANY,
            false => sends_on_a_path(lit, m.name, src).max(1),
        };
        count = count.saturating_add(starts.saturating_mul(per));
        goroutines = goroutines.saturating_add(starts);
        if sites.is_empty() {
            via = through.map(|t| t.callee);
        }
        sites.push((go, first));
    }
    Senders {
        sites,
        count,
        plural,
        goroutines,
        via,
    }
}

/// How many times a run of the goroutine literal `lit` can send on `name`: the most sends on
/// one path through its control-flow graph, not counting sends that are one case of a `select`
/// with alternatives (they never wait). Cycles hold no send here (a send in a loop was counted
/// as repeating), so the longest path is found by relaxing the edges until nothing changes.
fn sends_on_a_path(lit: Node, name: &str, src: &str) -> u64 {
    let Some(cfg) = lit
        .child_by_field_id(k().f_body)
        .and_then(|body| Cfg::build(body, src))
    else {
        return 1;
    };
    let weight: Vec<u64> = (cfg.blocks.iter())
        .map(|b| b.nodes.iter().map(|n| waiting_sends(*n, name, src)).sum())
        .collect();
    let mut most: Vec<Option<u64>> = vec![None; cfg.blocks.len()];
    most[ENTRY] = Some(weight[ENTRY]);
    for _ in 0..RELAX_ROUNDS {
        let mut changed = false;
        for (b, block) in cfg.blocks.iter().enumerate() {
            let Some(here) = most[b] else { continue };
            for e in &block.succs {
                let there = here.saturating_add(weight[e.to]);
                if most[e.to].is_none_or(|m| there > m) {
                    most[e.to] = Some(there);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    most.into_iter().flatten().max().unwrap_or(0)
}

/// Rounds of relaxation before `sends_on_a_path` settles for what it has (the blocks come in
/// source order, so a body settles in about as many rounds as it nests loops).
const RELAX_ROUNDS: usize = 64;

/// The sends on `name` in one node of the graph that can wait (not in a nested function).
fn waiting_sends(n: Node, name: &str, src: &str) -> u64 {
    let kk = k();
    n.preorder_pruned(|x| x.kind_id() == kk.func_literal)
        .filter(|x| x.kind_id() == kk.send_statement && !in_select_with_alternatives(*x))
        .filter(|x| (x.child_by_field_id(kk.f_channel)).is_some_and(|c| text(c, src) == name))
        .count() as u64
}

/// The iterations of `for i := 0; i < 3; i++` (a literal bound), if that simple.
fn trip_count(lp: Node, src: &str) -> Option<u64> {
    let kk = k();
    let mut c = lp.walk();
    let clause = lp
        .named_children(&mut c)
        .find(|ch| ch.kind_id() == kk.for_clause)?;
    let cond = clause.child_by_field_id(kk.f_condition)?;
    let init = text(clause.child_by_field_id(kk.f_initializer)?, src);
    let from = init.split(":=").nth(1).unwrap_or("").trim();
    let zero = from == "0" || from.ends_with("(0)");
    if !zero || text(cond.child_by_field_id(kk.f_operator)?, src) != "<" {
        return None;
    }
    text(cond.child_by_field_id(kk.f_right)?, src).parse().ok()
}

/// Whether the send is followed by leaving the loop (`errc <- err; return`), after statements
/// that cannot loop back or send again (a log call, an assignment that does not name the
/// channel).
fn leaves_after(send: Node, name: &str, src: &str) -> bool {
    let kk = k();
    let mut next = send.next_named_sibling();
    while let Some(n) = next.filter(|n| n.kind_id() == kk.comment || passes_through(*n, name, src)) {
        next = n.next_named_sibling();
    }
    next.is_some_and(|n| {
        let kind = n.kind_id();
        kind == kk.return_statement || kind == kk.break_statement || kind == kk.goto_statement
    })
}

/// A simple statement that neither names the channel nor changes where control goes.
fn passes_through(n: Node, name: &str, src: &str) -> bool {
    let kk = k();
    let simple = [
        kk.expression_statement,
        kk.assignment_statement,
        kk.short_var_declaration,
        kk.inc_statement,
        kk.dec_statement,
    ];
    simple.contains(&n.kind_id())
        && !super::mentions(n, name, src)
        && !preorder(n).any(|x| x.kind_id() == kk.func_literal)
}

/// Whether `m` is used in `func` other than by the sending goroutines, receives, `close`,
/// `len` and `cap`: then someone out of sight may receive.
fn escapes(m: &ChanMake, nodes: &[Node], s: &Senders, src: &str) -> bool {
    let kk = k();
    for &n in nodes {
        if n.kind_id() == kk.func_literal {
            let sending = s
                .sites
                .iter()
                .any(|(go, _)| literal_of(*go).is_some_and(|l| l.id() == n.id()));
            if !sending && super::mentions(n, m.name, src) {
                return true;
            }
            continue;
        }
        if n.kind_id() != kk.identifier || text(n, src) != m.name {
            continue;
        }
        let Some(p) = n.parent() else { continue };
        let ok = is_receive_from(p, m.name, src)
            || p.kind_id() == kk.range_clause
            || (p.kind_id() == kk.expression_list && is_binding(p, m))
            || (p.kind_id() == kk.var_spec)
            || (p.kind_id() == kk.argument_list && harmless_call(p, src));
        if !ok {
            return true;
        }
    }
    false
}

fn is_binding(list: Node, m: &ChanMake) -> bool {
    list.parent()
        .is_some_and(|d| d.byte_range().contains(&m.call.start_byte()))
}

fn harmless_call(args: Node, src: &str) -> bool {
    args.parent()
        .and_then(|c| call_parts(c, src))
        .is_some_and(|(x, name)| x.is_none() && matches!(name, "close" | "len" | "cap"))
}

fn check_chan<'t>(
    m: &ChanMake<'t>,
    func: Node<'t>,
    body: Node<'t>,
    nodes: &[Node<'t>],
    cfg: &mut Option<Option<Cfg<'t>>>,
    cx: &FileContext<'t>,
) -> Option<Diagnostic> {
    let src = cx.file.text.as_str();
    let s = senders(m, body, nodes, src);
    if s.sites.is_empty() || escapes(m, nodes, &s, src) {
        return None;
    }
    let cap = m.literal_cap(src)?;
    if cap >= s.count {
        return None;
    }
    let cfg = cfg.get_or_insert_with(|| Cfg::build(body, src)).as_ref()?;
    let recv = Receives::find(cfg, func, m.name, src);
    let (go, send) = s.sites[0];
    let early = || {
        s.sites
            .iter()
            .find_map(|(go, _)| exit_without_receive(cfg, &recv, *go, src))
            .map(|e| (e, Why::Early))
    };
    let short = || {
        (s.count > 1)
            .then(|| short_count(cfg, &recv, &s, cap, src))
            .flatten()
    };
    let leak = short().or_else(early)?;
    let mut d = Diagnostic::on_first_line(send, cx.file, message(m, func, go, send, &s, cap, leak, cx));
    d.related.push((
        m.call.start_byte(),
        m.call.end_byte(),
        format!("{} made here", m.name),
    ));
    if s.count == 1 && m.cap.is_none() {
        d.fix = fix(m, cx);
    }
    Some(d)
}

/// The blocks of the creator that receive from the channel, and the receiving nodes.
struct Receives<'t> {
    blocks: Vec<bool>,
    sites: Vec<(BlockId, usize, Node<'t>)>,
}

impl<'t> Receives<'t> {
    fn find(cfg: &Cfg<'t>, func: Node<'t>, name: &'t str, src: &'t str) -> Receives<'t> {
        let mut blocks = vec![false; cfg.blocks.len()];
        let mut sites = Vec::new();
        for (b, block) in cfg.blocks.iter().enumerate() {
            for (i, &n) in block.nodes.iter().enumerate() {
                // `first, second := <-ch, <-ch` is two receives.
                for r in receives_in(n, name, src) {
                    blocks[b] = true;
                    sites.push((b, i, r));
                }
            }
        }
        // A loop that receives is taken to run at least once: skipping it whole is the
        // zero-goroutines case, not a leak.
        for &(_, _, r) in &sites {
            if let Some(head) = enclosing_loop(r, func).and_then(|lp| loop_head(cfg, lp)) {
                blocks[head] = true;
            }
        }
        Receives { blocks, sites }
    }
}

/// The receives from `name` (and `range` clauses over it) inside `n`, outside nested functions.
fn receives_in<'t>(n: Node<'t>, name: &'t str, src: &'t str) -> impl Iterator<Item = Node<'t>> + 't {
    let kk = k();
    n.preorder_pruned(move |x| x.kind_id() == kk.func_literal)
        .filter(move |x| {
            is_receive_from(*x, name, src)
                || (x.kind_id() == kk.range_clause
                    && x.child_by_field_id(kk.f_right)
                        .is_some_and(|r| text(r, src) == name))
        })
}

/// Why the creator stops receiving.
#[derive(Clone, Copy)]
enum Why {
    /// A path from the `go` statement to an exit that receives nothing.
    Early,
    /// A receive followed by an exit while other senders have not been received from.
    Short,
}

/// The first exit reachable from the `go` statement without a receive.
fn exit_without_receive<'t>(
    cfg: &Cfg<'t>,
    recv: &Receives<'t>,
    go: Node<'t>,
    src: &str,
) -> Option<Exit<'t>> {
    let start = cfg.block_of(go)?;
    let pos = cfg.blocks[start]
        .nodes
        .iter()
        .position(|n| n.id() == go.id())?;
    let after_go = recv.sites.iter().any(|(b, i, _)| *b == start && *i > pos);
    if after_go {
        return None;
    }
    first_exit(
        cfg,
        &cfg.blocks[start]
            .succs
            .iter()
            .map(|e| e.to)
            .collect::<Vec<_>>(),
        |b| recv.blocks[b],
        src,
    )
    .or_else(|| returns_here(cfg, start))
}

fn returns_here<'t>(cfg: &Cfg<'t>, b: BlockId) -> Option<Exit<'t>> {
    match cfg.blocks[b].exit {
        Some(e @ (Exit::Return(_) | Exit::End(_))) => Some(e),
        _ => None,
    }
}

/// The first `return` or end of body reachable from `starts` without entering a stop block.
fn first_exit<'t>(
    cfg: &Cfg<'t>,
    starts: &[BlockId],
    stop: impl Fn(BlockId) -> bool,
    src: &str,
) -> Option<Exit<'t>> {
    let mut seen = vec![false; cfg.blocks.len()];
    let mut stack: Vec<BlockId> = starts.to_vec();
    let mut found: Option<Exit> = None;
    while let Some(b) = stack.pop() {
        if std::mem::replace(&mut seen[b], true) || stop(b) {
            continue;
        }
        if let Some(e) = returns_here(cfg, b) {
            let better = found.is_none_or(|f| {
                (raced(e, src), std::cmp::Reverse(exit_byte(e)))
                    > (raced(f, src), std::cmp::Reverse(exit_byte(f)))
            });
            if better {
                found = Some(e);
            }
        }
        stack.extend(cfg.blocks[b].succs.iter().map(|e| e.to));
    }
    found
}

/// How well an exit explains the leak, for the message: a `select` case on a timeout or a done
/// channel first, then any other case, then the rest.
fn raced(e: Exit, src: &str) -> u8 {
    let Exit::Return(n) = e else { return 0 };
    let Some(comm) = ancestor_case(n).and_then(|c| c.child_by_field_id(k().f_communication)) else {
        return 0;
    };
    let t = text(comm, src);
    if t.contains(".Done()") || t.contains("time.After") || t.ends_with(".C") || t.contains("imer")
    {
        2
    } else {
        1
    }
}

fn exit_byte(e: Exit) -> usize {
    match e {
        Exit::Return(n) | Exit::NoReturn(n) => n.start_byte(),
        Exit::End(n) => n.end_byte(),
    }
}

/// Several senders, and a receive after which the creator can leave before receiving them all:
/// a receiving loop that returns or breaks early, or fewer receives than senders.
fn short_count<'t>(
    cfg: &Cfg<'t>,
    recv: &Receives<'t>,
    s: &Senders,
    cap: u64,
    src: &str,
) -> Option<(Exit<'t>, Why)> {
    let in_loops = recv
        .sites
        .iter()
        .any(|(_, _, r)| enclosing_loop(*r, cfg_root(*r)).is_some());
    for &(b, _, r) in &recv.sites {
        let exit = match enclosing_loop(r, cfg_root(r)) {
            // A loop that counts down (`active--`) returns once every sender is heard from.
            Some(lp) if counts_down(lp) => None,
            // Leaving after one receive strands the rest, unless the buffer holds them.
            Some(_) if s.count <= cap.saturating_add(1) => None,
            Some(lp) => {
                let head = loop_head(cfg, lp);
                let mut succs: Vec<BlockId> = cfg.blocks[b].succs.iter().map(|e| e.to).collect();
                if r.kind_id() == k().range_clause {
                    // Leaving a `range` over the channel means it was closed: only the body counts.
                    succs.truncate(1);
                }
                first_exit(cfg, &succs, |x| Some(x) == head || x == b, src)
                    .or_else(|| returns_here(cfg, b))
            }
            // Straight-line receives are counted against the goroutines (a goroutine that
            // sends in a loop may send as few as the receiver takes).
            None if !in_loops && s.goroutines > cap.saturating_add(recv.sites.len() as u64) => {
                let succs: Vec<BlockId> = cfg.blocks[b].succs.iter().map(|e| e.to).collect();
                first_exit(cfg, &succs, |_| false, src).or_else(|| returns_here(cfg, b))
            }
            None => None,
        };
        if let Some(e) = exit {
            return Some((e, Why::Short));
        }
    }
    None
}

fn counts_down(lp: Node) -> bool {
    let dec = k().dec_statement;
    preorder(lp).any(|n| n.kind_id() == dec)
}

fn cfg_root(n: Node) -> Node {
    enclosing_function(n).unwrap_or(n)
}

/// The block holding a loop's condition or range clause, if it has one.
fn loop_head(cfg: &Cfg, lp: Node) -> Option<BlockId> {
    let kk = k();
    let mut c = lp.walk();
    let header = lp.named_children(&mut c).find(|ch| {
        lp.child_by_field_id(kk.f_body)
            .is_none_or(|b| b.id() != ch.id())
    })?;
    let probe = if header.kind_id() == kk.for_clause {
        header.child_by_field_id(kk.f_condition)?
    } else {
        header
    };
    cfg.block_of(probe)
}

#[allow(clippy::too_many_arguments)]
fn message(
    m: &ChanMake,
    func: Node,
    go: Node,
    send_node: Node,
    s: &Senders,
    cap: u64,
    (exit, why): (Exit, Why),
    cx: &FileContext,
) -> String {
    let src = cx.file.text.as_str();
    let chan = if cap == 0 {
        format!("unbuffered {}", m.name)
    } else {
        format!("{} (buffer {cap})", m.name)
    };
    let who = if s.plural {
        format!("goroutines started at line {} each", line(go))
    } else {
        format!("goroutine started at line {}", line(go))
    };
    let caller = function_name(func, src);
    let leave = describe_exit(exit, cx);
    // One goroutine sending more values than the buffer holds: say how many.
    let send = match s.count {
        n if !s.plural && n > 1 && n != MANY => format!("{n} values"),
        _ => String::new(),
    };
    let (verb, send_line) = (if s.plural { "send" } else { "sends" }, line(send_node));
    let what = match send.is_empty() {
        true => format!("{verb} on {chan}"),
        false => format!("{verb} {send} on {chan}"),
    };
    let what = match s.via {
        Some(callee) => format!("{what} through {callee}"),
        None => what,
    };
    match why {
        Why::Early => format!(
            "{who} {what} (line {send_line}); {caller} {leave} and nobody receives, so the goroutine blocks forever"
        ),
        Why::Short => format!(
            "{who} {what} (line {send_line}); {caller} {leave} before receiving every value, so the remaining sends block forever"
        ),
    }
}

/// `returns at line 47 when timeoutCtx is done`, `returns at line 121`.
fn describe_exit(exit: Exit, cx: &FileContext) -> String {
    let src = cx.file.text.as_str();
    let n = match exit {
        Exit::Return(n) => n,
        Exit::End(b) => return format!("ends at line {}", b.end_position().row + 1),
        Exit::NoReturn(n) => return format!("stops at line {}", line(n)),
    };
    let at = format!("returns at line {}", line(n));
    let Some(case) = ancestor_case(n) else {
        return at;
    };
    let Some(comm) = case.child_by_field_id(k().f_communication) else {
        return at;
    };
    let ct = text(comm, src);
    if let Some(done) = done_operand(comm, src) {
        return format!("{at} when {done} is done");
    }
    if ct.contains("time.After") || ct.ends_with(".C") {
        return format!("{at} on timeout");
    }
    format!("{at} when `{}` is ready", ct.trim())
}

fn ancestor_case(n: Node) -> Option<Node> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_id() == k().communication_case {
            return Some(p);
        }
        if crate::analysis::is_function(k(), p.kind_id()) {
            return None;
        }
        cur = p.parent();
    }
    None
}

/// `ctx` of `<-ctx.Done()`.
fn done_operand<'t>(comm: Node<'t>, src: &'t str) -> Option<&'t str> {
    preorder(comm)
        .filter(|n| n.kind_id() == k().call_expression)
        .find_map(|c| match call_parts(c, src)? {
            (Some(x), "Done") if call_args(c).is_empty() => Some(x),
            _ => None,
        })
}

/// `make(chan T)` becomes `make(chan T, 1)`.
fn fix(m: &ChanMake, cx: &FileContext) -> Option<Fix> {
    let args = m.call.child_by_field_id(k().f_arguments)?;
    let at = args.end_byte().checked_sub(1)?;
    let (l, c) = cx.file.position(at);
    let pos = Position { line: l, column: c };
    Some(Fix {
        description: format!(
            "give {} a buffer of 1 so the goroutine can deliver its value and exit",
            m.name
        ),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            start_byte: at,
            end_byte: at,
            start: pos,
            end: pos,
            replacement: ", 1".to_string(),
        }],
    })
}
