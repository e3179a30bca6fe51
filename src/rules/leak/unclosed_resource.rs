//! `unclosed-resource`: a resource acquired and, on some path after its error check, neither
//! released, deferred for release, returned, stored in a field, sent on a channel, nor handed to
//! a function that takes it over.
//!
//! The bug is almost always on an error path nobody tests: a `*sql.DB` opened and left behind
//! when the migration after it fails, a response body left open on a non-200 status, rows left
//! open when a `Scan` fails. Each function that acquires something gets a control-flow graph;
//! a forward dataflow follows every acquisition to the exits it reaches still open. The
//! acquisition's own error branch is not a leak. One finding per acquisition, at the first
//! leaking exit, naming the resource, where it was acquired and why the path leaves; a fix
//! (`db.Close()` before the return, applicability unsafe) when every leaking exit is a return
//! where the resource is certainly open. Silent where no release is needed: a ticker when
//! `go.mod` says `go 1.23` or later, the body of a `Head` response. One level lower where every
//! leak is minor (`rare`): a file left open only when a write fails, a body read to its end.

use super::flow::{own_calls, LeakAt, LeakFlow, Resource};
use super::rare::{failing_call, minor_leak};
use super::resources::{Custom, Env, FileFacts, Kind};
use crate::analysis::cfg::{Cfg, Exit};
use crate::config::RuleSettings;
use crate::finding::{Applicability, Edit, Fix, Severity};
use crate::rules::fixes;
use crate::rules::{at_catalogue_severity, Diagnostic, FileContext, Identified, Rule};
use crate::tree::Node;

pub struct UnclosedResource;

impl Rule for UnclosedResource {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let facts = FileFacts::new(cx.root, &cx.file.text, custom(settings));
        let graded = at_catalogue_severity(self.id(), settings);
        for (func, candidates) in own_calls(cx.functions(), |call| facts.may_acquire(call)) {
            let once = cx.is_command() && !serves_requests(func, cx);
            for mut d in check_function(func, candidates, &facts, cx) {
                if !graded {
                    d.severity = None;
                } else if once {
                    d.severity = d.severity.map(two_levels_lower);
                }
                out.push(d);
            }
        }
    }
}

/// Where a leak a reviewer weighs as minor goes (a high leak to `low`): out of the findings read
/// first and out of CI's default gate, still listed by the JSON, SARIF and text reports. Judged
/// blind, every leak on a command's one-time path and every leak only on a failed write or
/// after a body read to its end was correct but not worth fixing, one level lower too.
fn two_levels_lower(s: Severity) -> Severity {
    s.lower().lower()
}

/// A function of a command that handles a request (it takes an `http.ResponseWriter` or an
/// `*http.Request`): a leak there grows with every request, unlike one on the command's
/// one-time start-up or exit path, which the process's end cleans up.
fn serves_requests(func: Node, cx: &FileContext) -> bool {
    func.child_by_field_id(crate::syntax::kinds::k().f_parameters)
        .is_some_and(|p| {
            let params = cx.text(p);
            params.contains("http.ResponseWriter") || params.contains("http.Request")
        })
}

/// The project's own constructors from the `acquire` option.
pub fn custom(settings: &RuleSettings) -> Custom {
    custom_from(&settings.options.unclosed_resource().acquire)
}

/// The project's own constructors from `acquire` specs.
pub fn custom_from(specs: &[String]) -> Custom {
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    Custom::parse(&specs)
}

/// The acquisitions made directly in `func` (not in its nested literals), bound to variables.
pub fn resources<'t>(flow: &LeakFlow<'_, 't>, candidates: &[Node<'t>]) -> Vec<Resource<'t>> {
    candidates
        .iter()
        .filter_map(|&call| {
            let acq = flow.facts.acquisition(call, flow.env)?;
            flow.resource(call, &acq)
        })
        .collect()
}

