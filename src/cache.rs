//! The result cache: one entry per package, so a second run on unchanged code parses nothing.
//!
//! An entry holds what auditing a package produced — its findings, suppressed findings, the
//! suppressions of its files, its file counts — and its facts, which importers need. Its key
//! hashes everything those results depend on:
//!
//! - goaudit itself (version, and the executable's size and modification time, so a rebuilt
//!   binary never reads its predecessor's results) and the enabled rules with their options;
//! - the package: import path, `go` directive, and each file's report path and content;
//! - the facts of every package it can see ([`Visible`]: what it imports, transitively), by
//!   digest. Votes over unknown receivers count only those packages' methods, so nothing else of
//!   the index can change a package's results; a changed signature changes its package's facts
//!   digest and so the key of every package that imports it, directly or not. An edited
//!   function body leaves the facts alone, and the importers' entries stay valid.
//!
//! Entries are written to a temporary file in the cache folder and renamed into place, so two
//! runs may share a cache and a killed run leaves at most a temporary file, removed by a later
//! trim. Each entry starts with the SHA-256 of its body: a corrupt or truncated entry is a miss.
//! The cache is bounded: after a run that wrote entries, the least recently used are removed
//! until the folder is under [`MAX_BYTES`].

use crate::config::Settings;
use crate::discover::Package;
use crate::fxhash::HashMap;
use crate::index::{Index, PackageFacts, Visible};
use crate::outcome::PackageAudit;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The cache folder's size bound.
pub const MAX_BYTES: u64 = 1 << 30;
/// Bumped when the entry format changes.
const FORMAT: &str = "results-v1";
/// A temporary file this old is a killed run's leftover.
const STALE_TMP: Duration = Duration::from_secs(3600);

/// What a package's entry holds.
#[derive(Serialize, Deserialize)]
pub struct Entry {
    /// [`facts_digest`] of `facts`, so a hit need not recompute it.
    pub facts_digest: [u8; 32],
    pub facts: PackageFacts,
    pub audit: PackageAudit,
}

/// An entry's key: the SHA-256 of everything the package's results depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    /// The key of a facts-only entry for the same inputs: the facts of a package a shard reads
    /// for its share but does not report (its audit is not in the entry), read with the bodies
    /// of the functions `emptied` names emptied (`skeleton`), whose taint summaries it lacks.
    pub fn facts_only(self, emptied: &[String]) -> Key {
        let mut h = Sha256::new();
        h.update(b"facts-only\0");
        h.update(self.0);
        for name in emptied {
            field(&mut h, name);
        }
        Key(h.finalize().into())
    }
}

/// A result cache in one folder, for one run's binary and settings.
pub struct ResultCache {
    dir: PathBuf,
    /// Hash of goaudit's build, the enabled rules with their options and the per-path entries.
    build: [u8; 32],
    /// Facts digests of the packages seen this run, by import path.
    digests: Mutex<HashMap<String, [u8; 32]>>,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
    stored: AtomicUsize,
}

/// The user's cache folder for goaudit: `$XDG_CACHE_HOME/goaudit`, else `~/.cache/goaudit`.
pub fn default_dir() -> Option<PathBuf> {
    crate::dirs::goaudit_cache()
}

