#!/usr/bin/env bash
# Each of N (default 4) shards' wall time against the full run, run one after the other on this
# machine (in CI they run side by side), medians of RUNS (default 3), and a check that the merged
# shards equal the full run. No result cache: cold shards.
#
#   bench/shards.sh [N]                   # $(go env GOROOT)/src/... and src/cmd/...
#   TREE=prometheus bench/shards.sh [N]   # prometheus $PROM_VERSION, from the module cache
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cargo build --release --quiet
bin=$PWD/target/release/goaudit
n=${1:-4}
runs=${RUNS:-3}
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
case ${TREE:-std} in
  std)
    root=$(go env GOROOT)/src
    patterns=("$root/..." "$root/cmd/...")
    ;;
  prometheus)
    export GOWORK=off # the module zip lacks the nested modules its go.work lists
    version=${PROM_VERSION:-v0.316.0}
    src=$(cd /tmp && go mod download -json "github.com/prometheus/prometheus@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    cp -r "$src" "$tmp/prometheus"; chmod -R u+w "$tmp/prometheus"; cd "$tmp/prometheus"
    go mod download >/dev/null 2>&1 || true
    patterns=("./...")
    ;;
  *) echo "TREE is std or prometheus, not $TREE" >&2; exit 2 ;;
esac
audit=("$bin" audit "${patterns[@]}" -q --no-cache --format json)
# Median wall time and peak memory of RUNS runs of the command.
measure() {
  local times=() peak=0 s m
  for _ in $(seq "$runs"); do
    read -r s m < <(timed "$@")
    times+=("$s"); peak=$(( m > peak ? m : peak ))
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $peak"
}
read -r full fm < <(measure "${audit[@]}")
echo "tree: ${TREE:-std}; runs: $runs"
echo "full run: median $full s, peak $fm MB"
for i in $(seq "$n"); do
  read -r s m < <(measure "${audit[@]}" --shard "$i/$n")
  "${audit[@]}" --shard "$i/$n" >"$tmp/$i.json" || true
  python3 -c 'import sys; print(f"shard {sys.argv[1]}: median {float(sys.argv[2]):.2f} s ({100*float(sys.argv[2])/float(sys.argv[3]):.0f}% of the full run, goal <= 40%), peak {sys.argv[4]} MB")' "$i/$n" "$s" "$full" "$m"
done
"$bin" merge "$tmp"/[0-9]*.json --format json >"$tmp/merged.json"
"${audit[@]}" >"$tmp/full.json" || true
python3 - "$tmp/merged.json" "$tmp/full.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:3])
key = lambda f: json.dumps([f["rule"], f["location"], f["message"]], sort_keys=True)
print(f"merged shards: {len(a)} findings, full run: {len(b)}, equal: {sorted(map(key, a)) == sorted(map(key, b))}")
PY
