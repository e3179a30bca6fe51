//! A parsed file's syntax tree as a flat array, built from tree-sitter's tree in one walk.
//!
//! tree-sitter keeps a compressed tree and computes a node's position, parent and children each
//! time they are asked for: every child step re-sums sibling sizes, and `parent()` descends from
//! the root again. goaudit's rules walk each tree many times, so after parsing, [`SyntaxTree::new`]
//! copies the visible nodes into a vector in pre-order with their kind, field, flags, byte
//! range, parent and subtree end, and tree-sitter's tree is dropped. A [`Node`] is then an
//! index: its first child is the next index, its next sibling is where its subtree ends, its
//! parent is stored, and a subtree is a contiguous range of the vector, so a pre-order walk is a
//! loop over indexes. Rows and columns are computed from byte offsets and line starts.
//!
//! [`Node`] and [`TreeCursor`] keep tree-sitter's method names and meanings (`kind_id`,
//! `child_by_field_id`, `named_children`, `goto_first_child`...), so code reads as before.

use crate::syntax::kinds::k;
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

/// One visible node of the tree (24 bytes). Its children follow it in pre-order: the first
/// at the next index, each next one where the previous one's subtree ends.
#[derive(Clone, Copy)]
struct NodeData {
    kind: u16,
    /// The field this node fills in its parent (0: none).
    field: u16,
    flags: u8,
    start_byte: u32,
    end_byte: u32,
    parent: u32,
    /// One past the last node of its subtree.
    subtree_end: u32,
}

const _: () = assert!(std::mem::size_of::<NodeData>() == 24);

/// A file's syntax tree: its visible nodes in pre-order, the root first, and where each line
/// starts (positions are computed from byte offsets, as tree-sitter computes them).
pub struct SyntaxTree {
    nodes: Vec<NodeData>,
    line_starts: std::sync::Arc<[u32]>,
    /// The pre-order indexes of the root's children (the top-level declarations), ascending.
    top_level: Vec<u32>,
}

impl SyntaxTree {
    /// Copies tree-sitter's tree of `text` (its visible nodes, as its cursor walks them);
    /// `line_starts` are the byte offsets where the text's lines start ([`line_starts`]).
    pub fn new(
        tree: &tree_sitter::Tree,
        text: &str,
        line_starts: std::sync::Arc<[u32]>,
    ) -> SyntaxTree {
        let mut nodes = Vec::with_capacity(text.len() / 3 + 16);
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
        nodes.shrink_to_fit();
        let mut top_level = Vec::new();
        let mut next = 1;
        while next < end {
            top_level.push(next);
            next = nodes[next as usize].subtree_end;
        }
        SyntaxTree {
            nodes,
            line_starts,
            top_level,
        }
    }

    /// Parses `text` with a fresh parser: for tests and one-off snippets.
    pub fn parse(text: &str) -> SyntaxTree {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&crate::syntax::language())
            .expect("tree-sitter-go's ABI matches tree-sitter (tested)");
        let tree = parser.parse(text, None).expect("no timeout or cancel set");
        SyntaxTree::new(&tree, text, line_starts(text))
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

    /// Row and byte column of a byte offset, both from 0.
    fn point(&self, byte: u32) -> Point {
        let row = self.line_starts.partition_point(|&s| s <= byte).max(1) - 1;
        Point::new(row, (byte - self.line_starts[row]) as usize)
    }
}

/// The byte offsets where the lines of `text` start (the first is 0).
pub fn line_starts(text: &str) -> std::sync::Arc<[u32]> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
        .collect()
}

fn node_data(cursor: &tree_sitter::TreeCursor, parent: u32) -> NodeData {
    let n = cursor.node();
    let flags = (n.is_named() as u8 * NAMED)
        | (n.is_extra() as u8 * EXTRA)
        | (n.is_error() as u8 * ERROR)
        | (n.is_missing() as u8 * MISSING)
        | (n.has_error() as u8 * HAS_ERROR);
    NodeData {
        kind: n.kind_id(),
        field: cursor.field_id().map_or(0, NonZeroU16::get),
        flags,
        start_byte: n.start_byte() as u32,
        end_byte: n.end_byte() as u32,
        parent,
        subtree_end: 0,
    }
}

