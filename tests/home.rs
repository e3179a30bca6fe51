//! The project's home and version are written once, in Cargo.toml: every address of the
//! project and every `goaudit==VERSION` pin the README, the docs, the Action and the Python
//! packages show a user must agree with it. And the README's first screen shows what the demo
//! audit really prints.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The files a user reads or installs from, relative to the repository's root.
fn published_files() -> Vec<String> {
    let mut files: Vec<String> = [
        "README.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "pyproject.toml",
        "packaging/pypi/pyproject.toml",
        "packaging/pypi/README.md",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for entry in std::fs::read_dir(Path::new(ROOT).join("docs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            files.push(format!("docs/{name}"));
        }
    }
    files
}

fn read(file: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap()
}

#[test]
fn every_address_of_the_project_is_its_home() {
    assert_eq!(
        goaudit::catalogue::HOME,
        "https://github.com/goaudit/goaudit"
    );
    let other = regex::Regex::new(r"github\.com/([\w.-]+)/goaudit\b").unwrap();
    for file in published_files() {
        for m in other.captures_iter(&read(&file)) {
            assert_eq!(
                format!("https://github.com/{}/goaudit", &m[1]),
                goaudit::catalogue::HOME,
                "{file} names another home for the project: {}",
                &m[0]
            );
        }
    }
}

#[test]
fn every_version_pin_is_the_version_of_cargo_toml() {
    let pin =
        regex::Regex::new(r#"goaudit(?:-pre-commit)?==([0-9][\w.]*)|rev: v([0-9][\w.]*)"#).unwrap();
    let mut seen = 0;
    for file in published_files() {
        for m in pin.captures_iter(&read(&file)) {
            let v = m.get(1).or(m.get(2)).unwrap().as_str();
            assert_eq!(v, VERSION, "{file} pins {} (Cargo.toml: {VERSION})", &m[0]);
            seen += 1;
        }
    }
    assert!(
        seen >= 3,
        "the pins of the shim, the README and the docs were found"
    );
    let shim = read("pyproject.toml");
    assert!(shim.contains(&format!("version = \"{VERSION}\"")));
    let action = read("action.yml");
    assert!(
        action.contains(&format!("default: \"{VERSION}\"")),
        "action.yml's version input defaults to {VERSION}"
    );
}

#[test]
fn the_readme_shows_what_the_demo_audit_prints() {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args([
            "audit",
            "./internal/agent/...",
            "--no-cache",
            "--color",
            "never",
        ])
        .current_dir(Path::new(ROOT).join("testdata/demo"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the demo has findings");
    let elapsed = regex::Regex::new(r"lines, [0-9.]+s\)").unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    let readme = read("README.md");
    let start = readme
        .find("```text\n")
        .expect("the README shows the output")
        + 8;
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    assert_eq!(
        elapsed.replace_all(shown, "lines, Ts)"),
        elapsed.replace_all(&printed, "lines, Ts)"),
        "the README's first screen is not what `goaudit audit ./internal/agent/...` prints in testdata/demo"
    );
}
