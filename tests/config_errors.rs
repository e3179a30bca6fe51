//! Every configuration error goaudit can give, as the user sees it: one bad `goaudit.toml` (or
//! flag) per error site of `src/config.rs` and `src/config/`, audited with the binary, its exit
//! code and standard error snapshotted in `tests/snapshots/` with the temporary folder masked
//! (`INSTA_UPDATE=always cargo test --release --test config_errors` rewrites the snapshot).
//! Syntax and type errors show the offending line with a caret; every other error is one line.

use std::path::Path;
use std::process::Command;

/// One bad config: a name, the file's text (none: no file) and extra flags for `goaudit audit`.
struct Case {
    name: &'static str,
    file: Option<&'static [u8]>,
    flags: &'static [&'static str],
}

const fn file(name: &'static str, text: &'static str) -> Case {
    Case {
        name,
        file: Some(text.as_bytes()),
        flags: &[],
    }
}

const fn flags(name: &'static str, flags: &'static [&'static str]) -> Case {
    Case {
        name,
        file: None,
        flags,
    }
}

const CASES: &[Case] = &[
    // Syntax: TOML itself refuses the file.
    file(
        "syntax: an unterminated string",
        "tests = true\nfail-on = \"high\n",
    ),
    file("syntax: a table header left open", "[rules\nselect = []\n"),
    file("syntax: a key given twice", "tests = true\ntests = false\n"),
    file("syntax: a value missing", "[rules]\nselect =\n"),
    file(
        "syntax: the error at the end of a file without a last line break",
        "[rules]\nselect = [\"complexity\",",
    ),
    file(
        "syntax: tabs and a control character before the error",
        "\t[rules]\n\tselect = [\"a\"] \u{1b}x\n",
    ),
    // Types: the schema refuses a value.
    file("type: tests is not a boolean", "tests = \"yes\"\n"),
    file("type: exclude is not a list", "exclude = \"vendor/**\"\n"),
    file(
        "type: a list item of the wrong type",
        "exclude = [\"é\", 3]\n",
    ),
    file("type: fail-on is not a string", "fail-on = 1\n"),
    file(
        "type: a severity override is not a string",
        "[rules.severity]\ncyclomatic-complexity = 3\n",
    ),
    file(
        "type: rules.select is not a list",
        "[rules]\nselect = \"all\"\n",
    ),
    file(
        "type: llm.max-cost is not a number",
        "[llm]\nmax-cost = \"1\"\n",
    ),
    file(
        "type: a price lacks output",
        "[llm.prices.m]\ninput = 1.0\n",
    ),
    file(
        "type: tools enabled is neither a boolean nor a word",
        "[tools.staticcheck]\nenabled = 3\n",
    ),
    file(
        "type: a rule's options are not a table",
        "[rules.options]\ncyclomatic-complexity = 3\n",
    ),
    // Unknown keys, in every table, with the key meant when one is close.
    file("unknown key: fail_on at the top", "fail_on = \"high\"\n"),
    file("unknown key: failon at the top", "failon = \"high\"\n"),
    file(
        "unknown key: exlude at the top",
        "exlude = [\"vendor/**\"]\n",
    ),
    file("unknown key: nothing close at the top", "colour = true\n"),
    file(
        "unknown key: in [rules]",
        "[rules]\nextend_select = [\"ssrf\"]\n",
    ),
    file(
        "unknown key: in [tools]",
        "[tools.go_vet]\nenabled = true\n",
    ),
    file(
        "unknown key: in [tools.go-vet]",
        "[tools.go-vet]\nenable = true\n",
    ),
    file(
        "unknown key: in [tools.staticcheck]",
        "[tools.staticcheck]\npath = \"/x\"\n",
    ),
    file(
        "unknown key: in [tools.govulncheck]",
        "[tools.govulncheck]\nchcks = []\n",
    ),
    file("unknown key: in [llm]", "[llm]\nmax_cost = 1.0\n"),
    file(
        "unknown key: in [llm.prices.MODEL]",
        "[llm.prices.m]\ninput = 1.0\noutpt = 2.0\n",
    ),
    // Values the schema takes but goaudit refuses.
    file("value: an unknown fail-on severity", "fail-on = \"hgh\"\n"),
    file(
        "value: an unknown severity override",
        "[rules.severity]\ncyclomatic-complexity = \"hihg\"\n",
    ),
    file(
        "value: an unknown severity for a rule not selected",
        "[rules]\nselect = [\"ssrf\"]\n[rules.severity]\ncyclomatic-complexity = \"severe\"\n",
    ),
    file("value: a bad exclude glob", "exclude = [\"a/[b\"]\n"),
    file(
        "value: enabled is a word other than auto",
        "[tools.staticcheck]\nenabled = \"atuo\"\n",
    ),
    file(
        "value: govulncheck has no checks",
        "[tools.govulncheck]\nchecks = [\"GO-2024-0001\"]\n",
    ),
    file(
        "value: an unknown go vet analyzer",
        "[tools.go-vet]\nchecks = [\"prinf\"]\n",
    ),
    file(
        "value: not a staticcheck check",
        "[tools.staticcheck]\nchecks = [\"SA1000 -debug.cpuprofile=x\"]\n",
    ),
    // Rule names.
    file(
        "rules: an unknown rule in select",
        "[rules]\nselect = [\"no-such-rule\"]\n",
    ),
    file(
        "rules: a go vet check in ignore",
        "[rules]\nignore = [\"govet/printf\"]\n",
    ),
    file(
        "rules: a tool in extend-select",
        "[rules]\nextend-select = [\"staticcheck\"]\n",
    ),
    file(
        "rules: an unknown rule in severity",
        "[rules.severity]\nno-such-rule = \"high\"\n",
    ),
    file(
        "rules: an unknown rule in options",
        "[rules.options.no-such-rule]\nx = 1\n",
    ),
    // A rule's options.
    file(
        "option: a misspelt option",
        "[rules.options.cyclomatic-complexity]\ntreshold = 20\n",
    ),
    file(
        "option: a value of the wrong type",
        "[rules.options.cyclomatic-complexity]\nthreshold = \"20\"\n",
    ),
    file(
        "option: a value not among the option's values",
        "[rules.options.unchecked-error]\nmode = \"errchek\"\n",
    ),
    file(
        "option: an option for a rule without options",
        "[rules.options.double-lock]\nx = 1\n",
    ),
    // What an untrusted repository's config may not set.
    file("trust: llm.provider", "[llm]\nprovider = \"openai\"\n"),
    file("trust: llm.base-url", "[llm]\nbase-url = \"http://x\"\n"),
    file("trust: llm.endpoint", "[llm]\nendpoint = \"http://x\"\n"),
    file("trust: llm.api-key", "[llm]\napi-key = \"sk-x\"\n"),
    file("trust: llm.api-key-env", "[llm]\napi-key-env = \"HOME\"\n"),
    // The file itself.
    Case {
        name: "file: not UTF-8",
        file: Some(b"tests = true\n# \xff\xfe\n"),
        flags: &[],
    },
    flags(
        "file: --config names no file",
        &["--config", "MODULE/nope.toml"],
    ),
    // Flags merged into the settings.
    flags(
        "flag: an unknown --tool-path tool",
        &["--tool-path", "gofmt=/bin/true"],
    ),
    flags("flag: a bad --exclude glob", &["--exclude", "a/[b"]),
    flags("clap: an unknown --fail-on severity", &["--fail-on", "hgh"]),
    flags("clap: an unknown --output format", &["--output", "jsn"]),
    flags("clap: a misspelt flag", &["--exlude", "x"]),
];

/// The case audited: its exit code and standard error, the module's folder shown as `MODULE`.
fn run(case: &Case) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "go.mod", b"module example.com/m\n\ngo 1.22\n");
    write(root, "p/p.go", b"package p\n");
    if let Some(text) = case.file {
        write(root, "goaudit.toml", text);
    }
    let shown_root = root.display().to_string();
    let flags = case.flags.iter().map(|f| f.replace("MODULE", &shown_root));
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args([
            "audit",
            "--quiet",
            "--no-cache",
            &format!("{shown_root}/..."),
        ])
        .args(flags)
        .env("NO_COLOR", "1")
        .output()
        .expect("goaudit runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let masked = mask(&stderr, root);
    format!("exit {:?}\n{}", out.status.code(), masked.trim_end())
}

fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `text` with the module's folder, as given and as resolved, replaced by `MODULE`.
fn mask(text: &str, root: &Path) -> String {
    let canonical = root.canonicalize().unwrap();
    text.replace(&canonical.display().to_string(), "MODULE")
        .replace(&root.display().to_string(), "MODULE")
}

/// How many lines an error takes after `goaudit: `'s first: a located one shows the offending
/// line between two others; clap's own usage errors are its affair; the rest take none.
fn extra_lines(name: &str) -> Option<usize> {
    let located = ["syntax:", "type:", "unknown key:"];
    if located.iter().any(|p| name.starts_with(p)) {
        Some(3)
    } else if name.starts_with("clap:") {
        None
    } else {
        Some(0)
    }
}

#[test]
fn every_config_error_exits_2_on_as_many_lines_as_its_kind_and_matches_its_snapshot() {
    let mut shown = Vec::new();
    for case in CASES {
        let out = run(case);
        assert!(out.starts_with("exit Some(2)\n"), "{}: {out}", case.name);
        if let Some(extra) = extra_lines(case.name) {
            let lines = out.lines().skip(1).count();
            assert_eq!(lines, extra + 1, "{}: {out}", case.name);
        }
        shown.push(format!("== {} ==\n{out}\n", case.name));
    }
    insta::assert_snapshot!("config_errors", shown.join("\n"));
}
