//! Budgets in work units for the analyses whose cost could grow faster than their input, and
//! what ran over.
//!
//! A budget counts work (bytes of literal data, steps of a search), never time, so a run gives
//! the same findings whatever the machine, the threads, the shard or the cache. An analysis that
//! runs over its budget on one file or one function stops there and records an `Overrun`; the
//! engine turns each into an `analysis-budget` finding (severity `info`: it never fails a run,
//! `--strict` makes it exit 3). The limits sit far above anything in the Go distribution or the
//! evaluation modules (tests/costs.rs and the report of `bench/costs.sh`).

use std::ops::Range;

/// A composite literal holding at least this many bytes of plain data (no function literal, no
/// statement) is summarised: blanked before parsing, so the rules see an empty literal. Parsing
/// data costs about 140 bytes of memory per byte of source; the largest literal of the Go
/// distribution (`cmd/compile/internal/ssa/opGen.go`) is under 3 MB.
pub const LITERAL_DATA_BYTES: usize = 4 << 20;

/// Steps (control-flow blocks visited) `mutex-not-unlocked` may take in one function when it
/// follows each lock to the exits; the standard library's costliest function takes under 0.1%
/// of it.
pub const LOCK_PATH_STEPS: u64 = 20_000_000;

/// The parser's steps for one file: tree-sitter reports its progress every 100 parse operations
/// (one step here), and this many steps, plus one for every `PARSE_BYTES_PER_STEP` bytes of
/// text, are allowed. Valid Go takes under 0.03 steps a byte (the Go distribution's costliest
/// file, 0.027), mutated files about 0.01 and at most 1.9 of 3,000; error recovery on some broken
/// text takes 30 steps a byte and seconds per kilobyte.
pub const PARSE_BASE_STEPS: u64 = 20_000;
/// Bytes of text that earn the parser one more step (see `PARSE_BASE_STEPS`).
pub const PARSE_BYTES_PER_STEP: u64 = 4;

/// The parser's budget in steps for a text of `bytes` bytes.
pub fn parse_steps(bytes: usize) -> u64 {
    PARSE_BASE_STEPS + bytes as u64 / PARSE_BYTES_PER_STEP
}

/// Where an analysis stopped for its budget, and what it skipped (the finding's message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overrun {
    /// The byte offset the finding points to.
    pub byte: usize,
    pub message: String,
}

/// A count of work units left: `spend` answers whether the work may go on.
#[derive(Debug, Clone)]
pub struct Meter {
    left: u64,
    over: bool,
}

impl Meter {
    /// A meter holding `limit` units.
    pub fn new(limit: u64) -> Meter {
        Meter {
            left: limit,
            over: false,
        }
    }

    /// Spends `units`; false once the budget is used up (and from then on).
    pub fn spend(&mut self, units: u64) -> bool {
        match self.left.checked_sub(units) {
            Some(left) if !self.over => {
                self.left = left;
                true
            }
            _ => {
                self.over = true;
                false
            }
        }
    }
}

/// The byte ranges inside the outermost `{...}` of `text` that hold at least `limit` bytes of
/// plain data: no keyword but `map`, `struct`, `interface` and `chan`, no assignment, `<-`,
/// `++` or `--`. Blanking such a range leaves valid Go wherever the braces stand. Strings, runes
/// and comments are skipped as Go's scanner reads them. Linear in the text; nothing to do for a
/// text shorter than `limit`.
pub fn literal_data(text: &str, limit: usize) -> Vec<Range<usize>> {
    if text.len() < limit {
        return Vec::new();
    }
    let b = text.as_bytes();
    // Open braces: where the inside starts, and whether code was seen inside.
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied().unwrap_or(0);
        i = match c {
            b'/' if next == b'/' => skip_until(b, i + 2, b"\n"),
            b'/' if next == b'*' => skip_until(b, i + 2, b"*/"),
            b'"' | b'\'' => skip_quoted(b, i + 1, c),
            b'`' => skip_until(b, i + 1, b"`"),
            b'{' => {
                open.push((i + 1, false));
                i + 1
            }
            b'}' => {
                if let Some((start, code)) = open.pop() {
                    close_region(&mut found, &mut open, start..i, code, limit);
                }
                i + 1
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let end = ident_end(b, i);
                if is_code_keyword(&b[i..end]) {
                    mark_code(&mut open);
                }
                end
            }
            _ => {
                if is_code_operator(b, i) {
                    mark_code(&mut open);
                }
                i + 1
            }
        };
    }
    found
}

