//! The lock model of one package: which mutex each function acquires and releases on each path,
//! a summary per function, followed through the package's own calls.
//!
//! A lock is named by its access path (`s.mu`, `r.cache.mu`, `mu`): `a.mu` and `b.mu` are two
//! locks even when `a` and `b` have one type. Beside the path, a lock has a class, the field it
//! is (`Registry.mu`, through the package's struct field types), used to compare acquisitions in
//! different functions (lock order) and to match the two ends of a channel. What is a mutex:
//! a field, variable or parameter of type `sync.Mutex`/`sync.RWMutex`/`sync.Locker` (or a
//! pointer to one), a struct that embeds one (`s.Lock()`), and, when the type is not known here
//! (a field of another package's type), a name such as `mu`, `mtx`, `stateLock`.
//!
//! Each function body and each function literal is a unit, analysed over its control-flow graph
//! with the set of locks held on every path (intersection at joins). A unit's summary, in terms
//! of its receiver, parameters and package variables: the locks it acquires (with the call chain
//! that does it), the locks it leaves held on every return (a `lock()` helper), and the locks it
//! releases without taking them (an `unlock()` helper, or unlock-then-relock around a call). At
//! each call of the package's own function or method, the callee's summary is mapped through the
//! arguments (`transfer(a, b)` locks `a.mu` and `b.mu` of the caller), up to `MAX_CALL_DEPTH`
//! calls deep, and cached. Calls are resolved without a type checker: a function of the package,
//! or a method on a receiver, parameter, local or field whose type the package declares.
//!
//! What the rules read is a `LockModel`: double acquisitions, order edges (lock B taken while A
//! is held), the blocking operations with the locks held at them, and the condition variables.
//! `defer` and `go` statements run nothing in the unit (a deferred unlock releases at exit);
//! function literals are units of their own.

use super::cfg::{Cfg, Exit, ENTRY};
use super::{kinds, Kinds};
use crate::fxhash::{HashMap, HashSet};
use crate::tree::preorder;
use crate::tree::Node;
use std::cell::RefCell;
use std::rc::Rc;

/// Callee summaries are followed this many calls deep.
pub const MAX_CALL_DEPTH: usize = 4;
/// Access paths longer than this are not locks (no real code comes close).
const MAX_PATH: usize = 16;

/// One parsed file of the package.
#[derive(Clone, Copy)]
pub struct Src<'a> {
    pub text: &'a str,
    pub root: Node<'a>,
}

/// A place in the package: the file's index in the package and a byte range.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At {
    pub file: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

impl At {
    fn of(file: usize, n: Node) -> At {
        At {
            file,
            start: n.start_byte(),
            end: n.end_byte(),
            line: n.start_position().row + 1,
        }
    }
}

/// A lock held (or acquired): its path in the unit's terms, class, mode, where it was taken and
/// the chain of calls that took it (empty when the unit locked it itself).
#[derive(Debug, Clone)]
pub struct Held {
    pub path: String,
    pub class: Option<String>,
    pub read: bool,
    pub at: At,
    pub chain: Vec<String>,
}

/// A mutex acquired while already held by the same goroutine.
#[derive(Debug, Clone)]
pub struct DoubleLock {
    pub unit: String,
    pub held: Held,
    /// The second acquisition: the `Lock` call, or the call that leads to it.
    pub again: Held,
    /// Where the callee locks it (the end of the chain), when through calls.
    pub inner: Option<At>,
}

/// Lock `second` acquired while `first` is held.
#[derive(Debug, Clone)]
pub struct OrderEdge {
    pub unit: String,
    pub first: Held,
    pub second: Held,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Send,
    Recv,
    Sleep,
    WgWait,
    WgDone,
    CondWait,
}

/// An operation that can block (or wake a blocked one), with the locks held at it.
#[derive(Debug, Clone)]
pub struct Op {
    pub unit: usize,
    pub kind: OpKind,
    /// The class of the channel, wait group or cond.
    pub target: Option<String>,
    /// The operand as written (`s.events`).
    pub text: String,
    pub at: At,
    pub held: Vec<Held>,
    /// A cond's Wait inside a `for` loop of its unit; a channel op in a `select` that has a
    /// `default` or another case that does not block forever (a timer, a context).
    pub guarded: bool,
}

/// What the rules need to know of a unit.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    pub name: String,
    /// Classes acquired in the unit (directly or through calls), with the byte where.
    pub acquires: Vec<(String, usize)>,
}

/// The package's lock facts.
#[derive(Debug, Default)]
pub struct LockModel {
    pub units: Vec<UnitInfo>,
    pub doubles: Vec<DoubleLock>,
    pub edges: Vec<OrderEdge>,
    pub ops: Vec<Op>,
    /// Classes write-locked somewhere in the package.
    pub write_locked: HashSet<String>,
    /// Cond classes signalled or broadcast somewhere in the package (by class and by last name).
    pub signalled: HashSet<String>,
    /// A cond's class to the class of its lock (`sync.NewCond(&s.mu)`).
    pub cond_lock: HashMap<String, String>,
    /// Channel classes made with a buffer.
    pub buffered: HashSet<String>,
}

/// Builds the lock model of a package from its parsed files.
///
/// A package whose text never calls `Lock()` or `Wait()` has no facts, and is not indexed.
pub fn analyse(srcs: &[Src]) -> LockModel {
    let mut model = LockModel::default();
    if !srcs
        .iter()
        .any(|s| s.text.contains("ock()") || s.text.contains(".Wait()"))
    {
        return model;
    }
    let pkg = Pkg::index(srcs);
    pkg.scan_makes(&mut model);
    let units = pkg.units();
    for (i, u) in units.iter().enumerate() {
        if !pkg.may_matter(pkg.srcs[u.file].text, u.body) {
            model.units.push(UnitInfo {
                name: u.name.clone(),
                acquires: Vec::new(),
            });
            continue;
        }
        let mut rec = Recorder {
            model: &mut model,
            unit: i,
        };
        let summary = pkg.run(u, 0, Some(&mut rec));
        if let (Some(f), Some(s)) = (u.func, summary) {
            pkg.summaries.borrow_mut().entry(f).or_insert(s);
        }
        model.units.push(UnitInfo {
            name: u.name.clone(),
            acquires: Vec::new(),
        });
    }
    let acquired = std::mem::take(&mut *pkg.acquired.borrow_mut());
    for (unit, class, byte) in acquired {
        model.units[unit].acquires.push((class, byte));
    }
    model
}

/// A struct type of the package: field types (normalised), its embedded fields' names, and
/// the name of an embedded mutex.
#[derive(Default)]
struct Struct<'a> {
    fields: HashMap<String, String>,
    embedded: Vec<&'a str>,
    mutex: Option<&'a str>,
}

/// How deep promoted fields and methods are looked for through embedded structs.
const MAX_EMBED: usize = 3;

