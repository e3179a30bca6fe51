use super::*;

fn imported(yaml: &str) -> Imported {
    let out = import(&parse(yaml, ".golangci.yml").unwrap(), ".golangci.yml");
    check_loads(&out.toml).unwrap_or_else(|e| panic!("{e}\n{}", out.toml));
    out
}

fn keys(out: &Imported) -> Vec<&str> {
    out.unmapped.iter().map(|u| u.key.as_str()).collect()
}

const V1: &str = r#"
run:
  tests: false
  timeout: 5m
  skip-dirs:
    - ^internal/gen/
    - (^|/)mocks($|/)
linters:
  disable:
    - errcheck
    - bodyclose
  enable:
    - gocyclo
    - misspell
linters-settings:
  errcheck:
    exclude-functions:
      - io.Copy
      - (*bytes.Buffer).Write
      - io.Copy(*bytes.Buffer)
  gocyclo:
    min-complexity: 25
  gocognit:
    min-complexity: 40
  funlen:
    lines: -1
    statements: 50
  lll:
    line-length: 120
issues:
  exclude-files:
    - _test\.go$
  exclude-use-default: false
  exclude-rules:
    - path: _test\.go
      linters: [gosec, errcheck, govet]
    - linters: [gocyclo]
      text: "is high"
    - path: ^cmd/
      linters: [lll]
"#;

#[test]
fn v1_paths_linters_settings_and_rules_map() {
    let out = imported(V1);
    let t = &out.toml;
    assert!(
        t.starts_with("# Imported from .golangci.yml (golangci-lint v1 config)"),
        "{t}"
    );
    assert!(t.contains("tests = false\n"), "{t}");
    assert!(
        t.contains(r#"exclude = ["internal/gen/*", "*_test.go"]"#),
        "{t}"
    );
    assert!(
        t.contains(r#"ignore = ["ignored-error", "unchecked-error"]"#),
        "{t}"
    );
    assert!(
        t.contains("[rules.options.cyclomatic-complexity]\nthreshold = 25\n"),
        "{t}"
    );
    assert!(
        t.contains("[rules.options.cognitive-complexity]\nthreshold = 40\n"),
        "{t}"
    );
    assert!(
        t.contains("[rules.options.function-length]\nmax-lines = 0\nmax-statements = 50\n"),
        "{t}"
    );
    assert!(
        t.contains(r#"exclude-functions = ["io.Copy", "(*bytes.Buffer).Write"]"#),
        "{t}"
    );
    // exclude-use-default: false, but errcheck is disabled: no mode to set.
    assert!(!t.contains("mode ="), "{t}");
    assert!(t.contains("path = \"*_test.go*\"\nignore = [\"security\", \"ignored-error\", \"unchecked-error\", \"govet\"]"), "{t}");
    let k = keys(&out);
    for key in [
        "run.timeout",
        "run.skip-dirs[1]",
        "linters.disable: bodyclose",
        "linters.enable: misspell",
        "linters-settings.errcheck.exclude-functions[2]",
        "linters-settings.lll",
        "issues.exclude-rules[1].text",
        "issues.exclude-rules[2]",
        "issues.exclude-dirs-use-default",
    ] {
        assert!(k.contains(&key), "{key} missing from {k:?}");
    }
}

#[test]
fn v2_exclusions_formatters_and_default_none_map() {
    let out = imported(
        r#"
version: "2"
linters:
  default: none
  enable: [errcheck, govet, revive]
  settings:
    govet:
      disable: [shadow, printf]
    revive:
      rules: []
  exclusions:
    presets: [std-error-handling, comments]
    paths:
      - third_party$
      - \.pb\.go$
    rules:
      - path: _test\.go$
        linters: [errcheck]
formatters:
  enable: [gofmt]
"#,
    );
    let t = &out.toml;
    assert!(t.contains("(golangci-lint v2 config)"), "{t}");
    assert!(
        t.contains(r#"exclude = ["*third_party", "*.pb.go"]"#),
        "{t}"
    );
    assert!(
        t.contains("[tools.go-vet]\nenabled = \"auto\"\nchecks = [\"-printf\"]\n"),
        "{t}"
    );
    assert!(!t.contains("[tools.staticcheck]"), "{t}");
    assert!(!t.contains("mode = \"errcheck\""), "{t}");
    assert!(
        t.contains("path = \"*_test.go\"\nignore = [\"ignored-error\", \"unchecked-error\"]"),
        "{t}"
    );
    let k = keys(&out);
    for key in [
        "linters.exclusions.paths[0]",
        "linters.enable: revive",
        "linters.settings.revive",
        "linters.exclusions.presets: comments",
        "linters.default",
        "formatters",
    ] {
        assert!(k.contains(&key), "{key} missing from {k:?}");
    }
    let left_on = out
        .unmapped
        .iter()
        .find(|u| u.key == "linters.default")
        .unwrap();
    assert!(left_on.why.contains("gosec (security)"), "{}", left_on.why);
}

#[test]
fn nolintlint_selects_unused_nolint_once_goaudit_has_it() {
    let yaml = "linters:\n  enable: [nolintlint]\n";
    let out = import(&parse(yaml, "x.yml").unwrap(), "x.yml");
    if crate::catalogue::catalogue().get("unused-nolint").is_some() {
        assert!(
            out.toml.contains("extend-select = [\"unused-nolint\"]"),
            "{}",
            out.toml
        );
        check_loads(&out.toml).unwrap();
    } else {
        let line = out
            .unmapped
            .iter()
            .find(|u| u.key == "linters.enable: nolintlint");
        assert!(
            line.is_some_and(|u| u.why.contains("unused-nolint")),
            "{:?}",
            out.unmapped
        );
        assert!(!out.toml.contains("extend-select"), "{}", out.toml);
    }
    let allowed = "linters:\n  enable: [nolintlint]\nlinters-settings:\n  nolintlint:\n    allow-unused: true\n";
    let out = imported(allowed);
    assert!(!out.toml.contains("unused-nolint"), "{}", out.toml);
    assert!(
        !keys(&out).iter().any(|k| k.contains("nolintlint")),
        "{:?}",
        out.unmapped
    );
}

#[test]
fn toml_and_json_configs_read_like_yaml() {
    let toml = parse("[run]\ntests = false\n", ".golangci.toml").unwrap();
    let json = parse(r#"{"run": {"tests": false}}"#, ".golangci.json").unwrap();
    for doc in [toml, json] {
        assert!(import(&doc, "x").toml.contains("tests = false"));
    }
    assert!(parse("- a\n- b\n", ".golangci.yml").is_err());
    let err = parse("run: [", ".golangci.yml").unwrap_err().to_string();
    assert!(
        err.starts_with(".golangci.yml: ") && !err.contains('\n'),
        "{err}"
    );
}

#[test]
fn yaml_anchors_and_merge_keys_are_followed() {
    let out =
        imported("base: &b\n  min-complexity: 12\nlinters-settings:\n  gocyclo:\n    <<: *b\n");
    assert!(out.toml.contains("threshold = 12"), "{}", out.toml);
}
