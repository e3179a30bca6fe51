//! Per-function complexity figures, computed once per file and read by every complexity rule.
//!
//! The numbers are those of the tools Go teams already gate on, checked against them over the
//! whole standard library by `scripts/complexity-parity.sh`:
//!
//! - `cyclomatic` is gocyclo's (github.com/fzipp/gocyclo v0.6.0): 1, plus 1 for each `if`, `for`
//!   (range loops included), non-default `case` of a switch or type switch, non-default `case`
//!   of a `select`, and each `&&` or `||`. Function literals count toward the function around
//!   them; a function literal that is the direct value of a package-level `var` (or `const`)
//!   spec is an entry of its own, named after the spec's first name.
//! - `cognitive` is gocognit's (github.com/uudashr/gocognit v1.3.0, the version golangci-lint
//!   v2.15.0 requires, which scores one file at a time): `if`, `switch`, type switch, `select`
//!   and `for` add 1 plus the nesting; `else if`, `else`, labeled `break`/`continue` and
//!   `goto` add 1; each sequence of `&&`/`||` adds 1 plus 1 per change of operator (parentheses
//!   are transparent: `a && (b && c)` is one sequence). Nesting rises inside the bodies of `if`,
//!   `else`, `for`, the cases of `switch`/`select` and function literals. A declaration on a
//!   cycle of the file's calls adds 1, once: calling itself, or calling functions that call it
//!   back; calls resolve without types, as `CallResolver` describes.
//!
//! Both tools report the position of the `func` keyword and name methods `(T).m` or `(*T).m`
//! with any type parameters dropped from the receiver.
//!
//! No walk here recurses over the syntax tree: the standard library holds a file nested about
//! 7,000 levels deep and generated code holds 20,000-term concatenations.

use super::recursion;
use crate::fxhash::HashMap;
use crate::tree::Node;

/// One function's complexity figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionMetrics {
    /// gocyclo's spelling: `f`, `(*T).m`, `(T).m` (type parameters of the receiver dropped,
    /// `BADRECV` for a receiver type it cannot name); a package-level `var f = func(){}` is `f`.
    pub name: String,
    /// 1-based line of the `func` keyword, the position gocyclo and gocognit report.
    pub line: usize,
    /// 1-based byte column of the `func` keyword.
    pub column: usize,
    /// 1-based line of the function's last byte (its closing brace).
    pub end_line: usize,
    /// gocyclo's cyclomatic complexity.
    pub cyclomatic: u32,
    /// gocognit's cognitive complexity; `None` for a package-level function literal, which
    /// gocognit does not score.
    pub cognitive: Option<u32>,
    /// The deepest nesting of control statements: an `if`, `for`, `switch`, type switch or
    /// `select` directly in the body is at depth 1, one inside its body (an `else` block or a
    /// case included) at depth 2, and so on. An `else if` stays at the depth of its `if`.
    /// Plain blocks, labels and function literals add no level (a literal's body continues at
    /// the depth where the literal appears). 0 for a body without control statements.
    pub max_nesting: u32,
    /// funlen's statement count (github.com/ultraware/funlen v0.2.0): every statement of the
    /// body counts 1 (a plain block counts only its contents); it descends into the body of an
    /// `if` (not its `else`), `for`, `switch` and its cases, into the body of a function literal
    /// that is the first value of an assignment or the function of a `go`/`defer` call, but not
    /// into `select` cases nor labeled statements.
    pub statements: u32,
    /// `tree_sitter::Node::id()` of the function_declaration, method_declaration or
    /// func_literal node.
    pub node_id: usize,
    /// The doc comment holds a `//gocyclo:ignore` directive: gocyclo has no entry for it.
    pub gocyclo_ignored: bool,
    /// The doc comment holds `//gocognit:ignore`: gocognit has no entry for it.
    pub gocognit_ignored: bool,
    /// The function's subtree holds a syntax error (an ERROR or MISSING node): its figures
    /// may be off. tree-sitter-go 0.25 misparses Go 1.26's `new(expr)` when `expr` is not
    /// also a type (tree-sitter/tree-sitter-go#193), and error recovery can swallow whole
    /// statements around it.
    pub syntax_error: bool,
}