/// A function or method declaration.
struct Func<'a> {
    file: usize,
    name: String,
    recv_type: String,
    /// Receiver (if any) then parameters: names and normalised types.
    recv: Option<(&'a str, String)>,
    params: Vec<(&'a str, String)>,
    body: Node<'a>,
}

/// A lock in a summary, in the callee's formal terms.
#[derive(Debug, Clone)]
struct FLock {
    root: Root,
    rest: String,
    class: Option<String>,
    read: bool,
    at: At,
    chain: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Recv,
    Param(usize),
    Global,
}

#[derive(Debug, Clone, Default)]
struct LockSummary {
    acquires: Vec<FLock>,
    leaves: Vec<FLock>,
    releases: Vec<FLock>,
}

/// A function body or literal to analyse.
struct Unit<'a> {
    /// The declaration, when the unit is one (literals have no summary).
    func: Option<usize>,
    /// The declaration that holds it: its variables are the literal's too.
    scope: usize,
    file: usize,
    name: String,
    body: Node<'a>,
    extra_params: Vec<(&'a str, String)>,
}

struct Pkg<'s, 'a> {
    srcs: &'s [Src<'a>],
    k: &'static Kinds,
    structs: HashMap<String, Struct<'a>>,
    globals: HashMap<&'a str, String>,
    funcs: Vec<Func<'a>>,
    by_name: HashMap<(String, String), usize>,
    results: HashMap<String, String>,
    /// Local variables (and their guessed types) of each declaration, by declaration index,
    /// found on first use.
    locals: RefCell<HashMap<usize, Rc<HashMap<&'a str, String>>>>,
    summaries: RefCell<HashMap<usize, LockSummary>>,
    busy: RefCell<HashSet<usize>>,
    acquired: RefCell<Vec<(usize, String, usize)>>,
    /// Declarations that may take or release a lock (`find_lockers`), and their names.
    may_lock: Vec<bool>,
    locker_names: HashSet<String>,
    /// The events of each statement, by node id, found on first use (a fixpoint visits a
    /// statement several times, a callee's body is run again for its summary).
    events: RefCell<HashMap<usize, Rc<Vec<Node<'a>>>>>,
    /// The one empty event list every node without events shares.
    no_events: Rc<Vec<Node<'a>>>,
}

struct Recorder<'m> {
    model: &'m mut LockModel,
    unit: usize,
}

/// Strips pointers, generics and parentheses from a type's text: `*Node[T]` is `Node`.
pub fn base_type(t: &str) -> String {
    let t = t
        .trim()
        .trim_start_matches(['*', '&', '('])
        .trim_end_matches(')');
    let t = t.split('[').next().unwrap_or("");
    t.trim().to_string()
}

fn is_mutex_type(t: &str) -> bool {
    matches!(t, "sync.Mutex" | "sync.RWMutex" | "sync.Locker")
}

/// A name that says "lock" when the type is not known here: `mu`, `stateMu`, `mtx`, `lock`.
fn lock_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l == "mu"
        || l.ends_with("mu") && name.len() > 2 && name.as_bytes()[name.len() - 2] == b'M'
        || l.ends_with("mutex")
        || l.ends_with("mtx")
        || l == "lock"
        || l == "rwlock"
        || name.ends_with("Lock") && name.len() > 4
}

/// An access path: a root variable and the fields (or `[i]` indexes) after it.
#[derive(Debug, Clone)]
struct Path<'a> {
    root: &'a str,
    fields: Vec<&'a str>,
}

impl Path<'_> {
    fn key(&self) -> String {
        let mut s = self.root.to_string();
        for f in &self.fields {
            if !f.starts_with('[') {
                s.push('.');
            }
            s.push_str(f);
        }
        s
    }
}

fn text<'a>(src: &'a str, n: Node) -> &'a str {
    src.get(n.byte_range()).unwrap_or("")
}

/// The access path of an expression: `s.mu`, `(*p).mu`, `&x.mu`, `m[k].mu`; `None` for calls.
fn path_of<'a>(mut n: Node, src: &'a str, k: &Kinds) -> Option<Path<'a>> {
    let mut fields = Vec::new();
    for _ in 0..MAX_PATH {
        let kind = n.kind_id();
        if kind == k.identifier {
            fields.reverse();
            return Some(Path {
                root: text(src, n),
                fields,
            });
        } else if kind == k.selector_expression {
            fields.push(text(src, n.child_by_field_id(k.f_field)?));
            n = n.child_by_field_id(k.f_operand)?;
        } else if kind == k.parenthesized_expression {
            n = n.named_child(0)?;
        } else if kind == k.unary_expression {
            let op = n.child_by_field_id(k.f_operator).map(|o| text(src, o));
            if !matches!(op, Some("&") | Some("*")) {
                return None;
            }
            n = n.child_by_field_id(k.f_operand)?;
        } else if kind == k.index_expression {
            let idx = n.child_by_field_id(k.f_index)?;
            let s = src.get(idx.start_byte().saturating_sub(1)..idx.end_byte() + 1)?;
            fields.push(s);
            n = n.child_by_field_id(k.f_operand)?;
        } else {
            return None;
        }
    }
    None
}

/// A unit's variables: receiver, parameters, locals, with guessed types.
struct Env<'e, 'a> {
    recv: Option<&'e (&'a str, String)>,
    params: &'e [(&'a str, String)],
    /// A literal's own parameters.
    extra: &'e [(&'a str, String)],
    locals: &'e HashMap<&'a str, String>,
    scope: &'e str,
}

impl Env<'_, '_> {
    fn var_type(&self, name: &str, pkg: &Pkg) -> Option<String> {
        let formal = self
            .recv
            .into_iter()
            .chain(self.extra)
            .chain(self.params)
            .find(|(n, _)| *n == name);
        if let Some((_, t)) = formal {
            return Some(t.clone());
        }
        if let Some(t) = self.locals.get(name) {
            return Some(t.clone());
        }
        pkg.globals.get(name).cloned()
    }

    /// What a summary calls a variable: the receiver, a parameter or a package variable.
    fn root(&self, name: &str, pkg: &Pkg) -> Option<Root> {
        if self.recv.is_some_and(|r| r.0 == name) {
            return Some(Root::Recv);
        }
        if self.extra.iter().any(|(n, _)| *n == name) || self.locals.contains_key(name) {
            return None;
        }
        if let Some(i) = self.params.iter().position(|(n, _)| *n == name) {
            return Some(Root::Param(i));
        }
        pkg.globals.contains_key(name).then_some(Root::Global)
    }

    fn known(&self, name: &str, pkg: &Pkg) -> bool {
        self.var_type(name, pkg).is_some()
    }
}

