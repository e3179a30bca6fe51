//! Reading and parsing one Go file: its text, its syntax tree and a line index.
//!
//! Nothing here panics on bad input: a binary file, a file that is not UTF-8, a file too large or
//! too slow to parse each give a `problem` that the engine turns into a `parse-error` finding.

use crate::tree::{line_starts, Node, SyntaxTree};
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tree_sitter::{ParseOptions, Parser, Tree};

/// Files larger than this are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Parsing one file stops after this long, the last resort behind the parser's budget in steps
/// (`budget::parse_steps`), which stops every input seen so far first.
pub const PARSE_BUDGET: Duration = Duration::from_secs(60);

/// One Go file, read and (when it is Go text) parsed.
pub struct SourceFile {
    pub path: PathBuf,
    /// Path relative to the module root (or the audited folder), with `/` separators.
    pub rel: String,
    pub text: String,
    pub tree: Option<SyntaxTree>,
    /// Why the file could not be read or parsed whole, if so.
    pub problem: Option<Problem>,
    /// Carries the standard `// Code generated ... DO NOT EDIT.` line: indexed, never reported.
    pub generated: bool,
    /// Test, example or documentation code, not the program (`is_test_code`).
    test_code: bool,
    /// The literal data left out of the parse for its size (`budget::literal_data`).
    pub overruns: Vec<crate::budget::Overrun>,
    /// Where each line starts, shared with the tree (which computes positions from it).
    line_starts: std::sync::Arc<[u32]>,
}

/// A file-level problem, reported as a `parse-error` finding at `line`.
#[derive(Debug, Clone)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut p = Parser::new();
    p.set_language(&crate::syntax::language())
        .expect("tree-sitter-go's ABI matches tree-sitter (tested)");
    p
}

impl SourceFile {
    /// Reads and parses `path`; `rel` is how reports name it.
    pub fn load(path: &Path, rel: String) -> SourceFile {
        match read_text(path) {
            Ok(text) => Self::parse(path.to_path_buf(), rel, text),
            Err(message) => Self::unreadable(path, rel, message),
        }
    }

    /// Reads and parses `path`, or its buffer in `overlay`.
    pub fn load_over(path: &Path, rel: String, overlay: Option<&Overlay>) -> SourceFile {
        match read_text_over(path, overlay) {
            Ok(text) => Self::parse(path.to_path_buf(), rel, text),
            Err(message) => Self::unreadable(path, rel, message),
        }
    }

    /// A file that could not be read: no tree, and the reason as its problem.
    pub fn unreadable(path: &Path, rel: String, message: String) -> SourceFile {
        SourceFile {
            test_code: is_test_code(&rel, ""),
            path: path.to_path_buf(),
            rel,
            text: String::new(),
            tree: None,
            problem: Some(Problem {
                line: 1,
                column: 1,
                message,
            }),
            generated: false,
            overruns: Vec::new(),
            line_starts: line_starts(""),
        }
    }

    /// Parses text already in memory.
    pub fn parse(path: PathBuf, rel: String, text: String) -> SourceFile {
        let line_starts = line_starts(&text);
        let data = crate::budget::literal_data(&text, crate::budget::LITERAL_DATA_BYTES);
        // What the parser reads: the text, or a copy with the data blanked.
        let blanked = match data.is_empty() {
            true => None,
            false => String::from_utf8(crate::budget::blanked(&text, &data)).ok(),
        };
        let parsed = parse_bounded(blanked.as_deref().unwrap_or(&text).as_bytes());
        // tree-sitter's tree is dropped once copied: rules read the flat copy.
        let tree = parsed.map(|t| SyntaxTree::new(&t, &text, line_starts.clone()));
        let generated = is_generated(&text);
        let test_code = is_test_code(&rel, &text);
        let mut file = SourceFile {
            test_code,
            path,
            rel,
            text,
            tree,
            problem: None,
            generated,
            overruns: Vec::new(),
            line_starts,
        };
        file.overruns = data.iter().map(|r| file.data_overrun(r)).collect();
        file.problem = file.syntax_problem(blanked.as_deref().unwrap_or(&file.text));
        file
    }

    /// The `analysis-budget` overrun of literal data left out of the parse.
    fn data_overrun(&self, data: &std::ops::Range<usize>) -> crate::budget::Overrun {
        let line = |byte: usize| self.line_starts.partition_point(|&s| s as usize <= byte);
        crate::budget::Overrun {
            byte: data.start.saturating_sub(1),
            message: format!(
                "the composite literal's {} bytes of data (lines {} to {}) were not parsed: they are over the analysis budget of {} bytes of literal data, so no rule looked inside them",
                data.len(),
                line(data.start.saturating_sub(1)),
                line(data.end),
                crate::budget::LITERAL_DATA_BYTES
            ),
        }
    }

