#!/usr/bin/env python3
"""The JSON and bookkeeping half of scripts/fix-check.sh (which runs go and goaudit).

Every subcommand works on one module's work folder W, laid out by fix-check.sh:

  W/src/              the copy every go command runs in (one path, so the build cache serves
                      each rebuild): pristine for the "before" checks, then the fixed files
  W/after/            the copy `goaudit audit --fix --unsafe-fixes` fixed (re-audited as is)
  W/orig/             pristine copies of the files the fixes touched
  W/before.json       goaudit's JSON report on the pristine copy
  W/after.json        goaudit's JSON report on W/after
  W/fix.stderr        what `--fix` printed ("goaudit: applied N fix(es) in M file(s)")
  W/build-after-R.log `go build ./...` in W/src, round R (0: goaudit's fixes as applied), and
  W/build-after-R.rc  its exit code
  W/vet-{before,after}.log, W/test-{before,after,rerun}.log

Subcommands:
  fixes W             which fixes goaudit applied (simulated the way src/fix.rs applies them
                      and checked against W/after byte for byte), the touched files and their
                      packages; writes W/fixes.json, W/state.json, W/pkgs.txt (./dir patterns)
  blame W R           maps the compiler errors of W/build-after-R.log to the nearest applied
                      edit, takes the blamed fixes out of W/src (rewritten from W/orig with the
                      rest), so the next build shows the errors the first ones hid; exit 3 when
                      no error maps to a fix (nothing more to take out)
  regressed W LOG     import paths whose tests passed before and fail in LOG
  isolate-plan W      the packages failing after the fixes (twice) with two fixes or more
  only W DIR ID|all   rewrites package folder DIR's fixed files with fix ID only, or all again
  module W LABEL      the module's figures: W/result.json, and a table on stdout
  report OUT|- W...   the table over all modules (and OUT as JSON); exit 1 if any fix broke
                      something, 0 otherwise

Edits are byte ranges of the file as audited; fixes are applied in file order (by the first
byte of their edits), and a fix whose edits overlap an accepted one is skipped whole.
"""

import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

ERROR_LINE = re.compile(r"^(?P<file>[^\s:][^:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.*)$")
FAILED_TEST = re.compile(r"^\s*--- FAIL: (?P<name>\S+)")
TEST_LINE = re.compile(r"^(?P<status>ok|FAIL|\?)\s+(?P<pkg>\S+)(?P<rest>.*)$")
DIGITS = re.compile(r"\d+")


