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
//! with the set of locks held on every path (intersection at joins), and the caller's locks it
//! has released on every path. A unit's summary, in terms of its receiver, parameters and
//! package variables: the locks it acquires (with the call chain that does it), the locks it
//! leaves held on every return (a `lock()` helper), and the locks it releases without taking
//! them (an `unlock()` helper, or unlock-then-relock around a call). An acquisition carries:
//! - the conditions on the unit's parameters that decide it (`if lock { s.mu.Lock() }` acquires
//!   `s.mu` when `lock == true`; `if !locked`, when `locked == false`; a caller passing its own
//!   parameter on passes the condition on);
//! - the caller's locks the unit has released by then (`c.mu.Unlock(); c.srv.mu.Lock();
//!   c.mu.Lock()` takes `c.srv.mu` after releasing `c.mu`), so the caller's order edges and
//!   double locks count only what it holds at that point.
//!
//! At each call of the package's own function or method, the callee's summary is mapped through
//! the arguments (`transfer(a, b)` locks `a.mu` and `b.mu` of the caller); a constant argument
//! selects the branch (`s.remove(id, false)` does not take `s.mu`), a local or an expression
//! leaves it undecided (possible, not proven: no double lock is reported on it). Summaries are
//! computed once each, callees first, on an explicit stack (`summarise`), up to
//! `MAX_CALL_DEPTH` calls deep; a cycle counts as taking nothing. Calls are resolved without a
//! type checker: a function of the package, or a method on a receiver, parameter, local or
//! field whose type the package declares.
//!
//! Unlocks also run through function values: `unlock := mu.Unlock`, `sync.OnceFunc(mu.Unlock)`,
//! `release := func() { mu.Unlock() }`, called or deferred. A goroutine started with a literal
//! that unlocks a held lock takes it over (a hand-off, joined later by `wg.Wait`).
//!
//! What the rules read is a `LockModel`: double acquisitions, order edges (lock B taken while A
//! is held), the blocking operations with the locks held at them, and the condition variables.
//! `defer` statements run nothing in the unit (a deferred unlock releases at exit); function
//! literals are units of their own. `loop_release` and `unlock_values` answer the same
//! questions (a second loop over a slice releasing the locks the first took; the variables
//! holding an unlocking function) for `mutex-not-unlocked`, which reads the text as written.

use super::cfg::{Cfg, Exit, ENTRY};
use super::{kinds, paths, Kinds};
use crate::fxhash::{HashMap, HashSet};
use crate::tree::preorder;
use crate::tree::Node;
use std::cell::RefCell;
use std::rc::Rc;

/// Callee summaries are followed this many calls deep.
pub const MAX_CALL_DEPTH: usize = 4;
/// Access paths longer than this are not locks (no real code comes close).
const MAX_PATH: usize = 16;
/// How many early-exit conditions a statement carries at most.
const MAX_EARLY_CONDS: usize = 16;

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
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub path: String,
    pub class: Option<String>,
    pub read: bool,
    pub at: At,
    pub chain: Vec<String>,
    /// The conditions on the unit's own parameters under which it is taken (`if lock { ... }`,
    /// or a callee's condition passed one of them); empty when it is taken on every path here.
    pub when: Vec<Cond>,
    /// A callee's conditions the call's constant arguments decided, as written for a message
    /// (`lock = true`).
    pub decided: Vec<String>,
    /// A callee takes it under a condition the call's arguments do not decide (a local
    /// variable, an expression): the acquisition is possible, not proven.
    pub unsure: bool,
    /// Locks the unit holds that the callee released before taking this one: not held then.
    pub without: Vec<String>,
    /// Named through a back pointer of an element of the holder's own map or slice
    /// (`n.store.mu` for `n` ranging over `s.nodes`): the same lock as the holder's `s.mu`.
    pub via_parent: bool,
}

/// A condition on a parameter: the `param`-th parameter (receiver not counted) equals `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cond {
    pub param: usize,
    pub value: bool,
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
    /// `close(ch)`: wakes every receiver (and is the only wake a sender with no receiver in
    /// the package can get).
    Close,
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
    /// Not a case of a `select` with other cases: nothing else can let the unit go on.
    pub alone: bool,
    /// The byte range of the innermost `for` loop of the unit around the operation: what the
    /// unit does there, it does between two of these operations.
    pub in_loop: Option<(usize, usize)>,
}

/// What the rules need to know of a unit.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    pub name: String,
    /// Classes acquired in the unit (directly or through calls), with the byte where.
    pub acquires: Vec<(String, usize)>,
    /// For a goroutine started with a literal: the unit of the declaration that starts it and
    /// the byte of the `go` statement. What that unit did before, it did before the goroutine
    /// existed.
    pub started_by: Option<(usize, usize)>,
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
    /// Calls of the package's own functions that release a lock their caller holds: the file,
    /// the call's first byte, and the lock's path in the caller's terms (`Do` calls
    /// `lg.makeCall(...)`, which unlocks `lg.mu`).
    pub call_releases: HashSet<(usize, usize, String)>,
    /// A cond's `Wait` used as a function value (`background(c.Wait)`), not called: where, the
    /// declaration it is in, and the cond as written.
    pub wait_values: Vec<(At, String, String)>,
}

/// Builds the lock model of a package from its parsed files.
///
/// A package whose text never calls a lock method or `Wait()` has no facts, and is not indexed.
pub fn analyse(srcs: &[Src]) -> LockModel {
    let mut model = LockModel::default();
    if !srcs
        .iter()
        .any(|s| calls_lock_method(s.text) || s.text.contains(".Wait()"))
    {
        return model;
    }
    let pkg = Pkg::index(srcs);
    pkg.scan_makes(&mut model);
    pkg.scan_wait_values(&mut model);
    let units = pkg.units();
    let mut skipped = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if !pkg.may_matter(pkg.srcs[u.file].text, u.body) {
            model.units.push(UnitInfo {
                name: u.name.clone(),
                acquires: Vec::new(),
                started_by: u.started_by,
            });
            skipped.push(i);
            continue;
        }
        let (summary, rec) = pkg.record(u, i);
        if let (Some(f), Some(s)) = (u.func, summary) {
            pkg.summaries.borrow_mut().entry(f).or_insert(Rc::new(s));
        }
        model.absorb(rec.model);
        model.units.push(UnitInfo {
            name: u.name.clone(),
            acquires: rec.acquired,
            started_by: u.started_by,
        });
    }
    let blocked_under_lock = model
        .ops
        .iter()
        .any(|o| !o.held.is_empty() && matches!(o.kind, OpKind::Send | OpKind::Recv));
    if blocked_under_lock {
        for i in skipped {
            pkg.scan_channel_ops(&units[i], i, &mut model);
        }
    }
    model
}

/// A struct type of the package: field types (normalised), its embedded fields' names, and
/// the name of an embedded mutex.
#[derive(Default)]
struct Struct<'a> {
    fields: HashMap<String, String>,
    /// The element type of each map, slice or array field (`all map[string]*Plugin`: `Plugin`).
    elems: HashMap<String, String>,
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
    /// Taken only when these conditions on the callee's parameters hold.
    when: Vec<Cond>,
    /// The caller's locks the callee has released (and not re-taken) when it takes this one.
    without: Vec<(Root, String)>,
}

