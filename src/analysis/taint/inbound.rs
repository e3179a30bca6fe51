//! Whether decoded data came from outside: a request body, a framework's bind, or bytes handed
//! to the function as a parameter (an agent tool's `input []byte`, `call.Input`). Data read
//! from the program's own files, a command's output or another server's response is not: a
//! struct decoded only from those does not taint its fields.

use super::{call_args, is_type, request_holder};
use crate::analysis::types::{CalleeKind, FileTypes};
use crate::index::Ty;
use crate::syntax::kinds::k;
use crate::tree::Node;

const MAX_HOPS: usize = 4;

/// Fields of a parameter that carry a caller's raw input (`call.Input`, `msg.Payload`).
const INPUT_FIELDS: &[&str] = &[
    "Input",
    "Arguments",
    "Args",
    "Params",
    "Parameters",
    "Body",
    "Payload",
    "RawInput",
];

/// Calls that pass their argument's bytes through (readers, buffers, limits).
fn passes_through(pkg: &str, name: &str) -> bool {
    matches!(
        (pkg, name),
        (
            "io" | "io/ioutil",
            "ReadAll" | "LimitReader" | "NopCloser" | "TeeReader"
        ) | (
            "bytes",
            "NewReader" | "NewBuffer" | "NewBufferString" | "TrimSpace"
        ) | ("strings", "NewReader" | "TrimSpace")
            | ("bufio", "NewReader" | "NewScanner")
            | ("net/http", "MaxBytesReader")
    )
}

/// The decode call reads outside data.
pub(super) fn decoded_from_outside(
    types: &FileTypes,
    root: Node,
    call: Node,
    format: &str,
) -> bool {
    if format == "the request" {
        return true;
    }
    let callee = types.callee(call);
    let data = match callee.as_ref().map(|c| (&c.kind, c.name.as_str())) {
        Some((CalleeKind::Func, _)) => call_args(call).first().copied(),
        Some((CalleeKind::Method { .. }, "Decode")) => decoder_source(types, root, call),
        _ => None,
    };
    data.is_some_and(|d| outside(types, root, d, 0))
}

/// `json.NewDecoder(x).Decode(&v)` or `dec := json.NewDecoder(x); dec.Decode(&v)`: x.
fn decoder_source<'t>(types: &FileTypes, root: Node<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let k = k();
    let recv = call
        .child_by_field_id(k.f_function)?
        .child_by_field_id(k.f_operand)?;
    let ctor = if recv.kind_id() == k.identifier {
        declared_value(types, root, recv)?
    } else {
        recv
    };
    (ctor.kind_id() == k.call_expression)
        .then(|| call_args(ctor).into_iter().find(|a| !is_writer(types, *a)))
        .flatten()
}

fn is_writer(types: &FileTypes, n: Node) -> bool {
    types
        .type_of(n)
        .is_some_and(|t| is_type(&t, "net/http", "ResponseWriter"))
}

fn outside(types: &FileTypes, root: Node, e: Node, hops: usize) -> bool {
    let k = k();
    if hops > MAX_HOPS {
        return false;
    }
    let kind = e.kind_id();
    if kind == k.parenthesized_expression || kind == k.unary_expression {
        return e
            .named_child(0)
            .or_else(|| e.child_by_field_id(k.f_operand))
            .is_some_and(|n| outside(types, root, n, hops + 1));
    }
    if kind == k.type_conversion_expression {
        return e
            .child_by_field_id(k.f_operand)
            .is_some_and(|n| outside(types, root, n, hops + 1));
    }
    if kind == k.call_expression {
        return through_call(types, root, e, hops);
    }
    if kind == k.selector_expression {
        return request_part(types, e) || input_field(types, root, e);
    }
    if kind == k.identifier {
        if types.type_of(e).is_some_and(|t| is_request(types, &t)) {
            return true;
        }
        if let Some(ty) = parameter_type(types, root, e) {
            return raw_input(&ty);
        }
        return declared_value(types, root, e).is_some_and(|v| outside(types, root, v, hops + 1));
    }
    false
}

