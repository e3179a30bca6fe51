//! goaudit: a command-line auditor for Go code.

use clap::Parser;
use goaudit::{cli, commands, config, engine, escape, tempfiles};

fn main() {
    engine::install_panic_hook();
    tempfiles::remove_on_signal();
    let cli = cli::Cli::parse();
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("goaudit: {}", shown(&e));
            2
        }
    };
    std::process::exit(code);
}

/// A config file's syntax or type error on its lines (the offending line and a caret under the
/// spot, each line escaped); any other error on one.
fn shown(e: &anyhow::Error) -> String {
    match e.downcast_ref::<config::FileError>() {
        Some(located) => located
            .to_string()
            .lines()
            .map(escape::controls)
            .collect::<Vec<_>>()
            .join("\n"),
        None => escape::controls(&one_line(e)).into_owned(),
    }
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
        .replace('\n', " ")
}
