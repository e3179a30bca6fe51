//! `cognitive-complexity`: a function that is hard to read, as gocognit scores it.
//!
//! Unlike cyclomatic complexity, nesting costs more: each `if`, `for`, `switch` or `select` adds
//! one plus its nesting depth, and mixed `&&`/`||` sequences, `else`, labeled jumps and
//! recursion add one each. The number matches gocognit v1.3.0 (golangci-lint v2.15.0's).
//! `//gocognit:ignore` in a function's doc comment skips it, as in gocognit. A function over
//! other complexity limits too gets one finding for all of them (`finding::figures`).

use super::graded;
use super::figure_diagnostic;
use crate::finding::figures::{Figure, Over};
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
                let over = Over {
                    figure: Figure::Cognitive,
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
