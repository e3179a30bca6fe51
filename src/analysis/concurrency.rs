//! Package-wide concurrency facts, computed once per package from all its trees before its
//! rules run: the methods each type declares, its struct fields, and which methods are reached
//! concurrently.
//!
//! Concurrent entry points, without a type checker: a method called from `go` statements in a
//! loop (or from such a goroutine's function literal) in the package's non-test files, an HTTP handler (`ServeHTTP`, a method
//! value registered with `HandleFunc`, `Handle`, `http.HandlerFunc` or a router's `GET`/`Get`/...,
//! or a method called from a function literal so registered), the methods of a gRPC service
//! (a struct embedding `Unimplemented...Server`), and every exported method of a type documented
//! as safe for concurrent use. A method a concurrent method calls on its own receiver outside a
//! lock is concurrent too. Receivers are resolved when they are the method's own receiver or one
//! of its fields whose type the package declares; calls on other values are not counted (in a
//! loop of goroutines each usually gets its own object).
//!
//! Everything kept is small: names and one sentence per entry point. Trees are not kept.

use super::{is_function, kinds, Kinds};
use crate::fxhash::{HashMap, HashSet};
use crate::source::SourceFile;
use crate::tree::field_children;
use crate::tree::preorder;
use crate::tree::Node;

/// What the concurrency rules need to know about a package.
#[derive(Debug, Default)]
pub struct ConcurrencyFacts {
    /// Methods each type declares.
    pub methods: HashMap<String, HashSet<String>>,
    /// Each struct type's fields and their types' text.
    pub fields: HashMap<String, HashMap<String, String>>,
    /// `(type, method)` reached concurrently, with why (`called from the go statement at a.go:91`).
    concurrent: HashMap<(String, String), String>,
    /// Types documented as safe for concurrent use, and gRPC service types.
    all_concurrent: HashMap<String, String>,
    /// Calls a method makes on its own receiver outside a lock: `(type, method)` → callees.
    calls: HashMap<(String, String), Vec<String>>,
}

impl ConcurrencyFacts {
    /// The facts of a package's files (generated files included: they register handlers too).
    pub fn of(files: &[SourceFile]) -> ConcurrencyFacts {
        let mut f = ConcurrencyFacts::default();
        for file in files {
            if let Some(root) = file.root() {
                Extract {
                    k: kinds(),
                    src: &file.text,
                    rel: &file.rel,
                    facts: &mut f,
                }
                .file(root);
            }
        }
        f.resolve_fields();
        f.propagate();
        f
    }

    /// Why `ty.method` may run concurrently, if it may.
    pub fn concurrent(&self, ty: &str, method: &str) -> Option<&str> {
        if let Some(why) = self.concurrent.get(&(ty.to_string(), method.to_string())) {
            return Some(why);
        }
        if let Some(why) = self.all_concurrent.get(ty) {
            if is_exported(method) {
                return Some(why);
            }
        }
        None
    }

    /// Whether `ty` declares a method called `name`.
    pub fn has_method(&self, ty: &str, name: &str) -> bool {
        self.methods.get(ty).is_some_and(|m| m.contains(name))
    }

    fn propagate(&mut self) {
        let mut work: Vec<(String, String)> = self.concurrent.keys().cloned().collect();
        for (ty, why) in &self.all_concurrent {
            let exported = self
                .methods
                .get(ty)
                .into_iter()
                .flatten()
                .filter(|m| is_exported(m));
            for m in exported {
                let key = (ty.clone(), m.clone());
                if !self.concurrent.contains_key(&key) {
                    self.concurrent.insert(key.clone(), why.clone());
                    work.push(key);
                }
            }
        }
        while let Some((ty, m)) = work.pop() {
            let Some(callees) = self.calls.get(&(ty.clone(), m.clone())) else {
                continue;
            };
            let why = format!(
                "called by {m}, which is {}",
                self.concurrent[&(ty.clone(), m.clone())]
            );
            for c in callees.clone() {
                let key = (ty.clone(), c);
                if !self.concurrent.contains_key(&key) {
                    self.concurrent.insert(key.clone(), why.clone());
                    work.push(key);
                }
            }
        }
    }
}

