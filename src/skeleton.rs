//! Skeletons of the packages a shard reads only for their facts.
//!
//! A shard parses the packages its share imports to learn their declarations and their taint
//! summaries. Declarations live outside function bodies, and the taint analysis reads a summary
//! only through a call with arguments (as its own second pass assumes): `pkg.F(x)` reads `F` of
//! the package `pkg` names, `F(x)` the file's own package's `F`, `x.M(y)` some method `M` of the
//! caller's package or, if `M` is exported, of a package it reaches through its imports. A
//! summary another package reads is its body's second pass, which reads the first-pass
//! summaries of the own package's functions it calls; a first pass reads no summary of its own
//! package. So a body is needed only if a call of the share, or of a needed body, may reach it
//! that way (`needed_bodies`; an import name the file also uses as a variable counts both ways;
//! a dot import makes `F(x)` any package's), or if it calls a decoder (the decoded types are a
//! package-wide fact of the analysis). The other bodies are emptied before parsing, with the
//! comments after the `package` clause and long literal data of package-level values; every
//! newline is kept, so every line keeps its number, and the summaries a needed call reads are
//! the full run's.
//!
//! Function declarations and calls are found by a small lexer (comments, strings, runes and raw
//! strings skipped; Go's semicolon rule for where a declaration starts and whether it has a
//! body), not by a parse: the point is not to parse what is emptied.

use crate::discover::Discovery;
use crate::fxhash::{HashMap, HashSet};
use crate::schedule::Before;
use crate::schedule::Role;
use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::Range;

/// A top-level function or method declaration with a body.
#[derive(Debug, PartialEq)]
pub struct FuncBody<'s> {
    /// The function's or the method's name.
    pub name: &'s str,
    /// A method (it has a receiver).
    pub method: bool,
    /// The bytes between the body's braces.
    pub body: Range<usize>,
}

/// Per package, the names of the functions whose bodies a shard empties (sorted): those of the
/// packages it reads for their facts (`Role::Facts`) whose bodies nothing it needs may call.
/// With `taint` false no rule reads a body of those packages, and every name is listed.
pub fn emptied_bodies(
    found: &Discovery,
    roles: &[Role],
    through_deps: &[Vec<usize>],
    taint: bool,
) -> Vec<Vec<String>> {
    let facts = texts(found, |i| roles[i] == Role::Facts, false);
    let names = package_names(roles.len(), &facts);
    let by_path = found.by_import_path();
    let bodies: Vec<Body> = facts
        .par_iter()
        .flat_map_iter(|(pkg, text)| {
            let scope = FileScope::new(text, *pkg, &by_path, &names);
            function_bodies(text).into_iter().map(move |f| Body {
                pkg: *pkg,
                name: f.name,
                method: f.method,
                calls: calls_in(text, f.body, &scope),
            })
        })
        .collect();
    let need = match taint && !bodies.is_empty() {
        true => {
            let reach = Reach::new(found, roles, through_deps);
            // Only a package that sees a package read for its facts may call into one.
            let mut facts = vec![0u64; roles.len().div_ceil(64)];
            for i in (0..roles.len()).filter(|&i| roles[i] == Role::Facts) {
                facts[i / 64] |= 1 << (i % 64);
            }
            let calls_in_facts = |i: usize| roles[i] == Role::Report && reach.sees_any(i, &facts);
            let share = texts(found, calls_in_facts, true);
            let calls: Vec<(usize, Call)> = share
                .par_iter()
                .flat_map_iter(|(pkg, text)| {
                    let scope = FileScope::new(text, *pkg, &by_path, &names);
                    let calls = calls_in(text, 0..text.len(), &scope);
                    calls.into_iter().map(|c| (*pkg, c))
                })
                .collect();
            needed_bodies(&bodies, calls, &reach)
        }
        false => vec![Need::Nothing; bodies.len()],
    };
    let mut keep: HashSet<(usize, &str)> = HashSet::default();
    for (b, _) in bodies.iter().zip(&need).filter(|(_, &n)| n > Need::Nothing) {
        keep.insert((b.pkg, b.name));
    }
    let mut out = vec![Vec::new(); roles.len()];
    for b in bodies.iter().filter(|b| !keep.contains(&(b.pkg, b.name))) {
        out[b.pkg].push(b.name.to_string());
    }
    for names in &mut out {
        names.sort_unstable();
        names.dedup();
    }
    out
}

/// A body of a package read for its facts, and the calls in it.
struct Body<'s> {
    pkg: usize,
    name: &'s str,
    method: bool,
    calls: Vec<Call<'s>>,
}