impl<'s, 'a> Pkg<'s, 'a> {
    fn index(srcs: &'s [Src<'a>]) -> Pkg<'s, 'a> {
        let mut pkg = Pkg {
            srcs,
            k: kinds(),
            structs: HashMap::default(),
            globals: HashMap::default(),
            funcs: Vec::new(),
            by_name: HashMap::default(),
            results: HashMap::default(),
            locals: RefCell::new(HashMap::default()),
            summaries: RefCell::new(HashMap::default()),
            busy: RefCell::new(HashSet::default()),
            acquired: RefCell::new(Vec::new()),
            events: RefCell::new(HashMap::default()),
            no_events: Rc::default(),
            may_lock: Vec::new(),
            locker_names: HashSet::default(),
        };
        for (i, s) in srcs.iter().enumerate() {
            pkg.index_file(i, *s);
        }
        pkg.find_lockers();
        pkg
    }

    /// Which declarations may take or release a lock: directly (`ock()` in the body), or by
    /// calling, by name, one that may. Calls of the others are never followed, and units that
    /// neither lock nor wait are not analysed: nothing they do is held under a lock.
    fn find_lockers(&mut self) {
        let mut may = vec![false; self.funcs.len()];
        let mut callers: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut work = Vec::new();
        for (i, f) in self.funcs.iter().enumerate() {
            let body = text(self.srcs[f.file].text, f.body);
            if body.contains("ock()") {
                may[i] = true;
                work.push(i);
                continue;
            }
            let names: HashSet<&str> = crate::syntax::called_names(body, b"(").collect();
            for name in names {
                callers.entry(name).or_default().push(i);
            }
        }
        while let Some(f) = work.pop() {
            for &c in callers
                .get(self.funcs[f].name.as_str())
                .into_iter()
                .flatten()
            {
                if !may[c] {
                    may[c] = true;
                    work.push(c);
                }
            }
        }
        let lockers = self.funcs.iter().zip(&may).filter(|(_, m)| **m);
        self.locker_names = lockers.map(|(f, _)| f.name.clone()).collect();
        self.may_lock = may;
    }

    /// Whether a unit's own events can matter to a rule: it may lock (`find_lockers`), or it
    /// waits on or wakes a cond. Others are analysed only as callees, for their summaries.
    fn may_matter(&self, src: &str, body: Node) -> bool {
        let t = text(src, body);
        ["ock()", ".Wait()", "Signal()", "Broadcast()"]
            .iter()
            .any(|m| t.contains(m))
            || crate::syntax::called_names(t, b"(").any(|n| self.locker_names.contains(n))
    }

    /// The events of statement `n` (see `events`), computed once.
    fn events_of(&self, n: Node<'a>, src: &str) -> Rc<Vec<Node<'a>>> {
        if let Some(e) = self.events.borrow().get(&n.id()) {
            return e.clone();
        }
        let found = events(n, self.k, src);
        let e = match found.is_empty() {
            true => self.no_events.clone(),
            false => Rc::new(found),
        };
        self.events.borrow_mut().insert(n.id(), e.clone());
        e
    }

    fn index_file(&mut self, file: usize, s: Src<'a>) {
        let k = self.k;
        let mut c = s.root.walk();
        for top in s.root.named_children(&mut c) {
            let kind = top.kind_id();
            if kind == k.function_declaration || kind == k.method_declaration {
                self.index_func(file, top, s.text);
            } else if kind == k.type_declaration {
                self.index_types(top, s.text);
            } else if kind == k.var_declaration {
                for spec in preorder(top).filter(|n| n.kind_id() == k.var_spec) {
                    let ty = spec
                        .child_by_field_id(k.f_type)
                        .map(|t| base_type(text(s.text, t)))
                        .or_else(|| {
                            let v = spec.child_by_field_id(k.f_value)?.named_child(0)?;
                            Some(self.guess_type(v, s.text))
                        })
                        .unwrap_or_default();
                    for name in crate::tree::field_children(spec, k.f_name) {
                        self.globals.insert(text(s.text, name), ty.clone());
                    }
                }
            }
        }
    }

    fn index_func(&mut self, file: usize, decl: Node<'a>, src: &'a str) {
        let k = self.k;
        let Some(body) = decl.child_by_field_id(k.f_body) else {
            return;
        };
        let name = decl
            .child_by_field_id(k.f_name)
            .map(|n| text(src, n).to_string())
            .unwrap_or_default();
        let recv = decl
            .child_by_field_id(k.f_receiver)
            .and_then(|r| params(r, src, k).into_iter().next());
        let recv_type = recv.as_ref().map(|r| r.1.clone()).unwrap_or_default();
        let ps = decl
            .child_by_field_id(k.f_parameters)
            .map(|p| params(p, src, k))
            .unwrap_or_default();
        if let Some(r) = decl.child_by_field_id(k.f_result) {
            if recv.is_none() {
                self.results.insert(name.clone(), base_type(text(src, r)));
            }
        }
        self.by_name
            .insert((recv_type.clone(), name.clone()), self.funcs.len());
        self.funcs.push(Func {
            file,
            name,
            recv_type,
            recv,
            params: ps,
            body,
        });
    }

    fn index_types(&mut self, decl: Node<'a>, src: &'a str) {
        let k = self.k;
        for spec in preorder(decl).filter(|n| n.kind_id() == k.type_spec) {
            let (Some(name), Some(ty)) = (
                spec.child_by_field_id(k.f_name),
                spec.child_by_field_id(k.f_type),
            ) else {
                continue;
            };
            if ty.kind_id() != k.struct_type {
                continue;
            }
            let mut st = Struct::default();
            for field in preorder(ty).filter(|n| n.kind_id() == k.field_declaration) {
                let Some(t) = field.child_by_field_id(k.f_type) else {
                    continue;
                };
                let raw = text(src, t);
                let t = base_type(raw);
                let names = crate::tree::field_children(field, k.f_name);
                if names.is_empty() {
                    let bare = raw.trim_start_matches('*').split('[').next().unwrap_or("");
                    let short = bare.rsplit('.').next().unwrap_or("").trim();
                    if is_mutex_type(&t) {
                        st.mutex = Some(short);
                    }
                    st.embedded.push(short);
                    st.fields.insert(short.to_string(), t.clone());
                }
                for n in names {
                    st.fields.insert(text(src, n).to_string(), t.clone());
                }
            }
            self.structs.insert(text(src, name).to_string(), st);
        }
    }

    /// The type an initialiser gives a variable: `&T{}`, `T{}`, `new(T)`, `NewT()`, `make(chan
    /// int)`, `sync.NewCond(...)`.
    fn guess_type(&self, v: Node, src: &str) -> String {
        let k = self.k;
        let mut v = v;
        if v.kind_id() == k.unary_expression {
            match v.child_by_field_id(k.f_operand) {
                Some(o) => v = o,
                None => return String::new(),
            }
        }
        if v.kind_id() == k.composite_literal {
            return v
                .child_by_field_id(k.f_type)
                .map(|t| base_type(text(src, t)))
                .unwrap_or_default();
        }
        if v.kind_id() != k.call_expression {
            return String::new();
        }
        let f = v.child_by_field_id(k.f_function).map(|f| text(src, f));
        let arg0 = v
            .child_by_field_id(k.f_arguments)
            .and_then(|a| a.named_child(0))
            .map(|a| text(src, a));
        match (f, arg0) {
            (Some("new"), Some(t)) => base_type(t),
            (Some("make"), Some(t)) if t.contains("chan") => "chan".into(),
            (Some("sync.NewCond"), _) => "sync.Cond".into(),
            (Some(name), _) => self.results.get(name).cloned().unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Locals of a declaration (every `:=`, `var` and range variable), typed where guessable.
    fn locals(&self, f: usize) -> Rc<HashMap<&'a str, String>> {
        if let Some(l) = self.locals.borrow().get(&f) {
            return l.clone();
        }
        let l = Rc::new(self.locals_of(f));
        self.locals.borrow_mut().insert(f, l.clone());
        l
    }

    fn locals_of(&self, f: usize) -> HashMap<&'a str, String> {
        let k = self.k;
        let func = &self.funcs[f];
        let src = self.srcs[func.file].text;
        let mut out: HashMap<&'a str, String> = HashMap::default();
        for n in preorder(func.body) {
            let kind = n.kind_id();
            if kind == k.short_var_declaration || kind == k.range_clause {
                let (Some(l), r) = (
                    n.child_by_field_id(k.f_left),
                    n.child_by_field_id(k.f_right),
                ) else {
                    continue;
                };
                let mut c = l.walk();
                let names: Vec<Node> = l.named_children(&mut c).collect();
                let vals: Vec<Node> = r
                    .map(|r| {
                        let mut c = r.walk();
                        r.named_children(&mut c).collect()
                    })
                    .unwrap_or_default();
                for (i, name) in names.iter().enumerate() {
                    let ty = match vals.get(i) {
                        Some(v) if kind == k.short_var_declaration && names.len() == vals.len() => {
                            self.guess_type(*v, src)
                        }
                        _ => String::new(),
                    };
                    out.insert(text(src, *name), ty);
                }
            } else if kind == k.var_spec {
                let ty = n
                    .child_by_field_id(k.f_type)
                    .map(|t| base_type(text(src, t)))
                    .or_else(|| {
                        let v = n.child_by_field_id(k.f_value)?.named_child(0)?;
                        Some(self.guess_type(v, src))
                    })
                    .unwrap_or_default();
                for name in crate::tree::field_children(n, k.f_name) {
                    out.insert(text(src, name), ty.clone());
                }
            } else if kind == k.func_literal {
                if let Some(p) = n.child_by_field_id(k.f_parameters) {
                    for (name, ty) in params(p, src, k) {
                        out.insert(name, ty);
                    }
                }
            }
        }
        out
    }

    /// Every declaration's body and every function literal inside it.
    fn units(&self) -> Vec<Unit<'a>> {
        let k = self.k;
        let mut out = Vec::new();
        for (i, f) in self.funcs.iter().enumerate() {
            let name = self.display_name(i);
            out.push(Unit {
                func: Some(i),
                file: f.file,
                name: name.clone(),
                scope: i,
                body: f.body,
                extra_params: Vec::new(),
            });
            let src = self.srcs[f.file].text;
            // A body without the word `func` has no literal: no walk.
            let walk = text(src, f.body).contains("func");
            for lit in preorder(f.body)
                .take_while(|_| walk)
                .filter(|n| n.kind_id() == k.func_literal)
            {
                let Some(body) = lit.child_by_field_id(k.f_body) else {
                    continue;
                };
                let is_go = lit
                    .parent()
                    .and_then(|p| p.parent())
                    .is_some_and(|g| g.kind_id() == k.go_statement);
                let what = if is_go {
                    "goroutine"
                } else {
                    "function literal"
                };
                out.push(Unit {
                    func: None,
                    file: f.file,
                    name: format!(
                        "the {what} in {name} (line {})",
                        lit.start_position().row + 1
                    ),
                    scope: i,
                    body,
                    extra_params: lit
                        .child_by_field_id(k.f_parameters)
                        .map(|p| params(p, src, k))
                        .unwrap_or_default(),
                });
            }
        }
        out
    }

    /// Buffered channels (`make(chan T, n)`) and the locks of conds (`sync.NewCond(&s.mu)`),
    /// from assignments and keyed struct literals.
    fn scan_makes(&self, model: &mut LockModel) {
        let k = self.k;
        for (f, func) in self.funcs.iter().enumerate() {
            let src = self.srcs[func.file].text;
            let body = text(src, func.body);
            if !body.contains("make(chan") && !body.contains("NewCond(") {
                continue;
            }
            let locals = self.locals(f);
            let env = Env {
                recv: func.recv.as_ref(),
                params: &func.params,
                extra: &[],
                locals: &locals,
                scope: &self.display_name(f),
            };
            for n in preorder(func.body) {
                let kind = n.kind_id();
                let pairs: Vec<(Option<String>, Node)> = if kind == k.keyed_element {
                    let owner = n
                        .parent()
                        .and_then(|l| l.parent())
                        .and_then(|c| c.child_by_field_id(k.f_type))
                        .map(|t| base_type(text(src, t)));
                    let (Some(key), Some(val)) = (n.named_child(0), n.named_child(1)) else {
                        continue;
                    };
                    let key = owner.map(|o| format!("{o}.{}", text(src, key).trim()));
                    let val = if val.kind_id() == k.literal_element {
                        val.named_child(0).unwrap_or(val)
                    } else {
                        val
                    };
                    vec![(key, val)]
                } else if kind == k.short_var_declaration || kind == k.assignment_statement {
                    let (Some(l), Some(r)) = (
                        n.child_by_field_id(k.f_left),
                        n.child_by_field_id(k.f_right),
                    ) else {
                        continue;
                    };
                    let (mut c1, mut c2) = (l.walk(), r.walk());
                    l.named_children(&mut c1)
                        .zip(r.named_children(&mut c2))
                        .map(|(l, r)| {
                            let class = path_of(l, src, k).and_then(|p| self.class_of(&env, &p));
                            (class, r)
                        })
                        .collect()
                } else {
                    continue;
                };
                for (class, val) in pairs {
                    let Some(class) = class else { continue };
                    self.note_make(&env, class, val, src, model);
                }
            }
        }
    }

    fn note_make(&self, env: &Env, class: String, val: Node, src: &'a str, model: &mut LockModel) {
        let k = self.k;
        if val.kind_id() != k.call_expression {
            return;
        }
        let f = val.child_by_field_id(k.f_function).map(|f| text(src, f));
        let Some(args) = val.child_by_field_id(k.f_arguments) else {
            return;
        };
        match f {
            Some("make") => {
                let size = args.named_child(1).map(|a| text(src, a));
                let chan = args
                    .named_child(0)
                    .is_some_and(|t| text(src, t).contains("chan"));
                if chan && size.is_some_and(|s| s != "0") {
                    model.buffered.insert(class);
                }
            }
            Some("sync.NewCond") => {
                let lock = args
                    .named_child(0)
                    .and_then(|a| path_of(a, src, k))
                    .and_then(|p| self.class_of(env, &p));
                if let Some(lock) = lock {
                    model.cond_lock.insert(class, lock);
                }
            }
            _ => {}
        }
    }

    fn display_name(&self, f: usize) -> String {
        let func = &self.funcs[f];
        if func.recv_type.is_empty() {
            func.name.clone()
        } else {
            format!("{}.{}", func.recv_type, func.name)
        }
    }

    /// The type of a path's value: the root's type, then each field's.
    fn path_type(&self, env: &Env, p: &Path) -> Option<String> {
        let mut t = env.var_type(p.root, self)?;
        for f in &p.fields {
            if f.starts_with('[') {
                return None;
            }
            t = self.field(&t, f, 0)?.1;
        }
        (!t.is_empty()).then_some(t)
    }

    /// A field of struct `t`, its own or promoted from an embedded struct: the struct that
    /// declares it, and its type.
    fn field(&self, t: &str, f: &str, depth: usize) -> Option<(String, String)> {
        let st = self.structs.get(t)?;
        if let Some(ft) = st.fields.get(f) {
            return Some((t.to_string(), ft.clone()));
        }
        if depth >= MAX_EMBED {
            return None;
        }
        st.embedded
            .iter()
            .find_map(|e| self.field(st.fields.get(*e)?, f, depth + 1))
    }

    /// Whether `t.embedded.next` can be written `t.next`: `embedded` is an embedded field of
    /// `t` that has `next`, and `t` has no field `next` of its own that would shadow it.
    fn promoted(&self, t: &str, embedded: &str, next: Option<&&str>) -> bool {
        let (Some(st), Some(next)) = (self.structs.get(t), next) else {
            return false;
        };
        st.embedded.contains(&embedded)
            && !st.fields.contains_key(*next)
            && st
                .fields
                .get(embedded)
                .is_some_and(|inner| self.field(inner, next, 0).is_some())
    }

    /// The mutex struct `t` embeds, directly or through embedded structs: the embedding
    /// fields' names down to it (`["Mutex"]`, `["inner", "Mutex"]`) and the struct that embeds it.
    fn embedded_mutex(&self, t: &str, depth: usize) -> Option<(Vec<&'a str>, String)> {
        let st = self.structs.get(t)?;
        if let Some(m) = st.mutex {
            return Some((vec![m], t.to_string()));
        }
        if depth >= MAX_EMBED {
            return None;
        }
        st.embedded.iter().find_map(|e| {
            let (mut names, owner) = self.embedded_mutex(st.fields.get(*e)?, depth + 1)?;
            names.insert(0, *e);
            Some((names, owner))
        })
    }

    /// The lock a path names in one spelling for all: promoted fields without the embedded
    /// field they come through (`s.inner.mu` is `s.mu`), and a struct that embeds a mutex as
    /// that mutex (`c.Lock()` and `c.Mutex.Lock()` both lock `c.Mutex`).
    fn canon(&self, env: &Env, key: &str, lock: bool) -> String {
        if key.contains('[') {
            return key.to_string();
        }
        let mut parts = key.split('.');
        let root = parts.next().unwrap_or("");
        let fields: Vec<&str> = parts.collect();
        let mut out = root.to_string();
        let mut t = env.var_type(root, self);
        for (i, f) in fields.iter().enumerate() {
            let promoted = t
                .as_ref()
                .is_some_and(|t| self.promoted(t, f, fields.get(i + 1)));
            t = t.and_then(|t| Some(self.field(&t, f, 0)?.1));
            if !promoted {
                out.push('.');
                out.push_str(f);
            }
        }
        if let (true, Some(t)) = (lock, t) {
            if let Some((names, _)) = self.embedded_mutex(&t, 0) {
                out.push('.');
                out.push_str(names.last().copied().unwrap_or("Mutex"));
            }
        }
        out
    }

    /// The class of a path: `Owner.field` when the owner's type is known, else the path in the
    /// declaration's scope (locals shared with its literals) or the package (globals).
    fn class_of(&self, env: &Env, p: &Path) -> Option<String> {
        if p.fields.iter().any(|f| f.starts_with('[')) {
            return None;
        }
        if let Some((last, init)) = p.fields.split_last() {
            let owner = Path {
                root: p.root,
                fields: init.to_vec(),
            };
            if let Some(t) = self.path_type(env, &owner) {
                if let Some((decl, _)) = self.field(&t, last, 0) {
                    return Some(format!("{decl}.{last}"));
                }
                return Some(format!("{t}.{last}"));
            }
        }
        if let Some(t) = self.path_type(env, p) {
            if let Some((names, owner)) = self.embedded_mutex(&t, 0) {
                return Some(format!(
                    "{owner}.{}",
                    names.last().copied().unwrap_or("Mutex")
                ));
            }
        }
        match env.root(p.root, self) {
            Some(Root::Global) => Some(format!("var {}", p.key())),
            Some(_) => None,
            None if env.known(p.root, self) => Some(format!("{}:{}", env.scope, p.key())),
            None => Some(format!("var {}", p.key())),
        }
    }

    /// Whether `p` is a mutex (and the call on it a lock operation rather than a method call).
    fn is_mutex(&self, env: &Env, p: &Path) -> bool {
        match self.path_type(env, p) {
            Some(t) if is_mutex_type(&t) => true,
            Some(t) => {
                self.embedded_mutex(&t, 0).is_some()
                    && !self.by_name.contains_key(&(t.clone(), "Lock".to_string()))
            }
            None => {
                let last = p.fields.last().copied().unwrap_or(p.root);
                lock_name(last) || matches!(last, "Mutex" | "RWMutex")
            }
        }
    }

    fn is_type(&self, env: &Env, p: &Path, want: &str, names: &[&str]) -> bool {
        match self.path_type(env, p) {
            Some(t) => t == want,
            None => {
                let last = p
                    .fields
                    .last()
                    .copied()
                    .unwrap_or(p.root)
                    .to_ascii_lowercase();
                names.iter().any(|n| last == *n || last.ends_with(n))
            }
        }
    }

    /// The package's function a call reaches, if it can tell.
    fn resolve(&self, env: &Env, call: Node, src: &'a str) -> Option<(usize, Option<Path<'a>>)> {
        let k = self.k;
        let f = call.child_by_field_id(k.f_function)?;
        if f.kind_id() == k.identifier {
            let name = text(src, f);
            if env.var_type(name, self).is_some() {
                return None;
            }
            return self
                .by_name
                .get(&(String::new(), name.to_string()))
                .map(|&i| (i, None));
        }
        if f.kind_id() != k.selector_expression {
            return None;
        }
        let m = text(src, f.child_by_field_id(k.f_field)?);
        let operand = f.child_by_field_id(k.f_operand)?;
        let mut p = path_of(operand, src, k)?;
        let t = self.path_type(env, &p)?;
        let (i, through) = self.method(&t, m, 0)?;
        p.fields.extend(through);
        Some((i, Some(p)))
    }

    /// Method `m` of type `t`, its own or promoted from an embedded struct, with the embedded
    /// fields it is reached through.
    fn method(&self, t: &str, m: &str, depth: usize) -> Option<(usize, Vec<&'a str>)> {
        if let Some(&i) = self.by_name.get(&(t.to_string(), m.to_string())) {
            return Some((i, Vec::new()));
        }
        let st = self.structs.get(t)?;
        if depth >= MAX_EMBED {
            return None;
        }
        st.embedded.iter().find_map(|e| {
            let (i, mut through) = self.method(st.fields.get(*e)?, m, depth + 1)?;
            through.insert(0, *e);
            Some((i, through))
        })
    }
}

