#!/usr/bin/env bash
# Checks that two goaudit binaries report the same findings (sorted JSON, every rule both know,
# the rules off by default too) on the demo module, every fixture folder and $(go env GOROOT)/src.
# A refactoring must leave them equal. testdata/fuzz/ is left out: it holds inputs that crashed
# older binaries (scripts/fuzz.sh).
#
#   scripts/findings-equal.sh OLD_BINARY NEW_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# The rules of the catalogue that both binaries know (a rule added since OLD is left out: OLD would
# refuse its id).
known() { "$1" rules | awk '{print $1}' | sort; }
all=$(comm -12 <(ls rules/*.toml | xargs -n1 basename | sed 's/\.toml$//' | sort) \
  <(comm -12 <(known "$old") <(known "$new")) | paste -sd, -)
# Each report reduced to its findings, one per line, sorted (timings and versions differ by design).
normalise() {
  python3 -c '
import json, sys
doc = json.load(sys.stdin)
rows = sorted(json.dumps(f, sort_keys=True) for f in doc.get("findings", []))
print("\n".join(rows))'
}
run() { # BINARY TARGET OUT
  "$1" audit "$2" --format json --no-cache -q --select "$all" 2>/dev/null | normalise >"$3" || true
}
status=0
targets=("testdata/demo/..." "$(go env GOROOT)/src/...")
for d in testdata/*/; do
  case $d in testdata/demo/|testdata/external/|testdata/report/|testdata/fuzz/) ;; *) targets+=("$d...") ;; esac
done
for t in "${targets[@]}"; do
  run "$old" "$t" "$work/old"; run "$new" "$t" "$work/new"
  if ! cmp -s "$work/old" "$work/new"; then
    echo "DIFFER: $t ($(wc -l <"$work/old") vs $(wc -l <"$work/new") findings)"
    diff "$work/old" "$work/new" | head -20 || true
    status=1
  fi
done
[ $status = 0 ] && echo "findings equal on ${#targets[@]} targets"
exit $status
