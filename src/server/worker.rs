//! The audits, on a thread of their own so the editor is never kept waiting: edits arrive as
//! jobs, a burst of them is gathered for the debounce interval, and each module root with open
//! documents is audited with the buffers in place of the files on disk. An edit made while an
//! audit runs cancels it (`Request::cancel`), and its job starts the next one.

use super::convert::{self, Encoding, Lines};
use super::docs::{Doc, Docs, EditorPaths, Published, Root};
use crate::config::tools::{ToolFlags, ToolMode};
use crate::config::Overrides;
use crate::engine;
use crate::finding::Finding;
use crate::outcome::Outcome;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Message, Notification};
use lsp_types::{MessageType, PublishDiagnosticsParams, ShowMessageParams};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the worker is asked to do.
pub enum Job {
    /// Audit the open documents under this root.
    Audit(Root),
    /// Audit the open documents of every root (the config or the files on disk changed).
    All,
}

/// What the worker and the message loop share.
pub struct Shared {
    pub encoding: Encoding,
    pub docs: Mutex<Docs>,
    /// The cancel flag of the audit running, set when a document changes.
    running: Mutex<Arc<AtomicBool>>,
    /// The last message shown for each root, so a lasting problem is shown once.
    shown: Mutex<HashMap<PathBuf, String>>,
    pub sender: Sender<Message>,
}

impl Shared {
    pub fn new(encoding: Encoding, sender: Sender<Message>) -> Shared {
        Shared {
            encoding,
            docs: Mutex::default(),
            running: Mutex::default(),
            shown: Mutex::default(),
            sender,
        }
    }

    /// Stops the audit running, if any: its documents changed.
    pub fn cancel_running(&self) {
        lock(&self.running).store(true, Ordering::Relaxed);
    }

    /// Tells the editor something in a message window (`window/showMessage`).
    pub fn show(&self, typ: MessageType, message: String) {
        let params = ShowMessageParams { typ, message };
        self.notify("window/showMessage", params);
    }

    /// Shows `message` about `root` unless it is the last one shown about it.
    fn show_once(&self, root: &Root, typ: MessageType, message: String) {
        let mut shown = lock(&self.shown);
        if shown.get(&root.dir) != Some(&message) {
            shown.insert(root.dir.clone(), message.clone());
            drop(shown);
            self.show(typ, message);
        }
    }

    pub fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    /// Publishes `diagnostics` for the document `uri` at `version`.
    pub fn publish(
        &self,
        uri: lsp_types::Uri,
        version: Option<i32>,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify("textDocument/publishDiagnostics", params);
    }
}

/// Locks a mutex; a panic elsewhere while it was held leaves the data usable.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How audits are run.
pub struct Options {
    pub cache_dir: Option<PathBuf>,
    pub debounce: Duration,
}

/// Starts the worker thread; it ends when every sender of its jobs is dropped.
pub fn spawn(
    shared: Arc<Shared>,
    opts: Options,
) -> std::io::Result<(Sender<Job>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = crossbeam_channel::unbounded();
    let handle = std::thread::Builder::new()
        .name("goaudit-audits".to_string())
        .spawn(move || work(&shared, &opts, &rx))?;
    Ok((tx, handle))
}

/// The longest a steady stream of edits delays an audit.
const MAX_DELAY: Duration = Duration::from_secs(1);