/// Names and normalised types of a parameter list (`a, b int` gives two).
fn params<'a>(list: Node, src: &'a str, k: &Kinds) -> Vec<(&'a str, String)> {
    let mut out = Vec::new();
    let mut c = list.walk();
    for p in list.named_children(&mut c) {
        if p.kind_id() != k.parameter_declaration && p.kind_id() != k.variadic_parameter_declaration
        {
            continue;
        }
        let ty = p
            .child_by_field_id(k.f_type)
            .map(|t| base_type(text(src, t)))
            .unwrap_or_default();
        let names = crate::tree::field_children(p, k.f_name);
        if names.is_empty() {
            out.push(("_", ty.clone()));
        }
        for n in names {
            out.push((text(src, n), ty.clone()));
        }
    }
    out
}

/// The walk of one unit: its variables, the summary being built, and where events go.
struct LockWalk<'p, 's, 'a, 'm, 'r> {
    pkg: &'p Pkg<'s, 'a>,
    env: Env<'p, 'a>,
    src: &'a str,
    file: usize,
    depth: usize,
    unit: usize,
    unit_name: &'p str,
    /// The final pass over the fixpoint's states: events and summary are recorded.
    last: bool,
    rec: Option<&'r mut Recorder<'m>>,
    summary: LockSummary,
    /// Paths unlocked without being held (relocked later: not a fresh acquisition).
    released: HashSet<String>,
    /// Paths whose unlock is deferred.
    deferred: HashSet<String>,
    /// Where deferred calls run: the end of the body.
    body_end: usize,
}

