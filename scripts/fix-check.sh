#!/usr/bin/env bash
# The fix check: every fix goaudit applies (`--fix --unsafe-fixes`) must leave code that builds,
# vets and tests as before, and must add no finding.
#
#   scripts/fix-check.sh [OPTIONS] BINARY [MODULE_DIR...]
#
# MODULE_DIR defaults to the modules of eval/modules.txt, found in the module cache with
# `go mod download -json module@version` (as eval/run.sh does; MODULES=FILE for another
# `module version` list). Options:
#   --json OUT          also write the figures as JSON to OUT
#   --test-timeout SECS the `go test -timeout` of each package (default 300)
#   --skip-tests        no `go test` (build, vet and re-audit only)
#   -p N                go build/vet/test's -p (default: go's, the number of CPUs)
#   --keep              keep the work folders (their path is printed) instead of removing them
#
# For each module, in a writable copy:
#  1. before: `go build ./...` must pass (else the module is skipped and said so); goaudit's JSON
#     report (--no-cache) is kept.
#  2. apply: a second copy is fixed with `goaudit audit ./... --fix --unsafe-fixes --no-cache`;
#     the files it touched (compared with the pristine copy) and their packages are found, and
#     the fixes goaudit applied are worked out by applying the report's fixes the way it does
#     (src/fix.rs) and checked against the fixed files byte for byte.
#  3. after: `go build ./...`, and when it passes `go vet` of the touched packages, whose type
#     check also compiles their tests (which go build leaves out): its `vet: file:line: ...` errors
#     that were not there before count as compile errors too. Each compile error is mapped to the
#     nearest applied edit in its file, the blamed fixes are taken out and both are run again,
#     until the code compiles or no error maps to a fix: so every fix that breaks the build is
#     named, even those whose errors the first ones hid (go stops at a package that fails; its
#     dependants are not built).
#     `go vet` and `go test -count=1 -short -vet=off` of the touched packages run before and after
#     (after = the fixed code, less the fixes that broke the build, if any). Only vet lines that
#     are new (compared without line numbers) count, and only new test failures: a package whose
#     tests passed before and fail after, or one that failed before and now has failing tests
#     that did not fail then (or a new build or setup failure); a failure must show again when
#     the package is rerun (else it is listed as flaky). A failing package with several fixes is
#     tested again with each fix alone to find the one to blame. The fixed copy is re-audited: a
#     finding is new when no finding before has the same file, rule, function and message with
#     its numbers left out (line numbers shift; the fingerprint-based count is shown beside it);
#     new findings are tied to the applied fix nearest them in the same function.
#  4. report: per module and fix kind (rule + applicability): offered, applied, broke build,
#     broke vet, broke tests, new findings; for every broken build the fix (file, line, inserted
#     text), the compiler's errors and a cause guessed from them.
#
# Exit 0 when every check passes, 1 when a fix broke something (or a check could not run),
# 2 on usage errors. Sets GOFLAGS=-mod=mod GOWORK=off like eval/run.sh; never writes into the
# module cache or MODULE_DIR.
set -euo pipefail
shopt -s inherit_errexit

usage() {
  sed -n '5,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
helper=$here/fix_check.py
json_out=- test_timeout=300 skip_tests=0 keep=0 jobs=
positional=()
while [ $# -gt 0 ]; do
  case $1 in
    --json) [ $# -ge 2 ] || usage; json_out=$2; shift 2 ;;
    --json=*) json_out=${1#--json=}; shift ;;
    --test-timeout) [ $# -ge 2 ] || usage; test_timeout=$2; shift 2 ;;
    --test-timeout=*) test_timeout=${1#--test-timeout=}; shift ;;
    --skip-tests) skip_tests=1; shift ;;
    -p) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    --) shift; positional+=("$@"); break ;;
    -*) echo "fix-check: unknown option $1" >&2; usage ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -ge 1 ] || usage
