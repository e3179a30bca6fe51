//! The index: what goaudit knows of every package without a type checker.
//!
//! Facts come from three places, asked in this order: the audited module's packages (extracted
//! by the pipeline right after a package's files are parsed, visible to the packages that import
//! it), dependencies in the module cache (`deps`, cached per module@version), and the standard
//! library's table generated from Go's `api/go1*.txt` (`data/stdlib_api.txt`). Only small facts
//! are kept, never syntax trees.
//!
//! Rules do not call this directly for expressions: `analysis::types` answers "the type of this
//! expression" and "the signature of this call" on top of it.

pub mod deps;
pub mod extract;
pub mod facts;
pub mod facts_text;
pub mod ty;

pub use facts::{Field, Method, PackageFacts, TaintSink, TaintSummary, TypeDecl, TypeKind};
pub use ty::{Signature, Ty};

use crate::fxhash::{HashMap, HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock, RwLock};

/// The standard library's facts by import path, parsed once from the compiled-in table.
pub fn stdlib() -> &'static HashMap<String, Arc<PackageFacts>> {
    static STD: OnceLock<HashMap<String, Arc<PackageFacts>>> = OnceLock::new();
    STD.get_or_init(|| {
        facts_text::parse(include_str!("../../data/stdlib_api.txt"))
            .into_iter()
            .map(|p| (p.path.clone(), Arc::new(p)))
            .collect()
    })
}

/// A method found on a type: the type that declares it and its signature.
#[derive(Debug, Clone)]
pub struct MethodHit {
    /// The named type that declares the method (an embedded one when promoted).
    pub owner: Ty,
    pub sig: Arc<Signature>,
    /// Declared on the pointer receiver.
    pub pointer: bool,
    /// Declared by an interface type.
    pub interface: bool,
    /// The named types walked through from the receiver's type to `owner`, both included
    /// (`hash.Hash32`, `hash.Hash`, `io.Writer`): errcheck matches exclusions on each.
    pub via: Vec<Ty>,
}

/// A vote over every known method of one name and arity, for receivers of unknown type.
#[derive(Debug, Clone)]
pub struct Vote {
    pub sig: Arc<Signature>,
    /// Share of the candidates whose result shape (count, error last) matched the winner.
    pub share: f64,
    pub candidates: usize,
}

/// Every package's facts, shared by the pipeline's threads.
#[derive(Default)]
pub struct Index {
    local: RwLock<HashMap<String, Arc<PackageFacts>>>,
    deps: RwLock<HashMap<String, Arc<PackageFacts>>>,
    /// Method name → the signatures of every known method of that name, with the import path
    /// of the declaring package (`None` for the standard-library table, always visible).
    methods: RwLock<HashMap<String, Vec<KnownMethod>>>,
}

/// A method's signature and the import path of its package (`None`: the standard-library table).
type KnownMethod = (Option<Arc<str>>, Arc<Signature>);

/// The packages whose facts a package can see: the audited and dependency packages it imports,
/// transitively (the standard library is always visible). Every type a package's code can hold
/// is declared in one of them, so votes over them are all a package's results depend on.
pub type Visible = BTreeSet<String>;

impl Index {
    /// An index holding the standard library.
    pub fn new() -> Index {
        let index = Index::default();
        for p in stdlib().values() {
            index.add_methods(p, None);
        }
        index
    }

    fn add_methods(&self, p: &PackageFacts, path: Option<Arc<str>>) {
        let mut methods = self.methods.write().expect("index lock");
        for d in p.types.values() {
            for (name, m) in &d.methods {
                let known = methods.entry(name.clone()).or_default();
                known.push((path.clone(), m.sig.clone()));
            }
        }
    }

    /// Adds an audited package's facts (after its layer, so results never depend on timing).
    pub fn add_local(&self, facts: Arc<PackageFacts>) {
        self.add_methods(&facts, Some(facts.path.as_str().into()));
        self.local
            .write()
            .expect("index lock")
            .insert(facts.path.clone(), facts);
    }

    /// Adds a dependency's exported facts.
    pub fn add_dep(&self, facts: Arc<PackageFacts>) {
        self.add_methods(&facts, Some(facts.path.as_str().into()));
        self.deps
            .write()
            .expect("index lock")
            .insert(facts.path.clone(), facts);
    }

