//! A parsed file's syntax tree as a flat array, built from tree-sitter's tree in one walk.
//!
//! tree-sitter keeps a compressed tree and computes a node's position, parent and children each
//! time they are asked for: every child step re-sums sibling sizes, and `parent()` descends from
//! the root again. goaudit's rules walk each tree many times, so after parsing, [`SyntaxTree::new`]
//! copies the visible nodes into a vector in pre-order with their kind, field, flags, positions,
//! parent and children, and drops tree-sitter's tree. A [`Node`] is then an index: stepping to a
//! child, a sibling or the parent is an array read, and a subtree is a contiguous range of the
//! vector, so a pre-order walk is a loop over indexes.
//!
//! [`Node`] and [`TreeCursor`] keep tree-sitter's method names and meanings (`kind_id`,
//! `child_by_field_id`, `named_children`, `goto_first_child`...), so code reads as before.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU16;
use std::ops::Range;
use std::sync::OnceLock;
pub use tree_sitter::Point;

const NONE: u32 = u32::MAX;

const NAMED: u8 = 1;
const EXTRA: u8 = 2;
const ERROR: u8 = 4;
const MISSING: u8 = 8;
const HAS_ERROR: u8 = 16;

/// One visible node of the tree.
#[derive(Clone, Copy)]
struct NodeData {
    kind: u16,
    /// The field this node fills in its parent (0: none).
    field: u16,
    flags: u8,
    start_byte: u32,
    end_byte: u32,
    start: (u32, u32),
    end: (u32, u32),
    parent: u32,
    /// This node's position among its parent's children.
    index: u32,
    /// Its children: `kids[first_kid..first_kid + kid_count]`.
    first_kid: u32,
    kid_count: u32,
    /// Its named children: `named[first_named..first_named + named_count]`.
    first_named: u32,
    named_count: u32,
    /// One past the last node of its subtree (nodes are stored in pre-order).
    subtree_end: u32,
}

/// A file's syntax tree: its visible nodes in pre-order, the root first.
pub struct SyntaxTree {
    nodes: Vec<NodeData>,
    kids: Vec<u32>,
    named: Vec<u32>,
}

impl SyntaxTree {
    /// Copies tree-sitter's tree (its visible nodes, as its cursor walks them) into the array.
    pub fn new(tree: &tree_sitter::Tree) -> SyntaxTree {
        let mut nodes = Vec::with_capacity(tree.root_node().end_byte() / 3 + 16);
        let mut open: Vec<u32> = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let id = nodes.len() as u32;
            nodes.push(node_data(&cursor, open.last().copied().unwrap_or(NONE)));
            if cursor.goto_first_child() {
                open.push(id);
                continue;
            }
            nodes[id as usize].subtree_end = id + 1;
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
                let closed = open.pop().expect("a parent for every goto_parent");
                nodes[closed as usize].subtree_end = nodes.len() as u32;
            }
        }
        let end = nodes.len() as u32;
        for id in open {
            nodes[id as usize].subtree_end = end;
        }
        let (kids, named) = link_children(&mut nodes);
        SyntaxTree { nodes, kids, named }
    }

    /// Parses `text` with a fresh parser: for tests and one-off snippets.
    pub fn parse(text: &str) -> SyntaxTree {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&crate::syntax::language())
            .expect("tree-sitter-go's ABI matches tree-sitter (tested)");
        let tree = parser.parse(text, None).expect("no timeout or cancel set");
        SyntaxTree::new(&tree)
    }

    pub fn root_node(&self) -> Node<'_> {
        Node { tree: self, id: 0 }
    }

    /// How many nodes the tree holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

fn node_data(cursor: &tree_sitter::TreeCursor, parent: u32) -> NodeData {
    let n = cursor.node();
    let flags = (n.is_named() as u8 * NAMED)
        | (n.is_extra() as u8 * EXTRA)
        | (n.is_error() as u8 * ERROR)
        | (n.is_missing() as u8 * MISSING)
        | (n.has_error() as u8 * HAS_ERROR);
    let (s, e) = (n.start_position(), n.end_position());
    NodeData {
        kind: n.kind_id(),
        field: cursor.field_id().map_or(0, NonZeroU16::get),
        flags,
        start_byte: n.start_byte() as u32,
        end_byte: n.end_byte() as u32,
        start: (s.row as u32, s.column as u32),
        end: (e.row as u32, e.column as u32),
        parent,
        index: 0,
        first_kid: 0,
        kid_count: 0,
        first_named: 0,
        named_count: 0,
        subtree_end: 0,
    }
}

