//! Runs each package as soon as the packages it may read are done, not layer by layer.
//!
//! A package's results depend on the facts of the packages it sees (`index::Visible`): those
//! its imports reach, restricted to earlier import layers (a cycle, which only external test
//! packages make, is broken by layer order). Waiting for a whole layer to finish before the
//! next starts left a core idle behind each layer's largest package; here a package waits only
//! for the packages of earlier layers that its imports reach, and sees only those, so its
//! results are the same as the layered run's whatever the threads' timing.

use crate::discover::Discovery;
use crate::index::Index;
use rayon::Scope;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// For each package, the audited packages its imports reach through dependency packages only
/// (a required module that imports the audited one).
pub fn through_deps(found: &Discovery, index: &Index) -> Vec<Vec<usize>> {
    let by_path = found.by_import_path();
    let local = |q: &str| by_path.contains_key(q);
    if !index.a_dep_imports(local) {
        return vec![Vec::new(); found.packages.len()];
    }
    found
        .packages
        .iter()
        .map(|p| {
            let locals = index.locals_through_deps(p.all_imports(), local);
            locals
                .iter()
                .filter_map(|q| by_path.get(q.as_str()).copied())
                .collect()
        })
        .collect()
}

/// What a package's results may depend on: the packages its imports reach through packages of
/// earlier layers than its own (and through dependency packages, `through_deps`), all
/// `Index::visible_from_where` may show it. If a package reaches another this way, it reaches
/// everything that one does.
pub struct Before<'a> {
    found: &'a Discovery,
    through_deps: &'a [Vec<usize>],
    layer_of: Vec<usize>,
    /// The last walk that met each package.
    seen: Vec<usize>,
}

impl<'a> Before<'a> {
    pub fn new(found: &'a Discovery, through_deps: &'a [Vec<usize>]) -> Before<'a> {
        let n = found.packages.len();
        let mut layer_of = vec![0; n];
        for (l, layer) in found.layers.iter().enumerate() {
            for &i in layer {
                layer_of[i] = l;
            }
        }
        Before {
            found,
            through_deps,
            layer_of,
            seen: vec![usize::MAX; n],
        }
    }

    /// Each package's import layer.
    pub fn layer_of(&self) -> &[usize] {
        &self.layer_of
    }

    /// Calls `visit` with enough of the packages `walk` gives that waiting for them waits for
    /// all: a package whose every import (through dependencies too) lies in an earlier layer,
    /// and theirs in turn (`closed`, and not skipped), itself waits for everything it reaches,
    /// so the walk visits it but not past it. On a chain or layered graph this is each package's imports, not all
    /// the packages below it: the waits grow with the imports, not with their square.
    pub fn waits_for(&mut self, i: usize, closed: &[bool], visit: impl FnMut(usize)) {
        self.reach(i, |d| closed[d], visit);
    }

    /// The packages `d` imports, directly or through dependencies outside the run.
    fn deps(&self, d: usize) -> impl Iterator<Item = usize> + '_ {
        self.found.imports[d]
            .iter()
            .chain(&self.through_deps[d])
            .copied()
    }

    /// Visits once each package in lower layers that `i` reaches, not walking past those for
    /// which `stop_at` holds.
    fn reach(&mut self, i: usize, stop_at: impl Fn(usize) -> bool, mut visit: impl FnMut(usize)) {
        let mut stack: Vec<usize> = self.deps(i).collect();
        while let Some(d) = stack.pop() {
            if self.seen[d] == i || self.layer_of[d] >= self.layer_of[i] {
                continue;
            }
            self.seen[d] = i;
            if !stop_at(d) {
                stack.extend(self.deps(d));
            }
            visit(d);
        }
    }

    /// For each package, whether everything its imports reach lies in layers below its own,
    /// each import's layer below its importer's: then what it waits for (`walk`) is all it
    /// reaches.
    pub fn closed(&self) -> Vec<bool> {
        let n = self.layer_of.len();
        let mut closed = vec![true; n];
        // Lower layers first, so that each import's answer is known before its importer's.
        for &i in self.found.layers.iter().flatten() {
            closed[i] = self
                .deps(i)
                .all(|d| self.layer_of[d] < self.layer_of[i] && closed[d]);
        }
        closed
    }

    /// Calls `visit` once with each package that package `i`'s results may depend on.
    pub fn walk(&mut self, i: usize, visit: impl FnMut(usize)) {
        self.reach(i, |_| false, visit);
    }
}

