//! Goroutine and concurrency rules: goroutines that can never finish (`goroutine-blocked-send`,
//! `goroutine-blocked-receive`, `goroutine-uncancellable`), synchronisation used wrongly
//! (`waitgroup-misuse`, `mutex-not-unlocked`, `unguarded-shared-state`) and the two mistakes
//! later Go releases fixed in the language (`time-after-in-loop`, `loop-var-capture`).
//!
//! What they share lives here: the extra node kinds they compare against (resolved once and
//! tested), channels made in a function, the goroutines a function starts, and how a send or a
//! receive can block.

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_goroutine.rs"));
pub mod dropped_result;
pub mod handed_channel;
pub mod overfill;
pub mod param_sends;
pub mod self_wait;
pub mod serving;

use crate::analysis::{is_function, kinds};
use crate::tree::preorder;
use crate::tree::Node;

/// The text of a node.
pub fn text<'t>(n: Node, src: &'t str) -> &'t str {
    src.get(n.byte_range()).unwrap_or("")
}

/// 1-based line of a node.
pub fn line(n: Node) -> usize {
    n.start_position().row + 1
}

/// Whether `args` is the argument list of a builtin `close(...)` call.
pub fn is_close_argument(args: Node, src: &str) -> bool {
    args.kind_id() == kinds().argument_list
        && args
            .parent()
            .and_then(|c| call_parts(c, src))
            .is_some_and(|(x, f)| x.is_none() && f == "close")
}

/// `(operand, name)` of a call: `s.mu.Lock()` is `(Some("s.mu"), "Lock")`, `close(ch)` is
/// `(None, "close")`.
pub fn call_parts<'t>(call: Node<'t>, src: &'t str) -> Option<(Option<&'t str>, &'t str)> {
    let k = kinds();
    let f = call.child_by_field_id(k.f_function)?;
    if f.kind_id() == k.identifier {
        return Some((None, text(f, src)));
    }
    if f.kind_id() == k.selector_expression {
        let x = f.child_by_field_id(k.f_operand)?;
        let m = f.child_by_field_id(k.f_field)?;
        return Some((Some(text(x, src)), text(m, src)));
    }
    None
}

/// The arguments of a call, in order.
pub fn call_args<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    let Some(list) = call.child_by_field_id(kinds().f_arguments) else {
        return Vec::new();
    };
    let mut c = list.walk();
    let out = list.named_children(&mut c).collect();
    out
}

/// Whether `n` is `<-x` with `x` spelled `name`.
pub fn is_receive_from(n: Node, name: &str, src: &str) -> bool {
    let k = kinds();
    n.kind_id() == k.unary_expression
        && n.child_by_field_id(k.f_operator)
            .is_some_and(|o| text(o, src) == "<-")
        && n.child_by_field_id(k.f_operand)
            .is_some_and(|x| strip_parens(x, src) == name)
}

fn strip_parens<'t>(n: Node, src: &'t str) -> &'t str {
    text(n, src).trim_matches(|c| c == '(' || c == ')')
}

/// Whether a send or receive is one of several ways out of a `select` (another case or a
/// `default`), so it does not block on its own.
pub fn in_select_with_alternatives(n: Node) -> bool {
    let k = kinds();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.kind_id() == k.communication_case {
            let is_comm = p
                .child_by_field_id(k.f_communication)
                .is_some_and(|c| c.byte_range().contains(&n.start_byte()));
            if !is_comm {
                return false;
            }
            // Comments are named children too: count the cases.
            return p.parent().is_some_and(|sel| {
                let mut c = sel.walk();
                let cases = sel
                    .named_children(&mut c)
                    .filter(|x| !x.is_comment())
                    .count();
                cases > 1
            });
        }
        if p.kind_id() == k.expression_statement
            || p.kind_id() == crate::syntax::kinds::k().receive_statement
            || p.kind_id() == k.send_statement
        {
            cur = p.parent();
            continue;
        }
        return false;
    }
    false
}

/// A channel made in a function: `results := make(chan result)` or `make(chan T, n)`.
#[derive(Debug, Clone, Copy)]
pub struct ChanMake<'t> {
    pub name: &'t str,
    pub call: Node<'t>,
    /// The element type's text.
    pub elem: &'t str,
    /// The capacity argument; `None` for an unbuffered channel.
    pub cap: Option<Node<'t>>,
}

