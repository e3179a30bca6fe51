//! `http-server-timeouts`: `http.ListenAndServe` (which has no timeouts), or an `http.Server`
//! without `ReadHeaderTimeout` or `ReadTimeout`, listening on a non-loopback address.
//!
//! The literal's type is matched by package path: `net/http.Server` under whatever name the file
//! imports it, never another package's `Server` (a settings type, `fasthttp.Server`) nor a map or
//! slice literal whose element type is `*http.Server`.
//!
//! Why it matters: a client that sends its headers one byte a minute (slowloris) holds a
//! connection and a goroutine forever; enough of them exhaust the server's file descriptors.
//!
//! Weighed as a reviewer would:
//! - A server whose handler serves only operational endpoints (Prometheus metrics, profiling,
//!   expvar, health checks: `promhttp.Handler()`, a mux whose every route is one of those, the
//!   default mux of a file that registers only those or imports `net/http/pprof`) is an internal
//!   endpoint: reported one level lower, and the message says why. A fixed page that ignores its
//!   request (an index of the routes) counts neither way; the routes are those the file shows.
//! - A server handed, after its literal and before it serves, to a call that can set its fields
//!   (an option applied in a loop, `configure(&srv)`) may get its timeouts there: not reported.
//!   A call whose name ends in `Serve` or `ServeTLS` serves it and sets nothing.

use crate::analysis::types::CalleeKind;
use crate::config::RuleSettings;
use crate::index::Ty;
use crate::rules::errors::enclosing_function;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::{preorder, Node};

pub struct HttpServerTimeouts;

impl Rule for HttpServerTimeouts {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression", "composite_literal"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        s: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        if cx.file.is_test() {
            return;
        }
        if node.kind_id() == k().call_expression {
            listen_and_serve(node, cx, s, out);
        } else {
            server_literal(node, cx, s, out);
        }
    }
}

fn listen_and_serve(call: Node, cx: &FileContext, s: &RuleSettings, out: &mut Vec<Diagnostic>) {
    let Some(types) = cx.types() else { return };
    let Some(c) = types.callee(call) else { return };
    if c.kind != CalleeKind::Func
        || c.pkg != "net/http"
        || !matches!(c.name.as_str(), "ListenAndServe" | "ListenAndServeTLS")
    {
        return;
    }
    let args = crate::analysis::taint::call_args(call);
    if args.first().is_some_and(|a| loopback(cx.text(*a))) {
        return;
    }
    let d = Diagnostic::at(call, format!(
        "http.{} serves without read or header timeouts: slow clients (slowloris) hold connections forever; use an http.Server with ReadHeaderTimeout",
        c.name
    ));
    out.push(weighed(d, args.get(1).copied(), call, cx, s));
}

fn server_literal(lit: Node, cx: &FileContext, s: &RuleSettings, out: &mut Vec<Diagnostic>) {
    let k = k();
    let Some(t) = lit.child_by_field_id(k.f_type) else {
        return;
    };
    if !is_net_http_server(t, cx) {
        return;
    }
    let Some(body) = lit.child_by_field_id(k.f_body) else {
        return;
    };
    let (mut addr, mut handler) = (None, None);
    let mut c = body.walk();
    for el in body.named_children(&mut c) {
        let Some(key) = el.named_child(0) else {
            continue;
        };
        match cx.text(key) {
            "ReadHeaderTimeout" | "ReadTimeout" => return,
            "Addr" => addr = el.named_child(1),
            "Handler" => handler = el.named_child(1),
            _ => {}
        }
    }
    if addr.is_some_and(|a| loopback(cx.text(a))) {
        return;
    }
    if configured_later(lit, addr, cx) {
        return;
    }
    let d = Diagnostic::at(lit, "http.Server without ReadHeaderTimeout or ReadTimeout: slow clients (slowloris) hold connections forever".to_string());
    out.push(if handler_assigned_later(handler, lit, cx) {
        d
    } else {
        weighed(d, handler, lit, cx, s)
    });
}

/// A timeout assigned later in the literal's function, a listener on loopback made there (the
/// literal has no address), or the server handed to a call that can set its fields.
fn configured_later(lit: Node, addr: Option<Node>, cx: &FileContext) -> bool {
    let in_function = enclosing_function(lit).is_some_and(|f| {
        let text = cx.text(f);
        text.contains(".ReadHeaderTimeout =")
            || text.contains(".ReadTimeout =")
            || addr.is_none()
                && [
                    "127.0.0.1",
                    "localhost",
                    "[::1]",
                    "LocalListener",
                    "Loopback",
                ]
                .iter()
                .any(|l| text.contains(l))
    });
    in_function || handed_to_setter(lit, cx)
}

/// A literal without `Handler` whose function sets `.Handler` afterwards: what it serves is not
/// the default mux.
fn handler_assigned_later(handler: Option<Node>, lit: Node, cx: &FileContext) -> bool {
    handler.is_none() && enclosing_function(lit).is_some_and(|f| cx.text(f).contains(".Handler ="))
}

