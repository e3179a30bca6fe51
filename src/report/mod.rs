//! One emitter per output format. Reporters read only findings, the run summary and the
//! catalogue; they never reopen files.

pub mod json;
pub mod text;

use crate::audit::Summary;
use crate::finding::Finding;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with the source line and a marker, and a summary (the default).
    Text,
    /// One line a finding: `path:line:col: severity rule: message`.
    Concise,
    /// The findings and the run summary, versioned (`"version": 1`).
    Json,
}

/// What a reporter may need besides the findings.
pub struct Context<'a> {
    pub findings: &'a [Finding],
    pub summary: &'a Summary,
    pub color: bool,
}

/// Renders a report into a string (files are written whole, then renamed).
pub fn render(format: Format, cx: &Context) -> String {
    match format {
        Format::Text => text::full(cx),
        Format::Concise => text::concise(cx),
        Format::Json => json::render(cx),
    }
}
