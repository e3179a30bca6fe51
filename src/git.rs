//! The little of git that goaudit needs: where the repository's top is (CI formats name files
//! relative to it) and what changed since a revision (`--new-from-rev`). git runs as a child
//! process with fixed arguments; the revision is checked never to look like an option.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder holding `.git` (a folder, or a file in worktrees and submodules) at or above `dir`.
pub fn repo_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `dir`'s path inside its repository, with `/` separators and a trailing `/` (`svc/api/`);
/// empty at the repository's top or outside git.
pub fn repo_prefix(dir: &Path) -> String {
    let Some(top) = repo_root(dir) else {
        return String::new();
    };
    let Ok(rel) = dir.strip_prefix(&top) else {
        return String::new();
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        bail!("git {} failed: {}", args.join(" "), err.trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The zero-context diff between `rev` and the working tree, paths relative to `dir`.
pub fn diff_since(dir: &Path, rev: &str) -> Result<String> {
    if rev.starts_with('-') || rev.is_empty() {
        bail!("--new-from-rev: `{rev}` is not a revision");
    }
    git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .with_context(|| format!("--new-from-rev: unknown revision `{rev}`"))?;
    git(
        dir,
        &[
            "diff",
            "--relative",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            rev,
            "--",
            ".",
        ],
    )
}

/// Files git does not track yet (and does not ignore), relative to `dir`: all new code.
pub fn untracked(dir: &Path) -> Result<Vec<String>> {
    Ok(git(dir, &["ls-files", "--others", "--exclude-standard"])?
        .lines()
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefix_is_the_path_below_the_top() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("svc/api")).unwrap();
        assert_eq!(super::repo_prefix(&dir.path().join("svc/api")), "svc/api/");
        assert_eq!(super::repo_prefix(dir.path()), "");
    }

    #[test]
    fn options_are_not_revisions() {
        assert!(super::diff_since(std::path::Path::new("."), "--output=/tmp/x").is_err());
    }
}
