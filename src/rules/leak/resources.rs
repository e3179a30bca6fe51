//! Which calls acquire a resource, and how it is released: the one place the leak rules ask
//! "what does this call return?". Without a type checker the answer is syntactic: package
//! functions through the file's import aliases (`sql.Open` where `sql` names "database/sql"),
//! methods through receiver types visible in the file (a parameter, receiver, variable or struct
//! field declared `*sql.DB`, a variable assigned from `sql.Open`, `http.DefaultClient`), and, for
//! the database and HTTP client methods, the receiver's name when its type is out of sight
//! (`pgxPool.Query`, `s.client.Do`). When the module index lands, `acquisition` asks it instead.

use crate::analysis::{is_function, kinds, Kinds};
use crate::finding::Severity;
use crate::fxhash::HashMap;
use crate::tree::preorder;
use crate::tree::Node;

/// What was acquired; decides the release, the wording and the severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Db,
    Tx,
    Rows,
    Stmt,
    SqlConn,
    File,
    Conn,
    Listener,
    Response,
    Server,
    Ticker,
    Timer,
    Cancel,
    /// A project's own constructor from the `acquire` option (index into `Custom::entries`).
    Custom(u16),
}

impl Kind {
    pub fn severity(self) -> Severity {
        match self {
            Kind::Db | Kind::Tx => Severity::Critical,
            Kind::Ticker | Kind::Timer | Kind::Cancel => Severity::Medium,
            _ => Severity::High,
        }
    }

    /// Methods that release the resource (on the variable, or on `.Body` for a response).
    pub fn release_methods(self) -> &'static [&'static str] {
        match self {
            Kind::Tx => &["Rollback", "Commit"],
            Kind::Ticker | Kind::Timer => &["Stop"],
            Kind::Cancel => &[],
            _ => &["Close"],
        }
    }

    /// "opened", "begun", ...: how the message says the resource came to be.
    pub fn verb(self) -> &'static str {
        match self {
            Kind::Db | Kind::File | Kind::Listener => "opened",
            Kind::Tx => "begun",
            Kind::Rows => "returned",
            Kind::Stmt => "prepared",
            Kind::SqlConn | Kind::Conn => "opened",
            Kind::Response => "received",
            Kind::Server => "started",
            Kind::Ticker | Kind::Timer | Kind::Cancel | Kind::Custom(_) => "created",
        }
    }

    /// "closed", "committed or rolled back", ...
    pub fn released(self) -> &'static str {
        match self {
            Kind::Tx => "committed or rolled back",
            Kind::Ticker | Kind::Timer => "stopped",
            Kind::Cancel => "called",
            _ => "closed",
        }
    }
}

/// A type named in the file, resolved through the imports: ("database/sql", "DB").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ty {
    pub path: String,
    pub name: String,
}

impl Ty {
    fn new(path: &str, name: &str) -> Ty {
        Ty {
            path: path.to_string(),
            name: name.to_string(),
        }
    }
}

/// One acquiring call.
#[derive(Debug, Clone)]
pub struct Acquisition {
    pub kind: Kind,
    /// Which result is the resource (1 for a context's cancel function).
    pub result: usize,
    /// Which result is the error, if the call returns one.
    pub err: Option<usize>,
    /// The resource's type, for method calls on it later (`tx.QueryContext`).
    pub ty: Option<Ty>,
}

const SQL: &str = "database/sql";
const SQLX: &str = "github.com/jmoiron/sqlx";
const HTTP: &str = "net/http";