/// The children of a node: the first right after it, each next where the previous one's
/// subtree ends.
pub struct Children<'t> {
    tree: &'t SyntaxTree,
    next: u32,
    end: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.tree.nodes[id as usize].subtree_end;
        Some(Node {
            tree: self.tree,
            id,
        })
    }
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

    /// The child of the root this node belongs to (its top-level declaration), found by a
    /// binary search, so in time logarithmic in the file's declarations and not its depth;
    /// `None` for the root.
    pub fn top_level(&self) -> Option<Node<'t>> {
        let top = &self.tree.top_level;
        let i = top.partition_point(|&id| id <= self.id).checked_sub(1)?;
        Some(self.at(top[i]))
    }

    /// One past the pre-order index of the last node of this subtree.
    pub fn subtree_end(&self) -> usize {
        self.data().subtree_end as usize
    }

    /// The operand and the field of a selector expression (`x.m`); `None` for any other node.
    pub fn selector(&self) -> Option<(Node<'t>, Node<'t>)> {
        let k = crate::syntax::kinds::k();
        if self.kind_id() != k.selector_expression {
            return None;
        }
        Some((
            self.child_by_field_id(k.f_operand)?,
            self.child_by_field_id(k.f_field)?,
        ))
    }

    pub fn kind_id(&self) -> u16 {
        self.data().kind
    }

    /// Whether the node is of `kind`, an id of `syntax::kinds` (never a kind's name).
    pub fn is(&self, kind: u16) -> bool {
        self.kind_id() == kind
    }

    /// Whether the node is a comment (an extra, found between any two nodes).
    pub fn is_comment(&self) -> bool {
        self.is(k().comment)
    }

    /// Whether the node is a statement or a declaration.
    pub fn is_statement_or_declaration(&self) -> bool {
        crate::syntax::kinds::statement_or_declaration(self.kind_id())
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
        self.tree.point(self.data().start_byte)
    }

    pub fn end_position(&self) -> Point {
        self.tree.point(self.data().end_byte)
    }

    pub fn range(&self) -> tree_sitter::Range {
        tree_sitter::Range {
            start_byte: self.start_byte(),
            end_byte: self.end_byte(),
            start_point: self.start_position(),
            end_point: self.end_position(),
        }
    }

    fn kids(&self) -> Children<'t> {
        Children {
            tree: self.tree,
            next: self.id + 1,
            end: self.data().subtree_end,
        }
    }

    pub fn child_count(&self) -> u32 {
        self.kids().count() as u32
    }

    pub fn named_child_count(&self) -> usize {
        self.kids().filter(Node::is_named).count()
    }

    pub fn child(&self, i: u32) -> Option<Node<'t>> {
        self.kids().nth(i as usize)
    }

    pub fn named_child(&self, i: u32) -> Option<Node<'t>> {
        self.kids().filter(Node::is_named).nth(i as usize)
    }

    /// The first child in field `field`.
    pub fn child_by_field_id(&self, field: u16) -> Option<Node<'t>> {
        self.kids().find(|n| n.data().field == field)
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
        let field = field.get();
        self.kids().filter(move |n| n.data().field == field)
    }

    /// The field this node fills in its parent.
    pub fn field_id(&self) -> Option<NonZeroU16> {
        NonZeroU16::new(self.data().field)
    }

    /// All children; the cursor argument is kept for tree-sitter's signature and not used.
    pub fn children(&self, _cursor: &mut TreeCursor<'t>) -> Children<'t> {
        self.kids()
    }

    /// The named children; the cursor argument is kept for tree-sitter's signature and not used.
    pub fn named_children(
        &self,
        _cursor: &mut TreeCursor<'t>,
    ) -> impl Iterator<Item = Node<'t>> + 't {
        self.kids().filter(Node::is_named)
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        let p = self.data().parent;
        (p != NONE).then(|| self.at(p))
    }

    pub fn next_sibling(&self) -> Option<Node<'t>> {
        let parent = self.parent()?;
        let next = self.data().subtree_end;
        (next < parent.data().subtree_end).then(|| self.at(next))
    }

    pub fn prev_sibling(&self) -> Option<Node<'t>> {
        let parent = self.parent()?;
        parent.kids().take_while(|k| k != self).last()
    }

    pub fn next_named_sibling(&self) -> Option<Node<'t>> {
        std::iter::successors(self.next_sibling(), Node::next_sibling).find(Node::is_named)
    }

    pub fn prev_named_sibling(&self) -> Option<Node<'t>> {
        let parent = self.parent()?;
        parent
            .kids()
            .take_while(|k| k != self)
            .filter(Node::is_named)
            .last()
    }

    /// The smallest node holding `start..end` (tree-sitter's rule: a node ending at `start`
    /// holds it only when it is empty).
    pub fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        if start > end {
            return None;
        }
        let mut node = *self;
        'descend: loop {
            for child in node.kids() {
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

    /// The nodes of this subtree in pre-order, not below a node `prune` holds (that node itself
    /// is visited; `prune` is asked of this node too).
    pub fn preorder_pruned(
        &self,
        prune: impl Fn(Node<'t>) -> bool + 't,
    ) -> impl Iterator<Item = Node<'t>> + 't {
        let (tree, end) = (self.tree, self.data().subtree_end);
        let mut next = self.id;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let node = Node { tree, id: next };
            next = match prune(node) {
                true => node.data().subtree_end,
                false => next + 1,
            };
            Some(node)
        })
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
        let child = self.node.child(0);
        self.move_to(child)
    }

    pub fn goto_next_sibling(&mut self) -> bool {
        let next = (self.node != self.root).then(|| self.node.next_sibling());
        self.move_to(next.flatten())
    }

    pub fn goto_parent(&mut self) -> bool {
        let parent = (self.node != self.root).then(|| self.node.parent());
        self.move_to(parent.flatten())
    }

    fn move_to(&mut self, to: Option<Node<'t>>) -> bool {
        match to {
            Some(node) => {
                self.node = node;
                true
            }
            None => false,
        }
    }
}

