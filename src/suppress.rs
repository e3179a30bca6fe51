//! Suppression comments: `//nolint`, `//nolint:a,b // reason` (golangci-lint's syntax) and
//! `//goaudit:ignore a,b reason`, with golangci-lint's scopes: at a line's end, that line; on its
//! own line above a declaration or statement, that whole node; above `package`, the whole file.

use crate::catalogue::catalogue;
use crate::source::SourceFile;
use crate::syntax::kinds::k;
use crate::tree::preorder;
use serde::{Deserialize, Serialize};

mod unused;

pub use unused::Unused;

/// Which rules a suppression names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Names {
    All,
    Some(Vec<String>),
}

/// Which comment a suppression is written as.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Form {
    /// `//nolint`, golangci-lint's: its names are linters.
    Nolint,
    /// `//goaudit:ignore`: its names are goaudit's rules.
    GoauditIgnore,
}

/// One suppression comment, where it is written (1-based line and column, and that line's text)
/// and the lines it covers (1-based, inclusive).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Directive {
    form: Form,
    names: Names,
    line: usize,
    column: usize,
    line_text: String,
    first_line: usize,
    last_line: usize,
}

impl Directive {
    fn covers_line(&self, line: usize) -> bool {
        self.first_line <= line && line <= self.last_line
    }
}

/// The suppressions of one file, kept after its tree is dropped.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Suppressions {
    directives: Vec<Directive>,
}

impl Suppressions {
    /// Reads every suppression comment of a parsed file.
    pub fn of(file: &SourceFile) -> Suppressions {
        let Some(root) = file.root() else {
            return Suppressions::default();
        };
        if !file.text.contains("nolint") && !file.text.contains("goaudit:ignore") {
            return Suppressions::default();
        }
        let comment = crate::syntax::kind_id("comment");
        let mut directives = Vec::new();
        for node in preorder(root).filter(|n| n.kind_id() == comment) {
            let Some((form, names)) = parse_directive(file.node_text(node)) else {
                continue;
            };
            let line = node.start_position().row + 1;
            let column = node.start_position().column;
            let line_text = file.line_text(line);
            let before = &line_text[..column.min(line_text.len())];
            let (first_line, last_line) = if !before.trim().is_empty() {
                (line, line)
            } else {
                match following_node(node) {
                    Some(next) if next.is(k().package_clause) => (1, usize::MAX),
                    Some(next) => (line, next.end_position().row + 1),
                    None => (line, line),
                }
            };
            directives.push(Directive {
                form,
                names,
                line,
                column: column + 1,
                line_text: line_text.to_string(),
                first_line,
                last_line,
            });
        }
        Suppressions { directives }
    }

    /// Whether a finding of `rule` starting on `line` is suppressed.
    pub fn covers(&self, rule: &str, line: usize) -> bool {
        self.directives.iter().any(|d| {
            d.covers_line(line)
                && match &d.names {
                    Names::All => true,
                    Names::Some(names) => names.iter().any(|n| name_matches(n, rule)),
                }
        })
    }
}

/// An edit to a file's text: replace `start..end` (bytes) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The edit that silences `rule` on `line` (1-based) of `file`, the way golangci-lint reads it:
/// the rule added to the `//nolint:` list already ending the line; else `//nolint:rule` at the
/// line's end; or, when the line already ends in another comment, on a line of its own above
/// it (which covers the statement or declaration below). `None` when the line is not in the
/// file or a `//nolint` there names every linter already.
pub fn suppression_edit(file: &SourceFile, line: usize, rule: &str) -> Option<TextEdit> {
    if line == 0 || line > file.line_count() {
        return None;
    }
    let root = file.root()?;
    let line_text = file.line_text(line);
    let start = file.byte_at(line, 1);
    let comment = crate::syntax::kind_id("comment");
    let trailing = preorder(root).find(|n| {
        n.kind_id() == comment
            && n.start_position().row + 1 == line
            && !line_text[..n.start_position().column.min(line_text.len())]
                .trim()
                .is_empty()
    });
    let Some(trailing) = trailing else {
        let end = start + line_text.len();
        return Some(TextEdit {
            start: end,
            end,
            text: format!(" //nolint:{rule}"),
        });
    };
    let text = file.node_text(trailing);
    match parse_directive(text) {
        Some((Form::Nolint, Names::All)) => None,
        Some((Form::Nolint, Names::Some(_))) => {
            let list = text.find("nolint:")? + "nolint:".len();
            let len = text[list..]
                .find(char::is_whitespace)
                .unwrap_or(text.len() - list);
            let at = trailing.start_byte() + list + len;
            Some(TextEdit {
                start: at,
                end: at,
                text: format!(",{rule}"),
            })
        }
        _ => {
            let indent = &line_text[..line_text.len() - line_text.trim_start().len()];
            Some(TextEdit {
                start,
                end: start,
                text: format!("{indent}//nolint:{rule}\n"),
            })
        }
    }
}