/// Fills each node's child lists from the parent links: counts, offsets, then one pass in
/// pre-order (which meets a node's children in their order).
fn link_children(nodes: &mut [NodeData]) -> (Vec<u32>, Vec<u32>) {
    for id in 1..nodes.len() {
        let (parent, named) = (nodes[id].parent as usize, nodes[id].flags & NAMED != 0);
        nodes[parent].kid_count += 1;
        nodes[parent].named_count += named as u32;
    }
    let (mut kid_at, mut named_at) = (0u32, 0u32);
    for n in nodes.iter_mut() {
        n.first_kid = kid_at;
        n.first_named = named_at;
        kid_at += n.kid_count;
        named_at += n.named_count;
    }
    let mut kids = vec![0u32; kid_at as usize];
    let mut named = vec![0u32; named_at as usize];
    let mut filled_kids = vec![0u32; nodes.len()];
    let mut filled_named = vec![0u32; nodes.len()];
    for id in 1..nodes.len() {
        let parent = nodes[id].parent as usize;
        let slot = filled_kids[parent];
        filled_kids[parent] += 1;
        kids[(nodes[parent].first_kid + slot) as usize] = id as u32;
        nodes[id].index = slot;
        if nodes[id].flags & NAMED != 0 {
            named[(nodes[parent].first_named + filled_named[parent]) as usize] = id as u32;
            filled_named[parent] += 1;
        }
    }
    (kids, named)
}

/// The grammar's kind names, indexed by kind id.
fn kind_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let language = crate::syntax::language();
        (0..language.node_kind_count() as u16)
            .map(|id| language.node_kind_for_id(id).unwrap_or("").to_string())
            .collect()
    })
}

/// A node of a [`SyntaxTree`]: a copyable handle, as cheap to move as an index.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t SyntaxTree,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.tree, other.tree)
    }
}

impl Eq for Node<'_> {}