/// Every function of a parsed Go file, in source order: function and method declarations and
/// the function literals gocyclo scores on their own (direct values of package-level specs).
pub fn file_metrics(root: Node, src: &str) -> Vec<FunctionMetrics> {
    let ids = ids();
    let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
    let calls = CallResolver::new(ids, root, src);
    let mut graph: Vec<CallNode> = Vec::new();
    let mut out = Vec::new();
    let mut doc = DocTracker::default();
    let mut cursor = root.walk();
    if !cursor.goto_first_child() {
        return out;
    }
    loop {
        let decl = cursor.node();
        let kind = decl.kind_id();
        if !decl.is_named() {
            // Terminators (`;`, newline) neither end a comment group nor carry a doc.
        } else if kind == ids.comment {
            doc.comment(decl, text(decl));
        } else {
            let directives = doc.take_for(decl);
            if kind == ids.function_declaration || kind == ids.method_declaration {
                let name = function_name(ids, decl, src);
                let caller = Caller::new(ids, decl, src);
                let (metrics, callees) =
                    measure(ids, decl, src, name, Some((&calls, &caller)), directives);
                if caller.body.is_some() {
                    graph.push(CallNode {
                        metrics: out.len(),
                        start: decl.start_byte(),
                        callees,
                    });
                }
                out.push(metrics);
            } else if kind == ids.var_declaration || kind == ids.const_declaration {
                for spec in value_specs(ids, decl) {
                    let Some(first) = spec.child_by_field_id(ids.f_name) else {
                        continue;
                    };
                    let Some(values) = spec.child_by_field_id(ids.f_value) else {
                        continue;
                    };
                    let mut c = values.walk();
                    for value in values.named_children(&mut c) {
                        if value.kind_id() == ids.func_literal {
                            let name = text(first).to_string();
                            out.push(measure(ids, value, src, name, None, directives).0);
                        }
                    }
                }
            }
            doc.after(decl);
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
    add_recursion_increments(&mut out, &graph);
    out
}

/// A declaration with a body, as a node of the file's call graph.
struct CallNode {
    /// Its index in `file_metrics`' output.
    metrics: usize,
    /// Start byte of the declaration.
    start: usize,
    /// Start bytes of the declarations its calls resolve to (any declaration of the file).
    callees: Vec<usize>,
}

/// gocognit v1.3.0's recursion increment: 1, once, for every declaration on a cycle of the
/// file's call graph (golangci-lint and the gocognit command scores one file at a time).
fn add_recursion_increments(out: &mut [FunctionMetrics], graph: &[CallNode]) {
    let node_of: HashMap<usize, usize> = graph
        .iter()
        .enumerate()
        .map(|(i, node)| (node.start, i))
        .collect();
    let adjacency: Vec<Vec<usize>> = graph
        .iter()
        .map(|node| {
            let edges = node.callees.iter().filter_map(|c| node_of.get(c).copied());
            edges.collect()
        })
        .collect();
    for (node, recursive) in graph.iter().zip(recursion::on_a_cycle(&adjacency)) {
        if let (true, Some(cognitive)) = (recursive, out[node.metrics].cognitive.as_mut()) {
            *cognitive += 1;
        }
    }
}

/// The grammar's ids (`syntax::kinds`), under the names this module's walks use.
use crate::syntax::kinds::{k as ids, KindSets, Kinds as Ids};

/// Whether a binary expression is `&&` or `||`.
fn is_logical(binary: Node) -> bool {
    let ids = ids();
    binary
        .child_by_field_id(ids.f_operator)
        .is_some_and(|op| ids.is_logical_operator(op.kind_id()))
}

/// The doc comment directives of one declaration.
#[derive(Clone, Copy, Default)]
struct Directives {
    gocyclo_ignore: bool,
    gocognit_ignore: bool,
}

/// Tracks the comment group that go/parser would attach as a declaration's doc comment: the
/// group of comments on consecutive lines whose last line is the line right before the
/// declaration. A comment on the same line as the preceding code is that code's line comment
/// and never part of the next declaration's doc.
#[derive(Default)]
struct DocTracker {
    /// Last row of the previous non-comment node, if any.
    code_end_row: Option<usize>,
    group_end_row: Option<usize>,
    group: Directives,
}

impl DocTracker {
    fn comment(&mut self, node: Node, text: &str) {
        let start = node.start_position().row;
        if self.code_end_row == Some(start) {
            // A line comment of the code before it: ends any group.
            self.group_end_row = None;
            self.group = Directives::default();
            self.code_end_row = Some(node.end_position().row);
            return;
        }
        if self.group_end_row.is_none_or(|end| start > end + 1) {
            self.group = Directives::default();
        }
        self.group_end_row = Some(node.end_position().row);
        let text = text.trim_end_matches('\r');
        if let Some(rest) = text.strip_prefix("//gocyclo:") {
            self.group.gocyclo_ignore |= rest.trim() == "ignore";
        }
        self.group.gocognit_ignore |= text == "//gocognit:ignore";
    }

    fn take_for(&mut self, decl: Node) -> Directives {
        let row = decl.start_position().row;
        let doc = match self.group_end_row {
            Some(end) if end + 1 == row => self.group,
            _ => Directives::default(),
        };
        self.group_end_row = None;
        self.group = Directives::default();
        doc
    }

    fn after(&mut self, decl: Node) {
        self.code_end_row = Some(decl.end_position().row);
    }
}

/// The children of `node` in field `field` (several names of one spec or parameter).
fn field_children<'t, 'c>(
    node: Node<'t>,
    field: u16,
    cursor: &'c mut crate::tree::TreeCursor<'t>,
) -> impl Iterator<Item = Node<'t>> + 'c {
    cursor.reset(node);
    let mut started = false;
    std::iter::from_fn(move || loop {
        let moved = if started {
            cursor.goto_next_sibling()
        } else {
            cursor.goto_first_child()
        };
        started = true;
        if !moved {
            return None;
        }
        if cursor.field_id().is_some_and(|f| f.get() == field) {
            return Some(cursor.node());
        }
    })
}

fn name_node<'t>(ids: &Ids, decl: Node<'t>) -> Option<Node<'t>> {
    decl.child_by_field_id(ids.f_name)
}

/// gocyclo's and gocognit's name for a declaration: `f`, `(T).m`, `(*T).m`.
fn function_name(ids: &Ids, decl: Node, src: &str) -> String {
    let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
    let name = name_node(ids, decl).map(text).unwrap_or("");
    if decl.kind_id() != ids.method_declaration {
        return name.to_string();
    }
    let Some(receiver) = decl.child_by_field_id(ids.f_receiver) else {
        return name.to_string();
    };
    let mut c = receiver.walk();
    let first = receiver.named_children(&mut c).find(|p| {
        p.kind_id() == ids.parameter_declaration
            || p.kind_id() == ids.variadic_parameter_declaration
    });
    let Some(first) = first else {
        return name.to_string();
    };
    let mut recv = String::new();
    let mut typ = first.child_by_field_id(ids.f_type);
    // Ident -> name, StarExpr -> "*" + inner, IndexExpr/IndexListExpr -> inner, else BADRECV.
    loop {
        match typ {
            Some(t) if t.kind_id() == ids.type_identifier => {
                recv.push_str(text(t));
                break;
            }
            Some(t) if t.kind_id() == ids.pointer_type => {
                recv.push('*');
                let mut c = t.walk();
                typ = t
                    .named_children(&mut c)
                    .find(|n| n.kind_id() != ids.comment);
            }
            Some(t) if t.kind_id() == ids.generic_type => typ = t.child_by_field_id(ids.f_type),
            _ => {
                recv.push_str("BADRECV");
                break;
            }
        }
    }
    format!("({recv}).{name}")
}

/// The var/const specs of a package-level declaration.
fn value_specs<'t>(ids: &Ids, decl: Node<'t>) -> Vec<Node<'t>> {
    let mut specs = Vec::new();
    let mut c = decl.walk();
    for child in decl.named_children(&mut c) {
        let k = child.kind_id();
        if k == ids.var_spec || k == ids.const_spec {
            specs.push(child);
        } else if k == ids.var_spec_list {
            let mut c2 = child.walk();
            specs.extend(
                child
                    .named_children(&mut c2)
                    .filter(|s| s.kind_id() == ids.var_spec),
            );
        }
    }
    specs
}

