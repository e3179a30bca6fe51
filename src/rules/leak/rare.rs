//! Leaks a reviewer weighs as minor, though the rule is right about them: a file left open only
//! when a write of data already in memory fails (a full disk: one descriptor, once), and a
//! response body left open only after it was read to the end, in a function that closes it on
//! its other paths (net/http hands the connection back to the pool at the body's EOF, so only
//! the small body object is left). `unclosed-resource` reports them two levels lower (a high leak as `low`), saying why.

use super::flow::{LeakAt, Resource};
use super::resources::{FileFacts, Kind};
use crate::analysis::cfg::Exit;
use crate::rules::FileContext;
use crate::tree::Node;

/// Calls writing data the program already holds: they fail on a full or broken disk, not on the
/// data (`io.Copy` from a network reader or an `Encode` that may fail on the value are not here).
const WRITES: [&str; 9] = [
    "Write",
    "WriteString",
    "WriteAt",
    "WriteFile",
    "Sync",
    "Flush",
    "Fprint",
    "Fprintf",
    "Fprintln",
];

/// Why every leak of `r` is on a path a reviewer counts as minor, if it is.
pub fn minor_leak(
    r: &Resource,
    leaks: &[LeakAt],
    func: Node,
    facts: &FileFacts,
    cx: &FileContext,
) -> Option<&'static str> {
    let returns: Vec<Node> = leaks
        .iter()
        .map(|l| match l {
            LeakAt::Exit(Exit::Return(ret), _) => Some(*ret),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if returns.is_empty() {
        return None;
    }
    match r.kind {
        Kind::File
            if returns
                .iter()
                .all(|ret| after_failed_write(*ret, func, facts)) =>
        {
            Some("only when a write fails (a full disk)")
        }
        Kind::Response
            if closed_elsewhere(r, func, facts)
                && returns
                    .iter()
                    .all(|ret| read_to_end_before(r, *ret, func, facts, cx)) =>
        {
            Some("only after its body was read to the end, which frees the connection")
        }
        _ => None,
    }
}

/// `ret` is in the branch of an `if err != nil` (at any depth) whose error came from a write.
fn after_failed_write(ret: Node, func: Node, facts: &FileFacts) -> bool {
    let mut n = ret;
    while let Some(parent) = n.parent() {
        if parent.id() == func.id() {
            return false;
        }
        if in_consequence(parent, n, facts) && failing_call(parent, facts).is_some_and(is_write) {
            return true;
        }
        n = parent;
    }
    false
}

/// `n` is the branch an `if` statement `stmt` takes when its condition holds.
fn in_consequence(stmt: Node, n: Node, facts: &FileFacts) -> bool {
    stmt.kind_id() == facts.k.if_statement
        && stmt
            .child_by_field_id(facts.k.f_consequence)
            .is_some_and(|c| c.id() == n.id())
}

fn is_write(callee: &str) -> bool {
    WRITES.contains(&callee.rsplit('.').next().unwrap_or(callee))
}

/// A call that reads (`io.ReadAll`, `readBody`, `io.Copy`), by its name.
fn is_read(callee: &str) -> bool {
    let name = callee.rsplit('.').next().unwrap_or(callee);
    name == "Copy" || name.to_ascii_lowercase().contains("read")
}

/// In `if err := f(x); err != nil` or `err = f(x)` followed by `if err != nil`, the callee
/// text `f`.
pub fn failing_call<'t>(stmt: Node<'t>, facts: &FileFacts<'t>) -> Option<&'t str> {
    let k = facts.k;
    let cond = facts.text(stmt.child_by_field_id(k.f_condition)?);
    let err = cond.strip_suffix(" != nil").filter(|v| !v.contains(' '))?;
    let assigning = stmt
        .child_by_field_id(k.f_initializer)
        .or_else(|| stmt.prev_named_sibling())
        .filter(|s| assigns_name(*s, err, facts))?;
    let call = assigning
        .child_by_field_id(k.f_right)?
        .named_child(0)
        .filter(|c| c.kind_id() == k.call_expression)?;
    Some(facts.text(call.child_by_field_id(k.f_function)?))
}

/// Whether the assignment or declaration `stmt` sets `name`.
pub fn assigns_name(stmt: Node, name: &str, facts: &FileFacts) -> bool {
    let k = facts.k;
    if stmt.kind_id() != k.short_var_declaration && stmt.kind_id() != k.assignment_statement {
        return false;
    }
    stmt.child_by_field_id(k.f_left).is_some_and(|left| {
        let mut c = left.walk();
        let found = left.named_children(&mut c).any(|n| facts.text(n) == name);
        found
    })
}

/// The function calls `Close` on the response's body somewhere (a deferred or plain call).
fn closed_elsewhere(r: &Resource, func: Node, facts: &FileFacts) -> bool {
    let body = facts.text(func);
    r.names
        .iter()
        .any(|name| body.contains(&format!("{name}.Body.Close()")))
}

/// A statement before `ret`, in a block that holds it, reads the body to its end:
/// `io.ReadAll(resp.Body)`, `io.Copy(io.Discard, resp.Body)`, or a function of the package
/// that hands its parameter to `io.ReadAll`.
fn read_to_end_before(
    r: &Resource,
    ret: Node,
    func: Node,
    facts: &FileFacts,
    cx: &FileContext,
) -> bool {
    let k = facts.k;
    let mut n = ret;
    while let Some(parent) = n.parent() {
        if in_consequence(parent, n, facts) && failing_call(parent, facts).is_some_and(is_read) {
            return false; // the read itself failed: the body did not reach its end
        }
        if parent.kind_id() == k.statement_list {
            let mut stmt = n.prev_named_sibling();
            while let Some(s) = stmt {
                if reads_to_end(r, s, facts, cx) {
                    return true;
                }
                stmt = s.prev_named_sibling();
            }
        }
        if parent.id() == func.id() {
            return false;
        }
        n = parent;
    }
    false
}

/// `stmt` is (or assigns) a call reading one of the response's names' `.Body` to its end.
fn reads_to_end(r: &Resource, stmt: Node, facts: &FileFacts, cx: &FileContext) -> bool {
    let k = facts.k;
    let call = match stmt.kind_id() {
        x if x == k.expression_statement => stmt.named_child(0),
        x if x == k.short_var_declaration || x == k.assignment_statement => stmt
            .child_by_field_id(k.f_right)
            .and_then(|r| r.named_child(0)),
        _ => None,
    };
    let Some(call) = call.filter(|c| c.kind_id() == k.call_expression) else {
        return false;
    };
    let args: Vec<&str> = call
        .child_by_field_id(k.f_arguments)
        .map(|a| {
            let mut c = a.walk();
            let texts = a.named_children(&mut c).map(|n| facts.text(n)).collect();
            texts
        })
        .unwrap_or_default();
    let Some(at) = args.iter().position(|a| {
        r.names
            .iter()
            .any(|name| a.strip_suffix(".Body") == Some(*name))
    }) else {
        return false;
    };
    let callee = call
        .child_by_field_id(k.f_function)
        .map_or("", |f| facts.text(f));
    match callee {
        "io.ReadAll" | "ioutil.ReadAll" => true,
        "io.Copy" => at == 1 && matches!(args[0], "io.Discard" | "ioutil.Discard"),
        _ => !callee.contains('.') && own_reader(callee, at, cx),
    }
}

/// A function of the package every declaration of which hands its parameter `at` to
/// `io.ReadAll`.
fn own_reader(name: &str, at: usize, cx: &FileContext) -> bool {
    let Some(package) = cx.package else {
        return false;
    };
    let decls = package.declarations_named(name);
    !decls.is_empty()
        && decls.iter().all(|(file, decl)| {
            let names = parameter_names(*decl, file);
            names.get(at).is_some_and(|p| {
                let text = file.node_text(*decl);
                text.contains(&format!("io.ReadAll({p})"))
                    || text.contains(&format!("ioutil.ReadAll({p})"))
            })
        })
}

/// The names of a function declaration's parameters, in order (`a, b int` gives both).
fn parameter_names<'t>(decl: Node<'t>, file: &'t crate::source::SourceFile) -> Vec<&'t str> {
    let k = crate::syntax::kinds::k();
    let Some(params) = decl.child_by_field_id(k.f_parameters) else {
        return Vec::new();
    };
    let mut c = params.walk();
    let decls: Vec<Node> = params.named_children(&mut c).collect();
    decls
        .into_iter()
        .filter(|d| d.kind_id() == k.parameter_declaration)
        .flat_map(|d| crate::tree::field_children(d, k.f_name))
        .map(|n| file.node_text(n))
        .collect()
}