/// Package functions that acquire: (import path, function, kind, result type). `time.NewTimer`
/// is not here: since Go 1.23 an unstopped, unreferenced timer is garbage collected, and a
/// timer that fired needs no `Stop` (add `"time.NewTimer:Stop"` to `acquire` for older code).
const FUNCS: &[(&str, &str, Kind, &str)] = &[
    (SQL, "Open", Kind::Db, "DB"),
    (SQL, "OpenDB", Kind::Db, "DB"),
    (SQLX, "Open", Kind::Db, "DB"),
    (SQLX, "Connect", Kind::Db, "DB"),
    (SQLX, "ConnectContext", Kind::Db, "DB"),
    (SQLX, "MustOpen", Kind::Db, "DB"),
    (SQLX, "MustConnect", Kind::Db, "DB"),
    ("os", "Open", Kind::File, "File"),
    ("os", "Create", Kind::File, "File"),
    ("os", "OpenFile", Kind::File, "File"),
    ("os", "CreateTemp", Kind::File, "File"),
    ("os", "OpenRoot", Kind::File, "Root"),
    ("io/ioutil", "TempFile", Kind::File, "File"),
    ("archive/zip", "OpenReader", Kind::File, "ReadCloser"),
    ("net", "Dial", Kind::Conn, "Conn"),
    ("net", "DialTimeout", Kind::Conn, "Conn"),
    ("net", "DialTCP", Kind::Conn, "TCPConn"),
    ("net", "DialUDP", Kind::Conn, "UDPConn"),
    ("net", "DialUnix", Kind::Conn, "UnixConn"),
    ("net", "DialIP", Kind::Conn, "IPConn"),
    ("net", "ListenUDP", Kind::Conn, "UDPConn"),
    ("net", "ListenPacket", Kind::Conn, "PacketConn"),
    ("net", "ListenUnixgram", Kind::Conn, "UnixConn"),
    ("net", "Listen", Kind::Listener, "Listener"),
    ("net", "ListenTCP", Kind::Listener, "TCPListener"),
    ("net", "ListenUnix", Kind::Listener, "UnixListener"),
    ("crypto/tls", "Dial", Kind::Conn, "Conn"),
    ("crypto/tls", "DialWithDialer", Kind::Conn, "Conn"),
    ("crypto/tls", "Listen", Kind::Listener, "Listener"),
    (HTTP, "Get", Kind::Response, "Response"),
    (HTTP, "Post", Kind::Response, "Response"),
    (HTTP, "Head", Kind::Response, "Response"),
    (HTTP, "PostForm", Kind::Response, "Response"),
    ("net/http/httptest", "NewServer", Kind::Server, "Server"),
    ("net/http/httptest", "NewTLSServer", Kind::Server, "Server"),
    ("time", "NewTicker", Kind::Ticker, "Ticker"),
    ("context", "WithCancel", Kind::Cancel, ""),
    ("context", "WithCancelCause", Kind::Cancel, ""),
    ("context", "WithTimeout", Kind::Cancel, ""),
    ("context", "WithTimeoutCause", Kind::Cancel, ""),
    ("context", "WithDeadline", Kind::Cancel, ""),
    ("context", "WithDeadlineCause", Kind::Cancel, ""),
    ("os/signal", "NotifyContext", Kind::Cancel, ""),
];

/// Methods that acquire, by receiver type: (path, type, method, kind, result type). A
/// statement prepared in a transaction is closed with it, so `(*sql.Tx).Prepare` is not here.
const METHODS: &[(&str, &str, &str, Kind, &str)] = &[
    (SQL, "DB", "Query", Kind::Rows, "Rows"),
    (SQL, "DB", "QueryContext", Kind::Rows, "Rows"),
    (SQL, "DB", "Prepare", Kind::Stmt, "Stmt"),
    (SQL, "DB", "PrepareContext", Kind::Stmt, "Stmt"),
    (SQL, "DB", "Begin", Kind::Tx, "Tx"),
    (SQL, "DB", "BeginTx", Kind::Tx, "Tx"),
    (SQL, "DB", "Conn", Kind::SqlConn, "Conn"),
    (SQL, "Tx", "Query", Kind::Rows, "Rows"),
    (SQL, "Tx", "QueryContext", Kind::Rows, "Rows"),
    (SQL, "Conn", "QueryContext", Kind::Rows, "Rows"),
    (SQL, "Conn", "PrepareContext", Kind::Stmt, "Stmt"),
    (SQL, "Conn", "BeginTx", Kind::Tx, "Tx"),
    (SQL, "Stmt", "Query", Kind::Rows, "Rows"),
    (SQL, "Stmt", "QueryContext", Kind::Rows, "Rows"),
    (SQLX, "DB", "Queryx", Kind::Rows, "Rows"),
    (SQLX, "DB", "QueryxContext", Kind::Rows, "Rows"),
    (SQLX, "DB", "NamedQuery", Kind::Rows, "Rows"),
    (SQLX, "DB", "Query", Kind::Rows, "Rows"),
    (SQLX, "DB", "QueryContext", Kind::Rows, "Rows"),
    (SQLX, "DB", "Preparex", Kind::Stmt, "Stmt"),
    (SQLX, "DB", "PrepareNamed", Kind::Stmt, "NamedStmt"),
    (SQLX, "DB", "Beginx", Kind::Tx, "Tx"),
    (SQLX, "DB", "BeginTxx", Kind::Tx, "Tx"),
    (SQLX, "DB", "MustBegin", Kind::Tx, "Tx"),
    (SQLX, "DB", "Begin", Kind::Tx, "Tx"),
    (SQLX, "DB", "BeginTx", Kind::Tx, "Tx"),
    (SQLX, "Tx", "Queryx", Kind::Rows, "Rows"),
    (SQLX, "Tx", "QueryxContext", Kind::Rows, "Rows"),
    (HTTP, "Client", "Do", Kind::Response, "Response"),
    (HTTP, "Client", "Get", Kind::Response, "Response"),
    (HTTP, "Client", "Post", Kind::Response, "Response"),
    (HTTP, "Client", "Head", Kind::Response, "Response"),
    (HTTP, "Client", "PostForm", Kind::Response, "Response"),
    (HTTP, "Transport", "RoundTrip", Kind::Response, "Response"),
    (
        HTTP,
        "RoundTripper",
        "RoundTrip",
        Kind::Response,
        "Response",
    ),
    ("net", "Dialer", "Dial", Kind::Conn, "Conn"),
    ("net", "Dialer", "DialContext", Kind::Conn, "Conn"),
    ("net", "ListenConfig", "Listen", Kind::Listener, "Listener"),
    (
        "net",
        "ListenConfig",
        "ListenPacket",
        Kind::Conn,
        "PacketConn",
    ),
    ("crypto/tls", "Dialer", "DialContext", Kind::Conn, "Conn"),
];

