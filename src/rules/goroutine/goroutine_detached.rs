//! `goroutine-detached`: a goroutine nobody waits for, whose blocking work runs under a context
//! that nothing cancels and that has no deadline.
//!
//! The goroutine hands `context.Background()`, `context.TODO()` or `context.WithoutCancel(..)`
//! (directly, through a variable bound in the goroutine or before it, through the function
//! literal's parameter, or through a value derived without a deadline: `context.WithValue`, a
//! request built by `http.NewRequestWithContext`) to a call that does work. If that call hangs
//! (a peer that never answers, a stalled model request), the goroutine and all it holds stay
//! until the process exits, and a graceful shutdown cannot wait for it.
//!
//! Silent where the syntax shows another way out or an owner: the goroutine is joined (a
//! `WaitGroup.Add` right before it, a `Done()`, a `close` or a send in it), the context is derived
//! with a cancel or a deadline, the call only logs, traces or counts, or it ends something
//! (`srv.Shutdown(context.Background())`), or it is a function of the package that sets its own
//! deadline, never reads its context, or waits in a `select` of its own; calls through a
//! func-typed field (a callback) are not this package's work to judge. A `go f()` or `go x.m()` of
//! a function declared in the same file is followed into its own statements, unless it is handed
//! a channel or a context (its way to be told to stop). Commands (`package main`, a `cmd/`
//! folder) and tests are not reported: their goroutines end with the process. Reported at `info`:
//! many clients bound each call by their own socket timeouts whatever the context says.

use super::{call_args, call_parts, k, line, literal_of, starter_outside_main_and_tests};
use super::{outside_nested_go, text};
use crate::analysis::concurrency::receiver;
use crate::analysis::is_function;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::Node;

pub struct GoroutineDetached;

impl Rule for GoroutineDetached {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["go_statement"]
    }

    fn check_node(
        &self,
        go: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let src = cx.file.text.as_str();
        if cx.is_command() || starter_outside_main_and_tests(go, &cx.file.rel, src).is_none() {
            return;
        }
        if is_daemon_start(go, cx) {
            return;
        }
        let Some(work) = background_work(go, src, cx) else {
            return;
        };
        if !joined(go, work.runs.map(|(_, body)| body), cx) {
            out.push(report(go, &work, cx));
        }
    }
}

/// Whether the goroutine is started by a component's `Run`, `Start` or `Serve` whose type has no
/// `Close`, `Stop` or `Shutdown` method: a component that lives as long as the process, whose
/// daemons are meant to (a lease renewer started by a node agent's `Run`).
fn is_daemon_start(go: Node, cx: &FileContext) -> bool {
    let src = cx.file.text.as_str();
    let Some(decl) = go.top_level() else {
        return false;
    };
    let name = decl.child_by_field_id(k().f_name).map(|n| text(n, src));
    if !matches!(name, Some("Run" | "Start" | "Serve")) {
        return false;
    }
    let Some((_, ty)) = receiver(decl, src) else {
        return true;
    };
    let Some(package) = cx.package else {
        return false;
    };
    let facts = package.concurrency();
    !["Close", "Stop", "Shutdown"]
        .into_iter()
        .any(|m| facts.has_method(ty, m))
}

/// Where a context without cancel or deadline comes from: `context.Background()` at a line.
#[derive(Debug, Clone, Copy)]
struct Origin<'t> {
    what: &'t str,
    line: usize,
}

/// A call in the goroutine that does work under such a context.
struct Work<'t> {
    call: Node<'t>,
    /// The argument as written (`ctx`, `context.TODO()`).
    arg: &'t str,
    origin: Origin<'t>,
    /// Whether the argument is a name bound to the context, not the context call itself.
    through_name: bool,
    /// The function the `go` statement runs and its body, when the work is in that body
    /// (`go c.refresh()`).
    runs: Option<(&'t str, Node<'t>)>,
}

/// A name the goroutine binds, from `from` (a byte offset) on: to a background context, or to
/// something else (`None`), which hides an outer binding of the same name.
type Binding<'t> = (&'t str, usize, Option<Origin<'t>>);