    pub fn has_dep(&self, path: &str) -> bool {
        self.deps.read().expect("index lock").contains_key(path)
    }

    /// The facts of the package at `path`: audited, else dependency, else standard library.
    pub fn package(&self, path: &str) -> Option<Arc<PackageFacts>> {
        self.package_seen(path, None)
    }

    /// The facts of the package at `path` as a package that sees `visible` knows them: an
    /// audited package it does not see is not asked (it may not be done, or may not exist yet
    /// for it); a dependency or the standard library's table answers instead.
    pub fn package_seen(&self, path: &str, visible: Option<&Visible>) -> Option<Arc<PackageFacts>> {
        if visible.is_none_or(|v| v.contains(path)) {
            if let Some(p) = self.local.read().expect("index lock").get(path) {
                return Some(p.clone());
            }
        }
        if let Some(p) = self.deps.read().expect("index lock").get(path) {
            return Some(p.clone());
        }
        stdlib().get(path).cloned()
    }

    /// The dependency packages, and the audited packages `admit` lets through, reachable from
    /// `imports` through each other.
    pub fn visible_from_where<'i>(
        &self,
        imports: impl IntoIterator<Item = &'i String>,
        admit: impl Fn(&str) -> bool,
    ) -> Visible {
        let local = self.local.read().expect("index lock");
        let deps = self.deps.read().expect("index lock");
        let mut seen = Visible::new();
        let mut work: Vec<&str> = imports.into_iter().map(String::as_str).collect();
        while let Some(path) = work.pop() {
            if seen.contains(path) {
                continue;
            }
            let admitted = local.get(path).filter(|_| admit(path));
            let Some(p) = admitted.or_else(|| deps.get(path)) else {
                continue;
            };
            seen.insert(path.to_string());
            work.extend(p.imports.iter().map(String::as_str));
        }
        seen
    }

    /// The audited packages that `imports` reach through dependency packages only (a required
    /// module that imports the audited one): `visible_from_where` walks through those too, so
    /// the schedule must wait for them.
    pub fn locals_through_deps<'i>(
        &self,
        imports: impl IntoIterator<Item = &'i String>,
        is_local: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let deps = self.deps.read().expect("index lock");
        let mut out = Vec::new();
        let mut seen: HashSet<&str> = HashSet::default();
        let mut work: Vec<&str> = imports
            .into_iter()
            .map(String::as_str)
            .filter(|p| !is_local(p))
            .collect();
        while let Some(path) = work.pop() {
            if !seen.insert(path) {
                continue;
            }
            if is_local(path) {
                out.push(path.to_string());
            } else if let Some(p) = deps.get(path) {
                work.extend(p.imports.iter().map(String::as_str));
            }
        }
        out
    }

    /// Whether a dependency package imports an audited one (`is_local`): the rare case that
    /// makes `locals_through_deps` find anything.
    pub fn a_dep_imports(&self, is_local: impl Fn(&str) -> bool) -> bool {
        let deps = self.deps.read().expect("index lock");
        deps.values().any(|p| p.imports.iter().any(|q| is_local(q)))
    }

    /// The declared name of a package, if the index knows it.
    pub fn package_name(&self, path: &str) -> Option<String> {
        self.package(path).map(|p| p.name.clone())
    }

    /// The signature most methods named `name` taking `arity` arguments have.
    ///
    /// The winner is the result shape (count, error last) most candidates share. Its signature
    /// keeps a parameter or result type only where every candidate of that shape agrees; the
    /// others become `Opaque`, so the answer never depends on which candidate was seen first.
    pub fn vote(
        &self,
        name: &str,
        arity: usize,
        local: Option<&PackageFacts>,
        visible: Option<&Visible>,
    ) -> Option<Vote> {
        let methods = self.methods.read().expect("index lock");
        let seen = |path: &Option<Arc<str>>| match (path, visible) {
            (Some(p), Some(v)) => v.contains(&**p),
            _ => true,
        };
        let mut tally: BTreeMap<(usize, bool), (usize, Signature)> = BTreeMap::new();
        let mut total = 0;
        let local_sigs = local
            .into_iter()
            .flat_map(|p| p.types.values())
            .filter_map(|d| d.methods.get(name))
            .map(|m| &m.sig);
        let known = methods.get(name).into_iter().flatten();
        let known = known.filter(|(path, _)| seen(path)).map(|(_, sig)| sig);
        for sig in known.chain(local_sigs) {
            if !arity_fits(sig, arity) {
                continue;
            }
            total += 1;
            let shape = (sig.results.len(), sig.returns_error());
            match tally.get_mut(&shape) {
                Some((count, agreed)) => {
                    *count += 1;
                    keep_agreement(agreed, sig);
                }
                None => {
                    tally.insert(shape, (1, (**sig).clone()));
                }
            }
        }
        // Ties go to the shape with more results, then to the one ending in error.
        let (count, sig) = tally.into_values().max_by_key(|(count, _)| *count)?;
        Some(Vote {
            sig: Arc::new(sig),
            share: count as f64 / total as f64,
            candidates: total,
        })
    }
}

