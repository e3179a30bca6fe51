//! The local declarations of one file, recorded by one iterative walk in document order, each
//! with the byte range where it is visible and its type as far as it can be told.

use super::FileTypes;
use crate::fxhash::HashMap;
use crate::index::extract::{type_params, TypeCtx};
use crate::index::Ty;
use crate::syntax::kinds::{k, Kinds};
use crate::tree::field_children;
use crate::tree::Node;

struct Decl {
    /// Where the name is written.
    pos: usize,
    /// Visible from here ...
    visible: usize,
    /// ... to here (exclusive): the end of the enclosing block or statement.
    end: usize,
    ty: Option<Ty>,
}

/// Every local declaration of a file, by name.
#[derive(Default)]
pub(super) struct Locals<'t> {
    by_name: HashMap<&'t str, Vec<usize>>,
    decls: Vec<Decl>,
}

impl<'t> Locals<'t> {
    /// The innermost declaration of `name` visible at byte `at`, with its type.
    pub(super) fn lookup(&self, name: &str, at: usize) -> Option<(usize, Option<&Ty>)> {
        let ids = self.by_name.get(name)?;
        // Declarations are recorded in document order and none is visible before its own
        // position: start the backward scan at the last one written before `at`, so a name
        // declared in every one of 250,000 functions costs a binary search, not a scan.
        let before = ids.partition_point(|&i| self.decls[i].pos <= at);
        ids[..before].iter().rev().find_map(|&i| {
            let d = &self.decls[i];
            (d.visible <= at && at < d.end).then_some((i, d.ty.as_ref()))
        })
    }

    /// The declaration whose name is written at byte `pos`.
    pub(super) fn declared_at(&self, name: &str, pos: usize) -> Option<usize> {
        let ids = self.by_name.get(name)?;
        let before = ids.partition_point(|&i| self.decls[i].pos <= pos);
        ids[..before]
            .iter()
            .rev()
            .copied()
            .find(|&i| self.decls[i].pos == pos)
    }

    pub(super) fn position(&self, id: usize) -> usize {
        self.decls[id].pos
    }

    fn add(&mut self, name: &'t str, pos: usize, visible: usize, end: usize, ty: Option<Ty>) {
        if name == "_" || name.is_empty() {
            return;
        }
        self.by_name.entry(name).or_default().push(self.decls.len());
        self.decls.push(Decl {
            pos,
            visible,
            end,
            ty,
        });
    }
}

fn define_token() -> u16 {
    crate::syntax::kinds::k().t_colon_eq
}

/// Walks the file once (a cursor, no recursion) and records its local declarations.
pub(super) fn build<'t>(types: &mut FileTypes<'t>, root: Node<'t>) {
    let k = k();
    let mut scopes: Vec<usize> = Vec::new();
    for node in crate::tree::preorder(root) {
        let start = node.start_byte();
        while scopes.last().is_some_and(|&e| e <= start) {
            scopes.pop();
        }
        let kind = node.kind_id();
        if opens_scope(k, kind) {
            scopes.push(node.end_byte());
        }
        let end = scopes.last().copied().unwrap_or(types.src.len());
        if scopes.is_empty() {
            continue; // package level: the package facts hold these
        }
        declare(types, node, kind, end);
    }
}

fn opens_scope(k: &Kinds, kind: u16) -> bool {
    kind == k.block
        || kind == k.if_statement
        || kind == k.for_statement
        || kind == k.expression_switch_statement
        || kind == k.type_switch_statement
        || kind == k.expression_case
        || kind == k.type_case
        || kind == k.default_case
        || kind == k.communication_case
        || kind == k.function_declaration
        || kind == k.method_declaration
        || kind == k.func_literal
}

