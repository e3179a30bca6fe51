//! Taint tracking: where outside input reaches a shell, the file system or an outgoing request.
//!
//! Sources: request data (a `*http.Request` parameter of a handler, gin/echo/fiber contexts),
//! values decoded from JSON, YAML, XML or protobuf out of outside data (`inbound`: a request
//! body, bytes handed in by a caller outside the package; not the program's own files, store or
//! log; a struct type so decoded anywhere in the package taints every value of that type,
//! wherever it flows), `os.Args`, flags, environment variables,
//! archive entry names (zip slip). Parameters are tracked too, as `Param` origins: they make the
//! per-function summaries (which parameters reach which sinks, which reach the result) that carry
//! taint across the package's own calls, and rules report them for exported functions only when
//! asked (`exported-params`).
//!
//! The analysis runs each function body in document order (one iterative walk; expressions are
//! evaluated with a depth bound, never by unbounded recursion), twice: the first pass builds the
//! summaries, the second uses them and records flows. Sanitizers clear taint per sink class:
//! `filepath.IsLocal`, `filepath.Rel` with a `..` check, `strings.HasPrefix` on a base *with* its
//! trailing separator (the form without it proves nothing), `filepath.Base`, `strconv`
//! conversions, allow-list `switch`/map/`slices.Contains` checks, `url.Parse` with a host check,
//! regexp guards and the package's own validators (`validatePath(p)` in a condition).

use crate::analysis::types::{CalleeKind, FileTypes};
use crate::fxhash::HashMap;
use crate::index::{TaintSink, TaintSummary, Ty};
use crate::syntax::kinds::k;
use crate::tree::preorder;
use crate::tree::Node;
use std::cell::Cell;

/// Sink classes, as bits of `Origin::cleared`.
pub const COMMAND: u8 = 1;
pub const PATH: u8 = 2;
pub const URL: u8 = 4;
const ALL: u8 = COMMAND | PATH | URL;
const MAX_DEPTH: usize = 48;
const MAX_ORIGINS: usize = 4;

/// Where a tainted value came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// "p.WorkingDir (field of BashParams decoded from JSON at line 40)".
    pub desc: String,
    /// File index in the package and byte offset of the source expression.
    pub file: usize,
    pub at: usize,
    /// `Some(i)` for the i-th parameter of the enclosing function (not a source by itself).
    pub param: Option<usize>,
    /// The parameter's function is exported.
    pub exported: bool,
    /// Sink classes a sanitizer has cleared this value for.
    pub cleared: u8,
    /// The struct type the value was decoded into, and how ("decoded from JSON at line 40").
    decoded: Option<(String, String)>,
    /// Command line or environment: input from whoever runs the program, who usually owns the
    /// machine already; rules report it only through a shell or with `local-sources`.
    pub local: bool,
    /// A whole request ("request data of handler h"): the first variable read from it names it.
    request: Option<String>,
    /// For a `Param` origin read through a field (`opts.Dir`): the field, so a caller passing
    /// a composite literal taints the sink only through that field's value.
    pub field: Option<String>,
}

type Taint = Vec<Origin>;

/// How a flow's `how` begins when the value is the script of a shell (`sh -c`): the one
/// flow that local sources make worth reporting by default.
pub const THROUGH_SHELL: &str = "through a shell";

/// A tainted value reaching a sink.
#[derive(Debug, Clone)]
pub struct TaintFlow {
    pub class: u8,
    /// File index and byte range of the sink expression.
    pub file: usize,
    pub sink: (usize, usize),
    /// "cmd.Dir", "exec.CommandContext".
    pub sink_desc: String,
    /// What makes it worse or what kind ("through a shell (sh -c)", "as the program name").
    pub how: String,
    pub origin: Origin,
    /// Calls the value went through: (file, byte offset, text).
    pub steps: Vec<(usize, usize, String)>,
    /// The sink is in another package (`sink` is then the call's argument).
    pub external: bool,
}

impl TaintFlow {
    /// Whether the value reaches a shell as its script (`sh -c`), here or in a callee.
    pub fn through_shell(&self) -> bool {
        self.how.starts_with(THROUGH_SHELL)
    }
}

