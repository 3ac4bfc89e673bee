//! Where collected output goes: one file per command, named after the
//! command (`kubectl get nodes -o json` → `kubectl-get-nodes-o-json.txt`),
//! and `manifest.json` listing every command with its exit code, duration,
//! timestamps and the clients' versions.
//!
//! This module knows files and the manifest's shape; it must not know what
//! the commands print nor how the folder is analysed.

use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The manifest's file name inside a saved folder.
pub const MANIFEST: &str = "manifest.json";

/// The longest file stem we write (file systems allow 255 bytes; a command
/// over many services or pods would exceed that).
const MAX_STEM: usize = 120;

/// `kubectl get pods -n shop -o json` → `kubectl-get-pods-n-shop-o-json`:
/// flag dashes dropped, every run of characters other than ASCII letters,
/// digits, `.` and `_` turned into one `-`, at most [`MAX_STEM`] chars.
pub fn file_stem(words: &[String]) -> String {
    let mut stem = String::new();
    for word in words {
        for c in word.trim_start_matches('-').chars() {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                stem.push(c);
            } else if !stem.ends_with('-') {
                stem.push('-');
            }
        }
        if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let mut stem = stem.trim_matches(['-', '.']).to_owned();
    if stem.len() > MAX_STEM {
        stem.truncate(MAX_STEM);
        stem = stem.trim_end_matches(['-', '.']).to_owned();
    }
    if stem.is_empty() {
        "output".to_owned()
    } else {
        stem
    }
}

/// Unique `.txt` file names: a second command with the same stem gets `-2`.
#[derive(Debug, Default)]
pub struct Names {
    used: HashSet<String>,
}

impl Names {
    pub fn claim(&mut self, stem: &str) -> String {
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{stem}.txt")
            } else {
                format!("{stem}-{n}.txt")
            };
            if self.used.insert(name.to_ascii_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

/// `manifest.json`: what was run, how it ended, what it cost.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub tool: ToolVersion,
    /// `kubernetes`, `docker` or `swarm`.
    pub collector: &'static str,
    pub started: String,
    pub finished: String,
    /// Client name → the version it reported (`kubectl` → `v1.32.4`).
    pub clients: Vec<ClientVersion>,
    pub commands: Vec<CommandEntry>,
    /// The warnings printed during the run (each names its command).
    pub warnings: Vec<String>,
    /// Set when the saved files were passed through `--redact`.
    pub redacted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolVersion {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientVersion {
    pub client: String,
    pub version: String,
}

/// One command in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct CommandEntry {
    /// As a user would type it, connection flags included.
    pub command: String,
    /// The file holding its stdout (absent when it printed nothing or the
    /// output was only used to plan the next commands).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `ok`, `failed`, `timed-out` or `not-started`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    pub started: String,
    pub duration_ms: u64,
    /// stderr's last line when the command did not succeed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned()) + "\n"
    }
}

/// Write `files` (name, content) and the manifest into `dir`, creating it.
pub fn write_folder(
    dir: &Path,
    files: &[(String, String)],
    manifest: &Manifest,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    std::fs::write(dir.join(MANIFEST), manifest.to_json())
}

/// `duration` in whole milliseconds.
pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// RFC 3339 UTC with seconds: `2026-12-06T22:11:44Z`.
pub fn timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's
/// `civil_from_days` (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn file_names_follow_the_command() {
        assert_eq!(
            file_stem(&words("kubectl get nodes -o json")),
            "kubectl-get-nodes-o-json"
        );
        assert_eq!(
            file_stem(&words("kubectl describe pod web-0 -n shop")),
            "kubectl-describe-pod-web-0-n-shop"
        );
        assert_eq!(
            file_stem(&words("docker service ps --no-trunc api")),
            "docker-service-ps-no-trunc-api"
        );
        assert_eq!(
            file_stem(&words(
                "docker image inspect mcr.microsoft.com/windows/servercore:ltsc2019"
            )),
            "docker-image-inspect-mcr.microsoft.com-windows-servercore-ltsc2019"
        );
        assert!(file_stem(&[("x".repeat(300))]).len() <= MAX_STEM);
    }

    #[test]
    fn a_repeated_name_gets_a_number() {
        let mut names = Names::default();
        assert_eq!(names.claim("a"), "a.txt");
        assert_eq!(names.claim("a"), "a-2.txt");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_796_595_104);
        assert_eq!(timestamp(t), "2026-12-06T22:11:44Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_825_600); // 2000-02-29T12:00:00Z
        assert_eq!(timestamp(leap), "2000-02-29T12:00:00Z");
    }
}