fn is_exported(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The receiver of a method: its name and its type's name (`s`, `Service`).
pub fn receiver<'t>(method: Node<'t>, src: &'t str) -> Option<(&'t str, &'t str)> {
    let k = kinds();
    let list = method.child_by_field_id(k.f_receiver)?;
    let param = list.named_child(0)?;
    let name = param
        .child_by_field_id(k.f_name)
        .map(|n| &src[n.byte_range()])
        .unwrap_or("_");
    let ty = param.child_by_field_id(k.f_type)?;
    let ty = &src[ty.byte_range()];
    let ty = ty.trim_start_matches('*');
    let ty = ty.split('[').next().unwrap_or(ty).trim();
    Some((name, ty))
}

/// Whether byte `pos` of a function body runs with a lock held: a `Lock()`/`RLock()` call comes
/// before it with no `Unlock()`/`RUnlock()` between that ends the critical section (a deferred
/// unlock, or one followed by a `return` in its own block, does not).
pub fn locked_at(body: Node, pos: usize, src: &str) -> bool {
    let k = kinds();
    let mut depth = 0i32;
    for n in preorder(body) {
        if n.start_byte() >= pos {
            break;
        }
        if n.kind_id() != k.call_expression {
            continue;
        }
        let Some(f) = n.child_by_field_id(k.f_function) else {
            continue;
        };
        if f.kind_id() != k.selector_expression {
            continue;
        }
        let name = f
            .child_by_field_id(k.f_field)
            .map(|m| &src[m.byte_range()])
            .unwrap_or("");
        match name {
            "Lock" | "RLock" => depth += 1,
            "Unlock" | "RUnlock" if ends_section(n, k) => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth > 0
}

/// Whether an unlock call ends the critical section for the code after it.
fn ends_section(call: Node, k: &Kinds) -> bool {
    let Some(stmt) = call.parent() else {
        return true;
    };
    if stmt.kind_id() == k.defer_statement {
        return false;
    }
    // `mu.Unlock(); return` inside an `if`: the code after the `if` still holds the lock.
    let mut next = stmt.next_named_sibling();
    while let Some(s) = next {
        let kind = s.kind_id();
        if kind == k.return_statement
            || kind == k.continue_statement
            || kind == k.break_statement
            || kind == k.goto_statement
        {
            return false;
        }
        next = s.next_named_sibling();
    }
    true
}

const SAFE_DOC: &[&str] = &[
    "safe for concurrent use",
    "safe for use by multiple goroutines",
    "safe to use concurrently",
    "safe for concurrent access",
    "goroutine-safe",
    "goroutine safe",
    "thread-safe",
    "concurrency-safe",
];

const NOT_SAFE_DOC: &[&str] = &[
    "not safe",
    "isn't safe",
    "unsafe for",
    "not concurrency-safe",
    "not goroutine-safe",
    "not thread-safe",
    "not concurrent",
    "not be used concurrently",
    "not be called concurrently",
];

const REGISTER: &[&str] = &[
    "HandleFunc",
    "Handle",
    "HandlerFunc",
    "Get",
    "Post",
    "Put",
    "Patch",
    "Delete",
    "Head",
    "Options",
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "Any",
    "Method",
    "MethodFunc",
];

struct Extract<'a, 't> {
    k: &'static Kinds,
    src: &'t str,
    rel: &'a str,
    facts: &'a mut ConcurrencyFacts,
}

/// The enclosing method's receiver, for resolving `s.M()` and `s.field.M()`.
#[derive(Clone, Copy)]
struct Recv<'t> {
    name: &'t str,
    ty: &'t str,
}

impl<'t> Extract<'_, 't> {
    fn text(&self, n: Node) -> &'t str {
        &self.src[n.byte_range()]
    }

    fn file(&mut self, root: Node<'t>) {
        let k = self.k;
        let mut c = root.walk();
        let decls: Vec<Node> = root.named_children(&mut c).collect();
        for (i, d) in decls.iter().enumerate() {
            let kind = d.kind_id();
            if kind == k.method_declaration {
                self.method(*d);
            } else if kind == k.function_declaration {
                self.entries(*d, None);
            } else if kind == type_declaration() {
                let doc = doc_before(&decls, i, self.src);
                self.types(*d, &doc);
            }
        }
    }

    fn types(&mut self, decl: Node<'t>, doc: &str) {
        let k = self.k;
        let mut c = decl.walk();
        for spec in decl.named_children(&mut c) {
            if spec.kind_id() != k.type_spec {
                continue;
            }
            let (Some(name), Some(ty)) = (
                spec.child_by_field_id(k.f_name),
                spec.child_by_field_id(k.f_type),
            ) else {
                continue;
            };
            let name = self.text(name).to_string();
            let doc_l = doc.to_ascii_lowercase();
            let negated = NOT_SAFE_DOC.iter().any(|p| doc_l.contains(p));
            if !negated && SAFE_DOC.iter().any(|p| doc_l.contains(p)) {
                self.facts.all_concurrent.insert(
                    name.clone(),
                    format!("{name} is documented as safe for concurrent use"),
                );
            }
            if ty.kind_id() == k.struct_type {
                self.fields_of(&name, ty);
            }
        }
    }

    fn fields_of(&mut self, name: &str, st: Node<'t>) {
        let k = self.k;
        // Texts are copied once at the end: a struct nested thousands deep repeats a field name.
        let mut fields: HashMap<String, &str> = HashMap::default();
        for f in preorder(st).filter(|n| n.kind_id() == k.field_declaration) {
            let Some(ty) = f.child_by_field_id(k.f_type) else {
                continue;
            };
            let ty_text = self.text(ty);
            let names = field_children(f, k.f_name);
            if names.is_empty() {
                let base = ty_text.trim_start_matches('*');
                let base = base.rsplit('.').next().unwrap_or(base);
                if base.starts_with("Unimplemented") && base.ends_with("Server") {
                    self.facts.all_concurrent.insert(
                        name.to_string(),
                        format!("{name} is a gRPC service ({base})"),
                    );
                }
                fields.insert(base.to_string(), ty_text);
            }
            for n in names {
                fields.insert(self.text(n).to_string(), ty_text);
            }
        }
        let fields = fields.into_iter().map(|(f, t)| (f, t.to_string()));
        self.facts.fields.insert(name.to_string(), fields.collect());
    }

    fn method(&mut self, m: Node<'t>) {
        let k = self.k;
        let Some((rname, ty)) = receiver(m, self.src) else {
            return;
        };
        let Some(name) = m.child_by_field_id(k.f_name).map(|n| self.text(n)) else {
            return;
        };
        self.facts
            .methods
            .entry(ty.to_string())
            .or_default()
            .insert(name.to_string());
        if name == "ServeHTTP" {
            self.mark(ty, name, format!("{ty}.ServeHTTP is an HTTP handler"));
        }
        let recv = Recv { name: rname, ty };
        if let Some(body) = m.child_by_field_id(k.f_body) {
            self.own_calls(body, recv, name);
        }
        self.entries(m, Some(recv));
    }

    /// Calls a method makes on its own receiver outside a lock.
    fn own_calls(&mut self, body: Node<'t>, recv: Recv<'t>, method: &str) {
        let k = self.k;
        let mut callees = Vec::new();
        for call in preorder(body).filter(|n| n.kind_id() == k.call_expression) {
            let Some(f) = call.child_by_field_id(k.f_function) else {
                continue;
            };
            let Some((x, m)) = f.selector() else {
                continue;
            };
            if self.text(x) == recv.name && !locked_at(body, call.start_byte(), self.src) {
                callees.push(self.text(m).to_string());
            }
        }
        if !callees.is_empty() {
            self.facts
                .calls
                .insert((recv.ty.to_string(), method.to_string()), callees);
        }
    }

    /// `go` statements and handler registrations in a function or method.
    fn entries(&mut self, func: Node<'t>, recv: Option<Recv<'t>>) {
        let k = self.k;
        let Some(body) = func.child_by_field_id(k.f_body) else {
            return;
        };
        // Tests start goroutines and handlers to exercise a type, not to share it.
        if self.rel.ends_with("_test.go") {
            return;
        }
        for n in preorder(body) {
            if n.kind_id() == k.go_statement && in_loop(n) {
                let why = format!(
                    "called from goroutines started in a loop at {}:{}",
                    self.rel,
                    line(n)
                );
                self.goroutine(n, recv, &why);
            } else if n.kind_id() == k.call_expression {
                self.registration(n, recv);
            }
        }
    }

    /// The methods a goroutine calls.
    fn goroutine(&mut self, go: Node<'t>, recv: Option<Recv<'t>>, why: &str) {
        let k = self.k;
        let Some(call) = go.named_child(0) else {
            return;
        };
        let scope = match call.child_by_field_id(k.f_function) {
            Some(f) if f.kind_id() == k.func_literal => f,
            _ => call,
        };
        self.calls_in(scope, recv, why);
    }

    /// The calls a goroutine makes; those inside `once.Do(func() { ... })` run once however
    /// many goroutines reach them, so they do not run concurrently with each other.
    fn calls_in(&mut self, scope: Node<'t>, recv: Option<Recv<'t>>, why: &str) {
        let k = self.k;
        for call in preorder(scope).filter(|n| n.kind_id() == k.call_expression) {
            let Some(f) = call.child_by_field_id(k.f_function) else {
                continue;
            };
            if self.in_once_do(call, scope) {
                continue;
            }
            self.method_value(f, recv, why);
        }
    }

    /// `n` is inside a function literal handed to a `sync.Once`'s `Do` (`once.Do`,
    /// `c.initOnce.Do`), below `scope`.
    fn in_once_do(&self, n: Node<'t>, scope: Node<'t>) -> bool {
        let k = self.k;
        let mut cur = n.parent();
        while let Some(p) = cur.filter(|p| p.id() != scope.id()) {
            if p.kind_id() == k.func_literal {
                let call = p
                    .parent()
                    .filter(|a| a.kind_id() == k.argument_list)
                    .and_then(|a| a.parent());
                let once = call
                    .and_then(|c| c.child_by_field_id(k.f_function))
                    .and_then(|f| f.selector())
                    .is_some_and(|(x, m)| {
                        self.text(m) == "Do" && self.text(x).to_ascii_lowercase().contains("once")
                    });
                if once {
                    return true;
                }
            }
            cur = p.parent();
        }
        false
    }

    /// Marks the method a selector `x.M` names when `x` is the receiver or one of its fields.
    fn method_value(&mut self, f: Node<'t>, recv: Option<Recv<'t>>, why: &str) {
        let Some((x, m)) = f.selector() else {
            return;
        };
        let m = self.text(m);
        // Only the receiver's own state is shared: a local variable in a goroutine started in
        // a loop is usually one object per goroutine (`for _, g := range gs { go g.run() }`).
        if let Some(ty) = self.resolve(x, recv) {
            self.mark(&ty, m, why.to_string());
        }
    }

    /// The local type of `s` or `s.field` when `s` is the receiver.
    fn resolve(&self, x: Node, recv: Option<Recv>) -> Option<String> {
        let k = self.k;
        let recv = recv?;
        if x.kind_id() == k.identifier {
            return (self.text(x) == recv.name).then(|| recv.ty.to_string());
        }
        if x.kind_id() != k.selector_expression {
            return None;
        }
        let base = x.child_by_field_id(k.f_operand)?;
        let field = x.child_by_field_id(k.f_field)?;
        if self.text(base) != recv.name {
            return None;
        }
        // Field types are known only once every file is read; resolved lazily by name here.
        Some(format!("{}.{}", recv.ty, self.text(field)))
    }

    fn mark(&mut self, ty: &str, method: &str, why: String) {
        self.facts
            .concurrent
            .entry((ty.to_string(), method.to_string()))
            .or_insert(why);
    }

    /// `mux.HandleFunc("/x", s.handle)`, `http.HandlerFunc(s.handle)`, `r.GET("/", func(...) {...})`.
    fn registration(&mut self, call: Node<'t>, recv: Option<Recv<'t>>) {
        let k = self.k;
        let Some(f) = call.child_by_field_id(k.f_function) else {
            return;
        };
        let name = match f.kind_id() {
            kind if kind == k.selector_expression => f.child_by_field_id(k.f_field),
            kind if kind == k.identifier => Some(f),
            _ => None,
        };
        let Some(name) = name.map(|n| self.text(n)) else {
            return;
        };
        if !REGISTER.contains(&name) {
            return;
        }
        let Some(args) = call.child_by_field_id(k.f_arguments) else {
            return;
        };
        let why = format!("an HTTP handler ({name} at {}:{})", self.rel, line(call));
        let mut c = args.walk();
        let args: Vec<Node> = args.named_children(&mut c).collect();
        for a in args {
            // A handler's local values are per request: only the receiver's state is shared.
            if a.kind_id() == k.selector_expression {
                self.method_value(a, recv, &why);
            } else if a.kind_id() == k.func_literal {
                self.calls_in(a, recv, &why);
            }
        }
    }
}

