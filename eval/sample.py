#!/usr/bin/env python3
"""Draws the evaluation sample of a run directory that eval/run.sh filled.

    eval/sample.py OUTDIR MODULES_FILE SEED

Reads OUTDIR/rules.json (`goaudit rules --format json`) and OUTDIR/findings/<slug>.{all,default}.json
(one audit per module and run; or .json.gz), and writes:

- OUTDIR/counts.json: per rule, findings per module in both runs, and whether it is on by default;
- OUTDIR/findings.jsonl.gz: every finding of both runs (id, module, rule, file, line), for
  `eval/report.py --against`;
- OUTDIR/sample.jsonl and OUTDIR/samples/<batch>.md: up to 20 findings per rule drawn with SEED,
  round-robin over the modules, each with the code a judge needs.

Everything written depends only on the findings, the module sources and the seed: the same
inputs give the same bytes."""
import gzip
import json
import os
import random
import re
import subprocess
import sys

import gosource

PER_RULE = 20
BATCHES = 6
FUNCTION_CAP = 200
CALLEE_CAP = 60
NAMED_CALLEES = 4
OTHER_CALLEES = 3
RELATED_SHOWN = 5
WINDOW = 6
RUNS = ("all", "default")
SELF_CONTAINED = {"complexity"}  # categories whose claim is about the function alone: no callees


def read_modules(path):
    """(module, version) pairs of a `module version` list; `#` starts a comment."""
    with open(path, encoding="utf-8") as f:
        return [tuple(words[:2]) for words in (line.split("#")[0].split() for line in f) if words]


def slug(module, version):
    return f"{module.replace('/', '_')}@{version}"


def escaped(module):
    """A module path as the module cache spells it: capitals become `!` and the lower case."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), module)


def module_cache():
    return os.environ.get("GOMODCACHE") or subprocess.run(
        ["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()


def read_json(path):
    """A JSON file, or its gzip'd copy (PATH.gz) when only that is there (a committed baseline)."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:
            return json.load(f)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_rules(outdir):
    """The built-in rules of the catalogue by id (the external tools' checks left out)."""
    rules = read_json(os.path.join(outdir, "rules.json"))
    return {r["id"]: r for r in rules if "tool" not in r}


def load_findings(outdir, modules, run):
    """Every finding of one run over the modules, as flat records, in canonical order."""
    records = []
    for module, version in modules:
        report = read_json(os.path.join(outdir, "findings", f"{slug(module, version)}.{run}.json"))
        for f in report["findings"]:
            loc = f["location"]
            records.append({
                "id": f"{f['rule']}:{f['fingerprint']}",
                "rule": f["rule"], "severity": f["severity"], "module": f"{escaped(module)}@{version}",
                "file": loc["file"], "line": loc["start"]["line"], "column": loc["start"]["column"],
                "message": f["message"], "function": f.get("function") or "",
                "related": [{"file": r["location"]["file"], "line": r["location"]["start"]["line"],
                             "message": r["message"]} for r in f.get("related", [])],
            })
    records.sort(key=canonical)
    return records


def canonical(r):
    return (r["module"], r["file"], r["line"], r["column"], r["rule"], r["message"])


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(value, out, indent=1, sort_keys=True, ensure_ascii=False)
        out.write("\n")


def count_findings(rules, modules, runs):
    """Per rule: findings per module in each run, and the default-on flag."""
    names = [f"{escaped(m)}@{v}" for m, v in modules]
    counts = {}
    for rule in sorted(set(rules) | {r["rule"] for records in runs.values() for r in records}):
        meta = rules.get(rule, {})
        entry = {"default_on": meta.get("enabled", False), "category": meta.get("category", ""),
                 "severity": meta.get("severity", "")}
        for run, records in runs.items():
            entry[run] = {m: sum(1 for r in records if r["rule"] == rule and r["module"] == m) for m in names}
        counts[rule] = entry
    return {"modules": names, "rules": counts}