/// Turns every type of `agreed` that `other` disagrees with into `Opaque`.
fn keep_agreement(agreed: &mut Signature, other: &Signature) {
    let pairs = agreed.results.iter_mut().zip(&other.results);
    let pairs = pairs.chain(agreed.params.iter_mut().zip(&other.params));
    for (mine, theirs) in pairs {
        if mine != theirs {
            *mine = Ty::Opaque;
        }
    }
    if agreed.params.len() != other.params.len() || agreed.variadic != other.variadic {
        agreed.params.iter_mut().for_each(|t| *t = Ty::Opaque);
    }
}

/// A call with `arity` arguments can call `sig`.
pub fn arity_fits(sig: &Signature, arity: usize) -> bool {
    if sig.variadic {
        arity + 1 >= sig.params.len()
    } else {
        arity == sig.params.len()
    }
}

/// Answers questions about types through one package's own facts and the index.
pub struct Scope<'a> {
    pub index: &'a Index,
    /// The package being audited (not yet in the index while its rules run).
    pub current: &'a PackageFacts,
    /// What the package can see of the index; `None`: everything.
    pub visible: Option<&'a Visible>,
}

const MAX_EMBED_DEPTH: usize = 6;

impl<'a> Scope<'a> {
    /// Calls `f` with the declaration of the named type `pkg.name`.
    pub fn with_decl<R>(&self, pkg: &str, name: &str, f: impl FnOnce(&TypeDecl) -> R) -> Option<R> {
        if pkg == self.current.path {
            return self.current.types.get(name).map(f);
        }
        let p = self.package(pkg)?;
        p.types.get(name).map(f)
    }

    /// The facts of another package, as this package sees them ([`Index::package_seen`]).
    pub fn package(&self, path: &str) -> Option<Arc<PackageFacts>> {
        self.index.package_seen(path, self.visible)
    }

    /// A package-level function.
    pub fn func(&self, pkg: &str, name: &str) -> Option<Arc<Signature>> {
        if pkg == self.current.path {
            return self.current.funcs.get(name).cloned();
        }
        self.package(pkg)?.funcs.get(name).cloned()
    }

    /// A package-level variable's type.
    pub fn var(&self, pkg: &str, name: &str) -> Option<Ty> {
        if pkg == self.current.path {
            return self.current.vars.get(name).cloned();
        }
        self.package(pkg)?.vars.get(name).cloned()
    }

    /// `type A = B` followed to `B` (a few steps at most).
    pub fn resolve_alias(&self, t: &Ty) -> Ty {
        let mut t = t.clone();
        for _ in 0..4 {
            let Ty::Named(p, n) = &t else { break };
            match self.with_decl(p, n, |d| match &d.kind {
                TypeKind::Alias(a) => Some(a.clone()),
                _ => None,
            }) {
                Some(Some(a)) => t = a,
                _ => break,
            }
        }
        t
    }

    /// The underlying type: named types followed to the slice, map, func... they are defined as.
    /// Struct and interface types stay named (their members are in their declarations).
    pub fn underlying(&self, t: &Ty) -> Ty {
        let mut t = self.resolve_alias(t);
        for _ in 0..6 {
            let Ty::Named(p, n) = &t else { break };
            let next = self.with_decl(p, n, |d| match &d.kind {
                TypeKind::Defined(u) => Some(u.clone()),
                TypeKind::Alias(u) => Some(u.clone()),
                _ => None,
            });
            match next {
                Some(Some(u)) => t = u,
                _ => break,
            }
        }
        t
    }

