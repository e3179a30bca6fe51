//! Facts from one parsed file: its imports (with aliases) and the signatures, types, fields,
//! interfaces and package-level variables it declares. Only top-level declarations are read, so
//! this never walks into function bodies.

use super::facts::{Field, Method, PackageFacts, TypeDecl, TypeKind};
use super::ty::{is_predeclared, Signature, Ty};
use crate::fxhash::HashMap;
use crate::syntax::kinds::{k, Kinds};
use crate::tree::field_children;
use crate::tree::Node;
use std::sync::Arc;

/// A file's imports: the name each imported package is known by in the file.
#[derive(Debug, Clone, Default)]
pub struct FileImports {
    /// Name (alias, or the package's own name) → import path.
    pub by_name: HashMap<String, String>,
    /// Packages imported with `.`.
    pub dot: Vec<String>,
}

impl FileImports {
    pub fn path(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).map(String::as_str)
    }
}

/// The name a package is most likely declared with, from its import path alone:
/// `github.com/x/go-yaml/v3` → `yaml`, `gopkg.in/yaml.v3` → `yaml`.
pub fn guess_package_name(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let mut last = parts.next().unwrap_or(path);
    if last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) {
        last = parts.next().unwrap_or(last);
    }
    let last = last.split(".v").next().unwrap_or(last);
    let last = last.strip_prefix("go-").unwrap_or(last);
    let last = last.strip_suffix(".go").unwrap_or(last);
    let last = last.strip_suffix("-go").unwrap_or(last);
    last.replace(['-', '.'], "_")
}

/// Reads the import declarations of a file. `name_of` gives the declared name of a package the
/// index knows; others get `guess_package_name`.
pub fn file_imports(
    root: Node,
    src: &str,
    name_of: &dyn Fn(&str) -> Option<String>,
) -> FileImports {
    let k = k();
    let mut out = FileImports::default();
    let mut cursor = root.walk();
    for decl in root.named_children(&mut cursor) {
        if decl.kind_id() != k.import_declaration {
            if decl.kind_id() != k.package_clause && !is_comment(decl) {
                break;
            }
            continue;
        }
        let mut c2 = decl.walk();
        for spec in decl.named_children(&mut c2) {
            if spec.kind_id() == k.import_spec {
                add_import(spec, src, name_of, &mut out);
            } else if spec.kind_id() == k.import_spec_list {
                let mut c3 = spec.walk();
                for s in spec.named_children(&mut c3) {
                    if s.kind_id() == k.import_spec {
                        add_import(s, src, name_of, &mut out);
                    }
                }
            }
        }
    }
    out
}

fn is_comment(n: Node) -> bool {
    n.is_comment()
}

fn add_import(
    spec: Node,
    src: &str,
    name_of: &dyn Fn(&str) -> Option<String>,
    out: &mut FileImports,
) {
    let k = k();
    let Some(path_node) = spec.child_by_field_id(k.f_path) else {
        return;
    };
    let path = text(path_node, src).trim_matches(['"', '`']).to_string();
    match spec.child_by_field_id(k.f_name) {
        Some(n) if n.kind_id() == k.dot => out.dot.push(path),
        Some(n) if n.kind_id() == k.blank_identifier => {}
        Some(n) => {
            out.by_name.insert(text(n, src).to_string(), path);
        }
        None => {
            let name = name_of(&path).unwrap_or_else(|| guess_package_name(&path));
            out.by_name.insert(name, path);
        }
    }
}

pub fn text<'a>(n: Node, src: &'a str) -> &'a str {
    src.get(n.byte_range()).unwrap_or("")
}

/// What a type expression's names mean in one place: the package, the file's imports and the
/// type parameters in scope.
pub struct TypeCtx<'a> {
    pub pkg: &'a str,
    pub imports: &'a FileImports,
    pub src: &'a str,
    pub tparams: Vec<&'a str>,
}

/// How deep a type expression is followed (`func(func(...))`, `[][]...`, `*(*...)`): deeper
/// parts are `Ty::Opaque`. The walk recurses on the expression, so this bound is what keeps a
/// type nested thousands deep from overflowing the stack; giving up is correct, no real type
/// comes near it, and types built deeper would only be cut by [`Ty::MAX_DEPTH`] anyway.
const MAX_TYPE_NESTING: usize = 24;

