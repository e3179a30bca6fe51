//! Go types as goaudit knows them without a type checker, and their text form.
//!
//! The text form is Go's, with package-qualified names written by import path:
//! `*net/http.Response`, `map[string][]uint8`, `func(io.Reader) (int64, error)`. It is what the
//! standard-library table and the dependency cache store, and what messages print (shortened).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A type, as far as goaudit can tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ty {
    /// A named type: the import path of its package (empty for predeclared types such as `int`,
    /// `string`, `error`, `any`) and its name.
    Named(Arc<str>, Arc<str>),
    Pointer(Box<Ty>),
    Slice(Box<Ty>),
    Array(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Chan(Box<Ty>),
    Func(Arc<Signature>),
    /// An unnamed struct or interface, or a type parameter: a type exists, its members are
    /// unknown.
    Opaque,
}

thread_local! {
    /// Package paths and type names seen by this thread: a type built from them shares one
    /// allocation per string instead of two new ones per type (types are built per call site).
    static NAMES: std::cell::RefCell<crate::fxhash::HashSet<Arc<str>>> = Default::default();
}

/// The shared copy of `s`.
fn intern(s: &str) -> Arc<str> {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(known) = names.get(s) {
            return known.clone();
        }
        let new: Arc<str> = s.into();
        names.insert(new.clone());
        new
    })
}

/// A function's or method's parameters and results.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Signature {
    pub params: Vec<Ty>,
    /// The last parameter is `...T` (stored as `[]T`).
    pub variadic: bool,
    pub results: Vec<Ty>,
}

impl Signature {
    /// The last result is the predeclared `error`.
    pub fn returns_error(&self) -> bool {
        self.results.last().is_some_and(Ty::is_error)
    }
}

impl Ty {
    /// How deep a type may nest (`int` is 1 deep, `*int` 2). Types from syntax, type text and
    /// the caches stop well before it (their parsers give up at about 30); [`Ty::pointer`] and
    /// [`Ty::slice`], which wrap a type found elsewhere (`p2 := &p1` after `p1 := &p0`), give
    /// `Ty::Opaque` past it. So no type is ever deep enough for its derived recursive `Drop`,
    /// `Clone`, `Hash`, `Eq`, `Display` or serde code to overflow a stack.
    pub const MAX_DEPTH: usize = 64;

    pub fn named(pkg: &str, name: &str) -> Ty {
        Ty::Named(intern(pkg), intern(name))
    }

    /// A predeclared type (`int`, `error`, ...).
    pub fn builtin(name: &str) -> Ty {
        Ty::Named(intern(""), intern(name))
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Named(p, n) if p.is_empty() && &**n == "error")
    }

    /// `*t`, or `Ty::Opaque` when `t` is already [`Ty::MAX_DEPTH`] deep.
    pub fn pointer(t: Ty) -> Ty {
        Ty::wrap(t, |t| Ty::Pointer(Box::new(t)))
    }

    /// `[]t`, or `Ty::Opaque` when `t` is already [`Ty::MAX_DEPTH`] deep.
    pub fn slice(t: Ty) -> Ty {
        Ty::wrap(t, |t| Ty::Slice(Box::new(t)))
    }

    fn wrap(t: Ty, wrap: impl FnOnce(Ty) -> Ty) -> Ty {
        if t.depth() >= Ty::MAX_DEPTH {
            Ty::Opaque
        } else {
            wrap(t)
        }
    }

    /// How deep the type nests: 1 for a name, one more for each pointer, slice, array, map,
    /// channel or function around it. Counted with a stack of its own, not by recursion.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut rest: Vec<(&Ty, usize)> = Vec::new();
        let mut next = Some((self, 1));
        while let Some((t, d)) = next.take().or_else(|| rest.pop()) {
            deepest = deepest.max(d);
            match t {
                Ty::Pointer(e) | Ty::Slice(e) | Ty::Array(e) | Ty::Chan(e) => {
                    next = Some((e, d + 1))
                }
                Ty::Map(key, value) => {
                    rest.push((key, d + 1));
                    next = Some((value, d + 1));
                }
                Ty::Func(sig) => {
                    rest.extend(sig.params.iter().chain(&sig.results).map(|t| (t, d + 1)))
                }
                Ty::Named(..) | Ty::Opaque => {}
            }
        }
        deepest
    }

    /// `*T` → `T`; any other type is itself.
    pub fn strip_pointer(&self) -> &Ty {
        match self {
            Ty::Pointer(t) => t,
            t => t,
        }
    }

    /// The package path and name of `T` or `*T`.
    pub fn named_parts(&self) -> Option<(&str, &str)> {
        match self.strip_pointer() {
            Ty::Named(p, n) => Some((p, n)),
            _ => None,
        }
    }

    /// The type with package paths shortened to package names, as Go prints it in messages.
    pub fn short(&self) -> String {
        let full = self.to_string();
        shorten(&full)
    }

    /// Parses the text form. Unqualified names that are not predeclared belong to `pkg`.
    pub fn parse(text: &str, pkg: &str) -> Ty {
        let mut p = TyParser {
            s: text.as_bytes(),
            i: 0,
            pkg,
            depth: 0,
        };
        p.ty()
    }
}

