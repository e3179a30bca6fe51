//! Compiles the generated Go parser (`src/parser.c`) with the C compiler: the grammar's only build
//! step, so `cargo build` needs neither Node nor the tree-sitter CLI.

fn main() {
    let src = std::path::Path::new("src");
    let parser = src.join("parser.c");
    cc::Build::new()
        .std("c11")
        .include(src)
        .file(&parser)
        .warnings(false)
        .compile("tree-sitter-go");
    println!("cargo:rerun-if-changed={}", parser.display());
}