def load(path, default=None):
    if default is not None and not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dump(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def kind(fix):
    return f"{fix['rule']} ({fix['applicability']})"


# --- applying fixes (src/fix.rs's rules) -------------------------------------------------


def overlaps(a, b):
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def simulate(text, fixes):
    """Applies `fixes` (dicts with "id" and "edits") to the bytes `text` as goaudit does.

    Returns (new text, accepted fix ids, skipped {id: why}, placed edits) where each placed
    edit is {id, edit index, new_start, new_end} in the new text's byte offsets.
    """
    order = sorted(
        (f for f in fixes if f["edits"]),
        key=lambda f: min(e["start_byte"] for e in f["edits"]),
    )  # stable, as Rust's sort_by_key: ties keep the report's order
    accepted, ids, skipped = [], [], {}
    for fix in order:
        mine, why = [], None
        for i, e in enumerate(fix["edits"]):
            s, end = e["start_byte"], e["end_byte"]
            if s > end or end > len(text):
                why = f"edit {s}..{end} is outside the file"
                break
            rep = e["replacement"].encode("utf-8")
            # The same edit in two fixes (an import both add) is made once.
            if any((a, b, r) == (s, end, rep) for a, b, r, *_ in mine + accepted):
                continue
            if any(overlaps((a, b), (s, end)) for a, b, *_ in mine + accepted):
                why = f"edit {s}..{end} overlaps another edit"
                break
            mine.append((s, end, e["replacement"].encode("utf-8"), fix["id"], i))
        if why:
            skipped[fix["id"]] = why
        else:
            accepted.extend(mine)
            ids.append(fix["id"])
    accepted.sort(key=lambda e: (e[0], e[1]))
    out, placed, pos, shift = [], [], 0, 0
    for s, end, rep, fid, i in accepted:
        out.append(text[pos:s])
        out.append(rep)
        placed.append({"id": fid, "edit": i, "new_start": s + shift, "new_end": s + shift + len(rep)})
        shift += len(rep) - (end - s)
        pos = end
    out.append(text[pos:])
    return b"".join(out), ids, skipped, placed


def line_of(text, offset):
    return text.count(b"\n", 0, offset) + 1


def place_lines(text, placed):
    """Adds first/last line (1-based) of each placed edit's new text in `text`."""
    for p in placed:
        p["first_line"] = line_of(text, p["new_start"])
        p["last_line"] = line_of(text, max(p["new_start"], p["new_end"] - 1)) if p["new_end"] > p["new_start"] else p["first_line"]
    return placed


def distance(p, line):
    if p["first_line"] <= line <= p["last_line"]:
        return 0
    return min(abs(line - p["first_line"]), abs(line - p["last_line"]))


def nearest(placed, line, ids=None):
    """The placed edit nearest to `line` (among fixes `ids` if given), or None."""
    best = None
    for p in placed:
        if ids is not None and p["id"] not in ids:
            continue
        if best is None or distance(p, line) < distance(best, line):
            best = p
    return best


def fixes_of(report):
    """Every fix in a goaudit JSON report, numbered in report order."""
    out = []
    for f in report.get("findings", []):
        fix = f.get("fix")
        if not fix:
            continue
        out.append(
            {
                "id": len(out),
                "rule": f["rule"],
                "applicability": fix.get("applicability", "?"),
                "description": fix.get("description", ""),
                "file": f["location"]["file"],
                "line": f["location"]["start"]["line"],
                "function": f.get("function", ""),
                "message": f.get("message", ""),
                "edits": [
                    {
                        "start_byte": e["start_byte"],
                        "end_byte": e["end_byte"],
                        "replacement": e["replacement"],
                        "line": e["start"]["line"],
                        "column": e["start"]["column"],
                    }
                    for e in fix.get("edits", [])
                ],
            }
        )
    return out


def walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.isfile(full) and not os.path.islink(full):
                yield os.path.relpath(full, root)


def changed_files(a, b):
    """Files that differ between trees a and b (added, removed or changed), sorted."""
    fa, fb = set(walk(a)), set(walk(b))
    out = set(fa ^ fb)
    for rel in fa & fb:
        pa, pb = os.path.join(a, rel), os.path.join(b, rel)
        if os.path.getsize(pa) != os.path.getsize(pb) or read_bytes(pa) != read_bytes(pb):
            out.add(rel)
    return sorted(out)


def go_list(src, dirs):
    """`go list -e -json` of the ./dir patterns, as {dir (relative): package json}."""
    if not dirs:
        return {}
    patterns = ["./" + d if d != "." else "." for d in dirs]
    proc = subprocess.run(
        ["go", "list", "-e", "-json", *patterns],
        cwd=src,
        capture_output=True,
        text=True,
    )
    out, text, dec, i = {}, proc.stdout, json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = dec.raw_decode(text, i)
        rel = os.path.relpath(obj.get("Dir", ""), src) if obj.get("Dir") else None
        if rel:
            out[rel] = obj
    return out


def cmd_fixes(w):
    src, after = os.path.join(w, "src"), os.path.join(w, "after")
    fixes = fixes_of(load(os.path.join(w, "before.json")))
    touched = changed_files(src, after)
    by_file = defaultdict(list)
    for f in fixes:
        by_file[f["file"]].append(f)
    applied, skipped, mismatch = [], {}, []
    for file, fs in sorted(by_file.items()):
        path = os.path.join(src, file)
        if not os.path.isfile(path):
            for f in fs:
                skipped[f["id"]] = "file not found"
            continue
        new, ids, sk, _ = simulate(read_bytes(path), fs)
        skipped.update(sk)
        after_path = os.path.join(after, file)
        actual = read_bytes(after_path) if os.path.isfile(after_path) else None
        if ids and actual != new:
            mismatch.append(file)
        elif not ids and file in touched:
            mismatch.append(file)
        applied.extend(ids)
    stray = [t for t in touched if t not in by_file]  # changed, but no fix was for it
    m = re.search(r"applied (\d+) fix\(es\) in (\d+) file", open(os.path.join(w, "fix.stderr"), errors="replace").read())
    said = {"fixes": int(m.group(1)), "files": int(m.group(2))} if m else None
    go_files = [t for t in touched if t.endswith(".go")]
    dirs = sorted({os.path.dirname(t) or "." for t in go_files})
    listed = go_list(src, dirs)
    compiled, not_compiled, pkgs = set(), [], {}
    for d in dirs:
        p = listed.get(d)
        names = set()
        if p:
            for key in ("GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles"):
                names.update(p.get(key) or [])
            if p.get("GoFiles") or p.get("CgoFiles") or p.get("TestGoFiles") or p.get("XTestGoFiles"):
                pkgs[d] = p.get("ImportPath", "")
        for t in go_files:
            if (os.path.dirname(t) or ".") == d:
                if os.path.basename(t) in names:
                    compiled.add(t)
                else:
                    not_compiled.append(t)
    fixes_json = {
        "fixes": fixes,
        "applied": sorted(applied),
        "skipped": {str(k): v for k, v in skipped.items()},
        "touched": touched,
        "stray": stray,
        "mismatch": mismatch,
        "goaudit_said": said,
        "packages": pkgs,  # dir -> import path, the packages compiled here that were touched
        "not_compiled": not_compiled,  # touched .go files this GOOS/GOARCH does not compile
    }
    dump(os.path.join(w, "fixes.json"), fixes_json)
    dump(os.path.join(w, "state.json"), {"in_src": sorted(applied), "blamed": []})
    with open(os.path.join(w, "pkgs.txt"), "w") as f:
        for d in sorted(pkgs):
            f.write(("./" + d if d != "." else ".") + "\n")
    with open(os.path.join(w, "touched.txt"), "w") as f:
        for t in touched:
            f.write(t + "\n")


def placed_in(w, ids, base="orig"):
    """For the fixes `ids` applied to the pristine files: {file: (new text, placed edits)}."""
    fx = load(os.path.join(w, "fixes.json"))
    fixes = {f["id"]: f for f in fx["fixes"]}
    by_file = defaultdict(list)
    for i in ids:
        by_file[fixes[i]["file"]].append(fixes[i])
    out = {}
    for file, fs in by_file.items():
        text = read_bytes(os.path.join(w, base, file))
        new, _, _, placed = simulate(text, fs)
        out[file] = (new, place_lines(new, placed))
    return out


def norm_path(path, root):
    path = path.strip()
    if os.path.isabs(path):
        path = os.path.relpath(path, root)
    path = os.path.normpath(path)
    return path


def compile_errors(log, root):
    out = []
    pkg = None
    for raw in open(log, errors="replace"):
        line = raw.rstrip("\n")
        if line.startswith("# "):
            pkg = line[2:].strip()
            continue
        m = ERROR_LINE.match(line.removeprefix("vet: "))
        if m:
            out.append(
                {
                    "file": norm_path(m["file"], root),
                    "line": int(m["line"]),
                    "col": int(m["col"] or 0),
                    "message": m["msg"],
                    "package": pkg,
                }
            )
    return out


def classify(messages, fix):
    """A cause for a fix that broke the build, from the compiler's messages."""
    text = "\n".join(messages)
    rel = fix["edits"][0]["replacement"].strip() if fix["edits"] else ""
    if re.search(r"not enough arguments in call|too many arguments in call|assignment mismatch|"
                 r"\(no value\) used as value|is not used|cannot use .* as .* value in", text):
        return "wrong release signature"
    if re.search(r"has no field or method|undefined \(type .* has no", text):
        return "type not known (no such method on the value)"
    if re.search(r"declared and not used", text):
        return "unused variable"
    if re.search(r"\"[^\"]+\" imported and not used|undefined: [a-z]+\.", text):
        return "missing import"
    m = re.search(r"undefined: (\w+)", text)
    if m:
        name = m.group(1)
        if rel.startswith(name + ".") or rel.startswith(name + "("):
            return "resource not in scope (closure / handed-over resource)"
        return "undefined name"
    if re.search(r"missing return|unreachable", text):
        return "control flow"
    if re.search(r"invalid operation|cannot call non-function", text):
        return "wrong release signature"
    return "other"


def type_errors(log, root):
    """The type-check errors in go vet's output (`vet: file:line:col: msg`): code, test files
    included, that does not compile. go vet's own diagnostics have no `vet: ` prefix."""
    out = []
    if not os.path.exists(log):
        return out
    for raw in open(log, errors="replace"):
        line = raw.rstrip("\n")
        if line.startswith("vet: "):
            m = ERROR_LINE.match(line[len("vet: ") :])
            if m:
                out.append(
                    {
                        "file": norm_path(m["file"], root),
                        "line": int(m["line"]),
                        "col": int(m["col"] or 0),
                        "message": m["msg"],
                        "package": None,
                    }
                )
    return out


def round_errors(w, rnd):
    """The compile errors of round `rnd`: go build's, else the type-check errors go vet finds in
    the touched packages (their tests included) that it did not find before the fixes. Returns
    (errors, by, detail) with detail the log's first lines when go build failed with no error
    naming a file."""
    root = os.path.join(w, "src")
    rc = int(open(os.path.join(w, f"build-after-{rnd}.rc")).read().strip() or 1)
    log = os.path.join(w, f"build-after-{rnd}.log")
    if rc != 0:
        errors = compile_errors(log, root)
        head = [l.rstrip("\n") for l in open(log, errors="replace")][:5]
        return errors, "go build", head
    before = Counter((e["file"], e["message"]) for e in type_errors(os.path.join(w, "vet-before.log"), root))
    errors = []
    for e in type_errors(os.path.join(w, f"vet-after-{rnd}.log"), root):
        if before[(e["file"], e["message"])] > 0:
            before[(e["file"], e["message"])] -= 1
            continue
        errors.append(e)
    return errors, "go vet (type check, tests included)", []


def cmd_blame(w, rnd):
    """Exit 4: round `rnd` compiles; 0: fixes blamed and taken out; 3: errors no fix explains."""
    state = load(os.path.join(w, "state.json"))
    ids = state["in_src"]
    root = os.path.join(w, "src")
    errors, by, head = round_errors(w, rnd)
    if not errors and not head:
        state["compiles"] = True
        dump(os.path.join(w, "state.json"), state)
        return 4
    state["compiles"] = False
    if not errors:
        state.setdefault("unmapped", []).append(
            {"file": None, "line": 0, "col": 0, "message": " | ".join(head), "round": rnd, "by": by}
        )
        dump(os.path.join(w, "state.json"), state)
        return 3
    placed = placed_in(w, ids)
    fixes = {f["id"]: f for f in load(os.path.join(w, "fixes.json"))["fixes"]}
    hits = defaultdict(list)
    unmapped = []
    for e in errors:
        entry = placed.get(e["file"])
        p = nearest(entry[1], e["line"]) if entry else None
        if p is None:
            unmapped.append(e)
            continue
        hits[p["id"]].append(dict(e, distance=distance(p, e["line"])))
    state.setdefault("unmapped", []).extend(dict(e, round=rnd, by=by) for e in unmapped)
    if not hits:
        dump(os.path.join(w, "state.json"), state)
        return 3
    for fid, errs in sorted(hits.items()):
        fix = fixes[fid]
        state["blamed"].append(
            {
                "id": fid,
                "round": rnd,
                "by": by,
                "errors": errs,
                "cause": classify([e["message"] for e in errs], fix),
            }
        )
    remaining = [i for i in ids if i not in hits]
    # rewrite the files of the blamed fixes from the pristine copy with the others' fixes
    files = {fixes[i]["file"] for i in hits}
    keep = placed_in(w, [i for i in remaining if fixes[i]["file"] in files])
    for file in files:
        new = keep[file][0] if file in keep else read_bytes(os.path.join(w, "orig", file))
        with open(os.path.join(root, file), "wb") as f:
            f.write(new)
    state["in_src"] = remaining
    dump(os.path.join(w, "state.json"), state)
    return 0


# --- tests, vet and findings ---------------------------------------------------------------


def test_status(log):
    """{import path: {"status": ok|FAIL|?, "rest": the rest of its line, "failed": [the tests
    that failed]}} from `go test` output (each package's output comes whole, before its line)."""
    out = {}
    if not os.path.exists(log):
        return out
    failed = set()
    for raw in open(log, errors="replace"):
        line = raw.rstrip("\n")
        m = FAILED_TEST.match(line)
        if m:
            failed.add(m["name"])
            continue
        m = TEST_LINE.match(line)
        if m:
            out[m["pkg"]] = {"status": m["status"], "rest": m["rest"].strip(), "failed": sorted(failed)}
            failed = set()
    return out


def regression(before, after):
    """The new failures of a package's tests (a list, empty when none): all of them when its
    tests passed before and fail now; when they failed before too, the tests that fail now and
    did not then, or the build or setup failure that is new."""
    if not after or after["status"] != "FAIL" or not before:
        return []
    if before["status"] == "ok":
        return after["failed"] or [after["rest"] or "FAIL"]
    if before["status"] != "FAIL":
        return []
    new = [t for t in after["failed"] if t not in before["failed"]]
    for what in ("[build failed]", "[setup failed]"):
        if what in after["rest"] and what not in before["rest"]:
            new.append(what)
    return new


def cmd_regressed(w, log):
    before = test_status(os.path.join(w, "test-before.log"))
    for pkg, st in sorted(test_status(log).items()):
        if regression(before.get(pkg), st):
            print(pkg)


def pkg_fixes(w, fx, state):
    """{import path: [fix ids in W/src in that package's folder]}."""
    fixes = {f["id"]: f for f in fx["fixes"]}
    dir_of = {ip: d for d, ip in fx["packages"].items()}
    out = {}
    for ip, d in dir_of.items():
        out[ip] = sorted(i for i in state["in_src"] if (os.path.dirname(fixes[i]["file"]) or ".") == d)
    return out


def cmd_isolate_plan(w):
    """For each package that failed after the fixes and again when rerun, with two fixes or more:
    `import-path dir id...` (fix-check.sh then tests it with one fix at a time)."""
    fx = load(os.path.join(w, "fixes.json"))
    state = load(os.path.join(w, "state.json"))
    before = test_status(os.path.join(w, "test-before.log"))
    after = test_status(os.path.join(w, "test-after.log"))
    rerun = test_status(os.path.join(w, "test-rerun.log"))
    per_pkg = pkg_fixes(w, fx, state)
    dir_of = {ip: d for d, ip in fx["packages"].items()}
    for pkg, st in sorted(after.items()):
        if regression(before.get(pkg), st) and regression(before.get(pkg), rerun.get(pkg)):
            ids = per_pkg.get(pkg, [])
            if len(ids) >= 2:
                print(pkg, dir_of[pkg], *ids)


def cmd_only(w, d, which):
    """Rewrites the files of package folder `d` that have fixes in W/src: with fix `which` only
    (the others of the folder left out), or with all of them again (`which` = all)."""
    fx = load(os.path.join(w, "fixes.json"))
    state = load(os.path.join(w, "state.json"))
    fixes = {f["id"]: f for f in fx["fixes"]}
    mine = [i for i in state["in_src"] if (os.path.dirname(fixes[i]["file"]) or ".") == d]
    keep = mine if which == "all" else [int(which)]
    files = {fixes[i]["file"] for i in mine}
    placed = placed_in(w, keep)
    for file in files:
        new = placed[file][0] if file in placed else read_bytes(os.path.join(w, "orig", file))
        with open(os.path.join(w, "src", file), "wb") as f:
            f.write(new)


def vet_lines(log, root):
    """go vet's diagnostics as (file, line, message, raw); other lines as (None, 0, line, raw)."""
    out = []
    if not os.path.exists(log):
        return out
    for raw in open(log, errors="replace"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        m = ERROR_LINE.match(line.removeprefix("vet: "))
        if m:
            out.append((norm_path(m["file"], root), int(m["line"]), m["msg"], line))
        elif not line.startswith(("\t", " ")):
            out.append((None, 0, line, line))
    return out


def finding_key(f):
    msg = DIGITS.sub("N", f.get("message", ""))
    return (f["location"]["file"], f["rule"], f.get("function", ""), msg)


def cmd_module(w, label):
    fx = load(os.path.join(w, "fixes.json"))
    state = load(os.path.join(w, "state.json"))
    fixes = {f["id"]: f for f in fx["fixes"]}
    applied = set(fx["applied"])
    blamed = {b["id"]: b for b in state["blamed"]}
    in_src = set(state["in_src"])
    root = os.path.join(w, "src")
    # rounds: the last build log says whether W/src builds in the end
    rounds = sorted(
        int(n[len("build-after-") : -len(".log")])
        for n in os.listdir(w)
        if n.startswith("build-after-") and n.endswith(".log")
    )
    status = {}
    for r in rounds:
        rc = os.path.join(w, f"build-after-{r}.rc")
        if os.path.exists(rc):
            status[str(r)] = int(open(rc).read().strip() or 1)
    builds_after = status.get("0") == 0
    compiles_after = builds_after and not round_errors(w, 0)[0] if rounds else True
    final_builds = state.get("compiles", False)

    # vet: new diagnostics (line numbers left out of the comparison), echoes of compile errors out
    src_placed = placed_in(w, sorted(in_src))
    before_vet = Counter((f, m) for f, _, m, _ in vet_lines(os.path.join(w, "vet-before.log"), root))
    # type-check errors are compile errors: blamed (and gone) or left unmapped, not vet's news
    echoes = {(e["file"], e["line"], e["message"]) for e in state.get("unmapped", [])}
    echoes |= {(e["file"], e["line"], e["message"]) for e in type_errors(os.path.join(w, "vet-after.log"), root)}
    vet_new = []
    for f, ln, m, raw in vet_lines(os.path.join(w, "vet-after.log"), root):
        if before_vet[(f, m)] > 0:
            before_vet[(f, m)] -= 1
            continue
        if (f, ln, m) in echoes:
            continue
        p = nearest(src_placed[f][1], ln) if f in src_placed else None
        vet_new.append({"file": f, "line": ln, "message": m, "raw": raw, "fix": p["id"] if p else None})

    # tests: passed before, failed after (and again when rerun)
    tb = test_status(os.path.join(w, "test-before.log"))
    ta = test_status(os.path.join(w, "test-after.log"))
    rerun = test_status(os.path.join(w, "test-rerun.log"))
    dir_of = {ip: d for d, ip in fx["packages"].items()}
    regressions, flaky = [], []
    for pkg, st in sorted(ta.items()):
        new = regression(tb.get(pkg), st)
        if not new:
            continue
        d = dir_of.get(pkg)
        ids = sorted(i for i in in_src if (os.path.dirname(fixes[i]["file"]) or ".") == d)
        entry = {
            "package": pkg,
            "before": tb[pkg]["status"],
            "detail": st["rest"],
            "new_failures": new,
            "fixes": ids,
        }
        alone = {}
        for i in ids:
            log = os.path.join(w, f"test-alone-{i}.log")
            if os.path.exists(log):
                alone[i] = regression(tb.get(pkg), test_status(log).get(pkg, {"status": "FAIL", "rest": "no result", "failed": []}))
        if alone:
            # each fix applied alone: those with new failures are to blame (all, if none has)
            entry["alone"] = {str(i): v for i, v in alone.items()}
            failing = [i for i, v in alone.items() if v]
            entry["blamed"] = failing or ids
        else:
            entry["blamed"] = ids
        if not regression(tb.get(pkg), rerun.get(pkg, st)):
            flaky.append(entry)
        else:
            regressions.append(entry)
    test_counts = {
        "before": dict(Counter(v["status"] for v in tb.values())),
        "after": dict(Counter(v["status"] for v in ta.values())),
    }

    # findings: new after the fixes (by file, rule, function and message with numbers out)
    before = load(os.path.join(w, "before.json"))["findings"]
    reaudited = os.path.exists(os.path.join(w, "after.json"))
    after_report = load(os.path.join(w, "after.json"), {"findings": []})
    after = after_report["findings"]
    bk = Counter(finding_key(f) for f in before)
    bfp = {f.get("fingerprint") for f in before}
    after_placed = placed_in(w, sorted(applied))
    new_findings = []
    for f in after:
        k = finding_key(f)
        if bk[k] > 0:
            bk[k] -= 1
            continue
        file, line = f["location"]["file"], f["location"]["start"]["line"]
        p = None
        if file in after_placed:
            same_fn = {i for i in applied if fixes[i]["file"] == file and fixes[i]["function"] == f.get("function", "")}
            p = nearest(after_placed[file][1], line, same_fn or None)
        new_findings.append(
            {
                "file": file,
                "line": line,
                "rule": f["rule"],
                "function": f.get("function", ""),
                "message": f.get("message", ""),
                "snippet": f.get("snippet", ""),
                "fingerprint_new": f.get("fingerprint") not in bfp,
                "fix": p["id"] if p else None,
                "in_inserted_text": bool(p and distance(p, line) == 0),
            }
        )
    resolved = sum(bk.values())
    new_by_fp = sum(1 for f in after if f.get("fingerprint") not in bfp)

    # per kind
    kinds = defaultdict(lambda: Counter())
    for f in fixes.values():
        kinds[kind(f)]["offered"] += 1
    for i in applied:
        kinds[kind(fixes[i])]["applied"] += 1
    for i in blamed:
        kinds[kind(fixes[i])]["broke_build"] += 1
    for i in {v["fix"] for v in vet_new if v["fix"] is not None}:
        kinds[kind(fixes[i])]["broke_vet"] += 1
    for i in {i for r in regressions for i in r["blamed"]}:
        kinds[kind(fixes[i])]["broke_tests"] += 1
    for n in new_findings:
        if n["fix"] is not None:
            kinds[kind(fixes[n["fix"]])]["new_findings"] += 1
    unattributed_findings = sum(1 for n in new_findings if n["fix"] is None)

    def fix_ref(i):
        f = fixes[i]
        return {
            "id": i,
            "kind": kind(f),
            "file": f["file"],
            "function": f["function"],
            "description": f["description"],
            "edits": [{"line": e["line"], "column": e["column"], "inserted": e["replacement"]} for e in f["edits"]],
        }

    broken = []
    for i, b in sorted(blamed.items(), key=lambda kv: (kv[1]["round"], kv[0])):
        broken.append(dict(fix_ref(i), round=b["round"], by=b.get("by", "go build"), cause=b["cause"], errors=b["errors"]))

    first_errors = []
    if rounds and not compiles_after:
        errs, by, head = round_errors(w, 0)
        first_errors = [f"{by}: {e['file']}:{e['line']}:{e['col']}: {e['message']}" for e in errs[:12]] or head

    timings = {}
    for n in sorted(os.listdir(w)):
        if n.endswith(".secs"):
            timings[n[: -len(".secs")]] = int(open(os.path.join(w, n)).read().strip() or 0)

    said = fx.get("goaudit_said")
    result = {
        "seconds": timings,
        "module": label,
        "status": "checked",
        "fixes_offered": len(fixes),
        "fixes_applied": len(applied),
        "goaudit_said": said,
        "applied_count_agrees": (said or {}).get("fixes") == len(applied),
        "simulation_mismatch": fx["mismatch"],
        "stray_changes": fx["stray"],
        "skipped": fx["skipped"],
        "files_touched": len(fx["touched"]),
        "touched": fx["touched"],
        "not_compiled_here": fx["not_compiled"],
        "packages_touched": sorted(fx["packages"].values()),
        "build_after": "ok" if builds_after else "FAIL",
        "compiles_after": "ok" if compiles_after else "FAIL",
        "build_after_first_errors": first_errors,
        "build_rounds": len(rounds),
        "builds_without_blamed": final_builds,
        "unmapped_build_errors": state.get("unmapped", []),
        "broken_builds": broken,
        "vet_new": vet_new,
        "tests": test_counts,
        "test_regressions": regressions,
        "test_flaky": flaky,
        "new_findings": new_findings,
        "new_findings_unattributed": unattributed_findings,
        "new_by_fingerprint": new_by_fp,
        "resolved_findings": resolved,
        "reaudited": reaudited,
        "kinds": {k: {c: v.get(c, 0) for c in COLUMNS} for k, v in sorted(kinds.items())},
        "applied_fixes": [fix_ref(i) for i in sorted(applied)],
    }
    result["ok"] = ok(result)
    dump(os.path.join(w, "result.json"), result)


COLUMNS = ["offered", "applied", "broke_build", "broke_vet", "broke_tests", "new_findings"]


def ok(r):
    if r.get("status") != "checked":
        return r.get("status") in ("skipped", "no fixes")
    return (
        r["build_after"] == "ok"
        and r["compiles_after"] == "ok"
        and not r["broken_builds"]
        and not r["unmapped_build_errors"]
        and not r["vet_new"]
        and not r["test_regressions"]
        and not r["new_findings"]
        and r["reaudited"]
    )


def table(rows, header):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(wd) if j == 0 else str(x).rjust(wd) for j, (x, wd) in enumerate(zip(row, widths))) for row in [header] + rows]
    lines.insert(1, "  ".join("-" * wd for wd in widths))
    return "\n".join(lines)