impl FLock {
    /// A lock in formal terms, taken unconditionally.
    fn new(root: Root, rest: String, class: Option<String>, read: bool, at: At) -> FLock {
        FLock {
            root,
            rest,
            class,
            read,
            at,
            chain: Vec::new(),
            when: Vec::new(),
            without: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Recv,
    Param(usize),
    Global,
}

/// What a call of a function does to locks, in the function's formal terms: the locks it
/// acquires (each under the conditions on its parameters that decide it, and with the caller's
/// locks it has released by then), the locks it leaves held on every return, and the locks it
/// releases without having taken them.
#[derive(Debug, Clone, Default)]
struct LockSummary {
    acquires: Vec<FLock>,
    leaves: Vec<FLock>,
    releases: Vec<FLock>,
}

#[cfg(test)]
impl LockSummary {
    /// The summary in words, one line a lock, in the declaration's own names:
    /// `acquires s.mu when lock == true`, `releases c.mu`, `leaves c.mu held`.
    fn describe(&self, func: &Func) -> Vec<String> {
        let name = |root: Root, rest: &str| match root {
            Root::Recv => format!("{}{rest}", func.recv.as_ref().map_or("", |r| r.0)),
            Root::Param(i) => format!("{}{rest}", func.params.get(i).map_or("?", |p| p.0)),
            Root::Global => rest.to_string(),
        };
        let mut out = Vec::new();
        for a in &self.acquires {
            let mut line = format!("acquires {}", name(a.root, &a.rest));
            let conds: Vec<String> = a.when.iter().map(|c| cond_text(func, *c)).collect();
            if !conds.is_empty() {
                line.push_str(&format!(" when {}", conds.join(" && ")));
            }
            let gone: Vec<String> = a.without.iter().map(|(r, p)| name(*r, p)).collect();
            if !gone.is_empty() {
                line.push_str(&format!(" after releasing {}", gone.join(", ")));
            }
            out.push(line);
        }
        out.extend(
            self.releases
                .iter()
                .map(|r| format!("releases {}", name(r.root, &r.rest))),
        );
        out.extend(
            self.leaves
                .iter()
                .map(|l| format!("leaves {} held", name(l.root, &l.rest))),
        );
        out
    }
}

/// `lock == true`: a condition in the names of the function it is on.
#[cfg(test)]
fn cond_text(func: &Func, c: Cond) -> String {
    let name = func.params.get(c.param).map_or("?", |p| p.0);
    format!("{name} == {}", c.value)
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
    /// A goroutine literal's starter: the declaration's unit and the `go` statement's byte.
    started_by: Option<(usize, usize)>,
}

struct Pkg<'s, 'a> {
    srcs: &'s [Src<'a>],
    k: &'static Kinds,
    structs: HashMap<String, Struct<'a>>,
    globals: HashMap<&'a str, String>,
    funcs: Vec<Func<'a>>,
    by_name: HashMap<(String, String), usize>,
    results: HashMap<String, String>,
    /// Result types of methods, by receiver type and name.
    method_results: HashMap<(String, String), String>,
    /// The package's interfaces (those listing their methods): their method names.
    interfaces: HashMap<String, Vec<String>>,
    /// The one type of the package that has every method of an interface, by interface name,
    /// found on first use (`None` when there is none or more than one).
    implementers: RefCell<HashMap<String, Option<String>>>,
    /// Each declaration's locals that hold an element of a field's map or slice
    /// (`for _, n := range s.nodes`, `c, ok := p.clients[k]`), with the field's path, found on
    /// first use.
    elements: RefCell<HashMap<usize, Rc<HashMap<&'a str, String>>>>,
    /// Local variables (and their guessed types) of each declaration, by declaration index,
    /// found on first use.
    locals: RefCell<HashMap<usize, Rc<HashMap<&'a str, String>>>>,
    /// Each declaration's summary, computed once (`summarise`) and shared by every call.
    summaries: RefCell<HashMap<usize, Rc<LockSummary>>>,
    /// Declarations whose summary is being computed: a call back into one is a cycle.
    busy: RefCell<HashSet<usize>>,
    /// The summary of a callee past the depth bound or in a cycle.
    empty: Rc<LockSummary>,
    /// The function values of each declaration that unlock (`unlock := mu.Unlock`), by
    /// declaration index, found on first use.
    unlockers: RefCell<HashMap<usize, Rc<Unlockers<'a>>>>,
    /// Declarations that may take or release a lock (`find_lockers`), and their names.
    may_lock: Vec<bool>,
    locker_names: HashSet<String>,
    /// The events of each statement, by node id, found on first use (a fixpoint visits a
    /// statement several times, a callee's body is run again for its summary).
    events: RefCell<HashMap<usize, Rc<Vec<Node<'a>>>>>,
    /// The one empty event list every node without events shares.
    no_events: Rc<Vec<Node<'a>>>,
}

/// What the final pass over one unit records: its part of the model and the classes it
/// acquires. Kept apart until the unit's run completes (a run that finds callees without a
/// summary is run again once they have one).
struct Recorder {
    model: LockModel,
    acquired: Vec<(String, usize)>,
    unit: usize,
}

impl Recorder {
    fn new(unit: usize) -> Recorder {
        Recorder {
            model: LockModel::default(),
            acquired: Vec::new(),
            unit,
        }
    }
}

impl LockModel {
    /// Adds one unit's recorded facts.
    fn absorb(&mut self, part: LockModel) {
        self.doubles.extend(part.doubles);
        self.edges.extend(part.edges);
        self.ops.extend(part.ops);
        self.write_locked.extend(part.write_locked);
        self.signalled.extend(part.signalled);
        self.call_releases.extend(part.call_releases);
    }
}

/// A declaration's variables that hold a function which unlocks, with the locks it releases
/// (in the declaration's spelling): `unlock := mu.Unlock`, `sync.OnceFunc(mu.Unlock)`,
/// `release := func() { s.mu.Unlock() }`.
type Unlockers<'a> = HashMap<&'a str, Vec<String>>;

/// Strips pointers, generics and parentheses from a type's text: `*Node[T]` is `Node`.
pub fn base_type(t: &str) -> String {
    let t = t
        .trim()
        .trim_start_matches(['*', '&', '('])
        .trim_end_matches(')');
    let t = t.split('[').next().unwrap_or("");
    t.trim().to_string()
}

/// The element type of a map, slice or array type's text, normalised: `map[string]*Plugin`
/// and `[]*Plugin` give `Plugin`.
fn elem_type(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let rest = raw.strip_prefix("map").unwrap_or(raw);
    if !rest.starts_with('[') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let e = base_type(&rest[i + 1..]);
                    return (!e.is_empty() && !e.starts_with("map")).then_some(e);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_mutex_type(t: &str) -> bool {
    matches!(t, "sync.Mutex" | "sync.RWMutex" | "sync.Locker")
}

/// Whether `t` calls a `Lock`, `RLock`, `Unlock` or `RUnlock` method (`s.mu.Lock()`), the lock
/// operations the walk knows; `b.Block()` or `clock()` are not (the compiler's SSA package calls
/// `Block()` thousands of times and locks nothing).
fn calls_lock_method(t: &str) -> bool {
    t.match_indices("ock()").any(|(i, _)| {
        let before = &t[..i];
        [".L", ".RL", ".Unl", ".RUnl"]
            .iter()
            .any(|p| before.ends_with(p))
    })
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
            method_results: HashMap::default(),
            interfaces: HashMap::default(),
            implementers: RefCell::new(HashMap::default()),
            elements: RefCell::new(HashMap::default()),
            locals: RefCell::new(HashMap::default()),
            summaries: RefCell::new(HashMap::default()),
            busy: RefCell::new(HashSet::default()),
            empty: Rc::default(),
            unlockers: RefCell::new(HashMap::default()),
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

    /// Which declarations may take or release a lock: directly (`calls_lock_method`), or by
    /// calling, by name, one that may. Calls of the others are never followed, and units that
    /// neither lock nor wait are not analysed: nothing they do is held under a lock.
    fn find_lockers(&mut self) {
        let mut may = vec![false; self.funcs.len()];
        let mut callers: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut work = Vec::new();
        for (i, f) in self.funcs.iter().enumerate() {
            let body = text(self.srcs[f.file].text, f.body);
            if calls_lock_method(body) {
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
        calls_lock_method(t)
            || [".Wait()", "Signal()", "Broadcast()"]
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
            let result = base_type(text(src, r));
            match &recv {
                None => {
                    self.results.insert(name.clone(), result);
                }
                Some(_) => {
                    let key = (recv_type.clone(), name.clone());
                    self.method_results.insert(key, result);
                }
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
            let name = text(src, name).to_string();
            if ty.kind_id() == k.interface_type {
                self.index_interface(name, ty, src);
            } else if ty.kind_id() == k.struct_type {
                self.index_struct(name, ty, src);
            }
        }
    }

    /// An interface's method names; one that embeds another interface has a method set not
    /// listed here, and is left out.
    fn index_interface(&mut self, name: String, ty: Node<'a>, src: &'a str) {
        let k = self.k;
        let mut methods = Vec::new();
        let mut c = ty.walk();
        for m in ty.named_children(&mut c) {
            if m.kind_id() != k.method_elem {
                return;
            }
            if let Some(n) = m.child_by_field_id(k.f_name) {
                methods.push(text(src, n).to_string());
            }
        }
        if !methods.is_empty() {
            self.interfaces.insert(name, methods);
        }
    }

    /// A struct type and the anonymous struct types of its fields (`mu struct { sync.Mutex;
    /// nodes map[int]*Node }` is a struct named `Store.mu`), on an explicit stack.
    fn index_struct(&mut self, name: String, ty: Node<'a>, src: &'a str) {
        let k = self.k;
        let mut work = vec![(name, ty)];
        while let Some((name, ty)) = work.pop() {
            let mut st = Struct::default();
            let fields: Vec<Node> = match ty.named_child(0) {
                Some(list) => {
                    let mut c = list.walk();
                    list.named_children(&mut c).collect()
                }
                None => Vec::new(),
            };
            for field in fields
                .into_iter()
                .filter(|n| n.kind_id() == k.field_declaration)
            {
                let Some(t) = field.child_by_field_id(k.f_type) else {
                    continue;
                };
                let raw = text(src, t);
                let names = crate::tree::field_children(field, k.f_name);
                if t.kind_id() == k.struct_type {
                    for n in names {
                        let inner = format!("{name}.{}", text(src, n));
                        st.fields.insert(text(src, n).to_string(), inner.clone());
                        work.push((inner, t));
                    }
                    continue;
                }
                let t = base_type(raw);
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
                    if let Some(e) = elem_type(raw) {
                        st.elems.insert(text(src, n).to_string(), e);
                    }
                    st.fields.insert(text(src, n).to_string(), t.clone());
                }
            }
            self.structs.insert(name, st);
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
        memo(&self.locals, f, || self.locals_of(f))
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
                    let ty = if kind == k.range_clause {
                        // `for _, p := range r.all`: the value is an element.
                        r.filter(|_| i == 1)
                            .and_then(|r| self.elem_of(func, &out, r, src))
                            .unwrap_or_default()
                    } else if names.len() == vals.len() {
                        let t = self.guess_type(vals[i], src);
                        match t.is_empty() {
                            true => self.value_type(func, &out, vals[i], src),
                            false => t,
                        }
                    } else if let (0, [v]) = (i, vals.as_slice()) {
                        // `s, ok := b.subs[id]`: a map lookup's value.
                        self.lookup_elem(func, &out, *v, src).unwrap_or_default()
                    } else {
                        String::new()
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

    /// The type of a value read from the declaration's variables known so far: a field
    /// (`st := n.store`), a map or slice element (`it := p.items[key]`), a method's result
    /// (`c := s.client()`); empty when not known.
    fn value_type(
        &self,
        func: &Func<'a>,
        locals: &HashMap<&'a str, String>,
        v: Node,
        src: &str,
    ) -> String {
        let k = self.k;
        if v.kind_id() == k.index_expression {
            return self.lookup_elem(func, locals, v, src).unwrap_or_default();
        }
        let (typed, method) = match v.kind_id() {
            kind if kind == k.call_expression => {
                let Some(f) = v
                    .child_by_field_id(k.f_function)
                    .filter(|f| f.kind_id() == k.selector_expression)
                else {
                    return String::new();
                };
                (
                    f.child_by_field_id(k.f_operand),
                    f.child_by_field_id(k.f_field),
                )
            }
            kind if kind == k.selector_expression => (Some(v), None),
            _ => return String::new(),
        };
        let Some(t) = typed.and_then(|n| self.var_path_type(func, locals, n, src)) else {
            return String::new();
        };
        match method {
            None => t,
            Some(m) => self
                .method(&t, text(src, m), 0)
                .and_then(|(i, _)| {
                    let f = &self.funcs[i];
                    let key = (f.recv_type.clone(), f.name.clone());
                    self.method_results.get(&key).cloned()
                })
                .unwrap_or_default(),
        }
    }

    /// The type of an access path on the declaration's variables known so far.
    fn var_path_type(
        &self,
        func: &Func<'a>,
        locals: &HashMap<&'a str, String>,
        n: Node,
        src: &str,
    ) -> Option<String> {
        let p = path_of(n, src, self.k)?;
        let mut t = func
            .recv
            .iter()
            .chain(&func.params)
            .find(|(n, _)| *n == p.root)
            .map(|(_, t)| t.clone())
            .or_else(|| locals.get(p.root).cloned())
            .or_else(|| self.globals.get(p.root).cloned())?;
        for f in &p.fields {
            if f.starts_with('[') {
                return None;
            }
            t = self.field(&t, f, 0)?.1;
        }
        (!t.is_empty()).then_some(t)
    }

    /// A declaration's locals that hold an element of a field's map or slice, with the
    /// field's path (`for _, n := range s.nodes`: `n` is an element of `s.nodes`; `c, ok :=
    /// p.clients[k]`), found on first use. A name declared twice is left out.
    fn elements(&self, f: usize) -> Rc<HashMap<&'a str, String>> {
        memo(&self.elements, f, || self.elements_of(f))
    }

    fn elements_of(&self, f: usize) -> HashMap<&'a str, String> {
        let k = self.k;
        let func = &self.funcs[f];
        let src = self.srcs[func.file].text;
        let mut out: HashMap<&'a str, String> = HashMap::default();
        let mut twice: HashSet<&'a str> = HashSet::default();
        let mut declared: HashSet<&'a str> = HashSet::default();
        for n in preorder(func.body) {
            let kind = n.kind_id();
            if kind != k.short_var_declaration && kind != k.range_clause {
                continue;
            }
            let Some(l) = n.child_by_field_id(k.f_left) else {
                continue;
            };
            let mut c = l.walk();
            let names: Vec<Node> = l.named_children(&mut c).collect();
            for name in &names {
                let name = text(src, *name);
                if !declared.insert(name) {
                    twice.insert(name);
                }
            }
            let value = match kind == k.range_clause {
                true => names.get(1),
                false => names.first(),
            };
            let mut right = n.child_by_field_id(k.f_right);
            if kind != k.range_clause {
                right = right
                    .filter(|r| r.named_child_count() == 1)
                    .and_then(|r| r.named_child(0))
                    .filter(|v| v.kind_id() == k.index_expression)
                    .and_then(|v| v.child_by_field_id(k.f_operand));
            }
            let (Some(v), Some(r)) = (value, right) else {
                continue;
            };
            if let Some(p) = path_of(r, src, k).filter(|p| !p.fields.is_empty()) {
                out.insert(text(src, *v), p.key());
            }
        }
        out.retain(|name, _| !twice.contains(name));
        out
    }

    /// The element type of an index expression on a field (`b.subs[id]`).
    fn lookup_elem(
        &self,
        func: &Func<'a>,
        locals: &HashMap<&'a str, String>,
        v: Node,
        src: &str,
    ) -> Option<String> {
        if v.kind_id() != self.k.index_expression {
            return None;
        }
        self.elem_of(func, locals, v.child_by_field_id(self.k.f_operand)?, src)
    }

    /// The element type of a field that is a map or slice of a known element type (`r.all`),
    /// from the declaration's variables known so far.
    fn elem_of(
        &self,
        func: &Func<'a>,
        locals: &HashMap<&'a str, String>,
        ranged: Node,
        src: &str,
    ) -> Option<String> {
        let p = path_of(ranged, src, self.k)?;
        let (last, init) = p.fields.split_last()?;
        let mut t = func
            .recv
            .iter()
            .chain(&func.params)
            .find(|(n, _)| *n == p.root)
            .map(|(_, t)| t.clone())
            .or_else(|| locals.get(p.root).cloned())
            .or_else(|| self.globals.get(p.root).cloned())?;
        for f in init {
            t = self.field(&t, f, 0)?.1;
        }
        let (owner, _) = self.field(&t, last, 0)?;
        self.structs.get(&owner)?.elems.get(*last).cloned()
    }

    /// Every declaration's body and every function literal inside it.
    fn units(&self) -> Vec<Unit<'a>> {
        let k = self.k;
        let mut out = Vec::new();
        for (i, f) in self.funcs.iter().enumerate() {
            let name = self.display_name(i);
            let decl_unit = out.len();
            out.push(Unit {
                func: Some(i),
                file: f.file,
                name: name.clone(),
                scope: i,
                body: f.body,
                extra_params: Vec::new(),
                started_by: None,
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
                let go = lit
                    .parent()
                    .and_then(|p| p.parent())
                    .filter(|g| g.kind_id() == k.go_statement);
                let is_go = go.is_some();
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
                    started_by: go.map(|g| (decl_unit, g.start_byte())),
                });
            }
        }
        out
    }

    /// `c.Wait` of a cond passed or stored as a function value rather than called.
    fn scan_wait_values(&self, model: &mut LockModel) {
        let k = self.k;
        for (f, func) in self.funcs.iter().enumerate() {
            let src = self.srcs[func.file].text;
            let body = text(src, func.body);
            let as_value = body
                .match_indices(".Wait")
                .any(|(i, _)| !body[i + ".Wait".len()..].starts_with('('));
            if !as_value {
                continue;
            }
            let locals = self.locals(f);
            let scope = self.display_name(f);
            let env = Env {
                recv: func.recv.as_ref(),
                params: &func.params,
                extra: &[],
                locals: &locals,
                scope: &scope,
            };
            for n in preorder(func.body).filter(|n| n.kind_id() == k.selector_expression) {
                let called = n.parent().is_some_and(|c| {
                    c.kind_id() == k.call_expression
                        && c.child_by_field_id(k.f_function).map(|f| f.id()) == Some(n.id())
                });
                let is_wait = n
                    .child_by_field_id(k.f_field)
                    .is_some_and(|m| text(src, m) == "Wait");
                if called || !is_wait {
                    continue;
                }
                let Some(p) = n
                    .child_by_field_id(k.f_operand)
                    .and_then(|o| path_of(o, src, k))
                else {
                    continue;
                };
                if self.is_type(&env, &p, "sync.Cond", &["cond"]) {
                    let at = At::of(func.file, n);
                    model.wait_values.push((at, scope.clone(), p.key()));
                }
            }
        }
    }

    /// The channel operations of a unit that is not analysed (it takes no lock, so it holds
    /// none at them): the other ends a blocked operation may wait for.
    fn scan_channel_ops(&self, u: &Unit<'a>, unit: usize, model: &mut LockModel) {
        let k = self.k;
        let src = self.srcs[u.file].text;
        let body = text(src, u.body);
        if !body.contains("<-") && !body.contains("close(") && !body.contains("range") {
            return;
        }
        let decl = &self.funcs[u.scope];
        let locals = self.locals(u.scope);
        let scope = self.display_name(u.scope);
        let env = Env {
            recv: decl.recv.as_ref(),
            params: &decl.params,
            extra: &u.extra_params,
            locals: &locals,
            scope: &scope,
        };
        let literal = k.func_literal;
        for n in u.body.preorder_pruned(move |m| m.kind_id() == literal) {
            let Some((kind, ch)) = channel_op(n, k, src) else {
                continue;
            };
            let p = path_of(ch, src, k);
            if kind == OpKind::Recv && n.kind_id() == k.range_clause {
                let is_chan = p
                    .as_ref()
                    .and_then(|p| self.path_type(&env, p))
                    .is_some_and(|t| t.starts_with("chan") || t.starts_with("<-chan"));
                if !is_chan {
                    continue;
                }
            }
            model.ops.push(Op {
                unit,
                kind,
                target: p.and_then(|p| self.class_of(&env, &p)),
                text: text(src, ch).to_string(),
                at: At::of(u.file, n),
                held: Vec::new(),
                guarded: select_guarded(n, k, src),
                alone: !in_select_with_others(n, k),
                in_loop: innermost_loop(n, k),
            });
        }
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
        let (i, through) = self
            .method(&t, m, 0)
            .or_else(|| self.method(&self.implementer(&t)?, m, 0))?;
        p.fields.extend(through);
        Some((i, Some(p)))
    }

    /// The one type of the package whose methods include every method of interface `t`, so
    /// that a call on a value of the interface reaches that type's method; `None` when `t` is
    /// not an interface of the package or the package has no such type or more than one.
    fn implementer(&self, t: &str) -> Option<String> {
        let methods = self.interfaces.get(t)?;
        if let Some(found) = self.implementers.borrow().get(t) {
            return found.clone();
        }
        let mut types: Vec<&str> = self
            .funcs
            .iter()
            .filter(|f| !f.recv_type.is_empty() && f.name == methods[0])
            .map(|f| f.recv_type.as_str())
            .filter(|r| {
                methods
                    .iter()
                    .all(|m| self.by_name.contains_key(&(r.to_string(), m.clone())))
            })
            .collect();
        types.dedup();
        let found = match types.as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        };
        self.implementers
            .borrow_mut()
            .insert(t.to_string(), found.clone());
        found
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
struct LockWalk<'p, 's, 'a, 'r> {
    pkg: &'p Pkg<'s, 'a>,
    env: Env<'p, 'a>,
    src: &'a str,
    file: usize,
    depth: usize,
    /// The declaration the unit is in (its own, or the one around a literal).
    decl: usize,
    unit: usize,
    unit_name: &'p str,
    /// The final pass over the fixpoint's states: events and summary are recorded.
    last: bool,
    rec: Option<&'r mut Recorder>,
    summary: LockSummary,
    /// Paths unlocked without being held (relocked later: not a fresh acquisition).
    released: HashSet<String>,
    /// Paths whose unlock is deferred.
    deferred: HashSet<String>,
    /// The caller's locks the unit released and then took again.
    retaken: Vec<Held>,
    /// The caller's locks released (and not taken back) at some return.
    gone_at_exit: Vec<String>,
    /// Where deferred calls run: the end of the body.
    body_end: usize,
    /// The declaration's variables that hold an unlocking function.
    unlockers: Rc<Unlockers<'a>>,
    /// Callees called without a summary yet; `lazy` asks for them instead of using none.
    missing: Vec<usize>,
    lazy: bool,
    /// The parameter conditions the early exits before a statement put on it, by statement
    /// (each statement's earlier siblings are read once, not on every visit of the fixpoint).
    early: RefCell<HashMap<usize, Rc<Vec<Cond>>>>,
}

/// The locks of one point of a unit: those held on every path to it, and those of its caller
/// that it has released on every path (held again by the caller after the call).
#[derive(Debug, Clone, Default)]
struct State {
    held: Vec<Held>,
    gone: Vec<String>,
}

/// How many times a unit is run again after the summaries it asked for are computed.
const MAX_RERUNS: usize = 2;

impl<'s, 'a> Pkg<'s, 'a> {
    /// Runs a unit of the package for the model: the callees' summaries it needs are computed
    /// first (`summarise`), then the unit once more; its summary and what it recorded.
    /// A declaration is busy while it is recorded: a callee that calls it back sees a cycle,
    /// rather than computing (and keeping) a summary of it that lacks what that callee does.
    fn record(&self, u: &Unit<'a>, unit: usize) -> (Option<LockSummary>, Recorder) {
        let fresh = u.func.filter(|f| self.busy.borrow_mut().insert(*f));
        for attempt in 0.. {
            let mut rec = Recorder::new(unit);
            match self.run(u, 0, Some(&mut rec), attempt < MAX_RERUNS) {
                Ok(s) => {
                    if let Some(f) = fresh {
                        self.busy.borrow_mut().remove(&f);
                    }
                    return (s, rec);
                }
                Err(missing) => self.summarise(missing, 1),
            }
        }
        unreachable!("the last attempt is not lazy")
    }

    /// Computes the summaries of `roots` and of the callees they need, callees first, with an
    /// explicit stack: a declaration whose run asks for callees' summaries goes back on the
    /// stack under them and runs again once they are done. A callee already on the stack (a
    /// cycle) or past `MAX_CALL_DEPTH` counts as taking no lock.
    fn summarise(&self, roots: Vec<usize>, depth: usize) {
        let mut stack: Vec<(usize, usize, usize)> =
            roots.into_iter().map(|f| (f, depth, 0)).collect();
        while let Some(&(f, d, tries)) = stack.last() {
            if self.summaries.borrow().contains_key(&f) {
                stack.pop();
                continue;
            }
            self.busy.borrow_mut().insert(f);
            let func = &self.funcs[f];
            let unit = Unit {
                func: Some(f),
                scope: f,
                file: func.file,
                name: self.display_name(f),
                body: func.body,
                extra_params: Vec::new(),
                started_by: None,
            };
            match self.run(&unit, d, None, tries < MAX_RERUNS) {
                Ok(s) => {
                    self.busy.borrow_mut().remove(&f);
                    let s = Rc::new(s.unwrap_or_default());
                    self.summaries.borrow_mut().insert(f, s);
                    stack.pop();
                }
                Err(missing) => {
                    if let Some(top) = stack.last_mut() {
                        top.2 += 1;
                    }
                    stack.extend(missing.into_iter().map(|c| (c, d + 1, 0)));
                }
            }
        }
    }

    /// Runs the must-hold dataflow over a unit's graph; returns its summary, or (when `lazy`)
    /// the callees it called that have no summary yet.
    fn run(
        &self,
        u: &Unit<'a>,
        depth: usize,
        rec: Option<&mut Recorder>,
        lazy: bool,
    ) -> Result<Option<LockSummary>, Vec<usize>> {
        let src = self.srcs[u.file].text;
        let Some(cfg) = Cfg::build(u.body, src) else {
            return Ok(None);
        };
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
            decl: u.scope,
            unit: unit_index,
            unit_name: &u.name,
            last: false,
            rec,
            summary: LockSummary::default(),
            released: HashSet::default(),
            deferred: HashSet::default(),
            retaken: Vec::new(),
            gone_at_exit: Vec::new(),
            body_end: u.body.end_byte(),
            unlockers: Rc::default(),
            missing: Vec::new(),
            lazy,
            early: RefCell::default(),
        };
        flow.unlockers = self.unlockers_of(u.scope, &flow.env);
        // A body that never locks directly holds nothing but what a lock helper leaves: one
        // pass over its blocks, without the fixpoint.
        let ins = if text(src, u.body).contains("ock()") {
            flow.fixpoint(&cfg)
        } else {
            vec![Some(State::default()); cfg.blocks.len()]
        };
        if !flow.missing.is_empty() {
            return Err(flow.missing);
        }
        flow.last = true;
        let exits = flow.final_pass(&cfg, &ins);
        if !flow.missing.is_empty() {
            return Err(flow.missing);
        }
        if u.func.is_some() {
            flow.leave(exits.unwrap_or_default());
        }
        Ok(Some(flow.summary))
    }
}

/// The locks held on both paths.
fn meet_held(a: &[Held], b: &[Held]) -> Vec<Held> {
    a.iter()
        .filter(|x| b.iter().any(|y| y.path == x.path && y.read == x.read))
        .cloned()
        .collect()
}

/// The state on both paths: locks held on both, caller's locks released on both.
fn meet(a: &State, b: &State) -> State {
    State {
        held: meet_held(&a.held, &b.held),
        gone: a
            .gone
            .iter()
            .filter(|g| b.gone.contains(g))
            .cloned()
            .collect(),
    }
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

impl<'p, 's, 'a, 'r> LockWalk<'p, 's, 'a, 'r> {
    fn fixpoint(&mut self, cfg: &Cfg<'a>) -> Vec<Option<State>> {
        let mut ins: Vec<Option<State>> = vec![None; cfg.blocks.len()];
        ins[ENTRY] = Some(State::default());
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
                let size = |s: &State| s.held.len() + s.gone.len();
                let changed = ins[e.to]
                    .as_ref()
                    .is_none_or(|old| size(old) != size(&next));
                if changed {
                    ins[e.to] = Some(next);
                    work.push(e.to);
                }
            }
        }
        ins
    }

    /// The recording pass over the fixpoint's states; the locks held at every exit.
    fn final_pass(&mut self, cfg: &Cfg<'a>, ins: &[Option<State>]) -> Option<State> {
        let live = cfg.reachable();
        let mut exits: Option<State> = None;
        for (b, block) in cfg.blocks.iter().enumerate() {
            let (true, Some(st)) = (live[b], &ins[b]) else {
                continue;
            };
            let mut st = st.clone();
            for n in &block.nodes {
                self.step(*n, &mut st);
            }
            if matches!(block.exit, Some(Exit::Return(_)) | Some(Exit::End(_))) {
                for g in &st.gone {
                    if !self.gone_at_exit.contains(g) {
                        self.gone_at_exit.push(g.clone());
                    }
                }
                exits = Some(match exits {
                    None => st,
                    Some(e) => meet(&e, &st),
                });
            }
        }
        exits
    }

    /// One node of a block: its lock operations, calls and blocking operations, in order.
    fn step(&mut self, n: Node<'a>, st: &mut State) {
        let k = self.pkg.k;
        let kind = n.kind_id();
        if kind == k.defer_statement {
            self.defer(n);
            return;
        }
        if kind == k.go_statement {
            self.hand_over(n, st);
            return;
        }
        if kind == k.range_clause {
            self.range(n, &st.held);
        }
        for &e in self.pkg.events_of(n, self.src).iter() {
            if e.kind_id() == k.call_expression {
                self.call(e, st);
            } else if e.kind_id() == k.send_statement {
                let ch = e.child_by_field_id(k.f_channel);
                self.chan_op(OpKind::Send, ch, e, &st.held);
            } else {
                let ch = e.child_by_field_id(k.f_operand);
                self.chan_op(OpKind::Recv, ch, e, &st.held);
            }
        }
        if kind == k.assignment_statement || kind == k.short_var_declaration {
            self.kill_assigned(n, &mut st.held);
        }
    }

    /// `go func() { ...; mu.Unlock() }()`: the goroutine releases a lock the unit holds (a
    /// hand-off, typically joined by `wg.Wait`); from here on the unit no longer holds it.
    fn hand_over(&mut self, n: Node<'a>, st: &mut State) {
        let k = self.pkg.k;
        let Some(lit) = n
            .named_child(0)
            .and_then(|c| c.child_by_field_id(k.f_function))
            .filter(|f| f.kind_id() == k.func_literal)
        else {
            return;
        };
        for (operand, _) in unlocked_by_value(lit, self.src) {
            if let Some(key) = self.mutex_key(operand) {
                st.held.retain(|h| h.path != key);
            }
        }
    }

    /// The lock an operand names, in its one spelling, when it is a mutex.
    fn mutex_key(&self, operand: Node) -> Option<String> {
        let p = path_of(operand, self.src, self.pkg.k)?;
        self.pkg
            .is_mutex(&self.env, &p)
            .then(|| self.pkg.canon(&self.env, &p.key(), true))
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
            if let Some(paths) = self.unlocker(f) {
                self.deferred.extend(paths);
                continue;
            }
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
                let s = self.callee(callee);
                let args = self.args(call);
                for r in &s.releases {
                    if let Some(p) = self.mapped(r.root, &r.rest, recv.as_ref(), &args) {
                        self.deferred.insert(p);
                    }
                }
            }
        }
    }

    /// The locks a call of a variable releases, when the variable holds an unlocking function.
    fn unlocker(&self, f: Node) -> Option<Vec<String>> {
        if f.kind_id() != self.pkg.k.identifier {
            return None;
        }
        self.unlockers.get(text(self.src, f)).cloned()
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
            alone: true,
            in_loop: None,
        });
    }

    fn args(&self, call: Node) -> Vec<Option<String>> {
        let k = self.pkg.k;
        call_args(call, k)
            .into_iter()
            .map(|a| path_of(a, self.src, k).map(|p| p.key()))
            .collect()
    }

    /// A callee's summary; one not computed yet counts as empty, and is asked for when lazy.
    fn callee(&mut self, c: usize) -> Rc<LockSummary> {
        if let Some(s) = self.pkg.summaries.borrow().get(&c) {
            return s.clone();
        }
        let wanted = self.lazy
            && self.depth < MAX_CALL_DEPTH
            && !self.pkg.busy.borrow().contains(&c)
            && !self.missing.contains(&c);
        if wanted {
            self.missing.push(c);
        }
        self.pkg.empty.clone()
    }

    fn call(&mut self, call: Node<'a>, st: &mut State) {
        let k = self.pkg.k;
        let Some(f) = call.child_by_field_id(k.f_function) else {
            return;
        };
        if f.kind_id() == k.selector_expression && self.builtin_op(call, f, st) {
            return;
        }
        if let Some(paths) = self.unlocker(f) {
            for p in paths {
                self.release(&p, st);
            }
            return;
        }
        if self.is_close(f) {
            let ch = call_args(call, k).into_iter().next();
            self.chan_op(OpKind::Close, ch, call, &st.held);
            return;
        }
        let Some((callee, recv)) = self.pkg.resolve(&self.env, call, self.src) else {
            self.implicit_stringers(call, f, st);
            return;
        };
        if !self.pkg.may_lock[callee] {
            return;
        }
        let name = self.pkg.display_name(callee);
        self.apply_summary(callee, recv, call, name, st);
    }

    /// `log.Printf("%v", r)`, `fmt.Sprint(err)`: fmt calls the `String` (or `Error`) method of
    /// an argument whose type has one, so what that method locks is locked at the call.
    fn implicit_stringers(&mut self, call: Node<'a>, f: Node<'a>, st: &mut State) {
        let k = self.pkg.k;
        let Some(printer) = formatting_call(f, self.src, k) else {
            return;
        };
        for arg in call_args(call, k) {
            let Some(mut p) = path_of(arg, self.src, k) else {
                continue;
            };
            let Some(t) = self.pkg.path_type(&self.env, &p) else {
                continue;
            };
            let method = ["String", "Error"]
                .iter()
                .find_map(|m| self.pkg.method(&t, m, 0));
            let Some((callee, through)) = method.filter(|(c, _)| self.pkg.may_lock[*c]) else {
                continue;
            };
            p.fields.extend(through);
            let name = format!("{printer} → {}", self.pkg.display_name(callee));
            self.apply_summary(callee, Some(p), call, name, st);
        }
    }

    /// What a call of `callee` on `recv` does to the locks: its summary's acquisitions,
    /// releases and locks left held, in this unit's terms.
    fn apply_summary(
        &mut self,
        callee: usize,
        recv: Option<Path<'a>>,
        call: Node<'a>,
        name: String,
        st: &mut State,
    ) {
        let s = self.callee(callee);
        let args = self.args(call);
        let own = self.guard_conds(call);
        for a in &s.acquires {
            let Some(mut h) = self.decide(a, callee, call, &own) else {
                continue;
            };
            h.path = self
                .mapped(a.root, &a.rest, recv.as_ref(), &args)
                .unwrap_or_default();
            h.class = a.class.clone();
            h.read = a.read;
            h.at = At::of(self.file, call);
            h.chain = std::iter::once(name.clone())
                .chain(a.chain.iter().cloned())
                .collect();
            h.without = a
                .without
                .iter()
                .filter_map(|(root, rest)| self.mapped(*root, rest, recv.as_ref(), &args))
                .collect();
            self.acquire(h, st, Some(a.at), false);
        }
        for r in &s.releases {
            if let Some(p) = self.mapped(r.root, &r.rest, recv.as_ref(), &args) {
                if let (true, Some(rec)) = (self.last, self.rec.as_mut()) {
                    let at = (self.file, call.start_byte(), p.clone());
                    rec.model.call_releases.insert(at);
                }
                self.release(&p, st);
            }
        }
        for l in &s.leaves {
            if let Some(path) = self.mapped(l.root, &l.rest, recv.as_ref(), &args) {
                st.gone.retain(|g| *g != path);
                if !st.held.iter().any(|h| h.path == path) {
                    let h = Held {
                        path,
                        class: l.class.clone(),
                        read: l.read,
                        at: At::of(self.file, call),
                        chain: vec![name.clone()],
                        ..Held::default()
                    };
                    match relocks(&s, l) {
                        true => self.acquire(h, st, Some(l.at), true),
                        false => st.held.push(h),
                    }
                }
            }
        }
    }

    /// A callee's acquisition as this call makes it: `None` when a constant argument rules
    /// its condition out (`remove(k, false)` of a `remove` that locks `if lock`); otherwise the
    /// conditions left, in this unit's parameters, and those the arguments decided.
    fn decide(&self, a: &FLock, callee: usize, call: Node, own: &[Cond]) -> Option<Held> {
        let mut h = Held {
            when: own.to_vec(),
            ..Held::default()
        };
        let args = call_args(call, self.pkg.k);
        for c in &a.when {
            let param = self.pkg.funcs[callee]
                .params
                .get(c.param)
                .map_or("?", |p| p.0);
            let arg = args.get(c.param).map(|n| (*n, text(self.src, *n)));
            match arg {
                Some((_, t @ ("true" | "false"))) => {
                    if (t == "true") != c.value {
                        return None;
                    }
                    h.decided.push(format!("{param} = {t}"));
                }
                Some((n, t)) if n.kind_id() == self.pkg.k.identifier => {
                    match self.env.root(t, self.pkg) {
                        Some(Root::Param(i)) => h.when.push(Cond {
                            param: i,
                            value: c.value,
                        }),
                        _ => h.unsure = true,
                    }
                }
                _ => h.unsure = true,
            }
        }
        Some(h)
    }

    /// The conditions on the unit's parameters that the `if` statements around `n` put on it:
    /// inside `if lock { ... }`, `lock == true`; in its `else`, `lock == false`; after an early
    /// exit `if !create || err != nil { return }`, `create == true`.
    fn guard_conds(&self, n: Node) -> Vec<Cond> {
        let k = self.pkg.k;
        let mut out = Vec::new();
        let (mut child, mut cur) = (n, n.parent());
        while let Some(p) = cur {
            if super::is_function(k, p.kind_id()) {
                break;
            }
            if p.kind_id() == k.statement_list {
                out.extend(self.early_exit_conds(child).iter().copied());
            }
            if p.kind_id() == k.if_statement {
                let is = |f| p.child_by_field_id(f).is_some_and(|c| c.id() == child.id());
                let branch = if is(k.f_consequence) {
                    Some(true)
                } else if is(k.f_alternative) {
                    Some(false)
                } else {
                    None
                };
                let cond = p.child_by_field_id(k.f_condition);
                if let (Some(b), Some(c)) = (branch, cond.and_then(|c| self.param_cond(c))) {
                    out.push(Cond {
                        param: c.param,
                        value: c.value == b,
                    });
                }
            }
            child = p;
            cur = p.parent();
        }
        out
    }

    /// What the early exits before statement `stmt` say of the unit's parameters: after
    /// `if !create || err != nil { return }`, `create == true`. Worked out in one pass over the
    /// statement's block, for every statement of it at once.
    fn early_exit_conds(&self, stmt: Node) -> Rc<Vec<Cond>> {
        if let Some(c) = self.early.borrow().get(&stmt.id()) {
            return c.clone();
        }
        let Some(list) = stmt.parent() else {
            return Rc::default();
        };
        let mut acc: Rc<Vec<Cond>> = Rc::default();
        let mut early = self.early.borrow_mut();
        let mut c = list.walk();
        for s in list.named_children(&mut c) {
            early.insert(s.id(), acc.clone());
            let Some(cond) = paths::exit_condition(s, self.src, self.pkg.k) else {
                continue;
            };
            let negated = self.disjunct_conds(cond).into_iter().map(|c| Cond {
                param: c.param,
                value: !c.value,
            });
            let mut next = (*acc).clone();
            next.extend(negated);
            if next.len() != acc.len() && next.len() <= MAX_EARLY_CONDS {
                acc = Rc::new(next);
            }
        }
        early.get(&stmt.id()).cloned().unwrap_or_default()
    }

    /// The parameter conditions among the operands of a condition's top-level `||` chain
    /// (the condition itself when it is not one): any of them true makes it true.
    fn disjunct_conds(&self, c: Node) -> Vec<Cond> {
        let k = self.pkg.k;
        let mut out = Vec::new();
        let mut pending = vec![c];
        while let Some(mut n) = pending.pop() {
            while n.kind_id() == k.parenthesized_expression {
                match n.named_child(0) {
                    Some(inner) => n = inner,
                    None => break,
                }
            }
            let op = n.child_by_field_id(k.f_operator).map(|o| o.kind_id());
            if n.kind_id() == k.binary_expression && op == Some(k.t_pipe_pipe) {
                pending.extend(n.child_by_field_id(k.f_left));
                pending.extend(n.child_by_field_id(k.f_right));
            } else {
                out.extend(self.param_cond(n));
            }
        }
        out
    }

    /// A condition that is a parameter's value: `lock`, `!lock`, `lock == false`.
    fn param_cond(&self, c: Node) -> Option<Cond> {
        let k = self.pkg.k;
        let mut c = c;
        while c.kind_id() == k.parenthesized_expression {
            c = c.named_child(0)?;
        }
        let mut value = true;
        if c.kind_id() == k.unary_expression {
            let op = c.child_by_field_id(k.f_operator).map(|o| text(self.src, o));
            if op != Some("!") {
                return None;
            }
            value = false;
            c = c.child_by_field_id(k.f_operand)?;
        } else if c.kind_id() == k.binary_expression {
            let op = c.child_by_field_id(k.f_operator).map(|o| text(self.src, o));
            let right = c.child_by_field_id(k.f_right).map(|r| text(self.src, r));
            let lit = match right {
                Some("true") => true,
                Some("false") => false,
                _ => return None,
            };
            value = match op {
                Some("==") => lit,
                Some("!=") => !lit,
                _ => return None,
            };
            c = c.child_by_field_id(k.f_left)?;
        }
        if c.kind_id() != k.identifier {
            return None;
        }
        match self.env.root(text(self.src, c), self.pkg)? {
            Root::Param(param) => Some(Cond { param, value }),
            _ => None,
        }
    }

    /// Mutex, cond, wait group and `time.Sleep` calls; false for anything else.
    fn builtin_op(&mut self, call: Node<'a>, f: Node<'a>, st: &mut State) -> bool {
        let k = self.pkg.k;
        let (Some(operand), Some(m)) = (
            f.child_by_field_id(k.f_operand),
            f.child_by_field_id(k.f_field),
        ) else {
            return false;
        };
        let m = text(self.src, m);
        if m == "Sleep" && text(self.src, operand) == "time" {
            self.op(
                OpKind::Sleep,
                None,
                "time.Sleep".into(),
                call,
                &st.held,
                false,
            );
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
                    when: self.guard_conds(call),
                    ..Held::default()
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
                self.op(OpKind::CondWait, class, p.key(), call, &st.held, in_loop);
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
                self.op(kind, class, p.key(), call, &st.held, false);
            }
            _ => return false,
        }
        true
    }

    /// The builtin `close`, not shadowed by a variable.
    fn is_close(&self, f: Node) -> bool {
        f.kind_id() == self.pkg.k.identifier
            && text(self.src, f) == "close"
            && !self.env.known("close", self.pkg)
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
    fn mapped(
        &self,
        root: Root,
        rest: &str,
        recv: Option<&Path>,
        args: &[Option<String>],
    ) -> Option<String> {
        let p = map_lock(root, rest, recv, args)?;
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
        let k = self.pkg.k;
        r.model.ops.push(Op {
            unit: self.unit,
            kind,
            target,
            text: t,
            at: At::of(self.file, at),
            held: st.to_vec(),
            guarded,
            alone: !in_select_with_others(at, k),
            in_loop: innermost_loop(at, k),
        });
    }

    /// Takes `h`: a second acquisition of a held path, order edges from every held class, and
    /// (for a lock of the receiver, a parameter or a package variable) the summary.
    fn acquire(&mut self, mut h: Held, st: &mut State, inner: Option<At>, push: bool) {
        if let Some(p) = self.parent_alias(&h, &st.held) {
            h.path = p;
            h.via_parent = true;
        }
        if self.last {
            self.note_acquire(&h, st, inner);
        }
        if push && !st.held.iter().any(|x| x.path == h.path) {
            st.gone.retain(|g| *g != h.path);
            st.held.push(h);
        }
    }

    /// The summary's record of an acquisition: under its conditions, after the caller's locks
    /// released by then (this unit's own, and those the callee that takes it released).
    fn summarise_acquire(&mut self, h: &Held, st: &State, inner: Option<At>) {
        let Some((root, rest)) = self.formal(&h.path) else {
            return;
        };
        let dup = self
            .summary
            .acquires
            .iter()
            .any(|a| a.root == root && a.rest == rest && a.read == h.read && a.when == h.when);
        if self.released.contains(&h.path) {
            if self.last && !self.retaken.iter().any(|r| r.path == h.path) {
                self.retaken.push(h.clone());
            }
            return;
        }
        if dup {
            return;
        }
        let mut without: Vec<(Root, String)> = Vec::new();
        for g in st.gone.iter().chain(&h.without) {
            if let Some(f) = self.formal(g).filter(|f| !without.contains(f)) {
                without.push(f);
            }
        }
        self.summary.acquires.push(FLock {
            chain: h.chain.clone(),
            when: h.when.clone(),
            without,
            ..FLock::new(root, rest, h.class.clone(), h.read, inner.unwrap_or(h.at))
        });
    }

    fn note_acquire(&mut self, h: &Held, st: &State, inner: Option<At>) {
        self.summarise_acquire(h, st, inner);
        let Some(r) = self.rec.as_mut() else {
            return;
        };
        // The locks held at this acquisition: those a callee released first are not.
        let held: Vec<&Held> = st
            .held
            .iter()
            .filter(|x| !h.without.contains(&x.path))
            .collect();
        // A chain back into this very function is recursion, which stops on a condition (else
        // it would never end) that the model does not evaluate: no proof of a second lock.
        // Through a back pointer it is recursion over other objects (a client of the pool
        // releasing the client it rides on), not a repeat on this one: no condition stops it.
        let recursive = !h.via_parent && h.chain.iter().any(|c| c == self.unit_name);
        let proven = h.when.is_empty() && !h.unsure && !recursive;
        let prev = held.iter().find(|x| !h.path.is_empty() && x.path == h.path);
        if let (true, Some(prev)) = (proven, prev) {
            r.model.doubles.push(DoubleLock {
                unit: self.unit_name.to_string(),
                held: (*prev).clone(),
                again: h.clone(),
                inner,
            });
        }
        // A class already held under another path is a second instance the caller orders
        // (`transfer(a, b)`) or the same lock reached another way (a back pointer): no order.
        // An acquisition the call's arguments leave undecided orders nothing it can prove.
        // A lock already held taken again is a double lock, not an order.
        let again = held.iter().any(|x| x.path == h.path);
        let alias = again || held.iter().any(|x| x.class == h.class && x.path != h.path);
        for x in held.iter().filter(|_| !alias && !h.unsure) {
            let (Some(a), Some(b)) = (&x.class, &h.class) else {
                continue;
            };
            if a != b && x.path != h.path {
                r.model.edges.push(OrderEdge {
                    unit: self.unit_name.to_string(),
                    first: (*x).clone(),
                    second: h.clone(),
                });
            }
        }
        if let Some(c) = &h.class {
            if !h.read {
                r.model.write_locked.insert(c.clone());
            }
            r.acquired.push((c.clone(), h.at.start));
        }
    }

    /// The held lock that `h` names through a back pointer: children kept in a parent point
    /// back to that parent. `h` is `n.store.mu` where `n` is an element of a map or slice field
    /// of `s` (`for _, n := range s.nodes`), or `s.queue.store.mu` where `queue` is a field of
    /// `s`; `store` is the one field of the child's type that has `s`'s type (another type than
    /// the child's); and `s.mu` is held. Only looked for when a lock of `h`'s class is held
    /// under another path.
    fn parent_alias(&self, h: &Held, held: &[Held]) -> Option<String> {
        let same_class = |x: &&Held| x.class.is_some() && x.class == h.class && x.path != h.path;
        if h.path.is_empty() || h.path.contains('[') || !held.iter().any(|x| same_class(&x)) {
            return None;
        }
        let parts: Vec<&str> = h.path.split('.').collect();
        let is_held = |alias: String| held.iter().any(|x| x.path == alias).then_some(alias);
        // An element of the parent's map or slice.
        if let Some(origin) = self.pkg.elements(self.decl).get(parts[0]) {
            let mut cut = origin.as_str();
            while let Some(i) = cut.rfind('.') {
                cut = &cut[..i];
                let child = self.env.var_type(parts[0], self.pkg);
                let tail = parts.get(2..).map(|t| t.join("."));
                if let (Some(child), Some(back), Some(tail)) = (child, parts.get(1), tail) {
                    if self.points_back(&child, back, cut, None) {
                        let alias = self.pkg.canon(&self.env, &format!("{cut}.{tail}"), false);
                        return is_held(alias);
                    }
                }
            }
        }
        // A field of the parent.
        for i in 1..parts.len().saturating_sub(2) {
            let parent = parts[..i].join(".");
            let child = format!("{parent}.{}", parts[i]);
            let Some(child_type) = self.type_of_key(&child) else {
                continue;
            };
            if self.points_back(&child_type, parts[i + 1], &parent, Some(parts[i])) {
                let alias = format!("{parent}.{}", parts[i + 2..].join("."));
                return is_held(self.pkg.canon(&self.env, &alias, false));
            }
        }
        None
    }

    /// Whether field `back` of type `child` (or of the one type implementing that interface)
    /// is its only field of the type of the path `parent`, a type other than `child`; and the
    /// parent's type holds the child only in a map or slice, or in field `via` alone. A parent
    /// with another field of the child's type may be the child's child (`r.parent` of a router
    /// whose children each own a router): then the child's field points down, not back.
    fn points_back(&self, child: &str, back: &str, parent: &str, via: Option<&str>) -> bool {
        let named = child;
        let child = self
            .pkg
            .implementer(child)
            .unwrap_or_else(|| child.to_string());
        let (Some(parent), Some(st)) = (self.type_of_key(parent), self.pkg.structs.get(&child))
        else {
            return false;
        };
        let Some(up) = self.pkg.structs.get(&parent) else {
            return false;
        };
        let holds_child = up
            .fields
            .iter()
            .any(|(f, t)| (t == named || *t == child) && Some(f.as_str()) != via);
        let back_type = self.pkg.field(&child, back, 0).map(|f| f.1);
        child != parent
            && !holds_child
            && back_type.as_deref() == Some(parent.as_str())
            && st.fields.values().filter(|t| **t == parent).count() == 1
    }

    /// The type of a path written as text (`s.queue`).
    fn type_of_key(&self, key: &str) -> Option<String> {
        let mut parts = key.split('.');
        let p = Path {
            root: parts.next()?,
            fields: parts.collect(),
        };
        self.pkg.path_type(&self.env, &p)
    }

    /// Releases `path`: held here, it is no longer; not held, it is the caller's (or taken on
    /// some path only), and the summary says the unit releases it.
    fn release(&mut self, path: &str, st: &mut State) {
        if let Some(i) = st.held.iter().position(|h| h.path == path) {
            st.held.remove(i);
            return;
        }
        if !st.gone.iter().any(|g| g == path) {
            st.gone.push(path.to_string());
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
                let at = At::default();
                self.summary
                    .releases
                    .push(FLock::new(root, rest, None, false, at));
            }
        }
    }

    /// The locks held on every return, minus the deferred unlocks: a `lock()` helper's; and
    /// the caller's locks the unit released and took again, released at no return
    /// (`for busy { s.mu.Unlock(); wait(); s.mu.Lock() }`).
    fn leave(&mut self, exits: State) {
        let back: Vec<Held> = std::mem::take(&mut self.retaken)
            .into_iter()
            .filter(|r| !self.gone_at_exit.contains(&r.path))
            .filter(|r| !exits.held.iter().any(|h| h.path == r.path))
            .collect();
        for h in exits.held.into_iter().chain(back) {
            if self.deferred.contains(&h.path) {
                continue;
            }
            if let Some((root, rest)) = self.formal(&h.path) {
                self.summary.leaves.push(FLock {
                    chain: h.chain.clone(),
                    ..FLock::new(root, rest, h.class.clone(), h.read, h.at)
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

/// Whether a callee that leaves `l` held released it first (`p.Unlock(); wait(); p.Lock()`):
/// it takes the caller's lock again, after every lock the caller took in between.
fn relocks(s: &LockSummary, l: &FLock) -> bool {
    s.releases
        .iter()
        .any(|r| r.root == l.root && r.rest == l.rest)
}

/// The arguments of a call.
fn call_args<'t>(call: Node<'t>, k: &Kinds) -> Vec<Node<'t>> {
    let Some(list) = call.child_by_field_id(k.f_arguments) else {
        return Vec::new();
    };
    let mut c = list.walk();
    let out = list.named_children(&mut c).collect();
    out
}

/// The variable a path starts with.
fn root_name(path: &str) -> &str {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    &path[..end]
}

/// A summary's lock in the caller's terms, through the call's receiver and arguments.
fn map_lock(
    root: Root,
    rest: &str,
    recv: Option<&Path>,
    args: &[Option<String>],
) -> Option<String> {
    let base = match root {
        Root::Global => return Some(rest.to_string()),
        Root::Recv => recv?.key(),
        Root::Param(i) => args.get(i)?.clone()?,
    };
    Some(format!("{base}{rest}"))
}

/// `fmt.Printf`, `log.Println`, `fmt.Errorf`...: a call of package fmt or log that formats its
/// arguments (and so calls their `String` or `Error` methods); its text.
fn formatting_call<'t>(f: Node, src: &'t str, k: &Kinds) -> Option<&'t str> {
    if f.kind_id() != k.selector_expression {
        return None;
    }
    let pkg = text(src, f.child_by_field_id(k.f_operand)?);
    let name = text(src, f.child_by_field_id(k.f_field)?);
    let formats = [
        "Print", "Sprint", "Fprint", "Append", "Errorf", "Fatal", "Panic",
    ]
    .iter()
    .any(|p| name.starts_with(p));
    (matches!(pkg, "fmt" | "log") && formats).then(|| text(src, f))
}

/// A send, receive, range or `close` at `n`, with its channel operand.
fn channel_op<'t>(n: Node<'t>, k: &Kinds, src: &str) -> Option<(OpKind, Node<'t>)> {
    let kind = n.kind_id();
    if kind == k.send_statement {
        return Some((OpKind::Send, n.child_by_field_id(k.f_channel)?));
    }
    if kind == k.unary_expression {
        let op = n.child_by_field_id(k.f_operator)?;
        return (text(src, op) == "<-")
            .then_some((OpKind::Recv, n.child_by_field_id(k.f_operand)?));
    }
    if kind == k.range_clause {
        return Some((OpKind::Recv, n.child_by_field_id(k.f_right)?));
    }
    if kind == k.call_expression {
        let f = n.child_by_field_id(k.f_function)?;
        if f.kind_id() == k.identifier && text(src, f) == "close" {
            return Some((OpKind::Close, call_args(n, k).into_iter().next()?));
        }
    }
    None
}