/// The order of a run: what each package waits for, and which layer it is in.
pub struct Schedule {
    layer_of: Vec<usize>,
    /// For each package, the packages waiting for it.
    dependents: Vec<Vec<usize>>,
    /// For each package, how many packages it waits for.
    waits: Vec<usize>,
    /// For each package, the cost of the costliest chain of waits it starts (`Schedule::new`).
    tail: Vec<u64>,
}

impl Schedule {
    /// Package `i` waits for what its results may depend on (`Before`; skipped packages never
    /// run and are not waited for).
    pub fn new(found: &Discovery, roles: &[Role], through_deps: &[Vec<usize>]) -> Schedule {
        let n = found.packages.len();
        let mut before = Before::new(found, through_deps);
        // A skipped package waits for nothing: the walk goes on through it.
        let closed: Vec<bool> = (before.closed().into_iter().enumerate())
            .map(|(d, c)| c && roles[d] != Role::Skip)
            .collect();
        let mut dependents = vec![Vec::new(); n];
        let mut waits = vec![0; n];
        for i in (0..n).filter(|&i| roles[i] != Role::Skip) {
            before.waits_for(i, &closed, |d| {
                if roles[d] != Role::Skip {
                    dependents[d].push(i);
                    waits[i] += 1;
                }
            });
        }
        let tail = tails(found, roles, &dependents);
        Schedule {
            layer_of: before.layer_of,
            dependents,
            waits,
            tail,
        }
    }

    /// How many waits the schedule holds (one a package and a package it waits for): it grows
    /// with the imports, not with the packages' square (tests/costs.rs).
    pub fn wait_count(&self) -> usize {
        self.waits.iter().sum()
    }

    /// Whether package `i` may see package `j`: `j` is in an earlier layer.
    pub fn sees(&self, i: usize, j: usize) -> bool {
        self.layer_of[j] < self.layer_of[i]
    }

    /// Runs `work` on every package whose role is not `Skip`, each once all it waits for are
    /// done (or have called `Release::now`), then `done` with its result on the same thread (so
    /// what `done` publishes, such as the package's facts, is there before any dependent
    /// starts, unless the work published it and released them earlier). Returns what `done`
    /// kept, in package order.
    pub fn run<R: Send, K: Send>(
        &self,
        roles: &[Role],
        work: impl Fn(usize, &Release) -> R + Sync,
        done: impl Fn(usize, R) -> K + Sync,
    ) -> Vec<Option<K>> {
        let n = roles.len();
        let state = Running {
            schedule: self,
            work: &work,
            done: &done,
            left: self.waits.iter().map(|&w| AtomicUsize::new(w)).collect(),
            kept: (0..n).map(|_| Mutex::new(None)).collect(),
            ready: Mutex::new(Ready::default()),
            limit: rayon::current_num_threads() + 1,
        };
        rayon::scope(|s| {
            for i in (0..n).filter(|&i| roles[i] != Role::Skip && self.waits[i] == 0) {
                state.ready(s, i);
            }
        });
        state
            .kept
            .into_iter()
            .map(|k| k.into_inner().expect("not poisoned"))
            .collect()
    }
}

/// For each package, the cost of the costliest chain that starts with it: its own cost (the
/// bytes of its files; `Bytes::skeleton` for a package read for its facts)
/// and the costliest chain of a package waiting for it. The ready package with the costliest
/// chain runs first, so that a long chain (up to a large package such as the compiler's `ssa`)
/// does not start late and leave a core idle at the end.
fn tails(found: &Discovery, roles: &[Role], dependents: &[Vec<usize>]) -> Vec<u64> {
    let bytes = package_bytes(found);
    let mut tail = vec![0u64; roles.len()];
    // Those waiting for a package are in later layers: done first.
    for &i in found.layers.iter().rev().flatten() {
        let own = match roles[i] {
            Role::Report => bytes[i].all,
            Role::Facts => bytes[i].skeleton(),
            Role::Skip => continue,
        };
        let next = dependents[i].iter().map(|&d| tail[d]).max().unwrap_or(0);
        tail[i] = own + next;
    }
    tail
}

/// Lets a package's work start the packages waiting for it before the work ends: once what
/// they read of it (its facts) is published, the rest of its audit (the rules no importer
/// reads) is off their path. Work that never calls it releases them when it ends.
pub struct Release<'r> {
    now: &'r (dyn Fn() + Sync),
}

