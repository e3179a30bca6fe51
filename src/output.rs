//! Writing reports: to standard output (a closed pipe ends the run quietly) or to a file
//! replaced atomically (written beside it, then renamed), so no reader sees half a report.

use anyhow::{Context, Result};
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Writes to standard output; a reader that went away (`goaudit ... | head`) is not an error.
pub fn to_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Replaces `path` with `text` atomically, keeping an existing file's permissions.
pub fn to_file(path: &Path, text: &str) -> Result<()> {
    if is_special(path) {
        // A device or pipe (`-o /dev/null`, `-o /dev/stdout`) is written to, never replaced.
        return std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // A replaced file keeps its mode (a fixed source file must not become 0600).
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// An existing path that is not a regular file: renaming over it would destroy it.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

#[cfg(test)]
mod tests {
    #[test]
    fn devices_are_written_to_not_replaced() {
        let null = std::path::Path::new("/dev/null");
        if null.exists() {
            super::to_file(null, "x").unwrap();
            use std::os::unix::fs::FileTypeExt;
            assert!(std::fs::metadata(null)
                .unwrap()
                .file_type()
                .is_char_device());
        }
    }

    #[test]
    fn file_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        std::fs::write(&p, "old").unwrap();
        super::to_file(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn devices_are_written_in_place_never_replaced() {
        let null = std::path::Path::new("/dev/null");
        if null.exists() {
            super::to_file(null, "x").unwrap();
            assert!(
                !std::fs::metadata(null).unwrap().is_file(),
                "/dev/null is still a device"
            );
        }
    }
}
