//! `sql-string-building`: a SQL query built with `+` or `fmt.Sprintf` from non-constant data
//! and passed to `Query`/`Exec`/`Prepare` of `database/sql`, sqlx or pgx.
//!
//! Why it matters: text spliced into a statement can change the statement (SQL injection);
//! placeholders (`?`, `$1`) pass data as data. Placeholder lists (`strings.Repeat("?,", n)`,
//! `"$" + strconv.Itoa(i)`), numbers, constants and quoted identifiers are not data.

use crate::analysis::types::{Callee, CalleeKind, FileTypes};
use crate::config::RuleSettings;
use crate::rules::errors::enclosing_function;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::syntax::kinds::k;
use crate::tree::preorder;
use crate::tree::Node;

pub struct SqlStringBuilding;

const METHODS: &[&str] = &[
    "Query",
    "QueryContext",
    "QueryRow",
    "QueryRowContext",
    "Exec",
    "ExecContext",
    "Prepare",
    "PrepareContext",
    "Queryx",
    "QueryxContext",
    "QueryRowx",
    "QueryRowxContext",
    "Select",
    "SelectContext",
    "Get",
    "GetContext",
    "MustExec",
    "MustExecContext",
    "NamedExec",
    "NamedExecContext",
    "NamedQuery",
    "NamedQueryContext",
    "Preparex",
    "PreparexContext",
];
const MAX_DEPTH: usize = 12;

impl Rule for SqlStringBuilding {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        _s: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        if cx.file.is_test() {
            return;
        }
        let Some(types) = cx.types() else { return };
        let Some(callee) = types.callee(node) else {
            return;
        };
        let Some(qi) = query_index(&callee) else {
            return;
        };
        let args = crate::analysis::taint::call_args(node);
        let Some(query) = args.get(qi) else { return };
        let b = Builder { types, cx };
        let Some((how, data)) = b.built(*query, 0) else {
            return;
        };
        let line = cx.file.position(node.start_byte()).0;
        let msg = format!(
            "query built with {how} from {data} reaches {} at line {line}: pass the value as a placeholder argument (? or $1)",
            callee.name
        );
        out.push(Diagnostic::at(*query, msg));
    }
}

/// The index of the query argument of a SQL method, if `callee` is one.
fn query_index(c: &Callee) -> Option<usize> {
    let CalleeKind::Method { owner, .. } = &c.kind else {
        return None;
    };
    let gorm = owner
        .named_parts()
        .is_some_and(|(p, _)| p == "gorm.io/gorm" || p.contains("jinzhu/gorm"));
    if gorm && matches!(c.name.as_str(), "Raw" | "Exec" | "Where") {
        return Some(0);
    }
    if !METHODS.contains(&c.name.as_str()) {
        return None;
    }
    let sql = owner.named_parts().is_some_and(|(p, _)| {
        p == "database/sql"
            || p.contains("jmoiron/sqlx")
            || p.contains("jackc/pgx")
            || p.contains("jackc/pgconn")
    });
    let distinctive = c.name.ends_with("Context") || c.name.contains("Query");
    if !(sql || c.pkg.is_empty() && distinctive) {
        return None;
    }
    let ctx = c
        .sig
        .params
        .first()
        .is_some_and(|t| t.named_parts() == Some(("context", "Context")));
    let sqlx_dest = matches!(
        c.name.as_str(),
        "Select" | "Get" | "SelectContext" | "GetContext"
    );
    Some(usize::from(ctx) + usize::from(sqlx_dest))
}

struct Builder<'a, 't> {
    types: &'a FileTypes<'t>,
    cx: &'a FileContext<'t>,
}

