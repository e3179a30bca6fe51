//! What the Go compiler's parser rejects but the tree-sitter grammar, lenient by design, accepts
//! without an ERROR node: a file without a package clause or with a second one, a statement or an
//! import after the declarations at top level, an unknown escape in a string or rune, whitespace Go
//! does not know (a vertical tab, a form feed, a no-break space) or a byte order mark after the
//! start, `defer` or `go` of something that is not a call, and a newline where Go's automatic
//! semicolon ends a construct the grammar continued (a newline inside a receiver or an argument
//! list, before the `{` of an `if`, or before an `else`); named and unnamed parameters mixed, a
//! range over three variables, a label with no statement before the next `case`.
//!
//! One pass over the tree's nodes; the earliest violation wins, as go/parser reports its first
//! error. `tests/grammar_parity.rs` holds the result to go/parser's over the Go distribution.

use crate::syntax::kinds::k;
use crate::tree::Node;

/// The first place where the file breaks a rule of Go's syntax that the grammar does not enforce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Byte offset of the offending token.
    pub byte: usize,
    pub message: String,
}

/// The earliest violation in the file, if any.
pub fn first_violation(root: Node<'_>, text: &str) -> Option<Violation> {
    let mut found = Found::default();
    top_level(root, text, &mut found);
    bom_after_start(text, &mut found);
    Walk::new(text).run(root, &mut found);
    found.first
}

/// Keeps the earliest violation.
#[derive(Default)]
struct Found {
    first: Option<Violation>,
}

impl Found {
    fn add(&mut self, byte: usize, message: impl Into<String>) {
        if self.first.as_ref().is_none_or(|v| byte < v.byte) {
            self.first = Some(Violation {
                byte,
                message: message.into(),
            });
        }
    }
}

/// The order Go requires at top level: one package clause first, then imports, then
/// declarations; never a statement.
fn top_level(root: Node<'_>, text: &str, found: &mut Found) {
    let k = k();
    let mut seen_package = false;
    let mut seen_declaration = false;
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        let kind = child.kind_id();
        if kind == k.comment || !child.is_named() {
            continue;
        }
        let at = child.start_byte();
        if !seen_package {
            if kind != k.package_clause {
                found.add(at, "expected `package` clause first");
                return;
            }
            seen_package = true;
        } else if kind == k.package_clause {
            found.add(at, "a second `package` clause");
        } else if kind == k.import_declaration {
            if seen_declaration {
                found.add(at, "imports must appear before other declarations");
            }
        } else if [
            k.function_declaration,
            k.method_declaration,
            k.const_declaration,
            k.var_declaration,
            k.type_declaration,
        ]
        .contains(&kind)
        {
            seen_declaration = true;
        } else {
            found.add(at, "expected declaration, found a statement");
        }
    }
    if !seen_package {
        // go/parser places the end of file after the last line's text.
        let end = text.trim_end_matches(['\n', '\r']).len();
        found.add(end, "expected `package` clause, found end of file");
    }
}

/// go/scanner rejects a byte order mark anywhere but at the very start, even in a comment.
fn bom_after_start(text: &str, found: &mut Found) {
    const BOM: &str = "\u{feff}";
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    if let Some(at) = memchr::memmem::find(&text.as_bytes()[start..], BOM.as_bytes()) {
        found.add(
            start + at,
            "invalid byte order mark in the middle of the file",
        );
    }
}

/// The one pass over every node: escapes, runes, `defer`/`go` operands, the whitespace between
/// tokens, and newlines where Go inserts a semicolon.
struct Walk<'s> {
    text: &'s str,
    /// Whether a newline came after the last token that was not a comment.
    newline_since: bool,
    /// Where the previous token (comments included) ended.
    gap_start: usize,
}

