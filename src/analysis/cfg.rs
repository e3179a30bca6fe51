//! A control-flow graph of one function body, statement by statement.
//!
//! Blocks hold the simple statements and the conditions a path evaluates, in order; edges carry
//! the condition they assume (`if err != nil` true on one edge, false on the other), so a
//! dataflow pass can learn from a branch. The graph covers `if`/`else`, `for` (three-clause,
//! condition, infinite and `range`), expression and type `switch` with `fallthrough`, `select`,
//! labels with `break`, `continue` and `goto`, `return`, and calls that never return (`panic`,
//! `os.Exit`, `log.Fatal`, `t.Fatal`, ...). `defer` and `go` statements are ordinary nodes: what
//! they register is for the analysis to read. Function literals inside a body are not entered;
//! each gets its own graph.
//!
//! Building recurses over nested statements only (never expressions), bounded by
//! `MAX_NESTING`: a body nested deeper gets no graph (`None`), so a pathological file cannot
//! overflow a thread's stack.

use super::{kinds, Kinds};
use crate::fxhash::HashMap;
use crate::tree::Node;

pub type BlockId = usize;

/// The block where every path starts.
pub const ENTRY: BlockId = 0;

/// Statements nested deeper than this give up the graph (no real function comes close).
pub const MAX_NESTING: usize = 200;

/// How a path leaves the function at the end of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit<'t> {
    /// A `return` statement (also the last node of its block).
    Return(Node<'t>),
    /// Falling off the end of the body (the node is the body block; its last byte is the `}`).
    End(Node<'t>),
    /// `panic`, `os.Exit`, `log.Fatal`, `t.Fatal` and the like: the path ends without returning.
    NoReturn(Node<'t>),
}

/// A condition an edge assumes: `cond` evaluated to `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guard<'t> {
    pub cond: Node<'t>,
    pub value: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'t> {
    pub to: BlockId,
    pub guard: Option<Guard<'t>>,
}

/// A straight run of nodes: simple statements, initializers, conditions, range clauses.
#[derive(Debug, Default, Clone)]
pub struct Block<'t> {
    pub nodes: Vec<Node<'t>>,
    pub succs: Vec<Edge<'t>>,
    pub exit: Option<Exit<'t>>,
}

/// The graph of one body; block `ENTRY` starts it.
#[derive(Debug, Clone)]
pub struct Cfg<'t> {
    pub blocks: Vec<Block<'t>>,
}

impl<'t> Cfg<'t> {
    /// Builds the graph of a function's body block; `None` when statements nest deeper than
    /// `MAX_NESTING`.
    pub fn build(body: Node<'t>, text: &'t str) -> Option<Cfg<'t>> {
        let mut b = Builder {
            k: kinds(),
            text,
            blocks: vec![Block::default()],
            cur: ENTRY,
            targets: Vec::new(),
            labels: HashMap::default(),
            gotos: Vec::new(),
            label: None,
            depth: 0,
        };
        b.stmt(body).ok()?;
        if b.blocks[b.cur].exit.is_none() {
            b.blocks[b.cur].exit = Some(Exit::End(body));
        }
        for (from, label) in std::mem::take(&mut b.gotos) {
            if let Some(&to) = b.labels.get(label) {
                b.edge(from, to, None);
            }
        }
        Some(Cfg { blocks: b.blocks })
    }

    /// Blocks that a path from `ENTRY` can reach, in a stable order.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.blocks.len()];
        let mut stack = vec![ENTRY];
        while let Some(b) = stack.pop() {
            if std::mem::replace(&mut seen[b], true) {
                continue;
            }
            stack.extend(self.blocks[b].succs.iter().map(|e| e.to));
        }
        seen
    }

    /// The block holding `node` (by identity), if any.
    pub fn block_of(&self, node: Node) -> Option<BlockId> {
        self.blocks
            .iter()
            .position(|b| b.nodes.iter().any(|n| n.id() == node.id()))
    }
}

/// A `break`/`continue` target: a loop, switch or select, with its label if it has one.
struct Target<'t> {
    label: Option<&'t str>,
    brk: BlockId,
    cont: Option<BlockId>,
}

