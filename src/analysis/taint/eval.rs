//! Expression taint and the sanitizing guards (conditions, allow-list switches).

use super::{call_args, named, Analysis, Sanitized, Taint, ALL, MAX_DEPTH, MAX_ORIGINS, PATH, URL};
use crate::analysis::types::CalleeKind;
use crate::index::{TaintSummary, Ty};
use crate::syntax::kinds::k;
use crate::tree::preorder;
use crate::tree::Node;

/// Results of these types carry no injectable text.
fn inert(t: &Ty) -> bool {
    match t {
        Ty::Named(p, n) => {
            (p.is_empty()
                && (n.starts_with("int")
                    || n.starts_with("uint")
                    || n.starts_with("float")
                    || matches!(&**n, "bool" | "error" | "byte" | "rune" | "complex128")))
                || (&**p == "time" && matches!(&**n, "Duration" | "Time"))
                || &**p == "context"
        }
        _ => false,
    }
}

fn union(mut a: Taint, b: Taint) -> Taint {
    for o in b {
        if a.len() < MAX_ORIGINS && !a.contains(&o) {
            a.push(o);
        }
    }
    a
}

fn clear(mut t: Taint, classes: u8) -> Taint {
    for o in &mut t {
        o.cleared |= classes;
    }
    t
}

impl<'a, 't> Analysis<'a, 't> {
    /// The origins of an expression's value (empty: not tainted).
    pub(super) fn taint(&self, e: Node<'t>, depth: usize) -> Taint {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let k = k();
        let kind = e.kind_id();
        let t = if kind == k.identifier {
            self.ident(e)
        } else if kind == k.selector_expression {
            self.selector(e, depth)
        } else if kind == k.call_expression {
            self.call_taint(e, depth)
        } else if kind == k.binary_expression {
            self.binary(e, depth)
        } else if kind == k.index_expression {
            let operand = e.child_by_field_id(k.f_operand);
            operand
                .map(|o| self.taint(o, depth + 1))
                .unwrap_or_default()
        } else if kind == k.parenthesized_expression
            || kind == k.unary_expression
            || kind == k.slice_expression
            || kind == k.type_assertion_expression
            || kind == k.type_conversion_expression
            || kind == k.composite_literal
            || kind == k.literal_value
            || kind == k.keyed_element
            || kind == k.literal_element
            || kind == k.variadic_argument
            || kind == k.expression_list
        {
            self.children(e, depth)
        } else {
            Vec::new()
        };
        if t.is_empty() {
            return t;
        }
        let cleared = self.sanitized_for(e);
        let mut t = if cleared != 0 { clear(t, cleared) } else { t };
        if !self.cleared_origins.is_empty() {
            let at = e.start_byte();
            for o in &mut t {
                o.cleared |= self.origin_cleared(o, at);
            }
        }
        t
    }

    fn children(&self, e: Node<'t>, depth: usize) -> Taint {
        let k = k();
        let mut out = Vec::new();
        let mut c = e.walk();
        for ch in e.named_children(&mut c) {
            let kind = ch.kind_id();
            if kind == k.func_literal || ch.is_extra() || self.is_type_node(ch) {
                continue;
            }
            out = union(out, self.taint(ch, depth + 1));
        }
        out
    }

    fn is_type_node(&self, n: Node) -> bool {
        let k = k();
        let kind = n.kind_id();
        kind == k.type_identifier
            || kind == k.qualified_type
            || kind == k.pointer_type
            || kind == k.slice_type
            || kind == k.map_type
            || kind == k.array_type
    }

    fn ident(&self, e: Node<'t>) -> Taint {
        let mut out = Vec::new();
        if let Some(id) = self.types.decl_of(e) {
            if let Some(t) = self.state.get(&id.0) {
                out = t.clone();
            }
        }
        union(self.decoded_value(e, self.t(e)), out)
    }

