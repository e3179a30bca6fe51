//! `double-lock`: a goroutine acquires a mutex it already holds.
//!
//! Go's mutexes are not reentrant: `Lock` on a mutex the goroutine holds waits forever. The
//! second acquisition may be direct, or at the end of a chain of the package's own calls
//! (`Stop` holds `s.mu` and calls `closeConns`, which locks `s.mu`). Locks are compared by
//! access path mapped through the calls' receivers and arguments, so `a.mu` then `b.mu` (two
//! accounts) is not a double lock. An `RLock` taken again while the goroutine holds a read lock
//! is reported when the package also write-locks that mutex: a writer waiting between the two
//! blocks the second `RLock` (the `sync` documentation forbids recursive read locking). A call
//! of `fmt` or `log` that formats an argument calls its `String` or `Error` method, so
//! `log.Printf("%v", r)` under `r.mu` re-locks `r.mu` when `String` does.
//!
//! The lock is also taken again, in effect, when the goroutine holding it blocks on a send,
//! receive or `wg.Wait` whose only wakers (the receivers or senders of that channel, the
//! goroutine that closes it, the `Done` calls) all hold the same lock at their own operation or
//! take it between two of them in their loop: the holder waits for the waker and the waker for
//! the lock (`Push` sends under `p.mu` to `drain`, which locks `p.mu` after each receive).
//! Only operations that nothing else can let go on are judged: not a `select` case beside
//! others, not on a buffered channel (which may hold the value already). `blocking-under-lock` (off by default) reports the
//! weaker shapes.

use super::blocking_under_lock::what;
use super::{chain, diagnostic, place, wait_cycle, waker_verb, with, Need};
use crate::analysis::locks::LockModel;
use crate::config::RuleSettings;
use crate::fxhash::HashSet;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct DoubleLock;

impl Rule for DoubleLock {
    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let model = cx.locks();
        let mut seen = HashSet::default();
        for d in &model.doubles {
            let both_read = d.held.read && d.again.read;
            let written = d
                .again
                .class
                .as_ref()
                .is_some_and(|c| model.write_locked.contains(c));
            if (both_read && !written) || !seen.insert((d.again.at.file, d.again.at.start)) {
                continue;
            }
            let here = d.again.at.file;
            let path = &d.held.path;
            let first = format!("{}{}", place(cx, d.held.at, here), chain(&d.held));
            let verb = if d.again.read { "read-locks" } else { "locks" };
            let why = if both_read {
                "a writer waiting between the two RLocks blocks the second one, and the goroutine deadlocks (recursive read locking)"
            } else {
                "sync mutexes are not reentrant, so the goroutine deadlocks on itself"
            };
            let message = match d.inner {
                Some(inner) => format!(
                    "{} holds {path} (locked at {first}) and calls {}{}, which {verb} {path} again at {}: {why}",
                    d.unit,
                    d.again.chain.join(" → "),
                    with(&d.again),
                    place(cx, inner, here),
                ),
                None => format!(
                    "{} {verb} {path} again while it holds it (locked at {first}): {why}",
                    d.unit
                ),
            };
            let mut related = vec![(d.held.at, format!("{path} first locked here"))];
            if let Some(inner) = d.inner {
                related.push((inner, format!("{path} locked again here")));
            }
            out.push(diagnostic(d.again.at, message, &related));
        }
        report_wait_cycles(cx, model, out);
    }
}

/// Blocking operations whose every waker needs the lock the blocked goroutine holds.
fn report_wait_cycles(cx: &PackageContext, model: &LockModel, out: &mut Vec<PackageDiagnostic>) {
    for op in &model.ops {
        let Some((h, need, c)) = wait_cycle(model, op) else {
            continue;
        };
        let here = op.at.file;
        let when = match need {
            Need::Holds => "while holding",
            _ => "between two of them, taking",
        };
        let message = format!(
            "{} {} while holding {} (locked at {}), and {}, the only one that {}, does so at {} {when} {}: each waits for the other, as if the lock were taken twice",
            model.units[op.unit].name,
            what(op),
            h.path,
            place(cx, h.at, here),
            model.units[c.unit].name,
            waker_verb(c.kind),
            place(cx, c.at, here),
            h.class.as_deref().unwrap_or(&h.path),
        );
        let related = [(h.at, format!("{} locked here", h.path)), (c.at, "the waker".to_string())];
        out.push(diagnostic(op.at, message, &related));
    }
}