/// The byte range of the innermost `for` loop around a node in its own function.
fn innermost_loop(n: Node, k: &Kinds) -> Option<(usize, usize)> {
    let mut cur = n.parent();
    while let Some(c) = cur {
        if c.kind_id() == k.for_statement {
            return Some((c.start_byte(), c.end_byte()));
        }
        if super::is_function(k, c.kind_id()) {
            return None;
        }
        cur = c.parent();
    }
    None
}

/// Whether a channel operation is a case of a `select` that has other cases.
fn in_select_with_others(op: Node, k: &Kinds) -> bool {
    let mut cur = op.parent();
    for _ in 0..3 {
        let Some(c) = cur else {
            return false;
        };
        if c.kind_id() == k.communication_case {
            return c
                .parent()
                .is_some_and(|s| s.kind_id() == k.select_statement && s.named_child_count() > 1);
        }
        cur = c.parent();
    }
    false
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

impl<'s, 'a> Pkg<'s, 'a> {
    /// The variables of declaration `f` that hold an unlocking function, computed once.
    fn unlockers_of(&self, f: usize, env: &Env<'_, 'a>) -> Rc<Unlockers<'a>> {
        if let Some(u) = self.unlockers.borrow().get(&f) {
            return u.clone();
        }
        let func = &self.funcs[f];
        let src = self.srcs[func.file].text;
        let mut found = Unlockers::default();
        if may_hold_unlock_value(text(src, func.body)) {
            for (var, operand, _) in unlock_values(func.body, src) {
                let Some(p) = path_of(operand, src, self.k) else {
                    continue;
                };
                if self.is_mutex(env, &p) {
                    let key = self.canon(env, &p.key(), true);
                    found.entry(var).or_default().push(key);
                }
            }
        }
        let found = Rc::new(found);
        self.unlockers.borrow_mut().insert(f, found.clone());
        found
    }
}