/// Database methods recognised by the receiver's name when its type is out of sight, with the
/// number of arguments database/sql, sqlx and pgx give them (`None`: any).
const SQL_BY_NAME: &[(&str, Kind, Option<usize>)] = &[
    ("Query", Kind::Rows, None),
    ("QueryContext", Kind::Rows, None),
    ("Queryx", Kind::Rows, None),
    ("QueryxContext", Kind::Rows, None),
    ("NamedQuery", Kind::Rows, Some(2)),
    ("NamedQueryContext", Kind::Rows, Some(3)),
    ("Prepare", Kind::Stmt, Some(1)),
    ("PrepareContext", Kind::Stmt, Some(2)),
    ("Preparex", Kind::Stmt, Some(1)),
    ("PreparexContext", Kind::Stmt, Some(2)),
    ("PrepareNamed", Kind::Stmt, Some(1)),
    ("PrepareNamedContext", Kind::Stmt, Some(2)),
    ("BeginTx", Kind::Tx, Some(2)),
    ("Beginx", Kind::Tx, Some(0)),
    ("BeginTxx", Kind::Tx, Some(2)),
];

/// Types whose values are resources, for local functions that return one.
const RESOURCE_TYPES: &[(&str, &str, Kind)] = &[
    (HTTP, "Response", Kind::Response),
    (SQL, "DB", Kind::Db),
    (SQL, "Rows", Kind::Rows),
    (SQL, "Tx", Kind::Tx),
    (SQL, "Stmt", Kind::Stmt),
    ("os", "File", Kind::File),
    ("net", "Conn", Kind::Conn),
    ("net", "Listener", Kind::Listener),
    ("time", "Ticker", Kind::Ticker),
];

/// Standard-library functions that take ownership of what they are given (a listener served
/// until closed, a connection wrapped by a closer).
const TAKES_OVER: &[(&str, &str)] = &[
    (HTTP, "Serve"),
    (HTTP, "ServeTLS"),
    ("crypto/tls", "Client"),
    ("crypto/tls", "Server"),
    ("crypto/tls", "NewListener"),
    ("net/http/httputil", "NewClientConn"),
    ("net/http/httputil", "NewServerConn"),
    ("net/textproto", "NewConn"),
    ("net/smtp", "NewClient"),
    ("net/rpc", "NewClient"),
    ("net/rpc", "ServeConn"),
    ("net/rpc/jsonrpc", "NewClient"),
    ("net/rpc/jsonrpc", "ServeConn"),
    ("net/http/fcgi", "Serve"),
    ("golang.org/x/net/netutil", "LimitListener"),
    ("runtime", "SetFinalizer"),
    ("runtime", "AddCleanup"),
    ("io", "NopCloser"),
    ("io", "MultiReader"),
];

/// Project constructors from the `acquire` option: `"example.com/store.Open"` or
/// `"example.com/store.Pool.Acquire:Release"` (release method after the colon, `Close` if none).
#[derive(Debug, Default, Clone)]
pub struct Custom {
    pub entries: Vec<CustomEntry>,
}

#[derive(Debug, Clone)]
pub struct CustomEntry {
    pub path: String,
    pub ty: Option<String>,
    pub func: String,
    pub release: String,
}

