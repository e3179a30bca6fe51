//! Between goaudit's positions (1-based lines, 1-based columns in bytes) and the protocol's
//! (0-based lines, characters in the encoding agreed at `initialize`), and findings made
//! diagnostics.

use crate::finding::{Finding, Severity};
use lsp_types::{
    ClientCapabilities, CodeDescription, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DiagnosticTag, NumberOrString, PositionEncodingKind, Range, Uri,
};
use std::str::FromStr;

/// How the client counts characters in a line: UTF-8 bytes when it offers them, else UTF-16
/// code units (the protocol's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it among its position encodings, else UTF-16.
    pub fn negotiate(caps: &ClientCapabilities) -> Encoding {
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        match offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
            true => Encoding::Utf8,
            false => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A text with the byte offset where each line starts.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The protocol position of a 1-based line and 1-based byte column (clamped to the text).
    pub fn position(&self, line: usize, column: usize, enc: Encoding) -> lsp_types::Position {
        let row = line.saturating_sub(1).min(self.starts.len() - 1);
        let start = self.starts[row];
        self.at_byte(start + column.saturating_sub(1), enc)
    }

    /// The protocol position of a byte offset (clamped to the text, and back to a character
    /// boundary).
    pub fn at_byte(&self, byte: usize, enc: Encoding) -> lsp_types::Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let row = self.starts.partition_point(|&s| s <= byte) - 1;
        let before = &self.text[self.starts[row]..byte];
        let character = match enc {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        lsp_types::Position::new(row as u32, character as u32)
    }

    /// The byte offset of a protocol position (a character past the line's end is its end, a
    /// line past the text's end is the text's end).
    pub fn byte_of(&self, pos: lsp_types::Position, enc: Encoding) -> usize {
        let row = pos.line as usize;
        let Some(&start) = self.starts.get(row) else {
            return self.text.len();
        };
        let end = self.starts.get(row + 1).map_or(self.text.len(), |&e| e - 1);
        let line = &self.text[start..end];
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        end
    }

    /// The protocol range of a finding's span.
    pub fn range(&self, loc: &crate::finding::Location, enc: Encoding) -> Range {
        Range::new(
            self.position(loc.start.line, loc.start.column, enc),
            self.position(loc.end.line, loc.end.column, enc),
        )
    }
}

/// The editor's severity for a finding's: critical and high are errors, medium warnings, low
/// information and info hints.
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

/// A finding as a diagnostic: `lines` is the text of its file, `related` places a related
/// location (in this file or another) for the client.
pub fn diagnostic(
    f: &Finding,
    lines: &Lines,
    enc: Encoding,
    related: &dyn Fn(&crate::finding::Location) -> Option<lsp_types::Location>,
) -> Diagnostic {
    let related_information: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: related(&r.location)?,
                message: r.message.clone(),
            })
        })
        .collect();
    let known = crate::catalogue::catalogue().get(&f.rule).is_some();
    Diagnostic {
        range: lines.range(&f.location, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.clone())),
        code_description: known
            .then(|| Uri::from_str(&crate::catalogue::rule_doc_url(&f.rule)).ok())
            .flatten()
            .map(|href| CodeDescription { href }),
        source: Some("goaudit".to_string()),
        message: f.message.clone(),
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: (f.rule == "unused-nolint").then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_in_the_agreed_encoding() {
        let text = "package p\n// é𝄞x\nvar y = 1";
        let lines = Lines::new(text);
        // `x` is byte 8 of line 2 (column 9): after `// `, é (2 bytes) and 𝄞 (4 bytes).
        let p8 = lines.position(2, 10, Encoding::Utf8);
        let p16 = lines.position(2, 10, Encoding::Utf16);
        assert_eq!((p8.line, p8.character), (1, 9));
        assert_eq!((p16.line, p16.character), (1, 6));
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let pos = lines.position(2, 10, enc);
            assert_eq!(&text[lines.byte_of(pos, enc)..][..1], "x");
        }
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let lines = Lines::new("ab\ncd");
        let p = lines.position(9, 9, Encoding::Utf16);
        assert_eq!((p.line, p.character), (1, 2));
        let far = lsp_types::Position::new(0, 40);
        assert_eq!(lines.byte_of(far, Encoding::Utf16), 2);
        assert_eq!(
            lines.byte_of(lsp_types::Position::new(7, 0), Encoding::Utf8),
            5
        );
    }
}
