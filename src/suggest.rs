//! "Did you mean …?" for names a user typed: rule ids, config keys, linter names.

/// The candidate closest to `typed`, when it is close enough to be the name the user meant:
/// Jaro–Winkler similarity above 0.8 (clap's own threshold for flags), or the same letters in
/// another case or with `_` for `-`.
pub fn closest<'a, I>(typed: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let normal = normalise(typed);
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == typed {
            continue;
        }
        let score = if normalise(candidate) == normal {
            2.0
        } else {
            strsim::jaro_winkler(&normal, &normalise(candidate))
        };
        if score > 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `" (did you mean `x`?)"`, or nothing: ready to append to an error message.
pub fn did_you_mean<'a, I>(typed: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match closest(typed, candidates) {
        Some(name) => format!(" (did you mean `{name}`?)"),
        None => String::new(),
    }
}

fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: [&str; 4] = [
        "ignored-error",
        "unclosed-resource",
        "double-lock",
        "cyclomatic-complexity",
    ];

    #[test]
    fn a_typo_finds_its_rule() {
        assert_eq!(closest("ignored-eror", RULES), Some("ignored-error"));
        assert_eq!(
            closest("unclosed_resource", RULES),
            Some("unclosed-resource")
        );
        assert_eq!(closest("Double-Lock", RULES), Some("double-lock"));
    }

    #[test]
    fn an_unrelated_name_finds_nothing() {
        assert_eq!(closest("gosec", RULES), None);
        assert_eq!(did_you_mean("zzz", RULES), "");
    }

    #[test]
    fn the_message_names_the_candidate() {
        assert_eq!(
            did_you_mean("cyclomatic", RULES),
            " (did you mean `cyclomatic-complexity`?)"
        );
    }
}
