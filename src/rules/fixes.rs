//! What the rules' fixes share: edits built from byte ranges, an import added where gofmt keeps
//! it, and the shape of a function's results (so a fix that returns an error knows where).

use crate::finding::{Edit, Position};
use crate::source::SourceFile;
use crate::syntax::kinds::k;
use crate::tree::Node;

/// An edit replacing `start..end` of `file` with `text`.
pub fn edit(file: &SourceFile, start: usize, end: usize, text: String) -> Edit {
    let at = |byte: usize| {
        let (line, column) = file.position(byte);
        Position { line, column }
    };
    Edit {
        start_byte: start,
        end_byte: end,
        start: at(start),
        end: at(end),
        replacement: text,
    }
}

/// The import paths of a file by the name its code uses for them (the alias, else the path's
/// last element).
pub fn imports(file: &SourceFile) -> Vec<(&str, &str)> {
    let k = k();
    let Some(root) = file.root() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for spec in crate::tree::preorder(root).filter(|n| n.is(k.import_spec)) {
        let Some(path) = spec.child_by_field_id(k.f_path) else {
            continue;
        };
        let path = file.node_text(path).trim_matches(['"', '`']);
        let name = match spec.child_by_field_id(k.f_name) {
            Some(alias) => file.node_text(alias),
            None => path.rsplit('/').next().unwrap_or(path),
        };
        out.push((name, path));
    }
    out
}

/// The edits that let the file name the standard package `path` (`errors`) by its own name:
/// none when it is imported so already, the import otherwise; `None` when another import
/// takes the name.
pub fn ensure_import(file: &SourceFile, path: &str) -> Option<Vec<Edit>> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let imports = imports(file);
    if imports.iter().any(|&(n, p)| n == name && p == path) {
        return Some(Vec::new());
    }
    if imports.iter().any(|&(n, _)| n == name) {
        return None;
    }
    add_import(file, path).map(|e| vec![e])
}

/// The edit importing the standard package `path`: in the first import block, among the
/// standard library's imports in order; else a declaration of its own.
fn add_import(file: &SourceFile, path: &str) -> Option<Edit> {
    let k = k();
    let root = file.root()?;
    let mut c = root.walk();
    let children: Vec<Node> = root.named_children(&mut c).collect();
    let first = children.iter().find(|n| n.is(k.import_declaration));
    let Some(decl) = first else {
        let package = children.iter().find(|n| n.is(k.package_clause))?;
        let at = package.end_byte();
        return Some(edit(file, at, at, format!("\n\nimport \"{path}\"")));
    };
    let mut c = decl.walk();
    let Some(list) = decl
        .named_children(&mut c)
        .find(|n| n.is(k.import_spec_list))
    else {
        let at = decl.start_byte();
        return Some(edit(file, at, at, format!("import \"{path}\"\n")));
    };
    let mut c = list.walk();
    let specs: Vec<Node> = list
        .named_children(&mut c)
        .filter(|n| n.is(k.import_spec))
        .collect();
    let spec_path = |s: &Node| {
        s.child_by_field_id(k.f_path)
            .map(|p| file.node_text(p).trim_matches(['"', '`']).to_string())
            .unwrap_or_default()
    };
    let is_std = |p: &str| !p.split('/').next().unwrap_or("").contains('.');
    let std_specs: Vec<&Node> = specs.iter().filter(|s| is_std(&spec_path(s))).collect();
    let indent = |s: &Node| {
        let (line, _) = file.position(s.start_byte());
        let text = file.line_text(line);
        text[..text.len() - text.trim_start().len()].to_string()
    };
    if let Some(next) = std_specs.iter().find(|s| spec_path(s).as_str() > path) {
        let at = next.start_byte();
        return Some(edit(file, at, at, format!("\"{path}\"\n{}", indent(next))));
    }
    if let Some(last) = std_specs.last() {
        let at = last.end_byte();
        return Some(edit(file, at, at, format!("\n{}\"{path}\"", indent(last))));
    }
    match specs.first() {
        Some(first) => {
            let at = first.start_byte();
            let text = format!("\"{path}\"\n\n{}", indent(first));
            Some(edit(file, at, at, text))
        }
        None => {
            let at = list.start_byte() + 1;
            Some(edit(file, at, at, format!("\n\t\"{path}\"\n")))
        }
    }
}