#[derive(Debug, Clone, Default)]
struct FunctionTaint {
    /// Per parameter, the sink classes its taint still has when it reaches the result.
    returns: Vec<u8>,
    /// Parameters that reach a sink: (param index, flow with a `Param` origin).
    sinks: Vec<(usize, TaintFlow)>,
    /// Parameters the function checks with a guard that returns when the check fails.
    checks: Vec<usize>,
}

/// What the taint analysis reads of one file of the package: the file, its tree and its types
/// (`None` when the file is seen without its package).
pub struct Unit<'c, 't> {
    pub file: &'t crate::source::SourceFile,
    pub root: crate::tree::Node<'t>,
    pub types: Option<&'c crate::analysis::types::FileTypes<'t>>,
}

/// Every flow of the package's functions into sinks, and the summaries importers use.
///
/// Two passes: the first computes each function's summary with no summaries known, the second
/// runs again, with the first pass's summaries, only the functions where a missing summary
/// could have mattered (a callee of the package handed a tainted value, or guarding its
/// arguments: `Analysis::missed_summary`); the others would compute exactly what they did, so
/// their first results are kept.
pub fn analyse(files: &[Unit]) -> (Vec<TaintFlow>, HashMap<String, TaintSummary>) {
    let decoded = decoded_types(files);
    let units: Vec<(usize, Node)> = files
        .iter()
        .enumerate()
        .filter(|(_, cx)| cx.types.is_some() && !cx.file.generated && !outside_build(cx.file))
        .flat_map(|(fi, cx)| functions(cx.root).into_iter().map(move |f| (fi, f)))
        .collect();
    let none = HashMap::default();
    let first: Vec<((Vec<TaintFlow>, FunctionTaint), bool)> = units
        .iter()
        .map(|&(fi, func)| run_function(files, &decoded, &none, fi, func))
        .collect();
    let summaries = keyed(files, &units, first.iter().map(|((_, s), _)| s.clone()));
    let mut flows = Vec::new();
    let mut second = Vec::with_capacity(units.len());
    for (&(fi, func), (kept, missed)) in units.iter().zip(first) {
        let (mut f, summary) = match missed {
            true => run_function(files, &decoded, &summaries, fi, func).0,
            false => kept,
        };
        flows.append(&mut f);
        second.push(summary);
    }
    let summaries = keyed(files, &units, second.into_iter());
    let exported = summaries
        .iter()
        .filter(|(_, s)| {
            !s.sinks.is_empty() || !s.checks.is_empty() || s.returns.iter().any(|&r| r != 0)
        })
        .map(|(k, s)| (k.clone(), export(files, s)))
        .collect();
    (dedup(flows), exported)
}

/// One function's flows and summary, given the summaries known so far, and whether a summary
/// it lacked could have changed them (`Analysis::missed_summary`).
fn run_function<'t>(
    files: &[Unit<'_, 't>],
    decoded: &HashMap<Ty, String>,
    summaries: &HashMap<String, FunctionTaint>,
    file: usize,
    func: Node<'t>,
) -> ((Vec<TaintFlow>, FunctionTaint), bool) {
    let types = files[file].types.expect("units have types");
    let mut a = Analysis {
        types,
        file,
        files,
        decoded,
        summaries,
        state: HashMap::default(),
        sanitized: Vec::new(),
        cleared_origins: Vec::new(),
        rel_of: HashMap::default(),
        summary: FunctionTaint::default(),
        flows: Vec::new(),
        fname: "",
        missed_summary: Cell::new(false),
    };
    a.run(func);
    let missed = a.missed_summary.get();
    ((a.flows, a.summary), missed)
}

/// The summaries by key (`Name`, `Type.Method`); a later function of the same key wins.
fn keyed(
    files: &[Unit],
    units: &[(usize, Node)],
    summaries: impl Iterator<Item = FunctionTaint>,
) -> HashMap<String, FunctionTaint> {
    units
        .iter()
        .zip(summaries)
        .filter_map(|(&(fi, func), s)| {
            let src = files[fi].types?.source();
            Some((func_key(func, src)?, s))
        })
        .collect()
}

