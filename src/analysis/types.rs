//! Local types without a type checker: the API rules call to ask "what is the type of this
//! expression?" and "what does this call call, with which signature?".
//!
//! One `FileTypes` per file, built with one iterative walk (no recursion over the tree) that
//! records every local declaration (parameters, receivers, named results, `:=`, `var`, range
//! variables, type-switch bindings, select receives) with its scope and its type, computed in
//! document order from what is declared before it. Expressions are then typed on demand:
//! identifiers, fields (promoted through embedded structs), method values, calls with a known
//! signature (`resp, err := client.Get(u)` makes `resp` an `*http.Response`), chained calls
//! (`json.NewEncoder(w).Encode(v)`), composite literals, conversions, `&x`, `*p`, `<-ch`, index
//! and slice expressions, type assertions. A method call whose receiver stays unknown is resolved
//! by a vote over every known method of that name and arity (`Certainty::Voted`).
//!
//! Where the answer is not known, the functions return `None`: rules must treat unknown as
//! unknown, never as "no error".
//!
//! ```ignore
//! let types = cx.types()?;                    // FileContext gives the file's FileTypes
//! if let Some(c) = types.callee(call) {       // call: a `call_expression` node
//!     if c.sig.returns_error() && c.certain() { /* ... */ }
//!     println!("{}", c.display());            // "io.ReadAll", "(*os.File).Close"
//! }
//! let t = types.type_of(expr);                // Some(Ty) e.g. `*net/http.Response`
//! ```

mod expr;
mod locals;

use crate::fxhash::HashMap;
use crate::index::extract::{FileImports, TypeCtx};
use crate::index::{Scope, Signature, Ty};
use crate::syntax::kinds::k;
use crate::tree::Node;
use locals::Locals;
use std::cell::RefCell;
use std::sync::Arc;