impl ChanMake<'_> {
    /// The capacity when it is an integer literal (`0` for unbuffered).
    pub fn literal_cap(&self, src: &str) -> Option<u64> {
        match self.cap {
            None => Some(0),
            Some(c) if c.kind_id() == crate::syntax::kinds::k().int_literal => {
                text(c, src).parse().ok()
            }
            Some(_) => None,
        }
    }
}

/// The channels a function body makes itself and binds to a plain variable it declares.
///
/// `ch = make(chan T)` counts only when the function declares `ch` (`var ch chan T`): a package
/// variable, or a variable of an enclosing function, is shared with code this function does
/// not see, which may send on it or close it.
pub fn chan_makes<'t>(nodes: &[Node<'t>], src: &'t str) -> Vec<ChanMake<'t>> {
    let k = kinds();
    let mut out = Vec::new();
    let mut declared: Option<crate::fxhash::HashSet<&str>> = None;
    for &n in nodes {
        let (left, right) =
            if n.kind_id() == k.short_var_declaration || n.kind_id() == k.assignment_statement {
                (
                    n.child_by_field_id(k.f_left),
                    n.child_by_field_id(k.f_right),
                )
            } else if n.kind_id() == k.var_spec {
                (
                    n.child_by_field_id(k.f_name),
                    n.child_by_field_id(k.f_value),
                )
            } else {
                continue;
            };
        let (Some(left), Some(right)) = (left, right) else {
            continue;
        };
        let lhs = single(left);
        let rhs = single(right);
        let (Some(lhs), Some(call)) = (lhs, rhs) else {
            continue;
        };
        if lhs.kind_id() != k.identifier || call.kind_id() != k.call_expression {
            continue;
        }
        let Some(m) = make_chan(lhs, call, src) else {
            continue;
        };
        if n.kind_id() == k.assignment_statement
            && !declared
                .get_or_insert_with(|| declared_names(nodes, src))
                .contains(m.name)
        {
            continue;
        }
        out.push(m);
    }
    out
}

/// The names a function body declares itself (`var`, `:=`), not those of nested literals.
fn declared_names<'t>(nodes: &[Node<'t>], src: &'t str) -> crate::fxhash::HashSet<&'t str> {
    let k = kinds();
    let mut out = crate::fxhash::HashSet::default();
    for &n in nodes {
        let names = if n.kind_id() == k.var_spec {
            crate::tree::field_children(n, k.f_name)
        } else if n.kind_id() == k.short_var_declaration {
            let Some(left) = n.child_by_field_id(k.f_left) else {
                continue;
            };
            let mut c = left.walk();
            let names: Vec<Node> = left.named_children(&mut c).collect();
            names
        } else {
            continue;
        };
        out.extend(names.into_iter().map(|id| text(id, src)));
    }
    out
}

/// The only named child of a list node, or the node itself when it is not a list.
fn single(n: Node) -> Option<Node> {
    let k = kinds();
    if n.kind_id() == k.expression_list {
        return (n.named_child_count() == 1)
            .then(|| n.named_child(0))
            .flatten();
    }
    Some(n)
}

fn make_chan<'t>(lhs: Node<'t>, call: Node<'t>, src: &'t str) -> Option<ChanMake<'t>> {
    let (None, "make") = call_parts(call, src)? else {
        return None;
    };
    let args = call_args(call);
    let ty = *args.first()?;
    if ty.kind_id() != crate::syntax::kinds::k().channel_type {
        return None;
    }
    let elem = ty
        .child_by_field_id(kinds().f_value)
        .map(|v| text(v, src))
        .unwrap_or("");
    Some(ChanMake {
        name: text(lhs, src),
        call,
        elem,
        cap: args.get(1).copied(),
    })
}

/// The body of the function a `go` or `defer` statement runs, when it is a literal:
/// `go func() { ... }()`.
pub fn literal_of(stmt: Node) -> Option<Node> {
    let k = kinds();
    let call = stmt.named_child(0)?;
    if call.kind_id() != k.call_expression {
        return None;
    }
    let f = call.child_by_field_id(k.f_function)?;
    (f.kind_id() == k.func_literal).then_some(f)
}

/// Every node of a subtree, nested function literals included.
pub fn subtree(n: Node) -> impl Iterator<Item = Node> {
    preorder(n)
}

/// Whether identifier `name` is used anywhere in `n`.
pub fn mentions(n: Node, name: &str, src: &str) -> bool {
    let k = kinds();
    preorder(n).any(|x| x.kind_id() == k.identifier && text(x, src) == name)
}

