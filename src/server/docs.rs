//! The documents the editor has open, their module roots, and `file:` URIs.

pub use crate::discover::Root;
use crate::finding::Finding;
use lsp_types::Uri;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// One open document: the editor's text, newer than the file on disk until it is saved.
#[derive(Clone)]
pub struct Doc {
    pub uri: Uri,
    /// Canonical path (its folder canonical; the file may not exist yet).
    pub path: PathBuf,
    pub version: i32,
    pub text: Arc<str>,
    pub root: Root,
}

/// The findings last published for a document, with the text they were computed on: what
/// code actions are made from.
pub struct Published {
    pub version: i32,
    pub text: Arc<str>,
    pub findings: Vec<Finding>,
    /// The diagnostic published for each finding, in the same order.
    pub diagnostics: Vec<lsp_types::Diagnostic>,
}

/// The open documents by URI, and what was last published for each.
#[derive(Default)]
pub struct Docs {
    pub open: HashMap<Uri, Doc>,
    pub published: HashMap<Uri, Published>,
}

impl Docs {
    /// The open documents under `root`.
    pub fn under(&self, root: &Root) -> Vec<Doc> {
        let mut docs: Vec<Doc> = self
            .open
            .values()
            .filter(|d| &d.root == root)
            .cloned()
            .collect();
        docs.sort_by(|a, b| a.path.cmp(&b.path));
        docs
    }

    /// Works out each open document's root again: a `go.mod` or `go.work` may have appeared
    /// or gone since it was opened.
    pub fn refresh_roots(&mut self) {
        for doc in self.open.values_mut() {
            doc.root = Root::of(&doc.path);
        }
    }

    /// Every root with an open document.
    pub fn roots(&self) -> Vec<Root> {
        let mut roots: Vec<Root> = self.open.values().map(|d| d.root.clone()).collect();
        roots.sort();
        roots.dedup();
        roots
    }

    /// Whether `doc` is still open at the same version.
    pub fn is_current(&self, doc: &Doc) -> bool {
        self.open
            .get(&doc.uri)
            .is_some_and(|d| d.version == doc.version)
    }
}

/// How the editor names files: each open document's path as the editor wrote it (through a
/// symlinked folder, say) beside its canonical path, so that a related location in another file
/// is named the editor's way too.
pub struct EditorPaths {
    /// A canonical folder and the editor's name for it.
    pairs: Vec<(PathBuf, PathBuf)>,
}

impl EditorPaths {
    pub fn of(docs: &[Doc]) -> EditorPaths {
        let mut pairs = Vec::new();
        for doc in docs {
            let Some(editor) = path_of(&doc.uri) else {
                continue;
            };
            let (mut canonical, mut named) = (doc.path.as_path(), editor.as_path());
            while canonical.file_name().is_some() && canonical.file_name() == named.file_name() {
                match (canonical.parent(), named.parent()) {
                    (Some(c), Some(n)) => (canonical, named) = (c, n),
                    _ => break,
                }
            }
            if canonical != named {
                pairs.push((canonical.to_path_buf(), named.to_path_buf()));
            }
        }
        EditorPaths { pairs }
    }

    /// The URI of the file at the canonical path `path`, named as the editor names its folder.
    pub fn uri(&self, path: &Path) -> Option<Uri> {
        for (canonical, named) in &self.pairs {
            if let Ok(rest) = path.strip_prefix(canonical) {
                return uri_of(&named.join(rest));
            }
        }
        uri_of(path)
    }
}

/// The local path a `file:` URI names (percent escapes decoded); `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///p` has an empty authority; `file://localhost/p` names this host too.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = percent_decode(rest.as_bytes())?;
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hex = std::str::from_utf8(s.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path, every byte but unreserved ones and `/` escaped.
pub fn uri_of(path: &Path) -> Option<Uri> {
    use std::os::unix::ffi::OsStrExt;
    let mut s = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    Uri::from_str(&s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/tmp/a b/ü%.go");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%BC%25.go");
        assert_eq!(path_of(&uri).unwrap(), path);
        let other = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(path_of(&other), None);
        let host = Uri::from_str("file://localhost/tmp/x.go").unwrap();
        assert_eq!(path_of(&host).unwrap(), Path::new("/tmp/x.go"));
    }
}
