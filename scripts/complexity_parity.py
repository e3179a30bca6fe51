#!/usr/bin/env python3
"""Compare goaudit's per-function complexity figures with gocyclo's and gocognit's.

Called by scripts/complexity-parity.sh, which installs the pinned tools. Walks every .go file
under the targets (testdata, vendor and generated files included, as `goaudit metrics` does),
runs gocyclo and gocognit on exactly those files, runs `goaudit metrics` on the targets, matches
functions by (file, line, column) and checks names and numbers.

Both tools stop at the first file go/parser rejects (log.Fatal), so files are given to them in
batches; a file a tool rejects is dropped from its batch and the batch rerun. Such files are
reported and left out of the comparison (neither tool has figures for them).

Files holding `//line` or `/*line` directives make go/token report remapped positions; the tools
are run on copies of those files with the directives neutralised (same length, so every byte
offset, line and column stays put) and the copies' names are mapped back.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

BATCH = 300
LINE_DIRECTIVE = re.compile(rb"(?m)^//line |/\*line ")


def go_files(targets):
    files = []
    for target in targets:
        if os.path.isdir(target):
            for root, dirs, names in os.walk(target):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(".go"):
                        files.append(os.path.normpath(os.path.join(root, name)))
        elif os.path.isfile(target):
            files.append(os.path.normpath(target))
        else:
            sys.exit(f"complexity-parity: no such file or directory: {target}")
    return files


def neutralise_line_directives(files, tmpdir):
    """Copies of the files with line directives, directives disarmed; returns (tool path -> real path)."""
    alias = {}
    for i, path in enumerate(files):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if not LINE_DIRECTIVE.search(data):
            continue
        data = data.replace(b"//line ", b"//LINE ").replace(b"/*line ", b"/*LINE ")
        copy_dir = os.path.join(tmpdir, str(i))
        os.makedirs(copy_dir)
        copy = os.path.join(copy_dir, os.path.basename(path))
        with open(copy, "wb") as f:
            f.write(data)
        alias[copy] = path
    return alias


def run_batched(tool, cmd, paths, parse_output, rejected):
    """Runs `cmd + batch` over the paths; drops files the tool rejects. Returns parsed entries."""
    entries = []
    for start in range(0, len(paths), BATCH):
        batch = [p for p in paths[start : start + BATCH] if p not in rejected]
        while batch:
            proc = subprocess.run(cmd + batch, capture_output=True, text=True, errors="replace")
            if proc.returncode == 0:
                entries.extend(parse_output(proc.stdout))
                break
            bad = None
            for line in proc.stderr.splitlines():
                msg = line.removeprefix(f"{tool}: ")
                for p in batch:
                    if msg.startswith(p + ":"):
                        bad = p
                        break
                if bad:
                    rejected[bad] = msg
                    break
            if bad is None:
                if len(batch) == 1:
                    rejected[batch[0]] = proc.stderr.strip() or f"exit {proc.returncode}"
                    break
                # Unattributed failure: fall back to one file at a time.
                for p in batch:
                    entries.extend(run_batched(tool, cmd, [p], parse_output, rejected))
                break
            batch = [p for p in batch if p != bad]
    return entries


def parse_gocyclo(stdout):
    out = []
    for line in stdout.splitlines():
        parts = line.split(" ", 3)
        if len(parts) != 4:
            continue
        value, pkg, name, pos = parts
        file, ln, col = pos.rsplit(":", 2)
        out.append((os.path.normpath(file), int(ln), int(col), name, pkg, int(value)))
    return out


def parse_gocognit(stdout):
    stats = json.loads(stdout) if stdout.strip() else None
    out = []
    for s in stats or []:
        pos = s["Pos"]
        out.append(
            (os.path.normpath(pos["Filename"]), pos["Line"], pos["Column"], s["FuncName"], s["PkgName"], s["Complexity"])
        )
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gocyclo", required=True)
    ap.add_argument("--gocognit", required=True)
    ap.add_argument("--goaudit", required=True, help="goaudit binary (its hidden `metrics` subcommand is used)")
    ap.add_argument("--versions", default="", help="the tools' versions, printed with the figures")
    ap.add_argument("--min-rate", type=float, default=100.0, help="fail below this match rate, in percent (default 100)")
    ap.add_argument("--show", type=int, default=10, help="mismatches to print per tool (default 10)")
    ap.add_argument("targets", nargs="+")
    args = ap.parse_args()

    files = go_files(args.targets)
    if args.versions:
        print(f"tools: {args.versions}")
    print(f"files: {len(files)} .go files under {' '.join(args.targets)}")

    tmpdir = tempfile.mkdtemp(prefix="complexity-parity-")
    try:
        alias = neutralise_line_directives(files, tmpdir)
        real_of = {p: p for p in files}
        real_of.update(alias)
        copy_of = {real: copy for copy, real in alias.items()}
        tool_paths = [copy_of.get(p, p) for p in files]

        rejected = {}
        cyclo_raw = run_batched("gocyclo", [args.gocyclo, "-over", "0"], tool_paths, parse_gocyclo, rejected)
        cognit_raw = run_batched(
            "gocognit", [args.gocognit, "-over", "-1", "-json"], tool_paths, parse_gocognit, rejected
        )
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    rejected_real = {real_of.get(p, p): msg for p, msg in rejected.items()}
    parsed = set(files) - set(rejected_real)

    def index(raw, tool):
        table = {}
        for file, ln, col, name, pkg, value in raw:
            file = real_of.get(file, file)
            if file not in parsed:
                print(f"warning: {tool} reported a position outside the walked files: {file}:{ln}:{col}", file=sys.stderr)
            table[(file, ln, col)] = (name, value)
        return table

    cyclo = index(cyclo_raw, "gocyclo")
    cognit = index(cognit_raw, "gocognit")

    proc = subprocess.run([args.goaudit, "metrics", *args.targets], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"complexity-parity: goaudit metrics failed ({proc.returncode}):\n{proc.stderr}")
    ours_cyclo, ours_cognit = {}, {}
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        m = json.loads(line)
        file = os.path.normpath(m["file"])
        if file not in parsed:
            continue
        key = (file, m["line"], m["column"])
        if m.get("cyclomatic") is not None:
            ours_cyclo[key] = (m["name"], m["cyclomatic"])
        if m.get("cognitive") is not None:
            ours_cognit[key] = (m["name"], m["cognitive"])

    print(f"files parsed by go/parser: {len(parsed)}; rejected by the tools: {len(rejected_real)}")
    for path, msg in list(rejected_real.items())[:5]:
        print(f"  rejected: {msg.splitlines()[0] if msg else path}")
    if len(rejected_real) > 5:
        print(f"  ... and {len(rejected_real) - 5} more")

    failed = False
    for tool, theirs, ours in (("gocyclo", cyclo, ours_cyclo), ("gocognit", cognit, ours_cognit)):
        keys = sorted(set(theirs) | set(ours))
        matches = 0
        problems = Counter()
        shown = []
        for key in keys:
            t, o = theirs.get(key), ours.get(key)
            if t is not None and o is not None and t == o:
                matches += 1
                continue
            if t is None:
                kind = "only in goaudit"
            elif o is None:
                kind = "missing in goaudit"
            elif t[0] != o[0]:
                kind = "name differs"
            else:
                kind = "value differs"
            problems[kind] += 1
            if len(shown) < args.show:
                shown.append(f"  {key[0]}:{key[1]}:{key[2]}: {tool} {t} goaudit {o} ({kind})")
        rate = 100.0 * matches / len(keys) if keys else 100.0
        print(
            f"{tool}: functions compared {len(keys)} ({len(theirs)} reported by {tool}, {len(ours)} by goaudit); "
            f"matches {matches}; rate {rate:.3f}%"
        )
        if problems:
            print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(problems.items())))
            print("\n".join(shown))
        if rate < args.min_rate:
            failed = True
    if failed:
        print(f"FAIL: a match rate is below {args.min_rate}%")
        return 1
    print(f"OK: both match rates are at least {args.min_rate}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