/// A call, as far as its text tells what it calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Call<'s> {
    /// `F(x)` in package P, or `p.F(x)` where `p` is the import name of P: P's function F.
    Func(usize, &'s str),
    /// `x.M(y)`: a method M of any type.
    Method(&'s str),
    /// `F(x)` in a file with a dot import: a function F of any package.
    AnyFunc(&'s str),
    /// `p.F(x)` where `p` imports a package outside the tree, whose bodies are never emptied
    /// (`json.Unmarshal(b, &v)`: a decoder).
    Outside(&'s str),
}

impl<'s> Call<'s> {
    fn name(&self) -> &'s str {
        match *self {
            Call::Func(_, n) | Call::Method(n) | Call::AnyFunc(n) | Call::Outside(n) => n,
        }
    }

    /// The call may reach a function or method of package `pkg`.
    fn is_local_to(&self, pkg: usize) -> bool {
        match *self {
            Call::Func(p, _) => p == pkg,
            Call::Method(_) | Call::AnyFunc(_) => true,
            Call::Outside(_) => false,
        }
    }
}

/// Which bodies the share's calls need, and how far: a body whose summary another package
/// reads (`Need::Exported`) is analysed with its package's first-pass summaries of the own
/// functions it calls (`Need::FirstPass`), and a first-pass body reads no summary of its own
/// package, only other packages' (`taint::analyse`). So a call into another package needs the
/// callee exported, a call inside the package from an exported body needs the callee's first
/// pass, and a call inside the package from a first-pass body needs nothing. A body that calls
/// a decoder (`taint::DECODERS`) is kept for the package-wide decoded types, needing nothing.
///
/// A method call `x.M(y)` may reach the methods `M` of the caller's package and of the packages
/// it reaches through its imports (`Reach`): the type of `x` is declared in one of those.
fn needed_bodies(bodies: &[Body], share: Vec<(usize, Call)>, reach: &Reach) -> Vec<Need> {
    let mut funcs: HashMap<(usize, &str), Vec<usize>> = HashMap::default();
    let mut by_name: HashMap<(bool, &str), Vec<usize>> = HashMap::default();
    for (i, b) in bodies.iter().enumerate() {
        if !b.method {
            funcs.entry((b.pkg, b.name)).or_default().push(i);
        }
        by_name.entry((b.method, b.name)).or_default().push(i);
    }
    let mut need = vec![Need::Nothing; bodies.len()];
    let decodes = |c: &Call| crate::analysis::taint::DECODERS.contains(&c.name());
    for (i, b) in bodies.iter().enumerate() {
        if b.calls.iter().any(decodes) {
            need[i] = Need::Decodes;
        }
    }
    // (the caller's package; whether its summary is exported, as the share's calls count; call)
    let mut work: Vec<(usize, bool, Call)> = share.into_iter().map(|(p, c)| (p, true, c)).collect();
    let none = Vec::new();
    while let Some((from, exported, call)) = work.pop() {
        let callees = match call {
            Call::Func(pkg, name) => funcs.get(&(pkg, name)),
            Call::Method(name) => by_name.get(&(true, name)),
            Call::AnyFunc(name) => by_name.get(&(false, name)),
            Call::Outside(_) => None,
        };
        for &i in callees.unwrap_or(&none) {
            let b = &bodies[i];
            if b.pkg != from && !(reach.sees(from, b.pkg) && exported_name(b.name)) {
                continue;
            }
            if !b.method && b.name == "init" {
                continue; // never called
            }
            let wanted = match (b.pkg == from, exported) {
                (false, _) => Need::Exported,
                (true, true) => Need::FirstPass,
                (true, false) => continue,
            };
            if need[i] >= wanted {
                continue;
            }
            // A first-pass body's calls into other packages were followed already; an exported
            // body's calls inside the package are new.
            let followed = need[i] == Need::FirstPass;
            need[i] = wanted;
            let again = |c: &&Call| !followed || c.is_local_to(b.pkg);
            let exported = wanted == Need::Exported;
            work.extend(b.calls.iter().filter(again).map(|&c| (b.pkg, exported, c)));
        }
    }
    need
}

/// A name other packages may use: an unexported method of another package is not reachable,
/// whatever the receiver's type.
fn exported_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// Which packages each package's code may see (`schedule::Before`): a superset of what
/// `index::Visible` shows it, so of where the types of its values are declared.
pub struct Reach {
    /// Per package (those not skipped), a bit per package.
    sees: Vec<Vec<u64>>,
}

impl Reach {
    pub fn new(found: &Discovery, roles: &[Role], through_deps: &[Vec<usize>]) -> Reach {
        let words = roles.len().div_ceil(64);
        let sees = (0..roles.len())
            .into_par_iter()
            .map_init(
                || Before::new(found, through_deps),
                |before, i| {
                    let mut bits = vec![0u64; words];
                    if roles[i] != Role::Skip {
                        before.walk(i, |d| bits[d / 64] |= 1 << (d % 64));
                    }
                    bits
                },
            )
            .collect();
        Reach { sees }
    }

    /// Package `from`'s code may see one of the packages set in `bits`.
    pub fn sees_any(&self, from: usize, bits: &[u64]) -> bool {
        self.sees[from].iter().zip(bits).any(|(a, b)| a & b != 0)
    }

    /// Package `from`'s code may see package `to`'s declarations.
    pub fn sees(&self, from: usize, to: usize) -> bool {
        self.sees[from]
            .get(to / 64)
            .is_some_and(|w| w & (1 << (to % 64)) != 0)
    }
}

/// How much of a body the shard needs, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// Nothing: the body is emptied.
    Nothing,
    /// Its text, for the decoded types, but no summary.
    Decodes,
    /// Its first-pass summary, read by an exported body of its own package.
    FirstPass,
    /// Its summary as other packages read it.
    Exported,
}

/// What a file's import names stand for.
struct FileScope<'s> {
    pkg: usize,
    /// Import name → the package's index, `None` for a package outside the tree.
    imports: HashMap<Cow<'s, str>, Option<usize>>,
    /// Import names the file also uses as something else (a variable that shadows them).
    shadowed: HashSet<&'s str>,
    /// The file has a dot import.
    dot: bool,
}

