//! Error-handling rules: errors dropped by a call statement (`unchecked-error`), errors assigned
//! to `_` while the value beside them is used (`ignored-error`), and error chains broken by
//! `%v` or by `==` (`error-wrap-verb`). All ask the index which calls return an `error`.

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_errors.rs"));

use crate::analysis::types::{Callee, CalleeKind, Certainty, FileTypes};
use crate::index::Ty;
use crate::syntax::kinds::k;
use crate::tree::Node;

/// For each result of the callee, whether it is an error, as errcheck decides it (a named type
/// or pointer whose method set has `Error() string`). Unknown types count as not errors.
pub fn error_results(types: &FileTypes, callee: &Callee) -> Vec<bool> {
    callee
        .sig
        .results
        .iter()
        .map(|t| match t {
            Ty::Named(..) | Ty::Pointer(_) => types.is_error_type(t).unwrap_or(false),
            _ => false,
        })
        .collect()
}

/// Whether the user excluded the callee (`exclude-functions`, errcheck's syntax): its full name,
/// `io.Copy` or `(*bytes.Buffer).Write`, or for an interface method the name under each
/// interface it was reached through, `(io.Closer).Close`.
pub fn excluded_by_user(callee: &Callee, excluded: &[String]) -> bool {
    if excluded.is_empty() {
        return false;
    }
    let full = callee.full_name();
    excluded.contains(&full)
        || interface_method_names(callee)
            .iter()
            .any(|n| excluded.contains(n))
}

/// `(io.Closer).Close` for each interface an interface method was reached through; nothing for
/// a function or a concrete method.
pub fn interface_method_names(callee: &Callee) -> Vec<String> {
    match &callee.kind {
        CalleeKind::Method {
            via,
            interface: true,
            ..
        } => via
            .iter()
            .map(|t| format!("({t}).{}", callee.name))
            .collect(),
        _ => Vec::new(),
    }
}

/// The callee, when it is resolved well enough to report on: declared, or voted by at least
/// `min_share` of the methods with that name and arity.
pub fn trusted_callee(
    types: &FileTypes,
    call: Node,
    min_share: f64,
) -> Option<std::sync::Arc<Callee>> {
    let c = types.callee(call)?;
    match c.certainty {
        Certainty::Exact => Some(c),
        Certainty::Voted(share) if share >= min_share => Some(c),
        Certainty::Voted(_) => None,
    }
}

/// The receiver expression of a method call `x.M()`.
pub fn receiver(call: Node) -> Option<Node> {
    let k = k();
    let f = call.child_by_field_id(k.f_function)?;
    (f.kind_id() == k.selector_expression).then(|| f.child_by_field_id(k.f_operand))?
}

/// Whether the value of `expr` was opened for writing: a file from `os.Create` or `os.OpenFile`
/// with a write flag, or a writer type whose `Close`/`Flush` commits data (`*bufio.Writer`,
/// `*gzip.Writer`, `io.WriteCloser`, ...).
pub fn opened_for_writing(types: &FileTypes, src: &str, expr: Node) -> bool {
    if let Some(t) = types.type_of(expr) {
        if is_writer_type(&t) {
            return true;
        }
    }
    let k = k();
    if expr.kind_id() != k.identifier {
        return false;
    }
    let Some(decl) = types.decl_of(expr) else {
        return false;
    };
    let at = types.decl_position(decl);
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    let line = &src[line_start..line_end];
    line.contains("os.Create(")
        || (line.contains("os.OpenFile(")
            && ["O_WRONLY", "O_RDWR", "O_APPEND", "O_CREATE"]
                .iter()
                .any(|f| line.contains(f)))
}

