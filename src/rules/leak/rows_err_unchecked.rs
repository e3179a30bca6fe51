//! `rows-err-unchecked`: a `for rows.Next()` loop over `*sql.Rows` (sqlx, pgx) after which the
//! function never calls `rows.Err()`.
//!
//! `Next` returns false both when the rows are exhausted and when reading them failed (a lost
//! connection, a cancelled context, a row that does not decode). Only `rows.Err()` tells the two
//! apart; without it a failure halfway through looks like a short, successful result. Rows
//! returned or handed to another function are that function's to check.

use super::resources::{Env, FileFacts, Kind};
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::preorder;
use crate::tree::Node;

pub struct RowsErrUnchecked;

impl Rule for RowsErrUnchecked {
    fn check_file(&self, cx: &FileContext, _settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        if !cx.file.text.contains(".Next()") {
            return;
        }
        // The rows this rule follows come from the database packages: the project's own
        // acquiring calls (`unclosed-resource`'s `acquire`) do not make rows.
        let facts = FileFacts::new(
            cx.root,
            &cx.file.text,
            super::unclosed_resource::custom_from(&[]),
        );
        let k = facts.k;
        for n in preorder(cx.root) {
            if n.kind_id() != k.for_statement {
                continue;
            }
            let Some(rows) = next_loop(n, &facts) else {
                continue;
            };
            let Some(func) = crate::analysis::enclosing_function(n) else {
                continue;
            };
            if is_rows(rows, func, &facts) && !checked(rows, n, func, &facts) {
                out.push(Diagnostic::at(
                    header(n),
                    format!(
                        "{rows}.Next loop is not followed by a check of {rows}.Err(): an error that stops the iteration looks like the end of the results"
                    ),
                ));
            }
        }
    }
}

/// The `for` keyword and its condition, so the finding does not span the whole loop.
fn header(for_stmt: Node) -> Node {
    let k = crate::analysis::kinds();
    let mut c = for_stmt.walk();
    let cond = for_stmt
        .named_children(&mut c)
        .find(|ch| ch.kind_id() == k.call_expression);
    cond.unwrap_or(for_stmt)
}

/// `rows` in `for rows.Next() {`.
fn next_loop<'t>(for_stmt: Node<'t>, facts: &FileFacts<'t>) -> Option<&'t str> {
    let k = facts.k;
    let mut c = for_stmt.walk();
    let call = for_stmt
        .named_children(&mut c)
        .find(|ch| ch.kind_id() == k.call_expression)?;
    let args = call.child_by_field_id(k.f_arguments)?;
    let f = call.child_by_field_id(k.f_function)?;
    if args.named_child_count() != 0 || f.kind_id() != k.selector_expression {
        return None;
    }
    let x = f.child_by_field_id(k.f_operand)?;
    let method = facts.text(f.child_by_field_id(k.f_field)?);
    (method == "Next" && x.kind_id() == k.identifier).then(|| facts.text(x))
}

/// Whether `name` holds database rows: declared as `*sql.Rows`/`pgx.Rows`, or assigned from a
/// query in this function.
fn is_rows(name: &str, func: Node, facts: &FileFacts) -> bool {
    let env = Env::of(func, facts);
    if let Some(Some(ty)) = env.vars.get(name) {
        return ty.name == "Rows";
    }
    let k = facts.k;
    preorder(func).any(|n| {
        n.kind_id() == k.call_expression
            && facts
                .acquisition(n, &env)
                .is_some_and(|a| a.kind == Kind::Rows)
            && bound_to(n, name, facts)
    })
}

fn bound_to(call: Node, name: &str, facts: &FileFacts) -> bool {
    let k = facts.k;
    let Some(holder) = call.parent().and_then(|l| l.parent()) else {
        return false;
    };
    let Some(left) = holder.child_by_field_id(k.f_left) else {
        return false;
    };
    left.named_child(0).is_some_and(|l| facts.text(l) == name)
}

/// `rows.Err()` anywhere in the function, or the rows handed on outside the loop (returned,
/// passed to a call), which makes the check someone else's. Passing them to a per-row helper
/// inside the loop (`scanSession(rows)`) hands nothing on.
fn checked(name: &str, for_stmt: Node, func: Node, facts: &FileFacts) -> bool {
    let k = facts.k;
    let Some(body) = func.child_by_field_id(k.f_body) else {
        return true;
    };
    let mut handed = false;
    for n in preorder(body) {
        if n.kind_id() != k.identifier || facts.text(n) != name {
            continue;
        }
        let Some(p) = n.parent() else { continue };
        if p.kind_id() == k.selector_expression {
            let field = p.child_by_field_id(k.f_field).map(|f| facts.text(f));
            if field == Some("Err") {
                return true;
            }
            continue;
        }
        if p.kind_id() == k.argument_list || p.kind_id() == k.expression_list {
            let stmt_is_decl = p.parent().is_some_and(|h| {
                h.child_by_field_id(k.f_left)
                    .is_some_and(|l| l.id() == p.id())
            });
            let in_loop =
                for_stmt.start_byte() <= n.start_byte() && n.end_byte() <= for_stmt.end_byte();
            handed |= !stmt_is_decl && !in_loop;
        }
    }
    handed
}