/// One function's acquisitions: `candidates` are the calls of its own body that may acquire.
fn check_function<'t>(
    func: Node<'t>,
    candidates: Vec<Node<'t>>,
    facts: &FileFacts<'t>,
    cx: &FileContext,
) -> Vec<Diagnostic> {
    let Some(body) = func.child_by_field_id(facts.k.f_body) else {
        return Vec::new();
    };
    let env = Env::of(func, facts);
    let Some(cfg) = Cfg::build(body, facts.text) else {
        return Vec::new();
    };
    let flow = LeakFlow::new(facts, &env, &cfg, func);
    let mut out = Vec::new();
    for r in resources(&flow, &candidates) {
        if harmless(&r, func, facts, cx) {
            continue;
        }
        let leaks = match (r.var, r.err) {
            (None, None) => Vec::new(),
            _ => flow.leaks(&r),
        };
        if r.var.is_none() {
            // `http.Get(u)` or `_, err := http.Get(u)`: nothing can release it, unless the call
            // failing is the only way on (`if err == nil { t.Fatal(...) }`).
            if r.err.is_none() || !leaks.is_empty() {
                out.push(discarded(&r, facts));
            }
            continue;
        }
        if let Some(mut d) = report(&r, &leaks, facts, cx) {
            if let Some(why) = minor_leak(&r, &leaks, func, facts, cx) {
                d.severity = d.severity.map(two_levels_lower);
                d.message.push_str(&format!(" ({why})"));
            }
            out.push(d);
        }
    }
    out
}

/// Acquisitions whose release matters to nobody: a ticker in a module whose `go.mod` says
/// `go 1.23` or later (an unreferenced ticker is collected then, stopped or not), and the
/// response of a `HEAD` request (its body is `http.NoBody`; the connection goes back to the pool
/// without a read or a `Close`): `client.Head(u)`, or `client.Do(req)` where `req` was built
/// with the `HEAD` method in this function or by a function of the package that builds only
/// `HEAD` requests.
fn harmless(r: &Resource, func: Node, facts: &FileFacts, cx: &FileContext) -> bool {
    match r.kind {
        Kind::Ticker => cx.go_version().is_some_and(|v| v >= (1, 23)),
        Kind::Response => match callee(r, facts).rsplit('.').next() {
            Some("Head") => true,
            Some("Do") => sends_head_request(r.call, func, facts, cx),
            _ => false,
        },
        _ => false,
    }
}

/// `client.Do(req)` where the last assignment to `req` before the call is a `HEAD` request.
fn sends_head_request(call: Node, func: Node, facts: &FileFacts, cx: &FileContext) -> bool {
    let k = facts.k;
    let Some(req) = call
        .child_by_field_id(k.f_arguments)
        .and_then(|a| a.named_child(0))
        .filter(|a| a.kind_id() == k.identifier)
    else {
        return false;
    };
    let name = facts.text(req);
    let source = crate::tree::preorder(func)
        .take_while(|n| n.start_byte() < call.start_byte())
        .filter(|n| n.kind_id() == k.short_var_declaration || n.kind_id() == k.assignment_statement)
        .filter_map(|n| first_value_for(n, name, facts))
        .last();
    source.is_some_and(|c| {
        head_request(c, facts.text, k)
            || own_head_builder(c, facts, cx)
    })
}

/// In `req, err := build(...)`, the call assigned to `name` (its first result).
fn first_value_for<'t>(assign: Node<'t>, name: &str, facts: &FileFacts<'t>) -> Option<Node<'t>> {
    let k = facts.k;
    let first = assign.child_by_field_id(k.f_left)?.named_child(0)?;
    if first.kind_id() != k.identifier || facts.text(first) != name {
        return None;
    }
    let value = assign.child_by_field_id(k.f_right)?.named_child(0)?;
    (value.kind_id() == k.call_expression).then_some(value)
}

/// `http.NewRequest("HEAD", ...)` or `http.NewRequestWithContext(ctx, http.MethodHead, ...)`.
fn head_request(call: Node, text: &str, k: &crate::syntax::kinds::Kinds) -> bool {
    let src = |n: Node| text.get(n.byte_range()).unwrap_or("");
    let Some(f) = call.child_by_field_id(k.f_function) else {
        return false;
    };
    let method_at = match src(f).rsplit('.').next() {
        Some("NewRequest") => 0,
        Some("NewRequestWithContext") => 1,
        _ => return false,
    };
    call.child_by_field_id(k.f_arguments)
        .and_then(|a| a.named_child(method_at))
        .is_some_and(|m| matches!(src(m), "\"HEAD\"" | "http.MethodHead"))
}