impl<'s> Walk<'s> {
    fn new(text: &'s str) -> Self {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Walk {
            text,
            newline_since: false,
            gap_start: bom,
        }
    }

    fn run<'t>(mut self, root: Node<'t>, found: &mut Found) {
        let k = k();
        let mut last: Option<Node<'t>> = None;
        for node in root.preorder() {
            let kind = node.kind_id();
            if kind == k.escape_sequence {
                if let Some(msg) = escape_error(&self.text[node.byte_range()], b'"') {
                    found.add(node.start_byte(), msg);
                }
            } else if kind == k.rune_literal {
                if let Some(msg) = rune_error(&self.text[node.byte_range()]) {
                    found.add(node.start_byte(), msg);
                }
            } else if kind == k.defer_statement || kind == k.go_statement {
                defer_operand(node, found);
            } else if kind == k.parameter_list {
                parameter_names(node, found);
            } else if kind == k.range_clause {
                range_variables(node, found);
            } else if kind == k.labeled_statement {
                label_before_case(node, found);
            }
            if node.child_count() == 0 && !node.is_missing() {
                self.gap(node.start_byte(), found);
                self.token(node, &mut last, found);
                self.gap_start = node.end_byte().max(self.gap_start);
            }
        }
        self.gap(self.text.len(), found);
    }

    /// The bytes between two tokens are extras: Go knows only space, tab, CR and LF there.
    fn gap(&mut self, end: usize, found: &mut Found) {
        let Some(gap) = self.text.get(self.gap_start..end) else {
            return;
        };
        for (i, c) in gap.char_indices() {
            match c {
                '\n' => self.newline_since = true,
                ' ' | '\t' | '\r' => {}
                _ => {
                    found.add(
                        self.gap_start + i,
                        format!("invalid character {c:?} between tokens"),
                    );
                    return;
                }
            }
        }
    }

    fn token<'t>(&mut self, node: Node<'t>, last: &mut Option<Node<'t>>, found: &mut Found) {
        let k = k();
        let text = &self.text[node.byte_range()];
        if node.kind_id() == k.comment {
            if text.contains('\n') {
                self.newline_since = true;
            }
            return;
        }
        if text == "\n" || text == ";" {
            *last = None;
            self.newline_since = false;
            return;
        }
        if self.newline_since {
            if let Some(prev) = *last {
                if let Some(msg) = semicolon_breaks(prev, node, self.text) {
                    found.add(prev.end_byte(), msg);
                }
            }
        }
        *last = Some(node);
        self.newline_since = false;
    }
}

/// `defer` and `go` take a call, not parenthesized (go/parser: "expression in defer must be
/// function call").
fn defer_operand(stmt: Node<'_>, found: &mut Found) {
    let k = k();
    let mut cursor = stmt.walk();
    let Some(operand) = stmt
        .named_children(&mut cursor)
        .find(|n| n.kind_id() != k.comment)
    else {
        return;
    };
    if operand.kind_id() != k.call_expression && operand.kind_id() != k.type_conversion_expression {
        let keyword = stmt.child(0).map_or("defer", |n| n.kind());
        found.add(
            operand.start_byte(),
            format!("expression in {keyword} must be function call"),
        );
    }
}

/// Parameters are all named or all unnamed. The grammar reads `(a, b int)` either as one
/// declaration with two names or as two bare types and a named one; go/parser reads the bare
/// ones as names sharing the next type, so a bare one is wrong only when no named one follows
/// it ("missing parameter type"), when it is not a plain identifier ("missing parameter name"),
/// or when the type it would share is variadic ("can only use ... with final parameter").
fn parameter_names(list: Node<'_>, found: &mut Found) {
    let k = k();
    let mut cursor = list.walk();
    let params: Vec<Node<'_>> = list
        .named_children(&mut cursor)
        .filter(|n| n.kind_id() != k.comment)
        .collect();
    let named = |p: &Node<'_>| p.child_by_field_id(k.f_name).is_some();
    if !params.iter().any(named) {
        return;
    }
    for (i, p) in params.iter().enumerate().filter(|(_, p)| !named(p)) {
        let message = match params[i + 1..].iter().find(|p| named(p)) {
            None => "missing parameter type",
            Some(n) if n.kind_id() == k.variadic_parameter_declaration => {
                "can only use ... with final parameter"
            }
            Some(_) if !is_bare_name(*p) => "missing parameter name",
            Some(_) => continue,
        };
        found.add(p.start_byte(), message);
        return;
    }
}

