//! `loop-var-capture`: a goroutine or deferred closure started in a loop uses the loop's
//! variable, where the module's Go version is below 1.22.
//!
//! Before Go 1.22 a `for` loop had one variable for all its iterations: a `go func() { use(v) }()`
//! in the body reads `v` when the goroutine runs, by which time the loop has usually moved on,
//! so every goroutine sees the last element (or a torn value). Go 1.22 made the variable
//! per-iteration; the rule reads the `go` line of `go.mod` and stays silent from 1.22 on (and
//! when there is no `go.mod`). A copy (`v := v`) or passing `v` as an argument fixes it; both
//! are recognised. Unlike `go vet`'s `loopclosure`, the closure need not be the loop's last
//! statement.

use super::{k, line, literal_of, text};
use crate::analysis::is_function;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct LoopVarCapture;

impl Rule for LoopVarCapture {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["for_statement"]
    }

    fn check_node(
        &self,
        lp: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(version @ (1, minor)) = cx.go_version() else {
            return;
        };
        if minor >= 22 {
            return;
        }
        let src = cx.file.text.as_str();
        let vars = loop_vars(lp, src);
        let Some(body) = lp.child_by_field_id(k().f_body) else {
            return;
        };
        if vars.is_empty() {
            return;
        }
        for stmt in preorder(body)
            .filter(|n| n.kind_id() == k().go_statement || n.kind_id() == k().defer_statement)
        {
            if in_inner_function(stmt, body) {
                continue;
            }
            let Some(lit) = literal_of(stmt) else {
                continue;
            };
            for v in &vars {
                if copied_before(body, stmt, v, src) || is_param(lit, v, src) {
                    continue;
                }
                if let Some(use_) = free_use(lit, v, src) {
                    let what = if stmt.kind_id() == k().go_statement {
                        "goroutine"
                    } else {
                        "deferred closure"
                    };
                    out.push(Diagnostic::at(
                        use_,
                        format!(
                            "loop variable {v} captured by the {what} at line {}: before Go 1.22 (go.mod says {}.{}) every iteration shares one {v}, so it sees a later value; pass {v} as an argument or copy it ({v} := {v})",
                            line(stmt),
                            version.0,
                            version.1
                        ),
                    ));
                }
            }
        }
    }
}

/// Variables a `for` header declares with `:=`.
fn loop_vars<'t>(lp: Node<'t>, src: &'t str) -> Vec<&'t str> {
    let kk = k();
    let mut c = lp.walk();
    let Some(header) = lp
        .named_children(&mut c)
        .find(|ch| ch.kind_id() == kk.for_clause || ch.kind_id() == kk.range_clause)
    else {
        return Vec::new();
    };
    let left = if header.kind_id() == kk.range_clause {
        let declares = text(header, src).contains(":=");
        header.child_by_field_id(kk.f_left).filter(|_| declares)
    } else {
        header
            .child_by_field_id(kk.f_initializer)
            .filter(|i| i.kind_id() == kk.short_var_declaration)
            .and_then(|i| i.child_by_field_id(kk.f_left))
    };
    let Some(left) = left else {
        return Vec::new();
    };
    let mut c = left.walk();
    let names = left
        .named_children(&mut c)
        .filter(|n| n.kind_id() == kk.identifier)
        .map(|n| text(n, src))
        .filter(|n| *n != "_")
        .collect();
    names
}

fn in_inner_function(n: Node, body: Node) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if p.id() == body.id() {
            return false;
        }
        if is_function(k(), p.kind_id()) {
            return true;
        }
        cur = p.parent();
    }
    false
}

/// `v := v` (or any `v := ...`) in the body before the statement.
fn copied_before(body: Node, stmt: Node, v: &str, src: &str) -> bool {
    preorder(body)
        .take_while(|n| n.start_byte() < stmt.start_byte())
        .filter(|n| n.kind_id() == k().short_var_declaration)
        .any(|n| {
            n.child_by_field_id(k().f_left)
                .is_some_and(|l| super::mentions(l, v, src))
                && !in_inner_function(n, body)
        })
}

fn is_param(lit: Node, v: &str, src: &str) -> bool {
    lit.child_by_field_id(k().f_parameters)
        .is_some_and(|p| super::mentions(p, v, src))
}

/// The first use of `v` in the literal's body that is not a field name or a redeclaration.
fn free_use<'t>(lit: Node<'t>, v: &str, src: &str) -> Option<Node<'t>> {
    let body = lit.child_by_field_id(k().f_body)?;
    let redeclared = preorder(body).any(|n| {
        n.kind_id() == k().short_var_declaration
            && n.child_by_field_id(k().f_left)
                .is_some_and(|l| super::mentions(l, v, src))
    });
    if redeclared {
        return None;
    }
    preorder(body).find(|n| n.kind_id() == k().identifier && text(*n, src) == v)
}