/// For each name declared at package level in this file, the start byte of the first
/// declaration of it, as go/parser's resolver fills the file scope: functions (not methods, not
/// `init`), vars, consts and types; never `_`; imports are not declared.
fn package_declarations<'s>(ids: &Ids, root: Node, src: &'s str) -> HashMap<&'s str, usize> {
    let mut first: HashMap<&str, usize> = HashMap::default();
    let mut add = |name: Node, at: usize| {
        let text = src.get(name.byte_range()).unwrap_or("");
        if !text.is_empty() && text != "_" {
            first.entry(text).or_insert(at);
        }
    };
    let mut cursor = root.walk();
    for decl in root.named_children(&mut cursor) {
        let k = decl.kind_id();
        if k == ids.function_declaration {
            if let Some(n) = name_node(ids, decl) {
                if src.get(n.byte_range()) != Some("init") {
                    add(n, decl.start_byte());
                }
            }
        } else if k == ids.var_declaration || k == ids.const_declaration {
            for spec in value_specs(ids, decl) {
                let mut c = spec.walk();
                for n in field_children(spec, ids.f_name, &mut c) {
                    add(n, decl.start_byte());
                }
            }
        } else if k == ids.type_declaration {
            let mut c = decl.walk();
            for spec in decl.named_children(&mut c) {
                if spec.kind_id() == ids.type_spec || spec.kind_id() == ids.type_alias {
                    if let Some(n) = spec.child_by_field_id(ids.f_name) {
                        add(n, decl.start_byte());
                    }
                }
            }
        }
    }
    first
}

/// How gocognit v1.3.0 resolves the callee of a call without type information (its
/// `RecursiveFuncs` with a nil `types.Info`), within one file. A plain identifier (through
/// parentheses and type arguments) goes by go/parser's object resolution: a local declaration is
/// no function of the file; a package-level name is the first declaration of it in the file, a
/// function when that declaration is one; a name with no object (`init`, `_`, a name declared in
/// no scope of the file, a receiver type parameter) is the last function (not method) of the
/// file so named. A selector is the method itself when it is `r.m` with `r` a receiver name of
/// method `m`; any other call resolves to nothing.
struct CallResolver<'s> {
    /// For each name declared at package level, the start byte of its first declaration.
    package_decls: HashMap<&'s str, usize>,
    /// Functions (not methods) with a body, by name: the start byte of the last one.
    functions_by_name: HashMap<&'s str, usize>,
}

impl<'s> CallResolver<'s> {
    fn new(ids: &Ids, root: Node, src: &'s str) -> Self {
        let mut functions_by_name = HashMap::default();
        let mut cursor = root.walk();
        for decl in root.named_children(&mut cursor) {
            if decl.kind_id() != ids.function_declaration
                || decl.child_by_field_id(ids.f_body).is_none()
            {
                continue;
            }
            if let Some(name) = name_node(ids, decl).and_then(|n| src.get(n.byte_range())) {
                functions_by_name.insert(name, decl.start_byte());
            }
        }
        CallResolver {
            package_decls: package_declarations(ids, root, src),
            functions_by_name,
        }
    }

    /// The start byte of the declaration a call resolves to, if any (it may be a declaration
    /// without a body or not a function: the call graph keeps only functions with a body).
    fn resolve(
        &self,
        ids: &Ids,
        call: Node,
        src: &str,
        caller: &Caller,
        frames: &[Frame],
    ) -> Option<usize> {
        let callee = unwrap_callee(ids, called_expression(ids, call)?);
        let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
        let k = callee.kind_id();
        if k == ids.identifier || k == ids.type_identifier {
            return self.resolve_name(ids, text(callee), call.start_byte(), src, frames);
        }
        let (operand, field) = if k == ids.selector_expression {
            (ids.f_operand, ids.f_field)
        } else if k == ids.qualified_type {
            (ids.f_package, ids.f_name)
        } else {
            return None;
        };
        let operand = callee.child_by_field_id(operand)?;
        let field = callee.child_by_field_id(field)?;
        let through_receiver = (operand.kind_id() == ids.identifier
            || operand.kind_id() == ids.package_identifier)
            && caller.receiver_names.contains(&text(operand))
            && text(field) == caller.name;
        through_receiver.then_some(caller.start)
    }

    fn resolve_name(
        &self,
        ids: &Ids,
        name: &str,
        at: usize,
        src: &str,
        frames: &[Frame],
    ) -> Option<usize> {
        if name == "_" {
            // go/parser never resolves `_`.
            return self.functions_by_name.get(name).copied();
        }
        match resolve_local(ids, name, at, src, frames) {
            Resolution::Local => None,
            Resolution::NilObject => self.functions_by_name.get(name).copied(),
            Resolution::Package => match self.package_decls.get(name) {
                Some(&first) => Some(first),
                None => self.functions_by_name.get(name).copied(),
            },
        }
    }
}

/// Whether a node is what go/ast calls a `CallExpr`: a call, or what the grammar reads as a
/// conversion to a type (`f[T](x)` parses as a conversion to the generic type `f[T]`).
fn is_call(ids: &Ids, kind: u16) -> bool {
    kind == ids.call_expression || kind == ids.type_conversion_expression
}

/// The expression a call calls: a call's function, a conversion's type.
fn called_expression<'t>(ids: &Ids, call: Node<'t>) -> Option<Node<'t>> {
    if call.kind_id() == ids.type_conversion_expression {
        call.child_by_field_id(ids.f_type)
    } else {
        call.child_by_field_id(ids.f_function)
    }
}

/// The callee expression of a call with what gocognit sees through removed: parentheses and
/// type arguments (`(f)(x)`, `f[T](x)`, `f[K, V](x)`).
fn unwrap_callee<'t>(ids: &Ids, mut callee: Node<'t>) -> Node<'t> {
    loop {
        let k = callee.kind_id();
        let inner = if k == ids.parenthesized_expression || k == ids.parenthesized_type {
            let mut c = callee.walk();
            let inner = callee
                .named_children(&mut c)
                .find(|n| n.kind_id() != ids.comment);
            inner
        } else if k == ids.index_expression {
            callee.child_by_field_id(ids.f_operand)
        } else if k == ids.type_instantiation_expression || k == ids.generic_type {
            callee.child_by_field_id(ids.f_type)
        } else {
            None
        };
        match inner {
            Some(inner) => callee = inner,
            None => return callee,
        }
    }
}

/// The declaration being measured, as call resolution needs it.
struct Caller<'s> {
    /// Start byte of the declaration.
    start: usize,
    /// Its plain name (`m` for a method `(T).m`).
    name: &'s str,
    /// The receiver's parameter names; empty for a function.
    receiver_names: Vec<&'s str>,
    /// Byte range of the body; `None` for a declaration without one.
    body: Option<std::ops::Range<usize>>,
}

impl<'s> Caller<'s> {
    fn new(ids: &Ids, decl: Node, src: &'s str) -> Self {
        let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
        let mut receiver_names = Vec::new();
        if let Some(receiver) = decl.child_by_field_id(ids.f_receiver) {
            let mut c = receiver.walk();
            let params: Vec<Node> = receiver.named_children(&mut c).collect();
            for p in params {
                let mut c2 = p.walk();
                receiver_names.extend(field_children(p, ids.f_name, &mut c2).map(text));
            }
        }
        let body = decl.child_by_field_id(ids.f_body).map(|b| b.byte_range());
        Caller {
            start: decl.start_byte(),
            name: name_node(ids, decl).map(text).unwrap_or(""),
            receiver_names,
            body,
        }
    }