/// A parameter declaration that is a lone identifier, which go/parser may read as a name.
fn is_bare_name(param: Node<'_>) -> bool {
    param.kind_id() != k().variadic_parameter_declaration
        && param.named_child_count() == 1
        && param
            .named_child(0)
            .is_some_and(|t| t.kind_id() == k().type_identifier)
}

/// A range clause assigns at most two variables (go/parser: "expected at most 2 expressions").
fn range_variables(clause: Node<'_>, found: &mut Found) {
    let k = k();
    let Some(left) = clause.child_by_field_id(k.f_left) else {
        return;
    };
    let mut cursor = left.walk();
    if let Some(third) = left
        .named_children(&mut cursor)
        .filter(|n| n.kind_id() != k.comment)
        .nth(2)
    {
        found.add(third.start_byte(), "expected at most 2 expressions");
    }
}

/// A label needs a statement after it: before `}` the empty statement counts, before the next
/// `case` or `default` nothing does (go/parser: "expected statement, found 'case'").
fn label_before_case(label: Node<'_>, found: &mut Found) {
    let k = k();
    let code = |n: &Node<'_>| n.kind_id() != k.comment;
    let mut cursor = label.walk();
    if label.named_children(&mut cursor).filter(code).count() > 1 || next_code(label).is_some() {
        return;
    }
    let Some(clause) = label.parent().and_then(|list| list.parent()) else {
        return;
    };
    let cases = [
        k.expression_case,
        k.default_case,
        k.type_case,
        k.communication_case,
    ];
    if !cases.contains(&clause.kind_id()) {
        return;
    }
    if let Some(next) = next_code(clause) {
        found.add(
            next.start_byte(),
            "expected statement after the label, found a case",
        );
    }
}

/// The next named sibling that is not a comment.
fn next_code(node: Node<'_>) -> Option<Node<'_>> {
    std::iter::successors(node.next_named_sibling(), |n| n.next_named_sibling())
        .find(|n| n.kind_id() != k().comment)
}

/// When Go's lexer inserts a semicolon after `prev` at the newline before `next`, and the tree
/// continued one construct across it, the reason go/parser fails there; `None` when Go reads the
/// same text another valid way or inserts no semicolon.
fn semicolon_breaks(prev: Node<'_>, next: Node<'_>, text: &str) -> Option<String> {
    if !inserts_semicolon(prev, &text[prev.byte_range()]) {
        return None;
    }
    let next_text = &text[next.byte_range()];
    let mut context = common_ancestor(prev, next)?;
    if is_separated_list(context.kind_id()) {
        return None;
    }
    if next_text == "{" && is_header(context.kind_id()) {
        return Some("unexpected newline before `{`".into());
    }
    loop {
        let kind = context.kind_id();
        if is_bracketed(kind) {
            let what = context.kind().replace('_', " ");
            return Some(format!("unexpected newline in {what}"));
        }
        if is_separated_list(kind) {
            return (!can_follow_semicolon(next_text))
                .then(|| format!("unexpected newline before `{next_text}`"));
        }
        context = context.parent()?;
    }
}

/// Go's rule: a newline ends the line's last token with a semicolon when that token is an
/// identifier, a literal, `break`, `continue`, `fallthrough`, `return`, `++`, `--`, `)`, `]` or
/// `}`.
fn inserts_semicolon(token: Node<'_>, text: &str) -> bool {
    match text {
        ")" | "]" | "}" | "++" | "--" | "\"" | "`" => true,
        "break" | "continue" | "fallthrough" | "return" => true,
        _ if is_keyword(text) => false,
        _ => {
            token.kind_id() == k().float_literal
                || token.kind_id() == k().rune_literal
                || text
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        }
    }
}

fn is_keyword(text: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
    ];
    KEYWORDS.contains(&text)
}

/// Constructs whose parts a semicolon separates, where the grammar has a terminator of its own.
fn is_separated_list(kind: u16) -> bool {
    let k = k();
    [
        k.source_file,
        k.block,
        k.statement_list,
        k.field_declaration_list,
        k.interface_type,
        k.import_spec_list,
        k.const_declaration,
        k.var_spec_list,
        k.type_declaration,
        k.expression_switch_statement,
        k.type_switch_statement,
        k.select_statement,
        k.expression_case,
        k.default_case,
        k.type_case,
        k.communication_case,
    ]
    .contains(&kind)
}

