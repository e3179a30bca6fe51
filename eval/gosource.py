"""Reads Go source without a parser, for the evaluation sample: blanks out comments and literals,
finds top-level function declarations and their bodies by brace matching, and lists the calls a
body makes. Good enough for gofmt'd code; never used to decide anything about a finding."""
import bisect
import functools
import os
import re
from dataclasses import dataclass

KEYWORDS = {"func", "if", "for", "switch", "select", "return", "go", "defer", "range", "case",
            "make", "new", "len", "cap", "append", "panic", "recover", "copy", "delete", "close",
            "print", "println", "string", "int", "byte", "rune", "error", "bool", "min", "max",
            "clear", "uint64", "int64", "uint32", "int32", "float64", "uint", "uintptr"}


@dataclass
class Func:
    """A top-level function or method: its name, receiver type and variable (or ""), and 1-based
    lines."""
    name: str
    receiver: str
    receiver_var: str
    doc_line: int  # first line of the doc comment right above, else the `func` line
    line: int      # the `func` keyword's line
    end_line: int  # the closing brace's line
    text: str      # the declaration from `func` to its closing brace, comments and literals blanked


LITERALS = re.compile("|".join([
    r"//[^\n]*",              # line comment
    r"/\*.*?(?:\*/|\Z)",      # block comment
    r'"(?:\\.|[^"\\\n])*"',   # string
    r"'(?:\\.|[^'\\\n])*'",   # rune
    r"`[^`]*(?:`|\Z)",        # raw string
]), re.S)


def mask(src):
    """The source with comments, strings, runes and raw strings replaced by spaces (newlines
    kept), so braces and parentheses in them no longer count."""
    return LITERALS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), src)


def _matching_brace(text, open_at):
    """The offset of the brace closing the one at `open_at` (the text is masked)."""
    depth = 0
    for k in range(open_at, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(text) - 1


def _body_start(text, at):
    """The offset of the body's `{` of the declaration or literal whose `func` is at `at`, or None
    for a declaration without a body or a func type. Braces of struct and interface types in the
    signature are skipped."""
    depth, k = 0, at
    while k < len(text):
        c = text[k]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth < 0:
                return None
        elif c in "\n,;=" and depth == 0:
            return None
        elif c == "{" and depth == 0:
            if re.search(r"\b(struct|interface)\s*$", text[at:k]):
                k = _matching_brace(text, k)
            else:
                return k
        k += 1
    return None


def _receiver(text):
    """(variable, type) of a receiver such as `s *Store[K]`; ("", "") for a function."""
    m = re.fullmatch(r"\s*(?:(\w+)\s+)?\*?\s*(\w+)\s*(?:\[[^\]]*\])?\s*", text or "")
    return (m.group(1) or "", m.group(2)) if m else ("", "")


def functions(src):
    """Every top-level function declaration with a body, in source order."""
    text = mask(src)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line_of = lambda off: bisect.bisect_right(starts, off)  # noqa: E731
    lines = src.split("\n")
    found = []
    for m in re.finditer(r"^func\b", text, re.M):
        open_at = _body_start(text, m.start())
        if open_at is None or _depth_at(text, m.start()) != 0:
            continue
        close_at = _matching_brace(text, open_at)
        head = re.match(r"func\s*(?:\(([^)]*)\))?\s*(\w+)", text[m.start():open_at])
        var, receiver = _receiver(head.group(1)) if head else ("", "")
        line = line_of(m.start())
        doc = line
        while doc > 1 and lines[doc - 2].lstrip().startswith("//"):
            doc -= 1
        found.append(Func(head.group(2) if head else "", receiver, var, doc, line, line_of(close_at),
                          text[m.start():close_at + 1]))
    return found


def _depth_at(text, offset):
    """Brace depth at `offset`; a `func` at the start of a line inside a block is not top-level."""
    return text.count("{", 0, offset) - text.count("}", 0, offset)


def enclosing(funcs, line):
    """The top-level function whose declaration spans `line` (a func literal's outer function)."""
    for f in funcs:
        if f.doc_line <= line <= f.end_line:
            return f
    return None


def literals(src):
    """Every func literal with a body (`func(...) ... {`), in source order."""
    text = mask(src)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found = []
    for m in re.finditer(r"\bfunc\s*\(", text):
        line_start = starts[bisect.bisect_right(starts, m.start()) - 1]
        open_at = _body_start(text, m.start()) if m.start() > line_start else None  # not a declaration
        if open_at is not None:
            close_at = _matching_brace(text, open_at)
            line, end = (bisect.bisect_right(starts, off) for off in (m.start(), close_at))
            found.append(Func("func literal", "", "", line, line, end, text[m.start():close_at + 1]))
    return found


def enclosing_literal(lits, line, cap):
    """For a line outside every declaration (inside `var _ = Describe(..., func() {...})`, say):
    the innermost func literal spanning it, widened to outer literals while they stay within
    `cap` lines."""
    spanning = sorted((f for f in lits if f.line <= line <= f.end_line),
                      key=lambda f: f.end_line - f.line)
    best = spanning[0] if spanning else None
    for f in spanning[1:]:
        if f.end_line - f.line + 1 <= cap:
            best = f
    return best


def calls(body):
    """(qualifier, name) of the calls in masked code (`f(` has qualifier "", `x.f(` "x", a
    longer chain `a.b.f(` "."), in order of first call, keywords and builtins left out."""
    seen = []
    for m in re.finditer(r"(\.?)(?:\b(\w+)\s*\.\s*)?\b([A-Za-z_]\w*)\s*\(", body):
        chained, qualifier, name = m.groups()
        call = ("." if chained else qualifier or "", name)
        if (call[0] or name not in KEYWORDS) and call not in seen:
            seen.append(call)
    return seen


@functools.lru_cache(maxsize=None)
def package_clause(src):
    m = re.search(r"^package\s+(\w+)", mask(src), re.M)
    return m.group(1) if m else ""


def package_files(path, read):
    """The files of `path`'s package: same directory and package clause; test files only when
    `path` is one (non-test code cannot call them). `read(path)` returns a file's text."""
    directory = os.path.dirname(path)
    want, test = package_clause(read(path)), path.endswith("_test.go")
    names = sorted(n for n in os.listdir(directory) if n.endswith(".go"))
    return [os.path.join(directory, n) for n in names
            if (test or not n.endswith("_test.go"))
            and package_clause(read(os.path.join(directory, n))) == want]
