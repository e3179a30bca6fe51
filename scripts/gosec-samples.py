#!/usr/bin/env python3
"""Runs goaudit's taint and SQL rules on gosec's own test samples (vulnerable and fixed snippets).

    scripts/gosec-samples.py [GOSEC_MODULE_DIR]

gosec keeps its rule tests as Go sources in string literals with the number of issues it expects
(testutils/g*_samples.go). This extracts the samples of G107 (ssrf), G201/G202 (sql), G204
(command), G304/G305 (path, zip slip) into target/gosec-samples/<rule>/sNN/, audits them with
goaudit's default settings and prints, per sample, gosec's expected count and goaudit's findings.
gosec's expectations are gosec's opinion (it counts environment variables and os.Args as
tainted; goaudit does not by default), not ground truth: judge the differences.
"""
import collections, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/go/pkg/mod/github.com/securego/gosec/v2@v2.22.4")
OUT = os.path.join(ROOT, "target", "gosec-samples")
RULES = "command-injection,path-traversal,ssrf,sql-string-building"

meta = {}
for g in ["g107", "g201", "g202", "g204", "g304", "g305"]:
    text = open(f"{SRC}/testutils/{g}_samples.go").read()
    for i, m in enumerate(re.finditer(r"\{\[\]string\{((?:`[^`]*`\s*,?\s*)+)\},\s*(\d+),", text)):
        d = f"{OUT}/{g}/s{i:02d}"
        os.makedirs(d, exist_ok=True)
        for j, f in enumerate(re.findall(r"`([^`]*)`", m.group(1))):
            open(f"{d}/f{j}.go", "w").write(f)
        meta[f"{g}/s{i:02d}"] = int(m.group(2))
goaudit = os.path.join(ROOT, "target", "release", "goaudit")
out = subprocess.run([goaudit, "audit", f"{OUT}/...", "--select", RULES, "--format", "json"],
                     capture_output=True, text=True).stdout
found = collections.defaultdict(list)
for f in json.loads(out)["findings"]:
    found["/".join(f["location"]["file"].split("/")[:2])].append(f)
for k in sorted(meta):
    fs = found.get(k, [])
    lines = "; ".join(f"{f['location']['start']['line']}: {f['message'][:90]}" for f in fs)
    print(f"{k}  gosec {meta[k]}  goaudit {len(fs)}  {lines}")
