#!/usr/bin/env python3
"""Scores a judged evaluation run (see docs/evaluation.md).

    eval/report.py RUN_DIR [--against OTHER_RUN_DIR]
    eval/report.py disagreements RUN_DIR

The first form reads RUN_DIR's sample.jsonl, counts.json and verdict files (verdicts/judge-a.jsonl,
verdicts/judge-b.jsonl, verdicts/referee.jsonl; or, per judge, a folder verdicts/<judge>/ of
.jsonl files), takes each finding's final verdict (the judges' when they agree, else the
referee's) and prints a Markdown table per rule. With --against it also lists the REAL findings
of OTHER_RUN_DIR that RUN_DIR's all-rules run no longer reports (matched by module and id over
all its findings, not only the sample).

The second prints the findings where judge-a and judge-b differ, as a batch file in the samples'
Markdown form with both verdicts, for the referee."""
import argparse
import glob
import gzip
import json
import os
import re
import sys

VERDICTS = ("REAL", "TRUE-MINOR", "FALSE")
RATE_MIN = 20
JUDGES = ("judge-a", "judge-b")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_verdicts(run_dir, judge):
    """{id: (verdict, why)} from verdicts/<judge>.jsonl and verdicts/<judge>/*.jsonl."""
    paths = glob.glob(os.path.join(run_dir, "verdicts", f"{judge}.jsonl"))
    paths += sorted(glob.glob(os.path.join(run_dir, "verdicts", judge, "*.jsonl")))
    verdicts = {}
    for path in paths:
        for row in read_jsonl(path):
            verdict = row["verdict"].strip().upper()
            if verdict not in VERDICTS:
                sys.exit(f"{path}: {row['id']}: verdict {row['verdict']!r} is not one of {', '.join(VERDICTS)}")
            verdicts[row["id"]] = (verdict, row.get("why", ""))
    return verdicts


def final_verdicts(sample, a, b, referee):
    """{id: verdict or None}: the judges' verdict when they agree, else the referee's, else None."""
    final = {}
    for row in sample:
        va, vb = a.get(row["id"], (None,))[0], b.get(row["id"], (None,))[0]
        if va and va == vb:
            final[row["id"]] = va
        else:
            final[row["id"]] = referee.get(row["id"], (None,))[0] if va and vb else None
    return final


def rule_rows(counts, sample, final, a, b):
    """One dict per rule with the figures of the table."""
    rows = []
    for rule, c in sorted(counts["rules"].items()):
        drawn = [s["id"] for s in sample if s["rule"] == rule]
        tally = {v: sum(1 for i in drawn if final.get(i) == v) for v in VERDICTS}
        judged = sum(tally.values())
        both = [i for i in drawn if i in a and i in b]
        rows.append({
            "rule": rule, "default_on": c["default_on"], "all": sum(c["all"].values()),
            "default": sum(c["default"].values()), "sampled": len(drawn), "judged": judged,
            "pending": len(drawn) - judged, **tally,
            "agree": sum(1 for i in both if a[i][0] == b[i][0]), "both": len(both),
        })
    return rows


def percent(n, d):
    return f"{100 * n / d:.0f}%" if d else "–"


