//! Runs one read-only client command (`kubectl …`, `docker …`) with a
//! timeout and captures its stdout, stderr, exit status and duration.
//!
//! This module knows processes and pipes only: it must not know which
//! commands exist, what their output means, nor where it is saved.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// How one command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Exited with status 0.
    Ok,
    /// Exited with another status (`None`: killed by a signal).
    Failed(Option<i32>),
    /// Still running after the timeout; killed.
    TimedOut,
    /// The program could not be started (not on PATH, not executable).
    NotStarted(String),
}

/// What one command printed and how it ended.
#[derive(Debug, Clone)]
pub struct Ran {
    /// The program and its arguments, as run.
    pub argv: Vec<String>,
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub started: SystemTime,
    pub duration: Duration,
}

impl Ran {
    pub fn ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// The exit code when the program exited by itself.
    pub fn exit_code(&self) -> Option<i32> {
        match self.status {
            Status::Ok => Some(0),
            Status::Failed(code) => code,
            _ => None,
        }
    }

    /// The command line as a user would type it (arguments with spaces or
    /// quotes quoted), for warnings and the manifest.
    pub fn command_line(&self) -> String {
        self.argv
            .iter()
            .map(|a| {
                if a.is_empty() || a.contains([' ', '"', '\'', '{', '}']) {
                    format!("'{}'", a.replace('\'', "'\\''"))
                } else {
                    a.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The last non-empty line of stderr (where kubectl and docker put the
    /// reason: `Error from server (Forbidden): …`), at most 300 chars.
    pub fn reason(&self) -> String {
        let text = String::from_utf8_lossy(&self.stderr);
        let line = text
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("")
            .to_owned();
        let line = if line.chars().count() > 300 {
            let cut: String = line.chars().take(300).collect();
            format!("{cut}…")
        } else {
            line
        };
        match &self.status {
            Status::Ok => line,
            Status::Failed(Some(code)) if line.is_empty() => format!("exit status {code}"),
            Status::Failed(Some(code)) => format!("exit status {code}: {line}"),
            Status::Failed(None) => "killed by a signal".to_owned(),
            Status::TimedOut => format!("no answer within {} s", self.duration.as_secs()),
            Status::NotStarted(why) => why.clone(),
        }
    }
}

/// Run `argv` (program first) with `timeout`; stdin is closed so a client
/// that prompts (an exec auth plugin asking for a password) fails instead
/// of hanging.
pub fn run(argv: &[String], timeout: Duration) -> Ran {
    let started = SystemTime::now();
    let clock = Instant::now();
    let mut ran = Ran {
        argv: argv.to_vec(),
        status: Status::Ok,
        stdout: Vec::new(),
        stderr: Vec::new(),
        started,
        duration: Duration::ZERO,
    };
    let Some((program, args)) = argv.split_first() else {
        ran.status = Status::NotStarted("empty command".to_owned());
        return ran;
    };
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            ran.status = Status::NotStarted(format!("`{program}` not found on PATH"));
            return ran;
        }
        Err(e) => {
            ran.status = Status::NotStarted(format!("cannot start `{program}`: {e}"));
            return ran;
        }
    };
    // Both pipes are drained on their own threads so that a chatty client
    // cannot block on a full pipe while we wait for it.
    let out = child.stdout.take().map(drain);
    let err = child.stderr.take().map(drain);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if clock.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => break None,
        }
    };
    // A grandchild (an exec auth plugin) may still hold a pipe open after
    // the client was killed: wait for the pipes a moment only.
    let grace = Duration::from_millis(500);
    ran.stdout = out
        .and_then(|rx| rx.recv_timeout(grace).ok())
        .unwrap_or_default();
    ran.stderr = err
        .and_then(|rx| rx.recv_timeout(grace).ok())
        .unwrap_or_default();
    ran.duration = clock.elapsed();
    ran.status = match status {
        None => Status::TimedOut,
        Some(s) if s.success() => Status::Ok,
        Some(s) => Status::Failed(s.code()),
    };
    ran
}

/// Read a pipe to its end on a thread; the bytes arrive on the channel.
fn drain(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn captures_stdout_stderr_and_exit_code() {
        let ran = run(
            &argv(&[
                "sh",
                "-c",
                "echo out; echo 'Error from server (Forbidden): no' >&2; exit 3",
            ]),
            Duration::from_secs(10),
        );
        assert_eq!(ran.stdout, b"out\n");
        assert_eq!(ran.status, Status::Failed(Some(3)));
        assert_eq!(ran.exit_code(), Some(3));
        assert_eq!(
            ran.reason(),
            "exit status 3: Error from server (Forbidden): no"
        );
    }

    #[test]
    fn a_slow_command_is_killed_at_the_timeout() {
        let ran = run(&argv(&["sleep", "5"]), Duration::from_millis(200));
        assert_eq!(ran.status, Status::TimedOut);
        assert!(ran.duration < Duration::from_secs(4));
    }

    #[test]
    fn a_missing_program_is_not_started() {
        let ran = run(&argv(&["wincompat-no-such-client"]), Duration::from_secs(1));
        assert_eq!(
            ran.status,
            Status::NotStarted("`wincompat-no-such-client` not found on PATH".to_owned())
        );
    }

    #[test]
    fn command_line_quotes_what_a_shell_would_split() {
        let ran = run(
            &argv(&["true", "a b", "{{json .}}"]),
            Duration::from_secs(5),
        );
        assert_eq!(ran.command_line(), "true 'a b' '{{json .}}'");
    }
}