/// The results of a function as a fix that returns a value needs them.
pub struct Results<'t> {
    /// How many values a `return` gives.
    pub count: usize,
    /// Whether the last result is an `error`.
    pub error_last: bool,
    /// The last result's name when the results are named (`err`).
    pub error_name: Option<&'t str>,
}

impl<'t> Results<'t> {
    /// The results of `func` (a function or method declaration, or a function literal).
    pub fn of(file: &'t SourceFile, func: Node<'t>) -> Results<'t> {
        let k = k();
        let Some(result) = func.child_by_field_id(k.f_result) else {
            return Results {
                count: 0,
                error_last: false,
                error_name: None,
            };
        };
        if !result.is(k.parameter_list) {
            return Results {
                count: 1,
                error_last: file.node_text(result) == "error",
                error_name: None,
            };
        }
        let mut count = 0;
        let mut last: Option<(Option<&str>, &str)> = None;
        let mut c = result.walk();
        for decl in result
            .named_children(&mut c)
            .filter(|n| n.is(k.parameter_declaration))
        {
            let ty = decl
                .child_by_field_id(k.f_type)
                .map_or("", |t| file.node_text(t));
            let mut cc = decl.walk();
            let names: Vec<&str> = decl
                .named_children(&mut cc)
                .filter(|n| n.field_id().map(|f| f.get()) == Some(k.f_name))
                .map(|n| file.node_text(n))
                .collect();
            count += names.len().max(1);
            last = Some((names.last().copied(), ty));
        }
        let (name, ty) = last.unwrap_or((None, ""));
        Results {
            count,
            error_last: ty == "error",
            error_name: name.filter(|n| *n != "_"),
        }
    }
}

pub use crate::analysis::enclosing_function;

#[cfg(test)]
mod tests {
    use super::*;

    fn with_import(text: &str) -> String {
        let file = SourceFile::parse("x.go".into(), "x.go".into(), text.into());
        match ensure_import(&file, "errors").as_deref() {
            Some([e]) => format!(
                "{}{}{}",
                &text[..e.start_byte],
                e.replacement,
                &text[e.end_byte..]
            ),
            Some(_) => text.to_string(),
            None => "taken".to_string(),
        }
    }

    #[test]
    fn an_import_goes_where_gofmt_keeps_it() {
        assert_eq!(
            with_import("package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n\t\"example.com/x\"\n)\n"),
            "package p\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"fmt\"\n\n\t\"example.com/x\"\n)\n"
        );
        assert_eq!(
            with_import("package p\n\nimport (\n\t\"bytes\"\n)\n"),
            "package p\n\nimport (\n\t\"bytes\"\n\t\"errors\"\n)\n"
        );
        assert_eq!(
            with_import("package p\n\nimport \"fmt\"\n"),
            "package p\n\nimport \"errors\"\nimport \"fmt\"\n"
        );
        assert_eq!(
            with_import("package p\n"),
            "package p\n\nimport \"errors\"\n"
        );
        assert_eq!(
            with_import("package p\n\nimport (\n\t\"errors\"\n)\n"),
            "package p\n\nimport (\n\t\"errors\"\n)\n"
        );
        assert_eq!(
            with_import("package p\n\nimport errors \"github.com/pkg/errors\"\n"),
            "taken"
        );
    }

    #[test]
    fn results_say_where_an_error_goes() {
        let text = "package p\nfunc a() (int, error) { return 0, nil }\nfunc b() (n int, err error) { return }\nfunc c() error { return nil }\nfunc d() {}\n";
        let file = SourceFile::parse("x.go".into(), "x.go".into(), text.into());
        let k = k();
        let root = file.root().unwrap();
        let funcs: Vec<Node> = crate::tree::preorder(root)
            .filter(|n| n.is(k.function_declaration))
            .collect();
        let shapes: Vec<(usize, bool, Option<&str>)> = funcs
            .iter()
            .map(|f| {
                let r = Results::of(&file, *f);
                (r.count, r.error_last, r.error_name)
            })
            .collect();
        assert_eq!(
            shapes,
            [
                (2, true, None),
                (2, true, Some("err")),
                (1, true, None),
                (0, false, None)
            ]
        );
    }
}
