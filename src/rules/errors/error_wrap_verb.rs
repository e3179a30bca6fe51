//! `error-wrap-verb`: an error chain broken where it could be kept.
//!
//! What it finds: `fmt.Errorf("load: %v", err)` formatting an error with `%v` or `%s`, where `%w`
//! would keep it in the chain; and `err == ErrNotFound` or `err.(*PathError)` on an error that
//! came from a function of this module or a dependency, which may wrap (errorlint's comparison
//! check). Why it matters: `errors.Is` and `errors.As` callers up the stack stop seeing the cause,
//! and a sentinel compared with `==` stops matching the day a callee adds context with `%w`.
//! Errors straight from the standard library (`err == io.EOF` after `Read`) are not reported: it
//! returns its sentinels unwrapped. Fixes: `errors.Is` for a comparison (safe), `%w` for a plain
//! `%v`/`%s` in a format with no other `%w`: unsafe, as it changes what callers' checks see, except
//! in a function whose errors the package itself checks with `errors.Is`/`errors.As`
//! (`analysis::inspected`), where it is the fix those checks need (safe).

use super::enclosing_function;
use crate::analysis::types::{CalleeKind, FileTypes};
use crate::config::RuleSettings;
use crate::finding::{Applicability, Fix};
use crate::rules::fixes;
use crate::index::{stdlib, Ty};
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::Node;

pub struct ErrorWrapVerb;

impl Rule for ErrorWrapVerb {
    fn node_kinds(&self) -> &'static [&'static str] {
        &[
            "call_expression",
            "binary_expression",
            "type_assertion_expression",
        ]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(types) = cx.types() else { return };
        let k = k();
        let kind = node.kind_id();
        if kind == k.call_expression {
            errorf(types, cx, node, out);
        } else if kind == k.binary_expression {
            comparison(types, cx, node, out);
        } else if kind == k.type_assertion_expression {
            assertion(types, cx, node, out);
        }
    }
}

fn errorf(types: &FileTypes, cx: &FileContext, call: Node, out: &mut Vec<Diagnostic>) {
    let Some(callee) = types.callee(call) else {
        return;
    };
    if callee.kind != CalleeKind::Func || callee.pkg != "fmt" || callee.name != "Errorf" {
        return;
    }
    let Some(args) = call.child_by_field_id(k().f_arguments) else {
        return;
    };
    let mut c = args.walk();
    let args: Vec<Node> = args
        .named_children(&mut c)
        .filter(|a| !a.is_comment())
        .collect();
    let Some(format) = args.first().filter(|f| is_string_literal(**f)) else {
        return;
    };
    let spec = cx.text(*format);
    let wraps = verb_sites(spec).iter().any(|v| v.verb == 'w');
    for site in verb_sites(spec) {
        let verb = site.verb;
        if verb != 'v' && verb != 's' {
            continue;
        }
        let Some(arg) = args.get(site.arg + 1) else {
            continue;
        };
        if is_error(types, *arg) {
            let msg = format!(
                "fmt.Errorf formats the error {} with %{verb}: the chain is cut and errors.Is/errors.As cannot see it; use %w",
                cx.text(*arg)
            );
            let mut d = Diagnostic::at(*arg, msg);
            // A plain `%v` or `%s` only, and one `%w` a call (several need Go 1.20).
            if site.plain && !wraps {
                let at = format.start_byte() + site.byte;
                let inspected = inspected_by_callers(call, cx);
                d.fix = Some(Fix {
                    description: match inspected {
                        Some(name) => format!("wrap {} with %w: this package checks the errors of {name} with errors.Is/As, which then see it", cx.text(*arg)),
                        None => format!("wrap {} with %w (errors.Is and errors.As then see it)", cx.text(*arg)),
                    },
                    applicability: if inspected.is_some() {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    edits: vec![fixes::edit(cx.file, at, at + 1, "w".to_string())],
                });
            }
            out.push(d);
        }
    }
}

/// The name of the function holding `call` when the package hands its errors to `errors.Is` or
/// `errors.As`: there the cut chain is a bug its callers already trip on, and `%w` is the fix
/// they need (safe); elsewhere `%w` changes what callers' checks see (unsafe).
fn inspected_by_callers<'a>(call: Node, cx: &FileContext<'a>) -> Option<&'a str> {
    let func = enclosing_function(call)?;
    let name = cx.text(func.child_by_field_id(k().f_name)?);
    cx.package?
        .inspected_errors()
        .contains(name)
        .then_some(name)
}

/// One verb of a format string: the argument it formats, the byte offset of its letter, and
/// whether it has no flags, width or precision (`%v`, not `%+v`).
struct VerbSite {
    verb: char,
    arg: usize,
    byte: usize,
    plain: bool,
}

fn is_string_literal(n: Node) -> bool {
    let k = k();
    n.kind_id() == k.interpreted_string_literal || n.kind_id() == k.raw_string_literal
}

/// The verbs of a format string with the index of the argument each formats.
pub fn verbs(format: &str) -> Vec<(char, usize)> {
    verb_sites(format).into_iter().map(|v| (v.verb, v.arg)).collect()
}

