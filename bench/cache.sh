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

# Edits the first function body of the file: a statement with a new number each time (so the
# content was never seen before); the package's facts stay the same.
edits=0
toggle() {
  edits=$((edits + 1))
  python3 - "$edit" "$edits" <<'PY'
import re, sys
path, n = sys.argv[1], sys.argv[2]
text = re.sub(r"\t_ = \d+ // goaudit bench edit\n", "", open(path).read())
m = re.search(r"^func [^\n]*\{\n", text, re.M)
text = text[: m.end()] + f"\t_ = {n} // goaudit bench edit\n" + text[m.end():]
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