    /// A value of a struct type decoded somewhere in the package.
    fn decoded_value(&self, e: Node<'t>, what: &str) -> Taint {
        if self.decoded.is_empty() {
            return Vec::new();
        }
        let Some(t) = self.types.type_of(e) else {
            return Vec::new();
        };
        let t = t.strip_pointer();
        let Some(how) = self.decoded.get(t) else {
            return Vec::new();
        };
        let name = t
            .named_parts()
            .map(|(_, n)| n.to_string())
            .unwrap_or_default();
        let mut o = self.origin(e, format!("{what} ({name} {how})"), None);
        o.decoded = Some((name, how.clone()));
        vec![o]
    }

    fn selector(&self, e: Node<'t>, depth: usize) -> Taint {
        let k = k();
        let (Some(operand), Some(field)) = (
            e.child_by_field_id(k.f_operand),
            e.child_by_field_id(k.f_field),
        ) else {
            return Vec::new();
        };
        let (o, f) = (self.t(operand), self.t(field));
        if operand.kind_id() == k.identifier && self.types.decl_of(operand).is_none() {
            if let Some(path) = self.types.imports().path(o) {
                return self.package_source(e, path, f);
            }
        }
        if f == "Name" || f == "Linkname" {
            if let Some(t) = self.types.type_of(operand) {
                let archive = t.named_parts().is_some_and(|(p, n)| {
                    matches!(
                        (p, n),
                        ("archive/zip", "File" | "FileHeader") | ("archive/tar", "Header")
                    )
                });
                if archive {
                    let desc = format!("{} (archive entry name)", self.t(e));
                    return vec![self.origin(e, desc, None)];
                }
            }
        }
        if self.request_field(e, operand) {
            return vec![self.request_origin(e, self.fname)];
        }
        let mut inner = self.taint(operand, depth + 1);
        if f == "Path"
            && self
                .types
                .type_of(operand)
                .is_some_and(|t| super::is_type(&t, "net/url", "URL"))
        {
            // A request's path as http.ServeMux and routers pass it: cleaned, rooted at "/".
            inner = clear(inner, PATH);
        }
        inner
            .into_iter()
            .map(|mut org| {
                if org.param.is_some() && org.field.is_none() {
                    org.field = Some(f.to_string());
                }
                if let Some((ty, how)) = &org.decoded {
                    org.desc = format!("{} (field of {ty} {how})", self.t(e));
                    org.at = e.start_byte();
                    org.file = self.file;
                    org.decoded = None;
                }
                org
            })
            .collect()
    }

    /// `ctx.Req` of a request context: the `*http.Request` itself.
    fn request_field(&self, e: Node<'t>, operand: Node<'t>) -> bool {
        let is_req = self
            .types
            .type_of(e)
            .is_some_and(|t| super::is_type(&t, "net/http", "Request"));
        is_req
            && self
                .types
                .type_of(operand)
                .is_some_and(|t| self.holds_request(&t))
    }

    /// A request context type (`analysis::taint::request_holder`).
    fn holds_request(&self, t: &Ty) -> bool {
        super::request_holder(self.types.scope(), t)
    }

    /// The taint an argument passes to a parameter that reaches a sink through `field`: of a
    /// composite literal (`&RunOpts{Dir: d, Stdin: body}`), only that field's value.
    pub(super) fn arg_taint(&self, a: Node<'t>, field: Option<&str>) -> Taint {
        let k = k();
        let mut lit = a;
        while lit.kind_id() == k.unary_expression || lit.kind_id() == k.parenthesized_expression {
            match lit
                .child_by_field_id(k.f_operand)
                .or_else(|| lit.named_child(0))
            {
                Some(n) => lit = n,
                None => break,
            }
        }
        let (Some(field), true) = (field, lit.kind_id() == k.composite_literal) else {
            return self.taint(a, 0);
        };
        let Some(body) = lit.child_by_field_id(k.f_body) else {
            return Vec::new();
        };
        let mut c = body.walk();
        for el in body.named_children(&mut c) {
            if el.kind_id() != k.keyed_element {
                continue;
            }
            let (Some(key), Some(value)) = (el.named_child(0), el.named_child(1)) else {
                continue;
            };
            if self.t(key) == field {
                return self.taint(value, 0);
            }
        }
        Vec::new()
    }

