//! `insecure-tls`: a `tls.Config` that turns certificate verification off
//! (`InsecureSkipVerify: true`), allows versions below TLS 1.2, or picks cipher suites Go itself
//! lists as insecure (RC4, 3DES, CBC with SHA-256).
//!
//! Why it matters: without verification anyone on the path can impersonate the server; old
//! versions and weak suites let a network attacker read or alter the traffic. Test files are
//! skipped: test servers use self-signed certificates on purpose.

use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::Node;

pub struct InsecureTls;

const OLD_VERSIONS: &[&str] = &[
    "VersionSSL30",
    "VersionTLS10",
    "VersionTLS11",
    "0x0300",
    "0x0301",
    "0x0302",
];

impl Rule for InsecureTls {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["keyed_element", "assignment_statement"]
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
        let k = k();
        let (key, value) = if node.kind_id() == k.keyed_element {
            let (Some(a), Some(b)) = (node.named_child(0), node.named_child(1)) else {
                return;
            };
            if !in_tls_config(node, cx) {
                return;
            }
            (cx.text(a), b)
        } else {
            let (Some(l), Some(r)) = (
                node.child_by_field_id(k.f_left),
                node.child_by_field_id(k.f_right),
            ) else {
                return;
            };
            let field = cx.text(l).rsplit('.').next().unwrap_or("");
            (field, r)
        };
        if let Some(msg) = problem(key.trim(), value, cx) {
            out.push(Diagnostic::at(node, msg));
        }
    }
}

fn problem(key: &str, value: Node, cx: &FileContext) -> Option<String> {
    let v = cx.text(value).trim();
    match key {
        "InsecureSkipVerify" if v == "true" => Some(
            "TLS certificate verification is disabled (InsecureSkipVerify: true): anyone on the network path can impersonate the server; trust the right CA with RootCAs instead".into(),
        ),
        "MinVersion" | "MaxVersion" if OLD_VERSIONS.iter().any(|o| v.ends_with(o)) => Some(format!(
            "{key} {v} allows TLS versions below 1.2, which have known attacks; use tls.VersionTLS12 or later"
        )),
        "CipherSuites" => {
            let weak: Vec<&str> = ["_RC4_", "_3DES_", "_CBC_SHA256"]
                .iter()
                .filter(|w| v.contains(*w))
                .copied()
                .collect();
            (!weak.is_empty()).then(|| {
                format!("CipherSuites lists suites Go considers insecure ({}); leave CipherSuites unset or use AEAD suites", weak.join(", ").replace('_', " ").trim())
            })
        }
        _ => None,
    }
}

/// The keyed element is a field of a `tls.Config` literal.
fn in_tls_config(node: Node, cx: &FileContext) -> bool {
    let k = k();
    let Some(lit) = node.parent().and_then(|p| p.parent()) else {
        return false;
    };
    if lit.kind_id() != k.composite_literal {
        return false;
    }
    lit.child_by_field_id(k.f_type)
        .is_some_and(|t| cx.text(t).ends_with("tls.Config") || cx.text(t) == "Config")
}
