//! goaudit: a command-line auditor for Go code.

use clap::Parser;
use goaudit::{cli, commands, engine, escape, tempfiles};

fn main() {
    engine::install_panic_hook();
    tempfiles::remove_on_signal();
    let cli = cli::Cli::parse();
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("goaudit: {}", escape::controls(&one_line(&e)));
            2
        }
    };
    std::process::exit(code);
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
        .replace('\n', " ")
}
