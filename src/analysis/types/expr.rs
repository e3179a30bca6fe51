//! Typing expressions and resolving calls, on demand. Recursion follows the expression's operands
//! only and stops at `MAX_DEPTH`, so a 7,000-level concatenation cannot overflow the stack.

use super::{Callee, CalleeKind, Certainty, FileTypes};
use crate::index::{Signature, Ty};
use crate::syntax::kinds::k;
use crate::tree::Node;
use std::sync::Arc;

const MAX_DEPTH: usize = 40;
/// A vote is accepted when at least this share of candidates agree on the result shape.
pub const VOTE_SHARE: f64 = 0.5;

/// What an identifier names, local declarations first.
enum Name {
    Local(Option<Ty>),
    Import(String),
    PackageVar(Ty),
    PackageFunc(Arc<Signature>, String),
    Type(Ty),
    Builtin,
    Unknown,
}

impl<'t> FileTypes<'t> {
    pub(super) fn expr_ty(&self, n: Node, depth: usize) -> Option<Ty> {
        if depth > MAX_DEPTH {
            return None;
        }
        let k = k();
        let kind = n.kind_id();
        let d = depth + 1;
        if kind == k.identifier {
            return match self.name(n) {
                Name::Local(t) => t,
                Name::PackageVar(t) => Some(t),
                Name::PackageFunc(sig, _) => Some(Ty::Func(sig)),
                _ => self.literal_ident(n),
            };
        }
        if kind == k.selector_expression {
            return self.selector_ty(n, d);
        }
        if kind == k.call_expression {
            let c = self.callee_at(n, d)?;
            return c.sig.results.first().cloned();
        }
        if kind == k.composite_literal {
            return n.child_by_field_id(k.f_type).map(|t| self.type_expr(t));
        }
        if kind == k.parenthesized_expression {
            return self.expr_ty(n.named_child(0)?, d);
        }
        if kind == k.unary_expression {
            return self.unary_ty(n, d);
        }
        if kind == k.binary_expression {
            return self.binary_ty(n, d);
        }
        if kind == k.index_expression {
            return self.index_ty(n, d);
        }
        if kind == k.slice_expression {
            let t = self.expr_ty(n.child_by_field_id(k.f_operand)?, d)?;
            return Some(match self.scope.underlying(&t) {
                Ty::Array(e) => Ty::Slice(e),
                Ty::Pointer(p) => match *p {
                    Ty::Array(e) => Ty::Slice(e),
                    _ => t,
                },
                _ => t,
            });
        }
        if kind == k.type_assertion_expression || kind == k.type_conversion_expression {
            return n.child_by_field_id(k.f_type).map(|t| self.type_expr(t));
        }
        if kind == k.func_literal {
            return Some(Ty::Func(Arc::new(self.type_ctx().signature(n))));
        }
        literal_ty(n)
    }

    fn literal_ident(&self, n: Node) -> Option<Ty> {
        match self.text(n) {
            "true" | "false" => Some(Ty::builtin("bool")),
            _ => None,
        }
    }

    /// Resolves an identifier: locals, then the package, then imports and the universe.
    fn name(&self, n: Node) -> Name {
        let name = self.text(n);
        if let Some((_, t)) = self.locals.lookup(name, n.start_byte()) {
            return Name::Local(t.cloned());
        }
        let pkg = &self.scope.current.path;
        if let Some(sig) = self.scope.current.funcs.get(name) {
            return Name::PackageFunc(sig.clone(), pkg.clone());
        }
        if let Some(t) = self.scope.current.vars.get(name) {
            return Name::PackageVar(t.clone());
        }
        if self.scope.current.types.contains_key(name) {
            return Name::Type(Ty::named(pkg, name));
        }
        if let Some(path) = self.imports.path(name) {
            return Name::Import(path.to_string());
        }
        if crate::index::ty::is_predeclared(name) {
            return Name::Type(self.type_ctx().ty(n));
        }
        if is_builtin_func(name) {
            return Name::Builtin;
        }
        self.dot_import(name)
    }

    fn dot_import(&self, name: &str) -> Name {
        for path in &self.imports.dot {
            if let Some(sig) = self.scope.func(path, name) {
                return Name::PackageFunc(sig, path.clone());
            }
            if let Some(t) = self.scope.var(path, name) {
                return Name::PackageVar(t);
            }
        }
        Name::Unknown
    }

    fn selector_ty(&self, n: Node, d: usize) -> Option<Ty> {
        let k = k();
        let operand = n.child_by_field_id(k.f_operand)?;
        let field = self.text(n.child_by_field_id(k.f_field)?);
        if operand.kind_id() == k.identifier {
            if let Name::Import(path) = self.name(operand) {
                if let Some(t) = self.scope.var(&path, field) {
                    return Some(t);
                }
                return self.scope.func(&path, field).map(Ty::Func);
            }
        }
        let t = self.expr_ty(operand, d)?;
        if let Some(f) = self.scope.field(&t, field) {
            return Some(f);
        }
        self.scope.method(&t, field).map(|m| Ty::Func(m.sig))
    }

