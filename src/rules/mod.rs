//! The built-in rules and the one walk that runs them.
//!
//! A rule is one file `src/rules/<family>/<id>.rs` plus its catalogue entry `rules/<id>.toml`
//! and its fixtures in `testdata/<id>/`; `build.rs` registers it (docs/architecture.md). Rules that look at particular node kinds name them; the
//! engine walks each tree once and calls only the rules that asked for a node's kind (oxc's
//! bucketing). Rules that need the whole file get `check_file`; rules that need every file of a
//! package at once (function summaries across files) get `check_package`.

pub mod complexity;
pub mod deadlock;
pub mod errors;
pub mod fixes;
pub mod goroutine;
pub mod leak;
pub mod security;

use crate::analysis::concurrency::ConcurrencyFacts;
use crate::analysis::locks::{self, LockModel};
use crate::analysis::taint;
use crate::analysis::types::FileTypes;
use crate::catalogue::RuleId;
use crate::config::RuleSettings;
use crate::finding::{Fix, Severity};
use crate::fxhash::{HashMap, HashSet};
use crate::index::extract::FileImports;
use crate::index::Scope;
use crate::source::SourceFile;
use crate::tree::Node;
use complexity::metrics::FunctionMetrics;
use leak::flow::OwnFunction;
use std::cell::OnceCell;
use std::sync::OnceLock;

/// What a rule reports: a byte range of the file and a sentence; the engine makes the `Finding`.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub start_byte: usize,
    pub end_byte: usize,
    pub message: String,
    /// Raised above the configured severity (a function far over its threshold).
    pub severity: Option<Severity>,
    pub related: Vec<(usize, usize, String)>,
    pub fix: Option<Fix>,
    /// Figures behind the finding (`cyclomatic`, `threshold`, ...), copied to `Finding::metrics`.
    pub metrics: Vec<(&'static str, i64)>,
}

impl Diagnostic {
    pub fn at(node: Node, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            start_byte: node.start_byte(),
            end_byte: node.end_byte(),
            message: message.into(),
            severity: None,
            related: Vec::new(),
            fix: None,
            metrics: Vec::new(),
        }
    }

    /// A diagnostic from `node` to the end of its first line in `file` (a multi-line statement
    /// underlined on its first line only).
    pub fn on_first_line(
        node: Node,
        file: &crate::source::SourceFile,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::at(node, message);
        d.end_byte = file.line_end_byte(node.start_byte()).min(node.end_byte());
        d
    }

    /// A diagnostic over a byte range.
    pub fn at_range(start_byte: usize, end_byte: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            start_byte,
            end_byte,
            message: message.into(),
            severity: None,
            related: Vec::new(),
            fix: None,
            metrics: Vec::new(),
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = Some(severity);
        self
    }

    /// Records a figure behind the finding, for reports (`Finding::metrics`).
    pub fn with_metric(mut self, name: &'static str, value: i64) -> Diagnostic {
        self.metrics.push((name, value));
        self
    }
}

/// What a rule sees of the file's package: the module's `go` version and the package's
/// concurrency facts, computed on first use (once, for all rules and files).
pub struct PackageInfo<'a> {
    pub go_version: Option<(u32, u32)>,
    files: &'a [SourceFile],
    concurrency: OnceLock<ConcurrencyFacts>,
    inspected: OnceLock<HashSet<String>>,
}

impl<'a> PackageInfo<'a> {
    pub fn new(go_version: Option<(u32, u32)>, files: &'a [SourceFile]) -> PackageInfo<'a> {
        PackageInfo {
            go_version,
            files,
            concurrency: OnceLock::new(),
            inspected: OnceLock::new(),
        }
    }

    /// The package's files.
    pub fn files(&self) -> &'a [SourceFile] {
        self.files
    }

    /// The package's functions whose errors its code hands to `errors.Is` or `errors.As`
    /// (`analysis::inspected`), computed on first use.
    pub fn inspected_errors(&self) -> &HashSet<String> {
        self.inspected
            .get_or_init(|| crate::analysis::inspected::inspected_results(self.files))
    }

