#!/usr/bin/env bash
# Compares goaudit's security rules with gosec on one Go tree, rule by rule.
#
#   scripts/gosec-compare.sh DIR [NAME]
#
# Runs `goaudit audit DIR/... --select <security rules> --format json` and `gosec -fmt=json ./...`
# in DIR (gosec pinned, installed by this script into target/tools), maps gosec's rule ids onto
# goaudit's, and prints per rule: goaudit's count, gosec's count, and the overlap (same file and
# line). The JSON outputs stay in target/gosec-compare/NAME-{goaudit,gosec}.json for sampling.
#
# Trees used for docs/security.md:
#   the standard library:  scripts/gosec-compare.sh "$(go env GOROOT)/src" std
#   gotify/server v2.6.1:  go mod download -json github.com/gotify/server/v2@v2.6.1 (copy Dir,
#                          `go mod download` inside), then scripts/gosec-compare.sh COPY gotify
#   gitea v1.22.6:         GOSUMDB=off go mod download -json code.gitea.io/gitea@v1.22.6 (same)
#
# GOAUDIT_ONLY=1 skips gosec (about 25 minutes on the standard library) and counts goaudit's
# findings alone; GOAUDIT_CONFIG=FILE passes --config (e.g. local-sources = true).
set -euo pipefail
GOSEC_VERSION=v2.22.4
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(cd "$1" && pwd)"
name="${2:-$(basename "$dir")}"
out="$root/target/gosec-compare"
mkdir -p "$out" "$root/target/tools"
gosec="$root/target/tools/gosec"
if [ -n "${GOAUDIT_ONLY:-}" ]; then
  goaudit="$root/target/release/goaudit"
  rules=command-injection,path-traversal,ssrf,sql-string-building,insecure-tls,weak-crypto,hardcoded-secret,http-server-timeouts,plain-http-url
  "$goaudit" audit "$dir/..." --select "$rules" --format json ${GOAUDIT_CONFIG:+--config "$GOAUDIT_CONFIG"} > "$out/$name-goaudit.json" || true
  python3 -c 'import collections, json, sys
c = collections.Counter(f["rule"] for f in json.load(open(sys.argv[1]))["findings"])
for r in sys.argv[2].split(","):
    print(f"{r:22} {c[r]:8}")' "$out/$name-goaudit.json" "$rules"
  exit 0
fi
[ -x "$gosec" ] || GOBIN="$root/target/tools" go install "github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION"
goaudit="$root/target/release/goaudit"
[ -x "$goaudit" ] || (cd "$root" && cargo build --release)
rules=command-injection,path-traversal,ssrf,sql-string-building,insecure-tls,weak-crypto,hardcoded-secret,http-server-timeouts,plain-http-url
"$goaudit" audit "$dir/..." --select "$rules" --format json > "$out/$name-goaudit.json" || true
if [ ! -s "$out/$name-gosec.json" ]; then
  (cd "$dir" && "$gosec" -fmt=json -out="$out/$name-gosec.json" -no-fail -quiet ./... > /dev/null 2>&1 || true)
fi
python3 - "$dir" "$out/$name-goaudit.json" "$out/$name-gosec.json" <<'PY'
import json, os, sys
root, ga_path, gs_path = sys.argv[1:]
MAP = {
    "command-injection": ["G204", "G702"],
    "path-traversal": ["G304", "G305", "G703"],
    "ssrf": ["G107", "G704"],
    "sql-string-building": ["G201", "G202", "G701"],
    "insecure-tls": ["G402"],
    "weak-crypto": ["G401", "G405", "G406", "G501", "G502", "G503", "G505", "G507", "G404"],
    "hardcoded-secret": ["G101"],
    "http-server-timeouts": ["G112", "G114"],
    "plain-http-url": [],
}
ga = json.load(open(ga_path))["findings"]
gs = json.load(open(gs_path)).get("Issues") or []
def gkey(i):
    return (os.path.relpath(i["file"], root), int(str(i["line"]).split("-")[0]))
print(f"{'rule':22} {'goaudit':>8} {'gosec':>8} {'overlap':>8}  gosec ids")
for rule, ids in MAP.items():
    a = {(f["location"]["file"], f["location"]["start"]["line"]) for f in ga if f["rule"] == rule}
    b = {gkey(i) for i in gs if i["rule_id"] in ids}
    # gosec reports a statement where goaudit reports the expression: allow one line of slack.
    both = {k for k in a if k in b or (k[0], k[1] - 1) in b or (k[0], k[1] + 1) in b}
    print(f"{rule:22} {len(a):8} {len(b):8} {len(both):8}  {','.join(ids) or '-'}")
PY
