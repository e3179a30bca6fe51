//! `ignored-error`: an error result assigned to `_` where it hurts.
//!
//! What it finds: `v, _ := f()` followed by a use of `v`. Why it matters: unlike an unchecked
//! call, the value is kept and used as if it were good. High where the value is data read from
//! outside (`body, _ := io.ReadAll(resp.Body)`: the code acts on data that may be partial),
//! medium elsewhere (a zero value, usually the default the code wants). An `_` assignment whose
//! only result is the error (`_ = f.Close()`, `_, _ = w.Write(b)` in a handler) is a visible
//! decision, reported only with `blank = true` (errcheck's `-blank`; a `Close`/`Flush` of what
//! was opened for writing then says that data may be lost). Calls whose arguments are all
//! literals (`url.Parse("https://x")`) cannot fail at run time and are left alone.

use super::{
    cleanup_before_error_return, constant_arguments, enclosing_function, error_results, excluded_by_user, last_result, opened_for_writing, receiver,
    trusted_callee,
};
use crate::analysis::types::{Callee, CalleeKind, DeclId, FileTypes};
use crate::config::RuleSettings;
use crate::finding::Severity;
use crate::index::Ty;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::field_children;
use crate::tree::Node;

pub struct IgnoredError;

const MIN_VOTE_SHARE: f64 = 0.9;

impl Rule for IgnoredError {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["short_var_declaration", "assignment_statement", "var_spec"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(types) = cx.types() else { return };
        let Some((left, call)) = sides(node) else {
            return;
        };
        // Most assignments keep every result: skip resolving their callee.
        if !left.iter().any(|n| cx.text(*n) == "_") {
            return;
        }
        let Some(callee) = trusted_callee(types, call, MIN_VOTE_SHARE) else {
            return;
        };
        if excluded_by_user(&callee, &settings.options.ignored_error().exclude_functions) {
            return;
        }
        let errs = failure_results(types, &callee);
        let Some(blank) = left
            .iter()
            .enumerate()
            .find(|(i, n)| cx.text(**n) == "_" && errs.get(*i) == Some(&true))
            .map(|(_, n)| *n)
        else {
            return;
        };
        if let Some(d) = value_used(types, cx, node, &left, call, &callee) {
            out.push(d);
        } else if settings.options.ignored_error().blank {
            out.push(
                lost_write(types, cx, call, &callee).unwrap_or_else(|| {
                    let msg = format!("error from {} is assigned to _", callee.display());
                    Diagnostic::at(blank, msg).with_severity(Severity::Low)
                }),
            );
        }
    }
}

/// For each result, whether it reports a failure: the `error` interface wherever it stands, a
/// concrete type implementing error only as the last result. Before a `bool`, as in
/// `func IsAskError(err error) (*AskError, bool)`, it is the value asked for, not a failure.
fn failure_results(types: &FileTypes, callee: &Callee) -> Vec<bool> {
    let last = callee.sig.results.len().saturating_sub(1);
    let mut errs = error_results(types, callee);
    for (i, t) in callee.sig.results.iter().enumerate() {
        let interface = matches!(t, Ty::Named(pkg, name) if pkg.is_empty() && &**name == "error");
        if i != last && !interface {
            errs[i] = false;
        }
    }
    errs
}

/// The left-hand names and the single call on the right, if the statement has that shape.
fn sides(node: Node) -> Option<(Vec<Node>, Node)> {
    let k = k();
    let (left, right) = if node.kind_id() == k.var_spec {
        (
            field_children(node, k.f_name),
            node.child_by_field_id(k.f_value)?,
        )
    } else {
        let l = node.child_by_field_id(k.f_left)?;
        let mut c = l.walk();
        let names = l.named_children(&mut c).collect();
        (names, node.child_by_field_id(k.f_right)?)
    };
    if node.kind_id() == k.assignment_statement {
        let op = node.child_by_field_id(k.f_operator)?;
        if !op.is(k.t_eq) {
            return None;
        }
    }
    if right.named_child_count() != 1 {
        return None;
    }
    let call = right.named_child(0)?;
    (call.kind_id() == k.call_expression).then_some((left, call))
}

