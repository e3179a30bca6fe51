//! Whether decoded data came from outside: a request body, a framework's bind, or bytes handed
//! to the function as a parameter (an agent tool's `input []byte`, `call.Input`). Data read
//! from the program's own files, a command's output or another server's response is not: a
//! struct decoded only from those does not taint its fields. Nor are the bytes a parameter of an
//! unexported function holds when every call of it in the package passes such data (a
//! `decodeState(b)` called only with what `os.ReadFile` returned, a log entry the program wrote).

use super::{call_args, is_type, outside_build, request_holder, Unit};
use crate::analysis::types::{CalleeKind, FileTypes};
use crate::index::Ty;
use crate::syntax::kinds::k;
use crate::tree::{preorder, Node};

const MAX_HOPS: usize = 4;

/// The file an expression is read in, among the package's files (to find a function's callers).
#[derive(Clone, Copy)]
struct Here<'c, 'a, 't> {
    files: &'c [Unit<'a, 't>],
    types: &'c FileTypes<'t>,
    root: Node<'t>,
}

impl<'c, 'a, 't> Here<'c, 'a, 't> {
    fn of(files: &'c [Unit<'a, 't>], file: usize) -> Option<Self> {
        let unit = files.get(file)?;
        Some(Here {
            files,
            types: unit.types?,
            root: unit.root,
        })
    }
}

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

/// The decode call, in the package's file `file`, reads outside data.
pub(super) fn decoded_from_outside(files: &[Unit], file: usize, call: Node, format: &str) -> bool {
    if format == "the request" {
        return true;
    }
    let Some(h) = Here::of(files, file) else {
        return false;
    };
    let (types, root) = (h.types, h.root);
    let callee = types.callee(call);
    let data = match callee.as_ref().map(|c| (&c.kind, c.name.as_str())) {
        Some((CalleeKind::Func, _)) => call_args(call).first().copied(),
        Some((CalleeKind::Method { .. }, "Decode")) => decoder_source(types, root, call),
        _ => None,
    };
    data.is_some_and(|d| outside(h, d, 0))
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

fn outside(h: Here, e: Node, hops: usize) -> bool {
    let (types, root) = (h.types, h.root);
    let k = k();
    if hops > MAX_HOPS {
        return false;
    }
    let kind = e.kind_id();
    if kind == k.parenthesized_expression || kind == k.unary_expression {
        return e
            .named_child(0)
            .or_else(|| e.child_by_field_id(k.f_operand))
            .is_some_and(|n| outside(h, n, hops + 1));
    }
    if kind == k.type_conversion_expression {
        return e
            .child_by_field_id(k.f_operand)
            .is_some_and(|n| outside(h, n, hops + 1));
    }
    if kind == k.call_expression {
        return through_call(h, e, hops);
    }
    if kind == k.selector_expression {
        return request_part(types, e) || input_field(types, root, e);
    }
    if kind == k.identifier {
        if types.type_of(e).is_some_and(|t| is_request(types, &t)) {
            return true;
        }
        if let Some(ty) = parameter_type(types, root, e) {
            return raw_input(&ty) && !callers_pass_own_data(h, e, hops);
        }
        return declared_value(types, root, e).is_some_and(|v| outside(h, v, hops + 1));
    }
    false
}

/// `[]byte(s)` parses as a call too; readers and buffers pass their argument through.
fn through_call(h: Here, call: Node, hops: usize) -> bool {
    let (types, root) = (h.types, h.root);
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
        .any(|a| !is_writer(types, a) && outside(h, a, hops + 1))
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

/// The identifier is a parameter of an unexported function that every call in the package
/// passes data from inside the program; a function also used as a value (a handler registered
/// somewhere), never called, or exported may get outside data from elsewhere.
fn callers_pass_own_data(h: Here, ident: Node, hops: usize) -> bool {
    let Some((name, index)) = declaring_function(h, ident) else {
        return false;
    };
    if name.starts_with(|c: char| c.is_ascii_uppercase()) || hops >= MAX_HOPS {
        return false;
    }
    let Some(calls) = call_sites(h.files, name) else {
        return false;
    };
    !calls.is_empty()
        && calls.iter().all(|&(file, call)| {
            let arg = call_args(call).get(index).copied();
            match (Here::of(h.files, file), arg) {
                (Some(there), Some(a)) => !outside(there, a, hops + 1),
                _ => false,
            }
        })
}

/// The named function or method a parameter identifier belongs to, and the parameter's index.
fn declaring_function<'t>(h: Here<'_, '_, 't>, ident: Node) -> Option<(&'t str, usize)> {
    let k = k();
    let decl = declaration(h.types, h.root, ident)?;
    let param = decl.parent()?;
    let list = param.parent()?;
    let func = list.parent()?;
    let named_func =
        func.kind_id() == k.function_declaration || func.kind_id() == k.method_declaration;
    if !named_func || func.child_by_field_id(k.f_parameters) != Some(list) {
        return None;
    }
    let mut index = 0;
    let mut c = list.walk();
    for p in list.named_children(&mut c) {
        let mut names = p.walk();
        for n in p.named_children(&mut names) {
            if n.kind_id() != k.identifier {
                continue;
            }
            if n == decl {
                let name = func.child_by_field_id(k.f_name)?;
                return Some((h.types.source().get(name.byte_range())?, index));
            }
            index += 1;
        }
    }
    None
}

/// Every call of the package's function or method `name` (`name(...)`, `x.name(...)`), or None
/// when the name is also used otherwise (as a value, or for something else).
fn call_sites<'t>(files: &[Unit<'_, 't>], name: &str) -> Option<Vec<(usize, Node<'t>)>> {
    let k = k();
    let mut out = Vec::new();
    for (fi, unit) in files.iter().enumerate() {
        if outside_build(unit.file) || !unit.file.text.contains(name) {
            continue;
        }
        let named = preorder(unit.root).filter(|n| {
            (n.kind_id() == k.identifier || n.kind_id() == k.field_identifier)
                && unit.file.node_text(*n) == name
        });
        for n in named {
            let parent = n.parent()?;
            if parent.child_by_field_id(k.f_name) == Some(n) {
                continue; // the declaration itself
            }
            let callee = if parent.kind_id() == k.selector_expression {
                parent
            } else {
                n
            };
            let call = callee.parent().filter(|c| {
                c.kind_id() == k.call_expression
                    && c.child_by_field_id(k.f_function) == Some(callee)
            })?;
            out.push((fi, call));
        }
    }
    Some(out)
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
