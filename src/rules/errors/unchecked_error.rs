//! `unchecked-error`: a call statement, `go` or `defer` whose error result nobody looks at.
//!
//! What it finds: `f.Write(b)`, `defer w.Flush()`, `go srv.Serve(l)` where the callee returns an
//! `error` (the last result or any other), by the index's signatures. Why it matters: the code
//! carries on as if the call succeeded; a failed write or flush loses data silently.
//!
//! Two modes. `errcheck` matches errcheck exactly (its default exclusions: `bytes.Buffer` and
//! `strings.Builder` writes, `fmt.Print*`, `fmt.Fprint*` to buffers and `os.Stderr`,
//! `hash.Hash.Write`, ...), for the parity script. `default` is what a Go team wants: errcheck's
//! exclusions plus golangci-lint's std-error-handling idioms, kept only where they are noise:
//! `fmt.Fprint*` to any writer, `defer tx.Rollback()`, deferred `os.Remove*`, `recover()`,
//! best-effort cleanup right before returning the first error (`tx.Rollback()`, `os.Remove`,
//! `Close`, `Kill`, then `return nil, err`), and a `Close`, deferred or not, of something only
//! read from (a `Close` of a file opened for writing or of a
//! writer such as `*bufio.Writer` or `*gzip.Writer` is still reported: it can lose data).

use super::{
    cleanup_before_error_return, consequence, error_results, excluded_by_user, interface_method_names, opened_for_writing,
    receiver, trusted_callee,
};
use crate::analysis::types::{Callee, CalleeKind, FileTypes};
use crate::config::options::UncheckedErrorMode;
use crate::config::RuleSettings;
use crate::index::Ty;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::Node;

pub struct UncheckedError;

/// A vote must be this sure before a call with an unknown receiver is reported.
const MIN_VOTE_SHARE: f64 = 0.75;

impl Rule for UncheckedError {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["expression_statement", "go_statement", "defer_statement"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(types) = cx.types() else { return };
        let Some(call) = node
            .named_child(0)
            .filter(|c| c.kind_id() == k().call_expression)
        else {
            return;
        };
        let errcheck = settings.options.unchecked_error().mode == UncheckedErrorMode::Errcheck;
        let Some(callee) = trusted_callee(types, call, MIN_VOTE_SHARE) else {
            return;
        };
        let deferred = node.kind_id() == k().defer_statement;
        let is_recover = callee.kind == CalleeKind::Builtin && callee.name == "recover";
        if is_recover {
            if errcheck {
                out.push(at_paren(
                    call,
                    "recover() result is not checked: the recovered panic is dropped".into(),
                ));
            }
            return;
        }
        if !error_results(types, &callee).contains(&true)
            || errcheck_excluded(types, call, &callee)
            || excluded_by_user(&callee, &settings.options.unchecked_error().exclude_functions)
        {
            return;
        }
        if !errcheck && default_excluded(types, &cx.file.text, call, &callee, deferred) {
            return;
        }
        let (before, after) = match node.kind_id() {
            x if x == k().defer_statement => ("deferred ", ""),
            x if x == k().go_statement => ("", ", started with go,"),
            _ => ("", ""),
        };
        let msg = format!(
            "error returned by {before}{}{after} is not checked: {}",
            callee.display(),
            consequence(&callee, writing(types, &cx.file.text, call))
        );
        out.push(at_paren(call, msg));
    }
}

fn writing(types: &FileTypes, src: &str, call: Node) -> bool {
    receiver(call).is_some_and(|r| opened_for_writing(types, src, r))
}

/// errcheck reports at the call's `(`; so does this rule, so the two match by line.
fn at_paren(call: Node, message: String) -> Diagnostic {
    let start = call
        .child_by_field_id(k().f_arguments)
        .map_or(call.start_byte(), |a| a.start_byte());
    let mut d = Diagnostic::at(call, message);
    d.start_byte = start;
    d
}

