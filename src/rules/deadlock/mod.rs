//! Deadlock rules over the package's lock model (`analysis::locks`): `double-lock` (a mutex taken
//! again by the goroutine that holds it), `lock-order-inversion` (two locks taken in opposite
//! orders), `blocking-under-lock` (a channel operation, wait or sleep while holding a lock the
//! other end needs) and `cond-misuse` (`sync.Cond.Wait` outside a loop, or never signalled).
//! They run once per package (`Rule::check_package`): summaries cross files.

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_deadlock.rs"));

use crate::analysis::locks::{At, Held};
use crate::rules::{Diagnostic, PackageContext, PackageDiagnostic};

/// `line 12`, or `other.go:12` when `at` is in another file than `here`.
pub fn place(cx: &PackageContext, at: At, here: usize) -> String {
    if at.file == here {
        return format!("line {}", at.line);
    }
    let rel = cx.files.get(at.file).map_or("", |f| f.file.rel.as_str());
    let name = rel.rsplit('/').next().unwrap_or(rel);
    format!("{name}:{}", at.line)
}

/// ` (through a → b)` for a lock taken through calls, or nothing; with the constant arguments
/// that decided a callee's condition (` (through a, with lock = true)`).
pub fn chain(h: &Held) -> String {
    if h.chain.is_empty() {
        String::new()
    } else {
        format!(" (through {}{})", h.chain.join(" → "), with(h))
    }
}

/// `, with lock = true` when constant arguments decided the callee's condition, or nothing.
pub fn with(h: &Held) -> String {
    if h.decided.is_empty() {
        String::new()
    } else {
        format!(", with {}", h.decided.join(", "))
    }
}

/// A diagnostic at `at`, with related locations that are in the same file.
pub fn diagnostic(at: At, message: String, related: &[(At, String)]) -> PackageDiagnostic {
    PackageDiagnostic {
        file: at.file,
        diagnostic: Diagnostic {
            start_byte: at.start,
            end_byte: at.end,
            message,
            severity: None,
            related: related
                .iter()
                .filter(|(r, _)| r.file == at.file)
                .map(|(r, m)| (r.start, r.end, m.clone()))
                .collect(),
            fix: None,
            metrics: Vec::new(),
        },
    }
}

/// How a message names a lock: its path, or its class when taken through a call on something
/// that is not a variable.
pub fn lock_name(h: &Held) -> &str {
    if h.path.is_empty() {
        h.class.as_deref().unwrap_or("a lock")
    } else {
        &h.path
    }
}
