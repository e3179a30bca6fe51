//! `blocking-under-lock`: a goroutine blocks while holding a mutex that the goroutine it waits
//! for needs first.
//!
//! A send (or receive) on a channel while holding `mu`, where the only other end of that channel
//! (matched by class: the same struct field, or the same local captured by a goroutine) takes
//! `mu` before its receive (or send): the holder waits for the other end, the other end waits
//! for the lock. The same for `wg.Wait()` against a `wg.Done()` that comes after locking, and for
//! `cond.Wait()` holding a lock other than the cond's own (Wait releases only that one, so its
//! signaller can never take the other). `time.Sleep` while holding a lock that other functions
//! take stalls all of them. Sends on buffered channels and `select` cases beside a `default`,
//! a timer or a context are not blocking.

use super::{diagnostic, place, wait_cycle, waker_needs, waker_verb, wakers};
use crate::analysis::locks::{Held, LockModel, Op, OpKind};
use crate::config::RuleSettings;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct BlockingUnderLock;

impl Rule for BlockingUnderLock {
    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let model = cx.locks();
        for op in &model.ops {
            if op.held.is_empty() || (op.guarded && op.kind != OpKind::CondWait) {
                continue;
            }
            if wait_cycle(model, op).is_some() {
                continue; // double-lock reports it
            }
            let found = match op.kind {
                OpKind::Send | OpKind::Recv | OpKind::WgWait => counterpart(model, op),
                OpKind::CondWait => other_lock(model, op),
                OpKind::Sleep => contended(model, op),
                OpKind::WgDone | OpKind::Close => None,
            };
            if let Some((h, why)) = found {
                let here = op.at.file;
                let message = format!(
                    "{} {} while holding {} (locked at {}): {why}",
                    model.units[op.unit].name,
                    what(op),
                    h.path,
                    place(cx, h.at, here),
                );
                out.push(diagnostic(
                    op.at,
                    message,
                    &[(h.at, format!("{} locked here", h.path))],
                ));
            }
        }
    }
}

/// What a blocking operation does, for a message: `sends on s.events`.
pub fn what(op: &Op) -> String {
    match op.kind {
        OpKind::Send => format!("sends on {}", op.text),
        OpKind::Recv => format!("receives from {}", op.text),
        OpKind::WgWait => format!("waits on {}", op.text),
        OpKind::CondWait => format!("waits on cond {}", op.text),
        OpKind::Sleep => "sleeps".to_string(),
        OpKind::WgDone => format!("calls {}.Done", op.text),
        OpKind::Close => format!("closes {}", op.text),
    }
}

/// A held lock that the other end of the operation takes before it gets there (`close` counts
/// as the other end of a send or receive).
fn counterpart<'m>(model: &'m LockModel, op: &'m Op) -> Option<(&'m Held, String)> {
    let target = op.target.as_ref()?;
    if op.kind == OpKind::Send && model.buffered.contains(target) {
        return None;
    }
    for c in wakers(model, op) {
        for h in &op.held {
            let Some(class) = &h.class else { continue };
            if waker_needs(model, op, c, class).is_some() {
                let why = format!(
                    "{} {} (line {}) only after taking {}, so neither can proceed",
                    model.units[c.unit].name,
                    waker_verb(c.kind),
                    c.at.line,
                    h.path
                );
                return Some((h, why));
            }
        }
    }
    None
}

/// A lock held across `cond.Wait()` other than the cond's own.
fn other_lock<'m>(model: &'m LockModel, op: &'m Op) -> Option<(&'m Held, String)> {
    let own = op.target.as_ref().and_then(|t| model.cond_lock.get(t));
    let h = match own {
        Some(own) => op.held.iter().find(|h| h.class.as_ref() != Some(own))?,
        None if op.held.len() >= 2 => op.held.first()?,
        None => return None,
    };
    let why = format!(
        "Wait releases only the cond's own lock, so {} stays held while it sleeps and a goroutine that needs it before signalling never can",
        h.path
    );
    Some((h, why))
}

/// A held lock that another function also takes.
fn contended<'m>(model: &'m LockModel, op: &'m Op) -> Option<(&'m Held, String)> {
    for h in &op.held {
        let Some(class) = &h.class else { continue };
        let other = model
            .units
            .iter()
            .enumerate()
            .find(|(i, u)| *i != op.unit && u.acquires.iter().any(|(k, _)| k == class));
        if let Some((_, u)) = other {
            let why = format!(
                "{} and every other goroutine that takes {} wait for the sleep; unlock before sleeping",
                u.name, h.path
            );
            return Some((h, why));
        }
    }
    None
}
