//! Panics caught: a panic while a guarded piece of work runs becomes its `Err`, which the
//! engine reports as an `internal-error` finding; the run goes on with the other files and
//! packages. The panic hook stays quiet for those and prints one line for any other.

use super::findings::{engine_finding_at, EngineAt};
use crate::config::Settings;
use crate::finding::Finding;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// Set while guarded work runs, so the panic hook stays quiet for panics that become findings.
    pub static IN_GUARD: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Installs a panic hook that records panics inside guarded work (they become `internal-error`
/// findings) and prints a one-line internal error for any other.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = payload_text(info.payload());
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        if IN_GUARD.with(Cell::get) {
            LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg}{at}"));
        } else {
            crate::eprintln_escaped!("goaudit: internal error: {msg}{at}");
        }
    }));
}

/// The message a panic was raised with.
fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    match payload.downcast_ref::<&str>() {
        Some(s) => s.to_string(),
        None => payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_else(|| "unknown panic".into()),
    }
}

/// Runs `f`, turning a panic into `Err(message)`: the message and place the hook recorded, or
/// the panic's own message when it was raised on another thread (rayon passes it on). Each
/// caught panic's record is taken, so the next one starts empty.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let outer = IN_GUARD.with(|g| g.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(outer));
    r.map_err(|payload| {
        let recorded = LAST_PANIC.with(|p| std::mem::take(&mut *p.borrow_mut()));
        match recorded.is_empty() {
            true => payload_text(&*payload),
            false => recorded,
        }
    })
}

/// The stage of a package's work a panic happened in, as an `internal-error` finding names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage<'a> {
    /// Reading and parsing a file.
    Parse,
    /// Extracting a file's or the package's facts.
    Facts,
    /// Inferring the local types of the package's variables or of a file.
    Types,
    /// One rule, by id, on a file or on the package.
    Rules(&'a str),
    /// The package's work between the stages above (the safety net around all of it).
    Package,
}

impl std::fmt::Display for Stage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Stage::Parse => f.write_str("parse"),
            Stage::Facts => f.write_str("facts"),
            Stage::Types => f.write_str("types"),
            Stage::Rules(id) => write!(f, "rules:{id}"),
            Stage::Package => f.write_str("package"),
        }
    }
}

/// Where a crash happened: a file, or a whole package (reported at one of its files).
pub(super) struct Crash<'a> {
    /// The file the finding points at, by report path, and its first line.
    pub rel: &'a str,
    pub first_line: &'a str,
    /// The package's import path when the crash is not one file's.
    pub package: Option<&'a str>,
    pub stage: Stage<'a>,
}

impl<'a> Crash<'a> {
    /// A crash on one file, found at its first line.
    pub fn file(file: &'a crate::source::SourceFile, stage: Stage<'a>) -> Crash<'a> {
        Crash {
            rel: &file.rel,
            first_line: file.line_text(1),
            package: None,
            stage,
        }
    }

    /// The `internal-error` finding of this crash, with the panic's message.
    pub fn finding(&self, message: &str, settings: &Settings) -> Finding {
        let text = match self.package {
            Some(path) => format!(
                "goaudit crashed in stage {} on package {path}, whose findings are incomplete: \
                 {message}",
                self.stage
            ),
            None => format!(
                "goaudit crashed in stage {} on this file, whose findings here are incomplete: \
                 {message}",
                self.stage
            ),
        };
        let at = EngineAt {
            rel: self.rel,
            line: 1,
            column: 1,
            snippet: self.first_line,
        };
        engine_finding_at(&at, "internal-error", text, settings)
    }
}

/// Panics injected at chosen stages and places, so the tests can show that each stage is
/// guarded; outside `cfg(test)` it holds nothing and checks nothing.
#[derive(Default)]
pub(super) struct Faults {
    /// Each fault: a stage's name (`parse`, `facts`, `types`) and the end of a file's report
    /// path or of a package's import path.
    #[cfg(test)]
    pub at: Vec<(String, String)>,
}

impl Faults {
    /// Panics when a test asked for a fault at `stage` on `place` (a file's report path or a
    /// package's import path).
    #[inline(always)]
    pub fn check(&self, stage: Stage, place: &str) {
        #[cfg(test)]
        if (self.at.iter()).any(|(s, p)| *s == stage.to_string() && place.ends_with(p.as_str())) {
            panic!("fault injected in stage {stage} on {place}");
        }
        #[cfg(not(test))]
        let _ = (stage, place);
    }
}