/// The first call in the goroutine (its own statements, not those of goroutines it starts) that
/// is handed a context without cancel or deadline.
fn background_work<'t>(go: Node<'t>, src: &'t str, cx: &FileContext) -> Option<Work<'t>> {
    let lit = literal_of(go);
    let env: Vec<Binding<'t>> = lit.map(|l| parameters(go, l, src)).unwrap_or_default();
    if let Some(work) = work_in(lit.unwrap_or(go), go, env, src, cx) {
        return Some(work);
    }
    let (runs, body) = lit.is_none().then(|| started_body(go, src, cx)).flatten()?;
    // Only the function's own statements: a literal in it runs when someone calls it.
    let own = |n: &Node| super::enclosing_function(*n).is_some_and(|f| f.id() == body_owner(body));
    let work = work_in(body, body, Vec::new(), src, cx).filter(|w| own(&w.call))?;
    Some(Work {
        runs: Some((runs, body)),
        ..work
    })
}

/// The body of the function `go f(..)` or `go x.m(..)` runs, when it is declared in this file
/// (resolved as `Callee` resolves a call, to one declaration), and its name as written.
fn started_body<'t>(go: Node<'t>, src: &'t str, cx: &FileContext) -> Option<(&'t str, Node<'t>)> {
    let call = go.named_child(0).filter(|c| c.kind_id() == k().call_expression)?;
    let (operand, name) = call_parts(call, src)?;
    let callee = Callee::of(call, operand, cx)?;
    let here = |(file, _): &(&crate::source::SourceFile, Node)| file.rel == cx.file.rel;
    let decls: Vec<_> = cx
        .package?
        .declarations_named(name)
        .into_iter()
        .filter(here)
        .filter(|(_, decl)| callee.accepts(receiver(*decl, src).map(|(_, ty)| ty)))
        .collect();
    let [(_, decl)] = decls.as_slice() else {
        return None;
    };
    // A function handed a channel or a context has a way to be told to stop.
    let params = decl.child_by_field_id(k().f_parameters).map_or("", |p| text(p, src));
    if params.contains("chan") || params.contains("Context") {
        return None;
    }
    // The declaration again, as a node of this goroutine's tree.
    let root = go.top_level()?.parent()?;
    let body = root.descendant_for_byte_range(decl.start_byte(), decl.end_byte())?;
    let runs = call.child_by_field_id(k().f_function).map(|f| text(f, src))?;
    Some((runs, body.child_by_field_id(k().f_body)?))
}

/// The id of the declaration a body belongs to.
fn body_owner(body: Node) -> usize {
    body.parent().map_or(0, |p| p.id())
}

/// The first call in `scope` handed a background context (`go` anchors the names looked up
/// before it; `env` holds the bindings already known, the literal's parameters).
fn work_in<'t>(
    scope: Node<'t>,
    go: Node<'t>,
    mut env: Vec<Binding<'t>>,
    src: &'t str,
    cx: &FileContext,
) -> Option<Work<'t>> {
    for n in outside_nested_go(scope) {
        let kind = n.kind_id();
        if kind == k().short_var_declaration || kind == k().assignment_statement {
            bind(n, go, &mut env, src);
            continue;
        }
        if kind != k().call_expression
            || call_kind(n, src) != CallKind::Work
            || calls_a_func_field(n, src, cx)
        {
            continue;
        }
        let found = call_args(n).into_iter().enumerate().find_map(|(i, a)| {
            let origin = origin_in(a, n.start_byte(), &env, go, src)?;
            Some((i, a, origin))
        });
        let Some((i, arg, origin)) = found else {
            continue;
        };
        if callee_has_its_own_way_out(n, i, cx) {
            continue;
        }
        return Some(Work {
            call: n,
            arg: text(arg, src),
            origin,
            through_name: arg.kind_id() == k().identifier,
            runs: None,
        });
    }
    None
}