/// Whether a body's text may store an unlocking function: `Unlock` not called on the spot
/// (`mu.Unlock` as a value), or a function literal assigned beside an `Unlock()`.
fn may_hold_unlock_value(t: &str) -> bool {
    t.match_indices("Unlock")
        .any(|(i, _)| !t[i + "Unlock".len()..].starts_with('('))
        || (t.contains("Unlock()") && t.contains("= func("))
}

/// The mutexes a function value unlocks, each as its operand node with the method: a method
/// value (`mu.Unlock`), `sync.OnceFunc` of one, or a function literal's own unlock calls
/// (`func() { s.mu.Unlock() }`, not those of literals nested in it).
pub fn unlocked_by_value<'t>(v: Node<'t>, src: &'t str) -> Vec<(Node<'t>, &'t str)> {
    let k = kinds();
    let mut v = v;
    if v.kind_id() == k.call_expression
        && v.child_by_field_id(k.f_function)
            .is_some_and(|f| text(src, f) == "sync.OnceFunc")
    {
        match call_args(v, k).first() {
            Some(arg) => v = *arg,
            None => return Vec::new(),
        }
    }
    if v.kind_id() == k.selector_expression {
        return unlock_method(v, src).into_iter().collect();
    }
    if v.kind_id() != k.func_literal {
        return Vec::new();
    }
    let Some(body) = v.child_by_field_id(k.f_body) else {
        return Vec::new();
    };
    let literal = k.func_literal;
    body.preorder_pruned(move |n| n.kind_id() == literal)
        .filter(|n| n.kind_id() == k.call_expression && call_args(*n, k).is_empty())
        .filter_map(|c| unlock_method(c.child_by_field_id(k.f_function)?, src))
        .collect()
}