    /// `os.Args`.
    fn package_source(&self, e: Node<'t>, path: &str, name: &str) -> Taint {
        if path == "os" && name == "Args" {
            let mut o = self.origin(e, "os.Args (command line)".into(), None);
            o.local = true;
            return vec![o];
        }
        Vec::new()
    }

    fn binary(&self, e: Node<'t>, depth: usize) -> Taint {
        let k = k();
        let op = e
            .child_by_field_id(k.f_operator)
            .map(|o| self.t(o))
            .unwrap_or("");
        if op != "+" {
            return Vec::new();
        }
        let (Some(l), Some(r)) = (
            e.child_by_field_id(k.f_left),
            e.child_by_field_id(k.f_right),
        ) else {
            return Vec::new();
        };
        let right = self.taint(r, depth + 1);
        // `"http://" + host + "/api?q=" + q`, `cfg.BaseURL + "/users/" + id`: what follows the
        // path cannot change the target's host.
        let right = if self.path_started(l) {
            clear(right, URL)
        } else {
            right
        };
        let t = union(self.taint(l, depth + 1), right);
        if !t.is_empty() && fixed_host(self.leading_literal(e)) {
            return clear(t, URL);
        }
        t
    }

    /// The concatenation `e` has begun a URL's path or query: one of its string literals holds a
    /// `/`, `?` or `#` past any `//` (`base + "/users/"`, `"http://" + host + "/"`).
    fn path_started(&self, e: Node<'t>) -> bool {
        let k = k();
        let mut stack = vec![e];
        let mut seen = 0;
        while let Some(cur) = stack.pop() {
            seen += 1;
            if seen > MAX_DEPTH {
                return false;
            }
            let kind = cur.kind_id();
            if kind == k.interpreted_string_literal || kind == k.raw_string_literal {
                let lit = self.t(cur).trim_matches(|c| c == '"' || c == '`');
                if path_start(lit).is_some() {
                    return true;
                }
            } else if kind == k.binary_expression {
                stack.extend(cur.child_by_field_id(k.f_left));
                stack.extend(cur.child_by_field_id(k.f_right));
            } else if kind == k.parenthesized_expression {
                stack.extend(cur.named_child(0));
            }
        }
        false
    }

