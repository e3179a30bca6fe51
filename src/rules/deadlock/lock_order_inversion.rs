//! `lock-order-inversion`: two code paths take the same two locks in opposite orders (AB-BA).
//!
//! One goroutine holds A and waits for B while another holds B and waits for A: both wait
//! forever. Locks are compared by class (the struct field they are, `Registry.mu`), directly or
//! through the package's own calls. Two instances of one class (`transfer(a, b)` locking two
//! accounts) are not an inversion, and two read locks never block each other. Of the two
//! orders, the one taken at fewer places is reported (the later one on a tie), with the other
//! order's acquisitions as related locations.

use super::{chain, diagnostic, lock_name, place};
use crate::analysis::locks::OrderEdge;
use crate::config::RuleSettings;
use crate::fxhash::HashSet;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};
use std::collections::BTreeMap;

pub struct LockOrderInversion;

type Pair = (String, String);

impl Rule for LockOrderInversion {
    fn check_package(
        &self,
        cx: &PackageContext,
        _settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let mut by_pair: BTreeMap<Pair, Vec<&OrderEdge>> = BTreeMap::new();
        for e in &cx.locks().edges {
            if let (Some(a), Some(b)) = (&e.first.class, &e.second.class) {
                by_pair.entry((a.clone(), b.clone())).or_default().push(e);
            }
        }
        let mut seen = HashSet::default();
        for ((a, b), edges) in &by_pair {
            let Some(back) = by_pair.get(&(b.clone(), a.clone())) else {
                continue;
            };
            if !reported_direction(edges, back) {
                continue;
            }
            for e in edges {
                let Some(other) = back.iter().find(|o| conflicts(e, o)) else {
                    continue;
                };
                if seen.insert((e.second.at.file, e.second.at.start)) {
                    out.push(report(cx, e, other));
                }
            }
        }
    }
}

/// Whether the two edges can block each other: each lock is written on at least one side.
fn conflicts(e: &OrderEdge, o: &OrderEdge) -> bool {
    !(e.first.read && o.second.read || e.second.read && o.first.read)
}

/// Report the order taken at fewer places; on a tie the one whose first place comes later.
fn reported_direction(edges: &[&OrderEdge], back: &[&OrderEdge]) -> bool {
    let first = |es: &[&OrderEdge]| es.iter().map(|e| e.second.at).min();
    match edges.len().cmp(&back.len()) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => first(edges) > first(back),
    }
}

fn report(cx: &PackageContext, e: &OrderEdge, o: &OrderEdge) -> PackageDiagnostic {
    let here = e.second.at.file;
    let message = format!(
        "{} takes {} at {}{} while holding {} (locked at {}); {} takes them in the opposite order ({} at {}, then {} at {}{}): two goroutines running both deadlock",
        e.unit,
        lock_name(&e.second),
        place(cx, e.second.at, here),
        chain(&e.second),
        lock_name(&e.first),
        place(cx, e.first.at, here),
        o.unit,
        lock_name(&o.first),
        place(cx, o.first.at, here),
        lock_name(&o.second),
        place(cx, o.second.at, here),
        chain(&o.second),
    );
    let related = [
        (
            e.first.at,
            format!("{} locked first here", lock_name(&e.first)),
        ),
        (
            o.first.at,
            format!("{} locked first here (opposite order)", lock_name(&o.first)),
        ),
        (
            o.second.at,
            format!(
                "{} locked second here (opposite order)",
                lock_name(&o.second)
            ),
        ),
    ];
    diagnostic(e.second.at, message, &related)
}
