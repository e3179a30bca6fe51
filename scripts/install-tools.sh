#!/usr/bin/env bash
# Installs the external tools goaudit's tests and benchmarks run, pinned, into target/tools.
# goaudit itself looks for them on PATH at run time; the tests put target/tools first on PATH.
#
#   scripts/install-tools.sh            # installs what is missing or at another version
#
# The versions here are the ones goaudit prints in its "not installed" message (src/external/).
set -euo pipefail

STATICCHECK_VERSION=v0.8.2      # staticcheck 2026.2.2: built for Go 1.26
GOVULNCHECK_VERSION=v1.9.0

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/target/tools"
mkdir -p "$bin"

install() { # name module version
    local name=$1 module=$2 version=$3 stamp="$bin/.$1.version"
    if [[ -x "$bin/$name" && -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
        return 0
    fi
    echo "installing $module@$version into $bin" >&2
    GOBIN="$bin" go install "$module@$version"
    echo "$version" >"$stamp"
}

command -v go >/dev/null || { echo "install-tools: the go command is not on PATH" >&2; exit 2; }
install staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION"
install govulncheck golang.org/x/vuln/cmd/govulncheck "$GOVULNCHECK_VERSION"
