//! The Go grammar goaudit parses with: tree-sitter-go 0.25's `grammar.js`, changed so that `new`
//! and `make` take an expression or a type (Go 1.26's `new(expr)`) and a shadowed `make` or `new`
//! parses as an ordinary call. `README.md` beside this crate lists the changes;
//! `scripts/regenerate-grammar.sh` regenerates `src/parser.c` from `grammar.js`.

use tree_sitter_language::LanguageFn;

extern "C" {
    fn tree_sitter_go() -> *const ();
}

/// The tree-sitter language of Go.
// SAFETY: `tree_sitter_go` is the generated parser's entry point and returns a pointer to its
// static language table.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_go) };

/// The node kinds of the grammar, as the tree-sitter CLI generated them.
pub const NODE_TYPES: &str = include_str!("../src/node-types.json");

/// The grammar's node-kind, token and field ids as constants (`build.rs` reads them from the
/// parser's tables).
pub mod kinds {
    include!(concat!(env!("OUT_DIR"), "/kinds.rs"));
}