impl<'s> FileScope<'s> {
    fn new(
        text: &'s str,
        pkg: usize,
        by_path: &HashMap<&str, usize>,
        names: &'s [Vec<String>],
    ) -> FileScope<'s> {
        let mut lx = Lexer::new(text.as_bytes());
        let mut scope = FileScope {
            pkg,
            imports: HashMap::default(),
            shadowed: HashSet::default(),
            dot: false,
        };
        for (alias, path) in import_specs(&mut lx, text) {
            let index = by_path.get(path).copied();
            match (alias, index) {
                (Some("_"), _) => {}
                (Some("."), _) => scope.dot = true,
                (Some(alias), _) => {
                    scope.imports.insert(Cow::Borrowed(alias), index);
                }
                // Every name its files declare (a generator's `package main` among them); none
                // for a package the shard audits, whose bodies are all kept anyway.
                (None, Some(i)) => {
                    for name in &names[i] {
                        scope.imports.insert(Cow::Borrowed(name), index);
                    }
                }
                // Outside the tree: none of its bodies is emptied, and a guess that misses only
                // makes its calls count as method calls.
                (None, None) => {
                    let guess = crate::index::extract::guess_package_name(path);
                    scope.imports.insert(Cow::Owned(guess), None);
                }
            }
        }
        let b = text.as_bytes();
        while let Some((tok, start, end)) = lx.next() {
            let name = &text[start..end];
            if tok == Tok::Ident
                && scope.imports.contains_key(name)
                && b.get(end) != Some(&b'.')
                && (start == 0 || b[start - 1] != b'.')
            {
                scope.shadowed.insert(name);
            }
        }
        scope
    }

    /// What `recv.name(` or, without `recv`, `name(` may call.
    fn call(&self, recv: Option<&'s str>, name: &'s str, out: &mut Vec<Call<'s>>) {
        let Some(recv) = recv else {
            out.push(Call::Func(self.pkg, name));
            if self.dot {
                out.push(Call::AnyFunc(name));
            }
            return;
        };
        match self.imports.get(recv) {
            Some(index) => {
                match index {
                    Some(i) => out.push(Call::Func(*i, name)),
                    None => out.push(Call::Outside(name)),
                }
                if self.shadowed.contains(recv) {
                    out.push(Call::Method(name));
                }
            }
            None => out.push(Call::Method(name)),
        }
    }
}

/// The import specs after the package clause: (the name given, if any; the import path). The
/// lexer is left after them.
fn import_specs<'s>(lx: &mut Lexer, text: &'s str) -> Vec<(Option<&'s str>, &'s str)> {
    let mut out = Vec::new();
    while let Some((tok, start, end)) = lx.next() {
        if tok == Tok::Ident && &text[start..end] == "package" {
            lx.next();
            break;
        }
    }
    loop {
        let mark = lx.mark();
        match lx.next() {
            Some((Tok::Semi, _, _)) => continue,
            Some((Tok::Ident, start, end)) if &text[start..end] == "import" => {}
            _ => {
                lx.reset(mark);
                return out;
            }
        }
        match lx.next() {
            Some((Tok::Open(b'('), _, _)) => {
                while let Some(spec) = import_spec(lx, text) {
                    out.extend(spec);
                }
            }
            Some((_, start, _)) => {
                lx.at = start;
                out.extend(import_spec(lx, text).flatten());
            }
            None => return out,
        }
    }
}

/// One spec of an import list: `Some(None)` for a separator, `None` at the list's end.
type Spec<'s> = Option<(Option<&'s str>, &'s str)>;

fn import_spec<'s>(lx: &mut Lexer, text: &'s str) -> Option<Spec<'s>> {
    let path = |start: usize, end: usize| text.get(start + 1..end.saturating_sub(1));
    match lx.next()? {
        (Tok::Close, _, _) => None,
        (Tok::Literal, start, end) => Some(path(start, end).map(|p| (None, p))),
        (Tok::Ident | Tok::Other, start, end) => {
            let alias = &text[start..end];
            match lx.next()? {
                (Tok::Literal, s, e) => Some(path(s, e).map(|p| (Some(alias), p))),
                _ => Some(None),
            }
        }
        _ => Some(None),
    }
}

