//! Hostile input end to end: endless files, odd outputs, shard reports that do not add up,
//! signals. Each test generates its own pathological input; goaudit runs under an address-space
//! limit where a regression could otherwise take the machine's memory.

use std::path::Path;
use std::process::{Command, Output};

/// Runs goaudit with `args` under a 3 GB address-space limit and a umask of 022.
fn goaudit_bounded(args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 3000000; umask 022; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_goaudit"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("goaudit runs")
}

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A module with one clean package.
fn module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.go"),
        "package p\n\nfunc F() int { return 1 }\n",
    )
    .unwrap();
    dir
}

fn all(dir: &Path) -> String {
    format!("{}/...", dir.display())
}

/// Asserts exit 2 and one line of stderr containing each of `needles`.
fn assert_usage_error(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
}

#[test]
fn an_endless_baseline_is_refused_at_the_limit() {
    let m = module();
    let out = goaudit_bounded(&["audit", &all(m.path()), "--baseline", "/dev/zero"]);
    assert_usage_error(&out, &["baseline /dev/zero", "over the 256 MiB limit"]);
}

#[test]
fn merging_an_endless_report_is_refused_at_the_limit() {
    for input in ["/dev/zero", "/dev/urandom"] {
        let out = goaudit_bounded(&["merge", input]);
        assert_usage_error(&out, &[&format!("report {input}")]);
    }
}

/// A leak whose reported line ends in a comment holding terminal control sequences.
const HOSTILE_LINE: &str = "package p\n\nimport \"os\"\n\nfunc Save(path string) error {\n\tf, err := os.Create(path)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif _, err := f.Stat(); err != nil {\n\t\treturn err // \x1b]0;PWNED\x07\x1b[2J\x1b[32mall good\x1b[0m\u{202e}\n\t}\n\treturn f.Close()\n}\n";

