//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; `tool.driver.rules` holds every rule that ran (metadata from the catalogue), results
//! point at files relative to the repository root through `uriBaseId` `%SRCROOT%`, columns are
//! UTF-16 code units (declared by the run's `columnKind`), converted from the byte columns the
//! findings carry using their snippet text. GitHub's upload limits are kept: at most 25,000
//! results (the most severe are kept), 1,000 locations a result and 20 tags a rule; what is cut
//! is returned as a warning for standard error.

use super::{repo_path, Context, Rendered};
use crate::catalogue::{catalogue, RuleMeta};
use crate::finding::{Edit, Finding, Location, Severity};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// GitHub code scanning's limits on one run.
pub const MAX_RESULTS: usize = 25_000;
pub const MAX_RULES: usize = 25_000;
pub const MAX_LOCATIONS: usize = 1_000;
pub const MAX_TAGS: usize = 20;
/// GitHub takes at most 10 MB of gzip-compressed SARIF; past this uncompressed size a warning
/// says the upload may be refused (SARIF compresses about tenfold).
pub const WARN_BYTES: usize = 10 * 1024 * 1024;

const SRCROOT: &str = "%SRCROOT%";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(cx: &Context) -> Rendered {
    let mut warnings = Vec::new();
    let results = kept_results(cx, MAX_RESULTS, &mut warnings);
    let rules = RuleTable::new(cx, &results);
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver(&rules) },
            "originalUriBaseIds": original_uri_base_ids(cx),
            "columnKind": "utf16CodeUnits",
            "results": results.iter().map(|(f, suppressed)| result(cx, &rules, f, *suppressed)).collect::<Vec<_>>(),
            "invocations": [invocation(cx)],
            "properties": { "suppressedFindings": cx.summary.suppressed },
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("SARIF serializes");
    text.push('\n');
    if text.len() > WARN_BYTES {
        warnings.push(format!(
            "SARIF: the report is {:.1} MB before compression; GitHub refuses uploads over 10 MB gzip-compressed",
            text.len() as f64 / 1e6
        ));
    }
    Rendered {
        text,
        warnings,
        step_summary: None,
    }
}

/// Findings and suppressed findings (when given), cut to the most severe `limit`.
fn kept_results<'a>(
    cx: &'a Context,
    limit: usize,
    warnings: &mut Vec<String>,
) -> Vec<(&'a Finding, bool)> {
    let mut all: Vec<(&Finding, bool)> = cx
        .findings
        .iter()
        .map(|f| (f, false))
        .chain(cx.suppressed.iter().map(|f| (f, true)))
        .collect();
    if all.len() > limit {
        warnings.push(format!(
            "SARIF: {} results exceed GitHub's limit of {limit} a run; kept the {limit} most severe",
            all.len()
        ));
        all.sort_by_key(|(f, suppressed)| (*suppressed, std::cmp::Reverse(f.severity)));
        all.truncate(limit);
        all.sort_by(|a, b| (a.1, a.0.sort_key()).cmp(&(b.1, b.0.sort_key())));
    }
    let cut = all
        .iter()
        .filter(|(f, _)| f.related.len() + 1 > MAX_LOCATIONS)
        .count();
    if cut > 0 {
        warnings.push(format!(
            "SARIF: {cut} result(s) had more than {MAX_LOCATIONS} locations; the extra related locations were left out"
        ));
    }
    all
}

/// The rules the run reports on: every enabled rule, then any other rule a result names.
struct RuleTable {
    ids: Vec<String>,
    index: BTreeMap<String, usize>,
}

impl RuleTable {
    fn new(cx: &Context, results: &[(&Finding, bool)]) -> RuleTable {
        let mut ids: Vec<String> = cx.summary.rules.clone();
        for (f, _) in results {
            if !ids.contains(&f.rule) {
                ids.push(f.rule.clone());
            }
        }
        ids.truncate(MAX_RULES);
        let index = ids.iter().cloned().zip(0..).collect();
        RuleTable { ids, index }
    }
}

fn driver(rules: &RuleTable) -> Value {
    json!({
        "name": "goaudit",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": crate::catalogue::HOME,
        "rules": rules.ids.iter().map(|id| descriptor(id)).collect::<Vec<_>>(),
    })
}

