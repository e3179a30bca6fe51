//! Declares every rule once, from its catalogue entry `rules/<id>.toml`. It compiles the catalogue
//! into the binary and generates, in `OUT_DIR`:
//!
//! - `catalogue_files.rs`: every entry's text (`catalogue::RULE_FILES`);
//! - `rule_ids.rs`: the `RuleId` enum, one variant per entry (`catalogue`);
//! - `rule_options.rs`: a typed options struct per rule with options, enums for options that take
//!   one of a list of values, and `RuleOptions` over them (`config::options`);
//! - `rules_<family>.rs`: the module of each rule whose engine file `src/rules/<family>/<id>.rs`
//!   exists, and `rule_registry.rs`: the exhaustive match from `RuleId` to its engine (`rules`);
//! - `fixture_tests.rs`: one fixture test per rule for `tests/fixtures.rs`.
//!
//! A rule is then one engine file, one catalogue entry and one fixture folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// What the build reads of one catalogue entry.
struct Entry {
    id: String,
    path: PathBuf,
    /// Reported by the engine itself (parse problems, panics, budgets): no engine file.
    engine_made: bool,
    options: Vec<Opt>,
}

/// One option of a rule, with the Rust type its declared default gives it.
struct Opt {
    name: String,
    doc: String,
    default: toml::Value,
    /// The values a string option may take (`values = [...]`): then it is an enum.
    values: Option<Vec<String>>,
}

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let entries = read_catalogue(&root.join("rules"));
    let families = engine_files(&root.join("src/rules"), &entries);
    write(&out, "catalogue_files.rs", &catalogue_files(&entries));
    write(&out, "rule_ids.rs", &rule_ids(&entries));
    write(&out, "rule_options.rs", &rule_options(&entries));
    for (family, rules) in &families {
        write(&out, &format!("rules_{family}.rs"), &family_modules(rules));
    }
    write(&out, "rule_registry.rs", &registry(&entries, &families));
    write(&out, "fixture_tests.rs", &fixture_tests(&entries));
    println!(
        "cargo:rustc-env=GOAUDIT_COMMIT_SUFFIX={}",
        commit(&root).map_or_else(String::new, |c| format!(" (commit {c})"))
    );
}

