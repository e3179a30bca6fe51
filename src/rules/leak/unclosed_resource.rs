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
//! where the resource is certainly open.

use super::flow::{own_calls, LeakAt, LeakFlow, Resource};
use super::resources::{Custom, Env, FileFacts, Kind};
use crate::analysis::cfg::{Cfg, Exit};
use crate::config::RuleSettings;
use crate::finding::{Applicability, Edit, Fix, Position};
use crate::rules::{Diagnostic, FileContext, Identified, Rule};
use crate::tree::Node;

pub struct UnclosedResource;

impl Rule for UnclosedResource {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let facts = FileFacts::new(cx.root, &cx.file.text, custom(settings));
        let default = crate::catalogue::catalogue()
            .get(self.id())
            .map(|m| m.severity())
            .unwrap_or(settings.severity);
        let graded = settings.severity == default;
        for (func, candidates) in own_calls(cx.functions(), |call| facts.may_acquire(call)) {
            for mut d in check_function(func, candidates, &facts, cx) {
                if !graded {
                    d.severity = None;
                }
                out.push(d);
            }
        }
    }
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
        if let Some(d) = report(&r, &leaks, facts, cx) {
            out.push(d);
        }
    }
    out
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
        (Kind::Cancel, _) => format!("{var}()"),
        (Kind::Response, _) => format!("{var}.Body.Close()"),
        (Kind::Tx, _) => format!("{var}.Rollback()"),
        (kind, None) => format!("{var}.{}()", kind.release_methods()[0]),
    }
}

fn discarded(r: &Resource, facts: &FileFacts) -> Diagnostic {
    let callee = r
        .call
        .child_by_field_id(facts.k.f_function)
        .map(|f| facts.text(f))
        .unwrap_or("");
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
    let mut d = Diagnostic::at(node, message);
    if node.start_position().row != node.end_position().row {
        d.end_byte = cx.file.line_end_byte(node.start_byte());
    }
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
    let cond = stmt.child_by_field_id(k.f_condition)?;
    let text = facts.text(cond);
    let err = text.strip_suffix(" != nil").filter(|v| !v.contains(' '));
    if let Some(err) = err {
        let assigning = stmt
            .child_by_field_id(k.f_initializer)
            .or_else(|| stmt.prev_named_sibling())
            .filter(|s| assigns(*s, err, facts))?;
        let call = assigning
            .child_by_field_id(k.f_right)?
            .named_child(0)
            .filter(|c| c.kind_id() == k.call_expression)?;
        let callee = facts.text(call.child_by_field_id(k.f_function)?);
        return Some(format!("{callee} fails"));
    }
    (text.len() <= 60 && !text.contains('\n')).then(|| text.to_string())
}

fn assigns(stmt: Node, name: &str, facts: &FileFacts) -> bool {
    let k = facts.k;
    if stmt.kind_id() != k.short_var_declaration && stmt.kind_id() != k.assignment_statement {
        return false;
    }
    let Some(left) = stmt.child_by_field_id(k.f_left) else {
        return false;
    };
    let mut c = left.walk();
    let hit = left.named_children(&mut c).any(|x| facts.text(x) == name);
    hit
}

/// `db.Close()` inserted before each leaking return, when every leak is a return where the
/// resource is certainly open, the return starts its own line, and the release is one call.
fn fix(r: &Resource, leaks: &[LeakAt], facts: &FileFacts, cx: &FileContext) -> Option<Fix> {
    let call = release_call(r, facts);
    let mut edits = Vec::new();
    for l in leaks {
        let LeakAt::Exit(Exit::Return(ret), true) = l else {
            return None;
        };
        let (row, col) = cx.file.position(ret.start_byte());
        let line_text = cx.file.line_text(row);
        let indent = &line_text[..col - 1];
        if !indent.chars().all(char::is_whitespace) {
            return None;
        }
        let at = ret.start_byte();
        let pos = Position {
            line: row,
            column: col,
        };
        edits.push(Edit {
            start_byte: at,
            end_byte: at,
            start: pos,
            end: pos,
            replacement: format!("{call}\n{indent}"),
        });
    }
    Some(Fix {
        description: format!("call {call} before returning"),
        applicability: Applicability::Unsafe,
        edits,
    })
}