/// `x.Unlock` or `x.RUnlock`: the operand and the method.
fn unlock_method<'t>(sel: Node<'t>, src: &'t str) -> Option<(Node<'t>, &'t str)> {
    let k = kinds();
    if sel.kind_id() != k.selector_expression {
        return None;
    }
    let m = text(src, sel.child_by_field_id(k.f_field)?);
    matches!(m, "Unlock" | "RUnlock").then_some(())?;
    Some((sel.child_by_field_id(k.f_operand)?, m))
}

/// The variables of a body assigned an unlocking function (`unlock := sync.OnceFunc(mu.Unlock)`,
/// `release = func() { mu.Unlock() }`): each with the mutex operand and the method it calls.
pub fn unlock_values<'t>(body: Node<'t>, src: &'t str) -> Vec<(&'t str, Node<'t>, &'t str)> {
    let k = kinds();
    let mut out = Vec::new();
    for n in preorder(body) {
        let kind = n.kind_id();
        let (left, right) = if kind == k.short_var_declaration || kind == k.assignment_statement {
            (
                n.child_by_field_id(k.f_left),
                n.child_by_field_id(k.f_right),
            )
        } else if kind == k.var_spec {
            (
                n.child_by_field_id(k.f_name).map(|_| n),
                n.child_by_field_id(k.f_value),
            )
        } else {
            continue;
        };
        let (Some(left), Some(right)) = (left, right) else {
            continue;
        };
        let names: Vec<Node> = if kind == k.var_spec {
            crate::tree::field_children(left, k.f_name)
        } else {
            let mut c = left.walk();
            left.named_children(&mut c).collect()
        };
        let mut c = right.walk();
        let values: Vec<Node> = right.named_children(&mut c).collect();
        for (name, value) in names.iter().zip(&values) {
            if name.kind_id() != k.identifier {
                continue;
            }
            for (operand, m) in unlocked_by_value(*value, src) {
                out.push((text(src, *name), operand, m));
            }
        }
    }
    out
}