impl Custom {
    pub fn parse(specs: &[&str]) -> Custom {
        let entries = specs
            .iter()
            .filter_map(|spec| {
                let (target, release) = spec.split_once(':').unwrap_or((spec, "Close"));
                let slash = target.rfind('/').map_or(0, |i| i + 1);
                let (path_end, rest) = match target[slash..].find('.') {
                    Some(dot) => (slash + dot, &target[slash + dot + 1..]),
                    None => return None,
                };
                let (ty, func) = match rest.split_once('.') {
                    Some((t, f)) => (Some(t.to_string()), f),
                    None => (None, rest),
                };
                Some(CustomEntry {
                    path: target[..path_end].to_string(),
                    ty,
                    func: func.to_string(),
                    release: release.to_string(),
                })
            })
            .collect();
        Custom { entries }
    }

    pub fn release(&self, kind: Kind) -> Option<&str> {
        match kind {
            Kind::Custom(i) => self.entries.get(usize::from(i)).map(|e| e.release.as_str()),
            _ => None,
        }
    }
}

/// What the leak rules know about one file: imports, package-level variables and struct fields
/// declared here, top-level functions, and local functions that hand out a fresh resource.
pub struct FileFacts<'t> {
    pub text: &'t str,
    pub k: &'static Kinds,
    /// Import alias (or last path element) to import path.
    pub imports: HashMap<&'t str, &'t str>,
    pub globals: HashMap<&'t str, Option<Ty>>,
    pub fields: HashMap<&'t str, Ty>,
    pub funcs: HashMap<&'t str, Node<'t>>,
    /// Local functions returning a resource they acquired (`func openResponse() (*http.Response, error)`).
    pub acquirers: HashMap<&'t str, (Kind, bool)>,
    pub custom: Custom,
}

