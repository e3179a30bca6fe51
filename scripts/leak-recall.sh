#!/usr/bin/env bash
# Recall of goaudit's leak rules on the published test suites of bodyclose and sqlclosecheck.
#
# Fetches each module with `go mod download -json module@version`, runs goaudit's
# `unclosed-resource` over its testdata and compares with the suite's expectations: the
# `// want` comments, and for sqlclosecheck also testdata/*/expected_results.txt (its Makefile's
# `go vet` expectations). A wanted line counts as found when a finding sits on it or names it as
# the place the resource was acquired (goaudit reports at the leaking return, with the
# acquisition as a related location). Reports on no wanted line are "extra".
#
# bodyclose's `consumption` package tests an optional check (`-check-consumption`: the body must
# also be read) that goaudit does not implement; it is printed separately and not in the total.
#
# Usage: scripts/leak-recall.sh [path/to/goaudit]   (default: target/release/goaudit)
set -euo pipefail
cd "$(dirname "$0")/.."
GOAUDIT=${1:-target/release/goaudit}
BODYCLOSE=${BODYCLOSE:-github.com/timakin/bodyclose@v0.0.0-20260723120731-857993a2939c}
SQLCLOSECHECK=${SQLCLOSECHECK:-github.com/ryanrolds/sqlclosecheck@v0.6.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOPATH=${GOPATH:-$work/gopath} GOFLAGS=-mod=mod

dir_of() { go mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }
bc=$(dir_of "$BODYCLOSE")/passes/bodyclose/testdata/src
sc=$(dir_of "$SQLCLOSECHECK")/testdata

run() { # suite-name folder...
  local name=$1; shift
  for d in "$@"; do
    "$GOAUDIT" audit "$d" --select unclosed-resource --format json --quiet >"$work/$name-$(basename "$d").json" || true
  done
}
run bodyclose "$bc/a" "$bc/consumption"
run sqlclosecheck "$sc/pgx_examples" "$sc/sqlx_examples"

python3 - "$work" "$bc" "$sc" <<'PY'
import json, os, re, sys
work, bc, sc = sys.argv[1:]

def wants(folder, expected=None):
    out = set()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".go"):
            for i, line in enumerate(open(os.path.join(folder, name)), 1):
                if "// want " in line:
                    out.add((name, i))
    if expected and os.path.exists(expected):
        for line in open(expected):
            m = re.match(r"testdata/[^/]+/([^:]+\.go):(\d+):", line)
            if m:
                out.add((m.group(1), int(m.group(2))))
    return out

def findings(path):
    data = json.load(open(path))
    out = []
    for f in data.get("findings", []):
        name = os.path.basename(f["location"]["file"])
        lines = {f["location"]["start"]["line"]}
        lines |= {r["location"]["start"]["line"] for r in f.get("related", []) if "acquired" in r["message"]}
        out.append((name, lines, f["message"]))
    return out

def score(label, pairs):
    wanted, found, extra = 0, 0, []
    missing = []
    for folder, expected, result in pairs:
        w = wants(folder, expected)
        fs = findings(result)
        hit = {(n, l) for n, ls, _ in fs for l in ls} & w
        wanted += len(w); found += len(hit)
        missing += sorted(f"{os.path.basename(folder)}/{n}:{l}" for n, l in w - hit)
        extra += [f"{os.path.basename(folder)}/{n}:{min(ls)}: {m}" for n, ls, m in fs if not any((n, l) in w for l in ls)]
    share = 100.0 * found / wanted if wanted else 0.0
    print(f"{label}: {found}/{wanted} wanted lines found ({share:.0f}%), {len(extra)} extra reports ({100.0*len(extra)/max(wanted,1):.0f}% of wanted)")
    for m in missing: print(f"  missing {m}")
    for e in extra: print(f"  extra   {e}")
    return found, wanted, len(extra)

r1 = score("bodyclose (package a, the default analyzer)", [(f"{bc}/a", None, f"{work}/bodyclose-a.json")])
r2 = score("sqlclosecheck (pgx_examples, sqlx_examples)", [
    (f"{sc}/pgx_examples", f"{sc}/pgx_examples/expected_results.txt", f"{work}/sqlclosecheck-pgx_examples.json"),
    (f"{sc}/sqlx_examples", f"{sc}/sqlx_examples/expected_results.txt", f"{work}/sqlclosecheck-sqlx_examples.json")])
f, w, e = (r1[0] + r2[0], r1[1] + r2[1], r1[2] + r2[2])
print(f"TOTAL: {f}/{w} found ({100.0*f/w:.0f}%), {e} extra ({100.0*e/w:.0f}%)")
print()
score("not counted: bodyclose consumption (optional -check-consumption, not implemented)",
      [(f"{bc}/consumption", None, f"{work}/bodyclose-consumption.json")])
PY
