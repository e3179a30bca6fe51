#!/usr/bin/env python3
"""Draws the findings a change demoted below high (or removed) for blind judging.

    eval/demoted.py BEFORE_RUN AFTER_RUN MODULES_FILE SEED [N] [--from medium]

Compares the default runs of two eval/run.sh directories by finding id (rule and fingerprint),
and writes AFTER_RUN/demoted.jsonl (every critical or high finding of BEFORE that AFTER reports
lower or not at all) and AFTER_RUN/samples/demoted.md: N of them (default 20) not judged
before in either run's verdicts, drawn with SEED, rendered as sample.py renders a batch.
`--from medium` counts medium findings too (a medium finding moved to low or info leaves the
Markdown report's listed problems)."""
import glob
import json
import os
import random
import sys

import sample

HIGH = ("critical", "high")
ORDER = ("critical", "high", "medium", "low", "info")


def by_id(run_dir, modules):
    return {r["id"]: r for r in sample.load_findings(run_dir, modules, "default")}


def judged_ids(*run_dirs):
    ids = set()
    for run_dir in run_dirs:
        for path in glob.glob(os.path.join(run_dir, "verdicts", "**", "*.jsonl"), recursive=True):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        ids.add(json.loads(line)["id"])
    return ids


def main():
    args = sys.argv[1:]
    floor = "high"
    if "--from" in args:
        at = args.index("--from")
        floor = args[at + 1]
        del args[at:at + 2]
    before_dir, after_dir, modules_file, seed = args[0:4]
    n = int(args[4]) if len(args) > 4 else 20
    watched = ORDER[:ORDER.index(floor) + 1]
    modules = sample.read_modules(modules_file)
    before, after = by_id(before_dir, modules), by_id(after_dir, modules)

    def lower(r):
        now = after.get(r["id"])
        return now is None or ORDER.index(now["severity"]) > ORDER.index(r["severity"])

    demoted = [r for r in before.values()
               if r["severity"] in watched and (lower(r) if floor != "high" else
                                                 r["id"] not in after or after[r["id"]]["severity"] not in HIGH)]
    demoted.sort(key=sample.canonical)
    with open(os.path.join(after_dir, "demoted.jsonl"), "w", encoding="utf-8") as out:
        for r in demoted:
            now = after.get(r["id"], {}).get("severity", "removed")
            out.write(json.dumps({"id": r["id"], "rule": r["rule"], "before": r["severity"], "now": now,
                                  "module": r["module"], "file": r["file"], "line": r["line"]},
                                 sort_keys=True) + "\n")
    seen = judged_ids(before_dir, after_dir, os.path.join(os.path.dirname(__file__), "baseline"))
    pool = [after.get(r["id"], r) for r in demoted if r["id"] not in seen]
    picks = random.Random(int(seed)).sample(pool, min(n, len(pool)))
    picks.sort(key=sample.canonical)
    rules = sample.load_rules(after_dir)
    sources = sample.Sources(sample.module_cache())
    parts = [f"# Evaluation sample, demoted: {len(picks)} findings\n",
             "Judge every finding below as `eval/JUDGE.md` says. Locations read "
             "`MODULE@VERSION/FILE:LINE`, relative to the Go module cache (`go env GOMODCACHE`).\n"]
    for index, r in enumerate(picks, 1):
        parts.append(sample.render(sources, r, rules, index))
    os.makedirs(os.path.join(after_dir, "samples"), exist_ok=True)
    with open(os.path.join(after_dir, "samples", "demoted.md"), "w", encoding="utf-8") as md:
        md.write("\n".join(parts))
    print(f"{len(demoted)} demoted or removed; {len(pool)} never judged; {len(picks)} drawn", file=sys.stderr)


if __name__ == "__main__":
    main()
