//! The Go grammar (`grammar/`): the language, its node kinds and fields (`kinds`). The bottom of
//! the pipeline: everything that reads a tree builds on it.

pub mod kinds;

use tree_sitter::Language;

pub fn language() -> Language {
    tree_sitter_go::LANGUAGE.into()
}

/// Resolves a named node kind to its id; 0 means the grammar has no such kind (tested).
pub fn kind_id(name: &str) -> u16 {
    language().id_for_node_kind(name, true)
}

/// Resolves a field name to its id; `None` means the grammar has no such field (tested).
pub fn field_id(name: &str) -> Option<u16> {
    language().field_id_for_name(name).map(|f| f.get())
}

/// The names a text calls (or instantiates): each identifier followed by one of `opens`, such
/// as `(` or `[` (a lexical over-approximation: conversions and declarations count too).
pub fn called_names<'s>(text: &'s str, opens: &'static [u8]) -> impl Iterator<Item = &'s str> {
    let b = text.as_bytes();
    let ident = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_' || !c.is_ascii();
    b.iter()
        .enumerate()
        .filter(|(_, c)| opens.contains(c))
        .filter_map(move |(i, _)| {
            let start = b[..i].iter().rposition(|c| !ident(c)).map_or(0, |p| p + 1);
            (start < i).then(|| &text[start..i])
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::preorder;

    #[test]
    fn grammar_loads_into_a_parser() {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&language()).expect("ABI compatible");
        let tree = p.parse("package p\n", None).unwrap();
        assert_eq!(tree.root_node().kind(), "source_file");
    }

    #[test]
    fn preorder_visits_every_node_of_a_deep_tree_without_recursion() {
        let mut src = String::from("package p\n\nconst deep = \"a\" +\n");
        for _ in 0..20000 {
            src.push_str("\t\"b\" +\n");
        }
        src.push_str("\t\"c\"\n");
        let mut p = tree_sitter::Parser::new();
        p.set_language(&language()).unwrap();
        let tree = p.parse(&src, None).unwrap();
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let copy =
                    crate::tree::SyntaxTree::new(&tree, &src, crate::tree::line_starts(&src));
                // The first string of the chain is the deepest node.
                let deepest = preorder(copy.root_node())
                    .find(|n| n.kind() == "interpreted_string_literal")
                    .map(|n| std::iter::successors(Some(n), |n| n.parent()).count());
                (preorder(copy.root_node()).count(), deepest)
            })
            .unwrap();
        let (count, deepest) = handle.join().unwrap();
        assert!(count > 20000);
        assert!(deepest > Some(20000));
    }
}
