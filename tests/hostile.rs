//! Hostile inputs, end to end through the binary (issue 6, "Hostile-input
//! suite"). Every case checks the same contract:
//!
//! - no panic (stderr never says `panicked`, the exit code is 0, 1 or 2);
//! - a clear message naming the input (on stderr, or as a warning on that
//!   input in the report);
//! - the other inputs are still analysed (a good input given beside the
//!   hostile one still yields its finding);
//! - the exit code of the README contract: 0 no failure, 1 failures found,
//!   2 nothing readable.
//!
//! All texts are our own, in the shapes users paste. Hermetic: the
//! environment variables wincompat reads are removed.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn wincompat() -> Command {
    let mut cmd = Command::cargo_bin("wincompat").expect("binary");
    cmd.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CI");
    cmd
}

/// What one run printed and returned.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

fn finish(out: std::process::Output) -> Run {
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "wincompat panicked:\n{}",
        run.stderr
    );
    assert!(
        matches!(run.code, 0..=2),
        "exit code {} outside the contract; stderr:\n{}",
        run.code,
        run.stderr
    );
    run
}

fn run(args: &[&std::ffi::OsStr]) -> Run {
    finish(wincompat().args(args).output().expect("runs"))
}

fn run_stdin(args: &[&str], stdin: &[u8]) -> Run {
    finish(
        wincompat()
            .args(args)
            .write_stdin(stdin.to_vec())
            .output()
            .expect("runs"),
    )
}

/// A failure with both builds stated: always WC102 `image-newer-than-host`.
const GOOD: &str = "C:\\> docker pull contoso.example/tools/ledger:2.0-ltsc2022\n\
2.0-ltsc2022: Pulling from tools/ledger\n\
a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host\n";

/// The legacy docker wording with its extra-info blob; `{BLOB}` is replaced.
const LEGACY_HEAD: &str = "docker: Error response from daemon: container 4c1d7e9a2b3f encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101) extra info: ";

/// A realistic blob (our own IDs), single escape depth 0.
const BLOB: &str = r#"{"SystemType":"Container","Name":"4c1d7e9a2b3f","Owner":"docker","VolumePath":"\\\\?\\Volume{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}","IgnoreFlushesDuringBoot":true,"LayerFolderPath":"C:\\ProgramData\\docker\\windowsfilter\\4c1d7e9a2b3f","Layers":[{"ID":"7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928","Path":"C:\\ProgramData\\docker\\windowsfilter\\9f8e7d6c5b4a"}],"HostName":"4c1d7e9a2b3f","HvPartition":false,"EndpointList":["1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"]}"#;

fn legacy() -> String {
    format!("{LEGACY_HEAD}{BLOB}.\n")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

/// The `findings` array of a JSON report.
fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

/// Kinds of the error findings, sorted.
fn error_kinds(report: &Value) -> Vec<String> {
    let mut kinds: Vec<String> = findings(report)
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["kind"].as_str().unwrap_or("").to_owned())
        .collect();
    kinds.sort();
    kinds
}

/// Whether some finding cites evidence from an input whose name ends with `name`.
fn cites(report: &Value, name: &str) -> bool {
    findings(report).iter().any(|f| {
        f["evidence"].as_array().is_some_and(|ev| {
            ev.iter()
                .any(|e| e["input"].as_str().is_some_and(|i| i.ends_with(name)))
        })
    })
}

/// Warnings recorded on the input whose name ends with `name`.
fn input_warnings(report: &Value, name: &str) -> Vec<String> {
    report["inputs"]
        .as_array()
        .expect("inputs array")
        .iter()
        .filter(|i| i["name"].as_str().is_some_and(|n| n.ends_with(name)))
        .flat_map(|i| i["warnings"].as_array().cloned().unwrap_or_default())
        .filter_map(|w| w.as_str().map(str::to_owned))
        .collect()
}