/// Nodes of a subtree in pre-order (document order): a contiguous range of the tree's array.
pub fn preorder<'t>(node: Node<'t>) -> impl ExactSizeIterator<Item = Node<'t>> + 't {
    node.preorder()
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
        .find(|n| n.is(k().package_clause))?;
    let name = clause.named_child(0)?;
    text.get(name.byte_range()).map(str::to_string)
}

/// The children of `node` under field `field` (such as every `name` of `a, b int`).
pub fn field_children<'t>(node: Node<'t>, field: u16) -> Vec<Node<'t>> {
    let Some(f) = std::num::NonZeroU16::new(field) else {
        return Vec::new();
    };
    let mut cursor = node.walk();
    node.children_by_field_id(f, &mut cursor).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each node's top-level declaration is the ancestor that is a child of the root.
    #[test]
    fn top_level_is_the_ancestor_under_the_root() {
        let src = "package p\n\nfunc f() { go func() { g() }() }\n\nvar x = 1\n\nfunc h() {}\n";
        let tree = SyntaxTree::parse(src);
        let root = tree.root_node();
        assert!(root.top_level().is_none());
        for n in root.preorder().skip(1) {
            let mut up = n;
            while let Some(p) = up.parent().filter(|p| p.index() != 0) {
                up = p;
            }
            assert_eq!(n.top_level(), Some(up), "{n:?}");
        }
        assert!(SyntaxTree::parse("").root_node().top_level().is_none());
    }

    /// Every node of the copy answers as tree-sitter's own node does.
    #[test]
    fn the_copy_answers_as_tree_sitter_does() {
        let src = "package p\n\n// c\nfunc f(a, b int) (x int, err error) {\n\tif a > b { return a, nil }\n\tg(a)[0].h = \"s\"\n\tfunc( {\n}\n";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&crate::syntax::language()).unwrap();
        let ts = parser.parse(src, None).unwrap();
        let copy = SyntaxTree::new(&ts, src, line_starts(src));
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