[[ $test_timeout =~ ^[0-9]+$ && $test_timeout -gt 0 ]] || { echo "fix-check: --test-timeout wants seconds" >&2; exit 2; }
[ -z "$jobs" ] || [[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fix-check: -p wants a number" >&2; exit 2; }
binary=$(realpath -- "${positional[0]}" 2>/dev/null) || { echo "fix-check: no such binary: ${positional[0]}" >&2; exit 2; }
[ -f "$binary" ] && [ -x "$binary" ] || { echo "fix-check: not an executable: $binary" >&2; exit 2; }
if [ "$json_out" != - ]; then
  mkdir -p "$(dirname -- "$json_out")"
  json_out=$(realpath -- "$json_out")
fi
command -v go >/dev/null || { echo "fix-check: go is not on PATH" >&2; exit 2; }

export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod${jobs:+ -p=$jobs}" GOWORK=off
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fix-check.XXXXXX")
if [ "$keep" = 1 ]; then
  echo "fix-check: work folders kept in $scratch" >&2
else
  trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
fi

# The module's folder in the cache (downloading it, and its dependencies, when missing).
module_dir() {
  local dir
  dir=$(cd "$scratch" && go mod download -json "$1@$2" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  if ! (cd "$dir" && GOPROXY=off go mod download >/dev/null 2>&1); then
    echo "fix-check: downloading the dependencies of $1@$2" >&2
    (cd "$dir" && go mod download)
  fi
  echo "$dir"
}

# What to call a module: its path (from go.mod), with the version when the folder says it.
label_of() {
  local dir=$1 path base
  path=$(sed -n 's/^module[[:space:]]\{1,\}"\{0,1\}\([^"[:space:]]*\).*/\1/p' "$dir/go.mod" | head -1)
  base=$(basename -- "$dir")
  if [[ $base == *@* ]]; then
    echo "${path:-$base}@${base##*@}"
  else
    echo "${path:-$base}"
  fi
}

dirs=()
modules=${MODULES:-$here/../eval/modules.txt}
if [ ${#positional[@]} -ge 2 ]; then
  for d in "${positional[@]:1}"; do
    [ -f "$d/go.mod" ] || { echo "fix-check: not a module folder (no go.mod): $d" >&2; exit 2; }
    dirs+=("$(realpath -- "$d")")
  done
else
  while read -r module version _; do
    [ -n "$module" ] || continue
    dirs+=("$(module_dir "$module" "$version")")
  done < <(grep -v '^\s*#' "$modules")
fi

# goaudit exits 0 (no findings) or 1 (findings); anything else is an error.
audit() {
  local dir=$1 out=$2 code=0
  (cd "$dir" && "$binary" audit ./... --format json -o "$out" --no-cache -q) || code=$?
  [ "$code" -le 1 ]
}

# Runs go in W/src with its output in a log; never fails (LOG.rc and LOG.secs say how it went).
go_in() {
  local w=$1 log=$2 rc=0 t=$SECONDS
  shift 2
  (cd "$w/src" && "$@") >"$w/$log" 2>&1 || rc=$?
  echo "$rc" >"$w/${log%.log}.rc"
  echo $((SECONDS - t)) >"$w/${log%.log}.secs"
}

check_module() {
  local dir=$1 label=$2 w=$3 t=$SECONDS rc r pkgs=() regressed=()
  say() { echo "fix-check: $label: $*" >&2; }
  mkdir -p "$w/src"
  (cd "$dir" && tar cf - --exclude=./.git .) | (cd "$w/src" && tar xf -)
  chmod -R u+w "$w/src"

  # 1. before
  say "go build ./... (before)"
  go_in "$w" build-before.log go build ./...
  if [ "$(cat "$w/build-before.rc")" != 0 ]; then
    say "go build fails before any fix: skipped"
    mapfile -t first < <(grep -v '^#' "$w/build-before.log" | head -5)
    python3 "$helper" status "$w" "$label" skipped "go build ./... fails before any fix:" "${first[@]}"
    return
  fi
  audit "$w/src" "$w/before.json" || {
    python3 "$helper" status "$w" "$label" error "goaudit failed on the pristine copy"
    return
  }

  # 2. apply, in a second copy
  cp -a "$w/src" "$w/after"
  rc=0
  (cd "$w/after" && "$binary" audit ./... --fix --unsafe-fixes --no-cache >/dev/null 2>"$w/fix.stderr") || rc=$?
  if [ "$rc" -gt 1 ]; then
    python3 "$helper" status "$w" "$label" error "goaudit --fix exited $rc:" "$(tail -3 "$w/fix.stderr")"
    return
  fi
  say "$(grep -o 'applied .*' "$w/fix.stderr" || echo 'applied no fix')"
  python3 "$helper" fixes "$w"
  if [ ! -s "$w/touched.txt" ]; then
    python3 "$helper" status "$w" "$label" "no fixes" "goaudit changed no file"
    return
  fi
  while read -r f; do
    if [ -f "$w/src/$f" ]; then mkdir -p "$(dirname "$w/orig/$f")" && cp -p "$w/src/$f" "$w/orig/$f"; fi
  done <"$w/touched.txt"
  mapfile -t pkgs <"$w/pkgs.txt"
  local test_cmd=(timeout $((test_timeout * (${#pkgs[@]} + 1) + 600)) go test -count=1 -short -vet=off -timeout "${test_timeout}s")

  if [ ${#pkgs[@]} -gt 0 ]; then
    say "go vet and go test of ${#pkgs[@]} touched package(s) (before)"
    go_in "$w" vet-before.log go vet "${pkgs[@]}"
    [ "$skip_tests" = 1 ] || go_in "$w" test-before.log "${test_cmd[@]}" "${pkgs[@]}"
  fi

  # 3. after: goaudit's fixed files into W/src
  while read -r f; do
    if [ -f "$w/after/$f" ]; then
      mkdir -p "$(dirname "$w/src/$f")" && cp -p "$w/after/$f" "$w/src/$f"
    else
      rm -f "$w/src/$f"
    fi
  done <"$w/touched.txt"
  r=0
  while :; do
    say "go build ./... and go vet of the touched packages (after, round $r)"
    go_in "$w" "build-after-$r.log" go build ./...
    if [ "$(cat "$w/build-after-$r.rc")" = 0 ] && [ ${#pkgs[@]} -gt 0 ]; then
      go_in "$w" "vet-after-$r.log" go vet "${pkgs[@]}"
    fi
    rc=0
    python3 "$helper" blame "$w" "$r" || rc=$?
    case $rc in
      4) break ;;                                                   # compiles
      0) r=$((r + 1)) ;;                                            # fixes taken out: again
      3) say "compile errors no applied fix accounts for: stopped"; break ;;
      *) say "the blame step failed ($rc)"; break ;;
    esac
    [ "$r" -lt 100 ] || break
  done
  if [ ${#pkgs[@]} -gt 0 ]; then
    if [ -f "$w/vet-after-$r.log" ]; then
      cp "$w/vet-after-$r.log" "$w/vet-after.log"
    else
      go_in "$w" vet-after.log go vet "${pkgs[@]}"
    fi
    if [ "$skip_tests" != 1 ]; then
      say "go test of the touched packages (after)"
      go_in "$w" test-after.log "${test_cmd[@]}" "${pkgs[@]}"
      mapfile -t regressed < <(python3 "$helper" regressed "$w" "$w/test-after.log")
      if [ ${#regressed[@]} -gt 0 ]; then
        say "rerunning the tests of ${#regressed[@]} package(s) that failed after the fixes"
        go_in "$w" test-rerun.log "${test_cmd[@]}" "${regressed[@]}"
        # a package with several fixes whose tests fail: its tests with one fix at a time
        local pkg pdir ids id
        while read -r pkg pdir ids; do
          for id in $ids; do
            say "tests of $pkg with fix $id alone"
            python3 "$helper" only "$w" "$pdir" "$id"
            go_in "$w" "test-alone-$id.log" "${test_cmd[@]}" "./$pdir"
          done
          python3 "$helper" only "$w" "$pdir" all
        done < <(python3 "$helper" isolate-plan "$w")
      fi
    fi
  fi
  say "re-audit"
  audit "$w/after" "$w/after.json" || say "goaudit failed on the fixed copy"
  python3 "$helper" module "$w" "$label"
  say "checked in $((SECONDS - t)) s"
}

works=()
i=0
for dir in "${dirs[@]}"; do
  i=$((i + 1))
  w=$scratch/$i
  works+=("$w")
  check_module "$dir" "$(label_of "$dir")" "$w"
done

rc=0
python3 "$helper" report "$json_out" "${works[@]}" || rc=$?
exit "$rc"