/// What a call expression calls.
#[derive(Debug, Clone)]
pub struct Callee {
    pub kind: CalleeKind,
    /// Import path of the package that declares the function or the method's type (empty for
    /// builtins, conversions and function values).
    pub pkg: String,
    /// The function's or method's name (the builtin's, the conversion's type text).
    pub name: String,
    pub sig: Arc<Signature>,
    pub certainty: Certainty,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CalleeKind {
    /// A package-level function.
    Func,
    /// A method; `recv` is the receiver expression's type (pointer kept), `owner` the named type
    /// that declares the method (an embedded one when promoted), `pointer` if declared on `*T`,
    /// `interface` if an interface's.
    Method {
        recv: Ty,
        owner: Ty,
        pointer: bool,
        interface: bool,
        /// Named types walked through to `owner` (embedded fields and interfaces).
        via: Vec<Ty>,
    },
    /// A function value: a variable, field or parameter of function type, or a literal.
    Value,
    /// `len`, `append`, `recover`, ...
    Builtin,
    /// `T(x)`.
    Conversion,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Certainty {
    /// Declared signature of a resolved callee.
    Exact,
    /// The receiver's type is unknown; the signature most methods of that name and arity have,
    /// with the share of candidates that agree.
    Voted(f64),
}

impl Callee {
    /// Resolved from declarations, not voted.
    pub fn certain(&self) -> bool {
        self.certainty == Certainty::Exact
    }

    /// Go's way of naming the callee in messages: `io.ReadAll`, `(*os.File).Close`,
    /// `(io.Closer).Close`, or the bare name for values and builtins.
    pub fn display(&self) -> String {
        match &self.kind {
            CalleeKind::Func => format!("{}.{}", short_pkg(&self.pkg), self.name),
            CalleeKind::Method { owner, pointer, .. } => {
                let ptr = *pointer;
                let owner = owner.short();
                if owner.is_empty() || matches!(self.certainty, Certainty::Voted(_)) {
                    self.name.clone()
                } else if ptr {
                    format!("(*{owner}).{}", self.name)
                } else {
                    format!("({owner}).{}", self.name)
                }
            }
            _ => self.name.clone(),
        }
    }

    /// errcheck's full name: `fmt.Printf`, `(*bytes.Buffer).Write`, `(hash.Hash).Write`,
    /// with the package's import path (`(*math/rand.Rand).Read`).
    pub fn full_name(&self) -> String {
        match &self.kind {
            CalleeKind::Func => format!("{}.{}", self.pkg, self.name),
            CalleeKind::Method { owner, pointer, .. } => {
                let ptr = *pointer;
                let owner = owner.strip_pointer().to_string();
                if ptr {
                    format!("(*{owner}).{}", self.name)
                } else {
                    format!("({owner}).{}", self.name)
                }
            }
            _ => self.name.clone(),
        }
    }
}

fn short_pkg(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A local declaration an identifier refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeclId(pub usize);

/// The types of one file's expressions.
pub struct FileTypes<'t> {
    src: &'t str,
    scope: &'t Scope<'t>,
    imports: &'t FileImports,
    locals: Locals<'t>,
    /// `callee` answers by call node id, once the locals are complete (rules ask about the same
    /// calls many times: each security rule, the error rules, the taint analysis).
    callees: Option<RefCell<HashMap<usize, Option<Arc<Callee>>>>>,
}

impl<'t> FileTypes<'t> {
    /// Builds the file's local declarations with one walk of `root`.
    pub fn new(
        root: Node<'t>,
        src: &'t str,
        scope: &'t Scope<'t>,
        imports: &'t FileImports,
    ) -> FileTypes<'t> {
        let mut types = FileTypes {
            src,
            scope,
            imports,
            locals: Locals::default(),
            callees: None,
        };
        locals::build(&mut types, root);
        types.callees = Some(RefCell::default());
        types
    }

    /// The type of an expression node, if it can be told.
    pub fn type_of(&self, expr: Node) -> Option<Ty> {
        self.expr_ty(expr, 0)
    }

    /// The types of all values an expression yields: a call's results, `v, ok` forms excluded.
    pub fn results_of(&self, expr: Node) -> Option<Vec<Ty>> {
        if expr.kind_id() == k().call_expression {
            return self.callee(expr).map(|c| c.sig.results.clone());
        }
        self.type_of(expr).map(|t| vec![t])
    }

    /// What a `call_expression` calls, with its signature.
    pub fn callee(&self, call: Node) -> Option<Arc<Callee>> {
        let Some(memo) = &self.callees else {
            return self.callee_at(call, 0).map(Arc::new);
        };
        if let Some(known) = memo.borrow().get(&call.id()) {
            return known.clone();
        }
        let callee = self.callee_at(call, 0).map(Arc::new);
        memo.borrow_mut().insert(call.id(), callee.clone());
        callee
    }

    /// The local declaration an identifier refers to (None for package-level names).
    pub fn decl_of(&self, ident: Node) -> Option<DeclId> {
        self.locals
            .lookup(self.text(ident), ident.start_byte())
            .map(|(id, _)| DeclId(id))
    }

    /// The local declaration an identifier introduces (`x` in `x := f()`, a parameter's name).
    pub fn declared_at(&self, ident: Node) -> Option<DeclId> {
        self.locals
            .declared_at(self.text(ident), ident.start_byte())
            .map(DeclId)
    }

    /// The declaration an identifier introduces or refers to.
    pub fn decl(&self, ident: Node) -> Option<DeclId> {
        self.declared_at(ident).or_else(|| self.decl_of(ident))
    }

    /// The file's text.
    pub fn source(&self) -> &'t str {
        self.src
    }

    /// The byte offset where the declaration's name is written.
    pub fn decl_position(&self, id: DeclId) -> usize {
        self.locals.position(id.0)
    }

    /// The file's imports: names to import paths.
    pub fn imports(&self) -> &FileImports {
        self.imports
    }

    /// The package and index this file is typed against.
    pub fn scope(&self) -> &Scope<'t> {
        self.scope
    }

    /// The type a type expression denotes, in this file.
    pub fn type_expr(&self, node: Node) -> Ty {
        self.type_ctx().ty(node)
    }

    /// Whether a value of this type is an `error` (see `Scope::implements_error`).
    pub fn is_error_type(&self, t: &Ty) -> Option<bool> {
        self.scope.implements_error(t)
    }

    fn type_ctx(&self) -> TypeCtx<'t> {
        TypeCtx {
            pkg: &self.scope.current.path,
            imports: self.imports,
            src: self.src,
            tparams: Vec::new(),
        }
    }

    fn text(&self, n: Node) -> &'t str {
        self.src.get(n.byte_range()).unwrap_or("")
    }
}

impl<'t> FileTypes<'t> {
    /// Types for package-level expressions only: no locals, no walk.
    fn package_level(
        src: &'t str,
        scope: &'t Scope<'t>,
        imports: &'t FileImports,
    ) -> FileTypes<'t> {
        FileTypes {
            src,
            scope,
            imports,
            locals: Locals::default(),
            callees: None,
        }
    }
}

