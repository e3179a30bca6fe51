//! golangci-lint's path regexes as goaudit globs, where the glob matches exactly the same paths.
//!
//! goaudit's globs are built with `*` crossing `/`, so a regex searched anywhere in a path is the
//! glob `*R*`, `^R` is `R*`, `R$` is `*R`, `.*` is `*` and `.` is `?`. A regex with groups,
//! alternatives, classes or repetitions other than `.*` and `.+` has no exact glob: `None`.

/// The glob matching the same paths as the regex `re` (searched in the path, as Go's
/// `regexp.MatchString` does), or `None` when no glob is exact.
pub fn regex_to_glob(re: &str) -> Option<String> {
    let (start, rest) = match re.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, re),
    };
    let (end, body) = match rest.strip_suffix('$') {
        Some(body) if !body.ends_with('\\') => (true, body),
        _ => (false, rest),
    };
    let middle = body_to_glob(body)?;
    let mut glob = String::new();
    if !start {
        glob.push('*');
    }
    glob.push_str(&middle);
    if !end {
        glob.push('*');
    }
    Some(collapse_stars(&glob))
}

/// The body of the regex, between its anchors, as a glob.
fn body_to_glob(body: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str(&literal(chars.next().filter(|c| !c.is_alphanumeric())?)?),
            '.' => match chars.peek() {
                Some('*') => {
                    chars.next();
                    out.push('*');
                }
                Some('+') => {
                    chars.next();
                    out.push_str("?*");
                }
                _ => out.push('?'),
            },
            c if c.is_alphanumeric() || "_-/@~,=% ".contains(c) => out.push(c),
            _ => return None,
        }
    }
    Some(out)
}

/// A character matched literally: glob metacharacters go in brackets; a backslash, which globs
/// read as an escape, has no literal form here.
fn literal(c: char) -> Option<String> {
    match c {
        '\\' => None,
        '*' | '?' | '[' | ']' | '{' | '}' => Some(format!("[{c}]")),
        _ => Some(c.to_string()),
    }
}

/// `**` is only legal beside `/` in a glob; two `*` next to each other match what one does here.
fn collapse_stars(glob: &str) -> String {
    let mut out = String::with_capacity(glob.len());
    for c in glob.chars() {
        if !(c == '*' && out.ends_with('*')) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use globset::Glob;

    fn matches(glob: &str, path: &str) -> bool {
        Glob::new(glob).unwrap().compile_matcher().is_match(path)
    }

    #[test]
    fn anchors_and_wildcards_translate() {
        assert_eq!(regex_to_glob(r"_test\.go$").as_deref(), Some("*_test.go"));
        assert_eq!(
            regex_to_glob(r"^internal/gen/").as_deref(),
            Some("internal/gen/*")
        );
        assert_eq!(
            regex_to_glob(r"^pkg/.*\.pb\.go$").as_deref(),
            Some("pkg/*.pb.go")
        );
        assert_eq!(
            regex_to_glob("third_party$").as_deref(),
            Some("*third_party")
        );
        assert_eq!(regex_to_glob("mock").as_deref(), Some("*mock*"));
        assert_eq!(regex_to_glob(r"^a.b$").as_deref(), Some("a?b"));
    }

    #[test]
    fn the_glob_matches_what_the_regex_matches() {
        let cases = [
            (r"_test\.go$", "pkg/x_test.go", true),
            (r"_test\.go$", "pkg/x_test.go.orig", false),
            (r"^internal/gen/", "internal/gen/a/b.go", true),
            (r"^internal/gen/", "x/internal/gen/b.go", false),
            ("mock", "pkg/mocks/m.go", true),
            (r"\.pb\.go$", "api/v1/x.pb.go", true),
        ];
        for (re, path, want) in cases {
            let glob = regex_to_glob(re).unwrap();
            let regex = regex::Regex::new(re).unwrap();
            assert_eq!(regex.is_match(path), want, "{re} on {path}");
            assert_eq!(matches(&glob, path), want, "{glob} (from {re}) on {path}");
        }
    }

    #[test]
    fn regexes_without_an_exact_glob_are_refused() {
        for re in [
            r"(^|/)vendor($|/)",
            r"[a-z]+\.go",
            r"foo|bar",
            r"\d+\.go",
            r"a?b",
        ] {
            assert_eq!(regex_to_glob(re), None, "{re}");
        }
    }
}
