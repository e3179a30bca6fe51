#!/usr/bin/env bash
# goaudit against golangci-lint (pinned) with the linters that overlap goaudit's rules, on a large
# real module (prometheus, from the module cache): wall time and peak memory, medians of RUNS
# (default 3). golangci-lint runs with a cold analysis cache each time (`cache clean`), as
# goaudit has no result cache yet.
#
#   bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
GCL_VERSION=${GCL_VERSION:-v2.15.0}   # the first v2 release line built with Go 1.26 here
PROM_VERSION=${PROM_VERSION:-v0.316.0}
runs=${RUNS:-3}
export GOWORK=off # the module zip lacks the nested modules its go.work lists
cargo build --release --quiet
bin=$PWD/target/release/goaudit
gcl=$(go env GOPATH)/bin/golangci-lint
[ -x "$gcl" ] || go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GCL_VERSION"
src=$(cd /tmp && go mod download -json "github.com/prometheus/prometheus@$PROM_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
work=$(mktemp -d); trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src" "$work/prometheus"; chmod -R u+w "$work/prometheus"; cd "$work/prometheus"
go mod download >/dev/null 2>&1 || true
cat >"$work/golangci.yml" <<'YML'
version: "2"
linters:
  default: none
  enable: [errcheck, bodyclose, sqlclosecheck, gocyclo, gocognit, govet, gosec]
run:
  tests: true
YML
"$gcl" --version
g=(); gm=(); l=(); lm=()
for _ in $(seq "$runs"); do
  read -r s m < <(timed "$bin" audit ./... -q --no-cache --format json); g+=("$s"); gm+=("$m")
  "$gcl" cache clean
  read -r s m < <(timed "$gcl" run --config "$work/golangci.yml" --output.text.path stdout ./...); l+=("$s"); lm+=("$m")
done
files=$("$bin" audit ./... -q --no-cache --format json | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["files"], s["lines"])' || true)
python3 - "${g[*]}" "${gm[*]}" "${l[*]}" "${lm[*]}" "$files" <<'PY'
import statistics, sys
g, gm, l, lm = [list(map(float, a.split())) for a in sys.argv[1:5]]
files, lines = sys.argv[5].split()
mg, ml = statistics.median(g), statistics.median(l)
print(f"prometheus: {files} files, {lines} lines")
print(f"goaudit:       median {mg:.2f} s (runs {', '.join(f'{x:.2f}' for x in g)}), peak {max(gm):.0f} MB")
print(f"golangci-lint: median {ml:.2f} s (runs {', '.join(f'{x:.2f}' for x in l)}), peak {max(lm):.0f} MB")
print(f"wall-time ratio golangci-lint/goaudit: {ml/mg:.1f}x (goal >= 20x); memory goaudit/golangci-lint: {max(gm)/max(lm):.2f} (goal < 0.20)")
PY
