#!/usr/bin/env python3
"""The urgent findings of a run: every critical and high finding of the default run, the ones a
team reads first and CI fails on (see docs/evaluation.md, "The urgent findings"); and the first
places a reader meets in each module's Markdown report.

    eval/urgent.py draw RUN_DIR [--modules FILE]
    eval/urgent.py draw-reading RUN_DIR BINARY [--modules FILE] [--first 25]
    eval/urgent.py score RUN_DIR [--set urgent|reading] [--carry OLD_RUN_DIR ...]

`draw` reads RUN_DIR/findings/<module>@<version>.default.json[.gz] (eval/run.sh's default-run
reports) and writes RUN_DIR/urgent.jsonl (one line per finding: id, module, version, file,
line, function, rule, severity, message) and RUN_DIR/samples/urgent.md, the batch the judges
read with eval/JUDGE.md. Ids are h01, h02, ... in the order of the module list, then file and
line, so a run that reports the same findings gives them the same ids.

`draw-reading` turns each module's default-run report into Markdown (`BINARY merge REPORT
--format markdown`), takes the first N distinct places (file and line) its findings are listed
at, in reading order (the problems' locations, then the table of the most complex functions),
and writes RUN_DIR/reading.jsonl (ids r001, r002, ...; each place with the most severe finding
reported there) and RUN_DIR/samples/reading.md.

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
import re
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


def row(module, version, f):
    """A finding of a module's report as one line of a drawn set."""
    return {
        "module": module,
        "version": version,
        "file": f["location"]["file"],
        "line": f["location"]["start"]["line"],
        "function": f.get("function") or "",
        "rule": f["rule"],
        "severity": f["severity"],
        "message": f["message"],
    }


def urgent_findings(run, module_list):
    out = []
    for module, version in modules(module_list):
        report = read_report(run, module, version)
        if report is None:
            print(f"urgent.py: no default-run report for {module}@{version} in {run}", file=sys.stderr)
            continue
        found = [f for f in report["findings"] if f["severity"] in URGENT]
        found.sort(key=lambda f: (f["location"]["file"], f["location"]["start"]["line"], f["rule"]))
        out.extend(row(module, version, f) for f in found)
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


# A finding's place in the Markdown report: a problem's location in full (`#### `file:line``) or
# one a line (`- `file:line` in `F` (high): ...`), or a row of the most complex functions.
PLACE = re.compile(r"^(?:#### |- )`([^`]+):(\d+)`(?: in `[^`]*`)? \((?:critical|high|medium|low|info)\)"
                   r"|^\| `[^`]*` \| `([^`]+):(\d+)` \|")
SEVERITY_RANK = {s: i for i, s in enumerate(("critical", "high", "medium", "low", "info"))}


def places_in_reading_order(markdown):
    """The distinct (file, line) places the report lists findings at, in reading order."""
    seen, out = set(), []
    for line in markdown.splitlines():
        m = PLACE.match(line)
        if not m:
            continue
        place = (m.group(1) or m.group(3), int(m.group(2) or m.group(4)))
        if place not in seen:
            seen.add(place)
            out.append(place)
    return out


def report_path(run, module, version):
    base = os.path.join(run, "findings", f"{module.replace('/', '_')}@{version}.default.json")
    return base if os.path.exists(base) else base + ".gz"


def markdown_of(binary, path):
    """`BINARY merge` of one JSON report as Markdown (a gzipped report is unpacked first)."""
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        if path.endswith(".gz"):
            plain = os.path.join(scratch, "report.json")
            with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
                dst.write(src.read())
            path = plain
        out = os.path.join(scratch, "report.md")
        subprocess.run([binary, "merge", path, "--format", "markdown", "-o", out], check=True,
                       capture_output=True)
        with open(out, encoding="utf-8") as f:
            return f.read()


