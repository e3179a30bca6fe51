//! The facts of one package: what callers need to know of it without its syntax trees.

use super::ty::{Signature, Ty};
use crate::fxhash::HashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;

/// A declared type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TypeDecl {
    pub kind: TypeKind,
    /// Struct fields, embedded ones included (named after their type, `embedded` set).
    pub fields: Vec<Field>,
    /// Methods declared on the type (or listed in the interface), by name.
    pub methods: HashMap<String, Method>,
    /// Embedded types: struct embeddings and interfaces an interface embeds.
    pub embeds: Vec<Ty>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum TypeKind {
    #[default]
    Struct,
    Interface,
    /// `type A = B`.
    Alias(Ty),
    /// `type A B` for any other `B` (a slice, a map, a func, another named type).
    Defined(Ty),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub embedded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub sig: Arc<Signature>,
    /// Declared on `*T`.
    pub pointer: bool,
}

/// One package's facts: its exported and unexported API as seen from its declarations.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PackageFacts {
    /// The import path.
    pub path: String,
    /// The name in its `package` clause.
    pub name: String,
    pub funcs: HashMap<String, Arc<Signature>>,
    pub types: HashMap<String, TypeDecl>,
    /// Package-level variables and typed constants whose type is known.
    pub vars: HashMap<String, Ty>,
    /// Import paths its files import.
    pub imports: BTreeSet<String>,
    /// Taint summaries of its functions and methods (`Name`, `Type.Method`), for importers:
    /// filled after the package's rules ran, when a taint rule is enabled.
    pub taint: HashMap<String, TaintSummary>,
    /// `taint` was computed: a function missing from it passes no parameter to its result.
    pub taint_done: bool,
}

/// What a function does with the outside input its parameters may carry
/// (`analysis::taint`): which parameters reach the result, which reach a sink.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaintSummary {
    /// Per parameter, the sink classes (`analysis::taint::{COMMAND, PATH, URL}` bits) its
    /// taint still has when it reaches the result.
    pub returns: Vec<u8>,
    /// Parameters that reach a sink, without a check on the way.
    pub sinks: Vec<TaintSink>,
    /// Parameters the function checks, returning early when the check fails: a call of it
    /// whose error is checked validates those arguments.
    pub checks: Vec<usize>,
}

/// A parameter that reaches a sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaintSink {
    pub param: usize,
    /// The sink class (one bit).
    pub class: u8,
    /// "os.ReadFile at modules/util/path.go:42".
    pub sink: String,
    /// "through a shell (sh -c)", "as the program name", or empty.
    pub how: String,
    /// The parameter reaches the sink through this field of it (`opts.Dir`).
    pub field: Option<String>,
}

impl PackageFacts {
    pub fn new(path: &str, name: &str) -> PackageFacts {
        PackageFacts {
            path: path.to_string(),
            name: name.to_string(),
            ..PackageFacts::default()
        }
    }

    /// A package's facts from its files' facts. Files declaring another package than most do
    /// (a `//go:build ignore` generator's `package main`) are left out; test files are kept.
    pub fn of_files(path: &str, files: Vec<PackageFacts>) -> PackageFacts {
        let name = majority_name(files.iter().map(|f| f.name.as_str()));
        let mut facts = PackageFacts::new(path, &name);
        for f in files {
            if f.name == name || f.name.is_empty() || f.name.ends_with("_test") {
                facts.merge(f);
            }
        }
        facts
    }

    /// These facts with the test files' declarations added (those of the package itself and
    /// of its external `_test` package): what the package's own files see.
    pub fn with_tests(mut self, tests: Vec<PackageFacts>) -> PackageFacts {
        if self.name.is_empty() {
            // A folder of test files only.
            self.name = majority_name(tests.iter().map(|f| f.name.as_str()));
        }
        for f in tests {
            if f.name == self.name || f.name.is_empty() || f.name.ends_with("_test") {
                self.merge(f);
            }
        }
        self
    }

    /// Adds another file's facts. A second declaration of a name (`_linux.go` beside
    /// `_windows.go`) keeps the first, which sorted file order makes deterministic.
    pub fn merge(&mut self, other: PackageFacts) {
        let is_test = |n: &str| n.is_empty() || n.ends_with("_test");
        if is_test(&self.name) && !is_test(&other.name) {
            self.name = other.name.clone();
        }
        for (k, v) in other.funcs {
            self.funcs.entry(k).or_insert(v);
        }
        for (k, v) in other.vars {
            self.vars.entry(k).or_insert(v);
        }
        for (k, v) in other.types {
            match self.types.get_mut(&k) {
                None => {
                    self.types.insert(k, v);
                }
                Some(t) => {
                    for (m, s) in v.methods {
                        t.methods.entry(m).or_insert(s);
                    }
                    if t.fields.is_empty() && t.embeds.is_empty() {
                        t.fields = v.fields;
                        t.embeds = v.embeds;
                    }
                }
            }
        }
        self.imports.extend(other.imports);
        for (k, v) in other.taint {
            self.taint.entry(k).or_insert(v);
        }
    }

    /// The method `name` declared on type `ty` of this package.
    pub fn method(&self, ty: &str, name: &str) -> Option<&Method> {
        self.types.get(ty)?.methods.get(name)
    }

    /// The exported part, which is what a dependency's callers can see.
    pub fn exported(&self) -> PackageFacts {
        let up = |s: &String| s.starts_with(|c: char| c.is_uppercase());
        let mut out = PackageFacts::new(&self.path, &self.name);
        out.funcs = self
            .funcs
            .iter()
            .filter(|(k, _)| up(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        out.vars = self
            .vars
            .iter()
            .filter(|(k, _)| up(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Unexported types stay: exported functions return them and their exported methods count.
        out.types = self.types.clone();
        for t in out.types.values_mut() {
            t.methods.retain(|k, _| up(k));
        }
        out
    }
}

/// The name most non-test files declare (ties to the first in file order).
fn majority_name<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for n in names.filter(|n| !n.is_empty() && !n.ends_with("_test")) {
        match counts.iter_mut().find(|(m, _)| *m == n) {
            Some((_, c)) => *c += 1,
            None => counts.push((n, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, c)| *c == best)
        .map_or_else(String::new, |(n, _)| n.to_string())
}