/// The function literal's parameters, bound to what the `go` statement passes them.
fn parameters<'t>(go: Node<'t>, lit: Node<'t>, src: &'t str) -> Vec<Binding<'t>> {
    let mut out = Vec::new();
    let (Some(call), Some(params)) = (go.named_child(0), lit.child_by_field_id(k().f_parameters))
    else {
        return out;
    };
    let args = call_args(call);
    let mut c = params.walk();
    let names = params
        .named_children(&mut c)
        .flat_map(|p| crate::tree::field_children(p, k().f_name));
    for (i, name) in names.enumerate() {
        let origin = args.get(i).and_then(|a| origin_outside(*a, go, src, 0));
        out.push((text(name, src), lit.start_byte(), origin));
    }
    out
}

/// Records what an assignment in the goroutine binds, effective after the statement.
fn bind<'t>(stmt: Node<'t>, go: Node<'t>, env: &mut Vec<Binding<'t>>, src: &'t str) {
    let Some((left, right)) = sides(stmt) else {
        return;
    };
    let values = list(right);
    let single = (values.len() == 1).then(|| values[0]);
    let cancellable = returns_cancel(left, src);
    for (i, l) in list(left).into_iter().enumerate() {
        if l.kind_id() != k().identifier || text(l, src) == "_" {
            continue;
        }
        // `ctx, span := tracer.Start(ctx, ..)`: every name a plumbing call returns carries it.
        let value = values.get(i).copied().or(single).filter(|_| !cancellable);
        let origin = value.and_then(|v| origin_in(v, stmt.start_byte(), env, go, src));
        // Kept small: background contexts, and the names that hide one (a context's name, which
        // would otherwise be looked up outside, or a name bound before).
        let name = text(l, src);
        if origin.is_some() || names_a_context(name) || env.iter().any(|(n, _, _)| *n == name) {
            env.push((name, stmt.end_byte(), origin));
        }
    }
}

/// Whether an assignment also binds a cancel or stop function (`ctx, cancel, done :=
/// manager.AddContext(context.Background(), ..)`): then the context it binds can be cancelled.
fn returns_cancel(left: Node, src: &str) -> bool {
    list(left).iter().any(|l| {
        let name = text(*l, src).to_ascii_lowercase();
        name.contains("cancel") || name.contains("stop")
    })
}

/// The left and right sides of `a, b := x, y`, `a = x` or `var a = x`.
fn sides(stmt: Node) -> Option<(Node, Node)> {
    let kind = stmt.kind_id();
    if kind == k().var_spec {
        return Some((
            stmt.child_by_field_id(k().f_name)?,
            stmt.child_by_field_id(k().f_value)?,
        ));
    }
    Some((
        stmt.child_by_field_id(k().f_left)?,
        stmt.child_by_field_id(k().f_right)?,
    ))
}

/// The expressions of an expression list, or the node itself.
fn list(n: Node) -> Vec<Node> {
    if n.kind_id() != k().expression_list {
        return vec![n];
    }
    let mut c = n.walk();
    let out = n.named_children(&mut c).collect();
    out
}

/// Where the context an expression in the goroutine evaluates to comes from, if it is one
/// without cancel or deadline; `at` is the expression's offset, for the bindings then in force.
fn origin_in<'t>(
    e: Node<'t>,
    at: usize,
    env: &[Binding<'t>],
    go: Node<'t>,
    src: &'t str,
) -> Option<Origin<'t>> {
    if e.kind_id() == k().identifier {
        let name = text(e, src);
        let bound = env
            .iter()
            .rev()
            .find(|(n, from, _)| *n == name && *from <= at);
        return match bound {
            Some((_, _, origin)) => *origin,
            None => origin_outside(e, go, src, 0),
        };
    }
    origin_of_call(e, src, |a| origin_in(a, at, env, go, src))
}

/// The same for an expression outside the goroutine (a captured name, the literal's arguments):
/// a name is looked up in the statements before the `go`, through at most `MAX_HOPS` names.
fn origin_outside<'t>(e: Node<'t>, go: Node<'t>, src: &'t str, hops: usize) -> Option<Origin<'t>> {
    if e.kind_id() == k().identifier {
        if hops >= MAX_HOPS || !names_a_context(text(e, src)) {
            return None;
        }
        let (stmt, value) = binding_before(go, text(e, src), src)?;
        return origin_outside(value, stmt, src, hops + 1);
    }
    origin_of_call(e, src, |a| origin_outside(a, go, src, hops))
}