/// A summary as importers see it: sinks named with their file and line.
fn export(files: &[Unit], s: &FunctionTaint) -> TaintSummary {
    let mut sinks: Vec<TaintSink> = Vec::new();
    for (p, f) in &s.sinks {
        if sinks.iter().any(|t| t.param == *p && t.class == f.class) || sinks.len() >= 8 {
            continue;
        }
        let sink = match (f.external, files.get(f.file)) {
            (false, Some(cx)) => {
                let line = cx.file.position(f.sink.0).0;
                format!("{} at {}:{line}", f.sink_desc, cx.file.rel)
            }
            _ => f.sink_desc.clone(),
        };
        sinks.push(TaintSink {
            param: *p,
            class: f.class,
            sink,
            how: f.how.clone(),
            field: f.origin.field.clone(),
        });
    }
    TaintSummary {
        returns: s.returns.clone(),
        sinks,
        checks: s.checks.clone(),
    }
}

fn dedup(mut flows: Vec<TaintFlow>) -> Vec<TaintFlow> {
    flows.sort_by_key(|f| (f.file, f.sink.0, f.class, f.origin.param.is_some()));
    flows.dedup_by_key(|f| (f.file, f.sink.0, f.class));
    flows
}

/// Top-level function and method declarations of a file.
fn functions(root: Node) -> Vec<Node> {
    let k = k();
    let mut c = root.walk();
    root.named_children(&mut c)
        .filter(|n| n.kind_id() == k.function_declaration || n.kind_id() == k.method_declaration)
        .collect()
}

/// `Name` or `Recv.Name`, how summaries are keyed.
fn func_key(func: Node, src: &str) -> Option<String> {
    let k = k();
    let name = text(func.child_by_field_id(k.f_name)?, src);
    let Some(recv) = func.child_by_field_id(k.f_receiver) else {
        return Some(name.to_string());
    };
    let t = preorder(recv).find(|n| n.kind_id() == k.type_identifier)?;
    Some(format!("{}.{name}", text(t, src)))
}

fn text<'s>(n: Node, src: &'s str) -> &'s str {
    src.get(n.byte_range()).unwrap_or("")
}

/// The arguments of a call, comments left out.
pub fn call_args(call: Node) -> Vec<Node> {
    let Some(args) = call.child_by_field_id(k().f_arguments) else {
        return Vec::new();
    };
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(|a| !a.is_extra())
        .collect()
}

/// Tests and `//go:build ignore` or `//go:build none` files are not the program: the analysis
/// leaves them out, so their flows are never reported and the package's summaries (index facts
/// its importers and the result cache read) do not depend on its tests.
pub fn outside_build(file: &crate::source::SourceFile) -> bool {
    file.is_test()
        || file.text.contains("//go:build ignore")
        || crate::source::build_ignored(&file.text)
}

/// Struct types decoded from outside data anywhere in the package (`inbound`), with how ("decoded from JSON at line 40").
fn decoded_types(files: &[Unit]) -> HashMap<Ty, String> {
    let k = k();
    let mut out = HashMap::default();
    for (fi, cx) in files
        .iter()
        .enumerate()
        .filter(|(_, cx)| !outside_build(cx.file) && may_decode(&cx.file.text))
    {
        let Some(types) = cx.types else { continue };
        for call in preorder(cx.root).filter(|n| n.kind_id() == k.call_expression) {
            let Some((format, target)) = decode_target(types, call) else {
                continue;
            };
            if !inbound::decoded_from_outside(files, fi, call, format) {
                continue;
            }
            let Some(t) = types.type_of(target) else {
                continue;
            };
            let t = t.strip_pointer().clone();
            if !matches!(&t, Ty::Named(p, _) if !p.is_empty()) {
                continue;
            }
            let line = cx.file.position(call.start_byte()).0;
            out.entry(t)
                .or_insert_with(|| format!("decoded from {format} at line {line}"));
        }
    }
    out
}

/// Whether a file's text can call one of `DECODERS` (each name holds one of these words): the
/// others are not walked (the compiler's generated rewrite rules hold a million calls).
fn may_decode(text: &str) -> bool {
    ["Unmarshal", "Decode", "Bind"]
        .iter()
        .any(|w| text.contains(w))
}

