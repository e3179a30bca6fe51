//! The sessions store: every `--llm` run is a session and every unit a child session with its
//! messages, tokens and cost, in SQLite (the schema of the audit sessions goaudit automates,
//! plus a unit's status, detail and findings).

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    parent_session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost REAL NOT NULL DEFAULT 0.0,
    updated_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    summary_message_id TEXT,
    status TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    model TEXT,
    provider TEXT,
    findings TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS sessions_parent ON sessions (parent_session_id);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    role TEXT NOT NULL,
    parts TEXT NOT NULL DEFAULT '[]',
    model TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER,
    provider TEXT,
    is_summary_message INTEGER DEFAULT 0 NOT NULL,
    FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS messages_session ON messages (session_id);
";

/// A session to record: a run (no parent) or a unit.
#[derive(Debug, Clone, Default)]
pub struct SessionRecord {
    pub title: String,
    pub status: String,
    pub detail: String,
    pub model: String,
    pub provider: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: f64,
    pub created_at: i64,
    pub updated_at: i64,
    /// (role, text) in order.
    pub messages: Vec<(String, String)>,
    /// The unit's findings, as JSON.
    pub findings: String,
}

/// A session as listed.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub detail: String,
    pub model: String,
    pub message_count: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cost: f64,
    pub created_at: i64,
    pub units: i64,
    pub findings: String,
}

/// Opens (creating it and its folder if needed) the database.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let conn = Connection::open(path)
        .with_context(|| format!("cannot open the sessions database {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    conn.execute_batch(SCHEMA)
        .with_context(|| format!("cannot set up the sessions database {}", path.display()))?;
    Ok(conn)
}

/// A fresh id in UUID form, from the clock, the process and a counter.
pub fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = Sha256::new();
    h.update(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            .to_le_bytes(),
    );
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let hex: String = h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Records a run and its units in one transaction; returns the run's id.
pub fn record(path: &Path, run: &SessionRecord, units: &[SessionRecord]) -> Result<String> {
    let mut conn = open(path)?;
    let tx = conn.transaction()?;
    let run_id = new_id();
    let count: usize = units.iter().map(|u| u.messages.len()).sum::<usize>() + run.messages.len();
    insert(&tx, &run_id, None, run, count)?;
    if let Some((role, _)) = run.messages.first() {
        let summary = first_message_id(&tx, &run_id, role)?;
        tx.execute(
            "UPDATE sessions SET summary_message_id = ?1 WHERE id = ?2",
            params![summary, run_id],
        )?;
    }
    for u in units {
        insert(&tx, &new_id(), Some(&run_id), u, u.messages.len())?;
    }
    tx.commit()?;
    Ok(run_id)
}

fn first_message_id(
    tx: &rusqlite::Transaction,
    session: &str,
    role: &str,
) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT id FROM messages WHERE session_id = ?1 AND role = ?2 LIMIT 1",
            params![session, role],
            |r| r.get(0),
        )
        .optional()?)
}

fn insert(
    tx: &rusqlite::Transaction,
    id: &str,
    parent: Option<&str>,
    s: &SessionRecord,
    message_count: usize,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sessions (id, parent_session_id, title, message_count, prompt_tokens,
            completion_tokens, cost, updated_at, created_at, status, detail, model, provider, findings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id,
            parent,
            s.title,
            message_count as i64,
            s.prompt_tokens as i64,
            s.completion_tokens as i64,
            s.cost,
            s.updated_at,
            s.created_at,
            s.status,
            s.detail,
            s.model,
            s.provider,
            s.findings,
        ],
    )?;
    let summary = parent.is_none();
    for (role, text) in &s.messages {
        let parts = serde_json::json!([{"type": "text", "text": text}]).to_string();
        tx.execute(
            "INSERT INTO messages (id, session_id, role, parts, model, created_at, updated_at,
                finished_at, provider, is_summary_message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                new_id(),
                id,
                role,
                parts,
                s.model,
                s.created_at,
                s.updated_at,
                s.updated_at,
                s.provider,
                summary as i64,
            ],
        )?;
    }
    Ok(())
}

const SELECT: &str = "SELECT s.id, s.title, s.status, s.detail, COALESCE(s.model, ''),
    s.message_count, s.prompt_tokens, s.completion_tokens, s.cost, s.created_at,
    (SELECT COUNT(*) FROM sessions c WHERE c.parent_session_id = s.id), s.findings
    FROM sessions s";

fn row(r: &rusqlite::Row) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: r.get(0)?,
        title: r.get(1)?,
        status: r.get(2)?,
        detail: r.get(3)?,
        model: r.get(4)?,
        message_count: r.get(5)?,
        prompt_tokens: r.get(6)?,
        completion_tokens: r.get(7)?,
        cost: r.get(8)?,
        created_at: r.get(9)?,
        units: r.get(10)?,
        findings: r.get(11)?,
    })
}

/// The runs, newest first.
pub fn runs(conn: &Connection) -> Result<Vec<SessionRow>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE s.parent_session_id IS NULL ORDER BY s.created_at DESC, s.rowid DESC"
    ))?;
    let rows = stmt
        .query_map([], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A session by id or unique id prefix, and its children in order.
pub fn show(conn: &Connection, id: &str) -> Result<(SessionRow, Vec<SessionRow>)> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE s.id LIKE ?1 || '%' ESCAPE '\\' LIMIT 2"
    ))?;
    let escaped = id
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let found = stmt
        .query_map([escaped], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let run = match found.len() {
        0 => bail!("no session `{id}` (see `goaudit sessions`)"),
        1 => found.into_iter().next().expect("one row"),
        _ => bail!("`{id}` names more than one session: give more of the id"),
    };
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE s.parent_session_id = ?1 ORDER BY s.rowid"
    ))?;
    let units = stmt
        .query_map([&run.id], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((run, units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_and_its_units_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        let unit = SessionRecord {
            title: "internal/db".into(),
            status: "reviewed".into(),
            prompt_tokens: 10,
            completion_tokens: 5,
            cost: 0.5,
            messages: vec![
                ("user".into(), "u".into()),
                ("assistant".into(), "a".into()),
            ],
            ..Default::default()
        };
        let run = SessionRecord {
            title: "run".into(),
            prompt_tokens: 10,
            completion_tokens: 5,
            cost: 0.5,
            messages: vec![("summary".into(), "{}".into())],
            ..Default::default()
        };
        let id = record(&db, &run, &[unit]).unwrap();
        let conn = open(&db).unwrap();
        let listed = runs(&conn).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].units, 1);
        assert_eq!(listed[0].message_count, 3);
        let (r, units) = show(&conn, &id[..8]).unwrap();
        assert_eq!(r.id, id);
        assert_eq!(units[0].title, "internal/db");
        assert_eq!(units[0].message_count, 2);
        assert!(show(&conn, "zzz").is_err());
    }
}