impl Hash for Node<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state)
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start_position(), self.end_position());
        write!(
            f,
            "{{{} ({}, {}) - ({}, {})}}",
            self.kind(),
            s.row,
            s.column,
            e.row,
            e.column
        )
    }
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t NodeData {
        &self.tree.nodes[self.id as usize]
    }

    fn at(&self, id: u32) -> Node<'t> {
        Node {
            tree: self.tree,
            id,
        }
    }

    /// Unique among the nodes of every tree alive at once (the address of its record).
    pub fn id(&self) -> usize {
        self.data() as *const NodeData as usize
    }

    /// The node's position in its tree's pre-order: 0 for the root.
    pub fn index(&self) -> usize {
        self.id as usize
    }

    /// One past the pre-order index of the last node of this subtree.
    pub fn subtree_end(&self) -> usize {
        self.data().subtree_end as usize
    }

    pub fn kind_id(&self) -> u16 {
        self.data().kind
    }

    pub fn kind(&self) -> &'static str {
        if self.is_error() {
            return "ERROR";
        }
        kind_names()
            .get(self.data().kind as usize)
            .map_or("", String::as_str)
    }

    pub fn is_named(&self) -> bool {
        self.data().flags & NAMED != 0
    }

    pub fn is_extra(&self) -> bool {
        self.data().flags & EXTRA != 0
    }

    pub fn is_error(&self) -> bool {
        self.data().flags & ERROR != 0
    }

    pub fn is_missing(&self) -> bool {
        self.data().flags & MISSING != 0
    }

    pub fn has_error(&self) -> bool {
        self.data().flags & HAS_ERROR != 0
    }

    pub fn start_byte(&self) -> usize {
        self.data().start_byte as usize
    }

    pub fn end_byte(&self) -> usize {
        self.data().end_byte as usize
    }

    pub fn byte_range(&self) -> Range<usize> {
        self.start_byte()..self.end_byte()
    }

    pub fn start_position(&self) -> Point {
        let (row, column) = self.data().start;
        Point::new(row as usize, column as usize)
    }

    pub fn end_position(&self) -> Point {
        let (row, column) = self.data().end;
        Point::new(row as usize, column as usize)
    }

    pub fn range(&self) -> tree_sitter::Range {
        tree_sitter::Range {
            start_byte: self.start_byte(),
            end_byte: self.end_byte(),
            start_point: self.start_position(),
            end_point: self.end_position(),
        }
    }

    fn kid_ids(&self) -> &'t [u32] {
        let d = self.data();
        &self.tree.kids[d.first_kid as usize..(d.first_kid + d.kid_count) as usize]
    }

    fn named_ids(&self) -> &'t [u32] {
        let d = self.data();
        &self.tree.named[d.first_named as usize..(d.first_named + d.named_count) as usize]
    }

    pub fn child_count(&self) -> u32 {
        self.data().kid_count
    }

    pub fn named_child_count(&self) -> usize {
        self.data().named_count as usize
    }

    pub fn child(&self, i: u32) -> Option<Node<'t>> {
        self.kid_ids().get(i as usize).map(|&id| self.at(id))
    }

    pub fn named_child(&self, i: u32) -> Option<Node<'t>> {
        self.named_ids().get(i as usize).map(|&id| self.at(id))
    }

    /// The first child in field `field`.
    pub fn child_by_field_id(&self, field: u16) -> Option<Node<'t>> {
        let nodes = &self.tree.nodes;
        self.kid_ids()
            .iter()
            .find(|&&id| nodes[id as usize].field == field)
            .map(|&id| self.at(id))
    }

    pub fn child_by_field_name(&self, name: &str) -> Option<Node<'t>> {
        self.child_by_field_id(crate::syntax::field_id(name)?)
    }

    /// Every child in field `field`, in order; the cursor is kept for tree-sitter's signature.
    pub fn children_by_field_id(
        &self,
        field: NonZeroU16,
        _cursor: &mut TreeCursor<'t>,
    ) -> impl Iterator<Item = Node<'t>> + 't {
        let (tree, nodes, field) = (self.tree, &self.tree.nodes, field.get());
        self.kid_ids()
            .iter()
            .filter(move |&&id| nodes[id as usize].field == field)
            .map(move |&id| Node { tree, id })
    }

    /// The field this node fills in its parent.
    pub fn field_id(&self) -> Option<NonZeroU16> {
        NonZeroU16::new(self.data().field)
    }

    /// All children; the cursor argument is kept for tree-sitter's signature and not used.
    pub fn children(
        &self,
        _cursor: &mut TreeCursor<'t>,
    ) -> impl ExactSizeIterator<Item = Node<'t>> + 't {
        let tree = self.tree;
        self.kid_ids().iter().map(move |&id| Node { tree, id })
    }

    /// The named children; the cursor argument is kept for tree-sitter's signature and not used.
    pub fn named_children(
        &self,
        _cursor: &mut TreeCursor<'t>,
    ) -> impl ExactSizeIterator<Item = Node<'t>> + 't {
        let tree = self.tree;
        self.named_ids().iter().map(move |&id| Node { tree, id })
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        let p = self.data().parent;
        (p != NONE).then(|| self.at(p))
    }

    fn siblings(&self) -> &'t [u32] {
        self.parent().map_or(&[], |p| p.kid_ids())
    }

    pub fn next_sibling(&self) -> Option<Node<'t>> {
        let i = self.data().index as usize;
        self.siblings().get(i + 1).map(|&id| self.at(id))
    }

    pub fn prev_sibling(&self) -> Option<Node<'t>> {
        let i = self.data().index as usize;
        let prev = i.checked_sub(1)?;
        self.siblings().get(prev).map(|&id| self.at(id))
    }

    pub fn next_named_sibling(&self) -> Option<Node<'t>> {
        let i = self.data().index as usize;
        let siblings = self.siblings();
        siblings
            .get(i + 1..)?
            .iter()
            .map(|&id| self.at(id))
            .find(Node::is_named)
    }

    pub fn prev_named_sibling(&self) -> Option<Node<'t>> {
        let i = self.data().index as usize;
        self.siblings()
            .get(..i)?
            .iter()
            .rev()
            .map(|&id| self.at(id))
            .find(Node::is_named)
    }

    /// The smallest node holding `start..end` (tree-sitter's rule: a node ending at `start`
    /// holds it only when it is empty).
    pub fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        if start > end {
            return None;
        }
        let mut node = *self;
        'descend: loop {
            for child in node.kid_ids().iter().map(|&id| self.at(id)) {
                let (child_start, child_end) = (child.start_byte(), child.end_byte());
                let holds_end = if child_start == child_end {
                    child_end >= start
                } else {
                    child_end > start
                };
                if child_end < end || !holds_end {
                    continue;
                }
                if start < child_start {
                    break;
                }
                node = child;
                continue 'descend;
            }
            return Some(node);
        }
    }

    /// The nodes of this subtree in pre-order (document order), this node first.
    pub fn preorder(&self) -> impl ExactSizeIterator<Item = Node<'t>> + 't {
        let tree = self.tree;
        (self.id..self.data().subtree_end).map(move |id| Node { tree, id })
    }

    /// A cursor at this node.
    pub fn walk(&self) -> TreeCursor<'t> {
        TreeCursor {
            root: *self,
            node: *self,
        }
    }
}

