#!/usr/bin/env bash
# How goaudit's time and peak memory grow with the tree: a quarter, a half and all of
# $(go env GOROOT)/src (top-level folders taken in order until their share of the .go files is
# reached). Medians of RUNS (default 3) runs; memory should stay flat (trees are dropped after
# their file's rules ran).
#
#   bench/growth.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cargo build --release --quiet
bin=$PWD/target/release/goaudit
runs=${RUNS:-3}
root=$(go env GOROOT)/src
mapfile -t dirs < <(find "$root" -mindepth 1 -maxdepth 1 -type d ! -name testdata ! -name vendor | sort)
total=$(find "$root" -name '*.go' | wc -l)
for share in 25 50 100; do
  pats=(); n=0
  for d in "${dirs[@]}"; do
    [ $((n * 100)) -ge $((total * share)) ] && break
    pats+=("$d/..."); n=$((n + $(find "$d" -name '*.go' | wc -l)))
  done
  [ "$share" = 100 ] && pats=("$root/..." "$root/cmd/...")
  secs=(); mems=()
  for _ in $(seq "$runs"); do
    read -r s m < <(timed "$bin" audit "${pats[@]}" -q --no-cache --format json)
    secs+=("$s"); mems+=("$m")
  done
  files=$("$bin" audit "${pats[@]}" -q --no-cache --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])' || true)
  echo "tree ${share}%: ${files} files audited, median $(printf '%s\n' "${secs[@]}" | median) s, peak $(printf '%s\n' "${mems[@]}" | sort -n | tail -1) MB"
done
