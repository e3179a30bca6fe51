//! `insecure-tls`: a `tls.Config` that turns certificate verification off
//! (`InsecureSkipVerify: true`), allows versions below TLS 1.2, or picks cipher suites Go itself
//! lists as insecure (RC4, 3DES, CBC with SHA-256).
//!
//! Why it matters: without verification anyone on the path can impersonate the server; old
//! versions and weak suites let a network attacker read or alter the traffic. Test files are
//! skipped: test servers use self-signed certificates on purpose. Verification turned off only
//! under an option whose name says so (`if opt.InsecureSkipVerify {`, `if p.insecure {`) is the
//! user's choice: reported at low, naming the option, so a team can check it is off by
//! default; one turned off whenever TLS is used (`if r.tls {`) stays high.

use crate::config::RuleSettings;
use crate::finding::Severity;
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
        let Some(msg) = problem(key.trim(), value, cx) else {
            return;
        };
        match opt_in(node, cx).filter(|_| key.trim() == "InsecureSkipVerify") {
            Some(option) => out.push(
                Diagnostic::at(
                    node,
                    format!("TLS certificate verification is disabled when {option} is set (InsecureSkipVerify: true): an opt-in the user chose; check that it is off by default and documented as unsafe"),
                )
                .with_severity(Severity::Low),
            ),
            None => out.push(Diagnostic::at(node, msg)),
        }
    }
}

/// Words in an option's name that say it turns verification off (`insecure`,
/// `SkipVerifyTLSCert`, `no_check_certificate`), compared in lower case without `_`.
const OPT_IN_WORDS: [&str; 5] = ["insecure", "skipverify", "noverify", "nocheck", "skiptls"];

/// The condition of an enclosing `if` that names such an option (`p.insecure`,
/// `f.opt.SkipVerifyTLSCert`): verification is off only when the user asked for it.
fn opt_in<'a>(node: Node, cx: &FileContext<'a>) -> Option<&'a str> {
    let k = k();
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n.kind_id() == k.function_declaration
            || n.kind_id() == k.method_declaration
            || n.kind_id() == k.func_literal
        {
            return None;
        }
        if n.kind_id() == k.if_statement {
            let cond = n.child_by_field_id(k.f_condition).map(|c| cx.text(c));
            if let Some(cond) = cond.filter(|c| names_opt_in(c)) {
                return Some(cond);
            }
        }
        cur = n.parent();
    }
    None
}

fn names_opt_in(condition: &str) -> bool {
    let flat: String = condition
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    OPT_IN_WORDS.iter().any(|w| flat.contains(w))
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