impl<'a> TypeCtx<'a> {
    /// The type a type expression denotes.
    pub fn ty(&self, node: Node) -> Ty {
        self.ty_at(node, 0)
    }

    fn ty_at(&self, node: Node, depth: usize) -> Ty {
        if depth > MAX_TYPE_NESTING {
            return Ty::Opaque;
        }
        let k = k();
        let kind = node.kind_id();
        let sub = |field: u16| {
            node.child_by_field_id(field)
                .map(|n| self.ty_at(n, depth + 1))
                .unwrap_or(Ty::Opaque)
        };
        if kind == k.type_identifier || kind == k.identifier {
            return self.name(text(node, self.src));
        }
        if kind == k.qualified_type {
            return self.qualified(node);
        }
        if kind == k.pointer_type {
            return Ty::Pointer(Box::new(self.first_named(node, depth)));
        }
        if kind == k.slice_type {
            return Ty::Slice(Box::new(sub(k.f_element)));
        }
        if kind == k.array_type || kind == k.implicit_length_array_type {
            return Ty::Array(Box::new(sub(k.f_element)));
        }
        if kind == k.map_type {
            return Ty::Map(Box::new(sub(k.f_key)), Box::new(sub(k.f_value)));
        }
        if kind == k.channel_type {
            return Ty::Chan(Box::new(sub(k.f_value)));
        }
        if kind == k.function_type {
            return Ty::Func(Arc::new(self.signature_at(node, depth + 1)));
        }
        if kind == k.generic_type {
            return sub(k.f_type);
        }
        if kind == k.parenthesized_type || kind == k.type_elem {
            return self.first_named(node, depth);
        }
        Ty::Opaque
    }

    fn first_named(&self, node: Node, depth: usize) -> Ty {
        node.named_child(0)
            .map(|n| self.ty_at(n, depth + 1))
            .unwrap_or(Ty::Opaque)
    }

    fn name(&self, name: &str) -> Ty {
        if self.tparams.contains(&name) {
            Ty::Opaque
        } else if is_predeclared(name) {
            Ty::builtin(match name {
                "byte" => "uint8",
                "rune" => "int32",
                n => n,
            })
        } else {
            Ty::named(self.pkg, name)
        }
    }

    fn qualified(&self, node: Node) -> Ty {
        let k = k();
        let pkg = node
            .child_by_field_id(k.f_package)
            .map(|n| text(n, self.src))
            .unwrap_or("");
        let name = node
            .child_by_field_id(k.f_name)
            .map(|n| text(n, self.src))
            .unwrap_or("");
        match self.imports.path(pkg) {
            Some(path) => Ty::named(path, name),
            None => Ty::named(pkg, name),
        }
    }

    /// The signature of a function declaration, method, literal, function type or method elem.
    pub fn signature(&self, node: Node) -> Signature {
        self.signature_at(node, 0)
    }

    /// [`Self::signature`] of a function type nested `depth` deep in a type expression: its
    /// parameters' and results' types are followed one level deeper (`func(func(...))`).
    fn signature_at(&self, node: Node, depth: usize) -> Signature {
        let k = k();
        let mut sig = Signature::default();
        if let Some(params) = node.child_by_field_id(k.f_parameters) {
            sig.variadic = self.params(params, &mut sig.params, depth);
        }
        if let Some(result) = node.child_by_field_id(k.f_result) {
            if result.kind_id() == k.parameter_list {
                self.params(result, &mut sig.results, depth);
            } else {
                sig.results.push(self.ty_at(result, depth));
            }
        }
        sig
    }

    /// Appends one type per parameter (a declaration `a, b int` counts twice), each followed
    /// from `depth`; true if variadic.
    fn params(&self, list: Node, out: &mut Vec<Ty>, depth: usize) -> bool {
        let k = k();
        let mut variadic = false;
        let mut cursor = list.walk();
        for p in list.named_children(&mut cursor) {
            let Some(tn) = p.child_by_field_id(k.f_type) else {
                continue;
            };
            let mut t = self.ty_at(tn, depth);
            if p.kind_id() == k.variadic_parameter_declaration {
                t = Ty::slice(t);
                variadic = true;
            }
            let names = field_children(p, k.f_name).len().max(1);
            for _ in 0..names {
                out.push(t.clone());
            }
        }
        variadic
    }
}

