//! Which functions' errors the package inspects: the names of the functions and methods whose
//! returned error some code of the package hands to `errors.Is` or `errors.As`, directly
//! (`errors.Is(load(p), fs.ErrNotExist)`) or through the variable it was assigned to
//! (`err := s.load(p)` then `errors.As(err, &pathErr)`). Resolved by name, without types: a
//! method name stands for every method of that name. `error-wrap-verb` reads it: `%w` in such a
//! function keeps a chain that its callers look into, so the fix is what they need.

use super::{enclosing_function, kinds};
use crate::fxhash::HashSet;
use crate::source::SourceFile;
use crate::tree::{preorder, Node};

/// The names of the package's functions whose error results are inspected (see the module doc).
pub fn inspected_results(files: &[SourceFile]) -> HashSet<String> {
    let mut out = HashSet::default();
    for file in files {
        // Most files never call errors.Is or errors.As: skip their trees.
        if !file.text.contains("errors.Is(") && !file.text.contains("errors.As(") {
            continue;
        }
        let Some(root) = file.root() else { continue };
        for call in preorder(root).filter(|n| is_inspection(*n, file)) {
            if let Some(name) = checked_call(call, file) {
                out.insert(name.to_string());
            }
        }
    }
    out
}

/// `errors.Is(...)` or `errors.As(...)`.
fn is_inspection(n: Node, file: &SourceFile) -> bool {
    let k = kinds();
    n.kind_id() == k.call_expression
        && n.child_by_field_id(k.f_function)
            .is_some_and(|f| matches!(file.node_text(f), "errors.Is" | "errors.As"))
}

/// The name of the function whose error the inspection's first argument holds.
fn checked_call<'t>(inspection: Node<'t>, file: &'t SourceFile) -> Option<&'t str> {
    let k = kinds();
    let arg = inspection
        .child_by_field_id(k.f_arguments)?
        .named_child(0)?;
    if arg.kind_id() == k.call_expression {
        return callee_name(arg, file);
    }
    if arg.kind_id() != k.identifier {
        return None;
    }
    let var = file.node_text(arg);
    let func = enclosing_function(inspection)?;
    preorder(func)
        .take_while(|n| n.start_byte() < inspection.start_byte())
        .filter(|n| n.kind_id() == k.short_var_declaration || n.kind_id() == k.assignment_statement)
        .filter_map(|n| assigned_call(n, var, file))
        .last()
        .and_then(|call| callee_name(call, file))
}

/// In `v, err := f(...)` or `err = f(...)`, the call when `var` is on the left.
fn assigned_call<'t>(assign: Node<'t>, var: &str, file: &SourceFile) -> Option<Node<'t>> {
    let k = kinds();
    let left = assign.child_by_field_id(k.f_left)?;
    let mut c = left.walk();
    let mut names = left.named_children(&mut c);
    if !names.any(|n| file.node_text(n) == var) {
        return None;
    }
    let value = assign.child_by_field_id(k.f_right)?.named_child(0)?;
    (value.kind_id() == k.call_expression).then_some(value)
}

/// `load` in `load(p)`, `s.load(p)` or `pkg.Load(p)`.
fn callee_name<'t>(call: Node<'t>, file: &'t SourceFile) -> Option<&'t str> {
    let f = call.child_by_field_id(kinds().f_function)?;
    file.node_text(f).rsplit('.').next()
}