/// tree-sitter's cursor over a [`SyntaxTree`]: moves to the first child, the next sibling or
/// the parent, never above the node it started from.
pub struct TreeCursor<'t> {
    root: Node<'t>,
    node: Node<'t>,
}

impl<'t> TreeCursor<'t> {
    pub fn node(&self) -> Node<'t> {
        self.node
    }

    pub fn field_id(&self) -> Option<NonZeroU16> {
        if self.node == self.root {
            return None;
        }
        self.node.field_id()
    }

    pub fn reset(&mut self, node: Node<'t>) {
        self.root = node;
        self.node = node;
    }

    pub fn goto_first_child(&mut self) -> bool {
        match self.node.child(0) {
            Some(child) => {
                self.node = child;
                true
            }
            None => false,
        }
    }

    pub fn goto_next_sibling(&mut self) -> bool {
        if self.node == self.root {
            return false;
        }
        match self.node.next_sibling() {
            Some(next) => {
                self.node = next;
                true
            }
            None => false,
        }
    }

    pub fn goto_parent(&mut self) -> bool {
        if self.node == self.root {
            return false;
        }
        match self.node.parent() {
            Some(parent) => {
                self.node = parent;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node of the copy answers as tree-sitter's own node does.
    #[test]
    fn the_copy_answers_as_tree_sitter_does() {
        let src = "package p\n\n// c\nfunc f(a, b int) (x int, err error) {\n\tif a > b { return a, nil }\n\tg(a)[0].h = \"s\"\n\tfunc( {\n}\n";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&crate::syntax::language()).unwrap();
        let ts = parser.parse(src, None).unwrap();
        let copy = SyntaxTree::new(&ts);
        let mut theirs = Vec::new();
        let mut stack = vec![ts.root_node()];
        while let Some(n) = stack.pop() {
            theirs.push(n);
            let mut c = n.walk();
            let kids: Vec<_> = n.children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        let ours: Vec<Node> = copy.root_node().preorder().collect();
        assert_eq!(ours.len(), theirs.len());
        for (o, t) in ours.iter().zip(&theirs) {
            assert_eq!(o.kind(), t.kind());
            assert_eq!(o.kind_id(), t.kind_id());
            assert_eq!(o.byte_range(), t.byte_range());
            assert_eq!(o.start_position(), t.start_position());
            assert_eq!(o.end_position(), t.end_position());
            assert_eq!(
                (o.is_named(), o.is_extra(), o.is_error(), o.is_missing()),
                (t.is_named(), t.is_extra(), t.is_error(), t.is_missing())
            );
            assert_eq!(o.has_error(), t.has_error());
            assert_eq!(o.child_count(), t.child_count());
            assert_eq!(o.named_child_count(), t.named_child_count());
            for i in 0..t.named_child_count() as u32 {
                assert_eq!(
                    o.named_child(i).unwrap().byte_range(),
                    t.named_child(i).unwrap().byte_range()
                );
            }
            for f in 1..=crate::syntax::language().field_count() as u16 {
                assert_eq!(
                    o.child_by_field_id(f).map(|n| n.byte_range()),
                    t.child_by_field_id(f).map(|n| n.byte_range()),
                    "field {f} of {}",
                    t.kind()
                );
            }
            assert_eq!(
                o.parent().map(|n| n.byte_range()),
                t.parent().map(|n| n.byte_range())
            );
            assert_eq!(
                o.next_named_sibling().map(|n| n.byte_range()),
                t.next_named_sibling().map(|n| n.byte_range())
            );
            assert_eq!(
                o.prev_sibling().map(|n| n.byte_range()),
                t.prev_sibling().map(|n| n.byte_range())
            );
        }
        for at in [0, 11, 20, 31, 40, 60, src.len()] {
            assert_eq!(
                copy.root_node()
                    .descendant_for_byte_range(at, at)
                    .map(|n| (n.kind(), n.byte_range())),
                ts.root_node()
                    .descendant_for_byte_range(at, at)
                    .map(|n| (n.kind(), n.byte_range())),
                "at {at}"
            );
        }
    }

    #[test]
    fn a_cursor_stays_inside_the_node_it_started_from() {
        let tree = SyntaxTree::parse("package p\n\nvar a, b = 1, 2\n");
        let decl = tree.root_node().named_child(1).unwrap();
        let mut c = decl.walk();
        assert!(c.field_id().is_none());
        assert!(c.goto_first_child());
        assert!(!c.goto_next_sibling() || c.node().parent() == Some(decl));
        while c.goto_next_sibling() {}
        assert!(c.goto_parent());
        assert_eq!(c.node(), decl);
        assert!(!c.goto_parent());
        assert!(!c.goto_next_sibling());
    }
}