/// The loop that releases every lock taken by `stmt` (locking `mu`, as written, with the
/// unlock method `unlock`) inside `for _, a := range xs`: a later `for _, b := range xs` over
/// the same slice, in the same block, whose body calls `b.<same field>.Unlock()` as one of its
/// own statements and never leaves the loop early (no `break`, `continue`, `goto` or
/// `return`). Its range clause is where the locks are released.
pub fn loop_release<'t>(stmt: Node<'t>, mu: &str, unlock: &str, src: &'t str) -> Option<Node<'t>> {
    let k = kinds();
    let mut cur = stmt.parent();
    let for_stmt = loop {
        let p = cur?;
        if super::is_function(k, p.kind_id()) {
            return None;
        }
        if p.kind_id() == k.for_statement {
            break p;
        }
        cur = p.parent();
    };
    let (var, xs) = range_of(for_stmt, src)?;
    let field = mu.strip_prefix(var)?.strip_prefix('.')?;
    let mut next = for_stmt.next_named_sibling();
    while let Some(s) = next {
        next = s.next_named_sibling();
        let Some((var2, _)) = range_of(s, src).filter(|(_, x)| *x == xs) else {
            continue;
        };
        let want = format!("{var2}.{field}.{unlock}()");
        if unlocks_every_time(s, &want, src) {
            return range_clause(s);
        }
    }
    None
}