fn declare<'t>(types: &mut FileTypes<'t>, node: Node<'t>, kind: u16, end: usize) {
    let k = k();
    if kind == k.function_declaration || kind == k.method_declaration || kind == k.func_literal {
        function(types, node);
    } else if kind == k.short_var_declaration {
        let left = node.child_by_field_id(k.f_left);
        let right = node.child_by_field_id(k.f_right);
        if let (Some(l), Some(r)) = (left, right) {
            assign(types, l, r, node.end_byte(), end);
        }
    } else if kind == k.var_spec || kind == k.const_spec {
        var_spec(types, node, end);
    } else if kind == k.range_clause && has_define(node) {
        range(types, node, end);
    } else if kind == k.receive_statement && has_define(node) {
        if let (Some(l), Some(r)) = (
            node.child_by_field_id(k.f_left),
            node.child_by_field_id(k.f_right),
        ) {
            assign(types, l, r, node.end_byte(), end);
        }
    } else if kind == k.type_switch_statement {
        type_switch(types, node);
    }
}

fn has_define(node: Node) -> bool {
    let mut c = node.walk();
    let define = define_token();
    let found = node.children(&mut c).any(|ch| ch.kind_id() == define);
    found
}

/// Receiver, parameters and named results, visible in the body.
fn function<'t>(types: &mut FileTypes<'t>, node: Node<'t>) {
    let k = k();
    let Some(body) = node.child_by_field_id(k.f_body) else {
        return;
    };
    let cx = TypeCtx {
        pkg: &types.scope.current.path,
        imports: types.imports,
        src: types.src,
        tparams: tparams_of(node, types.src),
    };
    let (visible, end) = (body.start_byte(), node.end_byte());
    let mut decls = Vec::new();
    for field in [k.f_receiver, k.f_parameters, k.f_result] {
        let Some(list) = node.child_by_field_id(field) else {
            continue;
        };
        if list.kind_id() != k.parameter_list {
            continue;
        }
        let mut c = list.walk();
        for p in list.named_children(&mut c) {
            let Some(tn) = p.child_by_field_id(k.f_type) else {
                continue;
            };
            let mut t = cx.ty(tn);
            if p.kind_id() == k.variadic_parameter_declaration {
                t = Ty::slice(t);
            }
            for n in field_children(p, k.f_name) {
                decls.push((types.text(n), n.start_byte(), t.clone()));
            }
        }
    }
    for (name, pos, t) in decls {
        types.locals.add(name, pos, visible, end, Some(t));
    }
}

/// Type parameters of a function, or of a method's receiver type (`func (s *Set[T]) ...`).
fn tparams_of<'t>(node: Node<'t>, src: &'t str) -> Vec<&'t str> {
    let k = k();
    let mut out = type_params(node, src);
    if let Some(recv) = node.child_by_field_id(k.f_receiver) {
        for n in crate::tree::preorder(recv) {
            if n.kind_id() == k.type_arguments {
                let mut c = n.walk();
                for a in n.named_children(&mut c) {
                    out.push(src.get(a.byte_range()).unwrap_or("").trim());
                }
            }
        }
    }
    out
}

/// `a, b := right` (or `a, ok := <-ch`): the names on the left get the right side's types.
fn assign<'t>(
    types: &mut FileTypes<'t>,
    left: Node<'t>,
    right: Node<'t>,
    visible: usize,
    end: usize,
) {
    let names = names(left);
    let tys = value_types(types, names.len(), right);
    for (i, n) in names.into_iter().enumerate() {
        let t = tys.get(i).cloned().flatten();
        types
            .locals
            .add(types.text(n), n.start_byte(), visible, end, t);
    }
}

fn names(list: Node) -> Vec<Node> {
    let k = k();
    if list.kind_id() == k.identifier {
        return vec![list];
    }
    let mut c = list.walk();
    let out = list
        .named_children(&mut c)
        .filter(|n| n.kind_id() == k.identifier)
        .collect();
    out
}

/// The types `right` gives to `want` names: one call's results, `v, ok` forms, or pairwise.
pub(super) fn value_types(types: &FileTypes, want: usize, right: Node) -> Vec<Option<Ty>> {
    let k = k();
    let values: Vec<Node> = if right.kind_id() == k.expression_list {
        let mut c = right.walk();
        let v = right.named_children(&mut c).collect();
        v
    } else {
        vec![right]
    };
    if values.len() == 1 && want > 1 {
        return multi_value(types, values[0]);
    }
    values.iter().map(|v| types.type_of(*v)).collect()
}

