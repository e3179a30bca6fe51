//! A package's facts: what its importers see of it (its non-test files), what its own files
//! see (its test files' declarations too), each file's imports, and the local types of its
//! package-level variables; for a package a shard reads only for its facts, those alone, from
//! its skeleton.

use super::guard::{guarded, Crash, Stage};
use super::package::PackageWork;
use crate::index::extract::{self, FileImports};
use crate::index::{PackageFacts, Scope};
use crate::rules::{FileContext, PackageContext};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::path::Path;

/// What its importers see, what its own files see, and each file's imports.
pub(super) type Facts = (PackageFacts, PackageFacts, Vec<FileImports>);

impl PackageWork<'_> {
    /// The facts of the package's parsed files (generated files included): what its importers
    /// see (its non-test files), what its own files see (test files' declarations too), and
    /// each file's imports.
    pub(super) fn facts(&self, files: &[SourceFile]) -> Facts {
        let per_file: Vec<(FileImports, PackageFacts)> =
            files.par_iter().map(|f| self.file_facts(f)).collect();
        let (imports, per_file): (Vec<_>, Vec<_>) = per_file.into_iter().unzip();
        let is_test = SourceFile::is_test;
        let (mut code, mut tests) = (Vec::new(), Vec::new());
        for (file, facts) in files.iter().zip(per_file) {
            match is_test(file) {
                true => tests.push(facts),
                false => code.push(facts),
            }
        }
        let mut exported = PackageFacts::of_files(&self.pkg.import_path, code);
        let code_files: Vec<usize> = (0..files.len()).filter(|&i| !is_test(&files[i])).collect();
        self.infer_types(files, &imports, &code_files, &mut exported);
        let mut own = exported.clone();
        if !tests.is_empty() {
            own = own.with_tests(tests);
            let all: Vec<usize> = (0..files.len()).collect();
            self.infer_types(files, &imports, &all, &mut own);
        }
        (exported, own, imports)
    }

    /// One file's imports and facts (none for a file without a tree or whose extraction
    /// crashed).
    fn file_facts(&self, f: &SourceFile) -> (FileImports, PackageFacts) {
        let Some(root) = f.root() else {
            return Default::default();
        };
        let (index, visible) = (self.run.index, &self.visible);
        let name_of = |path: &str| {
            index
                .package_seen(path, Some(visible))
                .map(|p| p.name.clone())
        };
        let extracted = guarded(|| {
            self.run.faults.check(Stage::Facts, &f.rel);
            let imports = extract::file_imports(root, &f.text, &name_of);
            let facts = extract::file_facts(root, &f.text, &self.pkg.import_path, &imports);
            (imports, facts)
        });
        extracted.unwrap_or_else(|msg| {
            self.crash(Crash::file(f, Stage::Facts), &msg);
            Default::default()
        })
    }

    /// Infers the local types of the package-level variables of `files[which]` into `facts`.
    fn infer_types(
        &self,
        files: &[SourceFile],
        imports: &[FileImports],
        which: &[usize],
        facts: &mut PackageFacts,
    ) {
        let (index, visible) = (self.run.index, &self.visible);
        let inferred = guarded(|| {
            self.run.faults.check(Stage::Types, &self.pkg.import_path);
            crate::analysis::types::infer_package_vars(files, imports, which, index, visible, facts)
        });
        if let Err(msg) = inferred {
            self.package_crash(Stage::Types, &msg);
        }
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
        let loaded = guarded(|| {
            self.run.faults.check(Stage::Parse, &self.pkg.import_path);
            crate::skeleton::load(&paths, empty, self.run.req.overlay)
        });
        let files = loaded.unwrap_or_else(|msg| {
            self.package_crash(Stage::Parse, &msg);
            Vec::new()
        });
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
            match guarded(|| {
                cx.taint();
                cx.taint_summaries().cloned()
            }) {
                Ok(Some(taint)) => {
                    facts.taint = taint;
                    facts.taint_done = true;
                }
                Ok(None) => {}
                Err(msg) => self.package_crash(Stage::Facts, &msg),
            }
        }
        facts
    }
}
