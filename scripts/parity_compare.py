#!/usr/bin/env python3
"""Compares errcheck's reports with goaudit's unchecked-error findings by (file, line).

    parity_compare.py NAME FILES ERRCHECK_TXT GOAUDIT_JSON OUT_PREFIX

Writes OUT_PREFIX.missing.txt (errcheck only) and OUT_PREFIX.extra.txt (goaudit only)."""
import json
import os
import re
import sys

GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.$")


def generated(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\r\n")
                if line.startswith("package "):
                    return False
                if GENERATED.match(line):
                    return True
    except OSError:
        pass
    return False


def main():
    name, files_path, errcheck_path, goaudit_path, prefix = sys.argv[1:6]
    files = {os.path.realpath(l.strip()) for l in open(files_path) if l.strip()}
    gen = {f for f in files if generated(f)}
    files -= gen
    errcheck, in_generated = {}, 0
    for line in open(errcheck_path, encoding="utf-8", errors="replace"):
        m = re.match(r"^(.*?\.go):(\d+):\d+:\s?(.*)$", line.rstrip("\n"))
        if not m:
            continue
        path = os.path.realpath(m.group(1))
        if path in gen:
            in_generated += 1
            continue
        if path in files:
            errcheck[(path, int(m.group(2)))] = m.group(3)
    data = json.load(open(goaudit_path))
    root = data["summary"]["root"]
    goaudit = {}
    for f in data["findings"]:
        if f["rule"] != "unchecked-error":
            continue
        path = os.path.realpath(os.path.join(root, f["location"]["file"]))
        if path in files:
            goaudit[(path, f["location"]["start"]["line"])] = f["message"]
    both = errcheck.keys() & goaudit.keys()
    missing = sorted(errcheck.keys() - goaudit.keys())
    extra = sorted(goaudit.keys() - errcheck.keys())
    n = max(len(errcheck), 1)
    with open(prefix + ".missing.txt", "w") as out:
        for k in missing:
            out.write(f"{k[0]}:{k[1]}\t{errcheck[k]}\n")
    with open(prefix + ".extra.txt", "w") as out:
        for k in extra:
            out.write(f"{k[0]}:{k[1]}\t{goaudit[k]}\n")
    print(
        f"{name}: errcheck {len(errcheck)} reports (file:line, linux/amd64 files, "
        f"{in_generated} more in generated files left out); goaudit {len(goaudit)}; "
        f"found {len(both)} = {100 * len(both) / n:.1f}%; "
        f"extras {len(extra)} = {100 * len(extra) / n:.1f}% of errcheck's count"
    )


if __name__ == "__main__":
    main()
