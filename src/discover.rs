//! Go package patterns (`.`, `./...`, `./internal`, `./internal/...`, single files) to packages
//! and files, by the go tool's rules, and the packages' import order.

use crate::fxhash::HashMap;
use anyhow::{bail, Result};
use globset::GlobSet;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One Go package: the `.go` files of one folder (an external `_test` package included).
#[derive(Debug, Clone)]
pub struct Package {
    /// The folder, absolute.
    pub dir: PathBuf,
    /// The folder relative to the root, `.` for the root itself.
    pub rel_dir: String,
    /// The import path: the module path joined with the folder's path inside its module.
    pub import_path: String,
    /// Files, absolute paths, sorted.
    pub files: Vec<PathBuf>,
    /// Each file's size in bytes, read once here (0 if it could not be read): what the split,
    /// the schedule and the parse order weigh.
    pub sizes: Vec<u64>,
    /// The `go` directive of the package's module (`go 1.22` is `Some((1, 22))`); `None` without
    /// a `go.mod` or a `go` line. Rules whose bug the language fixed in a release read it.
    pub go_version: Option<(u32, u32)>,
    /// The import paths its non-test files import, read from their headers: what its importers
    /// can reach through it.
    pub imports: BTreeSet<String>,
    /// The import paths its `_test.go` files import.
    pub test_imports: BTreeSet<String>,
}

impl Package {
    /// Every import path its files import, tests' included.
    pub fn all_imports(&self) -> impl Iterator<Item = &String> {
        self.imports.iter().chain(&self.test_imports)
    }
}

/// What the patterns matched.
#[derive(Debug)]
pub struct Discovery {
    /// Where relative paths in reports start: the `go.work` folder, else the `go.mod` folder,
    /// else the folder audited.
    pub root: PathBuf,
    /// Every module seen: its folder and module path.
    pub modules: Vec<(PathBuf, String)>,
    /// Packages in import order: a package comes after the packages it imports.
    pub packages: Vec<Package>,
    /// Groups of packages that can run together: each layer imports only earlier layers.
    pub layers: Vec<Vec<usize>>,
    /// The packages each package imports (indices into `packages`, audited ones only).
    pub imports: Vec<BTreeSet<usize>>,
    /// Folders the patterns reach that could not be listed (relative to `root`), and why:
    /// their files are not audited, and the run says so.
    pub unreadable: Vec<(String, String)>,
}

/// What walking the patterns found: Go files by folder, and the folders that could not be read.
#[derive(Default)]
struct Found {
    files: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    unreadable: BTreeMap<PathBuf, String>,
}

impl Found {
    /// Records that `dir` could not be listed, and why (the first reason kept).
    fn unreadable(&mut self, dir: &Path, why: &std::io::Error) {
        let why = std::io::Error::from(why.kind()).to_string();
        self.unreadable.entry(dir.to_path_buf()).or_insert(why);
    }
}

impl Discovery {
    /// Each package's index in `packages`, by import path.
    pub fn by_import_path(&self) -> HashMap<&str, usize> {
        self.packages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.import_path.as_str(), i))
            .collect()
    }

    pub fn file_count(&self) -> usize {
        self.packages.iter().map(|p| p.files.len()).sum()
    }

    /// The path reports use for a file.
    pub fn rel(&self, path: &Path) -> String {
        rel_path(&self.root, path)
    }
}

pub struct Options<'a> {
    pub tests: bool,
    pub exclude: &'a GlobSet,
    /// Buffers read in place of files (their imports and sizes); `None`: the files on disk.
    pub overlay: Option<&'a crate::source::Overlay>,
}

/// One parsed command-line pattern.
#[derive(Debug)]
enum Pattern {
    File(PathBuf),
    Dir(PathBuf),
    Tree(PathBuf),
}