    /// The package's goroutines, locks and shared state (`analysis::concurrency`).
    pub fn concurrency(&self) -> &ConcurrencyFacts {
        self.concurrency
            .get_or_init(|| ConcurrencyFacts::of(self.files))
    }

    /// The package's top-level functions and methods named `name`, with their files: a call
    /// resolved by name, without types (every method of that name, whatever its receiver).
    pub fn declarations_named(&self, name: &str) -> Vec<(&'a SourceFile, Node<'a>)> {
        let k = crate::syntax::kinds::k();
        let mut out = Vec::new();
        for file in self.files {
            let Some(root) = file.root() else {
                continue;
            };
            let mut c = root.walk();
            for decl in root.named_children(&mut c) {
                let is_decl = decl.kind_id() == k.function_declaration
                    || decl.kind_id() == k.method_declaration;
                let named = decl
                    .child_by_field_id(k.f_name)
                    .is_some_and(|n| file.text.get(n.byte_range()) == Some(name));
                if is_decl && named {
                    out.push((file, decl));
                }
            }
        }
        out
    }
}

/// What a rule sees of one file: the file, its tree and, through `types()`, the index.
pub struct FileContext<'a> {
    pub file: &'a SourceFile,
    pub root: Node<'a>,
    metrics: OnceCell<Vec<FunctionMetrics>>,
    functions: OnceCell<Vec<OwnFunction<'a>>>,
    index: Option<(&'a Scope<'a>, &'a FileImports)>,
    types: OnceCell<Option<FileTypes<'a>>>,
    /// The file's package; `None` when a file is checked on its own.
    pub package: Option<&'a PackageInfo<'a>>,
    /// Where a rule's analysis stopped for its budget (`over_budget`).
    overruns: std::cell::RefCell<Vec<crate::budget::Overrun>>,
}

impl<'a> FileContext<'a> {
    /// A file seen alone, without package facts (`types()` answers `None`).
    pub fn new(file: &'a SourceFile, root: Node<'a>) -> FileContext<'a> {
        FileContext {
            file,
            root,
            metrics: OnceCell::new(),
            functions: OnceCell::new(),
            index: None,
            package: None,
            types: OnceCell::new(),
            overruns: Default::default(),
        }
    }

    /// A file of a package whose facts are in `scope` (its own package's and its imports').
    pub fn with_index(
        file: &'a SourceFile,
        root: Node<'a>,
        scope: &'a Scope<'a>,
        imports: &'a FileImports,
    ) -> FileContext<'a> {
        FileContext {
            index: Some((scope, imports)),
            ..FileContext::new(file, root)
        }
    }

    /// The file's local types and call resolution (built on first use, shared by all rules);
    /// `None` when the file is seen without its package.
    pub fn types(&self) -> Option<&FileTypes<'a>> {
        self.types
            .get_or_init(|| {
                self.index.map(|(scope, imports)| {
                    FileTypes::new(self.root, &self.file.text, scope, imports)
                })
            })
            .as_ref()
    }

    /// Records that a rule's analysis ran over its budget at `at` and skipped what `message`
    /// says; the engine reports it as an `analysis-budget` finding.
    pub fn over_budget(&self, at: Node, message: String) {
        self.overruns.borrow_mut().push(crate::budget::Overrun {
            byte: at.start_byte(),
            message,
        });
    }

    /// The overruns the rules recorded on this file, taken out.
    pub fn take_overruns(&self) -> Vec<crate::budget::Overrun> {
        std::mem::take(&mut self.overruns.borrow_mut())
    }

    /// The package facts and the index, when the file is seen with its package.
    pub fn scope(&self) -> Option<&'a Scope<'a>> {
        self.index.map(|(s, _)| s)
    }

    /// The context of a file of `package`.
    pub fn in_package(mut self, package: &'a PackageInfo<'a>) -> FileContext<'a> {
        self.package = Some(package);
        self
    }

    /// The module's `go` version, if its `go.mod` declares one.
    pub fn go_version(&self) -> Option<(u32, u32)> {
        self.package.and_then(|p| p.go_version)
    }

    /// Complexity figures of every function in the file, computed once for all rules.
    pub fn metrics(&self) -> &[FunctionMetrics] {
        self.metrics
            .get_or_init(|| complexity::metrics::file_metrics(self.root, &self.file.text))
    }

    /// Every function of the file in pre-order with the nodes of its own body (not of its
    /// nested literals), found in one walk shared by all rules.
    pub fn functions(&self) -> &[OwnFunction<'a>] {
        self.functions
            .get_or_init(|| leak::flow::own_functions(self.root))
    }

    pub fn text(&self, node: Node) -> &'a str {
        self.file.node_text(node)
    }

    /// `package main`, or a file under a `cmd/` folder: a command, run once per invocation,
    /// whose goroutines and open files end with the process.
    pub fn is_command(&self) -> bool {
        let rel = self.file.rel.as_str();
        rel.starts_with("cmd/")
            || rel.contains("/cmd/")
            || crate::tree::package_name(self.root, &self.file.text).as_deref() == Some("main")
    }

    /// A diagnostic on the first line of a function (from the position gocyclo reports).
    pub fn function_diagnostic(&self, m: &FunctionMetrics, message: String) -> Diagnostic {
        let start = self.file.byte_at(m.line, m.column);
        Diagnostic {
            start_byte: start,
            end_byte: self.file.line_end_byte(start),
            message,
            severity: None,
            related: Vec::new(),
            fix: None,
            metrics: Vec::new(),
        }
    }
}