def format_row(r):
    """A table row: rates and an estimate only when at least RATE_MIN were sampled."""
    rated = r["sampled"] >= RATE_MIN and r["judged"]
    if r["sampled"] == 0:
        note = "no findings"
    elif r["sampled"] < RATE_MIN:
        note = f"judged whole: {r['judged']} of {r['sampled']}; may be on by default only with 0 FALSE"
    else:
        note = ""
    if r["pending"]:
        note = f"{note}; {r['pending']} pending" if note else f"{r['pending']} pending"
    estimate = round(r["REAL"] / r["judged"] * r["all"]) if rated else (r["REAL"] if r["sampled"] else 0)
    cells = [f"`{r['rule']}`", "on" if r["default_on"] else "off", r["all"], r["default"], r["sampled"],
             r["REAL"], r["TRUE-MINOR"], r["FALSE"],
             percent(r["REAL"], r["judged"]) if rated else "–",
             percent(r["FALSE"], r["judged"]) if rated else "–",
             estimate, percent(r["agree"], r["both"]), note]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(rows, modules):
    head = (f"Findings over the {len(modules)} modules: `all` with every rule on, `default` with the "
            f"defaults. Rates and estimates need at least {RATE_MIN} sampled.\n\n"
            "| rule | default | findings (all) | findings (default) | sampled | REAL | TRUE-MINOR | FALSE "
            "| REAL rate | FALSE rate | est. REAL | judges agree | note |\n"
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    total = {k: sum(r[k] for r in rows) for k in ("all", "default", "sampled", "REAL", "TRUE-MINOR",
                                                   "FALSE", "agree", "both")}
    foot = (f"| total | | {total['all']} | {total['default']} | {total['sampled']} | {total['REAL']} | "
            f"{total['TRUE-MINOR']} | {total['FALSE']} | | | | {percent(total['agree'], total['both'])} | |")
    return "\n".join([head] + [format_row(r) for r in rows] + [foot]) + "\n"


def lost_real(run_dir, other_dir):
    """The other run's REAL findings (final verdict) that this run's all-rules run lacks."""
    with gzip.open(os.path.join(run_dir, "findings.jsonl.gz"), "rt", encoding="utf-8") as f:
        present = {(r["module"], r["id"]) for r in map(json.loads, f) if r["run"] == "all"}
    sample = read_jsonl(os.path.join(other_dir, "sample.jsonl"))
    a, b = (load_verdicts(other_dir, j) for j in JUDGES)
    final = final_verdicts(sample, a, b, load_verdicts(other_dir, "referee"))
    return [s for s in sample if final[s["id"]] == "REAL" and (s["module"], s["id"]) not in present]


def score(run_dir, against):
    sample = read_jsonl(os.path.join(run_dir, "sample.jsonl"))
    counts = read_json(os.path.join(run_dir, "counts.json"))
    a, b = (load_verdicts(run_dir, j) for j in JUDGES)
    final = final_verdicts(sample, a, b, load_verdicts(run_dir, "referee"))
    print(table(rule_rows(counts, sample, final, a, b), counts["modules"]))
    if against:
        lost = lost_real(run_dir, against)
        print(f"REAL findings of {against} lost in {run_dir}: {len(lost)}\n")
        for s in lost:
            print(f"- `{s['id']}` `{s['module']}/{s['file']}:{s['line']}`: {s['message']}")


def sections(run_dir):
    """{id: Markdown section} over the run's batch files."""
    found = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "samples", "*.md"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for part in re.split(r"\n(?=### )", text)[1:]:
            part = re.split(r"\n(?=## )", part)[0]
            found[re.match(r"### \d+\. `([^`]+)`", part).group(1)] = part.rstrip() + "\n"
    return found


def disagreements(run_dir):
    sample = read_jsonl(os.path.join(run_dir, "sample.jsonl"))
    a, b = (load_verdicts(run_dir, j) for j in JUDGES)
    differ = [s for s in sample if s["id"] in a and s["id"] in b and a[s["id"]][0] != b[s["id"]][0]]
    missing = [s["id"] for s in sample if s["id"] not in a or s["id"] not in b]
    if missing:
        print(f"{len(missing)} findings lack a verdict of one judge or both", file=sys.stderr)
    text = sections(run_dir)
    print(f"# Disagreements: {len(differ)} findings\n\nJudge every finding below as `eval/JUDGE.md` "
          "says; each shows the two judges' verdicts. Locations read `MODULE@VERSION/FILE:LINE`, "
          "relative to the Go module cache (`go env GOMODCACHE`).\n")
    rules = {r["id"]: r for r in read_json(os.path.join(run_dir, "rules.json"))}
    for rule in sorted({s["rule"] for s in differ}):
        print(f"- `{rule}`: {rules.get(rule, {}).get('summary', '')}")
    print()
    for n, s in enumerate(differ, 1):
        body = re.sub(r"^### \d+\.", f"### {n}.", text[s["id"]])
        print(body)
        for judge, v in zip(JUDGES, (a, b)):
            print(f"- {judge}: **{v[s['id']][0]}**: {v[s['id']][1]}")
        print()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "disagreements":
        disagreements(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir")
    parser.add_argument("--against", metavar="OTHER_RUN_DIR")
    args = parser.parse_args()
    score(args.run_dir, args.against)


if __name__ == "__main__":
    main()