/// The calls in a range of a file: `name(` or `name[`, after `recv.` or not. A call without
/// arguments, `name()`, is left out: the analysis reads a summary only for what it says of the
/// arguments passed (a function without parameters has an empty summary), and whether there
/// is a summary at all does not depend on the body.
fn calls_in<'s>(text: &'s str, range: Range<usize>, scope: &FileScope<'s>) -> Vec<Call<'s>> {
    let b = text.as_bytes();
    let mut lx = Lexer::new(&b[..range.end]);
    lx.at = range.start;
    let mut out = Vec::new();
    // The last three tokens, the latest first.
    let mut last: [(Tok, usize, usize); 3] = [(Tok::Semi, 0, 0); 3];
    let is_dot = |t: (Tok, usize, usize)| t.0 == Tok::Other && b[t.1] == b'.';
    while let Some((tok, start, end)) = lx.next() {
        if matches!(tok, Tok::Open(b'(' | b'[')) && last[0].0 == Tok::Ident && !lx.no_arguments(tok)
        {
            let name = &text[last[0].1..last[0].2];
            let (_, rs, re) = last[2];
            if !is_dot(last[1]) {
                scope.call(None, name, &mut out);
            } else if last[2].0 == Tok::Ident && (rs == 0 || b[rs - 1] != b'.') {
                scope.call(Some(&text[rs..re]), name, &mut out);
            } else {
                // `f().M(`, `a.b.M(`: a method.
                out.push(Call::Method(name));
            }
        }
        last = [(tok, start, end), last[0], last[1]];
    }
    out
}

/// The names each package's files declare in their `package` clauses.
fn package_names(packages: usize, texts: &[(usize, String)]) -> Vec<Vec<String>> {
    let mut names: Vec<Vec<String>> = vec![Vec::new(); packages];
    for (pkg, text) in texts {
        let mut lx = Lexer::new(text.as_bytes());
        while let Some((tok, start, end)) = lx.next() {
            if tok == Tok::Ident && &text[start..end] == "package" {
                if let Some((Tok::Ident, s, e)) = lx.next() {
                    if !names[*pkg].iter().any(|n| n == &text[s..e]) {
                        names[*pkg].push(text[s..e].to_string());
                    }
                }
                break;
            }
        }
    }
    names
}

/// The texts of the files of the packages `read` takes (test files too if `tests`), with their
/// package's index; unreadable files are left out.
fn texts(found: &Discovery, read: impl Fn(usize) -> bool, tests: bool) -> Vec<(usize, String)> {
    let files: Vec<(usize, &std::path::PathBuf)> = (0..found.packages.len())
        .filter(|&i| read(i))
        .flat_map(|i| found.packages[i].files.iter().map(move |f| (i, f)))
        .filter(|(_, f)| tests || !crate::source::is_test_path(&f.to_string_lossy()))
        .collect();
    files
        .par_iter()
        .filter_map(|(i, f)| Some((*i, crate::source::read_text(f).ok()?)))
        .collect()
}

/// The skeletons of a package's files for its facts: in each, the bodies of the functions
/// `empty` names emptied, the comments after the `package` clause dropped (those before it,
/// build constraints and the generated-code header, kept), long literal data of package-level
/// values dropped, and so are the constants no other part of the package names (`Constant`);
/// every newline kept, so that every line keeps its number.
pub fn skeletons(texts: &[&str], empty: impl Fn(&str) -> bool + Sync) -> Vec<String> {
    let scanned: Vec<(Vec<Range<usize>>, Vec<Constant>)> = texts
        .par_iter()
        .map(|text| {
            let (bodies, mut cuts) = scan(text);
            let bodies = bodies.into_iter().filter(|f| empty(f.name)).map(|f| f.body);
            cuts.extend(bodies);
            (cuts, constants(text))
        })
        .collect();
    let named: HashSet<&str> = texts
        .par_iter()
        .zip(&scanned)
        .flat_map_iter(|(text, (cuts, constants))| {
            let consts = constants.iter().map(|c| c.spec.clone());
            identifiers(text, merged(cuts.iter().cloned().chain(consts)))
        })
        .collect();
    texts
        .par_iter()
        .zip(scanned)
        .map(|(text, (cuts, constants))| {
            let unnamed = constants
                .into_iter()
                .filter(|c| !named.contains(&text[c.name.clone()]))
                .map(|c| c.spec);
            cut(text, merged(cuts.into_iter().chain(unnamed)))
        })
        .collect()
}

/// The ranges in order, those inside an earlier one (a comment in an emptied body) left out.
fn merged(ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut all: Vec<Range<usize>> = ranges.collect();
    all.sort_unstable_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(all.len());
    for r in all {
        if out.last().is_none_or(|last| r.start >= last.end) {
            out.push(r);
        }
    }
    out
}

/// The text with each cut replaced by a space (so that the tokens on either side stay apart)
/// and the newlines it held.
fn cut(text: &str, cuts: Vec<Range<usize>>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for cut in cuts {
        out.push_str(&text[from..cut.start]);
        out.push(' ');
        let newlines = text[cut.clone()].bytes().filter(|&b| b == b'\n').count();
        out.extend(std::iter::repeat_n('\n', newlines));
        from = cut.end;
    }
    out.push_str(&text[from..]);
    out
}

/// The identifiers of a text outside the cuts (in order, apart).
fn identifiers(text: &str, cuts: Vec<Range<usize>>) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lx = Lexer::new(text.as_bytes());
    let mut cuts = cuts.into_iter().peekable();
    while let Some((tok, start, end)) = lx.next() {
        while cuts.peek().is_some_and(|c| c.end <= start) {
            cuts.next();
        }
        if cuts.peek().is_some_and(|c| c.start <= start) {
            lx.at = lx.at.max(cuts.peek().map_or(end, |c| c.end));
            continue;
        }
        if tok == Tok::Ident && !text.as_bytes()[start].is_ascii_digit() {
            out.push(&text[start..end]);
        }
    }
    out
}

