//! `goaudit server`: a Language Server Protocol server on standard input and output.
//!
//! The message loop (this file) keeps the open documents (`docs`) and answers requests; the
//! audits run on a worker thread (`worker`): a document opened, changed or saved queues an
//! audit of its module root, in which the open documents' packages are reported with their
//! buffers in place of the files on disk, the packages they import read for their facts (from
//! the result cache when it has them) and the rest left alone, so a file shows what
//! `goaudit audit ./...` shows for it. Findings become diagnostics (`convert`); their fixes and
//! a `//nolint` comment are offered as code actions (`actions`). The config is read afresh for
//! each audit, and a change to `goaudit.toml`, `go.mod` or `go.work` the client reports
//! (or a save of one it has open) audits every open document again.

mod actions;
mod convert;
mod docs;
mod worker;

use anyhow::{Context, Result};
use docs::{Doc, Root};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    InitializeParams, MessageType, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use worker::{lock, Job, Shared};

pub use worker::Options;

/// Serves one client on standard input and output until it says `shutdown` and `exit` (exit
/// code 0) or leaves without `shutdown` (1).
pub fn run(opts: Options) -> Result<i32> {
    let (connection, io_threads) = Connection::stdio();
    let code = serve(&connection, opts)?;
    drop(connection);
    io_threads.join().context("the client's connection")?;
    Ok(code)
}

fn serve(conn: &Connection, opts: Options) -> Result<i32> {
    let (id, params) = conn
        .initialize_start()
        .context("waiting for the client's `initialize`")?;
    let params: InitializeParams =
        serde_json::from_value(params).context("the client's `initialize` parameters")?;
    let encoding = convert::Encoding::negotiate(&params.capabilities);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": {"name": "goaudit", "version": crate::catalogue::VERSION},
    });
    conn.initialize_finish(id, result)
        .context("finishing `initialize`")?;
    let shared = Arc::new(Shared::new(encoding, conn.sender.clone()));
    let (jobs, handle) = worker::spawn(shared.clone(), opts)?;
    if watches_files(&params) {
        watch_config_files(conn);
    }
    let server = Server { shared, jobs };
    let code = server.serve(conn);
    drop(server);
    let _ = handle.join();
    Ok(code)
}

/// What the server offers: full text sync with saves, quick fixes, positions in `encoding`.
fn capabilities(encoding: convert::Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// Whether the client lets the server register file watchers.
fn watches_files(params: &InitializeParams) -> bool {
    let watched = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref());
    watched.is_some_and(|w| w.dynamic_registration == Some(true))
}

/// The files whose change changes every audit: the config, `go.mod` and `go.work`.
const WATCHED: [&str; 3] = ["goaudit.toml", "go.mod", "go.work"];

