#!/usr/bin/env bash
# Writes testdata/upgrade/c032523/: what the binary of commit c032523 (the start of the 0.1
# series' first wave) records and honours on testdata/upgrade/module: its baseline, and which
# findings it reports and which its suppression comments silence. tests/upgrade.rs checks that
# today's binary still applies both. Run once; the outputs are committed.
#
#   scripts/upgrade-data.sh [BINARY]   # BINARY: a build of c032523 (else built in a worktree)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rev=c032523
binary=${1:-}
if [[ -z "$binary" ]]; then
  work=$(mktemp -d)
  trap 'git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  git -C "$root" worktree add --detach "$work/src" "$rev" >/dev/null
  cargo build --release --quiet --manifest-path "$work/src/Cargo.toml" --target-dir "$work/target"
  binary="$work/target/release/goaudit"
fi
out="$root/testdata/upgrade/$rev"
mkdir -p "$out"
cd "$root/testdata/upgrade/module"
"$binary" baseline ./... --no-cache -o "$out/baseline.json"
"$binary" audit ./... --no-cache --include-suppressed --format sarif -o "$out/results.sarif" || true
python3 - "$out/results.sarif" "$out/results.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
rows = []
for r in doc["runs"][0]["results"]:
    line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
    state = "suppressed" if r.get("suppressions") else "reported"
    rows.append(f"{state} {r['ruleId']} {line}")
with open(sys.argv[2], "w") as f:
    f.write("".join(f"{row}\n" for row in sorted(rows)))
PY
rm "$out/results.sarif"
echo "wrote $out/baseline.json and $out/results.txt with $("$binary" --version)"
