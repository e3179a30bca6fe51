//! `time-after-in-loop`: `time.After` in a `select` inside a loop, where the module's Go version
//! is below 1.23.
//!
//! Each iteration makes a new timer; when another case wins, that timer lives on until it fires.
//! Before Go 1.23 an unfired timer was not garbage-collected, so a loop that receives often with
//! a long timeout piles up timers (and their channels) by the thousand. Go 1.23 collects
//! unreferenced timers, so the rule reads the `go` line of `go.mod` and stays silent from 1.23 on
//! (and when there is no `go.mod`). A `<-time.After(d)` used as a plain sleep always fires and
//! is not reported, nor are test files (short loops in a process that soon exits).

use super::{call_parts, enclosing_function, enclosing_loop, k, line, text};
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::Node;

pub struct TimeAfterInLoop;

impl Rule for TimeAfterInLoop {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(
        &self,
        call: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(version @ (1, minor)) = cx.go_version() else {
            return;
        };
        if minor >= 23 || super::is_test_file(&cx.file.rel) {
            return;
        }
        let src = cx.file.text.as_str();
        if !matches!(call_parts(call, src), Some((Some("time"), "After"))) {
            return;
        }
        let Some(func) = enclosing_function(call) else {
            return;
        };
        let Some(lp) = enclosing_loop(call, func) else {
            return;
        };
        if !raced_in_select(call, lp, src) {
            return;
        }
        let d = Diagnostic::on_first_line(
            call, cx.file,
            format!(
                "time.After in the loop at line {} makes a new timer every iteration; when another case wins, the timer is not collected until it fires (go {}.{} in go.mod; fixed in 1.23): make one time.NewTimer before the loop and Reset it",
                line(lp),
                version.0,
                version.1
            ),
        );
        out.push(d);
    }
}

/// Whether the timer's channel is one case of a `select` with others: directly
/// (`case <-time.After(d):`) or through a variable the loop assigns and a case receives from.
fn raced_in_select(call: Node, lp: Node, src: &str) -> bool {
    let kk = k();
    let mut cur = call.parent();
    while let Some(p) = cur {
        if p.id() == lp.id() {
            break;
        }
        if p.kind_id() == kk.communication_case {
            return p.parent().is_some_and(|s| s.named_child_count() > 1);
        }
        if p.kind_id() == kk.short_var_declaration || p.kind_id() == kk.assignment_statement {
            let Some(name) = p
                .child_by_field_id(kk.f_left)
                .and_then(|l| l.named_child(0))
                .map(|l| text(l, src))
            else {
                return false;
            };
            return crate::tree::preorder(lp).any(|n| {
                n.kind_id() == kk.communication_case
                    && n.named_child_count() > 0
                    && n.parent().is_some_and(|s| s.named_child_count() > 1)
                    && n.child_by_field_id(kk.f_communication)
                        .is_some_and(|c| super::mentions(c, name, src))
            });
        }
        cur = p.parent();
    }
    false
}