/// What a rule sees of a whole package: every parsed file (generated ones too: callers need
/// their functions), and package facts computed once, on first use, for all rules.
///
/// This is the package-level hook: it runs once per package, after parsing and before the
/// per-file rules, while the package's trees are alive. Facts that several rules share belong
/// here as lazily computed fields, like `locks`.
pub struct PackageContext<'a> {
    pub files: Vec<FileContext<'a>>,
    locks: OnceCell<LockModel>,
    taint: OnceCell<(
        Vec<taint::TaintFlow>,
        HashMap<String, crate::index::TaintSummary>,
    )>,
    chan_fields: OnceCell<crate::fxhash::HashMap<&'a str, &'a str>>,
}

impl<'a> PackageContext<'a> {
    pub fn new(files: Vec<FileContext<'a>>) -> PackageContext<'a> {
        PackageContext {
            files,
            locks: OnceCell::new(),
            taint: OnceCell::new(),
            chan_fields: OnceCell::new(),
        }
    }

    /// The unexported channel fields of the package's structs, name → owning type (names
    /// declared twice left out), found once for the goroutine rules.
    pub fn chan_fields(&self) -> &crate::fxhash::HashMap<&'a str, &'a str> {
        self.chan_fields
            .get_or_init(|| crate::rules::goroutine::goroutine_blocked_receive::chan_fields(self))
    }

    /// Tainted values reaching command, path and URL sinks (`analysis::taint`), found once.
    pub fn taint(&self) -> &[taint::TaintFlow] {
        &self
            .taint
            .get_or_init(|| taint::analyse(&self.taint_units()))
            .0
    }

    /// What the taint analysis reads of each file.
    fn taint_units(&self) -> Vec<taint::Unit<'_, 'a>> {
        self.files
            .iter()
            .map(|cx| taint::Unit {
                file: cx.file,
                root: cx.root,
                types: cx.types(),
            })
            .collect()
    }

    /// The package's taint summaries for importers, if a rule asked for the flows.
    pub fn taint_summaries(&self) -> Option<&HashMap<String, crate::index::TaintSummary>> {
        self.taint.get().map(|t| &t.1)
    }

    /// The package's lock model (`analysis::locks`), built once for all rules.
    pub fn locks(&self) -> &LockModel {
        self.locks.get_or_init(|| {
            let srcs: Vec<locks::Src> = self
                .files
                .iter()
                .map(|f| locks::Src {
                    text: &f.file.text,
                    root: f.root,
                })
                .collect();
            locks::analyse(&srcs)
        })
    }
}

/// A diagnostic of a package-level rule, in file `file` of `PackageContext::files`.
#[derive(Debug, Clone)]
pub struct PackageDiagnostic {
    pub file: usize,
    pub diagnostic: Diagnostic,
}

/// The rule an engine implements, by its catalogue id; `build.rs` implements it for each engine
/// file, from the file's name (a test's own rules implement it by hand).
/// Whether a rule runs at its catalogue severity (not one the configuration set), so that it may
/// grade its findings around it; a severity the configuration sets applies to every finding.
pub fn at_catalogue_severity(id: &str, settings: &crate::config::RuleSettings) -> bool {
    crate::catalogue::catalogue()
        .get(id)
        .is_none_or(|m| m.severity() == settings.severity)
}

pub trait Identified {
    fn id(&self) -> &'static str;
}

/// A built-in rule's engine. Its id, category, severity, documentation and options live in the
/// catalogue (`rules/<id>.toml`); its file is `src/rules/<family>/<id>.rs`.
pub trait Rule: Identified + Sync {
    /// Node kinds this rule wants to see during the single walk of each tree.
    fn node_kinds(&self) -> &'static [&'static str] {
        &[]
    }