fn work(shared: &Shared, opts: &Options, rx: &Receiver<Job>) {
    // Roots whose audit an edit elsewhere cancelled: audited again with the next batch (the
    // edit that cancelled them queued a job, so one comes).
    let mut carried = BTreeSet::new();
    while let Ok(first) = rx.recv() {
        let mut all = false;
        let mut roots = std::mem::take(&mut carried);
        let mut take = |job: Job| match job {
            Job::Audit(root) => {
                roots.insert(root);
            }
            Job::All => all = true,
        };
        take(first);
        let started = Instant::now();
        loop {
            let wait = opts
                .debounce
                .min(MAX_DELAY.saturating_sub(started.elapsed()));
            match rx.recv_timeout(wait) {
                Ok(job) => take(job),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if all {
            let mut docs = lock(&shared.docs);
            docs.refresh_roots();
            roots.extend(docs.roots());
        }
        for root in roots {
            if !audit_guarded(shared, opts, &root) {
                carried.insert(root);
            }
        }
    }
}

/// Audits one root; a panic is shown to the user and the worker goes on. False when an edit
/// cancelled the audit.
fn audit_guarded(shared: &Shared, opts: &Options, root: &Root) -> bool {
    let run = std::panic::AssertUnwindSafe(|| audit_root(shared, opts, root));
    let panic = match std::panic::catch_unwind(run) {
        Ok(done) => return done,
        Err(panic) => panic,
    };
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    let message = format!(
        "goaudit: internal error auditing {}: {what}",
        root.dir.display()
    );
    shared.show(MessageType::ERROR, message);
    true
}

/// Audits the open documents under `root` and publishes their diagnostics; false when an edit
/// cancelled the audit.
fn audit_root(shared: &Shared, opts: &Options, root: &Root) -> bool {
    let cancel = Arc::new(AtomicBool::new(false));
    *lock(&shared.running) = cancel.clone();
    let docs = lock(&shared.docs).under(root);
    if docs.is_empty() {
        return true;
    }
    // A folder gone is reported by the audit's error, not as a folder outside any module.
    if !root.module && root.dir.is_dir() {
        let message = format!(
            "goaudit: {} is in no Go module (no go.mod or go.work above it): its folder is audited alone, without the facts of the packages it imports",
            docs[0].path.display()
        );
        shared.show_once(root, MessageType::WARNING, message);
    }
    match audit(opts, root, &docs, &cancel) {
        _ if cancel.load(Ordering::Relaxed) => return false,
        Ok(outcome) => {
            if root.module {
                lock(&shared.shown).remove(&root.dir);
            }
            publish(shared, &docs, &outcome);
        }
        Err(e) => {
            let message = format!("goaudit: cannot audit {}: {e:#}", docs[0].path.display());
            shared.show_once(root, MessageType::ERROR, message);
            for doc in &docs {
                shared.publish(doc.uri.clone(), Some(doc.version), Vec::new());
            }
        }
    }
    true
}

/// The settings an audit from `root` reads (its `goaudit.toml`), with the external tools off:
/// they read the files on disk, not the editor's buffers.
fn settings(root: &Root) -> anyhow::Result<crate::config::Settings> {
    let overrides = Overrides {
        tools: ToolFlags {
            go_vet: Some(ToolMode::Off),
            staticcheck: Some(ToolMode::Off),
            govulncheck: Some(ToolMode::Off),
            ..ToolFlags::default()
        },
        ..Overrides::default()
    };
    crate::config::resolve(&root.dir, &overrides)
}

/// Runs the engine on the packages of `docs`, their buffers in place of their files.
fn audit(
    opts: &Options,
    root: &Root,
    docs: &[Doc],
    cancel: &AtomicBool,
) -> anyhow::Result<Outcome> {
    let settings = settings(root)?;
    let mut overlay = crate::source::Overlay::default();
    for doc in docs {
        overlay.insert(doc.path.clone(), doc.text.to_string());
    }
    let mut focus: Vec<PathBuf> = docs
        .iter()
        .filter_map(|d| d.path.parent().map(Path::to_path_buf))
        .collect();
    focus.dedup();
    let patterns = root.patterns();
    let mut req = engine::Request::new(&patterns, &settings);
    req.deps = true;
    req.cache_dir = opts.cache_dir.clone();
    req.overlay = Some(&overlay);
    req.focus = Some(&focus);
    req.cancel = Some(cancel);
    engine::run(&req)
}

/// Publishes each document's findings, for those still open at the version audited.
fn publish(shared: &Shared, docs: &[Doc], outcome: &Outcome) {
    let report_root = PathBuf::from(&outcome.summary.root);
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &outcome.findings {
        by_file.entry(f.location.file.as_str()).or_default().push(f);
    }
    let texts: HashMap<PathBuf, Arc<str>> = docs
        .iter()
        .map(|d| (d.path.clone(), d.text.clone()))
        .collect();
    let names = EditorPaths::of(docs);
    let mut open = lock(&shared.docs);
    for doc in docs {
        if !open.is_current(doc) {
            continue;
        }
        let rel = crate::discover::rel_path(&report_root, &doc.path);
        let findings: Vec<Finding> = by_file
            .get(rel.as_str())
            .map(|fs| fs.iter().map(|f| (*f).clone()).collect())
            .unwrap_or_default();
        let lines = Lines::new(&doc.text);
        let related = |loc: &crate::finding::Location| {
            let path = report_root.join(&loc.file);
            let text = text_of(&path, &texts, shared.encoding);
            let range = match text.is_empty() {
                true => raw_range(loc),
                false => Lines::new(&text).range(loc, shared.encoding),
            };
            Some(lsp_types::Location {
                uri: names.uri(&path)?,
                range,
            })
        };
        let diagnostics: Vec<_> = findings
            .iter()
            .map(|f| convert::diagnostic(f, &lines, shared.encoding, &related))
            .collect();
        shared.publish(doc.uri.clone(), Some(doc.version), diagnostics.clone());
        let published = Published {
            version: doc.version,
            text: doc.text.clone(),
            findings,
            diagnostics,
        };
        open.published.insert(doc.uri.clone(), published);
    }
}

/// The text a related location in the file `path` is placed in: an open document's, else the
/// file on disk (read only when the client counts in UTF-16; empty when it need not be read).
fn text_of(path: &Path, texts: &HashMap<PathBuf, Arc<str>>, enc: Encoding) -> Arc<str> {
    match texts.get(path) {
        Some(t) => t.clone(),
        None if enc == Encoding::Utf8 => Arc::from(""),
        None => Arc::from(crate::source::read_text(path).unwrap_or_default()),
    }
}

/// A span's range as its bytes count, for a text not read (UTF-8 positions need none).
fn raw_range(loc: &crate::finding::Location) -> lsp_types::Range {
    let pos = |p: crate::finding::Position| {
        lsp_types::Position::new(
            p.line.saturating_sub(1) as u32,
            p.column.saturating_sub(1) as u32,
        )
    };
    lsp_types::Range::new(pos(loc.start), pos(loc.end))
}
