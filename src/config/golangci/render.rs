//! The imported settings written as `goaudit.toml` text: a header naming the source, the keys
//! in the order the README documents them, and what was not imported as closing comments.

use super::{Mapped, Unmapped, Version};
use std::fmt::Write;

/// Lines longer than this put an array's items one per line.
const WIDTH: usize = 100;

/// The `goaudit.toml` text of `m`, imported from `source`.
pub fn render(m: &Mapped, source: &str, version: Version, unmapped: &[Unmapped]) -> String {
    let mut s = header(source, version);
    top_level(&mut s, m);
    rules(&mut s, m);
    per_path(&mut s, m);
    tools(&mut s, m);
    closing(&mut s, unmapped);
    s
}

fn header(source: &str, version: Version) -> String {
    let v = match version {
        Version::V1 => "v1",
        Version::V2 => "v2",
    };
    format!("# Imported from {source} (golangci-lint {v} config) by `goaudit config import`.\n")
}

fn top_level(s: &mut String, m: &Mapped) {
    let mut body = String::new();
    if let Some(tests) = m.tests {
        let _ = writeln!(body, "tests = {tests}");
    }
    if !m.exclude.is_empty() {
        array(&mut body, "exclude", &m.exclude);
    }
    section(s, None, &body);
}

fn rules(s: &mut String, m: &Mapped) {
    let mut body = String::new();
    let strings =
        |set: &std::collections::BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();
    if !m.extend_select.is_empty() {
        array(&mut body, "extend-select", &strings(&m.extend_select));
    }
    if !m.ignore.is_empty() {
        array(&mut body, "ignore", &strings(&m.ignore));
    }
    section(s, Some("[rules]"), &body);
    for (rule, options) in &m.options {
        let mut body = String::new();
        for (name, value) in options {
            let _ = writeln!(body, "{name} = {value}");
        }
        section(s, Some(&format!("[rules.options.{rule}]")), &body);
    }
}

fn per_path(s: &mut String, m: &Mapped) {
    for p in &m.per_path {
        let _ = write!(s, "\n# From {}.\n[[rules.per-path]]\n", p.from);
        let _ = writeln!(s, "path = {}", quoted(&p.path));
        array(s, "ignore", &p.ignore);
    }
}

fn tools(s: &mut String, m: &Mapped) {
    for (name, checks) in [("go-vet", &m.go_vet), ("staticcheck", &m.staticcheck)] {
        let Some(checks) = checks else { continue };
        let mut body = String::from("enabled = \"auto\"\n");
        if !checks.is_empty() {
            array(&mut body, "checks", checks);
        }
        section(s, Some(&format!("[tools.{name}]")), &body);
    }
}

/// What was not imported, as comments: the same list the import prints.
fn closing(s: &mut String, unmapped: &[Unmapped]) {
    if unmapped.is_empty() {
        return;
    }
    s.push_str("\n# Not imported from the golangci-lint config:\n");
    for u in unmapped {
        let _ = writeln!(s, "# - {}", u.to_string().replace('\n', " "));
    }
}

/// A table with its header (none for the top level), after a blank line; nothing when empty.
fn section(s: &mut String, header: Option<&str>, body: &str) {
    if body.is_empty() {
        return;
    }
    s.push('\n');
    if let Some(h) = header {
        s.push_str(h);
        s.push('\n');
    }
    s.push_str(body);
}

/// `key = ["a", "b"]`, or one item a line when that is too long.
fn array(s: &mut String, key: &str, items: &[String]) {
    let quoted: Vec<String> = items.iter().map(|i| quoted(i)).collect();
    let line = format!("{key} = [{}]", quoted.join(", "));
    if line.len() <= WIDTH {
        s.push_str(&line);
        s.push('\n');
        return;
    }
    let _ = writeln!(s, "{key} = [");
    for q in quoted {
        let _ = writeln!(s, "    {q},");
    }
    s.push_str("]\n");
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
