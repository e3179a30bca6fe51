//! Planning: one review unit per package; a package over the token budget is split by file,
//! and a file over it by top-level declaration (then by lines), so every unit fits. Each unit
//! carries its code (secrets redacted, lines numbered) and the built-in findings on it.

use super::prompt;
use super::redact::redact;
use crate::discover::{Discovery, Package};
use crate::finding::Finding;
use crate::source::SourceFile;
use std::collections::BTreeMap;

/// A contiguous range of one file's lines, as sent (redacted).
#[derive(Debug, Clone)]
pub struct Excerpt {
    pub file: String,
    /// The 1-based number of `lines[0]`.
    pub first_line: usize,
    pub lines: Vec<String>,
}

impl Excerpt {
    pub fn last_line(&self) -> usize {
        self.first_line + self.lines.len().saturating_sub(1)
    }

    /// The text of a 1-based line, if the excerpt holds it.
    pub fn line(&self, line: usize) -> Option<&str> {
        line.checked_sub(self.first_line)
            .and_then(|i| self.lines.get(i))
            .map(String::as_str)
    }

    fn tokens(&self) -> usize {
        estimate(self.lines.iter().map(|l| l.len() + 8).sum())
    }
}

/// One request's worth of review.
#[derive(Debug, Clone)]
pub struct Unit {
    /// `internal/db`, or `internal/db (2/3)` for a part of a split package.
    pub name: String,
    /// The package's import path.
    pub package: String,
    pub excerpts: Vec<Excerpt>,
    /// Built-in findings on the unit's lines, for the model to confirm or dispute.
    pub static_findings: Vec<Finding>,
    /// The user message.
    pub prompt: String,
    /// Estimated prompt tokens (system prompt included).
    pub tokens: usize,
}

impl Unit {
    /// The excerpt of `file`, if the unit holds that file.
    pub fn excerpt(&self, file: &str) -> Option<&Excerpt> {
        self.excerpts.iter().find(|e| e.file == file)
    }
}

/// Every unit of the audit, and the secrets redacted from them.
pub struct Plan {
    pub units: Vec<Unit>,
    pub redactions: BTreeMap<String, usize>,
}

/// Tokens for a byte count (about four bytes a token).
pub fn estimate(bytes: usize) -> usize {
    bytes.div_ceil(4)
}

/// Plans the review of every discovered package, within `budget` tokens of code per unit.
pub fn plan(found: &Discovery, findings: &[Finding], budget: usize) -> Plan {
    let mut redactions = BTreeMap::new();
    let mut units = Vec::new();
    for pkg in &found.packages {
        let excerpts = package_excerpts(found, pkg, budget, &mut redactions);
        let parts = pack(excerpts, budget);
        let n = parts.len();
        for (i, excerpts) in parts.into_iter().enumerate() {
            let name = unit_name(pkg, i, n);
            units.push(unit(name, pkg.import_path.clone(), excerpts, findings));
        }
    }
    Plan { units, redactions }
}

fn unit_name(pkg: &Package, i: usize, n: usize) -> String {
    let base = if pkg.rel_dir.is_empty() {
        ".".to_string()
    } else {
        pkg.rel_dir.clone()
    };
    if n > 1 {
        format!("{base} ({}/{n})", i + 1)
    } else {
        base
    }
}

fn unit(name: String, package: String, excerpts: Vec<Excerpt>, findings: &[Finding]) -> Unit {
    let static_findings: Vec<Finding> = findings
        .iter()
        .filter(|f| {
            excerpts.iter().any(|e| {
                e.file == f.location.file
                    && (e.first_line..=e.last_line()).contains(&f.location.start.line)
            })
        })
        .cloned()
        .collect();
    let prompt = prompt::user(&package, &name, &excerpts, &static_findings);
    let tokens = estimate(prompt.len() + prompt::SYSTEM.len());
    Unit {
        name,
        package,
        excerpts,
        static_findings,
        prompt,
        tokens,
    }
}

/// The package's files (generated ones left out) as excerpts, each within the budget.
fn package_excerpts(
    found: &Discovery,
    pkg: &Package,
    budget: usize,
    redactions: &mut BTreeMap<String, usize>,
) -> Vec<Excerpt> {
    let mut out = Vec::new();
    for path in &pkg.files {
        let file = SourceFile::load(path, found.rel(path));
        if file.generated || file.text.is_empty() {
            continue;
        }
        let text = redact(&file.text, redactions);
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let whole = Excerpt {
            file: file.rel.clone(),
            first_line: 1,
            lines,
        };
        if whole.tokens() <= budget {
            out.push(whole);
        } else {
            out.extend(split_file(&file, whole, budget));
        }
    }
    out
}

/// Splits a file too large for one unit at top-level declarations, then by lines.
fn split_file(file: &SourceFile, whole: Excerpt, budget: usize) -> Vec<Excerpt> {
    let cuts = declaration_starts(file);
    let mut pieces = Vec::new();
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        pieces.push(Excerpt {
            file: whole.file.clone(),
            first_line: from,
            lines: whole.lines[from - 1..to - 1].to_vec(),
        });
    }
    let pieces = pieces
        .into_iter()
        .flat_map(|p| split_lines(p, budget))
        .collect();
    merge_adjacent(pieces, budget)
}

