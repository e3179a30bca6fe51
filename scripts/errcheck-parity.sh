#!/usr/bin/env bash
# Parity of `unchecked-error` (mode = "errcheck") with errcheck, on the Go standard library and on
# prometheus. Installs errcheck pinned, runs both tools, matches reports by file and line on
# errcheck's file set (the linux/amd64 build, as `go list` sees it), and prints:
#   found  = share of errcheck's reports that goaudit also makes      (goal >= 90%)
#   extras = goaudit's reports errcheck does not make, / errcheck's   (goal <= 10%)
# Generated files are left out of both sides: goaudit indexes them but never reports on them.
#
#   scripts/errcheck-parity.sh                 # both targets
#   TARGETS=std scripts/errcheck-parity.sh     # one
set -euo pipefail

ERRCHECK_VERSION=${ERRCHECK_VERSION:-v1.9.0}
PROM_VERSION=${PROM_VERSION:-v0.316.0}
TARGETS=${TARGETS:-"std prometheus"}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/target/parity}
mkdir -p "$out" "$root/target/tools"
export GOWORK=off GOOS=linux GOARCH=amd64 GOFLAGS=-mod=readonly

GOBIN=$root/target/tools go install "github.com/kisielk/errcheck@$ERRCHECK_VERSION"
errcheck=$root/target/tools/errcheck
(cd "$root" && cargo build --release --quiet)
goaudit=$root/target/release/goaudit
config=$out/errcheck-mode.toml
printf '[rules.options.unchecked-error]\nmode = "errcheck"\n' > "$config"

target_dir() {
  case $1 in
    std) echo "$(go env GOROOT)/src" ;;
    prometheus)
      local dir
      dir=$(go mod download -json "github.com/prometheus/prometheus@$PROM_VERSION" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
      (cd "$dir" && go mod download)
      echo "$dir" ;;
  esac
}

run_target() {
  local name=$1 dir
  dir=$(target_dir "$name")
  echo "== $name ($dir)" >&2
  (cd "$dir" && go list -e -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .CgoFiles}}{{$d}}/{{.}}
{{end}}{{range .TestGoFiles}}{{$d}}/{{.}}
{{end}}{{range .XTestGoFiles}}{{$d}}/{{.}}
{{end}}' ./... > "$out/$name.files")
  if [ ! -s "$out/$name.errcheck.txt" ] || [ -n "${RERUN_ERRCHECK:-}" ]; then
    (cd "$dir" && "$errcheck" -abspath ./... > "$out/$name.errcheck.txt" 2> "$out/$name.errcheck.err") || true
  fi
  "$goaudit" audit "$dir/..." --config "$config" --select unchecked-error --format json -q \
    --timings -o "$out/$name.goaudit.json" 2> "$out/$name.goaudit.err" || true
  python3 "$root/scripts/parity_compare.py" "$name" "$out/$name.files" \
    "$out/$name.errcheck.txt" "$out/$name.goaudit.json" "$out/$name"
}

for t in $TARGETS; do run_target "$t"; done
