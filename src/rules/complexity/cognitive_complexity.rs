//! `cognitive-complexity`: a function that is hard to read, as gocognit scores it.
//!
//! Unlike cyclomatic complexity, nesting costs more: each `if`, `for`, `switch` or `select` adds
//! one plus its nesting depth, and mixed `&&`/`||` sequences, `else`, labeled jumps and
//! recursion add one each. The number matches gocognit v1.3.0 (golangci-lint v2.15.0's).
//! `//gocognit:ignore` in a function's doc comment skips it, as in gocognit.

use super::graded;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};

pub struct CognitiveComplexity;

impl Rule for CognitiveComplexity {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let threshold = settings.options.cognitive_complexity().threshold;
        let high = settings.options.cognitive_complexity().high_threshold;
        for m in cx.metrics().iter().filter(|m| !m.gocognit_ignored) {
            let Some(value) = m.cognitive.map(i64::from) else {
                continue;
            };
            if value > threshold {
                let mut d = cx.function_diagnostic(
                    m,
                    format!(
                        "cognitive complexity of {} is {value} (threshold {threshold}): flatten the nesting or extract helpers",
                        m.name
                    ),
                );
                d.severity = graded(settings.severity, value, high);
                out.push(
                    d.with_metric("cognitive", value)
                        .with_metric("threshold", threshold),
                );
            }
        }
    }
}
