//! Upgrades never surprise a CI that pins goaudit: what the binary of commit c032523 recorded and
//! honoured (testdata/upgrade/c032523/, written by scripts/upgrade-data.sh) still applies, and
//! the stable defaults change only with the minor version (rules/stable-defaults.txt).

use goaudit::catalogue::catalogue;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn upgrade_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/upgrade")
}

/// A copy of the audited module, with `prefix` inserted after its package doc's first line.
fn module_copy(prefix: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["go.mod", "store.go"] {
        let text = std::fs::read_to_string(upgrade_data().join("module").join(name)).unwrap();
        let text = match name {
            "store.go" => text.replacen('\n', &format!("\n{prefix}"), 1),
            _ => text,
        };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// `(state, rule, line)` rows c032523 wrote: `reported` or `suppressed`.
fn c032523_results() -> Vec<(String, String, usize)> {
    std::fs::read_to_string(upgrade_data().join("c032523/results.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split(' ').collect();
            (parts[0].into(), parts[1].into(), parts[2].parse().unwrap())
        })
        .collect()
}

/// Today's findings on `dir` as SARIF results: `(rule, line, suppressed)`.
fn today(dir: &Path, extra: &[&str]) -> Vec<(String, usize, bool)> {
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", &format!("{}/...", dir.display()), "--no-cache"])
        .args(["--format", "sarif", "--include-suppressed"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
            let suppressed = r
                .get("suppressions")
                .is_some_and(|s| s.as_array().is_some_and(|a| !a.is_empty()));
            (
                r["ruleId"].as_str().unwrap().to_string(),
                line.unwrap() as usize,
                suppressed,
            )
        })
        .collect()
}

fn rows(state: &str, shift: usize) -> BTreeSet<(String, usize)> {
    c032523_results()
        .into_iter()
        .filter(|(s, _, _)| s == state)
        .map(|(_, rule, line)| (rule, line + shift))
        .collect()
}

#[test]
fn a_baseline_written_by_c032523_still_hides_its_findings() {
    let baseline = upgrade_data().join("c032523/baseline.json");
    let baseline = baseline.to_str().unwrap();
    for (prefix, shift) in [
        ("", 0),
        ("// Moved down three lines.\n//\n// So is everything.\n", 3),
    ] {
        let dir = module_copy(prefix);
        let without = today(dir.path(), &[]);
        let reported: BTreeSet<(String, usize)> = without
            .iter()
            .filter(|r| !r.2)
            .map(|r| (r.0.clone(), r.1))
            .collect();
        assert!(
            rows("reported", shift).is_subset(&reported),
            "today finds what c032523 found: {reported:?}"
        );
        let with = today(dir.path(), &["--baseline", baseline]);
        let left: BTreeSet<(String, usize)> = with
            .iter()
            .filter(|r| !r.2)
            .map(|r| (r.0.clone(), r.1))
            .collect();
        let hidden: Vec<_> = rows("reported", shift)
            .intersection(&left)
            .cloned()
            .collect();
        assert!(
            hidden.is_empty(),
            "c032523's baseline no longer hides {hidden:?} (shifted {shift})"
        );
    }
}

#[test]
fn suppressions_c032523_honoured_still_apply() {
    let dir = module_copy("");
    let suppressed: BTreeSet<(String, usize)> = today(dir.path(), &[])
        .into_iter()
        .filter(|r| r.2)
        .map(|r| (r.0, r.1))
        .collect();
    let missing: Vec<_> = rows("suppressed", 0)
        .difference(&suppressed)
        .cloned()
        .collect();
    assert!(missing.is_empty(), "no longer silenced: {missing:?}");
    assert!(!rows("suppressed", 0).is_empty());
}

/// Each rule's stable defaults, one line a rule: on or off, severity, option defaults.
fn stable_defaults() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let series: Vec<&str> = version.split('.').take(2).collect();
    let mut text = format!(
        "# The stable defaults of the {} series: on/off, severity and option defaults by rule.\n# A change within the series goes in the rule's [preview] table; tests/upgrade.rs checks.\nseries {}\n",
        series.join("."),
        series.join(".")
    );
    for r in &catalogue().rules {
        let options: Vec<String> = r
            .options
            .iter()
            .map(|(k, o)| format!("{k}={}", o.default))
            .collect();
        let state = if r.enabled { "on" } else { "off" };
        text.push_str(
            &format!("{} {state} {} {}\n", r.id, r.severity, options.join(" "))
                .replace(" \n", "\n"),
        );
    }
    text
}

#[test]
fn the_stable_defaults_change_only_with_the_minor_version() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stable-defaults.txt");
    let now = stable_defaults();
    if std::env::var_os("GOAUDIT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let series = |t: &str| {
        t.lines()
            .find_map(|l| l.strip_prefix("series ").map(str::to_string))
    };
    if series(&recorded) != series(&now) {
        panic!("a new minor series: promote the [preview] tables, then record its defaults with GOAUDIT_BLESS=1 cargo test --test upgrade");
    }
    let by_rule = |t: &str| -> std::collections::BTreeMap<String, String> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("series "))
            .filter_map(|l| Some((l.split(' ').next()?.to_string(), l.to_string())))
            .collect()
    };
    let (before, after) = (by_rule(&recorded), by_rule(&now));
    for (id, line) in &before {
        assert!(
            after.get(id).is_some_and(|now| keeps_defaults(line, now)),
            "{id}'s stable defaults changed within the series ({line} → {:?}): put the change in its [preview] table (CHANGELOG.md says so)",
            after.get(id)
        );
    }
    for (id, line) in &after {
        assert!(
            before.contains_key(id) || line.split(' ').nth(1) == Some("off"),
            "{id} is new and on by default: within the series it is off, and on under [preview] enabled = true"
        );
    }
}

/// Whether a rule's line keeps the recorded one's state, severity and option defaults; a new
/// option (which changes nothing until someone sets it) may join them.
fn keeps_defaults(recorded: &str, now: &str) -> bool {
    let (before, after): (Vec<&str>, Vec<&str>) =
        (recorded.split(' ').collect(), now.split(' ').collect());
    before[..3] == after[..3] && before[3..].iter().all(|o| after[3..].contains(o))
}

#[test]
fn a_preview_change_waits_for_the_next_minor_version() {
    let version: Vec<u32> = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|n| n.parse().unwrap())
        .collect();
    for r in &catalogue().rules {
        let Some(p) = &r.preview else { continue };
        let since: Vec<u32> = p.since.split('.').map(|n| n.parse().unwrap()).collect();
        assert!(
            since[..2] == version[..2],
            "{}: its preview change of {} should have become the default in {}.{}",
            r.id,
            p.since,
            version[0],
            version[1]
        );
    }
}
