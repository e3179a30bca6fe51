//! What several rules share: a control-flow graph per function
//! body (`cfg`), the lock model of a package (`locks`), path facts read from the syntax
//! (`paths`), local types and call resolution (`types`), and which functions' errors the
//! package inspects (`inspected`).

pub mod cfg;
pub mod concurrency;
pub mod inspected;
pub mod locks;
pub mod paths;
pub mod taint;
pub mod types;

/// The grammar's node kind, field and token ids (`syntax::kinds`, the one table), under the
/// names the analyses use.
pub use crate::syntax::kinds::{k as kinds, Kinds};

/// Whether `node` is a function declaration, method declaration or function literal.
pub fn is_function(k: &Kinds, kind: u16) -> bool {
    kind == k.function_declaration || kind == k.method_declaration || kind == k.func_literal
}

/// The name a call is written with: `Unmarshal` of `json.Unmarshal(b, &v)` or of
/// `dec.Unmarshal(&v)`, `load` of `load(p)`; `None` for other shapes (`f()(x)`, `fn[T](x)`).
pub fn written_name<'t>(call: crate::tree::Node<'t>, src: &'t str) -> Option<&'t str> {
    let k = kinds();
    let f = call.child_by_field_id(k.f_function)?;
    let name = if f.kind_id() == k.identifier {
        f
    } else if f.kind_id() == k.selector_expression {
        f.child_by_field_id(k.f_field)?
    } else {
        return None;
    };
    src.get(name.start_byte()..name.end_byte())
}

/// The nearest function declaration, method declaration or function literal around `n`.
pub fn enclosing_function<'t>(n: crate::tree::Node<'t>) -> Option<crate::tree::Node<'t>> {
    let k = kinds();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_function(k, p.kind_id()) {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}
