//! `hardcoded-secret`: a string literal that looks like a credential: a known key format (AWS,
//! GitHub, Slack, Stripe, Google, GitLab, OpenAI, PEM private keys), or a high-entropy value
//! bound to a name like password, secret, token or api_key.
//!
//! Why it matters: a secret in source is in every clone, fork, backup and CI log, and cannot be
//! rotated without a release. Empty strings, placeholders, environment variable names and test
//! files are not reported.
//!
//! The name-based check stays silent where the name or the value says it is no plaintext
//! credential: a name that calls the value encrypted, obscured, hashed or a cipher text
//! (`rcloneEncryptedClientSecret`, `hashedPassword`), a name for an identifier (`accessKeyID`,
//! `tokenName`, `secretHeader`, `passwordField`), and a value shaped like a header or field name
//! (`X-Amz-Security-Token`, `refresh_token_expires_in`). Known key formats (a PEM private key,
//! an `AKIA...` key id) are reported whatever the name.

use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::Node;
use regex::Regex;
use std::sync::OnceLock;

pub struct HardcodedSecret;

fn known() -> &'static [(Regex, &'static str)] {
    static K: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    K.get_or_init(|| {
        [
            (r"^(AKIA|ASIA)[0-9A-Z]{16}$", "an AWS access key id"),
            (r"^gh[pousr]_[A-Za-z0-9]{36,}$", "a GitHub token"),
            (r"^github_pat_[A-Za-z0-9_]{22,}$", "a GitHub token"),
            (r"^xox[abposr]-[A-Za-z0-9-]{10,}$", "a Slack token"),
            (r"^(sk|rk)_live_[0-9A-Za-z]{20,}$", "a Stripe live key"),
            (r"^AIza[0-9A-Za-z_-]{35}$", "a Google API key"),
            (r"^glpat-[0-9A-Za-z_-]{20,}$", "a GitLab token"),
            (r"^sk-(proj-)?[A-Za-z0-9_-]{32,}$", "an API secret key"),
            (
                r"-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----",
                "a private key",
            ),
        ]
        .into_iter()
        .map(|(r, d)| (Regex::new(r).expect("valid pattern"), d))
        .collect()
    })
}

fn secret_name() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(passw(or)?d|secret|token|api_?key|access_?key|private_?key|credential|auth_?key)")
            .expect("valid pattern")
    })
}

impl Rule for HardcodedSecret {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["interpreted_string_literal", "raw_string_literal"]
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
        // The text between the quotes; an unterminated literal (`"` alone) has none.
        let raw = cx.text(node);
        let value = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        if value.len() < 8 {
            return;
        }
        if let Some((_, what)) = known().iter().find(|(r, _)| r.is_match(value)) {
            if !placeholder(value) {
                out.push(Diagnostic::at(node, format!("string literal looks like {what}; load it from the environment or a secret store")));
            }
            return;
        }
        let Some(name) = bound_name(node, cx) else {
            return;
        };
        if !secret_name().is_match(name) || !looks_random(value) || placeholder(value) {
            return;
        }
        if not_plaintext_name(name) || identifier_name(name) || header_or_field_name(value) {
            return;
        }
        out.push(Diagnostic::at(
            node,
            format!("{name} holds a hard-coded high-entropy credential; load it from the environment or a secret store"),
        ));
    }
}