    fn check_node(
        &self,
        _node: Node,
        _cx: &FileContext,
        _settings: &RuleSettings,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    fn check_file(&self, _cx: &FileContext, _settings: &RuleSettings, _out: &mut Vec<Diagnostic>) {}

    /// Once per package, with all its files (see `PackageContext`).
    fn check_package(
        &self,
        _cx: &PackageContext,
        _settings: &RuleSettings,
        _out: &mut Vec<PackageDiagnostic>,
    ) {
    }

    /// Whether the rule reads `PackageContext::taint`: then the packages a shard parses only
    /// for their facts compute their taint summaries too.
    fn needs_taint(&self) -> bool {
        false
    }
}

// `engine(id)`: the exhaustive match from every `RuleId` to its engine, and each engine's
// `Identified`, generated by `build.rs` from the catalogue and the engine files.
include!(concat!(env!("OUT_DIR"), "/rule_registry.rs"));

/// Every built-in engine, in id order.
pub fn registry() -> &'static [&'static dyn Rule] {
    static REGISTRY: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    REGISTRY.get_or_init(|| RuleId::ALL.iter().filter_map(|&id| engine(id)).collect())
}

/// Rules whose findings the engine itself makes (no `Rule` impl): parse problems, panics,
/// budgets and suppression comments (`engine-made = true` in the catalogue).
pub fn engine_rules() -> impl Iterator<Item = RuleId> {
    RuleId::ALL.iter().copied().filter(|id| id.engine_made())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{RuleOptions, RuleSettings};
    use std::path::Path;

    /// The Go files of a rule's fixture folder, parsed.
    fn fixtures(id: &str) -> Vec<SourceFile> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(id);
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|x| x == "go") {
                let text = std::fs::read_to_string(&path).unwrap();
                let rel = path.display().to_string();
                files.push(SourceFile::parse(path, rel, text));
            }
        }
        files
    }

    /// A rule that reads the package's taint flows must say so (`needs_taint`): the packages a
    /// shard parses for their facts only compute taint summaries just for such rules, so a rule
    /// that forgot would see less in a sharded run, silently.
    #[test]
    fn rules_that_read_taint_declare_it() {
        for &rule in registry() {
            let files = fixtures(rule.id());
            let contexts: Vec<FileContext> = files
                .iter()
                .filter_map(|f| Some(FileContext::new(f, f.root()?)))
                .collect();
            let cx = PackageContext::new(contexts);
            let settings = RuleSettings {
                severity: Severity::High,
                options: RuleOptions::parse(RuleId::parse(rule.id()).unwrap(), toml::Table::new())
                    .unwrap(),
            };
            rule.check_package(&cx, &settings, &mut Vec::new());
            assert!(
                cx.taint.get().is_none() || rule.needs_taint(),
                "{} reads PackageContext::taint but its needs_taint() is false",
                rule.id()
            );
        }
    }
}