    fn unary_ty(&self, n: Node, d: usize) -> Option<Ty> {
        let k = k();
        let operand = n.child_by_field_id(k.f_operand)?;
        let op = self.text(n.child_by_field_id(k.f_operator)?);
        match op {
            "&" => self.expr_ty(operand, d).map(Ty::pointer),
            "*" => match self.expr_ty(operand, d)? {
                Ty::Pointer(t) => Some(*t),
                _ => None,
            },
            "<-" => match self.scope.underlying(&self.expr_ty(operand, d)?) {
                Ty::Chan(e) => Some(*e),
                _ => None,
            },
            "!" => Some(Ty::builtin("bool")),
            _ => self.expr_ty(operand, d),
        }
    }

    /// Comparisons and logic give `bool`; other operators the left operand's type, found by
    /// walking down the left spine (long concatenations are chains of binary expressions).
    fn binary_ty(&self, n: Node, d: usize) -> Option<Ty> {
        let k = k();
        let op = n
            .child_by_field_id(k.f_operator)
            .map(|o| self.text(o))
            .unwrap_or("");
        if matches!(op, "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||") {
            return Some(Ty::builtin("bool"));
        }
        let mut left = n.child_by_field_id(k.f_left)?;
        while left.kind_id() == k.binary_expression {
            left = left.child_by_field_id(k.f_left)?;
        }
        if matches!(op, "<<" | ">>") {
            return self.expr_ty(left, d);
        }
        self.expr_ty(left, d).or_else(|| {
            n.child_by_field_id(k.f_right)
                .and_then(|r| self.expr_ty(r, d))
        })
    }

    fn index_ty(&self, n: Node, d: usize) -> Option<Ty> {
        let k = k();
        let operand = n.child_by_field_id(k.f_operand)?;
        let t = self.expr_ty(operand, d)?;
        match self.scope.underlying(&t) {
            Ty::Slice(e) | Ty::Array(e) => Some(*e),
            Ty::Map(_, v) => Some(*v),
            Ty::Pointer(p) => match *p {
                Ty::Array(e) => Some(*e),
                _ => None,
            },
            Ty::Named(p, name) if p.is_empty() && &*name == "string" => Some(Ty::builtin("uint8")),
            f @ Ty::Func(_) => Some(f),
            _ => None,
        }
    }

    pub(super) fn callee_at(&self, call: Node, depth: usize) -> Option<Callee> {
        if depth > MAX_DEPTH {
            return None;
        }
        let k = k();
        let f = call.child_by_field_id(k.f_function)?;
        let kind = f.kind_id();
        let d = depth + 1;
        if kind == k.identifier {
            return self.ident_callee(call, f, d);
        }
        if kind == k.selector_expression {
            return self.selector_callee(call, f, d);
        }
        if kind == k.parenthesized_expression {
            if let Some(t) = self.paren_type(f) {
                return Some(conversion(t));
            }
        }
        if kind == k.index_expression {
            // `F[T](x)`: a generic function instantiated explicitly.
            let inner = f.child_by_field_id(k.f_operand)?;
            if let Some(c) = self.callee_of_expr(inner, call, d) {
                return Some(c);
            }
        }
        let t = self.expr_ty(f, d)?;
        func_value(&t, value_name(self.text(f)))
    }

    /// A function named by an expression (used for `F[T](x)`).
    fn callee_of_expr(&self, f: Node, call: Node, d: usize) -> Option<Callee> {
        let k = k();
        if f.kind_id() == k.identifier {
            return self.ident_callee(call, f, d);
        }
        if f.kind_id() == k.selector_expression {
            return self.selector_callee(call, f, d);
        }
        None
    }

    fn ident_callee(&self, call: Node, f: Node, d: usize) -> Option<Callee> {
        let name = self.text(f);
        match self.name(f) {
            Name::Local(Some(t)) | Name::PackageVar(t) => {
                func_value(&self.scope.underlying(&t), name)
            }
            Name::PackageFunc(sig, pkg) => Some(Callee {
                kind: CalleeKind::Func,
                pkg,
                name: name.to_string(),
                sig,
                certainty: Certainty::Exact,
            }),
            Name::Type(t) => Some(conversion(t)),
            Name::Builtin => Some(self.builtin(call, name, d)),
            _ => None,
        }
    }

