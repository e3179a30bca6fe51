//! One registry, checked: every catalogue entry has an engine, every engine an entry, every id is
//! unique and documented, every option has a default, and every node kind a rule asks for exists.

use goaudit::catalogue::{catalogue, load, RULE_FILES};
use goaudit::rules::{engine_rules, registry};
use std::collections::BTreeSet;

#[test]
fn catalogue_and_engines_match_one_to_one() {
    let cat: BTreeSet<&str> = catalogue().rules.iter().map(|r| r.id.as_str()).collect();
    let mut engines: BTreeSet<&str> = engine_rules().map(|id| id.as_str()).collect();
    for rule in registry() {
        assert!(
            engines.insert(rule.id()),
            "engine {} is registered twice",
            rule.id()
        );
    }
    let no_engine: Vec<_> = cat.difference(&engines).collect();
    let no_entry: Vec<_> = engines.difference(&cat).collect();
    assert!(
        no_engine.is_empty(),
        "catalogue entries without an engine: {no_engine:?}"
    );
    assert!(
        no_entry.is_empty(),
        "engines without a catalogue entry: {no_entry:?}"
    );
}

#[test]
fn every_entry_is_documented() {
    assert_eq!(load(RULE_FILES).unwrap().rules.len(), RULE_FILES.len());
    for r in &catalogue().rules {
        assert!(r.summary.len() > 20, "{}: summary too short", r.id);
        assert!(r.why.len() > 80, "{}: `why` too short", r.id);
        assert!(
            !r.bad.trim().is_empty() && !r.good.trim().is_empty(),
            "{}: examples",
            r.id
        );
        assert!(
            r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: kebab-case",
            r.id
        );
        for (name, o) in &r.options {
            assert!(!o.doc.is_empty(), "{}: option {name} undocumented", r.id);
        }
    }
}

/// `scripts/new-rule.sh` writes FILL IN where a new rule needs its author's words and code.
#[test]
fn no_rule_is_left_as_scaffolding() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, text) in RULE_FILES {
        assert!(!text.contains("FILL IN"), "rules/{name} has FILL IN left");
    }
    for entry in walkdir::WalkDir::new(root.join("src/rules")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("FILL IN"),
                "{} has FILL IN left",
                path.display()
            );
        }
    }
}

#[test]
fn every_node_kind_a_rule_asks_for_is_in_the_grammar() {
    for rule in registry() {
        for kind in rule.node_kinds() {
            assert_ne!(
                goaudit::syntax::kind_id(kind),
                0,
                "{}: unknown node kind {kind}",
                rule.id()
            );
        }
    }
}

#[test]
fn readme_rule_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = goaudit::commands::rules_markdown();
    assert!(
        readme.contains(&table),
        "README.md's rule table is out of date; run scripts/readme-rules.py"
    );
}

#[test]
fn docs_rules_reference_is_current() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    assert!(
        doc == goaudit::commands::rules_reference(),
        "docs/rules.md is out of date; run scripts/readme-rules.py"
    );
}

#[test]
fn every_rule_has_a_section_its_help_link_reaches() {
    let doc = goaudit::commands::rules_reference();
    for r in &goaudit::catalogue::catalogue().rules {
        assert!(
            doc.lines().any(|l| l == format!("## {}", r.id)),
            "docs/rules.md has no `## {}` heading for the rule's link",
            r.id
        );
        assert!(
            goaudit::catalogue::rule_doc_url(&r.id).ends_with(&format!("/docs/rules.md#{}", r.id))
        );
    }
}
