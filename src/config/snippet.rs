//! A config file that TOML or its schema refuses, shown as compilers show errors: the file,
//! line and column, the message, then the offending line with carets under the spot. A
//! misspelt key or value gets "did you mean" from the names its table accepts.

use crate::escape;
use crate::suggest;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A syntax or type error in a config file, with where it is.
#[derive(Debug)]
pub struct FileError {
    path: PathBuf,
    /// 1-based.
    line: usize,
    /// 1-based, in characters.
    column: usize,
    /// The offending line, without its line break.
    source_line: String,
    /// How many characters the carets cover (at least one).
    width: usize,
    message: String,
}

impl FileError {
    /// The error `toml` gave for `text`, the contents of `path`.
    pub fn new(path: &Path, text: &str, error: &toml::de::Error) -> FileError {
        let message = with_suggestion(&one_line(error.message()));
        locate(path, text, error.span().unwrap_or(0..0), message)
    }
}

impl std::error::Error for FileError {}

impl fmt::Display for FileError {
    /// `path:line:column: message`, then the line and its carets, each line escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, after) = split_at_char(&self.source_line, self.column - 1);
        let before = escape::controls(before);
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {before}{}", escape::controls(after))?;
        write!(
            f,
            "{gutter} | {}{}",
            blank_like(&before),
            "^".repeat(self.width)
        )
    }
}

/// The line and column of `span`'s start in `text`, and the carets' width (up to the line's end).
fn locate(path: &Path, text: &str, span: Range<usize>, message: String) -> FileError {
    let start = char_boundary(text, span.start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = char_boundary(text, span.end.clamp(start, line_end));
    FileError {
        path: path.to_path_buf(),
        line: text[..start].matches('\n').count() + 1,
        column: text[line_start..start].chars().count() + 1,
        source_line: text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
        width: text[start..end].chars().count().max(1),
        message,
    }
}

/// The largest character boundary of `text` at or before `at`.
fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `s` split before its `n`th character (or at its end).
fn split_at_char(s: &str, n: usize) -> (&str, &str) {
    let at = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s.split_at(at)
}

/// Spaces as wide as `shown`, its tabs kept, so that carets line up under it.
fn blank_like(shown: &str) -> String {
    shown
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect()
}

/// A message of several lines ("invalid table header\nexpected `.`, `]`") on one.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ")
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant") with the
/// closest expected name suggested, when one is close; any other message as it is.
pub fn with_suggestion(message: &str) -> String {
    match unknown_name(message) {
        Some((typed, expected)) => format!(
            "{message}{}",
            suggest::did_you_mean(typed, expected.iter().copied())
        ),
        None => message.to_string(),
    }
}

/// The name typed and the names expected, from serde's unknown field or variant message.
fn unknown_name(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (typed, rest) = rest.split_once('`')?;
    let (_, expected) = rest.split_once("expected")?;
    Some((typed, expected.split('`').skip(1).step_by(2).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_for(text: &str) -> String {
        let err = toml::from_str::<super::super::FileConfig>(text).unwrap_err();
        FileError::new(Path::new("goaudit.toml"), text, &err).to_string()
    }

    #[test]
    fn a_misspelt_key_shows_its_line_a_caret_and_the_key_meant() {
        let shown = error_for("tests = true\nfail_on = \"high\"\n");
        let expected = "goaudit.toml:2:1: unknown field `fail_on`, expected one of `exclude`, `tests`, `fail-on`, `new-code`, `preview`, `rules`, `tools`, `llm` (did you mean `fail-on`?)\n  |\n2 | fail_on = \"high\"\n  | ^^^^^^^";
        assert_eq!(shown, expected);
    }

    #[test]
    fn a_syntax_error_at_the_end_of_the_file_points_past_the_last_character() {
        let shown = error_for("[rules]\nselect = [\"a\",");
        assert!(shown.starts_with("goaudit.toml:2:15: "), "{shown}");
        assert!(
            shown.ends_with("2 | select = [\"a\",\n  |               ^"),
            "{shown}"
        );
    }

    #[test]
    fn carets_line_up_under_tabs_and_wide_characters() {
        let shown = error_for("\t# é\n\tfail_on = 1\n");
        assert!(
            shown.ends_with("2 | \tfail_on = 1\n  | \t^^^^^^^"),
            "{shown}"
        );
        let shown = error_for("exclude = [\"é\", 3]\n");
        assert!(shown.contains(":1:17: "), "{shown}");
    }

    #[test]
    fn control_characters_in_the_line_are_escaped_and_the_caret_follows() {
        let shown = error_for("a\u{1b} = 1\n");
        assert!(shown.contains("1 | a\\x1b = 1"), "{shown}");
    }

    #[test]
    fn only_unknown_names_get_a_suggestion() {
        assert_eq!(
            with_suggestion("unknown variant `errchek`, expected `errcheck` or `all`"),
            "unknown variant `errchek`, expected `errcheck` or `all` (did you mean `errcheck`?)"
        );
        assert_eq!(
            with_suggestion("invalid type: integer `3`, expected a string"),
            "invalid type: integer `3`, expected a string"
        );
        assert_eq!(
            with_suggestion("unknown field `zzz`, expected `threshold`"),
            "unknown field `zzz`, expected `threshold`"
        );
    }
}
