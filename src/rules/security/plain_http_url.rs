//! `plain-http-url`: an `http://` URL literal used for an outgoing request to a non-loopback
//! host (`http.Get`, `http.NewRequest`, `client.Post`, ...).
//!
//! Why it matters: plain HTTP can be read and altered by anyone on the path; credentials,
//! tokens and responses travel in the clear. Loopback hosts are reported only with the option
//! `include-loopback`; cloud metadata endpoints (HTTP only) never.

use crate::analysis::types::CalleeKind;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::preorder;
use crate::tree::Node;

pub struct PlainHttpUrl;

impl Rule for PlainHttpUrl {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
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
        let Some(types) = cx.types() else { return };
        let Some(c) = types.callee(node) else { return };
        let owner = match &c.kind {
            CalleeKind::Method { owner, .. } => owner.named_parts().map(|(_, n)| n),
            CalleeKind::Func => None,
            _ => return,
        };
        let index = match (c.pkg.as_str(), owner, c.name.as_str()) {
            ("net/http", None | Some("Client"), "Get" | "Head" | "Post" | "PostForm") => 0,
            ("net/http", None, "NewRequest") => 1,
            ("net/http", None, "NewRequestWithContext") => 2,
            _ => return,
        };
        let args = crate::analysis::taint::call_args(node);
        let Some(arg) = args.get(index) else { return };
        let Some(url) = literal_prefix(*arg, cx, 0) else {
            return;
        };
        let Some(rest) = url.as_str().strip_prefix("http://") else {
            return;
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let hostname = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
        if hostname.is_empty() || hostname.contains('%') || metadata(hostname) {
            return;
        }
        if is_loopback(hostname) && !s.options.plain_http_url().include_loopback {
            return;
        }
        out.push(Diagnostic::at(*arg, format!(
            "request to http://{host} goes over plain HTTP: anyone on the path can read and alter it; use https://"
        )));
    }
}

fn is_loopback(h: &str) -> bool {
    h == "localhost"
        || h.starts_with("127.")
        || h == "[::1]"
        || h == "::1"
        || h == "0.0.0.0"
        || h.ends_with(".localhost")
}

fn metadata(h: &str) -> bool {
    h == "169.254.169.254"
        || h == "metadata.google.internal"
        || h == "metadata"
        || h == "100.100.100.200"
}

/// The literal text a URL expression starts with: a literal, a concatenation or `Sprintf`
/// starting with one, or a constant or variable of this file set to one.
fn literal_prefix(e: Node, cx: &FileContext, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let k = k();
    let kind = e.kind_id();
    if kind == k.interpreted_string_literal || kind == k.raw_string_literal {
        return Some(
            cx.text(e)
                .trim_matches(|c| c == '"' || c == '`')
                .to_string(),
        );
    }
    if kind == k.binary_expression {
        return literal_prefix(e.child_by_field_id(k.f_left)?, cx, depth + 1);
    }
    if kind == k.call_expression {
        let f = e.child_by_field_id(k.f_function)?;
        if cx.text(f) != "fmt.Sprintf" {
            return None;
        }
        return literal_prefix(
            *crate::analysis::taint::call_args(e).first()?,
            cx,
            depth + 1,
        );
    }
    if kind == k.identifier {
        let local = cx.types().and_then(|t| t.decl_of(e)).is_some();
        return defining_value(cx, cx.text(e), e.start_byte(), local, depth);
    }
    None
}

/// The literal prefix of the value a name is declared with in this file (before its use).
fn defining_value(
    cx: &FileContext,
    name: &str,
    before: usize,
    local: bool,
    depth: usize,
) -> Option<String> {
    let k = k();
    let found = preorder(cx.root).find(|n| {
        let kind = n.kind_id();
        (kind == k.const_spec || kind == k.var_spec || kind == k.short_var_declaration)
            && n.start_byte() < before
            && n.child_by_field_id(k.f_name)
                .or_else(|| n.child_by_field_id(k.f_left))
                .is_some_and(|l| cx.text(l) == name)
            && (local || kind != k.short_var_declaration)
    })?;
    let v = found
        .child_by_field_id(k.f_value)
        .or_else(|| found.child_by_field_id(k.f_right))?;
    let v = if v.kind_id() == k.expression_list {
        v.named_child(0)?
    } else {
        v
    };
    literal_prefix(v, cx, depth + 1)
}
