#!/bin/sh
# Counts the goroutine rules' findings on the standard library, grpc and etcd (eval/history/*.md).
# Usage: scripts/goroutine-eval.sh OUTDIR   (needs a release build and the modules downloaded:
#   go mod download google.golang.org/grpc@v1.84.0 google.golang.org/grpc@v1.58.3
#   go mod download go.etcd.io/etcd/server/v3@v3.7.3)
set -eu
out=${1:-/tmp/goroutine-eval}
mkdir -p "$out"
mod=$(go env GOMODCACHE)
rules=goroutine-blocked-send,goroutine-blocked-receive,goroutine-uncancellable,waitgroup-misuse,mutex-not-unlocked,unguarded-shared-state,time-after-in-loop,loop-var-capture
for t in "std:$(go env GOROOT)/src" "grpc184:$mod/google.golang.org/grpc@v1.84.0" \
    "etcd:$mod/go.etcd.io/etcd/server/v3@v3.7.3" "grpc158:$mod/google.golang.org/grpc@v1.58.3"; do
    name=${t%%:*}
    dir=${t#*:}
    ./target/release/goaudit audit "$dir/..." --select "$rules" --format json -o "$out/$name.json" || true
done
python3 - "$out" <<'PY'
import collections, json, sys
out = sys.argv[1]
names = ["std", "grpc184", "etcd", "grpc158"]
rules = ["goroutine-blocked-send", "goroutine-blocked-receive", "goroutine-uncancellable",
         "waitgroup-misuse", "mutex-not-unlocked", "unguarded-shared-state",
         "time-after-in-loop", "loop-var-capture"]
counts = {}
for n in names:
    fs = json.load(open(f"{out}/{n}.json"))["findings"]
    counts[n] = collections.Counter((f["rule"], f["location"]["file"].endswith("_test.go")) for f in fs)
print("| rule | " + " | ".join(names) + " |")
print("| --- |" + " --- |" * len(names))
for r in rules:
    cells = [f"{counts[n][(r, False)]} + {counts[n][(r, True)]} test" for n in names]
    print(f"| `{r}` | " + " | ".join(cells) + " |")
PY
