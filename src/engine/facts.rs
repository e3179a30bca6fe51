//! A package's facts: what its importers see of it (its non-test files), what its own files
//! see (its test files' declarations too), each file's imports, and the local types of its
//! package-level variables; for a package a shard reads only for its facts, those alone, from
//! its skeleton.

use super::guard::guarded;
use super::package::PackageWork;
use crate::discover::Package;
use crate::index::extract::{self, FileImports};
use crate::index::{Index, PackageFacts, Scope, Visible};
use crate::rules::{FileContext, PackageContext};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::path::Path;

/// What its importers see, what its own files see, and each file's imports.
pub(super) type Facts = (PackageFacts, PackageFacts, Vec<FileImports>);

impl PackageWork<'_> {
    /// The facts of the package's parsed files.
    pub(super) fn facts(&self, files: &[SourceFile]) -> Facts {
        package_facts(self.pkg, files, self.run.index, &self.visible)
    }

    /// The facts of a package a shard does not report but its share imports: its non-test files
    /// parsed, the bodies no rule needs emptied, not audited, not counted; with the taint
    /// summaries the full run would export for every function a needed body may call.
    pub(super) fn facts_only(&self) -> PackageFacts {
        let paths: Vec<(&Path, String)> = self
            .pkg
            .files
            .iter()
            .filter(|path| !crate::source::is_test_path(&path.to_string_lossy()))
            .map(|path| (path.as_path(), self.run.found.rel(path)))
            .collect();
        let empty = |name: &str| {
            self.emptied
                .binary_search_by(|e| e.as_str().cmp(name))
                .is_ok()
        };
        let files = crate::skeleton::load(&paths, empty);
        let (mut facts, own, imports) = self.facts(&files);
        if self.run.plan.taint {
            let scope = Scope {
                index: self.run.index,
                current: &own,
                visible: Some(&self.visible),
            };
            let contexts = files
                .iter()
                .zip(&imports)
                .filter_map(|(f, im)| Some(FileContext::with_index(f, f.root()?, &scope, im)));
            let cx = PackageContext::new(contexts.collect());
            if let Ok(Some(taint)) = guarded(|| {
                cx.taint();
                cx.taint_summaries().cloned()
            }) {
                facts.taint = taint;
                facts.taint_done = true;
            }
        }
        facts
    }
}

/// A package's facts (generated files included): what its importers see (its non-test files),
/// what its own files see (test files' declarations too), and each file's imports.
fn package_facts(pkg: &Package, files: &[SourceFile], index: &Index, visible: &Visible) -> Facts {
    let name_of = |path: &str| {
        index
            .package_seen(path, Some(visible))
            .map(|p| p.name.clone())
    };
    let per_file: Vec<(FileImports, PackageFacts)> = files
        .par_iter()
        .map(|f| match f.root() {
            Some(root) => {
                let imports = extract::file_imports(root, &f.text, &name_of);
                let facts = extract::file_facts(root, &f.text, &pkg.import_path, &imports);
                (imports, facts)
            }
            None => (FileImports::default(), PackageFacts::default()),
        })
        .collect();
    let (imports, per_file): (Vec<_>, Vec<_>) = per_file.into_iter().unzip();
    let is_test = SourceFile::is_test;
    let (mut code, mut tests) = (Vec::new(), Vec::new());
    for (file, facts) in files.iter().zip(per_file) {
        match is_test(file) {
            true => tests.push(facts),
            false => code.push(facts),
        }
    }
    let infer = crate::analysis::types::infer_package_vars;
    let mut exported = PackageFacts::of_files(&pkg.import_path, code);
    let code_files: Vec<usize> = (0..files.len()).filter(|&i| !is_test(&files[i])).collect();
    infer(files, &imports, &code_files, index, visible, &mut exported);
    let mut own = exported.clone();
    if !tests.is_empty() {
        own = own.with_tests(tests);
        let all: Vec<usize> = (0..files.len()).collect();
        infer(files, &imports, &all, index, visible, &mut own);
    }
    (exported, own, imports)
}