    fn selector_callee(&self, call: Node, f: Node, d: usize) -> Option<Callee> {
        let k = k();
        let operand = f.child_by_field_id(k.f_operand)?;
        let name = self.text(f.child_by_field_id(k.f_field)?);
        if operand.kind_id() == k.identifier {
            match self.name(operand) {
                Name::Import(path) => return self.package_callee(&path, name),
                Name::Type(t) => return self.method_expr(&t, name),
                _ => {}
            }
        }
        let recv = self.expr_ty(operand, d);
        if let Some(t) = &recv {
            if let Some(m) = self.scope.method(t, name) {
                return Some(Callee {
                    kind: CalleeKind::Method {
                        recv: t.clone(),
                        owner: m.owner,
                        pointer: m.pointer,
                        interface: m.interface,
                        via: m.via,
                    },
                    pkg: String::new(),
                    name: name.to_string(),
                    sig: m.sig,
                    certainty: Certainty::Exact,
                })
                .map(|mut c| {
                    c.pkg = owner_pkg(&c);
                    c
                });
            }
            if let Some(ft) = self.scope.field(t, name) {
                return func_value(&self.scope.underlying(&ft), name);
            }
        }
        self.voted(call, name, recv)
    }

    fn package_callee(&self, path: &str, name: &str) -> Option<Callee> {
        if let Some(sig) = self.scope.func(path, name) {
            return Some(Callee {
                kind: CalleeKind::Func,
                pkg: path.to_string(),
                name: name.to_string(),
                sig,
                certainty: Certainty::Exact,
            });
        }
        if let Some(t) = self.scope.var(path, name) {
            return func_value(&self.scope.underlying(&t), name);
        }
        let is_type = self.scope.with_decl(path, name, |_| ()).is_some();
        is_type.then(|| conversion(Ty::named(path, name)))
    }

    /// `T.Method(recv, args)`: the method with its receiver as first parameter.
    fn method_expr(&self, t: &Ty, name: &str) -> Option<Callee> {
        let m = self.scope.method(t, name)?;
        let mut sig = (*m.sig).clone();
        sig.params.insert(0, t.clone());
        Some(Callee {
            kind: CalleeKind::Value,
            pkg: String::new(),
            name: name.to_string(),
            sig: Arc::new(sig),
            certainty: Certainty::Exact,
        })
    }

    /// A method whose receiver is unknown: what most methods of that name and arity return.
    fn voted(&self, call: Node, name: &str, recv: Option<Ty>) -> Option<Callee> {
        let arity = arg_count(call);
        let vote =
            self.scope
                .index
                .vote(name, arity, Some(self.scope.current), self.scope.visible)?;
        if vote.share < VOTE_SHARE {
            return None;
        }
        Some(Callee {
            kind: CalleeKind::Method {
                recv: recv.unwrap_or(Ty::Opaque),
                owner: Ty::Opaque,
                pointer: false,
                interface: false,
                via: Vec::new(),
            },
            pkg: String::new(),
            name: name.to_string(),
            sig: vote.sig,
            certainty: Certainty::Voted(vote.share),
        })
    }

    /// `(*T)` or `(pkg.T)` used as a conversion's function.
    fn paren_type(&self, f: Node) -> Option<Ty> {
        let k = k();
        let inner = f.named_child(0)?;
        if inner.kind_id() == k.unary_expression {
            let op = inner.child_by_field_id(k.f_operator).map(|o| self.text(o));
            let operand = inner.child_by_field_id(k.f_operand)?;
            if op == Some("*") {
                return self.type_name(operand).map(Ty::pointer);
            }
            return None;
        }
        if inner.kind_id() == k.pointer_type
            || inner.kind_id() == k.function_type
            || inner.kind_id() == k.channel_type
        {
            return Some(self.type_expr(inner));
        }
        self.type_name(inner)
    }

    /// The type an expression names, if it names one (`T`, `pkg.T`).
    fn type_name(&self, n: Node) -> Option<Ty> {
        let k = k();
        if n.kind_id() == k.identifier || n.kind_id() == k.type_identifier {
            return match self.name(n) {
                Name::Type(t) => Some(t),
                _ => None,
            };
        }
        if n.kind_id() == k.selector_expression || n.kind_id() == k.qualified_type {
            let (pkg, name) = if n.kind_id() == k.qualified_type {
                (
                    n.child_by_field_id(k.f_package)?,
                    n.child_by_field_id(k.f_name)?,
                )
            } else {
                (
                    n.child_by_field_id(k.f_operand)?,
                    n.child_by_field_id(k.f_field)?,
                )
            };
            let path = self.imports.path(self.text(pkg))?;
            let name = self.text(name);
            return self.scope.with_decl(path, name, |_| Ty::named(path, name));
        }
        None
    }