/// A call of a function of the package (`f.makeHeadRequest(ctx, u)`) every request of which is
/// a `HEAD` request.
fn own_head_builder(call: Node, facts: &FileFacts, cx: &FileContext) -> bool {
    let k = facts.k;
    let Some(package) = cx.package else {
        return false;
    };
    let Some(name) = call
        .child_by_field_id(k.f_function)
        .map(|f| facts.text(f).rsplit('.').next().unwrap_or(""))
    else {
        return false;
    };
    let decls = package.declarations_named(name);
    !decls.is_empty()
        && decls.iter().all(|(file, decl)| {
            let requests: Vec<Node> = crate::tree::preorder(*decl)
                .filter(|n| n.kind_id() == k.call_expression)
                .filter(|n| {
                    n.child_by_field_id(k.f_function).is_some_and(|f| {
                        file.node_text(f).contains("NewRequest")
                    })
                })
                .collect();
            !requests.is_empty() && requests.iter().all(|c| head_request(*c, &file.text, k))
        })
}

fn line(n: Node) -> usize {
    n.start_position().row + 1
}

/// `db opened at line 14`, `resp.Body from c.http.Do at line 189`.
fn describe(r: &Resource, facts: &FileFacts) -> String {
    let var = r.var.unwrap_or("_");
    let callee = r
        .call
        .child_by_field_id(facts.k.f_function)
        .map(|f| facts.text(f))
        .unwrap_or("");
    let at = line(r.call);
    match r.kind {
        Kind::Db | Kind::File | Kind::Conn | Kind::Listener | Kind::SqlConn => {
            format!("{var} opened at line {at}")
        }
        Kind::Response => format!("{var}.Body from {callee} at line {at}"),
        Kind::Tx => format!("transaction {var} begun at line {at}"),
        _ => format!("{var} from {callee} at line {at}"),
    }
}

fn released(r: &Resource, facts: &FileFacts) -> String {
    match (r.kind, facts.custom.release(r.kind)) {
        (_, Some(m)) => format!("released ({m})"),
        (kind, None) => kind.released().to_string(),
    }
}

/// The call that releases the resource, for messages and fixes: `db.Close()`.
fn release_call(r: &Resource, facts: &FileFacts) -> String {
    let var = r.var.unwrap_or("_");
    match (r.kind, facts.custom.release(r.kind)) {
        (_, Some(m)) => format!("{var}.{m}()"),
        // `WithCancelCause`'s `CancelCauseFunc` takes the cause.
        (Kind::Cancel, _) if callee(r, facts).ends_with("WithCancelCause") => format!("{var}(nil)"),
        (Kind::Cancel, _) => format!("{var}()"),
        (Kind::Response, _) => format!("{var}.Body.Close()"),
        (Kind::Tx, _) => format!("{var}.Rollback()"),
        (kind, None) => format!("{var}.{}()", kind.release_methods()[0]),
    }
}

/// The text of the function an acquisition calls (`sql.Open`).
fn callee<'t>(r: &Resource<'t>, facts: &FileFacts<'t>) -> &'t str {
    r.call
        .child_by_field_id(facts.k.f_function)
        .map(|f| facts.text(f))
        .unwrap_or("")
}

fn discarded(r: &Resource, facts: &FileFacts) -> Diagnostic {
    let callee = callee(r, facts);
    let what = match r.kind {
        Kind::Response => "the response body",
        Kind::Cancel => "the cancel function",
        Kind::Db => "the database handle",
        Kind::Rows => "the rows",
        _ => "the resource",
    };
    let mut d = Diagnostic::at(
        r.call,
        format!(
            "{what} from {callee} is discarded, so it is never {}",
            released(r, facts)
        ),
    );
    d.severity = Some(r.kind.severity());
    d
}