    pub fn root(&self) -> Option<Node<'_>> {
        self.tree.as_ref().map(|t| t.root_node())
    }

    pub fn is_test(&self) -> bool {
        is_test_path(&self.rel)
    }

    /// Code that never runs in production: a `_test.go` file, a file under `testdata/`,
    /// `examples/`, `example/`, `_examples/`, `docs/`, `e2e/` or a test-support package's folder
    /// (`fstest/`, `dbtest/`, `testutil/`, `testserver/`), or one built only on request
    /// (`//go:build ignore` or `//go:build none`).
    pub fn is_test_code(&self) -> bool {
        self.test_code
    }

    pub fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The text of a node, a slice of the source.
    pub fn node_text(&self, node: Node) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if self.text.ends_with('\n') {
            n - 1
        } else {
            n
        }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self.line_start(line + 1).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of a 1-based line and byte column (clamped to the text).
    pub fn byte_at(&self, line: usize, column: usize) -> usize {
        let start = self.line_start(line.max(1)).unwrap_or(self.text.len());
        (start + column.saturating_sub(1)).min(self.text.len())
    }

    /// The byte offset where 1-based line `line` starts.
    fn line_start(&self, line: usize) -> Option<usize> {
        let at = self.line_starts.get(line.wrapping_sub(1))?;
        Some(*at as usize)
    }

    /// The offset where the line holding `byte` ends, before its line ending.
    pub fn line_end_byte(&self, byte: usize) -> usize {
        let (line, _) = self.position(byte);
        let start = self.line_start(line).unwrap_or(0);
        start + self.line_text(line).len()
    }

    /// 1-based line and byte column of a byte offset.
    pub fn position(&self, byte: usize) -> (usize, usize) {
        let idx = self
            .line_starts
            .partition_point(|&s| s as usize <= byte)
            .max(1)
            - 1;
        (idx + 1, byte - self.line_starts[idx] as usize + 1)
    }

    /// The first syntax error of the text the parser read (`parsed`).
    fn syntax_problem(&self, parsed: &str) -> Option<Problem> {
        let Some(root) = self.root() else {
            return Some(Problem {
                line: 1,
                column: 1,
                message: format!(
                    "parsing stopped: over the parser's budget ({} steps for {} bytes, or {} s), which only broken Go text has reached; the file was not audited",
                    crate::budget::parse_steps(parsed.len()),
                    parsed.len(),
                    PARSE_BUDGET.as_secs()
                ),
            });
        };
        if !root.has_error() {
            return self.strict_problem(root, parsed);
        }
        let bad = crate::tree::first_error(root)?;
        let (line, column) = (
            bad.start_position().row + 1,
            bad.start_position().column + 1,
        );
        let message = if bad.is_missing() {
            format!(
                "syntax error: missing {}; the rest of this file is audited only in part",
                bad.kind()
            )
        } else {
            let snippet: String = self
                .node_text(bad)
                .chars()
                .take(30)
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            format!("syntax error: unexpected `{snippet}`; the rest of this file is audited only in part")
        };
        Some(Problem {
            line,
            column,
            message,
        })
    }
}

impl SourceFile {
    /// A rule of Go's syntax that the lenient grammar does not enforce, broken in a file whose
    /// tree is whole (`strict`): go/parser rejects the file, goaudit still audits all of it.
    fn strict_problem(&self, root: Node<'_>, parsed: &str) -> Option<Problem> {
        let v = crate::strict::first_violation(root, parsed)?;
        let (line, column) = self.position(v.byte);
        Some(Problem {
            line,
            column,
            message: format!(
                "syntax error: {}; the Go compiler rejects this file",
                v.message
            ),
        })
    }
}

/// Buffers that stand in for files on disk, by canonical path: an editor's unsaved text, or
/// standard input under `--stdin-filename`. Wherever an audit reads a Go file (its imports, its
/// text, its cache key) it reads the buffer instead.
#[derive(Debug, Default, Clone)]
pub struct Overlay {
    buffers: std::collections::HashMap<PathBuf, String>,
}

