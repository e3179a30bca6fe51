#!/usr/bin/env bash
# Installs the pinned Python tools of packaging/requirements.txt into target/dist-tools/venv
# (once; again when the pins change), and the build backend the pre-commit shim needs into
# target/dist-tools/wheelhouse, so that the distribution tests install with --no-index.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/dist-tools
stamp=$tools/venv/.requirements
if ! cmp -s packaging/requirements.txt "$stamp" 2>/dev/null; then
  rm -rf "$tools"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r packaging/requirements.txt
  "$tools/venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
    --dest "$tools/wheelhouse" "setuptools==80.9.0"
  cp packaging/requirements.txt "$stamp"
fi