/// A closed brace: kept when it holds enough data, replacing the ranges found inside it; code
/// inside makes the enclosing braces code too.
fn close_region(
    found: &mut Vec<Range<usize>>,
    open: &mut [(usize, bool)],
    inside: Range<usize>,
    code: bool,
    limit: usize,
) {
    if code {
        mark_code(open);
    } else if inside.len() >= limit {
        while found.last().is_some_and(|r| r.start >= inside.start) {
            found.pop();
        }
        found.push(inside);
    }
}

fn mark_code(open: &mut [(usize, bool)]) {
    if let Some(top) = open.last_mut() {
        top.1 = true;
    }
}

/// The end of the identifier (or number's letters) starting at `i`.
fn ident_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
        j += 1;
    }
    j
}

/// A keyword that only code holds (the type keywords may sit in a literal's element types).
fn is_code_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"func"
            | b"return"
            | b"if"
            | b"else"
            | b"for"
            | b"range"
            | b"switch"
            | b"case"
            | b"default"
            | b"select"
            | b"go"
            | b"defer"
            | b"var"
            | b"const"
            | b"type"
            | b"import"
            | b"package"
            | b"goto"
            | b"break"
            | b"continue"
            | b"fallthrough"
    )
}

/// `=` of an assignment (not `==`, `!=`, `<=`, `>=`), `<-`, `++`, `--`.
fn is_code_operator(b: &[u8], i: usize) -> bool {
    let prev = if i > 0 { b[i - 1] } else { 0 };
    let next = b.get(i + 1).copied().unwrap_or(0);
    match b[i] {
        b'=' => next != b'=' && !matches!(prev, b'=' | b'!' | b'<' | b'>'),
        b'<' => next == b'-',
        b'+' => next == b'+',
        b'-' => next == b'-',
        _ => false,
    }
}

/// The index just past the first `end` at or after `i` (the text's end if none).
fn skip_until(b: &[u8], i: usize, end: &[u8]) -> usize {
    let mut j = i;
    while j + end.len() <= b.len() {
        if &b[j..j + end.len()] == end {
            return j + end.len();
        }
        j += 1;
    }
    b.len()
}

/// The index just past the closing `quote` of a string or rune whose body starts at `i`; a
/// newline ends an unterminated one.
fn skip_quoted(b: &[u8], i: usize, quote: u8) -> usize {
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' => return j,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// `text` with every byte of `ranges` but line ends replaced by a space: what the parser reads.
pub fn blanked(text: &str, ranges: &[Range<usize>]) -> Vec<u8> {
    let mut out = text.as_bytes().to_vec();
    for r in ranges {
        for byte in &mut out[r.clone()] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_literal_is_found_code_is_not() {
        let data =
            "package p\n\nvar X = []int{\n\t1, 2, 3, // a comment with func\n\t\"}\", '{',\n}\n";
        let inner = data.find("{\n").unwrap() + 1..data.rfind('}').unwrap();
        assert_eq!(literal_data(data, 10), vec![inner.clone()]);
        assert!(literal_data(data, inner.len() + 1).is_empty());
        let code = "package p\n\nfunc F() {\n\tx := 1\n\t_ = x\n}\n";
        assert!(literal_data(code, 4).is_empty());
        let closure = "package p\n\nvar X = []any{1, 2, func() {}, 3, 4, 5, 6}\n";
        assert!(literal_data(closure, 4).is_empty());
    }

    #[test]
    fn only_the_outermost_data_is_kept_and_blanking_keeps_lines() {
        let text = "package p\n\nvar X = [][]int{\n\t{1, 2},\n\t{3, 4},\n}\n";
        let found = literal_data(text, 3);
        assert_eq!(found.len(), 1);
        let b = blanked(text, &found);
        assert_eq!(b.len(), text.len());
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "package p\n\nvar X = [][]int{\n        \n        \n}\n"
        );
    }

    #[test]
    fn a_meter_stops_once_spent() {
        let mut m = Meter::new(3);
        assert!(m.spend(2));
        assert!(!m.spend(2));
        assert!(!m.spend(0));
    }
}