/// `net/http.Response` → `http.Response` inside any type text.
pub fn shorten(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match word.rfind('/') {
            Some(i) if word[i..].contains('.') => out.push_str(&word[i + 1..]),
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in full.chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '$') {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Go's predeclared type names.
pub fn is_predeclared(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "byte"
            | "complex64"
            | "complex128"
            | "error"
            | "float32"
            | "float64"
            | "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "rune"
            | "string"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "uintptr"
            | "any"
            | "comparable"
    )
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Named(p, n) if p.is_empty() => write!(f, "{n}"),
            Ty::Named(p, n) => write!(f, "{p}.{n}"),
            Ty::Pointer(t) => write!(f, "*{t}"),
            Ty::Slice(t) => write!(f, "[]{t}"),
            Ty::Array(t) => write!(f, "[N]{t}"),
            Ty::Map(k, v) => write!(f, "map[{k}]{v}"),
            Ty::Chan(t) => write!(f, "chan {t}"),
            Ty::Func(s) => write!(f, "func{s}"),
            Ty::Opaque => write!(f, "interface{{}}"),
        }
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(")?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            match (self.variadic && i + 1 == self.params.len(), p) {
                (true, Ty::Slice(e)) => write!(f, "...{e}")?,
                _ => write!(f, "{p}")?,
            }
        }
        write!(f, ")")?;
        match self.results.len() {
            0 => Ok(()),
            1 if !matches!(self.results[0], Ty::Func(_)) => write!(f, " {}", self.results[0]),
            _ => {
                write!(f, " (")?;
                for (i, r) in self.results.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{r}")?;
                }
                write!(f, ")")
            }
        }
    }
}

/// Parses `(params) results` into a signature; unqualified names belong to `pkg`.
pub fn parse_signature(text: &str, pkg: &str) -> Signature {
    let mut p = TyParser {
        s: text.as_bytes(),
        i: 0,
        pkg,
        depth: 0,
    };
    p.signature()
}

/// A recursive-descent parser over type text (short strings, depth-bounded).
struct TyParser<'a> {
    s: &'a [u8],
    i: usize,
    pkg: &'a str,
    depth: usize,
}

const MAX_TYPE_DEPTH: usize = 32;

