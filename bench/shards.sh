#!/usr/bin/env bash
# Each of N (default 4) shards' wall time against the full run, run one after the other on this
# machine (in CI they run side by side), medians of RUNS (default 3) interleaved rounds, and a
# check that the merged shards equal the full run. No result cache: cold shards.
#
#   bench/shards.sh [N]                   # $(go env GOROOT)/src/... and src/cmd/...
#   TREE=prometheus bench/shards.sh [N]   # prometheus $PROM_VERSION, from the module cache
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cargo build --release --quiet
bin=$PWD/target/release/goaudit
stress=$PWD/bench/taint-stress.toml
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
# Rounds of the full run then each shard, so that a slower spell of a shared machine falls on
# all of them alike; medians and peaks over the rounds.
declare -A times peak
for _ in $(seq "$runs"); do
  for job in full $(seq "$n"); do
    args=(); [ "$job" = full ] || args=(--shard "$job/$n")
    read -r s m < <(timed "${audit[@]}" "${args[@]}")
    times[$job]+="$s "; peak[$job]=$(( m > ${peak[$job]:-0} ? m : ${peak[$job]:-0} ))
  done
done
full=$(median <<<"${times[full]}")
echo "tree: ${TREE:-std}; runs: $runs, interleaved"
echo "full run: median $full s (${times[full]% }), peak ${peak[full]} MB"
for i in $(seq "$n"); do
  s=$(median <<<"${times[$i]}")
  python3 -c 'import sys; print(f"shard {sys.argv[1]}: median {float(sys.argv[2]):.2f} s ({100*float(sys.argv[2])/float(sys.argv[3]):.0f}% of the full run, goal <= 40%; runs {sys.argv[5]}), peak {sys.argv[4]} MB")' "$i/$n" "$s" "$full" "${peak[$i]}" "${times[$i]% }"
done
# The merged shards against the full run: with the default rules, then with the taint rules
# reporting far more flows across packages (bench/taint-stress.toml).
equal() {
  local label=$1; shift
  for i in $(seq "$n"); do "${audit[@]}" "$@" --shard "$i/$n" >"$tmp/$i.json" || true; done
  "$bin" merge "$tmp"/[0-9]*.json --format json >"$tmp/merged.json"
  "${audit[@]}" "$@" >"$tmp/full.json" || true
  python3 - "$tmp/merged.json" "$tmp/full.json" "$label" <<'PY'
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:3])
key = lambda f: json.dumps([f["rule"], f["location"], f["message"]], sort_keys=True)
print(f"merged shards ({sys.argv[3]}): {len(a)} findings, full run: {len(b)}, equal: {sorted(map(key, a)) == sorted(map(key, b))}")
PY
}
equal "default rules"
equal "bench/taint-stress.toml" --config "$stress"
