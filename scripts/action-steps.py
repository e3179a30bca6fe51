#!/usr/bin/env python3
"""Runs action.yml's steps as GitHub's runner would, on this machine: each `run:` step in bash
with its `env:`, `working-directory:` and `if:` evaluated from the inputs and the event given
here, GITHUB_OUTPUT, GITHUB_PATH and step outputs carried between steps. `uses:` steps (the
cache, the SARIF upload) are GitHub's own actions: they are named, not run.

    action-steps.py WORKSPACE EVENT [input=value ...]

EVENT is `push` or `pull_request:BASE_BRANCH`. Prints the outputs of each step as JSON on the
last line, and exits with the first failing step's status, as the job would fail there.
"""
import json, os, pathlib, re, subprocess, sys, tempfile

import yaml

ACTION = pathlib.Path(__file__).resolve().parent.parent / "action.yml"


def main():
    workspace = pathlib.Path(sys.argv[1]).resolve()
    event, _, base_ref = sys.argv[2].partition(":")
    action = yaml.safe_load(ACTION.read_text())
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    for arg in sys.argv[3:]:
        key, _, value = arg.partition("=")
        if key not in inputs:
            sys.exit(f"action-steps: action.yml has no input {key!r}")
        inputs[key] = value
    runner_temp = pathlib.Path(tempfile.mkdtemp(prefix="goaudit-action-"))
    context = {
        "inputs": inputs,
        "github": {"event_name": event, "base_ref": base_ref, "sha": git(workspace, "rev-parse", "HEAD")},
        "runner": {"temp": str(runner_temp), "os": "Linux"},
        "steps": {},
    }
    path_prefix = []
    status = 0
    for step in action["runs"]["steps"]:
        name = step.get("name", step.get("uses"))
        if not condition(step.get("if", "success()"), context, status):
            print(f"== {name}: skipped", flush=True)
            continue
        if "uses" in step:
            print(f"== {name}: uses {step['uses']} (GitHub's; not run here)", flush=True)
            continue
        print(f"== {name}", flush=True)
        code, outputs, paths = run_step(step, context, workspace, runner_temp, path_prefix)
        path_prefix = paths + path_prefix
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs, "outcome": "success" if code == 0 else "failure"}
        if code != 0 and status == 0:
            status = code
    print(json.dumps({k: v["outputs"] for k, v in context["steps"].items()}))
    sys.exit(status)


def run_step(step, context, workspace, runner_temp, path_prefix):
    """Runs one `run:` step; returns its exit status, its outputs and the folders it added to PATH."""
    out_file = runner_temp / "github_output"
    path_file = runner_temp / "github_path"
    out_file.write_text("")
    path_file.write_text("")
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(path_prefix + [env["PATH"]])
    env.update({"GITHUB_OUTPUT": str(out_file), "GITHUB_PATH": str(path_file),
                "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(runner_temp),
                "GITHUB_EVENT_NAME": context["github"]["event_name"],
                "GITHUB_BASE_REF": context["github"]["base_ref"]})
    for key, value in step.get("env", {}).items():
        env[key] = expand(str(value), context)
    cwd = workspace / expand(step.get("working-directory", "."), context)
    assert step["shell"] == "bash", "every run step of action.yml says `shell: bash`"
    code = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=cwd, env=env).returncode
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines() if "=" in line)
    paths = [p for p in path_file.read_text().splitlines() if p]
    return code, outputs, paths


def lookup(name, context):
    value = context
    for part in name.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def expand(text, context):
    """`${{ a.b.c }}` replaced by its value; only plain property paths occur in action.yml."""
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: str(lookup(m.group(1), context)), text)


def condition(expr, context, status):
    """The `if:` expressions action.yml uses: `always()`, `success()`, `a.b == 'x'`, `!=`, `&&`."""
    def term(t):
        t = t.strip()
        if t == "always()":
            return True
        if t == "success()":
            return status == 0
        m = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", t)
        if not m:
            sys.exit(f"action-steps: cannot evaluate `{t}` in action.yml")
        equal = str(lookup(m.group(1), context)) == m.group(3)
        return equal if m.group(2) == "==" else not equal
    terms = expr.split("&&")
    if not any(t.strip() in ("always()",) for t in terms) and status != 0:
        return False  # GitHub skips a step after a failure unless its condition says always()
    return all(term(t) for t in terms)


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