def write_index(path, runs):
    """Every finding of both runs, compact and gzip'd without a timestamp."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        for run, records in runs.items():
            for r in records:
                row = {"run": run, "id": r["id"], "module": r["module"], "rule": r["rule"],
                       "file": r["file"], "line": r["line"]}
                out.write((json.dumps(row, sort_keys=True) + "\n").encode())


def draw(pool, n, seed, rule):
    """Up to n findings of one rule: the modules in a seeded order, each module's findings
    shuffled with the seed, taken one per module in turn, so no module dominates."""
    rng = random.Random(f"{seed}/{rule}")
    by_module = {}
    for r in sorted(pool, key=canonical):
        by_module.setdefault(r["module"], []).append(r)
    order = sorted(by_module)
    rng.shuffle(order)
    for m in order:
        rng.shuffle(by_module[m])
    picked = []
    while len(picked) < n and any(by_module.values()):
        for m in order:
            if by_module[m] and len(picked) < n:
                picked.append(by_module[m].pop(0))
    return sorted(picked, key=canonical)


def plan_batches(sizes, n):
    """Cuts rules (already ordered family by family) into n runs of about equal total size."""
    batches, current, remaining = [], [], sum(s for _, s in sizes)
    for i, (rule, size) in enumerate(sizes):
        left = n - len(batches)
        target = remaining / left if left else remaining
        filled = sum(s for _, s in current)
        if current and left > 1 and abs(filled + size - target) > abs(filled - target):
            batches.append(current)
            remaining -= filled
            current = []
        current.append((rule, size))
    if current:
        batches.append(current)
    return [[rule for rule, _ in b] for b in batches]


class Sources:
    """The module sources, read once each, with their top-level functions."""

    def __init__(self, cache):
        self.cache, self.texts, self.funcs = cache, {}, {}

    def path(self, module, file):
        return os.path.join(self.cache, module, file)

    def text(self, path):
        if path not in self.texts:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    self.texts[path] = f.read()
            except OSError:
                self.texts[path] = None
        return self.texts[path]

    def lines(self, path):
        text = self.text(path)
        return None if text is None else text.split("\n")

    def functions(self, path):
        if path not in self.funcs:
            self.funcs[path] = gosource.functions(self.text(path) or "")
        return self.funcs[path]

    def literals(self, path):
        return gosource.literals(self.text(path) or "")


def code_block(lines, ranges, marks):
    """Numbered lines of `ranges` (1-based, inclusive), `marks` mapping a line to its marker."""
    out = []
    for i, (lo, hi) in enumerate(ranges):
        if i:
            out.append("      ⋮")
        for k in range(lo, hi + 1):
            out.append(f"{k:6}{marks.get(k, ' ')} {lines[k - 1].expandtabs(4)}")
    return "````go\n" + "\n".join(out) + "\n````\n"


def capped(lo, hi, line, cap):
    """The ranges to show of lines lo..hi: all when at most `cap`, else the head and a window
    around `line`, with a note saying what was cut."""
    if hi - lo + 1 <= cap:
        return [(lo, hi)], ""
    if line < lo + cap - 20:
        ranges = [(lo, lo + cap - 1)]
    else:
        head = cap // 5
        start = max(lo + head, min(line - (cap - head) // 2, hi - (cap - head) + 1))
        end = min(hi, start + cap - head - 1)
        ranges = [(lo, lo + head - 1), (start, end)]
    shown = " and ".join(f"{a}–{b}" for a, b in ranges)
    return ranges, f" (cut: the function has {hi - lo + 1} lines; lines {shown} shown)"


def imported_names(text):
    """The names a file's imports bind (alias, else the path's last element that is not `vN`)."""
    names = set()
    header = text.split("\nfunc ", 1)[0]
    for alias, path in re.findall(r'^\s*(?:import\s+)?(\w+|\.|_)?\s*"([^"]+)"\s*$', header, re.M):
        parts = [p for p in path.split("/") if not re.fullmatch(r"v\d+", p)]
        names.add(alias or re.sub(r"^go-|[-.]go$", "", parts[-1]).replace("-", ""))
    return names


def callees(sources, path, func, texts_named):
    """Same-package functions the enclosing function calls (plain calls, methods of its receiver
    or of a type it names): those the message or related locations name, else the first few."""
    imports = imported_names(sources.text(path))
    declared = []
    for p in gosource.package_files(path, sources.text):
        declared += [(p, f) for f in sources.functions(p) if not (p == path and f.line == func.line)]
    words = set(re.findall(r"\w+", texts_named))
    calls = [(q, n) for q, n in gosource.calls(func.text) if q not in imports]
    candidates = []
    for qualifier, name in calls:
        if not qualifier:
            found = [d for d in declared if d[1].name == name and not d[1].receiver]
        elif qualifier == func.receiver_var:
            found = [d for d in declared if d[1].name == name and d[1].receiver == func.receiver]
        else:  # a method of a type the function names (in its signature or body)
            found = [d for d in declared if d[1].name == name and d[1].receiver
                     and re.search(rf"\b{d[1].receiver}\b", func.text)][:2]
        candidates += [(name, d) for d in found if d not in [c[1] for c in candidates]]
    named = [c for c in candidates if c[0] in words]
    return [d for _, d in (named[:NAMED_CALLEES] if named else candidates[:OTHER_CALLEES])], bool(named)


def finding_header(r, meta, index):
    """The finding's id, rule, location, message and related locations."""
    out = [f"### {index}. `{r['id']}`\n",
           f"- rule: `{r['rule']}` ({meta.get('category', '?')}, {r['severity']}, "
           f"{'on' if meta.get('enabled') else 'off'} by default)",
           f"- location: `{r['module']}/{r['file']}:{r['line']}`"
           + (f" in `{r['function']}`" if r["function"] else ""),
           f"- message: {r['message']}"]
    out += [f"- related: `{rel['file']}:{rel['line']}` {rel['message']}" for rel in r["related"]]
    return out + [""]


