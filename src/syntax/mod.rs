//! The Go grammar and iterative walks over its trees (never recursion: the standard library holds
//! a file nested about 7,000 levels deep, which would overflow a 2 MiB thread stack).

use crate::tree::Node;
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

/// Nodes of a subtree in pre-order (document order): a contiguous range of the tree's array.
pub fn preorder<'t>(node: Node<'t>) -> impl ExactSizeIterator<Item = Node<'t>> + 't {
    node.preorder()
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

/// The first ERROR or MISSING node in document order, if the tree has one.
pub fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        // Descend only into subtrees that contain an error.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

/// The name in a file's `package` clause.
pub fn package_name(root: Node<'_>, text: &str) -> Option<String> {
    let mut cursor = root.walk();
    let clause = root
        .named_children(&mut cursor)
        .find(|n| n.kind() == "package_clause")?;
    let name = clause.named_child(0)?;
    text.get(name.byte_range()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

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