fn verb_sites(format: &str) -> Vec<VerbSite> {
    let mut out = Vec::new();
    let mut arg = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '%' {
            continue;
        }
        loop {
            match chars.next() {
                Some((_, '%')) | None => break,
                Some((_, '[')) => {
                    let n: String = chars.by_ref().map(|(_, c)| c).take_while(|&c| c != ']').collect();
                    if let Ok(i) = n.parse::<usize>() {
                        arg = i.saturating_sub(1);
                    }
                }
                Some((_, '*')) => arg += 1,
                Some((_, c)) if "+-# 0123456789.".contains(c) => {}
                Some((byte, verb)) => {
                    let plain = byte == start + 1;
                    out.push(VerbSite { verb, arg, byte, plain });
                    arg += 1;
                    break;
                }
            }
        }
    }
    out
}

/// The expression's type is `error` or implements it.
fn is_error(types: &FileTypes, n: Node) -> bool {
    types
        .type_of(n)
        .is_some_and(|t| types.is_error_type(&t) == Some(true))
}

/// `err == ErrX` / `err != ErrX` where `ErrX` is a package-level error and `err` may be wrapped.
fn comparison(types: &FileTypes, cx: &FileContext, node: Node, out: &mut Vec<Diagnostic>) {
    let k = k();
    let Some(op) = node.child_by_field_id(k.f_operator) else {
        return;
    };
    let op = cx.text(op);
    if op != "==" && op != "!=" {
        return;
    }
    let (Some(l), Some(r)) = (
        node.child_by_field_id(k.f_left),
        node.child_by_field_id(k.f_right),
    ) else {
        return;
    };
    let (err, sentinel) = if is_sentinel(types, cx, r) {
        (l, r)
    } else if is_sentinel(types, cx, l) {
        (r, l)
    } else {
        return;
    };
    if err.kind_id() != k.identifier || !is_error(types, err) || !may_be_wrapped(types, cx, err) {
        return;
    }
    let call = if op == "==" {
        "errors.Is"
    } else {
        "!errors.Is"
    };
    let is = format!("{call}({}, {})", cx.text(err), cx.text(sentinel));
    let msg = format!(
        "{} {op} {}: a wrapped error never compares equal, so this breaks when a callee adds context with %w; use {is}",
        cx.text(err),
        cx.text(sentinel),
    );
    let mut d = Diagnostic::at(node, msg);
    d.fix = fixes::ensure_import(cx.file, "errors").map(|mut edits| {
        edits.push(fixes::edit(cx.file, node.start_byte(), node.end_byte(), is.clone()));
        Fix {
            description: format!("compare with {is}"),
            applicability: Applicability::Safe,
            edits,
        }
    });
    out.push(d);
}

/// A package-level variable of error type (`ErrNotFound`, `io.EOF`), never `nil`.
fn is_sentinel(types: &FileTypes, cx: &FileContext, n: Node) -> bool {
    let k = k();
    let kind = n.kind_id();
    let name = if kind == k.identifier {
        if types.decl_of(n).is_some() {
            return false;
        }
        cx.text(n)
    } else if kind == k.selector_expression {
        n.child_by_field_id(k.f_field)
            .map(|f| cx.text(f))
            .unwrap_or("")
    } else {
        return false;
    };
    name != "nil" && (name.starts_with("Err") || name.starts_with("err")) && is_error(types, n)
}

/// `err.(*T)` on an error that may be wrapped.
fn assertion(types: &FileTypes, cx: &FileContext, node: Node, out: &mut Vec<Diagnostic>) {
    let k = k();
    let Some(operand) = node.child_by_field_id(k.f_operand) else {
        return;
    };
    let Some(ty) = node.child_by_field_id(k.f_type) else {
        return;
    };
    if operand.kind_id() != k.identifier
        || !is_error(types, operand)
        || !may_be_wrapped(types, cx, operand)
    {
        return;
    }
    let target = types.type_expr(ty);
    if types.scope().is_interface(&target) && !matches!(target, Ty::Pointer(_)) {
        return; // asserting to an interface (`interface{ Timeout() bool }`) is a capability check
    }
    let msg = format!(
        "type assertion {}: misses a wrapped error; use errors.As(err, &target)",
        cx.text(node)
    );
    out.push(Diagnostic::at(node, msg));
}

/// The error held in `err` last came from a call outside the standard library (this module or a
/// dependency), which may wrap it.
fn may_be_wrapped(types: &FileTypes, cx: &FileContext, err: Node) -> bool {
    let Some(decl) = types.decl_of(err) else {
        return false;
    };
    let Some(func) = enclosing_function(err) else {
        return false;
    };
    let k = k();
    let mut last_call = None;
    for n in crate::tree::preorder(func) {
        if n.start_byte() >= err.start_byte() {
            break;
        }
        let kind = n.kind_id();
        if kind != k.short_var_declaration && kind != k.assignment_statement {
            continue;
        }
        let Some(left) = n.child_by_field_id(k.f_left) else {
            continue;
        };
        let mut c = left.walk();
        let assigns = left
            .named_children(&mut c)
            .any(|l| cx.text(l) == cx.text(err) && types.decl(l) == Some(decl));
        if assigns && n.end_byte() <= err.start_byte() {
            last_call = n
                .child_by_field_id(k.f_right)
                .and_then(|r| r.named_child(0));
        }
    }
    let Some(call) = last_call.filter(|c| c.kind_id() == k.call_expression) else {
        return false;
    };
    let Some(callee) = types.callee(call) else {
        return false;
    };
    if !callee.certain() {
        return false;
    }
    let pkg = match &callee.kind {
        CalleeKind::Func => callee.pkg.clone(),
        CalleeKind::Method { owner, .. } => owner
            .named_parts()
            .map(|(p, _)| p.to_string())
            .unwrap_or_default(),
        _ => return false,
    };
    !pkg.is_empty() && !stdlib().contains_key(&pkg)
}