    /// The method `name` in the method set of `t` (pointer methods included for `*T` and for
    /// addressable `T`), promoted through embedded fields and embedded interfaces.
    pub fn method(&self, t: &Ty, name: &str) -> Option<MethodHit> {
        if t.strip_pointer().is_error() && name == "Error" {
            return Some(error_method());
        }
        let start = self.resolve_alias(t.strip_pointer());
        let mut queue = std::collections::VecDeque::from([(start, 0usize, Vec::new())]);
        let mut seen = HashSet::default();
        while let Some((cur, depth, mut via)) = queue.pop_front() {
            let Ty::Named(p, n) = &cur else { continue };
            if !seen.insert(cur.clone()) || depth > MAX_EMBED_DEPTH {
                continue;
            }
            if cur.is_error() && name == "Error" {
                return Some(error_method());
            }
            via.push(cur.clone());
            let found = self.with_decl(p, n, |d| {
                let hit = d.methods.get(name).map(|m| MethodHit {
                    owner: cur.clone(),
                    sig: m.sig.clone(),
                    pointer: m.pointer,
                    interface: d.kind == TypeKind::Interface,
                    via: via.clone(),
                });
                let mut next: Vec<Ty> = d
                    .embeds
                    .iter()
                    .map(|e| self.resolve_alias(e.strip_pointer()))
                    .collect();
                if let TypeKind::Defined(u) = &d.kind {
                    if matches!(u, Ty::Named(..)) && hit.is_none() {
                        next.push(u.clone());
                    }
                }
                (hit, next)
            });
            let Some((hit, next)) = found else { continue };
            if hit.is_some() {
                return hit;
            }
            // Breadth first: the shallowest embedding wins, as in Go.
            queue.extend(next.into_iter().map(|e| (e, depth + 1, via.clone())));
        }
        None
    }

    /// The field `name` of a struct type (or a pointer to one), promoted fields included.
    pub fn field(&self, t: &Ty, name: &str) -> Option<Ty> {
        self.find_field(t, |_, f| f.name == name)
    }

    /// The type of the first field (breadth first, through embedded structs) for which
    /// `wanted(struct type, field)` holds.
    pub fn find_field(&self, t: &Ty, wanted: impl Fn(&Ty, &Field) -> bool) -> Option<Ty> {
        let mut queue =
            std::collections::VecDeque::from([(self.underlying_struct(t.strip_pointer()), 0usize)]);
        let mut seen = HashSet::default();
        while let Some((cur, depth)) = queue.pop_front() {
            let Ty::Named(p, n) = &cur else { continue };
            if !seen.insert(cur.clone()) || depth > MAX_EMBED_DEPTH {
                continue;
            }
            let found = self.with_decl(p, n, |d| {
                let hit = d
                    .fields
                    .iter()
                    .find(|f| wanted(&cur, f))
                    .map(|f| f.ty.clone());
                let next: Vec<Ty> = d
                    .fields
                    .iter()
                    .filter(|f| f.embedded)
                    .map(|f| f.ty.strip_pointer().clone())
                    .collect();
                (hit, next)
            });
            let Some((hit, next)) = found else { continue };
            if hit.is_some() {
                return hit;
            }
            for e in next {
                queue.push_back((self.underlying_struct(&e), depth + 1));
            }
        }
        None
    }

    /// `type A B` where B is a struct: A has B's fields.
    fn underlying_struct(&self, t: &Ty) -> Ty {
        let mut t = self.resolve_alias(t);
        for _ in 0..4 {
            let Ty::Named(p, n) = &t else { break };
            match self.with_decl(p, n, |d| match &d.kind {
                TypeKind::Defined(u @ Ty::Named(..)) => Some(u.clone()),
                _ => None,
            }) {
                Some(Some(u)) => t = u,
                _ => break,
            }
        }
        t
    }

    /// Whether `t` is an interface type.
    pub fn is_interface(&self, t: &Ty) -> bool {
        let t = self.resolve_alias(t);
        match &t {
            Ty::Named(p, n) if p.is_empty() => matches!(&**n, "error" | "any"),
            Ty::Named(p, n) => self
                .with_decl(p, n, |d| d.kind == TypeKind::Interface)
                .unwrap_or(false),
            _ => false,
        }
    }

