#!/usr/bin/env python3
"""Benchmark: `goaudit server` answering edits. On a copy of testdata/demo (the result cache in
a temporary folder), internal/db/connect.go is opened, then sent EDITS didChange edits (full
text, alternating the file and the file with one comment line more, both valid Go), each
waited for: its latency is the time from sending the didChange to the publishDiagnostics
carrying that version, so it includes the debounce (--debounce-ms, 50 ms by default). Prints
the median, p90 and max latency and the server's resident memory (VmRSS, and its peak VmHWM,
from /proc/PID/status) after 10, 100, 500 and 1,000 edits.

    bench/lsp.py BINARY                    e.g. bench/lsp.py target/release/goaudit
    bench/lsp.py BINARY --json             the same figures as one JSON object
    bench/lsp.py BINARY --edits 200 --debounce-ms 0
"""

import argparse
import json
import math
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "lsp"))
from lspclient import Server  # noqa: E402 - found through the path above

FILE = "internal/db/connect.go"
CHECKPOINTS = (10, 100, 500, 1000)
EDIT = "// goaudit bench edit\n"


def percentile(values, p):
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run(binary, edits, debounce_ms):
    with tempfile.TemporaryDirectory(prefix="goaudit-bench-lsp-") as tmp:
        root = pathlib.Path(tmp) / "demo"
        shutil.copytree(REPO / "testdata" / "demo", root)
        path = root / FILE
        texts = (path.read_text(), path.read_text() + EDIT)
        args = ["--cache-dir", pathlib.Path(tmp) / "cache", "--debounce-ms", debounce_ms]
        server = Server(binary, args)
        try:
            server.initialize(root)
            server.open(path, texts[0], 1)
            first = len(server.diagnostics(path, 1))
            memory = {0: server.rss_kb()}
            latencies, wrong = [], 0
            for n in range(1, edits + 1):
                version = n + 1
                started = time.perf_counter()
                server.change(path, texts[n % 2], version)
                got = server.diagnostics(path, version)
                latencies.append((time.perf_counter() - started) * 1000)
                wrong += len(got) != first
                server.forget()
                if n in CHECKPOINTS or n == edits:
                    memory[n] = server.rss_kb()
            exit_code = server.stop()
        finally:
            server.kill()
    return {
        "binary": str(binary),
        "file": FILE,
        "edits": edits,
        "debounce_ms": debounce_ms,
        "latency_ms": {
            "median": round(statistics.median(latencies), 2),
            "p90": round(percentile(latencies, 90), 2),
            "max": round(max(latencies), 2),
            "min": round(min(latencies), 2),
        },
        "memory_kb": {str(n): {"VmRSS": rss, "VmHWM": hwm} for n, (rss, hwm) in memory.items()},
        "diagnostics_per_version": first,
        "versions_with_other_diagnostics": wrong,
        "exit_code": exit_code,
    }


def table(r):
    lat = r["latency_ms"]
    lines = [
        f"goaudit server: {r['edits']} didChange edits of {r['file']} (a copy of testdata/demo), "
        f"debounce {r['debounce_ms']} ms",
        f"latency, didChange to publishDiagnostics of that version: median {lat['median']:.1f} ms, "
        f"p90 {lat['p90']:.1f} ms, max {lat['max']:.1f} ms (min {lat['min']:.1f} ms)",
        f"{'after edits':>11}  {'VmRSS':>8}  {'VmHWM':>8}",
    ]
    for n, m in r["memory_kb"].items():
        label = f"{n} (open)" if n == "0" else n
        lines.append(f"{label:>11}  {m['VmRSS'] / 1024:>5.1f} MB  {m['VmHWM'] / 1024:>5.1f} MB")
    if r["versions_with_other_diagnostics"]:
        lines.append(
            f"WARNING: {r['versions_with_other_diagnostics']} versions published other than "
            f"{r['diagnostics_per_version']} diagnostics"
        )
    lines.append(f"exit code after shutdown: {r['exit_code']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", type=pathlib.Path, help="the goaudit binary")
    parser.add_argument("--edits", type=int, default=1000, help="didChange edits (default 1000)")
    parser.add_argument("--debounce-ms", type=int, default=50, help="the server's (default 50)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.binary.resolve(), args.edits, args.debounce_ms)
    print(json.dumps(result, indent=2) if args.json else table(result))
    bad = result["versions_with_other_diagnostics"] or result["exit_code"] != 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