/// The first line of every top-level declaration (with its doc comment), plus 1 and the end.
fn declaration_starts(file: &SourceFile) -> Vec<usize> {
    let n = file.text.lines().count();
    let mut cuts = vec![1];
    if let Some(root) = file.root() {
        let mut cursor = root.walk();
        let mut prev_comment: Option<usize> = None;
        for child in root.children(&mut cursor) {
            let line = child.start_position().row + 1;
            if child.is_comment() {
                prev_comment.get_or_insert(line);
                continue;
            }
            cuts.push(prev_comment.take().unwrap_or(line));
        }
    }
    cuts.push(n + 1);
    cuts.retain(|&l| l >= 1 && l <= n + 1);
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Splits an excerpt over the budget into runs of lines within it.
fn split_lines(e: Excerpt, budget: usize) -> Vec<Excerpt> {
    if e.tokens() <= budget {
        return vec![e];
    }
    let mut out = Vec::new();
    let mut cur = Excerpt {
        file: e.file.clone(),
        first_line: e.first_line,
        lines: Vec::new(),
    };
    let mut bytes = 0;
    for (i, line) in e.lines.into_iter().enumerate() {
        let size = line.len() + 8;
        if !cur.lines.is_empty() && estimate(bytes + size) > budget {
            let next = cur.first_line + cur.lines.len();
            out.push(std::mem::replace(
                &mut cur,
                Excerpt {
                    file: e.file.clone(),
                    first_line: next,
                    lines: Vec::new(),
                },
            ));
            bytes = 0;
        }
        debug_assert_eq!(cur.first_line + cur.lines.len(), e.first_line + i);
        bytes += size;
        cur.lines.push(line);
    }
    out.push(cur);
    out
}

/// Joins consecutive pieces of one file while they fit.
fn merge_adjacent(pieces: Vec<Excerpt>, budget: usize) -> Vec<Excerpt> {
    let mut out: Vec<Excerpt> = Vec::new();
    for p in pieces {
        if let Some(last) = out.last_mut() {
            if last.file == p.file
                && last.last_line() + 1 == p.first_line
                && last.tokens() + p.tokens() <= budget
            {
                last.lines.extend(p.lines);
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// Packs excerpts, in order, into as few units as fit the budget.
fn pack(excerpts: Vec<Excerpt>, budget: usize) -> Vec<Vec<Excerpt>> {
    let mut units: Vec<Vec<Excerpt>> = Vec::new();
    let mut used = 0;
    for e in excerpts {
        let t = e.tokens();
        let fits = units
            .last()
            .is_some_and(|u| used + t <= budget && u.iter().all(|x| x.file != e.file));
        if !fits {
            units.push(Vec::new());
            used = 0;
        }
        used += t;
        units.last_mut().expect("a unit was just pushed").push(e);
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go_file(functions: usize) -> String {
        let mut s = String::from("package p\n\nimport \"fmt\"\n");
        for i in 0..functions {
            s.push_str(&format!(
                "\n// F{i} prints.\nfunc F{i}() {{\n\tfmt.Println({i})\n\tfmt.Println({i})\n}}\n"
            ));
        }
        s
    }

    #[test]
    fn a_file_over_budget_is_split_at_declarations_within_the_budget() {
        let text = go_file(40);
        let file = SourceFile::parse("p.go".into(), "p.go".into(), text.clone());
        let whole = Excerpt {
            file: "p.go".into(),
            first_line: 1,
            lines: text.lines().map(str::to_string).collect(),
        };
        let budget = 150;
        let parts = split_file(&file, whole, budget);
        assert!(parts.len() > 1);
        let mut next = 1;
        for p in &parts {
            assert!(p.tokens() <= budget, "{} tokens", p.tokens());
            assert_eq!(p.first_line, next, "parts are contiguous");
            next = p.last_line() + 1;
            // every part but the first starts at a doc comment of a function
            if p.first_line > 1 {
                assert!(p.lines[0].starts_with("// F"), "{:?}", p.lines[0]);
            }
        }
        assert_eq!(next, text.lines().count() + 1, "nothing is lost");
    }

    #[test]
    fn one_huge_function_is_split_by_lines() {
        let body: String = (0..400).map(|i| format!("\tx{i} := {i}\n")).collect();
        let e = Excerpt {
            file: "a.go".into(),
            first_line: 10,
            lines: format!("func F() {{\n{body}}}")
                .lines()
                .map(str::to_string)
                .collect(),
        };
        let total = e.lines.len();
        let parts = split_lines(e, 200);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.tokens() <= 200));
        assert_eq!(parts.iter().map(|p| p.lines.len()).sum::<usize>(), total);
    }

    #[test]
    fn small_files_share_a_unit_until_the_budget() {
        let ex = |f: &str| Excerpt {
            file: f.into(),
            first_line: 1,
            lines: vec!["x".repeat(392); 1],
        };
        let units = pack(vec![ex("a"), ex("b"), ex("c")], 250);
        assert_eq!(units.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 1]);
    }
}
