//! Path facts read from the syntax: whether a statement ends every path through it, and which
//! statements a path must have skipped to reach a point. Explicit stacks, no recursion.

use super::Kinds;
use crate::tree::Node;

/// How a path may leave the statements after it without returning.
#[derive(Clone, Copy)]
pub struct Leaves {
    /// An unlabeled `break` counts (it leaves the loop in question).
    pub unlabeled_break: bool,
    /// Any `break` or `continue` counts (they all skip the rest of the current block).
    pub any_jump: bool,
}

/// Whether `stmt` ends every path through it: `return`, `goto`, `panic(...)` (or `os.Exit`,
/// `log.Fatal...`), the jumps `how` allows, a block ending so, or an `if` whose every branch
/// ends so.
pub fn terminates(stmt: Node, how: Leaves, text: &str, k: &Kinds) -> bool {
    let mut pending = vec![stmt];
    while let Some(n) = pending.pop() {
        let kind = n.kind_id();
        if kind == k.return_statement || kind == k.goto_statement {
            continue;
        }
        let jump = kind == k.break_statement || kind == k.continue_statement;
        if jump && how.any_jump {
            continue;
        }
        if kind == k.break_statement && how.unlabeled_break && n.named_child(0).is_none() {
            continue;
        }
        if kind == k.expression_statement && is_exit_call(n, text, k) {
            continue;
        }
        if kind == k.block || kind == k.statement_list {
            match last_statement(n, k) {
                Some(last) => pending.push(last),
                None => return false,
            }
            continue;
        }
        if kind == k.if_statement {
            match (
                n.child_by_field_id(k.f_consequence),
                n.child_by_field_id(k.f_alternative),
            ) {
                (Some(then), Some(alt)) => pending.extend([then, alt]),
                _ => return false,
            }
            continue;
        }
        return false;
    }
    true
}

/// The last statement of a block (through its statement list), comments aside.
pub fn last_statement<'t>(block: Node<'t>, k: &Kinds) -> Option<Node<'t>> {
    let list = if block.kind_id() == k.block {
        block
            .named_children(&mut block.walk())
            .find(|c| c.kind_id() == k.statement_list)?
    } else {
        block
    };
    let mut last = None;
    let mut c = list.walk();
    for s in list.named_children(&mut c) {
        if !s.is_comment() {
            last = Some(s);
        }
    }
    last
}

/// `panic(...)`, `log.Fatal...(...)` or `os.Exit(...)` as a statement.
pub fn is_exit_call(stmt: Node, text: &str, k: &Kinds) -> bool {
    let Some(call) = stmt
        .named_child(0)
        .filter(|c| c.kind_id() == k.call_expression)
    else {
        return false;
    };
    let f = call.child_by_field_id(k.f_function);
    let name = f.and_then(|f| text.get(f.byte_range())).unwrap_or("");
    name == "panic" || name == "os.Exit" || name.starts_with("log.Fatal")
}

/// The condition of an early exit: `stmt` is `if c { ...; return }` (or `continue`, `break`,
/// `panic`), so `c` was false on every path that reaches the statements after it.
pub fn exit_condition<'t>(stmt: Node<'t>, text: &str, k: &Kinds) -> Option<Node<'t>> {
    let skips = Leaves {
        unlabeled_break: true,
        any_jump: true,
    };
    if stmt.kind_id() != k.if_statement {
        return None;
    }
    let then = stmt.child_by_field_id(k.f_consequence)?;
    terminates(then, skips, text, k)
        .then(|| stmt.child_by_field_id(k.f_condition))
        .flatten()
}
