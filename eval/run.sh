#!/usr/bin/env bash
# The evaluation run: audits each module of the evaluation list with every rule on and with the
# defaults, then draws the seeded sample judges read (eval/JUDGE.md) and eval/report.py scores.
#
#   eval/run.sh BINARY [OUTDIR]        # OUTDIR defaults to eval/run
#   SEED=7 eval/run.sh BINARY OUTDIR   # another sample (default seed 1729)
#   MODULES=FILE                       # another `module version` list
#
# Writes OUTDIR/rules.json, OUTDIR/findings/<module>@<version>.{all,default}.json (goaudit's
# reports), and through eval/sample.py counts.json, findings.jsonl.gz, sample.jsonl and
# samples/batch-N.md. Downloads the modules and their dependencies into the module cache when
# missing; never writes into the cache otherwise. See docs/evaluation.md.
set -euo pipefail
shopt -s inherit_errexit

[ $# -ge 1 ] || { echo "usage: eval/run.sh BINARY [OUTDIR]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
binary=$(realpath "$1")
outdir=${2:-eval/run}
seed=${SEED:-1729}
modules=$(realpath "${MODULES:-$here/modules.txt}")
[ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 2; }

mkdir -p "$outdir/findings"
outdir=$(realpath "$outdir")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod" GOWORK=off
start=$SECONDS

"$binary" rules --format json >"$outdir/rules.json"

# The module's folder in the cache, downloading the module (and then, unless they are all there
# already, its dependencies, so the audit resolves their signatures).
module_dir() {
  local dir
  dir=$(cd "$scratch" && go mod download -json "$1@$2" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  if ! (cd "$dir" && GOPROXY=off go mod download >/dev/null 2>&1); then
    echo "downloading the dependencies of $1@$2" >&2
    (cd "$dir" && go mod download)
  fi
  echo "$dir"
}

# goaudit exits 0 (no findings) or 1 (findings); anything else is an error.
audit() {
  local dir=$1 out=$2 code=0
  shift 2
  (cd "$dir" && "$binary" audit ./... "$@" --format json -o "$out" --no-cache -q) || code=$?
  if [ "$code" -gt 1 ]; then
    echo "goaudit exited $code in $dir" >&2
    exit 1
  fi
}

grep -v '^\s*#' "$modules" | while read -r module version _; do
  [ -n "$module" ] || continue
  dir=$(module_dir "$module" "$version")
  slug="${module//\//_}@$version"
  t=$SECONDS
  audit "$dir" "$outdir/findings/$slug.all.json" --select all
  audit "$dir" "$outdir/findings/$slug.default.json"
  echo "$module@$version: audited in $((SECONDS - t)) s" >&2
done

python3 "$here/sample.py" "$outdir" "$modules" "$seed"
echo "eval/run.sh: $((SECONDS - start)) s wall, seed $seed, output in $outdir" >&2