    /// Whether a call is inside the body (not, say, in an array length of a parameter type).
    fn body_holds(&self, node: Node) -> bool {
        self.body
            .as_ref()
            .is_some_and(|b| b.start <= node.start_byte() && node.end_byte() <= b.end)
    }
}

/// How an identifier at some point of a function resolves.
enum Resolution {
    /// A local declaration: an object other than the function's.
    Local,
    /// A receiver type parameter: found, but go/parser leaves the object nil.
    NilObject,
    /// No local declaration: the package scope decides.
    Package,
}

#[derive(Clone, Copy)]
struct Frame<'t> {
    node: Node<'t>,
    kind: u16,
    /// gocognit's nesting level at this node.
    nest: u32,
    /// Control-statement depth at this node (for `max_nesting`).
    depth: u32,
    /// For a binary expression or a parenthesis: its binary operands belong to an already
    /// counted sequence of logical operators (it is part of one, or is a logical operator).
    logic_chain: bool,
}

fn measure(
    ids: &Ids,
    func: Node,
    src: &str,
    name: String,
    calls: Option<(&CallResolver, &Caller)>,
    directives: Directives,
) -> (FunctionMetrics, Vec<usize>) {
    let mut callees = Vec::new();
    let mut cyclomatic: u32 = 1;
    let mut cognitive: u32 = 0;
    let mut max_nesting: u32 = 0;
    let mut frames: Vec<Frame> = vec![Frame {
        node: func,
        kind: func.kind_id(),
        nest: 0,
        depth: 0,
        logic_chain: false,
    }];
    let mut cursor = func.walk();
    'walk: loop {
        if cursor.goto_first_child() {
            // Entered a first child.
        } else {
            loop {
                frames.pop();
                if cursor.goto_next_sibling() {
                    break;
                }
                if frames.len() <= 1 || !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        let node = cursor.node();
        let kind = node.kind_id();
        let parent = *frames.last().expect("the function frame stays");
        let field = cursor.field_id().map_or(0, |f| f.get());
        let (mut nest, mut depth) = (parent.nest, parent.depth);
        let mut else_if = false;
        if parent.kind == ids.if_statement {
            if field == ids.f_consequence {
                nest += 1;
                depth += 1;
            } else if field == ids.f_alternative {
                if kind == ids.if_statement {
                    else_if = true;
                } else {
                    nest += 1;
                    depth += 1;
                }
            }
        } else if parent.kind == ids.for_statement {
            if field == ids.f_body {
                nest += 1;
                depth += 1;
            }
        } else if ids.is_switch(parent.kind) {
            if ids.is_case(kind) {
                nest += 1;
                depth += 1;
            }
        } else if parent.kind == ids.func_literal && field == ids.f_body {
            nest += 1;
        }
        let mut logic_chain = false;

        if kind == ids.if_statement {
            cyclomatic += 1;
            cognitive += if else_if { 1 } else { nest + 1 };
            if node
                .child_by_field_id(ids.f_alternative)
                .is_some_and(|alt| alt.kind_id() == ids.block)
            {
                cognitive += 1; // else
            }
            max_nesting = max_nesting.max(depth + 1);
        } else if kind == ids.for_statement {
            cyclomatic += 1;
            cognitive += nest + 1;
            max_nesting = max_nesting.max(depth + 1);
        } else if ids.is_switch(kind) {
            cognitive += nest + 1;
            max_nesting = max_nesting.max(depth + 1);
        } else if kind == ids.expression_case
            || kind == ids.type_case
            || kind == ids.communication_case
        {
            cyclomatic += 1;
        } else if kind == ids.parenthesized_expression {
            logic_chain = parent.logic_chain && is_operand_group(ids, parent.kind);
        } else if kind == ids.binary_expression {
            let logical = is_logical(node);
            let counted = parent.logic_chain && is_operand_group(ids, parent.kind);
            if logical {
                cyclomatic += 1;
                if !counted {
                    cognitive += operator_runs(ids, node);
                }
            }
            logic_chain = counted || logical;
        } else if kind == ids.break_statement || kind == ids.continue_statement {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.kind_id() == ids.label_name)
            {
                cognitive += 1;
            }
        } else if kind == ids.goto_statement {
            cognitive += 1;
        } else if is_call(ids, kind) {
            if let Some((resolver, caller)) = calls.filter(|(_, caller)| caller.body_holds(node)) {
                callees.extend(resolver.resolve(ids, node, src, caller, &frames));
            }
        }
        frames.push(Frame {
            node,
            kind,
            nest,
            depth,
            logic_chain,
        });
    }

    let body = func.child_by_field_id(ids.f_body);
    let metrics = FunctionMetrics {
        name,
        line: func.start_position().row + 1,
        column: func.start_position().column + 1,
        end_line: func.end_position().row + 1,
        cyclomatic,
        cognitive: calls.map(|_| cognitive),
        max_nesting,
        statements: count_statements(ids, body),
        node_id: func.id(),
        gocyclo_ignored: directives.gocyclo_ignore,
        gocognit_ignored: directives.gocognit_ignore,
        syntax_error: func.has_error(),
    };
    (metrics, callees)
}

/// Whether a node's operands continue a sequence of logical operators: a binary expression or
/// a parenthesis (gocognit v1.3.0 reads `a && (b && c)` as one sequence).
fn is_operand_group(ids: &Ids, kind: u16) -> bool {
    kind == ids.binary_expression || kind == ids.parenthesized_expression
}