def reading_findings(run, binary, module_list, first):
    out = []
    for module, version in modules(module_list):
        report = read_report(run, module, version)
        if report is None:
            print(f"urgent.py: no default-run report for {module}@{version} in {run}", file=sys.stderr)
            continue
        at = {}
        for f in report["findings"]:
            place = (f["location"]["file"], f["location"]["start"]["line"])
            at.setdefault(place, []).append(f)
        places = places_in_reading_order(markdown_of(binary, report_path(run, module, version)))
        for place in places[:first]:
            f = min(at[place], key=lambda f: (SEVERITY_RANK[f["severity"]], f["rule"]))
            out.append(row(module, version, f))
    for i, f in enumerate(out, 1):
        f["id"] = f"r{i:03d}"
    return out


def draw_reading(args):
    found = reading_findings(args.run, os.path.abspath(args.binary), args.modules, args.first)
    os.makedirs(os.path.join(args.run, "samples"), exist_ok=True)
    write_atomically(os.path.join(args.run, "reading.jsonl"),
                     "".join(json.dumps(f, sort_keys=True) + "\n" for f in found))
    text = batch(found).replace("(critical and high of the default run)",
                                f"(the first {args.first} places of each module's Markdown report)")
    write_atomically(os.path.join(args.run, "samples", "reading.md"), text)
    print(f"{len(found)} places: {args.run}/samples/reading.md")


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def key(f):
    return (f["module"], f["version"], f["file"], f["line"], f["rule"])


SETS = ("urgent", "reading")


def verdicts_of(run):
    """Per judge, the verdict of each finding of `run` (of either set), by the finding's key."""
    found = {f["id"]: f for name in SETS for f in read_jsonl(os.path.join(run, f"{name}.jsonl"))}
    out = {}
    for judge in JUDGES:
        for v in read_jsonl(os.path.join(run, "verdicts", f"{judge}.jsonl")):
            if v["id"] in found and v.get("verdict") in VERDICTS:
                out.setdefault(judge, {})[key(found[v["id"]])] = v["verdict"]
    return out


def score(args):
    found = read_jsonl(os.path.join(args.run, f"{args.set}.jsonl"))
    if not found:
        sys.exit(f"urgent.py: no {args.run}/{args.set}.jsonl; draw it first")
    runs = [verdicts_of(args.run)] + [verdicts_of(old) for old in args.carry or []]
    table = {}
    for judge in JUDGES:
        for f in found:
            verdict = next((r[judge][key(f)] for r in runs if key(f) in r.get(judge, {})), None)
            table.setdefault(f["id"], {})[judge] = verdict
    n = len(found)
    what = "critical and high findings" if args.set == "urgent" else "places read first"
    print(f"{n} {what} in {args.run}")
    for judge in JUDGES:
        counts = {v: sum(1 for f in found if table[f["id"]][judge] == v) for v in VERDICTS}
        judged = sum(counts.values())
        rates = ", ".join(f"{v} {counts[v]} ({100 * counts[v] / judged:.0f}%)" for v in VERDICTS) \
            if judged else "nothing judged"
        print(f"  {judge}: {judged} judged: {rates}")
        if args.set == "reading":
            for module in dict.fromkeys(f["module"] for f in found):
                mine = [table[f["id"]][judge] for f in found if f["module"] == module]
                real = sum(1 for v in mine if v == "REAL")
                print(f"    {module}: REAL {real} of {sum(1 for v in mine if v)} judged")
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
    r = sub.add_parser("draw-reading")
    r.add_argument("run")
    r.add_argument("binary")
    r.add_argument("--modules", default=os.path.join(HERE, "modules.txt"))
    r.add_argument("--first", type=int, default=25)
    r.set_defaults(func=draw_reading)
    s = sub.add_parser("score")
    s.add_argument("run")
    s.add_argument("--set", choices=SETS, default="urgent")
    s.add_argument("--carry", action="append")
    s.set_defaults(func=score)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
