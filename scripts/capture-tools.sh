#!/usr/bin/env bash
# Captures, from the pinned tools (scripts/install-tools.sh), what goaudit compiles in or tests on:
#   rules/tools/staticcheck.txt   `staticcheck -list-checks` (goaudit rules lists these)
#   rules/tools/govet.txt         the analyzers of `go tool vet help`
#   testdata/external/captured/   real output over the fixture module testdata/external (and
#                                 govulncheck's over testdata/external/vuln), with absolute
#                                 paths replaced by $ROOT, for the parser tests
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

# govulncheck over testdata/external/vuln with a made-up offline database (the same two entries
# tests/external.rs writes): GO-2099-0001 in strconv.Atoi (called), GO-2099-0002 in
# strings.Repeat (package imported, symbol not called).
db="$(mktemp -d)"
trap 'rm -rf "$db"' EXIT
mkdir -p "$db/index" "$db/ID"
echo '{"modified":"2026-01-01T00:00:00Z"}' >"$db/index/db.json"
echo '[{"path":"stdlib","vulns":[{"id":"GO-2099-0001","modified":"2026-01-01T00:00:00Z","fixed":"1.99.0"},{"id":"GO-2099-0002","modified":"2026-01-01T00:00:00Z","fixed":"1.99.0"}]}]' >"$db/index/modules.json"
osv() { # id package symbol summary
    printf '{"schema_version":"1.3.1","id":"%s","modified":"2026-01-01T00:00:00Z","published":"2026-01-01T00:00:00Z","summary":"%s","details":"A made-up vulnerability for goaudit'"'"'s tests.","affected":[{"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.99.0"}]}],"ecosystem_specific":{"imports":[{"path":"%s","symbols":["%s"]}]}}]}\n' "$1" "$4" "$2" "$3" >"$db/ID/$1.json"
}
osv GO-2099-0001 strconv Atoi "Atoi trusts its input in strconv"
osv GO-2099-0002 strings Repeat "Repeat overflows in strings"
cd "$fixture/vuln"
GOPROXY=off govulncheck -db "file://$db" -json ./... | sed "s#$db#\$DB#g" >"$out/govulncheck.json"
echo "captured into rules/tools and $out" >&2