/// A rule's `reportingDescriptor`, from the catalogue (a bare one for rules outside it).
fn descriptor(id: &str) -> Value {
    let Some(meta) = catalogue().get(id) else {
        return match crate::catalogue::tools::tool_check(id) {
            Some(check) => tool_descriptor(check),
            None => json!({
                "id": id,
                "name": pascal_case(id),
                "shortDescription": { "text": id },
            }),
        };
    };
    json!({
        "id": meta.id,
        "name": pascal_case(&meta.id),
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": meta.why.split_whitespace().collect::<Vec<_>>().join(" ") },
        "help": { "text": help_text(meta), "markdown": meta.markdown() },
        "helpUri": crate::catalogue::rule_doc_url(&meta.id),
        "defaultConfiguration": { "level": level(meta.severity()), "enabled": meta.enabled },
        "properties": rule_properties(meta),
    })
}

/// A `go vet` analyzer's or staticcheck check's descriptor, from the tools' captured listings.
fn tool_descriptor(check: &crate::catalogue::tools::ToolCheck) -> Value {
    json!({
        "id": check.id,
        "name": pascal_case(&check.id),
        "shortDescription": { "text": check.summary },
        "help": { "text": check.summary, "markdown": check.markdown() },
        "helpUri": check.help_uri(),
        "defaultConfiguration": { "level": level(check.severity) },
        "properties": { "tags": [check.category.as_str(), check.tool] },
    })
}

fn help_text(meta: &RuleMeta) -> String {
    let setting = meta
        .example_setting()
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    format!(
        "{}\n\nWhy it matters: {}\n\nExample:{setting}\n{}\nUse instead:\n{}",
        meta.summary,
        meta.why.trim(),
        meta.bad,
        meta.good
    )
}

fn rule_properties(meta: &RuleMeta) -> Value {
    let security = meta.category == "security" || meta.tags.iter().any(|t| t == "security");
    let mut tags: Vec<String> = vec![meta.category.clone()];
    if security && meta.category != "security" {
        tags.push("security".into());
    }
    tags.extend(
        meta.tags
            .iter()
            .filter(|t| !tags.contains(t))
            .cloned()
            .collect::<Vec<_>>(),
    );
    if let Some(cwe) = meta.cwe {
        tags.push(format!("external/cwe/cwe-{cwe}"));
    }
    tags.truncate(MAX_TAGS);
    let mut p = json!({
        "tags": tags,
        "precision": meta.precision.as_deref().unwrap_or("high"),
        "problem.severity": problem_severity(meta.severity()),
    });
    if security {
        p["security-severity"] = json!(security_severity(meta.severity()));
    }
    p
}

/// `unclosed-resource` → `UnclosedResource`; `staticcheck/SA4006` → `StaticcheckSA4006`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// SARIF's level: critical and high are errors, medium warnings, low and info notes.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "recommendation",
    }
}

/// GitHub's `security-severity` score, inside the band GitHub reads as the same severity
/// (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.1",
    }
}

/// `%SRCROOT%` as the repository root when the audited root is inside git, else the root.
fn original_uri_base_ids(cx: &Context) -> Value {
    let root = std::path::Path::new(&cx.summary.root);
    let mut top = root.to_path_buf();
    for _ in cx.summary.repo_prefix.split('/').filter(|s| !s.is_empty()) {
        top.pop();
    }
    if !top.is_absolute() {
        return json!({ SRCROOT: { "description": { "text": "The repository root." } } });
    }
    json!({ SRCROOT: { "uri": file_uri(&top.display().to_string()) } })
}

/// An absolute path as a `file://` URI ending in `/`, with unsafe characters escaped.
fn file_uri(path: &str) -> String {
    let mut s = String::from("file://");
    if !path.starts_with('/') {
        s.push('/');
    }
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    s.push_str(&percent_encode(&path));
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// Escapes every byte outside RFC 3986's unreserved set and `/`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn result(cx: &Context, rules: &RuleTable, f: &Finding, suppressed: bool) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule));
    if let Some(&i) = rules.index.get(&f.rule) {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({ "text": f.message }));
    r.insert(
        "locations".into(),
        json!([location(cx, f, &f.location, true)]),
    );
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .take(MAX_LOCATIONS - 1)
            .zip(1..)
            .map(|(rel, id)| {
                let mut l = location(cx, f, &rel.location, false);
                l["id"] = json!(id);
                l["message"] = json!({ "text": rel.message });
                l
            })
            .collect();
        r.insert("relatedLocations".into(), json!(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ "primaryLocationLineHash": f.fingerprint, "goaudit/v1": f.fingerprint }),
    );
    if let Some(fix) = &f.fix {
        r.insert("fixes".into(), json!([fix_value(cx, f, fix)]));
    }
    if suppressed {
        r.insert("suppressions".into(), json!([{ "kind": "inSource" }]));
    }
    r.insert("properties".into(), result_properties(f));
    Value::Object(r)
}