/// The names of the calls `decode_target` knows: a body that calls none of them decodes nothing
/// (`skeleton` keeps the bodies that do).
pub const DECODERS: &[&str] = &[
    "Unmarshal",
    "UnmarshalStrict",
    "Decode",
    "Bind",
    "BindJSON",
    "ShouldBind",
    "ShouldBindJSON",
    "ShouldBindQuery",
    "BindQuery",
    "ShouldBindUri",
];

/// `json.Unmarshal(data, &v)`, `dec.Decode(&v)`, `proto.Unmarshal(b, m)`, `c.BindJSON(&v)`:
/// the format and the value decoded into. A call written with another name is not resolved
/// (every call of a file is asked about, generated files' too).
pub(super) fn decode_target<'t>(
    types: &FileTypes,
    call: Node<'t>,
) -> Option<(&'static str, Node<'t>)> {
    if crate::analysis::written_name(call, types.source()).is_some_and(|n| !DECODERS.contains(&n)) {
        return None;
    }
    let callee = types.callee(call)?;
    let args = call_args(call);
    let format = match callee.pkg.as_str() {
        "encoding/json" => "JSON",
        "encoding/xml" => "XML",
        "gopkg.in/yaml.v2"
        | "gopkg.in/yaml.v3"
        | "sigs.k8s.io/yaml"
        | "github.com/goccy/go-yaml" => "YAML",
        "google.golang.org/protobuf/proto" | "github.com/golang/protobuf/proto" => "protobuf",
        p if p.contains("gin-gonic/gin") || p.contains("labstack/echo") => "the request",
        _ => return None,
    };
    let arg = match callee.name.as_str() {
        "Unmarshal" | "UnmarshalStrict" => args.get(1)?,
        n if DECODERS.contains(&n) => args.first()?,
        _ => return None,
    };
    let k = k();
    let target = if arg.kind_id() == k.unary_expression {
        arg.child_by_field_id(k.f_operand)?
    } else {
        *arg
    };
    Some((format, target))
}

/// A checked value's origin: every value derived from it is cleared in the range.
struct ClearedOrigin {
    file: usize,
    at: usize,
    param: Option<usize>,
    field: Option<String>,
    from: usize,
    to: usize,
    classes: u8,
}

struct Sanitized {
    text: String,
    from: usize,
    to: usize,
    classes: u8,
}

struct Analysis<'a, 't> {
    types: &'a FileTypes<'t>,
    file: usize,
    files: &'a [Unit<'a, 't>],
    decoded: &'a HashMap<Ty, String>,
    summaries: &'a HashMap<String, FunctionTaint>,
    state: HashMap<usize, Taint>,
    sanitized: Vec<Sanitized>,
    cleared_origins: Vec<ClearedOrigin>,
    /// `rel, _ := filepath.Rel(base, target)`: rel's declaration → target's text and the sink
    /// class a check of rel clears (`url.Parse` likewise, for host checks).
    rel_of: HashMap<usize, (String, u8)>,
    summary: FunctionTaint,
    flows: Vec<TaintFlow>,
    /// The declared function being analysed (for "request data of handler X").
    fname: &'t str,
    /// Whether the package's summary of a callee, had it been known, could have changed a
    /// flow or this function's summary: a callee without one got a tainted argument or
    /// receiver, or guards its arguments. The second pass runs only such functions again.
    missed_summary: Cell<bool>,
}