/// The range clause of a `for` statement.
fn range_clause(for_stmt: Node) -> Option<Node> {
    let k = kinds();
    let mut c = for_stmt.walk();
    let found = for_stmt
        .named_children(&mut c)
        .find(|n| n.kind_id() == k.range_clause);
    found
}

/// `for _, a := range xs`: the element variable and the ranged expression, as written.
fn range_of<'t>(for_stmt: Node<'t>, src: &'t str) -> Option<(&'t str, &'t str)> {
    let k = kinds();
    if for_stmt.kind_id() != k.for_statement {
        return None;
    }
    let clause = range_clause(for_stmt)?;
    let left = clause.child_by_field_id(k.f_left)?;
    let right = clause.child_by_field_id(k.f_right)?;
    let mut c = left.walk();
    let var = left.named_children(&mut c).last()?;
    (var.kind_id() == k.identifier).then(|| (text(src, var), text(src, right)))
}

/// Whether a loop's body runs `call` (as written) as one of its own statements on every
/// iteration: nothing in it jumps out of or over the rest of the body.
fn unlocks_every_time(for_stmt: Node, call: &str, src: &str) -> bool {
    let k = kinds();
    let Some(body) = for_stmt.child_by_field_id(k.f_body) else {
        return false;
    };
    let mut c = body.walk();
    let mut stmts: Vec<Node> = body.named_children(&mut c).collect();
    if let [list] = stmts[..] {
        if list.kind_id() == k.statement_list {
            let mut c = list.walk();
            stmts = list.named_children(&mut c).collect();
        }
    }
    let direct = stmts
        .iter()
        .any(|s| s.kind_id() == k.expression_statement && text(src, *s).trim() == call);
    let literal = k.func_literal;
    let jumps = body
        .preorder_pruned(move |n| n.kind_id() == literal)
        .any(|n| {
            let kind = n.kind_id();
            kind == k.break_statement
                || kind == k.continue_statement
                || kind == k.goto_statement
                || kind == k.return_statement
        });
    direct && !jumps
}

/// The value cached for declaration `f`, made by `make` on first use.
fn memo<V>(cache: &RefCell<HashMap<usize, Rc<V>>>, f: usize, make: impl FnOnce() -> V) -> Rc<V> {
    if let Some(v) = cache.borrow().get(&f) {
        return v.clone();
    }
    let v = Rc::new(make());
    cache.borrow_mut().insert(f, v.clone());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::SyntaxTree;

    #[test]
    fn only_lock_methods_count_as_lock_calls() {
        for t in [
            "s.mu.Lock()",
            "c.L.Lock()",
            "mu.RLock()",
            "defer mu.Unlock()",
            "m.RUnlock()",
        ] {
            assert!(calls_lock_method(t), "{t}");
        }
        for t in [
            "b.Block()",
            "clock()",
            "v.Block().Func",
            "lock(&sched.lock)",
            "mu.Unlock",
        ] {
            assert!(!calls_lock_method(t), "{t}");
        }
    }

    /// Runs `f` on the package made of `files` (each a Go file without its package clause).
    fn with_pkg<T>(files: &[&str], f: impl FnOnce(&[Src]) -> T) -> T {
        let texts: Vec<String> = files
            .iter()
            .map(|b| format!("package p\n\nimport \"sync\"\n\nvar _ sync.Mutex\n\n{b}"))
            .collect();
        let trees: Vec<SyntaxTree> = texts.iter().map(|t| SyntaxTree::parse(t)).collect();
        let srcs: Vec<Src> = texts
            .iter()
            .zip(&trees)
            .map(|(text, t)| Src {
                text,
                root: t.root_node(),
            })
            .collect();
        f(&srcs)
    }

    /// The summary of the function named `name` (`Type.method` for a method), in words.
    fn summary(files: &[&str], name: &str) -> Vec<String> {
        with_pkg(files, |srcs| {
            let pkg = Pkg::index(srcs);
            let f = (0..pkg.funcs.len())
                .find(|&i| pkg.display_name(i) == name)
                .expect("the function is declared");
            pkg.summarise(vec![f], 1);
            let s = pkg.summaries.borrow().get(&f).cloned().unwrap_or_default();
            s.describe(&pkg.funcs[f])
        })
    }

    /// The package's model, reduced to its double locks (`unit: path`) and order edges
    /// (`first -> second`).
    fn facts(files: &[&str]) -> (Vec<String>, Vec<String>) {
        with_pkg(files, |srcs| {
            let m = analyse(srcs);
            let doubles = m
                .doubles
                .iter()
                .map(|d| format!("{}: {}", d.unit, d.again.path))
                .collect();
            let edges = m
                .edges
                .iter()
                .map(|e| format!("{} -> {}", e.first.path, e.second.path))
                .collect();
            (doubles, edges)
        })
    }

    const STORE: &str = "type Store struct { mu sync.Mutex; m map[string]int }

func (s *Store) remove(k string, lock bool) {
	if lock {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	delete(s.m, k)
}

func (s *Store) evict(k string, locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	delete(s.m, k)
}

func (s *Store) removeAll(ks []string, lock bool) {
	for _, k := range ks {
		s.remove(k, lock)
	}
}
";

    #[test]
    fn a_lock_under_a_parameter_is_acquired_when_the_parameter_says_so() {
        assert_eq!(
            summary(&[STORE], "Store.remove"),
            ["acquires s.mu when lock == true"]
        );
        assert_eq!(
            summary(&[STORE], "Store.evict"),
            ["acquires s.mu when locked == false"]
        );
    }

    #[test]
    fn a_parameter_passed_on_carries_the_callee_condition() {
        assert_eq!(
            summary(&[STORE], "Store.removeAll"),
            ["acquires s.mu when lock == true"]
        );
    }

    #[test]
    fn a_constant_argument_decides_the_callee_condition() {
        let holds = |arg: &str| {
            format!(
                "func (s *Store) Clear(ks []string) {{
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range ks {{
		s.remove(k, {arg})
	}}
}}
"
            )
        };
        assert_eq!(facts(&[STORE, &holds("false")]).0, Vec::<String>::new());
        assert_eq!(facts(&[STORE, &holds("true")]).0, ["Store.Clear: s.mu"]);
        // A local variable decides nothing the model can prove: no double lock.
        let local = "func (s *Store) Reset(ks []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	again := len(ks) == 0
	s.removeAll(ks, again)
}
";
        assert_eq!(facts(&[STORE, local]).0, Vec::<String>::new());
    }

    const TREE: &str = "type Tree struct { rootMu, dirMu sync.Mutex; root *int }

func (t *Tree) makeDir() *int {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	return new(int)
}

func (t *Tree) rootNode(create bool, err error) *int {
	t.rootMu.Lock()
	defer t.rootMu.Unlock()
	if !create || err != nil {
		return nil
	}
	t.root = t.makeDir()
	return t.root
}

func (t *Tree) each(n int, create bool) {
	for i := 0; i < n; i++ {
		if create == false {
			continue
		}
		t.makeDir()
	}
}
";

    #[test]
    fn an_early_exit_on_a_parameter_conditions_what_follows() {
        assert_eq!(
            summary(&[TREE], "Tree.rootNode"),
            ["acquires t.rootMu", "acquires t.dirMu when create == true"]
        );
        assert_eq!(
            summary(&[TREE], "Tree.each"),
            ["acquires t.dirMu when create == true"]
        );
    }

    #[test]
    fn a_call_whose_callee_releases_the_caller_lock_is_recorded() {
        let group = "type Group struct { mu sync.Mutex; m map[string]int }

func (g *Group) Do(k string) int {
	g.mu.Lock()
	if v, ok := g.m[k]; ok {
		g.mu.Unlock()
		return v
	}
	return g.start(k)
}

func (g *Group) start(k string) int {
	g.m[k] = 1
	g.mu.Unlock()
	return 1
}
";
        assert_eq!(summary(&[group], "Group.start"), ["releases g.mu"]);
        let calls: Vec<String> = with_pkg(&[group], |srcs| {
            let m = analyse(srcs);
            m.call_releases
                .iter()
                .map(|(f, at, path)| {
                    let call = &srcs[*f].text[*at..];
                    format!("{} releases {path}", &call[..call.find(')').unwrap() + 1])
                })
                .collect()
        });
        assert_eq!(calls, ["g.start(k) releases g.mu"]);
    }

    #[test]
    fn a_chain_back_into_the_holder_is_recursion_not_a_proved_double_lock() {
        let token = "type Client struct { mu sync.Mutex; token string }

func (c *Client) getToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == \"\" {
		c.token = c.call(map[string]string{\"token\": \"*\"})
	}
	return c.token
}

func (c *Client) call(p map[string]string) string {
	if _, ok := p[\"token\"]; !ok {
		return c.getToken()
	}
	return p[\"token\"]
}

func (c *Client) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
}

func (c *Client) clear() {
	c.mu.Lock()
	c.token = \"\"
	c.mu.Unlock()
}
";
        assert_eq!(summary(&[token], "Client.call"), ["acquires c.mu"]);
        assert_eq!(facts(&[token]).0, ["Client.reset: c.mu"]);
    }

    const CLIENT: &str = "type Server struct { mu sync.Mutex; clients map[*Client]bool }

type Client struct { mu sync.Mutex; srv *Server }

func (c *Client) handshake(fail bool) {
	c.mu.Unlock()
	if fail {
		c.srv.mu.Lock()
		delete(c.srv.clients, c)
		c.srv.mu.Unlock()
	}
	c.mu.Lock()
}

