#!/usr/bin/env bash
# Each of N (default 4) shards' wall time against the full run over $(go env GOROOT)/src, run
# one after the other on this machine (in CI they run side by side), and a check that the merged
# shards equal the full run.
#
#   bench/shards.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cargo build --release --quiet
bin=$PWD/target/release/goaudit
n=${1:-4}
root=$(go env GOROOT)/src
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
read -r full fm < <(timed "$bin" audit "$root/..." "$root/cmd/..." -q --no-cache --format json)
echo "full run: $full s, peak $fm MB"
for i in $(seq "$n"); do
  read -r s m < <(timed "$bin" audit "$root/..." "$root/cmd/..." -q --no-cache --format json --shard "$i/$n")
  "$bin" audit "$root/..." "$root/cmd/..." -q --no-cache --format json --shard "$i/$n" >"$tmp/$i.json" || true
  python3 -c 'import sys; print(f"shard {sys.argv[1]}: {float(sys.argv[2]):.2f} s ({100*float(sys.argv[2])/float(sys.argv[3]):.0f}% of the full run, goal <= 40%), peak {sys.argv[4]} MB")' "$i/$n" "$s" "$full" "$m"
done
"$bin" merge "$tmp"/*.json --format json >"$tmp/merged.json"
"$bin" audit "$root/..." "$root/cmd/..." -q --no-cache --format json >"$tmp/full.json" || true
python3 - "$tmp/merged.json" "$tmp/full.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:3])
key = lambda f: json.dumps([f["rule"], f["location"], f["message"]], sort_keys=True)
print(f"merged shards: {len(a)} findings, full run: {len(b)}, equal: {sorted(map(key, a)) == sorted(map(key, b))}")
PY