fn parse_pattern(p: &str) -> Result<Pattern> {
    let (base, recursive) = match p.strip_suffix("...") {
        Some(rest) => {
            let rest = rest.trim_end_matches('/');
            (if rest.is_empty() { "." } else { rest }, true)
        }
        None => (p, false),
    };
    let path = PathBuf::from(base);
    if !path.exists() {
        bail!("{p}: no such file or directory");
    }
    let path = path.canonicalize()?;
    Ok(if path.is_file() {
        if recursive {
            bail!("{p}: `...` needs a directory");
        }
        Pattern::File(path)
    } else if recursive {
        Pattern::Tree(path)
    } else {
        Pattern::Dir(path)
    })
}

/// Matches the patterns (default `./...`) to packages, sorted in import order.
pub fn discover(patterns: &[String], opts: &Options) -> Result<Discovery> {
    let defaults = ["./...".to_string()];
    let patterns = if patterns.is_empty() {
        &defaults[..]
    } else {
        patterns
    };
    let parsed = patterns
        .iter()
        .map(|p| parse_pattern(p))
        .collect::<Result<Vec<_>>>()?;
    let first_base = match &parsed[0] {
        Pattern::File(p) => p.parent().unwrap_or(p).to_path_buf(),
        Pattern::Dir(p) | Pattern::Tree(p) => p.clone(),
    };
    let root = find_root(&first_base);
    let workspace = workspace_modules(&root);

    let mut found = Found::default();
    for pat in &parsed {
        match pat {
            Pattern::File(f) => {
                if f.extension().is_some_and(|e| e == "go") {
                    let dir = f.parent().unwrap_or(Path::new("/")).to_path_buf();
                    found.files.entry(dir).or_default().insert(f.clone());
                } else {
                    bail!("{}: not a Go file", f.display());
                }
            }
            Pattern::Dir(d) => add_dir(d, opts, &root, &mut found),
            Pattern::Tree(d) => walk_tree(d, &workspace, opts, &root, &mut found),
        }
    }
    if let Some(overlay) = opts.overlay {
        add_buffers(overlay, opts, &root, &mut found);
    }
    let Found {
        mut files,
        unreadable,
    } = found;
    let unreadable: Vec<(String, String)> = unreadable
        .into_iter()
        .map(|(dir, why)| (rel_path(&root, &dir), why))
        .collect();
    files.retain(|_, f| !f.is_empty());
    if files.is_empty() {
        match unreadable.first() {
            Some((dir, why)) => bail!(
                "no Go files matched {}: cannot read folder {dir}: {why}",
                patterns.join(" ")
            ),
            None => bail!("no Go files matched {}", patterns.join(" ")),
        }
    }
    let mut modules = BTreeMap::new();
    let mut versions = HashMap::default();
    let mut packages = Vec::with_capacity(files.len());
    for (dir, fs) in files {
        let (mod_dir, mod_path) = module_of(&dir, &mut modules);
        let inner = rel_path(&mod_dir, &dir);
        let import_path = match (mod_path.as_str(), inner.as_str()) {
            // The standard library's module is `std`, but its packages are imported as `net/http`.
            ("", i) | ("std", i) => i.to_string(),
            (m, ".") => m.to_string(),
            (m, i) => format!("{m}/{i}"),
        };
        let files: Vec<PathBuf> = fs.into_iter().collect();
        let size = |f: &PathBuf| match opts.overlay.and_then(|o| o.get(f)) {
            Some(text) => text.len() as u64,
            None => std::fs::metadata(f).map_or(0, |m| m.len()),
        };
        let scan = |test: bool| scan_all(files.iter().filter(|f| is_test_file(f) == test), opts);
        packages.push(Package {
            sizes: files.iter().map(size).collect(),
            rel_dir: rel_path(&root, &dir),
            go_version: go_version_at(&mod_dir, &mut versions),
            imports: scan(false),
            test_imports: scan(true),
            dir,
            import_path,
            files,
        });
    }
    let (layers, deps) = import_layers(&packages);
    let order: Vec<usize> = layers.iter().flatten().copied().collect();
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let imports = order
        .iter()
        .map(|&old| deps[old].iter().map(|&d| new_index[d]).collect())
        .collect();
    let mut slots: Vec<Option<Package>> = packages.into_iter().map(Some).collect();
    let packages: Vec<Package> = order.iter().map(|&i| slots[i].take().unwrap()).collect();
    let mut next = 0;
    let layers = layers
        .iter()
        .map(|l| {
            let ids = (next..next + l.len()).collect();
            next += l.len();
            ids
        })
        .collect();
    Ok(Discovery {
        root,
        modules: modules
            .into_values()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        packages,
        layers,
        imports,
        unreadable,
    })
}