/// Gives package-level variables declared without a type (`var ErrX = errors.New("x")`,
/// `var client = http.Client{}`) the type of their initialiser, once the package's own
/// declarations are known. Two rounds, so one variable may be initialised from another.
pub fn infer_package_vars(
    files: &[crate::source::SourceFile],
    imports: &[FileImports],
    which: &[usize],
    index: &crate::index::Index,
    visible: &crate::index::Visible,
    facts: &mut crate::index::PackageFacts,
) {
    for _ in 0..2 {
        let found = {
            let scope = Scope {
                index,
                current: facts,
                visible: Some(visible),
            };
            let mut found = Vec::new();
            for &i in which {
                let (file, imports) = (&files[i], &imports[i]);
                if let Some(root) = file.root() {
                    let types = FileTypes::package_level(&file.text, &scope, imports);
                    package_vars(&types, root, &mut found);
                }
            }
            found
        };
        if found.is_empty() {
            break;
        }
        for (name, t) in found {
            facts.vars.entry(name).or_insert(t);
        }
    }
}

fn package_vars(types: &FileTypes, root: Node, out: &mut Vec<(String, Ty)>) {
    let k = k();
    let mut cursor = root.walk();
    for decl in root.named_children(&mut cursor) {
        if decl.kind_id() != k.var_declaration {
            continue;
        }
        for spec in crate::tree::preorder(decl).filter(|n| n.kind_id() == k.var_spec) {
            if spec.child_by_field_id(k.f_type).is_some() {
                continue;
            }
            let Some(values) = spec.child_by_field_id(k.f_value) else {
                continue;
            };
            let names = crate::tree::field_children(spec, k.f_name);
            let tys = locals::value_types(types, names.len(), values);
            for (n, t) in names.iter().zip(tys) {
                let name = types.text(*n);
                if let Some(t) = t {
                    if !types.scope.current.vars.contains_key(name) && name != "_" {
                        out.push((name.to_string(), t));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{Index, PackageFacts};
    use crate::tree::SyntaxTree;

    /// The type of each `new(...)` call in `body` (a function body of package `example.com/p`),
    /// in order.
    fn new_types(decls: &str, body: &str) -> Vec<Option<Ty>> {
        let src = format!("package p\n\nimport \"bytes\"\n\n{decls}\n\nfunc f() {{\n{body}\n}}\n");
        let tree = SyntaxTree::parse(&src);
        let root = tree.root_node();
        assert!(!root.has_error(), "{src}");
        let index = Index::new();
        let facts = PackageFacts {
            path: "example.com/p".into(),
            name: "p".into(),
            ..PackageFacts::default()
        };
        let scope = Scope {
            index: &index,
            current: &facts,
            visible: None,
        };
        let imports = crate::index::extract::file_imports(root, &src, &|_| None);
        let types = FileTypes::new(root, &src, &scope, &imports);
        root.preorder()
            .filter(|n| n.kind_id() == k().call_expression)
            .filter(|n| n.child(0).is_some_and(|f| &src[f.byte_range()] == "new"))
            .map(|n| types.type_of(n))
            .collect()
    }

    fn ptr(t: Ty) -> Option<Ty> {
        Some(Ty::Pointer(Box::new(t)))
    }

    #[test]
    fn new_of_a_type_is_a_pointer_to_it() {
        let got = new_types(
            "type T struct{}\ntype Box[E any] struct{ v E }",
            "_ = new(T)\n_ = new(*T)\n_ = new(bytes.Buffer)\n_ = new([]int)\n_ = new(Box[int])",
        );
        let t = Ty::named("example.com/p", "T");
        assert_eq!(got[0], ptr(t.clone()));
        assert_eq!(got[1], ptr(Ty::Pointer(Box::new(t))));
        assert_eq!(got[2], ptr(Ty::named("bytes", "Buffer")));
        assert_eq!(got[3], ptr(Ty::Slice(Box::new(Ty::builtin("int")))));
        assert_eq!(
            got[4].as_ref().and_then(|t| t.named_parts()),
            Some(("example.com/p", "Box"))
        );
    }

    #[test]
    fn new_of_an_expression_is_a_pointer_to_its_value() {
        let got = new_types(
            "",
            "limit := \"x\"\n_ = new(42)\n_ = new(int64(7))\n_ = new(\"s\")\n_ = new(limit)",
        );
        assert_eq!(got[0], ptr(Ty::builtin("int")));
        assert_eq!(got[1], ptr(Ty::builtin("int64")));
        assert_eq!(got[2], ptr(Ty::builtin("string")));
        assert_eq!(got[3], ptr(Ty::builtin("string")));
    }
}