def function_sections(sources, r, meta, path, lines):
    """The enclosing function (or func literal, or the lines around) and its callees, and the
    set of lines shown."""
    marks = {rel["line"]: "*" for rel in r["related"] if rel["file"] == r["file"]} | {r["line"]: ">"}
    func = (gosource.enclosing(sources.functions(path), r["line"])
            or gosource.enclosing_literal(sources.literals(path), r["line"], FUNCTION_CAP))
    if not func:
        lo, hi = max(1, r["line"] - 2 * WINDOW), min(len(lines), r["line"] + 2 * WINDOW)
        return [f"#### Lines {lo}–{hi} (not inside a function)\n", code_block(lines, [(lo, hi)], marks)], \
            set(range(lo, hi + 1))
    ranges, note = capped(func.doc_line, func.end_line, r["line"], FUNCTION_CAP)
    what = "func literal" if func.name == "func literal" else f"function `{func.name}`"
    out = [f"#### Enclosing {what}, lines {func.line}–{func.end_line}{note}\n", code_block(lines, ranges, marks)]
    if meta.get("category") not in SELF_CONTAINED:
        named_text = r["message"] + " " + " ".join(rel["message"] for rel in r["related"])
        found, named = callees(sources, path, func, named_text)
        for p, callee in found:
            rel = os.path.relpath(p, os.path.join(sources.cache, r["module"]))
            callee_ranges, callee_note = capped(callee.doc_line, callee.end_line, callee.line, CALLEE_CAP)
            why = "named by the finding" if named else "called"
            out += [f"#### Callee `{callee.name}` ({why}), `{rel}:{callee.line}`{callee_note}\n",
                    code_block(sources.lines(p), callee_ranges, {})]
    return out, {k for a, b in ranges for k in range(a, b + 1)}