impl Overlay {
    /// Puts `text` in place of the file at `path` (a canonical path).
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.buffers.insert(path, text);
    }

    /// Drops the buffer of `path`: the file on disk counts again.
    pub fn remove(&mut self, path: &Path) {
        self.buffers.remove(path);
    }

    /// The buffer standing in for `path`, if any.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.buffers.get(path).map(String::as_str)
    }

    /// Whether any of `paths` has a buffer.
    pub fn covers_any<'p>(&self, mut paths: impl Iterator<Item = &'p PathBuf>) -> bool {
        !self.buffers.is_empty() && paths.any(|p| self.buffers.contains_key(p))
    }

    /// The paths with a buffer.
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.buffers.keys()
    }
}

/// The canonical path of a file that may not exist yet: its folder's canonical path (which
/// must exist) and its name.
pub fn canonical_file(path: &Path) -> std::io::Result<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Ok(p);
    }
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Ok(dir.canonicalize()?.join(name))
}

/// The text of `path`: its buffer in `overlay` if it has one, else the file read from disk.
pub fn read_text_over(path: &Path, overlay: Option<&Overlay>) -> Result<String, String> {
    match overlay.and_then(|o| o.get(path)) {
        Some(text) => Ok(text.to_string()),
        None => read_text(path),
    }
}

/// Reads a file as UTF-8 Go text, or says in one sentence why it is not.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    // Read through the limit too: a file that grew since, or a device, stops there.
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let bytes = crate::bounded::read_at_most(file, MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read file: {e}; not audited"))?;
    go_text(bytes)
}