/// The commit being built: `GOAUDIT_COMMIT` if set (a source archive has no history), else
/// git's `HEAD` when the source is a checkout; the build reruns when `HEAD` moves.
fn commit(root: &Path) -> Option<String> {
    println!("cargo:rerun-if-env-changed=GOAUDIT_COMMIT");
    if let Ok(c) = env::var("GOAUDIT_COMMIT") {
        return Some(c).filter(|c| !c.is_empty());
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    for watched in ["HEAD", "packed-refs"] {
        watch(root, git(&["rev-parse", "--git-path", watched]));
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(root, git(&["rev-parse", "--git-path", &branch]));
    }
    git(&["rev-parse", "--short=12", "HEAD"])
}

/// Reruns the build script when the git file at `path` (relative to `root`, or absolute) changes.
fn watch(root: &Path, path: Option<String>) {
    if let Some(p) = path {
        println!("cargo:rerun-if-changed={}", root.join(p).display());
    }
}

fn write(out: &Path, name: &str, text: &str) {
    fs::write(out.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"));
}

/// Every `rules/*.toml`, sorted by id.
fn read_catalogue(dir: &Path) -> Vec<Entry> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("rules/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files.into_iter().map(|p| entry(&p)).collect()
}

fn entry(path: &Path) -> Entry {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).expect("read a catalogue entry");
    let doc: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let id = path.file_stem().unwrap().to_string_lossy().into_owned();
    let options = doc
        .get("options")
        .and_then(toml::Value::as_table)
        .map(|t| t.iter().map(|(name, v)| option(&id, name, v)).collect())
        .unwrap_or_default();
    Entry {
        engine_made: doc.get("engine-made").and_then(toml::Value::as_bool) == Some(true),
        id,
        path: path.to_path_buf(),
        options,
    }
}

fn option(id: &str, name: &str, v: &toml::Value) -> Opt {
    let default = v
        .get("default")
        .unwrap_or_else(|| panic!("rules/{id}.toml: option {name} has no default"))
        .clone();
    let values = v.get("values").and_then(toml::Value::as_array).map(|a| {
        a.iter()
            .map(|x| x.as_str().expect("option values are strings").to_string())
            .collect::<Vec<_>>()
    });
    if let Some(values) = &values {
        let d = default.as_str().unwrap_or_default();
        assert!(
            values.iter().any(|x| x == d),
            "rules/{id}.toml: option {name}'s default {d:?} is not one of its values"
        );
    }
    Opt {
        name: name.to_string(),
        doc: v
            .get("doc")
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_string(),
        default,
        values,
    }
}

/// `unchecked-error` → `UncheckedError`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `unchecked-error` → `unchecked_error`.
fn snake(id: &str) -> String {
    id.replace('-', "_")
}

/// For each family folder of `src/rules/`, the rules whose engine file is in it (by id), with
/// its path. Every rule not made by the engine must have exactly one engine file.
fn engine_files(dir: &Path, entries: &[Entry]) -> BTreeMap<String, Vec<(String, PathBuf)>> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut families: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    let mut families_dirs: Vec<PathBuf> = fs::read_dir(dir)
        .expect("src/rules exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    families_dirs.sort();
    for fam in families_dirs {
        println!("cargo:rerun-if-changed={}", fam.display());
        let name = fam.file_name().unwrap().to_string_lossy().into_owned();
        let rules = families.entry(name).or_default();
        for e in entries.iter().filter(|e| !e.engine_made) {
            let file = fam.join(format!("{}.rs", snake(&e.id)));
            if file.is_file() {
                rules.push((e.id.clone(), file));
            }
        }
    }
    for e in entries.iter().filter(|e| !e.engine_made) {
        let n = families
            .values()
            .flatten()
            .filter(|(id, _)| *id == e.id)
            .count();
        assert!(
            n == 1,
            "rule {} needs exactly one engine file src/rules/<family>/{}.rs (found {n}), \
             or `engine-made = true` in its catalogue entry",
            e.id,
            snake(&e.id)
        );
    }
    families
}

fn catalogue_files(entries: &[Entry]) -> String {
    let mut s =
        String::from("/// Every catalogue file, by name, with its text.\npub static RULE_FILES: &[(&str, &str)] = &[\n");
    for e in entries {
        let _ = writeln!(
            s,
            "    ({:?}, include_str!({:?})),",
            format!("{}.toml", e.id),
            e.path.display().to_string()
        );
    }
    s.push_str("];\n");
    s
}

fn rule_ids(entries: &[Entry]) -> String {
    let mut s = String::from(
        "/// Every rule of the catalogue, one variant per `rules/<id>.toml`, in id order.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum RuleId {\n",
    );
    for e in entries {
        let _ = writeln!(s, "    /// `{}`\n    {},", e.id, camel(&e.id));
    }
    s.push_str("}\n\nimpl RuleId {\n    /// Every rule, in id order.\n    pub const ALL: &'static [RuleId] = &[\n");
    for e in entries {
        let _ = writeln!(s, "        RuleId::{},", camel(&e.id));
    }
    s.push_str("    ];\n\n    /// The rule's id as written in the catalogue, reports and config.\n    pub fn as_str(self) -> &'static str {\n        match self {\n");
    for e in entries {
        let _ = writeln!(s, "            RuleId::{} => {:?},", camel(&e.id), e.id);
    }
    s.push_str("        }\n    }\n\n    /// The rule with this id, if there is one.\n    pub fn parse(id: &str) -> Option<RuleId> {\n        match id {\n");
    for e in entries {
        let _ = writeln!(
            s,
            "            {:?} => Some(RuleId::{}),",
            e.id,
            camel(&e.id)
        );
    }
    s.push_str("            _ => None,\n        }\n    }\n\n    /// Whether the engine itself reports this rule (no engine file).\n    pub fn engine_made(self) -> bool {\n        matches!(self, ");
    let made: Vec<String> = entries
        .iter()
        .filter(|e| e.engine_made)
        .map(|e| format!("RuleId::{}", camel(&e.id)))
        .collect();
    s.push_str(&if made.is_empty() {
        "_ if false".to_string()
    } else {
        made.join(" | ")
    });
    s.push_str(")\n    }\n}\n");
    s
}

/// The Rust type of an option, from its default (and its values, for an enum).
fn rust_type(rule: &str, o: &Opt) -> String {
    match (&o.default, &o.values) {
        (toml::Value::String(_), Some(_)) => format!("{}{}", camel(rule), camel(&o.name)),
        (toml::Value::String(_), None) => "String".into(),
        (toml::Value::Integer(_), _) => "i64".into(),
        (toml::Value::Boolean(_), _) => "bool".into(),
        (toml::Value::Array(a), _) if a.iter().all(toml::Value::is_str) => "Vec<String>".into(),
        (v, _) => panic!(
            "rules/{rule}.toml: option {} has an unsupported default {v}",
            o.name
        ),
    }
}

/// The Rust expression of an option's default.
fn default_expr(rule: &str, o: &Opt) -> String {
    match (&o.default, &o.values) {
        (toml::Value::String(v), Some(_)) => format!("{}::{}", rust_type(rule, o), camel(v)),
        (toml::Value::String(v), None) => format!("{v:?}.to_string()"),
        (toml::Value::Array(a), _) => format!(
            "vec![{}]",
            a.iter()
                .map(|x| format!("{:?}.to_string()", x.as_str().unwrap()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (v, _) => v.to_string(),
    }
}

fn rule_options(entries: &[Entry]) -> String {
    let mut s = String::new();
    let with: Vec<&Entry> = entries.iter().filter(|e| !e.options.is_empty()).collect();
    for e in &with {
        options_struct(&mut s, e);
    }
    s.push_str("/// A rule's options, typed: the variant of the rule's own struct, or `None` for a rule without options.\n#[derive(Debug, Clone, PartialEq)]\npub enum RuleOptions {\n    None,\n");
    for e in &with {
        let _ = writeln!(s, "    {0}({0}Options),", camel(&e.id));
    }
    s.push_str("}\n\nimpl RuleOptions {\n    /// The options of `id` from its table in `goaudit.toml` (defaults for what it leaves out);\n    /// an unknown option, a value of the wrong type or not among an option's values is an error.\n    pub fn parse(id: RuleId, given: toml::Table) -> Result<RuleOptions, String> {\n        let table = toml::Value::Table(given);\n        Ok(match id {\n");
    for e in &with {
        let _ = writeln!(
            s,
            "            RuleId::{0} => RuleOptions::{0}({0}Options::deserialize(table).map_err(|e| e.message().to_string())?),",
            camel(&e.id)
        );
    }
    s.push_str("            #[allow(unreachable_patterns)]\n            _ => match table.as_table().and_then(|t| t.keys().next()) {\n                Some(k) => return Err(format!(\"unknown field `{k}`: the rule has no options\")),\n                None => RuleOptions::None,\n            },\n        })\n    }\n");
    for e in &with {
        let _ = writeln!(
            s,
            "\n    /// `{id}`'s options. The engine gives each rule its own, so another variant cannot reach it.\n    pub fn {sn}(&self) -> &{c}Options {{\n        match self {{\n            RuleOptions::{c}(o) => o,\n            other => unreachable!(\"{id} was given options of another rule: {{other:?}}\"),\n        }}\n    }}",
            id = e.id,
            sn = snake(&e.id),
            c = camel(&e.id)
        );
    }
    s.push_str("}\n");
    s
}

fn options_struct(s: &mut String, e: &Entry) {
    for o in &e.options {
        if let Some(values) = &o.values {
            let _ = writeln!(s, "/// The values of `{}`'s option `{}`.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]\n#[serde(rename_all = \"kebab-case\")]\npub enum {} {{", e.id, o.name, rust_type(&e.id, o));
            for v in values {
                let _ = writeln!(s, "    {},", camel(v));
            }
            s.push_str("}\n\n");
        }
    }
    let c = camel(&e.id);
    let _ = writeln!(
        s,
        "/// The options of `{}` (`rules/{}.toml`).\n#[derive(Debug, Clone, PartialEq, Deserialize)]\n#[serde(deny_unknown_fields, rename_all = \"kebab-case\", default)]\npub struct {c}Options {{",
        e.id, e.id
    );
    for o in &e.options {
        let _ = writeln!(
            s,
            "    /// {}\n    pub {}: {},",
            o.doc.replace('\n', " "),
            snake(&o.name),
            rust_type(&e.id, o)
        );
    }
    let _ = writeln!(
        s,
        "}}\n\n// Written out for every rule alike, even where all defaults are the type's own.\n#[allow(clippy::derivable_impls)]\nimpl Default for {c}Options {{\n    fn default() -> Self {{\n        {c}Options {{"
    );
    for o in &e.options {
        let _ = writeln!(
            s,
            "            {}: {},",
            snake(&o.name),
            default_expr(&e.id, o)
        );
    }
    s.push_str("        }\n    }\n}\n\n");
}

/// `pub mod <id>;` for each rule of a family, at its absolute path.
fn family_modules(rules: &[(String, PathBuf)]) -> String {
    let mut s = String::new();
    for (id, path) in rules {
        let _ = writeln!(
            s,
            "#[path = {:?}]\npub mod {};",
            path.display().to_string(),
            snake(id)
        );
    }
    s
}

fn registry(entries: &[Entry], families: &BTreeMap<String, Vec<(String, PathBuf)>>) -> String {
    let mut s = String::from(
        "/// The engine of a rule; `None` for the rules the engine itself reports.\npub fn engine(id: RuleId) -> Option<&'static dyn Rule> {\n    match id {\n",
    );
    let mut idents = String::new();
    for (family, rules) in families {
        for (id, _) in rules {
            let path = format!("{family}::{}::{}", snake(id), camel(id));
            let _ = writeln!(s, "        RuleId::{} => Some(&{path}),", camel(id));
            let _ = writeln!(
                idents,
                "impl Identified for {path} {{\n    fn id(&self) -> &'static str {{\n        RuleId::{}.as_str()\n    }}\n}}\n",
                camel(id)
            );
        }
    }
    for e in entries.iter().filter(|e| e.engine_made) {
        let _ = writeln!(s, "        RuleId::{} => None,", camel(&e.id));
    }
    s.push_str("    }\n}\n\n");
    s.push_str(&idents);
    s
}

/// One `#[test]` per catalogue entry, named as the rule, calling `tests/fixtures.rs`'s
/// `meets_its_fixtures(id)`.
fn fixture_tests(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        let _ = writeln!(
            out,
            "#[test]\nfn {}() {{\n    meets_its_fixtures({:?});\n}}\n",
            snake(&e.id),
            e.id
        );
    }
    out
}