/// The next sibling that is not a comment: the declaration or statement a comment sits above.
fn following_node(node: crate::tree::Node) -> Option<crate::tree::Node> {
    let mut next = node.next_named_sibling();
    while let Some(n) = next {
        if !n.is_comment() {
            return Some(n);
        }
        next = n.next_named_sibling();
    }
    None
}

/// Parses `//nolint...` or `//goaudit:ignore ...`; `None` for any other comment.
fn parse_directive(text: &str) -> Option<(Form, Names)> {
    let body = text.strip_prefix("//")?.trim_start();
    if let Some(rest) = body.strip_prefix("nolint") {
        if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t') {
            return Some((Form::Nolint, Names::All));
        }
        let list = rest.strip_prefix(':')?;
        let list = list.split_whitespace().next().unwrap_or("");
        return Some((Form::Nolint, names(list)));
    }
    if let Some(rest) = body.strip_prefix("goaudit:ignore") {
        let list = rest.split_whitespace().next().unwrap_or("all");
        return Some((Form::GoauditIgnore, names(list)));
    }
    None
}

fn names(list: &str) -> Names {
    let names: Vec<String> = list
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() || names.iter().any(|n| n == "all") {
        Names::All
    } else {
        Names::Some(names)
    }
}

/// A name covers a rule by its id, its category, a golangci-lint alias from the catalogue, or,
/// for an external tool's `tool/check` id, by the tool's name or the check's.
fn name_matches(name: &str, rule: &str) -> bool {
    if name.eq_ignore_ascii_case(rule) {
        return true;
    }
    if let Some((tool, check)) = rule.split_once('/') {
        return name.eq_ignore_ascii_case(tool) || name.eq_ignore_ascii_case(check);
    }
    catalogue().get(rule).is_some_and(|m| {
        m.category.eq_ignore_ascii_case(name)
            || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sup(text: &str) -> Suppressions {
        Suppressions::of(&SourceFile::parse(
            "x.go".into(),
            "x.go".into(),
            text.into(),
        ))
    }

    #[test]
    fn line_node_and_file_scopes() {
        let s = sup("package p\n\n//nolint:gocyclo // generated table\nfunc f() {\n\tg()\n}\n\nfunc h() { g() } //nolint\n");
        assert!(s.covers("cyclomatic-complexity", 4));
        assert!(s.covers("cyclomatic-complexity", 6));
        assert!(!s.covers("cognitive-complexity", 4));
        assert!(s.covers("anything", 8));
        assert!(!s.covers("anything", 9));
        let file = sup("//goaudit:ignore file-length huge table\npackage p\n");
        assert!(file.covers("file-length", 500));
        assert!(!file.covers("cyclomatic-complexity", 500));
    }

    /// The file after `suppression_edit` silenced `rule` on `line`, and whether it then does.
    fn suppressed(text: &str, line: usize, rule: &str) -> (String, bool) {
        let file = SourceFile::parse("x.go".into(), "x.go".into(), text.into());
        let e = suppression_edit(&file, line, rule).expect("an edit");
        let out = format!("{}{}{}", &text[..e.start], e.text, &text[e.end..]);
        let covers = sup(&out).covers(rule, line + usize::from(e.text.ends_with('\n')));
        (out, covers)
    }

    #[test]
    fn a_suppression_is_written_where_it_covers_the_line() {
        let (out, ok) = suppressed("package p\n\nfunc f() {\n\tg()\n}\n", 4, "unchecked-error");
        assert_eq!(
            out,
            "package p\n\nfunc f() {\n\tg() //nolint:unchecked-error\n}\n"
        );
        assert!(ok);
        let (out, ok) = suppressed(
            "package p\nfunc f() {\n\tg() //nolint:errcheck // why\n}\n",
            3,
            "ignored-error",
        );
        assert_eq!(
            out,
            "package p\nfunc f() {\n\tg() //nolint:errcheck,ignored-error // why\n}\n"
        );
        assert!(ok);
        let (out, ok) = suppressed(
            "package p\nfunc f() {\n\tg() // note\n}\n",
            3,
            "ignored-error",
        );
        assert_eq!(
            out,
            "package p\nfunc f() {\n\t//nolint:ignored-error\n\tg() // note\n}\n"
        );
        assert!(ok);
        let file = SourceFile::parse(
            "x.go".into(),
            "x.go".into(),
            "package p\nvar x = 1 //nolint\n".into(),
        );
        assert_eq!(suppression_edit(&file, 2, "r"), None);
        assert_eq!(suppression_edit(&file, 9, "r"), None);
    }

    #[test]
    fn tool_names_cover_their_checks() {
        assert!(name_matches("staticcheck", "staticcheck/SA4006"));
        assert!(name_matches("sa4006", "staticcheck/SA4006"));
        assert!(!name_matches("govet", "staticcheck/SA4006"));
    }

    #[test]
    fn other_comments_are_not_directives() {
        assert_eq!(parse_directive("// nolintish"), None);
        assert_eq!(parse_directive("// just a comment"), None);
        assert_eq!(
            parse_directive("//nolint"),
            Some((Form::Nolint, Names::All))
        );
    }
}