impl Release<'_> {
    /// Starts the packages waiting only for this one; later calls do nothing.
    pub fn now(&self) {
        (self.now)()
    }
}

/// Packages whose waits are over, the costliest chain first, and how many are running.
#[derive(Default)]
struct Ready {
    queue: BinaryHeap<(u64, Reverse<usize>)>,
    running: usize,
}

struct Running<'a, W, D, K> {
    schedule: &'a Schedule,
    work: &'a W,
    done: &'a D,
    left: Vec<AtomicUsize>,
    kept: Vec<Mutex<Option<K>>>,
    ready: Mutex<Ready>,
    /// At most this many packages hold their trees at once: a thread waiting inside one
    /// package's parallel loop would otherwise start another package, and memory would grow
    /// with the tree instead of staying flat.
    limit: usize,
}

impl<'a, W, D, R, K> Running<'a, W, D, K>
where
    W: Fn(usize, &Release) -> R + Sync,
    D: Fn(usize, R) -> K + Sync,
    K: Send,
{
    /// Queues package `i` (the costliest chain of waits first) and starts what fits.
    fn ready<'s>(&'s self, s: &Scope<'s>, i: usize) {
        let tail = self.schedule.tail[i];
        let mut ready = self.ready.lock().expect("not poisoned");
        ready.queue.push((tail, Reverse(i)));
        self.start_what_fits(s, &mut ready);
    }

    fn start_what_fits<'s>(&'s self, s: &Scope<'s>, ready: &mut Ready) {
        while ready.running < self.limit {
            let Some((_, Reverse(i))) = ready.queue.pop() else {
                return;
            };
            ready.running += 1;
            s.spawn(move |s| self.run_one(s, i));
        }
    }

    fn run_one<'s>(&'s self, s: &Scope<'s>, i: usize) {
        let released = AtomicBool::new(false);
        let release = || {
            if !released.swap(true, Ordering::AcqRel) {
                self.release_dependents(s, i);
            }
        };
        let result = (self.work)(i, &Release { now: &release });
        let kept = (self.done)(i, result);
        *self.kept[i].lock().expect("not poisoned") = Some(kept);
        self.ready.lock().expect("not poisoned").running -= 1;
        release();
        let mut ready = self.ready.lock().expect("not poisoned");
        self.start_what_fits(s, &mut ready);
    }

    /// Counts package `i` done for those waiting on it, queueing each whose waits are over.
    fn release_dependents<'s>(&'s self, s: &Scope<'s>, i: usize) {
        for &d in &self.schedule.dependents[i] {
            if self.left[d].fetch_sub(1, Ordering::AcqRel) == 1 {
                self.ready(s, d);
            }
        }
    }
}

/// What a run does with a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Audit it and report its findings.
    Report,
    /// Parse it for its facts only: a reported package's results may depend on them.
    Facts,
    /// Leave it alone.
    Skip,
}

/// The bytes of a package's files.
pub struct Bytes {
    pub all: u64,
    /// Its non-test files'.
    pub code: u64,
}

impl Bytes {
    /// What reading the package for its facts costs, in audited bytes: a quarter of its non-test
    /// files' (a skeleton's byte costs about a quarter of an audited byte's thread time on the
    /// standard library).
    pub fn skeleton(&self) -> u64 {
        self.code / 4
    }
}

