#!/usr/bin/env bash
# Benchmark: goaudit's full built-in audit against a parse-only pass (read + parse + one walk of
# every tree, no rules) over the same files, in one run on one machine. Medians of N runs of
# each, interleaved so that machine noise hits both alike; peak memory from /usr/bin/time -v.
#
#   bench/bench.sh [TREE...]      default: $(go env GOROOT)/src/... and $(go env GOROOT)/src/cmd/...
#   RUNS=5 bench/bench.sh
#   CALLGRIND=1 bench/bench.sh    also count instructions (steady under load) on $(go env GOROOT)/src/net/...
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/goaudit
runs=${RUNS:-5}
if [ $# -gt 0 ]; then trees=("$@"); else
  root=$(go env GOROOT)/src
  trees=("$root/..." "$root/cmd/...") # cmd is a nested module: the go tool's ./... skips it
fi

measure() { # measure ARGS... -> "seconds peak_kb"
  local out
  out=$( { /usr/bin/time -v "$bin" audit "${trees[@]}" -q --no-cache --format json "$@" >/dev/null; } 2>&1 || true)
  local wall kb
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' <<<"$out")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$out")
  python3 -c 'import sys; p=sys.argv[1].split(":"); s=float(p[-1])+60*float(p[-2] if len(p)>1 else 0)+3600*float(p[-3] if len(p)>2 else 0); print(s, sys.argv[2])' "$wall" "$kb"
}

"$bin" audit "${trees[@]}" -q --format json --timings 2>&1 >/dev/null | grep timings || true
parse=(); full=(); parse_mem=(); full_mem=()
for i in $(seq "$runs"); do
  read -r s kb < <(measure --parse-only); parse+=("$s"); parse_mem+=("$kb")
  read -r s kb < <(measure); full+=("$s"); full_mem+=("$kb")
done
python3 - "${parse[*]}" "${full[*]}" "${parse_mem[*]}" "${full_mem[*]}" "$runs" <<'PY'
import statistics, sys
p, f = [list(map(float, a.split())) for a in sys.argv[1:3]]
pm, fm = [list(map(int, a.split())) for a in sys.argv[3:5]]
mp, mf = statistics.median(p), statistics.median(f)
print(f"runs: {sys.argv[5]} of each, interleaved")
print(f"parse-only: median {mp:.2f} s (runs {', '.join(f'{x:.2f}' for x in p)}), peak {max(pm)/1024:.0f} MB")
print(f"full audit: median {mf:.2f} s (runs {', '.join(f'{x:.2f}' for x in f)}), peak {max(fm)/1024:.0f} MB")
print(f"ratio full/parse-only: {mf/mp:.2f} (goal <= 1.30); peak memory {max(fm)/1024:.0f} MB (goal < 300 MB)")
PY

if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  sub=$(go env GOROOT)/src/net/...
  count() { RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" audit "$sub" -q --no-cache --format json "$@" 2>&1 >/dev/null | awk '/Collected/ {print $NF}' || true; }
  p=$(count --parse-only); f=$(count)
  python3 -c 'import sys; p,f=int(sys.argv[1]),int(sys.argv[2]); print(f"callgrind on src/net/...: parse-only {p/1e9:.2f} G instructions, full {f/1e9:.2f} G, ratio {f/p:.3f}")' "$p" "$f"
fi
