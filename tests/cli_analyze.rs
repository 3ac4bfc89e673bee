//! End-to-end tests of the main job as a user runs it: inputs in, report
//! out, and the exit-code contract (0 nothing found, 1 failures found,
//! 2 nothing readable). Hermetic: the environment variables wincompat
//! reads are removed.

use assert_cmd::Command;
use predicates::prelude::*;

fn wincompat() -> Command {
    let mut cmd = Command::cargo_bin("wincompat").expect("binary");
    cmd.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CI")
        .env_remove("TERM")
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .env_remove("LANG");
    cmd
}

const LEGACY_FAILURE: &str = "docker: Error response from daemon: container 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101) extra info: {\"SystemType\":\"Container\",\"Name\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"HvPartition\":false}.\n";

#[test]
fn samples_folder_reports_failures_and_exits_1() {
    wincompat()
        .arg("samples/")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("WC101 shop/orders-web"))
        .stdout(predicate::str::contains("knowledge as of"));
}

#[test]
fn exit_zero_turns_off_the_failure_exit_code() {
    wincompat()
        .args(["--exit-zero", "samples/docker-run"])
        .assert()
        .code(0);
}

#[test]
fn stdin_is_read_when_piped() {
    wincompat()
        .args(["--format", "json"])
        .write_stdin(LEGACY_FAILURE)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "\"kind\": \"mismatch-versions-unknown\"",
        ))
        .stdout(predicate::str::contains("\"input\": \"<stdin>\""));
}

#[test]
fn host_flag_completes_the_diagnosis() {
    let input = format!("$ docker run mcr.microsoft.com/windows/nanoserver:1809\n{LEGACY_FAILURE}");
    wincompat()
        .args(["--host", "10.0.20348.2227", "--format", "json", "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "\"kind\": \"image-older-than-host\"",
        ))
        .stdout(predicate::str::contains("\"from\": \"flag --host\""));
}

#[test]
fn no_failure_exits_0() {
    wincompat()
        .write_stdin("Microsoft Windows [Version 10.0.17763.5458]\nall good\n")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No container start failure"));
}

#[test]
fn a_missing_path_is_named_and_the_others_still_analysed() {
    wincompat()
        .args(["does-not-exist.txt", "samples/docker-run"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does-not-exist.txt"))
        .stdout(predicate::str::contains("WC101"));
}

#[test]
fn nothing_readable_exits_2() {
    wincompat()
        .arg("does-not-exist.txt")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does-not-exist.txt"));
}

#[test]
fn bad_flag_value_exits_2() {
    wincompat()
        .args(["--node", "win-01=banana", "samples/docker-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--node"));
}

#[test]
fn output_file_gets_the_markdown_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ticket.md");
    wincompat()
        .args(["-o", "markdown", "--output-file"])
        .arg(&out)
        .arg("samples/swarm-iis")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.starts_with("# wincompat report"), "{text}");
    assert!(text.contains("docker service update"), "{text}");
}

#[test]
fn redact_hides_names_in_every_format() {
    for format in ["text", "json", "markdown"] {
        wincompat()
            .args(["--redact", "--format", format, "samples/swarm-iis"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("WINSWARM-02").not())
            .stdout(predicate::str::contains("contoso.azurecr.io").not())
            .stdout(predicate::str::contains("20348"));
    }
}

#[test]
fn records_prints_one_json_object_per_line() {
    let output = wincompat()
        .args(["records", "samples/k8s-sandbox"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(text.lines().count() > 5);
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(value.get("input").is_some(), "{line}");
    }
    assert!(text.contains("\"kind\":\"kubectl-describe-pod\""));
}

#[test]
fn preflight_check_lists_where_an_image_runs() {
    wincompat()
        .args([
            "check",
            "--image",
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            "samples/k8s-mixed-builds",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("akswin19np000000"))
        .stdout(predicate::str::contains(
            "It runs on: akswin19np000000, akswin19np000001.",
        ));
}

#[test]
fn completions_and_man_page_are_generated() {
    wincompat()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wincompat"));
    wincompat()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH wincompat"));
}

#[test]
fn help_teaches_with_examples_and_exit_codes() {
    wincompat()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("Exit status:"));
}

/// A file above the streaming threshold (8 MiB) is mapped, or read with
/// `--no-mmap`: the same report either way (issue 14).
#[test]
fn large_file_mapped_or_read_gives_the_same_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dockerd.log");
    let failure = std::fs::read_to_string("samples/logs-dockerd/ci-win-agent-12-dockerd.log")
        .expect("sample");
    let noise =
        "time=\"2024-03-01T10:00:00.000000000Z\" level=debug msg=\"Calling GET /v1.44/info\"\n";
    let mut text = failure.clone();
    while text.len() < 9 * 1024 * 1024 {
        text.push_str(&noise.repeat(1000));
    }
    text.push_str(&failure);
    std::fs::write(&path, text).expect("write");
    let run = |extra: &[&str]| {
        let out = wincompat()
            .args(["-o", "json"])
            .args(extra)
            .arg(&path)
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let mapped = run(&[]);
    assert_eq!(mapped, run(&["--no-mmap"]));
    let report: serde_json::Value = serde_json::from_slice(&mapped).expect("json");
    assert!(report["findings"].as_array().is_some_and(|f| !f.is_empty()));
}