/// A constant spec of a package-level `const ( ... )` group that a skeleton may drop: one
/// name, no type, one literal value (`EINVAL = 0x16`, `name = "x"`), and the next spec of the
/// group, if any, has its own value (it does not repeat this one's). Such a constant is untyped,
/// so not a fact of the package (`extract::file_facts` keeps typed values only); only a use
/// in the package (a kept body, a value that names it) could read it.
struct Constant {
    /// The spec, name to value.
    spec: Range<usize>,
    name: Range<usize>,
}

/// The constants of a file a skeleton may drop.
fn constants(text: &str) -> Vec<Constant> {
    let b = text.as_bytes();
    let mut lx = Lexer::new(b);
    let mut out = Vec::new();
    let mut depth = 0usize;
    while let Some((tok, start, end)) = lx.next() {
        match tok {
            Tok::Open(_) => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Ident if depth == 0 && &text[start..end] == "const" => {
                let mark = lx.mark();
                match lx.next() {
                    Some((Tok::Open(b'('), _, _)) => out.extend(const_group(&mut lx, b)),
                    _ => lx.reset(mark),
                }
            }
            _ => {}
        }
    }
    out
}

/// The droppable specs of a `const (` group, the lexer after its `(`; it is left after `)`.
fn const_group(lx: &mut Lexer, b: &[u8]) -> Vec<Constant> {
    // Each spec's tokens at the group's level: (kind, start, end).
    let mut specs: Vec<Vec<(Tok, usize, usize)>> = Vec::new();
    let mut depth = 0usize;
    let mut fresh = true;
    while let Some((tok, start, end)) = lx.next() {
        if depth == 0 && (fresh || lx.newline) && tok != Tok::Close && tok != Tok::Semi {
            specs.push(Vec::new());
        }
        fresh = tok == Tok::Semi;
        match tok {
            Tok::Open(_) => depth += 1,
            Tok::Close if depth == 0 => break,
            Tok::Close => depth -= 1,
            _ => {}
        }
        if let Some(spec) = specs.last_mut() {
            spec.push((tok, start, end));
        }
    }
    let is = |t: &(Tok, usize, usize), c: u8| t.0 == Tok::Other && b[t.1] == c;
    let has_value = |spec: &[(Tok, usize, usize)]| spec.iter().any(|t| is(t, b'='));
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let tokens: Vec<_> = spec.iter().filter(|t| t.0 != Tok::Semi).collect();
        let value = match tokens.as_slice() {
            [name, eq, v] if is(eq, b'=') => Some((name, v)),
            [name, eq, sign, v] if is(eq, b'=') && (is(sign, b'-') || is(sign, b'+')) => {
                Some((name, v))
            }
            _ => None,
        };
        let Some((name, v)) = value else { continue };
        let literal = v.0 == Tok::Literal || (v.0 == Tok::Ident && b[v.1].is_ascii_digit());
        let next_has_value = specs.get(i + 1).is_none_or(|n| has_value(n));
        if name.0 == Tok::Ident && literal && next_has_value {
            out.push(Constant {
                spec: name.1..v.2,
                name: name.1..name.2,
            });
        }
    }
    out
}

/// The bodies of the file's top-level function and method declarations, in order.
pub fn function_bodies(text: &str) -> Vec<FuncBody<'_>> {
    scan(text).0
}

/// Literal data longer than this, in a package-level `var` or `const`, is dropped from a
/// skeleton: tables and blobs (`time/tzdata`'s zip file, `unicode`'s ranges) whose values no fact
/// holds (a variable's fact is its type).
const DATA_BYTES: usize = 1024;

