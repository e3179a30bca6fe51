//! The text form of package facts: the standard-library table (`data/stdlib_api.txt`, written by
//! `scripts/gen_stdlib_api.py`) and the dependency cache share it. One tab-separated record a
//! line; type text is Go's with import paths (`*net/url.URL`), unqualified names belonging to the
//! package of the latest `P` record:
//!
//! | record | fields |
//! | --- | --- |
//! | `P` | import path, package name |
//! | `F` | function name, signature `(params) results` |
//! | `M` | receiver type name, `1` if declared on the pointer, method name, signature |
//! | `T` | type name, `struct` / `interface` / `alias` / `other`, underlying type or `-` |
//! | `S` | struct type name, field name, field type |
//! | `E` | type name, embedded type |
//! | `I` | interface type name, method name, signature |
//! | `V` | variable or typed constant name, type |

use super::facts::{Field, Method, PackageFacts, TypeDecl, TypeKind};
use super::ty::{parse_signature, Ty};
use std::fmt::Write;
use std::sync::Arc;

/// Parses records into packages, in the order they appear.
pub fn parse(text: &str) -> Vec<PackageFacts> {
    let mut out: Vec<PackageFacts> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f[0] == "P" && f.len() >= 3 {
            out.push(PackageFacts::new(f[1], f[2]));
            continue;
        }
        if let Some(pkg) = out.last_mut() {
            record(pkg, &f);
        }
    }
    out
}

fn record(pkg: &mut PackageFacts, f: &[&str]) {
    let path = pkg.path.clone();
    let sig = |s: &str| Arc::new(parse_signature(s, &path));
    let ty = |s: &str| Ty::parse(s, &path);
    match (f[0], f.len()) {
        ("F", 3) => {
            pkg.funcs
                .entry(f[1].to_string())
                .or_insert_with(|| sig(f[2]));
        }
        ("M", 5) => {
            let method = Method {
                sig: sig(f[4]),
                pointer: f[2] == "1",
            };
            decl(pkg, f[1])
                .methods
                .entry(f[3].to_string())
                .or_insert(method);
        }
        ("I", 4) => {
            let method = Method {
                sig: sig(f[3]),
                pointer: false,
            };
            let d = decl(pkg, f[1]);
            d.kind = TypeKind::Interface;
            d.methods.entry(f[2].to_string()).or_insert(method);
        }
        ("T", 4) => {
            let kind = match f[2] {
                "struct" => TypeKind::Struct,
                "interface" => TypeKind::Interface,
                "alias" => TypeKind::Alias(ty(f[3])),
                _ => TypeKind::Defined(ty(f[3])),
            };
            decl(pkg, f[1]).kind = kind;
        }
        ("S", 4) => {
            let field = Field {
                name: f[2].to_string(),
                ty: ty(f[3]),
                embedded: false,
            };
            decl(pkg, f[1]).fields.push(field);
        }
        ("E", 3) => {
            let t = ty(f[2]);
            let name = t
                .named_parts()
                .map(|(_, n)| n.to_string())
                .unwrap_or_default();
            let d = decl(pkg, f[1]);
            d.fields.push(Field {
                name,
                ty: t.clone(),
                embedded: true,
            });
            d.embeds.push(t);
        }
        ("V", 3) => {
            pkg.vars.entry(f[1].to_string()).or_insert_with(|| ty(f[2]));
        }
        _ => {}
    }
}

fn decl<'a>(pkg: &'a mut PackageFacts, name: &str) -> &'a mut TypeDecl {
    pkg.types.entry(name.to_string()).or_default()
}

/// Writes packages in the same form, sorted so the output is stable.
pub fn write(packages: &[PackageFacts]) -> String {
    let mut s = String::new();
    for p in packages {
        let _ = writeln!(s, "P\t{}\t{}", p.path, p.name);
        let mut lines = Vec::new();
        for (name, sig) in &p.funcs {
            lines.push(format!("F\t{name}\t{}", sig_text(sig)));
        }
        for (name, t) in &p.vars {
            lines.push(format!("V\t{name}\t{t}"));
        }
        for (name, d) in &p.types {
            type_lines(name, d, &mut lines);
        }
        lines.sort();
        for l in lines {
            s.push_str(&l);
            s.push('\n');
        }
    }
    s
}

fn sig_text(sig: &super::ty::Signature) -> String {
    sig.to_string()
}

fn type_lines(name: &str, d: &TypeDecl, lines: &mut Vec<String>) {
    let (kind, under) = match &d.kind {
        TypeKind::Struct => ("struct", "-".to_string()),
        TypeKind::Interface => ("interface", "-".to_string()),
        TypeKind::Alias(t) => ("alias", t.to_string()),
        TypeKind::Defined(t) => ("other", t.to_string()),
    };
    lines.push(format!("T\t{name}\t{kind}\t{under}"));
    for f in &d.fields {
        if !f.embedded {
            lines.push(format!("S\t{name}\t{}\t{}", f.name, f.ty));
        }
    }
    for e in &d.embeds {
        lines.push(format!("E\t{name}\t{e}"));
    }
    let interface = d.kind == TypeKind::Interface;
    for (m, method) in &d.methods {
        let sig = sig_text(&method.sig);
        if interface {
            lines.push(format!("I\t{name}\t{m}\t{sig}"));
        } else {
            let ptr = if method.pointer { 1 } else { 0 };
            lines.push(format!("M\t{name}\t{ptr}\t{m}\t{sig}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let text = "P\tnet/http\thttp\nE\tRW\t*bufio.Reader\nF\tGet\t(string) (*Response, error)\nM\tClient\t1\tDo\t(*Request) (*Response, error)\nS\tResponse\tBody\tio.ReadCloser\nT\tResponse\tstruct\t-\nV\tDefaultClient\t*Client\n";
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 1);
        let p = &pkgs[0];
        assert!(p.funcs["Get"].returns_error());
        assert!(p.method("Client", "Do").unwrap().pointer);
        assert_eq!(
            p.types["Response"].fields[0].ty,
            Ty::named("io", "ReadCloser")
        );
        let again = parse(&write(&pkgs));
        assert_eq!(again[0].types["Response"], p.types["Response"]);
        assert_eq!(again[0].funcs["Get"], p.funcs["Get"]);
        assert_eq!(again[0].types["RW"].embeds, p.types["RW"].embeds);
    }
}
