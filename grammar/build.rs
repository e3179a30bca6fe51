//! Compiles the generated Go parser (`src/parser.c`) with the C compiler: the grammar's only build
//! step, so `cargo build` needs neither Node nor the tree-sitter CLI.
//!
//! It also writes `kinds.rs`, the one table of node-kind, field and token ids that every walk
//! compares with, read from the parser's own tables, so the ids are constants that can never
//! drift from the parser. A kind's id is what `Node::kind_id()` returns: the public symbol of the
//! first visible symbol of that name (tree-sitter's `ts_language_symbol_for_name`, which a test of
//! the crate using it checks against).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let src = Path::new("src");
    let parser = src.join("parser.c");
    cc::Build::new()
        .std("c11")
        .include(src)
        .file(&parser)
        .warnings(false)
        .compile("tree-sitter-go");
    println!("cargo:rerun-if-changed={}", parser.display());
    let text = std::fs::read_to_string(&parser).expect("read src/parser.c");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("kinds.rs"), kinds(&text)).expect("write kinds.rs");
}

/// One symbol of the parser: its enum name, its id, and its tables' entries.
#[derive(Default)]
struct Symbol {
    enum_name: String,
    id: u16,
    name: String,
    public: String,
    visible: bool,
    named: bool,
    supertype: bool,
}

/// The body of a C table `static const ... NAME[] = { ... };` (or an enum), its lines.
fn table<'t>(text: &'t str, start: &str) -> impl Iterator<Item = &'t str> {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("parser.c has no {start}"));
    let body = &text[at..];
    let end = body.find("\n};").expect("a C table ends with };");
    body[..end].lines().skip(1).map(str::trim)
}

/// `[sym_x] = ...` → (`sym_x`, `...` without its trailing comma).
fn entry(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (key, value) = rest.split_once("] = ")?;
    Some((key, value.trim_end_matches(',')))
}

/// A C string literal's value (the parser's names use only simple escapes).
fn c_string(lit: &str) -> String {
    let inner = &lit[1..lit.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn symbols(text: &str) -> Vec<Symbol> {
    let mut by_enum: BTreeMap<String, Symbol> = BTreeMap::new();
    by_enum.insert(
        "ts_builtin_sym_end".into(),
        Symbol {
            enum_name: "ts_builtin_sym_end".into(),
            ..Symbol::default()
        },
    );
    for line in table(text, "enum ts_symbol_identifiers {") {
        if let Some((name, id)) = line.trim_end_matches(',').split_once(" = ") {
            by_enum.insert(
                name.to_string(),
                Symbol {
                    enum_name: name.to_string(),
                    id: id.parse().expect("a symbol id"),
                    ..Symbol::default()
                },
            );
        }
    }
    for (key, value) in table(text, "ts_symbol_names[] = {").filter_map(entry) {
        by_enum.get_mut(key).expect("a named symbol").name = c_string(value);
    }
    for (key, value) in table(text, "ts_symbol_map[] = {").filter_map(entry) {
        by_enum.get_mut(key).expect("a mapped symbol").public = value.to_string();
    }
    metadata(text, &mut by_enum);
    let mut all: Vec<Symbol> = by_enum.into_values().collect();
    all.sort_by_key(|s| s.id);
    all
}

/// The `visible`, `named` and `supertype` flags of each symbol.
fn metadata(text: &str, by_enum: &mut BTreeMap<String, Symbol>) {
    let mut current: Option<String> = None;
    for line in table(text, "ts_symbol_metadata[] = {") {
        if let Some(key) = line.strip_prefix('[').and_then(|l| l.strip_suffix("] = {")) {
            current = Some(key.to_string());
        } else if let Some(sym) = current.as_ref().and_then(|c| by_enum.get_mut(c)) {
            match line {
                ".visible = true," => sym.visible = true,
                ".named = true," => sym.named = true,
                ".supertype = true," => sym.supertype = true,
                _ => {}
            }
        }
    }
}

/// The id `Node::kind_id()` gives nodes of `name`: the public symbol of the first visible
/// symbol of that name (as `ts_language_symbol_for_name` finds it).
fn public_id(all: &[Symbol], name: &str, named: bool) -> Option<u16> {
    let first = all
        .iter()
        .find(|s| (s.visible || s.supertype) && s.named == named && s.name == name)?;
    all.iter()
        .find(|s| s.enum_name == first.public)
        .map(|s| s.id)
}

/// A Rust field name for a kind or token: the grammar's name, or the enum's for tokens.
fn field_name(name: &str) -> String {
    match name {
        "true" | "false" | "type" | "func" | "for" | "if" | "else" | "struct" | "const" | "var"
        | "break" | "continue" | "return" | "match" | "in" | "fn" | "move" => format!("{name}_"),
        _ => name.to_string(),
    }
}

/// What the table holds of one id: its field in `Kinds`, the grammar's name, its id, and its doc.
struct Id {
    field: String,
    name: String,
    id: u16,
    doc: String,
}

/// Every visible named kind, by its grammar name.
fn named_kinds(all: &[Symbol]) -> Vec<Id> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for s in all.iter().filter(|s| s.named && s.visible && s.id != 0) {
        if seen.insert(s.name.clone()) {
            out.push(Id {
                field: field_name(&s.name),
                name: s.name.clone(),
                id: public_id(all, &s.name, true).expect("a visible named symbol"),
                doc: format!("the `{}` node", s.name),
            });
        }
    }
    out
}

/// Every visible anonymous token, named `t_` and the parser's name for it.
fn tokens(all: &[Symbol]) -> Vec<Id> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for s in all.iter().filter(|s| !s.named && s.visible) {
        let Some(suffix) = s.enum_name.strip_prefix("anon_sym_") else {
            continue;
        };
        let field = format!("t_{}", suffix.to_ascii_lowercase());
        if seen.insert(field.clone()) {
            out.push(Id {
                field,
                name: s.name.clone(),
                id: public_id(all, &s.name, false).expect("a visible token"),
                doc: format!("the `{}` token", s.name.escape_default()),
            });
        }
    }
    out
}