impl<'s, 'a> Pkg<'s, 'a> {
    /// A callee's summary, computed on first use (empty past the depth bound or in a cycle).
    fn summary(&self, f: usize, depth: usize) -> LockSummary {
        if let Some(s) = self.summaries.borrow().get(&f) {
            return s.clone();
        }
        if depth > MAX_CALL_DEPTH || !self.busy.borrow_mut().insert(f) {
            return LockSummary::default();
        }
        let func = &self.funcs[f];
        let unit = Unit {
            func: Some(f),
            scope: f,
            file: func.file,
            name: self.display_name(f),
            body: func.body,
            extra_params: Vec::new(),
        };
        let s = self.run(&unit, depth, None).unwrap_or_default();
        self.busy.borrow_mut().remove(&f);
        self.summaries.borrow_mut().insert(f, s.clone());
        s
    }

    /// Runs the must-hold dataflow over a unit's graph; returns its summary.
    fn run(&self, u: &Unit<'a>, depth: usize, rec: Option<&mut Recorder>) -> Option<LockSummary> {
        let src = self.srcs[u.file].text;
        let cfg = Cfg::build(u.body, src)?;
        let decl = &self.funcs[u.scope];
        let scope = self.display_name(u.scope);
        let locals = self.locals(u.scope);
        let unit_index = rec.as_ref().map_or(usize::MAX, |r| r.unit);
        let mut flow = LockWalk {
            pkg: self,
            env: Env {
                recv: decl.recv.as_ref(),
                params: &decl.params,
                extra: &u.extra_params,
                locals: &locals,
                scope: &scope,
            },
            src,
            file: u.file,
            depth,
            unit: unit_index,
            unit_name: &u.name,
            last: false,
            rec,
            summary: LockSummary::default(),
            released: HashSet::default(),
            deferred: HashSet::default(),
            body_end: u.body.end_byte(),
        };
        // A body that never locks directly holds nothing but what a lock helper leaves: one
        // pass over its blocks, without the fixpoint.
        let ins = if text(src, u.body).contains("ock()") {
            flow.fixpoint(&cfg)
        } else {
            vec![Some(Vec::new()); cfg.blocks.len()]
        };
        flow.last = true;
        let live = cfg.reachable();
        let mut exits: Option<Vec<Held>> = None;
        for (b, block) in cfg.blocks.iter().enumerate() {
            let (true, Some(st)) = (live[b], &ins[b]) else {
                continue;
            };
            let mut st = st.clone();
            for n in &block.nodes {
                flow.step(*n, &mut st);
            }
            if matches!(block.exit, Some(Exit::Return(_)) | Some(Exit::End(_))) {
                exits = Some(match exits {
                    None => st,
                    Some(e) => meet(&e, &st),
                });
            }
        }
        if u.func.is_some() {
            flow.leave(exits.unwrap_or_default());
        }
        Some(flow.summary)
    }
}

