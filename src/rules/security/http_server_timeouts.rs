//! `http-server-timeouts`: `http.ListenAndServe` (which has no timeouts), or an `http.Server`
//! without `ReadHeaderTimeout` or `ReadTimeout`, listening on a non-loopback address.
//!
//! The literal's type is matched by package path: `net/http.Server` under whatever name the file
//! imports it, never another package's `Server` (a settings type, `fasthttp.Server`) nor a map or
//! slice literal whose element type is `*http.Server`.
//!
//! Why it matters: a client that sends its headers one byte a minute (slowloris) holds a
//! connection and a goroutine forever; enough of them exhaust the server's file descriptors.

use crate::analysis::types::CalleeKind;
use crate::config::RuleSettings;
use crate::index::Ty;
use crate::rules::errors::enclosing_function;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::Node;

pub struct HttpServerTimeouts;

impl Rule for HttpServerTimeouts {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression", "composite_literal"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        _s: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        if cx.file.is_test() {
            return;
        }
        if node.kind_id() == k().call_expression {
            listen_and_serve(node, cx, out);
        } else {
            server_literal(node, cx, out);
        }
    }
}

fn listen_and_serve(call: Node, cx: &FileContext, out: &mut Vec<Diagnostic>) {
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
    out.push(Diagnostic::at(call, format!(
        "http.{} serves without read or header timeouts: slow clients (slowloris) hold connections forever; use an http.Server with ReadHeaderTimeout",
        c.name
    )));
}

fn server_literal(lit: Node, cx: &FileContext, out: &mut Vec<Diagnostic>) {
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
    let mut addr = None;
    let mut c = body.walk();
    for el in body.named_children(&mut c) {
        let Some(key) = el.named_child(0) else {
            continue;
        };
        match cx.text(key) {
            "ReadHeaderTimeout" | "ReadTimeout" => return,
            "Addr" => addr = el.named_child(1),
            _ => {}
        }
    }
    if addr.is_some_and(|a| loopback(cx.text(a))) {
        return;
    }
    // A timeout set later, or a listener on loopback made in the same function.
    let later = enclosing_function(lit).is_some_and(|f| {
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
    if later {
        return;
    }
    out.push(Diagnostic::at(lit, "http.Server without ReadHeaderTimeout or ReadTimeout: slow clients (slowloris) hold connections forever".to_string()));
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