impl TyParser<'_> {
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        self.skip_ws();
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    fn ty(&mut self) -> Ty {
        self.depth += 1;
        let t = if self.depth > MAX_TYPE_DEPTH {
            self.i = self.s.len();
            Ty::Opaque
        } else {
            self.ty_inner()
        };
        self.depth -= 1;
        t
    }

    fn ty_inner(&mut self) -> Ty {
        if self.eat("*") {
            return Ty::Pointer(Box::new(self.ty()));
        }
        if self.eat("[]") {
            return Ty::Slice(Box::new(self.ty()));
        }
        if self.eat("[") {
            self.skip_until(b']');
            return Ty::Array(Box::new(self.ty()));
        }
        if self.eat("...") {
            return Ty::Slice(Box::new(self.ty()));
        }
        if self.eat("map[") {
            let k = self.ty();
            self.eat("]");
            return Ty::Map(Box::new(k), Box::new(self.ty()));
        }
        if self.eat("<-chan") || self.eat("chan<-") || self.eat("chan") {
            return Ty::Chan(Box::new(self.ty()));
        }
        if self.eat("func") {
            return Ty::Func(Arc::new(self.signature()));
        }
        if self.eat("(") {
            let t = self.ty();
            self.eat(")");
            return t;
        }
        if self.eat("struct") || self.eat("interface") {
            self.skip_braces();
            return Ty::Opaque;
        }
        self.name()
    }

    fn name(&mut self) -> Ty {
        self.skip_ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || b"_./-$~".contains(&self.s[self.i]))
        {
            self.i += 1;
        }
        let word = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        if self.s.get(self.i) == Some(&b'[') {
            self.i += 1;
            self.skip_until(b']');
        }
        if word.is_empty() {
            self.i = self.i.max(start + 1).min(self.s.len());
            return Ty::Opaque;
        }
        if word.starts_with('$') || word.starts_with('~') {
            return Ty::Opaque;
        }
        match word.rfind('.') {
            Some(dot) => Ty::named(&word[..dot], &word[dot + 1..]),
            None if is_predeclared(word) => Ty::builtin(canonical_builtin(word)),
            None => Ty::named(self.pkg, word),
        }
    }

    /// Skips a bracketed run, nested brackets included, up to and past the closing `close`.
    fn skip_until(&mut self, close: u8) {
        let open = if close == b']' { b'[' } else { b'{' };
        let mut depth = 1;
        while self.i < self.s.len() && depth > 0 {
            if self.s[self.i] == open {
                depth += 1;
            } else if self.s[self.i] == close {
                depth -= 1;
            }
            self.i += 1;
        }
    }

    fn skip_braces(&mut self) {
        if self.eat("{") {
            self.skip_until(b'}');
        }
    }

    fn signature(&mut self) -> Signature {
        let mut sig = Signature::default();
        if !self.eat("(") {
            return sig;
        }
        let (params, variadic) = self.list();
        sig.params = params;
        sig.variadic = variadic;
        match self.peek() {
            Some(b'(') => {
                self.eat("(");
                sig.results = self.list().0;
            }
            Some(c) if c != b',' && c != b')' && c != b']' && c != b'}' => {
                sig.results = vec![self.ty()];
            }
            _ => {}
        }
        sig
    }

    /// A parenthesised list after its `(`, through its `)`. Names (`a int`) are dropped.
    fn list(&mut self) -> (Vec<Ty>, bool) {
        let mut out = Vec::new();
        let mut variadic = false;
        loop {
            if self.peek().is_none() || self.eat(")") {
                break;
            }
            variadic = self.peek_str("...");
            let t = self.param();
            out.push(t);
            if !self.eat(",") {
                self.eat(")");
                break;
            }
        }
        (out, variadic)
    }

    fn peek_str(&mut self, lit: &str) -> bool {
        self.skip_ws();
        self.s[self.i..].starts_with(lit.as_bytes())
    }

    /// One parameter: a type, or a name followed by a type.
    fn param(&mut self) -> Ty {
        let save = self.i;
        let first = self.ty();
        if let Some(c) = self.peek() {
            if c != b',' && c != b')' {
                // `name Type`: what was read was the name.
                let _ = save;
                return self.ty();
            }
        }
        first
    }
}

fn canonical_builtin(name: &str) -> &str {
    match name {
        "byte" => "uint8",
        "rune" => "int32",
        n => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_api_files_text_form() {
        let s = parse_signature("(string, net/url.Values) (*Response, error)", "net/http");
        assert_eq!(s.params.len(), 2);
        assert_eq!(
            s.results[0],
            Ty::Pointer(Box::new(Ty::named("net/http", "Response")))
        );
        assert!(s.returns_error());
        let t = Ty::parse("map[string][]string", "x");
        assert_eq!(t.to_string(), "map[string][]string");
        let f = Ty::parse("func(ResponseWriter, *Request)", "net/http");
        assert!(matches!(f, Ty::Func(ref s) if s.params.len() == 2 && s.results.is_empty()));
        let v = parse_signature("(string, ...interface{}) error", "fmt");
        assert!(v.variadic && v.returns_error());
        let g = parse_signature("(iter.Seq[$0]) []$0", "slices");
        assert_eq!(g.results[0], Ty::Slice(Box::new(Ty::Opaque)));
        let named = parse_signature("(ctx context.Context, n int) (x []byte, err error)", "p");
        assert_eq!(named.params.len(), 2);
        assert_eq!(named.results[0], Ty::Slice(Box::new(Ty::builtin("uint8"))));
    }

    #[test]
    fn a_pointer_to_a_type_at_the_depth_limit_is_opaque() {
        let mut t = Ty::builtin("int");
        for _ in 0..10_000 {
            t = Ty::pointer(t);
            assert!(t.depth() <= Ty::MAX_DEPTH);
        }
        let mut t = Ty::builtin("int");
        for _ in 1..Ty::MAX_DEPTH {
            t = Ty::slice(t);
        }
        assert_eq!(t.depth(), Ty::MAX_DEPTH);
        assert_eq!(Ty::pointer(t), Ty::Opaque);
        let f = Ty::parse("func(map[string][]int) (*T, error)", "p");
        assert_eq!(f.depth(), 4);
    }

    #[test]
    fn shortens_paths_for_messages() {
        let t = Ty::parse("*net/http.Response", "");
        assert_eq!(t.short(), "*http.Response");
        assert_eq!(
            shorten("(*gopkg.in/yaml.v3.Node).Decode"),
            "(*yaml.v3.Node).Decode"
        );
    }
}