/// The bodies of the top-level functions; the comments after the `package` clause and the long
/// literal data of package-level values (what a skeleton drops), in order.
fn scan(text: &str) -> (Vec<FuncBody<'_>>, Vec<Range<usize>>) {
    let mut lx = Lexer::new(text.as_bytes());
    let (mut depth, mut values, mut word) = (0usize, false, "");
    let mut prev: Option<Tok> = None;
    let (mut out, mut data) = (Vec::new(), Vec::new());
    while let Some((tok, start, end)) = lx.next() {
        let this = &text[start..end];
        if prev.is_none() && tok == Tok::Ident && this == "package" {
            lx.comments = Some(Vec::new());
        }
        if depth == 0 && tok == Tok::Ident {
            match this {
                "var" | "const" => values = true,
                "type" | "import" | "func" => values = false,
                _ => {}
            }
        }
        let starts_declaration = depth == 0
            && tok == Tok::Ident
            && this == "func"
            && match prev {
                None | Some(Tok::Semi) => true,
                Some(p) => lx.newline && ends_statement(p),
            };
        if starts_declaration {
            let mark = lx.mark();
            if let Some(f) = declaration(&mut lx, text) {
                out.push(f);
                prev = Some(Tok::Close);
                continue;
            }
            lx.reset(mark);
        }
        match tok {
            // A composite literal's elements or a function literal's body, in a value.
            Tok::Open(b'{') if values && !matches!(word, "struct" | "interface") => {
                let Some(close) = lx.close_group() else { break };
                if close - end > DATA_BYTES {
                    data.push(end..close);
                }
            }
            Tok::Literal if values && end - start > DATA_BYTES && this.starts_with(['"', '`']) => {
                data.push(start + 1..end - 1);
            }
            Tok::Open(_) => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        if tok == Tok::Ident {
            word = this;
        }
        prev = Some(tok);
    }
    let mut cuts = lx.comments.unwrap_or_default();
    cuts.append(&mut data);
    (out, cuts)
}

/// After `func`: the name, the signature and the body's braces; `None` for a declaration
/// without a body (implemented in assembly) or for what is not a declaration.
fn declaration<'s>(lx: &mut Lexer, text: &'s str) -> Option<FuncBody<'s>> {
    let (mut tok, mut start, mut end) = lx.next()?;
    let method = tok == Tok::Open(b'(');
    if method {
        // The receiver.
        lx.close_group()?;
        (tok, start, end) = lx.next()?;
    }
    if tok != Tok::Ident {
        return None;
    }
    let name = &text[start..end];
    let (mut depth, mut type_body, mut prev) = (0usize, false, Tok::Ident);
    loop {
        let (tok, start, end) = lx.next()?;
        if depth == 0 && lx.newline && ends_statement(prev) {
            return None;
        }
        match tok {
            Tok::Open(b'{') if depth == 0 && !type_body => {
                let close = lx.close_group()?;
                return Some(FuncBody {
                    name,
                    method,
                    body: end..close,
                });
            }
            // A struct or interface type's braces, in the signature.
            Tok::Open(b'{') => {
                lx.close_group()?;
                type_body = false;
            }
            Tok::Open(_) => depth += 1,
            Tok::Close => depth = depth.checked_sub(1)?,
            Tok::Ident if matches!(&text[start..end], "struct" | "interface") => type_body = true,
            Tok::Semi if depth == 0 => return None,
            _ => {}
        }
        prev = tok;
    }
}

/// Whether a newline after this token ends the statement (Go's semicolon rule, for the tokens
/// that matter here).
fn ends_statement(t: Tok) -> bool {
    matches!(t, Tok::Ident | Tok::Literal | Tok::Close)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Ident,
    Literal,
    Open(u8),
    Close,
    Semi,
    Other,
}

struct Lexer<'s> {
    b: &'s [u8],
    at: usize,
    /// A newline (or a comment holding one) came before the last token.
    newline: bool,
    /// The comments met, once asked for.
    comments: Option<Vec<Range<usize>>>,
}