/// Type parameter names declared by a node's `type_parameters` list.
pub fn type_params<'a>(node: Node, src: &'a str) -> Vec<&'a str> {
    let k = k();
    let mut out = Vec::new();
    if let Some(list) = node.child_by_field_id(k.f_type_parameters) {
        let mut cursor = list.walk();
        for p in list.named_children(&mut cursor) {
            for n in field_children(p, k.f_name) {
                out.push(text(n, src));
            }
        }
    }
    out
}

/// The facts one file declares. Variables initialised by calls get their types later, once the
/// whole package is known (`analysis::types::infer_package_vars`).
pub fn file_facts(root: Node, src: &str, pkg: &str, imports: &FileImports) -> PackageFacts {
    let k = k();
    let name = crate::tree::package_name(root, src).unwrap_or_default();
    let mut facts = PackageFacts::new(pkg, &name);
    facts.imports = imports
        .by_name
        .values()
        .cloned()
        .chain(imports.dot.iter().cloned())
        .collect();
    let mut cursor = root.walk();
    for decl in root.named_children(&mut cursor) {
        let kind = decl.kind_id();
        let cx = TypeCtx {
            pkg,
            imports,
            src,
            tparams: type_params(decl, src),
        };
        if kind == k.function_declaration {
            if let Some(n) = decl.child_by_field_id(k.f_name) {
                let sig = Arc::new(cx.signature(decl));
                facts.funcs.entry(text(n, src).to_string()).or_insert(sig);
            }
        } else if kind == k.method_declaration {
            method(decl, src, pkg, imports, &mut facts);
        } else if kind == k.type_declaration {
            types(decl, &cx, &mut facts);
        } else if kind == k.var_declaration || kind == k.const_declaration {
            vars(decl, &cx, &mut facts);
        }
    }
    facts
}

fn method(decl: Node, src: &str, pkg: &str, imports: &FileImports, facts: &mut PackageFacts) {
    let k = k();
    let Some(recv) = decl
        .child_by_field_id(k.f_receiver)
        .and_then(|r| r.named_child(0))
    else {
        return;
    };
    let Some(name) = decl.child_by_field_id(k.f_name) else {
        return;
    };
    let Some(rt) = recv.child_by_field_id(k.f_type) else {
        return;
    };
    let pointer = rt.kind_id() == k.pointer_type;
    let base = if pointer {
        rt.named_child(0).unwrap_or(rt)
    } else {
        rt
    };
    let (type_name, tparams) = receiver_base(base, src, k);
    let cx = TypeCtx {
        pkg,
        imports,
        src,
        tparams,
    };
    let sig = Arc::new(cx.signature(decl));
    facts
        .types
        .entry(type_name.to_string())
        .or_default()
        .methods
        .entry(text(name, src).to_string())
        .or_insert(Method { sig, pointer });
}

/// `T` or `T[K, V]` in a receiver: the type's name and the type parameter names.
fn receiver_base<'a>(base: Node, src: &'a str, k: &Kinds) -> (&'a str, Vec<&'a str>) {
    if base.kind_id() == k.generic_type {
        let name = base
            .child_by_field_id(k.f_type)
            .map(|n| text(n, src))
            .unwrap_or("");
        let mut params = Vec::new();
        if let Some(args) = base.child_by_field_id(k.f_type_arguments) {
            let mut c = args.walk();
            for a in args.named_children(&mut c) {
                params.push(text(a, src).trim());
            }
        }
        return (name, params);
    }
    (text(base, src), Vec::new())
}

fn types(decl: Node, cx: &TypeCtx, facts: &mut PackageFacts) {
    let k = k();
    let mut cursor = decl.walk();
    for spec in decl.named_children(&mut cursor) {
        let (Some(name), Some(tn)) = (
            spec.child_by_field_id(k.f_name),
            spec.child_by_field_id(k.f_type),
        ) else {
            continue;
        };
        let cx = TypeCtx {
            pkg: cx.pkg,
            imports: cx.imports,
            src: cx.src,
            tparams: type_params(spec, cx.src),
        };
        let mut d = type_decl(tn, &cx);
        if spec.kind_id() == k.type_alias {
            d.kind = TypeKind::Alias(cx.ty(tn));
        }
        let entry = facts
            .types
            .entry(text(name, cx.src).to_string())
            .or_default();
        let methods = std::mem::take(&mut entry.methods);
        *entry = d;
        for (m, s) in methods {
            entry.methods.entry(m).or_insert(s);
        }
    }
}