fn report(
    r: &Resource,
    leaks: &[LeakAt],
    facts: &FileFacts,
    cx: &FileContext,
) -> Option<Diagnostic> {
    let first = *leaks.first()?;
    let what = describe(r, facts);
    let rel = released(r, facts);
    let (node, why) = match first {
        LeakAt::Exit(Exit::Return(n), _) => (
            n,
            match reason(n, facts) {
                Some(why) => format!(
                    "{what} is not {rel} when {why} (return at line {})",
                    line(n)
                ),
                None => format!("{what} is not {rel} before the return at line {}", line(n)),
            },
        ),
        LeakAt::Exit(Exit::End(body) | Exit::NoReturn(body), _) => (
            closing_brace(body),
            format!(
                "{what} is not {rel} before the function ends (line {})",
                body.end_position().row + 1
            ),
        ),
        LeakAt::Overwritten(n) => (
            n,
            format!(
                "{what} is not {rel} before {} is reassigned at line {}",
                r.var.unwrap_or("it"),
                line(n)
            ),
        ),
        LeakAt::Again(n) => (
            r.call,
            format!(
                "{what} is not {rel} before the loop acquires it again (line {})",
                line(n)
            ),
        ),
    };
    let mut message = why;
    let others: Vec<String> = leaks[1..]
        .iter()
        .map(|l| leak_line(*l).to_string())
        .collect();
    if !others.is_empty() {
        message.push_str(&format!("; also leaks at line {}", others.join(", ")));
    }
    let mut d = Diagnostic::on_first_line(node, cx.file, message);
    d.severity = Some(r.kind.severity());
    d.related.push((
        r.call.start_byte(),
        r.call.end_byte(),
        format!("{} acquired here", r.var.unwrap_or("resource")),
    ));
    for l in &leaks[1..] {
        if let Some(n) = leak_node(*l) {
            d.related.push((
                n.start_byte(),
                n.start_byte(),
                "also leaks here".to_string(),
            ));
        }
    }
    d.fix = fix(r, leaks, facts, cx);
    Some(d)
}

fn leak_node<'t>(l: LeakAt<'t>) -> Option<Node<'t>> {
    match l {
        LeakAt::Exit(Exit::Return(n), _) | LeakAt::Overwritten(n) | LeakAt::Again(n) => Some(n),
        LeakAt::Exit(Exit::End(b) | Exit::NoReturn(b), _) => Some(closing_brace(b)),
    }
}

fn leak_line(l: LeakAt) -> usize {
    match l {
        LeakAt::Exit(Exit::End(b) | Exit::NoReturn(b), _) => b.end_position().row + 1,
        other => leak_node(other).map_or(0, line),
    }
}

/// The `}` that ends a body block.
fn closing_brace(body: Node) -> Node {
    let n = body.child_count();
    n.checked_sub(1).and_then(|i| body.child(i)).unwrap_or(body)
}

/// Why the path takes this return: `migrate.Up fails` for `if err := migrate.Up(db); err !=
/// nil`, or the condition's text (`resp.StatusCode != http.StatusOK`).
fn reason(ret: Node, facts: &FileFacts) -> Option<String> {
    let k = facts.k;
    let block = ret.parent()?.parent().filter(|b| b.kind_id() == k.block)?;
    let stmt = block.parent().filter(|s| s.kind_id() == k.if_statement)?;
    if stmt
        .child_by_field_id(k.f_consequence)
        .is_none_or(|c| c.id() != block.id())
    {
        return None;
    }
    let text = facts.text(stmt.child_by_field_id(k.f_condition)?);
    if text.strip_suffix(" != nil").is_some_and(|v| !v.contains(' ')) {
        return failing_call(stmt, facts).map(|callee| format!("{callee} fails"));
    }
    (text.len() <= 60 && !text.contains('\n')).then(|| text.to_string())
}

