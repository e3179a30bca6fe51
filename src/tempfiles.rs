//! The temporary files a file is written through before it is renamed into place (reports,
//! baselines, fixed sources): named `.goaudit-tmp-<pid>-XXXXXX` beside their target, removed
//! when SIGINT or SIGTERM ends the run, and, if a run was killed harder (SIGKILL, a crash), removed
//! by the next run that writes into the same folder once their process is gone.
//!
//! The signal handler only writes the signal's number to a pipe (all a handler may safely do); a
//! watcher thread reads it, removes the live temporary files, and ends the process by the same
//! signal with its default action, so the exit status still says what happened (130 for Ctrl-C
//! in a shell). Caught signals are reset to their default in child processes (`exec`), so the
//! tools goaudit runs still stop on Ctrl-C.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

/// The start of every temporary file name goaudit writes beside a target.
pub const PREFIX: &str = ".goaudit-tmp-";

/// The temporary files being written now.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The pipe's write end for the signal handler; -1 until `remove_on_signal` ran.
static SIGNAL_PIPE: AtomicI32 = AtomicI32::new(-1);

/// This process's prefix: `.goaudit-tmp-<pid>-`, so a later run can tell whose a file is.
pub fn prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

/// Notes that `path` is being written (it is removed if a signal ends the run).
pub fn register(path: &Path) {
    live().push(path.to_path_buf());
}

/// Notes that `path` was renamed into place or removed.
pub fn forget(path: &Path) {
    live().retain(|p| p != path);
}

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every temporary file being written now.
pub fn remove_live() {
    remove_all(&mut live());
}

/// Removes the files of `paths`, and empties it.
fn remove_all(paths: &mut Vec<PathBuf>) {
    for path in paths.drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes the temporary files of ours in `dir` whose process is gone (a run killed before it
/// could clean up). Files of a running goaudit, this one included, are left alone.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        if !process_exists(pid) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a name of ours: `.goaudit-tmp-<pid>-XXXXXX`.
fn owner_pid(name: &str) -> Option<i32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty()).then_some(())?;
    pid.parse().ok().filter(|&p| p > 0)
}

/// Whether a process with this id runs (or exists but is not ours to signal).
fn process_exists(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Installs the SIGINT and SIGTERM handling described above; call it once, early in `main`.
pub fn remove_on_signal() {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe writes.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return;
    }
    let [read_end, write_end] = fds;
    SIGNAL_PIPE.store(write_end, Ordering::SeqCst);
    let watcher = std::thread::Builder::new()
        .name("goaudit-signals".into())
        .spawn(move || watch_signals(read_end));
    if watcher.is_err() {
        return;
    }
    for signal in [libc::SIGINT, libc::SIGTERM] {
        install_handler(signal);
    }
}

fn install_handler(signal: libc::c_int) {
    // SAFETY: a zeroed sigaction is valid; the handler is async-signal-safe (`on_signal`).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(signal, &action, std::ptr::null_mut());
    }
}

/// The handler: writes the signal's number to the pipe, nothing else.
extern "C" fn on_signal(signal: libc::c_int) {
    let byte = signal as u8;
    let fd = SIGNAL_PIPE.load(Ordering::SeqCst);
    // SAFETY: write(2) is async-signal-safe; `byte` outlives the call.
    unsafe {
        libc::write(fd, (&byte as *const u8).cast(), 1);
    }
}

/// Waits for a signal's number on the pipe, removes the live temporary files, then ends the
/// process by that signal's default action.
fn watch_signals(read_end: libc::c_int) {
    let mut byte = 0u8;
    loop {
        // SAFETY: reads one byte into `byte`, which outlives the call.
        let n = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
        if n == 1 {
            break;
        }
        if n == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    }
    remove_live();
    let signal = libc::c_int::from(byte);
    // SAFETY: restoring the default action and raising the signal ends the process as the
    // signal would have without our handler.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
    std::process::exit(128 + signal);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_ours_say_whose_they_are() {
        assert_eq!(owner_pid(".goaudit-tmp-123-abcDEF"), Some(123));
        assert_eq!(
            owner_pid(&format!("{}x1y2z3", prefix())),
            Some(std::process::id() as i32)
        );
        assert_eq!(owner_pid(".tmpabc123"), None);
        assert_eq!(owner_pid(".goaudit-tmp-123-"), None);
        assert_eq!(owner_pid(".goaudit-tmp-x-abc"), None);
    }

    #[test]
    fn stale_files_of_gone_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // No process id reaches 2^30 (Linux's pid_max is at most 2^22).
        let stale = dir.path().join(".goaudit-tmp-1073741823-abcdef");
        let ours = dir.path().join(format!("{}abcdef", prefix()));
        let other = dir.path().join(".tmpabcdef");
        for p in [&stale, &ours, &other] {
            std::fs::write(p, "x").unwrap();
        }
        remove_stale(dir.path());
        assert!(!stale.exists());
        assert!(ours.exists() && other.exists());
    }

    #[test]
    fn registered_files_are_removed_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(format!("{}live01", prefix()));
        std::fs::write(&p, "x").unwrap();
        register(&p);
        // The other tests' files being written stay: only this one is taken out and removed.
        let mut mine: Vec<PathBuf> = live().extract_if(.., |q| *q == p).collect();
        remove_all(&mut mine);
        assert!(!p.exists());
    }
}