func (s *Server) create(c *Client) {
	c.mu.Lock()
	c.handshake(true)
	c.mu.Unlock()
}
";

    #[test]
    fn a_callee_that_releases_the_caller_lock_takes_the_other_without_it() {
        assert_eq!(
            summary(&[CLIENT], "Client.handshake"),
            [
                "acquires c.srv.mu when fail == true after releasing c.mu",
                "releases c.mu",
                "leaves c.mu held",
            ]
        );
        let (doubles, edges) = facts(&[CLIENT]);
        assert_eq!((doubles, edges), (Vec::new(), Vec::new()));
    }

    #[test]
    fn a_callee_that_keeps_the_caller_lock_orders_the_two() {
        let keeps = CLIENT.replace("\tc.mu.Unlock()\n\tif fail", "\tif fail");
        let keeps = keeps.replace("\t}\n\tc.mu.Lock()\n}", "\t}\n}");
        assert_eq!(
            summary(&[&keeps], "Client.handshake"),
            ["acquires c.srv.mu when fail == true"]
        );
        assert_eq!(facts(&[&keeps]).1, ["c.mu -> c.srv.mu"]);
        // An argument the model cannot evaluate leaves the order possible, not proven.
        let undecided = keeps.replace("c.handshake(true)", "c.handshake(c.srv == nil)");
        assert_eq!(facts(&[&undecided]).1, Vec::<String>::new());
        let never = keeps.replace("c.handshake(true)", "c.handshake(false)");
        assert_eq!(facts(&[&never]).1, Vec::<String>::new());
    }

    #[test]
    fn unlocks_through_function_values_release() {
        let values = "var mu sync.RWMutex

func work() {}

func once() {
	mu.Lock()
	unlock := sync.OnceFunc(mu.Unlock)
	defer unlock()
	unlock()
	mu.RLock()
	defer mu.RUnlock()
}

func method() {
	mu.Lock()
	unlock := mu.Unlock
	unlock()
	mu.Lock()
	mu.Unlock()
}

func closure() {
	mu.Lock()
	release := func() { mu.Unlock() }
	release()
	mu.Lock()
	mu.Unlock()
}

func kept() {
	mu.Lock()
	unlock := sync.OnceFunc(mu.Unlock)
	defer unlock()
	mu.RLock()
}
";
        assert_eq!(facts(&[values]).0, ["kept: mu"]);
        // A helper that only releases through a value says so in its summary.
        let helper = "var mu sync.Mutex\n\nfunc done() {\n\tunlock := mu.Unlock\n\tunlock()\n}\n";
        assert_eq!(summary(&[helper], "done"), ["releases mu"]);
    }

    #[test]
    fn a_lock_handed_to_a_goroutine_is_no_longer_held() {
        let handoff = "var mu sync.Mutex

func handoff(wg *sync.WaitGroup) {
	mu.Lock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Unlock()
	}()
	wg.Wait()
	mu.Lock()
	mu.Unlock()
}
";
        assert_eq!(facts(&[handoff]).0, Vec::<String>::new());
    }

    #[test]
    fn two_values_of_one_type_are_two_locks() {
        let accounts = "type Account struct { mu sync.Mutex; n int }

func (a *Account) add(d int) {
	a.mu.Lock()
	a.n += d
	a.mu.Unlock()
}

func transfer(from, to *Account, d int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.add(d)
	from.n -= d
}
";
        assert_eq!(summary(&[accounts], "Account.add"), ["acquires a.mu"]);
        assert_eq!(facts(&[accounts]), (Vec::new(), Vec::new()));
    }

    #[test]
    fn summaries_follow_a_chain_and_stop_at_cycles_and_the_depth_bound() {
        let chain = "var mu sync.Mutex

func f0() { f1() }
func f1() { f2() }
func f2() { f3() }
func f3() { f4() }
func f4() { f5() }
func f5() { mu.Lock(); mu.Unlock() }

func ping() { mu.Lock(); mu.Unlock(); pong() }
func pong() { ping() }
";
        assert_eq!(summary(&[chain], "f2"), ["acquires mu"]);
        // f0 is six calls from the lock: past MAX_CALL_DEPTH.
        assert_eq!(summary(&[chain], "f0"), Vec::<String>::new());
        assert_eq!(summary(&[chain], "pong"), ["acquires mu"]);
    }

    /// The release loop of the lock statement on `line` (1-based) of `body`, as its line.
    fn release_line(body: &str, line: usize) -> Option<usize> {
        let text = format!("package p\n\n{body}");
        let tree = SyntaxTree::parse(&text);
        let k = kinds();
        let stmt = preorder(tree.root_node()).find(|n| {
            n.kind_id() == k.expression_statement && n.start_position().row + 1 == line + 2
        })?;
        let mu = text
            .get(stmt.byte_range())?
            .trim()
            .trim_end_matches(".Lock()");
        loop_release(stmt, mu, "Unlock", &text).map(|n| n.start_position().row + 1 - 2)
    }

    #[test]
    fn a_second_loop_over_the_same_slice_releases_every_lock() {
        let freeze = "func freeze(accs []*Account) {
	for _, a := range accs {
		a.mu.Lock()
	}
	for _, b := range accs {
		b.mu.Unlock()
	}
}
";
        assert_eq!(release_line(freeze, 3), Some(5));
        let first = freeze.replace("b.mu.Unlock()", "b.mu.Unlock()\n\t\tbreak");
        assert_eq!(release_line(&first, 3), None);
        let other = freeze.replace("range accs {\n\t\tb", "range others {\n\t\tb");
        assert_eq!(release_line(&other, 3), None);
        let field = freeze.replace("b.mu.Unlock()", "b.other.Unlock()");
        assert_eq!(release_line(&field, 3), None);
    }

    #[test]
    fn the_element_type_of_a_map_or_slice_type() {
        assert_eq!(elem_type("map[string]*Plugin").as_deref(), Some("Plugin"));
        assert_eq!(elem_type("[]*pkg.Conn").as_deref(), Some("pkg.Conn"));
        assert_eq!(elem_type("map[key[int]]Value[T]").as_deref(), Some("Value"));
        assert_eq!(elem_type("[4]int").as_deref(), Some("int"));
        assert_eq!(elem_type("*Plugin"), None);
        assert_eq!(elem_type("map[string]map[string]int"), None);
    }

    /// The classes of the package's channel and cond operations, as `kind target held`.
    fn ops(files: &[&str]) -> Vec<String> {
        with_pkg(files, |srcs| {
            let m = analyse(srcs);
            m.ops
                .iter()
                .map(|o| {
                    let held: Vec<&str> = o.held.iter().map(|h| h.path.as_str()).collect();
                    let target = o.target.as_deref().unwrap_or("?");
                    format!("{:?} {target} [{}]", o.kind, held.join(","))
                })
                .collect()
        })
    }

    #[test]
    fn range_values_and_map_lookups_have_the_element_type() {
        let src = "type Sub struct{ out chan string }

type Bus struct {
	mu   sync.Mutex
	subs map[int]*Sub
	list []*Sub
}

func (b *Bus) publish(m string) {
	b.mu.Lock()
	for _, s := range b.list {
		s.out <- m
	}
	b.mu.Unlock()
}

func (b *Bus) drop(id int) {
	b.mu.Lock()
	if s, ok := b.subs[id]; ok {
		close(s.out)
	}
	b.mu.Unlock()
}
";
        assert_eq!(ops(&[src]), ["Send Sub.out [b.mu]", "Close Sub.out [b.mu]"]);
    }

    #[test]
    fn operations_of_units_that_take_no_lock_are_known_as_wakers() {
        let src = "type P struct {
	mu sync.Mutex
	q  chan int
}

func (p *P) push(v int) {
	p.mu.Lock()
	p.q <- v
	p.mu.Unlock()
}

func (p *P) read() int { return <-p.q }
";
        assert_eq!(ops(&[src]), ["Send P.q [p.mu]", "Recv P.q []"]);
    }

    #[test]
    fn a_goroutine_literal_knows_the_go_statement_that_starts_it() {
        let src = "func check(mu *sync.Mutex) {
	done := make(chan bool)
	go func() {
		mu.Lock()
		done <- true
		mu.Unlock()
	}()
	<-done
}
";
        with_pkg(&[src], |srcs| {
            let m = analyse(srcs);
            let go_at = srcs[0].text.find("go func").unwrap();
            assert_eq!(m.units[1].started_by, Some((0, go_at)));
            assert_eq!(m.units[0].started_by, None);
        });
    }

    #[test]
    fn a_cond_wait_used_as_a_value_is_recorded() {
        let src = "type N struct {
	mu   sync.Mutex
	cond *sync.Cond
	wg   sync.WaitGroup
}

func run(f func()) { go f() }

func (n *N) once() {
	n.mu.Lock()
	run(n.cond.Wait)
	run(n.wg.Wait)
	n.cond.Wait()
	n.mu.Unlock()
}
";
        with_pkg(&[src], |srcs| {
            let m = analyse(srcs);
            let found: Vec<&str> = m.wait_values.iter().map(|w| w.2.as_str()).collect();
            assert_eq!(found, ["n.cond"]);
        });
    }

    #[test]
    fn fmt_calls_the_string_method_of_an_argument() {
        let src = "type R struct {
	mu    sync.RWMutex
	names []string
}

func (r *R) String() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return \"\"
}

func (r *R) add() {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Printf(\"%v\", r)
}

func (r *R) show() {
	fmt.Println(len(r.names))
}
";
        assert_eq!(facts(&[src]).0, ["R.add: r.mu"]);
    }

    #[test]
    fn locals_are_typed_from_fields_lookups_and_method_results() {
        let src = "type Item struct { mu sync.Mutex }

type Pool struct {
	mu    sync.Mutex
	items map[string]*Item
	first *Item
}

func (p *Pool) pick() *Item { return p.first }

func (p *Pool) a(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it := p.items[k]
	it.mu.Lock()
	it.mu.Unlock()
	f := p.first
	f.mu.Lock()
	f.mu.Unlock()
	m := p.pick()
	m.mu.Lock()
	m.mu.Unlock()
}
";
        with_pkg(&[src], |srcs| {
            let m = analyse(srcs);
            let classes: Vec<String> = m
                .edges
                .iter()
                .map(|e| format!("{} {}", e.second.path, e.second.class.clone().unwrap()))
                .collect();
            assert_eq!(classes, ["it.mu Item.mu", "f.mu Item.mu", "m.mu Item.mu"]);
        });
    }

    #[test]
    fn a_field_of_anonymous_struct_type_is_a_struct_of_its_own() {
        let src = "type Node struct { mu sync.Mutex }

type Store struct {
	mu struct {
		sync.Mutex
		nodes map[int]*Node
	}
}

func (s *Store) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.mu.nodes {
		n.mu.Lock()
		n.mu.Unlock()
	}
}
";
        assert_eq!(facts(&[src]).1, ["s.mu.Mutex -> n.mu"]);
    }

    #[test]
    fn a_callee_that_releases_and_retakes_the_caller_lock_takes_it_again() {
        let src = "type S struct { mu sync.Mutex; busy bool }

func (s *S) wait() {
	s.mu.Unlock()
	s.mu.Lock()
}

func (s *S) waitLoop() {
	for s.busy {
		s.mu.Unlock()
		s.mu.Lock()
	}
}
";
        assert_eq!(
            summary(&[src], "S.wait"),
            ["releases s.mu", "leaves s.mu held"]
        );
        assert_eq!(
            summary(&[src], "S.waitLoop"),
            ["releases s.mu", "leaves s.mu held"]
        );
    }

    #[test]
    fn an_interface_call_reaches_the_one_type_that_implements_it() {
        let src = "type L interface { Changed() }

type H struct { mu sync.Mutex; ls []L }

type a struct { h *H }

func (x a) Changed() { x.h.get() }

func (h *H) get() { h.mu.Lock(); h.mu.Unlock() }

func (h *H) bump() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range h.ls {
		l.Changed()
	}
}
";
        assert_eq!(facts(&[src]).0, ["H.bump: h.mu"]);
        let two = format!("{src}\ntype b struct{{}}\n\nfunc (b) Changed() {{}}\n");
        assert!(facts(&[two.as_str()]).0.is_empty());
    }

    #[test]
    fn a_back_pointer_of_an_element_is_its_parent_and_a_parameter_is_not() {
        let src = "type S struct { mu sync.Mutex; nodes []*N }

type N struct { s *S }

func (s *S) get() { s.mu.Lock(); s.mu.Unlock() }

func (s *S) walk(other *N) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nodes {
		n.s.get()
	}
	other.s.get()
}
";
        assert_eq!(facts(&[src]).0, ["S.walk: s.mu"]);
    }
}