/// The release inserted on each leaking return, when goaudit knows the release's signature (not
/// a project's own `acquire` entry), the resource is not handed over (to a closure, a field, a
/// channel or the caller), and every leak is a return where it is certainly open that starts its
/// own line. An error the release returns is kept where no caller can lose by it: returned in
/// place of a `nil` error, joined to an error made on the spot (`errors.Join(fmt.Errorf(...),
/// db.Close())`, the `errors` import added when missing), joined into the named error result
/// before a bare return. Before a return of an existing error (`return nil, err`, a sentinel
/// callers may compare with `==`) or where the function returns no error, it is dropped in so
/// many words (`_ = f.Close()`). So the fix adds no `unchecked-error` finding of its own.
fn fix(r: &Resource, leaks: &[LeakAt], facts: &FileFacts, cx: &FileContext) -> Option<Fix> {
    if matches!(r.kind, Kind::Custom(_)) {
        return None;
    }
    let var = r.var?;
    let func = fixes::enclosing_function(r.stmt)?;
    let call = release_call(r, facts);
    let release = Release {
        call: &call,
        returns_error: !matches!(
            r.kind,
            Kind::Ticker | Kind::Timer | Kind::Server | Kind::Cancel
        ),
        results: fixes::Results::of(cx.file, func),
    };
    let mut edits = Vec::new();
    let mut joined = false;
    for l in leaks {
        let LeakAt::Exit(Exit::Return(ret), true) = l else {
            return None;
        };
        let in_scope = r
            .scope
            .is_none_or(|b| b.start_byte() <= ret.start_byte() && ret.end_byte() <= b.end_byte());
        if fixes::enclosing_function(*ret) != Some(func)
            || !in_scope
            || uses(*ret, var, r.kind, facts)
            || derived_context(r, facts).is_some_and(|ctx| uses(*ret, ctx, r.kind, facts))
            || handed_over(var, func, ret.start_byte(), facts)
        {
            return None;
        }
        let (edit, join) = release.before(*ret, facts, cx)?;
        edits.push(edit);
        joined |= join;
    }
    if joined {
        edits.extend(fixes::ensure_import(cx.file, "errors")?);
    }
    let description = match (release.returns_error, release.results.error_last) {
        (true, true) => format!("call {call} before returning, its error joined to the one returned"),
        (true, false) => format!("call {call} before returning (its error dropped: the function returns none)"),
        (false, _) => format!("call {call} before returning"),
    };
    Some(Fix {
        description,
        applicability: Applicability::Unsafe,
        edits,
    })
}

/// The release a fix inserts, and what the function it goes into returns.
struct Release<'a> {
    call: &'a str,
    returns_error: bool,
    results: fixes::Results<'a>,
}

impl Release<'_> {
    /// The edit releasing before `ret`, and whether it joins errors (`errors.Join`); `None`
    /// when the return does not start its own line or its values cannot be told apart.
    fn before(&self, ret: Node, facts: &FileFacts, cx: &FileContext) -> Option<(Edit, bool)> {
        let (row, col) = cx.file.position(ret.start_byte());
        let line_text = cx.file.line_text(row);
        let indent = &line_text[..col - 1];
        if !indent.chars().all(char::is_whitespace) {
            return None;
        }
        let at = ret.start_byte();
        let insert = |text: String| fixes::edit(cx.file, at, at, format!("{text}\n{indent}"));
        let call = self.call;
        if !self.returns_error {
            return Some((insert(call.to_string()), false));
        }
        if !self.results.error_last {
            return Some((insert(format!("_ = {call}")), false));
        }
        let values = return_values(ret, facts);
        if values.is_empty() {
            let name = self.results.error_name?;
            let join = format!("{name} = errors.Join({name}, {call})");
            return Some((insert(join), true));
        }
        if values.len() != self.results.count {
            return None;
        }
        let last = values[values.len() - 1];
        let (start, end) = (last.start_byte(), last.end_byte());
        Some(match facts.text(last) {
            "nil" => (fixes::edit(cx.file, start, end, call.to_string()), false),
            err if fresh_error(last, facts) => {
                let join = format!("errors.Join({err}, {call})");
                (fixes::edit(cx.file, start, end, join), true)
            }
            // `return nil, err` or `return ErrNotFound`: callers may compare the error itself
            // (`err == fs.ErrNotFound`), which a join would break; the first error is the one
            // they need, so the release's own error is dropped in so many words.
            _ => (insert(format!("_ = {call}")), false),
        })
    }
}