const MAX_HOPS: usize = 4;

/// Whether a name looks like a context's (`ctx`, `reqCtx`, `baseContext`): only those are looked
/// up outside the goroutine, which keeps the lookups few.
fn names_a_context(name: &str) -> bool {
    name.contains("ctx") || name.contains("Ctx") || name.contains("ontext")
}

/// `context.Background()`, `context.TODO()`, `context.WithoutCancel(..)`, or a call that only
/// wraps a context (`context.WithValue`, `metadata.NewOutgoingContext`, `req.WithContext`,
/// `http.NewRequestWithContext`) with an argument that is one, or a name `name_origin` traces to
/// one. Wrapped calls are unwound with a stack, at most `MAX_UNWRAP` of them: no recursion on a
/// call nested thousands deep.
fn origin_of_call<'t>(
    e: Node<'t>,
    src: &'t str,
    name_origin: impl Fn(Node<'t>) -> Option<Origin<'t>>,
) -> Option<Origin<'t>> {
    let mut stack = vec![e];
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > MAX_UNWRAP {
            return None;
        }
        if n.kind_id() == k().identifier && n.id() != e.id() {
            match name_origin(n) {
                Some(origin) => return Some(origin),
                None => continue,
            }
        }
        if n.kind_id() != k().call_expression {
            continue;
        }
        let at = |what| Some(Origin { what, line: line(n) });
        match call_kind(n, src) {
            CallKind::Context("Background") => return at("context.Background()"),
            CallKind::Context("TODO") => return at("context.TODO()"),
            CallKind::Context("WithoutCancel") => return at("context.WithoutCancel"),
            CallKind::Context("WithValue") | CallKind::Plumbing => {
                stack.extend(call_args(n).into_iter().rev());
            }
            _ => {}
        }
    }
    None
}

const MAX_UNWRAP: usize = 64;

/// The statement before `from` (in its block or an enclosing one, up to the top-level
/// declaration) that last binds `name`, and the value it binds. A parameter of that name on the
/// way up hides any outer binding.
fn binding_before<'t>(from: Node<'t>, name: &str, src: &'t str) -> Option<(Node<'t>, Node<'t>)> {
    let mut cur = from;
    for _ in 0..MAX_ANCESTORS {
        let parent = cur.parent()?;
        if is_function(k(), parent.kind_id()) && declares_parameter(parent, name, src) {
            return None;
        }
        let mut sib = cur.prev_named_sibling();
        let mut seen = 0;
        while let Some(s) = sib {
            if let Some(value) = bound_value(s, name, src) {
                return Some((s, value));
            }
            // `if s.BaseContext != nil { ctx = .. }`: which value reaches the goroutine is unknown.
            if may_assign(s, name, src) {
                return None;
            }
            seen += 1;
            if seen >= MAX_SIBLINGS {
                break;
            }
            sib = s.prev_named_sibling();
        }
        if parent.kind_id() == k().source_file {
            return None;
        }
        cur = parent;
    }
    None
}

const MAX_ANCESTORS: usize = 256;
const MAX_SIBLINGS: usize = 256;

/// Whether statement `s` may assign `name` somewhere inside it (a nested block, a branch); a
/// statement too large to read within `MAX_ASSIGN_SCAN` nodes counts as one that may.
fn may_assign(s: Node, name: &str, src: &str) -> bool {
    let mut seen = 0;
    for n in s.preorder() {
        seen += 1;
        if seen > MAX_ASSIGN_SCAN {
            return true;
        }
        let kind = n.kind_id();
        if kind != k().assignment_statement && kind != k().short_var_declaration {
            continue;
        }
        let assigns = n
            .child_by_field_id(k().f_left)
            .is_some_and(|l| list(l).iter().any(|x| text(*x, src) == name));
        if assigns {
            return true;
        }
    }
    false
}