impl<'a, 't> Analysis<'a, 't> {
    fn src(&self) -> &'t str {
        self.types.source()
    }

    /// Whether `c` is the package's own function with no summary known yet.
    fn lacks_summary(&self, c: &crate::analysis::types::Callee) -> bool {
        self.local_key(c)
            .is_some_and(|key| !self.summaries.contains_key(&key))
    }

    fn t(&self, n: Node) -> &'t str {
        text(n, self.src())
    }

    fn run(&mut self, func: Node<'t>) {
        let k = k();
        let name = func
            .child_by_field_id(k.f_name)
            .map(|n| self.t(n))
            .unwrap_or("");
        self.fname = name;
        let exported = name.chars().next().is_some_and(char::is_uppercase);
        self.seed_params(func, name, exported, true);
        let Some(body) = func.child_by_field_id(k.f_body) else {
            return;
        };
        for node in preorder(body) {
            self.visit(node);
        }
    }

    fn visit(&mut self, node: Node<'t>) {
        let k = k();
        let kind = node.kind_id();
        if kind == k.short_var_declaration || kind == k.assignment_statement {
            self.assign(node);
        } else if kind == k.var_spec {
            self.var_spec(node);
        } else if kind == k.range_clause {
            self.range(node);
        } else if kind == k.call_expression {
            self.call(node);
        } else if kind == k.if_statement {
            self.guard(node);
        } else if kind == k.expression_switch_statement {
            self.switch(node);
        } else if kind == k.return_statement {
            self.ret(node);
        } else if kind == k.func_literal {
            self.seed_params(node, "", false, false);
        }
    }

    /// Parameters: request data of handlers are sources; the others are `Param` origins (only
    /// for the declared function, so summaries see them).
    fn seed_params(&mut self, func: Node<'t>, fname: &str, exported: bool, own: bool) {
        let k = k();
        let Some(params) = func.child_by_field_id(k.f_parameters) else {
            return;
        };
        let mut decls = Vec::new();
        let mut c = params.walk();
        for p in params.named_children(&mut c) {
            let Some(ty) = p.child_by_field_id(k.f_type) else {
                continue;
            };
            let ty = self.types.type_expr(ty);
            for name in crate::tree::field_children(p, k.f_name) {
                decls.push((name, ty.clone()));
            }
        }
        let handler = decls
            .iter()
            .any(|(_, t)| is_type(t, "net/http", "ResponseWriter"));
        for (i, (name, ty)) in decls.iter().enumerate() {
            let Some(id) = self.types.declared_at(*name) else {
                continue;
            };
            let pname = self.t(*name);
            let origin = if (handler && is_type(ty, "net/http", "Request")) || web_context(ty) {
                self.request_origin(*name, fname)
            } else if own {
                let mut o = self.origin(*name, format!("{pname} (parameter of {fname})"), Some(i));
                o.exported = exported;
                o
            } else {
                continue;
            };
            self.state.insert(id.0, vec![origin]);
        }
    }

    /// Request data read at `at`, named after the variable it is stored in.
    fn request_origin(&self, at: Node, fname: &str) -> Origin {
        let what = if fname.is_empty() {
            "handler".to_string()
        } else {
            format!("handler {fname}")
        };
        let what = format!("request data of {what}");
        let mut o = self.origin(at, format!("{} ({what})", self.t(at)), None);
        o.request = Some(what);
        o
    }

    fn origin(&self, at: Node, desc: String, param: Option<usize>) -> Origin {
        Origin {
            desc,
            file: self.file,
            at: at.start_byte(),
            param,
            exported: false,
            cleared: 0,
            decoded: None,
            request: None,
            field: None,
            local: false,
        }
    }

    fn line(&self, byte: usize) -> usize {
        // The file's line index (a binary search), not a count from the start: this runs per
        // function, and a 15 MB file has 250,000 of them.
        self.files[self.file].file.position(byte).0
    }

    fn assign(&mut self, node: Node<'t>) {
        let k = k();
        let (Some(left), Some(right)) = (
            node.child_by_field_id(k.f_left),
            node.child_by_field_id(k.f_right),
        ) else {
            return;
        };
        let op = node
            .child_by_field_id(k.f_operator)
            .map(|o| self.t(o))
            .unwrap_or(if node.kind_id() == k.short_var_declaration {
                ":="
            } else {
                "="
            });
        let lefts = named(left);
        let rights = named(right);
        if rights.len() == 1 {
            self.lookup_guard(node, rights[0]);
        }
        for (i, l) in lefts.iter().enumerate() {
            let r = if rights.len() == lefts.len() {
                rights.get(i)
            } else {
                rights.first()
            };
            let Some(r) = r else { continue };
            if l.kind_id() == k.selector_expression {
                self.field_store(*l, *r);
                continue;
            }
            if l.kind_id() != k.identifier || matches!(self.t(*l), "_" | "err" | "ok") {
                continue;
            }
            self.note_rel(*l, *r);
            let taint = self.name_request(*l, self.taint(*r, 0));
            let Some(id) = self.types.decl(*l) else {
                continue;
            };
            self.store(id.0, taint, op, node, *r);
        }
    }

    /// `host := r.URL.Query().Get("host")`: the request's data is named after the variable.
    pub(super) fn name_request(&self, l: Node, taint: Taint) -> Taint {
        let name = self.t(l);
        if name.len() > 60 || name.contains('\n') {
            return taint;
        }
        taint
            .into_iter()
            .map(|mut o| {
                if let Some(what) = o.request.take() {
                    o.desc = format!("{name} ({what})");
                    o.at = l.start_byte();
                    o.file = self.file;
                }
                o
            })
            .collect()
    }

    /// `x = e`: replaces x's taint at the function's top level or when `e` reads x (a
    /// sanitising reassignment), otherwise adds to it (a branch may or may not run).
    fn store(&mut self, id: usize, taint: Taint, op: &str, stmt: Node, rhs: Node) {
        let strong = op == ":="
            || stmt.parent().and_then(|p| p.parent()).is_some_and(|b| {
                b.parent().is_some_and(|f| {
                    let k = k();
                    f.kind_id() == k.function_declaration || f.kind_id() == k.method_declaration
                })
            })
            || self.reads_same(stmt, rhs);
        if strong {
            self.state.insert(id, taint);
        } else {
            let entry = self.state.entry(id).or_default();
            for o in taint {
                if entry.len() < MAX_ORIGINS && !entry.contains(&o) {
                    entry.push(o);
                }
            }
        }
    }

    fn reads_same(&self, stmt: Node, rhs: Node) -> bool {
        let k = k();
        let Some(left) = stmt.child_by_field_id(k.f_left) else {
            return false;
        };
        let name = self.t(left);
        preorder(rhs)
            .take(64)
            .any(|n| n.kind_id() == k.identifier && self.t(n) == name)
    }

    /// `cmd.Dir = x` is a path sink.
    fn field_store(&mut self, left: Node<'t>, right: Node<'t>) {
        let k = k();
        let (Some(operand), Some(field)) = (
            left.child_by_field_id(k.f_operand),
            left.child_by_field_id(k.f_field),
        ) else {
            return;
        };
        if self.t(field) != "Dir" {
            return;
        }
        let is_cmd = self
            .types
            .type_of(operand)
            .is_some_and(|t| is_type(&t, "os/exec", "Cmd"));
        if is_cmd {
            let taint = self.taint(right, 0);
            let desc = self.t(left).to_string();
            self.sink(PATH, left, desc, String::new(), taint, Vec::new());
        }
    }

    /// Remembers `rel, err := filepath.Rel(base, target)` so a `..` check on rel clears target,
    /// and `u, err := url.Parse(raw)` so a host check on u clears raw.
    fn note_rel(&mut self, l: Node<'t>, r: Node<'t>) {
        if r.kind_id() != k().call_expression {
            return;
        }
        let (arg, class) = if self.is_func(r, "path/filepath", &["Rel"]) {
            (1, PATH)
        } else if self.is_func(r, "net/url", &["Parse", "ParseRequestURI"]) {
            (0, URL)
        } else {
            return;
        };
        if let (Some(id), Some(target)) = (self.types.decl(l), call_args(r).get(arg)) {
            self.rel_of
                .insert(id.0, (self.t(*target).to_string(), class));
        }
    }

    fn var_spec(&mut self, node: Node<'t>) {
        let k = k();
        let Some(value) = node.child_by_field_id(k.f_value) else {
            return;
        };
        let values = named(value);
        let names = crate::tree::field_children(node, k.f_name);
        for (i, n) in names.iter().enumerate() {
            let v = if values.len() == names.len() {
                values.get(i)
            } else {
                values.first()
            };
            let (Some(v), Some(id)) = (v, self.types.declared_at(*n)) else {
                continue;
            };
            let taint = self.taint(*v, 0);
            self.state.insert(id.0, taint);
        }
    }

    fn range(&mut self, node: Node<'t>) {
        let k = k();
        let (Some(left), Some(right)) = (
            node.child_by_field_id(k.f_left),
            node.child_by_field_id(k.f_right),
        ) else {
            return;
        };
        let taint = self.taint(right, 0);
        if taint.is_empty() {
            return;
        }
        for l in named(left) {
            if let Some(id) = self.types.decl(l) {
                self.state.insert(id.0, taint.clone());
            }
        }
    }

    fn ret(&mut self, node: Node<'t>) {
        let mut c = node.walk();
        let values: Vec<Node> = node
            .named_children(&mut c)
            .flat_map(|n| {
                if n.kind_id() == k().expression_list {
                    named(n)
                } else {
                    vec![n]
                }
            })
            .collect();
        for v in values {
            for o in self.taint(v, 0) {
                if let Some(p) = o.param {
                    if self.summary.returns.len() <= p {
                        self.summary.returns.resize(p + 1, 0);
                    }
                    self.summary.returns[p] |= ALL & !o.cleared;
                }
            }
        }
    }

    fn is_func(&self, call: Node, pkg: &str, names: &[&str]) -> bool {
        self.types.callee(call).is_some_and(|c| {
            c.kind == CalleeKind::Func && c.pkg == pkg && names.contains(&c.name.as_str())
        })
    }
}