/// The nodes of `scope` in pre-order, not below a `go` statement nested in it: a goroutine
/// started inside does its own work (its `go` statement is checked on its own), and stopping
/// there keeps goroutines nested in goroutines linear.
pub fn outside_nested_go<'t>(scope: Node<'t>) -> impl Iterator<Item = Node<'t>> + 't {
    let go = kinds().go_statement;
    scope.preorder_pruned(move |n| n.id() != scope.id() && n.kind_id() == go)
}

/// The name of the top-level function a node belongs to (through literals).
pub fn top_function_name<'t>(f: Node<'t>, src: &'t str) -> Option<&'t str> {
    let decl = f.top_level()?;
    is_function(kinds(), decl.kind_id())
        .then(|| decl.child_by_field_id(kinds().f_name))
        .flatten()
        .map(|n| text(n, src))
}

/// The function that starts goroutine `go`, unless the goroutine is started in a test file or by
/// `main` or `init` (directly or through a literal), whose goroutines live as long as the
/// process: the goroutine rules that ask "can anyone stop it?" skip those.
pub fn starter_outside_main_and_tests<'t>(go: Node<'t>, rel: &str, src: &str) -> Option<Node<'t>> {
    if is_test_file(rel) {
        return None;
    }
    let func = enclosing_function(go)?;
    (!matches!(top_function_name(func, src), Some("main" | "init"))).then_some(func)
}

/// Whether `n` sits inside a `for` loop of its own function (`within` bounds the search).
pub fn enclosing_loop<'t>(n: Node<'t>, within: Node<'t>) -> Option<Node<'t>> {
    let k = kinds();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.id() == within.id() || is_function(k, p.kind_id()) {
            return None;
        }
        if p.kind_id() == k.for_statement {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// A function's name for messages: `Run`, `(*Pool).Run` is just `Run`, a literal is
/// `the function literal`.
pub fn function_name<'t>(f: Node<'t>, src: &'t str) -> &'t str {
    f.child_by_field_id(kinds().f_name)
        .map(|n| text(n, src))
        .unwrap_or("the function literal")
}

/// Whether a file is a test file (its rules often start goroutines on purpose).
pub fn is_test_file(rel: &str) -> bool {
    crate::source::is_test_path(rel)
}

/// The shared kinds, re-exported for the rule files.
pub use crate::syntax::kinds::k;

pub use crate::analysis::enclosing_function;

/// The function literal a call's name is bound to in a function around `from`: `wait :=
/// func(ready chan struct{}) {...}`, the one binding of `name` in that function's body and never
/// assigned again. A local binding shadows the package's functions, so it is looked for first.
pub fn local_closure<'t>(from: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let kk = k();
    let mut at = from;
    while let Some(func) = crate::analysis::enclosing_function(at) {
        let body = func.child_by_field_id(kk.f_body)?;
        let mut bound = preorder(body).filter(|n| {
            let kind = n.kind_id();
            (kind == kk.short_var_declaration || kind == kk.assignment_statement)
                && n.child_by_field_id(kk.f_left)
                    .is_some_and(|l| text(l, src).trim() == name)
        });
        if let Some(binding) = bound.next() {
            let lit = binding
                .child_by_field_id(kk.f_right)
                .filter(|r| r.named_child_count() == 1)
                .and_then(|r| r.named_child(0))
                .filter(|l| l.kind_id() == kk.func_literal);
            let once = bound.next().is_none() && binding.kind_id() == kk.short_var_declaration;
            return lit.filter(|_| once);
        }
        at = func;
    }
    None
}

/// Whether the identifier `n` names a parameter of a function literal between it and `scope`
/// (`wait := func(ready chan struct{}) { <-ready }` inside the function that makes its own
/// `ready`): another variable of the same name.
pub fn shadowed(n: Node, name: &str, scope: Node, src: &str) -> bool {
    let kk = k();
    let mut cur = n.parent();
    while let Some(p) = cur.filter(|p| p.id() != scope.id()) {
        if p.kind_id() == kk.func_literal {
            let params = p.child_by_field_id(kk.f_parameters);
            if params.is_some_and(|l| {
                preorder(l).any(|x| x.kind_id() == kk.identifier && text(x, src) == name)
            }) {
                return true;
            }
        }
        cur = p.parent();
    }
    false
}