fn result_properties(f: &Finding) -> Value {
    let mut p = json!({ "severity": f.severity, "category": f.category });
    if let Some(function) = &f.function {
        p["function"] = json!(function);
    }
    if !f.metrics.is_empty() {
        p["metrics"] = json!(f.metrics);
    }
    p
}

fn artifact(cx: &Context, file: &str) -> Value {
    json!({ "uri": percent_encode(&repo_path(cx.summary, file)), "uriBaseId": SRCROOT })
}

/// A `location` with a region in UTF-16 columns; the snippet goes only on the primary one.
fn location(cx: &Context, f: &Finding, loc: &Location, primary: bool) -> Value {
    let mut region = json!({
        "startLine": loc.start.line,
        "startColumn": utf16_column_at(f, loc.start.line, loc.start.column),
        "endLine": loc.end.line.max(loc.start.line),
        "endColumn": utf16_column_at(f, loc.end.line, loc.end.column),
    });
    if primary && !f.snippet.is_empty() {
        region["snippet"] = json!({ "text": f.snippet });
    }
    json!({ "physicalLocation": { "artifactLocation": artifact(cx, &loc.file), "region": region } })
}

/// The UTF-16 column of a byte column on `line`, when the finding's snippet holds that line;
/// otherwise the byte column (the same for ASCII text).
fn utf16_column_at(f: &Finding, line: usize, byte_column: usize) -> usize {
    match snippet_line(f, line) {
        Some(text) => utf16_column(text, byte_column),
        None => byte_column.max(1),
    }
}

/// The text of file line `line` if the finding's snippet covers it.
fn snippet_line(f: &Finding, line: usize) -> Option<&str> {
    let offset = line.checked_sub(f.location.start.line)?;
    f.snippet.lines().nth(offset)
}

/// Converts a 1-based byte column of `line` into a 1-based UTF-16 code unit column. A column
/// inside a character counts from that character's start; past the end, each byte counts one.
pub fn utf16_column(line: &str, byte_column: usize) -> usize {
    let byte = byte_column.saturating_sub(1);
    if byte >= line.len() {
        return line.encode_utf16().count() + (byte - line.len()) + 1;
    }
    let mut at = byte;
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    line[..at].encode_utf16().count() + 1
}

/// A SARIF `fix`: one artifact change with a replacement per edit.
fn fix_value(cx: &Context, f: &Finding, fix: &crate::finding::Fix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| json!({ "deletedRegion": deleted_region(f, e), "insertedContent": { "text": e.replacement } }))
        .collect();
    json!({
        "description": { "text": format!("{} ({})", fix.description, applicability(fix)) },
        "artifactChanges": [{ "artifactLocation": artifact(cx, &f.location.file), "replacements": replacements }],
    })
}

fn applicability(fix: &crate::finding::Fix) -> &'static str {
    match fix.applicability {
        crate::finding::Applicability::Safe => "safe",
        crate::finding::Applicability::Unsafe => "unsafe",
    }
}

/// The region an edit replaces: lines and UTF-16 columns when the snippet holds its lines,
/// else byte offsets, which are exact without the text.
fn deleted_region(f: &Finding, e: &Edit) -> Value {
    if snippet_line(f, e.start.line).is_some() && snippet_line(f, e.end.line).is_some() {
        json!({
            "startLine": e.start.line,
            "startColumn": utf16_column_at(f, e.start.line, e.start.column),
            "endLine": e.end.line,
            "endColumn": utf16_column_at(f, e.end.line, e.end.column),
        })
    } else {
        json!({ "byteOffset": e.start_byte, "byteLength": e.end_byte.saturating_sub(e.start_byte) })
    }
}

