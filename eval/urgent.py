#!/usr/bin/env python3
"""The urgent findings of a run: every critical and high finding of the default run, the ones a
team reads first and CI fails on (see docs/evaluation.md, "The urgent findings").

    eval/urgent.py draw RUN_DIR [--modules FILE]
    eval/urgent.py score RUN_DIR [--carry OLD_RUN_DIR ...]

`draw` reads RUN_DIR/findings/<module>@<version>.default.json[.gz] (eval/run.sh's default-run
reports) and writes RUN_DIR/urgent.jsonl (one line per finding: id, module, version, file,
line, function, rule, severity, message) and RUN_DIR/samples/urgent.md, the batch the judges
read with eval/JUDGE.md. Ids are h01, h02, ... in the order of the module list, then file and
line, so a run that reports the same findings gives them the same ids.

`score` reads the judges' verdicts, RUN_DIR/verdicts/judge-a.jsonl and judge-b.jsonl (lines
{"id", "verdict", "why"}), and prints per judge the REAL, TRUE-MINOR and FALSE counts and rates
over the urgent findings, and the findings the judges disagree on. With --carry, a finding not
judged in RUN_DIR takes the verdicts given in an older run to the same finding (same module,
version, file, line and rule): the same claim at the same place is not judged twice. Findings
with no verdict at all are listed as unjudged."""
import argparse
import gzip
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
URGENT = ("critical", "high")
JUDGES = ("judge-a", "judge-b")
VERDICTS = ("REAL", "TRUE-MINOR", "FALSE")


def modules(path):
    """The (module, version) pairs of a module list, in order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 2:
                out.append((parts[0], parts[1]))
    return out


def read_report(run, module, version):
    base = os.path.join(run, "findings", f"{module.replace('/', '_')}@{version}.default.json")
    for path, opener in ((base, open), (base + ".gz", gzip.open)):
        if os.path.exists(path):
            with opener(path, "rt", encoding="utf-8") as f:
                return json.load(f)
    return None


def urgent_findings(run, module_list):
    out = []
    for module, version in modules(module_list):
        report = read_report(run, module, version)
        if report is None:
            print(f"urgent.py: no default-run report for {module}@{version} in {run}", file=sys.stderr)
            continue
        found = [f for f in report["findings"] if f["severity"] in URGENT]
        found.sort(key=lambda f: (f["location"]["file"], f["location"]["start"]["line"], f["rule"]))
        for f in found:
            out.append({
                "module": module,
                "version": version,
                "file": f["location"]["file"],
                "line": f["location"]["start"]["line"],
                "function": f.get("function") or "",
                "rule": f["rule"],
                "severity": f["severity"],
                "message": f["message"],
            })
    for i, f in enumerate(out, 1):
        f["id"] = f"h{i:02d}"
    return out


def module_cache():
    try:
        return subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "$(go env GOMODCACHE)"


def batch(found):
    cache = module_cache()
    lines = ["# Findings to judge (critical and high of the default run)", ""]
    for f in found:
        lines += [
            f"## {f['id']}",
            f"- module dir: `{cache}/{f['module']}@{f['version']}`",
            f"- file: `{f['file']}` line {f['line']}",
            f"- function: `{f['function']}`",
            f"- rule: `{f['rule']}` ({f['severity']})",
            f"- message: {f['message']}",
            "",
        ]
    return "\n".join(lines)


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def draw(args):
    found = urgent_findings(args.run, args.modules)
    os.makedirs(os.path.join(args.run, "samples"), exist_ok=True)
    write_atomically(os.path.join(args.run, "urgent.jsonl"),
                     "".join(json.dumps(f, sort_keys=True) + "\n" for f in found))
    write_atomically(os.path.join(args.run, "samples", "urgent.md"), batch(found))
    print(f"{len(found)} critical and high findings: {args.run}/samples/urgent.md")


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def key(f):
    return (f["module"], f["version"], f["file"], f["line"], f["rule"])


def verdicts_of(run):
    """Per judge, the verdict of each finding of `run`, by the finding's key."""
    found = {f["id"]: f for f in read_jsonl(os.path.join(run, "urgent.jsonl"))}
    out = {}
    for judge in JUDGES:
        for v in read_jsonl(os.path.join(run, "verdicts", f"{judge}.jsonl")):
            if v["id"] in found and v.get("verdict") in VERDICTS:
                out.setdefault(judge, {})[key(found[v["id"]])] = v["verdict"]
    return out


def score(args):
    found = read_jsonl(os.path.join(args.run, "urgent.jsonl"))
    if not found:
        sys.exit(f"urgent.py: no {args.run}/urgent.jsonl; run `eval/urgent.py draw {args.run}` first")
    runs = [verdicts_of(args.run)] + [verdicts_of(old) for old in args.carry or []]
    table = {}
    for judge in JUDGES:
        for f in found:
            verdict = next((r[judge][key(f)] for r in runs if key(f) in r.get(judge, {})), None)
            table.setdefault(f["id"], {})[judge] = verdict
    n = len(found)
    print(f"{n} critical and high findings in {args.run}")
    for judge in JUDGES:
        counts = {v: sum(1 for f in found if table[f["id"]][judge] == v) for v in VERDICTS}
        judged = sum(counts.values())
        rates = ", ".join(f"{v} {counts[v]} ({100 * counts[v] / judged:.0f}%)" for v in VERDICTS) \
            if judged else "nothing judged"
        print(f"  {judge}: {judged} judged: {rates}")
    split = [f for f in found if len({table[f["id"]][j] for j in JUDGES}) > 1]
    unjudged = [f for f in found if all(table[f["id"]][j] is None for j in JUDGES)]
    for title, rows in (("judges disagree", split), ("unjudged", unjudged)):
        if rows:
            print(f"  {title}: {len(rows)}")
            for f in rows:
                said = " / ".join(str(table[f["id"]][j]) for j in JUDGES)
                print(f"    {f['id']} {f['module']} {f['file']}:{f['line']} {f['rule']} ({said})")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("run")
    d.add_argument("--modules", default=os.path.join(HERE, "modules.txt"))
    d.set_defaults(func=draw)
    s = sub.add_parser("score")
    s.add_argument("run")
    s.add_argument("--carry", action="append")
    s.set_defaults(func=score)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