/// Every field, named `f_` and its name.
fn fields(text: &str) -> Vec<Id> {
    table(text, "enum ts_field_identifiers {")
        .filter_map(|l| l.trim_end_matches(',').split_once(" = "))
        .map(|(name, id)| {
            let name = name.trim_start_matches("field_");
            Id {
                field: format!("f_{name}"),
                name: name.to_string(),
                id: id.parse().expect("a field id"),
                doc: format!("the `{name}` field"),
            }
        })
        .collect()
}

fn kinds(text: &str) -> String {
    let all = symbols(text);
    let (named, tokens, fields) = (named_kinds(&all), tokens(&all), fields(text));
    let mut s = String::from(
        "/// The grammar's ids, generated from its parser: every named node kind by its name (`_`\n\
         /// after a Rust keyword), every anonymous token as `t_` and the parser's name for it, and\n\
         /// every field as `f_` and its name.\n\
         #[derive(Debug)]\npub struct Kinds {\n",
    );
    let every = || named.iter().chain(&tokens).chain(&fields);
    for i in every() {
        let _ = writeln!(s, "    /// {}\n    pub {}: u16,", i.doc, i.field);
    }
    s.push_str("}\n\n/// The ids of the Go grammar.\npub const KINDS: Kinds = Kinds {\n");
    for i in every() {
        let _ = writeln!(s, "    {}: {},", i.field, i.id);
    }
    s.push_str("};\n");
    for (table, what, ids) in [
        ("NAMED", "named kind", &named),
        ("TOKENS", "anonymous token", &tokens),
        ("FIELDS", "field", &fields),
    ] {
        let _ = writeln!(s, "\n/// Every {what}: the grammar's name and the id in `KINDS`.\npub const {table}: &[(&str, u16)] = &[");
        for i in ids {
            let _ = writeln!(s, "    ({:?}, {}),", i.name, i.id);
        }
        s.push_str("];\n");
    }
    let statements: Vec<String> = named
        .iter()
        .filter(|i| i.name.ends_with("_statement") || i.name.ends_with("_declaration"))
        .map(|i| i.id.to_string())
        .collect();
    let _ = writeln!(
        s,
        "\n/// Whether a kind is a statement (`..._statement`) or a declaration (`..._declaration`).\npub fn statement_or_declaration(kind: u16) -> bool {{\n    matches!(kind, {})\n}}",
        statements.join(" | ")
    );
    s
}
