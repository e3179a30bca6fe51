#!/usr/bin/env bash
# Regenerates the Go parser (grammar/src/parser.c, grammar.json, node-types.json) from
# grammar/grammar.js with the pinned tree-sitter CLI, and writes grammar/STAMP: the hashes of
# grammar.js and parser.c and the CLI's version, which tests/grammar_stamp.rs checks.
#
#   cargo install --locked tree-sitter-cli@0.27.1   # once; the npm package downloads a binary
#   scripts/regenerate-grammar.sh                   # after each change to grammar/grammar.js
#   scripts/regenerate-grammar.sh --check DIR       # regenerate into a copy in DIR, touch nothing
#
# The CLI generates with its bundled QuickJS, so no Node is needed either.
set -euo pipefail

CLI_MINOR=0.27
root="$(cd "$(dirname "$0")/.." && pwd)"

command -v tree-sitter >/dev/null || {
  echo "regenerate-grammar: tree-sitter is not on PATH; install it with: cargo install --locked tree-sitter-cli@0.27.1" >&2
  exit 2
}
version="$(tree-sitter --version | awk '{print $2}')"
[[ "$version" == "$CLI_MINOR".* ]] || {
  echo "regenerate-grammar: tree-sitter $version found, $CLI_MINOR.x needed (cargo install --locked tree-sitter-cli@0.27.1)" >&2
  exit 2
}

dir="$root/grammar"
if [[ "${1:-}" == "--check" ]]; then
  dir="${2:?--check needs a folder}"
  mkdir -p "$dir"
  cp "$root/grammar/grammar.js" "$root/grammar/tree-sitter.json" "$dir/"
fi

cd "$dir"
# The CLI writes src/parser.c, src/grammar.json, src/node-types.json and src/tree_sitter/*.h.
tree-sitter generate --abi 15 grammar.js
if [[ "${1:-}" != "--check" ]]; then
  {
    echo "grammar.js $(sha256sum grammar.js | cut -d' ' -f1)"
    echo "tree-sitter-cli $version"
    echo "parser.c $(sha256sum src/parser.c | cut -d' ' -f1)"
  } >STAMP
  echo "regenerated grammar/src/parser.c with tree-sitter $version; grammar/STAMP updated"
fi
