//! Helpers more than one test binary needs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the Go command in `scripts/<name>/` (standard library only) into `target/<name>` and
/// returns its path. Each test binary builds it once.
pub fn go_command(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = manifest.join("target").join(name);
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(manifest.join("scripts").join(name))
        .status()
        .expect("the go command is on PATH (the README's set-up needs Go)");
    assert!(status.success(), "go build of scripts/{name} failed");
    bin
}