    /// What `new` allocates: a `T` for `new(T)`, the value's type for Go 1.26's `new(expr)`. The
    /// grammar reads a lone name as a type, so a name bound to a variable (`new(limit)`) is read as
    /// that variable.
    fn new_operand(&self, operand: Node, d: usize) -> Option<Ty> {
        let k = k();
        let kind = operand.kind_id();
        if kind == k.type_identifier {
            return match self.name(operand) {
                Name::Local(t) => t,
                Name::PackageVar(t) => Some(t),
                _ => Some(self.type_expr(operand)),
            };
        }
        let is_type = [
            k.qualified_type,
            k.pointer_type,
            k.slice_type,
            k.array_type,
            k.implicit_length_array_type,
            k.map_type,
            k.channel_type,
            k.function_type,
            k.generic_type,
            k.struct_type,
            k.interface_type,
            k.parenthesized_type,
            k.negated_type,
        ]
        .contains(&kind);
        if is_type {
            Some(self.type_expr(operand))
        } else {
            self.expr_ty(operand, d)
        }
    }

    fn builtin(&self, call: Node, name: &str, d: usize) -> Callee {
        let k = k();
        let args = call.child_by_field_id(k.f_arguments);
        let first = args.and_then(|a| a.named_child(0));
        let result = match name {
            "len" | "cap" | "copy" => Some(Ty::builtin("int")),
            "append" => first.and_then(|a| self.expr_ty(a, d)),
            "make" => first.map(|a| self.type_expr(a)),
            "new" => first.and_then(|a| self.new_operand(a, d)).map(Ty::pointer),
            "recover" => Some(Ty::Opaque),
            "min" | "max" | "real" | "imag" | "complex" => first.and_then(|a| self.expr_ty(a, d)),
            _ => None,
        };
        Callee {
            kind: CalleeKind::Builtin,
            pkg: String::new(),
            name: name.to_string(),
            sig: Arc::new(Signature {
                params: Vec::new(),
                variadic: true,
                results: result.into_iter().collect(),
            }),
            certainty: Certainty::Exact,
        }
    }
}

fn owner_pkg(c: &Callee) -> String {
    match &c.kind {
        CalleeKind::Method { owner, .. } => owner
            .named_parts()
            .map(|(p, _)| p.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn conversion(t: Ty) -> Callee {
    Callee {
        kind: CalleeKind::Conversion,
        pkg: String::new(),
        name: t.short(),
        sig: Arc::new(Signature {
            params: vec![Ty::Opaque],
            variadic: false,
            results: vec![t],
        }),
        certainty: Certainty::Exact,
    }
}

/// A called value's name as messages show it: its text, or for a text over `MAX_VALUE_NAME`
/// bytes (a function literal called in place, nested ones each holding the next) only its first
/// line, cut there, so that the names of nested calls do not add up to the square of the text.
fn value_name(text: &str) -> &str {
    if text.len() <= MAX_VALUE_NAME {
        return text;
    }
    let mut end = text.find('\n').unwrap_or(text.len()).min(MAX_VALUE_NAME);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The longest text a called value's name keeps whole (`value_name`).
const MAX_VALUE_NAME: usize = 1024;

fn func_value(t: &Ty, name: &str) -> Option<Callee> {
    match t {
        Ty::Func(sig) => Some(Callee {
            kind: CalleeKind::Value,
            pkg: String::new(),
            name: name.to_string(),
            sig: sig.clone(),
            certainty: Certainty::Exact,
        }),
        _ => None,
    }
}

/// The number of arguments a call passes (`f(xs...)` counts one).
pub fn arg_count(call: Node) -> usize {
    let k = k();
    call.child_by_field_id(k.f_arguments)
        .map(|a| {
            let mut c = a.walk();
            let n = a.named_children(&mut c).filter(|n| !n.is_comment()).count();
            n
        })
        .unwrap_or(0)
}

fn literal_ty(n: Node) -> Option<Ty> {
    let k = k();
    let kind = n.kind_id();
    let name = if kind == k.int_literal {
        "int"
    } else if kind == k.float_literal {
        "float64"
    } else if kind == k.interpreted_string_literal || kind == k.raw_string_literal {
        "string"
    } else if kind == k.rune_literal {
        "int32"
    } else if kind == k.true_ || kind == k.false_ {
        "bool"
    } else if kind == k.imaginary_literal {
        "complex128"
    } else {
        return None;
    };
    Some(Ty::builtin(name))
}

fn is_builtin_func(name: &str) -> bool {
    matches!(
        name,
        "append"
            | "cap"
            | "clear"
            | "close"
            | "complex"
            | "copy"
            | "delete"
            | "imag"
            | "len"
            | "make"
            | "max"
            | "min"
            | "new"
            | "panic"
            | "print"
            | "println"
            | "real"
            | "recover"
    )
}