/// Asks the client to report changes to the config and module files.
fn watch_config_files(conn: &Connection) {
    let watchers = WATCHED
        .iter()
        .map(|name| FileSystemWatcher {
            glob_pattern: GlobPattern::String(format!("**/{name}")),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: "goaudit-watch".to_string(),
        method: lsp_types::notification::DidChangeWatchedFiles::METHOD.to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    let params = RegistrationParams {
        registrations: vec![registration],
    };
    let request = Request::new(
        "goaudit-register".to_string().into(),
        lsp_types::request::RegisterCapability::METHOD.to_string(),
        params,
    );
    let _ = conn.sender.send(request.into());
}

/// The message loop's state: the documents (shared with the worker) and the worker's queue.
struct Server {
    shared: Arc<Shared>,
    jobs: crossbeam_channel::Sender<Job>,
}

impl Server {
    fn serve(&self, conn: &Connection) -> i32 {
        for msg in &conn.receiver {
            match msg {
                Message::Request(req) if req.method == "shutdown" => {
                    let _ = self.shared.sender.send(Response::new_ok(req.id, ()).into());
                    return self.after_shutdown(conn);
                }
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == "exit" => return 1,
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        }
        1
    }

    /// After `shutdown`: waits for `exit` (exit code 0), refusing requests and dropping
    /// notifications meanwhile; a client that leaves without `exit` gets 1.
    fn after_shutdown(&self, conn: &Connection) -> i32 {
        for msg in &conn.receiver {
            match msg {
                Message::Notification(n) if n.method == "exit" => return 0,
                Message::Request(req) => {
                    let message = "the server is shutting down".to_string();
                    let refusal =
                        Response::new_err(req.id, ErrorCode::InvalidRequest as i32, message);
                    let _ = self.shared.sender.send(refusal.into());
                }
                Message::Notification(_) | Message::Response(_) => {}
            }
        }
        1
    }

    fn request(&self, req: Request) {
        let response = match req.method.as_str() {
            lsp_types::request::CodeActionRequest::METHOD => {
                match serde_json::from_value::<CodeActionParams>(req.params) {
                    Ok(params) => {
                        Response::new_ok(req.id, actions::code_actions(&self.shared, &params))
                    }
                    Err(e) => invalid(req.id, &e),
                }
            }
            _ => Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("goaudit server does not handle {}", req.method),
            ),
        };
        let _ = self.shared.sender.send(response.into());
    }

    fn notification(&self, n: Notification) {
        use lsp_types::notification as note;
        let result = match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => self.parsed(n, Self::opened),
            note::DidChangeTextDocument::METHOD => self.parsed(n, Self::changed),
            note::DidSaveTextDocument::METHOD => self.parsed(n, Self::saved),
            note::DidCloseTextDocument::METHOD => self.parsed(n, Self::closed),
            note::DidChangeWatchedFiles::METHOD => self.parsed(n, Self::files_changed),
            note::DidChangeWorkspaceFolders::METHOD | note::DidChangeConfiguration::METHOD => {
                self.queue(Job::All);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            let message = format!("goaudit: ignored a notification the server cannot read: {e}");
            self.shared.show(MessageType::WARNING, message);
        }
    }

    /// Reads a notification's parameters and hands them to `handle`.
    fn parsed<P: serde::de::DeserializeOwned>(
        &self,
        n: Notification,
        handle: fn(&Self, P),
    ) -> Result<(), String> {
        let method = n.method.clone();
        let params = n
            .extract::<P>(&method)
            .map_err(|e| format!("{method}: {e:?}"))?;
        handle(self, params);
        Ok(())
    }

    fn queue(&self, job: Job) {
        let _ = self.jobs.send(job);
    }

    fn opened(&self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        if doc.language_id != "go" && !doc.uri.as_str().ends_with(".go") {
            return;
        }
        self.set(doc.uri, doc.version, doc.text.into());
    }

    fn changed(&self, p: DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(old) = lock(&self.shared.docs)
            .open
            .get(&uri)
            .map(|d| d.text.clone())
        else {
            return;
        };
        let mut text = old.to_string();
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    let lines = convert::Lines::new(&text);
                    let start = lines.byte_of(range.start, self.shared.encoding);
                    let end = lines.byte_of(range.end, self.shared.encoding).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
        }
        self.set(uri, p.text_document.version, text.into());
    }

    /// Keeps the document's new text and version and queues an audit of its root, cancelling
    /// the one running.
    fn set(&self, uri: lsp_types::Uri, version: i32, text: Arc<str>) {
        let Some(path) = docs::path_of(&uri) else {
            return;
        };
        let path = crate::source::canonical_file(&path).unwrap_or(path);
        let root = Root::of(&path);
        let doc = Doc {
            uri: uri.clone(),
            path,
            version,
            text,
            root: root.clone(),
        };
        lock(&self.shared.docs).open.insert(uri, doc);
        self.shared.cancel_running();
        self.queue(Job::Audit(root));
    }

    fn saved(&self, p: DidSaveTextDocumentParams) {
        let root = lock(&self.shared.docs)
            .open
            .get(&p.text_document.uri)
            .map(|d| d.root.clone());
        let name = docs::path_of(&p.text_document.uri)
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        match root {
            Some(root) => self.queue(Job::Audit(root)),
            None if name.is_some_and(|n| WATCHED.contains(&n.as_str())) => self.queue(Job::All),
            None => {}
        }
    }

    fn closed(&self, p: DidCloseTextDocumentParams) {
        let uri = p.text_document.uri;
        let removed = {
            let mut docs = lock(&self.shared.docs);
            docs.published.remove(&uri);
            docs.open.remove(&uri)
        };
        if let Some(doc) = removed {
            self.shared.publish(uri, None, Vec::new());
            // Its buffer no longer stands in for the file: the others may see other facts.
            self.queue(Job::Audit(doc.root));
        }
    }

    fn files_changed(&self, p: DidChangeWatchedFilesParams) {
        let relevant = p.changes.iter().any(|c| {
            let path = docs::path_of(&c.uri).unwrap_or_default();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| WATCHED.contains(&n.as_str()) || n.ends_with(".go"))
        });
        if relevant {
            self.queue(Job::All);
        }
    }
}

fn invalid(id: lsp_server::RequestId, e: &serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string())
}

/// The worker's options from the command line's.
pub fn options(cache_dir: Option<PathBuf>, no_cache: bool, debounce_ms: u64) -> Options {
    Options {
        cache_dir: match no_cache {
            true => None,
            false => cache_dir.or_else(crate::cache::default_dir),
        },
        debounce: Duration::from_millis(debounce_ms),
    }
}