/// Named children of an expression list (or the node itself).
fn named(n: Node) -> Vec<Node> {
    if n.kind_id() != k().expression_list {
        return vec![n];
    }
    let mut c = n.walk();
    n.named_children(&mut c).filter(|x| !x.is_extra()).collect()
}

/// `T` or `*T` named `pkg.name`.
pub fn is_type(t: &Ty, pkg: &str, name: &str) -> bool {
    t.named_parts().is_some_and(|(p, n)| p == pkg && n == name)
}

/// Methods of a web framework's request context that return request data: gitea's
/// `ctx.FormString`, `ctx.Params`, `ctx.PathParam`; gin's `c.Query`, `c.Param`; echo's
/// `c.QueryParam`; chi-style wrappers.
const REQUEST_METHODS: &[&str] = &[
    "FormString",
    "FormStrings",
    "FormTrim",
    "FormValue",
    "PostFormValue",
    "Query",
    "QueryParam",
    "QueryParams",
    "DefaultQuery",
    "GetQuery",
    "PostForm",
    "DefaultPostForm",
    "Param",
    "Params",
    "PathParam",
    "PathParamRaw",
    "GetHeader",
];

/// Whether a method of this name on a request context returns request data.
pub(crate) fn request_method(name: &str) -> bool {
    REQUEST_METHODS.contains(&name)
}

