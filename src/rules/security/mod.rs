//! Security rules: tainted data reaching a shell, the file system or an outgoing request
//! (`analysis::taint`), SQL built from strings, TLS and crypto settings, secrets in source,
//! servers without timeouts, plain-HTTP URLs.

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_security.rs"));

use crate::analysis::taint::{TaintFlow, COMMAND, PATH, URL};
use crate::rules::{Diagnostic, PackageContext, PackageDiagnostic};

/// Which origins a taint rule reports besides attacker input: its two options.
pub struct Origins {
    /// Parameters of exported functions (`exported-params`).
    pub exported_params: bool,
    /// Sources already on the machine: files, environment, flags (`local-sources`).
    pub local_sources: bool,
}

/// Reports the package's flows of one sink class: sources always, parameters of exported
/// functions and local sources only as `origins` allows.
pub fn report_flows(
    cx: &PackageContext,
    origins: Origins,
    class: u8,
    out: &mut Vec<PackageDiagnostic>,
) {
    let params = origins.exported_params;
    let local = origins.local_sources;
    for f in cx.taint().iter().filter(|f| f.class == class) {
        if f.origin.param.is_some() && !(params && f.origin.exported) {
            continue;
        }
        if f.origin.local && !local && !f.through_shell() {
            continue;
        }
        let Some(file) = cx.files.get(f.file) else {
            continue;
        };
        out.push(PackageDiagnostic {
            file: f.file,
            diagnostic: diagnostic(cx, f, &file.file.text),
        });
    }
}

fn diagnostic(cx: &PackageContext, f: &TaintFlow, text: &str) -> Diagnostic {
    let line = line_of(text, f.sink.0);
    let sink = &f.sink_desc;
    let tail = match f.class {
        COMMAND if f.how.is_empty() => "as the command".to_string(),
        COMMAND => f.how.clone(),
        PATH => "without a containment check".to_string(),
        URL => "as the target of an outgoing request without a host check".to_string(),
        _ => String::new(),
    };
    let mut origin = f.origin.desc.clone();
    if f.origin.file != f.file {
        if let Some(o) = cx.files.get(f.origin.file) {
            let l = line_of(&o.file.text, f.origin.at);
            origin = format!("{origin}, {}:{l},", o.file.rel);
        }
    }
    let zip = if f.origin.desc.contains("archive entry name") {
        "zip slip: "
    } else {
        ""
    };
    let mut message = if f.external {
        format!("{zip}{origin} reaches {sink} {tail}")
    } else {
        format!("{zip}{origin} reaches {sink} at line {line} {tail}")
    };
    for (_, _, s) in &f.steps {
        message.push_str(&format!(" ({s})"));
    }
    let mut d = Diagnostic::at_range(f.sink.0, f.sink.1, message);
    if f.origin.file == f.file {
        d.related.push((
            f.origin.at,
            f.origin.at + 1,
            format!("source: {}", f.origin.desc),
        ));
    }
    for (file, at, s) in &f.steps {
        if *file == f.file {
            d.related.push((*at, *at + 1, s.clone()));
        }
    }
    d
}

pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
