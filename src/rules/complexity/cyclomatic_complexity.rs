//! `cyclomatic-complexity`: a function with more independent paths than a reader can hold.
//!
//! The number is gocyclo's, exactly (checked against gocyclo over the whole standard library by
//! `scripts/complexity-parity.sh`): 1, plus one for each `if`, `for`, non-default `case` and
//! comm clause, `&&` and `||`. Every extra path is a path to test; past 15 few functions are.
//! `//gocyclo:ignore` in a function's doc comment skips it, as in gocyclo.

use super::graded;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};

pub struct CyclomaticComplexity;

impl Rule for CyclomaticComplexity {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let threshold = settings.options.cyclomatic_complexity().threshold;
        let high = settings.options.cyclomatic_complexity().high_threshold;
        for m in cx.metrics().iter().filter(|m| !m.gocyclo_ignored) {
            let value = i64::from(m.cyclomatic);
            if value > threshold {
                let mut d = cx.function_diagnostic(
                    m,
                    format!(
                        "cyclomatic complexity of {} is {value} (threshold {threshold}): split it into smaller functions",
                        m.name
                    ),
                );
                d.severity = graded(settings.severity, value, high);
                out.push(
                    d.with_metric("cyclomatic", value)
                        .with_metric("threshold", threshold),
                );
            }
        }
    }
}
