//! `--new-from-rev REV` and `--new-from-merge-base REV`: keep only findings in code changed
//! since a revision.
//!
//! Changed lines come from `git diff --unified=0 BASE` (the working tree against BASE) plus
//! untracked files; BASE is REV itself, or with `--new-from-merge-base` the commit where HEAD
//! left REV, so that what main did after the branch point is not blamed on the branch.
//!
//! Hunks that only touch comments and blank lines never make a finding new. Under the default
//! scope, `line`, a finding is new when code changed on one of its lines or its related lines,
//! or when code was only deleted inside its enclosing function: deleting a `Close()` three lines
//! away makes the leak new, while editing a long function elsewhere does not bring back its old
//! findings. Under `function`, any code change inside the enclosing function makes all of the
//! function's findings new.

use crate::finding::Finding;
use crate::fxhash::{HashMap, HashSet};
use crate::source::SourceFile;
use crate::syntax::kinds::k;
use anyhow::Result;

pub use crate::config::NewCodeScope as Scope;
use std::path::Path;

/// The revision new code is measured from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// `--new-from-rev REV`: the diff against REV.
    Rev(String),
    /// `--new-from-merge-base REV`: the diff against the merge base of REV and HEAD.
    MergeBase(String),
}

impl Base {
    /// The commit to diff against.
    fn commit(&self, root: &Path) -> Result<String> {
        match self {
            Base::Rev(rev) => crate::git::verified_commit(root, rev, "--new-from-rev"),
            Base::MergeBase(rev) => crate::git::merge_base(root, rev),
        }
    }
}

/// What a hunk changed, which decides what it can make new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HunkKind {
    /// Only comments and blank lines, on both sides: never new code.
    Comment,
    /// Lines removed and nothing added (a deleted `Close()`).
    Deletion,
    /// Code added or replaced.
    Code,
}

/// One hunk's new-side lines (a pure deletion: the lines around it) and what it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hunk {
    first: usize,
    last: usize,
    kind: HunkKind,
}

/// The lines changed since a revision, by file relative to the audited root.
#[derive(Debug, Default)]
pub struct Changes {
    hunks: HashMap<String, Vec<Hunk>>,
    /// Files with no version at the revision: every line is new.
    whole: HashSet<String>,
    scope: Scope,
}

/// A top-level function or method: its lines and its name in gocyclo's spelling.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSpan {
    pub name: String,
    pub first: usize,
    pub last: usize,
}

impl Changes {
    /// What changed in `root` since `base`, from git, judged under `scope`.
    pub fn since(root: &Path, base: &Base, scope: Scope) -> Result<Changes> {
        let commit = base.commit(root)?;
        let mut c = Changes::parse_diff(&crate::git::diff_since(root, &commit)?);
        c.whole.extend(crate::git::untracked(root)?);
        c.scope = scope;
        Ok(c)
    }

    /// Reads a zero-context unified diff: `+++ b/FILE` headers, `@@ -a,b +c,d @@` hunks and the
    /// hunks' removed and added lines (counted from the header, so content is never a header).
    pub fn parse_diff(diff: &str) -> Changes {
        let mut c = Changes::default();
        let mut file: Option<String> = None;
        let mut open: Option<OpenHunk> = None;
        for line in diff.lines() {
            if let Some(h) = open.as_mut() {
                if !line.starts_with('\\') {
                    h.take(line);
                }
                if h.remaining == 0 {
                    c.push(file.as_deref(), open.take().map(OpenHunk::close));
                }
                continue;
            }
            if let Some(path) = line.strip_prefix("+++ ") {
                file = path.strip_prefix("b/").map(str::to_string);
            } else if let Some(h) = OpenHunk::from_header(line) {
                if h.remaining == 0 {
                    c.push(file.as_deref(), Some(h.close()));
                } else {
                    open = Some(h);
                }
            }
        }
        c.push(file.as_deref(), open.map(OpenHunk::close));
        c
    }

    fn push(&mut self, file: Option<&str>, hunk: Option<Hunk>) {
        if let (Some(f), Some(h)) = (file, hunk) {
            self.hunks.entry(f.to_string()).or_default().push(h);
        }
    }

    /// Whether a hunk of an accepted kind overlaps `first..=last` of `file`.
    fn touches(&self, file: &str, first: usize, last: usize, kinds: &[HunkKind]) -> bool {
        self.whole.contains(file)
            || self.hunks.get(file).is_some_and(|hs| {
                hs.iter()
                    .any(|h| kinds.contains(&h.kind) && h.first <= last && first <= h.last)
            })
    }

