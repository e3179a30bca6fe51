//! The module order of `docs/architecture.md`: every `crate::` path in `src/` outside
//! `#[cfg(test)]` names a top-level module listed above the one it is written in, so no two
//! top-level modules import each other. No exceptions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The modules of the `module-order` list, lowest first.
fn order() -> Vec<String> {
    let doc = std::fs::read_to_string(repo().join("docs/architecture.md")).unwrap();
    let start = doc.find("<!-- module-order").expect("a module-order list");
    let end = doc.find("<!-- /module-order -->").expect("the list's end");
    doc[start..end]
        .lines()
        .filter_map(|l| l.split_once(". `"))
        .map(|(_, rest)| rest.split('`').next().unwrap().to_string())
        .collect()
}

/// The top-level module a source file belongs to (`src/analysis/taint.rs` → `analysis`).
fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(repo().join("src")).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The text without `//` comments and without the items under `#[cfg(test)]`.
fn production_code(text: &str) -> String {
    let without_comments: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = without_comments.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        rest = skip_item(&rest[at..]);
    }
    out.push_str(rest);
    out
}

/// The text after the item that starts `text` (ends at `;` or at its closing brace).
fn skip_item(text: &str) -> &str {
    let brace = text.find('{');
    let semi = text.find(';');
    if let (Some(s), Some(b)) = (semi, brace) {
        if s < b {
            return &text[s + 1..];
        }
    }
    let Some(open) = brace else { return "" };
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + i + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// The top-level modules a text names through `crate::`, including `use crate::{a, b::c}`.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name = part.trim().split("::").next().unwrap_or("");
                if !name.is_empty() {
                    out.insert(name.to_string());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // `crate::name!` is a macro exported at the crate root, not a module.
            if !rest[name.len()..].starts_with('!') {
                out.insert(name);
            }
        }
    }
    out
}

fn sources() -> Vec<PathBuf> {
    walkdir::WalkDir::new(repo().join("src"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

#[test]
fn every_crate_path_points_down_the_module_order() {
    let order = order();
    let place = |m: &str| order.iter().position(|o| o == m);
    let mut problems = Vec::new();
    for path in sources() {
        let module = top_module(&path);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = place(&module) else {
            problems.push(format!(
                "{module} is not in docs/architecture.md's module order"
            ));
            continue;
        };
        let text = production_code(&std::fs::read_to_string(&path).unwrap());
        for used in crate_refs(&text) {
            if used == module || used == "fxhash" {
                continue;
            }
            match place(&used) {
                Some(p) if p < own => {}
                Some(_) => problems.push(format!(
                    "{}: `{module}` uses `{used}`, which comes after it in the module order",
                    path.strip_prefix(repo()).unwrap().display()
                )),
                None => problems.push(format!("{used} is not in the module order")),
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_grouped_paths_and_skips_tests() {
    let text = "use crate::{a, b::c};\nfn f() { crate::d::g(); crate::m!() }\n#[cfg(test)]\nmod tests { use crate::e; }\n";
    let refs = crate_refs(&production_code(text));
    assert_eq!(
        refs,
        ["a", "b", "d"].map(String::from).into_iter().collect()
    );
}