    /// The string literal an expression starts with (`"https://api.x.com/" + id`).
    pub(super) fn leading_literal(&self, e: Node<'t>) -> &'t str {
        let k = k();
        let mut cur = e;
        for _ in 0..MAX_DEPTH {
            let kind = cur.kind_id();
            if kind == k.interpreted_string_literal || kind == k.raw_string_literal {
                return self.t(cur).trim_matches(|c| c == '"' || c == '`');
            }
            let next = if kind == k.binary_expression {
                cur.child_by_field_id(k.f_left)
            } else if kind == k.call_expression {
                call_args(cur).into_iter().next()
            } else if kind == k.parenthesized_expression {
                cur.named_child(0)
            } else {
                None
            };
            match next {
                Some(n) => cur = n,
                None => return "",
            }
        }
        ""
    }

    fn call_taint(&self, call: Node<'t>, depth: usize) -> Taint {
        let k = k();
        let Some(func) = call.child_by_field_id(k.f_function) else {
            return Vec::new();
        };
        let callee = self.types.callee(call);
        if let Some(c) = &callee {
            if c.sig.results.first().is_some_and(inert) {
                return Vec::new();
            }
            if let CalleeKind::Method { recv, .. } = &c.kind {
                if super::request_method(&c.name) && self.holds_request(recv) {
                    return vec![self.request_origin(call, self.fname)];
                }
            }
            if let Some(t) = self.source_call(call, &c.pkg, &c.name, &c.kind) {
                return t;
            }
            if c.kind == CalleeKind::Func && (c.pkg == "strconv") {
                return Vec::new();
            }
            if c.kind == CalleeKind::Builtin && matches!(c.name.as_str(), "len" | "cap") {
                return Vec::new();
            }
            if lookup_name(&c.name) && self.own_func(c) {
                return Vec::new(); // a stored record found by its key, not the key
            }
            if let Some(t) = self.summarised(call, c, depth) {
                return t;
            }
        }
        let in_path = callee
            .as_ref()
            .map_or(usize::MAX, |c| self.first_path_arg(call, c));
        let mut out = Vec::new();
        for (i, a) in call_args(call).into_iter().enumerate() {
            let t = self.taint(a, depth + 1);
            // `fmt.Sprintf("http://%s/api?q=%s", host, q)`: q cannot change the target's host.
            let t = if i >= in_path { clear(t, URL) } else { t };
            out = union(out, t);
        }
        if func.kind_id() == k.selector_expression {
            if let Some(o) = func.child_by_field_id(k.f_operand) {
                out = union(out, self.taint(o, depth + 1));
            }
        }
        if !out.is_empty() && callee.as_ref().is_some_and(|c| self.lacks_summary(c)) {
            self.missed_summary.set(true);
        }
        let cleared = match callee.as_ref().map(|c| (c.pkg.as_str(), c.name.as_str())) {
            Some(("path/filepath" | "path", "Base")) => PATH,
            Some((_, "SecureJoin" | "SecureJoinVFS")) => PATH,
            Some(("path/filepath" | "path", "Clean"))
                if self.leading_literal(call).starts_with('/') =>
            {
                PATH
            }
            Some(("net/url", "QueryEscape" | "PathEscape")) => ALL,
            Some(("fmt", "Sprintf")) if fixed_host(self.leading_literal(call)) => URL,
            _ => 0,
        };
        clear(out, cleared)
    }

    /// The index of the first argument that can only land in a URL's path or query, where it
    /// cannot change the host: past the path's start in a `fmt.Sprintf` format, the elements
    /// of `url.JoinPath` and `(*url.URL).JoinPath`; `usize::MAX` for other calls.
    fn first_path_arg(&self, call: Node<'t>, c: &crate::analysis::types::Callee) -> usize {
        match (c.pkg.as_str(), c.name.as_str(), &c.kind) {
            ("fmt", "Sprintf", CalleeKind::Func) => self.authority_args(call).saturating_add(1),
            ("net/url", "JoinPath", CalleeKind::Func) => 1,
            ("net/url", "JoinPath", CalleeKind::Method { .. }) => 0,
            _ => usize::MAX,
        }
    }

    /// For `fmt.Sprintf` with a URL format: the index of the last argument (the format is 0)
    /// whose verb comes before the path or query starts (`"http://%s/api?q=%s"`,
    /// `"%s/users/%s"`: 1), `usize::MAX` when the format starts no path.
    fn authority_args(&self, call: Node<'t>) -> usize {
        let Some(f) = call_args(call).into_iter().next() else {
            return usize::MAX;
        };
        let k = k();
        if f.kind_id() != k.interpreted_string_literal && f.kind_id() != k.raw_string_literal {
            return usize::MAX;
        }
        let fmt = self.t(f).trim_matches(|c| c == '"' || c == '`');
        let Some(end) = path_start(fmt) else {
            return usize::MAX;
        };
        let verbs = |t: &str| t.matches('%').count() - 2 * t.matches("%%").count();
        verbs(&fmt[..end])
    }

    /// A call of the package's own function: its result carries the taint of the arguments
    /// its summary says reach the result.
    fn summarised(
        &self,
        call: Node<'t>,
        c: &crate::analysis::types::Callee,
        depth: usize,
    ) -> Option<Taint> {
        let imported;
        let returns = match self.local_key(c) {
            Some(key) => &self.summaries.get(&key)?.returns,
            None => {
                imported = self.imported_summary(c)?.1;
                &imported.returns
            }
        };
        let mut out = Vec::new();
        for (i, a) in call_args(call).into_iter().enumerate() {
            let p = i.min(c.sig.params.len().saturating_sub(1));
            let open = returns.get(p).copied().unwrap_or(0);
            if open != 0 {
                out = union(out, clear(self.taint(a, depth + 1), ALL & !open));
            }
        }
        Some(out)
    }

    /// The summary key of a callee declared in this package.
    pub(super) fn local_key(&self, c: &crate::analysis::types::Callee) -> Option<String> {
        if c.pkg != self.types.scope().current.path {
            return None;
        }
        summary_key(c)
    }

    /// The exported summary of a callee declared in another package of the module (audited
    /// before this one, since packages go in import order).
    pub(super) fn imported_summary(
        &self,
        c: &crate::analysis::types::Callee,
    ) -> Option<(String, TaintSummary)> {
        if c.pkg.is_empty() || c.pkg == self.types.scope().current.path {
            return None;
        }
        let key = summary_key(c)?;
        let pkg = self.types.scope().package(&c.pkg)?;
        match pkg.taint.get(&key) {
            Some(s) => Some((key, s.clone())),
            None if pkg.taint_done => Some((key, TaintSummary::default())),
            None => None,
        }
    }

    /// `u, err := model.GetUserByName(ctx, name)` followed by `if err != nil { return }`: the
    /// lookup found a stored record, so `name` is a known key from there on.
    pub(super) fn lookup_guard(&mut self, stmt: Node<'t>, right: Node<'t>) {
        let k = k();
        if right.kind_id() != k.call_expression || !self.t(stmt).contains("err") {
            return;
        }
        let Some(c) = self.types.callee(right) else {
            return;
        };
        if !lookup_name(&c.name) || !self.own_func(&c) {
            return;
        }
        let Some(next) = stmt
            .next_named_sibling()
            .filter(|n| n.kind_id() == k.if_statement)
        else {
            return;
        };
        let checks_err = next
            .child_by_field_id(k.f_condition)
            .is_some_and(|c| self.t(c).contains("err"));
        if !checks_err || !self.branch_leaves(next) {
            return;
        }
        let (from, to) = (
            next.end_byte(),
            stmt.parent().map_or(usize::MAX, |b| b.end_byte()),
        );
        for a in call_args(right) {
            self.sanitize(a, from, to, ALL);
            self.clear_origins(a, from, to, ALL, false);
        }
    }

    /// Parameters a callee of the module checks before going on (its summary's `checks`).
    fn callee_checks(&self, c: &crate::analysis::types::Callee) -> Vec<usize> {
        if let Some(key) = self.local_key(c) {
            let Some(summary) = self.summaries.get(&key) else {
                self.missed_summary.set(true);
                return Vec::new();
            };
            return summary.checks.clone();
        }
        self.imported_summary(c)
            .map(|(_, s)| s.checks)
            .unwrap_or_default()
    }

    /// A validator of the module's own (not the standard library's): `validatePath(p)`.
    fn own_func(&self, c: &crate::analysis::types::Callee) -> bool {
        self.local_key(c).is_some()
            || (!c.pkg.is_empty()
                && !crate::index::stdlib().contains_key(&c.pkg)
                && summary_key(c).is_some())
    }

    fn source_call(
        &self,
        call: Node<'t>,
        pkg: &str,
        name: &str,
        kind: &CalleeKind,
    ) -> Option<Taint> {
        let what = match (pkg, name) {
            ("os", "Getenv" | "LookupEnv") => "environment variable",
            ("flag", "String" | "Arg" | "Args") => "command-line flag",
            _ => return None,
        };
        if *kind != CalleeKind::Func {
            return None;
        }
        let mut o = self.origin(call, format!("{} ({what})", self.t(call)), None);
        o.local = true;
        Some(vec![o])
    }

    /// Sink classes a guard or allow-list has cleared the expression for at its position.
    fn sanitized_for(&self, e: Node) -> u8 {
        if self.sanitized.is_empty() {
            return 0;
        }
        let txt = self.t(e);
        let at = e.start_byte();
        let mut cleared = 0;
        for s in &self.sanitized {
            if at >= s.from && at < s.to && covers(&s.text, txt) {
                cleared |= s.classes;
            }
        }
        cleared
    }

    fn sanitize(&mut self, e: Node<'t>, from: usize, to: usize, classes: u8) {
        let k = k();
        let mut cur = e;
        for _ in 0..4 {
            let t = self.t(cur).to_string();
            if let Some(id) = (cur.kind_id() == k.identifier)
                .then(|| self.types.decl_of(cur))
                .flatten()
            {
                if let Some((target, class)) = self.rel_of.get(&id.0).cloned() {
                    if classes & class != 0 {
                        self.sanitized.push(Sanitized {
                            text: target,
                            from,
                            to,
                            classes: class,
                        });
                    }
                }
            }
            self.sanitized.push(Sanitized {
                text: t,
                from,
                to,
                classes,
            });
            while cur.kind_id() == k.parenthesized_expression || cur.kind_id() == k.unary_expression
            {
                match cur
                    .named_child(0)
                    .filter(|_| cur.kind_id() == k.parenthesized_expression)
                    .or_else(|| cur.child_by_field_id(k.f_operand))
                {
                    Some(n) => cur = n,
                    None => return,
                }
            }
            if cur.kind_id() != k.call_expression {
                return;
            }
            match call_args(cur).into_iter().next() {
                Some(a) => cur = a,
                None => return,
            }
        }
    }

    /// An `if` whose condition (or initialiser) checks a value clears it inside the `if`, and
    /// after it to the end of the enclosing block when the `if`'s branch leaves (`return`,
    /// `continue`, `panic`...): the check then dominates what follows. A check whose failure
    /// only logs, or a check after the sink, clears nothing there.
    pub(super) fn guard(&mut self, stmt: Node<'t>) {
        let k = k();
        let from = stmt.start_byte();
        let leaves = self.branch_leaves(stmt);
        let to = if leaves {
            stmt.parent().map_or(usize::MAX, |b| b.end_byte())
        } else {
            stmt.end_byte()
        };
        let mut checks = Vec::new();
        for field in [k.f_condition, k.f_initializer] {
            if let Some(c) = stmt.child_by_field_id(field) {
                for n in preorder(c).take(256) {
                    self.check_in_condition(n, &mut checks);
                }
            }
        }
        for (e, classes) in checks {
            self.sanitize(e, from, to, classes);
            self.clear_origins(e, from, to, classes, leaves);
        }
    }

    /// Clears every value derived from the checked one (`p := filepath.Join(root, name)` before
    /// a check of `name`), by origin; a checked parameter goes into the summary.
    fn clear_origins(&mut self, e: Node<'t>, from: usize, to: usize, classes: u8, leaves: bool) {
        for o in self.taint(e, 0) {
            if o.request.is_some() {
                continue; // a whole request, not the checked value
            }
            if let (Some(p), true) = (o.param, leaves) {
                if !self.summary.checks.contains(&p) {
                    self.summary.checks.push(p);
                }
            }
            self.cleared_origins.push(super::ClearedOrigin {
                file: o.file,
                at: o.at,
                param: o.param,
                field: o.field.clone(),
                from,
                to,
                classes,
            });
        }
    }

    /// Classes a check of the origin has cleared at byte `at`.
    fn origin_cleared(&self, o: &super::Origin, at: usize) -> u8 {
        let mut out = 0;
        for c in &self.cleared_origins {
            if at >= c.from
                && at < c.to
                && c.file == o.file
                && c.at == o.at
                && c.param == o.param
                && (c.field.is_none() || c.field == o.field)
            {
                out |= c.classes;
            }
        }
        out
    }

    /// The `if`'s consequence ends in a statement that leaves the block.
    fn branch_leaves(&self, stmt: Node<'t>) -> bool {
        let k = k();
        let Some(block) = stmt.child_by_field_id(k.f_consequence) else {
            return false;
        };
        let mut c = block.walk();
        let list = block
            .named_children(&mut c)
            .find(|n| n.kind_id() == k.statement_list);
        let Some(last) = list.and_then(|l| {
            let n = l.named_child_count();
            (0..n)
                .rev()
                .filter_map(|i| l.named_child(i as u32))
                .find(|c| !c.is_extra())
        }) else {
            return false;
        };
        let kind = last.kind_id();
        let a = crate::analysis::kinds();
        kind == k.return_statement
            || kind == a.continue_statement
            || kind == a.break_statement
            || kind == a.goto_statement
            || (kind == k.expression_statement && crate::analysis::cfg::no_return(last, self.src()))
    }

    fn check_in_condition(&self, n: Node<'t>, out: &mut Vec<(Node<'t>, u8)>) {
        let k = k();
        let kind = n.kind_id();
        if kind == k.index_expression {
            if let Some(i) = n.child_by_field_id(k.f_index) {
                out.push((i, ALL));
            }
        } else if kind == k.selector_expression {
            let field = n
                .child_by_field_id(k.f_field)
                .map(|f| self.t(f))
                .unwrap_or("");
            if matches!(field, "Host" | "Hostname") {
                if let Some(o) = n.child_by_field_id(k.f_operand) {
                    out.push((o, URL));
                }
            }
        } else if kind == k.binary_expression {
            let (l, r) = (
                n.child_by_field_id(k.f_left),
                n.child_by_field_id(k.f_right),
            );
            if let (Some(l), Some(r)) = (l, r) {
                let dots = |x: Node| matches!(self.t(x), "\"..\"" | "`..`");
                if dots(r) {
                    out.push((l, PATH));
                } else if dots(l) {
                    out.push((r, PATH));
                }
            }
        } else if kind == k.call_expression {
            self.check_call(n, out);
        }
    }