/// The locks held on both paths.
fn meet(a: &[Held], b: &[Held]) -> Vec<Held> {
    a.iter()
        .filter(|x| b.iter().any(|y| y.path == x.path && y.read == x.read))
        .cloned()
        .collect()
}

/// Calls, sends and receives under `n` (not inside function literals), innermost call first.
fn events<'t>(n: Node<'t>, k: &Kinds, src: &str) -> Vec<Node<'t>> {
    let literal = k.func_literal;
    let mut out: Vec<Node<'t>> = n
        .preorder_pruned(move |m| m.kind_id() == literal)
        .filter(|node| {
            let kind = node.kind_id();
            let is_recv = kind == k.unary_expression
                && node
                    .child_by_field_id(k.f_operator)
                    .is_some_and(|o| text(src, o) == "<-");
            kind == k.call_expression || kind == k.send_statement || is_recv
        })
        .collect();
    out.sort_by_key(|x| (x.end_byte(), std::cmp::Reverse(x.start_byte())));
    out
}

impl<'p, 's, 'a, 'm, 'r> LockWalk<'p, 's, 'a, 'm, 'r> {
    fn fixpoint(&mut self, cfg: &Cfg<'a>) -> Vec<Option<Vec<Held>>> {
        let mut ins: Vec<Option<Vec<Held>>> = vec![None; cfg.blocks.len()];
        ins[ENTRY] = Some(Vec::new());
        let mut work = vec![ENTRY];
        let mut budget = cfg.blocks.len() * 8 + 64;
        while let Some(b) = work.pop() {
            budget = match budget.checked_sub(1) {
                Some(b) => b,
                None => break,
            };
            let mut st = ins[b].clone().unwrap_or_default();
            for n in &cfg.blocks[b].nodes {
                self.step(*n, &mut st);
            }
            for e in &cfg.blocks[b].succs {
                let next = match &ins[e.to] {
                    None => st.clone(),
                    Some(old) => meet(old, &st),
                };
                let changed = ins[e.to].as_ref().is_none_or(|old| old.len() != next.len());
                if changed {
                    ins[e.to] = Some(next);
                    work.push(e.to);
                }
            }
        }
        ins
    }

    /// One node of a block: its lock operations, calls and blocking operations, in order.
    fn step(&mut self, n: Node<'a>, st: &mut Vec<Held>) {
        let k = self.pkg.k;
        let kind = n.kind_id();
        if kind == k.defer_statement {
            self.defer(n);
            return;
        }
        if kind == k.go_statement {
            return;
        }
        if kind == k.range_clause {
            self.range(n, st);
        }
        for &e in self.pkg.events_of(n, self.src).iter() {
            if e.kind_id() == k.call_expression {
                self.call(e, st);
            } else if e.kind_id() == k.send_statement {
                let ch = e.child_by_field_id(k.f_channel);
                self.chan_op(OpKind::Send, ch, e, st);
            } else {
                let ch = e.child_by_field_id(k.f_operand);
                self.chan_op(OpKind::Recv, ch, e, st);
            }
        }
        if kind == k.assignment_statement || kind == k.short_var_declaration {
            self.kill_assigned(n, st);
        }
    }

    /// `x = next` forgets the locks held through the old `x` (hand-over-hand locking).
    fn kill_assigned(&self, n: Node, st: &mut Vec<Held>) {
        let k = self.pkg.k;
        let Some(left) = n.child_by_field_id(k.f_left) else {
            return;
        };
        let mut c = left.walk();
        for l in left.named_children(&mut c) {
            if l.kind_id() != k.identifier {
                continue;
            }
            let name = text(self.src, l);
            st.retain(|h| root_name(&h.path) != name);
        }
    }

    fn range(&mut self, n: Node<'a>, st: &[Held]) {
        let k = self.pkg.k;
        let Some(right) = n.child_by_field_id(k.f_right) else {
            return;
        };
        let is_chan = path_of(right, self.src, k)
            .and_then(|p| self.pkg.path_type(&self.env, &p))
            .is_some_and(|t| t.starts_with("chan") || t.starts_with("<-chan"));
        if is_chan {
            self.chan_op(OpKind::Recv, Some(right), n, st);
        }
    }

