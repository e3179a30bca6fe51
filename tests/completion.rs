//! `goaudit completion SHELL`: every script parses in its shell, and bash and fish complete a
//! subcommand and a flag with it. zsh and fish are installed by scripts/test.sh, which sets
//! GOAUDIT_REQUIRE_SHELLS=1 so that a missing shell fails there instead of skipping.

use std::path::Path;
use std::process::Command;

fn script(shell: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["completion", shell])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("goaudit"), "{shell}: {text}");
    text
}

/// Whether `shell` runs here; a missing shell fails under GOAUDIT_REQUIRE_SHELLS=1.
fn shell_present(shell: &str) -> bool {
    let present = Command::new(shell)
        .args(["-c", "exit 0"])
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        assert!(
            std::env::var_os("GOAUDIT_REQUIRE_SHELLS").is_none(),
            "{shell} is not installed (scripts/test.sh installs it)"
        );
        eprintln!("skipped: {shell} is not installed");
    }
    present
}

/// Runs `shell` with `args`, the script's path last; returns standard output.
fn run(shell: &str, args: &[&str], script: &Path) -> String {
    let out = Command::new(shell).args(args).arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{shell} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_script_parses_in_its_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, check) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        let path = dir.path().join(shell);
        std::fs::write(&path, script(shell)).unwrap();
        if shell_present(shell) {
            run(shell, &[check], &path);
        }
    }
    for shell in ["elvish", "powershell"] {
        script(shell);
    }
}

#[test]
fn bash_completes_subcommands_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("goaudit.bash");
    std::fs::write(&path, script("bash")).unwrap();
    let complete = |words: &str| {
        let program = format!(
            "source \"$1\"; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMP_LINE=\"{words}\"; COMP_POINT=${{#COMP_LINE}}; _goaudit goaudit; printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        run("bash", &["-c", &program, "bash"], &path)
    };
    assert!(complete("goaudit au").lines().any(|l| l == "audit"));
    assert!(complete("goaudit audit --new-from-m")
        .lines()
        .any(|l| l == "--new-from-merge-base"));
}

#[test]
fn fish_completes_subcommands_and_flags() {
    if !shell_present("fish") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("goaudit.fish");
    std::fs::write(&path, script("fish")).unwrap();
    let complete = |line: &str| {
        let program = format!("source $argv[1]; complete --do-complete '{line}'");
        run("fish", &["-c", &program], &path)
    };
    assert!(complete("goaudit ca")
        .lines()
        .any(|l| l.starts_with("cache")));
    assert!(complete("goaudit audit --new-code ")
        .lines()
        .any(|l| l.starts_with("function")));
}
