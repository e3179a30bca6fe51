//! Secrets the code holds are replaced before anything is sent: private keys, cloud and API
//! tokens, and `password = "..."` literals. Replacements keep every newline, so line numbers in
//! the model's answer still match the file.

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One kind of secret: its name, its pattern, and the capture group to replace (0: all).
struct Pattern {
    kind: &'static str,
    re: Regex,
    group: usize,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |kind, re: &str, group| Pattern {
        kind,
        re: Regex::new(re).expect("redaction patterns compile (tested)"),
        group,
    };
    vec![
        p(
            "private-key",
            r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----(?s:.*?)-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----",
            0,
        ),
        p(
            "aws-access-key",
            r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
            0,
        ),
        p(
            "aws-secret-key",
            r#"(?i)aws.{0,20}?secret.{0,20}?["'`]([A-Za-z0-9/+=]{40})["'`]"#,
            1,
        ),
        p("gcp-api-key", r"\bAIza[0-9A-Za-z_\-]{35}\b", 0),
        p(
            "github-token",
            r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b",
            0,
        ),
        p("github-token", r"\bgithub_pat_[A-Za-z0-9_]{22,}\b", 0),
        p("anthropic-key", r"\bsk-ant-[A-Za-z0-9_\-]{20,}", 0),
        p(
            "openai-key",
            r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}",
            0,
        ),
        p("slack-token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}", 0),
        p(
            "slack-webhook",
            r"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+",
            0,
        ),
        p(
            "password",
            r#"(?i)\b\w*(?:password|passwd|pwd|secret)\w*\s*(?::=|=|:)\s*(?:"([^"\n]+)"|`([^`\n]+)`)"#,
            1,
        ),
    ]
});

/// Redacted text and how many secrets of each kind were replaced.
pub fn redact(text: &str, counts: &mut BTreeMap<String, usize>) -> String {
    let mut out = text.to_string();
    for p in PATTERNS.iter() {
        out = replace(&out, p, counts);
    }
    out
}

fn replace(text: &str, p: &Pattern, counts: &mut BTreeMap<String, usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in p.re.captures_iter(text) {
        // `password` has two alternative groups (a quoted and a raw string).
        let m = caps
            .get(p.group)
            .or_else(|| (p.group > 0).then(|| caps.get(p.group + 1)).flatten());
        let Some(m) = m else { continue };
        if m.as_str().starts_with("[REDACTED") {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str(&format!("[REDACTED:{}]", p.kind));
        out.push_str(&"\n".repeat(m.as_str().matches('\n').count()));
        last = m.end();
        *counts.entry(p.kind.to_string()).or_insert(0) += 1;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, BTreeMap<String, usize>) {
        let mut counts = BTreeMap::new();
        (redact(text, &mut counts), counts)
    }

    #[test]
    fn every_kind_is_redacted_and_counted() {
        let text = concat!(
            "const k = `-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef\n-----END RSA PRIVATE KEY-----`\n",
            "id := \"AKIAIOSFODNN7EXAMPLE\"\n",
            "awsSecretKey := \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n",
            "g := \"AIzaSyA1234567890abcdefghijklmnopqrstuv\"\n",
            "gh := \"ghp_0123456789abcdefghijklmnopqrstuvwxyz\"\n",
            "o := \"sk-proj-abcdefghijklmnopqrstuvwxyz0123\"\n",
            "a := \"sk-ant-api03-abcdefghijklmnopqrstuvwxyz\"\n",
            "s := \"xoxb-1234567890-abcdefghij\"\n",
            "password = \"hunter2\"\n",
            "dbPassword := \"s3cret\"\n",
        );
        let (out, counts) = run(text);
        assert_eq!(out.lines().count(), text.lines().count(), "{out}");
        for secret in [
            "MIIE", "AKIAIOSF", "wJalr", "AIzaSy", "ghp_", "sk-proj", "sk-ant", "xoxb", "hunter2",
            "s3cret",
        ] {
            assert!(!out.contains(secret), "{secret} left in:\n{out}");
        }
        for kind in [
            "private-key",
            "aws-access-key",
            "aws-secret-key",
            "gcp-api-key",
            "github-token",
            "openai-key",
            "anthropic-key",
            "slack-token",
        ] {
            assert_eq!(counts.get(kind), Some(&1), "{kind}: {counts:?}");
        }
        assert_eq!(counts["password"], 2);
    }

    #[test]
    fn ordinary_code_is_left_alone() {
        let text = "password := os.Getenv(\"PASSWORD\")\nPassword string `json:\"password\"`\nif pwd == \"\" {}\n";
        let (out, counts) = run(text);
        assert_eq!(out, text);
        assert!(counts.is_empty());
    }
}