/// Run the hostile bytes beside a good input, as JSON: the good input's
/// finding must be there and the run must exit 1.
fn beside_good(name: &str, bytes: &[u8]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = write(dir.path(), name, bytes);
    let good = write(dir.path(), "good.txt", GOOD.as_bytes());
    let run = run(&[
        "--format".as_ref(),
        "json".as_ref(),
        hostile.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(run.code, 1, "stderr:\n{}", run.stderr);
    let report = run.json();
    assert!(
        cites(&report, "good.txt"),
        "good input not analysed:\n{}",
        run.stdout
    );
    (dir, run)
}

/// Run the hostile bytes alone, as JSON.
fn alone(name: &str, bytes: &[u8]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = write(dir.path(), name, bytes);
    let run = run(&["--format".as_ref(), "json".as_ref(), hostile.as_os_str()]);
    (dir, run)
}

// ---------------------------------------------------------------------------
// Empty and blank
// ---------------------------------------------------------------------------

#[test]
fn empty_file_is_read_and_reports_no_failure() {
    let (_dir, run) = alone("empty.log", b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert!(findings(&report).is_empty());
    assert!(report["inputs"][0]["name"]
        .as_str()
        .is_some_and(|n| n.ends_with("empty.log")));
    beside_good("empty.log", b"");
}

#[test]
fn empty_stdin_reports_no_failure() {
    let run = run_stdin(&["--format", "json", "-"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["inputs"][0]["name"], "<stdin>");
}

#[test]
fn whitespace_only_reports_no_failure() {
    let (_dir, run) = alone("blank.txt", b"  \n\t\r\n \r \n\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(findings(&run.json()).is_empty());
    beside_good("blank.txt", b"   \n");
}

// ---------------------------------------------------------------------------
// Binaries
// ---------------------------------------------------------------------------

/// Deterministic noise with NULs, as a random binary would have.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn random_binary_is_skipped_by_name_and_others_are_analysed() {
    let bytes = noise(64 * 1024, 0x9e37_79b9_7f4a_7c15);
    let (_dir, run) = alone("core.dmp", &bytes);
    assert_eq!(run.code, 2, "nothing readable: {}", run.stderr);
    assert!(
        run.stderr.contains("core.dmp") && run.stderr.contains("binary"),
        "{}",
        run.stderr
    );

    let (_dir, run) = beside_good("core.dmp", &bytes);
    assert!(run.stderr.contains("core.dmp"), "{}", run.stderr);
    let warnings = input_warnings(&run.json(), "core.dmp");
    assert!(
        warnings.iter().any(|w| w.contains("binary")),
        "{warnings:?}"
    );
}

#[test]
fn png_is_skipped_by_name_and_others_are_analysed() {
    let mut png =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x00\x00\x00\x03\x00\x08\x06".to_vec();
    png.extend(noise(4096, 7));
    let (_dir, run) = alone("screenshot.png", &png);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("screenshot.png") && run.stderr.contains("PNG"),
        "{}",
        run.stderr
    );
    let (_dir, run) = beside_good("screenshot.png", &png);
    assert!(run.stderr.contains("screenshot.png"));
}

#[test]
fn nul_bytes_inside_an_error_message_do_not_stop_the_others() {
    let text = legacy().replace(
        "operating system of the host",
        "operating system\0 of the host",
    );
    let (_dir, run) = beside_good("nul.log", text.as_bytes());
    let warnings = input_warnings(&run.json(), "nul.log");
    assert!(warnings.iter().any(|w| w.contains("NUL")), "{warnings:?}");
}

/// A log with one stray NUL (a log rotated while written, a paste through a
/// tool that pads) is text, and its failure must not be dropped.
#[test]

fn nul_bytes_inside_an_error_message_keep_the_failure() {
    let text = legacy().replace(
        "operating system of the host",
        "operating system\0 of the host",
    );
    let (_dir, run) = alone("nul.log", text.as_bytes());
    assert_eq!(run.code, 1, "the failure was dropped: {}", run.stderr);
}

// ---------------------------------------------------------------------------
// Encodings and line endings
// ---------------------------------------------------------------------------

#[test]
fn invalid_utf8_in_the_middle_of_the_hcs_json_keeps_the_failure() {
    let mut bytes = LEGACY_HEAD.as_bytes().to_vec();
    let (left, right) = BLOB.split_at(BLOB.find("\"Owner\"").expect("owner key"));
    bytes.extend(left.as_bytes());
    bytes.extend(b"\xc3\x28\xff\xfe");
    bytes.extend(right.as_bytes());
    bytes.extend(b".\n");
    let (_dir, run) = alone("mangled.log", &bytes);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(error_kinds(&report), ["mismatch-versions-unknown"]);
    let f = &findings(&report)[0];
    assert_eq!(f["error_code"], "0xc0370101");
    let warnings = input_warnings(&report, "mangled.log");
    assert!(
        warnings
            .iter()
            // Under the input's name, not repeating it (issue 15).
            .any(|w| !w.contains("mangled.log") && w.contains("invalid UTF-8")),
        "{warnings:?}"
    );
    beside_good("mangled.log", &bytes);
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if big_endian {
            [0xfe, 0xff]
        } else {
            [0xff, 0xfe]
        });
    }
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_le_and_be_with_and_without_bom_give_the_same_findings() {
    let text = format!("{}\r\n{}", legacy().trim_end(), GOOD.replace('\n', "\r\n"));
    let (_dir, reference) = alone("utf8.txt", text.as_bytes());
    assert_eq!(reference.code, 1);
    let expected = error_kinds(&reference.json());
    assert_eq!(
        expected,
        ["image-newer-than-host", "mismatch-versions-unknown"]
    );
    for (be, bom, name) in [
        (false, true, "le-bom.txt"),
        (false, false, "le.txt"),
        (true, true, "be-bom.txt"),
        (true, false, "be.txt"),
    ] {
        let (_dir, run) = alone(name, &utf16(&text, be, bom));
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let report = run.json();
        assert_eq!(error_kinds(&report), expected, "{name}");
        let warnings = input_warnings(&report, name);
        assert!(
            warnings
                .iter()
                .any(|w| !w.contains(name) && w.contains("UTF-16")),
            "{name}: {warnings:?}"
        );
    }
}

#[test]
fn cr_only_crlf_and_mixed_line_endings_give_the_same_findings() {
    let text = format!("noise before\n{}{GOOD}noise after\n", legacy());
    let (_dir, reference) = alone("lf.txt", text.as_bytes());
    let expected = error_kinds(&reference.json());
    assert_eq!(
        expected,
        ["image-newer-than-host", "mismatch-versions-unknown"]
    );
    let mixed: String = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| format!("{l}{}", ["\r\n", "\r", "\n"][i % 3]))
        .collect();
    for (name, t) in [
        ("cr.txt", text.replace('\n', "\r")),
        ("crlf.txt", text.replace('\n', "\r\n")),
        ("mixed.txt", mixed),
    ] {
        let (_dir, run) = alone(name, t.as_bytes());
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(error_kinds(&run.json()), expected, "{name}");
    }
}

// ---------------------------------------------------------------------------
// Size and depth
// ---------------------------------------------------------------------------

#[test]
fn a_100_mb_single_line_is_cut_with_a_warning_and_its_failure_kept() {
    let mut bytes = legacy().trim_end().as_bytes().to_vec();
    bytes.push(b' ');
    bytes.resize(100 * 1024 * 1024, b'x');
    let (_dir, run) = alone("one-line.log", &bytes);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(error_kinds(&report), ["mismatch-versions-unknown"]);
    let warnings = input_warnings(&report, "one-line.log");
    assert!(
        warnings
            .iter()
            .any(|w| !w.contains("one-line.log") && w.starts_with("line 1")),
        "{warnings:?}"
    );
}

#[test]
fn extra_info_nested_10000_levels_deep_keeps_the_failure() {
    let deep = format!(
        "{LEGACY_HEAD}{}{}.\n",
        "{\"a\":[".repeat(10_000),
        "]}".repeat(10_000)
    );
    let (_dir, run) = alone("deep.log", deep.as_bytes());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(error_kinds(&run.json()), ["mismatch-versions-unknown"]);
    // Unclosed, as a paste cut short.
    let open = format!("{LEGACY_HEAD}{}\n", "{[".repeat(10_000));
    let (_dir, run) = alone("open.log", open.as_bytes());
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn the_hcs_blob_truncated_at_every_byte_keeps_exactly_one_failure() {
    let full = legacy();
    let message_end = full.find("(0xc0370101)").expect("code") + "(0xc0370101)".len();
    for cut in 0..=full.len() {
        let Some(prefix) = full.get(..cut) else {
            continue;
        };
        let parsed = wincompat::pipeline::parse_text("cut.log", prefix);
        let failures: Vec<_> = parsed
            .records
            .iter()
            .filter_map(|r| match &r.data {
                wincompat::model::RecordData::Failure(f) => Some(f),
                _ => None,
            })
            .collect();
        assert!(failures.len() <= 1, "cut at {cut}: {failures:?}");
        if cut >= message_end {
            assert_eq!(failures.len(), 1, "cut at {cut}: failure lost");
            assert_eq!(failures[0].hcs_code, Some(0xC037_0101), "cut at {cut}");
        }
        let report =
            wincompat::analyze::analyze(&[parsed], &wincompat::analyze::GivenFacts::default());
        if cut >= message_end {
            assert!(
                report
                    .findings
                    .iter()
                    .any(|f| f.error_code.as_deref() == Some("0xc0370101")),
                "cut at {cut}: no finding"
            );
        }
    }
}

#[test]
fn escape_runs_of_64_backslashes_keep_the_failure() {
    let slashes = "\\".repeat(64);
    let text = format!(
        "{LEGACY_HEAD}{{{slashes}\"SystemType{slashes}\":{slashes}\"Container{slashes}\",{slashes}\"HvPartition{slashes}\":false}}.\n"
    );
    let (_dir, run) = alone("slashes.log", text.as_bytes());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(error_kinds(&run.json()), ["mismatch-versions-unknown"]);
}

// ---------------------------------------------------------------------------
// Numbers out of range
// ---------------------------------------------------------------------------

const DESCRIBE_HEAD: &str = "Name:         ledger-0\n\
Namespace:    billing\n\
Node:         winpool-7/10.20.30.40\n\
Events:\n  \
Type     Reason   Age                    From     Message\n  \
----     ------   ----                   ----     -------\n";

#[test]
fn counts_like_x99999999999_do_not_overflow() {
    let event = |count: &str| {
        format!("  Warning  Failed   12s ({count} over 3d)  kubelet  Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem ledger: The container operating system does not match the host operating system.: unknown\n")
    };
    let text = format!(
        "{DESCRIBE_HEAD}{}{}{}",
        event("x99999999999"),
        event("x99999999999999999999999"),
        event("x18446744073709551615")
    );
    let (_dir, first) = alone("describe.txt", text.as_bytes());
    assert_eq!(first.code, 1, "{}", first.stderr);
    let report = first.json();
    let total: u64 = findings(&report)
        .iter()
        .filter_map(|f| f["occurrences"].as_u64())
        .max()
        .expect("an occurrence count");
    assert!(total >= 99_999_999_999, "{total}");
    // The text report prints the count without overflowing either.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "describe.txt", text.as_bytes());
    let text_run = run(&[p.as_os_str()]);
    assert_eq!(text_run.code, 1);
}

#[test]
fn versions_like_10_0_99999999999_1_are_not_read_as_builds() {
    let text = "a Windows version 10.0.99999999999.1-based image is incompatible with a 10.0.99999999999999999999.99999999999999 host\n\
Microsoft Windows [Version 10.0.99999999999.1]\n\
OS Version:                10.0.4294967296 N/A Build 4294967296\n";
    let (_dir, run) = alone("versions.txt", text.as_bytes());
    let report = run.json();
    for f in findings(&report) {
        for key in ["host", "image_os"] {
            if let Some(build) = f[key]["build"].as_u64() {
                assert!(
                    build < 100_000,
                    "{key} build {build} read from an overflowing number"
                );
            }
        }
    }
    // As a flag it is a usage error naming the flag, not a panic.
    let flag = run_stdin(&["--host", "10.0.99999999999.1", "-"], GOOD.as_bytes());
    assert_eq!(flag.code, 2);
    assert!(flag.stderr.contains("--host"), "{}", flag.stderr);
    let check = finish(
        wincompat()
            .args([
                "check",
                "--host",
                "10.0.99999999999.1",
                "--image",
                "10.0.17763",
            ])
            .output()
            .expect("runs"),
    );
    assert_eq!(check.code, 2, "{}", check.stderr);
}

// ---------------------------------------------------------------------------
// Terminal escapes, bidi and zero-width characters
// ---------------------------------------------------------------------------

#[test]
fn terminal_escapes_and_bidi_in_names_are_neutralised() {
    let node = "win\u{1b}]0;owned\u{7}node\u{202e}7-lio\u{200b}p\u{1b}[2J";
    let pod = "ledger\u{1b}[31m-0\u{2066}x\u{2069}\u{feff}";
    let text = format!(
        "Name:         {pod}\nNamespace:    billing\nNode:         {node}/10.20.30.40\nEvents:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------\n  Warning  Failed   12s   kubelet  Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {pod}: The container operating system does not match the host operating system.: unknown\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "escapes\u{1b}[1m.txt", text.as_bytes());
    for args in [
        vec!["--color", "never"],
        vec!["--color", "always"],
        vec!["--format", "markdown"],
    ] {
        let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        all.push(p.as_os_str());
        let out = run(&all);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        for bad in [
            '\u{7}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{feff}',
        ] {
            assert!(
                !out.stdout.contains(bad),
                "{args:?}: {bad:?} reached the output:\n{}",
                out.stdout
            );
        }
        // ESC appears only in our own colour sequences (`ESC[…m`), never
        // as the OSC title or screen-clear from the input.
        assert!(
            !out.stdout.contains("\u{1b}]"),
            "{args:?}: OSC sequence reached the output"
        );
        assert!(
            !out.stdout.contains("\u{1b}[2J"),
            "{args:?}: clear-screen reached the output"
        );
        if args[0] != "--color" || args[1] == "never" {
            assert!(
                !out.stdout.contains('\u{1b}'),
                "{args:?}: ESC in uncoloured output"
            );
        }
        assert!(!out.stderr.contains('\u{1b}'), "{args:?}: ESC on stderr");
    }
    let json = run(&["--format".as_ref(), "json".as_ref(), p.as_os_str()]);
    assert_eq!(json.code, 1);
    json.json();
}

// ---------------------------------------------------------------------------
// Folders, paths and stdin
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn folder_with_an_unreadable_file_a_fifo_and_a_symlink_loop() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("bundle");
    std::fs::create_dir_all(root.join("logs")).expect("mkdir");
    write(&root, "good.txt", GOOD.as_bytes());
    let locked = write(&root, "locked.log", b"secret\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads a mode-000 file anyway; a file whose read fails for every
    // user stands in for it there.
    let privileged = std::fs::read(&locked).is_ok();
    if privileged && Path::new("/proc/self/mem").exists() {
        std::os::unix::fs::symlink("/proc/self/mem", root.join("unreadable.mem")).expect("symlink");
    }
    std::os::unix::fs::symlink(&root, root.join("logs/loop")).expect("symlink");
    let fifo = root.join("pipe");
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());

    let out = finish(
        wincompat()
            .args(["--format", "json"])
            .arg(&root)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("runs"),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    assert!(cites(&report, "good.txt"));
    if made_fifo {
        assert!(
            out.stderr.contains("pipe") && out.stderr.contains("FIFO"),
            "{}",
            out.stderr
        );
    }
    assert!(out.stderr.contains("loop"), "{}", out.stderr);
    if privileged {
        if Path::new("/proc/self/mem").exists() {
            assert!(out.stderr.contains("unreadable.mem"), "{}", out.stderr);
        }
    } else {
        assert!(out.stderr.contains("locked.log"), "{}", out.stderr);
    }
}

#[test]
fn nonexistent_path_alone_exits_2_and_beside_others_is_named() {
    let missing = Path::new("/nonexistent/wincompat-hostile/describe.txt");
    let out = run(&[missing.as_os_str()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("/nonexistent/wincompat-hostile/describe.txt"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.txt", GOOD.as_bytes());
    let out = run(&[
        "--format".as_ref(),
        "json".as_ref(),
        missing.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("wincompat-hostile/describe.txt"),
        "{}",
        out.stderr
    );
    assert!(cites(&out.json(), "good.txt"));
}

/// `wincompat - <&-`: standard input closed by the caller, not empty.
#[cfg(unix)]
#[test]

fn closed_stdin_is_nothing_readable() {
    let bin = assert_cmd::cargo::cargo_bin("wincompat");
    let out = finish(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" - <&-")
            .arg(&bin)
            .output()
            .expect("sh"),
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("stdin"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn closed_stdin_beside_a_file_does_not_stop_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.txt", GOOD.as_bytes());
    let bin = assert_cmd::cargo::cargo_bin("wincompat");
    let out = finish(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" --format json - \"$1\" <&-")
            .arg(&bin)
            .arg(&good)
            .output()
            .expect("sh"),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(cites(&out.json(), "good.txt"));
}

/// Two findings whose event counts are each near `u64::MAX`: the report's
/// total must saturate, not overflow (it panicked in debug builds and
/// wrapped in release).
#[test]
fn huge_counts_on_two_findings_saturate_the_total() {
    let describe = |pod: &str, node: &str| {
        format!(
            "Name:         {pod}\nNamespace:    billing\nNode:         {node}/10.20.30.40\nEvents:\n  Type     Reason   Age                    From     Message\n  ----     ------   ----                   ----     -------\n  Warning  Failed   12s (x18446744073709551615 over 3d)  kubelet  Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {pod}: The container operating system does not match the host operating system.: unknown\n"
        )
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(
        dir.path(),
        "a.txt",
        describe("ledger-0", "winpool-1").as_bytes(),
    );
    let b = write(
        dir.path(),
        "b.txt",
        describe("ledger-1", "winpool-2").as_bytes(),
    );
    let out = run(&[
        "--format".as_ref(),
        "json".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    assert_eq!(findings(&report).len(), 2, "{}", out.stdout);
    assert_eq!(report["summary"]["occurrences"].as_u64(), Some(u64::MAX));
}