/// The run's invocation: exit code, success, and the problems of the run itself.
fn invocation(cx: &Context) -> Value {
    let mut notes: Vec<Value> = cx
        .summary
        .notifications
        .iter()
        .map(|n| {
            json!({
                "level": match n.level {
                    crate::outcome::NotificationLevel::Error => "error",
                    crate::outcome::NotificationLevel::Warning => "warning",
                    crate::outcome::NotificationLevel::Note => "note",
                },
                "message": { "text": n.message },
                "descriptor": { "id": n.tool },
            })
        })
        .collect();
    notes.extend(cx.findings.iter().filter(|f| f.rule == "internal-error").map(|f| {
        json!({
            "level": "error",
            "message": { "text": f.message },
            "descriptor": { "id": f.rule },
            "locations": [{ "physicalLocation": { "artifactLocation": artifact(cx, &f.location.file) } }],
        })
    }));
    json!({
        "executionSuccessful": cx.exit_code == 0 || cx.exit_code == 1,
        "exitCode": cx.exit_code,
        "toolExecutionNotifications": notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn render_sample(suppressed: &[Finding]) -> Value {
        let findings = sample::findings();
        let summary = sample::summary(&findings);
        let cx = Context {
            findings: &findings,
            summary: &summary,
            color: false,
            suppressed,
            exit_code: 1,
        };
        let doc = serde_json::from_str(&render(&cx).text).unwrap();
        assert_valid(&doc);
        doc
    }

    /// Every SARIF these tests make validates against the official schema (tests/schema/).
    fn assert_valid(doc: &Value) {
        let schema: Value =
            serde_json::from_str(include_str!("../../tests/schema/sarif-schema-2.1.0.json"))
                .unwrap();
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "invalid SARIF: {errors:?}");
    }

    #[test]
    fn utf16_columns_count_code_units() {
        let line = "func é😀Name(x int) int {";
        assert_eq!(utf16_column(line, 1), 1);
        assert_eq!(utf16_column(line, 6), 6); // before é
        assert_eq!(utf16_column(line, 8), 7); // after é (2 bytes, 1 unit)
        assert_eq!(utf16_column(line, 12), 9); // after 😀 (4 bytes, 2 units)
        assert_eq!(utf16_column(line, 7), 6); // inside é: its start
        assert_eq!(
            utf16_column(line, line.len() + 1),
            line.encode_utf16().count() + 1
        );
        assert_eq!(utf16_column("", 3), 3);
    }

    #[test]
    fn results_carry_converted_columns_fingerprints_related_and_fixes() {
        let doc = render_sample(&[]);
        let run = &doc["runs"][0];
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        let leak = &results[0];
        assert_eq!(leak["level"], "error");
        assert_eq!(
            leak["partialFingerprints"]["goaudit/v1"],
            "0123456789abcdef01234567"
        );
        assert_eq!(
            leak["relatedLocations"][0]["message"]["text"],
            "db acquired here"
        );
        let change = &leak["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "internal/db/connect.go");
        assert_eq!(change["replacements"][0]["deletedRegion"]["startLine"], 23);
        let complex = &results[1];
        let region = &complex["locations"][0]["physicalLocation"]["region"];
        let line = "func é😀Name(x int) int {";
        assert_eq!(region["endColumn"], line.encode_utf16().count() + 1);
        assert!(leak.get("suppressions").is_none());
    }

    #[test]
    fn rules_come_from_the_catalogue_and_results_index_them() {
        let doc = render_sample(&[]);
        let rules = doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let cyclo = rules
            .iter()
            .position(|r| r["id"] == "cyclomatic-complexity")
            .unwrap();
        assert!(rules[cyclo]["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why it matters"));
        assert_eq!(rules[cyclo]["defaultConfiguration"]["level"], "warning");
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results[1]["ruleIndex"], cyclo);
        assert!(rules.iter().any(|r| r["id"] == "unclosed-resource"));
    }

    #[test]
    fn suppressed_findings_carry_in_source_suppressions() {
        let mut quiet = sample::findings().remove(2);
        quiet.fingerprint = "bbbb".into();
        let doc = render_sample(std::slice::from_ref(&quiet));
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        assert_eq!(results[3]["suppressions"][0]["kind"], "inSource");
        assert_eq!(doc["runs"][0]["invocations"][0]["exitCode"], 1);
    }

    #[test]
    fn results_over_the_limit_keep_the_most_severe_and_warn() {
        let findings = sample::findings();
        let summary = sample::summary(&findings);
        let cx = Context {
            findings: &findings,
            summary: &summary,
            color: false,
            suppressed: &[],
            exit_code: 1,
        };
        let mut warnings = Vec::new();
        let kept = kept_results(&cx, 2, &mut warnings);
        let rules: Vec<&str> = kept.iter().map(|(f, _)| f.rule.as_str()).collect();
        assert_eq!(rules, ["unclosed-resource", "cyclomatic-complexity"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("kept the 2 most severe"));
    }

    #[test]
    fn security_rules_get_a_security_severity() {
        assert_eq!(security_severity(Severity::High), "8.0");
        assert_eq!(pascal_case("staticcheck/SA4006"), "StaticcheckSA4006");
        assert_eq!(file_uri("/a b/c"), "file:///a%20b/c/");
    }
}
