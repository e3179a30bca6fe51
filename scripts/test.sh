#!/usr/bin/env bash
# The test command: formatting, lints, the whole test suite, the release build, the
# distribution (scripts/test-dist.sh) and the command-line contract. Installs what the tests
# need (pinned) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

TREE_SITTER_CLI=0.27.1 # the version grammar/STAMP names; tests/grammar_stamp.rs regenerates with it
export PATH="$HOME/.cargo/bin:$PATH"
if [[ "$(tree-sitter --version 2>/dev/null | awk '{print $2}')" != "$TREE_SITTER_CLI" ]]; then
  echo "== installing tree-sitter-cli $TREE_SITTER_CLI (regenerates the Go parser in a test)"
  cargo install --locked --quiet "tree-sitter-cli@$TREE_SITTER_CLI"
fi

# zsh and fish check the completion scripts (tests/completion.rs); Debian bookworm's builds.
ZSH_DEB=5.9-4+b15
FISH_DEB=3.6.0-3.1+deb12u1
installed() { dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null; }
if [[ "$(installed zsh)" != "install ok installed $ZSH_DEB" ||
      "$(installed fish)" != "install ok installed $FISH_DEB" ]]; then
  echo "== installing zsh $ZSH_DEB and fish $FISH_DEB (they check the completion scripts)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "zsh=$ZSH_DEB" "fish=$FISH_DEB" >/dev/null
fi
export GOAUDIT_REQUIRE_SHELLS=1

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
echo "== cargo test"
cargo test --quiet 2>&1 | tee target/test.log
echo "== language server: a protocol client on a copy of testdata/demo"
python3 tests/lsp/client_test.py "${CARGO_TARGET_DIR:-target}/debug/goaudit"
echo "== evaluation harness"
python3 eval/test_harness.py
echo "== release build"
cargo build --release --quiet
echo "== fix check: every fix applied still builds and vets and adds no finding (demo, go-redis)"
scripts/fix-check.sh "${CARGO_TARGET_DIR:-target}/release/goaudit" testdata/demo
redis=$(cd "$(mktemp -d)" && go mod download -json github.com/redis/go-redis/v9@v9.23.0 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
scripts/fix-check.sh --skip-tests "${CARGO_TARGET_DIR:-target}/release/goaudit" "$redis"
echo "== fuzzer (600 cases; testdata/fuzz/ first)"
scripts/fuzz.sh --cases 600 --seed 1 --binary "${CARGO_TARGET_DIR:-target}/release/goaudit"
echo "== distribution: the wheel, the standalone binary, actionlint, the Action, pre-commit"
scripts/test-dist.sh
echo "== command-line contract"
contract=../shared/contract/check.sh
if [ -x "$contract" ]; then
  "$contract" target/release/goaudit
else
  echo "(no $contract beside the checkout; skipped)"
fi
