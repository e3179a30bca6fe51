//! Fixes: `--fix` applies safe fixes in place, `--unsafe-fixes` the unsafe ones too, `--diff`
//! prints every fix as a unified diff and touches nothing (ruff's model).
//!
//! Edits are byte ranges of the file as audited. Fixes are applied in file order; a fix whose
//! edits overlap each other, an already accepted fix, or fall outside the text is skipped
//! whole, never half applied. Files are replaced atomically (written beside, then renamed) and
//! keep their permissions.

use crate::finding::{Applicability, Finding, Fix};
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

/// The outcome of applying fixes to one text.
#[derive(Debug, Default, PartialEq)]
pub struct Applied {
    pub text: String,
    pub applied: usize,
    /// Why each skipped fix was skipped.
    pub skipped: Vec<String>,
}

/// What `--fix` did to the files.
#[derive(Debug, Default)]
pub struct Report {
    pub files: usize,
    pub applied: usize,
    pub skipped: Vec<String>,
}

/// How many findings carry a fix: (safe, unsafe).
pub fn available(findings: &[Finding]) -> (usize, usize) {
    let fixes = findings.iter().filter_map(|f| f.fix.as_ref());
    let safe = fixes
        .clone()
        .filter(|f| f.applicability == Applicability::Safe)
        .count();
    (safe, fixes.count() - safe)
}

/// The fixes to apply, by file in path order: safe ones, and unsafe ones when allowed.
pub fn chosen(findings: &[Finding], unsafe_ok: bool) -> BTreeMap<&str, Vec<&Fix>> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for f in findings {
        if let Some(fix) = &f.fix {
            if fix.applicability == Applicability::Safe || unsafe_ok {
                by_file
                    .entry(f.location.file.as_str())
                    .or_default()
                    .push(fix);
            }
        }
    }
    by_file
}

/// Applies the fixes that fit to `text`.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty())
        .collect();
    order.sort_by_key(|f| f.edits.iter().map(|e| e.start_byte).min());
    let mut accepted: Vec<(usize, usize, &str)> = Vec::new();
    let mut out = Applied::default();
    for fix in order {
        match check(text, fix, &accepted) {
            Ok(edits) => {
                accepted.extend(edits);
                out.applied += 1;
            }
            Err(why) => out.skipped.push(format!("{}: {why}", fix.description)),
        }
    }
    accepted.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    let mut new = text.to_string();
    for (s, e, replacement) in accepted {
        new.replace_range(s..e, replacement);
    }
    out.text = new;
    out
}

/// The fix's edits if they are valid and overlap neither each other nor `accepted`.
fn check<'a>(
    text: &str,
    fix: &'a Fix,
    accepted: &[(usize, usize, &str)],
) -> Result<Vec<(usize, usize, &'a str)>, String> {
    let mut edits: Vec<(usize, usize, &str)> = Vec::new();
    for e in &fix.edits {
        let (s, end) = (e.start_byte, e.end_byte);
        // The same edit in two fixes (an import both add) is made once.
        let same =
            |&&(a, b, r): &&(usize, usize, &str)| (a, b, r) == (s, end, e.replacement.as_str());
        if accepted.iter().chain(&edits).any(|x| same(&x)) {
            continue;
        }
        if s > end || end > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(end) {
            return Err(format!(
                "edit {s}..{end} is outside the file or splits a character"
            ));
        }
        if edits
            .iter()
            .chain(accepted)
            .any(|&(a, b, _)| overlaps((a, b), (s, end)))
        {
            return Err(format!("edit {s}..{end} overlaps another edit"));
        }
        edits.push((s, end, e.replacement.as_str()));
    }
    Ok(edits)
}

/// Two edits conflict when their ranges share a byte or both insert at the same place.
fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    (a.0 < b.1 && b.0 < a.1) || a.0 == b.0
}

/// Applies the chosen fixes to the files under `root`, replacing each file atomically. A file
/// that cannot be read or written is skipped (and said so in `skipped`); the others are fixed.
pub fn fix_files(root: &Path, findings: &[Finding], unsafe_ok: bool) -> Report {
    let mut report = Report::default();
    for (file, fixes) in chosen(findings, unsafe_ok) {
        let path = crate::discover::file_path(root, file);
        let text = match read_source(&path) {
            Ok(text) => text,
            Err(e) => {
                report.skipped.push(format!("{file}: {e:#}"));
                continue;
            }
        };
        let applied = apply(&text, &fixes);
        if applied.applied > 0 {
            if let Err(e) = crate::output::to_file(&path, &applied.text) {
                report.skipped.push(format!("{file}: {:#}", e));
                continue;
            }
            report.files += 1;
            report.applied += applied.applied;
        }
        report
            .skipped
            .extend(applied.skipped.into_iter().map(|s| format!("{file}: {s}")));
    }
    report
}