/// errcheck's `DefaultExcludedSymbols` (v1.9.0, errcheck/excludes.go). Like errcheck, only
/// calls written as `x.f(...)` are matched, and an interface method under the name of every
/// interface it was reached through.
fn errcheck_excluded(types: &FileTypes, call: Node, callee: &Callee) -> bool {
    let selector = call
        .child_by_field_id(k().f_function)
        .is_some_and(|f| f.kind_id() == k().selector_expression);
    if !selector {
        return false;
    }
    let name = callee.full_name();
    const SYMBOLS: &[&str] = &[
        "(*bytes.Buffer).Write",
        "(*bytes.Buffer).WriteByte",
        "(*bytes.Buffer).WriteRune",
        "(*bytes.Buffer).WriteString",
        "fmt.Print",
        "fmt.Printf",
        "fmt.Println",
        "(*io.PipeReader).CloseWithError",
        "(*io.PipeWriter).CloseWithError",
        "math/rand.Read",
        "(*math/rand.Rand).Read",
        "(*strings.Builder).Write",
        "(*strings.Builder).WriteByte",
        "(*strings.Builder).WriteRune",
        "(*strings.Builder).WriteString",
        "(hash.Hash).Write",
        "(*hash/maphash.Hash).Write",
        "(*hash/maphash.Hash).WriteByte",
        "(*hash/maphash.Hash).WriteString",
    ];
    if SYMBOLS.contains(&name.as_str())
        || interface_names(callee)
            .iter()
            .any(|n| SYMBOLS.contains(&n.as_str()))
    {
        return true;
    }
    if matches!(name.as_str(), "fmt.Fprint" | "fmt.Fprintf" | "fmt.Fprintln") {
        return first_arg_is_buffer_or_stderr(types, call);
    }
    false
}

/// `(hash.Hash32).Write`, `(hash.Hash).Write`, `(io.Writer).Write` for a method reached through
/// embedded interfaces; the standard library's table flattens interfaces, so `hash.HashNN`
/// also stands for the `hash.Hash` it embeds.
fn interface_names(callee: &Callee) -> Vec<String> {
    let mut names = interface_method_names(callee);
    let CalleeKind::Method { via, .. } = &callee.kind else {
        return names;
    };
    let hash = |t: &Ty| {
        t.named_parts()
            .is_some_and(|(p, n)| p == "hash" && n.starts_with("Hash"))
    };
    if !names.is_empty() && via.iter().any(hash) {
        names.push(format!("(hash.Hash).{}", callee.name));
    }
    names
}

fn first_arg_is_buffer_or_stderr(types: &FileTypes, call: Node) -> bool {
    let Some(arg) = call
        .child_by_field_id(k().f_arguments)
        .and_then(|a| a.named_child(0))
    else {
        return false;
    };
    if arg.kind_id() == k().selector_expression {
        let operand = arg.child_by_field_id(k().f_operand);
        let field = arg.child_by_field_id(k().f_field);
        if let (Some(o), Some(f)) = (operand, field) {
            let pkg = types.imports().path(text(types, o));
            if pkg == Some("os") && text(types, f) == "Stderr" {
                return true;
            }
        }
    }
    let Some(t) = types.type_of(arg) else {
        return false;
    };
    t == Ty::Pointer(Box::new(Ty::named("bytes", "Buffer")))
        || t == Ty::Pointer(Box::new(Ty::named("strings", "Builder")))
}

fn text<'a>(types: &FileTypes<'a>, n: Node) -> &'a str {
    types.source().get(n.byte_range()).unwrap_or("")
}

/// `resp.Body.Close()`: the receiver's type can only be read from, so closing loses nothing.
fn read_only(types: &FileTypes, call: Node) -> bool {
    let Some(t) = receiver(call).and_then(|r| types.type_of(r)) else {
        return false;
    };
    t == Ty::named("io", "ReadCloser")
}

/// The idioms golangci-lint's std-error-handling preset drops, narrowed to where they are noise.
fn default_excluded(
    types: &FileTypes,
    src: &str,
    call: Node,
    callee: &Callee,
    deferred: bool,
) -> bool {
    let name = callee.full_name();
    if name.starts_with("fmt.Fprint") || name.starts_with("fmt.Print") {
        return true;
    }
    if callee.name == "Close" {
        // Closing what was only read from loses nothing, deferred or on an error path; a
        // writer's Close can lose data and stays reported.
        return read_only(types, call)
            || !receiver(call).is_some_and(|r| opened_for_writing(types, src, r))
            || (!deferred && cleanup_before_error_return(call));
    }
    let cleanup = match callee.name.as_str() {
        "Rollback" => true,
        "Remove" | "RemoveAll" => matches!(callee.kind, CalleeKind::Func),
        _ => false,
    };
    if deferred {
        return cleanup;
    }
    // Best-effort cleanup after the first error, which is the one returned: `tx.Rollback();
    // return err`, `os.Remove(tmp); return nil, err`, `cmd.Process.Kill(); return err`.
    (cleanup || callee.name == "Kill") && cleanup_before_error_return(call)
}
