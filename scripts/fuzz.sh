#!/usr/bin/env bash
# The fuzzer (scripts/fuzz.py): mutated files of the Go distribution, audited with every rule.
# Options: --cases N --seed S --binary PATH (default target/release/goaudit) --stop ...
set -euo pipefail
exec python3 "$(dirname "$0")/fuzz.py" "$@"