def short(s, n=100):
    s = s.replace("\n", "\\n").replace("\t", "\\t")
    return s if len(s) <= n else s[: n - 3] + "..."


def print_module(r):
    print(f"\n== {r['module']}: {r['status']}")
    if r["status"] != "checked":
        if "fixes_offered" in r:
            print(f"   fixes offered {r['fixes_offered']}, applied 0")
        for line in r.get("detail", []):
            print("   " + line)
        return
    said = r["goaudit_said"]
    print(
        f"   fixes offered {r['fixes_offered']}, applied {r['fixes_applied']}"
        f" (goaudit said {said['fixes'] if said else '?'}), files touched {r['files_touched']},"
        f" go build after: {r['build_after']}, touched packages and their tests compile"
        f" (go vet's type check): {r['compiles_after']}"
    )
    if r["simulation_mismatch"]:
        print(f"   ! the fixed files differ from the simulated fixes: {', '.join(r['simulation_mismatch'])}")
    if not r["reaudited"]:
        print("   ! goaudit failed on the fixed copy: no re-audit")
    if r["stray_changes"]:
        print(f"   ! files changed that no fix was for: {', '.join(r['stray_changes'])}")
    if r["not_compiled_here"]:
        print(f"   ! touched files this platform does not compile (not checked): {', '.join(r['not_compiled_here'])}")
    rows = [[k] + [v[c] for c in COLUMNS] for k, v in r["kinds"].items()]
    if rows:
        print(table(rows, ["fix kind"] + COLUMNS))
    for b in r["broken_builds"]:
        e0 = b["errors"][0]
        print(f"   BUILD  {b['file']}: {b['description']} ({b['function']}) — {b['cause']} [{b['by']}, round {b['round']}]")
        for e in b["edits"]:
            print(f"          inserted at {b['file']}:{e['line']}:{e['column']} (pristine file): {short(e['inserted'])!s}")
        for e in b["errors"][:3]:
            print(f"          {e['file']}:{e['line']}:{e['col']}: {e['message']}")
    for e in r["unmapped_build_errors"]:
        print(f"   BUILD  (no fix near) {e['file']}:{e['line']}: {e['message']} [{e.get('by', '')}]")
    for v in r["vet_new"]:
        print(f"   VET    {short(v['raw'], 160)}")
    for t in r["test_regressions"]:
        if t["before"] == "ok":
            print(f"   TEST   {t['package']} {t['detail']}: tests passed before, fail after: {short(' '.join(t['new_failures']), 120)}")
        else:
            print(f"   TEST   {t['package']} {t['detail']}: tests failed before too; new failures: {short(' '.join(t['new_failures']), 120)}")
        for i in t["blamed"]:
            ref = next(a for a in r["applied_fixes"] if a["id"] == i)
            alone = " (fails with this fix alone)" if "alone" in t else ""
            print(f"          fix {i}: {ref['file']}:{ref['edits'][0]['line']} {ref['description']}{alone}")
    for t in r["test_flaky"]:
        print(f"   flaky  {t['package']} new failures after the fixes ({short(' '.join(t['new_failures']), 80)}), none when rerun")
    for n in r["new_findings"]:
        where = "in the inserted text" if n["in_inserted_text"] else ("near fix %s" % n["fix"] if n["fix"] is not None else "no fix near")
        print(f"   NEW    {n['file']}:{n['line']}: {n['rule']}: {short(n['message'], 110)} ({where})")
    secs = r.get("seconds", {})
    if secs:
        print("   seconds: " + ", ".join(f"{k} {v}" for k, v in secs.items()))
    print(
        f"   tests before {r['tests']['before']}, after {r['tests']['after']};"
        f" findings resolved {r['resolved_findings']}, new {len(r['new_findings'])}"
        f" (by fingerprint: {r['new_by_fingerprint']})"
    )