/// Where a single file (an editor's buffer, standard input's) is audited from, so that it gets
/// the findings an audit of its whole module gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Root {
    /// The `go.work` or `go.mod` folder above the file, else the file's own folder.
    pub dir: PathBuf,
    /// Whether `dir` holds a `go.work` or `go.mod`: the whole module is read for the facts
    /// its packages import; without one, only the file's folder is audited.
    pub module: bool,
}

impl Root {
    /// The root of the file at `path`.
    pub fn of(path: &Path) -> Root {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let root = find_root(dir);
        let module = root.join("go.mod").is_file() || root.join("go.work").is_file();
        Root { dir: root, module }
    }

    /// The patterns an audit from this root matches.
    pub fn patterns(&self) -> Vec<String> {
        match self.module {
            true => vec![format!("{}/...", self.dir.display())],
            false => vec![self.dir.display().to_string()],
        }
    }
}

/// The folder reports are relative to: a `go.work` folder, else a `go.mod` folder, else `base`.
fn find_root(base: &Path) -> PathBuf {
    if let Some(w) = base.ancestors().find(|d| d.join("go.work").is_file()) {
        return w.to_path_buf();
    }
    if let Some(m) = base.ancestors().find(|d| d.join("go.mod").is_file()) {
        return m.to_path_buf();
    }
    base.to_path_buf()
}

/// The module folders a `go.work` at `root` uses.
fn workspace_modules(root: &Path) -> BTreeSet<PathBuf> {
    let Some(text) = crate::bounded::read_module_file(&root.join("go.work")) else {
        return BTreeSet::new();
    };
    directive_entries(&text, "use")
        .into_iter()
        .filter_map(|dir| root.join(dir.trim_matches('"')).canonicalize().ok())
        .collect()
}

/// The entries of a `go.mod`/`go.work` directive, written once (`use ./a`) or as a block
/// (`require (` ... `)`), comments removed.
pub fn directive_entries<'t>(text: &'t str, keyword: &str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let entry = if in_block {
            if line == ")" {
                in_block = false;
                continue;
            }
            line
        } else if let Some(rest) = line.strip_prefix(keyword) {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        if !entry.is_empty() {
            out.push(entry);
        }
    }
    out
}

fn is_go_file(name: &str, tests: bool) -> bool {
    name.ends_with(".go")
        && !name.starts_with('.')
        && !name.starts_with('_')
        && (tests || !name.ends_with("_test.go"))
}

fn add_dir(dir: &Path, opts: &Options, root: &Path, found: &mut Found) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return found.unreadable(dir, &e),
    };
    let set = found.files.entry(dir.to_path_buf()).or_default();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let path = e.path();
        if is_go_file(&name, opts.tests)
            && path.is_file()
            && !opts.exclude.is_match(rel_path(root, &path))
        {
            set.insert(path);
        }
    }
}

/// The buffers of files not on disk yet (an editor's new file), in the folders the patterns
/// reached, as the files they will be.
fn add_buffers(overlay: &crate::source::Overlay, opts: &Options, root: &Path, found: &mut Found) {
    for path in overlay.paths() {
        let name = path.file_name().map(|n| n.to_string_lossy());
        let Some((name, dir)) = name.zip(path.parent()) else {
            continue;
        };
        if let Some(set) = found.files.get_mut(dir) {
            if is_go_file(&name, opts.tests) && !opts.exclude.is_match(rel_path(root, path)) {
                set.insert(path.clone());
            }
        }
    }
}

