#!/usr/bin/env python3
"""A mutation fuzzer for goaudit, deterministic by seed.

Takes the Go files of $(go env GOROOT)/src and /test, mutates them (truncation, byte flips,
unbalanced brackets, NUL and invalid UTF-8, long lines, a construct nested thousands deep,
splices of two files) and audits each mutated file with every rule, many files (one package
each) per goaudit run. A crash is an exit code of 101 or more, a signal, a run past the timeout
or a report that is not JSON; a failing batch is run again file by file to find the crasher,
which is saved (if small) to the corpus folder. Every file of the corpus is audited first.

Usage: fuzz.py [--cases N] [--seed S] [--binary PATH] [--corpus DIR] [--batch B]
               [--timeout SECONDS] [--stop] [--max-seconds T] [--progress N]
Exit status: 0 when nothing crashed, 1 otherwise.
"""

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time

MAX_SOURCE = 64 * 1024
MAX_SAVED = 64 * 1024
NESTED = [
    ("func(", "int", ")"),
    ("func() ", "int", ""),
    ("(", "x", ")"),
    ("[]", "int", ""),
    ("*", "int", ""),
    ("map[int]", "int", ""),
    ("struct{ f ", "int", " }"),
    ("f(", "x", ")"),
    ("!", "x", ""),
    ("[]any{", "1", "}"),
    ("func() {\n", "", "}()\n"),
    ("{", "", "}"),
    ("if x {\n", "", "}\n"),
    ("G[", "int", "]"),
    ("x + ", "x", ""),
]
BRACKETS = b"(){}[]"


def go_files(goroot):
    """The Go files of GOROOT's src and test trees, in a fixed order."""
    out = []
    for top in ("src", "test"):
        for root, dirs, files in os.walk(os.path.join(goroot, top)):
            dirs.sort()
            out += [os.path.join(root, f) for f in sorted(files) if f.endswith(".go")]
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read(MAX_SOURCE)


def nested(rng):
    """A construct nested a few thousand deep."""
    opening, middle, closing = rng.choice(NESTED)
    n = rng.randint(1000, 6000)
    return (opening * n + middle + closing * n).encode()


def mutate(rng, data, other):
    """One to three mutations of `data`; `other` is a second file for splices."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(data))
        kind = rng.randrange(8)
        if kind == 0:
            data = data[:at]
        elif kind == 1:
            b = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                if b:
                    b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
            data = bytes(b)
        elif kind == 2:
            data = data[:at] + bytes([rng.choice(BRACKETS)]) * rng.randint(1, 50) + data[at:]
        elif kind == 3:
            junk = rng.choice([b"\x00", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf"])
            data = data[:at] + junk * rng.randint(1, 4) + data[at:]
        elif kind == 4:
            data = data[:at] + rng.choice([b"x", b"\"a", b"//", b" "]) * 100_000 + data[at:]
        elif kind == 5:
            data = data[:at] + nested(rng) + data[at:]
        elif kind == 6:
            data = b"package p\n\nvar v = " + nested(rng) + b"\n\ntype T " + nested(rng) + b"\n"
        else:
            cut = rng.randint(0, len(other))
            data = data[:at] + other[cut:]
    return data.replace(b"//go:build", b"// go:build").replace(b"// +build", b"// -build")


def audit(binary, files, timeout):
    """Audits `files` (one package each) in a fresh module; the failure, or None."""
    with tempfile.TemporaryDirectory(prefix="goaudit-fuzz-") as module:
        with open(os.path.join(module, "go.mod"), "w") as f:
            f.write("module fuzz\n\ngo 1.22\n")
        for i, data in enumerate(files):
            os.mkdir(os.path.join(module, f"c{i}"))
            with open(os.path.join(module, f"c{i}", "a.go"), "wb") as f:
                f.write(data)
        cmd = [binary, "audit", "./...", "--select", "all", "--format", "json", "--no-cache", "-q"]
        try:
            run = subprocess.run(cmd, cwd=module, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"no exit within {timeout} s"
    if run.returncode < 0 or run.returncode >= 101:
        tail = run.stderr.decode(errors="replace").strip().splitlines()[-1:]
        return f"exit {run.returncode}: {' '.join(tail)}"
    try:
        json.loads(run.stdout)
    except ValueError as e:
        return f"exit {run.returncode}, the report is not JSON: {e}"
    return None


def crashers(binary, files, timeout):
    """The files of a failing batch that fail alone, with their failures."""
    if len(files) == 1:
        why = audit(binary, files, timeout)
        return [(files[0], why)] if why else []
    half = len(files) // 2
    found = []
    for part in (files[:half], files[half:]):
        if audit(binary, part, timeout):
            found += crashers(binary, part, timeout)
    return found


def save(corpus, data):
    """Saves a crasher under its hash when it is small; its path, or None."""
    if len(data) > MAX_SAVED:
        return None
    os.makedirs(corpus, exist_ok=True)
    path = os.path.join(corpus, hashlib.sha256(data).hexdigest()[:16] + ".go")
    with open(path, "wb") as f:
        f.write(data)
    return path


def report(case, why, data, path):
    where = path or f"not saved ({len(data)} bytes)"
    print(f"crash at case {case}: {why}; {where}", flush=True)


def replay(args):
    """Audits every file of the corpus, each alone; how many crash."""
    if not os.path.isdir(args.corpus):
        return 0
    bad = 0
    for name in sorted(os.listdir(args.corpus)):
        why = audit(args.binary, [read(os.path.join(args.corpus, name))], args.timeout)
        if why:
            print(f"corpus {name}: {why}", flush=True)
            bad += 1
    return bad


def fuzz(args, sources):
    """Runs the cases in batches; how many crashers were found and how many cases ran."""
    rng = random.Random(args.seed)
    found = 0
    case = 0
    deadline = time.time() + args.max_seconds if args.max_seconds else None
    while case < args.cases and not (deadline and time.time() > deadline):
        batch = []
        for _ in range(min(args.batch, args.cases - case)):
            data = read(rng.choice(sources))
            batch.append(mutate(rng, data, read(rng.choice(sources))))
        if audit(args.binary, batch, args.timeout):
            for data, why in crashers(args.binary, batch, args.timeout):
                found += 1
                report(case + batch.index(data) + 1, why, data, save(args.corpus, data))
                if args.stop:
                    return found, case + len(batch)
        case += len(batch)
        if args.progress and case % args.progress < len(batch):
            print(f"fuzz: {case} cases, {found} crashes so far", file=sys.stderr, flush=True)
    return found, case


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--binary", default=os.path.join(here, "..", "target", "release", "goaudit"))
    p.add_argument("--corpus", default=os.path.join(here, "..", "testdata", "fuzz"))
    p.add_argument("--batch", type=int, default=40)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--stop", action="store_true", help="stop at the first crash")
    p.add_argument("--max-seconds", type=float, help="start no batch after this many seconds")
    p.add_argument("--progress", type=int, default=0, help="a line on stderr every N cases")
    args = p.parse_args()
    # Each audit runs in a module of its own: a relative path would not be found from there.
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"fuzz: no goaudit binary at {args.binary} (build it with cargo build --release)")
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True)
    sources = go_files(goroot.stdout.strip())
    start = time.time()
    bad = replay(args)
    found, cases = fuzz(args, sources)
    bad += found
    took = time.time() - start
    print(f"fuzz: {cases} cases, seed {args.seed}, {bad} crashes, {took:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
