//! Complexity rules: cyclomatic (as gocyclo counts), cognitive (as gocognit counts), function
//! length, file length and nesting depth. All read the per-file metrics computed once; the
//! function rules' findings of one function are merged into one (`finding::figures`).

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_complexity.rs"));

pub mod metrics;
mod recursion;

use crate::finding::figures::{self, Over};
use crate::finding::Severity;
use crate::rules::{Diagnostic, FileContext};
use metrics::FunctionMetrics;

/// The severity of a figure over its threshold: the configured one, raised to `high` above
/// `high_threshold` (when that option is set above zero).
pub fn graded(configured: Severity, value: i64, high_threshold: i64) -> Option<Severity> {
    (high_threshold > 0 && value > high_threshold && configured < Severity::High)
        .then_some(Severity::High)
}

/// A rule's diagnostic for the figures of `m` over their limits (`overs`, all of that rule).
pub fn figure_diagnostic(cx: &FileContext, m: &FunctionMetrics, overs: &[Over]) -> Diagnostic {
    let mut d = cx.function_diagnostic(m, figures::message(&m.name, overs));
    for o in overs {
        d = d
            .with_metric(o.figure.key(), o.value)
            .with_metric(o.figure.limit_key(), o.limit);
    }
    if let Some(first) = overs.first() {
        d = d.with_metric("threshold", first.limit);
    }
    d
}
