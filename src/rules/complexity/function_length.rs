//! `function-length`: a function too long to review as one unit, by lines or by statements.
//!
//! Lines count from the `func` keyword to the closing brace; statements count every statement
//! of the body, nested ones included (as funlen does). Long functions hide error paths.

use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};

pub struct FunctionLength;

impl Rule for FunctionLength {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let max_lines = settings.options.function_length().max_lines;
        let max_statements = settings.options.function_length().max_statements;
        for m in cx.metrics() {
            let lines = (m.end_line + 1 - m.line) as i64;
            let statements = i64::from(m.statements);
            let message = if max_lines > 0 && lines > max_lines {
                format!(
                    "{} is {lines} lines long (limit {max_lines}) with {statements} statements",
                    m.name
                )
            } else if max_statements > 0 && statements > max_statements {
                format!(
                    "{} has {statements} statements (limit {max_statements})",
                    m.name
                )
            } else {
                continue;
            };
            out.push(cx.function_diagnostic(m, message));
        }
    }
}
