//! `cond-misuse`: `sync.Cond.Wait` not in a loop re-checking its condition, or a cond that is
//! waited on but never signalled.
//!
//! `Wait` returns after any `Signal` or `Broadcast`, and another goroutine may have changed the
//! state again before the waiter re-takes the lock: the condition must be re-checked in a `for`
//! loop (`for !ready { c.Wait() }`). A cond that nothing in the package signals or broadcasts
//! (and whose field is unexported, so no other package can) leaves its waiters asleep forever.
//! `c.Wait` passed as a function value (`background(c.Wait)`) is both at once: whoever calls it
//! waits once, with no condition and no loop, and a `Signal` sent before it gets to `Wait` is
//! lost, so it may sleep forever.

use super::diagnostic;
use crate::analysis::locks::OpKind;
use crate::config::RuleSettings;
use crate::fxhash::HashSet;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct CondMisuse;

impl Rule for CondMisuse {
    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let model = cx.locks();
        for (at, unit, cond) in &model.wait_values {
            let message = format!(
                "{unit} uses {cond}.Wait as a function value: whoever calls it waits once, with no condition re-checked in a loop, and a Signal or Broadcast sent before it reaches Wait is lost, so it can sleep forever; call Wait in a `for` loop on the condition, under the cond's lock"
            );
            out.push(diagnostic(*at, message, &[]));
        }
        let mut reported = HashSet::default();
        for op in model.ops.iter().filter(|o| o.kind == OpKind::CondWait) {
            let unit = &model.units[op.unit].name;
            if !op.guarded {
                let message = format!(
                    "{unit} calls {}.Wait() outside a loop: Wait can return when the condition no longer holds (another goroutine ran first, or a Broadcast woke every waiter); re-check it in a `for` loop around Wait",
                    op.text
                );
                out.push(diagnostic(op.at, message, &[]));
                continue;
            }
            let last = op.text.rsplit('.').next().unwrap_or(&op.text);
            let exported = last.chars().next().is_some_and(char::is_uppercase);
            let signalled = model.signalled.contains(&format!(".{last}"))
                || op
                    .target
                    .as_ref()
                    .is_some_and(|t| model.signalled.contains(t));
            if !signalled && !exported && reported.insert(op.text.clone()) {
                let message = format!(
                    "{unit} waits on {} but nothing in the package calls {}.Signal or {}.Broadcast: the waiter sleeps forever",
                    op.text, op.text, op.text
                );
                out.push(diagnostic(op.at, message, &[]));
            }
        }
    }
}
