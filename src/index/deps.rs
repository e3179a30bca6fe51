//! Dependencies' exported signatures, read from the module cache (`$GOMODCACHE`, else
//! `$GOPATH/pkg/mod`, else `~/go/pkg/mod`; no Go installation needed) and cached on disk per
//! module@version under the user's cache folder (`$XDG_CACHE_HOME/goaudit/deps-v1`, else
//! `~/.cache/goaudit/deps-v1`), one file per package, written atomically. A dependency is parsed
//! once, not on every run.
//!
//! Only packages the audited code imports are indexed, plus what those import (three levels), so
//! a module with a thousand packages costs what its callers use.

use super::extract;
use super::facts::PackageFacts;
use super::facts_text;
use super::{stdlib, Index};
use crate::discover::Discovery;
use crate::fxhash::HashSet;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const LEVELS: usize = 3;

/// What `load` did: how many dependency packages it indexed, and which required modules the
/// audited code imports that the module cache does not hold (`module@version`): calls into them
/// stay unresolved, so the rules that need their signatures say nothing there.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub added: usize,
    pub missing: BTreeSet<String>,
}

/// Indexes the audited modules' dependencies.
pub fn load(found: &Discovery, index: &Index) -> Loaded {
    let Some(modcache) = modcache() else {
        return Loaded::default();
    };
    let requires = requirements(found);
    if requires.is_empty() {
        return Loaded::default();
    }
    let local: HashSet<&str> = found
        .packages
        .iter()
        .map(|p| p.import_path.as_str())
        .collect();
    // Discovery read every file's imports already.
    let mut wanted: BTreeSet<String> = found
        .packages
        .iter()
        .flat_map(|p| p.all_imports().cloned())
        .collect();
    let mut seen = HashSet::default();
    let mut loaded = Loaded {
        missing: missing_modules(&wanted, &local, &requires, &modcache),
        ..Loaded::default()
    };
    for _ in 0..LEVELS {
        let todo: Vec<(String, PathBuf, String)> = wanted
            .iter()
            .filter(|p| {
                !local.contains(p.as_str())
                    && !stdlib().contains_key(*p)
                    && seen.insert((*p).clone())
            })
            .filter_map(|p| locate(p, &requires, &modcache).map(|(dir, key)| (p.clone(), dir, key)))
            .collect();
        let facts: Vec<PackageFacts> = todo
            .par_iter()
            .filter_map(|(path, dir, key)| package(path, dir, key, index))
            .collect();
        wanted = facts
            .iter()
            .flat_map(|f| f.imports.iter().cloned())
            .collect();
        loaded.added += facts.len();
        for f in facts {
            index.add_dep(Arc::new(f));
        }
    }
    loaded
}

/// The required modules (`module@version`) of the packages in `imports` whose folder is not in
/// the module cache.
fn missing_modules(
    imports: &BTreeSet<String>,
    local: &HashSet<&str>,
    requires: &BTreeMap<String, String>,
    modcache: &Path,
) -> BTreeSet<String> {
    imports
        .iter()
        .filter(|p| !local.contains(p.as_str()) && !stdlib().contains_key(p.as_str()))
        .filter_map(|p| requiring_module(p, requires))
        .filter(|(module, version)| !module_root(modcache, module, version).is_dir())
        .map(|(module, version)| format!("{module}@{version}"))
        .collect()
}

/// A module's folder in the module cache.
fn module_root(modcache: &Path, module: &str, version: &str) -> PathBuf {
    modcache.join(format!("{}@{version}", escape(module)))
}

/// The required module an import belongs to: the longest module path that prefixes it.
fn requiring_module<'r>(
    import: &str,
    requires: &'r BTreeMap<String, String>,
) -> Option<(&'r String, &'r String)> {
    requires
        .iter()
        .filter(|(m, _)| import == m.as_str() || import.starts_with(&format!("{m}/")))
        .max_by_key(|(m, _)| m.len())
}

/// `module path → version` from every audited module's `go.mod` (`require` lines and blocks).
pub fn requirements(found: &Discovery) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (dir, _) in &found.modules {
        let Some(text) = crate::bounded::read_module_file(&dir.join("go.mod")) else {
            continue;
        };
        for spec in crate::discover::directive_entries(&text, "require") {
            let mut parts = spec.split_whitespace();
            if let (Some(m), Some(v)) = (parts.next(), parts.next()) {
                out.insert(m.to_string(), v.to_string());
            }
        }
    }
    out
}

