//! The demo module (`testdata/demo/`) is what a newcomer sees first: every planted bug whose rule
//! exists must be reported, and nothing else. `testdata/demo/expected.tsv` lists the bugs as
//! `file<TAB>line<TAB>rule<TAB>description`; bugs of rules not built yet wait for their rule.

use goaudit::catalogue::catalogue;
use goaudit::config::{self, Overrides};
use goaudit::engine::{self, Request};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn demo_reports_exactly_its_planted_bugs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
    let expected_text = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let expected: BTreeSet<(String, usize, String)> = expected_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (
                cols[0].to_string(),
                cols[1].parse().unwrap(),
                cols[2].to_string(),
            )
        })
        .collect();
    let settings = config::resolve(&dir, &Overrides::default()).unwrap();
    let patterns = [format!("{}/...", dir.display())];
    let outcome = engine::run(&Request::new(&patterns, &settings)).unwrap();
    let found: BTreeSet<(String, usize, String)> = outcome
        .findings
        .iter()
        .map(|f| {
            (
                f.location.file.clone(),
                f.location.start.line,
                f.rule.clone(),
            )
        })
        .collect();
    let noisy: Vec<_> = found.difference(&expected).collect();
    let missing: Vec<_> = expected
        .difference(&found)
        .filter(|(_, _, rule)| catalogue().get(rule).is_some() && settings.enabled(rule))
        .collect();
    assert!(noisy.is_empty(), "reported but not planted: {noisy:#?}");
    assert!(missing.is_empty(), "planted but not reported: {missing:#?}");
}
