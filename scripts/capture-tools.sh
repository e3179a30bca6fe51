#!/usr/bin/env bash
# Captures, from the pinned tools (scripts/install-tools.sh), what goaudit compiles in or tests on:
#   rules/tools/staticcheck.txt   `staticcheck -list-checks` (goaudit rules lists these)
#   rules/tools/govet.txt         the analyzers of `go tool vet help`
#   testdata/external/captured/   real output over the fixture module testdata/external, with
#                                 its absolute path replaced by $ROOT, for the parser tests
# Run it again after changing a pinned version or the Go toolchain; nothing reads the tools'
# listings at run time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-tools.sh"
export PATH="$root/target/tools:$PATH"
mkdir -p "$root/rules/tools" "$root/testdata/external/captured"

{
    echo "# $(staticcheck -version): staticcheck -list-checks"
    staticcheck -list-checks
} >"$root/rules/tools/staticcheck.txt"
{
    echo "# $(go version | cut -d' ' -f3): go tool vet help"
    go tool vet help 2>&1 | awk '/^Registered analyzers:/ {on=1; next} on && /^[^ ]/ {on=0} on && /^    [a-z]/ {sub(/^ +/, ""); print}'
} >"$root/rules/tools/govet.txt"

fixture="$root/testdata/external"
out="$root/testdata/external/captured"
hide() { sed "s#$fixture#\$ROOT#g"; }
cd "$fixture"
{ go vet -json ./... 2>"$out/govet.stderr" || true; } | hide >"$out/govet.stdout"
hide <"$out/govet.stderr" >"$out/govet.stderr.tmp" && mv "$out/govet.stderr.tmp" "$out/govet.stderr"
{ staticcheck -f json ./... || true; } | hide >"$out/staticcheck.jsonl"
echo "captured into rules/tools and $out" >&2