impl<'a, 't> Builder<'a, 't> {
    fn t(&self, n: Node) -> &'t str {
        self.cx.file.text.get(n.byte_range()).unwrap_or("")
    }

    /// How the query was built and the first piece of data in it.
    fn built<'n>(&self, e: Node<'n>, depth: usize) -> Option<(String, String)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let k = k();
        let kind = e.kind_id();
        if kind == k.binary_expression {
            let data = self.data_in_concat(e, depth)?;
            return Some(("+".into(), data));
        }
        if kind == k.call_expression && self.is_sprintf(e) {
            let data = self.sprintf_data(e, depth)?;
            return Some(("fmt.Sprintf".into(), data));
        }
        if kind == k.parenthesized_expression {
            return self.built(e.named_child(0)?, depth + 1);
        }
        if kind == k.identifier {
            return self.built_var(e, depth);
        }
        None
    }

    fn is_sprintf(&self, call: Node) -> bool {
        self.types
            .callee(call)
            .is_some_and(|c| c.kind == CalleeKind::Func && c.pkg == "fmt" && c.name == "Sprintf")
    }

    /// A local variable: its initialiser, then every `+=` and `= ... +` to it.
    fn built_var<'n>(&self, id: Node<'n>, depth: usize) -> Option<(String, String)> {
        let k = k();
        let decl = self.types.decl_of(id)?;
        let func = enclosing_function(id)?;
        let name = self.t(id);
        for n in preorder(func) {
            if n.start_byte() >= id.start_byte() {
                break;
            }
            let kind = n.kind_id();
            if kind != k.short_var_declaration
                && kind != k.assignment_statement
                && kind != k.var_spec
            {
                continue;
            }
            let left = n
                .child_by_field_id(k.f_left)
                .or_else(|| n.child_by_field_id(k.f_name));
            let Some(left) = left.filter(|l| self.t(*l) == name) else {
                continue;
            };
            if self.types.decl(left).is_some_and(|d| d != decl) && left.kind_id() == k.identifier {
                continue;
            }
            let Some(right) = n
                .child_by_field_id(k.f_right)
                .or_else(|| n.child_by_field_id(k.f_value))
            else {
                continue;
            };
            let right = if right.kind_id() == k.expression_list {
                match right.named_child(0) {
                    Some(r) => r,
                    None => continue,
                }
            } else {
                right
            };
            let plus = n
                .child_by_field_id(k.f_operator)
                .is_some_and(|o| self.t(o) == "+=");
            if plus {
                if let Some(d) = self.data(right, depth + 1) {
                    return Some(("+=".into(), d));
                }
            } else if let Some(b) = self.built(right, depth + 1) {
                return Some(b);
            }
        }
        None
    }

    fn data_in_concat<'n>(&self, e: Node<'n>, depth: usize) -> Option<String> {
        let k = k();
        let op = e
            .child_by_field_id(k.f_operator)
            .map(|o| self.t(o))
            .unwrap_or("");
        if op != "+" {
            return None;
        }
        let l = e.child_by_field_id(k.f_left)?;
        let r = e.child_by_field_id(k.f_right)?;
        if !self.sqlish(e) {
            return None;
        }
        self.data(l, depth + 1).or_else(|| self.data(r, depth + 1))
    }

    /// The concatenation holds a literal that looks like SQL.
    fn sqlish(&self, e: Node) -> bool {
        let k = k();
        preorder(e).take(200).any(|n| {
            (n.kind_id() == k.interpreted_string_literal || n.kind_id() == k.raw_string_literal)
                && looks_like_sql(self.t(n))
        }) || e.kind_id() == k.identifier
    }

    fn sprintf_data<'n>(&self, call: Node<'n>, depth: usize) -> Option<String> {
        let args = crate::analysis::taint::call_args(call);
        let format = args.first()?;
        if !looks_like_sql(self.t(*format)) {
            return None;
        }
        let verbs = crate::rules::errors::error_wrap_verb::verbs(self.t(*format));
        for (verb, i) in verbs {
            if !matches!(verb, 's' | 'v' | 'q') {
                continue;
            }
            if let Some(d) = args.get(i + 1).and_then(|a| self.data(*a, depth + 1)) {
                return Some(d);
            }
        }
        None
    }

    /// Describes `e` if it is non-constant text (not a number, literal, constant or placeholder).
    fn data<'n>(&self, e: Node<'n>, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let k = k();
        let kind = e.kind_id();
        if kind == k.interpreted_string_literal
            || kind == k.raw_string_literal
            || kind == k.int_literal
        {
            return None;
        }
        if let Some(t) = self.types.type_of(e) {
            if let Some(("", n)) = t.named_parts() {
                if n != "string" && n != "any" && !n.starts_with('[') && n != "interface{}" {
                    return None;
                }
            }
        }
        if kind == k.binary_expression {
            let l = e.child_by_field_id(k.f_left)?;
            let r = e.child_by_field_id(k.f_right)?;
            return self.data(l, depth + 1).or_else(|| self.data(r, depth + 1));
        }
        if kind == k.parenthesized_expression {
            return self.data(e.named_child(0)?, depth + 1);
        }
        if kind == k.slice_expression {
            return self.data(e.child_by_field_id(k.f_operand)?, depth + 1);
        }
        if kind == k.index_expression {
            // `columns[r.FormValue("sort")]`: a lookup in the package's own table.
            let table = e.child_by_field_id(k.f_operand)?;
            let package_table = table.kind_id() == k.identifier && self.package_level(table);
            return (!package_table).then(|| self.t(e).to_string());
        }
        if kind == k.call_expression {
            return self.call_data(e, depth);
        }
        if kind == k.identifier {
            return self.ident_data(e, depth);
        }
        if kind == k.selector_expression {
            // `setting.Database.Name`: a package's configuration, not request data.
            let mut root = e.child_by_field_id(k.f_operand)?;
            for _ in 0..MAX_DEPTH {
                match root.child_by_field_id(k.f_operand) {
                    Some(o) if root.kind_id() == k.selector_expression => root = o,
                    _ => break,
                }
            }
            let package = root.kind_id() == k.identifier
                && self.types.decl_of(root).is_none()
                && self.types.imports().path(self.t(root)).is_some();
            return (!package).then(|| self.t(e).to_string());
        }
        Some(self.t(e).to_string())
    }

    fn call_data<'n>(&self, call: Node<'n>, depth: usize) -> Option<String> {
        let c = self.types.callee(call);
        // An unresolved callee (a package outside the index, `pq.QuoteIdentifier`) by its text.
        let written = call
            .child_by_field_id(k().f_function)
            .map(|f| self.t(f).rsplit('.').next().unwrap_or(""))
            .unwrap_or("");
        let name = c.as_ref().map_or(written, |c| c.name.as_str());
        let pkg = c.as_ref().map(|c| c.pkg.as_str()).unwrap_or("");
        if pkg == "strconv" || name.contains("Quote") || name.contains("Escape") || name == "Repeat"
        {
            return None;
        }
        if c.as_ref()
            .is_some_and(|c| c.kind == CalleeKind::Builtin || c.kind == CalleeKind::Conversion)
            && name != "string"
        {
            return None;
        }
        if self.is_sprintf(call) {
            return self.sprintf_data(call, depth).or_else(|| {
                let args = crate::analysis::taint::call_args(call);
                let f = args.first()?;
                let verbs = crate::rules::errors::error_wrap_verb::verbs(self.t(*f));
                verbs
                    .into_iter()
                    .filter(|(v, _)| matches!(v, 's' | 'v' | 'q'))
                    .find_map(|(_, i)| args.get(i + 1).and_then(|a| self.data(*a, depth + 1)))
            });
        }
        if name == "Join" && pkg == "strings" {
            let args = crate::analysis::taint::call_args(call);
            let first = args.first()?;
            let t = self.t(*first).to_ascii_lowercase();
            if [
                "placeholder",
                "holder",
                "marks",
                "binds",
                "params",
                "qs",
                "args",
            ]
            .iter()
            .any(|w| t.contains(w))
            {
                return None;
            }
            return self
                .data(*first, depth + 1)
                .or_else(|| Some(self.t(call).to_string()));
        }
        Some(self.t(call).to_string())
    }

    fn ident_data<'n>(&self, e: Node<'n>, depth: usize) -> Option<String> {
        let decl = self.types.decl_of(e)?;
        let name = self.t(e);
        if name.to_ascii_lowercase().contains("placeholder") {
            return None;
        }
        let at = self.types.decl_position(decl);
        let root = self.cx.root;
        let decl_node = root.descendant_for_byte_range(at, at)?;
        if let Some(p) = param_of(decl_node, &self.cx.file.text) {
            return Some(format!("{name} (parameter of {p})"));
        }
        let stmt = statement_of(decl_node)?;
        let k = k();
        let value = stmt
            .child_by_field_id(k.f_right)
            .or_else(|| stmt.child_by_field_id(k.f_value));
        let first = match value {
            Some(v) if stmt.kind_id() != k.range_clause => {
                let v = if v.kind_id() == k.expression_list {
                    v.named_child(0)?
                } else {
                    v
                };
                self.data(v, depth + 1)
            }
            // `var col string`: the zero value, then whatever the assignments give it.
            None if stmt.kind_id() == k.var_spec => None,
            _ => return Some(name.to_string()),
        };
        if first.is_some() {
            return Some(name.to_string());
        }
        // A `switch` or `if` that assigns constants (an allow-list) leaves it constant.
        let Some(later) = self.assigned_values(e, stmt) else {
            return Some(name.to_string());
        };
        later
            .into_iter()
            .any(|v| self.data(v, depth + 1).is_some())
            .then(|| name.to_string())
    }

    /// The identifier names a package-level variable (not a local or a parameter).
    fn package_level(&self, ident: Node) -> bool {
        // Local declarations are only recorded inside functions and function literals.
        self.types.decl_of(ident).is_none()
    }

    /// The values assigned to the variable between its declaration and this use (None: not
    /// known, such as `x += ...` or a multi-value assignment).
    fn assigned_values<'n>(&self, use_: Node<'n>, stmt: Node) -> Option<Vec<Node<'n>>> {
        let k = k();
        let func = enclosing_function(use_)?;
        let name = self.t(use_);
        let mut out = Vec::new();
        for n in preorder(func) {
            if n.kind_id() != k.assignment_statement
                || n.start_byte() <= stmt.end_byte()
                || n.start_byte() >= use_.start_byte()
                || n.child_by_field_id(k.f_left)
                    .is_none_or(|l| self.t(l) != name)
            {
                continue;
            }
            let op = n.child_by_field_id(k.f_operator).map(|o| self.t(o));
            if op.is_some_and(|o| o != "=") {
                return None;
            }
            let right = n.child_by_field_id(k.f_right)?;
            if right.kind_id() == k.expression_list {
                if right.named_child_count() != 1 {
                    return None;
                }
                out.push(right.named_child(0)?);
            } else {
                out.push(right);
            }
        }
        Some(out)
    }
}

