#!/usr/bin/env bash
# The cost cases of the reliability work, each at sizes n, 2n and 4n: median wall time and
# peak memory of RUNS runs (default 3) per size, and the ratio per doubling (linear: about 2.0;
# done means time(4n)/time(n) <= 4.8). The inputs are generated (bench/costs/gen.py: one file;
# bench/costs/gen-packages.py: a module of N one-function packages).
#
#   bench/costs.sh [BINARY]          (default: target/release/goaudit, built first)
#
# CASES="05 08" runs only those cases; N05 ... N09 set each case's n (the defaults below).
#
# 05 mutex-not-unlocked on one function of n conditional Lock/Unlock pairs; 06 one composite
# literal of n bytes (over 4 MiB it is summarised: an analysis-budget finding, no parse of the
# data); 07 n nested `func(){...}()`; 08 a struct type nested n deep; 09 n packages, each
# importing the previous one (chain) or five of the layer before (layered); 10 n nested
# `go func(){...}()` under every rule (the goroutine rules once read each goroutine's whole body).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [ $# -ge 1 ]; then
  bin=$(realpath "$1")
else
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-$PWD/target}/release/goaudit
fi
runs=${RUNS:-3}
gen=$PWD/bench/costs/gen.py
genp=$PWD/bench/costs/gen-packages.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure NAME SIZE ARGS...: runs the binary in $work/m RUNS times; prints one line, sets $last.
measure() {
  local name=$1 size=$2; shift 2
  local secs=() mems=()
  for _ in $(seq "$runs"); do
    read -r s m < <(cd "$work/m" && timed "$bin" audit ./... --no-cache -q --format json "$@")
    secs+=("$s"); mems+=("$m")
  done
  local t m
  t=$(printf '%s\n' "${secs[@]}" | median)
  m=$(printf '%s\n' "${mems[@]}" | median)
  local ratio=""
  [ -n "${last:-}" ] && ratio=$(python3 -c "print(f'x{$t / max($last, 0.001):.2f} time')")
  printf '%-26s n=%-9s %8.3f s %6.0f MB  %s\n' "$name" "$size" "$t" "$m" "$ratio"
  last=$t
}

# file_case NAME KIND N ARGS...: one generated file at N, 2N, 4N.
file_case() {
  local name=$1 kind=$2 n=$3; shift 3
  last=
  for size in "$n" $((2 * n)) $((4 * n)); do
    rm -rf "$work/m"; mkdir -p "$work/m"
    printf 'module fuzz\n\ngo 1.22\n' > "$work/m/go.mod"
    python3 "$gen" "$kind" "$size" > "$work/m/a.go"
    measure "$name" "$size" "$@"
  done
}

# packages_case MODE N: a module of N, 2N, 4N packages.
packages_case() {
  local mode=$1 n=$2
  last=
  for size in "$n" $((2 * n)) $((4 * n)); do
    rm -rf "$work/m"
    python3 "$genp" "$work/m" "$size" "$mode"
    measure "09 imports $mode" "$size" --select all
  done
}

want() { [[ " ${CASES:-05 06 07 08 09 10} " == *" $1 "* ]]; }
echo "binary: $bin (medians of $runs runs)"
want 05 && file_case "05 mutex-not-unlocked" locks "${N05:-8000}" --select all
want 06 && file_case "06 composite literal" complit "${N06:-7500000}" --select all
want 07 && file_case "07 nested closures" closurenest "${N07:-5000}"
want 08 && file_case "08 nested struct types" structnest "${N08:-50000}" --select all
want 09 && packages_case chain "${N09:-5000}"
want 09 && packages_case layered "${N09:-5000}"
want 10 && file_case "10 nested goroutines" gonest "${N10:-4000}" --select all
exit 0