/// `v, _ := f()` with `v` used afterwards: the code acts on a value that may be bad.
fn value_used(
    types: &FileTypes,
    cx: &FileContext,
    stmt: Node,
    left: &[Node],
    call: Node,
    callee: &Callee,
) -> Option<Diagnostic> {
    if constant_arguments(call) || constant_request(cx, call, callee) || never_fails(cx, callee) {
        return None;
    }
    let k = k();
    let value = left
        .iter()
        .find(|n| n.kind_id() == k.identifier && cx.text(**n) != "_")?;
    let decl = types.decl(*value)?;
    let uses = uses(types, cx, stmt, cx.text(*value), decl);
    let use_line = uses.first()?.start_position().row + 1;
    let name = cx.text(*value);
    let mut severity = impact(callee);
    let mut msg = format!(
        "error from {} is discarded; {name} {} and is used at line {use_line}",
        callee.display(),
        what_may_be_wrong(callee)
    );
    if severity == Severity::High && uses.iter().all(|u| only_shown(*u, cx)) {
        severity = Severity::Medium;
        msg.push_str(", only in a message");
    } else if severity == Severity::High && counts_bytes(callee) {
        severity = Severity::Medium;
        msg.push_str(" as the count of bytes read");
    } else if severity == Severity::High && reads_a_bounded_prefix(call, cx) {
        severity = Severity::Medium;
        msg.push_str(", a bounded read (io.LimitReader) whose shortness is expected");
    }
    Some(Diagnostic::at(call, msg).with_severity(severity))
}

/// `io.ReadFull` and `io.ReadAtLeast`: the count they return says how much of the buffer holds
/// data, so code that uses it (`buf[:n]`) handles a short read; only the cause is lost.
fn counts_bytes(callee: &Callee) -> bool {
    callee.pkg == "io" && matches!(callee.name.as_str(), "ReadFull" | "ReadAtLeast")
}

/// `io.ReadAll(io.LimitReader(resp.Body, 512))`: the code asked for a prefix at most, to show
/// or sniff it (an error response's first bytes), so a read cut short changes little more than
/// the limit already does.
fn reads_a_bounded_prefix(call: Node, cx: &FileContext) -> bool {
    let k = k();
    call.child_by_field_id(k.f_arguments)
        .and_then(|a| a.named_child(0))
        .filter(|a| a.kind_id() == k.call_expression)
        .and_then(|a| a.child_by_field_id(k.f_function))
        .is_some_and(|f| cx.text(f) == "io.LimitReader")
}

/// Calls that put their arguments in a message: an error, a log line, a printed line.
const MESSAGE_CALLS: [&str; 26] = [
    "Errorf", "Error", "Errorln", "Errorw", "Debugf", "Debug", "Debugw", "Infof", "Info",
    "Infow", "Warnf", "Warn", "Warnw", "Warningf", "Warning", "Logf", "Log", "Printf",
    "Println", "Print", "Fatalf", "Panicf", "Wrap", "Wrapf", "WithMessage", "WithMessagef",
];

/// Calls that turn text into other text on the way to a message (`string(body)`,
/// `strings.TrimSpace(...)`, `fmt.Sprintf(...)`).
const TEXT_CALLS: [&str; 10] = [
    "string", "TrimSpace", "Trim", "TrimRight", "TrimLeft", "TrimSuffix", "TrimPrefix",
    "Sprintf", "Sprint", "Quote",
];

/// A use of a value read from outside that only shows it: an argument of an error or log call
/// (`fmt.Errorf("status %d: %s", code, string(body))`), through conversions to text. A short
/// read then shortens a message; a value that decides anything (`len(body) > 0`, a decode, a
/// comparison) is acted on.
fn only_shown(mut n: Node, cx: &FileContext) -> bool {
    let k = k();
    while let Some(parent) = n.parent() {
        if parent.kind_id() == k.parenthesized_expression {
            n = parent;
            continue;
        }
        if parent.kind_id() != k.argument_list {
            return false;
        }
        let Some(call) = parent.parent().filter(|c| c.kind_id() == k.call_expression) else {
            return false;
        };
        let callee = call
            .child_by_field_id(k.f_function)
            .map(|f| cx.text(f))
            .unwrap_or("");
        let last = callee.rsplit('.').next().unwrap_or("");
        if MESSAGE_CALLS.contains(&last) || callee == "errors.New" {
            return true;
        }
        if !TEXT_CALLS.contains(&last) {
            return false;
        }
        n = call;
    }
    false
}

/// High where the value is data read from outside that may be cut short (`io.ReadAll`,
/// `io.ReadFull`, `os.ReadFile`): the code goes on with part of a response or a file as if it
/// were all of it. Elsewhere the value left behind is a zero value or nil, which code that
/// discards the error nearly always means as its default (`n, _ := strconv.Atoi(s)`): medium.
fn impact(callee: &Callee) -> Severity {
    let read = matches!(callee.kind, CalleeKind::Func)
        && match callee.pkg.as_str() {
            "io" | "io/ioutil" => callee.name.starts_with("Read"),
            "os" => callee.name == "ReadFile",
            _ => false,
        };
    if read {
        Severity::High
    } else {
        Severity::Medium
    }
}