def cmd_report(out, dirs):
    results = []
    for w in dirs:
        p = os.path.join(w, "result.json")
        if os.path.exists(p):
            results.append(load(p))
    for r in results:
        print_module(r)
    totals = defaultdict(Counter)
    for r in results:
        for k, v in r.get("kinds", {}).items():
            totals[k].update(v)
    print("\n== total")
    rows = []
    for r in results:
        if r["status"] == "no fixes":
            rows.append([r["module"], r.get("fixes_offered", 0), 0, 0, 0, 0, 0, 0])
            continue
        if r["status"] != "checked":
            rows.append([r["module"] + f" ({r['status']})", "-", "-", "-", "-", "-", "-", "-"])
            continue
        rows.append(
            [
                r["module"],
                r["fixes_offered"],
                r["fixes_applied"],
                r["files_touched"],
                len(r["broken_builds"]) + len(r["unmapped_build_errors"]),
                len(r["vet_new"]),
                len(r["test_regressions"]),
                len(r["new_findings"]),
            ]
        )
    print(table(rows, ["module", "offered", "applied", "files", "broke_build", "vet_news", "test_regr", "new_findings"]))
    krows = [[k] + [v.get(c, 0) for c in COLUMNS] for k, v in sorted(totals.items())]
    if krows:
        print()
        print(table(krows, ["fix kind"] + COLUMNS))
    all_ok = all(r["ok"] for r in results) and len(results) == len(dirs)
    print("\nfix-check: " + ("every check passed" if all_ok else "some fix broke something (see above)"))
    if out != "-":
        dump(
            out,
            {
                "ok": all_ok,
                "modules": results,
                "totals": {k: {c: v.get(c, 0) for c in COLUMNS} for k, v in sorted(totals.items())},
            },
        )
    return 0 if all_ok else 1


