//! Bounded reads of outside input. Every file or response body goaudit does not write itself
//! (baselines, the shard reports `goaudit merge` joins, config files, LLM response bodies) is
//! read through here, and the size limits live here, in one place:
//!
//! | input | limit |
//! | --- | --- |
//! | a baseline (`--baseline`), a report given to `goaudit merge` | `REPORT_LIMIT`, 256 MiB |
//! | `goaudit.toml`, the user's `config.toml` | `CONFIG_LIMIT`, 1 MiB |
//! | an LLM provider's response body | `LLM_BODY_LIMIT`, 8 MiB |
//! | what `go vet`, `staticcheck` or `govulncheck` print, per stream | `TOOL_OUTPUT_LIMIT`, 256 MiB |
//! | an entry of goaudit's caches (findings, dependency facts, LLM answers) | `CACHE_LIMIT`, 256 MiB |
//!
//! Go source files have their own limit (`source::MAX_FILE_BYTES`), where an oversized file
//! becomes a `parse-error` finding rather than an error; `--fix` and the source lines shown
//! with the tools' findings read through the same limit. A cache entry over its limit is a miss. Reading stops one byte past the
//! limit, so `/dev/zero` or an endless body costs the limit and no more.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::Path;

/// The largest baseline or JSON report read.
pub const REPORT_LIMIT: u64 = 256 * MIB;
/// The largest config file read.
pub const CONFIG_LIMIT: u64 = MIB;
/// The largest `go.mod` or `go.work` read (the largest real ones are tens of KiB).
pub const GO_MOD_LIMIT: u64 = 4 * MIB;
/// The most read of one output stream of an external tool.
pub const TOOL_OUTPUT_LIMIT: u64 = 256 * MIB;
/// The largest cache entry read.
pub const CACHE_LIMIT: u64 = 256 * MIB;
/// The largest LLM response body read (a review answer is a few KiB).
pub const LLM_BODY_LIMIT: u64 = 8 * MIB;

const MIB: u64 = 1024 * 1024;

/// `limit` bytes as a short human figure: `256 MiB`, `512 KiB`, `100 bytes`.
pub fn human(limit: u64) -> String {
    if limit >= MIB && limit.is_multiple_of(MIB) {
        format!("{} MiB", limit / MIB)
    } else if limit >= 1024 && limit.is_multiple_of(1024) {
        format!("{} KiB", limit / 1024)
    } else {
        format!("{limit} bytes")
    }
}

/// Reads `path` as UTF-8 text of at most `limit` bytes; `what` names it in errors
/// (`baseline`, `report`, `config`): "cannot read baseline /dev/zero: over the 256 MiB limit".
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String> {
    let context = || format!("cannot read {what} {}", path.display());
    let file = std::fs::File::open(path).with_context(context)?;
    let bytes = read_at_most(file, limit).with_context(context)?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {what} {}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// A module file (`go.mod`, `go.work`) read with `GO_MOD_LIMIT`: `None` when there is none;
/// one that cannot be read (too large, not UTF-8) is also `None`, with a line on stderr naming
/// it, as if it were absent.
pub fn read_module_file(path: &Path) -> Option<String> {
    if !path.exists() {
        return None;
    }
    let what = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy());
    match read_text(path, GO_MOD_LIMIT, &what) {
        Ok(text) => Some(text),
        Err(e) => {
            crate::eprintln_escaped!("goaudit: warning: {e:#}; it is ignored");
            None
        }
    }
}

/// A cache entry's bytes: `None` when it is missing, unreadable or over `CACHE_LIMIT` (a miss).
pub fn read_cache_entry(path: &Path) -> Option<Vec<u8>> {
    read_at_most(std::fs::File::open(path).ok()?, CACHE_LIMIT).ok()
}

/// Reads all of `reader` if it holds at most `limit` bytes, else fails naming the limit.
pub fn read_at_most(reader: impl Read, limit: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        bail!("over the {} limit", human(limit));
    }
    Ok(bytes)
}

/// Reads an HTTP response body of at most `limit` bytes, chunk by chunk, and stops reading at
/// the first chunk past the limit (a declared `Content-Length` over it is refused unread).
pub async fn read_body(mut resp: reqwest::Response, limit: u64) -> Result<Vec<u8>, BodyError> {
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge(limit));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(BodyError::TooLarge(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Why a response body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// The body is longer than the limit (in bytes).
    TooLarge(u64),
    /// The connection failed or timed out while reading.
    Transport(reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_within_the_limit_is_read_whole() {
        assert_eq!(read_at_most(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[test]
    fn an_endless_reader_stops_one_byte_past_the_limit() {
        let err = read_at_most(std::io::repeat(0), 4 * MIB).unwrap_err();
        assert_eq!(err.to_string(), "over the 4 MiB limit");
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(human(REPORT_LIMIT), "256 MiB");
        assert_eq!(human(512 * 1024), "512 KiB");
        assert_eq!(human(100), "100 bytes");
    }
}
