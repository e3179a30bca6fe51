//! `cyclomatic-complexity`: a function with more independent paths than a reader can hold.
//!
//! The number is gocyclo's, exactly (checked against gocyclo over the whole standard library by
//! `scripts/complexity-parity.sh`): 1, plus one for each `if`, `for`, non-default `case` and
//! comm clause, `&&` and `||`. Every extra path is a path to test; past 15 few functions are.
//! `//gocyclo:ignore` in a function's doc comment skips it, as in gocyclo. A function over other
//! complexity limits too gets one finding for all of them (`finding::figures`).

use super::graded;
use super::figure_diagnostic;
use crate::finding::figures::{Figure, Over};
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
                let over = Over {
                    figure: Figure::Cyclomatic,
                    value,
                    limit: threshold,
                };
                let mut d = figure_diagnostic(cx, m, &[over]);
                d.severity = graded(settings.severity, value, high);
                out.push(d);
            }
        }
    }
}