struct TooDeep;

struct Builder<'t> {
    k: &'static Kinds,
    text: &'t str,
    blocks: Vec<Block<'t>>,
    cur: BlockId,
    targets: Vec<Target<'t>>,
    labels: HashMap<&'t str, BlockId>,
    gotos: Vec<(BlockId, &'t str)>,
    /// The label of the labeled statement being built, for the loop or switch it names.
    label: Option<&'t str>,
    depth: usize,
}

type Built = Result<(), TooDeep>;

impl<'t> Builder<'t> {
    fn new_block(&mut self) -> BlockId {
        self.blocks.push(Block::default());
        self.blocks.len() - 1
    }

    fn edge(&mut self, from: BlockId, to: BlockId, guard: Option<Guard<'t>>) {
        if self.blocks[from].exit.is_none() {
            self.blocks[from].succs.push(Edge { to, guard });
        }
    }

    fn push(&mut self, node: Node<'t>) {
        self.blocks[self.cur].nodes.push(node);
    }

    /// Ends the current block with `exit` and continues in a fresh (unreachable) block.
    fn leave(&mut self, exit: Exit<'t>) {
        self.blocks[self.cur].exit = Some(exit);
        self.cur = self.new_block();
    }

    /// Continues in `to` after jumping there from the current block.
    fn jump(&mut self, to: BlockId) {
        let from = self.cur;
        self.edge(from, to, None);
        self.cur = self.new_block();
    }