/// The bytes of each package's files.
pub fn package_bytes(found: &Discovery) -> Vec<Bytes> {
    found
        .packages
        .iter()
        .map(|p| {
            let test = |f: &std::path::PathBuf| crate::source::is_test_path(&f.to_string_lossy());
            let sized = p.files.iter().zip(&p.sizes);
            Bytes {
                all: p.sizes.iter().sum(),
                code: sized.filter(|(f, _)| !test(f)).map(|(_, s)| s).sum(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::Package;
    use std::collections::BTreeSet;

    fn package(path: &str) -> Package {
        Package {
            dir: path.into(),
            rel_dir: path.into(),
            import_path: path.into(),
            go_version: None,
            files: Vec::new(),
            sizes: Vec::new(),
            imports: BTreeSet::new(),
            test_imports: BTreeSet::new(),
        }
    }

    /// a <- b <- c, and d alone; c's layer is after b's after a's.
    fn discovery() -> Discovery {
        Discovery {
            root: "/".into(),
            modules: Vec::new(),
            packages: ["a", "d", "b", "c"].into_iter().map(package).collect(),
            layers: vec![vec![0, 1], vec![2], vec![3]],
            imports: vec![
                BTreeSet::new(),
                BTreeSet::new(),
                BTreeSet::from([0]),
                BTreeSet::from([2]),
            ],
            unreadable: Vec::new(),
        }
    }

    #[test]
    fn a_package_reaches_only_earlier_layers() {
        let mut found = discovery();
        // `a` imports `c` too (a test's import, say): the cycle put `c` in a later layer.
        found.imports[0] = BTreeSet::from([3]);
        let through = vec![Vec::new(); 4];
        let mut before = Before::new(&found, &through);
        let mut reached = Vec::new();
        before.walk(3, |d| reached.push(d));
        reached.sort();
        assert_eq!(reached, [0, 2]);
        let mut reached = Vec::new();
        before.walk(0, |d| reached.push(d));
        assert!(reached.is_empty(), "{reached:?}");
    }

    #[test]
    fn a_package_starts_after_everything_its_imports_reach() {
        let found = discovery();
        let roles = vec![Role::Report; 4];
        let schedule = Schedule::new(&found, &roles, &vec![vec![]; 4]);
        // 3 waits for 2 only: 2 waits for 0, so 3 still starts after all it reaches.
        assert_eq!(schedule.waits, vec![0, 0, 1, 1]);
        let finished = Mutex::new(Vec::new());
        let kept = schedule.run(
            &roles,
            |i, _| {
                let before = finished.lock().unwrap().clone();
                match i {
                    2 => assert!(before.contains(&0)),
                    3 => assert!(before.contains(&0) && before.contains(&2)),
                    _ => {}
                }
                i * 10
            },
            |i, r| {
                finished.lock().unwrap().push(i);
                r + 1
            },
        );
        assert_eq!(kept, vec![Some(1), Some(11), Some(21), Some(31)]);
        assert!(schedule.sees(3, 0) && !schedule.sees(0, 1) && !schedule.sees(2, 3));
    }

    #[test]
    fn a_package_that_releases_early_lets_its_dependents_start_before_it_ends() {
        let found = discovery();
        // `b` (2) imports `a` (0); `a` releases it, then waits for it to run.
        let roles = vec![Role::Report, Role::Skip, Role::Report, Role::Skip];
        let schedule = Schedule::new(&found, &roles, &vec![vec![]; 4]);
        let started = std::sync::atomic::AtomicBool::new(false);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let kept = pool.install(|| {
            schedule.run(
                &roles,
                |i, release| {
                    if i == 2 {
                        started.store(true, Ordering::SeqCst);
                        return true;
                    }
                    release.now();
                    release.now();
                    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                    while !started.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
                        std::thread::yield_now();
                    }
                    started.load(Ordering::SeqCst)
                },
                |_, r| r,
            )
        });
        assert_eq!(kept[0], Some(true), "2 ran while 0 was still working");
        assert_eq!(kept[2], Some(true));
    }

    #[test]
    fn skipped_packages_neither_run_nor_hold_others_back() {
        let found = discovery();
        let roles = vec![Role::Skip, Role::Report, Role::Facts, Role::Report];
        let schedule = Schedule::new(&found, &roles, &vec![vec![]; 4]);
        let kept = schedule.run(&roles, |i, _| i, |_, r| r);
        assert_eq!(kept, vec![None, Some(1), Some(2), Some(3)]);
    }

    /// `c` imports a required module's package that imports `a` back: `c` sees `a` through it
    /// (`Index::visible_from_where`), so it waits for `a` too.
    #[test]
    fn a_package_waits_for_what_it_reaches_through_dependencies() {
        let mut found = discovery();
        found.imports[3].clear();
        found.packages[3].imports.insert("dep.example/x".into());
        let index = Index::new();
        let mut dep = crate::index::PackageFacts::new("dep.example/x", "x");
        dep.imports.insert("a".into());
        index.add_dep(std::sync::Arc::new(dep));
        let roles = vec![Role::Report; 4];
        assert_eq!(Schedule::new(&found, &roles, &vec![vec![]; 4]).waits[3], 0);
        let through = through_deps(&found, &index);
        assert_eq!(through, [vec![], vec![], vec![], vec![0]]);
        let schedule = Schedule::new(&found, &roles, &through);
        assert_eq!(schedule.waits[3], 1);
        assert_eq!(schedule.dependents[0], vec![2, 3]);
    }
}