const MAX_ASSIGN_SCAN: usize = 20_000;

fn declares_parameter(f: Node, name: &str, src: &str) -> bool {
    let Some(params) = f.child_by_field_id(k().f_parameters) else {
        return false;
    };
    let mut c = params.walk();
    let found = params.named_children(&mut c).any(|p| {
        crate::tree::field_children(p, k().f_name)
            .into_iter()
            .any(|n| text(n, src) == name)
    });
    found
}

/// The value statement `s` binds to `name` (`name := v`, `name = v`, `var name = v`).
fn bound_value<'t>(s: Node<'t>, name: &str, src: &'t str) -> Option<Node<'t>> {
    let kind = s.kind_id();
    let stmt = if kind == k().var_declaration {
        let mut c = s.walk();
        let spec = s.named_children(&mut c).find(|v| v.kind_id() == k().var_spec);
        spec?
    } else if kind == k().short_var_declaration || kind == k().assignment_statement {
        s
    } else {
        return None;
    };
    let (left, right) = sides(stmt)?;
    if returns_cancel(left, src) {
        return None;
    }
    let values = list(right);
    let i = list(left).iter().position(|l| text(*l, src) == name)?;
    values.get(i).or(values.first()).copied()
}

/// What a call does with the context it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallKind<'t> {
    /// A function of package `context`, by name.
    Context(&'t str),
    /// Wraps the context into a value: a derived context, a request.
    Plumbing,
    /// Logs, traces or counts.
    Telemetry,
    /// Ends something, or bounds itself (`Shutdown`, `Close`, `...Timeout`, `...Deadline`).
    Bounded,
    /// Anything else: work that may block.
    Work,
}

fn call_kind<'t>(call: Node<'t>, src: &'t str) -> CallKind<'t> {
    let Some((operand, name)) = call_parts(call, src) else {
        return CallKind::Work;
    };
    if operand == Some("context") {
        return CallKind::Context(name);
    }
    if name.contains("Timeout")
        || name.contains("Deadline")
        || matches!(
            name,
            "Shutdown" | "Close" | "Stop" | "GracefulStop" | "NotifyContext"
        )
    {
        return CallKind::Bounded;
    }
    if is_telemetry(operand, name) {
        return CallKind::Telemetry;
    }
    if name.ends_with("Context") || name.starts_with("With") || name.starts_with("Context") {
        return CallKind::Plumbing;
    }
    CallKind::Work
}

/// A log, trace or metric call: `slog.InfoContext`, `logger.Printf(ctx, ..)`,
/// `tracer.Start(ctx, ..)`, `counter.Add(ctx, 1)`.
fn is_telemetry(operand: Option<&str>, name: &str) -> bool {
    const LEVELS: [&str; 10] = [
        "Print", "Debug", "Info", "Warn", "Error", "Fatal", "Panic", "Log", "Trace", "Span",
    ];
    const RECEIVERS: [&str; 11] = [
        "log", "logger", "tracer", "trace", "span", "meter", "metric", "counter", "histogram",
        "gauge", "pprof",
    ];
    let lower = name.to_ascii_lowercase();
    if LEVELS
        .iter()
        .any(|l| lower.starts_with(&l.to_ascii_lowercase()))
    {
        return true;
    }
    let Some(operand) = operand else {
        return false;
    };
    operand.split('.').any(|part| {
        let part = part.to_ascii_lowercase();
        RECEIVERS.iter().any(|r| part.ends_with(r) || part.starts_with(r))
    })
}