    fn defer(&mut self, n: Node<'a>) {
        let k = self.pkg.k;
        for call in preorder(n).filter(|c| c.kind_id() == k.call_expression) {
            let Some(f) = call.child_by_field_id(k.f_function) else {
                continue;
            };
            if f.kind_id() == k.selector_expression {
                let m = f.child_by_field_id(k.f_field).map(|m| text(self.src, m));
                if m == Some("Done") {
                    self.deferred_done(call, f);
                    continue;
                }
                let p = f
                    .child_by_field_id(k.f_operand)
                    .and_then(|o| path_of(o, self.src, k));
                if matches!(m, Some("Unlock") | Some("RUnlock")) {
                    if let Some(p) = p {
                        let key = self.pkg.canon(&self.env, &p.key(), true);
                        self.deferred.insert(key);
                    }
                    continue;
                }
                if matches!(m, Some("Signal") | Some("Broadcast")) {
                    if let Some(p) = p.filter(|p| self.is_cond(p)) {
                        self.signal(&p);
                    }
                    continue;
                }
            }
            let resolved = self.pkg.resolve(&self.env, call, self.src);
            if let Some((callee, recv)) = resolved.filter(|(c, _)| self.pkg.may_lock[*c]) {
                let s = self.pkg.summary(callee, self.depth + 1);
                let args = self.args(call);
                for r in &s.releases {
                    if let Some(p) = self.mapped(r, recv.as_ref(), &args) {
                        self.deferred.insert(p);
                    }
                }
            }
        }
    }

    /// `defer wg.Done()`: a Done at the end of the body.
    fn deferred_done(&mut self, call: Node<'a>, f: Node<'a>) {
        let k = self.pkg.k;
        let Some(p) = f
            .child_by_field_id(k.f_operand)
            .and_then(|o| path_of(o, self.src, k))
        else {
            return;
        };
        if !self
            .pkg
            .is_type(&self.env, &p, "sync.WaitGroup", &["wg", "waitgroup"])
        {
            return;
        }
        let (true, Some(r)) = (self.last, self.rec.as_mut()) else {
            return;
        };
        let mut at = At::of(self.file, call);
        at.start = self.body_end;
        r.model.ops.push(Op {
            unit: self.unit,
            kind: OpKind::WgDone,
            target: self.pkg.class_of(&self.env, &p),
            text: p.key(),
            at,
            held: Vec::new(),
            guarded: false,
        });
    }

    fn args(&self, call: Node) -> Vec<Option<String>> {
        let k = self.pkg.k;
        let Some(list) = call.child_by_field_id(k.f_arguments) else {
            return Vec::new();
        };
        let mut c = list.walk();
        let out = list
            .named_children(&mut c)
            .map(|a| path_of(a, self.src, k).map(|p| p.key()))
            .collect();
        out
    }

    fn call(&mut self, call: Node<'a>, st: &mut Vec<Held>) {
        let k = self.pkg.k;
        let Some(f) = call.child_by_field_id(k.f_function) else {
            return;
        };
        if f.kind_id() == k.selector_expression && self.builtin_op(call, f, st) {
            return;
        }
        let Some((callee, recv)) = self.pkg.resolve(&self.env, call, self.src) else {
            return;
        };
        if !self.pkg.may_lock[callee] {
            return;
        }
        let s = self.pkg.summary(callee, self.depth + 1);
        let args = self.args(call);
        let name = self.pkg.display_name(callee);
        for a in &s.acquires {
            let mut chain = vec![name.clone()];
            chain.extend(a.chain.iter().cloned());
            let h = Held {
                path: self.mapped(a, recv.as_ref(), &args).unwrap_or_default(),
                class: a.class.clone(),
                read: a.read,
                at: At::of(self.file, call),
                chain,
            };
            self.acquire(h, st, Some(a.at), false);
        }
        for r in &s.releases {
            if let Some(p) = self.mapped(r, recv.as_ref(), &args) {
                self.release(&p, st);
            }
        }
        for l in &s.leaves {
            if let Some(path) = self.mapped(l, recv.as_ref(), &args) {
                if !st.iter().any(|h| h.path == path) {
                    st.push(Held {
                        path,
                        class: l.class.clone(),
                        read: l.read,
                        at: At::of(self.file, call),
                        chain: vec![name.clone()],
                    });
                }
            }
        }
    }

    /// Mutex, cond, wait group and `time.Sleep` calls; false for anything else.
    fn builtin_op(&mut self, call: Node<'a>, f: Node<'a>, st: &mut Vec<Held>) -> bool {
        let k = self.pkg.k;
        let (Some(operand), Some(m)) = (
            f.child_by_field_id(k.f_operand),
            f.child_by_field_id(k.f_field),
        ) else {
            return false;
        };
        let m = text(self.src, m);
        if m == "Sleep" && text(self.src, operand) == "time" {
            self.op(OpKind::Sleep, None, "time.Sleep".into(), call, st, false);
            return true;
        }
        let no_args = call
            .child_by_field_id(k.f_arguments)
            .is_some_and(|a| a.named_child_count() == 0);
        if !no_args
            || !matches!(
                m,
                "Lock" | "RLock" | "Unlock" | "RUnlock" | "Wait" | "Done" | "Signal" | "Broadcast"
            )
        {
            return false;
        }
        let Some(p) = path_of(operand, self.src, k) else {
            return false;
        };
        let pkg = self.pkg;
        match m {
            "Lock" | "RLock" if pkg.is_mutex(&self.env, &p) => {
                let h = Held {
                    path: pkg.canon(&self.env, &p.key(), true),
                    class: pkg.class_of(&self.env, &p),
                    read: m == "RLock",
                    at: At::of(self.file, call),
                    chain: Vec::new(),
                };
                self.acquire(h, st, None, true);
            }
            "Unlock" | "RUnlock" if pkg.is_mutex(&self.env, &p) => {
                let key = pkg.canon(&self.env, &p.key(), true);
                self.release(&key, st);
            }
            "Wait" if pkg.is_type(&self.env, &p, "sync.Cond", &["cond"]) => {
                let in_loop = in_loop(call, k);
                let class = pkg.class_of(&self.env, &p);
                self.op(OpKind::CondWait, class, p.key(), call, st, in_loop);
            }
            "Signal" | "Broadcast" if self.is_cond(&p) => self.signal(&p),
            "Wait" | "Done"
                if pkg.is_type(&self.env, &p, "sync.WaitGroup", &["wg", "waitgroup"]) =>
            {
                let kind = if m == "Wait" {
                    OpKind::WgWait
                } else {
                    OpKind::WgDone
                };
                let class = pkg.class_of(&self.env, &p);
                self.op(kind, class, p.key(), call, st, false);
            }
            _ => return false,
        }
        true
    }

    fn is_cond(&self, p: &Path) -> bool {
        self.pkg.is_type(&self.env, p, "sync.Cond", &["cond"])
    }

