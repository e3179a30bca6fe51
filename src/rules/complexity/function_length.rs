//! `function-length`: a function too long to review as one unit, by lines or by statements.
//!
//! Lines count from the `func` keyword to the closing brace; statements count every statement
//! of the body, nested ones included (as funlen does). Long functions hide error paths. A
//! function over other complexity limits too gets one finding for all of them (`finding::figures`).

use super::figure_diagnostic;
use crate::finding::figures::{Figure, Over};
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};

pub struct FunctionLength;

impl Rule for FunctionLength {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let max_lines = settings.options.function_length().max_lines;
        let max_statements = settings.options.function_length().max_statements;
        for m in cx.metrics() {
            let lines = Over {
                figure: Figure::Lines,
                value: (m.end_line + 1 - m.line) as i64,
                limit: max_lines,
            };
            let statements = Over {
                figure: Figure::Statements,
                value: i64::from(m.statements),
                limit: max_statements,
            };
            // A limit of 0 turns its check off.
            let overs: Vec<Over> = [lines, statements]
                .into_iter()
                .filter(|o| o.limit > 0 && o.value > o.limit)
                .collect();
            if !overs.is_empty() {
                out.push(figure_diagnostic(cx, m, &overs));
            }
        }
    }
}