fn is_writer_type(t: &Ty) -> bool {
    let Some((pkg, name)) = t.named_parts() else {
        return false;
    };
    matches!(
        (pkg, name),
        ("bufio", "Writer")
            | ("compress/gzip", "Writer")
            | ("compress/zlib", "Writer")
            | ("compress/flate", "Writer")
            | ("archive/zip", "Writer")
            | ("archive/tar", "Writer")
            | ("io", "WriteCloser")
            | ("io", "PipeWriter")
            | ("encoding/csv", "Writer")
    )
}

/// What the caller loses when this callee's error is dropped, in a few words; `writing` says
/// the receiver was opened for writing.
pub fn consequence(callee: &Callee, writing: bool) -> &'static str {
    let method = matches!(callee.kind, CalleeKind::Method { .. });
    match callee.name.as_str() {
        "Close" if method && writing => {
            "a failed close can lose buffered writes and goes unnoticed"
        }
        "Close" if method => "a failed close goes unnoticed",
        "Flush" | "Sync" => "data may not reach its destination and nobody will know",
        n if n.starts_with("Write") || n.starts_with("Fprint") || n == "Copy" || n == "Encode" => {
            "a short or failed write goes unnoticed"
        }
        n if n.starts_with("Read") || n == "Decode" || n == "Unmarshal" || n == "Scan" => {
            "the data may be partial or missing"
        }
        "Rollback" | "Commit" => "the transaction's outcome goes unnoticed",
        "Remove" | "RemoveAll" => "files may be left behind",
        _ => "a failure goes unnoticed and the code carries on as if it succeeded",
    }
}

/// All arguments are literals (or there are none): the call's outcome is fixed when written,
/// like `url.Parse("https://example.com")`.
pub fn constant_arguments(call: Node) -> bool {
    let k = k();
    let Some(args) = call.child_by_field_id(k.f_arguments) else {
        return true;
    };
    let mut c = args.walk();
    let all = args.named_children(&mut c).all(|a| {
        let kind = a.kind_id();
        kind == k.interpreted_string_literal
            || kind == k.raw_string_literal
            || kind == k.int_literal
            || kind == k.float_literal
            || kind == k.rune_literal
    });
    all
}

/// `tx.Rollback(); os.Remove(tmp); return nil, err`: cleanup on a path that already returns an
/// error, which is the one a caller needs; a second one could not be returned. The call's
/// statement is followed, past comments and other call statements (more cleanup), by a `return`
/// whose last result is an error value (`err`, `fmt.Errorf(...)`), not `nil` or a literal.
pub fn cleanup_before_error_return(call: Node) -> bool {
    let k = k();
    let mut stmt = call;
    while let Some(p) = stmt.parent() {
        if p.kind_id() == k.statement_list || p.kind_id() == k.block {
            break;
        }
        stmt = p;
    }
    let mut next = stmt.next_named_sibling();
    while let Some(n) = next.filter(|n| n.is_comment() || is_call_statement(*n)) {
        next = n.next_named_sibling();
    }
    let Some(ret) = next.filter(|n| n.kind_id() == k.return_statement) else {
        return false;
    };
    last_result(ret).is_some_and(|e| {
        let kind = e.kind_id();
        kind != k.nil
            && kind != k.true_
            && kind != k.false_
            && kind != k.interpreted_string_literal
            && kind != k.raw_string_literal
            && kind != k.int_literal
    })
}

/// `f()` or `_ = f()`: a statement that only makes a call.
fn is_call_statement(n: Node) -> bool {
    let k = k();
    let call = if n.kind_id() == k.expression_statement {
        n.named_child(0)
    } else if n.kind_id() == k.assignment_statement {
        n.child_by_field_id(k.f_right)
            .and_then(|r| r.named_child(0))
    } else {
        None
    };
    call.is_some_and(|c| c.kind_id() == k.call_expression)
}

/// The last expression a `return` statement gives, if it gives any.
pub fn last_result(ret: Node) -> Option<Node> {
    let list = ret.named_child(0)?;
    list.named_child(list.named_child_count().saturating_sub(1) as u32)
}

pub use crate::analysis::enclosing_function;