/// `[]byte(s)` parses as a call too; readers and buffers pass their argument through.
fn through_call(types: &FileTypes, root: Node, call: Node, hops: usize) -> bool {
    let Some(c) = types.callee(call) else {
        return false;
    };
    let pass = match c.kind {
        CalleeKind::Conversion => true,
        CalleeKind::Func => passes_through(&c.pkg, &c.name),
        CalleeKind::Method { .. } => return input_getter(types, root, call, &c.name),
        _ => false,
    };
    pass && call_args(call)
        .into_iter()
        .any(|a| !is_writer(types, a) && outside(types, root, a, hops + 1))
}

/// `call.GetInput()`, `req.Arguments()` on a parameter: its raw input, through a getter.
fn input_getter(types: &FileTypes, root: Node, call: Node, name: &str) -> bool {
    let k = k();
    let field = name.strip_prefix("Get").unwrap_or(name);
    let operand = call
        .child_by_field_id(k.f_function)
        .and_then(|f| f.child_by_field_id(k.f_operand));
    INPUT_FIELDS.contains(&field)
        && operand.is_some_and(|o| {
            o.kind_id() == k.identifier && parameter_type(types, root, o).is_some()
        })
}

/// `r.Body`, `ctx.Req.Body`: part of the request.
fn request_part(types: &FileTypes, e: Node) -> bool {
    e.child_by_field_id(k().f_operand)
        .and_then(|o| types.type_of(o))
        .is_some_and(|t| is_request(types, &t))
}

fn is_request(types: &FileTypes, t: &Ty) -> bool {
    is_type(t, "net/http", "Request") || request_holder(types.scope(), t)
}

/// `call.Input` where `call` is a parameter.
fn input_field(types: &FileTypes, root: Node, e: Node) -> bool {
    let k = k();
    let (Some(o), Some(f)) = (
        e.child_by_field_id(k.f_operand),
        e.child_by_field_id(k.f_field),
    ) else {
        return false;
    };
    let field = types.source().get(f.byte_range()).unwrap_or("");
    o.kind_id() == k.identifier
        && INPUT_FIELDS.contains(&field)
        && parameter_type(types, root, o).is_some()
}

/// Bytes, a string, raw JSON or a reader.
fn raw_input(t: &Ty) -> bool {
    match t {
        Ty::Slice(e) => {
            matches!(&**e, Ty::Named(p, n) if p.is_empty() && (&**n == "byte" || &**n == "uint8"))
        }
        Ty::Named(p, n) => {
            (p.is_empty() && &**n == "string")
                || (&**p == "encoding/json" && &**n == "RawMessage")
                || (&**p == "io" && matches!(&**n, "Reader" | "ReadCloser"))
        }
        _ => false,
    }
}

/// The type of a parameter the identifier refers to (None: not a parameter).
fn parameter_type(types: &FileTypes, root: Node, ident: Node) -> Option<Ty> {
    let k = k();
    let decl = declaration(types, root, ident)?;
    let p = decl.parent()?;
    if p.kind_id() != k.parameter_declaration && p.kind_id() != k.variadic_parameter_declaration {
        return None;
    }
    Some(types.type_expr(p.child_by_field_id(k.f_type)?))
}

fn declaration<'t>(types: &FileTypes, root: Node<'t>, ident: Node) -> Option<Node<'t>> {
    let id = types.decl_of(ident)?;
    let at = types.decl_position(id);
    root.descendant_for_byte_range(at, at)
}

/// `b, err := io.ReadAll(r.Body)`: the value the variable was declared with.
fn declared_value<'t>(types: &FileTypes, root: Node<'t>, ident: Node) -> Option<Node<'t>> {
    let k = k();
    let decl = declaration(types, root, ident)?;
    let mut stmt = decl.parent()?;
    if stmt.kind_id() == k.expression_list {
        stmt = stmt.parent()?;
    }
    let value = if stmt.kind_id() == k.short_var_declaration {
        stmt.child_by_field_id(k.f_right)?
    } else if stmt.kind_id() == k.var_spec {
        stmt.child_by_field_id(k.f_value)?
    } else {
        return None;
    };
    if value.kind_id() == k.expression_list {
        value.named_child(0)
    } else {
        Some(value)
    }
}