    fn check_call(&self, call: Node<'t>, out: &mut Vec<(Node<'t>, u8)>) {
        let Some(c) = self.types.callee(call) else {
            return;
        };
        let args = call_args(call);
        let arg = |i: usize| args.get(i).copied();
        let hit = match (c.pkg.as_str(), c.name.as_str()) {
            ("path/filepath", "IsLocal") => arg(0).map(|a| (a, PATH)),
            ("strings", "HasPrefix") => {
                let (Some(a), Some(b)) = (arg(0), arg(1)) else {
                    return;
                };
                let mut classes = 0;
                if self.is_dots(b) || self.ends_with_separator(b) {
                    classes |= PATH;
                }
                if fixed_host(self.leading_literal(b)) {
                    classes |= URL;
                }
                (classes != 0).then_some((a, classes))
            }
            ("strings", "Contains") => {
                let (Some(a), Some(b)) = (arg(0), arg(1)) else {
                    return;
                };
                self.is_dots(b).then_some((a, PATH))
            }
            ("regexp", "MatchString" | "Match") if c.kind == CalleeKind::Func => {
                arg(1).map(|a| (a, ALL))
            }
            ("slices", "Contains" | "Index") => arg(1).map(|a| (a, ALL)),
            (_, "MatchString" | "Match") if matches!(c.kind, CalleeKind::Method { .. }) => {
                arg(0).map(|a| (a, ALL))
            }
            _ if self.own_func(&c) && !validator_name(&c.name) => {
                for i in self.callee_checks(&c) {
                    if let Some(a) = args.get(i.min(args.len().saturating_sub(1))) {
                        out.push((*a, ALL));
                    }
                }
                None
            }
            _ if self.own_func(&c) => {
                for a in &args {
                    out.push((*a, ALL));
                }
                None
            }
            _ => None,
        };
        out.extend(hit);
    }

    fn is_dots(&self, n: Node) -> bool {
        let t = self.t(n).trim_matches(|c| c == '"' || c == '`');
        t == ".."
            || t == "../"
            || t.ends_with("..\"")
            || t.contains("\"..\"")
            || t == "..\\"
            || self.t(n).contains("ParentDir")
    }

    /// `base + string(os.PathSeparator)`, `base + "/"`, `"/srv/data/"`, or a variable set so.
    fn ends_with_separator(&self, n: Node<'t>) -> bool {
        let t = self.t(n);
        let sep = |t: &str| {
            let t = t.trim_end();
            t.ends_with("Separator)")
                || t.ends_with("/\"")
                || t.ends_with("/`")
                || t.ends_with("\\\\\"")
        };
        if sep(t) {
            return true;
        }
        let k = k();
        if n.kind_id() != k.identifier {
            return false;
        }
        let Some(id) = self.types.decl_of(n) else {
            return false;
        };
        let at = self.types.decl_position(id);
        let Some(decl) = n.parent().and_then(|_| {
            let root = self.files[self.file].root;
            root.descendant_for_byte_range(at, at)
        }) else {
            return false;
        };
        let mut stmt = decl;
        for _ in 0..4 {
            let kind = stmt.kind_id();
            if kind == k.short_var_declaration
                || kind == k.var_spec
                || kind == k.assignment_statement
            {
                break;
            }
            match stmt.parent() {
                Some(p) => stmt = p,
                None => return false,
            }
        }
        let value = stmt
            .child_by_field_id(k.f_right)
            .or_else(|| stmt.child_by_field_id(k.f_value));
        value.is_some_and(|v| sep(self.t(v)))
    }

    /// Inside a `case "a", "b":` of `switch x`, x is one of the listed constants.
    pub(super) fn switch(&mut self, stmt: Node<'t>) {
        let k = k();
        let Some(value) = stmt.child_by_field_id(k.f_value) else {
            return;
        };
        let mut c = stmt.walk();
        let cases: Vec<Node> = stmt
            .named_children(&mut c)
            .filter(|n| n.kind_id() == k.expression_case)
            .collect();
        for case in cases {
            let Some(vals) = case.child_by_field_id(k.f_value) else {
                continue;
            };
            let constant = named(vals).iter().all(|v| {
                v.kind_id() == k.interpreted_string_literal || v.kind_id() == k.raw_string_literal
            });
            if constant {
                self.sanitize(value, case.start_byte(), case.end_byte(), ALL);
            }
        }
    }
}

