#!/usr/bin/env bash
# Writes the three places a new rule takes, and nothing else:
#
#   src/rules/<family>/<id>.rs   the engine (build.rs registers it: RuleId, the registry, its module)
#   rules/<id>.toml              the catalogue entry (off by default until measured)
#   testdata/<id>/               its fixtures: bug.go (`// want` on the line to report), ok.go
#
# then regenerates the README's rule table. The new rule builds at once and its fixture test
# (`cargo test --test fixtures <id>`) fails until the engine reports the bug: write the check,
# the catalogue's FILL IN texts (tests/catalogue.rs refuses them) and more fixtures.
#
#   scripts/new-rule.sh ID FAMILY [CATEGORY] [SEVERITY]
#   scripts/new-rule.sh http-body-unclosed leak leak high
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/new-rule.sh ID FAMILY [CATEGORY] [SEVERITY]" >&2; exit 2; }
[ $# -ge 2 ] || usage
id=$1 family=$2 category=${3:-$2} severity=${4:-medium}
[[ $id =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]] || { echo "new-rule: the id must be kebab-case: $id" >&2; exit 2; }
[ -d "src/rules/$family" ] || { echo "new-rule: no family src/rules/$family (one of: $(ls src/rules | grep -v '\.rs$' | tr '\n' ' '))" >&2; exit 2; }
snake=${id//-/_}
camel=$(echo "$id" | awk -F- '{for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($i, 1, 1)), substr($i, 2)}')
engine=src/rules/$family/$snake.rs entry=rules/$id.toml fixtures=testdata/$id
for p in "$engine" "$entry" "$fixtures"; do
  [ ! -e "$p" ] || { echo "new-rule: $p exists already" >&2; exit 2; }
done

cat >"$engine" <<EOF
//! \`$id\`: FILL IN what the rule finds, why it matters, and the shapes it stays silent on.

use crate::config::RuleSettings;
use crate::rules::{Diagnostic, FileContext, Rule};
use crate::tree::Node;

/// FILL IN: the mistake this rule finds and why it is worth fixing.
pub struct $camel;

impl Rule for $camel {
    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(
        &self,
        node: Node,
        cx: &FileContext,
        _settings: &RuleSettings,
        out: &mut Vec<Diagnostic>,
    ) {
        // FILL IN the check: push a Diagnostic for each mistake found at \`node\`.
        let _ = (node, cx, out);
    }
}
EOF

cat >"$entry" <<EOF
id = "$id"
category = "$category"
severity = "$severity"
enabled = false
summary = "FILL IN: one sentence on what the rule finds."
why = """
FILL IN: why the mistake matters, what goaudit follows to find it, and what it stays silent on.
"""
bad = """
FILL IN: the mistake, as short realistic Go the rule reports.
"""
good = """
FILL IN: the same code fixed; the rule stays silent on it.
"""
EOF

mkdir -p "$fixtures"
cat >"$fixtures/bug.go" <<EOF
package fixture

// FILL IN: the bug, with a want comment on each line the rule must report.
func bug() {
	println("bug") // want "FILL IN"
}
EOF
cat >"$fixtures/ok.go" <<EOF
package fixture

// FILL IN: the fixed twin of each bug, and the idioms real code uses; silent.
func ok() {}
EOF

cargo build --quiet
python3 scripts/readme-rules.py
echo "new rule $id: $engine, $entry, $fixtures/ (and the README's rule table)"
