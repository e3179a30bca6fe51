#!/usr/bin/env python3
"""Rewrites README.md's rule table (`goaudit rules --format markdown`) and docs/rules.md
(`goaudit rules --format reference`) from the catalogue."""
import subprocess, sys, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / "target/debug/goaudit")
table = subprocess.run([binary, "rules", "--format", "markdown"], check=True, capture_output=True, text=True).stdout
readme = root / "README.md"
lines = readme.read_text().splitlines(keepends=True)
start = next(i for i, l in enumerate(lines) if l.startswith("| rule | category | severity |"))
end = start
while end < len(lines) and lines[end].startswith("|"):
    end += 1
readme.write_text("".join(lines[:start]) + table + "".join(lines[end:]))
reference = subprocess.run([binary, "rules", "--format", "reference"], check=True, capture_output=True, text=True).stdout
(root / "docs/rules.md").write_text(reference)
