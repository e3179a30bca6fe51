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

/// The commit `rev` names, checked to be a revision and not an option; `flag` names the
/// option in errors.
pub fn verified_commit(dir: &Path, rev: &str, flag: &str) -> Result<String> {
    if rev.starts_with('-') || rev.is_empty() {
        bail!("{flag}: `{rev}` is not a revision");
    }
    let commit = git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .with_context(|| format!("{flag}: unknown revision `{rev}`"))?;
    Ok(commit.trim().to_string())
}

/// The commit where HEAD left `rev`'s history (`git merge-base REV HEAD`).
pub fn merge_base(dir: &Path, rev: &str) -> Result<String> {
    let flag = "--new-from-merge-base";
    let commit = verified_commit(dir, rev, flag)?;
    let base = git(dir, &["merge-base", &commit, "HEAD"]).with_context(|| {
        format!("{flag}: `{rev}` and HEAD share no commit (in a shallow clone, fetch the history: `git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout)")
    })?;
    Ok(base.trim().to_string())
}

/// The zero-context diff between `commit` and the working tree, paths relative to `dir`.
pub fn diff_since(dir: &Path, commit: &str) -> Result<String> {
    git(
        dir,
        &[
            "diff",
            "--relative",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            commit,
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
        let here = std::path::Path::new(".");
        assert!(super::verified_commit(here, "--output=/tmp/x", "--new-from-rev").is_err());
        assert!(super::merge_base(here, "-x").is_err());
    }
}
