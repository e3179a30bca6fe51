//! Where an acquired resource goes: for each statement, whether it releases the resource, hands
//! it over (returned, stored in a field, sent on a channel, given to a function that takes it),
//! or reassigns its variable; then a forward dataflow over the function's control-flow graph that
//! finds the exits a live resource reaches.
//!
//! A resource is *pending* between its acquisition and the check of its error: on the branch
//! where that error is non-nil (or the resource itself is nil) it never existed, so the
//! acquisition's own error branch is not a leak.

use super::resources::{Acquisition, Env, FileFacts, Kind};
use crate::analysis::cfg::{BlockId, Cfg, Exit, Guard, ENTRY};
use crate::analysis::is_function;
use crate::fxhash::HashMap;
use crate::tree::preorder;
use crate::tree::Node;

/// One acquisition bound to a local variable (or discarded).
#[derive(Debug, Clone)]
pub struct Resource<'t> {
    pub kind: Kind,
    pub call: Node<'t>,
    /// The graph node (statement) holding the call.
    pub stmt: Node<'t>,
    /// The variable holding it; `None` when the result is discarded.
    pub var: Option<&'t str>,
    pub err: Option<&'t str>,
    /// The variable and its local aliases (`body := resp.Body`).
    pub names: Vec<&'t str>,
    /// Local closures that release it when called (`closer := func() { f.Close() }`).
    pub closers: Vec<&'t str>,
    /// Where a `:=` variable is visible (its block); statements outside name another variable.
    pub scope: Option<Node<'t>>,
}