/// The expression inside a parenthesis, through any number of them.
fn without_parentheses<'t>(ids: &Ids, mut node: Node<'t>) -> Node<'t> {
    while node.kind_id() == ids.parenthesized_expression {
        let mut c = node.walk();
        let inner = node
            .named_children(&mut c)
            .find(|n| n.kind_id() != ids.comment);
        match inner {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// gocognit's score for one sequence of logical operators: the `&&`/`||` operators of the
/// binary expressions reachable from `root` through binary operands and parentheses only (a
/// call or unary operator ends the sequence), in source order; 1 for the first and 1 for each
/// change.
fn operator_runs(ids: &Ids, root: Node) -> u32 {
    let mut runs = 0;
    let mut last: u16 = 0;
    // In-order walk with an explicit stack.
    let mut stack: Vec<Node> = Vec::new();
    let mut current = Some(root);
    loop {
        while let Some(n) = current.map(|n| without_parentheses(ids, n)) {
            if n.kind_id() == ids.binary_expression {
                stack.push(n);
                current = n.child_by_field_id(ids.f_left);
            } else {
                current = None;
            }
        }
        let Some(n) = stack.pop() else { break };
        if let Some(op) = n.child_by_field_id(ids.f_operator) {
            let k = op.kind_id();
            if (k == ids.t_amp_amp || k == ids.t_pipe_pipe) && k != last {
                runs += 1;
                last = k;
            }
        }
        current = n.child_by_field_id(ids.f_right);
    }
    runs
}

/// Resolves `name` as go/parser's resolver would at byte `at`, looking through the scopes of
/// the enclosing frames (innermost first). A declaration is visible from the point where the
/// resolver declares it: after the whole statement for `:=`, `var` and `const` (their values
/// are resolved first), after the range expression for `range` with `:=`, at the name for a
/// type, from the start for parameters.
fn resolve_local(ids: &Ids, name: &str, at: usize, src: &str, frames: &[Frame]) -> Resolution {
    let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
    let is_name = |n: Node| n.kind_id() == ids.identifier && text(n) == name;
    let list_declares = |list: Option<Node>| -> bool {
        list.is_some_and(|l| {
            if is_name(l) {
                return true;
            }
            let mut c = l.walk();
            let found = l.named_children(&mut c).any(is_name);
            found
        })
    };
    let short_var_declares = |stmt: Option<Node>| -> bool {
        stmt.is_some_and(|s| {
            s.kind_id() == ids.short_var_declaration
                && s.end_byte() <= at
                && list_declares(s.child_by_field_id(ids.f_left))
        })
    };
    let has_define = |n: Node| {
        let mut c = n.walk();
        let found = n.children(&mut c).any(|t| t.kind_id() == ids.t_colon_eq);
        found
    };
    let params_declare = |list: Option<Node>| -> bool {
        list.is_some_and(|l| {
            let mut c = l.walk();
            let params: Vec<Node> = l.named_children(&mut c).collect();
            params.into_iter().any(|p| {
                let k = p.kind_id();
                (k == ids.parameter_declaration
                    || k == ids.variadic_parameter_declaration
                    || k == ids.type_parameter_declaration)
                    && {
                        let mut c2 = p.walk();
                        let found = field_children(p, ids.f_name, &mut c2).any(is_name);
                        found
                    }
            })
        })
    };

    for frame in frames.iter().rev() {
        let node = frame.node;
        let k = frame.kind;
        if k == ids.statement_list {
            let mut c = node.walk();
            for stmt in node.named_children(&mut c) {
                if stmt.start_byte() >= at {
                    break;
                }
                if statement_declares(ids, stmt, name, at, src) {
                    return Resolution::Local;
                }
            }
        } else if k == ids.if_statement || k == ids.expression_switch_statement {
            if short_var_declares(node.child_by_field_id(ids.f_initializer)) {
                return Resolution::Local;
            }
        } else if k == ids.type_switch_statement {
            let value_end = node
                .child_by_field_id(ids.f_value)
                .map_or(usize::MAX, |v| v.end_byte());
            if value_end <= at && list_declares(node.child_by_field_id(ids.f_alias)) {
                return Resolution::Local;
            }
            if short_var_declares(node.child_by_field_id(ids.f_initializer)) {
                return Resolution::Local;
            }
        } else if k == ids.for_statement {
            let mut c = node.walk();
            let clause = node
                .named_children(&mut c)
                .find(|n| n.kind_id() == ids.for_clause || n.kind_id() == ids.range_clause);
            if let Some(clause) = clause {
                if clause.kind_id() == ids.for_clause {
                    if short_var_declares(clause.child_by_field_id(ids.f_initializer)) {
                        return Resolution::Local;
                    }
                } else if clause.end_byte() <= at
                    && has_define(clause)
                    && list_declares(clause.child_by_field_id(ids.f_left))
                {
                    return Resolution::Local;
                }
            }
        } else if k == ids.communication_case {
            if let Some(comm) = node.child_by_field_id(ids.f_communication) {
                if comm.kind_id() == ids.receive_statement
                    && comm.end_byte() <= at
                    && has_define(comm)
                    && list_declares(comm.child_by_field_id(ids.f_left))
                {
                    return Resolution::Local;
                }
            }
        } else if k == ids.func_literal {
            if params_declare(node.child_by_field_id(ids.f_parameters))
                || params_declare(node.child_by_field_id(ids.f_result))
            {
                return Resolution::Local;
            }
        } else if k == ids.function_declaration || k == ids.method_declaration {
            if k == ids.method_declaration && receiver_type_params_declare(ids, node, name, src) {
                return Resolution::NilObject;
            }
            if params_declare(node.child_by_field_id(ids.f_receiver))
                || params_declare(node.child_by_field_id(ids.f_type_parameters))
                || params_declare(node.child_by_field_id(ids.f_parameters))
                || params_declare(node.child_by_field_id(ids.f_result))
            {
                return Resolution::Local;
            }
        }
    }
    Resolution::Package
}

/// Whether a statement of a block declares `name` visibly at byte `at`.
fn statement_declares(ids: &Ids, stmt: Node, name: &str, at: usize, src: &str) -> bool {
    let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
    let mut stmt = stmt;
    // `L: x := 1` declares x in the enclosing block.
    while stmt.kind_id() == ids.labeled_statement {
        let mut c = stmt.walk();
        let inner = stmt
            .named_children(&mut c)
            .filter(|n| n.kind_id() != ids.label_name && n.kind_id() != ids.comment)
            .last();
        match inner {
            Some(inner) => stmt = inner,
            None => return false,
        }
    }
    let k = stmt.kind_id();
    if k == ids.short_var_declaration {
        if stmt.end_byte() > at {
            return false;
        }
        let Some(left) = stmt.child_by_field_id(ids.f_left) else {
            return false;
        };
        let mut c = left.walk();
        let found = left
            .named_children(&mut c)
            .any(|n| n.kind_id() == ids.identifier && text(n) == name);
        found
    } else if k == ids.var_declaration || k == ids.const_declaration {
        value_specs(ids, stmt).into_iter().any(|spec| {
            spec.end_byte() <= at && {
                let mut c = spec.walk();
                let found = field_children(spec, ids.f_name, &mut c).any(|n| text(n) == name);
                found
            }
        })
    } else if k == ids.type_declaration {
        let mut c = stmt.walk();
        let specs: Vec<Node> = stmt.named_children(&mut c).collect();
        specs.into_iter().any(|spec| {
            (spec.kind_id() == ids.type_spec || spec.kind_id() == ids.type_alias)
                && spec
                    .child_by_field_id(ids.f_name)
                    .is_some_and(|n| n.end_byte() <= at && text(n) == name)
        })
    } else {
        false
    }
}

/// Whether a method's receiver type parameters (`func (l *List[T]) ...`) include `name`.
fn receiver_type_params_declare(ids: &Ids, method: Node, name: &str, src: &str) -> bool {
    let Some(receiver) = method.child_by_field_id(ids.f_receiver) else {
        return false;
    };
    let mut c = receiver.walk();
    let Some(first) = receiver
        .named_children(&mut c)
        .find(|p| p.kind_id() == ids.parameter_declaration)
    else {
        return false;
    };
    let mut typ = first.child_by_field_id(ids.f_type);
    if let Some(t) = typ.filter(|t| t.kind_id() == ids.pointer_type) {
        let mut c = t.walk();
        typ = t
            .named_children(&mut c)
            .find(|n| n.kind_id() != ids.comment);
    }
    let Some(generic) = typ.filter(|t| t.kind_id() == ids.generic_type) else {
        return false;
    };
    let Some(args) = generic.child_by_field_id(ids.f_type_arguments) else {
        return false;
    };
    // type_arguments -> type_elem -> type_identifier
    let mut stack = vec![args];
    while let Some(n) = stack.pop() {
        if n.kind_id() == ids.type_identifier && src.get(n.byte_range()) == Some(name) {
            return true;
        }
        if n.kind_id() == ids.type_identifier || n.kind_id() == ids.generic_type {
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

/// funlen's statement count of a body (see `FunctionMetrics::statements`).
fn count_statements(ids: &Ids, body: Option<Node>) -> u32 {
    let Some(body) = body else { return 0 };
    let mut total = 0;
    // Nodes whose statement_list child holds statements to count: blocks and switch cases.
    let mut work: Vec<Node> = vec![body];
    let c = &mut body.walk();
    while let Some(container) = work.pop() {
        let Some(list) = container
            .named_children(c)
            .find(|n| n.kind_id() == ids.statement_list)
        else {
            continue;
        };
        let stmts: Vec<Node> = list
            .named_children(c)
            .filter(|n| n.kind_id() != ids.comment)
            .collect();
        for stmt in stmts {
            let k = stmt.kind_id();
            if k == ids.block {
                work.push(stmt);
                continue;
            }
            total += 1;
            if k == ids.if_statement {
                work.extend(stmt.child_by_field_id(ids.f_consequence));
            } else if k == ids.for_statement {
                work.extend(stmt.child_by_field_id(ids.f_body));
            } else if k == ids.expression_switch_statement || k == ids.type_switch_statement {
                let cases: Vec<Node> = stmt
                    .named_children(c)
                    .filter(|n| ids.is_case(n.kind_id()))
                    .collect();
                total += cases.len() as u32;
                work.extend(cases);
            } else if k == ids.select_statement {
                total += stmt
                    .named_children(c)
                    .filter(|n| ids.is_case(n.kind_id()))
                    .count() as u32;
            } else if k == ids.assignment_statement || k == ids.short_var_declaration {
                let first = stmt
                    .child_by_field_id(ids.f_right)
                    .and_then(|right| right.named_children(c).find(|n| n.kind_id() != ids.comment));
                if let Some(lit) = first.filter(|n| n.kind_id() == ids.func_literal) {
                    work.extend(lit.child_by_field_id(ids.f_body));
                }
            } else if k == ids.go_statement || k == ids.defer_statement {
                let call = stmt.named_children(c).find(|n| n.kind_id() != ids.comment);
                let lit = call
                    .filter(|n| n.kind_id() == ids.call_expression)
                    .and_then(|n| n.child_by_field_id(ids.f_function))
                    .filter(|n| n.kind_id() == ids.func_literal);
                if let Some(lit) = lit {
                    work.extend(lit.child_by_field_id(ids.f_body));
                }
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::SyntaxTree;

    fn parse(src: &str) -> SyntaxTree {
        SyntaxTree::parse(src)
    }

    fn metrics(src: &str) -> Vec<FunctionMetrics> {
        let tree = parse(src);
        file_metrics(tree.root_node(), src)
    }

    /// The metrics of the only (or the named) function of a snippet with a package clause added.
    fn one(body: &str) -> FunctionMetrics {
        let src = format!("package p\n\n{body}\n");
        let all = metrics(&src);
        assert_eq!(all.len(), 1, "{all:?}");
        all.into_iter().next().unwrap()
    }

    fn named(src: &str, name: &str) -> FunctionMetrics {
        let src = format!("package p\n\n{src}\n");
        metrics(&src)
            .into_iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    fn cc(body: &str) -> (u32, u32) {
        let m = one(body);
        (
            m.cyclomatic,
            m.cognitive.expect("a declaration has a cognitive score"),
        )
    }

    #[test]
    fn every_kind_and_field_id_is_known_to_the_grammar() {
        let i = ids();
        let all = [
            i.comment,
            i.function_declaration,
            i.method_declaration,
            i.func_literal,
            i.var_declaration,
            i.const_declaration,
            i.type_declaration,
            i.var_spec,
            i.var_spec_list,
            i.const_spec,
            i.type_spec,
            i.type_alias,
            i.block,
            i.statement_list,
            i.labeled_statement,
            i.label_name,
            i.short_var_declaration,
            i.assignment_statement,
            i.receive_statement,
            i.go_statement,
            i.defer_statement,
            i.if_statement,
            i.for_statement,
            i.for_clause,
            i.range_clause,
            i.expression_switch_statement,
            i.type_switch_statement,
            i.select_statement,
            i.expression_case,
            i.type_case,
            i.default_case,
            i.communication_case,
            i.break_statement,
            i.continue_statement,
            i.goto_statement,
            i.binary_expression,
            i.call_expression,
            i.identifier,
            i.type_identifier,
            i.pointer_type,
            i.generic_type,
            i.parameter_declaration,
            i.variadic_parameter_declaration,
            i.type_parameter_declaration,
            i.t_amp_amp,
            i.t_pipe_pipe,
            i.t_colon_eq,
            i.f_name,
            i.f_body,
            i.f_consequence,
            i.f_alternative,
            i.f_receiver,
            i.f_parameters,
            i.f_result,
            i.f_type_parameters,
            i.f_function,
            i.f_type_arguments,
            i.f_operator,
            i.f_left,
            i.f_right,
            i.f_value,
            i.f_type,
            i.f_initializer,
            i.f_alias,
            i.f_communication,
        ];
        for (n, id) in all.iter().enumerate() {
            assert_ne!(*id, 0, "id #{n} is unknown to the grammar");
        }
        // The kinds that must be distinct really are.
        assert_ne!(i.t_amp_amp, i.t_pipe_pipe);
        assert_ne!(i.identifier, i.type_identifier);
    }

    #[test]
    fn empty_function_and_declaration_without_body() {
        let m = one("func f() {}");
        assert_eq!(
            (m.cyclomatic, m.cognitive, m.max_nesting, m.statements),
            (1, Some(0), 0, 0)
        );
        assert_eq!(
            (m.name.as_str(), m.line, m.column, m.end_line),
            ("f", 3, 1, 3)
        );
        let m = one("func f(x int) int");
        assert_eq!((m.cyclomatic, m.cognitive), (1, Some(0)));
    }

    #[test]
    fn if_else_if_else() {
        // gocyclo: 1 + 2 ifs = 3; gocognit: if +1, else if +1, else +1 = 3.
        assert_eq!(
            cc("func f(n int) { if n > 0 { } else if n < 0 { } else { } }"),
            (3, 3)
        );
    }

    #[test]
    fn else_block_is_nested() {
        // gocognit v1.3.0's IfElseNested testdata: if +1, else +1, if in else +2 (nesting 1) = 4
        // (v1.2.1 walked the else block at the if's own nesting and scored 3).
        let src = "func f(n int) string {
            if n == 100 {
                return \"a\"
            } else {
                if n == 200 {
                    return \"b\"
                }
            }
            return \"c\"
        }";
        assert_eq!(cc(src), (3, 4));
        assert_eq!(one(src).max_nesting, 2);
        // An else if stays at its if's nesting; its else block nests like any other.
        let src = "func f(n int) {
            if n > 0 {              // +1
            } else if n < 0 {       // +1
            } else {                // +1
                for {               // +2
                }
            }
        }";
        assert_eq!(cc(src), (4, 5));
    }

    #[test]
    fn nesting_raises_the_increment() {
        let src = "func f(xs []int) {
            for _, x := range xs {      // +1
                if x > 0 {              // +2
                    for {               // +3
                        break
                    }
                }
            }
        }";
        assert_eq!(cc(src), (4, 6));
        assert_eq!(one(src).max_nesting, 3);
    }

    #[test]
    fn logical_operator_sequences() {
        assert_eq!(
            cc("func f(a, b, c bool) bool { return a && b || c }"),
            (3, 2)
        );
        assert_eq!(
            cc("func f(a, b, c bool) bool { return a && b && c }"),
            (3, 1)
        );
        assert_eq!(
            cc("func f(a, b, c, d bool) bool { return a || b && c || d }"),
            (4, 3)
        );
        // Parentheses are transparent (v1.3.0; v1.2.1 started a new sequence at each).
        assert_eq!(
            cc("func f(a, b, c bool) bool { return a && (b && c) }"),
            (3, 1)
        );
        assert_eq!(
            cc("func f(a, b, c, d, e, f bool) bool { return a && b && (c && d || e || f) }"),
            (6, 2)
        );
        assert_eq!(
            cc("func f(a, b, c, d bool) bool { return a && ((b || c)) || d }"),
            (4, 2)
        );
        assert_eq!(
            cc("func f(a, b, c bool) bool { return (a || b) && c }"),
            (3, 2)
        );
        // Through a comparison too, as part of the sequence around it.
        assert_eq!(
            cc("func f(a, b, c bool) bool { return a && (b == (a && c)) }"),
            (3, 1)
        );
        // Comparisons inside are passed over; a call or `!` ends the sequence.
        assert_eq!(
            cc("func f(a, b int, c bool) bool { return a == b && c }"),
            (2, 1)
        );
        assert_eq!(
            cc("func f(a, b, c bool) bool { return !(a || b) && c }"),
            (3, 2)
        );
        assert_eq!(
            cc("func f(a, b, c bool) bool { return g(a || b) && c }"),
            (3, 2)
        );
    }

    #[test]
    fn switch_type_switch_and_select() {
        let src = "func f(x any, c chan int) {
            switch x {          // cognitive +1
            case 1, 2:          // cyclomatic +1
            case 3:             // +1
            default:
            }
            switch v := x.(type) { // cognitive +1
            case int:           // cyclomatic +1
                _ = v
            case string, bool:  // +1
            default:
            }
            select {            // cognitive +1
            case <-c:           // cyclomatic +1
            case c <- 1:        // +1
            default:
            }
        }";
        assert_eq!(cc(src), (7, 3));
        assert_eq!(one(src).max_nesting, 1);
    }

    #[test]
    fn labeled_break_continue_and_goto() {
        let src = "func f(xs [][]int) {
        outer:
            for _, row := range xs {   // +1
                for _, x := range row { // +2
                    if x == 0 {         // +3
                        continue outer  // +1
                    }
                    if x < 0 {          // +3
                        break outer     // +1
                    }
                    break               // 0
                }
            }
            goto done                   // +1
        done:
        }";
        assert_eq!(cc(src), (5, 12));
    }

    #[test]
    fn direct_recursion_counts_once() {
        assert_eq!(
            cc("func fact(n int) int { if n <= 1 { return 1 }; return n * fact(n-1) }"),
            (2, 2)
        );
        // One increment for the function, however many calls (v1.2.1 counted each call).
        assert_eq!(
            cc("func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }"),
            (2, 2)
        );
        // A local of the same name shadows the function.
        assert_eq!(cc("func f(n int) { f := func(int) {}; f(n) }"), (1, 0));
        assert_eq!(cc("func f(f func()) { f() }"), (1, 0));
        // The value of `f := ...` is resolved before f is declared; calls in a literal count.
        assert_eq!(cc("func f() { g := func() { f() }; g() }"), (1, 1));
        // Parentheses and type arguments are seen through.
        assert_eq!(cc("func f[T any]() { f[T]() }"), (1, 1));
        assert_eq!(cc("func f[K, V any]() { f[K, V]() }"), (1, 1));
        assert_eq!(cc("func f() { (f)() }"), (1, 1));
        // `f[T](x)` parses as a conversion to a generic type; go/ast has a call.
        assert_eq!(cc("func f[T any](x bool) { f[T](true) }"), (1, 1));
        assert_eq!(cc("func f[A, B any](x bool) { f[B, A](true) }"), (1, 1));
        assert_eq!(cc("func f[T any](x bool) { (f[T])(true) }"), (1, 1));
        // A reference that is no call is no edge.
        assert_eq!(cc("func f() { _ = f }"), (1, 0));
    }

    #[test]
    fn methods_recurse_through_their_own_receiver_only() {
        let src = "type T struct{ c chan int; next *T }\n";
        let score = |decls: &str, name: &str| named(&format!("{src}{decls}"), name).cognitive;
        assert_eq!(score("func (t T) m() { t.m() }", "(T).m"), Some(1));
        assert_eq!(score("func (t *T) m() { (t.m)() }", "(*T).m"), Some(1));
        // Not through another value, nor a builtin or function of the method's name.
        assert_eq!(score("func (t *T) m() { t.next.m() }", "(*T).m"), Some(0));
        assert_eq!(
            score("func (t *T) close() { close(t.c) }", "(*T).close"),
            Some(0)
        );
        assert_eq!(score("func g() {}\nfunc (T) g() { g() }", "(T).g"), Some(0));
        // Methods calling each other are not resolved without types.
        let pair = "func (t *T) walk() { t.next.step() }\nfunc (t *T) step() { t.walk() }";
        assert_eq!(score(pair, "(*T).walk"), Some(0));
        assert_eq!(score(pair, "(*T).step"), Some(0));
    }

    #[test]
    fn indirect_recursion_within_the_file() {
        // gocognit v1.3.0's testdata f: every function on a cycle of calls gets 1, once; one
        // that only calls into a cycle gets nothing.
        let src = "func a(n int) int { if n <= 0 { return 0 }; return b(n - 1) }
func b(n int) int { return c(n) }
func c(n int) int { return a(n) + a(n) }
func caller(n int) int { if n <= 0 { return 0 }; return a(n) }
func helper(n int) int { return n }
func notRecursive(n int) int { return helper(n) }";
        let got: Vec<_> = metrics(&format!("package p\n\n{src}\n"))
            .into_iter()
            .map(|m| (m.name, m.cognitive))
            .collect();
        let want = [
            ("a", 2),
            ("b", 1),
            ("c", 1),
            ("caller", 1),
            ("helper", 0),
            ("notRecursive", 0),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(n, c)| (n.to_string(), Some(*c)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn call_resolution_follows_the_file_scope() {
        // A package-level name is its first declaration: a var before the function is no call
        // of it.
        assert_eq!(named("var h = 1\nfunc h() { h() }", "h").cognitive, Some(0));
        // A function without a body is no node of the graph.
        let src = "func ext(n int) int\nfunc g(n int) int { return ext(n) }";
        assert_eq!(named(src, "ext").cognitive, Some(0));
        assert_eq!(named(src, "g").cognitive, Some(0));
        // `init` is never declared: a call to it resolves by name.
        let src = "func init() { again() }\nfunc again() { init() }";
        assert_eq!(named(src, "init").cognitive, Some(1));
        assert_eq!(named(src, "again").cognitive, Some(1));
        // A package-level function literal is no node either.
        let src = "var v = func() { w() }\nfunc w() { v() }";
        assert_eq!(named(src, "w").cognitive, Some(0));
    }

    #[test]
    fn function_literals_nest_and_count_toward_their_function() {
        let src = "func f() {
            g := func() {       // nesting +1
                if true {       // +2
                }
            }
            g()
        }";
        assert_eq!(cc(src), (2, 2));
        assert_eq!(one(src).max_nesting, 1);
    }

    #[test]
    fn package_level_function_literals() {
        let src = "package p\n\nvar (\n\ta, b = func() { if true {} }, func() {}\n)\nvar c = g(func() { if true {} })\n";
        let all = metrics(src);
        let got: Vec<_> = all
            .iter()
            .map(|m| (m.name.as_str(), m.line, m.column, m.cyclomatic, m.cognitive))
            .collect();
        assert_eq!(got, vec![("a", 4, 9, 2, None), ("a", 4, 32, 1, None)]);
    }

    #[test]
    fn receiver_names() {
        let src = "type T[K any] struct{}\n\
                   func (t *T[K]) a() {}\n\
                   func (T[K]) b() {}\n\
                   func (t T) c() {}\n\
                   func (t *(T)) d() {}\n";
        let names: Vec<String> = metrics(&format!("package p\n{src}"))
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["(*T).a", "(T).b", "(T).c", "(*BADRECV).d"]);
    }

    #[test]
    fn ignore_directives_in_the_doc_comment() {
        // As go/parser attaches doc comments: the group of comments on consecutive lines that
        // ends on the line before `func`, not separated by a blank line, and not a trailing
        // comment of the code before. `//gocyclo: ignore` is trimmed; gocognit wants it exact.
        let src = "package p\n\n// f does.\n//gocyclo:ignore\nfunc f() {}\n\n//gocognit:ignore\n\nfunc g() {}\n\n//gocognit:ignore\nfunc h() {}\n//gocyclo: ignore\nfunc i() {} // trailing\n//gocognit:ignore \nfunc j() {}\nvar x = 1 //gocognit:ignore\nfunc k() {}\n";
        let got: Vec<_> = metrics(src)
            .iter()
            .map(|m| (m.name.clone(), m.gocyclo_ignored, m.gocognit_ignored))
            .collect();
        assert_eq!(
            got,
            vec![
                ("f".into(), true, false),
                ("g".into(), false, false),
                ("h".into(), false, true),
                ("i".into(), true, false),
                ("j".into(), false, false),
                ("k".into(), false, false),
            ]
        );
    }

    #[test]
    fn statements_as_funlen_counts_them() {
        let src = "func f(c chan int) {
            x := 1                    // 1
            {                         // 0
                x++                   // 1
            }
            if x > 0 {                // 1
                x--                   // 1
            } else {
                x++                   // not counted (funlen skips else)
            }
            switch x {                // 1
            case 1:                   // 1
                x = 2                 // 1
            }
            select {                  // 1
            case <-c:                 // 1
                x = 3                 // not counted
            }
            go func() {               // 1
                x = 4                 // 1
            }()
            _ = x                     // 1
        }";
        assert_eq!(one(src).statements, 12);
    }

    #[test]
    fn deep_nesting_does_not_overflow_a_small_stack() {
        let mut src = String::from("package p\n\nfunc f() bool { return x");
        for _ in 0..20_000 {
            src.push_str(" || x");
        }
        src.push_str(" }\n\nfunc g() string { return \"a\"");
        for _ in 0..20_000 {
            src.push_str(" + \"a\"");
        }
        src.push_str(" }\n");
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let tree = parse(&src);
                let m = file_metrics(tree.root_node(), &src);
                (m[0].cyclomatic, m[0].cognitive)
            })
            .expect("spawns");
        assert_eq!(handle.join().expect("no overflow"), (20_001, Some(1)));
    }
}