impl<'t> FileFacts<'t> {
    pub fn new(root: Node<'t>, text: &'t str, custom: Custom) -> FileFacts<'t> {
        let mut facts = FileFacts {
            text,
            k: kinds(),
            imports: HashMap::default(),
            globals: HashMap::default(),
            fields: HashMap::default(),
            funcs: HashMap::default(),
            acquirers: HashMap::default(),
            custom,
        };
        facts.scan_top_level(root);
        facts.find_acquirers();
        facts
    }

    pub fn text(&self, n: Node) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    fn scan_top_level(&mut self, root: Node<'t>) {
        let k = self.k;
        let mut c = root.walk();
        let decls: Vec<Node<'t>> = root.named_children(&mut c).collect();
        for d in decls {
            let kind = d.kind_id();
            if kind == k.function_declaration {
                if let Some(name) = d.child_by_field_id(k.f_name) {
                    self.funcs.insert(self.text(name), d);
                }
            } else if kind != k.method_declaration {
                self.scan_declaration(d);
            }
        }
    }

    /// Imports, package-level `var`s and struct fields (type declarations nest shallowly; the
    /// walk is the iterative pre-order one).
    fn scan_declaration(&mut self, d: Node<'t>) {
        let k = self.k;
        for n in preorder(d) {
            let kind = n.kind_id();
            if kind == k.import_spec {
                self.add_import(n);
            } else if kind == k.var_spec {
                let ty = n
                    .child_by_field_id(k.f_type)
                    .and_then(|t| self.resolve_type(t));
                for name in self.names(n) {
                    self.globals.insert(name, ty.clone());
                }
            } else if kind == k.field_declaration {
                if let Some(ty) = n
                    .child_by_field_id(k.f_type)
                    .and_then(|t| self.resolve_type(t))
                {
                    for name in self.names(n) {
                        self.fields.insert(name, ty.clone());
                    }
                }
            }
        }
    }

    fn add_import(&mut self, spec: Node<'t>) {
        let k = self.k;
        let Some(path) = spec.child_by_field_id(k.f_path) else {
            return;
        };
        let path = self.text(path).trim_matches(|c| c == '"' || c == '`');
        let alias = match spec.child_by_field_id(k.f_name) {
            Some(n) => self.text(n),
            None => default_alias(path),
        };
        if alias != "_" && alias != "." {
            self.imports.insert(alias, path);
        }
    }

    /// The `name` children of a declaration (`a, b T`).
    pub fn names(&self, n: Node<'t>) -> Vec<&'t str> {
        crate::tree::field_children(n, self.k.f_name)
            .into_iter()
            .map(|x| self.text(x))
            .collect()
    }

    /// `*sql.DB`, `sql.DB`, `*pkg.T[X]` to ("database/sql", "DB"); unqualified types are
    /// unknown (they are the package's own).
    pub fn resolve_type(&self, t: Node) -> Option<Ty> {
        let text = self.text(t).trim_start_matches('*').trim();
        // The alias is an identifier: look no further than its end (a struct type nested
        // thousands deep is not read again for each of its fields).
        let alias_end = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        if !text[alias_end..].starts_with('.') {
            return None;
        }
        let text = text.split('[').next()?;
        let (alias, name) = text.split_once('.')?;
        let path = self.imports.get(alias)?;
        Some(Ty::new(path, name))
    }

    fn find_acquirers(&mut self) {
        let k = self.k;
        let mut found = Vec::new();
        for (&name, &decl) in &self.funcs {
            let Some(result) = decl.child_by_field_id(k.f_result) else {
                continue;
            };
            let Some((kind, has_err)) = self.result_kind(result) else {
                continue;
            };
            if handled_directive(decl, self.text) {
                continue;
            }
            let Some(body) = decl.child_by_field_id(k.f_body) else {
                continue;
            };
            let env = Env::default();
            let acquires = preorder(body).any(|n| {
                n.kind_id() == k.call_expression
                    && self
                        .acquisition_in(n, &env, false)
                        .is_some_and(|a| a.kind == kind)
            });
            if acquires && !self.cleans_up(body) {
                found.push((name, (kind, has_err)));
            }
        }
        self.acquirers.extend(found);
    }

    /// Whether a constructor arranges the release itself (`t.Cleanup(func() { f.Close() })`,
    /// a deferred close) or closes what it opened before returning it.
    fn cleans_up(&self, body: Node) -> bool {
        let k = self.k;
        preorder(body).any(|n| {
            if n.kind_id() != k.selector_expression {
                return false;
            }
            let field = n
                .child_by_field_id(k.f_field)
                .map(|f| self.text(f))
                .unwrap_or("");
            matches!(field, "Cleanup" | "Close" | "Stop" | "Rollback" | "Commit")
        })
    }

    /// The resource kind of a function's first result, and whether it also returns an error.
    fn result_kind(&self, result: Node) -> Option<(Kind, bool)> {
        let k = self.k;
        let first = if result.kind_id() == k.parameter_list {
            result.named_child(0)?.child_by_field_id(k.f_type)?
        } else {
            result
        };
        let ty = self.resolve_type(first)?;
        let kind = RESOURCE_TYPES
            .iter()
            .find(|(p, n, _)| ty.path == *p && ty.name == *n)?
            .2;
        let has_err = result.kind_id() == k.parameter_list && self.text(result).contains("error");
        Some((kind, has_err))
    }

    /// A cheap first look: could `call` acquire anything (by the called name alone)?
    pub fn may_acquire(&self, call: Node<'t>) -> bool {
        let k = self.k;
        let Some(f) = call.child_by_field_id(k.f_function) else {
            return false;
        };
        if f.kind_id() == k.identifier {
            return self.acquirers.contains_key(self.text(f));
        }
        if f.kind_id() != k.selector_expression {
            return false;
        }
        let Some(name) = f.child_by_field_id(k.f_field).map(|n| self.text(n)) else {
            return false;
        };
        FUNCS.iter().any(|e| e.1 == name)
            || METHODS.iter().any(|e| e.2 == name)
            || SQL_BY_NAME.iter().any(|e| e.0 == name)
            || self.custom.entries.iter().any(|e| e.func == name)
    }

    /// Whether `call` acquires a resource, and which.
    pub fn acquisition(&self, call: Node<'t>, env: &Env<'t>) -> Option<Acquisition> {
        self.acquisition_in(call, env, true)
    }

    fn acquisition_in(&self, call: Node<'t>, env: &Env<'t>, local: bool) -> Option<Acquisition> {
        let k = self.k;
        let f = call.child_by_field_id(k.f_function)?;
        if f.kind_id() == k.identifier {
            if !local {
                return None;
            }
            let &(kind, has_err) = self.acquirers.get(self.text(f))?;
            return Some(Acquisition {
                kind,
                result: 0,
                err: has_err.then_some(1),
                ty: None,
            });
        }
        if f.kind_id() != k.selector_expression {
            return None;
        }
        let operand = f.child_by_field_id(k.f_operand)?;
        let method = self.text(f.child_by_field_id(k.f_field)?);
        if let Some(path) = self.package_of(operand, env) {
            return self.package_function(path, method);
        }
        let nargs = call
            .child_by_field_id(k.f_arguments)
            .map_or(0, |a| a.named_child_count());
        self.method(operand, method, nargs, env)
    }

    /// The import path when `operand` is an import alias not shadowed by a local.
    fn package_of(&self, operand: Node, env: &Env<'t>) -> Option<&'t str> {
        if operand.kind_id() != self.k.identifier {
            return None;
        }
        let name = self.text(operand);
        if env.vars.contains_key(name) {
            return None;
        }
        self.imports.get(name).copied()
    }

    fn package_function(&self, path: &str, func: &str) -> Option<Acquisition> {
        if let Some(&(_, _, kind, ty)) = FUNCS.iter().find(|(p, f, _, _)| *p == path && *f == func)
        {
            let (result, err) = match kind {
                Kind::Cancel => (1, None),
                Kind::Ticker | Kind::Timer | Kind::Server => (0, None),
                _ if func.starts_with("Must") || func == "OpenDB" => (0, None),
                _ => (0, Some(1)),
            };
            let ty = (!ty.is_empty()).then(|| Ty::new(path, ty));
            return Some(Acquisition {
                kind,
                result,
                err,
                ty,
            });
        }
        let i = self
            .custom
            .entries
            .iter()
            .position(|e| e.ty.is_none() && e.path == path && e.func == func)?;
        Some(custom(i))
    }

    fn method(
        &self,
        operand: Node<'t>,
        method: &str,
        nargs: usize,
        env: &Env<'t>,
    ) -> Option<Acquisition> {
        let ty = self.type_of(operand, env);
        if let Some(ty) = &ty {
            if let Some(&(_, _, _, kind, rty)) = METHODS
                .iter()
                .find(|(p, t, m, _, _)| *p == ty.path && *t == ty.name && *m == method)
            {
                let err = (kind != Kind::Rows || ty.path != "github.com/jackc/pgx/v5").then_some(1);
                return Some(Acquisition {
                    kind,
                    result: 0,
                    err,
                    ty: Some(Ty::new(&ty.path, rty)),
                });
            }
            let i = self.custom.entries.iter().position(|e| {
                e.path == ty.path && e.ty.as_deref() == Some(ty.name.as_str()) && e.func == method
            });
            if let Some(i) = i {
                return Some(custom(i));
            }
            if !is_database_path(&ty.path) && ty.path != HTTP {
                return None;
            }
        }
        self.by_name(operand, method, nargs)
    }

    /// Database and HTTP client methods on receivers whose type is out of sight, recognised by
    /// the receiver's name (`db`, `tx`, `conn`, `pool`, `stmt`; `client`).
    fn by_name(&self, operand: Node, method: &str, nargs: usize) -> Option<Acquisition> {
        let name = self.last_name(operand)?.to_ascii_lowercase();
        let sqlish = name.contains("db")
            || name.ends_with("tx")
            || name.contains("conn")
            || name.contains("pool")
            || name.contains("stmt");
        let in_tx = name.ends_with("tx") && method.starts_with("Prepare");
        if sqlish && !in_tx {
            if let Some(&(_, kind, _)) = SQL_BY_NAME
                .iter()
                .find(|(m, _, a)| *m == method && a.is_none_or(|a| a == nargs))
            {
                return Some(Acquisition {
                    kind,
                    result: 0,
                    err: Some(1),
                    ty: None,
                });
            }
        }
        let clientish = name.contains("client") || name == "http" || name == "hc";
        let http_arity = match method {
            "Do" | "Get" | "Head" => 1,
            "PostForm" => 2,
            "Post" => 3,
            _ => return None,
        };
        (clientish && http_arity == nargs && self.imports.values().any(|p| *p == HTTP)).then_some(
            Acquisition {
                kind: Kind::Response,
                result: 0,
                err: Some(1),
                ty: None,
            },
        )
    }

    /// The last identifier of a receiver expression: `db` in `s.db`, `pgxPool`.
    fn last_name(&self, operand: Node<'t>) -> Option<&'t str> {
        let k = self.k;
        if operand.kind_id() == k.identifier {
            return Some(self.text(operand));
        }
        if operand.kind_id() == k.selector_expression {
            return operand.child_by_field_id(k.f_field).map(|f| self.text(f));
        }
        None
    }

    /// The type of a receiver expression as far as the file shows it.
    pub fn type_of(&self, operand: Node<'t>, env: &Env<'t>) -> Option<Ty> {
        let k = self.k;
        let mut operand = operand;
        while operand.kind_id() == k.parenthesized_expression
            || operand.kind_id() == k.unary_expression
        {
            operand = operand.named_child(0)?;
        }
        if operand.kind_id() == k.identifier {
            let name = self.text(operand);
            return match env.vars.get(name) {
                Some(ty) => ty.clone(),
                None => self.globals.get(name).cloned().flatten(),
            };
        }
        if operand.kind_id() != k.selector_expression {
            return None;
        }
        let field = self.text(operand.child_by_field_id(k.f_field)?);
        let inner = operand.child_by_field_id(k.f_operand)?;
        if let Some(path) = self.package_of(inner, env) {
            return (path == HTTP && field == "DefaultClient").then(|| Ty::new(HTTP, "Client"));
        }
        self.fields.get(field).cloned()
    }

    /// Whether a call's callee is a standard-library package function that does not take over
    /// its arguments (`fmt.Println(f)`, `io.ReadAll(resp.Body)`): `Some(true)` keeps ownership,
    /// `Some(false)` hands it over, `None` is not a standard-library package function.
    pub fn stdlib_keeps(&self, callee: Node, env: &Env<'t>) -> Option<bool> {
        let k = self.k;
        if callee.kind_id() != k.selector_expression {
            return None;
        }
        let path = self.package_of(callee.child_by_field_id(k.f_operand)?, env)?;
        let func = self.text(callee.child_by_field_id(k.f_field)?);
        if !is_stdlib(path) {
            return Some(false);
        }
        Some(!TAKES_OVER.iter().any(|(p, f)| *p == path && *f == func))
    }
}

fn custom(i: usize) -> Acquisition {
    Acquisition {
        kind: Kind::Custom(u16::try_from(i).unwrap_or(u16::MAX)),
        result: 0,
        err: Some(1),
        ty: None,
    }
}

fn is_database_path(path: &str) -> bool {
    path == SQL || path == SQLX || path.starts_with("github.com/jackc/pgx")
}

/// A standard-library import path: no dot in its first element.
pub fn is_stdlib(path: &str) -> bool {
    !path.split('/').next().unwrap_or("").contains('.')
}

/// The name an import binds without an alias: the last path element, without a `/vN` suffix
/// or a `go-` prefix (`github.com/jackc/pgx/v5` binds `pgx`).
fn default_alias(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or(path);
    let last =
        if last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit())
        {
            parts.next().unwrap_or(last)
        } else {
            last
        };
    let last = last.strip_prefix("go-").unwrap_or(last);
    last.split('.').next().unwrap_or(last)
}

/// `//bodyclose:handled` (or `// bodyclose:handled`) in the comment above a function: its
/// response is the caller's concern as bodyclose users have declared it.
fn handled_directive(decl: Node, text: &str) -> bool {
    let mut prev = decl.prev_sibling();
    while let Some(p) = prev.filter(|p| p.kind_id() == kinds().comment) {
        let t = text.get(p.byte_range()).unwrap_or("");
        if t.trim_start_matches('/').trim() == "bodyclose:handled" {
            return true;
        }
        prev = p.prev_sibling();
    }
    false
}

/// The variables a function (with the functions around it) declares, with their types where
/// the declaration shows one. Flow-insensitive: a name declared anywhere in the outermost
/// function is local everywhere in it.
#[derive(Debug, Default)]
pub struct Env<'t> {
    pub vars: HashMap<&'t str, Option<Ty>>,
    /// Local closures by name (`closer := func(r *http.Response) { ... }`).
    pub closures: HashMap<&'t str, Node<'t>>,
}