/// A check of `s` covers `e`: the same text, or `e` reads a field or method of it.
fn covers(s: &str, e: &str) -> bool {
    e == s || (e.starts_with(s) && e[s.len()..].starts_with('.'))
}

/// A literal prefix that fixes the scheme and host: `https://api.example.com/`.
pub(super) fn fixed_host(lit: &str) -> bool {
    let Some(rest) = lit.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    match rest.find(['/', '?']) {
        Some(i) => i > 0 && !rest[..i].contains('%'),
        None => false,
    }
}

/// Where a URL's path or query starts in a literal or format: the first `/`, `?` or `#` past
/// the `//` of a scheme or a protocol-relative URL.
fn path_start(lit: &str) -> Option<usize> {
    let from = lit.find("//").map_or(0, |i| i + 2);
    lit[from..].find(['/', '?', '#']).map(|i| from + i)
}

/// A lookup of a stored record by key: `GetUserByName`, `FindRepoByID`, `LoadByPath`.
fn lookup_name(name: &str) -> bool {
    ["get", "find", "load", "lookup", "fetch"].iter().any(|p| {
        name.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    }) && name.contains("By")
}

/// The package's own validators: `validatePath(p)`, `isAllowed(host)`, `checkName(n)`.
fn validator_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "valid", "check", "safe", "allow", "sanitiz", "verify", "contain", "inside", "within",
        "usable", "permit",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// `Name` or `Type.Method`, how summaries are keyed.
fn summary_key(c: &crate::analysis::types::Callee) -> Option<String> {
    match &c.kind {
        CalleeKind::Func => Some(c.name.clone()),
        CalleeKind::Method {
            owner,
            interface: false,
            ..
        } => {
            let (_, n) = owner.named_parts()?;
            Some(format!("{n}.{}", c.name))
        }
        _ => None,
    }
}
