#!/usr/bin/env python3
"""Collects every YAML the repository shows a user, for actionlint and PyYAML.

    workflows.py OUT

Each ```yaml block of README.md and docs/*.md must parse (PyYAML). Blocks with `jobs:` are
GitHub workflows: written to OUT/.github/workflows/ for actionlint; one that uses goaudit's
Action (`goaudit/goaudit@...`) is written a second time with `uses: ./`, so that actionlint
checks its inputs against action.yml (copied to OUT). A pre-commit configuration must name
hooks that .pre-commit-hooks.yaml defines.
"""
import pathlib, re, shutil, sys

import yaml

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[1])
workflows = out / ".github" / "workflows"
workflows.mkdir(parents=True, exist_ok=True)
shutil.copy(root / "action.yml", out / "action.yml")
for f in ("action.yml", ".pre-commit-hooks.yaml"):
    yaml.safe_load((root / f).read_text())
hook_ids = {h["id"] for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}

count = 0
for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", doc.read_text(), re.S | re.M)
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