fn type_decl(tn: Node, cx: &TypeCtx) -> TypeDecl {
    let k = k();
    let mut d = TypeDecl::default();
    if tn.kind_id() == k.struct_type {
        d.kind = TypeKind::Struct;
        if let Some(list) = tn.named_child(0) {
            let mut c = list.walk();
            for f in list.named_children(&mut c) {
                if f.kind_id() == k.field_declaration {
                    struct_field(f, cx, &mut d);
                }
            }
        }
    } else if tn.kind_id() == k.interface_type {
        d.kind = TypeKind::Interface;
        let mut c = tn.walk();
        for m in tn.named_children(&mut c) {
            if m.kind_id() == k.method_elem {
                if let Some(n) = m.child_by_field_id(k.f_name) {
                    let method = Method {
                        sig: Arc::new(cx.signature(m)),
                        pointer: false,
                    };
                    d.methods.insert(text(n, cx.src).to_string(), method);
                }
            } else if m.kind_id() == k.type_elem && m.named_child_count() == 1 {
                d.embeds.push(cx.ty(m));
            }
        }
    } else {
        d.kind = TypeKind::Defined(cx.ty(tn));
    }
    d
}

fn struct_field(f: Node, cx: &TypeCtx, d: &mut TypeDecl) {
    let k = k();
    let Some(tn) = f.child_by_field_id(k.f_type) else {
        return;
    };
    let mut t = cx.ty(tn);
    let names = field_children(f, k.f_name);
    if names.is_empty() {
        let mut c2 = f.walk();
        if f.children(&mut c2).any(|ch| ch.is(k.t_star)) {
            t = Ty::pointer(t);
        }
        let name = t
            .named_parts()
            .map(|(_, n)| n.to_string())
            .unwrap_or_default();
        d.embeds.push(t.clone());
        d.fields.push(Field {
            name,
            ty: t,
            embedded: true,
        });
        return;
    }
    for n in names {
        d.fields.push(Field {
            name: text(n, cx.src).to_string(),
            ty: t.clone(),
            embedded: false,
        });
    }
}

fn vars(decl: Node, cx: &TypeCtx, facts: &mut PackageFacts) {
    let k = k();
    let mut specs = Vec::new();
    let mut cursor = decl.walk();
    for child in decl.named_children(&mut cursor) {
        if child.kind_id() == k.var_spec_list {
            let mut c2 = child.walk();
            specs.extend(child.named_children(&mut c2));
        } else {
            specs.push(child);
        }
    }
    for spec in specs {
        if spec.kind_id() != k.var_spec && spec.kind_id() != k.const_spec {
            continue;
        }
        let Some(tn) = spec.child_by_field_id(k.f_type) else {
            continue;
        };
        let t = cx.ty(tn);
        for n in field_children(spec, k.f_name) {
            if n.kind_id() == k.identifier {
                facts
                    .vars
                    .entry(text(n, cx.src).to_string())
                    .or_insert_with(|| t.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The type of `type F <t>` in a fresh file, typed on a 256 KB stack.
    fn declared_type(t: String) -> Ty {
        let src = format!("package p\n\ntype F {t}\n");
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let tree = crate::tree::SyntaxTree::parse(&src);
                let root = tree.root_node();
                let imports = file_imports(root, &src, &|_| None);
                let spec = crate::tree::preorder(root)
                    .find(|n| n.kind_id() == k().type_spec)
                    .expect("a type spec");
                let cx = TypeCtx {
                    pkg: "p",
                    imports: &imports,
                    src: &src,
                    tparams: Vec::new(),
                };
                cx.ty(spec.child_by_field_id(k().f_type).expect("a type"))
            })
            .expect("spawns")
            .join()
            .expect("no overflow")
    }

    #[test]
    fn func_types_nested_ten_thousand_deep_are_cut_without_recursing_on_them() {
        let n = 10_000;
        let params = declared_type(format!("{}int{}", "func(".repeat(n), ")".repeat(n)));
        let results = declared_type(format!("{}int", "func() ".repeat(n)));
        for t in [params, results] {
            assert!(matches!(t, Ty::Func(_)));
            assert!(t.depth() <= MAX_TYPE_NESTING + 2, "{}", t.depth());
        }
        let shallow = declared_type("func(func(int) error) []string".into());
        assert_eq!(shallow.to_string(), "func(func(int) error) []string");
    }
}