impl<'s> Lexer<'s> {
    fn new(b: &'s [u8]) -> Lexer<'s> {
        Lexer {
            b,
            at: 0,
            newline: false,
            comments: None,
        }
    }

    /// Where the lexer is, to come back to.
    fn mark(&self) -> (usize, usize) {
        (self.at, self.comments.as_ref().map_or(0, Vec::len))
    }

    fn reset(&mut self, (at, comments): (usize, usize)) {
        self.at = at;
        if let Some(c) = &mut self.comments {
            c.truncate(comments);
        }
    }

    fn comment(&mut self, start: usize, end: usize) {
        if let Some(c) = &mut self.comments {
            c.push(start..end);
        }
    }

    /// The next token and its byte range.
    fn next(&mut self) -> Option<(Tok, usize, usize)> {
        self.newline = false;
        self.skip_space();
        let start = self.at;
        let c = *self.b.get(start)?;
        self.at += 1;
        let tok = match c {
            b'"' | b'\'' => {
                self.skip_quoted(c);
                Tok::Literal
            }
            b'`' => {
                self.at = find(self.b, self.at, b"`").map_or(self.b.len(), |p| p + 1);
                Tok::Literal
            }
            b'(' | b'[' | b'{' => Tok::Open(c),
            b')' | b']' | b'}' => Tok::Close,
            b';' => Tok::Semi,
            c if is_ident(c) => {
                while self.b.get(self.at).is_some_and(|&c| is_ident(c)) {
                    self.at += 1;
                }
                Tok::Ident
            }
            _ => Tok::Other,
        };
        Some((tok, start, self.at))
    }

    /// After `(`: the next token is `)`.
    fn no_arguments(&mut self, open: Tok) -> bool {
        if open != Tok::Open(b'(') {
            return false;
        }
        let mark = self.mark();
        let next = self.next();
        self.reset(mark);
        next.is_some_and(|(t, start, _)| t == Tok::Close && self.b[start] == b')')
    }

    fn skip_space(&mut self) {
        while let Some(&c) = self.b.get(self.at) {
            match (c, self.b.get(self.at + 1)) {
                (b'\n', _) => {
                    self.newline = true;
                    self.at += 1;
                }
                (b' ' | b'\t' | b'\r', _) => self.at += 1,
                (b'/', Some(b'/')) => {
                    let end = find(self.b, self.at, b"\n").unwrap_or(self.b.len());
                    self.comment(self.at, end);
                    self.at = end;
                }
                (b'/', Some(b'*')) => {
                    let end = find(self.b, self.at + 2, b"*/").map_or(self.b.len(), |p| p + 2);
                    self.newline |= self.b[self.at..end].contains(&b'\n');
                    self.comment(self.at, end);
                    self.at = end;
                }
                _ => return,
            }
        }
    }

    /// Past a string or rune literal whose opening quote was read; a newline ends a broken one.
    fn skip_quoted(&mut self, quote: u8) {
        while let Some(p) = memchr::memchr3(quote, b'\\', b'\n', &self.b[self.at..]) {
            let at = self.at + p;
            match self.b[at] {
                b'\\' => self.at = (at + 2).min(self.b.len()),
                b'\n' => {
                    self.at = at;
                    return;
                }
                _ => {
                    self.at = at + 1;
                    return;
                }
            }
        }
        self.at = self.b.len();
    }

    /// After an opening bracket: past its closing one, whose offset is returned.
    fn close_group(&mut self) -> Option<usize> {
        let mut depth = 1usize;
        loop {
            let (tok, start, _) = self.next()?;
            match tok {
                Tok::Open(_) => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(start);
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || !c.is_ascii()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = b.get(from..)?;
    match needle {
        [c] => memchr::memchr(*c, rest),
        _ => memchr::memmem::find(rest, needle),
    }
    .map(|p| from + p)
}

/// Loads a package's files (path, relative path) as skeletons, with the bodies of the
/// functions `empty` names emptied (`skeleton::skeletons`): for the facts of their
/// declarations, not for their audit.
pub fn load(
    files: &[(&std::path::Path, String)],
    empty: impl Fn(&str) -> bool + Sync,
    overlay: Option<&crate::source::Overlay>,
) -> Vec<crate::source::SourceFile> {
    use rayon::prelude::*;
    let texts: Vec<Result<String, String>> = files
        .par_iter()
        .map(|(path, _)| crate::source::read_text_over(path, overlay))
        .collect();
    let readable: Vec<&str> = texts.iter().filter_map(|t| t.as_deref().ok()).collect();
    let mut skeletons = skeletons(&readable, empty).into_iter();
    let loaded: Vec<Result<String, String>> = texts
        .into_iter()
        .map(|t| t.map(|_| skeletons.next().expect("one skeleton a text")))
        .collect();
    files
        .par_iter()
        .zip(loaded)
        .map(|((path, rel), text)| match text {
            Ok(text) => crate::source::SourceFile::parse(path.to_path_buf(), rel.clone(), text),
            Err(message) => crate::source::SourceFile::unreadable(path, rel.clone(), message),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skeleton of a package of one file.
    fn skeleton(text: &str, empty: impl Fn(&str) -> bool + Sync) -> String {
        skeletons(&[text], empty).remove(0)
    }

    fn names(text: &str) -> Vec<(&str, &str)> {
        function_bodies(text)
            .into_iter()
            .map(|f| (f.name, text[f.body].trim()))
            .collect()
    }

    #[test]
    fn finds_functions_methods_and_generics() {
        let src = "package p\n\nimport \"fmt\"\n\nfunc A() { fmt.Println(\"}\") }\n\n\
                   func (r *T) B(x int) (int, error) {\n\treturn x, nil\n}\n\n\
                   func C[T interface{ ~int }](x T) struct{ a T } { return struct{ a T }{x} }\n";
        assert_eq!(
            names(src),
            [
                ("A", "fmt.Println(\"}\")"),
                ("B", "return x, nil"),
                ("C", "return struct{ a T }{x}")
            ]
        );
    }

    #[test]
    fn skips_literals_comments_and_declarations_without_a_body() {
        let src = "package p\n\nvar f = func() { g() }\n\n// func X() { }\n\
                   func asm(x int) int\n\nfunc D() interface{ M() } {\n\ts := `}{`\n\tr := '}'\n\
                   \t/* } */\n\treturn nil\n}\n\nvar (\n\tg = 1\n)\nfunc E() {}\n";
        let found = names(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "D");
        assert_eq!(found[1], ("E", ""));
    }

    #[test]
    fn emptying_keeps_every_line_and_the_other_bodies() {
        let src = "package p\n\nfunc A() {\n\ta()\n\tb()\n}\n\nfunc B() { c() }\n";
        let out = skeleton(src, |n| n == "A");
        assert_eq!(out, "package p\n\nfunc A() { \n\n\n}\n\nfunc B() { c() }\n");
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn drops_comments_after_the_package_clause() {
        let src = "// Code generated by x. DO NOT EDIT.\n\n//go:build linux\n\npackage p\n\n\
                   // A does.\nfunc A(x int/* the x */, y int) {\n\ta() // calls\n}\n\
                   var s = \"// not a comment\" /* two\nlines */\n";
        let out = skeleton(src, |_| false);
        assert_eq!(
            out,
            "// Code generated by x. DO NOT EDIT.\n\n//go:build linux\n\npackage p\n\n \n\
             func A(x int , y int) {\n\ta()  \n}\nvar s = \"// not a comment\"  \n\n"
        );
        assert!(crate::source::is_generated(&out));
    }

    #[test]
    fn drops_long_data_of_package_level_values_only() {
        let long = "1, ".repeat(400);
        let src = format!(
            "package p\n\nvar table = [...]uint8{{{long}}}\nvar short = []int{{1, 2}}\n\
             const blob = \"{long}\"\ntype T struct {{\n\ta int\n}}\nvar v struct{{ a int }}\n"
        );
        let out = skeleton(&src, |_| false);
        assert_eq!(
            out,
            "package p\n\nvar table = [...]uint8{ }\nvar short = []int{1, 2}\n\
             const blob = \" \"\ntype T struct {\n\ta int\n}\nvar v struct{ a int }\n"
        );
    }

    /// Bodies of packages 0 and 1: (package, name, calls).
    fn bodies<'s>(list: &[(usize, &'s str, Vec<Call<'s>>)]) -> Vec<Body<'s>> {
        list.iter()
            .map(|(pkg, name, calls)| Body {
                pkg: *pkg,
                name,
                method: false,
                calls: calls.clone(),
            })
            .collect()
    }

    #[test]
    fn a_first_pass_body_needs_no_body_of_its_own_package() {
        use Call::*;
        use Need::*;
        let list = bodies(&[
            (0, "A", vec![Func(0, "B"), Func(1, "X")]),
            (0, "B", vec![Func(0, "C"), Func(1, "Y")]),
            (0, "C", vec![]),
            (1, "X", vec![Func(1, "Z")]),
            (1, "Y", vec![Func(1, "W")]),
            (1, "Z", vec![]),
            (1, "W", vec![]),
            (1, "D", vec![Outside("Unmarshal"), Func(1, "V")]),
            (1, "V", vec![]),
        ]);
        let reach = Reach {
            sees: vec![vec![0b10], vec![0], vec![0b11]],
        };
        let need = needed_bodies(&list, vec![(2, Func(0, "A"))], &reach);
        let expect = [
            Exported, FirstPass, Nothing, Exported, Exported, FirstPass, FirstPass, Decodes,
            Nothing,
        ];
        assert_eq!(need, expect);
        // Called from the share too, B is exported: its own package's C is then needed.
        let need = needed_bodies(&list, vec![(2, Func(0, "B")), (2, Func(0, "A"))], &reach);
        assert_eq!(&need[..3], [Exported, Exported, FirstPass]);
    }

    #[test]
    fn a_method_call_reaches_exported_methods_of_what_its_package_sees() {
        use Call::*;
        use Need::*;
        let mut list = bodies(&[
            (0, "M", vec![]),
            (0, "m", vec![]),
            (1, "M", vec![]),
            (1, "m", vec![]),
            (2, "M", vec![]),
            (1, "init", vec![]),
        ]);
        for b in &mut list[..5] {
            b.method = true;
        }
        // Package 3 sees packages 0 and 1, not 2.
        let reach = Reach {
            sees: vec![vec![0], vec![0], vec![0], vec![0b11]],
        };
        let share = vec![(3, Method("M")), (3, Method("m")), (3, Func(1, "init"))];
        let need = needed_bodies(&list, share, &reach);
        assert_eq!(
            need,
            [Exported, Nothing, Exported, Nothing, Nothing, Nothing]
        );
    }

    #[test]
    fn a_call_without_arguments_reads_no_summary() {
        let src = "package p\n\nimport \"example.com/q\"\n\n\
                   func F(x T) {\n\tx.String()\n\tq.Now( )\n\tx.Set(1)\n\tq.G[int](x)\n\tg(/* c */)\n}\n";
        let by_path = [("example.com/q", 1)].into_iter().collect();
        let names = vec![vec![], vec!["q".to_string()]];
        let scope = FileScope::new(src, 0, &by_path, &names);
        let body = function_bodies(src).remove(0).body;
        let calls = calls_in(src, body, &scope);
        assert_eq!(calls, [Call::Method("Set"), Call::Func(1, "G")]);
    }

    #[test]
    fn drops_the_literal_constants_nothing_else_names() {
        let a = "package p\n\nconst (\n\tA = 1\n\tB = -0x2 // b\n\tC = \"c\"\n\tD T = 4\n\
                 \tE = 5\n\tF\n\tG = iota\n\tH = 6; I = 7\n)\n\nconst J = 8\n\n\
                 func f() int { return C + K }\nfunc g() int { return A }\n";
        let b = "package p\n\nconst (\n\tK = 9\n\tL = 'l'\n)\n\nvar v = H\n";
        let out = skeletons(&[a, b], |n| n == "g");
        assert_eq!(
            out[0],
            "package p\n\nconst (\n\t \n\t   \n\tC = \"c\"\n\tD T = 4\n\tE = 5\n\tF\n\
             \tG = iota\n\tH = 6;  \n)\n\nconst J = 8\n\n\
             func f() int { return C + K }\nfunc g() int { }\n"
        );
        assert_eq!(
            out[1],
            "package p\n\nconst (\n\tK = 9\n\t \n)\n\nvar v = H\n"
        );
    }

    #[test]
    fn a_broken_file_yields_what_it_can() {
        for src in [
            "func",
            "func (",
            "func A(",
            "func A() {",
            "\"",
            "`",
            "/*",
            "func A() { '",
        ] {
            let _ = function_bodies(src);
            let _ = skeleton(src, |_| true);
        }
    }
}
