#!/usr/bin/env bash
# The distribution tests, run by scripts/test.sh after the release build:
#   the wheel installs with pip into a fresh virtual environment and audits the demo module;
#   the standalone binary needs glibc 2.17 at most, is stripped and matches its checksum;
#   actionlint (pinned) passes action.yml and every workflow of the README and docs/;
#   action.yml's steps run against the local wheel, on a push and on a pull request;
#   the pre-commit hook (pre-commit from PyPI, pinned) installs through the wheel and runs.
# Installs go through `pip --no-index --find-links dist`: what a user types once the wheel is
# published, with dist/ standing in for PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/target/dist-tools
ACTIONLINT=v1.7.12

fail() { echo "test-dist: $*" >&2; exit 1; }

scripts/release.sh
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$root/dist $tools/wheelhouse" PIP_DISABLE_PIP_VERSION_CHECK=1
export XDG_CACHE_HOME=$work/cache
reference=${CARGO_TARGET_DIR:-target}/release/goaudit

# A throwaway git repository holding a copy of the demo module.
demo_repo() {
  mkdir -p "$1"
  cp -R testdata/demo/. "$1"
  git -C "$1" init --quiet --initial-branch=main
  git -C "$1" -c user.name=t -c user.email=t@t add -A
  git -C "$1" -c user.name=t -c user.email=t@t commit --quiet -m demo
}

echo "== the wheel: pip install --no-index --find-links dist goaudit, then audit the demo module"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-index --find-links dist goaudit
rc=0
"$work/venv/bin/goaudit" audit testdata/demo/... --no-cache -q --format concise >"$work/wheel.txt" || rc=$?
[ "$rc" -eq 1 ] || fail "the wheel's goaudit exited $rc on the demo module (1 expected: it has findings)"
"$reference" audit testdata/demo/... --no-cache -q --format concise >"$work/ref.txt" || true
diff -u "$work/ref.txt" "$work/wheel.txt" || fail "the wheel's findings differ from the release build's"
echo "$(wc -l <"$work/wheel.txt") findings, the same as the release build's"

echo "== the standalone binary: checksum, glibc 2.17 at most, stripped"
(cd dist && sha256sum --quiet -c SHA256SUMS)
tar -C "$work" -xzf "dist/goaudit-$version-x86_64-unknown-linux-gnu.tar.gz"
binary=$work/goaudit-$version-x86_64-unknown-linux-gnu/goaudit
newest=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1)
[ "$(printf '%s\nGLIBC_2.17\n' "$newest" | sort -V | tail -1)" = GLIBC_2.17 ] ||
  fail "the binary needs $newest (glibc 2.17 at most expected)"
if readelf -S "$binary" | grep -q '\.symtab'; then fail "the binary is not stripped"; fi
"$binary" --version
echo "needs $newest at most; stripped"

echo "== actionlint $ACTIONLINT: action.yml and every workflow of the README and docs/"
if [[ "$("$tools/bin/actionlint" -version 2>/dev/null | head -1)" != "$ACTIONLINT" ]]; then
  GOBIN=$tools/bin go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT"
fi
"$tools/venv/bin/python" scripts/workflows.py "$work/lint"
(cd "$work/lint" && git init --quiet && "$tools/bin/actionlint")

# The README's workflow: its `with:` inputs of goaudit's Action, as input=value words.
mapfile -t readme_inputs < <("$tools/venv/bin/python" scripts/workflows.py action-inputs)

echo "== action.yml's steps on a push (the README's inputs: ${readme_inputs[*]}): SARIF written, the step fails"
demo_repo "$work/push"
rc=0
"$tools/venv/bin/python" scripts/action-steps.py "$work/push" push "${readme_inputs[@]}" >"$work/push.log" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/push.log"; fail "the Audit step exited $rc on a push (1 expected)"; }
sarif=$(tail -1 "$work/push.log" | python3 -c 'import json,sys; print(json.load(sys.stdin)["audit"]["sarif-file"])')
results=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$sarif")
[ "$results" -eq "$(wc -l <"$work/ref.txt")" ] || fail "SARIF holds $results results, not every finding"
grep -q '^::error file=' "$work/push.log" || fail "no annotation in the Audit step's log"
echo "$results results in SARIF, annotations written"

echo "== action.yml's steps on a pull request: only what the branch added since the merge base"
git clone --quiet --bare "$work/push" "$work/origin.git"
git clone --quiet "$work/origin.git" "$work/dev"
dev() { git -C "$work/dev" -c user.name=t -c user.email=t@t "$@"; }
dev checkout --quiet -b feature
cat >"$work/dev/internal/agent/leak.go" <<'GO'
package agent

import "os"

// FirstLine reads a file's first byte and forgets to close it when the read fails.
func FirstLine(path string) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	b := make([]byte, 1)
	if _, err := f.Read(b); err != nil {
		return 0, err
	}
	return b[0], f.Close()
}
GO
dev add -A && dev commit --quiet -m "a new leak on the branch"
dev push --quiet origin feature
dev checkout --quiet main
echo "// a later change on main" >>"$work/dev/cmd/agentd/main.go"
dev commit --quiet -am "main moves on" && dev push --quiet origin main
git clone --quiet --depth 1 --branch feature "file://$work/origin.git" "$work/pr"
rc=0
"$tools/venv/bin/python" scripts/action-steps.py "$work/pr" pull_request:main "${readme_inputs[@]}" >"$work/pr.log" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/pr.log"; fail "the Audit step exited $rc on the pull request (1 expected)"; }
base=$(git -C "$work/push" rev-parse HEAD)
grep -q "changed since $base" "$work/pr.log" || { cat "$work/pr.log"; fail "the merge base is not the branch point"; }
files=$(grep -o '^::[a-z]* file=[^,]*' "$work/pr.log" | sort -u | sed 's/.*file=//')
[ "$files" = internal/agent/leak.go ] || { cat "$work/pr.log"; fail "findings outside the branch's change: $files"; }
echo "only internal/agent/leak.go reported, from the merge base $base"

echo "== pre-commit: the hook installs through the wheel and audits the repository"
export PRE_COMMIT_HOME=$work/pre-commit-home
demo_repo "$work/hooked"
rc=0
(cd "$work/hooked" && "$tools/venv/bin/pre-commit" try-repo "$root" goaudit --all-files) >"$work/try.log" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/try.log"; fail "pre-commit try-repo exited $rc (1 expected: the demo has findings)"; }
grep -q "goaudit.*Failed" "$work/try.log" || { cat "$work/try.log"; fail "the hook did not run"; }
grep -Eq '^[0-9]+ findings' "$work/try.log" || { cat "$work/try.log"; fail "no audit summary in the hook's output"; }
echo "the hook ran and failed the commit on the demo's findings"

echo "== pre-commit: the README's configuration, with this checkout as the repository"
"$tools/venv/bin/python" scripts/workflows.py pre-commit-config "$root" "$(git rev-parse HEAD)" \
  >"$work/hooked/.pre-commit-config.yaml"
git -C "$work/hooked" add .pre-commit-config.yaml
rc=0
(cd "$work/hooked" && "$tools/venv/bin/pre-commit" run --all-files) >"$work/run.log" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/run.log"; fail "pre-commit run exited $rc (1 expected)"; }
grep -Eq '^[0-9]+ findings' "$work/run.log" || { cat "$work/run.log"; fail "no audit summary in the hook's output"; }
echo "the README's configuration installs the hook at this commit and runs it"
