//! Code actions: a finding's fix (safe ones preferred, unsafe ones labelled as such) and a
//! `//nolint:rule` comment that silences it, both computed on the text the diagnostics were
//! published for.

use super::convert::{Encoding, Lines};
use super::worker::{lock, Shared};
use crate::finding::{Applicability, Finding};
use crate::source::SourceFile;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The actions for the findings under `params.range` of a document, as last published; none
/// when the document changed since (the client asks again with the new diagnostics).
pub fn code_actions(shared: &Shared, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let wanted = params.context.only.as_ref().is_none_or(|only| {
        only.iter()
            .any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
    });
    let docs = lock(&shared.docs);
    let uri = &params.text_document.uri;
    let (Some(doc), Some(published)) = (docs.open.get(uri), docs.published.get(uri)) else {
        return Vec::new();
    };
    if !wanted || published.version != doc.version {
        return Vec::new();
    }
    let on = On {
        uri,
        lines: Lines::new(&published.text),
        enc: shared.encoding,
    };
    let file = SourceFile::parse(doc.path.clone(), String::new(), published.text.to_string());
    let mut actions = Vec::new();
    for (f, diagnostic) in published.findings.iter().zip(&published.diagnostics) {
        if !overlap(diagnostic.range, params.range) {
            continue;
        }
        if let Some(action) = on.fix(f, diagnostic) {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
        if let Some(action) = on.suppress(&file, f, diagnostic) {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    actions
}

/// Whether two ranges share a position (touching counts: a cursor at a diagnostic's end).
fn overlap(a: Range, b: Range) -> bool {
    let key = |p: lsp_types::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// The document the actions edit, with the text its diagnostics were computed on.
struct On<'a> {
    uri: &'a Uri,
    lines: Lines<'a>,
    enc: Encoding,
}

impl On<'_> {
    /// The finding's own fix, if it has one: preferred when safe, labelled when it changes
    /// behaviour.
    fn fix(&self, f: &Finding, diagnostic: &Diagnostic) -> Option<CodeAction> {
        let fix = f.fix.as_ref()?;
        let edits = fix
            .edits
            .iter()
            .map(|e| self.edit(e.start_byte, e.end_byte, e.replacement.clone()))
            .collect();
        let safe = fix.applicability == Applicability::Safe;
        let title = match safe {
            true => format!("Fix: {}", fix.description),
            false => format!("Fix (unsafe: may change behaviour): {}", fix.description),
        };
        Some(self.action(title, diagnostic, edits, safe))
    }

    /// `//nolint:rule` written where it silences the finding.
    fn suppress(
        &self,
        file: &SourceFile,
        f: &Finding,
        diagnostic: &Diagnostic,
    ) -> Option<CodeAction> {
        let line = f.location.start.line;
        let e = crate::suppress::suppression_edit(file, line, &f.rule)?;
        let title = format!("Suppress {} with //nolint:{}", f.rule, f.rule);
        let edit = self.edit(e.start, e.end, e.text);
        Some(self.action(title, diagnostic, vec![edit], false))
    }

    fn edit(&self, start: usize, end: usize, new_text: String) -> TextEdit {
        let range = Range::new(
            self.lines.at_byte(start, self.enc),
            self.lines.at_byte(end, self.enc),
        );
        TextEdit { range, new_text }
    }

    fn action(
        &self,
        title: String,
        diagnostic: &Diagnostic,
        edits: Vec<TextEdit>,
        preferred: bool,
    ) -> CodeAction {
        CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(self.uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        }
    }
}