/// Every fix, safe and unsafe, as a unified diff per file, and why the files whose fixes
/// could not be shown were skipped; files are not touched.
pub fn diff_files(root: &Path, findings: &[Finding]) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut skipped = Vec::new();
    for (file, fixes) in chosen(findings, true) {
        match read_source(&crate::discover::file_path(root, file)) {
            Ok(text) => {
                let applied = apply(&text, &fixes);
                out.push_str(&unified_diff(file, &text, &applied.text));
            }
            Err(e) => skipped.push(format!("{file}: {e:#}")),
        }
    }
    (out, skipped)
}

/// Reads a source file to fix (through the source size limit), naming it in the error.
fn read_source(path: &Path) -> Result<String> {
    crate::source::read_text(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
}

/// A unified diff of one file (`--- a/FILE`, `+++ b/FILE`, 3 lines of context).
pub fn unified_diff(file: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{file}"), &format!("b/{file}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Position};

    fn fix(applicability: Applicability, edits: &[(usize, usize, &str)]) -> Fix {
        Fix {
            description: format!("fix at {}", edits[0].0),
            applicability,
            edits: edits
                .iter()
                .map(|&(s, e, r)| Edit {
                    start_byte: s,
                    end_byte: e,
                    start: Position {
                        line: 1,
                        column: s + 1,
                    },
                    end: Position {
                        line: 1,
                        column: e + 1,
                    },
                    replacement: r.into(),
                })
                .collect(),
        }
    }

    fn finding_with(fix: Fix) -> Finding {
        let mut f = crate::report::sample::findings().remove(0);
        f.fix = Some(fix);
        f
    }

    #[test]
    fn edits_apply_back_to_front() {
        let a = fix(Applicability::Safe, &[(0, 1, "A"), (4, 5, "E")]);
        let b = fix(Applicability::Safe, &[(2, 2, "++")]);
        let out = apply("abcde", &[&a, &b]);
        assert_eq!(out.text, "Ab++cdE");
        assert_eq!(out.applied, 2);
    }

    #[test]
    fn overlapping_fixes_are_skipped_whole() {
        let a = fix(Applicability::Safe, &[(1, 3, "X")]);
        let b = fix(Applicability::Safe, &[(2, 4, "Y"), (5, 5, "never")]);
        let c = fix(Applicability::Safe, &[(1, 1, "same place")]);
        let out = apply("abcde", &[&a, &b, &c]);
        assert_eq!(out.text, "aXde");
        assert_eq!(out.applied, 1);
        assert_eq!(out.skipped.len(), 2, "{:?}", out.skipped);
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_rejected() {
        let a = fix(Applicability::Safe, &[(1, 2, "x")]);
        let b = fix(Applicability::Safe, &[(9, 12, "x")]);
        let out = apply("é", &[&a, &b]);
        assert_eq!(out.text, "é");
        assert_eq!(out.skipped.len(), 2);
    }

    #[test]
    fn unsafe_fixes_need_permission() {
        let findings = [
            finding_with(fix(Applicability::Safe, &[(0, 0, "s")])),
            finding_with(fix(Applicability::Unsafe, &[(1, 1, "u")])),
        ];
        let safe: usize = chosen(&findings, false).values().map(Vec::len).sum();
        let all: usize = chosen(&findings, true).values().map(Vec::len).sum();
        assert_eq!((safe, all), (1, 2));
    }

    #[test]
    fn a_file_that_cannot_be_read_never_stops_the_others_fixes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.go"), "package a\n").unwrap();
        let mut gone = finding_with(fix(Applicability::Safe, &[(0, 0, "// x\n")]));
        gone.location.file = "gone.go".into();
        let mut kept = gone.clone();
        kept.location.file = "a.go".into();
        let findings = [gone, kept];
        let report = fix_files(dir.path(), &findings, false);
        assert_eq!((report.files, report.applied), (1, 1));
        assert!(
            report.skipped[0].starts_with("gone.go: cannot read"),
            "{:?}",
            report.skipped
        );
        let (diff, skipped) = diff_files(dir.path(), &findings);
        assert!(diff.contains("+++ b/a.go"), "{diff}");
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn files_are_replaced_atomically_and_diffs_leave_them_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("internal/db/connect.go");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "package db\n\nfunc F() {\n}\n").unwrap();
        let findings = [finding_with(fix(
            Applicability::Unsafe,
            &[(23, 23, "\tdb.Close()\n")],
        ))];
        let (diff, _) = diff_files(dir.path(), &findings);
        assert!(
            diff.contains("--- a/internal/db/connect.go\n+++ b/internal/db/connect.go\n"),
            "{diff}"
        );
        assert!(diff.contains("+\tdb.Close()\n"), "{diff}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "package db\n\nfunc F() {\n}\n"
        );
        assert_eq!(fix_files(dir.path(), &findings, false).applied, 0);
        let report = fix_files(dir.path(), &findings, true);
        assert_eq!((report.files, report.applied), (1, 1));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "package db\n\nfunc F() {\n\tdb.Close()\n}\n"
        );
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