/// The type expression denotes `net/http.Server` itself (not a map or slice of it), written
/// with its package's name: net/http's own `&Server{...}` builds a server for a caller
/// (`http.ListenAndServe`), who is reported instead.
fn is_net_http_server(t: Node, cx: &FileContext) -> bool {
    let Some(types) = cx.types() else {
        return false;
    };
    if t.kind_id() != k().qualified_type {
        return false;
    }
    matches!(types.type_expr(t), Ty::Named(pkg, name) if &*pkg == "net/http" && &*name == "Server")
}

/// A literal address on the loopback interface.
pub fn loopback(addr: &str) -> bool {
    let a = addr.trim_matches(|c| c == '"' || c == '`');
    a.starts_with("127.")
        || a.starts_with("localhost")
        || a.starts_with("[::1]")
        || a.starts_with("::1")
}

/// Words that name an operational endpoint in a route's pattern or handler: Prometheus metrics,
/// profiling and other debug pages, expvar, health, readiness and liveness checks.
const OPERATIONAL: [&str; 12] = [
    "metrics",
    "pprof",
    "/debug/",
    "expvar",
    "promhttp",
    "zpages",
    "tracez",
    "health",
    "readyz",
    "livez",
    "readiness",
    "liveness",
];

/// The finding one level lower, saying why, when the server's handler serves only operational
/// endpoints; as it was otherwise.
fn weighed(
    d: Diagnostic,
    handler: Option<Node>,
    at: Node,
    cx: &FileContext,
    s: &RuleSettings,
) -> Diagnostic {
    if !serves_only_operational(handler, at, cx) {
        return d;
    }
    let mut d = d.with_severity(s.severity.lower());
    d.message.push_str(" (its handler serves only operational endpoints: metrics, profiling or health checks, usually kept internal)");
    d
}

/// The handler (`None` or `nil`: the default mux) is an operational handler itself, or a mux
/// whose routes, as this file registers them, are all operational.
fn serves_only_operational(handler: Option<Node>, at: Node, cx: &FileContext) -> bool {
    let text = handler.map_or("nil", |h| cx.text(h));
    if operational(text) {
        return true;
    }
    let routes = if text == "nil" || text.ends_with("DefaultServeMux") {
        default_mux_routes(cx)
    } else if handler.is_some_and(|h| h.is(k().identifier)) {
        at.top_level().map_or(Vec::new(), |f| mux_routes(f, text, cx))
    } else {
        cx.file.root().map_or(Vec::new(), |r| mux_routes(r, text, cx))
    };
    !routes.is_empty() && routes.iter().all(|r| operational(r))
}

fn operational(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    OPERATIONAL.iter().any(|w| text.contains(w))
}

/// The default mux's routes this file adds: its `http.Handle`, `http.HandleFunc` and
/// `http.DefaultServeMux.Handle` calls, and the packages that register on it when imported
/// (`net/http/pprof`, `expvar`).
fn default_mux_routes(cx: &FileContext) -> Vec<String> {
    let imports = crate::rules::fixes::imports(cx.file);
    let mut routes: Vec<String> = imports
        .iter()
        .filter(|(_, path)| matches!(*path, "net/http/pprof" | "expvar"))
        .map(|(_, path)| path.to_string())
        .collect();
    let Some(root) = cx.file.root() else {
        return routes;
    };
    let http_names: Vec<&str> = imports
        .iter()
        .filter(|(name, path)| *path == "net/http" && *name != "_")
        .map(|(name, _)| *name)
        .collect();
    for (receiver, route) in registrations(root, cx) {
        let receiver = cx.text(receiver);
        if http_names.contains(&receiver) || receiver.ends_with("DefaultServeMux") {
            routes.push(route);
        }
    }
    routes
}

/// The routes registered on `mux` (its text) within `scope`; a registration that forwards its
/// function's own parameters (`s.mux.HandleFunc(pattern, handler)` in a helper) stands for the
/// routes the file's calls of that helper pass.
fn mux_routes(scope: Node, mux: &str, cx: &FileContext) -> Vec<String> {
    let mut routes = Vec::new();
    for (receiver, route) in registrations(scope, cx) {
        if cx.text(receiver) != mux {
            continue;
        }
        match forwarding_helper(receiver, cx) {
            Some(helper) => routes.extend(helper_routes(helper, cx)),
            None => routes.push(route),
        }
    }
    routes
}

/// The `Handle` and `HandleFunc` calls within `scope`: each call's receiver, and its route as
/// the pattern's text and the handler's (a function literal's body left out).
fn registrations<'t>(scope: Node<'t>, cx: &FileContext) -> Vec<(Node<'t>, String)> {
    let k = k();
    let mut out = Vec::new();
    for call in preorder(scope).filter(|n| n.is(k.call_expression)) {
        let Some((receiver, method)) = call
            .child_by_field_id(k.f_function)
            .and_then(|f| f.selector())
        else {
            continue;
        };
        if matches!(cx.text(method), "Handle" | "HandleFunc") && !fixed_page(call, cx) {
            out.push((receiver, route_text(call, cx)));
        }
    }
    out
}