/// Constructs between brackets, where a semicolon is never allowed.
fn is_bracketed(kind: u16) -> bool {
    let k = k();
    [
        k.argument_list,
        k.parameter_list,
        k.type_parameter_list,
        k.type_arguments,
        k.literal_value,
        k.parenthesized_expression,
        k.parenthesized_type,
        k.index_expression,
        k.slice_expression,
        k.type_conversion_expression,
        k.array_type,
        k.implicit_length_array_type,
    ]
    .contains(&kind)
}

/// Statements and declarations whose body follows a header on the same line.
fn is_header(kind: u16) -> bool {
    let k = k();
    [
        k.if_statement,
        k.for_statement,
        k.expression_switch_statement,
        k.type_switch_statement,
        k.function_declaration,
        k.method_declaration,
        k.func_literal,
    ]
    .contains(&kind)
}

/// Tokens that may start the next statement (or close the list) after an inserted semicolon.
fn can_follow_semicolon(token: &str) -> bool {
    !matches!(
        token,
        "." | ","
            | ":"
            | "="
            | ":="
            | ")"
            | "]"
            | "else"
            | "..."
            | "++"
            | "--"
            | "/"
            | "%"
            | "<<"
            | ">>"
            | "&^"
            | "=="
            | "!="
            | "<"
            | "<="
            | ">"
            | ">="
            | "&&"
            | "||"
            | "|"
    ) && !token.ends_with('=')
}

/// The smallest node spanning both tokens.
fn common_ancestor<'t>(a: Node<'t>, b: Node<'t>) -> Option<Node<'t>> {
    let mut node = a.parent()?;
    while node.end_byte() < b.end_byte() {
        node = node.parent()?;
    }
    Some(node)
}

/// Why a string's escape (`\n`, `\x41`, `\u00e9`, `\101`) is invalid, if it is; the token may
/// run past the escape (`\x41F` is `\x41` and `F`).
fn escape_error(escape: &str, quote: u8) -> Option<String> {
    let b = escape.as_bytes();
    let c = *b.get(1)?;
    let (digits, base, max) = match c {
        b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' => return None,
        b'"' | b'\'' if c == quote => return None,
        b'0'..=b'7' => (&b[1..], 8, 255),
        b'x' => (&b[2..], 16, 255),
        b'u' => (&b[2..], 16, 0x10ffff),
        b'U' => (&b[2..], 16, 0x10ffff),
        _ => return Some("unknown escape sequence".into()),
    };
    let want = match c {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        _ => 3,
    };
    let value = digits
        .iter()
        .take(want)
        .map(|d| (*d as char).to_digit(base))
        .collect::<Option<Vec<u32>>>()
        .filter(|v| v.len() == want)
        .map(|v| {
            v.iter()
                .fold(0u64, |acc, d| acc * u64::from(base) + u64::from(*d))
        });
    let is_code_point = matches!(c, b'u' | b'U');
    match value {
        None => Some("illegal character in escape sequence".into()),
        Some(v) if v > max && !is_code_point => Some("escape value > 255".into()),
        Some(v) if v > max || is_code_point && (0xd800..0xe000).contains(&v) => {
            Some("escape is invalid Unicode code point".into())
        }
        Some(_) => None,
    }
}