def related_sections(sources, r, shown):
    """A window around each related location not already shown."""
    out = []
    for rel in r["related"][:RELATED_SHOWN]:
        rel_lines = sources.lines(sources.path(r["module"], rel["file"]))
        if rel_lines is None or (rel["file"] == r["file"] and rel["line"] in shown):
            continue
        lo, hi = max(1, rel["line"] - WINDOW), min(len(rel_lines), rel["line"] + WINDOW)
        out += [f"#### Related `{rel['file']}:{rel['line']}`: {rel['message']}\n",
                code_block(rel_lines, [(lo, hi)], {rel["line"]: "*"})]
    return out


def render(sources, r, rules, index):
    """One finding as Markdown, with the code a judge needs."""
    meta = rules.get(r["rule"], {})
    out = finding_header(r, meta, index)
    path = sources.path(r["module"], r["file"])
    lines = sources.lines(path)
    if lines is None:
        return "\n".join(out + ["(source file not found)\n"])
    if not r["file"].endswith(".go"):
        lo, hi = max(1, r["line"] - WINDOW), min(len(lines), r["line"] + WINDOW)
        return "\n".join(out + [f"#### Lines {lo}–{hi}\n", code_block(lines, [(lo, hi)], {r["line"]: ">"})])
    sections, shown = function_sections(sources, r, meta, path, lines)
    return "\n".join(out + sections + related_sections(sources, r, shown))


def batch_header(name, batch_rules, picks, rules, counts):
    total = sum(len(picks[rule]) for rule in batch_rules)
    out = [f"# Evaluation sample, {name}: {total} findings\n",
           "Judge every finding below as `eval/JUDGE.md` says. Locations read "
           "`MODULE@VERSION/FILE:LINE`, relative to the Go module cache (`go env GOMODCACHE`).\n",
           "| rule | category | severity | default | sampled | findings | what it reports |",
           "| --- | --- | --- | --- | ---: | ---: | --- |"]
    for rule in batch_rules:
        meta = rules.get(rule, {})
        found = sum(counts["rules"][rule]["all"].values())
        out.append(f"| `{rule}` | {meta.get('category', '?')} | {meta.get('severity', '?')} | "
                   f"{'on' if meta.get('enabled') else 'off'} | {len(picks[rule])} | {found} | "
                   f"{meta.get('summary', '')} |")
    return "\n".join(out) + "\n"


def main():
    outdir, modules_file, seed = sys.argv[1], sys.argv[2], sys.argv[3]
    modules = read_modules(modules_file)
    rules = load_rules(outdir)
    runs = {run: load_findings(outdir, modules, run) for run in RUNS}
    counts = count_findings(rules, modules, runs)
    write_json(os.path.join(outdir, "counts.json"), counts)
    write_index(os.path.join(outdir, "findings.jsonl.gz"), runs)

    picks = {rule: draw([r for r in runs["all"] if r["rule"] == rule], PER_RULE, seed, rule)
             for rule in counts["rules"]}
    ordered = sorted((rule for rule in picks if picks[rule]),
                     key=lambda rule: (counts["rules"][rule]["category"], rule))
    batches = plan_batches([(rule, len(picks[rule])) for rule in ordered], BATCHES)

    sources = Sources(module_cache())
    os.makedirs(os.path.join(outdir, "samples"), exist_ok=True)
    with open(os.path.join(outdir, "sample.jsonl"), "w", encoding="utf-8") as jsonl:
        for number, batch_rules in enumerate(batches, 1):
            name = f"batch-{number}"
            parts = [batch_header(name, batch_rules, picks, rules, counts)]
            index = 0
            for rule in batch_rules:
                parts.append(f"## `{rule}`\n")
                for r in picks[rule]:
                    index += 1
                    parts.append(render(sources, r, rules, index))
                    row = {k: r[k] for k in ("id", "rule", "severity", "module", "file", "line", "message")}
                    row.update(default_on=counts["rules"][rule]["default_on"], batch=name)
                    jsonl.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
            with open(os.path.join(outdir, "samples", f"{name}.md"), "w", encoding="utf-8") as md:
                md.write("\n".join(parts))
            print(f"{name}: {index} findings, rules {', '.join(batch_rules)}", file=sys.stderr)


if __name__ == "__main__":
    main()