def cmd_status(w, label, status, *detail):
    """A module that was not checked: skipped (its build failed before the fixes), no fixes."""
    r = {"module": label, "status": status, "detail": list(detail)}
    if os.path.exists(os.path.join(w, "before.json")):
        fixes = fixes_of(load(os.path.join(w, "before.json")))
        kinds = defaultdict(Counter)
        for f in fixes:
            kinds[kind(f)]["offered"] += 1
        r["kinds"] = {k: {c: v.get(c, 0) for c in COLUMNS} for k, v in kinds.items()}
        r["fixes_offered"] = len(fixes)
    r["ok"] = ok(r)
    dump(os.path.join(w, "result.json"), r)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "fixes":
        cmd_fixes(args[0])
    elif cmd == "blame":
        return cmd_blame(args[0], int(args[1]))
    elif cmd == "regressed":
        cmd_regressed(args[0], args[1])
    elif cmd == "isolate-plan":
        cmd_isolate_plan(args[0])
    elif cmd == "only":
        cmd_only(args[0], args[1], args[2])
    elif cmd == "module":
        cmd_module(args[0], args[1])
    elif cmd == "status":
        cmd_status(*args)
    elif cmd == "report":
        return cmd_report(args[0], args[1:])
    else:
        print(f"fix_check.py: unknown subcommand {cmd}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