fn walk_tree(
    base: &Path,
    workspace: &BTreeSet<PathBuf>,
    opts: &Options,
    root: &Path,
    found: &mut Found,
) {
    let walker = walkdir::WalkDir::new(base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if !e.file_type().is_dir() || e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let skipped = name.starts_with('.')
                || name.starts_with('_')
                || name == "vendor"
                || name == "testdata";
            let nested_module = e.path().join("go.mod").is_file() && !workspace.contains(e.path());
            !skipped && !nested_module && !opts.exclude.is_match(rel_path(root, e.path()))
        });
    for e in walker {
        match e {
            Ok(e) if e.file_type().is_dir() => add_dir(e.path(), opts, root, found),
            Ok(_) => {}
            Err(e) => {
                if let (Some(path), Some(io)) = (e.path(), e.io_error()) {
                    found.unreadable(path, io);
                }
            }
        }
    }
}

type ModuleCache = BTreeMap<PathBuf, Option<(PathBuf, String)>>;

/// The module a folder belongs to: the nearest `go.mod` upward, with its module path.
fn module_of(dir: &Path, cache: &mut ModuleCache) -> (PathBuf, String) {
    for d in dir.ancestors() {
        if let Some(hit) = cache.get(d) {
            if let Some(m) = hit {
                return m.clone();
            }
            continue;
        }
        let found = crate::bounded::read_module_file(&d.join("go.mod"))
            .map(|text| (d.to_path_buf(), module_path(&text)));
        cache.insert(d.to_path_buf(), found.clone());
        if let Some(m) = found {
            return m;
        }
    }
    (dir.to_path_buf(), String::new())
}

/// The module path a `go.mod` declares.
pub fn module_path(go_mod: &str) -> String {
    go_mod
        .lines()
        .find_map(|l| l.trim().strip_prefix("module "))
        .map(|m| {
            m.split("//")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string()
        })
        .unwrap_or_default()
}

/// The `go` version of the module at `mod_dir`, read once per module.
fn go_version_at(
    mod_dir: &Path,
    cache: &mut HashMap<PathBuf, Option<(u32, u32)>>,
) -> Option<(u32, u32)> {
    *cache.entry(mod_dir.to_path_buf()).or_insert_with(|| {
        let text = crate::bounded::read_module_file(&mod_dir.join("go.mod"))?;
        go_version(&text)
    })
}

/// The version a `go.mod`'s `go` directive declares: `go 1.21.5` is `(1, 21)`.
pub fn go_version(go_mod: &str) -> Option<(u32, u32)> {
    let v = go_mod
        .lines()
        .find_map(|l| l.split("//").next()?.trim().strip_prefix("go "))?;
    let mut parts = v.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts
        .next()
        .map(|m| m.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    Some((major, minor))
}

/// The path reports use for `path`: relative to `root` when inside it (see `path_text`).
pub fn rel_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(p) if p.as_os_str().is_empty() => ".".to_string(),
        Ok(p) => path_text(p),
        Err(_) => path_text(path),
    }
}

/// A path as report text, kept exactly: on Unix a backslash is a character of a name, not a
/// separator, and a byte that is not UTF-8 is written `\xHH` (`file_path` reads it back). On
/// Windows the separators become `/`.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/")
    }
}

/// The file a report's path names under `root`: the path as written when it exists, else with
/// `path_text`'s `\xHH` escapes turned back into bytes.
pub fn file_path(root: &Path, file: &str) -> PathBuf {
    let plain = root.join(file);
    if plain.exists() || !file.contains("\\x") {
        return plain;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = unescape_bytes(file);
        root.join(std::ffi::OsStr::from_bytes(&bytes))
    }
    #[cfg(not(unix))]
    plain
}

/// `text` with every `\xHH` turned into the byte HH.
#[cfg(unix)]
fn unescape_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 2..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (
            bytes[i],
            bytes.get(i + 1),
            hex.and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'\\', Some(b'x'), Some(b)) => {
                out.push(b);
                i += 4;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Orders packages so that each comes after those it imports (Kahn's algorithm, layer by
/// layer). Cycles, which only external test packages can make, are broken at the smallest path.
/// Returns the layers and each package's imports (both by index into `packages`).
fn import_layers(packages: &[Package]) -> (Vec<Vec<usize>>, Vec<BTreeSet<usize>>) {
    let by_path: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.import_path.as_str(), i))
        .collect();
    let deps: Vec<BTreeSet<usize>> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.all_imports()
                .filter_map(|imp| by_path.get(imp.as_str()).copied())
                .filter(|&d| d != i)
                .collect()
        })
        .collect();
    (layers_of(&deps), deps)
}

