#!/usr/bin/env python3
"""Draws a reproducible random sample of findings for a precision review.

    goaudit audit DIR/... --select RULE --format json -o f.json
    scripts/eval-sample.py RULE N SEED f.json [more.json ...] > sample.md

Prints each sampled finding with the code around it (3 lines before, 2 after) as Markdown, with
a blank verdict to fill in."""
import json
import os
import random
import sys


def main():
    rule, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pool = []
    for path in sys.argv[4:]:
        data = json.load(open(path))
        root = data["summary"]["root"]
        for f in data["findings"]:
            if f["rule"] == rule:
                pool.append((root, f))
    pool.sort(key=lambda rf: (rf[0], rf[1]["location"]["file"], rf[1]["location"]["start"]["line"]))
    sample = random.Random(seed).sample(pool, min(n, len(pool)))
    print(f"{len(pool)} findings in the pool; {len(sample)} drawn with seed {seed}.\n")
    for i, (root, f) in enumerate(sample, 1):
        loc = f["location"]
        path = os.path.join(root, loc["file"])
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        line = loc["start"]["line"]
        lo, hi = max(1, line - 3), min(len(lines), line + 2)
        code = "\n".join(f"{k:5} {'>' if k == line else ' '} {lines[k - 1]}" for k in range(lo, hi + 1))
        print(f"### {i}. `{os.path.basename(root)}/{loc['file']}:{line}`\n")
        print(f"> {f['message']}\n")
        print(f"```go\n{code}\n```\n")
        print("**Verdict:** \n")


if __name__ == "__main__":
    main()
