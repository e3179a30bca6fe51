//! Writing reports: to standard output (a closed pipe ends the run quietly) or to a file
//! replaced atomically (written beside it, then renamed), so no reader sees half a report.
//! A new file is created 0666 minus the umask (0644 under the usual 022), a replaced one keeps
//! its mode, and a symbolic link is followed: its target is replaced, the link stays.

use anyhow::{bail, Context, Result};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// How many links `target` follows before it calls the chain a loop (as Linux's ELOOP does).
const MAX_LINK_HOPS: usize = 40;

/// Writes to standard output; a reader that went away (`goaudit ... | head`) is not an error.
pub fn to_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes a report to `file`, or to standard output when there is none. On failure it says so
/// on standard error, naming the target, and returns false: the caller exits 3 (the audit ran,
/// a report of it is lost).
pub fn write_report(file: Option<&Path>, text: &str) -> bool {
    let written = match file {
        Some(path) => to_file(path, text),
        None => to_stdout(text),
    };
    match written {
        Ok(()) => true,
        Err(e) => {
            let target = file.map_or("standard output".into(), |p| p.display().to_string());
            crate::eprintln_escaped!(
                "goaudit: cannot write the report to {target}: {}",
                e.root_cause()
            );
            false
        }
    }
}

/// Replaces `path` (a symbolic link's final target) with `text` atomically, keeping an existing
/// file's permissions.
pub fn to_file(path: &Path, text: &str) -> Result<()> {
    let context = || format!("cannot write {}", path.display());
    let path = &target(path).with_context(context)?;
    if is_special(path) {
        // A device or pipe (`-o /dev/null`, `-o /dev/stdout`) is written to, never replaced.
        return std::fs::write(path, text).with_context(context);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    crate::tempfiles::remove_stale(dir);
    let tmp = tempfile::Builder::new()
        .prefix(&crate::tempfiles::prefix())
        .make_in(dir, create_registered)
        .with_context(context)?;
    let written = write_and_rename(tmp, path, text);
    written.with_context(context)
}

/// Creates the temporary file `path`, 0666 minus the umask, noted as being written before it
/// exists, so that a signal never finds it unnoted.
fn create_registered(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    crate::tempfiles::register(path);
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(path);
    if created.is_err() {
        crate::tempfiles::forget(path);
    }
    created
}

/// Fills `tmp` with `text`, keeping the mode of an existing `path`, and renames it over `path`;
/// the temporary file is gone either way (renamed, or removed when `tmp` drops).
fn write_and_rename(mut tmp: tempfile::NamedTempFile, path: &Path, text: &str) -> Result<()> {
    let tmp_path = tmp.path().to_path_buf();
    let result = match fill(&mut tmp, path, text) {
        Ok(()) => tmp.persist(path).map(drop).map_err(|e| e.error.into()),
        Err(e) => {
            drop(tmp);
            Err(e)
        }
    };
    crate::tempfiles::forget(&tmp_path);
    result
}

/// Writes `text` to `tmp` and syncs it, with the mode of an existing `path`.
fn fill(tmp: &mut tempfile::NamedTempFile, path: &Path, text: &str) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        // A replaced file keeps its mode (a fixed source file must not become 0600).
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    Ok(())
}

/// An existing path that is not a regular file: renaming over it would destroy it.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The file `path` names: the end of its chain of symbolic links (which may not exist yet),
/// or `path` itself when it is not a link.
pub fn target(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        let Ok(next) = std::fs::read_link(&at) else {
            return Ok(at);
        };
        at = match at.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    bail!("too many levels of symbolic links")
}

/// A name for the file `path` will write, the same for every spelling of it (`a/../r.json`,
/// `./r.json`, a link to it): its target with the folder made absolute and canonical.
pub fn identity(path: &Path) -> PathBuf {
    let at = target(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = match at.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), at.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(&at).unwrap_or(at),
    }
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
    fn a_new_file_is_created_0666_minus_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        super::to_file(&p, "new").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
            .unwrap();
        assert_eq!(mode, 0o666 & !umask, "{mode:o}");
    }

    #[test]
    fn a_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("sub/real.json", &link).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        super::to_file(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        let real = dir.path().join("sub/real.json");
        assert_eq!(std::fs::read_to_string(real).unwrap(), "new");
        assert_eq!(
            super::identity(&link),
            super::identity(&dir.path().join("sub/../sub/real.json"))
        );
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