fn modcache() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GOMODCACHE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = std::env::var_os("GOPATH").filter(|p| !p.is_empty()) {
        let first = std::env::split_paths(&p).next()?;
        return Some(first.join("pkg/mod"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join("go/pkg/mod"))
}

fn cache_dir() -> Option<PathBuf> {
    Some(crate::dirs::goaudit_cache()?.join("deps-v1"))
}

/// The module cache's case encoding: `github.com/BurntSushi/toml` → `github.com/!burnt!sushi/toml`.
pub fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The folder of an imported package in the module cache, and its cache key
/// (`module@version/inner/path`), by the longest required module path that prefixes it.
fn locate(
    import: &str,
    requires: &BTreeMap<String, String>,
    modcache: &Path,
) -> Option<(PathBuf, String)> {
    let (module, version) = requiring_module(import, requires)?;
    let inner = import[module.len()..].trim_start_matches('/');
    let root = module_root(modcache, module, version);
    let dir = if inner.is_empty() {
        root
    } else {
        root.join(inner)
    };
    dir.is_dir()
        .then(|| (dir, format!("{}@{version}/{inner}", escape(module))))
}

/// One dependency package's exported facts: from the disk cache, else parsed and cached.
fn package(path: &str, dir: &Path, key: &str, index: &Index) -> Option<PackageFacts> {
    let cached = cache_dir().map(|c| c.join(format!("{}.facts", key.trim_end_matches('/'))));
    if let Some(text) = cached
        .as_ref()
        .and_then(|c| crate::bounded::read_cache_entry(c))
        .and_then(|bytes| String::from_utf8(bytes).ok())
    {
        return facts_text::parse(&text).into_iter().next();
    }
    let facts = parse_package(path, dir, index)?.exported();
    if let Some(c) = cached {
        write_atomically(&c, &facts_text::write(std::slice::from_ref(&facts)));
    }
    Some(facts)
}

/// Parses a package's non-test files (every platform's) into its facts.
fn parse_package(path: &str, dir: &Path, index: &Index) -> Option<PackageFacts> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".go") && !name.ends_with("_test.go") && !name.starts_with(['_', '.'])
        })
        .collect();
    if files.is_empty() {
        return None;
    }
    files.sort();
    let name_of = |p: &str| index.package_name(p);
    let per_file = files.iter().filter_map(|f| {
        let file = SourceFile::load(f, f.display().to_string());
        let root = file.root()?;
        let imports = extract::file_imports(root, &file.text, &name_of);
        Some(extract::file_facts(root, &file.text, path, &imports))
    });
    Some(PackageFacts::of_files(path, per_file.collect()))
}

/// Writes a file by writing a temporary beside it and renaming it into place.
fn write_atomically(path: &Path, text: &str) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) {
        use std::io::Write;
        if tmp.write_all(text.as_bytes()).is_ok() {
            let _ = tmp.persist(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_upper_case_as_the_module_cache_does() {
        assert_eq!(
            escape("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
    }

    #[test]
    fn names_the_required_modules_the_cache_lacks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("github.com/a/b@v1.2.0")).unwrap();
        let mut req = BTreeMap::new();
        req.insert("github.com/a/b".to_string(), "v1.2.0".to_string());
        req.insert("github.com/c/d".to_string(), "v0.1.0".to_string());
        let imports: BTreeSet<String> = ["github.com/a/b/x", "github.com/c/d/y", "fmt", "my/own"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let local: HashSet<&str> = ["my/own"].into_iter().collect();
        let missing = missing_modules(&imports, &local, &req, dir.path());
        assert_eq!(
            missing.into_iter().collect::<Vec<_>>(),
            ["github.com/c/d@v0.1.0"]
        );
    }

    #[test]
    fn locates_a_package_by_the_longest_module_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("github.com/a/b@v1.2.0/sub");
        std::fs::create_dir_all(&pkg).unwrap();
        let mut req = BTreeMap::new();
        req.insert("github.com/a/b".to_string(), "v1.2.0".to_string());
        req.insert("github.com/a".to_string(), "v0.1.0".to_string());
        let (found, key) = locate("github.com/a/b/sub", &req, dir.path()).unwrap();
        assert_eq!(found, pkg);
        assert_eq!(key, "github.com/a/b@v1.2.0/sub");
    }
}