/// Whether the function called, when the package declares it, has a way out besides the
/// context at argument `arg`: it sets its own deadline, never reads the context, closes a value it
/// is handed (a connection its owner closes to end it) or waits in a `select`. Resolved without
/// types (`Callee`), to declarations taking a `context.Context` at that argument; a call it cannot
/// resolve has no way out that the syntax shows.
fn callee_has_its_own_way_out(call: Node, arg: usize, cx: &FileContext) -> bool {
    let src = cx.file.text.as_str();
    let (Some(package), Some((operand, name))) = (cx.package, call_parts(call, src)) else {
        return false;
    };
    let Some(callee) = Callee::of(call, operand, cx) else {
        return false;
    };
    let decls: Vec<_> = package
        .declarations_named(name)
        .into_iter()
        .filter(|(file, decl)| {
            callee.accepts(receiver(*decl, &file.text).map(|(_, ty)| ty))
                && context_parameter_at(*decl, arg, &file.text).is_some()
        })
        .collect();
    !decls.is_empty()
        && decls
            .iter()
            .all(|(file, decl)| has_own_way_out(*decl, arg, &file.text))
}

/// `c.onUpdate(ctx)` where `onUpdate` is a func-typed field of the method's receiver: a callback
/// whose work the package does not show.
fn calls_a_func_field(call: Node, src: &str, cx: &FileContext) -> bool {
    let Some((Some(x), name)) = call_parts(call, src) else {
        return false;
    };
    let (Some((recv, ty)), Some(package)) = (own_receiver(call, src), cx.package) else {
        return false;
    };
    x == recv
        && package
            .concurrency()
            .fields
            .get(ty)
            .and_then(|fields| fields.get(name))
            .is_some_and(|t| t.trim_start_matches('*').starts_with("func"))
}

/// What a call's operand says of the declaration it reaches.
enum Callee {
    /// `f(..)`: a package-level function.
    Function,
    /// `s.m(..)` on the method's own receiver, or `s.field.m(..)` on a field whose type the
    /// package declares: a method of that type.
    MethodOf(String),
    /// `w.run(..)` on a local variable: any method of that name.
    AnyMethod,
}

impl Callee {
    fn of(call: Node, operand: Option<&str>, cx: &FileContext) -> Option<Callee> {
        let src = cx.file.text.as_str();
        let Some(x) = operand else {
            return Some(Callee::Function);
        };
        let own = own_receiver(call, src);
        if let Some((_, ty)) = own.filter(|(recv, _)| *recv == x) {
            return Some(Callee::MethodOf(ty.to_string()));
        }
        if let Some((recv, field)) = x.split_once('.') {
            let (own_recv, own_ty) = own?;
            let facts = cx.package?.concurrency();
            let field_ty = facts.fields.get(own_ty)?.get(field)?;
            let field_ty = field_ty.trim_start_matches('*');
            return (recv == own_recv && facts.methods.contains_key(field_ty))
                .then(|| Callee::MethodOf(field_ty.to_string()));
        }
        x.chars()
            .all(|c| c.is_alphanumeric() || c == '_')
            .then_some(Callee::AnyMethod)
    }

    fn accepts(&self, receiver_type: Option<&str>) -> bool {
        match self {
            Callee::Function => receiver_type.is_none(),
            Callee::MethodOf(ty) => receiver_type == Some(ty.as_str()),
            Callee::AnyMethod => receiver_type.is_some(),
        }
    }
}

/// The receiver name and type of the method a node is in.
fn own_receiver<'t>(n: Node<'t>, src: &'t str) -> Option<(&'t str, &'t str)> {
    let decl = n.top_level()?;
    (decl.kind_id() == k().method_declaration)
        .then(|| receiver(decl, src))
        .flatten()
}

fn has_own_way_out(decl: Node, arg: usize, src: &str) -> bool {
    let Some(body) = decl.child_by_field_id(k().f_body) else {
        return true;
    };
    let ctx = context_parameter_at(decl, arg, src);
    if ctx.is_none_or(|name| name == "_" || !super::mentions(body, name, src)) {
        return true;
    }
    let handed = handed_values(decl, ctx, src);
    let closes_handed = body.preorder().any(|n| {
        n.kind_id() == k().call_expression
            && matches!(call_parts(n, src), Some((Some(x), "Close" | "close")) if handed.contains(&x))
    });
    closes_handed
        || body
            .preorder_pruned(|n| n.kind_id() == k().func_literal)
            .any(|n| {
                n.kind_id() == k().select_statement
                    || (n.kind_id() == k().call_expression
                        && matches!(
                            call_parts(n, src),
                            Some((Some("context"), f)) if f.contains("Timeout") || f.contains("Deadline")
                        ))
            })
}

