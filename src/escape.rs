//! Control characters made visible in every human-facing output (the text and Markdown reports,
//! standard error, `goaudit sessions`), so a source line, a file name, a server's error body or
//! a model's answer cannot move the cursor, retitle the terminal or fake a line of ours.
//!
//! Escaped: the C0 controls but the tab, DEL, the C1 controls and the bidirectional overrides
//! and isolates (U+202A–U+202E, U+2066–U+2069, "Trojan Source"). `\n` and `\r` become `\n` and
//! `\r`, other ASCII controls `\xHH`, the rest `\u{HHHH}`; any other text is kept as it is, so a
//! report without such characters is unchanged. JSON, SARIF and the XML formats keep exact
//! strings: their encoders escape for themselves.

use std::borrow::Cow;

/// `s` with every control character escaped, line breaks included: for one-line fields.
pub fn controls(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// `s` with every control character escaped but line breaks (`\n`): for whole documents.
pub fn controls_but_newlines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Writes `line` and a newline to standard error, its control characters escaped.
pub fn eprint_line(line: &str) {
    eprintln!("{}", controls(line));
}

/// `eprintln!` with the formatted line's control characters escaped (see `eprint_line`).
#[macro_export]
macro_rules! eprintln_escaped {
    ($($arg:tt)*) => {
        $crate::escape::eprint_line(&format!($($arg)*))
    };
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if needs_escape(c, keep_newlines) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is a character a terminal or a text viewer would act on rather than show.
fn needs_escape(c: char, keep_newlines: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newlines,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if c.is_ascii() => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "return err // é😀 \\ \"tabs\tstay\"";
        assert!(matches!(controls(s), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_sequences_become_visible() {
        assert_eq!(
            controls("a\x1b]0;PWNED\x07\x1b[2J\r\nb\x00\x7f"),
            "a\\x1b]0;PWNED\\x07\\x1b[2J\\r\\nb\\x00\\x7f"
        );
        assert_eq!(controls("\u{9b}31m \u{202e}x"), "\\u{009b}31m \\u{202e}x");
    }

    #[test]
    fn documents_keep_their_lines() {
        assert_eq!(controls_but_newlines("a\nb\x1bc\r\n"), "a\nb\\x1bc\\r\n");
    }
}