    fn text(&self, n: Node) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    fn stmt(&mut self, n: Node<'t>) -> Built {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(TooDeep);
        }
        let r = self.dispatch(n);
        self.depth -= 1;
        r
    }

    fn dispatch(&mut self, n: Node<'t>) -> Built {
        let k = self.k;
        let kind = n.kind_id();
        let label = self.label.take();
        if kind == k.block || kind == k.statement_list {
            self.children(n)?;
        } else if kind == k.if_statement {
            self.if_stmt(n)?;
        } else if kind == k.for_statement {
            self.for_stmt(n, label)?;
        } else if kind == k.expression_switch_statement || kind == k.type_switch_statement {
            self.switch_stmt(n, label)?;
        } else if kind == k.select_statement {
            self.select_stmt(n, label)?;
        } else if kind == k.labeled_statement {
            self.labeled(n)?;
        } else if kind == k.return_statement {
            self.push(n);
            self.leave(Exit::Return(n));
        } else if kind == k.break_statement || kind == k.continue_statement {
            self.branch(n);
        } else if kind == k.goto_statement {
            if let Some(l) = n.named_child(0) {
                self.gotos.push((self.cur, self.text(l)));
            }
            self.cur = self.new_block();
        } else if kind == k.fallthrough_statement {
            // The switch builder links the case to the next one.
        } else if n.is_named() && kind != k.comment {
            self.push(n);
            if kind == k.expression_statement && no_return(n, self.text) {
                self.leave(Exit::NoReturn(n));
            }
        }
        Ok(())
    }

    fn children(&mut self, n: Node<'t>) -> Built {
        let mut c = n.walk();
        for child in n.named_children(&mut c) {
            self.stmt(child)?;
        }
        Ok(())
    }

    fn if_stmt(&mut self, n: Node<'t>) -> Built {
        let k = self.k;
        if let Some(init) = n.child_by_field_id(k.f_initializer) {
            self.push(init);
        }
        let cond = n.child_by_field_id(k.f_condition);
        if let Some(c) = cond {
            self.push(c);
        }
        let head = self.cur;
        let guard = |value| cond.map(|cond| Guard { cond, value });
        let then = self.new_block();
        self.edge(head, then, guard(true));
        self.cur = then;
        if let Some(body) = n.child_by_field_id(k.f_consequence) {
            self.stmt(body)?;
        }
        let then_end = self.cur;
        let join = self.new_block();
        self.edge(then_end, join, None);
        match n.child_by_field_id(k.f_alternative) {
            Some(alt) => {
                let other = self.new_block();
                self.edge(head, other, guard(false));
                self.cur = other;
                self.stmt(alt)?;
                let end = self.cur;
                self.edge(end, join, None);
            }
            None => self.edge(head, join, guard(false)),
        }
        self.cur = join;
        Ok(())
    }

    fn for_stmt(&mut self, n: Node<'t>, label: Option<&'t str>) -> Built {
        let k = self.k;
        let mut c = n.walk();
        let header = n.named_children(&mut c).find(|ch| {
            n.child_by_field_id(k.f_body)
                .is_none_or(|b| b.id() != ch.id())
        });
        let (mut cond, mut update, mut range) = (None, None, None);
        match header {
            Some(h) if h.kind_id() == k.for_clause => {
                if let Some(init) = h.child_by_field_id(k.f_initializer) {
                    self.push(init);
                }
                cond = h.child_by_field_id(k.f_condition);
                update = h.child_by_field_id(k.f_update);
            }
            Some(h) if h.kind_id() == k.range_clause => range = Some(h),
            Some(h) => cond = Some(h),
            None => {}
        }
        let head = self.new_block();
        self.edge(self.cur, head, None);
        self.blocks[head].nodes.extend(cond.or(range));
        let body = self.new_block();
        let exit = self.new_block();
        let post = match update {
            Some(u) => {
                let p = self.new_block();
                self.blocks[p].nodes.push(u);
                self.edge(p, head, None);
                p
            }
            None => head,
        };
        match cond {
            Some(cond) => {
                self.edge(head, body, Some(Guard { cond, value: true }));
                self.edge(head, exit, Some(Guard { cond, value: false }));
            }
            None => {
                self.edge(head, body, None);
                if range.is_some() {
                    self.edge(head, exit, None);
                }
            }
        }
        self.targets.push(Target {
            label,
            brk: exit,
            cont: Some(post),
        });
        self.cur = body;
        if let Some(b) = n.child_by_field_id(k.f_body) {
            self.stmt(b)?;
        }
        self.targets.pop();
        self.edge(self.cur, post, None);
        self.cur = exit;
        Ok(())
    }

    fn switch_stmt(&mut self, n: Node<'t>, label: Option<&'t str>) -> Built {
        let k = self.k;
        for field in [k.f_initializer, k.f_value] {
            if let Some(x) = n.child_by_field_id(field) {
                self.push(x);
            }
        }
        let tagless = n.kind_id() == k.expression_switch_statement
            && n.child_by_field_id(k.f_value).is_none();
        let mut c = n.walk();
        let cases: Vec<Node<'t>> = n
            .named_children(&mut c)
            .filter(|ch| {
                let kd = ch.kind_id();
                kd == k.expression_case || kd == k.type_case || kd == k.default_case
            })
            .collect();
        self.cases(&cases, label, tagless)
    }

    fn select_stmt(&mut self, n: Node<'t>, label: Option<&'t str>) -> Built {
        let k = self.k;
        let mut c = n.walk();
        let cases: Vec<Node<'t>> = n
            .named_children(&mut c)
            .filter(|ch| ch.kind_id() == k.communication_case || ch.kind_id() == k.default_case)
            .collect();
        if cases.is_empty() {
            // `select {}` blocks forever.
            let at = self.cur;
            self.blocks[at].exit = Some(Exit::NoReturn(n));
            self.cur = self.new_block();
            return Ok(());
        }
        self.cases(&cases, label, false)
    }

    /// The cases of a switch or select: each reachable from the dispatch block, each falling
    /// to the join (or, with `fallthrough`, into the next case).
    fn cases(&mut self, cases: &[Node<'t>], label: Option<&'t str>, tagless: bool) -> Built {
        let k = self.k;
        let dispatch = self.cur;
        let join = self.new_block();
        let has_default = cases.iter().any(|c| c.kind_id() == k.default_case);
        let is_select = cases.iter().any(|c| c.kind_id() == k.communication_case);
        if !has_default && !is_select {
            self.edge(dispatch, join, None);
        }
        let starts: Vec<BlockId> = cases.iter().map(|_| self.new_block()).collect();
        self.targets.push(Target {
            label,
            brk: join,
            cont: None,
        });
        for (i, case) in cases.iter().enumerate() {
            let guard = tagless.then(|| single_value(case, k)).flatten();
            self.edge(
                dispatch,
                starts[i],
                guard.map(|cond| Guard { cond, value: true }),
            );
            self.cur = starts[i];
            self.case_body(*case)?;
            let falls =
                last_statement(*case, k).is_some_and(|s| s.kind_id() == k.fallthrough_statement);
            let next = if falls && i + 1 < starts.len() {
                starts[i + 1]
            } else {
                join
            };
            self.edge(self.cur, next, None);
        }
        self.targets.pop();
        self.cur = join;
        Ok(())
    }

    fn case_body(&mut self, case: Node<'t>) -> Built {
        let k = self.k;
        if let Some(comm) = case.child_by_field_id(k.f_communication) {
            self.push(comm);
        } else if let Some(v) = case.child_by_field_id(k.f_value) {
            self.push(v);
        }
        let mut c = case.walk();
        let list = case
            .named_children(&mut c)
            .find(|ch| ch.kind_id() == k.statement_list);
        match list {
            Some(l) => self.stmt(l),
            None => Ok(()),
        }
    }

    fn labeled(&mut self, n: Node<'t>) -> Built {
        let k = self.k;
        let name = n.child_by_field_id(k.f_label).map(|l| self.text(l));
        let at = self.new_block();
        self.edge(self.cur, at, None);
        self.cur = at;
        if let Some(name) = name {
            self.labels.insert(name, at);
        }
        let mut c = n.walk();
        let inner = n
            .named_children(&mut c)
            .find(|ch| ch.kind_id() != k.label_name);
        if let Some(s) = inner {
            self.label = name;
            self.stmt(s)?;
        }
        Ok(())
    }

    fn branch(&mut self, n: Node<'t>) {
        let is_break = n.kind_id() == self.k.break_statement;
        let label = n.named_child(0).map(|l| self.text(l));
        let target = self.targets.iter().rev().find_map(|t| {
            let named = label.is_none_or(|l| t.label == Some(l));
            match (named, is_break) {
                (true, true) => Some(t.brk),
                (true, false) => t.cont,
                _ => None,
            }
        });
        match target {
            Some(to) => self.jump(to),
            None => self.cur = self.new_block(),
        }
    }
}