/// Reads Go text from `reader` (standard input) within the source limit, or says why it is not
/// Go text.
pub fn read_text_from(reader: impl std::io::Read) -> Result<String, String> {
    let bytes = crate::bounded::read_at_most(reader, MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read: {e}; not audited"))?;
    go_text(bytes)
}

fn too_large(len: u64) -> String {
    format!(
        "file is {} MiB, over the {} MiB limit; not audited",
        len / (1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// The bytes as Go source text: no NUL byte, valid UTF-8.
fn go_text(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(at) = memchr_nul(&bytes) {
        return Err(format!(
            "not Go source text: NUL byte at offset {at} (a binary file?); not audited"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text: invalid byte at offset {}; Go source must be UTF-8; not audited",
            e.utf8_error().valid_up_to()
        )
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

fn parse_bounded(bytes: &[u8]) -> Option<Tree> {
    let started = Instant::now();
    let mut steps_left = crate::budget::parse_steps(bytes.len());
    let mut over_budget = |_: &tree_sitter::ParseState| {
        steps_left = steps_left.saturating_sub(1);
        if steps_left == 0 || started.elapsed() > PARSE_BUDGET {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        parser.reset();
        let mut read = |offset: usize, _| bytes.get(offset..).unwrap_or(&[]);
        parser.parse_with_options(
            &mut read,
            None,
            Some(ParseOptions::new().progress_callback(&mut over_budget)),
        )
    })
}

/// Folders whose Go files are tests, examples, documentation or tools around the program, not
/// the program: integration tests and benchmark drivers, and the code generators of
/// `go generate` (`internal/gen/main.go`), which run on a developer's machine.
const TEST_CODE_DIRS: [&str; 17] = [
    "testdata",
    "examples",
    "example",
    "_examples",
    "docs",
    "e2e",
    "testutil",
    "testutils",
    "testhelpers",
    "integration",
    "bench",
    "benchmark",
    "benchmarks",
    "gen",
    "generate",
    "generator",
    "codegen",
];

/// Words that end in `test` and name no test-support package (`latest/`, `fastest/`).
const NOT_TEST_WORDS: [&str; 7] = [
    "latest", "greatest", "fastest", "shortest", "contest", "protest", "attest",
];

/// See `SourceFile::is_test_code`.
fn is_test_code(rel: &str, text: &str) -> bool {
    is_test_code_path(rel) || build_ignored(text)
}

/// What `SourceFile::is_test_code` can tell from the path alone: a `_test.go` file, or a file in
/// a folder of tests, examples, documentation, test support or tools (`TEST_CODE_DIRS`).
pub fn is_test_code_path(rel: &str) -> bool {
    is_test_path(rel) || rel.split('/').rev().skip(1).any(is_test_support_dir)
}

/// A folder of tests or of code written only for them: the fixed names above, and Go's naming
/// of test-support packages, a name ending in `test` (`httptest`, `fstest`, `dbtest`) or
/// `tests`, or starting with `test` (`testserver`, `testing`).
fn is_test_support_dir(dir: &str) -> bool {
    let dir = dir.to_ascii_lowercase();
    TEST_CODE_DIRS.contains(&dir.as_str())
        || ((dir.ends_with("test") || dir.ends_with("tests") || dir.starts_with("test"))
            && !NOT_TEST_WORDS
                .iter()
                .any(|w| dir.trim_end_matches('s') == *w))
}

/// A `//go:build ignore` or `//go:build none` line before the package clause: no build tag
/// satisfies it, so the file is built only when named (`go run gen.go`), a generator, an example
/// or a developer's helper, never part of the package.
pub fn build_ignored(text: &str) -> bool {
    header_lines(text)
        .find_map(|line| line.strip_prefix("//go:build "))
        .is_some_and(|expr| matches!(expr.trim(), "ignore" | "none"))
}

/// The lines before the package clause, where build constraints and the generated marker live.
fn header_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .take_while(|line| !line.starts_with("package ") && *line != "package")
}

/// A `_test.go` file: compiled only by `go test`, invisible to importers.
pub fn is_test_path(path: &str) -> bool {
    path.ends_with("_test.go")
}

/// The go tool's rule: a line `^// Code generated .* DO NOT EDIT\.$` before the package clause.
pub fn is_generated(text: &str) -> bool {
    header_lines(text)
        .any(|line| line.starts_with("// Code generated ") && line.ends_with(" DO NOT EDIT."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_support_folders_are_test_code() {
        for rel in [
            "fstest/fstests/fstests.go",
            "core/stores/dbtest/sql.go",
            "protocol/prototest/reflect.go",
            "maintnotifications/e2e/server.go",
            "internal/testserver/server.go",
            "pkg/testutil/x.go",
            "integration/lsmbench/main.go",
            "internal/bench/run.go",
            "lib/encoder/internal/gen/main.go",
            "tools/codegen/main.go",
        ] {
            assert!(is_test_code(rel, ""), "{rel}");
        }
        for rel in [
            "latest/x.go",
            "pkg/fastest/x.go",
            "fstest.go",
            "internal/attestation/x.go",
            "internal/agent/x.go",
            "internal/integrations/slack/x.go",
            "pkg/generated/x.go",
        ] {
            assert!(!is_test_code(rel, ""), "{rel}");
        }
    }

    fn parse(text: &str) -> SourceFile {
        SourceFile::parse("x.go".into(), "x.go".into(), text.to_string())
    }

    /// A file whose size says nothing (a device, a file still growing) is read up to the limit.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_read_up_to_the_limit() {
        let e = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(e.contains("over the 64 MiB limit"), "{e}");
    }

    #[test]
    fn positions_are_one_based_bytes() {
        let f = parse("package p\n\nvar x = 1\n");
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(11), (3, 1));
        assert_eq!(f.position(15), (3, 5));
        assert_eq!(f.line_text(3), "var x = 1");
        assert_eq!(f.line_count(), 3);
        assert!(f.problem.is_none());
    }

    #[test]
    fn syntax_errors_become_a_problem_at_the_first_error() {
        let f = parse("package p\n\nfunc f( {\n");
        let p = f.problem.expect("a syntax problem");
        assert_eq!(p.line, 3);
        assert!(p.message.starts_with("syntax error"), "{}", p.message);
    }

    /// `//go:build ignore` and `//go:build none` before the package clause: never built with
    /// the package; another constraint, or either word later in the file, is not.
    #[test]
    fn ignore_and_none_constraints_are_never_built() {
        assert!(build_ignored("//go:build ignore\n\npackage main\n"));
        assert!(build_ignored(
            "// helper\n//go:build none\n\npackage main\n"
        ));
        assert!(is_test_code(
            "fs/rc/js/serve.go",
            "//go:build none\n\npackage main\n"
        ));
        assert!(!build_ignored("//go:build linux\n\npackage p\n"));
        assert!(!build_ignored("//go:build none && linux\n\npackage p\n"));
        assert!(!build_ignored("package p\n\n//go:build none\n"));
    }

    #[test]
    fn generated_header_must_precede_package() {
        assert!(is_generated(
            "// Code generated by stringer; DO NOT EDIT.\n\npackage p\n"
        ));
        assert!(!is_generated(
            "package p\n// Code generated by stringer; DO NOT EDIT.\n"
        ));
        assert!(!is_generated("// Code generated by hand.\npackage p\n"));
    }

    #[test]
    fn binary_and_non_utf8_files_are_problems_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("b.go");
        std::fs::write(&bin, b"package p\x00\x01").unwrap();
        assert!(SourceFile::load(&bin, "b.go".into())
            .problem
            .unwrap()
            .message
            .contains("NUL"));
        let latin = dir.path().join("l.go");
        std::fs::write(&latin, b"\xff\xfe package p\n").unwrap();
        assert!(SourceFile::load(&latin, "l.go".into())
            .problem
            .unwrap()
            .message
            .contains("UTF-8"));
    }
}