/// An error made on the spot (`fmt.Errorf(...)`, `errors.New(...)`): nobody can compare it by
/// identity, so joining another error to it changes nothing a caller relies on.
fn fresh_error(expr: Node, facts: &FileFacts) -> bool {
    expr.is(facts.k.call_expression)
        && expr
            .child_by_field_id(facts.k.f_function)
            .is_some_and(|f| matches!(facts.text(f), "fmt.Errorf" | "errors.New"))
}

/// Whether the return's values use `var` (`return io.ReadAll(f)`, `return m, ts.Close`): a
/// release before it would release what it still reads or hands over. A response's fields
/// other than its body (`resp.Status`) stay readable once the body is closed.
fn uses(ret: Node, var: &str, kind: Kind, facts: &FileFacts) -> bool {
    let k = facts.k;
    crate::tree::preorder(ret).any(|n| {
        if !n.is(k.identifier) || facts.text(n) != var {
            return false;
        }
        let field = n
            .parent()
            .filter(|p| p.is(k.selector_expression))
            .and_then(|p| p.child_by_field_id(k.f_field))
            .map(|f| facts.text(f));
        !(kind == Kind::Response && field.is_some_and(|f| f != "Body"))
    })
}

/// The context a cancel's call made (`ctx` of `ctx, cancel := context.WithCancel(parent)`):
/// cancelling before a return that hands it out would give the caller a dead context.
fn derived_context<'t>(r: &Resource<'t>, facts: &FileFacts<'t>) -> Option<&'t str> {
    if r.kind != Kind::Cancel {
        return None;
    }
    let k = facts.k;
    let left = r.stmt.child_by_field_id(k.f_left)?;
    let mut c = left.walk();
    let first = left.named_children(&mut c).find(|n| !n.is_comment())?;
    first.is(k.identifier).then(|| facts.text(first)).filter(|n| *n != "_")
}

/// The values a `return` gives, in order.
fn return_values<'t>(ret: Node<'t>, facts: &FileFacts) -> Vec<Node<'t>> {
    let k = facts.k;
    let mut c = ret.walk();
    let Some(list) = ret.named_children(&mut c).find(|n| !n.is_comment()) else {
        return Vec::new();
    };
    if !list.is(k.expression_list) {
        return vec![list];
    }
    let mut c = list.walk();
    list.named_children(&mut c).filter(|n| !n.is_comment()).collect()
}

/// Whether `var` leaves the function's hands before byte `until` (a leaking return): captured
/// by a closure, sent on a channel, put in a composite literal, or stored in a field, a map or a
/// slice. A fix that releases it there would release what someone else still uses. (A `return`
/// that hands it to the caller ends its own path, never the leaking one's.)
fn handed_over(var: &str, func: Node, until: usize, facts: &FileFacts) -> bool {
    let k = facts.k;
    let Some(body) = func.child_by_field_id(k.f_body) else {
        return false;
    };
    crate::tree::preorder(body)
        .filter(|n| n.start_byte() < until && n.is(k.identifier) && facts.text(*n) == var)
        .any(|id| {
            if fixes::enclosing_function(id) != Some(func) {
                return true;
            }
            let Some(parent) = id.parent() else {
                return false;
            };
            let holder = match parent.is(k.expression_list) {
                true => parent.parent(),
                false => Some(parent),
            };
            holder.is_some_and(|h| {
                h.is(k.send_statement)
                    || h.is(k.literal_element)
                    || h.is(k.keyed_element)
                    || stored(h, parent, facts)
            })
        })
}

/// Whether `holder` is an assignment whose right side `side` goes into a field or an element.
fn stored(holder: Node, side: Node, facts: &FileFacts) -> bool {
    let k = facts.k;
    if !holder.is(k.assignment_statement) || holder.child_by_field_id(k.f_right) != Some(side) {
        return false;
    }
    let Some(left) = holder.child_by_field_id(k.f_left) else {
        return false;
    };
    let mut c = left.walk();
    let targets: Vec<Node> = left.named_children(&mut c).collect();
    targets
        .iter()
        .any(|t| t.is(k.selector_expression) || t.is(k.index_expression))
}
