//! Deep nesting of every kind of node, end to end: the real binary, every rule selected, its
//! own thread stacks. Each case nests one construct 10,000 deep in a generated file; goaudit
//! must neither abort nor overflow its stack, must exit 0 or 1 and must write a report that
//! parses as JSON. Nothing in goaudit may recurse on the depth of the tree or of a type.

use std::process::Command;

/// How deep each construct is nested.
const DEPTH: usize = 10_000;

/// `open` repeated `n` times, then `middle`, then `close` repeated `n` times.
fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + middle.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// A file declaring the names the cases use, with `decl` appended.
fn file(decl: &str) -> String {
    format!(
        "package p\n\nimport \"fmt\"\n\ntype T struct{{ f *T }}\n\ntype G[X any] struct{{ v X }}\n\n\
         func f(x any) any {{ return x }}\n\nvar _ = fmt.Sprint\n\n{decl}\n"
    )
}

/// A file where `expr` is a package variable's value and a function's result.
fn expr(e: &str) -> String {
    file(&format!(
        "var a, b, x int\nvar s []any\nvar m map[int]any\nvar t T\nvar ch chan chan int\n\n\
         var v = {e}\n\nfunc F() any {{\n\tdb := fmt.Sprintf(\"%v\", {e})\n\treturn db\n}}"
    ))
}

/// A file where `ty` is a named type, a variable's type and a parameter's type.
fn ty(t: &str) -> String {
    file(&format!(
        "type D {t}\n\nvar vd {t}\n\nfunc H(p {t}) {{ _ = p }}"
    ))
}

/// A file where `body` is a function's body.
fn stmts(body: &str) -> String {
    file(&format!("func B(x bool, ch chan int) {{\n{body}\n}}"))
}

/// Each case: its name and its file.
fn cases(n: usize) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("func types", ty(&nest("func(", "int", ")", n))),
        ("func results", ty(&format!("{}int", "func() ".repeat(n)))),
        ("pointer types", ty(&format!("{}int", "*".repeat(n)))),
        ("slice types", ty(&format!("{}int", "[]".repeat(n)))),
        ("array types", ty(&format!("{}int", "[1]".repeat(n)))),
        ("map values", ty(&format!("{}int", "map[int]".repeat(n)))),
        ("map keys", ty(&nest("map[", "int", "]int", n))),
        ("chan types", ty(&format!("{}int", "chan ".repeat(n)))),
        ("struct types", ty(&nest("struct{ f ", "int", " }", n))),
        ("interface types", ty(&nest("interface{ ", "M()", " }", n))),
        ("generic types", ty(&nest("G[", "int", "]", n))),
        ("parenthesised types", ty(&nest("(", "int", ")", n))),
        ("parentheses", expr(&nest("(", "a", ")", n))),
        ("not", expr(&format!("{}x", "!".repeat(n)))),
        ("negation", expr(&format!("{}a", "- ".repeat(n)))),
        ("dereference", expr(&format!("{}t", "*".repeat(n)))),
        ("address", expr(&format!("{}t", "& ".repeat(n)))),
        ("receive", expr(&format!("{}ch", "<-".repeat(n)))),
        ("sums", expr(&format!("a{}", " + a".repeat(n)))),
        (
            "string sums",
            expr(&format!("\"a\"{}", " + \"a\"".repeat(n))),
        ),
        ("right sums", expr(&nest("a + (", "a", ")", n))),
        (
            "logic",
            expr(&format!("x > 0{}", " && x > 0 || x < 0".repeat(n))),
        ),
        ("calls", expr(&nest("f(", "x", ")", n))),
        ("sprintf", expr(&nest("fmt.Sprintf(\"%s\", ", "x", ")", n))),
        ("indexes", expr(&format!("s{}", "[0]".repeat(n)))),
        ("slices", expr(&format!("s{}", "[:]".repeat(n)))),
        ("selectors", expr(&format!("t{}", ".f".repeat(n)))),
        ("method calls", expr(&format!("t{}", ".f()".repeat(n)))),
        ("assertions", expr(&format!("f(x){}", ".(any)".repeat(n)))),
        ("conversions", expr(&nest("any(", "x", ")", n))),
        ("composite literals", expr(&nest("[]any{", "1", "}", n))),
        (
            "struct literals",
            expr(&nest("T{f: &T{f: ", "nil", "}}", n / 2)),
        ),
        (
            "generic calls",
            expr(&format!("{}{{}}", nest("G[", "int", "]", n))),
        ),
        (
            "func literals",
            expr(&nest("func() any { return ", "1", " }()", n)),
        ),
    ];
    out.extend(statement_cases(n));
    out
}

/// The cases nesting statements and closures in a function body.
fn statement_cases(n: usize) -> Vec<(&'static str, String)> {
    let chain: String = (1..n).map(|i| format!("\tp{i} := &p{}\n", i - 1)).collect();
    vec![
        ("closures", stmts(&nest("func() {\n", "", "}()\n", n))),
        ("goroutines", stmts(&nest("go func() {\n", "", "}()\n", n))),
        ("defers", stmts(&nest("defer func() {\n", "", "}()\n", n))),
        ("blocks", stmts(&nest("{\n", "", "}\n", n))),
        ("ifs", stmts(&nest("if x {\n", "", "}\n", n))),
        (
            "else ifs",
            stmts(&format!("{}{{}}", "if x {} else ".repeat(n))),
        ),
        ("fors", stmts(&nest("for x {\n", "break\n", "}\n", n))),
        ("ranges", stmts(&nest("for range ch {\n", "", "}\n", n))),
        (
            "switches",
            stmts(&nest("switch {\ncase x:\n", "", "}\n", n)),
        ),
        (
            "selects",
            stmts(&nest("select {\ncase <-ch:\n", "", "}\n", n)),
        ),
        ("labels", stmts(&format!("{}return", "L: ".repeat(n)))),
        (
            "pointer chain",
            stmts(&format!("\tp0 := 1\n{chain}\t_ = p{}", n - 1)),
        ),
    ]
}

/// Runs goaudit with every rule on a module holding `src`; the failure, if any.
fn audit(name: &str, src: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.go"), src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goaudit"))
        .current_dir(dir.path())
        .args(["audit", "./...", "--select", "all", "--format", "json"])
        .args(["--no-cache", "-q"])
        .output()
        .expect("goaudit runs");
    let code = out.status.code();
    if !matches!(code, Some(0 | 1)) {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: String = err
            .chars()
            .rev()
            .take(300)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Some(format!("{name}: exit {:?} ({}): {tail}", code, out.status));
    }
    match serde_json::from_slice::<serde_json::Value>(&out.stdout) {
        Ok(v) if v.get("findings").is_some() => None,
        Ok(_) => Some(format!("{name}: the report has no findings")),
        Err(e) => Some(format!("{name}: the report is not JSON: {e}")),
    }
}

#[test]
fn every_kind_of_node_nested_ten_thousand_deep_is_audited_without_an_abort() {
    let cases = cases(DEPTH);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut failed = Vec::new();
                    while let Some((name, src)) =
                        cases.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        failed.extend(audit(name, src));
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_cases_nest_as_deep_as_they_say() {
    let cases = cases(DEPTH);
    assert!(cases.len() >= 40);
    for (name, src) in &cases {
        assert!(src.len() > DEPTH, "{name} is {} bytes", src.len());
    }
    assert_eq!(nest("(", "a", ")", 3), "(((a)))");
}
