//! Panics caught: a panic while a guarded piece of work runs becomes its `Err`, which the
//! engine reports as an `internal-error` finding; the run goes on with the other files and
//! packages. The panic hook stays quiet for those and prints one line for any other.

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

/// Runs `f`, turning a panic into `Err(message)`.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    IN_GUARD.with(|g| g.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(false));
    r.map_err(|_| LAST_PANIC.with(|p| p.borrow().clone()))
}
