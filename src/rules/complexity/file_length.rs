//! `file-length`: a source file so long that its parts no longer belong together.
//!
//! Large files (the audit that goaudit automates found a 1,239-line coordinator) mix concerns and
//! make reviews slow; splitting by responsibility helps readers and merge conflicts alike.

use crate::syntax::kinds::k;
use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};

pub struct FileLength;

impl Rule for FileLength {
    fn check_file(&self, cx: &FileContext, settings: &RuleSettings, out: &mut Vec<Diagnostic>) {
        let max = settings.options.file_length().max_lines;
        let lines = cx.file.line_count() as i64;
        if lines > max {
            let package = cx
                .root
                .named_child(0)
                .filter(|n| n.is(k().package_clause))
                .unwrap_or(cx.root);
            let mut d = Diagnostic::at(
                package,
                format!("file has {lines} lines (limit {max}): split it by responsibility"),
            );
            d.end_byte = cx.file.line_end_byte(d.start_byte);
            out.push(d);
        }
    }
}