/// Where a live resource leaves the function.
#[derive(Debug, Clone, Copy)]
pub enum LeakAt<'t> {
    Exit(Exit<'t>, bool),
    /// Its variable is given another acquisition while it is still open.
    Overwritten(Node<'t>),
    /// The acquisition runs again (next loop iteration) while the previous one is open.
    Again(Node<'t>),
}

const UNSET: u8 = 1;
const PENDING: u8 = 2;
const LIVE: u8 = 4;
const DEAD: u8 = 8;
/// A release of the variable was deferred before the acquisition.
const ARMED: u8 = 16;
const OPEN: u8 = PENDING | LIVE;

/// The state after a release or hand-over: whatever was open is gone.
fn kill(s: u8) -> u8 {
    (s & (UNSET | ARMED)) | if s & (OPEN | DEAD) != 0 { DEAD } else { 0 }
}

/// What one statement does to one resource.
#[derive(Debug, Default, Clone, Copy)]
struct Effect {
    gone: bool,
    /// A `defer` that releases: registered before the acquisition, it still runs at return.
    deferred: bool,
    err_assigned: bool,
    overwritten: Option<bool>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Occ {
    Use,
    Escape,
    Release,
}

/// The analysis of one function body.
pub struct LeakFlow<'a, 't> {
    pub facts: &'a FileFacts<'t>,
    pub env: &'a Env<'t>,
    pub cfg: &'a Cfg<'t>,
    /// The function node (declaration or literal) the graph belongs to.
    pub func: Node<'t>,
    pub index: HashMap<usize, (BlockId, usize)>,
}

impl<'a, 't> LeakFlow<'a, 't> {
    pub fn new(
        facts: &'a FileFacts<'t>,
        env: &'a Env<'t>,
        cfg: &'a Cfg<'t>,
        func: Node<'t>,
    ) -> Self {
        let mut index = HashMap::default();
        for (b, block) in cfg.blocks.iter().enumerate() {
            for (i, n) in block.nodes.iter().enumerate() {
                index.insert(n.id(), (b, i));
            }
        }
        LeakFlow {
            facts,
            env,
            cfg,
            func,
            index,
        }
    }

    /// The graph node holding `n`: its nearest ancestor that is a node of the graph.
    pub fn stmt_of(&self, n: Node<'t>) -> Option<Node<'t>> {
        let mut cur = Some(n);
        while let Some(c) = cur {
            if self.index.contains_key(&c.id()) {
                return Some(c);
            }
            if c.id() == self.func.id() {
                return None;
            }
            cur = c.parent();
        }
        None
    }

    /// Binds an acquisition to its variable: `x, err := f()`, `x, err = f()`, `var x, err = f()`,
    /// or a discarded call statement. `None` when the resource is returned, stored outside the
    /// function or passed straight on.
    pub fn resource(&self, call: Node<'t>, acq: &Acquisition) -> Option<Resource<'t>> {
        let k = self.facts.k;
        let stmt = self.stmt_of(call)?;
        let parent = call.parent()?;
        let (var, err) = if parent.kind_id() == k.expression_statement {
            (None, None)
        } else if parent.kind_id() == k.expression_list {
            let decl = parent.parent()?;
            let lhs = self.left_of(decl, parent)?;
            if parent.named_child_count() != 1 {
                return None;
            }
            let var = self.bound(lhs.get(acq.result).copied()?)?;
            let err = acq
                .err
                .and_then(|i| lhs.get(i).copied())
                .map(|n| self.facts.text(n))
                .filter(|e| *e != "_");
            (var, err)
        } else {
            return None;
        };
        let names = var.map(|v| self.aliases(v, acq.kind)).unwrap_or_default();
        let mut r = Resource {
            kind: acq.kind,
            call,
            stmt,
            var,
            err,
            names,
            closers: Vec::new(),
            scope: self.scope(stmt),
        };
        r.closers = self.closers(&r);
        Some(r)
    }

    /// The block (or `if`/`for`/`switch` statement, for an initializer) a `:=` declares in.
    fn scope(&self, stmt: Node<'t>) -> Option<Node<'t>> {
        let k = self.facts.k;
        if stmt.kind_id() != k.short_var_declaration {
            return None;
        }
        let mut cur = stmt.parent();
        while let Some(c) = cur {
            let kind = c.kind_id();
            if kind == k.block
                || kind == k.if_statement
                || kind == k.for_statement
                || kind == k.expression_switch_statement
                || kind == k.type_switch_statement
                || kind == k.expression_case
                || kind == k.type_case
                || kind == k.default_case
                || kind == k.communication_case
            {
                return Some(c);
            }
            cur = c.parent();
        }
        None
    }

    /// The left-hand names of the declaration or assignment whose right side is `right`.
    fn left_of(&self, decl: Node<'t>, right: Node<'t>) -> Option<Vec<Node<'t>>> {
        let k = self.facts.k;
        let kind = decl.kind_id();
        let left = if kind == k.short_var_declaration || kind == k.assignment_statement {
            if decl.child_by_field_id(k.f_right)?.id() != right.id() {
                return None;
            }
            let left = decl.child_by_field_id(k.f_left)?;
            let mut c = left.walk();
            left.named_children(&mut c).collect()
        } else if kind == k.var_spec {
            crate::tree::field_children(decl, k.f_name)
        } else {
            return None;
        };
        Some(left)
    }

    /// `Some(Some(name))` for a local variable, `Some(None)` for `_`, `None` for anything that
    /// stores the resource beyond the function (a field, a map, a package variable).
    fn bound(&self, lhs: Node<'t>) -> Option<Option<&'t str>> {
        if lhs.kind_id() != self.facts.k.identifier {
            return None;
        }
        let name = self.facts.text(lhs);
        if name == "_" {
            return Some(None);
        }
        let local = self.env.vars.contains_key(name) && self.declared_here(name, lhs);
        local.then_some(Some(name))
    }

    /// Whether `name` belongs to this function: always for a declaration; in a function
    /// literal, an assignment to a variable of the enclosing function stores the resource there.
    fn declared_here(&self, name: &str, lhs: Node<'t>) -> bool {
        let k = self.facts.k;
        if self.func.kind_id() != k.func_literal {
            return true;
        }
        if lhs
            .parent()
            .and_then(|l| l.parent())
            .is_some_and(|d| d.kind_id() == k.short_var_declaration)
        {
            return true;
        }
        preorder(self.func).any(|n| {
            let kind = n.kind_id();
            let declares = kind == k.short_var_declaration
                || kind == k.var_spec
                || kind == k.parameter_declaration
                || kind == k.variadic_parameter_declaration;
            declares && {
                let names = if kind == k.short_var_declaration {
                    n.child_by_field_id(k.f_left)
                        .map(|l| self.facts.text(l))
                        .unwrap_or("")
                        .to_string()
                } else {
                    self.facts.names(n).join(",")
                };
                names.split(',').any(|x| x.trim() == name)
            }
        })
    }

    /// The variable and the locals it is copied to (`body := resp.Body`, `f2 := f`).
    fn aliases(&self, var: &'t str, kind: Kind) -> Vec<&'t str> {
        let k = self.facts.k;
        let mut names = vec![var];
        for n in preorder(self.func) {
            if n.kind_id() != k.short_var_declaration && n.kind_id() != k.assignment_statement {
                continue;
            }
            let (Some(l), Some(r)) = (
                n.child_by_field_id(k.f_left),
                n.child_by_field_id(k.f_right),
            ) else {
                continue;
            };
            if l.named_child_count() != 1 || r.named_child_count() != 1 {
                continue;
            }
            let (Some(l), Some(r)) = (l.named_child(0), r.named_child(0)) else {
                continue;
            };
            let rt = self.facts.text(r);
            let is_copy = rt == var || (kind == Kind::Response && rt == format!("{var}.Body"));
            if is_copy
                && l.kind_id() == k.identifier
                && self.env.vars.contains_key(self.facts.text(l))
            {
                names.push(self.facts.text(l));
            }
        }
        names
    }

    /// Local closures whose body releases the resource.
    fn closers(&self, r: &Resource<'t>) -> Vec<&'t str> {
        self.env
            .closures
            .iter()
            .filter(|(_, lit)| {
                lit.child_by_field_id(self.facts.k.f_body)
                    .is_some_and(|b| self.scan(b, r, &r.names, false) == Occ::Release)
            })
            .map(|(name, _)| *name)
            .collect()
    }

    /// Runs the dataflow for one resource and returns where it leaks, in source order.
    pub fn leaks(&self, r: &Resource<'t>) -> Vec<LeakAt<'t>> {
        let effects = self.effects(r);
        let n = self.cfg.blocks.len();
        let mut entry = vec![0u8; n];
        entry[ENTRY] = UNSET;
        let mut work = vec![ENTRY];
        while let Some(b) = work.pop() {
            let out = self.through(b, entry[b], r, &effects, &mut Vec::new());
            for e in &self.cfg.blocks[b].succs {
                let s = self.guard(out, e.guard, r);
                if s & !entry[e.to] != 0 {
                    entry[e.to] |= s;
                    work.push(e.to);
                }
            }
        }
        let mut leaks = Vec::new();
        for (b, &state) in entry.iter().enumerate() {
            if state != 0 {
                self.through(b, state, r, &effects, &mut leaks);
            }
        }
        leaks.sort_by_key(|l| match l {
            LeakAt::Exit(Exit::Return(n) | Exit::End(n) | Exit::NoReturn(n), _) => n.end_byte(),
            LeakAt::Overwritten(n) | LeakAt::Again(n) => n.start_byte(),
        });
        leaks
    }

    fn effects(&self, r: &Resource<'t>) -> Vec<Vec<Effect>> {
        self.cfg
            .blocks
            .iter()
            .map(|b| b.nodes.iter().map(|&n| self.effect(n, r)).collect())
            .collect()
    }

    /// The state after block `b`, recording leaks at its exit or inside it.
    fn through(
        &self,
        b: BlockId,
        mut s: u8,
        r: &Resource<'t>,
        effects: &[Vec<Effect>],
        leaks: &mut Vec<LeakAt<'t>>,
    ) -> u8 {
        let block = &self.cfg.blocks[b];
        for (i, &node) in block.nodes.iter().enumerate() {
            if node.id() == r.stmt.id() {
                if s & OPEN != 0 {
                    leaks.push(LeakAt::Again(node));
                }
                s = if s & ARMED != 0 {
                    DEAD | ARMED
                } else if r.err.is_some() {
                    PENDING
                } else {
                    LIVE
                };
                continue;
            }
            let e = effects[b][i];
            if e.deferred && s & UNSET != 0 {
                s |= ARMED;
            }
            if e.gone {
                s = kill(s);
            } else if let Some(by_acquisition) = e.overwritten {
                if s & OPEN != 0 && by_acquisition {
                    leaks.push(LeakAt::Overwritten(node));
                }
                s = kill(s);
            } else if e.err_assigned && s & PENDING != 0 {
                s = (s & !PENDING) | LIVE;
            }
        }
        if let Some(exit) = block.exit {
            if s & OPEN != 0 && !matches!(exit, Exit::NoReturn(_)) {
                leaks.push(LeakAt::Exit(exit, s & OPEN == LIVE && s & DEAD == 0));
            }
        }
        s
    }

    /// What a branch teaches: on the error branch of the acquisition's own check, or where the
    /// resource is nil, it does not exist; on the other branch it does.
    fn guard(&self, s: u8, guard: Option<Guard<'t>>, r: &Resource<'t>) -> u8 {
        let Some(g) = guard else {
            return s;
        };
        let mut stack = vec![(g.cond, g.value)];
        let mut s = s;
        while let Some((c, value)) = stack.pop() {
            let k = self.facts.k;
            if c.kind_id() == k.parenthesized_expression {
                stack.extend(c.named_child(0).map(|x| (x, value)));
                continue;
            }
            if c.kind_id() != k.binary_expression {
                continue;
            }
            let (Some(l), Some(op), Some(rt)) = (
                c.child_by_field_id(k.f_left),
                c.child_by_field_id(k.f_operator),
                c.child_by_field_id(k.f_right),
            ) else {
                continue;
            };
            let op = self.facts.text(op);
            if (op == "&&" && value) || (op == "||" && !value) {
                stack.push((l, value));
                stack.push((rt, value));
                continue;
            }
            if (op != "==" && op != "!=") || rt.kind_id() != k.nil {
                continue;
            }
            let x = self.facts.text(l);
            let is_err = r.err == Some(x) && s & PENDING != 0;
            let is_var = r.names.contains(&x);
            if !is_err && !is_var {
                continue;
            }
            // `err != nil` true, or `x == nil` true: the resource is absent on this branch.
            let absent = if is_err {
                (op == "!=") == value
            } else {
                (op == "==") == value
            };
            s = if absent {
                (s & !OPEN) | if s & OPEN != 0 { DEAD } else { 0 }
            } else if s & PENDING != 0 {
                (s & !PENDING) | LIVE
            } else {
                s
            };
        }
        s
    }

    /// What statement `n` does to resource `r`.
    fn effect(&self, n: Node<'t>, r: &Resource<'t>) -> Effect {
        let k = self.facts.k;
        let mut e = Effect::default();
        let aliased = r.names.len() > 1;
        if !aliased
            && r.scope
                .is_some_and(|s| n.start_byte() < s.start_byte() || n.end_byte() > s.end_byte())
        {
            return e;
        }
        if let Some(over) = self.assigns(n, r) {
            e.overwritten = Some(over);
        }
        e.err_assigned = r.err.is_some_and(|err| self.assigns_name(n, err));
        if n.kind_id() == k.return_statement
            && n.named_child_count() == 0
            && self.is_named_result(r)
        {
            e.gone = true;
            return e;
        }
        let occ = self.scan(n, r, &r.names, true);
        e.gone = occ != Occ::Use;
        e.deferred = occ == Occ::Release && n.kind_id() == k.defer_statement;
        e
    }

    fn is_named_result(&self, r: &Resource<'t>) -> bool {
        r.var.is_some_and(|var| self.names_a_result(var))
    }

    /// `name` is one of the function's named results.
    fn names_a_result(&self, var: &str) -> bool {
        let k = self.facts.k;
        let Some(result) = self.func.child_by_field_id(k.f_result) else {
            return false;
        };
        if result.kind_id() != k.parameter_list {
            return false;
        }
        let mut c = result.walk();
        let decls: Vec<Node> = result.named_children(&mut c).collect();
        decls
            .into_iter()
            .any(|d| self.facts.names(d).contains(&var))
    }

    /// `Some(by_acquisition)` when `n` assigns a new value to the resource's variable.
    fn assigns(&self, n: Node<'t>, r: &Resource<'t>) -> Option<bool> {
        let var = r.var?;
        if !self.assigns_name(n, var) {
            return None;
        }
        let k = self.facts.k;
        let right = n.child_by_field_id(k.f_right)?;
        let by_acq = right.named_child(0).is_some_and(|c| {
            c.kind_id() == k.call_expression
                && self
                    .facts
                    .acquisition(c, self.env)
                    .is_some_and(|a| a.kind == r.kind)
        });
        Some(by_acq)
    }

    fn assigns_name(&self, n: Node<'t>, name: &str) -> bool {
        let k = self.facts.k;
        let kind = n.kind_id();
        if kind != k.short_var_declaration && kind != k.assignment_statement {
            return false;
        }
        let Some(left) = n.child_by_field_id(k.f_left) else {
            return false;
        };
        let mut c = left.walk();
        let hit = left
            .named_children(&mut c)
            .any(|x| x.kind_id() == k.identifier && self.facts.text(x) == name);
        hit
    }

    /// The strongest thing any mention of `names` (or of a releasing closure) in `n` does.
    fn scan(&self, n: Node<'t>, r: &Resource<'t>, names: &[&'t str], deep: bool) -> Occ {
        let k = self.facts.k;
        let mut best = Occ::Use;
        for id in preorder(n) {
            if id.kind_id() != k.identifier {
                continue;
            }
            let t = self.facts.text(id);
            let occ = if names.contains(&t) {
                self.occurrence(id, n, r.kind, deep)
            } else if r.closers.contains(&t) {
                self.closer_call(id)
            } else {
                continue;
            };
            let occ = self.gate(id, n, occ);
            best = best.max(occ);
            if best == Occ::Release {
                break;
            }
        }
        best
    }

    /// A release inside a function literal counts when the literal runs (deferred, called,
    /// started, handed to a call); a literal stored in a variable releases when called by name.
    fn gate(&self, id: Node<'t>, top: Node<'t>, occ: Occ) -> Occ {
        let k = self.facts.k;
        let mut cur = id.parent();
        while let Some(c) = cur {
            if c.id() == top.id() {
                break;
            }
            if c.kind_id() == k.func_literal {
                if occ == Occ::Use && self.started(c) {
                    // A goroutine that uses the resource owns it from here on.
                    return Occ::Escape;
                }
                if occ != Occ::Release {
                    return occ;
                }
                return if self.stored_locally(c) {
                    Occ::Use
                } else {
                    Occ::Release
                };
            }
            cur = c.parent();
        }
        occ
    }

    /// `go func() { ... }()`.
    fn started(&self, lit: Node<'t>) -> bool {
        let k = self.facts.k;
        lit.parent()
            .filter(|p| p.kind_id() == k.call_expression)
            .and_then(|p| p.parent())
            .is_some_and(|g| g.kind_id() == k.go_statement)
    }

    /// A literal assigned to a local variable or `_` (it runs when called by name, if ever);
    /// one assigned to a field (`c.CheckRedirect = func...`) or to a named result (`cleanup =
    /// func() { f.Close() }`, which the caller gets and calls) is handed over.
    fn stored_locally(&self, lit: Node<'t>) -> bool {
        let k = self.facts.k;
        let Some(list) = lit.parent().filter(|p| p.kind_id() == k.expression_list) else {
            return false;
        };
        let Some(holder) = list.parent() else {
            return false;
        };
        if holder.kind_id() != k.assignment_statement && holder.kind_id() != k.short_var_declaration
        {
            return false;
        }
        let Some(lhs) = self.left_of(holder, list) else {
            return false;
        };
        lhs.get(arg_index(list, lit)).is_some_and(|l| {
            let name = self.facts.text(*l);
            l.kind_id() == k.identifier
                && (name == "_" || self.env.vars.contains_key(name))
                && !self.names_a_result(name)
        })
    }

    /// A mention of a local closure that releases the resource: called or handed to a call, it
    /// releases; returned or stored in a field, map or outer variable, the release goes with it
    /// (the caller or the holder calls it), so the resource is handed over.
    fn closer_call(&self, id: Node<'t>) -> Occ {
        let k = self.facts.k;
        match id.parent() {
            Some(p) if p.kind_id() == k.call_expression || p.kind_id() == k.argument_list => {
                Occ::Release
            }
            Some(p) if p.kind_id() == k.expression_list => self.in_list(p, id),
            Some(p) if self.in_literal(p) => Occ::Escape,
            _ => Occ::Use,
        }
    }

    /// `p` holds a value written into a composite literal (`&Job{Stop: stop}`, `[]func(){stop}`).
    fn in_literal(&self, p: Node<'t>) -> bool {
        let k = self.facts.k;
        [
            k.keyed_element,
            k.literal_element,
            k.literal_value,
            k.composite_literal,
        ]
        .contains(&p.kind_id())
    }

    /// What one mention of the resource's variable does.
    fn occurrence(&self, id: Node<'t>, top: Node<'t>, kind: Kind, deep: bool) -> Occ {
        let k = self.facts.k;
        let Some(parent) = id.parent() else {
            return Occ::Use;
        };
        if kind == Kind::Cancel {
            if parent.kind_id() == k.call_expression {
                return Occ::Release;
            }
            if parent.kind_id() == k.argument_list {
                return Occ::Escape;
            }
            return self.value(id, top, kind, deep);
        }
        if parent.kind_id() == k.selector_expression
            && parent
                .child_by_field_id(k.f_operand)
                .is_some_and(|o| o.id() == id.id())
        {
            let field = parent
                .child_by_field_id(k.f_field)
                .map(|f| self.facts.text(f))
                .unwrap_or("");
            if self.is_release(kind, field) {
                return self.method_value_or_call(parent);
            }
            if kind == Kind::Timer && field == "C" && self.received(parent) {
                // A timer whose channel delivered has fired: nothing is left to stop.
                return Occ::Release;
            }
            if kind == Kind::Response && field == "Body" {
                if let Some(gp) = parent
                    .parent()
                    .filter(|g| g.kind_id() == k.selector_expression)
                {
                    let f = gp
                        .child_by_field_id(k.f_field)
                        .map(|f| self.facts.text(f))
                        .unwrap_or("");
                    return if f == "Close" {
                        self.method_value_or_call(gp)
                    } else {
                        Occ::Use
                    };
                }
                return self.value(parent, top, kind, deep);
            }
            return Occ::Use;
        }
        self.value(id, top, kind, deep)
    }

    /// `<-x` (a receive from `x`).
    fn received(&self, x: Node<'t>) -> bool {
        let k = self.facts.k;
        x.parent().is_some_and(|p| {
            p.kind_id() == k.unary_expression && self.facts.text(p).starts_with("<-")
        })
    }

    fn is_release(&self, kind: Kind, method: &str) -> bool {
        match self.facts.custom.release(kind) {
            Some(m) => m == method,
            None => kind.release_methods().contains(&method),
        }
    }

    /// `x.Close()` or the method value `x.Close` handed to a call (`t.Cleanup(srv.Close)`).
    fn method_value_or_call(&self, sel: Node<'t>) -> Occ {
        let k = self.facts.k;
        match sel.parent() {
            Some(p) if p.kind_id() == k.call_expression || p.kind_id() == k.argument_list => {
                Occ::Release
            }
            _ => Occ::Use,
        }
    }

    /// What the resource as a value (`f`, `&f`, `resp.Body`) does where it appears.
    fn value(&self, v: Node<'t>, top: Node<'t>, kind: Kind, deep: bool) -> Occ {
        let k = self.facts.k;
        let mut v = v;
        while let Some(p) = v.parent().filter(|p| {
            p.id() != top.id()
                && (p.kind_id() == k.parenthesized_expression || p.kind_id() == k.unary_expression)
        }) {
            v = p;
        }
        let Some(p) = v.parent() else {
            return Occ::Use;
        };
        let pk = p.kind_id();
        if pk == k.argument_list {
            let index = arg_index(p, v);
            return match p.parent() {
                Some(call) if deep => self.handoff(call, index, kind),
                Some(call) => self.shallow_handoff(call),
                None => Occ::Use,
            };
        }
        if pk == k.expression_list {
            return self.in_list(p, v);
        }
        if self.in_literal(p) {
            return Occ::Escape;
        }
        if pk == k.send_statement
            && p.child_by_field_id(k.f_value)
                .is_some_and(|x| x.id() == v.id())
        {
            return Occ::Escape;
        }
        Occ::Use
    }

    /// In a `return` list it escapes; on the right of an assignment it escapes into a field,
    /// map, package variable or (from a function literal) a variable of the enclosing function,
    /// and is merely copied into a local.
    fn in_list(&self, list: Node<'t>, v: Node<'t>) -> Occ {
        let k = self.facts.k;
        let Some(holder) = list.parent() else {
            return Occ::Use;
        };
        if holder.kind_id() == k.return_statement {
            return Occ::Escape;
        }
        if holder.kind_id() != k.assignment_statement && holder.kind_id() != k.short_var_declaration
        {
            return Occ::Use;
        }
        if holder
            .child_by_field_id(k.f_right)
            .is_none_or(|r| r.id() != list.id())
        {
            return Occ::Use;
        }
        let Some(lhs) = self.left_of(holder, list) else {
            return Occ::Use;
        };
        match lhs.get(arg_index(list, v)) {
            Some(l) if l.kind_id() == k.identifier => {
                let name = self.facts.text(*l);
                if name == "_" || self.env.vars.contains_key(name) && self.declared_here(name, *l) {
                    Occ::Use
                } else {
                    Occ::Escape
                }
            }
            Some(_) => Occ::Escape,
            None => Occ::Use,
        }
    }

    /// The resource passed as argument `index` of `call`: a visible function is read (does it
    /// release, keep or use its parameter?), the standard library keeps ownership except where
    /// it takes it over, and anything else out of sight is assumed to take it.
    fn handoff(&self, call: Node<'t>, index: usize, kind: Kind) -> Occ {
        let k = self.facts.k;
        if call.parent().is_some_and(|p| p.kind_id() == k.go_statement) {
            return Occ::Escape;
        }
        let Some(mut f) = call.child_by_field_id(k.f_function) else {
            return Occ::Escape;
        };
        while f.kind_id() == k.parenthesized_expression {
            match f.named_child(0) {
                Some(x) => f = x,
                None => return Occ::Escape,
            }
        }
        if f.kind_id() == k.func_literal {
            return self.param_effect(f, index, kind);
        }
        if f.kind_id() == k.identifier {
            let name = self.facts.text(f);
            if let Some(&lit) = self.env.closures.get(name) {
                return self.param_effect(lit, index, kind);
            }
            if let Some(&decl) = self.facts.funcs.get(name) {
                return self.param_effect(decl, index, kind);
            }
            return match name {
                "append" => Occ::Escape,
                "len" | "cap" | "print" | "println" | "copy" | "delete" | "close" | "min"
                | "max" | "clear" => Occ::Use,
                _ => self.out_of_sight(call, name, false, kind),
            };
        }
        match self.shallow_handoff(call) {
            Occ::Escape if f.kind_id() == k.selector_expression => {
                let name = f
                    .child_by_field_id(k.f_field)
                    .map(|x| self.facts.text(x))
                    .unwrap_or("");
                let method = self.facts.stdlib_keeps(f, self.env).is_none();
                self.out_of_sight(call, name, method, kind)
            }
            occ => occ,
        }
    }

    /// A function or method whose body is not in this file. Its name may say it releases
    /// (`closeBody`, `drainAndClose`), and a deferred call given the resource is a cleanup. A call
    /// whose result is dropped or is only an error (`if err := migrate.Up(db); err != nil`) uses
    /// the resource; one whose result is kept may have wrapped it (`NewStore(db)`), so it is
    /// taken over. Methods are trusted to merely use database handles only: a method given a
    /// file or connection often keeps it (`s.track(conn)`).
    fn out_of_sight(&self, call: Node<'t>, name: &str, method: bool, kind: Kind) -> Occ {
        let k = self.facts.k;
        let lower = name.to_ascii_lowercase();
        if RELEASING_NAMES.iter().any(|w| lower.contains(w)) {
            return Occ::Release;
        }
        let Some(parent) = call.parent() else {
            return Occ::Escape;
        };
        if parent.kind_id() == k.defer_statement {
            return Occ::Release;
        }
        let dropped = parent.kind_id() == k.expression_statement || self.only_errors(parent);
        let handle = matches!(
            kind,
            Kind::Db | Kind::Tx | Kind::Rows | Kind::Stmt | Kind::SqlConn
        );
        if dropped && (!method || handle) {
            Occ::Use
        } else {
            Occ::Escape
        }
    }

    /// Whether `list` (holding one call) is the right side of an assignment whose targets are only `_` and errors.
    fn only_errors(&self, list: Node<'t>) -> bool {
        let k = self.facts.k;
        if list.kind_id() != k.expression_list || list.named_child_count() != 1 {
            return false;
        }
        let Some(holder) = list.parent() else {
            return false;
        };
        let Some(lhs) = self.left_of(holder, list) else {
            return false;
        };
        lhs.iter().all(|l| {
            let t = self.facts.text(*l);
            t == "_" || t == "err" || t.ends_with("Err") || t.ends_with("err")
        })
    }

    /// Ownership by the callee's name alone: standard library and assertion helpers keep it.
    fn shallow_handoff(&self, call: Node<'t>) -> Occ {
        let k = self.facts.k;
        let Some(f) = call.child_by_field_id(k.f_function) else {
            return Occ::Escape;
        };
        if f.kind_id() != k.selector_expression {
            return Occ::Escape;
        }
        match self.facts.stdlib_keeps(f, self.env) {
            Some(true) => Occ::Use,
            Some(false) => {
                let path = f
                    .child_by_field_id(k.f_operand)
                    .and_then(|o| self.facts.imports.get(self.facts.text(o)));
                if path.is_some_and(|p| p.contains("testify/")) {
                    Occ::Use
                } else {
                    Occ::Escape
                }
            }
            None => {
                let m = f
                    .child_by_field_id(k.f_field)
                    .map(|x| self.facts.text(x))
                    .unwrap_or("");
                if KEEPING_METHODS.contains(&m) {
                    Occ::Use
                } else {
                    Occ::Escape
                }
            }
        }
    }

    /// What a visible function does with its parameter `index`: releases it (`c.Close()`),
    /// keeps it (returns or stores it) or only uses it.
    fn param_effect(&self, func: Node<'t>, index: usize, kind: Kind) -> Occ {
        let k = self.facts.k;
        let (Some(params), Some(body)) = (
            func.child_by_field_id(k.f_parameters),
            func.child_by_field_id(k.f_body),
        ) else {
            return Occ::Escape;
        };
        let mut names: Vec<&'t str> = Vec::new();
        let mut c = params.walk();
        for d in params.named_children(&mut c) {
            let ns = self.facts.names(d);
            if ns.is_empty() {
                names.push("_");
            } else {
                names.extend(ns);
            }
        }
        let Some(name) = names.get(index).or(names.last()).copied() else {
            return Occ::Use;
        };
        if name == "_" {
            return Occ::Use;
        }
        let probe = Resource {
            kind,
            call: func,
            stmt: func,
            var: Some(name),
            err: None,
            names: vec![name],
            closers: Vec::new(),
            scope: None,
        };
        self.scan(body, &probe, &[name], false)
    }
}

/// Words in a callee's name that say it releases what it is given.
const RELEASING_NAMES: &[&str] = &[
    "close", "release", "cleanup", "drain", "discard", "dispose", "stop", "shutdown",
];

/// Methods that never take ownership of their arguments: logging, printing, writing, assertions.
const KEEPING_METHODS: &[&str] = &[
    "Print",
    "Printf",
    "Println",
    "Log",
    "Logf",
    "Error",
    "Errorf",
    "Fatal",
    "Fatalf",
    "Info",
    "Infof",
    "Debug",
    "Debugf",
    "Warn",
    "Warnf",
    "Warning",
    "Warningf",
    "Write",
    "WriteString",
    "Encode",
    "Decode",
    "Equal",
    "Equalf",
    "NoError",
    "NotNil",
    "Nil",
    "True",
    "False",
    "Len",
    "Contains",
    "Helper",
    "Run",
    "Add",
    "Set",
    "Get",
    "Del",
];

/// The position of `v` among the named children of `list`.
fn arg_index(list: Node, v: Node) -> usize {
    let mut c = list.walk();
    let i = list
        .named_children(&mut c)
        .position(|x| x.id() == v.id())
        .unwrap_or(0);
    i
}

/// The calls of each function's own body (not of its nested literals) that pass `keep`, with
/// the function, functions in pre-order; functions without such calls are left out. Reads the
/// file's function table (`FileContext::functions`), walking nothing.
pub fn own_calls<'t>(
    functions: &[OwnFunction<'t>],
    mut keep: impl FnMut(Node<'t>) -> bool,
) -> Vec<(Node<'t>, Vec<Node<'t>>)> {
    let call = crate::analysis::kinds().call_expression;
    functions
        .iter()
        .filter_map(|f| {
            let calls: Vec<Node<'t>> = f
                .nodes
                .iter()
                .copied()
                .filter(|n| n.kind_id() == call && keep(*n))
                .collect();
            (!calls.is_empty()).then_some((f.node, calls))
        })
        .collect()
}

/// Nodes of a function body in pre-order, not entering nested function literals (they are
/// functions of their own).
pub fn own_nodes<'t>(body: Node<'t>) -> Vec<Node<'t>> {
    let literal = crate::analysis::kinds().func_literal;
    body.preorder_pruned(move |n| n.kind_id() == literal)
        .collect()
}

/// A function of a file (declaration, method or literal) with the nodes of its own body.
pub struct OwnFunction<'t> {
    pub node: Node<'t>,
    pub body: Option<Node<'t>>,
    /// What `own_nodes(body)` returns (empty without a body).
    pub nodes: Vec<Node<'t>>,
}

/// Every function of the file in pre-order with its own nodes. Each node is visited once by
/// the walk for functions and once by the walk of the body it belongs to.
pub fn own_functions(root: Node<'_>) -> Vec<OwnFunction<'_>> {
    let k = crate::analysis::kinds();
    preorder(root)
        .filter(|n| is_function(k, n.kind_id()))
        .map(|node| {
            let body = node.child_by_field_id(k.f_body);
            OwnFunction {
                node,
                body,
                nodes: body.map(own_nodes).unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod own_functions_tests {
    use super::*;

    /// The table holds every function in pre-order with its own nodes, not its literals'.
    #[test]
    fn own_functions_match_functions_and_own_nodes() {
        let src = "package p\n\nfunc f(g func() int) (r int) {\n\tx := func(a int) int {\n\t\treturn a + func() int { return 1 }()\n\t}(2)\n\tgo func() { r = x }()\n\treturn g()\n}\n\nfunc decl()\n\nfunc (t T) m() { defer func() {}() }\n";
        let tree = crate::tree::SyntaxTree::parse(src);
        let root = tree.root_node();
        let k = crate::analysis::kinds();
        let table = own_functions(root);
        let old: Vec<Node> = preorder(root)
            .filter(|n| is_function(k, n.kind_id()))
            .collect();
        assert_eq!(table.len(), old.len());
        assert_eq!(table.len(), 7);
        for (t, f) in table.iter().zip(old) {
            assert_eq!(t.node.id(), f.id());
            let body = f.child_by_field_id(k.f_body);
            let want: Vec<usize> = body
                .map(own_nodes)
                .unwrap_or_default()
                .iter()
                .map(|n| n.id())
                .collect();
            let got: Vec<usize> = t.nodes.iter().map(|n| n.id()).collect();
            assert_eq!(got, want);
        }
        // `f` owns its `go` statement and the literals themselves, not what is inside them.
        let texts = |i: usize| -> Vec<&str> {
            table[i]
                .nodes
                .iter()
                .map(|n| &src[n.byte_range()])
                .collect()
        };
        let f = texts(0);
        assert!(f.contains(&"go func() { r = x }()"));
        assert!(f.contains(&"return g()"));
        assert!(!f.iter().any(|t| *t == "r = x" || *t == "return 1"));
        let literal = texts(1);
        assert!(literal.contains(&"a + func() int { return 1 }()"));
        assert!(!literal.contains(&"return 1"));
        assert!(texts(2).contains(&"return 1"));
    }
}
