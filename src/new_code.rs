//! `--new-from-rev REV`: keep only findings in code changed since REV.
//!
//! Changed lines come from `git diff --unified=0 REV` (the working tree against REV) plus
//! untracked files. A finding is new when a changed line falls inside its own span, or inside
//! its enclosing function: the function declaration named by `Finding::function`, else the one
//! whose lines hold the finding. So a leak made by deleting a `Close()` three lines away still
//! counts as new, where golangci-lint's line-only matching misses it. A deletion marks the lines
//! on both sides of it as changed.

use crate::finding::Finding;
use crate::fxhash::{HashMap, HashSet};
use crate::source::SourceFile;
use crate::syntax::kinds::k;
use anyhow::Result;
use std::path::Path;

/// The lines changed since a revision, by file relative to the audited root.
#[derive(Debug, Default)]
pub struct Changes {
    /// Inclusive line ranges of the new text, per file.
    lines: HashMap<String, Vec<(usize, usize)>>,
    /// Files with no version at the revision: every line is new.
    whole: HashSet<String>,
}

/// A top-level function or method: its lines and its name in gocyclo's spelling.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSpan {
    pub name: String,
    pub first: usize,
    pub last: usize,
}

impl Changes {
    /// What changed in `root` since `rev`, from git.
    pub fn since(root: &Path, rev: &str) -> Result<Changes> {
        let mut c = Changes::parse_diff(&crate::git::diff_since(root, rev)?);
        c.whole.extend(crate::git::untracked(root)?);
        Ok(c)
    }

    /// Reads a zero-context unified diff: `+++ b/FILE` headers and `@@ -a,b +c,d @@` hunks.
    pub fn parse_diff(diff: &str) -> Changes {
        let mut c = Changes::default();
        let mut file: Option<String> = None;
        for line in diff.lines() {
            if let Some(path) = line.strip_prefix("+++ ") {
                file = path.strip_prefix("b/").map(str::to_string);
                if path == "/dev/null" {
                    file = None;
                }
            } else if let (Some(f), Some(range)) = (&file, hunk_range(line)) {
                c.lines.entry(f.clone()).or_default().push(range);
            }
        }
        c
    }

    /// Whether any line in `first..=last` of `file` changed.
    fn touches(&self, file: &str, first: usize, last: usize) -> bool {
        self.whole.contains(file)
            || self
                .lines
                .get(file)
                .is_some_and(|rs| rs.iter().any(|&(a, b)| a <= last && first <= b))
    }

    /// Keeps only new findings; returns how many were removed. Reads the changed files that
    /// hold findings to find their functions.
    pub fn filter(&self, root: &Path, findings: &mut Vec<Finding>) -> usize {
        let mut spans: HashMap<String, Vec<FunctionSpan>> = HashMap::default();
        let before = findings.len();
        findings.retain(|f| {
            let file = &f.location.file;
            if !self.lines.contains_key(file) && !self.whole.contains(file) {
                return false;
            }
            let functions = spans
                .entry(file.clone())
                .or_insert_with(|| function_spans(&root.join(file), file));
            self.is_new(f, functions)
        });
        before - findings.len()
    }

    /// Whether a finding's lines or its enclosing function changed.
    pub fn is_new(&self, f: &Finding, functions: &[FunctionSpan]) -> bool {
        let file = &f.location.file;
        let (first, last) = (
            f.location.start.line,
            f.location.end.line.max(f.location.start.line),
        );
        if self.touches(file, first, last) {
            return true;
        }
        let named = f
            .function
            .as_deref()
            .and_then(|n| functions.iter().find(|s| s.name == n));
        let enclosing = named.or_else(|| {
            functions
                .iter()
                .find(|s| s.first <= first && first <= s.last)
        });
        enclosing.is_some_and(|s| self.touches(file, s.first, s.last))
    }
}

/// The new-side lines of a hunk header; a pure deletion gives the lines around it.
fn hunk_range(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("@@ ")?;
    let plus = rest.split(' ').find(|p| p.starts_with('+'))?;
    let mut parts = plus[1..].splitn(2, ',');
    let start: usize = parts.next()?.parse().ok()?;
    let count: usize = parts.next().map_or(Some(1), |c| c.parse().ok())?;
    Some(if count == 0 {
        (start.max(1), start + 1)
    } else {
        (start, start + count - 1)
    })
}

/// The top-level functions and methods of a file, with gocyclo's names (`F`, `(*T).M`).
pub fn function_spans(path: &Path, rel: &str) -> Vec<FunctionSpan> {
    let file = SourceFile::load(path, rel.to_string());
    let Some(root) = file.root() else {
        return Vec::new();
    };
    let mut cursor = root.walk();
    root.named_children(&mut cursor)
        .filter(|n| n.is(k().function_declaration) || n.is(k().method_declaration))
        .filter_map(|n| {
            let name = file.node_text(n.child_by_field_name("name")?);
            let name = match n.child_by_field_name("receiver") {
                Some(recv) => format!("({}).{name}", receiver_type(&file, recv)),
                None => name.to_string(),
            };
            Some(FunctionSpan {
                name,
                first: n.start_position().row + 1,
                last: n.end_position().row + 1,
            })
        })
        .collect()
}

/// A receiver's type as gocyclo prints it: `*T` or `T`, type parameters dropped.
fn receiver_type(file: &SourceFile, recv: crate::tree::Node) -> String {
    let mut cursor = recv.walk();
    let ty = recv
        .named_children(&mut cursor)
        .find(|p| p.is(k().parameter_declaration))
        .and_then(|p| p.child_by_field_name("type"))
        .map(|t| file.node_text(t))
        .unwrap_or("");
    let ty: String = ty
        .split('[')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ty.trim_start_matches('(').trim_end_matches(')').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -3 +3 @@ func F() {\n-\tx := 1\n+\tx := 2\n@@ -10,2 +9,0 @@ func G() {\n-\tdefer f.Close()\n-\t// gone\ndiff --git a/old.go b/old.go\n--- a/old.go\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-package p\n";

    #[test]
    fn hunks_give_new_side_lines_and_deletions_touch_their_neighbours() {
        let c = Changes::parse_diff(DIFF);
        assert_eq!(c.lines["a.go"], vec![(3, 3), (9, 10)]);
        assert!(!c.lines.contains_key("old.go"));
        assert_eq!(hunk_range("@@ -1,0 +1,4 @@"), Some((1, 4)));
    }

    #[test]
    fn receivers_are_spelled_as_gocyclo_spells_them() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.go");
        std::fs::write(&p, "package p\n\nfunc F() {\n}\n\nfunc (l *List[T]) Push(v T) {\n}\n\nfunc (m model) View() string {\n\treturn \"\"\n}\n").unwrap();
        let names: Vec<String> = function_spans(&p, "a.go")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["F", "(*List).Push", "(model).View"]);
    }
}
