//! Complexity rules: cyclomatic (as gocyclo counts), cognitive (as gocognit counts), function
//! length, file length and nesting depth. All read the per-file metrics computed once.

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_complexity.rs"));

pub mod metrics;
mod recursion;

use crate::finding::Severity;

/// The severity of a figure over its threshold: the configured one, raised to `high` above
/// `high_threshold` (when that option is set above zero).
pub fn graded(configured: Severity, value: i64, high_threshold: i64) -> Option<Severity> {
    (high_threshold > 0 && value > high_threshold && configured < Severity::High)
        .then_some(Severity::High)
}