/// A type that carries the request: a struct of the module with a field (or an embedded
/// field, a few levels deep) of type `*http.Request`, such as gitea's `*context.Context`
/// (which embeds `*Base`, whose `Req` is the request); gin, echo and fiber contexts too.
pub(crate) fn request_holder(scope: &crate::index::Scope, t: &Ty) -> bool {
    if web_context(t) {
        return true;
    }
    // The standard library's types hold requests too (`http.Response.Request`): not contexts.
    let own = |t: &Ty| {
        t.named_parts()
            .is_some_and(|(p, _)| !p.is_empty() && !crate::index::stdlib().contains_key(p))
    };
    scope
        .find_field(t, |owner, f| {
            own(owner) && is_type(&f.ty, "net/http", "Request")
        })
        .is_some()
}

/// gin, echo and fiber request contexts.
pub(super) fn web_context(t: &Ty) -> bool {
    t.named_parts().is_some_and(|(p, n)| {
        ((p.ends_with("gin-gonic/gin") || p.contains("labstack/echo")) && n == "Context")
            || (p.contains("gofiber/fiber") && n == "Ctx")
    })
}

mod eval;
mod inbound;
mod sinks;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decoder_name_passes_the_text_gate() {
        for name in DECODERS {
            assert!(may_decode(name), "{name}");
        }
        assert!(!may_decode("b.Block(); v.reset(OpCopy)"));
    }
}