impl ResultCache {
    /// The cache under `dir` (created if missing) for these settings; `None` when the folder
    /// cannot be created (the run goes on without a cache).
    pub fn open(dir: &Path, settings: &Settings) -> Option<ResultCache> {
        let dir = dir.join(FORMAT);
        std::fs::create_dir_all(&dir).ok()?;
        let mut h = Sha256::new();
        h.update(build_id());
        h.update(format!("{:?}", settings.rules));
        // A function's complexity figures are merged after `[[rules.per-path]]` took some out.
        h.update(format!("{:?}", settings.per_path));
        Some(ResultCache {
            dir,
            build: h.finalize().into(),
            digests: Mutex::new(HashMap::default()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            stored: AtomicUsize::new(0),
        })
    }

    /// The key of `pkg` when it sees `visible`; `None` if a file cannot be read (no caching).
    pub fn key(
        &self,
        pkg: &Package,
        rel: &dyn Fn(&Path) -> String,
        visible: &Visible,
        index: &Index,
    ) -> Option<Key> {
        let mut h = Sha256::new();
        h.update(self.build);
        field(&mut h, &pkg.import_path);
        field(&mut h, &format!("{:?}", pkg.go_version));
        for path in &pkg.files {
            field(&mut h, &rel(path));
            // A file over the source limit is not audited (a parse-error finding), nor cached.
            let file = std::fs::File::open(path).ok()?;
            let text = crate::bounded::read_at_most(file, crate::source::MAX_FILE_BYTES).ok()?;
            h.update(Sha256::digest(&text));
        }
        for path in visible {
            field(&mut h, path);
            h.update(self.digest_of(path, index)?);
        }
        Some(Key(h.finalize().into()))
    }

    /// Records the facts digest of a package, for the keys of its importers.
    fn note_digest(&self, path: &str, digest: [u8; 32]) {
        let mut digests = self.digests.lock().expect("not poisoned");
        digests.insert(path.to_string(), digest);
    }

    /// The facts digest of a visible package: noted when it was audited or loaded this run,
    /// else (a dependency's) computed from the index.
    fn digest_of(&self, path: &str, index: &Index) -> Option<[u8; 32]> {
        if let Some(d) = self.digests.lock().expect("not poisoned").get(path) {
            return Some(*d);
        }
        let digest = facts_digest(&*index.package(path)?);
        self.note_digest(path, digest);
        Some(digest)
    }

    fn path_of(&self, key: Key) -> PathBuf {
        let hex = hex(&key.0);
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The entry stored under `key`, if there is one and it is intact.
    pub fn load(&self, key: Key) -> Option<Entry> {
        self.load_any(&[key])
    }

    /// The first intact entry of `keys`, counted as one hit or one miss.
    pub fn load_any(&self, keys: &[Key]) -> Option<Entry> {
        let entry = keys.iter().find_map(|&k| read_entry(&self.path_of(k)));
        match &entry {
            Some(e) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.note_digest(&e.facts.path, e.facts_digest);
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        entry
    }

    /// Stores an entry under `key`, atomically; a failure only costs the next run time.
    pub fn store(&self, key: Key, facts: &PackageFacts, audit: &PackageAudit) {
        #[derive(Serialize)]
        struct EntryRef<'a> {
            facts_digest: [u8; 32],
            facts: &'a PackageFacts,
            audit: &'a PackageAudit,
        }
        let facts_digest = facts_digest(facts);
        self.note_digest(&facts.path, facts_digest);
        let entry = EntryRef {
            facts_digest,
            facts,
            audit,
        };
        let Ok(body) = serde_json::to_vec(&entry) else {
            return;
        };
        let path = self.path_of(key);
        if write_entry(&path, &body).is_ok() {
            self.stored.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// After a run that stored entries: removes killed runs' temporaries and, while the
    /// folder is over [`MAX_BYTES`], the least recently used entries.
    pub fn trim(&self) {
        if self.stored.load(Ordering::Relaxed) > 0 {
            trim_folder(&self.dir, MAX_BYTES);
        }
    }
}

/// `goaudit cache clean`: removes the package results (`results-*`) kept under `dir`, or, by
/// default, everything goaudit keeps under its cache folder (results, the dependency index
/// `deps-*` and the LLM responses `llm`). Other files in the folder are left alone, so a
/// `--cache-dir` shared with other tools loses nothing else.
pub fn clean(dir: Option<&Path>) -> anyhow::Result<i32> {
    let (base, ours): (PathBuf, fn(&str) -> bool) = match dir {
        Some(d) => (d.to_path_buf(), |n| n.starts_with("results-")),
        None => match default_dir() {
            Some(d) => (d, |n| {
                n.starts_with("results-") || n.starts_with("deps-") || n == "llm"
            }),
            None => anyhow::bail!("no cache folder: neither XDG_CACHE_HOME nor HOME is set"),
        },
    };
    let (mut files, mut bytes) = (0u64, 0u64);
    let entries = match std::fs::read_dir(&base) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("nothing cached in {}", base.display());
            return Ok(0);
        }
        Err(e) => anyhow::bail!("cannot read {}: {e}", base.display()),
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(ours) {
            continue;
        }
        let (n, b) = tally(&entry.path());
        std::fs::remove_dir_all(entry.path())
            .or_else(|_| std::fs::remove_file(entry.path()))
            .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", entry.path().display()))?;
        files += n;
        bytes += b;
    }
    if dir.is_none() {
        let _ = std::fs::remove_dir(&base);
    }
    println!(
        "removed {files} file{} ({:.1} MB) from {}",
        if files == 1 { "" } else { "s" },
        bytes as f64 / 1e6,
        base.display()
    );
    Ok(0)
}

/// The number of files under `path` and their bytes.
fn tally(path: &Path) -> (u64, u64) {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(n, b), e| {
            (n + 1, b + e.metadata().map_or(0, |m| m.len()))
        })
}

fn field(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// goaudit's version and the running executable's size and modification time.
fn build_id() -> String {
    let exe = std::env::current_exe().ok();
    let meta = exe.and_then(|e| std::fs::metadata(e).ok());
    let stamp = meta.map(|m| {
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
        (m.len(), mtime.map(|d| d.as_nanos()))
    });
    format!("{} {:?}", env!("CARGO_PKG_VERSION"), stamp)
}

/// The SHA-256 of a package's facts in a canonical form (JSON with sorted keys).
pub fn facts_digest(facts: &PackageFacts) -> [u8; 32] {
    let canonical = serde_json::to_value(facts)
        .map(|v| v.to_string())
        .unwrap_or_default();
    Sha256::digest(canonical.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads an entry: a line with the SHA-256 of the body, then the body. Touches the file, so
/// the trim knows it was used.
fn read_entry(path: &Path) -> Option<Entry> {
    let data = crate::bounded::read_cache_entry(path)?;
    let newline = data.iter().position(|&b| b == b'\n')?;
    let (sum, body) = (&data[..newline], &data[newline + 1..]);
    if sum != hex(&Sha256::digest(body)).as_bytes() {
        return None;
    }
    let entry = serde_json::from_slice(body).ok()?;
    if let Ok(f) = std::fs::File::options().append(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
    Some(entry)
}

fn write_entry(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().expect("entries live in a sub-folder");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp").tempfile_in(dir)?;
    tmp.write_all(hex(&Sha256::digest(body)).as_bytes())?;
    tmp.write_all(b"\n")?;
    tmp.write_all(body)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes stale temporaries, then the oldest entries until the folder holds at most
/// three quarters of `max` (so a full cache is not trimmed on every run).
fn trim_folder(dir: &Path, max: u64) {
    let mut entries = Vec::new();
    let mut total = 0;
    let now = SystemTime::now();
    for e in walkdir::WalkDir::new(dir).min_depth(2).max_depth(2) {
        let Ok(e) = e else { continue };
        let Ok(meta) = e.metadata() else { continue };
        let mtime = meta.modified().unwrap_or(now);
        let tmp = e.file_name().to_string_lossy().starts_with(".tmp");
        if tmp {
            if now.duration_since(mtime).unwrap_or_default() > STALE_TMP {
                let _ = std::fs::remove_file(e.path());
            }
            continue;
        }
        total += meta.len();
        entries.push((mtime, meta.len(), e.into_path()));
    }
    if total <= max {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if total <= max / 4 * 3 {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ab").join("cdef");
        let entry = Entry {
            facts_digest: [0; 32],
            facts: PackageFacts::new("ex/p", "p"),
            audit: PackageAudit::default(),
        };
        write_entry(&path, &serde_json::to_vec(&entry).unwrap()).unwrap();
        assert!(read_entry(&path).is_some());
        let mut data = std::fs::read(&path).unwrap();
        let last = data.len() - 2;
        data[last] ^= 1;
        std::fs::write(&path, &data).unwrap();
        assert!(read_entry(&path).is_none(), "a flipped bit is noticed");
        std::fs::write(&path, &data[..data.len() / 2]).unwrap();
        assert!(read_entry(&path).is_none(), "a truncated entry is noticed");
    }

    #[test]
    fn trimming_keeps_the_recent_entries_and_drops_stale_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("00");
        std::fs::create_dir_all(&sub).unwrap();
        let old = SystemTime::now() - Duration::from_secs(7200);
        for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
            let p = sub.join(name);
            std::fs::write(&p, [0u8; 100]).unwrap();
            let f = std::fs::File::options().append(true).open(&p).unwrap();
            f.set_modified(old + Duration::from_secs(i as u64)).unwrap();
        }
        let tmp = sub.join(".tmpXYZ");
        std::fs::write(&tmp, b"half").unwrap();
        let f = std::fs::File::options().append(true).open(&tmp).unwrap();
        f.set_modified(old).unwrap();
        trim_folder(dir.path(), 300);
        let left: Vec<String> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let mut left = left;
        left.sort();
        assert_eq!(left, ["c", "d"]);
    }
}
