#!/usr/bin/env python3
"""Generates data/stdlib_api.txt, the standard library's exported signatures, from the Go
distribution's api/go1*.txt files (rerun when Go gains an API):

    python3 scripts/gen_stdlib_api.py [GOROOT] > data/stdlib_api.txt

Package-qualified type names are rewritten to import paths (`url.URL` in net/http becomes
`net/url.URL`) by reading each package's imports under GOROOT/src, so goaudit needs no Go at run
time. Output lines are tab-separated records (see src/index/facts_text.rs):

    P path name | F func sig | M recvtype ptr name sig | T name kind underlying
    S type field fieldtype | E type embeddedtype | I iface method sig | V name type
"""
import os
import re
import subprocess
import sys
from collections import OrderedDict

LINE = re.compile(r"^pkg ([^ ,]+)(?: \(([^)]*)\))?, (.*)$")
QUAL = re.compile(r"(?<![\w./$])([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)")
IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)^\)", re.S | re.M)
IMPORT_ONE = re.compile(r'^import\s+(?:([A-Za-z_][\w]*|\.)\s+)?"([^"]+)"', re.M)
IMPORT_SPEC = re.compile(r'^\s*(?:([A-Za-z_][\w]*|\.)\s+)?"([^"]+)"', re.M)


def goroot():
    if len(sys.argv) > 1:
        return sys.argv[1]
    return subprocess.check_output(["go", "env", "GOROOT"], text=True).strip()


def default_name(path):
    parts = path.split("/")
    last = parts[-1]
    if re.fullmatch(r"v[0-9]+", last) and len(parts) > 1:
        last = parts[-2]
    return last.replace("-", "_")


def package_imports(root, path):
    """Import name -> path for the non-test files of one standard package."""
    names = {}
    d = os.path.join(root, "src", path)
    try:
        files = sorted(os.listdir(d))
    except OSError:
        return names
    for f in files:
        if not f.endswith(".go") or f.endswith("_test.go"):
            continue
        try:
            text = open(os.path.join(d, f), encoding="utf-8").read()
        except (OSError, UnicodeDecodeError):
            continue
        specs = IMPORT_ONE.findall(text)
        for block in IMPORT_BLOCK.findall(text):
            specs += IMPORT_SPEC.findall(block)
        for alias, p in specs:
            if alias in ("_", "."):
                continue
            names.setdefault(alias or default_name(p), p)
    return names


def api_lines(root):
    api = os.path.join(root, "api")
    files = [f for f in os.listdir(api) if re.fullmatch(r"go1(\.[0-9]+)?\.txt", f)]
    files.sort(key=lambda f: [int(x) for x in re.findall(r"[0-9]+", f)])
    for f in files:
        for line in open(os.path.join(api, f), encoding="utf-8"):
            line = line.rstrip("\n")
            m = LINE.match(line)
            if m:
                yield m.group(1), m.group(2), m.group(3)


def strip_tparams(name):
    return name.split("[", 1)[0]


def split_sig(rest):
    """'Name[T any](a, b) (c, error)' -> ('Name', '(a, b) (c, error)')."""
    i = 0
    while i < len(rest) and (rest[i].isalnum() or rest[i] == "_"):
        i += 1
    name = rest[:i]
    j = i
    if j < len(rest) and rest[j] == "[":
        depth = 0
        while j < len(rest):
            depth += rest[j] == "["
            depth -= rest[j] == "]"
            j += 1
            if depth == 0:
                break
    return name, rest[j:]


def records(path, body):
    """The records of one api entry (without the package qualifier rewrite)."""
    body = re.sub(r"\s+#[0-9]+$", "", body.replace(" //deprecated", ""))
    kind, _, rest = body.partition(" ")
    if kind == "func":
        name, sig = split_sig(rest)
        return [("F", name, sig)]
    if kind == "method":
        m = re.match(r"^\((\*?)([A-Za-z_]\w*)(?:\[[^\]]*\])?\) (.*)$", rest)
        if not m:
            return []
        name, sig = split_sig(m.group(3))
        return [("M", m.group(2), "1" if m.group(1) else "0", name, sig)]
    if kind == "var":
        name, _, ty = rest.partition(" ")
        return [("V", name, ty)]
    if kind == "const":
        name, _, ty = rest.partition(" ")
        if not ty or ty.startswith("=") or ty.startswith("ideal-") or ty in ("untyped", ):
            return []
        return [("V", name, ty)]
    if kind == "type":
        return type_records(rest)
    return []


def type_records(rest):
    summary = re.match(r"^(\S+) interface \{.*\}$", rest)
    if summary:
        return [("T", strip_tparams(summary.group(1)), "interface", "-")]
    head, sep, member = rest.partition(", ")
    name_part, _, what = head.partition(" ")
    name = strip_tparams(name_part)
    if "[" in name_part and "]" not in name_part:
        # type params with spaces: 'Seq[$0 interface{}] func(...)'
        close = rest.index("]")
        name = strip_tparams(rest[:close])
        what = rest[close + 1:].strip()
        head, sep, member = what.partition(", ") if what.startswith(("struct", "interface")) else (what, "", "")
        what = head
    if not sep:
        if what.startswith("struct"):
            return [("T", name, "struct", "-")]
        if what.startswith("interface"):
            return [("T", name, "interface", "-")]
        if what.startswith("= "):
            return [("T", name, "alias", what[2:])]
        return [("T", name, "other", what)]
    if what.startswith("struct"):
        if member.startswith("embedded "):
            return [("E", name, member[len("embedded "):])]
        fname, _, fty = member.partition(" ")
        return [("S", name, fname, fty)]
    if what.startswith("interface"):
        if member.startswith("embedded "):
            return [("E", name, member[len("embedded "):])]
        mname, sig = split_sig(member)
        return [("I", name, mname, sig)]
    return []


def qualify(text, imports, by_name):
    def repl(m):
        name, ident = m.group(1), m.group(2)
        p = imports.get(name) or by_name.get(name)
        return f"{p}.{ident}" if p else m.group(0)
    return QUAL.sub(repl, text)


def main():
    root = goroot()
    entries = OrderedDict()  # (path, key) -> record; untagged or linux/amd64 wins
    rank = {}
    for path, plat, body in api_lines(root):
        r = 0 if plat is None else (1 if plat in ("linux-amd64", "linux-amd64-cgo") else 2)
        for rec in records(path, body):
            key = (path,) + rec[:-1] if rec[0] in ("F", "M", "S", "I", "V", "T") else (path,) + rec
            if key not in rank or r < rank[key]:
                rank[key] = r
                entries[key] = rec
    paths = sorted({k[0] for k in entries})
    by_name = {}
    for p in paths:
        by_name.setdefault(default_name(p), p)
    out = sys.stdout
    for p in paths:
        imports = package_imports(root, p)
        out.write(f"P\t{p}\t{default_name(p)}\n")
        recs = sorted(rec for k, rec in entries.items() if k[0] == p)
        for rec in recs:
            fields = list(rec)
            fields[-1] = qualify(fields[-1], imports, by_name)
            if rec[0] == "E":
                fields[-1] = qualify(fields[-1], imports, by_name)
            out.write("\t".join(fields) + "\n")


if __name__ == "__main__":
    main()
