//! `weak-crypto`: DES, 3DES and RC4 ciphers; MD5 and SHA-1 where the digest serves as a password
//! hash, signature or token; `math/rand` making tokens, keys, nonces, salts or passwords.
//!
//! Why it matters: these are broken for those purposes (collisions, brute force, predictable
//! output). MD5 of a cache key or a file checksum is not reported: only uses whose names say
//! password, secret, token, signature, nonce or salt. MD5 or SHA-1 in a file that reads a legacy
//! password-hash format (`{SHA}`, `$apr1$`, `$1$`) is what the format dictates: `info`.

use crate::syntax::kinds::k;
use crate::analysis::types::CalleeKind;
use crate::config::RuleSettings;
use crate::finding::Severity;
use crate::rules::errors::enclosing_function;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::Node;

pub struct WeakCrypto;

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "signature",
    "signing",
    "nonce",
    "salt",
    "csrf",
    "apikey",
    "api_key",
    "sessionid",
    "session_id",
    "privatekey",
    "credential",
];

impl Rule for WeakCrypto {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
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
        let Some(types) = cx.types() else { return };
        let Some(c) = types.callee(node) else { return };
        let method_of_rand = matches!(&c.kind, CalleeKind::Method { owner, .. } if owner.named_parts().is_some_and(|(p, n)| p.starts_with("math/rand") && n == "Rand"));
        let msg = match (c.pkg.as_str(), c.name.as_str()) {
            ("crypto/des", "NewCipher" | "NewTripleDESCipher") => Some("DES/3DES is a broken cipher (56-bit keys, 64-bit blocks); use AES-GCM".to_string()),
            ("crypto/rc4", "NewCipher") => Some("RC4 is a broken stream cipher; use AES-GCM or ChaCha20-Poly1305".to_string()),
            ("crypto/md5" | "crypto/sha1", "New" | "Sum") if c.kind == CalleeKind::Func => {
                let algorithm = if c.pkg.ends_with("md5") { "MD5" } else { "SHA-1" };
                let Some(w) = context_word(node, cx) else { return };
                if let Some(format) = legacy_format(&cx.file.text) {
                    let m = format!(
                        "{} used for a {w} in a file that reads the legacy {format} format, which dictates {algorithm}: keep it for checking existing entries only and hash new ones with bcrypt or argon2",
                        c.display()
                    );
                    out.push(Diagnostic::at(node, m).with_severity(Severity::Info));
                    return;
                }
                Some(format!(
                    "{} used for a {w}: {algorithm} is broken for passwords, signatures and tokens; use bcrypt/argon2 for passwords, SHA-256 or HMAC for the others",
                    c.display()
                ))
            }
            (p, n) if (p.starts_with("math/rand") && c.kind == CalleeKind::Func || method_of_rand) && is_rand_value(n) => {
                context_word(node, cx).map(|w| format!(
                    "math/rand is predictable and makes this {w}: use crypto/rand"
                ))
            }
            _ => None,
        };
        if let Some(m) = msg {
            out.push(Diagnostic::at(node, m));
        }
    }
}

fn is_rand_value(n: &str) -> bool {
    matches!(
        n,
        "Int"
            | "Intn"
            | "IntN"
            | "Int63"
            | "Int63n"
            | "Int31"
            | "Int31n"
            | "Int32"
            | "Int64"
            | "Uint32"
            | "Uint64"
            | "Read"
            | "N"
            | "Int64N"
            | "Uint64N"
            | "Uint32N"
    )
}

/// String literals that mark a password-hash format older than the code (htpasswd's `{SHA}`,
/// LDAP's `{SSHA}` and `{MD5}`, crypt's `$1$` and Apache's `$apr1$`): a file that parses them
/// uses MD5 or SHA-1 because the stored entries were made that way, not by choice.
const LEGACY_FORMATS: [(&str, &str); 6] = [
    ("\"{SHA}", "{SHA}"),
    ("\"{SSHA}", "{SSHA}"),
    ("\"{MD5}", "{MD5}"),
    ("\"{SMD5}", "{SMD5}"),
    ("\"$apr1$", "$apr1$"),
    ("\"$1$", "$1$ (MD5-crypt)"),
];

/// The legacy password-hash format a file's string literals name, if any.
fn legacy_format(text: &str) -> Option<&'static str> {
    LEGACY_FORMATS
        .iter()
        .find(|(literal, _)| text.contains(literal))
        .map(|(_, name)| *name)
}

/// The secret-sounding word in the statement or function around the call, if any.
fn context_word(call: Node, cx: &FileContext) -> Option<&'static str> {
    let mut stmt = call;
    for _ in 0..6 {
        let Some(p) = stmt.parent() else { break };
        let block = p.is(k().block);
        if block || p.is_statement_or_declaration() {
            if !block {
                stmt = p;
            }
            break;
        }
        stmt = p;
    }
    let mut text = cx.text(stmt).to_ascii_lowercase();
    if let Some(f) = enclosing_function(call).and_then(|f| f.child_by_field_name("name")) {
        let name = cx.text(f).to_ascii_lowercase();
        if name.starts_with("sign") {
            return Some("signature");
        }
        text.push(' ');
        text.push_str(&name);
    }
    let word = SECRET_WORDS.iter().find(|w| text.contains(*w))?;
    let w = match *word {
        "password" | "passwd" => "password",
        "signature" | "signing" => "signature",
        "apikey" | "api_key" | "privatekey" | "credential" => "credential",
        "sessionid" | "session_id" => "session id",
        other => other,
    };
    Some(w)
}
