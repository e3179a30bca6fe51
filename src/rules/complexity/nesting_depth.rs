//! `nesting-depth`: control flow nested so deep that the reader loses track of which condition
//! holds. Counted as the deepest stack of `if`, `for`, `switch` and `select` blocks in a function
//! (function literals continue their enclosing function's depth). A function over other
//! complexity limits too gets one finding for all of them (`finding::figures`).

use super::figure_diagnostic;
use crate::finding::figures::{Figure, Over};
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};

pub struct NestingDepth;

impl Rule for NestingDepth {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let max = settings.options.nesting_depth().max_depth;
        for m in cx.metrics() {
            let depth = i64::from(m.max_nesting);
            if depth > max {
                let over = Over {
                    figure: Figure::Nesting,
                    value: depth,
                    limit: max,
                };
                out.push(figure_diagnostic(cx, m, &[over]));
            }
        }
    }
}
