//! One complexity finding per function (`finding::figures`): the findings of the four
//! function rules are settled figure by figure, then what is left of a function is merged.
//!
//! - A disabled or ignored rule reported nothing; a rule's severity override and grading are
//!   in its own finding already.
//! - `[[rules.per-path]]` takes a figure out of the merge where it names the figure's rule.
//! - A suppression comment naming the merged finding's id (the rule of the figure furthest over
//!   among those left), or its category, an alias or every linter, suppresses the whole finding.
//!   One naming only another figure's rule takes that figure out of the message; that figure's
//!   own finding is kept among the suppressed ones, so `unused-nolint` sees the comment used.

use crate::config::PerPath;
use crate::finding::figures;
use crate::finding::Finding;
use crate::suppress::Suppressions;
use std::collections::BTreeMap;

/// Whether a finding is one of the figures merged per function.
pub(super) fn is_figure(f: &Finding) -> bool {
    figures::is_function_figure_rule(&f.rule)
}

/// The four rules' findings of one file (`found`) as one finding per function, reported or
/// suppressed.
pub(super) fn one_per_function(
    found: Vec<Finding>,
    suppressions: &Suppressions,
    per_path: &PerPath,
) -> (Vec<Finding>, Vec<Finding>) {
    let (mut kept, mut suppressed) = (Vec::new(), Vec::new());
    let covered = |f: &Finding| suppressions.covers(&f.rule, f.location.start.line);
    for (_, parts) in by_function(found) {
        let (live, dropped): (Vec<Finding>, Vec<Finding>) = parts
            .into_iter()
            .partition(|f| !per_path.silences(&f.rule, &f.location.file));
        // Dropped after the run by `[[rules.per-path]]` either way; a comment still used them.
        suppressed.extend(dropped.into_iter().filter(covered));
        let Some(lead) = figures::lead_rule(&live) else {
            continue;
        };
        let line = live[0].location.start.line;
        if suppressions.covers(lead, line) {
            suppressed.extend(figures::merge(live));
            continue;
        }
        let (off, on): (Vec<Finding>, Vec<Finding>) = live.into_iter().partition(covered);
        suppressed.extend(off);
        kept.extend(figures::merge(on));
    }
    (kept, suppressed)
}

/// The findings grouped by function: by the position of its `func` keyword, where each is.
fn by_function(found: Vec<Finding>) -> BTreeMap<(usize, usize), Vec<Finding>> {
    let mut groups: BTreeMap<(usize, usize), Vec<Finding>> = BTreeMap::new();
    for f in found {
        let at = (f.location.start.line, f.location.start.column);
        groups.entry(at).or_default().push(f);
    }
    groups
}