/// Import layers: each layer the packages (in order) whose imports are all in earlier layers;
/// when none is (a cycle), the first package left alone. Each package's imports are counted
/// down as their layers close, so the cost grows with the imports, not with the layers times
/// the packages.
fn layers_of(deps: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let n = deps.len();
    let mut dependents = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    let mut pending: Vec<usize> = deps.iter().map(BTreeSet::len).collect();
    let mut remaining: BTreeSet<usize> = (0..n).collect();
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    let mut done = vec![false; n];
    let mut layers = Vec::new();
    while let Some(&first) = remaining.first() {
        let layer: Vec<usize> = match ready.is_empty() {
            true => vec![first],
            false => std::mem::take(&mut ready).into_iter().collect(),
        };
        for &i in &layer {
            done[i] = true;
            remaining.remove(&i);
        }
        for &i in &layer {
            for &j in &dependents[i] {
                pending[j] -= 1;
                if pending[j] == 0 && !done[j] {
                    ready.insert(j);
                }
            }
        }
        layers.push(layer);
    }
    layers
}

fn is_test_file(path: &Path) -> bool {
    crate::source::is_test_path(&path.to_string_lossy())
}

fn scan_all<'a>(files: impl Iterator<Item = &'a PathBuf>, opts: &Options) -> BTreeSet<String> {
    files
        .flat_map(|f| match opts.overlay.and_then(|o| o.get(f)) {
            Some(text) => scan_imports_in(text.as_bytes()),
            None => scan_imports(f),
        })
        .collect()
}

/// The import paths of a file, read from its header without parsing the whole file.
pub fn scan_imports(path: &Path) -> Vec<String> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    scan_imports_in(std::io::BufReader::with_capacity(8192, file))
}

/// The import paths in the header of the Go text `reader` gives.
fn scan_imports_in(mut reader: impl std::io::BufRead) -> Vec<String> {
    let mut raw = Vec::new();
    let mut out = Vec::new();
    let mut in_block = false;
    let mut in_comment = false;
    loop {
        raw.clear();
        match reader.read_until(b'\n', &mut raw) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&raw);
        let mut line = text.trim();
        if in_comment {
            match line.find("*/") {
                Some(i) => {
                    in_comment = false;
                    line = line[i + 2..].trim();
                }
                None => continue,
            }
        }
        if line.starts_with("/*") && !line.contains("*/") {
            in_comment = true;
            continue;
        }
        if line.is_empty() || line.starts_with("//") || line.starts_with("package ") {
            continue;
        }
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if let Some(p) = quoted(line) {
                out.push(p);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("import") {
            let rest = rest.trim_start();
            if let Some(inner) = rest.strip_prefix('(') {
                in_block = true;
                if let Some(p) = quoted(inner) {
                    out.push(p);
                }
            } else if let Some(p) = quoted(rest) {
                out.push(p);
            }
            continue;
        }
        if line.starts_with("func")
            || line.starts_with("type")
            || line.starts_with("var")
            || line.starts_with("const")
        {
            break;
        }
    }
    out
}