/// The receiver and the parameters of a function but its context: a connection or a transport
/// it closes when done is what its owner closes to end it.
fn handed_values<'t>(f: Node<'t>, ctx: Option<&str>, src: &'t str) -> Vec<&'t str> {
    let mut out: Vec<&str> = receiver(f, src).map(|(r, _)| r).into_iter().collect();
    if let Some(params) = f.child_by_field_id(k().f_parameters) {
        let mut c = params.walk();
        for p in params.named_children(&mut c) {
            for n in crate::tree::field_children(p, k().f_name) {
                out.push(text(n, src));
            }
        }
    }
    out.retain(|n| Some(*n) != ctx && *n != "_");
    out
}

/// The name of a function's parameter number `i` when its type is `context.Context` (`"_"` when
/// it has none).
fn context_parameter_at<'t>(f: Node<'t>, i: usize, src: &'t str) -> Option<&'t str> {
    let params = f.child_by_field_id(k().f_parameters)?;
    let mut c = params.walk();
    let mut index = 0;
    for p in params.named_children(&mut c) {
        let names = crate::tree::field_children(p, k().f_name);
        let count = names.len().max(1);
        if i < index + count {
            let is_context = p
                .child_by_field_id(k().f_type)
                .is_some_and(|t| text(t, src) == "context.Context");
            let name = names.get(i - index).map(|n| text(*n, src)).unwrap_or("_");
            return is_context.then_some(name);
        }
        index += count;
    }
    None
}

/// Whether someone waits for the goroutine: a `WaitGroup.Add` right before the `go`, or in the
/// goroutine (the literal, or `body`, the function it runs) a `Done()` statement, a `close` or a
/// send (a result someone receives).
fn joined(go: Node, body: Option<Node>, cx: &FileContext) -> bool {
    let src = cx.file.text.as_str();
    let before = go.prev_named_sibling().filter(|s| !s.is_comment());
    if before.is_some_and(|s| is_call_statement(s, src, |_, f| f == "Add")) {
        return true;
    }
    let Some(scope) = literal_of(go).or(body) else {
        return false;
    };
    outside_nested_go(scope).any(|n| {
        let kind = n.kind_id();
        kind == k().send_statement
            || ((kind == k().expression_statement || kind == k().defer_statement)
                && is_call_statement(n, src, |x, f| {
                    (x.is_some() && f == "Done") || (x.is_none() && f == "close")
                }))
    })
}

/// Whether statement `s` is a call (`wg.Add(1)`, `defer wg.Done()`) that `is` accepts.
fn is_call_statement(s: Node, src: &str, is: impl Fn(Option<&str>, &str) -> bool) -> bool {
    let kind = s.kind_id();
    if kind != k().expression_statement && kind != k().defer_statement {
        return false;
    }
    s.named_child(0)
        .filter(|c| c.kind_id() == k().call_expression)
        .and_then(|c| call_parts(c, src))
        .is_some_and(|(x, f)| is(x, f))
}

fn report(go: Node, work: &Work, cx: &FileContext) -> Diagnostic {
    let src = cx.file.text.as_str();
    let callee = work
        .call
        .child_by_field_id(k().f_function)
        .map(|f| text(f, src))
        .unwrap_or("the call");
    let under = if work.through_name {
        format!(
            "{} ({} at line {})",
            work.arg, work.origin.what, work.origin.line
        )
    } else {
        work.arg.to_string()
    };
    let runs = work
        .runs
        .map(|(name, _)| format!(" runs {name}, which"))
        .unwrap_or_default();
    let d = Diagnostic::on_first_line(
        go, cx.file,
        format!(
            "goroutine started at line {}{runs} calls {callee} (line {}) with {under}, which has no deadline and nothing cancels, and nothing waits for the goroutine: if {callee} hangs, the goroutine and what it holds stay until the process exits; derive the context from a long-lived parent with a timeout",
            line(go),
            line(work.call),
        ),
    );
    d
}
