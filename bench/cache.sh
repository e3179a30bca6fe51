#!/usr/bin/env bash
# Benchmark: the result cache over a copy of $(go env GOROOT)/src (the tree the go tool's ./...
# sees: cmd is a nested module). In one run: a cold audit (empty cache), warm audits (nothing
# changed), and warm audits after one function body was edited (its facts unchanged, so only its
# package is redone), medians of RUNS of each; `--timings` of the last of each kind.
#
#   bench/cache.sh                 RUNS=5 by default
#   EDIT=strings/strings.go bench/cache.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
source bench/lib.sh
bin=$PWD/target/release/goaudit
runs=${RUNS:-5}
edit=${EDIT:-strings/strings.go}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$(go env GOROOT)/src" "$work/src"
cache="$work/cache"
cd "$work/src"

audit() { "$bin" audit ./... -q --format json --cache-dir "$cache" -o "$work/out.json" "$@"; }

# Toggles a statement at the top of the first function body of the edited file: the package's
# facts stay the same, its files' contents do not.
toggle() {
  python3 - "$edit" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
mark = "\t_ = 0 // goaudit bench edit\n"
if mark in text:
    text = text.replace(mark, "", 1)
else:
    m = re.search(r"^func [^\n]*\{\n", text, re.M)
    text = text[: m.end()] + mark + text[m.end():]
open(path, "w").write(text)
PY
}

cold=(); warm=(); edited=()
for i in $(seq "$runs"); do
  rm -rf "$cache"
  read -r s _ < <(timed "$bin" audit ./... -q --format json --cache-dir "$cache" -o "$work/out.json"); cold+=("$s")
  read -r s _ < <(timed "$bin" audit ./... -q --format json --cache-dir "$cache" -o "$work/out.json"); warm+=("$s")
  toggle
  read -r s _ < <(timed "$bin" audit ./... -q --format json --cache-dir "$cache" -o "$work/out.json"); edited+=("$s")
done
echo "last warm run:";   { audit --timings 2>&1 >/dev/null || true; } | sed "s/^/  /"
toggle
echo "last edited run:"; { audit --timings 2>&1 >/dev/null || true; } | sed "s/^/  /"
echo "cache folder: $(du -sh "$cache" | cut -f1)"
python3 - "${cold[*]}" "${warm[*]}" "${edited[*]}" "$runs" "$edit" <<'PY'
import statistics, sys
c, w, e = [list(map(float, a.split())) for a in sys.argv[1:4]]
fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
print(f"runs: {sys.argv[4]} of each; edited file: {sys.argv[5]}")
print(f"cold (empty cache):     median {statistics.median(c):.2f} s ({fmt(c)})")
print(f"warm (nothing changed): median {statistics.median(w):.2f} s ({fmt(w)})")
print(f"warm after one edit:    median {statistics.median(e):.2f} s ({fmt(e)}) (goal < 0.5 s)")
PY