impl<'t> Env<'t> {
    /// Scans the outermost function holding `func` (one iterative walk).
    pub fn of(func: Node<'t>, facts: &FileFacts<'t>) -> Env<'t> {
        let k = facts.k;
        let mut top = func;
        let mut up = func.parent();
        while let Some(p) = up {
            if is_function(k, p.kind_id()) {
                top = p;
            }
            up = p.parent();
        }
        let mut env = Env::default();
        for n in preorder(top) {
            env.declare(n, facts);
        }
        env
    }

    fn declare(&mut self, n: Node<'t>, facts: &FileFacts<'t>) {
        let k = facts.k;
        let kind = n.kind_id();
        if kind == k.parameter_declaration || kind == k.variadic_parameter_declaration {
            let ty = n
                .child_by_field_id(k.f_type)
                .and_then(|t| facts.resolve_type(t));
            for name in facts.names(n) {
                self.vars.insert(name, ty.clone());
            }
        } else if kind == k.var_spec {
            let ty = n
                .child_by_field_id(k.f_type)
                .and_then(|t| facts.resolve_type(t));
            let values = n.child_by_field_id(k.f_value);
            for (i, name) in facts.names(n).into_iter().enumerate() {
                let t = ty.clone().or_else(|| self.value_type(values, i, facts));
                self.vars.insert(name, t);
            }
        } else if kind == k.short_var_declaration || kind == k.range_clause && defines(n, facts) {
            self.declare_left(n, facts);
        } else if kind == k.type_switch_statement {
            if let Some(alias) = n.child_by_field_id(k.f_alias) {
                self.declare_list(alias, None, facts);
            }
        } else if kind == k.assignment_statement {
            self.note_closure(n, facts);
        }
    }

    fn declare_left(&mut self, n: Node<'t>, facts: &FileFacts<'t>) {
        let k = facts.k;
        let Some(left) = n.child_by_field_id(k.f_left) else {
            return;
        };
        let right = n
            .child_by_field_id(k.f_right)
            .filter(|_| n.kind_id() == k.short_var_declaration);
        self.declare_list(left, right, facts);
        self.note_closure(n, facts);
    }

    fn declare_list(&mut self, left: Node<'t>, right: Option<Node<'t>>, facts: &FileFacts<'t>) {
        let mut c = left.walk();
        let names: Vec<Node<'t>> = left.named_children(&mut c).collect();
        for (i, name) in names.into_iter().enumerate() {
            if name.kind_id() == facts.k.identifier {
                let ty = self.value_type(right, i, facts);
                let prior = self.vars.get(facts.text(name)).cloned().flatten();
                self.vars.insert(facts.text(name), ty.or(prior));
            }
        }
    }

    /// `name := func(...) {...}` or `name = func...`: remembered so a call `name(x)` can be
    /// read through the literal's body.
    fn note_closure(&mut self, n: Node<'t>, facts: &FileFacts<'t>) {
        let k = facts.k;
        let (Some(left), Some(right)) = (
            n.child_by_field_id(k.f_left),
            n.child_by_field_id(k.f_right),
        ) else {
            return;
        };
        if left.named_child_count() != 1 || right.named_child_count() != 1 {
            return;
        }
        let (Some(l), Some(r)) = (left.named_child(0), right.named_child(0)) else {
            return;
        };
        if l.kind_id() == k.identifier && r.kind_id() == k.func_literal {
            self.closures.insert(facts.text(l), r);
        }
    }

    /// The type of the `i`th value of a declaration, when it shows: an acquisition's resource,
    /// `&pkg.T{}`/`pkg.T{}`, or another variable's.
    fn value_type(&self, values: Option<Node<'t>>, i: usize, facts: &FileFacts<'t>) -> Option<Ty> {
        let k = facts.k;
        let values = values?;
        let count = values.named_child_count();
        if count == 1 && i > 0 {
            let call = values.named_child(0)?;
            let a = (call.kind_id() == k.call_expression)
                .then(|| facts.acquisition(call, self))
                .flatten()?;
            return (a.result == i).then_some(a.ty).flatten();
        }
        let v = values.named_child(u32::try_from(i).ok()?)?;
        let v = if v.kind_id() == k.unary_expression {
            v.named_child(0)?
        } else {
            v
        };
        let kind = v.kind_id();
        if kind == k.call_expression {
            let a = facts.acquisition(v, self)?;
            return (a.result == 0).then_some(a.ty).flatten();
        }
        if kind == k.composite_literal {
            return facts.resolve_type(v.child_by_field_id(k.f_type)?);
        }
        if kind == k.identifier {
            return self.vars.get(facts.text(v)).cloned().flatten();
        }
        None
    }
}

fn defines(range: Node, facts: &FileFacts) -> bool {
    let Some(right) = range.child_by_field_id(facts.k.f_right) else {
        return false;
    };
    let head = facts
        .text
        .get(range.start_byte()..right.start_byte())
        .unwrap_or("");
    head.contains(":=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_aliases_follow_the_go_tool() {
        assert_eq!(default_alias("database/sql"), "sql");
        assert_eq!(default_alias("github.com/jackc/pgx/v5"), "pgx");
        assert_eq!(default_alias("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(default_alias("github.com/mattn/go-sqlite3"), "sqlite3");
    }

    #[test]
    fn custom_specs_parse_functions_and_methods() {
        let c = Custom::parse(&[
            "example.com/store.Open",
            "example.com/x/pool.Pool.Acquire:Release",
        ]);
        assert_eq!(c.entries[0].path, "example.com/store");
        assert_eq!(c.entries[0].func, "Open");
        assert_eq!(c.entries[0].release, "Close");
        assert_eq!(c.entries[1].ty.as_deref(), Some("Pool"));
        assert_eq!(c.entries[1].release, "Release");
    }
}