/// Why a rune literal is invalid: an escape Go does not know in it (the grammar accepts `'\"'`).
fn rune_error(rune: &str) -> Option<String> {
    let inner = rune.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.starts_with('\\') {
        escape_error(inner, b'\'')
    } else if inner == "\n" {
        Some("newline in rune literal".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of the file's `parse-error` and its message: an ERROR node of the grammar or, in
    /// a whole tree, the first violation.
    fn violation(src: &str) -> Option<(usize, String)> {
        let file = crate::source::SourceFile::parse("x.go".into(), "x.go".into(), src.into());
        file.problem.map(|p| (p.line, p.message))
    }

    #[test]
    fn valid_go_has_no_violation() {
        let src = "package p\n\nimport \"fmt\"\n\nfunc (r *T) M(a int,\n\tb string) {\n\tdefer fmt.Println(\"a\\tb\\x41F\\u00e9\\101\")\n\tx := '\\''\n\tif a > 0 {\n\t} else {\n\t}\n\t_ = x\n\tgo func() {}()\n}\n";
        assert_eq!(violation(src), None);
    }

    #[test]
    fn missing_second_and_misplaced_clauses_are_violations() {
        assert_eq!(violation("// only a comment\n").map(|v| v.0), Some(1));
        assert_eq!(violation("func f() {}\n").map(|v| v.0), Some(1));
        assert_eq!(violation("package p\npackage q\n").map(|v| v.0), Some(2));
        assert_eq!(violation("package p\nx := 1\n").map(|v| v.0), Some(2));
        assert_eq!(
            violation("package p\nfunc f() {}\nimport \"fmt\"\n").map(|v| v.0),
            Some(3)
        );
    }

    #[test]
    fn unknown_escapes_and_odd_whitespace_are_violations() {
        assert_eq!(
            violation("package p\nvar s = \"a\\qb\"\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\nvar r = '\\\"'\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\nvar s = \"\\400\"\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\n\x0bvar s = 1\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\n\u{a0}var s = 1\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(violation("\u{feff}package p\n"), None);
        assert_eq!(violation("package p\n// \u{feff}\n").map(|v| v.0), Some(2));
    }

    #[test]
    fn parameters_ranges_and_labels_follow_go_parser() {
        assert_eq!(
            violation("package p\nfunc g(a int, b)\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\nfunc g(*t, x t)\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\nfunc h(x, y ...int)\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\nfunc h(int, ...string) (a, b int)\n"),
            None
        );
        assert_eq!(
            violation("package p\nfunc h(a, b, c int, d ...string)\n"),
            None
        );
        let ranged = "package p\nfunc f() {\n\tfor i, j, k := range s {\n\t}\n}\n";
        assert_eq!(violation(ranged).map(|v| v.0), Some(3));
        let label =
            "package p\nfunc f() {\n\tswitch {\n\tcase true:\n\tL:\n\tdefault:\n\tM:\n\t}\n}\n";
        assert_eq!(violation(label).map(|v| v.0), Some(6));
    }

    #[test]
    fn escapes_are_read_as_go_scanner_reads_them() {
        for ok in [
            r"\n",
            r"\x41F",
            r"\101",
            r"\u00e9",
            r"\U0010ffff",
            r"\\",
            r#"\""#,
        ] {
            assert_eq!(escape_error(ok, b'"'), None, "{ok}");
        }
        for bad in [
            r"\q",
            r"\8",
            r"\12",
            r"\400",
            r"\xZ1",
            r"\ud800",
            r"\U00110000",
            r"\'",
        ] {
            assert!(escape_error(bad, b'"').is_some(), "{bad}");
        }
        assert_eq!(rune_error(r"'\''"), None);
        assert!(rune_error(r#"'\"'"#).is_some());
    }

    #[test]
    fn defer_and_go_take_calls() {
        assert_eq!(
            violation("package p\nfunc f() {\n\tdefer 1\n}\n").map(|v| v.0),
            Some(3)
        );
        assert_eq!(
            violation("package p\nfunc f() {\n\tgo f\n}\n").map(|v| v.0),
            Some(3)
        );
        assert_eq!(
            violation("package p\nfunc f() {\n\tdefer []byte(\"x\")\n}\n"),
            None
        );
    }

    #[test]
    fn a_newline_where_go_ends_the_construct_is_a_violation() {
        assert_eq!(
            violation("package p\nfunc (r T\n) M() {}\n").map(|v| v.0),
            Some(2)
        );
        assert_eq!(
            violation("package p\nfunc f() {\n\tg(1\n\t)\n}\n").map(|v| v.0),
            Some(3)
        );
        assert_eq!(
            violation("package p\nfunc f() {\n\tif true {\n\t}\n\telse {\n\t}\n}\n").map(|v| v.0),
            Some(5)
        );
        assert!(violation("package p\nfunc f()\n{\n}\n").is_some());
    }
}