    /// Whether a value of type `t` satisfies `error`, as `types.Implements` decides: `error`
    /// itself, an interface that embeds it, or a named type (or pointer) whose method set has
    /// `Error() string`. `None` when the type's declaration is unknown.
    pub fn implements_error(&self, t: &Ty) -> Option<bool> {
        if t.is_error() {
            return Some(true);
        }
        let (p, n) = t.named_parts()?;
        if p.is_empty() {
            return Some(false);
        }
        self.with_decl(p, n, |_| ())?;
        Some(match self.method(t, "Error") {
            Some(m) => {
                m.sig.params.is_empty()
                    && m.sig.results.len() == 1
                    && (!m.pointer || matches!(t, Ty::Pointer(_)) || m.interface)
            }
            None => false,
        })
    }
}

fn error_method() -> MethodHit {
    MethodHit {
        owner: Ty::builtin("error"),
        sig: Arc::new(Signature {
            params: Vec::new(),
            variadic: false,
            results: vec![Ty::builtin("string")],
        }),
        pointer: false,
        interface: true,
        via: vec![Ty::builtin("error")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdlib_table_knows_common_signatures() {
        let std = stdlib();
        assert!(std["io"].funcs["ReadAll"].returns_error());
        assert!(std["net/http"]
            .method("Client", "Get")
            .unwrap()
            .sig
            .returns_error());
        let index = Index::new();
        let empty = PackageFacts::default();
        let scope = Scope {
            index: &index,
            current: &empty,
            visible: None,
        };
        let resp = Ty::Pointer(Box::new(Ty::named("net/http", "Response")));
        assert_eq!(
            scope.field(&resp, "Body"),
            Some(Ty::named("io", "ReadCloser"))
        );
        let body = Ty::named("io", "ReadCloser");
        assert!(scope.method(&body, "Close").unwrap().sig.returns_error());
        let rw = Ty::Pointer(Box::new(Ty::named("bufio", "ReadWriter")));
        assert!(
            scope.method(&rw, "Flush").is_some(),
            "promoted through embedded *Writer"
        );
        let file = Ty::Pointer(Box::new(Ty::named("os", "File")));
        assert!(scope.method(&file, "Close").unwrap().sig.returns_error());
        assert_eq!(
            scope.implements_error(&Ty::named("net", "Error")),
            Some(true)
        );
        assert_eq!(
            scope.implements_error(&Ty::named("net/http", "Header")),
            Some(false)
        );
    }

    #[test]
    fn votes_pick_the_common_shape() {
        let index = Index::new();
        let v = index.vote("Close", 0, None, None).unwrap();
        assert!(v.sig.returns_error() && v.share > 0.5, "{v:?}");
    }

    #[test]
    fn votes_keep_only_the_types_all_voters_agree_on() {
        let index = Index::default();
        for owner in ["P224", "P384"] {
            let mut p = PackageFacts::new("ex/nistec", "nistec");
            let point = Ty::Pointer(Box::new(Ty::named("ex/nistec", owner)));
            let sig = Signature {
                results: vec![point.clone(), Ty::builtin("error")],
                ..Signature::default()
            };
            let mut decl = facts::TypeDecl::default();
            decl.methods.insert(
                "Mult".into(),
                Method {
                    sig: Arc::new(sig),
                    pointer: true,
                },
            );
            p.types.insert(owner.into(), decl);
            index.add_local(Arc::new(p));
        }
        let v = index.vote("Mult", 0, None, None).unwrap();
        assert_eq!(v.sig.results, vec![Ty::Opaque, Ty::builtin("error")]);
        assert_eq!(v.share, 1.0);
    }

    #[test]
    fn a_generator_in_the_folder_is_not_the_package() {
        let file = |name: &str, func: &str| {
            let mut f = PackageFacts::new("ex/p", name);
            f.funcs.insert(func.into(), Arc::new(Signature::default()));
            f
        };
        let files = vec![
            file("p_test", "TestX"),
            file("main", "main"),
            file("p", "New"),
            file("p", "Old"),
        ];
        let facts = PackageFacts::of_files("ex/p", files);
        assert_eq!(facts.name, "p");
        assert!(facts.funcs.contains_key("New") && !facts.funcs.contains_key("main"));
    }
}
