//! Compiles the rule catalogue (`rules/*.toml`) into the binary, and writes one fixture test per
//! rule for `tests/fixtures.rs` (so a failure names its rule).

use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("rules/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// Every catalogue file, by name, with its text.\npub static RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").unwrap();
    fs::write(Path::new(&out_dir).join("catalogue_files.rs"), out)
        .expect("write catalogue_files.rs");
    fs::write(
        Path::new(&out_dir).join("fixture_tests.rs"),
        fixture_tests(&files),
    )
    .expect("write fixture_tests.rs");
}

/// One `#[test]` per catalogue file, named as the rule, calling `tests/fixtures.rs`'s
/// `meets_its_fixtures(id)`.
fn fixture_tests(files: &[std::path::PathBuf]) -> String {
    let mut out = String::new();
    for f in files {
        let id = f.file_stem().unwrap().to_string_lossy();
        let name = id.replace('-', "_");
        out.push_str(&format!(
            "#[test]\nfn {name}() {{\n    meets_its_fixtures({id:?});\n}}\n\n"
        ));
    }
    out
}
