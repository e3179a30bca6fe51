//! The response cache: an answer is kept under a key of the provider, the model, the prompt
//! version and the unit's content (both prompts), so a second run on unchanged code sends
//! nothing. Entries are written atomically (a temporary file, then a rename).

use super::providers::Reply;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

/// A cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    text: String,
    prompt_tokens: u64,
    completion_tokens: u64,
}

/// The key of one request.
pub fn key(provider: &str, model: &str, version: &str, system: &str, user: &str) -> String {
    let mut h = Sha256::new();
    for part in [provider, model, version, system, user] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The cached reply, if any (an unreadable entry is a miss).
    pub fn get(&self, key: &str) -> Option<Reply> {
        let bytes = crate::bounded::read_cache_entry(&self.path(key))?;
        let e: Entry = serde_json::from_slice(&bytes).ok()?;
        Some(Reply {
            text: e.text,
            prompt_tokens: e.prompt_tokens,
            completion_tokens: e.completion_tokens,
        })
    }

    /// Stores a reply atomically.
    pub fn put(&self, key: &str, reply: &Reply) -> Result<()> {
        let path = self.path(key);
        let dir = path.parent().expect("cache entries live in a folder");
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let entry = Entry {
            text: reply.text.clone(),
            prompt_tokens: reply.prompt_tokens,
            completion_tokens: reply.completion_tokens,
        };
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        tmp.write_all(serde_json::to_string(&entry)?.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        tmp.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keys_differ_by_every_part() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(dir.path().to_path_buf());
        let k = key("openai", "m", "1", "s", "u");
        assert!(c.get(&k).is_none());
        let r = Reply {
            text: "{}".into(),
            prompt_tokens: 3,
            completion_tokens: 4,
        };
        c.put(&k, &r).unwrap();
        assert_eq!(c.get(&k), Some(r));
        assert_ne!(k, key("anthropic", "m", "1", "s", "u"));
        assert_ne!(k, key("openai", "m2", "1", "s", "u"));
        assert_ne!(k, key("openai", "m", "2", "s", "u"));
        assert_ne!(k, key("openai", "m", "1", "s", "u2"));
    }
}
