#!/usr/bin/env bash
# The test command: formatting, lints, the whole test suite, the release build and the
# command-line contract. Installs what the tests need (pinned) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
echo "== cargo test"
cargo test --quiet 2>&1 | tee target/test.log
echo "== release build"
cargo build --release --quiet
echo "== command-line contract"
contract=../shared/contract/check.sh
if [ -x "$contract" ]; then
  "$contract" target/release/goaudit
else
  echo "(no $contract beside the checkout; skipped)"
fi