    /// Keeps only new findings; returns how many were removed. Reads the changed files that
    /// hold findings to find their functions.
    pub fn filter(&self, root: &Path, findings: &mut Vec<Finding>) -> usize {
        let mut spans: HashMap<String, Vec<FunctionSpan>> = HashMap::default();
        let before = findings.len();
        findings.retain(|f| {
            let file = &f.location.file;
            if !self.hunks.contains_key(file) && !self.whole.contains(file) {
                return false;
            }
            let functions = spans
                .entry(file.clone())
                .or_insert_with(|| function_spans(&root.join(file), file));
            self.is_new(f, functions)
        });
        before - findings.len()
    }

    /// Whether code changed on a finding's lines or related lines, or in its enclosing
    /// function as far as the scope looks.
    pub fn is_new(&self, f: &Finding, functions: &[FunctionSpan]) -> bool {
        const CODE: &[HunkKind] = &[HunkKind::Code, HunkKind::Deletion];
        let file = &f.location.file;
        let own = std::iter::once(&f.location)
            .chain(f.related.iter().map(|r| &r.location))
            .filter(|l| &l.file == file);
        if own
            .into_iter()
            .any(|l| self.touches(file, l.start.line, l.end.line.max(l.start.line), CODE))
        {
            return true;
        }
        let in_function: &[HunkKind] = match self.scope {
            Scope::Line => &[HunkKind::Deletion],
            Scope::Function => CODE,
        };
        enclosing(f, functions).is_some_and(|s| self.touches(file, s.first, s.last, in_function))
    }
}

/// The function declaration named by the finding, else the one whose lines hold it.
fn enclosing<'a>(f: &Finding, functions: &'a [FunctionSpan]) -> Option<&'a FunctionSpan> {
    let line = f.location.start.line;
    let named = f
        .function
        .as_deref()
        .and_then(|n| functions.iter().find(|s| s.name == n));
    named.or_else(|| functions.iter().find(|s| s.first <= line && line <= s.last))
}

/// A hunk being read: its header's figures and whether its lines so far were all comments.
struct OpenHunk {
    new_start: usize,
    new_count: usize,
    remaining: usize,
    only_comments: bool,
}

impl OpenHunk {
    /// `@@ -a[,b] +c[,d] @@ ...`.
    fn from_header(line: &str) -> Option<OpenHunk> {
        let rest = line.strip_prefix("@@ ")?;
        let mut parts = rest.split(' ');
        let (_, old_count) = side(parts.next()?.strip_prefix('-')?)?;
        let (new_start, new_count) = side(parts.next()?.strip_prefix('+')?)?;
        Some(OpenHunk {
            new_start,
            new_count,
            remaining: old_count + new_count,
            only_comments: true,
        })
    }

    /// One removed or added line.
    fn take(&mut self, line: &str) {
        self.remaining = self.remaining.saturating_sub(1);
        let text = line.get(1..).unwrap_or("").trim();
        self.only_comments &= text.is_empty() || text.starts_with("//");
    }

    fn close(self) -> Hunk {
        let kind = match (self.only_comments, self.new_count) {
            (true, _) => HunkKind::Comment,
            (false, 0) => HunkKind::Deletion,
            (false, _) => HunkKind::Code,
        };
        let (first, last) = if self.new_count == 0 {
            (self.new_start.max(1), self.new_start + 1)
        } else {
            (self.new_start, self.new_start + self.new_count - 1)
        };
        Hunk { first, last, kind }
    }
}

/// `start[,count]` of one side of a hunk header; the count defaults to 1.
fn side(spec: &str) -> Option<(usize, usize)> {
    let mut parts = spec.splitn(2, ',');
    let start = parts.next()?.parse().ok()?;
    let count = parts.next().map_or(Some(1), |c| c.parse().ok())?;
    Some((start, count))
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

    const DIFF: &str = "diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -3 +3 @@ func F() {\n-\tx := 1\n+\tx := 2\n@@ -10,2 +9,0 @@ func G() {\n-\tdefer f.Close()\n-\t// gone\n@@ -20 +19,2 @@ func H() {\n-\t// old words\n+\t// new words\n+\n@@ -30,0 +31 @@\n+--- not a header\ndiff --git a/old.go b/old.go\n--- a/old.go\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-package p\n-\n-var x = 1\n";

    fn hunk(first: usize, last: usize, kind: HunkKind) -> Hunk {
        Hunk { first, last, kind }
    }

    #[test]
    fn hunks_give_new_side_lines_and_what_they_changed() {
        let c = Changes::parse_diff(DIFF);
        assert_eq!(
            c.hunks["a.go"],
            vec![
                hunk(3, 3, HunkKind::Code),
                hunk(9, 10, HunkKind::Deletion),
                hunk(19, 20, HunkKind::Comment),
                hunk(31, 31, HunkKind::Code),
            ]
        );
        assert!(!c.hunks.contains_key("old.go"));
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