/// `f()` with several results, `m[k]`, `x.(T)`, `<-ch` in their two-value forms.
pub(super) fn multi_value(types: &FileTypes, v: Node) -> Vec<Option<Ty>> {
    let k = k();
    let kind = v.kind_id();
    if kind == k.call_expression {
        return match types.callee(v) {
            Some(c) => c.sig.results.iter().cloned().map(Some).collect(),
            None => Vec::new(),
        };
    }
    let ok = Some(Ty::builtin("bool"));
    if kind == k.index_expression
        || kind == k.type_assertion_expression
        || kind == k.unary_expression
    {
        return vec![types.type_of(v), ok];
    }
    if kind == k.parenthesized_expression {
        if let Some(inner) = v.named_child(0) {
            return multi_value(types, inner);
        }
    }
    Vec::new()
}

fn var_spec<'t>(types: &mut FileTypes<'t>, spec: Node<'t>, end: usize) {
    let k = k();
    let names = field_children(spec, k.f_name);
    let declared = spec.child_by_field_id(k.f_type).map(|t| types.type_expr(t));
    let tys: Vec<Option<Ty>> = match (&declared, spec.child_by_field_id(k.f_value)) {
        (Some(t), _) => vec![Some(t.clone()); names.len()],
        (None, Some(v)) if spec.kind_id() == k.var_spec => value_types(types, names.len(), v),
        _ => Vec::new(),
    };
    for (i, n) in names.into_iter().enumerate() {
        let t = tys.get(i).cloned().flatten();
        types
            .locals
            .add(types.text(n), n.start_byte(), spec.end_byte(), end, t);
    }
}

/// `for k, v := range x`.
fn range<'t>(types: &mut FileTypes<'t>, clause: Node<'t>, end: usize) {
    let k = k();
    let (Some(left), Some(right)) = (
        clause.child_by_field_id(k.f_left),
        clause.child_by_field_id(k.f_right),
    ) else {
        return;
    };
    let elems = types
        .type_of(right)
        .map(|t| range_types(types, &t))
        .unwrap_or_default();
    for (i, n) in names(left).into_iter().enumerate() {
        let t = elems.get(i).cloned().flatten();
        types
            .locals
            .add(types.text(n), n.start_byte(), clause.end_byte(), end, t);
    }
}

/// What ranging over a value of type `t` yields.
fn range_types(types: &FileTypes, t: &Ty) -> Vec<Option<Ty>> {
    let int = Some(Ty::builtin("int"));
    match types.scope.underlying(t) {
        Ty::Slice(e) | Ty::Array(e) => vec![int, Some(*e)],
        Ty::Pointer(p) => match *p {
            Ty::Array(e) => vec![int, Some(*e)],
            _ => Vec::new(),
        },
        Ty::Map(key, v) => vec![Some(*key), Some(*v)],
        Ty::Chan(e) => vec![Some(*e)],
        Ty::Func(sig) => match sig.params.first() {
            Some(Ty::Func(yield_)) => yield_.params.iter().cloned().map(Some).collect(),
            _ => Vec::new(),
        },
        Ty::Named(p, n) if p.is_empty() && &*n == "string" => vec![int, Some(Ty::builtin("int32"))],
        Ty::Named(p, _) if p.is_empty() => vec![int],
        _ => Vec::new(),
    }
}

/// `switch v := x.(type)`: in each case with one type, `v` has that type; else `x`'s.
fn type_switch<'t>(types: &mut FileTypes<'t>, node: Node<'t>) {
    let k = k();
    let Some(alias) = node
        .child_by_field_id(k.f_alias)
        .and_then(|a| names(a).into_iter().next())
    else {
        return;
    };
    let name = types.text(alias);
    let operand = node
        .child_by_field_id(k.f_value)
        .and_then(|v| types.type_of(v));
    let mut c = node.walk();
    let cases: Vec<Node> = node
        .named_children(&mut c)
        .filter(|n| n.kind_id() == k.type_case || n.kind_id() == k.default_case)
        .collect();
    for case in cases {
        let listed = field_children(case, k.f_type);
        let t = match listed.as_slice() {
            [one] if types.text(*one) != "nil" => Some(types.type_expr(*one)),
            _ => operand.clone(),
        };
        types.locals.add(
            name,
            alias.start_byte(),
            case.start_byte(),
            case.end_byte(),
            t,
        );
    }
}