fn param_of(n: Node, src: &str) -> Option<String> {
    let k = k();
    let p = n.parent()?;
    if p.kind_id() != k.parameter_declaration && p.kind_id() != k.variadic_parameter_declaration {
        return None;
    }
    let f = p.parent()?.parent()?;
    Some(match f.child_by_field_id(k.f_name) {
        Some(name) => src.get(name.byte_range()).unwrap_or("").to_string(),
        None => "a function literal".to_string(),
    })
}

fn statement_of(n: Node) -> Option<Node> {
    let k = k();
    let mut cur = n;
    for _ in 0..4 {
        let kind = cur.kind_id();
        if kind == k.short_var_declaration
            || kind == k.var_spec
            || kind == k.range_clause
            || kind == k.assignment_statement
        {
            return Some(cur);
        }
        cur = cur.parent()?;
    }
    None
}

/// A literal that reads like a SQL statement or clause.
pub fn looks_like_sql(lit: &str) -> bool {
    let up = lit.to_ascii_uppercase();
    [
        "SELECT ",
        "INSERT ",
        "UPDATE ",
        "DELETE ",
        " WHERE ",
        " FROM ",
        "ORDER BY",
        " VALUES",
        " SET ",
        "DROP ",
        "CREATE ",
        " LIMIT ",
        " AND ",
        " OR ",
        "ALTER ",
        "TRUNCATE ",
    ]
    .iter()
    .any(|w| {
        up.contains(w)
            || up
                .trim_start_matches(['"', '`'])
                .starts_with(w.trim_start())
    })
}
