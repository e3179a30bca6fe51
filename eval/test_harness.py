#!/usr/bin/env python3
"""Self-test of the evaluation harness: sampling is reproducible and stratified, the enclosing
function is found whole, and report.py scores verdicts as docs/evaluation.md says.

    python3 eval/test_harness.py"""
import gzip
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gosource  # noqa: E402
import report  # noqa: E402

TRICKY = '''package store

import "fmt"

// Get returns the value of k.
func (s *Store) Get(k string) error {
	open := "{ not a brace"
	r := '}'
	raw := `
}
` // } a comment
	go func() {
		/* { */
		s.fill(k, open, r, raw)
	}()
	return fmt.Errorf("missing %q", k)
}

func (s *Store) fill(k, a string, r rune, raw string) {
	s.m[k] = a + raw + string(r)
}
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def finding(rule, file, line, fingerprint, message="m"):
    return {"rule": rule, "severity": "high", "message": message, "fingerprint": fingerprint,
            "location": {"file": file, "start": {"line": line, "column": 2}, "end": {"line": line, "column": 9}}}


def fake_run(root):
    """A run directory as eval/run.sh leaves it before sampling, and a module cache beside it:
    module alpha has 40 findings of rule `leak`, Beta 3 (one inside TRICKY's func literal)."""
    cache, run = os.path.join(root, "cache"), os.path.join(root, "run")
    write(os.path.join(root, "modules.txt"), "# test\nexample.com/alpha v1.0.0\nexample.com/Beta v0.1.0\n")
    write(os.path.join(cache, "example.com/alpha@v1.0.0/a.go"),
          "package a\n\n" + "".join(f"func f{i}() {{\n\tg()\n}}\n\n" for i in range(40)) + "func g() {}\n")
    write(os.path.join(cache, "example.com/!beta@v0.1.0/store/store.go"), TRICKY)
    write(os.path.join(run, "rules.json"), json.dumps([
        {"id": "leak", "category": "leak", "severity": "high", "enabled": True, "summary": "s"},
        {"id": "quiet", "category": "leak", "severity": "low", "enabled": False, "summary": "s"},
        {"id": "vet", "category": "tool", "severity": "low", "enabled": False, "summary": "s", "tool": "go vet"}]))
    alpha = [finding("leak", "a.go", 4 + 4 * i, f"a{i:03}") for i in range(40)]
    beta = [finding("leak", "store/store.go", line, f"b{line:03}", "`fill` leaks") for line in (7, 14, 20)]
    for slug, found in (("example.com_alpha@v1.0.0", alpha), ("example.com_Beta@v0.1.0", beta)):
        for run_name in ("all", "default"):
            write(os.path.join(run, "findings", f"{slug}.{run_name}.json"), json.dumps({"findings": found}))
    return run, cache, os.path.join(root, "modules.txt")


def sample_files(run, cache, modules, seed):
    """Runs sample.py on a copy of `run` and returns {relative path: bytes} of what it wrote."""
    out = f"{run}-{seed}"
    subprocess.run(["cp", "-r", run, out], check=True)
    subprocess.run([sys.executable, os.path.join(HERE, "sample.py"), out, modules, str(seed)], check=True,
                   env={**os.environ, "GOMODCACHE": cache}, stderr=subprocess.DEVNULL)
    files = {}
    for name in ("counts.json", "sample.jsonl", "findings.jsonl.gz", "samples/batch-1.md"):
        with open(os.path.join(out, name), "rb") as f:
            files[name] = f.read()
    return files


class Sampling(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.run_dir, cls.cache, cls.modules = fake_run(cls.tmp.name)
        cls.first = sample_files(cls.run_dir, cls.cache, cls.modules, 1)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_same_seed_same_bytes_other_seed_other_sample(self):
        self.assertEqual(self.first, sample_files(self.run_dir, self.cache, self.modules, 1))
        other = sample_files(self.run_dir, self.cache, self.modules, 2)
        self.assertNotEqual(self.first["sample.jsonl"], other["sample.jsonl"])

    def test_draw_takes_twenty_round_robin_so_the_small_module_is_whole(self):
        rows = [json.loads(line) for line in self.first["sample.jsonl"].decode().splitlines()]
        self.assertEqual(len(rows), 20)
        self.assertEqual(sum(r["module"] == "example.com/!beta@v0.1.0" for r in rows), 3)
        self.assertNotIn(self.cache, self.first["samples/batch-1.md"].decode())

    def test_counts_cover_rules_without_findings_and_skip_tools(self):
        counts = json.loads(self.first["counts.json"])
        self.assertEqual(sorted(counts["rules"]), ["leak", "quiet"])
        self.assertEqual(counts["rules"]["leak"]["all"]["example.com/alpha@v1.0.0"], 40)
        self.assertFalse(counts["rules"]["quiet"]["default_on"])

    def test_sample_shows_the_whole_method_and_the_named_callee(self):
        md = self.first["samples/batch-1.md"].decode()
        self.assertIn("Enclosing function `Get`, lines 6–17", md)
        self.assertIn('return fmt.Errorf("missing %q", k)', md)
        self.assertIn("Callee `fill` (named by the finding)", md)


class Demoted(unittest.TestCase):
    def test_draws_only_findings_that_left_high_and_were_never_judged(self):
        with tempfile.TemporaryDirectory() as tmp:
            before, cache, modules = fake_run(tmp)
            after = os.path.join(tmp, "after")
            subprocess.run(["cp", "-r", before, after], check=True)
            slug = os.path.join(after, "findings", "example.com_alpha@v1.0.0.default.json")
            with open(slug, encoding="utf-8") as f:
                found = json.load(f)["findings"]
            for f in found[:10]:
                f["severity"] = "info"  # demoted
            del found[10:12]  # removed
            write(slug, json.dumps({"findings": found}))
            write(os.path.join(before, "verdicts", "judge-a.jsonl"),
                  json.dumps({"id": "leak:a000", "verdict": "REAL", "why": "w"}) + "\n")
            subprocess.run([sys.executable, os.path.join(HERE, "demoted.py"), before, after, modules, "3", "12"],
                           check=True, env={**os.environ, "GOMODCACHE": cache}, stderr=subprocess.DEVNULL)
            with open(os.path.join(after, "demoted.jsonl"), encoding="utf-8") as f:
                rows = [json.loads(line) for line in f]
            self.assertEqual(len(rows), 12)
            self.assertEqual(sum(r["now"] == "removed" for r in rows), 2)
            with open(os.path.join(after, "samples", "demoted.md"), encoding="utf-8") as f:
                md = f.read()
            self.assertEqual(md.count("\n### "), 11)  # every one but the judged a000
            self.assertNotIn("leak:a000", md)


class Urgent(unittest.TestCase):
    def test_ids_follow_the_module_list_and_verdicts_carry_to_the_same_place(self):
        with tempfile.TemporaryDirectory() as tmp:
            old, _, modules = fake_run(tmp)
            urgent = [sys.executable, os.path.join(HERE, "urgent.py")]
            subprocess.run(urgent + ["draw", old, "--modules", modules], check=True, capture_output=True)
            with open(os.path.join(old, "urgent.jsonl"), encoding="utf-8") as f:
                rows = [json.loads(line) for line in f]
            self.assertEqual(len(rows), 43)
            self.assertEqual((rows[0]["id"], rows[0]["module"]), ("h01", "example.com/alpha"))
            self.assertEqual((rows[40]["id"], rows[40]["module"]), ("h41", "example.com/Beta"))
            write(os.path.join(old, "verdicts", "judge-a.jsonl"),
                  json.dumps({"id": "h41", "verdict": "REAL", "why": "w"}) + "\n")
            write(os.path.join(old, "verdicts", "judge-b.jsonl"),
                  json.dumps({"id": "h41", "verdict": "FALSE", "why": "w"}) + "\n")
            new = os.path.join(tmp, "new")
            subprocess.run(["cp", "-r", old, new], check=True)
            subprocess.run(["rm", "-r", os.path.join(new, "verdicts")], check=True)
            slug = os.path.join(new, "findings", "example.com_alpha@v1.0.0.default.json")
            with open(slug, encoding="utf-8") as f:
                found = json.load(f)["findings"]
            write(slug, json.dumps({"findings": found[:1]}))  # alpha keeps one finding
            subprocess.run(urgent + ["draw", new, "--modules", modules], check=True, capture_output=True)
            out = subprocess.run(urgent + ["score", new, "--carry", old], check=True, capture_output=True,
                                 text=True).stdout
            self.assertIn("4 critical and high findings", out)
            self.assertIn("judge-a: 1 judged: REAL 1 (100%)", out)
            self.assertIn("h02 example.com/Beta store/store.go:7 leak (REAL / FALSE)", out)
            self.assertIn("unjudged: 3", out)


class EnclosingFunction(unittest.TestCase):
    def test_finding_in_a_func_literal_gets_the_whole_method(self):
        funcs = gosource.functions(TRICKY)
        self.assertEqual([(f.name, f.receiver, f.doc_line, f.line, f.end_line) for f in funcs],
                         [("Get", "Store", 5, 6, 17), ("fill", "Store", 19, 19, 21)])
        self.assertEqual(gosource.enclosing(funcs, 14).name, "Get")
        self.assertIsNone(gosource.enclosing(funcs, 3))
        self.assertIn(("s", "fill"), gosource.calls(funcs[0].text))

    def test_finding_in_a_package_level_literal_gets_the_literal(self):
        src = 'package p\n\nvar _ = Describe("x", func() {\n\tIt("y",\n\t\tfunc() {\n\t\t\tsend()\n\t\t})\n})\n'
        self.assertEqual(gosource.functions(src), [])
        lit = gosource.enclosing_literal(gosource.literals(src), 6, 200)
        self.assertEqual((lit.line, lit.end_line), (3, 8))
        lit = gosource.enclosing_literal(gosource.literals(src), 6, 3)
        self.assertEqual((lit.line, lit.end_line), (5, 7))


class Scoring(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        sample = [{"id": f"big:{i}", "rule": "big", "module": "m@v1", "file": "f.go", "line": i, "message": "x"}
                  for i in range(20)]
        sample += [{"id": f"small:{i}", "rule": "small", "module": "m@v1", "file": "f.go", "line": i,
                    "message": "x"} for i in range(3)]
        write(os.path.join(self.dir, "sample.jsonl"), "".join(json.dumps(s) + "\n" for s in sample))
        write(os.path.join(self.dir, "counts.json"), json.dumps({"modules": ["m@v1"], "rules": {
            "big": {"default_on": True, "all": {"m@v1": 100}, "default": {"m@v1": 100}},
            "small": {"default_on": False, "all": {"m@v1": 3}, "default": {"m@v1": 0}}}}))
        a = {f"big:{i}": "REAL" if i < 10 else "FALSE" for i in range(20)} | {f"small:{i}": "REAL" for i in range(3)}
        b = dict(a, **{"big:0": "FALSE", "big:1": "TRUE-MINOR", "small:2": "FALSE"})
        referee = {"big:0": "TRUE-MINOR", "big:1": "REAL", "small:2": "REAL"}
        for judge, verdicts in (("judge-a", a), ("judge-b", b), ("referee", referee)):
            write(os.path.join(self.dir, "verdicts", f"{judge}.jsonl"),
                  "".join(json.dumps({"id": i, "verdict": v, "why": "w"}) + "\n" for i, v in verdicts.items()))

    def tearDown(self):
        self.tmp.cleanup()

    def rows(self):
        sample = report.read_jsonl(os.path.join(self.dir, "sample.jsonl"))
        counts = report.read_json(os.path.join(self.dir, "counts.json"))
        a, b = (report.load_verdicts(self.dir, j) for j in report.JUDGES)
        final = report.final_verdicts(sample, a, b, report.load_verdicts(self.dir, "referee"))
        return {r["rule"]: r for r in report.rule_rows(counts, sample, final, a, b)}

    def test_referee_decides_only_disagreements(self):
        big = self.rows()["big"]
        self.assertEqual((big["REAL"], big["TRUE-MINOR"], big["FALSE"]), (9, 1, 10))
        self.assertEqual((big["agree"], big["both"]), (18, 20))

    def test_rates_need_twenty_sampled(self):
        rows = self.rows()
        big, small = report.format_row(rows["big"]), report.format_row(rows["small"])
        self.assertIn("| 45% | 50% | 45 |", big)
        self.assertIn("| – | – | 3 |", small)
        self.assertIn("judged whole: 3 of 3; may be on by default only with 0 FALSE", small)

    def test_against_lists_final_real_findings_the_other_run_lacks(self):
        with tempfile.TemporaryDirectory() as this:
            ids = [f"big:{i}" for i in range(20) if i not in (0, 2)] + [f"small:{i}" for i in range(3)]
            rows = [{"run": "all", "id": i, "module": "m@v1", "rule": "r", "file": "f.go", "line": 1} for i in ids]
            with gzip.open(os.path.join(this, "findings.jsonl.gz"), "wt", encoding="utf-8") as f:
                f.writelines(json.dumps(r) + "\n" for r in rows)
            self.assertEqual([s["id"] for s in report.lost_real(this, self.dir)], ["big:2"])


if __name__ == "__main__":
    unittest.main()
