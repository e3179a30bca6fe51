//! `http-server-timeouts`: `http.ListenAndServe` (which has no timeouts), or an `http.Server`
//! without `ReadHeaderTimeout` or `ReadTimeout`, listening on a non-loopback address.
//!
//! Why it matters: a client that sends its headers one byte a minute (slowloris) holds a
//! connection and a goroutine forever; enough of them exhaust the server's file descriptors.

use crate::analysis::types::CalleeKind;
use crate::config::RuleSettings;
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
    if !cx.text(t).ends_with("http.Server") {
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

/// A literal address on the loopback interface.
pub fn loopback(addr: &str) -> bool {
    let a = addr.trim_matches(|c| c == '"' || c == '`');
    a.starts_with("127.")
        || a.starts_with("localhost")
        || a.starts_with("[::1]")
        || a.starts_with("::1")
}