impl ConcurrencyFacts {
    /// Resolves entries recorded as `Type.field` (a method called on a receiver's field) to the
    /// field's type, once every file's fields are known.
    fn resolve_fields(&mut self) {
        let entries: Vec<((String, String), String)> = self.concurrent.drain().collect();
        for ((ty, m), why) in entries {
            let ty = match ty.split_once('.') {
                Some((owner, field)) => match self.fields.get(owner).and_then(|f| f.get(field)) {
                    Some(t) => local_type(t),
                    None => continue,
                },
                None => ty,
            };
            self.concurrent.entry((ty, m)).or_insert(why);
        }
    }
}

/// `*Service` is `Service`; `pkg.Type` stays qualified (not a type of this package).
fn local_type(t: &str) -> String {
    t.trim_start_matches('*').to_string()
}

/// Whether a `go` statement sits in a loop of its function (it starts many goroutines).
fn in_loop(n: Node) -> bool {
    let k = kinds();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_function(k, p.kind_id()) {
            return false;
        }
        if p.kind_id() == k.for_statement {
            return true;
        }
        cur = p.parent();
    }
    false
}

fn type_declaration() -> u16 {
    static ID: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    *ID.get_or_init(|| crate::syntax::kind_id("type_declaration"))
}

fn line(n: Node) -> usize {
    n.start_position().row + 1
}

/// The comment lines right above declaration `i` of the file.
fn doc_before(decls: &[Node], i: usize, src: &str) -> String {
    let k = kinds();
    let mut out = Vec::new();
    let mut j = i;
    let mut row = decls[i].start_position().row;
    while j > 0 {
        j -= 1;
        let d = decls[j];
        if d.kind_id() != k.comment || d.end_position().row + 1 < row {
            break;
        }
        row = d.start_position().row;
        out.push(&src[d.byte_range()]);
    }
    out.reverse();
    out.join("\n")
}

/// Whether a node belongs to function `f` itself (not a nested literal).
pub fn owned_by(n: Node, f: Node) -> bool {
    let k = kinds();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if is_function(k, p.kind_id()) {
            return p.id() == f.id();
        }
        cur = p.parent();
    }
    false
}