fn quoted(s: &str) -> Option<String> {
    let start = s.find(['"', '`'])?;
    let q = s.as_bytes()[start] as char;
    let rest = &s[start + 1..];
    let end = rest.find(q)?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_are_kept_exactly_and_read_back() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"a\\b\xff.go"));
        std::fs::write(&odd, "package a\n").unwrap();
        let text = rel_path(dir.path(), &odd);
        assert_eq!(text, "a\\b\\xff.go");
        assert_eq!(file_path(dir.path(), &text), odd);
        assert_eq!(
            file_path(dir.path(), "x\\x4g.go"),
            dir.path().join("x\\x4g.go")
        );
    }
    use std::fs;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    fn run(dir: &Path, patterns: &[&str], tests: bool) -> Result<Discovery> {
        let none = GlobSet::empty();
        let pats: Vec<String> = patterns
            .iter()
            .map(|p| format!("{}/{}", dir.display(), p))
            .collect();
        discover(
            &pats,
            &Options {
                tests,
                exclude: &none,
                overlay: None,
            },
        )
    }

    #[test]
    fn follows_the_go_tools_skipping_rules() {
        let d = tree(&[
            ("go.mod", "module example.com/m\n\ngo 1.22\n"),
            ("a.go", "package m\n"),
            ("a_test.go", "package m\n"),
            ("_skip.go", "package m\n"),
            ("internal/b/b.go", "package b\n"),
            ("vendor/v/v.go", "package v\n"),
            ("testdata/t.go", "package t\n"),
            ("_tools/t.go", "package t\n"),
            (".hidden/h.go", "package h\n"),
            ("nested/go.mod", "module example.com/nested\n"),
            ("nested/n.go", "package n\n"),
        ]);
        let found = run(d.path(), &["..."], true).unwrap();
        let dirs: Vec<_> = found.packages.iter().map(|p| p.rel_dir.as_str()).collect();
        assert_eq!(dirs.len(), 2, "{dirs:?}");
        assert!(dirs.contains(&".") && dirs.contains(&"internal/b"));
        assert_eq!(found.file_count(), 3);
        let no_tests = run(d.path(), &["..."], false).unwrap();
        assert_eq!(no_tests.file_count(), 2);
        let one = run(d.path(), &["internal/b"], true).unwrap();
        assert_eq!(one.packages[0].import_path, "example.com/m/internal/b");
    }

    #[test]
    fn go_version_reads_the_go_directive() {
        assert_eq!(go_version("module m\n\ngo 1.21.5\n"), Some((1, 21)));
        assert_eq!(go_version("module m\ngo 1.22 // pinned\n"), Some((1, 22)));
        assert_eq!(go_version("module m\ngo 1.23rc1\n"), Some((1, 23)));
        assert_eq!(go_version("module m\n"), None);
        let dir = tree(&[
            ("go.mod", "module example.com/m\n\ngo 1.20\n"),
            ("a.go", "package a\n"),
        ]);
        let d = run(dir.path(), &["./..."], true).unwrap();
        assert_eq!(d.packages[0].go_version, Some((1, 20)));
    }

    #[test]
    fn packages_come_after_what_they_import() {
        let d = tree(&[
            ("go.mod", "module example.com/m\n"),
            (
                "a/a.go",
                "package a\n\nimport (\n\t\"fmt\"\n\tb \"example.com/m/b\"\n)\n",
            ),
            ("b/b.go", "package b\n\nimport \"example.com/m/c\"\n"),
            ("c/c.go", "package c\n"),
        ]);
        let found = run(d.path(), &["..."], true).unwrap();
        let order: Vec<_> = found.packages.iter().map(|p| p.rel_dir.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
        assert_eq!(found.layers.len(), 3);
    }

    #[test]
    fn missing_paths_and_empty_folders_are_errors() {
        let d = tree(&[("README.md", "hi")]);
        let err = run(d.path(), &["nope/..."], true).unwrap_err();
        assert!(err.to_string().contains("nope"));
        assert!(run(d.path(), &["..."], true).is_err());
    }

    #[test]
    fn directives_read_single_lines_and_blocks() {
        let go_mod = "module m\n\nrequire a v1 // indirect\nrequire (\n\tb v2\n\n\tc v3 // x\n)\n";
        assert_eq!(
            directive_entries(go_mod, "require"),
            ["a v1", "b v2", "c v3"]
        );
        assert_eq!(
            directive_entries("use (\n\t./a\n)\nuse ./b\n", "use"),
            ["./a", "./b"]
        );
    }

    #[test]
    fn no_go_mod_makes_the_folder_the_root() {
        let d = tree(&[("x/y.go", "package x\n")]);
        let found = run(d.path(), &["..."], true).unwrap();
        assert_eq!(found.packages[0].rel_dir, "x");
    }
}
