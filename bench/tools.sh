#!/usr/bin/env bash
# Concurrency of the external tools, in one run on one machine: the built-in audit alone, go vet
# alone, staticcheck alone, both tools one after the other (what a CI script running
# `go vet ./... && staticcheck ./...` pays), both side by side, and `goaudit audit --go-vet
# --staticcheck`, which runs the tools one after another and its own rules inside their wait.
#
# Every measurement starts from empty caches (a fresh GOCACHE and STATICCHECK_CACHE), as a CI
# job without a cache does: both tools cache their results, so a warm second run measures nothing.
#
#   bench/tools.sh [PATTERN]        default: $(go env GOROOT)/src/net/...
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
cargo build --release --quiet
export PATH="$PWD/target/tools:$PATH"
bin="$PWD/target/release/goaudit"
pattern=${1:-$(go env GOROOT)/src/net/...}
base=${pattern%/...}
modroot=$(cd "$base" && dirname "$(go env GOMOD)")
rel="./${base#"$modroot"}"; rel="${rel/\/\//\/}"; [[ "$pattern" == */... ]] && rel="${rel%/}/..."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fresh() { rm -rf "$scratch/cache"; mkdir -p "$scratch/cache"; export GOCACHE="$scratch/cache/go" STATICCHECK_CACHE="$scratch/cache/sc"; }
# seconds COMMAND...: wall time of one run from empty caches (its output is not needed)
seconds() {
    fresh
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$scratch/stderr" || true
    t1=$(date +%s.%N)
    # a shared machine: another process writing `-o /dev/null` through an atomic rename replaces
    # the device with a file, and every tool that opens it fails; such a figure is worthless
    [ -c /dev/null ] || echo "bench/tools.sh: /dev/null is not a device (clobbered); this figure is unreliable" >&2
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}
vet() { (cd "$modroot" && go vet "$rel"); }
sc() { (cd "$modroot" && staticcheck "$rel"); }
both() { vet; sc; }
side_by_side() { vet & sc; wait; }
audit() { "$bin" audit "$pattern" -q --format json -o "$scratch/report.json" --go-vet --staticcheck --tool-timeout 60m --timings; }

echo "pattern: $pattern (tools run in $modroot on $rel); $(nproc) cores; $(go version | cut -d' ' -f3); $(staticcheck -version)"
builtin=$(seconds "$bin" audit "$pattern" -q --format json -o "$scratch/report.json")
vet_s=$(seconds vet)
sc_s=$(seconds sc)
seq_s=$(seconds both)
par_s=$(seconds side_by_side)
goaudit_s=$(seconds audit)
grep -E 'timings|warning' "$scratch/stderr" || true
awk -v b="$builtin" -v v="$vet_s" -v s="$sc_s" -v q="$seq_s" -v p="$par_s" -v g="$goaudit_s" 'BEGIN {
    printf "| run | wall (s) |\n| --- | --- |\n"
    printf "| goaudit, built-in rules only | %s |\n", b
    printf "| go vet alone | %s |\n", v
    printf "| staticcheck alone | %s |\n", s
    printf "| go vet, then staticcheck | %s |\n", q
    printf "| go vet and staticcheck side by side | %s |\n", p
    printf "| goaudit audit --go-vet --staticcheck | %s |\n", g
    printf "goaudit with both tools / the tools one after the other: %.2f (%+.0f%%)\n", g / q, 100 * (g / q - 1)
}'
