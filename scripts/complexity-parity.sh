#!/usr/bin/env bash
# Complexity parity: goaudit's cyclomatic and cognitive figures against gocyclo and gocognit,
# function by function, at the versions golangci-lint v2.15.0 requires (its go.mod).
#
#   scripts/complexity-parity.sh [--min-rate PCT] [--show N] [TARGET...]
#       TARGET     directories or .go files; default: $(go env GOROOT)/src
#       --min-rate exit 1 if either match rate is below PCT percent (default 100)
#       --show     mismatches to print per tool (default 10)
#   GOAUDIT=path/to/binary scripts/complexity-parity.sh   # test another build (runs `$GOAUDIT metrics`)
#
# The tools are installed pinned into target/tools on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=$PWD/target/tools
mkdir -p "$tools"
install_tool() { # install MODULE VERSION: installs MODULE/cmd/<name>@VERSION unless already there
  local mod=$1 version=$2 bin=${1##*/}
  if [ -x "$tools/$bin" ] &&
    go version -m "$tools/$bin" 2>/dev/null | grep -Eq "^[[:space:]]*mod[[:space:]]+$mod[[:space:]]+$version([[:space:]]|$)"; then
    return
  fi
  echo "installing $mod/cmd/$bin@$version into $tools" >&2
  GOBIN=$tools go install "$mod/cmd/$bin@$version"
}
# The versions golangci-lint v2.15.0, the newest v2 release on the Go module proxy, requires
# (`go mod download -json github.com/golangci/golangci-lint/v2@v2.15.0`, then its go.mod).
golangci_lint=v2.15.0
gocyclo=v0.6.0
gocognit=v1.3.0
install_tool github.com/fzipp/gocyclo "$gocyclo"
install_tool github.com/uudashr/gocognit "$gocognit"

if [ -z "${GOAUDIT:-}" ]; then
  GOAUDIT=$PWD/target/release/goaudit
  [ -x "$GOAUDIT" ] || cargo build --release --quiet
fi

opts=()
while [ $# -gt 0 ]; do
  case $1 in
    --min-rate|--show) opts+=("$1" "$2"); shift 2 ;;
    --) shift; break ;;
    -*) echo "complexity-parity: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || set -- "$(go env GOROOT)/src"

exec python3 scripts/complexity_parity.py --gocyclo "$tools/gocyclo" --gocognit "$tools/gocognit" \
  --versions "gocyclo $gocyclo, gocognit $gocognit (golangci-lint $golangci_lint)" \
  --goaudit "$GOAUDIT" "${opts[@]}" "$@"