/// The name the literal is bound to: a constant, variable, field key, or compared identifier.
fn bound_name<'a>(lit: Node, cx: &FileContext<'a>) -> Option<&'a str> {
    let k = k();
    let mut cur = lit;
    let mut parent = lit.parent()?;
    if parent.kind_id() == k.expression_list {
        cur = parent;
        parent = parent.parent()?;
    }
    let kind = parent.kind_id();
    if kind == k.const_spec || kind == k.var_spec {
        return parent.child_by_field_id(k.f_name).map(|n| cx.text(n));
    }
    if kind == k.short_var_declaration || kind == k.assignment_statement {
        if parent.child_by_field_id(k.f_right) != Some(cur) {
            return None;
        }
        let left = parent.child_by_field_id(k.f_left)?;
        return Some(cx.text(left).rsplit('.').next().unwrap_or(""));
    }
    if kind == k.keyed_element || kind == k.literal_element {
        let kv = if kind == k.literal_element {
            parent.parent()?
        } else {
            parent
        };
        if kv.kind_id() != k.keyed_element
            || kv.named_child(1)
                != Some(if kind == k.literal_element {
                    parent
                } else {
                    cur
                })
        {
            return None;
        }
        return kv.named_child(0).map(|n| cx.text(n).trim_matches('"'));
    }
    if kind == k.binary_expression {
        let op = parent
            .child_by_field_id(k.f_operator)
            .map(|o| cx.text(o))
            .unwrap_or("");
        if op == "==" || op == "!=" {
            let other = if parent.child_by_field_id(k.f_left) == Some(cur) {
                parent.child_by_field_id(k.f_right)
            } else {
                parent.child_by_field_id(k.f_left)
            };
            return other.map(|n| cx.text(n).rsplit('.').next().unwrap_or(""));
        }
    }
    None
}

/// The name says the value is stored encrypted, obscured or hashed, not as the credential.
fn not_plaintext_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["encrypt", "obscur", "hash", "cipher"]
        .iter()
        .any(|w| n.contains(w))
}

/// The name's last word names an identifier or a label, not a secret: `accessKeyID`,
/// `client_id`, `tokenName`, `secretHeader`, `passwordField`.
fn identifier_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "ID", "Id", "IDs", "Ids", "Name", "Names", "Header", "Headers", "Field", "Fields", "Param",
        "Label",
    ];
    let snake = name.to_ascii_lowercase();
    WORDS.iter().any(|w| name.ends_with(w))
        || ["_id", "_ids", "_name", "_header", "_field", "_param", "_label"]
            .iter()
            .any(|w| snake.ends_with(w))
}

/// A header name (`X-Amz-Security-Token`) or a field or parameter name
/// (`refresh_token_expires_in`, `auth.token.secret`): words, not random characters.
fn header_or_field_name(v: &str) -> bool {
    static R: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (header, field) = R.get_or_init(|| {
        let word = r"([A-Z][a-z]*[0-9]{0,2}|[A-Z][A-Z0-9]{0,5})";
        (
            Regex::new(&format!("^{word}(-{word})+$")).expect("valid pattern"),
            Regex::new(r"^[a-z]+[0-9]?([_.-][a-z]+[0-9]?)+$").expect("valid pattern"),
        )
    });
    header.is_match(v) || field.is_match(v)
}

/// Long enough, mixed characters, high Shannon entropy.
fn looks_random(v: &str) -> bool {
    if v.len() < 12 || v.contains(char::is_whitespace) || v.contains("://") || v.starts_with('/') {
        return false;
    }
    if v.chars()
        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
    {
        return false;
    }
    let letters = v.chars().any(|c| c.is_ascii_alphabetic());
    let others = v
        .chars()
        .any(|c| c.is_ascii_digit() || !c.is_ascii_alphanumeric());
    let digits = v.chars().any(|c| c.is_ascii_digit());
    letters && others && (digits && entropy(v) >= 3.3 || v.len() >= 20 && entropy(v) >= 3.8)
}

fn entropy(v: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in v.bytes() {
        counts[b as usize] += 1;
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    [
        "xxx",
        "changeme",
        "change-me",
        "example",
        "your",
        "<",
        ">",
        "${",
        "{{",
        "%s",
        "%v",
        "todo",
        "dummy",
        "fake",
        "placeholder",
        "redacted",
        "****",
        "...",
        "sample",
        "insert",
    ]
    .iter()
    .any(|p| l.contains(p))
        || l.chars().collect::<std::collections::HashSet<_>>().len() < 5
}
