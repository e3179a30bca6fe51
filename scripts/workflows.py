#!/usr/bin/env python3
"""Collects every YAML the repository shows a user, for actionlint and PyYAML.

    workflows.py OUT                          write the workflows (below) into OUT
    workflows.py action-inputs                the README's `with:` inputs of goaudit's Action
    workflows.py pre-commit-config REPO REV   the README's pre-commit configuration, on REPO at REV

Each ```yaml block of README.md and docs/*.md must parse (PyYAML). Blocks with `jobs:` are
GitHub workflows: written to OUT/.github/workflows/ for actionlint; one that uses goaudit's
Action (`goaudit/goaudit@...`) is written a second time with `uses: ./`, so that actionlint
checks its inputs against action.yml (copied to OUT). A pre-commit configuration must name
hooks that .pre-commit-hooks.yaml defines.
"""
import pathlib, re, shutil, sys

import yaml

root = pathlib.Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```ya?ml\n(.*?)^```", re.S | re.M)


def yaml_blocks(doc):
    return BLOCK.findall(doc.read_text())


def action_inputs():
    """One `input=value` line per input the README's workflow gives goaudit's Action."""
    for block in yaml_blocks(root / "README.md"):
        for job in (yaml.safe_load(block).get("jobs") or {}).values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("goaudit/goaudit@"):
                    for key, value in (step.get("with") or {}).items():
                        print(f"{key}={str(value).lower() if isinstance(value, bool) else value}")
                    return
    sys.exit("the README shows no workflow using goaudit/goaudit")


def pre_commit_config(repo, rev):
    """The README's pre-commit configuration with its repository and revision replaced."""
    block = next(b for b in yaml_blocks(root / "README.md") if "repos:" in b)
    block = re.sub(r"repo: \S+", f"repo: {repo}", block, count=1)
    print(re.sub(r"rev: \S+", f"rev: {rev}", block, count=1), end="")


def write_workflows(out):
    workflows = out / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "action.yml", out / "action.yml")
    for f in ("action.yml", ".pre-commit-hooks.yaml"):
        yaml.safe_load((root / f).read_text())
    hook_ids = {h["id"] for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}

    count = 0
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        blocks = yaml_blocks(doc)
        for n, block in enumerate(blocks, 1):
            where = f"{doc.relative_to(root)} (YAML block {n})"
            try:
                data = yaml.safe_load(block)
            except yaml.YAMLError as e:
                sys.exit(f"{where}: not valid YAML: {e}")
            if not isinstance(data, dict):
                sys.exit(f"{where}: not a YAML mapping")
            if "repos" in data:
                for repo in data["repos"]:
                    for hook in repo["hooks"]:
                        if hook["id"] not in hook_ids:
                            sys.exit(f"{where}: hook {hook['id']!r} is not in .pre-commit-hooks.yaml")
            if "jobs" not in data:
                continue
            name = f"{doc.stem.lower()}-{n}"
            (workflows / f"{name}.yml").write_text(block)
            count += 1
            if re.search(r"uses: goaudit/goaudit@", block):
                local = re.sub(r"uses: goaudit/goaudit@\S+", "uses: ./", block)
                (workflows / f"{name}-local.yml").write_text(local)
                count += 1
    if count == 0:
        sys.exit("workflows.py: no workflow found in README.md or docs/")
    print(f"{count} workflows written to {workflows}")


if __name__ == "__main__":
    if sys.argv[1] == "action-inputs":
        action_inputs()
    elif sys.argv[1] == "pre-commit-config":
        pre_commit_config(sys.argv[2], sys.argv[3])
    else:
        write_workflows(pathlib.Path(sys.argv[1]))
