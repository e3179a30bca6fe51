#!/usr/bin/env bash
# The grammar's parity with go/parser over real modules (tests/grammar_parity.rs runs it over the
# Go distribution on every test run): downloads each MODULE@VERSION (default: the evaluation
# modules) and asserts that goaudit gives a parse-error exactly where go/parser rejects a file.
#
#   scripts/grammar-parity.sh                        # the evaluation modules (eval/modules.txt)
#   scripts/grammar-parity.sh example.com/m@v1.2.3   # others
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -eq 0 ]; then
  list="$root/eval/modules.txt"
  mapfile -t mods < <(grep -v '^#' "$list" | awk 'NF == 2 {print $1 "@" $2}')
else
  mods=("$@")
fi
dirs=()
for m in "${mods[@]}"; do
  dirs+=("$(go mod download -json "$m" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')")
done
cd "$root"
GOAUDIT_PARITY_DIRS="$(IFS=:; echo "${dirs[*]}")" \
  cargo test --quiet --test grammar_parity -- --ignored --nocapture 2>&1 | grep -v '^$'