/// `http.NewRequest("GET", "https://example.com/x", nil)`: a request built from a constant
/// method, a literal URL and no body fails only on a malformed URL or method, which the literal
/// rules out (the context of `NewRequestWithContext` is a variable, never nil in practice).
fn constant_request(cx: &FileContext, call: Node, callee: &Callee) -> bool {
    let k = k();
    let skip = match (callee.pkg.as_str(), callee.name.as_str()) {
        ("net/http", "NewRequest") => 0,
        ("net/http", "NewRequestWithContext") => 1,
        _ => return false,
    };
    let Some(args) = call.child_by_field_id(k.f_arguments) else {
        return false;
    };
    let mut c = args.walk();
    let args: Vec<Node> = args.named_children(&mut c).skip(skip).collect();
    let [method, url, body] = args[..] else {
        return false;
    };
    let literal = |n: Node| n.kind_id() == k.interpreted_string_literal || n.kind_id() == k.raw_string_literal;
    let method_ok = literal(method) || cx.text(method).starts_with("http.Method");
    let body_ok = body.kind_id() == k.nil || cx.text(body) == "http.NoBody";
    method_ok && literal(url) && body_ok
}

/// A function of this package whose every `return` gives `nil` as its last result
/// (`return tw, nil`): its error result is there for a future failure, and dropping it loses
/// nothing today. Every declaration of that name must say so (methods are matched by name);
/// an interface's method is never judged by the implementations this package happens to hold.
fn never_fails(cx: &FileContext, callee: &Callee) -> bool {
    let (Some(package), Some(types)) = (cx.package, cx.types()) else {
        return false;
    };
    let declared_here = match &callee.kind {
        CalleeKind::Func => true,
        CalleeKind::Method { interface, .. } => !interface,
        _ => false,
    };
    if !declared_here || callee.pkg != types.scope().current.path {
        return false;
    }
    let decls = package.declarations_named(&callee.name);
    !decls.is_empty()
        && decls
            .iter()
            .all(|(_, decl)| returns_only_nil_errors(*decl))
}

/// Every `return` of the function (not of its func literals) ends with the literal `nil`, and
/// there is at least one.
fn returns_only_nil_errors(decl: Node) -> bool {
    let k = k();
    let Some(body) = decl.child_by_field_id(k.f_body) else {
        return false;
    };
    let mut returns = 0;
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.kind_id() == k.func_literal {
            continue;
        }
        if n.kind_id() == k.return_statement {
            if last_result(n).is_none_or(|e| e.kind_id() != k.nil) {
                return false;
            }
            returns += 1;
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    returns > 0
}

/// The reads of the declaration `decl` after the statement, in its function, in order.
fn uses<'t>(
    types: &FileTypes,
    cx: &FileContext,
    stmt: Node<'t>,
    name: &str,
    decl: DeclId,
) -> Vec<Node<'t>> {
    let k = k();
    let Some(func) = enclosing_function(stmt) else {
        return Vec::new();
    };
    let after = stmt.end_byte();
    crate::tree::preorder(func)
        .filter(|n| n.start_byte() >= after && n.kind_id() == k.identifier)
        .filter(|n| cx.text(*n) == name && types.decl_of(*n) == Some(decl) && !is_assigned(*n))
        .collect()
}

/// The identifier is only written (`v = ...`), not read.
fn is_assigned(n: Node) -> bool {
    let k = k();
    let Some(list) = n.parent() else { return false };
    let Some(stmt) = list.parent() else {
        return false;
    };
    stmt.kind_id() == k.assignment_statement && stmt.child_by_field_id(k.f_left) == Some(list)
}

fn what_may_be_wrong(callee: &Callee) -> &'static str {
    match callee.name.as_str() {
        n if n.starts_with("Read") || n == "Copy" || n == "Get" || n == "Do" => {
            "may be truncated or empty"
        }
        n if n.starts_with("Parse")
            || n.starts_with("Atoi")
            || n.contains("Unmarshal")
            || n.starts_with("Decode") =>
        {
            "may be a zero value"
        }
        _ => "may be invalid",
    }
}

/// With `blank = true`: `_ = f.Close()` (or `Flush`, `Sync`) on something opened for writing.
fn lost_write(
    types: &FileTypes,
    cx: &FileContext,
    call: Node,
    callee: &Callee,
) -> Option<Diagnostic> {
    if !matches!(callee.name.as_str(), "Close" | "Sync" | "Flush") {
        return None;
    }
    let recv = receiver(call)?;
    if !opened_for_writing(types, &cx.file.text, recv) || cleanup_before_error_return(call) {
        return None;
    }
    let msg = format!(
        "error from {} is assigned to _; {} was opened for writing and data may be lost",
        callee.display(),
        cx.text(recv)
    );
    Some(Diagnostic::at(call, msg).with_severity(Severity::Medium))
}