/// The single expression of a tagless switch's case (`case err != nil:`), to guard its edge.
fn single_value<'t>(case: &Node<'t>, k: &Kinds) -> Option<Node<'t>> {
    let list = case.child_by_field_id(k.f_value)?;
    (list.named_child_count() == 1)
        .then(|| list.named_child(0))
        .flatten()
}

fn last_statement<'t>(case: Node<'t>, k: &Kinds) -> Option<Node<'t>> {
    let mut c = case.walk();
    let list = case
        .named_children(&mut c)
        .find(|ch| ch.kind_id() == k.statement_list)?;
    let n = list.named_child_count();
    list.named_child(u32::try_from(n.checked_sub(1)?).ok()?)
}

/// Whether an expression statement is a call that never returns: `panic`, `os.Exit`,
/// `log.Fatal*`/`log.Panic*` (and any logger's `Fatal*`/`Panic*`), `t.Fatal*`, `t.FailNow`,
/// `t.Skip*`, `runtime.Goexit`.
pub fn no_return(stmt: Node, text: &str) -> bool {
    let k = kinds();
    let Some(call) = stmt
        .named_child(0)
        .filter(|c| c.kind_id() == k.call_expression)
    else {
        return false;
    };
    let Some(f) = call.child_by_field_id(k.f_function) else {
        return false;
    };
    let t = |n: Node| text.get(n.byte_range()).unwrap_or("");
    if f.kind_id() == k.identifier {
        return t(f) == "panic";
    }
    let Some((x, m)) = f.selector() else {
        return false;
    };
    let (x, m) = (t(x), t(m));
    matches!(
        m,
        "Fatal"
            | "Fatalf"
            | "Fatalln"
            | "FailNow"
            | "SkipNow"
            | "Skipf"
            | "Panic"
            | "Panicf"
            | "Panicln"
            | "Goexit"
    ) || (m == "Exit" && x == "os")
        || (m == "Skip" && matches!(x, "t" | "b" | "tb" | "f"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> crate::tree::SyntaxTree {
        crate::tree::SyntaxTree::parse(src)
    }

    fn body(tree: &crate::tree::SyntaxTree) -> Node<'_> {
        let f = tree.root_node().named_child(1).unwrap();
        f.child_by_field_id(kinds().f_body).unwrap()
    }

    /// Exits reachable from the entry, as (kind, line) pairs.
    fn exits(src: &str) -> Vec<(&'static str, usize)> {
        let tree = parse(src);
        let cfg = Cfg::build(body(&tree), src).unwrap();
        let live = cfg.reachable();
        let mut out: Vec<_> = cfg
            .blocks
            .iter()
            .enumerate()
            .filter(|(i, _)| live[*i])
            .filter_map(|(_, b)| b.exit)
            .map(|e| match e {
                Exit::Return(n) => ("return", n.start_position().row + 1),
                Exit::End(n) => ("end", n.end_position().row + 1),
                Exit::NoReturn(n) => ("noreturn", n.start_position().row + 1),
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn if_else_and_returns() {
        let src = "package p\nfunc f(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t} else if x < 0 {\n\t\tpanic(x)\n\t}\n\treturn 0\n}\n";
        assert_eq!(
            exits(src),
            vec![("noreturn", 6), ("return", 4), ("return", 8)]
        );
    }

    #[test]
    fn infinite_loop_exits_only_by_break_or_return() {
        let src = "package p\nfunc f() {\n\tfor {\n\t\tif g() {\n\t\t\tbreak\n\t\t}\n\t}\n}\n";
        assert_eq!(exits(src), vec![("end", 8)]);
        let src = "package p\nfunc f() int {\n\tfor {\n\t\treturn 1\n\t}\n}\n";
        assert_eq!(exits(src), vec![("return", 4)]);
    }

    #[test]
    fn labeled_continue_and_goto_reach_their_targets() {
        let src = "package p\nfunc f() {\nouter:\n\tfor range xs {\n\t\tfor {\n\t\t\tcontinue outer\n\t\t}\n\t}\n\tgoto done\n\treturn\ndone:\n\tg()\n}\n";
        assert_eq!(exits(src), vec![("end", 13)]);
    }

    #[test]
    fn switch_without_default_can_skip_every_case_and_select_cannot() {
        let src = "package p\nfunc f(x int) int {\n\tswitch x {\n\tcase 1:\n\t\treturn 1\n\t}\n\treturn 0\n}\n";
        assert_eq!(exits(src), vec![("return", 5), ("return", 7)]);
        let src =
            "package p\nfunc f(c chan int) int {\n\tselect {\n\tcase <-c:\n\t\treturn 1\n\t}\n}\n";
        assert_eq!(exits(src), vec![("return", 5)]);
    }

    #[test]
    fn fallthrough_and_type_switch() {
        let src = "package p\nfunc f(v any) {\n\tswitch v.(type) {\n\tcase int:\n\t\tfallthrough\n\tdefault:\n\t\tos.Exit(1)\n\t}\n}\n";
        assert_eq!(exits(src), vec![("noreturn", 7)]);
    }

    #[test]
    fn guards_name_the_condition_and_branch() {
        let src = "package p\nfunc f() {\n\tif err != nil {\n\t\treturn\n\t}\n}\n";
        let tree = parse(src);
        let cfg = Cfg::build(body(&tree), src).unwrap();
        let guards: Vec<bool> = cfg.blocks[ENTRY]
            .succs
            .iter()
            .filter_map(|e| e.guard.map(|g| g.value))
            .collect();
        assert_eq!(guards, vec![true, false]);
    }

    #[test]
    fn too_deep_bodies_get_no_graph() {
        let mut src = String::from("package p\nfunc f() {\n");
        for _ in 0..(MAX_NESTING + 5) {
            src.push_str("if x {\n");
        }
        for _ in 0..(MAX_NESTING + 5) {
            src.push_str("}\n");
        }
        src.push_str("}\n");
        let tree = parse(&src);
        assert!(Cfg::build(body(&tree), &src).is_none());
    }
}