#[test]
fn control_characters_of_a_source_line_are_escaped_in_human_reports_only() {
    let m = module();
    std::fs::write(m.path().join("a.go"), HOSTILE_LINE).unwrap();
    let (md, json) = (m.path().join("r.md"), m.path().join("r.json"));
    let outputs = [
        format!("markdown:{}", md.display()),
        format!("json:{}", json.display()),
    ];
    let out = goaudit_bounded(&[
        "audit",
        &all(m.path()),
        "--color",
        "never",
        "--output",
        "text",
        "--output",
        &outputs[0],
        "--output",
        &outputs[1],
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let markdown = std::fs::read_to_string(&md).unwrap();
    for (name, report) in [("text", &text), ("markdown", &markdown)] {
        assert!(
            !report.contains(['\x1b', '\x07', '\u{202e}']),
            "{name}: {report}"
        );
        assert!(
            report.contains("return err // \\x1b]0;PWNED\\x07\\x1b[2J"),
            "{name}: {report}"
        );
        assert!(report.contains("\\u{202e}"), "{name}: {report}");
    }
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let exact = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["snippet"].as_str().unwrap().contains("\x1b]0;PWNED\x07"));
    assert!(exact, "JSON keeps the exact text: {doc}");
}

#[test]
fn new_reports_are_0644_under_umask_022() {
    let m = module();
    let p = |name: &str| m.path().join(name).display().to_string();
    let (sarif, md) = (format!("sarif:{}", p("new.sarif")), p("new.md"));
    let out = goaudit_bounded(&[
        "audit",
        &all(m.path()),
        "--format",
        "json",
        "-o",
        &p("new.json"),
        "--output",
        &sarif,
        "--report",
        &md,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    goaudit_bounded(&["merge", &p("new.json"), "-o", &p("merged.json")]);
    goaudit_bounded(&["baseline", &all(m.path()), "-o", &p("base.json")]);
    for name in [
        "new.json",
        "new.sarif",
        "new.md",
        "merged.json",
        "base.json",
    ] {
        assert_eq!(mode(&m.path().join(name)), 0o644, "{name}");
    }
}

#[test]
fn two_reports_aimed_at_one_file_are_a_usage_error_naming_it() {
    let m = module();
    let same = m.path().join("same");
    let other_spelling = format!(
        "sarif:{}/../{}/same",
        m.path().display(),
        m.path().file_name().unwrap().to_str().unwrap()
    );
    let out = goaudit_bounded(&[
        "audit",
        &all(m.path()),
        "--format",
        "json",
        "-o",
        same.to_str().unwrap(),
        "--output",
        &other_spelling,
    ]);
    assert_usage_error(
        &out,
        &["two reports (json and sarif) are aimed at one file", "same"],
    );
    assert!(!same.exists(), "nothing is audited or written");
}

#[test]
fn an_output_file_that_is_a_link_writes_its_target() {
    let m = module();
    let link = m.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let out = goaudit_bounded(&[
        "audit",
        &all(m.path()),
        "--format",
        "json",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    let real = std::fs::read_to_string(m.path().join("real.json")).unwrap();
    assert!(real.starts_with('{'), "{real}");
}

#[test]
fn diff_with_report_outputs_is_refused() {
    let m = module();
    let pattern = all(m.path());
    let file = m.path().join("diff.json");
    let json = format!("json:{}", file.display());
    let extras = [
        ["-o", file.to_str().unwrap()],
        ["--output", &json],
        ["--report", file.to_str().unwrap()],
    ];
    for extra in extras {
        let mut args = vec!["audit", &pattern, "--diff"];
        args.extend(extra);
        let out = goaudit_bounded(&args);
        assert_usage_error(&out, &["--diff", "writes no report"]);
    }
    assert!(!file.exists());
}

#[test]
fn a_report_that_cannot_be_written_is_exit_3_naming_it_and_the_others_are_written() {
    let m = module();
    let lost = m.path().join("no/such/dir/r.json");
    let kept = m.path().join("r.sarif");
    let outputs = [
        format!("json:{}", lost.display()),
        format!("sarif:{}", kept.display()),
    ];
    let out = goaudit_bounded(&[
        "audit",
        &all(m.path()),
        "--output",
        &outputs[0],
        "--output",
        &outputs[1],
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!("cannot write the report to {}", lost.display())),
        "{err}"
    );
    assert!(kept.exists());
}

/// `cmd` run as `nobody` when the tests run as root (root reads any folder), else as is; `None`
/// when root cannot drop to `nobody` here.
fn as_unprivileged(mut cmd: Command) -> Option<Output> {
    // SAFETY: getuid has no preconditions and cannot fail.
    let root = unsafe { libc::getuid() } == 0;
    if !root {
        return Some(cmd.output().unwrap());
    }
    let mut wrapped = Command::new("setpriv");
    wrapped
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .env("HOME", "/tmp");
    wrapped
        .output()
        .ok()
        .filter(|o| o.status.code() != Some(127))
}

#[test]
fn an_unreadable_folder_is_named_on_stderr_and_strict_makes_it_exit_3() {
    use std::os::unix::fs::PermissionsExt;
    let m = module();
    let locked = m.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("l.go"), "package locked\n").unwrap();
    std::fs::set_permissions(m.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_goaudit"));
        cmd.args(["audit", "--no-cache", "--format", "json"])
            .args(args);
        as_unprivileged(cmd)
    };
    let Some(out) = run(&[&all(m.path())]) else {
        eprintln!("skipped: running as root without setpriv");
        return;
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: cannot read folder locked: permission denied"),
        "{err}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["unreadable"][0]["folder"], "locked", "{doc}");
    let strict = run(&[&all(m.path()), "--strict"]).unwrap();
    assert_eq!(strict.status.code(), Some(3));
    let only = run(&[&all(&locked)]).unwrap();
    let err = String::from_utf8_lossy(&only.stderr);
    assert_eq!(only.status.code(), Some(2), "{err}");
    assert!(err.contains("permission denied"), "{err}");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `goaudit audit DIR/... --format json --no-cache -o OUT ARGS...`, which must succeed.
fn json_report(dir: &Path, out: &Path, args: &[&str]) {
    let mut all_args = vec!["audit", "--no-cache", "--format", "json", "-o"];
    let (pattern, out) = (all(dir), out.display().to_string());
    all_args.extend([out.as_str(), pattern.as_str()]);
    all_args.extend(args);
    let run = goaudit_bounded(&all_args);
    assert!(run.status.code().is_some_and(|c| c <= 1), "{run:?}");
}

/// `goaudit merge` over `reports` (paths under `dir`).
fn merge(dir: &Path, reports: &[&str]) -> Output {
    let paths: Vec<String> = reports
        .iter()
        .map(|r| dir.join(r).display().to_string())
        .collect();
    let mut args = vec!["merge"];
    args.extend(paths.iter().map(String::as_str));
    goaudit_bounded(&args)
}

#[test]
fn merge_refuses_shards_that_do_not_add_up_naming_them() {
    let (m, other, r) = (module(), module(), tempfile::tempdir().unwrap());
    std::fs::create_dir(m.path().join("sub")).unwrap();
    std::fs::write(m.path().join("sub/b.go"), "package sub\n\nfunc G() {}\n").unwrap();
    let at = |name: &str| r.path().join(name);
    json_report(m.path(), &at("s1.json"), &["--shard", "1/2"]);
    json_report(m.path(), &at("s2.json"), &["--shard", "2/2"]);
    json_report(m.path(), &at("full.json"), &[]);
    json_report(
        m.path(),
        &at("s2-select.json"),
        &["--shard", "2/2", "--select", "complexity"],
    );
    json_report(other.path(), &at("o2.json"), &["--shard", "2/2"]);
    assert_eq!(
        merge(r.path(), &["s1.json", "s2.json"]).status.code(),
        Some(0)
    );
    assert_eq!(merge(r.path(), &["full.json"]).status.code(), Some(0));
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["s1.json", "s1.json"],
            &["s1.json and ", "s1.json are both shard 1/2"],
        ),
        (&["s1.json"], &["1 of 2 shards missing (shard 2/2)"]),
        (
            &["s1.json", "full.json"],
            &["full.json is shard 1/1, but ", "s1.json is one of 2"],
        ),
        (
            &["s1.json", "o2.json"],
            &["o2.json is not a shard of the run of ", "its root is"],
        ),
        (
            &["s1.json", "s2-select.json"],
            &["s2-select.json", "its rule set or options differs"],
        ),
    ];
    for (inputs, needles) in cases {
        assert_usage_error(&merge(r.path(), inputs), needles);
    }
}

#[test]
fn merge_refuses_a_version_it_does_not_know_and_a_shard_out_of_range() {
    let (m, r) = (module(), tempfile::tempdir().unwrap());
    json_report(m.path(), &r.path().join("s1.json"), &["--shard", "1/2"]);
    let text = std::fs::read_to_string(r.path().join("s1.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["version"] = 2.into();
    std::fs::write(r.path().join("v2.json"), doc.to_string()).unwrap();
    doc["version"] = 1.into();
    doc["summary"]["shard"] = serde_json::json!({"index": 0, "count": 2});
    std::fs::write(r.path().join("zero.json"), doc.to_string()).unwrap();
    doc["summary"]["shard"] = serde_json::json!({"index": 1, "count": u64::MAX});
    std::fs::write(r.path().join("huge.json"), doc.to_string()).unwrap();
    let out = merge(r.path(), &["v2.json"]);
    assert_usage_error(
        &out,
        &["v2.json", "report version 2 is not one this goaudit reads"],
    );
    assert_usage_error(
        &merge(r.path(), &["zero.json"]),
        &["shard 0/2 is not a shard"],
    );
    assert_usage_error(&merge(r.path(), &["huge.json"]), &["shards missing"]);
}

/// A module whose JSON report is about 10 MB (8,000 leaks), so that writing it takes a while.
fn big_module() -> tempfile::TempDir {
    let m = module();
    let leak = "func SaveN(path string, data []byte) error {\n\tf, err := os.Create(path)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif _, err := f.Write(data); err != nil {\n\t\treturn err\n\t}\n\treturn f.Close()\n}\n\n";
    for p in 0..20 {
        let dir = m.path().join(format!("p{p}"));
        std::fs::create_dir(&dir).unwrap();
        for f in 0..2 {
            let mut text = format!("package p{p}\n\nimport \"os\"\n\n");
            for i in 0..200 {
                text.push_str(&leak.replace("SaveN", &format!("Save{f}_{i}")));
            }
            std::fs::write(dir.join(format!("f{f}.go")), text).unwrap();
        }
    }
    m
}

/// The names in `dir` that start like our temporary files.
fn our_temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".goaudit-tmp-"))
        .collect()
}

/// Starts an audit writing `-o out/report.json`, sends SIGINT as soon as its temporary file
/// shows, and returns whether the signal came while it was there.
fn interrupt_while_writing(m: &Path, out: &Path) -> bool {
    use std::os::unix::process::ExitStatusExt;
    let report = out.join("report.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .args(["audit", "--no-cache", "-q", "--format", "json", "-o"])
        .arg(&report)
        .arg(all(m))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while our_temps(out).is_empty() && started.elapsed().as_secs() < 120 {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    // SAFETY: kill(2) on our own child's id.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    if status.code().is_some() {
        return false; // it finished before the signal landed
    }
    assert_eq!(status.signal(), Some(libc::SIGINT));
    true
}

#[test]
fn sigint_while_writing_a_report_leaves_no_temporary_file() {
    let m = big_module();
    let out = tempfile::tempdir().unwrap();
    let caught = (0..3).any(|_| interrupt_while_writing(m.path(), out.path()));
    assert!(
        caught,
        "the signal never came while the report was being written"
    );
    assert_eq!(our_temps(out.path()), Vec::<String>::new());
}

#[test]
fn a_later_run_removes_the_temporary_files_of_a_killed_one() {
    let m = module();
    // No process id reaches 2^30 (Linux's pid_max is at most 2^22): its process is gone.
    let stale = m.path().join(".goaudit-tmp-1073741823-AbC123");
    let foreign = m.path().join(".tmpAbC123");
    std::fs::write(&stale, "half a report").unwrap();
    std::fs::write(&foreign, "not ours").unwrap();
    json_report(m.path(), &m.path().join("r.json"), &[]);
    assert!(!stale.exists(), "our stale temporary file is removed");
    assert!(foreign.exists(), "a file of another naming is left alone");
}

/// A file whose `f` leaks when `Write` fails: one unsafe fix (a `Close()` added) each.
const LEAKY_SAVE: &str = "package p\n\nimport \"os\"\n\nfunc SaveNAME(path string, data []byte) error {\n\tf, err := os.Create(path)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif _, err := f.Write(data); err != nil {\n\t\treturn err\n\t}\n\treturn f.Close()\n}\n";

#[test]
fn odd_file_names_are_kept_exactly_and_every_file_is_fixed() {
    use std::os::unix::ffi::OsStrExt;
    let m = module();
    let odd = [
        std::ffi::OsStr::new("back\\slash.go"),
        std::ffi::OsStr::from_bytes(b"bad\xff\xfe.go"),
        std::ffi::OsStr::new("plain.go"),
    ];
    for (i, name) in odd.iter().enumerate() {
        std::fs::write(
            m.path().join(name),
            LEAKY_SAVE.replace("NAME", &i.to_string()),
        )
        .unwrap();
    }
    let concise = goaudit_bounded(&["audit", "--no-cache", "--format", "concise", &all(m.path())]);
    let text = String::from_utf8(concise.stdout).unwrap();
    assert!(text.contains("back\\slash.go:11:"), "{text}");
    assert!(text.contains("bad\\xff\\xfe.go:11:"), "{text}");
    let diff = goaudit_bounded(&["audit", "--no-cache", "--diff", &all(m.path())]);
    let patch = String::from_utf8(diff.stdout).unwrap();
    assert_eq!(patch.matches("+++ b/").count(), 3, "{patch}");
    assert!(patch.contains("+++ b/back\\slash.go"), "{patch}");
    let fix = goaudit_bounded(&["audit", "--no-cache", "--unsafe-fixes", &all(m.path())]);
    let err = String::from_utf8_lossy(&fix.stderr);
    assert!(err.contains("applied 3 fix(es) in 3 file(s)"), "{err}");
    for name in odd {
        let fixed = std::fs::read_to_string(m.path().join(name)).unwrap();
        assert_eq!(fixed.matches("f.Close()").count(), 2, "{name:?}: {fixed}");
    }
}

/// A `go.mod` that never ends (`/dev/zero`) is read up to its limit, named on stderr and
/// ignored; the audit goes on.
#[test]
fn an_endless_go_mod_is_read_with_a_limit() {
    let dir = module();
    std::fs::remove_file(dir.path().join("go.mod")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("go.mod")).unwrap();
    let root = dir.path().to_str().unwrap();
    let out = goaudit_bounded(&["audit", &format!("{root}/..."), "--no-cache", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("go.mod") && stderr.contains("limit"),
        "{stderr}"
    );
}