    /// `c.Signal()` or `c.Broadcast()`, called or deferred: the cond is signalled.
    fn signal(&mut self, p: &Path) {
        let (true, Some(r)) = (self.last, self.rec.as_mut()) else {
            return;
        };
        if let Some(c) = self.pkg.class_of(&self.env, p) {
            r.model.signalled.insert(c);
        }
        let last = p.fields.last().copied().unwrap_or(p.root);
        r.model.signalled.insert(format!(".{last}"));
    }

    /// A summary's lock in the caller's terms (`map_lock`), in its one spelling (`canon`).
    fn mapped(&self, l: &FLock, recv: Option<&Path>, args: &[Option<String>]) -> Option<String> {
        let p = map_lock(l, recv, args)?;
        Some(self.pkg.canon(&self.env, &p, false))
    }

    fn chan_op(&mut self, kind: OpKind, ch: Option<Node<'a>>, at: Node<'a>, st: &[Held]) {
        let Some(ch) = ch else {
            return;
        };
        let k = self.pkg.k;
        let p = path_of(ch, self.src, k);
        let class = p.as_ref().and_then(|p| self.pkg.class_of(&self.env, p));
        let guarded = select_guarded(at, k, self.src);
        self.op(kind, class, text(self.src, ch).to_string(), at, st, guarded);
    }

    fn op(
        &mut self,
        kind: OpKind,
        target: Option<String>,
        t: String,
        at: Node,
        st: &[Held],
        guarded: bool,
    ) {
        let (true, Some(r)) = (self.last, self.rec.as_mut()) else {
            return;
        };
        r.model.ops.push(Op {
            unit: self.unit,
            kind,
            target,
            text: t,
            at: At::of(self.file, at),
            held: st.to_vec(),
            guarded,
        });
    }

    /// Takes `h`: a second acquisition of a held path, order edges from every held class, and
    /// (for a lock of the receiver, a parameter or a package variable) the summary.
    fn acquire(&mut self, h: Held, st: &mut Vec<Held>, inner: Option<At>, push: bool) {
        if self.last {
            self.note_acquire(&h, st, inner);
        }
        if push && !st.iter().any(|x| x.path == h.path) {
            st.push(h);
        }
    }

    fn note_acquire(&mut self, h: &Held, st: &[Held], inner: Option<At>) {
        if let Some((root, rest)) = self.formal(&h.path) {
            let dup = self
                .summary
                .acquires
                .iter()
                .any(|a| a.root == root && a.rest == rest && a.read == h.read);
            if !dup && !self.released.contains(&h.path) {
                self.summary.acquires.push(FLock {
                    root,
                    rest,
                    class: h.class.clone(),
                    read: h.read,
                    at: inner.unwrap_or(h.at),
                    chain: h.chain.clone(),
                });
            }
        }
        let Some(r) = self.rec.as_mut() else {
            return;
        };
        if let Some(prev) = st.iter().find(|x| !h.path.is_empty() && x.path == h.path) {
            r.model.doubles.push(DoubleLock {
                unit: self.unit_name.to_string(),
                held: prev.clone(),
                again: h.clone(),
                inner,
            });
        }
        // A class already held under another path is a second instance the caller orders
        // (`transfer(a, b)`) or the same lock reached another way (a back pointer): no order.
        let alias = st.iter().any(|x| x.class == h.class && x.path != h.path);
        for x in st.iter().filter(|_| !alias) {
            let (Some(a), Some(b)) = (&x.class, &h.class) else {
                continue;
            };
            if a != b && x.path != h.path {
                r.model.edges.push(OrderEdge {
                    unit: self.unit_name.to_string(),
                    first: x.clone(),
                    second: h.clone(),
                });
            }
        }
        if let Some(c) = &h.class {
            if !h.read {
                r.model.write_locked.insert(c.clone());
            }
            self.pkg
                .acquired
                .borrow_mut()
                .push((self.unit, c.clone(), h.at.start));
        }
    }

    fn release(&mut self, path: &str, st: &mut Vec<Held>) {
        if let Some(i) = st.iter().position(|h| h.path == path) {
            st.remove(i);
            return;
        }
        self.released.insert(path.to_string());
        if !self.last {
            return;
        }
        if let Some((root, rest)) = self.formal(path) {
            if !self
                .summary
                .releases
                .iter()
                .any(|r| r.root == root && r.rest == rest)
            {
                self.summary.releases.push(FLock {
                    root,
                    rest,
                    class: None,
                    read: false,
                    at: At::default(),
                    chain: Vec::new(),
                });
            }
        }
    }

    /// The locks held on every return, minus the deferred unlocks: a `lock()` helper's.
    fn leave(&mut self, exits: Vec<Held>) {
        for h in exits {
            if self.deferred.contains(&h.path) {
                continue;
            }
            if let Some((root, rest)) = self.formal(&h.path) {
                self.summary.leaves.push(FLock {
                    root,
                    rest,
                    class: h.class.clone(),
                    read: h.read,
                    at: h.at,
                    chain: h.chain.clone(),
                });
            }
        }
    }

    /// A path in summary terms: its root (receiver, parameter, package variable) and the rest.
    fn formal(&self, path: &str) -> Option<(Root, String)> {
        if path.is_empty() {
            return None;
        }
        let name = root_name(path);
        let root = self.env.root(name, self.pkg)?;
        let rest = if root == Root::Global {
            path.to_string()
        } else {
            path[name.len()..].to_string()
        };
        Some((root, rest))
    }
}

/// The variable a path starts with.
fn root_name(path: &str) -> &str {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    &path[..end]
}

/// A summary's lock in the caller's terms, through the call's receiver and arguments.
fn map_lock(l: &FLock, recv: Option<&Path>, args: &[Option<String>]) -> Option<String> {
    let base = match l.root {
        Root::Global => return Some(l.rest.clone()),
        Root::Recv => recv?.key(),
        Root::Param(i) => args.get(i)?.clone()?,
    };
    Some(format!("{base}{}", l.rest))
}

/// Whether a node sits in a `for` loop of its own function.
fn in_loop(n: Node, k: &Kinds) -> bool {
    let mut cur = n.parent();
    while let Some(c) = cur {
        if c.kind_id() == k.for_statement {
            return true;
        }
        if super::is_function(k, c.kind_id()) {
            return false;
        }
        cur = c.parent();
    }
    false
}

/// Whether a channel operation is a case of a `select` that cannot block forever on it: one
/// with a `default`, a timer, a context or a done/stop/quit channel among its cases.
fn select_guarded(op: Node, k: &Kinds, src: &str) -> bool {
    let mut cur = op.parent();
    for _ in 0..3 {
        let Some(c) = cur else {
            return false;
        };
        if c.kind_id() == k.communication_case {
            break;
        }
        cur = c.parent();
    }
    let Some(select) = cur.and_then(|c| c.parent()) else {
        return false;
    };
    if select.kind_id() != k.select_statement {
        return false;
    }
    let mut c = select.walk();
    let cases: Vec<Node> = select.named_children(&mut c).collect();
    cases.iter().any(|case| {
        if case.kind_id() == k.default_case {
            return true;
        }
        let comm = case
            .child_by_field_id(k.f_communication)
            .map(|c| text(src, c))
            .unwrap_or("");
        let l = comm.to_ascii_lowercase();
        [
            "done", "after(", ".c", "stop", "quit", "ctx", "close", "cancel", "tick", "exit",
        ]
        .iter()
        .any(|w| l.contains(w))
    })
}
