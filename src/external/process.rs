//! Child processes on a tokio runtime: started at once, drained while goaudit's own work runs,
//! bounded by a deadline, and killed with their whole process group when it passes (`go vet`
//! runs one `vet` process per package under the `go` command; killing `go` alone would leave them).

use std::io;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};

/// One command to run in one folder.
#[derive(Debug, Clone)]
pub struct Job {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub dir: PathBuf,
}

/// What a finished process left.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// How a process ended.
#[derive(Debug)]
pub enum Ended {
    Exited(Output),
    TimedOut,
    Failed(String),
}

/// A runtime for the tools: one worker thread that drains their pipes while the calling thread
/// runs the built-in (rayon) audit; the real work happens in the child processes.
pub fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("goaudit-tools")
        .enable_io()
        .enable_time()
        .build()
}

/// Starts a job (on Unix in its own process group); call inside the runtime (`Runtime::enter`).
pub fn spawn(job: &Job) -> io::Result<Child> {
    let mut command = Command::new(&job.program);
    command
        .args(&job.args)
        .current_dir(&job.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    command.process_group(0);
    command.spawn()
}

/// Kills a process group when dropped, unless disarmed: a timeout, or a runtime dropped early
/// (goaudit failing), never leaves a tool running.
struct GroupKill(Option<u32>);

impl GroupKill {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for GroupKill {
    /// On Unix, kills the group; elsewhere `kill_on_drop` ends the child alone.
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.0.and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: kill(2) with a negative pid signals the process group we created for the
            // child (process_group(0) made its pid the group id); it touches no memory.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

/// Waits for a child, reading its output, for at most `limit`; an output stream over
/// `bounded::TOOL_OUTPUT_LIMIT` ends it (killed) with a failure naming the limit.
pub async fn finish(child: Child, limit: Duration) -> Ended {
    finish_within(child, limit, crate::bounded::TOOL_OUTPUT_LIMIT).await
}

async fn finish_within(mut child: Child, limit: Duration, bytes: u64) -> Ended {
    let mut guard = GroupKill(child.id());
    let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
        return Ended::Failed("its output pipes were not open".into());
    };
    let run = async {
        let (stdout, stderr) = tokio::try_join!(
            read_stream(out, bytes, "standard output"),
            read_stream(err, bytes, "standard error")
        )?;
        let status = child.wait().await?;
        Ok::<_, io::Error>(Output {
            code: status.code(),
            stdout,
            stderr,
        })
    };
    match tokio::time::timeout(limit, run).await {
        Ok(Ok(out)) => {
            guard.disarm();
            Ended::Exited(out)
        }
        Ok(Err(e)) => Ended::Failed(format!("could not read its output: {e}")),
        Err(_) => Ended::TimedOut,
    }
}

/// All of one output stream, failing as soon as it passes `limit` bytes.
async fn read_stream(
    stream: impl AsyncRead + Unpin,
    limit: u64,
    name: &str,
) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    stream
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .await?;
    if bytes.len() as u64 > limit {
        let over = crate::bounded::human(limit);
        return Err(io::Error::other(format!(
            "its {name} is over the {over} limit"
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts `sh -c script` on the runtime.
    fn start(rt: &tokio::runtime::Runtime, script: &str) -> Child {
        let _in = rt.enter();
        spawn(&sh(script)).unwrap()
    }

    fn sh(script: &str) -> Job {
        Job {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            dir: std::env::temp_dir(),
        }
    }

    #[test]
    fn output_and_exit_code_are_kept() {
        let rt = runtime().unwrap();
        let child = start(&rt, "echo out; echo err >&2; exit 3");
        match rt.block_on(finish(child, Duration::from_secs(10))) {
            Ended::Exited(o) => {
                assert_eq!(o.code, Some(3));
                assert_eq!(o.stdout, b"out\n");
                assert_eq!(o.stderr, b"err\n");
            }
            other => panic!("{other:?}"),
        }
    }

    /// A tool that writes without end is stopped at the output limit, not read into memory.
    #[test]
    fn output_over_the_limit_ends_the_tool() {
        let rt = runtime().unwrap();
        let child = start(&rt, "echo small >&2; exec cat /dev/zero");
        match rt.block_on(finish_within(child, Duration::from_secs(10), 1 << 20)) {
            Ended::Failed(e) => {
                assert!(e.contains("standard output is over the 1 MiB limit"), "{e}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_timeout_kills_the_whole_group() {
        let rt = runtime().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild.pid");
        let script = format!("sleep 30 & echo $! > {}; wait", marker.display());
        let child = start(&rt, &script);
        let t = std::time::Instant::now();
        assert!(matches!(
            rt.block_on(finish(child, Duration::from_millis(500))),
            Ended::TimedOut
        ));
        assert!(t.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(200));
        let pid = std::fs::read_to_string(&marker).unwrap();
        let alive = std::path::Path::new(&format!("/proc/{}", pid.trim())).exists()
            && !std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
                .unwrap_or_default()
                .contains(") Z ");
        assert!(!alive, "the grandchild `sleep` outlived the timeout");
    }
}