/// A route whose handler is a function literal that ignores its request (`_ *http.Request`):
/// a fixed page (an index of the other routes) that counts neither way.
fn fixed_page(call: Node, cx: &FileContext) -> bool {
    let args = crate::analysis::taint::call_args(call);
    args.get(1)
        .filter(|h| h.is(k().func_literal))
        .and_then(|h| h.child_by_field_id(k().f_parameters))
        .is_some_and(|params| cx.text(params).contains("_ *"))
}

/// A route's pattern and handler as one text (a handler written as a function literal by its
/// pattern alone: its body says nothing of the route).
fn route_text(call: Node, cx: &FileContext) -> String {
    crate::analysis::taint::call_args(call)
        .iter()
        .take(2)
        .filter(|a| !a.is(k().func_literal))
        .map(|a| cx.text(*a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of the function declaring the registration whose receiver is `receiver`, when the
/// registration passes on that function's parameters as its pattern and handler.
fn forwarding_helper<'a>(receiver: Node, cx: &FileContext<'a>) -> Option<&'a str> {
    let call = receiver.parent()?.parent()?;
    let func = enclosing_function(call)?;
    let params = cx.text(func.child_by_field_id(k().f_parameters)?);
    let args = crate::analysis::taint::call_args(call);
    let forwards = args.len() >= 2
        && args[..2]
            .iter()
            .all(|a| a.is(k().identifier) && params.contains(cx.text(*a)));
    if !forwards {
        return None;
    }
    Some(cx.text(func.child_by_field_id(k().f_name)?))
}

/// The routes the file's calls of `helper` (`s.handleFunc("/metrics", h)`) pass.
fn helper_routes(helper: &str, cx: &FileContext) -> Vec<String> {
    let Some(root) = cx.file.root() else {
        return Vec::new();
    };
    preorder(root)
        .filter(|n| n.is(k().call_expression) && callee_name(*n, cx) == helper)
        .filter(|call| !fixed_page(*call, cx))
        .map(|call| route_text(call, cx))
        .collect()
}

/// The called function's or method's name as written (`run`, `opt`, `ListenAndServe`).
fn callee_name<'a>(call: Node, cx: &FileContext<'a>) -> &'a str {
    let Some(f) = call.child_by_field_id(k().f_function) else {
        return "";
    };
    match f.selector() {
        Some((_, field)) => cx.text(field),
        None if f.is(k().identifier) => cx.text(f),
        None => "",
    }
}

/// The server is handed, after its literal and before any call serves it, to a call that can
/// set its fields (`opt(srv)` in an options loop, `configure(&srv)`, `run(srv)`): the timeouts
/// may be set there.
fn handed_to_setter(lit: Node, cx: &FileContext) -> bool {
    let Some((name, pointer)) = bound_name(lit, cx) else {
        return false;
    };
    let Some(func) = enclosing_function(lit) else {
        return false;
    };
    let address = format!("&{name}");
    let calls = preorder(func).filter(|n| n.is(k().call_expression) && n.start_byte() > lit.end_byte());
    for call in calls {
        let args = crate::analysis::taint::call_args(call);
        let hands_it = args
            .iter()
            .any(|a| cx.text(*a) == address || pointer && cx.text(*a) == name);
        match (serves(call, cx), hands_it) {
            (true, _) if hands_it || receiver_is(call, name, cx) => return false,
            (false, true) => return true,
            _ => {}
        }
    }
    false
}

/// A call whose name says it serves (`Serve`, `ListenAndServeTLS`, `gracefulListenAndServe`).
fn serves(call: Node, cx: &FileContext) -> bool {
    let name = callee_name(call, cx);
    name.ends_with("Serve") || name.ends_with("ServeTLS")
}

fn receiver_is(call: Node, name: &str, cx: &FileContext) -> bool {
    call.child_by_field_id(k().f_function)
        .and_then(|f| f.selector())
        .is_some_and(|(operand, _)| cx.text(operand) == name)
}

/// The name the literal is stored under (`srv` in `srv := &http.Server{...}`, `s.server` in an
/// assignment), and whether it holds a pointer (so passing the name itself lets a callee set
/// the fields).
fn bound_name<'a>(lit: Node, cx: &FileContext<'a>) -> Option<(&'a str, bool)> {
    let k = k();
    let mut value = lit;
    let mut pointer = false;
    while let Some(p) = value.parent() {
        if p.is(k.unary_expression) && cx.text(p).starts_with('&') {
            pointer = true;
        } else if !p.is(k.parenthesized_expression) {
            break;
        }
        value = p;
    }
    let list = value.parent().filter(|l| l.is(k.expression_list))?;
    let stmt = list.parent()?;
    let at = (0..list.named_child_count() as u32).find(|&i| list.named_child(i) == Some(value))?;
    let name = if stmt.is(k.var_spec) {
        let mut c = stmt.walk();
        let mut names = stmt.named_children(&mut c).filter(|n| n.is(k.identifier));
        names.nth(at as usize)?
    } else {
        stmt.child_by_field_id(k.f_left)?.named_child(at)?
    };
    Some((cx.text(name), pointer))
}
